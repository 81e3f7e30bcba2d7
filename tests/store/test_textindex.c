/* test_textindex.c - the board's search index read from the store and kept
 * up to date from the log finds, after each kind of change, what the
 * search rule finds in one pass over the store (store_comments_search for
 * the comments, idea_filter for the fields). */
#include "../../core/filter.h"
#include "../../core/textindex.h"
#include "../../core/utf8.h"
#include "store_fixture.h"

struct pass {
	struct idea_filter f;
	struct buf out;
};

static int pass_one(const struct idea_view *v, void *arg)
{
	struct pass *p = arg;
	if (idea_filter_match_view(&p->f, v))
		buf_printf(&p->out, "%s%llu", p->out.len ? " " : "",
			   (unsigned long long)v->key);
	return 0;
}

/* Asserts that the index finds for text what a pass over the store finds,
 * in the same (board) order. */
static void same_as_pass(struct fx *f, struct text_index *x, const char *text)
{
	struct pass p;
	uint64_t *keys = NULL;
	size_t nkeys = 0;
	memset(&p, 0, sizeof(p));
	buf_init(&p.out);
	buf_adds(&p.out, "");
	idea_filter_init(&p.f, FX_T0);
	p.f.search = text;
	assert_int_equal(
	    store_comments_search(f->s, text, &keys, &nkeys, &f->err), 0);
	p.f.comment_keys = keys;
	p.f.ncomment_keys = nkeys;
	assert_int_equal(store_idea_foreach_view(f->s, pass_one, &p, &f->err),
			 0);
	free(keys);

	struct buf got;
	struct text_hit *hits = NULL;
	struct buf folded;
	buf_init(&folded);
	utf8_fold(&folded, text);
	size_t n = text_index_find(x, folded.data, NULL, 0, &hits);
	buf_free(&folded);
	buf_init(&got);
	buf_adds(&got, "");
	for (size_t i = 0; i < n; i++)
		buf_printf(&got, "%s%llu", got.len ? " " : "",
			   (unsigned long long)hits[i].key);
	free(hits);
	int same = !strcmp(got.data, p.out.data);
	if (!same)
		fail_msg("« %s »: index [%.300s], pass [%.300s]", text,
			 got.data, p.out.data);
	buf_free(&got);
	buf_free(&p.out);
}

static const char *const texts[] = {"tulle",   "atelier", "velo", "mairie",
				    "couture", "bois",	  "e",	  "zzz"};

static void all_same(struct fx *f, struct text_index *x)
{
	assert_int_equal(store_text_index_update(f->s, x, &f->err), 0);
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		same_as_pass(f, x, texts[i]);
}

static void test_follows_the_store(void **state)
{
	struct fx *f = *state;
	char a[24], b[24], c[24];
	struct text_index x;
	text_index_init(&x);

	fx_create(f, fx_tick(&f->alice), "Atelier vélo", "Réparer", "69", a);
	fx_create(f, fx_tick(&f->alice), "Atelier couture", NULL, NULL, b);
	fx_create(f, fx_tick(&f->alice), "Atelier bois", "Meubles", NULL, c);
	assert_int_equal(store_text_index_build(f->s, &x, &f->err), 0);
	assert_int_equal(text_index_count(&x), 3);
	all_same(f, &x);

	/* a comment (by a colleague, between two keystrokes) */
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), a,
					    "Rencontré le CCAS de Tulle", 0,
					    NULL, &f->err),
			 0);
	all_same(f, &x);
	/* an edit: the old title is no longer found */
	struct store_set t = {IDEA_TITLE, "Recyclerie"};
	assert_int_equal(
	    store_idea_edit(f->s, fx_tick(&f->bob), b, &t, 1, 0, NULL, &f->err),
	    0);
	all_same(f, &x);
	/* a move and a reorder: the order follows */
	assert_int_equal(store_idea_move(f->s, fx_tick(&f->alice), c,
					 STAGE_CONCEPT, NULL, 1, 0, NULL,
					 &f->err),
			 0);
	all_same(f, &x);
	assert_int_equal(store_idea_reorder(f->s, fx_tick(&f->alice), a, 1, 0,
					    NULL, &f->err),
			 0);
	all_same(f, &x);
	/* undo of the edit: the old title is back */
	assert_int_equal(store_undo(f->s, fx_tick(&f->bob), 0, NULL, &f->err),
			 0);
	all_same(f, &x);
	same_as_pass(f, &x, "couture");
	/* a comment undone is no longer searched */
	assert_int_equal(store_idea_comment(f->s, fx_tick(&f->bob), c,
					    "Visite à Ussel", 0, NULL, &f->err),
			 0);
	assert_int_equal(store_text_index_update(f->s, &x, &f->err), 0);
	same_as_pass(f, &x, "ussel");
	assert_int_equal(store_undo(f->s, fx_tick(&f->bob), 0, NULL, &f->err),
			 0);
	assert_int_equal(store_text_index_update(f->s, &x, &f->err), 0);
	same_as_pass(f, &x, "ussel");
	struct text_hit *hits = NULL;
	assert_int_equal(text_index_find(&x, "ussel", NULL, 0, &hits), 0);
	free(hits);
	/* nothing changed: nothing read, nothing lost */
	uint64_t seq = x.seq;
	all_same(f, &x);
	assert_int_equal(x.seq, seq);
	text_index_free(&x);
}

struct many {
	size_t n;
};

static int create_many(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct many *m = arg;
	struct store_actor actor = {"import", NULL, FX_T0 + 3600};
	for (size_t i = 0; i < m->n; i++) {
		char title[64];
		snprintf(title, sizeof(title), "Idée importée %zu %s", i,
			 i % 2 ? "mairie" : "bois");
		struct idea *idea = fx_idea(title, NULL, NULL);
		int rc = store_txn_create(t, &actor, idea, err);
		idea_free(idea);
		if (rc)
			return rc;
	}
	return 0;
}

/* More changes than the update reads one by one (an import): the index
 * is read again whole, and still finds what the pass finds. */
static void test_after_an_import(void **state)
{
	struct fx *f = *state;
	char a[24];
	struct text_index x;
	struct many m = {5000};
	text_index_init(&x);
	fx_create(f, fx_tick(&f->alice), "Atelier vélo", NULL, NULL, a);
	assert_int_equal(store_text_index_build(f->s, &x, &f->err), 0);
	assert_int_equal(store_write(f->s, create_many, &m, &f->err), 0);
	all_same(f, &x);
	assert_int_equal(text_index_count(&x), 5001);
	text_index_free(&x);
}

/* An index never built is built by its first update. */
static void test_update_builds(void **state)
{
	struct fx *f = *state;
	char a[24];
	struct text_index x;
	text_index_init(&x);
	fx_create(f, fx_tick(&f->alice), "Atelier bois", NULL, NULL, a);
	all_same(f, &x);
	assert_int_equal(x.built, 1);
	assert_int_equal(text_index_count(&x), 1);
	text_index_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_follows_the_store, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_after_an_import, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_update_builds, fx_setup,
					    fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
