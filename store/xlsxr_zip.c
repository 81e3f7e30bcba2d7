/* xlsxr_zip.c - the XLSX reader's package: where its bytes come from (a
 * file, a pipe, standard input), the zip's entries, and each XML part
 * given to expat as it inflates, under the bounds that hold against
 * hostile files.
 *
 * At open the source is read once, to its end: every byte is hashed, and a
 * pipe or standard input is copied to a private temporary file (unlinked at
 * once) that libzip can seek in.  A document type declaration is refused
 * outright, so no entity is ever declared and none expands.  Every part
 * counts the bytes it really inflated (never trusting the declared size)
 * against XLSX_PART_MAX and, past 1 MiB, against XLSX_RATIO_MAX times its
 * compressed size; only stored and deflated entries, unencrypted, are
 * read.  What expat itself holds is counted against XLSXR_EXPAT_MAX.  The
 * state is struct xlsxr (xlsxr_int.h); the parts' handlers are the
 * workbook's (xlsxr.c) and the parsers' (xlsxr_sheet.c). */
#include "xlsxr_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/xmalloc.h"

#define XLSXR_BLOCK 65536
#define XLSXR_RATIO_FROM ((unsigned long long)1 << 20)
/* What expat may hold at once (its buffer, which grows to the longest tag
 * or comment, its stack, its attributes): a real workbook needs about
 * 200 KiB, a hostile one would take a gigabyte for one long tag.  And
 * expat 2.5 scans an unfinished tag again from its start at each block,
 * so the time grows as the square of the bound: a tag of 20 MiB took
 * 3 min; 4 MiB takes 0.3 s. */
#define XLSXR_EXPAT_MAX ((size_t)4 << 20)

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
	xlsxr_cb_stop(
	    r, xlsxr_fail_file(r, &r->cerr, FAI_WHY_XLSX_XML, r->part, NULL));
}

/* Closes every part-level resource: the parser and the entry. */
void xlsxr_part_close(struct xlsxr *r)
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
int xlsxr_part_open(struct xlsxr *r, enum part_kind kind, const char *path,
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
		return optional ? 1
				: xlsxr_fail_file(r, err, FAI_WHY_XLSX_XML,
						  path, NULL);
	zip_stat_init(&st);
	if (zip_stat_index(r->za, (zip_uint64_t)i, 0, &st) != 0) {
		xlsxr_fail_file(r, err, FAI_WHY_XLSX_ZIP, path, NULL);
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
		return xlsxr_fail_file(r, err, FAI_WHY_XLSX_ZIP, path, NULL);
	r->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	r->declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	r->zf = zip_fopen_index(r->za, (zip_uint64_t)i, 0);
	if (!r->zf) {
		xlsxr_fail_file(r, err, FAI_WHY_XLSX_ZIP, path, NULL);
		fai_err_detail(err, "%s", zip_strerror(r->za));
		return -FAI_EINVAL;
	}
	r->p = XML_ParserCreate_MM(NULL, &expat_memory, NULL);
	if (!r->p)
		abort(); /* out of memory, as xmalloc */
	XML_SetUserData(r->p, r);
	XML_SetStartDoctypeDeclHandler(r->p, on_doctype);
	XML_SetElementHandler(r->p, start, end);
	XML_SetCharacterDataHandler(r->p, xlsxr_on_text);
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
		return xlsxr_fail_big(r, err, r->part, expat_held,
				      XLSXR_EXPAT_MAX);
	int rc = xlsxr_fail_file(r, err, FAI_WHY_XLSX_XML, r->part, NULL);
	fai_err_detail(err, "%s", XML_ErrorString(code));
	return rc;
}

/* Inflates the next block of the part into expat and parses it, or
 * resumes a suspended parse.  Returns 0, or a negative error. */
int xlsxr_part_step(struct xlsxr *r, struct fai_err *err)
{
	XML_ParsingStatus ps;
	enum XML_Status st;
	XML_GetParsingStatus(r->p, &ps);
	if (ps.parsing == XML_SUSPENDED) {
		st = XML_ResumeParser(r->p);
	} else {
		void *b = XML_GetBuffer(r->p, XLSXR_BLOCK);
		if (!b) /* our bound: a shortage aborts in em_realloc */
			return xlsxr_fail_big(r, err, r->part,
					      expat_held + XLSXR_BLOCK,
					      XLSXR_EXPAT_MAX);
		zip_int64_t got = zip_fread(r->zf, b, XLSXR_BLOCK);
		if (got < 0) {
			xlsxr_fail_file(r, err, FAI_WHY_XLSX_ZIP, r->part,
					NULL);
			fai_err_detail(err, "%s", zip_file_strerror(r->zf));
			return -FAI_EINVAL;
		}
		r->inflated += (unsigned long long)got;
		if (r->inflated > XLSX_PART_MAX)
			return xlsxr_fail_big(r, err, r->part, r->inflated,
					      XLSX_PART_MAX);
		if (r->inflated > XLSXR_RATIO_FROM &&
		    r->inflated / XLSX_RATIO_MAX > r->comp)
			return xlsxr_fail_big(r, err, r->part, r->inflated,
					      r->comp * XLSX_RATIO_MAX);
		r->final = got == 0;
		st = XML_ParseBuffer(r->p, (int)got, r->final);
	}
	if (st == XML_STATUS_ERROR)
		return part_xml_error(r, err);
	return 0;
}

/* 1 when the part was parsed to its end. */
int xlsxr_part_finished(const struct xlsxr *r)
{
	XML_ParsingStatus ps;
	XML_GetParsingStatus(r->p, &ps);
	return ps.parsing == XML_FINISHED;
}

/* Parses a whole part at once (the workbook, its relationships, the
 * shared strings). */
int xlsxr_part_parse(struct xlsxr *r, enum part_kind kind, const char *path,
		     XML_StartElementHandler start, XML_EndElementHandler end,
		     int optional, struct fai_err *err)
{
	int rc = xlsxr_part_open(r, kind, path, start, end, optional, err);
	while (rc == 0 && !xlsxr_part_finished(r))
		rc = xlsxr_part_step(r, err);
	xlsxr_part_close(r);
	return rc;
}

/* ------------------------------------------------------------ source */

/* A private temporary file, unlinked: its descriptor or -1 (errno). */
int xlsxr_temp_fd(void)
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

int xlsxr_write_all(int fd, const char *s, size_t n)
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
int xlsxr_source_read(struct xlsxr *r, int seekable, struct fai_err *err)
{
	struct sha256 ctx;
	char *blk = xmalloc(XLSXR_BLOCK);
	int tmp = -1, rc = 0;
	sha256_init(&ctx);
	if (!seekable && (tmp = xlsxr_temp_fd()) < 0) {
		rc = xlsxr_fail_io(r, errno, err);
		goto out;
	}
	r->size = 0;
	if (tmp >= 0 && r->nhead) { /* what the caller read first */
		sha256_update(&ctx, r->head, r->nhead);
		r->size = r->nhead;
		if (xlsxr_write_all(tmp, (const char *)r->head, r->nhead) !=
		    0) {
			rc = xlsxr_fail_io(r, errno, err);
			goto out;
		}
	}
	for (;;) {
		ssize_t got = read(r->fd, blk, XLSXR_BLOCK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = xlsxr_fail_io(r, errno, err);
			goto out;
		}
		if (got == 0)
			break;
		sha256_update(&ctx, blk, (size_t)got);
		r->size += (unsigned long long)got;
		if (tmp < 0)
			continue;
		if (r->size > XLSX_SOURCE_MAX) {
			rc = xlsxr_fail_big(r, err, NULL, r->size,
					    XLSX_SOURCE_MAX);
			goto out;
		}
		if (xlsxr_write_all(tmp, blk, (size_t)got) != 0) {
			int e = errno;
			rc = xlsxr_fail_io(r, e, err);
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
		rc = xlsxr_fail_io(r, errno, err);
out:
	if (tmp >= 0)
		close(tmp);
	free(blk);
	return rc;
}

/* Opens path as csvr_open does: r->fd, and whether it can seek. */
int xlsxr_source_open(struct xlsxr *r, const char *path, int *seekable,
		      struct fai_err *err)
{
	struct stat st, fst;
	if (strcmp(path, "-") == 0) {
		if (fstat(STDIN_FILENO, &fst) != 0)
			return xlsxr_fail_io(r, errno, err);
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
		return xlsxr_fail_io(r, errno, err);
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		goto not_file;
	r->fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (r->fd < 0)
		return xlsxr_fail_io(r, errno, err);
	if (fstat(r->fd, &fst) != 0)
		return xlsxr_fail_io(r, errno, err);
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
uint64_t xlsxr_zip_entries(int fd, unsigned long long size)
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
