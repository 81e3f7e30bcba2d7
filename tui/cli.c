/* cli.c - the `fai` command line: who acts and where (cli_init), the
 * store opened on first use, the person's own settings file, the parsing
 * of options shared by several commands, the table of commands, help and
 * the dispatch.  The commands live in cmd_*.c, their error sentences in
 * message.c.  Nothing read from the store is printed raw: see out.c. */
#include "cli.h"

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
#include "../core/config.h"
#include "../core/datefr.h"
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

/* ------------------------------------------------------------ set-up */

/* Creates every missing directory of path (mkdir -p). */
int cli_mkdir_parents(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; *s && !rc; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	free(p);
	return rc;
}

/* The user name recorded in the log, from the password database or $USER:
 * display-safe (invalid UTF-8, control characters and bidi controls made
 * visible), cut to size at a character boundary. */
static void cli_user_name(char *dst, size_t size, const char *user)
{
	struct buf b;
	buf_init(&b);
	utf8_safe(&b, user, strlen(user), UTF8_SAFE_ONELINE);
	size_t n = b.len;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
			n--; /* not inside a character */
	}
	memcpy(dst, b.data, n);
	dst[n] = '\0';
	buf_free(&b);
}

/* The SSH client recorded in the log: the first word of SSH_CONNECTION
 * ("203.0.113.7 51234 10.0.0.1 22") when it looks like an IPv4 or IPv6
 * address (hex digits, '.', ':', '%' for a zone, at most 63 bytes), else
 * nothing: the variable is the environment's, not sshd's, once a shell
 * runs. */
static void cli_ssh_client(char *dst, size_t size, const char *ssh)
{
	size_t n = ssh ? strcspn(ssh, " ") : 0;
	dst[0] = '\0';
	if (n == 0 || n >= size || n > 63 ||
	    strspn(ssh, "0123456789abcdefABCDEF.:%") != n)
		return;
	memcpy(dst, ssh, n);
	dst[n] = '\0';
}

void cli_init(struct cli *cli, const char *db)
{
	static char path[4096];
	memset(cli, 0, sizeof(*cli));
	cli->out = stdout;
	if (!db || !*db)
		db = getenv("FAI_DB");
	if (!db || !*db) {
		const char *xdg = getenv("XDG_DATA_HOME");
		const char *home = getenv("HOME");
		if (xdg && *xdg == '/')
			snprintf(path, sizeof(path), "%s/fai", xdg);
		else
			snprintf(path, sizeof(path), "%s/.local/share/fai",
				 home && *home ? home : ".");
		db = path;
	}
	cli->db = db;

	struct passwd *pw = getpwuid(geteuid());
	const char *user = pw ? pw->pw_name : getenv("USER");
	if (user && *user)
		cli_user_name(cli->user, sizeof(cli->user), user);
	else
		snprintf(cli->user, sizeof(cli->user), "uid%u",
			 (unsigned)geteuid());
	cli_ssh_client(cli->client, sizeof(cli->client),
		       getenv("SSH_CONNECTION"));
	cli->actor.user = cli->user;
	cli->actor.client = cli->client[0] ? cli->client : NULL;
	cli->actor.now = (int64_t)time(NULL);
	const char *now = getenv("FAI_NOW");
	int64_t t;
	if (now && *now) {
		if (isotime_parse(now, &t) == 0 &&
		    isotime_check_range(t) == 0) {
			cli->actor.now = t;
		} else {
			struct buf safe;
			buf_init(&safe);
			utf8_safe(&safe, now, strnlen(now, 256),
				  UTF8_SAFE_ONELINE);
			fprintf(
			    stderr,
			    _("fai: FAI_NOW \"%s\" is ignored: not an ISO time "
			      "in the years 1900 to 2100; the clock is used\n"),
			    safe.data);
			buf_free(&safe);
		}
	}
}

void cli_close(struct cli *cli)
{
	store_close(cli->store);
	cli->store = NULL;
}

int cli_store_open(struct cli *cli)
{
	struct fai_err err;
	if (cli->store)
		return 0;
	fai_err_clear(&err);
	int rc = store_open(&cli->store, cli->db,
			    cli->readonly ? STORE_READONLY : 0, NULL, 0, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	return 0;
}

/* The per-user settings file: $XDG_CONFIG_HOME/fai/config or
 * ~/.config/fai/config, lines "key = value". */
static char *user_config_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg == '/')
		return xasprintf("%s/fai/config", xdg);
	return xasprintf("%s/.config/fai/config", home && *home ? home : ".");
}

/* Returns the value of key in the user's settings (heap), or NULL. */
static char *user_config_get(const char *key)
{
	char *path = user_config_path(), line[512], *found = NULL;
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');
		if (!eq || line[0] == '#')
			continue;
		char *k = line, *v = eq + 1, *e = eq;
		while (e > k && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\r\n")] = '\0';
		if (strcmp(k, key) == 0)
			found = xstrdup(v);
	}
	fclose(f);
	return found;
}

/* Sets key in the user's settings, keeping the other lines.  The file is
 * replaced whole (outfile: never through a link, never half written).
 * Returns 0 or a negative error with err filled. */
int cli_user_config_set(const char *key, const char *value, struct fai_err *err)
{
	char *path = user_config_path(), line[512];
	struct outfile *o = NULL;
	struct buf out;
	int done = 0, rc;
	buf_init(&out);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		size_t kl = strlen(key);
		if (strncmp(line, key, kl) == 0 && strchr(" \t=", line[kl])) {
			if (!done)
				buf_printf(&out, "%s = %s\n", key, value);
			done = 1;
			continue;
		}
		buf_adds(&out, line);
	}
	if (f)
		fclose(f);
	if (!done)
		buf_printf(&out, "%s = %s\n", key, value);
	cli_mkdir_parents(path);
	rc = outfile_open(&o, path, OUTFILE_REGULAR, err);
	if (!rc) {
		fwrite(out.data, 1, out.len, outfile_stream(o));
		rc = outfile_commit(o, err);
	}
	free(path);
	buf_free(&out);
	return rc;
}

int cli_user_readonly(void)
{
	char *v = user_config_get("read-only");
	int ro = v && (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
		       strcmp(v, "1") == 0 || strcmp(v, "oui") == 0);
	free(v);
	return ro;
}

/* ------------------------------------------------------------ options */

int cli_arg_number(struct cli *cli, const char *cmd, const char *opt,
		   const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	struct fai_err err;
	char msg[768];
	fai_err_clear(&err);
	if (validate_number(arg, min, max, out, &err) == 0)
		return 0;
	if (err.why != FAI_WHY_NUMBER_RANGE && err.why != FAI_WHY_NUMBER_SMALL)
		snprintf(msg, sizeof(msg),
			 _("%s wants a whole number, not \"%s\""), opt,
			 err.value);
	else if (err.why == FAI_WHY_NUMBER_SMALL)
		snprintf(
		    msg, sizeof(msg),
		    _("%s \"%s\": the number is too small (at least %llu)"),
		    opt, err.value, (unsigned long long)err.limit);
	else
		snprintf(msg, sizeof(msg), _("%s \"%s\": %s (at most %llu)"),
			 opt, err.value, _(fai_why_text(err.why)),
			 (unsigned long long)err.limit);
	return cli_usage_error(cli, cmd, msg);
}

int cli_arg_time(struct cli *cli, const char *cmd, const char *opt,
		 const char *arg, int64_t *out)
{
	char msg[768], iso[ISODATE_LEN];
	int64_t t;
	/* A time in ISO 8601, or a date as a person writes it (15/12/2026,
	 * 15 déc. 2026): a date alone is its midnight UTC. */
	if (isotime_parse(arg, &t) < 0 &&
	    (datefr_parse(arg, DATEFR_TYPED, iso) < 0 ||
	     isotime_parse(iso, &t) < 0)) {
		snprintf(
		    msg, sizeof(msg),
		    _("%s wants a date such as 2026-11-01, not \"%.256s\""),
		    opt, arg);
		return cli_usage_error(cli, cmd, msg);
	}
	if (isotime_check_range(t) < 0)
		return cli_arg_refused(cli, cmd, opt, arg, FAI_WHY_DATE_RANGE);
	*out = t;
	return 0;
}

int cli_arg_refused(struct cli *cli, const char *cmd, const char *opt,
		    const char *arg, int why)
{
	char msg[768];
	snprintf(msg, sizeof(msg), _("%s \"%.256s\": %s"), opt, arg,
		 _(fai_why_text(why)));
	return cli_usage_error(cli, cmd, msg);
}

const struct option field_options[] = {
    {"title", required_argument, NULL, OPT_FIELD + IDEA_TITLE},
    {"need", required_argument, NULL, OPT_FIELD + IDEA_NEED},
    {"concept", required_argument, NULL, OPT_FIELD + IDEA_CONCEPT},
    {"region", required_argument, NULL, OPT_FIELD + IDEA_REGION},
    {"territory", required_argument, NULL, OPT_FIELD + IDEA_TERRITORY},
    {"theme", required_argument, NULL, OPT_FIELD + IDEA_THEME},
    {"tag", required_argument, NULL, OPT_TAG},
    {"source", required_argument, NULL, OPT_FIELD + IDEA_SOURCE},
    {"partner", required_argument, NULL, OPT_PARTNER},
    {"facilitator", required_argument, NULL, OPT_FIELD + IDEA_FACILITATOR},
    {"owner", required_argument, NULL, OPT_FIELD + IDEA_OWNER},
    {"structure", required_argument, NULL, OPT_FIELD + IDEA_STRUCTURE},
    {"legal-form", required_argument, NULL, OPT_FIELD + IDEA_LEGAL_FORM},
    {"siret", required_argument, NULL, OPT_FIELD + IDEA_SIRET},
    {"launch-date", required_argument, NULL, OPT_FIELD + IDEA_LAUNCH_DATE},
    {"jobs", required_argument, NULL, OPT_FIELD + IDEA_JOBS},
    {"set", required_argument, NULL, OPT_SET},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

/* Splits "field=value" of --set; returns the field or -1. */
int cli_split_set(char *arg, const char **value)
{
	char *eq = strchr(arg, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	*value = eq + 1;
	int f = idea_field_parse(arg);
	*eq = '=';
	return f;
}

/* Handles an unknown option or a missing argument from getopt_long. */
int cli_bad_option(struct cli *cli, const char *cmd, char **argv)
{
	char msg[256];
	snprintf(msg, sizeof(msg), _("unknown option or missing value: %s"),
		 argv[optind - 1]);
	return cli_usage_error(cli, cmd, msg);
}

/* ------------------------------------------------------------ help */

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *synopsis;
	const char *summary;
};

static const struct command *command_find(const char *name);
static int cmd_help(struct cli *cli, int argc, char **argv);

int cli_help_for(const char *name)
{
	const struct command *c = command_find(name);
	if (!c)
		return CLI_USAGE;
	printf(_("Usage: fai [--db PATH] %s\n"), _(c->synopsis));
	printf("%s\n", _(c->summary));
	return CLI_OK;
}

static const struct command commands[] = {
    {"board", ui_board_run, N_("board [--mouse]"),
     N_("Opens the board (the default without a command); press ? in it for "
	"the keys.")},
    {"init", cmd_init, N_("init [--region CODE] [--shared GROUP]"),
     N_("Creates an empty store (a directory) for a region.  --shared makes it "
	"usable by every member of a Unix group (directory 2770 setgid, files "
	"0660).")},
    {"demo", demo_run, N_("demo"),
     N_("Creates a demo store with a realistic pipeline (replaces an older "
	"demo store, never a real one).")},
    {"add", cmd_add,
     N_("add --title TEXT [--region CODE] [--need TEXT] [--concept TEXT] "
	"[--territory CODES] [--theme TEXT] [--tag TAG]... [--source TEXT] "
	"[--partner NAME]... [--facilitator NAME] [--owner NAME] [--structure "
	"NAME] [--legal-form TEXT] [--siret 14DIGITS] [--launch-date "
	"YYYY-MM-DD] [--jobs N] [--set FIELD=VALUE]..."),
     N_("Adds an idea at stage need and prints its reference.")},
    {"list", cmd_list,
     N_("list [--stage S] [--region R] [--theme T] [--tag T] [--facilitator F] "
	"[--search TEXT] [--stale DAYS] [--format table|tsv|json]"),
     N_("Lists ideas in board order.  --search reads every text field and "
	"the comments, accents and case ignored; --stale keeps ideas at need, "
	"concept or owner_search unchanged for "
	"DAYS days.")},
    {"show", cmd_show, N_("show REF [--format text|json]"),
     N_("Shows every field of an idea, then its history (moves, edits, "
	"comments).")},
    {"edit", cmd_edit, N_("edit REF [--set FIELD=VALUE]... [--expect-rev N]"),
     N_("Changes fields.  Without --set, opens the idea in $VISUAL or $EDITOR; "
	"if it cannot be saved your text is kept in a file.")},
    {"move", cmd_move,
     N_("move REF STAGE [--reason TEXT] [--expect-rev N] [--force]"),
     N_("Moves an idea: stages need, concept, owner_search, launched, on_hold, "
	"abandoned.  on_hold and abandoned need --reason; --force passes a "
	"gate and is logged.")},
    {"comment", cmd_comment, N_("comment REF TEXT [--expect-rev N]"),
     N_("Adds a dated comment to an idea.")},
    {"log", cmd_log, N_("log [REF] [--since DATE] [--format text|tsv|json]"),
     N_("Shows the activity log, of the whole store or of one idea.")},
    {"undo", cmd_undo, N_("undo"),
     N_("Undoes your last action that is not undone yet, made on the board "
	"or here (refused if someone changed the same fields since).")},
    {"redo", cmd_redo, N_("redo"),
     N_("Redoes your last undo, unless you did something else since.")},
    {"config", cmd_config,
     N_("config [KEY [VALUE]] | config --user read-only [yes|no]"),
     N_("Shows or sets a setting: wip.need, wip.concept, wip.owner_search, "
	"wip.launched, wip.on_hold, wip.abandoned (card limits, 0 = none), "
	"stale.days.")},
    {"check", cmd_check, N_("check"),
     N_("Verifies every index, the stage counts, the log and the comments; "
	"exit status 0 only when all is consistent.")},
    {"export", cmd_export,
     N_("export [-o FILE] [--format csv|xlsx] [--dialect rfc4180|excel-fr] "
	"[--headers code|fr] [--labels code|fr] [the filters of list]"),
     N_("Writes the ideas for the national network, sorted by id (see "
	"docs/csv-format.md): CSV, or an XLSX workbook with --format xlsx or "
	"a FILE ending in .xlsx (codes kept as text, dates as dates, a second "
	"sheet explaining the columns).  excel-fr: ';', UTF-8 with BOM, "
	"formulas guarded.  excel-fr and XLSX have French column titles and "
	"stage labels (--headers and --labels choose).  -o writes "
	"atomically.")},
    {"import", cmd_import,
     N_("import FILE|- [--dry-run] [--skip-invalid] [--on-conflict "
	"keep-local|take-theirs|fail] [--force] [--sheet NAME] [--verbose]"),
     N_("Reads a CSV export (',' ';' or TAB, UTF-8 or Windows-1252) or an "
	"XLSX workbook (its first sheet, or --sheet NAME; a file, a pipe, or "
	"- for the standard input), repairs what a spreadsheet did to it "
	"(codes that lost their leading zeros, French dates), and merges it "
	"by id, in one "
	"transaction: invalid rows (the same id twice, a stage whose gate is "
	"not met) stop it unless --skip-invalid (they go to FILE.rejects.csv); "
	"--force passes the stage gates and is logged.")},
    {"backup", cmd_backup, N_("backup [-o DIR]"),
     N_("Writes a compacted, checked copy of the store into DIR (the current "
	"directory by default), named after the store and the time (UTC): "
	"STORE-YYYY-MM-DD-HHMMSS.mdb.  Boards may stay open.  fai --db BACKUP "
	"check|list|show|export read it.")},
    {"restore", cmd_restore, N_("restore BACKUP"),
     N_("Puts the data of a backup in place of the store's, once every board "
	"and script using the store is closed.  The data it replaces stays in "
	"the store's directory as before-restore-…mdb; the old lock file "
	"goes.")},
    {"review", cmd_review,
     N_("review [--since DATE | --week YYYY-Www] [--region R] [--facilitator "
	"F] [--format text|markdown|csv]"),
     N_("The weekly pipeline review, from the activity log: ideas per stage "
	"against the limits, new ideas, moves, launches, stale ideas, the "
	"funnel, time in stage, the cumulative flow of 12 weeks, and figures "
	"by facilitator and by region (see docs/review.md).")},
    {"help", cmd_help, N_("help [COMMAND]"), N_("Shows help.")},
};

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void cli_usage(FILE *f)
{
	fprintf(f,
		_("Usage: fai [--db PATH] [--read-only] [COMMAND [OPTIONS]]\n"
		  "A kanban of social-innovation ideas for the Fabriques à "
		  "Initiatives.\n\n"
		  "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		fprintf(f, "  %-8s ", commands[i].name);
		out_safe(f, _(commands[i].summary), UTF8_SAFE_ONELINE);
		fputc('\n', f);
	}
	fprintf(f, _("\nThe store is --db PATH, else $FAI_DB, else "
		     "$XDG_DATA_HOME/fai (~/.local/share/fai).\n"
		     "Exit status: 0 ok, 1 usage, 2 invalid data or refused by "
		     "a rule, 3 revision conflict,\n"
		     "4 not found, 5 store error.  'fai COMMAND --help' and "
		     "'man fai' say more.\n"));
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc > 1 && command_find(argv[1]))
		return cli_help_for(argv[1]);
	if (argc > 1 && argv[1][0] != '-') {
		/* `fai help typo` must not pass for help on a command. */
		fputs("fai: ", stderr);
		fprintf(stderr, _("unknown command '%s'.  Try 'fai --help'.\n"),
			argv[1]);
		return CLI_USAGE;
	}
	cli_usage(stdout);
	return CLI_OK;
}

int cli_run(struct cli *cli, int argc, char **argv)
{
	const struct command *c = command_find(argv[0]);
	if (!c) {
		fputs("fai: ", stderr);
		cli_where(cli, NULL);
		fprintf(stderr, _("unknown command '%s'.  Try 'fai --help'.\n"),
			argv[0]);
		return CLI_USAGE;
	}
	optind = 0; /* GNU getopt: start afresh for every command */
	opterr = 0;
	return c->run(cli, argc, argv);
}
