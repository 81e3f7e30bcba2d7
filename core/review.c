/* review.c - the weekly pipeline review (see review.h and docs/review.md).
 *
 * Data model.  One small record per idea (struct rv_idea), indexed by the
 * store's idea key (keys are dense from 1): the current values the lists
 * show (offsets into one string arena), whether the idea passes the
 * filters, and the state of its replayed history: the stage it was at in
 * the log so far and since when, the highest pipeline stage it reached
 * after its first entry into need, and enough of the state before its last
 * stage change to take that change back when an undo cancels it.  The log
 * is replayed entry by entry: every entry carrying a "stage" change (a
 * creation, a move, an undo, an import) is one stage change of one idea.
 *
 * Each stage change adds, in O(1): the stay it ends to a per-stage
 * histogram of whole days (when it ends in the last 12 months), one
 * -1/+1 to the cumulative flow at the first week end after it, and a line
 * to the period's lists when it falls in the period.  Percentiles are read
 * off the histograms (nearest rank), so no per-entry memory is kept beyond
 * the period's own lists. */
#include "review.h"

#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "isotime.h"
#include "utf8.h"
#include "xmalloc.h"

#define RV_NEVER INT64_MIN
#define RV_MAX_DAYS 36600L /* longer stays count as 100 years */
#define RV_HELD 1	   /* rv_idea.flags: put on hold after need */
#define RV_DROPPED 2	   /* abandoned after need */

/* Whole days -> how many values; count[d] for d < len. */
struct rv_hist {
	uint32_t *count;
	size_t len;
	uint64_t n;
};

struct rv_idea {
	size_t ref, title, fac, region, structure; /* arena offsets */
	int64_t updated_at, stage_since;	   /* current values */
	long jobs;
	int32_t fac_group, region_group;
	signed char in;	       /* exists now and passes the filters */
	signed char now_stage; /* current stage */
	signed char seen;      /* its first appearance was replayed */
	signed char mark;      /* scratch for review_finish */

	/* Replayed history, up to the entry fed last. */
	signed char cur;   /* stage, STAGE_NONE before creation */
	signed char reach; /* highest pipeline stage since need, -1 */
	signed char flags; /* RV_HELD | RV_DROPPED */
	int64_t since;	   /* when it entered cur */
	int64_t need_at;   /* first entry into need, RV_NEVER */
	uint64_t last_seq; /* entry of its last stage change, 0: none */
	long last_move;	   /* index in priv->moves of that change, -1 */

	/* The state before the last stage change, for a take-back. */
	signed char prev, prev_reach, prev_flags, prev_stay_stage;
	long prev_stay; /* days counted in stay[] by it, -1: none */
	int64_t prev_since, prev_need_at;
};

/* One line of a list as replayed: strings are arena offsets. */
struct rv_event {
	uint64_t key, seq;
	int64_t at;
	size_t user, reason;
	signed char from, to, cls, kind, forced, undone;
};

struct rv_events {
	struct rv_event *v;
	size_t n, cap;
};

/* Group names (arena offsets) with an open-addressing index. */
struct rv_groups {
	size_t *name;
	size_t n, cap;
	uint32_t *slot; /* group index + 1, 0: empty */
	size_t nslots;	/* a power of two, at least twice n */
};

struct review_priv {
	struct buf arena;      /* NUL-terminated strings; offset 0 is "" */
	struct rv_idea *ideas; /* by key */
	size_t nideas;	       /* max key + 1 */
	struct rv_events news, moves;
	struct rv_hist stay[STAGE_COUNT], age[STAGE_COUNT];
	int64_t cf[REVIEW_WEEKS][STAGE_COUNT]; /* deltas, first week end */
	struct rv_groups fac, region;
	char *p_region, *p_facilitator;
	int64_t end; /* entries at or after it are not in the period */
	int finished;
};

/* ------------------------------------------------------------ helpers */

static int rv_stage_ok(int s)
{
	return s >= 0 && s < STAGE_COUNT;
}

/* Copies s into the arena and returns its offset (0 for NULL or ""). */
static size_t rv_str(struct review_priv *p, const char *s)
{
	size_t off;

	if (s == NULL || *s == '\0')
		return 0;
	off = p->arena.len;
	buf_add(&p->arena, s, strlen(s) + 1);
	return off;
}

static const char *rv_at(const struct review_priv *p, size_t off)
{
	return p->arena.data + off;
}

static void rv_hist_add(struct rv_hist *h, long d)
{
	if (d < 0)
		d = 0;
	if (d > RV_MAX_DAYS)
		d = RV_MAX_DAYS;
	if ((size_t)d >= h->len) {
		size_t len = h->len ? h->len : 64;

		while (len <= (size_t)d)
			len *= 2;
		h->count = xrealloc(h->count, len * sizeof(*h->count));
		memset(h->count + h->len, 0,
		       (len - h->len) * sizeof(*h->count));
		h->len = len;
	}
	h->count[d]++;
	h->n++;
}

static void rv_hist_sub(struct rv_hist *h, long d)
{
	if (d >= 0 && (size_t)d < h->len && h->count[d] > 0) {
		h->count[d]--;
		h->n--;
	}
}

/* The value of nearest rank `rank` (1-based) in the histogram. */
static long rv_hist_rank(const struct rv_hist *h, uint64_t rank)
{
	uint64_t seen = 0;
	size_t d;

	for (d = 0; d < h->len; d++) {
		seen += h->count[d];
		if (seen >= rank)
			return (long)d;
	}
	return -1;
}

/* Nearest rank: the P-th percentile of n sorted values is the value at
 * rank ceil(P * n / 100). */
static void rv_hist_stat(const struct rv_hist *h, struct review_stat *s)
{
	size_t d;

	s->n = h->n;
	s->median = s->p90 = s->max = -1;
	if (h->n == 0)
		return;
	s->median = rv_hist_rank(h, (h->n * 50 + 99) / 100);
	s->p90 = rv_hist_rank(h, (h->n * 90 + 99) / 100);
	for (d = h->len; d-- > 0;)
		if (h->count[d] > 0) {
			s->max = (long)d;
			break;
		}
}

static uint32_t rv_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Returns the index of the group named name, adding it when new. */
static int32_t rv_group(struct review_priv *p, struct rv_groups *g,
			const char *name)
{
	size_t i, mask;
	uint32_t slot;

	if (g->nslots < 2 * (g->n + 1)) {
		size_t nslots = g->nslots ? g->nslots * 2 : 16;
		uint32_t *slots = xcalloc(nslots, sizeof(*slots));

		for (i = 0; i < g->n; i++) {
			size_t j = rv_hash(rv_at(p, g->name[i])) & (nslots - 1);

			while (slots[j] != 0)
				j = (j + 1) & (nslots - 1);
			slots[j] = (uint32_t)i + 1;
		}
		free(g->slot);
		g->slot = slots;
		g->nslots = nslots;
	}
	mask = g->nslots - 1;
	for (i = rv_hash(name) & mask; (slot = g->slot[i]) != 0;
	     i = (i + 1) & mask)
		if (strcmp(rv_at(p, g->name[slot - 1]), name) == 0)
			return (int32_t)(slot - 1);
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->name = xrealloc(g->name, g->cap * sizeof(*g->name));
	}
	g->name[g->n] = rv_str(p, name);
	g->slot[i] = (uint32_t)g->n + 1;
	return (int32_t)g->n++;
}

static struct rv_event *rv_event_add(struct rv_events *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* ------------------------------------------------------------ public bits */

long review_percent(uint64_t part, uint64_t whole)
{
	if (whole == 0)
		return -1;
	return (long)((part * 200 + whole) / (2 * whole));
}

int64_t review_week_start(int64_t t)
{
	int64_t d = t / REVIEW_DAY, wd;

	if (t % REVIEW_DAY != 0 && t < 0)
		d--;
	/* 1970-01-01 was a Thursday: weekday 3 counting from Monday. */
	wd = ((d + 3) % 7 + 7) % 7;
	return (d - wd) * REVIEW_DAY;
}

void review_week_label(int64_t monday, char out[REVIEW_WEEK_LEN])
{
	/* The ISO year is the year of the week's Thursday; the week number
	 * counts Thursdays from that year's first. */
	int64_t thu = review_week_start(monday) + 3 * REVIEW_DAY, jan1;
	char date[ISODATE_LEN], first[ISODATE_LEN];
	long week;

	isotime_format_date(thu, date);
	memcpy(first, date, 5);
	memcpy(first + 5, "01-01", 6);
	if (isotime_parse(first, &jan1) < 0)
		jan1 = thu;
	week = (long)((thu - jan1) / REVIEW_DAY / 7 + 1);
	if (week < 1 || week > 53)
		week = 1; /* cannot happen: kept in range for the digits */
	memcpy(out, date, 4);
	out[4] = '-';
	out[5] = 'W';
	out[6] = (char)('0' + week / 10);
	out[7] = (char)('0' + week % 10);
	out[8] = '\0';
}

const char *review_class_code(enum review_class c)
{
	static const char *const codes[REVIEW_CLASS_COUNT] = {
	    "forward", "setback", "hold", "abandon", "resume", "reopen",
	};

	return (unsigned)c < REVIEW_CLASS_COUNT ? codes[c] : "";
}

static enum review_class rv_class(enum stage from, enum stage to)
{
	if (to == STAGE_ON_HOLD)
		return REVIEW_HOLD;
	if (to == STAGE_ABANDONED)
		return REVIEW_ABANDON;
	if (from == STAGE_ON_HOLD)
		return REVIEW_RESUME;
	if (from == STAGE_ABANDONED)
		return REVIEW_REOPEN;
	return to > from ? REVIEW_FORWARD : REVIEW_SETBACK;
}

/* ------------------------------------------------------------ life cycle */

struct review *review_new(const struct review_params *params)
{
	struct review *r = xcalloc(1, sizeof(*r));
	struct review_priv *p = xcalloc(1, sizeof(*p));
	int j;

	r->priv = p;
	r->params = *params;
	p->p_region = xstrdup(params->region);
	p->p_facilitator = xstrdup(params->facilitator);
	r->params.region = p->p_region;
	r->params.facilitator = p->p_facilitator;
	r->year_start = params->end - (int64_t)REVIEW_YEAR_DAYS * REVIEW_DAY;
	/* The log counts whole seconds: an action made in the second the
	 * review is asked for (a card moved, then r on the board) is stamped
	 * now, and happened before the review.  A period that ends now ends
	 * after that second; any other end excludes its own second (an entry
	 * at Monday 00:00:00 belongs to the week that starts then). */
	p->end = params->end;
	if (params->end == params->now && params->end < INT64_MAX)
		p->end = params->end + 1;
	buf_init(&p->arena);
	buf_add(&p->arena, "", 1);
	/* The last week end is the Monday 00:00 at or before the period's
	 * end: weeks still under way are not shown. */
	r->weeks[REVIEW_WEEKS - 1].end = review_week_start(params->end);
	for (j = REVIEW_WEEKS - 1; j >= 0; j--) {
		r->weeks[j].end = r->weeks[REVIEW_WEEKS - 1].end -
				  (int64_t)(REVIEW_WEEKS - 1 - j) * REVIEW_WEEK;
		review_week_label(r->weeks[j].end - REVIEW_WEEK,
				  r->weeks[j].label);
	}
	return r;
}

void review_free(struct review *r)
{
	struct review_priv *p;
	int s;

	if (r == NULL)
		return;
	p = r->priv;
	for (s = 0; s < STAGE_COUNT; s++) {
		free(p->stay[s].count);
		free(p->age[s].count);
	}
	free(p->news.v);
	free(p->moves.v);
	free(p->ideas);
	free(p->fac.name);
	free(p->fac.slot);
	free(p->region.name);
	free(p->region.slot);
	free(p->p_region);
	free(p->p_facilitator);
	buf_free(&p->arena);
	free(p);
	free(r->new_ideas.v);
	free(r->moves.v);
	free(r->launched.v);
	free(r->stale.v);
	free(r->by_facilitator);
	free(r->by_region);
	free(r);
}

/* ------------------------------------------------------------ ideas */

/* The review's region and facilitator, as every surface filters them
 * (core/filter.h). */
static int rv_match(const struct review *r, const struct idea *idea)
{
	struct idea_filter f;

	idea_filter_init(&f, 0);
	f.region = r->params.region;
	f.facilitator = r->params.facilitator;
	f.facilitator_whole = r->params.facilitator_whole;
	return idea_filter_match(&f, idea);
}

void review_idea(struct review *r, const struct idea *idea)
{
	struct review_priv *p = r->priv;
	struct rv_idea *d;
	uint64_t key;

	if (idea == NULL || idea->key == 0 || p->finished)
		return;
	key = idea->key;
	if (key >= p->nideas) {
		size_t n = p->nideas ? p->nideas : 1024;

		while (n <= key)
			n *= 2;
		p->ideas = xrealloc(p->ideas, n * sizeof(*p->ideas));
		memset(p->ideas + p->nideas, 0,
		       (n - p->nideas) * sizeof(*p->ideas));
		p->nideas = n;
	}
	d = &p->ideas[key];
	memset(d, 0, sizeof(*d));
	d->in = (signed char)rv_match(r, idea);
	if (!d->in)
		return;
	d->ref = rv_str(p, idea_get(idea, IDEA_REF));
	d->title = rv_str(p, idea_get(idea, IDEA_TITLE));
	d->fac = rv_str(p, idea_get(idea, IDEA_FACILITATOR));
	d->region = rv_str(p, idea_get(idea, IDEA_REGION));
	d->structure = rv_str(p, idea_get(idea, IDEA_STRUCTURE));
	d->jobs = idea_jobs(idea);
	d->now_stage = (signed char)idea_stage(idea);
	d->updated_at = idea_time(idea, IDEA_UPDATED_AT, r->params.end);
	d->stage_since = idea_time(idea, IDEA_STAGE_SINCE, d->updated_at);
	d->fac_group = rv_group(p, &p->fac, idea_get(idea, IDEA_FACILITATOR));
	d->region_group = rv_group(p, &p->region, idea_get(idea, IDEA_REGION));
	d->cur = STAGE_NONE;
	d->reach = -1;
	d->need_at = RV_NEVER;
	d->last_move = -1;
	d->prev = STAGE_NONE;
	d->prev_reach = -1;
	d->prev_stay = -1;
	d->prev_need_at = RV_NEVER;
}

/* ------------------------------------------------------------ the log */

/* Counts a change from a to b at t in the cumulative flow: from the first
 * week end after t on, the idea is at b instead of a. */
static void rv_flow(struct review *r, int a, int b, int64_t t)
{
	struct review_priv *p = r->priv;
	int64_t first = r->weeks[0].end;
	int j;

	/* At a week end W the idea is where its changes before W put it. */
	if (t >= r->weeks[REVIEW_WEEKS - 1].end)
		return;
	j = t < first ? 0 : (int)((t - first) / REVIEW_WEEK) + 1;
	if (rv_stage_ok(a))
		p->cf[j][a]--;
	if (rv_stage_ok(b))
		p->cf[j][b]++;
}

/* The reason of a hold or an abandon recorded by e. */
static const char *rv_reason(const struct log_entry *e)
{
	const struct log_change *c = log_entry_change(e, "stage_reason");

	if (c != NULL && c->after != NULL)
		return c->after;
	return e->kind == LOG_MOVE ? e->text : NULL;
}

static void rv_move_add(struct review *r, struct rv_idea *d,
			const struct log_entry *e, enum stage from,
			enum stage to)
{
	struct review_priv *p = r->priv;
	struct rv_event *ev = rv_event_add(&p->moves);

	ev->key = e->idea_key;
	ev->seq = e->seq;
	ev->at = e->at;
	ev->user = rv_str(p, e->user);
	ev->from = (signed char)from;
	ev->to = (signed char)to;
	ev->cls = (signed char)rv_class(from, to);
	ev->kind = (signed char)e->kind;
	ev->forced = (signed char)(e->forced != 0);
	if (to == STAGE_ON_HOLD || to == STAGE_ABANDONED)
		ev->reason = rv_str(p, rv_reason(e));
	d->last_move = (long)(p->moves.n - 1);
}

/* An undo that cancels the idea's last stage change: the idea is back where
 * it was, since when it was there; the stay that change ended is no longer
 * counted, nor the one it began; the funnel forgets what it reached. */
static void rv_take_back(struct review *r, struct rv_idea *d,
			 const struct log_entry *e)
{
	struct review_priv *p = r->priv;
	enum stage from = (enum stage)d->cur, to = (enum stage)d->prev;

	rv_flow(r, from, to, e->at);
	if (d->prev_stay >= 0)
		rv_hist_sub(&p->stay[(int)d->prev_stay_stage], d->prev_stay);
	d->cur = d->prev;
	d->since = d->prev_since;
	d->reach = d->prev_reach;
	d->flags = d->prev_flags;
	d->need_at = d->prev_need_at;
	d->last_seq = 0;
	d->prev_stay = -1;
	/* In the lists, a move undone within the period disappears; an undo
	 * of an earlier move is itself a change of the period. */
	if (d->last_move >= 0 && p->moves.v[d->last_move].seq == e->target) {
		p->moves.v[d->last_move].undone = 1;
		d->last_move = -1;
	} else if (e->at >= r->params.start && rv_stage_ok(from) &&
		   rv_stage_ok(to)) {
		rv_move_add(r, d, e, from, to);
	}
}

void review_feed(struct review *r, const struct log_entry *e)
{
	struct review_priv *p = r->priv;
	const struct log_change *c, *sc;
	struct rv_idea *d;
	enum stage from, to;
	int64_t t, enter, v;

	if (e == NULL || e->idea_key == 0 || e->idea_key >= p->nideas ||
	    p->finished)
		return;
	d = &p->ideas[e->idea_key];
	t = e->at;
	if (!d->in || t >= p->end)
		return;
	c = log_entry_change(e, "stage");
	if (c == NULL)
		return;
	to = c->after != NULL ? stage_parse(c->after) : STAGE_NONE;
	if (c->after != NULL && to == STAGE_NONE)
		return; /* not a stage we know: leave the history alone */
	from = (enum stage)d->cur;
	if (to == from)
		return;
	if (e->kind == LOG_UNDO && e->target != 0 && e->target == d->last_seq &&
	    to == (enum stage)d->prev) {
		rv_take_back(r, d, e);
		return;
	}

	/* When it entered the new stage: the stage_since the entry sets (an
	 * import keeps the file's), kept between the previous change and
	 * this entry; else the entry's time. */
	enter = t;
	sc = log_entry_change(e, "stage_since");
	if (sc != NULL && sc->after != NULL &&
	    isotime_parse(sc->after, &v) == 0 && v <= t &&
	    (from == STAGE_NONE || v >= d->since))
		enter = v;

	d->prev = d->cur;
	d->prev_since = d->since;
	d->prev_reach = d->reach;
	d->prev_flags = d->flags;
	d->prev_need_at = d->need_at;
	d->prev_stay = -1;
	if (rv_stage_ok(from) && t >= r->year_start) {
		long days = (long)isotime_days(d->since, t);

		if (days < 0)
			days = 0;
		if (days > RV_MAX_DAYS)
			days = RV_MAX_DAYS;
		rv_hist_add(&p->stay[from], days);
		d->prev_stay = days;
		d->prev_stay_stage = (signed char)from;
	}
	rv_flow(r, from, to, t);
	d->cur = (signed char)to;
	d->since = enter;
	d->last_seq = e->seq;

	/* Funnel: the first entry into need starts the count. */
	if (to == STAGE_NEED && d->need_at == RV_NEVER)
		d->need_at = enter;
	if (d->need_at != RV_NEVER) {
		if (stage_is_pipeline(to) && to > d->reach)
			d->reach = (signed char)to;
		else if (to == STAGE_ON_HOLD)
			d->flags |= RV_HELD;
		else if (to == STAGE_ABANDONED)
			d->flags |= RV_DROPPED;
	}

	if (t < r->params.start) {
		d->seen |= to != STAGE_NONE;
		return;
	}
	if (from == STAGE_NONE && to != STAGE_NONE && !d->seen) {
		struct rv_event *ev = rv_event_add(&p->news);

		ev->key = e->idea_key;
		ev->seq = e->seq;
		ev->at = t;
		ev->user = rv_str(p, e->user);
		ev->from = STAGE_NONE;
		ev->to = (signed char)to;
		ev->kind = (signed char)e->kind;
	} else if (from != STAGE_NONE && to != STAGE_NONE) {
		rv_move_add(r, d, e, from, to);
	}
	if (to != STAGE_NONE)
		d->seen = 1;
}

/* ------------------------------------------------------------ results */

/* Fills a public line from an idea record and a replayed event. */
static void rv_event_fill(const struct review_priv *p, struct review_event *out,
			  uint64_t key, const struct rv_event *ev)
{
	const struct rv_idea *d = &p->ideas[key];

	memset(out, 0, sizeof(*out));
	out->key = key;
	out->ref = rv_at(p, d->ref);
	out->title = rv_at(p, d->title);
	out->facilitator = rv_at(p, d->fac);
	out->region = rv_at(p, d->region);
	out->structure = rv_at(p, d->structure);
	out->jobs = d->jobs;
	out->stage = (enum stage)d->now_stage;
	out->user = "";
	out->reason = "";
	out->from = out->to = STAGE_NONE;
	out->kind = LOG_CREATE;
	if (ev == NULL)
		return;
	out->at = ev->at;
	out->user = rv_at(p, ev->user);
	out->reason = rv_at(p, ev->reason);
	out->kind = (enum log_kind)ev->kind;
	out->from = (enum stage)ev->from;
	out->to = (enum stage)ev->to;
	out->cls = (enum review_class)ev->cls;
	out->forced = ev->forced;
}

static int rv_stale_cmp(const void *a, const void *b)
{
	const struct review_event *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

struct rv_sortgroup {
	char *fold;
	struct review_group g;
};

static int rv_group_cmp(const void *a, const void *b)
{
	const struct rv_sortgroup *x = a, *y = b;
	int c;

	/* No facilitator comes last. */
	if ((x->g.name[0] == '\0') != (y->g.name[0] == '\0'))
		return x->g.name[0] == '\0' ? 1 : -1;
	c = strcmp(x->fold, y->fold);
	return c != 0 ? c : strcmp(x->g.name, y->g.name);
}

/* Builds the public groups of g (sorted), counting the ideas and events
 * whose group index (read through which) falls in it. */
static struct review_group *
rv_groups_finish(struct review *r, const struct rv_groups *g, int facilitator)
{
	struct review_priv *p = r->priv;
	struct rv_sortgroup *sg = xcalloc(g->n + 1, sizeof(*sg));
	struct review_group *out;
	struct buf fold;
	size_t i, k;

	for (i = 0; i < g->n; i++)
		sg[i].g.name = rv_at(p, g->name[i]);
	for (k = 1; k < p->nideas; k++) {
		const struct rv_idea *d = &p->ideas[k];
		int32_t gi = facilitator ? d->fac_group : d->region_group;

		if (!d->in || !rv_stage_ok(d->now_stage))
			continue;
		sg[gi].g.count[(int)d->now_stage]++;
		sg[gi].g.total++;
	}
#define RV_GROUP_OF(key)                                                       \
	(facilitator ? p->ideas[key].fac_group : p->ideas[key].region_group)
	for (i = 0; i < r->new_ideas.n; i++)
		sg[RV_GROUP_OF(r->new_ideas.v[i].key)].g.new_ideas++;
	for (i = 0; i < r->moves.n; i++)
		sg[RV_GROUP_OF(r->moves.v[i].key)].g.moves++;
	for (i = 0; i < r->launched.n; i++)
		sg[RV_GROUP_OF(r->launched.v[i].key)].g.launched++;
#undef RV_GROUP_OF
	buf_init(&fold);
	for (i = 0; i < g->n; i++) {
		buf_reset(&fold);
		buf_adds(&fold, "");
		utf8_fold(&fold, sg[i].g.name);
		sg[i].fold = xstrdup(fold.data);
	}
	buf_free(&fold);
	qsort(sg, g->n, sizeof(*sg), rv_group_cmp);
	out = xcalloc(g->n + 1, sizeof(*out));
	for (i = 0; i < g->n; i++) {
		out[i] = sg[i].g;
		free(sg[i].fold);
	}
	free(sg);
	return out;
}

void review_finish(struct review *r, int64_t now)
{
	struct review_priv *p = r->priv;
	size_t i, k, n;
	int s, j;

	if (p->finished)
		return;
	p->finished = 1;
	r->now = now;

	/* The period's lists. */
	r->new_ideas.v = xcalloc(p->news.n + 1, sizeof(*r->new_ideas.v));
	for (i = 0; i < p->news.n; i++)
		rv_event_fill(p, &r->new_ideas.v[r->new_ideas.n++],
			      p->news.v[i].key, &p->news.v[i]);
	r->moves.v = xcalloc(p->moves.n + 1, sizeof(*r->moves.v));
	for (i = 0; i < p->moves.n; i++) {
		const struct rv_event *ev = &p->moves.v[i];

		if (ev->undone)
			continue;
		rv_event_fill(p, &r->moves.v[r->moves.n++], ev->key, ev);
		r->nclass[ev->cls]++;
	}
	/* Launches: the last entry into launched from a pipeline stage of
	 * each idea, in time order. */
	r->launched.v = xcalloc(r->moves.n + 1, sizeof(*r->launched.v));
	for (i = r->moves.n; i-- > 0;) {
		const struct review_event *m = &r->moves.v[i];

		if (m->to != STAGE_LAUNCHED || !stage_is_pipeline(m->from) ||
		    p->ideas[m->key].mark)
			continue;
		p->ideas[m->key].mark = 1;
		r->launched.v[r->launched.n++] = *m;
	}
	for (i = 0; i < r->launched.n / 2; i++) {
		struct review_event tmp = r->launched.v[i];

		r->launched.v[i] = r->launched.v[r->launched.n - 1 - i];
		r->launched.v[r->launched.n - 1 - i] = tmp;
	}

	/* The now sections, the stale list and the funnel, idea by idea. */
	n = 0;
	for (k = 1; k < p->nideas; k++) {
		const struct rv_idea *d = &p->ideas[k];

		if (!d->in || !rv_stage_ok(d->now_stage))
			continue;
		r->count[(int)d->now_stage]++;
		r->total++;
		rv_hist_add(&p->age[(int)d->now_stage],
			    (long)isotime_days(d->stage_since, now));
		if (stale_rule(d->now_stage, d->updated_at, now,
			       r->params.stale_days))
			n++;
		if (d->need_at != RV_NEVER && d->need_at >= r->year_start &&
		    d->need_at < p->end) {
			r->cohort++;
			for (s = STAGE_NEED; s <= d->reach; s++)
				r->reached[s]++;
			if (d->flags & RV_HELD)
				r->reached[STAGE_ON_HOLD]++;
			if (d->flags & RV_DROPPED)
				r->reached[STAGE_ABANDONED]++;
		}
	}
	r->stale.v = xcalloc(n + 1, sizeof(*r->stale.v));
	for (k = 1; k < p->nideas; k++) {
		const struct rv_idea *d = &p->ideas[k];
		struct review_event *ev;

		if (!d->in || !stale_rule(d->now_stage, d->updated_at, now,
					  r->params.stale_days))
			continue;
		ev = &r->stale.v[r->stale.n++];
		rv_event_fill(p, ev, k, NULL);
		ev->at = d->updated_at;
		ev->days = (long)isotime_days(d->updated_at, now);
	}
	qsort(r->stale.v, r->stale.n, sizeof(*r->stale.v), rv_stale_cmp);

	for (s = 0; s < STAGE_COUNT; s++) {
		rv_hist_stat(&p->stay[s], &r->stay[s]);
		rv_hist_stat(&p->age[s], &r->age[s]);
	}

	/* Cumulative flow: running sums of the deltas. */
	for (s = 0; s < STAGE_COUNT; s++) {
		int64_t c = 0;

		for (j = 0; j < REVIEW_WEEKS; j++) {
			c += p->cf[j][s];
			r->weeks[j].count[s] = c > 0 ? (uint64_t)c : 0;
			r->weeks[j].total += r->weeks[j].count[s];
		}
	}

	r->by_facilitator = rv_groups_finish(r, &p->fac, 1);
	r->nfacilitators = p->fac.n;
	r->by_region = rv_groups_finish(r, &p->region, 0);
	r->nregions = p->region.n;
}
