/* utf8.c - strict UTF-8 decoding, terminal cell widths from our own table,
 * the search form (lower case, Latin accents removed) and the display-safe
 * form of stored text.
 *
 * Everything works on byte strings and code points (uint32_t); nothing
 * depends on the process locale.  Invalid bytes are never passed through:
 * they are reported (utf8_check) or shown as U+FFFD. */
#include "utf8.h"

#include <string.h>

size_t
utf8_check(const char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;
	int len;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 1)
			return i;
		i += (size_t)len;
	}
	return n;
}

int
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	int len, i;

	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		goto invalid;
	}
	if ((size_t)len > n)
		goto invalid;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto invalid;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto invalid;
	*cp = c;
	return len;
invalid:
	*cp = 0xFFFD;
	return 1;
}

void
utf8_encode(struct buf *b, uint32_t cp)
{
	char out[4];

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		buf_add(b, out, 1);
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, out, 2);
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, out, 3);
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, out, 4);
	}
}

struct utf8_range {
	uint32_t lo, hi;
};

/* Zero-width: combining marks, zero-width spaces and joiners, bidi and
 * invisible format controls, variation selectors.  Sorted. */
static const struct utf8_range utf8_zero[] = {
	{ 0x00AD, 0x00AD }, { 0x0300, 0x036F }, { 0x0483, 0x0489 },
	{ 0x0591, 0x05BD }, { 0x05BF, 0x05BF }, { 0x05C1, 0x05C2 },
	{ 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 }, { 0x0610, 0x061A },
	{ 0x061C, 0x061C }, { 0x064B, 0x065F }, { 0x0670, 0x0670 },
	{ 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 }, { 0x06E7, 0x06E8 },
	{ 0x06EA, 0x06ED }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A },
	{ 0x0E47, 0x0E4E }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
	{ 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x2064 },
	{ 0x2066, 0x206F }, { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F },
	{ 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF }, { 0xE0001, 0xE0001 },
	{ 0xE0020, 0xE007F }, { 0xE0100, 0xE01EF },
};

/* Two cells: East Asian wide and fullwidth, emoji.  Sorted. */
static const struct utf8_range utf8_wide[] = {
	{ 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
	{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
	{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F },
	{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F },
	{ 0x1F680, 0x1F6FF }, { 0x1F900, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
	{ 0x20000, 0x3FFFD },
};

static int
utf8_in(uint32_t cp, const struct utf8_range *r, size_t n)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
utf8_cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (cp < 0x300)
		return cp == 0xAD ? 0 : 1;
	if (utf8_in(cp, utf8_zero, sizeof(utf8_zero) / sizeof(utf8_zero[0])))
		return 0;
	if (utf8_in(cp, utf8_wide, sizeof(utf8_wide) / sizeof(utf8_wide[0])))
		return 2;
	return 1;
}

size_t
utf8_width(const char *s)
{
	size_t n = strlen(s), i = 0, w = 0;
	uint32_t cp;

	while (i < n) {
		i += (size_t)utf8_decode(s + i, n - i, &cp);
		w += (size_t)utf8_cp_width(cp);
	}
	return w;
}

/* Appends s[i..i+len) as is, or U+FFFD when it decoded as invalid. */
static void
utf8_add_cp(struct buf *b, const char *s, int len, uint32_t cp)
{
	if (len == 1 && cp == 0xFFFD)
		utf8_encode(b, cp);
	else
		buf_add(b, s, (size_t)len);
}

size_t
utf8_fit(struct buf *b, const char *s, size_t width)
{
	size_t n = strlen(s), i = 0, used = 0, limit;
	uint32_t cp;
	int len, w;

	if (utf8_width(s) <= width) {
		while (i < n) {
			len = utf8_decode(s + i, n - i, &cp);
			utf8_add_cp(b, s + i, len, cp);
			used += (size_t)utf8_cp_width(cp);
			i += (size_t)len;
		}
		return used;
	}
	if (width == 0)
		return 0;
	limit = width - 1;
	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		w = utf8_cp_width(cp);
		if (used + (size_t)w > limit)
			break;
		/* A mark with nothing before it would attach to the "…". */
		if (w == 0 && i == 0)
			break;
		utf8_add_cp(b, s + i, len, cp);
		used += (size_t)w;
		i += (size_t)len;
	}
	buf_adds(b, "\xE2\x80\xA6");
	return used + 1;
}

/* Search form of Latin-1 U+00C0..U+00FF; "" keeps the code point, other
 * strings replace it. */
static const char *const utf8_fold_latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", /* C0 */
	"e", "e", "e", "e", "i", "i", "i", "i", /* C8 */
	"d", "n", "o", "o", "o", "o", "o", "", /* D0, D7 x kept */
	"o", "u", "u", "u", "u", "y", "th", "ss", /* D8 */
	"a", "a", "a", "a", "a", "a", "ae", "c", /* E0 */
	"e", "e", "e", "e", "i", "i", "i", "i", /* E8 */
	"d", "n", "o", "o", "o", "o", "o", "", /* F0, F7 / kept */
	"o", "u", "u", "u", "u", "y", "th", "y", /* F8 */
};

/* Base letters of Latin Extended-A U+0100..U+017F; '*' marks the special
 * cases handled in utf8_fold_cp. */
static const char utf8_fold_exta[129] =
	"aaaaaaccccccccdddd" /* 0100-0111 */
	"eeeeeeeeee"         /* 0112-011B */
	"gggggggg"           /* 011C-0123 */
	"hhhh"               /* 0124-0127 */
	"iiiiiiiiii"         /* 0128-0131 */
	"**"                 /* 0132-0133 IJ ij */
	"jj"                 /* 0134-0135 */
	"kkk"                /* 0136-0138 */
	"llllllllll"         /* 0139-0142 */
	"nnnnnnnnn"          /* 0143-014B */
	"oooooo"             /* 014C-0151 */
	"**"                 /* 0152-0153 OE oe */
	"rrrrrr"             /* 0154-0159 */
	"ssssssss"           /* 015A-0161 */
	"tttttt"             /* 0162-0167 */
	"uuuuuuuuuuuu"       /* 0168-0173 */
	"ww"                 /* 0174-0175 */
	"yyy"                /* 0176-0178 */
	"zzzzzz"             /* 0179-017E */
	"s";                 /* 017F long s */

/* Appends the search form of one code point. */
static void
utf8_fold_cp(struct buf *b, uint32_t cp)
{
	const char *s;

	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		buf_addc(b, (char)cp);
		return;
	}
	if (cp >= 0xC0 && cp <= 0xFF) {
		s = utf8_fold_latin1[cp - 0xC0];
		if (*s != '\0') {
			buf_adds(b, s);
			return;
		}
	} else if (cp >= 0x100 && cp <= 0x17F) {
		if (cp == 0x132 || cp == 0x133)
			buf_adds(b, "ij");
		else if (cp == 0x152 || cp == 0x153)
			buf_adds(b, "oe");
		else
			buf_addc(b, utf8_fold_exta[cp - 0x100]);
		return;
	} else if (cp >= 0x300 && cp <= 0x36F) {
		return; /* a combining accent (decomposed text): removed */
	} else if (cp == 0x2019 || cp == 0x2018) {
		buf_addc(b, '\'');
		return;
	}
	utf8_encode(b, cp);
}

void
utf8_fold(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;

	buf_add(b, "", 0);
	while (i < n) {
		i += (size_t)utf8_decode(s + i, n - i, &cp);
		utf8_fold_cp(b, cp);
	}
}

int
utf8_search(const char *haystack, const char *needle)
{
	struct buf h, nd;
	int found;

	if (needle == NULL || needle[0] == '\0')
		return 1;
	if (haystack == NULL)
		return 0;
	buf_init(&h);
	buf_init(&nd);
	utf8_fold(&h, haystack);
	utf8_fold(&nd, needle);
	found = strstr(h.data, nd.data) != NULL;
	buf_free(&nd);
	buf_free(&h);
	return found;
}

static int
utf8_is_bidi(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void
utf8_safe(struct buf *b, const char *s, size_t n, int flags)
{
	size_t i = 0;
	uint32_t cp;
	int len;

	buf_add(b, "", 0);
	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		if (cp < 0x20) {
			if (cp == '\n' && (flags & UTF8_SAFE_MULTILINE))
				buf_addc(b, '\n');
			else if (cp == '\t' && (flags & UTF8_SAFE_MULTILINE))
				buf_addc(b, ' ');
			else
				utf8_encode(b, 0x2400 + cp);
		} else if (cp == 0x7F) {
			utf8_encode(b, 0x2421);
		} else if ((cp >= 0x80 && cp <= 0x9F) || utf8_is_bidi(cp)) {
			buf_printf(b, "<U+%04X>", (unsigned)cp);
		} else {
			utf8_add_cp(b, s + i, len, cp);
		}
		i += (size_t)len;
	}
}

int
utf8_has_control(const char *s, size_t n)
{
	size_t i = 0;
	unsigned char c;
	uint32_t cp;
	int len;

	while (i < n) {
		c = (unsigned char)s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
				return 1;
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		/* U+0080..U+009F, or a stray 8-bit C1 byte (0x9B is CSI to
		 * some terminals). */
		if ((cp >= 0x80 && cp <= 0x9F) ||
		    (len == 1 && c >= 0x80 && c <= 0x9F))
			return 1;
		i += (size_t)len;
	}
	return 0;
}
