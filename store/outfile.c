/* outfile.c - writing a whole file outside the store, safely.
 *
 * Everything is done relative to the target's directory, opened once
 * (dfd): what is checked (no data.mdb or lock.mdb in it, what the name is)
 * is where the file is written, whatever happens to the path's other
 * components meanwhile.  A regular file, existing or not, is written to a
 * temporary file in that directory ("NAME.tmp-XXXXXXXXXXXX", created
 * O_EXCL|O_NOFOLLOW with an unpredictable name) and renamed over the name
 * at commit: rename replaces a directory entry and never follows a link
 * planted there meanwhile.  A pipe or a character device (named directly,
 * or at the end of a link) is written in place: renaming over it would
 * replace it with a plain file.  Any other link is refused, whoever made
 * it: fai never writes through a link it did not make.
 *
 * The stream handed out writes through a cookie, so the first errno of a
 * failed write (ENOSPC above all) is kept for commit to report. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/xmalloc.h"

#define OUTFILE_BUFSIZE (64 * 1024)

struct outfile {
	char *path;   /* as given, for messages */
	int dfd;      /* the target's directory; -1 when written in place */
	char *base;   /* the target's name in dfd */
	char *tmp;    /* the temporary file's name in dfd, NULL when none */
	int fd;	      /* what is written to */
	int regular;  /* a regular file: fsync before the rename */
	FILE *f;      /* the stream, once asked for */
	int werr;     /* first errno of a write through the stream */
	int dropping; /* aborting: the stream's buffer is dropped */
};

/* Fills err for a system error e on path; returns the negative code. */
static int outfile_fail(struct fai_err *err, int e, const char *path)
{
	int code;
	if (e == ENOSPC || e == EDQUOT)
		code = FAI_ENOSPACE;
	else if (e == EACCES || e == EPERM || e == EROFS)
		code = FAI_EPERM;
	else
		code = FAI_EIO;
	fai_err_set_about(err, code, FAI_WHY_NONE, FAI_ABOUT_FILE, "file",
			  path);
	fai_err_detail(err, "%s", strerror(e));
	if (err)
		err->sys_errno = e;
	return -code;
}

/* Fills err for a refusal: kind is what the path is (enum
 * fai_file_kind), store the store directory it is in (NULL for none). */
static int outfile_refuse(struct fai_err *err, int code, int why,
			  const char *path, int kind, const char *store)
{
	fai_err_set_about(err, code, why, FAI_ABOUT_FILE, "file", path);
	if (err)
		err->file_kind = kind;
	fai_err_path(err, store);
	return -code;
}

/* What a path that is no file is. */
static int outfile_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return FAI_FILE_KIND_DIRECTORY;
	if (S_ISSOCK(mode))
		return FAI_FILE_KIND_SOCKET;
	if (S_ISBLK(mode))
		return FAI_FILE_KIND_BLOCK_DEVICE;
	if (S_ISFIFO(mode))
		return FAI_FILE_KIND_FIFO;
	if (S_ISCHR(mode))
		return FAI_FILE_KIND_CHAR_DEVICE;
	return FAI_FILE_KIND_OTHER;
}

/* Fills name with n characters nobody can guess. */
static void outfile_random(char *name, size_t n)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long counter;
	unsigned char r[32];
	if (n > sizeof(r))
		n = sizeof(r);
	if (getrandom(r, n, GRND_NONBLOCK) != (ssize_t)n) {
		/* No entropy yet (early boot): the clock, the pid and a
		 * counter, which O_EXCL makes safe if not secret. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t x = (uint64_t)ts.tv_nsec ^
			     ((uint64_t)ts.tv_sec << 20) ^
			     ((uint64_t)getpid() << 40) ^ ++counter;
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			r[i] = (unsigned char)x;
		}
	}
	for (size_t i = 0; i < n; i++)
		name[i] = set[r[i] % (sizeof(set) - 1)];
	name[n] = '\0';
}

/* The stream's writes: every byte, or the first error kept. */
static ssize_t outfile_cookie_write(void *cookie, const char *buf, size_t n)
{
	struct outfile *o = cookie;
	size_t done = 0;
	if (o->dropping)
		return (ssize_t)n;
	while (done < n) {
		ssize_t w = write(o->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!o->werr)
				o->werr = w < 0 ? errno : EIO;
			return (ssize_t)done; /* short: the stream's error */
		}
		done += (size_t)w;
	}
	return (ssize_t)n;
}

static void outfile_free(struct outfile *o)
{
	if (o->f) {
		o->dropping = 1;
		fclose(o->f);
	}
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp)
		unlinkat(o->dfd, o->tmp, 0);
	if (o->dfd >= 0)
		close(o->dfd);
	free(o->tmp);
	free(o->base);
	free(o->path);
	free(o);
}

/* Opens a pipe or a character device in place.  link: the name is a
 * symbolic link (already seen to end at one of them). */
static int outfile_open_direct(struct outfile *o, int link, struct fai_err *err)
{
	struct stat st;
	int fl = O_WRONLY | O_NOCTTY | O_CLOEXEC | (link ? 0 : O_NOFOLLOW);
	int fd;
	do
		fd = openat(o->dfd, o->base, fl);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		if (errno == ELOOP) /* became a link meanwhile */
			return outfile_refuse(err, FAI_EINVAL, FAI_WHY_SYMLINK,
					      o->path, 0, NULL);
		return outfile_fail(err, errno, o->path);
	}
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return outfile_fail(err, e, o->path);
	}
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
		/* Replaced between the look and the open: nothing written
		 * (no O_TRUNC), refuse rather than guess. */
		close(fd);
		if (link)
			return outfile_refuse(err, FAI_EINVAL, FAI_WHY_SYMLINK,
					      o->path, 0, NULL);
		return outfile_fail(err, EBUSY, o->path);
	}
	o->fd = fd;
	close(o->dfd);
	o->dfd = -1;
	return 0;
}

/* Creates the temporary file beside the target; existing: the target's
 * stat, whose mode (and group, when allowed) the new content keeps. */
static int outfile_open_temp(struct outfile *o, unsigned flags,
			     const struct stat *existing, struct fai_err *err)
{
	char rnd[13];
	mode_t mode = (flags & OUTFILE_PRIVATE) ? 0600 : 0666;
	int fd = -1;
	for (int tries = 0; tries < 100 && fd < 0; tries++) {
		outfile_random(rnd, 12);
		free(o->tmp);
		/* Beside it, and short enough whatever the name's length. */
		o->tmp = xasprintf("%.200s.tmp-%s", o->base, rnd);
		fd = openat(
		    o->dfd, o->tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST && errno != EINTR)
			break;
	}
	if (fd < 0) {
		int e = errno;
		free(o->tmp);
		o->tmp = NULL;
		return outfile_fail(err, e, o->path);
	}
	o->fd = fd;
	o->regular = 1;
	if (existing) {
		/* The group first: a chown may clear mode bits. */
		if (fchown(fd, (uid_t)-1, existing->st_gid) != 0) {
			/* not a member of that group: ours it is */
		}
		if (fchmod(fd, existing->st_mode & 0777) != 0) {
			int e = errno;
			return outfile_fail(err, e, o->path);
		}
	}
	return 0;
}

int outfile_open(struct outfile **out, const char *path, unsigned flags,
		 struct fai_err *err)
{
	struct outfile *o;
	struct stat st, dst;
	char *dir, *rdir = NULL;
	const char *slash, *base;
	int rc = 0;

	*out = NULL;
	if (!path || !*path)
		return outfile_fail(err, ENOENT, path ? path : "");
	o = xcalloc(1, sizeof(*o));
	o->fd = -1;
	o->dfd = -1;
	o->path = xstrdup(path);
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		/* "dir/", ".": names a directory */
		rc = outfile_refuse(err, FAI_EINVAL, FAI_WHY_NOT_FILE, path,
				    FAI_FILE_KIND_DIRECTORY, NULL);
		goto fail;
	}
	o->base = xstrdup(base);
	dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
		    : xstrdup(".");
	rdir = realpath(dir, NULL);
	free(dir);
	if (!rdir) {
		rc = outfile_fail(err, errno, path);
		goto fail;
	}
	o->dfd = open(rdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->dfd < 0) {
		rc = outfile_fail(err, errno, path);
		goto fail;
	}
	/* Never inside a store: not data.mdb, not lock.mdb, not beside
	 * them (a backup, an export there would be taken for the store's
	 * own files, or replace them). */
	if (fstatat(o->dfd, "data.mdb", &dst, AT_SYMLINK_NOFOLLOW) == 0 ||
	    fstatat(o->dfd, "lock.mdb", &dst, AT_SYMLINK_NOFOLLOW) == 0) {
		rc = outfile_refuse(err, FAI_EINVAL, FAI_WHY_IN_STORE, path, 0,
				    rdir);
		goto fail;
	}
	if (fstatat(o->dfd, o->base, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno != ENOENT) {
			rc = outfile_fail(err, errno, path);
			goto fail;
		}
		rc = outfile_open_temp(o, flags, NULL, err);
	} else if (S_ISLNK(st.st_mode)) {
		struct stat tst;
		/* Only a link to a pipe or a terminal (/dev/stdout) is
		 * followed: writing there replaces nothing. */
		if (!(flags & OUTFILE_REGULAR) &&
		    fstatat(o->dfd, o->base, &tst, 0) == 0 &&
		    (S_ISFIFO(tst.st_mode) || S_ISCHR(tst.st_mode)))
			rc = outfile_open_direct(o, 1, err);
		else
			rc = outfile_refuse(err, FAI_EINVAL, FAI_WHY_SYMLINK,
					    path, 0, NULL);
	} else if (S_ISREG(st.st_mode)) {
		uid_t me = geteuid();
		if (st.st_uid != me && me != 0 && fstat(o->dfd, &dst) == 0 &&
		    (dst.st_mode & S_ISVTX) && dst.st_uid != me) {
			/* rename would fail at the end, after all the work */
			rc = outfile_refuse(err, FAI_EPERM, FAI_WHY_NOT_OWNER,
					    path, 0, NULL);
			goto fail;
		}
		rc = outfile_open_temp(o, flags, &st, err);
	} else if ((S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) &&
		   !(flags & OUTFILE_REGULAR)) {
		rc = outfile_open_direct(o, 0, err);
	} else {
		rc = outfile_refuse(err, FAI_EINVAL, FAI_WHY_NOT_FILE, path,
				    outfile_kind(st.st_mode), NULL);
	}
	if (rc)
		goto fail;
	free(rdir);
	*out = o;
	return 0;
fail:
	free(rdir);
	outfile_free(o);
	return rc;
}

FILE *outfile_stream(struct outfile *o)
{
	static const cookie_io_functions_t io = {
	    NULL,
	    outfile_cookie_write,
	    NULL,
	    NULL,
	};
	if (!o->f) {
		o->f = fopencookie(o, "w", io);
		if (!o->f) {
			fputs("fai: out of memory\n", stderr);
			abort();
		}
		setvbuf(o->f, NULL, _IOFBF, OUTFILE_BUFSIZE);
	}
	return o->f;
}

int outfile_fd(struct outfile *o)
{
	return o->fd;
}

int outfile_commit(struct outfile *o, struct fai_err *err)
{
	int e = 0, rc = 0, renaming = 0;

	if (o->f) {
		if (fflush(o->f) != 0 || ferror(o->f))
			e = o->werr ? o->werr : EIO;
		o->dropping = 1; /* nothing is left to write */
		fclose(o->f);
		o->f = NULL;
	}
	if (!e && o->werr)
		e = o->werr;
	if (!e && o->regular && fsync(o->fd) != 0)
		e = errno;
	if (close(o->fd) != 0 && !e && errno != EINTR)
		e = errno;
	o->fd = -1;
	if (!e && o->tmp) {
		if (renameat(o->dfd, o->tmp, o->dfd, o->base) != 0) {
			e = errno;
			renaming = 1;
		} else {
			free(o->tmp);
			o->tmp = NULL;
			/* The new name on disk too; the content is there
			 * already, so a failure here changes nothing. */
			fsync(o->dfd);
		}
	}
	if (e) {
		rc = outfile_fail(err, e, o->path);
		if (renaming && e == EPERM && err)
			err->why = FAI_WHY_NOT_OWNER; /* sticky directory */
	}
	outfile_free(o);
	return rc;
}

void outfile_abort(struct outfile *o)
{
	if (o)
		outfile_free(o);
}
