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
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	int guard =
	    text && w->d == CSV_DIALECT_EXCEL_FR && exchange_needs_guard(s, n);
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
	if (!bad)
		return 0;
	return errno == ENOSPC ? -FAI_ENOSPACE : -FAI_EIO;
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
	long line;	 /* physical line being fed, from 1 */
	long rec_line;	 /* line the current record started on */
	int line_blank;	 /* nothing but \r seen on this line so far */
	int line_at_row; /* the parser was between records at line start */
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
			f->ready =
			    xrealloc(f->ready, f->capready * sizeof(*f->ready));
		}
	}
	struct csvr_row *r = &f->ready[f->nready++];
	size_t n = f->n ? f->n : 1;
	char *mem =
	    xmalloc(n * (sizeof(char *) + sizeof(size_t)) + f->data.len + 1);
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
				cell_cb((void *)(uintptr_t) "", 0, f);
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
		fai_err_set_about(err, FAI_ETOOBIG, FAI_WHY_CELL_TOO_LONG,
				  FAI_ABOUT_CELL, "cell", NULL);
		if (err)
			err->limit = EXCHANGE_FIELD_MAX / 1024; /* KiB */
		return -FAI_ETOOBIG;
	}
	fai_err_set_about(err, FAI_EINVAL, FAI_WHY_QUOTE, FAI_ABOUT_ROW, NULL,
			  NULL);
	return -FAI_EINVAL;
}

static int feeder_limits(struct feeder *f, const char *file,
			 struct fai_err *err)
{
	if (!f->row_too_long)
		return 0;
	fai_err_set_about(err, FAI_ETOOBIG, FAI_WHY_ROW_TOO_LONG, FAI_ABOUT_ROW,
			  "row", NULL);
	if (err)
		err->limit = EXCHANGE_ROW_MAX / 1024; /* KiB */
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

/* The source is read once, in blocks.  Each block is hashed, then scanned
 * for the encoding (UTF-8 validity and where it first fails, valid
 * multi-byte sequences, bytes Windows-1252 leaves undefined), then, past a
 * leading BOM and once the first line has shown the delimiter, converted
 * when the text is Windows-1252 and fed to the parser.  The encoding is
 * decided lazily: UTF-8 until a byte is invalid; Windows-1252 from there
 * when no valid multi-byte sequence came before (so every byte fed so far
 * was ASCII, the same in both); a file that turns out to be neither stops
 * feeding, is scanned to its end and refused with the position of its
 * first bad byte, as the rule says. */

/* Where the encoding scan stands. */
struct scan {
	long line, col;		    /* position of the next byte */
	long bad_line, bad_col;	    /* first invalid UTF-8, 0 when none */
	long undef_line, undef_col; /* first byte not in Windows-1252 */
	unsigned long long multibyte;
};

/* The delimiter's vote on the first line (detect below). */
struct vote {
	size_t counts[3]; /* , ; TAB outside quotes */
	size_t seen;
	int quoted;
};

struct csvr {
	int fd;
	int own_fd;
	char *name;
	struct feeder feed;
	struct sha256 sha_ctx;
	unsigned char sha[SHA256_LEN];
	struct scan sc;
	struct vote vote;
	char delim; /* 0 until the first line decided it */
	int cp1252, bom, done, doomed;
	int rc;	      /* the error once returned, returned again */
	size_t nlead; /* bytes of the stream seen by the BOM check (<= 3) */
	unsigned char lead[3];
	unsigned long long size, offset;
	unsigned char
	    carry[4]; /* an incomplete UTF-8 sequence at a block end */
	size_t ncarry;
	struct buf head; /* the first line, held until it shows the delimiter */
	char *block;	 /* CSVIO_BLOCK bytes read, after up to 4 carried */
	struct buf conv;
	struct csvr_row out;
	int peeked;   /* the first block was read by csvr_peek... */
	size_t npeek; /* ...and holds this many bytes, not yet taken */
};

/* Scans s[0..n) (the carried bytes first): returns how many bytes form
 * complete sequences; the rest (at most 3, when not last) may be the start
 * of a sequence the next block completes. */
static size_t scan_span(struct scan *sc, const char *blk, size_t n, int last)
{
	size_t i = 0;
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
		if ((b == 0x81 || b == 0x8d || b == 0x8f || b == 0x90 ||
		     b == 0x9d) &&
		    !sc->undef_line) {
			sc->undef_line = sc->line;
			sc->undef_col = sc->col;
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
		/* An incomplete sequence at the end of a block: carried over
		 * to the next. */
		if (!last && n - i < 4 && b >= 0xc2 && b <= 0xf4)
			return i;
		if (!sc->bad_line) {
			sc->bad_line = sc->line;
			sc->bad_col = sc->col;
		}
		sc->col++;
		i++;
	}
	return n;
}

/* The delimiter: the most frequent of , ; TAB outside quotes on the first
 * line, within its first 64 KiB (',' when none).  Returns 1 once decided
 * (*used: the bytes of s it looked at). */
static int vote_add(struct vote *v, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v->seen++ >= CSVIO_BLOCK)
			return 1;
		char ch = s[i];
		if (ch == '"')
			v->quoted = !v->quoted;
		else if (!v->quoted && ch == '\n')
			return 1;
		else if (!v->quoted && ch == ',')
			v->counts[0]++;
		else if (!v->quoted && ch == ';')
			v->counts[1]++;
		else if (!v->quoted && ch == '\t')
			v->counts[2]++;
	}
	return 0;
}

static char vote_result(const struct vote *v)
{
	const size_t *c = v->counts;
	if (c[1] > c[0] && c[1] >= c[2])
		return ';';
	if (c[2] > c[0] && c[2] > c[1])
		return '\t';
	return ',';
}

/* Fills err for a file that is neither UTF-8 nor Windows-1252. */
static int encoding_error(struct csvr *r, struct fai_err *err)
{
	const struct scan *sc = &r->sc;
	long line = sc->multibyte ? sc->bad_line : sc->undef_line;
	long col = sc->multibyte ? sc->bad_col : sc->undef_col;
	fai_err_set_about(err, FAI_EINVAL, FAI_WHY_ENCODING, FAI_ABOUT_CELL,
			  NULL, NULL);
	if (err) {
		snprintf(err->file, sizeof(err->file), "%s", r->name);
		err->line = line;
		err->column = col;
	}
	return -FAI_EINVAL;
}

/* Feeds text of the source (past the BOM, delimiter known) to the parser,
 * converted from Windows-1252 when that is the decision so far. */
static int feed_text(struct csvr *r, const char *s, size_t n,
		     struct fai_err *err)
{
	int e;
	if (!n)
		return 0;
	if (r->cp1252) {
		buf_reset(&r->conv);
		exchange_cp1252_to_utf8(&r->conv, s, n);
		e = feeder_feed(&r->feed, r->conv.data, r->conv.len);
	} else {
		e = feeder_feed(&r->feed, s, n);
	}
	if (e)
		return feeder_error(&r->feed, e, r->name, err);
	return feeder_limits(&r->feed, r->name, err);
}

/* Text past the BOM: held until the first line shows the delimiter, then
 * fed.  last: the end of the source. */
static int take_text(struct csvr *r, const char *s, size_t n, int last,
		     struct fai_err *err)
{
	if (!r->delim) {
		int decided = vote_add(&r->vote, s, n);
		buf_add(&r->head, s, n);
		if (!decided && !last)
			return 0;
		r->delim = vote_result(&r->vote);
		feeder_init(&r->feed, r->delim);
		int rc = feed_text(r, r->head.data, r->head.len, err);
		buf_free(&r->head);
		return rc;
	}
	return feed_text(r, s, n, err);
}

/* Bytes whose encoding was scanned: the BOM goes, the rest is text. */
static int take_scanned(struct csvr *r, const char *s, size_t n, int last,
			struct fai_err *err)
{
	static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};
	if (r->nlead < 3) {
		while (r->nlead < 3 && n > 0) {
			r->lead[r->nlead++] = (unsigned char)*s++;
			n--;
		}
		if (r->nlead < 3 && !last)
			return 0;
		if (r->nlead == 3 && memcmp(r->lead, bom, 3) == 0) {
			r->bom = 1;
		} else {
			size_t k = r->nlead;
			r->nlead = 3;
			int rc = take_text(r, (const char *)r->lead, k,
					   last && n == 0, err);
			if (rc)
				return rc;
		}
		r->nlead = 3;
	}
	if (n || (last && !r->delim))
		return take_text(r, s, n, last, err);
	return 0;
}

/* Takes n bytes just read into r->block + r->ncarry (n 0 at the end). */
static int take_block(struct csvr *r, size_t n, int last, struct fai_err *err)
{
	char *blk = r->block;
	memcpy(blk, r->carry, r->ncarry);
	n += r->ncarry;
	size_t done = scan_span(&r->sc, blk, n, last);
	r->ncarry = n - done;
	memcpy(r->carry, blk + done, r->ncarry);
	const struct scan *sc = &r->sc;
	if (sc->bad_line && (sc->multibyte || sc->undef_line)) {
		/* Neither encoding.  With a valid multi-byte sequence the
		 * first bad byte is the answer; otherwise a later one may
		 * still be: read on, feeding nothing. */
		r->doomed = 1;
		if (sc->multibyte || last)
			return encoding_error(r, err);
		return 0;
	}
	r->cp1252 = sc->bad_line != 0;
	return take_scanned(r, blk, done, last, err);
}

int csvr_open(struct csvr **out, const char *path, struct fai_err *err)
{
	struct csvr *r;
	struct stat st, fst;
	int e = 0;

	*out = NULL;
	r = xcalloc(1, sizeof(*r));
	r->name = xstrdup(path);
	r->fd = -1;
	if (strcmp(path, "-") == 0) {
		/* Standard input: a file, a pipe, a socket or a terminal,
		 * never a device that never ends (/dev/zero). */
		r->fd = STDIN_FILENO;
		if (fstat(r->fd, &fst) != 0) {
			e = errno;
			goto io;
		}
		if (S_ISDIR(fst.st_mode) || S_ISBLK(fst.st_mode) ||
		    (S_ISCHR(fst.st_mode) && !isatty(r->fd)))
			goto not_file;
	} else {
		/* Devices, directories and sockets are refused before they
		 * are opened (opening a device may already do something);
		 * a pipe is opened and waits for its writer. */
		if (stat(path, &st) != 0) {
			e = errno;
			goto io;
		}
		if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
			goto not_file;
		r->fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
		if (r->fd < 0) {
			e = errno;
			goto io;
		}
		r->own_fd = 1;
		if (fstat(r->fd, &fst) != 0) {
			e = errno;
			goto io;
		}
		/* Replaced between the two looks: judge what was opened. */
		if (!S_ISREG(fst.st_mode) && !S_ISFIFO(fst.st_mode))
			goto not_file;
	}
	if (S_ISREG(fst.st_mode) && fst.st_size > 0)
		r->size = (unsigned long long)fst.st_size;
	sha256_init(&r->sha_ctx);
	r->sc.line = 1;
	r->sc.col = 1;
	r->block = xmalloc(CSVIO_BLOCK + 4);
	buf_init(&r->head);
	buf_init(&r->conv);
	*out = r;
	return 0;

not_file:
	fai_err_set_about(err, FAI_EINVAL, FAI_WHY_NOT_FILE, FAI_ABOUT_SOURCE,
			  "file", path);
	csvr_free(r);
	return -FAI_EINVAL;
io:
	fai_err_set_about(err, e == ENOENT ? FAI_ENOTFOUND : FAI_EIO,
			  FAI_WHY_NONE, FAI_ABOUT_FILE, "file", path);
	fai_err_detail(err, "%s", strerror(e));
	if (err)
		err->sys_errno = e;
	csvr_free(r);
	return e == ENOENT ? -FAI_ENOTFOUND : -FAI_EIO;
}

/* Reads the next block into the parser; 0, or an error. */
static ssize_t csvr_read(struct csvr *r)
{
	ssize_t got;
	do
		got = read(r->fd, r->block + r->ncarry, CSVIO_BLOCK);
	while (got < 0 && errno == EINTR);
	return got;
}

int csvr_peek(struct csvr *r, const unsigned char **head, size_t *n,
	      struct fai_err *err)
{
	if (!r->peeked && r->offset == 0 && !r->done) {
		/* at least 4 bytes unless the source ends (a pipe's writer
		 * may give them one at a time) */
		ssize_t got = 0, more;
		do {
			do
				more = read(r->fd, r->block + got,
					    CSVIO_BLOCK - (size_t)got);
			while (more < 0 && errno == EINTR);
			got = more < 0 ? more : got + more;
		} while (more > 0 && got < 4);
		if (got < 0) {
			int e = errno;
			fai_err_set_about(err, FAI_EIO, FAI_WHY_NONE,
					  FAI_ABOUT_FILE, "file", r->name);
			fai_err_detail(err, "%s", strerror(e));
			if (err)
				err->sys_errno = e;
			return -FAI_EIO;
		}
		r->peeked = 1;
		r->npeek = (size_t)got;
	}
	*head = (const unsigned char *)r->block;
	*n = r->peeked ? r->npeek : 0;
	return 0;
}

static int csvr_fill(struct csvr *r, struct fai_err *err)
{
	ssize_t got;
	if (r->peeked) { /* the block csvr_peek read comes first */
		got = (ssize_t)r->npeek;
		r->peeked = 0;
	} else {
		got = csvr_read(r);
	}
	if (got < 0) {
		int e = errno;
		fai_err_set_about(err, FAI_EIO, FAI_WHY_NONE, FAI_ABOUT_FILE,
				  "file", r->name);
		fai_err_detail(err, "%s", strerror(e));
		if (err)
			err->sys_errno = e;
		return -FAI_EIO;
	}
	if (got > 0) {
		sha256_update(&r->sha_ctx, r->block + r->ncarry, (size_t)got);
		r->offset += (unsigned long long)got;
		return take_block(r, (size_t)got, 0, err);
	}
	/* The end: what is held goes, then the parser finishes. */
	r->done = 1;
	sha256_final(&r->sha_ctx, r->sha);
	int rc = take_block(r, 0, 1, err);
	if (rc)
		return rc;
	if (r->doomed)
		return encoding_error(r, err);
	if (!r->delim) /* nothing at all after the BOM */
		return 0;
	if (feeder_fini(&r->feed))
		return feeder_error(&r->feed, CSV_EPARSE, r->name, err);
	return feeder_limits(&r->feed, r->name, err);
}

int csvr_next(struct csvr *r, struct csvr_row **row, struct fai_err *err)
{
	struct feeder *f = &r->feed;
	row_free(&r->out);
	if (r->rc) {
		fai_err_set_about(err, -r->rc, FAI_WHY_NONE, FAI_ABOUT_FILE,
				  "file", r->name);
		return r->rc;
	}
	for (;;) {
		if (r->delim && f->head < f->nready) {
			r->out = f->ready[f->head];
			memset(&f->ready[f->head], 0, sizeof(f->ready[0]));
			f->head++;
			*row = &r->out;
			return 1;
		}
		if (r->done)
			return 0;
		int rc = csvr_fill(r, err);
		if (rc) {
			r->rc = rc;
			return rc;
		}
	}
}

char csvr_delimiter(const struct csvr *r)
{
	return r->delim ? r->delim : ',';
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
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	if (r->delim)
		feeder_free(&r->feed);
	row_free(&r->out);
	buf_free(&r->head);
	buf_free(&r->conv);
	free(r->block);
	free(r->name);
	free(r);
}

int csvr_fd(const struct csvr *r)
{
	return r->fd;
}
