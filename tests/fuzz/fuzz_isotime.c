/* fuzz_isotime.c - fuzzes core/isotime.c on arbitrary bytes.
 *
 * A time isotime_parse accepts must format back to a string that parses to
 * the same time (within the four-digit years formatting keeps), and a
 * canonical "YYYY-MM-DDTHH:MM:SSZ" must format back to itself; a date
 * isotime_check_date accepts is midnight and formats back to itself; a week
 * isotime_parse_week accepts starts on a Monday at midnight; isotime_format
 * of any time gives the fixed-length form that parses. */
#include "fuzz.h"

#include "../../core/isotime.h"

#define FUZZ_TMIN (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define FUZZ_TMAX (253402300799LL) /* 9999-12-31T23:59:59Z */
#define FUZZ_DAY 86400

static int64_t fuzz_fdiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if (a % b != 0 && a < 0)
		q--;
	return q;
}

static void fuzz_format(int64_t t)
{
	char out[ISOTIME_LEN], date[ISODATE_LEN];
	int64_t back;

	isotime_format(t, out);
	FUZZ_CHECK(strlen(out) == ISOTIME_LEN - 1, "format gave \"%s\"", out);
	FUZZ_CHECK(isotime_parse(out, &back) == 0, "\"%s\" does not parse",
		   out);
	if (t >= FUZZ_TMIN && t <= FUZZ_TMAX)
		FUZZ_CHECK(back == t, "%lld -> %s -> %lld", (long long)t, out,
			   (long long)back);
	isotime_format_date(t, date);
	FUZZ_CHECK(strlen(date) == ISODATE_LEN - 1 &&
		       memcmp(date, out, ISODATE_LEN - 1) == 0,
		   "date %s of %s", date, out);
	FUZZ_CHECK(isotime_check_date(date) == 0, "date %s refused", date);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char out[ISOTIME_LEN], date[ISODATE_LEN];
	int64_t t, m, t2;

	if (isotime_parse(s, &t) == 0) {
		isotime_format(t, out);
		if (t >= FUZZ_TMIN && t <= FUZZ_TMAX) {
			FUZZ_CHECK(isotime_parse(out, &t2) == 0 && t2 == t,
				   "\"%s\" -> %lld -> %s", s, (long long)t,
				   out);
		}
		if (strlen(s) == ISOTIME_LEN - 1 && s[10] == 'T' &&
		    s[19] == 'Z')
			FUZZ_CHECK(strcmp(out, s) == 0, "\"%s\" -> %s", s, out);
		fuzz_format(t);
	}
	if (isotime_check_date(s) == 0) {
		FUZZ_CHECK(isotime_parse(s, &t) == 0, "date %s: no time", s);
		FUZZ_CHECK(t % FUZZ_DAY == 0, "date %s not midnight", s);
		isotime_format_date(t, date);
		FUZZ_CHECK(strcmp(date, s) == 0, "date %s -> %s", s, date);
	}
	if (isotime_parse_week(s, &m) == 0) {
		int64_t day = fuzz_fdiv(m, FUZZ_DAY);
		FUZZ_CHECK(m % FUZZ_DAY == 0, "week %s not midnight", s);
		/* 1970-01-01 was a Thursday. */
		FUZZ_CHECK(((day + 3) % 7 + 7) % 7 == 0, "week %s not Monday",
			   s);
	}
	if (size >= 8) {
		uint64_t u = 0;
		for (int i = 0; i < 8; i++)
			u = (u << 8) | data[i];
		fuzz_format((int64_t)u);
		/* Days between two times a store could hold. */
		int64_t a = (int64_t)(u % (uint64_t)(FUZZ_TMAX - FUZZ_TMIN)) +
			    FUZZ_TMIN;
		int64_t d = isotime_days(a, FUZZ_TMAX);
		FUZZ_CHECK(d == fuzz_fdiv(FUZZ_TMAX - a, FUZZ_DAY),
			   "isotime_days");
	}
	free(s);
	return 0;
}
