/* log.h - entries of the activity log: every change to the store, who made
 * it, when, from where, and what each changed field was before and after.
 * The store appends them; reviews, undo and `fai log` read them.
 *
 * An entry's strings are const: an entry built to be written borrows them
 * (the actor's name, a comment's text, an idea's values) and owns nothing;
 * an entry read from the store owns one block holding its strings and its
 * changes (own), which log_entry_clear frees. */
#ifndef FAI_LOG_H
#define FAI_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "idea.h"
#include "uuid.h"

/* X(name, code): kinds of entries; code is the stable word in outputs. */
#define LOG_KIND_LIST(X)                                                       \
	X(CREATE, "create")                                                    \
	X(EDIT, "edit")                                                        \
	X(MOVE, "move")                                                        \
	X(COMMENT, "comment")                                                  \
	X(REORDER, "reorder")                                                  \
	X(UNDO, "undo")                                                        \
	X(IMPORT, "import")                                                    \
	X(CONFIG, "config")

enum log_kind {
#define LOG_X_ENUM(name, code) LOG_##name,
	LOG_KIND_LIST(LOG_X_ENUM)
#undef LOG_X_ENUM
	    LOG_KIND_COUNT
};

/* One changed field as a log entry holds it.  name is a field code, "x:"
 * and an unknown column's name, or a store-internal name such as "rank". */
struct log_change {
	const char *name;
	const char *before; /* NULL when it was empty */
	const char *after;  /* NULL when it becomes empty */
};

struct log_entry {
	uint64_t seq;	    /* position in the log, from 1 */
	int64_t at;	    /* Unix time */
	const char *user;   /* Unix user name */
	const char *client; /* SSH client address, or NULL */
	enum log_kind kind;
	uint64_t idea_key; /* 0 when about no idea (config, import summary) */
	char id[UUID_STR_LEN];
	char ref[24];
	uint64_t revision; /* the idea's revision after this entry */
	int forced;	   /* a gate was passed with --force */
	uint64_t target;   /* UNDO: the seq it undid */
	const char *text;  /* comment text, move reason, import summary... */
	size_t nchanges;
	const struct log_change *changes;
	void *own; /* the block holding the strings and changes of
		    * an entry that owns them, else NULL */
};

/* Returns the stable code of kind ("move"), or "". */
const char *log_kind_code(enum log_kind kind);

/* Returns the change named name in e (e's own, valid as long as e), or
 * NULL. */
const struct log_change *log_entry_change(const struct log_entry *e,
					  const char *name);

/* Makes e own what it borrows: copies its user, client, text and changes
 * into one block that log_entry_clear frees (an old block of e's is freed
 * once copied). */
void log_entry_own(struct log_entry *e);

/* Returns a heap array (the caller frees it, not the strings) of the n
 * changes of ch, lent: pointers to ch's strings, valid as long as ch. */
struct log_change *log_changes_lend(const struct idea_change *ch, size_t n);

/* Frees what e owns (not e itself) and empties it; e may be NULL. */
void log_entry_clear(struct log_entry *e);

#endif
