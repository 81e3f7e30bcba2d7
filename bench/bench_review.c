/* bench_review.c - how `fai review` scales with the activity log.
 *
 * Builds one store through the store API and grows it to 10^4, 10^5 and
 * 10^6 log entries (10^3, 10^4 and 10^5 ideas): each idea is created
 * (store_txn_create, in batches of one write transaction) then moved nine
 * times through the pipeline with store_idea_move (forward, back, on hold,
 * resumed, abandoned, reopened), the moves of all ideas interleaved in time
 * as a real log is, over two years.  At each size it times what
 * `fai review` does before printing: read every idea once
 * (store_idea_foreach), read the whole log once (store_log_foreach), and
 * compute the review (core/review.c) -- best of a few runs, with
 * CLOCK_MONOTONIC -- and the reads alone, and prints the time per entry
 * and the ratios between sizes: one pass over the log grows linearly, so
 * the time per entry stays about the same.  Then the review of the demo
 * store (`fai demo`, about 400 entries) in milliseconds, in process and as
 * the whole `fai review` command.  RSS is the process's peak resident
 * memory, the store's mapped pages included.  Figures are printed, never
 * asserted.
 *
 * Usage: bench_review [max-entries [fai-binary]]  (default 1000000; the
 * store goes in $TMPDIR, else /dev/shm, else /tmp, and is removed). */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/idea.h"
#include "../core/log.h"
#include "../core/review.h"
#include "../core/stage.h"
#include "../core/xmalloc.h"
#include "../store/store.h"

#define BENCH_MOVES 9	  /* moves per idea: 10 log entries an idea */
#define BENCH_BATCH 10000 /* creations per write transaction */
#define BENCH_T0 ((int64_t)1704096000) /* 2024-01-01T08:00:00Z */
#define BENCH_SPAN ((int64_t)2 * 365 * 86400)
#define BENCH_NSIZES 3

static const size_t bench_sizes[BENCH_NSIZES] = {10000, 100000, 1000000};

/* The nine moves every idea makes, from need back to need. */
static const struct {
	enum stage to;
	const char *reason;
} bench_path[BENCH_MOVES] = {
    {STAGE_CONCEPT, NULL},
    {STAGE_OWNER_SEARCH, NULL},
    {STAGE_CONCEPT, NULL},
    {STAGE_OWNER_SEARCH, NULL},
    {STAGE_ON_HOLD, "En attente du financement régional"},
    {STAGE_OWNER_SEARCH, NULL},
    {STAGE_ABANDONED, "Aucun porteur ne s'est manifesté"},
    {STAGE_OWNER_SEARCH, NULL},
    {STAGE_NEED, NULL},
};

static const char *const bench_regions[] = {"84", "76", "75", "53", "11"};
static const char *const bench_facilitators[] = {
    "Claire Mercier", "Yanis Benali",	 "Sophie Brunel",     "Karim Daoudi",
    "Léa Vandamme",   "Thomas Le Bihan", "Amandine Rousseau",
};

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench_die(const char *what, int rc, const struct fai_err *err)
{
	fprintf(stderr, "bench_review: %s: %s %s %s\n", what, fai_strerror(rc),
		err ? err->value : "", err ? err->detail : "");
	exit(1);
}

/* ------------------------------------------------------------ building */

struct bench_create {
	struct store_actor actor;
	uint64_t from, to; /* ideas [from, to) */
	int64_t t0, step;
	char (*refs)[24]; /* the references given, by idea number */
};

static int bench_create_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct bench_create *c = arg;
	char title[96], terr[8];
	int rc = 0;

	for (uint64_t i = c->from; i < c->to && rc == 0; i++) {
		struct idea *idea = idea_new();
		struct store_actor a = c->actor;

		a.now = c->t0 + (int64_t)(i - c->from) * c->step;
		snprintf(title, sizeof(title),
			 "Épicerie solidaire itinérante n° %llu",
			 (unsigned long long)i);
		snprintf(terr, sizeof(terr), "%02llu",
			 (unsigned long long)(1 + i % 19));
		idea_set_raw(idea, IDEA_TITLE, title);
		idea_set_raw(idea, IDEA_REGION,
			     bench_regions[i % (sizeof(bench_regions) /
						sizeof(bench_regions[0]))]);
		idea_set_raw(idea, IDEA_TERRITORY, terr);
		idea_set_raw(idea, IDEA_NEED,
			     "Plus aucun commerce alimentaire dans le bourg.");
		idea_set_raw(idea, IDEA_CONCEPT,
			     "Un camion-épicerie qui passe chaque semaine.");
		idea_set_raw(
		    idea, IDEA_FACILITATOR,
		    bench_facilitators[i % (sizeof(bench_facilitators) /
					    sizeof(bench_facilitators[0]))]);
		rc = store_txn_create(t, &a, idea, err);
		snprintf(c->refs[i], sizeof(c->refs[i]), "%s",
			 idea_get(idea, IDEA_REF));
		idea_free(idea);
	}
	return rc;
}

/* Grows the store from ideas [from, to): their creations, then nine
 * rounds of moves, all in [t0, t1). */
static void bench_grow(struct store *s, uint64_t from, uint64_t to, int64_t t0,
		       int64_t t1, char (*refs)[24])
{
	struct fai_err err;
	uint64_t n = to - from;
	int64_t step = (t1 - t0) / (int64_t)(n * (BENCH_MOVES + 1));
	struct store_actor actor = {"bench", NULL, t0};
	int rc;

	if (step < 1)
		step = 1;
	for (uint64_t b = from; b < to; b += BENCH_BATCH) {
		struct bench_create c = {actor,
					 b,
					 b + BENCH_BATCH < to ? b + BENCH_BATCH
							      : to,
					 t0 + (int64_t)(b - from) * step,
					 step,
					 refs};
		fai_err_clear(&err);
		rc = store_write(s, bench_create_txn, &c, &err);
		if (rc)
			bench_die("create", rc, &err);
	}
	actor.now = t0 + (int64_t)n * step;
	for (int m = 0; m < BENCH_MOVES; m++) {
		for (uint64_t i = from; i < to; i++) {
			fai_err_clear(&err);
			actor.now += step;
			rc = store_idea_move(
			    s, &actor, refs[i], bench_path[m].to,
			    bench_path[m].reason, 1, 0, NULL, &err);
			if (rc)
				bench_die("move", rc, &err);
		}
	}
}

/* ------------------------------------------------------------ timing */

struct bench_run {
	struct review *r;
	uint64_t ideas, entries;
};

static int bench_idea_cb(const struct idea *idea, void *arg)
{
	struct bench_run *b = arg;

	b->ideas++;
	if (b->r)
		review_idea(b->r, idea);
	return 0;
}

static int bench_entry_cb(const struct log_entry *e, void *arg)
{
	struct bench_run *b = arg;

	b->entries++;
	if (b->r)
		review_feed(b->r, e);
	return 0;
}

/* One review of the store as fai review makes it (compute: 1) or the
 * reads alone (compute: 0); returns the seconds taken. */
static double bench_review_once(struct store *s, int64_t now, int compute,
				struct bench_run *b)
{
	struct review_params p;
	struct fai_err err;
	double t = bench_now();
	int rc;

	memset(&p, 0, sizeof(p));
	p.end = now;
	p.start = now - 7 * REVIEW_DAY;
	p.stale_days = 30;
	memset(b, 0, sizeof(*b));
	b->r = compute ? review_new(&p) : NULL;
	fai_err_clear(&err);
	rc = store_idea_foreach(s, bench_idea_cb, b, &err);
	if (!rc)
		rc = store_log_foreach(s, 0, 0, bench_entry_cb, b, &err);
	if (rc)
		bench_die("read", rc, &err);
	if (b->r) {
		review_finish(b->r, now);
		if (b->r->total != b->ideas)
			bench_die("the review lost ideas", -FAI_ESTORE, NULL);
	}
	t = bench_now() - t;
	review_free(b->r);
	b->r = NULL;
	return t;
}

static double bench_best(struct store *s, int64_t now, int compute, int reps,
			 struct bench_run *b)
{
	double best = 1e30;

	for (int i = 0; i < reps; i++) {
		double t = bench_review_once(s, now, compute, b);

		if (t < best)
			best = t;
	}
	return best;
}

static long bench_rss_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* ------------------------------------------------------------ clean-up */

static int bench_rm_one(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void bench_rm(const char *dir)
{
	nftw(dir, bench_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *bench_tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	if (d && *d)
		return d;
	if (access("/dev/shm", W_OK) == 0)
		return "/dev/shm";
	return "/tmp";
}

/* ------------------------------------------------------------ demo */

static void bench_demo(const char *fai, const char *dir)
{
	char *db = xasprintf("%s/demo", dir), *cmd;
	struct store *s = NULL;
	struct fai_err err;
	struct bench_run b;
	double best = 1e30, t;
	int rc;

	/* A fixed clock: the demo's history is relative to it. */
	setenv("FAI_NOW", "2026-11-27T10:00:00Z", 1);
	cmd = xasprintf("'%s' --db '%s' demo > /dev/null", fai, db);
	if (system(cmd) != 0) {
		printf("demo store: %s failed; skipped\n", cmd);
		goto out;
	}
	free(cmd);
	fai_err_clear(&err);
	rc = store_open(&s, db, STORE_READONLY, NULL, 0, &err);
	if (rc)
		bench_die("open demo", rc, &err);
	t = bench_best(s, 1795773600 /* 2026-11-27T10:00Z */, 1, 50, &b);
	printf("demo store (%llu ideas, %llu log entries): review %.3f ms\n",
	       (unsigned long long)b.ideas, (unsigned long long)b.entries,
	       t * 1e3);
	store_close(s);
	/* The whole command: start, read, compute, print (text). */
	cmd = xasprintf("'%s' --db '%s' review > /dev/null", fai, db);
	for (int i = 0; i < 10; i++) {
		double t0 = bench_now();

		if (system(cmd) != 0) {
			printf("%s failed\n", cmd);
			break;
		}
		t = bench_now() - t0;
		if (t < best)
			best = t;
	}
	printf("demo store: the whole `fai review` command %.1f ms\n",
	       best * 1e3);
out:
	free(cmd);
	free(db);
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
	size_t max = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
	const char *fai = argc > 2 ? argv[2] : NULL;
	char *dir = xasprintf("%s/fai-bench-review.XXXXXX", bench_tmpdir());
	char *db, (*refs)[24];
	struct store *s = NULL;
	struct fai_err err;
	double prev_t = 0, prev_n = 0;
	uint64_t ideas = 0;
	int64_t t = BENCH_T0;
	int rc;

	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "bench_review: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	db = xasprintf("%s/store", dir);
	fai_err_clear(&err);
	rc = store_open(&s, db, STORE_CREATE, "84", 0, &err);
	if (rc)
		bench_die("open", rc, &err);
	printf("fai review benchmark (store in %s)\n", dir);
	refs = xcalloc(max / (BENCH_MOVES + 1) + 2, sizeof(*refs));
	printf("%9s %8s %10s %10s %9s %8s\n", "entries", "ideas", "reads ms",
	       "review ms", "ns/entry", "RSS MiB");
	for (int k = 0; k < BENCH_NSIZES && bench_sizes[k] <= max; k++) {
		uint64_t want = bench_sizes[k] / (BENCH_MOVES + 1);
		/* Each size's history takes its share of the two years. */
		int64_t t1 =
		    BENCH_T0 + (int64_t)((double)BENCH_SPAN *
					 (double)bench_sizes[k] / (double)max);
		struct bench_run b;
		double reads, review;
		int reps = bench_sizes[k] >= 1000000 ? 3 : 5;
		double t0 = bench_now();

		bench_grow(s, ideas + 1, want + 1, t, t1, refs);
		ideas = want;
		t = t1;
		printf("  (built %zu entries in %.1f s)\n", bench_sizes[k],
		       bench_now() - t0);
		/* A first untimed pass maps the store's pages: the timed runs
		 * then all see a warm map, as a daily review does. */
		bench_review_once(s, t1, 0, &b);
		reads = bench_best(s, t1, 0, reps, &b);
		review = bench_best(s, t1, 1, reps, &b);
		if (b.entries != bench_sizes[k] || b.ideas != ideas)
			printf("(expected %zu entries and %llu ideas)\n",
			       bench_sizes[k], (unsigned long long)ideas);
		printf("%9llu %8llu %10.1f %10.1f %9.0f %8ld\n",
		       (unsigned long long)b.entries,
		       (unsigned long long)b.ideas, reads * 1e3, review * 1e3,
		       review * 1e9 / (double)b.entries, bench_rss_mib());
		if (prev_n > 0) {
			double size_ratio = (double)b.entries / prev_n;
			double time_ratio = review / prev_t;

			printf("%9s %8s   %zux the entries took %.2fx the time "
			       "(%.2f of linear)\n",
			       "", "", (size_t)(size_ratio + 0.5), time_ratio,
			       time_ratio / size_ratio);
		}
		prev_n = (double)b.entries;
		prev_t = review;
	}
	store_close(s);
	free(refs);
	if (fai != NULL)
		bench_demo(fai, dir);
	bench_rm(dir);
	free(db);
	free(dir);
	return 0;
}
