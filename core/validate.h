/* validate.h - checks for the French codes an idea carries: INSEE regions,
 * départements and communes, SIRET, references; and the whole numbers typed
 * on the command line.  Each returns 0 when the value is valid, else
 * -FAI_EINVAL with err (may be NULL) naming field and value. */
#ifndef FAI_VALIDATE_H
#define FAI_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The 18 INSEE region codes of 2016: 01 02 03 04 06 11 24 27 28 32 44 52 53
 * 75 76 84 93 94. */
int validate_region(const char *s, struct fai_err *err);

/* Returns the region's name ("Auvergne-Rhône-Alpes"), or NULL. */
const char *validate_region_name(const char *code);

/* Returns the code of the i-th region in code order (static storage) and
 * sets *name (when not NULL) to its name, or returns NULL past the last
 * one: the pick lists walk the one table. */
const char *validate_region_at(size_t i, const char **name);

/* One or more codes separated by ',' ';' or spaces; each is a département
 * (01-19, 21-95, 2A, 2B, 971-976) or a 5-character commune code whose first
 * two or three characters are a valid département (2A/2B communes: 2A004). */
int validate_territory(const char *s, struct fai_err *err);

/* The characters between the codes of a territory list ("75056, 93066"). */
#define VALIDATE_TERRITORY_SEPS ",; \t"

/* Exactly 14 digits (why SIRET_FORMAT) whose SIREN (first nine) and NIC
 * (last five) are not all zeros (why SIRET_ZERO), passing Luhn (why
 * SIRET_CHECK); SIRETs of La Poste (SIREN 356000000) are valid when the sum
 * of their digits is a multiple of 5. */
int validate_siret(const char *s, struct fai_err *err);

/* The whole numbers of the command line (option values, settings): s is
 * decimal digits only (leading zeros allowed; no sign, space or empty
 * string) and its value lies in [min, max]; *out gets it.  Returns 0, or
 * -FAI_EINVAL with err's why NUMBER (not digits), NUMBER_RANGE (above max,
 * however many digits: no overflow) or NUMBER_SMALL (below min), err->limit
 * the bound passed, value s; the field is left to the caller.  *out is
 * untouched on error. */
int validate_number(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		    struct fai_err *err);

/* A reference: a region code, '-', at least four digits ("84-0042"). */
int validate_ref(const char *s, struct fai_err *err);

/* Builds the reference for region and number into out ("84-0042"); numbers
 * above 9999 take more digits. */
void validate_ref_format(char *out, size_t size, const char *region,
			 unsigned long n);

#endif
