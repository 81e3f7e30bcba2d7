/* actions.c - what a person does to an idea, one write transaction
 * each: create, edit (fields, or the whole editable part from the editor),
 * move through the stage rules, comment, reorder in its column.  Every
 * action bumps the idea's revision, checks the revision it was based on
 * (expect_rev), and appends its log entry in the same transaction. */
#include "store.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/config.h"
#include "../core/isotime.h"
#include "../core/newidea.h"
#include "../core/utf8.h"
#include "../core/uuid.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "internal.h"

/* ------------------------------------------------------------ actions */

/* Bumps revision and stamps who and when, before an idea is written. */
void st_idea_touch(struct idea *idea, const struct store_actor *actor)
{
	idea_set_u64(idea, IDEA_REVISION, idea_revision(idea) + 1);
	idea_set_time(idea, IDEA_UPDATED_AT, actor->now);
	idea_set_raw(idea, IDEA_UPDATED_BY, actor->user);
}

/* Refuses when the idea is no longer at the revision the caller read. */
int st_rev_check(const struct idea *idea, uint64_t expect_rev,
		 struct fai_err *err)
{
	uint64_t rev = idea_revision(idea);
	if (!expect_rev || rev == expect_rev)
		return 0;
	fai_err_set(err, FAI_ECONFLICT, FAI_WHY_NONE, "revision",
		    idea_get(idea, IDEA_REF));
	fai_err_conflict(err, expect_rev, rev, idea_get(idea, IDEA_UPDATED_BY));
	return -FAI_ECONFLICT;
}

/* Takes the next free reference of region from its sequence. */
static int ref_assign(struct store_txn *t, struct idea *idea,
		      struct fai_err *err)
{
	char key[32], ref[32];
	uint64_t n;
	MDB_val v;
	const char *region = idea_get(idea, IDEA_REGION);
	snprintf(key, sizeof(key), "seq:%s", region);
	int rc = st_meta_u64(t, key, &n, err);
	if (rc)
		return rc;
	do { /* skip numbers taken by imported ideas */
		validate_ref_format(ref, sizeof(ref), region,
				    (unsigned long)++n);
		rc = st_get(t, DB_BY_REF, ref, strlen(ref), &v);
	} while (rc == 0);
	if (rc != MDB_NOTFOUND)
		return st_fail(t, rc, err, "by_ref");
	idea_set_raw(idea, IDEA_REF, ref);
	return st_meta_set_u64(t, key, n, err);
}

/* Writes the indexes of a new idea; refuses a taken id or ref. */
int st_indexes_put(struct store_txn *t, const struct idea *idea,
		   struct fai_err *err)
{
	unsigned char id[UUID_LEN], k[8];
	const char *ref = idea_get(idea, IDEA_REF);
	codec_put_u64(k, idea->key);
	if (uuid_parse(idea_get(idea, IDEA_ID), id) < 0)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_UUID, "id",
				   idea_get(idea, IDEA_ID));
	int rc = st_put(t, DB_BY_ID, id, UUID_LEN, k, 8, MDB_NOOVERWRITE, err);
	if (rc == -FAI_ESTORE && !t->map_full) {
		return fai_err_set(err, FAI_EEXIST, FAI_WHY_NONE, "id",
				   idea_get(idea, IDEA_ID));
	}
	if (rc)
		return rc;
	rc = st_put(t, DB_BY_REF, ref, strlen(ref), k, 8, MDB_NOOVERWRITE, err);
	if (rc == -FAI_ESTORE && !t->map_full)
		return fai_err_set(err, FAI_EEXIST, FAI_WHY_NONE, "ref", ref);
	if (rc)
		return rc;
	rc = st_order_put(t, idea, err);
	if (rc)
		return rc;
	return st_count_add(t, idea_stage(idea), 1, err);
}

/* The CREATE snapshot: a change to every non-empty field and unknown
 * column, in idea_diff's order (as from an empty idea).  The values are
 * the idea's own strings, borrowed; only the array and the "x:" names of
 * unknown columns (in names, one after the other) are allocated
 * (st_snapshot_free). */
size_t st_snapshot(const struct idea *idea, struct log_change **out,
		   struct buf *names)
{
	struct log_change *ch =
	    xcalloc(IDEA_FIELD_COUNT + idea->nextra + 1, sizeof(*ch));
	size_t n = 0;
	buf_init(names);
	for (size_t i = 0; i < idea->nextra; i++) {
		if (!idea->extra[i].value[0])
			continue;
		buf_printf(names, "x:%s", idea->extra[i].name);
		buf_addc(names, '\0');
	}
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		const char *v = idea_get(idea, (enum idea_field)f);
		if (!*v)
			continue;
		ch[n].name = idea_field_info(f)->code;
		ch[n++].after = v;
	}
	/* The names stopped moving: each is the one after the last. */
	const char *name = names->data;
	for (size_t i = 0; i < idea->nextra; i++) {
		if (!idea->extra[i].value[0])
			continue;
		ch[n].name = name;
		ch[n++].after = idea->extra[i].value;
		name += strlen(name) + 1;
	}
	*out = ch;
	return n;
}

void st_snapshot_free(struct log_change *ch, struct buf *names)
{
	free(ch);
	buf_free(names);
}

int st_create(struct store_txn *t, const struct store_actor *actor,
	      struct idea *idea, enum log_kind kind, const char *text,
	      int checked, struct fai_err *err)
{
	uint64_t next;
	struct log_entry e;
	struct log_change *ch = NULL;
	struct buf names;
	size_t nch;
	int rc;

	idea_new_defaults(idea, actor->now, actor->user);
	if (!idea_get(idea, IDEA_REF)[0]) {
		rc = validate_region(idea_get(idea, IDEA_REGION), err);
		if (rc)
			return rc;
		rc = ref_assign(t, idea, err);
		if (rc)
			return rc;
	}
	rc = checked ? 0 : idea_check(idea, err);
	if (rc)
		return rc;

	rc = st_meta_u64(t, "next_key", &next, err);
	if (rc)
		return rc;
	idea->key = next ? next : 1;
	rc = st_meta_set_u64(t, "next_key", idea->key + 1, err);
	if (rc)
		return rc;
	rc = st_rank_next(t, idea_stage(idea), &idea->rank, err);
	if (rc)
		return rc;
	rc = st_idea_store(t, idea, MDB_APPEND, err);
	if (rc)
		return rc;
	rc = st_indexes_put(t, idea, err);
	if (rc)
		return rc;

	st_log_start(&e, actor, kind, idea);
	e.text = text;
	nch = st_snapshot(idea, &ch, &names);
	e.changes = ch;
	e.nchanges = nch;
	rc = st_log_append(t, &e, err);
	st_snapshot_free(ch, &names);
	return rc;
}

int store_txn_create(struct store_txn *t, const struct store_actor *actor,
		     struct idea *idea, struct fai_err *err)
{
	return st_create(t, actor, idea, LOG_CREATE, NULL, 0, err);
}

struct create_arg {
	const struct store_actor *actor;
	const struct idea *in;
	struct idea *out;
};

static int create_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct create_arg *a = arg;
	/* Work on a copy so a retry after a full map starts afresh. */
	idea_free(a->out);
	a->out = idea_clone(a->in);
	return store_txn_create(t, a->actor, a->out, err);
}

int store_idea_create(struct store *s, const struct store_actor *actor,
		      struct idea *idea, struct fai_err *err)
{
	struct create_arg a = {actor, idea, NULL};
	int rc = store_write(s, create_txn, &a, err);
	if (rc == 0) {
		/* Hand the stored values back to the caller's idea. */
		for (int f = 0; f < IDEA_FIELD_COUNT; f++)
			idea_set_raw(idea, f, a.out->v[f]);
		idea->key = a.out->key;
		idea->rank = a.out->rank;
	}
	idea_free(a.out);
	return rc;
}

/* Writes an updated idea (same key) and logs the difference from before.
 * Moves its board entry when stage or rank changed. */
int st_idea_update(struct store_txn *t, const struct store_actor *actor,
		   const struct idea *before, struct idea *after,
		   enum log_kind kind, const char *text, int forced,
		   uint64_t target, struct fai_err *err)
{
	struct log_entry e;
	struct idea_change *ch = NULL;
	size_t nch;
	int rc;

	st_idea_touch(after, actor);
	enum stage s0 = idea_stage(before), s1 = idea_stage(after);
	if (s0 != s1 || before->rank != after->rank) {
		rc = st_order_del(t, before, err);
		if (!rc)
			rc = st_order_put(t, after, err);
		if (!rc && s0 != s1)
			rc = st_count_add(t, s0, -1, err);
		if (!rc && s0 != s1)
			rc = st_count_add(t, s1, 1, err);
		if (rc)
			return rc;
	}
	rc = st_idea_store(t, after, 0, err);
	if (rc)
		return rc;
	st_log_start(&e, actor, kind, after);
	nch = idea_diff(before, after, 1, &ch);
	if (before->rank != after->rank) {
		ch = xrealloc(ch, (nch + 1) * sizeof(*ch));
		ch[nch].name = xstrdup("rank");
		ch[nch].before =
		    xasprintf("%llu", (unsigned long long)before->rank);
		ch[nch].after =
		    xasprintf("%llu", (unsigned long long)after->rank);
		nch++;
	}
	struct log_change *lent = log_changes_lend(ch, nch);
	e.changes = lent;
	e.nchanges = nch;
	e.text = text;
	e.forced = forced;
	e.target = target;
	rc = st_log_append(t, &e, err);
	free(lent);
	idea_changes_free(ch, nch);
	return rc;
}

/* Loads the idea named by ref_or_id and checks the expected revision. */
static int idea_load_for(struct store_txn *t, const char *ref_or_id,
			 uint64_t expect_rev, struct idea **out,
			 struct fai_err *err)
{
	int rc = st_idea_fetch(t, ref_or_id, out, err);
	if (rc)
		return rc;
	rc = st_rev_check(*out, expect_rev, err);
	if (rc) {
		idea_free(*out);
		*out = NULL;
	}
	return rc;
}

struct edit_arg {
	const struct store_actor *actor;
	const char *ref;
	const struct store_set *sets;
	size_t nsets;
	const struct idea *edited; /* store_idea_replace */
	uint64_t expect_rev;
	uint64_t rev;
};

/* Copies the fields a person may edit from src into dst. */
static void editable_copy(struct idea *dst, const struct idea *src)
{
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		unsigned fl = idea_field_info(f)->flags;
		if (!(fl & (IDEA_FF_SYSTEM | IDEA_FF_INTERNAL)))
			idea_set_raw(dst, f, src->v[f]);
	}
}

static int edit_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct edit_arg *a = arg;
	struct idea *before = NULL, *after = NULL;
	struct idea_change *ch = NULL;
	size_t nch;
	int rc = idea_load_for(t, a->ref, a->expect_rev, &before, err);
	if (rc)
		return rc;
	after = idea_clone(before);
	if (a->edited)
		editable_copy(after, a->edited);
	for (size_t i = 0; i < a->nsets; i++) {
		rc = idea_set(after, a->sets[i].field, a->sets[i].value,
			      IDEA_SET_TYPED, err);
		if (rc)
			goto out;
	}
	rc = idea_check(after, err);
	if (rc)
		goto out;
	nch = idea_diff(before, after, 1, &ch);
	idea_changes_free(ch, nch);
	if (nch == 0) {
		rc = fai_err_set(err, FAI_ENOTHING, FAI_WHY_NONE, NULL,
				 idea_get(before, IDEA_REF));
		goto out;
	}
	rc = st_idea_update(t, a->actor, before, after, LOG_EDIT, NULL, 0, 0,
			    err);
	a->rev = idea_revision(after);
out:
	idea_free(before);
	idea_free(after);
	return rc;
}

int store_idea_edit(struct store *s, const struct store_actor *actor,
		    const char *ref_or_id, const struct store_set *sets,
		    size_t nsets, uint64_t expect_rev, uint64_t *rev,
		    struct fai_err *err)
{
	struct edit_arg a = {actor, ref_or_id,	sets, nsets,
			     NULL,  expect_rev, 0};
	int rc = store_write(s, edit_txn, &a, err);
	if (!rc && rev)
		*rev = a.rev;
	return rc;
}

int store_idea_replace(struct store *s, const struct store_actor *actor,
		       const struct idea *edited, uint64_t expect_rev,
		       uint64_t *rev, struct fai_err *err)
{
	struct edit_arg a = {actor,
			     idea_get(edited, IDEA_ID)[0]
				 ? idea_get(edited, IDEA_ID)
				 : idea_get(edited, IDEA_REF),
			     NULL,
			     0,
			     edited,
			     expect_rev,
			     0};
	int rc = store_write(s, edit_txn, &a, err);
	if (!rc && rev)
		*rev = a.rev;
	return rc;
}

struct move_arg {
	const struct store_actor *actor;
	const char *ref;
	enum stage to;
	const char *reason;
	int force;
	uint64_t expect_rev;
	uint64_t rev;
};

static int move_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct move_arg *a = arg;
	struct idea *before = NULL, *after = NULL;
	int gated = 0;
	int rc = idea_load_for(t, a->ref, a->expect_rev, &before, err);
	if (rc)
		return rc;
	rc = stage_move_check(before, a->to, a->reason, a->force, &gated, err);
	if (rc)
		goto out;
	after = idea_clone(before);
	stage_move_apply(after, a->to, a->reason, a->actor->now);
	rc = st_rank_next(t, a->to, &after->rank, err);
	if (rc)
		goto out;
	rc = st_idea_update(t, a->actor, before, after, LOG_MOVE, a->reason,
			    gated, 0, err);
	a->rev = idea_revision(after);
out:
	idea_free(before);
	idea_free(after);
	return rc;
}

int store_idea_move(struct store *s, const struct store_actor *actor,
		    const char *ref_or_id, enum stage to, const char *reason,
		    int force, uint64_t expect_rev, uint64_t *rev,
		    struct fai_err *err)
{
	struct move_arg a = {actor, ref_or_id,	to, reason,
			     force, expect_rev, 0};
	int rc = store_write(s, move_txn, &a, err);
	if (!rc && rev)
		*rev = a.rev;
	return rc;
}

struct comment_arg {
	const struct store_actor *actor;
	const char *ref;
	const char *text;
	uint64_t expect_rev;
	uint64_t rev;
};

#define STORE_COMMENT_MAX (64 * 1024)

static int comment_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct comment_arg *a = arg;
	struct idea *idea = NULL;
	struct log_entry e;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	int rc = idea_load_for(t, a->ref, a->expect_rev, &idea, err);
	if (rc)
		return rc;
	st_idea_touch(idea, a->actor);
	rc = st_idea_store(t, idea, 0, err);
	if (rc)
		goto out;
	st_log_start(&e, a->actor, LOG_COMMENT, idea);
	e.text = a->text;
	rc = st_log_append(t, &e, err);
	if (rc)
		goto out;
	codec_pair_key(pk, idea->key, e.seq);
	rc = st_put(t, DB_COMMENTS, pk, sizeof(pk), "", 0, 0, err);
	a->rev = idea_revision(idea);
out:
	idea_free(idea);
	return rc;
}

int store_idea_comment(struct store *s, const struct store_actor *actor,
		       const char *ref_or_id, const char *text,
		       uint64_t expect_rev, uint64_t *rev, struct fai_err *err)
{
	size_t n = text ? strlen(text) : 0;
	const char *p = text;
	while (p && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	if (!p || !*p)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_REQUIRED, "comment",
				   "");
	if (utf8_check(text, n) != n)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_UTF8, "comment",
				   text);
	if (n > STORE_COMMENT_MAX)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_TOO_LONG, "comment",
				   text);
	/* Like a multi-line field: line breaks and tabs, no other control
	 * character (an escape sequence must never reach the log). */
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += (size_t)utf8_decode(text + i, n - i, &cp);
		if ((cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r') ||
		    (cp >= 0x7f && cp < 0xa0))
			return fai_err_set(err, FAI_EINVAL, FAI_WHY_CONTROL,
					   "comment", text);
	}
	struct comment_arg a = {actor, ref_or_id, text, expect_rev, 0};
	int rc = store_write(s, comment_txn, &a, err);
	if (!rc && rev)
		*rev = a.rev;
	return rc;
}

/* Renumbers a column with even gaps, keeping its order (no revision
 * changes: ranks are positions, not content). */
static int column_renumber(struct store_txn *t, enum stage st,
			   struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char k[CODEC_ORDER_KEY_LEN];
	uint64_t *keys = NULL;
	size_t n = 0;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_ORDER], &c);
	if (rc)
		return st_fail(t, rc, err, "order");
	codec_order_key(k, (int)st, 0, 0);
	key.mv_size = sizeof(k);
	key.mv_data = k;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	while (rc == 0 && key.mv_size == sizeof(k) &&
	       ((unsigned char *)key.mv_data)[0] == (unsigned char)st) {
		keys = xrealloc(keys, (n + 1) * sizeof(*keys));
		keys[n++] = codec_get_u64((unsigned char *)key.mv_data + 9);
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND) {
		free(keys);
		return st_fail(t, rc, err, "order");
	}
	rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct idea *idea;
		rc = st_idea_load(t, keys[i], &idea, err);
		if (rc)
			break;
		rc = st_order_del(t, idea, err);
		idea->rank = STORE_RANK_FIRST + (uint64_t)i * STORE_RANK_GAP;
		if (!rc)
			rc = st_order_put(t, idea, err);
		if (!rc)
			rc = st_idea_store(t, idea, 0, err);
		idea_free(idea);
	}
	free(keys);
	return rc;
}

/* Finds the rank that puts a card delta places from where it is.  Sets
 * *rank, or returns -FAI_ENOTHING at the end of the column, or 1 when the
 * neighbours leave no room (renumber and call again). */
static int rank_between(struct store_txn *t, const struct idea *idea, int delta,
			uint64_t *rank, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char k[CODEC_ORDER_KEY_LEN];
	enum stage st = idea_stage(idea);
	MDB_cursor_op step = delta < 0 ? MDB_PREV : MDB_NEXT;
	int moved = 0, want = delta < 0 ? -delta : delta;
	uint64_t near = 0, far = 0;
	int have_far = 0;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_ORDER], &c);
	if (rc)
		return st_fail(t, rc, err, "order");
	codec_order_key(k, (int)st, idea->rank, idea->key);
	key.mv_size = sizeof(k);
	key.mv_data = k;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET);
	while (rc == 0 && moved <= want) {
		rc = mdb_cursor_get(c, &key, &val, step);
		if (rc)
			break;
		const unsigned char *p = key.mv_data;
		if (key.mv_size != sizeof(k) || p[0] != (unsigned char)st)
			break;
		if (moved < want)
			near = codec_get_u64(p + 1);
		else {
			far = codec_get_u64(p + 1);
			have_far = 1;
		}
		moved++;
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND)
		return st_fail(t, rc, err, "order");
	if (moved == 0)
		return fai_err_set(err, FAI_ENOTHING, FAI_WHY_NONE, NULL,
				   idea_get(idea, IDEA_REF));
	if (!have_far) /* past the last card we passed */
		far = delta < 0
			  ? (near > STORE_RANK_GAP ? near - STORE_RANK_GAP : 0)
			  : near + STORE_RANK_GAP;
	uint64_t lo = near < far ? near : far, hi = near < far ? far : near;
	if (hi - lo < 2)
		return 1;
	*rank = lo + (hi - lo) / 2;
	return 0;
}

struct reorder_arg {
	const struct store_actor *actor;
	const char *ref;
	int delta;
	uint64_t expect_rev;
	uint64_t rev;
};

static int reorder_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct reorder_arg *a = arg;
	struct idea *before = NULL, *after = NULL;
	uint64_t rank;
	int rc = idea_load_for(t, a->ref, a->expect_rev, &before, err);
	if (rc)
		return rc;
	if (a->delta == 0) {
		rc = fai_err_set(err, FAI_ENOTHING, FAI_WHY_NONE, NULL, a->ref);
		goto out;
	}
	rc = rank_between(t, before, a->delta, &rank, err);
	if (rc == 1) {
		rc = column_renumber(t, idea_stage(before), err);
		if (rc)
			goto out;
		uint64_t key = before->key;
		idea_free(before);
		before = NULL;
		rc = st_idea_load(t, key, &before, err);
		if (!rc)
			rc = rank_between(t, before, a->delta, &rank, err);
		if (rc == 1)
			rc = fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL,
					 "rank");
	}
	if (rc)
		goto out;
	after = idea_clone(before);
	after->rank = rank;
	rc = st_idea_update(t, a->actor, before, after, LOG_REORDER, NULL, 0, 0,
			    err);
	a->rev = idea_revision(after);
out:
	idea_free(before);
	idea_free(after);
	return rc;
}

int store_idea_reorder(struct store *s, const struct store_actor *actor,
		       const char *ref_or_id, int delta, uint64_t expect_rev,
		       uint64_t *rev, struct fai_err *err)
{
	struct reorder_arg a = {actor, ref_or_id, delta, expect_rev, 0};
	int rc = store_write(s, reorder_txn, &a, err);
	if (!rc && rev)
		*rev = a.rev;
	return rc;
}
