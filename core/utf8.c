/* utf8.c - strict UTF-8 decoding, terminal cell widths from our own table,
 * the search form (lower case, Latin accents removed) and the display-safe
 * form of stored text.
 *
 * Everything works on byte strings and code points (uint32_t); nothing
 * depends on the process locale.  Invalid bytes are never passed through:
 * they are reported (utf8_check) or shown as U+FFFD.
 *
 * The widths are a copy of the C library's wcwidth() (utf8_table.h, made
 * by tests/gen-utf8-table.sh), which ncurses and tmux count with.  Code
 * point by code point they agree; sequences they do not (a ZWJ emoji is
 * one glyph to some terminals, a skin tone merges or not, a mark with no
 * base lands on the cell before), so the display-safe form leaves such
 * sequences out, and utf8_width and utf8_fit measure that form: one pass,
 * utf8_safe_run, writes it or only counts it. */
#include "utf8.h"

#include <stdio.h>
#include <string.h>

size_t utf8_check(const char *s, size_t n)
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

int utf8_decode(const char *str, size_t n, uint32_t *cp)
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

/* Writes the UTF-8 of cp (U+FFFD for a surrogate or beyond U+10FFFF)
 * into out and returns its length. */
static size_t utf8_encode_to(char out[4], uint32_t cp)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void utf8_encode(struct buf *b, uint32_t cp)
{
	char out[4];

	buf_add(b, out, utf8_encode_to(out, cp));
}

struct utf8_range {
	uint32_t lo, hi;
};

/* utf8_zero, utf8_wide, utf8_nowidth: generated from the C library. */
#include "utf8_table.h"

#define UTF8_NRANGES(t) (sizeof(t) / sizeof((t)[0]))

static int utf8_in(uint32_t cp, const struct utf8_range *r, size_t n)
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

int utf8_cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (cp < 0x300)
		return 1;
	if (utf8_in(cp, utf8_zero, UTF8_NRANGES(utf8_zero)))
		return 0;
	if (utf8_in(cp, utf8_wide, UTF8_NRANGES(utf8_wide)))
		return 2;
	return 1;
}

/* ------------------------------------------------------------ safe form */

static int utf8_is_bidi(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* 1 for the code points a terminal form leaves out: invisible ones whose
 * effect terminals disagree on.  Joiners and variation selectors build
 * emoji sequences that some terminals draw as one glyph of two cells and
 * others as their parts; emoji modifiers (skin tones) are merged or drawn
 * apart; tags make subdivision flags; the keycap mark makes a digit an
 * emoji; a soft hyphen is one cell or none; the rest never show. */
static int utf8_is_dropped(uint32_t cp)
{
	switch (cp) {
	case 0x00AD:  /* soft hyphen */
	case 0x200B:  /* zero-width space */
	case 0x200C:  /* zero-width non-joiner */
	case 0x200D:  /* zero-width joiner */
	case 0x20E3:  /* combining enclosing keycap */
	case 0xFEFF:  /* zero-width no-break space, BOM */
	case 0xE0001: /* language tag */
		return 1;
	}
	return (cp >= 0x2060 && cp <= 0x2064) ||   /* word joiner... */
	       (cp >= 0x206A && cp <= 0x206F) ||   /* deprecated format */
	       (cp >= 0xFE00 && cp <= 0xFE0F) ||   /* variation selectors */
	       (cp >= 0xFFF9 && cp <= 0xFFFB) ||   /* interlinear annotation */
	       (cp >= 0x1F3FB && cp <= 0x1F3FF) || /* emoji modifiers */
	       (cp >= 0xE0020 && cp <= 0xE007F) || /* tags */
	       (cp >= 0xE0100 && cp <= 0xE01EF);   /* variation selectors */
}

/* The state of one pass of the display-safe form: the output (NULL when
 * only measuring), the cells so far, and whether the last code point
 * written can carry a combining mark. */
struct utf8_out {
	struct buf *b;
	size_t width;
	int base;
};

/* Writes cp (its bytes at s when s is not NULL) and counts its cells. */
static void utf8_put(struct utf8_out *o, uint32_t cp, const char *s, int len)
{
	int w = utf8_cp_width(cp);

	if (o->b != NULL) {
		if (s != NULL)
			buf_add(o->b, s, (size_t)len);
		else
			utf8_encode(o->b, cp);
	}
	o->width += (size_t)w;
	/* A mark after a space would be drawn on the space, and a line
	 * wrapped there would start with the mark. */
	if (w > 0)
		o->base = cp != ' ';
}

static void utf8_put_ascii(struct utf8_out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->b != NULL)
		buf_add(o->b, s, n);
	o->width += n;
	o->base = 1;
}

/* Writes the display-safe form of the code point cp, decoded from the len
 * bytes at s. */
static void utf8_safe_cp(struct utf8_out *o, uint32_t cp, const char *s,
			 int len, int flags)
{
	char hex[16];

	if (cp < 0x20) {
		if (cp == '\n' && (flags & UTF8_SAFE_MULTILINE)) {
			if (o->b != NULL)
				buf_addc(o->b, '\n');
			o->base = 0;
		} else if (cp == '\t' && (flags & UTF8_SAFE_MULTILINE)) {
			utf8_put(o, ' ', NULL, 0);
		} else {
			utf8_put(o, 0x2400 + cp, NULL, 0);
		}
		return;
	}
	if (cp == 0x7F) {
		utf8_put(o, 0x2421, NULL, 0);
		return;
	}
	if ((cp >= 0x80 && cp <= 0x9F) || utf8_is_bidi(cp) || cp == 0x2028 ||
	    cp == 0x2029) {
		snprintf(hex, sizeof(hex), "<U+%04X>", (unsigned)cp);
		utf8_put_ascii(o, hex);
		return;
	}
	if (len == 1 && cp == 0xFFFD) { /* an invalid byte */
		utf8_put(o, 0xFFFD, NULL, 0);
		return;
	}
	if (cp < 0x80 || (flags & UTF8_SAFE_KEEP)) {
		utf8_put(o, cp, s, len);
		return;
	}
	if (utf8_is_dropped(cp))
		return;
	if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
		/* Regional indicators: a pair is a flag of two cells to some
		 * terminals, two letters of one or two cells to others. */
		utf8_put(o, 'A' + (cp - 0x1F1E6), NULL, 0);
		return;
	}
	if (cp >= 0xA0 &&
	    utf8_in(cp, utf8_nowidth, UTF8_NRANGES(utf8_nowidth))) {
		/* Unassigned: a terminal's width for it is a guess. */
		utf8_put(o, 0xFFFD, NULL, 0);
		return;
	}
	if (utf8_cp_width(cp) == 0 && !o->base)
		utf8_put(o, 0xA0, NULL, 0); /* a base for the mark */
	utf8_put(o, cp, s, len);
}

/* Runs the display-safe form of s[0..n) into o. */
static void utf8_safe_run(struct utf8_out *o, const char *s, size_t n,
			  int flags)
{
	size_t i = 0, j;
	uint32_t cp;
	int len;

	while (i < n) {
		/* Printable ASCII is its own safe form. */
		for (j = i; j < n && (unsigned char)s[j] >= 0x20 &&
			    (unsigned char)s[j] < 0x7F;
		     j++)
			;
		if (j > i) {
			if (o->b != NULL)
				buf_add(o->b, s + i, j - i);
			o->width += j - i;
			o->base = s[j - 1] != ' ';
			i = j;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		utf8_safe_cp(o, cp, s + i, len, flags);
		i += (size_t)len;
	}
}

size_t utf8_width(const char *s)
{
	struct utf8_out o = {NULL, 0, 0};

	utf8_safe_run(&o, s, strlen(s), UTF8_SAFE_ONELINE);
	return o.width;
}

/* Code points the Linux console's fonts draw (Lat15, Uni2 and the kernel's
 * own VGA font share these), as ranges. */
static int console_has(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
	    {0x20, 0x7e},     {0xa0, 0x17f},	{0x2013, 0x2014},
	    {0x2018, 0x201e}, {0x2022, 0x2022}, {0x20ac, 0x20ac},
	    {0x2190, 0x2193}, {0x2500, 0x257f}, {0x2580, 0x259f},
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return 1;
	return 0;
}

void utf8_console(struct buf *b, const char *s, size_t n)
{
	static const struct {
		uint32_t cp;
		const char *ascii;
	} near[] = {
	    {0x2026, "..."}, {0x2691, "!"},  {0x2690, "!"},
	    {0x2260, "!="},  {0x2264, "<="}, {0x2265, ">="},
	    {0x21d2, "=>"},  {0x27f6, "->"}, {0x2212, "-"},
	};
	size_t i = 0;
	uint32_t cp;
	int len;

	while (i < n) {
		if ((unsigned char)s[i] == '\n') {
			buf_add(b, "\n", 1);
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (console_has(cp)) {
			buf_add(b, s + i, (size_t)len);
		} else if (utf8_cp_width(cp) > 0) {
			const char *a = "?";
			for (size_t k = 0; k < sizeof(near) / sizeof(near[0]);
			     k++)
				if (near[k].cp == cp)
					a = near[k].ascii;
			buf_adds(b, a);
		}
		i += (size_t)len;
	}
}

/* Whether the spaces s[end..i) bind what they separate, as French writes
 * it: no line starts with the space before : ; ! ? (a word of their own)
 * or », nor ends on « and its space. */
static int wrap_bound(const char *s, size_t end, size_t i, size_t n)
{
	const char *p = s + i;
	if (end >= 2 && memcmp(s + end - 2, "«", 2) == 0)
		return 1;
	if (n - i >= 2 && memcmp(p, "»", 2) == 0)
		return 1;
	return i < n && (*p == ':' || *p == ';' || *p == '!' || *p == '?') &&
	       (i + 1 == n || p[1] == ' ' || p[1] == '\n');
}

size_t utf8_wrap(const char *s, size_t width, size_t *next)
{
	size_t n = strlen(s), i = 0, used = 0;
	size_t brk = 0, brk_next = 0; /* the last space that fits */
	uint32_t cp;
	int len, w;

	while (i < n && s[i] != '\n') {
		if (s[i] == ' ') {
			/* A break here: the line ends before the spaces. */
			size_t end = i;
			while (i < n && s[i] == ' ')
				i++;
			if (end > 0 && !wrap_bound(s, end, i, n)) {
				brk = end;
				brk_next = i;
			}
			used += i - end;
			if (used > width && brk) {
				/* The spaces run past the width: break. */
				*next = i < n && s[i] == '\n' ? i + 1 : i;
				return brk;
			}
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		w = utf8_cp_width(cp);
		if (used + (size_t)w > width && w > 0) {
			if (brk) {
				*next = brk_next;
				return brk;
			}
			if (i == 0) /* width 0, or a wide character in 1 */
				i += (size_t)len;
			*next = i;
			return i;
		}
		used += (size_t)w;
		i += (size_t)len;
	}
	size_t end = i;
	while (end > 0 && s[end - 1] == ' ')
		end--;
	*next = i < n ? i + 1 : n;
	return end;
}

size_t utf8_fit(struct buf *b, const char *s, size_t width)
{
	struct utf8_out o = {NULL, 0, 0};
	struct buf safe;
	size_t n, i = 0, used = 0, limit;
	uint32_t cp;
	int len, w;

	buf_init(&safe);
	o.b = &safe;
	utf8_safe_run(&o, s, strlen(s), UTF8_SAFE_ONELINE);
	buf_add(&safe, "", 0);
	n = safe.len;
	if (o.width <= width) {
		buf_add(b, safe.data, n);
		used = o.width;
		goto out_safe;
	}
	if (width == 0)
		goto out_safe;
	limit = width - 1;
	while (i < n) {
		len = utf8_decode(safe.data + i, n - i, &cp);
		w = utf8_cp_width(cp);
		if (used + (size_t)w > limit)
			break;
		/* A mark with nothing before it would attach to the "…". */
		if (w == 0 && i == 0)
			break;
		buf_add(b, safe.data + i, (size_t)len);
		used += (size_t)w;
		i += (size_t)len;
	}
	buf_adds(b, "\xE2\x80\xA6");
	used++;
out_safe:
	buf_free(&safe);
	return used;
}

/* Search form of Latin-1 U+00C0..U+00FF; "" keeps the code point, other
 * strings replace it. */
static const char *const utf8_fold_latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",  /* C0 */
    "e", "e", "e", "e", "i", "i", "i",	"i",  /* C8 */
    "d", "n", "o", "o", "o", "o", "o",	"",   /* D0, D7 x kept */
    "o", "u", "u", "u", "u", "y", "th", "ss", /* D8 */
    "a", "a", "a", "a", "a", "a", "ae", "c",  /* E0 */
    "e", "e", "e", "e", "i", "i", "i",	"i",  /* E8 */
    "d", "n", "o", "o", "o", "o", "o",	"",   /* F0, F7 / kept */
    "o", "u", "u", "u", "u", "y", "th", "y",  /* F8 */
};

/* Base letters of Latin Extended-A U+0100..U+017F; '*' marks the special
 * cases handled in utf8_fold_cp. */
static const char utf8_fold_exta[129] = "aaaaaaccccccccdddd" /* 0100-0111 */
					"eeeeeeeeee"	     /* 0112-011B */
					"gggggggg"	     /* 011C-0123 */
					"hhhh"		     /* 0124-0127 */
					"iiiiiiiiii"	     /* 0128-0131 */
					"**"	       /* 0132-0133 IJ ij */
					"jj"	       /* 0134-0135 */
					"kkk"	       /* 0136-0138 */
					"llllllllll"   /* 0139-0142 */
					"nnnnnnnnn"    /* 0143-014B */
					"oooooo"       /* 014C-0151 */
					"**"	       /* 0152-0153 OE oe */
					"rrrrrr"       /* 0154-0159 */
					"ssssssss"     /* 015A-0161 */
					"tttttt"       /* 0162-0167 */
					"uuuuuuuuuuuu" /* 0168-0173 */
					"ww"	       /* 0174-0175 */
					"yyy"	       /* 0176-0178 */
					"zzzzzz"       /* 0179-017E */
					"s";	       /* 017F long s */

/* Writes the search form of one code point into out (at most 4 bytes)
 * and returns its length (0: removed). */
static size_t utf8_fold_to(char out[4], uint32_t cp)
{
	const char *s;

	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		out[0] = (char)cp;
		return 1;
	}
	if (cp >= 0xC0 && cp <= 0xFF) {
		s = utf8_fold_latin1[cp - 0xC0];
		if (*s != '\0') {
			size_t n = strlen(s);
			memcpy(out, s, n);
			return n;
		}
	} else if (cp >= 0x100 && cp <= 0x17F) {
		if (cp == 0x132 || cp == 0x133) {
			memcpy(out, "ij", 2);
			return 2;
		}
		if (cp == 0x152 || cp == 0x153) {
			memcpy(out, "oe", 2);
			return 2;
		}
		out[0] = utf8_fold_exta[cp - 0x100];
		return 1;
	} else if (cp >= 0x300 && cp <= 0x36F) {
		return 0; /* a combining accent (decomposed text): removed */
	} else if (cp == 0x2019 || cp == 0x2018) {
		out[0] = '\'';
		return 1;
	}
	return utf8_encode_to(out, cp);
}

/* Appends the search form of one code point. */
static void utf8_fold_cp(struct buf *b, uint32_t cp)
{
	char out[4];

	buf_add(b, out, utf8_fold_to(out, cp));
}

void utf8_fold(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;

	buf_add(b, "", 0);
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			/* A run of ASCII, lower-cased straight into b: most of
			 * the text a search reads, without a call per byte. */
			size_t j = i;
			while (j < n && (unsigned char)s[j] < 0x80)
				j++;
			buf_reserve(b, j - i);
			char *o = b->data + b->len;
			for (size_t k = i; k < j; k++) {
				char c = s[k];
				*o++ =
				    c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
			}
			b->len += j - i;
			b->data[b->len] = '\0';
			i = j;
			continue;
		}
		i += (size_t)utf8_decode(s + i, n - i, &cp);
		utf8_fold_cp(b, cp);
	}
}

int utf8_search(const char *haystack, const char *needle)
{
	struct buf nd;
	int found;

	if (needle == NULL || needle[0] == '\0')
		return 1;
	if (haystack == NULL)
		return 0;
	buf_init(&nd);
	utf8_fold(&nd, needle);
	found = utf8_search_folded(haystack, nd.data, NULL);
	buf_free(&nd);
	return found;
}

/* Returns 1 when the search form of h[i..n), less the first skip bytes
 * of its first character's, starts with needle. */
static int utf8_folded_at(const char *h, size_t n, size_t i, size_t skip,
			  const char *needle)
{
	char f[4];
	uint32_t cp;

	while (*needle) {
		size_t fl;
		if (i >= n)
			return 0;
		unsigned char c = (unsigned char)h[i];
		if (c < 0x80) {
			f[0] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : (char)c;
			fl = 1;
			i++;
		} else {
			i += (size_t)utf8_decode(h + i, n - i, &cp);
			fl = utf8_fold_to(f, cp);
		}
		for (size_t k = skip; k < fl && *needle; k++, needle++)
			if (f[k] != *needle)
				return 0;
		skip = 0;
	}
	return 1;
}

int utf8_search_folded(const char *haystack, const char *folded,
		       struct buf *scratch)
{
	(void)scratch; /* kept for callers; the search writes nothing */
	if (folded == NULL || folded[0] == '\0')
		return 1;
	if (haystack == NULL || haystack[0] == '\0')
		return 0;
	/* strstr over the folded haystack without writing it: a match
	 * starts at any byte of a character's search form; ASCII bytes
	 * are tried only when they fold to the needle's first byte. */
	size_t n = strlen(haystack);
	char first = folded[0], f[4];
	uint32_t cp;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)haystack[i];
		if (c < 0x80) {
			char l =
			    c >= 'A' && c <= 'Z' ? (char)(c + 32) : (char)c;
			if (l == first &&
			    utf8_folded_at(haystack, n, i, 0, folded))
				return 1;
			i++;
			continue;
		}
		size_t len = (size_t)utf8_decode(haystack + i, n - i, &cp);
		size_t fl = utf8_fold_to(f, cp);
		for (size_t k = 0; k < fl; k++)
			if (f[k] == first &&
			    utf8_folded_at(haystack, n, i, k, folded))
				return 1;
		i += len;
	}
	return 0;
}

void utf8_safe(struct buf *b, const char *s, size_t n, int flags)
{
	struct utf8_out o = {b, 0, 0};

	buf_add(b, "", 0);
	utf8_safe_run(&o, s, n, flags);
}

int utf8_has_control(const char *s, size_t n)
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

int utf8_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
