/* xlsxr.c - reading the rows of one sheet of an Office Open XML workbook
 * (.xlsx), through libzip (the zip) and expat (the XML), under bounds that
 * hold against hostile files.
 *
 * At open the source is read once, to its end: every byte is hashed, and a
 * pipe or standard input is copied to a private temporary file (unlinked at
 * once) that libzip can seek in.  Then, each as it inflates and without
 * holding it whole: xl/workbook.xml gives the sheets' names and
 * relationship ids in order, xl/_rels/workbook.xml.rels where the chosen
 * sheet and the shared strings are, and the shared strings are kept, all
 * of them in one buffer (NUL after each) with an array of offsets: the
 * only thing held in memory.  The sheet itself is parsed as xlsxr_next asks
 * for rows: a block inflates into expat's buffer, and the parser suspends
 * itself at the end of each row, so one row at a time is built and memory
 * stays flat whatever the sheet's length.
 *
 * Names are matched by their local part, past any prefix: Excel,
 * LibreOffice, libxlsxwriter and openpyxl write different prefixes (a
 * parser without namespace processing: 12 % faster than expat's
 * namespace-aware one on a sheet of 10^5 rows).  A document type declaration is
 * refused outright, so no entity is ever declared and none expands.  Every part
 * counts the bytes it really inflated (never trusting the declared size)
 * against XLSX_PART_MAX and, past 1 MiB, against XLSX_RATIO_MAX times its
 * compressed size; only stored and deflated entries, unencrypted, are
 * read. */
#include "xlsx.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../core/exchange.h"
#include "../core/utf8.h"
#include "../core/xmalloc.h"

#define XLSXR_BLOCK 65536
#define XLSXR_NS ':'
#define XLSXR_ROWS_MAX 1048576 /* Excel's last row */
/* Raw text captured for one cell: an escape _xHHHH_ (7 bytes) decodes to
 * 1 to 3 bytes, so 7 times the cell bound is enough to judge the decoded
 * text against EXCHANGE_FIELD_MAX. */
#define XLSXR_RAW_MAX (7 * (size_t)EXCHANGE_FIELD_MAX)
#define XLSXR_RATIO_FROM ((unsigned long long)1 << 20)
#define XLSXR_PATH_MAX 512
/* What expat may hold at once (its buffer, which grows to the longest tag
 * or comment, its stack, its attributes): a real workbook needs about
 * 200 KiB, a hostile one would take a gigabyte for one long tag.  And
 * expat 2.5 scans an unfinished tag again from its start at each block,
 * so the time grows as the square of the bound: a tag of 20 MiB took
 * 3 min; 4 MiB takes 0.3 s. */
#define XLSXR_EXPAT_MAX ((size_t)4 << 20)
/* Shared strings' text past this goes to a temporary file (sst_spill). */
#define XLSXR_SST_SPILL ((size_t)1 << 20)

/* Where the parse of a part stands: which part, and what it looks for. */
enum part_kind { PART_WORKBOOK, PART_RELS, PART_STRINGS, PART_SHEET };

struct xlsxr {
	char *name; /* the path as given, for err->file */
	int fd;	    /* ours until zip_fdopen takes it */
	zip_t *za;
	unsigned long long size;
	unsigned char sha[SHA256_LEN];

	/* The XML part being parsed. */
	enum part_kind kind;
	XML_Parser p;
	zip_file_t *zf;
	char part[XLSXR_PATH_MAX];
	unsigned long long comp, declared, inflated;
	int final;	     /* the last block was given to expat */
	int crc;	     /* an error met in a callback (negative) ... */
	struct fai_err cerr; /* ... and its details */

	/* workbook.xml and its relationships */
	const char *want;     /* the sheet's name asked for, NULL: first */
	char *sheet_rid;      /* the chosen sheet's r:id */
	char *sheet_rid_ci;   /* a name matching but for ASCII case */
	char *sheet_target;   /* its part, resolved */
	char *strings_target; /* the shared strings' part, resolved */
	int date1904;	      /* dates count days from 1904-01-01 */
	/* xlsxr_open_fd: the bytes its caller read already from a pipe */
	const unsigned char *head;
	size_t nhead;

	/* Shared strings: string i is at soff[i] of their text, soff[i + 1]
	 * - 1 - soff[i] bytes long (a NUL after each).  The text gathers in
	 * sst; past XLSXR_SST_SPILL bytes it goes on to an unlinked
	 * temporary file (sst_fd, sst_spilled bytes), mapped once the part
	 * is read (sst_map): a workbook saved by a spreadsheet keeps all its
	 * text there (1.5 million strings at 10^5 ideas), which then weighs
	 * on the page cache, not on the process's own memory. */
	struct buf sst;
	size_t *soff;
	size_t nsst, capsst;
	int sst_fd;
	size_t sst_spilled;
	char *sst_map;
	size_t sst_maplen;
	int in_si, rph; /* inside <si>; depth inside <rPh> */

	/* The text of the element being captured (<t>, <v>), raw. */
	struct buf text;
	int capture;

	/* The sheet: where the parse stands. */
	unsigned long long sheet_total, sheet_offset;
	int in_data, in_row, in_c, in_is;
	long row_num;  /* the row being read, or the last one */
	long col;      /* the cell being read, from 0 */
	long next_col; /* where a cell without r goes */
	char ctype;    /* 's' 'i'(nlineStr) 'S'(tr) 'b' 'e' 'n' 'd' */
	int has_v, has_is;
	int row_ready, done;
	/* The row being built: its cells' bytes one after the other, each
	 * with a NUL, in data. */
	struct buf data;
	size_t *offs, *lens;
	unsigned char *kinds;
	char **cells;
	size_t n, cap, row_bytes;
	struct buf dec; /* a decoded string */
	struct csvr_row out;
	int rc; /* the error once returned by xlsxr_next, returned again */
};

/* ------------------------------------------------------------ errors */

/* Names the file in err, and the row being read when there is one. */
static void err_where(const struct xlsxr *r, struct fai_err *err)
{
	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", r->name);
	err->line = r->kind == PART_SHEET && r->row_num > 0 ? r->row_num : 0;
}

/* A refusal about the file or one of its parts (XLSX_ZIP, XLSX_XML,
 * XLSX_TOO_BIG, XLSX_SHEET): value the path, err->path the part. */
static int fail_file(struct xlsxr *r, struct fai_err *err, int why,
		     const char *part, const char *value)
{
	fai_err_set_about(err, FAI_EINVAL, why, FAI_ABOUT_SOURCE, "file",
			  value ? value : r->name);
	err_where(r, err);
	if (part)
		fai_err_path(err, part);
	return -FAI_EINVAL;
}

/* A bound passed: count against limit (bytes, or entries). */
static int fail_big(struct xlsxr *r, struct fai_err *err, const char *part,
		    unsigned long long count, unsigned long long limit)
{
	int rc = fail_file(r, err, FAI_WHY_XLSX_TOO_BIG, part, NULL);
	if (err) {
		err->count = count;
		err->limit = limit;
	}
	return rc;
}

/* A refused cell of the sheet (column from 0). */
static int fail_cell(struct xlsxr *r, struct fai_err *err, int code, int why,
		     const char *value)
{
	fai_err_set_about(err, code, why, FAI_ABOUT_CELL, NULL, value);
	err_where(r, err);
	if (err)
		err->column = r->col + 1;
	return -code;
}

/* In a callback: keeps the first error and stops the parser. */
static void cb_stop(struct xlsxr *r, int rc)
{
	if (!r->crc)
		r->crc = rc;
	XML_StopParser(r->p, XML_FALSE);
}

/* ------------------------------------------------------------ names */

/* The local part of a name ("x:row" or "row"). */
static const char *local(const XML_Char *name)
{
	const char *s = strrchr(name, XLSXR_NS);
	return s ? s + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

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

/* ------------------------------------------------------------ memory */

/* expat's allocations, counted against XLSXR_EXPAT_MAX: past it expat is
 * told there is no memory and stops with XML_ERROR_NO_MEMORY (refused as
 * too big); a real shortage aborts, as xmalloc does.  One count per
 * thread: a thread reads one part at a time. */
static _Thread_local size_t expat_held;

#define XLSXR_HEAD 16 /* the size, before each block (keeps alignment) */

static void *em_malloc(size_t n)
{
	if (n > XLSXR_EXPAT_MAX - expat_held)
		return NULL;
	char *p = malloc(n + XLSXR_HEAD);
	if (!p)
		abort();
	memcpy(p, &n, sizeof(n));
	expat_held += n;
	return p + XLSXR_HEAD;
}

static void *em_realloc(void *ptr, size_t n)
{
	size_t old;
	if (!ptr)
		return em_malloc(n);
	char *base = (char *)ptr - XLSXR_HEAD;
	memcpy(&old, base, sizeof(old));
	if (n > old && n - old > XLSXR_EXPAT_MAX - expat_held)
		return NULL;
	char *p = realloc(base, n + XLSXR_HEAD);
	if (!p)
		abort();
	memcpy(p, &n, sizeof(n));
	expat_held = expat_held - old + n;
	return p + XLSXR_HEAD;
}

static void em_free(void *ptr)
{
	size_t old;
	if (!ptr)
		return;
	char *base = (char *)ptr - XLSXR_HEAD;
	memcpy(&old, base, sizeof(old));
	expat_held -= old;
	free(base);
}

static const XML_Memory_Handling_Suite expat_memory = {em_malloc, em_realloc,
						       em_free};

/* ------------------------------------------------------------ parts */

static void XMLCALL on_doctype(void *arg, const XML_Char *name,
			       const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal)
{
	struct xlsxr *r = arg;
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	cb_stop(r, fail_file(r, &r->cerr, FAI_WHY_XLSX_XML, r->part, NULL));
}

/* The bytes of shared strings' text so far, spilled or not. */
static size_t sst_bytes(const struct xlsxr *r)
{
	return r->sst_spilled + r->sst.len;
}

static int temp_fd(void);
static int fail_io(struct xlsxr *r, int e, struct fai_err *err);
static int write_all(int fd, const char *s, size_t n);

/* Moves the gathered text to the temporary file.  0, or -1 (errno). */
static int sst_spill(struct xlsxr *r)
{
	if (r->sst_fd < 0 && (r->sst_fd = temp_fd()) < 0)
		return -1;
	if (r->sst.len && write_all(r->sst_fd, r->sst.data, r->sst.len) != 0)
		return -1;
	r->sst_spilled += r->sst.len;
	buf_reset(&r->sst);
	return 0;
}

/* The shared strings' text, once the part is read: mapped when it was
 * spilled.  Returns 0 or a negative error. */
static int sst_finish(struct xlsxr *r, struct fai_err *err)
{
	if (r->sst_fd < 0)
		return 0; /* small: it stays in sst */
	if (sst_spill(r) != 0)
		return fail_io(r, errno, err);
	r->sst_map =
	    mmap(NULL, r->sst_spilled, PROT_READ, MAP_PRIVATE, r->sst_fd, 0);
	if (r->sst_map == MAP_FAILED) {
		r->sst_map = NULL;
		return fail_io(r, errno, err);
	}
	r->sst_maplen = r->sst_spilled;
	return 0;
}

static void XMLCALL on_text(void *arg, const XML_Char *s, int len)
{
	struct xlsxr *r = arg;
	if (!r->capture || r->crc)
		return;
	if (r->kind == PART_STRINGS &&
	    sst_bytes(r) + r->text.len + (size_t)len >= XLSX_STRINGS_MAX) {
		cb_stop(r, fail_big(r, &r->cerr, r->part,
				    sst_bytes(r) + r->text.len + (size_t)len,
				    XLSX_STRINGS_MAX));
		return;
	}
	if (r->kind == PART_SHEET &&
	    r->text.len + (size_t)len > XLSXR_RAW_MAX) {
		cb_stop(r, fail_cell(r, &r->cerr, FAI_ETOOBIG,
				     FAI_WHY_CELL_TOO_LONG, NULL));
		r->cerr.limit = EXCHANGE_FIELD_MAX / 1024;
		return;
	}
	buf_add(&r->text, s, (size_t)len);
}

/* Closes every part-level resource: the parser and the entry. */
static void part_close(struct xlsxr *r)
{
	if (r->p)
		XML_ParserFree(r->p);
	r->p = NULL;
	if (r->zf)
		zip_fclose(r->zf);
	r->zf = NULL;
}

/* Opens the entry named path for parsing with the handlers given.
 * optional: a missing entry is no error (returns 1). */
static int part_open(struct xlsxr *r, enum part_kind kind, const char *path,
		     XML_StartElementHandler start, XML_EndElementHandler end,
		     int optional, struct fai_err *err)
{
	zip_stat_t st;
	snprintf(r->part, sizeof(r->part), "%s", path);
	r->kind = kind;
	r->inflated = 0;
	r->final = 0;
	zip_int64_t i = zip_name_locate(r->za, path, 0);
	if (i < 0)
		i = zip_name_locate(r->za, path, ZIP_FL_NOCASE);
	if (i < 0)
		return optional
			   ? 1
			   : fail_file(r, err, FAI_WHY_XLSX_XML, path, NULL);
	zip_stat_init(&st);
	if (zip_stat_index(r->za, (zip_uint64_t)i, 0, &st) != 0) {
		fail_file(r, err, FAI_WHY_XLSX_ZIP, path, NULL);
		fai_err_detail(err, "%s", zip_strerror(r->za));
		return -FAI_EINVAL;
	}
	/* Only what Excel and its peers write: stored or deflated, never
	 * encrypted (another method may inflate far more per byte). */
	if (((st.valid & ZIP_STAT_COMP_METHOD) &&
	     st.comp_method != ZIP_CM_STORE &&
	     st.comp_method != ZIP_CM_DEFLATE) ||
	    ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	     st.encryption_method != ZIP_EM_NONE))
		return fail_file(r, err, FAI_WHY_XLSX_ZIP, path, NULL);
	r->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	r->declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	r->zf = zip_fopen_index(r->za, (zip_uint64_t)i, 0);
	if (!r->zf) {
		fail_file(r, err, FAI_WHY_XLSX_ZIP, path, NULL);
		fai_err_detail(err, "%s", zip_strerror(r->za));
		return -FAI_EINVAL;
	}
	r->p = XML_ParserCreate_MM(NULL, &expat_memory, NULL);
	if (!r->p)
		abort(); /* out of memory, as xmalloc */
	XML_SetUserData(r->p, r);
	XML_SetStartDoctypeDeclHandler(r->p, on_doctype);
	XML_SetElementHandler(r->p, start, end);
	XML_SetCharacterDataHandler(r->p, on_text);
	r->capture = 0;
	buf_reset(&r->text);
	return 0;
}

/* The error after expat returned XML_STATUS_ERROR: the callback's, or
 * expat's own (the part is malformed). */
static int part_xml_error(struct xlsxr *r, struct fai_err *err)
{
	if (r->crc) {
		if (err)
			*err = r->cerr;
		return r->crc;
	}
	enum XML_Error code = XML_GetErrorCode(r->p);
	if (code == XML_ERROR_NO_MEMORY) /* our bound, not the machine's */
		return fail_big(r, err, r->part, expat_held, XLSXR_EXPAT_MAX);
	int rc = fail_file(r, err, FAI_WHY_XLSX_XML, r->part, NULL);
	fai_err_detail(err, "%s", XML_ErrorString(code));
	return rc;
}

/* Inflates the next block of the part into expat and parses it, or
 * resumes a suspended parse.  Returns 0, or a negative error. */
static int part_step(struct xlsxr *r, struct fai_err *err)
{
	XML_ParsingStatus ps;
	enum XML_Status st;
	XML_GetParsingStatus(r->p, &ps);
	if (ps.parsing == XML_SUSPENDED) {
		st = XML_ResumeParser(r->p);
	} else {
		void *b = XML_GetBuffer(r->p, XLSXR_BLOCK);
		if (!b) /* our bound: a shortage aborts in em_realloc */
			return fail_big(r, err, r->part,
					expat_held + XLSXR_BLOCK,
					XLSXR_EXPAT_MAX);
		zip_int64_t got = zip_fread(r->zf, b, XLSXR_BLOCK);
		if (got < 0) {
			fail_file(r, err, FAI_WHY_XLSX_ZIP, r->part, NULL);
			fai_err_detail(err, "%s", zip_file_strerror(r->zf));
			return -FAI_EINVAL;
		}
		r->inflated += (unsigned long long)got;
		if (r->inflated > XLSX_PART_MAX)
			return fail_big(r, err, r->part, r->inflated,
					XLSX_PART_MAX);
		if (r->inflated > XLSXR_RATIO_FROM &&
		    r->inflated / XLSX_RATIO_MAX > r->comp)
			return fail_big(r, err, r->part, r->inflated,
					r->comp * XLSX_RATIO_MAX);
		r->final = got == 0;
		st = XML_ParseBuffer(r->p, (int)got, r->final);
	}
	if (st == XML_STATUS_ERROR)
		return part_xml_error(r, err);
	return 0;
}

/* 1 when the part was parsed to its end. */
static int part_finished(const struct xlsxr *r)
{
	XML_ParsingStatus ps;
	XML_GetParsingStatus(r->p, &ps);
	return ps.parsing == XML_FINISHED;
}

/* Parses a whole part at once (the workbook, its relationships, the
 * shared strings). */
static int part_parse(struct xlsxr *r, enum part_kind kind, const char *path,
		      XML_StartElementHandler start, XML_EndElementHandler end,
		      int optional, struct fai_err *err)
{
	int rc = part_open(r, kind, path, start, end, optional, err);
	while (rc == 0 && !part_finished(r))
		rc = part_step(r, err);
	part_close(r);
	return rc;
}

/* ------------------------------------------------------------ workbook */

static void XMLCALL wb_start(void *arg, const XML_Char *name,
			     const XML_Char **atts)
{
	struct xlsxr *r = arg;
	if (r->crc)
		return;
	if (strcmp(local(name), "workbookPr") == 0) {
		const char *d = attr(atts, "date1904");
		r->date1904 =
		    d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
		return;
	}
	if (strcmp(local(name), "sheet") != 0 || r->sheet_rid)
		return;
	const char *sn = attr(atts, "name"), *id = attr(atts, "id");
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
	if (r->crc || strcmp(local(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	const char *type = attr(atts, "Type"), *mode = attr(atts, "TargetMode");
	if (!id || !target || (mode && strcmp(mode, "Internal") != 0))
		return;
	size_t tl = type ? strlen(type) : 0;
	int strings = tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0;
	int sheet = strcmp(id, r->sheet_rid) == 0;
	if (!strings && !sheet)
		return;
	if (resolve(target, path, sizeof(path)) != 0) {
		cb_stop(
		    r, fail_file(r, &r->cerr, FAI_WHY_XLSX_XML, r->part, NULL));
		return;
	}
	if (sheet && !r->sheet_target)
		r->sheet_target = xstrdup(path);
	if (strings && !r->strings_target)
		r->strings_target = xstrdup(path);
}

/* ------------------------------------------------------------ strings */

static void XMLCALL sst_start(void *arg, const XML_Char *name,
			      const XML_Char **atts)
{
	struct xlsxr *r = arg;
	const char *l = local(name);
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

static void XMLCALL sst_end(void *arg, const XML_Char *name)
{
	struct xlsxr *r = arg;
	const char *l = local(name);
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
			cb_stop(r, fail_big(r, &r->cerr, r->part, held,
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
			cb_stop(r, fail_io(r, errno, &r->cerr));
	}
}

/* ------------------------------------------------------------ sheet */

/* Adds a cell to the row being built.  Returns 0 or a negative error. */
static int row_add(struct xlsxr *r, const char *s, size_t len,
		   unsigned char kind)
{
	if (len > EXCHANGE_FIELD_MAX) {
		int rc = fail_cell(r, &r->cerr, FAI_ETOOBIG,
				   FAI_WHY_CELL_TOO_LONG, NULL);
		r->cerr.limit = EXCHANGE_FIELD_MAX / 1024; /* KiB */
		return rc;
	}
	r->row_bytes += len + 1;
	if (r->row_bytes > EXCHANGE_ROW_MAX) {
		fai_err_set_about(&r->cerr, FAI_ETOOBIG, FAI_WHY_ROW_TOO_LONG,
				  FAI_ABOUT_ROW, "row", NULL);
		err_where(r, &r->cerr);
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
	err_where(r, &r->cerr);
	fai_err_path(&r->cerr, r->part);
	r->cerr.column = r->in_c ? r->col + 1 : 0;
	return -FAI_EINVAL;
}

static void row_begin(struct xlsxr *r, const XML_Char **atts)
{
	const char *num = attr(atts, "r");
	long row = r->row_num + 1;
	if (num) {
		long long v = digits(num, strlen(num), XLSXR_ROWS_MAX);
		if (v < 1) {
			cb_stop(r, sheet_xml_fail(r, num));
			return;
		}
		row = (long)v;
	}
	if (row <= r->row_num || row > XLSXR_ROWS_MAX) {
		/* Rows go down the sheet, each once. */
		r->row_num = row;
		cb_stop(r, sheet_xml_fail(r, num));
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
	const char *ref = attr(atts, "r"), *t = attr(atts, "t");
	long c = r->next_col;
	if (ref) {
		c = ref_column(ref);
		if (c == -1) {
			cb_stop(r, sheet_xml_fail(r, ref));
			return;
		}
	}
	r->col = c;
	if (c < 0 || c >= XLSX_COLUMNS_MAX) {
		fai_err_set_about(&r->cerr, FAI_EINVAL,
				  FAI_WHY_TOO_MANY_COLUMNS, FAI_ABOUT_ROW, NULL,
				  ref);
		err_where(r, &r->cerr);
		r->cerr.count = c < 0 ? XLSX_COLUMNS_MAX + 1 : (uint64_t)c + 1;
		r->cerr.limit = XLSX_COLUMNS_MAX;
		cb_stop(r, -FAI_EINVAL);
		return;
	}
	if (c < r->next_col) { /* cells go right, each once */
		cb_stop(r, sheet_xml_fail(r, ref));
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
		cb_stop(r, sheet_xml_fail(r, t));
		return;
	}
	/* The empty cells before it. */
	while (r->n < (size_t)c) {
		int rc = row_add(r, "", 0, XLSX_CELL_EMPTY);
		if (rc) {
			cb_stop(r, rc);
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
			return fail_cell(r, &r->cerr, FAI_EINVAL,
					 FAI_WHY_XLSX_STRING, tn ? ts : "");
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
		return fail_cell(r, &r->cerr, FAI_EINVAL, FAI_WHY_XLSX_XML,
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

static void XMLCALL sheet_start(void *arg, const XML_Char *name,
				const XML_Char **atts)
{
	struct xlsxr *r = arg;
	const char *l = local(name);
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
			cb_stop(r, sheet_xml_fail(r, NULL));
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

static void XMLCALL sheet_end(void *arg, const XML_Char *name)
{
	struct xlsxr *r = arg;
	const char *l = local(name);
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
				cb_stop(r, rc);
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

/* ------------------------------------------------------------ source */

/* Fills err for a failed system call on the source. */
static int fail_io(struct xlsxr *r, int e, struct fai_err *err)
{
	int code = e == ENOENT ? FAI_ENOTFOUND : FAI_EIO;
	fai_err_set_about(err, code, FAI_WHY_NONE, FAI_ABOUT_FILE, "file",
			  r->name);
	fai_err_detail(err, "%s", strerror(e));
	if (err)
		err->sys_errno = e;
	return -code;
}

/* A private temporary file, unlinked: its descriptor or -1 (errno). */
static int temp_fd(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
#ifdef O_TMPFILE
	int fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	char *path = xasprintf("%s/fai-xlsx-XXXXXX", dir);
	int t = mkostemp(path, O_CLOEXEC);
	if (t >= 0)
		unlink(path);
	free(path);
	return t;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads the source to its end, hashing it; a pipe's bytes go to a
 * temporary file that replaces r->fd.  Returns 0 or a negative error. */
static int source_read(struct xlsxr *r, int seekable, struct fai_err *err)
{
	struct sha256 ctx;
	char *blk = xmalloc(XLSXR_BLOCK);
	int tmp = -1, rc = 0;
	sha256_init(&ctx);
	if (!seekable && (tmp = temp_fd()) < 0) {
		rc = fail_io(r, errno, err);
		goto out;
	}
	r->size = 0;
	if (tmp >= 0 && r->nhead) { /* what the caller read first */
		sha256_update(&ctx, r->head, r->nhead);
		r->size = r->nhead;
		if (write_all(tmp, (const char *)r->head, r->nhead) != 0) {
			rc = fail_io(r, errno, err);
			goto out;
		}
	}
	for (;;) {
		ssize_t got = read(r->fd, blk, XLSXR_BLOCK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = fail_io(r, errno, err);
			goto out;
		}
		if (got == 0)
			break;
		sha256_update(&ctx, blk, (size_t)got);
		r->size += (unsigned long long)got;
		if (tmp < 0)
			continue;
		if (r->size > XLSX_SOURCE_MAX) {
			rc = fail_big(r, err, NULL, r->size, XLSX_SOURCE_MAX);
			goto out;
		}
		if (write_all(tmp, blk, (size_t)got) != 0) {
			int e = errno;
			rc = fail_io(r, e, err);
			if (e == ENOSPC)
				rc = fai_err_set_about(
				    err, FAI_ENOSPACE, FAI_WHY_NONE,
				    FAI_ABOUT_FILE, "file", r->name);
			goto out;
		}
	}
	sha256_final(&ctx, r->sha);
	if (tmp >= 0) {
		if (r->fd != STDIN_FILENO)
			close(r->fd);
		r->fd = tmp;
		tmp = -1;
	}
	if (lseek(r->fd, 0, SEEK_SET) != 0)
		rc = fail_io(r, errno, err);
out:
	if (tmp >= 0)
		close(tmp);
	free(blk);
	return rc;
}

/* Opens path as csvr_open does: r->fd, and whether it can seek. */
static int source_open(struct xlsxr *r, const char *path, int *seekable,
		       struct fai_err *err)
{
	struct stat st, fst;
	if (strcmp(path, "-") == 0) {
		if (fstat(STDIN_FILENO, &fst) != 0)
			return fail_io(r, errno, err);
		if (S_ISDIR(fst.st_mode) || S_ISBLK(fst.st_mode) ||
		    (S_ISCHR(fst.st_mode) && !isatty(STDIN_FILENO)))
			goto not_file;
		/* Standard input is read, never closed nor sought: copied. */
		r->fd = STDIN_FILENO;
		*seekable = 0;
		return 0;
	}
	/* Devices, directories and sockets are refused before they are
	 * opened; a pipe is opened and waits for its writer. */
	if (stat(path, &st) != 0)
		return fail_io(r, errno, err);
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		goto not_file;
	r->fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (r->fd < 0)
		return fail_io(r, errno, err);
	if (fstat(r->fd, &fst) != 0)
		return fail_io(r, errno, err);
	/* Replaced between the two looks: judge what was opened. */
	if (!S_ISREG(fst.st_mode) && !S_ISFIFO(fst.st_mode))
		goto not_file;
	*seekable = S_ISREG(fst.st_mode);
	return 0;
not_file:
	return fai_err_set_about(err, FAI_EINVAL, FAI_WHY_NOT_FILE,
				 FAI_ABOUT_SOURCE, "file", path);
}

/* ------------------------------------------------------------ entries */

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* The number of entries the zip's end record announces (its zip64 record
 * when it has one), read before libzip is given the file: libzip reads
 * the whole central directory at once, about 300 bytes of memory for
 * each entry, and a hostile file of 36 MB announcing 4 10^5 entries took
 * 124 MB and 4.5 s before the count could be judged.  0 when no end
 * record is found (libzip then says what is wrong). */
static uint64_t zip_entries(int fd, unsigned long long size)
{
	enum { EOCD = 22, TAIL = EOCD + 65535 };
	unsigned char *tail, rec[56];
	size_t n = size < TAIL ? (size_t)size : TAIL;
	uint64_t entries = 0;
	if (n < EOCD)
		return 0;
	tail = xmalloc(n);
	if (pread(fd, tail, n, (off_t)(size - n)) != (ssize_t)n)
		goto out;
	for (size_t i = n - EOCD + 1; i-- > 0;) {
		if (memcmp(tail + i, "PK\5\6", 4) != 0)
			continue;
		entries = le(tail + i + 10, 2);
		/* A zip64 end record: its locator lies just before. */
		unsigned long long at = size - n + i;
		if (entries == 0xffff && at >= 20 &&
		    pread(fd, rec, 20, (off_t)(at - 20)) == 20 &&
		    memcmp(rec, "PK\6\7", 4) == 0) {
			uint64_t z = le(rec + 8, 8);
			if (z < size && pread(fd, rec, 56, (off_t)z) == 56 &&
			    memcmp(rec, "PK\6\6", 4) == 0)
				entries = le(rec + 32, 8);
		}
		break;
	}
out:
	free(tail);
	return entries;
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
	rc = source_open(r, path, &seekable, err);
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
		rc = fail_io(r, errno, err);
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		/* a file is read again from its start (a copy of the
		 * descriptor shares the offset: it is ours now) */
		if (lseek(r->fd, 0, SEEK_SET) != 0) {
			rc = fail_io(r, errno, err);
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

	rc = source_read(r, seekable, err);
	if (rc)
		goto fail;
	uint64_t announced = zip_entries(r->fd, r->size);
	if (announced > XLSX_ENTRIES_MAX) {
		rc = fail_big(r, err, NULL, announced, XLSX_ENTRIES_MAX);
		if (err)
			snprintf(err->field, sizeof(err->field), "entries");
		goto fail;
	}
	r->za = zip_fdopen(r->fd, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!r->za) {
		zip_error_t ze;
		rc = fail_file(r, err, FAI_WHY_XLSX_ZIP, NULL, NULL);
		zip_error_init_with_code(&ze, zerr);
		fai_err_detail(err, "%s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto fail;
	}
	r->fd = -1; /* libzip's now */
	zip_int64_t entries = zip_get_num_entries(r->za, 0);
	if (entries > XLSX_ENTRIES_MAX) {
		rc = fail_big(r, err, NULL, (unsigned long long)entries,
			      XLSX_ENTRIES_MAX);
		if (err)
			snprintf(err->field, sizeof(err->field), "entries");
		goto fail;
	}

	rc = part_parse(r, PART_WORKBOOK, "xl/workbook.xml", wb_start, no_end,
			0, err);
	if (rc)
		goto fail;
	if (!r->sheet_rid && r->sheet_rid_ci) {
		r->sheet_rid = r->sheet_rid_ci;
		r->sheet_rid_ci = NULL;
	}
	if (!r->sheet_rid) {
		if (sheet)
			rc = fail_file(r, err, FAI_WHY_XLSX_SHEET, NULL, sheet);
		else
			rc = fail_file(r, err, FAI_WHY_XLSX_XML,
				       "xl/workbook.xml", NULL);
		goto fail;
	}
	rc = part_parse(r, PART_RELS, "xl/_rels/workbook.xml.rels", rels_start,
			no_end, 0, err);
	if (rc)
		goto fail;
	if (!r->sheet_target) {
		rc = fail_file(r, err, FAI_WHY_XLSX_XML,
			       "xl/_rels/workbook.xml.rels", NULL);
		goto fail;
	}
	rc = part_parse(r, PART_STRINGS,
			r->strings_target ? r->strings_target
					  : "xl/sharedStrings.xml",
			sst_start, sst_end, 1, err);
	if (rc >= 0)
		rc = sst_finish(r, err);
	if (rc < 0)
		goto fail;
	rc = part_open(r, PART_SHEET, r->sheet_target, sheet_start, sheet_end,
		       0, err);
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
		int rc = part_step(r, err);
		r->sheet_offset = r->inflated;
		if (rc) {
			r->rc = rc;
			if (err)
				r->cerr = *err;
			return rc;
		}
		if (part_finished(r))
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
	part_close(r);
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
