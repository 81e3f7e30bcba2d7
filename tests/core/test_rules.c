/* test_rules.c - the rules a person sees, written once in core/: the
 * filter of fai list, fai export, the board and the review; the stale
 * rule; what a card shows; what a new idea starts with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/card.h"
#include "../../core/filter.h"
#include "../../core/idea.h"
#include "../../core/isotime.h"
#include "../../core/newidea.h"
#include "../../core/utf8.h"
#include "../../core/uuid.h"

static int64_t at(const char *iso)
{
	int64_t t = 0;
	assert_int_equal(isotime_parse(iso, &t), 0);
	return t;
}

static struct idea *sample(const char *stage, const char *updated)
{
	struct idea *i = idea_new();
	idea_set_raw(i, IDEA_REF, "84-0007");
	idea_set_raw(i, IDEA_TITLE, "Vélo-école du Plateau");
	idea_set_raw(i, IDEA_STAGE, stage);
	idea_set_raw(i, IDEA_REGION, "84");
	idea_set_raw(i, IDEA_TERRITORY, "69123");
	idea_set_raw(i, IDEA_THEME, "Mobilité");
	idea_set_raw(i, IDEA_TAGS, "vélo-école; Insertion");
	idea_set_raw(i, IDEA_FACILITATOR, "Jean-Luc Éluard");
	idea_set_raw(i, IDEA_NEED, "Des femmes ne savent pas faire du vélo");
	idea_set_raw(i, IDEA_UPDATED_AT, updated);
	idea_set_raw(i, IDEA_STAGE_SINCE, "2026-10-01T09:00:00Z");
	return i;
}

static void test_filter_criteria(void **state)
{
	(void)state;
	int64_t now = at("2026-12-03T12:00:00Z");
	struct idea *i = sample("concept", "2026-11-01T09:00:00Z");
	struct idea_filter f;

	idea_filter_init(&f, now);
	assert_int_equal(idea_filter_active(&f), 0);
	assert_int_equal(idea_filter_match(&f, i), 1);

	/* tag: one tag contains the text, accents and case aside */
	f.tag = "VELO";
	assert_int_equal(idea_filter_active(&f), 1);
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.tag = "insert";
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.tag = "école; Ins"; /* runs over two tags */
	assert_int_equal(idea_filter_match(&f, i), 0);
	f.tag = "cargo";
	assert_int_equal(idea_filter_match(&f, i), 0);
	f.tag = NULL;

	/* theme: the whole theme; facilitator: a part of the name */
	f.theme = "mobilite";
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.theme = "mob";
	assert_int_equal(idea_filter_match(&f, i), 0);
	f.theme = NULL;
	f.facilitator = "eluard";
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.facilitator = "claire";
	assert_int_equal(idea_filter_match(&f, i), 0);
	/* a person picked from a list: the whole name, not a part */
	f.facilitator_whole = 1;
	f.facilitator = "eluard";
	assert_int_equal(idea_filter_match(&f, i), 0);
	f.facilitator = "JEAN-LUC ELUARD";
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.facilitator_whole = 0;
	f.facilitator = NULL;

	/* region: exact code; stage; search over the need */
	f.region = "8";
	assert_int_equal(idea_filter_match(&f, i), 0);
	f.region = "84";
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.stage = STAGE_NEED;
	assert_int_equal(idea_filter_match(&f, i), 0);
	f.stage = STAGE_CONCEPT;
	f.search = "FEMMES";
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.search = "hommes";
	assert_int_equal(idea_filter_match(&f, i), 0);
	f.search = "";
	assert_int_equal(idea_filter_match(&f, i), 1);
	idea_free(i);
}

/* Issue 12: the search also keeps the ideas whose comments hold the text,
 * given as the sorted keys of those ideas; the other criteria still hold. */
static void test_filter_comment_keys(void **state)
{
	(void)state;
	int64_t now = at("2026-12-03T12:00:00Z");
	struct idea *i = sample("concept", "2026-11-01T09:00:00Z");
	static const uint64_t keys[] = {3, 7, 42, 1000};
	struct idea_filter f;

	idea_filter_init(&f, now);
	assert_int_equal(idea_filter_comment_holds(&f, 7), 0); /* none */
	f.comment_keys = keys;
	f.ncomment_keys = 4;
	for (uint64_t k = 0; k < 1100; k++)
		assert_int_equal(idea_filter_comment_holds(&f, k),
				 k == 3 || k == 7 || k == 42 || k == 1000);
	f.search = "tulle"; /* in no field of the sample */
	i->key = 41;
	assert_int_equal(idea_filter_match(&f, i), 0);
	i->key = 42;
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.region = "11";
	assert_int_equal(idea_filter_match(&f, i), 0);
	f.region = NULL;
	/* an idea not yet stored (key 0) is judged on its fields */
	i->key = 0;
	assert_int_equal(idea_filter_match(&f, i), 0);
	/* the keys only count with a search */
	f.search = NULL;
	i->key = 41;
	assert_int_equal(idea_filter_match(&f, i), 1);
	idea_free(i);
}

static void test_stale_rule(void **state)
{
	(void)state;
	int64_t now = at("2026-12-03T12:00:00Z");
	int64_t last = at("2026-11-03T12:00:00Z"); /* 30 whole days */

	assert_int_equal(stale_rule(STAGE_NEED, last, now, 30), 1);
	assert_int_equal(stale_rule(STAGE_CONCEPT, last, now, 30), 1);
	assert_int_equal(stale_rule(STAGE_OWNER_SEARCH, last, now, 30), 1);
	assert_int_equal(stale_rule(STAGE_OWNER_SEARCH, last, now, 31), 0);
	/* launched, on hold and abandoned wait for nobody */
	assert_int_equal(stale_rule(STAGE_LAUNCHED, last, now, 1), 0);
	assert_int_equal(stale_rule(STAGE_ON_HOLD, last, now, 1), 0);
	assert_int_equal(stale_rule(STAGE_ABANDONED, last, now, 1), 0);

	struct idea *i = sample("need", "2026-11-03T12:00:01Z");
	assert_int_equal(idea_is_stale(i, now, 30), 0); /* 29 days and a bit */
	assert_int_equal(idea_is_stale(i, now, 29), 1);
	struct idea_filter f;
	idea_filter_init(&f, now);
	f.stale_days = 29;
	assert_int_equal(idea_filter_match(&f, i), 1);
	f.stale_days = 30;
	assert_int_equal(idea_filter_match(&f, i), 0);
	idea_free(i);
}

static void test_card(void **state)
{
	(void)state;
	int64_t now = at("2026-12-03T12:00:00Z");
	struct idea *i = sample("owner_search", "2026-10-01T09:00:00Z");
	struct card k;

	card_of(i, now, 30, &k);
	assert_string_equal(k.ref, "84-0007");
	assert_string_equal(k.title, "Vélo-école du Plateau");
	/* the territory by its names (the COG), its codes when unknown */
	assert_string_equal(k.territory, "Lyon");
	assert_string_equal(k.initials, "JLÉ");
	assert_int_equal(k.days, 63);
	assert_int_equal(k.stale, 1);
	card_of(i, now, 90, &k);
	assert_int_equal(k.stale, 0);
	idea_set_raw(i, IDEA_TERRITORY, "75056, 93066, 2A");
	card_of(i, now, 90, &k);
	assert_string_equal(k.territory, "Paris, Saint-Denis, Corse-du-Sud");
	idea_set_raw(i, IDEA_TERRITORY, "63113, 63999");
	card_of(i, now, 90, &k);
	assert_string_equal(k.territory, "Clermont-Ferrand, 63999");
	idea_set_raw(i, IDEA_TERRITORY, "63999");
	card_of(i, now, 90, &k);
	assert_string_equal(k.territory, "63999");
	/* a long list: cut on a whole character, under the buffer */
	struct buf many;
	buf_init(&many);
	for (int c = 0; c < 40; c++)
		buf_adds(&many, c ? ", 2A004" : "2A004");
	idea_set_raw(i, IDEA_TERRITORY, many.data);
	card_of(i, now, 90, &k);
	assert_true(strlen(k.territory) < CARD_PLACES_MAX);
	assert_int_equal(utf8_check(k.territory, strlen(k.territory)),
			 strlen(k.territory));
	buf_free(&many);
	idea_free(i);

	/* a search finds the idea by its territory's names */
	struct idea_view v;
	i = sample("need", "2026-10-01T09:00:00Z");
	idea_view_of(i, &v);
	assert_int_equal(idea_matches(&v, "lyon"), 1);
	assert_int_equal(idea_matches(&v, "69123"), 1);
	assert_int_equal(idea_matches(&v, "clermont"), 0);
	idea_free(i);

	char out[8];
	card_initials("Claire Mercier", out, sizeof(out));
	assert_string_equal(out, "CM");
	card_initials("  ", out, sizeof(out));
	assert_string_equal(out, "");
	card_initials("Élodie Ôtré Ünal", out, sizeof(out));
	assert_string_equal(out, "ÉÔ"); /* a third would not fit in 8 bytes */
	card_initials("a b c d e f g h", out, 4);
	assert_string_equal(out, ""); /* never more than fits */
}

static void test_new_defaults(void **state)
{
	(void)state;
	int64_t now = at("2026-12-03T12:00:00Z");
	struct idea *i = idea_new();

	idea_set_raw(i, IDEA_TITLE, "Laverie solidaire");
	idea_new_defaults(i, now, "claire");
	assert_int_equal(strlen(idea_get(i, IDEA_ID)), UUID_STR_LEN - 1);
	assert_string_equal(idea_get(i, IDEA_STAGE), "need");
	assert_string_equal(idea_get(i, IDEA_CREATED_AT),
			    "2026-12-03T12:00:00Z");
	assert_string_equal(idea_get(i, IDEA_STAGE_SINCE),
			    "2026-12-03T12:00:00Z");
	assert_string_equal(idea_get(i, IDEA_UPDATED_AT),
			    "2026-12-03T12:00:00Z");
	assert_string_equal(idea_get(i, IDEA_UPDATED_BY), "claire");
	assert_string_equal(idea_get(i, IDEA_REVISION), "1");
	assert_string_equal(idea_get(i, IDEA_REF), "");
	idea_free(i);

	/* an imported idea keeps what it holds; its revision starts at 1 */
	i = idea_new();
	idea_set_raw(i, IDEA_ID, "0b9c2f3e-5d7a-4e8b-9c1d-2e3f4a5b6c7d");
	idea_set_raw(i, IDEA_STAGE, "launched");
	idea_set_raw(i, IDEA_CREATED_AT, "2025-01-02T03:04:05Z");
	idea_set_raw(i, IDEA_UPDATED_BY, "avise");
	idea_set_raw(i, IDEA_REVISION, "7");
	idea_new_defaults(i, now, "claire");
	assert_string_equal(idea_get(i, IDEA_ID),
			    "0b9c2f3e-5d7a-4e8b-9c1d-2e3f4a5b6c7d");
	assert_string_equal(idea_get(i, IDEA_STAGE), "launched");
	assert_string_equal(idea_get(i, IDEA_CREATED_AT),
			    "2025-01-02T03:04:05Z");
	assert_string_equal(idea_get(i, IDEA_STAGE_SINCE),
			    "2026-12-03T12:00:00Z");
	assert_string_equal(idea_get(i, IDEA_UPDATED_BY), "avise");
	assert_string_equal(idea_get(i, IDEA_REVISION), "1");
	idea_free(i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_filter_criteria),
	    cmocka_unit_test(test_filter_comment_keys),
	    cmocka_unit_test(test_stale_rule),
	    cmocka_unit_test(test_card),
	    cmocka_unit_test(test_new_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
