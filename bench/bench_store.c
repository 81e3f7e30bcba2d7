/* bench_store.c - how the live store scales with its size.
 *
 * Inserts generated ideas (French text, about 650 bytes with the system
 * fields, several regions, the six stages) through store_txn_create, up to
 * 10,000 per store_write transaction, into one store that grows to 10^2,
 * 10^4 and 10^6 ideas (insert throughput, file size, heap and mapped RSS per
 * phase).  Stores of the smaller sizes get the same ideas, so that the reads
 * can be timed in rounds interleaved over the sizes (CLOCK_MONOTONIC, best
 * and median): the first 50 cards of a column with store_stage_page; a
 * lookup by reference with store_idea_find for random existing references
 * (first time, again, and a few cycled while hot in the CPU caches); and one
 * fsync'd action (store_idea_move and store_idea_edit, one transaction
 * each).  Figures are printed, never asserted; the goal (at most 1.5 times
 * the 10^2 figure) is reported as met or NOT met.
 *
 * Usage: bench_store [max-ideas]   (default 1000000).  The stores go under
 * $TMPDIR or /tmp, need 8 GiB free (else it says so and exits 0), and are
 * removed at the end, also after Ctrl-C. */
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/idea.h"
#include "../core/stage.h"
#include "../core/xmalloc.h"
#include "../store/store.h"

#define BENCH_BATCH 10000
#define BENCH_PAGE_REPS 1000
#define BENCH_PAGE_CARDS 50
#define BENCH_LOOKUP_REPS 10000
#define BENCH_ACTION_REPS 200
#define BENCH_HOT 20
#define BENCH_MIN_FREE ((uint64_t)8 << 30)
#define BENCH_REF_LEN 24
#define BENCH_NSIZES 3
#define BENCH_T0 ((int64_t)1764234000) /* 2025-11-27T09:00:00Z */

static const size_t bench_sizes[BENCH_NSIZES] = {100, 10000, 1000000};

/* ------------------------------------------------------------ text */

struct bench_region {
	const char *code;
	const char *depts[13];
};

static const struct bench_region bench_regions[] = {
    {"84",
     {"01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74",
      NULL}},
    {"76",
     {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81",
      "82"}},
    {"75",
     {"16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87",
      NULL}},
    {"53", {"22", "29", "35", "56", NULL}},
    {"44", {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88", NULL}},
    {"27", {"21", "25", "39", "58", "70", "71", "89", "90", NULL}},
    {"93", {"04", "05", "06", "13", "83", "84", NULL}},
    {"94", {"2A", "2B", NULL}},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const bench_kinds[] = {
    "Épicerie solidaire",	 "Recyclerie",
    "Tiers-lieu numérique",	 "Garage solidaire",
    "Conciergerie rurale",	 "Atelier vélo participatif",
    "Cantine coopérative",	 "Ressourcerie",
    "Crèche parentale",		 "Légumerie",
    "Maison de santé",		 "Café associatif",
    "Plateforme de covoiturage", "Chantier d'insertion",
    "Boutique de producteurs",	 "Fablab",
    "Portage de repas",		 "Laverie sociale",
};

static const char *const bench_qualifiers[] = {
    "itinérante",	   "intergénérationnelle",
    "en circuit court",	   "pour les saisonniers",
    "zéro déchet",	   "accessible à tous",
    "en milieu rural",	   "de quartier",
    "ouverte le dimanche", "gérée par les habitants",
};

static const char *const bench_places[] = {
    "à Saint-Flour",  "au Puy-en-Velay", "à Aurillac",	  "dans le Haut-Jura",
    "à Villeurbanne", "à Brioude",	 "à Die",	  "en Chartreuse",
    "à Lannion",      "à Guéret",	 "à Millau",	  "à Privas",
    "à Bastia",	      "à Épinal",	 "à Châteauroux", "à Mende",
};

static const char *const bench_needs[] = {
    "Les habitants doivent faire plus de trente kilomètres pour trouver "
    "un commerce ouvert après 19 heures.",
    "Les jeunes du territoire quittent la commune faute de lieu où se "
    "retrouver, se former et créer leur activité.",
    "Plusieurs associations cherchent un local partagé et du matériel "
    "mutualisé pour leurs permanences.",
    "Les producteurs locaux peinent à écouler leurs légumes déclassés, "
    "qui finissent au compost faute de débouchés.",
    "Les personnes âgées isolées n'ont plus de solution de transport "
    "depuis la fermeture de la ligne de car.",
    "La mairie constate une hausse des demandes d'aide alimentaire "
    "depuis deux hivers, surtout chez les retraités.",
    "Aucune structure ne répare les appareils électroménagers à moins "
    "d'une heure de route : on jette ce qui pourrait resservir.",
    "Les familles monoparentales manquent de places d'accueil pour "
    "leurs enfants en horaires décalés.",
    "Les saisonniers du tourisme ne trouvent pas de logement abordable "
    "pendant l'été et dorment parfois dans leur voiture.",
    "Le dernier café du bourg a fermé ; il n'existe plus d'endroit où "
    "les générations se croisent.",
};

static const char *const bench_concepts[] = {
    "Un lieu géré en coopérative (SCIC) réunissant habitants, "
    "producteurs et collectivité, ouvert six jours sur sept.",
    "Un véhicule aménagé qui passe chaque semaine dans les hameaux, "
    "avec une permanence et un point de retrait.",
    "Un atelier animé par deux salariés en insertion et des bénévoles, "
    "financé par les ventes et une convention avec la communauté de "
    "communes.",
    "Une plateforme de réservation simple, doublée d'un numéro de "
    "téléphone pour ceux qui n'ont pas d'ordinateur.",
};

static const char *const bench_tags[] = {
    "alimentation",
    "mobilité",
    "numérique",
    "insertion",
    "économie circulaire",
    "santé",
    "jeunesse",
    "culture",
    "agriculture",
    "logement",
    "énergie",
    "petite enfance",
    "ESS",
    "réemploi",
    "lien social",
};

static const char *const bench_themes[] = {
    "Alimentation durable",   "Mobilité rurale", "Inclusion numérique",
    "Réemploi et réparation", "Accès aux soins", "Lien social",
    "Emploi des jeunes",
};

static const char *const bench_people[] = {
    "Camille Martin", "Léa Dubois",	 "Hugo Lefèvre",      "Inès Moreau",
    "Théo Girard",    "Zoé Fournier",	 "Noé Mercier",	      "Chloé Bonnet",
    "Jérôme Faure",   "Maëlle Rousseau", "François Lemaître", "Anaïs Chevalier",
};

static const char *const bench_partners[] = {
    "Mairie",
    "Communauté de communes",
    "CAF",
    "France Travail",
    "Conseil départemental",
    "Région",
    "Banque des Territoires",
    "Fondation de France",
    "Réseau des Ressourceries",
    "MSA",
    "Centre social",
};

static const char *const bench_sources[] = {
    "Diagnostic territorial 2024",
    "Réunion publique du conseil de "
    "quartier",
    "Appel à idées de la communauté de communes",
    "Remontée d'un travailleur social",
};

static const char *const bench_reasons[] = {
    "En attente de la décision de financement du département.",
    "Le porteur pressenti s'est retiré ; le local n'est plus disponible.",
};

/* ------------------------------------------------------------ random */

static uint64_t bench_splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static size_t bench_pick(uint64_t *state, size_t n)
{
	return (size_t)(bench_splitmix(state) % n);
}

#define PICK(st, a) ((a)[bench_pick((st), NELEM(a))])

/* Stage of idea number i: half in need, the rest spread over the other five
 * (so every column is filled and the need column has 50 cards at 10^2). */
static enum stage bench_stage_of(uint64_t i)
{
	unsigned b = (unsigned)((i * 37) % 100);
	if (b < 50)
		return STAGE_NEED;
	if (b < 70)
		return STAGE_CONCEPT;
	if (b < 82)
		return STAGE_OWNER_SEARCH;
	if (b < 90)
		return STAGE_LAUNCHED;
	if (b < 95)
		return STAGE_ON_HOLD;
	return STAGE_ABANDONED;
}

/* Appends a SIRET that passes Luhn. */
static void bench_siret(uint64_t *st, char out[15])
{
	int sum = 0;
	for (int i = 0; i < 13; i++)
		out[i] = (char)('0' + bench_pick(st, 10));
	out[13] = '0';
	out[14] = '\0';
	for (int i = 13; i >= 0; i--) {
		int d = out[i] - '0';
		if ((13 - i) % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	out[13] = (char)('0' + (10 - sum % 10) % 10);
}

/* Sets f through idea_set (the path text from outside takes); aborts on a
 * refusal, which would be a bug in this generator. */
static void bench_set(struct idea *idea, enum idea_field f, const char *v)
{
	struct fai_err err;
	if (idea_set(idea, f, v, 0, &err) < 0) {
		fprintf(stderr, "bench: %s refused \"%s\": %s\n",
			idea_field_info(f)->code, v, fai_why_text(err.why));
		abort();
	}
}

/* Returns the generated idea number i (the same for the same i). */
static struct idea *bench_idea(uint64_t i)
{
	uint64_t st = i * 0x2545F4914F6CDD1Dull + 1;
	const struct bench_region *r = &PICK(&st, bench_regions);
	enum stage stage = bench_stage_of(i);
	struct idea *idea = idea_new();
	struct buf b;
	size_t nd = 0, n;
	char tmp[64];

	buf_init(&b);
	while (nd < NELEM(r->depts) && r->depts[nd])
		nd++;

	buf_printf(&b, "%s %s %s", PICK(&st, bench_kinds),
		   PICK(&st, bench_qualifiers), PICK(&st, bench_places));
	bench_set(idea, IDEA_TITLE, b.data);
	bench_set(idea, IDEA_REGION, r->code);

	buf_reset(&b);
	n = 1 + bench_pick(&st, 3);
	for (size_t k = 0; k < n; k++) {
		const char *d = r->depts[bench_pick(&st, nd)];
		buf_printf(&b, "%s%s%03u", k ? ", " : "", d,
			   (unsigned)(1 + bench_pick(&st, 300)));
	}
	bench_set(idea, IDEA_TERRITORY, b.data);
	bench_set(idea, IDEA_THEME, PICK(&st, bench_themes));

	buf_reset(&b);
	n = 2 + bench_pick(&st, 3);
	for (size_t k = 0; k < n; k++)
		buf_printf(&b, "%s%s", k ? "; " : "", PICK(&st, bench_tags));
	bench_set(idea, IDEA_TAGS, b.data);

	buf_reset(&b);
	n = 2 + bench_pick(&st, 2);
	for (size_t k = 0; k < n; k++)
		buf_printf(&b, "%s%s", k ? (k == 2 ? "\n" : " ") : "",
			   PICK(&st, bench_needs));
	bench_set(idea, IDEA_NEED, b.data);

	bench_set(idea, IDEA_SOURCE, PICK(&st, bench_sources));
	buf_reset(&b);
	buf_printf(&b, "%s; %s", PICK(&st, bench_partners),
		   PICK(&st, bench_partners));
	bench_set(idea, IDEA_PARTNERS, b.data);
	bench_set(idea, IDEA_FACILITATOR, PICK(&st, bench_people));

	if (stage != STAGE_NEED)
		bench_set(idea, IDEA_CONCEPT, PICK(&st, bench_concepts));
	if (stage == STAGE_LAUNCHED || stage == STAGE_OWNER_SEARCH)
		bench_set(idea, IDEA_OWNER, PICK(&st, bench_people));
	if (stage == STAGE_LAUNCHED) {
		char siret[15];
		bench_set(idea, IDEA_STRUCTURE, "Association Les Communs");
		bench_set(idea, IDEA_LEGAL_FORM, "Association loi 1901");
		bench_siret(&st, siret);
		bench_set(idea, IDEA_SIRET, siret);
		snprintf(tmp, sizeof(tmp), "2025-%02u-%02u",
			 (unsigned)(1 + bench_pick(&st, 12)),
			 (unsigned)(1 + bench_pick(&st, 28)));
		bench_set(idea, IDEA_LAUNCH_DATE, tmp);
		snprintf(tmp, sizeof(tmp), "%u", (unsigned)bench_pick(&st, 12));
		bench_set(idea, IDEA_JOBS, tmp);
	}
	if (stage == STAGE_ON_HOLD || stage == STAGE_ABANDONED) {
		idea_set_raw(idea, IDEA_STAGE_REASON, PICK(&st, bench_reasons));
		idea_set_raw(idea, IDEA_STAGE_PREV, stage_code(STAGE_CONCEPT));
	}
	/* store_txn_create keeps a stage that is already set. */
	idea_set_raw(idea, IDEA_STAGE, stage_code(stage));
	buf_free(&b);
	return idea;
}

/* ------------------------------------------------------------ measuring */

static double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct bench_stat {
	double best, median;
};

/* Sorts the n samples and returns best and median. */
static struct bench_stat bench_summary(double *v, size_t n)
{
	struct bench_stat s = {0, 0};
	if (n == 0)
		return s;
	qsort(v, n, sizeof(*v), bench_cmp);
	s.best = v[0];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

static long bench_peak_rss_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static long bench_minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Reads the current anonymous (heap) and file-backed (the store's map)
 * resident sizes from /proc; -1 when unknown. */
static void bench_rss_now(long *anon_mib, long *file_mib)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	*anon_mib = *file_mib = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		long kb;
		if (sscanf(line, "RssAnon: %ld", &kb) == 1)
			*anon_mib = kb / 1024;
		else if (sscanf(line, "RssFile: %ld", &kb) == 1)
			*file_mib = kb / 1024;
	}
	fclose(f);
}

/* ------------------------------------------------------------ insertion */

/* Set by SIGINT/SIGTERM: stop between batches and rounds, then remove the
 * temporary stores as usual (they reach gigabytes). */
static volatile sig_atomic_t bench_stop;

static void bench_on_signal(int sig)
{
	(void)sig;
	bench_stop = 1;
}

struct bench_batch {
	const struct store_actor *actor;
	uint64_t first; /* number of the first idea */
	size_t n;
	char (*refs)[BENCH_REF_LEN];
	unsigned calls; /* > 1 when store_write retried after growing */
	size_t bytes;	/* text bytes of the ideas inserted */
};

static int bench_batch_txn(struct store_txn *t, void *arg, struct fai_err *err)
{
	struct bench_batch *a = arg;
	a->calls++;
	a->bytes = 0;
	for (size_t k = 0; k < a->n; k++) {
		uint64_t i = a->first + k;
		struct idea *idea = bench_idea(i);
		int rc = store_txn_create(t, a->actor, idea, err);
		if (rc) {
			idea_free(idea);
			return rc;
		}
		for (int f = 0; f < IDEA_FIELD_COUNT; f++)
			a->bytes += strlen(idea_get(idea, f));
		snprintf(a->refs[i], BENCH_REF_LEN, "%s",
			 idea_get(idea, IDEA_REF));
		idea_free(idea);
	}
	return 0;
}

static void bench_fail(const char *what, int rc, const struct fai_err *err)
{
	fprintf(stderr, "bench: %s: %s (%s %s %s)\n", what, fai_strerror(rc),
		err->field, err->value, err->detail);
}

/* One growth phase of a store: from *have ideas to target. */
struct bench_phase {
	size_t from, to;
	double seconds;
	unsigned redone; /* batches redone after the map grew */
	double avg_bytes;
	double file_mib, disk_mib, map_mib;
	long anon_mib, mapped_mib;
};

static void bench_file_size(const char *path, struct bench_phase *p)
{
	char data[4400];
	struct stat st;
	snprintf(data, sizeof(data), "%s/data.mdb", path);
	if (stat(data, &st) == 0) {
		p->file_mib = (double)st.st_size / 1048576.0;
		p->disk_mib = (double)st.st_blocks * 512.0 / 1048576.0;
	}
}

/* Inserts ideas number *have .. target-1 into s in batches. */
static int bench_grow(struct store *s, const char *path,
		      struct store_actor *actor, char (*refs)[BENCH_REF_LEN],
		      size_t *have, size_t target, struct bench_phase *p)
{
	struct fai_err err;
	size_t bytes = 0;
	double t0 = bench_now();

	memset(p, 0, sizeof(*p));
	p->from = *have;
	p->to = target;
	while (*have < target) {
		size_t n = target - *have;
		if (bench_stop)
			return -FAI_EIO;
		struct bench_batch b = {
		    actor, *have, n < BENCH_BATCH ? n : BENCH_BATCH,
		    refs,  0,	  0};
		actor->now++;
		int rc = store_write(s, bench_batch_txn, &b, &err);
		if (rc) {
			bench_fail("store_write", rc, &err);
			return rc;
		}
		p->redone += b.calls - 1;
		*have += b.n;
		bytes += b.bytes;
	}
	p->seconds = bench_now() - t0;
	p->avg_bytes = (double)bytes / (double)(target - p->from);
	bench_file_size(path, p);
	p->map_mib = (double)store_mapsize(s) / 1048576.0;
	bench_rss_now(&p->anon_mib, &p->mapped_mib);
	return 0;
}

/* ------------------------------------------------------------ reading */

/* The samples of one store size, gathered over the rounds. */
struct bench_size {
	size_t ideas;
	struct store *s;
	char path[4200];
	size_t cards;
	double *page, *cold, *warm, *hot, *move, *edit, *action;
	size_t npage, ncold, nwarm, nhot, nmove, nedit, naction;
	long cold_faults, warm_faults;
	struct bench_stat page_st, cold_st, warm_st, hot_st, move_st, edit_st,
	    action_st;
};

/* Times reads of the first 50 cards of the need column. */
static int bench_pages(struct bench_size *z, int reps)
{
	struct fai_err err;
	for (int r = 0; r < reps; r++) {
		struct idea **out = NULL;
		size_t n = 0;
		double t0 = bench_now();
		int rc = store_stage_page(z->s, STAGE_NEED, NULL,
					  BENCH_PAGE_CARDS, &out, &n, &err);
		z->page[z->npage++] = bench_now() - t0;
		if (rc) {
			bench_fail("store_stage_page", rc, &err);
			return rc;
		}
		z->cards = n;
		for (size_t k = 0; k < n; k++)
			idea_free(out[k]);
		free(out);
	}
	return 0;
}

/* Times lookups of the references refs[pick[0..n)] into v. */
static int bench_find(struct bench_size *z, char (*refs)[BENCH_REF_LEN],
		      const size_t *pick, int n, double *v)
{
	struct fai_err err;
	for (int r = 0; r < n; r++) {
		struct idea *idea = NULL;
		const char *ref = refs[pick[r]];
		double t0 = bench_now();
		int rc = store_idea_find(z->s, ref, &idea, &err);
		v[r] = bench_now() - t0;
		if (rc) {
			bench_fail("store_idea_find", rc, &err);
			return rc;
		}
		if (strcmp(idea_get(idea, IDEA_REF), ref) != 0) {
			fprintf(stderr, "bench: %s found %s\n", ref,
				idea_get(idea, IDEA_REF));
			idea_free(idea);
			return -FAI_ESTORE;
		}
		idea_free(idea);
	}
	return 0;
}

/* Times n lookups of random existing references, then the same n again,
 * then n lookups cycling over the first BENCH_HOT of them (which then stay
 * in the processor's caches: what is left is the store's own work). */
static int bench_lookups(struct bench_size *z, char (*refs)[BENCH_REF_LEN],
			 uint64_t *rnd, int n)
{
	size_t *pick = xcalloc((size_t)n, sizeof(*pick));
	long f0;
	int rc;

	for (int r = 0; r < n; r++)
		pick[r] = bench_pick(rnd, z->ideas);
	f0 = bench_minflt();
	rc = bench_find(z, refs, pick, n, z->cold + z->ncold);
	z->cold_faults += bench_minflt() - f0;
	z->ncold += (size_t)n;
	f0 = bench_minflt();
	if (!rc)
		rc = bench_find(z, refs, pick, n, z->warm + z->nwarm);
	z->warm_faults += bench_minflt() - f0;
	z->nwarm += (size_t)n;
	for (int r = 0; r < n; r++)
		pick[r] = pick[r % BENCH_HOT];
	if (!rc)
		rc = bench_find(z, refs, pick, n, z->hot + z->nhot);
	z->nhot += (size_t)n;
	free(pick);
	return rc;
}

/* Times single actions, each its own fsync'd transaction: n moves (a need
 * card to concept and back: n/2 pairs) and n edits of a random idea's
 * tags. */
static int bench_actions(struct bench_size *z, struct store_actor *actor,
			 char (*refs)[BENCH_REF_LEN], uint64_t *rnd, int n)
{
	static const enum stage to[2] = {STAGE_CONCEPT, STAGE_NEED};
	struct fai_err err;
	int done = 0;

	while (done < n) {
		uint64_t i = bench_pick(rnd, z->ideas);
		if (bench_stage_of(i) != STAGE_NEED)
			continue;
		for (int k = 0; k < 2; k++, done++) {
			actor->now++;
			double t0 = bench_now();
			int rc = store_idea_move(z->s, actor, refs[i], to[k],
						 NULL, 0, 0, NULL, &err);
			double dt = bench_now() - t0;
			if (rc) {
				bench_fail("store_idea_move", rc, &err);
				return rc;
			}
			z->move[z->nmove++] = dt;
			z->action[z->naction++] = dt;
		}
	}
	for (done = 0; done < n; done++) {
		uint64_t i = bench_pick(rnd, z->ideas);
		char tags[64];
		struct store_set set = {IDEA_TAGS, tags};
		snprintf(tags, sizeof(tags), "banc d'essai %llu",
			 (unsigned long long)actor->now);
		actor->now++;
		double t0 = bench_now();
		int rc = store_idea_edit(z->s, actor, refs[i], &set, 1, 0, NULL,
					 &err);
		double dt = bench_now() - t0;
		if (rc) {
			bench_fail("store_idea_edit", rc, &err);
			return rc;
		}
		z->edit[z->nedit++] = dt;
		z->action[z->naction++] = dt;
	}
	return 0;
}

/* ------------------------------------------------------------ report */

static void bench_print_phases(const struct bench_phase *ph, int n)
{
	printf("\nInsertion into one growing store (store_txn_create, up to "
	       "%d ideas per store_write transaction)\n",
	       BENCH_BATCH);
	printf("%17s %8s %9s %11s %9s %9s %8s %10s %10s\n", "phase", "seconds",
	       "ideas/s", "bytes/idea", "file MiB", "disk MiB", "map MiB",
	       "heap MiB", "mapped MiB");
	for (int k = 0; k < n; k++) {
		const struct bench_phase *p = &ph[k];
		char name[40];
		snprintf(name, sizeof(name), "%zu -> %zu", p->from, p->to);
		printf("%17s %8.2f %9.0f %11.0f %9.1f %9.1f %8.0f %10ld "
		       "%10ld\n",
		       name, p->seconds,
		       p->seconds > 0 ? (double)(p->to - p->from) / p->seconds
				      : 0,
		       p->avg_bytes, p->file_mib, p->disk_mib, p->map_mib,
		       p->anon_mib, p->mapped_mib);
		if (p->redone)
			printf(
			    "%17s (%u batch(es) redone after the map grew)\n",
			    "", p->redone);
	}
}

static const char *bench_goal(const struct bench_size *z, int n, size_t off)
{
	for (int k = 1; k < n; k++) {
		const double *a = (const double *)((const char *)&z[0] + off);
		const double *b = (const double *)((const char *)&z[k] + off);
		if (*b / *a > 1.5)
			return "NOT met";
	}
	return "met";
}

static void bench_print_reads(const struct bench_size *z, int n, int rounds)
{
	const struct bench_size *z0 = &z[0];

	printf("\nReads, microseconds, best / median; ratio = median / median "
	       "at %zu ideas;\n%d rounds interleaved over the sizes, so the "
	       "machine's noise falls on all alike\n",
	       z0->ideas, rounds);
	printf("%9s %5s %19s %6s\n", "ideas", "cards", "page of 50 cards",
	       "ratio");
	for (int k = 0; k < n; k++) {
		const struct bench_size *s = &z[k];
		printf("%9zu %5zu %8.1f / %8.1f %6.2f\n", s->ideas, s->cards,
		       s->page_st.best * 1e6, s->page_st.median * 1e6,
		       s->page_st.median / z0->page_st.median);
	}
	printf("\nLookup by reference (store_idea_find): random refs the "
	       "first time, the same refs again,\nand %d refs cycled (hot "
	       "in the CPU caches); faults = minor page faults per lookup\n",
	       BENCH_HOT);
	printf("%9s | %17s %5s %6s | %17s %5s %6s | %17s %5s\n", "ideas",
	       "first time", "ratio", "faults", "again", "ratio", "faults",
	       "hot", "ratio");
	for (int k = 0; k < n; k++) {
		const struct bench_size *s = &z[k];
		printf("%9zu | %7.2f / %7.2f %5.2f %6.2f | %7.2f / %7.2f %5.2f "
		       "%6.2f | %7.2f / %7.2f %5.2f\n",
		       s->ideas, s->cold_st.best * 1e6, s->cold_st.median * 1e6,
		       s->cold_st.median / z0->cold_st.median,
		       (double)s->cold_faults / (double)s->ncold,
		       s->warm_st.best * 1e6, s->warm_st.median * 1e6,
		       s->warm_st.median / z0->warm_st.median,
		       (double)s->warm_faults / (double)s->nwarm,
		       s->hot_st.best * 1e6, s->hot_st.median * 1e6,
		       s->hot_st.median / z0->hot_st.median);
	}
	printf("goal ≤ 1.5: page %s; lookup first time %s, again %s, hot %s\n",
	       bench_goal(z, n, offsetof(struct bench_size, page_st.median)),
	       bench_goal(z, n, offsetof(struct bench_size, cold_st.median)),
	       bench_goal(z, n, offsetof(struct bench_size, warm_st.median)),
	       bench_goal(z, n, offsetof(struct bench_size, hot_st.median)));

	printf("\nOne action = one write transaction with fsync, "
	       "milliseconds, best / median\n");
	printf("%9s %19s %19s %19s\n", "ideas", "move", "edit", "all");
	for (int k = 0; k < n; k++) {
		const struct bench_size *s = &z[k];
		printf("%9zu %8.3f / %8.3f %8.3f / %8.3f %8.3f / %8.3f  "
		       "(%zu+%zu)\n",
		       s->ideas, s->move_st.best * 1e3, s->move_st.median * 1e3,
		       s->edit_st.best * 1e3, s->edit_st.median * 1e3,
		       s->action_st.best * 1e3, s->action_st.median * 1e3,
		       s->nmove, s->nedit);
	}
}

/* ------------------------------------------------------------ cleanup */

static int bench_rm_one(const char *p, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void bench_rmtree(const char *dir)
{
	nftw(dir, bench_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------ main */

#define BENCH_ROUNDS 10

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	struct statvfs vfs;
	struct fai_err err;
	struct store_actor actor = {"bench", NULL, BENCH_T0};
	struct bench_size z[BENCH_NSIZES];
	struct bench_phase ph[BENCH_NSIZES];
	char(*refs)[BENCH_REF_LEN];
	size_t max = bench_sizes[BENCH_NSIZES - 1], have = 0;
	uint64_t rnd = 42;
	int n = 0, rc = 0;
	double start = bench_now();

	if (argc > 1) {
		char *end;
		max = strtoul(argv[1], &end, 10);
		if (*end || max < bench_sizes[0]) {
			fprintf(stderr, "usage: %s [max-ideas >= %zu]\n",
				argv[0], bench_sizes[0]);
			return 2;
		}
	}
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (statvfs(tmp, &vfs) != 0) {
		fprintf(stderr, "bench: statvfs %s: %s\n", tmp,
			strerror(errno));
		return 1;
	}
	uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (avail < BENCH_MIN_FREE) {
		printf("bench skipped: only %.1f GiB free in %s, the benchmark "
		       "needs 8 GiB (set TMPDIR to a roomier place)\n",
		       (double)avail / (1 << 30), tmp);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/fai-bench-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench: mkdtemp %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	while (n < BENCH_NSIZES && bench_sizes[n] <= max)
		n++;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = bench_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("fai store benchmark: stores in %s (%.0f GiB free), %ld "
	       "CPU(s)\n",
	       dir, (double)avail / (1 << 30), sysconf(_SC_NPROCESSORS_ONLN));
	fflush(stdout);

	refs = xcalloc(bench_sizes[n - 1], sizeof(*refs));
	memset(z, 0, sizeof(z));
	for (int k = 0; k < n; k++) {
		size_t samples = (size_t)BENCH_LOOKUP_REPS;
		z[k].ideas = bench_sizes[k];
		snprintf(z[k].path, sizeof(z[k].path), "%s/store-%zu", dir,
			 bench_sizes[k]);
		z[k].page = xcalloc(BENCH_PAGE_REPS, sizeof(double));
		z[k].cold = xcalloc(samples, sizeof(double));
		z[k].warm = xcalloc(samples, sizeof(double));
		z[k].hot = xcalloc(samples, sizeof(double));
		z[k].move = xcalloc(BENCH_ACTION_REPS, sizeof(double));
		z[k].edit = xcalloc(BENCH_ACTION_REPS, sizeof(double));
		z[k].action = xcalloc(BENCH_ACTION_REPS, sizeof(double));
		rc =
		    store_open(&z[k].s, z[k].path, STORE_CREATE, "84", 0, &err);
		if (rc) {
			bench_fail("store_open", rc, &err);
			goto out;
		}
	}

	/* The largest store grows through every size; the smaller ones get
	 * the same ideas, so that reads can be timed in interleaved rounds
	 * (the machine's noise then falls on every size alike). */
	for (int k = 0; k < n; k++) {
		rc = bench_grow(z[n - 1].s, z[n - 1].path, &actor, refs, &have,
				bench_sizes[k], &ph[k]);
		if (rc)
			goto out;
		printf("  %zu ideas in %.2f s\n", bench_sizes[k],
		       ph[k].seconds);
		fflush(stdout);
	}
	for (int k = 0; k < n - 1; k++) {
		struct bench_phase side;
		size_t h = 0;
		rc = bench_grow(z[k].s, z[k].path, &actor, refs, &h,
				bench_sizes[k], &side);
		if (rc)
			goto out;
	}

	for (int r = 0; r < BENCH_ROUNDS; r++) {
		if (bench_stop) {
			rc = -FAI_EIO;
			goto out;
		}
		for (int k = 0; k < n && !rc; k++) {
			rc = bench_pages(&z[k], BENCH_PAGE_REPS / BENCH_ROUNDS);
			if (!rc)
				rc = bench_lookups(&z[k], refs, &rnd,
						   BENCH_LOOKUP_REPS /
						       BENCH_ROUNDS);
			if (!rc)
				rc = bench_actions(&z[k], &actor, refs, &rnd,
						   BENCH_ACTION_REPS / 2 /
						       BENCH_ROUNDS);
		}
		if (rc)
			goto out;
	}
	for (int k = 0; k < n; k++) {
		z[k].page_st = bench_summary(z[k].page, z[k].npage);
		z[k].cold_st = bench_summary(z[k].cold, z[k].ncold);
		z[k].warm_st = bench_summary(z[k].warm, z[k].nwarm);
		z[k].hot_st = bench_summary(z[k].hot, z[k].nhot);
		z[k].move_st = bench_summary(z[k].move, z[k].nmove);
		z[k].edit_st = bench_summary(z[k].edit, z[k].nedit);
		z[k].action_st = bench_summary(z[k].action, z[k].naction);
	}

	bench_print_phases(ph, n);
	bench_print_reads(z, n, BENCH_ROUNDS);
	long anon, mapped;
	bench_rss_now(&anon, &mapped);
	printf("\ntotal run time %.1f s; peak RSS %ld MiB (now %ld MiB heap + "
	       "%ld MiB of mapped store)\n",
	       bench_now() - start, bench_peak_rss_mib(), anon, mapped);

out:
	for (int k = 0; k < n; k++) {
		store_close(z[k].s);
		free(z[k].page);
		free(z[k].cold);
		free(z[k].warm);
		free(z[k].hot);
		free(z[k].move);
		free(z[k].edit);
		free(z[k].action);
	}
	free(refs);
	bench_rmtree(dir);
	if (bench_stop)
		fprintf(stderr, "bench: interrupted; %s removed\n", dir);
	return rc ? 1 : 0;
}
