/* lmdbmap.c - classifies every byte of a (pristine) LMDB data file, so the
 * corruption campaign can say what each mutation hit.
 *
 * The layout is LMDB 0.9's (mdb.c, 64-bit, little-endian host), read from
 * the file without the library:
 *   - pages of psize bytes (MDB_meta.mm_psize, 4096 here); pages 0 and 1
 *     are meta pages; the one with the larger txnid is current;
 *   - a page header of 16 bytes: pgno u64, pad u16, flags u16 (P_BRANCH 1,
 *     P_LEAF 2, P_OVERFLOW 4, P_META 8, P_LEAF2 0x20), lower u16, upper
 *     u16 (an overflow page has instead a u32 count of pages);
 *   - branch and leaf pages: u16 node offsets from byte 16 to lower, free
 *     space from lower to upper, nodes from upper to the end; a node is
 *     lo u16, hi u16, flags u16 (F_BIGDATA 1, F_SUBDATA 2, F_DUPDATA 4),
 *     ksize u16, the key, then the data (lo | hi << 16 bytes) or, with
 *     F_BIGDATA, the u64 number of the overflow page that holds it; in a
 *     branch node lo | hi << 16 | flags << 32 is the child page;
 *   - the meta page holds MDB_meta after the header: magic u32, version
 *     u32, address, mapsize, then two MDB_db of 48 bytes (0: the free-page
 *     database, whose records list free pages as u64 count then page
 *     numbers; 1: the main database, whose F_SUBDATA nodes are the named
 *     databases: key = name, data = MDB_db), last_pg u64, txnid u64;
 *     MDB_db is pad u32 (the page size, in the free db of a meta), flags
 *     u16, depth u16, branch, leaf, overflow pages, entries, root (u64s).
 * Every page up to last_pg is either reachable from the current meta page
 * or listed in the free-page database; pages after last_pg are unused. */
#include "lmdbmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P_BRANCH 0x01
#define P_LEAF 0x02
#define P_OVERFLOW 0x04
#define P_LEAF2 0x20
#define F_BIGDATA 0x01
#define F_SUBDATA 0x02
#define F_DUPDATA 0x04
#define PAGEHDRSZ 16
#define NODESIZE 8
#define MDB_MAGIC 0xBEEFC0DEu
#define MDB_DB_SIZE 48
#define META_SIZE 136 /* MDB_meta: 4 + 4 + 8 + 8 + 2 * 48 + 8 + 8 */
#define P_INVALID (~(uint64_t)0)

static const char *const class_names[] = {
#define LMAP_X_NAME(name, text, rec) text,
    LMAP_CLASS_LIST(LMAP_X_NAME)
#undef LMAP_X_NAME
};

static const unsigned char class_rec[] = {
#define LMAP_X_REC(name, text, rec) rec,
    LMAP_CLASS_LIST(LMAP_X_REC)
#undef LMAP_X_REC
};

const char *lmap_class_name(int c)
{
	return c >= 0 && c < LMAP_CLASS_COUNT ? class_names[c] : "?";
}

int lmap_class_in_record(int c)
{
	return c >= 0 && c < LMAP_CLASS_COUNT && class_rec[c];
}

static unsigned u16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)u16(p) | (uint32_t)u16(p + 2) << 16;
}

static uint64_t u64(const unsigned char *p)
{
	return (uint64_t)u32(p) | (uint64_t)u32(p + 4) << 32;
}

static uint64_t be64(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	if (n != 8)
		return 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

struct walk {
	struct lmap *m;
	char *why;
	size_t whylen;
	uint64_t *freed; /* pages listed in the free-page database */
	size_t nfreed, capfreed;
	size_t capref;
};

static int fail(struct walk *w, const char *what, uint64_t pg)
{
	snprintf(w->why, w->whylen, "%s (page %llu)", what,
		 (unsigned long long)pg);
	return -1;
}

static void set_cls(struct lmap *m, size_t from, size_t to, int c)
{
	if (to > m->size)
		to = m->size;
	if (from < to)
		memset(m->cls + from, c, to - from);
}

static int claim(struct walk *w, uint64_t pg, int kind, int db)
{
	struct lmap *m = w->m;
	if (pg < 2 || pg >= m->npages)
		return fail(w, "a page number outside the file", pg);
	if (m->kind[pg] != LMAP_PG_UNREACHED)
		return fail(w, "a page reached twice", pg);
	m->kind[pg] = (unsigned char)kind;
	m->db[pg] = (unsigned char)db;
	return 0;
}

static void add_free(struct walk *w, uint64_t pg)
{
	if (w->nfreed == w->capfreed) {
		w->capfreed = w->capfreed ? 2 * w->capfreed : 1024;
		w->freed = realloc(w->freed, w->capfreed * sizeof(*w->freed));
		if (!w->freed)
			abort();
	}
	w->freed[w->nfreed++] = pg;
}

/* An IDL (u64 count, then page numbers) of the free-page database. */
static void read_idl(struct walk *w, const unsigned char *d, size_t n)
{
	if (n < 8)
		return;
	uint64_t count = u64(d);
	for (uint64_t i = 0; i < count && 8 * (i + 2) <= n; i++)
		add_free(w, u64(d + 8 * (i + 1)));
}

static int walk_tree(struct walk *w, uint64_t pg, int db, int depth);

/* Registers the named database a main-database node describes. */
static int add_db(struct walk *w, const unsigned char *key, size_t ks,
		  const unsigned char *d, uint64_t pg)
{
	struct lmap *m = w->m;
	if (m->ndbs >= LMAP_MAX_DBS)
		return fail(w, "too many named databases", pg);
	int db = m->ndbs++;
	m->names[db] = malloc(ks + 1);
	if (!m->names[db])
		abort();
	memcpy(m->names[db], key, ks);
	m->names[db][ks] = '\0';
	if (strcmp(m->names[db], "ideas") == 0)
		m->ideas_db = db;
	uint64_t root = u64(d + 40);
	return root == P_INVALID ? 0 : walk_tree(w, root, db, 0);
}

static void add_ref(struct walk *w, const unsigned char *key, size_t ks,
		    const unsigned char *d, size_t ds)
{
	struct lmap *m = w->m;
	if (ds != 8)
		return;
	if (m->nrefs == w->capref) {
		w->capref = w->capref ? 2 * w->capref : 1024;
		m->refs = realloc(m->refs, w->capref * sizeof(*m->refs));
		m->ref_keys =
		    realloc(m->ref_keys, w->capref * sizeof(*m->ref_keys));
		if (!m->refs || !m->ref_keys)
			abort();
	}
	m->refs[m->nrefs] = malloc(ks + 1);
	if (!m->refs[m->nrefs])
		abort();
	memcpy(m->refs[m->nrefs], key, ks);
	m->refs[m->nrefs][ks] = '\0';
	m->ref_keys[m->nrefs++] = be64(d, 8);
}

/* Claims the overflow run at pg holding dsize bytes of db's node key. */
static int walk_overflow(struct walk *w, uint64_t pg, size_t dsize, int db,
			 uint64_t key, const unsigned char **data)
{
	struct lmap *m = w->m;
	if (pg < 2 || pg >= m->npages)
		return fail(w, "an overflow page outside the file", pg);
	const unsigned char *p = m->file + pg * m->psize;
	uint32_t n = u32(p + 12);
	if (!(u16(p + 10) & P_OVERFLOW) || n == 0 || pg + n > m->npages ||
	    PAGEHDRSZ + dsize > (size_t)n * m->psize)
		return fail(w, "a bad overflow page", pg);
	int data_cls = db <= LMAP_DB_MAIN ? LMAP_SYSDATA : LMAP_OVDATA;
	size_t off = pg * m->psize;
	for (uint32_t i = 0; i < n; i++) {
		if (claim(w, pg + i, i ? LMAP_PG_OVCONT : LMAP_PG_OVFIRST,
			  db) != 0)
			return -1;
		m->ov_key[pg + i] = key;
	}
	set_cls(m, off, off + PAGEHDRSZ, LMAP_HEADER);
	set_cls(m, off + PAGEHDRSZ, off + PAGEHDRSZ + dsize, data_cls);
	set_cls(m, off + PAGEHDRSZ + dsize, off + (size_t)n * m->psize,
		LMAP_SPACE);
	*data = p + PAGEHDRSZ;
	return 0;
}

static int walk_leaf(struct walk *w, uint64_t pg, const unsigned char *p,
		     int db, int depth)
{
	struct lmap *m = w->m;
	size_t off = pg * m->psize;
	unsigned lower = u16(p + 12), upper = u16(p + 14);
	int data_cls = db <= LMAP_DB_MAIN ? LMAP_SYSDATA : LMAP_DATA;

	if (u16(p + 10) & P_LEAF2) { /* DUPFIXED: keys packed, no nodes */
		set_cls(m, off, off + PAGEHDRSZ, LMAP_HEADER);
		set_cls(m, off + PAGEHDRSZ, off + lower, LMAP_KEY);
		set_cls(m, off + lower, off + m->psize, LMAP_SPACE);
		return 0;
	}
	set_cls(m, off, off + PAGEHDRSZ, LMAP_HEADER);
	set_cls(m, off + PAGEHDRSZ, off + lower, LMAP_NODE);
	set_cls(m, off + lower, off + m->psize, LMAP_SPACE);
	for (unsigned i = 0; PAGEHDRSZ + 2 * i < lower; i++) {
		unsigned n = u16(p + PAGEHDRSZ + 2 * i);
		if (n < upper || n + NODESIZE > m->psize)
			return fail(w, "a node outside its page", pg);
		const unsigned char *node = p + n;
		unsigned flags = u16(node + 4), ks = u16(node + 6);
		size_t ds = u16(node) | (size_t)u16(node + 2) << 16;
		const unsigned char *key = node + NODESIZE, *d = key + ks;
		size_t room = flags & F_BIGDATA ? 8 : ds;
		if (n + NODESIZE + ks + room > m->psize)
			return fail(w, "a node larger than its page", pg);
		set_cls(m, off + n, off + n + NODESIZE, LMAP_NODE);
		set_cls(m, off + n + NODESIZE, off + n + NODESIZE + ks,
			LMAP_KEY);
		if (flags & F_BIGDATA) {
			set_cls(m, off + n + NODESIZE + ks,
				off + n + NODESIZE + ks + 8, LMAP_NODE);
			if (walk_overflow(w, u64(d), ds, db, be64(key, ks),
					  &d) != 0)
				return -1;
		} else {
			set_cls(m, off + n + NODESIZE + ks,
				off + n + NODESIZE + ks + ds, data_cls);
		}
		if (db == LMAP_DB_FREE) {
			read_idl(w, d, ds);
		} else if (db == LMAP_DB_MAIN && (flags & F_SUBDATA)) {
			if (ds < MDB_DB_SIZE)
				return fail(w, "a short database record", pg);
			if (add_db(w, key, ks, d, pg) != 0)
				return -1;
		} else if ((flags & F_SUBDATA) && (flags & F_DUPDATA)) {
			if (ds >= MDB_DB_SIZE && u64(d + 40) != P_INVALID &&
			    walk_tree(w, u64(d + 40), db, depth + 1) != 0)
				return -1;
		} else if (db >= 2 && strcmp(m->names[db], "by_ref") == 0) {
			add_ref(w, key, ks, d, ds);
		}
	}
	return 0;
}

static int walk_tree(struct walk *w, uint64_t pg, int db, int depth)
{
	struct lmap *m = w->m;
	if (depth > 32)
		return fail(w, "a tree deeper than 32", pg);
	if (pg < 2 || pg >= m->npages)
		return fail(w, "a child page outside the file", pg);
	const unsigned char *p = m->file + pg * m->psize;
	unsigned flags = u16(p + 10), lower = u16(p + 12), upper = u16(p + 14);
	if (u64(p) != pg)
		return fail(w, "a page whose header names another", pg);
	if (lower < PAGEHDRSZ || lower > upper || upper > m->psize)
		return fail(w, "a page with bad bounds", pg);
	if (flags & P_BRANCH) {
		if (claim(w, pg, LMAP_PG_BRANCH, db) != 0)
			return -1;
		size_t off = pg * m->psize;
		set_cls(m, off, off + PAGEHDRSZ, LMAP_HEADER);
		set_cls(m, off + PAGEHDRSZ, off + m->psize, LMAP_BRANCH);
		for (unsigned i = 0; PAGEHDRSZ + 2 * i < lower; i++) {
			unsigned n = u16(p + PAGEHDRSZ + 2 * i);
			if (n < upper || n + NODESIZE > m->psize)
				return fail(w, "a branch node outside its page",
					    pg);
			const unsigned char *node = p + n;
			uint64_t child = u16(node) |
					 (uint64_t)u16(node + 2) << 16 |
					 (uint64_t)u16(node + 4) << 32;
			if (walk_tree(w, child, db, depth + 1) != 0)
				return -1;
		}
		return 0;
	}
	if (flags & P_LEAF) {
		if (claim(w, pg, LMAP_PG_LEAF, db) != 0)
			return -1;
		return walk_leaf(w, pg, p, db, depth);
	}
	return fail(w, "a tree page that is neither branch nor leaf", pg);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts the (key, ref) pairs by key. */
static void sort_refs(struct lmap *m)
{
	struct pair {
		uint64_t key;
		char *ref;
	} *v = calloc(m->nrefs ? m->nrefs : 1, sizeof(*v));
	if (!v)
		abort();
	for (size_t i = 0; i < m->nrefs; i++) {
		v[i].key = m->ref_keys[i];
		v[i].ref = m->refs[i];
	}
	qsort(v, m->nrefs, sizeof(*v), cmp_u64); /* key is the first member */
	for (size_t i = 0; i < m->nrefs; i++) {
		m->ref_keys[i] = v[i].key;
		m->refs[i] = v[i].ref;
	}
	free(v);
}

int lmap_load(struct lmap *m, const char *path, char *why, size_t whylen)
{
	struct walk w = {m, why, whylen, NULL, 0, 0, 0};
	unsigned char *file = NULL;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	m->ideas_db = -1;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, whylen, "cannot read %s", path);
		return -1;
	}
	size_t cap = 1 << 20, n = 0, got;
	file = malloc(cap);
	while (file && (got = fread(file + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			file = realloc(file, cap);
		}
	}
	fclose(f);
	if (!file)
		abort();
	m->file = file;
	m->size = n;

	/* The meta pages: magic, page size, the newer txnid. */
	if (n < 2 * 4096) {
		snprintf(why, whylen, "%s: too short for two meta pages", path);
		return -1;
	}
	const unsigned char *meta = NULL;
	for (int i = 0; i < 2; i++) {
		unsigned ps = i ? u32(file + PAGEHDRSZ + 24) : 0;
		const unsigned char *mp = file + (i ? ps : 0) + PAGEHDRSZ;
		if (i && (ps < 512 || ps > 65536 || 2 * (size_t)ps > n))
			break;
		if (u32(mp) != MDB_MAGIC)
			continue;
		if (!meta || u64(mp + 128) > u64(meta + 128))
			meta = mp;
	}
	if (!meta) {
		snprintf(why, whylen, "%s: not an LMDB data file", path);
		return -1;
	}
	m->psize = u32(meta + 24);
	m->npages = n / m->psize;
	m->last_pg = u64(meta + 120);
	m->txnid = u64(meta + 128);
	m->cls = malloc(n);
	m->kind = calloc(m->npages, 1);
	m->db = malloc(m->npages);
	m->ov_key = calloc(m->npages, sizeof(*m->ov_key));
	if (!m->cls || !m->kind || !m->db || !m->ov_key)
		abort();
	memset(m->cls, LMAP_FREEPAGE, n);
	memset(m->db, LMAP_NO_DB, m->npages);
	m->kind[0] = m->kind[1] = LMAP_PG_META;
	/* The meta pages: the header and MDB_meta (136 bytes) matter, the
	 * rest of each page is unused. */
	set_cls(m, 0, 2 * (size_t)m->psize, LMAP_SPACE);
	set_cls(m, 0, PAGEHDRSZ + META_SIZE, LMAP_META);
	set_cls(m, m->psize, m->psize + PAGEHDRSZ + META_SIZE, LMAP_META);
	m->names[LMAP_DB_FREE] = strdup("(free pages)");
	m->names[LMAP_DB_MAIN] = strdup("(catalog)");
	m->ndbs = 2;

	uint64_t free_root = u64(meta + 24 + 40); /* mm_dbs[0].md_root */
	uint64_t main_root = u64(meta + 72 + 40); /* mm_dbs[1].md_root */
	if (free_root != P_INVALID &&
	    walk_tree(&w, free_root, LMAP_DB_FREE, 0) != 0)
		goto out;
	if (main_root != P_INVALID &&
	    walk_tree(&w, main_root, LMAP_DB_MAIN, 0) != 0)
		goto out;
	for (size_t i = 0; i < w.nfreed; i++) {
		uint64_t pg = w.freed[i];
		if (pg < 2 || pg >= m->npages ||
		    m->kind[pg] != LMAP_PG_UNREACHED) {
			fail(&w, "a free page that is also used", pg);
			goto out;
		}
		m->kind[pg] = LMAP_PG_FREE;
	}
	for (size_t pg = m->last_pg + 1; pg < m->npages; pg++)
		if (m->kind[pg] == LMAP_PG_UNREACHED)
			m->kind[pg] = LMAP_PG_FREE;
	for (size_t pg = 2; pg < m->npages; pg++)
		if (m->kind[pg] == LMAP_PG_UNREACHED)
			m->unreached++;
	for (size_t i = 0; i < n; i++)
		m->class_bytes[m->cls[i]]++;
	for (size_t pg = 0; pg < m->npages; pg++)
		m->kind_pages[m->kind[pg]]++;
	sort_refs(m);
	rc = 0;
out:
	free(w.freed);
	return rc;
}

void lmap_free(struct lmap *m)
{
	free((void *)(uintptr_t)m->file);
	free(m->cls);
	free(m->kind);
	free(m->db);
	free(m->ov_key);
	for (int i = 0; i < m->ndbs; i++)
		free(m->names[i]);
	for (size_t i = 0; i < m->nrefs; i++)
		free(m->refs[i]);
	free(m->refs);
	free(m->ref_keys);
	memset(m, 0, sizeof(*m));
}

int lmap_page_class(const struct lmap *m, size_t pg)
{
	switch (m->kind[pg]) {
	case LMAP_PG_META:
		return LMAP_META;
	case LMAP_PG_BRANCH:
		return LMAP_BRANCH;
	case LMAP_PG_LEAF:
		return LMAP_LEAFPAGE;
	case LMAP_PG_OVFIRST:
		return LMAP_OVPAGE;
	case LMAP_PG_OVCONT:
		return m->cls[pg * m->psize];
	default:
		return LMAP_FREEPAGE;
	}
}

uint64_t lmap_idea_at(const struct lmap *m, size_t off)
{
	size_t pg = off / m->psize;
	if (pg >= m->npages || m->ideas_db < 0 || m->db[pg] != m->ideas_db)
		return 0;
	if (m->kind[pg] == LMAP_PG_OVFIRST || m->kind[pg] == LMAP_PG_OVCONT)
		return m->ov_key[pg];
	if (m->kind[pg] != LMAP_PG_LEAF)
		return 0;
	const unsigned char *p = m->file + pg * m->psize;
	size_t in = off - pg * m->psize;
	unsigned lower = u16(p + 12);
	for (unsigned i = 0; PAGEHDRSZ + 2 * i < lower; i++) {
		unsigned n = u16(p + PAGEHDRSZ + 2 * i);
		const unsigned char *node = p + n;
		unsigned flags = u16(node + 4), ks = u16(node + 6);
		size_t ds = u16(node) | (size_t)u16(node + 2) << 16;
		size_t end = n + NODESIZE + ks + (flags & F_BIGDATA ? 8 : ds);
		if (in >= n && in < end)
			return be64(node + NODESIZE, ks);
	}
	return 0;
}

const char *lmap_ref_of(const struct lmap *m, uint64_t key)
{
	size_t lo = 0, hi = m->nrefs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->ref_keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nrefs && m->ref_keys[lo] == key ? m->refs[lo] : NULL;
}
