/* fuzz_codec.c - fuzzes the store's record decoders (store/codec.c) on
 * arbitrary bytes: the first byte picks idea or log record, the rest is the
 * record.  Decoding must never read past the value (ASan watches), and a
 * record that decodes must survive a round trip: encode(decode(x)) decodes
 * to the same idea or log entry. */
#include "fuzz.h"

#include "../../core/idea.h"
#include "../../core/log.h"
#include "../../core/xmalloc.h"
#include "../../store/codec.h"

static int fuzz_streq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static void fuzz_idea(const uint8_t *p, size_t n)
{
	struct idea *a = NULL, *b = NULL;
	struct buf buf;

	if (codec_idea_decode(p, n, 7, &a) != 0)
		return;
	FUZZ_CHECK(a && a->key == 7, "key not kept");
	buf_init(&buf);
	codec_idea_encode(&buf, a);
	FUZZ_CHECK(codec_idea_decode(buf.data, buf.len, 7, &b) == 0,
		   "re-encoded idea does not decode");
	FUZZ_CHECK(a->rank == b->rank, "rank");
	for (int f = 0; f < IDEA_FIELD_COUNT; f++)
		FUZZ_CHECK(fuzz_streq(a->v[f], b->v[f]), "field %d", f);
	FUZZ_CHECK(a->nextra == b->nextra, "extras %zu -> %zu", a->nextra,
		   b->nextra);
	for (size_t i = 0; i < a->nextra; i++) {
		FUZZ_CHECK(a->extra[i].pos == b->extra[i].pos, "extra pos");
		FUZZ_CHECK(fuzz_streq(a->extra[i].name, b->extra[i].name) &&
			       fuzz_streq(a->extra[i].value, b->extra[i].value),
			   "extra %zu", i);
	}
	buf_free(&buf);
	idea_free(a);
	idea_free(b);
}

static void fuzz_log(const uint8_t *p, size_t n)
{
	struct log_entry a, b;
	struct buf buf;

	memset(&b, 0, sizeof(b));
	if (codec_log_decode(p, n, 9, &a) != 0) {
		FUZZ_CHECK(a.user == NULL && a.text == NULL &&
			       a.changes == NULL,
			   "a refused record left memory behind");
		return;
	}
	FUZZ_CHECK(a.seq == 9, "seq not kept");
	FUZZ_CHECK((int)a.kind >= 0 && a.kind < LOG_KIND_COUNT, "kind %d",
		   (int)a.kind);
	FUZZ_CHECK(memchr(a.id, 0, sizeof(a.id)) &&
		       memchr(a.ref, 0, sizeof(a.ref)),
		   "id or ref unterminated");
	buf_init(&buf);
	codec_log_encode(&buf, &a);
	FUZZ_CHECK(codec_log_decode(buf.data, buf.len, 9, &b) == 0,
		   "re-encoded log entry does not decode");
	FUZZ_CHECK(a.at == b.at && a.kind == b.kind &&
		       a.idea_key == b.idea_key && a.revision == b.revision &&
		       (a.forced != 0) == (b.forced != 0) &&
		       a.target == b.target,
		   "log numbers");
	FUZZ_CHECK(fuzz_streq(a.user, b.user) &&
		       fuzz_streq(a.client, b.client) &&
		       strcmp(a.id, b.id) == 0 && strcmp(a.ref, b.ref) == 0 &&
		       fuzz_streq(a.text, b.text),
		   "log strings");
	FUZZ_CHECK(a.nchanges == b.nchanges, "changes %zu -> %zu", a.nchanges,
		   b.nchanges);
	for (size_t i = 0; i < a.nchanges; i++)
		FUZZ_CHECK(
		    fuzz_streq(a.changes[i].name, b.changes[i].name) &&
			fuzz_streq(a.changes[i].before, b.changes[i].before) &&
			fuzz_streq(a.changes[i].after, b.changes[i].after),
		    "change %zu", i);
	buf_free(&buf);
	log_entry_clear(&a);
	log_entry_clear(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* Copy so ASan sees the exact end of the record. */
	uint8_t *rec = malloc(size - 1 ? size - 1 : 1);
	if (!rec)
		abort();
	memcpy(rec, data + 1, size - 1);
	if (data[0] & 1)
		fuzz_log(rec, size - 1);
	else
		fuzz_idea(rec, size - 1);
	free(rec);
	return 0;
}
