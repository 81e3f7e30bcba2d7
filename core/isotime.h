/* isotime.h - ISO 8601 times and dates in UTC, as the store and files hold
 * them.  Times are int64_t seconds since the Unix epoch. */
#ifndef FAI_ISOTIME_H
#define FAI_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

#define ISOTIME_LEN 21 /* "2026-11-27T09:52:18Z" and the NUL */
#define ISODATE_LEN 11 /* "2026-11-27" and the NUL */

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into out (ISOTIME_LEN bytes). */
void isotime_format(int64_t t, char out[ISOTIME_LEN]);

/* Writes the UTC date of t as "YYYY-MM-DD" into out (ISODATE_LEN bytes). */
void isotime_format_date(int64_t t, char out[ISODATE_LEN]);

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]" (a space may stand
 * for T) into *t; a date alone is midnight UTC.  Checks month lengths and leap
 * years.  Returns 0, or -FAI_EINVAL. */
int isotime_parse(const char *s, int64_t *t);

/* Returns 0 when s is exactly a valid "YYYY-MM-DD", else -FAI_EINVAL. */
int isotime_check_date(const char *s);

/* Parses an ISO week "YYYY-Www" into the Monday 00:00 UTC it starts on.
 * Returns 0, or -FAI_EINVAL. */
int isotime_parse_week(const char *s, int64_t *monday);

/* The times fai takes from a person, a file or the environment: years 1900
 * to 2100, UTC (a launch date, the times of an import, $FAI_NOW, --since,
 * --week).  Wider years still parse and format (0000..9999). */
#define ISOTIME_YEAR_MIN 1900
#define ISOTIME_YEAR_MAX 2100
#define ISOTIME_RANGE_MIN (-2208988800LL) /* 1900-01-01T00:00:00Z */
#define ISOTIME_RANGE_MAX (4133980799LL)  /* 2100-12-31T23:59:59Z */

/* Returns 0 when t falls in the years ISOTIME_YEAR_MIN..ISOTIME_YEAR_MAX
 * (UTC), else -FAI_EINVAL. */
int isotime_check_range(int64_t t);

/* Returns whole days from a to b (b - a, rounded down). */
int64_t isotime_days(int64_t a, int64_t b);

#endif
