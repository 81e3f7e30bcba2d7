/* out.c - safe and tidy output of stored text.
 *
 * Nothing read from the store reaches the terminal raw: text goes through
 * utf8_safe (controls and bidi overrides become visible placeholders), JSON
 * and TSV escape every control character.  JSON is valid UTF-8 whatever the
 * bytes held: an invalid byte becomes \ufffd (in TSV, \xNN). */
#include "out.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../core/utf8.h"
#include "../core/validate.h"
#include "i18n.h"

void out_safe(FILE *f, const char *s, int flags)
{
	struct buf b;
	buf_init(&b);
	utf8_safe(&b, s ? s : "", s ? strlen(s) : 0, flags);
	if (b.len)
		fwrite(b.data, 1, b.len, f);
	buf_free(&b);
}

const char *out_shown(const char *s)
{
	static struct buf ring[4];
	static unsigned next;
	struct buf *b = &ring[next++ % 4];
	buf_reset(b);
	utf8_safe(b, s ? s : "", s ? strlen(s) : 0, UTF8_SAFE_ONELINE);
	return b->data && b->len ? b->data : "";
}

void out_cell(struct buf *b, const char *s, size_t width)
{
	struct buf safe;
	buf_init(&safe);
	utf8_safe(&safe, s ? s : "", s ? strlen(s) : 0, UTF8_SAFE_ONELINE);
	size_t used = utf8_fit(b, safe.data ? safe.data : "", width);
	for (; used < width; used++)
		buf_addc(b, ' ');
	buf_free(&safe);
}

/* Returns 1 for code points that must not reach a terminal raw. */
static int cp_dangerous(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	       cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void out_json(FILE *f, const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;
	fputc('"', f);
	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && len == 1) /* an invalid byte */
			fputs("\\ufffd", f);
		else if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (char)cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp == '\r')
			fputs("\\r", f);
		else if (cp_dangerous(cp))
			fprintf(f, "\\u%04x", (unsigned)cp);
		else
			fwrite(s + i, 1, (size_t)len, f);
		i += (size_t)len;
	}
	fputc('"', f);
}

void out_tsv(FILE *f, const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;
	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && len == 1) /* an invalid byte, kept */
			fprintf(f, "\\x%02x", (unsigned char)s[i]);
		else if (cp == '\\')
			fputs("\\\\", f);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp == '\r')
			fputs("\\r", f);
		else if (cp_dangerous(cp))
			fprintf(f, cp < 0x80 ? "\\x%02x" : "\\u%04x",
				(unsigned)cp);
		else
			fwrite(s + i, 1, (size_t)len, f);
		i += (size_t)len;
	}
}

const char *out_field_label(enum idea_field f)
{
	return _(idea_field_info(f)->label);
}

const char *out_stage_label(enum stage s)
{
	const char *l = stage_label(s);
	return *l ? _(l) : l;
}

const char *out_stage_short(enum stage s)
{
	/* TRANSLATORS: short stage labels for narrow columns (≤ 14 cells). */
	static const char *const shorts[STAGE_COUNT] = {
	    NC_("short", "Need"),	  NC_("short", "Concept"),
	    NC_("short", "Owner search"), NC_("short", "Launched"),
	    NC_("short", "On hold"),	  NC_("short", "Abandoned"),
	};
	return (unsigned)s < STAGE_COUNT ? i18n_pgettext(shorts[s]) : "";
}

/* Wider than any terminal: a $COLUMNS beyond it is not believed. */
#define OUT_COLUMNS_MAX 10000

size_t out_term_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	/* Like any number from outside: digits only, bounded (atoi would
	 * overflow on a long $COLUMNS). */
	const char *c = getenv("COLUMNS");
	uint64_t n;
	if (c && validate_number(c, 1, OUT_COLUMNS_MAX, &n, NULL) == 0)
		return (size_t)n;
	return 80;
}
