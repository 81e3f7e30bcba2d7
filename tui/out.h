/* out.h - how stored text reaches a person or a script: display-safe
 * terminal text, cells cut to a width, JSON and TSV escaping, translated
 * labels, the terminal's width. */
#ifndef FAI_OUT_H
#define FAI_OUT_H

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

/* Returns the width of the terminal on stdout, else $COLUMNS, else 80. */
size_t out_term_width(void);

#endif
