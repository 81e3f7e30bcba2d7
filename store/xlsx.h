/* xlsx.h - the exchange file as an Office Open XML workbook (.xlsx), the
 * form a spreadsheet keeps every value as it was: codes stay text, numbers
 * numbers, dates dates.
 *
 * The writer (xlsxw.c) goes through libxlsxwriter in its constant-memory
 * mode: rows stream to temporary files in a private directory, and the
 * finished workbook is copied to the export's stream, so memory stays flat
 * whatever the number of ideas.  The reader (xlsxr.c) opens the zip with
 * libzip and parses its XML parts with expat as they inflate, under
 * bounds that hold against hostile files (entry count, inflated sizes, no
 * DTD), and gives rows as the CSV reader does (csvio.h). */
#ifndef FAI_STORE_XLSX_H
#define FAI_STORE_XLSX_H

#include <stddef.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/sha256.h"
#include "csvio.h"

/* ------------------------------------------------------------ writer */

/* What a column holds, and so the kind of its cells. */
enum xlsx_kind {
	XLSX_TEXT,   /* a string cell, whatever it looks like (codes) */
	XLSX_NUMBER, /* a number cell when the value is a whole number,
			else a string cell */
	XLSX_DATE,   /* "YYYY-MM-DD": a date cell shown 15/12/2026 */
	XLSX_TIME,   /* "YYYY-MM-DDTHH:MM:SSZ": a date-time cell in the
			person's local time (TZ), shown 02/12/2026 15:40:07:
			the seconds are shown because a spreadsheet saving
			CSV writes what it shows */
};
/* A value its kind cannot hold (a number with a leading zero or over 15
 * digits, a date before 1900 or that does not parse) is a string cell:
 * never dropped, never changed.  An empty value is no cell. */

struct xlsx_column {
	const char *title; /* the header cell */
	const char *code;  /* its code name, for the legend sheet */
	const char *about; /* what it holds, for the legend sheet */
	enum xlsx_kind kind;
	unsigned width; /* in characters; 0: a default */
	int wrap;	/* long text wrapped in its cell */
};

/* The longest text a cell holds, in UTF-16 code units (Excel's bound). */
#define XLSX_CELL_CHARS 32767

struct xlsxw;

/* Starts a workbook: a first sheet whose header row holds the columns'
 * titles (frozen, bold), and a second sheet, the legend, one row per
 * column: title, code, about.  sheet and legend are the sheets' names
 * (at most 31 characters, none of []:*?/\).  The workbook is built in a
 * private directory made under $TMPDIR (or /tmp).  Returns NULL with err
 * set: the directory could not be made (-FAI_EIO or -FAI_ENOSPACE, value
 * the parent directory, sys_errno), no column or more than 16384
 * (FAI_ETOOBIG, count and limit), libxlsxwriter refused (FAI_EIO). */
struct xlsxw *xlsxw_new(const char *sheet, const char *legend,
			const struct xlsx_column *cols, size_t n,
			struct fai_err *err);

/* Adds the next cell of the current row (its column's kind says how);
 * s need not be NUL-terminated and may hold NUL.  A failure is kept for
 * xlsxw_row_end. */
void xlsxw_cell(struct xlsxw *w, const char *s, size_t len);

/* Ends the row.  Returns 0, or a negative error: a text longer than
 * XLSX_CELL_CHARS (-FAI_EINVAL, why FAI_WHY_XLSX_CELL, about
 * FAI_ABOUT_CELL, field the column's code, err->column the column
 * (1-based), count its length, limit the bound, line the sheet's row),
 * a text that is not UTF-8 (-FAI_EINVAL, FAI_WHY_UTF8, the same facts),
 * more rows than a sheet holds (-FAI_ETOOBIG, count and limit), a write
 * failure (-FAI_EIO, -FAI_ENOSPACE, sys_errno).  Once a row failed, every
 * later call fails the same way. */
int xlsxw_row_end(struct xlsxw *w, struct fai_err *err);

/* Puts the autofilter over the rows written, closes the workbook and
 * copies it to f (flushed, not closed).  Returns 0 or a negative error
 * (-FAI_EIO, -FAI_ENOSPACE with sys_errno, about FAI_ABOUT_OUTPUT; or a
 * row's earlier failure).  The temporary files are gone either way; w is
 * still the caller's to free. */
int xlsxw_finish(struct xlsxw *w, FILE *f, struct fai_err *err);

/* Frees w and removes its temporary files (NULL: nothing). */
void xlsxw_free(struct xlsxw *w);

/* ------------------------------------------------------------ reader */

/* What a cell of a row read from a workbook was. */
enum xlsx_cell {
	XLSX_CELL_EMPTY = 0,
	XLSX_CELL_STRING, /* shared, inline or a formula's string */
	XLSX_CELL_NUMBER, /* the number as written ("3", "46358.5") */
	XLSX_CELL_BOOL,	  /* "TRUE" or "FALSE" */
	XLSX_CELL_ERROR,  /* "#N/A"... */
};

/* Bounds against hostile workbooks. */
#define XLSX_ENTRIES_MAX 10000			    /* zip entries */
#define XLSX_PART_MAX ((unsigned long long)4 << 30) /* a part, inflated */
#define XLSX_STRINGS_MAX ((size_t)256 << 20)	    /* shared strings, bytes */
/* inflated / compressed, for parts past 1 MiB: deflate reaches 1032 on
 * the emptiest input; sheets of 10^5 rows from libxlsxwriter measured 8
 * (text), 12 (blank styled cells) and 24 (one letter in every cell). */
#define XLSX_RATIO_MAX 100
#define XLSX_COLUMNS_MAX 16384 /* columns A..XFD */
/* A pipe or standard input, copied to a temporary file. */
#define XLSX_SOURCE_MAX ((unsigned long long)1 << 30)

struct xlsxr;

/* Returns 1 when the first bytes of a source are a zip's ("PK\3\4"). */
int xlsx_sniff(const void *head, size_t n);

/* Opens path ("-": standard input) as a workbook and chooses its sheet:
 * the first in the workbook's order when sheet is NULL, else the sheet of
 * that name (matched exactly, else ignoring ASCII case; -FAI_EINVAL, why
 * FAI_WHY_XLSX_SHEET, value the name, when none).  The same sources as
 * csvr_open are read; the file is read to its end and hashed here, and a
 * pipe or standard input is copied to a private temporary file as it is
 * (at most XLSX_SOURCE_MAX bytes).  The shared strings are read and held.
 * Errors as csvr_open, and -FAI_EINVAL with why FAI_WHY_XLSX_ZIP (not a
 * readable zip, a damaged or truncated entry, a compression other than
 * deflate, encryption: detail libzip's words), FAI_WHY_XLSX_XML (a part
 * missing or malformed, or with a DOCTYPE: err->path the part, detail
 * expat's words), FAI_WHY_XLSX_TOO_BIG (a bound above: count against
 * limit, in bytes, or in entries with field "entries"), naming the file
 * (err->file, and value, about FAI_ABOUT_SOURCE).  Returns 0 with *out to
 * free with xlsxr_free. */
int xlsxr_open(struct xlsxr **out, const char *path, const char *sheet,
	       struct fai_err *err);

/* xlsxr_open on a source its caller opened and began to read: fd (a
 * copy is taken; fd stays the caller's), whose first nhead bytes head
 * were read already (a pipe's; a regular file is read again from its
 * start).  path names it in errors. */
int xlsxr_open_fd(struct xlsxr **out, int fd, const char *path,
		  const void *head, size_t nhead, const char *sheet,
		  struct fai_err *err);

/* The next row into *row (valid until the next call): one cell per column
 * from A to the last cell of the row that holds a value (empty cells
 * between; blank cells after it are dropped), row->line the row's number
 * in the sheet.  Rows the sheet skips, and rows without a value, are not
 * returned.  Strings have their _xHHHH_ escapes decoded.  Returns 1, 0 at
 * the end, or a negative error naming file and line (the sheet's row) and,
 * for a cell, its column: -FAI_EINVAL with FAI_WHY_XLSX_XML (malformed, or
 * rows or cells out of order), FAI_WHY_XLSX_STRING (a shared string the
 * file does not hold, value the index), FAI_WHY_TOO_MANY_COLUMNS (a cell
 * past XFD: count, limit) or FAI_WHY_XLSX_TOO_BIG, FAI_WHY_XLSX_ZIP (the
 * sheet's entry damaged); -FAI_ETOOBIG, as csvr_next, with
 * FAI_WHY_CELL_TOO_LONG (over 64 KiB) or FAI_WHY_ROW_TOO_LONG (over
 * 1 MiB), limit in KiB.  After an error, the same error again. */
int xlsxr_next(struct xlsxr *r, struct csvr_row **row, struct fai_err *err);

/* The kind of each cell of the last row (row->n entries, enum
 * xlsx_cell). */
const unsigned char *xlsxr_kinds(const struct xlsxr *r);

/* 1 when the workbook counts dates in days from 1904-01-01 (its
 * workbookPr says date1904: old Excel for the Mac), so a date's serial
 * number is 1462 less than in the usual 1900 system; 0 otherwise. */
int xlsxr_date1904(const struct xlsxr *r);

unsigned long long xlsxr_size(const struct xlsxr *r); /* the file's bytes */
/* Progress: the bytes of the sheet inflated so far, of xlsxr_total. */
unsigned long long xlsxr_offset(const struct xlsxr *r);
unsigned long long xlsxr_total(const struct xlsxr *r);
/* The SHA-256 of the file's bytes (known once opened). */
void xlsxr_sha256(const struct xlsxr *r, unsigned char out[SHA256_LEN]);
void xlsxr_free(struct xlsxr *r);

#endif
