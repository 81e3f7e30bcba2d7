/* review_int.h - what the renderings of `fai review` share (private to
 * tui/): the words of a move, dates and numbers as the review writes them.
 * review.c loads the review and dispatches; review_text.c draws it for a
 * terminal, review_files.c writes it as markdown and CSV. */
#ifndef FAI_TUI_REVIEW_INT_H
#define FAI_TUI_REVIEW_INT_H

#include <stdint.h>
#include <stdio.h>

#include "../core/review.h"
#include "../core/xmalloc.h"
#include "review.h"

#define RT_WIDTH 80 /* text: every line fits 80 columns */

/* review.c */
extern const char *const rv_stage_col[STAGE_COUNT];
const char *rv_class_title(enum review_class c);
/* How a move came about, when not by fai move: "by an undo". */
const char *rv_move_how(enum log_kind k);
extern const enum review_class rv_class_order[REVIEW_CLASS_COUNT];
const char *rv_how_code(enum log_kind k);
/* "2026-03-04" */
void rv_day(int64_t t, char out[ISODATE_LEN]);
/* The last day of [start, end): end is exclusive. */
void rv_last_day(const struct review *r, char out[ISODATE_LEN]);
/* The review's heading, appended to three buffers: its title ("Pipeline
 * review, A to B"), its scope (region and facilitator, "" when none) and
 * when it was made with the stale limit. */
void rv_heading(const struct review *r, struct buf *title, struct buf *scope,
		struct buf *asof);
/* The titles of the stale and funnel sections, appended to out. */
void rv_title_stale(const struct review *r, struct buf *out);
void rv_title_funnel(const struct review *r, struct buf *out);
/* A whole number, or "-" when v < 0. */
const char *rv_num(char buf[32], long v);
const char *rv_unum(char buf[32], uint64_t v);
const char *rv_pct(char buf[32], uint64_t part, uint64_t whole);

/* review_text.c */
void review_print_text(FILE *f, const struct review *r, int utf8);

/* review_files.c */
void review_print_markdown(FILE *f, const struct review *r, int utf8);
void review_print_csv(FILE *f, const struct review *r);

#endif
