/* undo.c - undo and redo from the activity log: the actor's last action
 * not undone yet (or one entry by its seq; undoing an undo redoes), refused
 * when someone's later change is still in effect.  See docs/data-model.md,
 * "Undo and redo". */
#include "store.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/config.h"
#include "../core/isotime.h"
#include "../core/utf8.h"
#include "../core/uuid.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "internal.h"

/* ------------------------------------------------------------ undo */

static int undoable(enum log_kind k)
{
	return k == LOG_CREATE || k == LOG_EDIT || k == LOG_MOVE ||
	       k == LOG_COMMENT || k == LOG_REORDER || k == LOG_CONFIG;
}

/* Finds the entry to undo: seq itself, or the user's last one not undone
 * yet.  Walks the log from its end, noting what UNDO entries undid. */
static int undo_find(struct store_txn *t, const char *user, uint64_t seq,
		     struct log_entry *out, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	uint64_t *undone = NULL;
	size_t nundone = 0;
	int found = 0;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_LOG], &c);
	if (rc)
		return st_fail(t, rc, err, "log");
	rc = mdb_cursor_get(c, &key, &val, MDB_LAST);
	while (rc == 0 && !found) {
		struct log_entry e;
		uint64_t s = codec_get_u64(key.mv_data);
		if (seq && s < seq)
			break;
		if (codec_log_decode(val.mv_data, val.mv_size, s, &e) < 0) {
			rc = fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL,
					 "log");
			break;
		}
		int done = 0;
		for (size_t i = 0; i < nundone; i++)
			done |= undone[i] == s;
		if (seq && s == seq && e.kind == LOG_UNDO && !done) {
			*out = e; /* undoing an undo: a redo */
			found = 1;
			continue;
		} else if (e.kind == LOG_UNDO) {
			/* An undo that was itself undone (redone) undid
			 * nothing that still counts. */
			if (!done) {
				undone = xrealloc(undone, (nundone + 1) *
							      sizeof(*undone));
				undone[nundone++] = e.target;
			}
		} else if (!done && undoable(e.kind) &&
			   (seq ? s == seq
				: (e.user && strcmp(e.user, user) == 0))) {
			*out = e;
			found = 1;
			continue;
		} else if (seq && s == seq) {
			log_entry_clear(&e);
			break;
		}
		log_entry_clear(&e);
		rc = mdb_cursor_get(c, &key, &val, MDB_PREV);
	}
	mdb_cursor_close(c);
	free(undone);
	if (found)
		return 0;
	if (rc && rc != MDB_NOTFOUND)
		return rc < 0 ? rc : st_fail(t, rc, err, "log");
	return fai_err_set(err, FAI_ENOTHING, FAI_WHY_NONE, "user", user);
}

/* Undoes a CREATE: the idea goes, the log keeps every value it had. */
static int undo_create(struct store_txn *t, const struct store_actor *actor,
		       struct idea *idea, uint64_t target, struct fai_err *err)
{
	unsigned char id[UUID_LEN], k[8];
	const char *ref = idea_get(idea, IDEA_REF);
	struct log_entry e;
	struct idea_change *ch = NULL;
	size_t nch;
	int rc = st_order_del(t, idea, err);
	if (!rc)
		rc = st_count_add(t, idea_stage(idea), -1, err);
	if (!rc && uuid_parse(idea_get(idea, IDEA_ID), id) == 0)
		rc = st_del(t, DB_BY_ID, id, UUID_LEN, err);
	if (!rc)
		rc = st_del(t, DB_BY_REF, ref, strlen(ref), err);
	codec_put_u64(k, idea->key);
	if (!rc)
		rc = st_del(t, DB_IDEAS, k, 8, err);
	if (!rc)
		rc = st_del(t, DB_EXCHANGED, k, 8, err);
	if (rc)
		return rc;
	st_log_start(&e, actor, LOG_UNDO, idea);
	e.revision = idea_revision(idea) + 1;
	e.target = target;
	struct idea *empty = idea_new();
	nch = idea_diff(idea, empty, 0, &ch);
	idea_free(empty);
	struct log_change *lent = log_changes_lend(ch, nch);
	e.changes = lent;
	e.nchanges = nch;
	rc = st_log_append(t, &e, err);
	free(lent);
	idea_changes_free(ch, nch);
	return rc;
}

static int undo_config(struct store_txn *t, const struct store_actor *actor,
		       const struct log_entry *target, struct fai_err *err)
{
	struct log_entry e;
	struct log_change back;
	if (target->nchanges != 1 || !target->changes[0].name)
		return fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL, "log");
	const struct log_change *c = &target->changes[0];
	int rc = st_meta_write(t, c->name, c->before ? c->before : "", err);
	if (rc)
		return rc;
	st_log_start(&e, actor, LOG_UNDO, NULL);
	back.name = c->name;
	back.before = c->after;
	back.after = c->before;
	e.changes = &back;
	e.nchanges = 1;
	e.target = target->seq;
	return st_log_append(t, &e, err);
}

/* Redoes a CREATE that an UNDO removed: the idea comes back under its key,
 * id and reference, with the values the UNDO entry kept. */
static int undo_recreate(struct store_txn *t, const struct store_actor *actor,
			 const struct log_entry *u, struct fai_err *err)
{
	struct idea *idea = idea_new();
	struct log_entry e;
	struct log_change *ch = NULL;
	struct buf names;
	size_t nch;
	int rc;

	idea->key = u->idea_key;
	for (size_t i = 0; i < u->nchanges; i++) {
		int f = u->changes[i].name
			    ? idea_field_parse(u->changes[i].name)
			    : -1;
		if (f >= 0)
			idea_set_raw(idea, f, u->changes[i].before);
	}
	idea_set_u64(idea, IDEA_REVISION, u->revision);
	st_idea_touch(idea, actor);
	rc = st_rank_next(t, idea_stage(idea), &idea->rank, err);
	if (!rc)
		rc = st_idea_store(t, idea, MDB_NOOVERWRITE, err);
	if (!rc)
		rc = st_indexes_put(t, idea, err);
	if (rc)
		goto out;
	st_log_start(&e, actor, LOG_UNDO, idea);
	e.target = u->seq;
	nch = st_snapshot(idea, &ch, &names);
	e.changes = ch;
	e.nchanges = nch;
	rc = st_log_append(t, &e, err);
	st_snapshot_free(ch, &names);
out:
	idea_free(idea);
	return rc;
}

/* Says whether a change named name in a later entry blocks undoing e: it
 * touches a field e's undo would put back.  A move's undo puts the card
 * back in its old column; a later change of its place in the new column
 * (rank alone) does not block it. */
static int undo_overlaps(const struct log_entry *e, const char *name)
{
	if (!name)
		return 0;
	int moved = log_entry_change(e, "stage") != NULL;
	if (moved && strcmp(name, "rank") == 0)
		return 0;
	return log_entry_change(e, name) != NULL;
}

/* What undo_blocker looks for among the later entries in effect. */
enum undo_block {
	UNDO_BLOCK_FIELDS, /* a change to a field e's undo puts back */
	UNDO_BLOCK_ANY,	   /* any entry: the undo removes the idea */
	UNDO_BLOCK_MOVE,   /* a move: its gate needs a field the undo empties */
};

/* Finds the change after e that blocks undoing it: the newest of the
 * idea's later log entries (through log_idea) that is still in effect,
 * that is neither undone since nor a live undo of another later entry, and
 * that is what mode looks for.  A colleague's comment, or an edit of other
 * fields, does not block.  Returns 1 with *by (the blocking entry; clear
 * it) and *field (the change's name, borrowed from *by; NULL for
 * UNDO_BLOCK_ANY), 0 when nothing blocks, or a negative error. */
static int undo_blocker(struct store_txn *t, const struct log_entry *e,
			enum undo_block mode, struct log_entry *by,
			const char **field, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	uint64_t *seqs = NULL, *undone;
	size_t n = 0, nundone = 0;
	int found = 0;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_LOG_IDEA], &c);
	if (rc)
		return st_fail(t, rc, err, "log_idea");
	codec_pair_key(pk, e->idea_key, e->seq + 1);
	key.mv_size = sizeof(pk);
	key.mv_data = pk;
	rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
	while (rc == 0 && key.mv_size == sizeof(pk) &&
	       codec_get_u64(key.mv_data) == e->idea_key) {
		seqs = xrealloc(seqs, (n + 1) * sizeof(*seqs));
		seqs[n++] = codec_get_u64((unsigned char *)key.mv_data + 8);
		rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND) {
		free(seqs);
		return st_fail(t, rc, err, "log_idea");
	}
	rc = 0;
	*field = NULL;
	/* Newest first, as undo_find: a live UNDO marks its target undone. */
	undone = xcalloc(n ? n : 1, sizeof(*undone));
	for (size_t i = n; i-- > 0 && !found && !rc;) {
		struct log_entry l;
		int done = 0;
		rc = st_log_read(t, seqs[i], &l, err);
		if (rc)
			break;
		for (size_t j = 0; j < nundone; j++)
			done |= undone[j] == seqs[i];
		if (!done && l.kind == LOG_UNDO && l.target > e->seq) {
			undone[nundone++] = l.target;
		} else if (!done && mode == UNDO_BLOCK_ANY) {
			found = 1;
		} else if (!done && mode == UNDO_BLOCK_MOVE) {
			if (log_entry_change(&l, "stage")) {
				*field = "stage";
				found = 1;
			}
		} else if (!done) {
			for (size_t j = 0; j < l.nchanges && !found; j++)
				if (undo_overlaps(e, l.changes[j].name)) {
					*field = l.changes[j].name;
					found = 1;
				}
			/* A new place that came with a move: say the move. */
			if (found && strcmp(*field, "rank") == 0 &&
			    log_entry_change(&l, "stage"))
				*field = "stage";
		}
		if (found)
			*by = l;
		else
			log_entry_clear(&l);
	}
	free(seqs);
	free(undone);
	return rc ? rc : found;
}

/* Fills err with the facts of a refused undo: who changed what (field,
 * NULL when the whole idea counts) of e's idea, when, and the revisions. */
static int undo_refused(const struct log_entry *e, const struct idea *now,
			const struct log_entry *by, const char *field,
			struct fai_err *err)
{
	fai_err_set(err, FAI_ECONFLICT, FAI_WHY_UNDO_BLOCKED, field, e->ref);
	fai_err_conflict(err, e->revision, idea_revision(now), by->user);
	if (err) {
		err->at = by->at;
		const struct log_change *st = log_entry_change(by, "stage");
		if (field && strcmp(field, "stage") == 0 && st && st->after)
			fai_err_stage(err, (int)stage_parse(st->after), -1);
	}
	return -FAI_ECONFLICT;
}

/* Follows e's UNDO targets down to the action at the root of the chain;
 * *depth counts the UNDO entries on the way (0: e is that action). */
static int undo_root(struct store_txn *t, const struct log_entry *e,
		     enum log_kind *kind, uint64_t *seq, unsigned *depth,
		     struct fai_err *err)
{
	uint64_t target = e->target;
	*kind = e->kind;
	*seq = e->seq;
	*depth = 0;
	while (*kind == LOG_UNDO) {
		struct log_entry l;
		if (target == 0 || target >= *seq)
			return fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, "log",
					   NULL);
		int rc = st_log_read(t, target, &l, err);
		if (rc)
			return rc;
		(*depth)++;
		*kind = l.kind;
		*seq = l.seq;
		target = l.target;
		log_entry_clear(&l);
	}
	return 0;
}

/* Finds the UNDO entry a redo undoes: walking the log back from its end,
 * the user's most recent live undo (an UNDO whose chain undoes, not a
 * redo), provided no action of the user still in effect came after it (a
 * new action, an import included, ends what can be redone).  Redos on the
 * way are passed, so successive redos bring back successive undos. */
static int redo_find(struct store_txn *t, const char *user,
		     struct log_entry *out, struct fai_err *err)
{
	MDB_cursor *c;
	MDB_val key, val;
	uint64_t *undone = NULL;
	size_t nundone = 0;
	int found = 0, stop = 0;
	int rc = mdb_cursor_open(t->txn, t->s->dbi[DB_LOG], &c);
	if (rc)
		return st_fail(t, rc, err, "log");
	rc = mdb_cursor_get(c, &key, &val, MDB_LAST);
	while (rc == 0 && !found && !stop) {
		struct log_entry e;
		uint64_t s = codec_get_u64(key.mv_data);
		if (codec_log_decode(val.mv_data, val.mv_size, s, &e) < 0) {
			rc = fai_err_set(err, FAI_ESTORE, FAI_WHY_NONE, NULL,
					 "log");
			break;
		}
		int done = 0, mine = e.user && strcmp(e.user, user) == 0;
		for (size_t i = 0; i < nundone; i++)
			done |= undone[i] == s;
		if (!done && e.kind == LOG_UNDO) {
			undone =
			    xrealloc(undone, (nundone + 1) * sizeof(*undone));
			undone[nundone++] = e.target;
			if (mine) {
				enum log_kind root;
				uint64_t root_seq;
				unsigned depth;
				rc = undo_root(t, &e, &root, &root_seq, &depth,
					       err);
				if (rc) {
					log_entry_clear(&e);
					break;
				}
				found = depth % 2 == 1;
			}
		} else if (!done && mine) {
			stop = 1;
		}
		if (found) {
			*out = e;
			break;
		}
		log_entry_clear(&e);
		if (!stop)
			rc = mdb_cursor_get(c, &key, &val, MDB_PREV);
	}
	mdb_cursor_close(c);
	free(undone);
	if (found)
		return 0;
	if (rc && rc != MDB_NOTFOUND)
		return rc < 0 ? rc : st_fail(t, rc, err, "log");
	return fai_err_set(err, FAI_ENOTHING, FAI_WHY_NONE, "user", user);
}

/* Returns a field the gates of the idea's stage (every pipeline stage up
 * to it, or up to the stage it left for on_hold or abandoned) need that is
 * filled in before and empty in after, or -1. */
static int undo_gate_loss(const struct idea *before, const struct idea *after)
{
	enum stage s = idea_stage(before);
	if (!stage_is_pipeline(s))
		s = stage_parse(idea_get(before, IDEA_STAGE_PREV));
	if ((int)s < 0 || !stage_is_pipeline(s))
		return -1;
	for (int st = 0; st <= (int)s; st++) {
		int f;
		for (size_t i = 0;
		     (f = stage_gate_field((enum stage)st, i)) >= 0; i++)
			if (idea_get(before, (enum idea_field)f)[0] &&
			    !idea_get(after, (enum idea_field)f)[0])
				return f;
	}
	return -1;
}

struct undo_arg {
	const struct store_actor *actor;
	uint64_t seq;
	int redo; /* seq 0: redo the user's last undo rather than undo */
	struct log_entry target;
};

static int undo_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct undo_arg *a = arg;
	struct log_entry *e = &a->target;
	struct idea *before = NULL, *after = NULL;
	unsigned char pk[CODEC_PAIR_KEY_LEN];
	enum log_kind root;
	uint64_t root_seq;
	unsigned depth;
	int rc;

	log_entry_clear(e);
	memset(e, 0, sizeof(*e));
	rc = a->redo ? redo_find(t, a->actor->user, e, err)
		     : undo_find(t, a->actor->user, a->seq, e, err);
	if (rc)
		return rc;
	if (e->kind == LOG_CONFIG || (e->kind == LOG_UNDO && !e->idea_key))
		return undo_config(t, a->actor, e, err);
	rc = st_idea_load(t, e->idea_key, &before, err);
	if (rc == -FAI_ENOTFOUND && e->kind == LOG_UNDO) {
		fai_err_clear(err);
		return undo_recreate(t, a->actor, e, err);
	}
	if (rc == -FAI_ENOTFOUND)
		fai_err_set(err, FAI_ENOTFOUND, FAI_WHY_NONE, "ref", e->ref);
	if (rc)
		return rc;
	/* Undoing a redo of a create removes the idea again; undoing the
	 * undo of a comment (a redo) puts the comment back. */
	rc = undo_root(t, e, &root, &root_seq, &depth, err);
	if (rc)
		goto out;
	if (idea_revision(before) != e->revision) {
		struct log_entry by;
		const char *field = NULL;
		rc = undo_blocker(t, e,
				  root == LOG_CREATE && depth % 2 == 0
				      ? UNDO_BLOCK_ANY
				      : UNDO_BLOCK_FIELDS,
				  &by, &field, err);
		if (rc == 1) {
			rc = undo_refused(e, before, &by, field, err);
			log_entry_clear(&by);
		}
		if (rc)
			goto out;
	}
	if (root == LOG_CREATE && depth % 2 == 0) {
		rc = undo_create(t, a->actor, before, e->seq, err);
		goto out;
	}
	after = idea_clone(before);
	if (root == LOG_COMMENT) {
		codec_pair_key(pk, before->key, root_seq);
		rc = depth % 2
			 ? st_put(t, DB_COMMENTS, pk, sizeof(pk), "", 0, 0, err)
			 : st_del(t, DB_COMMENTS, pk, sizeof(pk), err);
		if (rc)
			goto out;
	}
	for (size_t i = 0; i < e->nchanges; i++) {
		const struct log_change *c = &e->changes[i];
		if (!c->name)
			continue;
		if (strcmp(c->name, "rank") == 0) {
			after->rank =
			    c->before ? strtoull(c->before, NULL, 10) : 0;
			continue;
		}
		int f = idea_field_parse(c->name);
		if (f >= 0)
			idea_set_raw(after, f, c->before);
	}
	/* An edit undone after someone moved the idea on must not empty a
	 * field the gate of that move asked for. */
	int lost = undo_gate_loss(before, after);
	if (lost >= 0 && !log_entry_change(e, "stage") &&
	    idea_revision(before) != e->revision) {
		struct log_entry by;
		const char *field = NULL;
		rc = undo_blocker(t, e, UNDO_BLOCK_MOVE, &by, &field, err);
		if (rc == 1) {
			rc = undo_refused(e, before, &by, field, err);
			if (err)
				err->missing = UINT64_C(1) << lost;
			log_entry_clear(&by);
		}
		if (rc)
			goto out;
	}
	rc = st_idea_update(t, a->actor, before, after, LOG_UNDO,
			    e->kind == LOG_COMMENT ? e->text : NULL, 0, e->seq,
			    err);
out:
	idea_free(before);
	idea_free(after);
	return rc;
}

static int undo_run(struct store *s, const struct store_actor *actor,
		    uint64_t seq, int redo, struct log_entry *undone,
		    struct fai_err *err)
{
	struct undo_arg a;
	memset(&a, 0, sizeof(a));
	a.actor = actor;
	a.seq = seq;
	a.redo = redo;
	int rc = store_write(s, undo_txn, &a, err);
	if (!rc && undone)
		*undone = a.target;
	else
		log_entry_clear(&a.target);
	return rc;
}

int store_undo(struct store *s, const struct store_actor *actor, uint64_t seq,
	       struct log_entry *undone, struct fai_err *err)
{
	return undo_run(s, actor, seq, 0, undone, err);
}

int store_redo(struct store *s, const struct store_actor *actor,
	       struct log_entry *undone, struct fai_err *err)
{
	return undo_run(s, actor, 0, 1, undone, err);
}
