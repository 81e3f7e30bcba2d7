/* ui.h - the curses side of fai: one loop, a stack of screens sharing a
 * small table of operations (draw, key, close, reload, request), as tig's
 * views and htop's panels do, plus the widgets every screen uses (text cut
 * to a width, a line editor, a picker, the status line).  The only place
 * that includes curses, with the wide-character API.
 *
 * Screens never call each other: a screen that wants another one opened,
 * or a card followed on the board, asks the loop with ui_request(), as
 * tig's views send requests.  Each screen declares its *_open in its own
 * header (board.h, detail.h, form.h, reviewscr.h); only the loop (ui.c)
 * includes them. */
#ifndef FAI_UI_H
#define FAI_UI_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/xmalloc.h"
#include "cli.h"

/* Keys reach screens as ints: a character (Unicode code point) or a curses
 * KEY_* code with UI_FN added. */
#define UI_FN 0x1000000
#define UI_CTRL(c) ((c)&0x1f)
#define UI_ESC 27

/* A new line inside a text of several lines: Ctrl-J or Alt-Enter, handed
 * so only to a screen whose ops have multiline set (Enter stays '\n'). */
#define UI_NEWLINE (UI_FN + 01000)
/* The longest message kept whole: a path (PATH_MAX) and its sentence. */
#define UI_MSG_MAX 8192
/* The messages of a session the history (M) keeps, the oldest dropped. */
#define UI_MSG_HISTORY 200

struct app;

/* What a screen may ask of the loop (ui_request).  The UI_REQ_OPEN_* and
 * UI_REQ_HELP requests are the loop's: it opens that screen on top.  The
 * others are offered to the screens from the top of the stack down until
 * one handles them. */
enum ui_req {
	UI_REQ_HELP,	    /* the keys overlay */
	UI_REQ_OPEN_DETAIL, /* the detail of the card arg->key */
	UI_REQ_OPEN_FORM,   /* the form on arg->key, 0 for a new idea */
	UI_REQ_OPEN_REVIEW, /* the weekly review for arg->region and
			       arg->facilitator (each may be NULL) */
	UI_REQ_FOLLOW,	    /* select the card arg->key (the board does) */
	UI_REQ_MESSAGES,    /* the session's message history */
};

/* A key binding of a screen: a key code, what it does (the screen's own
 * command number), and whether the help shows it.  A screen keeps one
 * table of rows, each a sentence and its bindings: its key switch looks
 * the command up there (ui_keys_find) and the help draws the same rows,
 * so the help cannot tell of a key the screen does not have. */
struct ui_binding {
	int key;    /* a character, UI_CTRL(c) or UI_FN + KEY_* */
	int cmd;    /* the screen's command; 0 for none */
	int hidden; /* an alias the help does not list (Home for g) */
};

#define UI_ROW_KEYS 8

struct ui_keyrow {
	const char *text;		     /* N_() marked: what the keys do */
	struct ui_binding keys[UI_ROW_KEYS]; /* ends at key 0 */
};

/* Returns the command bound to key in rows[0..n), or 0. */
int ui_keys_find(const struct ui_keyrow *rows, size_t n, int key);

/* A word of a screen's keys line ("?:help  ←→:column ..."): the first
 * nkeys keys the help shows in the row holding cmd, then word (NC_()
 * marked, context "footer"). */
struct ui_footkey {
	int cmd;
	int nkeys;
	const char *word;
};

/* Appends to b the keys line of foot[0..nfoot), the keys taken from
 * rows[0..n) (arrows joined: "←→", other keys by a space: "> <"), in at
 * most width cells (0: no limit): the items before the last are left out
 * whole, from the end, until it fits, so the line is never cut. */
void ui_footer_keys(struct buf *b, const struct ui_keyrow *rows, size_t n,
		    const struct ui_footkey *foot, size_t nfoot, int width);

/* Writes the keys of row as the help shows them ("← → h l Tab"). */
void ui_keys_shown(const struct ui_keyrow *row, char *out, size_t size);

enum ui_keys_format { UI_KEYS_MARKDOWN, UI_KEYS_MAN };

/* Writes the board's keys (board_keys) to out as the help shows them
 * (keys, then the sentence in the current locale): a Markdown table, or a
 * man page's tagged paragraphs.  `fai --keys md|man` (make keys-doc). */
void ui_keys_doc(FILE *out, enum ui_keys_format format);

/* A line of the help's legend: a mark the screen draws and what it means
 * (both translated; the screen keeps them while the help is open). */
struct ui_legend {
	const char *mark;
	const char *text;
};

/* What a request is about; the strings are borrowed for the call only
 * (the help's rows and legend: while the help is open). */
struct ui_arg {
	uint64_t key;
	const char *region;
	const char *facilitator;
	int facilitator_whole; /* UI_REQ_OPEN_REVIEW: a whole name (filter.h) */
	const struct ui_keyrow *help; /* UI_REQ_HELP: the screen's keys */
	size_t nhelp;
	/* UI_REQ_OPEN_FORM after a gate refusal: the fields missing (bit
	 * 1 << field, 0 for none) and the stage the move was to */
	uint64_t missing;
	int gate_to;
	const struct ui_legend *legend; /* UI_REQ_HELP: its marks, or NULL */
	size_t nlegend;
};

struct screen_ops {
	const char *name;
	void (*draw)(struct app *app, void *st);
	void (*key)(struct app *app, void *st, int key);
	void (*close)(struct app *app, void *st);  /* frees st; may be NULL */
	void (*reload)(struct app *app, void *st); /* the store changed */
	int overlay;   /* draw the screen below first */
	int multiline; /* Ctrl-J and Alt-Enter come as UI_NEWLINE, not Enter */
	/* The loop found no key for a second: work put off so a key or the
	 * first frame would not wait for it (may be NULL). */
	void (*idle)(struct app *app, void *st);
	/* Handles a request the loop offers (may be NULL); returns 1 when
	 * handled, 0 to let the screens below have it. */
	int (*request)(struct app *app, void *st, enum ui_req req,
		       const struct ui_arg *arg);
	/* Lines the screen gives the message at its foot (0: one line of
	 * the full width); a longer message opens the loop's panel. */
	int msg_lines;
};

enum ui_attr {
	UI_NORMAL,
	UI_HEADER,   /* column headers, titles */
	UI_SELECTED, /* the selected card */
	UI_DIM,	     /* secondary text */
	UI_WARN,     /* stale marks */
	UI_ALERT,    /* over a WIP limit, errors */
	UI_STATUS,   /* the status line */
	UI_CURRENT,  /* the current column's header */
	UI_ATTR_COUNT
};

/* One message of the session, for the history (M). */
struct ui_msg_entry {
	int64_t at; /* when it was said (the board's clock) */
	int error;
	char *text; /* owned */
};

struct app {
	struct cli *cli;
	struct {
		const struct screen_ops *ops;
		void *st;
	} stack[8];
	int depth;
	int rows, cols;
	int quit;
	int color, mouse, readonly;
	int utf8; /* the glyph set: UTF-8 marks, or ASCII ones where the
		     terminal cannot draw them (TERM=linux; ui_board_run) */
	char msg[UI_MSG_MAX]; /* the message shown now, whole ("" none) */
	int msg_error;
	int msg_panel;	       /* the message is shown in the panel (a key
				      closes it) */
	size_t msg_top;	       /* the panel's first line shown */
	size_t msg_scroll_max; /* its last first line, from the last draw */
	int foot_busy;	       /* the lines a prompt on top takes above the keys
				  line (0: none): a message goes on the lines above */
	struct ui_msg_entry *hist; /* the session's messages, a ring */
	size_t nhist, hist_first;
	uint64_t txn;	 /* last transaction seen: polled for others' changes */
	char other[256]; /* the last change made by someone else */
	int64_t other_at;
	int lost_rc; /* the store could not be opened again (ui_store_lost) */
	struct fai_err lost_err;
};

/* `fai board [--mouse]` and `fai` without a command: the board. */
int ui_board_run(struct cli *cli, int argc, char **argv);

void ui_push(struct app *app, const struct screen_ops *ops, void *st);
/* Closes the top screen. */
void ui_pop(struct app *app);
/* Sets the status message (error 1 shows it as an alert) and keeps it in
 * the session's history.  The text is kept whole (up to UI_MSG_MAX bytes;
 * newlines stay line breaks): the screens show it on their foot lines,
 * or the loop in a panel when it does not fit there. */
void ui_message(struct app *app, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Returns the lines of the message wrapped at width cells (0 for none). */
int ui_message_height(struct app *app, int width);
/* Draws the message wrapped at width cells on lines y.. y+h-1 from x. */
void ui_message_draw(struct app *app, int y, int x, int width, int h);

/* Wraps s (made display-safe, several lines) at width cells by words
 * (utf8_wrap, the one rule); each line after the first starts with indent
 * spaces.  Appends the lines to *vec (xmalloc'd, the caller frees each and
 * the array: ui_wrap_free) and returns how many were added. */
size_t ui_wrap_vec(const char *s, int width, int indent, char ***vec,
		   size_t *n);
void ui_wrap_free(char **vec, size_t n);
/* Tells every screen the store changed (after an action). */
void ui_changed(struct app *app);

/* Asks the loop for req (see enum ui_req); arg may be NULL when the
 * request needs nothing.  Returns 1 when a screen was opened or a screen
 * handled it, 0 when none did (a follow with no board under it). */
int ui_request(struct app *app, enum ui_req req, const struct ui_arg *arg);
/* The same for a request about one card: ui_request with arg->key = key. */
int ui_request_key(struct app *app, enum ui_req req, uint64_t key);

/* Returns the curses attributes for a role. */
attr_t ui_attr(struct app *app, enum ui_attr a);

/* Draws s display-safe at (y, x) in exactly width cells: cut with "…" when
 * too long, padded with spaces when pad.  Returns the cells drawn. */
int ui_text(struct app *app, int y, int x, int width, const char *s,
	    attr_t attr, int pad);
/* Draws s right-aligned so it ends at column x_end (exclusive). */
void ui_text_right(struct app *app, int y, int x_end, const char *s,
		   attr_t attr);
/* Wraps s (made display-safe, several lines) at width cells by words
 * (utf8_wrap): calls line for each line, i from 0, with a pointer into a
 * copy that lives for the call only, until it returns non-zero or max
 * lines were given (max < 0: no limit).  Returns the lines given.  Line is
 * NULL to count only. */
int ui_wrap(const char *s, int width, int max,
	    int (*line)(void *ctx, int i, const char *text, size_t len),
	    void *ctx);
/* The keys line at the foot of a screen: the items of hint (separated by
 * three spaces) packed into at most max lines of the screen's width, never
 * broken inside an item.  Returns the lines it takes; when draw, draws
 * them on the last max rows: count first (draw 0), then draw with max set
 * to the count. */
int ui_footer(struct app *app, const char *hint, int max, int draw);
/* A horizontal / vertical line of box drawing (ASCII without UTF-8). */
void ui_hline(struct app *app, int y, int x, int width, attr_t attr);
void ui_vline(struct app *app, int y, int x, int height, attr_t attr);
/* Draws a framed box and clears its inside. */
void ui_box(struct app *app, int y, int x, int h, int w, const char *title);

/* Asks for one line of text under label; done is called with the text when
 * Enter is pressed (NULL on Escape).  changed, when not NULL, is called
 * after every edit (incremental search). */
void ui_prompt(struct app *app, const char *label, const char *initial,
	       void (*done)(struct app *app, void *ctx, const char *text),
	       void (*changed)(struct app *app, void *ctx, const char *text),
	       void *ctx);

/* The same prompt for a text of several lines: Ctrl-J or Alt-Enter adds a
 * new line, Enter confirms; the footer says so. */
void ui_prompt_lines(struct app *app, const char *label, const char *initial,
		     void (*done)(struct app *app, void *ctx, const char *text),
		     void *ctx);

/* Lets the person pick one of n items; done gets the index, or -1. */
void ui_pick(struct app *app, const char *title, const char *const *items,
	     size_t n, size_t initial,
	     void (*done)(struct app *app, void *ctx, int index), void *ctx);

/* Moves *pos within [0, max] for the scrolling keys (↑↓ jk, PgUp PgDn
 * space, g G) by one or by page; returns 1 when key was one of them. */
int ui_scroll_key(int key, size_t *pos, size_t max, size_t page);

/* Leaves curses to run something on the terminal, and comes back. */
void ui_suspend(struct app *app);
void ui_resume(struct app *app);

/* Appends "claire moved 84-0042 → Concept, 12 s ago" when someone else
 * changed the store while the board was open. */
void ui_other_text(struct app *app, struct buf *b);

/* A line editor on a UTF-8 buffer (the prompt and the form share it). */
struct ui_line {
	struct buf text;
	size_t cursor; /* byte offset */
};
void ui_line_set(struct ui_line *l, const char *s);
void ui_line_free(struct ui_line *l);
/* Applies an editing key; returns 1 when the key was used. */
int ui_line_key(struct ui_line *l, int key);
/* Draws the line in width cells at (y, x), scrolled so the cursor shows,
 * and places the terminal cursor when focused. */
void ui_line_draw(struct app *app, struct ui_line *l, int y, int x, int width,
		  attr_t attr, int focused);

#endif
