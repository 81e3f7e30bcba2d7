/* test_crash.c - crash safety: 200 times, a writer process (helper_writer,
 * built beside this test) works on one store and is killed with SIGKILL
 * after a random 1-30 ms; then the store must open, pass store_check, and
 * hold every action the writer reported as committed.  The store is the
 * same across rounds and keeps growing.  One round in four kills the writer
 * without waiting for it to have opened the store, so some kills land in
 * store_open itself.  FAI_CRASH_SEED=N replays a run. */
#include "store_fixture.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#define ROUNDS 200

static char helper[PATH_MAX];

struct output {
	char *data;
	size_t len;
	int eof;
};

/* Reads what the pipe holds, waiting at most ms (-1: until EOF). */
static void pipe_read(int fd, struct output *o, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	while (!o->eof) {
		int r = poll(&p, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		char chunk[4096];
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			o->eof = 1;
			return;
		}
		o->data = xrealloc(o->data, o->len + (size_t)got + 1);
		memcpy(o->data + o->len, chunk, (size_t)got);
		o->len += (size_t)got;
		o->data[o->len] = '\0';
		if (ms >= 0)
			return;
	}
}

static int has_ready(const struct output *o)
{
	return o->data && (strncmp(o->data, "ready\n", 6) == 0);
}

/* Highest revision reported or seen per reference number (84-NNNN). */
struct revs {
	uint64_t *v;
	size_t n;
};

static void revs_note(struct revs *r, size_t num, uint64_t rev)
{
	if (num >= r->n) {
		size_t n = num + 1024;
		r->v = xrealloc(r->v, n * sizeof(*r->v));
		memset(r->v + r->n, 0, (n - r->n) * sizeof(*r->v));
		r->n = n;
	}
	if (rev > r->v[num])
		r->v[num] = rev;
}

/* Parses the complete lines "ok KIND REF REV"; returns how many. */
static unsigned parse_reports(const struct output *o, struct revs *reported)
{
	unsigned count = 0;
	const char *p = o->data ? o->data : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		if (!nl)
			break; /* a line cut by the kill: not a report */
		char kind[16], ref[24];
		unsigned long long rev = 0;
		unsigned num = 0;
		if (strncmp(p, "ok ", 3) == 0) {
			if (sscanf(p, "ok %15s %23s %llu", kind, ref, &rev) !=
				3 ||
			    sscanf(ref, "84-%u", &num) != 1 || rev == 0)
				fail_msg("bad report line: %.*s", (int)(nl - p),
					 p);
			revs_note(reported, num, rev);
			count++;
		} else if (strncmp(p, "ready\n", 6) != 0) {
			fail_msg("unexpected line: %.*s", (int)(nl - p), p);
		}
		p = nl + 1;
	}
	return count;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {0, (long)ms * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Starts the writer on store path; *fd reads what it prints. */
static pid_t spawn_writer(const char *path, unsigned seed, int *fd)
{
	char seedarg[24];
	snprintf(seedarg, sizeof(seedarg), "%u", seed);
	return fx_spawn(helper, path, seedarg, fd);
}

static void test_crash(void **state)
{
	struct fx *f = *state;
	struct revs reported = {NULL, 0}, seen = {NULL, 0};
	unsigned total = 0, opened = 0, seed;
	const char *env = getenv("FAI_CRASH_SEED");

	if (access(helper, X_OK) != 0)
		fail_msg("%s is missing: build it (make %s)", helper, helper);
	seed = env ? (unsigned)strtoul(env, NULL, 10)
		   : (unsigned)time(NULL) ^ (unsigned)getpid();
	print_message("crash test: FAI_CRASH_SEED=%u\n", seed);
	srand(seed);

	for (int round = 0; round < ROUNDS; round++) {
		int fd;
		struct output out = {NULL, 0, 0};
		pid_t pid = spawn_writer(f->path, (unsigned)rand(), &fd);

		/* Most rounds: wait until the writer has the store open. */
		if (round % 4 != 0) {
			struct timespec t0, t1;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			while (!has_ready(&out) && !out.eof) {
				pipe_read(fd, &out, 1000);
				clock_gettime(CLOCK_MONOTONIC, &t1);
				if (t1.tv_sec - t0.tv_sec > 20)
					break;
			}
			if (!has_ready(&out)) {
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				fail_msg(
				    "round %d: the writer never opened the "
				    "store (seed %u)",
				    round, seed);
			}
		}
		sleep_ms(1 + (unsigned)rand() % 30);
		kill(pid, SIGKILL);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		pipe_read(fd, &out, -1);
		close(fd);
		if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
			fail_msg("round %d: the writer ended by itself "
				 "(status %d, seed %u)",
				 round, status, seed);
		total += parse_reports(&out, &reported);
		free(out.data);

		/* The writer is dead: this process may open the store. */
		struct store *s = NULL;
		struct fai_err err;
		fai_err_clear(&err);
		int rc = store_open(&s, f->path, 0, NULL, 0, &err);
		if (rc == -FAI_ENOSTORE && total == 0)
			continue; /* killed before it made the store */
		if (rc)
			fail_msg("round %d: open: %s (%s; why %d field %s "
				 "value %s; seed %u)",
				 round, fai_strerror(rc), err.detail, err.why,
				 err.field, err.value, seed);
		opened++;
		rc = store_check(s, fx_print_problem, NULL, &err);
		if (rc != 0)
			fail_msg("round %d: store_check %d (seed %u)", round,
				 rc, seed);

		/* Ideas are 84-0001 .. 84-N (the writer never removes one);
		 * each at or above what was reported and seen before. */
		uint64_t counts[STAGE_COUNT], nideas = 0;
		assert_int_equal(store_stage_counts(s, counts, &err), 0);
		for (int k = 0; k < STAGE_COUNT; k++)
			nideas += counts[k];
		size_t upto = reported.n > nideas + 1 ? reported.n : nideas + 1;
		for (size_t num = 1; num < upto; num++) {
			uint64_t want = num < reported.n ? reported.v[num] : 0;
			uint64_t before = num < seen.n ? seen.v[num] : 0;
			if (num > nideas && !want && !before)
				continue;
			char ref[24];
			snprintf(ref, sizeof(ref), "84-%04zu", num);
			struct idea *i = NULL;
			rc = store_idea_find(s, ref, &i, &err);
			if (rc)
				fail_msg("round %d: %s reported (rev %llu) but "
					 "%s (seed %u)",
					 round, ref, (unsigned long long)want,
					 fai_strerror(rc), seed);
			uint64_t r = idea_revision(i);
			idea_free(i);
			if (r < want || r < before)
				fail_msg("round %d: %s at revision %llu, "
					 "reported %llu, seen %llu (seed %u)",
					 round, ref, (unsigned long long)r,
					 (unsigned long long)want,
					 (unsigned long long)before, seed);
			revs_note(&seen, num, r);
		}
		store_close(s);
	}
	print_message("crash test: %d rounds, %u committed actions "
		      "reported, store opened %u times\n",
		      ROUNDS, total, opened);
	/* The writer must really have worked for the test to mean much
	 * (how much depends on the disk's fsync: 300 to 3000 here). */
	assert_true(total >= ROUNDS / 4);
	assert_true(opened >= ROUNDS - 10);
	free(reported.v);
	free(seen.v);
}

/* Another process grows the map past this one's: this process's next read
 * and write adopt the new size (MDB_MAP_RESIZED) instead of failing. */
static void test_map_resized_by_other(void **state)
{
	struct fx *f = *state;
	struct output out = {NULL, 0, 0};
	struct stat st;
	char ref[24];
	int fd;

	if (access(helper, X_OK) != 0)
		fail_msg("%s is missing: build it (make %s)", helper, helper);
	assert_int_equal(store_open(&f->s, f->path, STORE_CREATE, "84",
				    (size_t)32 * 4096, &f->err),
			 0);
	fx_create(f, fx_tick(&f->alice), "Avant l'autre", NULL, NULL, ref);
	size_t before = store_mapsize(f->s);

	pid_t pid = spawn_writer(f->path, 12345, &fd);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pipe_read(fd, &out, 200);
		if (stat(f->data, &st) == 0 && (size_t)st.st_size > 3 * before)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (out.eof || t1.tv_sec - t0.tv_sec > 30) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			fail_msg("the writer did not grow the store (%s)",
				 out.data ? out.data : "no output");
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	pipe_read(fd, &out, -1);
	close(fd);
	struct revs reported = {NULL, 0};
	assert_true(parse_reports(&out, &reported) > 0);
	free(out.data);

	/* Reading: the first read transaction meets the larger map. */
	fx_check_ok(f->s);
	assert_true(store_mapsize(f->s) > before);
	for (size_t num = 1; num < reported.n; num++) {
		if (!reported.v[num])
			continue;
		char r[24];
		snprintf(r, sizeof(r), "84-%04zu", num);
		assert_true(fx_rev(f, r) >= reported.v[num]);
	}
	free(reported.v);
	/* Writing, after another round of growth by this process. */
	for (int k = 0; k < 100; k++)
		fx_create(f, fx_tick(&f->alice), "Après l'autre",
			  "Un besoin assez long pour remplir des pages, "
			  "encore et encore, jusqu'à la croissance.",
			  NULL, NULL);
	fx_check_ok(f->s);
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *slash = strrchr(argv[0], '/');
	if (slash)
		snprintf(helper, sizeof(helper), "%.*s/helper_writer",
			 (int)(slash - argv[0]), argv[0]);
	else
		snprintf(helper, sizeof(helper), "./helper_writer");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_crash, fx_setup_dir,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_map_resized_by_other,
					    fx_setup_dir, fx_teardown),
	};
	return cmocka_run_group_tests_name("store crash", tests, NULL, NULL);
}
