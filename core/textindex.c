/* textindex.c - every idea's search text, folded once (textindex.h).
 *
 * The arena holds, for each idea, one region for its fields and one for
 * its comments, each a run of folded texts ended by NULs.  Putting an idea
 * again writes a new fields region at the arena's end; a comment extends
 * the comments region in place when it is the arena's last, else the
 * region moves there.  What is left behind is counted as garbage and the
 * arena is rewritten when garbage passes half of it. */
#include "textindex.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define TEXT_COMPACT_MIN ((size_t)1 << 20) /* smaller arenas stay */

void text_index_init(struct text_index *x)
{
	memset(x, 0, sizeof(*x));
	buf_init(&x->arena);
}

void text_index_free(struct text_index *x)
{
	free(x->e);
	free(x->slots);
	free(x->order);
	free(x->regions);
	buf_free(&x->arena);
	text_index_init(x);
}

static size_t slot_of(uint64_t key, size_t nslots)
{
	return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 17) &
	       (nslots - 1);
}

/* Returns the entry of key, or NULL. */
static struct text_entry *entry_find(const struct text_index *x, uint64_t key)
{
	if (x->nslots == 0)
		return NULL;
	for (size_t i = slot_of(key, x->nslots);;
	     i = (i + 1) & (x->nslots - 1)) {
		uint32_t s = x->slots[i];
		if (s == 0)
			return NULL;
		if (x->e[s - 1].key == key)
			return &x->e[s - 1];
	}
}

static void slot_set(struct text_index *x, uint64_t key, uint32_t value)
{
	size_t i = slot_of(key, x->nslots);
	while (x->slots[i] != 0)
		i = (i + 1) & (x->nslots - 1);
	x->slots[i] = value;
}

/* Returns a new entry for key (its texts empty, not live). */
static struct text_entry *entry_add(struct text_index *x, uint64_t key)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		x->e = xrealloc(x->e, x->cap * sizeof(*x->e));
	}
	if (2 * (x->n + 1) > x->nslots) {
		free(x->slots);
		x->nslots = x->nslots ? 2 * x->nslots : 512;
		x->slots = xcalloc(x->nslots, sizeof(*x->slots));
		for (size_t i = 0; i < x->n; i++)
			slot_set(x, x->e[i].key, (uint32_t)(i + 1));
	}
	struct text_entry *t = &x->e[x->n];
	memset(t, 0, sizeof(*t));
	t->key = key;
	t->foff = t->coff = x->arena.len;
	slot_set(x, key, (uint32_t)(x->n + 1));
	x->n++;
	return t;
}

/* Rewrites the arena with the live regions only. */
static void compact(struct text_index *x)
{
	struct buf fresh;
	buf_init(&fresh);
	buf_reserve(&fresh, x->arena.len - x->garbage);
	for (size_t i = 0; i < x->n; i++) {
		struct text_entry *t = &x->e[i];
		size_t f = fresh.len;
		buf_add(&fresh, x->arena.data + t->foff, t->flen);
		size_t c = fresh.len;
		buf_add(&fresh, x->arena.data + t->coff, t->clen);
		t->foff = f;
		t->coff = c;
	}
	buf_free(&x->arena);
	x->arena = fresh;
	x->garbage = 0;
	x->regions_stale = 1;
}

static void maybe_compact(struct text_index *x)
{
	if (x->arena.len >= TEXT_COMPACT_MIN && 2 * x->garbage > x->arena.len)
		compact(x);
}

void text_index_put(struct text_index *x, const struct idea_view *v)
{
	struct text_entry *t = entry_find(x, v->key);
	if (!t)
		t = entry_add(x, v->key);
	enum stage st = idea_view_stage(v);
	if (!t->live || t->stage != (unsigned char)st || t->rank != v->rank)
		x->order_stale = 1;
	t->live = 1;
	t->stage = (unsigned char)st;
	t->rank = v->rank;
	x->garbage += t->flen;
	size_t at = x->arena.len;
	for (size_t i = 0; i < idea_search_nfields; i++) {
		const char *s = v->v[idea_search_fields[i]];
		if (s == NULL || *s == '\0')
			continue;
		utf8_fold(&x->arena, s);
		buf_addc(&x->arena, '\0');
	}
	struct buf more; /* what a search reads beside the fields */
	buf_init(&more);
	idea_search_more(v, &more);
	if (more.len) {
		utf8_fold(&x->arena, more.data);
		buf_addc(&x->arena, '\0');
	}
	buf_free(&more);
	t->foff = at;
	t->flen = (uint32_t)(x->arena.len - at);
	x->regions_stale = 1;
	maybe_compact(x);
}

void text_index_drop(struct text_index *x, uint64_t key)
{
	struct text_entry *t = entry_find(x, key);
	if (!t || !t->live)
		return;
	x->garbage += t->flen + t->clen;
	t->flen = t->clen = 0;
	t->live = 0;
	x->order_stale = 1;
	x->regions_stale = 1;
	maybe_compact(x);
}

void text_index_comments_clear(struct text_index *x, uint64_t key)
{
	struct text_entry *t = entry_find(x, key);
	if (!t)
		return;
	x->garbage += t->clen;
	t->clen = 0;
	t->coff = x->arena.len;
	x->regions_stale = 1;
}

void text_index_comment(struct text_index *x, uint64_t key, const char *text)
{
	struct text_entry *t = entry_find(x, key);
	if (!t || !t->live || text == NULL || *text == '\0')
		return;
	if (t->coff + t->clen != x->arena.len) {
		/* not the arena's last region: it moves there */
		size_t at = x->arena.len;
		buf_reserve(&x->arena, t->clen);
		buf_add(&x->arena, x->arena.data + t->coff, t->clen);
		x->garbage += t->clen;
		t->coff = at;
	}
	utf8_fold(&x->arena, text);
	buf_addc(&x->arena, '\0');
	t->clen = (uint32_t)(x->arena.len - t->coff);
	x->regions_stale = 1;
	maybe_compact(x);
}

size_t text_index_count(const struct text_index *x)
{
	size_t n = 0;
	for (size_t i = 0; i < x->n; i++)
		n += x->e[i].live;
	return n;
}

struct order_item {
	uint64_t rank, key;
	uint32_t stage, index;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order_item *p = a, *q = b;
	if (p->stage != q->stage)
		return p->stage < q->stage ? -1 : 1;
	if (p->rank != q->rank)
		return p->rank < q->rank ? -1 : 1;
	return p->key < q->key ? -1 : p->key > q->key;
}

/* Lists the live entries in board order: stage, rank, key. */
static void order_build(struct text_index *x)
{
	struct order_item *v = xcalloc(x->n + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct text_entry *t = &x->e[i];
		if (!t->live)
			continue;
		v[n].stage = t->stage;
		v[n].rank = t->rank;
		v[n].key = t->key;
		v[n].index = (uint32_t)i;
		n++;
	}
	qsort(v, n, sizeof(*v), order_cmp);
	free(x->order);
	x->order = xcalloc(n + 1, sizeof(*x->order));
	for (size_t i = 0; i < n; i++)
		x->order[i] = v[i].index;
	x->norder = n;
	free(v);
	x->order_stale = 0;
}

static int region_cmp(const void *a, const void *b)
{
	const struct text_region *p = a, *q = b;
	return p->off < q->off ? -1 : p->off > q->off;
}

/* Lists the live, non-empty regions by offset. */
static void regions_build(struct text_index *x)
{
	size_t n = 0;
	free(x->regions);
	x->regions = xcalloc(2 * x->n + 1, sizeof(*x->regions));
	for (size_t i = 0; i < x->n; i++) {
		const struct text_entry *t = &x->e[i];
		if (!t->live)
			continue;
		if (t->flen)
			x->regions[n++] =
			    (struct text_region){t->foff, t->flen, (uint32_t)i};
		if (t->clen)
			x->regions[n++] =
			    (struct text_region){t->coff, t->clen, (uint32_t)i};
	}
	qsort(x->regions, n, sizeof(*x->regions), region_cmp);
	x->nregions = n;
	x->regions_stale = 0;
}

/* Returns the region holding offset off, or NULL (garbage). */
static const struct text_region *region_at(const struct text_index *x,
					   size_t off)
{
	size_t lo = 0, hi = x->nregions;
	while (lo < hi) { /* the first region starting after off */
		size_t mid = lo + (hi - lo) / 2;
		if (x->regions[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct text_region *r = &x->regions[lo - 1];
	return off < r->off + r->len ? r : NULL;
}

/* Marks in hit[] the entries whose text holds needle: one memmem over
 * the arena, each match skipping the rest of its region. */
static void mark_holding(struct text_index *x, const char *needle, size_t nl,
			 unsigned char *hit)
{
	const char *a = x->arena.data;
	size_t len = x->arena.len, pos = 0;
	if (x->regions_stale || x->regions == NULL)
		regions_build(x);
	while (pos + nl <= len) {
		const char *p = memmem(a + pos, len - pos, needle, nl);
		if (!p)
			break;
		size_t off = (size_t)(p - a);
		const struct text_region *r = region_at(x, off);
		if (r) {
			hit[r->entry] = 1;
			pos = r->off + r->len;
		} else {
			pos = off + 1;
		}
	}
}

static int among_has(const uint64_t *among, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (among[mid] == key)
			return 1;
		if (among[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

size_t text_index_find(struct text_index *x, const char *folded,
		       const uint64_t *among, size_t namong,
		       struct text_hit **hits)
{
	size_t nl = folded ? strlen(folded) : 0, n = 0, cap = 0;
	unsigned char *hit = NULL;
	*hits = NULL;
	if (x->order_stale || x->order == NULL)
		order_build(x);
	if (nl) {
		hit = xcalloc(x->n + 1, 1);
		mark_holding(x, folded, nl, hit);
	}
	for (size_t i = 0; i < x->norder; i++) {
		const struct text_entry *t = &x->e[x->order[i]];
		if (hit && !hit[x->order[i]])
			continue;
		if (among && !among_has(among, namong, t->key))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			*hits = xrealloc(*hits, cap * sizeof(**hits));
		}
		(*hits)[n].key = t->key;
		(*hits)[n].stage = (enum stage)t->stage;
		n++;
	}
	free(hit);
	return n;
}
