/* test_datefr.c - the dates a person types: every form fai accepts, the
 * refusals (no such day, no such month, garbage), and the two-digit-year
 * rule.  Bug 10 of issue 12: "15/12/2026" was refused by forms and the CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/datefr.h"
#include "../../core/err.h"
#include "../../core/idea.h"

static void accepts(const char *in, const char *want)
{
	char out[ISODATE_LEN] = "";

	if (datefr_parse(in, DATEFR_TYPED, out) != 0)
		fail_msg("\"%s\" was refused (want %s)", in, want);
	assert_string_equal(out, want);
}

static void refuses(const char *in)
{
	char out[ISODATE_LEN] = "untouched";

	if (datefr_parse(in, DATEFR_TYPED, out) != -FAI_EINVAL)
		fail_msg("\"%s\" was accepted as %s", in, out);
	assert_string_equal(out, "untouched");
}

static void test_degenerate_inputs_refused(void **state)
{
	char out[ISODATE_LEN];
	const char *p = NULL;
	int y, m, d;

	(void)state;
	assert_int_equal(datefr_parse(NULL, DATEFR_TYPED, out), -FAI_EINVAL);
	assert_int_equal(datefr_read(NULL, DATEFR_TYPED, &y, &m, &d),
			 -FAI_EINVAL);
	assert_int_equal(datefr_read(&p, DATEFR_TYPED, &y, &m, &d),
			 -FAI_EINVAL);
	refuses("");
	refuses(" ");
	refuses("\xff\xfe");
	refuses("15 \xc3 2026"); /* a cut UTF-8 sequence for a month */
	refuses("15/12/2026\n");
	refuses("15/12/2026 ");
	refuses(" 15/12/2026"); /* trimming is the caller's */
}

static void test_iso_date_accepted(void **state)
{
	(void)state;
	accepts("2026-12-15", "2026-12-15");
	accepts("2028-02-29", "2028-02-29");
	refuses("2026-12-1");
	refuses("2026-1-15");
	refuses("26-12-15");
	refuses("2026-12-15T10:00");
}

static void test_french_slash_dates_accepted(void **state)
{
	(void)state;
	accepts("15/12/2026", "2026-12-15");
	accepts("1/2/2026", "2026-02-01");
	accepts("01/02/2026", "2026-02-01");
	accepts("29/02/2028", "2028-02-29");
	accepts("31/12/2100", "2100-12-31");
}

/* 00..69 are 2000..2069, 70..99 are 1970..1999 (POSIX strptime's %y). */
static void test_two_digit_years_follow_the_century_rule(void **state)
{
	(void)state;
	accepts("15/12/26", "2026-12-15");
	accepts("1/1/00", "2000-01-01");
	accepts("31/12/69", "2069-12-31");
	accepts("01/01/70", "1970-01-01");
	accepts("31/12/99", "1999-12-31");
	refuses("15/12/6");
	refuses("15/12/202");
	refuses("15/12/20266");
}

static void test_month_names_accepted(void **state)
{
	(void)state;
	accepts("15 déc. 2026", "2026-12-15");
	accepts("15 déc 2026", "2026-12-15");
	accepts("15 dec. 2026", "2026-12-15");
	accepts("15 décembre 2026", "2026-12-15");
	accepts("15 DÉCEMBRE 2026", "2026-12-15");
	accepts("15 Decembre 2026", "2026-12-15");
	accepts("1er mai 2027", "2027-05-01");
	accepts("1 mai 2027", "2027-05-01");
	accepts("3 févr. 2027", "2027-02-03");
	accepts("3 fevrier 2027", "2027-02-03");
	accepts("14 juil. 2026", "2026-07-14");
	accepts("14 juillet 2026", "2026-07-14");
	accepts("15 août 2026", "2026-08-15");
	accepts("15 aout 2026", "2026-08-15");
	accepts("15 AOÛT 2026", "2026-08-15");
	accepts("2 sept. 2026", "2026-09-02");
	accepts("2 janv. 2026", "2026-01-02");
	accepts("15\xc2\xa0"
		"déc.\xc2\xa0"
		"2026",
		"2026-12-15"); /* no-break */
	accepts("15  déc.  2026", "2026-12-15");
	accepts("15 Dec 2026", "2026-12-15"); /* the C locale's */
	accepts("15 December 2026", "2026-12-15");
	refuses("15 ju 2026"); /* juin or juillet? */
	refuses("15 jui 2026");
	refuses("15 décembr 2026");
	refuses("15 déc. 26"); /* a year in words is written in full */
	refuses("15déc.2026");
	refuses("2er mai 2027");
	refuses("15 .déc 2026");
	refuses("15 déc.. 2026");
}

static void test_days_and_months_that_do_not_exist_refused(void **state)
{
	(void)state;
	refuses("31/02/2026");
	refuses("29/02/2026");
	refuses("32/12/2026");
	refuses("15/13/2026");
	refuses("0/12/2026");
	refuses("15/0/2026");
	refuses("31/04/2026");
	refuses("31 avril 2026");
	refuses("30 février 2028");
	refuses("2026-02-30");
	refuses("2026-13-01");
	refuses("12/15/2026"); /* month first is not French */
}

static void test_garbage_refused(void **state)
{
	(void)state;
	refuses("demain");
	refuses("15/12");
	refuses("15-12-2026");
	refuses("15.12.2026");
	refuses("15/12/2026/1");
	refuses("15//2026");
	refuses("/12/2026");
	refuses("015/12/2026");
	refuses("15 pluviôse 2026");
	refuses("15 décembre");
	refuses("décembre 2026");
}

/* The forms a caller asks for, and nothing else. */
static void test_forms_limit_what_is_read(void **state)
{
	char out[ISODATE_LEN];
	const char *p = "15/12/2026 10:30";
	int y, m, d;

	(void)state;
	assert_int_equal(datefr_parse("15/12/2026", DATEFR_ISO, out),
			 -FAI_EINVAL);
	assert_int_equal(datefr_parse("15/12/26", DATEFR_SLASH, out),
			 -FAI_EINVAL);
	assert_int_equal(datefr_parse("15/12/2026", DATEFR_SLASH_YY, out),
			 -FAI_EINVAL);
	assert_int_equal(datefr_parse("15 déc. 2026", DATEFR_SLASH, out),
			 -FAI_EINVAL);
	assert_int_equal(datefr_parse("2026-12-15", DATEFR_MONTH, out),
			 -FAI_EINVAL);
	/* datefr_read stops after the date. */
	assert_int_equal(datefr_read(&p, DATEFR_SLASH, &y, &m, &d), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 12);
	assert_int_equal(d, 15);
	assert_string_equal(p, " 10:30");
}

/* What a person types goes in as ISO; a file's value stays strict. */
static void test_launch_date_typed_stored_as_iso(void **state)
{
	struct idea *idea = idea_new();
	struct fai_err err;

	(void)state;
	fai_err_clear(&err);
	assert_int_equal(idea_set(idea, IDEA_LAUNCH_DATE, " 15/12/2026 ",
				  IDEA_SET_TYPED, &err),
			 0);
	assert_string_equal(idea_get(idea, IDEA_LAUNCH_DATE), "2026-12-15");
	assert_int_equal(
	    idea_set(idea, IDEA_LAUNCH_DATE, "1 mars 27", IDEA_SET_TYPED, &err),
	    -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_DATE_TYPED);
	assert_string_equal(err.value, "1 mars 27");
	assert_int_equal(idea_set(idea, IDEA_LAUNCH_DATE, "15/12/1850",
				  IDEA_SET_TYPED, &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_DATE_RANGE);
	assert_string_equal(err.value, "15/12/1850");
	assert_int_equal(idea_set(idea, IDEA_LAUNCH_DATE, "15/12/2026",
				  IDEA_SET_SYSTEM, &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_DATE);
	assert_string_equal(idea_get(idea, IDEA_LAUNCH_DATE), "2026-12-15");
	idea_free(idea);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_degenerate_inputs_refused),
	    cmocka_unit_test(test_iso_date_accepted),
	    cmocka_unit_test(test_french_slash_dates_accepted),
	    cmocka_unit_test(test_two_digit_years_follow_the_century_rule),
	    cmocka_unit_test(test_month_names_accepted),
	    cmocka_unit_test(test_days_and_months_that_do_not_exist_refused),
	    cmocka_unit_test(test_garbage_refused),
	    cmocka_unit_test(test_forms_limit_what_is_read),
	    cmocka_unit_test(test_launch_date_typed_stored_as_iso),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
