/* columns.c - the columns of an exchange file: header names checked and
 * folded as idea_field_parse folds them, the unknown columns a store keeps
 * (meta "csv:extras", lines "POS<TAB>NAME": a name there that is not a
 * valid column name, or repeats a field or an earlier entry once folded,
 * is never exported, and `fai check` reports it), the export's columns,
 * private temporary files, and the exchange bases: per idea, the
 * fingerprint of what was last sent or received and the local revision at
 * that moment (the base of core/exchange.c's three-way decision). */
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

/* ------------------------------------------------------------ names */

/* The folded form of a column name (idea_name_fold).  Heap string. */
char *column_fold(const char *name)
{
	struct buf b;
	buf_init(&b);
	idea_name_fold(&b, name);
	char *out = xstrndup(b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}

/* 1 when s[0..n) may name a column: at most IMPORT_NAME_MAX bytes of
 * valid UTF-8 without a control character (TAB, CR and LF included). */
int column_name_ok(const char *s, size_t n)
{
	if (n > IMPORT_NAME_MAX || memchr(s, '\0', n) ||
	    utf8_check(s, n) != n || utf8_has_control(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			return 0;
	return 1;
}

/* The field a column name names among the exported ones, or -1. */
int column_field(const char *name)
{
	int f = idea_field_parse(name);
	return f >= 0 && exchange_field_exported(f) ? f : -1;
}

/* ------------------------------------------------------------ columns */

void columns_add(struct columns *cs, size_t at, int field, const char *name)
{
	cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof(*cs->c));
	if (at > cs->n)
		at = cs->n;
	memmove(cs->c + at + 1, cs->c + at, (cs->n - at) * sizeof(*cs->c));
	cs->c[at].field = field;
	cs->c[at].name = xstrdup(name);
	cs->c[at].fold = NULL;
	cs->n++;
}

void columns_free(struct columns *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->c[i].name);
		free(cs->c[i].fold);
	}
	free(cs->c);
	cs->c = NULL;
	cs->n = 0;
}

void extras_free(struct extras *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->e[i].name);
		free(x->e[i].fold);
	}
	free(x->e);
	strmap_free(&x->byfold);
	memset(x, 0, sizeof(*x));
}

/* Parses and judges meta csv:extras (text may be NULL). */
void extras_parse(const char *text, struct extras *x)
{
	memset(x, 0, sizeof(*x));
	size_t line = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		line++;
		x->e = xrealloc(x->e, (x->n + 1) * sizeof(*x->e));
		struct extra_entry *e = &x->e[x->n++];
		memset(e, 0, sizeof(*e));
		e->line = line;
		const char *tab = memchr(p, '\t', len);
		size_t digits = 0;
		while (digits < len && p[digits] >= '0' && p[digits] <= '9')
			digits++;
		if (!tab || digits == 0 || p + digits != tab || digits > 9) {
			e->state = EXTRA_MALFORMED;
			e->name = xstrndup(p, len);
		} else {
			e->pos = (size_t)strtoul(p, NULL, 10);
			e->name =
			    xstrndup(tab + 1, len - (size_t)(tab + 1 - p));
			e->fold = column_fold(e->name);
			if (!column_name_ok(e->name, strlen(e->name)) ||
			    !e->fold[0])
				e->state = EXTRA_BAD_NAME;
			else if (column_field(e->name) >= 0)
				e->state = EXTRA_KNOWN;
			else if (!strmap_add(&x->byfold, e->fold, x->n - 1,
					     NULL))
				e->state = EXTRA_REPEATED;
		}
		p += len + (nl ? 1 : 0);
	}
}

/* The export columns: fields, then the valid extras at their places. */
int columns_for_export(struct store_txn *t, struct columns *cs,
		       struct fai_err *err)
{
	char *text = NULL;
	struct extras x;
	for (int f = 0; f < IDEA_FIELD_COUNT; f++)
		if (exchange_field_exported(f))
			columns_add(cs, cs->n, f, idea_field_info(f)->code);
	int rc = st_meta_read(t, "csv:extras", &text, err);
	if (rc || !text)
		return rc;
	extras_parse(text, &x);
	for (size_t i = 0; i < x.n; i++)
		if (x.e[i].state == EXTRA_OK)
			columns_add(cs, x.e[i].pos, -1, x.e[i].name);
	extras_free(&x);
	free(text);
	return 0;
}

int exchange_check_extras(struct store_txn *t, int *problems,
			  store_problem_fn fn, void *arg, struct fai_err *err)
{
	static const enum store_note note[] = {
	    [EXTRA_MALFORMED] = STORE_NOTE_EXTRA_MALFORMED,
	    [EXTRA_BAD_NAME] = STORE_NOTE_EXTRA_BAD_NAME,
	    [EXTRA_KNOWN] = STORE_NOTE_EXTRA_KNOWN,
	    [EXTRA_REPEATED] = STORE_NOTE_EXTRA_REPEATED,
	};
	char *text = NULL;
	struct extras x;
	int rc = st_meta_read(t, "csv:extras", &text, err);
	if (rc || !text)
		return rc;
	extras_parse(text, &x);
	for (size_t i = 0; i < x.n; i++) {
		const struct extra_entry *e = &x.e[i];
		size_t first = 0;
		if (e->state == EXTRA_OK)
			continue;
		struct store_problem_info pi = {
		    .kind = STORE_PROBLEM_EXTRAS,
		    .where = "csv:extras",
		    .note = note[e->state],
		    .value = e->name,
		    .a = e->line,
		};
		if (e->state == EXTRA_REPEATED &&
		    strmap_get(&x.byfold, e->fold, &first))
			pi.b = x.e[first].line;
		(*problems)++;
		if (fn)
			fn(&pi, arg);
	}
	extras_free(&x);
	free(text);
	return 0;
}

/* An anonymous temporary file in $TMPDIR (tmpfile() ignores it), or /tmp:
 * removed from the directory at once, so it goes when the process does.
 * NULL with errno set when it cannot be made. */
FILE *exchange_tmpfile(void)
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
		if (!f) {
			int e = errno;
			close(fd);
			errno = e;
		}
	}
	free(path);
	return f;
}

/* Fills err for a failed write (e: its errno) of what (a file name or a
 * description): -FAI_ENOSPACE when the device is full, else -FAI_EIO. */
int write_fail(struct fai_err *err, int e, const char *what)
{
	int code = e == ENOSPC || e == EDQUOT ? FAI_ENOSPACE : FAI_EIO;
	fai_err_set_about(err, code, FAI_WHY_NONE, FAI_ABOUT_FILE, "file",
			  what);
	fai_err_detail(err, "%s", strerror(e ? e : EIO));
	if (err)
		err->sys_errno = e ? e : EIO;
	return -code;
}

/* ------------------------------------------------------------ bases */

int base_read(struct store_txn *t, uint64_t key, unsigned char hash[SHA256_LEN],
	      uint64_t *rev)
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

int base_write(struct store_txn *t, uint64_t key,
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

int spool_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct spool_batch *b = arg;
	for (size_t i = 0; i < b->n; i++) {
		int rc =
		    base_write(t, b->r[i].key, b->r[i].hash, b->r[i].rev, err);
		if (rc)
			return rc;
	}
	return 0;
}

int spool_flush(struct store *s, FILE *spool, struct fai_err *err)
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
