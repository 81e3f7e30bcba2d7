/* datefr.c - the one reader of the dates a person types: ISO 2026-12-15
 * and the French 15/12/2026, 15/12/26, 15 déc. 2026, 15 décembre 2026
 * (and the English month names of the C locale, 15 Dec 2026).
 * Month names are compared on their search form (utf8_fold: lower case,
 * accents removed), so "DÉC", "dec." and "décembre" are one month.
 *
 * Two-digit years follow POSIX strptime's %y: 00..69 are 2000..2069,
 * 70..99 are 1970..1999.  What comes out is always the ISO date the store
 * keeps; which years a field accepts (1900..2100) is the caller's rule. */
#include "datefr.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "utf8.h"
#include "xmalloc.h"

/* A month's names, folded: the full French name, the abbreviations in
 * use (CLDR's "janv." "févr." "avr." "juil." "sept." "déc." and the
 * shorter ones people write), then the English names and abbreviations
 * (the C locale's "15 Dec 2026"). */
#define DATEFR_NAMES 7
static const char *const datefr_months[12][DATEFR_NAMES] = {
    {"janvier", "janv", "jan", "january", NULL},
    {"fevrier", "fevr", "fev", "february", "feb", NULL},
    {"mars", "mar", "march", NULL},
    {"avril", "avr", "april", "apr", NULL},
    {"mai", "may", NULL},
    {"juin", "june", "jun", NULL},
    {"juillet", "juil", "july", "jul", NULL},
    {"aout", "august", "aug", NULL},
    {"septembre", "sept", "sep", "september", NULL},
    {"octobre", "oct", "october", NULL},
    {"novembre", "nov", "november", NULL},
    {"decembre", "dec", "december", NULL},
};

/* Reads 1 to max digits at *p; returns how many (0: none). */
static int datefr_num(const char **p, int max, int *out)
{
	int n = 0, k = 0;

	while (k < max && **p >= '0' && **p <= '9')
		n = n * 10 + (*(*p)++ - '0'), k++;
	if (k && **p >= '0' && **p <= '9')
		return 0; /* more digits than the form has */
	*out = n;
	return k;
}

/* Returns the length of a no-break space (U+00A0, U+202F) at s, or 0. */
static int datefr_nbsp(const char *s)
{
	if (s[0] == '\xC2' && s[1] == '\xA0')
		return 2;
	if (s[0] == '\xE2' && s[1] == '\x80' && s[2] == '\xAF')
		return 3;
	return 0;
}

/* Skips one or more spaces (a no-break space too); returns how many. */
static int datefr_spaces(const char **p)
{
	int n = 0;

	for (;;) {
		if (**p == ' ') {
			(*p)++;
		} else if (datefr_nbsp(*p)) {
			*p += datefr_nbsp(*p);
		} else {
			return n;
		}
		n++;
	}
}

/* Reads a month's name at *p (letters, then an optional dot); returns
 * 1..12, or 0. */
static int datefr_month(const char **p)
{
	const char *s = *p;
	struct buf word, folded;
	int m = 0;

	/* A name is letters: ASCII or the bytes of a UTF-8 letter. */
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	       (unsigned char)*s >= 0x80) {
		if (datefr_nbsp(s))
			break;
		s++;
	}
	if (s == *p || s - *p > 32)
		return 0;
	buf_init(&word);
	buf_init(&folded);
	buf_add(&word, *p, (size_t)(s - *p));
	utf8_fold(&folded, word.data);
	for (int i = 0; i < 12 && !m; i++)
		for (int j = 0; j < DATEFR_NAMES && datefr_months[i][j]; j++)
			if (strcmp(folded.data, datefr_months[i][j]) == 0)
				m = i + 1;
	buf_free(&word);
	buf_free(&folded);
	if (m) {
		if (*s == '.')
			s++;
		*p = s;
	}
	return m;
}

static int datefr_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int datefr_valid(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};

	if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= (m == 2 && datefr_leap(y) ? 29 : days[m - 1]);
}

/* 15/12/2026 or 15/12/26 (forms says which). */
static int datefr_read_slash(const char **p, unsigned forms, int *y, int *m,
			     int *d)
{
	const char *s = *p;
	int k;

	if (!datefr_num(&s, 2, d) || *s++ != '/')
		return -1;
	if (!datefr_num(&s, 2, m) || *s++ != '/')
		return -1;
	k = datefr_num(&s, 4, y);
	if (k == 4 && (forms & DATEFR_SLASH)) {
		/* as read */
	} else if (k == 2 && (forms & DATEFR_SLASH_YY)) {
		*y += *y < 70 ? 2000 : 1900;
	} else {
		return -1;
	}
	*p = s;
	return 0;
}

/* 15 déc. 2026, 1er décembre 2026. */
static int datefr_read_month(const char **p, int *y, int *m, int *d)
{
	const char *s = *p;

	if (!datefr_num(&s, 2, d))
		return -1;
	if (*d == 1 && (s[0] == 'e' || s[0] == 'E') &&
	    (s[1] == 'r' || s[1] == 'R'))
		s += 2; /* 1er */
	if (!datefr_spaces(&s))
		return -1;
	*m = datefr_month(&s);
	if (!*m || !datefr_spaces(&s) || datefr_num(&s, 4, y) != 4)
		return -1;
	*p = s;
	return 0;
}

/* 2026-12-15. */
static int datefr_read_iso(const char **p, int *y, int *m, int *d)
{
	const char *s = *p;

	if (datefr_num(&s, 4, y) != 4 || *s++ != '-')
		return -1;
	if (datefr_num(&s, 2, m) != 2 || *s++ != '-')
		return -1;
	if (datefr_num(&s, 2, d) != 2)
		return -1;
	*p = s;
	return 0;
}

int datefr_read(const char **p, unsigned forms, int *y, int *m, int *d)
{
	const char *s;
	int yy = 0, mm = 0, dd = 0, rc = -1;

	if (p == NULL || *p == NULL)
		return -FAI_EINVAL;
	s = *p;
	if ((forms & DATEFR_ISO) && datefr_read_iso(&s, &yy, &mm, &dd) == 0)
		rc = 0;
	else if ((forms & (DATEFR_SLASH | DATEFR_SLASH_YY)) &&
		 datefr_read_slash(&s, forms, &yy, &mm, &dd) == 0)
		rc = 0;
	else if ((forms & DATEFR_MONTH) &&
		 datefr_read_month(&s, &yy, &mm, &dd) == 0)
		rc = 0;
	if (rc < 0 || !datefr_valid(yy, mm, dd))
		return -FAI_EINVAL;
	*y = yy;
	*m = mm;
	*d = dd;
	*p = s;
	return 0;
}

int datefr_parse(const char *s, unsigned forms, char out[ISODATE_LEN])
{
	int y, m, d;

	if (s == NULL || datefr_read(&s, forms, &y, &m, &d) < 0 || *s != '\0')
		return -FAI_EINVAL;
	snprintf(out, ISODATE_LEN, "%04d-%02d-%02d", y, m, d);
	return 0;
}
