/* ui.c - the curses loop, the screen stack, the requests and the drawing
 * helpers every screen uses.
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
 * the screen that handles it, so no screen knows another.
 *
 * The loop's widgets live beside it, each an overlay on the stack:
 * ui_prompt.c (the line editor, the prompt, the picker), ui_help.c (key
 * tables, the keys line's words, the help overlay), ui_msg.c (the
 * message, its panel, the history M); ui_int.h is what they share with
 * the loop. */
#include "ui.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
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
#include "ui_int.h"

#define UI_POLL_MS 1000

static void ui_draw(struct app *app);

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
		ui_help_open(app, arg);
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
		ui_msgs_open(app);
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

/* ------------------------------------------------------------ wrap, keys */

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

/* ------------------------------------------------------------ keys doc */

/* Here, not in ui_help.c: it reads the board's table (board.h), and the
 * loop is the only file that includes a screen's header. */

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

/* ------------------------------------------------------------ loop */

static void ui_draw(struct app *app)
{
	int base = app->depth - 1;
	while (base > 0 && app->stack[base].ops->overlay)
		base--;
	curs_set(0);
	leaveok(stdscr, TRUE);
	erase();
	app->foot_busy = ui_prompt_foot(app);
	for (int i = base; i < app->depth; i++)
		app->stack[i].ops->draw(app, app->stack[i].st);
	app->msg_panel = 0;
	if (ui_msg_needs_panel(app, base)) {
		int cy, cx;
		getyx(stdscr, cy, cx); /* a prompt's cursor stays where it is */
		ui_msg_panel_draw(app);
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
		if (app.msg_panel && ui_msg_panel_key(&app, key))
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
