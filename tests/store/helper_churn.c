/* helper_churn.c - a busy facilitator for the growth tests
 * (tests/cli/test_idle.sh): opens the store STORE (creating it, region 84),
 * makes sure it holds IDEAS ideas (84-0001 ..), each with a long need (about
 * 3 KB, so that every change rewrites a large record), then makes N edits
 * of their titles, one transaction each, in turn, each with the revision it
 * has just read.  Prints "done N" at the end.
 * Usage: helper_churn STORE N [IDEAS]   (IDEAS: 20) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/err.h"
#include "../../core/idea.h"
#include "../../core/stage.h"
#include "../../core/validate.h"
#include "../../store/store.h"

int main(int argc, char **argv)
{
	struct store *s = NULL;
	struct fai_err err;
	struct store_actor actor = {"churn", NULL, 0};
	uint64_t counts[STAGE_COUNT], have = 0;
	char need[3200], title[128], ref[24];

	if (argc < 3) {
		fprintf(stderr, "usage: %s STORE N [IDEAS]\n", argv[0]);
		return 2;
	}
	long n = atol(argv[2]);
	unsigned long nideas = argc > 3 ? strtoul(argv[3], NULL, 10) : 20;
	fai_err_clear(&err);
	int rc = store_open(&s, argv[1], STORE_CREATE, "84", 0, &err);
	if (!rc)
		rc = store_stage_counts(s, counts, &err);
	if (rc)
		goto fail;
	for (int i = 0; i < STAGE_COUNT; i++)
		have += counts[i];
	size_t len = 0;
	while (len + 40 < sizeof(need))
		len += (size_t)snprintf(need + len, sizeof(need) - len,
					"Les habitants du quartier %zu. ", len);
	actor.now = (int64_t)time(NULL);
	for (unsigned long i = have; i < nideas; i++) {
		struct idea *idea = idea_new();
		snprintf(title, sizeof(title), "Idée %lu", i + 1);
		idea_set(idea, IDEA_TITLE, title, 0, NULL);
		idea_set(idea, IDEA_REGION, "84", 0, NULL);
		idea_set(idea, IDEA_NEED, need, 0, NULL);
		rc = store_idea_create(s, &actor, idea, &err);
		idea_free(idea);
		if (rc)
			goto fail;
	}
	for (long k = 0; k < n; k++) {
		struct idea *idea = NULL;
		struct store_set set = {IDEA_TITLE, title};
		validate_ref_format(ref, sizeof(ref), "84",
				    1 + (unsigned long)k % nideas);
		snprintf(title, sizeof(title), "Idée %s, version %ld", ref, k);
		actor.now = (int64_t)time(NULL);
		rc = store_idea_find(s, ref, &idea, &err);
		if (!rc)
			rc = store_idea_edit(s, &actor, ref, &set, 1,
					     idea_revision(idea), NULL, &err);
		idea_free(idea);
		if (rc)
			goto fail;
	}
	store_close(s);
	printf("done %ld\n", n);
	return 0;
fail:
	fprintf(stderr, "helper_churn: %s (%s %s)\n", fai_strerror(rc),
		err.value, err.detail);
	store_close(s);
	return 1;
}
