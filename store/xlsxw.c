/* xlsxw.c - writing the exchange file as an XLSX workbook, through
 * libxlsxwriter (1.1.4) in its constant-memory mode.
 *
 * A writer owns a private directory (mkdtemp under $TMPDIR or /tmp, mode
 * 0700) where libxlsxwriter keeps its temporary files (unlinked as soon as
 * made) and where the workbook itself is written, as "w.xlsx"; finish
 * copies that file to the export's stream, and finish or free removes the
 * directory and whatever is in it (unlinkat: a link is removed, never
 * followed).  Sheet 1 streams its rows: each row goes to a temporary file
 * when the next one starts, so memory stays flat.  Sheet 2, the legend, is
 * written whole when the writer starts.
 *
 * What libxlsxwriter does with text, found by writing and unzipping:
 * in constant-memory mode every string is an inline string (<is><t>); it
 * escapes the control characters 0x01-0x1F but TAB and LF as _xHHHH_ (CR
 * too: _x000D_), keeps TAB, LF and DEL as they are, and writes anything
 * else raw: a literal "_x0041_" would read back as "A" in Excel or
 * LibreOffice (OOXML's ST_Xstring escape), U+FFFE and U+FFFF make the
 * part malformed XML, and a NUL ends the C string it is given.  So this
 * module escapes them itself before libxlsxwriter sees the text: the "_"
 * of every "_xHHHH_" becomes "_x005F_", NUL becomes "_x0000_", U+FFFE and
 * U+FFFF "_xFFFE_" and "_xFFFF_"; a reader that decodes _xHHHH_ once, left
 * to right (store/xlsxr.c, Excel, LibreOffice) gets back exactly the text
 * written.  (openpyxl 3.0.9 decodes nothing in inline strings: its tests
 * decode with openpyxl.utils.escape.unescape.)
 *
 * Values are never cut: a text over XLSX_CELL_CHARS UTF-16 units fails the
 * row.  libxlsxwriter counts its own bound (32767) in code points of the
 * text it is given, escapes included: an escaped text over it fails the
 * same way, its count then the escaped length.
 *
 * The autofilter is set by finish over the header and the rows written:
 * libxlsxwriter keeps the range in the worksheet and writes <autoFilter>
 * after the sheet data when the workbook is closed, so in constant-memory
 * mode it may come after the rows (checked with 1.1.4).
 *
 * libxlsxwriter prints its own warnings on standard error when one of its
 * calls fails; every argument is checked here first so that none of them
 * fails in normal use (sheet names are the caller's constants). */
#include "xlsx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../core/exchange.h"
#include "../core/utf8.h"
#include "../core/xmalloc.h"

#define XLSXW_FILE "w.xlsx"
/* The last row a sheet holds (0-based), and its columns. */
#define XLSXW_ROW_LAST ((uint32_t)LXW_ROW_MAX - 1)
#define XLSXW_COL_COUNT ((size_t)LXW_COL_MAX)
/* libxlsxwriter's bound on a string, in code points (LXW_STR_MAX in its
 * worksheet.c, not in its headers). */
#define XLSXW_LXW_STR_MAX 32767

struct xlsxw {
	char *dir;	  /* the private directory, NULL once removed */
	char *file;	  /* the workbook in it */
	lxw_workbook *wb; /* NULL once closed */
	lxw_worksheet *ws;
	lxw_format *bold, *date, *time, *wrap;
	size_t n;		/* columns */
	unsigned char *kind;	/* each column's enum xlsx_kind */
	unsigned char *wrapped; /* each column's wrap */
	char **code;		/* each column's code, for errors */
	size_t col;		/* the next cell's column */
	uint32_t row;		/* the current row (0 is the header) */
	struct buf esc;		/* a text as libxlsxwriter gets it */
	int failed;		/* 0, or the negative error of a row */
	struct fai_err ferr;	/* ... and its details */
};

/* ------------------------------------------------------------ errors */

/* A write failed with errno e: a full disk says so. */
static int xlsxw_io_failed(struct fai_err *err, int e, const char *lxw)
{
	int code = e == ENOSPC || e == EDQUOT ? FAI_ENOSPACE : FAI_EIO;
	fai_err_set_about(err, code, FAI_WHY_NONE, FAI_ABOUT_OUTPUT, "output",
			  NULL);
	if (lxw)
		fai_err_detail(err, "%s%s%s", lxw, e ? ": " : "",
			       e ? strerror(e) : "");
	else
		fai_err_detail(err, "%s", strerror(e));
	if (err)
		err->sys_errno = e;
	return -code;
}

/* Keeps the first failure of a row for xlsxw_row_end and finish. */
static void xlsxw_fail(struct xlsxw *w, int rc)
{
	if (!w->failed)
		w->failed = rc;
}

/* ------------------------------------------------------------ text */

/* Returns 1 when s[0..n) starts with "_xHHHH_" (OOXML's escape). */
static int xlsxw_is_escape(const char *s, size_t n)
{
	if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return 0;
	for (int i = 2; i < 6; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

/* Puts s[0..n) into w->esc, escaped as the header comment says and
 * NUL-terminated; *units gets its length in UTF-16 units, *points the
 * escaped text's length in code points (libxlsxwriter's count).  Returns
 * 0, or -1 when s is not valid UTF-8. */
static int xlsxw_escape(struct xlsxw *w, const char *s, size_t n, size_t *units,
			size_t *points)
{
	size_t i = 0, u = 0, p = 0;

	buf_reset(&w->esc);
	if (utf8_check(s, n) != n)
		return -1;
	while (i < n) {
		size_t run = i;
		unsigned char c;

		/* The bytes kept as they are, counted, then copied at once. */
		for (; run < n; run++) {
			c = (unsigned char)s[run];
			if (c == '_' || c == 0 || c == 0xEF)
				break;
			if ((c & 0xC0) != 0x80) {
				p++;
				u += c >= 0xF0 ? 2 : 1;
			}
		}
		buf_add(&w->esc, s + i, run - i);
		i = run;
		if (i == n)
			break;
		c = (unsigned char)s[i];
		if (c == '_' && xlsxw_is_escape(s + i, n - i)) {
			buf_add(&w->esc, "_x005F_", 7);
			i++, u++, p += 7;
		} else if (c == 0) {
			buf_add(&w->esc, "_x0000_", 7);
			i++, u++, p += 7;
		} else if (c == 0xEF && n - i >= 3 &&
			   (unsigned char)s[i + 1] == 0xBF &&
			   (unsigned char)s[i + 2] >= 0xBE) {
			/* U+FFFE, U+FFFF: (valid UTF-8, checked above) */
			buf_add(&w->esc,
				s[i + 2] == '\xBE' ? "_xFFFE_" : "_xFFFF_", 7);
			i += 3, u++, p += 7;
		} else {
			buf_addc(&w->esc, (char)c); /* '_', or EF of another */
			i++, u++, p++;
		}
	}
	buf_addc(&w->esc, '\0');
	*units = u;
	*points = p;
	return 0;
}

/* Escapes s (NUL-terminated, trusted: titles and the legend) into w->esc
 * and returns it, or "" when it is no valid UTF-8. */
static const char *xlsxw_label(struct xlsxw *w, const char *s)
{
	size_t u, p;
	if (!s || xlsxw_escape(w, s, strlen(s), &u, &p) != 0)
		return "";
	return w->esc.data;
}

/* ------------------------------------------------------------ dates */

/* Reads n digits at s; -1 when one is not a digit. */
static int xlsxw_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int xlsxw_month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads "YYYY-MM-DD" at s into d (time 00:00:00); 0, or -1 when it is no
 * such date or a spreadsheet cannot hold it (before 1900, after 9999). */
static int xlsxw_parse_date(const char *s, size_t n, lxw_datetime *d)
{
	int y, m, day;
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = xlsxw_digits(s, 4);
	m = xlsxw_digits(s + 5, 2);
	day = xlsxw_digits(s + 8, 2);
	if (y < 1900 || m < 1 || m > 12 || day < 1 ||
	    day > xlsxw_month_days(y, m))
		return -1;
	memset(d, 0, sizeof(*d));
	d->year = y;
	d->month = m;
	d->day = day;
	return 0;
}

/* Reads "YYYY-MM-DDTHH:MM:SSZ" (UTC) at s into d in the local time of TZ;
 * 0, or -1 when it is no such time or its local date is out of range. */
static int xlsxw_parse_time(const char *s, size_t n, lxw_datetime *d)
{
	struct tm utc, loc;
	time_t t;
	int h, mi, se;

	if (n != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z' || xlsxw_parse_date(s, 10, d) != 0)
		return -1;
	h = xlsxw_digits(s + 11, 2);
	mi = xlsxw_digits(s + 14, 2);
	se = xlsxw_digits(s + 17, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
		return -1;
	memset(&utc, 0, sizeof(utc));
	utc.tm_year = d->year - 1900;
	utc.tm_mon = d->month - 1;
	utc.tm_mday = d->day;
	utc.tm_hour = h;
	utc.tm_min = mi;
	utc.tm_sec = se;
	t = timegm(&utc);
	if (!localtime_r(&t, &loc) || loc.tm_year < 0 ||
	    loc.tm_year > 9999 - 1900)
		return -1;
	d->year = loc.tm_year + 1900;
	d->month = loc.tm_mon + 1;
	d->day = loc.tm_mday;
	d->hour = loc.tm_hour;
	d->min = loc.tm_min;
	d->sec = loc.tm_sec;
	return 0;
}

/* Returns 1 when s[0..n) is a whole number a double holds exactly and
 * writes back the same: "0", or an optional "-" and 1 to 15 digits without
 * a leading zero. */
static int xlsxw_is_whole(const char *s, size_t n, double *v)
{
	size_t i = 0;
	long long x = 0;
	if (n > 0 && s[0] == '-')
		i = 1;
	if (n == i || n - i > 15 || (s[i] == '0' && n - i > 1) ||
	    (i == 1 && s[1] == '0'))
		return 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		x = x * 10 + (s[i] - '0');
	}
	*v = (double)(s[0] == '-' ? -x : x);
	return 1;
}

/* ------------------------------------------------------------ directory */

/* Removes w's directory and everything in it; never follows a link. */
static void xlsxw_rmdir(struct xlsxw *w)
{
	DIR *d;
	struct dirent *de;

	if (!w->dir)
		return;
	d = opendir(w->dir);
	if (d) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			unlinkat(dirfd(d), de->d_name, 0);
		}
		closedir(d);
	}
	rmdir(w->dir);
	free(w->dir);
	w->dir = NULL;
}

/* ------------------------------------------------------------ writer */

static unsigned xlsxw_width(const struct xlsx_column *c)
{
	if (c->width)
		return c->width;
	switch (c->kind) {
	case XLSX_NUMBER:
		return 10;
	case XLSX_DATE:
		return 12;
	case XLSX_TIME:
		return 20;
	case XLSX_TEXT:
		break;
	}
	return c->wrap ? 50 : 20;
}

/* The legend: one row per column (title, code, about) under a header. */
static int xlsxw_legend(struct xlsxw *w, const char *name,
			const struct xlsx_column *cols, size_t n)
{
	/* The legend's own header, in the file's language (French, as the
	 * columns' titles the caller gives). */
	const char *const *head = exchange_fr.legend_head;
	lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
	lxw_error e = LXW_NO_ERROR;

	if (!ws)
		return -1;
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 20, NULL);
	worksheet_set_column(ws, 2, 2, 80, w->wrap);
	for (int c = 0; c < 3 && !e; c++)
		e = worksheet_write_string(ws, 0, (lxw_col_t)c, head[c],
					   w->bold);
	for (size_t i = 0; i < n && !e; i++) {
		lxw_row_t r = (lxw_row_t)(i + 1);
		e = worksheet_write_string(ws, r, 0,
					   xlsxw_label(w, cols[i].title), NULL);
		if (!e)
			e = worksheet_write_string(
			    ws, r, 1, xlsxw_label(w, cols[i].code), NULL);
		if (!e)
			e = worksheet_write_string(
			    ws, r, 2, xlsxw_label(w, cols[i].about), w->wrap);
	}
	return e ? -1 : 0;
}

struct xlsxw *xlsxw_new(const char *sheet, const char *legend,
			const struct xlsx_column *cols, size_t n,
			struct fai_err *err)
{
	struct xlsxw *w;
	lxw_workbook_options opt;
	const char *tmp = getenv("TMPDIR");
	lxw_error e = LXW_NO_ERROR;

	if (n == 0 || n > XLSXW_COL_COUNT) {
		fai_err_set_about(err, FAI_ETOOBIG, FAI_WHY_TOO_MANY_COLUMNS,
				  FAI_ABOUT_OUTPUT, "output", NULL);
		if (err) {
			err->count = n;
			err->limit = XLSXW_COL_COUNT;
		}
		return NULL;
	}
	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	w = xcalloc(1, sizeof(*w));
	buf_init(&w->esc);
	w->dir = xasprintf("%s/fai-xlsx-XXXXXX", tmp);
	if (!mkdtemp(w->dir)) {
		int se = errno;
		fai_err_set_about(
		    err, se == ENOSPC || se == EDQUOT ? FAI_ENOSPACE : FAI_EIO,
		    FAI_WHY_NONE, FAI_ABOUT_FILE, NULL, tmp);
		fai_err_detail(err, "%s", strerror(se));
		if (err)
			err->sys_errno = se;
		free(w->dir);
		w->dir = NULL;
		goto fail;
	}
	w->file = xasprintf("%s/%s", w->dir, XLSXW_FILE);
	tzset(); /* localtime_r need not read TZ itself */

	memset(&opt, 0, sizeof(opt));
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = w->dir;
	/* No ZIP64 records: a reader (ours, through libzip's consistency
	 * check) refuses the ZIP64 extra fields libxlsxwriter then puts in
	 * every local header, and no part of ours reaches 4 GiB, the most
	 * fai reads of a part (XLSX_PART_MAX). */
	opt.use_zip64 = LXW_FALSE;
	w->wb = workbook_new_opt(w->file, &opt);
	if (!w->wb)
		goto lxw_failed;
	w->bold = workbook_add_format(w->wb);
	format_set_bold(w->bold);
	w->date = workbook_add_format(w->wb);
	format_set_num_format(w->date, "dd/mm/yyyy");
	w->time = workbook_add_format(w->wb);
	format_set_num_format(w->time, "dd/mm/yyyy hh:mm:ss");
	w->wrap = workbook_add_format(w->wb);
	format_set_text_wrap(w->wrap);
	format_set_align(w->wrap, LXW_ALIGN_VERTICAL_TOP);

	w->ws = workbook_add_worksheet(w->wb, sheet);
	if (!w->ws)
		goto lxw_failed;
	w->n = n;
	w->kind = xcalloc(n, 1);
	w->wrapped = xcalloc(n, 1);
	w->code = xcalloc(n, sizeof(*w->code));
	w->row = 1;
	worksheet_freeze_panes(w->ws, 1, 0);
	for (size_t i = 0; i < n && !e; i++) {
		w->kind[i] = (unsigned char)cols[i].kind;
		w->wrapped[i] = cols[i].kind == XLSX_TEXT && cols[i].wrap;
		w->code[i] = xstrdup(cols[i].code ? cols[i].code : "");
		e = worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i,
					 xlsxw_width(&cols[i]),
					 w->wrapped[i] ? w->wrap : NULL);
		if (!e)
			e = worksheet_write_string(
			    w->ws, 0, (lxw_col_t)i,
			    xlsxw_label(w, cols[i].title), w->bold);
	}
	if (e || xlsxw_legend(w, legend, cols, n) != 0)
		goto lxw_failed;
	return w;

lxw_failed:
	fai_err_set_about(err, FAI_EIO, FAI_WHY_NONE, FAI_ABOUT_OUTPUT,
			  "output", NULL);
	fai_err_detail(err, "libxlsxwriter: %s",
		       e ? lxw_strerror(e) : "cannot start the workbook");
fail:
	xlsxw_free(w);
	return NULL;
}

/* Writes cell s[0..n) of column i (kind k) in the current row. */
static void xlsxw_put(struct xlsxw *w, size_t i, const char *s, size_t n)
{
	unsigned k = i < w->n ? w->kind[i] : XLSX_TEXT;
	lxw_col_t c = (lxw_col_t)i;
	lxw_datetime dt;
	double v;
	size_t units, points;
	lxw_error e;

	if (k == XLSX_NUMBER && xlsxw_is_whole(s, n, &v)) {
		e = worksheet_write_number(w->ws, w->row, c, v, NULL);
		goto written;
	}
	if (k == XLSX_DATE && n == 10 && xlsxw_parse_date(s, n, &dt) == 0) {
		e = worksheet_write_datetime(w->ws, w->row, c, &dt, w->date);
		goto written;
	}
	if (k == XLSX_TIME && xlsxw_parse_time(s, n, &dt) == 0) {
		e = worksheet_write_datetime(w->ws, w->row, c, &dt, w->time);
		goto written;
	}
	/* Text, and any value its kind cannot hold: a string, never lost. */
	if (xlsxw_escape(w, s, n, &units, &points) != 0) {
		xlsxw_fail(w, fai_err_set_about(&w->ferr, FAI_EINVAL,
						FAI_WHY_UTF8, FAI_ABOUT_CELL,
						i < w->n ? w->code[i] : NULL,
						NULL));
		goto cell_failed;
	}
	if (units > XLSX_CELL_CHARS || points > XLSXW_LXW_STR_MAX) {
		xlsxw_fail(
		    w, fai_err_set_about(&w->ferr, FAI_EINVAL,
					 FAI_WHY_XLSX_CELL, FAI_ABOUT_CELL,
					 i < w->n ? w->code[i] : NULL, NULL));
		w->ferr.count = units > XLSX_CELL_CHARS ? units : points;
		w->ferr.limit = XLSX_CELL_CHARS;
		goto cell_failed;
	}
	e = worksheet_write_string(w->ws, w->row, c, w->esc.data,
				   i < w->n && w->wrapped[i] ? w->wrap : NULL);
written:
	if (e) {
		xlsxw_fail(w, fai_err_set_about(&w->ferr, FAI_EIO, FAI_WHY_NONE,
						FAI_ABOUT_CELL,
						i < w->n ? w->code[i] : NULL,
						NULL));
		fai_err_detail(&w->ferr, "libxlsxwriter: %s", lxw_strerror(e));
		goto cell_failed;
	}
	return;

cell_failed:
	w->ferr.column = (long)i + 1;
	w->ferr.line = (long)w->row + 1;
}

void xlsxw_cell(struct xlsxw *w, const char *s, size_t len)
{
	size_t i = w->col++;

	if (w->failed || len == 0)
		return; /* an empty value is a blank cell */
	if (w->row > XLSXW_ROW_LAST || i >= XLSXW_COL_COUNT) {
		xlsxw_fail(w, fai_err_set_about(&w->ferr, FAI_ETOOBIG,
						FAI_WHY_NONE, FAI_ABOUT_OUTPUT,
						"output", NULL));
		w->ferr.count = w->row > XLSXW_ROW_LAST ? w->row : i + 1;
		w->ferr.limit =
		    w->row > XLSXW_ROW_LAST ? XLSXW_ROW_LAST : XLSXW_COL_COUNT;
		return;
	}
	xlsxw_put(w, i, s, len);
}

/* Returns w's first failure into err (0 when none). */
static int xlsxw_failure(struct xlsxw *w, struct fai_err *err)
{
	if (w->failed && err)
		*err = w->ferr;
	return w->failed;
}

/* libxlsxwriter does not check its writes of the rows to its temporary
 * file (a full disk would lose rows silently): the stream's error flag
 * says so, and errno is still the failed write's when this runs right
 * after the write calls. */
static void xlsxw_check_spool(struct xlsxw *w)
{
	FILE *spool = w->ws ? w->ws->optimize_tmpfile : NULL;
	int e = errno;

	if (w->failed || !spool || !ferror(spool))
		return;
	if (e != ENOSPC && e != EDQUOT)
		e = EIO;
	xlsxw_fail(w, xlsxw_io_failed(&w->ferr, e, "libxlsxwriter"));
}

int xlsxw_row_end(struct xlsxw *w, struct fai_err *err)
{
	xlsxw_check_spool(w);
	if (w->failed)
		return xlsxw_failure(w, err);
	w->row++;
	w->col = 0;
	return 0;
}

int xlsxw_finish(struct xlsxw *w, FILE *f, struct fai_err *err)
{
	char buf[64 * 1024];
	lxw_error e;
	ssize_t got;
	int fd = -1, rc = 0, se;

	if (w->col > 0) /* a row begun and not ended is not lost */
		rc = xlsxw_row_end(w, err);
	xlsxw_check_spool(w);
	if (rc || w->failed) {
		rc = xlsxw_failure(w, err);
		goto remove_dir;
	}
	/* Header and rows written; after the rows in constant-memory mode
	 * is fine (see the top of this file). */
	e = worksheet_autofilter(w->ws, 0, 0, w->row - 1,
				 (lxw_col_t)(w->n - 1));
	if (e) {
		rc = fai_err_set_about(err, FAI_EIO, FAI_WHY_NONE,
				       FAI_ABOUT_OUTPUT, "output", NULL);
		fai_err_detail(err, "libxlsxwriter: %s", lxw_strerror(e));
		goto remove_dir;
	}
	errno = 0;
	e = workbook_close(w->wb);
	se = errno;
	w->wb = NULL;
	w->ws = NULL;
	if (e) {
		rc = xlsxw_io_failed(err, se, lxw_strerror(e));
		goto remove_dir;
	}
	fd = open(w->file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		rc = xlsxw_io_failed(err, errno, NULL);
		goto remove_dir;
	}
	while ((got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = xlsxw_io_failed(err, errno, NULL);
			goto close_fd;
		}
		if (fwrite(buf, 1, (size_t)got, f) != (size_t)got) {
			rc = xlsxw_io_failed(err, errno, NULL);
			goto close_fd;
		}
	}
	if (fflush(f) != 0 || ferror(f))
		rc = xlsxw_io_failed(err, errno ? errno : EIO, NULL);
close_fd:
	close(fd);
remove_dir:
	if (w->wb) {
		lxw_workbook_free(w->wb);
		w->wb = NULL;
		w->ws = NULL;
	}
	xlsxw_rmdir(w);
	if (rc && !w->failed)
		w->failed = rc;
	return rc;
}

void xlsxw_free(struct xlsxw *w)
{
	if (!w)
		return;
	if (w->wb)
		lxw_workbook_free(w->wb);
	xlsxw_rmdir(w);
	for (size_t i = 0; w->code && i < w->n; i++)
		free(w->code[i]);
	free(w->code);
	free(w->kind);
	free(w->wrapped);
	free(w->file);
	buf_free(&w->esc);
	free(w);
}
