/* log.c - entries of the activity log: their kinds' stable codes, lookup of
 * a changed field, and freeing what an entry holds.  An entry owns its
 * strings (user, client, text) and its array of changes. */
#include "log.h"

#include <stdlib.h>
#include <string.h>

static const char *const log_kind_codes[LOG_KIND_COUNT] = {
#define LOG_X_CODE(name, code) code,
	LOG_KIND_LIST(LOG_X_CODE)
#undef LOG_X_CODE
};

const char *
log_kind_code(enum log_kind kind)
{
	if ((int)kind < 0 || kind >= LOG_KIND_COUNT)
		return "";
	return log_kind_codes[kind];
}

const struct idea_change *
log_entry_change(const struct log_entry *e, const char *name)
{
	size_t i;

	if (e == NULL || name == NULL)
		return NULL;
	for (i = 0; i < e->nchanges; i++)
		if (e->changes[i].name != NULL &&
		    strcmp(e->changes[i].name, name) == 0)
			return &e->changes[i];
	return NULL;
}

void
log_entry_clear(struct log_entry *e)
{
	if (e == NULL)
		return;
	free(e->user);
	free(e->client);
	free(e->text);
	idea_changes_free(e->changes, e->nchanges);
	memset(e, 0, sizeof(*e));
}
