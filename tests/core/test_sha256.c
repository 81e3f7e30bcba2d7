/* test_sha256.c - SHA-256 against the FIPS 180-4 / NIST example vectors and
 * against itself fed in pieces, through the portable code and through the
 * code the CPU selects (SHA-NI), which must agree to the bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
	assert_string_equal(
	    h,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	char h[SHA256_HEX_LEN];
	(void)state;
	hex_of("abc", 3, h);
	assert_string_equal(
	    h,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two, strlen(two), h);
	assert_string_equal(
	    h,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
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
	assert_string_equal(
	    h,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The tests below run both block functions: the portable C one and the one
 * the CPU selects (SHA-NI on x86-64 CPUs with the SHA extensions). */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fill_random(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(next_random() >> 32);
}

/* The digest of p[0..n), fed in chunks of random sizes from 1 to max_chunk
 * (in one call when max_chunk is 0), with the portable code or not. */
static void digest(int portable, const void *p, size_t n, size_t max_chunk,
		   unsigned char out[SHA256_LEN])
{
	const unsigned char *b = p;
	struct sha256 c;
	sha256_use_portable(portable);
	sha256_init(&c);
	if (!max_chunk) {
		sha256_update(&c, p, n);
	} else {
		while (n > 0) {
			size_t k = (size_t)(next_random() % max_chunk) + 1;
			if (k > n)
				k = n;
			sha256_update(&c, b, k);
			b += k;
			n -= k;
		}
	}
	sha256_final(&c, out);
}

static void assert_both_paths(const void *p, size_t n, size_t max_chunk,
			      const char *want)
{
	unsigned char d[SHA256_LEN];
	char h[SHA256_HEX_LEN];
	for (int portable = 1; portable >= 0; portable--) {
		digest(portable, p, n, max_chunk, d);
		sha256_hex(d, h);
		if (strcmp(h, want) != 0)
			print_error("%s path, %zu bytes in chunks up to %zu\n",
				    sha256_impl(), n, max_chunk);
		assert_string_equal(h, want);
	}
}

/* Says once which paths these tests compare; a CPU without the SHA
 * extensions checks the portable path only, and says so. */
static int paths_setup(void **state)
{
	(void)state;
	sha256_use_portable(0);
	if (strcmp(sha256_impl(), "portable") == 0)
		print_message(
		    "sha256: this CPU has no SHA extensions: only the "
		    "portable path is checked\n");
	else
		print_message("sha256: checking the portable path and %s\n",
			      sha256_impl());
	return 0;
}

static int paths_teardown(void **state)
{
	(void)state;
	sha256_use_portable(0);
	return 0;
}

/* The fast path is the one in use wherever the CPU has it: a CPU that
 * lists sha_ni in /proc/cpuinfo must not be left on the portable code. */
static void test_cpu_uses_sha_ni(void **state)
{
	(void)state;
#if defined(__x86_64__)
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	int sha_ni = 0;
	if (!f) {
		print_message("sha256: no /proc/cpuinfo, path not checked\n");
		return;
	}
	while (!sha_ni && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5) == 0 &&
		    (strstr(line, " sha_ni ") || strstr(line, " sha_ni\n")))
			sha_ni = 1;
	}
	fclose(f);
	sha256_use_portable(0);
	assert_string_equal(sha256_impl(), sha_ni ? "sha-ni" : "portable");
	sha256_use_portable(1);
	assert_string_equal(sha256_impl(), "portable");
#else
	sha256_use_portable(0);
	assert_string_equal(sha256_impl(), "portable");
#endif
}

static void test_null_empty_both(void **state)
{
	struct sha256 c;
	unsigned char d[SHA256_LEN];
	char h[SHA256_HEX_LEN];
	(void)state;
	for (int portable = 1; portable >= 0; portable--) {
		sha256_use_portable(portable);
		sha256_init(&c);
		sha256_update(&c, NULL, 0);
		sha256_final(&c, d);
		sha256_hex(d, h);
		assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e"
				       "4649b934ca495991b7852b855");
	}
}

static void test_fips_both(void **state)
{
	static const char *two =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char *four =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoij"
	    "klmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	(void)state;
	assert_both_paths(
	    "", 0, 0,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_both_paths(
	    "abc", 3, 0,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_both_paths(
	    "abc", 3, 1,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	for (size_t chunk = 0; chunk <= 64; chunk += 7) {
		assert_both_paths(two, strlen(two), chunk,
				  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff"
				  "2167f6ecedd419db06c1");
		assert_both_paths(four, strlen(four), chunk,
				  "cf5b16a778af8380036ce59e7b0492370b249b11e8f0"
				  "7a51afac45037afee9d1");
	}
}

static void test_million_a_both(void **state)
{
	static const size_t chunks[] = {0, 1, 63, 64, 65, 997, 4096, 100000};
	size_t n = 1000000;
	char *a = malloc(n);
	(void)state;
	assert_non_null(a);
	memset(a, 'a', n);
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++)
		assert_both_paths(a, n, chunks[i],
				  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497"
				  "200e046d39ccc7112cd0");
	free(a);
}

/* Every length from 0 to 1000, at every alignment modulo 16, whole and in
 * random pieces: both paths give the same digest. */
static void test_random_lengths_agree(void **state)
{
	unsigned char buf[1000 + 16], want[SHA256_LEN], got[SHA256_LEN];
	(void)state;
	fill_random(buf, sizeof(buf));
	for (size_t n = 0; n <= 1000; n++) {
		size_t off = n % 16;
		digest(1, buf + off, n, 0, want);
		digest(0, buf + off, n, 0, got);
		assert_memory_equal(want, got, SHA256_LEN);
		digest(0, buf + off, n, 1 + n % 150, got);
		assert_memory_equal(want, got, SHA256_LEN);
		digest(1, buf + off, n, 1 + n % 97, got);
		assert_memory_equal(want, got, SHA256_LEN);
	}
}

/* Buffers of a few megabytes, odd sizes, fed in one call and in random
 * chunks (small ones, then up to a few hundred kilobytes): both paths give
 * the same digest. */
static void test_megabytes_agree(void **state)
{
	static const size_t sizes[] = {(1u << 20) + 13, (3u << 20) + 1,
				       (8u << 20) - 7};
	static const size_t chunks[] = {0, 200, 4095, 300000};
	unsigned char want[SHA256_LEN], got[SHA256_LEN];
	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *buf = malloc(sizes[i]);
		assert_non_null(buf);
		fill_random(buf, sizes[i]);
		digest(1, buf, sizes[i], 0, want);
		for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]);
		     k++) {
			digest(0, buf, sizes[i], chunks[k], got);
			assert_memory_equal(want, got, SHA256_LEN);
		}
		digest(1, buf, sizes[i], 300000, got);
		assert_memory_equal(want, got, SHA256_LEN);
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_abc),
	    cmocka_unit_test(test_million_a_in_pieces),
	    cmocka_unit_test(test_cpu_uses_sha_ni),
	    cmocka_unit_test(test_null_empty_both),
	    cmocka_unit_test(test_fips_both),
	    cmocka_unit_test(test_million_a_both),
	    cmocka_unit_test(test_random_lengths_agree),
	    cmocka_unit_test(test_megabytes_agree),
	};
	return cmocka_run_group_tests(tests, paths_setup, paths_teardown);
}
