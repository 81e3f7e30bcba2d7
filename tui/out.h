/* out.h - how stored text reaches a person or a script: display-safe
 * terminal text, cells cut to a width, JSON and TSV escaping, translated
 * labels, the terminal's width. */
#ifndef FAI_OUT_H
#define FAI_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "../core/idea.h"
#include "../core/stage.h"
#include "../core/xmalloc.h"

/* Prints s in its display-safe form (utf8_safe flags). */
void out_safe(FILE *f, const char *s, int flags);

/* Returns the display-safe one-line form of s (NULL gives ""), for a file
 * or user name in a message: it lives in one of four rotating buffers, so
 * it stays valid until the fourth next call. */
const char *out_shown(const char *s);

/* Appends s, display-safe and on one line, cut or padded to exactly width
 * cells. */
void out_cell(struct buf *b, const char *s, size_t width);

/* Prints s as a JSON string literal, with quotes. */
void out_json(FILE *f, const char *s);

/* Prints s for a TSV cell: \\ \t \n \r and other control characters
 * escaped, so a line is one record and nothing drives a terminal. */
void out_tsv(FILE *f, const char *s);

/* Returns the translated label of a field or a stage. */
const char *out_field_label(enum idea_field f);
const char *out_stage_label(enum stage s);

/* Returns the short translated label of a stage, for narrow columns. */
const char *out_stage_short(enum stage s);

/* Returns t (seconds since the epoch) as a person reads it: local time of
 * TZ, "14/06/2026 à 11:20" under a French locale, "2026-06-14 11:20"
 * otherwise (the catalogue's "time" format).  The text lives in one of four
 * rotating buffers, valid until the fourth next out_time/out_date/out_day
 * call. */
const char *out_time(int64_t t);

/* Returns the local time of day of t ("11:20"), as out_time writes it;
 * buffers as out_time. */
const char *out_clock(int64_t t);

/* Returns the local date of t as a person reads it ("14/06/2026",
 * "2026-06-14"); buffers as out_time. */
const char *out_date(int64_t t);

/* Returns a calendar date "YYYY-MM-DD" (a launch date, a review period's
 * UTC day) as a person reads it, without any zone; other text as it is.
 * Buffers as out_time. */
const char *out_day(const char *iso);

/* Returns the UTC day of t as out_day shows it (a review period's bound). */
const char *out_day_of(int64_t t);

/* Returns the width of the terminal on stdout, else $COLUMNS, else 80. */
size_t out_term_width(void);

#endif
