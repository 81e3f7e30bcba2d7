/* import_sheet.c - what a spreadsheet did to a row, undone as the row is
 * read (the first pass of `fai import`), before any check: codes that
 * lost their leading zeros, French dates and local times, serial day
 * numbers of a workbook, whole numbers written "3,0".  The rules are
 * core/sheet.c's; this file applies them to the cells of the known
 * columns.  A value no rule reads for sure is left as it is, for the
 * checks to refuse with the usual reasons. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/isotime.h"
#include "../core/sheet.h"
#include "../core/xmalloc.h"
#include "import_int.h"
#include "xlsx.h"

/* A workbook's number cell as plain digits when it is a whole number a
 * double holds exactly ("7.3282932000074E13" -> "73282932000074"); else
 * 0 and the text stays. */
static int number_digits(const char *v, char *out, size_t size)
{
	char *end;
	double x = strtod(v, &end);
	if (end == v || *end || !(x > -1e15 && x < 1e15) ||
	    x != (double)(long long)x)
		return 0;
	snprintf(out, size, "%lld", (long long)x);
	return strcmp(out, v) != 0;
}

/* The repaired text of one cell of field f ("" when none applies):
 * returns 1 and fills out, 0 to keep v.  *code is set when it restored a
 * code's leading zeros. */
static int repair_cell(int f, const char *v, int kind, int date1904,
		       struct buf *out, int *code)
{
	char tmp[64], iso[ISOTIME_LEN];
	int64_t t;

	buf_reset(out);
	if (kind == XLSX_CELL_NUMBER &&
	    (f == IDEA_LAUNCH_DATE || f == IDEA_CREATED_AT ||
	     f == IDEA_UPDATED_AT || f == IDEA_STAGE_SINCE)) {
		/* a serial day number: a date, or a local date and time */
		char *end;
		double serial = strtod(v, &end);
		int date = f == IDEA_LAUNCH_DATE;
		/* a workbook counting from 1904 (old Excel for the Mac) */
		if (date1904)
			serial += 1462;
		if (end == v || *end || sheet_serial_time(serial, !date, &t))
			return 0;
		if (date)
			isotime_format_date(t, iso);
		else
			isotime_format(t, iso);
		buf_adds(out, iso);
		return 1;
	}
	if (kind == XLSX_CELL_NUMBER && number_digits(v, tmp, sizeof(tmp)))
		v = tmp; /* and on to the code rules */
	switch (f) {
	case IDEA_REGION:
	case IDEA_TERRITORY:
	case IDEA_SIRET: {
		char fixed[SHEET_CODE_MAX];
		if (sheet_repair_code((enum idea_field)f, v, fixed)) {
			*code = 1;
			buf_adds(out, fixed);
			return 1;
		}
		break;
	}
	case IDEA_LAUNCH_DATE: {
		char d[ISODATE_LEN];
		if (sheet_date_fr(v, d) == 0) {
			buf_adds(out, d);
			return 1;
		}
		break;
	}
	case IDEA_CREATED_AT:
	case IDEA_UPDATED_AT:
	case IDEA_STAGE_SINCE:
		if (sheet_time_fr(v, &t) == 0) {
			isotime_format(t, iso);
			buf_adds(out, iso);
			return 1;
		}
		break;
	case IDEA_JOBS:
	case IDEA_REVISION:
		if (sheet_whole_number(v, tmp, sizeof(tmp))) {
			buf_adds(out, tmp);
			return 1;
		}
		break;
	}
	if (v == tmp) { /* a workbook's number, as digits */
		buf_adds(out, tmp);
		return 1;
	}
	return 0;
}

struct csvr_row *import_sheet_row(struct import *im, struct csvr_row *row,
				  const unsigned char *kinds,
				  struct import_fix *fix)
{
	size_t n = row->n < im->cs.n ? row->n : im->cs.n;
	size_t nfix = 0;

	fix->codes = 0;
	buf_reset(&fix->text);
	for (size_t i = 0; i < n; i++) {
		int f = im->cs.c[i].field, code = 0;
		int kind = kinds ? kinds[i] : XLSX_CELL_STRING;
		if (f < 0 || row->lens[i] == 0 ||
		    strlen(row->cells[i]) != row->lens[i])
			continue;
		if (!repair_cell(f, row->cells[i], kind,
				 im->x && xlsxr_date1904(im->x), &fix->one,
				 &code))
			continue;
		fix->codes += (unsigned)code;
		if (nfix == fix->cap) {
			fix->cap = fix->cap ? 2 * fix->cap : 8;
			fix->at =
			    xrealloc(fix->at, fix->cap * sizeof(*fix->at));
		}
		fix->at[nfix].col = i;
		fix->at[nfix].off = fix->text.len;
		fix->at[nfix].len = fix->one.len;
		nfix++;
		/* with its NUL */
		buf_add(&fix->text, fix->one.data, fix->one.len + 1);
	}
	/* A workbook leaves out a row's blank cells after its last value:
	 * they are empty cells of the header's columns. */
	size_t width = kinds && row->n < im->cs.n ? im->cs.n : row->n;
	if (!nfix && width == row->n)
		return row;
	/* a copy of the row's pointers, the repaired cells pointing into
	 * fix's text once it no longer moves */
	if (width > fix->ncells) {
		fix->ncells = width;
		fix->cells = xrealloc(fix->cells, width * sizeof(char *));
		fix->lens = xrealloc(fix->lens, width * sizeof(size_t));
	}
	memcpy(fix->cells, row->cells, row->n * sizeof(char *));
	memcpy(fix->lens, row->lens, row->n * sizeof(size_t));
	for (size_t i = row->n; i < width; i++) {
		fix->cells[i] = (char *)fix->empty;
		fix->lens[i] = 0;
	}
	for (size_t k = 0; k < nfix; k++) {
		fix->cells[fix->at[k].col] = fix->text.data + fix->at[k].off;
		fix->lens[fix->at[k].col] = fix->at[k].len;
	}
	fix->row.cells = fix->cells;
	fix->row.lens = fix->lens;
	fix->row.n = width;
	fix->row.line = row->line;
	return &fix->row;
}

void import_fix_free(struct import_fix *fix)
{
	buf_free(&fix->text);
	buf_free(&fix->one);
	free(fix->at);
	free(fix->cells);
	free(fix->lens);
	memset(fix, 0, sizeof(*fix));
}
