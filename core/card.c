/* card.c - the facts of a card (card.h): what its lines hold, how a title
 * splits over two lines, and the facilitators' initials made unique among
 * the store's facilitators.
 *
 * card_names keeps one entry per person (names compared in their search
 * form, spaces collapsed), sorted by that key for lookups, each with the
 * initials card_names_finish decided for it. */
#include "card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "geo.h"
#include "stage.h"
#include "utf8.h"

#define CARD_EXTEND_MAX 8 /* code points taken from one word at most */

/* Writes into out the initials of name, the first `first` code points of
 * the word numbered `word` (-1: the last one) and one of every other.
 * Words are split by spaces and dashes. */
static void initials_ext(const char *name, int word, size_t first, char *out,
			 size_t size)
{
	size_t n = 0;
	int nwords = 0, w = -1;
	int start = 1;
	if (word < 0) {
		for (const char *p = name; *p; p++) {
			int sep = *p == ' ' || *p == '-';
			if (!sep && start)
				nwords++;
			start = sep;
		}
		word = nwords - 1;
		start = 1;
	}
	size_t take = 0;
	/* a character is 4 bytes at most, plus the NUL */
	for (const char *p = name; *p && n + 5 <= size; p++) {
		if (*p == ' ' || *p == '-') {
			start = 1;
			take = 0;
			continue;
		}
		if (start) {
			w++;
			take = w == word ? first : 1;
			start = 0;
		}
		if (take == 0)
			continue;
		uint32_t cp;
		int len = utf8_decode(p, strlen(p), &cp);
		if (len < 1)
			len = 1;
		memcpy(out + n, p, (size_t)len);
		n += (size_t)len;
		p += len - 1;
		take--;
	}
	if (size)
		out[n] = '\0';
}

void card_initials(const char *name, char *out, size_t size)
{
	initials_ext(name, 0, 1, out, size);
}

void card_of(const struct idea *idea, int64_t now, long stale_days,
	     struct card *card)
{
	enum stage st = idea_stage(idea);
	card->ref = idea_get(idea, IDEA_REF);
	card->title = idea_get(idea, IDEA_TITLE);
	card->territory = idea_get(idea, IDEA_TERRITORY);
	card->places[0] = '\0';
	struct buf names;
	buf_init(&names);
	geo_territory_text(card->territory, 0, &names);
	if (names.len) {
		/* whole characters only: the board cuts it to the card */
		size_t n = 0;
		while (n < names.len) {
			uint32_t cp;
			size_t l = (size_t)utf8_decode(names.data + n,
						       names.len - n, &cp);
			if (l == 0 || n + l >= sizeof(card->places))
				break;
			n += l;
		}
		memcpy(card->places, names.data, n);
		card->places[n] = '\0';
		card->territory = card->places;
	}
	buf_free(&names);
	card->reason = NULL;
	if (st == STAGE_ON_HOLD || st == STAGE_ABANDONED)
		card->reason = idea_get(idea, IDEA_STAGE_REASON);
	card_initials(idea_get(idea, IDEA_FACILITATOR), card->initials,
		      sizeof(card->initials));
	card->days = idea_days_in_stage(idea, now);
	card->stale = idea_is_stale(idea, now, stale_days);
}

void card_title_lines(const char *title, size_t width, struct buf *l1,
		      struct buf *l2)
{
	struct buf safe;
	buf_init(&safe);
	utf8_safe(&safe, title, strlen(title), UTF8_SAFE_ONELINE);
	const char *s = safe.data ? safe.data : "";
	if (utf8_width(s) <= width) {
		buf_adds(l1, s);
		buf_free(&safe);
		return;
	}
	/* the longest prefix that fits, and the last space inside it */
	size_t w = 0, cut = 0, space = 0;
	for (size_t i = 0; s[i];) {
		uint32_t cp;
		int len = utf8_decode(s + i, strlen(s + i), &cp);
		int cw = utf8_cp_width(cp);
		if (w + (size_t)cw > width)
			break;
		if (cp == ' ')
			space = i;
		w += (size_t)cw;
		i += (size_t)len;
		cut = i;
	}
	if (space > 0 && s[cut] != ' ')
		cut = space; /* the word that does not fit goes below */
	buf_add(l1, s, cut);
	while (s[cut] == ' ')
		cut++;
	utf8_fit(l2, s + cut, width);
	buf_free(&safe);
}

/* ------------------------------------------------------------ names */

struct card_name {
	char *key;  /* search form, spaces collapsed and trimmed */
	char *name; /* as first seen */
	char initials[CARD_INITIALS_MAX];
	char base[CARD_INITIALS_MAX];
};

struct card_names {
	struct card_name *v;
	size_t n;
	int sorted;
};

static char *name_key(const char *name)
{
	struct buf f, k;
	buf_init(&f);
	buf_init(&k);
	utf8_fold(&f, name);
	int space = 0;
	for (const char *p = f.data ? f.data : ""; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '-') {
			space = k.len > 0;
			continue;
		}
		if (space)
			buf_addc(&k, ' ');
		space = 0;
		buf_addc(&k, *p);
	}
	buf_free(&f);
	char *out = k.data ? buf_steal(&k) : xstrdup("");
	buf_free(&k);
	return out;
}

struct card_names *card_names_new(void)
{
	return xcalloc(1, sizeof(struct card_names));
}

void card_names_free(struct card_names *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		free(n->v[i].key);
		free(n->v[i].name);
	}
	free(n->v);
	free(n);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct card_name *)a)->key,
		      ((const struct card_name *)b)->key);
}

static int by_base(const void *a, const void *b)
{
	const struct card_name *x = a, *y = b;
	int c = strcmp(x->base, y->base);
	return c ? c : strcmp(x->key, y->key);
}

static struct card_name *names_find(const struct card_names *n, const char *key)
{
	struct card_name probe = {.key = (char *)(uintptr_t)key};
	if (!n || !n->n)
		return NULL;
	if (n->sorted)
		return bsearch(&probe, n->v, n->n, sizeof(*n->v), by_key);
	for (size_t i = 0; i < n->n; i++)
		if (strcmp(n->v[i].key, key) == 0)
			return &n->v[i];
	return NULL;
}

void card_names_add(struct card_names *n, const char *name)
{
	char *key = name_key(name ? name : "");
	if (!*key || names_find(n, key)) {
		free(key);
		return;
	}
	n->v = xrealloc(n->v, (n->n + 1) * sizeof(*n->v));
	struct card_name *e = &n->v[n->n++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->name = xstrdup(name);
	card_initials(name, e->base, sizeof(e->base));
	snprintf(e->initials, sizeof(e->initials), "%s", e->base);
	n->sorted = 0;
}

/* Tries the initials of v[0..g) with the word `word` extended to k code
 * points, for k = 2 up; keeps them when all differ; returns 1 then. */
static int group_try(struct card_name *v, size_t g, int word)
{
	char(*cand)[CARD_INITIALS_MAX] = xcalloc(g, sizeof(*cand));
	int found = 0;
	for (size_t k = 2; k <= CARD_EXTEND_MAX && !found; k++) {
		for (size_t i = 0; i < g; i++)
			initials_ext(v[i].name, word, k, cand[i],
				     sizeof(cand[i]));
		found = 1;
		for (size_t i = 0; i < g && found; i++)
			for (size_t j = i + 1; j < g && found; j++)
				if (strcmp(cand[i], cand[j]) == 0)
					found = 0;
	}
	if (found)
		for (size_t i = 0; i < g; i++)
			memcpy(v[i].initials, cand[i], sizeof(cand[i]));
	free(cand);
	return found;
}

void card_names_finish(struct card_names *n)
{
	n->sorted = 1;
	if (n->n == 0)
		return; /* qsort wants an array, even of nothing */
	qsort(n->v, n->n, sizeof(*n->v), by_base);
	for (size_t i = 0; i < n->n;) {
		size_t g = 1;
		while (i + g < n->n &&
		       strcmp(n->v[i].base, n->v[i + g].base) == 0)
			g++;
		if (g > 1 && *n->v[i].base && !group_try(n->v + i, g, -1) &&
		    !group_try(n->v + i, g, 0))
			for (size_t j = 0; j < g; j++)
				snprintf(n->v[i + j].initials,
					 sizeof(n->v[i + j].initials),
					 "%.10s%zu", n->v[i + j].base, j + 1);
		i += g;
	}
	qsort(n->v, n->n, sizeof(*n->v), by_key);
	n->sorted = 1;
}

int card_names_initials(const struct card_names *n, const char *name, char *out,
			size_t size)
{
	char *key = name_key(name ? name : "");
	const struct card_name *e = names_find(n, key);
	free(key);
	if (!e) {
		card_initials(name ? name : "", out, size);
		return 0;
	}
	snprintf(out, size, "%s", e->initials);
	return 1;
}
