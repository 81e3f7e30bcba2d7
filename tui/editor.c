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
 * a link, anything but a regular file, or a file of another user (a kept
 * text replaced meanwhile) is not read. */
static int file_read(const char *path, char **out, size_t *n)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
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

void cli_kept_clear(struct cli_kept *k)
{
	if (!k)
		return;
	free(k->path);
	free(k->why);
	idea_free(k->base);
	memset(k, 0, sizeof(*k));
}

/* The mark of the lines a reopened text starts with (why it was refused):
 * comments to the template parser, dropped again at the next reopen. */
#define KEPT_MARK "# ! "

/* Appends one header line: the mark, then line with any line break made a
 * space, so that a refusal quoting a value can never end the comment and
 * become a line the parser reads. */
static void kept_comment(struct buf *text, const char *line)
{
	buf_adds(text, KEPT_MARK);
	for (const char *c = line; *c; c++)
		buf_addc(text, *c == '\n' || *c == '\r' ? ' ' : *c);
	buf_addc(text, '\n');
}

/* Appends to text the header of a reopened kept text (why it was refused,
 * the line at fault as it now is), then the kept text without the header
 * lines an earlier reopen put there. */
static void kept_header(struct buf *text, const struct cli_kept *from,
			const struct idea *now, const char *kept, size_t n)
{
	const char *p = kept, *end = kept + n;
	size_t ml = strlen(KEPT_MARK);
	long dropped = 0;
	int changed =
	    from->base && idea_revision(from->base) != idea_revision(now);
	while ((size_t)(end - p) >= ml && memcmp(p, KEPT_MARK, ml) == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
		dropped++;
	}
	/* The line at fault, where it is in the new file: below these
	 * header lines (two or three) rather than the dropped ones. */
	long line = from->line - dropped + 2 + changed;
	const char *why = from->why ? from->why : "";
	char *l = from->line > 0 && line > 0
		      ? xasprintf(_("Not saved (line %ld): %s"), line, why)
		      : xasprintf(_("Not saved: %s"), why);
	kept_comment(text, l);
	free(l);
	if (changed) {
		l = xasprintf(_("The idea changed since (revision %llu now): "
				"only the fields you changed are applied."),
			      (unsigned long long)idea_revision(now));
		kept_comment(text, l);
		free(l);
	}
	kept_comment(text, _("Your text as you left it: correct it, save "
			     "and quit; empty the file to cancel."));
	buf_add(text, p, (size_t)(end - p));
}

/* Gives the caller what was kept: path (stolen), why, line, and a copy of
 * the version the text was written from. */
static void kept_give(struct cli_kept *kept, char **path, const char *why,
		      long line, const struct idea *base)
{
	if (!kept)
		return;
	cli_kept_clear(kept);
	kept->path = *path;
	*path = NULL;
	kept->why = xstrdup(why ? why : "");
	kept->line = line;
	kept->base = idea_clone(base);
}

int cli_edit_in_editor(struct cli *cli, const char *ref, uint64_t expect,
		       struct buf *note)
{
	return cli_edit_kept(cli, ref, expect, NULL, note, NULL);
}

int cli_edit_kept(struct cli *cli, const char *ref, uint64_t expect,
		  const struct cli_kept *from, struct buf *note,
		  struct cli_kept *kept)
{
	struct idea *idea = NULL, *edited = NULL, *result = NULL;
	const struct idea *base = NULL;
	struct fai_err err;
	struct buf text, header, why;
	char *path = NULL, *after = NULL, *before = NULL;
	size_t n = 0, nbefore = 0;
	int exit = CLI_OK, keep = 0, rc;

	if (kept)
		kept->saved = 0;
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
	/* The version the person's text starts from: theirs when a kept
	 * text is reopened, else the one read now. */
	base = from && from->base ? from->base : idea;
	buf_init(&text);
	if (from) {
		if (file_read(from->path, &before, &nbefore) < 0) {
			edit_say(cli, note, 1, _("cannot read %s\n"),
				 out_shown(from->path));
			buf_free(&text);
			exit = CLI_STORE;
			goto out;
		}
		kept_header(&text, from, idea, before, nbefore);
	} else {
		buf_init(&header);
		buf_printf(&header,
			   _("# Editing %s (revision %llu). Lines starting "
			     "with '#' are ignored.\n"
			     "# Change the values after the colons; "
			     "continuation lines start with two spaces.\n"
			     "# Save and quit to apply; empty the file to "
			     "cancel.\n"),
			   idea_get(idea, IDEA_REF),
			   (unsigned long long)idea_revision(idea));
		template_render(&text, idea, header.data, cli_template_names());
		buf_free(&header);
	}
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
	/* A reopened text saved as it was is still the person's change. */
	int same = !from && n == text.len && memcmp(after, text.data, n) == 0;
	buf_free(&text);
	if (same) {
		edit_say(cli, note, 0, _("No change.\n"));
		goto out;
	}
	edited = idea_clone(base);
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
		kept_give(kept, &path, why.data, err.line, base);
		buf_free(&why);
		goto out;
	}
	if (base != idea) {
		/* Three-way: only what the person changed from their version
		 * goes over the current one. */
		result = idea_clone(idea);
		for (int f = 0; f < IDEA_FIELD_COUNT; f++)
			if (strcmp(idea_get(edited, f), idea_get(base, f)) != 0)
				idea_set_raw(result, f, idea_get(edited, f));
	}
	rc = store_idea_replace(cli->store, &cli->actor,
				result ? result : edited, idea_revision(idea),
				NULL, &err);
	if (rc == -FAI_ENOTHING) {
		edit_say(cli, note, 0, _("No change.\n"));
		if (kept)
			kept->saved = 1; /* nothing left to come back to */
	} else if (rc) {
		exit = cli_message(cli, rc, &err, &why);
		if (!note)
			cli_fail(cli, rc, &err);
		edit_say(cli, note, 1,
			 _("nothing was saved; your text is kept in %s\n"),
			 out_shown(path));
		if (note) {
			char *kept_msg = buf_steal(note);
			buf_printf(note, "%s — %s", why.data ? why.data : "",
				   kept_msg);
			free(kept_msg);
		}
		keep = 1;
		kept_give(kept, &path, why.data, 0, base);
	} else {
		edit_say(cli, note, 0, _("Saved %s.\n"),
			 idea_get(idea, IDEA_REF));
		if (kept)
			kept->saved = 1;
	}
	buf_free(&why);
out:
	if (path && !keep)
		unlink(path);
	free(path);
	free(after);
	free(before);
	idea_free(idea);
	idea_free(edited);
	idea_free(result);
	return exit;
}
