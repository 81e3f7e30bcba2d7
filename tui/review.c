/* review.c - `fai review`: reads the store once (every idea, then the whole
 * log), lets core/review.c compute the weekly review, and prints it.
 *
 * Three forms of the same sections: text for the terminal (80 columns,
 * Unicode bars and arrows under a UTF-8 locale, ASCII otherwise), markdown
 * to paste in a mail, and CSV for Avise (one section per table, described
 * in docs/review.md; the section names and column headers are stable
 * codes, never translated).  Stored text always goes through the
 * display-safe form (out.c) before it reaches a terminal or a file. */
#include "review.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../core/exchange.h"
#include "../core/isotime.h"
#include "../core/utf8.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "../store/csvio.h"
#include "cli.h"
#include "i18n.h"
#include "out.h"

#define RT_WIDTH 80 /* text: every line fits 80 columns */

static const char rt_synopsis[] = N_(
	"review [--since DATE | --week YYYY-Www] [--region R] [--facilitator F] [--format text|markdown|csv]");
static const char rt_summary[] = N_(
	"The weekly pipeline review, from the activity log: ideas per stage against the limits, new ideas, moves, launches, stale ideas, the funnel, time in stage, the cumulative flow of 12 weeks, and figures by facilitator and by region (see docs/review.md).");

/* TRANSLATORS: column headers of stage counts, at most 5 cells. */
static const char *const rt_stage_col[STAGE_COUNT] = {
	NC_("column", "Need"),  NC_("column", "Conc."), NC_("column", "Owner"),
	NC_("column", "Laun."), NC_("column", "Hold"),  NC_("column", "Aban."),
};

/* ------------------------------------------------------------ loading */

int review_load_config(struct store *s, struct review_params *p,
		       struct fai_err *err)
{
	char key[32], *v = NULL;
	int rc = store_config_get(s, "stale.days", &v, err);
	if (rc)
		return rc;
	uint64_t n;
	/* Checked when set; a damaged store's value falls back to the
	 * default rather than saturate. */
	p->stale_days = 30;
	if (v && validate_number(v, 1, CLI_NUMBER_MAX, &n, NULL) == 0)
		p->stale_days = (long)n;
	free(v);
	for (int st = 0; st < STAGE_COUNT; st++) {
		snprintf(key, sizeof(key), "wip.%s", stage_code(st));
		v = NULL;
		rc = store_config_get(s, key, &v, err);
		if (rc)
			return rc;
		p->wip[st] = 0;
		if (v && validate_number(v, 0, CLI_NUMBER_MAX, &n, NULL) == 0)
			p->wip[st] = n;
		free(v);
	}
	return 0;
}

static int load_idea(const struct idea *idea, void *arg)
{
	review_idea(arg, idea);
	return 0;
}

static int load_entry(const struct log_entry *e, void *arg)
{
	review_feed(arg, e);
	return 0;
}

int review_load(struct store *s, const struct review_params *p, int64_t now,
		struct review **out, struct fai_err *err)
{
	struct review_params q = *p;
	q.now = now; /* a period that ends now takes in this very second */
	struct review *r = review_new(&q);
	/* Ideas first: the filters are judged on their current values. */
	int rc = store_idea_foreach(s, load_idea, r, err);
	if (!rc)
		rc = store_log_foreach(s, 0, 0, load_entry, r, err);
	if (rc) {
		review_free(r);
		*out = NULL;
		return rc;
	}
	review_finish(r, now);
	*out = r;
	return 0;
}

/* ------------------------------------------------------------ words */

/* TRANSLATORS: titles of the lists of moves of the week. */
static const char *const class_titles[REVIEW_CLASS_COUNT] = {
	[REVIEW_FORWARD] = NC_("moves", "Forward"),
	[REVIEW_SETBACK] = NC_("moves", "Setbacks"),
	[REVIEW_HOLD] = NC_("moves", "Put on hold"),
	[REVIEW_ABANDON] = NC_("moves", "Abandoned"),
	[REVIEW_RESUME] = NC_("moves", "Resumed"),
	[REVIEW_REOPEN] = NC_("moves", "Reopened"),
};

static const char *class_title(enum review_class c)
{
	return (unsigned)c < REVIEW_CLASS_COUNT ? i18n_pgettext(class_titles[c])
						: "";
}

/* How a move came about, when not by fai move: "by an undo". */
static const char *move_how(enum log_kind k)
{
	if (k == LOG_UNDO)
		return _("by an undo");
	if (k == LOG_IMPORT)
		return _("by an import");
	return "";
}

/* The order of the move lists: how far along, then the side roads. */
static const enum review_class class_order[REVIEW_CLASS_COUNT] = {
	REVIEW_FORWARD, REVIEW_SETBACK, REVIEW_HOLD,
	REVIEW_RESUME,  REVIEW_ABANDON, REVIEW_REOPEN,
};

static const char *how_code(enum log_kind k)
{
	return log_kind_code(k);
}

/* "2026-03-04" */
static void day(int64_t t, char out[ISODATE_LEN])
{
	isotime_format_date(t, out);
}

/* The last day of [start, end): end is exclusive. */
static void last_day(const struct review *r, char out[ISODATE_LEN])
{
	day(r->params.end > r->params.start ? r->params.end - 1
					    : r->params.end,
	    out);
}

/* A whole number, or "-" when v < 0. */
static const char *num(char buf[32], long v)
{
	if (v < 0)
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%ld", v);
	return buf;
}

static const char *unum(char buf[32], uint64_t v)
{
	snprintf(buf, 32, "%llu", (unsigned long long)v);
	return buf;
}

static const char *pct(char buf[32], uint64_t part, uint64_t whole)
{
	long p = review_percent(part, whole);
	if (p < 0)
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%ld%%", p);
	return buf;
}

/* ------------------------------------------------------------ text */

struct tw {
	FILE *f;
	struct buf line;
	int utf8;
};

/* Prints the line without its trailing spaces. */
static void tw_end(struct tw *w)
{
	while (w->line.len && w->line.data[w->line.len - 1] == ' ')
		w->line.data[--w->line.len] = '\0';
	if (w->line.len)
		fwrite(w->line.data, 1, w->line.len, w->f);
	fputc('\n', w->f);
	buf_reset(&w->line);
}

static void tw_pad(struct tw *w, size_t n)
{
	while (n--)
		buf_addc(&w->line, ' ');
}

/* s display-safe, cut or padded to width cells. */
static void tw_cell(struct tw *w, const char *s, size_t width)
{
	out_cell(&w->line, s, width);
}

/* s display-safe, right-aligned in width cells. */
static void tw_rcell(struct tw *w, const char *s, size_t width)
{
	struct buf safe;
	buf_init(&safe);
	utf8_safe(&safe, s, strlen(s), UTF8_SAFE_ONELINE);
	buf_adds(&safe, "");
	size_t cells = utf8_width(safe.data);
	if (cells < width)
		tw_pad(w, width - cells);
	utf8_fit(&w->line, safe.data, width);
	buf_free(&safe);
}

/* A right-aligned column of width cells whose first cell stays blank, so
 * neighbouring headers never touch. */
static void tw_col(struct tw *w, const char *s, size_t width)
{
	tw_pad(w, 1);
	tw_rcell(w, s, width - 1);
}

/* Cells used by the line so far. */
static size_t tw_used(struct tw *w)
{
	buf_adds(&w->line, "");
	return utf8_width(w->line.data);
}

/* The rest of the line (up to RT_WIDTH) for s, cut. */
static void tw_rest(struct tw *w, const char *s)
{
	size_t used = tw_used(w);
	tw_cell(w, s, used < RT_WIDTH ? RT_WIDTH - used : 0);
}

static void tw_heading(struct tw *w, const char *title)
{
	fputc('\n', w->f);
	tw_rest(w, title);
	tw_end(w);
	size_t n = utf8_width(title);
	if (n > RT_WIDTH)
		n = RT_WIDTH;
	for (size_t i = 0; i < n; i++)
		buf_adds(&w->line, w->utf8 ? "─" : "-");
	tw_end(w);
}

static void tw_none(struct tw *w)
{
	tw_pad(w, 2);
	tw_rest(w, _("None."));
	tw_end(w);
}

/* A bar of v out of max in width cells: eighths of a cell in UTF-8. */
static void tw_bar(struct tw *w, uint64_t v, uint64_t max, size_t width)
{
	static const char *const part[8] = {
		"", "▏", "▎", "▍", "▌", "▋", "▊", "▉",
	};
	if (max == 0 || v == 0)
		return;
	if (v > max)
		v = max;
	if (w->utf8) {
		uint64_t eighths = (v * width * 8 + max / 2) / max;
		if (eighths == 0)
			eighths = 1;
		for (uint64_t i = 0; i < eighths / 8; i++)
			buf_adds(&w->line, "█");
		buf_adds(&w->line, part[eighths % 8]);
	} else {
		uint64_t cells = (v * width + max / 2) / max;
		if (cells == 0)
			cells = 1;
		for (uint64_t i = 0; i < cells; i++)
			buf_addc(&w->line, '#');
	}
}

/* "84-0003  Title of the idea..." then the rest of the line from col. */
static void tw_ref_title(struct tw *w, const struct review_event *ev,
			 size_t indent, size_t wref, size_t title_width)
{
	tw_pad(w, indent);
	tw_cell(w, ev->ref, wref);
	tw_pad(w, 2);
	if (title_width)
		tw_cell(w, ev->title, title_width);
	else
		tw_rest(w, ev->title);
}

static size_t ref_width(const struct review_list *l)
{
	size_t wref = 7;
	for (size_t i = 0; i < l->n; i++) {
		size_t n = utf8_width(l->v[i].ref);
		if (n > wref && n < 24)
			wref = n;
	}
	return wref;
}

static const char *arrow(const struct tw *w)
{
	return w->utf8 ? " → " : " -> ";
}

static void text_title(struct tw *w, const struct review *r)
{
	char a[ISODATE_LEN], b[ISODATE_LEN], now[ISOTIME_LEN];
	struct buf t;
	buf_init(&t);
	day(r->params.start, a);
	last_day(r, b);
	buf_printf(&t, _("Pipeline review, %s to %s"), a, b);
	tw_rest(w, t.data);
	tw_end(w);
	if (r->params.region || r->params.facilitator) {
		buf_reset(&t);
		if (r->params.region) {
			const char *name = validate_region_name(r->params.region);
			buf_printf(&t, _("Region %s (%s)."), r->params.region,
				   name ? name : "?");
		}
		if (r->params.facilitator) {
			if (t.len)
				buf_addc(&t, ' ');
			buf_printf(&t, _("Facilitator matching \"%s\"."),
				   r->params.facilitator);
		}
		tw_rest(w, t.data);
		tw_end(w);
	}
	isotime_format(r->now, now);
	now[10] = ' ';
	now[16] = '\0';
	buf_reset(&t);
	buf_printf(&t,
		   ngettext("As of %s UTC; stale after %ld day without activity.",
			    "As of %s UTC; stale after %ld days without activity.",
			    (unsigned long)r->params.stale_days),
		   now, r->params.stale_days);
	tw_rest(w, t.data);
	tw_end(w);
	buf_free(&t);
}

static void text_pipeline(struct tw *w, const struct review *r)
{
	char n[32], l[32];
	uint64_t max = 0;
	const size_t wlabel = 20, wbar = 20;

	tw_heading(w, _("Pipeline now"));
	for (int s = 0; s < STAGE_COUNT; s++) {
		if (r->count[s] > max)
			max = r->count[s];
		if (r->params.wip[s] > max)
			max = r->params.wip[s];
	}
	tw_pad(w, 2);
	tw_cell(w, _("Stage"), wlabel);
	tw_rcell(w, _("Ideas"), 7);
	tw_rcell(w, _("Limit"), 7);
	tw_end(w);
	for (int s = 0; s < STAGE_COUNT; s++) {
		tw_pad(w, 2);
		tw_cell(w, out_stage_label(s), wlabel);
		tw_rcell(w, unum(n, r->count[s]), 7);
		tw_rcell(w, r->params.wip[s] ? unum(l, r->params.wip[s]) : "-",
			 7);
		tw_pad(w, 2);
		size_t at = tw_used(w);
		tw_bar(w, r->count[s], max, wbar);
		if (r->params.wip[s] && r->count[s] > r->params.wip[s]) {
			size_t used = tw_used(w);
			tw_pad(w, at + wbar + 1 > used ? at + wbar + 1 - used : 1);
			tw_rest(w, _("over the limit"));
		}
		tw_end(w);
	}
	tw_pad(w, 2);
	tw_cell(w, _("Total"), wlabel);
	tw_rcell(w, unum(n, r->total), 7);
	tw_end(w);
}

static void text_new(struct tw *w, const struct review *r)
{
	struct buf t;
	char d[ISODATE_LEN];
	size_t wref = ref_width(&r->new_ideas);
	const size_t wuser = 12;
	buf_init(&t);
	buf_printf(&t, _("New ideas (%zu)"), r->new_ideas.n);
	tw_heading(w, t.data);
	buf_free(&t);
	if (!r->new_ideas.n)
		tw_none(w);
	for (size_t i = 0; i < r->new_ideas.n; i++) {
		const struct review_event *ev = &r->new_ideas.v[i];
		size_t title = RT_WIDTH - (2 + wref + 2 + 2 + 10 + 2 + wuser);
		tw_ref_title(w, ev, 2, wref, title);
		tw_pad(w, 2);
		day(ev->at, d);
		tw_cell(w, d, 10);
		tw_pad(w, 2);
		tw_cell(w, ev->kind == LOG_IMPORT ? _("(imported)") : ev->user,
			wuser);
		tw_end(w);
	}
}

static void text_moves(struct tw *w, const struct review *r)
{
	struct buf t;
	char d[ISODATE_LEN];
	size_t wref = ref_width(&r->moves);
	buf_init(&t);
	buf_printf(&t, _("Moves (%zu)"), r->moves.n);
	tw_heading(w, t.data);
	if (!r->moves.n)
		tw_none(w);
	for (int k = 0; k < REVIEW_CLASS_COUNT; k++) {
		enum review_class c = class_order[k];
		if (!r->nclass[c])
			continue;
		buf_reset(&t);
		buf_printf(&t, "%s (%llu)", class_title(c),
			   (unsigned long long)r->nclass[c]);
		tw_pad(w, 2);
		tw_rest(w, t.data);
		tw_end(w);
		for (size_t i = 0; i < r->moves.n; i++) {
			const struct review_event *ev = &r->moves.v[i];
			if (ev->cls != c)
				continue;
			tw_ref_title(w, ev, 4, wref, 0);
			tw_end(w);
			/* Second line: from -> to, date, who, how. */
			buf_reset(&t);
			buf_printf(&t, "%s%s%s, ", out_stage_short(ev->from),
				   arrow(w), out_stage_short(ev->to));
			day(ev->at, d);
			buf_printf(&t, "%s, %s", d, ev->user);
			if (ev->forced)
				buf_printf(&t, ", %s", _("gate forced"));
			if (move_how(ev->kind)[0])
				buf_printf(&t, ", %s", move_how(ev->kind));
			tw_pad(w, 4 + wref + 2);
			tw_rest(w, t.data);
			tw_end(w);
			if (ev->reason[0]) {
				buf_reset(&t);
				buf_printf(&t, _("Reason: %s"), ev->reason);
				tw_pad(w, 4 + wref + 2);
				tw_rest(w, t.data);
				tw_end(w);
			}
		}
	}
	buf_free(&t);
}

static void text_launched(struct tw *w, const struct review *r)
{
	struct buf t;
	char d[ISODATE_LEN];
	size_t wref = ref_width(&r->launched);
	buf_init(&t);
	buf_printf(&t, _("Launched (%zu)"), r->launched.n);
	tw_heading(w, t.data);
	if (!r->launched.n)
		tw_none(w);
	for (size_t i = 0; i < r->launched.n; i++) {
		const struct review_event *ev = &r->launched.v[i];
		tw_ref_title(w, ev, 2, wref, 0);
		tw_end(w);
		buf_reset(&t);
		buf_adds(&t, ev->structure[0] ? ev->structure
					      : _("(no structure)"));
		if (ev->jobs >= 0) {
			buf_adds(&t, ", ");
			buf_printf(&t, ngettext("%ld job", "%ld jobs",
						(unsigned long)ev->jobs),
				   ev->jobs);
		}
		day(ev->at, d);
		buf_printf(&t, ", %s, %s", d, ev->user);
		tw_pad(w, 2 + wref + 2);
		tw_rest(w, t.data);
		tw_end(w);
	}
	buf_free(&t);
}

static void text_stale(struct tw *w, const struct review *r)
{
	struct buf t;
	char n[64];
	size_t wref = ref_width(&r->stale), wstage = 0;
	buf_init(&t);
	buf_printf(&t,
		   ngettext("Stale: no activity for %ld day or more (%zu)",
			    "Stale: no activity for %ld days or more (%zu)",
			    (unsigned long)r->params.stale_days),
		   r->params.stale_days, r->stale.n);
	tw_heading(w, t.data);
	buf_free(&t);
	if (!r->stale.n)
		tw_none(w);
	for (int s = STAGE_NEED; s <= STAGE_OWNER_SEARCH; s++)
		if (utf8_width(out_stage_short(s)) > wstage)
			wstage = utf8_width(out_stage_short(s));
	for (size_t i = 0; i < r->stale.n; i++) {
		const struct review_event *ev = &r->stale.v[i];
		size_t title = RT_WIDTH - (2 + wref + 2 + 2 + wstage + 2 + 10);
		tw_ref_title(w, ev, 2, wref, title);
		tw_pad(w, 2);
		tw_cell(w, out_stage_short(ev->stage), wstage);
		snprintf(n, sizeof(n),
			 ngettext("%ld day", "%ld days", (unsigned long)ev->days),
			 ev->days);
		tw_rcell(w, n, 12);
		tw_end(w);
	}
}

static void text_funnel(struct tw *w, const struct review *r)
{
	struct buf t;
	char a[ISODATE_LEN], b[ISODATE_LEN], n[32], p[32];
	const size_t wlabel = 24;
	static const char *const side[2] = {
		N_("On hold at some point"), N_("Abandoned at some point"),
	};
	buf_init(&t);
	day(r->year_start, a);
	last_day(r, b);
	buf_printf(&t,
		   ngettext("Funnel: the %llu idea that entered need from %s to %s",
			    "Funnel: the %llu ideas that entered need from %s to %s",
			    (unsigned long)r->cohort),
		   (unsigned long long)r->cohort, a, b);
	tw_heading(w, t.data);
	buf_free(&t);
	for (int s = 0; s < STAGE_COUNT; s++) {
		tw_pad(w, 2);
		tw_cell(w, s < STAGE_PIPELINE_COUNT ? out_stage_label(s)
						    : _(side[s - STAGE_ON_HOLD]),
			wlabel);
		tw_rcell(w, unum(n, r->reached[s]), 6);
		tw_rcell(w, pct(p, r->reached[s], r->cohort), 6);
		tw_pad(w, 2);
		tw_bar(w, r->reached[s], r->cohort, RT_WIDTH - 2 - wlabel - 14);
		tw_end(w);
		if (s == STAGE_LAUNCHED)
			tw_end(w);
	}
}

static void text_time(struct tw *w, const struct review *r)
{
	char n[32];
	const size_t wlabel = 20, wn = 7;
	tw_heading(w, _("Time in stage, in days"));
	tw_pad(w, 2);
	tw_cell(w, "", wlabel);
	/* TRANSLATORS: over the first three columns of time in stage, at
	 * most 19 cells. */
	tw_rcell(w, _("ended in 12 months"), 3 * wn);
	/* TRANSLATORS: over the last four columns of time in stage, at most
	 * 26 cells. */
	tw_rcell(w, _("there now"), 4 * wn);
	tw_end(w);
	tw_pad(w, 2);
	tw_cell(w, _("Stage"), wlabel);
	/* TRANSLATORS: headers of the time in stage table, at most 6 cells
	 * each. */
	tw_col(w, C_("column", "Stays"), wn);
	tw_col(w, C_("column", "Median"), wn);
	tw_col(w, C_("column", "90th"), wn);
	tw_col(w, C_("column", "Ideas"), wn);
	tw_col(w, C_("column", "Median"), wn);
	tw_col(w, C_("column", "90th"), wn);
	tw_col(w, C_("column", "Oldest"), wn);
	tw_end(w);
	for (int s = 0; s < STAGE_COUNT; s++) {
		tw_pad(w, 2);
		tw_cell(w, out_stage_label(s), wlabel);
		tw_col(w, unum(n, r->stay[s].n), wn);
		tw_col(w, num(n, r->stay[s].median), wn);
		tw_col(w, num(n, r->stay[s].p90), wn);
		tw_col(w, unum(n, r->age[s].n), wn);
		tw_col(w, num(n, r->age[s].median), wn);
		tw_col(w, num(n, r->age[s].p90), wn);
		tw_col(w, num(n, r->age[s].max), wn);
		tw_end(w);
	}
}

/* The glyphs of the cumulative flow chart, one per stage. */
static const char *flow_glyph(const struct tw *w, int s)
{
	static const char *const u[STAGE_COUNT] = {"░", "▒", "▓", "█", "╌", "×"};
	static const char *const a[STAGE_COUNT] = {"-", "=", "+", "#", "~", "x"};
	return w->utf8 ? u[s] : a[s];
}

static void text_flow(struct tw *w, const struct review *r)
{
	char n[32];
	const size_t wweek = 8, wn = 7, wchart = 56;
	uint64_t max = 0;

	tw_heading(w, _("Cumulative flow: ideas per stage at the end of each week"));
	tw_pad(w, 2);
	tw_cell(w, _("Week"), wweek);
	for (int s = 0; s < STAGE_COUNT; s++)
		tw_col(w, i18n_pgettext(rt_stage_col[s]), wn);
	tw_col(w, _("Total"), wn);
	tw_end(w);
	for (int j = 0; j < REVIEW_WEEKS; j++) {
		const struct review_week *k = &r->weeks[j];
		tw_pad(w, 2);
		tw_cell(w, k->label, wweek);
		for (int s = 0; s < STAGE_COUNT; s++)
			tw_col(w, unum(n, k->count[s]), wn);
		tw_col(w, unum(n, k->total), wn);
		tw_end(w);
		if (k->total > max)
			max = k->total;
	}
	/* The chart: one stacked bar a week, stages in order, each segment
	 * rounded on the running total so the bar's length is exact. */
	tw_end(w);
	for (int j = 0; j < REVIEW_WEEKS; j++) {
		const struct review_week *k = &r->weeks[j];
		uint64_t cum = 0, drawn = 0;
		tw_pad(w, 2);
		tw_cell(w, k->label, wweek);
		tw_pad(w, 1);
		for (int s = 0; s < STAGE_COUNT && max; s++) {
			cum += k->count[s];
			uint64_t to = (cum * wchart + max / 2) / max;
			for (; drawn < to; drawn++)
				buf_adds(&w->line, flow_glyph(w, s));
		}
		tw_pad(w, 1);
		tw_rest(w, unum(n, k->total));
		tw_end(w);
	}
	/* The legend, wrapped at 80 columns. */
	tw_pad(w, 2);
	for (int s = 0; s < STAGE_COUNT; s++) {
		struct buf item;
		buf_init(&item);
		buf_printf(&item, "%s %s", flow_glyph(w, s), out_stage_short(s));
		size_t used = tw_used(w), need = utf8_width(item.data);
		if (used > 2 && used + 2 + need > RT_WIDTH) {
			tw_end(w);
			tw_pad(w, 2);
		} else if (used > 2) {
			tw_pad(w, 2);
		}
		tw_cell(w, item.data, need);
		buf_free(&item);
	}
	tw_end(w);
}

static void text_groups(struct tw *w, const struct review *r, int by_region)
{
	char n[32];
	const size_t wname = 16, wn = 6;
	const struct review_group *g = by_region ? r->by_region
						 : r->by_facilitator;
	size_t ng = by_region ? r->nregions : r->nfacilitators;

	tw_heading(w, by_region ? _("By region") : _("By facilitator"));
	tw_pad(w, 2 + wname);
	/* TRANSLATORS: over the stage columns of the breakdowns. */
	tw_cell(w, _("  ideas per stage now"), (STAGE_COUNT + 1) * wn);
	/* TRANSLATORS: over the last three columns of the breakdowns. */
	tw_cell(w, _("  in the period"), 3 * wn);
	tw_end(w);
	tw_pad(w, 2);
	tw_cell(w, by_region ? _("Region") : _("Facilitator"), wname);
	for (int s = 0; s < STAGE_COUNT; s++)
		tw_col(w, i18n_pgettext(rt_stage_col[s]), wn);
	tw_col(w, _("Total"), wn);
	/* TRANSLATORS: breakdown columns, at most 5 cells each. */
	tw_col(w, _("New"), wn);
	tw_col(w, _("Moves"), wn);
	tw_col(w, C_("column", "Laun."), wn);
	tw_end(w);
	if (!ng)
		tw_none(w);
	for (size_t i = 0; i < ng; i++) {
		struct buf name;
		buf_init(&name);
		if (by_region) {
			const char *rn = validate_region_name(g[i].name);
			buf_printf(&name, "%s %s", g[i].name, rn ? rn : "");
		} else {
			buf_adds(&name, g[i].name[0] ? g[i].name : _("(none)"));
		}
		tw_pad(w, 2);
		tw_cell(w, name.data, wname);
		buf_free(&name);
		for (int s = 0; s < STAGE_COUNT; s++)
			tw_col(w, unum(n, g[i].count[s]), wn);
		tw_col(w, unum(n, g[i].total), wn);
		tw_col(w, unum(n, g[i].new_ideas), wn);
		tw_col(w, unum(n, g[i].moves), wn);
		tw_col(w, unum(n, g[i].launched), wn);
		tw_end(w);
	}
}

static void print_text(FILE *f, const struct review *r, int utf8)
{
	struct tw w = {f, {NULL, 0, 0}, utf8};
	text_title(&w, r);
	text_pipeline(&w, r);
	text_new(&w, r);
	text_moves(&w, r);
	text_launched(&w, r);
	text_stale(&w, r);
	text_funnel(&w, r);
	text_time(&w, r);
	text_flow(&w, r);
	text_groups(&w, r, 0);
	text_groups(&w, r, 1);
	buf_free(&w.line);
}

/* ------------------------------------------------------------ markdown */

/* Prints s display-safe on one line, with markdown's special characters
 * escaped so a title never turns into a link, emphasis or a new cell. */
static void md_text(FILE *f, const char *s)
{
	struct buf safe;
	buf_init(&safe);
	/* A mail, not a terminal: the text as stored but for controls. */
	utf8_safe(&safe, s ? s : "", s ? strlen(s) : 0,
		  UTF8_SAFE_ONELINE | UTF8_SAFE_KEEP);
	for (size_t i = 0; i < safe.len; i++) {
		if (strchr("\\`*_[]<>|#", safe.data[i]))
			fputc('\\', f);
		fputc(safe.data[i], f);
	}
	buf_free(&safe);
}

/* Starts a table: "| a | b |" then "|---|--:|" (right for numbers, as
 * flagged in right, one char a column: 'r' or 'l'). */
static void md_head(FILE *f, const char *const *heads, const char *align)
{
	size_t n = strlen(align);
	fputc('|', f);
	for (size_t i = 0; i < n; i++) {
		fputc(' ', f);
		md_text(f, heads[i]);
		fputs(" |", f);
	}
	fputs("\n|", f);
	for (size_t i = 0; i < n; i++)
		fputs(align[i] == 'r' ? "---:|" : "---|", f);
	fputc('\n', f);
}

static void md_row(FILE *f, const char *const *cells, size_t n)
{
	fputc('|', f);
	for (size_t i = 0; i < n; i++) {
		fputc(' ', f);
		md_text(f, cells[i]);
		fputs(" |", f);
	}
	fputc('\n', f);
}

static void md_heading(FILE *f, const char *title)
{
	fputs("\n## ", f);
	md_text(f, title);
	fputs("\n\n", f);
}

/* The lists of the markdown form. */
enum md_list { MD_NEW, MD_MOVES, MD_LAUNCHED, MD_STALE };

static void md_events(FILE *f, const struct review_list *l, enum md_list kind,
		      int utf8)
{
	char d[ISODATE_LEN], n[64];
	struct buf t;
	buf_init(&t);
	if (!l->n) {
		md_text(f, _("None."));
		fputc('\n', f);
		buf_free(&t);
		return;
	}
	if (kind == MD_NEW) {
		const char *h[] = {_("Ref"), _("Title"), _("Date"), _("By")};
		md_head(f, h, "llll");
	} else if (kind == MD_MOVES) {
		const char *h[] = {_("Ref"), _("Title"), _("Move"), _("Date"),
				   _("By"), _("Note")};
		md_head(f, h, "llllll");
	} else if (kind == MD_LAUNCHED) {
		const char *h[] = {_("Ref"), _("Title"), _("Structure"),
				   _("Jobs"), _("Date")};
		md_head(f, h, "lllrl");
	} else {
		const char *h[] = {_("Ref"), _("Title"), _("Stage"),
				   _("Last activity"), _("Days")};
		md_head(f, h, "lllll");
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct review_event *ev = &l->v[i];
		day(ev->at, d);
		if (kind == MD_NEW) {
			const char *c[] = {ev->ref, ev->title, d,
					   ev->kind == LOG_IMPORT ? _("(imported)")
								   : ev->user};
			md_row(f, c, 4);
		} else if (kind == MD_MOVES) {
			buf_reset(&t);
			buf_printf(&t, "%s%s%s", out_stage_short(ev->from),
				   utf8 ? " → " : " -> ", out_stage_short(ev->to));
			struct buf note;
			buf_init(&note);
			buf_adds(&note, "");
			if (ev->forced)
				buf_printf(&note, "%s", _("gate forced"));
			if (move_how(ev->kind)[0])
				buf_printf(&note, "%s%s", note.len ? "; " : "",
					   move_how(ev->kind));
			if (ev->reason[0])
				buf_printf(&note, "%s%s", note.len ? "; " : "",
					   ev->reason);
			const char *c[] = {ev->ref, ev->title, t.data, d,
					   ev->user, note.data};
			md_row(f, c, 6);
			buf_free(&note);
		} else if (kind == MD_LAUNCHED) {
			const char *c[] = {ev->ref, ev->title, ev->structure,
					   num(n, ev->jobs), d};
			md_row(f, c, 5);
		} else {
			const char *c[] = {ev->ref, ev->title,
					   out_stage_short(ev->stage), d,
					   num(n, ev->days)};
			md_row(f, c, 5);
		}
	}
	buf_free(&t);
}

static void md_groups(FILE *f, const struct review *r, int by_region)
{
	const struct review_group *g = by_region ? r->by_region
						 : r->by_facilitator;
	size_t ng = by_region ? r->nregions : r->nfacilitators;
	char v[10][32];
	const char *h[11];
	h[0] = by_region ? _("Region") : _("Facilitator");
	for (int s = 0; s < STAGE_COUNT; s++)
		h[1 + s] = out_stage_short(s);
	h[7] = _("Total");
	h[8] = _("New");
	h[9] = _("Moves");
	h[10] = _("Launched in the period");
	md_head(f, h, "lrrrrrrrrrr");
	for (size_t i = 0; i < ng; i++) {
		struct buf name;
		const char *c[11];
		buf_init(&name);
		if (by_region) {
			const char *rn = validate_region_name(g[i].name);
			buf_printf(&name, "%s %s", g[i].name, rn ? rn : "");
		} else {
			buf_adds(&name, g[i].name[0] ? g[i].name : _("(none)"));
		}
		c[0] = name.data;
		for (int s = 0; s < STAGE_COUNT; s++)
			c[1 + s] = unum(v[s], g[i].count[s]);
		c[7] = unum(v[6], g[i].total);
		c[8] = unum(v[7], g[i].new_ideas);
		c[9] = unum(v[8], g[i].moves);
		c[10] = unum(v[9], g[i].launched);
		md_row(f, c, 11);
		buf_free(&name);
	}
}

static void print_markdown(FILE *f, const struct review *r, int utf8)
{
	char a[ISODATE_LEN], b[ISODATE_LEN], now[ISOTIME_LEN];
	char v[8][32];
	struct buf t;
	buf_init(&t);

	day(r->params.start, a);
	last_day(r, b);
	buf_printf(&t, _("Pipeline review, %s to %s"), a, b);
	fputs("# ", f);
	md_text(f, t.data);
	fputs("\n\n", f);
	if (r->params.region) {
		const char *name = validate_region_name(r->params.region);
		buf_reset(&t);
		buf_printf(&t, _("Region %s (%s)."), r->params.region,
			   name ? name : "?");
		md_text(f, t.data);
		fputc(' ', f);
	}
	if (r->params.facilitator) {
		buf_reset(&t);
		buf_printf(&t, _("Facilitator matching \"%s\"."),
			   r->params.facilitator);
		md_text(f, t.data);
		fputc(' ', f);
	}
	isotime_format(r->now, now);
	now[10] = ' ';
	now[16] = '\0';
	buf_reset(&t);
	buf_printf(&t,
		   ngettext("As of %s UTC; stale after %ld day without activity.",
			    "As of %s UTC; stale after %ld days without activity.",
			    (unsigned long)r->params.stale_days),
		   now, r->params.stale_days);
	md_text(f, t.data);
	fputc('\n', f);

	md_heading(f, _("Pipeline now"));
	{
		const char *h[] = {_("Stage"), _("Ideas"), _("Limit"), ""};
		md_head(f, h, "lrrl");
		for (int s = 0; s < STAGE_COUNT; s++) {
			const char *c[] = {
				out_stage_label(s), unum(v[0], r->count[s]),
				r->params.wip[s] ? unum(v[1], r->params.wip[s])
						 : "-",
				r->params.wip[s] && r->count[s] > r->params.wip[s]
					? _("over the limit")
					: ""};
			md_row(f, c, 4);
		}
		const char *c[] = {_("Total"), unum(v[0], r->total), "", ""};
		md_row(f, c, 4);
	}

	buf_reset(&t);
	buf_printf(&t, _("New ideas (%zu)"), r->new_ideas.n);
	md_heading(f, t.data);
	md_events(f, &r->new_ideas, MD_NEW, utf8);

	buf_reset(&t);
	buf_printf(&t, _("Moves (%zu)"), r->moves.n);
	md_heading(f, t.data);
	if (!r->moves.n) {
		md_text(f, _("None."));
		fputc('\n', f);
	}
	for (int k = 0; k < REVIEW_CLASS_COUNT; k++) {
		enum review_class c = class_order[k];
		struct review_list sub = {NULL, 0};
		if (!r->nclass[c])
			continue;
		sub.v = xcalloc(r->moves.n, sizeof(*sub.v));
		for (size_t i = 0; i < r->moves.n; i++)
			if (r->moves.v[i].cls == c)
				sub.v[sub.n++] = r->moves.v[i];
		buf_reset(&t);
		buf_printf(&t, "%s (%zu)", class_title(c), sub.n);
		fputs("### ", f);
		md_text(f, t.data);
		fputs("\n\n", f);
		md_events(f, &sub, MD_MOVES, utf8);
		fputc('\n', f);
		free(sub.v);
	}

	buf_reset(&t);
	buf_printf(&t, _("Launched (%zu)"), r->launched.n);
	md_heading(f, t.data);
	md_events(f, &r->launched, MD_LAUNCHED, utf8);

	buf_reset(&t);
	buf_printf(&t,
		   ngettext("Stale: no activity for %ld day or more (%zu)",
			    "Stale: no activity for %ld days or more (%zu)",
			    (unsigned long)r->params.stale_days),
		   r->params.stale_days, r->stale.n);
	md_heading(f, t.data);
	md_events(f, &r->stale, MD_STALE, utf8);

	buf_reset(&t);
	day(r->year_start, a);
	buf_printf(&t,
		   ngettext("Funnel: the %llu idea that entered need from %s to %s",
			    "Funnel: the %llu ideas that entered need from %s to %s",
			    (unsigned long)r->cohort),
		   (unsigned long long)r->cohort, a, b);
	md_heading(f, t.data);
	{
		const char *h[] = {_("Stage"), _("Ideas"), _("Share")};
		static const char *const side[2] = {
			N_("On hold at some point"), N_("Abandoned at some point"),
		};
		md_head(f, h, "lrr");
		for (int s = 0; s < STAGE_COUNT; s++) {
			const char *c[] = {
				s < STAGE_PIPELINE_COUNT ? out_stage_label(s)
							 : _(side[s - STAGE_ON_HOLD]),
				unum(v[0], r->reached[s]),
				pct(v[1], r->reached[s], r->cohort)};
			md_row(f, c, 3);
		}
	}

	md_heading(f, _("Time in stage, in days"));
	{
		const char *h[] = {_("Stage"), _("Stays ended in 12 months"),
				   _("Median"), _("90th"), _("Ideas there now"),
				   _("Median"), _("90th"), _("Oldest")};
		md_head(f, h, "lrrrrrrr");
		for (int s = 0; s < STAGE_COUNT; s++) {
			const char *c[] = {out_stage_label(s),
					   unum(v[0], r->stay[s].n),
					   num(v[1], r->stay[s].median),
					   num(v[2], r->stay[s].p90),
					   unum(v[3], r->age[s].n),
					   num(v[4], r->age[s].median),
					   num(v[5], r->age[s].p90),
					   num(v[6], r->age[s].max)};
			md_row(f, c, 8);
		}
	}

	md_heading(f, _("Cumulative flow: ideas per stage at the end of each week"));
	{
		const char *h[8];
		char w[8][32];
		h[0] = _("Week");
		for (int s = 0; s < STAGE_COUNT; s++)
			h[1 + s] = out_stage_short(s);
		h[7] = _("Total");
		md_head(f, h, "lrrrrrrr");
		for (int j = 0; j < REVIEW_WEEKS; j++) {
			const char *c[8];
			c[0] = r->weeks[j].label;
			for (int s = 0; s < STAGE_COUNT; s++)
				c[1 + s] = unum(w[s], r->weeks[j].count[s]);
			c[7] = unum(w[6], r->weeks[j].total);
			md_row(f, c, 8);
		}
	}

	md_heading(f, _("By facilitator"));
	md_groups(f, r, 0);
	md_heading(f, _("By region"));
	md_groups(f, r, 1);
	buf_free(&t);
}

/* ------------------------------------------------------------ csv */

/* A text cell: the text as stored but for its controls (shown, line
 * breaks kept), quoted as needed, and guarded as export's excel-fr guards
 * it: a cell a spreadsheet would take for a formula (= + - @ TAB CR first,
 * after any quotes) gets a leading '. */
static void csv_text(struct csvw *w, const char *s)
{
	struct buf safe;
	buf_init(&safe);
	buf_addc(&safe, '\''); /* kept only when the cell needs it */
	utf8_safe(&safe, s ? s : "", s ? strlen(s) : 0,
		  UTF8_SAFE_MULTILINE | UTF8_SAFE_KEEP);
	buf_adds(&safe, "");
	int guard = exchange_needs_guard(safe.data + 1, safe.len - 1);
	csvw_cell(w, safe.data + !guard, safe.len - !guard, 1);
	buf_free(&safe);
}

static void csv_u(struct csvw *w, uint64_t v)
{
	char n[32];
	unum(n, v);
	csvw_cell(w, n, strlen(n), 0);
}

/* A whole number, empty when v < 0 (no value). */
static void csv_l(struct csvw *w, long v)
{
	char n[32];
	if (v < 0)
		n[0] = '\0';
	else
		snprintf(n, sizeof(n), "%ld", v);
	csvw_cell(w, n, strlen(n), 0);
}

static void csv_time(struct csvw *w, int64_t t)
{
	char s[ISOTIME_LEN];
	isotime_format(t, s);
	csvw_cell(w, s, strlen(s), 0);
}

/* "# name" then the header row (codes joined by ','). */
static void csv_section(struct csvw *w, const char *name, const char *heads,
			int first)
{
	if (!first)
		csvw_row_end(w);
	char *line = xasprintf("# %s", name);
	csvw_cell(w, line, strlen(line), 0);
	csvw_row_end(w);
	free(line);
	char *copy = xstrdup(heads), *save = NULL;
	for (char *h = strtok_r(copy, ",", &save); h;
	     h = strtok_r(NULL, ",", &save))
		csvw_cell(w, h, strlen(h), 0);
	csvw_row_end(w);
	free(copy);
}

static void csv_idea(struct csvw *w, const struct review_event *ev)
{
	csv_text(w, ev->ref);
	csv_text(w, ev->title);
	csv_text(w, ev->region);
	csv_text(w, ev->facilitator);
}

static void csv_groups(struct csvw *w, const struct review *r, int by_region)
{
	const struct review_group *g = by_region ? r->by_region
						 : r->by_facilitator;
	size_t ng = by_region ? r->nregions : r->nfacilitators;
	for (size_t i = 0; i < ng; i++) {
		csv_text(w, g[i].name);
		if (by_region) {
			const char *rn = validate_region_name(g[i].name);
			csv_text(w, rn ? rn : "");
		}
		for (int s = 0; s < STAGE_COUNT; s++)
			csv_u(w, g[i].count[s]);
		csv_u(w, g[i].total);
		csv_u(w, g[i].new_ideas);
		csv_u(w, g[i].moves);
		csv_u(w, g[i].launched);
		csvw_row_end(w);
	}
}

static void print_csv(FILE *f, const struct review *r)
{
	struct csvw *w = csvw_new(f, CSV_DIALECT_RFC4180);
	csv_section(w, "review", "key,value", 1);
	struct {
		const char *key;
		int64_t t;
	} times[] = {
		{"period_start", r->params.start}, {"period_end", r->params.end},
		{"now", r->now}, {"funnel_start", r->year_start},
		{"funnel_end", r->params.end},
	};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		csvw_cell(w, times[i].key, strlen(times[i].key), 0);
		csv_time(w, times[i].t);
		csvw_row_end(w);
	}
	csvw_cell(w, "region", 6, 0);
	csv_text(w, r->params.region ? r->params.region : "");
	csvw_row_end(w);
	csvw_cell(w, "facilitator", 11, 0);
	csv_text(w, r->params.facilitator ? r->params.facilitator : "");
	csvw_row_end(w);
	csvw_cell(w, "stale_days", 10, 0);
	csv_l(w, r->params.stale_days);
	csvw_row_end(w);
	csvw_cell(w, "ideas", 5, 0);
	csv_u(w, r->total);
	csvw_row_end(w);

	csv_section(w, "pipeline", "stage,ideas,limit,over_limit", 0);
	for (int s = 0; s < STAGE_COUNT; s++) {
		csv_text(w, stage_code(s));
		csv_u(w, r->count[s]);
		csv_l(w, r->params.wip[s] ? (long)r->params.wip[s] : -1);
		csv_l(w, r->params.wip[s] && r->count[s] > r->params.wip[s]);
		csvw_row_end(w);
	}

	csv_section(w, "new_ideas",
		    "ref,title,region,facilitator,stage,created_at,by,how", 0);
	for (size_t i = 0; i < r->new_ideas.n; i++) {
		const struct review_event *ev = &r->new_ideas.v[i];
		csv_idea(w, ev);
		csv_text(w, stage_code(ev->stage));
		csv_time(w, ev->at);
		csv_text(w, ev->user);
		csv_text(w, how_code(ev->kind));
		csvw_row_end(w);
	}

	csv_section(w, "moves",
		    "ref,title,region,facilitator,class,from,to,at,by,how,forced,reason",
		    0);
	for (size_t i = 0; i < r->moves.n; i++) {
		const struct review_event *ev = &r->moves.v[i];
		csv_idea(w, ev);
		csv_text(w, review_class_code(ev->cls));
		csv_text(w, stage_code(ev->from));
		csv_text(w, stage_code(ev->to));
		csv_time(w, ev->at);
		csv_text(w, ev->user);
		csv_text(w, how_code(ev->kind));
		csv_l(w, ev->forced);
		csv_text(w, ev->reason);
		csvw_row_end(w);
	}

	csv_section(w, "launched",
		    "ref,title,region,facilitator,structure,jobs,launched_at,by",
		    0);
	for (size_t i = 0; i < r->launched.n; i++) {
		const struct review_event *ev = &r->launched.v[i];
		csv_idea(w, ev);
		csv_text(w, ev->structure);
		csv_l(w, ev->jobs);
		csv_time(w, ev->at);
		csv_text(w, ev->user);
		csvw_row_end(w);
	}

	csv_section(w, "stale",
		    "ref,title,region,facilitator,stage,last_activity,days", 0);
	for (size_t i = 0; i < r->stale.n; i++) {
		const struct review_event *ev = &r->stale.v[i];
		csv_idea(w, ev);
		csv_text(w, stage_code(ev->stage));
		csv_time(w, ev->at);
		csv_l(w, ev->days);
		csvw_row_end(w);
	}

	csv_section(w, "funnel", "stage,ideas,percent", 0);
	for (int s = 0; s < STAGE_COUNT; s++) {
		csv_text(w, stage_code(s));
		csv_u(w, r->reached[s]);
		csv_l(w, review_percent(r->reached[s], r->cohort));
		csvw_row_end(w);
	}

	csv_section(w, "time_in_stage",
		    "stage,stays,stay_median_days,stay_p90_days,stay_max_days,now,now_median_days,now_p90_days,now_max_days",
		    0);
	for (int s = 0; s < STAGE_COUNT; s++) {
		csv_text(w, stage_code(s));
		csv_u(w, r->stay[s].n);
		csv_l(w, r->stay[s].median);
		csv_l(w, r->stay[s].p90);
		csv_l(w, r->stay[s].max);
		csv_u(w, r->age[s].n);
		csv_l(w, r->age[s].median);
		csv_l(w, r->age[s].p90);
		csv_l(w, r->age[s].max);
		csvw_row_end(w);
	}

	csv_section(w, "cumulative_flow",
		    "week,week_end,need,concept,owner_search,launched,on_hold,abandoned,total",
		    0);
	for (int j = 0; j < REVIEW_WEEKS; j++) {
		char d[ISODATE_LEN];
		csv_text(w, r->weeks[j].label);
		day(r->weeks[j].end - REVIEW_DAY, d);
		csvw_cell(w, d, strlen(d), 0);
		for (int s = 0; s < STAGE_COUNT; s++)
			csv_u(w, r->weeks[j].count[s]);
		csv_u(w, r->weeks[j].total);
		csvw_row_end(w);
	}

	csv_section(w, "by_facilitator",
		    "facilitator,need,concept,owner_search,launched,on_hold,abandoned,total,new,moves,launched_in_period",
		    0);
	csv_groups(w, r, 0);
	csv_section(w, "by_region",
		    "region,region_name,need,concept,owner_search,launched,on_hold,abandoned,total,new,moves,launched_in_period",
		    0);
	csv_groups(w, r, 1);
	csvw_free(w);
}

void review_print(FILE *f, const struct review *r, enum review_format fmt,
		  int utf8)
{
	if (fmt == REVIEW_CSV)
		print_csv(f, r);
	else if (fmt == REVIEW_MARKDOWN)
		print_markdown(f, r, utf8);
	else
		print_text(f, r, utf8);
}

/* ------------------------------------------------------------ command */

static int review_usage(const char *what)
{
	fputs("fai: review: ", stderr);
	out_safe(stderr, what, UTF8_SAFE_ONELINE);
	fputc('\n', stderr);
	fprintf(stderr, _("Try 'fai %s --help'.\n"), "review");
	return CLI_USAGE;
}

enum {
	RT_SINCE = 3000,
	RT_WEEK,
	RT_REGION,
	RT_FACILITATOR,
	RT_FORMAT,
	RT_HELP,
};

int cmd_review(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"since", required_argument, NULL, RT_SINCE},
		{"week", required_argument, NULL, RT_WEEK},
		{"region", required_argument, NULL, RT_REGION},
		{"facilitator", required_argument, NULL, RT_FACILITATOR},
		{"format", required_argument, NULL, RT_FORMAT},
		{"help", no_argument, NULL, RT_HELP},
		{NULL, 0, NULL, 0},
	};
	struct review_params p;
	enum review_format fmt = REVIEW_TEXT;
	const char *since = NULL, *week = NULL;
	int64_t now = cli->actor.now, t;
	struct review *r = NULL;
	struct fai_err err;
	int c, exit, rc;

	memset(&p, 0, sizeof(p));
	fai_err_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case RT_SINCE:
			since = optarg;
			break;
		case RT_WEEK:
			week = optarg;
			break;
		case RT_REGION:
			p.region = optarg;
			break;
		case RT_FACILITATOR:
			p.facilitator = optarg;
			break;
		case RT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				fmt = REVIEW_TEXT;
			else if (strcmp(optarg, "markdown") == 0)
				fmt = REVIEW_MARKDOWN;
			else if (strcmp(optarg, "csv") == 0)
				fmt = REVIEW_CSV;
			else
				return review_usage(_("--format is text, markdown or csv"));
			break;
		case RT_HELP:
			printf(_("Usage: fai [--db PATH] %s\n"), _(rt_synopsis));
			printf("%s\n", _(rt_summary));
			return CLI_OK;
		default: {
			char msg[256];
			snprintf(msg, sizeof(msg),
				 _("unknown option or missing value: %s"),
				 argv[optind - 1]);
			return review_usage(msg);
		}
		}
	}
	if (optind < argc)
		return review_usage(_("too many arguments"));
	if (since && week)
		return review_usage(_("give --since or --week, not both"));

	/* The period: the last 7 days by default. */
	p.end = now;
	p.start = now - 7 * (int64_t)REVIEW_DAY;
	if (since) {
		if (cli_arg_time(cli, "review", "--since", since, &t))
			return CLI_USAGE;
		if (t >= now)
			return review_usage(_("--since must be in the past"));
		p.start = t;
	}
	if (week) {
		if (isotime_parse_week(week, &t) < 0)
			return review_usage(_("--week wants an ISO week such as 2026-W09"));
		if (isotime_check_range(t) < 0)
			return cli_arg_refused(cli, "review", "--week", week,
					       FAI_WHY_DATE_RANGE);
		if (t >= now)
			return review_usage(_("--week must not be in the future"));
		p.start = t;
		p.end = t + REVIEW_WEEK;
		if (p.end > now)
			p.end = now; /* the week under way, so far */
	}
	if (p.region && validate_region(p.region, &err) < 0)
		return cli_fail(cli, -FAI_EINVAL, &err);
	if (p.facilitator && !p.facilitator[0])
		p.facilitator = NULL;

	exit = cli_store_open(cli);
	if (exit)
		return exit;
	rc = review_load_config(cli->store, &p, &err);
	if (!rc)
		rc = review_load(cli->store, &p, now, &r, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	review_print(cli->out, r, fmt, i18n_utf8());
	review_free(r);
	if (fflush(cli->out) != 0 || ferror(cli->out)) {
		fprintf(stderr, "fai: review: %s\n", _(fai_strerror(FAI_EIO)));
		return CLI_STORE;
	}
	return CLI_OK;
}
