/* card.h - what a card on the board shows of an idea, decided once:
 *   line 1  the reference, a stale mark (filter.h's rule) and the whole
 *           days at the stage;
 *   line 2  the title;
 *   line 3  the territory and the facilitator's initials ("Claire
 *           Mercier" -> "CM", "Jean-Luc Éluard" -> "JLÉ").
 * The board lays the facts out; `fai list` shows the same days. */
#ifndef FAI_CARD_H
#define FAI_CARD_H

#include <stdint.h>

#include "idea.h"

#define CARD_INITIALS_MAX 32 /* bytes, with the NUL */

struct card {
	const char *ref; /* borrowed from the idea */
	const char *title;
	const char *territory;
	char initials[CARD_INITIALS_MAX];
	long days; /* whole days at the current stage */
	int stale; /* 1: stale after stale_days */
};

/* Fills card with what idea shows at now; its strings are the idea's. */
void card_of(const struct idea *idea, int64_t now, long stale_days,
	     struct card *card);

/* Writes the initials of a name into out (size bytes, at least 1): the
 * first character of each word, words split by spaces and dashes. */
void card_initials(const char *name, char *out, size_t size);

#endif
