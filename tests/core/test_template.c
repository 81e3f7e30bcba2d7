/* test_template.c - the $EDITOR text form of an idea: exact rendering,
 * exact round trip, comments, cancellation, errors with their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/idea.h"
#include "../../core/template.h"

static struct idea *make_small(void)
{
	struct idea *idea = idea_new();

	idea_set_raw(idea, IDEA_ID, "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
	idea_set_raw(idea, IDEA_REF, "84-0042");
	idea_set_raw(idea, IDEA_STAGE, "concept");
	idea_set_raw(idea, IDEA_TITLE, "Repair café");
	idea_set_raw(idea, IDEA_REGION, "84");
	idea_set_raw(idea, IDEA_NEED, "Ligne 1\n\nLigne 3");
	idea_set_raw(idea, IDEA_STAGE_PREV, "need");
	return idea;
}

static const char small_text[] = "# Edit, save, quit.\n"
				 "title: Repair café\n"
				 "region: 84\n"
				 "territory:\n"
				 "theme:\n"
				 "tags:\n"
				 "need: Ligne 1\n"
				 "  \n"
				 "  Ligne 3\n"
				 "concept:\n"
				 "source:\n"
				 "partners:\n"
				 "facilitator:\n"
				 "owner:\n"
				 "structure:\n"
				 "legal_form:\n"
				 "siret:\n"
				 "launch_date:\n"
				 "jobs:\n";

static int parse(struct idea *idea, const char *text, struct fai_err *err)
{
	fai_err_clear(err);
	return template_parse(idea, text, strlen(text), err);
}

static void test_degenerate(void **state)
{
	struct idea *idea = make_small(), *before = idea_clone(idea);
	struct fai_err err;
	struct idea_change *c;
	size_t n;

	(void)state;
	assert_int_equal(template_parse(idea, "", 0, &err), -FAI_ENOTHING);
	assert_int_equal(err.code, FAI_ENOTHING);
	assert_int_equal(template_parse(idea, NULL, 0, NULL), -FAI_ENOTHING);
	assert_int_equal(parse(idea, "# only\n# comments\n\n   \n", &err),
			 -FAI_ENOTHING);
	assert_int_equal(parse(idea, "\n\n", &err), -FAI_ENOTHING);
	/* A NUL byte inside the text. */
	assert_int_equal(template_parse(idea, "title: a\0b\n", 11, &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_CONTROL);
	assert_int_equal(err.line, 1);
	/* Invalid UTF-8 in a value. */
	assert_int_equal(parse(idea, "# x\ntitle: caf\xE9\n", &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_UTF8);
	assert_int_equal(err.line, 2);
	n = idea_diff(before, idea, 0, &c);
	assert_int_equal(n, 0);
	idea_changes_free(c, n);
	idea_free(before);
	idea_free(idea);
}

static void test_render_exact(void **state)
{
	struct idea *idea = make_small();
	struct buf b;

	(void)state;
	buf_init(&b);
	template_render(&b, idea, "# Edit, save, quit.", NULL);
	assert_string_equal(b.data, small_text);
	/* A header already ending in a newline is not doubled; NULL and ""
	 * give none. */
	buf_reset(&b);
	template_render(&b, idea, "# Edit, save, quit.\n", NULL);
	assert_string_equal(b.data, small_text);
	buf_reset(&b);
	template_render(&b, idea, NULL, NULL);
	assert_string_equal(b.data,
			    small_text + strlen("# Edit, save, quit.\n"));
	buf_reset(&b);
	template_render(&b, idea, "", NULL);
	assert_string_equal(b.data,
			    small_text + strlen("# Edit, save, quit.\n"));
	/* No system or internal field is shown. */
	assert_null(strstr(b.data, "stage"));
	assert_null(strstr(b.data, "84-0042"));
	assert_null(strstr(b.data, "0f1e2d3c"));
	buf_free(&b);
	idea_free(idea);
}

/* Sets every editable field through idea_set, renders, parses into a fresh
 * idea and compares. */
static void test_round_trip(void **state)
{
	static const struct {
		enum idea_field f;
		const char *v;
	} values[] = {
	    {IDEA_TITLE, "Repair café « vélo » : l’atelier"},
	    {IDEA_REGION, "84"},
	    {IDEA_TERRITORY, "69123, 2A, 971"},
	    {IDEA_THEME, "Mobilité #1"},
	    {IDEA_TAGS, "mobilité; réemploi"},
	    {IDEA_NEED, "Premier paragraphe.\n\n  indenté\n# pas un "
			"commentaire\n\n\nfin: avec deux-points"},
	    {IDEA_CONCEPT, "Une ligne"},
	    {IDEA_SOURCE, "Mairie\nHabitants"},
	    {IDEA_PARTNERS, "Métropole; CAF"},
	    {IDEA_FACILITATOR, "Zoé"},
	    {IDEA_OWNER, "Camille Martin"},
	    {IDEA_STRUCTURE, "Vélo Solidaire"},
	    {IDEA_LEGAL_FORM, "SCIC"},
	    {IDEA_SIRET, "73282932000074"},
	    {IDEA_LAUNCH_DATE, "2026-09-01"},
	    {IDEA_JOBS, "3"},
	};
	struct idea *a = idea_new(), *b = idea_new();
	struct idea_change *c;
	struct fai_err err;
	struct buf t, t2;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		assert_int_equal(idea_set(a, values[i].f, values[i].v, 0, &err),
				 0);
	buf_init(&t);
	template_render(&t, a, "# header\n#\n", NULL);
	assert_non_null(strstr(t.data, "need: Premier paragraphe.\n  \n"
				       "    indenté\n  # pas un commentaire\n"
				       "  \n  \n  fin: avec deux-points\n"));
	idea_set_raw(b, IDEA_TITLE, "old");
	idea_set_raw(b, IDEA_REGION, "11");
	assert_int_equal(template_parse(b, t.data, t.len, &err), 0);
	n = idea_diff(a, b, 0, &c);
	for (i = 0; i < n; i++)
		print_error("%s: \"%s\" != \"%s\"\n", c[i].name,
			    c[i].before ? c[i].before : "",
			    c[i].after ? c[i].after : "");
	assert_int_equal(n, 0);
	idea_changes_free(c, n);
	/* Rendering the parsed idea gives the same text. */
	buf_init(&t2);
	template_render(&t2, b, "# header\n#\n", NULL);
	assert_string_equal(t.data, t2.data);
	buf_free(&t);
	buf_free(&t2);
	idea_free(a);
	idea_free(b);
}

/* French labels as the board gives them (out_field_label under fr_FR are
 * the French titles); a label that does not read back ("Number of
 * jobs"), a label with a colon: the codes then, for every field. */
static const char *french_name(enum idea_field f)
{
	return idea_field_info(f)->title_fr;
}

static const char *partial_name(enum idea_field f)
{
	return f == IDEA_JOBS ? "Number of jobs" : idea_field_info(f)->title_fr;
}

static const char *colon_name(enum idea_field f)
{
	return f == IDEA_CONCEPT ? "Con:cept" : idea_field_info(f)->title_fr;
}

static void test_render_labels(void **state)
{
	struct idea *a = make_small(), *b = idea_new();
	struct fai_err err;
	struct buf t;

	(void)state;
	assert_int_equal(idea_set(a, IDEA_OWNER, "Léa", 0, &err), 0);
	assert_int_equal(idea_set(a, IDEA_LAUNCH_DATE, "2026-05-01", 0, &err),
			 0);
	buf_init(&t);
	template_render(&t, a, NULL, french_name);
	assert_non_null(strstr(t.data, "Titre: "));
	assert_non_null(strstr(t.data, "\nPorteur: Léa\n"));
	assert_non_null(strstr(t.data, "\nDate de lancement: 2026-05-01\n"));
	assert_non_null(strstr(t.data, "\nForme juridique:\n"));
	assert_null(strstr(t.data, "\ntitle:"));
	assert_null(strstr(t.data, "\nowner:"));
	assert_null(strstr(t.data, "\nneed:"));
	/* The French text parses back to the same idea. */
	idea_set_raw(b, IDEA_TITLE, "old");
	assert_int_equal(template_parse(b, t.data, t.len, &err), 0);
	assert_string_equal(idea_get(b, IDEA_OWNER), "Léa");
	assert_string_equal(idea_get(b, IDEA_LAUNCH_DATE), "2026-05-01");
	assert_string_equal(idea_get(b, IDEA_TITLE), idea_get(a, IDEA_TITLE));
	/* A name that does not read back, or holds a colon: the codes, for
	 * every field (never a mix). */
	buf_free(&t);
	buf_init(&t);
	template_render(&t, a, NULL, partial_name);
	assert_non_null(strstr(t.data, "title: "));
	assert_non_null(strstr(t.data, "\nlaunch_date: 2026-05-01\n"));
	buf_free(&t);
	buf_init(&t);
	template_render(&t, a, NULL, colon_name);
	assert_non_null(strstr(t.data, "title: "));
	assert_non_null(strstr(t.data, "\nconcept:"));
	assert_null(strstr(t.data, "Con:cept"));
	buf_free(&t);
	idea_free(a);
	idea_free(b);
}

static void test_parse_rules(void **state)
{
	struct idea *idea = make_small();
	struct fai_err err;

	(void)state;
	/* Absent fields keep their value; empty ones are emptied; aliases and
	 * any case work; CRLF is fine; blank lines inside a value are kept
	 * only when followed by more of it. */
	idea_set_raw(idea, IDEA_THEME, "Ancien thème");
	idea_set_raw(idea, IDEA_OWNER, "Ancien porteur");
	assert_int_equal(parse(idea,
			       "# c\r\n"
			       "Titre:   Nouveau titre  \r\n"
			       "owner:\r\n"
			       "need: a\r\n"
			       "\r\n"
			       "# a comment inside is skipped\r\n"
			       "  b\r\n"
			       "\r\n"
			       "\r\n"
			       "JOBS: 007\r\n",
			       &err),
			 0);
	assert_string_equal(idea_get(idea, IDEA_TITLE), "Nouveau titre");
	assert_string_equal(idea_get(idea, IDEA_THEME), "Ancien thème");
	assert_string_equal(idea_get(idea, IDEA_OWNER), "");
	assert_string_equal(idea_get(idea, IDEA_NEED), "a\n\nb");
	assert_string_equal(idea_get(idea, IDEA_JOBS), "7");
	assert_string_equal(idea_get(idea, IDEA_REGION), "84");
	/* No final newline; a tab or one space also continues. */
	assert_int_equal(parse(idea, "concept: x\n\ty\n z", &err), 0);
	assert_string_equal(idea_get(idea, IDEA_CONCEPT), "x\ny\nz");
	/* The last field wins when repeated. */
	assert_int_equal(parse(idea, "theme: a\ntheme: b\n", &err), 0);
	assert_string_equal(idea_get(idea, IDEA_THEME), "b");
	/* A byte order mark at the start is skipped. */
	assert_int_equal(parse(idea, "\xEF\xBB\xBFtheme: bom\n", &err), 0);
	assert_string_equal(idea_get(idea, IDEA_THEME), "bom");
	/* Only n bytes are read. */
	assert_int_equal(template_parse(idea, "theme: cut here", 10, &err), 0);
	assert_string_equal(idea_get(idea, IDEA_THEME), "cut");
	idea_free(idea);
}

static void test_parse_errors(void **state)
{
	struct idea *idea = make_small(), *before = idea_clone(idea);
	struct idea_change *c;
	struct fai_err err;
	size_t n;

	(void)state;
	/* Unknown field. */
	assert_int_equal(parse(idea, "# c\ntitle: x\nbudget: 12\n", &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_FIELD);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.field, "budget");
	/* A line that is no field at all. */
	assert_int_equal(
	    parse(idea, "title: x\nsecond line at column 0\n", &err),
	    -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_FIELD);
	assert_int_equal(err.line, 2);
	/* A continuation before any field. */
	assert_int_equal(parse(idea, "  orphan\n", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_FIELD);
	assert_int_equal(err.line, 1);
	/* Bad values carry the line of their field. */
	assert_int_equal(
	    parse(idea, "title: ok\n\nsiret: 732 829 320 00075\n", &err),
	    -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_SIRET_CHECK);
	assert_string_equal(err.field, "siret");
	assert_int_equal(err.line, 3);
	assert_int_equal(parse(idea, "#\n#\nregion: 99\ntitle: x\n", &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_REGION);
	assert_int_equal(err.line, 3);
	assert_int_equal(parse(idea, "title:\n", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_REQUIRED);
	assert_int_equal(err.line, 1);
	assert_int_equal(parse(idea, "need: ok\n  \x1b[2J\n", &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_CONTROL);
	assert_int_equal(err.line, 1);
	/* System fields cannot be changed from the template. */
	assert_int_equal(parse(idea, "stage: launched\n", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_READONLY);
	assert_int_equal(parse(idea, "Référence: 84-0001\n", &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_READONLY);
	/* Nothing was changed by any failed parse, even fields before the
	 * bad one. */
	n = idea_diff(before, idea, 0, &c);
	assert_int_equal(n, 0);
	idea_changes_free(c, n);
	idea_free(before);
	idea_free(idea);
}

static void test_big(void **state)
{
	struct idea *idea = make_small(), *back = make_small();
	struct fai_err err;
	struct buf b, text;
	size_t i;

	(void)state;
	/* A 60 KiB need of 1000 lines round-trips. */
	buf_init(&text);
	for (i = 0; i < 1000; i++)
		buf_printf(&text, "%sligne %zu é%s", i ? "\n" : "", i,
			   i % 7 == 0 ? "\n" : "");
	assert_int_equal(idea_set(idea, IDEA_NEED, text.data, 0, &err), 0);
	buf_init(&b);
	template_render(&b, idea, NULL, NULL);
	assert_int_equal(template_parse(back, b.data, b.len, &err), 0);
	assert_string_equal(idea_get(back, IDEA_NEED),
			    idea_get(idea, IDEA_NEED));
	buf_free(&b);
	buf_free(&text);
	idea_free(idea);
	idea_free(back);
}

/* A line of only spaces inside a multi-line field is stored empty, so
 * render then parse gives back exactly the stored value (found by the
 * template fuzzer: "e\n \nj" came back as "e\n\nj"). */
static void test_blank_looking_line(void **state)
{
	struct idea *a = idea_new(), *b;
	struct buf t;
	(void)state;
	assert_int_equal(idea_set(a, IDEA_TITLE, "Titre", 0, NULL), 0);
	assert_int_equal(idea_set(a, IDEA_REGION, "84", 0, NULL), 0);
	assert_int_equal(idea_set(a, IDEA_NEED, "e\r \rj", 0, NULL), 0);
	assert_string_equal(idea_get(a, IDEA_NEED), "e\n\nj");
	assert_int_equal(idea_set(a, IDEA_CONCEPT, "x\n \t \ny", 0, NULL), 0);
	assert_string_equal(idea_get(a, IDEA_CONCEPT), "x\n\ny");
	buf_init(&t);
	template_render(&t, a, NULL, NULL);
	b = idea_clone(a);
	assert_int_equal(template_parse(b, t.data, t.len, NULL), 0);
	assert_string_equal(idea_get(b, IDEA_NEED), idea_get(a, IDEA_NEED));
	assert_string_equal(idea_get(b, IDEA_CONCEPT),
			    idea_get(a, IDEA_CONCEPT));
	buf_free(&t);
	idea_free(a);
	idea_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_degenerate),
	    cmocka_unit_test(test_render_exact),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_parse_rules),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_big),
	    cmocka_unit_test(test_blank_looking_line),
	    cmocka_unit_test(test_render_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
