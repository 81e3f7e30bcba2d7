/* exchange.c - CSV export and import (format version 1).
 *
 * Columns: every exported field in the field table's order, with the
 * unknown columns met in earlier imports put back at the positions they had
 * (meta "csv:extras", lines "POS<TAB>NAME").  The database "exchanged"
 * holds, per idea, the fingerprint of what was last sent or received and
 * the local revision at that moment: the base of the three-way decision of
 * core/exchange.c. */
#include "exchange.h"

#include <errno.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/exchange.h"
#include "../core/uuid.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "internal.h"
#include "outfile.h"

#define EXCHANGE_BASE_LEN (SHA256_LEN + 8) /* then the seal (codec.h) */
#define EXCHANGE_BATCH 8192

/* ------------------------------------------------------------ columns */

struct column {
	int field;  /* enum idea_field, or -1 for an extra column */
	char *name; /* the header text */
};

struct columns {
	struct column *c;
	size_t n;
};

static void columns_add(struct columns *cs, size_t at, int field,
			const char *name)
{
	cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof(*cs->c));
	if (at > cs->n)
		at = cs->n;
	memmove(cs->c + at + 1, cs->c + at, (cs->n - at) * sizeof(*cs->c));
	cs->c[at].field = field;
	cs->c[at].name = xstrdup(name);
	cs->n++;
}

static void columns_free(struct columns *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->c[i].name);
	free(cs->c);
	cs->c = NULL;
	cs->n = 0;
}

/* The export columns: fields, then extras at their remembered places. */
static int columns_for_export(struct store_txn *t, struct columns *cs,
			      struct fai_err *err)
{
	char *extras = NULL;
	for (int f = 0; f < IDEA_FIELD_COUNT; f++)
		if (exchange_field_exported(f))
			columns_add(cs, cs->n, f, idea_field_info(f)->code);
	int rc = st_meta_read(t, "csv:extras", &extras, err);
	if (rc || !extras)
		return rc;
	char *save = NULL;
	for (char *line = strtok_r(extras, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		columns_add(cs, (size_t)strtoul(line, NULL, 10), -1, tab + 1);
	}
	free(extras);
	return 0;
}

static const char *extra_value(const struct idea *idea, const char *name)
{
	for (size_t i = 0; i < idea->nextra; i++)
		if (strcmp(idea->extra[i].name, name) == 0)
			return idea->extra[i].value;
	return "";
}

/* An anonymous temporary file in $TMPDIR (tmpfile() ignores it), or /tmp:
 * removed from the directory at once, so it goes when the process does. */
static FILE *exchange_tmpfile(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || dir[0] != '/')
		dir = "/tmp";
	char *path = xasprintf("%s/fai-XXXXXX", dir);
	int fd = mkstemp(path);
	FILE *f = NULL;
	if (fd >= 0) {
		unlink(path);
		f = fdopen(fd, "w+b");
		if (!f)
			close(fd);
	}
	free(path);
	return f;
}

/* ------------------------------------------------------------ bases */

static int base_read(struct store_txn *t, uint64_t key,
		     unsigned char hash[SHA256_LEN], uint64_t *rev)
{
	unsigned char k[8];
	MDB_val v;
	size_t n;
	codec_put_u64(k, key);
	/* A damaged base is no base: the row is judged as never exchanged
	 * (a conflict when both sides differ), never from wrong bytes. */
	if (st_get(t, DB_EXCHANGED, k, 8, &v) != 0 ||
	    codec_unseal(v.mv_data, v.mv_size, k, 8, &n) < 0 ||
	    n != EXCHANGE_BASE_LEN)
		return 0;
	memcpy(hash, v.mv_data, SHA256_LEN);
	*rev = codec_get_u64((unsigned char *)v.mv_data + SHA256_LEN);
	return 1;
}

static int base_write(struct store_txn *t, uint64_t key,
		      const unsigned char hash[SHA256_LEN], uint64_t rev,
		      struct fai_err *err)
{
	unsigned char k[8], v[EXCHANGE_BASE_LEN];
	struct buf b;
	codec_put_u64(k, key);
	memcpy(v, hash, SHA256_LEN);
	codec_put_u64(v + SHA256_LEN, rev);
	buf_init(&b);
	buf_add(&b, v, sizeof(v));
	codec_seal(&b, 0, k, 8);
	int rc = st_put(t, DB_EXCHANGED, k, 8, b.data, b.len, 0, err);
	buf_free(&b);
	return rc;
}

/* Bases to record after an export, spooled to a temporary file so memory
 * stays flat whatever the number of ideas. */
struct spool_rec {
	uint64_t key;
	uint64_t rev;
	unsigned char hash[SHA256_LEN];
};

struct spool_batch {
	struct spool_rec *r;
	size_t n;
};

static int spool_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct spool_batch *b = arg;
	for (size_t i = 0; i < b->n; i++) {
		int rc = base_write(t, b->r[i].key, b->r[i].hash, b->r[i].rev,
				    err);
		if (rc)
			return rc;
	}
	return 0;
}

static int spool_flush(struct store *s, FILE *spool, struct fai_err *err)
{
	struct spool_batch b;
	int rc = 0;
	b.r = xcalloc(EXCHANGE_BATCH, sizeof(*b.r));
	rewind(spool);
	while (!rc && (b.n = fread(b.r, sizeof(*b.r), EXCHANGE_BATCH, spool)))
		rc = store_write(s, spool_txn, &b, err);
	free(b.r);
	return rc;
}

/* ------------------------------------------------------------ export */

/* The output could not be written (errno e): a full disk says so. */
static int export_write_failed(int e, struct fai_err *err)
{
	int code = e == ENOSPC || e == EDQUOT ? FAI_ENOSPACE : FAI_EIO;
	fai_err_set(err, code, FAI_WHY_NONE, "output", NULL);
	fai_err_detail(err, "%s", strerror(e));
	return -code;
}

int store_export(struct store *s, FILE *f, const struct export_opts *o,
		 struct exchange_stats *st, struct fai_err *err)
{
	struct store_txn t;
	struct columns cs = {NULL, 0};
	MDB_cursor *c = NULL;
	MDB_val key, val;
	struct csvw *w = csvw_new(f, o->dialect);
	FILE *spool =
		(s->flags & STORE_READONLY) ? NULL : exchange_tmpfile();
	uint64_t counts[STAGE_COUNT] = {0}, total = 0;
	struct idea view; /* each idea, decoded into arena, not the heap */
	struct buf arena;
	int rc;

	buf_init(&arena);
	memset(&view, 0, sizeof(view));
	memset(st, 0, sizeof(*st));
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
	for (size_t i = 0; i < cs.n; i++)
		csvw_cell(w, cs.c[i].name, strlen(cs.c[i].name), 1);
	rc = csvw_row_end(w);
	if (rc)
		goto io;
	rc = mdb_cursor_open(t.txn, s->dbi[DB_BY_ID], &c);
	if (rc) {
		rc = st_fail(NULL, rc, err, "by_id");
		goto end;
	}
	uint64_t seen = 0;
	struct idea *idea = &view;
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
		if (codec_idea_view(rec.mv_data, rec.mv_size,
				    codec_get_u64(k8), &view, &arena) < 0) {
			fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL, NULL);
			fai_err_detail(err, "undecodable idea record %llu",
				       (unsigned long long)codec_get_u64(k8));
			rc = -FAI_ESTORE;
			break;
		}
		seen++;
		if (o->progress && (seen & 4095) == 0)
			o->progress(seen, total, o->progress_arg);
		if (o->filter && !o->filter(idea, o->filter_arg)) {
			codec_idea_view_clear(&view);
			continue;
		}
		for (size_t i = 0; i < cs.n; i++) {
			int fld = cs.c[i].field;
			const char *v = fld >= 0 ? idea_get(idea, fld)
						 : extra_value(idea, cs.c[i].name);
			int text = fld < 0 ||
				   !(idea_field_info(fld)->flags & IDEA_FF_NUMERIC);
			csvw_cell(w, v, strlen(v), text);
		}
		int wrc = csvw_row_end(w);
		st->rows++;
		if (spool && !wrc) {
			struct spool_rec r;
			unsigned char old[SHA256_LEN];
			uint64_t oldrev = 0;
			memset(&r, 0, sizeof(r));
			r.key = idea->key;
			r.rev = idea_revision(idea);
			exchange_hash(idea, r.hash);
			if (!base_read(&t, r.key, old, &oldrev) ||
			    memcmp(old, r.hash, SHA256_LEN) != 0 ||
			    oldrev != r.rev)
				if (fwrite(&r, sizeof(r), 1, spool) != 1)
					wrc = -FAI_EIO;
		}
		codec_idea_view_clear(&view);
		if (wrc) {
			rc = wrc;
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
	rc = export_write_failed(errno ? errno : EIO, err);
end:
	if (c)
		mdb_cursor_close(c);
	st_rd_end(&t);
	if (!rc && fflush(f) != 0)
		rc = export_write_failed(errno, err);
	/* Remember what was sent only once it is all written. */
	if (!rc && spool)
		rc = spool_flush(s, spool, err);
out:
	codec_idea_view_clear(&view);
	buf_free(&arena);
	if (spool)
		fclose(spool);
	columns_free(&cs);
	csvw_free(w);
	return rc;
}

/* ------------------------------------------------------------ import */

struct import {
	struct store *s;
	const struct store_actor *actor;
	const char *path;
	const struct import_opts *o;
	struct exchange_stats st;
	struct columns cs;
	int id_col, ref_col;
	int has_extras;
	struct csvr *r;
	struct outfile *rejects; /* never through a link: outfile.h */
	struct csvw *rw;
	char *text; /* the log text of each change: "import FILE" */
	/* Progress of a reading over the whole job: a bulk import reads the
	 * file twice, each reading half of the bar. */
	unsigned passes, pass;
	/* A bulk import's second reading comes from this spool, written by
	 * the first: the rows with their known cells already normalised
	 * (prepared), so they are neither parsed nor checked twice. */
	FILE *spool;
	unsigned long long spool_size;
	struct csvr_row srow; /* the last row read from it */
	int from_spool;
	int prepared; /* the current row's known cells are prepared */
};

static void import_progress(struct import *im, unsigned long long done)
{
	unsigned long long total = csvr_size(im->r);
	if (!im->o->progress)
		return;
	if (im->from_spool && im->spool_size)
		done = (unsigned long long)((double)done / (double)im->spool_size *
					    (double)total);
	if (im->passes > 1)
		done = (total * im->pass + done) / im->passes;
	im->o->progress(done, total, im->o->progress_arg);
}

/* Columns the format needs in every file. */
static const enum idea_field import_required[] = {IDEA_TITLE, IDEA_REGION};

/* Maps the header; lists missing required columns in one error. */
static int import_header(struct import *im, const struct csvr_row *h,
			 struct fai_err *err)
{
	struct buf missing;
	int seen[IDEA_FIELD_COUNT] = {0};
	im->id_col = im->ref_col = -1;
	im->has_extras = 0;
	for (size_t i = 0; i < h->n; i++) {
		/* excel-fr guards header cells as text cells (an unknown
		 * column may be named "=calc"). */
		const char *name = h->cells[i];
		if (csvr_delimiter(im->r) == ';' &&
		    exchange_is_guarded(name, h->lens[i]))
			name++;
		int f = idea_field_parse(name);
		if (f >= 0 && !exchange_field_exported(f))
			f = -1;
		if (f >= 0 && seen[f]) {
			fai_err_set(err, FAI_EINVAL, FAI_WHY_FIELD, "header",
				    name);
			fai_err_detail(err, "column %zu repeats %s", i + 1,
				       idea_field_info(f)->code);
			snprintf(err->file, sizeof(err->file), "%s", im->path);
			err->line = h->line;
			return -FAI_EINVAL;
		}
		if (f >= 0)
			seen[f] = 1;
		else
			im->has_extras = 1;
		if (f == IDEA_ID)
			im->id_col = (int)i;
		if (f == IDEA_REF)
			im->ref_col = (int)i;
		columns_add(&im->cs, im->cs.n, f, name);
	}
	buf_init(&missing);
	for (size_t i = 0; i < sizeof(import_required) / sizeof(*import_required);
	     i++)
		if (!seen[import_required[i]])
			buf_printf(&missing, "%s%s", missing.len ? " " : "",
				   idea_field_info(import_required[i])->code);
	if (missing.len) {
		fai_err_set(err, FAI_EINVAL, FAI_WHY_REQUIRED, "header", NULL);
		fai_err_detail(err, "%s", missing.data);
		if (err) {
			snprintf(err->file, sizeof(err->file), "%s", im->path);
			err->line = h->line;
		}
		buf_free(&missing);
		return -FAI_EINVAL;
	}
	buf_free(&missing);
	return 0;
}

static void event(struct import *im, enum import_event_kind kind, long line,
		  const char *ref, const struct fai_err *err,
		  const struct idea_change *ch, size_t nch)
{
	struct import_event ev = {kind, line, ref, err, ch, nch};
	if (im->o->report)
		im->o->report(&ev, im->o->report_arg);
}

/* Fields an import never takes from a file: local bookkeeping. */
static int import_skips(int f)
{
	return f == IDEA_REVISION || f == IDEA_UPDATED_AT ||
	       f == IDEA_UPDATED_BY;
}

/* Fills theirs from a row over base (a clone of the local idea, or a new
 * one): only the file's columns change it.  Returns 0 or -FAI_EINVAL with
 * err naming the column and value. */
static int import_row(struct import *im, const struct csvr_row *row,
		      struct idea *theirs, int is_new, struct fai_err *err)
{
	if (im->has_extras) {
		/* Only this file's unknown columns are replaced: an unknown
		 * column it does not have is kept, as a field is. */
		size_t k = 0;
		for (size_t i = 0; i < theirs->nextra; i++) {
			struct idea_extra *e = &theirs->extra[i];
			int in_file = 0;
			for (size_t c = 0; c < im->cs.n && !in_file; c++)
				in_file = im->cs.c[c].field < 0 &&
					  strcmp(im->cs.c[c].name, e->name) == 0;
			if (in_file) {
				free(e->name);
				free(e->value);
			} else {
				theirs->extra[k++] = *e;
			}
		}
		theirs->nextra = k;
		if (!k) {
			free(theirs->extra);
			theirs->extra = NULL;
		}
	}
	for (size_t i = 0; i < im->cs.n; i++) {
		const char *v = row->cells[i];
		size_t n = row->lens[i];
		int f = im->cs.c[i].field;
		if (strlen(v) != n) {
			fai_err_set(err, FAI_EINVAL, FAI_WHY_CONTROL,
				    im->cs.c[i].name, "\\0");
			return -FAI_EINVAL;
		}
		/* Only the excel-fr dialect (';') guards cells: an rfc4180
		 * cell is taken as it is.  A prepared cell of a known column
		 * is already its field's value. */
		if (csvr_delimiter(im->r) == ';' && exchange_is_guarded(v, n) &&
		    !(im->prepared && f >= 0)) {
			v++;
			n--;
		}
		if (f < 0) {
			if (n > EXCHANGE_FIELD_MAX) {
				fai_err_set(err, FAI_EINVAL, FAI_WHY_TOO_LONG,
					    im->cs.c[i].name, v);
				return -FAI_EINVAL;
			}
			/* Empty is none: export writes these columns empty for
			 * ideas that have none. */
			if (n > 0)
				idea_extra_add(theirs, im->cs.c[i].name, v,
					       (unsigned)i);
			continue;
		}
		/* A new idea keeps who changed it last and when; its revision
		 * counts this store's changes. */
		if (f == IDEA_ID || f == IDEA_REVISION ||
		    (!is_new && import_skips(f)))
			continue;
		/* ref is local: an import never changes it, so for an idea
		 * we have, the file's ref is no difference either. */
		if (f == IDEA_REF && (!*v || !is_new))
			continue;
		if (im->prepared) { /* normalised and checked already */
			idea_set_raw(theirs, f, *v ? v : NULL);
			continue;
		}
		int rc = idea_set(theirs, f, v, 1, err);
		if (rc) {
			if (err)
				snprintf(err->field, sizeof(err->field), "%s",
					 im->cs.c[i].name);
			return rc;
		}
	}
	/* A new idea is checked by st_create, once its defaults are in. */
	return is_new ? 0 : idea_check(theirs, err);
}

/* Writes a rejected row with its reason; on failure err says why (a
 * rejects file that is a link, or in a store, is refused). */
static int reject(struct import *im, const struct csvr_row *row,
		  const struct csvr_row *header, const struct fai_err *why,
		  struct fai_err *err)
{
	if (!im->o->skip_invalid || !im->o->rejects_path || im->o->dry_run)
		return 0;
	if (!im->rejects) {
		int rc = outfile_open(&im->rejects, im->o->rejects_path,
				      OUTFILE_REGULAR, err);
		if (rc)
			return rc;
		im->rw = csvw_new(outfile_stream(im->rejects),
				  csvr_delimiter(im->r) == ';'
					  ? CSV_DIALECT_EXCEL_FR
					  : CSV_DIALECT_RFC4180);
		for (size_t i = 0; i < header->n; i++)
			csvw_cell(im->rw, header->cells[i], header->lens[i], 0);
		csvw_cell(im->rw, "reason", 6, 0);
		if (csvw_row_end(im->rw))
			goto io;
	}
	for (size_t i = 0; i < row->n; i++)
		csvw_cell(im->rw, row->cells[i], row->lens[i], 0);
	char reason[1024];
	snprintf(reason, sizeof(reason), "line %ld: %s%s%s%s%s", row->line,
		 why->field, why->field[0] ? ": " : "",
		 fai_why_text(why->why), why->detail[0] ? " — " : "",
		 why->detail);
	csvw_cell(im->rw, reason, strlen(reason), 0);
	if (csvw_row_end(im->rw) == 0)
		return 0;
io: {
	int e = errno, rc;
	rc = fai_err_set(err, e == ENOSPC ? FAI_ENOSPACE : FAI_EIO,
			 FAI_WHY_NONE, "file", im->o->rejects_path);
	fai_err_detail(err, "%s", strerror(e));
	return rc;
}
}

/* Applies theirs onto local (an UPDATE or a conflict taken). */
static int import_apply(struct import *im, struct store_txn *t,
			const struct idea *local, const struct idea *theirs,
			const char *text, struct fai_err *err)
{
	struct idea *after = idea_clone(local);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		if (!exchange_field_exported(f) || import_skips(f) ||
		    f == IDEA_ID || f == IDEA_REF)
			continue;
		idea_set_raw(after, f, theirs->v[f]);
	}
	if (im->has_extras) {
		struct idea *x = idea_clone(theirs);
		for (size_t i = 0; i < after->nextra; i++) {
			free(after->extra[i].name);
			free(after->extra[i].value);
		}
		free(after->extra);
		after->extra = x->extra;
		after->nextra = x->nextra;
		x->extra = NULL;
		x->nextra = 0;
		idea_free(x);
	}
	enum stage s0 = idea_stage(local), s1 = idea_stage(after);
	int rc = 0;
	if (s0 != s1) {
		rc = st_rank_next(t, s1, &after->rank, err);
		if (!stage_is_pipeline(s1) && stage_is_pipeline(s0))
			idea_set_raw(after, IDEA_STAGE_PREV, stage_code(s0));
		else if (stage_is_pipeline(s1))
			idea_set_raw(after, IDEA_STAGE_PREV, NULL);
	}
	if (!rc)
		rc = st_idea_update(t, im->actor, local, after, LOG_IMPORT, text,
				    0, 0, err);
	idea_free(after);
	return rc;
}

/* Records a conflict kept local: the losing version goes to the log, as
 * the changes it would have made. */
static int import_keep_local(struct import *im, struct store_txn *t,
			     const struct idea *local,
			     const struct idea_change *ch, size_t nch,
			     struct fai_err *err)
{
	struct idea *after = idea_clone(local);
	struct log_entry e;
	st_idea_touch(after, im->actor);
	int rc = st_idea_store(t, after, 0, err);
	if (!rc) {
		char *text = xasprintf("%s: conflict, kept the local version; "
				       "theirs in the changes",
				       im->text);
		st_log_start(&e, im->actor, LOG_IMPORT, after);
		e.changes = (struct idea_change *)(uintptr_t)ch;
		e.nchanges = nch;
		e.text = text;
		rc = st_log_append(t, &e, err);
		free(text);
	}
	idea_free(after);
	return rc;
}

static int import_one(struct import *im, struct store_txn *t,
		      const struct csvr_row *row,
		      const struct csvr_row *header, struct fai_err *err)
{
	struct fai_err rerr;
	struct idea *local = NULL, *theirs = NULL;
	unsigned char id[UUID_LEN];
	uint64_t key = 0;
	int rc = 0, found = 0;
	MDB_val v;

	fai_err_clear(&rerr);
	snprintf(rerr.file, sizeof(rerr.file), "%s", im->path);
	rerr.line = row->line;
	if (row->n != im->cs.n) {
		fai_err_set(&rerr, FAI_EINVAL, FAI_WHY_NONE, "row", NULL);
		fai_err_detail(&rerr, "%zu cells, the header has %zu", row->n,
			       im->cs.n);
		goto invalid;
	}
	if (im->id_col >= 0) {
		const char *idtext = row->cells[im->id_col];
		if (uuid_parse(idtext, id) < 0) {
			fai_err_set(&rerr, FAI_EINVAL, FAI_WHY_UUID,
				    im->cs.c[im->id_col].name, idtext);
			goto invalid;
		}
		rc = st_get(t, DB_BY_ID, id, UUID_LEN, &v);
		if (rc == 0 && v.mv_size == 8) {
			key = codec_get_u64(v.mv_data);
			found = 1;
		} else if (rc != MDB_NOTFOUND) {
			return st_fail(t, rc, err, "by_id");
		}
		rc = 0;
	}
	if (found) {
		rc = st_idea_load(t, key, &local, err);
		if (rc)
			return rc;
		theirs = idea_clone(local);
	} else {
		theirs = idea_new();
		/* A new idea starts at need unless the file says otherwise
		 * (stage is not a required column). */
		idea_set_raw(theirs, IDEA_STAGE, stage_code(STAGE_NEED));
		if (im->id_col >= 0) {
			char idtext[UUID_STR_LEN]; /* lower case, always */
			uuid_format(id, idtext);
			idea_set_raw(theirs, IDEA_ID, idtext);
		}
	}
	if (import_row(im, row, theirs, !found, &rerr) < 0)
		goto invalid;

	if (!found) {
		/* A new idea: keep its reference unless it is taken here. */
		const char *ref = idea_get(theirs, IDEA_REF);
		if (*ref && st_get(t, DB_BY_REF, ref, strlen(ref), &v) == 0) {
			idea_set_raw(theirs, IDEA_REF, NULL);
			im->st.renumbered++;
		}
		char idtext[UUID_STR_LEN];
		snprintf(idtext, sizeof(idtext), "%s", idea_get(theirs, IDEA_ID));
		rc = st_create(t, im->actor, theirs, LOG_IMPORT, im->text,
			       im->prepared, err);
		if (rc == -FAI_EINVAL) { /* refused by the store's own checks */
			rerr = *err;
			snprintf(rerr.file, sizeof(rerr.file), "%s", im->path);
			rerr.line = row->line;
			fai_err_clear(err);
			goto invalid;
		}
		if (rc)
			goto out;
		unsigned char h[SHA256_LEN];
		exchange_hash(theirs, h);
		rc = base_write(t, theirs->key, h, idea_revision(theirs), err);
		im->st.added++;
		event(im, IMPORT_EVENT_ADDED, row->line, idea_get(theirs, IDEA_REF),
		      NULL, NULL, 0);
		goto out;
	}

	unsigned char ht[SHA256_LEN], hl[SHA256_LEN], hb[SHA256_LEN];
	uint64_t brev = 0;
	exchange_hash(theirs, ht);
	exchange_hash(local, hl);
	int have_base = base_read(t, key, hb, &brev);
	enum exchange_decision d = exchange_decide(ht, hl, idea_revision(local),
						   have_base, hb, brev);
	struct idea_change *ch = NULL;
	size_t nch = idea_diff(local, theirs, 1, &ch);
	const char *ref = idea_get(local, IDEA_REF);
	if (d == EXCHANGE_UNCHANGED) {
		im->st.unchanged++;
		if (memcmp(ht, hl, SHA256_LEN) == 0 &&
		    (!have_base || memcmp(hb, ht, SHA256_LEN) ||
		     brev != idea_revision(local)))
			rc = base_write(t, key, ht, idea_revision(local), err);
	} else if (d == EXCHANGE_UPDATE) {
		im->st.updated++;
		event(im, IMPORT_EVENT_UPDATED, row->line, ref, NULL, ch, nch);
		rc = import_apply(im, t, local, theirs, im->text, err);
		if (!rc)
			rc = base_write(t, key, ht, idea_revision(local) + 1, err);
	} else {
		im->st.conflicts++;
		event(im, IMPORT_EVENT_CONFLICT, row->line, ref, NULL, ch, nch);
		if (im->o->on_conflict == IMPORT_TAKE_THEIRS) {
			char *text = xasprintf("%s: conflict, took their version; "
					       "the local one in the changes",
					       im->text);
			rc = import_apply(im, t, local, theirs, text, err);
			free(text);
		} else if (im->o->on_conflict == IMPORT_KEEP_LOCAL) {
			rc = import_keep_local(im, t, local, ch, nch, err);
		}
		/* Decided: the same file again changes nothing. */
		if (!rc && im->o->on_conflict != IMPORT_FAIL)
			rc = base_write(t, key, ht, idea_revision(local) + 1, err);
	}
	idea_changes_free(ch, nch);
	goto out;

invalid:
	im->st.invalid++;
	event(im, IMPORT_EVENT_INVALID, row->line, NULL, &rerr, NULL, 0);
	int jr = reject(im, row, header, &rerr, err);
	if (jr < 0)
		rc = jr;
out:
	idea_free(local);
	idea_free(theirs);
	return rc;
}

/* Remembers the unknown columns of this file for later exports. */
static int import_extras_meta(struct import *im, struct store_txn *t,
			      struct fai_err *err)
{
	char *old = NULL;
	struct buf b;
	if (!im->has_extras)
		return 0;
	int rc = st_meta_read(t, "csv:extras", &old, err);
	if (rc)
		return rc;
	buf_init(&b);
	buf_adds(&b, old ? old : "");
	for (size_t i = 0; i < im->cs.n; i++) {
		if (im->cs.c[i].field >= 0)
			continue;
		char *needle = xasprintf("\t%s\n", im->cs.c[i].name);
		if (!strstr(b.data ? b.data : "", needle))
			buf_printf(&b, "%zu\t%s\n", i, im->cs.c[i].name);
		free(needle);
	}
	rc = st_meta_write(t, "csv:extras", b.data ? b.data : "", err);
	buf_free(&b);
	free(old);
	return rc;
}

/* ------------------------------------------------------------ spool */

/* The spool lives and dies with this process: native byte order. */
static void spool_u32_put(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t spool_u32_get(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Spools a row: prepared when its known cells hold their fields' values
 * (not the file's text).  A row is a head (line, cells, prepared, size of
 * the rest), then the cells' lengths, then the cells each with a NUL. */
static int prepared_put(FILE *f, struct buf *b, long line, int prepared,
			size_t n, const char *const *cells, const size_t *lens)
{
	unsigned char head[24], len[4];
	uint64_t body = 4 * (uint64_t)n;
	for (size_t i = 0; i < n; i++)
		body += lens[i] + 1;
	codec_put_u64(head, (uint64_t)line);
	spool_u32_put(head + 8, (uint32_t)n);
	spool_u32_put(head + 12, (uint32_t)prepared);
	codec_put_u64(head + 16, body);
	buf_reset(b);
	buf_reserve(b, sizeof(head) + (size_t)body);
	buf_add(b, head, sizeof(head));
	for (size_t i = 0; i < n; i++) {
		spool_u32_put(len, (uint32_t)lens[i]);
		buf_add(b, len, 4);
	}
	for (size_t i = 0; i < n; i++)
		buf_add(b, cells[i], lens[i] + 1); /* with its NUL */
	return fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
}

/* Reads the next spooled row into r (one allocation, as csvr's rows):
 * 1, 0 at the end, -1 when the spool is damaged or unreadable. */
static int prepared_get(FILE *f, struct csvr_row *r, int *prepared)
{
	unsigned char head[24];
	free(r->cells);
	memset(r, 0, sizeof(*r));
	size_t got = fread(head, 1, sizeof(head), f);
	if (got == 0 && feof(f))
		return 0;
	if (got != sizeof(head))
		return -1;
	size_t n = spool_u32_get(head + 8);
	uint64_t body = codec_get_u64(head + 16);
	if (body < 4 * (uint64_t)n || body > ((uint64_t)1 << 32))
		return -1;
	size_t slots = n ? n : 1;
	size_t at = slots * (sizeof(char *) + sizeof(size_t));
	char *mem = xmalloc(at + (size_t)body + 1);
	r->cells = (char **)(void *)mem;
	r->lens = (size_t *)(void *)(mem + slots * sizeof(char *));
	if (fread(mem + at, 1, (size_t)body, f) != body)
		return -1;
	const unsigned char *lp = (const unsigned char *)mem + at;
	char *p = mem + at + 4 * n, *end = mem + at + body;
	for (size_t i = 0; i < n; i++) {
		size_t l = spool_u32_get(lp + 4 * i);
		if ((size_t)(end - p) < l + 1)
			return -1;
		r->cells[i] = p;
		r->lens[i] = l;
		p += l + 1;
	}
	r->n = n;
	r->line = (long)codec_get_u64(head);
	*prepared = (int)spool_u32_get(head + 12);
	return 1;
}

/* The next row of the file, or of the spool in a bulk import's second
 * reading. */
static int import_next(struct import *im, struct csvr_row **row,
		       struct fai_err *err)
{
	if (!im->from_spool)
		return csvr_next(im->r, row, err);
	int rc = prepared_get(im->spool, &im->srow, &im->prepared);
	if (rc < 0) {
		fai_err_set(err, FAI_EIO, FAI_WHY_NONE, "file", "(spool)");
		fai_err_detail(err, "the temporary copy of the rows is unreadable");
		return -FAI_EIO;
	}
	*row = &im->srow;
	return rc;
}

#define IMPORT_DRY_RUN 1 /* returned by the transaction to abort it */

static int import_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct import *im = arg;
	struct csvr_row *row, header;
	int rc;

	memset(&im->st, 0, sizeof(im->st));
	columns_free(&im->cs);
	if (im->from_spool) {
		rewind(im->spool);
	} else {
		csvr_free(im->r);
		im->r = NULL;
	}
	if (im->rejects) {
		csvw_free(im->rw);
		outfile_abort(im->rejects);
		im->rejects = NULL;
		im->rw = NULL;
	}
	if (!im->from_spool) {
		rc = csvr_open(&im->r, im->path, err);
		if (rc)
			return rc;
	}
	rc = import_next(im, &row, err);
	if (rc <= 0) {
		if (rc == 0) {
			fai_err_set(err, FAI_EINVAL, FAI_WHY_REQUIRED, "header",
				    NULL);
			snprintf(err->file, sizeof(err->file), "%s", im->path);
			fai_err_detail(err, "the file is empty");
			return -FAI_EINVAL;
		}
		return rc;
	}
	/* keep a copy of the header for the rejects file */
	memset(&header, 0, sizeof(header));
	header.n = row->n;
	header.line = row->line;
	header.cells = xcalloc(row->n ? row->n : 1, sizeof(char *));
	header.lens = xcalloc(row->n ? row->n : 1, sizeof(size_t));
	for (size_t i = 0; i < row->n; i++) {
		header.cells[i] = xstrndup(row->cells[i], row->lens[i]);
		header.lens[i] = row->lens[i];
	}
	rc = import_header(im, &header, err);
	while (!rc && (rc = import_next(im, &row, err)) == 1) {
		int blank = 1;
		for (size_t i = 0; i < row->n && blank; i++)
			blank = row->lens[i] == 0;
		if (blank)
			continue;
		im->st.rows++;
		rc = import_one(im, t, row, &header, err);
		if ((im->st.rows & 1023) == 0)
			import_progress(im, im->from_spool
						    ? (unsigned long long)ftell(im->spool)
						    : csvr_offset(im->r));
	}
	for (size_t i = 0; i < header.n; i++)
		free(header.cells[i]);
	free(header.cells);
	free(header.lens);
	if (rc < 0)
		return rc;
	import_progress(im, im->from_spool ? im->spool_size : csvr_size(im->r));
	if (im->st.invalid && !im->o->skip_invalid) {
		fai_err_set(err, FAI_EINVAL, FAI_WHY_NONE, NULL, NULL);
		snprintf(err->file, sizeof(err->file), "%s", im->path);
		fai_err_detail(err, "%llu invalid rows",
			       (unsigned long long)im->st.invalid);
		return -FAI_EINVAL;
	}
	if (im->st.conflicts && im->o->on_conflict == IMPORT_FAIL) {
		fai_err_set(err, FAI_ECONFLICT, FAI_WHY_NONE, NULL, NULL);
		snprintf(err->file, sizeof(err->file), "%s", im->path);
		fai_err_detail(err, "%llu conflicts",
			       (unsigned long long)im->st.conflicts);
		return -FAI_ECONFLICT;
	}
	rc = import_extras_meta(im, t, err);
	if (rc)
		return rc;
	/* The import itself, in the log: file, fingerprint, counts. */
	unsigned char sha[SHA256_LEN];
	char hex[SHA256_HEX_LEN];
	struct log_entry e;
	csvr_sha256(im->r, sha);
	sha256_hex(sha, hex);
	char *summary = xasprintf(
		"%s sha256 %s: %llu rows, %llu new, %llu updated, %llu "
		"unchanged, %llu conflicts, %llu invalid",
		im->path, hex, (unsigned long long)im->st.rows,
		(unsigned long long)im->st.added,
		(unsigned long long)im->st.updated,
		(unsigned long long)im->st.unchanged,
		(unsigned long long)im->st.conflicts,
		(unsigned long long)im->st.invalid);
	st_log_start(&e, im->actor, LOG_IMPORT, NULL);
	e.text = summary;
	rc = st_log_append(t, &e, err);
	free(summary);
	if (rc)
		return rc;
	return im->o->dry_run ? IMPORT_DRY_RUN : 0;
}

/* Files at least this large are imported through a writable memory map
 * (MDB_WRITEMAP) once a first reading found no invalid row: otherwise LMDB
 * keeps the new pages of the transaction in the heap (up to 512 MiB, about
 * four times the file).  The first reading keeps the promise that a
 * refused import leaves the store's file as it was, byte for byte: a
 * writable map writes into the file's free pages as the import goes. */
#define IMPORT_BULK_BYTES ((off_t)16 << 20)

/* The first reading of a bulk import: each row checked as import_one
 * checks a new idea, without the store, and written to im->spool with its
 * known cells normalised.  Returns 1 when no row is invalid and the spool
 * is complete (im->r then stays open at the end of the file), 0 otherwise
 * (the import proper reads the file itself and says what is wrong). */
static int import_precheck(struct import *im)
{
	struct csvr_row *row;
	struct fai_err err, rerr;
	unsigned char id[UUID_LEN];
	char idtext[UUID_STR_LEN];
	const char **cells = NULL;
	size_t *lens = NULL;
	struct buf out;
	int rc, clean = 1;

	buf_init(&out);
	im->spool = exchange_tmpfile();
	if (!im->spool || csvr_open(&im->r, im->path, &err) != 0)
		return 0;
	rc = csvr_next(im->r, &row, &err);
	if (rc == 1)
		rc = import_header(im, row, &err) == 0 ? 1 : -1;
	if (rc == 1)
		clean = prepared_put(im->spool, &out, row->line, 0, row->n,
				     (const char *const *)row->cells,
				     row->lens) == 0;
	cells = xcalloc(im->cs.n + 1, sizeof(*cells));
	lens = xcalloc(im->cs.n + 1, sizeof(*lens));
	while (rc == 1 && clean && (rc = csvr_next(im->r, &row, &err)) == 1) {
		int blank = 1;
		for (size_t i = 0; i < row->n && blank; i++)
			blank = row->lens[i] == 0;
		if (blank)
			continue;
		struct idea *theirs = idea_new();
		int ok = row->n == im->cs.n &&
			 (im->id_col < 0 ||
			  uuid_parse(row->cells[im->id_col], id) == 0);
		idea_set_raw(theirs, IDEA_STAGE, stage_code(STAGE_NEED));
		if (ok)
			ok = import_row(im, row, theirs, 1, &rerr) == 0;
		for (size_t i = 0; ok && i < row->n; i++) {
			int f = im->cs.c[i].field;
			const char *v = row->cells[i];
			if (f == IDEA_ID) {
				uuid_format(id, idtext);
				v = idtext;
			} else if (f >= 0 && f != IDEA_REVISION &&
				   !(f == IDEA_REF && !*v)) {
				v = idea_get(theirs, f);
			}
			cells[i] = v;
			lens[i] = v == row->cells[i] ? row->lens[i] : strlen(v);
		}
		/* What st_create fills in, then its check. */
		if (ok) {
			if (im->id_col < 0)
				uuid_generate(id);
			uuid_format(id, idtext);
			if (!idea_get(theirs, IDEA_ID)[0])
				idea_set_raw(theirs, IDEA_ID, idtext);
			if (!idea_get(theirs, IDEA_CREATED_AT)[0])
				idea_set_time(theirs, IDEA_CREATED_AT,
					      im->actor->now);
			if (!idea_get(theirs, IDEA_STAGE_SINCE)[0])
				idea_set_time(theirs, IDEA_STAGE_SINCE,
					      im->actor->now);
			if (!idea_get(theirs, IDEA_UPDATED_AT)[0])
				idea_set_time(theirs, IDEA_UPDATED_AT,
					      im->actor->now);
			if (!idea_get(theirs, IDEA_UPDATED_BY)[0])
				idea_set_raw(theirs, IDEA_UPDATED_BY,
					     im->actor->user);
			idea_set_u64(theirs, IDEA_REVISION, 1);
			/* The file's cells went through idea_set and the
			 * defaults are valid: what idea_check could still
			 * refuse is a required field left empty. */
			for (int f = 0; ok && f < IDEA_FIELD_COUNT; f++)
				ok = !(idea_field_info(f)->flags &
				       IDEA_FF_REQUIRED) ||
				     idea_get(theirs, f)[0];
		}
		/* An invalid row refuses the import, unless --skip-invalid:
		 * then it goes as it is, for the second reading to reject. */
		if (ok)
			clean = prepared_put(im->spool, &out, row->line, 1, row->n,
					     cells, lens) == 0;
		else if (im->o->skip_invalid)
			clean = prepared_put(im->spool, &out, row->line, 0, row->n,
					     (const char *const *)row->cells,
					     row->lens) == 0;
		else
			clean = 0;
		idea_free(theirs);
		if ((row->line & 1023) == 0)
			import_progress(im, csvr_offset(im->r));
	}
	free(cells);
	free(lens);
	buf_free(&out);
	columns_free(&im->cs);
	clean = clean && rc == 0 && fflush(im->spool) == 0;
	if (clean) {
		long end = ftell(im->spool);
		im->spool_size = end > 0 ? (unsigned long long)end : 0;
		return 1;
	}
	csvr_free(im->r);
	im->r = NULL;
	return 0;
}

int store_import(struct store *s, const struct store_actor *actor,
		 const char *path, const struct import_opts *o,
		 struct exchange_stats *st, struct fai_err *err)
{
	struct import im;
	memset(&im, 0, sizeof(im));
	im.s = s;
	im.actor = actor;
	im.path = path;
	im.o = o;
	const char *base = strrchr(path, '/');
	im.text = xasprintf("import %s", base ? base + 1 : path);
	/* An idea costs about four times its CSV row in the store (record,
	 * log entry, indexes): grow the map once rather than redo the whole
	 * transaction each time it fills. */
	struct stat fst;
	int bulk = 0, rc = 0;
	if (stat(path, &fst) == 0 && fst.st_size > 0) {
		long long min = o->bulk_bytes ? o->bulk_bytes
					      : (long long)IMPORT_BULK_BYTES;
		bulk = S_ISREG(fst.st_mode) && min >= 0 &&
		       (long long)fst.st_size >= min && !o->dry_run &&
		       o->on_conflict != IMPORT_FAIL;
		if (bulk) {
			im.passes = 2;
			bulk = import_precheck(&im);
			im.from_spool = bulk;
			im.pass = 1;
		}
		store_reserve(s, (size_t)fst.st_size * 5, NULL);
	}
	if (bulk && (rc = st_reopen(s, 1, err)) != 0) {
		if (!s->env)
			goto out;
		bulk = 0; /* open as it was: import without the writable map */
		fai_err_clear(err);
	}
	rc = store_write(s, import_txn, &im, err);
	if (rc == IMPORT_DRY_RUN)
		rc = 0;
	if (bulk) {
		int r2 = st_reopen(s, 0, rc ? NULL : err);
		if (!rc)
			rc = r2;
	}
out:
	*st = im.st;
	st->bulk = bulk;
	if (im.rejects) {
		csvw_free(im.rw);
		if (rc)
			outfile_abort(im.rejects);
		else
			rc = outfile_commit(im.rejects, err);
	}
	csvr_free(im.r);
	if (im.spool)
		fclose(im.spool);
	free(im.srow.cells);
	columns_free(&im.cs);
	free(im.text);
	return rc;
}
