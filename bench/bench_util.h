/* bench_util.h - what the benchmarks that time child commands share: a
 * monotonic clock, the median of a few runs, a child's memory as
 * /proc/PID/status says it, and removing a scratch tree.
 * Static inline: each benchmark is one program. */
#ifndef FAI_BENCH_UTIL_H
#define FAI_BENCH_UTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <time.h>

static inline double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int bench_cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The median of v[0..n) (sorts v). */
static inline double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_d);
	return v[n / 2];
}

static inline int bench_rm_one(const char *p, const struct stat *sb, int flag,
			       struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Removes dir and everything below it, never following a link. */
static inline void rmtree(const char *dir)
{
	nftw(dir, bench_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The value of key (in KiB) in /proc/PID/status ("RssAnon"), or -1. */
static inline long status_kib(pid_t pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	size_t kl = strlen(key);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

#endif
