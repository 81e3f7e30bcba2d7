/* test_validate.c - INSEE regions, départements and communes, SIRET (Luhn
 * and La Poste), references. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/validate.h"

static void test_degenerate(void **state)
{
	struct fai_err err;
	char big[5000];

	(void)state;
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(validate_region(NULL, NULL), -FAI_EINVAL);
	assert_int_equal(validate_region("", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_REGION);
	assert_null(validate_region_name(NULL));
	assert_null(validate_region_name(""));
	assert_int_equal(validate_territory(NULL, &err), -FAI_EINVAL);
	assert_int_equal(validate_territory("", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_TERRITORY);
	assert_int_equal(validate_territory(" ,; ", &err), -FAI_EINVAL);
	assert_int_equal(validate_territory(big, &err), -FAI_EINVAL);
	assert_int_equal(validate_siret(NULL, &err), -FAI_EINVAL);
	assert_int_equal(validate_siret("", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_SIRET_FORMAT);
	assert_int_equal(validate_siret(big, &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_SIRET_FORMAT);
	assert_int_equal(validate_ref(NULL, &err), -FAI_EINVAL);
	assert_int_equal(validate_ref("", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_REF);
	assert_int_equal(validate_ref("\xC3\x28-0001", &err), -FAI_EINVAL);
}

static void test_regions(void **state)
{
	static const struct {
		const char *code, *name;
	} all[] = {
	    {"01", "Guadeloupe"},
	    {"02", "Martinique"},
	    {"03", "Guyane"},
	    {"04", "La Réunion"},
	    {"06", "Mayotte"},
	    {"11", "Île-de-France"},
	    {"24", "Centre-Val de Loire"},
	    {"27", "Bourgogne-Franche-Comté"},
	    {"28", "Normandie"},
	    {"32", "Hauts-de-France"},
	    {"44", "Grand Est"},
	    {"52", "Pays de la Loire"},
	    {"53", "Bretagne"},
	    {"75", "Nouvelle-Aquitaine"},
	    {"76", "Occitanie"},
	    {"84", "Auvergne-Rhône-Alpes"},
	    {"93", "Provence-Alpes-Côte d'Azur"},
	    {"94", "Corse"},
	};
	static const char *const bad[] = {
	    "00", "05",	 "07",	"10", "12",  "20",  "21", "2A", "31",
	    "42", "54",	 "72",	"73", "74",  "82",  "83", "91", "95",
	    "99", "84 ", " 84", "8",  "084", "84x", "1",
	};
	struct fai_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		assert_int_equal(validate_region(all[i].code, NULL), 0);
		assert_string_equal(validate_region_name(all[i].code),
				    all[i].name);
	}
	/* validate_region_at walks the same table, in code order, and
	 * stops after the 18th (the board's region picker lists them). */
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *name = NULL;
		assert_string_equal(validate_region_at(i, &name), all[i].code);
		assert_string_equal(name, all[i].name);
		assert_string_equal(validate_region_at(i, NULL), all[i].code);
	}
	assert_null(validate_region_at(i, NULL));
	assert_null(validate_region_at((size_t)-1, NULL));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fai_err_clear(&err);
		assert_int_equal(validate_region(bad[i], &err), -FAI_EINVAL);
		assert_int_equal(err.code, FAI_EINVAL);
		assert_int_equal(err.why, FAI_WHY_REGION);
		assert_string_equal(err.field, "region");
		assert_string_equal(err.value, bad[i]);
		assert_null(validate_region_name(bad[i]));
	}
}

static void test_territory_good(void **state)
{
	static const char *const good[] = {
	    "01",    "09",	  "19",	       "21",	  "69",	       "75",
	    "95",    "2A",	  "2B",	       "2a",	  "971",       "972",
	    "973",   "974",	  "975",       "976",	  "69123",     "75056",
	    "01001", "95690",	  "2A004",     "2B033",	  "97411",     "97101",
	    "97608", "69123, 2A", "69; 38;01", "971 972", " 75 , 92 ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (validate_territory(good[i], NULL) != 0)
			fail_msg("refused %s", good[i]);
	}
}

static void test_territory_bad(void **state)
{
	static const char *const bad[] = {
	    "00",    "20",    "96",    "99",	"2C",	 "2",	   "0",
	    "970",   "977",   "978",   "979",	"971A",	 "9711",   "20123",
	    "00123", "96001", "97712", "97012", "6912A", "691234", "2A04",
	    "2C004", "abc",   "6 9",   "é",
	};
	struct fai_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fai_err_clear(&err);
		if (validate_territory(bad[i], &err) != -FAI_EINVAL)
			fail_msg("accepted %s", bad[i]);
		assert_int_equal(err.why, FAI_WHY_TERRITORY);
		assert_string_equal(err.field, "territory");
	}
	/* The value names the code at fault, not the whole list. */
	assert_int_equal(validate_territory("69123, 20, 2A", &err),
			 -FAI_EINVAL);
	assert_string_equal(err.value, "20");
	assert_int_equal(validate_territory("971;977", &err), -FAI_EINVAL);
	assert_string_equal(err.value, "977");
}

static void test_siret(void **state)
{
	static const char *const good[] = {
	    "73282932000074", /* Luhn */
	    "44306184100047", "55208131766522",
	    "35600000000048", /* La Poste, Luhn-valid too */
	    "35600000049837", /* La Poste: digit sum 45, not Luhn */
	    "35600000049832", /* La Poste: digit sum 40, not Luhn */
	};
	static const char *const bad_check[] = {
	    "73282932000075",
	    "73282932000072", /* digit sum 45 but not La Poste */
	    "35600000049838", /* La Poste, sum 46, not Luhn */
	    "35600000000049",
	    "35600000149836", /* SIREN 356000001, sum 45: no exception */
	    "12345678901234",
	};
	static const char *const bad_format[] = {
	    "7328293200007",	 "732829320000740", "73282932000O74",
	    "732 829 320 00074", "7328293200007 ",  "-3282932000074",
	    "73282932000074\n",	 "７3282932000074",
	};
	struct fai_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (validate_siret(good[i], &err) != 0)
			fail_msg("refused %s", good[i]);
	for (i = 0; i < sizeof(bad_check) / sizeof(bad_check[0]); i++) {
		fai_err_clear(&err);
		if (validate_siret(bad_check[i], &err) != -FAI_EINVAL)
			fail_msg("accepted %s", bad_check[i]);
		assert_int_equal(err.why, FAI_WHY_SIRET_CHECK);
		assert_string_equal(err.field, "siret");
		assert_string_equal(err.value, bad_check[i]);
	}
	for (i = 0; i < sizeof(bad_format) / sizeof(bad_format[0]); i++) {
		fai_err_clear(&err);
		if (validate_siret(bad_format[i], &err) != -FAI_EINVAL)
			fail_msg("accepted %s", bad_format[i]);
		assert_int_equal(err.why, FAI_WHY_SIRET_FORMAT);
	}
}

/* 00000000000000 passes Luhn, and so do a SIREN of zeros with some NICs and
 * real SIRENs with the NIC 00000: none is a real establishment. */
static void test_siret_zero_siren_or_nic_refused(void **state)
{
	static const char *const zero[] = {
	    "00000000000000", /* both */
	    "00000000000018", /* SIREN 000000000, Luhn-valid */
	    "00000000000026",
	    "73282930500000", /* NIC 00000, Luhn-valid */
	    "73282932900000",
	    "35600000000000", /* La Poste's SIREN, NIC 00000 */
	};
	struct fai_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		fai_err_clear(&err);
		if (validate_siret(zero[i], &err) != -FAI_EINVAL)
			fail_msg("accepted %s", zero[i]);
		assert_int_equal(err.why, FAI_WHY_SIRET_ZERO);
		assert_string_equal(err.field, "siret");
		assert_string_equal(err.value, zero[i]);
	}
	/* Zeros inside either part are fine. */
	assert_int_equal(validate_siret("35600000000048", NULL), 0);
	assert_int_equal(validate_siret("10000000000008", NULL), 0);
}

/* --stale 99999999999999999999 was accepted (strtol saturates): the one
 * number parser of the command line refuses digits beyond the bound,
 * however many, and anything but digits. */
static void test_number_overflow_and_range_refused(void **state)
{
	static const char *const not_number[] = {
	    "",	   "-1",   "+1",  " 1", "1 ",	"1.5",
	    "1e3", "0x10", "dix", "１", "12\n", "99999999999999999999x",
	};
	struct fai_err err;
	uint64_t v = 77;
	size_t i;

	(void)state;
	assert_int_equal(validate_number("0", 0, 10, &v, NULL), 0);
	assert_true(v == 0);
	assert_int_equal(validate_number("0007", 0, 10, &v, NULL), 0);
	assert_true(v == 7);
	assert_int_equal(validate_number("999999999", 0, 999999999, &v, NULL),
			 0);
	assert_true(v == 999999999);
	assert_int_equal(
	    validate_number("18446744073709551615", 1, UINT64_MAX, &v, NULL),
	    0);
	assert_true(v == UINT64_MAX);

	v = 77;
	assert_int_equal(validate_number(NULL, 0, 10, &v, &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_NUMBER);
	for (i = 0; i < sizeof(not_number) / sizeof(not_number[0]); i++) {
		fai_err_clear(&err);
		if (validate_number(not_number[i], 0, UINT64_MAX, &v, &err) !=
		    -FAI_EINVAL)
			fail_msg("accepted \"%s\"", not_number[i]);
		assert_int_equal(err.why, FAI_WHY_NUMBER);
		assert_string_equal(err.value, not_number[i]);
	}
	/* Overflow: 2^64, 20 nines, and a thousand digits. */
	{
		static const char *const huge[] = {
		    "18446744073709551616",
		    "99999999999999999999",
		    "0000000000000000000000000000000000000000184467440737095516"
		    "16",
		};
		char big[1001];

		for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
			fai_err_clear(&err);
			assert_int_equal(
			    validate_number(huge[i], 0, UINT64_MAX, &v, &err),
			    -FAI_EINVAL);
			assert_int_equal(err.why, FAI_WHY_NUMBER_RANGE);
			assert_true(err.limit == UINT64_MAX);
		}
		memset(big, '9', 1000);
		big[1000] = '\0';
		assert_int_equal(validate_number(big, 0, UINT64_MAX, &v, &err),
				 -FAI_EINVAL);
		assert_int_equal(err.why, FAI_WHY_NUMBER_RANGE);
	}
	/* The bounds themselves. */
	assert_int_equal(validate_number("1000000000", 0, 999999999, &v, &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_NUMBER_RANGE);
	assert_true(err.limit == 999999999);
	assert_string_equal(err.detail, "");
	assert_string_equal(err.value, "1000000000");
	assert_int_equal(validate_number("0", 1, 10, &v, &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_NUMBER_SMALL);
	assert_true(err.limit == 1);
	assert_string_equal(err.detail, "");
	assert_true(v == 77); /* untouched by every refusal */
	/* Zeros in front do not make a number large. */
	assert_int_equal(validate_number("00000000000000000000000000000012", 0,
					 99, &v, NULL),
			 0);
	assert_true(v == 12);
}

static void test_ref(void **state)
{
	static const char *const good[] = {
	    "84-0042",	"84-0000", "01-9999",
	    "94-12345", "11-0001", "93-123456789",
	};
	static const char *const bad[] = {
	    "84-042",	"84-",	   "84",       "84_0042",  "840042",
	    "99-0042",	"2A-0001", "84-0042x", " 84-0042", "84-0042 ",
	    "84--0042", "84-00a2", "8-00042",  "084-0042", "84-1234567890",
	};
	struct fai_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (validate_ref(good[i], NULL) != 0)
			fail_msg("refused %s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fai_err_clear(&err);
		if (validate_ref(bad[i], &err) != -FAI_EINVAL)
			fail_msg("accepted %s", bad[i]);
		assert_int_equal(err.why, FAI_WHY_REF);
		assert_string_equal(err.field, "ref");
	}
}

static void test_ref_format(void **state)
{
	char out[24];

	(void)state;
	validate_ref_format(out, sizeof(out), "84", 42);
	assert_string_equal(out, "84-0042");
	assert_int_equal(validate_ref(out, NULL), 0);
	validate_ref_format(out, sizeof(out), "11", 0);
	assert_string_equal(out, "11-0000");
	validate_ref_format(out, sizeof(out), "93", 9999);
	assert_string_equal(out, "93-9999");
	validate_ref_format(out, sizeof(out), "93", 12345);
	assert_string_equal(out, "93-12345");
	assert_int_equal(validate_ref(out, NULL), 0);
	/* A small buffer is never overrun. */
	validate_ref_format(out, 5, "84", 42);
	assert_string_equal(out, "84-0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_degenerate),
	    cmocka_unit_test(test_regions),
	    cmocka_unit_test(test_territory_good),
	    cmocka_unit_test(test_territory_bad),
	    cmocka_unit_test(test_siret),
	    cmocka_unit_test(test_siret_zero_siren_or_nic_refused),
	    cmocka_unit_test(test_number_overflow_and_range_refused),
	    cmocka_unit_test(test_ref),
	    cmocka_unit_test(test_ref_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
