/* i18n.c - locale and catalogue set-up.
 *
 * The catalogue is looked for in $FAI_LOCALEDIR, then in "locale" beside
 * the running binary (so build/fai finds build/locale before installation),
 * then in the directory chosen at build time (PREFIX/share/locale). */
#include "i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FAI_LOCALEDIR
#define FAI_LOCALEDIR "/usr/local/share/locale"
#endif

static int dir_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void i18n_init(void)
{
	static char beside[PATH_MAX];
	const char *dir = getenv("FAI_LOCALEDIR");

	setlocale(LC_ALL, "");
	if (!dir || !*dir) {
		ssize_t n =
		    readlink("/proc/self/exe", beside, sizeof(beside) - 16);
		dir = FAI_LOCALEDIR;
		if (n > 0) {
			beside[n] = '\0';
			char *slash = strrchr(beside, '/');
			if (slash) {
				strcpy(slash + 1, "locale");
				if (dir_exists(beside))
					dir = beside;
			}
		}
	}
	bindtextdomain("fai", dir);
	bind_textdomain_codeset("fai", "UTF-8");
	textdomain("fai");
}

int i18n_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

const char *i18n_pgettext(const char *ctx_msgid)
{
	const char *t = gettext(ctx_msgid);
	if (t != ctx_msgid)
		return t;
	const char *eot = strchr(ctx_msgid, '\004');
	return eot ? eot + 1 : ctx_msgid;
}
