/* import_header.c - the header of an imported file: every column once
 * (names folded as idea_field_parse folds them), the required ones there,
 * no name that is not one, and the unknown columns the store may keep
 * (import.c says the format). */
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

/* Columns the format needs in every file. */
static const enum idea_field import_required[] = {IDEA_TITLE, IDEA_REGION};

int header_fail(struct import *im, const struct csvr_row *h, int why,
		const char *name, struct fai_err *err)
{
	fai_err_set_about(err, FAI_EINVAL, why, FAI_ABOUT_HEADER, "header",
			  name);
	if (err) {
		snprintf(err->file, sizeof(err->file), "%s", im->path);
		err->line = h->line;
	}
	return -FAI_EINVAL;
}

/* A column's key for finding repeats: its field, or its folded name. */
struct header_key {
	const char *key;
	size_t col;
};

static int header_key_cmp(const void *a, const void *b)
{
	const struct header_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->col > y->col) - (x->col < y->col);
}

/* Maps and checks the header: names, repeats, the number of columns, the
 * required ones (all missing ones in one error). */
int import_header(struct import *im, const struct csvr_row *h,
		  struct fai_err *err)
{
	uint64_t missing = 0;
	int seen[IDEA_FIELD_COUNT] = {0};
	size_t unknown = 0;
	im->id_col = im->ref_col = -1;
	im->has_extras = 0;
	/* Each field once at most: past this, too many unknown ones. */
	if (h->n > IMPORT_COLUMNS_MAX + IDEA_FIELD_COUNT) {
		header_fail(im, h, FAI_WHY_TOO_MANY_COLUMNS, NULL, err);
		if (err)
			err->count = h->n, err->limit = IMPORT_COLUMNS_MAX;
		return -FAI_EINVAL;
	}
	for (size_t i = 0; i < h->n; i++) {
		/* excel-fr guards header cells as text cells (an unknown
		 * column may be named "=calc"). */
		const char *name = h->cells[i];
		size_t n = h->lens[i];
		if (im->delim == ';' && exchange_is_guarded(name, n)) {
			name++;
			n--;
		}
		int f = column_name_ok(name, n) ? column_field(name) : -1;
		char *fold = f < 0 ? column_fold(name) : NULL;
		if (f < 0 && (!column_name_ok(name, n) || !fold[0])) {
			free(fold);
			header_fail(im, h, FAI_WHY_HEADER_NAME, name, err);
			if (err)
				err->column = (long)i + 1;
			return -FAI_EINVAL;
		}
		if (f >= 0)
			seen[f] = 1;
		else
			im->has_extras = 1, unknown++;
		if (f == IDEA_ID)
			im->id_col = (int)i;
		if (f == IDEA_REF)
			im->ref_col = (int)i;
		columns_add(&im->cs, im->cs.n, f, name);
		im->cs.c[im->cs.n - 1].fold = fold;
	}
	/* Repeats, once folded: sorted keys side by side.  The pair named
	 * is the one whose second column comes first. */
	struct header_key *k = xcalloc(h->n + 1, sizeof(*k));
	for (size_t i = 0; i < im->cs.n; i++) {
		int f = im->cs.c[i].field;
		k[i].key = f >= 0 ? idea_field_info(f)->code : im->cs.c[i].fold;
		k[i].col = i;
	}
	if (unknown > IMPORT_COLUMNS_MAX) {
		free(k);
		header_fail(im, h, FAI_WHY_TOO_MANY_COLUMNS, NULL, err);
		if (err)
			err->count = h->n, err->limit = IMPORT_COLUMNS_MAX;
		return -FAI_EINVAL;
	}
	qsort(k, im->cs.n, sizeof(*k), header_key_cmp);
	size_t a = 0, b = 0;
	for (size_t i = 1; i < im->cs.n; i++) {
		size_t j = i;
		while (j > 0 && strcmp(k[j - 1].key, k[i].key) == 0)
			j--;
		if (j < i && (!b || k[j + 1].col + 1 < b))
			a = k[j].col + 1, b = k[j + 1].col + 1;
	}
	free(k);
	if (b) {
		header_fail(im, h, FAI_WHY_DUP_COLUMN, im->cs.c[b - 1].name,
			    err);
		if (err)
			err->column = (long)a, err->column2 = (long)b;
		return -FAI_EINVAL;
	}
	for (size_t i = 0;
	     i < sizeof(import_required) / sizeof(*import_required); i++)
		if (!seen[import_required[i]])
			missing |= UINT64_C(1) << import_required[i];
	if (missing) {
		header_fail(im, h, FAI_WHY_REQUIRED, NULL, err);
		if (err)
			err->missing = missing;
		return -FAI_EINVAL;
	}
	return 0;
}

/* How many unknown columns the store keeps once this file's are added
 * to x (its csv:extras). */
size_t extras_after(const struct import *im, const struct extras *x)
{
	size_t n = x->byfold.n;
	for (size_t i = 0; i < im->cs.n; i++)
		if (im->cs.c[i].field < 0 &&
		    !strmap_get(&x->byfold, im->cs.c[i].fold, NULL))
			n++;
	return n;
}

/* Refuses a file whose unknown columns would take the store past
 * IMPORT_COLUMNS_MAX of them (its export would no longer import). */
int extras_cap(struct import *im, size_t n, struct fai_err *err)
{
	if (n <= IMPORT_COLUMNS_MAX)
		return 0;
	header_fail(im, &im->header, FAI_WHY_STORE_COLUMNS, NULL, err);
	if (err)
		err->count = n, err->limit = IMPORT_COLUMNS_MAX;
	return -FAI_EINVAL;
}

/* The first pass's look at the store: the unknown columns it keeps. */
int import_extras_room(struct import *im, struct fai_err *err)
{
	struct store_txn t;
	char *text = NULL;
	struct extras x;
	if (!im->has_extras)
		return 0;
	int rc = st_rd_begin(im->s, &t, err);
	if (rc)
		return rc;
	rc = st_meta_read(&t, "csv:extras", &text, err);
	st_rd_end(&t);
	if (rc)
		return rc;
	extras_parse(text, &x);
	rc = extras_cap(im, extras_after(im, &x), err);
	extras_free(&x);
	free(text);
	return rc;
}

/* This file's unknown columns under the names the store already knows
 * them by (the same once folded: "Note" for "note"), so an idea never
 * holds both; then the set of their names. */
int import_extra_names(struct import *im, struct store_txn *t,
		       struct fai_err *err)
{
	char *text = NULL;
	struct extras x;
	if (!im->has_extras)
		return 0;
	int rc = st_meta_read(t, "csv:extras", &text, err);
	if (rc)
		return rc;
	extras_parse(text, &x);
	strmap_free(&im->extra_names);
	for (size_t i = 0; i < im->cs.n; i++) {
		struct column *c = &im->cs.c[i];
		size_t at;
		if (c->field >= 0)
			continue;
		if (strmap_get(&x.byfold, c->fold, &at) &&
		    strcmp(x.e[at].name, c->name) != 0) {
			free(c->name);
			c->name = xstrdup(x.e[at].name);
		}
		strmap_add(&im->extra_names, c->name, i, NULL);
	}
	extras_free(&x);
	free(text);
	return 0;
}
