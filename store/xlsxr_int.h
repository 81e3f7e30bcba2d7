/* xlsxr_int.h - what the pieces of the XLSX reader share, and no one
 * else: the reader's state (struct xlsxr), the bounds more than one piece
 * judges, and the calls between xlsxr.c (open, rows, errors, the
 * workbook), xlsxr_zip.c (the source, the zip and its parts) and
 * xlsxr_sheet.c (the shared strings and the sheet).  Included only by
 * store/xlsxr*.c; the reader's own interface is xlsx.h. */
#ifndef FAI_STORE_XLSXR_INT_H
#define FAI_STORE_XLSXR_INT_H

#include "xlsx.h"

#include <expat.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zip.h>

#include "../core/xmalloc.h"

#define XLSXR_NS ':'
#define XLSXR_PATH_MAX 512

/* Where the parse of a part stands: which part, and what it looks for. */
enum part_kind { PART_WORKBOOK, PART_RELS, PART_STRINGS, PART_SHEET };

struct xlsxr {
	char *name; /* the path as given, for err->file */
	int fd;	    /* ours until zip_fdopen takes it */
	zip_t *za;
	unsigned long long size;
	unsigned char sha[SHA256_LEN];

	/* The XML part being parsed. */
	enum part_kind kind;
	XML_Parser p;
	zip_file_t *zf;
	char part[XLSXR_PATH_MAX];
	unsigned long long comp, declared, inflated;
	int final;	     /* the last block was given to expat */
	int crc;	     /* an error met in a callback (negative) ... */
	struct fai_err cerr; /* ... and its details */

	/* workbook.xml and its relationships */
	const char *want;     /* the sheet's name asked for, NULL: first */
	char *sheet_rid;      /* the chosen sheet's r:id */
	char *sheet_rid_ci;   /* a name matching but for ASCII case */
	char *sheet_target;   /* its part, resolved */
	char *strings_target; /* the shared strings' part, resolved */
	int date1904;	      /* dates count days from 1904-01-01 */
	/* xlsxr_open_fd: the bytes its caller read already from a pipe */
	const unsigned char *head;
	size_t nhead;

	/* Shared strings: string i is at soff[i] of their text, soff[i + 1]
	 * - 1 - soff[i] bytes long (a NUL after each).  The text gathers in
	 * sst; past XLSXR_SST_SPILL bytes it goes on to an unlinked
	 * temporary file (sst_fd, sst_spilled bytes), mapped once the part
	 * is read (sst_map): a workbook saved by a spreadsheet keeps all its
	 * text there (1.5 million strings at 10^5 ideas), which then weighs
	 * on the page cache, not on the process's own memory. */
	struct buf sst;
	size_t *soff;
	size_t nsst, capsst;
	int sst_fd;
	size_t sst_spilled;
	char *sst_map;
	size_t sst_maplen;
	int in_si, rph; /* inside <si>; depth inside <rPh> */

	/* The text of the element being captured (<t>, <v>), raw. */
	struct buf text;
	int capture;

	/* The sheet: where the parse stands. */
	unsigned long long sheet_total, sheet_offset;
	int in_data, in_row, in_c, in_is;
	long row_num;  /* the row being read, or the last one */
	long col;      /* the cell being read, from 0 */
	long next_col; /* where a cell without r goes */
	char ctype;    /* 's' 'i'(nlineStr) 'S'(tr) 'b' 'e' 'n' 'd' */
	int has_v, has_is;
	int row_ready, done;
	/* The row being built: its cells' bytes one after the other, each
	 * with a NUL, in data. */
	struct buf data;
	size_t *offs, *lens;
	unsigned char *kinds;
	char **cells;
	size_t n, cap, row_bytes;
	struct buf dec; /* a decoded string */
	struct csvr_row out;
	int rc; /* the error once returned by xlsxr_next, returned again */
};

/* ------------------------------------------------------------ errors
 * (xlsxr.c) */

/* Names the file in err, and the row being read when there is one. */
void xlsxr_err_where(const struct xlsxr *r, struct fai_err *err);
/* A refusal about the file or one of its parts (XLSX_ZIP, XLSX_XML,
 * XLSX_TOO_BIG, XLSX_SHEET): value the path, err->path the part. */
int xlsxr_fail_file(struct xlsxr *r, struct fai_err *err, int why,
		    const char *part, const char *value);
/* A bound passed: count against limit (bytes, or entries). */
int xlsxr_fail_big(struct xlsxr *r, struct fai_err *err, const char *part,
		   unsigned long long count, unsigned long long limit);
/* A refused cell of the sheet (column from 0). */
int xlsxr_fail_cell(struct xlsxr *r, struct fai_err *err, int code, int why,
		    const char *value);
/* Fills err for a failed system call on the source. */
int xlsxr_fail_io(struct xlsxr *r, int e, struct fai_err *err);
/* In a callback: keeps the first error and stops the parser. */
void xlsxr_cb_stop(struct xlsxr *r, int rc);

/* ------------------------------------------------------------ names */

/* The local part of a name ("x:row" or "row"). */
static inline const char *xlsxr_local(const XML_Char *name)
{
	const char *s = strrchr(name, XLSXR_NS);
	return s ? s + 1 : name;
}

static inline const char *xlsxr_attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(xlsxr_local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

/* ------------------------------------------------------------ the package
 * (xlsxr_zip.c) */

/* Opens path as csvr_open does: r->fd, and whether it can seek. */
int xlsxr_source_open(struct xlsxr *r, const char *path, int *seekable,
		      struct fai_err *err);
/* Reads the source to its end, hashing it; a pipe's bytes go to a
 * temporary file that replaces r->fd.  Returns 0 or a negative error. */
int xlsxr_source_read(struct xlsxr *r, int seekable, struct fai_err *err);
/* A private temporary file, unlinked: its descriptor or -1 (errno). */
int xlsxr_temp_fd(void);
/* Writes s[0..n) whole to fd: 0, or -1 (errno). */
int xlsxr_write_all(int fd, const char *s, size_t n);
/* The number of entries the zip's end record announces, 0 when none is
 * found. */
uint64_t xlsxr_zip_entries(int fd, unsigned long long size);

/* Opens the entry named path for parsing with the handlers given.
 * optional: a missing entry is no error (returns 1). */
int xlsxr_part_open(struct xlsxr *r, enum part_kind kind, const char *path,
		    XML_StartElementHandler start, XML_EndElementHandler end,
		    int optional, struct fai_err *err);
/* Inflates the next block of the part into expat and parses it, or
 * resumes a suspended parse.  Returns 0, or a negative error. */
int xlsxr_part_step(struct xlsxr *r, struct fai_err *err);
/* 1 when the part was parsed to its end. */
int xlsxr_part_finished(const struct xlsxr *r);
/* Parses a whole part at once (the workbook, its relationships, the
 * shared strings). */
int xlsxr_part_parse(struct xlsxr *r, enum part_kind kind, const char *path,
		     XML_StartElementHandler start, XML_EndElementHandler end,
		     int optional, struct fai_err *err);
/* Closes every part-level resource: the parser and the entry. */
void xlsxr_part_close(struct xlsxr *r);

/* ------------------------------------------------------------ the parsers
 * (xlsxr_sheet.c) */

/* expat's character data handler of every part: the text of the element
 * being captured, under the strings' and the cell's bounds. */
void XMLCALL xlsxr_on_text(void *arg, const XML_Char *s, int len);
/* The shared strings' handlers. */
void XMLCALL xlsxr_sst_start(void *arg, const XML_Char *name,
			     const XML_Char **atts);
void XMLCALL xlsxr_sst_end(void *arg, const XML_Char *name);
/* The shared strings' text, once the part is read: mapped when it was
 * spilled.  Returns 0 or a negative error. */
int xlsxr_sst_finish(struct xlsxr *r, struct fai_err *err);
/* The sheet's handlers: the parser suspends itself at the end of each
 * row that holds a value (r->row_ready). */
void XMLCALL xlsxr_sheet_start(void *arg, const XML_Char *name,
			       const XML_Char **atts);
void XMLCALL xlsxr_sheet_end(void *arg, const XML_Char *name);

#endif
