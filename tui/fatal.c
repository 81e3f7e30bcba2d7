/* fatal.c - turns a fatal signal into the damaged-store sentence and exit
 * 5 (see fatal.h).  The handler only calls async-signal-safe functions
 * (tcsetattr, write, _exit): everything it says is composed beforehand. */
#include "fatal.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "out.h"

static char fatal_msg[2048];
static size_t fatal_len;
static int fatal_fd = -1;
static struct termios fatal_term;
static char fatal_reset[128];
static size_t fatal_reset_len;

static void fatal_write(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void fatal_handler(int sig)
{
	(void)sig;
	if (fatal_fd >= 0) {
		tcsetattr(fatal_fd, TCSANOW, &fatal_term);
		fatal_write(fatal_fd, fatal_reset, fatal_reset_len);
	}
	fatal_write(2, fatal_msg, fatal_len);
	_exit(CLI_STORE);
}

void fatal_init(const char *db)
{
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
	struct sigaction sa;
	int n =
	    snprintf(fatal_msg, sizeof(fatal_msg),
		     _("fai: stopped: reading the store at %s failed, so its "
		       "file is damaged (or was cut or replaced while fai "
		       "read it). Nothing more was written. See what is "
		       "damaged with fai check, and restore the last backup "
		       "with fai restore (fai(1), DAMAGED STORE).\n"),
		     out_shown(db));
	fatal_len = n < 0			    ? 0
		    : (size_t)n < sizeof(fatal_msg) ? (size_t)n
						    : sizeof(fatal_msg) - 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fatal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

void fatal_tty(int fd, const struct termios *saved, const char *reset)
{
	size_t n = reset ? strlen(reset) : 0;
	if (n >= sizeof(fatal_reset))
		n = 0;
	memcpy(fatal_reset, reset ? reset : "", n);
	fatal_reset_len = n;
	fatal_term = *saved;
	fatal_fd = fd;
}

void fatal_tty_clear(void)
{
	fatal_fd = -1;
}
