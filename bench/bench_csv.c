/* bench_csv.c - how fast and how lean the CSV hand-off is.
 *
 * Generates import files of 10^5 and 10^6 rows (about 600 bytes a row of
 * French text, every column of the format, valid for `fai import`, rows in
 * id order as an export writes them) with the project's own CSV writer, then
 * times, with CLOCK_MONOTONIC:
 *   - a bare libcsv pass counting fields (default options, 64 KiB reads):
 *     the floor any import built on libcsv can reach;
 *   - our reader alone (csvr_open + csvr_next: encoding scan, SHA-256,
 *     line tracking, row copies);
 *   - `fai import`: store_import into a fresh, durable (fsync'd) store
 *     with the default options: the source is read once, every row
 *     checked and spooled prepared; imports this large (their estimated
 *     growth above import_opts.bulk_bytes' 32 MiB default) are then
 *     written in one transaction through a writable memory map;
 *   - "1-read": the same import with bulk_bytes = -1: the source read
 *     once and spooled as always, then written the usual way, LMDB's
 *     dirty pages in the heap (the path small imports take); each import
 *     child checks that exchange_stats.bulk names the path its mode
 *     expects (1 for the default import, 0 for 1-read) and fails loudly
 *     otherwise;
 *   - sqlite3's `.mode csv` `.import FILE t`, through the sqlite3 CLI,
 *     into `:memory:` and into a database file (a fresh one each run,
 *     which sqlite3 syncs as it commits): our import is durable, so the
 *     file is the like-for-like figure; both are compared;
 *   - `fai export`: store_export of the default import's store to
 *     /dev/null, against `sqlite3 DB '.mode csv' '.output /dev/null'
 *     'select * from t'` on the last of those database files.
 * 10^5 is run three times (median shown), 10^6 once.  Every import and
 * export runs in a fresh process (this program executed again with
 * --child, reporting its own time: a forked child would carry this
 * process's heap, and this process never holds a store), whose peak
 * private memory is measured (the goal is judged at 10^6): its RssAnon
 * (heap, stack, LMDB's dirty pages: memory nothing else can reclaim)
 * sampled every 5 ms from /proc/PID/status once it has exec'd, next to
 * its peak RSS (getrusage), which also counts the pages of the store's
 * file mapping it touched (shared, file-backed, reclaimable by the kernel
 * at any time).
 *
 * Then a file of 10^6 short rows (13 bytes each: 13 MB, "t0000001,84"),
 * imported with the default options in a child: its time and peak
 * memory (such a file used to be imported the one-reading way, its dirty
 * pages in the heap: 872 MB).
 *
 * Goals, reported as met or NOT met, never asserted: import / bare parse
 * ≤ 2; import faster than sqlite3's .import, judged against both its
 * :memory: and its file figures, each printed; export faster than
 * sqlite's; peak private memory of the default import and of export at
 * 10^6, and of the import of 10^6 short rows, ≤ 64 MiB (1-read's is
 * printed beside it, with no goal: its dirty pages grow with the file, up
 * to a cap).
 *
 * Usage: bench_csv [max-rows]  (10^6 by default; 100000 stops at 10^5).
 * bench_csv --generate ROWS FILE only writes a file (for profiling).
 * Files and stores go to $TMPDIR or /tmp; it needs 6 GiB free there and
 * says so and exits 0 otherwise. */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#include "../core/err.h"
#include "../core/idea.h"
#include "../core/isotime.h"
#include "../core/stage.h"
#include "../core/uuid.h"
#include "../core/xmalloc.h"
#include "../store/csvio.h"
#include "../store/exchange.h"
#include "../store/store.h"

#define BENCH_MIN_FREE ((uint64_t)6 << 30)
#define BENCH_T0 ((int64_t)1764234000) /* 2025-11-27T09:00:00Z */
#define BENCH_GOAL_MEM_MIB 64.0
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ text */

struct region {
	const char *code;
	const char *depts[8];
};

static const struct region regions[] = {
    {"84", {"01", "07", "15", "26", "38", "43", "63", "69"}},
    {"76", {"09", "11", "12", "30", "31", "34", "46", "81"}},
    {"75", {"16", "17", "19", "23", "24", "33", "64", "87"}},
    {"53", {"22", "29", "35", "56", "22", "29", "35", "56"}},
    {"44", {"08", "10", "51", "52", "54", "57", "67", "88"}},
    {"27", {"21", "25", "39", "58", "70", "71", "89", "90"}},
    {"93", {"04", "05", "06", "13", "83", "84", "13", "06"}},
    {"94", {"2A", "2B", "2A", "2B", "2A", "2B", "2A", "2B"}},
};

static const char *const kinds[] = {
    "Épicerie solidaire",	 "Recyclerie",
    "Tiers-lieu numérique",	 "Garage solidaire",
    "Conciergerie rurale",	 "Atelier vélo participatif",
    "Cantine coopérative",	 "Ressourcerie",
    "Crèche parentale",		 "Légumerie",
    "Maison de santé",		 "Café associatif",
    "Plateforme de covoiturage", "Chantier d'insertion",
    "Boutique de producteurs",	 "Fablab",
};

static const char *const qualifiers[] = {
    "itinérante",	    "intergénérationnelle", "en circuit court",
    "pour les saisonniers", "zéro déchet",	    "accessible à tous",
    "en milieu rural",	    "de quartier",	    "gérée par les habitants",
};

static const char *const places[] = {
    "à Saint-Flour",  "au Puy-en-Velay", "à Aurillac", "dans le Haut-Jura",
    "à Villeurbanne", "à Brioude",	 "à Die",      "en Chartreuse",
    "à Lannion",      "à Guéret",	 "à Millau",   "à Privas",
    "à Bastia",	      "à Épinal",
};

static const char *const needs[] = {
    "Les habitants doivent faire plus de trente kilomètres pour trouver un "
    "commerce ouvert après 19 heures.",
    "Les jeunes du territoire quittent la commune faute de lieu où se "
    "retrouver, se former et créer leur activité.",
    "Plusieurs associations cherchent un local partagé et du matériel "
    "mutualisé pour leurs permanences.",
    "Les producteurs locaux peinent à écouler leurs légumes déclassés, qui "
    "finissent au compost faute de débouchés.",
    "Les personnes âgées isolées n'ont plus de solution de transport depuis "
    "la fermeture de la ligne de car.",
    "Aucune structure ne répare les appareils électroménagers à moins "
    "d'une heure de route : on jette ce qui pourrait resservir.",
};

static const char *const concepts[] = {
    "Un lieu géré en coopérative (SCIC) réunissant habitants, producteurs "
    "et collectivité, ouvert six jours sur sept.",
    "Un véhicule aménagé qui passe chaque semaine dans les hameaux, avec "
    "une permanence et un point de retrait.",
    "Un atelier animé par deux salariés en insertion et des bénévoles, "
    "financé par les ventes et une convention avec la communauté de "
    "communes.",
};

static const char *const tags[] = {
    "alimentation", "mobilité", "numérique", "insertion", "économie circulaire",
    "santé",	    "jeunesse", "culture",   "ESS",	  "réemploi",
    "lien social",
};

static const char *const themes[] = {
    "Alimentation durable",   "Mobilité rurale", "Inclusion numérique",
    "Réemploi et réparation", "Accès aux soins", "Lien social",
};

static const char *const people[] = {
    "Camille Martin", "Léa Dubois",   "Hugo Lefèvre", "Inès Moreau",
    "Théo Girard",    "Zoé Fournier", "Noé Mercier",  "Chloé Bonnet",
};

static const char *const partners[] = {
    "Mairie",	      "Communauté de communes", "CAF",
    "France Travail", "Conseil départemental",	"Banque des Territoires",
    "Centre social",
};

static const char *const sources[] = {
    "Diagnostic territorial 2024",
    "Réunion publique du conseil de quartier",
    "Appel à idées de la communauté de communes",
    "Remontée d'un travailleur social",
};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

#define PICK(st, a) ((a)[splitmix(st) % NELEM(a)])

static void siret(uint64_t *st, char out[15])
{
	int sum = 0;
	for (int i = 0; i < 13; i++)
		out[i] = (char)('0' + splitmix(st) % 10);
	out[13] = '0';
	out[14] = '\0';
	for (int i = 13; i >= 0; i--) {
		int d = out[i] - '0';
		if ((13 - i) % 2 == 1 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	out[13] = (char)('0' + (10 - sum % 10) % 10);
}

/* Writes n rows: ids increase (as an export sorts them), refs count per
 * region, every column of the format. */
static int generate(const char *path, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	struct csvw *w = csvw_new(f, CSV_DIALECT_RFC4180);
	unsigned long seq[NELEM(regions)] = {0};
	struct buf b;
	buf_init(&b);
	for (int fl = 0; fl < IDEA_FIELD_COUNT; fl++)
		if (fl != IDEA_STAGE_PREV) {
			const char *c = idea_field_info(fl)->code;
			csvw_cell(w, c, strlen(c), 1);
		}
	int rc = csvw_row_end(w);
	for (size_t i = 0; i < n && !rc; i++) {
		uint64_t st = i * 0x2545F4914F6CDD1Dull + 7;
		char id[UUID_STR_LEN], ref[32], t1[ISOTIME_LEN],
		    t2[ISOTIME_LEN], num[32], sir[15];
		unsigned char u[UUID_LEN];
		uint64_t hi = (uint64_t)((double)i / (double)n * 4294967296.0);
		uint64_t r1 = splitmix(&st), r2 = splitmix(&st);
		for (int k = 0; k < 4; k++)
			u[k] = (unsigned char)(hi >> (24 - 8 * k));
		for (int k = 4; k < 16; k++)
			u[k] = (unsigned char)((k < 10 ? r1 : r2) >>
					       (8 * (k % 8)));
		u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
		u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
		uuid_format(u, id);
		size_t ri = splitmix(&st) % NELEM(regions);
		const struct region *r = &regions[ri];
		snprintf(ref, sizeof(ref), "%s-%04lu", r->code, ++seq[ri]);
		unsigned sk = (unsigned)(splitmix(&st) % 100);
		enum stage stage = sk < 50   ? STAGE_NEED
				   : sk < 70 ? STAGE_CONCEPT
				   : sk < 82 ? STAGE_OWNER_SEARCH
				   : sk < 90 ? STAGE_LAUNCHED
				   : sk < 95 ? STAGE_ON_HOLD
					     : STAGE_ABANDONED;
		int64_t created =
		    BENCH_T0 - (int64_t)(splitmix(&st) % 40000000);
		int64_t updated = created + (int64_t)(splitmix(&st) % 5000000);
		isotime_format(created, t1);
		isotime_format(updated, t2);
		const char *v[IDEA_FIELD_COUNT];
		char *own[IDEA_FIELD_COUNT];
		memset(v, 0, sizeof(v));
		memset(own, 0, sizeof(own));
#define OWN(fl, ...)                                                           \
	do {                                                                   \
		buf_reset(&b);                                                 \
		buf_printf(&b, __VA_ARGS__);                                   \
		own[fl] = buf_steal(&b);                                       \
		v[fl] = own[fl];                                               \
	} while (0)
		v[IDEA_ID] = id;
		v[IDEA_REF] = ref;
		OWN(IDEA_TITLE, "%s %s %s", PICK(&st, kinds),
		    PICK(&st, qualifiers), PICK(&st, places));
		v[IDEA_STAGE] = stage_code(stage);
		v[IDEA_REGION] = r->code;
		OWN(IDEA_TERRITORY, "%s, %s%03u", r->depts[splitmix(&st) % 8],
		    r->depts[splitmix(&st) % 8],
		    (unsigned)(1 + splitmix(&st) % 300));
		v[IDEA_THEME] = PICK(&st, themes);
		OWN(IDEA_TAGS, "%s; %s; %s", PICK(&st, tags), PICK(&st, tags),
		    PICK(&st, tags));
		OWN(IDEA_NEED, "%s\n%s", PICK(&st, needs), PICK(&st, needs));
		v[IDEA_SOURCE] = PICK(&st, sources);
		OWN(IDEA_PARTNERS, "%s; Région", PICK(&st, partners));
		v[IDEA_FACILITATOR] = PICK(&st, people);
		if (stage != STAGE_NEED)
			v[IDEA_CONCEPT] = PICK(&st, concepts);
		if (stage == STAGE_ON_HOLD || stage == STAGE_ABANDONED)
			v[IDEA_STAGE_REASON] = "En attente de la décision de "
					       "financement du département.";
		if (stage == STAGE_LAUNCHED || stage == STAGE_OWNER_SEARCH)
			v[IDEA_OWNER] = PICK(&st, people);
		if (stage == STAGE_LAUNCHED) {
			v[IDEA_STRUCTURE] = "Association Les Communs";
			v[IDEA_LEGAL_FORM] = "Association loi 1901";
			siret(&st, sir);
			v[IDEA_SIRET] = sir;
			v[IDEA_LAUNCH_DATE] = "2025-06-01";
			snprintf(num, sizeof(num), "%u",
				 (unsigned)(splitmix(&st) % 12));
			v[IDEA_JOBS] = num;
		}
		v[IDEA_CREATED_AT] = t1;
		v[IDEA_UPDATED_AT] = t2;
		v[IDEA_STAGE_SINCE] = t2;
		v[IDEA_UPDATED_BY] = PICK(&st, people);
		char rev[8];
		snprintf(rev, sizeof(rev), "%u", (unsigned)(1 + i % 5));
		v[IDEA_REVISION] = rev;
#undef OWN
		for (int fl = 0; fl < IDEA_FIELD_COUNT; fl++) {
			if (fl == IDEA_STAGE_PREV)
				continue;
			const char *s = v[fl] ? v[fl] : "";
			csvw_cell(
			    w, s, strlen(s),
			    !(idea_field_info(fl)->flags & IDEA_FF_NUMERIC));
		}
		rc = csvw_row_end(w);
		for (int fl = 0; fl < IDEA_FIELD_COUNT; fl++)
			free(own[fl]);
	}
	csvw_free(w);
	buf_free(&b);
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* n short rows: "t0000001,84" and CRLF, 13 bytes each.  0 or -1. */
static int generate_short(const char *path, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fputs("title,region\r\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "t%07zu,84\r\n", i % 10000000);
	return fclose(f) != 0 ? -1 : 0;
}

/* ------------------------------------------------------------ measuring */

static void fields_cb(void *s, size_t n, void *arg)
{
	(void)s;
	(void)n;
	(*(uint64_t *)arg)++;
}

static void rows_cb(int c, void *arg)
{
	(void)c;
	(void)arg;
}

/* The floor: libcsv, default options, counting fields. */
static uint64_t bare_parse(const char *path)
{
	struct csv_parser p;
	uint64_t fields = 0;
	static char blk[65536];
	size_t got;
	FILE *f = fopen(path, "rb");
	if (!f || csv_init(&p, 0) != 0)
		abort();
	while ((got = fread(blk, 1, sizeof(blk), f)) > 0)
		if (csv_parse(&p, blk, got, fields_cb, rows_cb, &fields) != got)
			abort();
	csv_fini(&p, fields_cb, rows_cb, &fields);
	csv_free(&p);
	fclose(f);
	return fields;
}

/* Our reader alone. */
static uint64_t reader_pass(const char *path)
{
	struct csvr *r;
	struct csvr_row *row;
	struct fai_err err;
	uint64_t fields = 0;
	int rc;
	if (csvr_open(&r, path, &err) != 0)
		abort();
	while ((rc = csvr_next(r, &row, &err)) == 1)
		fields += row->n;
	if (rc < 0) {
		fprintf(stderr, "bench: reader: %s line %ld\n", err.detail,
			err.line);
		abort();
	}
	csvr_free(r);
	return fields;
}

static const struct store_actor bench_actor = {"bench", NULL, BENCH_T0};

/* In the child: imports path into a fresh store at db (default map size,
 * fsync'd commits) with import_opts.bulk_bytes set to bulk_bytes; seconds
 * of store_import (open and close not counted) or -1. */
static double fai_import(const char *path, const char *db, long long bulk_bytes,
			 struct exchange_stats *st, size_t *mapsize)
{
	struct store *s;
	struct fai_err err;
	struct import_opts io;
	rmtree(db);
	if (store_open(&s, db, STORE_CREATE, "84", 0, &err) != 0)
		return -1;
	memset(&io, 0, sizeof(io));
	io.bulk_bytes = bulk_bytes;
	double t0 = now_s();
	int rc = store_import(s, &bench_actor, path, &io, st, &err);
	double t = now_s() - t0;
	*mapsize = store_mapsize(s);
	store_close(s);
	if (rc) {
		fprintf(stderr, "bench: import: %s %s:%ld %s\n",
			fai_strerror(rc), err.file, err.line, err.detail);
		return -1;
	}
	return t;
}

/* In the child: exports db to /dev/null; seconds or -1. */
static double fai_export(const char *db, uint64_t *rows)
{
	struct store *s;
	struct fai_err err;
	struct export_opts eo;
	struct exchange_stats st;
	if (store_open(&s, db, 0, NULL, 0, &err) != 0)
		return -1;
	FILE *f = fopen("/dev/null", "wb");
	memset(&eo, 0, sizeof(eo));
	eo.dialect = CSV_DIALECT_RFC4180;
	double t0 = now_s();
	int rc = store_export(s, f, &eo, &st, &err);
	double t = now_s() - t0;
	fclose(f);
	store_close(s);
	*rows = st.rows;
	return rc ? -1 : t;
}

/* Runs argv, waits; seconds or -1. */
static double run_cmd(const char *const argv[])
{
	double t0 = now_s();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		execvp(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return now_s() - t0;
}

static int have_sqlite3(void)
{
	const char *const argv[] = {"sqlite3", "-version", NULL};
	return run_cmd(argv) >= 0;
}

/* ------------------------------------------------------------ children */

/* Every import and export runs in a fresh process: this program executed
 * again as "bench_csv --child MODE CSV DB", which prints
 * "SECONDS COUNT MAPSIZE".  MODE is "import" (the default options: these
 * files are imported in bulk), "import1" (bulk_bytes = -1: one reading)
 * or "export".  So this process never holds a store's memory, and what is
 * measured of a child is its own. */
struct run {
	double seconds;	    /* of store_import / store_export, from the child */
	uint64_t count;	    /* ideas added / rows exported */
	size_t mapsize;	    /* the store's map at the end (import) */
	long peak_anon_kib; /* RssAnon, sampled every 5 ms after the exec */
	long peak_rss_kib;  /* ru_maxrss of the child */
	int ok;
};

static int child(const char *mode, const char *csv, const char *db)
{
	double t;
	uint64_t count = 0;
	size_t mapsize = 0;
	int one = strcmp(mode, "import1") == 0;
	if (one || strcmp(mode, "import") == 0) {
		struct exchange_stats st;
		memset(&st, 0, sizeof(st));
		t = fai_import(csv, db, one ? -1 : 0, &st, &mapsize);
		count = st.added;
		/* The measurement is only what it says if the import took the
		 * path its mode names. */
		if (t >= 0 && st.bulk != !one) {
			fprintf(stderr,
				"bench: %s: exchange_stats.bulk = %d, expected "
				"%d (%s)\n",
				mode, st.bulk, !one,
				one ? "bulk_bytes = -1 never takes the map"
				    : "an import growing the store by 32 MiB "
				      "or more is written in bulk by default");
			return 1;
		}
	} else if (strcmp(mode, "export") == 0) {
		t = fai_export(db, &count);
	} else {
		fprintf(stderr, "bench: unknown child mode %s\n", mode);
		return 2;
	}
	if (t < 0)
		return 1;
	printf("%.6f %llu %zu\n", t, (unsigned long long)count, mapsize);
	return fflush(stdout) != 0;
}

static struct run run_child(const char *mode, const char *csv, const char *db)
{
	struct run r;
	int out[2], exec_seen[2];
	char buf[128];
	memset(&r, 0, sizeof(r));
	if (pipe(out) != 0 || pipe2(exec_seen, O_CLOEXEC) != 0)
		return r;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(out[0]);
		close(exec_seen[0]);
		dup2(out[1], 1);
		close(out[1]);
		execl("/proc/self/exe", "bench_csv", "--child", mode, csv, db,
		      (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(exec_seen[1]);
	if (pid < 0) {
		close(out[0]);
		close(exec_seen[0]);
		return r;
	}
	/* EOF on the close-on-exec pipe: the child is now its own image
	 * (before, it is a copy of this process and shows its memory). */
	while (read(exec_seen[0], buf, 1) > 0)
		;
	close(exec_seen[0]);
	int status;
	struct rusage ru;
	for (;;) {
		long anon = status_kib(pid, "RssAnon");
		if (anon > r.peak_anon_kib)
			r.peak_anon_kib = anon;
		pid_t got = wait4(pid, &status, WNOHANG, &ru);
		if (got == pid)
			break;
		if (got < 0) {
			close(out[0]);
			return r;
		}
		struct timespec ts = {0, 5000000};
		nanosleep(&ts, NULL);
	}
	ssize_t n = read(out[0], buf, sizeof(buf) - 1);
	close(out[0]);
	buf[n > 0 ? n : 0] = '\0';
	unsigned long long count = 0;
	r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	       sscanf(buf, "%lf %llu %zu", &r.seconds, &count, &r.mapsize) == 3;
	r.count = count;
	r.peak_rss_kib = ru.ru_maxrss;
	return r;
}

/* ------------------------------------------------------------ main */

struct result {
	size_t rows;
	double mib;
	/* seconds; the sqlite3 ones are 0 without sqlite3, -1 when it failed */
	double bare, reader, import, import1, sq_mem, sq_file, export,
	    sq_export;
	size_t mapsize; /* the default import's map at the end */
	struct run mem_import, mem_import1, mem_export; /* the worst runs */
};

static const char *goal(int met)
{
	return met ? "goal: met" : "goal: NOT met";
}

static void keep_worst(struct run *worst, const struct run *r)
{
	if (r->peak_anon_kib > worst->peak_anon_kib)
		worst->peak_anon_kib = r->peak_anon_kib;
	if (r->peak_rss_kib > worst->peak_rss_kib)
		worst->peak_rss_kib = r->peak_rss_kib;
}

/* Runs the child MODE reps times (at most 3): the median of its seconds,
 * or -1 when a run failed or did not count n ideas.  worst keeps the
 * peaks of memory, *mapsize the last map size. */
static double child_median(const char *mode, const char *csv, const char *db,
			   size_t n, int reps, struct run *worst,
			   size_t *mapsize)
{
	double v[3];
	for (int i = 0; i < reps; i++) {
		struct run one = run_child(mode, csv, db);
		if (!one.ok || one.count != n) {
			fprintf(stderr, "bench: %s failed (run %d of %d)\n",
				mode, i + 1, reps);
			return -1;
		}
		v[i] = one.seconds;
		*mapsize = one.mapsize;
		keep_worst(worst, &one);
	}
	return median(v, reps);
}

/* Runs argv reps times (at most 3), removing fresh (when not NULL) before
 * each run: the median of the seconds, or -1 when a run failed. */
static double cmd_median(const char *const argv[], int reps, const char *fresh)
{
	double v[3];
	for (int i = 0; i < reps; i++) {
		if (fresh)
			unlink(fresh);
		if ((v[i] = run_cmd(argv)) < 0)
			return -1;
	}
	return median(v, reps);
}

/* A time or ratio cell: "-" when it was not measured. */
static void cell(int width, double x)
{
	if (x > 0)
		printf(" %*.2f", width, x);
	else
		printf(" %*s", width, "-");
}

static double ratio(double a, double b)
{
	return a > 0 && b > 0 ? a / b : 0;
}

/* One line: "what = R (faster: goal: ...)" for our time a against
 * sqlite's b. */
static void vs_sqlite(const char *what, double a, double b)
{
	printf("  %-52s ", what);
	if (b > 0)
		printf("= %.2f (faster: %s)\n", a / b, goal(a < b));
	else
		printf("not measured (%s)\n",
		       b < 0 ? "sqlite3 failed" : "sqlite3 missing");
}

int main(int argc, char **argv)
{
	size_t max = 1000000;
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	struct statvfs vfs;
	struct result res[2];
	size_t sizes[2] = {100000, 1000000};
	int nsizes = 2;

	if (argc == 5 && strcmp(argv[1], "--child") == 0)
		return child(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "--generate") == 0)
		return generate(argv[3], strtoul(argv[2], NULL, 10)) ? 1 : 0;
	if (argc > 1) {
		max = strtoul(argv[1], NULL, 10);
		if (max < 100000) {
			fprintf(stderr, "usage: %s [max-rows >= 100000]\n",
				argv[0]);
			return 2;
		}
	}
	if (max < 1000000)
		nsizes = 1;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (statvfs(tmp, &vfs) != 0) {
		fprintf(stderr, "bench: statvfs %s: %s\n", tmp,
			strerror(errno));
		return 1;
	}
	uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (avail < BENCH_MIN_FREE) {
		printf("bench_csv skipped: only %.1f GiB free in %s, it needs "
		       "6 GiB (set TMPDIR elsewhere)\n",
		       (double)avail / (1 << 30), tmp);
		return 0;
	}
	int sq = have_sqlite3();
	snprintf(dir, sizeof(dir), "%s/fai-bench-csv-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench: mkdtemp %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	printf("fai CSV benchmark: files and stores in %s (%.0f GiB free), %ld "
	       "CPUs\n",
	       dir, (double)avail / (1 << 30), sysconf(_SC_NPROCESSORS_ONLN));
	if (!sq)
		printf("sqlite3 not found (apt-get install sqlite3): its rows "
		       "are skipped\n");
	fflush(stdout);

	memset(res, 0, sizeof(res));
	for (int k = 0; k < nsizes; k++) {
		struct result *r = &res[k];
		char csv[600], db[600], sqdb[600], imp[700];
		size_t n = sizes[k];
		int reps = n <= 100000 ? 3 : 1;
		double v[3];
		size_t mapsize;
		struct stat sb;
		r->rows = n;
		snprintf(csv, sizeof(csv), "%s/ideas-%zu.csv", dir, n);
		snprintf(db, sizeof(db), "%s/store-%zu", dir, n);
		snprintf(sqdb, sizeof(sqdb), "%s/sqlite-%zu.db", dir, n);
		double t0 = now_s();
		if (generate(csv, n) != 0) {
			fprintf(stderr, "bench: cannot write %s\n", csv);
			goto fail;
		}
		stat(csv, &sb);
		r->mib = (double)sb.st_size / (1 << 20);
		printf("\n%zu rows: %.0f MiB (%.0f bytes a row), generated in "
		       "%.1f s\n",
		       n, r->mib, (double)sb.st_size / (double)n, now_s() - t0);
		fflush(stdout);

		/* Warm the page cache once: every pass reads from memory. */
		bare_parse(csv);
		for (int i = 0; i < reps; i++) {
			t0 = now_s();
			uint64_t fields = bare_parse(csv);
			v[i] = now_s() - t0;
			if (fields != (uint64_t)(n + 1) * 25) {
				fprintf(stderr, "bench: %llu fields\n",
					(unsigned long long)fields);
				goto fail;
			}
		}
		r->bare = median(v, reps);
		for (int i = 0; i < reps; i++) {
			t0 = now_s();
			reader_pass(csv);
			v[i] = now_s() - t0;
		}
		r->reader = median(v, reps);
		/* The default import, then the export of its store, then the
		 * 1-read import (which replaces that store). */
		r->import = child_median("import", csv, db, n, reps,
					 &r->mem_import, &r->mapsize);
		if (r->import < 0)
			goto fail;
		r->export = child_median("export", csv, db, n, reps,
					 &r->mem_export, &mapsize);
		if (r->export < 0)
			goto fail;
		printf("  import %.2f s, export %.2f s", r->import, r->export);
		fflush(stdout);
		r->import1 = child_median("import1", csv, db, n, reps,
					  &r->mem_import1, &mapsize);
		if (r->import1 < 0)
			goto fail;
		printf(", 1-read import %.2f s\n", r->import1);
		fflush(stdout);
		rmtree(db);
		if (sq) {
			snprintf(imp, sizeof(imp), ".import %s t", csv);
			const char *const a1[] = {
			    "sqlite3", ":memory:", ".mode csv", imp, NULL};
			r->sq_mem = cmd_median(a1, reps, NULL);
			/* Into a fresh file each run; the last one stays for
			 * the export. */
			const char *const a2[] = {"sqlite3", sqdb, ".mode csv",
						  imp, NULL};
			r->sq_file = cmd_median(a2, reps, sqdb);
			r->sq_export = -1;
			if (r->sq_file > 0) {
				const char *const a3[] = {
				    "sqlite3",	       sqdb,
				    ".mode csv",       ".output /dev/null",
				    "select * from t", NULL};
				run_cmd(a3); /* warm */
				r->sq_export = cmd_median(a3, reps, NULL);
			}
			unlink(sqdb);
			printf("  sqlite3: .import %.2f s (:memory:), %.2f s "
			       "(file); export %.2f s\n",
			       r->sq_mem, r->sq_file, r->sq_export);
			fflush(stdout);
		}
		unlink(csv);
	}

	printf("\nCSV hand-off, seconds (median of 3 at 10^5, one run at "
	       "10^6; files in the page cache)\n");
	printf("%15s | %13s | %15s | %15s | %13s |\n", "", "", "",
	       "sqlite3 .import", "import/sqlite");
	printf("%9s %5s | %6s %6s | %7s %7s | %7s %7s | %6s %6s | %6s %6s "
	       "%6s\n",
	       "rows", "MiB", "bare", "reader", "import", "1-read", ":memory",
	       "file", "/ mem", "/ file", "export", "sqlite", "ratio");
	for (int k = 0; k < nsizes; k++) {
		struct result *r = &res[k];
		printf("%9zu %5.0f |", r->rows, r->mib);
		cell(6, r->bare);
		cell(6, r->reader);
		printf(" |");
		cell(7, r->import);
		cell(7, r->import1);
		printf(" |");
		cell(7, r->sq_mem);
		cell(7, r->sq_file);
		printf(" |");
		cell(6, ratio(r->import, r->sq_mem));
		cell(6, ratio(r->import, r->sq_file));
		printf(" |");
		cell(6, r->export);
		cell(6, r->sq_export);
		cell(6, ratio(r->export, r->sq_export));
		printf("\n");
	}
	printf("  bare    = libcsv alone, default options, counting fields "
	       "(the floor)\n"
	       "  reader  = csvr_open + csvr_next (one reading: encoding, "
	       "SHA-256, lines, row copies)\n"
	       "  import  = store_import into a fresh fsync'd store, default "
	       "options: in bulk (a reading to check\n"
	       "            and spool the rows, then one transaction through "
	       "a writable map, its space reserved first); map at the end: ");
	for (int k = 0; k < nsizes; k++)
		printf("%s%.0f MiB at %zu", k ? ", " : "",
		       (double)res[k].mapsize / (1 << 20), res[k].rows);
	printf("\n"
	       "  1-read  = the same with bulk_bytes = -1: read once and "
	       "spooled, then written with LMDB's dirty pages in the heap\n"
	       "  sqlite3 = the sqlite3 CLI's .mode csv .import into :memory: "
	       "and into a fresh database file\n"
	       "            (synced as it commits: durable as our import is, "
	       "so the like-for-like figure)\n"
	       "  / mem, / file = import / sqlite3 .import into :memory:, "
	       "into a file\n"
	       "  export  = store_export to /dev/null; sqlite = select * to "
	       "/dev/null from that database file\n");
	for (int k = 0; k < nsizes; k++) {
		struct result *r = &res[k];
		printf("%zu rows:\n"
		       "  import / bare parse = %.2f (≤ 2: %s); 1-read import "
		       "/ bare parse = %.2f (no goal)\n",
		       r->rows, r->import / r->bare,
		       goal(r->import / r->bare <= 2.0), r->import1 / r->bare);
		vs_sqlite("import vs sqlite3 .import into a file (like for "
			  "like)",
			  r->import, r->sq_file);
		vs_sqlite("import vs sqlite3 .import into :memory:", r->import,
			  r->sq_mem);
		vs_sqlite("export vs sqlite3 select * to /dev/null", r->export,
			  r->sq_export);
	}
	/* 10^6 short rows: the default import's time and memory. */
	struct run sr;
	char short_csv[600], short_db[600];
	memset(&sr, 0, sizeof(sr));
	snprintf(short_csv, sizeof(short_csv), "%s/short.csv", dir);
	snprintf(short_db, sizeof(short_db), "%s/store-short", dir);
	if (generate_short(short_csv, 1000000) == 0) {
		struct stat sb;
		stat(short_csv, &sb);
		sr = run_child("import", short_csv, short_db);
		rmtree(short_db);
		unlink(short_csv);
		printf("\n10^6 short rows (%.1f MB, 13 bytes a row), default "
		       "import: ",
		       (double)sb.st_size / 1e6);
		if (sr.ok && sr.count == 1000000)
			printf("%.2f s, private %.1f MiB, peak RSS %.0f MiB (≤ "
			       "%.0f MiB private: %s)\n",
			       sr.seconds, (double)sr.peak_anon_kib / 1024,
			       (double)sr.peak_rss_kib / 1024,
			       BENCH_GOAL_MEM_MIB,
			       goal((double)sr.peak_anon_kib / 1024 <=
				    BENCH_GOAL_MEM_MIB));
		else
			printf("failed\n");
	}

	printf("\nPeak memory of each import and export child (the worst of "
	       "its runs): private = RssAnon (heap, stack, LMDB's\n"
	       "dirty pages: what nothing else can reclaim), sampled every 5 "
	       "ms from /proc/PID/status once the child has exec'd;\n"
	       "peak RSS = its getrusage ru_maxrss, which also counts the "
	       "pages of the store's file mapping it touched (shared,\n"
	       "file-backed, reclaimable by the kernel)\n");
	for (int k = 0; k < nsizes; k++) {
		struct result *r = &res[k];
		const struct run *m[3] = {&r->mem_import, &r->mem_import1,
					  &r->mem_export};
		static const char *const what[3] = {"import", "1-read import",
						    "export"};
		for (int i = 0; i < 3; i++) {
			double anon = (double)m[i]->peak_anon_kib / 1024;
			printf("  %7zu rows, %-13s: private %6.1f MiB, peak "
			       "RSS %5.0f MiB",
			       r->rows, what[i], anon,
			       (double)m[i]->peak_rss_kib / 1024);
			if (r->rows >= 1000000 && i == 1)
				printf("  (for comparison: no goal)");
			else if (r->rows >= 1000000)
				printf("  (≤ %.0f MiB private: %s)",
				       BENCH_GOAL_MEM_MIB,
				       goal(anon <= BENCH_GOAL_MEM_MIB));
			printf("\n");
		}
	}
	rmtree(dir);
	return 0;
fail:
	rmtree(dir);
	return 1;
}
