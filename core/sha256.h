/* sha256.h - SHA-256 (FIPS 180-4), to name an imported file in the log and
 * to remember what was last exchanged for each idea. */
#ifndef FAI_SHA256_H
#define FAI_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32
#define SHA256_HEX_LEN 65

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char block[64];
	size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN]);
/* Writes the lower-case hex form of a digest. */
void sha256_hex(const unsigned char d[SHA256_LEN], char out[SHA256_HEX_LEN]);

/* For tests and benchmarks only: with on != 0 every later block goes through
 * the portable C code even on a CPU with the SHA extensions; 0 goes back to
 * the fastest code this CPU runs.  Not thread-safe. */
void sha256_use_portable(int on);
/* For tests and benchmarks only: names the code that hashes blocks now,
 * "sha-ni" or "portable" (a static string). */
const char *sha256_impl(void);

#endif
