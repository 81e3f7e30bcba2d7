/* fuzz_validate.c - fuzzes the code checkers of core/ on arbitrary bytes:
 * validate_region, validate_territory, validate_siret (against our own
 * Luhn and zero rule), validate_number (against 128-bit arithmetic),
 * validate_ref, validate_ref_format, uuid_parse (a UUID it accepts
 * formats back to the same text, lower-cased), stage_parse and
 * idea_field_parse (what they accept names a stage or field that parses
 * back to itself), and the fai_err they fill (always NUL-terminated). */
#include "fuzz.h"

#include <ctype.h>

#include "../../core/err.h"
#include "../../core/idea.h"
#include "../../core/stage.h"
#include "../../core/uuid.h"
#include "../../core/validate.h"

static void fuzz_err_ok(const struct fai_err *e)
{
	FUZZ_CHECK(memchr(e->field, 0, sizeof(e->field)) &&
		       memchr(e->value, 0, sizeof(e->value)) &&
		       memchr(e->detail, 0, sizeof(e->detail)),
		   "fai_err left unterminated");
}

static int fuzz_luhn(const char *s)
{
	int sum = 0, digits = 0;
	if (strlen(s) != 14)
		return 0;
	for (int i = 0; i < 14; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		int d = s[i] - '0';
		digits += d;
		if (i % 2 == 0) { /* from the right: 14th digit not doubled */
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	/* A SIREN or a NIC of zeros is no establishment. */
	if (strncmp(s, "000000000", 9) == 0 || strcmp(s + 9, "00000") == 0)
		return 0;
	if (sum % 10 == 0)
		return 1;
	return strncmp(s, "356000000", 9) == 0 && digits % 5 == 0;
}

/* Reference for validate_number: digits only, value in [min, max], in
 * 128-bit arithmetic (no overflow below 39 digits). */
static int fuzz_number(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned __int128 v = 0;
	size_t i;
	int big = 0;
	if (*s == '\0')
		return -1;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (unsigned __int128)UINT64_MAX)
			big = 1;
		else
			v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (big || v > max)
		return -2;
	if (v < min)
		return -3;
	*out = (uint64_t)v;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct fai_err err;
	unsigned char u[UUID_LEN];
	char text[UUID_STR_LEN], ref[32];
	int rc;

	memset(&err, 0x55, sizeof(err));
	fai_err_clear(&err);

	rc = validate_region(s, &err);
	fuzz_err_ok(&err);
	FUZZ_CHECK((rc == 0) == (validate_region_name(s) != NULL), "region %s",
		   s);
	FUZZ_CHECK(rc != 0 || strlen(s) == 2, "region %s", s);

	rc = validate_territory(s, &err);
	fuzz_err_ok(&err);
	FUZZ_CHECK(rc == 0 || rc == -FAI_EINVAL, "territory rc %d", rc);

	rc = validate_siret(s, &err);
	fuzz_err_ok(&err);
	FUZZ_CHECK((rc == 0) == fuzz_luhn(s), "siret %s: %d", s, rc);

	{
		uint64_t bounds[] = {0, 1, 30, 999999999, UINT64_MAX};
		uint64_t lo = bounds[size ? data[0] % 3 : 0];
		uint64_t hi = bounds[size > 1 ? 2 + data[1] % 3 : 4];
		uint64_t got = 7, want = 7;
		int ref_rc = fuzz_number(s, lo, hi, &want);
		rc = validate_number(s, lo, hi, &got, &err);
		fuzz_err_ok(&err);
		FUZZ_CHECK((rc == 0) == (ref_rc == 0), "number %s: %d", s, rc);
		FUZZ_CHECK(rc != 0 || got == want, "number %s: value", s);
		FUZZ_CHECK(rc == 0 || got == 7, "number %s: *out touched", s);
		FUZZ_CHECK(rc == 0 || err.why == (ref_rc == -1 ? FAI_WHY_NUMBER
						  : ref_rc == -2
						      ? FAI_WHY_NUMBER_RANGE
						      : FAI_WHY_NUMBER_SMALL),
			   "number %s: why %d", s, err.why);
	}

	rc = validate_ref(s, &err);
	fuzz_err_ok(&err);
	if (rc == 0) {
		unsigned long n = strtoul(s + 3, NULL, 10);
		char region[3] = {s[0], s[1], 0};
		FUZZ_CHECK(validate_region_name(region) != NULL, "ref %s", s);
		validate_ref_format(ref, sizeof(ref), region, n);
		FUZZ_CHECK(validate_ref(ref, NULL) == 0, "ref %s -> %s", s,
			   ref);
	}
	if (size >= 4) {
		size_t cap = data[0] % sizeof(ref) + 1;
		unsigned long n = ((unsigned long)data[1] << 16) |
				  ((unsigned long)data[2] << 8) | data[3];
		memset(ref, 0x55, sizeof(ref));
		validate_ref_format(ref, cap, s + 4, n);
		FUZZ_CHECK(memchr(ref, 0, cap) != NULL, "ref_format overran");
		FUZZ_CHECK(ref[sizeof(ref) - 1] == 0x55 || cap == sizeof(ref),
			   "ref_format wrote past its size");
	}

	if (uuid_parse(s, u) == 0) {
		uuid_format(u, text);
		FUZZ_CHECK(strlen(s) == UUID_STR_LEN - 1, "uuid %s", s);
		for (size_t i = 0; i < UUID_STR_LEN - 1; i++)
			FUZZ_CHECK(text[i] == tolower((unsigned char)s[i]),
				   "uuid %s -> %s", s, text);
	}

	enum stage st = stage_parse(s);
	if (st != STAGE_NONE) {
		FUZZ_CHECK((int)st >= 0 && st < STAGE_COUNT, "stage %d", st);
		FUZZ_CHECK(stage_parse(stage_code(st)) == st, "stage %s", s);
	}
	(void)stage_label(st);

	int f = idea_field_parse(s);
	if (f >= 0) {
		FUZZ_CHECK(f < IDEA_FIELD_COUNT, "field %d", f);
		FUZZ_CHECK(idea_field_parse(idea_field_info(f)->code) == f,
			   "field %s", s);
	}
	free(s);
	return 0;
}
