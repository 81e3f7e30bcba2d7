/* import_read.c - the first pass of `fai import`: the source read once
 * (a file, a pipe or standard input), every row checked as far as it can
 * be without the store and written to the private spool; then the spool
 * read back row by row by the passes that merge it (import.c). */
#include "exchange.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../core/exchange.h"
#include "../core/newidea.h"
#include "../core/utf8.h"
#include "../core/uuid.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "exchange_int.h"
#include "internal.h"
#include "outfile.h"
#include "import_int.h"

/* ------------------------------------------------------------ spool */

/* The spool lives and dies with this process: native byte order. */
static void spool_u32_put(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t spool_u32_get(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Spools a row with its SPOOL_ flags.  A row is a head (line, cells,
 * flags, size of the rest), then the cells' lengths, then the cells each
 * with a NUL.  0, or -1 with errno. */
static int prepared_put(FILE *f, struct buf *b, long line, unsigned flags,
			size_t n, const char *const *cells, const size_t *lens)
{
	unsigned char head[24], len[4];
	uint64_t body = 4 * (uint64_t)n;
	for (size_t i = 0; i < n; i++)
		body += lens[i] + 1;
	codec_put_u64(head, (uint64_t)line);
	spool_u32_put(head + 8, (uint32_t)n);
	spool_u32_put(head + 12, (uint32_t)flags);
	codec_put_u64(head + 16, body);
	buf_reset(b);
	buf_reserve(b, sizeof(head) + (size_t)body);
	buf_add(b, head, sizeof(head));
	for (size_t i = 0; i < n; i++) {
		spool_u32_put(len, (uint32_t)lens[i]);
		buf_add(b, len, 4);
	}
	for (size_t i = 0; i < n; i++)
		buf_add(b, cells[i], lens[i] + 1); /* with its NUL */
	return fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
}

/* Reads the next spooled row into r (one allocation, as csvr's rows):
 * 1, 0 at the end, -1 when the spool is damaged or unreadable. */
static int prepared_get(FILE *f, struct csvr_row *r, unsigned *flags)
{
	unsigned char head[24];
	free(r->cells);
	memset(r, 0, sizeof(*r));
	size_t got = fread(head, 1, sizeof(head), f);
	if (got == 0 && feof(f))
		return 0;
	if (got != sizeof(head))
		return -1;
	size_t n = spool_u32_get(head + 8);
	uint64_t body = codec_get_u64(head + 16);
	if (body < 4 * (uint64_t)n || body > ((uint64_t)1 << 32))
		return -1;
	size_t slots = n ? n : 1;
	size_t at = slots * (sizeof(char *) + sizeof(size_t));
	char *mem = xmalloc(at + (size_t)body + 1);
	r->cells = (char **)(void *)mem;
	r->lens = (size_t *)(void *)(mem + slots * sizeof(char *));
	if (fread(mem + at, 1, (size_t)body, f) != body)
		return -1;
	const unsigned char *lp = (const unsigned char *)mem + at;
	char *p = mem + at + 4 * n, *end = mem + at + body;
	for (size_t i = 0; i < n; i++) {
		size_t l = spool_u32_get(lp + 4 * i);
		if ((size_t)(end - p) < l + 1)
			return -1;
		r->cells[i] = p;
		r->lens[i] = l;
		p += l + 1;
	}
	r->n = n;
	r->line = (long)codec_get_u64(head);
	*flags = spool_u32_get(head + 12);
	return 1;
}

/* The next row of the spool. */
int import_next(struct import *im, struct csvr_row **row, struct fai_err *err)
{
	int rc = prepared_get(im->spool, &im->srow, &im->flags);
	if (rc < 0) {
		fai_err_set_about(err, FAI_EIO, FAI_WHY_SPOOL, FAI_ABOUT_FILE,
				  "file", "(spool)");
		return -FAI_EIO;
	}
	im->prepared = (im->flags & SPOOL_PREPARED) != 0;
	*row = &im->srow;
	return rc;
}

/* ------------------------------------------------------------ reading */

static void row_copy(struct csvr_row *to, const struct csvr_row *from)
{
	memset(to, 0, sizeof(*to));
	to->n = from->n;
	to->line = from->line;
	to->cells = xcalloc(from->n ? from->n : 1, sizeof(char *));
	to->lens = xcalloc(from->n ? from->n : 1, sizeof(size_t));
	for (size_t i = 0; i < from->n; i++) {
		to->cells[i] = xstrndup(from->cells[i], from->lens[i]);
		to->lens[i] = from->lens[i];
	}
}

void row_copy_free(struct csvr_row *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->cells[i]);
	free(r->cells);
	free(r->lens);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------ source */

/* Opens the source: CSV, or a workbook when its first bytes are a zip's
 * (read through the same descriptor, so what is judged is what was
 * opened). */
static int source_open(struct import *im, struct fai_err *err)
{
	const unsigned char *head;
	size_t n;
	int rc = csvr_open(&im->r, im->path, err);
	if (!rc)
		rc = csvr_peek(im->r, &head, &n, err);
	if (rc || !xlsx_sniff(head, n))
		return rc;
	return xlsxr_open_fd(&im->x, csvr_fd(im->r), im->path, head, n,
			     im->o->sheet, err);
}

static int source_next(struct import *im, struct csvr_row **row,
		       struct fai_err *err)
{
	return im->x ? xlsxr_next(im->x, row, err) : csvr_next(im->r, row, err);
}

/* Bytes read so far, and of how many (0: unknown), for the progress. */
static unsigned long long source_done(const struct import *im)
{
	return im->x ? xlsxr_offset(im->x) : csvr_offset(im->r);
}

static unsigned long long source_total(const struct import *im)
{
	return im->x ? xlsxr_total(im->x) : im->source_size;
}

/* The first pass: reads the source once, checks the header and each row
 * as far as the store is not needed (as import_one checks a new idea:
 * cells, required fields, the same id twice) and spools every row:
 * prepared when valid, as read otherwise (the second pass says what is
 * wrong).  Returns 0, or the error that refuses the whole file. */
int import_read(struct import *im, struct fai_err *err)
{
	struct csvr_row *row;
	struct fai_err rerr;
	struct idset *ids = NULL;
	unsigned char id[UUID_LEN];
	char idtext[UUID_STR_LEN];
	const char **cells = NULL;
	size_t *lens = NULL;
	struct buf out;
	int rc;

	buf_init(&out);
	im->reading = 1;
	im->spool = exchange_tmpfile();
	if (!im->spool)
		return write_fail(err, errno, "(temporary file)");
	rc = source_open(im, err);
	if (rc)
		goto end;
	im->source_size = csvr_size(im->r);
	rc = source_next(im, &row, err);
	if (rc == 0) {
		header_fail(im, &im->header, FAI_WHY_EMPTY_FILE, NULL, err);
		if (err)
			err->line = 0;
		rc = -FAI_EINVAL;
	}
	if (rc < 0)
		goto end;
	/* A workbook's text cells are unguarded as excel-fr's are: one made
	 * by a spreadsheet from our excel-fr CSV keeps the guard's quote
	 * (Calc does), and ours double a quote before = + - @ as CSV does;
	 * its rejects are excel-fr CSV. */
	im->delim = im->x ? ';' : csvr_delimiter(im->r);
	row_copy(&im->header, row);
	rc = import_header(im, &im->header, err);
	if (!rc)
		rc = import_extras_room(im, err);
	if (rc)
		goto end;
	if (prepared_put(im->spool, &out, row->line, 0, row->n,
			 (const char *const *)row->cells, row->lens) != 0) {
		rc = write_fail(err, errno, "(temporary file)");
		goto end;
	}
	if (im->id_col >= 0)
		ids = idset_new(0);
	cells = xcalloc(im->cs.n + 1, sizeof(*cells));
	lens = xcalloc(im->cs.n + 1, sizeof(*lens));
	while ((rc = source_next(im, &row, err)) == 1) {
		int blank = 1;
		for (size_t i = 0; i < row->n && blank; i++)
			blank = row->lens[i] == 0;
		if (blank)
			continue;
		/* what a spreadsheet did, undone before any check */
		row = import_sheet_row(
		    im, row, im->x ? xlsxr_kinds(im->x) : NULL, &im->fix);
		unsigned flags = 0;
		struct idea *theirs = idea_new();
		int ok = row->n == im->cs.n &&
			 (im->id_col < 0 ||
			  uuid_parse(row->cells[im->id_col], id) == 0);
		if (ok && ids) {
			int added;
			idset_find(ids, id, 1, &added, NULL);
			if (!added) {
				if (!im->dups)
					im->dups = idset_new(1);
				idset_find(im->dups, id, 1, NULL, NULL);
				flags |= SPOOL_DUP_ID;
				ok = 0;
			}
		}
		idea_set_raw(theirs, IDEA_STAGE, stage_code(STAGE_NEED));
		if (ok)
			ok = import_row(im, row, theirs, 1, &rerr) == 0;
		for (size_t i = 0; ok && i < row->n; i++) {
			int f = im->cs.c[i].field;
			const char *v = row->cells[i];
			if (f == IDEA_ID) {
				uuid_format(id, idtext);
				v = idtext;
			} else if (f >= 0 && f != IDEA_REVISION &&
				   !(f == IDEA_REF && !*v)) {
				v = idea_get(theirs, f);
			}
			cells[i] = v;
			lens[i] = v == row->cells[i] ? row->lens[i] : strlen(v);
		}
		/* What st_create fills in, then its check. */
		if (ok) {
			if (im->id_col < 0)
				uuid_generate(id);
			uuid_format(id, idtext);
			if (!idea_get(theirs, IDEA_ID)[0])
				idea_set_raw(theirs, IDEA_ID, idtext);
			idea_new_defaults(theirs, im->actor->now,
					  im->actor->user);
			/* The file's cells went through idea_set and the
			 * defaults are valid: what idea_check could still
			 * refuse is a required field left empty. */
			for (int f = 0; ok && f < IDEA_FIELD_COUNT; f++)
				ok = !(idea_field_info(f)->flags &
				       IDEA_FF_REQUIRED) ||
				     idea_get(theirs, f)[0];
		}
		/* The gates of a new idea: stricter than an update's (this
		 * idea holds only the file's fields), so a row the merge may
		 * refuse is one this flags. */
		int gated;
		if (ok &&
		    import_gate(theirs, NULL, im->o->force, &gated, &rerr) < 0)
			im->suspect1++;
		im->rows1++;
		if (ok) {
			im->repaired1 += im->fix.codes;
			rc = prepared_put(im->spool, &out, row->line,
					  flags | SPOOL_PREPARED, row->n, cells,
					  lens);
		} else {
			im->invalid1++;
			rc = prepared_put(
			    im->spool, &out, row->line, flags, row->n,
			    (const char *const *)row->cells, row->lens);
		}
		idea_free(theirs);
		if (rc) {
			rc = write_fail(err, errno, "(temporary file)");
			break;
		}
		if ((im->rows1 & 1023) == 0)
			import_progress(im, source_done(im), source_total(im));
	}
	if (rc < 0)
		goto end;
	if (fflush(im->spool) != 0) {
		rc = write_fail(err, errno, "(temporary file)");
		goto end;
	}
	long size = ftell(im->spool);
	im->spool_size = size > 0 ? (unsigned long long)size : 0;
	if (im->x) {
		im->source_bytes = xlsxr_size(im->x);
		xlsxr_sha256(im->x, im->sha);
	} else {
		im->source_bytes = csvr_offset(im->r);
		csvr_sha256(im->r, im->sha);
	}
	import_progress(im, im->source_bytes, im->source_bytes);
end:
	im->reading = 0;
	free(cells);
	free(lens);
	buf_free(&out);
	idset_free(ids);
	import_fix_free(&im->fix);
	xlsxr_free(im->x);
	im->x = NULL;
	csvr_free(im->r);
	im->r = NULL;
	return rc;
}
