/* store.c - the live store on LMDB.
 *
 * One environment (a directory) with these named databases:
 *   meta      text key -> text value: schema, region, demo, next_key,
 *             seq:<region> (last reference number), count:<stage>,
 *             config:<key>
 *   ideas     u64 key -> idea record (codec.c); keys only grow, so bulk
 *             insertion appends
 *   by_id     16-byte UUID -> u64 key
 *   by_ref    reference text -> u64 key
 *   order     (u8 stage, u64 rank, u64 key) -> empty: the board's columns
 *   log       u64 seq -> log record: the append-only activity log
 *   log_idea  (u64 key, u64 seq) -> empty: each idea's history
 *   comments  (u64 key, u64 seq) -> empty: live comments; text in the log
 * Every action runs in store_write: one write transaction, retried from the
 * start with a doubled map when LMDB says the map is full.  Read calls use
 * one short read transaction each and never keep it. */
#include "store.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/config.h"
#include "../core/isotime.h"
#include "../core/utf8.h"
#include "../core/uuid.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "internal.h"

const char *const store_db_names[DB_COUNT] = {
	"meta", "ideas", "by_id", "by_ref", "order", "log", "log_idea",
	"comments", "exchanged",
};

/* ---------------------------------------------------------------- errors */

/* Turns an LMDB return code into ours, noting a full map for a retry. */
int st_fail(struct store_txn *t, int rc, struct fai_err *err,
		     const char *what)
{
	if (rc == MDB_MAP_FULL && t)
		t->map_full = 1;
	if (rc == ENOSPC || rc == EDQUOT) {
		fai_err_set(err, FAI_ENOSPACE, FAI_WHY_NONE, NULL,
			    t ? t->s->path : NULL);
		fai_err_detail(err, "%s", strerror(rc));
		return -FAI_ENOSPACE;
	}
	if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ||
	    rc == MDB_INVALID || rc == MDB_BAD_TXN ||
	    rc == MDB_INCOMPATIBLE) {
		fai_err_set(err, FAI_ESTORE, FAI_WHY_DAMAGED, what, NULL);
		fai_err_detail(err, "%s", mdb_strerror(rc));
		return -FAI_ESTORE;
	}
	fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL, NULL);
	fai_err_detail(err, "%s: %s", what, mdb_strerror(rc));
	return -FAI_ESTORE;
}

int st_damaged(struct fai_err *err, enum store_dbi db, const char *where)
{
	return fai_err_set(err, FAI_ESTORE, FAI_WHY_DAMAGED,
			   store_db_names[db], where);
}

/* st_damaged for the record under an integer key (shown "#42"). */
static int damaged_at(struct fai_err *err, enum store_dbi db, uint64_t key)
{
	char where[32];
	snprintf(where, sizeof(where), "#%llu", (unsigned long long)key);
	return st_damaged(err, db, where);
}

static int not_found(const char *what, struct fai_err *err)
{
	return fai_err_set(err, FAI_ENOTFOUND, FAI_WHY_NONE, "ref", what);
}

/* ------------------------------------------------------------ primitives */

int st_get(struct store_txn *t, enum store_dbi db, const void *k,
	       size_t kn, MDB_val *v)
{
	MDB_val key = {kn, (void *)(uintptr_t)k};
	return mdb_get(t->txn, t->s->dbi[db], &key, v);
}

int st_put(struct store_txn *t, enum store_dbi db, const void *k,
	       size_t kn, const void *v, size_t vn, unsigned flags,
	       struct fai_err *err)
{
	MDB_val key = {kn, (void *)(uintptr_t)k};
	MDB_val val = {vn, (void *)(uintptr_t)v};
	int rc = mdb_put(t->txn, t->s->dbi[db], &key, &val, flags);
	if (rc)
		return st_fail(t, rc, err, store_db_names[db]);
	return 0;
}

int st_del(struct store_txn *t, enum store_dbi db, const void *k,
	       size_t kn, struct fai_err *err)
{
	MDB_val key = {kn, (void *)(uintptr_t)k};
	int rc = mdb_del(t->txn, t->s->dbi[db], &key, NULL);
	if (rc && rc != MDB_NOTFOUND)
		return st_fail(t, rc, err, store_db_names[db]);
	return 0;
}

/* Every meta value is sealed but the schema version, which every release
 * must be able to read (env.c). */
static int meta_sealed(const char *key)
{
	return strcmp(key, "schema") != 0;
}

/* Finds the meta value of key and checks its seal: 1 and *p, *n (without
 * the seal) when present, 0 when absent, or a negative error. */
static int meta_get(struct store_txn *t, const char *key, const char **p,
		    size_t *n, struct fai_err *err)
{
	MDB_val v;
	size_t kn = strlen(key);
	int rc = st_get(t, DB_META, key, kn, &v);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return st_fail(t, rc, err, "meta");
	*n = v.mv_size;
	if (!meta_sealed(key))
		; /* read as it is */
	else if (codec_unseal(v.mv_data, v.mv_size, key, kn, n) < 0)
		return st_damaged(err, DB_META, key);
	*p = v.mv_data;
	return 1;
}

/* Reads a meta value as a heap string (NULL when absent). */
int st_meta_read(struct store_txn *t, const char *key, char **out,
		     struct fai_err *err)
{
	const char *p;
	size_t n;
	int rc = meta_get(t, key, &p, &n, err);
	*out = rc == 1 ? xstrndup(p, n) : NULL;
	return rc < 0 ? rc : 0;
}

int st_meta_write(struct store_txn *t, const char *key, const char *value,
		      struct fai_err *err)
{
	struct buf *b = &t->s->enc;
	size_t kn = strlen(key);
	buf_reset(b);
	buf_adds(b, value);
	if (meta_sealed(key))
		codec_seal(b, 0, key, kn);
	return st_put(t, DB_META, key, kn, b->data, b->len, 0, err);
}

int st_meta_u64(struct store_txn *t, const char *key, uint64_t *out,
		    struct fai_err *err)
{
	const char *p;
	size_t n;
	char num[24];
	int rc = meta_get(t, key, &p, &n, err);
	*out = 0;
	if (rc <= 0)
		return rc;
	/* Written by st_meta_set_u64: at most 20 digits. */
	if (n == 0 || n >= sizeof(num))
		return st_damaged(err, DB_META, key);
	memcpy(num, p, n);
	num[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (num[i] < '0' || num[i] > '9')
			return st_damaged(err, DB_META, key);
	*out = strtoull(num, NULL, 10);
	return 0;
}

int st_meta_set_u64(struct store_txn *t, const char *key, uint64_t v,
			struct fai_err *err)
{
	char num[24];
	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return st_meta_write(t, key, num, err);
}

/* Adds delta to the card count of stage. */
int st_count_add(struct store_txn *t, enum stage st, int delta,
		     struct fai_err *err)
{
	char key[40];
	uint64_t n;
	snprintf(key, sizeof(key), "count:%s", stage_code(st));
	int rc = st_meta_u64(t, key, &n, err);
	if (rc)
		return rc;
	n = (delta < 0 && n == 0) ? 0 : n + (uint64_t)(int64_t)delta;
	return st_meta_set_u64(t, key, n, err);
}

/* ------------------------------------------------------------ ideas */

/* Loads the idea stored under key into *out. */
int st_idea_load(struct store_txn *t, uint64_t key, struct idea **out,
		     struct fai_err *err)
{
	unsigned char k[8];
	MDB_val v;
	codec_put_u64(k, key);
	int rc = st_get(t, DB_IDEAS, k, 8, &v);
	if (rc == MDB_NOTFOUND)
		return fai_err_set(err, FAI_ENOTFOUND, FAI_WHY_NONE, "key",
				   NULL);
	if (rc)
		return st_fail(t, rc, err, "ideas");
	if (codec_idea_decode(v.mv_data, v.mv_size, key, out) < 0)
		return damaged_at(err, DB_IDEAS, key);
	return 0;
}

/* Loads the idea of a board-order entry (stage, rank, key), checking that
 * the idea is at that stage and rank: a damaged entry is refused rather
 * than shown as another card. */
static int order_load(struct store_txn *t, const MDB_val *ok,
		      struct idea **out, struct fai_err *err)
{
	const unsigned char *p = ok->mv_data;
	char where[48];
	if (ok->mv_size != CODEC_ORDER_KEY_LEN)
		return st_damaged(err, DB_ORDER, NULL);
	int rc = st_idea_load(t, codec_get_u64(p + 9), out, err);
	if (rc == -FAI_ENOTFOUND || (rc == 0 && ((int)idea_stage(*out) != p[0] ||
						 (*out)->rank != codec_get_u64(p + 1)))) {
		if (rc == 0)
			idea_free(*out);
		*out = NULL;
		snprintf(where, sizeof(where), "#%llu",
			 (unsigned long long)codec_get_u64(p + 9));
		return st_damaged(err, DB_ORDER, where);
	}
	return rc;
}

/* Writes idea's record under idea->key. */
int st_idea_store(struct store_txn *t, const struct idea *idea,
		      unsigned flags, struct fai_err *err)
{
	unsigned char k[8];
	struct buf *b = &t->s->enc;
	buf_reset(b);
	codec_idea_encode(b, idea);
	codec_put_u64(k, idea->key);
	return st_put(t, DB_IDEAS, k, 8, b->data, b->len, flags, err);
}

/* Normalises a reference typed by a person ("84-42" -> "84-0042"). */
static void ref_normalise(const char *in, char *out, size_t size)
{
	const char *dash = strchr(in, '-');
	char *end;
	snprintf(out, size, "%s", in);
	if (!dash || dash == in || dash - in > 3 || !dash[1])
		return;
	unsigned long n = strtoul(dash + 1, &end, 10);
	if (*end)
		return;
	char region[4];
	memcpy(region, in, (size_t)(dash - in));
	region[dash - in] = '\0';
	validate_ref_format(out, size, region, n);
}

/* Says whether the index entry k -> v of db (by_id or by_ref) names an
 * idea that names k back. */
static int index_entry_ok(struct store_txn *t, enum store_dbi db,
			  const MDB_val *k, const MDB_val *v)
{
	struct idea *idea;
	unsigned char id[UUID_LEN];
	int ok;
	if (v->mv_size != 8 ||
	    st_idea_load(t, codec_get_u64(v->mv_data), &idea, NULL) < 0)
		return 0;
	if (db == DB_BY_ID) {
		ok = k->mv_size == UUID_LEN &&
		     uuid_parse(idea_get(idea, IDEA_ID), id) == 0 &&
		     memcmp(id, k->mv_data, UUID_LEN) == 0;
	} else {
		const char *ref = idea_get(idea, IDEA_REF);
		ok = strlen(ref) == k->mv_size &&
		     memcmp(ref, k->mv_data, k->mv_size) == 0;
	}
	idea_free(idea);
	return ok;
}

/* After a lookup in db found nothing: 0 when the entries on either side of
 * where key would be are sound (the idea does not exist), else the index
 * is damaged (a damaged key sorts where the lost one was). */
static int index_near_check(struct store_txn *t, enum store_dbi db,
			    const void *key, size_t kn, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val k = {kn, (void *)(uintptr_t)key}, v;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[db], &c);
	if (rc)
		return st_fail(t, rc, err, store_db_names[db]);
	int bad = 0;
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	if (rc == 0) {
		bad = !index_entry_ok(t, db, &k, &v);
		rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
	} else if (rc == MDB_NOTFOUND) {
		rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	}
	if (rc == 0)
		bad |= !index_entry_ok(t, db, &k, &v);
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND)
		return st_fail(t, rc, err, store_db_names[db]);
	return bad ? st_damaged(err, db, NULL) : 0;
}

/* Finds and loads the idea named by a reference or a UUID, checking that
 * the index and the idea agree. */
int st_idea_fetch(struct store_txn *t, const char *what, struct idea **out,
		  struct fai_err *err)
{
	unsigned char id[UUID_LEN];
	char ref[32];
	MDB_val k, v;
	enum store_dbi db;
	int rc;

	*out = NULL;
	if (!what || !*what)
		return not_found("", err);
	if (uuid_parse(what, id) == 0) {
		db = DB_BY_ID;
		k.mv_data = id;
		k.mv_size = UUID_LEN;
	} else {
		db = DB_BY_REF;
		ref_normalise(what, ref, sizeof(ref));
		k.mv_data = ref;
		k.mv_size = strlen(ref);
	}
	rc = st_get(t, db, k.mv_data, k.mv_size, &v);
	if (rc == MDB_NOTFOUND) {
		rc = index_near_check(t, db, k.mv_data, k.mv_size, err);
		return rc ? rc : not_found(what, err);
	}
	if (rc)
		return st_fail(t, rc, err, store_db_names[db]);
	if (v.mv_size != 8)
		return st_damaged(err, db, what);
	rc = st_idea_load(t, codec_get_u64(v.mv_data), out, err);
	if (rc == -FAI_ENOTFOUND)
		return st_damaged(err, db, what);
	if (rc)
		return rc;
	if (!index_entry_ok(t, db, &k, &v)) {
		idea_free(*out);
		*out = NULL;
		return st_damaged(err, db, what);
	}
	return 0;
}

/* Returns the rank after the last card of stage (first rank if empty). */
int st_rank_next(struct store_txn *t, enum stage st, uint64_t *rank,
		     struct fai_err *err)
{
	MDB_cursor *c;
	unsigned char k[CODEC_ORDER_KEY_LEN];
	MDB_val key, val;
	int cache = st >= 0 && st < STAGE_COUNT;
	if (cache && t->rank_known[st]) {
		*rank = t->rank_after[st];
		return 0;
	}
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_ORDER], &c);
	if (rc)
		return st_fail(t, rc, err, "order");
	/* Position on the first key of the next stage, then step back. */
	codec_order_key(k, (int)st + 1, 0, 0);
	key.mv_size = sizeof(k);
	key.mv_data = k;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	if (rc == 0)
		rc = mdb_cursor_get(c, &key, &val, MDB_PREV);
	else if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get(c, &key, &val, MDB_LAST);
	*rank = STORE_RANK_FIRST;
	if (rc == 0 && key.mv_size == CODEC_ORDER_KEY_LEN &&
	    ((unsigned char *)key.mv_data)[0] == (unsigned char)st)
		*rank = codec_get_u64((unsigned char *)key.mv_data + 1) +
			STORE_RANK_GAP;
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND)
		return st_fail(t, rc, err, "order");
	if (cache) {
		t->rank_after[st] = *rank;
		t->rank_known[st] = 1;
	}
	return 0;
}

int st_order_put(struct store_txn *t, const struct idea *idea,
		     struct fai_err *err)
{
	unsigned char k[CODEC_ORDER_KEY_LEN];
	enum stage st = idea_stage(idea);
	codec_order_key(k, (int)st, idea->rank, idea->key);
	int rc = st_put(t, DB_ORDER, k, sizeof(k), "", 0, 0, err);
	if (!rc && st >= 0 && st < STAGE_COUNT && t->rank_known[st] &&
	    idea->rank >= t->rank_after[st])
		t->rank_after[st] = idea->rank + STORE_RANK_GAP;
	return rc;
}

int st_order_del(struct store_txn *t, const struct idea *idea,
		     struct fai_err *err)
{
	unsigned char k[CODEC_ORDER_KEY_LEN];
	enum stage st = idea_stage(idea);
	codec_order_key(k, (int)st, idea->rank, idea->key);
	/* The last card may go: look the column's end up again. */
	if (st >= 0 && st < STAGE_COUNT)
		t->rank_known[st] = 0;
	return st_del(t, DB_ORDER, k, sizeof(k), err);
}

/* ------------------------------------------------------------ the log */

/* Appends e to the log (and to its idea's history); sets e->seq. */
int st_log_append(struct store_txn *t, struct log_entry *e,
		      struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char k[8];
	struct buf *b;
	int rc;
	if (!t->log_next) {
		rc = mdb_cursor_open(t->txn, t->s->dbi[DB_LOG], &c);
		if (rc)
			return st_fail(t, rc, err, "log");
		rc = mdb_cursor_get(c, &key, &val, MDB_LAST);
		t->log_next = (rc == 0 && key.mv_size == 8)
				      ? codec_get_u64(key.mv_data) + 1
				      : 1;
		mdb_cursor_close(c);
		if (rc && rc != MDB_NOTFOUND) {
			t->log_next = 0;
			return st_fail(t, rc, err, "log");
		}
	}
	e->seq = t->log_next;

	t->s->pending_seq = e->seq;
	b = &t->s->enc;
	buf_reset(b);
	codec_log_encode(b, e);
	codec_put_u64(k, e->seq);
	rc = st_put(t, DB_LOG, k, 8, b->data, b->len, MDB_APPEND, err);
	if (!rc)
		t->log_next++;
	if (rc || !e->idea_key)
		return rc;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	codec_pair_key(pk, e->idea_key, e->seq);
	return st_put(t, DB_LOG_IDEA, pk, sizeof(pk), "", 0, 0, err);
}

int st_log_read(struct store_txn *t, uint64_t seq, struct log_entry *e,
		    struct fai_err *err)
{
	unsigned char k[8];
	MDB_val v;
	codec_put_u64(k, seq);
	int rc = st_get(t, DB_LOG, k, 8, &v);
	if (rc == MDB_NOTFOUND)
		return fai_err_set(err, FAI_ENOTFOUND, FAI_WHY_NONE, "log",
				   NULL);
	if (rc)
		return st_fail(t, rc, err, "log");
	if (codec_log_decode(v.mv_data, v.mv_size, seq, e) < 0)
		return damaged_at(err, DB_LOG, seq);
	return 0;
}

/* Fills the parts of a log entry every action shares. */
void st_log_start(struct log_entry *e, const struct store_actor *actor,
		      enum log_kind kind, const struct idea *idea)
{
	memset(e, 0, sizeof(*e));
	e->at = actor->now;
	e->user = (char *)(uintptr_t)actor->user;
	e->client = (char *)(uintptr_t)actor->client;
	e->kind = kind;
	if (idea) {
		e->idea_key = idea->key;
		snprintf(e->id, sizeof(e->id), "%s", idea_get(idea, IDEA_ID));
		snprintf(e->ref, sizeof(e->ref), "%s",
			 idea_get(idea, IDEA_REF));
		e->revision = idea_revision(idea);
	}
}

/* ------------------------------------------------------------ meta */

int store_meta_get(struct store *s, const char *key, char **out,
		   struct fai_err *err)
{
	struct store_txn t;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = st_meta_read(&t, key, out, err);
	st_rd_end(&t);
	return rc;
}

struct meta_arg {
	const char *key;
	const char *value;
};

static int meta_set_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct meta_arg *a = arg;
	return st_meta_write(t, a->key, a->value, err);
}

int store_meta_set(struct store *s, const char *key, const char *value,
		   struct fai_err *err)
{
	struct meta_arg a = {key, value};
	return store_write(s, meta_set_txn, &a, err);
}

int store_config_get(struct store *s, const char *key, char **out,
		     struct fai_err *err)
{
	const char *def = config_default(key);
	*out = NULL;
	if (!def)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_CONFIG, "key", key);
	char *mk = xasprintf("config:%s", key);
	int rc = store_meta_get(s, mk, out, err);
	free(mk);
	if (!rc && !*out)
		*out = xstrdup(def);
	return rc;
}

struct config_arg {
	const struct store_actor *actor;
	const char *key;
	const char *value;
};

static int config_set_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct config_arg *a = arg;
	char *mk = xasprintf("config:%s", a->key);
	char *before = NULL;
	struct log_entry e;
	struct idea_change ch;
	int rc = st_meta_read(t, mk, &before, err);
	if (rc)
		goto out;
	const char *old = before ? before : config_default(a->key);
	if (strcmp(old, a->value) == 0) {
		rc = fai_err_set(err, FAI_ENOTHING, FAI_WHY_NONE, a->key,
				 a->value);
		goto out;
	}
	rc = st_meta_write(t, mk, a->value, err);
	if (rc)
		goto out;
	st_log_start(&e, a->actor, LOG_CONFIG, NULL);
	ch.name = mk;
	ch.before = (char *)(uintptr_t)old;
	ch.after = (char *)(uintptr_t)a->value;
	e.changes = &ch;
	e.nchanges = 1;
	rc = st_log_append(t, &e, err);
out:
	free(before);
	free(mk);
	return rc;
}

int store_config_set(struct store *s, const struct store_actor *actor,
		     const char *key, const char *value, struct fai_err *err)
{
	int rc = config_check(key, value, err);
	if (rc)
		return rc;
	struct config_arg a = {actor, key, value};
	return store_write(s, config_set_txn, &a, err);
}

/* ------------------------------------------------------------ reading */

int store_idea_find(struct store *s, const char *ref_or_id, struct idea **out,
		    struct fai_err *err)
{
	struct store_txn t;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = st_idea_fetch(&t, ref_or_id, out, err);
	st_rd_end(&t);
	return rc;
}

int store_idea_get(struct store *s, uint64_t key, struct idea **out,
		   struct fai_err *err)
{
	struct store_txn t;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = st_idea_load(&t, key, out, err);
	st_rd_end(&t);
	return rc;
}

int st_counts_read(struct store_txn *t, uint64_t counts[STAGE_COUNT],
		   struct fai_err *err)
{
	for (int i = 0; i < STAGE_COUNT; i++) {
		char key[40];
		snprintf(key, sizeof(key), "count:%s", stage_code(i));
		int rc = st_meta_u64(t, key, &counts[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

int store_stage_counts(struct store *s, uint64_t counts[STAGE_COUNT],
		       struct fai_err *err)
{
	struct store_txn t;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = st_counts_read(&t, counts, err);
	st_rd_end(&t);
	return rc;
}

int store_stage_page(struct store *s, enum stage stage,
		     const struct store_pos *pos, size_t max,
		     struct idea ***out, size_t *n, struct fai_err *err)
{
	struct store_txn t;
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char k[CODEC_ORDER_KEY_LEN];
	size_t got = 0;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(t.txn, s->dbi[DB_ORDER], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "order");
		goto end;
	}
	int after = pos && (pos->rank || pos->key);
	codec_order_key(k, (int)stage, after ? pos->rank : 0,
			after ? pos->key : 0);
	key.mv_size = sizeof(k);
	key.mv_data = k;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	if (rc == 0 && after && key.mv_size == sizeof(k) &&
	    memcmp(key.mv_data, k, sizeof(k)) == 0)
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	while (rc == 0 && got < max) {
		const unsigned char *p = key.mv_data;
		if (key.mv_size != CODEC_ORDER_KEY_LEN || p[0] != (int)stage)
			break;
		struct idea *idea;
		rc = order_load(&t, &key, &idea, err);
		if (rc)
			break;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = idea;
		got++;
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	if (rc == MDB_NOTFOUND || rc > 0)
		rc = rc == MDB_NOTFOUND ? 0 : st_fail(NULL, rc, err, "order");
	mdb_cursor_close(c);
end:
	st_rd_end(&t);
	return rc;
}

int store_stage_page_back(struct store *s, enum stage stage,
			  const struct store_pos *pos, size_t max,
			  struct idea ***out, size_t *n, struct fai_err *err)
{
	struct store_txn t;
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char k[CODEC_ORDER_KEY_LEN];
	unsigned char *keys = NULL;
	size_t got = 0;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(t.txn, s->dbi[DB_ORDER], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "order");
		goto end;
	}
	if (pos)
		codec_order_key(k, (int)stage, pos->rank, pos->key);
	else
		codec_order_key(k, (int)stage + 1, 0, 0);
	key.mv_size = sizeof(k);
	key.mv_data = k;
	/* The first entry at or after the bound, then step back. */
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	rc = rc == 0 ? mdb_cursor_get(c, &key, &val, MDB_PREV)
		     : rc == MDB_NOTFOUND ? mdb_cursor_get(c, &key, &val,
							   MDB_LAST)
					  : rc;
	keys = xcalloc(max ? max : 1, CODEC_ORDER_KEY_LEN);
	while (rc == 0 && got < max) {
		const unsigned char *p = key.mv_data;
		if (key.mv_size != CODEC_ORDER_KEY_LEN || p[0] != (int)stage)
			break;
		memcpy(keys + CODEC_ORDER_KEY_LEN * got++, p,
		       CODEC_ORDER_KEY_LEN);
		rc = mdb_cursor_get(c, &key, &val, MDB_PREV);
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND) {
		rc = st_fail(NULL, rc, err, "order");
		goto end;
	}
	rc = 0;
	for (size_t i = got; i-- > 0 && !rc;) {
		struct idea *idea;
		MDB_val ok = {CODEC_ORDER_KEY_LEN, keys + CODEC_ORDER_KEY_LEN * i};
		rc = order_load(&t, &ok, &idea, err);
		if (rc)
			break;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = idea;
	}
end:
	free(keys);
	st_rd_end(&t);
	return rc;
}

int store_idea_foreach(struct store *s,
		       int (*fn)(const struct idea *idea, void *arg),
		       void *arg, struct fai_err *err)
{
	struct store_txn t;
	MDB_cursor *c;
	MDB_val key, val;
	int stop = 0;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(t.txn, s->dbi[DB_ORDER], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "order");
		goto end;
	}
	rc = mdb_cursor_get(c, &key, &val, MDB_FIRST);
	while (rc == 0) {
		struct idea *idea;
		rc = order_load(&t, &key, &idea, err);
		if (rc)
			break;
		stop = fn(idea, arg);
		idea_free(idea);
		if (stop)
			break;
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	if (stop) /* fn's own value, whatever its sign */
		rc = stop;
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc > 0)
		rc = st_fail(NULL, rc, err, "order");
	mdb_cursor_close(c);
end:
	st_rd_end(&t);
	return rc;
}

int store_log_foreach(struct store *s, uint64_t idea_key, int64_t since,
		      int (*fn)(const struct log_entry *e, void *arg),
		      void *arg, struct fai_err *err)
{
	struct store_txn t;
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	int stop = 0;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(t.txn, s->dbi[idea_key ? DB_LOG_IDEA : DB_LOG],
			     &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "log");
		goto end;
	}
	if (idea_key) {
		codec_pair_key(pk, idea_key, 0);
		key.mv_size = sizeof(pk);
		key.mv_data = pk;
		rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	} else {
		rc = mdb_cursor_get(c, &key, &val, MDB_FIRST);
	}
	while (rc == 0) {
		struct log_entry e;
		if (idea_key) {
			if (key.mv_size != sizeof(pk) ||
			    codec_get_u64(key.mv_data) != idea_key)
				break;
			uint64_t seq =
				codec_get_u64((unsigned char *)key.mv_data + 8);
			rc = st_log_read(&t, seq, &e, err);
			if (rc == -FAI_ENOTFOUND ||
			    (rc == 0 && e.idea_key != idea_key)) {
				if (rc == 0)
					log_entry_clear(&e);
				rc = damaged_at(err, DB_LOG_IDEA, seq);
			}
		} else {
			uint64_t seq = key.mv_size == 8
					       ? codec_get_u64(key.mv_data)
					       : 0;
			if (!seq || codec_log_decode(val.mv_data, val.mv_size,
						     seq, &e) < 0)
				rc = damaged_at(err, DB_LOG, seq);
		}
		if (rc)
			break;
		if (e.at >= since)
			stop = fn(&e, arg);
		log_entry_clear(&e);
		if (stop)
			break;
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	if (stop) /* fn's own value, whatever its sign */
		rc = stop;
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc > 0)
		rc = st_fail(NULL, rc, err, "log");
	mdb_cursor_close(c);
end:
	st_rd_end(&t);
	return rc;
}

int store_comments(struct store *s, uint64_t idea_key,
		   struct log_entry **out, size_t *n, struct fai_err *err)
{
	struct store_txn t;
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	int rc = st_rd_begin(s, &t, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	rc = mdb_cursor_open(t.txn, s->dbi[DB_COMMENTS], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "comments");
		goto end;
	}
	codec_pair_key(pk, idea_key, 0);
	key.mv_size = sizeof(pk);
	key.mv_data = pk;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	while (rc == 0 && key.mv_size == sizeof(pk) &&
	       codec_get_u64(key.mv_data) == idea_key) {
		struct log_entry e;
		uint64_t seq = codec_get_u64((unsigned char *)key.mv_data + 8);
		rc = st_log_read(&t, seq, &e, err);
		if (rc == -FAI_ENOTFOUND ||
		    (rc == 0 && (e.idea_key != idea_key ||
				 e.kind != LOG_COMMENT))) {
			if (rc == 0)
				log_entry_clear(&e);
			rc = damaged_at(err, DB_COMMENTS, seq);
		}
		if (rc)
			break;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = e;
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc > 0)
		rc = st_fail(NULL, rc, err, "comments");
	mdb_cursor_close(c);
end:
	st_rd_end(&t);
	return rc;
}

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
	fai_err_detail(err, "%llu %llu %s", (unsigned long long)expect_rev,
		       (unsigned long long)rev, idea_get(idea, IDEA_UPDATED_BY));
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
		validate_ref_format(ref, sizeof(ref), region, (unsigned long)++n);
		rc = st_get(t, DB_BY_REF, ref, strlen(ref), &v);
	} while (rc == 0);
	if (rc != MDB_NOTFOUND)
		return st_fail(t, rc, err, "by_ref");
	idea_set_raw(idea, IDEA_REF, ref);
	return st_meta_set_u64(t, key, n, err);
}

/* Writes the indexes of a new idea; refuses a taken id or ref. */
static int indexes_put(struct store_txn *t, const struct idea *idea,
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
 * unknown columns are allocated (snapshot_free). */
static size_t snapshot(const struct idea *idea, struct idea_change **out)
{
	struct idea_change *ch =
		xcalloc(IDEA_FIELD_COUNT + idea->nextra + 1, sizeof(*ch));
	size_t n = 0;
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		const char *v = idea_get(idea, (enum idea_field)f);
		if (!*v)
			continue;
		ch[n].name = (char *)(uintptr_t)idea_field_info(f)->code;
		ch[n++].after = (char *)(uintptr_t)v;
	}
	for (size_t i = 0; i < idea->nextra; i++) {
		if (!idea->extra[i].value[0])
			continue;
		ch[n].name = xasprintf("x:%s", idea->extra[i].name);
		ch[n++].after = idea->extra[i].value;
	}
	*out = ch;
	return n;
}

static void snapshot_free(struct idea_change *ch, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ch[i].name[0] == 'x' && ch[i].name[1] == ':')
			free(ch[i].name); /* no field code has a colon */
	free(ch);
}

int st_create(struct store_txn *t, const struct store_actor *actor,
	      struct idea *idea, enum log_kind kind, const char *text,
	      int checked, struct fai_err *err)
{
	unsigned char id[UUID_LEN];
	char idtext[UUID_STR_LEN];
	uint64_t next;
	struct log_entry e;
	struct idea_change *ch = NULL;
	size_t nch;
	int rc;

	if (!idea_get(idea, IDEA_ID)[0]) {
		uuid_generate(id);
		uuid_format(id, idtext);
		idea_set_raw(idea, IDEA_ID, idtext);
	}
	if (!idea_get(idea, IDEA_STAGE)[0])
		idea_set_raw(idea, IDEA_STAGE, stage_code(STAGE_NEED));
	if (!idea_get(idea, IDEA_CREATED_AT)[0])
		idea_set_time(idea, IDEA_CREATED_AT, actor->now);
	if (!idea_get(idea, IDEA_STAGE_SINCE)[0])
		idea_set_time(idea, IDEA_STAGE_SINCE, actor->now);
	/* An imported idea keeps who changed it last and when. */
	if (!idea_get(idea, IDEA_UPDATED_AT)[0])
		idea_set_time(idea, IDEA_UPDATED_AT, actor->now);
	if (!idea_get(idea, IDEA_UPDATED_BY)[0])
		idea_set_raw(idea, IDEA_UPDATED_BY, actor->user);
	idea_set_u64(idea, IDEA_REVISION, 1);
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
	rc = indexes_put(t, idea, err);
	if (rc)
		return rc;

	st_log_start(&e, actor, kind, idea);
	e.text = (char *)(uintptr_t)text;
	nch = snapshot(idea, &ch);
	e.changes = ch;
	e.nchanges = nch;
	rc = st_log_append(t, &e, err);
	snapshot_free(ch, nch);
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
		ch[nch].before = xasprintf("%llu",
					   (unsigned long long)before->rank);
		ch[nch].after = xasprintf("%llu",
					  (unsigned long long)after->rank);
		nch++;
	}
	e.changes = ch;
	e.nchanges = nch;
	e.text = (char *)(uintptr_t)text;
	e.forced = forced;
	e.target = target;
	rc = st_log_append(t, &e, err);
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
		rc = idea_set(after, a->sets[i].field, a->sets[i].value, 0,
			      err);
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
	struct edit_arg a = {actor, ref_or_id, sets, nsets, NULL, expect_rev, 0};
	int rc = store_write(s, edit_txn, &a, err);
	if (!rc && rev)
		*rev = a.rev;
	return rc;
}

int store_idea_replace(struct store *s, const struct store_actor *actor,
		       const struct idea *edited, uint64_t expect_rev,
		       uint64_t *rev, struct fai_err *err)
{
	struct edit_arg a = {actor, idea_get(edited, IDEA_ID)[0]
					    ? idea_get(edited, IDEA_ID)
					    : idea_get(edited, IDEA_REF),
			     NULL, 0, edited, expect_rev, 0};
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
	struct move_arg a = {actor, ref_or_id, to, reason, force, expect_rev,
			     0};
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
	e.text = (char *)(uintptr_t)a->text;
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
		       uint64_t expect_rev, uint64_t *rev,
		       struct fai_err *err)
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
static int rank_between(struct store_txn *t, const struct idea *idea,
			int delta, uint64_t *rank, struct fai_err *err)
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
		far = delta < 0 ? (near > STORE_RANK_GAP ? near - STORE_RANK_GAP
							 : 0)
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

/* ------------------------------------------------------------ undo */

static int undoable(enum log_kind k)
{
	return k == LOG_CREATE || k == LOG_EDIT || k == LOG_MOVE ||
	       k == LOG_COMMENT || k == LOG_REORDER || k == LOG_CONFIG;
}

/* Finds the entry to undo: seq itself, or the user's last one not undone
 * yet.  Walks the log from its end, noting what UNDO entries undid. */
static int undo_find(struct store_txn *t, const char *user, uint64_t seq,
		     struct log_entry *out, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	uint64_t *undone = NULL;
	size_t nundone = 0;
	int found = 0;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_LOG], &c);
	if (rc)
		return st_fail(t, rc, err, "log");
	rc = mdb_cursor_get(c, &key, &val, MDB_LAST);
	while (rc == 0 && !found) {
		struct log_entry e;
		uint64_t s = codec_get_u64(key.mv_data);
		if (seq && s < seq)
			break;
		if (codec_log_decode(val.mv_data, val.mv_size, s, &e) < 0) {
			rc = fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL,
					 "log");
			break;
		}
		int done = 0;
		for (size_t i = 0; i < nundone; i++)
			done |= undone[i] == s;
		if (seq && s == seq && e.kind == LOG_UNDO && !done) {
			*out = e; /* undoing an undo: a redo */
			found = 1;
			continue;
		} else if (e.kind == LOG_UNDO) {
			/* An undo that was itself undone (redone) undid
			 * nothing that still counts. */
			if (!done) {
				undone = xrealloc(undone, (nundone + 1) *
								  sizeof(*undone));
				undone[nundone++] = e.target;
			}
		} else if (!done && undoable(e.kind) &&
			   (seq ? s == seq
				: (e.user && strcmp(e.user, user) == 0))) {
			*out = e;
			found = 1;
			continue;
		} else if (seq && s == seq) {
			log_entry_clear(&e);
			break;
		}
		log_entry_clear(&e);
		rc = mdb_cursor_get(c, &key, &val, MDB_PREV);
	}
	mdb_cursor_close(c);
	free(undone);
	if (found)
		return 0;
	if (rc && rc != MDB_NOTFOUND)
		return rc < 0 ? rc : st_fail(t, rc, err, "log");
	return fai_err_set(err, FAI_ENOTHING, FAI_WHY_NONE, "user", user);
}

/* Undoes a CREATE: the idea goes, the log keeps every value it had. */
static int undo_create(struct store_txn *t, const struct store_actor *actor,
		       struct idea *idea, uint64_t target, struct fai_err *err)
{
	unsigned char id[UUID_LEN], k[8];
	const char *ref = idea_get(idea, IDEA_REF);
	struct log_entry e;
	struct idea_change *ch = NULL;
	size_t nch;
	int rc = st_order_del(t, idea, err);
	if (!rc)
		rc = st_count_add(t, idea_stage(idea), -1, err);
	if (!rc && uuid_parse(idea_get(idea, IDEA_ID), id) == 0)
		rc = st_del(t, DB_BY_ID, id, UUID_LEN, err);
	if (!rc)
		rc = st_del(t, DB_BY_REF, ref, strlen(ref), err);
	codec_put_u64(k, idea->key);
	if (!rc)
		rc = st_del(t, DB_IDEAS, k, 8, err);
	if (!rc)
		rc = st_del(t, DB_EXCHANGED, k, 8, err);
	if (rc)
		return rc;
	st_log_start(&e, actor, LOG_UNDO, idea);
	e.revision = idea_revision(idea) + 1;
	e.target = target;
	struct idea *empty = idea_new();
	nch = idea_diff(idea, empty, 0, &ch);
	idea_free(empty);
	e.changes = ch;
	e.nchanges = nch;
	rc = st_log_append(t, &e, err);
	idea_changes_free(ch, nch);
	return rc;
}

static int undo_config(struct store_txn *t, const struct store_actor *actor,
		       const struct log_entry *target, struct fai_err *err)
{
	struct log_entry e;
	struct idea_change back;
	if (target->nchanges != 1 || !target->changes[0].name)
		return fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL, "log");
	const struct idea_change *c = &target->changes[0];
	int rc = st_meta_write(t, c->name, c->before ? c->before : "", err);
	if (rc)
		return rc;
	st_log_start(&e, actor, LOG_UNDO, NULL);
	back.name = c->name;
	back.before = c->after;
	back.after = c->before;
	e.changes = &back;
	e.nchanges = 1;
	e.target = target->seq;
	return st_log_append(t, &e, err);
}

/* Redoes a CREATE that an UNDO removed: the idea comes back under its key,
 * id and reference, with the values the UNDO entry kept. */
static int undo_recreate(struct store_txn *t, const struct store_actor *actor,
			 const struct log_entry *u, struct fai_err *err)
{
	struct idea *idea = idea_new();
	struct log_entry e;
	struct idea_change *ch = NULL;
	size_t nch;
	int rc;

	idea->key = u->idea_key;
	for (size_t i = 0; i < u->nchanges; i++) {
		int f = u->changes[i].name ? idea_field_parse(u->changes[i].name)
					   : -1;
		if (f >= 0)
			idea_set_raw(idea, f, u->changes[i].before);
	}
	idea_set_u64(idea, IDEA_REVISION, u->revision);
	st_idea_touch(idea, actor);
	rc = st_rank_next(t, idea_stage(idea), &idea->rank, err);
	if (!rc)
		rc = st_idea_store(t, idea, MDB_NOOVERWRITE, err);
	if (!rc)
		rc = indexes_put(t, idea, err);
	if (rc)
		goto out;
	st_log_start(&e, actor, LOG_UNDO, idea);
	e.target = u->seq;
	nch = snapshot(idea, &ch);
	e.changes = ch;
	e.nchanges = nch;
	rc = st_log_append(t, &e, err);
	snapshot_free(ch, nch);
out:
	idea_free(idea);
	return rc;
}

/* Says whether the idea's log entries after e cancel out: each was undone
 * since, or is a live undo of one of them.  The idea is then as e left it
 * although its revision moved on (a user walking back through their own
 * actions).  Returns 1, 0 (something after e is still in effect: a
 * conflict), or a negative error. */
static int undo_later_cancel(struct store_txn *t, const struct log_entry *e,
			     struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	uint64_t *seqs = NULL, *undone;
	size_t n = 0, nundone = 0;
	int ok = 1;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_LOG_IDEA], &c);
	if (rc)
		return st_fail(t, rc, err, "log_idea");
	codec_pair_key(pk, e->idea_key, e->seq + 1);
	key.mv_size = sizeof(pk);
	key.mv_data = pk;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	while (rc == 0 && key.mv_size == sizeof(pk) &&
	       codec_get_u64(key.mv_data) == e->idea_key) {
		seqs = xrealloc(seqs, (n + 1) * sizeof(*seqs));
		seqs[n++] = codec_get_u64((unsigned char *)key.mv_data + 8);
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND) {
		free(seqs);
		return st_fail(t, rc, err, "log_idea");
	}
	rc = 0;
	/* Newest first, as undo_find: a live UNDO marks its target undone. */
	undone = xcalloc(n ? n : 1, sizeof(*undone));
	for (size_t i = n; i-- > 0 && ok && !rc;) {
		struct log_entry l;
		int done = 0;
		rc = st_log_read(t, seqs[i], &l, err);
		if (rc)
			break;
		for (size_t j = 0; j < nundone; j++)
			done |= undone[j] == seqs[i];
		if (!done && l.kind == LOG_UNDO && l.target > e->seq)
			undone[nundone++] = l.target;
		else if (!done)
			ok = 0;
		log_entry_clear(&l);
	}
	free(seqs);
	free(undone);
	return rc ? rc : ok;
}

/* Follows e's UNDO targets down to the action at the root of the chain;
 * *depth counts the UNDO entries on the way (0: e is that action). */
static int undo_root(struct store_txn *t, const struct log_entry *e,
		     enum log_kind *kind, uint64_t *seq, unsigned *depth,
		     struct fai_err *err)
{
	uint64_t target = e->target;
	*kind = e->kind;
	*seq = e->seq;
	*depth = 0;
	while (*kind == LOG_UNDO) {
		struct log_entry l;
		if (target == 0 || target >= *seq)
			return fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, "log",
					   NULL);
		int rc = st_log_read(t, target, &l, err);
		if (rc)
			return rc;
		(*depth)++;
		*kind = l.kind;
		*seq = l.seq;
		target = l.target;
		log_entry_clear(&l);
	}
	return 0;
}

struct undo_arg {
	const struct store_actor *actor;
	uint64_t seq;
	struct log_entry target;
};

static int undo_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct undo_arg *a = arg;
	struct log_entry *e = &a->target;
	struct idea *before = NULL, *after = NULL;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	enum log_kind root;
	uint64_t root_seq;
	unsigned depth;
	int rc;

	log_entry_clear(e);
	memset(e, 0, sizeof(*e));
	rc = undo_find(t, a->actor->user, a->seq, e, err);
	if (rc)
		return rc;
	if (e->kind == LOG_CONFIG ||
	    (e->kind == LOG_UNDO && !e->idea_key))
		return undo_config(t, a->actor, e, err);
	rc = st_idea_load(t, e->idea_key, &before, err);
	if (rc == -FAI_ENOTFOUND && e->kind == LOG_UNDO) {
		fai_err_clear(err);
		return undo_recreate(t, a->actor, e, err);
	}
	if (rc == -FAI_ENOTFOUND)
		fai_err_set(err, FAI_ENOTFOUND, FAI_WHY_NONE, "ref", e->ref);
	if (rc)
		return rc;
	if (idea_revision(before) != e->revision) {
		rc = undo_later_cancel(t, e, err);
		if (rc < 0)
			goto out;
	}
	if (idea_revision(before) != e->revision && rc == 0) {
		fai_err_set(err, FAI_ECONFLICT, FAI_WHY_NONE, "revision",
			    e->ref);
		fai_err_detail(err, "%llu %llu %s",
			       (unsigned long long)e->revision,
			       (unsigned long long)idea_revision(before),
			       idea_get(before, IDEA_UPDATED_BY));
		rc = -FAI_ECONFLICT;
		goto out;
	}
	/* Undoing a redo of a create removes the idea again; undoing the
	 * undo of a comment (a redo) puts the comment back. */
	rc = undo_root(t, e, &root, &root_seq, &depth, err);
	if (rc)
		goto out;
	if (root == LOG_CREATE && depth % 2 == 0) {
		rc = undo_create(t, a->actor, before, e->seq, err);
		goto out;
	}
	after = idea_clone(before);
	if (root == LOG_COMMENT) {
		codec_pair_key(pk, before->key, root_seq);
		rc = depth % 2 ? st_put(t, DB_COMMENTS, pk, sizeof(pk), "", 0, 0,
				     err)
			       : st_del(t, DB_COMMENTS, pk, sizeof(pk), err);
		if (rc)
			goto out;
	}
	for (size_t i = 0; i < e->nchanges; i++) {
		const struct idea_change *c = &e->changes[i];
		if (!c->name)
			continue;
		if (strcmp(c->name, "rank") == 0) {
			after->rank = c->before ? strtoull(c->before, NULL, 10)
						: 0;
			continue;
		}
		int f = idea_field_parse(c->name);
		if (f >= 0)
			idea_set_raw(after, f, c->before);
	}
	rc = st_idea_update(t, a->actor, before, after, LOG_UNDO,
			 e->kind == LOG_COMMENT ? e->text : NULL, 0, e->seq,
			 err);
out:
	idea_free(before);
	idea_free(after);
	return rc;
}

int store_undo(struct store *s, const struct store_actor *actor,
	       uint64_t seq, struct log_entry *undone, struct fai_err *err)
{
	struct undo_arg a;
	memset(&a, 0, sizeof(a));
	a.actor = actor;
	a.seq = seq;
	int rc = store_write(s, undo_txn, &a, err);
	if (!rc && undone)
		*undone = a.target;
	else
		log_entry_clear(&a.target);
	return rc;
}

int store_log_last(struct store *s, uint64_t *seq, struct fai_err *err)
{
	struct store_txn t;
	MDB_cursor *c;
	MDB_val key, val;
	int rc = st_rd_begin(s, &t, err);
	*seq = 0;
	if (rc)
		return rc;
	rc = mdb_cursor_open(t.txn, s->dbi[DB_LOG], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "log");
		goto end;
	}
	rc = mdb_cursor_get(c, &key, &val, MDB_LAST);
	if (rc == 0 && key.mv_size == 8)
		*seq = codec_get_u64(key.mv_data);
	mdb_cursor_close(c);
	rc = rc == MDB_NOTFOUND || rc == 0 ? 0 : st_fail(NULL, rc, err, "log");
end:
	st_rd_end(&t);
	return rc;
}

uint64_t store_my_last_seq(const struct store *s)
{
	return s->my_seq;
}

int store_log_get(struct store *s, uint64_t seq, struct log_entry *e,
		  struct fai_err *err)
{
	struct store_txn t;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = st_log_read(&t, seq, e, err);
	st_rd_end(&t);
	return rc;
}

int store_stage_count_after(struct store *s, enum stage stage,
			    const struct store_pos *pos, uint64_t *n,
			    struct fai_err *err)
{
	struct store_txn t;
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char k[CODEC_ORDER_KEY_LEN];
	int rc = st_rd_begin(s, &t, err);
	*n = 0;
	if (rc)
		return rc;
	rc = mdb_cursor_open(t.txn, s->dbi[DB_ORDER], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "order");
		goto end;
	}
	codec_order_key(k, (int)stage, pos->rank, pos->key);
	key.mv_size = sizeof(k);
	key.mv_data = k;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	if (rc == 0 && key.mv_size == sizeof(k) &&
	    memcmp(key.mv_data, k, sizeof(k)) == 0)
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	/* Only keys are read: no record is decoded. */
	while (rc == 0 && key.mv_size == sizeof(k) &&
	       ((unsigned char *)key.mv_data)[0] == (unsigned char)stage) {
		(*n)++;
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	rc = rc == MDB_NOTFOUND || rc == 0 ? 0 : st_fail(NULL, rc, err, "order");
end:
	st_rd_end(&t);
	return rc;
}
