/* fuzz.h - what the libFuzzer harnesses share: the entry point's prototype,
 * a NUL-terminated copy of the input, a check that aborts with a message
 * (so the fuzzer keeps the input as a crash), and a strict reference UTF-8
 * decoder (Unicode table 3-7) to judge core/utf8.c's output by. */
#ifndef FAI_FUZZ_H
#define FAI_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                  \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr,                                        \
				"fuzz check failed: %s (%s:%d): ", #cond,      \
				__FILE__, __LINE__);                           \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			abort();                                               \
		}                                                              \
	} while (0)

/* Returns a heap copy of data[0..size) with a NUL added; caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Decodes one code point at s (n > 0 bytes); returns its length, or 0 when
 * s does not start with a valid sequence. */
static inline size_t fuzz_utf8_decode(const unsigned char *s, size_t n,
				      uint32_t *cp)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c == 0xE0)
		len = 3, lo = 0xA0;
	else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
		len = 3;
	else if (c == 0xED)
		len = 3, hi = 0x9F;
	else if (c == 0xF0)
		len = 4, lo = 0x90;
	else if (c >= 0xF1 && c <= 0xF3)
		len = 4;
	else if (c == 0xF4)
		len = 4, hi = 0x8F;
	else
		return 0;
	if (len > n || s[1] < lo || s[1] > hi)
		return 0;
	*cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[k] & 0x3F);
	}
	return len;
}

/* Returns the offset of the first invalid sequence, or n. */
static inline size_t fuzz_utf8_check(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;
	uint32_t cp;

	while (i < n) {
		len = fuzz_utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

/* Returns 1 when a and b hold the same text.  Built with
 * -DFUZZ_KNOWN_BLANK_LINES, a line of only spaces and tabs counts as an
 * empty line: the editor template loses such lines inside multi-line values
 * (known, reported), and this lets a run look for other faults. */
static inline int fuzz_same_text(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
#ifdef FUZZ_KNOWN_BLANK_LINES
	for (;;) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		int ba = strspn(a, " \t") >= la, bb = strspn(b, " \t") >= lb;
		if (!(ba && bb) && (la != lb || memcmp(a, b, la) != 0))
			return 0;
		a += la;
		b += lb;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		a++;
		b++;
	}
#else
	return strcmp(a, b) == 0;
#endif
}

#endif
