/* stage.h - the pipeline stages and the rules for moving an idea between
 * them.
 *
 * Pipeline: need -> concept -> owner_search -> launched, plus on_hold and
 * abandoned.  Allowed moves: forward one pipeline stage; back any number;
 * to on_hold from any pipeline stage; from on_hold, the same moves as from the
 * stage it was put on hold from (including back to that very stage); to
 * abandoned from anywhere; from abandoned, only back to the stage it was
 * abandoned from (reopen).  Gates, checked on forward moves only: entering
 * concept needs need and territory, owner_search needs concept, launched needs
 * owner, structure and launch_date.  on_hold and abandoned need a reason.
 * force passes a gate, never an illegal move nor a missing reason. */
#ifndef FAI_STAGE_H
#define FAI_STAGE_H

#include <stdint.h>

#include "err.h"

enum stage {
	STAGE_NONE = -1,
	STAGE_NEED = 0,
	STAGE_CONCEPT,
	STAGE_OWNER_SEARCH,
	STAGE_LAUNCHED,
	STAGE_ON_HOLD,
	STAGE_ABANDONED,
	STAGE_COUNT
};

#define STAGE_PIPELINE_COUNT 4 /* need .. launched: the board's columns */

struct idea;

/* Returns the stable code ("owner_search"), or "" for an invalid stage. */
const char *stage_code(enum stage s);

/* Returns the English label ("Owner search", marked N_), or "". */
const char *stage_label(enum stage s);

/* Returns the French label of an exchange file ("Recherche de porteur"),
 * the same in every locale, or "". */
const char *stage_label_fr(enum stage s);

/* Returns the stage whose code is s ('-' for '_', any case) or whose
 * French label is s (folded as idea_name_fold folds names: "activite
 * lancee" works).  Returns STAGE_NONE when s names no stage. */
enum stage stage_parse(const char *s);

/* Returns 1 for need, concept, owner_search and launched, else 0. */
int stage_is_pipeline(enum stage s);

/* Returns the i-th field (an enum idea_field) entering stage `to` needs,
 * in the order a person fills them; -1 past the last. */
int stage_gate_field(enum stage to, size_t i);

/* Returns 0 when idea may move to `to` with this reason (NULL or "" for none)
 * and force flag; *gated is set to 1 when a gate was passed only thanks to
 * force (gated may be NULL).  Otherwise returns -FAI_ERULE (why MOVE,
 * SAME_STAGE or REASON) or -FAI_EGATE with err->missing the set of missing
 * fields (bit 1 << field); err->stage is to, err->stage_from the idea's. */
int stage_move_check(const struct idea *idea, enum stage to, const char *reason,
		     int force, int *gated, struct fai_err *err);

/* Sets the fields a move changes: stage, stage_reason (reason, or cleared),
 * stage_since (now) and stage_prev (the pipeline stage it comes from, when
 * entering on_hold or abandoned).  Does not check: call stage_move_check. */
void stage_move_apply(struct idea *idea, enum stage to, const char *reason,
		      int64_t now);

#endif
