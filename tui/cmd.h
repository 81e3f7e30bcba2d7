/* cmd.h - what the files of the command line share (private to tui/):
 * the long options, the filters of list and export, and the helpers of
 * more than one command.  cli.h is the command line's face to the rest of
 * tui/; each command family has its own file (cmd_*.c), cli.c the table
 * and the dispatch, message.c the sentences of errors. */
#ifndef FAI_TUI_CMD_H
#define FAI_TUI_CMD_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/filter.h"
#include "../core/idea.h"
#include "../core/log.h"
#include "../core/xmalloc.h"
#include "cli.h"

/* Long options shared by add and the filters of list. */
enum {
	OPT_FIELD = 1000, /* + enum idea_field */
	OPT_SET = 2000,
	OPT_TAG,
	OPT_PARTNER,
	OPT_FORMAT,
	OPT_STAGE,
	OPT_SEARCH,
	OPT_STALE,
	OPT_REASON,
	OPT_EXPECT,
	OPT_FORCE,
	OPT_SINCE,
	OPT_REGION_INIT,
	OPT_HELP,
	OPT_LIMIT,
	OPT_SHARED,
	OPT_USER,
	OPT_XFORMAT, /* export --format csv|xlsx */
	OPT_HEADERS,
	OPT_LABELS,
	OPT_SHEET,
};
/* The filter options list and export share (handled by cli_filter_option). */
#define FILTER_OPTIONS                                                         \
	{"stage", required_argument, NULL, OPT_STAGE},                         \
	    {"region", required_argument, NULL, OPT_FIELD + IDEA_REGION},      \
	    {"theme", required_argument, NULL, OPT_FIELD + IDEA_THEME},        \
	    {"tag", required_argument, NULL, OPT_TAG},                         \
	    {"facilitator", required_argument, NULL,                           \
	     OPT_FIELD + IDEA_FACILITATOR},                                    \
	    {"search", required_argument, NULL, OPT_SEARCH},                   \
	    {"stale", required_argument, NULL, OPT_STALE},

/* cli.c */
/* The options of add (a field each, --set, --tag, --partner), which
 * edit's --set shares. */
extern const struct option field_options[];
/* Creates every missing directory of path (mkdir -p). */
int cli_mkdir_parents(const char *path);
/* Sets key in the user's settings, keeping the other lines.  The file is
 * replaced whole (outfile: never through a link, never half written).
 * Returns 0 or a negative error with err filled. */
int cli_user_config_set(const char *key, const char *value,
			struct fai_err *err);
/* Splits "field=value" of --set; returns the field or -1. */
int cli_split_set(char *arg, const char **value);

/* message.c */
/* Prints "file:line: " when replaying or when err names a file. */
void cli_where(struct cli *cli, const struct fai_err *err);
/* Appends the missing field codes of a gate as translated labels. */
void cli_print_missing(struct buf *msg, uint64_t missing);

/* cmd_admin.c */
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);

/* cmd_list.c */
int cmd_list(struct cli *cli, int argc, char **argv);
/* Takes a filter option c of list or export into lf: 0 when it was one,
 * 1 when c is no filter option, or a usage exit code (negative). */
int cli_filter_option(struct cli *cli, const char *cmd, int c, const char *arg,
		      struct idea_filter *lf);
/* Gives lf the ideas whose comments hold its search text (the store open):
 * *keys gets the heap array lf borrows, which the caller frees after the
 * last match.  Returns 0 or the exit code of a store error (said). */
int cli_filter_comments(struct cli *cli, struct idea_filter *lf,
			uint64_t **keys);
/* Prints a log entry as one display-safe line; redo: e is an UNDO entry
 * that redoes (cli_undos_note). */
void cli_entry_print(FILE *f, const struct log_entry *e, int with_ref,
		     int redo);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_log(struct cli *cli, int argc, char **argv);

/* cmd_idea.c */
int cmd_add(struct cli *cli, int argc, char **argv);
int cmd_edit(struct cli *cli, int argc, char **argv);
int cmd_move(struct cli *cli, int argc, char **argv);
int cmd_comment(struct cli *cli, int argc, char **argv);
int cmd_undo(struct cli *cli, int argc, char **argv);
int cmd_redo(struct cli *cli, int argc, char **argv);

/* cmd_exchange.c */
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);

#endif
