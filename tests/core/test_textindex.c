/* test_textindex.c - the search's text index finds what the search rule
 * (idea_matches, plus the comments) finds, in the board's order, and stays
 * right as ideas are put again, dropped and commented, and as its arena is
 * rewritten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/idea.h"
#include "../../core/textindex.h"
#include "../../core/utf8.h"

static struct idea *make(uint64_t key, uint64_t rank, const char *stage,
			 const char *title, const char *need)
{
	struct idea *i = idea_new();
	i->key = key;
	i->rank = rank;
	idea_set_raw(i, IDEA_STAGE, stage);
	idea_set_raw(i, IDEA_TITLE, title);
	if (need)
		idea_set_raw(i, IDEA_NEED, need);
	return i;
}

static void put(struct text_index *x, const struct idea *i)
{
	struct idea_view v;
	idea_view_of(i, &v);
	text_index_put(x, &v);
}

/* The keys found for text, in order, written "k1 k2 ..." into out. */
static const char *found(struct text_index *x, const char *text,
			 const uint64_t *among, size_t namong)
{
	static char out[4096];
	struct buf f;
	struct text_hit *hits = NULL;
	buf_init(&f);
	utf8_fold(&f, text);
	size_t n = text_index_find(x, f.data, among, namong, &hits);
	buf_free(&f);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[32];
		snprintf(one, sizeof(one), "%s%llu", i ? " " : "",
			 (unsigned long long)hits[i].key);
		strcat(out, one);
	}
	free(hits);
	return out;
}

static void test_same_rule(void **state)
{
	(void)state;
	static const char *const titles[] = {"Épicerie solidaire itinérante",
					     "Garage SOLIDAIRE",
					     "Cœur de village",
					     "Tiers-lieu culturel",
					     "Vélo-école",
					     "Straße und Café",
					     "Œuvre commune",
					     "ÉTÉ à la plage"};
	static const char *const needs[] = {
	    "Les hameaux n’ont plus de commerce",
	    NULL,
	    "Personnes âgées isolées",
	    "Jeunes sans mobilité",
	    "Femmes qui ne savent pas faire du vélo",
	    "Café associatif",
	    NULL,
	    "Saisonniers sans logement"};
	static const char *const needles[] = {"epicerie",
					      "ÉPICERIE",
					      "solidaire",
					      "coeur",
					      "cœur",
					      "velo",
					      "ecole",
					      "strasse",
					      "cafe",
					      "oeuvre",
					      "ete",
					      "a la",
					      "hameaux",
					      "e",
					      "",
					      "zz",
					      "itinéranteles",
					      "solidaire itinérante",
					      "garage solidaire",
					      "commerce ",
					      "lo-é",
					      "personnes âgées",
					      "ÉTÉ À LA PLAGE",
					      "mobilite",
					      "clermont",
					      "63113",
					      "corse-du-sud",
					      "ferrand, corse"};
	struct text_index x;
	struct idea *ideas[8];
	text_index_init(&x);
	for (int i = 0; i < 8; i++) {
		ideas[i] =
		    make((uint64_t)(i + 1), 0, "need", titles[i], needs[i]);
		/* territories: found by their names too (idea_search_more) */
		if (i % 3 == 0)
			idea_set_raw(ideas[i], IDEA_TERRITORY,
				     i ? "63113, 2A" : "63113");
		put(&x, ideas[i]);
	}
	assert_int_equal(text_index_count(&x), 8);
	for (size_t k = 0; k < sizeof(needles) / sizeof(*needles); k++) {
		char want[256] = "";
		for (int i = 0; i < 8; i++) {
			struct idea_view v;
			idea_view_of(ideas[i], &v);
			if (idea_matches(&v, needles[k])) {
				char one[16];
				snprintf(one, sizeof(one), "%s%d",
					 want[0] ? " " : "", i + 1);
				strcat(want, one);
			}
		}
		assert_string_equal(found(&x, needles[k], NULL, 0), want);
	}
	/* a text running over two fields is in neither */
	assert_string_equal(found(&x, "itinérante les", NULL, 0), "");
	assert_string_equal(found(&x, "Clermont-Ferrand", NULL, 0), "1 4 7");
	assert_string_equal(found(&x, "corse du sud", NULL, 0), "");
	assert_string_equal(found(&x, "corse-du-sud", NULL, 0), "4 7");
	for (int i = 0; i < 8; i++)
		idea_free(ideas[i]);
	text_index_free(&x);
}

static void test_comments(void **state)
{
	(void)state;
	struct text_index x;
	struct idea *a = make(10, 0, "need", "Recyclerie", NULL);
	struct idea *b = make(20, 1, "need", "Conciergerie", NULL);
	text_index_init(&x);
	put(&x, a);
	put(&x, b);
	text_index_comment(&x, 10, "Rencontré le CCAS de Tulle");
	text_index_comment(&x, 20, "Appel à la mairie");
	/* a's comments are no longer the arena's last: they move */
	text_index_comment(&x, 10, "Visite des locaux");
	text_index_comment(&x, 99, "an idea never put: ignored");
	assert_string_equal(found(&x, "tulle", NULL, 0), "10");
	assert_string_equal(found(&x, "VISITE", NULL, 0), "10");
	assert_string_equal(found(&x, "mairie", NULL, 0), "20");
	assert_string_equal(found(&x, "ignored", NULL, 0), "");
	/* never across two comments */
	assert_string_equal(found(&x, "tullevisite", NULL, 0), "");
	assert_string_equal(found(&x, "tulle visite", NULL, 0), "");
	/* put again (an edit): the comments stay */
	idea_set_raw(a, IDEA_TITLE, "Ressourcerie");
	put(&x, a);
	assert_string_equal(found(&x, "tulle", NULL, 0), "10");
	assert_string_equal(found(&x, "recyclerie", NULL, 0), "");
	assert_string_equal(found(&x, "ressourcerie", NULL, 0), "10");
	/* cleared, then read again */
	text_index_comments_clear(&x, 10);
	assert_string_equal(found(&x, "tulle", NULL, 0), "");
	text_index_comment(&x, 10, "Tulle encore");
	assert_string_equal(found(&x, "tulle", NULL, 0), "10");
	idea_free(a);
	idea_free(b);
	text_index_free(&x);
}

static void test_order_drop_among(void **state)
{
	(void)state;
	struct text_index x;
	text_index_init(&x);
	/* put out of order: found by stage, then rank, then key */
	struct idea *v[5] = {
	    make(5, 2, "concept", "Atelier vélo", NULL),
	    make(3, 1, "concept", "Atelier couture", NULL),
	    make(9, 7, "need", "Atelier bois", NULL),
	    make(1, 7, "need", "Atelier cuisine", NULL),
	    make(7, 0, "launched", "Atelier jardin", NULL),
	};
	for (int i = 0; i < 5; i++)
		put(&x, v[i]);
	assert_string_equal(found(&x, "atelier", NULL, 0), "1 9 3 5 7");
	assert_string_equal(found(&x, "", NULL, 0), "1 9 3 5 7");
	/* a move: the order follows */
	idea_set_raw(v[4], IDEA_STAGE, "need");
	v[4]->rank = 0;
	put(&x, v[4]);
	assert_string_equal(found(&x, "atelier", NULL, 0), "7 1 9 3 5");
	struct text_hit *hits = NULL;
	assert_int_equal(text_index_find(&x, "jardin", NULL, 0, &hits), 1);
	assert_int_equal(hits[0].stage, STAGE_NEED);
	free(hits);
	/* dropped: gone; put again: back */
	text_index_drop(&x, 9);
	assert_string_equal(found(&x, "atelier", NULL, 0), "7 1 3 5");
	assert_string_equal(found(&x, "bois", NULL, 0), "");
	assert_int_equal(text_index_count(&x), 4);
	put(&x, v[2]);
	assert_string_equal(found(&x, "bois", NULL, 0), "9");
	/* among: only those keys */
	const uint64_t among[] = {3, 7, 9};
	assert_string_equal(found(&x, "atelier", among, 3), "7 9 3");
	assert_string_equal(found(&x, "cuisine", among, 3), "");
	for (int i = 0; i < 5; i++)
		idea_free(v[i]);
	text_index_free(&x);
}

/* Ideas put again and again leave old text behind; the arena is rewritten
 * when that passes half of it, and every search stays right. */
static void test_compaction(void **state)
{
	(void)state;
	struct text_index x;
	char need[2048];
	text_index_init(&x);
	memset(need, 'a', sizeof(need) - 1);
	need[sizeof(need) - 1] = '\0';
	struct idea *v[50];
	for (int i = 0; i < 50; i++) {
		char title[64];
		snprintf(title, sizeof(title), "Idée numéro %d", i);
		v[i] =
		    make((uint64_t)(i + 1), (uint64_t)i, "need", title, need);
		put(&x, v[i]);
		text_index_comment(&x, (uint64_t)(i + 1), "premier passage");
	}
	size_t peak = 0;
	for (int round = 0; round < 40; round++)
		for (int i = 0; i < 50; i++) {
			char title[64];
			snprintf(title, sizeof(title), "Idée numéro %d tour %d",
				 i, round);
			idea_set_raw(v[i], IDEA_TITLE, title);
			put(&x, v[i]);
			if (x.arena.len > peak)
				peak = x.arena.len;
		}
	/* 2,000 puts of 2 KiB: without rewriting, 4 MiB */
	assert_true(peak < (size_t)3 << 20);
	assert_true(x.garbage * 2 <= x.arena.len + (1u << 20));
	assert_string_equal(found(&x, "numero 7 tour 39", NULL, 0), "8");
	assert_string_equal(found(&x, "numero 7 tour 38", NULL, 0), "");
	struct text_hit *hits = NULL;
	assert_int_equal(text_index_find(&x, "passage", NULL, 0, &hits), 50);
	free(hits);
	for (int i = 0; i < 50; i++)
		idea_free(v[i]);
	text_index_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_rule),
	    cmocka_unit_test(test_comments),
	    cmocka_unit_test(test_order_drop_among),
	    cmocka_unit_test(test_compaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
