/* validate.c - checks of the French administrative codes an idea carries:
 * the 18 INSEE region codes (2016) and their names, département and commune
 * codes, SIRET numbers (Luhn, with La Poste's exception, never a SIREN or a
 * NIC of zeros) and the short references "RR-NNNN" built from a region code
 * and a number; and the one parser of the whole numbers of the command line
 * (digits only, bounded, never overflowing). */
#include "validate.h"

#include <stdio.h>
#include <string.h>

/* The regions in code order.  Source: INSEE, Code officiel géographique,
 * regions since 1 January 2016 (https://www.insee.fr/fr/information/2560452).
 */
static const struct {
	const char *code;
	const char *name;
} validate_regions[] = {
    {"01", "Guadeloupe"},
    {"02", "Martinique"},
    {"03", "Guyane"},
    {"04", "La Réunion"},
    {"06", "Mayotte"},
    {"11", "Île-de-France"},
    {"24", "Centre-Val de Loire"},
    {"27", "Bourgogne-Franche-Comté"},
    {"28", "Normandie"},
    {"32", "Hauts-de-France"},
    {"44", "Grand Est"},
    {"52", "Pays de la Loire"},
    {"53", "Bretagne"},
    {"75", "Nouvelle-Aquitaine"},
    {"76", "Occitanie"},
    {"84", "Auvergne-Rhône-Alpes"},
    {"93", "Provence-Alpes-Côte d'Azur"},
    {"94", "Corse"},
};

#define VALIDATE_NREGIONS                                                      \
	(sizeof(validate_regions) / sizeof(validate_regions[0]))

static int validate_digit(char c)
{
	return c >= '0' && c <= '9';
}

const char *validate_region_at(size_t i, const char **name)
{
	if (i >= VALIDATE_NREGIONS)
		return NULL;
	if (name)
		*name = validate_regions[i].name;
	return validate_regions[i].code;
}

const char *validate_region_name(const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < VALIDATE_NREGIONS; i++)
		if (strcmp(code, validate_regions[i].code) == 0)
			return validate_regions[i].name;
	return NULL;
}

int validate_region(const char *s, struct fai_err *err)
{
	if (validate_region_name(s) == NULL)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_REGION, "region",
				   s);
	return 0;
}

/* 1 when the two characters at s are a metropolitan département: 01-19,
 * 21-95, 2A, 2B (either case). */
static int validate_dept2(const char *s)
{
	int n;

	if (s[0] == '2' &&
	    (s[1] == 'A' || s[1] == 'a' || s[1] == 'B' || s[1] == 'b'))
		return 1;
	if (!validate_digit(s[0]) || !validate_digit(s[1]))
		return 0;
	n = (s[0] - '0') * 10 + (s[1] - '0');
	return n >= 1 && n <= 95 && n != 20;
}

/* 1 when the three characters at s are an overseas département 971-976. */
static int validate_dept3(const char *s)
{
	return s[0] == '9' && s[1] == '7' && s[2] >= '1' && s[2] <= '6';
}

/* 1 when s[0..n) is a département or a commune code. */
static int validate_territory_code(const char *s, size_t n)
{
	if (n == 2)
		return validate_dept2(s);
	if (n == 3)
		return validate_dept3(s);
	if (n != 5)
		return 0;
	if (validate_dept3(s))
		return validate_digit(s[3]) && validate_digit(s[4]);
	return validate_dept2(s) && validate_digit(s[2]) &&
	       validate_digit(s[3]) && validate_digit(s[4]);
}

static int validate_territory_sep(char c)
{
	return c != '\0' && strchr(VALIDATE_TERRITORY_SEPS, c) != NULL;
}

int validate_territory(const char *s, struct fai_err *err)
{
	char code[16];
	size_t i = 0, start, n, count = 0;

	if (s == NULL)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_TERRITORY,
				   "territory", NULL);
	while (s[i] != '\0') {
		while (validate_territory_sep(s[i]))
			i++;
		if (s[i] == '\0')
			break;
		start = i;
		while (s[i] != '\0' && !validate_territory_sep(s[i]))
			i++;
		n = i - start;
		if (!validate_territory_code(s + start, n)) {
			if (n >= sizeof(code))
				n = sizeof(code) - 1;
			memcpy(code, s + start, n);
			code[n] = '\0';
			return fai_err_set(err, FAI_EINVAL, FAI_WHY_TERRITORY,
					   "territory", code);
		}
		count++;
	}
	if (count == 0)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_TERRITORY,
				   "territory", s);
	return 0;
}

int validate_siret(const char *s, struct fai_err *err)
{
	int i, d, sum = 0, digits = 0;

	if (s == NULL || strlen(s) != 14)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_SIRET_FORMAT,
				   "siret", s);
	for (i = 0; i < 14; i++)
		if (!validate_digit(s[i]))
			return fai_err_set(err, FAI_EINVAL,
					   FAI_WHY_SIRET_FORMAT, "siret", s);
	/* No company has the SIREN 000000000 and no establishment the NIC
	 * 00000, yet 00000000000000 passes Luhn: a placeholder, not a SIRET. */
	if (strncmp(s, "000000000", 9) == 0 || strcmp(s + 9, "00000") == 0)
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_SIRET_ZERO, "siret",
				   s);
	/* Luhn: from the right, every second digit doubled. */
	for (i = 13; i >= 0; i--) {
		d = s[i] - '0';
		digits += d;
		if ((13 - i) % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	if (sum % 10 == 0)
		return 0;
	/* La Poste has more establishments than Luhn leaves room for: its
	 * SIRETs only need a digit sum that is a multiple of 5. */
	if (strncmp(s, "356000000", 9) == 0 && digits % 5 == 0)
		return 0;
	return fai_err_set(err, FAI_EINVAL, FAI_WHY_SIRET_CHECK, "siret", s);
}

int validate_number(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		    struct fai_err *err)
{
	uint64_t v = 0;
	size_t i;
	int over = 0;

	if (s == NULL || s[0] == '\0')
		return fai_err_set(err, FAI_EINVAL, FAI_WHY_NUMBER, NULL, s);
	for (i = 0; s[i] != '\0'; i++) {
		if (!validate_digit(s[i]))
			return fai_err_set(err, FAI_EINVAL, FAI_WHY_NUMBER,
					   NULL, s);
		/* Keeps reading after an overflow: "99…9x" is no number. */
		if (over || v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			over = 1;
		else
			v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (over || v > max) {
		fai_err_set(err, FAI_EINVAL, FAI_WHY_NUMBER_RANGE, NULL, s);
		if (err != NULL)
			err->limit = max;
		return -FAI_EINVAL;
	}
	if (v < min) {
		fai_err_set(err, FAI_EINVAL, FAI_WHY_NUMBER_SMALL, NULL, s);
		if (err != NULL)
			err->limit = min;
		return -FAI_EINVAL;
	}
	*out = v;
	return 0;
}

int validate_ref(const char *s, struct fai_err *err)
{
	char region[3];
	size_t n;

	if (s == NULL || strlen(s) < 7 || s[2] != '-')
		goto bad;
	memcpy(region, s, 2);
	region[2] = '\0';
	if (validate_region_name(region) == NULL)
		goto bad;
	n = strspn(s + 3, "0123456789");
	/* At least four digits, at most what an unsigned long of 32 bits
	 * holds without doubt. */
	if (n < 4 || n > 9 || s[3 + n] != '\0')
		goto bad;
	return 0;
bad:
	return fai_err_set(err, FAI_EINVAL, FAI_WHY_REF, "ref", s);
}

void validate_ref_format(char *out, size_t size, const char *region,
			 unsigned long n)
{
	snprintf(out, size, "%s-%04lu", region ? region : "", n);
}
