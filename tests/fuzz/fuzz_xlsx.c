/* fuzz_xlsx.c - fuzzes the XLSX reader (store/xlsxr.c: libzip, expat) on
 * arbitrary bytes, in two ways the input's first bytes choose:
 *
 *   - an input starting with "PK" is the file itself, so the zip layer
 *     (central directory, local headers, deflate, CRC) is fuzzed;
 *   - any other input is a workbook's XML: its first byte holds options
 *     (bit 0: parts deflated rather than stored; bit 1: the sheet asked
 *     by name, "Autre"), the rest is cut at each "\n--part--\n" into the
 *     sheet, the shared strings, the workbook and its relationships, in
 *     that order; missing ones are ours (valid), so the XML handlers of
 *     every part are fuzzed behind a zip that is always sound.
 *
 * The file goes to $TMPDIR (else /dev/shm, else /tmp).  Whatever the
 * input: no crash, no leak, and either rows or one error.  Rows come in
 * growing sheet row numbers (1..1048576), with 1 to 16384 cells, each
 * NUL-terminated, at most 64 KiB, the row at most 1 MiB, kinds known, an
 * empty cell empty and never last.  An error is -FAI_EINVAL or
 * -FAI_ETOOBIG with a reason, naming the file, and is given again by the
 * next call. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../../core/exchange.h"
#include "../../core/xmalloc.h"
#include "../../store/xlsx.h"

static char fuzz_path[300];

static const char fuzz_wb[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
    "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"Idées\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Autre\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
static const char fuzz_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"x/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/worksheet\" "
    "Target=\"/xl/worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"x/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

static void fuzz_cleanup(void)
{
	if (fuzz_path[0])
		unlink(fuzz_path);
}

static void fuzz_setup(void)
{
	if (fuzz_path[0])
		return;
	const char *tmp = getenv("TMPDIR");
	if (!tmp || *tmp != '/' || strlen(tmp) >= 200)
		tmp =
		    access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_path, sizeof(fuzz_path), "%s/fai-fuzz-xlsx-%ld.xlsx", tmp,
		 (long)getpid());
	atexit(fuzz_cleanup);
}

static void fuzz_write_raw(const uint8_t *data, size_t size)
{
	FILE *f = fopen(fuzz_path, "wb");
	FUZZ_CHECK(f != NULL, "fopen %s", fuzz_path);
	FUZZ_CHECK(fwrite(data, 1, size, f) == size, "fwrite");
	FUZZ_CHECK(fclose(f) == 0, "fclose");
}

/* The XML parts of the input, zipped. */
static void fuzz_write_parts(const uint8_t *data, size_t size, unsigned opt)
{
	static const char sep[] = "\n--part--\n";
	static const char *names[] = {"xl/worksheets/sheet1.xml",
				      "xl/sharedStrings.xml", "xl/workbook.xml",
				      "xl/_rels/workbook.xml.rels"};
	const char *s = (const char *)data, *end = s + size;
	const char *part[4] = {NULL, NULL, fuzz_wb, fuzz_rels};
	size_t len[4] = {0, 0, strlen(fuzz_wb), strlen(fuzz_rels)};
	for (int i = 0; i < 4 && s <= end; i++) {
		const char *cut =
		    memmem(s, (size_t)(end - s), sep, strlen(sep));
		const char *e = cut ? cut : end;
		part[i] = s;
		len[i] = (size_t)(e - s);
		if (!cut)
			break;
		s = cut + strlen(sep);
	}
	int zerr;
	unlink(fuzz_path);
	zip_t *za = zip_open(fuzz_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	FUZZ_CHECK(za != NULL, "zip_open %d", zerr);
	for (int i = 0; i < 4; i++) {
		if (!part[i])
			continue;
		zip_source_t *src = zip_source_buffer(za, part[i], len[i], 0);
		FUZZ_CHECK(src != NULL, "zip_source_buffer");
		zip_int64_t k = zip_file_add(za, names[i], src, 0);
		FUZZ_CHECK(k >= 0, "zip_file_add");
		zip_set_file_compression(
		    za, (zip_uint64_t)k,
		    opt & 1 ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 1);
	}
	FUZZ_CHECK(zip_close(za) == 0, "zip_close");
}

static void fuzz_check_error(int rc, const struct fai_err *err)
{
	FUZZ_CHECK(rc == -FAI_EINVAL || rc == -FAI_ETOOBIG, "rc %d", rc);
	FUZZ_CHECK(err->code == -rc, "code %d for rc %d", err->code, rc);
	FUZZ_CHECK(err->why != FAI_WHY_NONE, "an error without a reason");
	FUZZ_CHECK(strcmp(err->file, fuzz_path) == 0, "file \"%s\"", err->file);
	FUZZ_CHECK(err->line >= 0 && err->line <= 1048576, "line %ld",
		   err->line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fai_err err;
	struct xlsxr *r;
	struct csvr_row *row;
	const char *sheet = NULL;

	fuzz_setup();
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		fuzz_write_raw(data, size);
	} else {
		unsigned opt = size ? data[0] : 0;
		if (opt & 2)
			sheet = "Autre";
		fuzz_write_parts(data + (size > 0), size - (size > 0), opt);
	}
	fai_err_clear(&err);
	int rc = xlsxr_open(&r, fuzz_path, sheet, &err);
	if (rc) {
		FUZZ_CHECK(r == NULL, "a reader with an error");
		fuzz_check_error(rc, &err);
		return 0;
	}
	long last = 0;
	while ((rc = xlsxr_next(r, &row, &err)) == 1) {
		const unsigned char *k = xlsxr_kinds(r);
		size_t bytes = 0;
		FUZZ_CHECK(row->line > last && row->line <= 1048576,
			   "line %ld after %ld", row->line, last);
		last = row->line;
		FUZZ_CHECK(row->n >= 1 && row->n <= XLSX_COLUMNS_MAX,
			   "%zu cells", row->n);
		FUZZ_CHECK(k[row->n - 1] != XLSX_CELL_EMPTY, "empty last cell");
		for (size_t i = 0; i < row->n; i++) {
			FUZZ_CHECK(k[i] <= XLSX_CELL_ERROR, "kind %d", k[i]);
			FUZZ_CHECK(row->cells[i][row->lens[i]] == '\0',
				   "cell %zu not NUL-terminated", i);
			FUZZ_CHECK(row->lens[i] <= EXCHANGE_FIELD_MAX,
				   "cell of %zu bytes", row->lens[i]);
			FUZZ_CHECK(k[i] != XLSX_CELL_EMPTY || row->lens[i] == 0,
				   "an empty cell of %zu bytes", row->lens[i]);
			bytes += row->lens[i] + 1;
		}
		FUZZ_CHECK(bytes <= EXCHANGE_ROW_MAX, "row of %zu bytes",
			   bytes);
		FUZZ_CHECK(xlsxr_offset(r) <= xlsxr_total(r), "progress");
	}
	if (rc) {
		fuzz_check_error(rc, &err);
		struct fai_err again;
		fai_err_clear(&again);
		FUZZ_CHECK(xlsxr_next(r, &row, &again) == rc, "error not kept");
	} else {
		FUZZ_CHECK(xlsxr_next(r, &row, &err) == 0,
			   "rows after the end");
	}
	xlsxr_free(r);
	return 0;
}
