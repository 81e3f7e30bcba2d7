/* codec.h - the byte layout of the store's records (private to store/).
 *
 * Integers in keys are big-endian so LMDB's byte order is numeric order.
 * Record bodies start with a format byte, then tagged, length-prefixed
 * fields, and end with a seal: the CRC-32C of the record's key and body.
 * Decoding checks the seal first, then every length, and never reads past
 * the value. */
#ifndef FAI_STORE_CODEC_H
#define FAI_STORE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "../core/idea.h"
#include "../core/log.h"
#include "../core/xmalloc.h"

#define CODEC_ORDER_KEY_LEN 17 /* stage byte, rank, key */
#define CODEC_PAIR_KEY_LEN 16  /* two u64: idea key then log seq */

void codec_put_u64(unsigned char *p, uint64_t v);
uint64_t codec_get_u64(const unsigned char *p);

/* Writes the board-order key of (stage, rank, key) into out. */
void codec_order_key(unsigned char out[CODEC_ORDER_KEY_LEN], int stage,
		     uint64_t rank, uint64_t key);

/* Writes the pair key (a, b) into out. */
void codec_pair_key(unsigned char out[CODEC_PAIR_KEY_LEN], uint64_t a,
		    uint64_t b);

/* Appends to b the seal of b's bytes from offset from on, for a value
 * stored under key (kn bytes). */
void codec_seal(struct buf *b, size_t from, const void *key, size_t kn);

/* Checks the seal of a value of n bytes stored under key: 0 with *body the
 * length of the value without its seal, or -FAI_ESTORE when the value is
 * damaged or belongs to another key. */
int codec_unseal(const void *p, size_t n, const void *key, size_t kn,
		 size_t *body);

/* Appends the sealed record of idea (fields, rank, extras; sealed with
 * idea->key, which is not in the record) to b. */
void codec_idea_encode(struct buf *b, const struct idea *idea);

/* Decodes n bytes into a new idea with the given key.  Returns 0, or
 * -FAI_ESTORE when the bytes are not a valid record (or its seal does not
 * match: damaged, or not this key's). */
int codec_idea_decode(const void *p, size_t n, uint64_t key, struct idea **out);
/* The same for a record of schema 1 (format 1, no seal): the upgrade only. */
int codec_idea_decode_legacy(const void *p, size_t n, uint64_t key,
			     struct idea **out);
/* What decoded views point into, reused from record to record: the
 * values (NUL-terminated copies) and the unknown columns of the last
 * record decoded.  Start it zeroed; codec_arena_free releases it. */
struct codec_arena {
	struct buf text;
	size_t nextra;
	size_t cap;
	struct idea_extra *extra;
};

/* Decodes a record as codec_idea_decode does, into a view whose values
 * and unknown columns point into arena: reading many records allocates
 * nothing per field.  The view is valid until the next call with this
 * arena or codec_arena_free.  Returns 0, or -FAI_ESTORE with *view
 * empty. */
int codec_idea_view(const void *p, size_t n, uint64_t key,
		    struct idea_view *view, struct codec_arena *arena);
void codec_arena_free(struct codec_arena *arena);

/* Appends the sealed record of a log entry (everything but seq, which
 * seals it) to b. */
void codec_log_encode(struct buf *b, const struct log_entry *e);

/* Decodes a log record into e (cleared first), with the given seq: e owns
 * its strings and changes in one block (log_entry_clear frees it).
 * Returns 0, or -FAI_ESTORE with e empty. */
int codec_log_decode(const void *p, size_t n, uint64_t seq,
		     struct log_entry *e);
/* The same for a record of schema 1: the upgrade only. */
int codec_log_decode_legacy(const void *p, size_t n, uint64_t seq,
			    struct log_entry *e);

#endif
