/* test_stage.c - stage codes and every allowed and refused move of the
 * pipeline rules, the gates with their exact missing fields, force, reasons,
 * and what applying a move changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/idea.h"
#include "../../core/isotime.h"
#include "../../core/stage.h"

/* An idea at stage `at` (put there from prev when on_hold/abandoned;
 * STAGE_NONE for unknown), with every gated field filled when full. */
static struct idea *make(enum stage at, enum stage prev, int full)
{
	struct idea *idea = idea_new();

	idea_set_raw(idea, IDEA_TITLE, "Repair café");
	idea_set_raw(idea, IDEA_REGION, "84");
	idea_set_raw(idea, IDEA_STAGE, stage_code(at));
	if (prev != STAGE_NONE)
		idea_set_raw(idea, IDEA_STAGE_PREV, stage_code(prev));
	if (full) {
		idea_set_raw(idea, IDEA_NEED, "Vélos abandonnés");
		idea_set_raw(idea, IDEA_TERRITORY, "69123");
		idea_set_raw(idea, IDEA_CONCEPT, "Atelier associatif");
		idea_set_raw(idea, IDEA_OWNER, "Camille Martin");
		idea_set_raw(idea, IDEA_STRUCTURE, "Vélo Solidaire");
		idea_set_raw(idea, IDEA_LAUNCH_DATE, "2026-09-01");
	}
	return idea;
}

static void test_codes(void **state)
{
	static const char *const codes[] = {"need",	    "concept",
					    "owner_search", "launched",
					    "on_hold",	    "abandoned"};
	int s;

	(void)state;
	for (s = 0; s < STAGE_COUNT; s++) {
		assert_string_equal(stage_code((enum stage)s), codes[s]);
		assert_int_equal(stage_parse(codes[s]), s);
		assert_true(strlen(stage_label((enum stage)s)) > 0);
		assert_int_equal(stage_is_pipeline((enum stage)s),
				 s < STAGE_PIPELINE_COUNT);
	}
	assert_string_equal(stage_label(STAGE_OWNER_SEARCH), "Owner search");
	assert_string_equal(stage_code(STAGE_NONE), "");
	assert_string_equal(stage_code(STAGE_COUNT), "");
	assert_string_equal(stage_label(STAGE_NONE), "");
	assert_int_equal(stage_is_pipeline(STAGE_NONE), 0);
	assert_int_equal(stage_parse(NULL), STAGE_NONE);
	assert_int_equal(stage_parse(""), STAGE_NONE);
	assert_int_equal(stage_parse("owner search"), STAGE_NONE);
	assert_int_equal(stage_parse("needs"), STAGE_NONE);
	assert_int_equal(stage_parse("a_very_long_stage_name_indeed"),
			 STAGE_NONE);
	assert_int_equal(stage_parse("Owner-Search"), STAGE_OWNER_SEARCH);
	assert_int_equal(stage_parse("ON_HOLD"), STAGE_ON_HOLD);
	assert_int_equal(stage_parse("on-hold"), STAGE_ON_HOLD);
	assert_int_equal(stage_parse("Launched"), STAGE_LAUNCHED);
}

/* A French file's stage values: each label reads back as its stage, in
 * any case and with or without accents; labels are distinct. */
static void test_stage_labels_fr(void **state)
{
	(void)state;
	for (int s = 0; s < STAGE_COUNT; s++) {
		assert_true(strlen(stage_label_fr((enum stage)s)) > 0);
		assert_int_equal(stage_parse(stage_label_fr((enum stage)s)), s);
	}
	assert_string_equal(stage_label_fr(STAGE_OWNER_SEARCH),
			    "Recherche de porteur");
	assert_string_equal(stage_label_fr(STAGE_NONE), "");
	assert_int_equal(stage_parse("recherche de porteur"),
			 STAGE_OWNER_SEARCH);
	assert_int_equal(stage_parse("ACTIVITE LANCEE"), STAGE_LAUNCHED);
	assert_int_equal(stage_parse("Activité  lancée"), STAGE_NONE);
	assert_int_equal(stage_parse("abandonnee"), STAGE_ABANDONED);
	assert_int_equal(stage_parse("En-veille"), STAGE_ON_HOLD);
	assert_int_equal(stage_parse("besoin identifié"), STAGE_NEED);
	assert_int_equal(stage_parse("Recherche"), STAGE_NONE);
}

/* One row per starting point; per target stage: 'o' allowed, 'm' refused
 * as MOVE, 's' refused as SAME_STAGE.  Gated fields are all present and a
 * reason is always given, so only the move rules decide. */
static const struct {
	enum stage at, prev;
	const char *expect; /* need concept owner launched on_hold abandoned */
} moves[] = {
    {STAGE_NEED, STAGE_NONE,
     "somm"
     "oo"},
    {STAGE_CONCEPT, STAGE_NONE,
     "osom"
     "oo"},
    {STAGE_OWNER_SEARCH, STAGE_NONE,
     "ooso"
     "oo"},
    {STAGE_LAUNCHED, STAGE_NONE,
     "ooos"
     "oo"},
    {STAGE_ON_HOLD, STAGE_NEED,
     "oomm"
     "so"},
    {STAGE_ON_HOLD, STAGE_CONCEPT,
     "ooom"
     "so"},
    {STAGE_ON_HOLD, STAGE_OWNER_SEARCH,
     "oooo"
     "so"},
    {STAGE_ON_HOLD, STAGE_LAUNCHED,
     "oooo"
     "so"},
    {STAGE_ON_HOLD, STAGE_NONE,
     "oooo"
     "so"},
    {STAGE_ABANDONED, STAGE_NEED,
     "ommm"
     "ms"},
    {STAGE_ABANDONED, STAGE_CONCEPT,
     "momm"
     "ms"},
    {STAGE_ABANDONED, STAGE_OWNER_SEARCH,
     "mmom"
     "ms"},
    {STAGE_ABANDONED, STAGE_LAUNCHED,
     "mmmo"
     "ms"},
    {STAGE_ABANDONED, STAGE_NONE,
     "oooo"
     "ms"},
};

static void test_move_table(void **state)
{
	struct fai_err err;
	struct idea *idea;
	size_t i;
	int to, rc, gated, force;

	(void)state;
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		idea = make(moves[i].at, moves[i].prev, 1);
		for (to = 0; to < STAGE_COUNT; to++) {
			for (force = 0; force <= 1; force++) {
				fai_err_clear(&err);
				gated = -1;
				rc = stage_move_check(idea, (enum stage)to,
						      "une raison", force,
						      &gated, &err);
				switch (moves[i].expect[to]) {
				case 'o':
					if (rc != 0)
						fail_msg(
						    "%s(%s) -> %s: %d %s",
						    stage_code(moves[i].at),
						    stage_code(moves[i].prev),
						    stage_code(to), rc,
						    fai_why_text(err.why));
					assert_int_equal(gated, 0);
					break;
				case 'm':
				case 's':
					if (rc != -FAI_ERULE)
						fail_msg(
						    "%s(%s) -> %s: %d",
						    stage_code(moves[i].at),
						    stage_code(moves[i].prev),
						    stage_code(to), rc);
					assert_int_equal(err.code, FAI_ERULE);
					assert_int_equal(
					    err.why, moves[i].expect[to] == 'm'
							 ? FAI_WHY_MOVE
							 : FAI_WHY_SAME_STAGE);
					assert_string_equal(err.field, "stage");
					assert_string_equal(err.value,
							    stage_code(to));
					assert_int_equal(gated, 0);
					break;
				default:
					fail();
				}
			}
		}
		idea_free(idea);
	}
}

static void test_move_degenerate(void **state)
{
	struct fai_err err;
	struct idea *idea;

	(void)state;
	/* No stage at all: nothing to move from. */
	idea = idea_new();
	assert_int_equal(
	    stage_move_check(idea, STAGE_CONCEPT, NULL, 0, NULL, &err),
	    -FAI_ERULE);
	assert_int_equal(err.why, FAI_WHY_MOVE);
	idea_free(idea);
	idea = make(STAGE_NEED, STAGE_NONE, 1);
	/* Not a stage. */
	assert_int_equal(
	    stage_move_check(idea, STAGE_NONE, NULL, 0, NULL, &err),
	    -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_STAGE);
	assert_int_equal(
	    stage_move_check(idea, STAGE_COUNT, NULL, 1, NULL, NULL),
	    -FAI_EINVAL);
	/* err and gated may be NULL. */
	assert_int_equal(
	    stage_move_check(idea, STAGE_CONCEPT, NULL, 0, NULL, NULL), 0);
	assert_int_equal(
	    stage_move_check(idea, STAGE_LAUNCHED, NULL, 0, NULL, NULL),
	    -FAI_ERULE);
	idea_free(idea);
}

static void test_reason_required(void **state)
{
	static const char *const none[] = {NULL, "", "   ", "\n\t "};
	struct fai_err err;
	struct idea *idea;
	size_t i;
	int force;

	(void)state;
	for (i = 0; i < 4; i++) {
		for (force = 0; force <= 1; force++) {
			idea = make(STAGE_CONCEPT, STAGE_NONE, 1);
			assert_int_equal(stage_move_check(idea, STAGE_ON_HOLD,
							  none[i], force, NULL,
							  &err),
					 -FAI_ERULE);
			assert_int_equal(err.why, FAI_WHY_REASON);
			assert_string_equal(err.value, "on_hold");
			assert_int_equal(stage_move_check(idea, STAGE_ABANDONED,
							  none[i], force, NULL,
							  &err),
					 -FAI_ERULE);
			assert_int_equal(err.why, FAI_WHY_REASON);
			assert_string_equal(err.value, "abandoned");
			/* Other moves need no reason. */
			assert_int_equal(stage_move_check(idea, STAGE_NEED,
							  none[i], force, NULL,
							  &err),
					 0);
			idea_free(idea);
			/* on_hold -> abandoned needs one too. */
			idea = make(STAGE_ON_HOLD, STAGE_CONCEPT, 1);
			assert_int_equal(stage_move_check(idea, STAGE_ABANDONED,
							  none[i], force, NULL,
							  &err),
					 -FAI_ERULE);
			assert_int_equal(err.why, FAI_WHY_REASON);
			idea_free(idea);
		}
	}
	/* A reason must be valid text for stage_reason. */
	idea = make(STAGE_CONCEPT, STAGE_NONE, 1);
	assert_int_equal(
	    stage_move_check(idea, STAGE_ON_HOLD, "caf\xE9", 0, NULL, &err),
	    -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_UTF8);
	assert_string_equal(err.field, "stage_reason");
	assert_int_equal(
	    stage_move_check(idea, STAGE_NEED, "a\x1b[2J", 0, NULL, &err),
	    -FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_CONTROL);
	assert_int_equal(stage_move_check(idea, STAGE_ON_HOLD,
					  "ligne 1\nligne 2", 0, NULL, &err),
			 0);
	idea_free(idea);
	/* An illegal move is reported as such before the reason. */
	idea = make(STAGE_ABANDONED, STAGE_NEED, 1);
	assert_int_equal(
	    stage_move_check(idea, STAGE_ON_HOLD, NULL, 0, NULL, &err),
	    -FAI_ERULE);
	assert_int_equal(err.why, FAI_WHY_MOVE);
	idea_free(idea);
}

/* Moves idea (at `at`, from prev) to `to` with nothing filled but `fill`
 * (NULL-terminated field list); checks the gate refuses with the missing
 * fields `want` (their codes, space-separated) as a set, then that force
 * passes it and says so. */
static void check_gate(enum stage at, enum stage prev, enum stage to,
		       const enum idea_field *fill, const char *want)
{
	struct fai_err err;
	struct idea *idea = make(at, prev, 0);
	int gated = -1;

	for (; fill != NULL && (int)*fill >= 0; fill++)
		idea_set_raw(idea, *fill, "x");
	fai_err_clear(&err);
	assert_int_equal(stage_move_check(idea, to, NULL, 0, &gated, &err),
			 -FAI_EGATE);
	assert_int_equal(gated, 0);
	assert_int_equal(err.code, FAI_EGATE);
	assert_string_equal(err.field, "stage");
	assert_string_equal(err.value, stage_code(to));
	{
		uint64_t set = 0;
		char *copy = strdup(want), *save = NULL;
		for (char *w = strtok_r(copy, " ", &save); w != NULL;
		     w = strtok_r(NULL, " ", &save)) {
			int f = idea_field_parse(w);
			assert_true(f >= 0);
			set |= UINT64_C(1) << f;
		}
		free(copy);
		assert_true(err.missing == set);
	}
	assert_string_equal(err.detail, "");
	assert_int_equal(err.stage, to);
	assert_int_equal(err.stage_from, at);
	gated = -1;
	assert_int_equal(stage_move_check(idea, to, NULL, 1, &gated, &err), 0);
	assert_int_equal(gated, 1);
	/* gated may be NULL with force. */
	assert_int_equal(stage_move_check(idea, to, NULL, 1, NULL, NULL), 0);
	idea_free(idea);
}

static void test_gates(void **state)
{
	static const enum idea_field none[] = {(enum idea_field) - 1};
	static const enum idea_field need[] = {IDEA_NEED,
					       (enum idea_field) - 1};
	static const enum idea_field terr[] = {IDEA_TERRITORY,
					       (enum idea_field) - 1};
	static const enum idea_field structure[] = {IDEA_STRUCTURE,
						    (enum idea_field) - 1};
	static const enum idea_field owner_date[] = {
	    IDEA_OWNER, IDEA_LAUNCH_DATE, (enum idea_field) - 1};
	static const enum idea_field owner_struct[] = {
	    IDEA_OWNER, IDEA_STRUCTURE, (enum idea_field) - 1};

	(void)state;
	check_gate(STAGE_NEED, STAGE_NONE, STAGE_CONCEPT, none,
		   "need territory");
	check_gate(STAGE_NEED, STAGE_NONE, STAGE_CONCEPT, need, "territory");
	check_gate(STAGE_NEED, STAGE_NONE, STAGE_CONCEPT, terr, "need");
	check_gate(STAGE_CONCEPT, STAGE_NONE, STAGE_OWNER_SEARCH, none,
		   "concept");
	check_gate(STAGE_OWNER_SEARCH, STAGE_NONE, STAGE_LAUNCHED, none,
		   "owner structure launch_date");
	check_gate(STAGE_OWNER_SEARCH, STAGE_NONE, STAGE_LAUNCHED, structure,
		   "owner launch_date");
	check_gate(STAGE_OWNER_SEARCH, STAGE_NONE, STAGE_LAUNCHED, owner_date,
		   "structure");
	check_gate(STAGE_OWNER_SEARCH, STAGE_NONE, STAGE_LAUNCHED, owner_struct,
		   "launch_date");
	/* Forward out of on_hold, judged from the stage it was held at. */
	check_gate(STAGE_ON_HOLD, STAGE_NEED, STAGE_CONCEPT, none,
		   "need territory");
	check_gate(STAGE_ON_HOLD, STAGE_CONCEPT, STAGE_OWNER_SEARCH, none,
		   "concept");
	check_gate(STAGE_ON_HOLD, STAGE_OWNER_SEARCH, STAGE_LAUNCHED, need,
		   "owner structure launch_date");
	/* Stage left unknown (imported): every gate up to the target. */
	check_gate(STAGE_ON_HOLD, STAGE_NONE, STAGE_LAUNCHED, none,
		   "need territory concept owner structure launch_date");
	check_gate(STAGE_ABANDONED, STAGE_NONE, STAGE_OWNER_SEARCH, terr,
		   "need concept");
}

static void test_no_gate(void **state)
{
	/* Moves that are not forward pass with empty fields and no force. */
	static const struct {
		enum stage at, prev, to;
	} ok[] = {
	    {STAGE_LAUNCHED, STAGE_NONE, STAGE_NEED},
	    {STAGE_LAUNCHED, STAGE_NONE, STAGE_OWNER_SEARCH},
	    {STAGE_CONCEPT, STAGE_NONE, STAGE_NEED},
	    {STAGE_ON_HOLD, STAGE_LAUNCHED, STAGE_LAUNCHED},
	    {STAGE_ON_HOLD, STAGE_CONCEPT, STAGE_CONCEPT},
	    {STAGE_ON_HOLD, STAGE_CONCEPT, STAGE_NEED},
	    {STAGE_ON_HOLD, STAGE_NONE, STAGE_NEED},
	    {STAGE_ABANDONED, STAGE_LAUNCHED, STAGE_LAUNCHED},
	    {STAGE_ABANDONED, STAGE_CONCEPT, STAGE_CONCEPT},
	    {STAGE_ABANDONED, STAGE_NONE, STAGE_NEED},
	};
	struct fai_err err;
	struct idea *idea;
	size_t i;
	int gated;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		idea = make(ok[i].at, ok[i].prev, 0);
		gated = -1;
		if (stage_move_check(idea, ok[i].to, NULL, 0, &gated, &err) !=
		    0)
			fail_msg("row %zu refused: %s", i, err.detail);
		assert_int_equal(gated, 0);
		idea_free(idea);
	}
	/* on_hold and abandoned have no gate, only a reason. */
	idea = make(STAGE_NEED, STAGE_NONE, 0);
	assert_int_equal(
	    stage_move_check(idea, STAGE_ON_HOLD, "attente", 0, NULL, &err), 0);
	assert_int_equal(
	    stage_move_check(idea, STAGE_ABANDONED, "doublon", 0, NULL, &err),
	    0);
	idea_free(idea);
}

static void test_force_limits(void **state)
{
	struct fai_err err;
	struct idea *idea;
	int gated = -1;

	(void)state;
	/* Force passes a gate, never an illegal move... */
	idea = make(STAGE_NEED, STAGE_NONE, 0);
	assert_int_equal(
	    stage_move_check(idea, STAGE_OWNER_SEARCH, NULL, 1, &gated, &err),
	    -FAI_ERULE);
	assert_int_equal(err.why, FAI_WHY_MOVE);
	assert_int_equal(gated, 0);
	assert_int_equal(
	    stage_move_check(idea, STAGE_NEED, NULL, 1, &gated, &err),
	    -FAI_ERULE);
	assert_int_equal(err.why, FAI_WHY_SAME_STAGE);
	/* ... nor a missing reason. */
	assert_int_equal(
	    stage_move_check(idea, STAGE_ABANDONED, "", 1, &gated, &err),
	    -FAI_ERULE);
	assert_int_equal(err.why, FAI_WHY_REASON);
	idea_free(idea);
	idea = make(STAGE_ABANDONED, STAGE_CONCEPT, 0);
	assert_int_equal(
	    stage_move_check(idea, STAGE_OWNER_SEARCH, NULL, 1, &gated, &err),
	    -FAI_ERULE);
	assert_int_equal(err.why, FAI_WHY_MOVE);
	idea_free(idea);
}

static void test_apply(void **state)
{
	struct idea *idea = make(STAGE_CONCEPT, STAGE_NONE, 1);
	char when[ISOTIME_LEN];
	int64_t now = 1795773138;

	(void)state;
	isotime_format(now, when);
	/* Forward, no reason. */
	stage_move_apply(idea, STAGE_OWNER_SEARCH, NULL, now);
	assert_int_equal(idea_stage(idea), STAGE_OWNER_SEARCH);
	assert_string_equal(idea_get(idea, IDEA_STAGE), "owner_search");
	assert_string_equal(idea_get(idea, IDEA_STAGE_REASON), "");
	assert_string_equal(idea_get(idea, IDEA_STAGE_SINCE), when);
	assert_string_equal(idea_get(idea, IDEA_STAGE_PREV), "");
	/* On hold remembers the stage left. */
	stage_move_apply(idea, STAGE_ON_HOLD, "en attente du financement",
			 now + 60);
	assert_string_equal(idea_get(idea, IDEA_STAGE), "on_hold");
	assert_string_equal(idea_get(idea, IDEA_STAGE_PREV), "owner_search");
	assert_string_equal(idea_get(idea, IDEA_STAGE_REASON),
			    "en attente du financement");
	assert_int_equal(idea_time(idea, IDEA_STAGE_SINCE, 0), now + 60);
	/* From on_hold to abandoned: still the pipeline stage. */
	assert_int_equal(
	    stage_move_check(idea, STAGE_ABANDONED, "fin", 0, NULL, NULL), 0);
	stage_move_apply(idea, STAGE_ABANDONED, "fin", now + 120);
	assert_string_equal(idea_get(idea, IDEA_STAGE), "abandoned");
	assert_string_equal(idea_get(idea, IDEA_STAGE_PREV), "owner_search");
	assert_string_equal(idea_get(idea, IDEA_STAGE_REASON), "fin");
	/* Reopen: only to owner_search, then stage_prev is cleared. */
	assert_int_equal(
	    stage_move_check(idea, STAGE_CONCEPT, NULL, 0, NULL, NULL),
	    -FAI_ERULE);
	assert_int_equal(
	    stage_move_check(idea, STAGE_OWNER_SEARCH, NULL, 0, NULL, NULL), 0);
	stage_move_apply(idea, STAGE_OWNER_SEARCH, "", now + 180);
	assert_string_equal(idea_get(idea, IDEA_STAGE), "owner_search");
	assert_string_equal(idea_get(idea, IDEA_STAGE_PREV), "");
	assert_string_equal(idea_get(idea, IDEA_STAGE_REASON), "");
	/* Back with a reason keeps the reason, normalised. */
	stage_move_apply(idea, STAGE_NEED, "  à retravailler\r\n(ok) \n",
			 now + 240);
	assert_string_equal(idea_get(idea, IDEA_STAGE_REASON),
			    "à retravailler\n(ok)");
	/* A reason the check would refuse is not stored. */
	stage_move_apply(idea, STAGE_CONCEPT, "\x1b]52;c;eA==\x07", now);
	assert_string_equal(idea_get(idea, IDEA_STAGE_REASON), "");
	stage_move_apply(idea, STAGE_NEED, NULL, now + 240);
	/* Abandoned straight from a pipeline stage. */
	stage_move_apply(idea, STAGE_ABANDONED, "doublon", now + 300);
	assert_string_equal(idea_get(idea, IDEA_STAGE_PREV), "need");
	/* The result is a valid idea. */
	assert_int_equal(idea_check(idea, NULL), 0);
	idea_free(idea);

	/* Resume from on_hold clears stage_prev. */
	idea = make(STAGE_ON_HOLD, STAGE_LAUNCHED, 1);
	stage_move_apply(idea, STAGE_LAUNCHED, NULL, now);
	assert_string_equal(idea_get(idea, IDEA_STAGE), "launched");
	assert_string_equal(idea_get(idea, IDEA_STAGE_PREV), "");
	idea_free(idea);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_move_degenerate),
	    cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_stage_labels_fr),
	    cmocka_unit_test(test_move_table),
	    cmocka_unit_test(test_reason_required),
	    cmocka_unit_test(test_gates),
	    cmocka_unit_test(test_no_gate),
	    cmocka_unit_test(test_force_limits),
	    cmocka_unit_test(test_apply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
