/* xlsxr.c - reading the rows of one sheet of an Office Open XML workbook
 * (.xlsx), through libzip (the zip) and expat (the XML), under bounds that
 * hold against hostile files: the open, the rows, the errors, and the
 * workbook.
 *
 * At open the source is read once, to its end, into a zip libzip can seek
 * in (xlsxr_zip.c).  Then, each as it inflates and without holding it
 * whole: xl/workbook.xml gives the sheets' names and relationship ids in
 * order, xl/_rels/workbook.xml.rels where the chosen sheet and the shared
 * strings are (both here), and the shared strings are kept; the sheet
 * itself is parsed as xlsxr_next asks for rows, one row at a time
 * (xlsxr_sheet.c).  The reader's state, struct xlsxr, is in xlsxr_int.h.
 *
 * Names are matched by their local part, past any prefix: Excel,
 * LibreOffice, libxlsxwriter and openpyxl write different prefixes (a
 * parser without namespace processing: 12 % faster than expat's
 * namespace-aware one on a sheet of 10^5 rows). */
#include "xlsxr_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/xmalloc.h"

/* ------------------------------------------------------------ errors */

/* Names the file in err, and the row being read when there is one. */
void xlsxr_err_where(const struct xlsxr *r, struct fai_err *err)
{
	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", r->name);
	err->line = r->kind == PART_SHEET && r->row_num > 0 ? r->row_num : 0;
}

/* A refusal about the file or one of its parts (XLSX_ZIP, XLSX_XML,
 * XLSX_TOO_BIG, XLSX_SHEET): value the path, err->path the part. */
int xlsxr_fail_file(struct xlsxr *r, struct fai_err *err, int why,
		    const char *part, const char *value)
{
	fai_err_set_about(err, FAI_EINVAL, why, FAI_ABOUT_SOURCE, "file",
			  value ? value : r->name);
	xlsxr_err_where(r, err);
	if (part)
		fai_err_path(err, part);
	return -FAI_EINVAL;
}

/* A bound passed: count against limit (bytes, or entries). */
int xlsxr_fail_big(struct xlsxr *r, struct fai_err *err, const char *part,
		   unsigned long long count, unsigned long long limit)
{
	int rc = xlsxr_fail_file(r, err, FAI_WHY_XLSX_TOO_BIG, part, NULL);
	if (err) {
		err->count = count;
		err->limit = limit;
	}
	return rc;
}

/* A refused cell of the sheet (column from 0). */
int xlsxr_fail_cell(struct xlsxr *r, struct fai_err *err, int code, int why,
		    const char *value)
{
	fai_err_set_about(err, code, why, FAI_ABOUT_CELL, NULL, value);
	xlsxr_err_where(r, err);
	if (err)
		err->column = r->col + 1;
	return -code;
}

/* In a callback: keeps the first error and stops the parser. */
void xlsxr_cb_stop(struct xlsxr *r, int rc)
{
	if (!r->crc)
		r->crc = rc;
	XML_StopParser(r->p, XML_FALSE);
}

/* Fills err for a failed system call on the source. */
int xlsxr_fail_io(struct xlsxr *r, int e, struct fai_err *err)
{
	int code = e == ENOENT ? FAI_ENOTFOUND : FAI_EIO;
	fai_err_set_about(err, code, FAI_WHY_NONE, FAI_ABOUT_FILE, "file",
			  r->name);
	fai_err_detail(err, "%s", strerror(e));
	if (err)
		err->sys_errno = e;
	return -code;
}

/* ------------------------------------------------------------ names */

/* Resolves a relationship's target against xl/ into out: "/xl/a.xml" is
 * absolute, "worksheets/a.xml" relative; "." and ".." segments go.
 * Returns 0, or -1 when it climbs out of the archive or is too long. */
static int resolve(const char *target, char *out, size_t size)
{
	char tmp[XLSXR_PATH_MAX];
	size_t n = 0;
	int k = target[0] == '/' ? snprintf(tmp, sizeof(tmp), "%s", target + 1)
				 : snprintf(tmp, sizeof(tmp), "xl/%s", target);
	if (k < 0 || (size_t)k >= sizeof(tmp))
		return -1;
	out[0] = '\0';
	for (char *seg = tmp, *next; seg; seg = next) {
		char *slash = strchr(seg, '/');
		next = slash ? slash + 1 : NULL;
		size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (n == 0)
				return -1;
			char *up = memrchr(out, '/', n);
			n = up ? (size_t)(up - out) : 0;
			out[n] = '\0';
			continue;
		}
		if (n + (n > 0) + len + 1 > size)
			return -1;
		if (n > 0)
			out[n++] = '/';
		memcpy(out + n, seg, len);
		n += len;
		out[n] = '\0';
	}
	return n ? 0 : -1;
}

/* ------------------------------------------------------------ workbook */

static void XMLCALL wb_start(void *arg, const XML_Char *name,
			     const XML_Char **atts)
{
	struct xlsxr *r = arg;
	if (r->crc)
		return;
	if (strcmp(xlsxr_local(name), "workbookPr") == 0) {
		const char *d = xlsxr_attr(atts, "date1904");
		r->date1904 =
		    d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
		return;
	}
	if (strcmp(xlsxr_local(name), "sheet") != 0 || r->sheet_rid)
		return;
	const char *sn = xlsxr_attr(atts, "name"), *id = xlsxr_attr(atts, "id");
	if (!sn || !id)
		return;
	if (!r->want || strcmp(sn, r->want) == 0)
		r->sheet_rid = xstrdup(id);
	else if (!r->sheet_rid_ci && strcasecmp(sn, r->want) == 0)
		r->sheet_rid_ci = xstrdup(id);
}

static void XMLCALL no_end(void *arg, const XML_Char *name)
{
	(void)arg, (void)name;
}

static void XMLCALL rels_start(void *arg, const XML_Char *name,
			       const XML_Char **atts)
{
	struct xlsxr *r = arg;
	char path[XLSXR_PATH_MAX];
	if (r->crc || strcmp(xlsxr_local(name), "Relationship") != 0)
		return;
	const char *id = xlsxr_attr(atts, "Id"),
		   *target = xlsxr_attr(atts, "Target");
	const char *type = xlsxr_attr(atts, "Type"),
		   *mode = xlsxr_attr(atts, "TargetMode");
	if (!id || !target || (mode && strcmp(mode, "Internal") != 0))
		return;
	size_t tl = type ? strlen(type) : 0;
	int strings = tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0;
	int sheet = strcmp(id, r->sheet_rid) == 0;
	if (!strings && !sheet)
		return;
	if (resolve(target, path, sizeof(path)) != 0) {
		xlsxr_cb_stop(r, xlsxr_fail_file(r, &r->cerr, FAI_WHY_XLSX_XML,
						 r->part, NULL));
		return;
	}
	if (sheet && !r->sheet_target)
		r->sheet_target = xstrdup(path);
	if (strings && !r->strings_target)
		r->strings_target = xstrdup(path);
}

/* ------------------------------------------------------------ open */

int xlsx_sniff(const void *head, size_t n)
{
	return n >= 4 && memcmp(head, "PK\3\4", 4) == 0;
}

static struct xlsxr *xlsxr_new(const char *path, const char *sheet)
{
	struct xlsxr *r = xcalloc(1, sizeof(*r));
	r->name = xstrdup(path);
	r->fd = -1;
	r->want = sheet;
	buf_init(&r->sst);
	r->sst_fd = -1;
	buf_init(&r->text);
	buf_init(&r->data);
	buf_init(&r->dec);
	fai_err_clear(&r->cerr);
	return r;
}

static int xlsxr_start(struct xlsxr *r, int seekable, const char *sheet,
		       struct fai_err *err);

int xlsxr_open(struct xlsxr **out, const char *path, const char *sheet,
	       struct fai_err *err)
{
	struct xlsxr *r;
	int seekable = 0, rc;

	*out = NULL;
	r = xlsxr_new(path, sheet);
	rc = xlsxr_source_open(r, path, &seekable, err);
	if (!rc)
		rc = xlsxr_start(r, seekable, sheet, err);
	if (rc) {
		xlsxr_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int xlsxr_open_fd(struct xlsxr **out, int fd, const char *path,
		  const void *head, size_t nhead, const char *sheet,
		  struct fai_err *err)
{
	struct xlsxr *r;
	struct stat st;
	int rc;

	*out = NULL;
	r = xlsxr_new(path, sheet);
	r->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		rc = xlsxr_fail_io(r, errno, err);
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		/* a file is read again from its start (a copy of the
		 * descriptor shares the offset: it is ours now) */
		if (lseek(r->fd, 0, SEEK_SET) != 0) {
			rc = xlsxr_fail_io(r, errno, err);
			goto fail;
		}
	} else {
		r->head = head;
		r->nhead = nhead;
	}
	rc = xlsxr_start(r, S_ISREG(st.st_mode), sheet, err);
	r->head = NULL;
	r->nhead = 0;
	if (rc)
		goto fail;
	*out = r;
	return 0;
fail:
	xlsxr_free(r);
	return rc;
}

/* Reads the opened source, then the workbook's parts up to the sheet. */
static int xlsxr_start(struct xlsxr *r, int seekable, const char *sheet,
		       struct fai_err *err)
{
	int zerr = 0, rc;

	rc = xlsxr_source_read(r, seekable, err);
	if (rc)
		goto fail;
	uint64_t announced = xlsxr_zip_entries(r->fd, r->size);
	if (announced > XLSX_ENTRIES_MAX) {
		rc = xlsxr_fail_big(r, err, NULL, announced, XLSX_ENTRIES_MAX);
		if (err)
			snprintf(err->field, sizeof(err->field), "entries");
		goto fail;
	}
	r->za = zip_fdopen(r->fd, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!r->za) {
		zip_error_t ze;
		rc = xlsxr_fail_file(r, err, FAI_WHY_XLSX_ZIP, NULL, NULL);
		zip_error_init_with_code(&ze, zerr);
		fai_err_detail(err, "%s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto fail;
	}
	r->fd = -1; /* libzip's now */
	zip_int64_t entries = zip_get_num_entries(r->za, 0);
	if (entries > XLSX_ENTRIES_MAX) {
		rc = xlsxr_fail_big(r, err, NULL, (unsigned long long)entries,
				    XLSX_ENTRIES_MAX);
		if (err)
			snprintf(err->field, sizeof(err->field), "entries");
		goto fail;
	}

	rc = xlsxr_part_parse(r, PART_WORKBOOK, "xl/workbook.xml", wb_start,
			      no_end, 0, err);
	if (rc)
		goto fail;
	if (!r->sheet_rid && r->sheet_rid_ci) {
		r->sheet_rid = r->sheet_rid_ci;
		r->sheet_rid_ci = NULL;
	}
	if (!r->sheet_rid) {
		if (sheet)
			rc = xlsxr_fail_file(r, err, FAI_WHY_XLSX_SHEET, NULL,
					     sheet);
		else
			rc = xlsxr_fail_file(r, err, FAI_WHY_XLSX_XML,
					     "xl/workbook.xml", NULL);
		goto fail;
	}
	rc = xlsxr_part_parse(r, PART_RELS, "xl/_rels/workbook.xml.rels",
			      rels_start, no_end, 0, err);
	if (rc)
		goto fail;
	if (!r->sheet_target) {
		rc = xlsxr_fail_file(r, err, FAI_WHY_XLSX_XML,
				     "xl/_rels/workbook.xml.rels", NULL);
		goto fail;
	}
	rc = xlsxr_part_parse(r, PART_STRINGS,
			      r->strings_target ? r->strings_target
						: "xl/sharedStrings.xml",
			      xlsxr_sst_start, xlsxr_sst_end, 1, err);
	if (rc >= 0)
		rc = xlsxr_sst_finish(r, err);
	if (rc < 0)
		goto fail;
	rc = xlsxr_part_open(r, PART_SHEET, r->sheet_target, xlsxr_sheet_start,
			     xlsxr_sheet_end, 0, err);
	if (rc)
		goto fail;
	r->sheet_total = r->declared;
	return 0;
fail:
	return rc;
}

/* ------------------------------------------------------------ rows */

int xlsxr_next(struct xlsxr *r, struct csvr_row **row, struct fai_err *err)
{
	if (r->rc) { /* the same error again */
		if (err)
			*err = r->cerr;
		return r->rc;
	}
	r->row_ready = 0;
	r->n = 0;
	buf_reset(&r->data);
	while (!r->row_ready) {
		if (r->done)
			return 0;
		int rc = xlsxr_part_step(r, err);
		r->sheet_offset = r->inflated;
		if (rc) {
			r->rc = rc;
			if (err)
				r->cerr = *err;
			return rc;
		}
		if (xlsxr_part_finished(r))
			r->done = 1;
	}
	for (size_t i = 0; i < r->n; i++)
		r->cells[i] = r->data.data + r->offs[i];
	r->out.cells = r->cells;
	r->out.lens = r->lens;
	r->out.n = r->n;
	r->out.line = r->row_num;
	*row = &r->out;
	return 1;
}

const unsigned char *xlsxr_kinds(const struct xlsxr *r)
{
	return r->kinds;
}

int xlsxr_date1904(const struct xlsxr *r)
{
	return r->date1904;
}

unsigned long long xlsxr_size(const struct xlsxr *r)
{
	return r->size;
}

unsigned long long xlsxr_offset(const struct xlsxr *r)
{
	return r->sheet_offset;
}

unsigned long long xlsxr_total(const struct xlsxr *r)
{
	return r->sheet_total > r->sheet_offset ? r->sheet_total
						: r->sheet_offset;
}

void xlsxr_sha256(const struct xlsxr *r, unsigned char out[SHA256_LEN])
{
	memcpy(out, r->sha, SHA256_LEN);
}

void xlsxr_free(struct xlsxr *r)
{
	if (!r)
		return;
	xlsxr_part_close(r);
	if (r->za)
		zip_discard(r->za);
	if (r->fd >= 0 && r->fd != STDIN_FILENO)
		close(r->fd);
	free(r->sheet_rid);
	free(r->sheet_rid_ci);
	free(r->sheet_target);
	free(r->strings_target);
	buf_free(&r->sst);
	free(r->soff);
	if (r->sst_map)
		munmap(r->sst_map, r->sst_maplen);
	if (r->sst_fd >= 0)
		close(r->sst_fd);
	buf_free(&r->text);
	buf_free(&r->data);
	buf_free(&r->dec);
	free(r->offs);
	free(r->lens);
	free(r->kinds);
	free(r->cells);
	free(r->name);
	free(r);
}
