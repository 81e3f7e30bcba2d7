/* ui_int.h - what the pieces of the loop share and no screen sees: ui.c
 * (the stack, the requests, drawing and the loop) calls into ui_prompt.c,
 * ui_help.c and ui_msg.c through these.  Included by tui/ui*.c only. */
#ifndef FAI_UI_INT_H
#define FAI_UI_INT_H

#include "ui.h"

/* ui_prompt.c: the lines a prompt on top of the stack takes above the keys
 * line (app->foot_busy), 0 when the top screen is no prompt. */
int ui_prompt_foot(const struct app *app);

/* ui_help.c: opens the help overlay on arg->help (UI_REQ_HELP); the rows
 * and legend are borrowed while it is open. */
void ui_help_open(struct app *app, const struct ui_arg *arg);

/* ui_msg.c: opens the session's message history (UI_REQ_MESSAGES). */
void ui_msgs_open(struct app *app);
/* Frees the session's message history (the loop's end). */
void ui_history_free(struct app *app);
/* Whether the message needs the panel: more lines than the screen at
 * stack[base] gives it. */
int ui_msg_needs_panel(struct app *app, int base);
/* Draws the message whole in a box above the keys line (and a prompt's
 * lines), and remembers it is up (app->msg_panel). */
void ui_msg_panel_draw(struct app *app);
/* A key while the panel is up: returns 1 when the key was the panel's
 * (scroll, Esc), 0 when it closed the panel and the screen has it too. */
int ui_msg_panel_key(struct app *app, int key);

#endif
