/* reviewscr.c - the weekly review on the board (key r): the same sections
 * as `fai review`, for the board's current region or facilitator filter,
 * scrollable; Enter on a line about an idea opens its detail (q comes back
 * here) and selects its card on the board beneath; [ and ] step
 * the period back and forth by a week.  The lines are the ones `fai review`
 * prints (display-safe, 80 columns; wrapped on a narrower or a longer
 * line, never cut), made by review_text_lines, each kept
 * with the key and reference of the list entry it is about: every line of
 * a new idea, a move (its reason too), a launch or a stale idea leads to
 * that idea, and no other line leads anywhere. */
#include "reviewscr.h"

#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"
#include "i18n.h"
#include "out.h"
#include "review.h"

#define WEEK (7 * 86400)

struct rline {
	char *text;
	uint64_t key; /* the idea the line is about, 0 when none */
	char ref[24]; /* its reference, for a message when it is gone */
};

struct rscreen {
	struct review_params p;
	char *region, *facilitator;
	struct rline *lines;
	size_t n, top, sel;
	int width;   /* the width the lines were wrapped to */
	size_t body; /* the lines shown, from the last draw */
};

static void rs_clear(struct rscreen *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i].text);
	free(r->lines);
	r->lines = NULL;
	r->n = 0;
}

/* Keeps one line of the review and the idea it is about. */
static void rs_line(void *ctx, const char *line, size_t len,
		    const struct review_event *ev)
{
	struct rscreen *r = ctx;
	char *text = xstrndup(line, len);
	char **vec = NULL;
	size_t n = 0;
	/* A line wider than the screen goes on several, the next ones
	 * indented, each leading to the same idea. */
	if ((int)utf8_width(text) > r->width)
		ui_wrap_vec(text, r->width, 2, &vec, &n);
	for (size_t i = 0; i < (n ? n : 1); i++) {
		struct rline *l;
		r->lines = xrealloc(r->lines, (r->n + 1) * sizeof(*r->lines));
		l = &r->lines[r->n++];
		l->text = n ? vec[i] : text;
		l->key = ev ? ev->key : 0;
		snprintf(l->ref, sizeof(l->ref), "%s",
			 ev && ev->ref ? ev->ref : "");
	}
	if (n) {
		free(vec);
		free(text);
	}
}

/* The keys line, on up to two lines (ui_footer). */
static const char *rs_hint(void)
{
	return _(
	    "↑↓: scroll   Enter: the idea's detail   [ ]: week before/after"
	    "   q: back");
}

static void rs_build(struct app *app, struct rscreen *r)
{
	struct review *rev = NULL;
	struct fai_err err;
	rs_clear(r);
	r->width = app->cols > 1 ? app->cols : 1;
	fai_err_clear(&err);
	int rc = review_load(app->cli->store, &r->p, app->cli->actor.now, &rev,
			     &err);
	if (rc) {
		struct buf m;
		buf_init(&m);
		cli_message(app->cli, rc, &err, &m);
		ui_message(app, 1, "%s", m.data ? m.data : "");
		buf_free(&m);
		return;
	}
	review_text_lines(rev, app->utf8, rs_line, r);
	review_free(rev);
	if (r->sel >= r->n)
		r->sel = r->n ? r->n - 1 : 0;
}

static void rs_draw(struct app *app, void *st)
{
	struct rscreen *r = st;
	if (r->width != app->cols)
		rs_build(app, r);
	int foot = ui_footer(app, rs_hint(), 2, 0);
	int body = app->rows - 1 - foot;
	if (body < 1)
		body = 1;
	r->body = (size_t)body;
	if (r->sel < r->top)
		r->top = r->sel;
	if (r->sel >= r->top + (size_t)body)
		r->top = r->sel - (size_t)body + 1;
	for (int i = 0; i < body && r->top + (size_t)i < r->n; i++) {
		size_t k = r->top + (size_t)i;
		attr_t a = k == r->sel ? ui_attr(app, UI_SELECTED) : A_NORMAL;
		ui_text(app, i, 0, app->cols, r->lines[k].text, a, k == r->sel);
	}
	/* The period's bounds are UTC days, shown as days. */
	char *status =
	    xasprintf(_(" review %s → %s%s%s  %zu/%zu"), out_day_of(r->p.start),
		      out_day_of(r->p.end - 1), r->region ? " · " : "",
		      r->region ? r->region : "", r->sel + 1, r->n);
	ui_text(app, app->rows - 1 - foot, 0, app->cols,
		app->msg[0] ? app->msg : status, ui_attr(app, UI_STATUS), 1);
	free(status);
	ui_footer(app, rs_hint(), foot, 1);
}

static void rs_key(struct app *app, void *st, int key)
{
	struct rscreen *r = st;
	size_t body = r->body ? r->body : 1;
	app->msg[0] = '\0';
	if (ui_scroll_key(key, &r->sel, r->n ? r->n - 1 : 0, body))
		return;
	switch (key) {
	case '[':
		r->p.start -= WEEK;
		r->p.end -= WEEK;
		rs_build(app, r);
		break;
	case ']':
		r->p.start += WEEK;
		r->p.end += WEEK;
		rs_build(app, r);
		break;
	case '\n':
	case UI_FN + KEY_ENTER: {
		struct idea *idea = NULL;
		if (r->sel >= r->n || !r->lines[r->sel].key)
			break;
		uint64_t k = r->lines[r->sel].key;
		if (store_idea_get(app->cli->store, k, &idea, NULL) != 0) {
			ui_message(app, 1, _("%s is no longer in the store"),
				   r->lines[r->sel].ref);
			break;
		}
		idea_free(idea);
		/* The board selects the card under the review, and its detail
		 * opens on top: q goes back to the review, q again to the
		 * board, where the card is selected. */
		ui_request_key(app, UI_REQ_FOLLOW, k);
		ui_request_key(app, UI_REQ_OPEN_DETAIL, k);
		break;
	}
	case '?':
		ui_request(app, UI_REQ_HELP, NULL);
		break;
	case 'q':
	case UI_ESC:
	case 'r':
		ui_pop(app);
		break;
	}
}

static void rs_reload(struct app *app, void *st)
{
	rs_build(app, st);
}

static void rs_close(struct app *app, void *st)
{
	struct rscreen *r = st;
	(void)app;
	rs_clear(r);
	free(r->region);
	free(r->facilitator);
	free(r);
}

static const struct screen_ops review_ops = {
    .name = "review",
    .draw = rs_draw,
    .key = rs_key,
    .close = rs_close,
    .reload = rs_reload,
};

void review_open(struct app *app, const char *region, const char *facilitator,
		 int facilitator_whole)
{
	struct rscreen *r = xcalloc(1, sizeof(*r));
	struct fai_err err;
	fai_err_clear(&err);
	review_load_config(app->cli->store, &r->p, &err);
	r->region = region ? xstrdup(region) : NULL;
	r->facilitator = facilitator ? xstrdup(facilitator) : NULL;
	r->p.region = r->region;
	r->p.facilitator = r->facilitator;
	r->p.facilitator_whole = facilitator_whole;
	r->p.end = app->cli->actor.now;
	r->p.start = r->p.end - WEEK;
	rs_build(app, r);
	ui_push(app, &review_ops, r);
}
