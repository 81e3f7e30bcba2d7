/* csvio.c - CSV reading and writing on top of libcsv 3.0.3.
 *
 * libcsv is a push parser: we feed it the input one physical line at a
 * time, which is how we know the line each record starts on (libcsv gives
 * no positions), and how we see blank lines, which libcsv drops but
 * RFC 4180 counts as a record of one empty field.  Between lines the
 * parser's state (pstate 0: no record begun) says whether a line starts a
 * record or continues a quoted field.  Unquoted spaces are kept (a space
 * function that matches nothing).  Strict mode rejects a quote inside an
 * unquoted field and an unterminated quote at the end.  A realloc hook caps
 * a cell at 64 KiB; rows are capped at 1 MiB as their cells arrive. */
#include "csvio.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/exchange.h"
#include "../core/utf8.h"
#include "../core/xmalloc.h"

#define CSVIO_BLOCK 65536
#define CSVIO_CELL_CAP (EXCHANGE_FIELD_MAX + 1024)
#define CSVIO_PSTATE_ROW_NOT_BEGUN 0 /* libcsv's ROW_NOT_BEGUN */

/* ------------------------------------------------------------ writer */

struct csvw {
	FILE *f;
	enum csv_dialect d;
	struct buf row;
	size_t ncells;
	int started;
	unsigned long long bytes;
};

struct csvw *csvw_new(FILE *f, enum csv_dialect d)
{
	struct csvw *w = xcalloc(1, sizeof(*w));
	w->f = f;
	w->d = d;
	buf_init(&w->row);
	return w;
}

/* 1 when one of the 8 bytes of w equals c (repeated in each byte of r). */
static int has_byte(uint64_t w, uint64_t r)
{
	uint64_t x = w ^ r;
	return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0;
}

/* 1 when s[0..n) holds the delimiter, a quote, CR or LF: eight bytes at a
 * time, as most cells need no quotes. */
static int needs_quotes(const char *s, size_t n, char delim)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t rd = ones * (unsigned char)delim, rq = ones * '"',
		 rr = ones * '\r', rn = ones * '\n';
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (has_byte(w, rd) || has_byte(w, rq) || has_byte(w, rr) ||
		    has_byte(w, rn))
			return 1;
	}
	for (; i < n; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n')
			return 1;
	return 0;
}

void csvw_cell(struct csvw *w, const char *s, size_t n, int text)
{
	char delim = w->d == CSV_DIALECT_EXCEL_FR ? ';' : ',';
	int guard = text && w->d == CSV_DIALECT_EXCEL_FR &&
		    exchange_needs_guard(s, n);
	int quote = needs_quotes(s, n, delim);
	if (!w->started && w->d == CSV_DIALECT_EXCEL_FR && w->ncells == 0 &&
	    w->row.len == 0)
		buf_add(&w->row, "\xef\xbb\xbf", 3);
	w->started = 1;
	if (w->ncells++)
		buf_addc(&w->row, delim);
	if (quote)
		buf_addc(&w->row, '"');
	if (guard)
		buf_addc(&w->row, '\'');
	size_t from = 0;
	for (size_t i = 0; quote && i < n; i++)
		if (s[i] == '"') {
			buf_add(&w->row, s + from, i + 1 - from);
			buf_addc(&w->row, '"');
			from = i + 1;
		}
	buf_add(&w->row, s + from, n - from);
	if (quote)
		buf_addc(&w->row, '"');
}

int csvw_row_end(struct csvw *w)
{
	buf_add(&w->row, "\r\n", 2);
	size_t n = fwrite(w->row.data, 1, w->row.len, w->f);
	w->bytes += n;
	int bad = n != w->row.len;
	buf_reset(&w->row);
	w->ncells = 0;
	return bad ? -FAI_EIO : 0;
}

unsigned long long csvw_bytes(const struct csvw *w)
{
	return w->bytes;
}

void csvw_free(struct csvw *w)
{
	if (!w)
		return;
	buf_free(&w->row);
	free(w);
}

/* ------------------------------------------------------------ feeder */

/* A libcsv parser with our line tracking and a queue of finished rows. */
struct feeder {
	struct csv_parser p;
	long line;        /* physical line being fed, from 1 */
	long rec_line;    /* line the current record started on */
	int line_blank;   /* nothing but \r seen on this line so far */
	int line_at_row;  /* the parser was between records at line start */
	/* The record being read: its cells' bytes one after the other, each
	 * with a NUL, in data; where each starts and its length. */
	struct buf data;
	size_t *offs, *lens;
	size_t n, cap;
	size_t row_bytes;
	int row_too_long;
	long too_long_line;
	struct csvr_row *ready;
	size_t nready, head, capready;
};

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void *capped_realloc(void *p, size_t n)
{
	return n > CSVIO_CELL_CAP ? NULL : realloc(p, n);
}

static void feeder_init(struct feeder *f, char delim)
{
	memset(f, 0, sizeof(*f));
	csv_init(&f->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_delim(&f->p, (unsigned char)delim);
	csv_set_space_func(&f->p, no_space);
	csv_set_realloc_func(&f->p, capped_realloc);
	csv_set_blk_size(&f->p, 4096);
	f->line = 1;
	f->rec_line = 1;
	f->line_blank = 1;
	f->line_at_row = 1;
}

/* A record is one allocation: its cells array, then lens, then the bytes
 * (feeder_push). */
static void row_free(struct csvr_row *r)
{
	free(r->cells);
	r->cells = NULL;
	r->lens = NULL;
	r->n = 0;
}

static void feeder_free(struct feeder *f)
{
	csv_free(&f->p);
	buf_free(&f->data);
	free(f->offs);
	free(f->lens);
	for (size_t i = 0; i < f->nready; i++)
		row_free(&f->ready[i]);
	free(f->ready);
}

static void cell_cb(void *s, size_t n, void *arg)
{
	struct feeder *f = arg;
	if (f->n == 0)
		f->row_bytes = 0;
	f->row_bytes += n + 1;
	if (f->row_bytes > EXCHANGE_ROW_MAX) {
		if (!f->row_too_long)
			f->too_long_line = f->rec_line;
		f->row_too_long = 1;
		return;
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->offs = xrealloc(f->offs, f->cap * sizeof(*f->offs));
		f->lens = xrealloc(f->lens, f->cap * sizeof(*f->lens));
	}
	if (!s)
		n = 0;
	f->offs[f->n] = f->data.len;
	f->lens[f->n] = n;
	buf_add(&f->data, s ? s : "", n); /* embedded NULs kept */
	buf_add(&f->data, "", 1);
	f->n++;
}

/* Moves the current record to the ready queue. */
static void feeder_push(struct feeder *f, long line)
{
	if (f->nready == f->capready) {
		if (f->head > 0) { /* reuse the consumed front */
			for (size_t i = 0; i < f->head; i++)
				row_free(&f->ready[i]);
			memmove(f->ready, f->ready + f->head,
				(f->nready - f->head) * sizeof(*f->ready));
			f->nready -= f->head;
			f->head = 0;
		}
		if (f->nready == f->capready) {
			f->capready = f->capready ? f->capready * 2 : 8;
			f->ready = xrealloc(f->ready,
					    f->capready * sizeof(*f->ready));
		}
	}
	struct csvr_row *r = &f->ready[f->nready++];
	size_t n = f->n ? f->n : 1;
	char *mem = xmalloc(n * (sizeof(char *) + sizeof(size_t)) +
			    f->data.len + 1);
	char *bytes = mem + n * (sizeof(char *) + sizeof(size_t));
	r->cells = (char **)(void *)mem;
	r->lens = (size_t *)(void *)(mem + n * sizeof(char *));
	r->n = f->n;
	r->line = line;
	if (f->data.len)
		memcpy(bytes, f->data.data, f->data.len);
	for (size_t i = 0; i < f->n; i++) {
		r->cells[i] = bytes + f->offs[i];
		r->lens[i] = f->lens[i];
	}
	f->n = 0;
	f->data.len = 0;
	f->row_bytes = 0;
}

static void row_cb(int c, void *arg)
{
	struct feeder *f = arg;
	(void)c;
	feeder_push(f, f->rec_line);
}

/* Feeds n bytes; returns 0 or CSV_EPARSE/CSV_ENOMEM with f->line at the
 * failing line. */
static int feeder_feed(struct feeder *f, const char *s, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) + 1 : n;
		if (f->line_blank)
			for (size_t i = 0; i < len; i++)
				if (s[i] != '\r' && s[i] != '\n') {
					f->line_blank = 0;
					break;
				}
		if (f->line_at_row && f->p.pstate == CSVIO_PSTATE_ROW_NOT_BEGUN)
			f->rec_line = f->line;
		if (csv_parse(&f->p, s, len, cell_cb, row_cb, f) != len)
			return csv_error(&f->p);
		if (nl) {
			/* RFC 4180: a blank line between records is a record
			 * of one empty field. */
			if (f->line_blank && f->line_at_row &&
			    f->p.pstate == CSVIO_PSTATE_ROW_NOT_BEGUN) {
				cell_cb((void *)(uintptr_t)"", 0, f);
				feeder_push(f, f->line);
			}
			f->line++;
			f->line_blank = 1;
			f->line_at_row =
				f->p.pstate == CSVIO_PSTATE_ROW_NOT_BEGUN;
		}
		s += len;
		n -= len;
	}
	return 0;
}

static int feeder_fini(struct feeder *f)
{
	/* csv_fini resets the error: read it from its return first. */
	if (csv_fini(&f->p, cell_cb, row_cb, f) != 0) {
		/* A quote never closed: name the line its record began on,
		 * not the end of the file. */
		f->line = f->rec_line;
		return CSV_EPARSE;
	}
	return 0;
}

/* Fills err for a libcsv error or a limit. */
static int feeder_error(struct feeder *f, int code, const char *file,
			struct fai_err *err)
{
	fai_err_set(err, FAI_EINVAL, FAI_WHY_NONE, NULL, NULL);
	if (err) {
		snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
		err->line = code == CSV_ENOMEM ? f->rec_line : f->line;
	}
	if (code == CSV_ENOMEM) {
		fai_err_set(err, FAI_ETOOBIG, FAI_WHY_TOO_LONG, "cell", NULL);
		fai_err_detail(err, "cell over %d KiB", EXCHANGE_FIELD_MAX / 1024);
		return -FAI_ETOOBIG;
	}
	fai_err_detail(err, "malformed CSV: a quote inside an unquoted cell, "
			    "or a quote never closed");
	return -FAI_EINVAL;
}

static int feeder_limits(struct feeder *f, const char *file,
			 struct fai_err *err)
{
	if (!f->row_too_long)
		return 0;
	fai_err_set(err, FAI_ETOOBIG, FAI_WHY_TOO_LONG, "row", NULL);
	fai_err_detail(err, "row over %d KiB", EXCHANGE_ROW_MAX / 1024);
	if (err) {
		snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
		err->line = f->too_long_line;
	}
	return -FAI_ETOOBIG;
}

int csv_parse_buffer(const char *data, size_t n, char delim, size_t chunk,
		     void (*row)(const struct csvr_row *r, void *arg),
		     void *arg, struct fai_err *err)
{
	struct feeder f;
	int rc = 0;
	feeder_init(&f, delim);
	if (!chunk)
		chunk = n ? n : 1;
	for (size_t off = 0; off < n && !rc; off += chunk) {
		size_t len = n - off < chunk ? n - off : chunk;
		int e = feeder_feed(&f, data + off, len);
		if (e)
			rc = feeder_error(&f, e, NULL, err);
		if (!rc)
			rc = feeder_limits(&f, NULL, err);
		for (; !rc && f.head < f.nready; f.head++)
			row(&f.ready[f.head], arg);
	}
	if (!rc && feeder_fini(&f))
		rc = feeder_error(&f, CSV_EPARSE, NULL, err);
	if (!rc)
		rc = feeder_limits(&f, NULL, err);
	for (; !rc && f.head < f.nready; f.head++)
		row(&f.ready[f.head], arg);
	feeder_free(&f);
	return rc;
}

/* ------------------------------------------------------------ reader */

struct csvr {
	FILE *f;
	char *name;
	struct feeder fd;
	char delim;
	int cp1252, bom, done;
	unsigned char sha[SHA256_LEN];
	unsigned long long size, offset;
	char block[CSVIO_BLOCK];
	struct buf conv;
	struct csvr_row out;
};

/* The first pass: SHA-256, size, UTF-8 validity and where it first fails,
 * whether any valid multi-byte sequence appears, and the first byte
 * Windows-1252 does not define. */
struct scan {
	unsigned long long size;
	long line, col;          /* position of the next byte */
	long bad_line, bad_col;  /* first invalid UTF-8, 0 when none */
	long undef_line, undef_col; /* first byte not in Windows-1252 */
	unsigned long long multibyte;
};

static int scan_file(FILE *f, struct scan *sc, unsigned char sha[SHA256_LEN])
{
	struct sha256 c;
	unsigned char carry[4];
	size_t ncarry = 0;
	char *blk = xmalloc(CSVIO_BLOCK + 4);
	size_t got;
	memset(sc, 0, sizeof(*sc));
	sc->line = 1;
	sc->col = 1;
	sha256_init(&c);
	while ((got = fread(blk + ncarry, 1, CSVIO_BLOCK, f)) > 0 || ncarry) {
		memcpy(blk, carry, ncarry);
		sha256_update(&c, blk + ncarry, got);
		sc->size += got;
		size_t n = ncarry + got, i = 0;
		int last = got == 0;
		ncarry = 0;
		while (i < n) {
			/* Eight ASCII bytes without a line end at a time. */
			while (n - i >= 8) {
				uint64_t w, nl;
				memcpy(&w, blk + i, 8);
				nl = w ^ 0x0A0A0A0A0A0A0A0AULL;
				nl = (nl - 0x0101010101010101ULL) & ~nl;
				if ((w | nl) & 0x8080808080808080ULL)
					break;
				sc->col += 8;
				i += 8;
			}
			if (i >= n)
				break;
			unsigned char b = (unsigned char)blk[i];
			if (b < 0x80) {
				if (b == '\n') {
					sc->line++;
					sc->col = 0;
				}
				sc->col++;
				i++;
				continue;
			}
			if (b == 0x81 || b == 0x8d || b == 0x8f || b == 0x90 ||
			    b == 0x9d) {
				if (!sc->undef_line) {
					sc->undef_line = sc->line;
					sc->undef_col = sc->col;
				}
			}
			size_t ok = utf8_check(blk + i, n - i < 4 ? n - i : 4);
			uint32_t cp;
			int len = utf8_decode(blk + i, n - i, &cp);
			if (ok > 0 || (len > 1 && cp != 0xFFFD)) {
				sc->multibyte++;
				i += (size_t)len;
				sc->col++;
				continue;
			}
			/* An incomplete sequence at the end of a block:
			 * carry it over to the next read. */
			if (!last && n - i < 4 && b >= 0xc2 && b <= 0xf4) {
				ncarry = n - i;
				memcpy(carry, blk + i, ncarry);
				break;
			}
			if (!sc->bad_line) {
				sc->bad_line = sc->line;
				sc->bad_col = sc->col;
			}
			sc->col++;
			i++;
		}
		if (last)
			break;
	}
	int bad = ferror(f);
	free(blk);
	sha256_final(&c, sha);
	return bad ? -1 : 0;
}

/* Picks the delimiter from the first line: the most frequent of , ; TAB
 * outside quotes (',' when none). */
static char detect_delimiter(FILE *f)
{
	size_t counts[3] = {0, 0, 0};
	int quoted = 0, ch;
	long seen = 0;
	while ((ch = fgetc(f)) != EOF && seen++ < CSVIO_BLOCK) {
		if (ch == '"')
			quoted = !quoted;
		else if (!quoted && ch == '\n')
			break;
		else if (!quoted && ch == ',')
			counts[0]++;
		else if (!quoted && ch == ';')
			counts[1]++;
		else if (!quoted && ch == '\t')
			counts[2]++;
	}
	if (counts[1] > counts[0] && counts[1] >= counts[2])
		return ';';
	if (counts[2] > counts[0] && counts[2] > counts[1])
		return '\t';
	return ',';
}

int csvr_open(struct csvr **out, const char *path, struct fai_err *err)
{
	struct csvr *r;
	struct scan sc;
	unsigned char bom[3];

	*out = NULL;
	r = xcalloc(1, sizeof(*r));
	r->name = xstrdup(path);
	r->f = fopen(path, "rb");
	if (!r->f) {
		int e = errno;
		fai_err_set(err, e == ENOENT ? FAI_ENOTFOUND : FAI_EIO,
			    FAI_WHY_NONE, "file", path);
		fai_err_detail(err, "%s", strerror(e));
		csvr_free(r);
		return e == ENOENT ? -FAI_ENOTFOUND : -FAI_EIO;
	}
	if (scan_file(r->f, &sc, r->sha) < 0) {
		fai_err_set(err, FAI_EIO, FAI_WHY_NONE, "file", path);
		fai_err_detail(err, "%s", strerror(errno));
		csvr_free(r);
		return -FAI_EIO;
	}
	r->size = sc.size;
	if (sc.bad_line && (sc.multibyte > 0 || sc.undef_line)) {
		/* Neither UTF-8 nor Windows-1252. */
		long line = sc.multibyte ? sc.bad_line : sc.undef_line;
		long col = sc.multibyte ? sc.bad_col : sc.undef_col;
		fai_err_set(err, FAI_EINVAL, FAI_WHY_UTF8, NULL, NULL);
		if (err) {
			snprintf(err->file, sizeof(err->file), "%s", path);
			err->line = line;
		}
		fai_err_detail(err, "column %ld: neither UTF-8 nor Windows-1252",
			       col);
		csvr_free(r);
		return -FAI_EINVAL;
	}
	r->cp1252 = sc.bad_line != 0;
	rewind(r->f);
	if (fread(bom, 1, 3, r->f) == 3 && memcmp(bom, "\xef\xbb\xbf", 3) == 0)
		r->bom = 1;
	else
		rewind(r->f);
	long start = ftell(r->f);
	r->delim = detect_delimiter(r->f);
	fseek(r->f, start, SEEK_SET);
	r->offset = (unsigned long long)start;
	feeder_init(&r->fd, r->delim);
	buf_init(&r->conv);
	*out = r;
	return 0;
}

int csvr_next(struct csvr *r, struct csvr_row **row, struct fai_err *err)
{
	struct feeder *f = &r->fd;
	row_free(&r->out);
	for (;;) {
		if (f->head < f->nready) {
			r->out = f->ready[f->head];
			memset(&f->ready[f->head], 0, sizeof(f->ready[0]));
			f->head++;
			*row = &r->out;
			return 1;
		}
		if (r->done)
			return 0;
		size_t got = fread(r->block, 1, sizeof(r->block), r->f);
		int e;
		if (got == 0) {
			if (ferror(r->f)) {
				fai_err_set(err, FAI_EIO, FAI_WHY_NONE, "file",
					    r->name);
				return -FAI_EIO;
			}
			r->done = 1;
			if (feeder_fini(f))
				return feeder_error(f, CSV_EPARSE, r->name, err);
			int rc = feeder_limits(f, r->name, err);
			if (rc)
				return rc;
			continue;
		}
		r->offset += got;
		if (r->cp1252) {
			buf_reset(&r->conv);
			exchange_cp1252_to_utf8(&r->conv, r->block, got);
			e = feeder_feed(f, r->conv.data, r->conv.len);
		} else {
			e = feeder_feed(f, r->block, got);
		}
		if (e)
			return feeder_error(f, e, r->name, err);
		int rc = feeder_limits(f, r->name, err);
		if (rc)
			return rc;
	}
}

char csvr_delimiter(const struct csvr *r)
{
	return r->delim;
}

int csvr_cp1252(const struct csvr *r)
{
	return r->cp1252;
}

int csvr_bom(const struct csvr *r)
{
	return r->bom;
}

unsigned long long csvr_size(const struct csvr *r)
{
	return r->size;
}

unsigned long long csvr_offset(const struct csvr *r)
{
	return r->offset;
}

void csvr_sha256(const struct csvr *r, unsigned char out[SHA256_LEN])
{
	memcpy(out, r->sha, SHA256_LEN);
}

void csvr_free(struct csvr *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	if (r->delim)
		feeder_free(&r->fd);
	row_free(&r->out);
	buf_free(&r->conv);
	free(r->name);
	free(r);
}
