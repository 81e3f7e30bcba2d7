/* config.h - the store's settings: their keys, defaults and checks.
 * Keys: wip.<stage> (a card limit per column, 0 = none), stale.days (days
 * without activity before an idea counts as stale, default 30). */
#ifndef FAI_CONFIG_H
#define FAI_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "stage.h"

/* The settings as every surface uses them: read once, checked, with the
 * defaults where a value is missing or unreadable. */
struct fai_settings {
	uint64_t wip[STAGE_COUNT]; /* card limit per column, 0 = none */
	long stale_days;	   /* days without activity: stale */
};

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

/* Sets every setting to its default. */
void settings_default(struct fai_settings *set);

/* Takes the stored value of key into set when it passes config_check;
 * otherwise (unknown key, damaged value) set keeps what it had. */
void settings_take(struct fai_settings *set, const char *key,
		   const char *value);

#endif
