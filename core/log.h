/* log.h - entries of the activity log: every change to the store, who made
 * it, when, from where, and what each changed field was before and after.
 * The store appends them; reviews, undo and `fai log` read them. */
#ifndef FAI_LOG_H
#define FAI_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "idea.h"
#include "uuid.h"

/* X(name, code): kinds of entries; code is the stable word in outputs. */
#define LOG_KIND_LIST(X)                                                      \
	X(CREATE, "create")                                                   \
	X(EDIT, "edit")                                                       \
	X(MOVE, "move")                                                       \
	X(COMMENT, "comment")                                                 \
	X(REORDER, "reorder")                                                 \
	X(UNDO, "undo")                                                       \
	X(IMPORT, "import")                                                   \
	X(CONFIG, "config")

enum log_kind {
#define LOG_X_ENUM(name, code) LOG_##name,
	LOG_KIND_LIST(LOG_X_ENUM)
#undef LOG_X_ENUM
	LOG_KIND_COUNT
};

struct log_entry {
	uint64_t seq;       /* position in the log, from 1 */
	int64_t at;         /* Unix time */
	char *user;         /* Unix user name */
	char *client;       /* SSH client address, or NULL */
	enum log_kind kind;
	uint64_t idea_key;  /* 0 when about no idea (config, import summary) */
	char id[UUID_STR_LEN];
	char ref[24];
	uint64_t revision;  /* the idea's revision after this entry */
	int forced;         /* a gate was passed with --force */
	uint64_t target;    /* UNDO: the seq it undid */
	char *text;         /* comment text, move reason, import summary... */
	size_t nchanges;
	struct idea_change *changes;
};

/* Returns the stable code of kind ("move"), or "". */
const char *log_kind_code(enum log_kind kind);

/* Returns the change named name in e, or NULL. */
const struct idea_change *log_entry_change(const struct log_entry *e,
					   const char *name);

/* Frees what e holds (not e itself); e may be NULL. */
void log_entry_clear(struct log_entry *e);

#endif
