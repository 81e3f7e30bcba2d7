/* test_idea.c - the field table, field name parsing, idea_set's
 * normalisation and refusals, typed views, clone, diff and search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/idea.h"
#include "../../core/xmalloc.h"
#include "../../core/isotime.h"
#include "../../core/utf8.h"

/* Sets f to in and checks the stored value is out. */
static void set_ok(struct idea *idea, enum idea_field f, const char *in,
		   const char *out)
{
	struct fai_err err;

	fai_err_clear(&err);
	if (idea_set(idea, f, in, 1, &err) != 0)
		fail_msg("%s=\"%s\" refused: %s (%s)", idea_field_info(f)->code,
			 in, fai_why_text(err.why), err.value);
	assert_string_equal(idea_get(idea, f), out);
}

/* Sets f to in, expects a refusal for why, and the value unchanged. */
static void set_bad(struct idea *idea, enum idea_field f, const char *in,
		    int why)
{
	struct fai_err err;
	char *before = strdup(idea_get(idea, f));

	fai_err_clear(&err);
	if (idea_set(idea, f, in, 1, &err) != -FAI_EINVAL)
		fail_msg("%s=\"%s\" accepted as \"%s\"",
			 idea_field_info(f)->code, in, idea_get(idea, f));
	assert_int_equal(err.code, FAI_EINVAL);
	if (err.why != why)
		fail_msg("%s=\"%s\": why %s, expected %s",
			 idea_field_info(f)->code, in, fai_why_text(err.why),
			 fai_why_text(why));
	assert_string_equal(err.field, idea_field_info(f)->code);
	assert_string_equal(idea_get(idea, f), before);
	free(before);
}

static void test_degenerate(void **state)
{
	struct fai_err err;
	struct idea *idea;
	struct idea_view view;

	(void)state;
	idea_free(NULL);
	assert_string_equal(idea_view_get(NULL, IDEA_TITLE), "");
	assert_null(idea_clone(NULL));
	assert_string_equal(idea_get(NULL, IDEA_TITLE), "");
	assert_int_equal(idea_field_parse(NULL), -1);
	assert_int_equal(idea_field_parse(""), -1);
	assert_int_equal(idea_field_parse("-"), -1);
	assert_int_equal(idea_field_parse("\xFF"), -1);
	idea = idea_new();
	assert_int_equal(idea->key, 0);
	assert_int_equal(idea->nextra, 0);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		assert_null(idea->v[f]);
		assert_string_equal(idea_get(idea, (enum idea_field)f), "");
	}
	assert_string_equal(idea_get(idea, IDEA_FIELD_COUNT), "");
	assert_int_equal(idea_set(idea, IDEA_FIELD_COUNT, "x", 1, &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_FIELD);
	assert_int_equal(idea_set(idea, (enum idea_field) - 1, "x", 1, NULL),
			 -FAI_EINVAL);
	/* Typed views of an empty idea give their fallbacks. */
	assert_int_equal(idea_stage(idea), STAGE_NONE);
	assert_int_equal(idea_revision(idea), 0);
	assert_int_equal(idea_jobs(idea), -1);
	assert_int_equal(idea_time(idea, IDEA_CREATED_AT, 42), 42);
	idea_view_of(idea, &view);
	assert_int_equal(idea_matches(&view, NULL), 1);
	assert_int_equal(idea_matches(&view, ""), 1);
	assert_int_equal(idea_matches(&view, "x"), 0);
	idea_set_raw(idea, IDEA_TITLE, NULL);
	idea_set_raw(idea, IDEA_TITLE, "");
	assert_null(idea->v[IDEA_TITLE]);
	idea_free(idea);
}

static void test_table(void **state)
{
	static const struct {
		const char *code, *alias;
	} want[IDEA_FIELD_COUNT] = {
	    {"id", "id"},
	    {"ref", "reference"},
	    {"title", "titre"},
	    {"stage", "etape"},
	    {"stage_reason", "motif_etape"},
	    {"region", "region"},
	    {"territory", "territoire"},
	    {"theme", "theme"},
	    {"tags", "mots_cles"},
	    {"need", "besoin"},
	    {"concept", "concept"},
	    {"source", "origine"},
	    {"partners", "partenaires"},
	    {"facilitator", "animateur"},
	    {"owner", "porteur"},
	    {"structure", "structure"},
	    {"legal_form", "forme_juridique"},
	    {"siret", "siret"},
	    {"launch_date", "date_lancement"},
	    {"jobs", "emplois"},
	    {"created_at", "cree_le"},
	    {"updated_at", "modifie_le"},
	    {"stage_since", "etape_depuis"},
	    {"updated_by", "modifie_par"},
	    {"revision", "revision"},
	    {"stage_prev", "etape_precedente"},
	};
	const struct idea_field_info *fi;
	unsigned sys = 0, req = 0, ml = 0, list = 0, internal = 0, num = 0;
	int f;

	(void)state;
	for (f = 0; f < IDEA_FIELD_COUNT; f++) {
		fi = idea_field_info((enum idea_field)f);
		assert_string_equal(fi->code, want[f].code);
		assert_string_equal(fi->alias_fr, want[f].alias);
		assert_true(strlen(fi->label) > 0);
		assert_true(fi->max_len > 0);
		assert_int_equal(idea_field_parse(want[f].code), f);
		assert_int_equal(idea_field_parse(want[f].alias), f);
		if (fi->flags & IDEA_FF_SYSTEM)
			sys |= 1u << f;
		if (fi->flags & IDEA_FF_REQUIRED)
			req |= 1u << f;
		if (fi->flags & IDEA_FF_MULTILINE)
			ml |= 1u << f;
		if (fi->flags & IDEA_FF_LIST)
			list |= 1u << f;
		if (fi->flags & IDEA_FF_INTERNAL)
			internal |= 1u << f;
		if (fi->flags & IDEA_FF_NUMERIC)
			num |= 1u << f;
	}
#define B(f) (1u << (f))
	assert_int_equal(sys, B(IDEA_ID) | B(IDEA_REF) | B(IDEA_STAGE) |
				  B(IDEA_STAGE_REASON) | B(IDEA_CREATED_AT) |
				  B(IDEA_UPDATED_AT) | B(IDEA_STAGE_SINCE) |
				  B(IDEA_UPDATED_BY) | B(IDEA_REVISION) |
				  B(IDEA_STAGE_PREV));
	assert_int_equal(req, B(IDEA_TITLE) | B(IDEA_REGION) | B(IDEA_STAGE));
	assert_int_equal(ml, B(IDEA_NEED) | B(IDEA_CONCEPT) | B(IDEA_SOURCE) |
				 B(IDEA_STAGE_REASON));
	assert_int_equal(list, B(IDEA_TAGS) | B(IDEA_PARTNERS));
	assert_int_equal(internal, B(IDEA_STAGE_PREV));
	assert_int_equal(num, B(IDEA_JOBS) | B(IDEA_REVISION));
#undef B
	assert_string_equal(idea_field_info(IDEA_TITLE)->label, "Title");
	assert_string_equal(idea_field_info(IDEA_NEED)->label, "Need");
	assert_string_equal(idea_field_info(IDEA_LAUNCH_DATE)->label,
			    "Launch date");
	assert_int_equal(idea_field_info(IDEA_SIRET)->max_len, 14);
}

static void test_field_parse(void **state)
{
	(void)state;
	assert_int_equal(idea_field_parse("Étape"), IDEA_STAGE);
	assert_int_equal(idea_field_parse("ÉTAPE"), IDEA_STAGE);
	assert_int_equal(idea_field_parse("date-lancement"), IDEA_LAUNCH_DATE);
	assert_int_equal(idea_field_parse("Date lancement"), IDEA_LAUNCH_DATE);
	assert_int_equal(idea_field_parse("launch-date"), IDEA_LAUNCH_DATE);
	assert_int_equal(idea_field_parse("TITRE"), IDEA_TITLE);
	assert_int_equal(idea_field_parse("Title"), IDEA_TITLE);
	assert_int_equal(idea_field_parse("Mots clés"), IDEA_TAGS);
	assert_int_equal(idea_field_parse("Référence"), IDEA_REF);
	assert_int_equal(idea_field_parse("Créé le"), IDEA_CREATED_AT);
	assert_int_equal(idea_field_parse("Région"), IDEA_REGION);
	assert_int_equal(idea_field_parse("Étape précédente"), IDEA_STAGE_PREV);
	assert_int_equal(idea_field_parse("titles"), -1);
	assert_int_equal(idea_field_parse("x:title"), -1);
	assert_int_equal(idea_field_parse("budget"), -1);
	/* French titles of a French file, and how a person retypes them */
	assert_int_equal(idea_field_parse("Motif de l’étape"),
			 IDEA_STAGE_REASON);
	assert_int_equal(idea_field_parse("MOTIF DE L'ETAPE"),
			 IDEA_STAGE_REASON);
	assert_int_equal(idea_field_parse("À l’étape depuis"),
			 IDEA_STAGE_SINCE);
	assert_int_equal(idea_field_parse("Date de lancement"),
			 IDEA_LAUNCH_DATE);
	assert_int_equal(idea_field_parse("Identifiant"), IDEA_ID);
	assert_int_equal(idea_field_parse("Modifiée par"), IDEA_UPDATED_BY);
	assert_int_equal(idea_field_parse("Révision"), IDEA_REVISION);
	/* every title names its own field, and only it */
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		const struct idea_field_info *fi = idea_field_info(f);
		assert_true(strlen(fi->title_fr) > 0);
		assert_true(strlen(fi->about_fr) > 0);
		assert_int_equal(idea_field_parse(fi->title_fr), f);
		idea_name_fold(&a, fi->title_fr);
		for (int g = 0; g < IDEA_FIELD_COUNT; g++) {
			idea_name_fold(&b, idea_field_info(g)->title_fr);
			assert_true(f == g || strcmp(a.data, b.data) != 0);
			assert_true(f == g ||
				    strcmp(a.data, idea_field_info(g)->code));
		}
	}
	idea_name_fold(&a, "  Motif de l’étape__ ");
	assert_string_equal(a.data, "motif_de_l_etape");
	idea_name_fold(&a, "");
	assert_string_equal(a.data, "");
	buf_free(&a);
	buf_free(&b);
}

static void test_set_trim_text(void **state)
{
	struct idea *idea = idea_new();

	(void)state;
	set_ok(idea, IDEA_TITLE, "  Repair café vélo \t", "Repair café vélo");
	set_ok(idea, IDEA_OWNER, "Camille\tMartin", "Camille Martin");
	set_ok(idea, IDEA_THEME, "", "");
	assert_null(idea->v[IDEA_THEME]);
	set_ok(idea, IDEA_THEME, "Mobilité", "Mobilité");
	set_ok(idea, IDEA_THEME, NULL, "");
	assert_null(idea->v[IDEA_THEME]);
	set_ok(idea, IDEA_THEME, "   ", "");
	/* Multi-line: CRLF and CR become LF, ends trimmed, inside kept. */
	set_ok(idea, IDEA_NEED, "\n  Ligne 1\r\n\r\n  Ligne 3\t\rfin \n\n",
	       "Ligne 1\n\n  Ligne 3\t\nfin");
	set_ok(idea, IDEA_STAGE_REASON, "a\nb", "a\nb");
	idea_free(idea);
}

static void test_set_refusals(void **state)
{
	struct idea *idea = idea_new();
	struct fai_err err;
	char *big;

	(void)state;
	set_ok(idea, IDEA_TITLE, "Avant", "Avant");
	/* Required fields cannot be emptied. */
	set_bad(idea, IDEA_TITLE, "", FAI_WHY_REQUIRED);
	set_bad(idea, IDEA_TITLE, NULL, FAI_WHY_REQUIRED);
	set_bad(idea, IDEA_TITLE, "  \t ", FAI_WHY_REQUIRED);
	set_bad(idea, IDEA_REGION, "", FAI_WHY_REQUIRED);
	set_bad(idea, IDEA_STAGE, "", FAI_WHY_REQUIRED);
	/* Invalid UTF-8. */
	set_bad(idea, IDEA_TITLE, "caf\xE9", FAI_WHY_UTF8);
	set_bad(idea, IDEA_NEED, "\xC0\xAF", FAI_WHY_UTF8);
	set_bad(idea, IDEA_TAGS, "a;\xED\xA0\x80", FAI_WHY_UTF8);
	/* Controls: none in one-line fields, only \n and \t in multi-line. */
	set_bad(idea, IDEA_TITLE, "a\x1b[2Jb", FAI_WHY_CONTROL);
	set_bad(idea, IDEA_TITLE, "a\nb", FAI_WHY_CONTROL);
	set_bad(idea, IDEA_TITLE, "a\rb", FAI_WHY_CONTROL);
	set_bad(idea, IDEA_TITLE, "a\x7f", FAI_WHY_CONTROL);
	set_bad(idea, IDEA_TITLE,
		"a\xC2\x9B"
		"2J",
		FAI_WHY_CONTROL);
	set_bad(idea, IDEA_NEED, "l1\n\x1b]52;c;eA==\x07", FAI_WHY_CONTROL);
	set_bad(idea, IDEA_TAGS, "a;b\x1b", FAI_WHY_CONTROL);
	/* Lengths. */
	big = malloc(70000);
#define LEN(n) (memset(big, 'a', (n)), big[(n)] = '\0', big)
	set_ok(idea, IDEA_TITLE, LEN(500), big);
	set_bad(idea, IDEA_TITLE, LEN(501), FAI_WHY_TOO_LONG);
	set_ok(idea, IDEA_NEED, LEN(65536), big);
	set_bad(idea, IDEA_NEED, LEN(65537), FAI_WHY_TOO_LONG);
	set_bad(idea, IDEA_TITLE, LEN(69999), FAI_WHY_TOO_LONG);
	set_bad(idea, IDEA_SIRET, LEN(69999), FAI_WHY_TOO_LONG);
#undef LEN
	/* The value in err is cut to fit. */
	assert_int_equal(idea_set(idea, IDEA_TITLE, big, 0, &err), -FAI_EINVAL);
	assert_int_equal(strlen(err.value), sizeof(err.value) - 1);
	free(big);
	idea_free(idea);
}

static void test_set_system(void **state)
{
	static const enum idea_field sys[] = {
	    IDEA_ID,	       IDEA_REF,	IDEA_STAGE,
	    IDEA_STAGE_REASON, IDEA_CREATED_AT, IDEA_UPDATED_AT,
	    IDEA_STAGE_SINCE,  IDEA_UPDATED_BY, IDEA_REVISION,
	    IDEA_STAGE_PREV,
	};
	struct idea *idea = idea_new();
	struct fai_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		fai_err_clear(&err);
		assert_int_equal(idea_set(idea, sys[i], "x", 0, &err),
				 -FAI_EINVAL);
		assert_int_equal(err.why, FAI_WHY_READONLY);
		assert_string_equal(err.field, idea_field_info(sys[i])->code);
		assert_null(idea->v[sys[i]]);
	}
	/* With allow_system, checked and normalised. */
	set_ok(idea, IDEA_ID, "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9",
	       "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
	set_bad(idea, IDEA_ID, "not-a-uuid", FAI_WHY_UUID);
	set_ok(idea, IDEA_REF, " 84-0042 ", "84-0042");
	set_bad(idea, IDEA_REF, "84-42", FAI_WHY_REF);
	set_ok(idea, IDEA_STAGE, "Owner-Search", "owner_search");
	set_bad(idea, IDEA_STAGE, "lancé", FAI_WHY_STAGE);
	assert_int_equal(idea_stage(idea), STAGE_OWNER_SEARCH);
	set_ok(idea, IDEA_STAGE_PREV, "CONCEPT", "concept");
	set_ok(idea, IDEA_CREATED_AT, "2026-11-27T10:52:18+01:00",
	       "2026-11-27T09:52:18Z");
	set_ok(idea, IDEA_UPDATED_AT, "2026-11-27", "2026-11-27T00:00:00Z");
	set_bad(idea, IDEA_STAGE_SINCE, "2026-02-30T00:00:00Z",
		FAI_WHY_TIMESTAMP);
	set_bad(idea, IDEA_STAGE_SINCE, "hier", FAI_WHY_TIMESTAMP);
	set_ok(idea, IDEA_REVISION, "0042", "42");
	set_ok(idea, IDEA_REVISION, "18446744073709551615",
	       "18446744073709551615");
	assert_true(idea_revision(idea) == UINT64_MAX);
	set_bad(idea, IDEA_REVISION, "18446744073709551616", FAI_WHY_NUMBER);
	set_bad(idea, IDEA_REVISION, "-1", FAI_WHY_NUMBER);
	set_ok(idea, IDEA_UPDATED_BY, "camille", "camille");
	/* Clearing a system field that is not required. */
	set_ok(idea, IDEA_STAGE_PREV, "", "");
	idea_free(idea);
}

static void test_set_codes(void **state)
{
	struct idea *idea = idea_new();

	(void)state;
	set_ok(idea, IDEA_REGION, "84", "84");
	set_ok(idea, IDEA_REGION, " 11 ", "11");
	set_bad(idea, IDEA_REGION, "2a", FAI_WHY_REGION);
	set_bad(idea, IDEA_REGION, "99", FAI_WHY_REGION);
	set_bad(idea, IDEA_REGION, "Bretagne", FAI_WHY_REGION);
	assert_string_equal(idea_get(idea, IDEA_REGION), "11");

	set_ok(idea, IDEA_TERRITORY, "2a", "2A");
	set_ok(idea, IDEA_TERRITORY, "69123 ; 2b,971  38",
	       "69123, 2B, 971, 38");
	set_ok(idea, IDEA_TERRITORY, "69, 69 ,2a;2A", "69, 2A");
	set_ok(idea, IDEA_TERRITORY, "2a004", "2A004");
	set_bad(idea, IDEA_TERRITORY, "69123, 20", FAI_WHY_TERRITORY);
	set_bad(idea, IDEA_TERRITORY, "Lyon", FAI_WHY_TERRITORY);
	assert_string_equal(idea_get(idea, IDEA_TERRITORY), "2A004");
	set_ok(idea, IDEA_TERRITORY, " , ", "");

	set_ok(idea, IDEA_SIRET, "732 829 320 00074", "73282932000074");
	set_ok(idea, IDEA_SIRET,
	       "732\xC2\xA0"
	       "829\xE2\x80\xAF"
	       "320 00074",
	       "73282932000074");
	set_ok(idea, IDEA_SIRET, "35600000049837", "35600000049837");
	set_bad(idea, IDEA_SIRET, "732 829 320 00075", FAI_WHY_SIRET_CHECK);
	set_bad(idea, IDEA_SIRET, "1234", FAI_WHY_SIRET_FORMAT);
	set_bad(idea, IDEA_SIRET, "732-829-320-00074", FAI_WHY_SIRET_FORMAT);
	set_bad(idea, IDEA_SIRET, "\xC2\xA0", FAI_WHY_SIRET_FORMAT);
	/* Passes Luhn, but no establishment has a SIREN or a NIC of zeros. */
	set_bad(idea, IDEA_SIRET, "000 000 000 00000", FAI_WHY_SIRET_ZERO);
	set_bad(idea, IDEA_SIRET, "732 829 305 00000", FAI_WHY_SIRET_ZERO);
	set_ok(idea, IDEA_SIRET, "", "");

	set_ok(idea, IDEA_LAUNCH_DATE, "2024-02-29", "2024-02-29");
	set_bad(idea, IDEA_LAUNCH_DATE, "2026-02-30", FAI_WHY_DATE);
	set_bad(idea, IDEA_LAUNCH_DATE, "01/09/2026", FAI_WHY_DATE);
	set_bad(idea, IDEA_LAUNCH_DATE, "2026-09-01T00:00:00Z", FAI_WHY_DATE);

	set_ok(idea, IDEA_JOBS, "007", "7");
	set_ok(idea, IDEA_JOBS, "0", "0");
	set_ok(idea, IDEA_JOBS, "000", "0");
	set_ok(idea, IDEA_JOBS, " 12 ", "12");
	assert_int_equal(idea_jobs(idea), 12);
	set_ok(idea, IDEA_JOBS, "999999999", "999999999");
	set_bad(idea, IDEA_JOBS, "1000000000", FAI_WHY_NUMBER);
	set_bad(idea, IDEA_JOBS, "-1", FAI_WHY_NUMBER);
	set_bad(idea, IDEA_JOBS, "+1", FAI_WHY_NUMBER);
	set_bad(idea, IDEA_JOBS, "1.5", FAI_WHY_NUMBER);
	set_bad(idea, IDEA_JOBS, "deux", FAI_WHY_NUMBER);
	set_bad(idea, IDEA_JOBS, "1 2", FAI_WHY_NUMBER);
	set_ok(idea, IDEA_JOBS, "", "");
	assert_int_equal(idea_jobs(idea), -1);
	idea_free(idea);
}

/* launch_date=0000-01-01 was accepted, and so were the times of an import
 * in year 0 or 9999: every date and time an idea takes from a person or a
 * file is in the years 1900..2100, judged in UTC. */
static void test_launch_date_0000_and_times_out_of_range_refused(void **state)
{
	static const enum idea_field times[] = {
	    IDEA_CREATED_AT,
	    IDEA_UPDATED_AT,
	    IDEA_STAGE_SINCE,
	};
	struct idea *idea = idea_new();
	size_t i;

	(void)state;
	set_bad(idea, IDEA_LAUNCH_DATE, "0000-01-01", FAI_WHY_DATE_RANGE);
	set_bad(idea, IDEA_LAUNCH_DATE, "1899-12-31", FAI_WHY_DATE_RANGE);
	set_bad(idea, IDEA_LAUNCH_DATE, "2101-01-01", FAI_WHY_DATE_RANGE);
	set_bad(idea, IDEA_LAUNCH_DATE, "9999-12-31", FAI_WHY_DATE_RANGE);
	set_ok(idea, IDEA_LAUNCH_DATE, "1900-01-01", "1900-01-01");
	set_ok(idea, IDEA_LAUNCH_DATE, "2100-12-31", "2100-12-31");
	/* A date that does not exist is still a bad date, whatever its
	 * year. */
	set_bad(idea, IDEA_LAUNCH_DATE, "0000-02-30", FAI_WHY_DATE);
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		set_bad(idea, times[i], "0000-01-01T00:00:00Z",
			FAI_WHY_DATE_RANGE);
		set_bad(idea, times[i], "1899-12-31T23:59:59Z",
			FAI_WHY_DATE_RANGE);
		set_bad(idea, times[i], "9999-12-31T23:59:59Z",
			FAI_WHY_DATE_RANGE);
		/* 23:30 at UTC-1 on the last day of 2100 is 2101 in UTC. */
		set_bad(idea, times[i], "2100-12-31T23:30:00-01:00",
			FAI_WHY_DATE_RANGE);
		/* 00:30 at UTC+1 on the first day of 1900 is 1899 in UTC. */
		set_bad(idea, times[i], "1900-01-01T00:30:00+01:00",
			FAI_WHY_DATE_RANGE);
		set_ok(idea, times[i], "1900-01-01T00:00:00Z",
		       "1900-01-01T00:00:00Z");
		set_ok(idea, times[i], "2100-12-31T23:59:59Z",
		       "2100-12-31T23:59:59Z");
	}
	/* idea_check judges a stored value the same way. */
	idea_set_raw(idea, IDEA_TITLE, "Titre");
	idea_set_raw(idea, IDEA_REGION, "84");
	idea_set_raw(idea, IDEA_STAGE, "launched");
	assert_int_equal(idea_check(idea, NULL), 0);
	idea_set_raw(idea, IDEA_LAUNCH_DATE, "0000-01-01");
	{
		struct fai_err err;

		assert_int_equal(idea_check(idea, &err), -FAI_EINVAL);
		assert_int_equal(err.why, FAI_WHY_DATE_RANGE);
		assert_string_equal(err.field, "launch_date");
	}
	idea_free(idea);
}

static void test_set_lists(void **state)
{
	struct idea *idea = idea_new();
	struct fai_err err;

	(void)state;
	set_ok(idea, IDEA_TAGS, " mobilité ; vélo;;mobilité ; ",
	       "mobilité; vélo");
	set_ok(idea, IDEA_TAGS, ";;", "");
	assert_null(idea->v[IDEA_TAGS]);
	set_ok(idea, IDEA_PARTNERS, "Métropole de Lyon; CAF;Métropole de Lyon",
	       "Métropole de Lyon; CAF");
	/* A prefix of an item is not a duplicate. */
	set_ok(idea, IDEA_TAGS, "vélo; vélo électrique; vél",
	       "vélo; vélo électrique; vél");

	assert_int_equal(idea_list_add(idea, IDEA_TAGS, "réemploi; vélo", &err),
			 0);
	assert_string_equal(idea_get(idea, IDEA_TAGS),
			    "vélo; vélo électrique; vél; réemploi");
	assert_int_equal(idea_list_add(idea, IDEA_TAGS, "", &err), 0);
	assert_int_equal(idea_list_add(idea, IDEA_TAGS, NULL, &err), 0);
	assert_string_equal(idea_get(idea, IDEA_TAGS),
			    "vélo; vélo électrique; vél; réemploi");
	idea_set_raw(idea, IDEA_PARTNERS, NULL);
	assert_int_equal(idea_list_add(idea, IDEA_PARTNERS, "CAF", &err), 0);
	assert_string_equal(idea_get(idea, IDEA_PARTNERS), "CAF");
	assert_int_equal(idea_list_add(idea, IDEA_TAGS, "a\x1b", &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_CONTROL);
	assert_string_equal(err.field, "tags");
	assert_string_equal(err.value, "a\x1b");
	assert_int_equal(idea_list_add(idea, IDEA_TITLE, "x", &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_FIELD);
	idea_free(idea);
}

static struct idea *make_full(void)
{
	struct idea *idea = idea_new();

	idea_set_raw(idea, IDEA_ID, "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
	idea_set_raw(idea, IDEA_REF, "84-0042");
	idea_set_raw(idea, IDEA_TITLE, "Repair café vélo");
	idea_set_raw(idea, IDEA_STAGE, "concept");
	idea_set_raw(idea, IDEA_REGION, "84");
	idea_set_raw(idea, IDEA_TERRITORY, "69123, 69");
	idea_set_raw(idea, IDEA_TAGS, "mobilité; réemploi");
	idea_set_raw(idea, IDEA_NEED, "Personnes âgées isolées\nÉlevé");
	idea_set_raw(idea, IDEA_FACILITATOR, "Zoé Durand");
	idea_set_raw(idea, IDEA_SIRET, "73282932000074");
	idea_set_raw(idea, IDEA_JOBS, "3");
	idea_set_raw(idea, IDEA_CREATED_AT, "2026-11-27T09:52:18Z");
	idea_set_raw(idea, IDEA_UPDATED_AT, "2026-11-28T09:52:18Z");
	idea_set_raw(idea, IDEA_REVISION, "4");
	idea_extra_add(idea, "budget", "12000", 30);
	return idea;
}

static void test_check(void **state)
{
	struct idea *idea = idea_new();
	struct fai_err err;

	(void)state;
	assert_int_equal(idea_check(idea, &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_REQUIRED);
	assert_string_equal(err.field, "title");
	idea_set_raw(idea, IDEA_TITLE, "T");
	assert_int_equal(idea_check(idea, &err), -FAI_EINVAL);
	assert_string_equal(err.field, "stage");
	idea_set_raw(idea, IDEA_STAGE, "need");
	assert_int_equal(idea_check(idea, &err), -FAI_EINVAL);
	assert_string_equal(err.field, "region");
	idea_set_raw(idea, IDEA_REGION, "84");
	assert_int_equal(idea_check(idea, &err), 0);
	assert_int_equal(idea_check(idea, NULL), 0);
	idea_free(idea);

	idea = make_full();
	assert_int_equal(idea_check(idea, &err), 0);
	idea_set_raw(idea, IDEA_SIRET, "73282932000075");
	assert_int_equal(idea_check(idea, &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_SIRET_CHECK);
	idea_set_raw(idea, IDEA_SIRET, NULL);
	idea_set_raw(idea, IDEA_TITLE, "a\x1b");
	assert_int_equal(idea_check(idea, &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_CONTROL);
	idea_set_raw(idea, IDEA_TITLE, "ok");
	idea_set_raw(idea, IDEA_STAGE, "bof");
	assert_int_equal(idea_check(idea, &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_STAGE);
	idea_free(idea);
}

static void test_typed(void **state)
{
	struct idea *idea = idea_new();

	(void)state;
	idea_set_u64(idea, IDEA_REVISION, 0);
	assert_string_equal(idea_get(idea, IDEA_REVISION), "0");
	idea_set_u64(idea, IDEA_REVISION, UINT64_MAX);
	assert_string_equal(idea_get(idea, IDEA_REVISION),
			    "18446744073709551615");
	assert_true(idea_revision(idea) == UINT64_MAX);
	idea_set_raw(idea, IDEA_REVISION, "18446744073709551616");
	assert_int_equal(idea_revision(idea), 0);
	idea_set_raw(idea, IDEA_REVISION, "12x");
	assert_int_equal(idea_revision(idea), 0);
	idea_set_time(idea, IDEA_STAGE_SINCE, 1795773138);
	assert_string_equal(idea_get(idea, IDEA_STAGE_SINCE),
			    "2026-11-27T09:52:18Z");
	assert_int_equal(idea_time(idea, IDEA_STAGE_SINCE, 0), 1795773138);
	idea_set_raw(idea, IDEA_STAGE_SINCE, "bad");
	assert_int_equal(idea_time(idea, IDEA_STAGE_SINCE, -7), -7);
	idea_set_raw(idea, IDEA_STAGE, "launched");
	assert_int_equal(idea_stage(idea), STAGE_LAUNCHED);
	idea_set_raw(idea, IDEA_STAGE, "bad");
	assert_int_equal(idea_stage(idea), STAGE_NONE);
	idea_set_raw(idea, IDEA_JOBS, "x");
	assert_int_equal(idea_jobs(idea), -1);
	idea_free(idea);
}

static void test_clone(void **state)
{
	struct idea *a = make_full(), *b;

	(void)state;
	a->key = 17;
	a->rank = 99;
	b = idea_clone(a);
	assert_int_equal(b->key, 17);
	assert_int_equal(b->rank, 99);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		assert_string_equal(idea_get(a, (enum idea_field)f),
				    idea_get(b, (enum idea_field)f));
		if (a->v[f] != NULL)
			assert_ptr_not_equal(a->v[f], b->v[f]);
	}
	assert_int_equal(b->nextra, 1);
	assert_string_equal(b->extra[0].name, "budget");
	assert_string_equal(b->extra[0].value, "12000");
	assert_int_equal(b->extra[0].pos, 30);
	assert_ptr_not_equal(a->extra[0].name, b->extra[0].name);
	idea_set_raw(b, IDEA_TITLE, "Autre");
	assert_string_equal(idea_get(a, IDEA_TITLE), "Repair café vélo");
	idea_free(a);
	idea_free(b);
}

static void test_diff(void **state)
{
	struct idea *a = make_full(), *b;
	struct idea_change *c = NULL;
	size_t n;

	(void)state;
	b = idea_clone(a);
	n = idea_diff(a, b, 0, &c);
	assert_int_equal(n, 0);
	idea_changes_free(c, n);
	idea_changes_free(NULL, 0);

	idea_set_raw(b, IDEA_TITLE, "Nouveau titre");
	idea_set_raw(b, IDEA_JOBS, NULL);
	idea_set_raw(b, IDEA_THEME, "Mobilité");
	idea_set_raw(b, IDEA_UPDATED_AT, "2026-12-01T00:00:00Z");
	idea_set_raw(b, IDEA_UPDATED_BY, "zoe");
	idea_set_raw(b, IDEA_REVISION, "5");
	free(b->extra[0].value);
	b->extra[0].value = strdup("15000");
	idea_extra_add(b, "financeur", "ADEME", 31);
	idea_extra_add(a, "note", "x", 32);

	n = idea_diff(a, b, 0, &c);
	assert_int_equal(n, 9);
	assert_string_equal(c[0].name, "title");
	assert_string_equal(c[0].before, "Repair café vélo");
	assert_string_equal(c[0].after, "Nouveau titre");
	assert_string_equal(c[1].name, "theme");
	assert_null(c[1].before);
	assert_string_equal(c[1].after, "Mobilité");
	assert_string_equal(c[2].name, "jobs");
	assert_string_equal(c[2].before, "3");
	assert_null(c[2].after);
	assert_string_equal(c[3].name, "updated_at");
	assert_string_equal(c[4].name, "updated_by");
	assert_string_equal(c[5].name, "revision");
	assert_string_equal(c[6].name, "x:budget");
	assert_string_equal(c[6].before, "12000");
	assert_string_equal(c[6].after, "15000");
	assert_string_equal(c[7].name, "x:note");
	assert_string_equal(c[7].before, "x");
	assert_null(c[7].after);
	assert_string_equal(c[8].name, "x:financeur");
	assert_null(c[8].before);
	assert_string_equal(c[8].after, "ADEME");
	idea_changes_free(c, n);

	n = idea_diff(a, b, 1, &c);
	assert_int_equal(n, 6);
	assert_string_equal(c[0].name, "title");
	assert_string_equal(c[1].name, "theme");
	assert_string_equal(c[2].name, "jobs");
	assert_string_equal(c[3].name, "x:budget");
	idea_changes_free(c, n);

	/* "" and NULL are the same empty value. */
	idea_free(b);
	b = idea_clone(a);
	b->v[IDEA_THEME] = strdup("");
	n = idea_diff(a, b, 0, &c);
	assert_int_equal(n, 0);
	idea_changes_free(c, n);
	idea_free(a);
	idea_free(b);
}

/* An owned idea lends itself as a view: the same pointers, nothing
 * copied, and the view's accessors read what the idea's read. */
static void test_view_of_lends(void **state)
{
	struct idea *idea = make_full();
	struct idea_view v;
	int f;

	(void)state;
	idea->key = 17;
	idea->rank = 4;
	idea_set_raw(idea, IDEA_OWNER, NULL);
	idea_view_of(idea, &v);
	assert_int_equal(v.key, 17);
	assert_int_equal(v.rank, 4);
	for (f = 0; f < IDEA_FIELD_COUNT; f++) {
		assert_ptr_equal(v.v[f], idea->v[f]);
		assert_string_equal(idea_view_get(&v, (enum idea_field)f),
				    idea_get(idea, (enum idea_field)f));
	}
	assert_null(v.v[IDEA_OWNER]);
	assert_string_equal(idea_view_get(&v, IDEA_OWNER), "");
	assert_string_equal(idea_view_get(&v, IDEA_FIELD_COUNT), "");
	assert_string_equal(idea_view_get(&v, (enum idea_field) - 1), "");
	assert_int_equal(v.nextra, idea->nextra);
	assert_ptr_equal(v.extra, idea->extra);
	assert_int_equal(idea_view_stage(&v), idea_stage(idea));
	assert_int_equal(idea_view_revision(&v), idea_revision(idea));
	assert_true(idea_view_time(&v, IDEA_CREATED_AT, 1) ==
		    idea_time(idea, IDEA_CREATED_AT, 1));
	assert_true(idea_view_time(&v, IDEA_OWNER, 42) == 42);
	idea_free(idea);

	/* An empty idea's view gives the same fallbacks as the idea. */
	idea = idea_new();
	idea_view_of(idea, &v);
	assert_int_equal(idea_view_stage(&v), STAGE_NONE);
	assert_int_equal(idea_view_revision(&v), 0);
	assert_null(v.extra);
	idea_free(idea);
}

static void test_matches(void **state)
{
	struct idea *idea = make_full();
	struct idea_view v;

	(void)state;
	idea_view_of(idea, &v);
	assert_int_equal(idea_matches(&v, ""), 1);
	assert_int_equal(idea_matches(&v, "eleve"), 1);	      /* need */
	assert_int_equal(idea_matches(&v, "REPAIR CAFE"), 1); /* title */
	assert_int_equal(idea_matches(&v, "0042"), 1);	      /* ref */
	assert_int_equal(idea_matches(&v, "69123"), 1);	      /* territory */
	assert_int_equal(idea_matches(&v, "Reemploi"), 1);    /* tags */
	assert_int_equal(idea_matches(&v, "agees"), 1);
	/* Every text field since issue 12: the facilitator too. */
	assert_int_equal(idea_matches(&v, "zoe"), 1);
	/* Fields outside the search: SIRET, numbers, extras. */
	assert_int_equal(idea_matches(&v, "73282932"), 0);
	assert_int_equal(idea_matches(&v, "12000"), 0);
	assert_int_equal(idea_matches(&v, "introuvable"), 0);
	idea_free(idea);
}

/* Issue 12: "mission locale" finds the ideas whose partner it is; the
 * search reads every text field a person writes, never the codes. */
static void test_matches_every_field(void **state)
{
	static const struct {
		enum idea_field f;
		const char *value, *search;
	} rows[] = {
	    {IDEA_CONCEPT, "Un tiers-lieu avec café", "TIERS-LIEU"},
	    {IDEA_SOURCE, "Conférence des financeurs", "conference"},
	    {IDEA_PARTNERS, "CAF; Mission locale de Tulle", "mission locale"},
	    {IDEA_OWNER, "Régis Lamarche", "regis"},
	    {IDEA_STRUCTURE, "Bocaux du Léon", "leon"},
	    {IDEA_FACILITATOR, "Claire Mercier", "mercier"},
	    {IDEA_THEME, "alimentation", "aliment"},
	    {IDEA_LEGAL_FORM, "SCIC", "scic"},
	    {IDEA_STAGE_REASON, "En attente du financement", "financement"},
	};
	struct buf folded, scratch;
	(void)state;
	buf_init(&folded);
	buf_init(&scratch);
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		struct idea *idea = idea_new();
		struct idea_view v;
		idea_set_raw(idea, IDEA_TITLE, "Autre chose");
		idea_set_raw(idea, rows[k].f, rows[k].value);
		idea_view_of(idea, &v);
		assert_int_equal(idea_matches(&v, rows[k].search), 1);
		buf_reset(&folded);
		utf8_fold(&folded, rows[k].search);
		assert_int_equal(idea_matches_folded(&v, folded.data, &scratch),
				 1);
		assert_int_equal(idea_matches_folded(&v, "zzz", &scratch), 0);
		assert_int_equal(idea_matches_folded(&v, "", &scratch), 1);
		idea_free(idea);
	}
	/* codes and numbers stay outside */
	struct idea *idea = idea_new();
	struct idea_view v;
	idea_set_raw(idea, IDEA_REGION, "84");
	idea_set_raw(idea, IDEA_JOBS, "12");
	idea_set_raw(idea, IDEA_LAUNCH_DATE, "2026-03-01");
	idea_view_of(idea, &v);
	assert_int_equal(idea_matches(&v, "84"), 0);
	assert_int_equal(idea_matches(&v, "12"), 0);
	assert_int_equal(idea_matches(&v, "2026"), 0);
	idea_free(idea);
	buf_free(&scratch);
	buf_free(&folded);
}

/* A territory code with the shape of one but unknown to the COG is refused
 * where a person types it (idea_set); one already stored (a commune since
 * merged) still checks clean and reads as its code. */
static void test_territory_cog(void **state)
{
	(void)state;
	struct idea *i = idea_new();
	struct fai_err e;
	fai_err_clear(&e);
	assert_int_equal(idea_set(i, IDEA_TERRITORY, "63113; 2a", 0, &e), 0);
	assert_string_equal(idea_get(i, IDEA_TERRITORY), "63113, 2A");
	assert_int_equal(idea_set(i, IDEA_TERRITORY, "63113, 63999", 0, &e),
			 -FAI_EINVAL);
	assert_int_equal(e.why, FAI_WHY_TERRITORY);
	assert_string_equal(e.value, "63999");
	/* unchanged when refused */
	assert_string_equal(idea_get(i, IDEA_TERRITORY), "63113, 2A");
	/* stored long ago: idea_check does not refuse it for the COG */
	idea_set_raw(i, IDEA_TITLE, "Atelier");
	idea_set_raw(i, IDEA_REGION, "84");
	idea_set_raw(i, IDEA_STAGE, "need");
	idea_set_raw(i, IDEA_TERRITORY, "63999");
	assert_int_equal(idea_check(i, &e), 0);
	idea_set_raw(i, IDEA_TERRITORY, "63x99"); /* a wrong shape still is */
	fai_err_clear(&e);
	assert_int_equal(idea_check(i, &e), -FAI_EINVAL);
	assert_string_equal(e.field, "territory");
	idea_free(i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_territory_cog),
	    cmocka_unit_test(test_degenerate),
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_field_parse),
	    cmocka_unit_test(test_set_trim_text),
	    cmocka_unit_test(test_set_refusals),
	    cmocka_unit_test(test_set_system),
	    cmocka_unit_test(test_set_codes),
	    cmocka_unit_test(
		test_launch_date_0000_and_times_out_of_range_refused),
	    cmocka_unit_test(test_set_lists),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_typed),
	    cmocka_unit_test(test_clone),
	    cmocka_unit_test(test_diff),
	    cmocka_unit_test(test_matches),
	    cmocka_unit_test(test_matches_every_field),
	    cmocka_unit_test(test_view_of_lends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
