/* crc32c.c - CRC-32C (polynomial 0x1EDC6F41, reflected 0x82F63B78), as
 * iSCSI and ext4 use it: check value crc32c("123456789") = 0xE3069283.
 *
 * Portable code reads eight bytes a step through eight tables built once
 * ("slicing by 8"); on x86-64 CPUs with SSE 4.2 the crc32 instruction does
 * the same eight bytes at a time.  Both give the same result. */
#include "crc32c.h"

#include <string.h>

#define CRC32C_POLY 0x82F63B78u

static uint32_t crc_table[8][256];
static int crc_table_ready;

static void crc32c_tables(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_table[t][i] =
			    (crc_table[t - 1][i] >> 8) ^
			    crc_table[0][crc_table[t - 1][i] & 0xff];
	crc_table_ready = 1;
}

static uint32_t crc32c_portable(uint32_t crc, const unsigned char *p, size_t n)
{
	if (!crc_table_ready)
		crc32c_tables();
	crc = ~crc;
	while (n >= 8) {
		uint32_t lo = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
			      (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
			      (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		lo ^= crc;
		crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
		      crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
		      crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
		      crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
		p += 8;
		n -= 8;
	}
	while (n--)
		crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CRC32C_HW 1
#include <cpuid.h>

__attribute__((target("sse4.2"))) static uint32_t
crc32c_sse42(uint32_t crc, const unsigned char *p, size_t n)
{
	uint64_t c = ~crc;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
		p += 8;
		n -= 8;
	}
	uint32_t c32 = (uint32_t)c;
	while (n--)
		c32 = __builtin_ia32_crc32qi(c32, *p++);
	return ~c32;
}

static int crc_hw = -1; /* -1: not probed; 0 portable; 1 sse4.2 */
static int crc_forced_portable;

static int crc32c_have_hw(void)
{
	if (crc_hw < 0) {
		unsigned a, b, c, d;
		crc_hw = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2);
	}
	return crc_hw && !crc_forced_portable;
}
#endif

uint32_t crc32c(uint32_t crc, const void *p, size_t n)
{
#ifdef CRC32C_HW
	if (crc32c_have_hw())
		return crc32c_sse42(crc, p, n);
#endif
	return crc32c_portable(crc, p, n);
}

void crc32c_use_portable(int on)
{
#ifdef CRC32C_HW
	crc_forced_portable = on;
#else
	(void)on;
#endif
}

const char *crc32c_impl(void)
{
#ifdef CRC32C_HW
	if (crc32c_have_hw())
		return "sse4.2";
#endif
	return "portable";
}
