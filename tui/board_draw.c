/* board_draw.c - drawing the board: the columns with their headers and
 * cards (core/card.h says what a card shows), the banner of the search and
 * filters, the status line with the message, the keys line; and the help's
 * legend of the marks on a card.  It reads struct board and changes only
 * what the drawing decides (the first column shown, the geometry the mouse
 * reads, the lines the banner and the message take). */
#include <stdlib.h>
#include <string.h>

#include "../core/card.h"
#include "../core/utf8.h"
#include "board_int.h"
#include "i18n.h"
#include "out.h"

#define BOARD_MIN_COL 18 /* narrowest column, in cells */

/* ------------------------------------------------------------ drawing */

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

void board_draw(struct app *app, void *st)
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
	b->banner_h =
	    board_banner_layout(b, app->cols, board_banner_max(app), &ban);

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

/* Fills the help's legend of what a card shows (draw_card), once: the
 * marks as the board draws them, each with its meaning; returns the lines. */
size_t board_legend(struct app *app, struct board *b)
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
