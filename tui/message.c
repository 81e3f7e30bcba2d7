/* message.c - every error a person reads, composed once: a code and a
 * struct fai_err from the lower layers become one translated sentence
 * (cli_message), and the exit status that goes with it. */

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

/* ------------------------------------------------------------ errors */

static int exit_code(int rc)
{
	switch (-rc) {
	case FAI_OK:
		return CLI_OK;
	case FAI_EUSAGE:
		return CLI_USAGE;
	case FAI_EINVAL: /* also a file fai refuses to write: a link, a
			    directory, a file inside a store */
	case FAI_ERULE:
	case FAI_EGATE:
	case FAI_EEXIST:
	case FAI_ENOTHING:
	case FAI_ETOOBIG:
		return CLI_INVALID;
	case FAI_ECONFLICT:
		return CLI_CONFLICT;
	case FAI_ENOTFOUND:
		return CLI_NOTFOUND;
	case FAI_ENOSPACE: /* the disk, like the store: 5 */
	default:
		return CLI_STORE;
	}
}

/* Prints "file:line: " when replaying or when err names a file. */
void cli_where(struct cli *cli, const struct fai_err *err)
{
	if (err && err->file[0] && err->line)
		fprintf(stderr, "%s:%ld: ", out_shown(err->file), err->line);
	else if (err && err->file[0])
		fprintf(stderr, "%s: ", out_shown(err->file));
	else if (cli->file)
		fprintf(stderr, "%s:%ld: ", out_shown(cli->file), cli->line);
}

/* Appends the missing fields of a gate (a set, bit 1 << field) as
 * translated labels separated by commas: in the gates' order up the
 * pipeline (the order a person fills them), then any other in field
 * order. */
void cli_print_missing(struct buf *msg, uint64_t missing)
{
	int first = 1;
	for (int s = STAGE_NEED; s < STAGE_PIPELINE_COUNT; s++) {
		int f;
		for (size_t i = 0; (f = stage_gate_field(s, i)) >= 0; i++) {
			if (!(missing & (UINT64_C(1) << f)))
				continue;
			buf_printf(msg, "%s%s", first ? "" : ", ",
				   out_field_label(f));
			missing &= ~(UINT64_C(1) << f);
			first = 0;
		}
	}
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		if (!(missing & (UINT64_C(1) << f)))
			continue;
		buf_printf(msg, "%s%s", first ? "" : ", ", out_field_label(f));
		first = 0;
	}
}

/* Appends the codes of a set of fields: the names of CSV columns, which
 * a file spells as they are whatever the language. */
static void print_columns(struct buf *msg, uint64_t set)
{
	for (int f = 0; f < IDEA_FIELD_COUNT; f++)
		if (set & (UINT64_C(1) << f))
			buf_printf(msg, "%s%s", msg->len ? " " : "",
				   idea_field_info(f)->code);
}

/* ------------------------------------------------------------ actions */

/* The value a change leaves when its entry is read forwards, or the one
 * it had before when read backwards (an UNDO entry told as what it
 * undid). */
static const char *change_side(const struct log_change *c, int backwards)
{
	return backwards ? c->before : c->after;
}

/* The kind of action an UNDO entry's changes amount to, read in the
 * given direction: an UNDO entry does not name the kind of what it
 * undid, its changes show it (the title appearing: a creation; the stage:
 * a move; the rank alone: a reorder; nothing but a text: a comment). */
static enum log_kind undo_shape(const struct log_entry *e, int backwards)
{
	const struct log_change *ti = log_entry_change(e, "title");
	int fields = 0, rank = 0;
	if (!e->idea_key)
		return LOG_CONFIG;
	if (ti && change_side(ti, !backwards) == NULL)
		return LOG_CREATE;
	if (log_entry_change(e, "stage"))
		return LOG_MOVE;
	for (size_t i = 0; i < e->nchanges; i++) {
		const char *n = e->changes[i].name;
		if (n && strcmp(n, "rank") == 0)
			rank = 1;
		else if (n && idea_field_parse(n) >= 0)
			fields = 1;
	}
	if (fields)
		return LOG_EDIT;
	if (rank)
		return LOG_REORDER;
	return e->text ? LOG_COMMENT : LOG_EDIT;
}

void cli_changed_labels(struct buf *b, const struct log_entry *e)
{
	for (size_t i = 0; i < e->nchanges; i++) {
		int f = e->changes[i].name
			    ? idea_field_parse(e->changes[i].name)
			    : -1;
		if (f >= 0)
			buf_printf(b, "%s%s", b->len ? ", " : "",
				   out_field_label(f));
	}
}

void cli_action_name(struct buf *b, const struct log_entry *e, int backwards)
{
	const char *ref = e->ref[0] ? e->ref : "-";
	enum log_kind kind = e->kind;
	if (kind == LOG_UNDO || backwards)
		kind = undo_shape(e, backwards);
	switch (kind) {
	case LOG_CREATE:
		buf_printf(b, _("creation of %s"), ref);
		break;
	case LOG_MOVE: {
		const struct log_change *st = log_entry_change(e, "stage");
		const char *to = st ? change_side(st, backwards) : NULL;
		buf_printf(b, _("move of %s to %s"), ref,
			   out_stage_label(stage_parse(to ? to : "")));
		break;
	}
	case LOG_EDIT: {
		struct buf names;
		buf_init(&names);
		cli_changed_labels(&names, e);
		if (names.len)
			buf_printf(b, _("change of %s (%s)"), ref, names.data);
		else
			buf_printf(b, _("change of %s"), ref);
		buf_free(&names);
		break;
	}
	case LOG_COMMENT:
		buf_printf(b, _("comment on %s"), ref);
		break;
	case LOG_REORDER:
		buf_printf(b, _("new place of %s in its column"), ref);
		break;
	case LOG_CONFIG: {
		const char *key =
		    e->nchanges && e->changes[0].name &&
			    strncmp(e->changes[0].name, "config:", 7) == 0
			? e->changes[0].name + 7
			: NULL;
		enum stage st = key && strncmp(key, "wip.", 4) == 0
				    ? stage_parse(key + 4)
				    : STAGE_NONE;
		buf_adds(b, _("change of a setting"));
		if (st != STAGE_NONE)
			buf_printf(b, _(" (card limit of %s)"),
				   out_stage_label(st));
		else if (key && strcmp(key, "stale.days") == 0)
			buf_adds(b, _(" (days without activity before an idea "
				      "is stale)"));
		else if (key)
			buf_printf(b, " (%s)", key);
		break;
	}
	default:
		buf_printf(b, _("change of %s"), ref);
		break;
	}
}

int cli_undos_note(struct cli_undos *u, const struct log_entry *e)
{
	int redo = 0;
	if (e->kind != LOG_UNDO)
		return 0;
	for (size_t i = 0; i < u->n; i++)
		if (u->seq[i] == e->target)
			redo = !u->redo[i];
	u->seq = xrealloc(u->seq, (u->n + 1) * sizeof(*u->seq));
	u->redo = xrealloc(u->redo, (u->n + 1) * sizeof(*u->redo));
	u->seq[u->n] = e->seq;
	u->redo[u->n++] = (unsigned char)redo;
	return redo;
}

void cli_undos_free(struct cli_undos *u)
{
	free(u->seq);
	free(u->redo);
	memset(u, 0, sizeof(*u));
}

void cli_undo_describe(struct buf *b, const struct log_entry *e, int redo)
{
	struct buf what;
	buf_init(&what);
	cli_action_name(&what, e, !redo);
	if (redo)
		buf_printf(b, _("redid: %s"), what.data ? what.data : "");
	else
		buf_printf(b, _("undid action #%llu: %s"),
			   (unsigned long long)e->target,
			   what.data ? what.data : "");
	buf_free(&what);
}

/* The stage a refused move or gate aims at, as a person reads it. */
static const char *target_label(const struct fai_err *err)
{
	return err->stage >= 0 && err->stage < STAGE_COUNT
		   ? out_stage_label(err->stage)
		   : out_stage_label(stage_parse(err->value));
}

/* The sentences of -FAI_ESTORE: what happened to the store, and the way
 * out.  value is err->value, display-safe. */
static void store_message(struct cli *cli, const struct fai_err *err,
			  const char *value, struct buf *msg)
{
	const char *detail = err->detail;
	const char *db = out_shown(cli->db);
	switch (err->why) {
	case FAI_WHY_DAMAGED:
		if (value[0] && err->about == FAI_ABOUT_IDEA_RECORD)
			buf_printf(
			    msg,
			    _("the store at %s is damaged: the idea %s fails "
			      "its check, so fai does not use it"),
			    db, value);
		else if (value[0] && err->about == FAI_ABOUT_LOG_RECORD)
			buf_printf(
			    msg,
			    _("the store at %s is damaged: the log entry %s "
			      "fails its check, so fai does not use it"),
			    db, value);
		else if (value[0] && err->about == FAI_ABOUT_META_RECORD)
			buf_printf(
			    msg,
			    _("the store at %s is damaged: its value '%s' "
			      "fails its check, so fai does not use it"),
			    db, value);
		else if (err->field[0] && err->about != FAI_ABOUT_FILE)
			buf_printf(
			    msg,
			    _("the store at %s is damaged: its index '%s' "
			      "does not match the ideas"),
			    db, err->field);
		else if (err->about == FAI_ABOUT_FILE && err->count && value[0])
			buf_printf(msg,
				   ngettext("%s is damaged: fai check finds "
					    "%llu problem in it",
					    "%s is damaged: fai check finds "
					    "%llu problems in it",
					    (unsigned long)err->count),
				   value, (unsigned long long)err->count);
		else
			buf_printf(msg, _("the store at %s is damaged: %s"), db,
				   detail[0] ? detail : _("it cannot be read"));
		buf_adds(msg,
			 _(". Nothing was changed. See what is damaged with "
			   "fai check, and restore the last backup with fai "
			   "restore (fai(1), DAMAGED STORE)"));
		break;
	case FAI_WHY_TRUNCATED:
		buf_printf(
		    msg,
		    _("the store at %s is damaged: its file %s is shorter "
		      "than it says it is (cut, or emptied). Nothing was "
		      "changed. Restore the last backup with fai restore "
		      "(fai(1), DAMAGED STORE)"),
		    db, value);
		break;
	case FAI_WHY_NOT_FILE:
		buf_printf(msg,
			   _("the store at %s is damaged: %s is not a regular "
			     "file. Restore the last backup with fai restore "
			     "(fai(1), DAMAGED STORE)"),
			   db, value);
		break;
	case FAI_WHY_LOCK_CHANGED:
		buf_printf(
		    msg,
		    _("the store's file %s/%s was deleted or replaced while "
		      "fai was using it (a careless rm, or a restore by "
		      "copy): nothing was written. Close every fai using "
		      "this store, boards included, then start again "
		      "(fai(1), LOCK FILE)"),
		    db, err->field);
		break;
	case FAI_WHY_LOCK_FOREIGN:
		buf_printf(
		    msg,
		    _("the store at %s is in use by fai processes whose "
		      "lock file %s/lock.mdb was deleted or replaced: "
		      "writing now could lose their work, so nothing was "
		      "done. Close every board and script using this store, "
		      "then retry (fai(1), LOCK FILE)"),
		    db, db);
		break;
	case FAI_WHY_RESTORING:
		buf_printf(msg,
			   _("the store at %s is being restored from a backup; "
			     "retry in a moment"),
			   db);
		break;
	case FAI_WHY_IN_USE:
		buf_printf(
		    msg,
		    _("cannot restore the store at %s while fai processes "
		      "use it: close every board and script using it "
		      "first"),
		    db);
		break;
	default:
		buf_printf(msg, "%s", _(fai_strerror(FAI_ESTORE)));
		if (value[0])
			buf_printf(msg, ": %s", value);
		/* the database or step that failed, beside LMDB's words */
		if (detail[0] && err->about == FAI_ABOUT_STORE_DB &&
		    err->field[0])
			buf_printf(msg, " (%s: %s)", err->field, detail);
		else if (detail[0])
			buf_printf(msg, " (%s)", detail);
		break;
	}
}

/* Translated words for what a path is (an enum fai_file_kind). */
static const char *file_kind(int kind)
{
	switch (kind) {
	case FAI_FILE_KIND_DIRECTORY:
		return _("a directory");
	case FAI_FILE_KIND_SOCKET:
		return _("a socket");
	case FAI_FILE_KIND_BLOCK_DEVICE:
		return _("a block device");
	case FAI_FILE_KIND_FIFO:
		return _("a pipe");
	case FAI_FILE_KIND_CHAR_DEVICE:
		return _("a device");
	}
	return _("something else");
}

/* The sentence for an error about a file fai reads or writes (about
 * FAI_ABOUT_FILE); returns 0 when it has none for this code and reason.
 * path is already display-safe. */
static int file_message(int code, const struct fai_err *err, const char *path,
			struct buf *msg)
{
	const char *detail = err->detail;
	switch (code) {
	case FAI_EINVAL:
		if (err->why == FAI_WHY_SYMLINK)
			buf_printf(
			    msg,
			    _("refusing to write %s: it is a symbolic link, "
			      "and fai never writes through a link (remove it, "
			      "or choose another name)"),
			    path);
		else if (err->why == FAI_WHY_IN_STORE)
			buf_printf(
			    msg,
			    _("refusing to write %s: it is inside the store "
			      "directory %s (choose another directory)"),
			    path, out_shown(err->path));
		else if (err->why == FAI_WHY_NOT_FILE && err->file_kind)
			buf_printf(msg,
				   _("refusing to write %s: it is %s, not a "
				     "regular file"),
				   path, file_kind(err->file_kind));
		else
			return 0;
		return 1;
	case FAI_EPERM:
		if (err->why == FAI_WHY_NOT_OWNER)
			buf_printf(
			    msg,
			    _("cannot replace %s: it belongs to another user, "
			      "in a directory where only a file's owner may "
			      "replace it (sticky); choose another name"),
			    path);
		else if (err->why == FAI_WHY_NONE)
			buf_printf(msg, _("cannot write %s: %s"), path,
				   out_shown(detail));
		else
			return 0;
		return 1;
	case FAI_ENOSPACE:
		if (err->why == FAI_WHY_SPACE_NEEDED)
			buf_printf(
			    msg,
			    _("no space left on the device to write %s: the "
			      "import needs %llu MiB more; nothing was written "
			      "(free some space and try again)"),
			    path, (unsigned long long)err->count);
		else
			buf_printf(
			    msg,
			    _("no space left on the device to write %s; it is "
			      "as it was (free some space and try again)"),
			    path);
		return 1;
	case FAI_EIO:
		/* reading or writing: "PATH: what the system said" */
		buf_printf(msg, "%s: %s", path,
			   err->why != FAI_WHY_NONE ? _(fai_why_text(err->why))
			   : detail[0]		    ? out_shown(detail)
						    : _(fai_strerror(code)));
		return 1;
	}
	return 0;
}

/* The sentences of a refused CSV header (about FAI_ABOUT_HEADER). */
static void header_message(const struct fai_err *err, const char *value,
			   struct buf *msg)
{
	switch (err->why) {
	case FAI_WHY_REQUIRED: {
		struct buf cols;
		buf_init(&cols);
		print_columns(&cols, err->missing);
		buf_printf(msg, _("the header lacks required columns: %s"),
			   cols.data ? cols.data : "");
		buf_free(&cols);
		break;
	}
	case FAI_WHY_EMPTY_FILE:
		buf_adds(msg, _("the file is empty: it has no header, so no "
				"required columns"));
		break;
	case FAI_WHY_HEADER_NAME:
		buf_printf(msg,
			   _("bad header: column %ld \"%s\" is not a valid "
			     "column name (at most %d bytes of text without "
			     "control characters, tabs or line breaks; a "
			     "column fai does not know needs a name)"),
			   err->column, value, IMPORT_NAME_MAX);
		break;
	case FAI_WHY_DUP_COLUMN:
		buf_printf(
		    msg,
		    _("bad header: columns %ld and %ld are the same column "
		      "\"%s\" (case, accents, spaces and dashes aside)"),
		    err->column, err->column2, value);
		break;
	case FAI_WHY_STORE_COLUMNS:
		buf_printf(
		    msg,
		    _("too many columns: with this file's, the store would "
		      "keep %ld columns fai does not know, at most %d"),
		    (long)err->count, IMPORT_COLUMNS_MAX);
		break;
	case FAI_WHY_TOO_MANY_COLUMNS:
		buf_printf(
		    msg,
		    _("bad header: %ld columns; a file may have at most %d "
		      "columns fai does not know, besides the format's"),
		    (long)err->count, IMPORT_COLUMNS_MAX);
		break;
	default:
		buf_printf(msg, _("bad header column \"%s\": %s"), value,
			   _(fai_why_text(err->why)));
		break;
	}
}

/* The sentences of refused CSV data: a cell, a row, the rows of a file;
 * returns 0 when it has none for this reason. */
static int csv_message(const struct fai_err *err, const char *value,
		       const char *field, struct buf *msg)
{
	switch (err->why) {
	case FAI_WHY_ENCODING:
		buf_printf(msg,
			   _("invalid data: column %ld is neither UTF-8 nor "
			     "Windows-1252 text (save the file as UTF-8, or as "
			     "Windows-1252)"),
			   err->column);
		return 1;
	case FAI_WHY_ROW_CELLS:
		buf_printf(
		    msg,
		    ngettext("the row has %llu cell, the header has %llu",
			     "the row has %llu cells, the header has %llu",
			     (unsigned long)err->count),
		    (unsigned long long)err->count,
		    (unsigned long long)err->limit);
		return 1;
	case FAI_WHY_DUP_ID:
		if (!err->line2)
			return 0;
		buf_printf(msg, _("the same id as line %ld: %s"), err->line2,
			   value);
		return 1;
	case FAI_WHY_INVALID_ROWS:
		buf_printf(msg,
			   ngettext("%llu invalid row: nothing was imported",
				    "%llu invalid rows: nothing was imported",
				    (unsigned long)err->count),
			   (unsigned long long)err->count);
		return 1;
	case FAI_WHY_CELL_TOO_LONG:
		buf_printf(msg, _("too large: a cell over %llu KiB"),
			   (unsigned long long)err->limit);
		return 1;
	case FAI_WHY_ROW_TOO_LONG:
		buf_printf(msg, _("too large: a row over %llu KiB"),
			   (unsigned long long)err->limit);
		return 1;
	case FAI_WHY_SCIENTIFIC:
		buf_printf(msg,
			   _("invalid %s \"%s\": a spreadsheet wrote this code "
			     "in scientific notation and lost its last digits; "
			     "type it again as text, and exchange the file as "
			     "XLSX (fai export --format xlsx), which keeps "
			     "codes as text"),
			   field, value);
		return 1;
	case FAI_WHY_XLSX_CELL:
		buf_printf(msg,
			   _("idea %s: its %s holds %llu characters, more "
			     "than a spreadsheet cell holds (%llu): export it "
			     "as CSV"),
			   value, field, (unsigned long long)err->count,
			   (unsigned long long)err->limit);
		return 1;
	case FAI_WHY_XLSX_ZIP:
		buf_adds(msg, _("not a readable XLSX workbook: a damaged or "
				"cut file, or no workbook at all"));
		if (err->detail[0])
			buf_printf(msg, " (%s)", out_shown(err->detail));
		return 1;
	case FAI_WHY_XLSX_XML:
		if (err->path[0])
			buf_printf(msg,
				   _("the workbook's part %s is missing or "
				     "malformed"),
				   out_shown(err->path));
		else
			buf_adds(msg, _("a part of the workbook is missing or "
					"malformed"));
		if (err->detail[0])
			buf_printf(msg, " (%s)", out_shown(err->detail));
		return 1;
	case FAI_WHY_XLSX_STRING:
		buf_printf(msg,
			   _("column %ld refers to shared text number %s, "
			     "which the workbook lacks"),
			   err->column, value);
		return 1;
	case FAI_WHY_TOO_MANY_COLUMNS: /* a workbook's row; a header's
					  is header_message's */
		if (!err->limit)
			return 0;
		buf_printf(msg,
			   _("a row has a cell in column %llu, past the last "
			     "column a spreadsheet has (%llu)"),
			   (unsigned long long)err->count,
			   (unsigned long long)err->limit);
		return 1;
	case FAI_WHY_XLSX_SHEET:
		buf_printf(msg, _("the workbook has no sheet \"%s\""), value);
		return 1;
	case FAI_WHY_XLSX_TOO_BIG:
		buf_adds(msg, _("the workbook unpacks to more than fai reads "
				"(a damaged or hostile file?); nothing was "
				"imported"));
		return 1;
	}
	return 0;
}

/* An undo refused because someone changed the same fields since: who
 * changed what of ref, when; nothing was undone. */
static void undo_blocked_message(struct buf *msg, const struct fai_err *err,
				 const char *ref)
{
	const char *who = out_shown(err->by[0] ? err->by : "?");
	const char *when = out_time(err->at);
	int f = idea_field_parse(err->field);
	int needed = -1;
	for (int i = 0; i < IDEA_FIELD_COUNT && needed < 0; i++)
		if (err->missing & (UINT64_C(1) << i))
			needed = i;
	if (strcmp(err->field, "stage") == 0 && err->stage >= 0 && needed >= 0)
		buf_printf(msg,
			   _("not undone: %s has since moved %s to %s, which "
			     "needs %s (%s)"),
			   who, ref, out_stage_label((enum stage)err->stage),
			   out_field_label((enum idea_field)needed), when);
	else if (strcmp(err->field, "stage") == 0 && err->stage >= 0)
		buf_printf(
		    msg, _("not undone: %s has since moved %s to %s (%s)"), who,
		    ref, out_stage_label((enum stage)err->stage), when);
	else if (strcmp(err->field, "rank") == 0)
		buf_printf(msg,
			   _("not undone: %s has since changed the place of "
			     "%s in its column (%s)"),
			   who, ref, when);
	else if (f >= 0 || strncmp(err->field, "x:", 2) == 0)
		buf_printf(msg,
			   _("not undone: %s has since changed %s of %s (%s)"),
			   who,
			   f >= 0 ? out_field_label((enum idea_field)f)
				  : out_shown(err->field + 2),
			   ref, when);
	else
		buf_printf(msg, _("not undone: %s has since changed %s (%s)"),
			   who, ref, when);
}

int cli_message(struct cli *cli, int rc, const struct fai_err *err,
		struct buf *msg)
{
	static const struct fai_err none = {.stage = -1, .stage_from = -1};
	int code = -rc;
	struct buf safe, safe_field;
	char num[24];

	if (!err)
		err = &none;
	const char *field = err->field;
	const char *value = err->value;
	const char *detail = err->detail;
	/* Field and value may come from a file (a column's name, a cell):
	 * shown, never obeyed. */
	buf_init(&safe);
	utf8_safe(&safe, value, strlen(value), UTF8_SAFE_ONELINE);
	value = safe.data ? safe.data : "";
	buf_init(&safe_field);
	utf8_safe(&safe_field, field, strlen(field), UTF8_SAFE_ONELINE);
	const char *shown_field = safe_field.data ? safe_field.data : "";
	/* On the board a field is named by its label, as the form and the
	 * $EDITOR text show it; the command line keeps the code it was
	 * given (--set launch_date=..., a CSV column). */
	if (cli->board &&
	    (err->about == FAI_ABOUT_NONE || err->about == FAI_ABOUT_FIELD) &&
	    idea_field_parse(field) >= 0)
		shown_field = out_field_label(idea_field_parse(field));
	if (err->why == FAI_WHY_SYNC_FAILED) {
		buf_printf(msg,
			   _("the change was made in the store at %s, but the "
			     "disk reported an error while saving it (%s): do "
			     "not repeat it; it may not survive a power cut, "
			     "so check the disk, then run fai check"),
			   out_shown(cli->db), out_shown(detail));
		goto out;
	}
	if (err->about == FAI_ABOUT_FILE && file_message(code, err, value, msg))
		goto out;
	if (err->about == FAI_ABOUT_HEADER && code == FAI_EINVAL) {
		header_message(err, value, msg);
		goto out;
	}
	if ((code == FAI_EINVAL || code == FAI_ETOOBIG) &&
	    csv_message(err, value, shown_field, msg))
		goto out;
	switch (code) {
	case FAI_EINVAL:
		if (field[0])
			buf_printf(msg, _("invalid %s \"%s\": %s"), shown_field,
				   value, _(fai_why_text(err->why)));
		else if (err->why != FAI_WHY_NONE)
			buf_printf(msg, "%s: %s", _(fai_strerror(code)),
				   _(fai_why_text(err->why)));
		else
			buf_adds(msg, _(fai_strerror(code)));
		break;
	case FAI_ERULE:
		buf_printf(msg, _("cannot move to %s: %s"), target_label(err),
			   _(fai_why_text(err->why)));
		break;
	case FAI_EGATE:
		buf_printf(msg, _("cannot move to %s: missing "),
			   target_label(err));
		cli_print_missing(msg, err->missing);
		if (!cli->board)
			buf_adds(msg, _(" (fill them in with fai edit, or pass "
					"the gate with "
					"--force)"));
		break;
	case FAI_ECONFLICT:
		if (err->why == FAI_WHY_CONFLICTS) {
			buf_printf(
			    msg,
			    ngettext("%llu conflict: nothing was imported",
				     "%llu conflicts: nothing was imported",
				     (unsigned long)err->count),
			    (unsigned long long)err->count);
			break;
		}
		if (err->why == FAI_WHY_UNDO_BLOCKED) {
			undo_blocked_message(msg, err, value);
			break;
		}
		buf_printf(
		    msg,
		    _("%s was changed by %s in the meantime (revision %llu, "
		      "you had %llu); look again with fai show %s and "
		      "retry"),
		    value, out_shown(err->by),
		    (unsigned long long)err->rev_found,
		    (unsigned long long)err->rev_had, value);
		break;
	case FAI_ENOTFOUND:
		if (err->about == FAI_ABOUT_FILE)
			buf_printf(msg, _("no file %s"), value);
		else if (err->about == FAI_ABOUT_GROUP)
			buf_printf(msg, _("no Unix group '%s'"), value);
		else
			buf_printf(msg, _("no idea %s"), value);
		break;
	case FAI_ENOSTORE:
		buf_printf(
		    msg,
		    _("no store at %s; create one with fai init --region "
		      "CODE, or try fai demo"),
		    value);
		break;
	case FAI_EEXIST:
		if (field[0])
			buf_printf(msg, _("%s %s already exists"), field,
				   value);
		else
			buf_printf(msg, _("a store already exists at %s"),
				   value);
		break;
	case FAI_ESCHEMA:
		/* the schema version, as the msgids have it: a string */
		snprintf(num, sizeof(num), "%llu",
			 (unsigned long long)err->count);
		if (err->why == FAI_WHY_OLD_SCHEMA &&
		    err->about == FAI_ABOUT_BACKUP)
			buf_printf(
			    msg,
			    _("%s is a backup made by an older fai (schema "
			      "%s): restore it with fai restore to use it"),
			    out_shown(cli->db), num);
		else if (err->why == FAI_WHY_OLD_SCHEMA)
			buf_printf(
			    msg,
			    _("the store at %s was written by an older fai "
			      "(schema %s): open it once without "
			      "--read-only to upgrade it (a copy of it is "
			      "kept in its directory first)"),
			    out_shown(cli->db), num);
		else
			buf_printf(
			    msg,
			    _("the store at %s was written by a newer fai "
			      "(schema %s); upgrade fai to use it"),
			    out_shown(cli->db), num);
		break;
	case FAI_ENOSPACE:
		buf_printf(msg,
			   _("no space left on the device for %s: nothing was "
			     "written; free some space and retry"),
			   value[0] ? value : out_shown(cli->db));
		break;
	case FAI_ESTORE:
		store_message(cli, err, value, msg);
		break;
	case FAI_EPERM:
		if (err->why == FAI_WHY_WORLD_WRITABLE) {
			struct buf fix;
			buf_init(&fix);
			buf_printf(&fix, "chmod o-w %s", value);
			buf_printf(
			    msg,
			    _("refusing the store at %s: its directory is "
			      "writable by every user, so anyone could change "
			      "or break it; fix it with: %s"),
			    value, fix.data);
			buf_free(&fix);
		} else if (err->why == FAI_WHY_NO_ACCESS) {
			buf_printf(msg,
				   _("you may not use the store at %s: it is "
				     "shared by the Unix group '%s' and you "
				     "are not in it; ask an administrator "
				     "(usermod -aG %s %s), then log in again"),
				   out_shown(err->path), value, value,
				   cli->user);
		} else if (err->why == FAI_WHY_READONLY) {
			buf_printf(msg,
				   _("read-only: the store at %s is open for "
				     "reading only; nothing was changed"),
				   out_shown(cli->db));
		} else if (err->why == FAI_WHY_DATA_WRITABLE) {
			struct buf fix;
			buf_init(&fix);
			buf_printf(&fix, "chmod o-w %s", value);
			buf_printf(msg,
				   _("refusing the store at %s: its file %s is "
				     "writable by every user, so anyone could "
				     "change or break it; fix it with: %s"),
				   out_shown(cli->db), value, fix.data);
			buf_free(&fix);
		} else {
			buf_printf(msg, _("permission refused: %s (%s)"), value,
				   detail[0] ? out_shown(detail)
					     : _(fai_why_text(err->why)));
		}
		break;
	default:
		buf_printf(msg, "%s", _(fai_strerror(code)));
		if (value[0])
			buf_printf(msg, ": %s", value);
		if (err->why != FAI_WHY_NONE)
			buf_printf(msg, ": %s", _(fai_why_text(err->why)));
		if (detail[0])
			buf_printf(msg, " (%s)", out_shown(detail));
		break;
	}
out:
	buf_free(&safe);
	buf_free(&safe_field);
	return exit_code(rc);
}

int cli_fail(struct cli *cli, int rc, const struct fai_err *err)
{
	struct buf msg;
	buf_init(&msg);
	int exit = cli_message(cli, rc, err, &msg);
	fputs("fai: ", stderr);
	cli_where(cli, err);
	fprintf(stderr, "%s\n", msg.data ? msg.data : "");
	buf_free(&msg);
	return exit;
}

/* Prints a usage error for a command and returns CLI_USAGE.  what may
 * quote an argument as typed: it is printed display-safe. */
int cli_usage_error(struct cli *cli, const char *cmd, const char *what)
{
	fputs("fai: ", stderr);
	cli_where(cli, NULL);
	fprintf(stderr, "%s: ", cmd);
	out_safe(stderr, what, UTF8_SAFE_ONELINE);
	fputc('\n', stderr);
	fprintf(stderr, _("Try 'fai %s --help'.\n"), cmd);
	return CLI_USAGE;
}
