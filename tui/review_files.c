/* review_files.c - the review as files: markdown to paste in a mail
 * (headings, pipe tables) and CSV for Avise (one section per table,
 * formulas guarded as export's excel-fr does). */
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
		const char *h[] = {_("Ref"),  _("Title"), _("Move"),
				   _("Date"), _("By"),	  _("Note")};
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
		rv_day(ev->at, d);
		if (kind == MD_NEW) {
			const char *c[] = {ev->ref, ev->title, d,
					   ev->kind == LOG_IMPORT
					       ? _("(imported)")
					       : ev->user};
			md_row(f, c, 4);
		} else if (kind == MD_MOVES) {
			buf_reset(&t);
			buf_printf(&t, "%s%s%s", out_stage_short(ev->from),
				   utf8 ? " → " : " -> ",
				   out_stage_short(ev->to));
			struct buf note;
			buf_init(&note);
			buf_adds(&note, "");
			if (ev->forced)
				buf_printf(&note, "%s", _("gate forced"));
			if (rv_move_how(ev->kind)[0])
				buf_printf(&note, "%s%s", note.len ? "; " : "",
					   rv_move_how(ev->kind));
			if (ev->reason[0])
				buf_printf(&note, "%s%s", note.len ? "; " : "",
					   ev->reason);
			const char *c[] = {ev->ref, ev->title, t.data,
					   d,	    ev->user,  note.data};
			md_row(f, c, 6);
			buf_free(&note);
		} else if (kind == MD_LAUNCHED) {
			const char *c[] = {ev->ref, ev->title, ev->structure,
					   rv_num(n, ev->jobs), d};
			md_row(f, c, 5);
		} else {
			const char *c[] = {ev->ref, ev->title,
					   out_stage_short(ev->stage), d,
					   rv_num(n, ev->days)};
			md_row(f, c, 5);
		}
	}
	buf_free(&t);
}

static void md_groups(FILE *f, const struct review *r, int by_region)
{
	const struct review_group *g =
	    by_region ? r->by_region : r->by_facilitator;
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
			c[1 + s] = rv_unum(v[s], g[i].count[s]);
		c[7] = rv_unum(v[6], g[i].total);
		c[8] = rv_unum(v[7], g[i].new_ideas);
		c[9] = rv_unum(v[8], g[i].moves);
		c[10] = rv_unum(v[9], g[i].launched);
		md_row(f, c, 11);
		buf_free(&name);
	}
}

void review_print_markdown(FILE *f, const struct review *r, int utf8)
{
	char v[8][32];
	struct buf t;
	buf_init(&t);

	struct buf scope, asof;
	buf_init(&scope);
	buf_init(&asof);
	rv_heading(r, &t, &scope, &asof);
	fputs("# ", f);
	md_text(f, t.data);
	fputs("\n\n", f);
	if (scope.len) {
		md_text(f, scope.data);
		fputc(' ', f);
	}
	md_text(f, asof.data);
	fputc('\n', f);
	buf_free(&scope);
	buf_free(&asof);

	md_heading(f, _("Pipeline now"));
	{
		const char *h[] = {_("Stage"), _("Ideas"), _("Limit"), ""};
		md_head(f, h, "lrrl");
		for (int s = 0; s < STAGE_COUNT; s++) {
			const char *c[] = {
			    out_stage_label(s), rv_unum(v[0], r->count[s]),
			    r->params.wip[s] ? rv_unum(v[1], r->params.wip[s])
					     : "-",
			    r->params.wip[s] && r->count[s] > r->params.wip[s]
				? _("over the limit")
				: ""};
			md_row(f, c, 4);
		}
		const char *c[] = {_("Total"), rv_unum(v[0], r->total), "", ""};
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
		enum review_class c = rv_class_order[k];
		struct review_list sub = {NULL, 0};
		if (!r->nclass[c])
			continue;
		sub.v = xcalloc(r->moves.n, sizeof(*sub.v));
		for (size_t i = 0; i < r->moves.n; i++)
			if (r->moves.v[i].cls == c)
				sub.v[sub.n++] = r->moves.v[i];
		buf_reset(&t);
		buf_printf(&t, "%s (%zu)", rv_class_title(c), sub.n);
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
	rv_title_stale(r, &t);
	md_heading(f, t.data);
	md_events(f, &r->stale, MD_STALE, utf8);

	buf_reset(&t);
	rv_title_funnel(r, &t);
	md_heading(f, t.data);
	{
		const char *h[] = {_("Stage"), _("Ideas"), _("Share")};
		static const char *const side[2] = {
		    N_("On hold at some point"),
		    N_("Abandoned at some point"),
		};
		md_head(f, h, "lrr");
		for (int s = 0; s < STAGE_COUNT; s++) {
			const char *c[] = {
			    s < STAGE_PIPELINE_COUNT
				? out_stage_label(s)
				: _(side[s - STAGE_ON_HOLD]),
			    rv_unum(v[0], r->reached[s]),
			    rv_pct(v[1], r->reached[s], r->cohort)};
			md_row(f, c, 3);
		}
	}

	md_heading(f, _("Time in stage, in days"));
	{
		const char *h[] = {_("Stage"),
				   _("Stays ended in 12 months"),
				   _("Median"),
				   _("90th"),
				   _("Ideas there now"),
				   _("Median"),
				   _("90th"),
				   _("Oldest")};
		md_head(f, h, "lrrrrrrr");
		for (int s = 0; s < STAGE_COUNT; s++) {
			const char *c[] = {out_stage_label(s),
					   rv_unum(v[0], r->stay[s].n),
					   rv_num(v[1], r->stay[s].median),
					   rv_num(v[2], r->stay[s].p90),
					   rv_unum(v[3], r->age[s].n),
					   rv_num(v[4], r->age[s].median),
					   rv_num(v[5], r->age[s].p90),
					   rv_num(v[6], r->age[s].max)};
			md_row(f, c, 8);
		}
	}

	md_heading(
	    f, _("Cumulative flow: ideas per stage at the end of each week"));
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
				c[1 + s] = rv_unum(w[s], r->weeks[j].count[s]);
			c[7] = rv_unum(w[6], r->weeks[j].total);
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
	rv_unum(n, v);
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
	const struct review_group *g =
	    by_region ? r->by_region : r->by_facilitator;
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

void review_print_csv(FILE *f, const struct review *r)
{
	struct csvw *w = csvw_new(f, CSV_DIALECT_RFC4180);
	csv_section(w, "review", "key,value", 1);
	struct {
		const char *key;
		int64_t t;
	} times[] = {
	    {"period_start", r->params.start},
	    {"period_end", r->params.end},
	    {"now", r->now},
	    {"funnel_start", r->year_start},
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
		csv_text(w, rv_how_code(ev->kind));
		csvw_row_end(w);
	}

	csv_section(w, "moves",
		    "ref,title,region,facilitator,class,from,to,at,by,how,"
		    "forced,reason",
		    0);
	for (size_t i = 0; i < r->moves.n; i++) {
		const struct review_event *ev = &r->moves.v[i];
		csv_idea(w, ev);
		csv_text(w, review_class_code(ev->cls));
		csv_text(w, stage_code(ev->from));
		csv_text(w, stage_code(ev->to));
		csv_time(w, ev->at);
		csv_text(w, ev->user);
		csv_text(w, rv_how_code(ev->kind));
		csv_l(w, ev->forced);
		csv_text(w, ev->reason);
		csvw_row_end(w);
	}

	csv_section(
	    w, "launched",
	    "ref,title,region,facilitator,structure,jobs,launched_at,by", 0);
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
		    "stage,stays,stay_median_days,stay_p90_days,stay_max_days,"
		    "now,now_median_days,now_p90_days,now_max_days",
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
		    "week,week_end,need,concept,owner_search,launched,on_hold,"
		    "abandoned,total",
		    0);
	for (int j = 0; j < REVIEW_WEEKS; j++) {
		char d[ISODATE_LEN];
		csv_text(w, r->weeks[j].label);
		rv_day(r->weeks[j].end - REVIEW_DAY, d);
		csvw_cell(w, d, strlen(d), 0);
		for (int s = 0; s < STAGE_COUNT; s++)
			csv_u(w, r->weeks[j].count[s]);
		csv_u(w, r->weeks[j].total);
		csvw_row_end(w);
	}

	csv_section(w, "by_facilitator",
		    "facilitator,need,concept,owner_search,launched,on_hold,"
		    "abandoned,total,new,moves,launched_in_period",
		    0);
	csv_groups(w, r, 0);
	csv_section(w, "by_region",
		    "region,region_name,need,concept,owner_search,launched,on_"
		    "hold,abandoned,total,new,moves,launched_in_period",
		    0);
	csv_groups(w, r, 1);
	csvw_free(w);
}
