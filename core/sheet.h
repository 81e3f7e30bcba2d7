/* sheet.h - what a spreadsheet does to the values of an exchange file, and
 * how an import undoes it (a CSV saved by Calc or Excel, an XLSX file).
 *
 * A spreadsheet reads a code as a number and drops its leading zeros
 * (region 01 -> 1, commune 01053 -> 1053), writes a long one in scientific
 * notation (7,32829E+13), writes dates and times the French way
 * (15/12/2026, 02/12/2026 15:40, local time) or as serial day numbers, a
 * whole number with a decimal comma (3,0), and a Windows-1252 save turns
 * every character that code page lacks into '?'.  Each rule below says
 * when a value can be read back for sure; when it cannot, the import
 * refuses the row. */
#ifndef FAI_SHEET_H
#define FAI_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "idea.h"
#include "isotime.h"

#define SHEET_CODE_MAX 16 /* the longest repaired code (a SIRET), with NUL */

/* Restores the leading zeros of a code of field f (region, territory,
 * SIRET) when the value as given is not valid and exactly one reading with
 * zeros put back is: "1" -> "01", "1053" -> "01053", a 13-digit SIRET
 * whose Luhn check holds with a leading 0.  Returns 1 and writes the code
 * into out (SHEET_CODE_MAX bytes); 0 when v stays as it is. */
int sheet_repair_code(enum idea_field f, const char *v,
		      char out[SHEET_CODE_MAX]);

/* Returns 1 when v is a number in scientific notation, as a spreadsheet
 * shows a long code ("7,32829E+13", "7.32829e13"): its digits are lost. */
int sheet_is_scientific(const char *v);

/* Reads a French date "DD/MM/YYYY" (one-digit day and month too) into
 * "YYYY-MM-DD".  Returns 0, or -1 when v is no such valid date. */
int sheet_date_fr(const char *v, char out[ISODATE_LEN]);

/* Reads a French date and time "DD/MM/YYYY HH:MM[:SS]", a local time in
 * the person's time zone (TZ), into *t.  Returns 0, or -1. */
int sheet_time_fr(const char *v, int64_t *t);

/* Reads a spreadsheet serial day number (days since 1899-12-30, the
 * fraction the time of day, local time) into *t.  A whole number gives
 * midnight UTC of that day, as a date.  Returns 0, or -1 out of range
 * (before 1900-03-01, after 2100). */
int sheet_serial_time(double serial, int local, int64_t *t);

/* Returns 1 when the instants a and b (seconds, UTC) show the same local
 * date and time in the person's time zone: the two readings of a time in
 * the hour that repeats when clocks go back (02:30 on the last Sunday of
 * October, in Paris) that a local time written by a spreadsheet cannot
 * tell apart.  0 otherwise. */
int sheet_same_local_time(int64_t a, int64_t b);

/* Reads a whole number a spreadsheet may have written with a decimal
 * comma or point and zero decimals ("3,0", "3.00") or with spaces
 * between thousands ("1 200", no-break spaces too) into out as digits.
 * Returns 1 when v changed, 0 when it is left as it is (already plain, or
 * not such a number). */
int sheet_whole_number(const char *v, char *out, size_t size);

/* Returns 1 when incoming is stored as a Windows-1252 save leaves it:
 * equal, except that each character of stored that Windows-1252 cannot
 * hold is one '?' in incoming (or two, for a character beyond U+FFFF,
 * as programs counting UTF-16 units write it), and at least one such
 * character was replaced.  Returns 0 otherwise. */
int sheet_cp1252_lossy_equal(const char *stored, const char *incoming);

#endif
