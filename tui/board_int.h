/* board_int.h - what the pieces of the board share, included by them only
 * (tui/board*.c): the board's state (struct board and its columns), the
 * kinds of filter, and the functions one piece calls in another.
 * board.c is the screen (its operations, keys and actions, the search's
 * n and N); board_column.c loads the columns and moves the selection;
 * board_filter.c holds the filters, their banner and the filtered load;
 * board_draw.c draws the board and the help's legend. */
#ifndef FAI_TUI_BOARD_INT_H
#define FAI_TUI_BOARD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/card.h"
#include "../core/textindex.h"
#include "ui.h"

#define BOARD_CARD_H 3 /* lines per card */
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

/* board_column.c: the columns and the selection */

/* Frees the column's cards and keys (not its position). */
void col_clear(struct column *c);
/* Returns the card at absolute index i (filtered: read now when it was
 * not yet), or NULL when not loaded (or gone); the column owns it. */
struct idea *col_card(const struct board *b, struct column *c, size_t i);
/* Returns how many cards of the column are on screen. */
size_t col_shown(const struct board *b, const struct column *c);
/* Says the store's error rc (err's facts) in the message line. */
void board_msg_store_error(struct app *app, int rc, struct fai_err *err);
/* Recomputes the geometry and reloads every column. */
void board_load(struct app *app, struct board *b);
/* The loop's idle call: reads what the board reads when idle (the unique
 * initials, the search's text index). */
void board_idle(struct app *app, void *st);
/* The current column, and its selected card (NULL when empty). */
struct column *board_cur_col(struct board *b);
struct idea *board_cur_card(struct board *b);
/* Moves the selection of the current column to absolute index to. */
void board_select_at(struct app *app, struct board *b, size_t to);
/* Reloads the board after a change of search or filter, keeping each
 * column's selected card when still shown. */
void board_refilter(struct app *app, struct board *b);
/* Selects the card key wherever it is (z on when it went there). */
void board_follow(struct app *app, struct board *b, uint64_t key);

/* board_filter.c: the filters, their banner and the filtered load */

/* Returns 1 when a search or a filter is on. */
int board_filtered(const struct board *b);
/* Returns 1 when a filter other than the search is on. */
int board_narrowed(const struct board *b);
/* The most lines the banner may take: the board keeps one card. */
int board_banner_max(const struct app *app);
/* Lays the banner out in width cells into lines (reset first), its lines
 * joined by '\n'; returns their number, at most max, or 0 when no search
 * or filter is on. */
int board_banner_layout(const struct board *b, int width, int max,
			struct buf *lines);
/* Makes b->base the ideas the filters but the search keep (one pass over
 * the store unless the filters and the store are as they were). */
void board_base(struct app *app, struct board *b);
/* Puts each hit in its stage's column; the others are counted offboard. */
void board_place(struct board *b, const struct text_hit *hits, size_t n);
/* f, F and x: the pickers of a filter to add, of one to remove, and
 * clearing the search and every filter. */
void board_filter_pick(struct app *app, struct board *b);
void board_unfilter_pick(struct app *app, struct board *b);
void board_filter_clear_all(struct app *app, struct board *b);
/* Frees n strings and their array (NULL too). */
void board_pick_items_free(char **items, size_t n);

/* board_draw.c: drawing */

/* The screen's draw operation: columns, banner, status and key lines. */
void board_draw(struct app *app, void *st);
/* Fills b's legend of the marks on a card for the help; returns its
 * lines. */
size_t board_legend(struct app *app, struct board *b);

/* board.c */

/* Appends the keys line at the foot of the board, fitted to width. */
void board_footer_text(struct buf *b, int width);

#endif
