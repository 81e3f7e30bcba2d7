/* env.c - the store's environment: finding, creating and opening it, the
 * locks that let many processes share it safely, its schema and the
 * upgrade of older ones, transactions, backups and restores.
 *
 * A store is a directory holding LMDB's data.mdb and lock.mdb.  LMDB keeps
 * its reader table and writer mutex in lock.mdb, so every process must use
 * the same lock.mdb as long as any of them has data.mdb open: a lock file
 * deleted or replaced under running processes lets two writers commit at
 * once.  fai therefore keeps its own descriptor on data.mdb (the guard) and
 * two open-file-description locks on it:
 *   byte 0  held shared by every fai process using the store, for as long
 *           as it is open; held exclusive by a restore;
 *   byte 1  held exclusive while a process closes and reopens its
 *           environment (st_reopen), shared while a process opening the
 *           store looks whether others use it.
 * Whoever holds byte 0 has its environment open, so it holds LMDB's lock
 * on byte 0 of lock.mdb: a process that finds byte 0 of data.mdb held but
 * no lock on the lock.mdb at the path refuses to open (LOCK_FOREIGN).  A
 * process already running notices a deleted or replaced lock.mdb or
 * data.mdb (their device and inode changed) before every commit, and
 * refuses to commit (LOCK_CHANGED).
 *
 * A store's files are created 0666 less the umask, never writable by
 * others; in a shared store (a setgid directory, see store_share) 0660
 * whatever the person's umask.  Only STORE_CREATE makes a store; an empty
 * or short data.mdb is refused, never re-created.  A backup is a compacted
 * copy of data.mdb in one file; store_open opens such a file read-only. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/isotime.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "internal.h"

#define GUARD_USER 0 /* byte 0 of data.mdb: using the store */
#define GUARD_OPEN 1 /* byte 1: reopening (exclusive), probing (shared) */

/* A data.mdb shorter than LMDB's two meta pages is no store. */
#define STORE_MIN_FILE 8192

/* ------------------------------------------------------------ errors */

static int sys_fail(int e, struct fai_err *err, const char *path)
{
	int code = e == EACCES || e == EPERM	? FAI_EPERM
		   : e == ENOSPC || e == EDQUOT ? FAI_ENOSPACE
						: FAI_EIO;
	fai_err_set_about(err, code, FAI_WHY_NONE, FAI_ABOUT_FILE, "file",
			  path);
	fai_err_detail(err, "%s", strerror(e));
	if (err)
		err->sys_errno = e;
	return -code;
}

static int env_fail(int rc, struct fai_err *err, const char *path)
{
	if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH ||
	    rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ||
	    rc == MDB_INCOMPATIBLE) {
		fai_err_set_about(err, FAI_ESTORE, FAI_WHY_DAMAGED,
				  FAI_ABOUT_FILE, "file", path);
		fai_err_detail(err, "%s", mdb_strerror(rc));
		return -FAI_ESTORE;
	}
	if (rc > 0 && rc < MDB_KEYEXIST && rc != EINVAL)
		return sys_fail(rc, err, path);
	fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL, path);
	fai_err_detail(err, "%s", mdb_strerror(rc));
	if (err && rc > 0)
		err->sys_errno = rc;
	return -FAI_ESTORE;
}

int store_exists(const char *path)
{
	char *data = xasprintf("%s/data.mdb", path);
	int ok = access(data, F_OK) == 0;
	free(data);
	return ok;
}

/* ------------------------------------------------------------ guard */

static int ofd_lock(int fd, short type, off_t at, int wait)
{
	struct flock l;
	memset(&l, 0, sizeof(l));
	l.l_type = type;
	l.l_whence = SEEK_SET;
	l.l_start = at;
	l.l_len = 1;
	return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &l);
}

/* The type of a lock another open file holds on byte at (F_UNLCK: none). */
static short ofd_held(int fd, off_t at)
{
	struct flock l;
	memset(&l, 0, sizeof(l));
	l.l_type = F_WRLCK;
	l.l_whence = SEEK_SET;
	l.l_start = at;
	l.l_len = 1;
	if (fcntl(fd, F_OFD_GETLK, &l) != 0)
		return F_UNLCK;
	return l.l_type;
}

/* Before opening: when other processes use data.mdb, the lock.mdb at the
 * path must be theirs (locked).  Called holding GUARD_OPEN shared. */
static int guard_probe(struct store *s, struct fai_err *err)
{
	short held = ofd_held(s->guard, GUARD_USER);
	if (held == F_UNLCK)
		return 0;
	if (held == F_WRLCK) {
		fai_err_set(err, FAI_ESTORE, FAI_WHY_RESTORING, NULL, s->path);
		return -FAI_ESTORE;
	}
	char *lock = xasprintf("%s/lock.mdb", s->path);
	int fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	short lheld = fd >= 0 ? ofd_held(fd, 0) : F_UNLCK;
	if (fd >= 0)
		close(fd);
	free(lock);
	if (lheld != F_UNLCK)
		return 0;
	fai_err_set(err, FAI_ESTORE, FAI_WHY_LOCK_FOREIGN, NULL, s->path);
	return -FAI_ESTORE;
}

static int file_id(const char *dir, const char *name, dev_t *dev, ino_t *ino)
{
	struct stat st;
	char *p = xasprintf("%s/%s", dir, name);
	int rc = lstat(p, &st);
	free(p);
	if (rc != 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

int store_identity_check(struct store *s, struct fai_err *err)
{
	dev_t dev;
	ino_t ino;
	if (!s->have_ids)
		return 0;
	if (file_id(s->path, "lock.mdb", &dev, &ino) != 0 ||
	    dev != s->lock_dev || ino != s->lock_ino) {
		fai_err_set(err, FAI_ESTORE, FAI_WHY_LOCK_CHANGED, "lock.mdb",
			    s->path);
		fai_err_about(err, FAI_ABOUT_LOCK_FILE);
		return -FAI_ESTORE;
	}
	if (file_id(s->path, "data.mdb", &dev, &ino) != 0 ||
	    dev != s->data_dev || ino != s->data_ino) {
		fai_err_set_about(err, FAI_ESTORE, FAI_WHY_LOCK_CHANGED,
				  FAI_ABOUT_LOCK_FILE, "data.mdb", s->path);
		return -FAI_ESTORE;
	}
	return 0;
}

/* Remembers which lock.mdb and data.mdb this process opened; refuses when
 * the data.mdb LMDB opened is not the one the guard holds. */
static int identity_note(struct store *s, struct fai_err *err)
{
	struct stat a, b;
	int fd;
	if (mdb_env_get_fd(s->env, &fd) != 0 || fstat(fd, &a) != 0 ||
	    (s->guard >= 0 && (fstat(s->guard, &b) != 0 ||
			       a.st_dev != b.st_dev || a.st_ino != b.st_ino)) ||
	    file_id(s->path, "lock.mdb", &s->lock_dev, &s->lock_ino) != 0) {
		fai_err_set_about(err, FAI_ESTORE, FAI_WHY_LOCK_CHANGED,
				  FAI_ABOUT_LOCK_FILE, "data.mdb", s->path);
		return -FAI_ESTORE;
	}
	s->data_dev = a.st_dev;
	s->data_ino = a.st_ino;
	s->have_ids = 1;
	return 0;
}

/* ------------------------------------------------------------ files */

/* The umask under which the store creates files: never writable by
 * others; in a shared store, read-write for the group whatever the
 * person's umask. */
static mode_t store_umask(const struct store *s)
{
	mode_t old = umask(0);
	umask(old);
	return s->shared ? 0007 : old | 0002;
}

/* Refuses a world-writable store directory, and says clearly when the
 * person may not enter it (a shared store of a group they are not in). */
static int store_access(const char *path, struct fai_err *err)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	if (st.st_mode & S_IWOTH) {
		fai_err_set_about(err, FAI_EPERM, FAI_WHY_WORLD_WRITABLE,
				  FAI_ABOUT_DIRECTORY, "directory", path);
		return -FAI_EPERM;
	}
	char *data = xasprintf("%s/data.mdb", path);
	int denied = access(data, F_OK) != 0 && errno == EACCES;
	free(data);
	if (denied) {
		struct group *g = getgrgid(st.st_gid);
		fai_err_set_about(err, FAI_EPERM, FAI_WHY_NO_ACCESS,
				  FAI_ABOUT_GROUP, "group",
				  g ? g->gr_name : "");
		fai_err_path(err, path);
		return -FAI_EPERM;
	}
	return 0;
}

/* A store file (data.mdb, lock.mdb, a backup) must be a regular file
 * nobody but its owner and group may write, and not shorter than min.
 * Absent is fine unless required (then -FAI_ENOSTORE naming store). */
static int file_trust(const char *p, const char *store, int required, off_t min,
		      struct fai_err *err)
{
	struct stat st;
	int rc = 0;
	if (lstat(p, &st) != 0) {
		if (errno != ENOENT || required)
			rc = errno == ENOENT
				 ? fai_err_set(err, FAI_ENOSTORE, FAI_WHY_NONE,
					       NULL, store)
				 : sys_fail(errno, err, p);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = fai_err_set_about(err, FAI_ESTORE, FAI_WHY_NOT_FILE,
				       FAI_ABOUT_FILE, "file", p);
	} else if (st.st_mode & S_IWOTH) {
		rc = fai_err_set_about(err, FAI_EPERM, FAI_WHY_DATA_WRITABLE,
				       FAI_ABOUT_FILE, "file", p);
	} else if (st.st_size < min) {
		rc = fai_err_set_about(err, FAI_ESTORE, FAI_WHY_TRUNCATED,
				       FAI_ABOUT_FILE, "file", p);
		if (err)
			err->count = (uint64_t)st.st_size,
			err->limit = (uint64_t)min;
	}
	return rc;
}

/* file_trust for the file name in the store directory dir. */
static int store_file_trust(const char *dir, const char *name, int required,
			    off_t min, struct fai_err *err)
{
	char *p = xasprintf("%s/%s", dir, name);
	int rc = file_trust(p, dir, required, min, err);
	free(p);
	return rc;
}

/* Refuses a data file shorter than its own metadata says (reading past
 * its end would kill the process with SIGBUS). */
static int env_check_size(struct store *s, const char *path,
			  struct fai_err *err)
{
	MDB_envinfo info;
	MDB_stat mst;
	struct stat st;
	int fd;
	if (mdb_env_info(s->env, &info) || mdb_env_stat(s->env, &mst) ||
	    mdb_env_get_fd(s->env, &fd) || fstat(fd, &st) != 0)
		return sys_fail(errno ? errno : EIO, err, path);
	unsigned long long need =
	    ((unsigned long long)info.me_last_pgno + 1) * mst.ms_psize;
	if ((unsigned long long)st.st_size < need) {
		fai_err_set_about(err, FAI_ESTORE, FAI_WHY_TRUNCATED,
				  FAI_ABOUT_FILE, "file", path);
		if (err)
			err->count = (uint64_t)st.st_size, err->limit = need;
		return -FAI_ESTORE;
	}
	return 0;
}

/* ------------------------------------------------------------ schema */

/* The schema version: "schema" in meta, a decimal number kept without a
 * seal so that every release can read it.  0 for a new store. */
static int schema_read(struct store_txn *t, uint64_t *version,
		       struct fai_err *err)
{
	MDB_val v;
	char num[8];
	int rc = st_get(t, DB_META, "schema", 6, &v);
	*version = 0;
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return st_fail(t, rc, err, "meta");
	if (v.mv_size == 0 || v.mv_size >= sizeof(num))
		goto damaged;
	memcpy(num, v.mv_data, v.mv_size);
	num[v.mv_size] = '\0';
	for (size_t i = 0; i < v.mv_size; i++)
		if (num[i] < '0' || num[i] > '9')
			goto damaged;
	*version = strtoull(num, NULL, 10);
	if (*version == 0)
		goto damaged;
	return 0;
damaged:
	fai_err_set_about(err, FAI_ESTORE, FAI_WHY_DAMAGED,
			  FAI_ABOUT_META_RECORD, "meta", "schema");
	return -FAI_ESTORE;
}

static int schema_write(struct store_txn *t, uint64_t version,
			struct fai_err *err)
{
	char num[24];
	snprintf(num, sizeof(num), "%llu", (unsigned long long)version);
	return st_put(t, DB_META, "schema", 6, num, strlen(num), 0, err);
}

static int schema_newer(uint64_t version, struct fai_err *err)
{
	fai_err_set(err, FAI_ESCHEMA, FAI_WHY_NONE, "schema", NULL);
	if (err)
		err->count = version;
	return -FAI_ESCHEMA;
}

/* Schema 1 -> 2: every record gets its seal.  Ideas and log entries are
 * decoded as format 1 and written again as format 2; the exchange bases
 * and the meta values (but "schema") get a seal after their bytes.  A
 * record of the old store that cannot be read stops the upgrade. */
static int migrate_1_to_2(struct store_txn *t, struct fai_err *err)
{
	static const enum store_dbi dbs[] = {DB_IDEAS, DB_LOG, DB_EXCHANGED,
					     DB_META};
	struct buf *b = &t->s->enc;
	for (size_t d = 0; d < sizeof(dbs) / sizeof(*dbs); d++) {
		MDB_cursor *c;
		MDB_val key, val;
		int rc = mdb_cursor_open(t->txn, t->s->dbi[dbs[d]], &c);
		if (rc)
			return st_fail(t, rc, err, store_db_names[dbs[d]]);
		for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); rc == 0;
		     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
			int bad = 0;
			buf_reset(b);
			if (dbs[d] == DB_IDEAS || dbs[d] == DB_LOG) {
				uint64_t k = key.mv_size == 8
						 ? codec_get_u64(key.mv_data)
						 : 0;
				if (dbs[d] == DB_IDEAS) {
					struct idea *idea = NULL;
					bad =
					    !k || codec_idea_decode_legacy(
						      val.mv_data, val.mv_size,
						      k, &idea) < 0;
					if (!bad)
						codec_idea_encode(b, idea);
					idea_free(idea);
				} else {
					struct log_entry e;
					bad = !k || codec_log_decode_legacy(
							val.mv_data,
							val.mv_size, k, &e) < 0;
					if (!bad) {
						codec_log_encode(b, &e);
						log_entry_clear(&e);
					}
				}
			} else if (dbs[d] == DB_META && key.mv_size == 6 &&
				   memcmp(key.mv_data, "schema", 6) == 0) {
				continue;
			} else {
				buf_add(b, val.mv_data, val.mv_size);
				codec_seal(b, 0, key.mv_data, key.mv_size);
			}
			if (bad) {
				mdb_cursor_close(c);
				fai_err_set_about(err, FAI_ESTORE,
						  FAI_WHY_DAMAGED,
						  FAI_ABOUT_STORE_DB,
						  store_db_names[dbs[d]], NULL);
				if (err) /* the record's key */
					err->count =
					    key.mv_size == 8
						? codec_get_u64(key.mv_data)
						: 0;
				return -FAI_ESTORE;
			}
			/* The key points into the page, which the put may
			 * rewrite when the value grows: give it a copy. */
			unsigned char kcopy[512];
			if (key.mv_size > sizeof(kcopy)) {
				rc = MDB_BAD_VALSIZE;
				break;
			}
			memcpy(kcopy, key.mv_data, key.mv_size);
			key.mv_data = kcopy;
			MDB_val nv = {b->len, b->data};
			rc = mdb_cursor_put(c, &key, &nv, MDB_CURRENT);
			if (rc)
				break;
		}
		mdb_cursor_close(c);
		if (rc != MDB_NOTFOUND)
			return st_fail(t, rc, err, store_db_names[dbs[d]]);
	}
	return schema_write(t, 2, err);
}

/* Brings an older store up to STORE_SCHEMA_VERSION, one step at a time in
 * this transaction (all or nothing), or makes a new one, or refuses a
 * newer one. */
static int schema_settle(struct store_txn *t, const char *region,
			 struct fai_err *err)
{
	uint64_t version;
	int rc = schema_read(t, &version, err);
	if (rc)
		return rc;
	if (version == 0) { /* a new store */
		MDB_stat st;
		if (mdb_stat(t->txn, t->s->dbi[DB_IDEAS], &st) == 0 &&
		    st.ms_entries > 0)
			return fai_err_set_about(
			    err, FAI_ESTORE, FAI_WHY_DAMAGED,
			    FAI_ABOUT_META_RECORD, "meta", "schema");
		rc = schema_write(t, STORE_SCHEMA_VERSION, err);
		if (!rc && region && *region)
			rc = st_meta_write(t, "region", region, err);
		if (!rc) {
			char when[ISOTIME_LEN];
			isotime_format((int64_t)time(NULL), when);
			rc = st_meta_write(t, "created_at", when, err);
		}
		return rc;
	}
	if (version > STORE_SCHEMA_VERSION)
		return schema_newer(version, err);
	if (version == 1)
		rc = migrate_1_to_2(t, err);
	return rc;
}

struct open_arg {
	const char *region;
};

static int open_dbis(struct store_txn *t, unsigned flags, struct fai_err *err)
{
	for (int i = 0; i < DB_COUNT; i++) {
		int rc = mdb_dbi_open(t->txn, store_db_names[i], flags,
				      &t->s->dbi[i]);
		if (rc)
			return st_fail(t, rc, err, store_db_names[i]);
	}
	return 0;
}

static int open_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct open_arg *a = arg;
	int rc = open_dbis(t, MDB_CREATE, err);
	return rc ? rc : schema_settle(t, a->region, err);
}

/* Opens the named databases read-only and reads the schema: the version
 * of this release, or older (then *version says which), or refused.
 * Returns 1 when the file holds no store yet (its making was cut short). */
static int open_rdonly(struct store *s, uint64_t *version, int upgradable,
		       struct fai_err *err)
{
	MDB_txn *txn;
	int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn);
	if (rc)
		return st_fail(NULL, rc, err, "open");
	struct store_txn t = {.s = s, .txn = txn};
	MDB_dbi meta;
	if (mdb_dbi_open(txn, store_db_names[DB_META], 0, &meta) ==
	    MDB_NOTFOUND) {
		/* A store whose making was cut short holds nothing but
		 * LMDB's two meta pages; pages and no database is damage
		 * (a flipped bit in the main database's root). */
		MDB_envinfo info;
		mdb_txn_abort(txn);
		if (mdb_env_info(s->env, &info) == 0 && info.me_last_pgno > 1)
			return fai_err_set_about(err, FAI_ESTORE,
						 FAI_WHY_DAMAGED,
						 FAI_ABOUT_FILE, "file", NULL);
		return 1;
	}
	rc = open_dbis(&t, 0, err);
	if (!rc)
		rc = schema_read(&t, version, err);
	if (!rc && *version > STORE_SCHEMA_VERSION)
		rc = schema_newer(*version, err);
	else if (!rc && *version < STORE_SCHEMA_VERSION && !upgradable) {
		fai_err_set_about(err, FAI_ESCHEMA, FAI_WHY_OLD_SCHEMA,
				  s->backup ? FAI_ABOUT_BACKUP : FAI_ABOUT_NONE,
				  "schema", s->backup ? "backup" : NULL);
		if (err)
			err->count = *version;
		rc = -FAI_ESCHEMA;
	}
	if (rc) {
		mdb_txn_abort(txn);
		return rc;
	}
	/* Only a commit keeps the handles opened in this transaction: an
	 * abort would close them and every later read fail. */
	rc = mdb_txn_commit(txn);
	if (rc)
		return st_fail(NULL, rc, err, "open");
	return 0;
}

/* ------------------------------------------------------------ open */

int store_share(const char *path, const char *group, struct fai_err *err)
{
	static const char *const files[] = {"data.mdb", "lock.mdb"};
	struct group *g = getgrnam(group);
	if (!g)
		return fai_err_set_about(err, FAI_ENOTFOUND, FAI_WHY_NONE,
					 FAI_ABOUT_GROUP, "group", group);
	if (mkdir(path, 02770) != 0 && errno != EEXIST)
		goto fail;
	/* setgid: files made inside belong to the group whoever makes them */
	if (chown(path, (uid_t)-1, g->gr_gid) != 0 || chmod(path, 02770) != 0)
		goto fail;
	for (size_t i = 0; i < 2; i++) {
		char *f = xasprintf("%s/%s", path, files[i]);
		int bad = access(f, F_OK) == 0 &&
			  (chown(f, (uid_t)-1, g->gr_gid) != 0 ||
			   chmod(f, 0660) != 0);
		free(f);
		if (bad)
			goto fail;
	}
	return 0;
fail:
	return sys_fail(errno, err, path);
}

/* Creates and opens s->env on s->path with s->flags (and extra LMDB
 * flags); on failure s->env is NULL and err says why. */
static int env_open(struct store *s, size_t mapsize, unsigned extra,
		    struct fai_err *err)
{
	unsigned flags = extra;
	if (s->flags & STORE_READONLY)
		flags |= MDB_RDONLY;
	if (s->flags & STORE_NOSYNC)
		flags |= MDB_NOSYNC;
	if (s->backup)
		flags |= MDB_NOSUBDIR | MDB_NOLOCK | MDB_RDONLY;
	int rc = mdb_env_create(&s->env);
	if (rc) {
		s->env = NULL;
		return env_fail(rc, err, s->path);
	}
	mdb_env_set_maxdbs(s->env, DB_COUNT + 4);
	mdb_env_set_mapsize(s->env, mapsize);
	mode_t old = umask(store_umask(s));
	rc = mdb_env_open(s->env, s->path, flags, 0666);
	umask(old);
	s->writemap = (flags & MDB_WRITEMAP) != 0;
	if (rc) {
		mdb_env_close(s->env);
		s->env = NULL;
		return env_fail(rc, err, s->path);
	}
	return 0;
}

/* With a writable map LMDB makes data.mdb as long as the map (a sparse
 * file of a gigabyte or more) and writes the pages through the map: the
 * file must stay that long while this process writes, even if another
 * process trimmed it meanwhile (trim_txn).  Called holding the writer
 * lock. */
static int map_file_ensure(struct store *s, struct fai_err *err)
{
	struct stat st;
	int fd;
	size_t size = store_mapsize(s);
	if (mdb_env_get_fd(s->env, &fd) != 0 || fstat(fd, &st) != 0)
		return sys_fail(errno ? errno : EIO, err, s->path);
	if ((unsigned long long)st.st_size >= size)
		return 0;
	return ftruncate(fd, (off_t)size) == 0 ? 0
					       : sys_fail(errno, err, s->path);
}

/* After a writable map: data.mdb cut back to the pages in use (holding
 * the writer lock, so no writer is between; a process that writes through
 * a writable map lengthens it again first: map_file_ensure). */
static int trim_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	MDB_envinfo info;
	MDB_stat mst;
	struct stat st;
	int fd;
	(void)arg;
	if (mdb_env_info(t->s->env, &info) || mdb_env_stat(t->s->env, &mst) ||
	    mdb_env_get_fd(t->s->env, &fd) || fstat(fd, &st) != 0)
		return 0; /* only tidiness: never fail an import for it */
	off_t need = ((off_t)info.me_last_pgno + 1) * (off_t)mst.ms_psize;
	if (st.st_size > need && ftruncate(fd, need) != 0)
		fai_err_clear(err);
	return 0;
}

int st_reopen(struct store *s, int writemap, struct fai_err *err)
{
	size_t mapsize = store_mapsize(s);
	/* While this process has no environment open it holds no lock on
	 * lock.mdb: make those opening the store now wait. */
	if (s->guard >= 0)
		ofd_lock(s->guard, F_WRLCK, GUARD_OPEN, 1);
	mdb_env_close(s->env);
	int rc = env_open(s, mapsize, writemap ? MDB_WRITEMAP : 0, err);
	if (rc && writemap) /* then at least the store as it was */
		env_open(s, mapsize, 0, NULL);
	if (s->guard >= 0)
		ofd_lock(s->guard, F_UNLCK, GUARD_OPEN, 0);
	if (!s->env)
		return rc;
	struct open_arg a = {NULL};
	struct fai_err oerr;
	fai_err_clear(&oerr);
	int orc = store_write(s, open_txn, &a, &oerr);
	if (orc) {
		/* The environment is open but its databases are not (the lock
		 * file went meanwhile, say): no transaction may use it. */
		if (err)
			*err = oerr;
		mdb_env_close(s->env);
		s->env = NULL;
		return orc;
	}
	if (!writemap)
		store_write(s, trim_txn, NULL, NULL);
	return rc;
}

/* Writes a compacted copy of s into the new file p (O_EXCL); *exists is
 * set when p was there already. */
static int copy_to_new(struct store *s, const char *p, int *exists,
		       struct fai_err *err)
{
	mode_t old = umask(store_umask(s));
	int fd =
	    open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	umask(old);
	*exists = fd < 0 && errno == EEXIST;
	int rc = fd < 0 ? sys_fail(errno, err, p) : store_backup_fd(s, fd, err);
	if (fd >= 0 && close(fd) != 0 && !rc)
		rc = sys_fail(errno, err, p);
	if (rc && fd >= 0)
		unlink(p);
	return rc;
}

/* Formats t as "2026-12-03-101500" (UTC) into out. */
static void stamp(int64_t t, char out[20])
{
	char iso[ISOTIME_LEN];
	isotime_format(t, iso);
	snprintf(out, 20, "%.10s-%.2s%.2s%.2s", iso, iso + 11, iso + 14,
		 iso + 17);
}

/* Before an upgrade: a compacted copy of the old store, in its directory,
 * named after the schema it holds and the time. */
static int upgrade_backup(struct store *s, uint64_t version,
			  struct fai_err *err)
{
	char when[20];
	int exists = 1, rc = 0;
	stamp((int64_t)time(NULL), when);
	for (int i = 0; exists && i < 100; i++) {
		char *p =
		    i ? xasprintf("%s/backup-schema%llu-%s-%d.mdb", s->path,
				  (unsigned long long)version, when, i)
		      : xasprintf("%s/backup-schema%llu-%s.mdb", s->path,
				  (unsigned long long)version, when);
		rc = copy_to_new(s, p, &exists, err);
		if (rc == 0)
			s->upgrade_backup = p;
		else
			free(p);
	}
	return rc;
}

/* Opens a backup: one file, read-only, without a lock file. */
static int backup_open(struct store *s, size_t mapsize, struct fai_err *err)
{
	uint64_t version;
	int rc = file_trust(s->path, s->path, 1, STORE_MIN_FILE, err);
	if (rc)
		return rc;
	s->backup = 1;
	s->flags |= STORE_READONLY;
	rc = env_open(s, mapsize, 0, err);
	if (!rc)
		rc = env_check_size(s, s->path, err);
	if (!rc)
		rc = open_rdonly(s, &version, 0, err);
	return rc;
}

int store_open(struct store **out, const char *path, unsigned flags,
	       const char *region, size_t mapsize, struct fai_err *err)
{
	struct store *s;
	struct stat st;
	uint64_t version = STORE_SCHEMA_VERSION;
	int rc, dead, have;

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->flags = flags;
	s->guard = -1;
	if (!mapsize)
		mapsize = STORE_DEFAULT_MAPSIZE;
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    !(flags & STORE_CREATE)) {
		rc = backup_open(s, mapsize, err);
		if (rc)
			goto close_env;
		*out = s;
		return 0;
	}

	rc = store_access(path, err);
	if (rc)
		goto free_store;
	/* A data.mdb shorter than a store's header is a damaged store,
	 * except for a creation that may finish one whose making was cut
	 * short (init, with STORE_EXCL, never does: it says what is
	 * there). */
	rc = store_file_trust(path, "data.mdb", 0,
			      (flags & STORE_CREATE) && !(flags & STORE_EXCL)
				  ? 0
				  : STORE_MIN_FILE,
			      err);
	have = store_exists(path);
	if (!rc && !have && !(flags & STORE_CREATE))
		rc = fai_err_set(err, FAI_ENOSTORE, FAI_WHY_NONE, NULL, path);
	if (!rc)
		rc = store_file_trust(path, "lock.mdb", 0, 0, err);
	if (rc)
		goto free_store;
	if (stat(path, &st) == 0) {
		s->shared = (st.st_mode & S_ISGID) != 0;
	} else {
		mode_t old = umask(store_umask(s));
		int made = mkdir(path, 0777);
		umask(old);
		if (made != 0) {
			rc = sys_fail(errno, err, path);
			goto free_store;
		}
	}

	if (have) {
		char *data = xasprintf("%s/data.mdb", path);
		s->guard = open(data, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (s->guard < 0 && (errno == EACCES || errno == EROFS))
			s->guard =
			    open(data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (s->guard < 0)
			rc = sys_fail(errno, err, data);
		free(data);
		if (rc)
			goto free_store;
		ofd_lock(s->guard, F_RDLCK, GUARD_OPEN, 1);
		rc = guard_probe(s, err);
		if (rc) {
			ofd_lock(s->guard, F_UNLCK, GUARD_OPEN, 0);
			goto free_store;
		}
	}
	rc = env_open(s, mapsize, 0, err);
	if (!rc && !have) {
		char *data = xasprintf("%s/data.mdb", path);
		s->guard = open(data, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		free(data);
	}
	if (!rc && s->guard >= 0 &&
	    ofd_lock(s->guard, F_RDLCK, GUARD_USER, 0) != 0)
		rc =
		    fai_err_set(err, FAI_ESTORE, FAI_WHY_RESTORING, NULL, path);
	if (s->guard >= 0)
		ofd_lock(s->guard, F_UNLCK, GUARD_OPEN, 0);
	if (rc)
		goto close_env;
	rc = identity_note(s, err);
	if (!rc)
		rc = env_check_size(s, path, err);
	if (rc)
		goto close_env;
	/* Killed processes leave reader slots that pin old pages. */
	mdb_reader_check(s->env, &dead);

	if (have) {
		rc = open_rdonly(s, &version, !(flags & STORE_READONLY), err);
		if (rc == 1 && !(flags & STORE_CREATE))
			rc = fai_err_set(err, FAI_ENOSTORE, FAI_WHY_NONE, NULL,
					 path);
		else if (rc == 1)
			rc = 0, version = STORE_SCHEMA_VERSION;
		else if (rc == 0 && (flags & STORE_CREATE) &&
			 (flags & STORE_EXCL))
			rc = fai_err_set(err, FAI_EEXIST, FAI_WHY_NONE, NULL,
					 path);
	}
	if (rc)
		goto close_env;
	if (version < STORE_SCHEMA_VERSION) {
		/* An upgrade: never without a copy of the store as it was. */
		rc = upgrade_backup(s, version, err);
		if (rc)
			goto close_env;
	}
	if (!(flags & STORE_READONLY)) {
		struct open_arg a = {region};
		rc = store_write(s, open_txn, &a, err);
	}
	if (rc)
		goto close_env;
	*out = s;
	return 0;

close_env:
	if (s->env)
		mdb_env_close(s->env);
	s->env = NULL;
free_store:
	if (s->guard >= 0)
		close(s->guard);
	free(s->upgrade_backup);
	free(s->path);
	free(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	/* First no longer a user (byte 0), then close the environment: who
	 * holds byte 0 always holds LMDB's lock on lock.mdb. */
	if (s->guard >= 0)
		close(s->guard);
	if (s->env)
		mdb_env_close(s->env);
	buf_free(&s->enc);
	free(s->upgrade_backup);
	free(s->path);
	free(s);
}

const char *store_upgrade_backup(const struct store *s)
{
	return s->upgrade_backup;
}

size_t store_mapsize(const struct store *s)
{
	MDB_envinfo info;
	mdb_env_info(s->env, &info);
	return info.me_mapsize;
}

uint64_t store_last_txn(struct store *s)
{
	MDB_envinfo info;
	mdb_env_info(s->env, &info);
	return (uint64_t)info.me_last_txnid;
}

void store_maintain(struct store *s)
{
	int dead;
	if (!s->backup)
		mdb_reader_check(s->env, &dead);
}

/* ------------------------------------------------------------ txns */

/* Begins a read transaction, adopting a map grown by another process. */
int st_rd_begin(struct store *s, struct store_txn *t, struct fai_err *err)
{
	int rc, dead;
	if (++s->reads >= STORE_READER_CHECK_EVERY && !s->backup) {
		s->reads = 0;
		mdb_reader_check(s->env, &dead);
	}
	memset(t, 0, sizeof(*t));
	t->s = s;
	rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t->txn);
	if (rc == MDB_MAP_RESIZED) {
		mdb_env_set_mapsize(s->env, 0);
		rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t->txn);
	}
	if (rc)
		return st_fail(NULL, rc, err, "read");
	return 0;
}

void st_rd_end(struct store_txn *t)
{
	mdb_txn_abort(t->txn);
}

static int map_grow(struct store *s, struct fai_err *err)
{
	size_t cur = store_mapsize(s);
	if (cur >= STORE_MAX_MAPSIZE)
		return fai_err_set(err, FAI_ESTORE, FAI_WHY_TOO_LONG, NULL,
				   NULL);
	int rc = mdb_env_set_mapsize(s->env, cur * 2);
	if (rc)
		return st_fail(NULL, rc, err, "map size");
	return 0;
}

/* A commit LMDB says failed (rc) may still have been made: with a
 * writable map the meta page is written in the map before the last sync
 * fails.  Says which, so nobody retries a change that is in the store. */
static int commit_failed(struct store *s, size_t id, int rc,
			 struct fai_err *err)
{
	MDB_envinfo info;
	if (mdb_env_info(s->env, &info) != 0 || info.me_last_txnid < id)
		return st_fail(NULL, rc, err, "commit");
	s->my_seq = s->pending_seq;
	fai_err_set(err, rc == ENOSPC || rc == EDQUOT ? FAI_ENOSPACE : FAI_EIO,
		    FAI_WHY_SYNC_FAILED, NULL, s->path);
	fai_err_detail(err, "%s", mdb_strerror(rc));
	if (err && rc > 0)
		err->sys_errno = rc;
	return rc == ENOSPC || rc == EDQUOT ? -FAI_ENOSPACE : -FAI_EIO;
}

int store_write(struct store *s,
		int (*fn)(struct store_txn *t, void *arg, struct fai_err *err),
		void *arg, struct fai_err *err)
{
	struct store_txn t = {.s = s};
	int rc;

	if (s->flags & STORE_READONLY)
		return fai_err_set(err, FAI_EPERM, FAI_WHY_READONLY, NULL,
				   s->path);
	for (;;) {
		t.map_full = 0;
		t.log_next = 0;
		memset(t.rank_known, 0, sizeof(t.rank_known));
		s->pending_seq = s->my_seq;
		rc = mdb_txn_begin(s->env, NULL, 0, &t.txn);
		if (rc == MDB_MAP_RESIZED) {
			mdb_env_set_mapsize(s->env, 0);
			continue;
		}
		if (rc)
			return st_fail(NULL, rc, err, "write");
		rc = s->writemap ? map_file_ensure(s, err) : 0;
		if (!rc)
			rc = fn(&t, arg, err);
		/* Holding LMDB's writer lock: only now can a deleted or
		 * replaced lock file be told from a slow colleague. */
		if (!rc)
			rc = store_identity_check(s, err);
		if (rc) {
			mdb_txn_abort(t.txn);
			if (!t.map_full)
				return rc;
		} else {
			size_t id = mdb_txn_id(t.txn);
			rc = mdb_txn_commit(t.txn);
			if (rc == 0) {
				s->my_seq = s->pending_seq;
				return 0;
			}
			if (rc != MDB_MAP_FULL)
				return commit_failed(s, id, rc, err);
		}
		/* The map is full: nothing was written; grow and redo. */
		fai_err_clear(err);
		rc = map_grow(s, err);
		if (rc)
			return rc;
	}
}

int store_reserve(struct store *s, size_t extra, struct fai_err *err)
{
	MDB_envinfo info;
	MDB_stat st;
	if (mdb_env_info(s->env, &info) || mdb_env_stat(s->env, &st))
		return 0;
	size_t used = ((size_t)info.me_last_pgno + 1) * st.ms_psize;
	size_t want = used + extra + extra / 4;
	if (want <= info.me_mapsize)
		return 0;
	size_t size = info.me_mapsize;
	while (size < want && size < STORE_MAX_MAPSIZE)
		size *= 2;
	int rc = mdb_env_set_mapsize(s->env, size);
	return rc ? st_fail(NULL, rc, err, "map size") : 0;
}

/* ------------------------------------------------------------ backups */

int store_backup_fd(struct store *s, int fd, struct fai_err *err)
{
	int rc = mdb_env_copyfd2(s->env, fd, MDB_CP_COMPACT);
	if (rc == 0 && fsync(fd) != 0 && errno != EINVAL)
		rc = errno;
	if (rc)
		return env_fail(rc, err, s->path);
	return 0;
}

/* Copies the file from into the new file fd and syncs it. */
static int copy_bytes(const char *from, int fd, struct fai_err *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = 0;
	if (in < 0)
		return sys_fail(errno, err, from);
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			rc = sys_fail(errno, err, from);
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0) {
				rc = sys_fail(errno, err, from);
				break;
			}
			off += w;
		}
		if (rc)
			break;
	}
	close(in);
	if (!rc && fsync(fd) != 0)
		rc = sys_fail(errno, err, from);
	return rc;
}

int store_restore(const char *path, const char *backup, char **kept,
		  struct fai_err *err)
{
	struct store *b = NULL;
	char *data = xasprintf("%s/data.mdb", path);
	char *lock = xasprintf("%s/lock.mdb", path);
	char *tmp = NULL, *keep = NULL;
	char when[20];
	struct stat old, dir;
	int guard = -1, fd = -1, rc;

	*kept = NULL;
	/* The backup must be a whole, consistent store, or one an older fai
	 * made (opening the restored store upgrades it, after a copy). */
	rc = store_open(&b, backup, 0, NULL, 0, err);
	if (rc == 0) {
		rc = store_check(b, NULL, NULL, err);
		if (rc > 0) {
			fai_err_set_about(err, FAI_ESTORE, FAI_WHY_DAMAGED,
					  FAI_ABOUT_FILE, "file", backup);
			if (err) /* the problems fai check found */
				err->count = (uint64_t)rc;
			rc = -FAI_ESTORE;
		}
	} else if (rc == -FAI_ESCHEMA && err &&
		   err->why == FAI_WHY_OLD_SCHEMA) {
		fai_err_clear(err);
		rc = 0;
	}
	store_close(b);
	if (rc)
		goto out;
	/* The store must exist and be trusted as any open would. */
	rc = store_access(path, err);
	if (!rc)
		rc = store_file_trust(path, "data.mdb", 1, 0, err);
	if (rc)
		goto out;
	if (stat(data, &old) != 0 || stat(path, &dir) != 0) {
		rc = sys_fail(errno, err, data);
		goto out;
	}
	/* Nobody may use it meanwhile: byte 0 exclusive, kept until the new
	 * data is in place (whoever opens meanwhile is told to retry). */
	guard = open(data, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (guard < 0) {
		rc = sys_fail(errno, err, data);
		goto out;
	}
	if (ofd_lock(guard, F_WRLCK, GUARD_USER, 0) != 0) {
		rc = fai_err_set(err, FAI_ESTORE, FAI_WHY_IN_USE, NULL, path);
		goto out;
	}
	/* A copy of the backup beside data.mdb, with its owner, group and
	 * mode, then renamed over it; the data as it was stays in the
	 * directory under a dated name. */
	tmp = xasprintf("%s/.restore-%ld", path, (long)getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		rc = sys_fail(errno, err, tmp);
		goto out;
	}
	rc = copy_bytes(backup, fd, err);
	if (!rc &&
	    ((fchown(fd, old.st_uid, old.st_gid) != 0 && errno != EPERM) ||
	     fchmod(fd, old.st_mode & 07777) != 0))
		rc = sys_fail(errno, err, tmp);
	if (close(fd) != 0 && !rc)
		rc = sys_fail(errno, err, tmp);
	fd = -1;
	if (rc)
		goto unlink_tmp;
	stamp((int64_t)time(NULL), when);
	keep = xasprintf("%s/before-restore-%s.mdb", path, when);
	if (link(data, keep) != 0) {
		rc = sys_fail(errno, err, keep);
		goto unlink_tmp;
	}
	/* No lock.mdb of the old data may serve the new: it goes first. */
	if (unlink(lock) != 0 && errno != ENOENT) {
		rc = sys_fail(errno, err, lock);
		goto unlink_keep;
	}
	if (rename(tmp, data) != 0) {
		rc = sys_fail(errno, err, data);
		goto unlink_keep;
	}
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	*kept = keep;
	keep = NULL;
	goto out;
unlink_keep:
	unlink(keep);
unlink_tmp:
	unlink(tmp);
out:
	if (guard >= 0)
		close(guard);
	free(keep);
	free(tmp);
	free(lock);
	free(data);
	return rc;
}
