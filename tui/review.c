/* review.c - `fai review`: the weekly pipeline review loaded from the
 * store (every idea once, then the whole log once: core/review.c), and
 * printed in the format asked (review_text.c, review_files.c).  The
 * board's review screen reuses review_load.  docs/review.md defines every
 * figure. */
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

static const char rt_synopsis[] =
    N_("review [--since DATE | --week YYYY-Www] [--region R] [--facilitator F] "
       "[--format text|markdown|csv]");
static const char rt_summary[] =
    N_("The weekly pipeline review, from the activity log: ideas per stage "
       "against the limits, new ideas, moves, launches, stale ideas, the "
       "funnel, time in stage, the cumulative flow of 12 weeks, and figures by "
       "facilitator and by region (see docs/review.md).");

/* TRANSLATORS: column headers of stage counts, at most 5 cells. */
const char *const rv_stage_col[STAGE_COUNT] = {
    NC_("column", "Need"),  NC_("column", "Conc."), NC_("column", "Owner"),
    NC_("column", "Laun."), NC_("column", "Hold"),  NC_("column", "Aban."),
};

/* ------------------------------------------------------------ loading */

int review_load_config(struct store *s, struct review_params *p,
		       struct fai_err *err)
{
	struct fai_settings set;
	int rc = store_settings(s, &set, err);
	if (rc)
		return rc;
	p->stale_days = set.stale_days;
	memcpy(p->wip, set.wip, sizeof(p->wip));
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

const char *rv_class_title(enum review_class c)
{
	return (unsigned)c < REVIEW_CLASS_COUNT ? i18n_pgettext(class_titles[c])
						: "";
}

/* How a move came about, when not by fai move: "by an undo". */
const char *rv_move_how(enum log_kind k)
{
	if (k == LOG_UNDO)
		return _("by an undo");
	if (k == LOG_IMPORT)
		return _("by an import");
	return "";
}

/* The order of the move lists: how far along, then the side roads. */
const enum review_class rv_class_order[REVIEW_CLASS_COUNT] = {
    REVIEW_FORWARD, REVIEW_SETBACK, REVIEW_HOLD,
    REVIEW_RESUME,  REVIEW_ABANDON, REVIEW_REOPEN,
};

const char *rv_how_code(enum log_kind k)
{
	return log_kind_code(k);
}

/* "2026-03-04" */
void rv_day(int64_t t, char out[ISODATE_LEN])
{
	isotime_format_date(t, out);
}

/* The last day of [start, end): end is exclusive. */
void rv_last_day(const struct review *r, char out[ISODATE_LEN])
{
	rv_day(r->params.end > r->params.start ? r->params.end - 1
					       : r->params.end,
	       out);
}

void rv_heading(const struct review *r, struct buf *title, struct buf *scope,
		struct buf *asof)
{
	char b[ISODATE_LEN];
	rv_last_day(r, b);
	/* The period's bounds are UTC days, shown as days (no zone); "now"
	 * is a time, in the person's zone. */
	buf_printf(title, _("Pipeline review, %s to %s"),
		   out_day_of(r->params.start), out_day(b));
	if (r->params.region) {
		const char *name = validate_region_name(r->params.region);
		buf_printf(scope, _("Region %s (%s)."), r->params.region,
			   name ? name : "?");
	}
	if (r->params.facilitator) {
		if (scope->len)
			buf_addc(scope, ' ');
		buf_printf(scope, _("Facilitator matching \"%s\"."),
			   r->params.facilitator);
	}
	buf_printf(asof,
		   ngettext("As of %s; stale after %ld day without activity.",
			    "As of %s; stale after %ld days without activity.",
			    (unsigned long)r->params.stale_days),
		   out_time(r->now), r->params.stale_days);
}

void rv_title_stale(const struct review *r, struct buf *out)
{
	buf_printf(out,
		   ngettext("Stale: no activity for %ld day or more (%zu)",
			    "Stale: no activity for %ld days or more (%zu)",
			    (unsigned long)r->params.stale_days),
		   r->params.stale_days, r->stale.n);
}

void rv_title_funnel(const struct review *r, struct buf *out)
{
	char b[ISODATE_LEN];
	rv_last_day(r, b);
	buf_printf(
	    out,
	    ngettext("Funnel: the %llu idea that entered need from %s to %s",
		     "Funnel: the %llu ideas that entered need from %s to %s",
		     (unsigned long)r->cohort),
	    (unsigned long long)r->cohort, out_day_of(r->year_start),
	    out_day(b));
}

/* A whole number, or "-" when v < 0. */
const char *rv_num(char buf[32], long v)
{
	if (v < 0)
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%ld", v);
	return buf;
}

const char *rv_unum(char buf[32], uint64_t v)
{
	snprintf(buf, 32, "%llu", (unsigned long long)v);
	return buf;
}

const char *rv_pct(char buf[32], uint64_t part, uint64_t whole)
{
	long p = review_percent(part, whole);
	if (p < 0)
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%ld%%", p);
	return buf;
}

void review_print(FILE *f, const struct review *r, enum review_format fmt,
		  int utf8)
{
	if (fmt == REVIEW_CSV)
		review_print_csv(f, r);
	else if (fmt == REVIEW_MARKDOWN)
		review_print_markdown(f, r, utf8);
	else
		review_print_text(f, r, utf8);
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
				return review_usage(
				    _("--format is text, markdown or csv"));
			break;
		case RT_HELP:
			printf(_("Usage: fai [--db PATH] %s\n"),
			       _(rt_synopsis));
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
			return review_usage(
			    _("--week wants an ISO week such as 2026-W09"));
		if (isotime_check_range(t) < 0)
			return cli_arg_refused(cli, "review", "--week", week,
					       FAI_WHY_DATE_RANGE);
		if (t >= now)
			return review_usage(
			    _("--week must not be in the future"));
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
