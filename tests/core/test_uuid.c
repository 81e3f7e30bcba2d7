/* test_uuid.c - version 4 UUIDs: generation bits, text form, parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/err.h"
#include "../../core/uuid.h"

static void test_parse_degenerate(void **state)
{
	unsigned char u[UUID_LEN];

	(void)state;
	memset(u, 0xAA, sizeof(u));
	assert_int_equal(uuid_parse(NULL, u), -FAI_EINVAL);
	assert_int_equal(uuid_parse("", u), -FAI_EINVAL);
	assert_int_equal(uuid_parse("0", u), -FAI_EINVAL);
	assert_int_equal(uuid_parse("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f", u),
			 -FAI_EINVAL);
	assert_int_equal(uuid_parse("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9a", u),
			 -FAI_EINVAL);
	assert_int_equal(uuid_parse("0f1e2d3c4b5a-4978-8695-a4b3c2d1e0f9a", u),
			 -FAI_EINVAL);
	assert_int_equal(uuid_parse("0f1e2d3c-4b5a-4978-8695_a4b3c2d1e0f9", u),
			 -FAI_EINVAL);
	assert_int_equal(uuid_parse("0g1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", u),
			 -FAI_EINVAL);
	assert_int_equal(uuid_parse("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f ", u),
			 -FAI_EINVAL);
	assert_int_equal(uuid_parse("{0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f}", u),
			 -FAI_EINVAL);
	/* Nothing written on failure. */
	for (int i = 0; i < UUID_LEN; i++)
		assert_int_equal(u[i], 0xAA);
}

static void test_parse_format(void **state)
{
	static const unsigned char want[UUID_LEN] = {
	    0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x49, 0x78,
	    0x86, 0x95, 0xa4, 0xb3, 0xc2, 0xd1, 0xe0, 0xf9,
	};
	unsigned char u[UUID_LEN];
	char s[UUID_STR_LEN];

	(void)state;
	assert_int_equal(uuid_parse("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", u),
			 0);
	assert_memory_equal(u, want, UUID_LEN);
	memset(u, 0, sizeof(u));
	assert_int_equal(uuid_parse("0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9", u),
			 0);
	assert_memory_equal(u, want, UUID_LEN);
	uuid_format(u, s);
	assert_string_equal(s, "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
	memset(u, 0, sizeof(u));
	uuid_format(u, s);
	assert_string_equal(s, "00000000-0000-0000-0000-000000000000");
	memset(u, 0xFF, sizeof(u));
	uuid_format(u, s);
	assert_string_equal(s, "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

static void test_generate(void **state)
{
	unsigned char a[UUID_LEN], b[UUID_LEN], back[UUID_LEN];
	char s[UUID_STR_LEN];
	int i;

	(void)state;
	for (i = 0; i < 200; i++) {
		uuid_generate(a);
		assert_int_equal(a[6] >> 4, 4);
		assert_int_equal(a[8] & 0xC0, 0x80);
		uuid_format(a, s);
		assert_int_equal(strlen(s), 36);
		assert_int_equal(s[14], '4');
		assert_true(strchr("89ab", s[19]) != NULL);
		assert_int_equal(uuid_parse(s, back), 0);
		assert_memory_equal(a, back, UUID_LEN);
	}
	uuid_generate(b);
	assert_memory_not_equal(a, b, UUID_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_degenerate),
	    cmocka_unit_test(test_parse_format),
	    cmocka_unit_test(test_generate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
