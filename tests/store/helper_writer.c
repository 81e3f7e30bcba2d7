/* helper_writer.c - a writer for the crash test (test_crash.c): opens the
 * store argv[1] (creating it, region 84) and does random actions through
 * the store API forever (create, edit, move with force, comment, reorder),
 * each its own transaction.  After each commit it prints one line
 * "ok <kind> <ref> <revision>" and flushes, so whatever it printed is known
 * to be committed when it is killed.  It prints "ready" once the store is
 * open.  argv[2], when given, seeds the random choices.
 * Usage: helper_writer STORE [SEED] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../core/err.h"
#include "../../core/idea.h"
#include "../../core/stage.h"
#include "../../core/validate.h"
#include "../../store/store.h"

/* Small map on purpose: the killed writer is often in the middle of
 * growing it. */
#define HELPER_MAPSIZE ((size_t)64 * 4096)

static void say(const char *kind, const char *ref, uint64_t rev)
{
	printf("ok %s %s %llu\n", kind, ref, (unsigned long long)rev);
	fflush(stdout);
}

/* A text of random length (up to a few KiB) in out. */
static void some_text(char *out, size_t size, unsigned n)
{
	size_t len = (size_t)snprintf(out, size, "Texte %u", n);
	size_t want = (size_t)(rand() % 3000);
	while (len + 32 < size && len < want)
		len += (size_t)snprintf(out + len, size - len, " mot%d",
					rand() % 10000);
}

int main(int argc, char **argv)
{
	struct store *s;
	struct fai_err err;
	struct store_actor actor = {"crash", "198.51.100.7", 0};
	uint64_t counts[STAGE_COUNT], nideas = 0, rev;
	char ref[24], text[4096];
	unsigned n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s STORE [SEED]\n", argv[0]);
		return 2;
	}
	srand(argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10)
		       : (unsigned)getpid());
	int rc =
	    store_open(&s, argv[1], STORE_CREATE, "84", HELPER_MAPSIZE, &err);
	if (rc) {
		fprintf(stderr, "helper: open: %s (%s)\n", fai_strerror(rc),
			err.detail);
		return 1;
	}
	/* The helper only adds ideas: they are 84-0001 .. 84-N. */
	if (store_stage_counts(s, counts, &err) == 0)
		for (int i = 0; i < STAGE_COUNT; i++)
			nideas += counts[i];
	printf("ready\n");
	fflush(stdout);

	for (;; n++) {
		int dice = rand() % 100;
		actor.now = (int64_t)time(NULL);
		rev = 0;
		if (nideas == 0 || dice < 25) {
			struct idea *i = idea_new();
			snprintf(text, sizeof(text), "Idée %u", n);
			idea_set(i, IDEA_TITLE, text, 0, NULL);
			idea_set(i, IDEA_REGION, "84", 0, NULL);
			some_text(text, sizeof(text), n);
			idea_set(i, IDEA_NEED, text, 0, NULL);
			if (rand() % 2)
				idea_set(i, IDEA_TERRITORY, "69123", 0, NULL);
			rc = store_idea_create(s, &actor, i, &err);
			if (rc == 0) {
				nideas++;
				say("create", idea_get(i, IDEA_REF),
				    idea_revision(i));
			}
			idea_free(i);
			continue;
		}
		validate_ref_format(ref, sizeof(ref), "84",
				    1 + (unsigned long)rand() % nideas);
		if (dice < 45) {
			struct store_set sets[2];
			snprintf(text, sizeof(text), "Idée %u révisée", n);
			sets[0].field = IDEA_TITLE;
			sets[0].value = text;
			sets[1].field = IDEA_CONCEPT;
			sets[1].value = rand() % 3 ? "Un concept" : NULL;
			rc = store_idea_edit(s, &actor, ref, sets, 2, 0, &rev,
					     &err);
			if (rc == 0)
				say("edit", ref, rev);
		} else if (dice < 65) {
			enum stage to = (enum stage)(rand() % STAGE_COUNT);
			const char *why =
			    to == STAGE_ON_HOLD || to == STAGE_ABANDONED
				? "Test de panne"
				: NULL;
			rc = store_idea_move(s, &actor, ref, to, why, 1, 0,
					     &rev, &err);
			if (rc == 0)
				say("move", ref, rev);
		} else if (dice < 85) {
			some_text(text, sizeof(text), n);
			rc = store_idea_comment(s, &actor, ref, text, 0, &rev,
						&err);
			if (rc == 0)
				say("comment", ref, rev);
		} else {
			int delta = rand() % 7 - 3;
			rc = store_idea_reorder(
			    s, &actor, ref, delta ? delta : 1, 0, &rev, &err);
			if (rc == 0)
				say("reorder", ref, rev);
		}
		/* Refusals (illegal move, nothing to do) are expected; a
		 * store error is not. */
		if (rc == -FAI_ESTORE || rc == -FAI_EIO) {
			fprintf(stderr, "helper: %s (%s)\n", fai_strerror(rc),
				err.detail);
			return 1;
		}
	}
}
