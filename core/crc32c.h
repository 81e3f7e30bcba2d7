/* crc32c.h - CRC-32C (Castagnoli), the checksum every record of the store
 * carries so that a damaged value is detected instead of used.  Any single
 * bit flip and any burst of up to 32 bits in a record changes it. */
#ifndef FAI_CRC32C_H
#define FAI_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues the CRC-32C crc (0 to start) over p[0..n). */
uint32_t crc32c(uint32_t crc, const void *p, size_t n);

/* For tests and benchmarks only: with on != 0 the portable C code is used
 * even on a CPU with SSE 4.2; 0 goes back to the fastest.  Not
 * thread-safe. */
void crc32c_use_portable(int on);
/* For tests only: "sse4.2" or "portable" (a static string). */
const char *crc32c_impl(void);

#endif
