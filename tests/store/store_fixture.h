/* store_fixture.h - what the store's tests share: a fresh store in a fresh
 * temporary directory per test (removed at teardown), ideas built through
 * idea_set, the bytes of data.mdb for "nothing was written" checks, and raw
 * LMDB access for the tests that corrupt a store on purpose.
 *
 * Header-only (static inline) because the Makefile links each
 * tests/store/test_*.c on its own. */
#ifndef FAI_TESTS_STORE_FIXTURE_H
#define FAI_TESTS_STORE_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/err.h"
#include "../../core/idea.h"
#include "../../core/isotime.h"
#include "../../core/log.h"
#include "../../store/codec.h"
#include "../../core/stage.h"
#include "../../core/uuid.h"
#include "../../core/xmalloc.h"
#include "../../store/store.h"

/* 2025-11-27T09:00:00Z; every action of a test moves the clock on. */
#define FX_T0 ((int64_t)1764234000)

struct fx {
	char dir[PATH_MAX];	  /* the temporary directory */
	char path[PATH_MAX + 8];  /* the store: dir/db (absent until created) */
	char data[PATH_MAX + 24]; /* path/data.mdb */
	struct store *s;
	struct store_actor alice;
	struct store_actor bob;
	struct fai_err err;
};

static inline int fx_rm_one(const char *p, const struct stat *sb, int flag,
			    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Makes the temporary directory; the store itself is not created. */
static inline struct fx *fx_new_dir(void)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(f->dir, sizeof(f->dir), "%s/fai-store-test-XXXXXX", tmp);
	if (!mkdtemp(f->dir))
		fail_msg("mkdtemp %s: %s", f->dir, strerror(errno));
	snprintf(f->path, sizeof(f->path), "%s/db", f->dir);
	snprintf(f->data, sizeof(f->data), "%s/data.mdb", f->path);
	f->alice.user = "alice";
	f->alice.client = "192.0.2.10";
	f->alice.now = FX_T0;
	f->bob.user = "bob";
	f->bob.client = NULL;
	f->bob.now = FX_T0;
	return f;
}

static inline void fx_free(struct fx *f)
{
	if (!f)
		return;
	store_close(f->s);
	f->s = NULL;
	nftw(f->dir, fx_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
}

/* cmocka setup: a new store of region 84 in a new directory. */
static inline int fx_setup(void **state)
{
	struct fx *f = fx_new_dir();
	int rc = store_open(&f->s, f->path, STORE_CREATE, "84", 0, &f->err);
	if (rc) {
		fprintf(stderr, "store_open: %s (%s)\n", fai_strerror(rc),
			f->err.detail);
		fx_free(f);
		return -1;
	}
	*state = f;
	return 0;
}

/* cmocka setup: only the directory, for tests that open stores themselves. */
static inline int fx_setup_dir(void **state)
{
	*state = fx_new_dir();
	return 0;
}

static inline int fx_teardown(void **state)
{
	fx_free(*state);
	*state = NULL;
	return 0;
}

/* The clock moves one minute per action. */
static inline const struct store_actor *fx_tick(struct store_actor *a)
{
	a->now += 60;
	return a;
}

static inline void fx_print_problem(const struct store_problem_info *pi,
				    void *arg)
{
	(void)arg;
	fprintf(stderr, "store_check: %s at %s: note %d (%s %s %s %llu %llu)\n",
		store_problem_text(pi->kind), pi->where, (int)pi->note,
		pi->db ? pi->db : "-", pi->field ? pi->field : "-",
		pi->value ? pi->value : "-", (unsigned long long)pi->a,
		(unsigned long long)pi->b);
}

/* Asserts that store_check finds nothing wrong. */
#define fx_check_ok(s)                                                         \
	do {                                                                   \
		struct fai_err ce_;                                            \
		fai_err_clear(&ce_);                                           \
		int cr_ = store_check((s), fx_print_problem, NULL, &ce_);      \
		if (cr_ != 0)                                                  \
			fail_msg("store_check returned %d (%s)", cr_,          \
				 ce_.detail);                                  \
	} while (0)

/* A new idea with a title, region 84, and optional need/territory. */
static inline struct idea *fx_idea(const char *title, const char *need,
				   const char *territory)
{
	struct idea *i = idea_new();
	struct fai_err e;
	assert_int_equal(idea_set(i, IDEA_TITLE, title, 0, &e), 0);
	assert_int_equal(idea_set(i, IDEA_REGION, "84", 0, &e), 0);
	if (need)
		assert_int_equal(idea_set(i, IDEA_NEED, need, 0, &e), 0);
	if (territory)
		assert_int_equal(idea_set(i, IDEA_TERRITORY, territory, 0, &e),
				 0);
	return i;
}

/* Creates an idea through the store and returns its ref in out. */
static inline void fx_create(struct fx *f, const struct store_actor *a,
			     const char *title, const char *need,
			     const char *territory, char out[24])
{
	struct idea *i = fx_idea(title, need, territory);
	int rc = store_idea_create(f->s, a, i, &f->err);
	if (rc)
		fail_msg("create %s: %s %s=%s (%s)", title, fai_strerror(rc),
			 f->err.field, f->err.value, f->err.detail);
	if (out)
		snprintf(out, 24, "%s", idea_get(i, IDEA_REF));
	idea_free(i);
}

/* Loads an idea that must exist. */
static inline struct idea *fx_find(struct fx *f, const char *ref)
{
	struct idea *i = NULL;
	int rc = store_idea_find(f->s, ref, &i, &f->err);
	if (rc)
		fail_msg("find %s: %s", ref, fai_strerror(rc));
	assert_non_null(i);
	return i;
}

static inline uint64_t fx_rev(struct fx *f, const char *ref)
{
	struct idea *i = fx_find(f, ref);
	uint64_t r = idea_revision(i);
	idea_free(i);
	return r;
}

/* Writes the refs of the cards of a stage, in board order, joined by ' '. */
static inline void fx_column(struct fx *f, enum stage st, char *out,
			     size_t size)
{
	struct idea **v = NULL;
	size_t n = 0;
	assert_int_equal(
	    store_stage_page(f->s, st, NULL, 100000, &v, &n, &f->err), 0);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", i ? " " : "",
			 idea_get(v[i], IDEA_REF));
		idea_free(v[i]);
	}
	free(v);
}

/* The whole content of a file (heap; *n its length). */
static inline unsigned char *fx_slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t got;
	if (!fp)
		fail_msg("fopen %s: %s", path, strerror(errno));
	buf_init(&b);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, got);
	fclose(fp);
	*n = b.len;
	if (!b.data)
		return xcalloc(1, 1);
	return (unsigned char *)b.data;
}

/* Asserts that a file holds exactly n bytes equal to want. */
static inline void fx_same_bytes(const char *path, const unsigned char *want,
				 size_t n, const char *what)
{
	size_t m;
	unsigned char *now = fx_slurp(path, &m);
	if (m != n || memcmp(now, want, n) != 0) {
		free(now);
		fail_msg("%s changed %s (%zu -> %zu bytes)", what, path, n, m);
	}
	free(now);
}

/* Closes and reopens the fixture's store (no LMDB file is ever touched while
 * this process has the environment open). */
static inline void fx_reopen(struct fx *f)
{
	store_close(f->s);
	f->s = NULL;
	int rc = store_open(&f->s, f->path, 0, NULL, 0, &f->err);
	if (rc)
		fail_msg("reopen: %s (%s)", fai_strerror(rc), f->err.detail);
}

/* The bytes of data.mdb, read with the store closed. */
struct fx_snap {
	unsigned char *bytes;
	size_t n;
};

static inline void fx_snapshot(struct fx *f, struct fx_snap *snap)
{
	store_close(f->s);
	f->s = NULL;
	snap->bytes = fx_slurp(f->data, &snap->n);
	fx_reopen(f);
}

/* Asserts data.mdb still holds the snapshot's bytes; the store stays open. */
static inline void fx_unchanged(struct fx *f, const struct fx_snap *snap,
				const char *what)
{
	store_close(f->s);
	f->s = NULL;
	fx_same_bytes(f->data, snap->bytes, snap->n, what);
	fx_reopen(f);
}

/* Raw LMDB on a closed store: opens the environment and the named database
 * in a write transaction. */
struct fx_raw {
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	int meta; /* the meta database: values are sealed but "schema" */
};

static inline void fx_raw_begin(struct fx_raw *r, const char *path,
				const char *db)
{
	assert_int_equal(mdb_env_create(&r->env), 0);
	assert_int_equal(mdb_env_set_maxdbs(r->env, 32), 0);
	assert_int_equal(mdb_env_set_mapsize(r->env, (size_t)1 << 30), 0);
	assert_int_equal(mdb_env_open(r->env, path, 0, 0644), 0);
	assert_int_equal(mdb_txn_begin(r->env, NULL, 0, &r->txn), 0);
	assert_int_equal(mdb_dbi_open(r->txn, db, 0, &r->dbi), 0);
	r->meta = strcmp(db, "meta") == 0;
}

static inline void fx_raw_commit(struct fx_raw *r)
{
	assert_int_equal(mdb_txn_commit(r->txn), 0);
	mdb_env_close(r->env);
}

/* Writes a text value, sealed as the store seals it (meta values). */
static inline void fx_raw_put_text(struct fx_raw *r, const char *k,
				   const char *v)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, v);
	if (r->meta && strcmp(k, "schema") != 0)
		codec_seal(&b, 0, k, strlen(k));
	MDB_val key = {strlen(k), (void *)(uintptr_t)k};
	MDB_val val = {b.len, b.data ? b.data : (char *)(uintptr_t) ""};
	assert_int_equal(mdb_put(r->txn, r->dbi, &key, &val, 0), 0);
	buf_free(&b);
}

/* Reads a text value (its seal checked and left out); returns a heap copy
 * or NULL. */
static inline char *fx_raw_get_text(struct fx_raw *r, const char *k)
{
	MDB_val key = {strlen(k), (void *)(uintptr_t)k}, val;
	size_t n;
	if (mdb_get(r->txn, r->dbi, &key, &val))
		return NULL;
	n = val.mv_size;
	if (r->meta && strcmp(k, "schema") != 0)
		assert_int_equal(
		    codec_unseal(val.mv_data, val.mv_size, k, strlen(k), &n),
		    0);
	return xstrndup(val.mv_data, n);
}

static inline void fx_raw_del_text(struct fx_raw *r, const char *k)
{
	MDB_val key = {strlen(k), (void *)(uintptr_t)k};
	assert_int_equal(mdb_del(r->txn, r->dbi, &key, NULL), 0);
}

/* Collects log entries through store_log_foreach (copies of kind, seq,
 * revision, forced, target, user and the first changes). */
struct fx_logcopy {
	uint64_t seq, revision, target, idea_key;
	enum log_kind kind;
	int forced;
	char user[32];
	char text[128];
	char ref[24];
	size_t nchanges;
	char names[256]; /* change names joined by ' ', in order */
};

struct fx_log {
	struct fx_logcopy *v;
	size_t n;
};

static inline int fx_log_collect(const struct log_entry *e, void *arg)
{
	struct fx_log *l = arg;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	struct fx_logcopy *c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	c->seq = e->seq;
	c->revision = e->revision;
	c->target = e->target;
	c->idea_key = e->idea_key;
	c->kind = e->kind;
	c->forced = e->forced;
	snprintf(c->user, sizeof(c->user), "%s", e->user ? e->user : "");
	snprintf(c->text, sizeof(c->text), "%s", e->text ? e->text : "");
	snprintf(c->ref, sizeof(c->ref), "%s", e->ref);
	c->nchanges = e->nchanges;
	for (size_t i = 0; i < e->nchanges; i++) {
		size_t len = strlen(c->names);
		snprintf(c->names + len, sizeof(c->names) - len, "%s%s",
			 i ? " " : "", e->changes[i].name);
	}
	return 0;
}

static inline void fx_log_read(struct fx *f, uint64_t key, struct fx_log *l)
{
	l->v = NULL;
	l->n = 0;
	assert_int_equal(
	    store_log_foreach(f->s, key, 0, fx_log_collect, l, &f->err), 0);
}

/* The last log entry, fully (free with log_entry_clear). */
struct fx_last {
	struct log_entry e;
	int have;
};

static inline int fx_last_keep(const struct log_entry *e, void *arg)
{
	struct fx_last *l = arg;
	log_entry_clear(&l->e);
	l->e = *e;
	l->e.own = NULL; /* e's block is e's: copy what it holds */
	log_entry_own(&l->e);
	l->have = 1;
	return 0;
}

static inline void fx_last_entry(struct fx *f, uint64_t key,
				 struct log_entry *out)
{
	struct fx_last l;
	memset(&l, 0, sizeof(l));
	assert_int_equal(
	    store_log_foreach(f->s, key, 0, fx_last_keep, &l, &f->err), 0);
	assert_true(l.have);
	*out = l.e;
}

/* The before/after of a change of a log entry, NULL-safe for comparing. */
static inline const char *fx_s(const char *s)
{
	return s ? s : "(null)";
}

/* Starts prog with up to two arguments (NULL ends them early); *fd reads
 * what it prints.  For helper processes: no environment crosses a fork,
 * each helper opens the store itself. */
static inline pid_t fx_spawn(const char *prog, const char *a1, const char *a2,
			     int *fd)
{
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dup2(p[1], 1) < 0)
			_exit(126);
		execl(prog, prog, a1, a2, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

#endif
