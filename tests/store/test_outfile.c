/* test_outfile.c - store/outfile.c, the one way fai writes a file outside
 * the store: new and replaced regular files (atomic, modes), links (never
 * written through, except to a pipe or a device), directories, sockets and
 * devices, store directories, a sticky directory, a full disk.
 *
 * Each test works in its own temporary directory.  The sticky directory and
 * permission cases run a child as the user "nobody" and the full disk a
 * 64 KiB tmpfs: both need root, and say so when skipped. */
#include "store_fixture.h"

#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "../../store/outfile.h"

/* ------------------------------------------------------------ helpers */

/* A directory under /tmp, not $TMPDIR: the user "nobody" must reach it. */
static int tdir_setup(void **state)
{
	struct fx *f = fx_new_dir();
	rmdir(f->dir);
	snprintf(f->dir, sizeof(f->dir), "/tmp/fai-outfile-test-XXXXXX");
	if (!mkdtemp(f->dir))
		fail_msg("mkdtemp %s: %s", f->dir, strerror(errno));
	chmod(f->dir, 0755);
	snprintf(f->path, sizeof(f->path), "%s/db", f->dir);
	snprintf(f->data, sizeof(f->data), "%s/data.mdb", f->path);
	*state = f;
	return 0;
}

/* dir/name into a static buffer (one at a time). */
static const char *at(const struct fx *f, const char *name)
{
	static char p[PATH_MAX + 300];
	snprintf(p, sizeof(p), "%s/%s", f->dir, name);
	return p;
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		fail_msg("fopen %s: %s", path, strerror(errno));
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

/* The whole content of path (heap), or NULL. */
static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct buf b;
	char chunk[4096];
	size_t n;
	if (!fp)
		return NULL;
	buf_init(&b);
	buf_addc(&b, '\0');
	b.len = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_steal(&b);
}

static void assert_content(const char *path, const char *want)
{
	char *got = slurp(path);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Writes text through a new outfile and commits it. */
static int write_whole(const char *path, unsigned flags, const char *text,
		       struct fai_err *err)
{
	struct outfile *o;
	int rc = outfile_open(&o, path, flags, err);
	if (rc)
		return rc;
	fputs(text, outfile_stream(o));
	return outfile_commit(o, err);
}

/* ------------------------------------------------------------ degenerate */

static void test_empty_path_refused(void **state)
{
	struct outfile *o = (struct outfile *)1;
	struct fai_err err;
	(void)state;
	fai_err_clear(&err);
	assert_int_equal(outfile_open(&o, "", 0, &err), -FAI_EIO);
	assert_null(o);
	assert_string_equal(err.field, "file");
	assert_int_equal(outfile_open(&o, NULL, 0, NULL), -FAI_EIO);
	outfile_abort(NULL);
}

static void test_missing_directory_refused(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	int rc = outfile_open(&o, at(f, "nowhere/x.csv"), 0, &f->err);
	assert_int_equal(rc, -FAI_EIO);
	assert_string_equal(f->err.detail, strerror(ENOENT));
	assert_string_equal(f->err.value, at(f, "nowhere/x.csv"));
	assert_int_equal(entries(f->dir), 0);
}

/* ------------------------------------------------------------ regular files */

static void test_new_file_gets_umask_mode(void **state)
{
	struct fx *f = *state;
	struct stat st;
	mode_t old = umask(027);
	assert_int_equal(write_whole(at(f, "new.csv"), 0, "a,b\r\n", &f->err),
			 0);
	assert_int_equal(stat(at(f, "new.csv"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_content(at(f, "new.csv"), "a,b\r\n");
	umask(002);
	assert_int_equal(write_whole(at(f, "new2.csv"), 0, "x", &f->err), 0);
	assert_int_equal(stat(at(f, "new2.csv"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0664);
	umask(old);
	assert_int_equal(entries(f->dir), 2); /* no temporary file left */
}

static void test_private_new_file_is_0600(void **state)
{
	struct fx *f = *state;
	struct stat st;
	mode_t old = umask(0);
	assert_int_equal(
	    write_whole(at(f, "mine"), OUTFILE_PRIVATE, "x", &f->err), 0);
	umask(old);
	assert_int_equal(stat(at(f, "mine"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void test_replaced_file_keeps_its_mode(void **state)
{
	struct fx *f = *state;
	struct stat before, after;
	mode_t old = umask(077);
	put(at(f, "x.csv"), "old content\n", 0664);
	assert_int_equal(stat(at(f, "x.csv"), &before), 0);
	assert_int_equal(write_whole(at(f, "x.csv"), 0, "new\n", &f->err), 0);
	umask(old);
	assert_int_equal(stat(at(f, "x.csv"), &after), 0);
	assert_int_equal(after.st_mode & 07777, 0664);
	assert_int_equal(after.st_gid, before.st_gid);
	assert_true(after.st_ino != before.st_ino); /* renamed over */
	assert_content(at(f, "x.csv"), "new\n");
	assert_int_equal(entries(f->dir), 1);
}

static void test_replaced_file_keeps_its_group(void **state)
{
	struct fx *f = *state;
	struct stat st;
	if (geteuid() != 0)
		skip(); /* chgrp to a group of one's own is not given */
	put(at(f, "g.csv"), "old\n", 0640);
	assert_int_equal(chown(at(f, "g.csv"), (uid_t)-1, 65534), 0);
	assert_int_equal(write_whole(at(f, "g.csv"), 0, "new\n", &f->err), 0);
	assert_int_equal(stat(at(f, "g.csv"), &st), 0);
	assert_int_equal(st.st_gid, 65534);
	assert_int_equal(st.st_mode & 07777, 0640);
}

static void test_reader_never_sees_half_a_file(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	put(at(f, "x.csv"), "old\n", 0644);
	assert_int_equal(outfile_open(&o, at(f, "x.csv"), 0, &f->err), 0);
	FILE *s = outfile_stream(o);
	for (int i = 0; i < 10000; i++)
		fputs("a fairly long line of text, over and over\n", s);
	fflush(s);
	/* Written, not committed: the name still holds the old content;
	 * the new one is in a temporary file beside it. */
	assert_content(at(f, "x.csv"), "old\n");
	assert_int_equal(entries(f->dir), 2);
	DIR *d = opendir(f->dir);
	struct dirent *e;
	int tmp = 0;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, "x.csv.tmp-", 10) == 0 &&
		    strlen(e->d_name) == 10 + 12)
			tmp++;
	closedir(d);
	assert_int_equal(tmp, 1);
	assert_int_equal(outfile_commit(o, &f->err), 0);
	char *got = slurp(at(f, "x.csv"));
	assert_int_equal(strlen(got), 10000 * 42);
	free(got);
	assert_int_equal(entries(f->dir), 1);
}

static void test_abort_leaves_target_and_no_temporary(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	put(at(f, "x.csv"), "old\n", 0644);
	assert_int_equal(outfile_open(&o, at(f, "x.csv"), 0, &f->err), 0);
	fputs("half a fi", outfile_stream(o));
	outfile_abort(o);
	assert_content(at(f, "x.csv"), "old\n");
	assert_int_equal(entries(f->dir), 1);
	/* A new name: nothing at all is left. */
	assert_int_equal(outfile_open(&o, at(f, "y.csv"), 0, &f->err), 0);
	outfile_abort(o);
	assert_int_equal(entries(f->dir), 1);
}

static void test_write_through_fd(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	assert_int_equal(outfile_open(&o, at(f, "fd.bin"), 0, &f->err), 0);
	assert_int_equal(write(outfile_fd(o), "bytes", 5), 5);
	assert_int_equal(outfile_commit(o, &f->err), 0);
	assert_content(at(f, "fd.bin"), "bytes");
}

static void test_relative_path(void **state)
{
	struct fx *f = *state;
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(f->dir), 0);
	int rc = write_whole("rel.csv", 0, "r\n", &f->err);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, 0);
	assert_content(at(f, "rel.csv"), "r\n");
}

/* A link planted at the name after the open: the rename replaces the link
 * itself, the file it pointed to is untouched. */
static void test_link_planted_after_open_is_replaced_not_followed(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	struct stat st;
	char victim[PATH_MAX + 300];
	snprintf(victim, sizeof(victim), "%s", at(f, "victim"));
	put(victim, "precious\n", 0600);
	assert_int_equal(outfile_open(&o, at(f, "x.csv"), 0, &f->err), 0);
	fputs("export\n", outfile_stream(o));
	assert_int_equal(symlink(victim, at(f, "x.csv")), 0);
	assert_int_equal(outfile_commit(o, &f->err), 0);
	assert_content(victim, "precious\n");
	assert_int_equal(lstat(at(f, "x.csv"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_content(at(f, "x.csv"), "export\n");
}

/* ------------------------------------------------------------ links */

static void test_link_to_file_refused(void **state)
{
	struct fx *f = *state;
	struct outfile *o = NULL;
	char victim[PATH_MAX + 300];
	snprintf(victim, sizeof(victim), "%s", at(f, "victim"));
	put(victim, "precious\n", 0600);
	assert_int_equal(symlink(victim, at(f, "link.csv")), 0);
	int rc = outfile_open(&o, at(f, "link.csv"), 0, &f->err);
	assert_int_equal(rc, -FAI_EINVAL);
	assert_null(o);
	assert_int_equal(f->err.why, FAI_WHY_SYMLINK);
	assert_string_equal(f->err.field, "file");
	assert_string_equal(f->err.value, at(f, "link.csv"));
	assert_content(victim, "precious\n");
	struct stat st;
	assert_int_equal(lstat(at(f, "link.csv"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(entries(f->dir), 2);
}

static void test_dangling_link_refused(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	char target[PATH_MAX + 300];
	snprintf(target, sizeof(target), "%s", at(f, "would-be-created"));
	assert_int_equal(symlink(target, at(f, "dangling.csv")), 0);
	assert_int_equal(outfile_open(&o, at(f, "dangling.csv"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_SYMLINK);
	assert_int_equal(access(target, F_OK), -1);
}

static void test_link_to_dev_null_written_in_place(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	struct stat st;
	assert_int_equal(symlink("/dev/null", at(f, "null")), 0);
	assert_int_equal(outfile_open(&o, at(f, "null"), 0, &f->err), 0);
	fputs("into the void\n", outfile_stream(o));
	assert_int_equal(outfile_commit(o, &f->err), 0);
	assert_int_equal(lstat(at(f, "null"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(entries(f->dir), 1);
	/* named directly too */
	assert_int_equal(write_whole("/dev/null", 0, "x", &f->err), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	/* but not when only a regular file will do */
	assert_int_equal(
	    outfile_open(&o, "/dev/null", OUTFILE_REGULAR, &f->err),
	    -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_NOT_FILE);
	assert_int_equal(f->err.file_kind, FAI_FILE_KIND_CHAR_DEVICE);
	assert_int_equal(
	    outfile_open(&o, at(f, "null"), OUTFILE_REGULAR, &f->err),
	    -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_SYMLINK);
}

/* Reads the FIFO at path in a child; returns its pid.  The child writes
 * what it read to out. */
static pid_t fifo_reader(const char *path, const char *out)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char buf[256];
		int in = open(path, O_RDONLY);
		int to = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		ssize_t n;
		while (in >= 0 && to >= 0 &&
		       (n = read(in, buf, sizeof(buf))) > 0)
			if (write(to, buf, (size_t)n) != n)
				_exit(1);
		_exit(0);
	}
	return pid;
}

static void test_fifo_written_in_place(void **state)
{
	struct fx *f = *state;
	char fifo[PATH_MAX + 300], got[PATH_MAX + 300];
	struct stat st;
	int status;
	snprintf(fifo, sizeof(fifo), "%s", at(f, "pipe"));
	snprintf(got, sizeof(got), "%s", at(f, "got"));
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid_t pid = fifo_reader(fifo, got);
	assert_int_equal(write_whole(fifo, 0, "through the pipe\n", &f->err),
			 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_content(got, "through the pipe\n");
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	/* and through a link to it */
	assert_int_equal(symlink(fifo, at(f, "pipe-link")), 0);
	pid = fifo_reader(fifo, got);
	assert_int_equal(
	    write_whole(at(f, "pipe-link"), 0, "linked\n", &f->err), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_content(got, "linked\n");
	assert_int_equal(lstat(at(f, "pipe-link"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

static void test_fifo_refused_when_regular_only(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	assert_int_equal(mkfifo(at(f, "pipe"), 0600), 0);
	/* refused at once: no reader is waited for */
	assert_int_equal(
	    outfile_open(&o, at(f, "pipe"), OUTFILE_REGULAR, &f->err),
	    -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_NOT_FILE);
	assert_int_equal(f->err.file_kind, FAI_FILE_KIND_FIFO);
}

/* ------------------------------------------------------------ not files */

static void test_directory_refused(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	assert_int_equal(mkdir(at(f, "sub"), 0755), 0);
	assert_int_equal(outfile_open(&o, at(f, "sub"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_NOT_FILE);
	assert_int_equal(f->err.file_kind, FAI_FILE_KIND_DIRECTORY);
	assert_int_equal(outfile_open(&o, at(f, "sub/"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_NOT_FILE);
	assert_int_equal(outfile_open(&o, f->dir, 0, &f->err), -FAI_EINVAL);
	assert_int_equal(outfile_open(&o, "/", 0, &f->err), -FAI_EINVAL);
	assert_int_equal(outfile_open(&o, ".", 0, &f->err), -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_NOT_FILE);
	/* a link to a directory is a link */
	char sub[PATH_MAX + 300];
	snprintf(sub, sizeof(sub), "%s", at(f, "sub"));
	assert_int_equal(symlink(sub, at(f, "sublink")), 0);
	assert_int_equal(outfile_open(&o, at(f, "sublink"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_SYMLINK);
	assert_int_equal(entries(at(f, "sub")), 0);
}

static void test_socket_refused(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	struct sockaddr_un sa;
	int sk = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(sk >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(at(f, "sock")) >= sizeof(sa.sun_path)) {
		close(sk);
		skip(); /* TMPDIR too deep for a socket's name */
	}
	strcpy(sa.sun_path, at(f, "sock"));
	assert_int_equal(bind(sk, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(outfile_open(&o, at(f, "sock"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_NOT_FILE);
	assert_int_equal(f->err.file_kind, FAI_FILE_KIND_SOCKET);
	close(sk);
}

static void test_block_device_refused(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	struct stat st;
	if (mknod(at(f, "blk"), S_IFBLK | 0600, makedev(7, 200)) != 0)
		skip(); /* not root */
	assert_int_equal(outfile_open(&o, at(f, "blk"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_NOT_FILE);
	assert_int_equal(f->err.file_kind, FAI_FILE_KIND_BLOCK_DEVICE);
	assert_int_equal(lstat(at(f, "blk"), &st), 0);
	assert_true(S_ISBLK(st.st_mode));
}

/* ------------------------------------------------------------ stores */

static void test_store_directory_refused(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	char real[PATH_MAX];
	assert_int_equal(mkdir(at(f, "store"), 0755), 0);
	put(at(f, "store/data.mdb"), "the store\n", 0600);
	assert_non_null(realpath(at(f, "store"), real));
	/* the store's own file */
	assert_int_equal(outfile_open(&o, at(f, "store/data.mdb"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_IN_STORE);
	assert_string_equal(f->err.path, real);
	/* a new file beside it */
	assert_int_equal(outfile_open(&o, at(f, "store/new.csv"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_IN_STORE);
	/* lock.mdb alone marks a store too */
	assert_int_equal(mkdir(at(f, "store2"), 0755), 0);
	put(at(f, "store2/lock.mdb"), "", 0600);
	assert_int_equal(outfile_open(&o, at(f, "store2/lock.mdb"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_IN_STORE);
	/* through a link to the directory, or a path with .. in it */
	assert_int_equal(symlink(real, at(f, "alias")), 0);
	assert_int_equal(outfile_open(&o, at(f, "alias/x.csv"), 0, &f->err),
			 -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_IN_STORE);
	assert_string_equal(f->err.path, real);
	assert_int_equal(
	    outfile_open(&o, at(f, "store2/../store/x.csv"), 0, &f->err),
	    -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_IN_STORE);
	assert_content(at(f, "store/data.mdb"), "the store\n");
	assert_int_equal(entries(at(f, "store")), 1);
	assert_int_equal(entries(at(f, "store2")), 1);
}

/* A real store, opened: an export into it is refused and it still opens. */
static void test_live_store_refused(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	assert_int_equal(
	    store_open(&f->s, f->path, STORE_CREATE, "84", 0, &f->err), 0);
	assert_int_equal(outfile_open(&o, f->data, 0, &f->err), -FAI_EINVAL);
	assert_int_equal(f->err.why, FAI_WHY_IN_STORE);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(&f->s, f->path, 0, NULL, 0, &f->err), 0);
}

/* ------------------------------------------------------------ other users */

/* Runs fn(f) in a child as nobody; returns its exit status. */
static int as_nobody(struct fx *f, int (*fn)(struct fx *))
{
	int status;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(99);
		_exit(fn(f));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* 0 when nobody is refused with EPERM/NOT_OWNER and nothing is left. */
static int replace_roots_file(struct fx *f)
{
	struct outfile *o;
	struct fai_err err;
	int rc = outfile_open(&o, at(f, "sticky/root.csv"), 0, &err);
	if (rc == 0) {
		outfile_abort(o);
		return 1;
	}
	if (rc != -FAI_EPERM || err.why != FAI_WHY_NOT_OWNER)
		return 2;
	/* a new name of one's own is fine */
	if (write_whole(at(f, "sticky/mine.csv"), 0, "mine\n", &err) != 0)
		return 3;
	return 0;
}

static void test_sticky_directory_other_owner_refused(void **state)
{
	struct fx *f = *state;
	if (geteuid() != 0)
		skip(); /* needs a second user */
	assert_int_equal(mkdir(at(f, "sticky"), 0755), 0);
	assert_int_equal(chmod(at(f, "sticky"), 01777), 0);
	put(at(f, "sticky/root.csv"), "root's\n", 0666);
	assert_int_equal(as_nobody(f, replace_roots_file), 0);
	assert_content(at(f, "sticky/root.csv"), "root's\n");
	assert_content(at(f, "sticky/mine.csv"), "mine\n");
	assert_int_equal(entries(at(f, "sticky")), 2);
}

static int write_in_roots_dir(struct fx *f)
{
	struct outfile *o;
	struct fai_err err;
	int rc = outfile_open(&o, at(f, "closed/x.csv"), 0, &err);
	if (rc == 0) {
		outfile_abort(o);
		return 1;
	}
	return rc == -FAI_EPERM && strcmp(err.detail, strerror(EACCES)) == 0
		   ? 0
		   : 2;
}

static void test_unwritable_directory_is_eperm(void **state)
{
	struct fx *f = *state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(at(f, "closed"), 0755), 0);
	assert_int_equal(as_nobody(f, write_in_roots_dir), 0);
	assert_int_equal(entries(at(f, "closed")), 0);
}

/* ------------------------------------------------------------ full disk */

static void test_full_disk_is_enospace(void **state)
{
	struct fx *f = *state;
	struct outfile *o;
	char mnt[PATH_MAX + 300], target[PATH_MAX + 320];
	static char big[256 * 1024];
	snprintf(mnt, sizeof(mnt), "%s", at(f, "tiny"));
	assert_int_equal(mkdir(mnt, 0755), 0);
	if (geteuid() != 0 || mount("none", mnt, "tmpfs", 0, "size=64k") != 0)
		skip(); /* needs root (mount -t tmpfs -o size=64k) */
	snprintf(target, sizeof(target), "%s/x.csv", mnt);
	put(target, "old export\n", 0644);
	memset(big, 'x', sizeof(big));

	/* through the stream */
	int rc = outfile_open(&o, target, 0, &f->err);
	if (rc == 0) {
		fwrite(big, 1, sizeof(big), outfile_stream(o));
		rc = outfile_commit(o, &f->err);
	}
	int entries_after = entries(mnt);
	char *after = slurp(target);
	/* through the descriptor: the write fails, the caller aborts */
	int rc2 = outfile_open(&o, target, 0, &f->err);
	ssize_t w = 0;
	int e = 0;
	if (rc2 == 0) {
		for (size_t done = 0; done < sizeof(big) && w >= 0;
		     done += (size_t)w)
			w = write(outfile_fd(o), big, sizeof(big) - done);
		e = errno;
		outfile_abort(o);
	}
	int entries_after2 = entries(mnt);
	umount(mnt);

	assert_int_equal(rc, -FAI_ENOSPACE);
	assert_string_equal(f->err.field, "file");
	assert_string_equal(f->err.value, target);
	assert_string_equal(f->err.detail, strerror(ENOSPC));
	assert_int_equal(entries_after, 1); /* the temporary file is gone */
	assert_non_null(after);
	assert_string_equal(after, "old export\n");
	free(after);
	assert_int_equal(rc2, 0);
	assert_int_equal(w, -1);
	assert_int_equal(e, ENOSPC);
	assert_int_equal(entries_after2, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_path_refused),
#define T(name) cmocka_unit_test_setup_teardown(name, tdir_setup, fx_teardown)
	    T(test_missing_directory_refused),
	    T(test_new_file_gets_umask_mode),
	    T(test_private_new_file_is_0600),
	    T(test_replaced_file_keeps_its_mode),
	    T(test_replaced_file_keeps_its_group),
	    T(test_reader_never_sees_half_a_file),
	    T(test_abort_leaves_target_and_no_temporary),
	    T(test_write_through_fd),
	    T(test_relative_path),
	    T(test_link_planted_after_open_is_replaced_not_followed),
	    T(test_link_to_file_refused),
	    T(test_dangling_link_refused),
	    T(test_link_to_dev_null_written_in_place),
	    T(test_fifo_written_in_place),
	    T(test_fifo_refused_when_regular_only),
	    T(test_directory_refused),
	    T(test_socket_refused),
	    T(test_block_device_refused),
	    T(test_store_directory_refused),
	    T(test_live_store_refused),
	    T(test_sticky_directory_other_owner_refused),
	    T(test_unwritable_directory_is_eperm),
	    T(test_full_disk_is_enospace),
#undef T
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
