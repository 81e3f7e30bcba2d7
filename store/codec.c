/* codec.c - encoding and decoding of the store's records.
 *
 * Idea record:  u8 format (2), u64 rank, then for each non-empty field
 *               u8 field, u32 length, bytes; for each extra column
 *               u8 0xF0, u32 pos, str name, str value; then u32 seal.
 * Log record:   u8 format (2), i64 at, u8 kind, u64 idea key, u64 revision,
 *               u8 forced, u64 target, str user, str client, str id,
 *               str ref, str text, u32 count, then count times str name,
 *               str before, str after; then u32 seal.
 * A str is u32 length and bytes; length 0xFFFFFFFF stands for NULL.
 * All integers big-endian.
 *
 * The seal is the CRC-32C of the record's key (as stored: the big-endian
 * u64 for ideas and log entries) followed by every byte before the seal, so
 * a damaged value, or a value found under another key, is refused before
 * anything reads it.  Schema 1 records (format 1) had no seal: they are
 * read only by the upgrade (codec_*_legacy). */
#include "codec.h"

#include <stdlib.h>
#include <string.h>

#include "../core/crc32c.h"
#include "../core/err.h"

#define CODEC_FORMAT 2
#define CODEC_FORMAT_LEGACY 1
#define CODEC_TAG_EXTRA 0xF0
#define CODEC_NULL 0xFFFFFFFFu

void codec_put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

uint64_t codec_get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t get_u32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t seal_of(const void *key, size_t kn, const void *p, size_t n)
{
	return crc32c(crc32c(0, key, kn), p, n);
}

void codec_seal(struct buf *b, size_t from, const void *key, size_t kn)
{
	uint32_t c = seal_of(key, kn, b->data + from, b->len - from);
	unsigned char p[4] = {(unsigned char)(c >> 24),
			      (unsigned char)(c >> 16), (unsigned char)(c >> 8),
			      (unsigned char)c};
	buf_add(b, p, 4);
}

int codec_unseal(const void *p, size_t n, const void *key, size_t kn,
		 size_t *body)
{
	if (n < 4)
		return -FAI_ESTORE;
	if (seal_of(key, kn, p, n - 4) !=
	    get_u32((const unsigned char *)p + n - 4))
		return -FAI_ESTORE;
	*body = n - 4;
	return 0;
}

static void put_u32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = {(unsigned char)(v >> 24),
			      (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			      (unsigned char)v};
	buf_add(b, p, 4);
}

static void put_u64(struct buf *b, uint64_t v)
{
	unsigned char p[8];
	codec_put_u64(p, v);
	buf_add(b, p, 8);
}

static void put_str(struct buf *b, const char *s)
{
	if (!s) {
		put_u32(b, CODEC_NULL);
		return;
	}
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

void codec_order_key(unsigned char out[CODEC_ORDER_KEY_LEN], int stage,
		     uint64_t rank, uint64_t key)
{
	out[0] = (unsigned char)stage;
	codec_put_u64(out + 1, rank);
	codec_put_u64(out + 9, key);
}

void codec_pair_key(unsigned char out[CODEC_PAIR_KEY_LEN], uint64_t a,
		    uint64_t b)
{
	codec_put_u64(out, a);
	codec_put_u64(out + 8, b);
}

void codec_idea_encode(struct buf *b, const struct idea *idea)
{
	size_t from = b->len;
	unsigned char k[8];
	buf_addc(b, CODEC_FORMAT);
	put_u64(b, idea->rank);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		const char *v = idea->v[f];
		if (!v || !*v)
			continue;
		buf_addc(b, (char)f);
		put_str(b, v);
	}
	for (size_t i = 0; i < idea->nextra; i++) {
		buf_addc(b, (char)CODEC_TAG_EXTRA);
		put_u32(b, idea->extra[i].pos);
		put_str(b, idea->extra[i].name);
		put_str(b, idea->extra[i].value);
	}
	codec_put_u64(k, idea->key);
	codec_seal(b, from, k, 8);
}

/* A bounded reader over one record. */
struct reader {
	const unsigned char *p;
	size_t left;
	int bad;
};

static int rd_u8(struct reader *r)
{
	if (r->left < 1) {
		r->bad = 1;
		return 0;
	}
	r->left--;
	return *r->p++;
}

static uint32_t rd_u32(struct reader *r)
{
	if (r->left < 4) {
		r->bad = 1;
		return 0;
	}
	uint32_t v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) |
		     ((uint32_t)r->p[2] << 8) | r->p[3];
	r->p += 4;
	r->left -= 4;
	return v;
}

static uint64_t rd_u64(struct reader *r)
{
	if (r->left < 8) {
		r->bad = 1;
		return 0;
	}
	uint64_t v = codec_get_u64(r->p);
	r->p += 8;
	r->left -= 8;
	return v;
}

/* Returns a heap copy of the next str, NULL for a NULL str. */
static char *rd_str(struct reader *r)
{
	uint32_t n = rd_u32(r);
	if (r->bad || n == CODEC_NULL)
		return NULL;
	if (n > r->left) {
		r->bad = 1;
		return NULL;
	}
	char *s = xstrndup((const char *)r->p, n);
	r->p += n;
	r->left -= n;
	return s;
}

/* Forgets the arena's last record (keeping its room). */
static void arena_reset(struct codec_arena *a)
{
	for (size_t i = 0; i < a->nextra; i++) {
		free(a->extra[i].name);
		free(a->extra[i].value);
	}
	a->nextra = 0;
	buf_reset(&a->text);
}

void codec_arena_free(struct codec_arena *a)
{
	arena_reset(a);
	free(a->extra);
	buf_free(&a->text);
	memset(a, 0, sizeof(*a));
}

/* Reads an unknown column (position, name, value) into the arena. */
static void rd_extra(struct reader *r, struct codec_arena *a)
{
	uint32_t pos = rd_u32(r);
	char *name = rd_str(r);
	char *value = rd_str(r);
	if (r->bad) {
		free(name);
		free(value);
		return;
	}
	if (a->nextra == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 4;
		a->extra = xrealloc(a->extra, a->cap * sizeof(*a->extra));
	}
	struct idea_extra *x = &a->extra[a->nextra++];
	x->name = name ? name : xstrdup("");
	x->value = value ? value : xstrdup("");
	x->pos = pos;
}

static int idea_view(const void *p, size_t n, uint64_t key,
		     struct idea_view *view, struct codec_arena *arena,
		     int legacy);

/* The view's values become heap strings; its unknown columns are heap
 * already and move over from the arena. */
static int idea_decode(const void *p, size_t n, uint64_t key, struct idea **out,
		       int legacy)
{
	struct codec_arena arena;
	struct idea_view view;

	memset(&arena, 0, sizeof(arena));
	int rc = idea_view(p, n, key, &view, &arena, legacy);
	if (rc == 0) {
		struct idea *idea = idea_new();
		idea->key = view.key;
		idea->rank = view.rank;
		for (int f = 0; f < IDEA_FIELD_COUNT; f++)
			if (view.v[f])
				idea->v[f] = xstrdup(view.v[f]);
		if (arena.nextra) {
			idea->extra = arena.extra;
			idea->nextra = arena.nextra;
			arena.extra = NULL;
			arena.nextra = arena.cap = 0;
		}
		*out = idea;
	}
	codec_arena_free(&arena);
	return rc;
}

int codec_idea_decode(const void *p, size_t n, uint64_t key, struct idea **out)
{
	return idea_decode(p, n, key, out, 0);
}

int codec_idea_decode_legacy(const void *p, size_t n, uint64_t key,
			     struct idea **out)
{
	return idea_decode(p, n, key, out, 1);
}

int codec_idea_view(const void *p, size_t n, uint64_t key,
		    struct idea_view *view, struct codec_arena *arena)
{
	return idea_view(p, n, key, view, arena, 0);
}

static int idea_view(const void *p, size_t n, uint64_t key,
		     struct idea_view *view, struct codec_arena *arena,
		     int legacy)
{
	struct reader r = {p, n, 0};
	size_t off[IDEA_FIELD_COUNT];
	unsigned char k[8];
	struct buf *text = &arena->text;

	memset(view, 0, sizeof(*view));
	arena_reset(arena);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++)
		off[f] = SIZE_MAX;
	codec_put_u64(k, key);
	if (!legacy && codec_unseal(p, n, k, 8, &r.left) < 0)
		return -FAI_ESTORE;
	if (rd_u8(&r) != (legacy ? CODEC_FORMAT_LEGACY : CODEC_FORMAT))
		return -FAI_ESTORE;
	uint64_t rank = rd_u64(&r);
	while (!r.bad && r.left > 0) {
		int tag = rd_u8(&r);
		if (tag == CODEC_TAG_EXTRA) {
			rd_extra(&r, arena);
		} else if (tag < IDEA_FIELD_COUNT) {
			uint32_t len = rd_u32(&r);
			if (r.bad || len == CODEC_NULL) {
				off[tag] = SIZE_MAX;
				continue;
			}
			if (len > r.left) {
				r.bad = 1;
				break;
			}
			off[tag] = text->len;
			buf_add(text, r.p, len);
			buf_add(text, "", 1);
			r.p += len;
			r.left -= len;
		} else {
			r.bad = 1;
		}
	}
	if (r.bad) {
		arena_reset(arena);
		return -FAI_ESTORE;
	}
	/* The text stops moving once everything is in. */
	view->key = key;
	view->rank = rank;
	for (int f = 0; f < IDEA_FIELD_COUNT; f++)
		if (off[f] != SIZE_MAX)
			view->v[f] = text->data + off[f];
	view->nextra = arena->nextra;
	view->extra = arena->extra;
	return 0;
}

void codec_log_encode(struct buf *b, const struct log_entry *e)
{
	size_t from = b->len;
	unsigned char k[8];
	buf_addc(b, CODEC_FORMAT);
	put_u64(b, (uint64_t)e->at);
	buf_addc(b, (char)e->kind);
	put_u64(b, e->idea_key);
	put_u64(b, e->revision);
	buf_addc(b, (char)(e->forced ? 1 : 0));
	put_u64(b, e->target);
	put_str(b, e->user);
	put_str(b, e->client);
	put_str(b, e->id[0] ? e->id : NULL);
	put_str(b, e->ref[0] ? e->ref : NULL);
	put_str(b, e->text);
	put_u32(b, (uint32_t)e->nchanges);
	for (size_t i = 0; i < e->nchanges; i++) {
		put_str(b, e->changes[i].name);
		put_str(b, e->changes[i].before);
		put_str(b, e->changes[i].after);
	}
	codec_put_u64(k, e->seq);
	codec_seal(b, from, k, 8);
}

/* Reads the next str into a fixed field (cut to fit; "" for NULL). */
static void rd_fixed(struct reader *r, char *dst, size_t size)
{
	uint32_t n = rd_u32(r);
	dst[0] = '\0';
	if (r->bad || n == CODEC_NULL)
		return;
	if (n > r->left) {
		r->bad = 1;
		return;
	}
	size_t m = n < size ? n : size - 1;
	memcpy(dst, r->p, m);
	dst[m] = '\0';
	r->p += n;
	r->left -= n;
}

/* Reads the next str: copies it to *to (moving *to past it) and returns
 * the copy, or, with *to NULL, only adds the bytes it needs to *need and
 * returns NULL.  NULL for a NULL str. */
static const char *rd_text(struct reader *r, char **to, size_t *need)
{
	uint32_t n = rd_u32(r);
	if (r->bad || n == CODEC_NULL)
		return NULL;
	if (n > r->left) {
		r->bad = 1;
		return NULL;
	}
	const char *s = NULL;
	if (*to) {
		memcpy(*to, r->p, n);
		(*to)[n] = '\0';
		s = *to;
		*to += n + 1;
	}
	*need += (size_t)n + 1;
	r->p += n;
	r->left -= n;
	return s;
}

/* Reads a log record after its format byte into e.  With text NULL it
 * only measures: *need gets the bytes its strings take and e->nchanges
 * their count; otherwise the strings go to text and the changes to ch. */
static void log_body(struct reader *r, struct log_entry *e,
		     struct log_change *ch, char *text, size_t *need)
{
	e->at = (int64_t)rd_u64(r);
	e->kind = (enum log_kind)rd_u8(r);
	e->idea_key = rd_u64(r);
	e->revision = rd_u64(r);
	e->forced = rd_u8(r);
	e->target = rd_u64(r);
	e->user = rd_text(r, &text, need);
	e->client = rd_text(r, &text, need);
	rd_fixed(r, e->id, sizeof(e->id));
	rd_fixed(r, e->ref, sizeof(e->ref));
	e->text = rd_text(r, &text, need);
	uint32_t count = rd_u32(r);
	if (r->bad || e->kind >= LOG_KIND_COUNT || count > r->left / 12) {
		r->bad = 1;
		return;
	}
	e->nchanges = count;
	for (uint32_t i = 0; i < count && !r->bad; i++) {
		const char *name = rd_text(r, &text, need);
		const char *before = rd_text(r, &text, need);
		const char *after = rd_text(r, &text, need);
		if (ch) {
			ch[i].name = name;
			ch[i].before = before;
			ch[i].after = after;
		}
	}
}

/* Reads the record twice: once to measure and check it, once to copy it
 * into the one block the entry owns. */
static int log_decode(const void *p, size_t n, uint64_t seq,
		      struct log_entry *e, int legacy)
{
	struct reader r = {p, n, 0}, body;
	unsigned char k[8];
	size_t need = 0;

	memset(e, 0, sizeof(*e));
	e->seq = seq;
	codec_put_u64(k, seq);
	if (!legacy && codec_unseal(p, n, k, 8, &r.left) < 0)
		return -FAI_ESTORE;
	if (rd_u8(&r) != (legacy ? CODEC_FORMAT_LEGACY : CODEC_FORMAT))
		goto fail;
	body = r;
	log_body(&r, e, NULL, NULL, &need);
	if (r.bad || r.left != 0)
		goto fail;
	size_t count = e->nchanges;
	struct log_change *ch =
	    xmalloc(count * sizeof(*ch) + (need ? need : 1));
	log_body(&body, e, ch, (void *)(ch + count), &need);
	e->changes = ch;
	e->own = ch;
	return 0;
fail:
	memset(e, 0, sizeof(*e));
	return -FAI_ESTORE;
}

int codec_log_decode(const void *p, size_t n, uint64_t seq, struct log_entry *e)
{
	return log_decode(p, n, seq, e, 0);
}

int codec_log_decode_legacy(const void *p, size_t n, uint64_t seq,
			    struct log_entry *e)
{
	return log_decode(p, n, seq, e, 1);
}
