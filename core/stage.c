/* stage.c - the pipeline stages and the rules for moving an idea.
 *
 * Pipeline stages are ordered need < concept < owner_search < launched;
 * on_hold and abandoned stand beside them and remember, in the internal
 * field stage_prev, the pipeline stage they were entered from.  A move is
 * judged from the stage the idea is at (or, from on_hold and abandoned, from
 * stage_prev), then the reason, then the gates of a forward move.
 *
 * When stage_prev is unknown (an on_hold or abandoned idea imported from a
 * file, which does not carry stage_prev), any pipeline stage may be reached
 * and the gates of every stage from concept up to it apply.
 *
 * A reason, when given, must be a valid stage_reason (UTF-8, no control
 * characters but newline and tab, at most 64 KiB): -FAI_EINVAL otherwise. */
#include "stage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "idea.h"
#include "xmalloc.h"

/* label_fr: the value of a French exchange file (--labels fr, XLSX),
 * fixed whatever the person's language; the interface's French comes
 * from po/fr.po (tests/cli/test_reasons.sh checks they agree). */
static const struct {
	const char *code;
	const char *label;
	const char *label_fr;
} stage_names[STAGE_COUNT] = {
    [STAGE_NEED] = {"need", N_("Need identified"), "Besoin identifié"},
    [STAGE_CONCEPT] = {"concept", N_("Concept"), "Concept"},
    [STAGE_OWNER_SEARCH] = {"owner_search", N_("Owner search"),
			    "Recherche de porteur"},
    [STAGE_LAUNCHED] = {"launched", N_("Launched"), "Activité lancée"},
    [STAGE_ON_HOLD] = {"on_hold", N_("On hold"), "En veille"},
    [STAGE_ABANDONED] = {"abandoned", N_("Abandoned"), "Abandonnée"},
};

/* Fields each pipeline stage needs on entry, in the order they are
 * reported. */
static const enum idea_field stage_gate_need[] = {IDEA_NEED, IDEA_TERRITORY};
static const enum idea_field stage_gate_concept[] = {IDEA_CONCEPT};
static const enum idea_field stage_gate_launched[] = {
    IDEA_OWNER,
    IDEA_STRUCTURE,
    IDEA_LAUNCH_DATE,
};

static const struct {
	const enum idea_field *fields;
	size_t n;
} stage_gates[STAGE_PIPELINE_COUNT] = {
    [STAGE_NEED] = {NULL, 0},
    [STAGE_CONCEPT] = {stage_gate_need, 2},
    [STAGE_OWNER_SEARCH] = {stage_gate_concept, 1},
    [STAGE_LAUNCHED] = {stage_gate_launched, 3},
};

static int stage_valid(enum stage s)
{
	return (int)s >= 0 && s < STAGE_COUNT;
}

const char *stage_code(enum stage s)
{
	return stage_valid(s) ? stage_names[s].code : "";
}

const char *stage_label(enum stage s)
{
	return stage_valid(s) ? stage_names[s].label : "";
}

const char *stage_label_fr(enum stage s)
{
	return stage_valid(s) ? stage_names[s].label_fr : "";
}

/* A French label, folded as names are (idea_name_fold). */
static enum stage stage_parse_fr(const char *s)
{
	struct buf b, t;
	int st, found = STAGE_NONE;

	buf_init(&b);
	buf_init(&t);
	idea_name_fold(&b, s);
	for (st = 0; st < STAGE_COUNT && found == STAGE_NONE; st++) {
		idea_name_fold(&t, stage_names[st].label_fr);
		if (strcmp(b.data, t.data) == 0)
			found = st;
	}
	buf_free(&t);
	buf_free(&b);
	return (enum stage)found;
}

enum stage stage_parse(const char *s)
{
	char word[16];
	size_t i, n;
	int st;

	if (s == NULL)
		return STAGE_NONE;
	n = strlen(s);
	if (n == 0)
		return STAGE_NONE;
	if (n >= sizeof(word))
		return stage_parse_fr(s);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		word[i] = c == '-' ? '_' : (char)tolower(c);
	}
	word[n] = '\0';
	for (st = 0; st < STAGE_COUNT; st++)
		if (strcmp(word, stage_names[st].code) == 0)
			return (enum stage)st;
	return stage_parse_fr(s);
}

int stage_is_pipeline(enum stage s)
{
	return (int)s >= 0 && s < STAGE_PIPELINE_COUNT;
}

/* 1 when reason holds something other than white space. */
static int stage_has_reason(const char *reason)
{
	if (reason == NULL)
		return 0;
	for (; *reason != '\0'; reason++)
		if (!isspace((unsigned char)*reason))
			return 1;
	return 0;
}

_Static_assert(IDEA_FIELD_COUNT <= 64, "a set of fields fits in 64 bits");

/* Returns the gate fields of stage `to` missing from idea, as a set
 * (bit 1 << field). */
static uint64_t stage_gate_missing(const struct idea *idea, enum stage to)
{
	uint64_t set = 0;
	size_t i;
	enum idea_field f;

	for (i = 0; i < stage_gates[to].n; i++) {
		f = stage_gates[to].fields[i];
		if (idea_get(idea, f)[0] == '\0')
			set |= UINT64_C(1) << f;
	}
	return set;
}

int stage_gate_field(enum stage to, size_t i)
{
	if ((int)to < 0 || to >= STAGE_PIPELINE_COUNT || i >= stage_gates[to].n)
		return -1;
	return (int)stage_gates[to].fields[i];
}

int stage_move_check(const struct idea *idea, enum stage to, const char *reason,
		     int force, int *gated, struct fai_err *err)
{
	enum stage from, base, s, lo;
	uint64_t missing = 0;
	int rc = 0;

	if (gated != NULL)
		*gated = 0;
	if (!stage_valid(to))
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_STAGE, "stage",
				   NULL);
	from = idea_stage(idea);
	if (from == to) {
		rc = fai_err_set(err, FAI_ERULE, FAI_WHY_SAME_STAGE, "stage",
				 stage_code(to));
		fai_err_stage(err, to, from);
		return rc;
	}
	/* base: the pipeline stage the rules are judged from, NONE when
	 * unknown. */
	base = from;
	if (from == STAGE_ON_HOLD || from == STAGE_ABANDONED) {
		base = stage_parse(idea_get(idea, IDEA_STAGE_PREV));
		if (!stage_is_pipeline(base))
			base = STAGE_NONE;
	} else if (!stage_is_pipeline(from)) {
		goto illegal; /* no stage at all: nothing to move from */
	}

	if (to == STAGE_ABANDONED) {
		/* From anywhere. */
	} else if (to == STAGE_ON_HOLD) {
		if (!stage_is_pipeline(from))
			goto illegal;
	} else if (from == STAGE_ABANDONED) {
		/* Reopen: only where it was abandoned from. */
		if (base != STAGE_NONE && to != base)
			goto illegal;
	} else if (base != STAGE_NONE) {
		/* A pipeline stage, or on_hold judged from its base. */
		if (to > base + 1)
			goto illegal;
	}

	if ((to == STAGE_ON_HOLD || to == STAGE_ABANDONED) &&
	    !stage_has_reason(reason)) {
		rc = fai_err_set(err, FAI_ERULE, FAI_WHY_REASON, "stage",
				 stage_code(to));
		fai_err_stage(err, to, from);
		return rc;
	}

	/* The reason is stored as stage_reason: it must be valid for it. */
	if (stage_has_reason(reason)) {
		struct idea scratch;

		memset(&scratch, 0, sizeof(scratch));
		rc = idea_set(&scratch, IDEA_STAGE_REASON, reason, 1, err);
		free(scratch.v[IDEA_STAGE_REASON]);
		if (rc < 0)
			return rc;
	}

	/* Gates: forward moves into a pipeline stage only. */
	if (!stage_is_pipeline(to))
		return 0;
	if (base != STAGE_NONE && to != base + 1)
		return 0;
	lo = base != STAGE_NONE ? to : STAGE_CONCEPT;
	for (s = lo; s <= to; s++)
		missing |= stage_gate_missing(idea, s);
	if (missing != 0) {
		if (force) {
			if (gated != NULL)
				*gated = 1;
		} else {
			rc = fai_err_set(err, FAI_EGATE, FAI_WHY_NONE, "stage",
					 stage_code(to));
			fai_err_stage(err, to, from);
			if (err != NULL)
				err->missing = missing;
		}
	}
	return rc;

illegal:
	rc = fai_err_set(err, FAI_ERULE, FAI_WHY_MOVE, "stage", stage_code(to));
	fai_err_stage(err, to, from);
	return rc;
}

void stage_move_apply(struct idea *idea, enum stage to, const char *reason,
		      int64_t now)
{
	enum stage from = idea_stage(idea);

	if (to == STAGE_ON_HOLD || to == STAGE_ABANDONED) {
		/* Remember the pipeline stage left; from on_hold to
		 * abandoned, stage_prev already holds it. */
		if (stage_is_pipeline(from))
			idea_set_raw(idea, IDEA_STAGE_PREV, stage_code(from));
	} else {
		idea_set_raw(idea, IDEA_STAGE_PREV, NULL);
	}
	idea_set_raw(idea, IDEA_STAGE, stage_code(to));
	/* Normalised as idea_set does (trimmed, CRLF to LF); a reason that
	 * stage_move_check would refuse is not stored. */
	if (!stage_has_reason(reason) ||
	    idea_set(idea, IDEA_STAGE_REASON, reason, 1, NULL) < 0)
		idea_set_raw(idea, IDEA_STAGE_REASON, NULL);
	idea_set_time(idea, IDEA_STAGE_SINCE, now);
}
