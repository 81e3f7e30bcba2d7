/* prim.c - the primitives every part of the store is built on: LMDB's
 * errors turned into ours, get/put/del on a named database, the meta values
 * (each sealed, but the schema version), the stage counts, loading and
 * writing an idea record, finding an idea by reference or UUID with its
 * index checked against it, the board order, and appending to and reading
 * the activity log.  Everything here runs inside a transaction the caller
 * holds (store_write, st_rd_begin).
 *
 * The store is one LMDB environment (env.c) with these named databases:
 *   meta      text key -> text value: schema, region, demo, next_key,
 *             seq:<region> (last reference number), count:<stage>,
 *             config:<key>, csv:extras
 *   ideas     u64 key -> idea record (codec.c); keys only grow, so bulk
 *             insertion appends
 *   by_id     16-byte UUID -> u64 key
 *   by_ref    reference text -> u64 key
 *   order     (u8 stage, u64 rank, u64 key) -> empty: the board's columns
 *   log       u64 seq -> log record: the append-only activity log
 *   log_idea  (u64 key, u64 seq) -> empty: each idea's history
 *   comments  (u64 key, u64 seq) -> empty: live comments; text in the log
 *   exchanged u64 key -> what was last exchanged (export.c, import.c) */
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
    "meta", "ideas",	"by_id",    "by_ref",	 "order",
    "log",  "log_idea", "comments", "exchanged",
};

/* ---------------------------------------------------------------- errors */

/* Turns an LMDB return code into ours, noting a full map for a retry. */
int st_fail(struct store_txn *t, int rc, struct fai_err *err, const char *what)
{
	if (rc == MDB_MAP_FULL && t)
		t->map_full = 1;
	if (rc == ENOSPC || rc == EDQUOT) {
		fai_err_set(err, FAI_ENOSPACE, FAI_WHY_NONE, NULL,
			    t ? t->s->path : NULL);
		fai_err_detail(err, "%s", strerror(rc));
		if (err)
			err->sys_errno = rc;
		return -FAI_ENOSPACE;
	}
	if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ||
	    rc == MDB_INVALID || rc == MDB_BAD_TXN || rc == MDB_INCOMPATIBLE) {
		fai_err_set_about(err, FAI_ESTORE, FAI_WHY_DAMAGED,
				  FAI_ABOUT_STORE_DB, what, NULL);
		fai_err_detail(err, "%s", mdb_strerror(rc));
		return -FAI_ESTORE;
	}
	/* what: the database or the step that failed, shown beside
	 * LMDB's own words */
	fai_err_set_about(err, FAI_ESTORE, FAI_WHY_NONE, FAI_ABOUT_STORE_DB,
			  what, NULL);
	fai_err_detail(err, "%s", mdb_strerror(rc));
	if (err && rc > 0)
		err->sys_errno = rc; /* an errno, not one of LMDB's codes */
	return -FAI_ESTORE;
}

/* What a damaged record of db is, for the sentence tui/ composes. */
static int st_db_about(enum store_dbi db)
{
	switch (db) {
	case DB_IDEAS:
		return FAI_ABOUT_IDEA_RECORD;
	case DB_LOG:
	case DB_LOG_IDEA:
		return FAI_ABOUT_LOG_RECORD;
	case DB_META:
		return FAI_ABOUT_META_RECORD;
	default:
		return FAI_ABOUT_INDEX;
	}
}

int st_damaged(struct fai_err *err, enum store_dbi db, const char *where)
{
	return fai_err_set_about(err, FAI_ESTORE, FAI_WHY_DAMAGED,
				 st_db_about(db), store_db_names[db], where);
}

/* st_damaged for the record under an integer key (shown "#42"). */
int st_damaged_at(struct fai_err *err, enum store_dbi db, uint64_t key)
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

int st_get(struct store_txn *t, enum store_dbi db, const void *k, size_t kn,
	   MDB_val *v)
{
	MDB_val key = {kn, (void *)(uintptr_t)k};
	return mdb_get(t->txn, t->s->dbi[db], &key, v);
}

int st_put(struct store_txn *t, enum store_dbi db, const void *k, size_t kn,
	   const void *v, size_t vn, unsigned flags, struct fai_err *err)
{
	MDB_val key = {kn, (void *)(uintptr_t)k};
	MDB_val val = {vn, (void *)(uintptr_t)v};
	int rc = mdb_put(t->txn, t->s->dbi[db], &key, &val, flags);
	if (rc)
		return st_fail(t, rc, err, store_db_names[db]);
	return 0;
}

int st_del(struct store_txn *t, enum store_dbi db, const void *k, size_t kn,
	   struct fai_err *err)
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
		return st_damaged_at(err, DB_IDEAS, key);
	return 0;
}

/* Loads the idea of a board-order entry (stage, rank, key), checking that
 * the idea is at that stage and rank: a damaged entry is refused rather
 * than shown as another card. */
int st_order_load(struct store_txn *t, const MDB_val *ok, struct idea **out,
		  struct fai_err *err)
{
	const unsigned char *p = ok->mv_data;
	char where[48];
	if (ok->mv_size != CODEC_ORDER_KEY_LEN)
		return st_damaged(err, DB_ORDER, NULL);
	int rc = st_idea_load(t, codec_get_u64(p + 9), out, err);
	if (rc == -FAI_ENOTFOUND ||
	    (rc == 0 && ((int)idea_stage(*out) != p[0] ||
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
int st_idea_store(struct store_txn *t, const struct idea *idea, unsigned flags,
		  struct fai_err *err)
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
int st_log_append(struct store_txn *t, struct log_entry *e, struct fai_err *err)
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
		return st_damaged_at(err, DB_LOG, seq);
	return 0;
}

/* Fills the parts of a log entry every action shares. */
void st_log_start(struct log_entry *e, const struct store_actor *actor,
		  enum log_kind kind, const struct idea *idea)
{
	memset(e, 0, sizeof(*e));
	e->at = actor->now;
	e->user = actor->user;
	e->client = actor->client;
	e->kind = kind;
	if (idea) {
		e->idea_key = idea->key;
		snprintf(e->id, sizeof(e->id), "%s", idea_get(idea, IDEA_ID));
		snprintf(e->ref, sizeof(e->ref), "%s",
			 idea_get(idea, IDEA_REF));
		e->revision = idea_revision(idea);
	}
}
