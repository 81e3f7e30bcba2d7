/* board.c - the kanban board: one column per stage, cards read page by
 * page from the store's board order.
 *
 * Each column keeps only the cards on screen (a window) and its position:
 * the absolute index of the first visible card and of the selected one.
 * Scrolling asks the store for the next or previous page from the window's
 * edge, so a key costs O(cards on screen) at 10² or 10⁶ ideas.  A search or
 * filter instead keeps the keys of every matching card of each column, and
 * reads a card when it is shown.  The filters (region, theme, facilitator,
 * tag, stale) take one pass over the ideas when they or the store change;
 * the search reads the board's text index (core/textindex.h: every idea's
 * text and comments folded once, read when the first search is typed and
 * then kept up to date from the log), so each letter typed costs a memmem
 * over that text, not a pass over the store.  Every action goes through the
 * same store calls as the command line, with the revision the card was read at.
 * The detail, the form, the review and the help are asked of the loop
 * (ui_request); the board answers the loop's follow requests. */
#include "board.h"

#include <stdlib.h>
#include <string.h>

#include "../core/card.h"
#include "../core/filter.h"
#include "../core/isotime.h"
#include "../core/textindex.h"
#include "../core/utf8.h"
#include "../core/validate.h"
#include "comment.h"
#include "i18n.h"
#include "out.h"

#define BOARD_MIN_COL 18 /* narrowest column, in cells */
#define BOARD_CARD_H 3	 /* lines per card */
/* The facilitators' unique initials take a pass over every idea (about 5
 * µs each): up to BOARD_NAMES_NOW ideas it is made before the frame; up to
 * BOARD_NAMES_MAX once the board is idle (the first frame shows plain
 * initials for that second); above, initials stay plain. */
#define BOARD_NAMES_NOW 2000
#define BOARD_NAMES_MAX 100000
/* The search's text index (about 600 bytes an idea) is read when the board
 * is first idle up to BOARD_INDEX_IDLE_MAX ideas (about 0.4 s at 10^5), so
 * the first letter of a search finds it ready; above, at the first search. */
#define BOARD_INDEX_IDLE_MAX 200000
#define BOARD_LEGEND 4 /* lines of the help's legend (board_legend) */

/* The kinds of filter, in the order f offers them.  Several kinds hold at
 * once (AND, core/filter.c's one rule); f sets or replaces one kind, F
 * removes one, x removes them all with the search. */
enum filter_kind {
	FILTER_REGION,
	FILTER_THEME,
	FILTER_FACILITATOR,
	FILTER_TAG,
	FILTER_STALE,
	FILTER_CLEAR,
	FILTER_COUNT
};

#define FILTER_NVALUES FILTER_STALE /* the kinds with a value typed/picked */
#define FILTER_SEARCH (-2)	    /* F's item for the search */
#define FILTER_ALL (-3)		    /* F's item for everything */

struct column {
	enum stage stage;
	uint64_t count;	   /* cards in the column (matching, when filtered) */
	size_t offset;	   /* absolute index of the first visible card */
	size_t sel;	   /* absolute index of the selected card */
	struct idea **win; /* unfiltered: the visible cards */
	size_t nwin;
	/* filtered: the keys of every matching card in board order, and
	 * the cards read so far (all[i] NULL until card i is shown) */
	uint64_t *keys;
	struct idea **all;
	size_t nall;
};

struct board {
	struct column cols[STAGE_COUNT];
	int ncols;
	int cur;      /* current column */
	int first;    /* first column shown when they do not all fit */
	int show_all; /* z: on_hold and abandoned too */
	int vis;      /* cards that fit in a column */
	char *search; /* / */
	char *fvalue[FILTER_NVALUES]; /* f: NULL when that kind is off */
	int fstale;		      /* f: the stale criterion is on */
	int fac_whole; /* the facilitator was picked from the list: whole */
	enum filter_kind fasked; /* the kind whose value is being typed */
	uint64_t hidden;	 /* cards of the shown columns hidden */
	int banner_h;		 /* lines of the banner last drawn */
	char **picked;		 /* the facilitators the picker lists */
	size_t npicked;
	int unpick[FILTER_COUNT + 1]; /* F: what each item removes */
	struct fai_settings set;      /* WIP limits and stale days */
	char store_name[64];
	/* a move waiting for its reason (a, H, m) */
	enum stage pending_to;
	uint64_t pending_key;
	uint64_t pending_rev;
	char pending_ref[24];
	int fit, colw;	     /* columns shown and their width, for the mouse */
	int foot;	     /* lines the message takes from the columns in
				this frame */
	char *search_before; /* restored when the search prompt is left */
	/* the last $EDITOR text that could not be saved, and its card: E on
	 * that card offers to reopen it */
	struct cli_kept kept;
	uint64_t kept_key;
	struct card_names *names; /* the facilitators' unique initials */
	int names_due;		  /* they are to be read when idle */
	/* the help's legend of the marks on a card, while the help is open */
	char legend_text[BOARD_LEGEND][192];
	char legend_days[24];
	struct ui_legend legend[BOARD_LEGEND];
	struct app *app; /* the loop's, for the store a card is read from */
	/* the search's text index, read at the first search */
	struct text_index tix;
	int tix_tried; /* the idle read of it was tried */
	/* the ideas the filters other than the search keep, in board order
	 * (and their keys sorted), as of base_txn with the filters base_sig
	 * says: a letter typed in the search does not pass over the store */
	struct text_hit *base;
	uint64_t *base_sorted;
	size_t nbase;
	char *base_sig;
	uint64_t base_txn;
	uint64_t totals[STAGE_COUNT]; /* every card of each stage */
	uint64_t offboard; /* matches at stages without a column (z) */
};

static int board_filtered(const struct board *b)
{
	if ((b->search && *b->search) || b->fstale)
		return 1;
	for (int i = 0; i < FILTER_NVALUES; i++)
		if (b->fvalue[i])
			return 1;
	return 0;
}

/* ------------------------------------------------------------ loading */

static void ideas_free(struct idea **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		idea_free(v[i]);
	free(v);
}

static void col_clear(struct column *c)
{
	ideas_free(c->win, c->nwin);
	c->win = NULL;
	c->nwin = 0;
	ideas_free(c->all, c->nall);
	c->all = NULL;
	free(c->keys);
	c->keys = NULL;
	c->nall = 0;
}

/* Returns the card at absolute index i (filtered: read now when it was
 * not yet), or NULL when not loaded (or gone). */
static struct idea *col_card(const struct board *b, struct column *c, size_t i)
{
	if (c->all) {
		if (i >= c->nall)
			return NULL;
		if (!c->all[i])
			store_idea_get(b->app->cli->store, c->keys[i],
				       &c->all[i], NULL);
		return c->all[i];
	}
	if (i < c->offset || i >= c->offset + c->nwin)
		return NULL;
	return c->win[i - c->offset];
}

static size_t col_shown(const struct board *b, const struct column *c)
{
	if (c->all) {
		size_t left = c->nall > c->offset ? c->nall - c->offset : 0;
		return left < (size_t)b->vis ? left : (size_t)b->vis;
	}
	return c->nwin;
}

static void msg_store_error(struct app *app, int rc, struct fai_err *err)
{
	struct buf m;
	buf_init(&m);
	cli_message(app->cli, rc, err, &m);
	ui_message(app, 1, "%s", m.data ? m.data : "");
	buf_free(&m);
}

/* Loads the window starting at the card just after pos (NULL: the top). */
static void col_load_after(struct app *app, struct board *b, struct column *c,
			   const struct store_pos *pos)
{
	struct fai_err err;
	struct idea **v = NULL;
	size_t n = 0;
	fai_err_clear(&err);
	int rc = store_stage_page(app->cli->store, c->stage, pos,
				  (size_t)b->vis, &v, &n, &err);
	if (rc) {
		msg_store_error(app, rc, &err);
		ideas_free(v, n);
		return;
	}
	ideas_free(c->win, c->nwin);
	c->win = v;
	c->nwin = n;
}

/* Loads the window that ends just before pos (NULL: the column's end). */
static void col_load_before(struct app *app, struct column *c,
			    const struct store_pos *pos, size_t max)
{
	struct fai_err err;
	struct idea **v = NULL;
	size_t n = 0;
	fai_err_clear(&err);
	int rc = store_stage_page_back(app->cli->store, c->stage, pos, max, &v,
				       &n, &err);
	if (rc) {
		msg_store_error(app, rc, &err);
		ideas_free(v, n);
		return;
	}
	ideas_free(c->win, c->nwin);
	c->win = v;
	c->nwin = n;
}

/* The position just before idea: loading after it includes idea. */
static struct store_pos pos_before(const struct idea *idea)
{
	struct store_pos p = {idea->rank, idea->key - 1};
	return p;
}

static struct store_pos pos_of(const struct idea *idea)
{
	struct store_pos p = {idea->rank, idea->key};
	return p;
}

/* Keeps offset and sel inside the column after a change of count. */
static void col_clamp(struct board *b, struct column *c)
{
	if (c->count == 0) {
		c->offset = c->sel = 0;
		return;
	}
	if (c->sel >= c->count)
		c->sel = (size_t)c->count - 1;
	if (c->all) {
		size_t vis = (size_t)b->vis;
		/* no empty room under the last card while cards hide above */
		if (c->count > vis && c->offset > c->count - vis)
			c->offset = (size_t)c->count - vis;
		if (c->count <= vis)
			c->offset = 0;
		if (c->sel < c->offset)
			c->offset = c->sel;
		if (c->sel >= c->offset + vis)
			c->offset = c->sel - vis + 1;
	}
}

/* Reloads a column's window where it was (unfiltered). */
static void col_reload(struct app *app, struct board *b, struct column *c)
{
	if (c->nwin > 0) {
		struct store_pos p = pos_before(c->win[0]);
		col_load_after(app, b, c, &p);
	} else {
		col_load_after(app, b, c, NULL);
		c->offset = 0;
	}
	/* Cards may have left: keep the window full when possible. */
	if (c->nwin < (size_t)b->vis && c->offset > 0) {
		col_load_before(app, c, NULL, (size_t)b->vis);
		c->offset = c->count > c->nwin ? (size_t)c->count - c->nwin : 0;
	}
	if (c->offset + c->nwin > c->count)
		c->offset = c->count > c->nwin ? (size_t)c->count - c->nwin : 0;
	col_clamp(b, c);
	if (c->sel < c->offset)
		c->sel = c->offset;
	if (c->nwin && c->sel >= c->offset + c->nwin)
		c->sel = c->offset + c->nwin - 1;
}

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
static int banner_max(const struct app *app)
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
static int banner_layout(const struct board *b, int width, int max,
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
static int board_narrowed(const struct board *b)
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
static void board_base(struct app *app, struct board *b)
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
		msg_store_error(app, rc, &err);
		free(sig); /* read again next time */
		return;
	}
	b->base_sig = sig;
	b->base_txn = txn;
}

/* Puts each hit in its stage's column (keys; the cards are read when
 * shown); the hits at a stage without a column are counted offboard. */
static void board_place(struct board *b, const struct text_hit *hits, size_t n)
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

/* Reads the settings the board shows: WIP limits and stale days (a store
 * that cannot be read shows the defaults; the columns will say why). */
static void board_settings(struct app *app, struct board *b)
{
	store_settings(app->cli->store, &b->set, NULL);
}

static int names_one(const struct idea *idea, void *arg)
{
	card_names_add(arg, idea_get(idea, IDEA_FACILITATOR));
	return 0;
}

/* Returns 1 when every loaded card's facilitator has its initials. */
static int names_cover(const struct board *b)
{
	char out[CARD_INITIALS_MAX];
	for (int i = 0; i < b->ncols; i++) {
		const struct column *c = &b->cols[i];
		struct idea *const *v = c->all ? c->all : c->win;
		size_t n = c->all ? c->nall : c->nwin;
		for (size_t j = 0; j < n; j++) {
			if (!v[j]) /* filtered: not read yet */
				continue;
			const char *f = idea_get(v[j], IDEA_FACILITATOR);
			if (!card_names_initials(b->names, f, out,
						 sizeof(out)) &&
			    *out)
				return 0;
		}
	}
	return 1;
}

/* Reads the facilitators' unique initials (card_names) from every idea. */
static void board_names_read(struct app *app, struct board *b)
{
	b->names_due = 0;
	struct card_names *n = card_names_new();
	if (store_idea_foreach(app->cli->store, names_one, n, NULL) != 0) {
		card_names_free(n);
		return;
	}
	card_names_finish(n);
	card_names_free(b->names);
	b->names = n;
}

/* The unique initials, read when the board opens and again when a card
 * shows someone not seen yet: at once on a small store, else when the
 * board is idle (board_idle), and never above BOARD_NAMES_MAX ideas. */
static void board_names(struct app *app, struct board *b,
			const uint64_t counts[STAGE_COUNT])
{
	uint64_t total = 0;
	for (int i = 0; i < STAGE_COUNT; i++)
		total += counts[i];
	if (total > BOARD_NAMES_MAX) {
		card_names_free(b->names);
		b->names = NULL;
		b->names_due = 0;
		return;
	}
	if (b->names && names_cover(b))
		return;
	if (total > BOARD_NAMES_NOW)
		b->names_due = 1;
	else
		board_names_read(app, b);
}

static void board_idle(struct app *app, void *st)
{
	struct board *b = st;
	if (b->names_due)
		board_names_read(app, b);
	uint64_t total = 0;
	for (int i = 0; i < STAGE_COUNT; i++)
		total += b->totals[i];
	if (!b->tix.built && !b->tix_tried && total <= BOARD_INDEX_IDLE_MAX) {
		/* once: a store that cannot be read says so at the search */
		struct fai_err err;
		fai_err_clear(&err);
		b->tix_tried = 1;
		store_text_index_build(app->cli->store, &b->tix, &err);
	}
}

/* Recomputes the geometry and reloads every column. */
static void board_load(struct app *app, struct board *b)
{
	uint64_t counts[STAGE_COUNT] = {0};
	struct fai_err err;

	b->vis = (app->rows - 5) / BOARD_CARD_H;
	if (b->vis < 1)
		b->vis = 1;
	b->ncols = b->show_all ? STAGE_COUNT : STAGE_PIPELINE_COUNT;
	if (b->cur >= b->ncols)
		b->cur = b->ncols - 1;
	board_settings(app, b);
	fai_err_clear(&err);
	int rc = store_stage_counts(app->cli->store, counts, &err);
	if (rc)
		msg_store_error(app, rc, &err);
	memcpy(b->totals, counts, sizeof(b->totals));
	if (board_filtered(b)) {
		for (int i = 0; i < STAGE_COUNT; i++)
			col_clear(&b->cols[i]);
		int narrowed = board_narrowed(b);
		if (narrowed)
			board_base(app, b);
		if (b->search && *b->search) {
			struct text_hit *hits = NULL;
			struct buf folded;
			fai_err_clear(&err);
			rc = store_text_index_update(app->cli->store, &b->tix,
						     &err);
			if (rc)
				msg_store_error(app, rc, &err);
			buf_init(&folded);
			utf8_fold(&folded, b->search);
			size_t n =
			    text_index_find(&b->tix, folded.data,
					    narrowed ? b->base_sorted : NULL,
					    narrowed ? b->nbase : 0, &hits);
			buf_free(&folded);
			board_place(b, hits, n);
			free(hits);
		} else {
			board_place(b, b->base, b->nbase);
		}
		b->hidden = 0;
		for (int i = 0; i < b->ncols; i++) {
			struct column *c = &b->cols[i];
			c->count = c->nall;
			if (counts[c->stage] > c->nall)
				b->hidden += counts[c->stage] - c->nall;
		}
		board_names(app, b, counts);
		/* the banner takes its lines from the cards' room */
		struct buf lines;
		buf_init(&lines);
		b->banner_h =
		    banner_layout(b, app->cols, banner_max(app), &lines);
		buf_free(&lines);
		b->vis = (app->rows - 5 - b->banner_h) / BOARD_CARD_H;
		if (b->vis < 1)
			b->vis = 1;
		for (int i = 0; i < b->ncols; i++)
			col_clamp(b, &b->cols[i]);
		return;
	}
	b->hidden = 0;
	b->banner_h = 0;
	for (int i = 0; i < b->ncols; i++) {
		struct column *c = &b->cols[i];
		ideas_free(c->all, c->nall);
		c->all = NULL;
		free(c->keys);
		c->keys = NULL;
		c->nall = 0;
		c->count = counts[c->stage];
		col_reload(app, b, c);
	}
	board_names(app, b, counts);
}

/* ------------------------------------------------------------ moving */

static struct column *cur_col(struct board *b)
{
	return &b->cols[b->cur];
}

static struct idea *cur_card(struct board *b)
{
	struct column *c = cur_col(b);
	return c->count ? col_card(b, c, c->sel) : NULL;
}

/* Moves the selection of the current column to absolute index to. */
static void select_at(struct app *app, struct board *b, size_t to)
{
	struct column *c = cur_col(b);
	if (c->count == 0)
		return;
	if (to >= c->count)
		to = (size_t)c->count - 1;
	if (c->all) {
		c->sel = to;
		col_clamp(b, c);
		return;
	}
	size_t vis = (size_t)b->vis;
	if (to >= c->offset && to < c->offset + c->nwin) {
		c->sel = to;
		return;
	}
	if (to == 0) {
		col_load_after(app, b, c, NULL);
		c->offset = 0;
	} else if (to == c->count - 1) {
		col_load_before(app, c, NULL, vis);
		c->offset = (size_t)c->count - c->nwin;
	} else if (c->nwin && to == c->offset + c->nwin) {
		/* one step down: the window slides by one */
		struct store_pos p = pos_of(c->win[0]);
		col_load_after(app, b, c, &p);
		c->offset++;
	} else if (c->nwin && to + 1 == c->offset) {
		/* one step up: the card before the window leads */
		struct store_pos p = pos_of(c->win[0]);
		col_load_before(app, c, &p, 1);
		if (c->nwin) {
			struct store_pos q = pos_before(c->win[0]);
			col_load_after(app, b, c, &q);
			c->offset--;
		}
	} else if (c->nwin && to > c->offset) {
		/* a page down */
		struct store_pos p = pos_of(c->win[c->nwin - 1]);
		size_t next = c->offset + c->nwin;
		col_load_after(app, b, c, &p);
		c->offset = next;
		if (c->nwin < vis) {
			col_load_before(app, c, NULL, vis);
			c->offset = (size_t)c->count - c->nwin;
		}
	} else if (c->nwin) {
		/* a page up */
		struct store_pos p = pos_of(c->win[0]);
		size_t back = c->offset < vis ? c->offset : vis;
		col_load_before(app, c, &p, back);
		c->offset -= c->nwin <= c->offset ? c->nwin : c->offset;
		if (c->nwin) {
			struct store_pos q = pos_before(c->win[0]);
			col_load_after(app, b, c, &q);
		}
	}
	if (to < c->offset)
		to = c->offset;
	if (c->nwin && to >= c->offset + c->nwin)
		to = c->offset + c->nwin - 1;
	c->sel = to;
}

/* Selects idea in column c (its stage's), scrolling the column to show
 * it; returns 0, or -1 when the column does not hold it (a search or
 * filter hides it). */
static int col_show(struct app *app, struct board *b, struct column *c,
		    const struct idea *idea)
{
	if (c->all) {
		for (size_t i = 0; i < c->nall; i++)
			if (c->keys[i] == idea->key) {
				c->sel = i;
				col_clamp(b, c);
				return 0;
			}
		return -1;
	}
	for (size_t i = 0; i < c->nwin; i++)
		if (c->win[i]->key == idea->key) {
			c->sel = c->offset + i;
			return 0;
		}
	/* Not in view: show the window that ends with it, and count the
	 * cards after it to know its index. */
	struct store_pos after = {idea->rank, idea->key + 1};
	struct store_pos p = pos_of(idea);
	uint64_t nrest = 0;
	store_stage_count_after(app->cli->store, c->stage, &p, &nrest, NULL);
	col_load_before(app, c, &after, (size_t)b->vis);
	size_t index = c->count > nrest ? (size_t)c->count - nrest - 1 : 0;
	if (c->nwin < (size_t)b->vis) {
		/* It is among the column's first cards (a card moved up with K
		 * to the top): the window ending with it is short, show the
		 * column from its top instead. */
		col_load_after(app, b, c, NULL);
		c->offset = 0;
	} else {
		c->offset = index + 1 > c->nwin ? index + 1 - c->nwin : 0;
	}
	c->sel = index;
	return 0;
}

/* Reloads the board after a change of search or filter: each column keeps
 * its selected card when the new view still shows it, else goes to its
 * first card, and its scroll is made valid for the new count. */
static void board_refilter(struct app *app, struct board *b)
{
	uint64_t keys[STAGE_COUNT] = {0};
	for (int i = 0; i < b->ncols; i++) {
		struct column *c = &b->cols[i];
		struct idea *card = c->count ? col_card(b, c, c->sel) : NULL;
		keys[i] = card ? card->key : 0;
	}
	board_load(app, b);
	for (int i = 0; i < b->ncols; i++) {
		struct column *c = &b->cols[i];
		struct idea *idea = NULL;
		int shown = -1;
		if (keys[i] && store_idea_get(app->cli->store, keys[i], &idea,
					      NULL) == 0) {
			if (idea_stage(idea) == c->stage)
				shown = col_show(app, b, c, idea);
			idea_free(idea);
		}
		if (shown == 0)
			continue;
		c->sel = 0;
		if (c->all) {
			c->offset = 0;
		} else if (c->offset > 0) {
			col_load_after(app, b, c, NULL);
			c->offset = 0;
		}
	}
}

/* Selects the card key wherever it is, showing on hold and abandoned when
 * it went there; an idea gone leaves the selection alone. */
static void board_follow(struct app *app, struct board *b, uint64_t key)
{
	struct idea *idea = NULL;
	if (store_idea_get(app->cli->store, key, &idea, NULL) != 0)
		return;
	enum stage st = idea_stage(idea);
	int ci = -1;
	for (int i = 0; i < b->ncols; i++)
		if (b->cols[i].stage == st)
			ci = i;
	if (ci < 0 && stage_is_pipeline(st) == 0 && !b->show_all) {
		b->show_all = 1;
		board_load(app, b);
		for (int i = 0; i < b->ncols; i++)
			if (b->cols[i].stage == st)
				ci = i;
	}
	if (ci < 0) {
		idea_free(idea);
		return;
	}
	b->cur = ci;
	col_show(app, b, &b->cols[ci], idea);
	idea_free(idea);
}

/* ------------------------------------------------------------ search */

/* The search part of the banner: returns the active search text (NULL
 * when none; the board's, valid until the search changes) and puts in
 * *shown and *hidden the cards the search and filter show and hide in
 * the columns of the board (the cards of a stage without a column, on
 * hold and abandoned before z, count in neither). */
static const char *board_search_state(const struct board *b, uint64_t *shown,
				      uint64_t *hidden)
{
	uint64_t all = 0, seen = 0;
	for (int i = 0; i < b->ncols; i++) {
		all += b->totals[b->cols[i].stage];
		seen += b->cols[i].count;
	}
	*shown = seen;
	*hidden = all > seen ? all - seen : 0;
	return b->search && *b->search ? b->search : NULL;
}

/* Says that nothing on the board matches the search, and how many cards
 * of the stages without a column do. */
static void search_say_none(struct app *app, struct board *b)
{
	if (b->offboard)
		ui_message(app, 1,
			   ngettext("no idea on the board matches “%s”; %llu "
				    "on hold or abandoned does (z shows it)",
				    "no idea on the board matches “%s”; %llu "
				    "on hold or abandoned do (z shows them)",
				    (unsigned long)b->offboard),
			   b->search, (unsigned long long)b->offboard);
	else
		ui_message(app, 1, _("no idea matches “%s”"), b->search);
}

/* Enter on a search: selects the first match, from the current column
 * rightwards (then from the first column), top to bottom, and says how
 * many there are. */
static void search_first(struct app *app, struct board *b)
{
	uint64_t shown, hidden;
	board_search_state(b, &shown, &hidden);
	if (shown == 0) {
		search_say_none(app, b);
		return;
	}
	for (int k = 0; k < b->ncols; k++) {
		int ci = (b->cur + k) % b->ncols;
		if (b->cols[ci].count) {
			b->cur = ci;
			select_at(app, b, 0);
			break;
		}
	}
	ui_message(app, 0,
		   ngettext("%llu idea matches “%s” (n, N: next, previous)",
			    "%llu ideas match “%s” (n, N: next, previous)",
			    (unsigned long)shown),
		   (unsigned long long)shown, b->search);
}

/* n (dir 1) and N (dir -1): the next or previous match in reading order
 * (columns left to right, cards top to bottom), wrapping at either end
 * and saying so. */
static void search_step(struct app *app, struct board *b, int dir)
{
	uint64_t shown, hidden;
	if (!board_search_state(b, &shown, &hidden)) {
		ui_message(app, 1, "%s",
			   _("no search in progress (new idea: +)"));
		return;
	}
	if (shown == 0) {
		search_say_none(app, b);
		return;
	}
	struct column *c = cur_col(b);
	if (dir > 0 && c->count && c->sel + 1 < c->count) {
		select_at(app, b, c->sel + 1);
		return;
	}
	if (dir < 0 && c->count && c->sel > 0) {
		select_at(app, b, c->sel - 1);
		return;
	}
	int wrapped = 0;
	for (int k = 1; k <= b->ncols; k++) {
		int ci = b->cur + dir * k;
		if (ci < 0 || ci >= b->ncols)
			wrapped = 1;
		ci = ((ci % b->ncols) + b->ncols) % b->ncols;
		struct column *n = &b->cols[ci];
		if (!n->count)
			continue;
		b->cur = ci;
		select_at(app, b, dir > 0 ? 0 : (size_t)n->count - 1);
		break;
	}
	if (wrapped)
		ui_message(app, 0, "%s",
			   dir > 0 ? _("search wrapped to the first match")
				   : _("search wrapped to the last match"));
}

/* Follows the card the person just created, saved, moved or chose: when
 * the search hides it, the search is lifted and that is said, rather than
 * the card shown against the search (the banner's count and n/N would
 * then not tell the truth, and the card would vanish at the next reload
 * of the board). */
static void board_follow_own(struct app *app, struct board *b, uint64_t key)
{
	board_follow(app, b, key);
	struct idea *card = cur_card(b);
	if (!b->search || !*b->search || (card && card->key == key))
		return;
	struct idea *idea = NULL;
	if (store_idea_get(app->cli->store, key, &idea, NULL) != 0)
		return; /* gone (an undone creation) */
	char ref[24], before[sizeof(app->msg)];
	snprintf(ref, sizeof(ref), "%s", idea_get(idea, IDEA_REF));
	idea_free(idea);
	snprintf(before, sizeof(before), "%s", app->msg);
	int error = app->msg_error;
	char *search = b->search;
	b->search = NULL;
	board_refilter(app, b);
	board_follow(app, b, key);
	if (before[0])
		ui_message(app, error,
			   _("%s; search “%s” lifted: %s does not match it"),
			   before, search, ref);
	else
		ui_message(app, error,
			   _("search “%s” lifted: %s does not match it"),
			   search, ref);
	free(search);
}

/* ------------------------------------------------------------ drawing */

static void board_footer_text(struct buf *b, int width);

/* A card in three lines (core/card.h): the reference, ⚑ when stale, the
 * facilitator's unique initials and the days at the stage; the title; then
 * the start of the reason (on hold, abandoned), else the rest of a title
 * too long for one line, else the territory. */
static void draw_card(struct app *app, struct board *b, const struct idea *c,
		      int y, int x, int w, int selected)
{
	attr_t sel = selected ? ui_attr(app, UI_SELECTED) : 0;
	attr_t dim = selected ? sel : ui_attr(app, UI_DIM);
	char right[64], days[24];
	struct card k;
	struct buf t1, t2;

	card_of(c, app->cli->actor.now, b->set.stale_days, &k);
	card_names_initials(b->names, idea_get(c, IDEA_FACILITATOR), k.initials,
			    sizeof(k.initials));
	/* line 1: ref, stale mark, initials and days in stage */
	ui_text(app, y, x, w, "", sel, 1);
	/* The reference in bold, except on the selected card, whose reverse
	 * video marks it already: each change of attribute costs the
	 * terminal ~10 bytes, and a selection move redraws two cards. */
	attr_t ref = selected ? sel : A_BOLD;
	int n = ui_text(app, y, x, w, k.ref, ref, 0);
	if (k.stale && w > n + 2) {
		/* The space before the mark in bold too: one colour change
		 * to the mark, not a reset and a new bold. */
		ui_text(app, y, x + n, 1, " ", ref, 1);
		ui_text(app, y, x + n + 1, 1, app->utf8 ? "⚑" : "!",
			selected ? sel : ui_attr(app, UI_WARN), 0);
	}
	/* TRANSLATORS: days in stage on a card, keep it short: "12j". */
	snprintf(days, sizeof(days), _("%ldd"), k.days);
	snprintf(right, sizeof(right), "%s%s%s", k.initials,
		 *k.initials ? " " : "", days);
	if (w <= n + 3 + (int)utf8_width(right))
		snprintf(right, sizeof(right), "%s", days);
	if (w > n + 3 + (int)utf8_width(right))
		ui_text_right(app, y, x + w, right, sel);
	/* lines 2 and 3: the title, then the reason or the territory */
	buf_init(&t1);
	buf_init(&t2);
	card_title_lines(k.title, w > 0 ? (size_t)w : 1, &t1, &t2);
	if (k.reason || !t2.len) {
		buf_reset(&t1);
		buf_reset(&t2);
		buf_adds(&t1, k.title); /* one line, cut with … */
	}
	ui_text(app, y + 1, x, w, t1.data ? t1.data : "", sel, 1);
	if (k.reason && *k.reason)
		ui_text(app, y + 2, x, w, k.reason, dim, 1);
	else if (t2.len)
		ui_text(app, y + 2, x, w, t2.data, sel, 1);
	else
		ui_text(app, y + 2, x, w, k.territory, dim, 1);
	buf_free(&t1);
	buf_free(&t2);
}

static void draw_column(struct app *app, struct board *b, int ci, int x, int w)
{
	struct column *c = &b->cols[ci];
	char head[96], more[64];
	int current = ci == b->cur;
	uint64_t wip = b->set.wip[c->stage];
	int over = wip && c->count > wip;
	const char *label =
	    w >= 24 ? out_stage_label(c->stage) : out_stage_short(c->stage);

	/* Over its WIP limit, the count carries a "!": a mark every terminal
	 * shows (vt100, NO_COLOR), where bold and underline alone would look
	 * like the current column's header. */
	if (wip)
		snprintf(head, sizeof(head), "%s%llu/%llu", over ? "!" : "",
			 (unsigned long long)c->count, (unsigned long long)wip);
	else
		snprintf(head, sizeof(head), "%llu",
			 (unsigned long long)c->count);
	int hw = (int)strlen(head);
	ui_text(app, 0, x, w, "", A_NORMAL, 1);
	ui_text(app, 0, x, w - hw - 1, label,
		ui_attr(app, current ? UI_CURRENT : UI_HEADER), 0);
	ui_text_right(app, 0, x + w, head,
		      over ? ui_attr(app, UI_ALERT) : ui_attr(app, UI_HEADER));

	int y = 1, bottom = app->rows - 3 - b->banner_h - b->foot;
	/* The cards that fit this frame (a two-line message takes a line):
	 * when the selected one would fall off, the column starts later. */
	size_t shown = col_shown(b, c);
	size_t fitn = bottom > 2 ? (size_t)(bottom - 2) / BOARD_CARD_H : 0;
	size_t start = c->offset;
	if (fitn < shown) {
		if (current && c->sel >= start + fitn && fitn > 0)
			start = c->sel - fitn + 1;
		shown = fitn;
	}
	if (start > 0) {
		snprintf(more, sizeof(more), _("↑ %zu more"), start);
		ui_text(app, y, x, w, more, ui_attr(app, UI_DIM), 1);
	}
	y++;
	size_t drawn = 0;
	for (size_t i = 0; i < shown && y + BOARD_CARD_H <= bottom; i++) {
		size_t idx = start + i;
		struct idea *card = col_card(b, c, idx);
		if (!card)
			break;
		draw_card(app, b, card, y, x, w, current && idx == c->sel);
		y += BOARD_CARD_H;
		drawn++;
	}
	size_t below =
	    c->count > start + drawn ? (size_t)c->count - start - drawn : 0;
	if (below) {
		snprintf(more, sizeof(more), _("↓ %zu more"), below);
		ui_text(app, bottom, x, w, more, ui_attr(app, UI_DIM), 1);
	}
	if (c->count == 0)
		ui_text(app, 2, x, w, _("(empty)"), ui_attr(app, UI_DIM), 0);
}

static void board_draw(struct app *app, void *st)
{
	struct board *b = st;
	int fit = (app->cols + 1) / (BOARD_MIN_COL + 1);
	if (fit < 1)
		fit = 1;
	if (fit > b->ncols)
		fit = b->ncols;
	if (b->cur < b->first)
		b->first = b->cur;
	if (b->cur >= b->first + fit)
		b->first = b->cur - fit + 1;
	if (b->first + fit > b->ncols)
		b->first = b->ncols - fit;
	int w = (app->cols - (fit - 1)) / fit;
	b->fit = fit;
	b->colw = w;
	/* the banner: the search and filters on, above the message and the
	 * status line */
	struct buf ban;
	buf_init(&ban);
	b->banner_h = banner_layout(b, app->cols, banner_max(app), &ban);

	/* status line: store, user, filter, column marker */
	struct buf s;
	buf_init(&s);
	buf_printf(&s, " %s · %s", b->store_name, app->cli->user);
	if (app->readonly)
		buf_printf(&s, " · %s", _("read-only"));
	if (fit < b->ncols) {
		char col[64];
		snprintf(col, sizeof(col), _("column %d/%d"), b->cur + 1,
			 b->ncols);
		buf_printf(&s, " · %s", col);
	}
	/* The message, whole: beside the status when it fits there, else on
	 * the line above the status, else on two lines that take the status
	 * line's place too (either way the columns give a line for this
	 * frame); longer, the loop shows it in its panel (msg_lines). */
	int y = app->rows - 2;
	int used = (int)utf8_width(s.data) + 3;
	int beside = 0, mh = 0;
	if (app->msg[0]) {
		beside = !app->foot_busy && used < app->cols - 10 &&
			 ui_message_height(app, app->cols - used) == 1;
		if (!beside) {
			mh = ui_message_height(app, app->cols - 1);
			if (mh > 2)
				mh = 0; /* the panel's */
		}
	}
	/* Under a prompt (it draws on the status line) the message goes on
	 * the lines above it. */
	int mtop = app->foot_busy ? y + 1 - app->foot_busy - mh : y - 1;
	b->foot = app->foot_busy ? app->foot_busy - 1 + mh : (mh ? 1 : 0);

	for (int i = 0; i < fit; i++) {
		int x = i * (w + 1);
		int cw = i == fit - 1 ? app->cols - x : w;
		draw_column(app, b, b->first + i, x, cw);
		if (i < fit - 1)
			ui_vline(app, 0, x + w,
				 app->rows - 2 - b->banner_h - b->foot,
				 ui_attr(app, UI_DIM));
	}
	const char *bl = ban.data;
	int btop = app->rows - 2 - b->foot - b->banner_h;
	for (int i = 0; i < b->banner_h; i++) {
		const char *nl = strchr(bl, '\n');
		size_t len = nl ? (size_t)(nl - bl) : strlen(bl);
		char *one = xstrndup(bl, len);
		ui_text(app, btop + i, 0, app->cols, one,
			ui_attr(app, UI_HEADER), 1);
		free(one);
		bl = nl ? nl + 1 : bl + len;
	}
	buf_free(&ban);

	ui_text(app, y, 0, app->cols, s.data, ui_attr(app, UI_STATUS), 1);
	if (!app->msg[0] && app->other[0]) {
		struct buf o;
		buf_init(&o);
		ui_other_text(app, &o);
		if (used < app->cols - 10)
			ui_text(app, y, used, app->cols - used, o.data,
				ui_attr(app, UI_STATUS), 1);
		buf_free(&o);
	}
	if (beside) {
		ui_message_draw(app, y, used, app->cols - used, 1);
	} else if (mh) {
		attr_t a = app->msg_error ? ui_attr(app, UI_ALERT) | A_REVERSE
					  : ui_attr(app, UI_STATUS);
		for (int i = 0; i < mh; i++)
			ui_text(app, mtop + i, 0, 1, " ", a, 1);
		ui_message_draw(app, mtop, 1, app->cols - 1, mh);
	}
	buf_free(&s);
	struct buf keys;
	buf_init(&keys);
	board_footer_text(&keys, app->cols);
	ui_text(app, app->rows - 1, 0, app->cols, keys.data,
		ui_attr(app, UI_DIM), 1);
	buf_free(&keys);
}

/* ------------------------------------------------------------ actions */

/* Shows the result of an action and follows the card. */
static void action_done(struct app *app, struct board *b, int rc,
			struct fai_err *err, uint64_t key, const char *ok)
{
	if (rc) {
		msg_store_error(app, rc, err);
		ui_changed(app);
		return;
	}
	ui_message(app, 0, "%s", ok);
	ui_changed(app);
	if (key)
		board_follow_own(app, b, key);
}

static int board_writable(struct app *app)
{
	if (app->readonly) {
		ui_message(app, 1, "%s",
			   _("read-only: nothing can be changed here"));
		return 0;
	}
	return 1;
}

/* After a move into to: when the column is now over its WIP limit, adds
 * so to the move's sentence in ok (the move is done all the same: the
 * limit is a warning, not a rule). */
static void wip_note(struct app *app, struct board *b, enum stage to,
		     struct buf *ok)
{
	uint64_t counts[STAGE_COUNT] = {0};
	uint64_t wip = b->set.wip[to];
	struct buf note, both;
	if (!wip || store_stage_counts(app->cli->store, counts, NULL) != 0 ||
	    counts[to] <= wip)
		return;
	buf_init(&note);
	buf_init(&both);
	buf_printf(&note,
		   ngettext("the %s column now holds %llu idea, over its "
			    "limit of %llu",
			    "the %s column now holds %llu ideas, over its "
			    "limit of %llu",
			    (unsigned long)counts[to]),
		   out_stage_label(to), (unsigned long long)counts[to],
		   (unsigned long long)wip);
	/* TRANSLATORS: a move's sentence, then what it means for the WIP
	 * limit of its column. */
	buf_printf(&both, _("%s; %s"), ok->data ? ok->data : "", note.data);
	buf_reset(ok);
	buf_adds(ok, both.data);
	buf_free(&note);
	buf_free(&both);
}

/* After a gate refusal: e opens the form, f forces, anything else
 * cancels. */
struct gate_ctx {
	struct board *b;
	uint64_t key;
	uint64_t rev;
	enum stage to;
	uint64_t missing; /* the fields the gate wants, bit 1 << field */
	char ref[24];
};

static void gate_done(struct app *app, void *ctx, int index)
{
	struct gate_ctx *g = ctx;
	struct board *b = g->b;
	struct fai_err err;
	struct buf ok;
	if (index == 0) {
		/* The form on the first missing field; its save moves. */
		struct ui_arg arg = {.key = g->key,
				     .missing = g->missing,
				     .gate_to = (int)g->to};
		ui_request(app, UI_REQ_OPEN_FORM, &arg);
	} else if (index == 1) {
		fai_err_clear(&err);
		int rc =
		    store_idea_move(app->cli->store, &app->cli->actor, g->ref,
				    g->to, NULL, 1, g->rev, NULL, &err);
		buf_init(&ok);
		buf_printf(&ok, _("%s moved to %s (gate forced)"), g->ref,
			   out_stage_label(g->to));
		if (rc == 0)
			wip_note(app, b, g->to, &ok);
		action_done(app, b, rc, &err, g->key, ok.data);
		buf_free(&ok);
	} else {
		ui_message(app, 0, "%s", _("cancelled: nothing changed"));
	}
	free(g);
}

static int move_to(struct app *app, struct board *b, struct idea *card,
		   enum stage to, const char *reason)
{
	struct fai_err err;
	struct buf ok;
	fai_err_clear(&err);
	uint64_t key = card->key, rev = idea_revision(card);
	char ref[24];
	snprintf(ref, sizeof(ref), "%s", idea_get(card, IDEA_REF));
	int rc = store_idea_move(app->cli->store, &app->cli->actor, ref, to,
				 reason, 0, rev, NULL, &err);
	if (rc == -FAI_EGATE) {
		struct buf m;
		buf_init(&m);
		cli_message(app->cli, rc, &err, &m);
		ui_message(app, 1, "%s", m.data ? m.data : "");
		buf_free(&m);
		struct gate_ctx *g = xcalloc(1, sizeof(*g));
		g->b = b;
		g->key = key;
		g->rev = rev;
		g->to = to;
		g->missing = err.missing;
		snprintf(g->ref, sizeof(g->ref), "%s", ref);
		const char *items[] = {
		    _("Fill in the missing fields (edit form)"),
		    _("Force the move (logged)"), _("Cancel")};
		ui_pick(app, _("Required fields are missing"), items, 3, 0,
			gate_done, g);
		return rc;
	}
	buf_init(&ok);
	buf_printf(&ok, _("%s moved to %s"), ref, out_stage_label(to));
	if (rc == 0)
		wip_note(app, b, to, &ok);
	/* The selection follows the card: a repeated > never acts on
	 * another idea of a shared pipeline. */
	action_done(app, b, rc, &err, key, ok.data);
	buf_free(&ok);
	return rc;
}

static void reason_done(struct app *app, void *ctx, const char *text)
{
	struct board *b = ctx;
	struct idea *card = NULL;
	if (!text) {
		ui_message(app, 0, "%s", _("cancelled: nothing changed"));
		return;
	}
	if (text[strspn(text, " \t")] == '\0') {
		/* Only blanks: a hold or an abandon needs its reason, so ask
		 * again rather than close on a refusal. */
		char label[200];
		snprintf(label, sizeof(label),
			 _("A reason is needed (%s → %s; Esc cancels):"),
			 b->pending_ref, out_stage_label(b->pending_to));
		ui_prompt(app, label, "", reason_done, NULL, b);
		return;
	}
	if (store_idea_get(app->cli->store, b->pending_key, &card, NULL) != 0)
		return;
	/* the revision the person saw when they asked for the move */
	uint64_t now_rev = idea_revision(card);
	idea_set_u64(card, IDEA_REVISION, b->pending_rev);
	if (move_to(app, b, card, b->pending_to, text) == -FAI_ECONFLICT) {
		/* Someone changed it: ask again, the reason still typed. */
		char label[200];
		b->pending_rev = now_rev;
		snprintf(label, sizeof(label),
			 _("Reason (%s → %s; the idea changed meanwhile, Enter "
			   "to move it anyway):"),
			 idea_get(card, IDEA_REF),
			 out_stage_label(b->pending_to));
		ui_prompt(app, label, text, reason_done, NULL, b);
	}
	idea_free(card);
}

/* A move: those that need a reason ask for it first. */
static void move_ask(struct app *app, struct board *b, struct idea *card,
		     enum stage to)
{
	if (!board_writable(app))
		return;
	if (to == STAGE_ON_HOLD || to == STAGE_ABANDONED) {
		b->pending_to = to;
		b->pending_key = card->key;
		b->pending_rev = idea_revision(card);
		snprintf(b->pending_ref, sizeof(b->pending_ref), "%s",
			 idea_get(card, IDEA_REF));
		char label[200];
		snprintf(label, sizeof(label), _("Reason (%s → %s):"),
			 idea_get(card, IDEA_REF), out_stage_label(to));
		ui_prompt(app, label, "", reason_done, NULL, b);
		return;
	}
	move_to(app, b, card, to, NULL);
}

static void pick_stage_done(struct app *app, void *ctx, int index)
{
	struct board *b = ctx;
	struct idea *card = cur_card(b);
	if (index < 0 || !card)
		return;
	move_ask(app, b, card, (enum stage)index);
}

static void search_changed(struct app *app, void *ctx, const char *text)
{
	struct board *b = ctx;
	free(b->search);
	b->search = xstrdup(text);
	board_refilter(app, b);
}

static void search_done(struct app *app, void *ctx, const char *text)
{
	struct board *b = ctx;
	if (!text) { /* Esc: back to the search there was before */
		free(b->search);
		b->search = b->search_before;
		b->search_before = NULL;
		board_refilter(app, b);
		return;
	}
	free(b->search_before);
	b->search_before = NULL;
	/* the text as typed: keys typed ahead were not each searched */
	free(b->search);
	b->search = xstrdup(text);
	board_refilter(app, b);
	/* Enter: to the first match, or say there is none */
	if (b->search && *b->search)
		search_first(app, b);
}

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
static void filter_clear_all(struct app *app, struct board *b)
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

static void pick_items_free(char **items, size_t n)
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
		msg_store_error(app, rc, &err);
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
	pick_items_free(items, count);
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
	pick_items_free(b->picked, b->npicked);
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
		msg_store_error(app, rc, &err);
		pick_items_free(all.v, all.n);
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
	pick_items_free(b->picked, b->npicked);
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
	pick_items_free(items, np + 1);
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
		filter_clear_all(app, b);
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
		filter_clear_all(app, b);
		return;
	}
	filter_set(b, b->unpick[index], NULL);
	board_refilter(app, b);
}

/* F: the search and filters on, one to remove, or all. */
static void unfilter_pick(struct app *app, struct board *b)
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

/* u and Ctrl-R: the person's own history, kept in the store's log, so
 * the board undoes what they did anywhere (another board, fai comment,
 * fai edit...) exactly as fai undo and fai redo do. */
static void undo_key(struct app *app, struct board *b, int redo)
{
	struct log_entry done;
	struct fai_err err;
	if (!board_writable(app))
		return;
	fai_err_clear(&err);
	memset(&done, 0, sizeof(done));
	int rc =
	    redo
		? store_redo(app->cli->store, &app->cli->actor, &done, &err)
		: store_undo(app->cli->store, &app->cli->actor, 0, &done, &err);
	if (rc == -FAI_ENOTHING) {
		ui_message(app, 0, "%s",
			   redo ? _("nothing to redo") : _("nothing to undo"));
		return;
	}
	if (rc) {
		msg_store_error(app, rc, &err);
		ui_changed(app);
		return;
	}
	struct buf what;
	buf_init(&what);
	cli_action_name(&what, &done, redo);
	ui_message(app, 0, redo ? _("redone: %s") : _("undone: %s"),
		   what.data ? what.data : "");
	buf_free(&what);
	uint64_t key = done.idea_key;
	log_entry_clear(&done);
	ui_changed(app);
	if (key)
		board_follow_own(app, b, key);
}

/* The $EDITOR round trip on the card key at revision rev (0: the current
 * one), from that version or (reopen) from the text kept when the last one
 * could not be saved.  A text refused again is remembered in its place; a
 * save forgets it. */
static void editor_run_on(struct app *app, struct board *b, uint64_t key,
			  uint64_t rev, int reopen)
{
	struct buf note;
	struct idea *card = NULL;
	struct cli_kept kept;
	struct fai_err err;
	char ref[24];
	fai_err_clear(&err);
	int rc = store_idea_get(app->cli->store, key, &card, &err);
	if (rc) {
		msg_store_error(app, rc, &err);
		ui_changed(app);
		return;
	}
	snprintf(ref, sizeof(ref), "%s", idea_get(card, IDEA_REF));
	idea_free(card);
	memset(&kept, 0, sizeof(kept));
	buf_init(&note);
	ui_suspend(app);
	rc = cli_edit_kept(app->cli, ref, rev, reopen ? &b->kept : NULL, &note,
			   &kept);
	ui_resume(app);
	if (kept.path) {
		cli_kept_clear(&b->kept);
		b->kept = kept;
		b->kept_key = key;
	} else if (kept.saved && b->kept_key == key) {
		cli_kept_clear(&b->kept);
		b->kept_key = 0;
	}
	ui_message(app, rc != CLI_OK, "%s", note.data ? note.data : "");
	buf_free(&note);
	ui_changed(app);
	board_follow_own(app, b, key);
}

static void editor_pick_done(struct app *app, void *ctx, int index)
{
	struct board *b = ctx;
	if (index == 0 || index == 1)
		editor_run_on(app, b, b->kept_key, 0, index == 0);
	else
		ui_message(app, 0, "%s", _("cancelled: nothing changed"));
}

static void editor_key(struct app *app, struct board *b, struct idea *card)
{
	if (!board_writable(app))
		return;
	if (b->kept.path && b->kept_key == card->key) {
		/* The text refused last time is not lost: offer it first. */
		const char *items[] = {
		    _("Reopen my kept text (the error at the top)"),
		    _("Start again from the current version"), _("Cancel")};
		ui_pick(app, _("Your last text for this idea was not saved"),
			items, 3, 0, editor_pick_done, b);
		return;
	}
	editor_run_on(app, b, card->key, idea_revision(card), 0);
}

/* --mouse: a click selects a card, a double click opens it. */
static void board_mouse(struct app *app, struct board *b)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || b->colw <= 0)
		return;
	int ci = b->first + ev.x / (b->colw + 1);
	if (ci >= b->ncols || ev.y < 2 || ev.y >= app->rows - 3 - b->banner_h)
		return;
	b->cur = ci;
	struct column *c = cur_col(b);
	size_t idx = c->offset + (size_t)((ev.y - 2) / BOARD_CARD_H);
	if (idx >= c->offset + col_shown(b, c))
		return;
	select_at(app, b, idx);
	if (ev.bstate & BUTTON1_DOUBLE_CLICKED) {
		struct idea *card = cur_card(b);
		if (card)
			ui_request_key(app, UI_REQ_OPEN_DETAIL, card->key);
	}
}

/* The board's commands: what its keys do. */
enum board_cmd {
	BC_NONE,
	BC_QUIT,
	BC_LEFT,
	BC_RIGHT,
	BC_TAB,
	BC_BACKTAB,
	BC_DOWN,
	BC_UP,
	BC_PAGE_DOWN,
	BC_PAGE_UP,
	BC_TOP,
	BC_BOTTOM,
	BC_DETAIL,
	BC_NEXT_STAGE,
	BC_PREV_STAGE,
	BC_MOVE,
	BC_CARD_DOWN,
	BC_CARD_UP,
	BC_NEW,
	BC_EDIT,
	BC_EDITOR,
	BC_COMMENT,
	BC_HOLD,
	BC_ABANDON,
	BC_UNDO,
	BC_REDO,
	BC_SEARCH,
	BC_NEXT_MATCH,
	BC_PREV_MATCH,
	BC_FILTER,
	BC_UNFILTER,
	BC_CLEAR_ALL,
	BC_SHOW_ALL,
	BC_REVIEW,
	BC_MESSAGES,
	BC_HELP,
};

#define FN(k) (UI_FN + KEY_##k)

/* The board's keys, once: board_key dispatches from this table and the
 * help (?) shows it.  Ctrl-L (redraw) is the loop's, listed here to be
 * seen in the help. */
static const struct ui_keyrow board_keys[] = {
    {N_("previous / next column"),
     {{FN(LEFT), BC_LEFT, 0},
      {FN(RIGHT), BC_RIGHT, 0},
      {'h', BC_LEFT, 0},
      {'l', BC_RIGHT, 0},
      {'\t', BC_TAB, 0},
      {FN(BTAB), BC_BACKTAB, 1}}},
    {N_("previous / next card"),
     {{FN(UP), BC_UP, 0},
      {FN(DOWN), BC_DOWN, 0},
      {'k', BC_UP, 0},
      {'j', BC_DOWN, 0}}},
    {N_("page up / down, top, bottom"),
     {{FN(PPAGE), BC_PAGE_UP, 0},
      {FN(NPAGE), BC_PAGE_DOWN, 0},
      {'g', BC_TOP, 0},
      {'G', BC_BOTTOM, 0},
      {FN(HOME), BC_TOP, 1},
      {FN(END), BC_BOTTOM, 1}}},
    {N_("the card's detail"),
     {{'\n', BC_DETAIL, 0}, {FN(ENTER), BC_DETAIL, 1}}},
    {N_("next / previous stage, or any stage; the selection follows"),
     {{'>', BC_NEXT_STAGE, 0}, {'<', BC_PREV_STAGE, 0}, {'m', BC_MOVE, 0}}},
    {N_("move the card down / up in its column"),
     {{'J', BC_CARD_DOWN, 0}, {'K', BC_CARD_UP, 0}}},
    {N_("new idea"), {{'+', BC_NEW, 0}, {'i', BC_NEW, 0}}},
    {N_("edit in a form / in $EDITOR"),
     {{'e', BC_EDIT, 0}, {'E', BC_EDITOR, 0}}},
    {N_("comment"), {{'c', BC_COMMENT, 0}}},
    {N_("hold / abandon with a reason; the selection follows"),
     {{'H', BC_HOLD, 0}, {'a', BC_ABANDON, 0}}},
    {N_("undo / redo"), {{'u', BC_UNDO, 0}, {UI_CTRL('r'), BC_REDO, 0}}},
    {N_("search all fields and comments, accents ignored; n / N: next / "
	"previous"),
     {{'/', BC_SEARCH, 0}, {'n', BC_NEXT_MATCH, 0}, {'N', BC_PREV_MATCH, 0}}},
    {N_("filters (they combine): add / remove one / clear all and the "
	"search"),
     {{'f', BC_FILTER, 0}, {'F', BC_UNFILTER, 0}, {'x', BC_CLEAR_ALL, 0}}},
    {N_("show or hide on hold and abandoned"), {{'z', BC_SHOW_ALL, 0}}},
    {N_("the weekly review ([ ] step a week)"), {{'r', BC_REVIEW, 0}}},
    {N_("the messages of this session, with their time"),
     {{'M', BC_MESSAGES, 0}}},
    {N_("this help, ? again: card marks / redraw the screen"),
     {{'?', BC_HELP, 0}, {UI_CTRL('l'), BC_NONE, 0}}},
    {N_("quit"), {{'q', BC_QUIT, 0}, {UI_CTRL('c'), BC_QUIT, 1}}},
};

#undef FN

#define BOARD_NKEYS (sizeof(board_keys) / sizeof(board_keys[0]))

/* The keys line at the foot of the board: rows of board_keys by command,
 * so its keys are the help's. */
static const struct ui_footkey board_footer[] = {
    {BC_HELP, 1, NC_("footer", "help")},
    {BC_LEFT, 2, NC_("footer", "column")},
    {BC_UP, 2, NC_("footer", "card")},
    {BC_DETAIL, 1, NC_("footer", "detail")},
    {BC_NEXT_STAGE, 2, NC_("footer", "move")},
    {BC_NEW, 1, NC_("footer", "new")},
    {BC_EDIT, 1, NC_("footer", "edit")},
    {BC_COMMENT, 1, NC_("footer", "comment")},
    {BC_SEARCH, 1, NC_("footer", "search")},
    {BC_FILTER, 1, NC_("footer", "filter")},
    {BC_UNDO, 1, NC_("footer", "undo")},
    {BC_QUIT, 1, NC_("footer", "quit")},
};

static void board_footer_text(struct buf *b, int width)
{
	buf_adds(b, "");
	ui_footer_keys(b, board_keys, BOARD_NKEYS, board_footer,
		       sizeof(board_footer) / sizeof(board_footer[0]), width);
}

const struct ui_keyrow *board_keys_table(size_t *n)
{
	*n = BOARD_NKEYS;
	return board_keys;
}

/* Fills the help's legend of what a card shows (draw_card), once: the
 * marks as the board draws them, each with its meaning; returns the lines. */
static size_t board_legend(struct app *app, struct board *b)
{
	static const char *const marks[BOARD_LEGEND] = {NULL, NULL, "CMe",
							N_("line 3")};
	long sd = b->set.stale_days;
	/* TRANSLATORS: days in stage on a card, keep it short: "12j". */
	snprintf(b->legend_days, sizeof(b->legend_days), _("%ldd"), 12L);
	snprintf(b->legend_text[0], sizeof(b->legend_text[0]),
		 ngettext("no move for %ld day: an idea gone quiet",
			  "no move for %ld days: an idea gone quiet",
			  (unsigned long)sd),
		 sd);
	snprintf(b->legend_text[1], sizeof(b->legend_text[1]), "%s",
		 _("days spent at the current stage"));
	snprintf(b->legend_text[2], sizeof(b->legend_text[2]), "%s",
		 _("the facilitator's initials, never shared"));
	snprintf(b->legend_text[3], sizeof(b->legend_text[3]), "%s",
		 _("reason (on hold, abandoned) or territory"));
	for (int i = 0; i < BOARD_LEGEND; i++) {
		b->legend[i].text = b->legend_text[i];
		b->legend[i].mark = marks[i] ? _(marks[i]) : "";
	}
	b->legend[0].mark = app->utf8 ? "⚑" : "!";
	b->legend[1].mark = b->legend_days;
	return BOARD_LEGEND;
}

static void board_key(struct app *app, void *st, int key)
{
	struct board *b = st;
	struct column *c = cur_col(b);
	struct idea *card = cur_card(b);
	size_t vis = (size_t)b->vis;

	app->msg[0] = '\0';
	if (key == UI_FN + KEY_MOUSE) {
		board_mouse(app, b);
		return;
	}
	enum board_cmd cmd = ui_keys_find(board_keys, BOARD_NKEYS, key);
	switch (cmd) {
	case BC_QUIT:
		ui_pop(app);
		return;
	case BC_LEFT:
	case BC_BACKTAB:
		b->cur = b->cur > 0 ? b->cur - 1
				    : (cmd == BC_BACKTAB ? b->ncols - 1 : 0);
		break;
	case BC_RIGHT:
	case BC_TAB:
		b->cur = b->cur + 1 < b->ncols ? b->cur + 1
					       : (cmd == BC_TAB ? 0 : b->cur);
		break;
	case BC_DOWN:
		select_at(app, b, c->sel + 1);
		break;
	case BC_UP:
		if (c->sel > 0)
			select_at(app, b, c->sel - 1);
		break;
	case BC_PAGE_DOWN:
		select_at(app, b, c->sel + vis);
		break;
	case BC_PAGE_UP:
		select_at(app, b, c->sel > vis ? c->sel - vis : 0);
		break;
	case BC_TOP:
		select_at(app, b, 0);
		break;
	case BC_BOTTOM:
		if (c->count)
			select_at(app, b, (size_t)c->count - 1);
		break;
	case BC_HELP: {
		struct ui_arg arg = {.help = board_keys,
				     .nhelp = BOARD_NKEYS,
				     .legend = b->legend,
				     .nlegend = board_legend(app, b)};
		ui_request(app, UI_REQ_HELP, &arg);
		break;
	}
	case BC_MESSAGES:
		ui_request(app, UI_REQ_MESSAGES, NULL);
		break;
	case BC_SHOW_ALL:
		b->show_all = !b->show_all;
		board_load(app, b);
		break;
	case BC_REVIEW: {
		struct ui_arg arg = {
		    .region = b->fvalue[FILTER_REGION],
		    .facilitator = b->fvalue[FILTER_FACILITATOR],
		    .facilitator_whole = b->fac_whole,
		};
		ui_request(app, UI_REQ_OPEN_REVIEW, &arg);
		break;
	}
	case BC_SEARCH:
		free(b->search_before);
		b->search_before = b->search ? xstrdup(b->search) : NULL;
		ui_prompt(app, "/", b->search ? b->search : "", search_done,
			  search_changed, b);
		break;
	case BC_FILTER: {
		const char *items[FILTER_COUNT] = {
		    _("Region"),      _("Theme"),
		    _("Facilitator"), _("Tag"),
		    _("Stale ideas"), _("Clear the search and all filters"),
		};
		ui_pick(app, _("Filter by"), items, FILTER_COUNT, 0,
			filter_pick_done, b);
		break;
	}
	case BC_UNFILTER:
		unfilter_pick(app, b);
		break;
	case BC_CLEAR_ALL:
		filter_clear_all(app, b);
		break;
	case BC_NEXT_MATCH:
	case BC_PREV_MATCH:
		search_step(app, b, cmd == BC_NEXT_MATCH ? 1 : -1);
		break;
	case BC_NEW:
		if (board_writable(app))
			ui_request_key(app, UI_REQ_OPEN_FORM, 0);
		break;
	default: /* the commands on a card, below */
		break;
	}
	/* The keys above may have reloaded the windows, freeing the card
	 * read before them: read it again. */
	card = cur_card(b);
	if (!card)
		return;
	enum stage stg = idea_stage(card);
	switch (cmd) {
	case BC_DETAIL:
		ui_request_key(app, UI_REQ_OPEN_DETAIL, card->key);
		break;
	case BC_NEXT_STAGE:
		if (stg == STAGE_LAUNCHED || !stage_is_pipeline(stg))
			ui_message(
			    app, 1, "%s",
			    _("no next stage from here; use m to pick one"));
		else
			move_ask(app, b, card, (enum stage)(stg + 1));
		break;
	case BC_PREV_STAGE:
		if (stg == STAGE_NEED || !stage_is_pipeline(stg))
			ui_message(app, 1, "%s",
				   _("no previous stage from here; use m to "
				     "pick one"));
		else
			move_ask(app, b, card, (enum stage)(stg - 1));
		break;
	case BC_MOVE: {
		const char *items[STAGE_COUNT];
		if (!board_writable(app))
			break; /* say so before the picker, not after */
		for (int i = 0; i < STAGE_COUNT; i++)
			items[i] = out_stage_label(i);
		ui_pick(app, _("Move to"), items, STAGE_COUNT, (size_t)stg,
			pick_stage_done, b);
		break;
	}
	case BC_ABANDON:
		move_ask(app, b, card, STAGE_ABANDONED);
		break;
	case BC_HOLD:
		move_ask(app, b, card, STAGE_ON_HOLD);
		break;
	case BC_CARD_DOWN:
	case BC_CARD_UP: {
		struct fai_err err;
		if (!board_writable(app))
			break;
		fai_err_clear(&err);
		uint64_t k = card->key;
		int rc = store_idea_reorder(app->cli->store, &app->cli->actor,
					    idea_get(card, IDEA_REF),
					    cmd == BC_CARD_DOWN ? 1 : -1,
					    idea_revision(card), NULL, &err);
		if (rc == -FAI_ENOTHING)
			break;
		action_done(app, b, rc, &err, k,
			    cmd == BC_CARD_DOWN ? _("moved down")
						: _("moved up"));
		break;
	}
	case BC_EDIT:
		if (board_writable(app))
			ui_request_key(app, UI_REQ_OPEN_FORM, card->key);
		break;
	case BC_EDITOR:
		editor_key(app, b, card);
		break;
	case BC_COMMENT:
		comment_ask(app, card->key);
		break;
	case BC_UNDO:
		undo_key(app, b, 0);
		break;
	case BC_REDO:
		undo_key(app, b, 1);
		break;
	default: /* the commands above */
		break;
	}
}

static void board_refresh(struct app *app, void *st)
{
	struct board *b = st;
	struct idea *card = cur_card(b);
	uint64_t key = card ? card->key : 0;
	board_load(app, b);
	/* The selection stays on the same card, wherever it went (after the
	 * person's own moves too: action_done follows the card). */
	if (key)
		board_follow(app, b, key);
}

static void board_close(struct app *app, void *st)
{
	struct board *b = st;
	(void)app;
	for (int i = 0; i < STAGE_COUNT; i++)
		col_clear(&b->cols[i]);
	free(b->search);
	free(b->search_before);
	for (int i = 0; i < FILTER_NVALUES; i++)
		free(b->fvalue[i]);
	pick_items_free(b->picked, b->npicked);
	cli_kept_clear(&b->kept);
	card_names_free(b->names);
	text_index_free(&b->tix);
	free(b->base);
	free(b->base_sorted);
	free(b->base_sig);
	free(b);
}

/* The follow requests of the screens above (a card saved in the form, an
 * idea chosen in the review). */
static int board_request(struct app *app, void *st, enum ui_req req,
			 const struct ui_arg *arg)
{
	if (req != UI_REQ_FOLLOW)
		return 0;
	board_follow_own(app, st, arg->key);
	return 1;
}

static const struct screen_ops board_ops = {
    .name = "board",
    .draw = board_draw,
    .key = board_key,
    .close = board_close,
    .reload = board_refresh,
    .request = board_request,
    .idle = board_idle,
    .msg_lines = 2,
};

void board_open(struct app *app)
{
	struct board *b = xcalloc(1, sizeof(*b));
	b->app = app;
	text_index_init(&b->tix);
	for (int i = 0; i < STAGE_COUNT; i++)
		b->cols[i].stage = (enum stage)i;
	const char *slash = strrchr(app->cli->db, '/');
	snprintf(b->store_name, sizeof(b->store_name), "%s",
		 slash && slash[1] ? slash + 1 : app->cli->db);
	ui_push(app, &board_ops, b);
	board_load(app, b);
}
