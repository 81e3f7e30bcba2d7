/* uuid.c - version 4 (random) UUIDs from the kernel's generator, and their
 * 8-4-4-4-12 text form.  A UUID is 16 bytes, most significant first. */
#include "uuid.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "err.h"
#include "utf8.h"

void uuid_generate(unsigned char u[UUID_LEN])
{
	size_t got = 0;
	ssize_t r;

	while (got < UUID_LEN) {
		r = getrandom(u + got, UUID_LEN - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "fai: getrandom failed\n");
			abort();
		}
		got += (size_t)r;
	}
	u[6] = (unsigned char)((u[6] & 0x0F) | 0x40); /* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3F) | 0x80); /* RFC 4122 variant */
}

void uuid_format(const unsigned char u[UUID_LEN], char out[UUID_STR_LEN])
{
	static const char hex[] = "0123456789abcdef";
	int i, j = 0;

	for (i = 0; i < UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		out[j++] = hex[u[i] >> 4];
		out[j++] = hex[u[i] & 0x0F];
	}
	out[j] = '\0';
}

int uuid_parse(const char *s, unsigned char u[UUID_LEN])
{
	unsigned char tmp[UUID_LEN];
	int i, k = 0, hi, lo;

	if (s == NULL)
		return -FAI_EINVAL;
	for (i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -FAI_EINVAL;
			i++;
			continue;
		}
		/* s[i + 1] is only read when s[i] is a hex digit, not NUL. */
		if ((hi = utf8_hex_digit(s[i])) < 0 ||
		    (lo = utf8_hex_digit(s[i + 1])) < 0)
			return -FAI_EINVAL;
		tmp[k++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	if (s[36] != '\0')
		return -FAI_EINVAL;
	for (i = 0; i < UUID_LEN; i++)
		u[i] = tmp[i];
	return 0;
}
