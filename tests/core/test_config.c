/* test_config.c - the settings' keys, defaults and value checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/config.h"

static void test_degenerate(void **state)
{
	struct fai_err err;

	(void)state;
	assert_null(config_default(NULL));
	assert_null(config_default(""));
	assert_null(config_key_name(config_key_count()));
	assert_int_equal(config_check(NULL, "1", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_CONFIG);
	assert_int_equal(config_check("", "1", NULL), -FAI_EINVAL);
	assert_int_equal(config_check("wip.need", NULL, &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_NUMBER);
	assert_int_equal(config_check("wip.need", "", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_NUMBER);
}

static void test_keys(void **state)
{
	static const char *const want[] = {
	    "wip.need",	   "wip.concept",   "wip.owner_search", "wip.launched",
	    "wip.on_hold", "wip.abandoned", "stale.days",
	};
	size_t i;

	(void)state;
	assert_int_equal(config_key_count(), 7);
	for (i = 0; i < 7; i++) {
		assert_string_equal(config_key_name(i), want[i]);
		assert_non_null(config_default(want[i]));
		assert_int_equal(
		    config_check(want[i], config_default(want[i]), NULL), 0);
	}
	assert_string_equal(config_default("wip.need"), "0");
	assert_string_equal(config_default("wip.abandoned"), "0");
	assert_string_equal(config_default("stale.days"), "30");
	assert_null(config_default("wip.nothing"));
	assert_null(config_default("WIP.NEED"));
}

static void test_check(void **state)
{
	struct fai_err err;

	(void)state;
	assert_int_equal(config_check("wip.need", "0", NULL), 0);
	assert_int_equal(config_check("wip.concept", "12", NULL), 0);
	assert_int_equal(config_check("wip.launched", "999999999", NULL), 0);
	assert_int_equal(config_check("stale.days", "1", NULL), 0);
	assert_int_equal(config_check("stale.days", "365", NULL), 0);

	assert_int_equal(config_check("stale.days", "0", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_NUMBER);
	assert_string_equal(err.field, "stale.days");
	assert_string_equal(err.value, "0");
	assert_int_equal(config_check("wip.need", "-1", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_NUMBER);
	assert_int_equal(config_check("wip.need", "1.5", &err), -FAI_EINVAL);
	assert_int_equal(config_check("wip.need", "ten", &err), -FAI_EINVAL);
	assert_int_equal(config_check("wip.need", " 3", &err), -FAI_EINVAL);
	assert_int_equal(config_check("wip.need", "3 ", &err), -FAI_EINVAL);
	assert_int_equal(config_check("wip.need", "+3", &err), -FAI_EINVAL);
	assert_int_equal(config_check("wip.need", "1234567890", &err),
			 -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_NUMBER);

	assert_int_equal(config_check("wip.foo", "1", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_CONFIG);
	assert_string_equal(err.field, "wip.foo");
	assert_int_equal(config_check("stale", "1", &err), -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_CONFIG);
}

/* The settings every surface reads: defaults, valid values taken,
 * damaged or unknown ones ignored. */
static void test_settings(void **state)
{
	struct fai_settings set;
	int st;

	(void)state;
	settings_default(&set);
	assert_int_equal(set.stale_days, 30);
	for (st = 0; st < STAGE_COUNT; st++)
		assert_int_equal(set.wip[st], 0);

	settings_take(&set, "stale.days", "14");
	settings_take(&set, "wip.owner_search", "12");
	assert_int_equal(set.stale_days, 14);
	assert_int_equal(set.wip[STAGE_OWNER_SEARCH], 12);
	assert_int_equal(set.wip[STAGE_CONCEPT], 0);

	/* a damaged stored value keeps what was there */
	settings_take(&set, "stale.days", "0");
	settings_take(&set, "stale.days", "9x");
	settings_take(&set, "wip.concept", "-4");
	settings_take(&set, "wip.concept", NULL);
	assert_int_equal(set.stale_days, 14);
	assert_int_equal(set.wip[STAGE_CONCEPT], 0);

	/* keys are exact: no case or '-' folding, no unknown stage */
	settings_take(&set, "wip.CONCEPT", "5");
	settings_take(&set, "wip.owner-search", "5");
	settings_take(&set, "wip.", "5");
	settings_take(&set, "wipx", "5");
	assert_int_equal(set.wip[STAGE_CONCEPT], 0);
	assert_int_equal(set.wip[STAGE_OWNER_SEARCH], 12);
	settings_take(&set, "wip.abandoned", "999999999");
	assert_int_equal(set.wip[STAGE_ABANDONED], 999999999);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_degenerate),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
