/* card.h - what a card on the board shows of an idea, decided once.  A card
 * is three lines (the board's BOARD_CARD_H):
 *   line 1  the reference, a stale mark (filter.h's rule), the
 *           facilitator's initials and the whole days at the stage;
 *   line 2  the title (its first line when it does not fit: card_title_lines);
 *   line 3  on hold or abandoned: the start of the reason; else the rest of
 *           a title too long for one line; else the territory, by the names
 *           of its communes and départements (geo.h: "Clermont-Ferrand"
 *           for 63113), its codes when the COG knows none.
 * Initials are unique among the store's facilitators (card_names): "Claire
 * Mercier" -> "CM" alone, "CMe" beside "Claire Martin" ("CMa").
 * The board lays the facts out; `fai list` shows the same days. */
#ifndef FAI_CARD_H
#define FAI_CARD_H

#include <stdint.h>

#include "idea.h"
#include "xmalloc.h"

#define CARD_INITIALS_MAX 32 /* bytes, with the NUL */
#define CARD_PLACES_MAX 160  /* bytes, with the NUL: more than a card shows */

struct card {
	const char *ref; /* borrowed from the idea */
	const char *title;
	const char *territory; /* the names of its communes (or the codes) */
	const char *reason;    /* on hold or abandoned: the reason; else NULL */
	char initials[CARD_INITIALS_MAX];
	char places[CARD_PLACES_MAX]; /* territory's names, when known */
	long days;		      /* whole days at the current stage */
	int stale;		      /* 1: stale after stale_days */
};

/* Fills card with what idea shows at now; its strings are the idea's.  The
 * initials are card_initials' (card_names_initials makes them unique). */
void card_of(const struct idea *idea, int64_t now, long stale_days,
	     struct card *card);

/* Writes the initials of a name into out (size bytes, at least 1): the
 * first character of each word, words split by spaces and dashes. */
void card_initials(const char *name, char *out, size_t size);

/* Splits title for a card width cells wide: appends to l1 the display-safe
 * first line (cut at the last space that fits, or inside a word too long),
 * and to l2 the rest, fitted to width with "…" when still too long (empty
 * when the title fits on one line).  width >= 1. */
void card_title_lines(const char *title, size_t width, struct buf *l1,
		      struct buf *l2);

/* The facilitators of a store and their unique initials (opaque). */
struct card_names;

/* Returns an empty set, owned by the caller (card_names_free). */
struct card_names *card_names_new(void);
void card_names_free(struct card_names *n);
/* Adds a facilitator's name; names equal but for case, accents and spaces
 * are one person.  Empty names are ignored.  Call card_names_finish after
 * the last one. */
void card_names_add(struct card_names *n, const char *name);
/* Decides every name's initials: card_initials, and where two people share
 * them the last name's start is extended until they differ ("CMe",
 * "CMa"), then the first name's, then a number ("CM1", "CM2"). */
void card_names_finish(struct card_names *n);
/* Writes the unique initials of name into out (size bytes) and returns 1;
 * returns 0 with card_initials' when the set does not know name (n may be
 * NULL). */
int card_names_initials(const struct card_names *n, const char *name, char *out,
			size_t size);

#endif
