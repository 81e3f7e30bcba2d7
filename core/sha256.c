/* sha256.c - SHA-256 as FIPS 180-4 defines it: 64-byte blocks, 64 rounds,
 * big-endian words, the message padded with 0x80, zeros and its bit length.
 *
 * The state is the eight words h[] plus the bytes of an unfinished block.
 * Whole blocks go straight from the caller's buffer to a block function that
 * takes a run of consecutive blocks: the portable C one, or on x86-64 CPUs
 * with the SHA extensions (SHA-NI) one written with their intrinsics, chosen
 * once, at the first sha256_init, from what CPUID reports. */
#include "sha256.h"

#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define SHA256_X86 0
#endif

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* Hashes n consecutive 64-byte blocks at p into h. */
typedef void sha256_blocks_fn(uint32_t h[8], const unsigned char *p, size_t n);

static void sha256_block_portable(uint32_t hs[8], const unsigned char *p)
{
	uint32_t w[64], a, b, d, e, f, g, h, cc, t1, t2;
	for (int i = 0; i < 16; i++)
		w[i] = ((uint32_t)p[4 * i] << 24) |
		       ((uint32_t)p[4 * i + 1] << 16) |
		       ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 =
		    ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 =
		    ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = hs[0];
	b = hs[1];
	cc = hs[2];
	d = hs[3];
	e = hs[4];
	f = hs[5];
	g = hs[6];
	h = hs[7];
	for (int i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		     ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		     ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	hs[0] += a;
	hs[1] += b;
	hs[2] += cc;
	hs[3] += d;
	hs[4] += e;
	hs[5] += f;
	hs[6] += g;
	hs[7] += h;
}

static void sha256_blocks_portable(uint32_t h[8], const unsigned char *p,
				   size_t n)
{
	for (; n > 0; n--, p += 64)
		sha256_block_portable(h, p);
}

#if SHA256_X86
/* Four rounds, i to i + 3, on the schedule words in m.  The state lives in
 * two registers, abef (A in the top lane) and cdgh.  SHA256RNDS2 does two
 * rounds from the low two words of its third operand and returns the new
 * A, B, E, F; the old ones are then the new C, D, G, H, so the second call
 * puts both registers back in their roles. */
#define SHANI_ROUNDS4(m, i)                                                    \
	do {                                                                   \
		__m128i wk_ = _mm_add_epi32(                                   \
		    (m), _mm_loadu_si128((const __m128i *)&sha256_k[i]));      \
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk_);                 \
		abef = _mm_sha256rnds2_epu32(abef, cdgh,                       \
					     _mm_shuffle_epi32(wk_, 0x0e));    \
	} while (0)
/* The next four schedule words, over m0, from the sixteen before them in
 * m0..m3: W[t-16] + s0(W[t-15]) (MSG1), + W[t-7] (the words straddling m2 and
 * m3), + s1(W[t-2]) (MSG2). */
#define SHANI_SCHEDULE(m0, m1, m2, m3)                                         \
	((m0) = _mm_sha256msg2_epu32(                                          \
	     _mm_add_epi32(_mm_sha256msg1_epu32((m0), (m1)),                   \
			   _mm_alignr_epi8((m3), (m2), 4)),                    \
	     (m3)))

__attribute__((target("sha,sse4.1,ssse3"))) static void
sha256_blocks_shani(uint32_t h[8], const unsigned char *p, size_t n)
{
	/* Big-endian bytes to native words. */
	const __m128i bswap =
	    _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
	__m128i dcba = _mm_loadu_si128((const __m128i *)&h[0]);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)&h[4]);
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
	__m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
	__m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);

	for (; n > 0; n--, p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh;
		__m128i m0 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(p + 0)), bswap);
		__m128i m1 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(p + 16)), bswap);
		__m128i m2 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(p + 32)), bswap);
		__m128i m3 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(p + 48)), bswap);
		for (int i = 0; i < 48; i += 16) {
			SHANI_ROUNDS4(m0, i);
			SHANI_SCHEDULE(m0, m1, m2, m3);
			SHANI_ROUNDS4(m1, i + 4);
			SHANI_SCHEDULE(m1, m2, m3, m0);
			SHANI_ROUNDS4(m2, i + 8);
			SHANI_SCHEDULE(m2, m3, m0, m1);
			SHANI_ROUNDS4(m3, i + 12);
			SHANI_SCHEDULE(m3, m0, m1, m2);
		}
		SHANI_ROUNDS4(m0, 48);
		SHANI_ROUNDS4(m1, 52);
		SHANI_ROUNDS4(m2, 56);
		SHANI_ROUNDS4(m3, 60);
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	__m128i feba = _mm_shuffle_epi32(abef, 0x1b);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(feba, dchg, 0xf0));
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(dchg, feba, 8));
}
#endif

static sha256_blocks_fn *sha256_blocks_best(void)
{
#if SHA256_X86
	/* CPUID rather than __builtin_cpu_supports("sha"), which clang 14
	 * (Debian 12's) rejects. */
	unsigned a, b, c, d;
	if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) &&
	    (c & bit_SSE4_1) && __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
	    (b & bit_SHA))
		return sha256_blocks_shani;
#endif
	return sha256_blocks_portable;
}

/* NULL until the first sha256_init. */
static sha256_blocks_fn *sha256_blocks;

void sha256_use_portable(int on)
{
	sha256_blocks = on ? sha256_blocks_portable : sha256_blocks_best();
}

const char *sha256_impl(void)
{
	if (!sha256_blocks)
		sha256_blocks = sha256_blocks_best();
#if SHA256_X86
	if (sha256_blocks == sha256_blocks_shani)
		return "sha-ni";
#endif
	return "portable";
}

void sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
				       0xa54ff53a, 0x510e527f, 0x9b05688c,
				       0x1f83d9ab, 0x5be0cd19};
	if (!sha256_blocks)
		sha256_blocks = sha256_blocks_best();
	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->fill = 0;
}

void sha256_update(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	if (n == 0)
		return;
	c->len += n;
	if (c->fill > 0) {
		size_t take = 64 - c->fill < n ? 64 - c->fill : n;
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill < 64)
			return;
		sha256_blocks(c->h, c->block, 1);
		c->fill = 0;
	}
	if (n >= 64) {
		sha256_blocks(c->h, p, n / 64);
		p += n / 64 * 64;
		n %= 64;
	}
	if (n > 0) {
		memcpy(c->block, p, n);
		c->fill = n;
	}
}

void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN])
{
	uint64_t bits = c->len * 8;
	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->block + c->fill, 0, 64 - c->fill);
		sha256_blocks(c->h, c->block, 1);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, 56 - c->fill);
	for (int i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_blocks(c->h, c->block, 1);
	c->fill = 0;
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

void sha256_hex(const unsigned char d[SHA256_LEN], char out[SHA256_HEX_LEN])
{
	for (int i = 0; i < SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}
