/* fuzz_csv.c - fuzzes the CSV reader (store/csvio.c, csv_parse_buffer over
 * libcsv) on arbitrary bytes.  The whole input is the CSV text; its last
 * byte also picks the delimiter (',' ';' TAB) and how the text is cut into
 * chunks, so the public edge-case files work as seeds unchanged.
 *
 * Whatever the chunking, the outcome is the one of a one-shot parse: the
 * same rows with the same lines, or the same error at the same line.  Rows
 * hold at least one cell, NUL-terminated at its length, within the 64 KiB
 * cell cap (plus the reader's slack) and the 1 MiB row cap; lines never go
 * back and stay within the input's lines; an error names a line inside the
 * input.  With ',' or ';', what parses survives the writer: the rows
 * written by csvw (rfc4180 or excel-fr, no guard) parse back to the same
 * cells. */
#include "fuzz.h"

#include "../../core/exchange.h"
#include "../../core/xmalloc.h"
#include "../../store/csvio.h"

struct frow {
	char **cells;
	size_t *lens;
	size_t n;
	long line;
};

struct fres {
	struct frow *rows;
	size_t n;
	long max_line;
};

static void fuzz_collect(const struct csvr_row *r, void *arg)
{
	struct fres *res = arg;
	FUZZ_CHECK(r->n >= 1, "a row without cells at line %ld", r->line);
	FUZZ_CHECK(r->line >= 1 && r->line <= res->max_line,
		   "line %ld outside 1..%ld", r->line, res->max_line);
	FUZZ_CHECK(res->n == 0 || r->line >= res->rows[res->n - 1].line,
		   "line %ld after %ld", r->line, res->rows[res->n - 1].line);
	size_t total = 0;
	res->rows = xrealloc(res->rows, (res->n + 1) * sizeof(*res->rows));
	struct frow *t = &res->rows[res->n++];
	t->n = r->n;
	t->line = r->line;
	t->cells = xcalloc(r->n, sizeof(char *));
	t->lens = xcalloc(r->n, sizeof(size_t));
	for (size_t i = 0; i < r->n; i++) {
		FUZZ_CHECK(r->cells[i][r->lens[i]] == '\0',
			   "cell %zu not NUL-terminated", i);
		FUZZ_CHECK(r->lens[i] <= EXCHANGE_FIELD_MAX + 1024,
			   "cell of %zu bytes", r->lens[i]);
		total += r->lens[i] + 1;
		t->cells[i] = xmalloc(r->lens[i] + 1);
		memcpy(t->cells[i], r->cells[i], r->lens[i] + 1);
		t->lens[i] = r->lens[i];
	}
	FUZZ_CHECK(total <= EXCHANGE_ROW_MAX, "row of %zu bytes", total);
}

static void fuzz_free(struct fres *res)
{
	for (size_t i = 0; i < res->n; i++) {
		for (size_t k = 0; k < res->rows[i].n; k++)
			free(res->rows[i].cells[k]);
		free(res->rows[i].cells);
		free(res->rows[i].lens);
	}
	free(res->rows);
	res->rows = NULL;
	res->n = 0;
}

static int fuzz_same_row(const struct frow *a, const struct frow *b, int lines)
{
	if (a->n != b->n || (lines && a->line != b->line))
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->lens[i] != b->lens[i] ||
		    memcmp(a->cells[i], b->cells[i], a->lens[i]) != 0)
			return 0;
	return 1;
}

static int fuzz_parse(const char *s, size_t n, char delim, size_t chunk,
		      struct fres *res, long *line)
{
	struct fai_err err;
	fai_err_clear(&err);
	int rc = csv_parse_buffer(s, n, delim, chunk, fuzz_collect, res, &err);
	*line = rc ? err.line : 0;
	if (rc) {
		FUZZ_CHECK(rc == -FAI_EINVAL || rc == -FAI_ETOOBIG, "rc %d",
			   rc);
		FUZZ_CHECK(err.line >= 1 && err.line <= res->max_line,
			   "error line %ld outside 1..%ld", err.line,
			   res->max_line);
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = {0, 1, 2, 3, 5, 7, 64, 4096};
	if (size == 0)
		return 0;
	unsigned sel = data[size - 1];
	char delim = ",;\t"[sel % 3];
	size_t chunk = (sel / 3) % 9 < 8 ? chunks[(sel / 3) % 9] : size / 2 + 1;
	const char *s = (const char *)data;
	long lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';

	struct fres one = {NULL, 0, lines}, cut = {NULL, 0, lines};
	long l1, l2;
	int r1 = fuzz_parse(s, size, delim, 0, &one, &l1);
	int r2 = fuzz_parse(s, size, delim, chunk, &cut, &l2);
	FUZZ_CHECK(r1 == r2 && l1 == l2,
		   "chunk %zu: rc %d line %ld, one-shot rc %d line %ld", chunk,
		   r2, l2, r1, l1);
	if (r1 == 0) {
		FUZZ_CHECK(one.n == cut.n, "chunk %zu: %zu rows, one-shot %zu",
			   chunk, cut.n, one.n);
		for (size_t i = 0; i < one.n; i++)
			FUZZ_CHECK(fuzz_same_row(&one.rows[i], &cut.rows[i], 1),
				   "chunk %zu: row %zu differs", chunk, i);
	} else {
		/* Rows handed over before the error are the input's first
		 * records: a prefix of any other chunking's. */
		struct fres bytes = {NULL, 0, lines};
		long l3;
		int r3 = fuzz_parse(s, size, delim, 1, &bytes, &l3);
		FUZZ_CHECK(r3 == r1 && l3 == l1, "chunk 1: rc %d line %ld", r3,
			   l3);
		FUZZ_CHECK(cut.n <= bytes.n, "more rows before the error");
		for (size_t i = 0; i < cut.n; i++)
			FUZZ_CHECK(
			    fuzz_same_row(&cut.rows[i], &bytes.rows[i], 1),
			    "row %zu before the error differs", i);
		fuzz_free(&bytes);
	}

	/* Written back with csvw, the rows parse to the same cells. */
	if (r1 == 0 && delim != '\t' && one.n > 0) {
		char *out = NULL;
		size_t outlen = 0;
		FILE *f = open_memstream(&out, &outlen);
		FUZZ_CHECK(f != NULL, "open_memstream");
		enum csv_dialect d =
		    delim == ';' ? CSV_DIALECT_EXCEL_FR : CSV_DIALECT_RFC4180;
		struct csvw *w = csvw_new(f, d);
		for (size_t i = 0; i < one.n; i++) {
			for (size_t k = 0; k < one.rows[i].n; k++)
				csvw_cell(w, one.rows[i].cells[k],
					  one.rows[i].lens[k], 0);
			FUZZ_CHECK(csvw_row_end(w) == 0, "csvw_row_end");
		}
		csvw_free(w);
		fclose(f);
		size_t skip = d == CSV_DIALECT_EXCEL_FR ? 3 : 0;
		FUZZ_CHECK(outlen >= skip, "no BOM");
		long wl = 1;
		for (size_t i = 0; i < outlen; i++)
			wl += out[i] == '\n';
		struct fres back = {NULL, 0, wl};
		long lb;
		int rb =
		    fuzz_parse(out + skip, outlen - skip, delim, 0, &back, &lb);
		/* Only a cap may refuse it: a last cell at the very cap fits
		 * at the end of the input, not before the CRLF written
		 * after it. */
		if (rb == 0) {
			FUZZ_CHECK(back.n == one.n,
				   "written %zu rows, read %zu", one.n, back.n);
			for (size_t i = 0; i < one.n; i++)
				FUZZ_CHECK(fuzz_same_row(&one.rows[i],
							 &back.rows[i], 0),
					   "row %zu changed through csvw", i);
		} else {
			FUZZ_CHECK(rb == -FAI_ETOOBIG,
				   "csvw wrote what the reader refuses: rc %d "
				   "line %ld",
				   rb, lb);
		}
		fuzz_free(&back);
		free(out);
	}
	fuzz_free(&one);
	fuzz_free(&cut);
	return 0;
}
