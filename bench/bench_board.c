/* bench_board.c - what the board costs a person on a slow link.
 *
 * Runs the real `fai` binary in a pseudo-terminal of 80x24 and measures,
 * in the same run: the time to the first complete frame on a store of 10^2
 * ideas and on one of 10^6 (goal: at most 1.5 times), the bytes written to
 * the terminal for a selection move down one card (goal: at most 200; it
 * redraws two cards, and each change of attribute costs ~10 bytes), for
 * a card move to the next stage (goal: at most 1/5 of a full repaint), and
 * for a full repaint (Ctrl-L).  If htop or tig is installed, the bytes of a
 * cursor move there are printed as a reference.  Figures are printed,
 * never asserted.
 *
 * Usage: bench_board FAI-BINARY [max-ideas]  (default 1000000) */
#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/idea.h"
#include "../core/xmalloc.h"
#include "../store/store.h"

#define QUIET_MS 150 /* no output for this long: the frame is complete */
#define REPS 5

static char opt_db[] = "--db", name_htop[] = "htop", name_tig[] = "tig",
	    opt_all[] = "--all";

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ stores */

static const char *const titles[] = {
    "Épicerie solidaire itinérante pour les hameaux",
    "Garage solidaire et location de véhicules",
    "Tiers-lieu culturel dans une ancienne gare",
    "Conciergerie solidaire de quartier",
    "Recyclerie et atelier de réemploi",
    "Garde d’enfants en horaires atypiques",
};
static const char *const regions[] = {"84", "11", "75", "76", "53", "93"};
static const char *const terr[] = {"63113", "75056", "33063",
				   "31555", "35238", "13055"};

struct gen {
	size_t from, to;
};

static int gen_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct gen *g = arg;
	struct store_actor actor = {"bench", NULL, 1764234000};
	for (size_t i = g->from; i < g->to; i++) {
		struct idea *idea = idea_new();
		char title[160];
		snprintf(title, sizeof(title), "%s n°%zu", titles[i % 6], i);
		idea_set_raw(idea, IDEA_TITLE, title);
		idea_set_raw(idea, IDEA_REGION, regions[i % 6]);
		idea_set_raw(idea, IDEA_TERRITORY, terr[i % 6]);
		idea_set_raw(idea, IDEA_NEED,
			     "Les habitants des hameaux n’ont plus de commerce "
			     "de proximité depuis la fermeture de la dernière "
			     "épicerie ; les personnes âgées sans voiture sont "
			     "les premières touchées.");
		idea_set_raw(idea, IDEA_FACILITATOR, "Claire Mercier");
		idea_set_raw(
		    idea, IDEA_STAGE,
		    stage_code((enum stage)(i % STAGE_PIPELINE_COUNT)));
		int rc = store_txn_create(t, &actor, idea, err);
		idea_free(idea);
		if (rc)
			return rc;
	}
	return 0;
}

static int store_fill(const char *dir, size_t n)
{
	struct store *s;
	struct fai_err err;
	fai_err_clear(&err);
	if (store_open(&s, dir, STORE_CREATE, "84", 0, &err)) {
		fprintf(stderr, "bench_board: cannot create %s\n", dir);
		return -1;
	}
	for (size_t i = 0; i < n; i += 20000) {
		struct gen g = {i, i + 20000 < n ? i + 20000 : n};
		if (store_write(s, gen_txn, &g, &err)) {
			fprintf(stderr, "bench_board: insert failed: %s\n",
				err.detail);
			store_close(s);
			return -1;
		}
	}
	store_close(s);
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* ------------------------------------------------------------ pty */

struct term {
	pid_t pid;
	int fd;
};

static int term_start(struct term *t, char *const argv[])
{
	struct winsize ws = {24, 80, 0, 0};
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("LC_ALL");
		execvp(argv[0], argv);
		_exit(127);
	}
	return 0;
}

/* Reads until the terminal is quiet for QUIET_MS (after at least one byte
 * when want_some), or until limit_s.  Returns the bytes read; *when is the
 * time of the last byte. */
static size_t term_drain(struct term *t, int want_some, double limit_s,
			 double *when, int *saw_hint)
{
	char buf[65536];
	size_t total = 0;
	double start = now_s();
	for (;;) {
		struct pollfd p = {t->fd, POLLIN, 0};
		int timeout = (total || !want_some) ? QUIET_MS : 100;
		int r = poll(&p, 1, timeout);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			if (total || !want_some || now_s() - start > limit_s)
				return total;
			continue;
		}
		ssize_t n = read(t->fd, buf, sizeof(buf));
		if (n <= 0)
			return total;
		total += (size_t)n;
		if (when)
			*when = now_s();
		if (saw_hint && memmem(buf, (size_t)n, "?:help", 6))
			*saw_hint = 1;
	}
}

static void term_stop(struct term *t)
{
	if (write(t->fd, "q", 1) != 1)
		kill(t->pid, SIGTERM);
	term_drain(t, 0, 1, NULL, NULL);
	int st;
	if (waitpid(t->pid, &st, WNOHANG) == 0) {
		usleep(200000);
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &st, 0);
	}
	close(t->fd);
}

/* Time to the first frame (the hint line drawn, then quiet). */
static double first_frame(const char *fai, const char *db)
{
	char *argv[] = {(char *)(uintptr_t)fai, opt_db, (char *)(uintptr_t)db,
			NULL};
	struct term t;
	double start = now_s(), last = start;
	int hint = 0;
	if (term_start(&t, argv) < 0)
		return -1;
	while (!hint && now_s() - start < 30)
		term_drain(&t, 1, 30, &last, &hint);
	double d = last - start;
	term_stop(&t);
	return hint ? d : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median_frame(const char *fai, const char *db)
{
	double v[REPS];
	for (int i = 0; i < REPS; i++)
		v[i] = first_frame(fai, db);
	qsort(v, REPS, sizeof(v[0]), cmp_double);
	return v[REPS / 2];
}

/* Bytes of each of keys sent one after the other once the frame settled. */
static void key_bytes(char *const argv[], const char *const *keys, size_t n,
		      size_t *out)
{
	struct term t;
	int hint = 0;
	double start = now_s();
	if (term_start(&t, argv) < 0)
		return;
	while (!hint && now_s() - start < 30)
		term_drain(&t, 1, 30, NULL, &hint);
	term_drain(&t, 0, 1, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (write(t.fd, keys[i], strlen(keys[i])) < 0)
			break;
		out[i] = term_drain(&t, 1, 3, NULL, NULL);
	}
	term_stop(&t);
}

/* A reference: bytes of one cursor move down in another program. */
static void reference(const char *prog, char *const argv[])
{
	char path[256];
	snprintf(path, sizeof(path), "/usr/bin/%s", prog);
	if (access(path, X_OK) != 0) {
		printf("  %-28s not installed\n", prog);
		return;
	}
	struct term t;
	if (term_start(&t, argv) < 0)
		return;
	term_drain(&t, 1, 5, NULL, NULL);
	usleep(300000);
	term_drain(&t, 0, 1, NULL, NULL);
	if (write(t.fd, "\033[B", 3) == 3) {
		size_t n = term_drain(&t, 1, 3, NULL, NULL);
		printf("  %-28s %zu bytes\n", prog, n);
	}
	kill(t.pid, SIGTERM);
	int st;
	waitpid(t.pid, &st, 0);
	close(t.fd);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_board FAI-BINARY [max-ideas]\n");
		return 1;
	}
	const char *fai = argv[1];
	size_t big = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *dir = xasprintf("%s/fai-bench-board-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char *small_db = xasprintf("%s/small", dir);
	char *big_db = xasprintf("%s/big", dir);
	printf(
	    "board benchmark (80x24 pseudo-terminal, TERM=xterm-256color)\n");
	double t0 = now_s();
	if (store_fill(small_db, 100) || store_fill(big_db, big))
		return 1;
	printf("  stores built: 10^2 and %zu ideas in %.1f s\n", big,
	       now_s() - t0);

	double fs = median_frame(fai, small_db);
	double fb = median_frame(fai, big_db);
	printf("\ntime to first frame (median of %d)\n", REPS);
	printf("  %-28s %8.1f ms\n", "100 ideas", fs * 1e3);
	printf("  %-28s %8.1f ms\n", "big store", fb * 1e3);
	printf("  %-28s %8.2f   (goal <= 1.5: %s)\n", "ratio big / 100",
	       fb / fs, fb / fs <= 1.5 ? "met" : "NOT met");

	char *args[] = {(char *)(uintptr_t)fai, opt_db, small_db, NULL};
	const char *keys[] = {"j", ">", "\014"};
	size_t bytes[3] = {0, 0, 0};
	key_bytes(args, keys, 3, bytes);
	printf("\nbytes written to the terminal (80x24)\n");
	printf("  %-28s %8zu   (goal <= 200: %s)\n", "selection down one card",
	       bytes[0], bytes[0] <= 200 ? "met" : "NOT met");
	printf("  %-28s %8zu\n", "card moved to next stage", bytes[1]);
	printf("  %-28s %8zu\n", "full repaint (Ctrl-L)", bytes[2]);
	printf("  %-28s %8.2f   (goal <= 0.20: %s)\n", "move / full repaint",
	       bytes[2] ? (double)bytes[1] / (double)bytes[2] : 0,
	       bytes[2] && bytes[1] * 5 <= bytes[2] ? "met" : "NOT met");
	printf("\nreference: one cursor move down elsewhere\n");
	char *htop[] = {name_htop, NULL};
	reference("htop", htop);
	char *tig[] = {name_tig, opt_all, NULL};
	reference("tig", tig);

	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(small_db);
	free(big_db);
	free(dir);
	return 0;
}
