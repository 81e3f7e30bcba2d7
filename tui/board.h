/* board.h - the kanban board, the first screen of `fai board` (board.c).
 * It handles UI_REQ_FOLLOW: the screens above it ask the loop to select a
 * card, and the loop hands the request down to the board. */
#ifndef FAI_BOARD_H
#define FAI_BOARD_H

#include "ui.h"

/* Pushes the board on app's stack and loads it from the store; the board
 * is freed when it is popped. */
void board_open(struct app *app);

#endif
