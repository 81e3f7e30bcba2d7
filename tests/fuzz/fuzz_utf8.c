/* fuzz_utf8.c - fuzzes core/utf8.c on arbitrary bytes.
 *
 * utf8_check must agree with a reference validator; utf8_safe's output must
 * be valid UTF-8 holding no C0 control (but \n in MULTILINE mode), no DEL,
 * no C1 control, no bidi control (U+061C, U+200E/F, U+202A-202E,
 * U+2066-2069), and (KEEP) be the input itself when the input had nothing
 * to replace; its terminal form holds nothing terminals draw differently,
 * no mark without a base, is its own safe form and as wide as utf8_width
 * says; utf8_fit must stay within its width and return the width of what
 * it wrote; utf8_fold must give valid UTF-8 without NUL and be idempotent;
 * utf8_has_control must agree with a reference. */
#include "fuzz.h"

#include "../../core/utf8.h"
#include "../../core/xmalloc.h"

static int fuzz_is_bidi(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* 1 when cp may appear in utf8_safe's output. */
static int fuzz_safe_cp(uint32_t cp, int multiline)
{
	if (cp < 0x20)
		return multiline && cp == '\n';
	return cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F) && !fuzz_is_bidi(cp) &&
	       cp != 0x2028 && cp != 0x2029;
}

/* The cells of s[0..n) by utf8_cp_width, code point by code point. */
static long fuzz_sum_width(const char *s, size_t n)
{
	size_t i = 0, len;
	uint32_t cp;
	long w = 0;
	while (i < n) {
		len =
		    fuzz_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (len == 0)
			return -1;
		w += utf8_cp_width(cp);
		i += len;
	}
	return w;
}

/* 1 when every code point of the valid s[0..n) passes fuzz_safe_cp and no
 * tab needs a space (what utf8_safe copies unchanged). */
static int fuzz_all_safe(const char *s, size_t n, int multiline)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;
	while (i < n) {
		size_t len = fuzz_utf8_decode(u + i, n - i, &cp);
		if (len == 0 || !fuzz_safe_cp(cp, multiline))
			return 0;
		i += len;
	}
	return 1;
}

/* The terminal form: nothing terminals draw differently is left (joiners,
 * variation selectors, emoji modifiers, tags, regional indicators), no
 * mark without a base, its width is utf8_width's, and it is its own safe
 * form. */
static void fuzz_terminal(const struct buf *b, int flags)
{
	struct buf again;
	size_t i = 0, len;
	uint32_t cp, prev = '\n';

	while (i < b->len) {
		len = fuzz_utf8_decode((const unsigned char *)b->data + i,
				       b->len - i, &cp);
		FUZZ_CHECK(cp != 0x200D && !(cp >= 0xFE00 && cp <= 0xFE0F) &&
			       !(cp >= 0x1F3FB && cp <= 0x1F3FF) &&
			       !(cp >= 0x1F1E6 && cp <= 0x1F1FF) &&
			       !(cp >= 0xE0000 && cp <= 0xE01EF),
			   "terminal form kept U+%04X at %zu", (unsigned)cp, i);
		if (utf8_cp_width(cp) == 0 && cp != '\n')
			FUZZ_CHECK(prev != '\n' && prev != ' ',
				   "U+%04X without a base at %zu", (unsigned)cp,
				   i);
		if (utf8_cp_width(cp) > 0 || cp == '\n')
			prev = cp;
		i += len;
	}
	buf_init(&again);
	utf8_safe(&again, b->data, b->len, flags);
	FUZZ_CHECK(again.len == b->len &&
		       memcmp(again.data, b->data, b->len) == 0,
		   "the terminal form is not its own safe form");
	buf_free(&again);
	if (!(flags & UTF8_SAFE_MULTILINE))
		FUZZ_CHECK(utf8_width(b->data) ==
			       (size_t)fuzz_sum_width(b->data, b->len),
			   "utf8_width is not the sum of the safe form's");
}

static void fuzz_safe(const char *s, size_t n, int flags)
{
	struct buf b;
	int ml = flags & UTF8_SAFE_MULTILINE;
	size_t i = 0, len;
	uint32_t cp;

	buf_init(&b);
	utf8_safe(&b, s, n, flags);
	FUZZ_CHECK(b.data != NULL, "utf8_safe left the buffer empty");
	FUZZ_CHECK(fuzz_utf8_check(b.data, b.len) == b.len,
		   "utf8_safe output invalid at %zu",
		   fuzz_utf8_check(b.data, b.len));
	while (i < b.len) {
		len = fuzz_utf8_decode((const unsigned char *)b.data + i,
				       b.len - i, &cp);
		FUZZ_CHECK(fuzz_safe_cp(cp, ml),
			   "utf8_safe(%s) let U+%04X through at %zu",
			   ml ? "MULTILINE" : "ONELINE", (unsigned)cp, i);
		i += len;
	}
	if ((flags & UTF8_SAFE_KEEP) && fuzz_all_safe(s, n, ml))
		FUZZ_CHECK(b.len == n && memcmp(b.data, s, n) == 0,
			   "utf8_safe changed text that was already safe");
	if (!(flags & UTF8_SAFE_KEEP))
		fuzz_terminal(&b, flags);
	buf_free(&b);
}

/* Reference for utf8_has_control. */
static int fuzz_has_control(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;
	uint32_t cp;
	while (i < n) {
		if (u[i] < 0x80) {
			if ((u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') ||
			    u[i] == 0x7F)
				return 1;
			i++;
			continue;
		}
		len = fuzz_utf8_decode(u + i, n - i, &cp);
		if (len == 0) {
			if (u[i] <= 0x9F)
				return 1; /* a stray 8-bit C1 byte */
			i++;
			continue;
		}
		if (cp >= 0x80 && cp <= 0x9F)
			return 1;
		i += len;
	}
	return 0;
}

static void fuzz_fit(const char *s, size_t width)
{
	struct buf b;
	size_t used;

	buf_init(&b);
	used = utf8_fit(&b, s, width);
	FUZZ_CHECK(used <= width, "utf8_fit used %zu cells of %zu", used,
		   width);
	if (b.data) {
		FUZZ_CHECK(fuzz_utf8_check(b.data, b.len) == b.len,
			   "utf8_fit output invalid");
		FUZZ_CHECK(utf8_width(b.data) == used,
			   "utf8_fit returned %zu, its output is %zu wide",
			   used, utf8_width(b.data));
	} else {
		FUZZ_CHECK(used == 0, "utf8_fit wrote nothing but used %zu",
			   used);
	}
	if (utf8_width(s) <= width && b.data)
		FUZZ_CHECK(used == utf8_width(s),
			   "utf8_fit cut a fitting text");
	buf_free(&b);
}

static void fuzz_fold(const char *s)
{
	struct buf a, b;

	buf_init(&a);
	buf_init(&b);
	utf8_fold(&a, s);
	FUZZ_CHECK(a.data != NULL, "utf8_fold left the buffer empty");
	FUZZ_CHECK(strlen(a.data) == a.len, "utf8_fold wrote a NUL");
	FUZZ_CHECK(fuzz_utf8_check(a.data, a.len) == a.len,
		   "utf8_fold output invalid");
	utf8_fold(&b, a.data);
	FUZZ_CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
		   "utf8_fold is not idempotent");
	FUZZ_CHECK(utf8_search(s, s) == 1, "a text does not contain itself");
	buf_free(&a);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *c = fuzz_cstr(data, size);
	size_t got = utf8_check(s, size), want = fuzz_utf8_check(s, size);

	FUZZ_CHECK(got == want, "utf8_check says %zu, reference %zu", got,
		   want);
	FUZZ_CHECK(utf8_has_control(s, size) == fuzz_has_control(s, size),
		   "utf8_has_control disagrees with the reference");
	fuzz_safe(s, size, UTF8_SAFE_ONELINE);
	fuzz_safe(s, size, UTF8_SAFE_MULTILINE);
	fuzz_safe(s, size, UTF8_SAFE_ONELINE | UTF8_SAFE_KEEP);
	fuzz_safe(s, size, UTF8_SAFE_MULTILINE | UTF8_SAFE_KEEP);
	{
		/* utf8_width of the text is that of its safe form. */
		struct buf t;
		buf_init(&t);
		utf8_safe(&t, c, strlen(c), UTF8_SAFE_ONELINE);
		FUZZ_CHECK(utf8_width(c) == utf8_width(t.data),
			   "utf8_width differs from its safe form's");
		buf_free(&t);
	}
	fuzz_fit(c, size ? data[0] % 40 : 0);
	fuzz_fit(c, size > 1 ? data[1] : 1);
	fuzz_fold(c);
	(void)utf8_width(c);
	free(c);
	return 0;
}
