/* gen.c - writes the CSV file the torture campaigns import: n ideas of
 * realistic French text, seeded and reproducible, valid for `fai import`
 * (title, region, territory, theme, tags, need, concept, source, partners,
 * facilitator and one column fai does not know, which it must carry).  One
 * row in twenty has a need long enough (3 to 12 KiB) that its record goes
 * to LMDB overflow pages.  Each row has its id (a version 4 UUID drawn from
 * the seed), so the store made from the file is the same at every run.
 * Stands alone (libc only) so it works whatever fai binary is tortured.
 *
 *   gen ROWS SEED [BIGTEXT]   CSV on stdout; BIGTEXT 1 makes every row
 *                             about 600 bytes longer (for 16 MiB files) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct region {
	const char *code;
	const char *depts[4];
};

static const struct region regions[] = {
    {"84", {"01", "38", "63", "69"}}, {"76", {"09", "31", "34", "81"}},
    {"75", {"17", "24", "33", "87"}}, {"53", {"22", "29", "35", "56"}},
    {"44", {"08", "51", "57", "67"}}, {"93", {"04", "06", "13", "83"}},
    {"94", {"2A", "2B", "2A", "2B"}}, {"01", {"971", "971", "971", "971"}},
};

static const char *const kinds[] = {
    "Épicerie solidaire",
    "Recyclerie",
    "Tiers-lieu numérique",
    "Garage solidaire",
    "Conciergerie rurale",
    "Atelier vélo participatif",
    "Cantine coopérative",
    "Ressourcerie",
    "Crèche parentale",
    "Légumerie",
    "Maison de santé",
    "Café associatif",
    "Fablab",
};

static const char *const places[] = {
    "à Saint-Flour",  "au Puy-en-Velay", "à Aurillac", "dans le Haut-Jura",
    "à Villeurbanne", "à Brioude",	 "à Die",      "en Chartreuse",
    "à Lannion",      "à Guéret",	 "à Millau",   "à Privas",
    "à Bastia",	      "à Épinal",
};

static const char *const needs[] = {
    "Les habitants doivent faire plus de trente kilomètres pour trouver "
    "un commerce ouvert après 19 heures.",
    "Les jeunes du territoire quittent la commune faute de lieu où se "
    "retrouver, se former et créer leur activité.",
    "Plusieurs associations cherchent un local partagé et du matériel "
    "mutualisé pour leurs permanences.",
    "Les personnes âgées isolées n'ont plus de solution de transport "
    "depuis la fermeture de la ligne de car.",
    "Aucune structure ne répare les appareils électroménagers à moins "
    "d'une heure de route : on jette ce qui pourrait resservir.",
};

static const char *const concepts[] = {
    "Un lieu géré en coopérative (SCIC) réunissant habitants, "
    "producteurs et collectivité, ouvert six jours sur sept.",
    "Un véhicule aménagé qui passe chaque semaine dans les hameaux, "
    "avec une permanence et un point de retrait.",
    "Un atelier animé par deux salariés en insertion et des bénévoles, "
    "financé par les ventes et une convention avec la communauté de "
    "communes.",
};

static const char *const tags[] = {
    "alimentation",	   "mobilité", "numérique", "insertion",
    "économie circulaire", "santé",    "jeunesse",  "lien social",
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

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

#define PICK(st, a) ((a)[splitmix(st) % NELEM(a)])

/* Writes s as one RFC 4180 field (always quoted). */
static void cell(const char *s, int last)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
	fputs(last ? "\r\n" : ",", stdout);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: gen ROWS SEED [BIGTEXT]\n", stderr);
		return 1;
	}
	unsigned long n = strtoul(argv[1], NULL, 10);
	uint64_t seed = strtoull(argv[2], NULL, 10);
	int big = argc > 3 && atoi(argv[3]);
	static char buf[16384], title[256], terr[64], tagv[256], part[256];

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	fputs(
	    "id,title,region,territory,theme,tags,need,concept,source,partners,"
	    "facilitator,note_avise\r\n",
	    stdout);
	for (unsigned long i = 0; i < n; i++) {
		uint64_t st = seed * 0x2545F4914F6CDD1Dull + i;
		const struct region *r =
		    &regions[splitmix(&st) % NELEM(regions)];
		snprintf(title, sizeof(title), "%s %s n°%lu", PICK(&st, kinds),
			 PICK(&st, places), i + 1);
		const char *d = r->depts[splitmix(&st) % 4];
		if (strlen(d) == 3)
			snprintf(terr, sizeof(terr), "%s", d);
		else
			snprintf(terr, sizeof(terr), "%s, %s%03u", d, d,
				 (unsigned)(1 + splitmix(&st) % 300));
		snprintf(tagv, sizeof(tagv), "%s; %s", PICK(&st, tags),
			 PICK(&st, tags));
		snprintf(part, sizeof(part), "%s; %s", PICK(&st, partners),
			 PICK(&st, partners));
		/* The need: one or two sentences, or many (overflow pages). */
		size_t len = 0, want = 0;
		if (splitmix(&st) % 20 == 0)
			want = 3072 + splitmix(&st) % 9216;
		else if (big)
			want = 700;
		buf[0] = '\0';
		do {
			const char *s = PICK(&st, needs);
			size_t sl = strlen(s);
			if (len + sl + 2 >= sizeof(buf))
				break;
			if (len)
				buf[len++] = splitmix(&st) % 4 ? ' ' : '\n';
			memcpy(buf + len, s, sl + 1);
			len += sl;
		} while (len < want);
		uint64_t a = splitmix(&st), b = splitmix(&st);
		char id[40];
		snprintf(id, sizeof(id), "%08x-%04x-4%03x-%04x-%012llx",
			 (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
			 (unsigned)a & 0xfff,
			 0x8000u | ((unsigned)(b >> 48) & 0x3fff),
			 (unsigned long long)(b & 0xffffffffffffull));
		cell(id, 0);
		cell(title, 0);
		cell(r->code, 0);
		cell(terr, 0);
		cell(PICK(&st, themes), 0);
		cell(tagv, 0);
		cell(buf, 0);
		cell(splitmix(&st) % 3 ? PICK(&st, concepts) : "", 0);
		cell("Diagnostic territorial 2025", 0);
		cell(part, 0);
		cell(PICK(&st, people), 0);
		cell(splitmix(&st) % 5 ? "" : "suivi Avise T3", 1);
	}
	return fflush(stdout) != 0;
}
