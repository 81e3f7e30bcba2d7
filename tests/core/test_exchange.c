/* test_exchange.c - the exchange fingerprint (core/exchange.c) is part of
 * every store: what an idea looked like when it was last exported or
 * imported is kept as this digest.  Its input must never change, however
 * it is computed, or every idea would look changed on both sides after an
 * upgrade (a conflict at the next import).  The values below were computed
 * by the first version, hashing field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/exchange.h"
#include "../../core/idea.h"
#include "../../core/sha256.h"

/* The fingerprint of an owned idea, lent as a view. */
static void hash_idea(const struct idea *idea, unsigned char h[SHA256_LEN])
{
	struct idea_view view;

	idea_view_of(idea, &view);
	exchange_hash(&view, h);
}

static void expect_hash(const struct idea *idea, const char *hex)
{
	unsigned char h[SHA256_LEN];
	char got[SHA256_HEX_LEN];

	hash_idea(idea, h);
	sha256_hex(h, got);
	assert_string_equal(got, hex);
}

static void test_fingerprint_stable(void **state)
{
	struct idea *i = idea_new(), *e = idea_new();

	(void)state;
	idea_set_raw(i, IDEA_TITLE, "Épicerie solidaire");
	idea_set_raw(i, IDEA_REGION, "84");
	idea_set_raw(i, IDEA_STAGE, "concept");
	idea_set_raw(i, IDEA_NEED, "ligne 1\nligne 2");
	idea_set_raw(i, IDEA_REVISION, "7");
	idea_extra_add(i, "zeta", "z", 0);
	idea_extra_add(i, "alpha", "a", 1);
	expect_hash(i, "5cb5df16ad8f95c23284ce2d61b63c25"
		       "e055304ee9ac8c56bf4cf9d77dc41880");
	expect_hash(e, "69a311a2f5efe30673f39a4bbea2f467"
		       "69e794daf11a634d4705d13173babeb8");
	idea_free(i);
	idea_free(e);
}

static void test_fingerprint_ignores_bookkeeping(void **state)
{
	struct idea *a = idea_new(), *b;
	unsigned char ha[SHA256_LEN], hb[SHA256_LEN];

	(void)state;
	idea_set_raw(a, IDEA_TITLE, "Tiers-lieu");
	idea_set_raw(a, IDEA_REGION, "53");
	idea_extra_add(a, "b", "2", 0);
	idea_extra_add(a, "a", "1", 1);
	b = idea_clone(a);
	/* revision, updated_at and updated_by are each store's own. */
	idea_set_raw(b, IDEA_REVISION, "42");
	idea_set_raw(b, IDEA_UPDATED_BY, "someone");
	idea_set_raw(b, IDEA_UPDATED_AT, "2026-01-01T00:00:00Z");
	hash_idea(a, ha);
	hash_idea(b, hb);
	assert_memory_equal(ha, hb, SHA256_LEN);
	/* Unknown columns count by name, whatever their order. */
	struct idea *c = idea_new();
	idea_set_raw(c, IDEA_TITLE, "Tiers-lieu");
	idea_set_raw(c, IDEA_REGION, "53");
	idea_extra_add(c, "a", "1", 0);
	idea_extra_add(c, "b", "2", 1);
	hash_idea(c, hb);
	assert_memory_equal(ha, hb, SHA256_LEN);
	idea_free(c);
	/* Any other field counts. */
	idea_set_raw(b, IDEA_THEME, "x");
	hash_idea(b, hb);
	assert_memory_not_equal(ha, hb, SHA256_LEN);
	idea_free(a);
	idea_free(b);
}

/* The three-way merge decision, every case: an imported row (theirs), the
 * local idea, and what was last exchanged (base: its fingerprint and the
 * local revision then).  Each row says which fingerprints are equal and
 * whether the local idea changed since the exchange; the result is what a
 * person sees: nothing, the update, or a conflict to settle. */
static void test_merge_truth_table(void **state)
{
	static const struct {
		int theirs_is_local;
		int have_base;
		int theirs_is_base;
		int local_unchanged; /* local_rev == base_rev */
		enum exchange_decision want;
		const char *why;
	} rows[] = {
	    /* nothing new: the file says what we have */
	    {1, 0, 0, 0, EXCHANGE_UNCHANGED, "same as local, never exchanged"},
	    {1, 1, 0, 0, EXCHANGE_UNCHANGED, "same as local, local changed"},
	    {1, 1, 0, 1, EXCHANGE_UNCHANGED, "same as local, local unchanged"},
	    {1, 1, 1, 0, EXCHANGE_UNCHANGED, "all three equal, rev moved"},
	    {1, 1, 1, 1, EXCHANGE_UNCHANGED, "all three equal"},
	    /* they send back what we sent: our later edits stay */
	    {0, 1, 1, 0, EXCHANGE_UNCHANGED,
	     "their copy is the base, we changed"},
	    {0, 1, 1, 1, EXCHANGE_UNCHANGED,
	     "their copy is the base, same rev"},
	    /* they changed it and we did not: take theirs */
	    {0, 1, 0, 1, EXCHANGE_UPDATE, "they changed, we did not"},
	    /* both changed, or no common ancestor: a person decides */
	    {0, 1, 0, 0, EXCHANGE_CONFLICT, "both changed since the exchange"},
	    {0, 0, 0, 0, EXCHANGE_CONFLICT, "different, never exchanged"},
	    {0, 0, 0, 1, EXCHANGE_CONFLICT, "different, no base (rev ignored)"},
	};
	unsigned char theirs[SHA256_LEN], local[SHA256_LEN], base[SHA256_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(theirs, 0xAA, sizeof(theirs));
		memset(local, rows[i].theirs_is_local ? 0xAA : 0xBB,
		       sizeof(local));
		/* a base equal to neither unless the row says so */
		memset(base, rows[i].theirs_is_base ? 0xAA : 0xCC,
		       sizeof(base));
		/* fingerprints that differ in their last byte only */
		if (!rows[i].theirs_is_local)
			memcpy(local, theirs, SHA256_LEN - 1);
		uint64_t local_rev = 7;
		uint64_t base_rev = rows[i].local_unchanged ? 7 : 5;
		enum exchange_decision got =
		    exchange_decide(theirs, local, local_rev, rows[i].have_base,
				    base, base_rev);
		if (got != rows[i].want)
			fail_msg("row %zu (%s): got %d, want %d", i,
				 rows[i].why, (int)got, (int)rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fingerprint_stable),
	    cmocka_unit_test(test_fingerprint_ignores_bookkeeping),
	    cmocka_unit_test(test_merge_truth_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
