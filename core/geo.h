/* geo.h - the INSEE geography: régions, départements and communes by code
 * and by name, from the Code officiel géographique compiled into the
 * program (core/cog_table.h, made by tests/gen-cog.sh).
 *
 * Codes are compared exactly as given: no trimming, "2a" is not "2A".
 * Every string returned is static and lives as long as the program, but
 * for the commune codes geo_territory_find stores (until geo_free). */
#ifndef FAI_GEO_H
#define FAI_GEO_H

#include <stddef.h>

#include "xmalloc.h"

/* Returns the name of the région of that code ("84" ->
 * "Auvergne-Rhône-Alpes"), or NULL when the COG has none (or code is
 * NULL). */
const char *geo_region_name(const char *code);

/* Returns the name of the département ("63", "2A", "971") or the commune
 * ("63113", "2A004", "75101": municipal arrondissements count as communes)
 * of that code, or NULL when the COG has none (or code is NULL). */
const char *geo_territory_name(const char *code);

/* Returns 1 when code is a département or a commune of the COG, else 0. */
int geo_territory_known(const char *code);

/* Stores in codes[0..max) the codes of the départements, then of the
 * communes in code order, whose name is name with case, accents and
 * separators ignored: '-', ' ', '\'' and '’' are one same separator, runs
 * of them count as one, and none counts at either end ("saint denis",
 * "SAINT-DENIS" and " Saint  Denis " find "Saint-Denis");
 * returns how many there are in all, which may exceed max (codes may be
 * NULL when max is 0).  The codes are borrowed: a département's is static,
 * a commune's lives in the name index until geo_free.  The first call
 * builds that index (35,000 names folded and sorted: about 8 ms, 1 MB
 * kept). */
size_t geo_territory_find(const char *name, const char **codes, size_t max);

/* Returns the code of the département of the commune commune_code
 * ("63113" -> "63"), or NULL when the COG has no such commune. */
const char *geo_departement_of(const char *commune_code);

/* Appends to out what a territory value ("63113, 2A": codes as the idea
 * holds them) reads as, code by code in its order: with_codes 0, the
 * names ("Clermont-Ferrand, Corse-du-Sud": what a card shows and a search
 * reads), and nothing when no code is known; with_codes 1, each code
 * followed by its name ("63113 Clermont-Ferrand, 2A Corse-du-Sud": the
 * detail and `fai show`).  A code the COG lacks is given as itself. */
void geo_territory_text(const char *value, int with_codes, struct buf *out);

/* Frees the name index geo_territory_find built, if any (the next call
 * builds it again).  For tests and leak checkers. */
void geo_free(void);

#endif
