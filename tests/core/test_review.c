/* test_review.c - the weekly review computed from synthetic log entries:
 * every figure below is worked out by hand in the comments beside it.
 *
 * Unless a test says otherwise the period is the ISO week 2026-W10,
 * [2026-03-02T00:00Z, 2026-03-09T00:00Z); so "the last 12 months" is
 * [2025-03-09T00:00Z, 2026-03-09T00:00Z) (365 days), and the 12 week ends
 * of the cumulative flow are the Mondays 00:00 from 2025-12-22 (the end of
 * 2025-W51) to 2026-03-09 (the end of 2026-W10), one week apart:
 *   W0 12-22  W1 12-29  W2 01-05  W3 01-12  W4 01-19  W5 01-26
 *   W6 02-02  W7 02-09  W8 02-16  W9 02-23  W10 03-02  W11 03-09 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/isotime.h"
#include "../../core/review.h"
#include "../../core/xmalloc.h"

#define START "2026-03-02T00:00:00Z"
#define END "2026-03-09T00:00:00Z"

static int64_t T(const char *iso)
{
	int64_t t = 0;

	assert_int_equal(isotime_parse(iso, &t), 0);
	return t;
}

static struct review *rv_new(const char *start, const char *end,
			     const char *region, const char *facilitator)
{
	struct review_params p;

	memset(&p, 0, sizeof(p));
	p.start = T(start);
	p.end = T(end);
	p.region = region;
	p.facilitator = facilitator;
	p.stale_days = 30;
	return review_new(&p);
}

/* A current idea. */
struct cur {
	uint64_t key;
	const char *ref, *stage, *region, *facilitator;
	const char *updated, *since; /* ISO times, NULL: the period's end */
	const char *structure, *jobs;
};

static void give(struct review *r, struct cur c)
{
	struct idea *idea = idea_new();

	idea->key = c.key;
	idea_set_raw(idea, IDEA_REF, c.ref ? c.ref : "84-0000");
	idea_set_raw(idea, IDEA_TITLE, "Une idée");
	idea_set_raw(idea, IDEA_STAGE, c.stage ? c.stage : "need");
	idea_set_raw(idea, IDEA_REGION, c.region ? c.region : "84");
	idea_set_raw(idea, IDEA_FACILITATOR, c.facilitator);
	idea_set_raw(idea, IDEA_UPDATED_AT, c.updated ? c.updated : END);
	idea_set_raw(idea, IDEA_STAGE_SINCE, c.since ? c.since : END);
	idea_set_raw(idea, IDEA_STRUCTURE, c.structure);
	idea_set_raw(idea, IDEA_JOBS, c.jobs);
	review_idea(r, idea);
	idea_free(idea);
}

/* A log entry: a stage change from -> to (NULL: none), with the
 * stage_since it sets (NULL: the entry's time, as a move or an add does)
 * and the stage_reason. */
struct ent {
	enum log_kind kind;
	uint64_t key;
	const char *at;
	const char *from, *to;
	const char *since;
	const char *reason;
	int forced;
	uint64_t target;
	const char *user;
};

static uint64_t seq;

static uint64_t feed(struct review *r, struct ent x)
{
	struct log_entry e;
	struct log_change ch[3];
	size_t n = 0;

	memset(&e, 0, sizeof(e));
	memset(ch, 0, sizeof(ch));
	e.seq = ++seq;
	e.at = T(x.at);
	e.user = x.user ? x.user : "claire";
	e.kind = x.kind;
	e.idea_key = x.key;
	e.forced = x.forced;
	e.target = x.target;
	if (x.from || x.to) {
		ch[n].name = "stage";
		ch[n].before = x.from;
		ch[n].after = x.to;
		n++;
		ch[n].name = "stage_since";
		ch[n].after = x.since ? x.since : x.at;
		n++;
	}
	if (x.reason) {
		ch[n].name = "stage_reason";
		ch[n].after = x.reason;
		n++;
		e.text = x.reason;
	}
	e.changes = ch;
	e.nchanges = n;
	review_feed(r, &e);
	return e.seq;
}

#define CREATE(k, when, st)                                                    \
	feed(r, (struct ent){                                                  \
		    .kind = LOG_CREATE, .key = (k), .at = (when), .to = (st)})
#define MOVE(k, when, a, b)                                                    \
	feed(r, (struct ent){.kind = LOG_MOVE,                                 \
			     .key = (k),                                       \
			     .at = (when),                                     \
			     .from = (a),                                      \
			     .to = (b)})

static void assert_stat(struct review_stat s, uint64_t n, long median, long p90,
			long max)
{
	assert_int_equal(s.n, n);
	assert_int_equal(s.median, median);
	assert_int_equal(s.p90, p90);
	assert_int_equal(s.max, max);
}

/* ------------------------------------------------------------ degenerate */

static void test_empty(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);
	struct log_entry e;

	(void)state;
	review_free(NULL);
	/* Nothing known: NULL, key 0, an unknown key are all ignored. */
	review_feed(r, NULL);
	review_idea(r, NULL);
	memset(&e, 0, sizeof(e));
	review_feed(r, &e);
	e.idea_key = 99;
	e.at = T("2026-03-03T10:00:00Z");
	review_feed(r, &e);
	seq = 0;
	CREATE(5, "2026-03-03T10:00:00Z", "need"); /* no idea 5 given */
	review_finish(r, T(END));
	review_finish(r, T(END)); /* twice: no effect */

	assert_int_equal(r->total, 0);
	for (int s = 0; s < STAGE_COUNT; s++) {
		assert_int_equal(r->count[s], 0);
		assert_int_equal(r->reached[s], 0);
		assert_stat(r->stay[s], 0, -1, -1, -1);
		assert_stat(r->age[s], 0, -1, -1, -1);
	}
	assert_int_equal(r->new_ideas.n, 0);
	assert_int_equal(r->moves.n, 0);
	assert_int_equal(r->launched.n, 0);
	assert_int_equal(r->stale.n, 0);
	assert_int_equal(r->cohort, 0);
	assert_int_equal(r->nfacilitators, 0);
	assert_int_equal(r->nregions, 0);
	/* 365 days before 2026-03-09 (2025 is not a leap year). */
	assert_true(r->year_start == T("2025-03-09T00:00:00Z"));
	assert_true(r->weeks[0].end == T("2025-12-22T00:00:00Z"));
	assert_true(r->weeks[11].end == T("2026-03-09T00:00:00Z"));
	assert_string_equal(r->weeks[0].label, "2025-W51");
	assert_string_equal(r->weeks[10].label, "2026-W09");
	assert_string_equal(r->weeks[11].label, "2026-W10");
	for (int j = 0; j < REVIEW_WEEKS; j++)
		assert_int_equal(r->weeks[j].total, 0);
	review_free(r);
}

static void test_percent(void **state)
{
	(void)state;
	assert_int_equal(review_percent(0, 0), -1);
	assert_int_equal(review_percent(5, 0), -1);
	assert_int_equal(review_percent(0, 7), 0);
	assert_int_equal(review_percent(7, 7), 100);
	assert_int_equal(review_percent(1, 3), 33);  /* 33.3 */
	assert_int_equal(review_percent(2, 3), 67);  /* 66.7 */
	assert_int_equal(review_percent(1, 8), 13);  /* 12.5: half up */
	assert_int_equal(review_percent(1, 200), 1); /* 0.5: half up */
	assert_int_equal(review_percent(1, 201), 0); /* 0.497 */
}

static void test_weeks(void **state)
{
	char label[REVIEW_WEEK_LEN];

	(void)state;
	/* 2026-03-04 is a Wednesday; its Monday is 03-02. */
	assert_true(review_week_start(T("2026-03-04T12:00:00Z")) ==
		    T("2026-03-02T00:00:00Z"));
	/* A Monday 00:00 is its own week start; a second before is the
	 * previous week's Sunday. */
	assert_true(review_week_start(T("2026-03-02T00:00:00Z")) ==
		    T("2026-03-02T00:00:00Z"));
	assert_true(review_week_start(T("2026-03-01T23:59:59Z")) ==
		    T("2026-02-23T00:00:00Z"));
	/* Before 1970: 1969-12-31 was a Wednesday, its Monday 12-29. */
	assert_true(review_week_start(T("1969-12-31T10:00:00Z")) ==
		    T("1969-12-29T00:00:00Z"));
	assert_true(review_week_start(0) == T("1969-12-29T00:00:00Z"));

	/* ISO weeks: the year is the year of the week's Thursday. */
	review_week_label(T("2026-03-02T00:00:00Z"), label);
	assert_string_equal(label, "2026-W10");
	review_week_label(T("2021-01-04T00:00:00Z"), label);
	assert_string_equal(label, "2021-W01");
	review_week_label(T("2020-12-28T00:00:00Z"), label);
	assert_string_equal(label, "2020-W53");
	review_week_label(T("2024-12-30T00:00:00Z"), label);
	assert_string_equal(label, "2025-W01");
	review_week_label(T("2027-01-01T00:00:00Z"), label); /* a Friday */
	assert_string_equal(label, "2026-W53");

	assert_string_equal(review_class_code(REVIEW_FORWARD), "forward");
	assert_string_equal(review_class_code(REVIEW_REOPEN), "reopen");
	assert_string_equal(review_class_code(REVIEW_CLASS_COUNT), "");
}

/* ------------------------------------------------------------ now */

static void test_now_stale_ages(void **state)
{
	const char *now = "2026-03-09T09:00:00Z";
	struct review *r = rv_new(START, END, NULL, NULL);

	(void)state;
	/* 1: updated 29 days 23 hours ago: 29 whole days, not stale. */
	give(r, (struct cur){.key = 1,
			     .ref = "84-0001",
			     .stage = "need",
			     .updated = "2026-02-07T10:00:00Z",
			     .since = "2026-03-01T09:00:00Z"});
	/* 2: exactly 30 days: stale, 30 days.  In concept since 01-09
	 * 09:00: 22 + 28 + 9 = 59 days. */
	give(r, (struct cur){.key = 2,
			     .ref = "84-0002",
			     .stage = "concept",
			     .updated = "2026-02-07T09:00:00Z",
			     .since = "2026-01-09T09:00:00Z"});
	/* 3: 2025-12-01 to 2026-03-09 is 30 + 31 + 28 + 8 = 98 days (and 9
	 * hours): stale, the oldest. */
	give(r, (struct cur){.key = 3,
			     .ref = "84-0003",
			     .stage = "owner_search",
			     .updated = "2025-12-01T00:00:00Z",
			     .since = "2025-12-01T00:00:00Z"});
	/* 4, 5, 6: launched, on hold, abandoned are never stale. */
	give(r, (struct cur){.key = 4,
			     .stage = "launched",
			     .updated = "2025-01-01T00:00:00Z",
			     .since = "2025-01-01T00:00:00Z"});
	give(r, (struct cur){.key = 5,
			     .stage = "on_hold",
			     .updated = "2025-01-01T00:00:00Z",
			     .since = "2025-01-01T00:00:00Z"});
	give(r, (struct cur){.key = 6,
			     .stage = "abandoned",
			     .updated = "2025-01-01T00:00:00Z",
			     .since = "2025-01-01T00:00:00Z"});
	/* 7: in need since 23:59:59 ago: 0 days. */
	give(r, (struct cur){.key = 7,
			     .ref = "84-0007",
			     .stage = "need",
			     .updated = "2026-03-08T09:00:01Z",
			     .since = "2026-03-08T09:00:01Z"});
	review_finish(r, T(now));

	assert_int_equal(r->count[STAGE_NEED], 2);
	assert_int_equal(r->count[STAGE_CONCEPT], 1);
	assert_int_equal(r->count[STAGE_OWNER_SEARCH], 1);
	assert_int_equal(r->count[STAGE_LAUNCHED], 1);
	assert_int_equal(r->count[STAGE_ON_HOLD], 1);
	assert_int_equal(r->count[STAGE_ABANDONED], 1);
	assert_int_equal(r->total, 7);

	assert_int_equal(r->stale.n, 2);
	assert_string_equal(r->stale.v[0].ref, "84-0003");
	assert_int_equal(r->stale.v[0].days, 98);
	assert_int_equal(r->stale.v[0].stage, STAGE_OWNER_SEARCH);
	assert_string_equal(r->stale.v[1].ref, "84-0002");
	assert_int_equal(r->stale.v[1].days, 30);

	/* Ages in need: idea 1 since 03-01 09:00 (8 days), idea 7 (0):
	 * sorted {0, 8}; median rank ceil(2/2) = 1 -> 0; 90th rank
	 * ceil(1.8) = 2 -> 8. */
	assert_stat(r->age[STAGE_NEED], 2, 0, 8, 8);
	assert_stat(r->age[STAGE_CONCEPT], 1, 59, 59, 59);
	assert_stat(r->age[STAGE_OWNER_SEARCH], 1, 98, 98, 98);
	/* 2025-01-01 to 2026-03-09 09:00: 365 + 31 + 28 + 8 = 432 days. */
	assert_stat(r->age[STAGE_LAUNCHED], 1, 432, 432, 432);
	review_free(r);
}

/* ------------------------------------------------------------ time in stage */

static void test_percentiles(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);
	char when[32];
	uint64_t k;

	(void)state;
	seq = 0;
	for (k = 1; k <= 15; k++)
		give(r, (struct cur){.key = k, .stage = "concept"});
	/* Ideas 1..10 enter need on 2026-01-01 and leave it i days and 23
	 * hours later: whole days {1, ..., 10}.  Median: rank ceil(10 *
	 * 50 / 100) = 5 -> 5; 90th: rank ceil(10 * 90 / 100) = 9 -> 9. */
	for (k = 1; k <= 10; k++) {
		CREATE(k, "2026-01-01T00:00:00Z", "need");
		snprintf(when, sizeof(when), "2026-01-%02dT23:00:00Z",
			 (int)k + 1);
		MOVE(k, when, "need", "concept");
	}
	/* 11 and 12 arrive in owner_search on 02-01 and launch after 3 and
	 * 10 days: {3, 10}; median rank 1 -> 3, 90th rank ceil(1.8) = 2
	 * -> 10. */
	CREATE(11, "2026-02-01T00:00:00Z", "owner_search");
	CREATE(12, "2026-02-01T00:00:00Z", "owner_search");
	MOVE(11, "2026-02-04T00:00:00Z", "owner_search", "launched");
	MOVE(12, "2026-02-11T00:00:00Z", "owner_search", "launched");
	/* 13, 14, 15 stay on hold 1, 9 and 5 days: {1, 5, 9}; median rank
	 * ceil(1.5) = 2 -> 5; 90th rank ceil(2.7) = 3 -> 9. */
	CREATE(13, "2026-02-01T00:00:00Z", "need");
	CREATE(14, "2026-02-01T00:00:00Z", "need");
	CREATE(15, "2026-02-01T00:00:00Z", "need");
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 13,
			     .at = "2026-02-02T00:00:00Z",
			     .from = "need",
			     .to = "on_hold",
			     .reason = "r"});
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 14,
			     .at = "2026-02-02T00:00:00Z",
			     .from = "need",
			     .to = "on_hold",
			     .reason = "r"});
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 15,
			     .at = "2026-02-02T00:00:00Z",
			     .from = "need",
			     .to = "on_hold",
			     .reason = "r"});
	MOVE(13, "2026-02-03T00:00:00Z", "on_hold", "need");
	MOVE(14, "2026-02-11T00:00:00Z", "on_hold", "need");
	MOVE(15, "2026-02-07T00:00:00Z", "on_hold", "need");
	/* ...and each of them had stayed one day in need before. */
	review_finish(r, T(END));

	/* need: {1..10} and three 1-day stays: {1,1,1,1,2,...,10}, 13
	 * values; median rank ceil(6.5) = 7 -> 4 (1,1,1,1,2,3,4); 90th rank
	 * ceil(11.7) = 12 -> 9; largest 10. */
	assert_stat(r->stay[STAGE_NEED], 13, 4, 9, 10);
	assert_stat(r->stay[STAGE_OWNER_SEARCH], 2, 3, 10, 10);
	assert_stat(r->stay[STAGE_ON_HOLD], 3, 5, 9, 9);
	assert_stat(r->stay[STAGE_CONCEPT], 0, -1, -1, -1);
	assert_stat(r->stay[STAGE_LAUNCHED], 0, -1, -1, -1);
	review_free(r);
}

static void test_stay_window(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);

	(void)state;
	seq = 0;
	for (uint64_t k = 1; k <= 4; k++)
		give(r, (struct cur){.key = k, .stage = "concept"});
	/* 1 leaves need exactly at the window's start, after 8 days:
	 * counted. */
	CREATE(1, "2025-03-01T00:00:00Z", "need");
	MOVE(1, "2025-03-09T00:00:00Z", "need", "concept");
	/* 2 leaves one second earlier: not counted. */
	CREATE(2, "2025-03-01T00:00:00Z", "need");
	MOVE(2, "2025-03-08T23:59:59Z", "need", "concept");
	/* 3 leaves one second before the period's end after 7 days, 23
	 * hours, 59 minutes and 59 seconds: counted as 7 days. */
	CREATE(3, "2026-03-01T00:00:00Z", "need");
	MOVE(3, "2026-03-08T23:59:59Z", "need", "concept");
	/* 4 leaves at the end itself: after the period, not seen. */
	CREATE(4, "2026-03-01T00:00:00Z", "need");
	MOVE(4, "2026-03-09T00:00:00Z", "need", "concept");
	review_finish(r, T(END));

	/* {7, 8}: median rank 1 -> 7, 90th rank 2 -> 8. */
	assert_stat(r->stay[STAGE_NEED], 2, 7, 8, 8);
	/* Only idea 3 moved in [03-02, 03-09). */
	assert_int_equal(r->moves.n, 1);
	assert_int_equal(r->moves.v[0].key, 3);
	/* 3 and 4 were created on 03-01, before the period: not new. */
	assert_int_equal(r->new_ideas.n, 0);
	review_free(r);
}

/* An import's stage change enters the stage when the file says, unless
 * that is before the idea's previous change here or after the import. */
static void test_import_since(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "owner_search"});
	give(r, (struct cur){.key = 2, .stage = "owner_search"});
	give(r, (struct cur){.key = 3, .stage = "launched"});
	/* 1: the file says concept since 02-10: concept 02-10 -> 03-01 is
	 * 19 days. */
	CREATE(1, "2026-02-01T00:00:00Z", "need");
	feed(r, (struct ent){.kind = LOG_IMPORT,
			     .key = 1,
			     .at = "2026-02-20T00:00:00Z",
			     .from = "need",
			     .to = "concept",
			     .since = "2026-02-10T00:00:00Z"});
	MOVE(1, "2026-03-01T00:00:00Z", "concept", "owner_search");
	/* 2: the file says 01-15, before it entered need here (02-01): the
	 * import's own time counts, 02-20 -> 03-01 is 9 days. */
	CREATE(2, "2026-02-01T00:00:00Z", "need");
	feed(r, (struct ent){.kind = LOG_IMPORT,
			     .key = 2,
			     .at = "2026-02-20T00:00:00Z",
			     .from = "need",
			     .to = "concept",
			     .since = "2026-01-15T00:00:00Z"});
	MOVE(2, "2026-03-01T00:00:00Z", "concept", "owner_search");
	/* 3: the file says 2027 (after the import, to owner_search): the
	 * import's time, 02-20 -> 03-01 is 9 days in owner_search. */
	CREATE(3, "2026-02-01T00:00:00Z", "need");
	feed(r, (struct ent){.kind = LOG_IMPORT,
			     .key = 3,
			     .at = "2026-02-20T00:00:00Z",
			     .from = "need",
			     .to = "owner_search",
			     .since = "2027-01-01T00:00:00Z"});
	MOVE(3, "2026-03-01T00:00:00Z", "owner_search", "launched");
	review_finish(r, T(END));

	/* concept {9, 19}: median rank 1 -> 9, 90th rank 2 -> 19; need
	 * three stays of 19 days (02-01 -> 02-20). */
	assert_stat(r->stay[STAGE_CONCEPT], 2, 9, 19, 19);
	assert_stat(r->stay[STAGE_OWNER_SEARCH], 1, 9, 9, 9);
	assert_stat(r->stay[STAGE_NEED], 3, 19, 19, 19);
	review_free(r);
}

/* ------------------------------------------------------------ funnel */

static void test_funnel(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "launched"});
	give(r, (struct cur){.key = 2, .stage = "concept"});
	give(r, (struct cur){.key = 3, .stage = "concept"});
	give(r, (struct cur){.key = 4, .stage = "need"});
	give(r, (struct cur){.key = 5, .stage = "launched"});
	give(r, (struct cur){.key = 6, .stage = "abandoned"});
	give(r, (struct cur){.key = 7, .stage = "concept"});
	give(r, (struct cur){.key = 8, .stage = "need"});

	/* 1 enters need at the window's very start: in the cohort; it goes
	 * all the way to launched. */
	CREATE(1, "2025-03-09T00:00:00Z", "need");
	MOVE(1, "2025-04-01T00:00:00Z", "need", "concept");
	MOVE(1, "2025-06-01T00:00:00Z", "concept", "owner_search");
	MOVE(1, "2025-09-01T00:00:00Z", "owner_search", "launched");
	/* 2 entered need one second before the window: out. */
	CREATE(2, "2025-03-08T23:59:59Z", "need");
	MOVE(2, "2025-04-01T00:00:00Z", "need", "concept");
	/* 3 arrives at concept (imported), is sent back to need on 06-01
	 * (its first entry into need: in), then reaches concept again. */
	feed(r, (struct ent){.kind = LOG_IMPORT,
			     .key = 3,
			     .at = "2025-05-01T00:00:00Z",
			     .to = "concept"});
	MOVE(3, "2025-06-01T00:00:00Z", "concept", "need");
	MOVE(3, "2025-07-01T00:00:00Z", "need", "concept");
	/* 4 is imported in October at need, but the file says it entered
	 * need in 2024-12: out. */
	feed(r, (struct ent){.kind = LOG_IMPORT,
			     .key = 4,
			     .at = "2025-10-01T00:00:00Z",
			     .to = "need",
			     .since = "2024-12-01T00:00:00Z"});
	/* 5: an import takes it from need straight to launched: it counts
	 * as having reached concept and owner_search too. */
	CREATE(5, "2025-11-01T00:00:00Z", "need");
	feed(r, (struct ent){.kind = LOG_IMPORT,
			     .key = 5,
			     .at = "2026-01-15T00:00:00Z",
			     .from = "need",
			     .to = "launched"});
	/* 6: on hold, resumed, abandoned: in both side rows. */
	CREATE(6, "2026-01-10T00:00:00Z", "need");
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 6,
			     .at = "2026-01-20T00:00:00Z",
			     .from = "need",
			     .to = "on_hold",
			     .reason = "attente"});
	MOVE(6, "2026-02-01T00:00:00Z", "on_hold", "need");
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 6,
			     .at = "2026-02-10T00:00:00Z",
			     .from = "need",
			     .to = "abandoned",
			     .reason = "doublon"});
	/* 7 enters need one second before the end (in) and moves on at the
	 * end itself (after the period: not reached). */
	CREATE(7, "2026-03-08T23:59:59Z", "need");
	MOVE(7, "2026-03-09T00:00:00Z", "need", "concept");
	/* 8 enters need at the end: out. */
	CREATE(8, "2026-03-09T00:00:00Z", "need");
	review_finish(r, T(END));

	/* Cohort: 1, 3, 5, 6, 7. */
	assert_int_equal(r->cohort, 5);
	assert_int_equal(r->reached[STAGE_NEED], 5);
	assert_int_equal(r->reached[STAGE_CONCEPT], 3);	     /* 1, 3, 5 */
	assert_int_equal(r->reached[STAGE_OWNER_SEARCH], 2); /* 1, 5 */
	assert_int_equal(r->reached[STAGE_LAUNCHED], 2);     /* 1, 5 */
	assert_int_equal(r->reached[STAGE_ON_HOLD], 1);	     /* 6 */
	assert_int_equal(r->reached[STAGE_ABANDONED], 1);    /* 6 */
	assert_int_equal(review_percent(r->reached[STAGE_CONCEPT], r->cohort),
			 60);
	assert_int_equal(review_percent(r->reached[STAGE_LAUNCHED], r->cohort),
			 40);
	review_free(r);
}

/* ------------------------------------------------------------ flow */

static void test_flow(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);
	/* Expected counts per week end, worked out below. */
	static const uint64_t need[12] = {1, 2, 3, 2, 2, 2, 2, 2, 1, 1, 1, 2};
	static const uint64_t concept[12] = {0, 0, 0, 1, 1, 1,
					     1, 1, 1, 1, 1, 1};
	static const uint64_t hold[12] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "concept"});
	give(r, (struct cur){.key = 2, .stage = "need"});
	give(r, (struct cur){.key = 3, .stage = "need"});
	give(r, (struct cur){.key = 4, .stage = "need"});
	give(r, (struct cur){.key = 5, .stage = "on_hold"});
	/* 1: at need before W0, so at need at W0, W1, W2; it moves at W2's
	 * very instant (Monday 00:00), which belongs to the next week: at
	 * concept from W3 on. */
	CREATE(1, "2025-11-01T00:00:00Z", "need");
	/* 5: created at W0's instant: not there at W0, at need from W1;
	 * on hold on 02-10 (between W7 and W8): on hold from W8. */
	CREATE(5, "2025-12-22T00:00:00Z", "need");
	/* 2: created on Sunday 01-04 23:59:59: at need at W2 (01-05). */
	CREATE(2, "2026-01-04T23:59:59Z", "need");
	MOVE(1, "2026-01-05T00:00:00Z", "need", "concept");
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 5,
			     .at = "2026-02-10T00:00:00Z",
			     .from = "need",
			     .to = "on_hold",
			     .reason = "pause"});
	/* 4: created 03-08, between W10 and W11: only at W11. */
	CREATE(4, "2026-03-08T12:00:00Z", "need");
	/* 3: created at the end: not in the flow. */
	CREATE(3, "2026-03-09T00:00:00Z", "need");
	review_finish(r, T(END));

	/* need: W0 {1}; W1 {1,5}; W2 {1,5,2}; W3-W7 {5,2}; W8-W10 {2};
	 * W11 {2,4}.  concept {1} from W3; on_hold {5} from W8. */
	for (int j = 0; j < REVIEW_WEEKS; j++) {
		assert_int_equal(r->weeks[j].count[STAGE_NEED], need[j]);
		assert_int_equal(r->weeks[j].count[STAGE_CONCEPT], concept[j]);
		assert_int_equal(r->weeks[j].count[STAGE_ON_HOLD], hold[j]);
		assert_int_equal(r->weeks[j].count[STAGE_LAUNCHED], 0);
		assert_int_equal(r->weeks[j].total,
				 need[j] + concept[j] + hold[j]);
	}
	/* Now: 3 at need (2, 3, 4), whatever the flow says. */
	assert_int_equal(r->count[STAGE_NEED], 3);
	review_free(r);
}

/* A week end that falls before the period's end: --week of the past. */
static void test_flow_past_week(void **state)
{
	/* The period 2026-W02 ends on 2026-01-12: the last week end. */
	struct review *r =
	    rv_new("2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", NULL, NULL);

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "launched"});
	CREATE(1, "2026-01-06T00:00:00Z", "need");
	MOVE(1, "2026-01-07T00:00:00Z", "need", "concept");
	/* After the period: no effect on anything historical. */
	MOVE(1, "2026-01-20T00:00:00Z", "concept", "owner_search");
	review_finish(r, T("2026-03-09T00:00:00Z"));

	assert_string_equal(r->weeks[11].label, "2026-W02");
	assert_true(r->weeks[11].end == T("2026-01-12T00:00:00Z"));
	assert_int_equal(r->weeks[11].count[STAGE_CONCEPT], 1);
	assert_int_equal(r->weeks[11].total, 1);
	assert_int_equal(r->weeks[10].total, 0);
	assert_int_equal(r->new_ideas.n, 1);
	assert_int_equal(r->moves.n, 1);
	assert_int_equal(r->reached[STAGE_CONCEPT], 1);
	assert_int_equal(r->reached[STAGE_OWNER_SEARCH], 0);
	/* The pipeline now is now: launched. */
	assert_int_equal(r->count[STAGE_LAUNCHED], 1);
	review_free(r);
}

/* ------------------------------------------------------------ lists */

static void test_moves(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);
	uint64_t m3, m7;
	const struct review_event *m;

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1,
			     .ref = "84-0001",
			     .stage = "concept",
			     .facilitator = "Claire Mercier"});
	give(r, (struct cur){.key = 2,
			     .ref = "84-0002",
			     .stage = "need",
			     .facilitator = "Claire Mercier"});
	give(r, (struct cur){.key = 3,
			     .ref = "84-0003",
			     .stage = "concept",
			     .facilitator = "Yanis Benali"});
	give(r, (struct cur){.key = 4,
			     .ref = "84-0004",
			     .stage = "launched",
			     .facilitator = "Yanis Benali",
			     .structure = "SCIC Roue Libre",
			     .jobs = "3"});
	give(r, (struct cur){.key = 5,
			     .ref = "93-0001",
			     .stage = "owner_search",
			     .region = "93"});
	give(r, (struct cur){.key = 6,
			     .ref = "84-0006",
			     .stage = "need",
			     .facilitator = "Élodie Durand"});
	give(r, (struct cur){.key = 7,
			     .ref = "84-0007",
			     .stage = "need",
			     .facilitator = "Élodie Durand"});
	give(r, (struct cur){.key = 8,
			     .ref = "84-0008",
			     .stage = "launched",
			     .facilitator = "Élodie Durand"});

	/* Before the period. */
	CREATE(8, "2025-12-01T00:00:00Z", "launched");
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 8,
			     .at = "2026-01-05T00:00:00Z",
			     .from = "launched",
			     .to = "on_hold",
			     .reason = "saison"});
	CREATE(3, "2026-01-10T00:00:00Z", "need");
	MOVE(3, "2026-01-20T00:00:00Z", "need", "concept");
	CREATE(1, "2026-02-01T00:00:00Z", "need");
	CREATE(4, "2026-02-01T00:00:00Z", "need");
	CREATE(6, "2026-02-01T00:00:00Z", "need");
	CREATE(7, "2026-02-01T00:00:00Z", "need");
	MOVE(4, "2026-02-10T00:00:00Z", "need", "concept");
	MOVE(4, "2026-02-20T00:00:00Z", "concept", "owner_search");
	m7 = MOVE(7, "2026-02-20T00:00:00Z", "need", "concept");

	/* The period. */
	/* M1 forward, gate forced, at the period's very start. */
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 1,
			     .at = "2026-03-02T00:00:00Z",
			     .from = "need",
			     .to = "concept",
			     .forced = 1});
	/* M2 hold. */
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 3,
			     .at = "2026-03-03T09:00:00Z",
			     .from = "concept",
			     .to = "on_hold",
			     .reason = "attente du financement"});
	/* New: 2 (added by yanis), 5 (imported). */
	feed(r, (struct ent){.kind = LOG_CREATE,
			     .key = 2,
			     .at = "2026-03-03T10:00:00Z",
			     .to = "need",
			     .user = "yanis"});
	feed(r, (struct ent){.kind = LOG_IMPORT,
			     .key = 5,
			     .at = "2026-03-03T10:30:00Z",
			     .to = "concept",
			     .since = "2026-02-15T00:00:00Z"});
	/* M3 and its undo: the move disappears, the undo is not listed. */
	m3 = MOVE(6, "2026-03-03T11:00:00Z", "need", "concept");
	feed(r, (struct ent){.kind = LOG_UNDO,
			     .key = 6,
			     .at = "2026-03-03T11:05:00Z",
			     .from = "concept",
			     .to = "need",
			     .since = "2026-02-01T00:00:00Z",
			     .target = m3});
	MOVE(2, "2026-03-04T09:00:00Z", "need", "concept");	     /* M4 */
	MOVE(4, "2026-03-04T10:00:00Z", "owner_search", "launched"); /* M5 */
	/* M6: the undo of a move made before the period: a setback. */
	feed(r, (struct ent){.kind = LOG_UNDO,
			     .key = 7,
			     .at = "2026-03-04T11:00:00Z",
			     .from = "concept",
			     .to = "need",
			     .since = "2026-02-01T00:00:00Z",
			     .target = m7});
	MOVE(2, "2026-03-05T09:00:00Z", "concept", "need");	/* M7 */
	MOVE(3, "2026-03-05T10:00:00Z", "on_hold", "concept");	/* M8 */
	MOVE(8, "2026-03-05T11:00:00Z", "on_hold", "launched"); /* M9 */
	feed(r, (struct ent){.kind = LOG_MOVE,
			     .key = 3, /* M10 */
			     .at = "2026-03-06T09:00:00Z",
			     .from = "concept",
			     .to = "abandoned",
			     .reason = "doublon"});
	feed(r, (struct ent){.kind = LOG_IMPORT,
			     .key = 5, /* M11 */
			     .at = "2026-03-06T10:00:00Z",
			     .from = "concept",
			     .to = "owner_search"});
	MOVE(3, "2026-03-07T09:00:00Z", "abandoned", "concept"); /* M12 */
	review_finish(r, T(END));

	/* 11 moves: forward M1 M4 M5 M11; setback M6 M7; hold M2; resume
	 * M8 M9; abandon M10; reopen M12. */
	assert_int_equal(r->moves.n, 11);
	assert_int_equal(r->nclass[REVIEW_FORWARD], 4);
	assert_int_equal(r->nclass[REVIEW_SETBACK], 2);
	assert_int_equal(r->nclass[REVIEW_HOLD], 1);
	assert_int_equal(r->nclass[REVIEW_RESUME], 2);
	assert_int_equal(r->nclass[REVIEW_ABANDON], 1);
	assert_int_equal(r->nclass[REVIEW_REOPEN], 1);

	m = &r->moves.v[0]; /* M1 */
	assert_string_equal(m->ref, "84-0001");
	assert_int_equal(m->cls, REVIEW_FORWARD);
	assert_int_equal(m->forced, 1);
	assert_int_equal(m->from, STAGE_NEED);
	assert_int_equal(m->to, STAGE_CONCEPT);
	m = &r->moves.v[1]; /* M2 */
	assert_int_equal(m->cls, REVIEW_HOLD);
	assert_string_equal(m->reason, "attente du financement");
	assert_int_equal(m->forced, 0);
	m = &r->moves.v[2]; /* M4: M3 is gone */
	assert_string_equal(m->ref, "84-0002");
	assert_int_equal(m->cls, REVIEW_FORWARD);
	assert_string_equal(m->reason, "");
	m = &r->moves.v[4]; /* M6 */
	assert_string_equal(m->ref, "84-0007");
	assert_int_equal(m->cls, REVIEW_SETBACK);
	assert_int_equal(m->kind, LOG_UNDO);
	m = &r->moves.v[7]; /* M9: a resume to launched is no launch */
	assert_string_equal(m->ref, "84-0008");
	assert_int_equal(m->cls, REVIEW_RESUME);
	m = &r->moves.v[8]; /* M10 */
	assert_int_equal(m->cls, REVIEW_ABANDON);
	assert_string_equal(m->reason, "doublon");
	m = &r->moves.v[9]; /* M11 */
	assert_string_equal(m->ref, "93-0001");
	assert_int_equal(m->kind, LOG_IMPORT);
	assert_int_equal(m->cls, REVIEW_FORWARD);
	m = &r->moves.v[10]; /* M12 */
	assert_int_equal(m->cls, REVIEW_REOPEN);
	assert_int_equal(m->from, STAGE_ABANDONED);

	assert_int_equal(r->new_ideas.n, 2);
	assert_string_equal(r->new_ideas.v[0].ref, "84-0002");
	assert_string_equal(r->new_ideas.v[0].user, "yanis");
	assert_int_equal(r->new_ideas.v[0].kind, LOG_CREATE);
	assert_string_equal(r->new_ideas.v[1].ref, "93-0001");
	assert_int_equal(r->new_ideas.v[1].kind, LOG_IMPORT);

	assert_int_equal(r->launched.n, 1);
	assert_string_equal(r->launched.v[0].ref, "84-0004");
	assert_string_equal(r->launched.v[0].structure, "SCIC Roue Libre");
	assert_int_equal(r->launched.v[0].jobs, 3);
	assert_true(r->launched.v[0].at == T("2026-03-04T10:00:00Z"));

	/* By facilitator, sorted accents aside, no facilitator last:
	 * Claire (1, 2): moves M1 M4 M7, new 2; Élodie (6, 7, 8): M6 M9;
	 * Yanis (3, 4): M2 M5 M8 M10 M12, launched 4; none (5): M11, new 5.
	 * Now: Claire need 1 (2) concept 1 (1); Élodie need 2 launched 1;
	 * Yanis concept 1 launched 1; none owner_search 1. */
	assert_int_equal(r->nfacilitators, 4);
	assert_string_equal(r->by_facilitator[0].name, "Claire Mercier");
	assert_int_equal(r->by_facilitator[0].moves, 3);
	assert_int_equal(r->by_facilitator[0].new_ideas, 1);
	assert_int_equal(r->by_facilitator[0].count[STAGE_NEED], 1);
	assert_int_equal(r->by_facilitator[0].count[STAGE_CONCEPT], 1);
	assert_int_equal(r->by_facilitator[0].total, 2);
	assert_string_equal(r->by_facilitator[1].name, "Élodie Durand");
	assert_int_equal(r->by_facilitator[1].moves, 2);
	assert_int_equal(r->by_facilitator[1].count[STAGE_NEED], 2);
	assert_int_equal(r->by_facilitator[1].count[STAGE_LAUNCHED], 1);
	assert_string_equal(r->by_facilitator[2].name, "Yanis Benali");
	assert_int_equal(r->by_facilitator[2].moves, 5);
	assert_int_equal(r->by_facilitator[2].launched, 1);
	assert_string_equal(r->by_facilitator[3].name, "");
	assert_int_equal(r->by_facilitator[3].moves, 1);
	assert_int_equal(r->by_facilitator[3].new_ideas, 1);
	assert_int_equal(r->by_facilitator[3].count[STAGE_OWNER_SEARCH], 1);

	assert_int_equal(r->nregions, 2);
	assert_string_equal(r->by_region[0].name, "84");
	assert_int_equal(r->by_region[0].total, 7);
	assert_int_equal(r->by_region[0].moves, 10);
	assert_int_equal(r->by_region[0].new_ideas, 1);
	assert_int_equal(r->by_region[0].launched, 1);
	assert_string_equal(r->by_region[1].name, "93");
	assert_int_equal(r->by_region[1].total, 1);
	assert_int_equal(r->by_region[1].moves, 1);
	assert_int_equal(r->by_region[1].new_ideas, 1);
	review_free(r);
}

/* Launched twice in the period (sent back, launched again): one line. */
static void test_launched_once(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1, .ref = "84-0001", .stage = "launched"});
	give(r, (struct cur){.key = 2, .ref = "84-0002", .stage = "launched"});
	CREATE(1, "2026-01-01T00:00:00Z", "owner_search");
	CREATE(2, "2026-01-01T00:00:00Z", "owner_search");
	MOVE(1, "2026-03-03T00:00:00Z", "owner_search", "launched");
	MOVE(2, "2026-03-04T00:00:00Z", "owner_search", "launched");
	MOVE(1, "2026-03-05T00:00:00Z", "launched", "owner_search");
	MOVE(1, "2026-03-06T00:00:00Z", "owner_search", "launched");
	review_finish(r, T(END));

	/* In the order of their (last) launch: 2 on 03-04, 1 on 03-06. */
	assert_int_equal(r->launched.n, 2);
	assert_string_equal(r->launched.v[0].ref, "84-0002");
	assert_string_equal(r->launched.v[1].ref, "84-0001");
	assert_true(r->launched.v[1].at == T("2026-03-06T00:00:00Z"));
	assert_int_equal(r->nclass[REVIEW_FORWARD], 3);
	assert_int_equal(r->nclass[REVIEW_SETBACK], 1);
	review_free(r);
}

/* An undone move is taken back everywhere: time in stage, funnel, list. */
static void test_take_back(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);
	uint64_t s, u;

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "concept"});
	give(r, (struct cur){.key = 2, .stage = "concept"});
	give(r, (struct cur){.key = 3, .stage = "need"});
	/* 1: need 01-01, concept 01-11, undone 01-12 (back at need since
	 * 01-01), concept again 01-21: one stay in need of 20 days; the
	 * undone day in concept is no stay. */
	CREATE(1, "2026-01-01T00:00:00Z", "need");
	s = MOVE(1, "2026-01-11T00:00:00Z", "need", "concept");
	feed(r, (struct ent){.kind = LOG_UNDO,
			     .key = 1,
			     .at = "2026-01-12T00:00:00Z",
			     .from = "concept",
			     .to = "need",
			     .since = "2026-01-01T00:00:00Z",
			     .target = s});
	MOVE(1, "2026-01-21T00:00:00Z", "need", "concept");
	/* 2: the same, but the undo is redone on 01-13 (an undo of the
	 * undo): a real change, leaving need after 12 days. */
	CREATE(2, "2026-01-01T00:00:00Z", "need");
	s = MOVE(2, "2026-01-11T00:00:00Z", "need", "concept");
	u = feed(r, (struct ent){.kind = LOG_UNDO,
				 .key = 2,
				 .at = "2026-01-12T00:00:00Z",
				 .from = "concept",
				 .to = "need",
				 .since = "2026-01-01T00:00:00Z",
				 .target = s});
	feed(r, (struct ent){.kind = LOG_UNDO,
			     .key = 2,
			     .at = "2026-01-13T00:00:00Z",
			     .from = "need",
			     .to = "concept",
			     .since = "2026-01-11T00:00:00Z",
			     .target = u});
	/* 3: moved to concept then undone: it never reached concept. */
	CREATE(3, "2026-01-01T00:00:00Z", "need");
	s = MOVE(3, "2026-01-11T00:00:00Z", "need", "concept");
	feed(r, (struct ent){.kind = LOG_UNDO,
			     .key = 3,
			     .at = "2026-01-12T00:00:00Z",
			     .from = "concept",
			     .to = "need",
			     .since = "2026-01-01T00:00:00Z",
			     .target = s});
	review_finish(r, T(END));

	/* need stays {12, 20}: median 12, 90th 20. */
	assert_stat(r->stay[STAGE_NEED], 2, 12, 20, 20);
	assert_stat(r->stay[STAGE_CONCEPT], 0, -1, -1, -1);
	assert_int_equal(r->cohort, 3);
	assert_int_equal(r->reached[STAGE_CONCEPT], 2); /* 1 and 2 */
	/* Flow at W3 (01-12 00:00): 1 and 2 at concept (their undos come
	 * at 01-12 00:00, the next week), 3 at concept too.  At W4
	 * (01-19): 1 and 3 back at need, 2 at concept. */
	assert_int_equal(r->weeks[3].count[STAGE_CONCEPT], 3);
	assert_int_equal(r->weeks[4].count[STAGE_NEED], 2);
	assert_int_equal(r->weeks[4].count[STAGE_CONCEPT], 1);
	assert_int_equal(r->weeks[5].count[STAGE_CONCEPT], 2);
	review_free(r);
}

/* An idea created before the period, whose creation was undone and redone
 * in the period, is not new. */
static void test_recreated_before(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);
	uint64_t c, u;

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "need"});
	c = CREATE(1, "2026-02-20T00:00:00Z", "need");
	u = feed(r, (struct ent){.kind = LOG_UNDO,
				 .key = 1,
				 .at = "2026-02-21T00:00:00Z",
				 .from = "need",
				 .target = c});
	feed(r, (struct ent){.kind = LOG_UNDO,
			     .key = 1,
			     .at = "2026-03-03T00:00:00Z",
			     .to = "need",
			     .target = u});
	review_finish(r, T(END));

	assert_int_equal(r->new_ideas.n, 0);
	assert_int_equal(r->moves.n, 0);
	/* Flow: created 02-20 and deleted 02-21, both between W8 (02-16)
	 * and W9 (02-23): absent at W8, W9 and W10; back on 03-03, after W10
	 * (03-02): at need at W11. */
	assert_int_equal(r->weeks[8].total, 0);
	assert_int_equal(r->weeks[9].total, 0);
	assert_int_equal(r->weeks[10].total, 0);
	assert_int_equal(r->weeks[11].count[STAGE_NEED], 1);
	review_free(r);
}

/* An idea whose creation was undone and redone is new once. */
static void test_recreated(void **state)
{
	struct review *r = rv_new(START, END, NULL, NULL);
	uint64_t c, u;

	(void)state;
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "need"});
	/* 2 was created and its creation undone: not an idea now. */
	c = CREATE(1, "2026-03-03T00:00:00Z", "need");
	CREATE(2, "2026-03-03T00:00:00Z", "need");
	u = feed(r, (struct ent){.kind = LOG_UNDO,
				 .key = 1,
				 .at = "2026-03-03T01:00:00Z",
				 .from = "need",
				 .target = c});
	feed(r, (struct ent){.kind = LOG_UNDO,
			     .key = 1,
			     .at = "2026-03-03T02:00:00Z",
			     .to = "need",
			     .target = u});
	review_finish(r, T(END));

	assert_int_equal(r->new_ideas.n, 1);
	assert_int_equal(r->new_ideas.v[0].key, 1);
	assert_int_equal(r->moves.n, 0);
	assert_int_equal(r->total, 1);
	assert_int_equal(r->weeks[11].count[STAGE_NEED], 1);
	assert_int_equal(r->cohort, 1);
	review_free(r);
}

/* ------------------------------------------------------------ filters */

static void feed_three(struct review *r)
{
	give(r, (struct cur){.key = 1,
			     .ref = "84-0001",
			     .stage = "concept",
			     .facilitator = "Claire Mercier"});
	give(r, (struct cur){.key = 2,
			     .ref = "84-0002",
			     .stage = "concept",
			     .facilitator = "Élodie Durand"});
	give(r, (struct cur){.key = 3,
			     .ref = "93-0001",
			     .stage = "concept",
			     .region = "93",
			     .facilitator = "Élodie Durand"});
	seq = 0;
	for (uint64_t k = 1; k <= 3; k++) {
		CREATE(k, "2026-03-02T10:00:00Z", "need");
		MOVE(k, "2026-03-03T10:00:00Z", "need", "concept");
	}
	review_finish(r, T(END));
}

static void test_filters(void **state)
{
	struct review *r;

	(void)state;
	/* Region 84: ideas 1 and 2. */
	r = rv_new(START, END, "84", NULL);
	feed_three(r);
	assert_int_equal(r->total, 2);
	assert_int_equal(r->moves.n, 2);
	assert_int_equal(r->new_ideas.n, 2);
	assert_int_equal(r->nregions, 1);
	assert_int_equal(r->weeks[11].total, 2);
	assert_int_equal(r->cohort, 2);
	review_free(r);

	/* "elodie" matches "Élodie Durand" (accents and case aside): 2, 3;
	 * its entries only. */
	r = rv_new(START, END, NULL, "elodie");
	feed_three(r);
	assert_int_equal(r->total, 2);
	assert_int_equal(r->moves.n, 2);
	assert_string_equal(r->moves.v[0].ref, "84-0002");
	assert_string_equal(r->moves.v[1].ref, "93-0001");
	assert_int_equal(r->nfacilitators, 1);
	assert_int_equal(r->nregions, 2);
	assert_stat(r->stay[STAGE_NEED], 2, 1, 1, 1);
	review_free(r);

	/* Both: idea 2 alone.  The review keeps its own copy of them. */
	{
		char region[] = "84", fac[] = "DURAND";
		r = rv_new(START, END, region, fac);
		region[0] = fac[0] = 'X';
	}
	feed_three(r);
	assert_string_equal(r->params.region, "84");
	assert_string_equal(r->params.facilitator, "DURAND");
	assert_int_equal(r->total, 1);
	assert_int_equal(r->moves.n, 1);
	assert_string_equal(r->moves.v[0].ref, "84-0002");
	review_free(r);

	/* Nobody. */
	r = rv_new(START, END, "11", NULL);
	feed_three(r);
	assert_int_equal(r->total, 0);
	assert_int_equal(r->moves.n, 0);
	review_free(r);
}

/* ------------------------------------------------------------ volume */

struct step {
	uint64_t key;
	int64_t at;
	enum stage from, to;
	size_t idx;
};

static int step_cmp(const void *a, const void *b)
{
	const struct step *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* 20000 ideas with random histories before the last week end: the flow
 * at the last week end equals the counts now, the funnel is monotone, and
 * nothing leaks or overflows (run under ASan by make asan). */
static void test_bulk(void **state)
{
	const size_t n = 20000;
	struct review *r = rv_new("2026-02-23T00:00:00Z", END, NULL, NULL);
	int64_t t0 = T("2025-06-01T00:00:00Z"), span = T(START) - t0;
	unsigned rnd = 12345;
	enum stage *st = xcalloc(n + 1, sizeof(*st));
	int64_t *at = xcalloc(n + 1, sizeof(*at));
	char when[ISOTIME_LEN], ref[16];
	uint64_t total = 0;

	(void)state;
	seq = 0;
#define RND() (rnd = rnd * 1103515245u + 12345u, (rnd >> 16) & 0x7fff)
	/* Decide each idea's history first: its final stage is its
	 * current one. */
	struct step *steps = xcalloc(n * 9, sizeof(*steps));
	size_t nsteps = 0;
	for (uint64_t k = 1; k <= n; k++) {
		at[k] = t0 + (int64_t)(RND() * 2u) * (span / 70000);
		st[k] = STAGE_NONE;
		steps[nsteps++] =
		    (struct step){k, at[k], STAGE_NONE, STAGE_NEED, 0};
		st[k] = STAGE_NEED;
		int moves = (int)(RND() % 8);
		for (int i = 0; i < moves; i++) {
			enum stage to = (enum stage)(RND() % STAGE_COUNT);
			if (to == st[k])
				continue;
			at[k] += (int64_t)(RND() % 20) * REVIEW_DAY;
			if (at[k] >= T(START))
				break;
			steps[nsteps++] = (struct step){k, at[k], st[k], to, 0};
			st[k] = to;
		}
	}
	for (uint64_t k = 1; k <= n; k++) {
		snprintf(ref, sizeof(ref), "84-%05llu", (unsigned long long)k);
		give(r, (struct cur){.key = k,
				     .ref = ref,
				     .stage = stage_code(st[k]),
				     .facilitator = k % 3 ? "A" : "B"});
	}
	/* Feed the steps in time order (stable: an idea's own order). */
	for (size_t i = 0; i < nsteps; i++)
		steps[i].idx = i;
	qsort(steps, nsteps, sizeof(*steps), step_cmp);
	for (size_t i = 0; i < nsteps; i++) {
		isotime_format(steps[i].at, when);
		feed(r, (struct ent){.kind = steps[i].from == STAGE_NONE
						 ? LOG_CREATE
						 : LOG_MOVE,
				     .key = steps[i].key,
				     .at = when,
				     .from = steps[i].from == STAGE_NONE
						 ? NULL
						 : stage_code(steps[i].from),
				     .to = stage_code(steps[i].to),
				     .reason = "r"});
	}
	review_finish(r, T(END));

	for (int s = 0; s < STAGE_COUNT; s++) {
		assert_int_equal(r->weeks[11].count[s], r->count[s]);
		total += r->count[s];
	}
	assert_int_equal(total, n);
	assert_int_equal(r->total, n);
	for (int s = STAGE_CONCEPT; s < STAGE_PIPELINE_COUNT; s++)
		assert_true(r->reached[s] <= r->reached[s - 1]);
	assert_true(r->cohort > 0 && r->cohort <= n);
	assert_int_equal(r->nfacilitators, 2);
	assert_int_equal(
	    r->by_facilitator[0].total + r->by_facilitator[1].total, n);
	for (int j = 1; j < REVIEW_WEEKS; j++)
		assert_true(r->weeks[j].total >= r->weeks[j - 1].total);
	free(steps);
	free(st);
	free(at);
	review_free(r);
}

/* On the board, a card moved and r pressed in the same second: the move is
 * stamped now (the log counts whole seconds) and the period ends now, so
 * [start, end) left it out.  A period that ends now takes in that second;
 * a period that ends before now still excludes its end. */
static void test_move_in_the_second_of_now_is_in_the_period(void **state)
{
	struct review_params p;
	struct review *r;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.start = T(START);
	p.end = T(END);
	p.now = T(END);
	p.stale_days = 30;
	r = review_new(&p);
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "concept"});
	give(r, (struct cur){.key = 2, .stage = "need"});
	CREATE(1, "2026-02-01T10:00:00Z", "need");
	MOVE(1, END, "need", "concept");
	CREATE(2, END, "need");
	review_finish(r, T(END));
	assert_int_equal(r->moves.n, 1);
	assert_int_equal(r->moves.v[0].key, 1);
	assert_true(r->moves.v[0].at == T(END));
	assert_int_equal(r->new_ideas.n, 1);
	assert_int_equal(r->new_ideas.v[0].key, 2);
	/* The funnel's cohort takes in idea 2's entry into need too. */
	assert_int_equal(r->reached[STAGE_NEED], 2);
	/* The period as shown is unchanged. */
	assert_true(r->params.end == T(END));
	review_free(r);

	/* The same entries, reviewed a second later (the period ended in
	 * the past): the end's own second is out. */
	p.now = T(END) + 1;
	r = review_new(&p);
	seq = 0;
	give(r, (struct cur){.key = 1, .stage = "concept"});
	give(r, (struct cur){.key = 2, .stage = "need"});
	CREATE(1, "2026-02-01T10:00:00Z", "need");
	MOVE(1, END, "need", "concept");
	CREATE(2, END, "need");
	review_finish(r, T(END) + 1);
	assert_int_equal(r->moves.n, 0);
	assert_int_equal(r->new_ideas.n, 0);
	review_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_percent),
	    cmocka_unit_test(test_weeks),
	    cmocka_unit_test(test_now_stale_ages),
	    cmocka_unit_test(test_percentiles),
	    cmocka_unit_test(test_stay_window),
	    cmocka_unit_test(test_import_since),
	    cmocka_unit_test(test_funnel),
	    cmocka_unit_test(test_flow),
	    cmocka_unit_test(test_flow_past_week),
	    cmocka_unit_test(test_moves),
	    cmocka_unit_test(test_launched_once),
	    cmocka_unit_test(test_take_back),
	    cmocka_unit_test(test_recreated),
	    cmocka_unit_test(test_recreated_before),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_bulk),
	    cmocka_unit_test(test_move_in_the_second_of_now_is_in_the_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
