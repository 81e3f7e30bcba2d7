/* err.c - the text of the project's error codes and "why" refinements, and
 * the helpers that fill a struct fai_err.
 *
 * The texts come from the X-lists in err.h, so a code and its words cannot
 * drift apart.  fai_err_set fills code, why, field and value (cut to fit,
 * never inside a UTF-8 sequence) and resets detail and the typed facts;
 * file and line are left as they were, for the layer that knows them (an
 * importer, the template parser) sets them around the call. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const err_texts[] = {"success",
#define FAI_X_TEXT(name, text) text,
					FAI_ERROR_LIST(FAI_X_TEXT)
#undef FAI_X_TEXT
};

static const char *const why_texts[] = {
#define FAI_X_TEXT(name, text) text,
    FAI_WHY_LIST(FAI_X_TEXT)
#undef FAI_X_TEXT
};

const char *fai_strerror(int code)
{
	if (code < 0)
		code = -code;
	if (code >= FAI_ERROR_END_ || code < 0)
		return "unknown error";
	return err_texts[code];
}

const char *fai_why_text(int why)
{
	if (why < 0 || why >= FAI_WHY_END_)
		return "";
	return why_texts[why];
}

/* Resets the facts a new failure sets, keeping file and line. */
static void err_facts_clear(struct fai_err *err)
{
	err->about = 0;
	err->detail[0] = '\0';
	err->line2 = 0;
	err->column = err->column2 = 0;
	err->rev_had = err->rev_found = 0;
	err->by[0] = '\0';
	err->at = 0;
	err->stage = err->stage_from = -1;
	err->missing = 0;
	err->count = err->limit = 0;
	err->sys_errno = 0;
	err->file_kind = 0;
	err->path[0] = '\0';
}

/* Called for every row and cell an import checks: it resets what a
 * reader looks at (codes, numbers, the first byte of each text), not the
 * whole 1.5 KiB. */
void fai_err_clear(struct fai_err *err)
{
	if (err == NULL)
		return;
	err->code = err->why = 0;
	err->field[0] = err->value[0] = err->file[0] = '\0';
	err->line = 0;
	err_facts_clear(err);
}

/* Copies s into dst (size bytes), cutting at a UTF-8 boundary. */
static void err_copy_cut(char *dst, size_t size, const char *s)
{
	size_t n;

	if (s == NULL) {
		dst[0] = '\0';
		return;
	}
	n = strlen(s);
	if (n >= size) {
		n = size - 1;
		/* Back up over continuation bytes to the lead byte, and drop
		 * the lead byte too: its sequence would be cut. */
		if (((unsigned char)s[n] & 0xC0) == 0x80) {
			while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
		}
	}
	memmove(dst, s, n); /* s may be dst itself */
	dst[n] = '\0';
}

int fai_err_set(struct fai_err *err, int code, int why, const char *field,
		const char *value)
{
	if (code < 0)
		code = -code;
	if (err != NULL) {
		/* field or value may be err's own: copied first */
		err_copy_cut(err->field, sizeof(err->field), field);
		err_copy_cut(err->value, sizeof(err->value), value);
		err->code = code;
		err->why = why;
		err_facts_clear(err);
	}
	return -code;
}

int fai_err_set_about(struct fai_err *err, int code, int why, int about,
		      const char *field, const char *value)
{
	int rc = fai_err_set(err, code, why, field, value);

	fai_err_about(err, about);
	return rc;
}

void fai_err_about(struct fai_err *err, int about)
{
	if (err != NULL)
		err->about = about;
}

void fai_err_conflict(struct fai_err *err, uint64_t had, uint64_t found,
		      const char *by)
{
	if (err == NULL)
		return;
	err->rev_had = had;
	err->rev_found = found;
	err_copy_cut(err->by, sizeof(err->by), by);
}

void fai_err_stage(struct fai_err *err, int stage, int from)
{
	if (err == NULL)
		return;
	err->stage = stage;
	err->stage_from = from;
}

void fai_err_path(struct fai_err *err, const char *path)
{
	if (err != NULL)
		err_copy_cut(err->path, sizeof(err->path), path);
}

void fai_err_detail(struct fai_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}
