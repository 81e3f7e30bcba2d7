/* detail.c - the card's detail: every field, then comments and moves in
 * time order, scrollable.  Built once from the store when opened (and when
 * the store changes), as a list of display-safe lines wrapped to the
 * screen's width.  e asks the loop for the form on the card. */
#include "detail.h"

#include <stdlib.h>
#include <string.h>

#include "../core/geo.h"
#include "../core/utf8.h"
#include "../core/validate.h"
#include "comment.h"
#include "i18n.h"
#include "out.h"

struct dline {
	char *text;
	int attr; /* enum ui_attr */
};

struct detail {
	uint64_t key;
	struct dline *lines;
	size_t n;
	size_t top;
	int width;   /* the width the lines were wrapped to */
	size_t body; /* the lines shown, from the last draw */
	char title[600];
	int to_end; /* c was pressed: show the end, where the comment goes */
};

static void add_line(struct detail *d, const char *s, size_t len, int attr)
{
	d->lines = xrealloc(d->lines, (d->n + 1) * sizeof(*d->lines));
	d->lines[d->n].text = xstrndup(s, len);
	d->lines[d->n].attr = attr;
	d->n++;
}

/* Adds prefix and text (made display-safe, several lines) wrapped by words
 * at width cells (utf8_wrap, the rule the help uses too), each line after
 * the first indented by indent spaces. */
static void add_wrapped(struct detail *d, const char *prefix, const char *text,
			int attr, int width, int indent)
{
	struct buf safe, line;
	size_t next, pw = utf8_width(prefix);
	buf_init(&safe);
	buf_init(&line);
	utf8_safe(&safe, text, strlen(text), UTF8_SAFE_MULTILINE);
	const char *p = safe.data ? safe.data : "";
	int first = 1;
	do {
		size_t lead = first ? pw : (size_t)indent;
		size_t room =
		    (size_t)width > lead + 8 ? (size_t)width - lead : 8;
		size_t len = utf8_wrap(p, room, &next);
		buf_reset(&line);
		if (first)
			buf_adds(&line, prefix);
		else
			buf_printf(&line, "%*s", indent, "");
		buf_add(&line, p, len);
		add_line(d, line.data, line.len, attr);
		p += next;
		first = 0;
	} while (*p);
	buf_free(&safe);
	buf_free(&line);
}

struct hist {
	struct detail *d;
	int width;
	int utf8;		/* the glyph set (app->utf8) */
	struct cli_undos undos; /* to tell a redo from an undo */
};

static int add_history(const struct log_entry *e, void *arg)
{
	struct hist *h = arg;
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s  %s  ", out_time(e->at), e->user ? e->user : "?");
	const struct log_change *st = log_entry_change(e, "stage");
	switch (e->kind) {
	case LOG_CREATE:
		buf_adds(&b, _("created"));
		break;
	case LOG_MOVE:
		buf_printf(
		    &b, "%s → %s",
		    st && st->before ? out_stage_label(stage_parse(st->before))
				     : "",
		    st && st->after ? out_stage_label(stage_parse(st->after))
				    : "");
		if (e->forced)
			buf_printf(&b, " %s", _("(gate forced)"));
		if (e->text && *e->text)
			buf_printf(&b, " — %s", e->text);
		break;
	case LOG_COMMENT:
		buf_printf(&b, "%s %s", h->utf8 ? "💬" : "»",
			   e->text ? e->text : "");
		break;
	case LOG_EDIT:
		buf_adds(&b, _("edited"));
		for (size_t i = 0; i < e->nchanges; i++) {
			int f = idea_field_parse(e->changes[i].name);
			buf_printf(&b, "%s%s", i ? ", " : " ",
				   f >= 0 ? out_field_label(f)
					  : e->changes[i].name);
		}
		break;
	case LOG_REORDER:
		buf_adds(&b, _("reordered in its column"));
		break;
	case LOG_UNDO:
		cli_undo_describe(&b, e, cli_undos_note(&h->undos, e));
		break;
	case LOG_IMPORT:
		buf_printf(&b, _("imported: %s"), e->text ? e->text : "");
		if (e->forced)
			buf_printf(&b, " %s", _("(gate forced)"));
		break;
	default:
		cli_action_name(&b, e, 0);
	}
	add_wrapped(h->d, "", b.data,
		    e->kind == LOG_COMMENT ? UI_NORMAL : UI_DIM, h->width,
		    h->width < 60 ? 2 : 19);
	buf_free(&b);
	return 0;
}

static void detail_build(struct app *app, struct detail *d)
{
	struct idea *idea = NULL;
	struct fai_err err;
	int width = app->cols - 2;
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	d->lines = NULL;
	d->n = 0;
	d->width = app->cols;
	fai_err_clear(&err);
	if (store_idea_get(app->cli->store, d->key, &idea, &err) != 0) {
		add_line(d, _("This idea no longer exists."),
			 strlen(_("This idea no longer exists.")), UI_ALERT);
		return;
	}
	snprintf(d->title, sizeof(d->title), "%s  %s", idea_get(idea, IDEA_REF),
		 idea_get(idea, IDEA_TITLE));
	size_t wl = 0;
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		size_t w = utf8_width(out_field_label(f));
		if (w > wl)
			wl = w;
	}
	/* On a narrow screen the labels' column would leave the values a few
	 * cells: each value follows its label, continued under an indent. */
	int narrow = (int)wl + 2 > width / 3;
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		const struct idea_field_info *fi = idea_field_info(f);
		const char *v = idea_get(idea, f);
		if ((fi->flags & IDEA_FF_INTERNAL) || f == IDEA_ID ||
		    f == IDEA_REF || f == IDEA_TITLE)
			continue;
		char *prefix =
		    narrow
			? xasprintf("%s: ", out_field_label(f))
			: xasprintf("%s:%*s ", out_field_label(f),
				    (int)(wl - utf8_width(out_field_label(f))),
				    "");
		char *value = NULL;
		if (f == IDEA_STAGE)
			value = xstrdup(out_stage_label(idea_stage(idea)));
		else if (f == IDEA_REGION && validate_region_name(v))
			value = xasprintf("%s %s", v, validate_region_name(v));
		else if (*v && f == IDEA_TERRITORY) {
			struct buf named; /* "63113 Clermont-Ferrand" */
			buf_init(&named);
			geo_territory_text(v, 1, &named);
			value = buf_steal(&named);
		} else if (*v &&
			   (f == IDEA_CREATED_AT || f == IDEA_UPDATED_AT ||
			    f == IDEA_STAGE_SINCE))
			value = xstrdup(out_time(idea_time(idea, f, 0)));
		else if (*v && f == IDEA_LAUNCH_DATE)
			value = xstrdup(out_day(v));
		else
			value = xstrdup(v);
		add_wrapped(d, prefix, value, UI_NORMAL, width,
			    narrow ? 2 : (int)wl + 2);
		free(prefix);
		free(value);
	}
	add_line(d, "", 0, UI_NORMAL);
	const char *h = _("History and comments");
	add_line(d, h, strlen(h), UI_HEADER);
	struct hist hs = {.d = d, .width = width, .utf8 = app->utf8};
	store_log_foreach(app->cli->store, d->key, 0, add_history, &hs, &err);
	cli_undos_free(&hs.undos);
	idea_free(idea);
}

static int detail_title_line(void *ctx, int i, const char *text, size_t len)
{
	struct app *app = ((void **)ctx)[0];
	int *max = ((void **)ctx)[1];
	char *line = xstrndup(text, len);
	/* The last line room allows: the rest of the title cut with "…". */
	ui_text(app, i, 0, app->cols, i + 1 == *max ? text : line,
		ui_attr(app, UI_HEADER), 1);
	free(line);
	return 0;
}

/* The keys of the detail, packed on one line, two on a narrow screen. */
static const char *detail_hint(void)
{
	return _("↑↓ PgUp PgDn: scroll   e: edit   c: comment   q/Esc: back");
}

static void detail_draw(struct app *app, void *st)
{
	struct detail *d = st;
	if (d->width != app->cols)
		detail_build(app, d);
	/* The title wraps on up to a third of the screen; the keys take one
	 * line, or up to three when they do not fit in one. */
	int head_max = app->rows / 3 > 1 ? app->rows / 3 : 1;
	int head = ui_wrap(d->title, app->cols, head_max, NULL, NULL);
	void *ctx[2] = {app, &head};
	ui_wrap(d->title, app->cols, head, detail_title_line, ctx);
	int foot = ui_footer(app, detail_hint(), 3, 0);
	int body = app->rows - head - 1 - foot;
	d->body = body > 1 ? (size_t)body : 1;
	for (int i = 0; i < body && d->top + (size_t)i < d->n; i++) {
		struct dline *l = &d->lines[d->top + (size_t)i];
		ui_text(app, head + i, 1, app->cols - 1, l->text,
			ui_attr(app, (enum ui_attr)l->attr), 0);
	}
	char pos[64];
	snprintf(pos, sizeof(pos), " %zu/%zu ", d->top + 1, d->n);
	int sy = app->rows - 1 - foot;
	ui_text(app, sy, 0, app->cols, app->msg[0] ? app->msg : "",
		ui_attr(app, UI_STATUS), 1);
	ui_text_right(app, sy, app->cols, pos, ui_attr(app, UI_STATUS));
	ui_footer(app, detail_hint(), foot, 1);
}

static void detail_key(struct app *app, void *st, int key)
{
	struct detail *d = st;
	size_t body = d->body ? d->body : 1;
	size_t max = d->n > body ? d->n - body : 0;
	app->msg[0] = '\0';
	d->to_end = 0;
	if (ui_scroll_key(key, &d->top, max, body))
		return;
	switch (key) {
	case 'e':
		ui_request_key(app, UI_REQ_OPEN_FORM, d->key);
		break;
	case 'c':
		d->to_end = 1;
		comment_ask(app, d->key);
		break;
	case '?':
		ui_request(app, UI_REQ_HELP, NULL);
		break;
	case 'q':
	case UI_ESC:
	case '\n':
	case UI_FN + KEY_LEFT:
	case 'h':
		ui_pop(app);
		break;
	}
}

static void detail_refresh(struct app *app, void *st)
{
	struct detail *d = st;
	detail_build(app, d);
	/* after a comment typed here: the end of the history, to see it */
	size_t body = app->rows > 3 ? (size_t)app->rows - 3 : 1;
	if (d->to_end)
		d->top = d->n > body ? d->n - body : 0;
}

static void detail_close(struct app *app, void *st)
{
	struct detail *d = st;
	(void)app;
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	free(d);
}

static const struct screen_ops detail_ops = {
    .name = "detail",
    .draw = detail_draw,
    .key = detail_key,
    .close = detail_close,
    .reload = detail_refresh,
};

void detail_open(struct app *app, uint64_t key)
{
	struct detail *d = xcalloc(1, sizeof(*d));
	d->key = key;
	detail_build(app, d);
	ui_push(app, &detail_ops, d);
}
