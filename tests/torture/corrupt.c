/* corrupt.c - the engine of the corruption campaign (tests/torture/corrupt
 * runs it; docs/torture.md says how to read what it prints).
 *
 * From a pristine store it makes N mutated copies, one at a time per job,
 * each in a fresh directory: a single bit flipped, a 4 KiB page zeroed, or
 * the file truncated.  Mutation i of seed S depends on (S, i) only, so
 * `--replay S:i` rebuilds it alone.  Flips and zeroed pages are aimed half
 * the time: a byte class (or page kind) is drawn first, then a byte of it,
 * so that rare classes (meta pages, headers, branch pages) get enough
 * trials; the other half and every truncation are uniform over the file.
 * lmdbmap.c says what each mutated byte was in the pristine file.
 *
 * After each mutation the same commands run on the copy, in a clean
 * environment, each with a timeout: list, show REF (an idea whose record
 * the mutation hit when it hit one, else one drawn at random), log,
 * review, export -o /dev/null, check, add.  Each run is recorded as its
 * exit status, the signal that killed it, or a timeout (the process group
 * is then killed).  Results go to a TSV file, one line per mutation, and
 * the tables to stdout.
 *
 *   corrupt --fai FAI --store DIR --work DIR [--n N] [--seed S] [--jobs J]
 *           [--timeout SEC] [--out FILE] [--replay S:I] [--map]
 *
 * Exit status: 0 when the campaign ran (whatever it found), 1 when the
 * harness itself failed (no store, a command that fails on the pristine
 * copy, a job that died). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lmdbmap.h"

enum kind { K_FLIP, K_ZERO, K_TRUNC, K_COUNT };
static const char *const kind_names[K_COUNT] = {"flip", "zero", "trunc"};

/* In this order on each copy: the readers, then check (before export,
 * which records what it sent and so rewrites the exchange bases: a damaged
 * base it replaced would no longer be there for check to report), then
 * the writers. */
enum {
	CMD_LIST,
	CMD_SHOW,
	CMD_LOG,
	CMD_REVIEW,
	CMD_CHECK,
	CMD_EXPORT,
	CMD_ADD,
	NCMD
};
static const char *const cmd_names[NCMD] = {
    "list", "show", "log", "review", "check", "export", "add",
};

/* A run's outcome: an exit status, or ST_SIGNAL + signal, or ST_HANG. */
#define ST_SIGNAL 1000
#define ST_HANG 2000

struct mutation {
	uint64_t i;
	int kind;
	int aimed;
	size_t off; /* flipped byte, first zeroed byte, or new length */
	unsigned bit;
	int cls; /* enum lmap_class */
	int db;	 /* database of the page, LMAP_NO_DB */
	char ref[64];
};

struct result {
	struct mutation mu;
	int st[NCMD];
	int done;
};

struct opts {
	const char *fai, *store, *work, *out;
	uint64_t n, seed;
	int jobs, timeout;
};

static struct lmap map;
static char pristine_path[4096];

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt,
								...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("corrupt: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* ------------------------------------------------------------ mutations */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* The byte classes a flip can hit, and the page classes a zeroed page. */
static int byte_class(int c)
{
	return c != LMAP_LEAFPAGE && c != LMAP_OVPAGE;
}

static void mutation_make(uint64_t seed, uint64_t i, struct mutation *mu)
{
	uint64_t s =
	    seed * 0xD1B54A32D192ED03ull ^ (i + 1) * 0x9E3779B97F4A7C15ull;
	splitmix(&s);
	memset(mu, 0, sizeof(*mu));
	mu->i = i;
	unsigned r = (unsigned)(splitmix(&s) % 100);
	mu->kind = r < 60 ? K_FLIP : r < 80 ? K_ZERO : K_TRUNC;
	mu->aimed = mu->kind != K_TRUNC && (splitmix(&s) & 1);
	if (mu->kind == K_FLIP) {
		int want = -1;
		if (mu->aimed) {
			int cs[LMAP_CLASS_COUNT], n = 0;
			for (int c = 0; c < LMAP_CLASS_COUNT; c++)
				if (byte_class(c) && map.class_bytes[c])
					cs[n++] = c;
			want = cs[splitmix(&s) % (uint64_t)n];
		}
		for (int t = 0; t < 4000000; t++) {
			mu->off = (size_t)(splitmix(&s) % map.size);
			if (want < 0 || map.cls[mu->off] == want)
				break;
		}
		mu->bit = (unsigned)(splitmix(&s) % 8);
		mu->cls = map.cls[mu->off];
	} else if (mu->kind == K_ZERO) {
		int want = -1;
		size_t pg = 0;
		if (mu->aimed) {
			int seen[LMAP_CLASS_COUNT] = {0}, cs[LMAP_CLASS_COUNT],
			    n = 0;
			for (size_t p = 0; p < map.npages; p++)
				seen[lmap_page_class(&map, p)] = 1;
			for (int c = 0; c < LMAP_CLASS_COUNT; c++)
				if (seen[c])
					cs[n++] = c;
			want = cs[splitmix(&s) % (uint64_t)n];
		}
		for (int t = 0; t < 4000000; t++) {
			pg = (size_t)(splitmix(&s) % map.npages);
			if (want < 0 || lmap_page_class(&map, pg) == want)
				break;
		}
		mu->off = pg * map.psize;
		mu->cls = lmap_page_class(&map, pg);
	} else {
		mu->off = (size_t)(splitmix(&s) % map.size);
		mu->cls = map.cls[mu->off];
	}
	size_t pg = mu->off / map.psize;
	mu->db = pg < map.npages ? map.db[pg] : LMAP_NO_DB;

	/* show: the idea whose record was hit, else one at random. */
	uint64_t key = lmap_idea_at(
	    &map, mu->kind == K_ZERO ? mu->off + map.psize - 1 : mu->off);
	const char *ref = key ? lmap_ref_of(&map, key) : NULL;
	uint64_t pick = splitmix(&s);
	if (!ref && map.nrefs)
		ref = map.refs[pick % map.nrefs];
	snprintf(mu->ref, sizeof(mu->ref), "%s", ref ? ref : "84-0001");
}

static void mutation_text(const struct mutation *mu, char *out, size_t n)
{
	const char *db = mu->db == LMAP_NO_DB ? "-" : map.names[mu->db];
	if (mu->kind == K_FLIP)
		snprintf(out, n,
			 "flip of bit %u at byte %zu (page %zu, %s, %s)",
			 mu->bit, mu->off, mu->off / map.psize,
			 lmap_class_name(mu->cls), db);
	else if (mu->kind == K_ZERO)
		snprintf(out, n, "page %zu zeroed (bytes %zu-%zu, %s, %s)",
			 mu->off / map.psize, mu->off, mu->off + map.psize - 1,
			 lmap_class_name(mu->cls), db);
	else
		snprintf(out, n,
			 "truncated to %zu bytes (first byte lost: page %zu, "
			 "%s, %s)",
			 mu->off, mu->off / map.psize, lmap_class_name(mu->cls),
			 db);
}

/* ------------------------------------------------------------ copies */

static int rm_entry(const char *p, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	return ftw->level > 0 ? remove(p) : 0;
}

/* Empties directory dir (made when absent). */
static void dir_reset(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		die("cannot make %s", dir);
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes the mutated copy of the pristine file as db/data.mdb. */
static void copy_write(const char *db, const struct mutation *mu)
{
	static const unsigned char zero[65536];
	char path[4200];
	dir_reset(db);
	snprintf(path, sizeof(path), "%s/data.mdb", db);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("cannot write %s", path);
	int rc = 0;
	if (!mu) {
		rc = write_all(fd, map.file, map.size);
	} else if (mu->kind == K_TRUNC) {
		rc = write_all(fd, map.file, mu->off);
	} else if (mu->kind == K_FLIP) {
		unsigned char b =
		    map.file[mu->off] ^ (unsigned char)(1u << mu->bit);
		rc = write_all(fd, map.file, mu->off) || write_all(fd, &b, 1) ||
		     write_all(fd, map.file + mu->off + 1,
			       map.size - mu->off - 1);
	} else {
		rc = write_all(fd, map.file, mu->off) ||
		     write_all(fd, zero, map.psize) ||
		     write_all(fd, map.file + mu->off + map.psize,
			       map.size - mu->off - map.psize);
	}
	if (rc || close(fd) != 0)
		die("cannot write %s", path);
}

/* ------------------------------------------------------------ commands */

static char env_home[4200], env_tmp[4200];

/* Fills argv (12 entries) with command c of the list on store db. */
static void cmd_argv(const struct opts *o, const char *db, int c,
		     const char *ref, const char **argv)
{
	int n = 0;
	argv[n++] = o->fai;
	argv[n++] = "--db";
	argv[n++] = db;
	argv[n++] = cmd_names[c];
	if (c == CMD_SHOW) {
		argv[n++] = ref;
	} else if (c == CMD_EXPORT) {
		argv[n++] = "-o";
		argv[n++] = "/dev/null";
	} else if (c == CMD_ADD) {
		argv[n++] = "--title";
		argv[n++] = "Idée ajoutée après la corruption";
		argv[n++] = "--region";
		argv[n++] = "84";
	}
	argv[n] = NULL;
}

/* Runs command c of the list on store db; stdout and stderr go to fd out
 * (or /dev/null when out < 0).  Returns the outcome (see ST_*). */
static int run_cmd(const struct opts *o, const char *db, int c, const char *ref,
		   int out)
{
	const char *argv[12];
	cmd_argv(o, db, c, ref, argv);
	static char e_path[] = "PATH=/usr/bin:/bin", e_lang[] = "LANG=C.UTF-8",
		    e_now[] = "FAI_NOW=2026-12-01T10:00:00Z",
		    e_cols[] = "COLUMNS=100", e_term[] = "TERM=dumb";
	char *envp[] = {e_path, env_home, env_tmp, e_lang,
			e_now,	e_cols,	  e_term,  NULL};

	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		struct rlimit core = {0, 0};
		struct rlimit as = {(rlim_t)8 << 30, (rlim_t)8 << 30};
		setpgid(0, 0);
		setrlimit(RLIMIT_CORE, &core);
		setrlimit(RLIMIT_AS, &as);
		int nul = open("/dev/null", O_RDWR);
		dup2(nul, 0);
		dup2(out >= 0 ? out : nul, 1);
		dup2(out >= 0 ? out : nul, 2);
		if (nul > 2)
			close(nul);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execve(o->fai, (char *const *)(uintptr_t)argv, envp);
		_exit(127);
	}
	setpgid(pid, pid);

	/* Wait, at most the timeout: SIGCHLD is blocked in this process. */
	struct timespec end, now;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += o->timeout;
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	int status = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long left = (end.tv_sec - now.tv_sec) * 1000000000ll +
				 (end.tv_nsec - now.tv_nsec);
		if (left <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return ST_HANG;
		}
		struct timespec ts = {(time_t)(left / 1000000000ll),
				      (long)(left % 1000000000ll)};
		if (ts.tv_sec > 0 || ts.tv_nsec > 50000000)
			ts = (struct timespec){0, 50000000};
		sigtimedwait(&chld, NULL, &ts);
	}
	if (WIFSIGNALED(status))
		return ST_SIGNAL + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void status_text(int st, char *out, size_t n)
{
	if (st == ST_HANG)
		snprintf(out, n, "T");
	else if (st >= ST_SIGNAL)
		snprintf(out, n, "S%d", st - ST_SIGNAL);
	else
		snprintf(out, n, "%d", st);
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV";
	case SIGBUS:
		return "SIGBUS";
	case SIGABRT:
		return "SIGABRT";
	case SIGFPE:
		return "SIGFPE";
	case SIGILL:
		return "SIGILL";
	case SIGKILL:
		return "SIGKILL";
	case SIGTRAP:
		return "SIGTRAP";
	case SIGXFSZ:
		return "SIGXFSZ";
	default:
		return "other signal";
	}
}

static void setup_env(const char *base)
{
	snprintf(env_home, sizeof(env_home), "HOME=%s/home", base);
	snprintf(env_tmp, sizeof(env_tmp), "TMPDIR=%s/tmp", base);
	char d[4200];
	snprintf(d, sizeof(d), "%s/home", base);
	dir_reset(d);
	snprintf(d, sizeof(d), "%s/tmp", base);
	dir_reset(d);
}

/* ------------------------------------------------------------ the jobs */

static void write_result(FILE *f, const struct result *r)
{
	const struct mutation *mu = &r->mu;
	fprintf(f, "%llu\t%s\t%d\t%zu\t%u\t%d\t%d\t%s",
		(unsigned long long)mu->i, kind_names[mu->kind], mu->aimed,
		mu->off, mu->bit, mu->cls, mu->db == LMAP_NO_DB ? -1 : mu->db,
		mu->ref);
	for (int c = 0; c < NCMD; c++) {
		char s[16];
		status_text(r->st[c], s, sizeof(s));
		fprintf(f, "\t%s", s);
	}
	fputc('\n', f);
}

static int parse_status(const char *s)
{
	if (*s == 'T')
		return ST_HANG;
	if (*s == 'S')
		return ST_SIGNAL + atoi(s + 1);
	return atoi(s);
}

static void job_run(const struct opts *o, int j, volatile uint64_t *progress)
{
	char base[4200], db[4300], path[4300];
	snprintf(base, sizeof(base), "%s/job%d", o->work, j);
	dir_reset(base);
	setup_env(base);
	snprintf(db, sizeof(db), "%s/store", base);
	snprintf(path, sizeof(path), "%s/results.tsv", base);
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write %s", path);
	for (uint64_t i = (uint64_t)j; i < o->n; i += (uint64_t)o->jobs) {
		struct result r;
		memset(&r, 0, sizeof(r));
		mutation_make(o->seed, i, &r.mu);
		copy_write(db, &r.mu);
		for (int c = 0; c < NCMD; c++)
			r.st[c] = run_cmd(o, db, c, r.mu.ref, -1);
		write_result(f, &r);
		fflush(f);
		__atomic_add_fetch(&progress[j], 1, __ATOMIC_RELAXED);
	}
	if (fclose(f) != 0)
		die("cannot write %s", path);
}

static void read_results(const struct opts *o, struct result *res)
{
	for (int j = 0; j < o->jobs; j++) {
		char path[4300], line[1024];
		snprintf(path, sizeof(path), "%s/job%d/results.tsv", o->work,
			 j);
		FILE *f = fopen(path, "r");
		if (!f)
			die("cannot read %s", path);
		while (fgets(line, sizeof(line), f)) {
			char *field[8 + NCMD], *save = NULL;
			int n = 0;
			for (char *t = strtok_r(line, "\t\n", &save);
			     t && n < 8 + NCMD;
			     t = strtok_r(NULL, "\t\n", &save))
				field[n++] = t;
			if (n != 8 + NCMD)
				die("a bad line in %s", path);
			uint64_t i = strtoull(field[0], NULL, 10);
			if (i >= o->n)
				die("a bad mutation number in %s", path);
			struct result *r = &res[i];
			/* The mutation is remade, not parsed: same seed. */
			mutation_make(o->seed, i, &r->mu);
			for (int c = 0; c < NCMD; c++)
				r->st[c] = parse_status(field[8 + c]);
			r->done = 1;
		}
		fclose(f);
	}
}

/* ------------------------------------------------------------ tables */

/* Damage check must report: inside a record, or a truncated file (every
 * truncation cuts pages the meta page counts). */
static int check_must_report(int kind, int cls)
{
	return kind == K_TRUNC || lmap_class_in_record(cls);
}

struct row {
	uint64_t muts, died, died_cmd[NCMD], hangs, nonzero, allok, silent;
};

static void row_add(struct row *w, const struct result *r)
{
	int died = 0, hang = 0, nz = 0, ok = 1;
	w->muts++;
	for (int c = 0; c < NCMD; c++) {
		int st = r->st[c];
		if (st == ST_HANG) {
			hang = 1;
		} else if (st >= ST_SIGNAL) {
			died = 1;
			w->died_cmd[c]++;
		} else if (st != 0) {
			nz = 1;
		}
		ok = ok && st == 0;
	}
	w->died += (uint64_t)died;
	w->hangs += (uint64_t)hang;
	w->nonzero += (uint64_t)nz;
	w->allok += (uint64_t)ok;
	w->silent += r->st[CMD_CHECK] == 0;
}

static void row_print(const char *kind, const char *cls, int goal,
		      const struct row *w)
{
	printf("%-6s%-27s%c%6llu %6llu", kind, cls, goal ? '*' : ' ',
	       (unsigned long long)w->muts, (unsigned long long)w->died);
	for (int c = 0; c < NCMD; c++)
		printf(" %6llu", (unsigned long long)w->died_cmd[c]);
	printf(" %6llu %7llu %7llu %7llu\n", (unsigned long long)w->hangs,
	       (unsigned long long)w->nonzero, (unsigned long long)w->allok,
	       (unsigned long long)w->silent);
}

static void table_head(const char *first)
{
	printf("%-33s %6s %6s", first, "muts", "died");
	for (int c = 0; c < NCMD; c++)
		printf(" %6s", cmd_names[c]);
	printf(" %6s %7s %7s %7s\n", "hangs", "nonzero", "all ok", "check0");
}

static void report(const struct opts *o, const struct result *res, double secs,
		   double cpu)
{
	static struct row rows[K_COUNT][LMAP_CLASS_COUNT], total, rec, trunc,
	    bydb[LMAP_MAX_DBS + 1];
	uint64_t sigs[65] = {0}, ndone = 0;

	for (uint64_t i = 0; i < o->n; i++) {
		const struct result *r = &res[i];
		if (!r->done)
			continue;
		ndone++;
		row_add(&rows[r->mu.kind][r->mu.cls], r);
		row_add(&total, r);
		if (r->mu.kind == K_TRUNC)
			row_add(&trunc, r);
		else if (lmap_class_in_record(r->mu.cls)) {
			row_add(&rec, r);
			row_add(&bydb[r->mu.db == LMAP_NO_DB ? LMAP_MAX_DBS
							     : r->mu.db],
				r);
		}
		for (int c = 0; c < NCMD; c++)
			if (r->st[c] >= ST_SIGNAL && r->st[c] < ST_HANG)
				sigs[(r->st[c] - ST_SIGNAL) & 63]++;
	}

	printf("\nCorruption campaign: %llu mutations (seed %llu) of a "
	       "%zu-byte store (%zu pages of %u bytes), %d jobs, %d s "
	       "timeout, %.0f min %02.0f s\n",
	       (unsigned long long)ndone, (unsigned long long)o->seed, map.size,
	       map.npages, map.psize, o->jobs, o->timeout,
	       (double)((long)secs / 60),
	       secs - 60.0 * (double)((long)secs / 60));
	printf("CPU time of the jobs and the commands: %.0f s, about %.0f min "
	       "on %d idle cores.\n",
	       cpu, cpu / 60 / o->jobs, o->jobs);
	printf("Each mutation: list, show, log, review, export, check, add "
	       "on a fresh copy.  Columns: mutations; mutations where a "
	       "command died by a signal (any, then per command); hung (killed "
	       "after %d s); some command exited non-zero; every command "
	       "exited 0; check exited 0.  * = damage check must "
	       "report (inside a record, or a truncated file): check0 "
	       "should be 0.\n\n",
	       o->timeout);
	table_head("kind  class");
	for (int k = 0; k < K_COUNT; k++)
		for (int c = 0; c < LMAP_CLASS_COUNT; c++)
			if (rows[k][c].muts)
				row_print(kind_names[k], lmap_class_name(c),
					  check_must_report(k, c), &rows[k][c]);
	row_print("all", "", 0, &total);

	printf("\nDamage inside records (flips and zeroed pages), by "
	       "database:\n");
	table_head("      database");
	for (int d = 0; d <= LMAP_MAX_DBS; d++)
		if (bydb[d].muts)
			row_print("", d < map.ndbs ? map.names[d] : "-", 1,
				  &bydb[d]);
	row_print("all", "", 1, &rec);

	printf("\nDeaths by signal (command runs):");
	int any = 0;
	for (int s = 1; s < 65; s++)
		if (sigs[s]) {
			printf("%s %s %llu", any ? "," : "", sig_name(s),
			       (unsigned long long)sigs[s]);
			any = 1;
		}
	printf("%s\n", any ? "" : " none");

	/* Reproducers: for each bad outcome, the first of each kind of
	 * mutation (truncations, the most frequent, would hide the rest). */
	printf("\nReproducers (tests/torture/corrupt --replay SEED:N):\n");
	for (int c = 0; c <= NCMD + 1; c++) {
		const char *what = c < NCMD    ? cmd_names[c]
				   : c == NCMD ? "hang"
					       : "check0";
		int shown = 0;
		for (uint64_t ik = 0; ik < K_COUNT * o->n; ik++) {
			uint64_t i = ik % o->n;
			const struct result *r = &res[i];
			int bad;
			char st[16] = "";
			if (!r->done || r->mu.kind != (int)(ik / o->n))
				continue;
			if (c < NCMD) {
				bad =
				    r->st[c] >= ST_SIGNAL && r->st[c] < ST_HANG;
				if (bad)
					snprintf(
					    st, sizeof(st), "%s",
					    sig_name(r->st[c] - ST_SIGNAL));
			} else if (c == NCMD) {
				bad = 0;
				for (int k = 0; k < NCMD && !bad; k++)
					if (r->st[k] == ST_HANG) {
						bad = 1;
						snprintf(st, sizeof(st), "%s",
							 cmd_names[k]);
					}
			} else {
				bad =
				    check_must_report(r->mu.kind, r->mu.cls) &&
				    r->st[CMD_CHECK] == 0;
			}
			if (!bad)
				continue;
			char text[256];
			mutation_text(&r->mu, text, sizeof(text));
			printf("  %-7s %llu:%llu  %s%s%s\n", shown ? "" : what,
			       (unsigned long long)o->seed,
			       (unsigned long long)i, text, st[0] ? ": " : "",
			       st);
			shown++;
			ik = (ik / o->n + 1) * o->n - 1; /* the next kind */
		}
	}

	/* The line make torture's summary quotes. */
	printf("\ncorrupt: %llu mutations, deaths by signal %llu (",
	       (unsigned long long)ndone, (unsigned long long)total.died);
	for (int c = 0; c < NCMD; c++)
		printf("%s%s %llu", c ? ", " : "", cmd_names[c],
		       (unsigned long long)total.died_cmd[c]);
	printf("), hangs %llu, check did not report: damaged records %llu "
	       "of %llu, truncated files %llu of %llu\n",
	       (unsigned long long)total.hangs, (unsigned long long)rec.silent,
	       (unsigned long long)rec.muts, (unsigned long long)trunc.silent,
	       (unsigned long long)trunc.muts);
}

static void write_tsv(const struct opts *o, const struct result *res)
{
	if (!o->out)
		return;
	FILE *f = fopen(o->out, "w");
	if (!f)
		die("cannot write %s", o->out);
	fprintf(f,
		"# seed %llu, store %s (%zu bytes)\n# n\tkind\taimed\t"
		"offset\tbit\tclass\tdb\tref",
		(unsigned long long)o->seed, pristine_path, map.size);
	for (int c = 0; c < NCMD; c++)
		fprintf(f, "\t%s", cmd_names[c]);
	fputs("\n# classes:", f);
	for (int c = 0; c < LMAP_CLASS_COUNT; c++)
		fprintf(f, " %d=%s", c, lmap_class_name(c));
	fputs("\n# databases:", f);
	for (int d = 0; d < map.ndbs; d++)
		fprintf(f, " %d=%s", d, map.names[d]);
	fputc('\n', f);
	for (uint64_t i = 0; i < o->n; i++)
		if (res[i].done)
			write_result(f, &res[i]);
	if (fclose(f) != 0)
		die("cannot write %s", o->out);
}

/* ------------------------------------------------------------ modes */

static void print_map(void)
{
	printf("%s: %zu bytes, %zu pages of %u bytes, last page %llu, txn "
	       "%llu, %zu references\n",
	       pristine_path, map.size, map.npages, map.psize,
	       (unsigned long long)map.last_pg, (unsigned long long)map.txnid,
	       map.nrefs);
	static const char *const kinds[LMAP_PG_KIND_COUNT] = {
	    "unreached",       "meta", "branch", "leaf", "overflow (first)",
	    "overflow (more)", "free",
	};
	for (int k = 0; k < LMAP_PG_KIND_COUNT; k++)
		printf("  %-20s %8zu pages\n", kinds[k], map.kind_pages[k]);
	for (int c = 0; c < LMAP_CLASS_COUNT; c++)
		if (byte_class(c))
			printf("  %-27s %10zu bytes\n", lmap_class_name(c),
			       map.class_bytes[c]);
	for (int d = 0; d < map.ndbs; d++) {
		size_t n = 0;
		for (size_t p = 0; p < map.npages; p++)
			n += map.db[p] == d;
		printf("  database %-16s %8zu pages\n", map.names[d], n);
	}
}

/* Runs the commands on the pristine copy: each must exit 0, or the
 * harness (or the binary) is broken and the figures would mean nothing. */
static void baseline(const struct opts *o)
{
	char base[4200], db[4300], err[4300];
	snprintf(base, sizeof(base), "%s/baseline", o->work);
	dir_reset(base);
	setup_env(base);
	snprintf(db, sizeof(db), "%s/store", base);
	snprintf(err, sizeof(err), "%s/output", base);
	copy_write(db, NULL);
	const char *ref = map.nrefs ? map.refs[0] : "84-0001";
	for (int c = 0; c < NCMD; c++) {
		int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int st = run_cmd(o, db, c, ref, fd);
		close(fd);
		if (st != 0) {
			char s[16];
			status_text(st, s, sizeof(s));
			fprintf(stderr,
				"corrupt: `fai %s` on the pristine copy: %s "
				"(output in %s)\n",
				cmd_names[c], s, err);
			exit(1);
		}
	}
}

static int replay(const struct opts *o, const char *spec)
{
	char *colon = strchr(spec, ':');
	if (!colon)
		die("--replay wants SEED:N, not %s", spec);
	struct opts r = *o;
	r.seed = strtoull(spec, NULL, 10);
	uint64_t i = strtoull(colon + 1, NULL, 10);
	char base[4200], db[4300], out[4300], text[256];
	snprintf(base, sizeof(base), "%s/replay-%llu-%llu", o->work,
		 (unsigned long long)r.seed, (unsigned long long)i);
	dir_reset(base);
	setup_env(base);
	snprintf(db, sizeof(db), "%s/store", base);
	snprintf(out, sizeof(out), "%s/output", base);
	struct mutation mu;
	mutation_make(r.seed, i, &mu);
	mutation_text(&mu, text, sizeof(text));
	printf("mutation %llu:%llu: %s\n", (unsigned long long)r.seed,
	       (unsigned long long)i, text);
	for (int c = 0; c < NCMD; c++) {
		copy_write(db, &mu);
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int st = run_cmd(&r, db, c, mu.ref, fd);
		close(fd);
		char s[16], line[512];
		const char *argv[12];
		status_text(st, s, sizeof(s));
		cmd_argv(&r, db, c, mu.ref, argv);
		printf("\n$");
		for (int a = 0; argv[a]; a++)
			printf(strchr(argv[a], ' ') ? " '%s'" : " %s", argv[a]);
		printf("  -> %s%s%s\n",
		       st >= ST_SIGNAL && st < ST_HANG ? "killed by " : "",
		       st >= ST_SIGNAL && st < ST_HANG
			   ? sig_name(st - ST_SIGNAL)
		       : st == ST_HANG ? "hung"
				       : "exit ",
		       st < ST_SIGNAL ? s : "");
		FILE *f = fopen(out, "r");
		for (int n = 0; f && n < 6 && fgets(line, sizeof(line), f); n++)
			printf("  %s", line);
		if (f)
			fclose(f);
	}
	copy_write(db, &mu);
	printf("\nEach command ran on a fresh copy; the damaged store is "
	       "left at %s (environment: LANG=C.UTF-8 "
	       "FAI_NOW=2026-12-01T10:00:00Z).\n",
	       db);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {NULL, NULL, NULL, NULL, 10000, 1, 2, 20};
	const char *replay_spec = NULL;
	int show_map = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--map") == 0) {
			show_map = 1;
			continue;
		}
		if (!v)
			die("%s wants a value", a);
		i++;
		if (strcmp(a, "--fai") == 0)
			o.fai = v;
		else if (strcmp(a, "--store") == 0)
			o.store = v;
		else if (strcmp(a, "--work") == 0)
			o.work = v;
		else if (strcmp(a, "--out") == 0)
			o.out = v;
		else if (strcmp(a, "--n") == 0)
			o.n = strtoull(v, NULL, 10);
		else if (strcmp(a, "--seed") == 0)
			o.seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--jobs") == 0)
			o.jobs = atoi(v);
		else if (strcmp(a, "--timeout") == 0)
			o.timeout = atoi(v);
		else if (strcmp(a, "--replay") == 0)
			replay_spec = v;
		else
			die("unknown option %s", a);
	}
	if (!o.store || (!show_map && (!o.fai || !o.work)))
		die("usage: corrupt --fai FAI --store DIR --work DIR "
		    "[--n N] [--seed S] [--jobs J] [--timeout SEC] "
		    "[--out FILE] [--replay SEED:N] [--map]");
	if (o.jobs < 1 || o.jobs > 64 || o.timeout < 1)
		die("--jobs is 1 to 64, --timeout at least 1");

	char why[512];
	snprintf(pristine_path, sizeof(pristine_path), "%s/data.mdb", o.store);
	if (lmap_load(&map, pristine_path, why, sizeof(why)) != 0)
		die("the pristine store cannot be mapped: %s", why);
	if (map.unreached)
		fprintf(stderr,
			"corrupt: note: %zu pages of the pristine "
			"store are in no tree and no free list\n",
			map.unreached);
	if (show_map) {
		print_map();
		return 0;
	}
	if (access(o.fai, X_OK) != 0)
		die("%s is not an executable", o.fai);
	if (mkdir(o.work, 0755) != 0 && errno != EEXIST)
		die("cannot make %s", o.work);

	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	if (replay_spec)
		return replay(&o, replay_spec);

	baseline(&o);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	volatile uint64_t *progress =
	    mmap(NULL, sizeof(uint64_t) * 64, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	pid_t pids[64];
	for (int j = 0; j < o.jobs; j++) {
		pids[j] = fork();
		if (pids[j] < 0)
			die("fork: %s", strerror(errno));
		if (pids[j] == 0) {
			job_run(&o, j, progress);
			_exit(0);
		}
	}
	int running = o.jobs, failed = 0;
	time_t last = time(NULL);
	while (running) {
		int status;
		pid_t w = waitpid(-1, &status, WNOHANG);
		for (int j = 0; w > 0 && j < o.jobs; j++)
			if (pids[j] == w) {
				running--;
				failed |= !WIFEXITED(status) ||
					  WEXITSTATUS(status) != 0;
			}
		if (w > 0)
			continue;
		struct timespec ts = {1, 0};
		sigtimedwait(&chld, NULL, &ts);
		if (time(NULL) - last >= 60) {
			uint64_t done = 0;
			last = time(NULL);
			for (int j = 0; j < o.jobs; j++)
				done += __atomic_load_n(&progress[j],
							__ATOMIC_RELAXED);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			double el = (double)(t1.tv_sec - t0.tv_sec);
			fprintf(stderr,
				"corrupt: %llu/%llu mutations, %.0f min "
				"elapsed, about %.0f min left\n",
				(unsigned long long)done,
				(unsigned long long)o.n, el / 60,
				done ? el * (double)(o.n - done) /
					   (double)done / 60
				     : 0.0);
		}
	}
	if (failed)
		die("a job failed (see the messages above)");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct result *res = calloc(o.n ? o.n : 1, sizeof(*res));
	if (!res)
		abort();
	read_results(&o, res);
	write_tsv(&o, res);
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	report(&o, res,
	       (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		   (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	for (uint64_t i = 0; i < o.n; i++)
		if (!res[i].done)
			die("some mutations have no result");
	free(res);
	lmap_free(&map);
	return 0;
}
