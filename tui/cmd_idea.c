/* cmd_idea.c - changing an idea: `fai add`, `fai edit`, `fai move`,
 * `fai comment`, `fai undo`, `fai redo`. */

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

/* ------------------------------------------------------------ add */

int cmd_add(struct cli *cli, int argc, char **argv)
{
	struct idea *idea = idea_new();
	struct fai_err err;
	int c, rc = 0, exit = CLI_OK;
	char *region = NULL;

	fai_err_clear(&err);
	while (!rc &&
	       (c = getopt_long(argc, argv, "", field_options, NULL)) != -1) {
		const char *value = optarg;
		int f;
		if (c == OPT_HELP) {
			exit = cli_help_for("add");
			goto out;
		} else if (c == OPT_TAG || c == OPT_PARTNER) {
			rc = idea_list_add(
			    idea, c == OPT_TAG ? IDEA_TAGS : IDEA_PARTNERS,
			    value, &err);
		} else if (c == OPT_SET) {
			f = cli_split_set(optarg, &value);
			if (f < 0) {
				exit =
				    cli_usage_error(cli, "add",
						    _("--set wants FIELD=VALUE "
						      "with a known field"));
				goto out;
			}
			rc = idea_set(idea, f, value, IDEA_SET_TYPED, &err);
		} else if (c >= OPT_FIELD && c < OPT_FIELD + IDEA_FIELD_COUNT) {
			rc = idea_set(idea, c - OPT_FIELD, value,
				      IDEA_SET_TYPED, &err);
		} else {
			exit = cli_bad_option(cli, "add", argv);
			goto out;
		}
	}
	if (rc) {
		exit = cli_fail(cli, rc, &err);
		goto out;
	}
	if (optind < argc) {
		exit = cli_usage_error(cli, "add",
				       _("unexpected argument (values go after "
					 "options such as --title)"));
		goto out;
	}
	exit = cli_store_open(cli);
	if (exit)
		goto out;
	if (!idea_get(idea, IDEA_REGION)[0]) {
		/* The store's own region is the default. */
		store_meta_get(cli->store, "region", &region, NULL);
		if (region)
			idea_set_raw(idea, IDEA_REGION, region);
	}
	if (!idea_get(idea, IDEA_TITLE)[0] || !idea_get(idea, IDEA_REGION)[0]) {
		exit = cli_usage_error(cli, "add",
				       !idea_get(idea, IDEA_TITLE)[0]
					   ? _("--title is required")
					   : _("--region is required (this "
					       "store has no default region)"));
		goto out;
	}
	rc = store_idea_create(cli->store, &cli->actor, idea, &err);
	if (rc) {
		exit = cli_fail(cli, rc, &err);
		goto out;
	}
	fprintf(cli->out, "%s\n", idea_get(idea, IDEA_REF));
out:
	free(region);
	idea_free(idea);
	return exit;
}

int cmd_edit(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"set", required_argument, NULL, OPT_SET},
	    {"expect-rev", required_argument, NULL, OPT_EXPECT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct store_set *sets = NULL;
	size_t nsets = 0;
	uint64_t expect = 0, rev = 0;
	struct fai_err err;
	int c, exit = CLI_OK;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *value;
		int f;
		switch (c) {
		case OPT_SET:
			f = cli_split_set(optarg, &value);
			if (f < 0) {
				exit =
				    cli_usage_error(cli, "edit",
						    _("--set wants FIELD=VALUE "
						      "with a known field"));
				goto out;
			}
			sets = xrealloc(sets, (nsets + 1) * sizeof(*sets));
			sets[nsets].field = f;
			sets[nsets++].value = value;
			break;
		case OPT_EXPECT:
			exit = cli_arg_number(cli, "edit", "--expect-rev",
					      optarg, 1, UINT64_MAX, &expect);
			if (exit)
				goto out;
			break;
		case OPT_HELP:
			exit = cli_help_for("edit");
			goto out;
		default:
			exit = cli_bad_option(cli, "edit", argv);
			goto out;
		}
	}
	if (argc - optind != 1) {
		exit = cli_usage_error(cli, "edit",
				       _("give one reference, e.g. 84-0042"));
		goto out;
	}
	exit = cli_store_open(cli);
	if (exit)
		goto out;
	if (nsets == 0) {
		exit = cli_edit_in_editor(cli, argv[optind], expect, NULL);
		goto out;
	}
	fai_err_clear(&err);
	int rc = store_idea_edit(cli->store, &cli->actor, argv[optind], sets,
				 nsets, expect, &rev, &err);
	if (rc == -FAI_ENOTHING) {
		fprintf(cli->out, _("No change.\n"));
	} else if (rc) {
		exit = cli_fail(cli, rc, &err);
	} else {
		fprintf(cli->out, _("%s is now at revision %llu.\n"),
			argv[optind], (unsigned long long)rev);
	}
out:
	free(sets);
	return exit;
}

/* ------------------------------------------------------------ move */

int cmd_move(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"reason", required_argument, NULL, OPT_REASON},
	    {"expect-rev", required_argument, NULL, OPT_EXPECT},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	const char *reason = NULL;
	uint64_t expect = 0, rev = 0;
	int force = 0, c, exit;
	struct fai_err err;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_REASON:
			reason = optarg;
			break;
		case OPT_EXPECT:
			if (cli_arg_number(cli, "move", "--expect-rev", optarg,
					   1, UINT64_MAX, &expect))
				return CLI_USAGE;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_HELP:
			return cli_help_for("move");
		default:
			return cli_bad_option(cli, "move", argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(
		    cli, "move",
		    _("give a reference and a stage, e.g. 84-0042 concept"));
	enum stage to = stage_parse(argv[optind + 1]);
	if (to == STAGE_NONE)
		return cli_usage_error(
		    cli, "move",
		    _("unknown stage (need, concept, owner_search, launched, "
		      "on_hold, abandoned)"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int rc = store_idea_move(cli->store, &cli->actor, argv[optind], to,
				 reason, force, expect, &rev, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	fprintf(cli->out, _("%s moved to %s (revision %llu).\n"), argv[optind],
		out_stage_label(to), (unsigned long long)rev);
	return CLI_OK;
}

/* ------------------------------------------------------------ comment */

int cmd_comment(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"expect-rev", required_argument, NULL, OPT_EXPECT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	uint64_t expect = 0, rev = 0;
	struct fai_err err;
	int c, exit;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_EXPECT) {
			if (cli_arg_number(cli, "comment", "--expect-rev",
					   optarg, 1, UINT64_MAX, &expect))
				return CLI_USAGE;
		} else if (c == OPT_HELP) {
			return cli_help_for("comment");
		} else {
			return cli_bad_option(cli, "comment", argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(
		    cli, "comment",
		    _("give a reference and the text in quotes"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int rc = store_idea_comment(cli->store, &cli->actor, argv[optind],
				    argv[optind + 1], expect, &rev, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	fprintf(cli->out, _("Comment added to %s.\n"), argv[optind]);
	return CLI_OK;
}

/* ------------------------------------------------------------ undo */

/* fai undo and fai redo: the person's history in the store's log, the
 * same as the board's u and Ctrl-R. */
static int undo_cmd(struct cli *cli, int argc, char **argv, int redo)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	const char *name = redo ? "redo" : "undo";
	struct log_entry undone;
	struct fai_err err;
	int c, exit;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HELP)
			return cli_help_for(name);
		return cli_bad_option(cli, name, argv);
	}
	if (optind < argc)
		return cli_usage_error(cli, name, _("too many arguments"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	memset(&undone, 0, sizeof(undone));
	int rc = redo ? store_redo(cli->store, &cli->actor, &undone, &err)
		      : store_undo(cli->store, &cli->actor, 0, &undone, &err);
	if (rc == -FAI_ENOTHING) {
		fprintf(stderr,
			redo ? _("fai: nothing to redo for %s\n")
			     : _("fai: nothing to undo for %s\n"),
			cli->user);
		return CLI_NOTFOUND;
	}
	if (rc)
		return cli_fail(cli, rc, &err);
	if (redo) {
		/* The undo undone, told as the action it brings back, as the
		 * board's Ctrl-R says it. */
		struct buf what;
		buf_init(&what);
		cli_action_name(&what, &undone, 1);
		fprintf(cli->out, _("Redone: %s\n"), out_shown(what.data));
		buf_free(&what);
	} else {
		fputs(_("Undone: "), cli->out);
		cli_entry_print(cli->out, &undone, 1, 0);
	}
	log_entry_clear(&undone);
	return CLI_OK;
}

int cmd_undo(struct cli *cli, int argc, char **argv)
{
	return undo_cmd(cli, argc, argv, 0);
}

int cmd_redo(struct cli *cli, int argc, char **argv)
{
	return undo_cmd(cli, argc, argv, 1);
}
