/* editor.c - the $EDITOR round trip: the idea written as a template
 * (core/template.c) to a private file, the editor run, the text read back
 * and saved if the idea did not move on meanwhile; the person's text is
 * kept in a file whenever it cannot be saved. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../core/config.h"
#include "../core/isotime.h"
#include "../core/template.h"
#include "../core/utf8.h"
#include "../core/validate.h"
#include "../store/exchange.h"
#include "../store/outfile.h"
#include "../core/xmalloc.h"
#include "i18n.h"
#include "out.h"
#include "cmd.h"

/* ------------------------------------------------------------ edit */

/* Where a person's text goes: the editor's file, a version kept. */
static const char *keep_dir(void)
{
	const char *d = getenv("TMPDIR");
	return d && *d ? d : "/tmp";
}

char *cli_keep_text(const char *ref, const char *what, const char *text,
		    size_t n)
{
	char name[32];
	size_t k = 0;
	/* The reference is the store's: only its tame characters make the
	 * name, so it can neither leave the directory nor surprise. */
	for (const char *r = ref; *r && k < 16; r++)
		if ((*r >= '0' && *r <= '9') || (*r >= 'A' && *r <= 'Z') ||
		    (*r >= 'a' && *r <= 'z') || *r == '-')
			name[k++] = *r;
	name[k] = '\0';
	char *path = xasprintf("%s/fai-%s%s-XXXXXX.txt", keep_dir(), name,
			       what ? what : "");
	/* O_CREAT|O_EXCL, mode 0600, whatever the umask: a new file of our
	 * own, never an existing file or a link planted in its place. */
	int fd = mkostemps(path, 4, O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, text + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	int ok = done == n && fsync(fd) == 0;
	ok &= close(fd) == 0;
	if (!ok) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/* Reads the whole regular file path into *out (NUL-terminated heap copy);
 * a link or anything but a regular file is not read. */
static int file_read(const char *path, char **out, size_t *n)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	FILE *f = fdopen(fd, "rb");
	struct buf b;
	char chunk[8192];
	size_t got;
	if (!f) {
		close(fd);
		return -1;
	}
	buf_init(&b);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, got);
	int bad = ferror(f);
	fclose(f);
	*n = b.len;
	buf_addc(&b, '\0');
	*out = buf_steal(&b);
	return bad ? -1 : 0;
}

/* Runs $VISUAL or $EDITOR (default vi) on path, through the shell so an
 * editor with arguments works.  Returns its exit status, -1 on failure. */
static int editor_run(const char *path)
{
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* The shell splits an editor given with arguments. */
		setenv("FAI_EDITOR", ed, 1);
		execl("/bin/sh", "sh", "-c", "exec $FAI_EDITOR \"$1\"", "sh",
		      path, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void edit_say(struct cli *cli, struct buf *note, int error,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (note) {
		char line[1024];
		vsnprintf(line, sizeof(line), fmt, ap);
		line[strcspn(line, "\n")] = '\0';
		buf_reset(note);
		buf_adds(note, line);
	} else {
		if (error)
			fputs("fai: ", stderr);
		vfprintf(error ? stderr : cli->out, fmt, ap);
	}
	va_end(ap);
}

/* Reports a failure code into note or on stderr; returns the exit code. */
static int edit_fail(struct cli *cli, struct buf *note, int rc,
		     const struct fai_err *err)
{
	if (!note)
		return cli_fail(cli, rc, err);
	buf_reset(note);
	return cli_message(cli, rc, err, note);
}

const char *(*cli_template_names(void))(enum idea_field f)
{
	const char *title = idea_field_info(IDEA_TITLE)->label;
	return strcmp(_(title), title) != 0 ? out_field_label : NULL;
}

int cli_edit_in_editor(struct cli *cli, const char *ref, uint64_t expect,
		       struct buf *note)
{
	struct idea *idea = NULL, *edited = NULL;
	struct fai_err err;
	struct buf text, header, why;
	char *path = NULL, *after = NULL;
	size_t n = 0;
	int exit = CLI_OK, keep = 0, rc;

	if (cli->replay)
		return cli_usage_error(cli, "edit",
				       _("--set is required here"));
	fai_err_clear(&err);
	rc = store_idea_find(cli->store, ref, &idea, &err);
	if (rc)
		return edit_fail(cli, note, rc, &err);
	if (expect && idea_revision(idea) != expect) {
		fai_err_set(&err, FAI_ECONFLICT, FAI_WHY_NONE, "revision",
			    idea_get(idea, IDEA_REF));
		fai_err_conflict(&err, expect, idea_revision(idea),
				 idea_get(idea, IDEA_UPDATED_BY));
		exit = edit_fail(cli, note, -FAI_ECONFLICT, &err);
		goto out;
	}
	buf_init(&text);
	buf_init(&header);
	buf_printf(&header,
		   _("# Editing %s (revision %llu). Lines starting with '#' "
		     "are ignored.\n"
		     "# Change the values after the colons; continuation lines "
		     "start with two spaces.\n"
		     "# Save and quit to apply; empty the file to cancel.\n"),
		   idea_get(idea, IDEA_REF),
		   (unsigned long long)idea_revision(idea));
	template_render(&text, idea, header.data, cli_template_names());
	buf_free(&header);
	path =
	    cli_keep_text(idea_get(idea, IDEA_REF), NULL, text.data, text.len);
	if (!path) {
		edit_say(cli, note, 1,
			 _("cannot write a temporary file in %s\n"),
			 out_shown(keep_dir()));
		buf_free(&text);
		exit = CLI_STORE;
		goto out;
	}
	int st = editor_run(path);
	if (st != 0) {
		edit_say(cli, note, 1,
			 _("the editor failed (status %d); your text is kept "
			   "in %s\n"),
			 st, out_shown(path));
		buf_free(&text);
		exit = CLI_INVALID;
		keep = 1;
		goto out;
	}
	if (file_read(path, &after, &n) < 0) {
		edit_say(cli, note, 1, _("cannot read %s\n"), out_shown(path));
		buf_free(&text);
		exit = CLI_STORE;
		keep = 1;
		goto out;
	}
	int same = n == text.len && memcmp(after, text.data, n) == 0;
	buf_free(&text);
	if (same) {
		edit_say(cli, note, 0, _("No change.\n"));
		goto out;
	}
	edited = idea_clone(idea);
	fai_err_clear(&err);
	rc = template_parse(edited, after, n, &err);
	if (rc == -FAI_ENOTHING) {
		edit_say(cli, note, 0, _("Edit cancelled (empty file).\n"));
		goto out;
	}
	buf_init(&why);
	if (rc) {
		snprintf(err.file, sizeof(err.file), "%s", path);
		exit = cli_message(cli, rc, &err, &why);
		if (note)
			edit_say(cli, note, 1, "%s:%ld: %s — %s %s",
				 out_shown(path), err.line,
				 why.data ? why.data : "",
				 _("your text is kept in"), out_shown(path));
		else
			cli_fail(cli, rc, &err);
		if (!note)
			edit_say(cli, note, 1,
				 _("your text is kept in %s; run fai edit "
				   "again and copy from it what you need\n"),
				 out_shown(path));
		keep = 1;
		buf_free(&why);
		goto out;
	}
	rc = store_idea_replace(cli->store, &cli->actor, edited,
				idea_revision(idea), NULL, &err);
	if (rc == -FAI_ENOTHING) {
		edit_say(cli, note, 0, _("No change.\n"));
	} else if (rc) {
		exit = cli_message(cli, rc, &err, &why);
		if (!note)
			cli_fail(cli, rc, &err);
		edit_say(cli, note, 1,
			 _("nothing was saved; your text is kept in %s\n"),
			 out_shown(path));
		if (note) {
			char *kept = buf_steal(note);
			buf_printf(note, "%s — %s", why.data ? why.data : "",
				   kept);
			free(kept);
		}
		keep = 1;
	} else {
		edit_say(cli, note, 0, _("Saved %s.\n"),
			 idea_get(idea, IDEA_REF));
	}
	buf_free(&why);
out:
	if (path && !keep)
		unlink(path);
	free(path);
	free(after);
	idea_free(idea);
	idea_free(edited);
	return exit;
}
