/* test_sha256.c - SHA-256 against the FIPS 180-4 / NIST example vectors and
 * against itself fed in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../core/sha256.h"

static void hex_of(const void *p, size_t n, char out[SHA256_HEX_LEN])
{
	struct sha256 c;
	unsigned char d[SHA256_LEN];
	sha256_init(&c);
	sha256_update(&c, p, n);
	sha256_final(&c, d);
	sha256_hex(d, out);
}

static void test_empty(void **state)
{
	char h[SHA256_HEX_LEN];
	(void)state;
	hex_of("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	char h[SHA256_HEX_LEN];
	(void)state;
	hex_of("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two, strlen(two), h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a_in_pieces(void **state)
{
	struct sha256 c;
	unsigned char d[SHA256_LEN];
	char h[SHA256_HEX_LEN], chunk[997];
	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&c);
	size_t left = 1000000;
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		sha256_update(&c, chunk, n);
		left -= n;
	}
	sha256_final(&c, d);
	sha256_hex(d, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_million_a_in_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
