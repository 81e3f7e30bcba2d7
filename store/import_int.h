/* import_int.h - what the parts of `fai import` share (private to
 * store/): the state of one import.  import.c merges the rows and holds
 * the entry (store_import); import_header.c checks the header and the
 * unknown columns; import_read.c reads the source once into the spool and
 * reads the spool back. */
#ifndef FAI_STORE_IMPORT_INT_H
#define FAI_STORE_IMPORT_INT_H

#include <stdio.h>

#include "../core/sha256.h"
#include "csvio.h"
#include "exchange.h"
#include "exchange_int.h"
#include "internal.h"
#include "outfile.h"
#include "xlsx.h"

/* Imports that would grow the store by at least this much are written
 * through a writable map (import_opts.bulk_bytes). */
#define IMPORT_BULK_BYTES ((long long)32 << 20)

/* A spooled row's flags. */
#define SPOOL_PREPARED 1u /* its known cells hold their fields' values */
#define SPOOL_DUP_ID 2u	  /* its id came earlier in the file */

/* The next reference number of a region, as ref_assign would give it, in
 * a transaction that does not write (a dry run). */
struct region_seq {
	char region[4];
	uint64_t n;
};

/* What import_sheet_row repaired in a row (reused from row to row). */
struct import_fix {
	struct csvr_row row; /* the row as repaired */
	char **cells;
	size_t *lens, ncells;
	struct buf text, one; /* the repaired cells' text */
	struct {
		size_t col, off, len;
	} * at;
	size_t cap;
	unsigned codes; /* of them, codes whose leading zeros came back */
	char empty[1];	/* the cells a workbook's row leaves out */
};

struct import {
	struct store *s;
	const struct store_actor *actor;
	const char *path; /* as given: "-" is standard input */
	const struct import_opts *o;
	struct exchange_stats st;
	struct columns cs;
	struct csvr_row header; /* a copy, for the rejects file */
	int id_col, ref_col;
	int has_extras;
	struct strmap extra_names; /* this file's unknown columns, by name */
	char delim;
	unsigned char sha[SHA256_LEN];	 /* of every byte read */
	unsigned long long source_size;	 /* a file's size, 0 when unknown */
	unsigned long long source_bytes; /* bytes read */
	unsigned long long rows1;	 /* data rows of the first pass */
	unsigned long long invalid1;	 /* of them invalid on their own */
	unsigned long long suspect1;	 /* of them refused were they new */
	struct csvr *r;
	struct xlsxr *x; /* a workbook, read through r's descriptor */
	unsigned long long repaired1; /* codes repaired in valid rows */
	struct import_fix fix;	      /* the last row's repairs */
	struct outfile *rejects;      /* never through a link: outfile.h */
	struct csvw *rw;
	char *text; /* the log text of each change: "import FILE" */
	/* Progress over the whole job: the reading, then each pass over the
	 * spool, an equal part of the bar each. */
	unsigned passes, pass;
	FILE *spool;
	unsigned long long spool_size;
	struct csvr_row srow; /* the last row read from it */
	unsigned flags;	      /* its SPOOL_ flags */
	int prepared;	      /* flags & SPOOL_PREPARED */
	int reading;	      /* the first pass: rows are checked, not kept */
	int eval;  /* the pass judges the spool in a read transaction */
	int quiet; /* events were told by an earlier pass */
	struct idset *dups;    /* ids seen twice, with their first line */
	struct idset *claimed; /* eval: references given to new ideas */
	struct region_seq *seqs;
	size_t nseqs;
};

/* import_sheet.c */
/* Undoes what a spreadsheet did to row's known cells (core/sheet.c's
 * rules; kinds: the cells' kinds in a workbook, NULL for CSV), and
 * gives a workbook's row the header's width (a sheet leaves out the blank
 * cells after a row's last value): returns row when nothing changed,
 * else a repaired copy valid until the next call.  fix starts zeroed and ends
 * with import_fix_free. */
struct csvr_row *import_sheet_row(struct import *im, struct csvr_row *row,
				  const unsigned char *kinds,
				  struct import_fix *fix);
void import_fix_free(struct import_fix *fix);

/* import.c */
void import_progress(struct import *im, unsigned long long done,
		     unsigned long long total);
void event(struct import *im, enum import_event_kind kind, long line,
	   const char *ref, const struct fai_err *err,
	   const struct idea_change *ch, size_t nch);

/* A row into theirs (is_new: a new idea); the stage gates of a row. */
int import_row(struct import *im, const struct csvr_row *row,
	       struct idea *theirs, int is_new, struct fai_err *err);
int import_gate(const struct idea *theirs, const struct idea *local, int force,
		int *gated, struct fai_err *err);

/* import_header.c */
int header_fail(struct import *im, const struct csvr_row *h, int why,
		const char *name, struct fai_err *err);
int import_header(struct import *im, const struct csvr_row *h,
		  struct fai_err *err);
size_t extras_after(const struct import *im, const struct extras *x);
int extras_cap(struct import *im, size_t n, struct fai_err *err);
int import_extras_room(struct import *im, struct fai_err *err);
int import_extra_names(struct import *im, struct store_txn *t,
		       struct fai_err *err);

/* import_read.c */
int import_next(struct import *im, struct csvr_row **row, struct fai_err *err);
void row_copy_free(struct csvr_row *r);
int import_read(struct import *im, struct fai_err *err);

#endif
