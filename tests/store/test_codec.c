/* test_codec.c - the store's record codec (store/codec.c): what an idea
 * record and a log record keep through encode and decode (every field,
 * NULL and empty values, unknown columns, changes with a NULL side), the
 * decoded view into its arena, and the seal refusing a flipped byte, a cut
 * record and a record found under another key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/idea.h"
#include "../../core/log.h"
#include "../../core/xmalloc.h"
#include "../../store/codec.h"

/* A distinct, valid-looking value for each field. */
static void fill_every_field(struct idea *idea)
{
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		char v[64];
		snprintf(v, sizeof(v), "%s é %d", idea_field_info(f)->code, f);
		idea_set_raw(idea, (enum idea_field)f, v);
	}
	idea_set_raw(idea, IDEA_NEED, "line one\nline two\n\ttabbed");
}

static void assert_same_idea(const struct idea *a, const struct idea *b)
{
	assert_int_equal(a->key, b->key);
	assert_int_equal(a->rank, b->rank);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		if (!a->v[f] || !*a->v[f])
			assert_null(b->v[f]); /* empty is never stored */
		else
			assert_string_equal(a->v[f], b->v[f]);
	}
	assert_int_equal(a->nextra, b->nextra);
	for (size_t i = 0; i < a->nextra; i++) {
		assert_string_equal(a->extra[i].name, b->extra[i].name);
		assert_string_equal(a->extra[i].value, b->extra[i].value);
		assert_int_equal(a->extra[i].pos, b->extra[i].pos);
	}
}

static struct idea *round_trip(const struct idea *idea)
{
	struct buf b;
	struct idea *back = NULL;
	buf_init(&b);
	codec_idea_encode(&b, idea);
	assert_int_equal(codec_idea_decode(b.data, b.len, idea->key, &back), 0);
	assert_non_null(back);
	buf_free(&b);
	return back;
}

static void test_idea_every_field_round_trip(void **state)
{
	(void)state;
	struct idea *idea = idea_new();
	idea->key = 0x0102030405060708ULL;
	idea->rank = UINT64_MAX - 3;
	fill_every_field(idea);
	struct idea *back = round_trip(idea);
	assert_same_idea(idea, back);
	idea_free(back);
	idea_free(idea);
}

static void test_idea_null_and_empty_values(void **state)
{
	(void)state;
	struct idea *idea = idea_new();
	idea->key = 1;
	/* Nothing at all: format, rank and seal only. */
	struct idea *back = round_trip(idea);
	assert_same_idea(idea, back);
	idea_free(back);
	/* Empty strings read back as NULL, as idea_get reads them: "". */
	fill_every_field(idea);
	free(idea->v[IDEA_TITLE]);
	idea->v[IDEA_TITLE] = xstrdup("");
	idea_set_raw(idea, IDEA_THEME, NULL);
	back = round_trip(idea);
	assert_null(back->v[IDEA_TITLE]);
	assert_null(back->v[IDEA_THEME]);
	assert_string_equal(idea_get(back, IDEA_TITLE), "");
	assert_same_idea(idea, back);
	idea_free(back);
	idea_free(idea);
}

static void test_idea_unknown_columns_round_trip(void **state)
{
	(void)state;
	struct idea *idea = idea_new();
	idea->key = 42;
	idea->rank = 7;
	idea_set_raw(idea, IDEA_TITLE, "Repair café");
	idea_extra_add(idea, "budget", "12 000 €", 30);
	idea_extra_add(idea, "", "", 0);	     /* nameless, empty */
	idea_extra_add(idea, "budget", "twice", 31); /* a name held twice */
	idea_extra_add(idea, "note", "a\nb; c", UINT32_MAX - 1);
	struct idea *back = round_trip(idea);
	assert_same_idea(idea, back);
	idea_free(back);
	idea_free(idea);
}

/* The view reads the same record as the owned decode, into the arena;
 * the next record decoded into the same arena replaces it. */
static void test_idea_view_reads_what_decode_reads(void **state)
{
	(void)state;
	struct idea *idea = idea_new(), *other = idea_new();
	struct buf b, b2;
	struct codec_arena arena;
	struct idea_view view;
	idea->key = 99;
	idea->rank = 5;
	fill_every_field(idea);
	idea_set_raw(idea, IDEA_OWNER, NULL);
	idea_extra_add(idea, "budget", "12 000 €", 30);
	other->key = 100;
	idea_set_raw(other, IDEA_TITLE, "Autre");
	buf_init(&b);
	buf_init(&b2);
	memset(&arena, 0, sizeof(arena));
	codec_idea_encode(&b, idea);
	codec_idea_encode(&b2, other);
	assert_int_equal(codec_idea_view(b.data, b.len, 99, &view, &arena), 0);
	assert_int_equal(view.key, 99);
	assert_int_equal(view.rank, 5);
	for (int f = 0; f < IDEA_FIELD_COUNT; f++) {
		if (!idea->v[f])
			assert_null(view.v[f]);
		else
			assert_string_equal(view.v[f], idea->v[f]);
	}
	assert_int_equal(view.nextra, 1);
	assert_string_equal(view.extra[0].name, "budget");
	assert_string_equal(view.extra[0].value, "12 000 €");
	assert_int_equal(view.extra[0].pos, 30);
	assert_int_equal(codec_idea_view(b2.data, b2.len, 100, &view, &arena),
			 0);
	assert_string_equal(idea_view_get(&view, IDEA_TITLE), "Autre");
	assert_null(view.v[IDEA_NEED]);
	assert_int_equal(view.nextra, 0);
	/* Under another key the view is refused, and left empty. */
	assert_int_equal(codec_idea_view(b.data, b.len, 98, &view, &arena),
			 -FAI_ESTORE);
	assert_int_equal(view.key, 0);
	assert_int_equal(view.nextra, 0);
	assert_null(view.v[IDEA_TITLE]);
	codec_arena_free(&arena);
	codec_arena_free(&arena); /* twice is harmless */
	buf_free(&b2);
	buf_free(&b);
	idea_free(other);
	idea_free(idea);
}

/* Every single flipped bit of a sealed idea record is refused, as are a
 * record cut short and the record read under another key. */
static void test_idea_seal_refuses_damage_and_other_key(void **state)
{
	(void)state;
	struct idea *idea = idea_new(), *back = NULL;
	struct buf b;
	idea->key = 12345;
	fill_every_field(idea);
	idea_extra_add(idea, "budget", "100", 30);
	buf_init(&b);
	codec_idea_encode(&b, idea);
	for (size_t i = 0; i < b.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			b.data[i] = (char)(b.data[i] ^ (1 << bit));
			assert_int_equal(
			    codec_idea_decode(b.data, b.len, 12345, &back),
			    -FAI_ESTORE);
			assert_null(back);
			b.data[i] = (char)(b.data[i] ^ (1 << bit));
		}
	}
	for (size_t n = 0; n < b.len; n++)
		assert_int_equal(codec_idea_decode(b.data, n, 12345, &back),
				 -FAI_ESTORE);
	assert_int_equal(codec_idea_decode(b.data, b.len, 12346, &back),
			 -FAI_ESTORE);
	assert_int_equal(codec_idea_decode(b.data, b.len, 0, &back),
			 -FAI_ESTORE);
	assert_null(back);
	/* A sealed record is not a legacy one, nor the reverse. */
	assert_int_equal(codec_idea_decode_legacy(b.data, b.len, 12345, &back),
			 -FAI_ESTORE);
	assert_int_equal(codec_idea_decode(b.data, b.len, 12345, &back), 0);
	assert_same_idea(idea, back);
	idea_free(back);
	buf_free(&b);
	idea_free(idea);
}

static int streq_or_null(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static void assert_same_entry(const struct log_entry *a,
			      const struct log_entry *b)
{
	assert_int_equal(a->seq, b->seq);
	assert_true(a->at == b->at);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->idea_key, b->idea_key);
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->ref, b->ref);
	assert_int_equal(a->revision, b->revision);
	assert_int_equal(a->forced != 0, b->forced != 0);
	assert_int_equal(a->target, b->target);
	assert_true(streq_or_null(a->user, b->user));
	assert_true(streq_or_null(a->client, b->client));
	assert_true(streq_or_null(a->text, b->text));
	assert_int_equal(a->nchanges, b->nchanges);
	for (size_t i = 0; i < a->nchanges; i++) {
		assert_true(
		    streq_or_null(a->changes[i].name, b->changes[i].name));
		assert_true(
		    streq_or_null(a->changes[i].before, b->changes[i].before));
		assert_true(
		    streq_or_null(a->changes[i].after, b->changes[i].after));
	}
}

/* Encodes e (its seq seals it) and decodes it back into out. */
static void log_round_trip(const struct log_entry *e, struct log_entry *out)
{
	struct buf b;
	buf_init(&b);
	codec_log_encode(&b, e);
	assert_int_equal(codec_log_decode(b.data, b.len, e->seq, out), 0);
	buf_free(&b);
}

static void test_log_every_field_round_trip(void **state)
{
	(void)state;
	char user[] = "claire", client[] = "192.0.2.7 51234 22";
	char text[] = "moved: a partner found\nsecond line";
	char n0[] = "stage", b0[] = "concept", a0[] = "owner_search";
	char n1[] = "title", b1[] = "", a1[] = "Café vélo";
	struct log_entry e, back;
	memset(&e, 0, sizeof(e));
	e.seq = 77;
	e.at = -86400; /* before 1970 */
	e.kind = LOG_MOVE;
	e.idea_key = 1234567890123ULL;
	snprintf(e.id, sizeof(e.id), "%s",
		 "0b8e3c1a-7f2d-4e5b-9a6c-1d2e3f405162");
	snprintf(e.ref, sizeof(e.ref), "%s", "FAI-84-2024-0042");
	e.revision = UINT64_MAX;
	e.forced = 1;
	e.target = 76;
	e.user = user;
	e.client = client;
	e.text = text;
	struct log_change ch[2] = {{n0, b0, a0}, {n1, b1, a1}};
	e.changes = ch;
	e.nchanges = 2;
	log_round_trip(&e, &back);
	assert_same_entry(&e, &back);
	/* "" stays "", distinct from NULL. */
	assert_non_null(back.changes[1].before);
	assert_string_equal(back.changes[1].before, "");
	log_entry_clear(&back);
	for (int k = 0; k < LOG_KIND_COUNT; k++) {
		e.kind = (enum log_kind)k;
		log_round_trip(&e, &back);
		assert_int_equal(back.kind, k);
		log_entry_clear(&back);
	}
}

static void test_log_null_strings_and_no_changes(void **state)
{
	(void)state;
	struct log_entry e, back;
	memset(&e, 0, sizeof(e));
	e.seq = 1;
	e.kind = LOG_CONFIG;
	log_round_trip(&e, &back);
	assert_same_entry(&e, &back);
	assert_null(back.user);
	assert_null(back.client);
	assert_null(back.text);
	assert_string_equal(back.id, "");
	assert_string_equal(back.ref, "");
	assert_int_equal(back.nchanges, 0);
	log_entry_clear(&back);
	char empty[] = "";
	e.user = empty;
	e.text = empty;
	log_round_trip(&e, &back);
	assert_non_null(back.user);
	assert_string_equal(back.user, "");
	assert_non_null(back.text);
	assert_null(back.client);
	log_entry_clear(&back);
}

static void test_log_changes_with_null_before_or_after(void **state)
{
	(void)state;
	char user[] = "marc", n0[] = "need", n1[] = "x:budget", n2[] = "rank";
	char v0[] = "a need", v1[] = "12 000 €", v2[] = "5";
	struct log_change ch[4] = {
	    {n0, NULL, v0}, /* created */
	    {n1, v1, NULL}, /* cleared */
	    {n2, NULL, NULL},
	    {NULL, NULL, v2}, /* nameless: kept as it is */
	};
	struct log_entry e, back;
	memset(&e, 0, sizeof(e));
	e.seq = 3;
	e.kind = LOG_EDIT;
	e.user = user;
	e.changes = ch;
	e.nchanges = 4;
	log_round_trip(&e, &back);
	assert_same_entry(&e, &back);
	assert_null(back.changes[0].before);
	assert_null(back.changes[1].after);
	assert_null(back.changes[2].before);
	assert_null(back.changes[2].after);
	assert_null(back.changes[3].name);
	assert_non_null(log_entry_change(&back, "x:budget"));
	log_entry_clear(&back);
}

static void test_log_seal_refuses_damage_and_other_seq(void **state)
{
	(void)state;
	char user[] = "claire", text[] = "comment";
	char n0[] = "title", b0[] = "Old", a0[] = "New";
	struct log_change ch[1] = {{n0, b0, a0}};
	struct log_entry e, back;
	struct buf b;
	memset(&e, 0, sizeof(e));
	e.seq = 500;
	e.kind = LOG_EDIT;
	e.user = user;
	e.text = text;
	e.changes = ch;
	e.nchanges = 1;
	buf_init(&b);
	codec_log_encode(&b, &e);
	for (size_t i = 0; i < b.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			b.data[i] = (char)(b.data[i] ^ (1 << bit));
			assert_int_equal(
			    codec_log_decode(b.data, b.len, 500, &back),
			    -FAI_ESTORE);
			assert_null(back.user);
			assert_null(back.changes);
			b.data[i] = (char)(b.data[i] ^ (1 << bit));
		}
	}
	for (size_t n = 0; n < b.len; n++)
		assert_int_equal(codec_log_decode(b.data, n, 500, &back),
				 -FAI_ESTORE);
	assert_int_equal(codec_log_decode(b.data, b.len, 501, &back),
			 -FAI_ESTORE);
	assert_int_equal(codec_log_decode_legacy(b.data, b.len, 500, &back),
			 -FAI_ESTORE);
	assert_null(back.text);
	assert_int_equal(codec_log_decode(b.data, b.len, 500, &back), 0);
	assert_same_entry(&e, &back);
	log_entry_clear(&back);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_idea_null_and_empty_values),
	    cmocka_unit_test(test_idea_every_field_round_trip),
	    cmocka_unit_test(test_idea_unknown_columns_round_trip),
	    cmocka_unit_test(test_idea_view_reads_what_decode_reads),
	    cmocka_unit_test(test_idea_seal_refuses_damage_and_other_key),
	    cmocka_unit_test(test_log_null_strings_and_no_changes),
	    cmocka_unit_test(test_log_every_field_round_trip),
	    cmocka_unit_test(test_log_changes_with_null_before_or_after),
	    cmocka_unit_test(test_log_seal_refuses_damage_and_other_seq),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
