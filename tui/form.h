/* form.h - the form that creates or edits an idea (form.c). */
#ifndef FAI_FORM_H
#define FAI_FORM_H

#include <stdint.h>

#include "ui.h"

/* Pushes the form on the idea key, or on a new idea when key is 0; when
 * the idea cannot be read, says why on the status line and pushes
 * nothing.  After a save it asks the loop to follow the card. */
void form_open(struct app *app, uint64_t key);

#endif
