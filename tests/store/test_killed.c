/* test_killed.c - processes killed with SIGKILL while they hold LMDB
 * resources must not block the others:
 *   - a writer killed inside its write transaction (helper_hold_write): a
 *     writer already waiting for the lock gets it within a second of the
 *     kill (LMDB's robust mutexes), and so does a process that opens the
 *     store afterwards; what the dead transaction wrote is gone;
 *   - a reader killed holding a read transaction (helper_hold_read, raw
 *     LMDB) leaves its slot in the reader table: a new process opening the
 *     store clears it (store_open), and so does store_maintain in a process
 *     that had the store open all along (the board).
 * Another live process keeps the environment open meanwhile, so the lock
 * file is never reset by an opener that happens to be alone.  The reader
 * table is read with mdb_reader_list through raw LMDB, in this process,
 * which never has the store open at the same time. */
#include "store_fixture.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static char hold_write[PATH_MAX];
static char hold_read[PATH_MAX];

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Milliseconds a helper may take to start (the ASan build is slower). */
static int start_ms(void)
{
	return 30000;
}

/* Reads from fd until the text read starts with want, at most ms.  Returns
 * 1 when it did; the text is in buf. */
static int wait_text(int fd, const char *want, int ms, char *buf, size_t size)
{
	size_t len = 0;
	double end = now_s() + ms / 1000.0;
	buf[0] = '\0';
	while (len + 1 < size) {
		int left = (int)((end - now_s()) * 1000);
		struct pollfd p = {fd, POLLIN, 0};
		if (left <= 0 || poll(&p, 1, left) != 1)
			break;
		ssize_t got = read(fd, buf + len, size - len - 1);
		if (got <= 0)
			break;
		len += (size_t)got;
		buf[len] = '\0';
		if (strncmp(buf, want, strlen(want)) == 0 && strchr(buf, '\n'))
			return 1;
	}
	return strncmp(buf, want, strlen(want)) == 0;
}

static void kill_wait(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A fresh store with one idea, closed (no environment crosses a fork). */
static void store_with_one_idea(struct fx *f)
{
	assert_int_equal(
	    store_open(&f->s, f->path, STORE_CREATE, "84", 0, &f->err), 0);
	fx_create(f, fx_tick(&f->alice), "Avant la panne", NULL, NULL, NULL);
	store_close(f->s);
	f->s = NULL;
}

/* In a child process: opens the store, creates an idea titled title and
 * writes "rc\n" to fd; the parent must not have the store open. */
static pid_t child_write(const char *path, const char *title, int *fd)
{
	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *s = NULL;
		struct fai_err err;
		struct store_actor bob = {"bob", NULL, FX_T0 + 600};
		char msg[32];
		int rc = store_open(&s, path, 0, NULL, 0, &err);
		if (!rc) {
			struct idea *idea = idea_new();
			idea_set(idea, IDEA_TITLE, title, 0, NULL);
			idea_set(idea, IDEA_REGION, "84", 0, NULL);
			rc = store_idea_create(s, &bob, idea, &err);
			idea_free(idea);
			store_close(s);
		}
		int n = snprintf(msg, sizeof(msg), "%d\n", rc);
		if (write(p[1], msg, (size_t)n) != n)
			_exit(2);
		_exit(rc ? 1 : 0);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

static int has_title(const struct idea *idea, void *arg)
{
	return strcmp(idea_get(idea, IDEA_TITLE), arg) == 0;
}

/* The store after a killed writer: the ideas expected, none of the dead
 * transaction's, consistent, and writable. */
static void after_killed_writer(struct fx *f, uint64_t want_ideas)
{
	uint64_t counts[STAGE_COUNT], n = 0;
	assert_int_equal(store_open(&f->s, f->path, 0, NULL, 0, &f->err), 0);
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	for (int i = 0; i < STAGE_COUNT; i++)
		n += counts[i];
	assert_int_equal(n, want_ideas);
	char never[] = "Jamais écrite";
	assert_int_equal(store_idea_foreach(f->s, has_title, never, &f->err),
			 0);
	fx_check_ok(f->s);
	fx_create(f, fx_tick(&f->alice), "Encore après", NULL, NULL, NULL);
	store_close(f->s);
	f->s = NULL;
}

static void test_killed_writer_waiting(void **state)
{
	struct fx *f = *state;
	char buf[256];
	int hfd, wfd;

	store_with_one_idea(f);
	pid_t h = fx_spawn(hold_write, f->path, NULL, &hfd);
	if (!wait_text(hfd, "in-txn", start_ms(), buf, sizeof(buf))) {
		kill_wait(h);
		fail_msg("helper_hold_write never got into its transaction "
			 "(%s)",
			 buf);
	}
	/* Another process wants to write: it waits for the lock. */
	pid_t w = child_write(f->path, "Après la panne", &wfd);
	if (wait_text(wfd, "", 700, buf, sizeof(buf)) && buf[0]) {
		kill_wait(h);
		waitpid(w, NULL, 0);
		fail_msg("the second writer did not wait for the first (%s): "
			 "the helper held no lock",
			 buf);
	}
	double t0 = now_s();
	kill_wait(h);
	close(hfd);
	int got = wait_text(wfd, "0\n", 10000, buf, sizeof(buf));
	double waited = now_s() - t0;
	int status;
	assert_int_equal(waitpid(w, &status, 0), w);
	close(wfd);
	print_message("killed writer: the waiting writer committed %.3f s "
		      "after the kill\n",
		      waited);
	if (!got)
		fail_msg("the waiting writer failed or hung after the kill "
			 "(said \"%s\", status %d)",
			 buf, status);
	if (waited >= 1.0)
		fail_msg("the waiting writer needed %.3f s after the kill",
			 waited);
	after_killed_writer(f, 2);
	/* the waiting writer got the number the dead one had taken */
	assert_int_equal(store_open(&f->s, f->path, 0, NULL, 0, &f->err), 0);
	struct idea *i = fx_find(f, "84-0002");
	assert_string_equal(idea_get(i, IDEA_TITLE), "Après la panne");
	idea_free(i);
}

static void test_killed_writer_then_open(void **state)
{
	struct fx *f = *state;
	char buf[256];
	int hfd;

	store_with_one_idea(f);
	pid_t h = fx_spawn(hold_write, f->path, NULL, &hfd);
	if (!wait_text(hfd, "in-txn", start_ms(), buf, sizeof(buf))) {
		kill_wait(h);
		fail_msg("helper_hold_write never got into its transaction");
	}
	double t0 = now_s();
	kill_wait(h);
	close(hfd);
	/* Nobody was waiting: this process opens and writes. */
	assert_int_equal(store_open(&f->s, f->path, 0, NULL, 0, &f->err), 0);
	fx_create(f, fx_tick(&f->alice), "Après la panne", NULL, NULL, NULL);
	double took = now_s() - t0;
	store_close(f->s);
	f->s = NULL;
	print_message("killed writer: open and write %.3f s after the "
		      "kill\n",
		      took);
	if (took >= 1.0)
		fail_msg("open and write took %.3f s after the kill", took);
	after_killed_writer(f, 2);
}

/* The reader table, through raw LMDB: the pids holding a slot. */
struct readers {
	long pid[128];
	int n;
};

static int reader_line(const char *msg, void *ctx)
{
	struct readers *r = ctx;
	long pid;
	if (sscanf(msg, " %ld", &pid) == 1 && r->n < 128)
		r->pid[r->n++] = pid;
	return 0;
}

static int reader_has(const char *path, pid_t pid)
{
	MDB_env *env;
	struct readers r = {{0}, 0};
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 16), 0);
	assert_int_equal(mdb_env_open(env, path, MDB_RDONLY, 0644), 0);
	assert_true(mdb_reader_list(env, reader_line, &r) >= 0);
	mdb_env_close(env);
	for (int i = 0; i < r.n; i++)
		if (r.pid[i] == (long)pid)
			return 1;
	return 0;
}

/* A live process that keeps the environment open (no transaction). */
static pid_t keep_open(const char *path, int *fd)
{
	char buf[64];
	pid_t pid = fx_spawn(hold_read, path, "open", fd);
	if (!wait_text(*fd, "ready", start_ms(), buf, sizeof(buf))) {
		kill_wait(pid);
		fail_msg("helper_hold_read open never got ready");
	}
	return pid;
}

/* A reader killed holding a read transaction; returns its pid (dead). */
static pid_t killed_reader(const char *path)
{
	char buf[64];
	int fd;
	pid_t r = fx_spawn(hold_read, path, "read", &fd);
	if (!wait_text(fd, "ready", start_ms(), buf, sizeof(buf))) {
		kill_wait(r);
		fail_msg("helper_hold_read read never got ready");
	}
	if (!reader_has(path, r)) {
		kill_wait(r);
		fail_msg("the live reader %ld holds no slot", (long)r);
	}
	kill_wait(r);
	close(fd);
	return r;
}

static void test_killed_reader_open(void **state)
{
	struct fx *f = *state;
	int lfd;
	store_with_one_idea(f);
	pid_t live = keep_open(f->path, &lfd);
	pid_t r = killed_reader(f->path);
	if (!reader_has(f->path, r)) {
		kill_wait(live);
		fail_msg("the dead reader left no slot: nothing to test");
	}
	/* A new process opens the store. */
	pid_t o = fork();
	assert_true(o >= 0);
	if (o == 0) {
		struct store *s = NULL;
		struct fai_err err;
		int rc = store_open(&s, f->path, 0, NULL, 0, &err);
		store_close(s);
		_exit(rc ? 1 : 0);
	}
	int status;
	assert_int_equal(waitpid(o, &status, 0), o);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	int stale = reader_has(f->path, r);
	kill_wait(live);
	close(lfd);
	if (stale)
		fail_msg("after store_open, the dead reader %ld still has "
			 "its slot",
			 (long)r);
	/* read-only opens clear them too (fai --read-only, a read-only
	 * board) */
	live = keep_open(f->path, &lfd);
	r = killed_reader(f->path);
	o = fork();
	assert_true(o >= 0);
	if (o == 0) {
		struct store *s = NULL;
		struct fai_err err;
		int rc = store_open(&s, f->path, STORE_READONLY, NULL, 0, &err);
		store_close(s);
		_exit(rc ? 1 : 0);
	}
	assert_int_equal(waitpid(o, &status, 0), o);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stale = reader_has(f->path, r);
	kill_wait(live);
	close(lfd);
	if (stale)
		fail_msg("after a read-only store_open, the dead reader %ld "
			 "still has its slot",
			 (long)r);
}

/* A process that had the store open before the reader died (a board)
 * clears the slot with store_maintain. */
static void test_killed_reader_maintain(void **state)
{
	struct fx *f = *state;
	int to_child[2], from_child[2];
	char buf[64];
	store_with_one_idea(f);
	assert_int_equal(pipe2(to_child, O_CLOEXEC), 0);
	assert_int_equal(pipe2(from_child, O_CLOEXEC), 0);
	pid_t b = fork();
	assert_true(b >= 0);
	if (b == 0) {
		struct store *s = NULL;
		struct fai_err err;
		char c;
		close(to_child[1]);
		close(from_child[0]);
		if (store_open(&s, f->path, 0, NULL, 0, &err))
			_exit(1);
		if (write(from_child[1], "open\n", 5) != 5 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(2);
		store_maintain(s);
		if (write(from_child[1], "done\n", 5) != 5)
			_exit(3);
		while (read(to_child[0], &c, 1) > 0)
			;
		store_close(s);
		_exit(0);
	}
	close(to_child[0]);
	close(from_child[1]);
	if (!wait_text(from_child[0], "open", start_ms(), buf, sizeof(buf))) {
		kill_wait(b);
		fail_msg("the board-like process never opened the store");
	}
	pid_t r = killed_reader(f->path);
	int stale_before = reader_has(f->path, r);
	assert_int_equal(write(to_child[1], "m", 1), 1);
	int ok = wait_text(from_child[0], "done", start_ms(), buf, sizeof(buf));
	int stale = reader_has(f->path, r);
	close(to_child[1]);
	int status;
	waitpid(b, &status, 0);
	close(from_child[0]);
	assert_true(ok);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!stale_before)
		fail_msg("the dead reader left no slot: nothing to test");
	if (stale)
		fail_msg("after store_maintain, the dead reader %ld still "
			 "has its slot",
			 (long)r);
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *slash = strrchr(argv[0], '/');
	int dl = slash ? (int)(slash - argv[0]) : 1;
	const char *dir = slash ? argv[0] : ".";
	snprintf(hold_write, sizeof(hold_write), "%.*s/helper_hold_write", dl,
		 dir);
	snprintf(hold_read, sizeof(hold_read), "%.*s/helper_hold_read", dl,
		 dir);
	if (access(hold_write, X_OK) != 0 || access(hold_read, X_OK) != 0) {
		fprintf(stderr, "test_killed: build %s and %s first\n",
			hold_write, hold_read);
		return 1;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_killed_writer_waiting,
					    fx_setup_dir, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_killed_writer_then_open,
					    fx_setup_dir, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_killed_reader_open,
					    fx_setup_dir, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_killed_reader_maintain,
					    fx_setup_dir, fx_teardown),
	};
	return cmocka_run_group_tests_name("store killed processes", tests,
					   NULL, NULL);
}
