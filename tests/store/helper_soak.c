/* helper_soak.c - one facilitator of the soak test (test_soak.c): opens the
 * existing store STORE, waits until the parent says go (EOF on fd 0), then
 * does N random actions (move, edit, comment, reorder) on the ideas
 * 84-0001 .. 84-IDEAS, each with the revision it has just read
 * (store_idea_find, then the action with expect_rev).  A third of the picks
 * go to a few "hot" ideas so that processes really collide.  The map starts
 * at 1 MiB, so the processes also grow it while the others work.
 *
 * Every action gets one line in the journal file JOURNAL:
 *   A <n> <kind> <ref> <expect> <rev> <seq>   acknowledged: the new revision
 *                                            and store_my_last_seq()
 *   C <n> <kind> <ref> <expect>               refused: -FAI_ECONFLICT
 *   R <n> <kind> <ref> <expect> <why>         refused by a rule: rule, gate
 *                                            or nothing (nothing to do)
 *   E <n> <kind> <ref> <code> <detail>        anything else: exits 1
 * and the journal ends with "done <n>".  The actor is "soak<ID>".
 * Usage: helper_soak STORE ID N IDEAS SEED JOURNAL */
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

#define SOAK_HOT 8
/* As test_soak.c: a small map, grown by whichever process fills it. */
#define SOAK_MAPSIZE ((size_t)1 << 20)

static const char *const kinds[] = {"move", "edit", "comment", "reorder"};

/* A French text of random length (up to about max bytes). */
static void soak_text(char *out, size_t size, size_t max, const char *lead)
{
	static const char *const words[] = {
	    "épicerie",	     "solidaire",   "tiers-lieu", "mobilité",
	    "insertion",     "coopérative", "quartier",	  "habitants",
	    "circuit court", "atelier",
	};
	size_t len = (size_t)snprintf(out, size, "%s", lead);
	size_t want = (size_t)rand() % (max + 1);
	while (len + 32 < size && len < want)
		len += (size_t)snprintf(out + len, size - len, " %s",
					words[rand() % 10]);
}

int main(int argc, char **argv)
{
	struct store *s = NULL;
	struct fai_err err;
	char user[32], ref[24], text[2048], text2[1024];
	char go;

	if (argc != 7) {
		fprintf(stderr, "usage: %s STORE ID N IDEAS SEED JOURNAL\n",
			argv[0]);
		return 2;
	}
	const char *path = argv[1];
	int id = atoi(argv[2]);
	long n = atol(argv[3]);
	unsigned long nideas = strtoul(argv[4], NULL, 10);
	srand((unsigned)strtoul(argv[5], NULL, 10));
	FILE *j = fopen(argv[6], "w");
	if (!j || nideas == 0) {
		perror(argv[6]);
		return 2;
	}
	snprintf(user, sizeof(user), "soak%d", id);
	struct store_actor actor = {user, NULL, 0};

	fai_err_clear(&err);
	int rc = store_open(&s, path, 0, NULL, SOAK_MAPSIZE, &err);
	if (rc) {
		fprintf(j, "E 0 open - %d %s\n", rc, err.detail);
		fclose(j);
		return 1;
	}
	/* Ready; the parent closes the pipe on fd 0 when all are. */
	printf("ready\n");
	fflush(stdout);
	while (read(0, &go, 1) > 0)
		;

	for (long k = 0; k < n; k++) {
		unsigned long num = rand() % 3 == 0
					? 1 + (unsigned long)rand() % SOAK_HOT
					: 1 + (unsigned long)rand() % nideas;
		int what = rand() % 4;
		struct idea *idea = NULL;
		uint64_t expect, rev = 0;
		validate_ref_format(ref, sizeof(ref), "84", num);
		actor.now = (int64_t)time(NULL);
		fai_err_clear(&err);
		rc = store_idea_find(s, ref, &idea, &err);
		if (rc) {
			fprintf(j, "E %ld find %s %d %s\n", k, ref, rc,
				err.detail);
			goto fail;
		}
		expect = idea_revision(idea);
		idea_free(idea);

		if (what == 0) {
			enum stage to = (enum stage)(rand() % STAGE_COUNT);
			const char *why =
			    to == STAGE_ON_HOLD || to == STAGE_ABANDONED
				? "Mise en pause pendant l'essai"
				: NULL;
			rc = store_idea_move(s, &actor, ref, to, why,
					     rand() % 4 == 0, expect, &rev,
					     &err);
		} else if (what == 1) {
			struct store_set sets[3];
			size_t ns = 0;
			snprintf(text2, sizeof(text2), "Idée %s par %s n°%ld",
				 ref, user, k);
			sets[ns].field = IDEA_TITLE;
			sets[ns++].value = text2;
			switch (rand() % 6) {
			case 0:
				soak_text(text, sizeof(text), 1500, "Besoin :");
				sets[ns].field = IDEA_NEED;
				sets[ns++].value = text;
				sets[ns].field = IDEA_TERRITORY;
				sets[ns++].value = rand() % 2 ? "69123" : "38";
				break;
			case 1:
				soak_text(text, sizeof(text), 800, "Concept :");
				sets[ns].field = IDEA_CONCEPT;
				sets[ns++].value = rand() % 5 ? text : NULL;
				break;
			case 2:
				sets[ns].field = IDEA_OWNER;
				sets[ns++].value = "Association Les Communs";
				sets[ns].field = IDEA_STRUCTURE;
				sets[ns++].value = "SCIC Les Communs";
				break;
			case 3:
				sets[ns].field = IDEA_LAUNCH_DATE;
				sets[ns++].value = "2026-03-01";
				break;
			case 4:
				sets[ns].field = IDEA_THEME;
				sets[ns++].value =
				    rand() % 2 ? "Alimentation" : "Mobilité";
				break;
			default:
				break;
			}
			rc = store_idea_edit(s, &actor, ref, sets, ns, expect,
					     &rev, &err);
		} else if (what == 2) {
			soak_text(text, sizeof(text), 300, "Commentaire :");
			rc = store_idea_comment(s, &actor, ref, text, expect,
						&rev, &err);
		} else {
			int delta = 1 + rand() % 3;
			rc = store_idea_reorder(s, &actor, ref,
						rand() % 2 ? delta : -delta,
						expect, &rev, &err);
		}

		const char *kind = kinds[what];
		if (rc == 0) {
			fprintf(j, "A %ld %s %s %llu %llu %llu\n", k, kind, ref,
				(unsigned long long)expect,
				(unsigned long long)rev,
				(unsigned long long)store_my_last_seq(s));
		} else if (rc == -FAI_ECONFLICT) {
			fprintf(j, "C %ld %s %s %llu\n", k, kind, ref,
				(unsigned long long)expect);
		} else if (rc == -FAI_ERULE || rc == -FAI_EGATE ||
			   rc == -FAI_ENOTHING) {
			fprintf(j, "R %ld %s %s %llu %s\n", k, kind, ref,
				(unsigned long long)expect,
				rc == -FAI_ERULE   ? "rule"
				: rc == -FAI_EGATE ? "gate"
						   : "nothing");
		} else {
			fprintf(j, "E %ld %s %s %d %s=%s %s\n", k, kind, ref,
				rc, err.field, err.value, err.detail);
			goto fail;
		}
	}
	fprintf(j, "done %ld\n", n);
	store_close(s);
	return fclose(j) == 0 ? 0 : 1;
fail:
	store_close(s);
	fclose(j);
	return 1;
}
