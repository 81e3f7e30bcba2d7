/* test_store.c - the live store: opening, the schema guard, creating,
 * finding, editing, moving, commenting, reordering, the log, settings and
 * paging.  Each test runs on its own fresh store in its own temporary
 * directory (store_fixture.h). */
#include "store_fixture.h"

/* ------------------------------------------------------------ open */

static void test_open_create_and_missing(void **state)
{
	struct fx *f = *state;
	struct store *s = NULL;
	struct fai_err err;

	/* Degenerate: a path with no store, with and without a directory. */
	fai_err_clear(&err);
	assert_int_equal(store_open(&s, f->path, 0, NULL, 0, &err),
			 -FAI_ENOSTORE);
	assert_null(s);
	assert_int_equal(err.code, FAI_ENOSTORE);
	assert_int_equal(store_exists(f->path), 0);
	assert_int_equal(store_open(&s, f->dir, STORE_READONLY, NULL, 0, &err),
			 -FAI_ENOSTORE);
	assert_null(s);

	/* STORE_CREATE makes the directory and the store. */
	assert_int_equal(store_open(&s, f->path, STORE_CREATE, "84", 0, &err),
			 0);
	assert_non_null(s);
	assert_int_equal(store_exists(f->path), 1);
	char *region = NULL;
	assert_int_equal(store_meta_get(s, "region", &region, &err), 0);
	assert_string_equal(region, "84");
	free(region);
	char *none = (char *)1;
	assert_int_equal(store_meta_get(s, "no-such-key", &none, &err), 0);
	assert_null(none);
	char *schema = NULL;
	assert_int_equal(store_meta_get(s, "schema", &schema, &err), 0);
	assert_non_null(schema);
	assert_int_equal(atoi(schema), STORE_SCHEMA_VERSION);
	free(schema);
	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(s, counts, &err), 0);
	for (int i = 0; i < STAGE_COUNT; i++)
		assert_int_equal(counts[i], 0);
	assert_int_equal(store_check(s, fx_print_problem, NULL, &err), 0);
	store_close(s);
	s = NULL;

	/* CREATE|EXCL on an existing store refuses; CREATE alone opens it and
	 * keeps its region. */
	assert_int_equal(
	    store_open(&s, f->path, STORE_CREATE | STORE_EXCL, "11", 0, &err),
	    -FAI_EEXIST);
	assert_null(s);
	assert_int_equal(err.code, FAI_EEXIST);
	assert_int_equal(store_open(&s, f->path, STORE_CREATE, "11", 0, &err),
			 0);
	assert_int_equal(store_meta_get(s, "region", &region, &err), 0);
	assert_string_equal(region, "84");
	free(region);
	store_close(s);
	store_close(NULL); /* allowed */
}

static void test_open_meta_set(void **state)
{
	struct fx *f = *state;
	char *v = NULL;
	assert_int_equal(store_meta_set(f->s, "demo", "1", &f->err), 0);
	fx_reopen(f);
	assert_int_equal(store_meta_get(f->s, "demo", &v, &f->err), 0);
	assert_string_equal(v, "1");
	free(v);
}

static void test_open_readonly(void **state)
{
	struct fx *f = *state;
	char ref[24];
	struct store *ro = NULL;
	struct fx_snap snap;

	fx_create(f, fx_tick(&f->alice), "Épicerie solidaire", NULL, NULL, ref);
	store_close(f->s);
	f->s = NULL;
	snap.bytes = fx_slurp(f->data, &snap.n);

	assert_int_equal(
	    store_open(&ro, f->path, STORE_READONLY, NULL, 0, &f->err), 0);
	/* Reading works... */
	struct idea *i = NULL;
	assert_int_equal(store_idea_find(ro, ref, &i, &f->err), 0);
	assert_string_equal(idea_get(i, IDEA_TITLE), "Épicerie solidaire");
	idea_free(i);
	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(ro, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 1);
	assert_int_equal(store_check(ro, fx_print_problem, NULL, &f->err), 0);

	/* ...every write is refused. */
	struct idea *n = fx_idea("Recyclerie", NULL, NULL);
	assert_int_equal(store_idea_create(ro, &f->alice, n, &f->err),
			 -FAI_EPERM);
	idea_free(n);
	struct store_set set = {IDEA_TITLE, "Autre"};
	assert_int_equal(
	    store_idea_edit(ro, &f->alice, ref, &set, 1, 0, NULL, &f->err),
	    -FAI_EPERM);
	assert_int_equal(
	    store_idea_comment(ro, &f->alice, ref, "bonjour", 0, NULL, &f->err),
	    -FAI_EPERM);
	assert_int_equal(store_meta_set(ro, "demo", "1", &f->err), -FAI_EPERM);
	assert_int_equal(
	    store_config_set(ro, &f->alice, "stale.days", "9", &f->err),
	    -FAI_EPERM);
	assert_int_equal(store_undo(ro, &f->alice, 0, NULL, &f->err),
			 -FAI_EPERM);
	store_close(ro);
	fx_same_bytes(f->data, snap.bytes, snap.n, "read-only store");
	free(snap.bytes);
	fx_reopen(f);
}

/* ------------------------------------------------------------ schema */

static void test_schema_newer_refused(void **state)
{
	struct fx *f = *state;
	struct fx_raw raw;
	struct store *s = NULL;
	struct fai_err err;
	char ref[24];

	fx_create(f, fx_tick(&f->alice), "Tiers-lieu", NULL, NULL, ref);
	store_close(f->s);
	f->s = NULL;
	fx_raw_begin(&raw, f->path, "meta");
	char *was = fx_raw_get_text(&raw, "schema");
	assert_non_null(was);
	assert_int_equal(atoi(was), STORE_SCHEMA_VERSION);
	free(was);
	char newer[16];
	snprintf(newer, sizeof(newer), "%d", STORE_SCHEMA_VERSION + 1);
	fx_raw_put_text(&raw, "schema", newer);
	fx_raw_commit(&raw);

	size_t n;
	unsigned char *bytes = fx_slurp(f->data, &n);
	fai_err_clear(&err);
	assert_int_equal(store_open(&s, f->path, 0, NULL, 0, &err),
			 -FAI_ESCHEMA);
	assert_null(s);
	assert_int_equal(err.code, FAI_ESCHEMA);
	assert_true(err.count == STORE_SCHEMA_VERSION + 1);
	fai_err_clear(&err);
	assert_int_equal(store_open(&s, f->path, STORE_READONLY, NULL, 0, &err),
			 -FAI_ESCHEMA);
	assert_true(err.count == STORE_SCHEMA_VERSION + 1);
	assert_int_equal(store_open(&s, f->path, STORE_CREATE, "84", 0, &err),
			 -FAI_ESCHEMA);
	assert_null(s);
	fx_same_bytes(f->data, bytes, n, "refused newer schema");
	free(bytes);

	fx_raw_begin(&raw, f->path, "meta");
	char *now = fx_raw_get_text(&raw, "schema");
	assert_string_equal(now, newer);
	free(now);
	mdb_txn_abort(raw.txn);
	mdb_env_close(raw.env);
}

/* ------------------------------------------------------------ create */

static void test_create_assigns(void **state)
{
	struct fx *f = *state;
	struct idea *i = fx_idea("Garage solidaire", NULL, NULL);
	unsigned char u[UUID_LEN];
	char when[ISOTIME_LEN];
	uint64_t before = store_last_txn(f->s);

	assert_int_equal(
	    store_idea_create(f->s, fx_tick(&f->alice), i, &f->err), 0);
	assert_true(store_last_txn(f->s) != before);
	assert_int_equal(uuid_parse(idea_get(i, IDEA_ID), u), 0);
	assert_int_equal(strlen(idea_get(i, IDEA_ID)), UUID_STR_LEN - 1);
	assert_string_equal(idea_get(i, IDEA_REF), "84-0001");
	assert_string_equal(idea_get(i, IDEA_REVISION), "1");
	assert_string_equal(idea_get(i, IDEA_STAGE), "need");
	isotime_format(f->alice.now, when);
	assert_string_equal(idea_get(i, IDEA_CREATED_AT), when);
	assert_string_equal(idea_get(i, IDEA_UPDATED_BY), "alice");
	assert_true(i->key != 0);
	fx_check_ok(f->s);

	/* What was stored is what the caller got back. */
	struct idea *got = fx_find(f, "84-0001");
	for (int k = 0; k < IDEA_FIELD_COUNT; k++)
		assert_string_equal(idea_get(got, k), idea_get(i, k));
	assert_int_equal(got->key, i->key);
	assert_int_equal(got->rank, i->rank);
	idea_free(got);

	struct idea *j = fx_idea("Cantine bio", NULL, NULL);
	assert_int_equal(store_idea_create(f->s, fx_tick(&f->bob), j, &f->err),
			 0);
	assert_string_equal(idea_get(j, IDEA_REF), "84-0002");
	assert_string_equal(idea_get(j, IDEA_REVISION), "1");
	assert_true(strcmp(idea_get(i, IDEA_ID), idea_get(j, IDEA_ID)) != 0);
	assert_true(j->key != i->key);
	fx_check_ok(f->s);

	/* Another region has its own sequence. */
	struct idea *k = fx_idea("Ressourcerie", NULL, NULL);
	assert_int_equal(idea_set(k, IDEA_REGION, "11", 0, &f->err), 0);
	assert_int_equal(store_idea_create(f->s, fx_tick(&f->bob), k, &f->err),
			 0);
	assert_string_equal(idea_get(k, IDEA_REF), "11-0001");
	fx_check_ok(f->s);

	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 3);
	assert_int_equal(counts[STAGE_CONCEPT], 0);

	/* The CREATE entry holds the values. */
	struct log_entry e;
	fx_last_entry(f, i->key, &e);
	assert_int_equal(e.kind, LOG_CREATE);
	assert_int_equal(e.revision, 1);
	assert_string_equal(e.user, "alice");
	assert_string_equal(e.client, "192.0.2.10");
	assert_string_equal(e.ref, "84-0001");
	const struct log_change *c = log_entry_change(&e, "title");
	assert_non_null(c);
	assert_null(c->before);
	assert_string_equal(c->after, "Garage solidaire");
	log_entry_clear(&e);
	idea_free(i);
	idea_free(j);
	idea_free(k);
}

static void test_create_invalid(void **state)
{
	struct fx *f = *state;
	struct idea *i = idea_new();
	uint64_t last = store_last_txn(f->s);

	/* Nothing at all. */
	fai_err_clear(&f->err);
	assert_int_equal(
	    store_idea_create(f->s, fx_tick(&f->alice), i, &f->err),
	    -FAI_EINVAL);
	assert_string_equal(f->err.field, "region");

	/* No title. */
	idea_set_raw(i, IDEA_REGION, "84");
	fai_err_clear(&f->err);
	assert_int_equal(store_idea_create(f->s, &f->alice, i, &f->err),
			 -FAI_EINVAL);
	assert_string_equal(f->err.field, "title");
	assert_int_equal(f->err.why, FAI_WHY_REQUIRED);

	/* A title of blanks, a bad region, a bad value given raw. */
	idea_set_raw(i, IDEA_TITLE, "   ");
	fai_err_clear(&f->err);
	assert_int_equal(store_idea_create(f->s, &f->alice, i, &f->err),
			 -FAI_EINVAL);
	assert_string_equal(f->err.field, "title");
	idea_set_raw(i, IDEA_TITLE, "Laverie");
	idea_set_raw(i, IDEA_REGION, "99");
	fai_err_clear(&f->err);
	assert_int_equal(store_idea_create(f->s, &f->alice, i, &f->err),
			 -FAI_EINVAL);
	assert_string_equal(f->err.field, "region");
	idea_set_raw(i, IDEA_REGION, "84");
	idea_set_raw(i, IDEA_SIRET, "12345678901234");
	fai_err_clear(&f->err);
	assert_int_equal(store_idea_create(f->s, &f->alice, i, &f->err),
			 -FAI_EINVAL);
	assert_string_equal(f->err.field, "siret");
	idea_set_raw(i, IDEA_SIRET, NULL);
	idea_set_raw(i, IDEA_TITLE, "bad \xff utf-8");
	assert_int_equal(store_idea_create(f->s, &f->alice, i, &f->err),
			 -FAI_EINVAL);
	assert_string_equal(f->err.field, "title");
	/* A taken reference. */
	idea_set_raw(i, IDEA_TITLE, "Laverie");
	assert_int_equal(store_last_txn(f->s), last);
	assert_int_equal(store_idea_create(f->s, &f->alice, i, &f->err), 0);
	assert_string_equal(idea_get(i, IDEA_REF), "84-0001");
	struct idea *dup = fx_idea("Doublon", NULL, NULL);
	idea_set_raw(dup, IDEA_REF, "84-0001");
	assert_int_equal(store_idea_create(f->s, &f->alice, dup, &f->err),
			 -FAI_EEXIST);
	/* A taken id. */
	idea_set_raw(dup, IDEA_REF, NULL);
	idea_set_raw(dup, IDEA_ID, idea_get(i, IDEA_ID));
	assert_int_equal(store_idea_create(f->s, &f->alice, dup, &f->err),
			 -FAI_EEXIST);
	idea_free(dup);
	fx_check_ok(f->s);

	/* The refusals used no number of the sequence. */
	char ref[24];
	fx_create(f, &f->alice, "Suivante", NULL, NULL, ref);
	assert_string_equal(ref, "84-0002");
	fx_check_ok(f->s);
	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 2);
	idea_free(i);
}

/* An imported idea keeps its id and ref; the sequence skips taken refs. */
static void test_create_given_ref_and_id(void **state)
{
	struct fx *f = *state;
	struct idea *i = fx_idea("Importée", NULL, NULL);
	idea_set_raw(i, IDEA_REF, "84-0002");
	idea_set_raw(i, IDEA_ID, "0b9a4c1e-3f2d-4e5a-8b7c-6d5e4f3a2b1c");
	assert_int_equal(store_idea_create(f->s, &f->alice, i, &f->err), 0);
	assert_string_equal(idea_get(i, IDEA_REF), "84-0002");
	char a[24], b[24];
	fx_create(f, &f->alice, "Une", NULL, NULL, a);
	fx_create(f, &f->alice, "Deux", NULL, NULL, b);
	assert_string_equal(a, "84-0001");
	assert_string_equal(b, "84-0003");
	struct idea *got = fx_find(f, "0B9A4C1E-3F2D-4E5A-8B7C-6D5E4F3A2B1C");
	assert_string_equal(idea_get(got, IDEA_TITLE), "Importée");
	idea_free(got);
	idea_free(i);
	fx_check_ok(f->s);
}

/* ------------------------------------------------------------ find */

static void test_find(void **state)
{
	struct fx *f = *state;
	char r1[24], r2[24];
	struct idea *i = NULL;

	fx_create(f, &f->alice, "Premier", NULL, NULL, r1);
	fx_create(f, &f->alice, "Second", NULL, NULL, r2);
	struct idea *a = fx_find(f, "84-0001");
	assert_string_equal(idea_get(a, IDEA_TITLE), "Premier");

	/* By UUID, either case. */
	struct idea *b = fx_find(f, idea_get(a, IDEA_ID));
	assert_int_equal(b->key, a->key);
	idea_free(b);
	char upper[UUID_STR_LEN];
	snprintf(upper, sizeof(upper), "%s", idea_get(a, IDEA_ID));
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	b = fx_find(f, upper);
	assert_int_equal(b->key, a->key);
	idea_free(b);

	/* Normalised references. */
	b = fx_find(f, "84-1");
	assert_int_equal(b->key, a->key);
	idea_free(b);
	b = fx_find(f, "84-002");
	assert_string_equal(idea_get(b, IDEA_TITLE), "Second");
	idea_free(b);

	/* By key. */
	assert_int_equal(store_idea_get(f->s, a->key, &b, &f->err), 0);
	assert_string_equal(idea_get(b, IDEA_REF), "84-0001");
	idea_free(b);

	/* Not found. */
	const char *missing[] = {
	    "84-0003", "84-9999", "11-0001",
	    "",	       "zz",	  "84-",
	    "-1",      "84-1x",	  "3f1c1e0a-0000-4000-8000-000000000000"};
	for (size_t k = 0; k < sizeof(missing) / sizeof(*missing); k++) {
		i = (struct idea *)1;
		fai_err_clear(&f->err);
		int rc = store_idea_find(f->s, missing[k], &i, &f->err);
		if (rc != -FAI_ENOTFOUND)
			fail_msg("find '%s' gave %d", missing[k], rc);
		assert_int_equal(f->err.code, FAI_ENOTFOUND);
	}
	assert_int_equal(store_idea_get(f->s, 9999, &i, &f->err),
			 -FAI_ENOTFOUND);
	idea_free(a);
}

/* ------------------------------------------------------------ edit */

static void test_edit(void **state)
{
	struct fx *f = *state;
	char ref[24];
	uint64_t rev = 0;
	struct log_entry e;

	fx_create(f, fx_tick(&f->alice), "Atelier vélo", "Réparer", NULL, ref);
	struct store_set sets[] = {
	    {IDEA_TITLE, "  Atelier vélo participatif  "},
	    {IDEA_TERRITORY, "69123"},
	    {IDEA_NEED, "Réparer"}, /* unchanged: not in the log */
	};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->bob), ref, sets, 3,
					 0, &rev, &f->err),
			 0);
	assert_int_equal(rev, 2);
	struct idea *i = fx_find(f, ref);
	assert_string_equal(idea_get(i, IDEA_TITLE),
			    "Atelier vélo participatif");
	assert_string_equal(idea_get(i, IDEA_TERRITORY), "69123");
	assert_string_equal(idea_get(i, IDEA_NEED), "Réparer");
	assert_int_equal(idea_revision(i), 2);
	assert_string_equal(idea_get(i, IDEA_UPDATED_BY), "bob");
	fx_check_ok(f->s);

	fx_last_entry(f, i->key, &e);
	assert_int_equal(e.kind, LOG_EDIT);
	assert_int_equal(e.revision, 2);
	assert_string_equal(e.user, "bob");
	assert_null(e.client);
	assert_int_equal(e.nchanges, 2);
	const struct log_change *c = log_entry_change(&e, "title");
	assert_non_null(c);
	assert_string_equal(c->before, "Atelier vélo");
	assert_string_equal(c->after, "Atelier vélo participatif");
	c = log_entry_change(&e, "territory");
	assert_non_null(c);
	assert_null(c->before);
	assert_string_equal(c->after, "69123");
	assert_null(log_entry_change(&e, "need"));
	assert_null(log_entry_change(&e, "revision"));
	assert_null(log_entry_change(&e, "updated_at"));
	log_entry_clear(&e);

	/* Clearing a field. */
	struct store_set clear = {IDEA_TERRITORY, NULL};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->bob), ref, &clear, 1,
					 2, &rev, &f->err),
			 0);
	assert_int_equal(rev, 3);
	fx_last_entry(f, i->key, &e);
	assert_int_equal(e.nchanges, 1);
	assert_string_equal(e.changes[0].name, "territory");
	assert_string_equal(fx_s(e.changes[0].before), "69123");
	assert_null(e.changes[0].after);
	log_entry_clear(&e);
	fx_check_ok(f->s);
	idea_free(i);
}

static void test_edit_refusals(void **state)
{
	struct fx *f = *state;
	char ref[24];
	uint64_t rev = 77;

	fx_create(f, fx_tick(&f->alice), "Jardin partagé", NULL, NULL, ref);
	struct store_set t = {IDEA_TITLE, "Jardin partagé v2"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), ref, &t, 1,
					 1, &rev, &f->err),
			 0);
	assert_int_equal(rev, 2);
	uint64_t last = store_last_txn(f->s);

	/* Nothing changes. */
	rev = 77;
	fai_err_clear(&f->err);
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), ref, &t, 1,
					 0, &rev, &f->err),
			 -FAI_ENOTHING);
	assert_int_equal(rev, 77);
	assert_int_equal(f->err.code, FAI_ENOTHING);
	assert_int_equal(
	    store_idea_edit(f->s, &f->alice, ref, NULL, 0, 0, NULL, &f->err),
	    -FAI_ENOTHING);
	struct store_set same_trimmed = {IDEA_TITLE, " Jardin partagé v2 "};
	assert_int_equal(store_idea_edit(f->s, &f->alice, ref, &same_trimmed, 1,
					 0, NULL, &f->err),
			 -FAI_ENOTHING);

	/* Invalid values name their field. */
	struct {
		struct store_set set;
		const char *field;
	} bad[] = {
	    {{IDEA_SIRET, "123"}, "siret"},
	    {{IDEA_SIRET, "73282932000075"}, "siret"}, /* Luhn */
	    {{IDEA_REGION, "99"}, "region"},
	    {{IDEA_REGION, NULL}, "region"},
	    {{IDEA_TITLE, ""}, "title"},
	    {{IDEA_TITLE, "deux\nlignes"}, "title"},
	    {{IDEA_LAUNCH_DATE, "2025-02-30"}, "launch_date"},
	    {{IDEA_JOBS, "beaucoup"}, "jobs"},
	    {{IDEA_TERRITORY, "ZZ"}, "territory"},
	    {{IDEA_REVISION, "9"}, "revision"},
	    {{IDEA_STAGE, "launched"}, "stage"},
	    {{IDEA_REF, "84-0042"}, "ref"},
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(*bad); k++) {
		fai_err_clear(&f->err);
		int rc = store_idea_edit(f->s, &f->alice, ref, &bad[k].set, 1,
					 0, NULL, &f->err);
		if (rc != -FAI_EINVAL || strcmp(f->err.field, bad[k].field))
			fail_msg("edit %s: rc %d field '%s'", bad[k].field, rc,
				 f->err.field);
	}
	/* A bad value after a good one: nothing of the edit is kept. */
	struct store_set mixed[] = {{IDEA_THEME, "Alimentation"},
				    {IDEA_JOBS, "-3"}};
	assert_int_equal(
	    store_idea_edit(f->s, &f->alice, ref, mixed, 2, 0, NULL, &f->err),
	    -FAI_EINVAL);
	assert_string_equal(f->err.field, "jobs");

	/* Not found. */
	assert_int_equal(store_idea_edit(f->s, &f->alice, "84-0099", &t, 1, 0,
					 NULL, &f->err),
			 -FAI_ENOTFOUND);

	/* expect_rev: an older revision is a conflict, distinct from the
	 * rest, and changes nothing. */
	struct store_set u = {IDEA_THEME, "Écologie"};
	fai_err_clear(&f->err);
	assert_int_equal(
	    store_idea_edit(f->s, &f->bob, ref, &u, 1, 1, NULL, &f->err),
	    -FAI_ECONFLICT);
	assert_int_equal(f->err.code, FAI_ECONFLICT);
	/* the facts a person is told: the revision Bob had, the one found,
	 * and who made it (Alice), never text to parse back */
	assert_true(f->err.rev_had == 1);
	assert_true(f->err.rev_found == 2);
	assert_string_equal(f->err.by, "alice");
	assert_string_equal(f->err.value, ref);
	assert_string_equal(f->err.detail, "");
	assert_int_not_equal(-FAI_ECONFLICT, -FAI_EINVAL);
	assert_int_not_equal(-FAI_ECONFLICT, -FAI_ENOTHING);
	assert_int_equal(
	    store_idea_edit(f->s, &f->bob, ref, &u, 1, 3, NULL, &f->err),
	    -FAI_ECONFLICT);
	assert_int_equal(store_last_txn(f->s), last);
	struct idea *i = fx_find(f, ref);
	assert_int_equal(idea_revision(i), 2);
	assert_string_equal(idea_get(i, IDEA_THEME), "");
	assert_string_equal(idea_get(i, IDEA_JOBS), "");
	assert_string_equal(idea_get(i, IDEA_TITLE), "Jardin partagé v2");
	idea_free(i);
	struct fx_log l;
	fx_log_read(f, 0, &l);
	assert_int_equal(l.n, 2);
	free(l.v);

	/* The current revision works. */
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->bob), ref, &u, 1, 2,
					 &rev, &f->err),
			 0);
	assert_int_equal(rev, 3);
	fx_check_ok(f->s);
}

static void test_replace(void **state)
{
	struct fx *f = *state;
	char ref[24];
	uint64_t rev;
	fx_create(f, fx_tick(&f->alice), "Friperie", NULL, NULL, ref);
	struct idea *i = fx_find(f, ref);
	struct idea *ed = idea_clone(i);
	assert_int_equal(
	    idea_set(ed, IDEA_TITLE, "Friperie solidaire", 0, &f->err), 0);
	assert_int_equal(
	    idea_set(ed, IDEA_OWNER, "Association Trame", 0, &f->err), 0);
	/* A system field in the edited copy is not taken. */
	idea_set_raw(ed, IDEA_STAGE, "launched");
	assert_int_equal(
	    store_idea_replace(f->s, fx_tick(&f->alice), ed, 1, &rev, &f->err),
	    0);
	assert_int_equal(rev, 2);
	struct idea *got = fx_find(f, ref);
	assert_string_equal(idea_get(got, IDEA_TITLE), "Friperie solidaire");
	assert_string_equal(idea_get(got, IDEA_OWNER), "Association Trame");
	assert_string_equal(idea_get(got, IDEA_STAGE), "need");
	idea_free(got);
	assert_int_equal(
	    store_idea_replace(f->s, &f->alice, ed, 1, &rev, &f->err),
	    -FAI_ECONFLICT);
	assert_int_equal(
	    store_idea_replace(f->s, &f->alice, ed, 2, &rev, &f->err),
	    -FAI_ENOTHING);
	fx_check_ok(f->s);
	idea_free(i);
	idea_free(ed);
}

/* ------------------------------------------------------------ move */

static void test_move(void **state)
{
	struct fx *f = *state;
	char a[24], b[24], c[24], col[256];
	uint64_t rev = 0, counts[STAGE_COUNT];
	struct log_entry e;

	fx_create(f, fx_tick(&f->alice), "A", "Besoin A", "69", a);
	fx_create(f, fx_tick(&f->alice), "B", "Besoin B", "38", b);
	fx_create(f, fx_tick(&f->alice), "C", NULL, NULL, c);

	/* Gates satisfied: a normal move, at the end of the column. */
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), b,
					 STAGE_CONCEPT, NULL, 0, 1, &rev,
					 &f->err),
			 0);
	assert_int_equal(rev, 2);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), a,
					 STAGE_CONCEPT, NULL, 0, 0, &rev,
					 &f->err),
			 0);
	fx_column(f, STAGE_CONCEPT, col, sizeof(col));
	assert_string_equal(col, "84-0002 84-0001");
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0003");
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 1);
	assert_int_equal(counts[STAGE_CONCEPT], 2);
	fx_check_ok(f->s);
	struct idea *ia = fx_find(f, a);
	char when[ISOTIME_LEN];
	isotime_format(f->alice.now, when);
	assert_string_equal(idea_get(ia, IDEA_STAGE), "concept");
	assert_string_equal(idea_get(ia, IDEA_STAGE_SINCE), when);
	fx_last_entry(f, ia->key, &e);
	assert_int_equal(e.kind, LOG_MOVE);
	assert_int_equal(e.forced, 0);
	const struct log_change *ch = log_entry_change(&e, "stage");
	assert_non_null(ch);
	assert_string_equal(ch->before, "need");
	assert_string_equal(ch->after, "concept");
	log_entry_clear(&e);

	/* A refused gate lists the missing fields and changes nothing. */
	uint64_t last = store_last_txn(f->s);
	fai_err_clear(&f->err);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), c,
					 STAGE_CONCEPT, NULL, 0, 0, &rev,
					 &f->err),
			 -FAI_EGATE);
	assert_true(f->err.missing == ((UINT64_C(1) << IDEA_NEED) |
				       (UINT64_C(1) << IDEA_TERRITORY)));
	assert_int_equal(f->err.stage, STAGE_CONCEPT);
	assert_int_equal(f->err.stage_from, STAGE_NEED);
	assert_string_equal(f->err.detail, "");
	assert_int_equal(store_idea_move(f->s, &f->alice, a, STAGE_OWNER_SEARCH,
					 NULL, 0, 0, &rev, &f->err),
			 -FAI_EGATE);
	assert_true(f->err.missing == (UINT64_C(1) << IDEA_CONCEPT));
	/* Illegal moves (two stages forward) and a missing reason. */
	assert_int_equal(store_idea_move(f->s, &f->alice, c, STAGE_LAUNCHED,
					 NULL, 1, 0, &rev, &f->err),
			 -FAI_ERULE);
	assert_int_equal(store_idea_move(f->s, &f->alice, c, STAGE_ON_HOLD,
					 NULL, 0, 0, &rev, &f->err),
			 -FAI_ERULE);
	assert_int_equal(f->err.why, FAI_WHY_REASON);
	assert_int_equal(store_idea_move(f->s, &f->alice, c, STAGE_ABANDONED,
					 "  ", 1, 0, &rev, &f->err),
			 -FAI_ERULE);
	assert_int_equal(f->err.why, FAI_WHY_REASON);
	assert_int_equal(store_idea_move(f->s, &f->alice, c, STAGE_NEED, NULL,
					 0, 0, &rev, &f->err),
			 -FAI_ERULE);
	assert_int_equal(store_idea_move(f->s, &f->alice, "84-0404",
					 STAGE_CONCEPT, NULL, 0, 0, &rev,
					 &f->err),
			 -FAI_ENOTFOUND);
	assert_int_equal(store_idea_move(f->s, &f->alice, a, STAGE_NEED, NULL,
					 0, 1, &rev, &f->err),
			 -FAI_ECONFLICT);
	assert_int_equal(store_last_txn(f->s), last);
	struct idea *ic = fx_find(f, c);
	assert_string_equal(idea_get(ic, IDEA_STAGE), "need");
	assert_int_equal(idea_revision(ic), 1);

	/* force passes the gate and the log says so. */
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->bob), c,
					 STAGE_CONCEPT, NULL, 1, 1, &rev,
					 &f->err),
			 0);
	assert_int_equal(rev, 2);
	fx_last_entry(f, ic->key, &e);
	assert_int_equal(e.kind, LOG_MOVE);
	assert_int_equal(e.forced, 1);
	assert_string_equal(e.user, "bob");
	log_entry_clear(&e);
	fx_column(f, STAGE_CONCEPT, col, sizeof(col));
	assert_string_equal(col, "84-0002 84-0001 84-0003");
	fx_check_ok(f->s);

	/* on_hold and abandoned with a reason; back; reopen. */
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), b,
					 STAGE_ON_HOLD, "Attente financement",
					 0, 0, &rev, &f->err),
			 0);
	struct idea *ib = fx_find(f, b);
	assert_string_equal(idea_get(ib, IDEA_STAGE_REASON),
			    "Attente financement");
	assert_string_equal(idea_get(ib, IDEA_STAGE_PREV), "concept");
	idea_free(ib);
	fx_last_entry(f, ia->key, &e); /* a's log is untouched */
	assert_int_equal(e.revision, 2);
	log_entry_clear(&e);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), a,
					 STAGE_ABANDONED, "Porteur parti", 0, 0,
					 &rev, &f->err),
			 0);
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 0);
	assert_int_equal(counts[STAGE_CONCEPT], 1);
	assert_int_equal(counts[STAGE_ON_HOLD], 1);
	assert_int_equal(counts[STAGE_ABANDONED], 1);
	fx_check_ok(f->s);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), a,
					 STAGE_NEED, NULL, 0, 0, &rev, &f->err),
			 -FAI_ERULE);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), a,
					 STAGE_CONCEPT, NULL, 0, 0, &rev,
					 &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), b,
					 STAGE_NEED, NULL, 0, 0, &rev, &f->err),
			 0);
	fx_column(f, STAGE_CONCEPT, col, sizeof(col));
	assert_string_equal(col, "84-0003 84-0001");
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0002");
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 1);
	assert_int_equal(counts[STAGE_CONCEPT], 2);
	assert_int_equal(counts[STAGE_ON_HOLD], 0);
	assert_int_equal(counts[STAGE_ABANDONED], 0);
	fx_check_ok(f->s);

	/* Launched: three gates. */
	struct store_set cs = {IDEA_CONCEPT, "Un lieu"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), a, &cs, 1, 0,
					 NULL, &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), a,
					 STAGE_OWNER_SEARCH, NULL, 0, 0, &rev,
					 &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), a,
					 STAGE_LAUNCHED, NULL, 0, 0, &rev,
					 &f->err),
			 -FAI_EGATE);
	assert_true(f->err.missing == ((UINT64_C(1) << IDEA_OWNER) |
				       (UINT64_C(1) << IDEA_STRUCTURE) |
				       (UINT64_C(1) << IDEA_LAUNCH_DATE)));
	fx_check_ok(f->s);
	idea_free(ia);
	idea_free(ic);
}

/* ------------------------------------------------------------ comment */

/* Issue 12: a search reads the comments: the ideas that have one holding
 * the text, once each, in key order; an undone comment no longer counts. */
static void test_comments_search(void **state)
{
	struct fx *f = *state;
	char a[24], b[24], c[24];
	uint64_t *keys = (uint64_t *)1;
	size_t n = 9;

	fx_create(f, fx_tick(&f->alice), "Premier", NULL, NULL, a);
	fx_create(f, fx_tick(&f->alice), "Deuxième", NULL, NULL, b);
	fx_create(f, fx_tick(&f->alice), "Troisième", NULL, NULL, c);
	struct idea *ia = fx_find(f, a), *ib = fx_find(f, b);

	assert_int_equal(
	    store_comments_search(f->s, "tulle", &keys, &n, &f->err), 0);
	assert_null(keys);
	assert_int_equal(n, 0);
	/* two of b's comments hold it, one of a's; c's does not */
	const char *const said[][2] = {
	    {b, "Rencontre à TULLE avec le CCAS"},
	    {c, "Rien à voir"},
	    {a, "Réunion à Tulle"},
	    {b, "Encore Tulle"},
	};
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob),
						    said[k][0], said[k][1], 0,
						    NULL, &f->err),
				 0);
	assert_int_equal(
	    store_comments_search(f->s, "tülle", &keys, &n, &f->err), 0);
	assert_int_equal(n, 2);
	assert_true(ia->key < ib->key);
	assert_int_equal(keys[0], ia->key);
	assert_int_equal(keys[1], ib->key);
	free(keys);
	/* an empty text finds none; a text in no comment finds none */
	assert_int_equal(store_comments_search(f->s, "", &keys, &n, &f->err),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    store_comments_search(f->s, "Ussel", &keys, &n, &f->err), 0);
	assert_int_equal(n, 0);
	assert_null(keys);
	/* b's last comment undone: its first still holds it */
	assert_int_equal(store_undo(f->s, fx_tick(&f->bob), 0, NULL, &f->err),
			 0);
	assert_int_equal(
	    store_comments_search(f->s, "encore", &keys, &n, &f->err), 0);
	assert_int_equal(n, 0);
	free(keys);
	assert_int_equal(
	    store_comments_search(f->s, "tulle", &keys, &n, &f->err), 0);
	assert_int_equal(n, 2);
	free(keys);
	fx_check_ok(f->s);
	idea_free(ia);
	idea_free(ib);
}

static void test_comment(void **state)
{
	struct fx *f = *state;
	char ref[24], other[24];
	uint64_t rev;
	struct log_entry *v = NULL;
	size_t n = 9;

	f->bob.now = f->alice.now + 3600; /* bob's comments come later */
	fx_create(f, fx_tick(&f->alice), "Café associatif", NULL, NULL, ref);
	fx_create(f, fx_tick(&f->alice), "Autre", NULL, NULL, other);
	struct idea *i = fx_find(f, ref);
	struct idea *o = fx_find(f, other);

	assert_int_equal(store_comments(f->s, i->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 0);
	free(v);

	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->alice), ref,
					    "Premier contact avec la mairie", 1,
					    &rev, &f->err),
			 0);
	assert_int_equal(rev, 2);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), other,
					    "Sur l'autre", 0, NULL, &f->err),
			 0);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), ref,
					    "Local trouvé\nrue Garibaldi", 0,
					    &rev, &f->err),
			 0);
	assert_int_equal(rev, 3);
	assert_int_equal(fx_rev(f, ref), 3);

	assert_int_equal(store_comments(f->s, i->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].kind, LOG_COMMENT);
	assert_string_equal(v[0].text, "Premier contact avec la mairie");
	assert_string_equal(v[0].user, "alice");
	assert_string_equal(v[1].text, "Local trouvé\nrue Garibaldi");
	assert_string_equal(v[1].user, "bob");
	assert_true(v[0].at < v[1].at);
	assert_true(v[0].seq < v[1].seq);
	for (size_t k = 0; k < n; k++)
		log_entry_clear(&v[k]);
	free(v);
	assert_int_equal(store_comments(f->s, o->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].text, "Sur l'autre");
	log_entry_clear(&v[0]);
	free(v);

	/* Refused: empty, blank, NULL, bad UTF-8, stale, missing. */
	uint64_t last = store_last_txn(f->s);
	/* ... and control characters: ESC, BEL, DEL, the 8-bit CSI U+009B. */
	const char *bad[] = {"",
			     "   ",
			     " \n\t ",
			     "\xc3\x28",
			     "a\x1b[2Jb",
			     "a\x07",
			     "a\x7f",
			     "a\xc2\x9b"
			     "2J"};
	for (size_t k = 0; k < sizeof(bad) / sizeof(*bad); k++) {
		fai_err_clear(&f->err);
		assert_int_equal(store_idea_comment(f->s, &f->alice, ref,
						    bad[k], 0, NULL, &f->err),
				 -FAI_EINVAL);
		assert_string_equal(f->err.field, "comment");
	}
	assert_int_equal(
	    store_idea_comment(f->s, &f->alice, ref, NULL, 0, NULL, &f->err),
	    -FAI_EINVAL);
	assert_int_equal(
	    store_idea_comment(f->s, &f->alice, ref, "tard", 2, NULL, &f->err),
	    -FAI_ECONFLICT);
	assert_int_equal(store_idea_comment(f->s, &f->alice, "84-0077", "x", 0,
					    NULL, &f->err),
			 -FAI_ENOTFOUND);
	assert_int_equal(store_last_txn(f->s), last);
	assert_int_equal(fx_rev(f, ref), 3);
	fx_check_ok(f->s);
	idea_free(i);
	idea_free(o);
}

/* ------------------------------------------------------------ reorder */

static void test_reorder(void **state)
{
	struct fx *f = *state;
	char r[5][24], col[256];
	uint64_t rev;

	for (int k = 0; k < 4; k++) {
		char title[32];
		snprintf(title, sizeof(title), "Carte %d", k + 1);
		fx_create(f, fx_tick(&f->alice), title, "b", "69", r[k]);
	}
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001 84-0002 84-0003 84-0004");

	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), "84-4",
					    -1, 1, &rev, &f->err),
			 0);
	assert_int_equal(rev, 2);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001 84-0002 84-0004 84-0003");
	fx_check_ok(f->s);

	/* At the ends. */
	uint64_t last = store_last_txn(f->s);
	fai_err_clear(&f->err);
	assert_int_equal(
	    store_idea_reorder(f->s, &f->alice, "84-1", -1, 0, &rev, &f->err),
	    -FAI_ENOTHING);
	assert_int_equal(f->err.code, FAI_ENOTHING);
	assert_int_equal(
	    store_idea_reorder(f->s, &f->alice, "84-1", -50, 0, &rev, &f->err),
	    -FAI_ENOTHING);
	assert_int_equal(
	    store_idea_reorder(f->s, &f->alice, "84-3", 1, 0, &rev, &f->err),
	    -FAI_ENOTHING);
	assert_int_equal(
	    store_idea_reorder(f->s, &f->alice, "84-2", 0, 0, &rev, &f->err),
	    -FAI_ENOTHING);
	assert_int_equal(
	    store_idea_reorder(f->s, &f->alice, "84-9", 1, 0, &rev, &f->err),
	    -FAI_ENOTFOUND);
	assert_int_equal(
	    store_idea_reorder(f->s, &f->alice, "84-4", 1, 1, &rev, &f->err),
	    -FAI_ECONFLICT);
	assert_int_equal(store_last_txn(f->s), last);

	/* Stopping at the ends; several places at once. */
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), "84-4",
					    -10, 0, &rev, &f->err),
			 0);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0004 84-0001 84-0002 84-0003");
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), "84-4", 2,
					    0, &rev, &f->err),
			 0);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001 84-0002 84-0004 84-0003");
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), "84-1",
					    99, 0, &rev, &f->err),
			 0);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0002 84-0004 84-0003 84-0001");

	/* A reorder is logged with the rank change only. */
	struct idea *i = fx_find(f, "84-1");
	struct log_entry e;
	fx_last_entry(f, i->key, &e);
	assert_int_equal(e.kind, LOG_REORDER);
	assert_int_equal(e.nchanges, 1);
	assert_string_equal(e.changes[0].name, "rank");
	log_entry_clear(&e);
	idea_free(i);
	fx_check_ok(f->s);

	/* Reordering in one column leaves the others alone. */
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), "84-3",
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), "84-3",
					    -1, 0, NULL, &f->err),
			 -FAI_ENOTHING);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0002 84-0004 84-0001");
	fx_check_ok(f->s);
}

/* Moving the last card up, again and again, halves the gap between two
 * neighbours each time until the column must be renumbered. */
static void test_reorder_renumber(void **state)
{
	struct fx *f = *state;
	enum { N = 5 };
	char r[N][24], col[512], want[512];
	int order[N];
	struct idea *other;

	for (int k = 0; k < N; k++) {
		char title[32];
		snprintf(title, sizeof(title), "Carte %d", k + 1);
		fx_create(f, fx_tick(&f->alice), title, "b", "69", r[k]);
		order[k] = k;
	}
	char o[24];
	fx_create(f, fx_tick(&f->alice), "Ailleurs", "b", "69", o);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), o,
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	other = fx_find(f, o);

	for (int round = 0; round < 60; round++) {
		/* The last card goes up one place: it lands between the two
		 * cards before it, always at the same place. */
		int last = order[N - 1];
		int rc = store_idea_reorder(f->s, fx_tick(&f->alice), r[last],
					    -1, 0, NULL, &f->err);
		if (rc)
			fail_msg("round %d: %s (%s)", round, fai_strerror(rc),
				 f->err.detail);
		order[N - 1] = order[N - 2];
		order[N - 2] = last;
		want[0] = '\0';
		for (int k = 0; k < N; k++) {
			size_t len = strlen(want);
			snprintf(want + len, sizeof(want) - len, "%s%s",
				 k ? " " : "", r[order[k]]);
		}
		fx_column(f, STAGE_NEED, col, sizeof(col));
		if (strcmp(col, want))
			fail_msg("round %d: column '%s', want '%s'", round, col,
				 want);
		if (round % 10 == 9)
			fx_check_ok(f->s);
	}
	/* Every rank distinct and increasing, the card of the other column
	 * untouched. */
	struct idea **v = NULL;
	size_t n = 0;
	assert_int_equal(
	    store_stage_page(f->s, STAGE_NEED, NULL, 100, &v, &n, &f->err), 0);
	assert_int_equal(n, N);
	for (size_t k = 1; k < n; k++)
		assert_true(v[k - 1]->rank < v[k]->rank);
	for (size_t k = 0; k < n; k++)
		idea_free(v[k]);
	free(v);
	struct idea *again = fx_find(f, o);
	assert_int_equal(again->rank, other->rank);
	assert_int_equal(idea_revision(again), idea_revision(other));
	idea_free(again);
	idea_free(other);
	fx_check_ok(f->s);

	/* And the same at the top of the column, going down. */
	for (int round = 0; round < 60; round++) {
		int first = order[0];
		assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice),
						    r[first], 1, 0, NULL,
						    &f->err),
				 0);
		order[0] = order[1];
		order[1] = first;
	}
	want[0] = '\0';
	for (int k = 0; k < N; k++) {
		size_t len = strlen(want);
		snprintf(want + len, sizeof(want) - len, "%s%s", k ? " " : "",
			 r[order[k]]);
	}
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, want);
	fx_check_ok(f->s);
}

/* ------------------------------------------------------------ log */

static void test_log(void **state)
{
	struct fx *f = *state;
	char a[24], b[24];
	struct fx_log l;

	fx_create(f, fx_tick(&f->alice), "A", "n", "69", a);
	fx_create(f, fx_tick(&f->bob), "B", NULL, NULL, b);
	struct store_set s1 = {IDEA_THEME, "Mobilité"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), a, &s1, 1, 0,
					 NULL, &f->err),
			 0);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), b, "Vu", 0,
					    NULL, &f->err),
			 0);
	int64_t mid = f->alice.now + 1;
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), a,
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	assert_int_equal(store_config_set(f->s, fx_tick(&f->alice), "wip.need",
					  "5", &f->err),
			 0);
	assert_int_equal(
	    store_idea_reorder(f->s, fx_tick(&f->bob), b, 1, 0, NULL, &f->err),
	    -FAI_ENOTHING);

	fx_log_read(f, 0, &l);
	assert_int_equal(l.n, 6);
	const enum log_kind kinds[] = {LOG_CREATE,  LOG_CREATE, LOG_EDIT,
				       LOG_COMMENT, LOG_MOVE,	LOG_CONFIG};
	for (size_t k = 0; k < l.n; k++) {
		assert_int_equal(l.v[k].seq, k + 1);
		assert_int_equal(l.v[k].kind, kinds[k]);
	}
	assert_string_equal(l.v[3].text, "Vu");
	assert_string_equal(l.v[3].user, "bob");
	assert_int_equal(l.v[5].idea_key, 0);
	assert_string_equal(l.v[5].names, "config:wip.need");
	free(l.v);

	struct idea *ia = fx_find(f, a), *ib = fx_find(f, b);
	fx_log_read(f, ia->key, &l);
	assert_int_equal(l.n, 3);
	for (size_t k = 0; k < l.n; k++) {
		assert_int_equal(l.v[k].revision, k + 1);
		assert_int_equal(l.v[k].idea_key, ia->key);
		assert_string_equal(l.v[k].ref, a);
	}
	assert_int_equal(l.v[2].kind, LOG_MOVE);
	free(l.v);
	fx_log_read(f, ib->key, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].revision, 1);
	assert_int_equal(l.v[1].revision, 2);
	assert_int_equal(l.v[1].kind, LOG_COMMENT);
	free(l.v);
	fx_log_read(f, 12345, &l);
	assert_int_equal(l.n, 0);
	free(l.v);

	/* since: the entries at or after a time. */
	l.v = NULL;
	l.n = 0;
	assert_int_equal(
	    store_log_foreach(f->s, 0, mid, fx_log_collect, &l, &f->err), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].kind, LOG_MOVE);
	free(l.v);

	idea_free(ia);
	idea_free(ib);
	fx_check_ok(f->s);
}

static int stop_at_third(const struct log_entry *e, void *arg)
{
	int *seen = arg;
	(*seen)++;
	return e->seq == 3 ? 42 : 0;
}

static int count_ideas(const struct idea *i, void *arg)
{
	struct buf *b = arg;
	buf_printf(b, "%s%s", b->len ? " " : "", idea_get(i, IDEA_REF));
	return 0;
}

static void test_foreach_stops(void **state)
{
	struct fx *f = *state;
	int seen = 0;
	for (int k = 0; k < 5; k++)
		fx_create(f, fx_tick(&f->alice), "X", "n", "69", NULL);
	assert_int_equal(
	    store_log_foreach(f->s, 0, 0, stop_at_third, &seen, &f->err), 42);
	assert_int_equal(seen, 3);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), "84-2",
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), "84-4",
					 STAGE_ABANDONED, "non", 0, 0, NULL,
					 &f->err),
			 0);
	struct buf b;
	buf_init(&b);
	assert_int_equal(store_idea_foreach(f->s, count_ideas, &b, &f->err), 0);
	assert_string_equal(b.data, "84-0001 84-0003 84-0005 84-0002 84-0004");
	buf_free(&b);
}

/* ------------------------------------------------------------ config */

static void test_config(void **state)
{
	struct fx *f = *state;
	char *v = NULL;

	assert_int_equal(store_config_get(f->s, "stale.days", &v, &f->err), 0);
	assert_string_equal(v, "30");
	free(v);
	assert_int_equal(store_config_get(f->s, "wip.concept", &v, &f->err), 0);
	assert_string_equal(v, "0");
	free(v);
	v = (char *)1;
	assert_int_equal(store_config_get(f->s, "stale.jours", &v, &f->err),
			 -FAI_EINVAL);
	assert_null(v);

	uint64_t last = store_last_txn(f->s);
	assert_int_equal(
	    store_config_set(f->s, fx_tick(&f->alice), "nope", "1", &f->err),
	    -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_CONFIG);
	assert_int_equal(
	    store_config_set(f->s, &f->alice, "stale.days", "0", &f->err),
	    -FAI_EINVAL);
	assert_int_equal(
	    store_config_set(f->s, &f->alice, "stale.days", "abc", &f->err),
	    -FAI_EINVAL);
	assert_int_equal(
	    store_config_set(f->s, &f->alice, "stale.days", "", &f->err),
	    -FAI_EINVAL);
	assert_int_equal(
	    store_config_set(f->s, &f->alice, "stale.days", "30", &f->err),
	    -FAI_ENOTHING);
	assert_int_equal(store_last_txn(f->s), last);

	assert_int_equal(store_config_set(f->s, fx_tick(&f->alice),
					  "stale.days", "45", &f->err),
			 0);
	assert_int_equal(store_config_get(f->s, "stale.days", &v, &f->err), 0);
	assert_string_equal(v, "45");
	free(v);
	fx_reopen(f);
	assert_int_equal(store_config_get(f->s, "stale.days", &v, &f->err), 0);
	assert_string_equal(v, "45");
	free(v);

	struct log_entry e;
	fx_last_entry(f, 0, &e);
	assert_int_equal(e.kind, LOG_CONFIG);
	assert_int_equal(e.idea_key, 0);
	assert_string_equal(e.user, "alice");
	assert_int_equal(e.nchanges, 1);
	assert_string_equal(e.changes[0].name, "config:stale.days");
	assert_string_equal(fx_s(e.changes[0].before), "30");
	assert_string_equal(fx_s(e.changes[0].after), "45");
	log_entry_clear(&e);
	fx_check_ok(f->s);
}

/* ------------------------------------------------------------ paging */

static void test_paging(void **state)
{
	struct fx *f = *state;
	enum { N = 137 };
	struct idea **all = NULL, **page;
	size_t nall = 0;

	for (int k = 0; k < N; k++) {
		char title[32];
		snprintf(title, sizeof(title), "Idée %d", k);
		fx_create(f, fx_tick(&f->alice), title, "n", "69", NULL);
	}
	/* Cards of the neighbouring columns must not leak in. */
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), "84-10",
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), "84-11",
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), "84-100",
					    -40, 0, NULL, &f->err),
			 0);

	assert_int_equal(store_stage_page(f->s, STAGE_NEED, NULL, 1000, &all,
					  &nall, &f->err),
			 0);
	assert_int_equal(nall, N - 2);

	struct store_pos pos = {0, 0};
	size_t seen = 0, pages = 0;
	for (;;) {
		size_t n = 0;
		page = NULL;
		assert_int_equal(store_stage_page(f->s, STAGE_NEED, &pos, 50,
						  &page, &n, &f->err),
				 0);
		assert_true(n <= 50);
		if (n == 0) {
			free(page);
			break;
		}
		pages++;
		for (size_t k = 0; k < n; k++) {
			assert_true(seen + k < nall);
			assert_int_equal(page[k]->key, all[seen + k]->key);
			assert_string_equal(idea_get(page[k], IDEA_STAGE),
					    "need");
		}
		pos.rank = page[n - 1]->rank;
		pos.key = page[n - 1]->key;
		seen += n;
		for (size_t k = 0; k < n; k++)
			idea_free(page[k]);
		free(page);
	}
	assert_int_equal(seen, nall);
	assert_int_equal(pages, 3);

	/* Pages are appended to what *out holds; max 0 reads nothing. */
	size_t n = 1;
	page = xcalloc(1, sizeof(*page));
	page[0] = idea_new();
	assert_int_equal(
	    store_stage_page(f->s, STAGE_CONCEPT, NULL, 10, &page, &n, &f->err),
	    0);
	assert_int_equal(n, 3);
	assert_string_equal(idea_get(page[1], IDEA_REF), "84-0010");
	assert_string_equal(idea_get(page[2], IDEA_REF), "84-0011");
	assert_int_equal(
	    store_stage_page(f->s, STAGE_CONCEPT, NULL, 0, &page, &n, &f->err),
	    0);
	assert_int_equal(n, 3);
	for (size_t k = 0; k < n; k++)
		idea_free(page[k]);
	free(page);
	page = NULL;
	n = 0;
	assert_int_equal(store_stage_page(f->s, STAGE_LAUNCHED, NULL, 10, &page,
					  &n, &f->err),
			 0);
	assert_int_equal(n, 0);
	free(page);
	assert_int_equal(store_stage_page(f->s, STAGE_ABANDONED, NULL, 10,
					  &page, &n, &f->err),
			 0);
	assert_int_equal(n, 0);
	free(page);

	for (size_t k = 0; k < nall; k++)
		idea_free(all[k]);
	free(all);
	fx_check_ok(f->s);
}

/* Paging backwards from the end of a column returns every card once, and
 * each page in board order. */
static void test_paging_back(void **state)
{
	struct fx *f = *state;
	enum { N = 123 };
	struct idea **all = NULL;
	size_t nall = 0;

	for (int k = 0; k < N; k++)
		fx_create(f, fx_tick(&f->alice), "Carte", "n", "69", NULL);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), "84-1",
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), "84-123",
					    -60, 0, NULL, &f->err),
			 0);
	assert_int_equal(store_stage_page(f->s, STAGE_NEED, NULL, 1000, &all,
					  &nall, &f->err),
			 0);
	assert_int_equal(nall, N - 1);

	size_t end = nall, pages = 0;
	struct store_pos pos;
	const struct store_pos *from = NULL;
	for (;;) {
		struct idea **page = NULL;
		size_t n = 0;
		assert_int_equal(store_stage_page_back(f->s, STAGE_NEED, from,
						       50, &page, &n, &f->err),
				 0);
		assert_true(n <= 50);
		if (n == 0) {
			free(page);
			break;
		}
		pages++;
		assert_true(n <= end);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(page[k]->key, all[end - n + k]->key);
		end -= n;
		pos.rank = page[0]->rank;
		pos.key = page[0]->key;
		from = &pos;
		for (size_t k = 0; k < n; k++)
			idea_free(page[k]);
		free(page);
	}
	assert_int_equal(end, 0);
	assert_int_equal(pages, 3);

	/* The concept column holds one card; an empty column gives none. */
	struct idea **page = NULL;
	size_t n = 0;
	assert_int_equal(store_stage_page_back(f->s, STAGE_CONCEPT, NULL, 50,
					       &page, &n, &f->err),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(idea_get(page[0], IDEA_REF), "84-0001");
	assert_int_equal(store_stage_page_back(f->s, STAGE_LAUNCHED, NULL, 50,
					       &page, &n, &f->err),
			 0);
	assert_int_equal(n, 1);
	idea_free(page[0]);
	free(page);
	for (size_t k = 0; k < nall; k++)
		idea_free(all[k]);
	free(all);
}

/* store_log_last, store_log_get and store_my_last_seq. */
static void test_log_last_and_get(void **state)
{
	struct fx *f = *state;
	uint64_t seq = 99;
	struct log_entry e;
	char ref[24];

	assert_int_equal(store_log_last(f->s, &seq, &f->err), 0);
	assert_int_equal(seq, 0);
	assert_int_equal(store_my_last_seq(f->s), 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(store_log_get(f->s, 1, &e, &f->err), -FAI_ENOTFOUND);

	fx_create(f, fx_tick(&f->alice), "Journal", NULL, NULL, ref);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), ref, "Lu",
					    0, NULL, &f->err),
			 0);
	assert_int_equal(store_log_last(f->s, &seq, &f->err), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(store_my_last_seq(f->s), 2);
	assert_int_equal(store_log_get(f->s, 2, &e, &f->err), 0);
	assert_int_equal(e.seq, 2);
	assert_int_equal(e.kind, LOG_COMMENT);
	assert_string_equal(e.text, "Lu");
	assert_string_equal(e.user, "bob");
	log_entry_clear(&e);
	assert_int_equal(store_log_get(f->s, 1, &e, &f->err), 0);
	assert_int_equal(e.kind, LOG_CREATE);
	assert_string_equal(e.ref, ref);
	log_entry_clear(&e);
	assert_int_equal(store_log_get(f->s, 3, &e, &f->err), -FAI_ENOTFOUND);

	/* Refusals and writes without a log entry leave both alone. */
	assert_int_equal(
	    store_idea_comment(f->s, &f->bob, ref, "", 0, NULL, &f->err),
	    -FAI_EINVAL);
	assert_int_equal(
	    store_idea_reorder(f->s, &f->bob, ref, 1, 0, NULL, &f->err),
	    -FAI_ENOTHING);
	assert_int_equal(store_meta_set(f->s, "demo", "1", &f->err), 0);
	assert_int_equal(store_log_last(f->s, &seq, &f->err), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(store_my_last_seq(f->s), 2);

	/* Another opening of the store has written nothing yet. */
	fx_reopen(f);
	assert_int_equal(store_my_last_seq(f->s), 0);
	assert_int_equal(store_log_last(f->s, &seq, &f->err), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(
	    store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
	    -FAI_ECONFLICT); /* bob commented after alice's create */
	assert_int_equal(store_my_last_seq(f->s), 0);
	assert_int_equal(store_undo(f->s, fx_tick(&f->bob), 0, NULL, &f->err),
			 0);
	assert_int_equal(store_my_last_seq(f->s), 3);
}

/* Degenerate inputs: NULL and unknown names, bad stage and field codes,
 * a comment over the limit; an imported stage is kept. */
static void test_degenerate(void **state)
{
	struct fx *f = *state;
	char ref[24];
	struct idea *i = NULL;

	fx_create(f, fx_tick(&f->alice), "Bornes", "n", "69", ref);
	assert_int_equal(store_idea_find(f->s, NULL, &i, &f->err),
			 -FAI_ENOTFOUND);
	struct store_set t = {IDEA_TITLE, "x"};
	assert_int_equal(
	    store_idea_edit(f->s, &f->alice, NULL, &t, 1, 0, NULL, &f->err),
	    -FAI_ENOTFOUND);
	struct store_set badf = {(enum idea_field)IDEA_FIELD_COUNT, "x"};
	assert_int_equal(
	    store_idea_edit(f->s, &f->alice, ref, &badf, 1, 0, NULL, &f->err),
	    -FAI_EINVAL);
	assert_int_equal(store_idea_move(f->s, &f->alice, ref,
					 (enum stage)STAGE_COUNT, NULL, 1, 0,
					 NULL, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(store_idea_move(f->s, &f->alice, ref, STAGE_NONE, NULL,
					 1, 0, NULL, &f->err),
			 -FAI_EINVAL);
	size_t big = 64 * 1024 + 1;
	char *text = xmalloc(big + 1);
	memset(text, 'a', big);
	text[big] = '\0';
	assert_int_equal(
	    store_idea_comment(f->s, &f->alice, ref, text, 0, NULL, &f->err),
	    -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_TOO_LONG);
	text[big - 1] = '\0'; /* exactly the limit */
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->alice), ref, text,
					    0, NULL, &f->err),
			 0);
	free(text);
	assert_int_equal(fx_rev(f, ref), 2);

	/* An idea imported at a later stage lands in that column. */
	struct idea *imp = fx_idea("Importée lancée", NULL, NULL);
	idea_set_raw(imp, IDEA_STAGE, "launched");
	assert_int_equal(
	    store_idea_create(f->s, fx_tick(&f->alice), imp, &f->err), 0);
	char col[64];
	fx_column(f, STAGE_LAUNCHED, col, sizeof(col));
	assert_string_equal(col, idea_get(imp, IDEA_REF));
	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_LAUNCHED], 1);
	assert_int_equal(counts[STAGE_NEED], 1);
	idea_free(imp);
	/* A stage that is no stage is refused. */
	imp = fx_idea("Étape inconnue", NULL, NULL);
	idea_set_raw(imp, IDEA_STAGE, "ailleurs");
	assert_int_equal(store_idea_create(f->s, &f->alice, imp, &f->err),
			 -FAI_EINVAL);
	assert_string_equal(f->err.field, "stage");
	idea_free(imp);
	fx_check_ok(f->s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open_create_and_missing,
					    fx_setup_dir, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_open_meta_set, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_open_readonly, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_schema_newer_refused, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_create_assigns, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_create_invalid, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_create_given_ref_and_id,
					    fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_find, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_edit, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_edit_refusals, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_replace, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_move, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_comment, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_comments_search, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_reorder, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_reorder_renumber, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_log, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_foreach_stops, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_config, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_paging, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_paging_back, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_degenerate, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_log_last_and_get, fx_setup,
					    fx_teardown),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
