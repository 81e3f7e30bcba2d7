/* cmd_admin.c - the store as a whole: `fai init`, `fai config`,
 * `fai check`. */

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

/* ------------------------------------------------------------ init */

int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"region", required_argument, NULL, OPT_REGION_INIT},
	    {"shared", required_argument, NULL, OPT_SHARED},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	const char *region = NULL, *group = NULL;
	struct fai_err err;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_REGION_INIT)
			region = optarg;
		else if (c == OPT_SHARED)
			group = optarg;
		else if (c == OPT_HELP)
			return cli_help_for("init");
		else
			return cli_bad_option(cli, "init", argv);
	}
	if (optind < argc)
		return cli_usage_error(cli, "init", _("too many arguments"));
	fai_err_clear(&err);
	if (region && validate_region(region, &err) < 0)
		return cli_fail(cli, -FAI_EINVAL, &err);
	cli_mkdir_parents(cli->db);
	if (group && store_exists(cli->db))
		return cli_fail(
		    cli,
		    fai_err_set(&err, FAI_EEXIST, FAI_WHY_NONE, NULL, cli->db),
		    &err);
	int rc = group ? store_share(cli->db, group, &err) : 0;
	if (!rc)
		rc = store_open(&cli->store, cli->db, STORE_CREATE | STORE_EXCL,
				region, 0, &err);
	if (!rc && group)
		rc = store_share(cli->db, group, &err);
	if (rc == -FAI_ENOTFOUND)
		fprintf(stderr,
			_("fai: no Unix group '%s' (create it with: groupadd "
			  "%s)\n"),
			out_shown(group), out_shown(group));
	if (rc == -FAI_ENOTFOUND)
		return CLI_NOTFOUND;
	if (rc)
		return cli_fail(cli, rc, &err);
	if (group)
		fprintf(cli->out,
			_("Shared with the Unix group '%s': directory 2770 "
			  "(setgid), files 0660.\n"),
			group);
	if (region)
		fprintf(cli->out,
			_("Created an empty store at %s (region %s, %s).\n"),
			out_shown(cli->db), region,
			validate_region_name(region));
	else
		fprintf(cli->out, _("Created an empty store at %s.\n"),
			out_shown(cli->db));
	return CLI_OK;
}

/* ------------------------------------------------------------ config */

int cmd_config(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"user", no_argument, NULL, OPT_USER},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct fai_err err;
	int c, exit, rc, user = 0;
	char *value = NULL;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HELP)
			return cli_help_for("config");
		if (c == OPT_USER) {
			user = 1;
			continue;
		}
		return cli_bad_option(cli, "config", argv);
	}
	if (user) {
		/* Settings of this Unix user, whatever the store. */
		if (argc - optind < 1 || argc - optind > 2 ||
		    strcmp(argv[optind], "read-only") != 0)
			return cli_usage_error(
			    cli, "config",
			    _("--user knows one key: read-only (yes or no)"));
		if (argc - optind == 1) {
			fprintf(cli->out, "%s\n",
				cli_user_readonly() ? "yes" : "no");
			return CLI_OK;
		}
		const char *v = argv[optind + 1];
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return cli_usage_error(cli, "config",
					       _("read-only is yes or no"));
		fai_err_clear(&err);
		rc = cli_user_config_set("read-only", v, &err);
		if (rc)
			return cli_fail(cli, rc, &err);
		return CLI_OK;
	}
	if (argc - optind > 2)
		return cli_usage_error(
		    cli, "config",
		    _("give a key and maybe a value, e.g. wip.concept 12"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	if (argc - optind == 0) {
		for (size_t i = 0; i < config_key_count(); i++) {
			const char *k = config_key_name(i);
			if (store_config_get(cli->store, k, &value, &err) == 0)
				fprintf(cli->out, "%s %s\n", k, value);
			free(value);
			value = NULL;
		}
		return CLI_OK;
	}
	if (argc - optind == 1) {
		rc = store_config_get(cli->store, argv[optind], &value, &err);
		if (rc)
			return cli_fail(cli, rc, &err);
		fprintf(cli->out, "%s\n", value);
		free(value);
		return CLI_OK;
	}
	/* Settings are whole numbers of at most nine digits: a longer one is
	 * refused here, as any number of the command line.  Other values go
	 * to the store, which says what is wrong with them (exit 2). */
	const char *v = argv[optind + 1];
	char num[24];
	if (config_default(argv[optind])) {
		uint64_t n;
		struct fai_err nerr;
		fai_err_clear(&nerr);
		int nrc = validate_number(v, 0, CLI_NUMBER_MAX, &n, &nerr);
		if (nrc < 0 && (nerr.why == FAI_WHY_NUMBER_RANGE ||
				nerr.why == FAI_WHY_NUMBER_SMALL))
			return cli_arg_number(cli, "config", argv[optind], v, 0,
					      CLI_NUMBER_MAX, &n);
		if (nrc == 0) { /* 012 is 12 */
			snprintf(num, sizeof(num), "%llu",
				 (unsigned long long)n);
			v = num;
		}
	}
	rc = store_config_set(cli->store, &cli->actor, argv[optind], v, &err);
	if (rc == -FAI_ENOTHING)
		return CLI_OK;
	if (rc)
		return cli_fail(cli, rc, &err);
	return CLI_OK;
}

/* ------------------------------------------------------------ check */

/* What a problem of fai check is about, in the person's language. */
static void check_note(const struct store_problem_info *pi, struct buf *m)
{
	const char *db = pi->db ? pi->db : "";
	const char *v = pi->value ? pi->value : "";
	unsigned long long a = (unsigned long long)pi->a;
	unsigned long long b = (unsigned long long)pi->b;
	int f;

	switch (pi->note) {
	case STORE_NOTE_NONE:
		break;
	case STORE_NOTE_DB:
		buf_printf(m, _("in %s"), db);
		break;
	case STORE_NOTE_LIB:
		buf_printf(m, "%s: %s", db, v);
		break;
	case STORE_NOTE_NO_IDEA:
		buf_printf(m, _("%s: an entry for no idea"), db);
		break;
	case STORE_NOTE_UNREADABLE_IDEA:
		buf_printf(m, _("%s: an entry whose idea cannot be read"), db);
		break;
	case STORE_NOTE_STALE:
		buf_printf(m, _("%s: an entry the idea no longer has"), db);
		break;
	case STORE_NOTE_FIELD:
		f = idea_field_parse(pi->field);
		buf_printf(m, _("%s: \"%s\""),
			   f >= 0 ? out_field_label(f) : pi->field, v);
		break;
	case STORE_NOTE_VALUE:
		buf_adds(m, v);
		break;
	case STORE_NOTE_LOG_ENTRY:
		buf_printf(m, _("log entry %s"), v);
		break;
	case STORE_NOTE_UNKNOWN_IDEA:
		buf_printf(
		    m, _("log entry %s: an idea the store does not have"), v);
		break;
	case STORE_NOTE_REVISION_GAP:
		buf_printf(m, _("log entry %s: revision %llu after %llu"), v, a,
			   b);
		break;
	case STORE_NOTE_REVISIONS:
		buf_printf(m,
			   _("the idea is at revision %llu, its log at %llu"),
			   a, b);
		break;
	case STORE_NOTE_COUNTS:
		buf_printf(m,
			   ngettext("%llu idea at %s, the count says %llu",
				    "%llu ideas at %s, the count says %llu",
				    (unsigned long)a),
			   a, out_stage_label(stage_parse(v)), b);
		break;
	case STORE_NOTE_KIND:
		buf_printf(m, _("%s: an entry of kind %s"), db, v);
		break;
	case STORE_NOTE_EXTRA_MALFORMED:
		buf_printf(m, _("line %llu \"%.*s\": not POSITION<TAB>NAME"), a,
			   IMPORT_NAME_MAX, v);
		break;
	case STORE_NOTE_EXTRA_BAD_NAME:
		buf_printf(m, _("line %llu \"%.*s\": not a valid column name"),
			   a, IMPORT_NAME_MAX, v);
		break;
	case STORE_NOTE_EXTRA_KNOWN:
		buf_printf(m, _("line %llu \"%.*s\": the name of a field"), a,
			   IMPORT_NAME_MAX, v);
		break;
	case STORE_NOTE_EXTRA_REPEATED:
		buf_printf(m, _("line %llu \"%.*s\": repeats line %llu"), a,
			   IMPORT_NAME_MAX, v, b);
		break;
	}
}

static void check_report(const struct store_problem_info *pi, void *arg)
{
	struct buf m;
	(void)arg;
	buf_init(&m);
	check_note(pi, &m);
	fprintf(stderr, "fai check: ");
	out_safe(stderr, pi->where ? pi->where : "", UTF8_SAFE_ONELINE);
	fprintf(stderr, ": %s", _(store_problem_text(pi->kind)));
	if (m.len) {
		fputs(" (", stderr);
		out_safe(stderr, m.data, UTF8_SAFE_ONELINE);
		fputc(')', stderr);
	}
	fputc('\n', stderr);
	buf_free(&m);
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct fai_err err;
	uint64_t counts[STAGE_COUNT], total = 0;
	int c, exit;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HELP)
			return cli_help_for("check");
		return cli_bad_option(cli, "check", argv);
	}
	if (optind < argc)
		return cli_usage_error(cli, "check", _("too many arguments"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int n = store_check(cli->store, check_report, NULL, &err);
	if (n < 0)
		return cli_fail(cli, n, &err);
	if (n > 0) {
		fprintf(stderr,
			ngettext("fai check: %d problem found in %s\n",
				 "fai check: %d problems found in %s\n",
				 (unsigned long)n),
			n, out_shown(cli->db));
		fprintf(stderr,
			_("fai check: restore the last good backup with fai "
			  "restore FILE (see fai(1), DAMAGED STORE)\n"));
		return CLI_STORE;
	}
	store_stage_counts(cli->store, counts, &err);
	for (int i = 0; i < STAGE_COUNT; i++)
		total += counts[i];
	fprintf(cli->out, _("The store at %s is consistent (%llu ideas).\n"),
		out_shown(cli->db), (unsigned long long)total);
	return CLI_OK;
}
