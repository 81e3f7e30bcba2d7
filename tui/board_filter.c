/* board_filter.c - the board's filters (f, F, x) and what they show: the
 * kinds of filter and their values, typed in a prompt or picked from the
 * regions and facilitators the store holds; the banner that says which are
 * on and how many ideas they hide; and the filtered load, the keys of the
 * ideas the filters keep placed in their columns (board_int.h says what
 * board.c and board_column.c call here).
 *
 * Several kinds hold at once (AND, core/filter.c's one rule).  The filters
 * but the search take one pass over the ideas when they or the store
 * change (the base, kept in struct board); the search then narrows the
 * base with the board's text index, so a letter typed does not pass over
 * the store. */
#include <stdlib.h>
#include <string.h>

#include "../core/filter.h"
#include "../core/textindex.h"
#include "../core/utf8.h"
#include "../core/validate.h"
#include "board_int.h"
#include "i18n.h"

int board_filtered(const struct board *b)
{
	if ((b->search && *b->search) || b->fstale)
		return 1;
	for (int i = 0; i < FILTER_NVALUES; i++)
		if (b->fvalue[i])
			return 1;
	return 0;
}

/* ------------------------------------------------------------ banner */

/* Returns 1 when the filter kind (or FILTER_SEARCH) is on. */
static int filter_on(const struct board *b, int kind)
{
	if (kind >= 0 && kind < FILTER_NVALUES)
		return b->fvalue[kind] != NULL;
	if (kind == FILTER_STALE)
		return b->fstale;
	if (kind == FILTER_SEARCH)
		return b->search && *b->search;
	return 0;
}

/* The search's part of the banner. */
static void banner_search(const struct board *b, struct buf *out)
{
	buf_printf(out, _("search “%s”"), b->search);
}

/* Appends the words of one active kind: "région 84 (Auvergne-Rhône-Alpes)",
 * the region's name left out unless named. */
static void filter_words(const struct board *b, int kind, int named,
			 struct buf *out)
{
	const char *v =
	    kind >= 0 && kind < FILTER_NVALUES ? b->fvalue[kind] : NULL;
	switch (kind) {
	case FILTER_REGION: {
		const char *name = validate_region_name(v);
		if (named && name)
			buf_printf(out, _("region %s (%s)"), v, name);
		else
			buf_printf(out, _("region %s"), v);
		break;
	}
	case FILTER_THEME:
		buf_printf(out, _("theme %s"), v);
		break;
	case FILTER_FACILITATOR:
		buf_printf(out, _("facilitator %s"), v);
		break;
	case FILTER_TAG:
		buf_printf(out, _("tag %s"), v);
		break;
	case FILTER_STALE:
		buf_printf(out,
			   ngettext("no activity for %ld day",
				    "no activity for %ld days",
				    (unsigned long)b->set.stale_days),
			   b->set.stale_days);
		break;
	case FILTER_SEARCH:
		banner_search(b, out);
		break;
	default:
		break;
	}
}

/* The kinds in the order the banner and F list them. */
static const int banner_order[] = {
    FILTER_REGION, FILTER_FACILITATOR, FILTER_THEME,
    FILTER_TAG,	   FILTER_STALE,       FILTER_SEARCH,
};
#define BANNER_NKINDS (sizeof(banner_order) / sizeof(banner_order[0]))
#define BANNER_MAXTOK (BANNER_NKINDS + 3)

/* The most lines the banner may take: the board keeps one card. */
int board_banner_max(const struct app *app)
{
	return app->rows - 8 > 1 ? app->rows - 8 : 1;
}

/* Appends to lines the display-safe token, after sep unless it starts a
 * line, breaking lines at width cells; *cur is the current line's width,
 * *n the lines started.  A token wider than a line is broken between
 * characters: nothing is cut. */
static void banner_put(struct buf *lines, const char *sep, const char *tok,
		       int width, int *cur, int *n)
{
	int w = (int)utf8_width(tok), sw = (int)utf8_width(sep);
	if (*cur && *cur + sw + w > width) {
		buf_addc(lines, '\n');
		(*n)++;
		*cur = 0;
	}
	if (*cur) {
		buf_adds(lines, sep);
		*cur += sw;
	}
	if (*cur + w <= width) {
		buf_adds(lines, tok);
		*cur += w;
		return;
	}
	for (size_t i = 0, len = strlen(tok); i < len;) {
		uint32_t cp;
		int l = utf8_decode(tok + i, len - i, &cp);
		int cw = utf8_cp_width(cp);
		if (*cur && *cur + cw > width) {
			buf_addc(lines, '\n');
			(*n)++;
			*cur = 0;
		}
		buf_add(lines, tok + i, (size_t)l);
		*cur += cw;
		i += (size_t)l;
	}
}

/* Lays the banner out in width cells: its lines, display-safe, joined by
 * '\n' into lines (reset first).  Returns the number of lines, at most
 * max (the last one then ends with "…"), or 0 when no search or filter is
 * on.  One line when it fits; else the region's name goes first, then
 * the banner wraps between its parts. */
int board_banner_layout(const struct board *b, int width, int max,
			struct buf *lines)
{
	struct buf tok[BANNER_MAXTOK], raw;
	const char *sep[BANNER_MAXTOK];
	size_t ntok;
	int n = 0;

	buf_reset(lines);
	if (!board_filtered(b) || width < 1)
		return 0;
	buf_init(&raw);
	for (size_t i = 0; i < BANNER_MAXTOK; i++)
		buf_init(&tok[i]);
	for (int named = 1; named >= 0; named--) {
		int total = 0;
		ntok = 0;
		sep[ntok] = "";
		buf_reset(&tok[ntok]);
		utf8_safe(&tok[ntok++], _("Filter:"), strlen(_("Filter:")),
			  UTF8_SAFE_ONELINE);
		for (size_t k = 0; k < BANNER_NKINDS; k++) {
			if (!filter_on(b, banner_order[k]))
				continue;
			buf_reset(&raw);
			filter_words(b, banner_order[k], named, &raw);
			sep[ntok] = ntok == 1 ? " " : " · ";
			buf_reset(&tok[ntok]);
			utf8_safe(&tok[ntok++], raw.data ? raw.data : "",
				  raw.len, UTF8_SAFE_ONELINE);
		}
		buf_reset(&raw);
		buf_printf(&raw,
			   ngettext("%llu idea hidden", "%llu ideas hidden",
				    (unsigned long)b->hidden),
			   (unsigned long long)b->hidden);
		sep[ntok] = " — ";
		buf_reset(&tok[ntok]);
		utf8_safe(&tok[ntok++], raw.data, raw.len, UTF8_SAFE_ONELINE);
		sep[ntok] = " · ";
		buf_reset(&tok[ntok]);
		utf8_safe(&tok[ntok++], _("x: clear all"),
			  strlen(_("x: clear all")), UTF8_SAFE_ONELINE);
		for (size_t i = 0; i < ntok; i++)
			total +=
			    (int)utf8_width(sep[i]) +
			    (int)utf8_width(tok[i].data ? tok[i].data : "");
		if (total <= width || !filter_on(b, FILTER_REGION) ||
		    !validate_region_name(b->fvalue[FILTER_REGION]))
			break;
	}
	int cur = 0;
	n = 1;
	for (size_t i = 0; i < ntok; i++)
		banner_put(lines, sep[i], tok[i].data ? tok[i].data : "", width,
			   &cur, &n);
	if (n > max) {
		/* keep max lines; the last says there is more */
		size_t at = 0;
		for (int l = 0; l < max; l++) {
			const char *nl = strchr(lines->data + at, '\n');
			at = (size_t)(nl - lines->data) + 1;
		}
		lines->len = at - 1;
		lines->data[lines->len] = '\0';
		buf_adds(lines, "…");
		n = max;
	}
	buf_free(&raw);
	for (size_t i = 0; i < BANNER_MAXTOK; i++)
		buf_free(&tok[i]);
	return n;
}

/* ------------------------------------------------------------ filtered load */

struct collect {
	struct board *b;
	struct idea_filter f;
	size_t cap; /* room in b->base */
};

/* The board's filters but the search as the one filter of core/filter.h
 * (the strings stay the board's); the search is the index's, with the
 * same rule (textindex.h). */
static void board_filter_of(const struct board *b, int64_t now,
			    struct idea_filter *f)
{
	idea_filter_init(f, now);
	f->region = b->fvalue[FILTER_REGION];
	f->theme = b->fvalue[FILTER_THEME];
	f->facilitator = b->fvalue[FILTER_FACILITATOR];
	f->facilitator_whole = b->fac_whole;
	f->tag = b->fvalue[FILTER_TAG];
	if (b->fstale)
		f->stale_days = b->set.stale_days;
}

/* Keeps the key of an idea the filters keep (a view: nothing copied). */
static int collect_one(const struct idea_view *idea, void *arg)
{
	struct collect *k = arg;
	struct board *b = k->b;
	enum stage st = idea_view_stage(idea);
	if (st == STAGE_NONE || !idea_filter_match_view(&k->f, idea))
		return 0;
	if (b->nbase == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		b->base = xrealloc(b->base, k->cap * sizeof(*b->base));
	}
	b->base[b->nbase].key = idea->key;
	b->base[b->nbase].stage = st;
	b->nbase++;
	return 0;
}

/* Returns 1 when a filter other than the search is on. */
int board_narrowed(const struct board *b)
{
	if (b->fstale)
		return 1;
	for (int i = 0; i < FILTER_NVALUES; i++)
		if (b->fvalue[i])
			return 1;
	return 0;
}

/* What the filters but the search are (the stale one as of now): the
 * base stays while this and the store stay. */
static char *base_sig(const struct board *b, int64_t now)
{
	struct buf sig;
	buf_init(&sig);
	for (int i = 0; i < FILTER_NVALUES; i++)
		buf_printf(&sig, "%d:%s\x1f", b->fvalue[i] != NULL,
			   b->fvalue[i] ? b->fvalue[i] : "");
	buf_printf(&sig, "%d %d", b->fac_whole, b->fstale);
	if (b->fstale)
		buf_printf(&sig, " %ld %lld", b->set.stale_days,
			   (long long)now);
	return buf_steal(&sig);
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Makes b->base the ideas the filters but the search keep, with one pass
 * over the store unless the filters and the store are as they were. */
void board_base(struct app *app, struct board *b)
{
	struct fai_err err;
	uint64_t txn = store_last_txn(app->cli->store);
	char *sig = base_sig(b, app->cli->actor.now);
	if (b->base_sig && b->base_txn == txn && !strcmp(sig, b->base_sig)) {
		free(sig);
		return;
	}
	free(b->base);
	free(b->base_sorted);
	free(b->base_sig);
	b->base = NULL;
	b->base_sorted = NULL;
	b->base_sig = NULL;
	b->nbase = 0;
	struct collect k;
	memset(&k, 0, sizeof(k));
	k.b = b;
	board_filter_of(b, app->cli->actor.now, &k.f);
	fai_err_clear(&err);
	int rc =
	    store_idea_foreach_view(app->cli->store, collect_one, &k, &err);
	b->base_sorted = xcalloc(b->nbase + 1, sizeof(*b->base_sorted));
	for (size_t i = 0; i < b->nbase; i++)
		b->base_sorted[i] = b->base[i].key;
	qsort(b->base_sorted, b->nbase, sizeof(*b->base_sorted), key_cmp);
	if (rc) {
		board_msg_store_error(app, rc, &err);
		free(sig); /* read again next time */
		return;
	}
	b->base_sig = sig;
	b->base_txn = txn;
}

/* Puts each hit in its stage's column (keys; the cards are read when
 * shown); the hits at a stage without a column are counted offboard. */
void board_place(struct board *b, const struct text_hit *hits, size_t n)
{
	size_t cap[STAGE_COUNT] = {0};
	int colof[STAGE_COUNT];
	for (int i = 0; i < STAGE_COUNT; i++)
		colof[i] = -1;
	for (int i = 0; i < b->ncols; i++)
		colof[b->cols[i].stage] = i;
	b->offboard = 0;
	for (size_t h = 0; h < n; h++) {
		int ci =
		    hits[h].stage < STAGE_COUNT ? colof[hits[h].stage] : -1;
		if (ci < 0) {
			b->offboard++;
			continue;
		}
		struct column *c = &b->cols[ci];
		if (c->nall == cap[ci]) {
			cap[ci] = cap[ci] ? 2 * cap[ci] : 64;
			c->keys = xrealloc(c->keys, cap[ci] * sizeof(*c->keys));
		}
		c->keys[c->nall++] = hits[h].key;
	}
	/* an array, even empty, marks the filtered mode */
	for (int i = 0; i < b->ncols; i++)
		b->cols[i].all =
		    xcalloc(b->cols[i].nall + 1, sizeof(struct idea *));
}

/* ------------------------------------------------------------ f, F and x */

/* Sets filter kind to value (a copy), or turns it off (NULL). */
static void filter_set(struct board *b, int kind, const char *value)
{
	if (kind == FILTER_STALE) {
		b->fstale = value != NULL;
	} else if (kind == FILTER_SEARCH) {
		free(b->search);
		b->search = value ? xstrdup(value) : NULL;
	} else if (kind >= 0 && kind < FILTER_NVALUES) {
		free(b->fvalue[kind]);
		b->fvalue[kind] = value ? xstrdup(value) : NULL;
	}
	if (kind == FILTER_FACILITATOR)
		b->fac_whole = 0; /* typed: part of a name */
}

/* x, and F's last item: the search and every filter go. */
void board_filter_clear_all(struct app *app, struct board *b)
{
	if (!board_filtered(b)) {
		ui_message(app, 0, "%s", _("no search or filter to clear"));
		return;
	}
	for (size_t k = 0; k < BANNER_NKINDS; k++)
		filter_set(b, banner_order[k], NULL);
	board_refilter(app, b);
	ui_message(app, 0, "%s", _("search and filters cleared"));
}

static void filter_value_done(struct app *app, void *ctx, const char *text)
{
	struct board *b = ctx;
	/* Esc or an empty value: the filters stay as they were. */
	if (!text || !*text)
		return;
	if (b->fasked == FILTER_REGION && validate_region(text, NULL)) {
		ui_message(app, 1, _("%s is not a region code"), text);
		return;
	}
	filter_set(b, b->fasked, text);
	board_refilter(app, b);
}

/* Asks for the value of kind, the current one to edit. */
static void filter_ask(struct app *app, struct board *b, int kind)
{
	static const char *const asks[] = {
	    N_("Region code (e.g. 84):"),
	    N_("Theme:"),
	    N_("Facilitator (part of the name):"),
	    N_("Tag:"),
	};
	const char *now = b->fvalue[kind];
	b->fasked = (enum filter_kind)kind;
	ui_prompt(app, _(asks[kind]), now ? now : "", filter_value_done, NULL,
		  b);
}

/* Appends " — 12 ideas" to item. */
static void pick_count(struct buf *item, uint64_t n)
{
	buf_adds(item, " — ");
	buf_printf(item, ngettext("%llu idea", "%llu ideas", (unsigned long)n),
		   (unsigned long long)n);
}

void board_pick_items_free(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

#define REGION_MAX 32 /* more than the INSEE table holds */

static int region_count_one(const struct idea *idea, void *arg)
{
	uint64_t *n = arg;
	const char *code, *r = idea_get(idea, IDEA_REGION);
	for (size_t i = 0;
	     (code = validate_region_at(i, NULL)) && i < REGION_MAX; i++)
		if (strcmp(code, r) == 0) {
			n[i]++;
			break;
		}
	return 0;
}

static void region_pick_done(struct app *app, void *ctx, int index)
{
	struct board *b = ctx;
	if (index < 0)
		return;
	if (index == 0) {
		filter_ask(app, b, FILTER_REGION);
		return;
	}
	filter_set(b, FILTER_REGION,
		   validate_region_at((size_t)index - 1, NULL));
	board_refilter(app, b);
}

/* The regions with their names and how many ideas the store has in each
 * (one pass), after an item to type a code. */
static void region_pick(struct app *app, struct board *b)
{
	uint64_t n[REGION_MAX] = {0};
	struct fai_err err;
	const char *code, *name;
	size_t count = 0, initial = 0;

	fai_err_clear(&err);
	int rc = store_idea_foreach(app->cli->store, region_count_one, n, &err);
	if (rc) {
		board_msg_store_error(app, rc, &err);
		return;
	}
	char **items = xcalloc(REGION_MAX + 1, sizeof(*items));
	items[count++] = xstrdup(_("Type a code…"));
	for (size_t i = 0;
	     (code = validate_region_at(i, &name)) && i < REGION_MAX; i++) {
		struct buf item;
		buf_init(&item);
		buf_printf(&item, "%s  %s", code, name);
		pick_count(&item, n[i]);
		if (b->fvalue[FILTER_REGION] &&
		    strcmp(b->fvalue[FILTER_REGION], code) == 0)
			initial = count;
		items[count++] = item.data;
	}
	ui_pick(app, _("Region"), (const char *const *)items, count, initial,
		region_pick_done, b);
	board_pick_items_free(items, count);
}

struct names {
	char **v;
	size_t n;
};

static int facilitator_one(const struct idea *idea, void *arg)
{
	struct names *k = arg;
	const char *f = idea_get(idea, IDEA_FACILITATOR);
	if (!*f)
		return 0;
	if ((k->n & (k->n - 1)) == 0) /* 0, 1, 2, 4...: grow */
		k->v = xrealloc(k->v, (k->n ? 2 * k->n : 1) * sizeof(*k->v));
	k->v[k->n++] = xstrdup(f);
	return 0;
}

static int names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A facilitator as the picker sorts them: the name's search form first
 * (Élise with the e's), then the name. */
struct person {
	char *fold;
	char *name;
	uint64_t n;
};

static int person_cmp(const void *a, const void *b)
{
	const struct person *x = a, *y = b;
	int c = strcmp(x->fold, y->fold);
	return c ? c : strcmp(x->name, y->name);
}

static void facilitator_pick_done(struct app *app, void *ctx, int index)
{
	struct board *b = ctx;
	if (index == 0)
		filter_ask(app, b, FILTER_FACILITATOR);
	else if (index > 0 && (size_t)index <= b->npicked) {
		filter_set(b, FILTER_FACILITATOR, b->picked[index - 1]);
		b->fac_whole = 1; /* picked: that person, not a part */
		board_refilter(app, b);
	}
	board_pick_items_free(b->picked, b->npicked);
	b->picked = NULL;
	b->npicked = 0;
}

/* The facilitators who appear in the store, each once, sorted, with their
 * number of ideas (one pass), after an item to type part of a name. */
static void facilitator_pick(struct app *app, struct board *b)
{
	struct names all = {NULL, 0};
	struct fai_err err;
	size_t np = 0, initial = 0;

	fai_err_clear(&err);
	int rc =
	    store_idea_foreach(app->cli->store, facilitator_one, &all, &err);
	if (rc) {
		board_msg_store_error(app, rc, &err);
		board_pick_items_free(all.v, all.n);
		return;
	}
	if (all.n)
		qsort(all.v, all.n, sizeof(*all.v), names_cmp);
	struct person *p = xcalloc(all.n ? all.n : 1, sizeof(*p));
	for (size_t i = 0; i < all.n; i++) {
		if (np && strcmp(p[np - 1].name, all.v[i]) == 0) {
			p[np - 1].n++;
			free(all.v[i]);
			continue;
		}
		struct buf f;
		buf_init(&f);
		utf8_fold(&f, all.v[i]);
		p[np].fold = f.data ? f.data : xstrdup("");
		p[np].name = all.v[i];
		p[np++].n = 1;
	}
	free(all.v);
	if (np)
		qsort(p, np, sizeof(*p), person_cmp);
	board_pick_items_free(b->picked, b->npicked);
	b->picked = xcalloc(np ? np : 1, sizeof(*b->picked));
	b->npicked = np;
	char **items = xcalloc(np + 1, sizeof(*items));
	items[0] = xstrdup(_("Type part of a name…"));
	for (size_t i = 0; i < np; i++) {
		struct buf item;
		buf_init(&item);
		buf_adds(&item, p[i].name);
		pick_count(&item, p[i].n);
		items[i + 1] = item.data;
		b->picked[i] = p[i].name;
		free(p[i].fold);
		if (b->fvalue[FILTER_FACILITATOR] &&
		    strcmp(b->fvalue[FILTER_FACILITATOR], p[i].name) == 0)
			initial = i + 1;
	}
	free(p);
	ui_pick(app, _("Facilitator"), (const char *const *)items, np + 1,
		initial, facilitator_pick_done, b);
	board_pick_items_free(items, np + 1);
}

static void filter_pick_done(struct app *app, void *ctx, int index)
{
	struct board *b = ctx;
	switch (index) {
	case FILTER_REGION:
		region_pick(app, b);
		break;
	case FILTER_FACILITATOR:
		facilitator_pick(app, b);
		break;
	case FILTER_THEME:
	case FILTER_TAG:
		filter_ask(app, b, index);
		break;
	case FILTER_STALE:
		filter_set(b, FILTER_STALE, "");
		board_refilter(app, b);
		break;
	case FILTER_CLEAR:
		board_filter_clear_all(app, b);
		break;
	default: /* Esc */
		break;
	}
}

static void unfilter_done(struct app *app, void *ctx, int index)
{
	struct board *b = ctx;
	if (index < 0 || index > FILTER_COUNT)
		return;
	if (b->unpick[index] == FILTER_ALL) {
		board_filter_clear_all(app, b);
		return;
	}
	filter_set(b, b->unpick[index], NULL);
	board_refilter(app, b);
}

/* F: the search and filters on, one to remove, or all. */
void board_unfilter_pick(struct app *app, struct board *b)
{
	char *items[FILTER_COUNT + 1];
	size_t n = 0;
	if (!board_filtered(b)) {
		ui_message(app, 0, "%s", _("no search or filter to clear"));
		return;
	}
	for (size_t k = 0; k < BANNER_NKINDS; k++) {
		if (!filter_on(b, banner_order[k]))
			continue;
		struct buf item;
		buf_init(&item);
		filter_words(b, banner_order[k], 1, &item);
		b->unpick[n] = banner_order[k];
		items[n++] = item.data;
	}
	b->unpick[n] = FILTER_ALL;
	items[n++] = xstrdup(_("Remove them all"));
	ui_pick(app, _("Remove which filter?"), (const char *const *)items, n,
		0, unfilter_done, b);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
}

/* f: the kinds of filter to add or replace one, and clearing them all. */
void board_filter_pick(struct app *app, struct board *b)
{
	const char *items[FILTER_COUNT] = {
	    _("Region"),      _("Theme"),
	    _("Facilitator"), _("Tag"),
	    _("Stale ideas"), _("Clear the search and all filters"),
	};
	ui_pick(app, _("Filter by"), items, FILTER_COUNT, 0, filter_pick_done,
		b);
}
