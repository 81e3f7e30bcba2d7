/* faultshim.c - an LD_PRELOAD library that makes the Nth write-side call
 * of a process fail, for the fault campaign (tests/torture/fault).
 *
 * The calls it counts are in one table (calls[] below): write, pwrite,
 * writev, pwritev, fsync, fdatasync, msync, ftruncate, rename, renameat,
 * fallocate (posix_fallocate too) and close.  Each interposed function
 * counts one call of its table entry when that entry is selected, and the
 * Nth selected call fails with the chosen errno instead of doing its work
 * (close still closes, as Linux does).  Calls made by LMDB reach the shim
 * (liblmdb calls libc through the PLT); so do fai's own.  Writes through
 * stdio do not (glibc calls its internal write): every stream opened for
 * writing with fopen or fdopen is therefore rebuilt with fopencookie over
 * the same descriptor, with the buffer size glibc would give it, so that
 * its flushes are write() calls the shim counts; fileno() of such a stream
 * still answers its descriptor.
 *
 * Environment:
 *   FAI_FAULT_N       the call to fail, from 1; 0 or unset: only count
 *   FAI_FAULT_ERRNO   EIO (default) or ENOSPC
 *   FAI_FAULT_MODE    once (default: later calls succeed) or stay (every
 *                     selected call from the Nth on fails: the disk stays
 *                     full)
 *   FAI_FAULT_CALLS   the entries to count, comma-separated (default:
 *                     every entry but close; "all": every entry)
 *   FAI_FAULT_REPORT  a file the shim appends to: "fired CALL N TARGET"
 *                     when it fails a call (written at once), "calls N"
 *                     (selected calls made) when the process exits
 *   FAI_FAULT_TRACE   a file that gets one line per selected call:
 *                     "N CALL TARGET" (TARGET: the file's path or "-")
 * The shim's own files are written with raw system calls, never counted. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

enum call {
	C_WRITE,
	C_PWRITE,
	C_WRITEV,
	C_PWRITEV,
	C_FSYNC,
	C_FDATASYNC,
	C_MSYNC,
	C_FTRUNCATE,
	C_RENAME,
	C_RENAMEAT,
	C_FALLOCATE,
	C_CLOSE,
	C_COUNT
};

static const struct {
	const char *name;
	int dflt; /* counted unless FAI_FAULT_CALLS says otherwise */
} calls[C_COUNT] = {
    {"write", 1},  {"pwrite", 1},    {"writev", 1},    {"pwritev", 1},
    {"fsync", 1},  {"fdatasync", 1}, {"msync", 1},     {"ftruncate", 1},
    {"rename", 1}, {"renameat", 1},  {"fallocate", 1}, {"close", 0},
};

static int selected[C_COUNT];
static unsigned long fault_n;
static int fault_errno = EIO, fault_stay, ready;
static unsigned long counter;
static char report_path[1024], trace_path[1024];

/* ------------------------------------------------------------ set-up */

static void raw_append(const char *path, const char *text)
{
	if (!path[0])
		return;
	long fd = syscall(SYS_openat, AT_FDCWD, path,
			  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	syscall(SYS_write, (int)fd, text, strlen(text));
	syscall(SYS_close, (int)fd);
}

__attribute__((constructor)) static void shim_init(void)
{
	const char *n = getenv("FAI_FAULT_N"), *e = getenv("FAI_FAULT_ERRNO"),
		   *m = getenv("FAI_FAULT_MODE"),
		   *c = getenv("FAI_FAULT_CALLS"),
		   *r = getenv("FAI_FAULT_REPORT"),
		   *t = getenv("FAI_FAULT_TRACE");
	fault_n = n ? strtoul(n, NULL, 10) : 0;
	if (e && strcmp(e, "ENOSPC") == 0)
		fault_errno = ENOSPC;
	fault_stay = m && strcmp(m, "stay") == 0;
	for (int i = 0; i < C_COUNT; i++)
		selected[i] = c && *c ? strcmp(c, "all") == 0 : calls[i].dflt;
	if (c && *c && strcmp(c, "all") != 0) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s", c);
		char *save = NULL;
		for (char *w = strtok_r(buf, ",", &save); w;
		     w = strtok_r(NULL, ",", &save))
			for (int i = 0; i < C_COUNT; i++)
				if (strcmp(w, calls[i].name) == 0)
					selected[i] = 1;
	}
	snprintf(report_path, sizeof(report_path), "%s", r ? r : "");
	snprintf(trace_path, sizeof(trace_path), "%s", t ? t : "");
	ready = 1;
}

__attribute__((destructor)) static void shim_fini(void)
{
	char line[64];
	snprintf(line, sizeof(line), "calls %lu\n",
		 __atomic_load_n(&counter, __ATOMIC_SEQ_CST));
	raw_append(report_path, line);
}

/* The real function behind name. */
static void *real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);
	if (!f) {
		static const char msg[] = "faultshim: a libc function is "
					  "missing\n";
		syscall(SYS_write, 2, msg, sizeof(msg) - 1);
		abort();
	}
	return f;
}

#define REAL(name)                                                             \
	static __typeof__(&name) real_##name;                                  \
	if (!real_##name)                                                      \
	real_##name = (__typeof__(&name))real(#name)

static void target_of(int fd, const char *path, char *out, size_t n)
{
	if (path) {
		snprintf(out, n, "%s", path);
		return;
	}
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	long len = syscall(SYS_readlinkat, AT_FDCWD, link, out, n - 1);
	if (len < 0)
		len = 0;
	out[len] = '\0';
	if (!len)
		snprintf(out, n, "-");
}

/* Counts one call of c on fd (or path); returns 1 when it must fail. */
static int shim_fail(enum call c, int fd, const char *path)
{
	if (!ready || !selected[c])
		return 0;
	unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
	int fire = fault_n && (n == fault_n || (fault_stay && n > fault_n));
	if (trace_path[0] || (fire && report_path[0])) {
		char target[512], line[700];
		target_of(fd, path, target, sizeof(target));
		for (char *p = target; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		if (trace_path[0]) {
			snprintf(line, sizeof(line), "%lu %s %s\n", n,
				 calls[c].name, target);
			raw_append(trace_path, line);
		}
		if (fire && (n == fault_n || !fault_stay)) {
			snprintf(line, sizeof(line), "fired %s %lu %s\n",
				 calls[c].name, n, target);
			raw_append(report_path, line);
		}
	}
	if (fire)
		errno = fault_errno;
	return fire;
}

/* ------------------------------------------------------------ the calls */

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (shim_fail(C_WRITE, fd, NULL))
		return -1;
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	if (shim_fail(C_PWRITE, fd, NULL))
		return -1;
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64);
	if (shim_fail(C_PWRITE, fd, NULL))
		return -1;
	return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	REAL(writev);
	if (shim_fail(C_WRITEV, fd, NULL))
		return -1;
	return real_writev(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	REAL(pwritev);
	if (shim_fail(C_PWRITEV, fd, NULL))
		return -1;
	return real_pwritev(fd, iov, cnt, off);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off64_t off)
{
	REAL(pwritev64);
	if (shim_fail(C_PWRITEV, fd, NULL))
		return -1;
	return real_pwritev64(fd, iov, cnt, off);
}

ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
	REAL(pwritev2);
	if (shim_fail(C_PWRITEV, fd, NULL))
		return -1;
	return real_pwritev2(fd, iov, cnt, off, flags);
}

int fsync(int fd)
{
	REAL(fsync);
	if (shim_fail(C_FSYNC, fd, NULL))
		return -1;
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	REAL(fdatasync);
	if (shim_fail(C_FDATASYNC, fd, NULL))
		return -1;
	return real_fdatasync(fd);
}

int msync(void *addr, size_t len, int flags)
{
	REAL(msync);
	if (shim_fail(C_MSYNC, -1, "(map)"))
		return -1;
	return real_msync(addr, len, flags);
}

int ftruncate(int fd, off_t len)
{
	REAL(ftruncate);
	if (shim_fail(C_FTRUNCATE, fd, NULL))
		return -1;
	return real_ftruncate(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
	REAL(ftruncate64);
	if (shim_fail(C_FTRUNCATE, fd, NULL))
		return -1;
	return real_ftruncate64(fd, len);
}

int rename(const char *from, const char *to)
{
	REAL(rename);
	if (shim_fail(C_RENAME, -1, to))
		return -1;
	return real_rename(from, to);
}

int renameat(int dfrom, const char *from, int dto, const char *to)
{
	REAL(renameat);
	if (shim_fail(C_RENAMEAT, -1, to))
		return -1;
	return real_renameat(dfrom, from, dto, to);
}

int renameat2(int dfrom, const char *from, int dto, const char *to,
	      unsigned flags)
{
	REAL(renameat2);
	if (shim_fail(C_RENAMEAT, -1, to))
		return -1;
	return real_renameat2(dfrom, from, dto, to, flags);
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
	REAL(fallocate);
	if (shim_fail(C_FALLOCATE, fd, NULL))
		return -1;
	return real_fallocate(fd, mode, off, len);
}

int fallocate64(int fd, int mode, off64_t off, off64_t len)
{
	REAL(fallocate64);
	if (shim_fail(C_FALLOCATE, fd, NULL))
		return -1;
	return real_fallocate64(fd, mode, off, len);
}

/* posix_fallocate returns the error instead of setting errno. */
int posix_fallocate(int fd, off_t off, off_t len)
{
	REAL(posix_fallocate);
	if (shim_fail(C_FALLOCATE, fd, NULL))
		return fault_errno;
	return real_posix_fallocate(fd, off, len);
}

int posix_fallocate64(int fd, off64_t off, off64_t len)
{
	REAL(posix_fallocate64);
	if (shim_fail(C_FALLOCATE, fd, NULL))
		return fault_errno;
	return real_posix_fallocate64(fd, off, len);
}

int close(int fd)
{
	REAL(close);
	int fail = shim_fail(C_CLOSE, fd, NULL);
	int rc = real_close(fd);
	if (fail) {
		errno = fault_errno;
		return -1;
	}
	return rc;
}

/* ------------------------------------------------------------ stdio */

/* Streams rebuilt over a descriptor, for fileno(). */
#define MAX_STREAMS 256
static struct {
	FILE *f;
	int fd;
} streams[MAX_STREAMS];
static pthread_mutex_t streams_lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t ck_read(void *c, char *buf, size_t n)
{
	return read((int)(intptr_t)c, buf, n);
}

/* As glibc writes a regular file's buffer: until all is written or a
 * write fails.  A cookie's write returns 0 on error, never -1 (glibc
 * would take -1 for a huge count). */
static ssize_t ck_write(void *c, const char *buf, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = write((int)(intptr_t)c, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static int ck_seek(void *c, off64_t *pos, int whence)
{
	off_t r = lseek((int)(intptr_t)c, (off_t)*pos, whence);
	if (r < 0)
		return -1;
	*pos = r;
	return 0;
}

static int ck_close(void *c)
{
	int fd = (int)(intptr_t)c;
	pthread_mutex_lock(&streams_lock);
	for (int i = 0; i < MAX_STREAMS; i++)
		if (streams[i].f && streams[i].fd == fd)
			streams[i].f = NULL;
	pthread_mutex_unlock(&streams_lock);
	return close(fd);
}

static int writes(const char *mode)
{
	return strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+');
}

/* Rebuilds the stream over fd (opened with mode) so that its writes are
 * write() calls; returns NULL (and closes nothing) when it cannot. */
static FILE *rebuild(int fd, const char *mode)
{
	cookie_io_functions_t io = {ck_read, ck_write, ck_seek, ck_close};
	char m[16];
	size_t k = 0;
	for (const char *p = mode; *p && k < sizeof(m) - 1; p++)
		if (*p != 'x' && *p != 'e' && *p != 'm')
			m[k++] = *p; /* what fopencookie understands */
	m[k] = '\0';
	FILE *f = fopencookie((void *)(intptr_t)fd, m, io);
	if (!f)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_blksize > 0 && !isatty(fd))
		setvbuf(f, NULL, _IOFBF, (size_t)st.st_blksize);
	if (strchr(mode, 'a'))
		lseek(fd, 0, SEEK_END);
	pthread_mutex_lock(&streams_lock);
	for (int i = 0; i < MAX_STREAMS; i++)
		if (!streams[i].f) {
			streams[i].f = f;
			streams[i].fd = fd;
			break;
		}
	pthread_mutex_unlock(&streams_lock);
	return f;
}

FILE *fdopen(int fd, const char *mode)
{
	REAL(fdopen);
	if (!ready || !writes(mode))
		return real_fdopen(fd, mode);
	FILE *f = rebuild(fd, mode);
	return f ? f : real_fdopen(fd, mode);
}

static FILE *open_stream(FILE *(*opener)(const char *, const char *),
			 const char *path, const char *mode)
{
	if (!ready || !writes(mode))
		return opener(path, mode);
	FILE *g = opener(path, mode);
	if (!g)
		return NULL;
	/* Keep what fopen did (create, truncate, O_APPEND), own the fd. */
	int fd = dup(fileno(g));
	if (fd < 0)
		return g;
	FILE *f = rebuild(fd, mode);
	if (!f) {
		REAL(close);
		real_close(fd);
		return g;
	}
	REAL(fclose);
	real_fclose(g); /* nothing written yet: no write() to count */
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	REAL(fopen);
	return open_stream(real_fopen, path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	REAL(fopen64);
	return open_stream(real_fopen64, path, mode);
}

int fileno(FILE *f)
{
	REAL(fileno);
	pthread_mutex_lock(&streams_lock);
	for (int i = 0; i < MAX_STREAMS; i++)
		if (streams[i].f == f) {
			int fd = streams[i].fd;
			pthread_mutex_unlock(&streams_lock);
			return fd;
		}
	pthread_mutex_unlock(&streams_lock);
	return real_fileno(f);
}

int fileno_unlocked(FILE *f)
{
	return fileno(f);
}
