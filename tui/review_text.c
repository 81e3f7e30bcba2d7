/* review_text.c - the review for a terminal: 80 columns, tables whose
 * columns fit the widest cell, bars for the pipeline and the funnel, a
 * chart of the cumulative flow; Unicode or ASCII; stored text shown
 * display-safe.  The text is made line by line, each line handed to a sink
 * with the list entry it is about (review_text_lines), so the board's
 * review screen has the idea of a line without reading it back. */
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
#include "review_int.h"

/* ------------------------------------------------------------ text */

struct tw {
	struct buf line;
	int utf8;
	const struct review_event *ev; /* what the lines being made are about */
	void (*sink)(void *ctx, const char *line, size_t len,
		     const struct review_event *ev);
	void *ctx;
};

/* Hands the line, without its trailing spaces, to the sink. */
static void tw_end(struct tw *w)
{
	while (w->line.len && w->line.data[w->line.len - 1] == ' ')
		w->line.data[--w->line.len] = '\0';
	w->sink(w->ctx, w->line.data ? w->line.data : "", w->line.len, w->ev);
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
	tw_end(w); /* a blank line before */
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
	struct buf title, scope, asof;
	buf_init(&title);
	buf_init(&scope);
	buf_init(&asof);
	rv_heading(r, &title, &scope, &asof);
	tw_rest(w, title.data);
	tw_end(w);
	if (scope.len) {
		tw_rest(w, scope.data);
		tw_end(w);
	}
	tw_rest(w, asof.data);
	tw_end(w);
	buf_free(&title);
	buf_free(&scope);
	buf_free(&asof);
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
		tw_rcell(w, rv_unum(n, r->count[s]), 7);
		tw_rcell(w,
			 r->params.wip[s] ? rv_unum(l, r->params.wip[s]) : "-",
			 7);
		tw_pad(w, 2);
		size_t at = tw_used(w);
		tw_bar(w, r->count[s], max, wbar);
		if (r->params.wip[s] && r->count[s] > r->params.wip[s]) {
			size_t used = tw_used(w);
			tw_pad(w,
			       at + wbar + 1 > used ? at + wbar + 1 - used : 1);
			tw_rest(w, _("over the limit"));
		}
		tw_end(w);
	}
	tw_pad(w, 2);
	tw_cell(w, _("Total"), wlabel);
	tw_rcell(w, rv_unum(n, r->total), 7);
	tw_end(w);
}

static void text_new(struct tw *w, const struct review *r)
{
	struct buf t;
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
		w->ev = ev;
		tw_ref_title(w, ev, 2, wref, title);
		tw_pad(w, 2);
		tw_cell(w, out_date(ev->at), 10);
		tw_pad(w, 2);
		tw_cell(w, ev->kind == LOG_IMPORT ? _("(imported)") : ev->user,
			wuser);
		tw_end(w);
	}
	w->ev = NULL;
}

static void text_moves(struct tw *w, const struct review *r)
{
	struct buf t;
	size_t wref = ref_width(&r->moves);
	buf_init(&t);
	buf_printf(&t, _("Moves (%zu)"), r->moves.n);
	tw_heading(w, t.data);
	if (!r->moves.n)
		tw_none(w);
	for (int k = 0; k < REVIEW_CLASS_COUNT; k++) {
		enum review_class c = rv_class_order[k];
		if (!r->nclass[c])
			continue;
		buf_reset(&t);
		buf_printf(&t, "%s (%llu)", rv_class_title(c),
			   (unsigned long long)r->nclass[c]);
		tw_pad(w, 2);
		tw_rest(w, t.data);
		tw_end(w);
		for (size_t i = 0; i < r->moves.n; i++) {
			const struct review_event *ev = &r->moves.v[i];
			if (ev->cls != c)
				continue;
			w->ev = ev; /* its two or three lines */
			tw_ref_title(w, ev, 4, wref, 0);
			tw_end(w);
			/* Second line: from -> to, date, who, how. */
			buf_reset(&t);
			buf_printf(&t, "%s%s%s, ", out_stage_short(ev->from),
				   arrow(w), out_stage_short(ev->to));
			buf_printf(&t, "%s, %s", out_date(ev->at), ev->user);
			if (ev->forced)
				buf_printf(&t, ", %s", _("gate forced"));
			if (rv_move_how(ev->kind)[0])
				buf_printf(&t, ", %s", rv_move_how(ev->kind));
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
			w->ev = NULL;
		}
	}
	buf_free(&t);
}

static void text_launched(struct tw *w, const struct review *r)
{
	struct buf t;
	size_t wref = ref_width(&r->launched);
	buf_init(&t);
	buf_printf(&t, _("Launched (%zu)"), r->launched.n);
	tw_heading(w, t.data);
	if (!r->launched.n)
		tw_none(w);
	for (size_t i = 0; i < r->launched.n; i++) {
		const struct review_event *ev = &r->launched.v[i];
		w->ev = ev;
		tw_ref_title(w, ev, 2, wref, 0);
		tw_end(w);
		buf_reset(&t);
		buf_adds(&t, ev->structure[0] ? ev->structure
					      : _("(no structure)"));
		if (ev->jobs >= 0) {
			buf_adds(&t, ", ");
			buf_printf(&t,
				   ngettext("%ld job", "%ld jobs",
					    (unsigned long)ev->jobs),
				   ev->jobs);
		}
		buf_printf(&t, ", %s, %s", out_date(ev->at), ev->user);
		tw_pad(w, 2 + wref + 2);
		tw_rest(w, t.data);
		tw_end(w);
		w->ev = NULL;
	}
	buf_free(&t);
}

static void text_stale(struct tw *w, const struct review *r)
{
	struct buf t;
	char n[64];
	size_t wref = ref_width(&r->stale), wstage = 0;
	buf_init(&t);
	rv_title_stale(r, &t);
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
		w->ev = ev;
		tw_ref_title(w, ev, 2, wref, title);
		tw_pad(w, 2);
		tw_cell(w, out_stage_short(ev->stage), wstage);
		snprintf(
		    n, sizeof(n),
		    ngettext("%ld day", "%ld days", (unsigned long)ev->days),
		    ev->days);
		tw_rcell(w, n, 12);
		tw_end(w);
	}
	w->ev = NULL;
}

static void text_funnel(struct tw *w, const struct review *r)
{
	struct buf t;
	char n[32], p[32];
	const size_t wlabel = 24;
	static const char *const side[2] = {
	    N_("On hold at some point"),
	    N_("Abandoned at some point"),
	};
	buf_init(&t);
	rv_title_funnel(r, &t);
	tw_heading(w, t.data);
	buf_free(&t);
	for (int s = 0; s < STAGE_COUNT; s++) {
		tw_pad(w, 2);
		tw_cell(w,
			s < STAGE_PIPELINE_COUNT ? out_stage_label(s)
						 : _(side[s - STAGE_ON_HOLD]),
			wlabel);
		tw_rcell(w, rv_unum(n, r->reached[s]), 6);
		tw_rcell(w, rv_pct(p, r->reached[s], r->cohort), 6);
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
		tw_col(w, rv_unum(n, r->stay[s].n), wn);
		tw_col(w, rv_num(n, r->stay[s].median), wn);
		tw_col(w, rv_num(n, r->stay[s].p90), wn);
		tw_col(w, rv_unum(n, r->age[s].n), wn);
		tw_col(w, rv_num(n, r->age[s].median), wn);
		tw_col(w, rv_num(n, r->age[s].p90), wn);
		tw_col(w, rv_num(n, r->age[s].max), wn);
		tw_end(w);
	}
}

/* The glyphs of the cumulative flow chart, one per stage. */
static const char *flow_glyph(const struct tw *w, int s)
{
	static const char *const u[STAGE_COUNT] = {"░", "▒", "▓",
						   "█", "╌", "×"};
	static const char *const a[STAGE_COUNT] = {"-", "=", "+",
						   "#", "~", "x"};
	return w->utf8 ? u[s] : a[s];
}

static void text_flow(struct tw *w, const struct review *r)
{
	char n[32];
	const size_t wweek = 8, wn = 7, wchart = 56;
	uint64_t max = 0;

	tw_heading(
	    w, _("Cumulative flow: ideas per stage at the end of each week"));
	tw_pad(w, 2);
	tw_cell(w, _("Week"), wweek);
	for (int s = 0; s < STAGE_COUNT; s++)
		tw_col(w, i18n_pgettext(rv_stage_col[s]), wn);
	tw_col(w, _("Total"), wn);
	tw_end(w);
	for (int j = 0; j < REVIEW_WEEKS; j++) {
		const struct review_week *k = &r->weeks[j];
		tw_pad(w, 2);
		tw_cell(w, k->label, wweek);
		for (int s = 0; s < STAGE_COUNT; s++)
			tw_col(w, rv_unum(n, k->count[s]), wn);
		tw_col(w, rv_unum(n, k->total), wn);
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
		tw_rest(w, rv_unum(n, k->total));
		tw_end(w);
	}
	/* The legend, wrapped at 80 columns. */
	tw_pad(w, 2);
	for (int s = 0; s < STAGE_COUNT; s++) {
		struct buf item;
		buf_init(&item);
		buf_printf(&item, "%s %s", flow_glyph(w, s),
			   out_stage_short(s));
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
	const struct review_group *g =
	    by_region ? r->by_region : r->by_facilitator;
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
		tw_col(w, i18n_pgettext(rv_stage_col[s]), wn);
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
			tw_col(w, rv_unum(n, g[i].count[s]), wn);
		tw_col(w, rv_unum(n, g[i].total), wn);
		tw_col(w, rv_unum(n, g[i].new_ideas), wn);
		tw_col(w, rv_unum(n, g[i].moves), wn);
		tw_col(w, rv_unum(n, g[i].launched), wn);
		tw_end(w);
	}
}

void review_text_lines(const struct review *r, int utf8,
		       void (*sink)(void *ctx, const char *line, size_t len,
				    const struct review_event *ev),
		       void *ctx)
{
	struct tw w = {.utf8 = utf8, .sink = sink, .ctx = ctx};
	buf_init(&w.line);
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

static void print_line(void *ctx, const char *line, size_t len,
		       const struct review_event *ev)
{
	FILE *f = ctx;
	(void)ev;
	if (len)
		fwrite(line, 1, len, f);
	fputc('\n', f);
}

void review_print_text(FILE *f, const struct review *r, int utf8)
{
	review_text_lines(r, utf8, print_line, f);
}
