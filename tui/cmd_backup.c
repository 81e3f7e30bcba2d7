/* cmd_backup.c - `fai backup` and `fai restore`.
 *
 * A backup is one file: a compacted, consistent copy of the store made in
 * one read transaction (boards and scripts may go on meanwhile), named
 * after the store and the time (UTC, so names sort), checked after it is
 * written by opening it as a store and running `fai check` on it; `fai
 * --db BACKUP list|show|export|check` read it directly.  A restore puts a
 * backup's data in place of the store's while nobody uses it, keeps the
 * data it replaces beside it, and never keeps the old lock file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../core/isotime.h"
#include "../core/xmalloc.h"
#include "../store/outfile.h"
#include "cli.h"
#include "i18n.h"
#include "out.h"

enum { OPT_OUT = 'o', OPT_HELP = 0x200 };

/* The name of a backup of the store at db made at t:
 * "ara-2026-12-03-021500.mdb" for the store /srv/fai/ara. */
static char *backup_name(const char *db, int64_t t)
{
	char iso[ISOTIME_LEN];
	size_t n = strlen(db);
	while (n > 1 && db[n - 1] == '/')
		n--;
	size_t start = n;
	while (start > 0 && db[start - 1] != '/')
		start--;
	isotime_format(t, iso);
	return xasprintf("%.*s-%.10s-%.2s%.2s%.2s.mdb", (int)(n - start),
			 db + start, iso, iso + 11, iso + 14, iso + 17);
}

/* Opens the file written at path as a store and checks it: 0 with the
 * number of ideas, or the exit code after saying why. */
static int backup_verify(struct cli *cli, const char *path,
			 unsigned long long *ideas)
{
	struct store *b = NULL;
	struct fai_err err;
	uint64_t counts[STAGE_COUNT];
	fai_err_clear(&err);
	int rc = store_open(&b, path, STORE_READONLY, NULL, 0, &err);
	if (!rc) {
		rc = store_check(b, NULL, NULL, &err);
		if (rc > 0) {
			fai_err_set_about(&err, FAI_ESTORE, FAI_WHY_DAMAGED,
					  FAI_ABOUT_FILE, "file", path);
			rc = -FAI_ESTORE;
		}
	}
	*ideas = 0;
	if (!rc && store_stage_counts(b, counts, &err) == 0)
		for (int i = 0; i < STAGE_COUNT; i++)
			*ideas += counts[i];
	store_close(b);
	return rc ? cli_fail(cli, rc, &err) : 0;
}

int cmd_backup(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, OPT_OUT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = ".";
	struct outfile *o = NULL;
	struct fai_err err;
	struct stat st;
	int c;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == OPT_OUT)
			dir = optarg;
		else if (c == OPT_HELP)
			return cli_help_for("backup");
		else
			return cli_bad_option(cli, "backup", argv);
	}
	if (optind < argc)
		return cli_usage_error(cli, "backup", _("too many arguments"));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return cli_usage_error(cli, "backup",
				       _("-o wants an existing directory"));
	int exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	char *name = backup_name(cli->db, cli->actor.now);
	char *path = xasprintf("%s/%s", dir, name);
	free(name);
	int rc = outfile_open(&o, path, OUTFILE_REGULAR, &err);
	if (!rc)
		rc = store_backup_fd(cli->store, outfile_fd(o), &err);
	if (!rc) {
		rc = outfile_commit(o, &err);
	} else {
		outfile_abort(o);
	}
	if (rc) {
		exit = cli_fail(cli, rc, &err);
		goto out;
	}
	unsigned long long ideas;
	exit = backup_verify(cli, path, &ideas);
	if (exit) {
		remove(path);
		goto out;
	}
	if (stat(path, &st) != 0)
		st.st_size = 0;
	fprintf(cli->out,
		ngettext("Backup of %s written to %s and checked (%llu idea, "
			 "%lld KiB).\n",
			 "Backup of %s written to %s and checked (%llu ideas, "
			 "%lld KiB).\n",
			 (unsigned long)ideas),
		out_shown(cli->db), out_shown(path), ideas,
		(long long)(st.st_size + 1023) / 1024);
out:
	free(path);
	return exit;
}

int cmd_restore(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct fai_err err;
	char *kept = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HELP)
			return cli_help_for("restore");
		return cli_bad_option(cli, "restore", argv);
	}
	if (optind + 1 != argc)
		return cli_usage_error(cli, "restore",
				       _("give one backup file to restore"));
	if (cli->readonly) {
		fai_err_set(&err, FAI_EPERM, FAI_WHY_READONLY, NULL, cli->db);
		return cli_fail(cli, -FAI_EPERM, &err);
	}
	const char *backup = argv[optind];
	fai_err_clear(&err);
	struct stat st;
	if (stat(backup, &st) != 0 || !S_ISREG(st.st_mode)) {
		fai_err_set_about(&err, FAI_ENOTFOUND, FAI_WHY_NONE,
				  FAI_ABOUT_FILE, "file", backup);
		return cli_fail(cli, -FAI_ENOTFOUND, &err);
	}
	int rc = store_restore(cli->db, backup, &kept, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	fprintf(cli->out, _("Restored the store at %s from %s.\n"),
		out_shown(cli->db), out_shown(backup));
	fprintf(cli->out,
		_("The data it replaced is kept in %s (delete it once you are "
		  "sure).\n"),
		out_shown(kept));
	free(kept);
	/* Open it as anyone would (an older backup is upgraded then) and
	 * check it. */
	int exit = cli_store_open(cli);
	if (exit)
		return exit;
	const char *up = store_upgrade_backup(cli->store);
	if (up)
		fprintf(
		    cli->out,
		    _("The backup was written by an older fai: the store was "
		      "upgraded (a copy of it as restored is in %s).\n"),
		    out_shown(up));
	int n = store_check(cli->store, NULL, NULL, &err);
	if (n < 0)
		return cli_fail(cli, n, &err);
	if (n > 0) {
		fai_err_set(&err, FAI_ESTORE, FAI_WHY_DAMAGED, NULL, NULL);
		return cli_fail(cli, -FAI_ESTORE, &err);
	}
	return CLI_OK;
}
