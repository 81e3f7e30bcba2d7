/* test_soak.c - many facilitators on one store at once: 8 processes
 * (helper_soak, built beside this test) each do 2,000 random actions (move,
 * edit, comment, reorder) on 200 ideas created first, every action with the
 * revision it has just read; the map starts at 1 MiB, so they also grow it
 * while the others work.  Each process keeps a journal of what the store
 * acknowledged or refused.  Then, with every process gone:
 *   - every acknowledged action is in the log at the seq it was told (same
 *     kind, idea, revision, user), its revision is the one read plus one,
 *     and no two acknowledgements claim the same revision of an idea (a
 *     lost update would);
 *   - each idea's log is exactly its creation plus the acknowledged actions
 *     on it, in revision order (nothing unacknowledged was written);
 *   - every conflict refusal was real: the revision after the one read was
 *     written by another process's acknowledged action;
 *   - store_check finds nothing (revisions consecutive, indexes, counts);
 *   - 200 ideas, unique ids and references, 84-0001 .. 84-0200;
 *   - the board order: paging each column forwards (and backwards) returns
 *     every idea once, in its own stage, counts equal to store_stage_counts;
 *   - `fai check` (the binary: $FAI, else ../../fai from this test) passes.
 * FAI_SOAK_SEED=N replays a run; FAI_SOAK_ACTIONS=N changes the 2,000. */
#include "store_fixture.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#define SOAK_PROCS 8
#define SOAK_ACTIONS 2000
#define SOAK_IDEAS 200
#define SOAK_DEADLINE 900 /* seconds before the test gives up on them */
/* The map starts small: the processes grow it (MDB_MAP_FULL, then
 * MDB_MAP_RESIZED in the others) while they work. */
#define SOAK_MAPSIZE ((size_t)1 << 20)

static char helper[PATH_MAX];
static char fai_bin[PATH_MAX];

/* One line of a journal. */
struct act {
	char type; /* A, C, R */
	int child; /* 1 .. SOAK_PROCS */
	long n;
	char kind[12];
	unsigned num; /* the idea's reference number */
	uint64_t expect, rev, seq;
	char why[12];
};

struct journal {
	struct act *v;
	size_t n;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Reads child's journal into j; checks its shape (N lines in order, then
 * "done N"). */
static void journal_read(const char *path, int child, long want,
			 struct journal *j)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	long next = 0;
	int done = 0;
	if (!fp)
		fail_msg("journal %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp)) {
		struct act a;
		char ref[24];
		unsigned long long e = 0, r = 0, s = 0;
		memset(&a, 0, sizeof(a));
		a.child = child;
		if (strncmp(line, "done ", 5) == 0) {
			if (atol(line + 5) != want || next != want)
				fail_msg("%s: %s after %ld actions", path, line,
					 next);
			done = 1;
			continue;
		}
		int ok = 0;
		a.type = line[0];
		if (a.type == 'A')
			ok = sscanf(line, "A %ld %11s %23s %llu %llu %llu",
				    &a.n, a.kind, ref, &e, &r, &s) == 6;
		else if (a.type == 'C')
			ok = sscanf(line, "C %ld %11s %23s %llu", &a.n, a.kind,
				    ref, &e) == 4;
		else if (a.type == 'R')
			ok = sscanf(line, "R %ld %11s %23s %llu %11s", &a.n,
				    a.kind, ref, &e, a.why) == 5;
		if (!ok || done || a.n != next ||
		    sscanf(ref, "84-%u", &a.num) != 1 || a.num == 0 ||
		    a.num > SOAK_IDEAS)
			fail_msg("%s: unexpected line %s", path, line);
		a.expect = e;
		a.rev = r;
		a.seq = s;
		next++;
		j->v = xrealloc(j->v, (j->n + 1) * sizeof(*j->v));
		j->v[j->n++] = a;
	}
	fclose(fp);
	if (!done)
		fail_msg("%s: no \"done\" line (%ld actions)", path, next);
}

/* Shows the error lines ("E ...") of a journal on stderr. */
static void journal_errors(const char *path)
{
	char line[1024];
	FILE *fp = fopen(path, "r");
	while (fp && fgets(line, sizeof(line), fp))
		if (line[0] == 'E')
			print_error("%s: %s", path, line);
	if (fp)
		fclose(fp);
}

/* Runs `fai --db path check`; returns its exit status, output in out. */
static int run_fai_check(const char *path, char *out, size_t size)
{
	int pfd[2];
	assert_int_equal(pipe(pfd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		execl(fai_bin, fai_bin, "--db", path, "check", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	size_t len = 0;
	ssize_t got;
	while (len + 1 < size &&
	       (got = read(pfd[0], out + len, size - len - 1)) > 0)
		len += (size_t)got;
	out[len] = '\0';
	close(pfd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct census {
	char **ids;
	char **refs;
	size_t n;
};

static int census_one(const struct idea *idea, void *arg)
{
	struct census *c = arg;
	c->ids = xrealloc(c->ids, (c->n + 1) * sizeof(*c->ids));
	c->refs = xrealloc(c->refs, (c->n + 1) * sizeof(*c->refs));
	c->ids[c->n] = xstrdup(idea_get(idea, IDEA_ID));
	c->refs[c->n] = xstrdup(idea_get(idea, IDEA_REF));
	c->n++;
	return 0;
}

/* The log of one idea, as (seq, revision, user). */
struct ilog {
	uint64_t *seq, *rev;
	char **user;
	int *kind;
	size_t n;
};

static int ilog_one(const struct log_entry *e, void *arg)
{
	struct ilog *l = arg;
	l->seq = xrealloc(l->seq, (l->n + 1) * sizeof(*l->seq));
	l->rev = xrealloc(l->rev, (l->n + 1) * sizeof(*l->rev));
	l->user = xrealloc(l->user, (l->n + 1) * sizeof(*l->user));
	l->kind = xrealloc(l->kind, (l->n + 1) * sizeof(*l->kind));
	l->seq[l->n] = e->seq;
	l->rev[l->n] = e->revision;
	l->user[l->n] = xstrdup(e->user ? e->user : "");
	l->kind[l->n] = (int)e->kind;
	l->n++;
	return 0;
}

static void ilog_free(struct ilog *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->user[i]);
	free(l->seq);
	free(l->rev);
	free(l->user);
	free(l->kind);
	memset(l, 0, sizeof(*l));
}

/* Pages through a column forwards, page cards at a time; appends the keys
 * to keys[]; checks stage and strictly increasing (rank, key). */
static size_t column_walk(struct fx *f, enum stage st, size_t page,
			  uint64_t *keys, size_t nkeys)
{
	struct store_pos pos = {0, 0};
	size_t got = 0;
	for (;;) {
		struct idea **v = NULL;
		size_t n = 0;
		int rc = store_stage_page(f->s, st, got ? &pos : NULL, page, &v,
					  &n, &f->err);
		if (rc)
			fail_msg("store_stage_page %s: %s", stage_code(st),
				 fai_strerror(rc));
		for (size_t i = 0; i < n; i++) {
			struct idea *c = v[i];
			if (idea_stage(c) != st)
				fail_msg("%s (stage %s) in column %s",
					 idea_get(c, IDEA_REF),
					 idea_get(c, IDEA_STAGE),
					 stage_code(st));
			if (got && (c->rank < pos.rank ||
				    (c->rank == pos.rank && c->key <= pos.key)))
				fail_msg("column %s out of order at %s",
					 stage_code(st), idea_get(c, IDEA_REF));
			if (nkeys + got >= 2 * SOAK_IDEAS)
				fail_msg("column %s never ends",
					 stage_code(st));
			keys[nkeys + got++] = c->key;
			pos.rank = c->rank;
			pos.key = c->key;
			idea_free(c);
		}
		free(v);
		if (n < page)
			return got;
	}
}

/* The same column backwards (store_stage_page_back), checked against the
 * forward walk in fwd[0..n). */
static void column_walk_back(struct fx *f, enum stage st, size_t page,
			     const uint64_t *fwd, size_t n)
{
	struct store_pos pos;
	size_t got = 0;
	for (;;) {
		struct idea **v = NULL;
		size_t m = 0;
		int rc = store_stage_page_back(f->s, st, got ? &pos : NULL,
					       page, &v, &m, &f->err);
		if (rc)
			fail_msg("store_stage_page_back: %s", fai_strerror(rc));
		/* v is in board order: the page just before pos */
		for (size_t i = m; i-- > 0;) {
			if (got >= n || fwd[n - 1 - got] != v[i]->key)
				fail_msg("column %s backwards differs at %zu",
					 stage_code(st), got);
			got++;
		}
		if (m) {
			pos.rank = v[0]->rank;
			pos.key = v[0]->key;
		}
		for (size_t i = 0; i < m; i++)
			idea_free(v[i]);
		free(v);
		if (m < page)
			break;
	}
	if (got != n)
		fail_msg("column %s: %zu cards backwards, %zu forwards",
			 stage_code(st), got, n);
}

static void test_soak(void **state)
{
	struct fx *f = *state;
	const char *env = getenv("FAI_SOAK_SEED");
	const char *envn = getenv("FAI_SOAK_ACTIONS");
	long nact = envn ? atol(envn) : SOAK_ACTIONS;
	unsigned seed = env ? (unsigned)strtoul(env, NULL, 10)
			    : (unsigned)time(NULL) ^ (unsigned)getpid();
	pid_t pids[SOAK_PROCS];
	int ready_fd[SOAK_PROCS];
	int go[2];
	char journal[SOAK_PROCS][PATH_MAX + 32];

	if (access(helper, X_OK) != 0)
		fail_msg("%s is missing: build it (make %s)", helper, helper);
	print_message("soak: FAI_SOAK_SEED=%u, %d processes x %ld actions "
		      "on %d ideas\n",
		      seed, SOAK_PROCS, nact, SOAK_IDEAS);
	srand(seed);

	/* 200 ideas, some ready for the concept gate. */
	assert_int_equal(store_open(&f->s, f->path, STORE_CREATE, "84",
				    SOAK_MAPSIZE, &f->err),
			 0);
	struct store_actor setup = {"setup", NULL, FX_T0};
	for (int i = 1; i <= SOAK_IDEAS; i++) {
		char title[64];
		snprintf(title, sizeof(title), "Idée de départ %d", i);
		struct idea *idea = fx_idea(title, i % 2 ? "Un besoin" : NULL,
					    i % 2 ? "69123" : NULL);
		if (store_idea_create(f->s, &setup, idea, &f->err))
			fail_msg("create %d: %s", i, f->err.detail);
		idea_free(idea);
	}
	/* No environment may cross a fork: close it; the children exec. */
	store_close(f->s);
	f->s = NULL;

	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	double t0 = now_s();
	for (int c = 0; c < SOAK_PROCS; c++) {
		int out[2];
		char id[16], n[24], ni[16], sd[24];
		snprintf(journal[c], sizeof(journal[c]), "%s/journal-%d",
			 f->dir, c + 1);
		snprintf(id, sizeof(id), "%d", c + 1);
		snprintf(n, sizeof(n), "%ld", nact);
		snprintf(ni, sizeof(ni), "%d", SOAK_IDEAS);
		snprintf(sd, sizeof(sd), "%u", (unsigned)rand());
		assert_int_equal(pipe2(out, O_CLOEXEC), 0);
		pids[c] = fork();
		assert_true(pids[c] >= 0);
		if (pids[c] == 0) {
			if (dup2(go[0], 0) < 0 || dup2(out[1], 1) < 0)
				_exit(126);
			execl(helper, helper, f->path, id, n, ni, sd,
			      journal[c], (char *)NULL);
			_exit(127);
		}
		close(out[1]);
		ready_fd[c] = out[0];
	}
	close(go[0]);
	/* Wait until every process has the store open, then let them go
	 * together (EOF on their stdin). */
	for (int c = 0; c < SOAK_PROCS; c++) {
		char buf[16] = "";
		struct pollfd p = {ready_fd[c], POLLIN, 0};
		ssize_t got = 0;
		if (poll(&p, 1, 60000) == 1)
			got = read(ready_fd[c], buf, sizeof(buf) - 1);
		close(ready_fd[c]);
		if (got < 5 || strncmp(buf, "ready", 5) != 0) {
			for (int k = 0; k < SOAK_PROCS; k++)
				kill(pids[k], SIGKILL);
			fail_msg("process %d never got ready", c + 1);
		}
	}
	double t1 = now_s();
	close(go[1]);

	int left = SOAK_PROCS, bad = 0;
	while (left > 0) {
		int status;
		pid_t p = waitpid(-1, &status, WNOHANG);
		if (p > 0) {
			left--;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				bad++;
				print_error("a soak process ended with "
					    "status %d\n",
					    status);
			}
			continue;
		}
		if (now_s() - t1 > SOAK_DEADLINE) {
			for (int k = 0; k < SOAK_PROCS; k++)
				kill(pids[k], SIGKILL);
			while (waitpid(-1, NULL, 0) > 0)
				;
			fail_msg("the soak processes did not finish in %d s "
				 "(seed %u)",
				 SOAK_DEADLINE, seed);
		}
		struct timespec ts = {0, 20000000};
		nanosleep(&ts, NULL);
	}
	double t2 = now_s();
	if (bad) {
		for (int c = 0; c < SOAK_PROCS; c++)
			journal_errors(journal[c]);
		fail_msg("%d soak processes failed (seed %u)", bad, seed);
	}

	/* ---- the journals */
	struct journal all = {NULL, 0};
	for (int c = 0; c < SOAK_PROCS; c++)
		journal_read(journal[c], c + 1, nact, &all);
	assert_int_equal(all.n, (size_t)SOAK_PROCS * (size_t)nact);

	assert_int_equal(store_open(&f->s, f->path, 0, NULL, 0, &f->err), 0);

	/* ---- the ideas and their final revisions */
	uint64_t final[SOAK_IDEAS + 1], keyof[SOAK_IDEAS + 1];
	for (unsigned num = 1; num <= SOAK_IDEAS; num++) {
		char ref[24];
		snprintf(ref, sizeof(ref), "84-%04u", num);
		struct idea *i = fx_find(f, ref);
		final[num] = idea_revision(i);
		keyof[num] = i->key;
		idea_free(i);
	}
	/* owner[num][rev]: which process acknowledged that revision */
	int *owner[SOAK_IDEAS + 1];
	uint64_t *seqat[SOAK_IDEAS + 1];
	for (unsigned num = 1; num <= SOAK_IDEAS; num++) {
		owner[num] = xcalloc(final[num] + 2, sizeof(int));
		seqat[num] = xcalloc(final[num] + 2, sizeof(uint64_t));
	}

	/* ---- every acknowledged action is in the log */
	size_t nack = 0, nconf = 0, nrule = 0, ngate = 0, nnothing = 0;
	size_t kinds_ok[4] = {0};
	static const char *const kinds[] = {"move", "edit", "comment",
					    "reorder"};
	uint64_t *seqs = xcalloc(all.n + 1, sizeof(*seqs));
	uint64_t lastseq[SOAK_PROCS + 1] = {0};
	for (size_t i = 0; i < all.n; i++) {
		struct act *a = &all.v[i];
		if (a->type != 'A')
			continue;
		char ref[24], user[16];
		snprintf(ref, sizeof(ref), "84-%04u", a->num);
		snprintf(user, sizeof(user), "soak%d", a->child);
		if (a->rev != a->expect + 1)
			fail_msg("soak%d #%ld %s %s: revision %llu after "
				 "reading %llu",
				 a->child, a->n, a->kind, ref,
				 (unsigned long long)a->rev,
				 (unsigned long long)a->expect);
		if (a->rev > final[a->num])
			fail_msg("soak%d #%ld: %s acknowledged at revision "
				 "%llu but is at %llu",
				 a->child, a->n, ref,
				 (unsigned long long)a->rev,
				 (unsigned long long) final[a->num]);
		if (owner[a->num][a->rev])
			fail_msg("%s revision %llu acknowledged twice (soak%d "
				 "and soak%d): a lost update",
				 ref, (unsigned long long)a->rev,
				 owner[a->num][a->rev], a->child);
		owner[a->num][a->rev] = a->child;
		seqat[a->num][a->rev] = a->seq;
		if (a->seq <= lastseq[a->child])
			fail_msg("soak%d: seq %llu after %llu", a->child,
				 (unsigned long long)a->seq,
				 (unsigned long long)lastseq[a->child]);
		lastseq[a->child] = a->seq;
		seqs[nack++] = a->seq;

		struct log_entry e;
		memset(&e, 0, sizeof(e));
		int rc = store_log_get(f->s, a->seq, &e, &f->err);
		if (rc)
			fail_msg("soak%d #%ld %s %s: log entry %llu: %s",
				 a->child, a->n, a->kind, ref,
				 (unsigned long long)a->seq, fai_strerror(rc));
		if (strcmp(log_kind_code(e.kind), a->kind) != 0 ||
		    strcmp(e.ref, ref) != 0 || e.revision != a->rev ||
		    !e.user || strcmp(e.user, user) != 0 ||
		    e.idea_key != keyof[a->num])
			fail_msg("log entry %llu is %s %s rev %llu by %s, "
				 "soak%d acknowledged %s %s rev %llu",
				 (unsigned long long)a->seq,
				 log_kind_code(e.kind), e.ref,
				 (unsigned long long)e.revision,
				 e.user ? e.user : "?", a->child, a->kind, ref,
				 (unsigned long long)a->rev);
		log_entry_clear(&e);
		for (int k = 0; k < 4; k++)
			if (strcmp(a->kind, kinds[k]) == 0)
				kinds_ok[k]++;
	}
	qsort(seqs, nack, sizeof(*seqs), cmp_u64);
	for (size_t i = 1; i < nack; i++)
		if (seqs[i] == seqs[i - 1])
			fail_msg("log seq %llu acknowledged twice",
				 (unsigned long long)seqs[i]);
	free(seqs);

	/* ---- each idea's log: its creation, then exactly the
	 * acknowledged actions, revision after revision */
	for (unsigned num = 1; num <= SOAK_IDEAS; num++) {
		struct ilog l;
		memset(&l, 0, sizeof(l));
		assert_int_equal(store_log_foreach(f->s, keyof[num], 0,
						   ilog_one, &l, &f->err),
				 0);
		if (l.n != final[num])
			fail_msg("84-%04u: %zu log entries, revision %llu", num,
				 l.n, (unsigned long long) final[num]);
		for (size_t i = 0; i < l.n; i++) {
			uint64_t r = l.rev[i];
			if (r != i + 1)
				fail_msg("84-%04u: log revision %llu at %zu",
					 num, (unsigned long long)r, i);
			if (r == 1) {
				if (l.kind[i] != LOG_CREATE ||
				    strcmp(l.user[i], "setup") != 0)
					fail_msg("84-%04u: revision 1 is not "
						 "the creation",
						 num);
				continue;
			}
			if (!owner[num][r] || seqat[num][r] != l.seq[i])
				fail_msg("84-%04u revision %llu (log %llu by "
					 "%s) was never acknowledged",
					 num, (unsigned long long)r,
					 (unsigned long long)l.seq[i],
					 l.user[i]);
		}
		ilog_free(&l);
	}

	/* ---- every conflict was real: someone else wrote the revision
	 * after the one read */
	for (size_t i = 0; i < all.n; i++) {
		struct act *a = &all.v[i];
		if (a->type == 'R') {
			if (strcmp(a->why, "rule") == 0)
				nrule++;
			else if (strcmp(a->why, "gate") == 0)
				ngate++;
			else if (strcmp(a->why, "nothing") == 0)
				nnothing++;
			else
				fail_msg("unknown refusal %s", a->why);
			if (a->expect > final[a->num])
				fail_msg("84-%04u refused at revision %llu "
					 "above its last",
					 a->num, (unsigned long long)a->expect);
			continue;
		}
		if (a->type != 'C')
			continue;
		nconf++;
		uint64_t next = a->expect + 1;
		int who = next <= final[a->num] ? owner[a->num][next] : 0;
		if (who == 0 || who == a->child)
			fail_msg("soak%d #%ld %s 84-%04u refused as a "
				 "conflict at revision %llu, but revision "
				 "%llu was %s",
				 a->child, a->n, a->kind, a->num,
				 (unsigned long long)a->expect,
				 (unsigned long long)next,
				 who ? "its own" : "never written");
	}
	assert_int_equal(nack + nconf + nrule + ngate + nnothing, all.n);

	/* ---- store_check */
	fx_check_ok(f->s);

	/* ---- 200 ideas, unique ids and references */
	uint64_t counts[STAGE_COUNT], total = 0;
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	for (int s = 0; s < STAGE_COUNT; s++)
		total += counts[s];
	assert_int_equal(total, SOAK_IDEAS);
	struct census cs = {NULL, NULL, 0};
	assert_int_equal(store_idea_foreach(f->s, census_one, &cs, &f->err), 0);
	assert_int_equal(cs.n, SOAK_IDEAS);
	qsort(cs.ids, cs.n, sizeof(*cs.ids), cmp_str);
	qsort(cs.refs, cs.n, sizeof(*cs.refs), cmp_str);
	for (size_t i = 0; i < cs.n; i++) {
		char want[24];
		snprintf(want, sizeof(want), "84-%04zu", i + 1);
		if (strcmp(cs.refs[i], want) != 0)
			fail_msg("references: %s where %s was expected",
				 cs.refs[i], want);
		if (i && strcmp(cs.ids[i], cs.ids[i - 1]) == 0)
			fail_msg("id %s twice", cs.ids[i]);
	}
	for (size_t i = 0; i < cs.n; i++) {
		free(cs.ids[i]);
		free(cs.refs[i]);
	}
	free(cs.ids);
	free(cs.refs);

	/* ---- the board order, column by column, in pages of 7 */
	uint64_t keys[2 * SOAK_IDEAS];
	size_t nkeys = 0;
	for (int s = 0; s < STAGE_COUNT; s++) {
		size_t n = column_walk(f, (enum stage)s, 7, keys, nkeys);
		if (n != counts[s])
			fail_msg("column %s: %zu cards, count says %llu",
				 stage_code(s), n,
				 (unsigned long long)counts[s]);
		column_walk_back(f, (enum stage)s, 7, keys + nkeys, n);
		nkeys += n;
	}
	assert_int_equal(nkeys, SOAK_IDEAS);
	qsort(keys, nkeys, sizeof(*keys), cmp_u64);
	for (size_t i = 1; i < nkeys; i++)
		if (keys[i] == keys[i - 1])
			fail_msg("idea #%llu twice on the board",
				 (unsigned long long)keys[i]);

	/* ---- fai check, the binary */
	char out[4096];
	if (access(fai_bin, X_OK) != 0)
		fail_msg("%s is missing (set FAI)", fai_bin);
	int st = run_fai_check(f->path, out, sizeof(out));
	if (st != 0 || !strstr(out, "is consistent (200 ideas)"))
		fail_msg("fai check exited %d: %s", st, out);

	print_message("soak: %zu acknowledged (move %zu, edit %zu, comment "
		      "%zu, reorder %zu), %zu conflicts, refused by a rule "
		      "%zu, by a gate %zu, nothing to do %zu\n",
		      nack, kinds_ok[0], kinds_ok[1], kinds_ok[2], kinds_ok[3],
		      nconf, nrule, ngate, nnothing);
	print_message("soak: set-up %.2f s, actions %.2f s (%.0f actions/s, "
		      "%.0f commits/s)\n",
		      t1 - t0, t2 - t1, (double)all.n / (t2 - t1),
		      (double)nack / (t2 - t1));
	struct stat sb;
	if (stat(f->data, &sb) == 0)
		print_message("soak: data.mdb %.1f MiB (the map started at "
			      "%zu KiB)\n",
			      (double)sb.st_size / (1 << 20),
			      SOAK_MAPSIZE >> 10);
	/* The check of refusals means something only if there were some. */
	assert_true(nconf > 0);
	assert_true(nack > all.n / 4);

	for (unsigned num = 1; num <= SOAK_IDEAS; num++) {
		free(owner[num]);
		free(seqat[num]);
	}
	free(all.v);
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *slash = strrchr(argv[0], '/');
	int dl = slash ? (int)(slash - argv[0]) : 1;
	const char *dir = slash ? argv[0] : ".";
	snprintf(helper, sizeof(helper), "%.*s/helper_soak", dl, dir);
	const char *fai = getenv("FAI");
	if (fai && *fai)
		snprintf(fai_bin, sizeof(fai_bin), "%s", fai);
	else /* BUILD/tests/store/test_soak -> BUILD/fai */
		snprintf(fai_bin, sizeof(fai_bin), "%.*s/../../fai", dl, dir);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_soak, fx_setup_dir,
					    fx_teardown),
	};
	return cmocka_run_group_tests_name("store soak", tests, NULL, NULL);
}
