/* review.h - the weekly pipeline review, computed from the current ideas and
 * one pass over the activity log (no snapshot job): the pipeline now against
 * the WIP limits, what is new and what moved in the period, what launched,
 * what is stale, the funnel from need to launched, time spent in each stage,
 * the cumulative flow of the last 12 weeks, and breakdowns by facilitator
 * and by region.  docs/review.md defines every figure.
 *
 * Use: review_new(params); review_idea() for every current idea; then
 * review_feed() for every log entry in log order; then review_finish(now);
 * read the public results; review_free().  Ideas must all be given before
 * the first log entry: the filters (region, facilitator) are judged on each
 * idea's current values, and log entries of ideas that do not exist now, or
 * do not pass the filters, are skipped as they come.  Entries at or after
 * the period's end are skipped too (but for a period that ends now, see
 * review_params.now): everything but the "now" sections is as of the
 * period's end.  Costs O(ideas + entries) time, and memory per idea
 * (not per entry) plus the period's lists. */
#ifndef FAI_REVIEW_H
#define FAI_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "idea.h"
#include "log.h"
#include "stage.h"

#define REVIEW_WEEKS 12	     /* weeks of cumulative flow */
#define REVIEW_YEAR_DAYS 365 /* "the last 12 months" */
#define REVIEW_WEEK_LEN 9    /* "2026-W09" and the NUL */
#define REVIEW_DAY 86400
#define REVIEW_WEEK (7 * REVIEW_DAY)

struct review_params {
	int64_t start; /* the period is [start, end) */
	int64_t end;
	int64_t now;		   /* when the review is made (0: not said);
				      log times are whole seconds, so a period
				      that ends now takes in the entries of
				      that very second: [start, now + 1) */
	const char *region;	   /* only ideas of this region code, or NULL */
	const char *facilitator;   /* only ideas whose facilitator contains
				      this (accents and case ignored), or NULL */
	int facilitator_whole;	   /* ... is this whole name (filter.h) */
	long stale_days;	   /* no activity for this many days: stale */
	uint64_t wip[STAGE_COUNT]; /* card limit per stage, 0 = none */
};

/* How a stage change reads in the meeting. */
enum review_class {
	REVIEW_FORWARD, /* to a later pipeline stage */
	REVIEW_SETBACK, /* to an earlier pipeline stage */
	REVIEW_HOLD,	/* to on_hold */
	REVIEW_ABANDON, /* to abandoned (from anywhere, on_hold included) */
	REVIEW_RESUME,	/* from on_hold to a pipeline stage */
	REVIEW_REOPEN,	/* from abandoned to a pipeline stage */
	REVIEW_CLASS_COUNT
};

/* One line of a list: a new idea, a move, a launch or a stale idea.  The
 * strings belong to the review and live until review_free. */
struct review_event {
	uint64_t key;
	const char *ref, *title, *facilitator, *region; /* current values */
	const char *structure; /* current structure ("" when none) */
	long jobs;	       /* current jobs, -1 when unknown */
	enum stage stage;      /* current stage */
	int64_t at;	       /* when: created, moved, last activity */
	const char *user;      /* who (new ideas and moves), else "" */
	enum log_kind kind;    /* CREATE, MOVE, UNDO or IMPORT */
	enum stage from, to;   /* moves */
	enum review_class cls; /* moves */
	int forced;	       /* a gate passed with --force */
	const char *reason;    /* hold and abandon reason, else "" */
	long days;	       /* stale: whole days without activity */
};

struct review_list {
	struct review_event *v;
	size_t n;
};

/* Whole days: count of values, nearest-rank median and 90th percentile,
 * largest; the last three are -1 when n is 0. */
struct review_stat {
	uint64_t n;
	long median, p90, max;
};

/* Ideas per stage at the end of one ISO week (Sunday 24:00 UTC). */
struct review_week {
	int64_t end;		     /* the Monday 00:00 UTC that ends it */
	char label[REVIEW_WEEK_LEN]; /* "2026-W09" */
	uint64_t count[STAGE_COUNT];
	uint64_t total;
};

/* A facilitator's or a region's figures (name "" for no facilitator). */
struct review_group {
	const char *name;
	uint64_t count[STAGE_COUNT]; /* ideas per current stage */
	uint64_t total;
	uint64_t new_ideas, moves, launched; /* in the period */
};

struct review_priv;

struct review {
	struct review_params params; /* a copy; strings owned by the review */
	int64_t now;		     /* as given to review_finish */
	int64_t year_start;	     /* end - 365 days: funnel and stays */

	/* The pipeline now (the same ideas as `fai list`). */
	uint64_t count[STAGE_COUNT];
	uint64_t total;

	/* The period. */
	struct review_list new_ideas; /* first appearance, in log order */
	struct review_list moves;     /* stage changes, in log order */
	uint64_t nclass[REVIEW_CLASS_COUNT];
	struct review_list launched; /* entered launched from a pipeline
					stage, one line per idea */
	struct review_list stale;    /* oldest activity first */

	/* Funnel: ideas whose first entry into need is in [year_start, end);
	 * reached[s] of them entered s or a later pipeline stage afterwards
	 * (reached[STAGE_NEED] is the cohort); reached[on_hold] and
	 * reached[abandoned]: put on hold, abandoned at some point after. */
	uint64_t cohort;
	uint64_t reached[STAGE_COUNT];

	/* Time in stage: stays that ended in [year_start, end), and the
	 * current age in stage of the ideas there now. */
	struct review_stat stay[STAGE_COUNT];
	struct review_stat age[STAGE_COUNT];

	/* Cumulative flow, oldest week first. */
	struct review_week weeks[REVIEW_WEEKS];

	struct review_group *by_facilitator; /* by name, "" last */
	size_t nfacilitators;
	struct review_group *by_region; /* by code */
	size_t nregions;

	struct review_priv *priv;
};

/* Returns a new review for params (copied, strings included); free it with
 * review_free. */
struct review *review_new(const struct review_params *params);
void review_free(struct review *r);

/* Takes one current idea into account (copies what it needs); ideas with
 * key 0 are ignored.  Call for every idea before the first review_feed. */
void review_idea(struct review *r, const struct idea *idea);

/* Takes one log entry into account; entries must come in log order. */
void review_feed(struct review *r, const struct log_entry *e);

/* Computes the results as of now (stale ideas and current ages); call
 * once, after the last review_feed. */
void review_finish(struct review *r, int64_t now);

/* Returns part / whole as a whole percentage rounded half up, or -1 when
 * whole is 0. */
long review_percent(uint64_t part, uint64_t whole);

/* Returns the Monday 00:00 UTC at or before t. */
int64_t review_week_start(int64_t t);

/* Writes the ISO week that starts on the Monday monday as "2026-W09". */
void review_week_label(int64_t monday, char out[REVIEW_WEEK_LEN]);

/* Returns the stable code of a class ("forward", "setback", "hold",
 * "abandon", "resume", "reopen"), or "". */
const char *review_class_code(enum review_class c);

#endif
