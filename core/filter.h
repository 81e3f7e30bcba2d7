/* filter.h - which ideas a person asked to see, and which are stale: one
 * rule each for `fai list`, `fai export`, the board and the review.
 *
 * A filter keeps an idea when every criterion given holds:
 *   stage        the idea is at this stage;
 *   region       its region code is this one ("84");
 *   theme        its theme is this one, accents and case ignored;
 *   facilitator  its facilitator contains this, accents and case ignored
 *                ("claire" finds "Claire Mercier"); or, with
 *                facilitator_whole (a person picked from a list), is this
 *                whole name ("Anne" does not find "Marianne");
 *   tag          one of its tags contains this, accents and case ignored
 *                ("vélo" finds "vélo-cargo" and "Vélo-école", not a text
 *                that runs over two tags);
 *   stale        it is stale (below) after that many days;
 *   search       the search text is in one of its text fields
 *                (idea_matches: reference, title, need, concept, source,
 *                partners, owner, structure, facilitator, territory,
 *                tags, theme, legal form, stage reason) or in one of its
 *                comments, accents and case ignored.  The comments are
 *                in the store's log, not in the idea: whoever searches
 *                gives the keys of the ideas whose comments hold the text
 *                (store_comments_search, one pass over the comments per
 *                search) as comment_keys.
 * Stale: an idea at need, concept or owner_search (waiting for someone)
 * with no activity (updated_at: any change, comment or move) for at least
 * that many whole days. */
#ifndef FAI_FILTER_H
#define FAI_FILTER_H

#include <stdint.h>

#include "idea.h"
#include "stage.h"

struct idea_filter {
	enum stage stage;   /* STAGE_NONE: any */
	const char *region; /* NULL or "": any (borrowed) */
	const char *theme;
	const char *facilitator;
	int facilitator_whole; /* facilitator is a whole name, not a part */
	const char *tag;
	const char *search;
	/* the ideas with a comment holding search: keys in increasing
	 * order, without duplicates (borrowed; NULL: none) */
	const uint64_t *comment_keys;
	size_t ncomment_keys;
	/* search already in search form (utf8_fold), or NULL: folded for
	 * each idea judged (borrowed; set by who judges many ideas) */
	const char *search_folded;
	long stale_days; /* < 0: no stale criterion */
	int64_t now;	 /* for the stale criterion */
};

/* A filter that keeps every idea, judged at now. */
void idea_filter_init(struct idea_filter *f, int64_t now);

/* Returns 1 when the filter holds a criterion (shown as active). */
int idea_filter_active(const struct idea_filter *f);

/* Returns 1 when key is one of f's comment_keys, else 0. */
int idea_filter_comment_holds(const struct idea_filter *f, uint64_t key);

/* Returns 1 when f keeps the idea seen through view, else 0. */
int idea_filter_match_view(const struct idea_filter *f,
			   const struct idea_view *view);

/* The same for an owned idea (it lends itself as a view). */
int idea_filter_match(const struct idea_filter *f, const struct idea *idea);

/* The stale rule on its facts: an idea at stage st whose last activity was
 * at last, seen at now, with a limit of days.  Returns 1 or 0. */
int stale_rule(enum stage st, int64_t last, int64_t now, long days);

/* The stale rule for an idea seen through view (updated_at is its last
 * activity). */
int idea_view_is_stale(const struct idea_view *view, int64_t now, long days);

/* The same for an owned idea. */
int idea_is_stale(const struct idea *idea, int64_t now, long days);

/* Whole days the idea has been at its stage at now (0 when unknown). */
long idea_days_in_stage(const struct idea *idea, int64_t now);

#endif
