/* search.c - the board's search text from the store (core/textindex.h):
 * every idea and its comments read once, then kept up to date by reading
 * again only the ideas the log names after the index's last entry.  Each
 * call is one read transaction. */
#include "store.h"

#include <lmdb.h>
#include <stdlib.h>
#include <string.h>

#include "../core/textindex.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "internal.h"

/* More changed ideas than this since the index's last entry (an import):
 * reading everything again costs less than reading each. */
#define TEXT_UPDATE_MAX 4096

/* The last log entry's seq (0: none) in t. */
static int last_seq(struct store *s, struct store_txn *t, uint64_t *seq,
		    struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	*seq = 0;
	int rc = mdb_cursor_open(t->txn, s->dbi[DB_LOG], &c);
	if (rc)
		return st_fail(NULL, rc, err, "log");
	rc = mdb_cursor_get(c, &key, &val, MDB_LAST);
	if (rc == 0 && key.mv_size == 8)
		*seq = codec_get_u64(key.mv_data);
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND || rc == 0 ? 0
					     : st_fail(NULL, rc, err, "log");
}

/* Puts the comments of idea key (all of them, when key is 0: the
 * comments index walked once) into x. */
static int comments_put(struct store *s, struct store_txn *t,
			struct text_index *x, uint64_t idea,
			struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	int rc = mdb_cursor_open(t->txn, s->dbi[DB_COMMENTS], &c);
	if (rc)
		return st_fail(NULL, rc, err, "comments");
	codec_pair_key(pk, idea, 0);
	key.mv_size = sizeof(pk);
	key.mv_data = pk;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	while (rc == 0) {
		struct log_entry e;
		if (key.mv_size != CODEC_PAIR_KEY_LEN) {
			rc = st_damaged_at(err, DB_COMMENTS, 0);
			break;
		}
		uint64_t k = codec_get_u64(key.mv_data);
		if (idea && k != idea)
			break;
		uint64_t seq = codec_get_u64((unsigned char *)key.mv_data + 8);
		rc = st_log_read(t, seq, &e, err);
		if (rc == -FAI_ENOTFOUND ||
		    (rc == 0 && (e.idea_key != k || e.kind != LOG_COMMENT))) {
			if (rc == 0)
				log_entry_clear(&e);
			rc = st_damaged_at(err, DB_COMMENTS, seq);
			break;
		}
		if (rc)
			break;
		text_index_comment(x, k, e.text);
		log_entry_clear(&e);
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		return 0;
	return rc > 0 ? st_fail(NULL, rc, err, "comments") : rc;
}

/* Puts idea key again from t, or drops it when it is gone. */
static int idea_put(struct store_txn *t, struct text_index *x, uint64_t key,
		    struct codec_arena *arena, struct fai_err *err)
{
	unsigned char k[8];
	MDB_val rec;
	struct idea_view view;
	codec_put_u64(k, key);
	int rc = st_get(t, DB_IDEAS, k, 8, &rec);
	if (rc == MDB_NOTFOUND) {
		text_index_drop(x, key);
		return 0;
	}
	if (rc)
		return st_fail(t, rc, err, "ideas");
	if (codec_idea_view(rec.mv_data, rec.mv_size, key, &view, arena) < 0)
		return st_damaged_at(err, DB_IDEAS, key);
	text_index_put(x, &view);
	return 0;
}

int store_text_index_build(struct store *s, struct text_index *x,
			   struct fai_err *err)
{
	struct store_txn t;
	struct codec_arena arena;
	MDB_cursor *c;
	MDB_val key, val;
	uint64_t seq = 0;
	memset(&arena, 0, sizeof(arena));
	text_index_free(x);
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = last_seq(s, &t, &seq, err);
	if (rc)
		goto end;
	rc = mdb_cursor_open(t.txn, s->dbi[DB_IDEAS], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "ideas");
		goto end;
	}
	rc = mdb_cursor_get(c, &key, &val, MDB_FIRST);
	while (rc == 0) {
		struct idea_view view;
		if (key.mv_size != 8) {
			rc = st_damaged(err, DB_IDEAS, NULL);
			break;
		}
		uint64_t k = codec_get_u64(key.mv_data);
		if (codec_idea_view(val.mv_data, val.mv_size, k, &view,
				    &arena) < 0) {
			rc = st_damaged_at(err, DB_IDEAS, k);
			break;
		}
		text_index_put(x, &view);
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc > 0)
		rc = st_fail(NULL, rc, err, "ideas");
	if (rc == 0)
		rc = comments_put(s, &t, x, 0, err);
end:
	st_rd_end(&t);
	codec_arena_free(&arena);
	if (rc) {
		text_index_free(x);
		return rc;
	}
	x->built = 1;
	x->seq = seq;
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int store_text_index_update(struct store *s, struct text_index *x,
			    struct fai_err *err)
{
	struct store_txn t;
	struct codec_arena arena;
	MDB_cursor *c;
	MDB_val key, val;
	uint64_t seq = 0, *keys = NULL;
	size_t n = 0, cap = 0;
	int again = 0;
	if (!x->built)
		return store_text_index_build(s, x, err);
	memset(&arena, 0, sizeof(arena));
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	rc = last_seq(s, &t, &seq, err);
	if (rc || seq == x->seq)
		goto end;
	if (seq < x->seq) { /* another store's log: read it all */
		again = 1;
		goto end;
	}
	/* the ideas the log names after x->seq */
	rc = mdb_cursor_open(t.txn, s->dbi[DB_LOG], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "log");
		goto end;
	}
	unsigned char from[8];
	codec_put_u64(from, x->seq + 1);
	key.mv_size = sizeof(from);
	key.mv_data = from;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	while (rc == 0) {
		struct log_entry e;
		if (key.mv_size != 8) {
			rc = st_damaged(err, DB_LOG, NULL);
			break;
		}
		uint64_t at = codec_get_u64(key.mv_data);
		if (at > seq)
			break;
		if (codec_log_decode(val.mv_data, val.mv_size, at, &e) < 0) {
			rc = st_damaged_at(err, DB_LOG, at);
			break;
		}
		uint64_t idea = e.idea_key;
		log_entry_clear(&e);
		if (idea) {
			if (n == TEXT_UPDATE_MAX) {
				again = 1;
				break;
			}
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				keys = xrealloc(keys, cap * sizeof(*keys));
			}
			keys[n++] = idea;
		}
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc > 0)
		rc = st_fail(NULL, rc, err, "log");
	if (rc || again)
		goto end;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (i > 0 && keys[i] == keys[i - 1])
			continue;
		rc = idea_put(&t, x, keys[i], &arena, err);
		if (rc == 0) {
			text_index_comments_clear(x, keys[i]);
			rc = comments_put(s, &t, x, keys[i], err);
		}
	}
	if (rc == 0)
		x->seq = seq;
end:
	st_rd_end(&t);
	codec_arena_free(&arena);
	free(keys);
	if (again)
		return store_text_index_build(s, x, err);
	return rc;
}
