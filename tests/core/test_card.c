/* test_card.c - the text rules of a card (core/card.c): initials unique
 * among the store's facilitators, a title over two lines, the reason of an
 * idea on hold or abandoned.  Degenerate inputs first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/card.h"
#include "../../core/idea.h"
#include "../../core/isotime.h"

static void initials_of(const struct card_names *n, const char *name,
			const char *want)
{
	char out[CARD_INITIALS_MAX];
	card_names_initials(n, name, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_names_degenerate(void **state)
{
	(void)state;
	char out[CARD_INITIALS_MAX];
	/* no set: card_initials, and 0 said */
	assert_int_equal(
	    card_names_initials(NULL, "Claire Mercier", out, sizeof(out)), 0);
	assert_string_equal(out, "CM");
	assert_int_equal(card_names_initials(NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	struct card_names *n = card_names_new();
	card_names_add(n, "");
	card_names_add(n, "   ");
	card_names_add(n, NULL);
	card_names_finish(n);
	assert_int_equal(card_names_initials(n, "", out, sizeof(out)), 0);
	initials_of(n, "Yanis Benali", "YB"); /* unknown: plain initials */
	card_names_free(n);
	card_names_free(NULL);
	/* invalid UTF-8 is kept byte for byte, never read past */
	n = card_names_new();
	card_names_add(n, "\xff\xfe Martin");
	card_names_add(n, "\xff\xfe Mercier");
	card_names_finish(n);
	initials_of(n, "\xff\xfe Martin", "\xffMa");
	card_names_free(n);
}

/* The demo's twins: CM is Claire Mercier and Claire Martin. */
static void test_names_twins(void **state)
{
	(void)state;
	struct card_names *n = card_names_new();
	card_names_add(n, "Claire Mercier");
	card_names_add(n, "Yanis Benali");
	card_names_add(n, "Claire Martin");
	card_names_add(n, "claire  MERCIER"); /* the same person */
	card_names_finish(n);
	initials_of(n, "Claire Mercier", "CMe");
	initials_of(n, "Claire Martin", "CMa");
	initials_of(n, "CLAIRE mercier", "CMe");
	initials_of(n, "Yanis Benali", "YB"); /* alone: unchanged */
	card_names_free(n);
}

static void test_names_longer(void **state)
{
	(void)state;
	struct card_names *n = card_names_new();
	/* Ma is both Martin and Mas: three letters for the whole group */
	card_names_add(n, "Claire Mercier");
	card_names_add(n, "Claire Martin");
	card_names_add(n, "Cédric Mas");
	/* the same last name: the first name tells them apart */
	card_names_add(n, "Léa Vandamme");
	card_names_add(n, "Luc Vandamme");
	/* "Jean-Luc" and "Jean Luc" are one person */
	card_names_add(n, "Jean-Luc Éluard");
	card_names_add(n, "Jean Luc Éluard");
	/* first and last names the same, the middle one differs: numbered */
	card_names_add(n, "Anne Marie Dupont");
	card_names_add(n, "Anne Michel Dupont");
	card_names_finish(n);
	initials_of(n, "Claire Mercier", "CMer");
	initials_of(n, "Claire Martin", "CMar");
	initials_of(n, "Cédric Mas", "CMas");
	initials_of(n, "Léa Vandamme", "LéV");
	initials_of(n, "Luc Vandamme", "LuV");
	initials_of(n, "Jean Luc Éluard", "JLÉ");
	initials_of(n, "Jean-Luc Éluard", "JLÉ");
	initials_of(n, "Anne Marie Dupont", "AMD1");
	initials_of(n, "Anne Michel Dupont", "AMD2");
	card_names_free(n);

	/* a name made only of one word, twice the same start */
	n = card_names_new();
	card_names_add(n, "Élodie");
	card_names_add(n, "Émile");
	card_names_finish(n);
	initials_of(n, "Élodie", "Él");
	initials_of(n, "Émile", "Ém");
	card_names_free(n);
}

static void test_title_lines(void **state)
{
	(void)state;
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	card_title_lines("", 10, &a, &b);
	assert_int_equal(a.len, 0);
	assert_int_equal(b.len, 0);
	card_title_lines("Laverie", 10, &a, &b);
	assert_string_equal(a.data, "Laverie");
	assert_int_equal(b.len, 0);
	buf_reset(&a);
	/* cut at the last space that fits; the rest below */
	card_title_lines("Épicerie solidaire itinérante", 18, &a, &b);
	assert_string_equal(a.data, "Épicerie solidaire");
	assert_string_equal(b.data, "itinérante");
	buf_reset(&a);
	buf_reset(&b);
	/* too long for two lines: the second ends with … */
	card_title_lines("Garage solidaire et location de véhicules", 16, &a,
			 &b);
	assert_string_equal(a.data, "Garage solidaire");
	assert_string_equal(b.data, "et location de …");
	buf_reset(&a);
	buf_reset(&b);
	/* one word longer than the line: cut inside it */
	card_title_lines("Anticonstitutionnellement", 10, &a, &b);
	assert_string_equal(a.data, "Anticonsti");
	assert_string_equal(b.data, "tutionnel…");
	buf_reset(&a);
	buf_reset(&b);
	/* controls never reach the screen; wide characters count two */
	card_title_lines("a\033b 日本語のタイトル", 6, &a, &b);
	assert_string_equal(a.data, "a␛b");
	assert_string_equal(b.data, "日本…");
	buf_free(&a);
	buf_free(&b);
}

static void test_reason(void **state)
{
	(void)state;
	int64_t now = 0;
	struct card k;
	assert_int_equal(isotime_parse("2026-12-03T12:00:00Z", &now), 0);
	struct idea *i = idea_new();
	idea_set_raw(i, IDEA_REF, "84-0021");
	idea_set_raw(i, IDEA_STAGE, "on_hold");
	idea_set_raw(i, IDEA_STAGE_REASON, "attente du budget régional");
	idea_set_raw(i, IDEA_FACILITATOR, "Claire Martin");
	idea_set_raw(i, IDEA_STAGE_SINCE, "2026-12-01T09:00:00Z");
	card_of(i, now, 30, &k);
	assert_non_null(k.reason);
	assert_string_equal(k.reason, "attente du budget régional");
	idea_set_raw(i, IDEA_STAGE, "abandoned");
	card_of(i, now, 30, &k);
	assert_string_equal(k.reason, "attente du budget régional");
	/* a reason left from before is not the pipeline's business */
	idea_set_raw(i, IDEA_STAGE, "concept");
	card_of(i, now, 30, &k);
	assert_null(k.reason);
	idea_free(i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_degenerate),
	    cmocka_unit_test(test_names_twins),
	    cmocka_unit_test(test_names_longer),
	    cmocka_unit_test(test_title_lines),
	    cmocka_unit_test(test_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
