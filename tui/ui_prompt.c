/* ui_prompt.c - the loop's widgets that take text or a choice: the line
 * editor (a UTF-8 buffer and a byte cursor, shared with the form), the
 * prompt of one line or several, and the picker.
 *
 * The prompt and the picker are overlays pushed on the stack (their own
 * screen_ops): they own their copies of the label, text and items, and
 * call the caller's done once, after popping themselves, with the text
 * or index (NULL or -1 when cancelled). */
#include "ui_int.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/utf8.h"
#include "i18n.h"

/* ------------------------------------------------------------ line editor */

void ui_line_set(struct ui_line *l, const char *s)
{
	buf_reset(&l->text);
	buf_adds(&l->text, s ? s : "");
	l->cursor = l->text.len;
}

void ui_line_free(struct ui_line *l)
{
	buf_free(&l->text);
}

/* Returns the offset of the code point before / after off. */
static size_t cp_prev(const struct buf *b, size_t off)
{
	while (off > 0 && ((unsigned char)b->data[--off] & 0xc0) == 0x80)
		;
	return off;
}

static size_t cp_next(const struct buf *b, size_t off)
{
	if (off >= b->len)
		return b->len;
	off++;
	while (off < b->len && ((unsigned char)b->data[off] & 0xc0) == 0x80)
		off++;
	return off;
}

static void line_delete(struct ui_line *l, size_t from, size_t to)
{
	memmove(l->text.data + from, l->text.data + to, l->text.len - to + 1);
	l->text.len -= to - from;
}

int ui_line_key(struct ui_line *l, int key)
{
	struct buf *b = &l->text;
	if (!b->data)
		buf_adds(b, "");
	switch (key) {
	case UI_FN + KEY_LEFT:
	case UI_CTRL('b'):
		l->cursor = cp_prev(b, l->cursor);
		return 1;
	case UI_FN + KEY_RIGHT:
	case UI_CTRL('f'):
		l->cursor = cp_next(b, l->cursor);
		return 1;
	case UI_FN + KEY_HOME:
	case UI_CTRL('a'):
		l->cursor = 0;
		return 1;
	case UI_FN + KEY_END:
	case UI_CTRL('e'):
		l->cursor = b->len;
		return 1;
	case UI_FN + KEY_BACKSPACE:
	case 127:
	case UI_CTRL('h'):
		if (l->cursor > 0) {
			size_t p = cp_prev(b, l->cursor);
			line_delete(l, p, l->cursor);
			l->cursor = p;
		}
		return 1;
	case UI_FN + KEY_DC:
	case UI_CTRL('d'):
		if (l->cursor < b->len)
			line_delete(l, l->cursor, cp_next(b, l->cursor));
		return 1;
	case UI_CTRL('u'):
		line_delete(l, 0, l->cursor);
		l->cursor = 0;
		return 1;
	case UI_CTRL('k'):
		b->len = l->cursor;
		b->data[b->len] = '\0';
		return 1;
	case UI_CTRL('w'): {
		size_t p = l->cursor;
		while (p > 0 && b->data[p - 1] == ' ')
			p--;
		while (p > 0 && b->data[p - 1] != ' ')
			p--;
		line_delete(l, p, l->cursor);
		l->cursor = p;
		return 1;
	}
	}
	if (key >= UI_FN || key < 0x20 || key == 0x7f ||
	    (key >= 0x80 && key < 0xa0) || key > 0x10ffff)
		return 0;
	struct buf enc;
	buf_init(&enc);
	utf8_encode(&enc, (uint32_t)key);
	size_t tail = b->len - l->cursor;
	buf_add(b, enc.data, enc.len); /* grow, then shift the tail */
	memmove(b->data + l->cursor + enc.len, b->data + l->cursor, tail);
	memcpy(b->data + l->cursor, enc.data, enc.len);
	b->data[b->len] = '\0';
	l->cursor += enc.len;
	buf_free(&enc);
	return 1;
}

void ui_line_draw(struct app *app, struct ui_line *l, int y, int x, int width,
		  attr_t attr, int focused)
{
	const char *s = l->text.data ? l->text.data : "";
	/* Scroll so the cursor stays inside: drop code points from the left
	 * until the text before the cursor fits. */
	size_t start = 0;
	struct buf head;
	buf_init(&head);
	for (;;) {
		buf_reset(&head);
		utf8_safe(&head, s + start, l->cursor - start,
			  UTF8_SAFE_ONELINE);
		if ((int)utf8_width(head.data ? head.data : "") < width ||
		    start >= l->cursor)
			break;
		start = cp_next(&l->text, start);
	}
	int cx = (int)utf8_width(head.data ? head.data : "");
	buf_free(&head);
	ui_text(app, y, x, width, s + start, attr, 1);
	if (focused) {
		leaveok(stdscr, FALSE);
		move(y, x + (cx < width ? cx : width - 1));
		curs_set(1);
	}
}

/* ------------------------------------------------------------ prompt */

struct prompt {
	char *label;
	struct ui_line line;
	void (*done)(struct app *, void *, const char *);
	void (*changed)(struct app *, void *, const char *);
	void *ctx;
	int multiline; /* UI_NEWLINE adds a new line */
	char *said;    /* the text changed last saw: the initial one at first */
};

/* The lines of text a multiline prompt shows (nl: its lines, *cur: the
 * cursor's line), as many as fit around the cursor's. */
static size_t prompt_text_lines(const struct app *app, const struct prompt *p,
				size_t *nl, size_t *cur)
{
	const char *s = p->line.text.data ? p->line.text.data : "";
	*nl = 1;
	*cur = 0;
	for (size_t i = 0; i < p->line.text.len; i++)
		if (s[i] == '\n') {
			(*nl)++;
			if (i < p->line.cursor)
				(*cur)++;
		}
	size_t room = app->rows > 3 ? (size_t)app->rows - 3 : 1;
	return *nl < room ? *nl : room;
}

/* Whether a one-line prompt's label leaves the text room beside it; else
 * the label takes lines of its own above the text, wrapped, never cut. */
static int prompt_label_beside(const struct app *app, const struct prompt *p)
{
	return p->label && (int)utf8_width(p->label) + 21 <= app->cols;
}

/* The lines a prompt takes above the keys line: its label (wrapped) and
 * its text.  The board puts a message above them (app->foot_busy). */
static int prompt_height(const struct app *app, const struct prompt *p)
{
	char **vec = NULL;
	size_t n = 0, nl, cur;
	if (!p->multiline && prompt_label_beside(app, p))
		return 1;
	ui_wrap_vec(p->label, app->cols, 0, &vec, &n);
	ui_wrap_free(vec, n);
	int text = p->multiline ? (int)prompt_text_lines(app, p, &nl, &cur) : 1;
	int h = (int)n + text;
	return h < app->rows - 1 ? h : app->rows - 1;
}

/* Draws the label of a prompt wrapped from row y, in at most max lines. */
static void prompt_label_draw(struct app *app, const struct prompt *p, int y,
			      int max)
{
	char **vec = NULL;
	size_t n = 0;
	ui_wrap_vec(p->label, app->cols, 0, &vec, &n);
	for (size_t i = 0; i < n && (int)i < max; i++)
		ui_text(app, y + (int)i, 0, app->cols, vec[i], A_BOLD, 1);
	ui_wrap_free(vec, n);
}

/* A prompt of several lines: the label on lines of its own, then the
 * text's lines, as many as fit above the footer around the cursor's. */
static void prompt_lines_draw(struct app *app, struct prompt *p)
{
	const char *s = p->line.text.data ? p->line.text.data : "";
	size_t len = p->line.text.len, nl, cur, first = 0;
	size_t shown = prompt_text_lines(app, p, &nl, &cur);
	if (cur >= shown)
		first = cur - shown + 1;
	int h = prompt_height(app, p);
	int y = app->rows - 2 - (int)shown; /* the label's last line */
	prompt_label_draw(app, p, app->rows - 1 - h, h - (int)shown);
	ui_text(app, app->rows - 1, 0, app->cols,
		_("Enter: confirm   Ctrl-J or Alt-Enter: new line   "
		  "Esc: cancel"),
		ui_attr(app, UI_DIM), 1);
	struct ui_line at; /* the cursor's line, drawn last: it keeps the
			      terminal's cursor */
	int at_y = -1;
	buf_init(&at.text);
	at.cursor = 0;
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		int row = y + 1 + (int)(k - first);
		if (k == cur) {
			buf_add(&at.text, s + start, i - start);
			at.cursor = p->line.cursor - start;
			at_y = row;
		} else if (k >= first && k < first + shown) {
			char *one = xstrndup(s + start, i - start);
			ui_text(app, row, 0, app->cols, one, A_NORMAL, 1);
			free(one);
		}
		k++;
		start = i + 1;
	}
	if (!at.text.data)
		buf_adds(&at.text, "");
	ui_line_draw(app, &at, at_y, 0, app->cols, A_NORMAL, 1);
	ui_line_free(&at);
}

static void prompt_draw(struct app *app, void *st)
{
	struct prompt *p = st;
	int y = app->rows - 2;
	if (p->multiline) {
		prompt_lines_draw(app, p);
		return;
	}
	int n = 0;
	if (prompt_label_beside(app, p)) {
		n = ui_text(app, y, 0, app->cols, p->label, A_BOLD, 0);
		ui_text(app, y, n, 1, " ", A_NORMAL, 1);
		n++;
	} else {
		int h = prompt_height(app, p);
		prompt_label_draw(app, p, app->rows - 1 - h, h - 1);
	}
	ui_line_draw(app, &p->line, y, n, app->cols - n, A_NORMAL, 1);
	ui_text(app, app->rows - 1, 0, app->cols,
		_("Enter: confirm   Esc: cancel   Ctrl-U: clear"),
		ui_attr(app, UI_DIM), 1);
}

/* Whether a key is already waiting to be read (typed ahead or pasted;
 * curses reads the terminal a byte at a time, so what it has not taken is
 * still there). */
static int ui_key_pending(void)
{
	struct pollfd in = {.fd = STDIN_FILENO, .events = POLLIN};
	return poll(&in, 1, 0) > 0;
}

static void prompt_key(struct app *app, void *st, int key)
{
	struct prompt *p = st;
	if (key == '\n' || key == '\r' || key == UI_FN + KEY_ENTER) {
		char *text =
		    xstrdup(p->line.text.data ? p->line.text.data : "");
		void (*done)(struct app *, void *, const char *) = p->done;
		void *ctx = p->ctx;
		ui_pop(app);
		done(app, ctx, text);
		free(text);
		return;
	}
	if (key == UI_ESC || key == UI_CTRL('c') || key == UI_CTRL('g')) {
		void (*done)(struct app *, void *, const char *) = p->done;
		void *ctx = p->ctx;
		ui_pop(app);
		done(app, ctx, NULL);
		return;
	}
	if (key == UI_NEWLINE && p->multiline) {
		struct buf *b = &p->line.text;
		size_t tail = b->len - p->line.cursor;
		buf_addc(b, '\n'); /* grow, then shift the tail */
		memmove(b->data + p->line.cursor + 1, b->data + p->line.cursor,
			tail);
		b->data[p->line.cursor++] = '\n';
		b->data[b->len] = '\0';
		return;
	}
	/* As you type: the text is judged again when no other key waits,
	 * so a fast typist or a paste pays one refilter, not one a key (at
	 * 10^5 ideas a refilter is a tenth of a second or more). */
	ui_line_key(&p->line, key);
	const char *text = p->line.text.data ? p->line.text.data : "";
	if (p->changed && !ui_key_pending() &&
	    (!p->said || strcmp(p->said, text) != 0)) {
		free(p->said);
		p->said = xstrdup(text);
		p->changed(app, p->ctx, text);
	}
}

static void prompt_close(struct app *app, void *st)
{
	struct prompt *p = st;
	(void)app;
	ui_line_free(&p->line);
	free(p->label);
	free(p->said);
	free(p);
}

static const struct screen_ops prompt_ops = {
    .name = "prompt",
    .draw = prompt_draw,
    .key = prompt_key,
    .close = prompt_close,
    .overlay = 1,
};

static const struct screen_ops prompt_lines_ops = {
    .name = "prompt",
    .draw = prompt_draw,
    .key = prompt_key,
    .close = prompt_close,
    .overlay = 1,
    .multiline = 1,
};

int ui_prompt_foot(const struct app *app)
{
	const struct screen_ops *top;
	if (app->depth == 0)
		return 0;
	top = app->stack[app->depth - 1].ops;
	if (top != &prompt_ops && top != &prompt_lines_ops)
		return 0;
	return prompt_height(app, app->stack[app->depth - 1].st);
}

void ui_prompt(struct app *app, const char *label, const char *initial,
	       void (*done)(struct app *app, void *ctx, const char *text),
	       void (*changed)(struct app *app, void *ctx, const char *text),
	       void *ctx)
{
	struct prompt *p = xcalloc(1, sizeof(*p));
	p->label = xstrdup(label);
	ui_line_set(&p->line, initial);
	p->done = done;
	p->changed = changed;
	p->said = xstrdup(initial ? initial : "");
	p->ctx = ctx;
	ui_push(app, &prompt_ops, p);
}

void ui_prompt_lines(struct app *app, const char *label, const char *initial,
		     void (*done)(struct app *app, void *ctx, const char *text),
		     void *ctx)
{
	struct prompt *p = xcalloc(1, sizeof(*p));
	p->label = xstrdup(label);
	ui_line_set(&p->line, initial);
	p->done = done;
	p->ctx = ctx;
	p->multiline = 1;
	ui_push(app, &prompt_lines_ops, p);
}

/* ------------------------------------------------------------ picker */

struct picker {
	char *title;
	char **items;
	size_t n, sel;
	void (*done)(struct app *, void *, int);
	void *ctx;
};

static void pick_draw(struct app *app, void *st)
{
	struct picker *p = st;
	int w = (int)utf8_width(p->title) + 6;
	for (size_t i = 0; i < p->n; i++) {
		int iw = (int)utf8_width(p->items[i]) + 6;
		if (iw > w)
			w = iw;
	}
	if (w > app->cols)
		w = app->cols;
	int h = (int)p->n + 2;
	if (h > app->rows - 2)
		h = app->rows - 2;
	int y = (app->rows - h) / 2, x = (app->cols - w) / 2;
	ui_box(app, y, x, h, w, p->title);
	size_t first = p->sel >= (size_t)(h - 2) ? p->sel - (size_t)(h - 3) : 0;
	for (int i = 0; i < h - 2 && first + (size_t)i < p->n; i++) {
		size_t k = first + (size_t)i;
		ui_text(app, y + 1 + i, x + 1, w - 2, "", A_NORMAL, 1);
		ui_text(app, y + 1 + i, x + 2, w - 4, p->items[k],
			k == p->sel ? ui_attr(app, UI_SELECTED) : A_NORMAL, 1);
	}
	ui_text(app, app->rows - 1, 0, app->cols,
		_("↑↓: choose   Enter: confirm   Esc: cancel"),
		ui_attr(app, UI_DIM), 1);
}

static void pick_key(struct app *app, void *st, int key)
{
	struct picker *p = st;
	int done = -2;
	switch (key) {
	case UI_FN + KEY_UP:
	case 'k':
		if (p->sel > 0)
			p->sel--;
		break;
	case UI_FN + KEY_DOWN:
	case 'j':
		if (p->sel + 1 < p->n)
			p->sel++;
		break;
	case '\n':
	case '\r':
	case UI_FN + KEY_ENTER:
		done = (int)p->sel;
		break;
	case UI_ESC:
	case 'q':
	case UI_CTRL('c'):
		done = -1;
		break;
	}
	if (done == -2)
		return;
	void (*cb)(struct app *, void *, int) = p->done;
	void *ctx = p->ctx;
	ui_pop(app);
	cb(app, ctx, done);
}

static void pick_close(struct app *app, void *st)
{
	struct picker *p = st;
	(void)app;
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i]);
	free(p->items);
	free(p->title);
	free(p);
}

static const struct screen_ops pick_ops = {
    .name = "picker",
    .draw = pick_draw,
    .key = pick_key,
    .close = pick_close,
    .overlay = 1,
};

void ui_pick(struct app *app, const char *title, const char *const *items,
	     size_t n, size_t initial,
	     void (*done)(struct app *app, void *ctx, int index), void *ctx)
{
	struct picker *p = xcalloc(1, sizeof(*p));
	p->title = xstrdup(title);
	p->items = xcalloc(n ? n : 1, sizeof(*p->items));
	for (size_t i = 0; i < n; i++)
		p->items[i] = xstrdup(items[i]);
	p->n = n;
	p->sel = initial < n ? initial : 0;
	p->done = done;
	p->ctx = ctx;
	ui_push(app, &pick_ops, p);
}
