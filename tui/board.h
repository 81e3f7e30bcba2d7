/* board.h - the kanban board, the first screen of `fai board` (board.c).
 * It handles UI_REQ_FOLLOW: the screens above it ask the loop to select a
 * card, and the loop hands the request down to the board. */
#ifndef FAI_BOARD_H
#define FAI_BOARD_H

#include "ui.h"

/* Pushes the board on app's stack and loads it from the store; the board
 * is freed when it is popped. */
void board_open(struct app *app);

/* Returns the board's key table (the help's rows, static) and stores its
 * length in *n: `fai --keys` writes the README's and fai(1)'s key lists
 * from it. */
const struct ui_keyrow *board_keys_table(size_t *n);

#endif
