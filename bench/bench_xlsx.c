/* bench_xlsx.c - what the XLSX hand-off costs against the CSV one.
 *
 * Issue 13's benchmark: export and import of 10^5 ideas as XLSX, against
 * the CSV export and import measured in the same run, on the same store
 * and the same machine.  Goals (printed, never asserted: these machines
 * are shared and noisy): XLSX export <= 3x the CSV export, XLSX import
 * <= 2x the CSV import, peak private memory <= 64 MiB.
 *
 * The ideas are bench_csv's (its --generate mode: every column of the
 * format filled as real ideas are, French text with accents, a need on
 * two lines, SIRET, dates, jobs for launched ideas; about 630 bytes a
 * row), imported once by `fai import` into a source store.  Then, runs
 * of CSV and XLSX interleaved so that the machine's noise falls on both
 * alike, three times each (the median is shown):
 *   - `fai --db SRC export -o out.csv` (rfc4180, the default) and
 *     `fai --db SRC export --format xlsx -o out.xlsx`;
 *   - `fai --db FRESH import out.csv` and `... import out.xlsx`, each into
 *     an empty store made by `fai init` just before (not timed).
 * Every figure is the real fai binary as a person runs it: the wall time
 * of the whole command (fork to exit: exec, opening the store, the fsync'd
 * commit or the atomic rename of -o included), its output to /dev/null.
 * Memory is measured as bench_csv measures it: the child's RssAnon (heap,
 * stack, LMDB's dirty pages: private memory nothing else can reclaim)
 * sampled every 5 ms from /proc/PID/status once it has exec'd, and its
 * peak RSS (getrusage of the child, ru_maxrss), which also counts the
 * store's file-mapped pages it touched (shared, reclaimable).  The exit is
 * seen at once (a pipe the child holds open closes), not at the next
 * sample.  The worst peak of the three runs is shown.
 *
 * The runs are checked, outside the timings: every command must exit 0,
 * and each imported store, exported again as CSV, must give the CSV
 * export of the source byte for byte (a benchmark of an import that lost
 * or changed a row would measure nothing).
 *
 * Usage: bench_xlsx FAI-BINARY BENCH-CSV-BINARY [ideas]  (10^5 by
 * default; 10^4 is handy under callgrind).  Files and stores go to
 * $TMPDIR or /tmp (2 GiB free needed at 10^5) and are removed.  About 80 s
 * on 2 shared cores at 10^5. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#define BENCH_REPS 3
#define BENCH_GOAL_EXPORT 3.0	/* XLSX export / CSV export */
#define BENCH_GOAL_IMPORT 2.0	/* XLSX import / CSV import */
#define BENCH_GOAL_MEM_MIB 64.0 /* peak private memory */
#define BENCH_SAMPLE_MS 5
/* Free space: the source store and a fresh one (about 2.3 KiB an idea
 * each), the files, the import's spool and libxlsxwriter's temporary
 * sheet (2.7 KiB an idea), with room to spare: 2 GiB at 10^5. */
#define BENCH_FREE_PER_IDEA ((uint64_t)20 << 10)

/* ------------------------------------------------------------ children */

/* One command: its wall time and peaks. */
struct run {
	double seconds;
	long peak_anon_kib; /* RssAnon, sampled every 5 ms after the exec */
	long peak_rss_kib;  /* ru_maxrss of the child */
	int ok;		    /* exited 0 */
};

/* Runs argv (argv[0] a path) with its standard output to /dev/null, and
 * measures it.  Two pipes tell the parent what it cannot see otherwise:
 * one closes on exec (from then on the child is its own image: before, it
 * is a copy of this process and shows its memory), the other, inherited,
 * closes when the child exits (so the end is seen at once, not at the
 * next sample). */
static struct run run_cmd(char *const argv[])
{
	struct run r;
	int exec_seen[2], alive[2];
	char c;
	memset(&r, 0, sizeof(r));
	if (pipe2(exec_seen, O_CLOEXEC) != 0)
		return r;
	if (pipe(alive) != 0) {
		close(exec_seen[0]);
		close(exec_seen[1]);
		return r;
	}
	fflush(stdout);
	double t0 = now_s();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		close(exec_seen[0]);
		close(alive[0]);
		if (fd >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(exec_seen[1]);
	close(alive[1]);
	if (pid < 0) {
		close(exec_seen[0]);
		close(alive[0]);
		return r;
	}
	while (read(exec_seen[0], &c, 1) > 0)
		;
	close(exec_seen[0]);
	struct pollfd pf = {alive[0], POLLIN, 0};
	for (;;) {
		long anon = status_kib(pid, "RssAnon");
		if (anon > r.peak_anon_kib)
			r.peak_anon_kib = anon;
		int n = poll(&pf, 1, BENCH_SAMPLE_MS);
		if (n > 0)
			break; /* POLLHUP: the child's end closed */
		if (n < 0 && errno != EINTR)
			break;
	}
	int status;
	struct rusage ru;
	pid_t got;
	while ((got = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
		;
	r.seconds = now_s() - t0;
	close(alive[0]);
	r.ok = got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	r.peak_rss_kib = ru.ru_maxrss;
	return r;
}

/* Runs argv and dies loudly unless it exits 0. */
static struct run must(char *const argv[])
{
	struct run r = run_cmd(argv);
	if (!r.ok) {
		fprintf(stderr, "bench_xlsx: failed:");
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
	}
	return r;
}

/* ------------------------------------------------------------ figures */

/* One measured command, over its runs. */
struct figure {
	const char *what;
	double v[BENCH_REPS];
	long anon_kib, rss_kib; /* worst of the runs */
};

static void figure_add(struct figure *f, int rep, const struct run *r)
{
	f->v[rep] = r->seconds;
	if (r->peak_anon_kib > f->anon_kib)
		f->anon_kib = r->peak_anon_kib;
	if (r->peak_rss_kib > f->rss_kib)
		f->rss_kib = r->peak_rss_kib;
}

static double figure_median(const struct figure *f)
{
	double v[BENCH_REPS];
	memcpy(v, f->v, sizeof(v));
	return median(v, BENCH_REPS);
}

static const char *verdict(int met)
{
	return met ? "PASS" : "OVER";
}

static void time_line(const char *what, const struct figure *csv,
		      const struct figure *xlsx, double goal)
{
	double c = figure_median(csv), x = figure_median(xlsx);
	printf("  %-7s %8.2f s %8.2f s %8.2f   <= %.0f    %s", what, c, x,
	       x / c, goal, verdict(x / c <= goal));
	if (x / c > goal)
		printf(" (%.2fx the CSV %s)", x / c, what);
	printf("\n");
}

static void mem_line(const struct figure *f, int judged)
{
	double anon = (double)f->anon_kib / 1024;
	printf("  %-12s private %6.1f MiB, peak RSS %5.0f MiB", f->what, anon,
	       (double)f->rss_kib / 1024);
	if (judged)
		printf("   <= %.0f MiB private: %s", BENCH_GOAL_MEM_MIB,
		       verdict(anon <= BENCH_GOAL_MEM_MIB));
	printf("\n");
}

static void runs_line(const struct figure *f)
{
	printf("  %-12s", f->what);
	for (int i = 0; i < BENCH_REPS; i++)
		printf(" %6.2f", f->v[i]);
	printf(" s\n");
}

/* 0 when the two files hold the same bytes. */
static int same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	static char ba[65536], bb[65536];
	int rc = -1;
	if (!fa || !fb)
		goto close;
	for (;;) {
		size_t na = fread(ba, 1, sizeof(ba), fa);
		size_t nb = fread(bb, 1, sizeof(bb), fb);
		if (na != nb || memcmp(ba, bb, na) != 0)
			goto close;
		if (na == 0) {
			rc = 0;
			goto close;
		}
	}
close:
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return rc;
}

static double mib(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (double)sb.st_size / (1 << 20) : 0;
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
	char dir[512], gen[600], src[600], fresh[600], ocsv[600], oxlsx[600],
	    back[600], nstr[32];
	char a_db[] = "--db", a_init[] = "init", a_region[] = "--region",
	     a_84[] = "84", a_import[] = "import", a_export[] = "export",
	     a_o[] = "-o", a_format[] = "--format", a_xlsx[] = "xlsx",
	     a_gen[] = "--generate";
	struct statvfs vfs;
	size_t n = 100000;
	const char *tmp = getenv("TMPDIR");

	if (argc < 3 || argc > 4) {
		fprintf(stderr,
			"usage: %s FAI-BINARY BENCH-CSV-BINARY [ideas]\n",
			argv[0]);
		return 2;
	}
	if (argc == 4 && (n = strtoul(argv[3], NULL, 10)) < 1000) {
		fprintf(stderr, "bench_xlsx: at least 1000 ideas\n");
		return 2;
	}
	char *fai = argv[1], *gencsv = argv[2];
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (statvfs(tmp, &vfs) != 0) {
		fprintf(stderr, "bench_xlsx: statvfs %s: %s\n", tmp,
			strerror(errno));
		return 1;
	}
	uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (avail < n * BENCH_FREE_PER_IDEA) {
		printf("bench_xlsx skipped: only %.1f GiB free in %s, it needs "
		       "%.1f GiB (set TMPDIR elsewhere)\n",
		       (double)avail / (1 << 30), tmp,
		       (double)(n * BENCH_FREE_PER_IDEA) / (1 << 30));
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/fai-bench-xlsx-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_xlsx: mkdtemp %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	snprintf(gen, sizeof(gen), "%s/ideas.csv", dir);
	snprintf(src, sizeof(src), "%s/source", dir);
	snprintf(fresh, sizeof(fresh), "%s/fresh", dir);
	snprintf(ocsv, sizeof(ocsv), "%s/out.csv", dir);
	snprintf(oxlsx, sizeof(oxlsx), "%s/out.xlsx", dir);
	snprintf(back, sizeof(back), "%s/back.csv", dir);
	snprintf(nstr, sizeof(nstr), "%zu", n);
	/* The import converts the workbook's date-times from local time:
	 * with TZ unset, glibc's mktime stats /etc/localtime at each call. */
	const char *tz = getenv("TZ");
	printf("fai XLSX benchmark: %zu ideas, files and stores in %s, %ld "
	       "CPUs, TZ %s\n",
	       n, dir, sysconf(_SC_NPROCESSORS_ONLN),
	       tz ? tz : "unset (/etc/localtime)");

	char *c_gen[] = {gencsv, a_gen, nstr, gen, NULL};
	char *c_init_src[] = {fai, a_db, src, a_init, a_region, a_84, NULL};
	char *c_import_src[] = {fai, a_db, src, a_import, gen, NULL};
	char *c_init[] = {fai, a_db, fresh, a_init, a_region, a_84, NULL};
	char *c_exp_csv[] = {fai, a_db, src, a_export, a_o, ocsv, NULL};
	char *c_exp_xlsx[] = {fai,    a_db, src,   a_export, a_format,
			      a_xlsx, a_o,  oxlsx, NULL};
	char *c_imp_csv[] = {fai, a_db, fresh, a_import, ocsv, NULL};
	char *c_imp_xlsx[] = {fai, a_db, fresh, a_import, oxlsx, NULL};
	char *c_back[] = {fai, a_db, fresh, a_export, a_o, back, NULL};

	double t0 = now_s();
	if (!must(c_gen).ok || !must(c_init_src).ok)
		goto fail;
	struct run r = must(c_import_src);
	if (!r.ok)
		goto fail;
	printf("source store: %zu ideas generated (%.0f MiB of CSV) and "
	       "imported in %.1f s (import %.2f s)\n",
	       n, mib(gen), now_s() - t0, r.seconds);
	unlink(gen);
	fflush(stdout);

	struct figure exp_csv = {"CSV export", {0}, 0, 0},
		      exp_xlsx = {"XLSX export", {0}, 0, 0},
		      imp_csv = {"CSV import", {0}, 0, 0},
		      imp_xlsx = {"XLSX import", {0}, 0, 0};
	for (int i = 0; i < BENCH_REPS; i++) {
		if (!(r = must(c_exp_csv)).ok)
			goto fail;
		figure_add(&exp_csv, i, &r);
		if (!(r = must(c_exp_xlsx)).ok)
			goto fail;
		figure_add(&exp_xlsx, i, &r);
	}
	printf("exports: CSV %.0f MiB, XLSX %.0f MiB\n", mib(ocsv), mib(oxlsx));
	fflush(stdout);
	/* Each import into an empty store; after the last of each kind,
	 * the store exported again must be the source's export. */
	struct figure *imp[2] = {&imp_csv, &imp_xlsx};
	char *const *cmd[2] = {c_imp_csv, c_imp_xlsx};
	int roundtrip[2] = {0, 0};
	for (int i = 0; i < BENCH_REPS; i++)
		for (int k = 0; k < 2; k++) {
			rmtree(fresh);
			if (!must(c_init).ok || !(r = must(cmd[k])).ok)
				goto fail;
			figure_add(imp[k], i, &r);
			if (i == BENCH_REPS - 1) {
				if (!must(c_back).ok)
					goto fail;
				roundtrip[k] = same_file(back, ocsv) == 0;
				unlink(back);
			}
		}
	rmtree(fresh);

	printf("\nXLSX hand-off against CSV, %zu ideas: wall time of the fai "
	       "command, median of %d (runs interleaved)\n",
	       n, BENCH_REPS);
	printf("  %-7s %10s %10s %8s %8s\n", "", "CSV", "XLSX", "ratio",
	       "goal");
	time_line("export", &exp_csv, &exp_xlsx, BENCH_GOAL_EXPORT);
	time_line("import", &imp_csv, &imp_xlsx, BENCH_GOAL_IMPORT);
	printf("every run:\n");
	runs_line(&exp_csv);
	runs_line(&exp_xlsx);
	runs_line(&imp_csv);
	runs_line(&imp_xlsx);
	printf("peak memory, the worst of the runs: private = RssAnon (heap, "
	       "stack, LMDB's dirty pages),\n"
	       "sampled every %d ms from /proc/PID/status once the child has "
	       "exec'd; peak RSS = ru_maxrss (also\n"
	       "counts the store's file-mapped pages: shared, reclaimable)\n",
	       BENCH_SAMPLE_MS);
	mem_line(&exp_csv, 0);
	mem_line(&exp_xlsx, 1);
	mem_line(&imp_csv, 0);
	mem_line(&imp_xlsx, 1);
	printf("round trip (the imported store exported as CSV = the source's "
	       "CSV export): CSV %s, XLSX %s\n",
	       roundtrip[0] ? "identical" : "DIFFERENT",
	       roundtrip[1] ? "identical" : "DIFFERENT");
	printf("bench_xlsx: %.0f s in all\n", now_s() - t0);
	rmtree(dir);
	return roundtrip[0] && roundtrip[1] ? 0 : 1;
fail:
	rmtree(dir);
	return 1;
}
