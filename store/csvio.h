/* csvio.h - reading and writing CSV through libcsv, as RFC 4180 says and as
 * French spreadsheets write it.
 *
 * The reader reads its source once, as a stream (memory stays flat in its
 * size; a pipe or standard input works as well as a file): it hashes every
 * byte it reads, detects a UTF-8 byte-order mark, the delimiter (',' ';' or
 * TAB, from the first line) and Windows-1252 text (turned into UTF-8),
 * keeps spaces around fields and gives a blank line as a record of one
 * empty field (libcsv's defaults trim and drop them), tracks the line each
 * record starts on, and refuses cells over 64 KiB and rows over 1 MiB.
 * The writer quotes only where needed and writes each row with one
 * fwrite. */
#ifndef FAI_CSVIO_H
#define FAI_CSVIO_H

#include <stddef.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/sha256.h"

enum csv_dialect {
	CSV_DIALECT_RFC4180,  /* ',' CRLF, UTF-8 without BOM */
	CSV_DIALECT_EXCEL_FR, /* ';' CRLF, UTF-8 with BOM, formula guard */
};

/* ------------------------------------------------------------ writer */

struct csvw;

/* Starts writing to f (the BOM of excel-fr comes with the first row). */
struct csvw *csvw_new(FILE *f, enum csv_dialect d);
/* Adds a cell to the current row; text cells get the formula guard in the
 * excel-fr dialect (numbers pass text 0). */
void csvw_cell(struct csvw *w, const char *s, size_t n, int text);
/* Writes the row.  Returns 0, -FAI_ENOSPACE when the device is full, or
 * -FAI_EIO. */
int csvw_row_end(struct csvw *w);
/* Returns the bytes written so far. */
unsigned long long csvw_bytes(const struct csvw *w);
void csvw_free(struct csvw *w);

/* ------------------------------------------------------------ reader */

struct csvr;

struct csvr_row {
	char **cells; /* NUL-terminated copies (cells may also hold NULs) */
	size_t *lens;
	size_t n;
	long line; /* physical line the record starts on, from 1 */
};

/* Opens path for reading ("-": standard input).  Regular files and pipes
 * are read (a pipe's open waits for its writer); devices, directories and
 * sockets are refused at once with -FAI_EINVAL, why FAI_WHY_NOT_FILE
 * (standard input may also be a terminal or a socket, never another
 * device).  A missing file is -FAI_ENOTFOUND, another failure -FAI_EIO.
 * Nothing is read yet.  Returns 0 with *out to free with csvr_free. */
int csvr_open(struct csvr **out, const char *path, struct fai_err *err);

/* The next record into *row (valid until the next call).  Returns 1, 0 at
 * the end, or a negative error with err naming file and line: malformed
 * quoting, a cell over 64 KiB, a row over 1 MiB, a read error, or text
 * that is neither UTF-8 nor Windows-1252 (-FAI_EINVAL, why FAI_WHY_UTF8,
 * with the line and column of the first bad byte; found as the bytes come,
 * so records before it may have been returned).  The encoding is UTF-8
 * unless a byte is invalid and no valid multi-byte sequence came before
 * it; a later byte that proves it wrong fails the reading at the end. */
int csvr_next(struct csvr *r, struct csvr_row **row, struct fai_err *err);

/* Reads the source's first block (once; nothing else read yet) without
 * taking it: csvr_next starts with it.  *head and *n are what it holds
 * (a short read of a pipe may hold only a few bytes; 0 at once at the
 * end).  Lets an import tell a workbook from CSV by its first bytes.
 * Returns 0 or -FAI_EIO. */
int csvr_peek(struct csvr *r, const unsigned char **head, size_t *n,
	      struct fai_err *err);

/* The descriptor the reader reads (valid until csvr_free). */
int csvr_fd(const struct csvr *r);

/* What the reading found: the delimiter (known once a record was returned
 * or the end reached), the encoding and the BOM (final at the end). */
char csvr_delimiter(const struct csvr *r);
int csvr_cp1252(const struct csvr *r); /* 1 when converted */
int csvr_bom(const struct csvr *r);
/* The size of a regular file when opened, 0 when unknown (a pipe). */
unsigned long long csvr_size(const struct csvr *r);
unsigned long long csvr_offset(const struct csvr *r); /* bytes read */
/* The SHA-256 of every byte read (BOM included), once csvr_next returned
 * 0: exactly the bytes the records came from. */
void csvr_sha256(const struct csvr *r, unsigned char out[SHA256_LEN]);
void csvr_free(struct csvr *r);

/* Parses a whole buffer with the same rules (a delimiter, no detection),
 * calling row for each record: the conformance tests feed it in chunks of
 * every size.  chunk 0 means all at once.  Returns 0 or the first error. */
int csv_parse_buffer(const char *data, size_t n, char delim, size_t chunk,
		     void (*row)(const struct csvr_row *r, void *arg),
		     void *arg, struct fai_err *err);

#endif
