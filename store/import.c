/* import.c - `fai import` (format version 1; export.c writes it).
 *
 * Columns: every exported field in the field table's order, with the
 * unknown columns met in earlier imports put back at the positions they had
 * (meta "csv:extras", lines "POS<TAB>NAME").  A name there that is not a
 * valid column name, or that repeats a field or an earlier entry once
 * folded (case, accents, '-' and ' ' as '_', as idea_field_parse compares
 * names), is never exported (a store written before names were checked may
 * hold such lines); `fai check` reports it and the next import that
 * brings unknown columns rewrites the list without it.  The database
 * "exchanged" holds, per idea, the fingerprint of what was last sent or
 * received and the local revision at that moment: the base of the
 * three-way decision of core/exchange.c.
 *
 * An import is two passes.  The first reads the source once (csvr: a
 * file, a pipe or standard input), checks the header and every row as far
 * as it can without the store (cells, the same id twice) and writes every
 * row to a private spool in $TMPDIR: prepared (known cells normalised)
 * when valid on its own, raw otherwise.  The second merges the spool in
 * one write transaction (a retry after a full map reads the spool again,
 * never the source), through LMDB's writable map when the spool is large
 * (with its disk space reserved first); a dry run, or an import the first
 * pass already knows is refused, judges the spool in a read transaction
 * instead and writes nothing. */
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
#include "../core/isotime.h"
#include "../core/sheet.h"
#include "../core/newidea.h"
#include "../core/utf8.h"
#include "../core/uuid.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "exchange_int.h"
#include "internal.h"
#include "outfile.h"
#include "import_int.h"

void import_progress(struct import *im, unsigned long long done,
		     unsigned long long total)
{
	if (!im->o->progress)
		return;
	unsigned long long all = im->pass ? im->source_bytes : im->source_size;
	if (!all) { /* a pipe's reading: bytes so far, no total */
		im->o->progress(done, 0, im->o->progress_arg);
		return;
	}
	double frac = total ? (double)done / (double)total : 1.0;
	if (frac > 1.0)
		frac = 1.0;
	double at = ((double)im->pass + frac) / (double)im->passes;
	im->o->progress((unsigned long long)(at * (double)all), all,
			im->o->progress_arg);
}

void event(struct import *im, enum import_event_kind kind, long line,
	   const char *ref, const struct fai_err *err,
	   const struct idea_change *ch, size_t nch)
{
	struct import_event ev = {kind, line, ref, err, ch, nch};
	if (im->quiet && kind != IMPORT_EVENT_CONFLICT)
		return;
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
int import_row(struct import *im, const struct csvr_row *row,
	       struct idea *theirs, int is_new, struct fai_err *err)
{
	if (im->has_extras && theirs->nextra) {
		/* Only this file's unknown columns are replaced: an unknown
		 * column it does not have is kept, as a field is. */
		size_t k = 0;
		for (size_t i = 0; i < theirs->nextra; i++) {
			struct idea_extra *e = &theirs->extra[i];
			if (strmap_get(&im->extra_names, e->name, NULL)) {
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
		if (im->delim == ';' && exchange_is_guarded(v, n) &&
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
			 * ideas that have none.  The first pass only checks. */
			if (n > 0 && !im->reading)
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

/* Keeps local's value where theirs differs from it only as a spreadsheet
 * made it differ, no change someone made: a text by the '?' a
 * Windows-1252 save put for each character that code page lacks
 * (counted: the summary says how many), a time by the hour that repeats
 * when clocks go back (its local time, all a spreadsheet wrote, is the
 * same).  Returns how many texts it kept. */
static unsigned import_protect(const struct idea *local, struct idea *theirs)
{
	unsigned kept = 0;
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		const char *l = idea_get(local, f), *t = idea_get(theirs, f);
		int64_t tl, tt;
		if (strcmp(l, t) == 0)
			continue;
		if (sheet_cp1252_lossy_equal(l, t)) {
			idea_set_raw(theirs, f, l);
			kept++;
		} else if ((f == IDEA_CREATED_AT || f == IDEA_UPDATED_AT ||
			    f == IDEA_STAGE_SINCE) &&
			   isotime_parse(l, &tl) == 0 &&
			   isotime_parse(t, &tt) == 0 &&
			   sheet_same_local_time(tl, tt)) {
			idea_set_raw(theirs, f, l);
		}
	}
	return kept;
}

/* 1 when reason holds something other than white space. */
static int has_reason(const char *reason)
{
	for (; reason && *reason; reason++)
		if (*reason != ' ' && *reason != '\t' && *reason != '\n' &&
		    *reason != '\r')
			return 1;
	return 0;
}

/* Judges the stage theirs brings as `fai move` would: from local (NULL
 * for a new idea, judged as one whose base is unknown), through every
 * stage on the way up (a file may move an idea several stages at once:
 * the work was done elsewhere), each gate applies (stage_move_check's);
 * on_hold and abandoned need a reason.  force passes the gates (*gated
 * set), never a missing reason.  Returns 0, -FAI_EGATE (err->missing:
 * the missing fields) or -FAI_ERULE (why REASON). */
int import_gate(const struct idea *theirs, const struct idea *local, int force,
		int *gated, struct fai_err *err)
{
	enum stage to = idea_stage(theirs), base = STAGE_NONE;
	*gated = 0;
	if (local && idea_stage(local) == to)
		return 0;
	if (to == STAGE_ON_HOLD || to == STAGE_ABANDONED) {
		if (!has_reason(idea_get(theirs, IDEA_STAGE_REASON))) {
			fai_err_set(err, FAI_ERULE, FAI_WHY_REASON, "stage",
				    stage_code(to));
			fai_err_stage(err, to,
				      local ? (int)idea_stage(local)
					    : STAGE_NONE);
			return -FAI_ERULE;
		}
		return 0;
	}
	if (!stage_is_pipeline(to))
		return 0;
	if (local) {
		enum stage from = idea_stage(local);
		base = from;
		if (from == STAGE_ON_HOLD || from == STAGE_ABANDONED)
			base = stage_parse(idea_get(local, IDEA_STAGE_PREV));
		if (!stage_is_pipeline(base))
			base = STAGE_NONE;
	}
	if (base != STAGE_NONE && to <= base)
		return 0; /* back: no gate */
	/* Each step up, as a one-stage move of theirs' fields. */
	struct idea probe = *theirs;
	uint64_t missing = 0;
	probe.v[IDEA_STAGE_PREV] = NULL;
	char from[24]; /* the step's stage, the probe's own copy */
	for (int s = base != STAGE_NONE ? base + 1 : STAGE_CONCEPT;
	     s <= (int)to; s++) {
		struct fai_err e;
		snprintf(from, sizeof(from), "%s", stage_code(s - 1));
		probe.v[IDEA_STAGE] = from;
		fai_err_clear(&e);
		if (stage_move_check(&probe, (enum stage)s, NULL, 0, NULL,
				     &e) == -FAI_EGATE)
			missing |= e.missing;
	}
	int rc = 0;
	if (missing && force) {
		*gated = 1;
	} else if (missing) {
		rc = fai_err_set(err, FAI_EGATE, FAI_WHY_NONE, "stage",
				 stage_code(to));
		fai_err_stage(err, to,
			      local ? (int)idea_stage(local) : STAGE_NONE);
		if (err)
			err->missing = missing;
	}
	return rc;
}

/* Marks the log entry seq as forced (a created idea passed a gate). */
static int log_mark_forced(struct store_txn *t, uint64_t seq,
			   struct fai_err *err)
{
	struct log_entry e;
	struct buf b;
	unsigned char k[8];
	int rc = st_log_read(t, seq, &e, err);
	if (rc)
		return rc;
	e.forced = 1;
	buf_init(&b);
	codec_log_encode(&b, &e);
	codec_put_u64(k, seq);
	rc = st_put(t, DB_LOG, k, 8, b.data, b.len, 0, err);
	buf_free(&b);
	log_entry_clear(&e);
	return rc;
}

/* The changes from a to b as idea_diff gives them, its extras compared
 * by name through a map rather than each against each. */
static size_t import_diff(const struct idea *a, const struct idea *b,
			  struct idea_change **out)
{
	struct idea xa = *a, xb = *b;
	struct strmap ma = {NULL, NULL, 0, 0}, mb = {NULL, NULL, 0, 0};
	xa.nextra = xb.nextra = 0;
	xa.extra = xb.extra = NULL;
	size_t n = idea_diff(&xa, &xb, 1, out);
	if (!a->nextra && !b->nextra)
		return n;
	for (size_t i = 0; i < b->nextra; i++)
		strmap_add(&mb, b->extra[i].name, i, NULL);
	for (size_t i = 0; i < a->nextra; i++)
		strmap_add(&ma, a->extra[i].name, i, NULL);
	struct idea_change *c = *out;
	size_t cap = n;
	for (int side = 0; side < 2; side++) {
		const struct idea *x = side ? b : a;
		for (size_t i = 0; i < x->nextra; i++) {
			const char *va, *vb;
			size_t at;
			if (!side) {
				va = a->extra[i].value;
				vb = strmap_get(&mb, a->extra[i].name, &at)
					 ? b->extra[at].value
					 : "";
			} else {
				if (strmap_get(&ma, b->extra[i].name, NULL))
					continue;
				va = "";
				vb = b->extra[i].value;
			}
			if (strcmp(va, vb) == 0)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				c = xrealloc(c, cap * sizeof(*c));
			}
			c[n].name = xasprintf("x:%s", x->extra[i].name);
			c[n].before = *va ? xstrdup(va) : NULL;
			c[n].after = *vb ? xstrdup(vb) : NULL;
			n++;
		}
	}
	strmap_free(&ma);
	strmap_free(&mb);
	*out = c;
	return n;
}

/* Writes a rejected row with its reason; on failure err says why (a
 * rejects file that is a link, or in a store, is refused). */
static int reject(struct import *im, const struct csvr_row *row,
		  const struct csvr_row *header, const struct fai_err *why,
		  struct fai_err *err)
{
	if (!im->o->skip_invalid || !im->o->rejects_path || im->o->dry_run ||
	    im->eval)
		return 0;
	if (!im->rejects) {
		int rc = outfile_open(&im->rejects, im->o->rejects_path,
				      OUTFILE_REGULAR, err);
		if (rc)
			return rc;
		im->rw = csvw_new(outfile_stream(im->rejects),
				  im->delim == ';' ? CSV_DIALECT_EXCEL_FR
						   : CSV_DIALECT_RFC4180);
		for (size_t i = 0; i < header->n; i++)
			csvw_cell(im->rw, header->cells[i], header->lens[i], 0);
		csvw_cell(im->rw, "reason", 6, 0);
		if (csvw_row_end(im->rw))
			goto io;
	}
	for (size_t i = 0; i < row->n; i++) {
		/* A prepared cell lost the file's guard: it gets it back
		 * (excel-fr), so what a spreadsheet opens is never run. */
		int f = i < im->cs.n ? im->cs.c[i].field : -1;
		int text = im->prepared && f >= 0 &&
			   !(idea_field_info(f)->flags & IDEA_FF_NUMERIC);
		csvw_cell(im->rw, row->cells[i], row->lens[i], text);
	}
	struct buf reason;
	buf_init(&reason);
	if (im->o->reason)
		im->o->reason(why, row->line, &reason, im->o->reason_arg);
	else /* no one to compose it: the facts, in plain English */
		buf_printf(&reason, "line %ld: %s%s%s", row->line, why->field,
			   why->field[0] ? ": " : "", fai_why_text(why->why));
	if (!im->o->reason && why->line2)
		buf_printf(&reason, " — line %ld", why->line2);
	csvw_cell(im->rw, reason.data ? reason.data : "", reason.len, 0);
	buf_free(&reason);
	if (csvw_row_end(im->rw) == 0)
		return 0;
io : {
	int e = errno, rc;
	rc = fai_err_set_about(err, e == ENOSPC ? FAI_ENOSPACE : FAI_EIO,
			       FAI_WHY_NONE, FAI_ABOUT_FILE, "file",
			       im->o->rejects_path);
	fai_err_detail(err, "%s", strerror(e));
	if (err)
		err->sys_errno = e;
	return rc;
}
}

/* Applies theirs onto local (an UPDATE or a conflict taken). */
static int import_apply(struct import *im, struct store_txn *t,
			const struct idea *local, const struct idea *theirs,
			const char *text, int forced, struct fai_err *err)
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
		rc = st_idea_update(t, im->actor, local, after, LOG_IMPORT,
				    text, forced, 0, err);
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
		struct log_change *lent = log_changes_lend(ch, nch);
		e.changes = lent;
		e.nchanges = nch;
		e.text = text;
		rc = st_log_append(t, &e, err);
		free(lent);
		free(text);
	}
	idea_free(after);
	return rc;
}

/* 1 when ref names an idea here or one this judging already created. */
static int eval_ref_taken(struct import *im, struct store_txn *t,
			  const char *ref)
{
	MDB_val v;
	unsigned char k[16];
	if (st_get(t, DB_BY_REF, ref, strlen(ref), &v) == 0)
		return 1;
	text_key(ref, k);
	return idset_find(im->claimed, k, 0, NULL, NULL);
}

/* What st_create does to a new idea, without writing: its defaults, its
 * reference (the next free number of its region), its check.  0, or
 * -FAI_EINVAL (err set) when the store would refuse it. */
static int eval_create(struct import *im, struct store_txn *t,
		       struct idea *idea, struct fai_err *err)
{
	const struct store_actor *a = im->actor;
	unsigned char k[16];
	idea_new_defaults(idea, a->now, a->user);
	if (!idea_get(idea, IDEA_REF)[0]) {
		const char *region = idea_get(idea, IDEA_REGION);
		int rc = validate_region(region, err);
		if (rc)
			return rc;
		struct region_seq *q = NULL;
		for (size_t i = 0; i < im->nseqs && !q; i++)
			if (strcmp(im->seqs[i].region, region) == 0)
				q = &im->seqs[i];
		if (!q) {
			char key[32];
			im->seqs = xrealloc(im->seqs, (im->nseqs + 1) *
							  sizeof(*im->seqs));
			q = &im->seqs[im->nseqs++];
			snprintf(q->region, sizeof(q->region), "%s", region);
			snprintf(key, sizeof(key), "seq:%s", region);
			rc = st_meta_u64(t, key, &q->n, err);
			if (rc)
				return rc;
		}
		char ref[32];
		do
			validate_ref_format(ref, sizeof(ref), region,
					    (unsigned long)++q->n);
		while (eval_ref_taken(im, t, ref));
		idea_set_raw(idea, IDEA_REF, ref);
	}
	int rc = idea_check(idea, err);
	if (rc)
		return rc;
	text_key(idea_get(idea, IDEA_REF), k);
	idset_find(im->claimed, k, 1, NULL, NULL);
	return 0;
}

static int import_one(struct import *im, struct store_txn *t,
		      const struct csvr_row *row, struct fai_err *err)
{
	struct fai_err rerr;
	struct idea *local = NULL, *theirs = NULL;
	struct idea_change *ch = NULL;
	size_t nch = 0;
	unsigned char id[UUID_LEN];
	uint64_t key = 0;
	int rc = 0, found = 0, gated = 0;
	MDB_val v;

	fai_err_clear(&rerr);
	snprintf(rerr.file, sizeof(rerr.file), "%s", im->path);
	rerr.line = row->line;
	if (row->n != im->cs.n) {
		fai_err_set_about(&rerr, FAI_EINVAL, FAI_WHY_ROW_CELLS,
				  FAI_ABOUT_ROW, "row", NULL);
		rerr.count = row->n;
		rerr.limit = im->cs.n;
		goto invalid;
	}
	if (im->id_col >= 0) {
		const char *idtext = row->cells[im->id_col];
		long *first;
		if (uuid_parse(idtext, id) < 0) {
			fai_err_set(&rerr, FAI_EINVAL, FAI_WHY_UUID,
				    im->cs.c[im->id_col].name, idtext);
			goto invalid;
		}
		/* The same id twice: the first row is judged as any, each
		 * later one is invalid, naming the first's line. */
		if (im->dups && idset_find(im->dups, id, 0, NULL, &first)) {
			if (im->flags & SPOOL_DUP_ID) {
				fai_err_set(&rerr, FAI_EINVAL, FAI_WHY_DUP_ID,
					    im->cs.c[im->id_col].name, idtext);
				rerr.line2 = *first;
				goto invalid;
			}
			if (!*first)
				*first = row->line;
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
	if (found)
		im->st.protected_cells += import_protect(local, theirs);

	if (!found) {
		if (import_gate(theirs, NULL, im->o->force, &gated, &rerr) < 0)
			goto invalid;
		/* A new idea: keep its reference unless it is taken here. */
		const char *ref = idea_get(theirs, IDEA_REF);
		if (*ref && (im->eval ? eval_ref_taken(im, t, ref)
				      : st_get(t, DB_BY_REF, ref, strlen(ref),
					       &v) == 0)) {
			idea_set_raw(theirs, IDEA_REF, NULL);
			im->st.renumbered++;
		}
		if (im->eval) {
			rc = eval_create(im, t, theirs, err);
		} else {
			rc = st_create(t, im->actor, theirs, LOG_IMPORT,
				       im->text, im->prepared, err);
			if (!rc && gated)
				rc = log_mark_forced(t, t->s->pending_seq, err);
		}
		if (rc == -FAI_EINVAL) { /* refused by the store's own checks */
			rerr = *err;
			snprintf(rerr.file, sizeof(rerr.file), "%s", im->path);
			rerr.line = row->line;
			fai_err_clear(err);
			rc = 0;
			goto invalid;
		}
		if (rc)
			goto out;
		if (!im->eval) {
			unsigned char h[SHA256_LEN];
			struct idea_view vt;
			idea_view_of(theirs, &vt);
			exchange_hash(&vt, h);
			rc = base_write(t, theirs->key, h,
					idea_revision(theirs), err);
		}
		im->st.added++;
		im->st.forced += (unsigned)gated;
		event(im, IMPORT_EVENT_ADDED, row->line,
		      idea_get(theirs, IDEA_REF), NULL, NULL, 0);
		goto out;
	}

	unsigned char ht[SHA256_LEN], hl[SHA256_LEN], hb[SHA256_LEN];
	uint64_t brev = 0;
	struct idea_view vt, vl;
	idea_view_of(theirs, &vt);
	idea_view_of(local, &vl);
	exchange_hash(&vt, ht);
	exchange_hash(&vl, hl);
	int have_base = base_read(t, key, hb, &brev);
	enum exchange_decision d =
	    exchange_decide(ht, hl, idea_revision(local), have_base, hb, brev);
	const char *ref = idea_get(local, IDEA_REF);
	if (d == EXCHANGE_UNCHANGED) {
		im->st.unchanged++;
		if (!im->eval && memcmp(ht, hl, SHA256_LEN) == 0 &&
		    (!have_base || memcmp(hb, ht, SHA256_LEN) ||
		     brev != idea_revision(local)))
			rc = base_write(t, key, ht, idea_revision(local), err);
		goto out;
	}
	/* Their version is applied: its stage is judged from ours. */
	if ((d == EXCHANGE_UPDATE ||
	     im->o->on_conflict == IMPORT_TAKE_THEIRS) &&
	    import_gate(theirs, local, im->o->force, &gated, &rerr) < 0)
		goto invalid;
	im->st.forced += (unsigned)gated;
	nch = import_diff(local, theirs, &ch);
	if (d == EXCHANGE_UPDATE) {
		im->st.updated++;
		event(im, IMPORT_EVENT_UPDATED, row->line, ref, NULL, ch, nch);
		if (!im->eval)
			rc = import_apply(im, t, local, theirs, im->text, gated,
					  err);
		if (!rc && !im->eval)
			rc = base_write(t, key, ht, idea_revision(local) + 1,
					err);
	} else {
		im->st.conflicts++;
		event(im, IMPORT_EVENT_CONFLICT, row->line, ref, NULL, ch, nch);
		if (im->eval) {
			/* judged only */
		} else if (im->o->on_conflict == IMPORT_TAKE_THEIRS) {
			char *text =
			    xasprintf("%s: conflict, took their version; "
				      "the local one in the changes",
				      im->text);
			rc = import_apply(im, t, local, theirs, text, gated,
					  err);
			free(text);
		} else if (im->o->on_conflict == IMPORT_KEEP_LOCAL) {
			rc = import_keep_local(im, t, local, ch, nch, err);
		}
		/* Decided: the same file again changes nothing. */
		if (!rc && !im->eval && im->o->on_conflict != IMPORT_FAIL)
			rc = base_write(t, key, ht, idea_revision(local) + 1,
					err);
	}
	goto out;

invalid:
	im->st.invalid++;
	event(im, IMPORT_EVENT_INVALID, row->line, NULL, &rerr, NULL, 0);
	int jr = reject(im, row, &im->header, &rerr, err);
	if (jr < 0)
		rc = jr;
out:
	idea_changes_free(ch, nch);
	idea_free(local);
	idea_free(theirs);
	return rc;
}

/* Remembers the unknown columns of this file for later exports, and drops
 * from the list the lines no export would use (a bad name, a repeat). */
static int import_extras_meta(struct import *im, struct store_txn *t,
			      struct fai_err *err)
{
	char *old = NULL;
	struct extras x;
	struct buf b;
	if (!im->has_extras)
		return 0;
	int rc = st_meta_read(t, "csv:extras", &old, err);
	if (rc)
		return rc;
	extras_parse(old, &x);
	rc = extras_cap(im, extras_after(im, &x), err);
	if (rc) {
		extras_free(&x);
		free(old);
		return rc;
	}
	buf_init(&b);
	buf_add(&b, "", 0);
	for (size_t i = 0; i < x.n; i++)
		if (x.e[i].state == EXTRA_OK)
			buf_printf(&b, "%zu\t%s\n", x.e[i].pos, x.e[i].name);
	for (size_t i = 0; i < im->cs.n; i++) {
		const struct column *c = &im->cs.c[i];
		if (c->field < 0 && strmap_add(&x.byfold, c->fold, x.n, NULL))
			buf_printf(&b, "%zu\t%s\n", i, c->name);
	}
	if (!old || strcmp(old, b.data) != 0)
		rc = st_meta_write(t, "csv:extras", b.data, err);
	buf_free(&b);
	extras_free(&x);
	free(old);
	return rc;
}

/* ------------------------------------------------------------ merging */

#define IMPORT_DRY_RUN 1 /* returned by the transaction to abort it */

/* The second pass (and the judging one): the spooled rows in one
 * transaction; t is a read transaction when im->eval. */
static int import_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct import *im = arg;
	struct csvr_row *row;
	int rc;

	memset(&im->st, 0, sizeof(im->st));
	im->st.repaired = im->repaired1;
	rewind(im->spool);
	if (im->rejects) {
		csvw_free(im->rw);
		outfile_abort(im->rejects);
		im->rejects = NULL;
		im->rw = NULL;
	}
	if (im->dups) { /* first lines, found again */
		for (int i = 0; i < IDSET_PARTS; i++)
			if (im->dups->part[i].cap)
				memset(im->dups->part[i].val, 0,
				       im->dups->part[i].cap * sizeof(long));
		im->dups->zero_val = 0;
	}
	idset_free(im->claimed);
	im->claimed = im->eval ? idset_new(0) : NULL;
	free(im->seqs);
	im->seqs = NULL;
	im->nseqs = 0;
	rc = import_next(im, &row, err); /* the header */
	if (rc <= 0)
		return rc ? rc : -FAI_EIO;
	rc = import_extra_names(im, t, err);
	while (!rc && (rc = import_next(im, &row, err)) == 1) {
		im->st.rows++;
		rc = import_one(im, t, row, err);
		if ((im->st.rows & 1023) == 0)
			import_progress(im,
					(unsigned long long)ftell(im->spool),
					im->spool_size);
	}
	if (rc < 0)
		return rc;
	import_progress(im, im->spool_size, im->spool_size);
	if (im->st.invalid && !im->o->skip_invalid) {
		fai_err_set(err, FAI_EINVAL, FAI_WHY_INVALID_ROWS, NULL, NULL);
		snprintf(err->file, sizeof(err->file), "%s", im->path);
		err->count = im->st.invalid;
		return -FAI_EINVAL;
	}
	if (im->st.conflicts && im->o->on_conflict == IMPORT_FAIL) {
		fai_err_set(err, FAI_ECONFLICT, FAI_WHY_CONFLICTS, NULL, NULL);
		snprintf(err->file, sizeof(err->file), "%s", im->path);
		err->count = im->st.conflicts;
		return -FAI_ECONFLICT;
	}
	if (im->eval)
		return IMPORT_DRY_RUN;
	rc = import_extras_meta(im, t, err);
	if (rc)
		return rc;
	/* The import itself, in the log: source, fingerprint of the bytes
	 * read, counts. */
	char hex[SHA256_HEX_LEN];
	struct log_entry e;
	sha256_hex(im->sha, hex);
	char *summary = xasprintf(
	    "%s sha256 %s: %llu rows, %llu new, %llu updated, %llu "
	    "unchanged, %llu conflicts, %llu invalid",
	    strcmp(im->path, "-") == 0 ? "(stdin)" : im->path, hex,
	    (unsigned long long)im->st.rows, (unsigned long long)im->st.added,
	    (unsigned long long)im->st.updated,
	    (unsigned long long)im->st.unchanged,
	    (unsigned long long)im->st.conflicts,
	    (unsigned long long)im->st.invalid);
	st_log_start(&e, im->actor, LOG_IMPORT, NULL);
	e.text = summary;
	rc = st_log_append(t, &e, err);
	free(summary);
	/* The rejects file in place before the import commits: an import
	 * acknowledged always comes with its rejects (a rejects file that
	 * cannot be written refuses the import). */
	if (!rc && im->rejects) {
		csvw_free(im->rw);
		im->rw = NULL;
		rc = outfile_commit(im->rejects, err);
		im->rejects = NULL;
	}
	return rc;
}

/* Judges the spool in a read transaction: counts, events, refusals, and
 * nothing written (a dry run, a refusal known, a check before writing). */
static int import_eval(struct import *im, struct fai_err *err)
{
	struct store_txn t;
	int rc = st_rd_begin(im->s, &t, err);
	if (rc)
		return rc;
	im->eval = 1;
	rc = import_txn(&t, im, err);
	st_rd_end(&t);
	im->eval = 0;
	return rc == IMPORT_DRY_RUN ? 0 : rc;
}

/* Reserves the disk space of growth more bytes in data.mdb before they
 * are written (through a writable map, a write to a hole on a full device
 * is a SIGBUS, not an error; through write(), LMDB reports a short write
 * as EIO): beyond the pages in use, without changing the file's size
 * where the system allows.  -FAI_ENOSPACE when the device cannot hold
 * them. */
static int import_reserve(struct store *s, unsigned long long growth,
			  struct fai_err *err)
{
	MDB_envinfo info;
	MDB_stat mst;
	mdb_filehandle_t fd;
	if (mdb_env_info(s->env, &info) || mdb_env_stat(s->env, &mst) ||
	    mdb_env_get_fd(s->env, &fd))
		return 0;
	off_t used = (off_t)(info.me_last_pgno + 1) * (off_t)mst.ms_psize;
	int e;
	do
		e = fallocate(fd, FALLOC_FL_KEEP_SIZE, used, (off_t)growth)
			? errno
			: 0;
	while (e == EINTR);
	if (e == EOPNOTSUPP || e == ENOSYS)
		e = posix_fallocate(fd, used, (off_t)growth);
	if (e != ENOSPC && e != EDQUOT)
		return 0; /* reserved, or not something to reserve */
	char *data = xasprintf("%s/data.mdb", s->path);
	fai_err_set_about(err, FAI_ENOSPACE, FAI_WHY_SPACE_NEEDED,
			  FAI_ABOUT_FILE, "file", data);
	if (err) {
		err->count = (growth + (1 << 20) - 1) >> 20; /* MiB */
		err->sys_errno = e;
	}
	free(data);
	return -FAI_ENOSPACE;
}

int store_import(struct store *s, const struct store_actor *actor,
		 const char *path, const struct import_opts *o,
		 struct exchange_stats *st, struct fai_err *err)
{
	struct import im;
	int bulk = 0, rc;
	memset(&im, 0, sizeof(im));
	im.s = s;
	im.actor = actor;
	im.path = path;
	im.o = o;
	im.passes = 2;
	const char *base = strrchr(path, '/');
	im.text = xasprintf("import %s", strcmp(path, "-") == 0 ? "(stdin)"
					 : base			? base + 1
								: path);
	rc = import_read(&im, err);
	if (rc)
		goto out;
	im.pass = 1;
	/* A dry run, or a file the reading already refuses: judged without
	 * writing anything. */
	if (o->dry_run || (im.invalid1 && !o->skip_invalid)) {
		rc = import_eval(&im, err);
		goto out;
	}
	/* A conflict must stop it, or a row's stage may: judged first, then
	 * written, so a refusal never touches the store's file. */
	if (o->on_conflict == IMPORT_FAIL ||
	    (im.suspect1 && !o->skip_invalid)) {
		im.passes = 3;
		rc = import_eval(&im, err);
		if (rc)
			goto out;
		im.quiet = 1;
		im.pass = 2;
	}
	/* An idea costs about four times its spooled row in the store, and
	 * at least a page's share of records, log entry and indexes: the map
	 * grows once rather than the whole transaction being redone each
	 * time it fills; a large import goes through a writable map. */
	unsigned long long growth =
	    im.spool_size * 4 + im.rows1 * 1024 + ((unsigned long long)1 << 20);
	store_reserve(s, (size_t)growth, NULL);
	/* The disk space first, whatever the path: a full device is said
	 * before anything is written. */
	rc = import_reserve(s, growth, err);
	if (rc)
		goto out;
	long long min = o->bulk_bytes ? o->bulk_bytes : IMPORT_BULK_BYTES;
	bulk = min >= 0 && growth >= (unsigned long long)min;
	if (bulk) {
		rc = st_reopen(s, 1, err);
		if (rc) {
			if (!s->env)
				goto out;
			bulk = 0; /* open as it was: without the writable map */
			rc = 0;
			fai_err_clear(err);
		}
	}
	rc = store_write(s, import_txn, &im, err);
	if (bulk) {
		int r2 = st_reopen(s, 0, rc ? NULL : err);
		if (!rc)
			rc = r2;
	}
	/* A full device under LMDB's own writes (beyond what was reserved;
	 * LMDB says EIO for a short write): say so. */
	struct statvfs vfs;
	if (rc == -FAI_ESTORE && err &&
	    (err->sys_errno == ENOSPC || err->sys_errno == EDQUOT ||
	     (statvfs(s->path, &vfs) == 0 &&
	      (unsigned long long)vfs.f_bavail * vfs.f_frsize < (1 << 20)))) {
		char detail[sizeof(err->detail)];
		int e = err->sys_errno;
		snprintf(detail, sizeof(detail), "%s", err->detail);
		fai_err_set_about(err, FAI_ENOSPACE, FAI_WHY_NONE,
				  FAI_ABOUT_FILE, "file", s->path);
		fai_err_detail(err, "%s", detail);
		err->sys_errno = e;
		rc = -FAI_ENOSPACE;
	}
out:
	*st = im.st;
	st->bulk = bulk;
	if (im.rejects) { /* not committed with the import: it did not happen */
		csvw_free(im.rw);
		outfile_abort(im.rejects);
	}
	if (im.spool)
		fclose(im.spool);
	free(im.srow.cells);
	row_copy_free(&im.header);
	columns_free(&im.cs);
	strmap_free(&im.extra_names);
	idset_free(im.dups);
	idset_free(im.claimed);
	free(im.seqs);
	free(im.text);
	return rc;
}
