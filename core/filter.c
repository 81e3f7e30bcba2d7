/* filter.c - the rules of filter.h: one filter and one stale rule for
 * every surface that shows ideas. */
#include "filter.h"

#include <string.h>

#include "isotime.h"
#include "utf8.h"
#include "xmalloc.h"

void idea_filter_init(struct idea_filter *f, int64_t now)
{
	memset(f, 0, sizeof(*f));
	f->stage = STAGE_NONE;
	f->stale_days = -1;
	f->now = now;
}

static int given(const char *s)
{
	return s && *s;
}

int idea_filter_active(const struct idea_filter *f)
{
	return f->stage != STAGE_NONE || given(f->region) || given(f->theme) ||
	       given(f->facilitator) || given(f->tag) || given(f->search) ||
	       f->stale_days >= 0;
}

/* Returns 1 when the folded forms of a and b are equal. */
static int same_folded(const char *a, const char *b)
{
	struct buf x, y;
	buf_init(&x);
	buf_init(&y);
	utf8_fold(&x, a);
	utf8_fold(&y, b);
	int same = strcmp(x.data ? x.data : "", y.data ? y.data : "") == 0;
	buf_free(&x);
	buf_free(&y);
	return same;
}

/* Returns 1 when one item of the list value (items joined by "; ") holds
 * text, accents and case ignored. */
static int list_item_holds(const char *list, const char *text)
{
	struct buf item;
	int found = 0;
	buf_init(&item);
	for (const char *p = list; *p && !found;) {
		size_t n = strcspn(p, ";");
		buf_reset(&item);
		buf_add(&item, p, n);
		found = utf8_search(item.data ? item.data : "", text);
		p += n;
		while (*p == ';' || *p == ' ')
			p++;
	}
	buf_free(&item);
	return found;
}

int idea_filter_comment_holds(const struct idea_filter *f, uint64_t key)
{
	size_t lo = 0, hi = f->ncomment_keys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->comment_keys[mid] == key)
			return 1;
		if (f->comment_keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The search criterion: in a text field, or in a comment (keys given). */
static int search_holds(const struct idea_filter *f,
			const struct idea_view *view)
{
	if (view->key && idea_filter_comment_holds(f, view->key))
		return 1;
	if (!f->search_folded)
		return idea_matches(view, f->search);
	struct buf scratch;
	buf_init(&scratch);
	int found = idea_matches_folded(view, f->search_folded, &scratch);
	buf_free(&scratch);
	return found;
}

int idea_filter_match_view(const struct idea_filter *f,
			   const struct idea_view *view)
{
	if (f->stage != STAGE_NONE && idea_view_stage(view) != f->stage)
		return 0;
	if (given(f->region) &&
	    strcmp(idea_view_get(view, IDEA_REGION), f->region))
		return 0;
	if (given(f->theme) &&
	    !same_folded(idea_view_get(view, IDEA_THEME), f->theme))
		return 0;
	if (given(f->facilitator) &&
	    !(f->facilitator_whole
		  ? same_folded(idea_view_get(view, IDEA_FACILITATOR),
				f->facilitator)
		  : utf8_search(idea_view_get(view, IDEA_FACILITATOR),
				f->facilitator)))
		return 0;
	if (given(f->tag) &&
	    !list_item_holds(idea_view_get(view, IDEA_TAGS), f->tag))
		return 0;
	if (given(f->search) && !search_holds(f, view))
		return 0;
	if (f->stale_days >= 0 &&
	    !idea_view_is_stale(view, f->now, f->stale_days))
		return 0;
	return 1;
}

int idea_filter_match(const struct idea_filter *f, const struct idea *idea)
{
	struct idea_view view;
	idea_view_of(idea, &view);
	return idea_filter_match_view(f, &view);
}

int stale_rule(enum stage st, int64_t last, int64_t now, long days)
{
	if (st != STAGE_NEED && st != STAGE_CONCEPT && st != STAGE_OWNER_SEARCH)
		return 0;
	return isotime_days(last, now) >= days;
}

int idea_view_is_stale(const struct idea_view *view, int64_t now, long days)
{
	return stale_rule(idea_view_stage(view),
			  idea_view_time(view, IDEA_UPDATED_AT, now), now,
			  days);
}

int idea_is_stale(const struct idea *idea, int64_t now, long days)
{
	struct idea_view view;
	idea_view_of(idea, &view);
	return idea_view_is_stale(&view, now, days);
}

long idea_days_in_stage(const struct idea *idea, int64_t now)
{
	return (long)isotime_days(idea_time(idea, IDEA_STAGE_SINCE, now), now);
}
