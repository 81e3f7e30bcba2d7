/* reviewscr.c - the weekly review on the board (key r): the same sections
 * as `fai review`, for the board's current region or facilitator filter,
 * scrollable; Enter on a line naming an idea goes to its card; [ and ] step
 * the period back and forth by a week.  The text is the one `fai review`
 * prints (display-safe, 80 columns), kept as lines. */
#include "reviewscr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/isotime.h"
#include "i18n.h"
#include "review.h"

#define WEEK (7 * 86400)

struct rline {
	char *text;
	char ref[24]; /* the first reference on the line, "" when none */
};

struct rscreen {
	struct review_params p;
	char *region, *facilitator;
	struct rline *lines;
	size_t n, top, sel;
};

/* Finds a reference like 84-0042 in s. */
static void find_ref(const char *s, char out[24])
{
	out[0] = '\0';
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
		    p[2] != '-' || (p > s && isalnum((unsigned char)p[-1])))
			continue;
		size_t d = 0;
		while (isdigit((unsigned char)p[3 + d]))
			d++;
		if (d >= 4 && d < 16) {
			memcpy(out, p, 3 + d);
			out[3 + d] = '\0';
			return;
		}
	}
}

static void rs_clear(struct rscreen *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i].text);
	free(r->lines);
	r->lines = NULL;
	r->n = 0;
}

static void rs_build(struct app *app, struct rscreen *r)
{
	struct review *rev = NULL;
	struct fai_err err;
	char *text = NULL;
	size_t len = 0;
	rs_clear(r);
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
	FILE *f = open_memstream(&text, &len);
	if (f) {
		review_print(f, rev, REVIEW_TEXT, app->utf8);
		fclose(f);
	}
	review_free(rev);
	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		r->lines = xrealloc(r->lines, (r->n + 1) * sizeof(*r->lines));
		r->lines[r->n].text = xstrndup(p, l);
		find_ref(r->lines[r->n].text, r->lines[r->n].ref);
		r->n++;
		p += l + (nl ? 1 : 0);
	}
	free(text);
	if (r->sel >= r->n)
		r->sel = r->n ? r->n - 1 : 0;
}

static void rs_draw(struct app *app, void *st)
{
	struct rscreen *r = st;
	int body = app->rows - 2;
	if (r->sel < r->top)
		r->top = r->sel;
	if (r->sel >= r->top + (size_t)body)
		r->top = r->sel - (size_t)body + 1;
	for (int i = 0; i < body && r->top + (size_t)i < r->n; i++) {
		size_t k = r->top + (size_t)i;
		attr_t a = k == r->sel ? ui_attr(app, UI_SELECTED) : A_NORMAL;
		ui_text(app, i, 0, app->cols, r->lines[k].text, a, k == r->sel);
	}
	char from[ISODATE_LEN], to[ISODATE_LEN];
	isotime_format_date(r->p.start, from);
	isotime_format_date(r->p.end - 1, to);
	char *status = xasprintf(_(" review %s → %s%s%s  %zu/%zu"), from, to,
				 r->region ? " · " : "",
				 r->region ? r->region : "", r->sel + 1, r->n);
	ui_text(app, app->rows - 2, 0, app->cols,
		app->msg[0] ? app->msg : status, ui_attr(app, UI_STATUS), 1);
	free(status);
	ui_text(app, app->rows - 1, 0, app->cols,
		_("↑↓: scroll  Enter: go to the idea  [ ]: week before/after  q: back"),
		ui_attr(app, UI_DIM), 1);
}

static void rs_key(struct app *app, void *st, int key)
{
	struct rscreen *r = st;
	size_t body = app->rows > 2 ? (size_t)app->rows - 2 : 1;
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
		if (r->sel >= r->n || !r->lines[r->sel].ref[0])
			break;
		if (store_idea_find(app->cli->store, r->lines[r->sel].ref, &idea,
				    NULL) != 0) {
			ui_message(app, 1, _("%s is no longer in the store"),
				   r->lines[r->sel].ref);
			break;
		}
		uint64_t k = idea->key;
		idea_free(idea);
		ui_pop(app);
		ui_request_key(app, UI_REQ_FOLLOW, k);
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

void review_open(struct app *app, const char *region, const char *facilitator)
{
	struct rscreen *r = xcalloc(1, sizeof(*r));
	struct fai_err err;
	fai_err_clear(&err);
	review_load_config(app->cli->store, &r->p, &err);
	r->region = region ? xstrdup(region) : NULL;
	r->facilitator = facilitator ? xstrdup(facilitator) : NULL;
	r->p.region = r->region;
	r->p.facilitator = r->facilitator;
	r->p.end = app->cli->actor.now;
	r->p.start = r->p.end - WEEK;
	rs_build(app, r);
	ui_push(app, &review_ops, r);
}
