/* exchange.h - `fai export` and `fai import`: the CSV hand-off with the
 * national network, format version 1 (docs/csv-format.md).
 *
 * Export writes one row per idea, sorted by id, in a consistent snapshot,
 * and remembers for each idea what it sent (a fingerprint and the local
 * revision) so a later import can tell "they changed it" from "we changed
 * it".  Import reads a file in one write transaction: nothing is written
 * when a row is invalid (unless skip_invalid) or a conflict must fail. */
#ifndef FAI_STORE_EXCHANGE_H
#define FAI_STORE_EXCHANGE_H

#include <stdio.h>

#include "../core/err.h"
#include "../core/idea.h"
#include "csvio.h"
#include "store.h"

struct exchange_stats {
	unsigned long long rows;      /* data rows read or written */
	unsigned long long added;     /* new ideas */
	unsigned long long updated;   /* changed by the file */
	unsigned long long unchanged;
	unsigned long long conflicts;
	unsigned long long invalid;
	unsigned long long renumbered; /* new ideas whose ref was taken */
	int bulk; /* the import was written in bulk (import_opts.bulk_bytes) */
};

/* Called now and then on long jobs: done and total in bytes or rows. */
typedef void (*exchange_progress)(unsigned long long done,
				  unsigned long long total, void *arg);

struct export_opts {
	enum csv_dialect dialect;
	/* keep an idea when filter is NULL or returns 1 */
	int (*filter)(const struct idea *idea, void *arg);
	void *filter_arg;
	exchange_progress progress;
	void *progress_arg;
};

/* Writes the ideas to f.  Records what was sent unless the store is
 * read-only.  Returns 0 (st->rows set) or a negative error. */
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
	IMPORT_EVENT_UPDATED,  /* changes: local -> theirs */
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
	int dry_run;       /* compute everything, write nothing */
	int skip_invalid;  /* import the valid rows, reject the others */
	enum import_conflict on_conflict;
	const char *rejects_path; /* with skip_invalid: the rejected rows */
	void (*report)(const struct import_event *ev, void *arg);
	void *report_arg;
	exchange_progress progress;
	void *progress_arg;
	/* Files at least this large (0: 16 MiB; -1: none) are imported in
	 * bulk: read once to check every row and keep them prepared in a
	 * temporary file, then written through a writable memory map, so
	 * memory stays flat whatever the file's size.  Same outcome. */
	long long bulk_bytes;
};

/* Imports path.  Returns 0 when the import was applied (or, with dry_run,
 * would be); -FAI_EINVAL when rows are invalid (and not skipped) or the
 * header lacks required columns (err lists them); -FAI_ECONFLICT when
 * on_conflict is IMPORT_FAIL and there are conflicts; other errors as
 * usual.  st is filled in every case. */
int store_import(struct store *s, const struct store_actor *actor,
		 const char *path, const struct import_opts *o,
		 struct exchange_stats *st, struct fai_err *err);

#endif
