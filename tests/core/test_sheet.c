/* test_sheet.c - reading back what Calc and Excel do to our values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../../core/isotime.h"
#include "../../core/sheet.h"

static void assert_repair(enum idea_field f, const char *v, const char *want)
{
	char out[SHEET_CODE_MAX] = "";
	int got = sheet_repair_code(f, v, out);
	if (!want) {
		if (got)
			fail_msg("%s was repaired into %s", v, out);
		return;
	}
	if (!got)
		fail_msg("%s was not repaired (want %s)", v, want);
	assert_string_equal(out, want);
}

static void test_repair_codes(void **state)
{
	(void)state;
	/* region: 01..06 lost their zero; valid codes stay */
	assert_repair(IDEA_REGION, "1", "01");
	assert_repair(IDEA_REGION, "6", "06");
	assert_repair(IDEA_REGION, "84", NULL);
	assert_repair(IDEA_REGION, "5", NULL); /* 05 is no region */
	assert_repair(IDEA_REGION, "7", NULL);
	assert_repair(IDEA_REGION, "", NULL);
	assert_repair(IDEA_REGION, "x1", NULL);
	/* territory: département 01-09, commune 01001-09999 */
	assert_repair(IDEA_TERRITORY, "1", "01");
	assert_repair(IDEA_TERRITORY, "1053", "01053");
	assert_repair(IDEA_TERRITORY, "9999", "09999");
	assert_repair(IDEA_TERRITORY, "69123", NULL);
	assert_repair(IDEA_TERRITORY, "971", NULL); /* a valid département */
	assert_repair(IDEA_TERRITORY, "0", NULL);
	assert_repair(IDEA_TERRITORY, "123456", NULL);
	assert_repair(IDEA_TERRITORY, "01053, 1054", NULL); /* text: as given */
	/* SIRET: a leading zero lost, when the check digit then holds */
	assert_repair(IDEA_SIRET, "73282932000074", NULL); /* already valid */
	assert_repair(IDEA_SIRET, "1234567890123", NULL);  /* Luhn fails */
	{
		/* find a 13-digit number whose 0-padded form is a SIRET */
		char v[15] = "123456789012?", out[SHEET_CODE_MAX];
		int seen = 0;
		for (char last = '0'; last <= '9' && !seen; last++) {
			v[12] = last;
			if (sheet_repair_code(IDEA_SIRET, v, out)) {
				assert_int_equal(strlen(out), 14);
				assert_int_equal(out[0], '0');
				assert_string_equal(out + 1, v);
				seen = 1;
			}
		}
		assert_true(seen);
	}
	assert_repair(IDEA_TITLE, "1", NULL);
}

static void test_scientific(void **state)
{
	(void)state;
	assert_true(sheet_is_scientific("7,32829E+13"));
	assert_true(sheet_is_scientific("7.32829E13"));
	assert_true(sheet_is_scientific("7.32829e+013"));
	assert_true(sheet_is_scientific("1E5"));
	assert_false(sheet_is_scientific("73282932000074"));
	assert_false(sheet_is_scientific("E13"));
	assert_false(sheet_is_scientific("7,3E"));
	assert_false(sheet_is_scientific("7,3E+13 "));
	assert_false(sheet_is_scientific("Énergie"));
}

static void test_dates(void **state)
{
	char d[ISODATE_LEN];
	int64_t t;
	char iso[ISOTIME_LEN];

	(void)state;
	assert_int_equal(sheet_date_fr("15/12/2026", d), 0);
	assert_string_equal(d, "2026-12-15");
	assert_int_equal(sheet_date_fr("1/2/2026", d), 0);
	assert_string_equal(d, "2026-02-01");
	assert_int_equal(sheet_date_fr("29/02/2026", d), -1); /* no such day */
	assert_int_equal(sheet_date_fr("29/02/2028", d), 0);
	assert_int_equal(sheet_date_fr("12/15/2026", d), -1); /* not French */
	assert_int_equal(sheet_date_fr("15/12/26", d), -1);
	assert_int_equal(sheet_date_fr("15/12/2026 10:00", d), -1);
	assert_int_equal(sheet_date_fr("2026-12-15", d), -1);
	assert_int_equal(sheet_date_fr("15/12/1850", d), -1);

	/* local time of the person: Paris, winter (UTC+1) and summer (+2) */
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	assert_int_equal(sheet_time_fr("02/12/2026 15:40", &t), 0);
	isotime_format(t, iso);
	assert_string_equal(iso, "2026-12-02T14:40:00Z");
	assert_int_equal(sheet_time_fr("14/06/2026 11:20:05", &t), 0);
	isotime_format(t, iso);
	assert_string_equal(iso, "2026-06-14T09:20:05Z");
	assert_int_equal(sheet_time_fr("02/12/2026 24:00", &t), -1);
	assert_int_equal(sheet_time_fr("02/12/2026 15:4", &t), -1);
	assert_int_equal(sheet_time_fr("02/12/2026", &t), -1);

	/* serial days: 46371 is 2026-12-15; .5 is noon, local */
	assert_int_equal(sheet_serial_time(46371.0, 0, &t), 0);
	isotime_format(t, iso);
	assert_string_equal(iso, "2026-12-15T00:00:00Z");
	assert_int_equal(sheet_serial_time(46371.5, 1, &t), 0);
	isotime_format(t, iso);
	assert_string_equal(iso, "2026-12-15T11:00:00Z");
	assert_int_equal(sheet_serial_time(73415.0, 0, &t), 0); /* 2100-12-31 */
	assert_int_equal(sheet_serial_time(73416.0, 0, &t), -1);
	assert_int_equal(sheet_serial_time(60.0, 0, &t), -1); /* 29/02/1900 */
	assert_int_equal(sheet_serial_time(-1.0, 0, &t), -1);
	assert_int_equal(sheet_serial_time(1e300, 0, &t), -1);

	/* 02:30 on 2025-10-26 happened twice in Paris: 00:30Z and 01:30Z
	 * show the same local time; an hour apart elsewhere they do not */
	int64_t a, b;
	assert_int_equal(isotime_parse("2025-10-26T00:30:00Z", &a), 0);
	assert_int_equal(isotime_parse("2025-10-26T01:30:00Z", &b), 0);
	assert_int_equal(sheet_same_local_time(a, b), 1);
	assert_int_equal(sheet_same_local_time(a, a), 1);
	assert_int_equal(isotime_parse("2025-10-26T02:30:00Z", &b), 0);
	assert_int_equal(sheet_same_local_time(a, b), 0);
	assert_int_equal(isotime_parse("2025-03-30T00:30:00Z", &a), 0);
	assert_int_equal(isotime_parse("2025-03-30T01:30:00Z", &b), 0);
	assert_int_equal(sheet_same_local_time(a, b), 0);
	setenv("TZ", "UTC", 1);
	tzset();
}

static void assert_whole(const char *v, const char *want)
{
	char out[32] = "";
	int got = sheet_whole_number(v, out, sizeof(out));
	if (!want) {
		if (got)
			fail_msg("\"%s\" was read as %s", v, out);
		return;
	}
	if (!got)
		fail_msg("\"%s\" was not read (want %s)", v, want);
	assert_string_equal(out, want);
}

static void test_whole_numbers(void **state)
{
	(void)state;
	assert_whole("3,0", "3");
	assert_whole("3.00", "3");
	assert_whole("1 200", "1200");
	assert_whole("1\xC2\xA0"
		     "200",
		     "1200");
	assert_whole("12\xE2\x80\xAF"
		     "345\xE2\x80\xAF"
		     "678,0",
		     "12345678");
	assert_whole("3", NULL);   /* already plain: nothing to change */
	assert_whole("3,5", NULL); /* not whole: refused by the field */
	assert_whole("3,05", NULL);
	assert_whole("1 20", NULL);
	assert_whole("1 2000", NULL);
	assert_whole(" 3", NULL);
	assert_whole("-3,0", NULL);
	assert_whole("3,0 ", NULL);
	assert_whole("", NULL);
}

static void test_cp1252_lossy(void **state)
{
	(void)state;
	/* the emoji and the Greek letter are not in Windows-1252 */
	assert_true(
	    sheet_cp1252_lossy_equal("Jardin 🌱 partagé", "Jardin ? partagé"));
	assert_true(
	    sheet_cp1252_lossy_equal("Jardin 🌱 partagé", "Jardin ?? partagé"));
	assert_true(sheet_cp1252_lossy_equal("Δ énergie", "? énergie"));
	assert_true(sheet_cp1252_lossy_equal("🌱🌱?", "???"));   /* 1 + 1 + '?' */
	assert_true(sheet_cp1252_lossy_equal("🌱🌱?", "?????")); /* 2 + 2 + '?' */
	/* what Windows-1252 holds must be there as it was */
	assert_false(
	    sheet_cp1252_lossy_equal("Jardin 🌱 partagé", "Jardin ? partage"));
	assert_false(sheet_cp1252_lossy_equal("Œuvre €", "? ?"));
	/* no character was lost: an ordinary comparison's business */
	assert_false(sheet_cp1252_lossy_equal("Café", "Café"));
	assert_false(sheet_cp1252_lossy_equal("Café?", "Café?"));
	/* a real change stays a change */
	assert_false(sheet_cp1252_lossy_equal("Jardin 🌱", "Jardin ? bis"));
	assert_false(sheet_cp1252_lossy_equal("Jardin 🌱", "Jardin "));
	assert_false(sheet_cp1252_lossy_equal("Jardin 🌱", "Jardin ???"));
	assert_false(sheet_cp1252_lossy_equal("", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_repair_codes),
	    cmocka_unit_test(test_scientific),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_whole_numbers),
	    cmocka_unit_test(test_cp1252_lossy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
