/* form.c - the form that creates (n) or edits (e) an idea on the board.
 *
 * One line editor per editable field.  Saving goes through the same store
 * calls as `fai add` and `fai edit`, with the revision the form was opened
 * at: when a colleague changed the idea meanwhile, nothing is saved, the
 * person's text stays in the form, and a second save applies it over the
 * new version knowingly.  A refused value keeps the form open on the field
 * at fault.  After a save the form asks the loop to follow the card (the
 * board selects it).  Opened after a gate refused a move (form_open_gate),
 * it marks the fields the gate wants, and each save tries the move again
 * with the revision just written. */
#include "form.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/template.h"
#include "../core/utf8.h"
#include "cmd.h"
#include "i18n.h"
#include "out.h"

static const enum idea_field form_fields[] = {
    IDEA_TITLE,	     IDEA_REGION,      IDEA_TERRITORY,	 IDEA_THEME,
    IDEA_TAGS,	     IDEA_NEED,	       IDEA_CONCEPT,	 IDEA_SOURCE,
    IDEA_PARTNERS,   IDEA_FACILITATOR, IDEA_OWNER,	 IDEA_STRUCTURE,
    IDEA_LEGAL_FORM, IDEA_SIRET,       IDEA_LAUNCH_DATE, IDEA_JOBS,
};
#define FORM_N (sizeof(form_fields) / sizeof(form_fields[0]))

struct form {
	uint64_t key; /* 0: a new idea */
	uint64_t rev; /* the revision the person is editing from */
	struct idea *orig;
	struct ui_line lines[FORM_N];
	size_t focus; /* FORM_N is the Save button */
	size_t top;
	int conflict; /* a colleague's change was seen: next save overrides */
	unsigned char clash[FORM_N]; /* both the person and the colleague
					changed this field */
	char *region0;	    /* a new idea: the store's region, shown at the
			       start in Région (heap, may be NULL) */
	uint64_t missing;   /* after a gate refusal: the fields it wants */
	enum stage gate_to; /* the move to try after each save, or NONE */
};

/* Returns 1 when field i is one the gate wants and it is still empty. */
static int form_missing(const struct form *f, size_t i)
{
	const char *now = f->lines[i].text.data ? f->lines[i].text.data : "";
	return f->gate_to != STAGE_NONE &&
	       (f->missing & (UINT64_C(1) << form_fields[i])) &&
	       now[strspn(now, " \t")] == '\0';
}

/* Focuses the first field, top to bottom, that the gate wants. */
static void form_focus_missing(struct form *f)
{
	for (size_t i = 0; i < FORM_N; i++)
		if (f->missing & (UINT64_C(1) << form_fields[i])) {
			f->focus = i;
			return;
		}
}

/* Returns what field i held when the form opened: the idea's value, or for
 * a new idea the default it starts with (the store's region), else "". */
static const char *form_was(const struct form *f, size_t i)
{
	if (f->orig)
		return idea_get(f->orig, form_fields[i]);
	if (form_fields[i] == IDEA_REGION && f->region0)
		return f->region0;
	return "";
}

/* Returns 1 when field i differs between the person's text and the
 * colleague's version (only meaningful after a conflict). */
static int form_differs(const struct form *f, size_t i)
{
	const char *mine = f->lines[i].text.data ? f->lines[i].text.data : "";
	return f->conflict && f->clash[i] &&
	       strcmp(mine, idea_get(f->orig, form_fields[i]));
}

static int form_modified(const struct form *f)
{
	for (size_t i = 0; i < FORM_N; i++) {
		const char *now =
		    f->lines[i].text.data ? f->lines[i].text.data : "";
		if (strcmp(now, form_was(f, i)) != 0)
			return 1;
	}
	return 0;
}

static void form_draw(struct app *app, void *st)
{
	struct form *f = st;
	char title[160];
	size_t wl = 0;
	if (f->key && f->gate_to != STAGE_NONE)
		snprintf(title, sizeof(title),
			 _("Edit %s (revision %llu) to move it to %s"),
			 idea_get(f->orig, IDEA_REF),
			 (unsigned long long)f->rev,
			 out_stage_label(f->gate_to));
	else if (f->key)
		snprintf(title, sizeof(title), _("Edit %s (revision %llu)"),
			 idea_get(f->orig, IDEA_REF),
			 (unsigned long long)f->rev);
	else
		snprintf(title, sizeof(title), "%s", _("New idea"));
	ui_text(app, 0, 0, app->cols, title, ui_attr(app, UI_HEADER), 1);
	for (size_t i = 0; i < FORM_N; i++) {
		size_t w = utf8_width(out_field_label(form_fields[i]));
		if (w > wl)
			wl = w;
	}
	int body = app->rows - 4; /* title, save row, status, hints */
	if (body < 1)
		body = 1;
	if (f->focus < FORM_N) {
		if (f->focus < f->top)
			f->top = f->focus;
		if (f->focus >= f->top + (size_t)body)
			f->top = f->focus - (size_t)body + 1;
	}
	int vx = (int)wl + 3;
	for (int r = 0; r < body && f->top + (size_t)r < FORM_N; r++) {
		size_t i = f->top + (size_t)r;
		const char *label = out_field_label(form_fields[i]);
		int req = form_fields[i] == IDEA_TITLE;
		ui_text(app, 1 + r, 0, (int)wl + 2, label,
			i == f->focus ? ui_attr(app, UI_HEADER) : A_NORMAL, 1);
		if (req)
			ui_text(app, 1 + r, (int)wl + 1, 1, "*",
				ui_attr(app, UI_ALERT), 0);
		if (form_missing(f, i))
			ui_text(app, 1 + r, (int)wl + 1, 1, "!",
				ui_attr(app, UI_ALERT) | A_BOLD, 0);
		if (form_differs(f, i))
			ui_text(app, 1 + r, (int)wl + 1, 1,
				app->utf8 ? "≠" : "!", ui_attr(app, UI_WARN),
				0);
		ui_line_draw(app, &f->lines[i], 1 + r, vx, app->cols - vx,
			     i == f->focus ? A_UNDERLINE : A_NORMAL, 0);
	}
	int sy = 1 + (body < (int)FORM_N ? body : (int)FORM_N);
	ui_text(app, sy, vx, app->cols - vx, _("[ Save ]"),
		f->focus == FORM_N ? ui_attr(app, UI_SELECTED) : A_BOLD, 0);
	int theirs =
	    f->conflict && f->focus < FORM_N && form_differs(f, f->focus);
	/* The message (who changed the idea, where Ctrl-O wrote) keeps the
	 * status line when the form leaves a free line above it. */
	int ty = theirs && app->msg[0] && sy < app->rows - 3 ? app->rows - 3
							     : app->rows - 2;
	if (theirs) {
		/* The colleague's version of the focused field, beside it. */
		char *line = xasprintf(
		    _("theirs: %s"), idea_get(f->orig, form_fields[f->focus]));
		ui_text(app, ty, 0, app->cols, line,
			ui_attr(app, UI_WARN) | A_REVERSE, 1);
		free(line);
	}
	if (!theirs || ty != app->rows - 2) {
		ui_text(app, app->rows - 2, 0, app->cols, app->msg,
			app->msg_error ? ui_attr(app, UI_ALERT) | A_REVERSE
				       : ui_attr(app, UI_STATUS),
			1);
	}
	ui_text(app, app->rows - 1, 0, app->cols,
		f->conflict ? _("≠ both changed  ^T theirs  ^O mine to a file  "
				"^S save mine  Esc drop")
			    : _("↑↓ Tab: field   Enter: next   Ctrl-S or F2: "
				"save   Esc: cancel"),
		ui_attr(app, UI_DIM), 1);
	/* the cursor last, in the focused field */
	if (f->focus < FORM_N && f->focus >= f->top &&
	    f->focus < f->top + (size_t)body)
		ui_line_draw(app, &f->lines[f->focus],
			     1 + (int)(f->focus - f->top), vx, app->cols - vx,
			     A_UNDERLINE, 1);
}

/* Focuses the field named in an error, if it is in the form. */
static void form_focus_field(struct form *f, const char *code)
{
	int fld = idea_field_parse(code);
	for (size_t i = 0; i < FORM_N; i++)
		if ((int)form_fields[i] == fld)
			f->focus = i;
}

static void form_error(struct app *app, struct form *f, int rc,
		       struct fai_err *err)
{
	struct buf m;
	buf_init(&m);
	cli_message(app->cli, rc, err, &m);
	ui_message(app, 1, "%s", m.data ? m.data : "");
	buf_free(&m);
	if (err->field[0])
		form_focus_field(f, err->field);
}

static void form_save_new(struct app *app, struct form *f)
{
	struct idea *idea = idea_new();
	struct fai_err err;
	char *region = NULL;
	int rc = 0;
	fai_err_clear(&err);
	for (size_t i = 0; i < FORM_N && !rc; i++) {
		const char *v = f->lines[i].text.data;
		if (v && *v)
			rc = idea_set(idea, form_fields[i], v, IDEA_SET_TYPED,
				      &err);
	}
	if (!rc && !idea_get(idea, IDEA_REGION)[0]) {
		store_meta_get(app->cli->store, "region", &region, NULL);
		if (region)
			idea_set_raw(idea, IDEA_REGION, region);
		free(region);
	}
	if (!rc && !idea_get(idea, IDEA_TITLE)[0])
		rc = fai_err_set(&err, FAI_EINVAL, FAI_WHY_REQUIRED, "title",
				 "");
	if (!rc && !idea_get(idea, IDEA_REGION)[0])
		rc = fai_err_set(&err, FAI_EINVAL, FAI_WHY_REQUIRED, "region",
				 "");
	if (!rc)
		rc = store_idea_create(app->cli->store, &app->cli->actor, idea,
				       &err);
	if (rc) {
		form_error(app, f, rc, &err);
		idea_free(idea);
		return;
	}
	uint64_t key = idea->key;
	char ok[120];
	snprintf(ok, sizeof(ok), _("%s created"), idea_get(idea, IDEA_REF));
	idea_free(idea);
	ui_pop(app);
	ui_message(app, 0, "%s", ok);
	ui_changed(app);
	ui_request_key(app, UI_REQ_FOLLOW, key);
}

/* After a save in a form a gate opened (or a save with nothing to change):
 * tries the move again at the revision just written, saved (0 when nothing
 * was written: the form's), and says the result.  The form closes on the
 * card moved; on what the gate still wants it stays open, on the version
 * saved, with those fields marked. */
static void form_gate_retry(struct app *app, struct form *f, uint64_t saved)
{
	struct fai_err err;
	struct buf m;
	char ref[24], ok[200];
	uint64_t key = f->key;
	enum stage to = f->gate_to;
	snprintf(ref, sizeof(ref), "%s", idea_get(f->orig, IDEA_REF));
	fai_err_clear(&err);
	int rc = store_idea_move(app->cli->store, &app->cli->actor, ref, to,
				 NULL, 0, saved ? saved : f->rev, NULL, &err);
	if (rc == 0) {
		snprintf(ok, sizeof(ok),
			 saved ? _("%s saved and moved to %s")
			       : _("%s moved to %s"),
			 ref, out_stage_label(to));
		ui_pop(app);
		ui_message(app, 0, "%s", ok);
		ui_changed(app);
		ui_request_key(app, UI_REQ_FOLLOW, key);
		return;
	}
	buf_init(&m);
	if (rc == -FAI_EGATE) {
		/* Stay: the person goes on with what is still missing, from
		 * the version now stored (values as the store wrote them). */
		struct idea *fresh = NULL;
		if (store_idea_get(app->cli->store, key, &fresh, NULL) == 0) {
			idea_free(f->orig);
			f->orig = fresh;
			f->rev = idea_revision(fresh);
			for (size_t i = 0; i < FORM_N; i++)
				ui_line_set(&f->lines[i],
					    idea_get(fresh, form_fields[i]));
			f->conflict = 0;
			memset(f->clash, 0, sizeof(f->clash));
		}
		f->missing = err.missing;
		form_focus_missing(f);
		buf_printf(&m, "%s",
			   saved ? _("saved, not moved; still missing: ")
				 : _("not moved; still missing: "));
		cli_print_missing(&m, err.missing);
		ui_message(app, 1, "%s", m.data ? m.data : "");
		ui_changed(app);
	} else {
		/* Not the gate (a colleague moved it meanwhile, say): what
		 * was saved stays saved, the card stays where it is. */
		cli_message(app->cli, rc, &err, &m);
		ui_pop(app);
		ui_message(app, 1,
			   saved ? _("%s saved, not moved: %s")
				 : _("%s not moved: %s"),
			   ref, m.data ? m.data : "");
		ui_changed(app);
		ui_request_key(app, UI_REQ_FOLLOW, key);
	}
	buf_free(&m);
}

static void form_save_edit(struct app *app, struct form *f)
{
	struct store_set sets[FORM_N];
	size_t n = 0;
	struct fai_err err;
	uint64_t rev = 0;
	for (size_t i = 0; i < FORM_N; i++) {
		const char *now =
		    f->lines[i].text.data ? f->lines[i].text.data : "";
		if (strcmp(now, idea_get(f->orig, form_fields[i])) == 0)
			continue;
		sets[n].field = form_fields[i];
		sets[n++].value = now;
	}
	if (n == 0) {
		if (f->gate_to != STAGE_NONE) {
			form_gate_retry(app, f, 0);
			return;
		}
		ui_pop(app);
		ui_message(app, 0, "%s", _("No change."));
		return;
	}
	fai_err_clear(&err);
	int rc = store_idea_edit(app->cli->store, &app->cli->actor,
				 idea_get(f->orig, IDEA_REF), sets, n, f->rev,
				 &rev, &err);
	if (rc == -FAI_ECONFLICT) {
		/* Keep the person's text; take the new version as the base so
		 * that saving again is a decision made knowingly. */
		struct idea *fresh = NULL;
		struct buf m;
		buf_init(&m);
		cli_message(app->cli, rc, &err, &m);
		if (store_idea_get(app->cli->store, f->key, &fresh, NULL) ==
		    0) {
			/* Three-way: a field the person did not touch takes
			 * the colleague's value, so saving never puts back an
			 * old value by accident; only fields both changed keep
			 * the person's text, marked ≠. */
			for (size_t i = 0; i < FORM_N; i++) {
				const char *mine = f->lines[i].text.data
						       ? f->lines[i].text.data
						       : "";
				const char *was =
				    idea_get(f->orig, form_fields[i]);
				const char *theirs =
				    idea_get(fresh, form_fields[i]);
				f->clash[i] = strcmp(mine, was) != 0 &&
					      strcmp(theirs, was) != 0 &&
					      strcmp(mine, theirs) != 0;
				if (strcmp(mine, was) == 0)
					ui_line_set(&f->lines[i], theirs);
			}
			idea_free(f->orig);
			f->orig = fresh;
			f->rev = idea_revision(fresh);
		}
		f->conflict = 1;
		ui_message(
		    app, 1, "%s — %s", m.data ? m.data : "",
		    _("your changes are kept here (≠ where they differ from "
		      "theirs): Ctrl-S saves them, Esc drops them"));
		buf_free(&m);
		return;
	}
	if (rc == -FAI_ENOTHING && f->gate_to != STAGE_NONE) {
		form_gate_retry(app, f, 0);
		return;
	}
	if (rc == -FAI_ENOTHING) {
		ui_pop(app);
		ui_message(app, 0, "%s", _("No change."));
		return;
	}
	if (rc) {
		form_error(app, f, rc, &err);
		return;
	}
	if (f->gate_to != STAGE_NONE) {
		form_gate_retry(app, f, rev);
		return;
	}
	uint64_t key = f->key;
	char ok[160];
	snprintf(ok, sizeof(ok), _("%s saved (revision %llu)"),
		 idea_get(f->orig, IDEA_REF), (unsigned long long)rev);
	ui_pop(app);
	ui_message(app, 0, "%s", ok);
	ui_changed(app);
	ui_request_key(app, UI_REQ_FOLLOW, key);
}

/* Saves the person's version of every field to a file they can come back
 * to (the template of fai edit), and says where. */
static void form_keep_file(struct app *app, struct form *f)
{
	struct idea *mine = idea_clone(f->orig);
	struct buf text;
	for (size_t i = 0; i < FORM_N; i++)
		idea_set_raw(mine, form_fields[i], f->lines[i].text.data);
	buf_init(&text);
	template_render(
	    &text, mine,
	    _("# Your version, kept when a colleague changed the idea.\n"),
	    cli_template_names());
	/* A new private file, never through a link (see cli_keep_text). */
	char *path = cli_keep_text(idea_get(f->orig, IDEA_REF), "-mine",
				   text.data, text.len);
	if (path)
		ui_message(app, 0, _("your version is saved in %s"), path);
	else
		ui_message(app, 1, _("cannot write a temporary file in %s"),
			   getenv("TMPDIR") && *getenv("TMPDIR")
			       ? getenv("TMPDIR")
			       : "/tmp");
	free(path);
	buf_free(&text);
	idea_free(mine);
}

/* Closes the form without saving, saying so; after a gate refusal, says
 * too that the card did not move (dropped: changes were typed). */
static void form_leave(struct app *app, struct form *f, int dropped)
{
	char ref[24], stage[120];
	int gate = f->gate_to != STAGE_NONE;
	if (gate) {
		snprintf(ref, sizeof(ref), "%s", idea_get(f->orig, IDEA_REF));
		snprintf(stage, sizeof(stage), "%s",
			 out_stage_label(idea_stage(f->orig)));
	}
	ui_pop(app); /* frees f */
	if (gate && dropped)
		ui_message(app, 0, _("%s not moved, changes dropped"), ref);
	else if (gate)
		ui_message(app, 0, _("%s not moved: it stays in %s"), ref,
			   stage);
	else if (dropped)
		ui_message(app, 0, "%s", _("changes dropped"));
}

static void discard_done(struct app *app, void *ctx, int index)
{
	if (index == 0)
		form_leave(app, ctx, 1);
}

static void form_key(struct app *app, void *st, int key)
{
	struct form *f = st;
	switch (key) {
	case UI_FN + KEY_DOWN:
	case '\t':
		f->focus = (f->focus + 1) % (FORM_N + 1);
		return;
	case '\n':
	case UI_FN + KEY_ENTER:
		if (f->focus == FORM_N)
			break; /* the Save button */
		f->focus++;
		return;
	case UI_FN + KEY_UP:
	case UI_FN + KEY_BTAB:
		f->focus = (f->focus + FORM_N) % (FORM_N + 1);
		return;
	case UI_ESC:
	case UI_CTRL('c'):
		if (form_modified(f)) {
			const char *items[] = {_("Drop my changes"),
					       _("Keep editing")};
			ui_pick(app, _("Drop the changes made in this form?"),
				items, 2, 1, discard_done, f);
		} else {
			form_leave(app, f, 0);
		}
		return;
	case UI_CTRL('s'):
	case UI_FN + KEY_F(2):
		break;
	case UI_CTRL('t'):
		if (f->conflict && f->focus < FORM_N) {
			ui_line_set(&f->lines[f->focus],
				    idea_get(f->orig, form_fields[f->focus]));
			f->clash[f->focus] = 0;
		}
		return;
	case UI_CTRL('o'):
		if (f->key)
			form_keep_file(app, f);
		return;
	default:
		if (f->focus < FORM_N)
			ui_line_key(&f->lines[f->focus], key);
		return;
	}
	app->msg[0] = '\0';
	if (f->key)
		form_save_edit(app, f);
	else
		form_save_new(app, f);
}

static void form_close(struct app *app, void *st)
{
	struct form *f = st;
	(void)app;
	for (size_t i = 0; i < FORM_N; i++)
		ui_line_free(&f->lines[i]);
	idea_free(f->orig);
	free(f->region0);
	free(f);
}

static const struct screen_ops form_ops = {
    .name = "form",
    .draw = form_draw,
    .key = form_key,
    .close = form_close,
};

/* Makes the form on the idea key (0: a new idea); NULL, said on the status
 * line, when the idea cannot be read. */
static struct form *form_new(struct app *app, uint64_t key)
{
	struct form *f = xcalloc(1, sizeof(*f));
	struct fai_err err;
	f->key = key;
	f->gate_to = STAGE_NONE;
	if (key) {
		fai_err_clear(&err);
		int rc = store_idea_get(app->cli->store, key, &f->orig, &err);
		if (rc) {
			struct buf m;
			buf_init(&m);
			cli_message(app->cli, rc, &err, &m);
			ui_message(app, 1, "%s", m.data ? m.data : "");
			buf_free(&m);
			free(f);
			return NULL;
		}
		f->rev = idea_revision(f->orig);
	} else {
		/* The region a new idea will be saved with, seen and
		 * changeable before the save rather than added unseen. */
		store_meta_get(app->cli->store, "region", &f->region0, NULL);
	}
	for (size_t i = 0; i < FORM_N; i++)
		ui_line_set(&f->lines[i], form_was(f, i));
	app->msg[0] = '\0';
	return f;
}

void form_open(struct app *app, uint64_t key)
{
	struct form *f = form_new(app, key);
	if (f)
		ui_push(app, &form_ops, f);
}

void form_open_gate(struct app *app, uint64_t key, uint64_t missing,
		    enum stage to)
{
	struct form *f = key ? form_new(app, key) : NULL;
	if (!f)
		return;
	f->missing = missing;
	f->gate_to = to;
	form_focus_missing(f);
	ui_push(app, &form_ops, f);
	ui_message(app, 0, "%s",
		   _("fill in the fields marked !, then Ctrl-S saves and "
		     "moves the card"));
}
