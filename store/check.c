/* check.c - `fai check`: every record and every index of the store read in
 * one read transaction and compared.
 *
 * Damage is reported once, where it is: a record whose seal fails (or that
 * does not decode) is a DECODE problem, and what only follows from it (the
 * indexes of a damaged idea, the revisions of a log with damaged entries,
 * the stage counts) is not reported again.  A database LMDB cannot walk
 * (a damaged page) is one UNREADABLE problem, and the check goes on with
 * the next database.  Only an error reading the file itself stops it. */
#include "store.h"

#include <lmdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/uuid.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "internal.h"

const char *store_problem_text(enum store_problem p)
{
	static const char *const text[] = {
#define STORE_X_TEXT(name, t) t,
	    STORE_PROBLEM_LIST(STORE_X_TEXT)
#undef STORE_X_TEXT
	};
	return (unsigned)p < STORE_PROBLEM_COUNT ? text[p] : "";
}

struct check {
	struct store_txn *t;
	store_problem_fn fn;
	void *arg;
	int problems;
	uint64_t nkeys;	    /* next_key: internal keys are below it */
	uint64_t *logrev;   /* last revision seen in the log, per key */
	uint64_t *idearev;  /* revision of each sound idea (0: none) */
	unsigned char *bad; /* per key: its idea record is damaged */
	uint64_t badlog;    /* damaged log entries */
	int badideas;	    /* damaged idea records */
};

/* Reports one problem: kind at where, what note says (db, value, a, b
 * as enum store_note gives them). */
static void problem(struct check *ck, enum store_problem kind,
		    const char *where, enum store_note note, const char *db,
		    const char *value, uint64_t a, uint64_t b)
{
	struct store_problem_info pi = {
	    .kind = kind,
	    .where = where,
	    .note = note,
	    .db = db,
	    .value = value,
	    .a = a,
	    .b = b,
	};
	ck->problems++;
	if (ck->fn)
		ck->fn(&pi, ck->arg);
}

/* After a walk over db stopped with rc: 0 when it reached the end; a
 * damaged page is reported (UNREADABLE) and the check goes on; anything
 * else is an error. */
static int walk_end(struct check *ck, enum store_dbi db, int rc,
		    struct fai_err *err)
{
	if (rc == MDB_NOTFOUND || rc == 0)
		return 0;
	if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ||
	    rc == MDB_BAD_TXN || rc == MDB_INVALID) {
		problem(ck, STORE_PROBLEM_UNREADABLE, store_db_names[db],
			STORE_NOTE_LIB, store_db_names[db], mdb_strerror(rc), 0,
			0);
		return 0;
	}
	return st_fail(NULL, rc, err, store_db_names[db]);
}

static uint64_t key_u64(const MDB_val *k)
{
	return k->mv_size == 8 ? codec_get_u64(k->mv_data) : 0;
}

/* Every meta value but the schema carries its seal. */
static int check_meta(struct check *ck, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	size_t n;
	int rc = mdb_cursor_open(ck->t->txn, ck->t->s->dbi[DB_META], &c);
	if (rc)
		return st_fail(NULL, rc, err, "meta");
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		if (key.mv_size == 6 && memcmp(key.mv_data, "schema", 6) == 0)
			continue;
		if (codec_unseal(val.mv_data, val.mv_size, key.mv_data,
				 key.mv_size, &n) == 0)
			continue;
		char where[64];
		size_t kn = key.mv_size < sizeof(where) - 1 ? key.mv_size
							    : sizeof(where) - 1;
		memcpy(where, key.mv_data, kn);
		where[kn] = '\0';
		problem(ck, STORE_PROBLEM_DECODE, where, STORE_NOTE_DB, "meta",
			NULL, 0, 0);
	}
	mdb_cursor_close(c);
	return walk_end(ck, DB_META, rc, err);
}

/* Whether the index entry k -> v (by_id, by_ref) names idea back. */
static int index_names(enum store_dbi db, const MDB_val *k,
		       const struct idea *idea)
{
	if (db == DB_BY_ID) {
		unsigned char id[UUID_LEN];
		return k->mv_size == UUID_LEN &&
		       uuid_parse(idea_get(idea, IDEA_ID), id) == 0 &&
		       memcmp(id, k->mv_data, UUID_LEN) == 0;
	}
	const char *ref = idea_get(idea, IDEA_REF);
	return strlen(ref) == k->mv_size &&
	       memcmp(ref, k->mv_data, k->mv_size) == 0;
}

/* Looks up an index entry and says whether it points at key. */
static int index_points(struct store_txn *t, enum store_dbi db, const void *k,
			size_t kn, uint64_t key)
{
	MDB_val v;
	return st_get(t, db, k, kn, &v) == 0 && v.mv_size == 8 &&
	       codec_get_u64(v.mv_data) == key;
}

/* Every idea: sound, valid, and its indexes point back at it. */
static int check_ideas(struct check *ck, uint64_t counts[STAGE_COUNT],
		       struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	struct store_txn *t = ck->t;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_IDEAS], &c);
	if (rc)
		return st_fail(NULL, rc, err, "ideas");
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		struct idea *idea;
		struct fai_err verr;
		char where[32];
		uint64_t k = key_u64(&key);
		snprintf(where, sizeof(where), "#%llu", (unsigned long long)k);
		if (!k || k >= ck->nkeys ||
		    codec_idea_decode(val.mv_data, val.mv_size, k, &idea) < 0) {
			problem(ck, STORE_PROBLEM_DECODE, where, STORE_NOTE_DB,
				"ideas", NULL, 0, 0);
			if (k && k < ck->nkeys)
				ck->bad[k] = 1;
			ck->badideas++;
			continue;
		}
		const char *ref = idea_get(idea, IDEA_REF);
		fai_err_clear(&verr);
		if (idea_check(idea, &verr) < 0) {
			struct store_problem_info pi = {
			    .kind = STORE_PROBLEM_INVALID,
			    .where = ref,
			    .note = STORE_NOTE_FIELD,
			    .field = verr.field,
			    .value = verr.value,
			};
			ck->problems++;
			if (ck->fn)
				ck->fn(&pi, ck->arg);
		}
		unsigned char id[UUID_LEN], ok[CODEC_ORDER_KEY_LEN];
		if (uuid_parse(idea_get(idea, IDEA_ID), id) < 0 ||
		    !index_points(t, DB_BY_ID, id, UUID_LEN, k))
			problem(ck, STORE_PROBLEM_ID_INDEX, ref,
				STORE_NOTE_VALUE, NULL, idea_get(idea, IDEA_ID),
				0, 0);
		if (!index_points(t, DB_BY_REF, ref, strlen(ref), k))
			problem(ck, STORE_PROBLEM_REF_INDEX, ref,
				STORE_NOTE_VALUE, NULL, ref, 0, 0);
		enum stage st = idea_stage(idea);
		codec_order_key(ok, (int)st, idea->rank, k);
		MDB_val v;
		if (st == STAGE_NONE || st_get(t, DB_ORDER, ok, sizeof(ok), &v))
			problem(ck, STORE_PROBLEM_ORDER_INDEX, ref,
				STORE_NOTE_VALUE, NULL,
				idea_get(idea, IDEA_STAGE), 0, 0);
		if (st != STAGE_NONE)
			counts[st]++;
		ck->idearev[k] = idea_revision(idea);
		idea_free(idea);
	}
	mdb_cursor_close(c);
	return walk_end(ck, DB_IDEAS, rc, err);
}

/* Every index entry points at a sound idea that names it back. */
static int check_index(struct check *ck, enum store_dbi db, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	struct store_txn *t = ck->t;
	enum store_problem p = db == DB_BY_ID	 ? STORE_PROBLEM_ID_INDEX
			       : db == DB_BY_REF ? STORE_PROBLEM_REF_INDEX
						 : STORE_PROBLEM_ORDER_INDEX;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[db], &c);
	if (rc)
		return st_fail(NULL, rc, err, store_db_names[db]);
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		uint64_t k;
		const unsigned char *kp = key.mv_data;
		if (db == DB_ORDER)
			k = key.mv_size == CODEC_ORDER_KEY_LEN
				? codec_get_u64(kp + 9)
				: 0;
		else
			k = val.mv_size == 8 ? codec_get_u64(val.mv_data) : 0;
		char where[40];
		snprintf(where, sizeof(where), "#%llu", (unsigned long long)k);
		if (k && k < ck->nkeys && ck->bad[k])
			continue; /* reported with the idea */
		if (!k || k >= ck->nkeys || !ck->idearev[k]) {
			problem(ck, p, where, STORE_NOTE_NO_IDEA,
				store_db_names[db], NULL, 0, 0);
			continue;
		}
		struct idea *idea;
		if (st_idea_load(t, k, &idea, NULL) < 0) {
			problem(ck, p, where, STORE_NOTE_UNREADABLE_IDEA,
				store_db_names[db], NULL, 0, 0);
			continue;
		}
		if (db == DB_ORDER ? (int)kp[0] != (int)idea_stage(idea) ||
					 codec_get_u64(kp + 1) != idea->rank
				   : !index_names(db, &key, idea))
			problem(ck, p, idea_get(idea, IDEA_REF),
				STORE_NOTE_STALE, store_db_names[db], NULL, 0,
				0);
		idea_free(idea);
	}
	mdb_cursor_close(c);
	return walk_end(ck, db, rc, err);
}

/* The log: every entry sound, the revisions of each idea consecutive from
 * 1 up to the idea's own, each entry about an idea in log_idea. */
static int check_log(struct check *ck, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	struct store_txn *t = ck->t;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_LOG], &c);
	if (rc)
		return st_fail(NULL, rc, err, "log");
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		struct log_entry e;
		char where[32];
		uint64_t seq = key_u64(&key);
		snprintf(where, sizeof(where), "log %llu",
			 (unsigned long long)seq);
		if (!seq ||
		    codec_log_decode(val.mv_data, val.mv_size, seq, &e) < 0) {
			problem(ck, STORE_PROBLEM_DECODE, where, STORE_NOTE_DB,
				"log", NULL, 0, 0);
			ck->badlog++;
			continue;
		}
		if (e.idea_key) {
			unsigned char pk[CODEC_PAIR_KEY_LEN];
			MDB_val v;
			codec_pair_key(pk, e.idea_key, seq);
			if (st_get(t, DB_LOG_IDEA, pk, sizeof(pk), &v))
				problem(ck, STORE_PROBLEM_LOG_INDEX, e.ref,
					STORE_NOTE_LOG_ENTRY, NULL, where, 0,
					0);
			if (e.idea_key >= ck->nkeys) {
				problem(ck, STORE_PROBLEM_LOG_REVISION, e.ref,
					STORE_NOTE_UNKNOWN_IDEA, NULL, where, 0,
					0);
			} else {
				uint64_t *last = &ck->logrev[e.idea_key];
				if (e.revision != *last + 1 && !ck->badlog &&
				    !ck->bad[e.idea_key])
					problem(ck, STORE_PROBLEM_LOG_REVISION,
						e.ref, STORE_NOTE_REVISION_GAP,
						NULL, where, e.revision, *last);
				*last = e.revision;
			}
		}
		log_entry_clear(&e);
	}
	mdb_cursor_close(c);
	rc = walk_end(ck, DB_LOG, rc, err);
	if (rc)
		return rc;
	if (ck->badlog)
		return 0; /* the revisions below would only repeat it */
	for (uint64_t k = 1; k < ck->nkeys; k++)
		if (ck->idearev[k] && ck->idearev[k] != ck->logrev[k]) {
			char where[32];
			snprintf(where, sizeof(where), "#%llu",
				 (unsigned long long)k);
			problem(ck, STORE_PROBLEM_LOG_REVISION, where,
				STORE_NOTE_REVISIONS, NULL, NULL,
				ck->idearev[k], ck->logrev[k]);
		}
	return 0;
}

/* log_idea and comments: each (idea key, seq) pair names a sound entry of
 * that idea (for comments: a live idea and a COMMENT entry). */
static int check_pairs(struct check *ck, enum store_dbi db, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	struct store_txn *t = ck->t;
	enum store_problem p =
	    db == DB_COMMENTS ? STORE_PROBLEM_COMMENT : STORE_PROBLEM_LOG_INDEX;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[db], &c);
	if (rc)
		return st_fail(NULL, rc, err, store_db_names[db]);
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		struct log_entry e;
		uint64_t k = key.mv_size == CODEC_PAIR_KEY_LEN
				 ? codec_get_u64(key.mv_data)
				 : 0;
		uint64_t seq =
		    k ? codec_get_u64((unsigned char *)key.mv_data + 8) : 0;
		char where[48];
		snprintf(where, sizeof(where), "#%llu/%llu",
			 (unsigned long long)k, (unsigned long long)seq);
		if (k && k < ck->nkeys && ck->bad[k])
			continue;
		if (!k || k >= ck->nkeys ||
		    (db == DB_COMMENTS && !ck->idearev[k])) {
			problem(ck, p, where, STORE_NOTE_DB, store_db_names[db],
				NULL, 0, 0);
			continue;
		}
		int r = st_log_read(t, seq, &e, NULL);
		if (r == -FAI_ESTORE && ck->badlog)
			continue; /* that entry is reported already */
		if (r < 0) {
			problem(ck, p, where, STORE_NOTE_DB, store_db_names[db],
				NULL, 0, 0);
			continue;
		}
		if (e.idea_key != k ||
		    (db == DB_COMMENTS && e.kind != LOG_COMMENT))
			problem(ck, p, where, STORE_NOTE_KIND,
				store_db_names[db], log_kind_code(e.kind), 0,
				0);
		log_entry_clear(&e);
	}
	mdb_cursor_close(c);
	return walk_end(ck, db, rc, err);
}

/* The exchange bases: sealed, about an idea key ever given. */
static int check_exchanged(struct check *ck, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	size_t n;
	int rc = mdb_cursor_open(ck->t->txn, ck->t->s->dbi[DB_EXCHANGED], &c);
	if (rc)
		return st_fail(NULL, rc, err, "exchanged");
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		uint64_t k = key_u64(&key);
		if (k && k < ck->nkeys &&
		    codec_unseal(val.mv_data, val.mv_size, key.mv_data, 8,
				 &n) == 0)
			continue;
		char where[32];
		snprintf(where, sizeof(where), "#%llu", (unsigned long long)k);
		problem(ck, STORE_PROBLEM_DECODE, where, STORE_NOTE_DB,
			"exchanged", NULL, 0, 0);
	}
	mdb_cursor_close(c);
	return walk_end(ck, DB_EXCHANGED, rc, err);
}

int store_check(struct store *s, store_problem_fn fn, void *arg,
		struct fai_err *err)
{
	struct store_txn t;
	struct check ck;
	uint64_t counts[STAGE_COUNT] = {0}, kept[STAGE_COUNT];
	int rc = st_rd_begin(s, &t, err);
	if (rc)
		return rc;
	memset(&ck, 0, sizeof(ck));
	ck.t = &t;
	ck.fn = fn;
	ck.arg = arg;
	rc = check_meta(&ck, err);
	if (rc)
		goto end;
	if (st_meta_u64(&t, "next_key", &ck.nkeys, NULL) < 0) {
		/* reported by check_meta: bound the keys by the ideas */
		MDB_cursor *c;
		MDB_val k, v;
		ck.nkeys = 0;
		if (mdb_cursor_open(t.txn, s->dbi[DB_IDEAS], &c) == 0) {
			if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0)
				ck.nkeys = key_u64(&k) + 1;
			mdb_cursor_close(c);
		}
	}
	if (ck.nkeys == 0)
		ck.nkeys = 1;
	/* A damaged next_key must not ask for the moon. */
	if (ck.nkeys > ((uint64_t)1 << 32))
		ck.nkeys = (uint64_t)1 << 32;
	ck.logrev = xcalloc(ck.nkeys, sizeof(*ck.logrev));
	ck.idearev = xcalloc(ck.nkeys, sizeof(*ck.idearev));
	ck.bad = xcalloc(ck.nkeys, 1);
	rc = check_ideas(&ck, counts, err);
	if (!rc)
		rc = check_index(&ck, DB_BY_ID, err);
	if (!rc)
		rc = check_index(&ck, DB_BY_REF, err);
	if (!rc)
		rc = check_index(&ck, DB_ORDER, err);
	if (!rc && !ck.badideas && st_counts_read(&t, kept, NULL) == 0)
		for (int i = 0; i < STAGE_COUNT; i++)
			if (counts[i] != kept[i])
				problem(&ck, STORE_PROBLEM_STAGE_COUNT,
					stage_code(i), STORE_NOTE_COUNTS, NULL,
					stage_code(i), counts[i], kept[i]);
	if (!rc)
		rc = check_log(&ck, err);
	if (!rc)
		rc = check_pairs(&ck, DB_LOG_IDEA, err);
	if (!rc)
		rc = check_pairs(&ck, DB_COMMENTS, err);
	if (!rc)
		rc = check_exchanged(&ck, err);
	if (!rc)
		rc = exchange_check_extras(&t, &ck.problems, fn, arg, err);
	free(ck.logrev);
	free(ck.idearev);
	free(ck.bad);
end:
	st_rd_end(&t);
	return rc ? rc : ck.problems;
}
