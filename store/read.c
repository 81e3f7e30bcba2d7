/* read.c - the store's reading calls: meta values and settings (and
 * setting one, logged), an idea by reference, UUID or key, the stage
 * counts, the board's pages of a column, every idea in board order, the
 * log of the store or of one idea, an idea's comments.  Each call is one
 * short read transaction, never kept (a board idle over SSH must not pin
 * old pages). */
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

int store_settings(struct store *s, struct fai_settings *set,
		   struct fai_err *err)
{
	settings_default(set);
	for (size_t i = 0; i < config_key_count(); i++) {
		const char *key = config_key_name(i);
		char *v = NULL;
		int rc = store_config_get(s, key, &v, err);
		if (rc) {
			settings_default(set);
			return rc;
		}
		settings_take(set, key, v);
		free(v);
	}
	return 0;
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
	struct log_change ch;
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
	ch.before = old;
	ch.after = a->value;
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
		rc = st_order_load(&t, &key, &idea, err);
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
	rc = rc == 0		  ? mdb_cursor_get(c, &key, &val, MDB_PREV)
	     : rc == MDB_NOTFOUND ? mdb_cursor_get(c, &key, &val, MDB_LAST)
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
		MDB_val ok = {CODEC_ORDER_KEY_LEN,
			      keys + CODEC_ORDER_KEY_LEN * i};
		rc = st_order_load(&t, &ok, &idea, err);
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

/* Ends a walk of a cursor: fn's own value when it stopped the walk
 * (whatever its sign), 0 at the end, else LMDB's error as ours; closes
 * the cursor. */
static int walk_done(MDB_cursor *c, int rc, int stop, struct fai_err *err,
		     const char *what)
{
	if (stop)
		rc = stop;
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc > 0)
		rc = st_fail(NULL, rc, err, what);
	mdb_cursor_close(c);
	return rc;
}

int store_idea_foreach(struct store *s,
		       int (*fn)(const struct idea *idea, void *arg), void *arg,
		       struct fai_err *err)
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
		rc = st_order_load(&t, &key, &idea, err);
		if (rc)
			break;
		stop = fn(idea, arg);
		idea_free(idea);
		if (stop)
			break;
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	rc = walk_done(c, rc, stop, err, "order");
end:
	st_rd_end(&t);
	return rc;
}

int store_idea_foreach_view(struct store *s,
			    int (*fn)(const struct idea_view *idea, void *arg),
			    void *arg, struct fai_err *err)
{
	struct store_txn t;
	struct codec_arena arena;
	struct idea_view view;
	MDB_cursor *c;
	MDB_val key, val;
	int stop = 0;
	memset(&arena, 0, sizeof(arena));
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
		const unsigned char *p = key.mv_data;
		MDB_val rec;
		if (key.mv_size != CODEC_ORDER_KEY_LEN) {
			rc = st_damaged(err, DB_ORDER, NULL);
			break;
		}
		uint64_t k = codec_get_u64(p + 9);
		rc = st_get(&t, DB_IDEAS, p + 9, 8, &rec);
		if (rc && rc != MDB_NOTFOUND) {
			rc = st_fail(&t, rc, err, "ideas");
			break;
		}
		/* as st_order_load: the entry names an idea at that stage
		 * and rank, or the order index is damaged */
		if (rc == MDB_NOTFOUND ||
		    codec_idea_view(rec.mv_data, rec.mv_size, k, &view,
				    &arena) < 0 ||
		    (int)idea_view_stage(&view) != p[0] ||
		    view.rank != codec_get_u64(p + 1)) {
			char where[48];
			snprintf(where, sizeof(where), "#%llu",
				 (unsigned long long)k);
			rc = st_damaged(err, DB_ORDER, where);
			break;
		}
		stop = fn(&view, arg);
		if (stop)
			break;
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	rc = walk_done(c, rc, stop, err, "order");
end:
	st_rd_end(&t);
	codec_arena_free(&arena);
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
	rc =
	    mdb_cursor_open(t.txn, s->dbi[idea_key ? DB_LOG_IDEA : DB_LOG], &c);
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
				rc = st_damaged_at(err, DB_LOG_IDEA, seq);
			}
		} else {
			uint64_t seq =
			    key.mv_size == 8 ? codec_get_u64(key.mv_data) : 0;
			if (!seq || codec_log_decode(val.mv_data, val.mv_size,
						     seq, &e) < 0)
				rc = st_damaged_at(err, DB_LOG, seq);
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
	rc = walk_done(c, rc, stop, err, "log");
end:
	st_rd_end(&t);
	return rc;
}

int store_comments(struct store *s, uint64_t idea_key, struct log_entry **out,
		   size_t *n, struct fai_err *err)
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
		    (rc == 0 &&
		     (e.idea_key != idea_key || e.kind != LOG_COMMENT))) {
			if (rc == 0)
				log_entry_clear(&e);
			rc = st_damaged_at(err, DB_COMMENTS, seq);
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

/* Reads the comments of idea from the pair the cursor is on (the first
 * of that idea, in key and val) until one holds needle: 1 when one does,
 * 0 when none does, or an error.  Leaves the cursor anywhere. */
static int comments_hold(struct store_txn *t, MDB_cursor *c, MDB_val *key,
			 MDB_val *val, uint64_t idea, const char *needle,
			 struct buf *scratch, struct fai_err *err)
{
	int rc = 0;
	while (rc == 0) {
		struct log_entry e;
		if (key->mv_size != CODEC_PAIR_KEY_LEN)
			return st_damaged_at(err, DB_COMMENTS, 0);
		if (codec_get_u64(key->mv_data) != idea)
			return 0;
		uint64_t seq = codec_get_u64((unsigned char *)key->mv_data + 8);
		rc = st_log_read(t, seq, &e, err);
		if (rc == -FAI_ENOTFOUND ||
		    (rc == 0 &&
		     (e.idea_key != idea || e.kind != LOG_COMMENT))) {
			if (rc == 0)
				log_entry_clear(&e);
			return st_damaged_at(err, DB_COMMENTS, seq);
		}
		if (rc)
			return rc;
		int found = utf8_search_folded(e.text, needle, scratch);
		log_entry_clear(&e);
		if (found)
			return 1;
		rc = mdb_cursor_get(c, key, val, MDB_NEXT);
	}
	return rc == MDB_NOTFOUND ? 0 : st_fail(NULL, rc, err, "comments");
}

int store_comments_search(struct store *s, const char *text, uint64_t **keys,
			  size_t *n, struct fai_err *err)
{
	struct store_txn t;
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	struct buf needle, scratch;
	uint64_t from = 0; /* the first idea key not yet read */
	*keys = NULL;
	*n = 0;
	if (text == NULL || text[0] == '\0')
		return 0;
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	buf_init(&needle);
	buf_init(&scratch);
	utf8_fold(&needle, text);
	rc = mdb_cursor_open(t.txn, s->dbi[DB_COMMENTS], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "comments");
		goto end;
	}
	for (;;) {
		codec_pair_key(pk, from, 0);
		key.mv_size = sizeof(pk);
		key.mv_data = pk;
		rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
		if (rc == MDB_NOTFOUND) {
			rc = 0;
			break;
		}
		if (rc) {
			rc = st_fail(NULL, rc, err, "comments");
			break;
		}
		if (key.mv_size != sizeof(pk)) {
			rc = st_damaged_at(err, DB_COMMENTS, 0);
			break;
		}
		uint64_t idea = codec_get_u64(key.mv_data);
		rc = comments_hold(&t, c, &key, &val, idea, needle.data,
				   &scratch, err);
		if (rc < 0)
			break;
		if (rc == 1) {
			*keys = xrealloc(*keys, (*n + 1) * sizeof(**keys));
			(*keys)[(*n)++] = idea;
		}
		rc = 0;
		if (idea == UINT64_MAX)
			break;
		from = idea + 1; /* on to the next idea's comments */
	}
	mdb_cursor_close(c);
end:
	st_rd_end(&t);
	buf_free(&scratch);
	buf_free(&needle);
	if (rc) {
		free(*keys);
		*keys = NULL;
		*n = 0;
	}
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
	rc =
	    rc == MDB_NOTFOUND || rc == 0 ? 0 : st_fail(NULL, rc, err, "order");
end:
	st_rd_end(&t);
	return rc;
}
