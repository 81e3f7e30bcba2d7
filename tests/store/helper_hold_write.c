/* helper_hold_write.c - a writer that dies inside its write transaction, for
 * test_killed.c: opens the store STORE, begins a store_write whose callback
 * creates an idea titled "Jamais écrite", then prints "in-txn" (flushed) and
 * sleeps until it is killed.  The write lock is held the whole time.
 * Usage: helper_hold_write STORE */
#include <stdio.h>
#include <unistd.h>

#include "../../core/err.h"
#include "../../core/idea.h"
#include "../../store/store.h"

static int hold(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct store_actor actor = {"killed", NULL, 1764234000};
	struct idea *idea = idea_new();
	(void)arg;
	idea_set(idea, IDEA_TITLE, "Jamais écrite", 0, NULL);
	idea_set(idea, IDEA_REGION, "84", 0, NULL);
	int rc = store_txn_create(t, &actor, idea, err);
	idea_free(idea);
	if (rc)
		return rc;
	printf("in-txn\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct store *s;
	struct fai_err err;
	if (argc != 2) {
		fprintf(stderr, "usage: %s STORE\n", argv[0]);
		return 2;
	}
	fai_err_clear(&err);
	int rc = store_open(&s, argv[1], 0, NULL, 0, &err);
	if (rc) {
		fprintf(stderr, "helper_hold_write: open: %s (%s)\n",
			fai_strerror(rc), err.detail);
		return 1;
	}
	rc = store_write(s, hold, NULL, &err);
	fprintf(stderr, "helper_hold_write: store_write returned %d\n", rc);
	store_close(s);
	return 1;
}
