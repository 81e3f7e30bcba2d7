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
 * (ui_request); the board answers the loop's follow requests.
 *
 * This file is the screen: its operations, the search's Enter, n and N,
 * the actions (moves, undo, the editor) and the key table that dispatches
 * them.  The columns and the selection are board_column.c's, the filters
 * and their banner board_filter.c's, the drawing board_draw.c's; what
 * they share is board_int.h. */
#include "board.h"

#include <stdlib.h>
#include <string.h>

#include "../core/card.h"
#include "../core/textindex.h"
#include "board_int.h"
#include "comment.h"
#include "i18n.h"
#include "out.h"

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
			board_select_at(app, b, 0);
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
	struct column *c = board_cur_col(b);
	if (dir > 0 && c->count && c->sel + 1 < c->count) {
		board_select_at(app, b, c->sel + 1);
		return;
	}
	if (dir < 0 && c->count && c->sel > 0) {
		board_select_at(app, b, c->sel - 1);
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
		board_select_at(app, b, dir > 0 ? 0 : (size_t)n->count - 1);
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
	struct idea *card = board_cur_card(b);
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

/* ------------------------------------------------------------ actions */

/* Shows the result of an action and follows the card. */
static void action_done(struct app *app, struct board *b, int rc,
			struct fai_err *err, uint64_t key, const char *ok)
{
	if (rc) {
		board_msg_store_error(app, rc, err);
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
	struct idea *card = board_cur_card(b);
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
		board_msg_store_error(app, rc, &err);
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
		board_msg_store_error(app, rc, &err);
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

/* ------------------------------------------------------------ keys */

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
	struct column *c = board_cur_col(b);
	size_t idx = c->offset + (size_t)((ev.y - 2) / BOARD_CARD_H);
	if (idx >= c->offset + col_shown(b, c))
		return;
	board_select_at(app, b, idx);
	if (ev.bstate & BUTTON1_DOUBLE_CLICKED) {
		struct idea *card = board_cur_card(b);
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

void board_footer_text(struct buf *b, int width)
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

static void board_key(struct app *app, void *st, int key)
{
	struct board *b = st;
	struct column *c = board_cur_col(b);
	struct idea *card = board_cur_card(b);
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
		board_select_at(app, b, c->sel + 1);
		break;
	case BC_UP:
		if (c->sel > 0)
			board_select_at(app, b, c->sel - 1);
		break;
	case BC_PAGE_DOWN:
		board_select_at(app, b, c->sel + vis);
		break;
	case BC_PAGE_UP:
		board_select_at(app, b, c->sel > vis ? c->sel - vis : 0);
		break;
	case BC_TOP:
		board_select_at(app, b, 0);
		break;
	case BC_BOTTOM:
		if (c->count)
			board_select_at(app, b, (size_t)c->count - 1);
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
	case BC_FILTER:
		board_filter_pick(app, b);
		break;
	case BC_UNFILTER:
		board_unfilter_pick(app, b);
		break;
	case BC_CLEAR_ALL:
		board_filter_clear_all(app, b);
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
	card = board_cur_card(b);
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
	struct idea *card = board_cur_card(b);
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
	board_pick_items_free(b->picked, b->npicked);
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
