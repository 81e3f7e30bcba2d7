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
static void
hash_idea(const struct idea *idea, unsigned char h[SHA256_LEN])
{
	struct idea_view view;

	idea_view_of(idea, &view);
	exchange_hash(&view, h);
}

static void
expect_hash(const struct idea *idea, const char *hex)
{
	unsigned char h[SHA256_LEN];
	char got[SHA256_HEX_LEN];

	hash_idea(idea, h);
	sha256_hex(h, got);
	assert_string_equal(got, hex);
}

static void
test_fingerprint_stable(void **state)
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

static void
test_fingerprint_ignores_bookkeeping(void **state)
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_stable),
		cmocka_unit_test(test_fingerprint_ignores_bookkeeping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
