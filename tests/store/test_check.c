/* test_check.c - what must never be written, what store_check must notice,
 * and the store's growth: refused actions leave data.mdb byte for byte
 * unchanged; corruptions made through raw LMDB are reported; a tiny map
 * grows by itself, also in the middle of one large transaction. */
#include "store_fixture.h"

/* ------------------------------------------------------- refused actions */

#define REFUSED(f, snap, expr, want)                                           \
	do {                                                                   \
		fai_err_clear(&(f)->err);                                      \
		uint64_t last_ = store_last_txn((f)->s);                       \
		int rc_ = (expr);                                              \
		if (rc_ != (want))                                             \
			fail_msg("%s: got %d (%s), want %d", #expr, rc_,       \
				 fai_strerror(rc_), (want));                   \
		assert_int_equal((f)->err.code, -(want));                      \
		assert_int_equal(store_last_txn((f)->s), last_);               \
		fx_unchanged((f), (snap), #expr);                              \
	} while (0)

static void test_refused_actions_write_nothing(void **state)
{
	struct fx *f = *state;
	struct fx_snap snap;
	struct store_actor carol = {"carol", NULL, FX_T0};
	char x[24], y[24], z[24];

	fx_create(f, fx_tick(&f->alice), "Sans territoire", "Un besoin", NULL,
		  x);
	fx_create(f, fx_tick(&f->alice), "Complète", "Un besoin", "69", y);
	fx_create(f, fx_tick(&f->bob), "Troisième", NULL, NULL, z);
	struct store_set t = {IDEA_TITLE, "Complète, modifiée"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), y, &t, 1, 0,
					 NULL, &f->err),
			 0); /* y at revision 2 */
	struct store_set th = {IDEA_TITLE, "Complète, revue par Bob"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->bob), y, &th, 1, 0,
					 NULL, &f->err),
			 0); /* y at 3: bob changed the title alice's undo of
				her edit puts back: it conflicts */
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), z, "Vu", 0,
					    NULL, &f->err),
			 0);
	fx_snapshot(f, &snap);

	struct store_set bad_siret = {IDEA_SIRET, "73282932000075"};
	struct store_set same = {IDEA_TITLE, "Complète, revue par Bob"};
	struct store_set sys = {IDEA_REVISION, "10"};
	struct store_set newt = {IDEA_TITLE, "Nouveau"};
	const struct store_actor *a = &f->alice;

	/* gate, rules */
	REFUSED(f, &snap,
		store_idea_move(f->s, a, x, STAGE_CONCEPT, NULL, 0, 0, NULL,
				&f->err),
		-FAI_EGATE);
	assert_true(f->err.missing == (UINT64_C(1) << IDEA_TERRITORY));
	REFUSED(
	    f, &snap,
	    store_idea_move(f->s, a, y, STAGE_ON_HOLD, "", 0, 0, NULL, &f->err),
	    -FAI_ERULE);
	REFUSED(f, &snap,
		store_idea_move(f->s, a, y, STAGE_LAUNCHED, NULL, 1, 0, NULL,
				&f->err),
		-FAI_ERULE);
	REFUSED(
	    f, &snap,
	    store_idea_move(f->s, a, y, STAGE_NEED, NULL, 0, 0, NULL, &f->err),
	    -FAI_ERULE);
	/* conflicts */
	REFUSED(f, &snap,
		store_idea_edit(f->s, a, y, &newt, 1, 2, NULL, &f->err),
		-FAI_ECONFLICT);
	REFUSED(f, &snap,
		store_idea_move(f->s, a, y, STAGE_CONCEPT, NULL, 0, 1, NULL,
				&f->err),
		-FAI_ECONFLICT);
	REFUSED(f, &snap,
		store_idea_comment(f->s, a, y, "Trop tard", 2, NULL, &f->err),
		-FAI_ECONFLICT);
	REFUSED(f, &snap, store_idea_reorder(f->s, a, x, 1, 7, NULL, &f->err),
		-FAI_ECONFLICT);
	REFUSED(f, &snap, store_undo(f->s, a, 0, NULL, &f->err),
		-FAI_ECONFLICT);
	/* invalid values */
	REFUSED(f, &snap,
		store_idea_edit(f->s, a, y, &bad_siret, 1, 0, NULL, &f->err),
		-FAI_EINVAL);
	assert_string_equal(f->err.field, "siret");
	REFUSED(f, &snap,
		store_idea_edit(f->s, a, y, &sys, 1, 0, NULL, &f->err),
		-FAI_EINVAL);
	struct idea *no_title = idea_new();
	idea_set_raw(no_title, IDEA_REGION, "84");
	REFUSED(f, &snap, store_idea_create(f->s, a, no_title, &f->err),
		-FAI_EINVAL);
	assert_string_equal(f->err.field, "title");
	idea_free(no_title);
	struct idea *dup = fx_idea("Doublon", NULL, NULL);
	idea_set_raw(dup, IDEA_REF, x);
	REFUSED(f, &snap, store_idea_create(f->s, a, dup, &f->err),
		-FAI_EEXIST);
	idea_free(dup);
	REFUSED(f, &snap,
		store_idea_comment(f->s, a, y, "  ", 0, NULL, &f->err),
		-FAI_EINVAL);
	REFUSED(f, &snap,
		store_config_set(f->s, a, "stale.days", "-1", &f->err),
		-FAI_EINVAL);
	REFUSED(f, &snap, store_config_set(f->s, a, "colour", "1", &f->err),
		-FAI_EINVAL);
	/* not found */
	REFUSED(f, &snap,
		store_idea_edit(f->s, a, "84-0099", &newt, 1, 0, NULL, &f->err),
		-FAI_ENOTFOUND);
	REFUSED(f, &snap,
		store_idea_move(f->s, a, "84-0099", STAGE_CONCEPT, NULL, 1, 0,
				NULL, &f->err),
		-FAI_ENOTFOUND);
	REFUSED(f, &snap,
		store_idea_comment(f->s, a, "11-0001", "x", 0, NULL, &f->err),
		-FAI_ENOTFOUND);
	REFUSED(f, &snap,
		store_idea_reorder(f->s, a, "nimporte", 1, 0, NULL, &f->err),
		-FAI_ENOTFOUND);
	/* nothing to do */
	REFUSED(f, &snap,
		store_idea_edit(f->s, a, y, &same, 1, 0, NULL, &f->err),
		-FAI_ENOTHING);
	REFUSED(f, &snap, store_idea_reorder(f->s, a, x, -1, 0, NULL, &f->err),
		-FAI_ENOTHING);
	REFUSED(f, &snap, store_idea_reorder(f->s, a, z, 3, 0, NULL, &f->err),
		-FAI_ENOTHING);
	REFUSED(f, &snap,
		store_config_set(f->s, a, "stale.days", "30", &f->err),
		-FAI_ENOTHING);
	REFUSED(f, &snap, store_undo(f->s, &carol, 0, NULL, &f->err),
		-FAI_ENOTHING);
	REFUSED(f, &snap, store_undo(f->s, a, 999, NULL, &f->err),
		-FAI_ENOTHING);
	free(snap.bytes);
	fx_check_ok(f->s);
}

/* store_write: a function that fails after writing commits nothing. */
static int create_two_then_fail(struct store_txn *t, void *arg,
				struct fai_err *err)
{
	const struct store_actor *a = arg;
	for (int k = 0; k < 2; k++) {
		struct idea *i = fx_idea("Jamais", NULL, NULL);
		int rc = store_txn_create(t, a, i, err);
		idea_free(i);
		if (rc)
			return rc;
	}
	return fai_err_set(err, FAI_EINVAL, FAI_WHY_NONE, "test", NULL);
}

static void test_write_abort(void **state)
{
	struct fx *f = *state;
	struct fx_snap snap;
	fx_create(f, fx_tick(&f->alice), "Seule", NULL, NULL, NULL);
	fx_snapshot(f, &snap);
	REFUSED(f, &snap,
		store_write(f->s, create_two_then_fail, &f->alice, &f->err),
		-FAI_EINVAL);
	free(snap.bytes);
	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 1);
	struct idea *i = NULL;
	assert_int_equal(store_idea_find(f->s, "84-0002", &i, &f->err),
			 -FAI_ENOTFOUND);
	fx_check_ok(f->s);
}

/* ------------------------------------------------------- corruption */

struct problems {
	unsigned kinds; /* bit per enum store_problem */
	char where[256];
	int n;
};

static void note_problem(const struct store_problem_info *pi, void *arg)
{
	struct problems *pr = arg;
	const char *where = pi->where;
	pr->kinds |= 1u << pi->kind;
	pr->n++;
	size_t len = strlen(pr->where);
	snprintf(pr->where + len, sizeof(pr->where) - len, "%s%s",
		 len ? " " : "", where);
}

static void three_ideas(struct fx *f)
{
	fx_create(f, fx_tick(&f->alice), "Un", "n", "69", NULL);
	fx_create(f, fx_tick(&f->alice), "Deux", "n", "69", NULL);
	fx_create(f, fx_tick(&f->alice), "Trois", "n", "69", NULL);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->alice), "84-2",
					    "Un commentaire", 0, NULL, &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), "84-3",
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	fx_check_ok(f->s);
}

static void test_problem_text(void **state)
{
	(void)state;
	for (int p = 0; p < STORE_PROBLEM_COUNT; p++)
		assert_true(store_problem_text(p)[0] != '\0');
	assert_string_equal(store_problem_text(STORE_PROBLEM_COUNT), "");
	assert_string_equal(store_problem_text((enum store_problem) - 1), "");
}

static void test_check_ref_index(void **state)
{
	struct fx *f = *state;
	struct fx_raw raw;
	struct problems pr;

	three_ideas(f);
	store_close(f->s);
	f->s = NULL;
	fx_raw_begin(&raw, f->path, "by_ref");
	fx_raw_del_text(&raw, "84-0002");
	fx_raw_commit(&raw);
	fx_reopen(f);

	memset(&pr, 0, sizeof(pr));
	int n = store_check(f->s, note_problem, &pr, &f->err);
	assert_true(n > 0);
	assert_int_equal(n, pr.n);
	assert_true(pr.kinds & (1u << STORE_PROBLEM_REF_INDEX));
	assert_non_null(strstr(pr.where, "84-0002"));
	/* Without a callback it counts the same. */
	assert_int_equal(store_check(f->s, NULL, NULL, &f->err), n);
	/* The reference no longer finds it; the id still does. */
	struct idea *i = NULL;
	assert_int_equal(store_idea_find(f->s, "84-0002", &i, &f->err),
			 -FAI_ENOTFOUND);
}

static void test_check_stage_count(void **state)
{
	struct fx *f = *state;
	struct fx_raw raw;
	struct problems pr;

	three_ideas(f);
	store_close(f->s);
	f->s = NULL;
	fx_raw_begin(&raw, f->path, "meta");
	char *was = fx_raw_get_text(&raw, "count:need");
	assert_non_null(was);
	assert_string_equal(was, "2");
	free(was);
	fx_raw_put_text(&raw, "count:need", "7");
	fx_raw_commit(&raw);
	fx_reopen(f);

	memset(&pr, 0, sizeof(pr));
	int n = store_check(f->s, note_problem, &pr, &f->err);
	assert_true(n > 0);
	assert_int_equal(pr.kinds, 1u << STORE_PROBLEM_STAGE_COUNT);
	assert_string_equal(pr.where, "need");
	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 7);
}

/* Deletes the by_id entry and a log_idea entry, corrupts an idea record:
 * each is reported under its own kind. */
static void test_check_other_corruptions(void **state)
{
	struct fx *f = *state;
	struct fx_raw raw;
	struct problems pr;
	unsigned char id[UUID_LEN], k[16];

	three_ideas(f);
	struct idea *one = fx_find(f, "84-1");
	assert_int_equal(uuid_parse(idea_get(one, IDEA_ID), id), 0);
	uint64_t key = one->key;
	idea_free(one);
	store_close(f->s);
	f->s = NULL;

	fx_raw_begin(&raw, f->path, "by_id");
	MDB_val mk = {UUID_LEN, id};
	assert_int_equal(mdb_del(raw.txn, raw.dbi, &mk, NULL), 0);
	fx_raw_commit(&raw);
	fx_reopen(f);
	memset(&pr, 0, sizeof(pr));
	assert_true(store_check(f->s, note_problem, &pr, &f->err) > 0);
	assert_int_equal(pr.kinds, 1u << STORE_PROBLEM_ID_INDEX);
	store_close(f->s);
	f->s = NULL;

	/* log_idea entry of (key, seq 1): the create of 84-0001. */
	for (int b = 0; b < 8; b++)
		k[b] = (unsigned char)(key >> (56 - 8 * b));
	memset(k + 8, 0, 8);
	k[15] = 1;
	fx_raw_begin(&raw, f->path, "log_idea");
	MDB_val lk = {16, k};
	assert_int_equal(mdb_del(raw.txn, raw.dbi, &lk, NULL), 0);
	fx_raw_commit(&raw);
	fx_reopen(f);
	memset(&pr, 0, sizeof(pr));
	assert_true(store_check(f->s, note_problem, &pr, &f->err) > 0);
	assert_true(pr.kinds & (1u << STORE_PROBLEM_LOG_INDEX));
	store_close(f->s);
	f->s = NULL;

	/* An idea record that does not decode. */
	unsigned char ik[8];
	for (int b = 0; b < 8; b++)
		ik[b] = (unsigned char)(key >> (56 - 8 * b));
	fx_raw_begin(&raw, f->path, "ideas");
	MDB_val ikv = {8, ik}, junk = {3, (void *)(uintptr_t) "\x01\x02\x03"};
	assert_int_equal(mdb_put(raw.txn, raw.dbi, &ikv, &junk, 0), 0);
	fx_raw_commit(&raw);
	fx_reopen(f);
	memset(&pr, 0, sizeof(pr));
	assert_true(store_check(f->s, note_problem, &pr, &f->err) > 0);
	assert_true(pr.kinds & (1u << STORE_PROBLEM_DECODE));
	struct idea *i = NULL;
	int rc = store_idea_get(f->s, key, &i, &f->err);
	assert_int_equal(rc, -FAI_ESTORE);
}

/* ------------------------------------------------------- map growth */

#define SMALL_MAP ((size_t)32 * 4096)

/* A long need text that differs from idea to idea. */
static void long_text(char *out, size_t size, unsigned n)
{
	size_t len = 0;
	unsigned x = n * 2654435761u;
	len += (size_t)snprintf(out, size, "Besoin n°%u : ", n);
	while (len + 40 < size - 1 && len < 900 + (x % 700)) {
		x = x * 1103515245u + 12345u;
		len += (size_t)snprintf(out + len, size - len, "mot%u élaboré ",
					(x >> 16) % 1000);
	}
	out[len - 1] = '.'; /* idea_set trims a trailing blank */
}

static void test_map_growth(void **state)
{
	struct fx *f = *state;
	enum { N = 2000 };
	char text[2048], ref[24];

	assert_int_equal(
	    store_open(&f->s, f->path, STORE_CREATE, "84", SMALL_MAP, &f->err),
	    0);
	size_t first = store_mapsize(f->s);
	assert_true(first <= SMALL_MAP * 2);
	for (unsigned k = 1; k <= N; k++) {
		char title[64];
		snprintf(title, sizeof(title), "Idée de croissance %u", k);
		long_text(text, sizeof(text), k);
		struct idea *i = fx_idea(title, text, "69");
		int rc =
		    store_idea_create(f->s, fx_tick(&f->alice), i, &f->err);
		if (rc)
			fail_msg("create %u: %s (%s)", k, fai_strerror(rc),
				 f->err.detail);
		snprintf(ref, sizeof(ref), "84-%04u", k);
		assert_string_equal(idea_get(i, IDEA_REF), ref);
		idea_free(i);
	}
	size_t grown = store_mapsize(f->s);
	assert_true(grown > first);
	assert_true(grown >= (size_t)N * 900);
	fx_check_ok(f->s);

	/* Everything reads back, also after reopening with the tiny map
	 * again (LMDB keeps at least what is used) and writing more. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned k = 1; k <= N; k++) {
			snprintf(ref, sizeof(ref), "84-%04u", k);
			long_text(text, sizeof(text), k);
			struct idea *i = fx_find(f, ref);
			assert_string_equal(idea_get(i, IDEA_NEED), text);
			idea_free(i);
		}
		uint64_t counts[STAGE_COUNT];
		assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
		assert_int_equal(counts[STAGE_NEED], N);
		store_close(f->s);
		f->s = NULL;
		assert_int_equal(
		    store_open(&f->s, f->path, 0, NULL, SMALL_MAP, &f->err), 0);
	}
	for (unsigned k = 0; k < 50; k++) {
		long_text(text, sizeof(text), k);
		assert_int_equal(store_idea_comment(f->s, fx_tick(&f->alice),
						    "84-0007", text, 0, NULL,
						    &f->err),
				 0);
	}
	fx_check_ok(f->s);
}

struct batch {
	const struct store_actor *actor;
	unsigned n;
	unsigned calls;
};

static int create_batch(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct batch *b = arg;
	char text[2048];
	b->calls++;
	for (unsigned k = 1; k <= b->n; k++) {
		long_text(text, sizeof(text), k);
		struct idea *i = fx_idea("Lot", text, NULL);
		int rc = store_txn_create(t, b->actor, i, err);
		idea_free(i);
		if (rc)
			return rc;
	}
	return 0;
}

/* One transaction larger than the map: aborted, grown, redone from the
 * start, and stored once. */
static void test_map_growth_one_txn(void **state)
{
	struct fx *f = *state;
	struct batch b = {&f->alice, 400, 0};

	assert_int_equal(
	    store_open(&f->s, f->path, STORE_CREATE, "84", SMALL_MAP, &f->err),
	    0);
	size_t first = store_mapsize(f->s);
	fx_tick(&f->alice);
	assert_int_equal(store_write(f->s, create_batch, &b, &f->err), 0);
	assert_true(b.calls > 1);
	assert_true(store_mapsize(f->s) > first);
	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], b.n);
	struct idea *i = fx_find(f, "84-0400"), *none = NULL;
	idea_free(i);
	assert_int_equal(store_idea_find(f->s, "84-0401", &none, &f->err),
			 -FAI_ENOTFOUND);
	struct fx_log l;
	fx_log_read(f, 0, &l);
	assert_int_equal(l.n, b.n);
	free(l.v);
	fx_check_ok(f->s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_refused_actions_write_nothing,
					    fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_write_abort, fx_setup,
					    fx_teardown),
	    cmocka_unit_test(test_problem_text),
	    cmocka_unit_test_setup_teardown(test_check_ref_index, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_check_stage_count, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_check_other_corruptions,
					    fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_map_growth, fx_setup_dir,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_map_growth_one_txn,
					    fx_setup_dir, fx_teardown),
	};
	return cmocka_run_group_tests_name("store check", tests, NULL, NULL);
}
