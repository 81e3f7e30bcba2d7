/* export.c - `fai export`: every idea (or those a filter keeps) as one
 * row of a CSV file or an XLSX workbook, sorted by id, in one read transaction;
 * what was sent is remembered (the exchange bases) once the file is in place.
 */
#include "exchange.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../core/exchange.h"
#include "../core/utf8.h"
#include "../core/uuid.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "exchange_int.h"
#include "internal.h"
#include "outfile.h"
#include "xlsx.h"

/* ------------------------------------------------------------ export */

/* Where the rows go: a CSV writer or a workbook. */
struct sink {
	struct csvw *csv;
	struct xlsxw *xlsx;
};

static void sink_cell(struct sink *k, const char *v, int text)
{
	size_t n = strlen(v);
	if (!k->xlsx) {
		csvw_cell(k->csv, v, n, text);
	} else if (text && exchange_is_guarded(v, n)) {
		/* '=x would lose its quote on import, which unguards a
		 * workbook's cells as excel-fr's: one more, as in CSV */
		char *q = xasprintf("'%s", v);
		xlsxw_cell(k->xlsx, q, n + 1);
		free(q);
	} else {
		xlsxw_cell(k->xlsx, v, n);
	}
}

/* Ends a row: 0, or a negative error with errno (CSV) or err (XLSX). */
static int sink_row_end(struct sink *k, struct fai_err *err)
{
	return k->xlsx ? xlsxw_row_end(k->xlsx, err) : csvw_row_end(k->csv);
}

/* A column's title in the file: its code name, or its French title. */
static const char *column_title(const struct export_opts *o,
				const struct column *c)
{
	return c->field >= 0 && o->headers_fr
		   ? idea_field_info(c->field)->title_fr
		   : c->name;
}

/* What a workbook's column holds, and how it shows it. */
static void xlsx_column_of(const struct column *c, const char *title,
			   struct xlsx_column *x, struct buf *about)
{
	static const struct {
		int field;
		enum xlsx_kind kind;
		unsigned width;
	} kinds[] = {
	    {IDEA_ID, XLSX_TEXT, 37},
	    {IDEA_REF, XLSX_TEXT, 10},
	    {IDEA_TITLE, XLSX_TEXT, 40},
	    {IDEA_STAGE, XLSX_TEXT, 20},
	    {IDEA_REGION, XLSX_TEXT, 7},
	    {IDEA_TERRITORY, XLSX_TEXT, 12},
	    {IDEA_SIRET, XLSX_TEXT, 16},
	    {IDEA_LAUNCH_DATE, XLSX_DATE, 12},
	    {IDEA_JOBS, XLSX_NUMBER, 8},
	    {IDEA_REVISION, XLSX_NUMBER, 8},
	    {IDEA_CREATED_AT, XLSX_TIME, 17},
	    {IDEA_UPDATED_AT, XLSX_TIME, 17},
	    {IDEA_STAGE_SINCE, XLSX_TIME, 17},
	};
	memset(x, 0, sizeof(*x));
	x->title = title;
	x->code = c->name;
	x->kind = XLSX_TEXT;
	buf_reset(about);
	if (c->field < 0) {
		buf_adds(about, exchange_fr.extra_about);
	} else {
		const struct idea_field_info *fi = idea_field_info(c->field);
		buf_adds(about, fi->about_fr);
		/* the stage's values, from the one table of labels */
		for (int s = 0; c->field == IDEA_STAGE && s < STAGE_COUNT; s++)
			buf_printf(about, "%s%s", s ? ", " : " ",
				   stage_label_fr((enum stage)s));
		x->wrap = (fi->flags & IDEA_FF_MULTILINE) != 0;
		x->width = x->wrap ? 50 : 20;
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (kinds[i].field == c->field) {
				x->kind = kinds[i].kind;
				x->width = kinds[i].width;
			}
	}
}

/* Starts the workbook of an export: its columns and their legend. */
static struct xlsxw *xlsx_start(const struct export_opts *o,
				const struct columns *cs, struct fai_err *err)
{
	struct xlsx_column *x = xcalloc(cs->n + 1, sizeof(*x));
	struct buf *about = xcalloc(cs->n + 1, sizeof(*about));
	for (size_t i = 0; i < cs->n; i++) {
		buf_init(&about[i]);
		xlsx_column_of(&cs->c[i], column_title(o, &cs->c[i]), &x[i],
			       &about[i]);
		x[i].about = about[i].data;
	}
	struct xlsxw *w =
	    xlsxw_new(exchange_fr.sheet, exchange_fr.legend, x, cs->n, err);
	for (size_t i = 0; i < cs->n; i++)
		buf_free(&about[i]);
	free(about);
	free(x);
	return w;
}

/* The output could not be written (errno e): a full disk says so. */
static int export_write_failed(int e, struct fai_err *err)
{
	int code = e == ENOSPC || e == EDQUOT ? FAI_ENOSPACE : FAI_EIO;
	fai_err_set_about(err, code, FAI_WHY_NONE, FAI_ABOUT_OUTPUT, "output",
			  NULL);
	fai_err_detail(err, "%s", strerror(e));
	if (err)
		err->sys_errno = e;
	return -code;
}

int store_export(struct store *s, FILE *f, const struct export_opts *o,
		 struct exchange_stats *st, struct fai_err *err)
{
	struct store_txn t;
	struct columns cs = {NULL, 0};
	struct strmap byname = {NULL, NULL, 0, 0}; /* extra column -> index */
	const char **extra = NULL; /* each idea's value of each column */
	MDB_cursor *c = NULL;
	MDB_val key, val;
	struct sink w = {NULL, NULL};
	FILE *spool = (s->flags & STORE_READONLY) ? NULL : exchange_tmpfile();
	uint64_t counts[STAGE_COUNT] = {0}, total = 0;
	struct idea_view view; /* each idea, decoded into arena */
	struct codec_arena arena;
	int rc, e = 0;

	memset(&arena, 0, sizeof(arena));
	memset(st, 0, sizeof(*st));
	if (!spool && !(s->flags & STORE_READONLY)) {
		rc = write_fail(err, errno, "(temporary file)");
		goto out;
	}
	rc = st_rd_begin(s, &t, err);
	if (rc)
		goto out;
	rc = columns_for_export(&t, &cs, err);
	for (int i = 0; !rc && i < STAGE_COUNT; i++) {
		char k[40];
		snprintf(k, sizeof(k), "count:%s", stage_code(i));
		rc = st_meta_u64(&t, k, &counts[i], err);
		total += counts[i];
	}
	if (rc)
		goto end;
	extra = xcalloc(cs.n + 1, sizeof(*extra));
	for (size_t i = 0; i < cs.n; i++)
		if (cs.c[i].field < 0)
			strmap_add(&byname, cs.c[i].name, i, NULL);
	if (o->format == EXPORT_XLSX) {
		w.xlsx = xlsx_start(o, &cs, err);
		if (!w.xlsx) {
			rc = -FAI_EIO;
			goto end;
		}
	} else {
		w.csv = csvw_new(f, o->dialect);
		for (size_t i = 0; i < cs.n; i++)
			sink_cell(&w, column_title(o, &cs.c[i]), 1);
		rc = sink_row_end(&w, err);
		if (rc) {
			e = errno;
			goto io;
		}
	}
	rc = mdb_cursor_open(t.txn, s->dbi[DB_BY_ID], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "by_id");
		goto end;
	}
	uint64_t seen = 0;
	const struct idea_view *idea = &view;
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		MDB_val rec;
		unsigned char k8[8];
		if (val.mv_size != 8)
			continue;
		memcpy(k8, val.mv_data, 8);
		rc = st_get(&t, DB_IDEAS, k8, 8, &rec);
		if (rc) {
			rc = rc == MDB_NOTFOUND
				 ? fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE,
					       "by_id", NULL)
				 : st_fail(&t, rc, err, "ideas");
			break;
		}
		if (codec_idea_view(rec.mv_data, rec.mv_size, codec_get_u64(k8),
				    &view, &arena) < 0) {
			st_damaged_at(err, DB_IDEAS, codec_get_u64(k8));
			rc = -FAI_ESTORE;
			break;
		}
		seen++;
		if (o->progress && (seen & 4095) == 0)
			o->progress(seen, total, o->progress_arg);
		if (o->filter && !o->filter(idea, o->filter_arg))
			continue;
		/* Each unknown column's value (the first of that name), in
		 * one pass over the idea's: linear in the columns. */
		for (size_t i = 0; i < idea->nextra; i++) {
			size_t col;
			if (strmap_get(&byname, idea->extra[i].name, &col) &&
			    !extra[col])
				extra[col] = idea->extra[i].value;
		}
		for (size_t i = 0; i < cs.n; i++) {
			int fld = cs.c[i].field;
			const char *v = fld >= 0   ? idea_view_get(idea, fld)
					: extra[i] ? extra[i]
						   : "";
			int text = fld < 0 || !(idea_field_info(fld)->flags &
						IDEA_FF_NUMERIC);
			if (fld == IDEA_STAGE && o->labels_fr && *v)
				v = stage_label_fr(stage_parse(v));
			sink_cell(&w, v, text);
			extra[i] = NULL;
		}
		int wrc = sink_row_end(&w, err);
		if (wrc && !w.xlsx)
			e = errno;
		if (wrc && w.xlsx && err && err->why == FAI_WHY_XLSX_CELL) {
			/* name the idea whose cell is too long */
			fai_err_about(err, FAI_ABOUT_CELL);
			snprintf(err->value, sizeof(err->value), "%s",
				 idea_view_get(idea, IDEA_REF));
			snprintf(err->field, sizeof(err->field), "%s",
				 cs.c[err->column - 1].name);
		}
		st->rows++;
		if (spool && !wrc) {
			struct spool_rec r;
			unsigned char old[SHA256_LEN];
			uint64_t oldrev = 0;
			memset(&r, 0, sizeof(r));
			r.key = idea->key;
			r.rev = idea_view_revision(idea);
			exchange_hash(idea, r.hash);
			if (!base_read(&t, r.key, old, &oldrev) ||
			    memcmp(old, r.hash, SHA256_LEN) != 0 ||
			    oldrev != r.rev)
				if (fwrite(&r, sizeof(r), 1, spool) != 1) {
					e = errno;
					wrc = -FAI_EIO;
				}
		}
		if (wrc) {
			rc = wrc;
			if (w.xlsx)
				goto end;
			goto io;
		}
	}
	if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc > 0)
		rc = st_fail(NULL, rc, err, "by_id");
	if (o->progress)
		o->progress(total, total, o->progress_arg);
	goto end;
io:
	rc = export_write_failed(e ? e : EIO, err);
end:
	if (c)
		mdb_cursor_close(c);
	st_rd_end(&t);
	if (!rc && w.xlsx)
		rc = xlsxw_finish(w.xlsx, f, err);
	if (!rc && fflush(f) != 0)
		rc = export_write_failed(errno, err);
	if (!rc && o->publish)
		rc = o->publish(o->publish_arg, err);
	/* Remember what was sent only once it is all written, and where
	 * its reader finds it. */
	if (!rc && spool && fflush(spool) != 0)
		rc = write_fail(err, errno, "(temporary file)");
	if (!rc && spool)
		rc = spool_flush(s, spool, err);
out:
	codec_arena_free(&arena);
	if (spool)
		fclose(spool);
	strmap_free(&byname);
	free(extra);
	columns_free(&cs);
	csvw_free(w.csv);
	xlsxw_free(w.xlsx);
	return rc;
}
