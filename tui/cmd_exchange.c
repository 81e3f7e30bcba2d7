/* cmd_exchange.c - the CSV hand-off: `fai export` and `fai import`, with
 * their progress bar and reports. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../core/config.h"
#include "../core/filter.h"
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

/* ------------------------------------------------------------ exchange */

/* A progress bar on stderr for long jobs, when stderr is a terminal:
 * drawn at most ten times a second, only once the job has run 0.3 s. */
struct progress {
	const char *what;
	struct timespec start, last;
	int shown;
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_cb(unsigned long long done, unsigned long long total,
			void *arg)
{
	struct progress *p = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&p->start, &now) < 0.3 ||
	    (p->shown && since(&p->last, &now) < 0.1 && done < total))
		return;
	p->last = now;
	p->shown = 1;
	int pct = total ? (int)(done * 100 / total) : 100;
	if (pct > 100)
		pct = 100;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%%", p->what, bar, pct);
	fflush(stderr);
}

/* The import's bar: a pipe's first reading has no total, so it counts
 * what was read instead. */
static void import_progress_cb(unsigned long long done,
			       unsigned long long total, void *arg)
{
	struct progress *p = arg;
	struct timespec now;
	if (total) {
		progress_cb(done, total, arg);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&p->start, &now) < 0.3 ||
	    (p->shown && since(&p->last, &now) < 0.1))
		return;
	p->last = now;
	p->shown = 1;
	fputc('\r', stderr);
	fprintf(stderr, _("%s: %.1f MiB read (a pipe: size unknown)"), p->what,
		(double)done / (1024.0 * 1024.0));
	fputs("\033[K", stderr);
	fflush(stderr);
}

static void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

static void progress_start(struct progress *p, const char *what)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

/* 1 when path ends in ".xlsx", in any case. */
static int export_path_is_xlsx(const char *path)
{
	size_t n = strlen(path);
	return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

static int export_filter(const struct idea_view *idea, void *arg)
{
	return idea_filter_match_view(arg, idea);
}

/* store_export's publish: the file renamed into place (outfile_commit,
 * which frees it) before what was sent is recorded. */
static int export_publish(void *arg, struct fai_err *err)
{
	struct outfile **of = arg;
	int rc = outfile_commit(*of, err);
	*of = NULL;
	return rc;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"dialect", required_argument, NULL, OPT_FORMAT},
	    {"format", required_argument, NULL, OPT_XFORMAT},
	    {"headers", required_argument, NULL, OPT_HEADERS},
	    {"labels", required_argument, NULL, OPT_LABELS},
	    FILTER_OPTIONS{"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct idea_filter lf;
	uint64_t *ckeys = NULL;
	struct export_opts eo;
	struct exchange_stats st;
	struct fai_err err;
	struct progress pg;
	const char *out = NULL;
	struct outfile *of = NULL;
	FILE *f = stdout;
	int c, exit, format = -1, headers = -1, labels = -1;

	idea_filter_init(&lf, cli->actor.now);
	memset(&eo, 0, sizeof(eo));
	eo.dialect = CSV_DIALECT_RFC4180;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		int fo = cli_filter_option(cli, "export", c, optarg, &lf);
		if (fo < 0)
			return -fo;
		if (fo == 0)
			continue;
		if (c == 'o') {
			out = optarg;
		} else if (c == OPT_FORMAT) {
			if (strcmp(optarg, "rfc4180") == 0)
				eo.dialect = CSV_DIALECT_RFC4180;
			else if (strcmp(optarg, "excel-fr") == 0)
				eo.dialect = CSV_DIALECT_EXCEL_FR;
			else
				return cli_usage_error(
				    cli, "export",
				    _("--dialect is rfc4180 or excel-fr"));
		} else if (c == OPT_XFORMAT) {
			if (strcmp(optarg, "csv") == 0)
				format = EXPORT_CSV;
			else if (strcmp(optarg, "xlsx") == 0)
				format = EXPORT_XLSX;
			else
				return cli_usage_error(
				    cli, "export",
				    _("--format is csv or xlsx"));
		} else if (c == OPT_HEADERS || c == OPT_LABELS) {
			int fr = strcmp(optarg, "fr") == 0;
			if (!fr && strcmp(optarg, "code") != 0)
				return cli_usage_error(
				    cli, "export",
				    c == OPT_HEADERS
					? _("--headers is code or fr")
					: _("--labels is code or fr"));
			*(c == OPT_HEADERS ? &headers : &labels) = fr;
		} else if (c == OPT_HELP) {
			return cli_help_for("export");
		} else {
			return cli_bad_option(cli, "export", argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(
		    cli, "export",
		    _("too many arguments (the file goes after -o)"));
	/* XLSX when asked, or when the file is named so */
	if (format < 0)
		format =
		    out && export_path_is_xlsx(out) ? EXPORT_XLSX : EXPORT_CSV;
	eo.format = (enum export_format)format;
	/* French titles and labels: XLSX and excel-fr, unless told */
	int fr_default =
	    eo.format == EXPORT_XLSX || eo.dialect == CSV_DIALECT_EXCEL_FR;
	eo.headers_fr = headers >= 0 ? headers : fr_default;
	eo.labels_fr = labels >= 0 ? labels : fr_default;
	if (eo.format == EXPORT_XLSX && (!out || strcmp(out, "-") == 0) &&
	    isatty(STDOUT_FILENO))
		return cli_usage_error(
		    cli, "export",
		    _("a workbook is no text for a terminal: give the file "
		      "with -o FILE.xlsx, or redirect the output"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	exit = cli_filter_comments(cli, &lf, &ckeys);
	if (exit)
		return exit;
	if (out && strcmp(out, "-") != 0) {
		/* A regular file is written beside and renamed over at the
		 * end, so an interrupted export leaves no partial file; a pipe
		 * or a terminal is written as it is; a link, a directory or
		 * a file inside a store is refused (store/outfile.h). */
		fai_err_clear(&err);
		int orc = outfile_open(&of, out, 0, &err);
		if (orc) {
			free(ckeys);
			return cli_fail(cli, orc, &err);
		}
		f = outfile_stream(of);
	}
	eo.filter = export_filter;
	eo.filter_arg = &lf;
	if (of) {
		/* what was sent is recorded once the file is in place */
		eo.publish = export_publish;
		eo.publish_arg = &of;
	}
	if (isatty(STDERR_FILENO)) {
		progress_start(&pg, _("export"));
		eo.progress = progress_cb;
		eo.progress_arg = &pg;
	}
	fai_err_clear(&err);
	int rc = store_export(cli->store, f, &eo, &st, &err);
	free(ckeys); /* the filter's last use */
	lf.comment_keys = NULL;
	if (eo.progress)
		progress_end(&pg);
	if (of) {
		/* stopped before publishing: the target is as it was */
		outfile_abort(of);
		if (err.about == FAI_ABOUT_OUTPUT) {
			/* the export could not write: name the file */
			char detail[sizeof(err.detail)];
			int e = err.sys_errno;
			memcpy(detail, err.detail, sizeof(detail));
			fai_err_set_about(&err, -rc, err.why, FAI_ABOUT_FILE,
					  "file", out);
			memcpy(err.detail, detail, sizeof(detail));
			err.sys_errno = e;
		}
	}
	if (rc)
		return cli_fail(cli, rc, &err);
	struct stat ost, sst;
	if (out && strcmp(out, "-") != 0 &&
	    /* -o /dev/stdout: the data went to stdout, say nothing there */
	    !(stat(out, &ost) == 0 && fstat(fileno(cli->out), &sst) == 0 &&
	      ost.st_dev == sst.st_dev && ost.st_ino == sst.st_ino))
		fprintf(cli->out,
			ngettext("Exported %llu idea to %s.\n",
				 "Exported %llu ideas to %s.\n",
				 (unsigned long)st.rows),
			(unsigned long long)st.rows, out_shown(out));
	return CLI_OK;
}

struct import_report {
	struct cli *cli;
	int verbose;
	char **conflicts;
	size_t nconflicts;
};

static void import_changes(const struct idea_change *ch, size_t n,
			   const char *left, const char *right)
{
	for (size_t i = 0; i < n; i++) {
		int f = idea_field_parse(ch[i].name);
		/* An unknown column's name ("x:NAME") came from a file. */
		fputs("    ", stderr);
		out_safe(stderr, f >= 0 ? out_field_label(f) : ch[i].name,
			 UTF8_SAFE_ONELINE);
		fprintf(stderr, ":\n      %s ", left);
		out_safe(stderr, ch[i].before ? ch[i].before : "",
			 UTF8_SAFE_ONELINE);
		fprintf(stderr, "\n      %s ", right);
		out_safe(stderr, ch[i].after ? ch[i].after : "",
			 UTF8_SAFE_ONELINE);
		fputc('\n', stderr);
	}
}

/* The sentence for a row an import refused: a row, not a move, so the
 * fix is in the file. */
static void import_row_message(struct cli *cli, const struct fai_err *e,
			       struct buf *m)
{
	if (e->code == FAI_EGATE) {
		buf_printf(m, _("cannot import at stage %s: missing "),
			   out_stage_label(e->stage));
		cli_print_missing(m, e->missing);
		buf_adds(m, _(" (fill them in the file, or pass the gates with "
			      "fai import --force)"));
	} else if (e->code == FAI_ERULE && e->why == FAI_WHY_REASON) {
		buf_printf(m,
			   _("cannot import at stage %s: a reason is required "
			     "(column stage_reason)"),
			   out_stage_label(e->stage));
	} else {
		cli_message(cli, -e->code, e, m);
		if (e->detail[0]) { /* a library's own words */
			buf_adds(m, " (");
			utf8_safe(m, e->detail, strlen(e->detail),
				  UTF8_SAFE_ONELINE);
			buf_addc(m, ')');
		}
	}
}

/* The reason column of the rejects file, in the user's language. */
static void import_reason_cb(const struct fai_err *e, long line,
			     struct buf *out, void *arg)
{
	struct buf m;
	buf_init(&m);
	import_row_message(arg, e, &m);
	buf_printf(out, _("line %ld: %s"), line, m.data ? m.data : "");
	buf_free(&m);
}

static void import_report_cb(const struct import_event *ev, void *arg)
{
	struct import_report *r = arg;
	switch (ev->kind) {
	case IMPORT_EVENT_INVALID: {
		const struct fai_err *e = ev->err;
		struct buf m;
		buf_init(&m);
		import_row_message(r->cli, e, &m);
		fputs("fai: ", stderr);
		out_safe(stderr, e->file, UTF8_SAFE_ONELINE);
		fprintf(stderr, ":%ld: %s\n", ev->line, m.data ? m.data : "");
		buf_free(&m);
		break;
	}
	case IMPORT_EVENT_CONFLICT:
		r->conflicts = xrealloc(r->conflicts,
					(r->nconflicts + 1) * sizeof(char *));
		r->conflicts[r->nconflicts++] =
		    xasprintf("%s (%s %ld)", ev->ref, _("line"), ev->line);
		if (r->verbose) {
			fprintf(stderr, _("conflict: %s (line %ld)\n"), ev->ref,
				ev->line);
			import_changes(ev->changes, ev->nchanges, _("here: "),
				       _("file: "));
		}
		break;
	case IMPORT_EVENT_UPDATED:
		if (r->verbose) {
			fprintf(stderr, _("updated: %s (line %ld)\n"), ev->ref,
				ev->line);
			import_changes(ev->changes, ev->nchanges, _("was: "),
				       _("now: "));
		}
		break;
	case IMPORT_EVENT_ADDED:
		if (r->verbose)
			fprintf(stderr, _("new: %s (line %ld)\n"), ev->ref,
				ev->line);
		break;
	}
}

/* "FILE: 3 rows: 1 new, 2 updated, ...", each count with its plural. */
static void import_summary(struct cli *cli, const char *path,
			   const struct exchange_stats *st)
{
	fputs(out_shown(path), cli->out);
	/* TRANSLATORS: after a file's name, and between the rows read and
	 * what became of them */
	fputs(C_("import summary", ": "), cli->out);
	fprintf(cli->out,
		ngettext("%llu row", "%llu rows", (unsigned long)(st->rows)),
		(unsigned long long)(st->rows));
	fputs(C_("import summary", ": "), cli->out);
	/* TRANSLATORS: the counts of an import's summary, after "N rows: " */
	fprintf(cli->out,
		ngettext("%llu new", "%llu new", (unsigned long)(st->added)),
		(unsigned long long)(st->added));
	fputs(", ", cli->out);
	fprintf(cli->out,
		ngettext("%llu updated", "%llu updated",
			 (unsigned long)(st->updated)),
		(unsigned long long)(st->updated));
	fputs(", ", cli->out);
	fprintf(cli->out,
		ngettext("%llu unchanged", "%llu unchanged",
			 (unsigned long)(st->unchanged)),
		(unsigned long long)(st->unchanged));
	fputs(", ", cli->out);
	fprintf(cli->out,
		ngettext("%llu conflict", "%llu conflicts",
			 (unsigned long)(st->conflicts)),
		(unsigned long long)(st->conflicts));
	fputs(", ", cli->out);
	fprintf(cli->out,
		ngettext("%llu invalid", "%llu invalid",
			 (unsigned long)(st->invalid)),
		(unsigned long long)(st->invalid));
	fputs(".\n", cli->out);
	if (st->repaired)
		fprintf(cli->out,
			ngettext("%llu code got back the leading zeros a "
				 "spreadsheet had dropped (region, territory, "
				 "SIRET).\n",
				 "%llu codes got back the leading zeros a "
				 "spreadsheet had dropped (region, territory, "
				 "SIRET).\n",
				 (unsigned long)(st->repaired)),
			(unsigned long long)(st->repaired));
	if (st->protected_cells)
		fprintf(
		    cli->out,
		    ngettext("%llu cell kept as stored: it differed only by "
			     "a '?' where a Windows-1252 save lost a "
			     "character.\n",
			     "%llu cells kept as stored: they differed only "
			     "by a '?' where a Windows-1252 save lost a "
			     "character.\n",
			     (unsigned long)(st->protected_cells)),
		    (unsigned long long)(st->protected_cells));
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dry-run", no_argument, NULL, 'n'},
	    {"skip-invalid", no_argument, NULL, 's'},
	    {"on-conflict", required_argument, NULL, 'c'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"force", no_argument, NULL, 'f'},
	    {"sheet", required_argument, NULL, OPT_SHEET},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct import_opts io;
	struct import_report rep;
	struct exchange_stats st;
	struct fai_err err;
	struct progress pg;
	char *rejects = NULL;
	int c, exit;

	memset(&io, 0, sizeof(io));
	memset(&rep, 0, sizeof(rep));
	rep.cli = cli;
	io.on_conflict = IMPORT_KEEP_LOCAL;
	while ((c = getopt_long(argc, argv, "nv", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			io.dry_run = 1;
			break;
		case 's':
			io.skip_invalid = 1;
			break;
		case 'v':
			rep.verbose = 1;
			break;
		case 'f':
			io.force = 1;
			break;
		case OPT_SHEET:
			io.sheet = optarg;
			break;
		case 'c':
			if (strcmp(optarg, "keep-local") == 0)
				io.on_conflict = IMPORT_KEEP_LOCAL;
			else if (strcmp(optarg, "take-theirs") == 0)
				io.on_conflict = IMPORT_TAKE_THEIRS;
			else if (strcmp(optarg, "fail") == 0)
				io.on_conflict = IMPORT_FAIL;
			else
				return cli_usage_error(
				    cli, "import",
				    _("--on-conflict is keep-local, "
				      "take-theirs or fail"));
			break;
		case OPT_HELP:
			return cli_help_for("import");
		default:
			return cli_bad_option(cli, "import", argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(
		    cli, "import",
		    _("give one CSV file (or - for the standard input)"));
	const char *path = argv[optind];
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	if (io.skip_invalid) {
		/* Standard input has no name to put the rejects beside. */
		rejects = strcmp(path, "-") == 0
			      ? xstrdup("stdin.rejects.csv")
			      : xasprintf("%s.rejects.csv", path);
		io.rejects_path = rejects;
	}
	io.report = import_report_cb;
	io.report_arg = &rep;
	io.reason = import_reason_cb;
	io.reason_arg = cli;
	if (isatty(STDERR_FILENO)) {
		progress_start(&pg, _("import"));
		io.progress = import_progress_cb;
		io.progress_arg = &pg;
	}
	fai_err_clear(&err);
	int rc = store_import(cli->store, &cli->actor, path, &io, &st, &err);
	if (io.progress)
		progress_end(&pg);
	if (rc == -FAI_ENOTFOUND && err.about == FAI_ABOUT_FILE) {
		/* The file is missing, not an idea: "fai: FILE: strerror". */
		fputs("fai: ", stderr);
		out_safe(stderr, path, UTF8_SAFE_ONELINE);
		fprintf(stderr, ": %s\n", out_shown(err.detail));
		exit = CLI_NOTFOUND;
		goto out;
	}
	/* The input itself (not the rejects file) is no file or pipe. */
	if (rc == -FAI_EINVAL && err.why == FAI_WHY_NOT_FILE &&
	    err.about == FAI_ABOUT_SOURCE) {
		fputs("fai: ", stderr);
		out_safe(stderr, path, UTF8_SAFE_ONELINE);
		fprintf(stderr, ": %s\n",
			_("not a file or a pipe: a device, a directory or a "
			  "socket cannot be imported (nothing was read)"));
		exit = CLI_INVALID;
		goto out;
	}
	/* A rejects file fai refuses to write (a link...) is no invalid row. */
	int file_err = err.about == FAI_ABOUT_FILE;
	if (rc && rc != -FAI_ECONFLICT &&
	    !(rc == -FAI_EINVAL && st.invalid && !file_err)) {
		exit = cli_fail(cli, rc, &err);
		goto out;
	}
	import_summary(cli, path, &st);
	if (rep.nconflicts) {
		fprintf(cli->out, "%s",
			io.on_conflict == IMPORT_TAKE_THEIRS
			    ? _("Conflicts (their version taken, the local one "
				"kept in the log):")
			: io.on_conflict == IMPORT_FAIL
			    ? _("Conflicts (nothing imported):")
			    : _("Conflicts (local version kept, theirs kept in "
				"the log):"));
		for (size_t i = 0; i < rep.nconflicts; i++)
			fprintf(cli->out, "%s%s", i ? ", " : " ",
				rep.conflicts[i]);
		fputc('\n', cli->out);
	}
	if (st.renumbered)
		fprintf(cli->out,
			_("%llu new ideas got a new reference (theirs was "
			  "taken here).\n"),
			(unsigned long long)st.renumbered);
	if (st.forced)
		fprintf(cli->out,
			ngettext("%llu row passed a stage gate with --force "
				 "(marked forced in the log).\n",
				 "%llu rows passed a stage gate with --force "
				 "(marked forced in the log).\n",
				 (unsigned long)st.forced),
			(unsigned long long)st.forced);
	if (rc == -FAI_EINVAL) {
		fprintf(stderr,
			ngettext("fai: %s: %llu invalid row: nothing was "
				 "imported (fix it, or use --skip-invalid)\n",
				 "fai: %s: %llu invalid rows: nothing was "
				 "imported (fix them, or use --skip-invalid)\n",
				 (unsigned long)st.invalid),
			out_shown(path), (unsigned long long)st.invalid);
		exit = CLI_INVALID;
	} else if (rc == -FAI_ECONFLICT) {
		fprintf(stderr,
			_("fai: %s: conflicts and --on-conflict fail: nothing "
			  "was imported\n"),
			out_shown(path));
		exit = CLI_CONFLICT;
	} else if (io.dry_run) {
		fprintf(cli->out, "%s\n", _("Dry run: nothing was written."));
	} else if (st.invalid && rejects) {
		fprintf(cli->out, _("Rejected rows, with their reason: %s\n"),
			out_shown(rejects));
	}
out:
	for (size_t i = 0; i < rep.nconflicts; i++)
		free(rep.conflicts[i]);
	free(rep.conflicts);
	free(rejects);
	return exit;
}
