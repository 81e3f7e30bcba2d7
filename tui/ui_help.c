/* ui_help.c - the keys of a screen as a person reads them: a screen's key
 * table (struct ui_keyrow) looked up for its key switch (ui_keys_find),
 * named ("← → h l Tab"), packed into its keys line (ui_footer_keys), and
 * drawn whole in the help overlay (?), with the legend of the screen's
 * marks on a second page.
 *
 * The help overlay borrows the rows and legend of the screen that asked
 * (UI_REQ_HELP) while it is open; its lines are wrapped anew at each
 * draw, so a resize needs nothing. */
#include "ui_int.h"

#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"
#include "i18n.h"

/* ------------------------------------------------------------ key tables */

int ui_keys_find(const struct ui_keyrow *rows, size_t n, int key)
{
	for (size_t i = 0; i < n; i++)
		for (const struct ui_binding *b = rows[i].keys; b->key; b++)
			if (b->key == key)
				return b->cmd;
	return 0;
}

/* The name of a key as the help writes it. */
static void help_key_name(int key, char *out, size_t size)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
	    {UI_FN + KEY_LEFT, "←"},
	    {UI_FN + KEY_RIGHT, "→"},
	    {UI_FN + KEY_UP, "↑"},
	    {UI_FN + KEY_DOWN, "↓"},
	    {UI_FN + KEY_PPAGE, NC_("key", "PgUp")},
	    {UI_FN + KEY_NPAGE, NC_("key", "PgDn")},
	    {UI_FN + KEY_HOME, NC_("key", "Home")},
	    {UI_FN + KEY_END, NC_("key", "End")},
	    {UI_FN + KEY_BTAB, NC_("key", "Shift-Tab")},
	    {UI_FN + KEY_ENTER, NC_("key", "Enter")},
	    {'\n', NC_("key", "Enter")},
	    {'\t', NC_("key", "Tab")},
	    {UI_ESC, NC_("key", "Esc")},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key) {
			const char *n = names[i].name;
			if (!strchr(n, '\004')) /* the arrows: no words */
				snprintf(out, size, "%s", n);
			else
				snprintf(out, size, "%s", i18n_pgettext(n));
			return;
		}
	if (key >= 1 && key <= 26)
		snprintf(out, size, "Ctrl-%c", 'A' + key - 1);
	else if (key > ' ' && key < 127)
		snprintf(out, size, "%c", key);
	else
		snprintf(out, size, "?");
}

void ui_keys_shown(const struct ui_keyrow *row, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (const struct ui_binding *b = row->keys; b->key; b++) {
		char name[32];
		if (b->hidden)
			continue;
		help_key_name(b->key, name, sizeof(name));
		int w = snprintf(out + n, size - n, "%s%s", n ? " " : "", name);
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
}

void ui_footer_keys(struct buf *b, const struct ui_keyrow *rows, size_t n,
		    const struct ui_footkey *foot, size_t nfoot, int width)
{
	char **item = xcalloc(nfoot ? nfoot : 1, sizeof(*item));
	size_t nitem = 0, total = 0;
	for (size_t f = 0; f < nfoot; f++) {
		const struct ui_keyrow *row = NULL;
		for (size_t i = 0; i < n && !row; i++)
			for (const struct ui_binding *k = rows[i].keys; k->key;
			     k++)
				if (k->cmd == foot[f].cmd)
					row = &rows[i];
		if (!row)
			continue; /* a key taken out of the table */
		struct buf one;
		buf_init(&one);
		int shown = 0, prev_arrow = 0;
		for (const struct ui_binding *k = row->keys;
		     k->key && shown < foot[f].nkeys; k++) {
			char name[32];
			if (k->hidden)
				continue;
			help_key_name(k->key, name, sizeof(name));
			int arrow = k->key >= UI_FN + KEY_DOWN &&
				    k->key <= UI_FN + KEY_RIGHT;
			if (shown && !(arrow && prev_arrow))
				buf_adds(&one, " ");
			buf_adds(&one, name);
			prev_arrow = arrow;
			shown++;
		}
		buf_printf(&one, ":%s", i18n_pgettext(foot[f].word));
		total += utf8_width(one.data) + (nitem ? 2 : 0);
		item[nitem++] = one.data;
	}
	/* Too long: the items before the last go, from the end, whole (the
	 * help has them all; the first and the last, help and quit, stay):
	 * the line is never cut inside a word. */
	while (width > 0 && total > (size_t)width && nitem > 2) {
		total -= utf8_width(item[nitem - 2]) + 2;
		free(item[nitem - 2]);
		item[nitem - 2] = item[nitem - 1];
		nitem--;
	}
	for (size_t i = 0; i < nitem; i++) {
		buf_adds(b, i ? "  " : "");
		buf_adds(b, item[i]);
		free(item[i]);
	}
	free(item);
}

/* ------------------------------------------------------------ help overlay */

/* The help overlay: the keys of the screen that asked, each row's keys and
 * sentence wrapped in two columns by display width (ui_wrap), so a narrow
 * terminal (40x15) reads every word; it scrolls with ↑ ↓ by line when the
 * lines do not fit.  ? in it turns to the legend of the screen's marks
 * (what a card shows) and back. */
struct help {
	const struct ui_keyrow *rows;
	size_t n;
	const struct ui_legend *legend;
	size_t nlegend;
	int page;      /* 0: the keys, 1: the legend */
	size_t top;    /* the first line shown */
	size_t nlines; /* lines of the last draw */
	size_t shown;  /* lines that fit, from the last draw */
};

/* One line of the help: borrowed from a row's keys and sentence. */
struct help_line {
	char keys[128]; /* at most 24 cells */
	char text[320]; /* at most 67 cells */
};

/* Copies text[0..len) into out of size bytes, cut at a code point when it
 * does not fit (never reached: the widths bound the lines). */
static void help_copy(char *out, size_t size, const char *text, size_t len)
{
	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(out, text, len);
	out[len] = '\0';
}

struct help_lines {
	struct help_line *v;
	size_t n, cap;
	size_t row_start; /* the first line of the row being wrapped */
	int col;	  /* 0: the keys, 1: the sentence */
};

static int help_line_add(void *ctx, int i, const char *text, size_t len)
{
	struct help_lines *hl = ctx;
	size_t at = hl->row_start + (size_t)i;
	while (at >= hl->n) {
		if (hl->n == hl->cap) {
			hl->cap = hl->cap ? hl->cap * 2 : 32;
			hl->v = xrealloc(hl->v, hl->cap * sizeof(*hl->v));
		}
		memset(&hl->v[hl->n], 0, sizeof(hl->v[0]));
		hl->n++;
	}
	if (hl->col)
		help_copy(hl->v[at].text, sizeof(hl->v[at].text), text, len);
	else
		help_copy(hl->v[at].keys, sizeof(hl->v[at].keys), text, len);
	return 0;
}

static int help_hint_line(void *ctx, int i, const char *text, size_t len)
{
	char(*hint)[320] = ctx;
	help_copy(hint[i], sizeof(hint[i]), text, len);
	return 0;
}

static void help_draw(struct app *app, void *st)
{
	struct help *hp = st;
	struct help_lines hl = {0};
	char shown[96], hint[3][320];
	int w = app->cols < 80 ? app->cols : 80, kw = 0;
	size_t nrows = hp->page ? hp->nlegend : hp->n;
	for (size_t i = 0; i < nrows; i++) {
		const char *left = shown;
		if (hp->page)
			left = hp->legend[i].mark;
		else
			ui_keys_shown(&hp->rows[i], shown, sizeof(shown));
		int sw = (int)utf8_width(left);
		if (sw > kw)
			kw = sw;
	}
	/* The keys take at most a third of a narrow box: the sentences
	 * need the room more. */
	int kmax = w >= 60 ? 24 : (w - 5) / 3;
	if (kw > kmax)
		kw = kmax;
	if (kw < 1)
		kw = 1;
	int tw = w - 5 - kw;
	for (size_t i = 0; i < nrows; i++) {
		const char *left = shown, *text;
		if (hp->page) {
			left = hp->legend[i].mark;
			text = hp->legend[i].text;
		} else {
			ui_keys_shown(&hp->rows[i], shown, sizeof(shown));
			text = _(hp->rows[i].text);
		}
		hl.row_start = hl.n;
		hl.col = 0;
		ui_wrap(left, kw, -1, help_line_add, &hl);
		hl.col = 1;
		ui_wrap(text, tw, -1, help_line_add, &hl);
	}
	hp->nlines = hl.n;
	int h = app->rows;
	int nhint = 0;
	for (int pass = 0; pass < 2; pass++) {
		int more = pass == 1 || hp->nlines + 3 + 1 > (size_t)h;
		nhint = ui_wrap(more ? _("↑ ↓ to scroll; any other key closes "
					 "this help.")
				     : _("Press any key to close this help."),
				w - 4, 3, help_hint_line, hint);
		if ((int)hp->nlines + 3 + nhint <= h || pass == 1)
			break;
	}
	if ((int)hp->nlines + 3 + nhint < h)
		h = (int)hp->nlines + 3 + nhint;
	hp->shown = h > 3 + nhint ? (size_t)(h - 3 - nhint) : 1;
	if (hp->top + hp->shown > hp->nlines)
		hp->top = hp->nlines > hp->shown ? hp->nlines - hp->shown : 0;
	int y = (app->rows - h) / 2, x = (app->cols - w) / 2;
	ui_box(app, y, x, h, w,
	       hp->page	     ? _("On the cards (?: the keys)")
	       : hp->nlegend ? _("Keys (?: card marks)")
			     : _("Keys"));
	for (size_t i = 0; i < hp->shown && hp->top + i < hp->nlines; i++) {
		const struct help_line *l = &hl.v[hp->top + i];
		ui_text(app, y + 1 + (int)i, x + 2, kw, l->keys,
			ui_attr(app, UI_HEADER), 1);
		ui_text(app, y + 1 + (int)i, x + 3 + kw, tw, l->text, A_NORMAL,
			0);
	}
	for (int i = 0; i < nhint; i++)
		ui_text(app, y + h - 1 - nhint + i, x + 2, w - 4, hint[i],
			ui_attr(app, UI_DIM), 0);
	free(hl.v);
}

static void help_key(struct app *app, void *st, int key)
{
	struct help *hp = st;
	if (key == '?' && hp->nlegend) {
		hp->page = !hp->page;
		hp->top = 0;
		return;
	}
	size_t max = hp->nlines > hp->shown ? hp->nlines - hp->shown : 0;
	if (hp->shown < hp->nlines &&
	    (key == UI_FN + KEY_DOWN || key == 'j' || key == UI_FN + KEY_UP ||
	     key == 'k' || key == UI_FN + KEY_NPAGE || key == ' ' ||
	     key == UI_FN + KEY_PPAGE)) {
		ui_scroll_key(key, &hp->top, max, hp->shown);
		return;
	}
	ui_pop(app);
}

static void help_close(struct app *app, void *st)
{
	(void)app;
	free(st);
}

static const struct screen_ops help_ops = {
    .name = "help",
    .draw = help_draw,
    .key = help_key,
    .close = help_close,
    .overlay = 1,
};

void ui_help_open(struct app *app, const struct ui_arg *arg)
{
	struct help *hp = xcalloc(1, sizeof(*hp));
	hp->rows = arg->help;
	hp->n = arg->nhelp;
	hp->legend = arg->legend;
	hp->nlegend = arg->legend ? arg->nlegend : 0;
	ui_push(app, &help_ops, hp);
}
