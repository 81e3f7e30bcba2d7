/* test_exchange.c - `fai export` and `fai import` at the store level
 * (store/exchange.c), each test on fresh temporary stores: byte-identical
 * round trips (same store, a chain of stores, 10^4 ideas of hostile text in
 * both dialects), the merge rules (new, unchanged, update, conflict with
 * keep-local / take-theirs / fail), importing twice, two regions into one
 * store, unknown columns, missing columns, invalid rows (nothing written, or
 * a rejects file), dry runs, Windows-1252 files and the excel-fr guard;
 * and an import while another process writes to the same store. */
#include "store_fixture.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "../../core/exchange.h"
#include "../../store/csvio.h"
#include "../../store/exchange.h"

/* ------------------------------------------------------------ helpers */

#define SET(idea, fld, val)                                                    \
	do {                                                                   \
		struct fai_err se_;                                            \
		if (idea_set((idea), (fld), (val), 1, &se_) != 0)              \
			fail_msg("idea_set %s [%s]: %s %s",                    \
				 idea_field_info(fld)->code, (val),            \
				 fai_why_text(se_.why), se_.detail);           \
	} while (0)

static struct store *open_at(struct fx *f, const char *name, const char *region)
{
	struct store *s = NULL;
	char *path = xasprintf("%s/%s", f->dir, name);
	int rc = store_open(&s, path, STORE_CREATE, region, 0, &f->err);
	if (rc)
		fail_msg("store_open %s: %s", path, fai_strerror(rc));
	free(path);
	return s;
}

static char *in_dir(struct fx *f, const char *name)
{
	return xasprintf("%s/%s", f->dir, name);
}

static void export_file(struct store *s, enum csv_dialect d, const char *path,
			struct exchange_stats *st)
{
	struct export_opts eo;
	struct exchange_stats tmp;
	struct fai_err err;
	memset(&eo, 0, sizeof(eo));
	eo.dialect = d;
	FILE *fp = fopen(path, "wb");
	if (!fp)
		fail_msg("fopen %s: %s", path, strerror(errno));
	int rc = store_export(s, fp, &eo, st ? st : &tmp, &err);
	if (rc)
		fail_msg("store_export: %s (%s)", fai_strerror(rc), err.detail);
	assert_int_equal(fclose(fp), 0);
}

/* Every test runs twice (main): written the usual way (bulk_bytes -1),
 * then as a bulk import whatever its size (1: through a writable map),
 * which must come out the same. */
static long long test_bulk_bytes;

static int import_file(struct store *s, const struct store_actor *a,
		       const char *path, const struct import_opts *o,
		       struct exchange_stats *st, struct fai_err *err)
{
	struct import_opts io;
	struct exchange_stats tmp;
	if (o) {
		io = *o;
	} else {
		memset(&io, 0, sizeof(io));
		io.on_conflict = IMPORT_KEEP_LOCAL;
	}
	io.bulk_bytes = test_bulk_bytes;
	fai_err_clear(err);
	if (!st)
		st = &tmp;
	int rc = store_import(s, a, path, &io, st, err);
	/* Bulk or not is the options' choice; a dry run never writes. */
	if (rc == 0)
		assert_int_equal(st->bulk, test_bulk_bytes == 1 && !io.dry_run);
	return rc;
}

#define IMPORT_OK(s, a, path, o, st)                                           \
	do {                                                                   \
		struct fai_err ie_;                                            \
		int ir_ = import_file((s), (a), (path), (o), (st), &ie_);      \
		if (ir_)                                                       \
			fail_msg("import %s: %s %s:%ld %s=%s (%s)", (path),    \
				 fai_strerror(ir_), ie_.file, ie_.line,        \
				 ie_.field, ie_.value, ie_.detail);            \
	} while (0)

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		fail_msg("fopen %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void write_text(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

/* Two files hold the same bytes; on a difference, where. */
static void same_file(const char *a, const char *b)
{
	size_t na, nb;
	unsigned char *x = fx_slurp(a, &na), *y = fx_slurp(b, &nb);
	if (na != nb || memcmp(x, y, na) != 0) {
		size_t i = 0;
		while (i < na && i < nb && x[i] == y[i])
			i++;
		size_t from = i > 60 ? i - 60 : 0;
		fprintf(stderr,
			"first difference at byte %zu:\n  %s: %.*s\n"
			"  %s: %.*s\n",
			i, a, (int)((na > from + 120 ? from + 120 : na) - from),
			x + from, b,
			(int)((nb > from + 120 ? from + 120 : nb) - from),
			y + from);
		free(x);
		free(y);
		fail_msg("%s and %s differ (%zu and %zu bytes)", a, b, na, nb);
	}
	free(x);
	free(y);
}

static int foreach_dump(const struct idea *idea, void *arg)
{
	struct buf *b = arg;
	for (int fl = 0; fl < IDEA_FIELD_COUNT; fl++)
		buf_printf(b, "%s\x1f", idea_get(idea, fl));
	for (size_t i = 0; i < idea->nextra; i++)
		buf_printf(b, "%s=%s\x1f", idea->extra[i].name,
			   idea->extra[i].value);
	buf_addc(b, '\x1e');
	return 0;
}

/* Every field of every idea, in board order: what "nothing changed"
 * compares (an export would itself record what it sent). */
static char *dump(struct store *s)
{
	struct buf b;
	struct fai_err err;
	buf_init(&b);
	buf_adds(&b, "");
	assert_int_equal(store_idea_foreach(s, foreach_dump, &b, &err), 0);
	buf_addc(&b, '\0');
	return b.data;
}

static struct idea *find(struct store *s, const char *ref)
{
	struct idea *i = NULL;
	struct fai_err err;
	if (store_idea_find(s, ref, &i, &err))
		fail_msg("find %s", ref);
	return i;
}

static void expect_field(struct store *s, const char *ref, enum idea_field fl,
			 const char *want)
{
	struct idea *i = find(s, ref);
	if (strcmp(idea_get(i, fl), want) != 0)
		fail_msg("%s %s: [%s], want [%s]", ref,
			 idea_field_info(fl)->code, idea_get(i, fl), want);
	idea_free(i);
}

static void edit(struct store *s, struct store_actor *a, const char *ref,
		 enum idea_field fl, const char *value)
{
	struct store_set set = {fl, value};
	struct fai_err err;
	a->now += 60;
	int rc = store_idea_edit(s, a, ref, &set, 1, 0, NULL, &err);
	if (rc)
		fail_msg("edit %s: %s", ref, fai_strerror(rc));
}

/* Parses a whole file with the reader's rules (delimiter given). */
struct rows {
	char ***cells;
	size_t **lens;
	size_t *ncells;
	long *line;
	size_t n;
};

static void rows_cb(const struct csvr_row *r, void *arg)
{
	struct rows *rs = arg;
	size_t k = rs->n++;
	rs->cells = xrealloc(rs->cells, rs->n * sizeof(*rs->cells));
	rs->lens = xrealloc(rs->lens, rs->n * sizeof(*rs->lens));
	rs->ncells = xrealloc(rs->ncells, rs->n * sizeof(*rs->ncells));
	rs->line = xrealloc(rs->line, rs->n * sizeof(*rs->line));
	rs->cells[k] = xcalloc(r->n + 1, sizeof(char *));
	rs->lens[k] = xcalloc(r->n + 1, sizeof(size_t));
	rs->ncells[k] = r->n;
	rs->line[k] = r->line;
	for (size_t i = 0; i < r->n; i++) {
		rs->cells[k][i] = xmalloc(r->lens[i] + 1);
		memcpy(rs->cells[k][i], r->cells[i], r->lens[i] + 1);
		rs->lens[k][i] = r->lens[i];
	}
}

static void rows_read(const char *path, char delim, struct rows *rs)
{
	size_t n;
	unsigned char *data = fx_slurp(path, &n);
	struct fai_err err;
	size_t skip = n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	memset(rs, 0, sizeof(*rs));
	if (csv_parse_buffer((char *)data + skip, n - skip, delim, 0, rows_cb,
			     rs, &err))
		fail_msg("%s: %s line %ld", path, err.detail, err.line);
	free(data);
}

static void rows_free(struct rows *rs)
{
	for (size_t k = 0; k < rs->n; k++) {
		for (size_t i = 0; i < rs->ncells[k]; i++)
			free(rs->cells[k][i]);
		free(rs->cells[k]);
		free(rs->lens[k]);
	}
	free(rs->cells);
	free(rs->lens);
	free(rs->ncells);
	free(rs->line);
}

static int col_of(const struct rows *rs, const char *name)
{
	for (size_t i = 0; i < rs->ncells[0]; i++)
		if (strcmp(rs->cells[0][i], name) == 0)
			return (int)i;
	return -1;
}

/* The cell of column name in the row whose column key equals value. */
static const char *cell_where(const struct rows *rs, const char *key,
			      const char *value, const char *name)
{
	int k = col_of(rs, key), c = col_of(rs, name);
	assert_true(k >= 0 && c >= 0);
	for (size_t r = 1; r < rs->n; r++)
		if (strcmp(rs->cells[r][k], value) == 0)
			return rs->cells[r][c];
	fail_msg("no row with %s = %s", key, value);
	return NULL;
}

/* ------------------------------------------------------------ ideas */

/* A full idea: every exportable field a person can fill. */
static struct idea *full_idea(unsigned n, const char *region)
{
	static const char *const stages[] = {"need",	     "concept",
					     "owner_search", "launched",
					     "on_hold",	     "abandoned"};
	char buf[128];
	struct idea *i = idea_new();
	snprintf(buf, sizeof(buf), "Épicerie solidaire n°%u", n);
	SET(i, IDEA_TITLE, buf);
	SET(i, IDEA_REGION, region);
	SET(i, IDEA_TERRITORY,
	    strcmp(region, "11") == 0 ? "75, 77379" : "69, 42");
	SET(i, IDEA_THEME, "alimentation");
	SET(i, IDEA_TAGS, "circuit court; ESS");
	SET(i, IDEA_NEED,
	    "Pas de commerce à moins de 30 km.\nLes aînés sont "
	    "isolés.");
	SET(i, IDEA_SOURCE, "Réunion publique");
	SET(i, IDEA_PARTNERS, "Mairie; Département");
	SET(i, IDEA_FACILITATOR, "Amandine Rousseau");
	const char *stage = stages[n % 6];
	SET(i, IDEA_STAGE, stage);
	if (n % 6 >= 1)
		SET(i, IDEA_CONCEPT,
		    "Une épicerie \"mobile\", 3 jours par "
		    "semaine; gérée par les habitants.");
	if (n % 6 >= 2)
		SET(i, IDEA_OWNER, "Association Bien Vivre");
	if (n % 6 == 3) {
		SET(i, IDEA_STRUCTURE, "Épicerie Bien Vivre");
		SET(i, IDEA_LEGAL_FORM, "SCIC");
		SET(i, IDEA_SIRET, "73282932000074");
		SET(i, IDEA_LAUNCH_DATE, "2026-03-01");
		SET(i, IDEA_JOBS, "3");
	}
	if (n % 6 >= 4)
		SET(i, IDEA_STAGE_REASON, "Financement en attente;\nà revoir.");
	return i;
}

static void create(struct store *s, struct store_actor *a, struct idea *i,
		   char ref[24])
{
	struct fai_err err;
	a->now += 60;
	int rc = store_idea_create(s, a, i, &err);
	if (rc)
		fail_msg("create: %s %s=%s", fai_strerror(rc), err.field,
			 err.value);
	if (ref)
		snprintf(ref, 24, "%s", idea_get(i, IDEA_REF));
	idea_free(i);
}

/* A few ideas, some changed after creation (revisions above 1). */
static void seed(struct fx *f, struct store *s, const char *region,
		 unsigned count, char refs[][24])
{
	for (unsigned n = 0; n < count; n++)
		create(s, &f->alice, full_idea(n, region), refs[n]);
	edit(s, &f->bob, refs[0], IDEA_THEME, "mobilité");
	edit(s, &f->bob, refs[0], IDEA_TAGS, "jeunes; mobilité");
	if (count > 2)
		edit(s, &f->alice, refs[2], IDEA_NEED,
		     "Besoin révisé.\n\nDeux "
		     "paragraphes.");
}

/* ------------------------------------------------------------ round trips */

static void test_roundtrip_same_store(void **state)
{
	struct fx *f = *state;
	char refs[8][24];
	seed(f, f->s, "84", 8, refs);
	for (int d = 0; d < 2; d++) {
		char *one = in_dir(f, "one.csv"), *two = in_dir(f, "two.csv");
		struct exchange_stats st;
		export_file(f->s, d, one, &st);
		assert_int_equal(st.rows, 8);
		char *revs = dump(f->s);
		IMPORT_OK(f->s, &f->alice, one, NULL, &st);
		assert_int_equal(st.rows, 8);
		assert_int_equal(st.unchanged, 8);
		assert_int_equal(
		    st.added + st.updated + st.conflicts + st.invalid, 0);
		char *after = dump(f->s);
		assert_string_equal(revs, after);
		export_file(f->s, d, two, NULL);
		same_file(one, two);
		fx_check_ok(f->s);
		free(revs);
		free(after);
		free(one);
		free(two);
	}
}

/* Fills b with the cells of one CSV file but column skip (-1: none). */
static void rows_without(const struct rows *rs, int skip, struct buf *b)
{
	for (size_t r = 0; r < rs->n; r++) {
		for (size_t i = 0; i < rs->ncells[r]; i++)
			if ((int)i != skip) {
				buf_add(b, rs->cells[r][i], rs->lens[r][i]);
				buf_addc(b, '\x1f');
			}
		buf_addc(b, '\x1e');
	}
}

static void test_roundtrip_chain(void **state)
{
	struct fx *f = *state;
	char refs[12][24];
	seed(f, f->s, "84", 12, refs);
	struct store *b = open_at(f, "b", "11"), *c = open_at(f, "c", "53");
	char *ea = in_dir(f, "a.csv"), *eb = in_dir(f, "b.csv"),
	     *ec = in_dir(f, "c.csv");
	struct exchange_stats st;

	export_file(f->s, CSV_DIALECT_RFC4180, ea, NULL);
	IMPORT_OK(b, &f->bob, ea, NULL, &st);
	assert_int_equal(st.added, 12);
	assert_int_equal(st.renumbered, 0);
	export_file(b, CSV_DIALECT_RFC4180, eb, NULL);
	IMPORT_OK(c, &f->bob, eb, NULL, &st);
	assert_int_equal(st.added, 12);
	export_file(c, CSV_DIALECT_RFC4180, ec, NULL);
	same_file(eb, ec);

	/* A and B differ only in the local revision. */
	struct rows ra, rb;
	struct buf xa, xb;
	rows_read(ea, ',', &ra);
	rows_read(eb, ',', &rb);
	buf_init(&xa);
	buf_init(&xb);
	rows_without(&ra, col_of(&ra, "revision"), &xa);
	rows_without(&rb, col_of(&rb, "revision"), &xb);
	assert_int_equal(xa.len, xb.len);
	assert_memory_equal(xa.data, xb.data, xa.len);
	assert_string_equal(cell_where(&ra, "ref", refs[0], "revision"), "3");
	assert_string_equal(cell_where(&rb, "ref", refs[0], "revision"), "1");
	/* and B keeps who changed it last and when */
	assert_string_equal(cell_where(&rb, "ref", refs[0], "updated_by"),
			    "bob");
	buf_free(&xa);
	buf_free(&xb);
	rows_free(&ra);
	rows_free(&rb);

	/* excel-fr along the same chain */
	store_close(b);
	store_close(c);
	b = open_at(f, "bx", "11");
	c = open_at(f, "cx", "53");
	export_file(f->s, CSV_DIALECT_EXCEL_FR, ea, NULL);
	IMPORT_OK(b, &f->bob, ea, NULL, &st);
	assert_int_equal(st.added, 12);
	export_file(b, CSV_DIALECT_EXCEL_FR, eb, NULL);
	IMPORT_OK(c, &f->bob, eb, NULL, &st);
	export_file(c, CSV_DIALECT_EXCEL_FR, ec, NULL);
	same_file(eb, ec);
	fx_check_ok(b);
	fx_check_ok(c);
	store_close(b);
	store_close(c);
	free(ea);
	free(eb);
	free(ec);
}

/* ------------------------------------------------------------ hostile */

/* Text spreadsheets and parsers stumble on. */
static const char *const hostile_line[] = {
    "=1+1",
    "-2 degrés",
    "+33 6 12 34 56 78",
    "@SOMME(A1:A9)",
    "'=déjà gardé",
    "''-deux apostrophes",
    "'+'",
    "'@",
    "\"entre guillemets\"",
    "a \"b\" c \"\"",
    "point;virgule;;",
    "vir,gule,,",
    "café crème à l’été, Œuvre",
    "\xf0\x9f\x98\x80 emoji \xf0\x9f\x87\xab\xf0\x9f\x87\xb7",
    "\xe2\x80\xae"
    "texte inversé",
    "\xe2\x80\xae",
    "'",
    "\"",
    "=HYPERLINK(\"http://x\";\"clic\")",
    "tab\tinterne",
    "\t=après une tabulation",
    "-",
    "«\xc2\xa0guillemets\xc2\xa0»",
    "ÀÉÎÕÜ àéîõü ç Ç ß",
};
#define NHOSTILE (sizeof(hostile_line) / sizeof(*hostile_line))

static const char *const hostile_ml[] = {
    "Ligne 1\r\nLigne 2",
    "=formule\nsur deux lignes",
    "'\tapostrophe puis tabulation",
    "\"\"\r\n\"\"",
    "a;b\r\n\r\nc,d\n\n\"e\"",
    "fin avec CR\rseul",
    "-\n-\n-",
    "@\r\n@",
    "\xe2\x80\xae\r\n\xf0\x9f\x98\x80",
};
#define NHOSTILE_ML (sizeof(hostile_ml) / sizeof(*hostile_ml))

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static struct idea *hostile_idea(unsigned n, uint32_t *seed)
{
	static const char *const regions[] = {"84", "11", "53", "93"};
	static const char *const terr[] = {"69, 69123", "75, 77379", "29, 35",
					   "13, 2A"};
	static const enum idea_field line_fields[] = {
	    IDEA_TITLE, IDEA_THEME,	IDEA_FACILITATOR,
	    IDEA_OWNER, IDEA_STRUCTURE, IDEA_LEGAL_FORM};
	static const enum idea_field ml_fields[] = {IDEA_NEED, IDEA_CONCEPT,
						    IDEA_SOURCE};
	char buf[1024];
	struct idea *i = idea_new();
	unsigned r = n % 4;
	SET(i, IDEA_REGION, regions[r]);
	if (n % 3)
		SET(i, IDEA_TERRITORY, terr[r]);
	for (size_t k = 0; k < sizeof(line_fields) / sizeof(*line_fields);
	     k++) {
		if (k && rnd(seed) % 4 == 0)
			continue;
		snprintf(buf, sizeof(buf), "%s %s n°%u",
			 hostile_line[rnd(seed) % NHOSTILE],
			 hostile_line[rnd(seed) % NHOSTILE], n);
		SET(i, line_fields[k], buf);
	}
	for (size_t k = 0; k < sizeof(ml_fields) / sizeof(*ml_fields); k++) {
		snprintf(buf, sizeof(buf), "%s\r\n%s — %u",
			 hostile_ml[rnd(seed) % NHOSTILE_ML],
			 hostile_ml[rnd(seed) % NHOSTILE_ML], n);
		SET(i, ml_fields[k], buf);
	}
	snprintf(buf, sizeof(buf),
		 "=tag; -moins; +plus %u; @a; 'q; \"g\"; "
		 "é,virgule",
		 n % 7);
	SET(i, IDEA_TAGS, buf);
	SET(i, IDEA_PARTNERS, "Mairie; « Les Amis »; 'Asso'");
	if (n % 5 == 0) {
		SET(i, IDEA_STAGE, "on_hold");
		SET(i, IDEA_STAGE_REASON, hostile_ml[n % NHOSTILE_ML]);
	}
	if (n % 11 == 0) {
		SET(i, IDEA_SIRET, "732 829 320 00074");
		SET(i, IDEA_JOBS, "12");
		SET(i, IDEA_LAUNCH_DATE, "2025-12-31");
	}
	return i;
}

struct gen_batch {
	const struct store_actor *actor;
	unsigned from, to;
	uint32_t seed;
};

static int gen_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct gen_batch *g = arg;
	uint32_t seed = g->seed; /* a retry starts over */
	for (unsigned n = g->from; n < g->to; n++) {
		struct idea *i = hostile_idea(n, &seed);
		int rc = store_txn_create(t, g->actor, i, err);
		idea_free(i);
		if (rc)
			return rc;
	}
	return 0;
}

static void test_hostile_10k(void **state)
{
	struct fx *f = *state;
	const unsigned total = 10000;
	uint32_t seed = 0x2545F491;
	for (unsigned from = 0; from < total; from += 2500) {
		struct gen_batch g = {fx_tick(&f->alice), from, from + 2500,
				      seed};
		assert_int_equal(store_write(f->s, gen_txn, &g, &f->err), 0);
		seed = seed * 2654435761u + 1;
	}
	for (int d = 0; d < 2; d++) {
		char *ea = in_dir(f, d ? "a.x.csv" : "a.csv");
		char *eb = in_dir(f, d ? "b.x.csv" : "b.csv");
		char *ea2 = in_dir(f, "a2.csv");
		struct exchange_stats st;
		struct store *b = open_at(f, d ? "bx" : "b", "84");

		export_file(f->s, d, ea, &st);
		assert_int_equal(st.rows, total);
		IMPORT_OK(b, &f->bob, ea, NULL, &st);
		assert_int_equal(st.rows, total);
		assert_int_equal(st.added, total);
		assert_int_equal(st.invalid, 0);
		export_file(b, d, eb, NULL);
		same_file(ea, eb);
		fx_check_ok(b);

		/* Back into the store it came from: nothing changes. */
		IMPORT_OK(f->s, &f->alice, ea, NULL, &st);
		assert_int_equal(st.unchanged, total);
		export_file(f->s, d, ea2, NULL);
		same_file(ea, ea2);

		/* The dialect's marks are there. */
		size_t n;
		unsigned char *raw = fx_slurp(ea, &n);
		assert_int_equal(n >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0,
				 d);
		assert_non_null(memmem(raw, n, "\r\n", 2));
		if (d)
			assert_non_null(memmem(raw, n, ";'=1+1", 6));
		else
			assert_null(memmem(raw, n, ",'=1+1", 6));
		free(raw);
		store_close(b);
		free(ea);
		free(eb);
		free(ea2);
	}
	fx_check_ok(f->s);
}

/* ------------------------------------------------------------ merge */

/* A and B share three ideas (X, Y, Z) through one exchange. */
struct merge {
	struct store *b;
	char x[24], y[24], z[24];
	char *file0, *file1;
};

static void merge_setup(struct fx *f, struct merge *m)
{
	create(f->s, &f->alice, full_idea(1, "84"), m->x);
	create(f->s, &f->alice, full_idea(2, "84"), m->y);
	create(f->s, &f->alice, full_idea(3, "84"), m->z);
	m->b = open_at(f, "b", "84");
	m->file0 = in_dir(f, "from-a.csv");
	m->file1 = in_dir(f, "from-b.csv");
	export_file(f->s, CSV_DIALECT_RFC4180, m->file0, NULL);
	IMPORT_OK(m->b, &f->bob, m->file0, NULL, NULL);
	/* Here Y is changed in A; in B, X and Y. */
	edit(f->s, &f->alice, m->y, IDEA_TITLE, "Côté A");
	edit(m->b, &f->bob, m->x, IDEA_NEED, "Changé par B.");
	edit(m->b, &f->bob, m->y, IDEA_TITLE, "Côté B");
	export_file(m->b, CSV_DIALECT_RFC4180, m->file1, NULL);
}

static void merge_free(struct merge *m)
{
	store_close(m->b);
	free(m->file0);
	free(m->file1);
}

static void test_merge_new_and_renumbered(void **state)
{
	struct fx *f = *state;
	char refs[4][24], mine[24];
	struct store *b = open_at(f, "b", "84");
	char *file = in_dir(f, "a.csv");
	struct exchange_stats st;
	for (unsigned n = 0; n < 4; n++)
		create(f->s, &f->alice, full_idea(n, "84"), refs[n]);
	edit(f->s, &f->alice, refs[1], IDEA_THEME, "culture");
	export_file(f->s, CSV_DIALECT_RFC4180, file, NULL);
	/* B already has an idea 84-0001 of its own. */
	create(b, &f->bob, full_idea(9, "84"), mine);
	assert_string_equal(mine, refs[0]);

	IMPORT_OK(b, &f->bob, file, NULL, &st);
	assert_int_equal(st.added, 4);
	/* At least A's 84-0001; the number it gets may be one a later row
	 * of the file carries, which is then renumbered in turn (the rows
	 * come in id order). */
	assert_true(st.renumbered >= 1);
	struct idea *a1 = find(f->s, refs[1]);
	struct idea *b1 = find(b, idea_get(a1, IDEA_ID));
	/* Kept: id, ref, who changed it last and when; revision restarts. */
	assert_string_equal(idea_get(b1, IDEA_ID), idea_get(a1, IDEA_ID));
	assert_string_equal(idea_get(b1, IDEA_UPDATED_BY), "alice");
	assert_string_equal(idea_get(b1, IDEA_UPDATED_AT),
			    idea_get(a1, IDEA_UPDATED_AT));
	assert_string_equal(idea_get(b1, IDEA_CREATED_AT),
			    idea_get(a1, IDEA_CREATED_AT));
	assert_string_equal(idea_get(a1, IDEA_REVISION), "2");
	assert_string_equal(idea_get(b1, IDEA_REVISION), "1");
	assert_string_equal(idea_get(b1, IDEA_THEME), "culture");
	idea_free(a1);
	idea_free(b1);
	/* Every idea of A is in B under its id, with a reference of region
	 * 84 no other idea has; A's 84-0001 got another number. */
	size_t renumbered = 0;
	for (int n = 0; n < 4; n++) {
		struct idea *an = find(f->s, refs[n]);
		struct idea *bn = find(b, idea_get(an, IDEA_ID));
		assert_string_equal(idea_get(bn, IDEA_TITLE),
				    idea_get(an, IDEA_TITLE));
		assert_int_equal(strncmp(idea_get(bn, IDEA_REF), "84-", 3), 0);
		renumbered += strcmp(idea_get(bn, IDEA_REF), refs[n]) != 0;
		if (n == 0)
			assert_string_not_equal(idea_get(bn, IDEA_REF),
						refs[0]);
		idea_free(an);
		idea_free(bn);
	}
	assert_int_equal(renumbered, st.renumbered);
	expect_field(b, mine, IDEA_TITLE, "Épicerie solidaire n°9");
	fx_check_ok(b);
	store_close(b);
	free(file);
}

/* An idea renumbered on arrival keeps its two references, one per store:
 * exchanging it back and forth is not a change (import never changes a
 * ref, so a ref that differs is no difference). */
static void test_merge_renumbered_round_trips(void **state)
{
	struct fx *f = *state;
	char ref[24], mine[24];
	struct store *b = open_at(f, "b", "84");
	char *fa = in_dir(f, "a.csv"), *fb = in_dir(f, "b.csv");
	struct exchange_stats st;
	create(b, &f->bob, full_idea(9, "84"), mine);
	create(f->s, &f->alice, full_idea(1, "84"), ref);
	assert_string_equal(ref, mine); /* both 84-0001 */
	export_file(f->s, CSV_DIALECT_RFC4180, fa, NULL);
	IMPORT_OK(b, &f->bob, fa, NULL, &st);
	assert_int_equal(st.renumbered, 1);
	for (int round = 0; round < 3; round++) {
		char *da = dump(f->s), *db = dump(b);
		export_file(b, CSV_DIALECT_RFC4180, fb, NULL);
		IMPORT_OK(f->s, &f->alice, fb, NULL, &st);
		/* B's own idea is new to A the first time (and renumbered:
		 * 84-0001 is A's), the shared one never changes */
		if (st.added + st.unchanged != 2 || st.updated || st.conflicts)
			fail_msg("round %d, into A: %llu new, %llu unchanged, "
				 "%llu updated, %llu conflicts",
				 round, st.added, st.unchanged, st.updated,
				 st.conflicts);
		assert_int_equal(st.added, round == 0);
		export_file(f->s, CSV_DIALECT_RFC4180, fa, NULL);
		IMPORT_OK(b, &f->bob, fa, NULL, &st);
		if (st.unchanged != 2 || st.updated || st.conflicts || st.added)
			fail_msg("round %d, into B: %llu new, %llu unchanged, "
				 "%llu updated, %llu conflicts",
				 round, st.added, st.unchanged, st.updated,
				 st.conflicts);
		char *da2 = dump(f->s), *db2 = dump(b);
		if (round) {
			assert_string_equal(da, da2);
			assert_string_equal(db, db2);
		}
		free(da);
		free(db);
		free(da2);
		free(db2);
	}
	expect_field(f->s, ref, IDEA_TITLE, "Épicerie solidaire n°1");
	store_close(b);
	free(fa);
	free(fb);
}

static void test_merge_unchanged_and_newer(void **state)
{
	struct fx *f = *state;
	struct merge m;
	struct exchange_stats st;
	merge_setup(f, &m);
	/* A's own export, back into A after A changed Y: Y is simply newer
	 * here, nothing changes. */
	char *revs = dump(f->s);
	IMPORT_OK(f->s, &f->alice, m.file0, NULL, &st);
	assert_int_equal(st.unchanged, 3);
	assert_int_equal(st.updated + st.conflicts + st.added, 0);
	expect_field(f->s, m.y, IDEA_TITLE, "Côté A");
	char *after = dump(f->s);
	assert_string_equal(revs, after);
	free(revs);
	free(after);
	merge_free(&m);
}

static void test_merge_update_and_keep_local(void **state)
{
	struct fx *f = *state;
	struct merge m;
	struct exchange_stats st;
	merge_setup(f, &m);
	uint64_t xrev = fx_rev(f, m.x), yrev = fx_rev(f, m.y);

	IMPORT_OK(f->s, &f->alice, m.file1, NULL, &st);
	assert_int_equal(st.rows, 3);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.conflicts, 1);
	assert_int_equal(st.unchanged, 1);
	/* update: X takes B's need */
	expect_field(f->s, m.x, IDEA_NEED, "Changé par B.");
	assert_int_equal(fx_rev(f, m.x), xrev + 1);
	struct idea *x = fx_find(f, m.x);
	struct log_entry e;
	fx_last_entry(f, x->key, &e);
	assert_int_equal(e.kind, LOG_IMPORT);
	const struct log_change *c = log_entry_change(&e, "need");
	assert_non_null(c);
	assert_string_equal(fx_s(c->after), "Changé par B.");
	log_entry_clear(&e);
	idea_free(x);
	/* conflict, keep-local: Y keeps A's title; the log holds B's */
	expect_field(f->s, m.y, IDEA_TITLE, "Côté A");
	struct idea *y = fx_find(f, m.y);
	fx_last_entry(f, y->key, &e);
	assert_int_equal(e.kind, LOG_IMPORT);
	c = log_entry_change(&e, "title");
	assert_non_null(c);
	assert_string_equal(fx_s(c->before), "Côté A");
	assert_string_equal(fx_s(c->after), "Côté B");
	assert_non_null(strstr(e.text, "kept the local version"));
	assert_int_equal(e.revision, yrev + 1);
	log_entry_clear(&e);
	idea_free(y);
	fx_check_ok(f->s);

	/* The same file again: nothing moves.  (No export in between: an
	 * export records what A sent as the new base, after which B's old
	 * file would count as B's change, as docs/csv-format.md says.) */
	char *before = dump(f->s);
	IMPORT_OK(f->s, &f->alice, m.file1, NULL, &st);
	assert_int_equal(st.unchanged, 3);
	assert_int_equal(st.updated + st.conflicts + st.added, 0);
	char *after = dump(f->s);
	assert_string_equal(before, after);
	free(before);
	free(after);
	merge_free(&m);
}

static void test_merge_take_theirs(void **state)
{
	struct fx *f = *state;
	struct merge m;
	struct exchange_stats st;
	struct import_opts io;
	merge_setup(f, &m);
	memset(&io, 0, sizeof(io));
	io.on_conflict = IMPORT_TAKE_THEIRS;
	IMPORT_OK(f->s, &f->alice, m.file1, &io, &st);
	assert_int_equal(st.conflicts, 1);
	assert_int_equal(st.updated, 1);
	expect_field(f->s, m.y, IDEA_TITLE, "Côté B");
	expect_field(f->s, m.x, IDEA_NEED, "Changé par B.");
	/* The local version is in the log. */
	struct idea *y = fx_find(f, m.y);
	struct log_entry e;
	fx_last_entry(f, y->key, &e);
	assert_int_equal(e.kind, LOG_IMPORT);
	const struct log_change *c = log_entry_change(&e, "title");
	assert_non_null(c);
	assert_string_equal(fx_s(c->before), "Côté A");
	assert_string_equal(fx_s(c->after), "Côté B");
	log_entry_clear(&e);
	idea_free(y);
	fx_check_ok(f->s);
	/* Twice: nothing. */
	char *revs = dump(f->s);
	IMPORT_OK(f->s, &f->alice, m.file1, &io, &st);
	assert_int_equal(st.unchanged, 3);
	char *after = dump(f->s);
	assert_string_equal(revs, after);
	free(revs);
	free(after);
	merge_free(&m);
}

static void test_merge_fail(void **state)
{
	struct fx *f = *state;
	struct merge m;
	struct exchange_stats st;
	struct import_opts io;
	struct fx_snap snap;
	merge_setup(f, &m);
	fx_snapshot(f, &snap);
	memset(&io, 0, sizeof(io));
	io.on_conflict = IMPORT_FAIL;
	assert_int_equal(
	    import_file(f->s, &f->alice, m.file1, &io, &st, &f->err),
	    -FAI_ECONFLICT);
	assert_int_equal(f->err.code, FAI_ECONFLICT);
	assert_int_equal(st.conflicts, 1);
	assert_int_equal(st.updated, 1);
	fx_unchanged(f, &snap, "import --on-conflict fail");
	/* A dry run with keep-local counts the same and writes nothing. */
	io.on_conflict = IMPORT_KEEP_LOCAL;
	io.dry_run = 1;
	IMPORT_OK(f->s, &f->alice, m.file1, &io, &st);
	assert_int_equal(st.conflicts, 1);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.unchanged, 1);
	fx_unchanged(f, &snap, "import --dry-run");
	expect_field(f->s, m.y, IDEA_TITLE, "Côté A");
	free(snap.bytes);
	merge_free(&m);
}

/* ------------------------------------------------------------ regions */

static int region_count(const struct idea *idea, void *arg)
{
	size_t *n = arg;
	n[strcmp(idea_get(idea, IDEA_REGION), "84") == 0 ? 0 : 1]++;
	return 0;
}

static int region_is_84(const struct idea_view *idea, void *arg)
{
	(void)arg;
	return strcmp(idea_view_get(idea, IDEA_REGION), "84") == 0;
}

static int region_is_11(const struct idea_view *idea, void *arg)
{
	(void)arg;
	return strcmp(idea_view_get(idea, IDEA_REGION), "11") == 0;
}

static void test_two_regions(void **state)
{
	struct fx *f = *state;
	struct store *r11 = open_at(f, "idf", "11");
	struct store *s = open_at(f, "avise", "11");
	char a[5][24], b[3][24];
	char *fa = in_dir(f, "84.csv"), *fb = in_dir(f, "11.csv");
	seed(f, f->s, "84", 5, a);
	seed(f, r11, "11", 3, b);
	export_file(f->s, CSV_DIALECT_EXCEL_FR, fa, NULL);
	export_file(r11, CSV_DIALECT_RFC4180, fb, NULL);
	struct exchange_stats st;
	IMPORT_OK(s, &f->bob, fa, NULL, &st);
	assert_int_equal(st.added, 5);
	IMPORT_OK(s, &f->bob, fb, NULL, &st);
	assert_int_equal(st.added, 3);
	assert_int_equal(st.renumbered, 0);
	size_t counts[2] = {0, 0};
	struct fai_err err;
	assert_int_equal(store_idea_foreach(s, region_count, counts, &err), 0);
	assert_int_equal(counts[0], 5);
	assert_int_equal(counts[1], 3);
	for (int i = 0; i < 5; i++)
		expect_field(s, a[i], IDEA_REGION, "84");
	for (int i = 0; i < 3; i++)
		expect_field(s, b[i], IDEA_REGION, "11");
	/* Each region's export from the joint store, by filter, is the same
	 * data as the region's own, but the local revision. */
	for (int k = 0; k < 2; k++) {
		struct store *own = k ? r11 : f->s;
		char *mine = in_dir(f, "own.csv"),
		     *joint = in_dir(f, "joint.csv");
		struct export_opts eo;
		memset(&eo, 0, sizeof(eo));
		eo.filter = k ? region_is_11 : region_is_84;
		export_file(own, CSV_DIALECT_RFC4180, mine, NULL);
		FILE *fp = fopen(joint, "wb");
		assert_non_null(fp);
		assert_int_equal(store_export(s, fp, &eo, &st, &err), 0);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(st.rows, k ? 3 : 5);
		struct rows ro, rj;
		struct buf xo, xj;
		rows_read(mine, ',', &ro);
		rows_read(joint, ',', &rj);
		buf_init(&xo);
		buf_init(&xj);
		rows_without(&ro, col_of(&ro, "revision"), &xo);
		rows_without(&rj, col_of(&rj, "revision"), &xj);
		assert_int_equal(xo.len, xj.len);
		assert_memory_equal(xo.data, xj.data, xo.len);
		buf_free(&xo);
		buf_free(&xj);
		rows_free(&ro);
		rows_free(&rj);
		free(mine);
		free(joint);
	}
	fx_check_ok(s);
	store_close(s);
	store_close(r11);
	free(fa);
	free(fb);
}

/* ------------------------------------------------------------ columns */

static void test_unknown_columns(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *out = in_dir(f, "out.csv"),
	     *out2 = in_dir(f, "out2.csv");
	/* Unknown columns before, between and after known ones, with values
	 * that must come back byte for byte. */
	static const char file[] =
	    "code_financeur,Titre,Région,Notes perso,besoin,=calc\r\n"
	    "F-001,Recyclerie,84,\"  espaces  \",Un besoin,\"=1+2\"\r\n"
	    "F-002,Garage solidaire,84,\"deux\r\nlignes \"\"citées\"\"\","
	    "Autre besoin,\r\n"
	    ",Fablab,84,,,'@x\r\n";
	write_text(in, file);
	struct exchange_stats st;
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.added, 3);
	char local[24];
	create(f->s, &f->alice, full_idea(0, "84"), local);

	export_file(f->s, CSV_DIALECT_RFC4180, out, NULL);
	struct rows rs;
	rows_read(out, ',', &rs);
	/* At their places in the file they came from. */
	assert_int_equal(rs.ncells[0], 25 + 3);
	assert_string_equal(rs.cells[0][0], "code_financeur");
	assert_string_equal(rs.cells[0][3], "Notes perso");
	assert_string_equal(rs.cells[0][5], "=calc");
	assert_string_equal(rs.cells[0][1], "id");
	assert_string_equal(
	    cell_where(&rs, "title", "Recyclerie", "Notes perso"),
	    "  espaces  ");
	assert_string_equal(
	    cell_where(&rs, "title", "Garage solidaire", "Notes perso"),
	    "deux\r\nlignes \"citées\"");
	assert_string_equal(cell_where(&rs, "title", "Recyclerie", "=calc"),
			    "=1+2");
	assert_string_equal(cell_where(&rs, "title", "Fablab", "=calc"), "'@x");
	assert_string_equal(
	    cell_where(&rs, "title", "Fablab", "code_financeur"), "");
	/* An idea that never had them: empty. */
	assert_string_equal(cell_where(&rs, "ref", local, "code_financeur"),
			    "");
	rows_free(&rs);

	/* Round trips: the export back in changes nothing, and exports again
	 * the same bytes, in both dialects. */
	IMPORT_OK(f->s, &f->alice, out, NULL, &st);
	assert_int_equal(st.unchanged, 4);
	export_file(f->s, CSV_DIALECT_RFC4180, out2, NULL);
	same_file(out, out2);
	export_file(f->s, CSV_DIALECT_EXCEL_FR, out, NULL);
	IMPORT_OK(f->s, &f->alice, out, NULL, &st);
	assert_int_equal(st.unchanged, 4);
	export_file(f->s, CSV_DIALECT_EXCEL_FR, out2, NULL);
	same_file(out, out2);
	/* A changed unknown cell is an update, carried to the next export;
	 * an emptied one is gone. */
	rows_read(out, ';', &rs);
	const char *id = cell_where(&rs, "title", "Recyclerie", "id");
	char *upd = xasprintf("id;title;region;code_financeur;Notes perso\r\n"
			      "%s;Recyclerie;84;F-999;\r\n",
			      id);
	rows_free(&rs);
	write_text(in, upd);
	free(upd);
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.updated, 1);
	export_file(f->s, CSV_DIALECT_RFC4180, out, NULL);
	rows_read(out, ',', &rs);
	assert_string_equal(
	    cell_where(&rs, "title", "Recyclerie", "code_financeur"), "F-999");
	assert_string_equal(
	    cell_where(&rs, "title", "Recyclerie", "Notes perso"), "");
	assert_string_equal(cell_where(&rs, "title", "Recyclerie", "=calc"),
			    "=1+2");
	rows_free(&rs);
	fx_check_ok(f->s);
	free(in);
	free(out);
	free(out2);
}

static void test_missing_columns(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv");
	struct fx_snap snap;
	struct exchange_stats st;
	fx_snapshot(f, &snap);
	write_text(in, "id,theme,besoin\n,culture,x\n");
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_REQUIRED);
	assert_true(f->err.missing == ((UINT64_C(1) << IDEA_TITLE) |
				       (UINT64_C(1) << IDEA_REGION)));
	assert_int_equal(f->err.about, FAI_ABOUT_HEADER);
	assert_string_equal(f->err.detail, "");
	assert_int_equal(f->err.line, 1);
	fx_unchanged(f, &snap, "missing columns");
	write_text(in, "titre;theme\nA;b\n");
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	assert_true(f->err.missing == (UINT64_C(1) << IDEA_REGION));
	/* A repeated column is refused too. */
	write_text(in, "title,region,titre\nA,84,B\n");
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	fx_unchanged(f, &snap, "repeated column");
	free(snap.bytes);
	free(in);
}

/* ------------------------------------------------------------ invalid rows */

struct events {
	long line[16];
	char field[16][48];
	int why[16];
	size_t n;
};

static void note_event(const struct import_event *ev, void *arg)
{
	struct events *e = arg;
	if (ev->kind != IMPORT_EVENT_INVALID || e->n >= 16)
		return;
	e->line[e->n] = ev->line;
	snprintf(e->field[e->n], sizeof(e->field[0]), "%s", ev->err->field);
	e->why[e->n] = ev->err->why;
	e->n++;
}

static const char invalid_file[] = "title,region,siret,need,jobs\r\n"
				   "Bonne idée,84,,\"sur\r\ndeux lignes\",2\r\n"
				   "Mauvaise région,99,,,\r\n"
				   "Autre bonne,11,73282932000074,,\r\n"
				   "Mauvais SIRET,84,73282932000075,,\r\n"
				   ",84,,sans titre,\r\n"
				   "Emplois,84,,,deux\r\n"
				   "Dernière bonne,53,,,0\r\n";

static void test_invalid_rows_nothing_written(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *rej = in_dir(f, "in.csv.rejects.csv");
	struct fx_snap snap;
	struct exchange_stats st;
	struct events ev;
	struct import_opts io;
	memset(&io, 0, sizeof(io));
	memset(&ev, 0, sizeof(ev));
	io.report = note_event;
	io.report_arg = &ev;
	io.rejects_path = rej; /* without skip_invalid: never written */
	write_text(in, invalid_file);
	fx_snapshot(f, &snap);
	assert_int_equal(import_file(f->s, &f->alice, in, &io, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(st.invalid, 4);
	assert_int_equal(st.rows, 7);
	assert_int_equal(ev.n, 4);
	long lines[] = {4, 6, 7, 8};
	const char *fields[] = {"region", "siret", "title", "jobs"};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ev.line[i], lines[i]);
		assert_string_equal(ev.field[i], fields[i]);
	}
	fx_unchanged(f, &snap, "invalid rows");
	assert_int_equal(access(rej, F_OK), -1);
	free(snap.bytes);
	free(in);
	free(rej);
}

static void test_invalid_rows_skipped(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *rej = in_dir(f, "in.csv.rejects.csv");
	struct exchange_stats st;
	struct import_opts io;
	struct fx_snap snap;
	memset(&io, 0, sizeof(io));
	io.skip_invalid = 1;
	io.rejects_path = rej;
	write_text(in, invalid_file);

	/* A dry run writes neither the store nor the rejects. */
	fx_snapshot(f, &snap);
	io.dry_run = 1;
	IMPORT_OK(f->s, &f->alice, in, &io, &st);
	assert_int_equal(st.added, 3);
	assert_int_equal(st.invalid, 4);
	fx_unchanged(f, &snap, "dry run");
	assert_int_equal(access(rej, F_OK), -1);

	io.dry_run = 0;
	IMPORT_OK(f->s, &f->alice, in, &io, &st);
	assert_int_equal(st.added, 3);
	assert_int_equal(st.invalid, 4);
	struct rows rs;
	rows_read(rej, ',', &rs);
	assert_int_equal(rs.n, 5);
	static const char *const header[] = {"title", "region", "siret",
					     "need",  "jobs",	"reason"};
	assert_int_equal(rs.ncells[0], 6);
	for (int i = 0; i < 6; i++)
		assert_string_equal(rs.cells[0][i], header[i]);
	assert_string_equal(rs.cells[1][0], "Mauvaise région");
	assert_string_equal(rs.cells[1][1], "99");
	assert_string_equal(rs.cells[2][2], "73282932000075");
	assert_string_equal(rs.cells[3][3], "sans titre");
	const char *starts[] = {"line 4: region", "line 6: siret",
				"line 7: title", "line 8: jobs"};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(rs.ncells[i + 1], 6);
		if (strncmp(rs.cells[i + 1][5], starts[i], strlen(starts[i])))
			fail_msg("reason [%s], want [%s...]",
				 rs.cells[i + 1][5], starts[i]);
	}
	rows_free(&rs);
	expect_field(f->s, "84-0001", IDEA_NEED, "sur\ndeux lignes");
	expect_field(f->s, "11-0001", IDEA_SIRET, "73282932000074");
	expect_field(f->s, "53-0001", IDEA_JOBS, "0");
	fx_check_ok(f->s);
	free(snap.bytes);
	free(in);
	free(rej);
}

/* Cells fai never stores: NUL, and over 64 KiB (a known column is checked
 * by its own length; an unknown column by the format's cell cap). */
static void test_invalid_cells(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv");
	struct events ev;
	struct import_opts io;
	struct exchange_stats st;
	struct fx_snap snap;
	memset(&io, 0, sizeof(io));
	io.report = note_event;
	io.report_arg = &ev;
	fx_snapshot(f, &snap);

	static const char nul[] = "title,region,notes\nA\0B,84,x\nC,84,y\0\n";
	write_file(in, nul, sizeof(nul) - 1);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(import_file(f->s, &f->alice, in, &io, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.line[0], 2);
	assert_int_equal(ev.why[0], FAI_WHY_CONTROL);
	assert_string_equal(ev.field[0], "title");
	assert_int_equal(ev.line[1], 3);
	assert_string_equal(ev.field[1], "notes");

	struct buf b;
	buf_init(&b);
	for (int k = 0; k < 2; k++) {
		/* k 0: need; k 1: an unknown column */
		buf_reset(&b);
		buf_adds(&b, "title,region,need,notes\nA,84,,\nB,84,");
		if (k)
			buf_addc(&b, ',');
		for (size_t i = 0; i < EXCHANGE_FIELD_MAX + 1; i++)
			buf_addc(&b, 'n');
		if (!k)
			buf_addc(&b, ',');
		buf_adds(&b, "\nC,84,,\n");
		write_file(in, b.data, b.len);
		memset(&ev, 0, sizeof(ev));
		assert_int_equal(
		    import_file(f->s, &f->alice, in, &io, &st, &f->err),
		    -FAI_EINVAL);
		assert_int_equal(ev.n, 1);
		assert_int_equal(ev.line[0], 3);
		assert_int_equal(ev.why[0], FAI_WHY_TOO_LONG);
		assert_string_equal(ev.field[0], k ? "notes" : "need");
	}
	fx_unchanged(f, &snap, "invalid cells");
	/* Exactly 64 KiB is fine in both. */
	buf_reset(&b);
	buf_adds(&b, "title,region,need,notes\nA,84,");
	for (size_t i = 0; i < EXCHANGE_FIELD_MAX; i++)
		buf_addc(&b, 'n');
	buf_addc(&b, ',');
	for (size_t i = 0; i < EXCHANGE_FIELD_MAX; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\n");
	write_file(in, b.data, b.len);
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.added, 1);
	/* and a 64 KiB need starting with '=' survives excel-fr, whose
	 * guard makes its cell one byte longer */
	edit(f->s, &f->alice, "84-0001", IDEA_NEED, "=");
	buf_reset(&b);
	buf_addc(&b, '=');
	for (size_t i = 1; i < EXCHANGE_FIELD_MAX; i++)
		buf_addc(&b, 'g');
	buf_addc(&b, '\0');
	edit(f->s, &f->alice, "84-0001", IDEA_NEED, b.data);
	char *x1 = in_dir(f, "x1.csv"), *x2 = in_dir(f, "x2.csv");
	export_file(f->s, CSV_DIALECT_EXCEL_FR, x1, NULL);
	IMPORT_OK(f->s, &f->alice, x1, NULL, &st);
	assert_int_equal(st.unchanged, 1);
	export_file(f->s, CSV_DIALECT_EXCEL_FR, x2, NULL);
	same_file(x1, x2);
	buf_free(&b);
	free(snap.bytes);
	free(x1);
	free(x2);
	free(in);
}

/* ------------------------------------------------------------ encodings */

static void test_windows_1252(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "excel.csv");
	struct exchange_stats st;
	/* What French Excel saves: ';', Windows-1252, French headers. */
	static const char file[] =
	    "Titre;R\xe9gion;Territoire;Besoin;Mots-cl\xe9s;\xc9tape\r\n"
	    "Caf\xe9 associatif;84;69;Pas de lieu o\xf9 se retrouver \x96 "
	    "\x9cuvre collective \x80;\"f\xeate; \xe9t\xe9\";need\r\n"
	    "\xab Cr\xe8"
	    "che \xbb parentale;84;63;\"Ligne 1\r\nLigne 2 "
	    "\x85\";;concept\r\n";
	write_file(in, file, sizeof(file) - 1);
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.added, 2);
	expect_field(f->s, "84-0001", IDEA_TITLE, "Café associatif");
	expect_field(f->s, "84-0001", IDEA_NEED,
		     "Pas de lieu où se retrouver – œuvre collective €");
	expect_field(f->s, "84-0001", IDEA_TAGS, "fête; été");
	expect_field(f->s, "84-0002", IDEA_TITLE, "« Crèche » parentale");
	expect_field(f->s, "84-0002", IDEA_NEED, "Ligne 1\nLigne 2 …");
	expect_field(f->s, "84-0002", IDEA_STAGE, "concept");
	fx_check_ok(f->s);
	free(in);
}

/* The excel-fr guard: one leading ' goes from a guarded cell of a ';'
 * file; an rfc4180 file has no guard, its cells are taken as they are. */
static void test_guard_on_import(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv");
	struct exchange_stats st;
	write_text(in, "\xef\xbb\xbftitle;region;theme;need\r\n"
		       "'=SOMME(A1:A3);84;'-moins;'@x\r\n"
		       "''=deux;84;'plain;'\tx\r\n");
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.added, 2);
	expect_field(f->s, "84-0001", IDEA_TITLE, "=SOMME(A1:A3)");
	expect_field(f->s, "84-0001", IDEA_THEME, "-moins");
	expect_field(f->s, "84-0001", IDEA_NEED, "@x");
	expect_field(f->s, "84-0002", IDEA_TITLE, "'=deux");
	expect_field(f->s, "84-0002", IDEA_THEME, "'plain");
	expect_field(f->s, "84-0002", IDEA_NEED, "x");

	write_text(in, "title,region,theme\r\n'=rfc,84,''-deux\r\n");
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	expect_field(f->s, "84-0003", IDEA_TITLE, "'=rfc");
	expect_field(f->s, "84-0003", IDEA_THEME, "''-deux");
	fx_check_ok(f->s);
	free(in);
}

/* Ids: an upper-case UUID names the same idea and is kept in lower case;
 * a bad one is an invalid row. */
static void test_ids(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *out = in_dir(f, "out.csv");
	struct exchange_stats st;
	write_text(in, "id,title,region\r\n"
		       "0549E364-DD0C-473F-81E8-587E11AB6392,Une idée,84\r\n");
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.added, 1);
	expect_field(f->s, "84-0001", IDEA_ID,
		     "0549e364-dd0c-473f-81e8-587e11ab6392");
	write_text(in, "id,title,region\r\n"
		       "0549e364-dd0c-473f-81e8-587e11ab6392,Une idée,84\r\n");
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.unchanged, 1);
	export_file(f->s, CSV_DIALECT_RFC4180, out, NULL);
	size_t n;
	unsigned char *raw = fx_slurp(out, &n);
	assert_non_null(memmem(raw, n, "0549e364-dd0c", 13));
	free(raw);
	write_text(in, "id,title,region\r\nnot-a-uuid,Une idée,84\r\n");
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(st.invalid, 1);
	fx_check_ok(f->s);
	free(in);
	free(out);
}

/* ------------------------------------------------------------ beside a writer
 */

static char helper_writer[PATH_MAX];

/* An import while another process (helper_writer) creates, edits, moves
 * and comments in the same store, growing its map now and then: the
 * import waits for the write lock or the writer does, a bulk import's
 * writable map and the writer's ordinary one share the file, and in the
 * end every row is in, the store is consistent, and the writer's work
 * too. */
static void test_import_beside_a_writer(void **state)
{
	struct fx *f = *state;
	const unsigned total = 2000;
	struct gen_batch g = {fx_tick(&f->alice), 0, total, 0x1234567u};
	struct exchange_stats st;
	char *file = in_dir(f, "a.csv"), *path = in_dir(f, "bw");
	assert_int_equal(store_write(f->s, gen_txn, &g, &f->err), 0);
	export_file(f->s, CSV_DIALECT_RFC4180, file, NULL);

	int out;
	pid_t pid = fx_spawn(helper_writer, path, "7", &out);
	/* "ready": the writer has created the store and works on it. */
	char buf[65536];
	size_t len = 0;
	while (len < 6) {
		struct pollfd pf = {out, POLLIN, 0};
		assert_int_equal(poll(&pf, 1, 30000), 1);
		ssize_t got = read(out, buf + len, sizeof(buf) - 1 - len);
		assert_true(got > 0);
		len += (size_t)got;
	}
	buf[len] = '\0';
	assert_true(strncmp(buf, "ready\n", 6) == 0);

	struct store *b = NULL;
	assert_int_equal(store_open(&b, path, 0, NULL, 0, &f->err), 0);
	IMPORT_OK(b, &f->bob, file, NULL, &st);
	assert_int_equal(st.rows, total);
	assert_int_equal(st.added, total);
	assert_int_equal(st.bulk, test_bulk_bytes == 1);

	/* The writer goes on a moment after the import, then stops. */
	struct timespec pause = {0, 200 * 1000 * 1000};
	nanosleep(&pause, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unsigned creates = 0, actions = 0;
	for (;;) {
		ssize_t got = read(out, buf, sizeof(buf) - 1);
		if (got <= 0)
			break;
		buf[got] = '\0';
		for (char *q = buf; (q = strstr(q, "ok ")) != NULL; q += 3) {
			actions++;
			creates += strncmp(q, "ok create ", 10) == 0;
		}
	}
	close(out);
	assert_true(actions > 0);

	fx_check_ok(b);
	uint64_t counts[STAGE_COUNT], n = 0;
	assert_int_equal(store_stage_counts(b, counts, &f->err), 0);
	for (int i = 0; i < STAGE_COUNT; i++)
		n += counts[i];
	/* (A create killed after its commit, before its line, counts too.) */
	assert_true(n >= total + creates && n <= total + creates + 1);
	/* Every row of the file is an idea of this store. */
	struct import_opts io;
	memset(&io, 0, sizeof(io));
	io.dry_run = 1;
	IMPORT_OK(b, &f->bob, file, &io, &st);
	assert_int_equal(st.rows, total);
	assert_int_equal(st.added, 0);
	store_close(b);
	free(file);
	free(path);
}

/* ------------------------------------------------------------ hostile headers
 */

struct events_all {
	struct import_event ev[16];
	struct fai_err err[16];
	size_t n;
};

static void keep_invalid(const struct import_event *ev, void *arg)
{
	struct events_all *e = arg;
	if (ev->kind != IMPORT_EVENT_INVALID || e->n >= 16)
		return;
	e->ev[e->n] = *ev;
	e->err[e->n] = *ev->err;
	e->n++;
}

/* The header of issue 10: a quoted column name holding a newline and a
 * tab.  It used to be taken as an unknown column named "zz\n0\ttitle",
 * whose csv:extras line split into a fake column "title" at position 0 of
 * every later export.  Now refused: the store's file as it was, exports
 * as they were. */
static void test_header_name_with_newline_refused(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *out = in_dir(f, "out.csv"),
	     *out2 = in_dir(f, "out2.csv");
	struct fx_snap snap;
	struct exchange_stats st;
	create(f->s, &f->alice, full_idea(0, "84"), NULL);
	export_file(f->s, CSV_DIALECT_RFC4180, out, NULL);
	fx_snapshot(f, &snap);
	write_text(in, "title,region,\"zz\n0\ttitle\"\r\nt1,84,val\r\n");
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_HEADER_NAME);
	assert_string_equal(f->err.field, "header");
	assert_string_equal(f->err.value, "zz\n0\ttitle");
	assert_int_equal(f->err.column, 3);
	assert_string_equal(f->err.detail, "");
	assert_int_equal(f->err.line, 1);
	assert_int_equal(st.added, 0);
	fx_unchanged(f, &snap, "a header name with a newline");
	export_file(f->s, CSV_DIALECT_RFC4180, out2, NULL);
	same_file(out, out2);
	/* Every control character, an invalid byte, an unnamed unknown
	 * column (empty, or nothing but spaces and dashes), a name over
	 * IMPORT_NAME_MAX bytes: each refused, naming its column. */
	static const struct {
		const char *file;
		long col;
	} bad[] = {
	    {"title,region,a\tb\r\nt,84,x\r\n", 3},
	    {"title,\"a\rb\",region\r\nt,x,84\r\n", 2},
	    {"title,region,\x1b[31mred\r\nt,84,x\r\n", 3},
	    {"title,region,\x7f\r\nt,84,x\r\n", 3},
	    {"title,region,\xc2\x9b"
	     "31m\r\nt,84,x\r\n",
	     3},
	    {"title,region,\r\nt,84,x\r\n", 3},
	    {"title, - ,region\r\nt,x,84\r\n", 2},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		write_text(in, bad[i].file);
		if (import_file(f->s, &f->alice, in, NULL, &st, &f->err) !=
		    -FAI_EINVAL)
			fail_msg("case %zu accepted", i);
		assert_int_equal(f->err.why, FAI_WHY_HEADER_NAME);
		assert_int_equal(f->err.column, bad[i].col);
	}
	/* A NUL inside a name. */
	write_file(in, "title,region,a\0b\r\nt,84,x\r\n", 26);
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_HEADER_NAME);
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "title,region,");
	for (int i = 0; i < IMPORT_NAME_MAX + 1; i++)
		buf_addc(&b, 'n');
	buf_adds(&b, "\r\nt,84,x\r\n");
	write_text(in, b.data);
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_HEADER_NAME);
	/* IMPORT_NAME_MAX bytes exactly is a name. */
	buf_reset(&b);
	buf_adds(&b, "title,region,");
	for (int i = 0; i < IMPORT_NAME_MAX; i++)
		buf_addc(&b, 'n');
	buf_adds(&b, "\r\nt,84,x\r\n");
	write_text(in, b.data);
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.added, 1);
	buf_free(&b);
	fx_check_ok(f->s);
	free(snap.bytes);
	free(in);
	free(out);
	free(out2);
}

/* Two unknown columns with the same name (or the same once case, accents,
 * spaces and dashes are folded, as French aliases are recognised) used to
 * keep one value of the two on export.  Refused, naming both columns. */
static void test_header_repeated_names_refused(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv");
	struct fx_snap snap;
	struct exchange_stats st;
	static const struct {
		const char *file;
		long a, b;
	} dup[] = {
	    {"title,region,note,note\r\nt,84,a,b\r\n", 3, 4},
	    {"title,region,Note,note\r\nt,84,a,b\r\n", 3, 4},
	    {"title,région-x,region,Region X\r\nt,a,84,b\r\n", 2, 4},
	    {"title,region,titre\r\nA,84,B\r\n", 1, 3},
	    {"Étape,title,region,stage\r\nneed,t,84,need\r\n", 1, 4},
	    /* the pair named is the one completed first */
	    {"a,title,b,region,b,a\r\nx,t,y,84,z,w\r\n", 3, 5},
	};
	fx_snapshot(f, &snap);
	for (size_t i = 0; i < sizeof(dup) / sizeof(*dup); i++) {
		write_text(in, dup[i].file);
		if (import_file(f->s, &f->alice, in, NULL, &st, &f->err) !=
		    -FAI_EINVAL)
			fail_msg("case %zu accepted", i);
		assert_int_equal(f->err.why, FAI_WHY_DUP_COLUMN);
		if (f->err.column != dup[i].a || f->err.column2 != dup[i].b)
			fail_msg("case %zu: columns %ld %ld, want %ld %ld", i,
				 f->err.column, f->err.column2, dup[i].a,
				 dup[i].b);
	}
	fx_unchanged(f, &snap, "repeated column names");
	free(snap.bytes);
	free(in);
}

/* 10^5 unknown columns took 108 s (quadratic in the columns): now refused
 * at once, past IMPORT_COLUMNS_MAX.  1000 columns of 1000 rows import in
 * linear time and come back on export, in their order. */
static void test_header_many_columns(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *out = in_dir(f, "out.csv");
	struct exchange_stats st;
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "title,region");
	for (int i = 0; i < 100000; i++)
		buf_printf(&b, ",c%d", i);
	buf_adds(&b, "\r\nt,84");
	for (int i = 0; i < 100000; i++)
		buf_adds(&b, ",");
	buf_adds(&b, "\r\n");
	write_file(in, b.data, b.len);
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_TOO_MANY_COLUMNS);
	assert_true(f->err.count == 100002);

	const int ncols = IMPORT_COLUMNS_MAX, nrows = 1000;
	buf_reset(&b);
	buf_adds(&b, "title,region");
	for (int i = 2; i < ncols; i++)
		buf_printf(&b, ",Col %d", i);
	buf_adds(&b, "\r\n");
	for (int r = 0; r < nrows; r++) {
		buf_printf(&b, "Idée %d,84", r);
		for (int i = 2; i < ncols; i++)
			buf_printf(&b, ",v%d.%d", r, i);
		buf_adds(&b, "\r\n");
	}
	write_file(in, b.data, b.len);
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(st.added, nrows);
	export_file(f->s, CSV_DIALECT_RFC4180, out, NULL);
	struct rows rs;
	rows_read(out, ',', &rs);
	assert_int_equal(rs.n, nrows + 1);
	/* 25 fields, then the unknown columns after them in file order
	 * (their positions 2.. fall inside the fields: each goes where it
	 * was, pushing the next along). */
	assert_int_equal(rs.ncells[0], 25 + ncols - 2);
	int c2 = col_of(&rs, "Col 2"), c999 = col_of(&rs, "Col 999");
	assert_true(c2 >= 0 && c999 == c2 + 997);
	assert_string_equal(cell_where(&rs, "title", "Idée 7", "Col 500"),
			    "v7.500");
	assert_string_equal(cell_where(&rs, "title", "Idée 999", "Col 999"),
			    "v999.999");
	rows_free(&rs);
	/* The export back in (1023 columns: 998 fai does not know): every
	 * row unchanged. */
	IMPORT_OK(f->s, &f->alice, out, NULL, &st);
	assert_int_equal(st.unchanged, nrows);
	/* 998 more would make the store keep 1996 such columns, and its
	 * export one no import takes: refused. */
	buf_reset(&b);
	buf_adds(&b, "title,region");
	for (int i = 2; i < ncols; i++)
		buf_printf(&b, ",Other %d", i);
	buf_adds(&b, "\r\nt,84");
	for (int i = 2; i < ncols; i++)
		buf_adds(&b, ",x");
	buf_adds(&b, "\r\n");
	write_file(in, b.data, b.len);
	assert_int_equal(import_file(f->s, &f->alice, in, NULL, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_STORE_COLUMNS);
	assert_true(f->err.count == 1996);
	assert_true(f->err.limit == IMPORT_COLUMNS_MAX);
	fx_check_ok(f->s);
	buf_free(&b);
	free(in);
	free(out);
}

/* A store whose csv:extras an older fai damaged (a name holding what the
 * newline split off, a field's name, a repeat, a control character, a
 * line that is no "POS<TAB>NAME"): export skips those lines, fai check
 * reports each, and an import bringing unknown columns rewrites the list
 * without them. */
static void test_damaged_extras_repaired(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *out = in_dir(f, "out.csv");
	struct exchange_stats st;
	char ref[24];
	struct idea *i = full_idea(0, "84");
	idea_extra_add(i, "zz", "kept", 2);
	idea_extra_add(i, "note", "first", 5);
	idea_extra_add(i, "Note", "second", 6);
	create(f->s, &f->alice, i, ref);
	assert_int_equal(store_meta_set(f->s, "csv:extras",
					"2\tzz\n0\ttitle\n5\tnote\n6\tNote\n"
					"7\t\x1b[31mred\nrubbish\n",
					&f->err),
			 0);
	struct events_all none;
	memset(&none, 0, sizeof(none));
	assert_int_equal(store_check(f->s, NULL, NULL, &f->err), 4);
	export_file(f->s, CSV_DIALECT_RFC4180, out, NULL);
	struct rows rs;
	rows_read(out, ',', &rs);
	assert_int_equal(rs.ncells[0], 25 + 2);
	assert_string_equal(rs.cells[0][2], "zz");
	assert_int_equal(col_of(&rs, "title"), 3); /* the field, once */
	assert_string_equal(cell_where(&rs, "ref", ref, "zz"), "kept");
	assert_string_equal(cell_where(&rs, "ref", ref, "note"), "first");
	assert_int_equal(col_of(&rs, "Note"), -1);
	rows_free(&rs);
	/* Our own export imports again, unchanged. */
	IMPORT_OK(f->s, &f->alice, out, NULL, &st);
	assert_int_equal(st.unchanged, 1);
	assert_int_equal(store_check(f->s, NULL, NULL, &f->err), 0);
	char *text = NULL;
	assert_int_equal(store_meta_get(f->s, "csv:extras", &text, &f->err), 0);
	assert_string_equal(text, "2\tzz\n5\tnote\n");
	free(text);
	/* A file's "NOTE" is the store's "note": one column, not two. */
	write_text(in, "title,region,NOTE\r\nAutre,84,x\r\n");
	IMPORT_OK(f->s, &f->alice, in, NULL, &st);
	assert_int_equal(store_meta_get(f->s, "csv:extras", &text, &f->err), 0);
	assert_string_equal(text, "2\tzz\n5\tnote\n");
	free(text);
	export_file(f->s, CSV_DIALECT_RFC4180, out, NULL);
	rows_read(out, ',', &rs);
	assert_string_equal(cell_where(&rs, "title", "Autre", "note"), "x");
	rows_free(&rs);
	fx_check_ok(f->s);
	free(in);
	free(out);
}

/* ------------------------------------------------------------ same id twice */

/* The same id on two lines: the second used to replace the first in
 * silence ("1 new, 1 updated").  Now an invalid file naming both lines;
 * with skip_invalid the later row is rejected, the first imported. */
static void test_same_id_twice(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *rej = in_dir(f, "rej.csv");
	struct fx_snap snap;
	struct exchange_stats st;
	struct events_all ev;
	struct import_opts io;
	static const char file[] =
	    "id,title,region\r\n"
	    "6f1c2b0e-8a4d-4b7e-9c1a-2d3e4f5a6b7c,Première,84\r\n"
	    "0d9e8f7a-6b5c-4d3e-a2f1-0e9d8c7b6a5f,Autre,84\r\n"
	    "6F1C2B0E-8A4D-4B7E-9C1A-2D3E4F5A6B7C,Seconde,84\r\n"
	    "0d9e8f7a-6b5c-4d3e-a2f1-0e9d8c7b6a5f,Encore,84\r\n"
	    "6f1c2b0e-8a4d-4b7e-9c1a-2d3e4f5a6b7c,Troisième,84\r\n";
	write_text(in, file);
	memset(&io, 0, sizeof(io));
	memset(&ev, 0, sizeof(ev));
	io.report = keep_invalid;
	io.report_arg = &ev;
	io.rejects_path = rej;
	fx_snapshot(f, &snap);
	assert_int_equal(import_file(f->s, &f->alice, in, &io, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(st.invalid, 3);
	assert_int_equal(st.added, 2);
	assert_int_equal(st.updated, 0);
	assert_int_equal(ev.n, 3);
	static const long lines[] = {4, 5, 6};
	static const long first[] = {2, 3, 2};
	for (int k = 0; k < 3; k++) {
		assert_int_equal(ev.ev[k].line, lines[k]);
		assert_int_equal(ev.err[k].why, FAI_WHY_DUP_ID);
		assert_string_equal(ev.err[k].field, "id");
		assert_int_equal(ev.err[k].line2, first[k]);
	}
	fx_unchanged(f, &snap, "the same id twice");

	io.skip_invalid = 1;
	memset(&ev, 0, sizeof(ev));
	IMPORT_OK(f->s, &f->alice, in, &io, &st);
	assert_int_equal(st.added, 2);
	assert_int_equal(st.invalid, 3);
	expect_field(f->s, "6f1c2b0e-8a4d-4b7e-9c1a-2d3e4f5a6b7c", IDEA_TITLE,
		     "Première");
	expect_field(f->s, "0d9e8f7a-6b5c-4d3e-a2f1-0e9d8c7b6a5f", IDEA_TITLE,
		     "Autre");
	struct rows rs;
	rows_read(rej, ',', &rs);
	assert_int_equal(rs.n, 4);
	assert_string_equal(rs.cells[1][1], "Seconde");
	assert_true(strstr(rs.cells[1][3], "line 4: id:") == rs.cells[1][3]);
	assert_true(strstr(rs.cells[1][3], "line 2") != NULL);
	rows_free(&rs);
	fx_check_ok(f->s);
	free(snap.bytes);
	free(in);
	free(rej);
}

/* ------------------------------------------------------------ gates */

/* New rows skipped the stage rules: launched without porteur, structure
 * or launch date, abandoned without a reason were accepted and nothing
 * was marked forced.  A new row is judged as an idea whose base is
 * unknown: every gate from concept up to its stage. */
static void test_gates_on_new_rows(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv");
	struct fx_snap snap;
	struct exchange_stats st;
	struct events_all ev;
	struct import_opts io;
	static const char file[] =
	    "title,region,stage,stage_reason,need,territory\r\n"
	    "Lancée sans rien,84,launched,,,\r\n"
	    "Abandonnée sans motif,84,abandoned,,,\r\n"
	    "En veille,84,on_hold,Financeur absent,,\r\n"
	    "Concept sans territoire,84,concept,,Un besoin,\r\n"
	    "Besoin,84,need,,,\r\n";
	write_text(in, file);
	memset(&io, 0, sizeof(io));
	memset(&ev, 0, sizeof(ev));
	io.report = keep_invalid;
	io.report_arg = &ev;
	fx_snapshot(f, &snap);
	assert_int_equal(import_file(f->s, &f->alice, in, &io, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(st.invalid, 3);
	assert_int_equal(ev.n, 3);
	assert_int_equal(ev.ev[0].line, 2);
	assert_int_equal(ev.err[0].code, FAI_EGATE);
	assert_string_equal(ev.err[0].field, "stage");
	assert_string_equal(ev.err[0].value, "launched");
	assert_true(ev.err[0].missing == ((UINT64_C(1) << IDEA_NEED) |
					  (UINT64_C(1) << IDEA_TERRITORY) |
					  (UINT64_C(1) << IDEA_CONCEPT) |
					  (UINT64_C(1) << IDEA_OWNER) |
					  (UINT64_C(1) << IDEA_STRUCTURE) |
					  (UINT64_C(1) << IDEA_LAUNCH_DATE)));
	assert_int_equal(ev.err[0].stage, STAGE_LAUNCHED);
	assert_int_equal(ev.ev[1].line, 3);
	assert_int_equal(ev.err[1].code, FAI_ERULE);
	assert_int_equal(ev.err[1].why, FAI_WHY_REASON);
	assert_int_equal(ev.ev[2].line, 5);
	assert_int_equal(ev.err[2].code, FAI_EGATE);
	assert_true(ev.err[2].missing == (UINT64_C(1) << IDEA_TERRITORY));
	fx_unchanged(f, &snap, "gates of new rows");

	/* --force passes the gates, never a missing reason; each forced
	 * row's log entry says so. */
	io.force = 1;
	io.skip_invalid = 1;
	memset(&ev, 0, sizeof(ev));
	IMPORT_OK(f->s, &f->alice, in, &io, &st);
	assert_int_equal(st.added, 4);
	assert_int_equal(st.invalid, 1);
	assert_int_equal(st.forced, 2);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.err[0].why, FAI_WHY_REASON);
	static const struct {
		const char *ref;
		int forced;
	} want[] = {
	    {"84-0001", 1}, {"84-0002", 0}, {"84-0003", 1}, {"84-0004", 0}};
	for (int k = 0; k < 4; k++) {
		struct idea *i = find(f->s, want[k].ref);
		struct log_entry e;
		fx_last_entry(f, i->key, &e);
		assert_int_equal(e.kind, LOG_IMPORT);
		if (e.forced != want[k].forced)
			fail_msg("%s: forced %d", want[k].ref, e.forced);
		log_entry_clear(&e);
		idea_free(i);
	}
	expect_field(f->s, "84-0001", IDEA_STAGE, "launched");
	fx_check_ok(f->s);
	free(snap.bytes);
	free(in);
}

/* Updates skipped them too.  An update that changes the stage is judged
 * from the local idea: it may move several stages at once (the work was
 * done elsewhere), each gate on the way applies; back, none. */
static void test_gates_on_updates(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv"), *out = in_dir(f, "out.csv");
	struct fx_snap snap;
	struct exchange_stats st;
	struct events_all ev;
	struct import_opts io;
	char ref[24];
	create(f->s, &f->alice, full_idea(0, "84"), ref); /* need */
	struct idea *i = find(f->s, ref);
	char id[UUID_STR_LEN];
	snprintf(id, sizeof(id), "%s", idea_get(i, IDEA_ID));
	idea_free(i);
	export_file(f->s, CSV_DIALECT_RFC4180, out, NULL);

	/* need -> launched, the concept and the owner missing. */
	char *text = xasprintf("id,title,region,stage,structure,launch_date\r\n"
			       "%s,Épicerie solidaire n°0,84,launched,"
			       "Épicerie SCIC,2026-05-01\r\n",
			       id);
	write_text(in, text);
	free(text);
	memset(&io, 0, sizeof(io));
	memset(&ev, 0, sizeof(ev));
	io.report = keep_invalid;
	io.report_arg = &ev;
	fx_snapshot(f, &snap);
	assert_int_equal(import_file(f->s, &f->alice, in, &io, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(st.updated, 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.err[0].code, FAI_EGATE);
	assert_string_equal(ev.err[0].value, "launched");
	assert_true(ev.err[0].missing == ((UINT64_C(1) << IDEA_CONCEPT) |
					  (UINT64_C(1) << IDEA_OWNER)));
	fx_unchanged(f, &snap, "a gate of an update");

	/* With them: three stages at once, not forced. */
	text = xasprintf("id,title,region,stage,concept,owner,structure,"
			 "launch_date\r\n"
			 "%s,Épicerie solidaire n°0,84,launched,Un concept,"
			 "Asso,Épicerie SCIC,2026-05-01\r\n",
			 id);
	write_text(in, text);
	free(text);
	IMPORT_OK(f->s, &f->alice, in, &io, &st);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.forced, 0);
	expect_field(f->s, ref, IDEA_STAGE, "launched");
	i = find(f->s, ref);
	struct log_entry e;
	fx_last_entry(f, i->key, &e);
	assert_int_equal(e.forced, 0);
	log_entry_clear(&e);

	/* Back to concept: no gate, even with the owner emptied. */
	text = xasprintf("id,title,region,stage,owner\r\n"
			 "%s,Épicerie solidaire n°0,84,concept,\r\n",
			 id);
	write_text(in, text);
	free(text);
	IMPORT_OK(f->s, &f->alice, in, &io, &st);
	assert_int_equal(st.updated, 1);
	/* Forward again without the owner: refused, then forced. */
	text = xasprintf("id,title,region,stage\r\n"
			 "%s,Épicerie solidaire n°0,84,launched\r\n",
			 id);
	write_text(in, text);
	free(text);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(import_file(f->s, &f->alice, in, &io, &st, &f->err),
			 -FAI_EINVAL);
	assert_true(ev.err[0].missing == (UINT64_C(1) << IDEA_OWNER));
	io.force = 1;
	IMPORT_OK(f->s, &f->alice, in, &io, &st);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.forced, 1);
	fx_last_entry(f, i->key, &e);
	assert_int_equal(e.kind, LOG_IMPORT);
	assert_int_equal(e.forced, 1);
	log_entry_clear(&e);
	/* On hold with no reason: refused, force or not. */
	text = xasprintf("id,title,region,stage,stage_reason\r\n"
			 "%s,Épicerie solidaire n°0,84,on_hold,\r\n",
			 id);
	write_text(in, text);
	free(text);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(import_file(f->s, &f->alice, in, &io, &st, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(ev.err[0].why, FAI_WHY_REASON);
	idea_free(i);
	fx_check_ok(f->s);
	free(snap.bytes);
	free(in);
	free(out);
}

/* A dry run judges without writing, in a read transaction: the same
 * counts as the import itself, references given by the region's sequence
 * and renumbering included, and the store's file untouched. */
static void test_dry_run_counts_as_the_import(void **state)
{
	struct fx *f = *state;
	char refs[4][24], mine[24];
	struct store *b = open_at(f, "b", "84");
	char *file = in_dir(f, "a.csv"), *more = in_dir(f, "more.csv");
	struct exchange_stats dry, real;
	struct import_opts io;
	for (unsigned n = 0; n < 4; n++)
		create(f->s, &f->alice, full_idea(n, "84"), refs[n]);
	export_file(f->s, CSV_DIALECT_RFC4180, file, NULL);
	create(b, &f->bob, full_idea(9, "84"), mine);
	/* Rows without a reference take the next numbers, which rows
	 * further on carry: renumbered in turn. */
	write_text(more, "title,region,ref\r\nSans ref,84,\r\nAutre,84,\r\n"
			 "Avec ref,84,84-0003\r\nLa même,84,84-0003\r\n");
	const char *files[] = {file, more};
	for (int k = 0; k < 2; k++) {
		memset(&io, 0, sizeof(io));
		io.dry_run = 1;
		IMPORT_OK(b, &f->bob, files[k], &io, &dry);
		io.dry_run = 0;
		IMPORT_OK(b, &f->bob, files[k], &io, &real);
		assert_int_equal(dry.added, real.added);
		assert_int_equal(dry.renumbered, real.renumbered);
		assert_int_equal(dry.invalid, real.invalid);
		assert_int_equal(dry.updated, real.updated);
	}
	assert_int_equal(real.renumbered, 2);
	store_close(b);
	free(file);
	free(more);
}

/* The log records the SHA-256 of exactly the bytes the rows came from. */
static void test_log_hash_is_of_what_was_read(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "in.csv");
	static const char file[] = "\xef\xbb\xbftitre;r\xc3\xa9gion\r\n"
				   "Caf\xc3\xa9;84\r\n";
	unsigned char sha[SHA256_LEN];
	char hex[SHA256_HEX_LEN];
	struct sha256 c;
	sha256_init(&c);
	sha256_update(&c, file, sizeof(file) - 1);
	sha256_final(&c, sha);
	sha256_hex(sha, hex);
	write_text(in, file);
	IMPORT_OK(f->s, &f->alice, in, NULL, NULL);
	struct log_entry e;
	fx_last_entry(f, 0, &e);
	assert_int_equal(e.kind, LOG_IMPORT);
	assert_non_null(strstr(e.text, hex));
	log_entry_clear(&e);
	free(in);
}

/* A bulk import writes through a writable map, for which LMDB makes
 * data.mdb as long as the map (a gigabyte, sparse); afterwards the file
 * is cut back to the pages in use, so copies, truncation checks and
 * people reading `ls -l` see the store's real size. */
static void test_bulk_import_leaves_no_map_sized_file(void **state)
{
	struct fx *f = *state;
	char *in = in_dir(f, "bulk.csv");
	struct buf b;
	struct stat st;
	buf_init(&b);
	buf_adds(&b, "title,region\r\n");
	for (int i = 0; i < 200; i++)
		buf_printf(&b, "Idée %d,84\r\n", i);
	write_text(in, b.data);
	IMPORT_OK(f->s, &f->alice, in, NULL, NULL);
	char *data = xasprintf("%s/data.mdb", f->path);
	assert_int_equal(stat(data, &st), 0);
	if (st.st_size >= (off_t)16 << 20)
		fail_msg("data.mdb is %lld bytes after importing 200 rows",
			 (long long)st.st_size);
	assert_int_equal(store_check(f->s, fx_print_problem, NULL, &f->err), 0);
	free(data);
	free(in);
	buf_free(&b);
}

/* An export whose file never reached its place (the rename failed) must
 * not be remembered as sent: otherwise a later file from the other side,
 * older than what "was sent", would be taken for their change. */
static int publish_fails(void *arg, struct fai_err *err)
{
	(void)arg;
	return fai_err_set(err, FAI_EIO, FAI_WHY_NONE, "file", "x.csv");
}

static void test_export_not_published_records_nothing(void **state)
{
	struct fx *f = *state;
	struct export_opts eo;
	struct exchange_stats st;
	struct fai_err err;
	char ref[24];
	char *path = in_dir(f, "unpublished.csv");

	create(f->s, &f->alice, full_idea(1, "84"), ref);
	memset(&eo, 0, sizeof(eo));
	eo.dialect = CSV_DIALECT_RFC4180;
	eo.publish = publish_fails;
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fai_err_clear(&err);
	assert_int_equal(store_export(f->s, fp, &eo, &st, &err), -FAI_EIO);
	assert_int_equal(fclose(fp), 0);
	/* Changed here since: the unpublished file is no base, so
	 * importing it is a conflict (kept local), not "unchanged". */
	edit(f->s, &f->alice, ref, IDEA_THEME, "Changé ici");
	IMPORT_OK(f->s, &f->alice, path, NULL, &st);
	assert_int_equal(st.conflicts, 1);
	assert_int_equal(st.unchanged, 0);
	free(path);
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *slash = strrchr(argv[0], '/');
	snprintf(helper_writer, sizeof(helper_writer), "%.*s/helper_writer",
		 slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_roundtrip_same_store),
	    T(test_export_not_published_records_nothing),
	    T(test_bulk_import_leaves_no_map_sized_file),
	    T(test_roundtrip_chain),
	    T(test_hostile_10k),
	    T(test_merge_new_and_renumbered),
	    T(test_merge_renumbered_round_trips),
	    T(test_merge_unchanged_and_newer),
	    T(test_merge_update_and_keep_local),
	    T(test_merge_take_theirs),
	    T(test_merge_fail),
	    T(test_two_regions),
	    T(test_unknown_columns),
	    T(test_missing_columns),
	    T(test_invalid_rows_nothing_written),
	    T(test_invalid_rows_skipped),
	    T(test_invalid_cells),
	    T(test_windows_1252),
	    T(test_guard_on_import),
	    T(test_ids),
	    T(test_import_beside_a_writer),
	    T(test_header_name_with_newline_refused),
	    T(test_header_repeated_names_refused),
	    T(test_header_many_columns),
	    T(test_damaged_extras_repaired),
	    T(test_same_id_twice),
	    T(test_gates_on_new_rows),
	    T(test_gates_on_updates),
	    T(test_dry_run_counts_as_the_import),
	    T(test_log_hash_is_of_what_was_read),
	};
#undef T
	test_bulk_bytes = -1;
	int failed = cmocka_run_group_tests_name("heap", tests, NULL, NULL);
	test_bulk_bytes = 1;
	failed += cmocka_run_group_tests_name("bulk", tests, NULL, NULL);
	return failed;
}
