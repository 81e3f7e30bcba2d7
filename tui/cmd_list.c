/* cmd_list.c - reading ideas: `fai list` (with the filters export shares),
 * `fai show`, `fai log`, as a table or text for people and TSV or JSON for
 * scripts. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../core/card.h"
#include "../core/config.h"
#include "../core/filter.h"
#include "../core/geo.h"
#include "../core/isotime.h"
#include "../core/template.h"
#include "../core/utf8.h"
#include "../core/validate.h"
#include "../store/exchange.h"
#include "../store/outfile.h"
#include "../core/xmalloc.h"
#include "i18n.h"
#include "out.h"
#include "cmd.h"

/* ------------------------------------------------------------ list */

enum list_format { FORMAT_TABLE, FORMAT_TSV, FORMAT_JSON, FORMAT_TEXT };

struct list_run {
	struct idea_filter f;
	struct idea **ideas;
	size_t n;
};

static int list_collect(const struct idea *idea, void *arg)
{
	struct list_run *r = arg;
	if (!idea_filter_match(&r->f, idea))
		return 0;
	r->ideas = xrealloc(r->ideas, (r->n + 1) * sizeof(*r->ideas));
	r->ideas[r->n++] = idea_clone(idea);
	return 0;
}

static void list_table(struct cli *cli, struct list_run *r)
{
	size_t width = out_term_width();
	size_t wref = 7, wstage = 0, wterr = 16, wfac = 14, wdays = 4;
	struct buf line;
	buf_init(&line);

	for (size_t i = 0; i < r->n; i++) {
		size_t w = utf8_width(idea_get(r->ideas[i], IDEA_REF));
		if (w > wref)
			wref = w;
	}
	for (int s = 0; s < STAGE_COUNT; s++) {
		size_t w = utf8_width(out_stage_short(s));
		if (w > wstage)
			wstage = w;
	}
	/* A column is never narrower than its (translated) header:
	 * "TERRITOIRE", "JOURS" must not be cut. */
	size_t *wcol[] = {&wref, &wstage, &wterr, &wfac, &wdays};
	const char *head[] = {_("REF"), _("STAGE"), _("TERRITORY"),
			      _("FACILITATOR"), _("DAYS")};
	for (size_t k = 0; k < sizeof(wcol) / sizeof(wcol[0]); k++)
		if (utf8_width(head[k]) > *wcol[k])
			*wcol[k] = utf8_width(head[k]);
	/* Drop columns rather than squeeze the title below 16 cells. */
	size_t fixed = wref + 1 + wstage + 1 + wdays + 1;
	int show_terr = width >= fixed + wterr + 1 + 16;
	if (show_terr)
		fixed += wterr + 1;
	int show_fac = width >= fixed + wfac + 1 + 16;
	if (show_fac)
		fixed += wfac + 1;
	size_t wtitle = width > fixed + 8 ? width - fixed : 8;

	out_cell(&line, _("REF"), wref);
	buf_addc(&line, ' ');
	out_cell(&line, _("STAGE"), wstage);
	buf_addc(&line, ' ');
	out_cell(&line, _("TITLE"), wtitle);
	buf_addc(&line, ' ');
	if (show_terr) {
		out_cell(&line, _("TERRITORY"), wterr);
		buf_addc(&line, ' ');
	}
	if (show_fac) {
		out_cell(&line, _("FACILITATOR"), wfac);
		buf_addc(&line, ' ');
	}
	out_cell(&line, _("DAYS"), wdays);
	while (line.len && line.data[line.len - 1] == ' ')
		line.data[--line.len] = '\0';
	fprintf(cli->out, "%s\n", line.data);

	for (size_t i = 0; i < r->n; i++) {
		const struct idea *idea = r->ideas[i];
		char days[24];
		buf_reset(&line);
		out_cell(&line, idea_get(idea, IDEA_REF), wref);
		buf_addc(&line, ' ');
		out_cell(&line, out_stage_short(idea_stage(idea)), wstage);
		buf_addc(&line, ' ');
		out_cell(&line, idea_get(idea, IDEA_TITLE), wtitle);
		buf_addc(&line, ' ');
		if (show_terr) {
			/* by its names, as its card shows it */
			struct card k;
			card_of(idea, cli->actor.now, -1, &k);
			out_cell(&line, k.territory, wterr);
			buf_addc(&line, ' ');
		}
		if (show_fac) {
			out_cell(&line, idea_get(idea, IDEA_FACILITATOR), wfac);
			buf_addc(&line, ' ');
		}
		snprintf(days, sizeof(days), "%*ld", (int)wdays,
			 idea_days_in_stage(idea, cli->actor.now));
		buf_adds(&line, days);
		fprintf(cli->out, "%s\n", line.data);
	}
	buf_free(&line);
}

/* Prints one idea as a JSON object of every non-internal field. */
static void idea_json(FILE *f, const struct idea *idea)
{
	int first = 1;
	fputc('{', f);
	for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
		const struct idea_field_info *fi = idea_field_info(i);
		if (fi->flags & IDEA_FF_INTERNAL)
			continue;
		fprintf(f, "%s\"%s\":", first ? "" : ",", fi->code);
		first = 0;
		const char *v = idea_get(idea, i);
		if ((fi->flags & IDEA_FF_NUMERIC) && *v &&
		    strspn(v, "0123456789") == strlen(v) &&
		    (v[0] != '0' || !v[1]))
			fputs(v, f);
		else if ((fi->flags & IDEA_FF_NUMERIC) && *v)
			out_json(f, v); /* a damaged store: still JSON */
		else if ((fi->flags & IDEA_FF_NUMERIC) || !*v)
			fputs("null", f);
		else
			out_json(f, v);
	}
	fputc('}', f);
}

static void list_tsv(struct cli *cli, struct list_run *r)
{
	int first = 1;
	for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
		if (idea_field_info(i)->flags & IDEA_FF_INTERNAL)
			continue;
		fprintf(cli->out, "%s%s", first ? "" : "\t",
			idea_field_info(i)->code);
		first = 0;
	}
	fputc('\n', cli->out);
	for (size_t k = 0; k < r->n; k++) {
		first = 1;
		for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
			if (idea_field_info(i)->flags & IDEA_FF_INTERNAL)
				continue;
			if (!first)
				fputc('\t', cli->out);
			first = 0;
			out_tsv(cli->out, idea_get(r->ideas[k], i));
		}
		fputc('\n', cli->out);
	}
}

static int parse_format(const char *s, int allow_table)
{
	if (allow_table && strcmp(s, "table") == 0)
		return FORMAT_TABLE;
	if (!allow_table && strcmp(s, "text") == 0)
		return FORMAT_TEXT;
	if (strcmp(s, "tsv") == 0)
		return FORMAT_TSV;
	if (strcmp(s, "json") == 0)
		return FORMAT_JSON;
	return -1;
}

int cmd_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    FILTER_OPTIONS{"format", required_argument, NULL, OPT_FORMAT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct list_run r;
	struct fai_err err;
	uint64_t *ckeys = NULL;
	int c, format = FORMAT_TABLE, exit;

	memset(&r, 0, sizeof(r));
	idea_filter_init(&r.f, cli->actor.now);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int fo = cli_filter_option(cli, "list", c, optarg, &r.f);
		if (fo < 0)
			return -fo;
		if (fo == 0)
			continue;
		switch (c) {
		case OPT_FORMAT:
			format = parse_format(optarg, 1);
			if (format < 0)
				return cli_usage_error(
				    cli, "list",
				    _("--format is table, tsv or json"));
			break;
		case OPT_HELP:
			return cli_help_for("list");
		default:
			return cli_bad_option(cli, "list", argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "list", _("too many arguments"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	exit = cli_filter_comments(cli, &r.f, &ckeys);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int rc = store_idea_foreach(cli->store, list_collect, &r, &err);
	if (rc) {
		exit = cli_fail(cli, rc, &err);
		goto out;
	}
	if (format == FORMAT_TABLE) {
		list_table(cli, &r);
	} else if (format == FORMAT_TSV) {
		list_tsv(cli, &r);
	} else {
		fputc('[', cli->out);
		for (size_t i = 0; i < r.n; i++) {
			fputs(i ? ",\n" : "\n", cli->out);
			idea_json(cli->out, r.ideas[i]);
		}
		fputs("\n]\n", cli->out);
	}
out:
	for (size_t i = 0; i < r.n; i++)
		idea_free(r.ideas[i]);
	free(r.ideas);
	free(ckeys);
	return exit;
}

int cli_filter_comments(struct cli *cli, struct idea_filter *lf,
			uint64_t **keys)
{
	struct fai_err err;
	size_t n = 0;
	*keys = NULL;
	if (!lf->search || !*lf->search)
		return 0;
	fai_err_clear(&err);
	int rc = store_comments_search(cli->store, lf->search, keys, &n, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	lf->comment_keys = *keys;
	lf->ncomment_keys = n;
	return 0;
}

int cli_filter_option(struct cli *cli, const char *cmd, int c, const char *arg,
		      struct idea_filter *lf)
{
	uint64_t days;
	switch (c) {
	case OPT_STAGE:
		lf->stage = stage_parse(arg);
		if (lf->stage == STAGE_NONE)
			return -cli_usage_error(
			    cli, cmd,
			    _("unknown stage (need, concept, owner_search, "
			      "launched, on_hold, abandoned)"));
		return 0;
	case OPT_FIELD + IDEA_REGION:
		lf->region = arg;
		return 0;
	case OPT_FIELD + IDEA_THEME:
		lf->theme = arg;
		return 0;
	case OPT_TAG:
		lf->tag = arg;
		return 0;
	case OPT_FIELD + IDEA_FACILITATOR:
		lf->facilitator = arg;
		return 0;
	case OPT_SEARCH:
		lf->search = arg;
		return 0;
	case OPT_STALE:
		if (cli_arg_number(cli, cmd, "--stale", arg, 0, CLI_NUMBER_MAX,
				   &days))
			return -CLI_USAGE;
		lf->stale_days = (long)days;
		return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ history */

/* Appends a one-line, translated account of a log entry (not yet made
 * display-safe). */
static void entry_describe(struct buf *b, const struct log_entry *e, int redo)
{
	const struct log_change *st = log_entry_change(e, "stage");
	switch (e->kind) {
	case LOG_CREATE:
		buf_printf(b, _("created \"%s\""),
			   log_entry_change(e, "title")
			       ? log_entry_change(e, "title")->after
			       : "");
		break;
	case LOG_MOVE:
		buf_printf(
		    b, _("moved %s → %s"),
		    st && st->before ? out_stage_label(stage_parse(st->before))
				     : "?",
		    st && st->after ? out_stage_label(stage_parse(st->after))
				    : "?");
		if (e->forced)
			buf_printf(b, " %s", _("(gate forced)"));
		if (e->text && *e->text)
			buf_printf(b, _(" — reason: %s"), e->text);
		break;
	case LOG_EDIT:
		buf_adds(b, _("edited"));
		for (size_t i = 0; i < e->nchanges; i++) {
			int f = idea_field_parse(e->changes[i].name);
			buf_printf(b, "%s%s", i ? ", " : " ",
				   f >= 0 ? out_field_label(f)
					  : e->changes[i].name);
		}
		break;
	case LOG_COMMENT:
		buf_printf(b, _("comment: %s"), e->text ? e->text : "");
		break;
	case LOG_REORDER:
		buf_adds(b, _("reordered in its column"));
		break;
	case LOG_UNDO:
		cli_undo_describe(b, e, redo);
		break;
	case LOG_IMPORT:
		buf_printf(b, _("imported: %s"), e->text ? e->text : "");
		if (e->forced)
			buf_printf(b, " %s", _("(gate forced)"));
		break;
	case LOG_CONFIG:
		if (e->nchanges)
			buf_printf(
			    b, _("setting %s: %s → %s"),
			    e->changes[0].name + strlen("config:"),
			    e->changes[0].before ? e->changes[0].before : "",
			    e->changes[0].after ? e->changes[0].after : "");
		break;
	default:
		buf_adds(b, log_kind_code(e->kind));
	}
}

/* Prints a log entry as one display-safe line; redo: e is an UNDO entry
 * that redoes (cli_undos_note). */
void cli_entry_print(FILE *f, const struct log_entry *e, int with_ref, int redo)
{
	struct buf b;
	buf_init(&b);
	/* Local time, minutes are enough: "14/06/2026 à 11:20". */
	buf_printf(&b, "%s  %-10s ", out_time(e->at), e->user ? e->user : "?");
	if (with_ref)
		buf_printf(&b, "%-8s ", e->ref[0] ? e->ref : "-");
	entry_describe(&b, e, redo);
	out_safe(f, b.data, UTF8_SAFE_ONELINE);
	fputc('\n', f);
	buf_free(&b);
}

/* ------------------------------------------------------------ show */

struct show_hist {
	FILE *f;
	struct cli_undos undos;
};

static int show_entry(const struct log_entry *e, void *arg)
{
	struct show_hist *h = arg;
	cli_entry_print(h->f, e, 0, cli_undos_note(&h->undos, e));
	return 0;
}

struct json_log {
	FILE *f;
	int n;
};

static int show_entry_json(const struct log_entry *e, void *arg)
{
	struct json_log *j = arg;
	char when[ISOTIME_LEN];
	isotime_format(e->at, when);
	fprintf(j->f, "%s\n  {\"seq\":%llu,\"at\":\"%s\",\"user\":",
		j->n++ ? "," : "", (unsigned long long)e->seq, when);
	out_json(j->f, e->user);
	fprintf(j->f, ",\"kind\":\"%s\",\"ref\":", log_kind_code(e->kind));
	out_json(j->f, e->ref);
	fprintf(j->f, ",\"revision\":%llu,\"forced\":%s",
		(unsigned long long)e->revision, e->forced ? "true" : "false");
	if (e->client) {
		fputs(",\"client\":", j->f);
		out_json(j->f, e->client);
	}
	if (e->text) {
		fputs(",\"text\":", j->f);
		out_json(j->f, e->text);
	}
	if (e->kind == LOG_UNDO)
		fprintf(j->f, ",\"undoes\":%llu",
			(unsigned long long)e->target);
	fputs(",\"changes\":[", j->f);
	for (size_t i = 0; i < e->nchanges; i++) {
		fputs(i ? ",{\"field\":" : "{\"field\":", j->f);
		out_json(j->f, e->changes[i].name);
		fputs(",\"before\":", j->f);
		if (e->changes[i].before)
			out_json(j->f, e->changes[i].before);
		else
			fputs("null", j->f);
		fputs(",\"after\":", j->f);
		if (e->changes[i].after)
			out_json(j->f, e->changes[i].after);
		else
			fputs("null", j->f);
		fputc('}', j->f);
	}
	fputs("]}", j->f);
	return 0;
}

/* Prints a multi-line value indented under its label. */
static void print_block(FILE *f, const char *v, size_t indent)
{
	struct buf b;
	buf_init(&b);
	utf8_safe(&b, v, strlen(v), UTF8_SAFE_MULTILINE);
	for (const char *p = b.data ? b.data : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(f, "%*s%.*s\n", (int)indent, "", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	buf_free(&b);
}

static void show_text(struct cli *cli, const struct idea *idea)
{
	FILE *f = cli->out;
	size_t wlabel = 0;
	struct fai_err err;

	for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
		size_t w = utf8_width(out_field_label(i));
		if (w > wlabel)
			wlabel = w;
	}
	out_safe(f, idea_get(idea, IDEA_REF), UTF8_SAFE_ONELINE);
	fputs("  ", f);
	out_safe(f, idea_get(idea, IDEA_TITLE), UTF8_SAFE_ONELINE);
	fputc('\n', f);
	for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
		const struct idea_field_info *fi = idea_field_info(i);
		const char *v = idea_get(idea, i);
		if ((fi->flags & IDEA_FF_INTERNAL) || i == IDEA_TITLE ||
		    i == IDEA_REF)
			continue;
		const char *label = out_field_label(i);
		fprintf(f, "%s:%*s ", label, (int)(wlabel - utf8_width(label)),
			"");
		if (i == IDEA_STAGE) {
			fprintf(f, _("%s (for %ld days)"),
				out_stage_label(idea_stage(idea)),
				idea_days_in_stage(idea, cli->actor.now));
			fputc('\n', f);
		} else if (i == IDEA_REGION && validate_region_name(v)) {
			fprintf(f, "%s %s\n", v, validate_region_name(v));
		} else if (*v && i == IDEA_TERRITORY) {
			struct buf named; /* "63113 Clermont-Ferrand" */
			buf_init(&named);
			geo_territory_text(v, 1, &named);
			out_safe(f, named.data, UTF8_SAFE_ONELINE);
			fputc('\n', f);
			buf_free(&named);
		} else if (*v &&
			   (i == IDEA_CREATED_AT || i == IDEA_UPDATED_AT ||
			    i == IDEA_STAGE_SINCE)) {
			out_safe(f, out_time(idea_time(idea, i, 0)),
				 UTF8_SAFE_ONELINE);
			fputc('\n', f);
		} else if (*v && i == IDEA_LAUNCH_DATE) {
			out_safe(f, out_day(v), UTF8_SAFE_ONELINE);
			fputc('\n', f);
		} else if ((fi->flags & IDEA_FF_MULTILINE) && strchr(v, '\n')) {
			fputc('\n', f);
			print_block(f, v, 2);
		} else {
			out_safe(f, v, UTF8_SAFE_ONELINE);
			fputc('\n', f);
		}
	}
	for (size_t i = 0; i < idea->nextra; i++) {
		out_safe(f, idea->extra[i].name, UTF8_SAFE_ONELINE);
		fputs(": ", f);
		out_safe(f, idea->extra[i].value, UTF8_SAFE_ONELINE);
		fputc('\n', f);
	}
	fprintf(f, "\n%s\n",
		_("History (moves, edits and comments, oldest first):"));
	fai_err_clear(&err);
	struct show_hist h = {.f = f};
	store_log_foreach(cli->store, idea->key, 0, show_entry, &h, &err);
	cli_undos_free(&h.undos);
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	int c, format = FORMAT_TEXT, exit;
	struct idea *idea = NULL;
	struct fai_err err;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_FORMAT) {
			format = parse_format(optarg, 0);
			if (format != FORMAT_TEXT && format != FORMAT_JSON)
				return cli_usage_error(
				    cli, "show", _("--format is text or json"));
		} else if (c == OPT_HELP) {
			return cli_help_for("show");
		} else {
			return cli_bad_option(cli, "show", argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "show",
				       _("give one reference, e.g. 84-0042"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int rc = store_idea_find(cli->store, argv[optind], &idea, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	if (format == FORMAT_TEXT) {
		show_text(cli, idea);
	} else {
		struct log_entry *com = NULL;
		size_t n = 0;
		struct json_log j = {cli->out, 0};
		fputs("{\"idea\":", cli->out);
		idea_json(cli->out, idea);
		fputs(",\n\"comments\":[", cli->out);
		store_comments(cli->store, idea->key, &com, &n, &err);
		for (size_t i = 0; i < n; i++) {
			char when[ISOTIME_LEN];
			isotime_format(com[i].at, when);
			fprintf(cli->out,
				"%s{\"at\":\"%s\",\"author\":", i ? "," : "",
				when);
			out_json(cli->out, com[i].user);
			fputs(",\"text\":", cli->out);
			out_json(cli->out, com[i].text);
			fputc('}', cli->out);
			log_entry_clear(&com[i]);
		}
		free(com);
		fputs("],\"history\":[", cli->out);
		store_log_foreach(cli->store, idea->key, 0, show_entry_json, &j,
				  &err);
		fputs("\n]}\n", cli->out);
	}
	idea_free(idea);
	return CLI_OK;
}

/* ------------------------------------------------------------ log */

struct log_run {
	struct cli *cli;
	int format;
	int n;
	struct json_log j;
	struct cli_undos undos;
};

static int log_print(const struct log_entry *e, void *arg)
{
	struct log_run *r = arg;
	int redo = cli_undos_note(&r->undos, e);
	if (r->format == FORMAT_JSON)
		return show_entry_json(e, &r->j);
	if (r->format == FORMAT_TSV) {
		char when[ISOTIME_LEN];
		struct buf b;
		FILE *f = r->cli->out;
		buf_init(&b);
		isotime_format(e->at, when);
		fprintf(f, "%llu\t%s\t", (unsigned long long)e->seq, when);
		out_tsv(f, e->user);
		fprintf(f, "\t%s\t%s\t%llu\t", e->ref, log_kind_code(e->kind),
			(unsigned long long)e->revision);
		if (e->kind == LOG_UNDO) {
			/* The TSV's words for an undo are the ones scripts
			 * have read since the first release. */
			const struct log_change *st =
			    log_entry_change(e, "stage");
			buf_printf(&b, _("undid action #%llu"),
				   (unsigned long long)e->target);
			if (st)
				buf_printf(&b, _(" (back to %s)"),
					   out_stage_label(stage_parse(
					       st->after ? st->after : "")));
		} else {
			entry_describe(&b, e, redo);
		}
		out_tsv(f, b.data);
		fputc('\n', f);
		buf_free(&b);
		return 0;
	}
	cli_entry_print(r->cli->out, e, 1, redo);
	return 0;
}

int cmd_log(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	int64_t since = 0;
	uint64_t key = 0;
	struct log_run r;
	struct fai_err err;
	int c, exit;

	memset(&r, 0, sizeof(r));
	r.cli = cli;
	r.format = FORMAT_TEXT;
	r.j.f = cli->out;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_SINCE) {
			if (cli_arg_time(cli, "log", "--since", optarg, &since))
				return CLI_USAGE;
		} else if (c == OPT_FORMAT) {
			r.format = parse_format(optarg, 0);
			if (r.format < 0)
				return cli_usage_error(
				    cli, "log",
				    _("--format is text, tsv or json"));
		} else if (c == OPT_HELP) {
			return cli_help_for("log");
		} else {
			return cli_bad_option(cli, "log", argv);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(cli, "log", _("too many arguments"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	if (optind < argc) {
		struct idea *idea;
		int rc = store_idea_find(cli->store, argv[optind], &idea, &err);
		if (rc)
			return cli_fail(cli, rc, &err);
		key = idea->key;
		idea_free(idea);
	}
	if (r.format == FORMAT_JSON)
		fputc('[', cli->out);
	int rc = store_log_foreach(cli->store, key, since, log_print, &r, &err);
	cli_undos_free(&r.undos);
	if (r.format == FORMAT_JSON)
		fputs("\n]\n", cli->out);
	if (rc)
		return cli_fail(cli, rc, &err);
	return CLI_OK;
}
