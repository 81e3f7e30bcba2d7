/* detail.h - a card's detail: every field, its comments and moves
 * (detail.c). */
#ifndef FAI_DETAIL_H
#define FAI_DETAIL_H

#include <stdint.h>

#include "ui.h"

/* Pushes the detail of the idea key (an idea gone shows so). */
void detail_open(struct app *app, uint64_t key);

#endif
