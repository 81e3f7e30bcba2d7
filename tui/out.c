/* out.c - safe and tidy output of stored text.
 *
 * Nothing read from the store reaches the terminal raw: text goes through
 * utf8_safe (controls and bidi overrides become visible placeholders), JSON
 * and TSV escape every control character.  JSON is valid UTF-8 whatever the
 * bytes held: an invalid byte becomes \ufffd (in TSV, \xNN).
 *
 * Times a person reads are shown here, in one rule: local time of the
 * person's zone (TZ), in the form the catalogue gives ("14/06/2026 à
 * 11:20" in French; "2026-06-14 11:20", ISO 8601's order, otherwise).
 * Files and scripts (CSV, TSV, JSON) keep ISO 8601 UTC. */
#include "out.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../core/isotime.h"
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

/* Fills tm with the local time of t; 0, or -1 when the C library cannot. */
static int out_local(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;
	if ((int64_t)tt != t || localtime_r(&tt, tm) == NULL)
		return -1;
	return 0;
}

/* Writes tm into b after fmt, which knows %d %m %Y %H %M and %%: a format
 * from the catalogue, so nothing else of it is trusted (no strftime). */
static void out_put_tm(struct buf *b, const char *fmt, const struct tm *tm)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || !p[1]) {
			buf_addc(b, *p);
			continue;
		}
		switch (*++p) {
		case 'd':
			buf_printf(b, "%02d", tm->tm_mday);
			break;
		case 'm':
			buf_printf(b, "%02d", tm->tm_mon + 1);
			break;
		case 'Y':
			buf_printf(b, "%04d", tm->tm_year + 1900);
			break;
		case 'H':
			buf_printf(b, "%02d", tm->tm_hour);
			break;
		case 'M':
			buf_printf(b, "%02d", tm->tm_min);
			break;
		case '%':
			buf_addc(b, '%');
			break;
		default:
			buf_addc(b, '%');
			buf_addc(b, *p);
		}
	}
}

/* One of four rotating buffers, emptied. */
static struct buf *out_ring(void)
{
	static struct buf ring[4];
	static unsigned next;
	struct buf *b = &ring[next++ % 4];
	buf_reset(b);
	return b;
}

/* TRANSLATORS: how a person reads a date and time (local time): %d day,
 * %m month, %Y year, %H hours, %M minutes; nothing else is known. */
#define OUT_TIME_FMT NC_("time", "%Y-%m-%d %H:%M")
/* TRANSLATORS: how a person reads a date, as for the time above. */
#define OUT_DATE_FMT NC_("date", "%Y-%m-%d")

/* TRANSLATORS: the time of day alone (local time), as in the time above:
 * %H hours, %M minutes. */
#define OUT_CLOCK_FMT NC_("clock", "%H:%M")

/* The instant t in the person's zone by the catalogue's format fmt (one
 * of the three above), or in ISO 8601 UTC (a date alone when date) when
 * the local time cannot be had. */
static const char *out_local_fmt(int64_t t, const char *fmt, int date)
{
	struct buf *b = out_ring();
	struct tm tm;
	if (out_local(t, &tm) < 0) {
		char iso[ISOTIME_LEN];
		if (date)
			isotime_format_date(t, iso);
		else
			isotime_format(t, iso);
		buf_adds(b, iso);
	} else {
		out_put_tm(b, i18n_pgettext(fmt), &tm);
	}
	return b->data ? b->data : "";
}

const char *out_time(int64_t t)
{
	return out_local_fmt(t, OUT_TIME_FMT, 0);
}

const char *out_clock(int64_t t)
{
	return out_local_fmt(t, OUT_CLOCK_FMT, 0);
}

const char *out_date(int64_t t)
{
	return out_local_fmt(t, OUT_DATE_FMT, 1);
}

const char *out_day(const char *iso)
{
	struct buf *b = out_ring();
	struct tm tm;
	int64_t t;
	if (iso == NULL || isotime_check_date(iso) < 0 ||
	    isotime_parse(iso, &t) < 0) {
		buf_adds(b, iso ? iso : "");
		return b->data ? b->data : "";
	}
	/* A calendar date, the same everywhere: no zone to convert. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(iso) - 1900;
	tm.tm_mon = atoi(iso + 5) - 1;
	tm.tm_mday = atoi(iso + 8);
	out_put_tm(b, i18n_pgettext(OUT_DATE_FMT), &tm);
	return b->data ? b->data : "";
}

const char *out_day_of(int64_t t)
{
	char iso[ISODATE_LEN];
	isotime_format_date(t, iso);
	return out_day(iso);
}
