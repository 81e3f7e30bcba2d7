/* board_column.c - the board's columns: loading them and moving the
 * selection (board.c is the screen; board_int.h says what is shared).
 *
 * Each column keeps only the cards on screen (a window) and its position:
 * the absolute index of the first visible card and of the selected one.
 * Scrolling asks the store for the next or previous page from the window's
 * edge, so a key costs O(cards on screen) at 10² or 10⁶ ideas.  A search or
 * filter instead keeps the keys of every matching card of each column
 * (board_filter.c places them), and reads a card when it is shown.  This
 * file also owns what the board reads beside the columns: the settings,
 * the facilitators' unique initials and the search's text index (those two
 * when the board is idle), and following a card wherever it went. */
#include <stdlib.h>
#include <string.h>

#include "../core/card.h"
#include "../core/textindex.h"
#include "../core/utf8.h"
#include "board_int.h"

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

/* ------------------------------------------------------------ loading */

static void ideas_free(struct idea **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		idea_free(v[i]);
	free(v);
}

void col_clear(struct column *c)
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
struct idea *col_card(const struct board *b, struct column *c, size_t i)
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

size_t col_shown(const struct board *b, const struct column *c)
{
	if (c->all) {
		size_t left = c->nall > c->offset ? c->nall - c->offset : 0;
		return left < (size_t)b->vis ? left : (size_t)b->vis;
	}
	return c->nwin;
}

void board_msg_store_error(struct app *app, int rc, struct fai_err *err)
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
		board_msg_store_error(app, rc, &err);
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
		board_msg_store_error(app, rc, &err);
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

void board_idle(struct app *app, void *st)
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
void board_load(struct app *app, struct board *b)
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
		board_msg_store_error(app, rc, &err);
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
				board_msg_store_error(app, rc, &err);
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
		b->banner_h = board_banner_layout(
		    b, app->cols, board_banner_max(app), &lines);
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

struct column *board_cur_col(struct board *b)
{
	return &b->cols[b->cur];
}

struct idea *board_cur_card(struct board *b)
{
	struct column *c = board_cur_col(b);
	return c->count ? col_card(b, c, c->sel) : NULL;
}

/* Moves the selection of the current column to absolute index to. */
void board_select_at(struct app *app, struct board *b, size_t to)
{
	struct column *c = board_cur_col(b);
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
void board_refilter(struct app *app, struct board *b)
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
void board_follow(struct app *app, struct board *b, uint64_t key)
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
