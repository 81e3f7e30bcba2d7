/* bench_shared.c - what sharing one store between facilitators costs.
 *
 * 1. Writers: 1, 2, 4 and 8 processes write to one store at once for a few
 *    seconds each round.  Every action is a small one as the board makes
 *    them (a move need <-> concept, or a title edit, alternately), read
 *    first with store_idea_find and written with its revision, each in its
 *    own fsync'd transaction.  Each process works on its own ideas so that
 *    none is refused; LMDB serialises the writers.  Printed: actions per
 *    second in total and per process (slowest and fastest), and the mean
 *    time one action takes as its process sees it.
 * 2. An idle board: once a second it asks store_last_txn whether anything
 *    changed.  The CPU time of 10^5 calls gives the cost of one, hence the
 *    share of a CPU an idle board takes (one call a second); the same for
 *    store_maintain (the stale reader check, once a minute).
 * 3. When something changed, the board reloads: who did it (the last log
 *    entry), its settings (WIP limits, stale days), the stage counts, one
 *    page of each of the 4 columns (6 cards at 80x24) and the selected
 *    card.  The CPU time of that reload, at 200 and 10^4 ideas, and its
 *    share of a CPU if it happened every second.
 * Figures are printed, never asserted.
 *
 * Usage: bench_shared [seconds-per-round]   (default 3; the store goes in
 * $TMPDIR or /tmp and is removed at the end) */
#include <errno.h>
#include <ftw.h>
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
#include "../core/log.h"
#include "../core/stage.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "../store/store.h"

#define SHARED_IDEAS_PER_PROC 50
#define SHARED_MAX_PROCS 8
#define SHARED_CALLS 100000
#define SHARED_MAINTAIN_CALLS 10000
#define SHARED_RELOADS 2000
#define SHARED_VIS 6 /* cards per column at 80x24 */
#define SHARED_T0 ((int64_t)1764234000)

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void die(const char *what, int rc, const struct fai_err *err)
{
	fprintf(stderr, "bench_shared: %s: %s (%s)\n", what, fai_strerror(rc),
		err ? err->detail : "");
	exit(1);
}

/* A store at path with n ideas ready for the concept gate: all at need,
 * or (spread) in turn in the four columns of the board. */
static void make_store(const char *path, unsigned n, int spread)
{
	struct store *s;
	struct fai_err err;
	struct store_actor a = {"bench", NULL, SHARED_T0};
	fai_err_clear(&err);
	int rc = store_open(&s, path, STORE_CREATE, "84", 0, &err);
	if (rc)
		die("open", rc, &err);
	for (unsigned i = 0; i < n; i++) {
		char title[64];
		struct idea *idea = idea_new();
		snprintf(title, sizeof(title), "Épicerie solidaire n°%u",
			 i + 1);
		idea_set(idea, IDEA_TITLE, title, 0, NULL);
		idea_set(idea, IDEA_REGION, "84", 0, NULL);
		idea_set(idea, IDEA_NEED,
			 "Les habitants font trente kilomètres pour trouver un "
			 "commerce ouvert après 19 heures.",
			 0, NULL);
		idea_set(idea, IDEA_TERRITORY, "43157", 0, NULL);
		idea_set(idea, IDEA_THEME, "Alimentation durable", 0, NULL);
		if (spread)
			idea_set_raw(idea, IDEA_STAGE,
				     stage_code((enum stage)(i % 4)));
		a.now++;
		rc = store_idea_create(s, &a, idea, &err);
		idea_free(idea);
		if (rc)
			die("create", rc, &err);
	}
	store_close(s);
}

/* One writing process: its own ideas (id, id + procs, ...), actions until
 * the deadline; writes "count seconds" to fd.  Never returns. */
static void writer(const char *path, int id, int procs, double seconds, int go,
		   int fd)
{
	struct store *s;
	struct fai_err err;
	char user[16], ref[24], title[96], c;
	long count = 0;
	snprintf(user, sizeof(user), "bench%d", id);
	struct store_actor a = {user, NULL, SHARED_T0 + 1000};
	fai_err_clear(&err);
	int rc = store_open(&s, path, 0, NULL, 0, &err);
	if (rc)
		die("writer open", rc, &err);
	while (read(go, &c, 1) > 0)
		;
	double t0 = wall_now(), end = t0 + seconds, t1;
	unsigned mine = SHARED_IDEAS_PER_PROC;
	while ((t1 = wall_now()) < end) {
		struct idea *idea = NULL;
		unsigned num = 1 + (unsigned)id +
			       (unsigned)(count / 2 % mine) * (unsigned)procs;
		validate_ref_format(ref, sizeof(ref), "84", num);
		a.now++;
		rc = store_idea_find(s, ref, &idea, &err);
		if (rc)
			die("find", rc, &err);
		uint64_t rev = idea_revision(idea);
		enum stage st = idea_stage(idea);
		idea_free(idea);
		if (count % 2 == 0) {
			rc = store_idea_move(s, &a, ref,
					     st == STAGE_NEED ? STAGE_CONCEPT
							      : STAGE_NEED,
					     NULL, 0, rev, NULL, &err);
		} else {
			struct store_set set = {IDEA_TITLE, title};
			snprintf(title, sizeof(title),
				 "Épicerie solidaire, version %ld de %s", count,
				 user);
			rc = store_idea_edit(s, &a, ref, &set, 1, rev, NULL,
					     &err);
		}
		if (rc)
			die("action", rc, &err);
		count++;
	}
	store_close(s);
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "%ld %.6f\n", count, t1 - t0);
	if (write(fd, msg, (size_t)n) != n)
		_exit(1);
	_exit(0);
}

static void bench_writers(const char *dir, double seconds)
{
	static const int rounds[] = {1, 2, 4, 8};
	printf("Writers on one store: small actions (move need<->concept, "
	       "title edit), each read then written with its revision in its "
	       "own fsync'd transaction; %.0f s per round\n",
	       seconds);
	printf("  %-9s %14s %16s %16s %14s\n", "processes", "actions/s",
	       "per process min", "per process max", "ms per action");
	for (size_t r = 0; r < sizeof(rounds) / sizeof(rounds[0]); r++) {
		int procs = rounds[r];
		char path[4200];
		int go[2], res[2];
		pid_t pids[SHARED_MAX_PROCS];
		snprintf(path, sizeof(path), "%s/writers-%d", dir, procs);
		make_store(path, (unsigned)(procs * SHARED_IDEAS_PER_PROC), 0);
		if (pipe(go) || pipe(res)) {
			perror("pipe");
			exit(1);
		}
		/* No environment is open in this process across the fork. */
		for (int i = 0; i < procs; i++) {
			pids[i] = fork();
			if (pids[i] < 0) {
				perror("fork");
				exit(1);
			}
			if (pids[i] == 0) {
				close(go[1]);
				close(res[0]);
				writer(path, i, procs, seconds, go[0], res[1]);
			}
		}
		close(go[0]);
		close(res[1]);
		/* Let them open the store, then all start at once. */
		struct timespec pause = {0, 200000000};
		nanosleep(&pause, NULL);
		close(go[1]);
		double total = 0, min = 1e18, max = 0, lat = 0;
		FILE *f = fdopen(res[0], "r");
		long count;
		double secs;
		int got = 0;
		while (f && fscanf(f, "%ld %lf", &count, &secs) == 2) {
			double rate = (double)count / secs;
			total += rate;
			min = rate < min ? rate : min;
			max = rate > max ? rate : max;
			lat += secs * 1000.0 / (double)count;
			got++;
		}
		if (f)
			fclose(f);
		int bad = 0;
		for (int i = 0; i < procs; i++) {
			int status;
			waitpid(pids[i], &status, 0);
			bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		}
		if (bad || got != procs) {
			fprintf(stderr, "bench_shared: a writer failed\n");
			exit(1);
		}
		printf("  %-9d %14.0f %16.0f %16.0f %14.3f\n", procs, total,
		       min, max, lat / procs);
		fflush(stdout);
	}
}

/* What the board reads after a change (see board_load, ui_other_note). */
static void board_reload(struct store *s, uint64_t sel_key)
{
	static const char *const keys[] = {
	    "wip.need",	   "wip.concept",   "wip.owner_search", "wip.launched",
	    "wip.on_hold", "wip.abandoned", "stale.days",
	};
	struct fai_err err;
	struct log_entry e;
	uint64_t seq = 0, counts[STAGE_COUNT];
	char *v = NULL;
	if (store_log_last(s, &seq, &err) == 0 && seq &&
	    store_log_get(s, seq, &e, &err) == 0)
		log_entry_clear(&e);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		store_config_get(s, keys[i], &v, &err);
		free(v);
		v = NULL;
	}
	store_stage_counts(s, counts, &err);
	for (int st = 0; st < STAGE_PIPELINE_COUNT; st++) {
		struct idea **cards = NULL;
		size_t n = 0;
		store_stage_page(s, (enum stage)st, NULL, SHARED_VIS, &cards,
				 &n, &err);
		for (size_t i = 0; i < n; i++)
			idea_free(cards[i]);
		free(cards);
	}
	struct idea *idea = NULL;
	if (store_idea_get(s, sel_key, &idea, &err) == 0)
		idea_free(idea);
}

static void bench_idle(const char *dir, unsigned nideas, int first)
{
	char path[4200];
	struct store *s;
	struct fai_err err;
	volatile uint64_t sink = 0;
	snprintf(path, sizeof(path), "%s/idle-%u", dir, nideas);
	make_store(path, nideas, 1);
	fai_err_clear(&err);
	int rc = store_open(&s, path, 0, NULL, 0, &err);
	if (rc)
		die("open", rc, &err);

	if (first) {
		for (int i = 0; i < 1000; i++)
			sink += store_last_txn(s);
		double c0 = cpu_now(), w0 = wall_now();
		for (int i = 0; i < SHARED_CALLS; i++)
			sink += store_last_txn(s);
		double cpu = (cpu_now() - c0) / SHARED_CALLS;
		double wall = (wall_now() - w0) / SHARED_CALLS;
		printf("\nAn idle board: store_last_txn once a second\n");
		printf("  %d calls: %.3f us CPU per call (%.3f us wall)\n",
		       SHARED_CALLS, cpu * 1e6, wall * 1e6);
		printf("  at 1 call/s: %.2e of a CPU (%.4f %%)\n", cpu,
		       cpu * 100.0);
		c0 = cpu_now();
		for (int i = 0; i < SHARED_MAINTAIN_CALLS; i++)
			store_maintain(s);
		double m = (cpu_now() - c0) / SHARED_MAINTAIN_CALLS;
		printf(
		    "  store_maintain (stale readers, once a minute): %.3f us "
		    "CPU per call, %.2e of a CPU\n",
		    m * 1e6, m / 60.0);
		printf(
		    "\nAfter a change: the board's reload (who changed it, 7 "
		    "settings, stage counts, %d cards in each of 4 columns, "
		    "the selected card; the ideas spread over the 4 "
		    "columns)\n",
		    SHARED_VIS);
	}
	for (int i = 0; i < 100; i++)
		board_reload(s, 1);
	double c0 = cpu_now(), w0 = wall_now();
	for (int i = 0; i < SHARED_RELOADS; i++)
		board_reload(s, 1 + (uint64_t)i % nideas);
	double cpu = (cpu_now() - c0) / SHARED_RELOADS;
	double wall = (wall_now() - w0) / SHARED_RELOADS;
	printf("  %6u ideas: %.1f us CPU per reload (%.1f us wall); at one "
	       "change a second: %.2e of a CPU (%.3f %%)\n",
	       nideas, cpu * 1e6, wall * 1e6, cpu, cpu * 100.0);
	(void)sink;
	store_close(s);
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	double seconds = 3;
	if (argc > 1) {
		seconds = strtod(argv[1], NULL);
		if (seconds <= 0) {
			fprintf(stderr, "usage: %s [seconds-per-round]\n",
				argv[0]);
			return 2;
		}
	}
	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/fai-bench-shared-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_shared: mkdtemp %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	printf("bench_shared: store in %s, %ld CPUs online\n", dir,
	       sysconf(_SC_NPROCESSORS_ONLN));
	bench_writers(dir, seconds);
	bench_idle(dir, 200, 1);
	bench_idle(dir, 10000, 0);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
