/* test_xlsxr.c - the XLSX reader (store/xlsxr.c) on workbooks built here:
 * by libxlsxwriter (shared strings; inline strings in its constant-memory
 * mode, as our export writes them), by openpyxl (python3), and by hand
 * with libzip around our own XML for what the writers never do: rich text,
 * phonetic runs, escapes, sparse rows and cells, prefixes, and the hostile
 * set (a truncated zip, a zip bomb, a DOCTYPE with entities, a shared
 * string out of range, 10^5 columns, too many entries, no zip at all).
 * Each refusal asserts its code, its reason and where it is.
 *
 * Rows are compared as text: "L<line>:" then each cell as a kind letter
 * (E empty, S string, N number, B boolean, X error) and its bytes, cells
 * separated by '|'. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "../../core/err.h"
#include "../../core/exchange.h"
#include "../../core/sha256.h"
#include "../../core/xmalloc.h"
#include "../../store/xlsx.h"

/* ------------------------------------------------------------ fixture */

struct tx {
	char dir[PATH_MAX];
	char path[PATH_MAX + 16]; /* dir/t.xlsx */
	struct fai_err err;
};

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct tx *t = xcalloc(1, sizeof(*t));
	const char *tmp = getenv("TMPDIR");
	snprintf(t->dir, sizeof(t->dir), "%s/fai-xlsxr-test-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t->dir))
		fail_msg("mkdtemp: %s", strerror(errno));
	snprintf(t->path, sizeof(t->path), "%s/t.xlsx", t->dir);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tx *t = *state;
	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

/* ------------------------------------------------------------ zips */

struct part {
	const char *name;
	const char *data; /* NULL: skipped */
	size_t len;	  /* 0: strlen */
};

static const char WB[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
    "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"Idées\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Autre\" sheetId=\"2\" r:id=\"rId2\"/>"
    "</sheets></workbook>";

static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\">"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/worksheet\" "
    "Target=\"/xl/worksheets/other.xml\"/>"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/>"
    "</Relationships>";

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define SHEET_OPEN "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
#define SHEET_CLOSE "</sheetData></worksheet>"

/* Writes a zip of parts at path, each deflated (or stored). */
static void mkzip_m(const char *path, const struct part *parts, size_t n,
		    zip_int32_t method)
{
	int zerr;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		if (!parts[i].data)
			continue;
		size_t len =
		    parts[i].len ? parts[i].len : strlen(parts[i].data);
		zip_source_t *src =
		    zip_source_buffer(za, parts[i].data, len, 0);
		assert_non_null(src);
		zip_int64_t idx =
		    zip_file_add(za, parts[i].name, src, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		assert_int_equal(
		    zip_set_file_compression(za, (zip_uint64_t)idx, method, 0),
		    0);
	}
	assert_int_equal(zip_close(za), 0);
}

/* A workbook of our workbook.xml and rels, the sheet given, the shared
 * strings given (NULL: none) and an "Autre" sheet. */
static void mkbook(const char *path, const char *sheet, const char *sst)
{
	struct part p[] = {
	    {"[Content_Types].xml", "<Types/>", 0},
	    {"xl/workbook.xml", WB, 0},
	    {"xl/_rels/workbook.xml.rels", RELS, 0},
	    {"xl/worksheets/sheet1.xml", sheet, 0},
	    {"xl/worksheets/other.xml",
	     SHEET_OPEN "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>"
			"autre</t></is></c></row>" SHEET_CLOSE,
	     0},
	    {"xl/sharedStrings.xml", sst, 0},
	};
	mkzip_m(path, p, sizeof(p) / sizeof(p[0]), ZIP_CM_DEFLATE);
}

/* ------------------------------------------------------------ reading */

/* Reads every row of path's sheet into text (see the top).  Returns what
 * xlsxr_open or the failing xlsxr_next returned (1 for a full read). */
static int read_rows(const char *path, const char *sheet, struct buf *out,
		     struct fai_err *err)
{
	struct xlsxr *r;
	struct csvr_row *row;
	int rc;
	buf_init(out);
	buf_adds(out, "");
	fai_err_clear(err);
	rc = xlsxr_open(&r, path, sheet, err);
	if (rc)
		return rc;
	long last = 0;
	while ((rc = xlsxr_next(r, &row, err)) == 1) {
		const unsigned char *k = xlsxr_kinds(r);
		assert_true(row->line > last);
		assert_true(row->n >= 1 && row->n <= XLSX_COLUMNS_MAX);
		/* The last cell holds something: blanks are trimmed. */
		assert_int_not_equal(k[row->n - 1], XLSX_CELL_EMPTY);
		last = row->line;
		buf_printf(out, "%sL%ld:", out->len ? "\n" : "", row->line);
		for (size_t i = 0; i < row->n; i++) {
			assert_int_equal(row->cells[i][row->lens[i]], '\0');
			if (k[i] == XLSX_CELL_EMPTY)
				assert_int_equal(row->lens[i], 0);
			buf_printf(out, "%s%c", i ? "|" : "", "ESNBX"[k[i]]);
			buf_add(out, row->cells[i], row->lens[i]);
		}
		assert_true(xlsxr_offset(r) <= xlsxr_total(r));
	}
	if (rc == 0) {
		assert_int_equal(xlsxr_next(r, &row, err), 0);
		rc = 1;
	} else {
		/* Asked again, the same error. */
		struct fai_err again;
		fai_err_clear(&again);
		assert_int_equal(xlsxr_next(r, &row, &again), rc);
		assert_int_equal(again.why, err->why);
		assert_int_equal(again.line, err->line);
		assert_int_equal(again.column, err->column);
		assert_string_equal(again.file, err->file);
	}
	xlsxr_free(r);
	return rc;
}

/* Asserts the rows of path's sheet. */
static void expect_rows(const char *path, const char *sheet, const char *want)
{
	struct buf got;
	struct fai_err err;
	int rc = read_rows(path, sheet, &got, &err);
	if (rc != 1)
		fail_msg("%s: rc %d why %d (%s) line %ld col %ld value %s "
			 "part %s detail %s",
			 path, rc, err.why, fai_why_text(err.why), err.line,
			 err.column, err.value, err.path, err.detail);
	if (strcmp(got.data, want) != 0)
		fail_msg("rows:\n%s\nwanted:\n%s", got.data, want);
	buf_free(&got);
}

/* Asserts that reading path fails with rc and why; returns the error. */
static struct fai_err expect_fail(const char *path, const char *sheet,
				  int rc_want, int why)
{
	struct buf got;
	struct fai_err err;
	int rc = read_rows(path, sheet, &got, &err);
	if (rc != rc_want || err.why != why)
		fail_msg("%s: rc %d why %d (%s), wanted rc %d why %d (%s); "
			 "line %ld detail %s rows:\n%s",
			 path, rc, err.why, fai_why_text(err.why), rc_want, why,
			 fai_why_text(why), err.line, err.detail, got.data);
	assert_int_equal(err.code, -rc_want);
	assert_string_equal(err.file, path);
	buf_free(&got);
	return err;
}

/* ------------------------------------------------------------ writers */

/* The same small workbook through libxlsxwriter, with shared strings or
 * (constant memory) inline ones. */
static void write_lxw(const char *path, int constant)
{
	lxw_workbook_options o = {.constant_memory = (uint8_t)constant};
	lxw_workbook *wb = workbook_new_opt(path, &o);
	assert_non_null(wb);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Idées");
	lxw_worksheet *lg = workbook_add_worksheet(wb, "Légende");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_datetime d = {2026, 12, 15, 0, 0, 0};
	const char *head[] = {"Référence", "Région", "Emplois", "Date",
			      "Actif",	   "Vide",   "Texte"};
	for (int i = 0; i < 7; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], bold);
	worksheet_write_string(ws, 1, 0, "84-0042", NULL);
	worksheet_write_string(ws, 1, 1, "01", NULL);
	worksheet_write_number(ws, 1, 2, 3, NULL);
	worksheet_write_datetime(ws, 1, 3, &d, date);
	worksheet_write_boolean(ws, 1, 4, 1, NULL);
	worksheet_write_blank(ws, 1, 5, bold);
	worksheet_write_string(ws, 1, 6, "Café \"à\" <b> & \x01", NULL);
	/* Row 3 left out; row 4 sparse, ending on blanks. */
	worksheet_write_string(ws, 3, 1, "84", NULL);
	worksheet_write_number(ws, 3, 2, 46358.5, NULL);
	worksheet_write_boolean(ws, 3, 4, 0, NULL);
	worksheet_write_blank(ws, 3, 6, bold);
	worksheet_write_string(lg, 0, 0, "Colonne", NULL);
	worksheet_write_string(lg, 0, 1, "Code", NULL);
	worksheet_write_string(lg, 1, 0, "Référence", NULL);
	worksheet_write_string(lg, 1, 1, "ref", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static const char LXW_ROWS[] =
    "L1:SRéférence|SRégion|SEmplois|SDate|SActif|SVide|STexte\n"
    "L2:S84-0042|S01|N3|N46371|BTRUE|E|SCafé \"à\" <b> & \x01\n"
    "L4:E|S84|N46358.5|E|BFALSE";

static const char LXW_LEGEND[] = "L1:SColonne|SCode\nL2:SRéférence|Sref";

static void test_xlsxr_sniff(void **state)
{
	(void)state;
	assert_true(xlsx_sniff("PK\3\4\x14\0", 6));
	assert_false(xlsx_sniff("PK\3", 3));
	assert_false(xlsx_sniff("PK\5\6", 4));
	assert_false(xlsx_sniff("id;title\r\n", 10));
	assert_false(xlsx_sniff("\xef\xbb\xbfid", 5));
}

static void test_xlsxr_libxlsxwriter_shared_strings(void **state)
{
	struct tx *t = *state;
	write_lxw(t->path, 0);
	expect_rows(t->path, NULL, LXW_ROWS);
	expect_rows(t->path, "Légende", LXW_LEGEND);
	expect_rows(t->path, "Idées", LXW_ROWS);
}

static void test_xlsxr_libxlsxwriter_inline_strings(void **state)
{
	struct tx *t = *state;
	write_lxw(t->path, 1);
	expect_rows(t->path, NULL, LXW_ROWS);
	expect_rows(t->path, "Légende", LXW_LEGEND);
}

/* Shared strings past 1 MiB of text go to a temporary file, mapped: a
 * spreadsheet's save of a whole pipeline keeps its text out of the
 * process's memory, and every string still reads back, the last one too. */
static void test_xlsxr_shared_strings_spilled(void **state)
{
	struct tx *t = *state;
	enum { ROWS = 30000 };
	lxw_workbook_options o = {.constant_memory = 0};
	lxw_workbook *wb = workbook_new_opt(t->path, &o);
	assert_non_null(wb);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Idées");
	char text[128];
	for (int i = 0; i < ROWS; i++) {
		snprintf(text, sizeof(text),
			 "Besoin n°%d : une crèche aux horaires décalés", i);
		worksheet_write_string(ws, (lxw_row_t)i, 0, text, NULL);
		snprintf(text, sizeof(text), "Porteur %d", i);
		worksheet_write_string(ws, (lxw_row_t)i, 1, text, NULL);
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	struct xlsxr *r;
	struct csvr_row *row;
	struct fai_err err;
	fai_err_clear(&err);
	assert_int_equal(xlsxr_open(&r, t->path, NULL, &err), 0);
	int n = 0, rc;
	while ((rc = xlsxr_next(r, &row, &err)) == 1) {
		snprintf(text, sizeof(text),
			 "Besoin n°%d : une crèche aux horaires décalés", n);
		assert_int_equal(row->n, 2);
		assert_string_equal(row->cells[0], text);
		snprintf(text, sizeof(text), "Porteur %d", n);
		assert_string_equal(row->cells[1], text);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, ROWS);
	xlsxr_free(r);
}

/* What the reader tells besides rows: size, hash, progress. */
static void test_xlsxr_size_hash_progress(void **state)
{
	struct tx *t = *state;
	struct xlsxr *r;
	struct csvr_row *row;
	unsigned char want[SHA256_LEN], got[SHA256_LEN];
	write_lxw(t->path, 1);
	FILE *f = fopen(t->path, "rb");
	assert_non_null(f);
	struct sha256 c;
	char blk[4096];
	size_t n, total = 0;
	sha256_init(&c);
	while ((n = fread(blk, 1, sizeof(blk), f)) > 0) {
		sha256_update(&c, blk, n);
		total += n;
	}
	fclose(f);
	sha256_final(&c, want);
	assert_int_equal(xlsxr_open(&r, t->path, NULL, &t->err), 0);
	assert_int_equal(xlsxr_size(r), total);
	xlsxr_sha256(r, got);
	assert_memory_equal(got, want, SHA256_LEN);
	assert_true(xlsxr_total(r) > 0);
	while (xlsxr_next(r, &row, &t->err) == 1)
		;
	assert_int_equal(xlsxr_offset(r), xlsxr_total(r));
	xlsxr_free(r);
}

/* Rich text runs concatenated, phonetic runs left out, escapes decoded,
 * shared and inline strings, sparse rows and cells with and without r,
 * a prefix on every element, formulas' strings, errors, ISO dates. */
static void test_xlsxr_hand_made_cells(void **state)
{
	struct tx *t = *state;
	static const char sst[] =
	    "<sst xmlns=\"" NS_MAIN "\" count=\"9\" uniqueCount=\"5\">"
	    "<si><t>Titre</t></si>"
	    "<si><r><t>Bon</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">"
	    "jour </t></r><rPh sb=\"0\" eb=\"1\"><t>ボン</t></rPh></si>"
	    "<si><t>a_x000D__x000A_b_x005F_x0041_c_x0041__xD83D__xDE00_"
	    "_xD800_z</t></si>"
	    "<si><t/></si>"
	    "<si><t>&lt;&amp;&gt;</t></si>"
	    "</sst>";
	static const char sheet[] =
	    "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
	    "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c>"
	    "<x:c t=\"s\"><x:v> 1 </x:v></x:c><x:c t=\"s\"><x:v>2</x:v></x:c>"
	    "</x:row>"
	    "<x:row><x:c r=\"C2\" t=\"s\"><x:v>3</x:v></x:c>"
	    "<x:c t=\"s\"><x:v>4</x:v></x:c></x:row>"
	    "<x:row r=\"5\" spans=\"1:9\"><x:c r=\"B5\" t=\"inlineStr\"><x:is>"
	    "<x:r><x:t>in</x:t></x:r><x:r><x:t>line_x0009_</x:t></x:r>"
	    "<x:rPh><x:t>no</x:t></x:rPh></x:is></x:c>"
	    "<x:c r=\"D5\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>Titrex</x:v>"
	    "</x:c><x:c t=\"e\"><x:v>#N/A</x:v></x:c>"
	    "<x:c t=\"d\"><x:v>2026-12-15</x:v></x:c>"
	    "<x:c><x:f>1+2</x:f><x:v>3</x:v></x:c>"
	    "<x:c t=\"b\"><x:v>0</x:v></x:c><x:c s=\"3\"/></x:row>"
	    "<x:row r=\"6\"><x:c r=\"A6\" s=\"1\"/><x:c r=\"B6\"/></x:row>"
	    "<x:row r=\"7\"/>"
	    "<x:row><x:c r=\"AA8\"><x:v>-1.5E-3</x:v></x:c></x:row>"
	    "</x:sheetData></x:worksheet>";
	mkbook(t->path, sheet, sst);
	struct buf want;
	buf_init(&want);
	buf_adds(&want, "L1:STitre|SBonjour |Sa\r\nb_x0041_cA\xf0\x9f\x98\x80"
			"\xef\xbf\xbdz\n"
			"L2:E|E|S|S<&>\n"
			"L5:E|Sinline\t|E|STitrex|X#N/A|S2026-12-15|N3|BFALSE\n"
			"L8:");
	for (int i = 0; i < 26; i++)
		buf_adds(&want, "E|");
	buf_adds(&want, "N-1.5E-3");
	expect_rows(t->path, NULL, want.data);
	buf_free(&want);
	expect_rows(t->path, "Autre", "L3:E|Sautre");
	/* The sheet's name in another case, when no name matches exactly. */
	expect_rows(t->path, "autre", "L3:E|Sautre");
}

static void test_xlsxr_no_shared_strings_part(void **state)
{
	struct tx *t = *state;
	mkbook(t->path,
	       SHEET_OPEN "<row><c t=\"inlineStr\"><is><t>x</t></is></c><c>"
			  "<v>2</v></c></row>" SHEET_CLOSE,
	       NULL);
	expect_rows(t->path, NULL, "L1:Sx|N2");
	/* Empty sheet: no row at all. */
	mkbook(t->path, SHEET_OPEN SHEET_CLOSE, NULL);
	expect_rows(t->path, NULL, "");
	mkbook(t->path,
	       "<worksheet xmlns=\"" NS_MAIN "\"><sheetData/>"
	       "</worksheet>",
	       NULL);
	expect_rows(t->path, NULL, "");
}

/* A workbook whose dates count from 1904 says so; the usual ones not. */
static void test_xlsxr_date1904(void **state)
{
	struct tx *t = *state;
	struct xlsxr *r;
	mkbook(t->path, SHEET_OPEN SHEET_CLOSE, NULL);
	assert_int_equal(xlsxr_open(&r, t->path, NULL, &t->err), 0);
	assert_int_equal(xlsxr_date1904(r), 0);
	xlsxr_free(r);
	struct part p[] = {
	    {"xl/workbook.xml",
	     "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"http://schemas."
	     "openxmlformats.org/officeDocument/2006/relationships\">"
	     "<workbookPr date1904=\"1\"/><sheets><sheet name=\"A\" "
	     "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
	     0},
	    {"xl/_rels/workbook.xml.rels", RELS, 0},
	    {"xl/worksheets/sheet1.xml",
	     SHEET_OPEN "<row><c><v>44900</v></c></row>" SHEET_CLOSE, 0},
	};
	mkzip_m(t->path, p, 3, ZIP_CM_DEFLATE);
	assert_int_equal(xlsxr_open(&r, t->path, NULL, &t->err), 0);
	assert_int_equal(xlsxr_date1904(r), 1);
	xlsxr_free(r);
	expect_rows(t->path, NULL, "L1:N44900");
}

static void test_xlsxr_missing_sheet(void **state)
{
	struct tx *t = *state;
	write_lxw(t->path, 0);
	struct fai_err e =
	    expect_fail(t->path, "Feuil9", -FAI_EINVAL, FAI_WHY_XLSX_SHEET);
	assert_string_equal(e.value, "Feuil9");
	assert_int_equal(e.about, FAI_ABOUT_SOURCE);
}

/* A part the workbook names is not in the zip. */
static void test_xlsxr_missing_part(void **state)
{
	struct tx *t = *state;
	struct part p[] = {
	    {"xl/workbook.xml", WB, 0},
	    {"xl/_rels/workbook.xml.rels", RELS, 0},
	};
	mkzip_m(t->path, p, 2, ZIP_CM_DEFLATE);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_XML);
	assert_string_equal(e.path, "xl/worksheets/sheet1.xml");
	mkzip_m(t->path, p, 1, ZIP_CM_DEFLATE);
	e = expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_XML);
	assert_string_equal(e.path, "xl/_rels/workbook.xml.rels");
	mkzip_m(t->path, p + 1, 1, ZIP_CM_DEFLATE);
	e = expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_XML);
	assert_string_equal(e.path, "xl/workbook.xml");
}

/* openpyxl (python3) writes its own way: no prefixes, shared strings,
 * dates as numbers with a style. */
static void test_xlsxr_openpyxl(void **state)
{
	struct tx *t = *state;
	char *cmd = xasprintf(
	    "/usr/bin/python3 -c 'import sys, datetime, openpyxl\n"
	    "wb = openpyxl.Workbook()\n"
	    "ws = wb.active\n"
	    "ws.title = \"Idées\"\n"
	    "ws.append([\"Référence\", \"Commune\", \"Emplois\", \"Date\", "
	    "\"Actif\"])\n"
	    "ws.append([\"84-0042\", \"01053\", 3, datetime.date(2026, 12, 15),"
	    " True])\n"
	    "ws[\"C4\"] = \"bas\"\n"
	    "wb.create_sheet(\"Légende\").append([\"a\", None, \"c\"])\n"
	    "wb.save(sys.argv[1])' '%s'",
	    t->path);
	int st = system(cmd);
	free(cmd);
	assert_int_equal(st, 0);
	expect_rows(t->path, NULL,
		    "L1:SRéférence|SCommune|SEmplois|SDate|SActif\n"
		    "L2:S84-0042|S01053|N3|N46371|BTRUE\n"
		    "L4:E|E|Sbas");
	expect_rows(t->path, "Légende", "L1:Sa|E|Sc");
}

/* A pipe's bytes are copied while hashed: the same rows and hash as the
 * file; so is standard input. */
static void test_xlsxr_fifo_and_stdin(void **state)
{
	struct tx *t = *state;
	char fifo[PATH_MAX + 16];
	unsigned char a[SHA256_LEN], b[SHA256_LEN];
	struct xlsxr *r;
	write_lxw(t->path, 0);
	assert_int_equal(xlsxr_open(&r, t->path, NULL, &t->err), 0);
	xlsxr_sha256(r, a);
	xlsxr_free(r);

	snprintf(fifo, sizeof(fifo), "%s/fifo", t->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *cmd = xasprintf("cat '%s' > '%s'", t->path, fifo);
		_exit(system(cmd) == 0 ? 0 : 1);
	}
	expect_rows(fifo, NULL, LXW_ROWS);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* Standard input, from a pipe. */
	int pfd[2], saved = dup(STDIN_FILENO);
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pfd[0]);
		int fd = open(t->path, O_RDONLY);
		char blk[4096];
		ssize_t n;
		while ((n = read(fd, blk, sizeof(blk))) > 0)
			if (write(pfd[1], blk, (size_t)n) != n)
				_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	assert_int_equal(dup2(pfd[0], STDIN_FILENO), STDIN_FILENO);
	close(pfd[0]);
	int rc = xlsxr_open(&r, "-", "Légende", &t->err);
	dup2(saved, STDIN_FILENO);
	close(saved);
	assert_int_equal(rc, 0);
	xlsxr_sha256(r, b);
	assert_memory_equal(a, b, SHA256_LEN);
	struct csvr_row *row;
	assert_int_equal(xlsxr_next(r, &row, &t->err), 1);
	assert_string_equal(row->cells[0], "Colonne");
	xlsxr_free(r);
	assert_int_equal(waitpid(pid, &st, 0), pid);
}

static void test_xlsxr_not_a_file(void **state)
{
	struct tx *t = *state;
	struct xlsxr *r = (struct xlsxr *)1;
	char missing[PATH_MAX + 16];
	assert_int_equal(xlsxr_open(&r, t->dir, NULL, &t->err), -FAI_EINVAL);
	assert_null(r);
	assert_int_equal(t->err.why, FAI_WHY_NOT_FILE);
	assert_int_equal(xlsxr_open(&r, "/dev/zero", NULL, &t->err),
			 -FAI_EINVAL);
	assert_int_equal(t->err.why, FAI_WHY_NOT_FILE);
	snprintf(missing, sizeof(missing), "%s/none.xlsx", t->dir);
	assert_int_equal(xlsxr_open(&r, missing, NULL, &t->err),
			 -FAI_ENOTFOUND);
	assert_string_equal(t->err.value, missing);
}

/* ------------------------------------------------------------ hostile */

static void write_file(const char *path, const void *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b;
	char blk[4096];
	size_t k;
	buf_init(&b);
	while ((k = fread(blk, 1, sizeof(blk), f)) > 0)
		buf_add(&b, blk, k);
	fclose(f);
	*n = b.len;
	return b.data;
}

static void test_xlsxr_not_a_zip(void **state)
{
	struct tx *t = *state;
	write_file(t->path, "id;title\r\n1;x\r\n", 15);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_ZIP);
	assert_int_equal(e.about, FAI_ABOUT_SOURCE);
	assert_string_equal(e.value, t->path);
	assert_true(e.detail[0] != '\0'); /* libzip's own words */
	write_file(t->path, "", 0);
	expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_ZIP);
	write_file(t->path, "PK\3\4 and nothing of a zip", 26);
	expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_ZIP);
}

/* Cut anywhere, or damaged inside the sheet's deflated bytes. */
static void test_xlsxr_truncated_zip(void **state)
{
	struct tx *t = *state;
	size_t n;
	write_lxw(t->path, 0);
	char *all = slurp(t->path, &n);
	for (size_t cut = 0; cut < n; cut += n / 13 + 1) {
		write_file(t->path, all, cut);
		expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_ZIP);
	}
	write_file(t->path, all, n - 1);
	expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_ZIP);
	free(all);

	/* A stored sheet with a byte changed: the CRC says so. */
	struct part p[] = {
	    {"xl/workbook.xml", WB, 0},
	    {"xl/_rels/workbook.xml.rels", RELS, 0},
	    {"xl/worksheets/sheet1.xml",
	     SHEET_OPEN "<row><c><v>1</v></c></row><row><c><v>2</v></c>"
			"</row>" SHEET_CLOSE,
	     0},
	};
	mkzip_m(t->path, p, 3, ZIP_CM_STORE);
	all = slurp(t->path, &n);
	char *v = memmem(all, n, "<v>2</v>", 8);
	assert_non_null(v);
	v[3] = '7';
	write_file(t->path, all, n);
	free(all);
	expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_ZIP);
}

/* A sheet of a few KiB that inflates to megabytes of spaces: refused
 * once past 1 MiB, long before the part's bound. */
static void test_xlsxr_zip_bomb(void **state)
{
	struct tx *t = *state;
	size_t big = (size_t)8 << 20;
	char *s = xmalloc(big);
	size_t n = strlen(SHEET_OPEN);
	memcpy(s, SHEET_OPEN, n);
	memset(s + n, ' ', big - n - strlen(SHEET_CLOSE));
	memcpy(s + big - strlen(SHEET_CLOSE), SHEET_CLOSE, strlen(SHEET_CLOSE));
	struct part p[] = {
	    {"xl/workbook.xml", WB, 0},
	    {"xl/_rels/workbook.xml.rels", RELS, 0},
	    {"xl/worksheets/sheet1.xml", s, big},
	};
	mkzip_m(t->path, p, 3, ZIP_CM_DEFLATE);
	free(s);
	struct stat st;
	assert_int_equal(stat(t->path, &st), 0);
	assert_true(st.st_size < 16 * 1024);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_TOO_BIG);
	assert_string_equal(e.path, "xl/worksheets/sheet1.xml");
	assert_true(e.count > e.limit);
	assert_true(e.count <= (2u << 20));

	/* The same in the shared strings, read at open. */
	s = xmalloc(big);
	static const char so[] = "<sst xmlns=\"" NS_MAIN "\"><si><t>";
	static const char sc[] = "</t></si></sst>";
	memcpy(s, so, strlen(so));
	memset(s + strlen(so), 'a', big - strlen(so) - strlen(sc));
	memcpy(s + big - strlen(sc), sc, strlen(sc));
	struct part q[] = {
	    {"xl/workbook.xml", WB, 0},
	    {"xl/_rels/workbook.xml.rels", RELS, 0},
	    {"xl/worksheets/sheet1.xml", SHEET_OPEN SHEET_CLOSE, 0},
	    {"xl/sharedStrings.xml", s, big},
	};
	mkzip_m(t->path, q, 4, ZIP_CM_DEFLATE);
	free(s);
	e = expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_TOO_BIG);
	assert_string_equal(e.path, "xl/sharedStrings.xml");
}

/* One tag of 6 MiB (a sheet that deflate cannot squeeze a hundred
 * times): expat would hold it whole; refused past 4 MiB. */
static void test_xlsxr_huge_tag(void **state)
{
	struct tx *t = *state;
	size_t big = (size_t)6 << 20;
	struct buf s;
	buf_init(&s);
	buf_reserve(&s, big + 256);
	buf_adds(&s, SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row>"
				"<row r=\"2\" x=\"");
	uint32_t seed = 7;
	for (size_t i = 0; i < big; i++) {
		seed = seed * 1103515245u + 12345u;
		buf_addc(&s, (char)('a' + (seed >> 16) % 16));
	}
	buf_adds(&s, "\"/>" SHEET_CLOSE);
	mkbook(t->path, s.data, NULL);
	buf_free(&s);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_TOO_BIG);
	assert_string_equal(e.path, "xl/worksheets/sheet1.xml");
	assert_int_equal(e.limit, (size_t)4 << 20);
	assert_int_equal(e.line, 1);
}

/* Any document type declaration is refused, so no entity expands. */
static void test_xlsxr_doctype_entities(void **state)
{
	struct tx *t = *state;
	static const char lol[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE worksheet ["
	    "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>";
	char *sheet = xasprintf("%s" SHEET_OPEN "<row><c t=\"inlineStr\"><is>"
				"<t>&c;</t></is></c></row>" SHEET_CLOSE,
				lol);
	mkbook(t->path, sheet, NULL);
	free(sheet);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_XML);
	assert_string_equal(e.path, "xl/worksheets/sheet1.xml");
	/* In the shared strings or the workbook: refused at open. */
	char *sst = xasprintf("%s<sst xmlns=\"" NS_MAIN "\"><si><t>&c;</t>"
			      "</si></sst>",
			      lol);
	mkbook(t->path, SHEET_OPEN SHEET_CLOSE, sst);
	free(sst);
	e = expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_XML);
	assert_string_equal(e.path, "xl/sharedStrings.xml");
	/* An external one, even without entities. */
	mkbook(t->path,
	       "<!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\">" SHEET_OPEN
		   SHEET_CLOSE,
	       NULL);
	expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_XML);
	/* An undeclared entity is malformed XML. */
	mkbook(t->path,
	       SHEET_OPEN "<row><c t=\"str\"><v>&x;</v></c></row>" SHEET_CLOSE,
	       NULL);
	e = expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_XML);
	assert_true(e.detail[0] != '\0'); /* expat's own words */
}

static void test_xlsxr_string_index_out_of_range(void **state)
{
	struct tx *t = *state;
	static const char sst[] =
	    "<sst xmlns=\"" NS_MAIN "\"><si><t>a</t></si><si><t>b</t></si>"
	    "</sst>";
	mkbook(t->path,
	       SHEET_OPEN "<row r=\"1\"><c t=\"s\"><v>1</v></c></row>"
			  "<row r=\"4\"><c t=\"s\"><v>0</v></c>"
			  "<c r=\"C4\" t=\"s\"><v>2</v></c></row>" SHEET_CLOSE,
	       sst);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_STRING);
	assert_int_equal(e.line, 4);
	assert_int_equal(e.column, 3);
	assert_string_equal(e.value, "2");
	assert_int_equal(e.about, FAI_ABOUT_CELL);
	/* Not a number, or huge, or negative. */
	const char *bad[] = {"x", "", "-1", "1e0", "99999999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *sh = xasprintf(SHEET_OPEN "<row r=\"2\"><c t=\"s\"><v>%s"
						"</v></c></row>" SHEET_CLOSE,
				     bad[i]);
		mkbook(t->path, sh, sst);
		free(sh);
		e = expect_fail(t->path, NULL, -FAI_EINVAL,
				FAI_WHY_XLSX_STRING);
		assert_int_equal(e.line, 2);
		assert_int_equal(e.column, 1);
	}
	/* No shared strings at all. */
	mkbook(t->path,
	       SHEET_OPEN "<row><c t=\"s\"><v>0</v></c></row>" SHEET_CLOSE,
	       NULL);
	expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_STRING);
}

static void test_xlsxr_too_many_columns(void **state)
{
	struct tx *t = *state;
	struct buf s;
	buf_init(&s);
	buf_adds(&s,
		 SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\">");
	for (int i = 0; i < 100000; i++)
		buf_adds(&s, "<c><v>1</v></c>");
	buf_adds(&s, "</row>" SHEET_CLOSE);
	mkbook(t->path, s.data, NULL);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_TOO_MANY_COLUMNS);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.limit, XLSX_COLUMNS_MAX);
	/* One cell past XFD, or far past it. */
	buf_reset(&s);
	buf_adds(&s, SHEET_OPEN
		 "<row r=\"3\"><c r=\"XFD3\"><v>1</v></c></row>"
		 "<row r=\"4\"><c r=\"XFE4\"><v>1</v></c></row>" SHEET_CLOSE);
	mkbook(t->path, s.data, NULL);
	e = expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_TOO_MANY_COLUMNS);
	assert_int_equal(e.line, 4);
	buf_reset(&s);
	buf_adds(&s, SHEET_OPEN "<row><c r=\"ZZZZZZZZZZZZZZZZZZZZ1\"><v>1</v>"
				"</c></row>" SHEET_CLOSE);
	mkbook(t->path, s.data, NULL);
	expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_TOO_MANY_COLUMNS);
	buf_free(&s);
}

static void test_xlsxr_too_many_entries(void **state)
{
	struct tx *t = *state;
	size_t n = XLSX_ENTRIES_MAX + 1;
	struct part *p = xcalloc(n, sizeof(*p));
	char **names = xcalloc(n, sizeof(*names));
	p[0] = (struct part){"xl/workbook.xml", WB, 0};
	p[1] = (struct part){"xl/_rels/workbook.xml.rels", RELS, 0};
	p[2] = (struct part){"xl/worksheets/sheet1.xml", SHEET_OPEN SHEET_CLOSE,
			     0};
	for (size_t i = 3; i < n; i++) {
		names[i] = xasprintf("xl/media/image%zu.png", i);
		p[i] = (struct part){names[i], "x", 1};
	}
	mkzip_m(t->path, p, n, ZIP_CM_STORE);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_EINVAL, FAI_WHY_XLSX_TOO_BIG);
	assert_int_equal(e.count, n);
	assert_int_equal(e.limit, XLSX_ENTRIES_MAX);
	/* At the bound, read. */
	mkzip_m(t->path, p, n - 1, ZIP_CM_STORE);
	expect_rows(t->path, NULL, "");
	for (size_t i = 3; i < n; i++)
		free(names[i]);
	free(names);
	free(p);
}

/* The limits of the CSV reader: a cell over 64 KiB, a row over 1 MiB. */
static void test_xlsxr_cell_and_row_limits(void **state)
{
	struct tx *t = *state;
	struct buf s;
	buf_init(&s);
	buf_adds(&s, SHEET_OPEN "<row r=\"2\"><c t=\"inlineStr\"><is><t>");
	for (int i = 0; i < EXCHANGE_FIELD_MAX; i++)
		buf_addc(&s, 'a');
	buf_adds(&s, "</t></is></c></row><row r=\"3\"><c r=\"B3\" "
		     "t=\"inlineStr\"><is><t>");
	for (int i = 0; i <= EXCHANGE_FIELD_MAX; i++)
		buf_addc(&s, 'a');
	buf_adds(&s, "</t></is></c></row>" SHEET_CLOSE);
	mkbook(t->path, s.data, NULL);
	struct fai_err e =
	    expect_fail(t->path, NULL, -FAI_ETOOBIG, FAI_WHY_CELL_TOO_LONG);
	assert_int_equal(e.line, 3);
	assert_int_equal(e.column, 2);
	assert_int_equal(e.limit, EXCHANGE_FIELD_MAX / 1024);
	/* Escapes count decoded: 64 KiB of _x0041_ is one cell's worth. */
	buf_reset(&s);
	buf_adds(&s, SHEET_OPEN "<row><c t=\"inlineStr\"><is><t>");
	for (int i = 0; i < EXCHANGE_FIELD_MAX; i++)
		buf_adds(&s, "_x0041_");
	buf_adds(&s, "</t></is></c></row>" SHEET_CLOSE);
	mkbook(t->path, s.data, NULL);
	struct buf got;
	assert_int_equal(read_rows(t->path, NULL, &got, &e), 1);
	assert_int_equal(got.len, strlen("L1:S") + EXCHANGE_FIELD_MAX);
	buf_free(&got);
	/* A shared string over 64 KiB, used. */
	buf_reset(&s);
	buf_adds(&s, "<sst xmlns=\"" NS_MAIN "\"><si><t>");
	for (int i = 0; i <= EXCHANGE_FIELD_MAX; i++)
		buf_addc(&s, 'b');
	buf_adds(&s, "</t></si></sst>");
	mkbook(t->path,
	       SHEET_OPEN
	       "<row r=\"9\"><c t=\"s\"><v>0</v></c></row>" SHEET_CLOSE,
	       s.data);
	e = expect_fail(t->path, NULL, -FAI_ETOOBIG, FAI_WHY_CELL_TOO_LONG);
	assert_int_equal(e.line, 9);
	/* Twenty cells of 60 KiB (letters that do not compress a hundred
	 * times, or the ratio bound would answer first). */
	buf_reset(&s);
	buf_adds(&s, SHEET_OPEN "<row r=\"7\">");
	uint32_t seed = 1;
	for (int c = 0; c < 20; c++) {
		buf_adds(&s, "<c t=\"inlineStr\"><is><t>");
		for (int i = 0; i < 60 * 1024; i++) {
			seed = seed * 1103515245u + 12345u;
			buf_addc(&s, (char)('a' + (seed >> 16) % 26));
		}
		buf_adds(&s, "</t></is></c>");
	}
	buf_adds(&s, "</row>" SHEET_CLOSE);
	mkbook(t->path, s.data, NULL);
	e = expect_fail(t->path, NULL, -FAI_ETOOBIG, FAI_WHY_ROW_TOO_LONG);
	assert_int_equal(e.line, 7);
	assert_int_equal(e.limit, EXCHANGE_ROW_MAX / 1024);
	buf_free(&s);
}

/* Malformed sheets: the rows before are given, then the error names the
 * row. */
static void test_xlsxr_bad_sheet_xml(void **state)
{
	struct tx *t = *state;
	static const struct {
		const char *sheet;
		long line;
	} cases[] = {
	    {SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c>"
			"<v>2</v></row>" SHEET_CLOSE,
	     2},
	    {SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c>"
			"<v>2</v></c>",
	     2},
	    {SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row><row r=\"1\"><c>"
			"<v>2</v></c></row>" SHEET_CLOSE,
	     1},
	    {SHEET_OPEN
	     "<row r=\"1\"><c><v>1</v></c></row><row r=\"x\"/>" SHEET_CLOSE,
	     1},
	    {SHEET_OPEN
	     "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c "
	     "r=\"B2\"><v>1</v></c><c r=\"A2\"><v>1</v></c></row>" SHEET_CLOSE,
	     2},
	    {SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c "
			"r=\"b2\"><v>1</v></c></row>" SHEET_CLOSE,
	     2},
	    {SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c "
			"t=\"zz\"><v>1</v></c></row>" SHEET_CLOSE,
	     2},
	    {SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c "
			"t=\"b\"><v>2</v></c></row>" SHEET_CLOSE,
	     2},
	    {SHEET_OPEN
	     "<row r=\"1\"><c><v>1</v></c></row><c><v>1</v></c>" SHEET_CLOSE,
	     1},
	    {SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row><row "
			"r=\"2000000\"/>" SHEET_CLOSE,
	     1},
	    {"not xml at all", 0},
	    {"<a>\xff</a>", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mkbook(t->path, cases[i].sheet, NULL);
		struct buf got;
		struct fai_err e;
		int rc = read_rows(t->path, NULL, &got, &e);
		if (rc != -FAI_EINVAL || e.why != FAI_WHY_XLSX_XML ||
		    e.line != cases[i].line)
			fail_msg("case %zu: rc %d why %d line %ld", i, rc,
				 e.why, e.line);
		assert_string_equal(e.file, t->path);
		assert_string_equal(got.data, cases[i].line > 0 ? "L1:N1" : "");
		buf_free(&got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xlsxr_sniff),
	    cmocka_unit_test_setup_teardown(
		test_xlsxr_libxlsxwriter_shared_strings, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_xlsxr_libxlsxwriter_inline_strings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_size_hash_progress,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_hand_made_cells, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_shared_strings_spilled,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_no_shared_strings_part,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_date1904, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_missing_sheet, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_missing_part, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_openpyxl, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_fifo_and_stdin, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_not_a_file, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_not_a_zip, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_truncated_zip, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_zip_bomb, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_huge_tag, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_doctype_entities, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_xlsxr_string_index_out_of_range, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_too_many_columns, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_too_many_entries, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_cell_and_row_limits,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xlsxr_bad_sheet_xml, setup,
					    teardown),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
