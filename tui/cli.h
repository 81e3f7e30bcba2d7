/* cli.h - the `fai` command line: one function per command, shared by the
 * program's entry, the demo replay and (later) the board's key actions. */
#ifndef FAI_CLI_H
#define FAI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/xmalloc.h"
#include "../store/store.h"

/* Exit codes, documented in fai(1). */
enum cli_exit {
	CLI_OK = 0,
	CLI_USAGE = 1,
	CLI_INVALID = 2,  /* invalid data or refused by a rule */
	CLI_CONFLICT = 3, /* the idea changed since the revision given */
	CLI_NOTFOUND = 4,
	CLI_STORE = 5,
};

struct cli {
	const char *db;	     /* store directory */
	struct store *store; /* opened on first use */
	struct store_actor actor;
	char user[64];
	char client[64];
	FILE *out;	  /* normal output (stdout, /dev/null in replay) */
	int replay;	  /* replaying the demo: no editor, no prompts */
	int readonly;	  /* --read-only, or the user's setting */
	int board;	  /* the board is open: no command-line advice */
	const char *file; /* replayed file and line, for messages */
	long line;
};

/* Fills cli from the environment: store path (--db given as db, else
 * $FAI_DB, else $XDG_DATA_HOME/fai or ~/.local/share/fai), Unix user, SSH
 * client, time ($FAI_NOW, an ISO time, overrides the clock for tests). */
void cli_init(struct cli *cli, const char *db);
void cli_close(struct cli *cli);

/* The largest count or number of days an option or a setting takes:
 * nine digits. */
#define CLI_NUMBER_MAX 999999999ULL

/* Parses arg, the value of option opt of command cmd ("--stale"), as a
 * whole number in [min, max] (validate_number: digits only, no overflow).
 * Returns 0 with *out set, or prints a usage error naming the option and
 * the value and returns CLI_USAGE. */
int cli_arg_number(struct cli *cli, const char *cmd, const char *opt,
		   const char *arg, uint64_t min, uint64_t max, uint64_t *out);

/* Parses arg, the date or time of option opt ("--since"), in the years
 * 1900..2100.  Returns 0 with *out set, or prints a usage error and returns
 * CLI_USAGE. */
int cli_arg_time(struct cli *cli, const char *cmd, const char *opt,
		 const char *arg, int64_t *out);

/* Prints the usage error "OPT \"ARG\": <why>" (ARG display-safe) and
 * returns CLI_USAGE. */
int cli_arg_refused(struct cli *cli, const char *cmd, const char *opt,
		    const char *arg, int why);

/* Returns 1 when this Unix user's settings say read-only = yes. */
int cli_user_readonly(void);

/* Runs the command argv[0] with its arguments; returns an exit code. */
int cli_run(struct cli *cli, int argc, char **argv);

/* Prints the general usage to f. */
void cli_usage(FILE *f);

/* Prints the usage of command name and its summary; returns CLI_OK (or
 * CLI_USAGE for an unknown command). */
int cli_help_for(const char *name);
/* Says cmd got an unknown option or a missing value (argv[optind - 1]);
 * returns CLI_USAGE. */
int cli_bad_option(struct cli *cli, const char *cmd, char **argv);
/* Prints "fai: CMD: WHAT" and where to find help; returns CLI_USAGE. */
int cli_usage_error(struct cli *cli, const char *cmd, const char *what);

/* `fai backup` and `fai restore` (cmd_backup.c). */
int cmd_backup(struct cli *cli, int argc, char **argv);
int cmd_restore(struct cli *cli, int argc, char **argv);

/* Opens cli->store if needed; on failure prints why and returns an exit
 * code, else 0. */
int cli_store_open(struct cli *cli);

/* Appends to msg one translated sentence saying what rc and err mean (no
 * "fai: " prefix, no newline) and returns the exit code for rc. */
int cli_message(struct cli *cli, int rc, const struct fai_err *err,
		struct buf *msg);

/* Appends the translated labels of the idea fields e changes, separated by
 * commas (b is expected empty). */
void cli_changed_labels(struct buf *b, const struct log_entry *e);

/* Appends what the log entry e did as a translated noun phrase ("move of
 * 84-0006 to Concept", no final stop).  backwards reads an UNDO entry as
 * the action it undid (its changes' before values): how an undo is named,
 * and how a redo names what it brings back. */
void cli_action_name(struct buf *b, const struct log_entry *e, int backwards);

/* The UNDO entries of a log read oldest first, to tell undos from redos
 * (an UNDO of an undo is a redo; of a redo, an undo again).  Zero it
 * before use; cli_undos_free frees it. */
struct cli_undos {
	uint64_t *seq;
	unsigned char *redo;
	size_t n;
};
/* Notes e (any kind) and returns 1 when e is a redo.  An UNDO whose target
 * was not noted (before a --since) counts as an undo. */
int cli_undos_note(struct cli_undos *u, const struct log_entry *e);
void cli_undos_free(struct cli_undos *u);
/* Appends the translated account of the UNDO entry e, for a history:
 * "undid action #12: move of 84-0006 to Concept", or "redid: ...". */
void cli_undo_describe(struct buf *b, const struct log_entry *e, int redo);

/* Prints err (what rc says, with field, value, file and line) as one clear
 * message on stderr and returns the exit code for rc. */
int cli_fail(struct cli *cli, int rc, const struct fai_err *err);

/* The names of the fields in a $EDITOR text: the translated labels when
 * the person's language is not English ("Titre:"), else NULL (the codes,
 * as files and --set spell them). */
const char *(*cli_template_names(void))(enum idea_field f);

/* Edits an idea in $VISUAL/$EDITOR and saves it if still at expect (0: the
 * revision read now).  Messages go into note when not NULL (the board shows
 * them), else to stdout/stderr.  Returns an exit code. */
int cli_edit_in_editor(struct cli *cli, const char *ref, uint64_t expect,
		       struct buf *note);

/* A person's $EDITOR text that could not be saved: the file it is kept in,
 * why it was refused, and the version it was edited from. */
struct cli_kept {
	char *path;	   /* heap */
	char *why;	   /* heap: one line, the refusal in words */
	long line;	   /* the line at fault in the kept file, or 0 */
	struct idea *base; /* the idea as the text was first written from */
	int saved;	   /* out: the edit was saved (nothing kept) */
};

/* Frees what k holds (not the kept file) and zeroes it; k may be NULL. */
void cli_kept_clear(struct cli_kept *k);

/* cli_edit_in_editor for the board, which remembers a refused text: with
 * from, the editor opens on the text kept in from->path (read only when it
 * is a regular file of ours, never through a link), written to a new file
 * after comment lines saying why it was refused; its fields that differ
 * from from->base are applied to the current version (a colleague's change
 * to another field stays).  When the text cannot be saved again, kept
 * (may be NULL) gets where it is now and why (the caller frees it with
 * cli_kept_clear); kept->saved says the edit was saved.  Returns an exit
 * code. */
int cli_edit_kept(struct cli *cli, const char *ref, uint64_t expect,
		  const struct cli_kept *from, struct buf *note,
		  struct cli_kept *kept);

/* Writes a person's text to a new file $TMPDIR/fai-REF[what]-XXXXXX.txt
 * (or /tmp): created O_EXCL|O_NOFOLLOW, mode 0600, never an existing file
 * or a link.  Returns its heap path (the caller frees it), or NULL. */
char *cli_keep_text(const char *ref, const char *what, const char *text,
		    size_t n);

/* Opens the board (ui.c): `fai`, `fai board [--mouse]`. */
int ui_board_run(struct cli *cli, int argc, char **argv);

/* Replays the built-in demo script into the store at cli->db (demo.c). */
int demo_run(struct cli *cli, int argc, char **argv);

/* The weekly pipeline review: `fai review` (review.c). */
int cmd_review(struct cli *cli, int argc, char **argv);

#endif
