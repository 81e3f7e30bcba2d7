/* ui.c - the curses loop, the screen stack and the shared widgets.
 *
 * One loop reads a key (or wakes once a second), hands it to the top
 * screen, and redraws the stack into stdscr; curses then sends only what
 * changed, so a key costs a few bytes on a slow SSH link.  The screen is
 * never cleared on a key, only on resize or Ctrl-L.  Once a second the loop
 * compares the store's last transaction id with the one it saw: a cheap
 * read of LMDB's shared lock page, so an idle board costs nearly nothing,
 * and others' changes show within a second.
 *
 * Screens ask the loop for what lies beyond themselves (ui_request): the
 * loop opens the screen asked for, or hands the request down the stack to
 * the screen that handles it, so no screen knows another. */
#include "ui.h"

#include <langinfo.h>
#include <poll.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "../core/utf8.h"
#include "board.h"
#include "detail.h"
#include "fatal.h"
#include "form.h"
#include "i18n.h"
#include "out.h"
#include "reviewscr.h"

#define UI_POLL_MS 1000

static void ui_draw(struct app *app);
static void help_open(struct app *app, const struct ui_arg *arg);
static void msgs_open(struct app *app);

/* ------------------------------------------------------------ stack */

void ui_push(struct app *app, const struct screen_ops *ops, void *st)
{
	if (app->depth == (int)(sizeof(app->stack) / sizeof(app->stack[0]))) {
		if (ops->close)
			ops->close(app, st);
		return;
	}
	app->stack[app->depth].ops = ops;
	app->stack[app->depth].st = st;
	app->depth++;
}

void ui_pop(struct app *app)
{
	if (app->depth == 0)
		return;
	app->depth--;
	const struct screen_ops *ops = app->stack[app->depth].ops;
	if (ops->close)
		ops->close(app, app->stack[app->depth].st);
	if (app->depth == 0)
		app->quit = 1;
	curs_set(0);
}

/* Keeps text in the session's history, the oldest dropped past
 * UI_MSG_HISTORY. */
static void ui_history_add(struct app *app, int error, const char *text)
{
	struct ui_msg_entry *e;
	if (!app->hist)
		app->hist = xcalloc(UI_MSG_HISTORY, sizeof(*app->hist));
	if (app->nhist == UI_MSG_HISTORY) {
		e = &app->hist[app->hist_first];
		free(e->text);
		app->hist_first = (app->hist_first + 1) % UI_MSG_HISTORY;
		app->nhist--;
	}
	e = &app->hist[(app->hist_first + app->nhist) % UI_MSG_HISTORY];
	e->at = app->cli->actor.now;
	e->error = error;
	e->text = xstrdup(text);
	app->nhist++;
}

static void ui_history_free(struct app *app)
{
	for (size_t i = 0; i < app->nhist; i++)
		free(app->hist[(app->hist_first + i) % UI_MSG_HISTORY].text);
	free(app->hist);
	app->hist = NULL;
	app->nhist = app->hist_first = 0;
}

void ui_message(struct app *app, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(app->msg, sizeof(app->msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(app->msg)) {
		/* Past UI_MSG_MAX only: end on a whole character and say the
		 * rest is missing. */
		size_t end = sizeof(app->msg) - 4;
		while (end > 0 && ((unsigned char)app->msg[end] & 0xc0) == 0x80)
			end--;
		memcpy(app->msg + end, "…", 4);
	}
	/* Newlines stay (they are line breaks when drawn); the last ones
	 * say nothing. */
	size_t len = strlen(app->msg);
	while (len > 0 && app->msg[len - 1] == '\n')
		app->msg[--len] = '\0';
	app->msg_error = error;
	app->msg_top = 0;
	if (app->msg[0])
		ui_history_add(app, error, app->msg);
}

void ui_wrap_free(char **vec, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(vec[i]);
	free(vec);
}

size_t ui_wrap_vec(const char *s, int width, int indent, char ***vec, size_t *n)
{
	struct buf safe, line;
	size_t before = *n, next;
	if (width < 1)
		width = 1;
	if (indent < 0 || indent >= width)
		indent = 0;
	buf_init(&safe);
	buf_init(&line);
	utf8_safe(&safe, s ? s : "", s ? strlen(s) : 0, UTF8_SAFE_MULTILINE);
	const char *p = safe.data ? safe.data : "";
	int first = 1;
	do {
		int w = first ? width : width - indent;
		size_t len = utf8_wrap(p, (size_t)w, &next);
		buf_reset(&line);
		if (!first)
			buf_printf(&line, "%*s", indent, "");
		buf_add(&line, p, len);
		*vec = xrealloc(*vec, (*n + 1) * sizeof(**vec));
		(*vec)[(*n)++] = xstrdup(line.data ? line.data : "");
		p += next;
		first = 0;
	} while (*p);
	buf_free(&safe);
	buf_free(&line);
	return *n - before;
}

int ui_message_height(struct app *app, int width)
{
	char **vec = NULL;
	size_t n = 0;
	if (!app->msg[0])
		return 0;
	ui_wrap_vec(app->msg, width, 0, &vec, &n);
	ui_wrap_free(vec, n);
	return (int)n;
}

static attr_t ui_message_attr(struct app *app)
{
	return app->msg_error ? ui_attr(app, UI_ALERT) | A_REVERSE
			      : ui_attr(app, UI_STATUS);
}

void ui_message_draw(struct app *app, int y, int x, int width, int h)
{
	char **vec = NULL;
	size_t n = 0;
	ui_wrap_vec(app->msg, width, 0, &vec, &n);
	for (int i = 0; i < h; i++)
		ui_text(app, y + i, x, width, (size_t)i < n ? vec[i] : "",
			ui_message_attr(app), 1);
	ui_wrap_free(vec, n);
}

void ui_changed(struct app *app)
{
	if (app->cli->store)
		app->txn = store_last_txn(app->cli->store);
	for (int i = 0; i < app->depth; i++)
		if (app->stack[i].ops->reload)
			app->stack[i].ops->reload(app, app->stack[i].st);
}

/* ------------------------------------------------------------ requests */

int ui_request(struct app *app, enum ui_req req, const struct ui_arg *arg)
{
	static const struct ui_arg none;
	if (!arg)
		arg = &none;
	switch (req) {
	case UI_REQ_HELP:
		if (!arg->help)
			return 0;
		help_open(app, arg);
		return 1;
	case UI_REQ_OPEN_DETAIL:
		detail_open(app, arg->key);
		return 1;
	case UI_REQ_OPEN_FORM:
		if (arg->missing)
			form_open_gate(app, arg->key, arg->missing,
				       (enum stage)arg->gate_to);
		else
			form_open(app, arg->key);
		return 1;
	case UI_REQ_OPEN_REVIEW:
		review_open(app, arg->region, arg->facilitator,
			    arg->facilitator_whole);
		return 1;
	case UI_REQ_MESSAGES:
		msgs_open(app);
		return 1;
	default:
		break;
	}
	/* Not the loop's own: the screens have it, the top one first. */
	for (int i = app->depth - 1; i >= 0; i--) {
		const struct screen_ops *ops = app->stack[i].ops;
		if (ops->request &&
		    ops->request(app, app->stack[i].st, req, arg))
			return 1;
	}
	return 0;
}

int ui_request_key(struct app *app, enum ui_req req, uint64_t key)
{
	struct ui_arg arg = {.key = key};
	return ui_request(app, req, &arg);
}

/* ------------------------------------------------------------ undo, others */

/* Remembers the last change written by another process, for the status
 * line: the person sees who moved what, live. */
static void ui_other_note(struct app *app)
{
	struct log_entry e;
	uint64_t seq = 0;
	if (store_log_last(app->cli->store, &seq, NULL) || !seq ||
	    seq == store_my_last_seq(app->cli->store))
		return;
	if (store_log_get(app->cli->store, seq, &e, NULL))
		return;
	const struct log_change *st = log_entry_change(&e, "stage");
	const char *who = e.user ? e.user : "?";
	switch (e.kind) {
	case LOG_MOVE:
		snprintf(app->other, sizeof(app->other), _("%s moved %s → %s"),
			 who, e.ref,
			 out_stage_label(
			     stage_parse(st && st->after ? st->after : "")));
		break;
	case LOG_CREATE:
		snprintf(app->other, sizeof(app->other), _("%s added %s"), who,
			 e.ref);
		break;
	case LOG_COMMENT:
		snprintf(app->other, sizeof(app->other),
			 _("%s commented on %s"), who, e.ref);
		break;
	case LOG_UNDO: {
		/* The undo of an undo is a redo: said so. */
		struct log_entry t;
		int redo = 0;
		if (e.target &&
		    store_log_get(app->cli->store, e.target, &t, NULL) == 0) {
			redo = t.kind == LOG_UNDO;
			log_entry_clear(&t);
		}
		snprintf(app->other, sizeof(app->other),
			 redo ? _("%s redid a change to %s")
			      : _("%s undid a change to %s"),
			 who, e.ref);
		break;
	}
	case LOG_REORDER:
		snprintf(app->other, sizeof(app->other),
			 _("%s changed the place of %s in its column"), who,
			 e.ref);
		break;
	case LOG_EDIT: {
		struct buf names;
		buf_init(&names);
		cli_changed_labels(&names, &e);
		if (names.len)
			snprintf(app->other, sizeof(app->other),
				 _("%s changed %s (%s)"), who, e.ref,
				 names.data);
		else
			snprintf(app->other, sizeof(app->other),
				 _("%s changed %s"), who, e.ref);
		buf_free(&names);
		break;
	}
	default:
		snprintf(app->other, sizeof(app->other), _("%s changed %s"),
			 who, e.ref[0] ? e.ref : "-");
	}
	app->other_at = e.at;
	log_entry_clear(&e);
}

void ui_other_text(struct app *app, struct buf *b)
{
	if (!app->other[0])
		return;
	int64_t age = app->cli->actor.now - app->other_at;
	if (age < 0)
		age = 0;
	buf_adds(b, app->other);
	if (age < 60)
		buf_printf(b, _(", %lld s ago"), (long long)age);
	else if (age < 3600)
		buf_printf(b, _(", %lld min ago"), (long long)(age / 60));
	else
		buf_printf(b, _(", %lld h ago"), (long long)(age / 3600));
}

/* ------------------------------------------------------------ drawing */

enum { PAIR_WARN = 1, PAIR_ALERT, PAIR_HEADER, PAIR_DIM };

attr_t ui_attr(struct app *app, enum ui_attr a)
{
	switch (a) {
	case UI_HEADER:
		return A_BOLD | (app->color ? COLOR_PAIR(PAIR_HEADER) : 0);
	case UI_CURRENT:
		return A_BOLD | A_UNDERLINE |
		       (app->color ? COLOR_PAIR(PAIR_HEADER) : 0);
	case UI_SELECTED:
		return A_REVERSE;
	case UI_DIM:
		return app->color ? COLOR_PAIR(PAIR_DIM) : A_NORMAL;
	case UI_WARN:
		return A_BOLD | (app->color ? COLOR_PAIR(PAIR_WARN) : 0);
	case UI_ALERT:
		return A_BOLD |
		       (app->color ? COLOR_PAIR(PAIR_ALERT) : A_UNDERLINE);
	case UI_STATUS:
		return A_REVERSE;
	default:
		return A_NORMAL;
	}
}

int ui_text(struct app *app, int y, int x, int width, const char *s,
	    attr_t attr, int pad)
{
	struct buf safe, fit;
	int used;
	if (width <= 0 || y < 0 || y >= app->rows || x >= app->cols)
		return 0;
	if (x + width > app->cols)
		width = app->cols - x;
	buf_init(&safe);
	buf_init(&fit);
	utf8_safe(&safe, s ? s : "", s ? strlen(s) : 0, UTF8_SAFE_ONELINE);
	if (!app->utf8) {
		/* The Linux console's font: what it lacks becomes ASCII. */
		struct buf con;
		buf_init(&con);
		utf8_console(&con, safe.data ? safe.data : "", safe.len);
		buf_free(&safe);
		safe = con;
	}
	used = (int)utf8_fit(&fit, safe.data ? safe.data : "", (size_t)width);
	if (!app->utf8 && fit.len >= 3 &&
	    memcmp(fit.data + fit.len - 3, "\xE2\x80\xA6", 3) == 0) {
		/* The text has no "…" left: this one is the cut's. */
		fit.len -= 3;
		buf_adds(&fit, "~");
	}
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset(attr);
	if (fit.len)
		mvaddstr(y, x, fit.data);
	else
		move(y, x);
	if (pad)
		for (int i = used; i < width; i++)
			addch(' ');
	attrset(old);
	buf_free(&safe);
	buf_free(&fit);
	return pad ? width : used;
}

void ui_text_right(struct app *app, int y, int x_end, const char *s,
		   attr_t attr)
{
	int w = (int)utf8_width(s);
	if (x_end - w >= 0)
		ui_text(app, y, x_end - w, w, s, attr, 0);
}

void ui_hline(struct app *app, int y, int x, int width, attr_t attr)
{
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset(attr);
	for (int i = 0; i < width && x + i < app->cols; i++)
		mvaddstr(y, x + i, app->utf8 ? "─" : "-");
	attrset(old);
}

void ui_vline(struct app *app, int y, int x, int height, attr_t attr)
{
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset(attr);
	for (int i = 0; i < height && y + i < app->rows; i++)
		mvaddstr(y + i, x, app->utf8 ? "│" : "|");
	attrset(old);
}

void ui_box(struct app *app, int y, int x, int h, int w, const char *title)
{
	const char *tl = app->utf8 ? "┌" : "+", *tr = app->utf8 ? "┐" : "+";
	const char *bl = app->utf8 ? "└" : "+", *br = app->utf8 ? "┘" : "+";
	for (int i = 1; i < h - 1; i++) {
		move(y + i, x + 1);
		for (int j = 1; j < w - 1; j++)
			addch(' ');
	}
	mvaddstr(y, x, tl);
	ui_hline(app, y, x + 1, w - 2, A_NORMAL);
	mvaddstr(y, x + w - 1, tr);
	ui_vline(app, y + 1, x, h - 2, A_NORMAL);
	ui_vline(app, y + 1, x + w - 1, h - 2, A_NORMAL);
	mvaddstr(y + h - 1, x, bl);
	ui_hline(app, y + h - 1, x + 1, w - 2, A_NORMAL);
	mvaddstr(y + h - 1, x + w - 1, br);
	if (title && *title) {
		ui_text(app, y, x + 2, 1, " ", A_NORMAL, 1);
		int n = ui_text(app, y, x + 3, w - 6, title,
				ui_attr(app, UI_HEADER), 0);
		ui_text(app, y, x + 3 + n, 1, " ", A_NORMAL, 1);
	}
}

int ui_scroll_key(int key, size_t *pos, size_t max, size_t page)
{
	switch (key) {
	case UI_FN + KEY_DOWN:
	case 'j':
		if (*pos < max)
			(*pos)++;
		return 1;
	case UI_FN + KEY_UP:
	case 'k':
		if (*pos > 0)
			(*pos)--;
		return 1;
	case UI_FN + KEY_NPAGE:
	case ' ':
		*pos = *pos + page < max ? *pos + page : max;
		return 1;
	case UI_FN + KEY_PPAGE:
		*pos = *pos > page ? *pos - page : 0;
		return 1;
	case 'g':
		*pos = 0;
		return 1;
	case 'G':
		*pos = max;
		return 1;
	}
	return 0;
}

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

/* ------------------------------------------------------------ help */

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

/* Writes s for a man page: backslashes and hyphens escaped, the arrows
 * as groff's named glyphs, a leading dot or quote made harmless. */
static void man_escape(FILE *out, const char *s)
{
	static const struct {
		const char *utf8, *man;
	} glyphs[] = {
	    {"←", "\\[<-]"},
	    {"→", "\\[->]"},
	    {"↑", "\\[ua]"},
	    {"↓", "\\[da]"},
	};
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	while (*s) {
		size_t k;
		for (k = 0; k < sizeof(glyphs) / sizeof(glyphs[0]); k++)
			if (strncmp(s, glyphs[k].utf8,
				    strlen(glyphs[k].utf8)) == 0)
				break;
		if (k < sizeof(glyphs) / sizeof(glyphs[0])) {
			fputs(glyphs[k].man, out);
			s += strlen(glyphs[k].utf8);
			continue;
		}
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else if (*s == '"')
			fputs("\\(dq", out);
		else
			fputc(*s, out);
		s++;
	}
}

/* Writes s for a Markdown table cell: | escaped. */
static void md_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

void ui_keys_doc(FILE *out, enum ui_keys_format format)
{
	char shown[96];
	size_t n;
	const struct ui_keyrow *rows = board_keys_table(&n);
	if (format == UI_KEYS_MARKDOWN)
		fputs("| key | what it does |\n|---|---|\n", out);
	else
		fputs(".PD 0\n", out); /* one line per key, no blank between */
	for (size_t i = 0; i < n; i++) {
		ui_keys_shown(&rows[i], shown, sizeof(shown));
		const char *text = _(rows[i].text);
		if (format == UI_KEYS_MAN) {
			fputs(i ? ".TP\n.B \"" : ".TP 16\n.B \"", out);
			man_escape(out, shown);
			fputs("\"\n", out);
			man_escape(out, text);
			fputc('\n', out);
			continue;
		}
		/* Markdown: each key in backticks, | escaped. */
		fputs("|", out);
		for (char *k = strtok(shown, " "); k; k = strtok(NULL, " ")) {
			fputs(" `", out);
			md_escape(out, k);
			fputc('`', out);
		}
		fputs(" | ", out);
		md_escape(out, text);
		fputs(" |\n", out);
	}
	if (format == UI_KEYS_MAN)
		fputs(".PD\n", out);
}

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

int ui_wrap(const char *s, int width, int max,
	    int (*line)(void *ctx, int i, const char *text, size_t len),
	    void *ctx)
{
	struct buf safe;
	size_t next;
	int i = 0;
	buf_init(&safe);
	utf8_safe(&safe, s ? s : "", s ? strlen(s) : 0, UTF8_SAFE_MULTILINE);
	const char *p = safe.data ? safe.data : "";
	do {
		size_t len = utf8_wrap(p, width > 0 ? (size_t)width : 1, &next);
		if (max >= 0 && i >= max)
			break;
		if (line && line(ctx, i, p, len))
			break;
		i++;
		p += next;
	} while (*p);
	buf_free(&safe);
	return i;
}

int ui_footer(struct app *app, const char *hint, int max, int draw)
{
	struct buf line;
	int n = 0;
	const char *p = hint;
	buf_init(&line);
	buf_adds(&line, "");
	while (*p) {
		const char *sep = strstr(p, "   ");
		size_t len = sep ? (size_t)(sep - p) : strlen(p);
		char *item = xstrndup(p, len);
		size_t lw = utf8_width(line.data), iw = utf8_width(item);
		if (line.len && lw + 3 + iw > (size_t)app->cols &&
		    n + 1 < max) {
			if (draw)
				ui_text(app, app->rows - max + n, 0, app->cols,
					line.data, ui_attr(app, UI_DIM), 1);
			n++;
			buf_reset(&line);
			buf_adds(&line, "");
		}
		if (line.len)
			buf_adds(&line, "   ");
		buf_adds(&line, item);
		free(item);
		p += len;
		while (*p == ' ')
			p++;
	}
	if (draw)
		ui_text(app, app->rows - max + n, 0, app->cols, line.data,
			ui_attr(app, UI_DIM), 1);
	buf_free(&line);
	return n + 1;
}

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

static void help_open(struct app *app, const struct ui_arg *arg)
{
	struct help *hp = xcalloc(1, sizeof(*hp));
	hp->rows = arg->help;
	hp->n = arg->nhelp;
	hp->legend = arg->legend;
	hp->nlegend = arg->legend ? arg->nlegend : 0;
	ui_push(app, &help_ops, hp);
}

/* ------------------------------------------------------------ messages */

/* The message panel: a message longer than the lines its screen gives it
 * is drawn whole in a box over the foot of the screen, above the keys
 * line, until the next key (msg_panel_key). */
static void msg_panel_draw(struct app *app)
{
	char **vec = NULL;
	size_t n = 0;
	int w = app->cols > 4 ? app->cols - 2 : app->cols;
	int x = (app->cols - w) / 2, tw = w - 4;
	ui_wrap_vec(app->msg, tw, 0, &vec, &n);
	int foot = 1 + app->foot_busy; /* the keys line, a prompt's */
	int h = (int)n + 3, maxh = app->rows - foot;
	if (h > maxh)
		h = maxh;
	size_t shown = h > 3 ? (size_t)(h - 3) : 1;
	if (app->msg_top + shown > n)
		app->msg_top = n > shown ? n - shown : 0;
	int y = app->rows - foot - h;
	if (y < 0)
		y = 0;
	ui_box(app, y, x, h, w, app->msg_error ? _("Error") : _("Message"));
	attr_t a = app->msg_error ? ui_attr(app, UI_ALERT) : A_NORMAL;
	for (size_t i = 0; i < shown && app->msg_top + i < n; i++)
		ui_text(app, y + 1 + (int)i, x + 2, tw, vec[app->msg_top + i],
			a, 0);
	ui_text(app, y + h - 2, x + 2, tw,
		shown < n ? _("↑↓: scroll, Esc: close") : _("Esc: close"),
		ui_attr(app, UI_DIM), 0);
	ui_wrap_free(vec, n);
	app->msg_panel = 1;
	app->msg_scroll_max = n > shown ? n - shown : 0;
}

/* Whether the message needs the panel on this screen: more lines than the
 * screen at the bottom of the stack drawn gives it. */
static int msg_needs_panel(struct app *app, int base)
{
	if (!app->msg[0] || base < 0 || base >= app->depth)
		return 0;
	int room = app->stack[base].ops->msg_lines;
	if (room < 1)
		room = 1;
	return ui_message_height(app, app->cols - 1) > room;
}

/* A key while the panel is up: ↑ ↓ scroll it when it is longer than the
 * screen, Esc closes it; any other key closes it and does its own work
 * (^S in a form in conflict saves at once).  Returns 1 when the key was
 * the panel's. */
static int msg_panel_key(struct app *app, int key)
{
	int up = key == UI_FN + KEY_UP || key == 'k';
	int down = key == UI_FN + KEY_DOWN || key == 'j';
	if (app->msg_scroll_max && (up || down)) {
		if (up && app->msg_top > 0)
			app->msg_top--;
		if (down && app->msg_top < app->msg_scroll_max)
			app->msg_top++;
		return 1;
	}
	app->msg[0] = '\0';
	app->msg_panel = 0;
	app->msg_top = 0;
	return key == UI_ESC;
}

/* The history (M): the session's messages, newest first, each with its
 * local time, wrapped to the window and scrolled with the usual keys. */
struct msgs {
	size_t top;
	size_t max; /* the last top, from the last draw */
	size_t page;
};

static void msgs_draw(struct app *app, void *st)
{
	struct msgs *m = st;
	char **vec = NULL;
	size_t n = 0;
	int *err = NULL;
	int h = app->rows, w = app->cols, tw = w - 4;
	ui_box(app, 0, 0, h, w, _("Messages, newest first"));
	for (size_t i = app->nhist; i-- > 0;) {
		const struct ui_msg_entry *e =
		    &app->hist[(app->hist_first + i) % UI_MSG_HISTORY];
		struct buf line;
		buf_init(&line);
		buf_printf(&line, "%s  %s", out_clock(e->at), e->text);
		size_t from = n;
		ui_wrap_vec(line.data, tw,
			    (int)utf8_width(out_clock(e->at)) + 2, &vec, &n);
		buf_free(&line);
		err = xrealloc(err, (n ? n : 1) * sizeof(*err));
		for (size_t k = from; k < n; k++)
			err[k] = e->error;
	}
	if (n == 0)
		ui_text(app, 1, 2, tw, _("No message yet in this session."),
			ui_attr(app, UI_DIM), 0);
	m->page = h > 3 ? (size_t)(h - 3) : 1;
	m->max = n > m->page ? n - m->page : 0;
	if (m->top > m->max)
		m->top = m->max;
	for (size_t i = 0; i < m->page && m->top + i < n; i++)
		ui_text(app, 1 + (int)i, 2, tw, vec[m->top + i],
			err[m->top + i] ? ui_attr(app, UI_ALERT) : A_NORMAL, 0);
	ui_text(app, h - 2, 2, tw,
		m->max ? _("↑↓: scroll, another key: close")
		       : _("Press a key to close"),
		ui_attr(app, UI_DIM), 0);
	ui_wrap_free(vec, n);
	free(err);
}

static void msgs_key(struct app *app, void *st, int key)
{
	struct msgs *m = st;
	if (key != 'q' && ui_scroll_key(key, &m->top, m->max, m->page))
		return;
	ui_pop(app);
}

static void msgs_close(struct app *app, void *st)
{
	(void)app;
	free(st);
}

static const struct screen_ops msgs_ops = {
    .name = "messages",
    .draw = msgs_draw,
    .key = msgs_key,
    .close = msgs_close,
    .overlay = 1,
    .msg_lines = 1,
};

static void msgs_open(struct app *app)
{
	/* what was on the foot line is in the list now */
	app->msg[0] = '\0';
	ui_push(app, &msgs_ops, xcalloc(1, sizeof(struct msgs)));
}

/* ------------------------------------------------------------ loop */

static void ui_draw(struct app *app)
{
	int base = app->depth - 1;
	while (base > 0 && app->stack[base].ops->overlay)
		base--;
	curs_set(0);
	leaveok(stdscr, TRUE);
	erase();
	app->foot_busy = 0;
	if (app->depth > 0 &&
	    (app->stack[app->depth - 1].ops == &prompt_ops ||
	     app->stack[app->depth - 1].ops == &prompt_lines_ops))
		app->foot_busy =
		    prompt_height(app, app->stack[app->depth - 1].st);
	for (int i = base; i < app->depth; i++)
		app->stack[i].ops->draw(app, app->stack[i].st);
	app->msg_panel = 0;
	if (msg_needs_panel(app, base)) {
		int cy, cx;
		getyx(stdscr, cy, cx); /* a prompt's cursor stays where it is */
		msg_panel_draw(app);
		move(cy, cx);
	}
}

void ui_suspend(struct app *app)
{
	(void)app;
	def_prog_mode();
	endwin();
}

void ui_resume(struct app *app)
{
	reset_prog_mode();
	clearok(curscr, TRUE); /* the terminal was used by someone else */
	getmaxyx(stdscr, app->rows, app->cols);
}

static void ui_colors(struct app *app)
{
	const char *no = getenv("NO_COLOR");
	app->color = has_colors() && !(no && *no);
	if (!app->color)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_WARN, COLOR_YELLOW, -1);
	init_pair(PAIR_ALERT, COLOR_RED, -1);
	init_pair(PAIR_HEADER, COLOR_CYAN, -1);
	init_pair(PAIR_DIM, COLOR_BLUE, -1);
}

/* The terminal as curses found it, and the bytes that give it back, for
 * the fatal-signal handler (fatal.h). */
static void ui_fatal_tty(const struct termios *saved)
{
	static const char *const caps[] = {"rmcup", "sgr0", "cnorm"};
	char reset[128] = "";
	size_t n = 0;
	for (size_t i = 0; i < sizeof(caps) / sizeof(*caps); i++) {
		const char *v = tigetstr(caps[i]);
		size_t l = v && v != (char *)-1 ? strlen(v) : 0;
		if (l && n + l < sizeof(reset)) {
			memcpy(reset + n, v, l);
			n += l;
		}
	}
	reset[n] = '\0';
	fatal_tty(1, saved, reset);
}

/* The store's lock file or data file was deleted or replaced under the
 * board (store_identity_check): a write now could be lost, so the board
 * closes the store and opens it again; when it cannot (others still use
 * the old lock file), it stops and says why. */
static void ui_store_lost(struct app *app)
{
	struct cli *cli = app->cli;
	struct fai_err err;
	fai_err_clear(&err);
	store_close(cli->store);
	cli->store = NULL;
	int rc = store_open(&cli->store, cli->db,
			    cli->readonly ? STORE_READONLY : 0, NULL, 0, &err);
	if (rc) {
		cli->store = NULL;
		app->lost_rc = rc;
		app->lost_err = err;
		app->quit = 1;
		return;
	}
	app->txn = store_last_txn(cli->store);
	ui_message(app, 1, "%s",
		   _("lock file deleted or replaced: the board reopened the "
		     "store"));
	ui_changed(app);
}

/* After an Esc: returns 1 when Enter came with it (Alt-Enter sends both at
 * once), else puts back what came and returns 0. */
static int ui_alt_enter(void)
{
	wint_t ch;
	timeout(0);
	int rc = get_wch(&ch);
	timeout(UI_POLL_MS);
	if (rc == OK && (ch == '\r' || ch == '\n'))
		return 1;
	if (rc == OK)
		unget_wch((wchar_t)ch);
	else if (rc == KEY_CODE_YES)
		ungetch((int)ch);
	return 0;
}

/* Reads one key as an int (see UI_FN); returns -1 on the poll timeout. */
static int ui_getkey(void)
{
	wint_t ch;
	int rc = get_wch(&ch);
	if (rc == ERR)
		return -1;
	if (rc == KEY_CODE_YES)
		return UI_FN + (int)ch;
	return (int)ch;
}

/* The one rule for the glyph set (app->utf8): the UTF-8 marks (⚑, …, box
 * drawing, 💬) when the text is UTF-8, except on the Linux console
 * (TERM=linux, linux-*), whose font has none of ⚑ … or emoji: there the
 * marks are ASCII and ui_text gives stored text through utf8_console. */
static int ui_glyphs_utf8(int utf8)
{
	const char *term = getenv("TERM");
	if (!utf8)
		return 0;
	if (term &&
	    (strcmp(term, "linux") == 0 || strncmp(term, "linux-", 6) == 0))
		return 0;
	return 1;
}

int ui_board_run(struct cli *cli, int argc, char **argv)
{
	struct app app;
	int mouse = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mouse") == 0) {
			mouse = 1;
		} else if (strcmp(argv[i], "--help") == 0) {
			printf(_("Usage: fai [--db PATH] [board] [--mouse]\n"));
			printf("%s\n", _("Opens the board: one column per "
					 "stage; press ? in it for the keys."));
			return CLI_OK;
		} else {
			fprintf(stderr, _("fai: board: unknown option %s\n"),
				argv[i]);
			return CLI_USAGE;
		}
	}
	if (!isatty(0) || !isatty(1)) {
		fprintf(stderr, _("fai: the board needs a terminal; for "
				  "scripts use fai list\n"));
		return CLI_USAGE;
	}
	int exit = cli_store_open(cli);
	if (exit)
		return exit;
	/* Text is UTF-8 whatever the locale says: over SSH LANG is often not
	 * passed on while the terminal is UTF-8.  A POSIX locale gets C.UTF-8
	 * for its character handling. */
	int utf8 = i18n_utf8();
	if (!utf8 && setlocale(LC_CTYPE, "C.UTF-8"))
		utf8 = 1;
	utf8 = ui_glyphs_utf8(utf8);

	memset(&app, 0, sizeof(app));
	app.cli = cli;
	app.readonly = cli->readonly;
	cli->board = 1;
	app.utf8 = utf8;
	app.mouse = mouse;
	struct termios saved;
	int have_tty = tcgetattr(1, &saved) == 0;
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, _("fai: cannot use this terminal (TERM=%s)\n"),
			getenv("TERM") ? getenv("TERM") : "");
		return CLI_USAGE;
	}
	if (have_tty)
		ui_fatal_tty(&saved);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(UI_POLL_MS);
	ui_colors(&app);
	if (mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED, NULL);
	getmaxyx(stdscr, app.rows, app.cols);
	app.txn = store_last_txn(cli->store);
	board_open(&app);

	int fixed_clock = getenv("FAI_NOW") && *getenv("FAI_NOW");
	unsigned idle = 0;
	while (!app.quit && app.depth > 0) {
		if (!fixed_clock)
			cli->actor.now = (int64_t)time(NULL);
		ui_draw(&app);
		refresh();
		int key = ui_getkey();
		if (key == -1) {
			/* Now and then, free the slots of dead readers. */
			if (++idle % 60 == 0)
				store_maintain(cli->store);
			if (store_identity_check(cli->store, NULL) != 0) {
				ui_store_lost(&app);
				continue;
			}
			for (int i = 0; i < app.depth; i++)
				if (app.stack[i].ops->idle)
					app.stack[i].ops->idle(&app,
							       app.stack[i].st);
			uint64_t txn = store_last_txn(cli->store);
			if (txn != app.txn) {
				ui_other_note(&app);
				ui_changed(&app);
			} else if (app.other[0]) {
				ui_draw(&app); /* the age in the status line */
				refresh();
			}
			continue;
		}
		if (key == UI_FN + KEY_RESIZE) {
			getmaxyx(stdscr, app.rows, app.cols);
			clearok(curscr, TRUE);
			ui_changed(&app);
			continue;
		}
		if (key == UI_CTRL('l')) {
			clearok(curscr, TRUE);
			continue;
		}
		if (key == UI_CTRL('z')) {
			ui_suspend(&app);
			raise(SIGTSTP);
			ui_resume(&app);
			/* Say who changed what while the board was stopped:
			 * ui_changed takes the new transaction id as seen. */
			if (store_last_txn(cli->store) != app.txn)
				ui_other_note(&app);
			ui_changed(&app);
			continue;
		}
		/* Enter is '\r' (nonl); Ctrl-J ('\n') is Enter too, except
		 * in a text of several lines where it and Alt-Enter add one. */
		if (app.stack[app.depth - 1].ops->multiline &&
		    (key == '\n' || (key == UI_ESC && ui_alt_enter())))
			key = UI_NEWLINE;
		else if (key == '\r')
			key = '\n';
		if (app.msg_panel && msg_panel_key(&app, key))
			continue;
		app.stack[app.depth - 1].ops->key(
		    &app, app.stack[app.depth - 1].st, key);
	}
	while (app.depth > 0)
		ui_pop(&app);
	ui_history_free(&app);
	endwin();
	fatal_tty_clear();
	if (app.lost_rc)
		return cli_fail(cli, app.lost_rc, &app.lost_err);
	return CLI_OK;
}
