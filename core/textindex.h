/* textindex.h - the text a search reads, every idea's, folded once and held
 * in memory: what lets the board search 10^5 ideas as a person types.
 *
 * The rule stays idea_matches' and filter.h's: a search holds when its
 * search form (utf8_fold) occurs in the search form of one of the idea's
 * text fields (idea_search_fields), of what idea_search_more adds (the
 * territory's names) or of one of its comments, never across
 * two of them.  The index keeps, per idea, those texts already folded and
 * separated by a NUL (which no folded search holds), so judging an idea is
 * one memmem over its text instead of folding every field again at each
 * keystroke.  It also keeps where the idea stands (stage, rank) to give its
 * matches in the board's order: by stage, then rank, then key.
 *
 * Who fills it (store_text_index_build) puts every idea and its comments,
 * then keeps it up to date by putting again what the log says changed
 * (store_text_index_update).  seq is the last log entry it holds.  Memory:
 * about the folded text's size plus 48 bytes per idea; dropped texts are
 * reclaimed when they outweigh the live ones. */
#ifndef FAI_TEXTINDEX_H
#define FAI_TEXTINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "idea.h"
#include "stage.h"
#include "xmalloc.h"

struct text_entry {
	uint64_t key;
	uint64_t rank;
	size_t foff, coff; /* the folded fields and comments in the arena */
	uint32_t flen, clen;
	unsigned char stage; /* enum stage */
	unsigned char live;  /* 0: dropped (the idea is gone) */
};

struct text_region {
	size_t off;
	uint32_t len;
	uint32_t entry;
};

struct text_index {
	struct text_entry *e; /* in the order they were put */
	size_t n, cap;
	uint32_t *slots;  /* key -> entry + 1 (0: free), open addressing */
	size_t nslots;	  /* a power of two, at least twice n */
	struct buf arena; /* the folded texts */
	size_t garbage;	  /* bytes of the arena no entry points to */
	uint32_t *order;  /* live entries in board order, rebuilt when stale */
	size_t norder;
	int order_stale;
	/* the live regions by increasing offset, rebuilt when stale: a
	 * search runs memmem over the whole arena and finds whose text a
	 * match is in */
	struct text_region *regions;
	size_t nregions;
	int regions_stale;
	int built;    /* filled once (store_text_index_build) */
	uint64_t seq; /* the last log entry the index holds */
};

/* One idea a search found. */
struct text_hit {
	uint64_t key;
	enum stage stage;
};

void text_index_init(struct text_index *x);
void text_index_free(struct text_index *x);

/* Puts (or puts again) the idea seen through v: its text fields and its
 * place; the comments it had stay. */
void text_index_put(struct text_index *x, const struct idea_view *v);

/* Forgets the idea key (gone from the store). */
void text_index_drop(struct text_index *x, uint64_t key);

/* Forgets the comments of idea key, before they are added again. */
void text_index_comments_clear(struct text_index *x, uint64_t key);

/* Adds one comment to idea key (an idea not put is ignored). */
void text_index_comment(struct text_index *x, uint64_t key, const char *text);

/* Returns the number of ideas the index holds. */
size_t text_index_count(const struct text_index *x);

/* Sets *hits to a heap array (the caller frees it) of the ideas whose text
 * holds folded (already in search form; "" holds everywhere), in board
 * order, and returns their number.  among (NULL: every idea) limits the
 * search to those namong keys, in increasing order. */
size_t text_index_find(struct text_index *x, const char *folded,
		       const uint64_t *among, size_t namong,
		       struct text_hit **hits);

#endif
