/* main.c - the program's entry: global options, then one command.
 *
 * `fai [--db PATH] COMMAND [OPTIONS]`; see cli.c for the commands and
 * fai(1) for the whole manual. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fatal.h"
#include "i18n.h"
#include "ui.h"

#ifndef FAI_VERSION
#define FAI_VERSION "dev"
#endif

/* LMDB must never get fd 0-2: a stray write to stderr would land in the
 * database.  Make sure they are open before anything else. */
static void fds_ensure(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			abort();
}

/* Without TZ, glibc reads the system's zone from /etc/localtime and
 * checks that file again at every local-time conversion (an import of
 * 10^5 workbook rows spent 15% of its time there); naming the same file
 * once keeps the zone and drops the checks. */
static void tz_pin(void)
{
	if (!getenv("TZ"))
		setenv("TZ", ":/etc/localtime", 0);
	tzset();
}

int main(int argc, char **argv)
{
	const char *db = NULL;
	struct cli cli;
	int i, rc, readonly = 0;

	fds_ensure();
	tz_pin();
	i18n_init();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0) {
			if (++i == argc) {
				fprintf(stderr,
					_("fai: --db wants a directory\n"));
				return CLI_USAGE;
			}
			db = argv[i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			db = a + 5;
		} else if (strcmp(a, "--read-only") == 0) {
			readonly = 1;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_usage(stdout);
			return CLI_OK;
		} else if (strcmp(a, "--keys") == 0 && i + 1 < argc &&
			   (strcmp(argv[i + 1], "md") == 0 ||
			    strcmp(argv[i + 1], "man") == 0)) {
			/* Hidden: the board's keys for README.md and fai(1)
			 * (make keys-doc), from the table the help shows. */
			ui_keys_doc(stdout, strcmp(argv[i + 1], "md") == 0
						? UI_KEYS_MARKDOWN
						: UI_KEYS_MAN);
			return CLI_OK;
		} else if (strcmp(a, "--version") == 0 ||
			   strcmp(a, "-V") == 0) {
			printf("fai %s\n", FAI_VERSION);
			return CLI_OK;
		} else {
			fprintf(
			    stderr,
			    _("fai: unknown option %s.  Try 'fai --help'.\n"),
			    a);
			return CLI_USAGE;
		}
	}
	cli_init(&cli, db);
	/* A damaged store must never kill fai by a signal. */
	fatal_init(cli.db);
	cli.readonly = readonly || cli_user_readonly();
	if (i == argc) {
		/* No command: the board, the product's face. */
		static char board_cmd[] = "board";
		char *board[] = {board_cmd, NULL};
		rc = cli_run(&cli, 1, board);
	} else {
		rc = cli_run(&cli, argc - i, argv + i);
	}
	cli_close(&cli);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("fai: stdout");
		return rc ? rc : CLI_STORE;
	}
	return rc;
}
