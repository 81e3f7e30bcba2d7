/* outfile.h - every file fai writes outside the LMDB store (exports, the
 * rejects of an import, the user's settings, backups), written safely.
 *
 * A regular file is written to a new temporary file beside it and renamed
 * over it at commit, so a reader never sees half a file; a symbolic link is
 * never written through unless it ends at a pipe or a character device
 * (`-o /dev/stdout`); nothing is ever written inside a store directory. */
#ifndef FAI_STORE_OUTFILE_H
#define FAI_STORE_OUTFILE_H

#include <stdio.h>

#include "../core/err.h"

enum outfile_flags {
	OUTFILE_PRIVATE = 1 << 0, /* a new file is made 0600, not 0666,
				     (then the umask) */
	OUTFILE_REGULAR = 1 << 1, /* a regular file only: pipes and
				     character devices are refused too */
};

struct outfile;

/* Opens path for writing a whole new content.  Returns 0 and *out, or
 * -FAI_EINVAL (why SYMLINK, IN_STORE, NOT_FILE; about FAI_ABOUT_FILE, value
 * the path), -FAI_EPERM, -FAI_ENOSPACE or -FAI_EIO (detail strerror,
 * sys_errno the errno).  With IN_STORE, err->path is the store directory;
 * with NOT_FILE, err->file_kind is what the path is (enum fai_file_kind).
 * -FAI_EPERM with why NOT_OWNER: the file belongs to another user in a sticky
 * directory, so it cannot be replaced.  Opening a pipe waits for its reader, as
 * a shell's > does. */
int outfile_open(struct outfile **out, const char *path, unsigned flags,
		 struct fai_err *err);

/* Returns the stream to write through (owned by o, valid until commit or
 * abort), or ... */
FILE *outfile_stream(struct outfile *o);

/* ... the descriptor to write to (owned by o): use one of them, not both. */
int outfile_fd(struct outfile *o);

/* Flushes, fsyncs (regular files), renames the temporary file over the
 * target; frees o whatever happens.  0 or a negative error (ENOSPC ->
 * -FAI_ENOSPACE; a rename refused in a sticky directory -> -FAI_EPERM, why
 * NOT_OWNER); on failure the target is as it was and the temporary file is
 * gone. */
int outfile_commit(struct outfile *o, struct fai_err *err);

/* Removes the temporary file and frees o (NULL is fine). */
void outfile_abort(struct outfile *o);

#endif
