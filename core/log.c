/* log.c - entries of the activity log: their kinds' stable codes, lookup of
 * a changed field, and who owns an entry's strings.  An entry borrows its
 * strings (user, client, text, its changes) or owns them in one block:
 * the changes array first, then every string, NUL-terminated. */
#include "log.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static const char *const log_kind_codes[LOG_KIND_COUNT] = {
#define LOG_X_CODE(name, code) code,
    LOG_KIND_LIST(LOG_X_CODE)
#undef LOG_X_CODE
};

const char *log_kind_code(enum log_kind kind)
{
	if ((int)kind < 0 || kind >= LOG_KIND_COUNT)
		return "";
	return log_kind_codes[kind];
}

const struct log_change *log_entry_change(const struct log_entry *e,
					  const char *name)
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

/* Bytes a copy of s takes in a block (none for NULL). */
static size_t log_size(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

/* Copies s to *p, moving *p past it; returns the copy (NULL for NULL). */
static const char *log_put(char **p, const char *s)
{
	char *copy = *p;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(copy, s, n);
	*p += n;
	return copy;
}

void log_entry_own(struct log_entry *e)
{
	struct log_change *ch;
	size_t i, size;
	void *block;
	char *p;

	size = e->nchanges * sizeof(*ch) + log_size(e->user) +
	       log_size(e->client) + log_size(e->text);
	for (i = 0; i < e->nchanges; i++)
		size += log_size(e->changes[i].name) +
			log_size(e->changes[i].before) +
			log_size(e->changes[i].after);
	block = xmalloc(size > 0 ? size : 1);
	ch = block;
	p = (void *)(ch + e->nchanges);
	for (i = 0; i < e->nchanges; i++) {
		ch[i].name = log_put(&p, e->changes[i].name);
		ch[i].before = log_put(&p, e->changes[i].before);
		ch[i].after = log_put(&p, e->changes[i].after);
	}
	e->user = log_put(&p, e->user);
	e->client = log_put(&p, e->client);
	e->text = log_put(&p, e->text);
	e->changes = e->nchanges > 0 ? ch : NULL;
	free(e->own);
	e->own = block;
}

struct log_change *log_changes_lend(const struct idea_change *ch, size_t n)
{
	struct log_change *out = xcalloc(n > 0 ? n : 1, sizeof(*out));
	size_t i;

	for (i = 0; i < n; i++) {
		out[i].name = ch[i].name;
		out[i].before = ch[i].before;
		out[i].after = ch[i].after;
	}
	return out;
}

void log_entry_clear(struct log_entry *e)
{
	if (e == NULL)
		return;
	free(e->own);
	memset(e, 0, sizeof(*e));
}
