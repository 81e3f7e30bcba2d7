/* i18n.h - translation of every message through gettext: French under a
 * French locale, English otherwise.  Stage codes and field codes in files and
 * options never change; their labels are translated. */
#ifndef FAI_I18N_H
#define FAI_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#undef N_
#define N_(s) s

/* A message with a context, for words that translate differently in
 * different places ("Owner search" as a column's short label): marked with
 * C_("context", "text") or NC_ in static tables (xgettext --keyword=C_:1c,2
 * --keyword=NC_:1c,2). */
#define C_(ctx, s) i18n_pgettext(ctx "\004" s)
#define NC_(ctx, s) ctx "\004" s
/* Translates "context\004text", falling back to the text alone. */
const char *i18n_pgettext(const char *ctx_msgid);

/* Sets the locale from the environment and binds the "fai" catalogue
 * (from $FAI_LOCALEDIR, the build tree beside the binary, or the installed
 * location). */
void i18n_init(void);

/* Returns 1 when the locale's character set is UTF-8. */
int i18n_utf8(void);

#endif
