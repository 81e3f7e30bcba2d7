/* ui_msg.c - what the board says to a person: the message of the moment
 * (app->msg, whole up to UI_MSG_MAX, drawn on a screen's foot lines), the
 * panel that shows it whole when it is longer than they are, and the
 * session's history (M), a ring of UI_MSG_HISTORY messages with the time
 * each was said.  The app owns the history's texts (ui_history_free). */
#include "ui_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"
#include "i18n.h"
#include "out.h"

/* ------------------------------------------------------------ the message */

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

void ui_history_free(struct app *app)
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

/* ------------------------------------------------------------ panel */

/* The message panel: a message longer than the lines its screen gives it
 * is drawn whole in a box over the foot of the screen, above the keys
 * line, until the next key (ui_msg_panel_key). */
void ui_msg_panel_draw(struct app *app)
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
int ui_msg_needs_panel(struct app *app, int base)
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
int ui_msg_panel_key(struct app *app, int key)
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

/* ------------------------------------------------------------ history */

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

void ui_msgs_open(struct app *app)
{
	/* what was on the foot line is in the list now */
	app->msg[0] = '\0';
	ui_push(app, &msgs_ops, xcalloc(1, sizeof(struct msgs)));
}
