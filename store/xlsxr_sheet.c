/* xlsxr_sheet.c - the XLSX reader's two streaming parsers: the shared
 * strings and the sheet, a row at a time, and the text of their cells
 * (the OOXML escapes _xHHHH_ decoded).
 *
 * The shared strings are kept, all of them in one buffer (NUL after each)
 * with an array of offsets: the only thing held in memory (past
 * XLSXR_SST_SPILL bytes, in an unlinked temporary file, mapped once the
 * part is read).  The sheet itself is parsed as xlsxr_next asks for rows:
 * a block inflates into expat's buffer, and the parser suspends itself at
 * the end of each row, so one row at a time is built and memory stays
 * flat whatever the sheet's length.  Rows go down the sheet and cells
 * right, each once, within Excel's bounds.  The state is struct xlsxr
 * (xlsxr_int.h); the parts are read by xlsxr_zip.c. */
#include "xlsxr_int.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "../core/exchange.h"
#include "../core/utf8.h"
#include "../core/xmalloc.h"

#define XLSXR_ROWS_MAX 1048576 /* Excel's last row */
/* Raw text captured for one cell: an escape _xHHHH_ (7 bytes) decodes to
 * 1 to 3 bytes, so 7 times the cell bound is enough to judge the decoded
 * text against EXCHANGE_FIELD_MAX. */
#define XLSXR_RAW_MAX (7 * (size_t)EXCHANGE_FIELD_MAX)
/* Shared strings' text past this goes to a temporary file (sst_spill). */
#define XLSXR_SST_SPILL ((size_t)1 << 20)

/* ------------------------------------------------------------ text */

/* The code unit of an escape _xHHHH_ at s (n bytes left), or -1. */
static long escape_at(const char *s, size_t n)
{
	long v = 0;
	if (n < 7 || s[0] != '_' || (s[1] != 'x' && s[1] != 'X') || s[6] != '_')
		return -1;
	for (int i = 2; i < 6; i++) {
		int h = utf8_hex_digit(s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void add_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, u, n);
}

/* Appends s[0..n) to b with the OOXML escapes _xHHHH_ decoded (UTF-16
 * code units: a surrogate pair gives one character, a lone surrogate
 * U+FFFD); _x005F_ is how a literal "_" before "x" is written. */
static void unescape(struct buf *b, const char *s, size_t n)
{
	size_t from = 0, i = 0;
	while (i < n) {
		const char *u = memchr(s + i, '_', n - i);
		if (!u)
			break;
		i = (size_t)(u - s);
		long v = escape_at(s + i, n - i);
		if (v < 0) {
			i++;
			continue;
		}
		buf_add(b, s + from, i - from);
		i += 7;
		uint32_t cp = (uint32_t)v;
		if (v >= 0xd800 && v < 0xdc00) {
			long lo = escape_at(s + i, n - i);
			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + (((uint32_t)v - 0xd800) << 10) +
				     ((uint32_t)lo - 0xdc00);
				i += 7;
			} else {
				cp = 0xfffd;
			}
		} else if (v >= 0xdc00 && v < 0xe000) {
			cp = 0xfffd;
		}
		add_utf8(b, cp);
		from = i;
	}
	buf_add(b, s + from, n - from);
}

/* ------------------------------------------------------------ strings */

/* The bytes of shared strings' text so far, spilled or not. */
static size_t sst_bytes(const struct xlsxr *r)
{
	return r->sst_spilled + r->sst.len;
}

/* Moves the gathered text to the temporary file.  0, or -1 (errno). */
static int sst_spill(struct xlsxr *r)
{
	if (r->sst_fd < 0 && (r->sst_fd = xlsxr_temp_fd()) < 0)
		return -1;
	if (r->sst.len &&
	    xlsxr_write_all(r->sst_fd, r->sst.data, r->sst.len) != 0)
		return -1;
	r->sst_spilled += r->sst.len;
	buf_reset(&r->sst);
	return 0;
}

/* The shared strings' text, once the part is read: mapped when it was
 * spilled.  Returns 0 or a negative error. */
int xlsxr_sst_finish(struct xlsxr *r, struct fai_err *err)
{
	if (r->sst_fd < 0)
		return 0; /* small: it stays in sst */
	if (sst_spill(r) != 0)
		return xlsxr_fail_io(r, errno, err);
	r->sst_map =
	    mmap(NULL, r->sst_spilled, PROT_READ, MAP_PRIVATE, r->sst_fd, 0);
	if (r->sst_map == MAP_FAILED) {
		r->sst_map = NULL;
		return xlsxr_fail_io(r, errno, err);
	}
	r->sst_maplen = r->sst_spilled;
	return 0;
}

void XMLCALL xlsxr_on_text(void *arg, const XML_Char *s, int len)
{
	struct xlsxr *r = arg;
	if (!r->capture || r->crc)
		return;
	if (r->kind == PART_STRINGS &&
	    sst_bytes(r) + r->text.len + (size_t)len >= XLSX_STRINGS_MAX) {
		xlsxr_cb_stop(
		    r, xlsxr_fail_big(r, &r->cerr, r->part,
				      sst_bytes(r) + r->text.len + (size_t)len,
				      XLSX_STRINGS_MAX));
		return;
	}
	if (r->kind == PART_SHEET &&
	    r->text.len + (size_t)len > XLSXR_RAW_MAX) {
		xlsxr_cb_stop(r, xlsxr_fail_cell(r, &r->cerr, FAI_ETOOBIG,
						 FAI_WHY_CELL_TOO_LONG, NULL));
		r->cerr.limit = EXCHANGE_FIELD_MAX / 1024;
		return;
	}
	buf_add(&r->text, s, (size_t)len);
}

void XMLCALL xlsxr_sst_start(void *arg, const XML_Char *name,
			     const XML_Char **atts)
{
	struct xlsxr *r = arg;
	const char *l = xlsxr_local(name);
	(void)atts;
	if (r->crc)
		return;
	if (strcmp(l, "si") == 0) {
		r->in_si = 1;
		r->rph = 0;
		buf_reset(&r->text);
	} else if (strcmp(l, "rPh") == 0 && r->in_si) {
		r->rph++;
	} else if (strcmp(l, "t") == 0 && r->in_si && !r->rph) {
		r->capture = 1;
	}
}

void XMLCALL xlsxr_sst_end(void *arg, const XML_Char *name)
{
	struct xlsxr *r = arg;
	const char *l = xlsxr_local(name);
	if (r->crc)
		return;
	if (strcmp(l, "t") == 0) {
		r->capture = 0;
	} else if (strcmp(l, "rPh") == 0 && r->rph) {
		r->rph--;
	} else if (strcmp(l, "si") == 0 && r->in_si) {
		size_t held = sst_bytes(r) + r->text.len + 1 +
			      (r->nsst + 1) * sizeof(*r->soff);
		if (held > XLSX_STRINGS_MAX) {
			xlsxr_cb_stop(r,
				      xlsxr_fail_big(r, &r->cerr, r->part, held,
						     XLSX_STRINGS_MAX));
			return;
		}
		if (r->nsst + 1 >= r->capsst) {
			r->capsst = r->capsst ? r->capsst * 2 : 1024;
			r->soff =
			    xrealloc(r->soff, r->capsst * sizeof(*r->soff));
		}
		r->soff[r->nsst++] = sst_bytes(r);
		unescape(&r->sst, r->text.data ? r->text.data : "",
			 r->text.len);
		buf_add(&r->sst, "", 1);
		r->soff[r->nsst] = sst_bytes(r);
		buf_reset(&r->text);
		r->in_si = 0;
		if (r->sst.len >= XLSXR_SST_SPILL && sst_spill(r) != 0)
			xlsxr_cb_stop(r, xlsxr_fail_io(r, errno, &r->cerr));
	}
}

/* ------------------------------------------------------------ sheet */

/* Adds a cell to the row being built.  Returns 0 or a negative error. */
static int row_add(struct xlsxr *r, const char *s, size_t len,
		   unsigned char kind)
{
	if (len > EXCHANGE_FIELD_MAX) {
		int rc = xlsxr_fail_cell(r, &r->cerr, FAI_ETOOBIG,
					 FAI_WHY_CELL_TOO_LONG, NULL);
		r->cerr.limit = EXCHANGE_FIELD_MAX / 1024; /* KiB */
		return rc;
	}
	r->row_bytes += len + 1;
	if (r->row_bytes > EXCHANGE_ROW_MAX) {
		fai_err_set_about(&r->cerr, FAI_ETOOBIG, FAI_WHY_ROW_TOO_LONG,
				  FAI_ABOUT_ROW, "row", NULL);
		xlsxr_err_where(r, &r->cerr);
		r->cerr.limit = EXCHANGE_ROW_MAX / 1024; /* KiB */
		return -FAI_ETOOBIG;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->offs = xrealloc(r->offs, r->cap * sizeof(*r->offs));
		r->lens = xrealloc(r->lens, r->cap * sizeof(*r->lens));
		r->kinds = xrealloc(r->kinds, r->cap);
		r->cells = xrealloc(r->cells, r->cap * sizeof(*r->cells));
	}
	r->offs[r->n] = r->data.len;
	r->lens[r->n] = len;
	r->kinds[r->n] = kind;
	buf_add(&r->data, s, len); /* NULs kept */
	buf_add(&r->data, "", 1);
	r->n++;
	return 0;
}

/* The column of a reference "B7" (from 0), -2 past XFD, -1 when it is no
 * reference. */
static long ref_column(const char *ref)
{
	long c = 0;
	size_t i = 0;
	for (; ref[i] >= 'A' && ref[i] <= 'Z'; i++) {
		c = c * 26 + (ref[i] - 'A' + 1);
		if (c > XLSX_COLUMNS_MAX)
			return -2;
	}
	if (i == 0)
		return -1;
	for (size_t k = i; ref[k]; k++)
		if (ref[k] < '0' || ref[k] > '9')
			return -1;
	return c - 1;
}

/* A whole number written in decimal digits, or -1. */
static long long digits(const char *s, size_t n, long long max)
{
	long long v = 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > max)
			return -1;
	}
	return v;
}

/* s[0..*n) without the XML spaces around it. */
static const char *trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, (*n)--;
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' ||
		      s[*n - 1] == '\r' || s[*n - 1] == '\n'))
		(*n)--;
	return s;
}

/* A malformed sheet: value what was refused (an attribute), the row, and
 * the cell when in one. */
static int sheet_xml_fail(struct xlsxr *r, const char *value)
{
	fai_err_set_about(&r->cerr, FAI_EINVAL, FAI_WHY_XLSX_XML,
			  r->in_c ? FAI_ABOUT_CELL : FAI_ABOUT_ROW, NULL,
			  value);
	xlsxr_err_where(r, &r->cerr);
	fai_err_path(&r->cerr, r->part);
	r->cerr.column = r->in_c ? r->col + 1 : 0;
	return -FAI_EINVAL;
}

static void row_begin(struct xlsxr *r, const XML_Char **atts)
{
	const char *num = xlsxr_attr(atts, "r");
	long row = r->row_num + 1;
	if (num) {
		long long v = digits(num, strlen(num), XLSXR_ROWS_MAX);
		if (v < 1) {
			xlsxr_cb_stop(r, sheet_xml_fail(r, num));
			return;
		}
		row = (long)v;
	}
	if (row <= r->row_num || row > XLSXR_ROWS_MAX) {
		/* Rows go down the sheet, each once. */
		r->row_num = row;
		xlsxr_cb_stop(r, sheet_xml_fail(r, num));
		return;
	}
	r->row_num = row;
	r->in_row = 1;
	r->next_col = 0;
	r->n = 0;
	r->row_bytes = 0;
	buf_reset(&r->data);
}

static void cell_begin(struct xlsxr *r, const XML_Char **atts)
{
	const char *ref = xlsxr_attr(atts, "r"), *t = xlsxr_attr(atts, "t");
	long c = r->next_col;
	if (ref) {
		c = ref_column(ref);
		if (c == -1) {
			xlsxr_cb_stop(r, sheet_xml_fail(r, ref));
			return;
		}
	}
	r->col = c;
	if (c < 0 || c >= XLSX_COLUMNS_MAX) {
		fai_err_set_about(&r->cerr, FAI_EINVAL,
				  FAI_WHY_TOO_MANY_COLUMNS, FAI_ABOUT_ROW, NULL,
				  ref);
		xlsxr_err_where(r, &r->cerr);
		r->cerr.count = c < 0 ? XLSX_COLUMNS_MAX + 1 : (uint64_t)c + 1;
		r->cerr.limit = XLSX_COLUMNS_MAX;
		xlsxr_cb_stop(r, -FAI_EINVAL);
		return;
	}
	if (c < r->next_col) { /* cells go right, each once */
		xlsxr_cb_stop(r, sheet_xml_fail(r, ref));
		return;
	}
	if (!t || strcmp(t, "n") == 0)
		r->ctype = 'n';
	else if (strcmp(t, "s") == 0)
		r->ctype = 's';
	else if (strcmp(t, "inlineStr") == 0)
		r->ctype = 'i';
	else if (strcmp(t, "str") == 0)
		r->ctype = 'S';
	else if (strcmp(t, "b") == 0)
		r->ctype = 'b';
	else if (strcmp(t, "e") == 0)
		r->ctype = 'e';
	else if (strcmp(t, "d") == 0)
		r->ctype = 'd';
	else {
		r->in_c = 1;
		xlsxr_cb_stop(r, sheet_xml_fail(r, t));
		return;
	}
	/* The empty cells before it. */
	while (r->n < (size_t)c) {
		int rc = row_add(r, "", 0, XLSX_CELL_EMPTY);
		if (rc) {
			xlsxr_cb_stop(r, rc);
			return;
		}
	}
	r->in_c = 1;
	r->has_v = r->has_is = 0;
	r->rph = 0;
	buf_reset(&r->text);
}

/* The value of the cell just closed, added to the row. */
static int cell_end(struct xlsxr *r)
{
	const char *s = r->text.data ? r->text.data : "";
	size_t n = r->text.len;
	unsigned char kind = XLSX_CELL_STRING;
	r->next_col = r->col + 1;
	if (!r->has_v && !r->has_is)
		return row_add(r, "", 0, XLSX_CELL_EMPTY);
	buf_reset(&r->dec);
	switch (r->ctype) {
	case 's': {
		size_t tn = n;
		const char *ts = trim(s, &tn);
		long long i = digits(ts, tn, (long long)1 << 40);
		if (i < 0 || (unsigned long long)i >= r->nsst)
			return xlsxr_fail_cell(r, &r->cerr, FAI_EINVAL,
					       FAI_WHY_XLSX_STRING,
					       tn ? ts : "");
		size_t from = r->soff[i];
		const char *text = r->sst_map ? r->sst_map : r->sst.data;
		return row_add(r, text + from, r->soff[i + 1] - 1 - from,
			       XLSX_CELL_STRING);
	}
	case 'i':
	case 'S':
	case 'd':
		if (r->ctype == 'd')
			s = trim(s, &n);
		else
			unescape(&r->dec, s, n);
		if (r->ctype != 'd') {
			s = r->dec.data ? r->dec.data : "";
			n = r->dec.len;
		}
		return row_add(r, s, n, XLSX_CELL_STRING);
	case 'b':
		s = trim(s, &n);
		if ((n == 1 && s[0] == '1') ||
		    (n == 4 && !strncmp(s, "true", 4)))
			return row_add(r, "TRUE", 4, XLSX_CELL_BOOL);
		if ((n == 1 && s[0] == '0') ||
		    (n == 5 && !strncmp(s, "false", 5)))
			return row_add(r, "FALSE", 5, XLSX_CELL_BOOL);
		buf_add(&r->dec, s, n < 64 ? n : 64);
		return xlsxr_fail_cell(r, &r->cerr, FAI_EINVAL,
				       FAI_WHY_XLSX_XML,
				       r->dec.data ? r->dec.data : "");
	case 'e':
		kind = XLSX_CELL_ERROR;
		s = trim(s, &n);
		break;
	default:
		kind = XLSX_CELL_NUMBER;
		s = trim(s, &n);
		break;
	}
	if (n == 0)
		kind = XLSX_CELL_EMPTY;
	return row_add(r, s, n, kind);
}

void XMLCALL xlsxr_sheet_start(void *arg, const XML_Char *name,
			       const XML_Char **atts)
{
	struct xlsxr *r = arg;
	const char *l = xlsxr_local(name);
	if (r->crc)
		return;
	if (!r->in_data) {
		if (strcmp(l, "sheetData") == 0)
			r->in_data = 1;
		return;
	}
	if (!r->in_row) {
		if (strcmp(l, "row") == 0)
			row_begin(r, atts);
		else
			xlsxr_cb_stop(r, sheet_xml_fail(r, NULL));
		return;
	}
	if (!r->in_c) {
		if (strcmp(l, "c") == 0)
			cell_begin(r, atts);
		/* else: extensions of a row, ignored */
		return;
	}
	if (strcmp(l, "v") == 0 && !r->in_is) {
		r->capture = 1;
		r->has_v = 1;
	} else if (strcmp(l, "is") == 0) {
		r->in_is = 1;
		r->has_is = 1;
		buf_reset(&r->text);
	} else if (strcmp(l, "rPh") == 0 && r->in_is) {
		r->rph++;
	} else if (strcmp(l, "t") == 0 && r->in_is && !r->rph) {
		r->capture = 1;
	}
}

void XMLCALL xlsxr_sheet_end(void *arg, const XML_Char *name)
{
	struct xlsxr *r = arg;
	const char *l = xlsxr_local(name);
	if (r->crc || !r->in_data)
		return;
	if (r->in_c) {
		if (strcmp(l, "v") == 0 || strcmp(l, "t") == 0) {
			r->capture = 0;
		} else if (strcmp(l, "rPh") == 0 && r->rph) {
			r->rph--;
		} else if (strcmp(l, "is") == 0) {
			r->in_is = 0;
		} else if (strcmp(l, "c") == 0) {
			int rc = cell_end(r);
			r->in_c = 0;
			r->capture = 0;
			if (rc)
				xlsxr_cb_stop(r, rc);
		}
		return;
	}
	if (r->in_row && strcmp(l, "row") == 0) {
		r->in_row = 0;
		/* Blank cells at the end hold nothing: the row ends with its
		 * last value. */
		while (r->n > 0 && r->kinds[r->n - 1] == XLSX_CELL_EMPTY)
			r->data.len = r->offs[--r->n];
		if (r->n > 0) {
			r->row_ready = 1;
			XML_StopParser(r->p, XML_TRUE);
		}
	} else if (!r->in_row && strcmp(l, "sheetData") == 0) {
		r->in_data = 0;
	}
}
