/* card.c - the facts of a card (card.h). */
#include "card.h"

#include <string.h>

#include "filter.h"
#include "utf8.h"

void card_initials(const char *name, char *out, size_t size)
{
	size_t n = 0;
	int start = 1;
	/* a character is 4 bytes at most, plus the NUL */
	for (const char *p = name; *p && n + 5 <= size; p++) {
		if (*p == ' ' || *p == '-') {
			start = 1;
			continue;
		}
		if (start) {
			uint32_t cp;
			int len = utf8_decode(p, strlen(p), &cp);
			if (len < 1)
				len = 1;
			memcpy(out + n, p, (size_t)len);
			n += (size_t)len;
			p += len - 1;
			start = 0;
		}
	}
	if (size)
		out[n] = '\0';
}

void card_of(const struct idea *idea, int64_t now, long stale_days,
	     struct card *card)
{
	card->ref = idea_get(idea, IDEA_REF);
	card->title = idea_get(idea, IDEA_TITLE);
	card->territory = idea_get(idea, IDEA_TERRITORY);
	card_initials(idea_get(idea, IDEA_FACILITATOR), card->initials,
		      sizeof(card->initials));
	card->days = idea_days_in_stage(idea, now);
	card->stale = idea_is_stale(idea, now, stale_days);
}
