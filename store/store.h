/* store.h - the live store: one LMDB environment (a directory) holding the
 * ideas, their indexes, the board order, comments, the activity log and the
 * settings.  The only module that speaks LMDB; nothing LMDB leaves it.
 *
 * Every change is one write transaction that bumps the idea's revision and
 * appends to the log; a change may carry the revision it was based on and is
 * refused with -FAI_ECONFLICT when the idea moved on.  No transaction is
 * held between calls.  See docs/data-model.md for the layout. */
#ifndef FAI_STORE_H
#define FAI_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/config.h"
#include "../core/err.h"
#include "../core/idea.h"
#include "../core/log.h"
#include "../core/stage.h"

#define STORE_SCHEMA_VERSION 2

struct store;	   /* an open environment */
struct store_txn;  /* a write transaction inside store_write */
struct text_index; /* core/textindex.h */

enum store_open_flags {
	STORE_CREATE = 1 << 0,	 /* create the directory and store if absent */
	STORE_READONLY = 1 << 1, /* open for reading only */
	STORE_EXCL = 1 << 2,	 /* with STORE_CREATE: -FAI_EEXIST if present */
	/* Commits without fsync (MDB_NOSYNC): a system crash may lose the
	 * last transactions.  For throw-away stores only (fuzzing, benches);
	 * the program never sets it. */
	STORE_NOSYNC = 1 << 3,
};

/* Who acts, when, from where: recorded in the log and updated_by. */
struct store_actor {
	const char *user;   /* Unix user name */
	const char *client; /* SSH client address, or NULL */
	int64_t now;	    /* Unix time of the action */
};

/* Opens the store in directory path (created with flags STORE_CREATE; region
 * is then recorded as the store's region, may be NULL), or the backup file
 * path (read-only).  Clears stale reader slots, upgrades an older schema
 * after a copy of it (store_upgrade_backup), refuses a newer one
 * (-FAI_ESCHEMA), a missing store (-FAI_ENOSTORE), a data.mdb that is
 * empty or shorter than it says (-FAI_ESTORE, why TRUNCATED) or damaged
 * (why DAMAGED), files writable by everyone (-FAI_EPERM, why
 * WORLD_WRITABLE, DATA_WRITABLE), and a store others use through another
 * lock file or that is being restored (-FAI_ESTORE, why LOCK_FOREIGN,
 * RESTORING).  mapsize 0 picks the default (grows by itself).  *out is
 * freed with store_close. */
int store_open(struct store **out, const char *path, unsigned flags,
	       const char *region, size_t mapsize, struct fai_err *err);
void store_close(struct store *s);

/* The copy of the store store_open made before upgrading it (a path that
 * lives as long as s), or NULL when it upgraded nothing. */
const char *store_upgrade_backup(const struct store *s);

/* -FAI_ESTORE (why LOCK_CHANGED, field "lock.mdb" or "data.mdb") when the
 * store's lock file or data file at its path is no longer the one this
 * process opened (deleted, replaced, restored): the process must close the
 * store and open it again.  Every write checks it before committing; an
 * idle board calls it now and then. */
int store_identity_check(struct store *s, struct fai_err *err);

/* Writes a compacted, consistent copy of the store (LMDB's copy with
 * compaction, in one read transaction: boards may stay open) into fd, a new
 * empty file, and syncs it.  store_open opens the file read-only. */
int store_backup_fd(struct store *s, int fd, struct fai_err *err);

/* Replaces the data of the store in directory path with the backup file
 * backup, which must pass store_check: refused with -FAI_ESTORE (why
 * IN_USE) while any fai process has the store open.  The lock file goes
 * with the old data, which stays in the directory as *kept (heap, caller
 * frees). */
int store_restore(const char *path, const char *backup, char **kept,
		  struct fai_err *err);

/* Makes directory path (created if absent) a store shared by a Unix group:
 * the group owns it, setgid, mode 2770, and data.mdb and lock.mdb (when
 * present) mode 0660 whatever the umask.  Call it before and after creating
 * the store.  -FAI_ENOTFOUND for an unknown group, -FAI_EPERM when not
 * allowed. */
int store_share(const char *path, const char *group, struct fai_err *err);

/* Clears reader slots left by dead processes (done at open; a long-running
 * board calls it now and then). */
void store_maintain(struct store *s);

/* Grows the map ahead of a large write of about extra bytes, so one long
 * transaction (an import) is not redone when the map fills.  Call it with
 * no transaction open. */
int store_reserve(struct store *s, size_t extra, struct fai_err *err);

/* Returns the current map size in bytes (tests watch it grow). */
size_t store_mapsize(const struct store *s);

/* Returns the id of the last committed transaction: it changes exactly when
 * someone wrote, so an idle board can poll it cheaply. */
uint64_t store_last_txn(struct store *s);

/* Reads a meta value (e.g. "region", "demo") into *out (heap, caller frees;
 * NULL when absent). */
int store_meta_get(struct store *s, const char *key, char **out,
		   struct fai_err *err);

/* Sets a meta value (e.g. "demo" = "1") in its own transaction. */
int store_meta_set(struct store *s, const char *key, const char *value,
		   struct fai_err *err);

/* Reads a setting, its default when unset. *out is heap, caller frees. */
int store_config_get(struct store *s, const char *key, char **out,
		     struct fai_err *err);
/* Reads every setting into set (core/config.h): the stored value when it
 * is valid, else the default.  Returns 0 or a negative code (the store
 * could not be read; set then holds the defaults). */
int store_settings(struct store *s, struct fai_settings *set,
		   struct fai_err *err);

/* Sets a setting after config_check; logged as a CONFIG entry. */
int store_config_set(struct store *s, const struct store_actor *actor,
		     const char *key, const char *value, struct fai_err *err);

/* --- reading (each call is one short read transaction) --- */

/* Finds an idea by reference ("84-0042") or UUID.  *out is the caller's. */
int store_idea_find(struct store *s, const char *ref_or_id, struct idea **out,
		    struct fai_err *err);
int store_idea_get(struct store *s, uint64_t key, struct idea **out,
		   struct fai_err *err);

/* Counts per stage (O(1): kept in meta). */
int store_stage_counts(struct store *s, uint64_t counts[STAGE_COUNT],
		       struct fai_err *err);

/* A position in a column: a card's (rank, key).  {0,0} is the top. */
struct store_pos {
	uint64_t rank;
	uint64_t key;
};

/* Reads up to max ideas of stage in board order, starting at the card after
 * pos (pos NULL or {0,0}: from the top).  Ideas are added to *out (a heap
 * array grown as needed, *n its length).  Costs O(max), not O(ideas). */
int store_stage_page(struct store *s, enum stage stage,
		     const struct store_pos *pos, size_t max,
		     struct idea ***out, size_t *n, struct fai_err *err);

/* Returns 1 when a store exists in directory path, else 0. */
int store_exists(const char *path);

/* Reads up to max ideas of stage that come just before pos (pos NULL: the
 * end of the column), adding them to *out in board order.  O(max). */
int store_stage_page_back(struct store *s, enum stage stage,
			  const struct store_pos *pos, size_t max,
			  struct idea ***out, size_t *n, struct fai_err *err);

/* Counts the cards of stage after pos, reading keys only (the board uses it
 * to place a card it follows: moved cards go to the end, so it is short). */
int store_stage_count_after(struct store *s, enum stage stage,
			    const struct store_pos *pos, uint64_t *n,
			    struct fai_err *err);

/* Calls fn for every idea in board order (stage, rank).  fn's idea is only
 * valid during the call; a non-zero return stops and is returned. */
int store_idea_foreach(struct store *s,
		       int (*fn)(const struct idea *idea, void *arg), void *arg,
		       struct fai_err *err);

/* The same through views (idea_view) decoded into one reused arena: no
 * allocation per idea, for the passes that judge every idea and keep few
 * (the board's search and filters; idea_of_view copies one to keep).  The
 * view is only valid during the call. */
int store_idea_foreach_view(struct store *s,
			    int (*fn)(const struct idea_view *idea, void *arg),
			    void *arg, struct fai_err *err);

/* Calls fn for log entries in order: all (idea_key 0) or of one idea, at or
 * after since (0: all).  The entry is only valid during the call. */
int store_log_foreach(struct store *s, uint64_t idea_key, int64_t since,
		      int (*fn)(const struct log_entry *e, void *arg),
		      void *arg, struct fai_err *err);

/* --- writing --- */

/* The seq of the last log entry (0 when empty). */
int store_log_last(struct store *s, uint64_t *seq, struct fai_err *err);

/* Reads log entry seq into e (clear it with log_entry_clear); -FAI_ENOTFOUND
 * when there is none. */
int store_log_get(struct store *s, uint64_t seq, struct log_entry *e,
		  struct fai_err *err);

/* The seq of the last log entry this process committed (0: none yet):
 * the board tells its own writes from others' by it. */
uint64_t store_my_last_seq(const struct store *s);

/* Runs fn inside one write transaction and commits when it returns 0; any
 * other return aborts and is returned.  When the map is full the transaction
 * is aborted, the map doubled and fn called again from the start, so fn must
 * not consume its inputs. */
int store_write(struct store *s,
		int (*fn)(struct store_txn *t, void *arg, struct fai_err *err),
		void *arg, struct fai_err *err);

/* Inside store_write.  Creates idea: assigns key, id (unless set), ref
 * (unless set; from region's sequence), stage need (unless set), times,
 * revision 1; checks it with idea_check; logs CREATE.  Updates idea->key,
 * ->rank and its fields to what was stored.  -FAI_EEXIST when the id or ref is
 * taken. */
int store_txn_create(struct store_txn *t, const struct store_actor *actor,
		     struct idea *idea, struct fai_err *err);

/* Field assignments for an edit: field codes and new text (NULL clears). */
struct store_set {
	enum idea_field field;
	const char *value;
};

/* --- one action, one transaction (each returns the stored idea's new
 * revision in *rev when rev is not NULL) --- */

int store_idea_create(struct store *s, const struct store_actor *actor,
		      struct idea *idea, struct fai_err *err);

/* Sets fields of the idea ref_or_id; expect_rev 0 means no check.  A change
 * that changes nothing is -FAI_ENOTHING. */
int store_idea_edit(struct store *s, const struct store_actor *actor,
		    const char *ref_or_id, const struct store_set *sets,
		    size_t nsets, uint64_t expect_rev, uint64_t *rev,
		    struct fai_err *err);

/* Replaces the editable fields with those of edited (as from the editor
 * template) when the idea is still at expect_rev. */
int store_idea_replace(struct store *s, const struct store_actor *actor,
		       const struct idea *edited, uint64_t expect_rev,
		       uint64_t *rev, struct fai_err *err);

int store_idea_move(struct store *s, const struct store_actor *actor,
		    const char *ref_or_id, enum stage to, const char *reason,
		    int force, uint64_t expect_rev, uint64_t *rev,
		    struct fai_err *err);

int store_idea_comment(struct store *s, const struct store_actor *actor,
		       const char *ref_or_id, const char *text,
		       uint64_t expect_rev, uint64_t *rev, struct fai_err *err);

/* Moves the card delta places down (positive) or up (negative) in its column,
 * stopping at the ends.  -FAI_ENOTHING when it is already there. */
int store_idea_reorder(struct store *s, const struct store_actor *actor,
		       const char *ref_or_id, int delta, uint64_t expect_rev,
		       uint64_t *rev, struct fai_err *err);

/* Undoes the last action of user that is not already undone (seq 0), or the
 * entry seq; undoing an UNDO entry (by its seq) redoes what it undid.  The
 * user's history is the log: actions from the board, the command line or
 * another session count alike; imports are not undone and are passed over.
 * An undo touches only the fields it puts back, on the idea as it is now;
 * refused with -FAI_ECONFLICT (why UNDO_BLOCKED: field, by, at, rev_found;
 * field "" when the undo would remove an idea someone changed since) when a
 * later change still in effect touched one of them (a move, for the undo of
 * a move), with -FAI_ENOTHING when there is nothing to undo.  The undone
 * entry is copied into *undone (may be NULL; clear it with
 * log_entry_clear). */
int store_undo(struct store *s, const struct store_actor *actor, uint64_t seq,
	       struct log_entry *undone, struct fai_err *err);

/* Redoes the user's last undo that is still live, unless an action of the
 * user came after it (-FAI_ENOTHING); successive redos bring back
 * successive undos.  Same conflict rule and *undone (the UNDO entry
 * undone) as store_undo. */
int store_redo(struct store *s, const struct store_actor *actor,
	       struct log_entry *undone, struct fai_err *err);

/* Reads the comments of an idea, oldest first, as log entries of kind
 * COMMENT (at, user, text).  *out is a heap array of *n entries; free each
 * with log_entry_clear, then the array. */
int store_comments(struct store *s, uint64_t idea_key, struct log_entry **out,
		   size_t *n, struct fai_err *err);

/* Sets *keys to a heap array (the caller frees it) of the *n ideas that
 * have a comment holding text, accents and case ignored, in increasing key
 * order without duplicates: what a search gives idea_filter as
 * comment_keys.  Reads the comments index once, each idea's comments until
 * one holds the text (the board searches its text index instead).  An
 * empty text gives none. */
int store_comments_search(struct store *s, const char *text, uint64_t **keys,
			  size_t *n, struct fai_err *err);

/* --- the search text in memory (core/textindex.h) --- */

/* Fills x (emptied first) with every idea's search text and comments, in
 * one read transaction, and notes the log's last entry in x->seq.  On an
 * error x is left empty. */
int store_text_index_build(struct store *s, struct text_index *x,
			   struct fai_err *err);

/* Brings x up to date: the ideas the log names after x->seq are read
 * again (or dropped when gone) with their comments; after more than a few
 * thousand (an import) or a log that is not x's, everything is read again.
 * An x never built is built. */
int store_text_index_update(struct store *s, struct text_index *x,
			    struct fai_err *err);

/* --- checking --- */

/* X(name, text): inconsistencies store_check can report. */
#define STORE_PROBLEM_LIST(X)                                                  \
	X(DECODE, N_("a record is damaged (wrong checksum or layout)"))        \
	X(ID_INDEX, N_("the id index does not match the idea"))                \
	X(REF_INDEX, N_("the reference index does not match the idea"))        \
	X(ORDER_INDEX, N_("the board order does not match the idea"))          \
	X(STAGE_COUNT, N_("a stage count does not match the ideas"))           \
	X(LOG_REVISION, N_("the log's revisions are not consecutive"))         \
	X(LOG_INDEX, N_("the per-idea log index does not match the log"))      \
	X(COMMENT, N_("a comment belongs to no idea"))                         \
	X(INVALID, N_("an idea holds an invalid value"))                       \
	X(UNREADABLE, N_("a database cannot be read (damaged pages)"))         \
	X(EXTRAS, N_("an unknown column kept for export has a bad name"))

enum store_problem {
#define STORE_X_ENUM(name, text) STORE_PROBLEM_##name,
	STORE_PROBLEM_LIST(STORE_X_ENUM)
#undef STORE_X_ENUM
	    STORE_PROBLEM_COUNT
};

/* Returns the English text of a problem kind. */
const char *store_problem_text(enum store_problem p);

/* What a problem is about beyond its kind: store_check's facts (the
 * sentence is composed where it is shown). */
enum store_note {
	STORE_NOTE_NONE,
	STORE_NOTE_DB,		    /* in database db */
	STORE_NOTE_LIB,		    /* value: the library's own message */
	STORE_NOTE_NO_IDEA,	    /* an entry of db for no idea */
	STORE_NOTE_UNREADABLE_IDEA, /* an entry of db whose idea is unreadable
				     */
	STORE_NOTE_STALE,	    /* an entry of db the idea no longer has */
	STORE_NOTE_FIELD,	    /* the idea's field holds value */
	STORE_NOTE_VALUE,	    /* value: what the index misses */
	STORE_NOTE_LOG_ENTRY,	    /* value: the log entry ("#SEQ") */
	STORE_NOTE_UNKNOWN_IDEA,    /* value: a log entry of no idea */
	STORE_NOTE_REVISION_GAP,    /* value: the entry, revision a after b */
	STORE_NOTE_REVISIONS,	    /* the idea at revision a, its log at b */
	STORE_NOTE_COUNTS,	    /* a ideas at the stage value, counted b */
	STORE_NOTE_KIND,	    /* an entry of db of the log kind value */
	STORE_NOTE_EXTRA_MALFORMED, /* line a, value: not POSITION<TAB>NAME */
	STORE_NOTE_EXTRA_BAD_NAME,  /* line a, value: not a column name */
	STORE_NOTE_EXTRA_KNOWN,	    /* line a, value: the name of a field */
	STORE_NOTE_EXTRA_REPEATED,  /* line a, value: repeats line b */
};

/* One problem store_check found; its strings live for the call only. */
struct store_problem_info {
	enum store_problem kind;
	const char *where; /* the idea's ref, "#KEY", "#KEY/SEQ", a meta key */
	enum store_note note;
	const char *db;	   /* a database's code ("by_ref"), or NULL */
	const char *field; /* STORE_NOTE_FIELD: the field's code */
	const char *value;
	uint64_t a, b;
};

typedef void (*store_problem_fn)(const struct store_problem_info *pi,
				 void *arg);

/* Verifies every index against the ideas, the stage counts, the log against
 * the revisions and the comments.  Calls fn (may be NULL) for each problem.
 * Returns the number of problems (>= 0), or a negative error when the store
 * cannot be read. */
int store_check(struct store *s, store_problem_fn fn, void *arg,
		struct fai_err *err);

#endif
