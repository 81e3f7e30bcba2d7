/* bench_search.c - what one keystroke of the board's search costs (issue
 * 12: search every text field and the comments, still as you type).
 *
 * Builds a store of N ideas (default 10^5) through the store API, every
 * text field filled as a facilitator fills it (title, need, concept,
 * source, partners, owner, structure, facilitator, territory, tags), and
 * one comment per idea (store_idea_comment, one transaction each, as the
 * board writes them).  Then, in the same run:
 *   baseline   one pass over the ideas that matches nothing
 *              (store_idea_foreach, each idea decoded, with a callback
 *              that returns at once): the pass `fai list` and the board
 *              made before, the floor a search without a text index pays;
 *   index      the board's text index read from the store
 *              (store_text_index_build), once per board: when the board is
 *              first idle, or at the first search above 2x10^5 ideas;
 *   keystroke  each letter typed ("m", "mi", ... "mission locale", then
 *              the other texts: each a new search, none narrowing a last
 *              one): what board_load does, the stage counts, the index
 *              brought up to date (store_text_index_update: nothing to read
 *              when nobody wrote), the matches found in board order
 *              (text_index_find) and the cards a screen shows read; each
 *              typed text is then checked against a full pass by the one
 *              filter (the same ideas, or the run fails);
 *   after      a keystroke after a colleague's comment: the index reads
 *              that idea again.
 * Prints the median and the worst in ms at N, their ratio to the baseline
 * measured in the same run, and the goal (a keystroke under 100 ms at
 * 10^5).  Figures are printed, never asserted.
 *
 * Usage: bench_search [ideas]  (default 100000; the store goes in
 * $TMPDIR, else /dev/shm, else /tmp, and is removed).  BENCH_SEARCH_EACH=1
 * prints the time of each narrowing keystroke. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/filter.h"
#include "../core/idea.h"
#include "../core/textindex.h"
#include "../core/utf8.h"
#include "../core/xmalloc.h"
#include "../store/store.h"
#include "bench_util.h"

#define REPS 3

static const char *const titles[] = {
    "Épicerie solidaire itinérante pour les hameaux",
    "Garage solidaire et location de véhicules",
    "Tiers-lieu culturel dans une ancienne gare",
    "Conciergerie solidaire de quartier",
    "Recyclerie et atelier de réemploi",
    "Garde d’enfants en horaires atypiques",
    "Mobilité des jeunes vers les centres de formation",
};
static const char *const partners[] = {
    "Mission locale du Roannais; CAF de la Loire",
    "Communauté de communes; Département",
    "CCAS; Centre social des Minimes",
    "Pôle emploi; Région",
    "Fondation de France",
    "Bailleur social; Ville",
    "Mission Locale de Tulle; Conseil départemental",
};
static const char *const owners[] = {
    "Régis Lamarche",
    "Association Vélo-Cité",
    "Sophie Benard",
    "Collectif des cuisinières",
    "",
    "Karim Diallo",
    "",
};
static const char *const regions[] = {"84", "11", "75", "76", "53", "93"};
static const char *const terr[] = {"63113", "75056", "33063",
				   "31555", "35238", "13055"};
static const char *const comments[] = {
    "Réunion avec les maires de la communauté de communes : 17 communes "
    "sur 21 intéressées.",
    "Questionnaire diffusé par la plateforme logistique : 61 réponses.",
    "Visite de deux fermes d’alpage avec la chargée de mission du Parc.",
    "Rencontré le CCAS de Tulle jeudi, à rappeler en janvier.",
    "Étude d’opportunité rendue : point mort à 9 arrêts par jour.",
};
/* What a person types; each prefix is one keystroke. */
static const char *const typed[] = {"mission locale", "tulle", "épicerie",
				    "zzz"};

struct gen {
	size_t from, to;
};

static int gen_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct gen *g = arg;
	struct store_actor actor = {"bench", NULL, 1764234000};
	for (size_t i = g->from; i < g->to; i++) {
		struct idea *idea = idea_new();
		char title[160];
		snprintf(title, sizeof(title), "%s n°%zu", titles[i % 7], i);
		idea_set_raw(idea, IDEA_TITLE, title);
		idea_set_raw(idea, IDEA_REGION, regions[i % 6]);
		idea_set_raw(idea, IDEA_TERRITORY, terr[i % 6]);
		idea_set_raw(idea, IDEA_NEED,
			     "Les habitants des hameaux n’ont plus de commerce "
			     "de proximité depuis la fermeture de la dernière "
			     "épicerie ; les personnes âgées sans voiture sont "
			     "les premières touchées.");
		idea_set_raw(idea, IDEA_CONCEPT,
			     "Un camion aménagé passe chaque semaine dans "
			     "vingt communes, avec des produits locaux et un "
			     "point de retrait des colis.");
		idea_set_raw(idea, IDEA_SOURCE,
			     "Diagnostic territorial de la communauté de "
			     "communes");
		idea_set_raw(idea, IDEA_PARTNERS, partners[i % 7]);
		idea_set_raw(idea, IDEA_OWNER, owners[i % 7]);
		idea_set_raw(idea, IDEA_STRUCTURE, "SCIC Les Hameaux");
		idea_set_raw(idea, IDEA_FACILITATOR, "Claire Mercier");
		idea_set_raw(idea, IDEA_TAGS, "alimentation; ruralité");
		idea_set_raw(
		    idea, IDEA_STAGE,
		    stage_code((enum stage)(i % STAGE_PIPELINE_COUNT)));
		int rc = store_txn_create(t, &actor, idea, err);
		idea_free(idea);
		if (rc)
			return rc;
	}
	return 0;
}

static int store_fill(struct store *s, size_t n)
{
	struct fai_err err;
	fai_err_clear(&err);
	for (size_t i = 0; i < n; i += 20000) {
		struct gen g = {i, i + 20000 < n ? i + 20000 : n};
		if (store_write(s, gen_txn, &g, &err)) {
			fprintf(stderr, "bench_search: insert failed: %s\n",
				err.detail);
			return -1;
		}
	}
	/* one comment per idea, each its own action as on the board */
	struct store_actor actor = {"bench", NULL, 1764300000};
	for (size_t i = 0; i < n; i++) {
		char ref[24];
		snprintf(ref, sizeof(ref), "%s-%04zu", regions[i % 6],
			 i / 6 + 1);
		actor.now++;
		if (store_idea_comment(s, &actor, ref, comments[i % 5], 0, NULL,
				       &err)) {
			fprintf(stderr, "bench_search: comment on %s: %s\n",
				ref, err.detail);
			return -1;
		}
	}
	return 0;
}

static int count_only(const struct idea *idea, void *arg)
{
	(void)idea;
	(*(size_t *)arg)++;
	return 0;
}

struct refilter {
	struct idea_filter f;
	struct idea **kept;
	size_t nkept, cap;
};

static int keep_matching(const struct idea_view *idea, void *arg)
{
	struct refilter *r = arg;
	if (!idea_filter_match_view(&r->f, idea))
		return 0;
	if (r->nkept == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->kept = xrealloc(r->kept, r->cap * sizeof(*r->kept));
	}
	r->kept[r->nkept++] = idea_of_view(idea);
	return 0;
}

/* What a full pass keeps: the ideas kept and the keys of
 * the ideas whose comments hold the text. */
struct typing {
	struct refilter r;
	uint64_t *keys;
	size_t nkeys;
};

static void typing_clear(struct typing *ty)
{
	for (size_t i = 0; i < ty->r.nkept; i++)
		idea_free(ty->r.kept[i]);
	free(ty->r.kept);
	free(ty->keys);
	memset(ty, 0, sizeof(*ty));
}

/* The search as a full pass over the store (the comments once, every idea
 * through a view and the one filter): the reference the index must agree
 * with.  Returns the ideas kept, or (size_t)-1 on a store error. */
static size_t keystroke_full(struct store *s, struct typing *ty,
			     const char *text)
{
	struct fai_err err;
	uint64_t counts[STAGE_COUNT];
	struct buf folded;
	typing_clear(ty);
	idea_filter_init(&ty->r.f, 1764400000);
	ty->r.f.search = text;
	buf_init(&folded);
	utf8_fold(&folded, text);
	ty->r.f.search_folded = folded.data;
	fai_err_clear(&err);
	int rc = store_stage_counts(s, counts, &err);
	if (!rc)
		rc =
		    store_comments_search(s, text, &ty->keys, &ty->nkeys, &err);
	ty->r.f.comment_keys = ty->keys;
	ty->r.f.ncomment_keys = ty->nkeys;
	if (!rc)
		rc = store_idea_foreach_view(s, keep_matching, &ty->r, &err);
	buf_free(&folded);
	if (rc)
		fprintf(stderr, "bench_search: %s\n", err.detail);
	return rc ? (size_t)-1 : ty->r.nkept;
}

/* One keystroke on the board: the index brought up to date (nothing to
 * read when nobody wrote), the ideas whose text holds the search found in
 * board order, and the cards a screen shows read: the first BOARD_VIS of
 * each pipeline column.  Returns the matches, or (size_t)-1. */
#define BOARD_VIS 6
static size_t keystroke(struct store *s, struct text_index *x, const char *text)
{
	struct fai_err err;
	struct buf folded;
	struct text_hit *hits = NULL;
	uint64_t counts[STAGE_COUNT];
	size_t shown[STAGE_COUNT] = {0};
	fai_err_clear(&err);
	int rc = store_stage_counts(s, counts, &err);
	if (!rc)
		rc = store_text_index_update(s, x, &err);
	if (rc) {
		fprintf(stderr, "bench_search: %s\n", err.detail);
		return (size_t)-1;
	}
	buf_init(&folded);
	utf8_fold(&folded, text);
	size_t n = text_index_find(x, folded.data, NULL, 0, &hits);
	buf_free(&folded);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (shown[hits[i].stage] == BOARD_VIS)
			continue;
		struct idea *idea = NULL;
		rc = store_idea_get(s, hits[i].key, &idea, &err);
		idea_free(idea);
		shown[hits[i].stage]++;
	}
	free(hits);
	if (rc) {
		fprintf(stderr, "bench_search: %s\n", err.detail);
		return (size_t)-1;
	}
	return n;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	struct store *s;
	struct fai_err err;

	if (n < 1) {
		fprintf(stderr, "usage: bench_search [ideas]\n");
		return 2;
	}
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/fai-bench-search.%d", tmp,
		 (int)getpid());
	fai_err_clear(&err);
	if (store_open(&s, dir, STORE_CREATE | STORE_NOSYNC, "84", 0, &err)) {
		fprintf(stderr, "bench_search: cannot create %s: %s\n", dir,
			err.detail);
		return 1;
	}
	printf("bench_search: %zu ideas, %zu comments (one each), in %s\n", n,
	       n, dir);
	double t0 = now_s();
	if (store_fill(s, n)) {
		store_close(s);
		rmtree(dir);
		return 1;
	}
	printf("  built in %.1f s\n", now_s() - t0);

	/* the baseline: one pass over the ideas, matching nothing */
	double base[REPS];
	for (int k = 0; k < REPS; k++) {
		size_t seen = 0;
		double a = now_s();
		store_idea_foreach(s, count_only, &seen, &err);
		base[k] = now_s() - a;
		if (seen != n)
			fprintf(stderr, "bench_search: saw %zu ideas\n", seen);
	}
	double b = median(base, REPS);

	/* the first search of a board: the index read from the store */
	struct text_index x;
	double first[REPS];
	int failed = 0;
	text_index_init(&x);
	for (int k = 0; k < REPS; k++) {
		double a = now_s();
		if (store_text_index_build(s, &x, &err)) {
			fprintf(stderr, "bench_search: %s\n", err.detail);
			failed = 1;
		}
		first[k] = now_s() - a;
	}
	printf("  index: %zu ideas, %zu bytes of folded text\n",
	       text_index_count(&x), x.arena.len);

	/* the keystrokes: every prefix of every typed text */
	double times[256];
	int nt = 0;
	for (size_t w = 0; w < sizeof(typed) / sizeof(typed[0]); w++) {
		char prefix[64];
		size_t len = strlen(typed[w]), kept = 0;
		for (size_t l = 1; l <= len && nt < 256; l++) {
			/* whole UTF-8 characters only */
			if (((unsigned char)typed[w][l] & 0xC0) == 0x80)
				continue;
			memcpy(prefix, typed[w], l);
			prefix[l] = '\0';
			double a = now_s();
			kept = keystroke(s, &x, prefix);
			times[nt++] = now_s() - a;
			if (getenv("BENCH_SEARCH_EACH"))
				printf("    « %s »: %.1f ms, %zu match\n",
				       prefix, times[nt - 1] * 1e3, kept);
			if (kept == (size_t)-1)
				failed = 1;
		}
		printf("  « %s »: %zu ideas match\n", typed[w], kept);
		/* the one rule: the index finds what a full pass finds */
		struct typing check;
		memset(&check, 0, sizeof(check));
		size_t full = keystroke_full(s, &check, typed[w]);
		if (full != kept) {
			fprintf(stderr,
				"bench_search: « %s »: index %zu, full %zu\n",
				typed[w], kept, full);
			failed = 1;
		}
		typing_clear(&check);
	}

	/* a colleague comments between two keystrokes: the index reads that
	 * idea again */
	double after[REPS];
	for (int k = 0; k < REPS; k++) {
		struct store_actor actor = {"collegue", NULL, 1764300000 + k};
		struct idea *idea = NULL;
		int rc = store_idea_get(s, (uint64_t)(k + 1) * 7, &idea, &err);
		if (!rc)
			rc = store_idea_comment(
			    s, &actor, idea_get(idea, IDEA_REF),
			    "Point d’étape avec la mission locale", 0, NULL,
			    &err);
		idea_free(idea);
		if (rc) {
			fprintf(stderr, "bench_search: %s\n", err.detail);
			failed = 1;
		}
		double a = now_s();
		if (keystroke(s, &x, "mission locale") == (size_t)-1)
			failed = 1;
		after[k] = now_s() - a;
	}
	text_index_free(&x);

	double worst = 0;
	for (int i = 0; i < nt; i++)
		if (times[i] > worst)
			worst = times[i];
	double med = median(times, nt), fmed = median(first, REPS);
	double amed = median(after, REPS);
	printf("  baseline (one pass over the ideas, decoded, no matching): "
	       "%.1f ms\n",
	       b * 1e3);
	printf("  the index read (once per board, when first idle): median "
	       "%.1f ms, ratio %.2f\n",
	       fmed * 1e3, fmed / b);
	printf("  keystrokes at %zu ideas (%d, in the index): median %.1f ms, "
	       "worst %.1f ms, ratio %.3f\n",
	       n, nt, med * 1e3, worst * 1e3, med / b);
	printf("  a keystroke after a colleague's comment: median %.1f ms, "
	       "ratio %.3f\n",
	       amed * 1e3, amed / b);
	printf("  goal: a keystroke under 100 ms at 10^5 ideas: %s\n",
	       worst < 0.1 && amed < 0.1 ? "PASS" : "OVER");
	store_close(s);
	rmtree(dir);
	return failed;
}
