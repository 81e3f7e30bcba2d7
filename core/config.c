/* config.c - the store's settings: the known keys, their defaults, and the
 * check of a value before the store records it.  Values are kept as text;
 * all settings today are whole numbers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *key;
	const char *def;
	unsigned long min;
} config_keys[] = {
    {"wip.need", "0", 0},	  {"wip.concept", "0", 0},
    {"wip.owner_search", "0", 0}, {"wip.launched", "0", 0},
    {"wip.on_hold", "0", 0},	  {"wip.abandoned", "0", 0},
    {"stale.days", "30", 1},
};

#define CONFIG_NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))

/* Largest accepted value: nine digits, far beyond any useful limit. */
#define CONFIG_MAX_DIGITS 9

size_t config_key_count(void)
{
	return CONFIG_NKEYS;
}

const char *config_key_name(size_t i)
{
	return i < CONFIG_NKEYS ? config_keys[i].key : NULL;
}

static int config_find(const char *key)
{
	size_t i;

	if (key == NULL)
		return -1;
	for (i = 0; i < CONFIG_NKEYS; i++)
		if (strcmp(key, config_keys[i].key) == 0)
			return (int)i;
	return -1;
}

const char *config_default(const char *key)
{
	int i = config_find(key);

	return i < 0 ? NULL : config_keys[i].def;
}

int config_check(const char *key, const char *value, struct fai_err *err)
{
	unsigned long n = 0;
	size_t len, i;
	int k = config_find(key);

	if (k < 0)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_CONFIG, key, value);
	if (value == NULL)
		goto bad;
	len = strlen(value);
	if (len == 0 || len > CONFIG_MAX_DIGITS)
		goto bad;
	for (i = 0; i < len; i++) {
		if (value[i] < '0' || value[i] > '9')
			goto bad;
		n = n * 10 + (unsigned long)(value[i] - '0');
	}
	if (n < config_keys[k].min)
		goto bad;
	return 0;
bad:
	return fai_err_set(err, FAI_EINVAL, FAI_WHY_NUMBER, key, value);
}

void settings_default(struct fai_settings *set)
{
	size_t i;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < CONFIG_NKEYS; i++)
		settings_take(set, config_keys[i].key, config_keys[i].def);
}

void settings_take(struct fai_settings *set, const char *key, const char *value)
{
	unsigned long n;
	enum stage st;

	if (config_check(key, value, NULL) != 0)
		return;
	n = strtoul(value, NULL, 10); /* nine digits at most: checked */
	if (strcmp(key, "stale.days") == 0) {
		set->stale_days = (long)n;
		return;
	}
	if (strncmp(key, "wip.", 4) != 0)
		return;
	st = stage_parse(key + 4);
	if (st != STAGE_NONE)
		set->wip[st] = n;
}
