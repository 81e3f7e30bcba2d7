/* cli.c - the commands of `fai`: init, demo, add, list, show, edit, move,
 * comment, log, undo, config, check.
 *
 * Each command parses its options, calls the store once per action, prints
 * its result and returns an exit code (enum cli_exit).  Errors come back from
 * the lower layers as a code and a struct fai_err; cli_fail turns them into
 * one translated sentence.  Nothing read from the store is printed raw: see
 * out.c. */
#include "cli.h"

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

/* ------------------------------------------------------------ set-up */

/* Creates every missing directory of path (mkdir -p). */
static int mkdir_parents(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; *s && !rc; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	free(p);
	return rc;
}

/* The user name recorded in the log, from the password database or $USER:
 * display-safe (invalid UTF-8, control characters and bidi controls made
 * visible), cut to size at a character boundary. */
static void cli_user_name(char *dst, size_t size, const char *user)
{
	struct buf b;
	buf_init(&b);
	utf8_safe(&b, user, strlen(user), UTF8_SAFE_ONELINE);
	size_t n = b.len;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
			n--; /* not inside a character */
	}
	memcpy(dst, b.data, n);
	dst[n] = '\0';
	buf_free(&b);
}

/* The SSH client recorded in the log: the first word of SSH_CONNECTION
 * ("203.0.113.7 51234 10.0.0.1 22") when it looks like an IPv4 or IPv6
 * address (hex digits, '.', ':', '%' for a zone, at most 63 bytes), else
 * nothing: the variable is the environment's, not sshd's, once a shell
 * runs. */
static void cli_ssh_client(char *dst, size_t size, const char *ssh)
{
	size_t n = ssh ? strcspn(ssh, " ") : 0;
	dst[0] = '\0';
	if (n == 0 || n >= size || n > 63 ||
	    strspn(ssh, "0123456789abcdefABCDEF.:%") != n)
		return;
	memcpy(dst, ssh, n);
	dst[n] = '\0';
}

void cli_init(struct cli *cli, const char *db)
{
	static char path[4096];
	memset(cli, 0, sizeof(*cli));
	cli->out = stdout;
	if (!db || !*db)
		db = getenv("FAI_DB");
	if (!db || !*db) {
		const char *xdg = getenv("XDG_DATA_HOME");
		const char *home = getenv("HOME");
		if (xdg && *xdg == '/')
			snprintf(path, sizeof(path), "%s/fai", xdg);
		else
			snprintf(path, sizeof(path), "%s/.local/share/fai",
				 home && *home ? home : ".");
		db = path;
	}
	cli->db = db;

	struct passwd *pw = getpwuid(geteuid());
	const char *user = pw ? pw->pw_name : getenv("USER");
	if (user && *user)
		cli_user_name(cli->user, sizeof(cli->user), user);
	else
		snprintf(cli->user, sizeof(cli->user), "uid%u",
			 (unsigned)geteuid());
	cli_ssh_client(cli->client, sizeof(cli->client),
		       getenv("SSH_CONNECTION"));
	cli->actor.user = cli->user;
	cli->actor.client = cli->client[0] ? cli->client : NULL;
	cli->actor.now = (int64_t)time(NULL);
	const char *now = getenv("FAI_NOW");
	int64_t t;
	if (now && *now) {
		if (isotime_parse(now, &t) == 0 && isotime_check_range(t) == 0) {
			cli->actor.now = t;
		} else {
			struct buf safe;
			buf_init(&safe);
			utf8_safe(&safe, now, strnlen(now, 256),
				  UTF8_SAFE_ONELINE);
			fprintf(stderr, _("fai: FAI_NOW \"%s\" is ignored: not an ISO time in the years 1900 to 2100; the clock is used\n"),
				safe.data);
			buf_free(&safe);
		}
	}
}

void cli_close(struct cli *cli)
{
	store_close(cli->store);
	cli->store = NULL;
}

/* ------------------------------------------------------------ errors */

static int exit_code(int rc)
{
	switch (-rc) {
	case FAI_OK:
		return CLI_OK;
	case FAI_EUSAGE:
		return CLI_USAGE;
	case FAI_EINVAL: /* also a file fai refuses to write: a link, a
			    directory, a file inside a store */
	case FAI_ERULE:
	case FAI_EGATE:
	case FAI_EEXIST:
	case FAI_ENOTHING:
	case FAI_ETOOBIG:
		return CLI_INVALID;
	case FAI_ECONFLICT:
		return CLI_CONFLICT;
	case FAI_ENOTFOUND:
		return CLI_NOTFOUND;
	case FAI_ENOSPACE: /* the disk, like the store: 5 */
	default:
		return CLI_STORE;
	}
}

/* Prints "file:line: " when replaying or when err names a file. */
static void where(struct cli *cli, const struct fai_err *err)
{
	if (err && err->file[0] && err->line)
		fprintf(stderr, "%s:%ld: ", out_shown(err->file), err->line);
	else if (err && err->file[0])
		fprintf(stderr, "%s: ", out_shown(err->file));
	else if (cli->file)
		fprintf(stderr, "%s:%ld: ", out_shown(cli->file), cli->line);
}

/* Appends the missing field codes of a gate as translated labels. */
static void print_missing(struct buf *msg, const char *codes)
{
	char *copy = xstrdup(codes), *save = NULL;
	int first = 1;
	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		int f = idea_field_parse(w);
		buf_printf(msg, "%s%s", first ? "" : ", ",
			f >= 0 ? out_field_label(f) : w);
		first = 0;
	}
	free(copy);
}

/* The sentences of -FAI_ESTORE: what happened to the store, and the way
 * out.  value is err->value, display-safe. */
static void store_message(struct cli *cli, const struct fai_err *err,
			  const char *value, struct buf *msg)
{
	const char *detail = err->detail;
	const char *db = out_shown(cli->db);
	switch (err->why) {
	case FAI_WHY_DAMAGED:
		if (value[0] && strcmp(err->field, "ideas") == 0)
			buf_printf(msg,
				_("the store at %s is damaged: the idea %s fails "
				  "its check, so fai does not use it"),
				db, value);
		else if (value[0] && (strcmp(err->field, "log") == 0 ||
				      strcmp(err->field, "log_idea") == 0))
			buf_printf(msg,
				_("the store at %s is damaged: the log entry %s "
				  "fails its check, so fai does not use it"),
				db, value);
		else if (value[0] && strcmp(err->field, "meta") == 0)
			buf_printf(msg,
				_("the store at %s is damaged: its value '%s' "
				  "fails its check, so fai does not use it"),
				db, value);
		else if (err->field[0] && strcmp(err->field, "file") != 0)
			buf_printf(msg,
				_("the store at %s is damaged: its index '%s' "
				  "does not match the ideas"),
				db, err->field);
		else
			buf_printf(msg,
				_("the store at %s is damaged: %s"),
				db, detail[0] ? detail : _("it cannot be read"));
		buf_adds(msg, _(". Nothing was changed. See what is damaged with "
				"fai check, and restore the last backup with fai "
				"restore (fai(1), DAMAGED STORE)"));
		break;
	case FAI_WHY_TRUNCATED:
		buf_printf(msg,
			_("the store at %s is damaged: its file %s is shorter "
			  "than it says it is (cut, or emptied). Nothing was "
			  "changed. Restore the last backup with fai restore "
			  "(fai(1), DAMAGED STORE)"),
			db, value);
		break;
	case FAI_WHY_NOT_FILE:
		buf_printf(msg,
			_("the store at %s is damaged: %s is not a regular "
			  "file. Restore the last backup with fai restore "
			  "(fai(1), DAMAGED STORE)"),
			db, value);
		break;
	case FAI_WHY_LOCK_CHANGED:
		buf_printf(msg,
			_("the store's file %s/%s was deleted or replaced while "
			  "fai was using it (a careless rm, or a restore by "
			  "copy): nothing was written. Close every fai using "
			  "this store, boards included, then start again "
			  "(fai(1), LOCK FILE)"),
			db, err->field);
		break;
	case FAI_WHY_LOCK_FOREIGN:
		buf_printf(msg,
			_("the store at %s is in use by fai processes whose "
			  "lock file %s/lock.mdb was deleted or replaced: "
			  "writing now could lose their work, so nothing was "
			  "done. Close every board and script using this store, "
			  "then retry (fai(1), LOCK FILE)"),
			db, db);
		break;
	case FAI_WHY_RESTORING:
		buf_printf(msg,
			_("the store at %s is being restored from a backup; "
			  "retry in a moment"),
			db);
		break;
	case FAI_WHY_IN_USE:
		buf_printf(msg,
			_("cannot restore the store at %s while fai processes "
			  "use it: close every board and script using it "
			  "first"),
			db);
		break;
	default:
		buf_printf(msg, "%s", _(fai_strerror(FAI_ESTORE)));
		if (value[0])
			buf_printf(msg, ": %s", value);
		if (detail[0])
			buf_printf(msg, " (%s)", detail);
		break;
	}
}

/* Translated words for what a path is, from outfile's detail. */
static const char *file_kind(const char *kind)
{
	if (strcmp(kind, "directory") == 0)
		return _("a directory");
	if (strcmp(kind, "socket") == 0)
		return _("a socket");
	if (strcmp(kind, "block-device") == 0)
		return _("a block device");
	if (strcmp(kind, "fifo") == 0)
		return _("a pipe");
	if (strcmp(kind, "char-device") == 0)
		return _("a device");
	return _("something else");
}

/* The sentence for an error about a file fai reads or writes (field
 * "file"); returns 0 when it has none for this code and reason.  path is
 * already display-safe. */
static int file_message(int code, const struct fai_err *err, const char *path,
			struct buf *msg)
{
	const char *detail = err->detail;
	switch (code) {
	case FAI_EINVAL:
		if (err->why == FAI_WHY_SYMLINK)
			buf_printf(msg, _("refusing to write %s: it is a symbolic link, and fai never writes through a link (remove it, or choose another name)"),
				   path);
		else if (err->why == FAI_WHY_IN_STORE)
			buf_printf(msg, _("refusing to write %s: it is inside the store directory %s (choose another directory)"),
				   path, out_shown(detail));
		else if (err->why == FAI_WHY_NOT_FILE)
			buf_printf(msg, _("refusing to write %s: it is %s, not a regular file"),
				   path, file_kind(detail));
		else
			return 0;
		return 1;
	case FAI_EPERM:
		if (err->why == FAI_WHY_NOT_OWNER)
			buf_printf(msg, _("cannot replace %s: it belongs to another user, in a directory where only a file's owner may replace it (sticky); choose another name"),
				   path);
		else if (err->why == FAI_WHY_NONE)
			buf_printf(msg, _("cannot write %s: %s"), path,
				   out_shown(detail));
		else
			return 0;
		return 1;
	case FAI_ENOSPACE:
		buf_printf(msg, _("no space left on the device to write %s; it is as it was (free some space and try again)"),
			   path);
		return 1;
	case FAI_EIO:
		/* reading or writing: "PATH: what the system said" */
		buf_printf(msg, "%s: %s", path,
			   detail[0] ? out_shown(detail) : _(fai_strerror(code)));
		return 1;
	}
	return 0;
}

int cli_message(struct cli *cli, int rc, const struct fai_err *err,
		struct buf *msg)
{
	int code = -rc;
	const char *field = err ? err->field : "";
	const char *value = err ? err->value : "";
	const char *detail = err ? err->detail : "";
	struct buf safe, safe_field;
	long col1 = 0, col2 = 0;

	/* Field and value may come from a file (a column's name, a cell):
	 * shown, never obeyed. */
	buf_init(&safe);
	utf8_safe(&safe, value, strlen(value), UTF8_SAFE_ONELINE);
	value = safe.data ? safe.data : "";
	buf_init(&safe_field);
	utf8_safe(&safe_field, field, strlen(field), UTF8_SAFE_ONELINE);
	const char *shown_field = safe_field.data ? safe_field.data : "";
	if (err && err->why == FAI_WHY_SYNC_FAILED) {
		buf_printf(msg,
			   _("the change was made in the store at %s, but the disk reported an error while saving it (%s): do not repeat it; it may not survive a power cut, so check the disk, then run fai check"),
			   out_shown(cli->db), out_shown(detail));
		goto out;
	}
	if (strcmp(field, "file") == 0 && file_message(code, err, value, msg))
		goto out;
	switch (code) {
	case FAI_EINVAL:
		if (strcmp(field, "header") == 0)
			sscanf(detail, "%ld %ld", &col1, &col2);
		if (strcmp(field, "header") == 0 && err->why == FAI_WHY_REQUIRED)
			buf_printf(msg, _("the header lacks required columns: %s"),
				   detail);
		else if (strcmp(field, "header") == 0 &&
			 err->why == FAI_WHY_HEADER_NAME)
			buf_printf(msg, _("bad header: column %ld \"%s\" is not a valid column name (at most %d bytes of text without control characters, tabs or line breaks; a column fai does not know needs a name)"),
				   col1, value, IMPORT_NAME_MAX);
		else if (strcmp(field, "header") == 0 &&
			 err->why == FAI_WHY_DUP_COLUMN)
			buf_printf(msg, _("bad header: columns %ld and %ld are the same column \"%s\" (case, accents, spaces and dashes aside)"),
				   col1, col2, value);
		else if (strcmp(field, "header") == 0 &&
			 err->why == FAI_WHY_TOO_MANY_COLUMNS &&
			 sscanf(detail, "store %ld", &col2) == 1)
			buf_printf(msg, _("too many columns: with this file's, the store would keep %ld columns fai does not know, at most %d"),
				   col2, IMPORT_COLUMNS_MAX);
		else if (strcmp(field, "header") == 0 &&
			 err->why == FAI_WHY_TOO_MANY_COLUMNS)
			buf_printf(msg, _("bad header: %ld columns; a file may have at most %d columns fai does not know, besides the format's"),
				   col1, IMPORT_COLUMNS_MAX);
		else if (strcmp(field, "header") == 0)
			buf_printf(msg, _("bad header column \"%s\": %s"), value,
				   detail);
		else if (field[0])
			buf_printf(msg, _("invalid %s \"%s\": %s"), shown_field,
				value, _(fai_why_text(err->why)));
		else
			buf_printf(msg, "%s: %s", _(fai_strerror(code)),
				_(fai_why_text(err ? err->why : 0)));
		break;
	case FAI_ERULE:
		buf_printf(msg, _("cannot move to %s: %s"),
			out_stage_label(stage_parse(value)),
			_(fai_why_text(err->why)));
		break;
	case FAI_EGATE:
		buf_printf(msg, _("cannot move to %s: missing "),
			out_stage_label(stage_parse(value)));
		print_missing(msg, detail);
		if (!cli->board)
			buf_adds(msg, _(" (fill them in with fai edit, or pass the gate with "
					"--force)"));
		break;
	case FAI_ECONFLICT: {
		unsigned long long had = 0, now = 0;
		char who[64] = "";
		sscanf(detail, "%llu %llu %63s", &had, &now, who);
		buf_printf(msg,
			_("%s was changed by %s in the meantime (revision %llu, "
			  "you had %llu); look again with fai show %s and "
			  "retry"),
			value, who, now, had, value);
		break;
	}
	case FAI_ENOTFOUND:
		if (strcmp(field, "file") == 0)
			buf_printf(msg, _("no file %s"), value);
		else if (strcmp(field, "group") == 0)
			buf_printf(msg, _("no Unix group '%s'"), value);
		else
			buf_printf(msg, _("no idea %s"), value);
		break;
	case FAI_ENOSTORE:
		buf_printf(msg,
			_("no store at %s; create one with fai init --region "
			  "CODE, or try fai demo"),
			value);
		break;
	case FAI_EEXIST:
		if (field[0])
			buf_printf(msg, _("%s %s already exists"), field, value);
		else
			buf_printf(msg, _("a store already exists at %s"),
				value);
		break;
	case FAI_ESCHEMA:
		if (err->why == FAI_WHY_OLD_SCHEMA && strcmp(value, "backup") == 0)
			buf_printf(msg,
				_("%s is a backup made by an older fai (schema "
				  "%s): restore it with fai restore to use it"),
				out_shown(cli->db), detail);
		else if (err->why == FAI_WHY_OLD_SCHEMA)
			buf_printf(msg,
				_("the store at %s was written by an older fai "
				  "(schema %s): open it once without "
				  "--read-only to upgrade it (a copy of it is "
				  "kept in its directory first)"),
				out_shown(cli->db), detail);
		else
			buf_printf(msg,
				_("the store at %s was written by a newer fai "
				  "(schema %s); upgrade fai to use it"),
				out_shown(cli->db), detail);
		break;
	case FAI_ENOSPACE:
		buf_printf(msg,
			_("no space left on the device for %s: nothing was "
			  "written; free some space and retry"),
			value[0] ? value : out_shown(cli->db));
		break;
	case FAI_ESTORE:
		store_message(cli, err, value, msg);
		break;
	case FAI_EPERM:
		if (err->why == FAI_WHY_WORLD_WRITABLE)
			buf_printf(msg, _("refusing the store at %s: its directory is writable by every user, so anyone could change or break it; fix it with: %s"),
				   value, detail);
		else if (err->why == FAI_WHY_NO_ACCESS)
			buf_printf(msg, _("you may not use the store at %s: it is shared by the Unix group '%s' and you are not in it; ask an administrator (usermod -aG %s %s), then log in again"),
				   out_shown(detail), value, value, cli->user);
		else if (err->why == FAI_WHY_READONLY)
			buf_printf(msg, _("read-only: the store at %s is open for reading only; nothing was changed"),
				   out_shown(cli->db));
		else if (err->why == FAI_WHY_DATA_WRITABLE)
			buf_printf(msg, _("refusing the store at %s: its file %s is writable by every user, so anyone could change or break it; fix it with: %s"),
				   out_shown(cli->db), value, out_shown(detail));
		else
			buf_printf(msg, _("permission refused: %s (%s)"), value,
				   detail[0] ? detail : _(fai_why_text(err->why)));
		break;
	default:
		buf_printf(msg, "%s", _(fai_strerror(code)));
		if (value[0])
			buf_printf(msg, ": %s", value);
		if (detail[0])
			buf_printf(msg, " (%s)", detail);
		break;
	}
out:
	buf_free(&safe);
	buf_free(&safe_field);
	return exit_code(rc);
}

int cli_fail(struct cli *cli, int rc, const struct fai_err *err)
{
	struct buf msg;
	buf_init(&msg);
	int exit = cli_message(cli, rc, err, &msg);
	fputs("fai: ", stderr);
	where(cli, err);
	fprintf(stderr, "%s\n", msg.data ? msg.data : "");
	buf_free(&msg);
	return exit;
}

/* Prints a usage error for a command and returns CLI_USAGE.  what may
 * quote an argument as typed: it is printed display-safe. */
int cli_usage_error(struct cli *cli, const char *cmd, const char *what)
{
	fputs("fai: ", stderr);
	where(cli, NULL);
	fprintf(stderr, "%s: ", cmd);
	out_safe(stderr, what, UTF8_SAFE_ONELINE);
	fputc('\n', stderr);
	fprintf(stderr, _("Try 'fai %s --help'.\n"), cmd);
	return CLI_USAGE;
}

int cli_store_open(struct cli *cli)
{
	struct fai_err err;
	if (cli->store)
		return 0;
	fai_err_clear(&err);
	int rc = store_open(&cli->store, cli->db,
			    cli->readonly ? STORE_READONLY : 0, NULL, 0, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	return 0;
}

/* The per-user settings file: $XDG_CONFIG_HOME/fai/config or
 * ~/.config/fai/config, lines "key = value". */
static char *user_config_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg == '/')
		return xasprintf("%s/fai/config", xdg);
	return xasprintf("%s/.config/fai/config", home && *home ? home : ".");
}

/* Returns the value of key in the user's settings (heap), or NULL. */
static char *user_config_get(const char *key)
{
	char *path = user_config_path(), line[512], *found = NULL;
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');
		if (!eq || line[0] == '#')
			continue;
		char *k = line, *v = eq + 1, *e = eq;
		while (e > k && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\r\n")] = '\0';
		if (strcmp(k, key) == 0)
			found = xstrdup(v);
	}
	fclose(f);
	return found;
}

/* Sets key in the user's settings, keeping the other lines.  The file is
 * replaced whole (outfile: never through a link, never half written).
 * Returns 0 or a negative error with err filled. */
static int user_config_set(const char *key, const char *value,
			   struct fai_err *err)
{
	char *path = user_config_path(), line[512];
	struct outfile *o = NULL;
	struct buf out;
	int done = 0, rc;
	buf_init(&out);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		size_t kl = strlen(key);
		if (strncmp(line, key, kl) == 0 &&
		    strchr(" \t=", line[kl])) {
			if (!done)
				buf_printf(&out, "%s = %s\n", key, value);
			done = 1;
			continue;
		}
		buf_adds(&out, line);
	}
	if (f)
		fclose(f);
	if (!done)
		buf_printf(&out, "%s = %s\n", key, value);
	mkdir_parents(path);
	rc = outfile_open(&o, path, OUTFILE_REGULAR, err);
	if (!rc) {
		fwrite(out.data, 1, out.len, outfile_stream(o));
		rc = outfile_commit(o, err);
	}
	free(path);
	buf_free(&out);
	return rc;
}

int cli_user_readonly(void)
{
	char *v = user_config_get("read-only");
	int ro = v && (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
		       strcmp(v, "1") == 0 || strcmp(v, "oui") == 0);
	free(v);
	return ro;
}

/* ------------------------------------------------------------ options */

int cli_arg_number(struct cli *cli, const char *cmd, const char *opt,
		   const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	struct fai_err err;
	char msg[768];
	fai_err_clear(&err);
	if (validate_number(arg, min, max, out, &err) == 0)
		return 0;
	if (err.why != FAI_WHY_NUMBER_RANGE)
		snprintf(msg, sizeof(msg),
			 _("%s wants a whole number, not \"%s\""), opt,
			 err.value);
	else if (strcmp(err.detail, "below") == 0)
		snprintf(msg, sizeof(msg),
			 _("%s \"%s\": the number is too small (at least %llu)"),
			 opt, err.value, (unsigned long long)min);
	else
		snprintf(msg, sizeof(msg), _("%s \"%s\": %s (at most %llu)"),
			 opt, err.value, _(fai_why_text(err.why)),
			 (unsigned long long)max);
	return cli_usage_error(cli, cmd, msg);
}

int cli_arg_time(struct cli *cli, const char *cmd, const char *opt,
		 const char *arg, int64_t *out)
{
	char msg[768];
	int64_t t;
	if (isotime_parse(arg, &t) < 0) {
		snprintf(msg, sizeof(msg),
			 _("%s wants a date such as 2026-11-01, not \"%.256s\""),
			 opt, arg);
		return cli_usage_error(cli, cmd, msg);
	}
	if (isotime_check_range(t) < 0)
		return cli_arg_refused(cli, cmd, opt, arg, FAI_WHY_DATE_RANGE);
	*out = t;
	return 0;
}

int cli_arg_refused(struct cli *cli, const char *cmd, const char *opt,
		    const char *arg, int why)
{
	char msg[768];
	snprintf(msg, sizeof(msg), _("%s \"%.256s\": %s"), opt, arg,
		 _(fai_why_text(why)));
	return cli_usage_error(cli, cmd, msg);
}

/* Long options shared by add and the filters of list. */
enum {
	OPT_FIELD = 1000, /* + enum idea_field */
	OPT_SET = 2000,
	OPT_TAG,
	OPT_PARTNER,
	OPT_FORMAT,
	OPT_STAGE,
	OPT_SEARCH,
	OPT_STALE,
	OPT_REASON,
	OPT_EXPECT,
	OPT_FORCE,
	OPT_SINCE,
	OPT_REGION_INIT,
	OPT_HELP,
	OPT_LIMIT,
	OPT_SHARED,
	OPT_USER,
};

static const struct option field_options[] = {
	{"title", required_argument, NULL, OPT_FIELD + IDEA_TITLE},
	{"need", required_argument, NULL, OPT_FIELD + IDEA_NEED},
	{"concept", required_argument, NULL, OPT_FIELD + IDEA_CONCEPT},
	{"region", required_argument, NULL, OPT_FIELD + IDEA_REGION},
	{"territory", required_argument, NULL, OPT_FIELD + IDEA_TERRITORY},
	{"theme", required_argument, NULL, OPT_FIELD + IDEA_THEME},
	{"tag", required_argument, NULL, OPT_TAG},
	{"source", required_argument, NULL, OPT_FIELD + IDEA_SOURCE},
	{"partner", required_argument, NULL, OPT_PARTNER},
	{"facilitator", required_argument, NULL, OPT_FIELD + IDEA_FACILITATOR},
	{"owner", required_argument, NULL, OPT_FIELD + IDEA_OWNER},
	{"structure", required_argument, NULL, OPT_FIELD + IDEA_STRUCTURE},
	{"legal-form", required_argument, NULL, OPT_FIELD + IDEA_LEGAL_FORM},
	{"siret", required_argument, NULL, OPT_FIELD + IDEA_SIRET},
	{"launch-date", required_argument, NULL, OPT_FIELD + IDEA_LAUNCH_DATE},
	{"jobs", required_argument, NULL, OPT_FIELD + IDEA_JOBS},
	{"set", required_argument, NULL, OPT_SET},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

/* Splits "field=value" of --set; returns the field or -1. */
static int split_set(char *arg, const char **value)
{
	char *eq = strchr(arg, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	*value = eq + 1;
	int f = idea_field_parse(arg);
	*eq = '=';
	return f;
}

/* Handles an unknown option or a missing argument from getopt_long. */
int cli_bad_option(struct cli *cli, const char *cmd, char **argv)
{
	char msg[256];
	snprintf(msg, sizeof(msg), _("unknown option or missing value: %s"),
		 argv[optind - 1]);
	return cli_usage_error(cli, cmd, msg);
}

/* ------------------------------------------------------------ help */

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *synopsis;
	const char *summary;
};

static const struct command *command_find(const char *name);

int cli_help_for(const char *name)
{
	const struct command *c = command_find(name);
	if (!c)
		return CLI_USAGE;
	printf(_("Usage: fai [--db PATH] %s\n"), _(c->synopsis));
	printf("%s\n", _(c->summary));
	return CLI_OK;
}

/* ------------------------------------------------------------ init */

static int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, OPT_REGION_INIT},
		{"shared", required_argument, NULL, OPT_SHARED},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *region = NULL, *group = NULL;
	struct fai_err err;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_REGION_INIT)
			region = optarg;
		else if (c == OPT_SHARED)
			group = optarg;
		else if (c == OPT_HELP)
			return cli_help_for("init");
		else
			return cli_bad_option(cli, "init", argv);
	}
	if (optind < argc)
		return cli_usage_error(cli, "init", _("too many arguments"));
	fai_err_clear(&err);
	if (region && validate_region(region, &err) < 0)
		return cli_fail(cli, -FAI_EINVAL, &err);
	mkdir_parents(cli->db);
	if (group && store_exists(cli->db))
		return cli_fail(cli, fai_err_set(&err, FAI_EEXIST, FAI_WHY_NONE,
						 NULL, cli->db),
				&err);
	int rc = group ? store_share(cli->db, group, &err) : 0;
	if (!rc)
		rc = store_open(&cli->store, cli->db, STORE_CREATE | STORE_EXCL,
				region, 0, &err);
	if (!rc && group)
		rc = store_share(cli->db, group, &err);
	if (rc == -FAI_ENOTFOUND)
		fprintf(stderr, _("fai: no Unix group '%s' (create it with: groupadd %s)\n"),
			out_shown(group), out_shown(group));
	if (rc == -FAI_ENOTFOUND)
		return CLI_NOTFOUND;
	if (rc)
		return cli_fail(cli, rc, &err);
	if (group)
		fprintf(cli->out, _("Shared with the Unix group '%s': directory 2770 (setgid), files 0660.\n"),
			group);
	if (region)
		fprintf(cli->out, _("Created an empty store at %s (region %s, %s).\n"),
			out_shown(cli->db), region, validate_region_name(region));
	else
		fprintf(cli->out, _("Created an empty store at %s.\n"),
			out_shown(cli->db));
	return CLI_OK;
}

/* ------------------------------------------------------------ add */

static int cmd_add(struct cli *cli, int argc, char **argv)
{
	struct idea *idea = idea_new();
	struct fai_err err;
	int c, rc = 0, exit = CLI_OK;
	char *region = NULL;

	fai_err_clear(&err);
	while (!rc && (c = getopt_long(argc, argv, "", field_options, NULL)) != -1) {
		const char *value = optarg;
		int f;
		if (c == OPT_HELP) {
			exit = cli_help_for("add");
			goto out;
		} else if (c == OPT_TAG || c == OPT_PARTNER) {
			rc = idea_list_add(idea,
					   c == OPT_TAG ? IDEA_TAGS : IDEA_PARTNERS,
					   value, &err);
		} else if (c == OPT_SET) {
			f = split_set(optarg, &value);
			if (f < 0) {
				exit = cli_usage_error(cli, "add",
						   _("--set wants FIELD=VALUE with a known field"));
				goto out;
			}
			rc = idea_set(idea, f, value, 0, &err);
		} else if (c >= OPT_FIELD && c < OPT_FIELD + IDEA_FIELD_COUNT) {
			rc = idea_set(idea, c - OPT_FIELD, value, 0, &err);
		} else {
			exit = cli_bad_option(cli, "add", argv);
			goto out;
		}
	}
	if (rc) {
		exit = cli_fail(cli, rc, &err);
		goto out;
	}
	if (optind < argc) {
		exit = cli_usage_error(cli, "add", _("unexpected argument (values go after options such as --title)"));
		goto out;
	}
	exit = cli_store_open(cli);
	if (exit)
		goto out;
	if (!idea_get(idea, IDEA_REGION)[0]) {
		/* The store's own region is the default. */
		store_meta_get(cli->store, "region", &region, NULL);
		if (region)
			idea_set_raw(idea, IDEA_REGION, region);
	}
	if (!idea_get(idea, IDEA_TITLE)[0] || !idea_get(idea, IDEA_REGION)[0]) {
		exit = cli_usage_error(cli, "add",
				   !idea_get(idea, IDEA_TITLE)[0]
					   ? _("--title is required")
					   : _("--region is required (this store has no default region)"));
		goto out;
	}
	rc = store_idea_create(cli->store, &cli->actor, idea, &err);
	if (rc) {
		exit = cli_fail(cli, rc, &err);
		goto out;
	}
	fprintf(cli->out, "%s\n", idea_get(idea, IDEA_REF));
out:
	free(region);
	idea_free(idea);
	return exit;
}

/* ------------------------------------------------------------ list */

enum list_format { FORMAT_TABLE, FORMAT_TSV, FORMAT_JSON, FORMAT_TEXT };

struct list_filter {
	enum stage stage;
	const char *region, *theme, *tag, *facilitator, *search;
	long stale_days; /* -1: no stale filter */
	int64_t now;
};

/* Returns 1 when an idea at a working stage saw no change for days. */
static int idea_stale(const struct idea *idea, int64_t now, long days)
{
	enum stage st = idea_stage(idea);
	if (st != STAGE_NEED && st != STAGE_CONCEPT && st != STAGE_OWNER_SEARCH)
		return 0;
	int64_t last = idea_time(idea, IDEA_UPDATED_AT, now);
	return isotime_days(last, now) >= days;
}

/* Returns 1 when the list of a field holds item (folded comparison). */
static int list_has(const char *list, const char *item)
{
	struct buf a, b;
	int found = 0;
	char *copy = xstrdup(list), *save = NULL;
	buf_init(&a);
	buf_init(&b);
	utf8_fold(&b, item);
	for (char *w = strtok_r(copy, ";", &save); w && !found;
	     w = strtok_r(NULL, ";", &save)) {
		while (*w == ' ')
			w++;
		buf_reset(&a);
		utf8_fold(&a, w);
		found = a.data && b.data && strcmp(a.data, b.data) == 0;
	}
	free(copy);
	buf_free(&a);
	buf_free(&b);
	return found;
}

static int field_is(const struct idea *idea, enum idea_field f, const char *v)
{
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	utf8_fold(&a, idea_get(idea, f));
	utf8_fold(&b, v);
	int same = strcmp(a.data ? a.data : "", b.data ? b.data : "") == 0;
	buf_free(&a);
	buf_free(&b);
	return same;
}

static int filter_match(const struct list_filter *lf, const struct idea *idea)
{
	if (lf->stage != STAGE_NONE && idea_stage(idea) != lf->stage)
		return 0;
	if (lf->region && strcmp(idea_get(idea, IDEA_REGION), lf->region))
		return 0;
	if (lf->theme && !field_is(idea, IDEA_THEME, lf->theme))
		return 0;
	if (lf->facilitator && !utf8_search(idea_get(idea, IDEA_FACILITATOR),
					    lf->facilitator))
		return 0;
	if (lf->tag && !list_has(idea_get(idea, IDEA_TAGS), lf->tag))
		return 0;
	if (lf->search && !idea_matches(idea, lf->search))
		return 0;
	if (lf->stale_days >= 0 && !idea_stale(idea, lf->now, lf->stale_days))
		return 0;
	return 1;
}

/* The filter options list and export share (handled by filter_option). */
#define FILTER_OPTIONS                                                        \
	{"stage", required_argument, NULL, OPT_STAGE},                        \
	{"region", required_argument, NULL, OPT_FIELD + IDEA_REGION},         \
	{"theme", required_argument, NULL, OPT_FIELD + IDEA_THEME},           \
	{"tag", required_argument, NULL, OPT_TAG},                            \
	{"facilitator", required_argument, NULL, OPT_FIELD + IDEA_FACILITATOR}, \
	{"search", required_argument, NULL, OPT_SEARCH},                      \
	{"stale", required_argument, NULL, OPT_STALE},

/* Starts a filter that keeps every idea. */
static void filter_init(struct list_filter *lf, int64_t now)
{
	memset(lf, 0, sizeof(*lf));
	lf->stage = STAGE_NONE;
	lf->stale_days = -1;
	lf->now = now;
}

/* Applies one of the filter options shared by list and export; returns
 * 0 when it was one, 1 when c is no filter option, or a usage exit code
 * (negated) on a bad value. */
static int filter_option(struct cli *cli, const char *cmd, int c,
			 const char *arg, struct list_filter *lf);

struct list_run {
	struct list_filter f;
	struct idea **ideas;
	size_t n;
};

static int list_collect(const struct idea *idea, void *arg)
{
	struct list_run *r = arg;
	if (!filter_match(&r->f, idea))
		return 0;
	r->ideas = xrealloc(r->ideas, (r->n + 1) * sizeof(*r->ideas));
	r->ideas[r->n++] = idea_clone(idea);
	return 0;
}

/* Days an idea has spent in its stage. */
static long days_in_stage(const struct idea *idea, int64_t now)
{
	int64_t since = idea_time(idea, IDEA_STAGE_SINCE, now);
	return (long)isotime_days(since, now);
}

static void list_table(struct cli *cli, struct list_run *r)
{
	size_t width = out_term_width();
	size_t wref = 7, wstage = 0, wterr = 9, wfac = 14, wdays = 4;
	struct buf line;
	buf_init(&line);

	for (size_t i = 0; i < r->n; i++) {
		size_t w = utf8_width(idea_get(r->ideas[i], IDEA_REF));
		if (w > wref)
			wref = w;
	}
	for (int s = 0; s < STAGE_COUNT; s++) {
		size_t w = utf8_width(out_stage_short(s));
		if (w > wstage)
			wstage = w;
	}
	/* A column is never narrower than its (translated) header:
	 * "TERRITOIRE", "JOURS" must not be cut. */
	size_t *wcol[] = {&wref, &wstage, &wterr, &wfac, &wdays};
	const char *head[] = {_("REF"), _("STAGE"), _("TERRITORY"),
			      _("FACILITATOR"), _("DAYS")};
	for (size_t k = 0; k < sizeof(wcol) / sizeof(wcol[0]); k++)
		if (utf8_width(head[k]) > *wcol[k])
			*wcol[k] = utf8_width(head[k]);
	/* Drop columns rather than squeeze the title below 16 cells. */
	size_t fixed = wref + 1 + wstage + 1 + wdays + 1;
	int show_terr = width >= fixed + wterr + 1 + 16;
	if (show_terr)
		fixed += wterr + 1;
	int show_fac = width >= fixed + wfac + 1 + 16;
	if (show_fac)
		fixed += wfac + 1;
	size_t wtitle = width > fixed + 8 ? width - fixed : 8;

	out_cell(&line, _("REF"), wref);
	buf_addc(&line, ' ');
	out_cell(&line, _("STAGE"), wstage);
	buf_addc(&line, ' ');
	out_cell(&line, _("TITLE"), wtitle);
	buf_addc(&line, ' ');
	if (show_terr) {
		out_cell(&line, _("TERRITORY"), wterr);
		buf_addc(&line, ' ');
	}
	if (show_fac) {
		out_cell(&line, _("FACILITATOR"), wfac);
		buf_addc(&line, ' ');
	}
	out_cell(&line, _("DAYS"), wdays);
	while (line.len && line.data[line.len - 1] == ' ')
		line.data[--line.len] = '\0';
	fprintf(cli->out, "%s\n", line.data);

	for (size_t i = 0; i < r->n; i++) {
		const struct idea *idea = r->ideas[i];
		char days[24];
		buf_reset(&line);
		out_cell(&line, idea_get(idea, IDEA_REF), wref);
		buf_addc(&line, ' ');
		out_cell(&line, out_stage_short(idea_stage(idea)), wstage);
		buf_addc(&line, ' ');
		out_cell(&line, idea_get(idea, IDEA_TITLE), wtitle);
		buf_addc(&line, ' ');
		if (show_terr) {
			out_cell(&line, idea_get(idea, IDEA_TERRITORY), wterr);
			buf_addc(&line, ' ');
		}
		if (show_fac) {
			out_cell(&line, idea_get(idea, IDEA_FACILITATOR), wfac);
			buf_addc(&line, ' ');
		}
		snprintf(days, sizeof(days), "%*ld", (int)wdays,
			 days_in_stage(idea, cli->actor.now));
		buf_adds(&line, days);
		fprintf(cli->out, "%s\n", line.data);
	}
	buf_free(&line);
}

/* Prints one idea as a JSON object of every non-internal field. */
static void idea_json(FILE *f, const struct idea *idea)
{
	int first = 1;
	fputc('{', f);
	for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
		const struct idea_field_info *fi = idea_field_info(i);
		if (fi->flags & IDEA_FF_INTERNAL)
			continue;
		fprintf(f, "%s\"%s\":", first ? "" : ",", fi->code);
		first = 0;
		const char *v = idea_get(idea, i);
		if ((fi->flags & IDEA_FF_NUMERIC) && *v &&
		    strspn(v, "0123456789") == strlen(v) &&
		    (v[0] != '0' || !v[1]))
			fputs(v, f);
		else if ((fi->flags & IDEA_FF_NUMERIC) && *v)
			out_json(f, v); /* a damaged store: still JSON */
		else if ((fi->flags & IDEA_FF_NUMERIC) || !*v)
			fputs("null", f);
		else
			out_json(f, v);
	}
	fputc('}', f);
}

static void list_tsv(struct cli *cli, struct list_run *r)
{
	int first = 1;
	for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
		if (idea_field_info(i)->flags & IDEA_FF_INTERNAL)
			continue;
		fprintf(cli->out, "%s%s", first ? "" : "\t",
			idea_field_info(i)->code);
		first = 0;
	}
	fputc('\n', cli->out);
	for (size_t k = 0; k < r->n; k++) {
		first = 1;
		for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
			if (idea_field_info(i)->flags & IDEA_FF_INTERNAL)
				continue;
			if (!first)
				fputc('\t', cli->out);
			first = 0;
			out_tsv(cli->out, idea_get(r->ideas[k], i));
		}
		fputc('\n', cli->out);
	}
}

static int parse_format(const char *s, int allow_table)
{
	if (allow_table && strcmp(s, "table") == 0)
		return FORMAT_TABLE;
	if (!allow_table && strcmp(s, "text") == 0)
		return FORMAT_TEXT;
	if (strcmp(s, "tsv") == 0)
		return FORMAT_TSV;
	if (strcmp(s, "json") == 0)
		return FORMAT_JSON;
	return -1;
}

static int cmd_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		FILTER_OPTIONS
		{"format", required_argument, NULL, OPT_FORMAT},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	struct list_run r;
	struct fai_err err;
	int c, format = FORMAT_TABLE, exit;

	memset(&r, 0, sizeof(r));
	filter_init(&r.f, cli->actor.now);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int fo = filter_option(cli, "list", c, optarg, &r.f);
		if (fo < 0)
			return -fo;
		if (fo == 0)
			continue;
		switch (c) {
		case OPT_FORMAT:
			format = parse_format(optarg, 1);
			if (format < 0)
				return cli_usage_error(cli, "list", _("--format is table, tsv or json"));
			break;
		case OPT_HELP:
			return cli_help_for("list");
		default:
			return cli_bad_option(cli, "list", argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "list", _("too many arguments"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int rc = store_idea_foreach(cli->store, list_collect, &r, &err);
	if (rc) {
		exit = cli_fail(cli, rc, &err);
		goto out;
	}
	if (format == FORMAT_TABLE) {
		list_table(cli, &r);
	} else if (format == FORMAT_TSV) {
		list_tsv(cli, &r);
	} else {
		fputc('[', cli->out);
		for (size_t i = 0; i < r.n; i++) {
			fputs(i ? ",\n" : "\n", cli->out);
			idea_json(cli->out, r.ideas[i]);
		}
		fputs("\n]\n", cli->out);
	}
out:
	for (size_t i = 0; i < r.n; i++)
		idea_free(r.ideas[i]);
	free(r.ideas);
	return exit;
}

static int filter_option(struct cli *cli, const char *cmd, int c,
			 const char *arg, struct list_filter *lf)
{
	uint64_t days;
	switch (c) {
	case OPT_STAGE:
		lf->stage = stage_parse(arg);
		if (lf->stage == STAGE_NONE)
			return -cli_usage_error(cli, cmd, _("unknown stage (need, concept, owner_search, launched, on_hold, abandoned)"));
		return 0;
	case OPT_FIELD + IDEA_REGION:
		lf->region = arg;
		return 0;
	case OPT_FIELD + IDEA_THEME:
		lf->theme = arg;
		return 0;
	case OPT_TAG:
		lf->tag = arg;
		return 0;
	case OPT_FIELD + IDEA_FACILITATOR:
		lf->facilitator = arg;
		return 0;
	case OPT_SEARCH:
		lf->search = arg;
		return 0;
	case OPT_STALE:
		if (cli_arg_number(cli, cmd, "--stale", arg, 0, CLI_NUMBER_MAX,
				   &days))
			return -CLI_USAGE;
		lf->stale_days = (long)days;
		return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ history */

/* Appends a one-line, translated account of a log entry (not yet made
 * display-safe). */
static void entry_describe(struct buf *b, const struct log_entry *e)
{
	const struct idea_change *st = log_entry_change(e, "stage");
	switch (e->kind) {
	case LOG_CREATE:
		buf_printf(b, _("created \"%s\""),
			   log_entry_change(e, "title")
				   ? log_entry_change(e, "title")->after
				   : "");
		break;
	case LOG_MOVE:
		buf_printf(b, _("moved %s → %s"),
			   st && st->before ? out_stage_label(stage_parse(st->before)) : "?",
			   st && st->after ? out_stage_label(stage_parse(st->after)) : "?");
		if (e->forced)
			buf_printf(b, " %s", _("(gate forced)"));
		if (e->text && *e->text)
			buf_printf(b, _(" — reason: %s"), e->text);
		break;
	case LOG_EDIT:
		buf_adds(b, _("edited"));
		for (size_t i = 0; i < e->nchanges; i++) {
			int f = idea_field_parse(e->changes[i].name);
			buf_printf(b, "%s%s", i ? ", " : " ",
				   f >= 0 ? out_field_label(f)
					  : e->changes[i].name);
		}
		break;
	case LOG_COMMENT:
		buf_printf(b, _("comment: %s"), e->text ? e->text : "");
		break;
	case LOG_REORDER:
		buf_adds(b, _("reordered in its column"));
		break;
	case LOG_UNDO:
		buf_printf(b, _("undid action #%llu"),
			   (unsigned long long)e->target);
		if (st)
			buf_printf(b, _(" (back to %s)"),
				   out_stage_label(stage_parse(st->after ? st->after : "")));
		break;
	case LOG_IMPORT:
		buf_printf(b, _("imported: %s"), e->text ? e->text : "");
		if (e->forced)
			buf_printf(b, " %s", _("(gate forced)"));
		break;
	case LOG_CONFIG:
		if (e->nchanges)
			buf_printf(b, _("setting %s: %s → %s"),
				   e->changes[0].name + strlen("config:"),
				   e->changes[0].before ? e->changes[0].before : "",
				   e->changes[0].after ? e->changes[0].after : "");
		break;
	default:
		buf_adds(b, log_kind_code(e->kind));
	}
}

/* Prints a log entry as one display-safe line. */
static void entry_print(FILE *f, const struct log_entry *e, int with_ref)
{
	char when[ISOTIME_LEN];
	struct buf b;
	buf_init(&b);
	isotime_format(e->at, when);
	when[16] = '\0'; /* minutes are enough: "2026-11-27T09:52" */
	when[10] = ' ';
	buf_printf(&b, "%s  %-10s ", when, e->user ? e->user : "?");
	if (with_ref)
		buf_printf(&b, "%-8s ", e->ref[0] ? e->ref : "-");
	entry_describe(&b, e);
	out_safe(f, b.data, UTF8_SAFE_ONELINE);
	fputc('\n', f);
	buf_free(&b);
}

/* ------------------------------------------------------------ show */

static int show_entry(const struct log_entry *e, void *arg)
{
	entry_print(arg, e, 0);
	return 0;
}

struct json_log {
	FILE *f;
	int n;
};

static int show_entry_json(const struct log_entry *e, void *arg)
{
	struct json_log *j = arg;
	char when[ISOTIME_LEN];
	isotime_format(e->at, when);
	fprintf(j->f, "%s\n  {\"seq\":%llu,\"at\":\"%s\",\"user\":",
		j->n++ ? "," : "", (unsigned long long)e->seq, when);
	out_json(j->f, e->user);
	fprintf(j->f, ",\"kind\":\"%s\",\"ref\":", log_kind_code(e->kind));
	out_json(j->f, e->ref);
	fprintf(j->f, ",\"revision\":%llu,\"forced\":%s",
		(unsigned long long)e->revision, e->forced ? "true" : "false");
	if (e->client) {
		fputs(",\"client\":", j->f);
		out_json(j->f, e->client);
	}
	if (e->text) {
		fputs(",\"text\":", j->f);
		out_json(j->f, e->text);
	}
	if (e->kind == LOG_UNDO)
		fprintf(j->f, ",\"undoes\":%llu", (unsigned long long)e->target);
	fputs(",\"changes\":[", j->f);
	for (size_t i = 0; i < e->nchanges; i++) {
		fputs(i ? ",{\"field\":" : "{\"field\":", j->f);
		out_json(j->f, e->changes[i].name);
		fputs(",\"before\":", j->f);
		if (e->changes[i].before)
			out_json(j->f, e->changes[i].before);
		else
			fputs("null", j->f);
		fputs(",\"after\":", j->f);
		if (e->changes[i].after)
			out_json(j->f, e->changes[i].after);
		else
			fputs("null", j->f);
		fputc('}', j->f);
	}
	fputs("]}", j->f);
	return 0;
}

/* Prints a multi-line value indented under its label. */
static void print_block(FILE *f, const char *v, size_t indent)
{
	struct buf b;
	buf_init(&b);
	utf8_safe(&b, v, strlen(v), UTF8_SAFE_MULTILINE);
	for (const char *p = b.data ? b.data : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(f, "%*s%.*s\n", (int)indent, "", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	buf_free(&b);
}

static void show_text(struct cli *cli, const struct idea *idea)
{
	FILE *f = cli->out;
	size_t wlabel = 0;
	struct fai_err err;

	for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
		size_t w = utf8_width(out_field_label(i));
		if (w > wlabel)
			wlabel = w;
	}
	out_safe(f, idea_get(idea, IDEA_REF), UTF8_SAFE_ONELINE);
	fputs("  ", f);
	out_safe(f, idea_get(idea, IDEA_TITLE), UTF8_SAFE_ONELINE);
	fputc('\n', f);
	for (int i = 0; i < IDEA_FIELD_COUNT; i++) {
		const struct idea_field_info *fi = idea_field_info(i);
		const char *v = idea_get(idea, i);
		if ((fi->flags & IDEA_FF_INTERNAL) || i == IDEA_TITLE ||
		    i == IDEA_REF)
			continue;
		const char *label = out_field_label(i);
		fprintf(f, "%s:%*s ", label,
			(int)(wlabel - utf8_width(label)), "");
		if (i == IDEA_STAGE) {
			fprintf(f, _("%s (for %ld days)"),
				out_stage_label(idea_stage(idea)),
				days_in_stage(idea, cli->actor.now));
			fputc('\n', f);
		} else if (i == IDEA_REGION && validate_region_name(v)) {
			fprintf(f, "%s %s\n", v, validate_region_name(v));
		} else if ((fi->flags & IDEA_FF_MULTILINE) && strchr(v, '\n')) {
			fputc('\n', f);
			print_block(f, v, 2);
		} else {
			out_safe(f, v, UTF8_SAFE_ONELINE);
			fputc('\n', f);
		}
	}
	for (size_t i = 0; i < idea->nextra; i++) {
		out_safe(f, idea->extra[i].name, UTF8_SAFE_ONELINE);
		fputs(": ", f);
		out_safe(f, idea->extra[i].value, UTF8_SAFE_ONELINE);
		fputc('\n', f);
	}
	fprintf(f, "\n%s\n", _("History (moves, edits and comments, oldest first):"));
	fai_err_clear(&err);
	store_log_foreach(cli->store, idea->key, 0, show_entry, f, &err);
}

static int cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, OPT_FORMAT},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	int c, format = FORMAT_TEXT, exit;
	struct idea *idea = NULL;
	struct fai_err err;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_FORMAT) {
			format = parse_format(optarg, 0);
			if (format != FORMAT_TEXT && format != FORMAT_JSON)
				return cli_usage_error(cli, "show", _("--format is text or json"));
		} else if (c == OPT_HELP) {
			return cli_help_for("show");
		} else {
			return cli_bad_option(cli, "show", argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "show", _("give one reference, e.g. 84-0042"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int rc = store_idea_find(cli->store, argv[optind], &idea, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	if (format == FORMAT_TEXT) {
		show_text(cli, idea);
	} else {
		struct log_entry *com = NULL;
		size_t n = 0;
		struct json_log j = {cli->out, 0};
		fputs("{\"idea\":", cli->out);
		idea_json(cli->out, idea);
		fputs(",\n\"comments\":[", cli->out);
		store_comments(cli->store, idea->key, &com, &n, &err);
		for (size_t i = 0; i < n; i++) {
			char when[ISOTIME_LEN];
			isotime_format(com[i].at, when);
			fprintf(cli->out, "%s{\"at\":\"%s\",\"author\":",
				i ? "," : "", when);
			out_json(cli->out, com[i].user);
			fputs(",\"text\":", cli->out);
			out_json(cli->out, com[i].text);
			fputc('}', cli->out);
			log_entry_clear(&com[i]);
		}
		free(com);
		fputs("],\"history\":[", cli->out);
		store_log_foreach(cli->store, idea->key, 0, show_entry_json, &j,
				  &err);
		fputs("\n]}\n", cli->out);
	}
	idea_free(idea);
	return CLI_OK;
}

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

/* Reports a message of the editor round trip: into note when the board
 * asked for it (one line, the last wins), else on stdout or stderr. */
static void edit_say(struct cli *cli, struct buf *note, int error,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

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
		return cli_usage_error(cli, "edit", _("--set is required here"));
	fai_err_clear(&err);
	rc = store_idea_find(cli->store, ref, &idea, &err);
	if (rc)
		return edit_fail(cli, note, rc, &err);
	if (expect && idea_revision(idea) != expect) {
		fai_err_set(&err, FAI_ECONFLICT, FAI_WHY_NONE, "revision",
			    idea_get(idea, IDEA_REF));
		fai_err_detail(&err, "%llu %llu %s", (unsigned long long)expect,
			       (unsigned long long)idea_revision(idea),
			       idea_get(idea, IDEA_UPDATED_BY));
		exit = edit_fail(cli, note, -FAI_ECONFLICT, &err);
		goto out;
	}
	buf_init(&text);
	buf_init(&header);
	buf_printf(&header, _("# Editing %s (revision %llu). Lines starting with '#' are ignored.\n"
			      "# Change the values after the colons; continuation lines start with two spaces.\n"
			      "# Save and quit to apply; empty the file to cancel.\n"),
		   idea_get(idea, IDEA_REF),
		   (unsigned long long)idea_revision(idea));
	template_render(&text, idea, header.data);
	buf_free(&header);
	path = cli_keep_text(idea_get(idea, IDEA_REF), NULL, text.data,
			     text.len);
	if (!path) {
		edit_say(cli, note, 1, _("cannot write a temporary file in %s\n"),
			 out_shown(keep_dir()));
		buf_free(&text);
		exit = CLI_STORE;
		goto out;
	}
	int st = editor_run(path);
	if (st != 0) {
		edit_say(cli, note, 1, _("the editor failed (status %d); your text is kept in %s\n"),
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
			edit_say(cli, note, 1, _("your text is kept in %s; run fai edit again and copy from it what you need\n"),
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
		edit_say(cli, note, 1, _("nothing was saved; your text is kept in %s\n"),
			 out_shown(path));
		if (note) {
			char *kept = buf_steal(note);
			buf_printf(note, "%s — %s", why.data ? why.data : "",
				   kept);
			free(kept);
		}
		keep = 1;
	} else {
		edit_say(cli, note, 0, _("Saved %s.\n"), idea_get(idea, IDEA_REF));
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

static int cmd_edit(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"set", required_argument, NULL, OPT_SET},
		{"expect-rev", required_argument, NULL, OPT_EXPECT},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	struct store_set *sets = NULL;
	size_t nsets = 0;
	uint64_t expect = 0, rev = 0;
	struct fai_err err;
	int c, exit = CLI_OK;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *value;
		int f;
		switch (c) {
		case OPT_SET:
			f = split_set(optarg, &value);
			if (f < 0) {
				exit = cli_usage_error(cli, "edit", _("--set wants FIELD=VALUE with a known field"));
				goto out;
			}
			sets = xrealloc(sets, (nsets + 1) * sizeof(*sets));
			sets[nsets].field = f;
			sets[nsets++].value = value;
			break;
		case OPT_EXPECT:
			exit = cli_arg_number(cli, "edit", "--expect-rev",
					      optarg, 1, UINT64_MAX, &expect);
			if (exit)
				goto out;
			break;
		case OPT_HELP:
			exit = cli_help_for("edit");
			goto out;
		default:
			exit = cli_bad_option(cli, "edit", argv);
			goto out;
		}
	}
	if (argc - optind != 1) {
		exit = cli_usage_error(cli, "edit", _("give one reference, e.g. 84-0042"));
		goto out;
	}
	exit = cli_store_open(cli);
	if (exit)
		goto out;
	if (nsets == 0) {
		exit = cli_edit_in_editor(cli, argv[optind], expect, NULL);
		goto out;
	}
	fai_err_clear(&err);
	int rc = store_idea_edit(cli->store, &cli->actor, argv[optind], sets,
				 nsets, expect, &rev, &err);
	if (rc == -FAI_ENOTHING) {
		fprintf(cli->out, _("No change.\n"));
	} else if (rc) {
		exit = cli_fail(cli, rc, &err);
	} else {
		fprintf(cli->out, _("%s is now at revision %llu.\n"),
			argv[optind], (unsigned long long)rev);
	}
out:
	free(sets);
	return exit;
}

/* ------------------------------------------------------------ move */

static int cmd_move(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"reason", required_argument, NULL, OPT_REASON},
		{"expect-rev", required_argument, NULL, OPT_EXPECT},
		{"force", no_argument, NULL, OPT_FORCE},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *reason = NULL;
	uint64_t expect = 0, rev = 0;
	int force = 0, c, exit;
	struct fai_err err;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_REASON:
			reason = optarg;
			break;
		case OPT_EXPECT:
			if (cli_arg_number(cli, "move", "--expect-rev", optarg,
					   1, UINT64_MAX, &expect))
				return CLI_USAGE;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_HELP:
			return cli_help_for("move");
		default:
			return cli_bad_option(cli, "move", argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(cli, "move", _("give a reference and a stage, e.g. 84-0042 concept"));
	enum stage to = stage_parse(argv[optind + 1]);
	if (to == STAGE_NONE)
		return cli_usage_error(cli, "move", _("unknown stage (need, concept, owner_search, launched, on_hold, abandoned)"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int rc = store_idea_move(cli->store, &cli->actor, argv[optind], to,
				 reason, force, expect, &rev, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	fprintf(cli->out, _("%s moved to %s (revision %llu).\n"), argv[optind],
		out_stage_label(to), (unsigned long long)rev);
	return CLI_OK;
}

/* ------------------------------------------------------------ comment */

static int cmd_comment(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"expect-rev", required_argument, NULL, OPT_EXPECT},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	uint64_t expect = 0, rev = 0;
	struct fai_err err;
	int c, exit;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_EXPECT) {
			if (cli_arg_number(cli, "comment", "--expect-rev",
					   optarg, 1, UINT64_MAX, &expect))
				return CLI_USAGE;
		} else if (c == OPT_HELP) {
			return cli_help_for("comment");
		} else {
			return cli_bad_option(cli, "comment", argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(cli, "comment", _("give a reference and the text in quotes"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int rc = store_idea_comment(cli->store, &cli->actor, argv[optind],
				    argv[optind + 1], expect, &rev, &err);
	if (rc)
		return cli_fail(cli, rc, &err);
	fprintf(cli->out, _("Comment added to %s.\n"), argv[optind]);
	return CLI_OK;
}

/* ------------------------------------------------------------ log */

struct log_run {
	struct cli *cli;
	int format;
	int n;
	struct json_log j;
};

static int log_print(const struct log_entry *e, void *arg)
{
	struct log_run *r = arg;
	if (r->format == FORMAT_JSON)
		return show_entry_json(e, &r->j);
	if (r->format == FORMAT_TSV) {
		char when[ISOTIME_LEN];
		struct buf b;
		FILE *f = r->cli->out;
		buf_init(&b);
		isotime_format(e->at, when);
		fprintf(f, "%llu\t%s\t", (unsigned long long)e->seq, when);
		out_tsv(f, e->user);
		fprintf(f, "\t%s\t%s\t%llu\t", e->ref, log_kind_code(e->kind),
			(unsigned long long)e->revision);
		entry_describe(&b, e);
		out_tsv(f, b.data);
		fputc('\n', f);
		buf_free(&b);
		return 0;
	}
	entry_print(r->cli->out, e, 1);
	return 0;
}

static int cmd_log(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"since", required_argument, NULL, OPT_SINCE},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	int64_t since = 0;
	uint64_t key = 0;
	struct log_run r;
	struct fai_err err;
	int c, exit;

	memset(&r, 0, sizeof(r));
	r.cli = cli;
	r.format = FORMAT_TEXT;
	r.j.f = cli->out;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_SINCE) {
			if (cli_arg_time(cli, "log", "--since", optarg, &since))
				return CLI_USAGE;
		} else if (c == OPT_FORMAT) {
			r.format = parse_format(optarg, 0);
			if (r.format < 0)
				return cli_usage_error(cli, "log", _("--format is text, tsv or json"));
		} else if (c == OPT_HELP) {
			return cli_help_for("log");
		} else {
			return cli_bad_option(cli, "log", argv);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(cli, "log", _("too many arguments"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	if (optind < argc) {
		struct idea *idea;
		int rc = store_idea_find(cli->store, argv[optind], &idea, &err);
		if (rc)
			return cli_fail(cli, rc, &err);
		key = idea->key;
		idea_free(idea);
	}
	if (r.format == FORMAT_JSON)
		fputc('[', cli->out);
	int rc = store_log_foreach(cli->store, key, since, log_print, &r, &err);
	if (r.format == FORMAT_JSON)
		fputs("\n]\n", cli->out);
	if (rc)
		return cli_fail(cli, rc, &err);
	return CLI_OK;
}

/* ------------------------------------------------------------ undo */

static int cmd_undo(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	struct log_entry undone;
	struct fai_err err;
	int c, exit;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HELP)
			return cli_help_for("undo");
		return cli_bad_option(cli, "undo", argv);
	}
	if (optind < argc)
		return cli_usage_error(cli, "undo", _("too many arguments"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	memset(&undone, 0, sizeof(undone));
	int rc = store_undo(cli->store, &cli->actor, 0, &undone, &err);
	if (rc == -FAI_ENOTHING) {
		fprintf(stderr, _("fai: nothing to undo for %s\n"), cli->user);
		return CLI_NOTFOUND;
	}
	if (rc)
		return cli_fail(cli, rc, &err);
	fputs(_("Undone: "), cli->out);
	entry_print(cli->out, &undone, 1);
	log_entry_clear(&undone);
	return CLI_OK;
}

/* ------------------------------------------------------------ config */

static int cmd_config(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"user", no_argument, NULL, OPT_USER},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	struct fai_err err;
	int c, exit, rc, user = 0;
	char *value = NULL;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HELP)
			return cli_help_for("config");
		if (c == OPT_USER) {
			user = 1;
			continue;
		}
		return cli_bad_option(cli, "config", argv);
	}
	if (user) {
		/* Settings of this Unix user, whatever the store. */
		if (argc - optind < 1 || argc - optind > 2 ||
		    strcmp(argv[optind], "read-only") != 0)
			return cli_usage_error(cli, "config", _("--user knows one key: read-only (yes or no)"));
		if (argc - optind == 1) {
			fprintf(cli->out, "%s\n", cli_user_readonly() ? "yes" : "no");
			return CLI_OK;
		}
		const char *v = argv[optind + 1];
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return cli_usage_error(cli, "config", _("read-only is yes or no"));
		fai_err_clear(&err);
		rc = user_config_set("read-only", v, &err);
		if (rc)
			return cli_fail(cli, rc, &err);
		return CLI_OK;
	}
	if (argc - optind > 2)
		return cli_usage_error(cli, "config", _("give a key and maybe a value, e.g. wip.concept 12"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	if (argc - optind == 0) {
		for (size_t i = 0; i < config_key_count(); i++) {
			const char *k = config_key_name(i);
			if (store_config_get(cli->store, k, &value, &err) == 0)
				fprintf(cli->out, "%s %s\n", k, value);
			free(value);
			value = NULL;
		}
		return CLI_OK;
	}
	if (argc - optind == 1) {
		rc = store_config_get(cli->store, argv[optind], &value, &err);
		if (rc)
			return cli_fail(cli, rc, &err);
		fprintf(cli->out, "%s\n", value);
		free(value);
		return CLI_OK;
	}
	/* Settings are whole numbers of at most nine digits: a longer one is
	 * refused here, as any number of the command line.  Other values go
	 * to the store, which says what is wrong with them (exit 2). */
	const char *v = argv[optind + 1];
	char num[24];
	if (config_default(argv[optind])) {
		uint64_t n;
		struct fai_err nerr;
		fai_err_clear(&nerr);
		int nrc = validate_number(v, 0, CLI_NUMBER_MAX, &n, &nerr);
		if (nrc < 0 && nerr.why == FAI_WHY_NUMBER_RANGE)
			return cli_arg_number(cli, "config", argv[optind], v, 0,
					      CLI_NUMBER_MAX, &n);
		if (nrc == 0) { /* 012 is 12 */
			snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
			v = num;
		}
	}
	rc = store_config_set(cli->store, &cli->actor, argv[optind], v, &err);
	if (rc == -FAI_ENOTHING)
		return CLI_OK;
	if (rc)
		return cli_fail(cli, rc, &err);
	return CLI_OK;
}

/* ------------------------------------------------------------ check */

static void check_report(enum store_problem p, const char *at,
			 const char *detail, void *arg)
{
	(void)arg;
	fprintf(stderr, "fai check: ");
	out_safe(stderr, at, UTF8_SAFE_ONELINE);
	fprintf(stderr, ": %s (", _(store_problem_text(p)));
	out_safe(stderr, detail, UTF8_SAFE_ONELINE);
	fputs(")\n", stderr);
}

static int cmd_check(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	struct fai_err err;
	uint64_t counts[STAGE_COUNT], total = 0;
	int c, exit;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HELP)
			return cli_help_for("check");
		return cli_bad_option(cli, "check", argv);
	}
	if (optind < argc)
		return cli_usage_error(cli, "check", _("too many arguments"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	fai_err_clear(&err);
	int n = store_check(cli->store, check_report, NULL, &err);
	if (n < 0)
		return cli_fail(cli, n, &err);
	if (n > 0) {
		fprintf(stderr, ngettext("fai check: %d problem found in %s\n",
					 "fai check: %d problems found in %s\n",
					 (unsigned long)n),
			n, out_shown(cli->db));
		fprintf(stderr, _("fai check: restore the last good backup with fai restore FILE (see fai(1), DAMAGED STORE)\n"));
		return CLI_STORE;
	}
	store_stage_counts(cli->store, counts, &err);
	for (int i = 0; i < STAGE_COUNT; i++)
		total += counts[i];
	fprintf(cli->out, _("The store at %s is consistent (%llu ideas).\n"),
		out_shown(cli->db), (unsigned long long)total);
	return CLI_OK;
}


/* ------------------------------------------------------------ exchange */

/* A progress bar on stderr for long jobs, when stderr is a terminal:
 * drawn at most ten times a second, only once the job has run 0.3 s. */
struct progress {
	const char *what;
	struct timespec start, last;
	int shown;
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_cb(unsigned long long done, unsigned long long total,
			void *arg)
{
	struct progress *p = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&p->start, &now) < 0.3 ||
	    (p->shown && since(&p->last, &now) < 0.1 && done < total))
		return;
	p->last = now;
	p->shown = 1;
	int pct = total ? (int)(done * 100 / total) : 100;
	if (pct > 100)
		pct = 100;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%%", p->what, bar, pct);
	fflush(stderr);
}

/* The import's bar: a pipe's first reading has no total, so it counts
 * what was read instead. */
static void import_progress_cb(unsigned long long done,
			       unsigned long long total, void *arg)
{
	struct progress *p = arg;
	struct timespec now;
	if (total) {
		progress_cb(done, total, arg);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&p->start, &now) < 0.3 ||
	    (p->shown && since(&p->last, &now) < 0.1))
		return;
	p->last = now;
	p->shown = 1;
	fputc('\r', stderr);
	fprintf(stderr, _("%s: %.1f MiB read (a pipe: size unknown)"),
		p->what, (double)done / (1024.0 * 1024.0));
	fputs("\033[K", stderr);
	fflush(stderr);
}

static void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

static void progress_start(struct progress *p, const char *what)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

static int export_filter(const struct idea *idea, void *arg)
{
	return filter_match(arg, idea);
}

/* store_export's publish: the file renamed into place (outfile_commit,
 * which frees it) before what was sent is recorded. */
static int export_publish(void *arg, struct fai_err *err)
{
	struct outfile **of = arg;
	int rc = outfile_commit(*of, err);
	*of = NULL;
	return rc;
}

static int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"dialect", required_argument, NULL, OPT_FORMAT},
		FILTER_OPTIONS
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	struct list_filter lf;
	struct export_opts eo;
	struct exchange_stats st;
	struct fai_err err;
	struct progress pg;
	const char *out = NULL;
	struct outfile *of = NULL;
	FILE *f = stdout;
	int c, exit;

	filter_init(&lf, cli->actor.now);
	memset(&eo, 0, sizeof(eo));
	eo.dialect = CSV_DIALECT_RFC4180;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		int fo = filter_option(cli, "export", c, optarg, &lf);
		if (fo < 0)
			return -fo;
		if (fo == 0)
			continue;
		if (c == 'o') {
			out = optarg;
		} else if (c == OPT_FORMAT) {
			if (strcmp(optarg, "rfc4180") == 0)
				eo.dialect = CSV_DIALECT_RFC4180;
			else if (strcmp(optarg, "excel-fr") == 0)
				eo.dialect = CSV_DIALECT_EXCEL_FR;
			else
				return cli_usage_error(cli, "export", _("--dialect is rfc4180 or excel-fr"));
		} else if (c == OPT_HELP) {
			return cli_help_for("export");
		} else {
			return cli_bad_option(cli, "export", argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "export", _("too many arguments (the file goes after -o)"));
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	if (out && strcmp(out, "-") != 0) {
		/* A regular file is written beside and renamed over at the
		 * end, so an interrupted export leaves no partial file; a pipe
		 * or a terminal is written as it is; a link, a directory or
		 * a file inside a store is refused (store/outfile.h). */
		fai_err_clear(&err);
		int orc = outfile_open(&of, out, 0, &err);
		if (orc)
			return cli_fail(cli, orc, &err);
		f = outfile_stream(of);
	}
	eo.filter = export_filter;
	eo.filter_arg = &lf;
	if (of) {
		/* what was sent is recorded once the file is in place */
		eo.publish = export_publish;
		eo.publish_arg = &of;
	}
	if (isatty(STDERR_FILENO)) {
		progress_start(&pg, _("export"));
		eo.progress = progress_cb;
		eo.progress_arg = &pg;
	}
	fai_err_clear(&err);
	int rc = store_export(cli->store, f, &eo, &st, &err);
	if (eo.progress)
		progress_end(&pg);
	if (of) {
		/* stopped before publishing: the target is as it was */
		outfile_abort(of);
		if (strcmp(err.field, "output") == 0) {
			/* the export could not write: name the file */
			char detail[sizeof(err.detail)];
			memcpy(detail, err.detail, sizeof(detail));
			fai_err_set(&err, -rc, err.why, "file", out);
			memcpy(err.detail, detail, sizeof(detail));
		}
	}
	if (rc)
		return cli_fail(cli, rc, &err);
	struct stat ost, sst;
	if (out && strcmp(out, "-") != 0 &&
	    /* -o /dev/stdout: the data went to stdout, say nothing there */
	    !(stat(out, &ost) == 0 && fstat(fileno(cli->out), &sst) == 0 &&
	      ost.st_dev == sst.st_dev && ost.st_ino == sst.st_ino))
		fprintf(cli->out, ngettext("Exported %llu idea to %s.\n",
					   "Exported %llu ideas to %s.\n",
					   (unsigned long)st.rows),
			(unsigned long long)st.rows, out_shown(out));
	return CLI_OK;
}

struct import_report {
	struct cli *cli;
	int verbose;
	char **conflicts;
	size_t nconflicts;
};

static void import_changes(const struct idea_change *ch, size_t n,
			   const char *left, const char *right)
{
	for (size_t i = 0; i < n; i++) {
		int f = idea_field_parse(ch[i].name);
		/* An unknown column's name ("x:NAME") came from a file. */
		fputs("    ", stderr);
		out_safe(stderr, f >= 0 ? out_field_label(f) : ch[i].name,
			 UTF8_SAFE_ONELINE);
		fprintf(stderr, ":\n      %s ", left);
		out_safe(stderr, ch[i].before ? ch[i].before : "",
			 UTF8_SAFE_ONELINE);
		fprintf(stderr, "\n      %s ", right);
		out_safe(stderr, ch[i].after ? ch[i].after : "",
			 UTF8_SAFE_ONELINE);
		fputc('\n', stderr);
	}
}

static void import_report_cb(const struct import_event *ev, void *arg)
{
	struct import_report *r = arg;
	switch (ev->kind) {
	case IMPORT_EVENT_INVALID: {
		const struct fai_err *e = ev->err;
		struct buf m;
		long first = 0;
		buf_init(&m);
		if (e->code == FAI_EGATE) {
			/* A row, not a move: the fix is in the file. */
			buf_printf(&m, _("cannot import at stage %s: missing "),
				   out_stage_label(stage_parse(e->value)));
			print_missing(&m, e->detail);
			buf_adds(&m, _(" (fill them in the file, or pass the gates with fai import --force)"));
		} else if (e->code == FAI_ERULE && e->why == FAI_WHY_REASON) {
			buf_printf(&m, _("cannot import at stage %s: a reason is required (column stage_reason)"),
				   out_stage_label(stage_parse(e->value)));
		} else if (e->why == FAI_WHY_DUP_ID &&
			   sscanf(e->detail, "line %ld", &first) == 1) {
			struct buf v;
			buf_init(&v);
			utf8_safe(&v, e->value, strlen(e->value),
				  UTF8_SAFE_ONELINE);
			buf_printf(&m, _("the same id as line %ld: %s"), first,
				   v.data ? v.data : "");
			buf_free(&v);
		} else {
			cli_message(r->cli, -e->code, e, &m);
			if (e->detail[0] && e->code == FAI_EINVAL) {
				buf_adds(&m, " (");
				utf8_safe(&m, e->detail, strlen(e->detail),
					  UTF8_SAFE_ONELINE);
				buf_addc(&m, ')');
			}
		}
		fputs("fai: ", stderr);
		out_safe(stderr, e->file, UTF8_SAFE_ONELINE);
		fprintf(stderr, ":%ld: %s\n", ev->line, m.data ? m.data : "");
		buf_free(&m);
		break;
	}
	case IMPORT_EVENT_CONFLICT:
		r->conflicts = xrealloc(r->conflicts, (r->nconflicts + 1) *
							      sizeof(char *));
		r->conflicts[r->nconflicts++] =
			xasprintf("%s (%s %ld)", ev->ref, _("line"), ev->line);
		if (r->verbose) {
			fprintf(stderr, _("conflict: %s (line %ld)\n"), ev->ref,
				ev->line);
			import_changes(ev->changes, ev->nchanges, _("here: "),
				       _("file: "));
		}
		break;
	case IMPORT_EVENT_UPDATED:
		if (r->verbose) {
			fprintf(stderr, _("updated: %s (line %ld)\n"), ev->ref,
				ev->line);
			import_changes(ev->changes, ev->nchanges, _("was: "),
				       _("now: "));
		}
		break;
	case IMPORT_EVENT_ADDED:
		if (r->verbose)
			fprintf(stderr, _("new: %s (line %ld)\n"), ev->ref,
				ev->line);
		break;
	}
}

static int cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"skip-invalid", no_argument, NULL, 's'},
		{"on-conflict", required_argument, NULL, 'c'},
		{"verbose", no_argument, NULL, 'v'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	struct import_opts io;
	struct import_report rep;
	struct exchange_stats st;
	struct fai_err err;
	struct progress pg;
	char *rejects = NULL;
	int c, exit;

	memset(&io, 0, sizeof(io));
	memset(&rep, 0, sizeof(rep));
	rep.cli = cli;
	io.on_conflict = IMPORT_KEEP_LOCAL;
	while ((c = getopt_long(argc, argv, "nv", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			io.dry_run = 1;
			break;
		case 's':
			io.skip_invalid = 1;
			break;
		case 'v':
			rep.verbose = 1;
			break;
		case 'f':
			io.force = 1;
			break;
		case 'c':
			if (strcmp(optarg, "keep-local") == 0)
				io.on_conflict = IMPORT_KEEP_LOCAL;
			else if (strcmp(optarg, "take-theirs") == 0)
				io.on_conflict = IMPORT_TAKE_THEIRS;
			else if (strcmp(optarg, "fail") == 0)
				io.on_conflict = IMPORT_FAIL;
			else
				return cli_usage_error(cli, "import", _("--on-conflict is keep-local, take-theirs or fail"));
			break;
		case OPT_HELP:
			return cli_help_for("import");
		default:
			return cli_bad_option(cli, "import", argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "import", _("give one CSV file (or - for the standard input)"));
	const char *path = argv[optind];
	exit = cli_store_open(cli);
	if (exit)
		return exit;
	if (io.skip_invalid) {
		/* Standard input has no name to put the rejects beside. */
		rejects = strcmp(path, "-") == 0
				  ? xstrdup("stdin.rejects.csv")
				  : xasprintf("%s.rejects.csv", path);
		io.rejects_path = rejects;
	}
	io.report = import_report_cb;
	io.report_arg = &rep;
	if (isatty(STDERR_FILENO)) {
		progress_start(&pg, _("import"));
		io.progress = import_progress_cb;
		io.progress_arg = &pg;
	}
	fai_err_clear(&err);
	int rc = store_import(cli->store, &cli->actor, path, &io, &st, &err);
	if (io.progress)
		progress_end(&pg);
	if (rc == -FAI_ENOTFOUND && strcmp(err.field, "file") == 0) {
		/* The file is missing, not an idea: "fai: FILE: strerror". */
		fputs("fai: ", stderr);
		out_safe(stderr, path, UTF8_SAFE_ONELINE);
		fprintf(stderr, ": %s\n", out_shown(err.detail));
		exit = CLI_NOTFOUND;
		goto out;
	}
	/* The input itself (not the rejects file) is no file or pipe. */
	if (rc == -FAI_EINVAL && err.why == FAI_WHY_NOT_FILE &&
	    !(io.rejects_path && strcmp(err.value, io.rejects_path) == 0)) {
		fputs("fai: ", stderr);
		out_safe(stderr, path, UTF8_SAFE_ONELINE);
		fprintf(stderr, ": %s\n",
			_("not a file or a pipe: a device, a directory or a socket cannot be imported (nothing was read)"));
		exit = CLI_INVALID;
		goto out;
	}
	/* A rejects file fai refuses to write (a link...) is no invalid row. */
	int file_err = strcmp(err.field, "file") == 0;
	if (rc && rc != -FAI_ECONFLICT &&
	    !(rc == -FAI_EINVAL && st.invalid && !file_err)) {
		exit = cli_fail(cli, rc, &err);
		if (-rc == FAI_EINVAL && err.detail[0] && !file_err &&
		    strcmp(err.field, "header") != 0)
			fprintf(stderr, "fai: %s\n", err.detail);
		goto out;
	}
	fprintf(cli->out,
		_("%s: %llu rows: %llu new, %llu updated, %llu unchanged, %llu conflicts, %llu invalid.\n"),
		out_shown(path), (unsigned long long)st.rows,
		(unsigned long long)st.added, (unsigned long long)st.updated,
		(unsigned long long)st.unchanged,
		(unsigned long long)st.conflicts,
		(unsigned long long)st.invalid);
	if (rep.nconflicts) {
		fprintf(cli->out, "%s", io.on_conflict == IMPORT_TAKE_THEIRS
				       ? _("Conflicts (their version taken, the local one kept in the log):")
				   : io.on_conflict == IMPORT_FAIL
				       ? _("Conflicts (nothing imported):")
				       : _("Conflicts (local version kept, theirs kept in the log):"));
		for (size_t i = 0; i < rep.nconflicts; i++)
			fprintf(cli->out, "%s%s", i ? ", " : " ",
				rep.conflicts[i]);
		fputc('\n', cli->out);
	}
	if (st.renumbered)
		fprintf(cli->out, _("%llu new ideas got a new reference (theirs was taken here).\n"),
			(unsigned long long)st.renumbered);
	if (st.forced)
		fprintf(cli->out, ngettext("%llu row passed a stage gate with --force (marked forced in the log).\n",
					   "%llu rows passed a stage gate with --force (marked forced in the log).\n",
					   (unsigned long)st.forced),
			(unsigned long long)st.forced);
	if (rc == -FAI_EINVAL) {
		fprintf(stderr, _("fai: %s: %llu invalid rows: nothing was imported (fix them, or use --skip-invalid)\n"),
			out_shown(path), (unsigned long long)st.invalid);
		exit = CLI_INVALID;
	} else if (rc == -FAI_ECONFLICT) {
		fprintf(stderr, _("fai: %s: conflicts and --on-conflict fail: nothing was imported\n"),
			out_shown(path));
		exit = CLI_CONFLICT;
	} else if (io.dry_run) {
		fprintf(cli->out, "%s\n", _("Dry run: nothing was written."));
	} else if (st.invalid && rejects) {
		fprintf(cli->out, _("Rejected rows, with their reason: %s\n"),
			out_shown(rejects));
	}
out:
	for (size_t i = 0; i < rep.nconflicts; i++)
		free(rep.conflicts[i]);
	free(rep.conflicts);
	free(rejects);
	return exit;
}

/* ------------------------------------------------------------ table */

static int cmd_help(struct cli *cli, int argc, char **argv);

static const struct command commands[] = {
	{"board", ui_board_run, N_("board [--mouse]"),
	 N_("Opens the board (the default without a command); press ? in it for the keys.")},
	{"init", cmd_init, N_("init [--region CODE] [--shared GROUP]"),
	 N_("Creates an empty store (a directory) for a region.  --shared makes it usable by every member of a Unix group (directory 2770 setgid, files 0660).")},
	{"demo", demo_run, N_("demo"),
	 N_("Creates a demo store with a realistic pipeline (replaces an older demo store, never a real one).")},
	{"add", cmd_add,
	 N_("add --title TEXT [--region CODE] [--need TEXT] [--concept TEXT] [--territory CODES] [--theme TEXT] [--tag TAG]... [--source TEXT] [--partner NAME]... [--facilitator NAME] [--owner NAME] [--structure NAME] [--legal-form TEXT] [--siret 14DIGITS] [--launch-date YYYY-MM-DD] [--jobs N] [--set FIELD=VALUE]..."),
	 N_("Adds an idea at stage need and prints its reference.")},
	{"list", cmd_list,
	 N_("list [--stage S] [--region R] [--theme T] [--tag T] [--facilitator F] [--search TEXT] [--stale DAYS] [--format table|tsv|json]"),
	 N_("Lists ideas in board order.  --search ignores accents and case; --stale keeps ideas at need, concept or owner_search unchanged for DAYS days.")},
	{"show", cmd_show, N_("show REF [--format text|json]"),
	 N_("Shows every field of an idea, then its history (moves, edits, comments).")},
	{"edit", cmd_edit, N_("edit REF [--set FIELD=VALUE]... [--expect-rev N]"),
	 N_("Changes fields.  Without --set, opens the idea in $VISUAL or $EDITOR; if it cannot be saved your text is kept in a file.")},
	{"move", cmd_move,
	 N_("move REF STAGE [--reason TEXT] [--expect-rev N] [--force]"),
	 N_("Moves an idea: stages need, concept, owner_search, launched, on_hold, abandoned.  on_hold and abandoned need --reason; --force passes a gate and is logged.")},
	{"comment", cmd_comment, N_("comment REF TEXT [--expect-rev N]"),
	 N_("Adds a dated comment to an idea.")},
	{"log", cmd_log, N_("log [REF] [--since DATE] [--format text|tsv|json]"),
	 N_("Shows the activity log, of the whole store or of one idea.")},
	{"undo", cmd_undo, N_("undo"),
	 N_("Undoes your last action that is not undone yet (refused if someone changed the idea since).")},
	{"config", cmd_config, N_("config [KEY [VALUE]] | config --user read-only [yes|no]"),
	 N_("Shows or sets a setting: wip.need, wip.concept, wip.owner_search, wip.launched, wip.on_hold, wip.abandoned (card limits, 0 = none), stale.days.")},
	{"check", cmd_check, N_("check"),
	 N_("Verifies every index, the stage counts, the log and the comments; exit status 0 only when all is consistent.")},
	{"export", cmd_export,
	 N_("export [-o FILE] [--dialect rfc4180|excel-fr] [the filters of list]"),
	 N_("Writes the ideas as CSV for the national network, sorted by id (see docs/csv-format.md).  excel-fr: ';', UTF-8 with BOM, formulas guarded.  -o writes atomically.")},
	{"import", cmd_import,
	 N_("import FILE|- [--dry-run] [--skip-invalid] [--on-conflict keep-local|take-theirs|fail] [--force] [--verbose]"),
	 N_("Reads a CSV export (',' ';' or TAB, UTF-8 or Windows-1252; a file, a pipe, or - for the standard input) and merges it by id, in one transaction: invalid rows (the same id twice, a stage whose gate is not met) stop it unless --skip-invalid (they go to FILE.rejects.csv); --force passes the stage gates and is logged.")},
	{"backup", cmd_backup, N_("backup [-o DIR]"),
	 N_("Writes a compacted, checked copy of the store into DIR (the current directory by default), named after the store and the time (UTC): STORE-YYYY-MM-DD-HHMMSS.mdb.  Boards may stay open.  fai --db BACKUP check|list|show|export read it.")},
	{"restore", cmd_restore, N_("restore BACKUP"),
	 N_("Puts the data of a backup in place of the store's, once every board and script using the store is closed.  The data it replaces stays in the store's directory as before-restore-…mdb; the old lock file goes.")},
	{"review", cmd_review, N_("review [--since DATE | --week YYYY-Www] [--region R] [--facilitator F] [--format text|markdown|csv]"), N_("The weekly pipeline review, from the activity log: ideas per stage against the limits, new ideas, moves, launches, stale ideas, the funnel, time in stage, the cumulative flow of 12 weeks, and figures by facilitator and by region (see docs/review.md).")},
	{"help", cmd_help, N_("help [COMMAND]"), N_("Shows help.")},
};

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void cli_usage(FILE *f)
{
	fprintf(f, _("Usage: fai [--db PATH] [--read-only] [COMMAND [OPTIONS]]\n"
		     "A kanban of social-innovation ideas for the Fabriques à Initiatives.\n\n"
		     "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		fprintf(f, "  %-8s ", commands[i].name);
		out_safe(f, _(commands[i].summary), UTF8_SAFE_ONELINE);
		fputc('\n', f);
	}
	fprintf(f, _("\nThe store is --db PATH, else $FAI_DB, else $XDG_DATA_HOME/fai (~/.local/share/fai).\n"
		     "Exit status: 0 ok, 1 usage, 2 invalid data or refused by a rule, 3 revision conflict,\n"
		     "4 not found, 5 store error.  'fai COMMAND --help' and 'man fai' say more.\n"));
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc > 1 && command_find(argv[1]))
		return cli_help_for(argv[1]);
	if (argc > 1 && argv[1][0] != '-') {
		/* `fai help typo` must not pass for help on a command. */
		fputs("fai: ", stderr);
		fprintf(stderr, _("unknown command '%s'.  Try 'fai --help'.\n"),
			argv[1]);
		return CLI_USAGE;
	}
	cli_usage(stdout);
	return CLI_OK;
}

int cli_run(struct cli *cli, int argc, char **argv)
{
	const struct command *c = command_find(argv[0]);
	if (!c) {
		fputs("fai: ", stderr);
		where(cli, NULL);
		fprintf(stderr, _("unknown command '%s'.  Try 'fai --help'.\n"),
			argv[0]);
		return CLI_USAGE;
	}
	optind = 0; /* GNU getopt: start afresh for every command */
	opterr = 0;
	return c->run(cli, argc, argv);
}
