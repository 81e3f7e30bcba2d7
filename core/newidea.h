/* newidea.h - what a new idea starts with, decided once for every way one
 * is made: `fai add`, the board's form, a row of `fai import` (its check
 * before writing and its write). */
#ifndef FAI_NEWIDEA_H
#define FAI_NEWIDEA_H

#include <stdint.h>

#include "idea.h"

/* Fills what is empty in a new idea: id (a new random UUID), stage need,
 * created_at, stage_since and updated_at (now), updated_by (user); then
 * sets revision 1.  What the idea holds already (an imported idea keeps
 * its id, stage and times) is kept.  The reference is the store's to
 * give (the next number of the region). */
void idea_new_defaults(struct idea *idea, int64_t now, const char *user);

#endif
