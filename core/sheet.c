/* sheet.c - reading back what a spreadsheet did to a value (sheet.h). */
#include "sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datefr.h"
#include "exchange.h"
#include "utf8.h"
#include "validate.h"

static int all_digits(const char *v, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

static int code_valid(enum idea_field f, const char *v)
{
	switch (f) {
	case IDEA_REGION:
		return validate_region(v, NULL) == 0;
	case IDEA_TERRITORY:
		return validate_territory(v, NULL) == 0;
	case IDEA_SIRET:
		return validate_siret(v, NULL) == 0;
	default:
		return 0;
	}
}

int sheet_repair_code(enum idea_field f, const char *v,
		      char out[SHEET_CODE_MAX])
{
	/* what each field's codes may have lost: region 01-06 (2 digits),
	 * département 01-09 (2), commune 01001-09999 (5), SIRET (14) */
	static const size_t region[] = {2}, territory[] = {2, 5},
			    siret[] = {14};
	const size_t *lens;
	size_t nlens, n = strlen(v);
	int found = 0;
	char try[SHEET_CODE_MAX];

	switch (f) {
	case IDEA_REGION:
		lens = region, nlens = 1;
		break;
	case IDEA_TERRITORY:
		lens = territory, nlens = 2;
		break;
	case IDEA_SIRET:
		lens = siret, nlens = 1;
		break;
	default:
		return 0;
	}
	if (!all_digits(v, n) || code_valid(f, v))
		return 0;
	for (size_t i = 0; i < nlens; i++) {
		size_t want = lens[i];
		if (want <= n || want >= SHEET_CODE_MAX)
			continue;
		memset(try, '0', want - n);
		memcpy(try + (want - n), v, n + 1);
		if (!code_valid(f, try))
			continue;
		if (found++)
			return 0; /* two readings: nobody can tell */
		memcpy(out, try, want + 1);
	}
	return found == 1;
}

int sheet_is_scientific(const char *v)
{
	const char *p = v;
	int digits = 0;
	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == ',' || *p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits || (*p != 'E' && *p != 'e'))
		return 0;
	p++;
	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

/* Reads 1 to max digits at *p; returns the number or -1. */
static long read_num(const char **p, int max)
{
	long n = 0;
	int k = 0;
	while (k < max && **p >= '0' && **p <= '9')
		n = n * 10 + (*(*p)++ - '0'), k++;
	return k ? n : -1;
}

/* Reads "D/M/YYYY" at *p into y, m, d (a real date, years 1900..2100):
 * the French form of datefr_read, the one rule for dates people write. */
static int read_date(const char **p, long *y, long *m, long *d)
{
	int yy, mm, dd;
	if (datefr_read(p, DATEFR_SLASH, &yy, &mm, &dd) < 0)
		return -1;
	if (yy < ISOTIME_YEAR_MIN || yy > ISOTIME_YEAR_MAX)
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

int sheet_date_fr(const char *v, char out[ISODATE_LEN])
{
	long y, m, d;
	if (read_date(&v, &y, &m, &d) || *v)
		return -1;
	snprintf(out, ISODATE_LEN, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
	return 0;
}

/* A local time of the person's zone (TZ) as UTC seconds; -1 when the
 * zone has no such time. */
static int local_to_utc(long y, long mo, long d, long h, long mi, long s,
			int64_t *t)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = (int)(mo - 1);
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)s;
	tm.tm_isdst = -1;
	time_t r = mktime(&tm);
	if (r == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mon == 11))
		return -1;
	*t = (int64_t)r;
	return 0;
}

int sheet_time_fr(const char *v, int64_t *t)
{
	long y, mo, d, h, mi, s = 0;
	if (read_date(&v, &y, &mo, &d) || *v++ != ' ')
		return -1;
	h = read_num(&v, 2);
	if (h < 0 || h > 23 || *v++ != ':')
		return -1;
	const char *start = v;
	mi = read_num(&v, 2);
	if (mi < 0 || mi > 59 || v - start != 2)
		return -1;
	if (*v == ':') {
		v++;
		start = v;
		s = read_num(&v, 2);
		if (s < 0 || s > 59 || v - start != 2)
			return -1;
	}
	if (*v)
		return -1;
	return local_to_utc(y, mo, d, h, mi, s, t);
}

int sheet_serial_time(double serial, int local, int64_t *t)
{
	/* 61 is 1900-03-01: before it the serials count a 29 February 1900
	 * that never was (Lotus 1-2-3's error, kept by every spreadsheet) */
	if (!(serial >= 61.0) || serial > 1e6) /* NaN too; years: below */
		return -1;
	double days = serial;
	long whole = (long)days;
	long secs = (long)((days - (double)whole) * 86400.0 + 0.5);
	if (secs >= 86400)
		whole++, secs -= 86400;
	/* 1899-12-30 is day 0: 25569 days before 1970-01-01 */
	int64_t utc_midnight = ((int64_t)whole - 25569) * 86400;
	if (!local) {
		*t = utc_midnight + secs;
		return isotime_check_range(*t) ? -1 : 0;
	}
	char iso[ISOTIME_LEN];
	isotime_format(utc_midnight, iso);
	long y = atol(iso), mo = atol(iso + 5), d = atol(iso + 8);
	if (local_to_utc(y, mo, d, secs / 3600, secs / 60 % 60, secs % 60, t))
		return -1;
	return isotime_check_range(*t) ? -1 : 0;
}

/* Returns the length of a space a spreadsheet puts between thousands at
 * p (space, no-break space, narrow no-break space), or 0. */
static size_t group_space(const char *p)
{
	if (*p == ' ')
		return 1;
	if (!strncmp(p, "\xC2\xA0", 2))
		return 2;
	if (!strncmp(p, "\xE2\x80\xAF", 3))
		return 3;
	return 0;
}

int sheet_whole_number(const char *v, char *out, size_t size)
{
	size_t n = 0, group = 0, sp;
	int spaced = 0, changed = 0;
	const char *p = v;

	if (*p < '0' || *p > '9')
		return 0;
	while (*p) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= size)
				return 0;
			out[n++] = *p++;
			group++;
		} else if ((sp = group_space(p)) != 0) {
			/* "1 200": groups of three after the first */
			if ((spaced && group != 3) || group > 3 || group == 0)
				return 0;
			spaced = 1, group = 0, changed = 1;
			p += sp;
		} else {
			break;
		}
	}
	if (spaced && group != 3)
		return 0;
	if (*p == ',' || *p == '.') {
		p++;
		if (*p != '0')
			return 0;
		while (*p == '0')
			p++;
		changed = 1;
	}
	if (*p)
		return 0;
	out[n] = '\0';
	return changed;
}

/* The positions of incoming still reachable while walking stored: a set
 * kept small (it grows by one at most per character beyond U+FFFF). */
struct reach {
	size_t *at;
	size_t n, cap;
};

static void reach_add(struct reach *r, size_t j)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->at[i] == j)
			return;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 4;
		r->at = xrealloc(r->at, r->cap * sizeof(*r->at));
	}
	r->at[r->n++] = j;
}

int sheet_cp1252_lossy_equal(const char *stored, const char *incoming)
{
	size_t ns = strlen(stored), ni = strlen(incoming);
	struct reach cur = {0}, next = {0};
	int lost = 0, ok = 0;

	reach_add(&cur, 0);
	for (size_t i = 0; i < ns && cur.n;) {
		uint32_t cp;
		int len = utf8_decode(stored + i, ns - i, &cp);
		int keep = exchange_cp1252_has(cp);
		next.n = 0;
		for (size_t k = 0; k < cur.n; k++) {
			size_t j = cur.at[k];
			if (keep) {
				if (j + (size_t)len <= ni &&
				    !memcmp(incoming + j, stored + i,
					    (size_t)len))
					reach_add(&next, j + (size_t)len);
				continue;
			}
			if (j < ni && incoming[j] == '?')
				reach_add(&next, j + 1);
			if (cp > 0xFFFF && j + 1 < ni && incoming[j] == '?' &&
			    incoming[j + 1] == '?')
				reach_add(&next, j + 2);
		}
		lost |= !keep;
		struct reach tmp = cur;
		cur = next;
		next = tmp;
		i += (size_t)len;
	}
	for (size_t k = 0; k < cur.n; k++)
		if (cur.at[k] == ni)
			ok = 1;
	free(cur.at);
	free(next.at);
	return ok && lost;
}

int sheet_same_local_time(int64_t a, int64_t b)
{
	struct tm ta, tb;
	time_t xa = (time_t)a, xb = (time_t)b;
	if (!localtime_r(&xa, &ta) || !localtime_r(&xb, &tb))
		return 0;
	return ta.tm_year == tb.tm_year && ta.tm_mon == tb.tm_mon &&
	       ta.tm_mday == tb.tm_mday && ta.tm_hour == tb.tm_hour &&
	       ta.tm_min == tb.tm_min && ta.tm_sec == tb.tm_sec;
}
