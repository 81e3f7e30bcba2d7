/* demo.c - `fai demo`: builds a demo store by replaying fixtures/demo.fai,
 * which is compiled into the binary.
 *
 * Each line of the script is "WHEN WHO COMMAND ARGS...": WHEN is days before
 * today, "-182d" or "-182d14:30" (UTC), WHO the user recorded in the log,
 * and the rest the arguments of a fai command, split like a shell does
 * ("double quotes" with \" \\ \n escapes, 'single quotes', a trailing
 * backslash continues the line).  Every line goes through the same commands
 * and store calls as a person's, so the demo's log is a real history. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/isotime.h"
#include "../core/xmalloc.h"
#include "i18n.h"
#include "out.h"

extern const unsigned char fai_demo_data[];
extern const size_t fai_demo_data_len;

#define DEMO_REGION "84"
#define DEMO_FILE "fixtures/demo.fai"

/* Splits line into words as described above; returns the count, or -1 on
 * an unterminated quote. */
static int demo_split(char *line, char **words, int max)
{
	int n = 0;
	char *r = line, *w = line;
	while (*r) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r)
			break;
		if (n == max)
			return -1;
		words[n++] = w;
		while (*r && *r != ' ' && *r != '\t') {
			if (*r == '"') {
				for (r++; *r && *r != '"'; r++) {
					if (*r == '\\' && r[1]) {
						r++;
						*w++ = *r == 'n' ? '\n' : *r;
					} else {
						*w++ = *r;
					}
				}
				if (*r != '"')
					return -1;
				r++;
			} else if (*r == '\'') {
				for (r++; *r && *r != '\''; r++)
					*w++ = *r;
				if (*r != '\'')
					return -1;
				r++;
			} else {
				*w++ = *r++;
			}
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	return n;
}

/* Parses "-182d" or "-182d14:30" into a time relative to today 00:00. */
static int demo_when(const char *s, int64_t today, int64_t *t)
{
	char *end;
	long days, hh = 9, mm = 0;
	if (s[0] != '-')
		return -1;
	days = strtol(s + 1, &end, 10);
	if (end == s + 1 || *end != 'd' || days < 0)
		return -1;
	if (end[1]) {
		if (sscanf(end + 1, "%2ld:%2ld", &hh, &mm) != 2 || hh > 23 ||
		    mm > 59)
			return -1;
	}
	*t = today - days * 86400 + hh * 3600 + mm * 60;
	return 0;
}

/* Refuses to replace a store that is not a demo; removes an old demo. */
static int demo_clear(struct cli *cli)
{
	struct fai_err err;
	char *demo = NULL;
	if (!store_exists(cli->db))
		return 0;
	int exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	store_meta_get(cli->store, "demo", &demo, &err);
	cli_close(cli);
	int is_demo = demo && strcmp(demo, "1") == 0;
	free(demo);
	if (!is_demo) {
		fprintf(stderr,
			_("fai: %s holds a store that is not a demo; refusing "
			  "to overwrite it (use another --db)\n"),
			out_shown(cli->db));
		return CLI_INVALID;
	}
	const char *files[] = {"data.mdb", "lock.mdb"};
	for (size_t i = 0; i < 2; i++) {
		char *p = xasprintf("%s/%s", cli->db, files[i]);
		if (unlink(p) != 0 && errno != ENOENT) {
			fprintf(stderr, _("fai: cannot remove %s: %s\n"),
				out_shown(p), strerror(errno));
			free(p);
			return CLI_STORE;
		}
		free(p);
	}
	return 0;
}

int demo_run(struct cli *cli, int argc, char **argv)
{
	struct fai_err err;
	char *script;
	long lineno = 0, first = 0;
	int64_t today = cli->actor.now - cli->actor.now % 86400, last = 0;
	int exit, ideas = 0, actions = 0;
	FILE *null;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0) {
			printf(_("Usage: fai [--db PATH] demo\n"));
			printf("%s\n",
			       _("Creates a demo store with a realistic "
				 "pipeline (replaces an older demo store, "
				 "never a real one)."));
			return CLI_OK;
		}
		fprintf(stderr, _("fai: demo takes no arguments\n"));
		return CLI_USAGE;
	}
	if (cli->readonly) {
		/* Building a demo removes and writes a store: not under
		 * --read-only, nor the user's read-only setting. */
		fai_err_clear(&err);
		return cli_fail(cli,
				fai_err_set(&err, FAI_EPERM, FAI_WHY_READONLY,
					    NULL, cli->db),
				&err);
	}
	exit = demo_clear(cli);
	if (exit)
		return exit;
	/* Make the parent directories, like init does. */
	char *dir = xstrdup(cli->db);
	for (char *s = dir + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(dir, 0700);
			*s = '/';
		}
	free(dir);
	fai_err_clear(&err);
	int rc = store_open(&cli->store, cli->db, STORE_CREATE, DEMO_REGION, 0,
			    &err);
	if (!rc)
		rc = store_meta_set(cli->store, "demo", "1", &err);
	if (rc)
		return cli_fail(cli, rc, &err);

	null = fopen("/dev/null", "w");
	script = xstrndup((const char *)fai_demo_data, fai_demo_data_len);
	struct store_actor saved = cli->actor;
	FILE *saved_out = cli->out;
	struct buf joined;
	buf_init(&joined);
	cli->replay = 1;
	cli->file = DEMO_FILE;
	cli->out = null ? null : saved_out;
	exit = CLI_OK;
	for (char *p = script; *p && !exit;) {
		/* One logical line: physical lines joined on a trailing '\'. */
		buf_reset(&joined);
		first = lineno + 1;
		for (;;) {
			char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			lineno++;
			int more = len && p[len - 1] == '\\';
			buf_add(&joined, p, more ? len - 1 : len);
			p += len + (nl ? 1 : 0);
			if (!more || !*p)
				break;
		}
		buf_addc(&joined, '\0');
		char *words[64], *l = joined.data;
		while (*l == ' ' || *l == '\t')
			l++;
		if (!*l || *l == '#')
			continue;
		cli->line = first;
		int n = demo_split(l, words, 64);
		int64_t t;
		if (n < 3 || demo_when(words[0], today, &t) < 0) {
			fprintf(
			    stderr,
			    _("fai: %s:%ld: expected WHEN WHO COMMAND ARGS "
			      "(e.g. -30d09:15 claire move 84-0001 concept)\n"),
			    DEMO_FILE, first);
			exit = CLI_INVALID;
			break;
		}
		if (t < last) {
			fprintf(stderr,
				_("fai: %s:%ld: lines must be in time order\n"),
				DEMO_FILE, first);
			exit = CLI_INVALID;
			break;
		}
		last = t;
		cli->actor.user = words[1];
		cli->actor.now = t;
		ideas += strcmp(words[2], "add") == 0;
		actions++;
		exit = cli_run(cli, n - 2, words + 2);
	}
	buf_free(&joined);
	cli->actor = saved;
	cli->out = saved_out;
	cli->replay = 0;
	cli->file = NULL;
	free(script);
	if (null)
		fclose(null);
	if (exit) {
		fprintf(stderr,
			_("fai: the demo could not be built; the store at %s "
			  "is incomplete\n"),
			out_shown(cli->db));
		return exit;
	}
	fprintf(cli->out,
		_("Demo store created at %s: %d ideas, %d actions replayed.\n"),
		out_shown(cli->db), ideas, actions);
	return CLI_OK;
}
