/* internal.h - what the modules of store/ share and nothing else sees:
 * the environment (env.c), the write transaction, the named databases and
 * the primitives that read and write them (store.c).  Never included
 * outside store/. */
#ifndef FAI_STORE_INTERNAL_H
#define FAI_STORE_INTERNAL_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../core/err.h"
#include "../core/idea.h"
#include "../core/log.h"
#include "../core/xmalloc.h"
#include "store.h"

#define STORE_DEFAULT_MAPSIZE ((size_t)1 << 30)
#define STORE_MAX_MAPSIZE ((size_t)1 << 44)
#define STORE_RANK_GAP ((uint64_t)1 << 20)
#define STORE_RANK_FIRST ((uint64_t)1 << 40)
#define STORE_READER_CHECK_EVERY 256

enum store_dbi {
	DB_META,
	DB_IDEAS,
	DB_BY_ID,
	DB_BY_REF,
	DB_ORDER,
	DB_LOG,
	DB_LOG_IDEA,
	DB_COMMENTS,
	DB_EXCHANGED, /* u64 key -> what was last exchanged (exchange.c) */
	DB_COUNT
};

extern const char *const store_db_names[DB_COUNT];

struct store {
	MDB_env *env;
	MDB_dbi dbi[DB_COUNT];
	char *path;
	unsigned flags;
	int guard;    /* our descriptor on data.mdb, for its locks (env.c) */
	int shared;   /* a group's store (setgid directory): files 0660 */
	int backup;   /* a backup file, opened read-only without lock file */
	int writemap; /* the environment is open with MDB_WRITEMAP */
	int have_ids;
	dev_t lock_dev, data_dev; /* the files this process opened */
	ino_t lock_ino, data_ino;
	char *upgrade_backup; /* the copy made before an upgrade, or NULL */
	unsigned reads;	 /* read transactions since the last reader check */
	uint64_t my_seq; /* seq of the last log entry this process wrote */
	uint64_t pending_seq; /* ... in the transaction not yet committed */
	struct buf enc;	      /* records are encoded here before mdb_put */
};

struct store_txn {
	struct store *s;
	MDB_txn *txn;
	int map_full; /* LMDB said MDB_MAP_FULL: grow and retry */
	/* What this write transaction already looked up, so a bulk import
	 * does not descend the same B-trees for every row (all zero when a
	 * transaction begins): the next log seq (0: not known yet), and per
	 * stage the rank after its last card (rank_known). */
	uint64_t log_next;
	uint64_t rank_after[STAGE_COUNT];
	unsigned char rank_known[STAGE_COUNT];
};

/* Turns an LMDB code into -FAI_ESTORE with a detail (why DAMAGED when LMDB
 * found a damaged page, -FAI_ENOSPACE for a full disk), noting a full map. */
int st_fail(struct store_txn *t, int rc, struct fai_err *err, const char *what);
/* mdb_get on a database; returns the LMDB code. */
int st_get(struct store_txn *t, enum store_dbi db, const void *k, size_t kn,
	   MDB_val *v);
/* mdb_put on a database; returns 0 or a negative error. */
int st_put(struct store_txn *t, enum store_dbi db, const void *k, size_t kn,
	   const void *v, size_t vn, unsigned flags, struct fai_err *err);
/* mdb_del (absent is fine); returns 0 or a negative error. */
int st_del(struct store_txn *t, enum store_dbi db, const void *k, size_t kn,
	   struct fai_err *err);
/* st_damaged for the record of db under an integer key (shown "#42"). */
int st_damaged_at(struct fai_err *err, enum store_dbi db, uint64_t key);
/* Loads the idea of a board-order entry (stage, rank, key), checking the
 * idea is at that stage and rank (why DAMAGED otherwise). */
int st_order_load(struct store_txn *t, const MDB_val *ok, struct idea **out,
		  struct fai_err *err);
/* Writes the indexes of a new idea (by_id, by_ref, order, its stage
 * count); refuses a taken id or ref (-FAI_EEXIST). */
int st_indexes_put(struct store_txn *t, const struct idea *idea,
		   struct fai_err *err);
/* The CREATE snapshot of an idea (every non-empty field and unknown
 * column, borrowed), freed with st_snapshot_free. */
size_t st_snapshot(const struct idea *idea, struct log_change **out,
		   struct buf *names);
void st_snapshot_free(struct log_change *ch, struct buf *names);
/* Says the record of db under key (shown as where) is damaged: returns
 * -FAI_ESTORE, why DAMAGED, field the database's name, value where. */
int st_damaged(struct fai_err *err, enum store_dbi db, const char *where);
/* Reads a meta value as a heap string, NULL when absent (checking its
 * seal). */
int st_meta_read(struct store_txn *t, const char *key, char **out,
		 struct fai_err *err);
/* Writes a meta value. */
int st_meta_write(struct store_txn *t, const char *key, const char *value,
		  struct fai_err *err);
/* Reads a meta number (0 when absent). */
int st_meta_u64(struct store_txn *t, const char *key, uint64_t *out,
		struct fai_err *err);
/* Writes a meta number. */
int st_meta_set_u64(struct store_txn *t, const char *key, uint64_t v,
		    struct fai_err *err);
/* Reads the card count of every stage (meta count:<stage>). */
int st_counts_read(struct store_txn *t, uint64_t counts[STAGE_COUNT],
		   struct fai_err *err);
/* Adds delta to the card count of a stage. */
int st_count_add(struct store_txn *t, enum stage st, int delta,
		 struct fai_err *err);
/* Loads the idea stored under key. */
int st_idea_load(struct store_txn *t, uint64_t key, struct idea **out,
		 struct fai_err *err);
/* Writes an idea record under idea->key. */
int st_idea_store(struct store_txn *t, const struct idea *idea, unsigned flags,
		  struct fai_err *err);
/* Finds and loads the idea named by a reference or UUID (*out is the
 * caller's), checking that the index and the idea agree (why DAMAGED when
 * they do not, also when nothing is found but the index around is
 * damaged). */
int st_idea_fetch(struct store_txn *t, const char *what, struct idea **out,
		  struct fai_err *err);
/* The rank after the last card of a stage. */
int st_rank_next(struct store_txn *t, enum stage st, uint64_t *rank,
		 struct fai_err *err);
/* Adds the board-order entry of an idea. */
int st_order_put(struct store_txn *t, const struct idea *idea,
		 struct fai_err *err);
/* Removes the board-order entry of an idea. */
int st_order_del(struct store_txn *t, const struct idea *idea,
		 struct fai_err *err);
/* Appends a log entry (and its per-idea index); sets e->seq. */
int st_log_append(struct store_txn *t, struct log_entry *e,
		  struct fai_err *err);
/* Reads log entry seq. */
int st_log_read(struct store_txn *t, uint64_t seq, struct log_entry *e,
		struct fai_err *err);
/* Fills the common part of a log entry for an action. */
void st_log_start(struct log_entry *e, const struct store_actor *actor,
		  enum log_kind kind, const struct idea *idea);
/* Closes and opens again the environment of s, with MDB_WRITEMAP or
 * without (no transaction may be active).  When the writable map cannot
 * be had, the store is open without it and the error returned; when the
 * store cannot be opened again, or its databases not (the lock file was
 * deleted or replaced meanwhile), s->env is NULL: nothing may use it. */
int st_reopen(struct store *s, int writemap, struct fai_err *err);
/* Begins a read transaction (adopting a map grown elsewhere). */
int st_rd_begin(struct store *s, struct store_txn *t, struct fai_err *err);
/* Ends a read transaction. */
void st_rd_end(struct store_txn *t);
/* Bumps revision, stamps updated_at and updated_by. */
void st_idea_touch(struct idea *idea, const struct store_actor *actor);
/* -FAI_ECONFLICT when the idea is not at expect_rev (0: any). */
int st_rev_check(const struct idea *idea, uint64_t expect_rev,
		 struct fai_err *err);
/* Writes an updated idea, moves its board entry, logs the diff. */
int st_idea_update(struct store_txn *t, const struct store_actor *actor,
		   const struct idea *before, struct idea *after,
		   enum log_kind kind, const char *text, int forced,
		   uint64_t target, struct fai_err *err);
/* Creates an idea as store_txn_create does, logged as kind with text;
 * checked: its fields passed idea_check already, with the defaults this
 * fills in (a bulk import's prepared rows), so it is not checked again. */
int st_create(struct store_txn *t, const struct store_actor *actor,
	      struct idea *idea, enum log_kind kind, const char *text,
	      int checked, struct fai_err *err);

/* exchange.c: reports each line of meta csv:extras that export skips (a bad
 * name, a field's name, a repeat) to fn as STORE_PROBLEM_EXTRAS, adding
 * them to *problems (store_check). */
int exchange_check_extras(struct store_txn *t, int *problems,
			  store_problem_fn fn, void *arg, struct fai_err *err);

#endif
