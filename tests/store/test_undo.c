/* test_undo.c - store_undo: each kind of action undone, the walk back
 * through one user's actions, other users' actions left alone, conflicts
 * and "nothing to undo".  store_check must find nothing after each step. */
#include "store_fixture.h"

static void undo_ok(struct fx *f, struct store_actor *who, uint64_t seq,
		    enum log_kind kind, const char *ref)
{
	struct log_entry e;
	memset(&e, 0, sizeof(e));
	fai_err_clear(&f->err);
	int rc = store_undo(f->s, fx_tick(who), seq, &e, &f->err);
	if (rc)
		fail_msg("undo by %s: %s (%s %s; %s)", who->user,
			 fai_strerror(rc), f->err.field, f->err.value,
			 f->err.detail);
	if (e.kind != kind || (ref && strcmp(e.ref, ref)))
		fail_msg("undid %s of '%s', want %s of '%s'",
			 log_kind_code(e.kind), e.ref, log_kind_code(kind),
			 ref ? ref : "");
	log_entry_clear(&e);
	fx_check_ok(f->s);
}

static void test_undo_edit(void **state)
{
	struct fx *f = *state;
	char ref[24];
	struct log_entry e;

	fx_create(f, fx_tick(&f->alice), "Boîte à outils", "Prêter", NULL, ref);
	struct store_set sets[] = {{IDEA_TITLE, "Outilthèque"},
				   {IDEA_NEED, NULL},
				   {IDEA_TAGS, "partage; outils"}};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), ref, sets, 3,
					 0, NULL, &f->err),
			 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, &e, &f->err),
			 0);
	assert_int_equal(e.kind, LOG_EDIT);
	assert_int_equal(e.seq, 2);
	assert_string_equal(e.ref, ref);
	log_entry_clear(&e);
	fx_check_ok(f->s);

	struct idea *i = fx_find(f, ref);
	assert_string_equal(idea_get(i, IDEA_TITLE), "Boîte à outils");
	assert_string_equal(idea_get(i, IDEA_NEED), "Prêter");
	assert_string_equal(idea_get(i, IDEA_TAGS), "");
	assert_int_equal(idea_revision(i), 3);

	fx_last_entry(f, i->key, &e);
	assert_int_equal(e.kind, LOG_UNDO);
	assert_int_equal(e.target, 2);
	assert_int_equal(e.revision, 3);
	assert_string_equal(e.user, "alice");
	const struct log_change *c = log_entry_change(&e, "title");
	assert_non_null(c);
	assert_string_equal(c->before, "Outilthèque");
	assert_string_equal(c->after, "Boîte à outils");
	log_entry_clear(&e);
	idea_free(i);
}

static void test_undo_move(void **state)
{
	struct fx *f = *state;
	char a[24], b[24], c[24], col[256];
	uint64_t counts[STAGE_COUNT];

	fx_create(f, fx_tick(&f->alice), "A", "n", "69", a);
	fx_create(f, fx_tick(&f->alice), "B", "n", "69", b);
	fx_create(f, fx_tick(&f->alice), "C", "n", "69", c);
	struct idea *ib0 = fx_find(f, b);

	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), b,
					 STAGE_CONCEPT, NULL, 1, 0, NULL,
					 &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), c,
					 STAGE_ON_HOLD, "Été", 0, 0, NULL,
					 &f->err),
			 0);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001");

	undo_ok(f, &f->alice, 0, LOG_MOVE, c);
	struct idea *ic = fx_find(f, c);
	assert_string_equal(idea_get(ic, IDEA_STAGE), "need");
	assert_string_equal(idea_get(ic, IDEA_STAGE_REASON), "");
	assert_string_equal(idea_get(ic, IDEA_STAGE_PREV), "");
	idea_free(ic);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001 84-0003");

	/* b goes back between a and c, where it was. */
	undo_ok(f, &f->alice, 0, LOG_MOVE, b);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001 84-0002 84-0003");
	fx_column(f, STAGE_CONCEPT, col, sizeof(col));
	assert_string_equal(col, "");
	struct idea *ib = fx_find(f, b);
	assert_string_equal(idea_get(ib, IDEA_STAGE), "need");
	assert_string_equal(idea_get(ib, IDEA_STAGE_SINCE),
			    idea_get(ib0, IDEA_STAGE_SINCE));
	assert_int_equal(ib->rank, ib0->rank);
	assert_int_equal(idea_revision(ib), 3);
	idea_free(ib);
	idea_free(ib0);
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 3);
	assert_int_equal(counts[STAGE_CONCEPT], 0);
	assert_int_equal(counts[STAGE_ON_HOLD], 0);
}

static void test_undo_comment(void **state)
{
	struct fx *f = *state;
	char ref[24];
	struct log_entry *v = NULL, e;
	size_t n;

	fx_create(f, fx_tick(&f->alice), "Ludothèque", NULL, NULL, ref);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), ref,
					    "Le premier reste", 0, NULL,
					    &f->err),
			 0);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->alice), ref,
					    "Faute de frappe", 0, NULL,
					    &f->err),
			 0);
	struct idea *i = fx_find(f, ref);
	assert_int_equal(store_comments(f->s, i->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 2);
	for (size_t k = 0; k < n; k++)
		log_entry_clear(&v[k]);
	free(v);

	undo_ok(f, &f->alice, 0, LOG_COMMENT, ref);
	assert_int_equal(store_comments(f->s, i->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].text, "Le premier reste");
	log_entry_clear(&v[0]);
	free(v);
	assert_int_equal(fx_rev(f, ref), 4);

	fx_last_entry(f, i->key, &e);
	assert_int_equal(e.kind, LOG_UNDO);
	assert_int_equal(e.target, 3);
	assert_string_equal(fx_s(e.text), "Faute de frappe");
	log_entry_clear(&e);
	idea_free(i);
}

static void test_undo_create(void **state)
{
	struct fx *f = *state;
	char ref[24], col[64];
	struct fx_log l;
	uint64_t counts[STAGE_COUNT];

	fx_create(f, fx_tick(&f->alice), "Éphémère", "besoin", "69", ref);
	struct idea *i = fx_find(f, ref);
	undo_ok(f, &f->alice, 0, LOG_CREATE, ref);

	struct idea *gone = NULL;
	assert_int_equal(store_idea_find(f->s, ref, &gone, &f->err),
			 -FAI_ENOTFOUND);
	assert_int_equal(
	    store_idea_find(f->s, idea_get(i, IDEA_ID), &gone, &f->err),
	    -FAI_ENOTFOUND);
	assert_int_equal(store_idea_get(f->s, i->key, &gone, &f->err),
			 -FAI_ENOTFOUND);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "");
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 0);

	/* The log still holds every value it had. */
	fx_log_read(f, i->key, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].kind, LOG_CREATE);
	assert_int_equal(l.v[1].kind, LOG_UNDO);
	assert_int_equal(l.v[1].target, l.v[0].seq);
	assert_int_equal(l.v[1].revision, 2);
	free(l.v);
	struct log_entry e;
	fx_last_entry(f, i->key, &e);
	const struct log_change *c = log_entry_change(&e, "title");
	assert_non_null(c);
	assert_string_equal(c->before, "Éphémère");
	assert_null(c->after);
	c = log_entry_change(&e, "id");
	assert_non_null(c);
	assert_string_equal(c->before, idea_get(i, IDEA_ID));
	c = log_entry_change(&e, "need");
	assert_non_null(c);
	assert_string_equal(c->before, "besoin");
	log_entry_clear(&e);

	/* The reference is not handed out again. */
	char next[24];
	fx_create(f, fx_tick(&f->alice), "Suivante", NULL, NULL, next);
	assert_string_not_equal(next, ref);
	fx_check_ok(f->s);
	idea_free(i);
}

static void test_undo_reorder(void **state)
{
	struct fx *f = *state;
	char col[128];
	for (int k = 0; k < 3; k++)
		fx_create(f, fx_tick(&f->alice), "X", NULL, NULL, NULL);
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), "84-3",
					    -2, 0, NULL, &f->err),
			 0);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0003 84-0001 84-0002");
	undo_ok(f, &f->alice, 0, LOG_REORDER, "84-0003");
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001 84-0002 84-0003");
}

/* Repeated undo walks back through the user's actions, on one idea and
 * across ideas, skipping what others did. */
static void test_undo_walks_back(void **state)
{
	struct fx *f = *state;
	char x[24], y[24], z[24], col[128];
	struct log_entry *v;
	size_t n;

	fx_create(f, fx_tick(&f->alice), "X", "n", "69", x);
	fx_create(f, fx_tick(&f->bob), "Z", NULL, NULL, z);
	struct store_set t = {IDEA_TITLE, "X2"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &t, 1, 0,
					 NULL, &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), x,
					 STAGE_CONCEPT, NULL, 1, 0, NULL,
					 &f->err),
			 0);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), z, "Bob", 0,
					    NULL, &f->err),
			 0);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->alice), x,
					    "Alice", 0, NULL, &f->err),
			 0);
	fx_create(f, fx_tick(&f->alice), "Y", NULL, NULL, y);
	assert_int_equal(
	    store_config_set(f->s, fx_tick(&f->bob), "wip.need", "4", &f->err),
	    0);

	undo_ok(f, &f->alice, 0, LOG_CREATE, y);
	undo_ok(f, &f->alice, 0, LOG_COMMENT, x);
	struct idea *ix = fx_find(f, x);
	assert_int_equal(store_comments(f->s, ix->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 0);
	free(v);
	undo_ok(f, &f->alice, 0, LOG_MOVE, x);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001 84-0002");
	undo_ok(f, &f->alice, 0, LOG_EDIT, x);
	struct idea *now = fx_find(f, x);
	assert_string_equal(idea_get(now, IDEA_TITLE), "X");
	assert_int_equal(idea_revision(now), 7);
	idea_free(now);
	undo_ok(f, &f->alice, 0, LOG_CREATE, x);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ENOTHING);

	/* Bob's actions are all still there. */
	char *w = NULL;
	assert_int_equal(store_config_get(f->s, "wip.need", &w, &f->err), 0);
	assert_string_equal(w, "4");
	free(w);
	struct idea *iz = fx_find(f, z);
	assert_int_equal(idea_revision(iz), 2);
	assert_int_equal(store_comments(f->s, iz->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 1);
	log_entry_clear(&v[0]);
	free(v);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0002");

	/* And bob walks back his own. */
	undo_ok(f, &f->bob, 0, LOG_CONFIG, NULL);
	undo_ok(f, &f->bob, 0, LOG_COMMENT, z);
	undo_ok(f, &f->bob, 0, LOG_CREATE, z);
	assert_int_equal(store_undo(f->s, fx_tick(&f->bob), 0, NULL, &f->err),
			 -FAI_ENOTHING);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "");
	idea_free(iz);
	idea_free(ix);
}

static void test_undo_other_user_not_picked(void **state)
{
	struct fx *f = *state;
	char x[24], y[24];
	struct store_actor carol = {"carol", NULL, FX_T0};

	fx_create(f, fx_tick(&f->alice), "X", NULL, NULL, x);
	fx_create(f, fx_tick(&f->bob), "Y", NULL, NULL, y);
	assert_int_equal(store_undo(f->s, fx_tick(&carol), 0, NULL, &f->err),
			 -FAI_ENOTHING);
	undo_ok(f, &f->alice, 0, LOG_CREATE, x);
	struct idea *iy = fx_find(f, y);
	assert_int_equal(idea_revision(iy), 1);
	idea_free(iy);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ENOTHING);
}

static void test_undo_conflict(void **state)
{
	struct fx *f = *state;
	char x[24];
	struct fx_snap snap;

	fx_create(f, fx_tick(&f->alice), "X", NULL, NULL, x);
	struct store_set t = {IDEA_TITLE, "X d'Alice"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &t, 1, 0,
					 NULL, &f->err),
			 0);
	/* Bob changes the field Alice's undo would put back. */
	struct store_set th = {IDEA_TITLE, "X de Bob"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->bob), x, &th, 1, 0,
					 NULL, &f->err),
			 0);
	int64_t bob_at = f->bob.now;

	fx_snapshot(f, &snap);
	uint64_t last = store_last_txn(f->s);
	fai_err_clear(&f->err);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ECONFLICT);
	assert_int_equal(f->err.code, FAI_ECONFLICT);
	/* the facts of the conflict: Alice's revision, Bob's, and Bob */
	assert_true(f->err.rev_had == 2);
	assert_true(f->err.rev_found == 3);
	assert_string_equal(f->err.by, "bob");
	assert_string_equal(f->err.value, x);
	/* ... what he changed and when */
	assert_int_equal(f->err.why, FAI_WHY_UNDO_BLOCKED);
	assert_string_equal(f->err.field, "title");
	assert_true(f->err.at == bob_at);
	/* Undoing a given entry that is not the idea's last: a conflict too. */
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 2, NULL, &f->err),
			 -FAI_ECONFLICT);
	assert_int_equal(store_last_txn(f->s), last);
	fx_unchanged(f, &snap, "refused undo");
	free(snap.bytes);
	struct idea *i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "X de Bob");
	assert_int_equal(idea_revision(i), 3);
	idea_free(i);
	fx_check_ok(f->s);

	/* Once bob undid his edit, alice's edit is the idea's last change
	 * again and can be undone, then her create. */
	undo_ok(f, &f->bob, 0, LOG_EDIT, x);
	undo_ok(f, &f->alice, 0, LOG_EDIT, x);
	i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "X");
	idea_free(i);
	undo_ok(f, &f->alice, 0, LOG_CREATE, x);
}

/* Bug 8: a colleague's comment since my edit does not block its undo; the
 * undo applies to the current revision and leaves the comment. */
static void test_undo_edit_after_colleague_comment(void **state)
{
	struct fx *f = *state;
	char x[24];
	struct log_entry *cs = NULL;
	size_t n = 0;
	fx_create(f, fx_tick(&f->alice), "Avant", NULL, NULL, x);
	struct store_set t = {IDEA_TITLE, "Après"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &t, 1, 0,
					 NULL, &f->err),
			 0);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), x,
					    "Vu avec la mairie", 0, NULL,
					    &f->err),
			 0);
	undo_ok(f, &f->alice, 0, LOG_EDIT, x);
	struct idea *i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "Avant");
	assert_int_equal(idea_revision(i), 4);
	assert_int_equal(store_comments(f->s, i->key, &cs, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(cs[0].text, "Vu avec la mairie");
	log_entry_clear(&cs[0]);
	free(cs);
	idea_free(i);
}

/* A colleague's edit of other fields does not block; theirs stays. */
static void test_undo_edit_after_colleague_other_field(void **state)
{
	struct fx *f = *state;
	char x[24];
	fx_create(f, fx_tick(&f->alice), "Avant", NULL, NULL, x);
	struct store_set t = {IDEA_TITLE, "Après"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &t, 1, 0,
					 NULL, &f->err),
			 0);
	struct store_set th = {IDEA_THEME, "Mobilité"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->bob), x, &th, 1, 0,
					 NULL, &f->err),
			 0);
	undo_ok(f, &f->alice, 0, LOG_EDIT, x);
	struct idea *i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "Avant");
	assert_string_equal(idea_get(i, IDEA_THEME), "Mobilité");
	idea_free(i);
	/* The removal of an idea someone changed since is still refused. */
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ECONFLICT);
	assert_string_equal(f->err.by, "bob");
	assert_string_equal(f->err.field, "");
}

/* The undo of a move is blocked by a colleague's move since, not by an
 * edit of a field. */
static void test_undo_move_blocked_by_move(void **state)
{
	struct fx *f = *state;
	char x[24];
	fx_create(f, fx_tick(&f->alice), "X", "Besoin", NULL, x);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), x,
					 STAGE_CONCEPT, NULL, 1, 0, NULL,
					 &f->err),
			 0);
	struct store_set th = {IDEA_THEME, "Mobilité"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->bob), x, &th, 1, 0,
					 NULL, &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->bob), x,
					 STAGE_ON_HOLD, "Attente", 0, 0, NULL,
					 &f->err),
			 0);
	fai_err_clear(&f->err);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ECONFLICT);
	assert_string_equal(f->err.field, "stage");
	assert_string_equal(f->err.by, "bob");
	assert_int_equal(f->err.stage, STAGE_ON_HOLD);
	assert_true(f->err.at == f->bob.now);
	/* Bob takes his move back: Alice's undo goes through, his theme
	 * stays. */
	undo_ok(f, &f->bob, 0, LOG_MOVE, x);
	undo_ok(f, &f->alice, 0, LOG_MOVE, x);
	struct idea *i = fx_find(f, x);
	assert_int_equal(idea_stage(i), STAGE_NEED);
	assert_string_equal(idea_get(i, IDEA_THEME), "Mobilité");
	idea_free(i);
}

/* The undo of a reorder is blocked by a colleague's move since (the card
 * left the column), and the refusal names the move, not the place. */
static void test_undo_reorder_blocked_by_move(void **state)
{
	struct fx *f = *state;
	char x[24], y[24];
	fx_create(f, fx_tick(&f->alice), "X", "Besoin", NULL, x);
	fx_create(f, fx_tick(&f->alice), "Y", "Besoin", NULL, y);
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), x, 1, 0,
					    NULL, &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->bob), x,
					 STAGE_ON_HOLD, "Attente", 0, 0, NULL,
					 &f->err),
			 0);
	fai_err_clear(&f->err);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ECONFLICT);
	assert_string_equal(f->err.field, "stage");
	assert_int_equal(f->err.stage, STAGE_ON_HOLD);
	assert_string_equal(f->err.by, "bob");
	fx_check_ok(f->s);
}

/* An edit undone after a colleague moved the idea on must not empty a
 * field that move's gate needed: refused, naming the move and the field. */
static void test_undo_edit_blocked_by_gate(void **state)
{
	struct fx *f = *state;
	char x[24];
	fx_create(f, fx_tick(&f->alice), "X", "Un besoin", NULL, x);
	struct store_set te = {IDEA_TERRITORY, "69"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &te, 1, 0,
					 NULL, &f->err),
			 0);
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->bob), x,
					 STAGE_CONCEPT, NULL, 0, 0, NULL,
					 &f->err),
			 0);
	fai_err_clear(&f->err);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ECONFLICT);
	assert_string_equal(f->err.field, "stage");
	assert_string_equal(f->err.by, "bob");
	assert_int_equal(f->err.stage, STAGE_CONCEPT);
	assert_true(f->err.missing == (UINT64_C(1) << IDEA_TERRITORY));
	struct idea *i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TERRITORY), "69");
	idea_free(i);
	fx_check_ok(f->s);
}

/* store_redo: the last undo comes back; successive redos bring back
 * successive undos; an undo after them takes back the last redone; a new
 * action ends what can be redone. */
static void test_redo_chain(void **state)
{
	struct fx *f = *state;
	char x[24];
	struct log_entry e;
	fx_create(f, fx_tick(&f->alice), "T0", NULL, NULL, x);
	struct store_set t = {IDEA_TITLE, "T1"};
	struct store_set th = {IDEA_THEME, "Thème"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &t, 1, 0,
					 NULL, &f->err),
			 0);
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &th, 1, 0,
					 NULL, &f->err),
			 0);
	assert_int_equal(store_redo(f->s, fx_tick(&f->alice), NULL, &f->err),
			 -FAI_ENOTHING);
	undo_ok(f, &f->alice, 0, LOG_EDIT, x); /* theme */
	undo_ok(f, &f->alice, 0, LOG_EDIT, x); /* title */
	/* Bob's actions do not end Alice's redos. */
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), x, "Bien",
					    0, NULL, &f->err),
			 0);
	assert_int_equal(store_redo(f->s, fx_tick(&f->bob), NULL, &f->err),
			 -FAI_ENOTHING);
	memset(&e, 0, sizeof(e));
	assert_int_equal(store_redo(f->s, fx_tick(&f->alice), &e, &f->err), 0);
	assert_int_equal(e.kind, LOG_UNDO);
	assert_non_null(log_entry_change(&e, "title"));
	log_entry_clear(&e);
	struct idea *i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "T1");
	assert_string_equal(idea_get(i, IDEA_THEME), "");
	idea_free(i);
	assert_int_equal(store_redo(f->s, fx_tick(&f->alice), &e, &f->err), 0);
	assert_non_null(log_entry_change(&e, "theme"));
	log_entry_clear(&e);
	assert_int_equal(store_redo(f->s, fx_tick(&f->alice), NULL, &f->err),
			 -FAI_ENOTHING);
	fx_check_ok(f->s);
	/* Undo after the redos: the theme, redone last. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, &e, &f->err),
			 0);
	assert_non_null(log_entry_change(&e, "theme"));
	log_entry_clear(&e);
	/* A new action of Alice's: nothing to redo any more. */
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->alice), x,
					    "Suite", 0, NULL, &f->err),
			 0);
	assert_int_equal(store_redo(f->s, fx_tick(&f->alice), NULL, &f->err),
			 -FAI_ENOTHING);
	i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_THEME), "");
	idea_free(i);
	fx_check_ok(f->s);
}

/* A redo follows the same rule: refused when someone changed the field
 * since the undo. */
static void test_redo_blocked(void **state)
{
	struct fx *f = *state;
	char x[24];
	fx_create(f, fx_tick(&f->alice), "T0", NULL, NULL, x);
	struct store_set t = {IDEA_TITLE, "T1"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &t, 1, 0,
					 NULL, &f->err),
			 0);
	undo_ok(f, &f->alice, 0, LOG_EDIT, x);
	struct store_set tb = {IDEA_TITLE, "T de Bob"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->bob), x, &tb, 1, 0,
					 NULL, &f->err),
			 0);
	fai_err_clear(&f->err);
	assert_int_equal(store_redo(f->s, fx_tick(&f->alice), NULL, &f->err),
			 -FAI_ECONFLICT);
	assert_string_equal(f->err.field, "title");
	assert_string_equal(f->err.by, "bob");
	struct idea *i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "T de Bob");
	idea_free(i);
}

static void test_undo_nothing(void **state)
{
	struct fx *f = *state;
	struct fx_snap snap;
	struct log_entry e;

	fx_snapshot(f, &snap);
	memset(&e, 0, sizeof(e));
	fai_err_clear(&f->err);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, &e, &f->err),
			 -FAI_ENOTHING);
	assert_int_equal(f->err.code, FAI_ENOTHING);
	assert_int_equal(e.kind, 0);
	assert_null(e.user);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 1, NULL, &f->err),
			 -FAI_ENOTHING);
	fx_unchanged(f, &snap, "nothing to undo");
	free(snap.bytes);
}

/* Undo of a given entry (seq), by anyone; undoing an UNDO entry redoes. */
static void test_undo_seq(void **state)
{
	struct fx *f = *state;
	char x[24], y[24];

	fx_create(f, fx_tick(&f->alice), "X", "n", "69", x);
	fx_create(f, fx_tick(&f->alice), "Y", NULL, NULL, y);
	undo_ok(f, &f->bob, 1, LOG_CREATE, x);
	struct idea *iy = fx_find(f, y), *none = NULL;
	idea_free(iy);
	assert_int_equal(store_idea_find(f->s, x, &none, &f->err),
			 -FAI_ENOTFOUND);
	uint64_t last = store_last_txn(f->s);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 1, NULL, &f->err),
			 -FAI_ENOTHING); /* already undone */
	assert_int_equal(
	    store_undo(f->s, fx_tick(&f->alice), 99, NULL, &f->err),
	    -FAI_ENOTHING); /* no such entry */
	assert_int_equal(store_last_txn(f->s), last);

	/* Undoing the UNDO entry (seq 3) brings x back as it was. */
	undo_ok(f, &f->bob, 3, LOG_UNDO, x);
	struct idea *ix = fx_find(f, x);
	assert_string_equal(idea_get(ix, IDEA_TITLE), "X");
	assert_string_equal(idea_get(ix, IDEA_NEED), "n");
	assert_string_equal(idea_get(ix, IDEA_REF), "84-0001");
	assert_int_equal(idea_revision(ix), 3);
	idea_free(ix);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 3, NULL, &f->err),
			 -FAI_ENOTHING); /* already redone */

	/* alice walks back: y's create, then x's create (redone by bob, so
	 * in effect again). */
	undo_ok(f, &f->alice, 0, LOG_CREATE, y);
	undo_ok(f, &f->alice, 0, LOG_CREATE, x);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ENOTHING);
	uint64_t counts[STAGE_COUNT];
	assert_int_equal(store_stage_counts(f->s, counts, &f->err), 0);
	assert_int_equal(counts[STAGE_NEED], 0);
}

/* The seq of the last log entry. */
static uint64_t last_seq(struct fx *f)
{
	struct log_entry e;
	fx_last_entry(f, 0, &e);
	uint64_t seq = e.seq;
	log_entry_clear(&e);
	return seq;
}

/* Redo (undo of an UNDO entry) of an edit, and the undo of that redo. */
static void test_redo_edit(void **state)
{
	struct fx *f = *state;
	char x[24];
	fx_create(f, fx_tick(&f->alice), "Avant", NULL, NULL, x);
	struct store_set t = {IDEA_TITLE, "Après"};
	assert_int_equal(store_idea_edit(f->s, fx_tick(&f->alice), x, &t, 1, 0,
					 NULL, &f->err),
			 0);
	undo_ok(f, &f->alice, 0, LOG_EDIT, x);
	uint64_t u1 = last_seq(f);
	undo_ok(f, &f->alice, u1, LOG_UNDO, x);
	struct idea *i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "Après");
	assert_int_equal(idea_revision(i), 4);
	idea_free(i);
	/* Undo walks back past the pair: the edit is in effect again. */
	undo_ok(f, &f->alice, 0, LOG_EDIT, x);
	i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "Avant");
	idea_free(i);
	undo_ok(f, &f->alice, 0, LOG_CREATE, x);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ENOTHING);
}

/* Redo of an undone comment brings it back; undoing that redo removes it. */
static void test_redo_comment(void **state)
{
	struct fx *f = *state;
	char x[24];
	struct log_entry *v = NULL;
	size_t n = 0;
	fx_create(f, fx_tick(&f->alice), "Commentée", NULL, NULL, x);
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->alice), x,
					    "Je reviens", 0, NULL, &f->err),
			 0);
	struct idea *i = fx_find(f, x);
	undo_ok(f, &f->alice, 0, LOG_COMMENT, x);
	uint64_t u1 = last_seq(f);
	undo_ok(f, &f->alice, u1, LOG_UNDO, x);
	assert_int_equal(store_comments(f->s, i->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].text, "Je reviens");
	log_entry_clear(&v[0]);
	free(v);
	uint64_t u2 = last_seq(f);
	undo_ok(f, &f->alice, u2, LOG_UNDO, x);
	assert_int_equal(store_comments(f->s, i->key, &v, &n, &f->err), 0);
	assert_int_equal(n, 0);
	free(v);
	idea_free(i);
}

/* Undo of a create, redo, undo of the redo: the idea goes again (not an
 * idea emptied of its fields). */
static void test_redo_create(void **state)
{
	struct fx *f = *state;
	char x[24], col[64];
	fx_create(f, fx_tick(&f->alice), "Revenante", "n", "69", x);
	undo_ok(f, &f->alice, 0, LOG_CREATE, x);
	uint64_t u1 = last_seq(f);
	undo_ok(f, &f->alice, u1, LOG_UNDO, x);
	struct idea *i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "Revenante");
	assert_string_equal(idea_get(i, IDEA_TERRITORY), "69");
	idea_free(i);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "84-0001");
	uint64_t u2 = last_seq(f);
	undo_ok(f, &f->alice, u2, LOG_UNDO, x);
	struct idea *none = NULL;
	assert_int_equal(store_idea_find(f->s, x, &none, &f->err),
			 -FAI_ENOTFOUND);
	fx_column(f, STAGE_NEED, col, sizeof(col));
	assert_string_equal(col, "");
	uint64_t u3 = last_seq(f);
	undo_ok(f, &f->alice, u3, LOG_UNDO, x);
	i = fx_find(f, x);
	assert_string_equal(idea_get(i, IDEA_TITLE), "Revenante");
	assert_int_equal(idea_revision(i), 5);
	idea_free(i);
}

static void test_undo_config(void **state)
{
	struct fx *f = *state;
	char *v = NULL;

	assert_int_equal(store_config_set(f->s, fx_tick(&f->alice),
					  "stale.days", "45", &f->err),
			 0);
	assert_int_equal(store_config_set(f->s, fx_tick(&f->alice),
					  "stale.days", "60", &f->err),
			 0);
	undo_ok(f, &f->alice, 0, LOG_CONFIG, NULL);
	assert_int_equal(store_config_get(f->s, "stale.days", &v, &f->err), 0);
	assert_string_equal(v, "45");
	free(v);
	undo_ok(f, &f->alice, 0, LOG_CONFIG, NULL);
	assert_int_equal(store_config_get(f->s, "stale.days", &v, &f->err), 0);
	assert_string_equal(v, "30");
	free(v);
	struct log_entry e;
	fx_last_entry(f, 0, &e);
	assert_int_equal(e.kind, LOG_UNDO);
	assert_int_equal(e.target, 1);
	log_entry_clear(&e);
	assert_int_equal(store_undo(f->s, fx_tick(&f->alice), 0, NULL, &f->err),
			 -FAI_ENOTHING);
	/* Setting it again works from the restored value. */
	assert_int_equal(store_config_set(f->s, fx_tick(&f->alice),
					  "stale.days", "30", &f->err),
			 -FAI_ENOTHING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_undo_edit, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_move, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_comment, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_create, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_reorder, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_walks_back, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_other_user_not_picked,
					    fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_conflict, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(
		test_undo_edit_after_colleague_comment, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(
		test_undo_edit_after_colleague_other_field, fx_setup,
		fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_move_blocked_by_move,
					    fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_reorder_blocked_by_move,
					    fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_edit_blocked_by_gate,
					    fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_redo_chain, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_redo_blocked, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_nothing, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_seq, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_undo_config, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_redo_edit, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_redo_comment, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_redo_create, fx_setup,
					    fx_teardown),
	};
	return cmocka_run_group_tests_name("store undo", tests, NULL, NULL);
}
