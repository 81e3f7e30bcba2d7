/* review.h - `fai review`: the weekly pipeline review read from the store
 * and printed as text for the terminal, markdown for a mail, or CSV for
 * Avise (docs/review.md).  The board's review screen reuses review_load
 * and the results of core/review.h. */
#ifndef FAI_TUI_REVIEW_H
#define FAI_TUI_REVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/review.h"
#include "../store/store.h"

enum review_format {
	REVIEW_TEXT,	 /* 80 columns, bars and a chart */
	REVIEW_MARKDOWN, /* headings and tables, to paste in a mail */
	REVIEW_CSV,	 /* one section per table (docs/review.md) */
};

/* Fills the settings part of p from the store: stale.days and the
 * wip.<stage> limits.  Returns 0 or a negative error (err set). */
int review_load_config(struct store *s, struct review_params *p,
		       struct fai_err *err);

/* Builds the review of p as of now from the store: reads every idea once,
 * then the whole log once.  *out is the caller's (review_free).  Returns 0
 * or a negative error (err set). */
int review_load(struct store *s, const struct review_params *p, int64_t now,
		struct review **out, struct fai_err *err);

/* Prints r in format fmt; utf8 chooses Unicode bars and arrows over ASCII
 * (text only).  Stored text is printed display-safe. */
void review_print(FILE *f, const struct review *r, enum review_format fmt,
		  int utf8);

/* Makes the text review of r (the lines review_print writes for
 * REVIEW_TEXT) and hands each line to sink in order, with ctx: len bytes,
 * no newline, display-safe, and the list entry of r the line is about (a
 * new idea, a move, a launch, a stale idea: ev->key is the idea's), or NULL
 * for headings, tables and blank lines.  Both are borrowed for the call. */
void review_text_lines(const struct review *r, int utf8,
		       void (*sink)(void *ctx, const char *line, size_t len,
				    const struct review_event *ev),
		       void *ctx);

#endif
