/* exchange.h - `fai export` and `fai import`: the CSV hand-off with the
 * national network, format version 1 (docs/csv-format.md).
 *
 * Export writes one row per idea, sorted by id, in a consistent snapshot,
 * and remembers for each idea what it sent (a fingerprint and the local
 * revision) so a later import can tell "they changed it" from "we changed
 * it".  Import reads its source once, checking every row and keeping them
 * in a private temporary file (the spool), then merges the spooled rows in
 * one write transaction: nothing is written when a row is invalid (unless
 * skip_invalid) or a conflict must fail. */
#ifndef FAI_STORE_EXCHANGE_H
#define FAI_STORE_EXCHANGE_H

#include <stdio.h>

#include "../core/err.h"
#include "../core/idea.h"
#include "../core/xmalloc.h"
#include "csvio.h"
#include "store.h"

struct exchange_stats {
	unsigned long long rows;    /* data rows read or written */
	unsigned long long added;   /* new ideas */
	unsigned long long updated; /* changed by the file */
	unsigned long long unchanged;
	unsigned long long conflicts;
	unsigned long long invalid;
	unsigned long long renumbered; /* new ideas whose ref was taken */
	unsigned long long forced; /* rows that passed a stage gate by force */
	/* Codes whose leading zeros a spreadsheet dropped, restored (in the
	 * rows imported); cells left as stored because they differed only
	 * by the '?' of a Windows-1252 save (core/sheet.h). */
	unsigned long long repaired, protected_cells;
	int bulk; /* the import was written in bulk (import_opts.bulk_bytes) */
};

/* What a header may hold: column names of at most this many bytes (valid
 * UTF-8 without any control character), and at most this many columns
 * fai does not know besides the format's own; a store keeps at most as
 * many such columns for export, so its export always imports again. */
#define IMPORT_NAME_MAX 200
#define IMPORT_COLUMNS_MAX 1000

/* Called now and then on long jobs: done and total in bytes or rows; total
 * 0 when it is not known (an import reading a pipe: done counts bytes). */
typedef void (*exchange_progress)(unsigned long long done,
				  unsigned long long total, void *arg);

/* The form of an export: CSV in a dialect, or an XLSX workbook. */
enum export_format {
	EXPORT_CSV,
	EXPORT_XLSX,
};

struct export_opts {
	enum export_format format;
	enum csv_dialect dialect; /* of a CSV export */
	/* Column titles and stage values in French (idea_field_info's
	 * title_fr, stage_label_fr), as the excel-fr dialect and XLSX have
	 * them by default; else the code names. */
	int headers_fr, labels_fr;
	/* keep an idea when filter is NULL or returns 1; the view lives for
	 * the call only */
	int (*filter)(const struct idea_view *idea, void *arg);
	void *filter_arg;
	exchange_progress progress;
	void *progress_arg;
	/* Called once every row is written and flushed, before what was sent
	 * is recorded (NULL: nothing to do): makes the file whole where the
	 * reader will find it (outfile_commit).  An error stops the export
	 * and nothing is recorded. */
	int (*publish)(void *arg, struct fai_err *err);
	void *publish_arg;
};

/* Writes the ideas to f.  Records what was sent unless the store is
 * read-only, and only once o->publish succeeded.  Returns 0 (st->rows
 * set) or a negative error. */
int store_export(struct store *s, FILE *f, const struct export_opts *o,
		 struct exchange_stats *st, struct fai_err *err);

enum import_conflict {
	IMPORT_KEEP_LOCAL,
	IMPORT_TAKE_THEIRS,
	IMPORT_FAIL,
};

enum import_event_kind {
	IMPORT_EVENT_INVALID,  /* err says why */
	IMPORT_EVENT_CONFLICT, /* changes: local -> theirs */
	IMPORT_EVENT_ADDED,
	IMPORT_EVENT_UPDATED, /* changes: local -> theirs */
};

struct import_event {
	enum import_event_kind kind;
	long line;
	const char *ref;
	const struct fai_err *err;
	const struct idea_change *changes;
	size_t nchanges;
};

struct import_opts {
	int dry_run;	  /* compute everything, write nothing */
	int skip_invalid; /* import the valid rows, reject the others */
	int force;	  /* pass the stage gates (never a missing reason);
			     each such row is logged as forced */
	enum import_conflict on_conflict;
	const char *rejects_path; /* with skip_invalid: the rejected rows */
	const char *sheet; /* a workbook's sheet to read; NULL: the first */
	void (*report)(const struct import_event *ev, void *arg);
	void *report_arg;
	/* Writes in out the reason column of a row written to the rejects
	 * file (err says why line was refused), for a person to read in a
	 * spreadsheet: tui/ composes it in the user's language.  NULL: a
	 * plain English "line N: field: why". */
	void (*reason)(const struct fai_err *err, long line, struct buf *out,
		       void *arg);
	void *reason_arg;
	exchange_progress progress;
	void *progress_arg;
	/* Imports that would grow the store by at least this many bytes (as
	 * estimated from the spool: 4 times its bytes and 1 KiB a row; 0: 32
	 * MiB; -1: never) are written in bulk, through a writable memory map
	 * whose space is reserved on disk first, so the new pages live in the
	 * store's file rather than in memory.  Same outcome. */
	long long bulk_bytes;
};

/* Imports path ("-": standard input).  The source is read once: each row
 * is checked as it comes and spooled; the write transaction reads only the
 * spool.  Rows are judged as `fai move` judges a move: a new row's stage
 * needs the gates of every stage from concept up to it, an update that
 * changes the stage those from the local idea's stage up to the new one,
 * on_hold and abandoned a stage_reason.  Returns 0 when the import was
 * applied (or, with dry_run, would be); -FAI_EINVAL when rows are invalid
 * (and not skipped: the same id twice, a gate not passed, a bad cell), the
 * header is refused (missing required columns, a bad or repeated name, too
 * many columns; err names them) or the source cannot be read as CSV, or
 * is no file nor pipe (why FAI_WHY_NOT_FILE); -FAI_ECONFLICT when
 * on_conflict is IMPORT_FAIL and there are conflicts; -FAI_ENOSPACE when a
 * device is full (the spool, the rejects, the store's reserved space);
 * other errors as usual.  A refused import writes nothing; a dry run and
 * an import found invalid while reading never write the store's file at
 * all.  st is filled in every case. */
int store_import(struct store *s, const struct store_actor *actor,
		 const char *path, const struct import_opts *o,
		 struct exchange_stats *st, struct fai_err *err);

#endif
