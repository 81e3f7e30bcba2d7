/* comment.c - a comment typed on the board or in a card's detail: the
 * prompt names the card ("Comment on 84-0021 “Conciergerie…”:") and takes
 * several lines; the comment is added through the same store call as `fai
 * comment`, with the revision the person saw, so a colleague's change in
 * between is said and the person decides again with their text kept.
 *
 * One comment is asked at a time (a prompt is modal): what the prompt is
 * about lives in one static record rather than in memory the prompt would
 * have to give back when the board quits under it. */
#include "comment.h"

#include <stdio.h>
#include <string.h>

#include "../core/utf8.h"
#include "i18n.h"

#define COMMENT_TITLE_W 24 /* cells of the title in the prompt's label */

static struct {
	uint64_t key;
	uint64_t rev; /* the revision the person saw */
	char ref[24];
	char label[400];
} pending;

static void comment_done(struct app *app, void *ctx, const char *text);

/* Writes the prompt's label for the idea into pending.label; changed says
 * the idea changed since the person saw it. */
static void comment_label(const struct idea *idea, int changed)
{
	struct buf t;
	buf_init(&t);
	utf8_fit(&t, idea_get(idea, IDEA_TITLE), COMMENT_TITLE_W);
	if (changed)
		snprintf(pending.label, sizeof(pending.label),
			 _("Comment on %s “%s” (it changed meanwhile; Enter "
			   "adds it anyway):"),
			 idea_get(idea, IDEA_REF), t.data ? t.data : "");
	else
		snprintf(pending.label, sizeof(pending.label),
			 _("Comment on %s “%s”:"), idea_get(idea, IDEA_REF),
			 t.data ? t.data : "");
	buf_free(&t);
}

static void comment_message(struct app *app, int rc, struct fai_err *err)
{
	struct buf m;
	buf_init(&m);
	cli_message(app->cli, rc, err, &m);
	ui_message(app, 1, "%s", m.data ? m.data : "");
	buf_free(&m);
}

static void comment_done(struct app *app, void *ctx, const char *text)
{
	struct fai_err err;
	(void)ctx;
	if (!text) {
		ui_message(app, 0, "%s", _("cancelled"));
		return;
	}
	fai_err_clear(&err);
	int rc = store_idea_comment(app->cli->store, &app->cli->actor,
				    pending.ref, text, pending.rev, NULL, &err);
	if (rc == -FAI_ECONFLICT) {
		/* The person decides again, their text still typed. */
		struct idea *now = NULL;
		comment_message(app, rc, &err);
		ui_changed(app);
		if (store_idea_get(app->cli->store, pending.key, &now, NULL) !=
		    0)
			return;
		pending.rev = idea_revision(now);
		comment_label(now, 1);
		idea_free(now);
		ui_prompt_lines(app, pending.label, text, comment_done, NULL);
		return;
	}
	if (rc) {
		comment_message(app, rc, &err);
		ui_changed(app);
		return;
	}
	ui_message(app, 0, _("Comment added to %s"), pending.ref);
	ui_changed(app);
}

void comment_ask(struct app *app, uint64_t key)
{
	struct idea *idea = NULL;
	struct fai_err err;
	if (app->readonly) {
		ui_message(app, 1, "%s",
			   _("read-only: nothing can be changed here"));
		return;
	}
	fai_err_clear(&err);
	int rc = store_idea_get(app->cli->store, key, &idea, &err);
	if (rc) {
		comment_message(app, rc, &err);
		return;
	}
	pending.key = key;
	pending.rev = idea_revision(idea);
	snprintf(pending.ref, sizeof(pending.ref), "%s",
		 idea_get(idea, IDEA_REF));
	comment_label(idea, 0);
	idea_free(idea);
	ui_prompt_lines(app, pending.label, "", comment_done, NULL);
}
