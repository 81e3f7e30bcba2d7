/* isotime.c - ISO 8601 dates and times in UTC, with our own calendar
 * arithmetic (days from the civil date, proleptic Gregorian), so nothing
 * depends on TZ, timegm or the C library's time zone state.
 *
 * Times are int64_t seconds since 1970-01-01T00:00:00Z.  Formatting clamps to
 * years 0000..9999 so the output always has its fixed length; what fai
 * accepts from outside is narrower, years 1900..2100 (isotime_check_range). */
#include "isotime.h"

#include "err.h"

#define ISOTIME_DAY 86400

/* Floor division and modulo for a positive divisor. */
static int64_t isotime_fdiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b) != 0 && a < 0)
		q--;
	return q;
}

/* Days since 1970-01-01 of y-m-d (Howard Hinnant's days_from_civil). */
static int64_t isotime_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = isotime_fdiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void isotime_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = isotime_fdiv(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int isotime_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int isotime_month_days(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};

	return m == 2 && isotime_leap(y) ? 29 : days[m - 1];
}

/* Earliest and latest times that format in four-digit years. */
#define ISOTIME_MIN (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define ISOTIME_MAX (253402300799LL) /* 9999-12-31T23:59:59Z */

static void isotime_split(int64_t t, int64_t *y, int *mo, int *d, int *h,
			  int *mi, int *s)
{
	int64_t days, secs;

	if (t < ISOTIME_MIN)
		t = ISOTIME_MIN;
	if (t > ISOTIME_MAX)
		t = ISOTIME_MAX;
	days = isotime_fdiv(t, ISOTIME_DAY);
	secs = t - days * ISOTIME_DAY;
	isotime_civil_from_days(days, y, mo, d);
	*h = (int)(secs / 3600);
	*mi = (int)(secs / 60 % 60);
	*s = (int)(secs % 60);
}

/* Writes v as width decimal digits at p (v fits: the time is clamped). */
static void isotime_put(char *p, int64_t v, int width)
{
	while (width-- > 0) {
		p[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Writes "YYYY-MM-DD" at out (no NUL). */
static void isotime_put_date(char *out, int64_t y, int mo, int d)
{
	isotime_put(out, y, 4);
	out[4] = '-';
	isotime_put(out + 5, mo, 2);
	out[7] = '-';
	isotime_put(out + 8, d, 2);
}

void isotime_format(int64_t t, char out[ISOTIME_LEN])
{
	int64_t y;
	int mo, d, h, mi, s;

	isotime_split(t, &y, &mo, &d, &h, &mi, &s);
	isotime_put_date(out, y, mo, d);
	out[10] = 'T';
	isotime_put(out + 11, h, 2);
	out[13] = ':';
	isotime_put(out + 14, mi, 2);
	out[16] = ':';
	isotime_put(out + 17, s, 2);
	out[19] = 'Z';
	out[20] = '\0';
}

void isotime_format_date(int64_t t, char out[ISODATE_LEN])
{
	int64_t y;
	int mo, d, h, mi, s;

	isotime_split(t, &y, &mo, &d, &h, &mi, &s);
	isotime_put_date(out, y, mo, d);
	out[10] = '\0';
}

/* Reads exactly n digits at *p into *out and advances *p. */
static int isotime_digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Parses "YYYY-MM-DD" at *p into days since the epoch; advances *p. */
static int isotime_parse_ymd(const char **p, int64_t *days)
{
	int y, m, d;

	if (isotime_digits(p, 4, &y) < 0 || **p != '-')
		return -1;
	(*p)++;
	if (isotime_digits(p, 2, &m) < 0 || **p != '-')
		return -1;
	(*p)++;
	if (isotime_digits(p, 2, &d) < 0)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > isotime_month_days(y, m))
		return -1;
	*days = isotime_days_from_civil(y, m, d);
	return 0;
}

int isotime_parse(const char *s, int64_t *t)
{
	const char *p = s;
	int64_t days, secs = 0;
	int h, mi, sec = 0, oh, om = 0, sign;

	if (s == NULL || isotime_parse_ymd(&p, &days) < 0)
		return -FAI_EINVAL;
	if (*p == '\0')
		goto done;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -FAI_EINVAL;
	p++;
	if (isotime_digits(&p, 2, &h) < 0 || *p != ':')
		return -FAI_EINVAL;
	p++;
	if (isotime_digits(&p, 2, &mi) < 0)
		return -FAI_EINVAL;
	if (*p == ':') {
		p++;
		if (isotime_digits(&p, 2, &sec) < 0)
			return -FAI_EINVAL;
	}
	if (h > 23 || mi > 59 || sec > 59)
		return -FAI_EINVAL;
	secs = (int64_t)h * 3600 + mi * 60 + sec;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
		if (isotime_digits(&p, 2, &oh) < 0)
			return -FAI_EINVAL;
		if (*p == ':')
			p++;
		if (*p != '\0' && isotime_digits(&p, 2, &om) < 0)
			return -FAI_EINVAL;
		if (oh > 23 || om > 59)
			return -FAI_EINVAL;
		/* 10:00+02:00 is 08:00Z. */
		secs -= sign * ((int64_t)oh * 3600 + om * 60);
	}
	if (*p != '\0')
		return -FAI_EINVAL;
done:
	*t = days * ISOTIME_DAY + secs;
	return 0;
}

int isotime_check_date(const char *s)
{
	const char *p = s;
	int64_t days;

	if (s == NULL || isotime_parse_ymd(&p, &days) < 0 || *p != '\0')
		return -FAI_EINVAL;
	return 0;
}

/* Days since the epoch of the Monday of ISO week 1 of year y. */
static int64_t isotime_week1_monday(int64_t y)
{
	int64_t jan4 = isotime_days_from_civil(y, 1, 4);
	/* 1970-01-01 was a Thursday: weekday 0 = Monday. */
	int64_t wd = ((jan4 + 3) % 7 + 7) % 7;

	return jan4 - wd;
}

int isotime_parse_week(const char *s, int64_t *monday)
{
	const char *p = s;
	int y, w;
	int64_t first, next;

	if (s == NULL || isotime_digits(&p, 4, &y) < 0 || *p != '-')
		return -FAI_EINVAL;
	p++;
	if (*p != 'W' && *p != 'w')
		return -FAI_EINVAL;
	p++;
	if (isotime_digits(&p, 2, &w) < 0 || *p != '\0' || w < 1)
		return -FAI_EINVAL;
	first = isotime_week1_monday(y);
	next = isotime_week1_monday((int64_t)y + 1);
	if ((int64_t)(w - 1) * 7 >= next - first)
		return -FAI_EINVAL;
	*monday = (first + (int64_t)(w - 1) * 7) * ISOTIME_DAY;
	return 0;
}

int isotime_check_range(int64_t t)
{
	if (t < ISOTIME_RANGE_MIN || t > ISOTIME_RANGE_MAX)
		return -FAI_EINVAL;
	return 0;
}

int64_t isotime_days(int64_t a, int64_t b)
{
	return isotime_fdiv(b - a, ISOTIME_DAY);
}
