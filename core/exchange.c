/* exchange.c - rules of the CSV exchange format, version 1 (see
 * docs/csv-format.md): columns, the excel-fr formula guard, fingerprints and
 * the merge decision. */
#include "exchange.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

int exchange_field_exported(enum idea_field f)
{
	return !(idea_field_info(f)->flags & IDEA_FF_INTERNAL);
}

static int guard_char(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	       c == '\r';
}

const struct exchange_words exchange_fr = {
    .sheet = "Idées",
    .legend = "Colonnes",
    .legend_head = {"Colonne", "Nom de code", "Contenu"},
    .extra_about = "une colonne venue d’un autre outil, transmise telle "
		   "quelle",
};

int exchange_needs_guard(const char *s, size_t n)
{
	/* "'=x" is guarded too, so that stripping one quote on import gives
	 * back exactly what was stored. */
	size_t i = 0;
	while (i < n && s[i] == '\'')
		i++;
	return i < n && guard_char(s[i]);
}

int exchange_is_guarded(const char *s, size_t n)
{
	return n >= 2 && s[0] == '\'' && exchange_needs_guard(s + 1, n - 1);
}

/* Appends s with its length (4 bytes, big-endian): the fingerprint's
 * input is gathered in one buffer and hashed at once. */
static void hash_str(struct buf *b, const char *s)
{
	unsigned char len[4];
	size_t n = s ? strlen(s) : 0;
	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	buf_add(b, len, 4);
	buf_add(b, s ? s : "", n);
}

/* By name, then by place in the idea (stable: the first of a name first). */
static int extra_cmp(const void *a, const void *b)
{
	const struct idea_extra *x = *(const struct idea_extra *const *)a;
	const struct idea_extra *y = *(const struct idea_extra *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x > y) - (x < y);
}

void exchange_hash(const struct idea_view *idea, unsigned char out[SHA256_LEN])
{
	struct sha256 c;
	struct buf b;
	buf_init(&b);
	buf_reserve(&b, 2048);
	buf_add(&b, "fai-exchange-1", 14);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		if (!exchange_field_exported(f) || f == IDEA_REVISION ||
		    f == IDEA_UPDATED_AT || f == IDEA_UPDATED_BY)
			continue;
		hash_str(&b, idea_field_info(f)->code);
		hash_str(&b, idea_view_get(idea, f));
	}
	/* Extras by name, whatever their order in the file: sorted (a name
	 * held twice counts once, the first), in O(n log n) so an idea with
	 * a thousand unknown columns costs no more than it should. */
	if (idea->nextra) {
		const struct idea_extra **x = xcalloc(idea->nextra, sizeof(*x));
		for (size_t i = 0; i < idea->nextra; i++)
			x[i] = &idea->extra[i];
		qsort(x, idea->nextra, sizeof(*x), extra_cmp);
		for (size_t i = 0; i < idea->nextra; i++) {
			if (i && strcmp(x[i]->name, x[i - 1]->name) == 0)
				continue;
			hash_str(&b, "x");
			hash_str(&b, x[i]->name);
			hash_str(&b, x[i]->value);
		}
		free(x);
	}
	sha256_init(&c);
	sha256_update(&c, b.data, b.len);
	sha256_final(&c, out);
	buf_free(&b);
}

enum exchange_decision exchange_decide(const unsigned char theirs[SHA256_LEN],
				       const unsigned char local[SHA256_LEN],
				       uint64_t local_rev, int have_base,
				       const unsigned char base[SHA256_LEN],
				       uint64_t base_rev)
{
	if (memcmp(theirs, local, SHA256_LEN) == 0)
		return EXCHANGE_UNCHANGED;
	if (have_base && memcmp(theirs, base, SHA256_LEN) == 0)
		return EXCHANGE_UNCHANGED; /* the local idea is simply newer */
	if (have_base && local_rev == base_rev)
		return EXCHANGE_UPDATE;
	return EXCHANGE_CONFLICT;
}

/* Windows-1252 0x80-0x9F; 0 marks the five bytes with no character. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,	    0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,	    0x017D, 0,
    0,	    0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	    0x017E, 0x0178,
};

int exchange_cp1252_has(uint32_t cp)
{
	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return 1;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] && cp1252_high[i] == cp)
			return 1;
	return 0;
}

long exchange_cp1252_to_utf8(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp = c;
		if (c >= 0x80 && c < 0xa0) {
			cp = cp1252_high[c - 0x80];
			if (!cp)
				return -(long)(i + 1);
		}
		if (cp < 0x80) {
			buf_addc(b, (char)cp);
		} else if (cp < 0x800) {
			buf_addc(b, (char)(0xc0 | (cp >> 6)));
			buf_addc(b, (char)(0x80 | (cp & 0x3f)));
		} else {
			buf_addc(b, (char)(0xe0 | (cp >> 12)));
			buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
			buf_addc(b, (char)(0x80 | (cp & 0x3f)));
		}
	}
	return 0;
}
