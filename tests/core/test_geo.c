/* test_geo.c - the INSEE geography compiled in: régions, départements and
 * communes by code, the département of a commune, and the lookup by name
 * with case, accents and separators ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../../core/geo.h"

static void test_degenerate(void **state)
{
	const char *codes[2];

	(void)state;
	assert_null(geo_region_name(NULL));
	assert_null(geo_region_name(""));
	assert_null(geo_territory_name(NULL));
	assert_null(geo_territory_name(""));
	assert_int_equal(geo_territory_known(NULL), 0);
	assert_int_equal(geo_territory_known(""), 0);
	assert_null(geo_departement_of(NULL));
	assert_null(geo_departement_of(""));
	assert_int_equal(geo_territory_find(NULL, codes, 2), 0);
	assert_int_equal(geo_territory_find("", codes, 2), 0);
	assert_int_equal(geo_territory_find("   ", codes, 2), 0);
	/* Too long, too short, and a code with something after it. */
	assert_null(geo_territory_name("631130"));
	assert_null(geo_territory_name("6"));
	assert_null(geo_territory_name("63113 "));
	assert_null(geo_territory_name(" 63"));
	geo_free(); /* nothing built yet: a no-op */
}

static void test_regions(void **state)
{
	(void)state;
	assert_string_equal(geo_region_name("84"), "Auvergne-Rhône-Alpes");
	assert_string_equal(geo_region_name("01"), "Guadeloupe");
	assert_string_equal(geo_region_name("94"), "Corse");
	assert_string_equal(geo_region_name("11"), "Île-de-France");
	assert_string_equal(geo_region_name("06"), "Mayotte");
	assert_null(geo_region_name("99"));
	assert_null(geo_region_name("00"));
	assert_null(geo_region_name("8"));
	assert_null(geo_region_name("840"));
	/* A département's code is not a région's. */
	assert_null(geo_region_name("63"));
}

static void test_departements(void **state)
{
	(void)state;
	assert_string_equal(geo_territory_name("63"), "Puy-de-Dôme");
	assert_string_equal(geo_territory_name("01"), "Ain");
	assert_string_equal(geo_territory_name("2A"), "Corse-du-Sud");
	assert_string_equal(geo_territory_name("2B"), "Haute-Corse");
	assert_string_equal(geo_territory_name("971"), "Guadeloupe");
	assert_string_equal(geo_territory_name("976"), "Mayotte");
	assert_string_equal(geo_territory_name("75"), "Paris");
	assert_int_equal(geo_territory_known("2A"), 1);
	assert_int_equal(geo_territory_known("95"), 1);
	/* Unknown: no such code, no Corsican "20" since 1976, case kept. */
	assert_null(geo_territory_name("99"));
	assert_null(geo_territory_name("2C"));
	assert_null(geo_territory_name("20"));
	assert_null(geo_territory_name("2a"));
	assert_null(geo_territory_name("00"));
	assert_null(geo_territory_name("970"));
	assert_int_equal(geo_territory_known("99"), 0);
	assert_int_equal(geo_territory_known("2C"), 0);
}

static void test_communes(void **state)
{
	(void)state;
	assert_string_equal(geo_territory_name("63113"), "Clermont-Ferrand");
	assert_string_equal(geo_territory_name("75056"), "Paris");
	assert_string_equal(geo_territory_name("75101"),
			    "Paris 1er Arrondissement");
	assert_string_equal(geo_territory_name("69381"),
			    "Lyon 1er Arrondissement");
	assert_string_equal(geo_territory_name("13201"),
			    "Marseille 1er Arrondissement");
	assert_string_equal(geo_territory_name("2A004"), "Ajaccio");
	assert_string_equal(geo_territory_name("97611"), "Mamoudzou");
	assert_string_equal(geo_territory_name("97101"), "Les Abymes");
	assert_string_equal(geo_territory_name("01001"),
			    "L'Abergement-Clémenciat");
	assert_string_equal(geo_territory_name("93066"), "Saint-Denis");
	assert_string_equal(geo_territory_name("97411"), "Saint-Denis");
	assert_int_equal(geo_territory_known("63113"), 1);
	/* Unknown: no commune 000 anywhere, no département 00, 20 or 2C, a
	 * letter where a digit is due, case kept. */
	assert_null(geo_territory_name("00000"));
	assert_null(geo_territory_name("63000"));
	assert_null(geo_territory_name("20004"));
	assert_null(geo_territory_name("2C004"));
	assert_null(geo_territory_name("2a004"));
	assert_null(geo_territory_name("6311A"));
	assert_null(geo_territory_name("97000"));
	assert_null(geo_territory_name("99999"));
	assert_int_equal(geo_territory_known("00000"), 0);
}

static void test_departement_of(void **state)
{
	(void)state;
	assert_string_equal(geo_departement_of("63113"), "63");
	assert_string_equal(geo_departement_of("2A004"), "2A");
	assert_string_equal(geo_departement_of("75101"), "75");
	assert_string_equal(geo_departement_of("97611"), "976");
	assert_string_equal(geo_departement_of("97411"), "974");
	assert_string_equal(geo_departement_of("01001"), "01");
	assert_null(geo_departement_of("00000"));
	assert_null(geo_departement_of("63")); /* a département, no commune */
	assert_null(geo_departement_of("2C004"));
}

/* Checks that geo_territory_find(name) gives exactly the n codes in want. */
static void find_is(const char *name, size_t n, const char *const *want)
{
	const char *codes[16];
	size_t i, got = geo_territory_find(name, codes, 16);

	assert_int_equal(got, n);
	for (i = 0; i < n; i++)
		assert_string_equal(codes[i], want[i]);
}

static void test_find(void **state)
{
	static const char *const clermont[] = {"63113"};
	static const char *const corse[] = {"2A"};
	static const char *const paris[] = {"75", "75056"};
	static const char *const reunion[] = {"974", "47222"};
	static const char *const abergement[] = {"01001"};
	static const char *const oeuf[] = {"62633"};

	(void)state;
	find_is("Clermont-Ferrand", 1, clermont);
	find_is("clermont ferrand", 1, clermont);
	find_is("CLERMONT-FERRAND", 1, clermont);
	find_is("Clermont Ferrand", 1, clermont);
	find_is("Corse-du-Sud", 1, corse);
	find_is("corse du sud", 1, corse);
	/* Départements first, then communes. */
	find_is("Paris", 2, paris);
	find_is("La Réunion", 2, reunion);
	find_is("la reunion", 2, reunion);
	find_is("LA RÉUNION", 2, reunion);
	/* Apostrophes, typographic or not, and accents. */
	find_is("L'Abergement-Clémenciat", 1, abergement);
	find_is("L’Abergement-Clémenciat", 1, abergement);
	find_is("l abergement clemenciat", 1, abergement);
	find_is("Œuf-en-Ternois", 1, oeuf);
	find_is("oeuf en ternois", 1, oeuf);
	/* Runs of separators count as one, none at either end. */
	find_is("  Clermont -- Ferrand ", 1, clermont);
	find_is("Clermont’-Ferrand", 1, clermont);
	find_is("-Corse  du-Sud'", 1, corse);
	/* No near matches: a name is matched whole. */
	find_is("ClermontFerrand", 0, NULL);
	find_is("Clermont-Fer", 0, NULL);
	find_is("Clermont-Ferran", 0, NULL);
	find_is("Clermont-Ferrandd", 0, NULL);
	find_is("Atlantis", 0, NULL);
	find_is("63113", 0, NULL);
}

static void test_find_many(void **state)
{
	const char *codes[2];
	const char *all[8];
	size_t n;

	(void)state;
	/* Four Saint-Denis (Aude, Gard, Seine-Saint-Denis, La Réunion), in
	 * code order; max smaller than the count. */
	n = geo_territory_find("Saint-Denis", codes, 2);
	assert_int_equal(n, 4);
	assert_string_equal(codes[0], "11339");
	assert_string_equal(codes[1], "30247");
	n = geo_territory_find("saint denis", all, 8);
	assert_int_equal(n, 4);
	assert_string_equal(all[0], "11339");
	assert_string_equal(all[1], "30247");
	assert_string_equal(all[2], "93066");
	assert_string_equal(all[3], "97411");
	/* Counting only. */
	assert_int_equal(geo_territory_find("Sainte-Marie", NULL, 0), 9);
	/* The codes found name what was looked for. */
	assert_string_equal(geo_territory_name(all[3]), "Saint-Denis");
	assert_string_equal(geo_departement_of(all[2]), "93");
}

/* The index is built on the first lookup by name; after geo_free it is
 * built again.  Prints what the build costs. */
static void test_index_cost(void **state)
{
	const char *codes[1];
	struct timespec t0, t1;
	double ms;

	(void)state;
	geo_free();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(geo_territory_find("Clermont-Ferrand", codes, 1), 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("geo name index built in %.1f ms\n", ms);
	assert_string_equal(codes[0], "63113");
	geo_free();
	geo_free();
}

static int teardown(void **state)
{
	(void)state;
	geo_free();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_degenerate),
	    cmocka_unit_test(test_regions),
	    cmocka_unit_test(test_departements),
	    cmocka_unit_test(test_communes),
	    cmocka_unit_test(test_departement_of),
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_find_many),
	    cmocka_unit_test(test_index_cost),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
