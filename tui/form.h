/* form.h - the form that creates or edits an idea (form.c). */
#ifndef FAI_FORM_H
#define FAI_FORM_H

#include <stdint.h>

#include "../core/stage.h"
#include "ui.h"

/* Pushes the form on the idea key, or on a new idea when key is 0; when
 * the idea cannot be read, says why on the status line and pushes
 * nothing.  After a save it asks the loop to follow the card. */
void form_open(struct app *app, uint64_t key);

/* Pushes the form on the idea key after a move to `to` was refused by its
 * gate: focused on the first of the missing fields (bit 1 << field), which
 * are marked while empty.  After each save the move is tried again with
 * the new revision: the form closes on the card moved, or stays open on
 * what is still missing; Esc says the card did not move. */
void form_open_gate(struct app *app, uint64_t key, uint64_t missing,
		    enum stage to);

#endif
