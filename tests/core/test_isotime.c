/* test_isotime.c - ISO 8601 formatting and parsing in UTC, calendar
 * arithmetic, ISO weeks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/err.h"
#include "../../core/isotime.h"

static int64_t parse_ok(const char *s)
{
	int64_t t = -12345;

	assert_int_equal(isotime_parse(s, &t), 0);
	return t;
}

static void test_parse_degenerate(void **state)
{
	int64_t t = 77;

	(void)state;
	assert_int_equal(isotime_parse(NULL, &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-1-01", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("26-11-27", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27x", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T09", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T09:5", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T09:52:1", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T09:52:18ZZ", &t),
			 -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T09:52:18+", &t),
			 -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T09:52:18+2", &t),
			 -FAI_EINVAL);
	assert_int_equal(isotime_parse(" 2026-11-27", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("27/11/2026", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("２０２６-11-27", &t), -FAI_EINVAL);
	/* Failures leave *t alone. */
	assert_int_equal(t, 77);
}

static void test_parse_ranges(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(isotime_parse("2026-00-10", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-13-10", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-01-00", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-01-32", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-04-31", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T24:00:00Z", &t),
			 -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T23:60:00Z", &t),
			 -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T23:59:60Z", &t),
			 -FAI_EINVAL);
	assert_int_equal(isotime_parse("2026-11-27T10:00+24:00", &t),
			 -FAI_EINVAL);
	/* Leap years. */
	assert_int_equal(isotime_parse("2024-02-29", &t), 0);
	assert_int_equal(isotime_parse("2000-02-29", &t), 0);
	assert_int_equal(isotime_parse("2023-02-29", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("1900-02-29", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2100-02-29", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse("2024-02-30", &t), -FAI_EINVAL);
}

static void test_parse_values(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01"), 0);
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse_ok("2023-11-14T22:13:20Z"), 1700000000);
	assert_int_equal(parse_ok("2026-11-27T09:52:18Z"), 1795773138);
	assert_int_equal(parse_ok("2026-11-27 09:52:18Z"), 1795773138);
	assert_int_equal(parse_ok("2026-11-27t09:52:18z"), 1795773138);
	/* No zone: UTC.  No seconds: :00. */
	assert_int_equal(parse_ok("2026-11-27T09:52:18"), 1795773138);
	assert_int_equal(parse_ok("2026-11-27T09:52"), 1795773138 - 18);
	/* Offsets are converted to UTC. */
	assert_int_equal(parse_ok("2026-11-27T10:52:18+01:00"), 1795773138);
	assert_int_equal(parse_ok("2026-11-27T11:52:18+02:00"), 1795773138);
	assert_int_equal(parse_ok("2026-11-27T04:22:18-05:30"), 1795773138);
	assert_int_equal(parse_ok("2026-11-27T10:52:18+0100"), 1795773138);
	assert_int_equal(parse_ok("2026-11-27T10:52:18+01"), 1795773138);
	assert_int_equal(parse_ok("2026-11-27T01:00:00+02:00"),
			 parse_ok("2026-11-26T23:00:00Z"));
	/* Before the epoch and far ahead. */
	assert_int_equal(parse_ok("1969-12-31T23:59:59Z"), -1);
	assert_int_equal(parse_ok("1900-03-01"), -2203891200LL);
	assert_int_equal(parse_ok("2400-02-29"), 13574563200LL);
	assert_int_equal(parse_ok("0000-01-01"), -62167219200LL);
	assert_int_equal(parse_ok("9999-12-31T23:59:59Z"), 253402300799LL);
}

static void test_format(void **state)
{
	char out[ISOTIME_LEN];
	char day[ISODATE_LEN];

	(void)state;
	isotime_format(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	isotime_format(1700000000, out);
	assert_string_equal(out, "2023-11-14T22:13:20Z");
	isotime_format(1795773138, out);
	assert_string_equal(out, "2026-11-27T09:52:18Z");
	isotime_format(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	isotime_format(951782400, out); /* 2000-02-29 */
	assert_string_equal(out, "2000-02-29T00:00:00Z");
	isotime_format_date(1795773138, day);
	assert_string_equal(day, "2026-11-27");
	isotime_format_date(-1, day);
	assert_string_equal(day, "1969-12-31");
	/* Out of the four-digit years: clamped, never longer. */
	isotime_format(INT64_MAX, out);
	assert_string_equal(out, "9999-12-31T23:59:59Z");
	isotime_format(INT64_MIN, out);
	assert_string_equal(out, "0000-01-01T00:00:00Z");
	isotime_format_date(INT64_MAX, day);
	assert_string_equal(day, "9999-12-31");
}

static void test_round_trip(void **state)
{
	char out[ISOTIME_LEN];
	int64_t t, back;

	(void)state;
	/* Every ~5 days and 7 hours from 1600 to 2500. */
	for (t = -11676096000LL; t < 16725225600LL; t += 457201) {
		isotime_format(t, out);
		assert_int_equal(isotime_parse(out, &back), 0);
		assert_int_equal(back, t);
	}
}

static void test_check_date(void **state)
{
	(void)state;
	assert_int_equal(isotime_check_date(NULL), -FAI_EINVAL);
	assert_int_equal(isotime_check_date(""), -FAI_EINVAL);
	assert_int_equal(isotime_check_date("2026-11-27"), 0);
	assert_int_equal(isotime_check_date("2024-02-29"), 0);
	assert_int_equal(isotime_check_date("2025-02-29"), -FAI_EINVAL);
	assert_int_equal(isotime_check_date("2026-11-27T00:00:00Z"),
			 -FAI_EINVAL);
	assert_int_equal(isotime_check_date("2026-11-27 "), -FAI_EINVAL);
	assert_int_equal(isotime_check_date("2026-11-7"), -FAI_EINVAL);
	assert_int_equal(isotime_check_date("27-11-2026"), -FAI_EINVAL);
}

static void test_week(void **state)
{
	int64_t t = 5;

	(void)state;
	assert_int_equal(isotime_parse_week(NULL, &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse_week("", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse_week("2026-W00", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse_week("2026-W1", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse_week("2026-W54", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse_week("2026W01", &t), -FAI_EINVAL);
	assert_int_equal(isotime_parse_week("2026-W01x", &t), -FAI_EINVAL);
	/* 2021 has 52 weeks, 2020 and 2015 have 53. */
	assert_int_equal(isotime_parse_week("2021-W53", &t), -FAI_EINVAL);
	assert_int_equal(t, 5);
	assert_int_equal(isotime_parse_week("2026-W01", &t), 0);
	assert_int_equal(t, parse_ok("2025-12-29"));
	assert_int_equal(isotime_parse_week("2026-w48", &t), 0);
	assert_int_equal(t, parse_ok("2026-11-23"));
	assert_int_equal(isotime_parse_week("2020-W53", &t), 0);
	assert_int_equal(t, parse_ok("2020-12-28"));
	assert_int_equal(isotime_parse_week("2015-W53", &t), 0);
	assert_int_equal(t, parse_ok("2015-12-28"));
	assert_int_equal(isotime_parse_week("1970-W01", &t), 0);
	assert_int_equal(t, parse_ok("1969-12-29"));
}

static void test_days(void **state)
{
	(void)state;
	assert_int_equal(isotime_days(0, 0), 0);
	assert_int_equal(isotime_days(0, 86399), 0);
	assert_int_equal(isotime_days(0, 86400), 1);
	assert_int_equal(isotime_days(0, 30 * 86400 + 5), 30);
	assert_int_equal(isotime_days(86400, 0), -1);
	assert_int_equal(isotime_days(1, 0), -1);
	assert_int_equal(
	    isotime_days(parse_ok("2024-02-01"), parse_ok("2024-03-01")), 29);
}

/* The years a person or a file may give: 1900..2100, both ends in. */
static void test_range_1900_to_2100(void **state)
{
	(void)state;
	assert_int_equal(isotime_check_range(parse_ok("1900-01-01")), 0);
	assert_int_equal(isotime_check_range(parse_ok("2100-12-31T23:59:59Z")),
			 0);
	assert_int_equal(isotime_check_range(0), 0);
	assert_int_equal(isotime_check_range(parse_ok("2026-03-09T09:00Z")), 0);
	assert_int_equal(isotime_check_range(parse_ok("1899-12-31T23:59:59Z")),
			 -FAI_EINVAL);
	assert_int_equal(isotime_check_range(parse_ok("2101-01-01")),
			 -FAI_EINVAL);
	assert_int_equal(isotime_check_range(parse_ok("0000-01-01")),
			 -FAI_EINVAL);
	assert_int_equal(isotime_check_range(INT64_MIN), -FAI_EINVAL);
	assert_int_equal(isotime_check_range(INT64_MAX), -FAI_EINVAL);
	assert_true(parse_ok("1900-01-01") == ISOTIME_RANGE_MIN);
	assert_true(parse_ok("2100-12-31T23:59:59Z") == ISOTIME_RANGE_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_degenerate),
	    cmocka_unit_test(test_parse_ranges),
	    cmocka_unit_test(test_parse_values),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_check_date),
	    cmocka_unit_test(test_week),
	    cmocka_unit_test(test_days),
	    cmocka_unit_test(test_range_1900_to_2100),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
