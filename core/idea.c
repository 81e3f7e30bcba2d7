/* idea.c - the idea record, its field table and the rules that turn text
 * typed by a person into a stored value.
 *
 * An idea is an array of UTF-8 strings indexed by enum idea_field (NULL is
 * empty) plus the unknown columns it was imported with.  The table below
 * gives each field its stable code, English label, French header alias,
 * nature and longest accepted value.  idea_set is the single door for text
 * coming from outside: it normalises (trims, upper-cases codes, joins list
 * items) and checks, so every other layer can trust what is stored.
 *
 * Lengths: one-line free text 500 bytes, multi-line text 64 KiB, lists and
 * territories 2000 bytes, codes their exact size. */
#include "idea.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datefr.h"
#include "geo.h"
#include "isotime.h"
#include "sheet.h"
#include "stage.h"
#include "utf8.h"
#include "uuid.h"
#include "validate.h"
#include "xmalloc.h"

#define IDEA_LINE_MAX 500
#define IDEA_TEXT_MAX 65536
#define IDEA_LIST_MAX 2000

#define SYS IDEA_FF_SYSTEM
#define ML IDEA_FF_MULTILINE
#define LIST IDEA_FF_LIST
#define INT IDEA_FF_INTERNAL
#define REQ IDEA_FF_REQUIRED
#define NUM IDEA_FF_NUMERIC

static const struct idea_field_info idea_fields[IDEA_FIELD_COUNT] = {
    [IDEA_ID] = {"id", N_("ID"), "id", "Identifiant", SYS, UUID_STR_LEN - 1,
		 "l’identité de l’idée, la même dans toutes les bases : un "
		 "UUID en minuscules ; à ne jamais modifier"},
    [IDEA_REF] = {"ref", N_("Reference"), "reference", "Référence", SYS, 23,
		  "la référence lisible, région et numéro (84-0042) ; propre à "
		  "chaque base"},
    [IDEA_TITLE] = {"title", N_("Title"), "titre", "Titre", REQ, IDEA_LINE_MAX,
		    "le titre de l’idée, sur une ligne ; obligatoire"},
    [IDEA_STAGE] = {"stage", N_("Stage"), "etape", "Étape", SYS | REQ, 16,
		    "l’étape de l’idée, l’une de :"},
    [IDEA_STAGE_REASON] = {"stage_reason", N_("Stage reason"), "motif_etape",
			   "Motif de l’étape", SYS | ML, IDEA_TEXT_MAX,
			   "pourquoi l’idée est en veille ou abandonnée"},
    [IDEA_REGION] = {"region", N_("Region"), "region", "Région", REQ, 2,
		     "le code INSEE de la région (84, 11, 01…) ; obligatoire"},
    [IDEA_TERRITORY] = {"territory", N_("Territory"), "territoire",
			"Territoire", 0, IDEA_LIST_MAX,
			"codes INSEE de départements (69, 2A, 971) ou de "
			"communes (69123), séparés par « , »"},
    [IDEA_THEME] = {"theme", N_("Theme"), "theme", "Thème", 0, IDEA_LINE_MAX,
		    "le thème, sur une ligne"},
    [IDEA_TAGS] = {"tags", N_("Tags"), "mots_cles", "Mots-clés", LIST,
		   IDEA_LIST_MAX, "une liste : éléments séparés par « ; »"},
    [IDEA_NEED] = {"need", N_("Need"), "besoin", "Besoin", ML, IDEA_TEXT_MAX,
		   "le besoin social repéré ; peut tenir sur plusieurs lignes"},
    [IDEA_CONCEPT] = {"concept", N_("Concept"), "concept", "Concept", ML,
		      IDEA_TEXT_MAX,
		      "la réponse imaginée ; peut tenir sur plusieurs lignes"},
    [IDEA_SOURCE] = {"source", N_("Source"), "origine", "Origine", ML,
		     IDEA_TEXT_MAX, "qui a repéré le besoin, et d’où il vient"},
    [IDEA_PARTNERS] = {"partners", N_("Partners"), "partenaires", "Partenaires",
		       LIST, IDEA_LIST_MAX,
		       "une liste : éléments séparés par « ; »"},
    [IDEA_FACILITATOR] = {"facilitator", N_("Facilitator"), "animateur",
			  "Animateur", 0, IDEA_LINE_MAX,
			  "l’animateur ou l’animatrice qui suit l’idée"},
    [IDEA_OWNER] = {"owner", N_("Owner"), "porteur", "Porteur", 0,
		    IDEA_LINE_MAX, "le porteur de projet, une fois trouvé"},
    [IDEA_STRUCTURE] = {"structure", N_("Structure"), "structure", "Structure",
			0, IDEA_LINE_MAX, "la structure qui lance l’activité"},
    [IDEA_LEGAL_FORM] = {"legal_form", N_("Legal form"), "forme_juridique",
			 "Forme juridique", 0, IDEA_LINE_MAX,
			 "la forme juridique de la structure"},
    [IDEA_SIRET] = {"siret", N_("SIRET"), "siret", "SIRET", 0, 14,
		    "le SIRET de la structure : 14 chiffres, en texte"},
    [IDEA_LAUNCH_DATE] = {"launch_date", N_("Launch date"), "date_lancement",
			  "Date de lancement", 0, ISODATE_LEN - 1,
			  "la date de lancement de l’activité"},
    [IDEA_JOBS] = {"jobs", N_("Jobs"), "emplois", "Emplois", NUM, 9,
		   "le nombre d’emplois créés"},
    [IDEA_CREATED_AT] = {"created_at", N_("Created"), "cree_le", "Créée le",
			 SYS, ISOTIME_LEN - 1,
			 "quand l’idée a été saisie (heure locale)"},
    [IDEA_UPDATED_AT] = {"updated_at", N_("Updated"), "modifie_le",
			 "Modifiée le", SYS, ISOTIME_LEN - 1,
			 "sa dernière modification (heure locale)"},
    [IDEA_STAGE_SINCE] = {"stage_since", N_("In stage since"), "etape_depuis",
			  "À l’étape depuis", SYS, ISOTIME_LEN - 1,
			  "depuis quand elle est à son étape (heure locale)"},
    [IDEA_UPDATED_BY] = {"updated_by", N_("Updated by"), "modifie_par",
			 "Modifiée par", SYS, 256,
			 "qui l’a modifiée en dernier"},
    [IDEA_REVISION] =
	{"revision", N_("Revision"), "revision", "Révision", SYS | NUM, 20,
	 "le nombre de ses modifications dans la base qui l’exporte"},
    [IDEA_STAGE_PREV] = {"stage_prev", N_("Previous stage"), "etape_precedente",
			 "Étape précédente", SYS | INT, 16, "interne"},
};

#undef SYS
#undef ML
#undef LIST
#undef INT
#undef REQ
#undef NUM

const struct idea_field_info *idea_field_info(enum idea_field f)
{
	if ((int)f < 0 || f >= IDEA_FIELD_COUNT)
		return NULL;
	return &idea_fields[f];
}

void idea_name_fold(struct buf *out, const char *name)
{
	struct buf b;
	size_t start = 0, end;

	buf_init(&b);
	utf8_fold(&b, name ? name : "");
	/* ’ (U+2019) is an apostrophe as ' is */
	for (size_t i = 0, j = 0; i <= b.len; i++) {
		if (i + 2 < b.len &&
		    memcmp(b.data + i, "\xe2\x80\x99", 3) == 0) {
			b.data[j++] = '_';
			i += 2;
			continue;
		}
		char c = i < b.len ? b.data[i] : '\0';
		if (c == '-' || c == ' ' || c == '\'')
			c = '_';
		if (i < b.len)
			b.data[j++] = c;
		else
			b.len = j;
	}
	end = b.len;
	while (start < end && b.data[start] == '_')
		start++;
	while (end > start && b.data[end - 1] == '_')
		end--;
	buf_reset(out);
	buf_add(out, b.len ? b.data + start : "", end - start);
	buf_free(&b);
}

int idea_field_parse(const char *name)
{
	struct buf b, t;
	int f, found = -1;

	if (name == NULL)
		return -1;
	buf_init(&b);
	buf_init(&t);
	idea_name_fold(&b, name);
	for (f = 0; f < IDEA_FIELD_COUNT && found < 0; f++) {
		if (strcmp(b.data, idea_fields[f].code) == 0 ||
		    strcmp(b.data, idea_fields[f].alias_fr) == 0) {
			found = f;
			break;
		}
		idea_name_fold(&t, idea_fields[f].title_fr);
		if (strcmp(b.data, t.data) == 0)
			found = f;
	}
	buf_free(&t);
	buf_free(&b);
	return found;
}

struct idea *idea_new(void)
{
	return xcalloc(1, sizeof(struct idea));
}

void idea_free(struct idea *idea)
{
	size_t i;
	int f;

	if (idea == NULL)
		return;
	for (f = 0; f < IDEA_FIELD_COUNT; f++)
		free(idea->v[f]);
	for (i = 0; i < idea->nextra; i++) {
		free(idea->extra[i].name);
		free(idea->extra[i].value);
	}
	free(idea->extra);
	free(idea);
}

struct idea *idea_of_view(const struct idea_view *view)
{
	struct idea *c = idea_new();
	size_t i;
	int f;

	c->key = view->key;
	c->rank = view->rank;
	for (f = 0; f < IDEA_FIELD_COUNT; f++)
		c->v[f] = xstrdup(view->v[f]);
	if (view->nextra > 0) {
		c->extra = xcalloc(view->nextra, sizeof(*c->extra));
		for (i = 0; i < view->nextra; i++) {
			c->extra[i].name = xstrdup(view->extra[i].name);
			c->extra[i].value = xstrdup(view->extra[i].value);
			c->extra[i].pos = view->extra[i].pos;
		}
		c->nextra = view->nextra;
	}
	return c;
}

struct idea *idea_clone(const struct idea *idea)
{
	struct idea_view view;

	if (idea == NULL)
		return NULL;
	idea_view_of(idea, &view);
	return idea_of_view(&view);
}

/* Returns v, or "" for NULL. */
static const char *idea_or_empty(const char *v)
{
	return v != NULL ? v : "";
}

const char *idea_get(const struct idea *idea, enum idea_field f)
{
	if (idea == NULL || (int)f < 0 || f >= IDEA_FIELD_COUNT)
		return "";
	return idea_or_empty(idea->v[f]);
}

void idea_view_of(const struct idea *idea, struct idea_view *view)
{
	int f;

	view->key = idea->key;
	view->rank = idea->rank;
	for (f = 0; f < IDEA_FIELD_COUNT; f++)
		view->v[f] = idea->v[f];
	view->nextra = idea->nextra;
	view->extra = idea->extra;
}

const char *idea_view_get(const struct idea_view *view, enum idea_field f)
{
	if (view == NULL || (int)f < 0 || f >= IDEA_FIELD_COUNT)
		return "";
	return idea_or_empty(view->v[f]);
}

void idea_set_raw(struct idea *idea, enum idea_field f, const char *value)
{
	if ((int)f < 0 || f >= IDEA_FIELD_COUNT)
		return;
	free(idea->v[f]);
	idea->v[f] = value != NULL && value[0] != '\0' ? xstrdup(value) : NULL;
}

static int idea_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Appends s[0..n) to out without the surrounding white space. */
static void idea_add_trimmed(struct buf *out, const char *s, size_t n)
{
	while (n > 0 && idea_space(s[0])) {
		s++;
		n--;
	}
	while (n > 0 && idea_space(s[n - 1]))
		n--;
	buf_add(out, s, n);
}

/* 1 when the item s[0..n) is one of the items of list, separated by sep. */
static int idea_list_has(const char *list, const char *sep, const char *s,
			 size_t n)
{
	size_t seplen = strlen(sep), ilen;
	const char *next;

	while (list != NULL && *list != '\0') {
		next = strstr(list, sep);
		ilen = next ? (size_t)(next - list) : strlen(list);
		if (ilen == n && memcmp(list, s, n) == 0)
			return 1;
		list = next ? next + seplen : NULL;
	}
	return 0;
}

/* Normalises a list "a ; b;;a" into "a; b" in out. */
static void idea_norm_list(struct buf *out, const char *s)
{
	struct buf item;
	const char *p = s, *semi;
	size_t n;

	buf_init(&item);
	buf_add(out, "", 0);
	while (*p != '\0') {
		semi = strchr(p, ';');
		n = semi ? (size_t)(semi - p) : strlen(p);
		buf_reset(&item);
		idea_add_trimmed(&item, p, n);
		p += n + (semi ? 1 : 0);
		if (item.len == 0 ||
		    idea_list_has(out->data, "; ", item.data, item.len))
			continue;
		if (out->len > 0)
			buf_adds(out, "; ");
		buf_add(out, item.data, item.len);
	}
	buf_free(&item);
}

/* Normalises territory codes into "69123, 2A" in out (upper case, no
 * duplicates); checks each. */
static int idea_norm_territory(struct buf *out, const char *s,
			       struct fai_err *err)
{
	struct buf code;
	const char *p = s;
	size_t n, i;
	int rc = 0;

	buf_init(&code);
	buf_add(out, "", 0);
	while (*p != '\0') {
		p += strspn(p, VALIDATE_TERRITORY_SEPS);
		n = strcspn(p, VALIDATE_TERRITORY_SEPS);
		if (n == 0)
			break;
		buf_reset(&code);
		buf_add(&code, p, n);
		p += n;
		for (i = 0; i < code.len; i++)
			if (code.data[i] >= 'a' && code.data[i] <= 'z')
				code.data[i] = (char)(code.data[i] - 'a' + 'A');
		rc = validate_territory(code.data, err);
		if (rc < 0)
			goto out_code;
		if (idea_list_has(out->data, ", ", code.data, code.len))
			continue;
		if (out->len > 0)
			buf_adds(out, ", ");
		buf_add(out, code.data, code.len);
	}
out_code:
	buf_free(&code);
	return rc;
}

/* Copies the digits of s into out, without leading zeros ("0" stays). */
static int idea_norm_number(struct buf *out, const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || strspn(s, "0123456789") != n)
		return -1;
	while (n > 1 && *s == '0') {
		s++;
		n--;
	}
	buf_add(out, s, n);
	return 0;
}

/* 1 when value[0..n) needs no rewriting before its field's own rule: valid
 * UTF-8 without control characters (CR and TAB included; LF only in a
 * multi-line field, and never ending the value nor around a line of only
 * spaces) and without a space at either end.  Most values read from a file
 * are like that, and idea_normalise then works on them in place. */
static int idea_plain(const char *value, size_t n, int multiline)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t i = 0, j;
	uint32_t cp;
	int len;

	if (n > 0 && (p[0] == ' ' || p[n - 1] == ' ' || p[0] == '\n' ||
		      p[n - 1] == '\n'))
		return 0;
	while (i < n) {
		/* Eight printable ASCII bytes at a time: no high bit, none
		 * below 0x20, none equal to 0x7F. */
		while (n - i >= 8) {
			uint64_t w, lo, del;
			memcpy(&w, p + i, 8);
			lo = (w - 0x2020202020202020ULL) & ~w;
			del = w ^ 0x7F7F7F7F7F7F7F7FULL;
			del = (del - 0x0101010101010101ULL) & ~del;
			if ((w | lo | del) & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] >= 0x20 && p[i] < 0x7F) {
			i++;
			continue;
		}
		if (p[i] == '\n' && multiline) {
			for (j = i + 1; j < n && p[j] == ' '; j++)
				;
			if (j > i + 1 && j < n && p[j] == '\n')
				return 0; /* a line of only spaces */
			i++;
			continue;
		}
		if (p[i] < 0x80)
			return 0;
		len = utf8_decode(value + i, n - i, &cp);
		if (len == 1 || (cp >= 0x80 && cp <= 0x9F))
			return 0;
		i += (size_t)len;
	}
	return 1;
}

/* The general case of idea_normalise: checks value[0..n) and puts in tmp
 * its text with line ends made LF (multi-line fields) or refused, tabs made
 * spaces (one-line fields), and the surrounding white space trimmed. */
static int idea_clean(const struct idea_field_info *info, const char *value,
		      size_t n, struct buf *tmp, struct fai_err *err)
{
	struct buf out;
	size_t i, k, start, line = 0;

	if (utf8_check(value, n) != n)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_UTF8, info->code,
				   value);
	if (info->flags & IDEA_FF_MULTILINE) {
		/* CRLF and lone CR (Windows, old Mac files) become LF.  A
		 * line of only spaces and tabs becomes empty: the editor
		 * template cannot keep one (it reads it as a blank line). */
		for (i = 0; i < n; i++) {
			start = i;
			while (i < n && value[i] != '\r' && value[i] != '\n')
				i++;
			buf_add(tmp, value + start, i - start);
			if (i == n)
				break;
			k = line;
			while (k < tmp->len &&
			       (tmp->data[k] == ' ' || tmp->data[k] == '\t'))
				k++;
			if (k == tmp->len)
				tmp->len = line;
			buf_addc(tmp, '\n');
			line = tmp->len;
			if (value[i] == '\r' && i + 1 < n &&
			    value[i + 1] == '\n')
				i++;
		}
	} else {
		if (memchr(value, '\n', n) != NULL ||
		    memchr(value, '\r', n) != NULL)
			return fai_err_set(err, FAI_EINVAL, FAI_WHY_CONTROL,
					   info->code, value);
		buf_add(tmp, value, n);
		for (i = 0; i < tmp->len; i++)
			if (tmp->data[i] == '\t')
				tmp->data[i] = ' ';
	}
	buf_add(tmp, "", 0);
	if (utf8_has_control(tmp->data, tmp->len))
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_CONTROL, info->code,
				   value);
	buf_init(&out);
	idea_add_trimmed(&out, tmp->data, tmp->len);
	buf_reset(tmp);
	buf_add(tmp, out.data ? out.data : "", out.len);
	buf_free(&out);
	return 0;
}

/* 1 for the fields whose normal form is their cleaned text itself (the
 * default case of idea_normalise): no code, date, number nor list. */
static int idea_is_text(enum idea_field f)
{
	switch (f) {
	case IDEA_ID:
	case IDEA_REF:
	case IDEA_STAGE:
	case IDEA_STAGE_PREV:
	case IDEA_REGION:
	case IDEA_TERRITORY:
	case IDEA_SIRET:
	case IDEA_LAUNCH_DATE:
	case IDEA_CREATED_AT:
	case IDEA_UPDATED_AT:
	case IDEA_STAGE_SINCE:
	case IDEA_JOBS:
	case IDEA_REVISION:
		return 0;
	default:
		return !(idea_fields[f].flags & IDEA_FF_LIST);
	}
}

/* Puts the normalised form of value for f in out (empty means "clear").
 * Returns 0 or -FAI_EINVAL with err set. */
static int idea_normalise(enum idea_field f, const char *value, struct buf *out,
			  struct fai_err *err)
{
	const struct idea_field_info *info = &idea_fields[f];
	struct buf tmp;
	size_t n = strlen(value), i;
	int64_t t;
	unsigned char u[UUID_LEN];
	char text[ISOTIME_LEN > UUID_STR_LEN ? ISOTIME_LEN : UUID_STR_LEN];
	const char *v = value; /* the cleaned text: value itself, or tmp */
	size_t vn = n;
	enum stage st;
	int rc = 0;

	buf_init(&tmp);
	buf_reset(out);
	buf_add(out, "", 0);
	/* Anything far beyond the limit is refused before any work. */
	if (n > info->max_len * 2 + 1024) {
		if (utf8_check(value, n) != n)
			return fai_err_set(err, FAI_EINVAL, FAI_WHY_UTF8,
					   info->code, value);
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_TOO_LONG,
				   info->code, value);
	}
	buf_reserve(out, n);
	if (!idea_plain(value, n, (info->flags & IDEA_FF_MULTILINE) != 0)) {
		rc = idea_clean(info, value, n, &tmp, err);
		if (rc < 0)
			goto out_tmp;
		v = tmp.data;
		vn = tmp.len;
	}
	buf_reset(out);
	if (vn == 0)
		goto out_tmp;

	switch (f) {
	case IDEA_ID:
		if (uuid_parse(v, u) < 0) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_UUID,
					 info->code, value);
			goto out_tmp;
		}
		uuid_format(u, text);
		buf_adds(out, text);
		break;
	case IDEA_REF:
		rc = validate_ref(v, err);
		if (rc < 0)
			goto out_tmp;
		buf_add(out, v, vn);
		break;
	case IDEA_STAGE:
	case IDEA_STAGE_PREV:
		st = stage_parse(v);
		if (st == STAGE_NONE) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_STAGE,
					 info->code, value);
			goto out_tmp;
		}
		buf_adds(out, stage_code(st));
		break;
	case IDEA_REGION:
		buf_add(out, v, vn);
		for (i = 0; i < out->len; i++)
			if (out->data[i] >= 'a' && out->data[i] <= 'z')
				out->data[i] = (char)(out->data[i] - 'a' + 'A');
		rc = validate_region(out->data, err);
		if (rc < 0)
			goto out_tmp;
		break;
	case IDEA_TERRITORY:
		rc = idea_norm_territory(out, v, err);
		if (rc < 0)
			goto out_tmp;
		break;
	case IDEA_SIRET:
		/* Spaces, no-break spaces (U+00A0, U+202F) are grouping. */
		for (i = 0; i < vn; i++) {
			if (v[i] == ' ')
				continue;
			if (i + 1 < vn && memcmp(v + i, "\xC2\xA0", 2) == 0) {
				i += 1;
				continue;
			}
			if (i + 2 < vn &&
			    memcmp(v + i, "\xE2\x80\xAF", 3) == 0) {
				i += 2;
				continue;
			}
			buf_addc(out, v[i]);
		}
		rc = validate_siret(out->data, err);
		if (rc < 0) {
			/* Show the value as typed, spaces included; a
			 * spreadsheet's 7,32829E+13 lost digits for good. */
			if (err != NULL)
				fai_err_set(err, err->code,
					    sheet_is_scientific(value)
						? FAI_WHY_SCIENTIFIC
						: err->why,
					    info->code, value);
			goto out_tmp;
		}
		break;
	case IDEA_LAUNCH_DATE:
		if (isotime_check_date(v) < 0 || isotime_parse(v, &t) < 0) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_DATE,
					 info->code, value);
			goto out_tmp;
		}
		if (isotime_check_range(t) < 0) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_DATE_RANGE,
					 info->code, value);
			goto out_tmp;
		}
		buf_add(out, v, vn);
		break;
	case IDEA_CREATED_AT:
	case IDEA_UPDATED_AT:
	case IDEA_STAGE_SINCE:
		if (isotime_parse(v, &t) < 0) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_TIMESTAMP,
					 info->code, value);
			goto out_tmp;
		}
		/* Judged in UTC, after the offset: 2100-12-31T23:30-01:00
		 * is already 2101. */
		if (isotime_check_range(t) < 0) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_DATE_RANGE,
					 info->code, value);
			goto out_tmp;
		}
		isotime_format(t, text);
		buf_adds(out, text);
		break;
	case IDEA_JOBS:
	case IDEA_REVISION:
		if (idea_norm_number(out, v) < 0 || out->len > info->max_len ||
		    (f == IDEA_REVISION && out->len == 20 &&
		     strcmp(out->data, "18446744073709551615") > 0)) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_NUMBER,
					 info->code, value);
			goto out_tmp;
		}
		break;
	default:
		if (info->flags & IDEA_FF_LIST)
			idea_norm_list(out, v);
		else
			buf_add(out, v, vn);
		break;
	}
	if (out->len > info->max_len) {
		rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_TOO_LONG, info->code,
				 value);
		goto out_tmp;
	}
out_tmp:
	buf_free(&tmp);
	if (rc < 0)
		buf_reset(out);
	return rc;
}

/* The ISO form of a date a person typed in one of the French forms (the
 * value trimmed of spaces, as one-line fields are), or value itself. */
static const char *idea_typed_date(const char *value, char iso[ISODATE_LEN])
{
	char tmp[64];
	size_t n;

	while (*value == ' ' || *value == '\t')
		value++;
	n = strlen(value);
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(tmp))
		return value;
	memcpy(tmp, value, n);
	tmp[n] = '\0';
	return datefr_parse(tmp, DATEFR_TYPED, iso) == 0 ? iso : value;
}

/* Refuses a territory code (of a normal form "63113, 2A") that has the
 * shape of one but that the COG does not hold (geo.h): what a person
 * types, an import reads.  Only there: an idea stored with a code the COG
 * has since dropped (communes merge) stays readable and checks clean. */
static int idea_territory_known(const char *codes, struct fai_err *err)
{
	const char *p = codes ? codes : "";
	char code[16];
	while (*p != '\0') {
		p += strspn(p, VALIDATE_TERRITORY_SEPS);
		size_t n = strcspn(p, VALIDATE_TERRITORY_SEPS);
		if (n == 0)
			break;
		if (n >= sizeof(code))
			n = sizeof(code) - 1;
		memcpy(code, p, n);
		code[n] = '\0';
		if (!geo_territory_known(code))
			return fai_err_set(err, FAI_EINVAL, FAI_WHY_TERRITORY,
					   "territory", code);
		p += n;
	}
	return 0;
}

int idea_set(struct idea *idea, enum idea_field f, const char *value, int flags,
	     struct fai_err *err)
{
	const struct idea_field_info *info;
	const char *typed;
	char iso[ISODATE_LEN];
	struct buf out;
	int rc;

	if ((int)f < 0 || f >= IDEA_FIELD_COUNT)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_FIELD, NULL, NULL);
	info = &idea_fields[f];
	if (value == NULL)
		value = "";
	if ((info->flags & IDEA_FF_SYSTEM) && !(flags & IDEA_SET_SYSTEM))
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_READONLY,
				   info->code, value);
	typed = value;
	if (f == IDEA_LAUNCH_DATE && (flags & IDEA_SET_TYPED))
		value = idea_typed_date(value, iso);
	buf_init(&out);
	rc = idea_normalise(f, value, &out, err);
	if (rc < 0) {
		/* A typed date is named as typed, with the forms it may
		 * take. */
		if (err != NULL && f == IDEA_LAUNCH_DATE &&
		    (flags & IDEA_SET_TYPED))
			fai_err_set(err, err->code,
				    err->why == FAI_WHY_DATE
					? FAI_WHY_DATE_TYPED
					: err->why,
				    info->code, typed);
		goto out_buf;
	}
	if (out.len == 0 && (info->flags & IDEA_FF_REQUIRED)) {
		rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_REQUIRED, info->code,
				 value);
		goto out_buf;
	}
	if (f == IDEA_TERRITORY) {
		rc = idea_territory_known(out.data, err);
		if (rc < 0)
			goto out_buf;
	}
	free(idea->v[f]);
	idea->v[f] = out.len > 0 ? buf_steal(&out) : NULL;
out_buf:
	buf_free(&out);
	return rc;
}

int idea_list_add(struct idea *idea, enum idea_field f, const char *value,
		  struct fai_err *err)
{
	char *all;
	int rc;

	if ((int)f < 0 || f >= IDEA_FIELD_COUNT ||
	    !(idea_fields[f].flags & IDEA_FF_LIST))
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_FIELD,
				   (int)f >= 0 && f < IDEA_FIELD_COUNT
				       ? idea_fields[f].code
				       : NULL,
				   value);
	if (value == NULL || value[0] == '\0')
		return 0;
	all = xasprintf("%s;%s", idea_get(idea, f), value);
	rc = idea_set(idea, f, all, 0, err);
	if (rc < 0 && err != NULL)
		fai_err_set(err, err->code, err->why, err->field, value);
	free(all);
	return rc;
}

int idea_check(const struct idea *idea, struct fai_err *err)
{
	const struct idea_field_info *info;
	struct buf out;
	size_t n;
	int f, rc = 0;

	buf_init(&out);
	for (f = 0; f < IDEA_FIELD_COUNT; f++) {
		info = &idea_fields[f];
		if (idea->v[f] == NULL || idea->v[f][0] == '\0') {
			if (info->flags & IDEA_FF_REQUIRED) {
				rc = fai_err_set(err, FAI_EINVAL,
						 FAI_WHY_REQUIRED, info->code,
						 NULL);
				goto out_buf;
			}
			continue;
		}
		/* Free text that needs no cleaning is valid when short
		 * enough: no need to build its normal form. */
		n = strlen(idea->v[f]);
		if (idea_is_text((enum idea_field)f) &&
		    idea_plain(idea->v[f], n,
			       (info->flags & IDEA_FF_MULTILINE) != 0)) {
			if (n > info->max_len) {
				rc = fai_err_set(err, FAI_EINVAL,
						 FAI_WHY_TOO_LONG, info->code,
						 idea->v[f]);
				goto out_buf;
			}
			continue;
		}
		rc = idea_normalise((enum idea_field)f, idea->v[f], &out, err);
		if (rc < 0)
			goto out_buf;
		if (out.len == 0 && (info->flags & IDEA_FF_REQUIRED)) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_REQUIRED,
					 info->code, idea->v[f]);
			goto out_buf;
		}
	}
out_buf:
	buf_free(&out);
	return rc;
}

enum stage idea_stage(const struct idea *idea)
{
	return stage_parse(idea_get(idea, IDEA_STAGE));
}

/* Parses the decimal s into *n; -1 when s is not a whole number. */
static int idea_parse_u64(const char *s, uint64_t *n)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*n = v;
	return 0;
}

/* The revision a value says: 0 when empty or bad. */
static uint64_t idea_revision_of(const char *value)
{
	uint64_t n;

	if (idea_parse_u64(value, &n) < 0)
		return 0;
	return n;
}

/* The time a value says, or fallback. */
static int64_t idea_time_of(const char *value, int64_t fallback)
{
	int64_t t;

	if (isotime_parse(value, &t) < 0)
		return fallback;
	return t;
}

uint64_t idea_revision(const struct idea *idea)
{
	return idea_revision_of(idea_get(idea, IDEA_REVISION));
}

int64_t idea_time(const struct idea *idea, enum idea_field f, int64_t fallback)
{
	return idea_time_of(idea_get(idea, f), fallback);
}

enum stage idea_view_stage(const struct idea_view *view)
{
	return stage_parse(idea_view_get(view, IDEA_STAGE));
}

uint64_t idea_view_revision(const struct idea_view *view)
{
	return idea_revision_of(idea_view_get(view, IDEA_REVISION));
}

int64_t idea_view_time(const struct idea_view *view, enum idea_field f,
		       int64_t fallback)
{
	return idea_time_of(idea_view_get(view, f), fallback);
}

long idea_jobs(const struct idea *idea)
{
	uint64_t n;

	if (idea_parse_u64(idea_get(idea, IDEA_JOBS), &n) < 0 || n > 999999999)
		return -1;
	return (long)n;
}

void idea_set_u64(struct idea *idea, enum idea_field f, uint64_t n)
{
	char text[24];

	snprintf(text, sizeof(text), "%llu", (unsigned long long)n);
	idea_set_raw(idea, f, text);
}

void idea_set_time(struct idea *idea, enum idea_field f, int64_t t)
{
	char text[ISOTIME_LEN];

	isotime_format(t, text);
	idea_set_raw(idea, f, text);
}

void idea_extra_add(struct idea *idea, const char *name, const char *value,
		    unsigned pos)
{
	struct idea_extra *e;

	idea->extra =
	    xrealloc(idea->extra, (idea->nextra + 1) * sizeof(*idea->extra));
	e = &idea->extra[idea->nextra++];
	e->name = xstrdup(name ? name : "");
	e->value = xstrdup(value ? value : "");
	e->pos = pos;
}

/* Appends a change to the growing array *c of *n. */
static void idea_change_add(struct idea_change **c, size_t *n, char *name,
			    const char *before, const char *after)
{
	struct idea_change *ch;

	*c = xrealloc(*c, (*n + 1) * sizeof(**c));
	ch = &(*c)[(*n)++];
	ch->name = name;
	ch->before = before && *before ? xstrdup(before) : NULL;
	ch->after = after && *after ? xstrdup(after) : NULL;
}

static const char *idea_extra_get(const struct idea *idea, const char *name,
				  int *found)
{
	size_t i;

	for (i = 0; i < idea->nextra; i++) {
		if (strcmp(idea->extra[i].name, name) == 0) {
			*found = 1;
			return idea->extra[i].value;
		}
	}
	*found = 0;
	return "";
}

size_t idea_diff(const struct idea *a, const struct idea *b, int skip_system,
		 struct idea_change **out)
{
	struct idea_change *c = NULL;
	const char *va, *vb;
	size_t n = 0, i;
	int f, found;

	for (f = 0; f < IDEA_FIELD_COUNT; f++) {
		if (skip_system && (f == IDEA_UPDATED_AT ||
				    f == IDEA_UPDATED_BY || f == IDEA_REVISION))
			continue;
		va = idea_get(a, (enum idea_field)f);
		vb = idea_get(b, (enum idea_field)f);
		if (strcmp(va, vb) != 0)
			idea_change_add(&c, &n, xstrdup(idea_fields[f].code),
					va, vb);
	}
	for (i = 0; a != NULL && i < a->nextra; i++) {
		va = a->extra[i].value;
		vb = b != NULL ? idea_extra_get(b, a->extra[i].name, &found)
			       : "";
		if (strcmp(va, vb) != 0)
			idea_change_add(&c, &n,
					xasprintf("x:%s", a->extra[i].name), va,
					vb);
	}
	for (i = 0; b != NULL && i < b->nextra; i++) {
		if (a != NULL)
			idea_extra_get(a, b->extra[i].name, &found);
		else
			found = 0;
		if (!found && b->extra[i].value[0] != '\0')
			idea_change_add(&c, &n,
					xasprintf("x:%s", b->extra[i].name), "",
					b->extra[i].value);
	}
	*out = c;
	return n;
}

void idea_changes_free(struct idea_change *c, size_t n)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].before);
		free(c[i].after);
	}
	free(c);
}

/* The fields a search reads: every text a person wrote or reads on an idea;
 * not the codes, numbers and dates (id, stage, region, SIRET, launch date,
 * jobs, times, revision) nor the unknown columns. */
const enum idea_field idea_search_fields[] = {
    IDEA_REF,	      IDEA_TITLE,	 IDEA_NEED,  IDEA_CONCEPT,
    IDEA_SOURCE,      IDEA_PARTNERS,	 IDEA_OWNER, IDEA_STRUCTURE,
    IDEA_FACILITATOR, IDEA_TERRITORY,	 IDEA_TAGS,  IDEA_THEME,
    IDEA_LEGAL_FORM,  IDEA_STAGE_REASON,
};
const size_t idea_search_nfields =
    sizeof(idea_search_fields) / sizeof(idea_search_fields[0]);

int idea_matches_folded(const struct idea_view *idea, const char *folded,
			struct buf *scratch)
{
	size_t i;

	if (folded == NULL || folded[0] == '\0')
		return 1;
	for (i = 0; i < idea_search_nfields; i++)
		if (utf8_search_folded(idea->v[idea_search_fields[i]], folded,
				       scratch))
			return 1;
	if (scratch == NULL)
		return 0;
	buf_reset(scratch);
	idea_search_more(idea, scratch);
	return scratch->len > 0 &&
	       utf8_search_folded(scratch->data, folded, NULL);
}

void idea_search_more(const struct idea_view *idea, struct buf *out)
{
	geo_territory_text(idea->v[IDEA_TERRITORY], 0, out);
}

int idea_matches(const struct idea_view *idea, const char *text)
{
	struct buf needle, scratch;
	int found;

	if (text == NULL || text[0] == '\0')
		return 1;
	buf_init(&needle);
	buf_init(&scratch);
	utf8_fold(&needle, text);
	found = idea_matches_folded(idea, needle.data, &scratch);
	buf_free(&scratch);
	buf_free(&needle);
	return found;
}
