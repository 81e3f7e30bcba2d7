/* config.h - the store's settings: their keys, defaults and checks.
 * Keys: wip.<stage> (a card limit per column, 0 = none), stale.days (days
 * without activity before an idea counts as stale, default 30). */
#ifndef FAI_CONFIG_H
#define FAI_CONFIG_H

#include <stddef.h>

#include "err.h"

/* Returns the number of known keys and, for i below it, their names. */
size_t config_key_count(void);
const char *config_key_name(size_t i);

/* Returns the default value of key as text ("0", "30"), or NULL when key is
 * unknown. */
const char *config_default(const char *key);

/* Checks that key is known and value valid for it (a whole number >= 0 for
 * wip.* and >= 1 for stale.days).  Returns 0 or -FAI_EINVAL (why CONFIG or
 * NUMBER). */
int config_check(const char *key, const char *value, struct fai_err *err);

#endif
