/* reviewscr.h - the weekly review on the board (reviewscr.c). */
#ifndef FAI_REVIEWSCR_H
#define FAI_REVIEWSCR_H

#include "ui.h"

/* Pushes the review of the last seven days for a region code and/or a
 * facilitator filter (each may be NULL; both are copied).  Enter on a line
 * about an idea asks the loop to follow that idea's card. */
void review_open(struct app *app, const char *region, const char *facilitator,
		 int facilitator_whole);

#endif
