/* datefr.h - the dates a person types, in the forms French people write
 * them, read into the ISO "YYYY-MM-DD" the store keeps. */
#ifndef FAI_DATEFR_H
#define FAI_DATEFR_H

#include "isotime.h"

/* The forms datefr_read and datefr_parse accept (a bit set). */
enum datefr_form {
	DATEFR_ISO = 1,	     /* 2026-12-15 */
	DATEFR_SLASH = 2,    /* 15/12/2026, 1/2/2026 */
	DATEFR_SLASH_YY = 4, /* 15/12/26: 00..69 are 2000..2069, 70..99 are
			      * 1970..1999 (POSIX strptime's %y rule) */
	DATEFR_MONTH = 8,    /* 15 déc. 2026, 15 decembre 2026, 1er mai 2026,
			      * 15 Dec 2026 (French or English month names,
			      * any case, accents and the dot optional) */
	DATEFR_TYPED = 15,   /* every form: what a person types */
};

/* Reads a date in one of forms at *p into y, m, d and advances *p past it
 * (what follows is the caller's).  The date must exist (no 31/02); the
 * year is any of 0000..9999.  Returns 0, or -FAI_EINVAL with *p as it
 * was. */
int datefr_read(const char **p, unsigned forms, int *y, int *m, int *d);

/* Reads all of s, a date in one of forms, into out as "YYYY-MM-DD".
 * Returns 0, or -FAI_EINVAL when s is no such date (out untouched). */
int datefr_parse(const char *s, unsigned forms, char out[ISODATE_LEN]);

#endif
