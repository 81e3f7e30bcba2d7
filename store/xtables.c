/* xtables.c - the small hash tables of the exchange: a seeded 64-bit
 * hash, a map from borrowed strings to numbers (strmap), a set of 16-byte
 * ids with a number each (idset: the same id twice in one file, the ideas
 * an import already claimed). */
#include "exchange.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../core/exchange.h"
#include "../core/utf8.h"
#include "../core/uuid.h"
#include "../core/validate.h"
#include "../core/xmalloc.h"
#include "codec.h"
#include "exchange_int.h"
#include "internal.h"
#include "outfile.h"

/* ------------------------------------------------------------ hashing */

/* Hash tables of names and ids from a file must not be filled with
 * colliding keys on purpose: their hash is keyed by a per-process random
 * seed. */
static uint64_t hash_seed[2];

void hash_seed_init(void)
{
	if (hash_seed[0] || hash_seed[1])
		return;
	if (getrandom(hash_seed, sizeof(hash_seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(hash_seed)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		hash_seed[0] = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ULL ^
			       (uint64_t)getpid();
		hash_seed[1] = (uint64_t)ts.tv_sec * 0xC2B2AE3D27D4EB4FULL;
	}
	hash_seed[0] |= 1;
}

uint64_t hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return hash_mix(h ^ (uint64_t)n);
}

/* ------------------------------------------------------------ strmap */

size_t strmap_pos(const struct strmap *m, const char *k)
{
	size_t i =
	    (size_t)hash_bytes(k, strlen(k), hash_seed[0]) & (m->cap - 1);
	while (m->key[i] && strcmp(m->key[i], k) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* 1 with *val when k is in m, else 0. */
int strmap_get(const struct strmap *m, const char *k, size_t *val)
{
	if (!m->cap)
		return 0;
	size_t i = strmap_pos(m, k);
	if (!m->key[i])
		return 0;
	if (val)
		*val = m->val[i];
	return 1;
}

/* Adds k with val unless k is there: 1 when added, 0 (and *old when not
 * NULL) when it was. */
int strmap_add(struct strmap *m, const char *k, size_t val, size_t *old)
{
	hash_seed_init();
	if ((m->n + 1) * 2 > m->cap) {
		struct strmap g = {NULL, NULL, m->cap ? m->cap * 2 : 16, 0};
		g.key = xcalloc(g.cap, sizeof(*g.key));
		g.val = xcalloc(g.cap, sizeof(*g.val));
		for (size_t i = 0; i < m->cap; i++)
			if (m->key[i]) {
				size_t j = strmap_pos(&g, m->key[i]);
				g.key[j] = m->key[i];
				g.val[j] = m->val[i];
				g.n++;
			}
		free(m->key);
		free(m->val);
		*m = g;
	}
	size_t i = strmap_pos(m, k);
	if (m->key[i]) {
		if (old)
			*old = m->val[i];
		return 0;
	}
	m->key[i] = k;
	m->val[i] = val;
	m->n++;
	return 1;
}

void strmap_free(struct strmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------ idset */

static const unsigned char idset_zero[16];

struct idset *idset_new(int with_val)
{
	struct idset *s = xcalloc(1, sizeof(*s));
	s->with_val = with_val;
	hash_seed_init();
	return s;
}

void idset_free(struct idset *s)
{
	if (!s)
		return;
	for (int i = 0; i < IDSET_PARTS; i++) {
		free(s->part[i].key);
		free(s->part[i].val);
	}
	free(s);
}

uint64_t id_hash(const unsigned char k[16])
{
	uint64_t a, b;
	memcpy(&a, k, 8);
	memcpy(&b, k + 8, 8);
	return hash_mix(hash_mix(a ^ hash_seed[0]) ^ b ^ hash_seed[1]);
}

uint32_t idpart_pos(const struct idpart *p, uint64_t h,
		    const unsigned char k[16])
{
	uint32_t i = (uint32_t)(((h >> 8) & 0xffffffffULL) * p->cap >> 32);
	while (memcmp(p->key[i], idset_zero, 16) != 0 &&
	       memcmp(p->key[i], k, 16) != 0)
		i = i + 1 == p->cap ? 0 : i + 1;
	return i;
}

void idpart_grow(struct idpart *p, int with_val)
{
	struct idpart g;
	g.cap = p->cap ? p->cap + p->cap / 2 : 64;
	g.n = p->n;
	g.key = xcalloc(g.cap, 16);
	g.val = with_val ? xcalloc(g.cap, sizeof(long)) : NULL;
	for (uint32_t i = 0; i < p->cap; i++) {
		if (memcmp(p->key[i], idset_zero, 16) == 0)
			continue;
		uint32_t j = idpart_pos(&g, id_hash(p->key[i]), p->key[i]);
		memcpy(g.key[j], p->key[i], 16);
		if (with_val)
			g.val[j] = p->val[i];
	}
	free(p->key);
	free(p->val);
	*p = g;
}

/* Finds k, adding it when add: returns 1 when it was there (or was added
 * only now with add 1: then *added is 1), 0 when absent and not added.
 * *val (with_val sets only) points at its number, 0 when just added. */
int idset_find(struct idset *s, const unsigned char k[16], int add, int *added,
	       long **val)
{
	if (added)
		*added = 0;
	if (memcmp(k, idset_zero, 16) == 0) {
		if (!s->has_zero && !add)
			return 0;
		if (!s->has_zero) {
			s->has_zero = 1;
			s->n++;
			if (added)
				*added = 1;
		}
		if (val)
			*val = &s->zero_val;
		return 1;
	}
	uint64_t h = id_hash(k);
	struct idpart *p = &s->part[h & (IDSET_PARTS - 1)];
	if (add && ((uint64_t)p->n + 1) * 4 > (uint64_t)p->cap * 3)
		idpart_grow(p, s->with_val);
	if (!p->cap)
		return 0;
	uint32_t i = idpart_pos(p, h, k);
	if (memcmp(p->key[i], idset_zero, 16) == 0) {
		if (!add)
			return 0;
		memcpy(p->key[i], k, 16);
		p->n++;
		s->n++;
		if (added)
			*added = 1;
	}
	if (val)
		*val = s->with_val ? &p->val[i] : NULL;
	return 1;
}

/* The 16-byte key of a text (a reference): two keyed hashes. */
void text_key(const char *s, unsigned char k[16])
{
	uint64_t a = hash_bytes(s, strlen(s), hash_seed[0]),
		 b = hash_bytes(s, strlen(s), hash_seed[1] ^ 0x5bd1e995ULL);
	memcpy(k, &a, 8);
	memcpy(k + 8, &b, 8);
}
