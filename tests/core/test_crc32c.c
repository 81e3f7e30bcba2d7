/* test_crc32c.c - CRC-32C: the published check values, the same result from
 * the portable and the SSE 4.2 code at every length and alignment, chained
 * calls, and that any single bit flip changes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/crc32c.h"

static void test_empty_is_zero(void **state)
{
	(void)state;
	assert_int_equal(crc32c(0, "", 0), 0);
	assert_int_equal(crc32c(0, NULL, 0), 0);
}

/* RFC 3720 B.4 and the usual "123456789" check value, both codes. */
static void test_check_values(void **state)
{
	unsigned char zeros[32], ones[32], inc[32];
	(void)state;
	memset(zeros, 0, 32);
	memset(ones, 0xff, 32);
	for (int i = 0; i < 32; i++)
		inc[i] = (unsigned char)i;
	for (int portable = 0; portable < 2; portable++) {
		crc32c_use_portable(portable);
		assert_int_equal(crc32c(0, "123456789", 9), 0xE3069283u);
		assert_int_equal(crc32c(0, zeros, 32), 0x8A9136AAu);
		assert_int_equal(crc32c(0, ones, 32), 0x62A8AB43u);
		assert_int_equal(crc32c(0, inc, 32), 0x46DD794Eu);
	}
	crc32c_use_portable(0);
}

static void test_portable_equals_fast(void **state)
{
	unsigned char buf[1100];
	(void)state;
	srand(7);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rand();
	for (size_t off = 0; off < 9; off++)
		for (size_t n = 0; n + off <= sizeof(buf); n += 1 + n / 7) {
			crc32c_use_portable(1);
			uint32_t a = crc32c(0, buf + off, n);
			crc32c_use_portable(0);
			uint32_t b = crc32c(0, buf + off, n);
			assert_int_equal(a, b);
		}
}

static void test_chained_equals_whole(void **state)
{
	const char *s = "Épicerie solidaire itinérante en Haute-Loire";
	size_t n = strlen(s);
	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		uint32_t c = crc32c(0, s, cut);
		c = crc32c(c, s + cut, n - cut);
		assert_int_equal(c, crc32c(0, s, n));
	}
}

static void test_every_bit_flip_detected(void **state)
{
	unsigned char rec[300];
	(void)state;
	for (size_t i = 0; i < sizeof(rec); i++)
		rec[i] = (unsigned char)(i * 31 + 7);
	uint32_t good = crc32c(0, rec, sizeof(rec));
	for (size_t i = 0; i < sizeof(rec); i++)
		for (int b = 0; b < 8; b++) {
			rec[i] ^= (unsigned char)(1u << b);
			assert_int_not_equal(crc32c(0, rec, sizeof(rec)), good);
			rec[i] ^= (unsigned char)(1u << b);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_is_zero),
	    cmocka_unit_test(test_check_values),
	    cmocka_unit_test(test_portable_equals_fast),
	    cmocka_unit_test(test_chained_equals_whole),
	    cmocka_unit_test(test_every_bit_flip_detected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
