/* fatal.h - the last word of a process that meets a fatal signal: LMDB
 * trusts its pages, so a damaged data.mdb it cannot tell from a sound one
 * may make it read out of bounds (SIGSEGV), past the end of a cut file
 * (SIGBUS) or stop on an assertion (SIGABRT).  Instead of dying by a
 * signal, fai then gives the terminal back, says which store and what to
 * do, and exits 5 (CLI_STORE).  Nothing is half-written: LMDB commits
 * nothing a process did not finish. */
#ifndef FAI_FATAL_H
#define FAI_FATAL_H

#include <termios.h>

/* Composes the message (in the person's language, naming the store at db)
 * and installs the handlers for SIGSEGV, SIGBUS, SIGABRT, SIGFPE and
 * SIGILL.  Call it once, after gettext is set up. */
void fatal_init(const char *db);

/* The board is on the terminal fd: restore saved (the terminal's settings
 * before curses) and write reset (the bytes that leave the alternate
 * screen and show the cursor, NULL for none) before the message.
 * fatal_tty_clear() when the board gives the terminal back itself. */
void fatal_tty(int fd, const struct termios *saved, const char *reset);
void fatal_tty_clear(void);

#endif
