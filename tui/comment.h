/* comment.h - the comment prompt of the board and of the detail view
 * (comment.c). */
#ifndef FAI_COMMENT_H
#define FAI_COMMENT_H

#include <stdint.h>

#include "ui.h"

/* Asks for a comment on the idea key, in a prompt that names the card and
 * takes several lines (Ctrl-J or Alt-Enter for a new line), then adds it
 * with the revision the person saw; says the result on the status line
 * and records it for undo.  A read-only board says so instead. */
void comment_ask(struct app *app, uint64_t key);

#endif
