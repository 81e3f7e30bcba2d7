/* test_err.c - error texts, struct fai_err filling, and the allocation
 * helpers (xmalloc, struct buf) everything else builds on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/err.h"
#include "../../core/utf8.h"
#include "../../core/xmalloc.h"

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(fai_strerror(0), "success");
	assert_string_equal(fai_strerror(FAI_EINVAL), "invalid data");
	assert_string_equal(fai_strerror(-FAI_EINVAL), "invalid data");
	assert_string_equal(fai_strerror(FAI_EUSAGE), "bad usage");
	assert_string_equal(fai_strerror(-FAI_ETOOBIG), "too large");
	assert_string_equal(fai_strerror(FAI_EGATE),
			    "required fields are missing for this stage");
	assert_string_equal(fai_strerror(FAI_ERROR_END_), "unknown error");
	assert_string_equal(fai_strerror(-9999), "unknown error");
	assert_string_equal(fai_strerror(9999), "unknown error");
	/* Every code has a non-empty text. */
	for (int c = 1; c < FAI_ERROR_END_; c++) {
		assert_non_null(fai_strerror(c));
		assert_true(strlen(fai_strerror(c)) > 0);
		assert_string_equal(fai_strerror(c), fai_strerror(-c));
	}
}

static void test_why_text(void **state)
{
	(void)state;
	assert_string_equal(fai_why_text(FAI_WHY_NONE), "");
	assert_string_equal(fai_why_text(FAI_WHY_SIRET_CHECK),
			    "SIRET check digit is wrong (Luhn)");
	assert_string_equal(fai_why_text(FAI_WHY_CONFIG), "unknown setting");
	assert_string_equal(fai_why_text(-1), "");
	assert_string_equal(fai_why_text(FAI_WHY_END_), "");
	for (int w = 1; w < FAI_WHY_END_; w++)
		assert_true(strlen(fai_why_text(w)) > 0);
}

static void test_err_set_null(void **state)
{
	(void)state;
	/* A NULL err is allowed everywhere. */
	assert_int_equal(fai_err_set(NULL, FAI_EINVAL, FAI_WHY_DATE, "f", "v"),
			 -FAI_EINVAL);
	fai_err_clear(NULL);
	fai_err_detail(NULL, "%s", "x");
}

static void test_err_set_fills(void **state)
{
	struct fai_err err;

	(void)state;
	fai_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.field, "");
	err.line = 12;
	strcpy(err.file, "in.csv");
	fai_err_detail(&err, "old %d", 1);
	assert_int_equal(fai_err_set(&err, FAI_EINVAL, FAI_WHY_SIRET_CHECK,
				     "siret", "12345678901234"),
			 -FAI_EINVAL);
	assert_int_equal(err.code, FAI_EINVAL);
	assert_int_equal(err.why, FAI_WHY_SIRET_CHECK);
	assert_string_equal(err.field, "siret");
	assert_string_equal(err.value, "12345678901234");
	/* detail is reset; file and line stay for the caller that set them. */
	assert_string_equal(err.detail, "");
	assert_int_equal(err.line, 12);
	assert_string_equal(err.file, "in.csv");
	/* A negative code is accepted too. */
	assert_int_equal(fai_err_set(&err, -FAI_EGATE, 0, NULL, NULL),
			 -FAI_EGATE);
	assert_int_equal(err.code, FAI_EGATE);
	assert_string_equal(err.field, "");
	assert_string_equal(err.value, "");
	fai_err_detail(&err, "need %s", "territory");
	assert_string_equal(err.detail, "need territory");
	fai_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.file, "");
}

static void test_err_set_cuts_utf8(void **state)
{
	struct fai_err err;
	char big[1000];
	size_t n;

	(void)state;
	/* 1 ASCII byte then "é" (2 bytes) repeated: 255 bytes would end in
	 * the middle of an "é". */
	big[0] = 'x';
	for (n = 1; n + 2 < sizeof(big); n += 2)
		memcpy(big + n, "\xC3\xA9", 2);
	big[n] = '\0';
	fai_err_set(&err, FAI_EINVAL, FAI_WHY_TOO_LONG, big, big);
	n = strlen(err.value);
	assert_true(n < sizeof(err.value));
	assert_true(n >= sizeof(err.value) - 4);
	assert_int_equal(utf8_check(err.value, n), n);
	assert_int_equal(memcmp(err.value, big, n), 0);
	n = strlen(err.field);
	assert_true(n < sizeof(err.field));
	assert_int_equal(utf8_check(err.field, n), n);
	/* 4-byte sequences: still cut on a boundary. */
	for (n = 0; n + 4 < sizeof(big); n += 4)
		memcpy(big + n, "\xF0\x9F\x9A\x80", 4);
	big[n] = '\0';
	fai_err_set(&err, FAI_EINVAL, 0, NULL, big);
	n = strlen(err.value);
	assert_int_equal(n % 4, 0);
	assert_int_equal(n, 252);
	assert_int_equal(utf8_check(err.value, n), n);
	/* Exactly 255 bytes fit whole. */
	memset(big, 'a', 255);
	big[255] = '\0';
	fai_err_set(&err, FAI_EINVAL, 0, NULL, big);
	assert_int_equal(strlen(err.value), 255);
	big[255] = 'b';
	big[256] = '\0';
	fai_err_set(&err, FAI_EINVAL, 0, NULL, big);
	assert_int_equal(strlen(err.value), 255);
	/* Setting from its own field (as a layer above may) is safe. */
	strcpy(err.field, "title");
	fai_err_set(&err, FAI_EINVAL, 0, err.field, "v");
	assert_string_equal(err.field, "title");
}

static void test_err_detail_cut(void **state)
{
	struct fai_err err;
	char big[2000];

	(void)state;
	memset(big, 'd', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fai_err_clear(&err);
	fai_err_detail(&err, "%s", big);
	assert_int_equal(strlen(err.detail), sizeof(err.detail) - 1);
}

/* The typed facts: set by their helpers, kept by what does not concern
 * them, reset by a new failure (fai_err_set) and by fai_err_clear; file and
 * line stay for the layer that knows them. */
static void test_err_typed_facts(void **state)
{
	struct fai_err err;
	char longpath[400];

	(void)state;
	fai_err_clear(&err);
	assert_int_equal(err.about, FAI_ABOUT_NONE);
	assert_int_equal(err.stage, -1);
	assert_int_equal(err.stage_from, -1);
	assert_true(err.missing == 0 && err.count == 0 && err.limit == 0);

	/* NULL is accepted by every helper */
	fai_err_about(NULL, FAI_ABOUT_FILE);
	fai_err_conflict(NULL, 1, 2, "bob");
	fai_err_stage(NULL, 1, 0);
	fai_err_path(NULL, "/x");
	assert_int_equal(fai_err_set_about(NULL, FAI_EIO, FAI_WHY_NONE,
					   FAI_ABOUT_FILE, "file", "x"),
			 -FAI_EIO);

	/* a conflict */
	assert_int_equal(fai_err_set(&err, FAI_ECONFLICT, FAI_WHY_NONE,
				     "revision", "84-0042"),
			 -FAI_ECONFLICT);
	fai_err_conflict(&err, 3, 5, "bob");
	assert_true(err.rev_had == 3);
	assert_true(err.rev_found == 5);
	assert_string_equal(err.by, "bob");
	assert_string_equal(err.value, "84-0042");
	assert_string_equal(err.detail, "");
	fai_err_conflict(&err, 3, 5, NULL);
	assert_string_equal(err.by, "");

	/* a gate */
	fai_err_set(&err, FAI_EGATE, FAI_WHY_NONE, "stage", "concept");
	assert_true(err.rev_had == 0 && err.rev_found == 0);
	fai_err_stage(&err, 1, 0);
	err.missing = (UINT64_C(1) << 6) | (UINT64_C(1) << 9);
	assert_int_equal(err.stage, 1);
	assert_int_equal(err.stage_from, 0);

	/* a header: the new failure resets the gate's facts */
	err.line = 7;
	snprintf(err.file, sizeof(err.file), "%s", "in.csv");
	assert_int_equal(fai_err_set_about(&err, FAI_EINVAL, FAI_WHY_DUP_COLUMN,
					   FAI_ABOUT_HEADER, "header", "Note"),
			 -FAI_EINVAL);
	assert_int_equal(err.about, FAI_ABOUT_HEADER);
	assert_int_equal(err.stage, -1);
	assert_int_equal(err.stage_from, -1);
	assert_true(err.missing == 0);
	assert_int_equal(err.line, 7);
	assert_string_equal(err.file, "in.csv");
	err.column = 3;
	err.column2 = 4;

	/* a path, cut to fit at a UTF-8 boundary */
	memset(longpath, 'a', sizeof(longpath));
	longpath[sizeof(longpath) - 1] = '\0';
	fai_err_path(&err, longpath);
	assert_int_equal(strlen(err.path), sizeof(err.path) - 1);
	fai_err_about(&err, FAI_ABOUT_DIRECTORY);
	assert_int_equal(err.about, FAI_ABOUT_DIRECTORY);
	assert_int_equal(err.column, 3); /* kept by what does not concern it */

	/* a plain fai_err_set resets every fact */
	err.count = 9;
	err.limit = 8;
	err.sys_errno = 28;
	err.file_kind = FAI_FILE_KIND_FIFO;
	err.line2 = 2;
	fai_err_set(&err, FAI_EINVAL, FAI_WHY_UTF8, NULL, NULL);
	assert_int_equal(err.about, FAI_ABOUT_NONE);
	assert_int_equal(err.column, 0);
	assert_int_equal(err.column2, 0);
	assert_int_equal(err.line2, 0);
	assert_true(err.count == 0 && err.limit == 0);
	assert_int_equal(err.sys_errno, 0);
	assert_int_equal(err.file_kind, 0);
	assert_string_equal(err.path, "");
	assert_int_equal(err.line, 7);

	/* and fai_err_clear every field */
	err.missing = 1;
	fai_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.file, "");
	assert_true(err.missing == 0);
	assert_int_equal(err.stage, -1);
}

/* Every reason has a text, and the reasons that replaced English details
 * in store/ have theirs. */
static void test_why_texts_of_new_reasons(void **state)
{
	(void)state;
	assert_string_equal(fai_why_text(FAI_WHY_ENCODING),
			    "neither UTF-8 nor Windows-1252");
	assert_string_equal(fai_why_text(FAI_WHY_NUMBER_SMALL),
			    "the number is too small");
	for (int w = 1; w < FAI_WHY_END_; w++)
		assert_true(strlen(fai_why_text(w)) > 0);
}

static void test_xmalloc(void **state)
{
	char *s;
	int *z;

	(void)state;
	assert_null(xstrdup(NULL));
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
	s = xstrdup("Élevé");
	assert_string_equal(s, "Élevé");
	free(s);
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("ab", 0);
	assert_string_equal(s, "");
	free(s);
	s = xasprintf("%s-%04d", "84", 42);
	assert_string_equal(s, "84-0042");
	free(s);
	s = xasprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
	z = xcalloc(16, sizeof(int));
	for (int i = 0; i < 16; i++)
		assert_int_equal(z[i], 0);
	z = xrealloc(z, 1000 * sizeof(int));
	z[999] = 7;
	assert_int_equal(z[0], 0);
	free(z);
	free(xmalloc(0));
	free(xcalloc(0, 0));
}

static void test_buf(void **state)
{
	struct buf b;
	char *s;
	size_t i;

	(void)state;
	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	/* Stealing an empty buffer gives an empty string, not NULL. */
	s = buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
	buf_free(NULL);
	buf_free(&b);

	buf_add(&b, "", 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_adds(&b, "ab");
	buf_addc(&b, 'c');
	buf_add(&b, "dexx", 2);
	buf_printf(&b, "-%d-%s", 42, "é");
	assert_string_equal(b.data, "abcde-42-é");
	assert_int_equal(b.len, strlen("abcde-42-é"));
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	/* Growth over many small adds keeps every byte. */
	for (i = 0; i < 100000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_int_equal(b.data[b.len], '\0');
	/* A big printf. */
	buf_reset(&b);
	buf_printf(&b, "%5000s|", "x");
	assert_int_equal(b.len, 5001);
	assert_int_equal(b.data[5000], '|');
	s = buf_steal(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(strlen(s), 5001);
	free(s);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_err_set_null),
	    cmocka_unit_test(test_strerror),
	    cmocka_unit_test(test_why_text),
	    cmocka_unit_test(test_err_set_fills),
	    cmocka_unit_test(test_err_set_cuts_utf8),
	    cmocka_unit_test(test_err_detail_cut),
	    cmocka_unit_test(test_err_typed_facts),
	    cmocka_unit_test(test_why_texts_of_new_reasons),
	    cmocka_unit_test(test_xmalloc),
	    cmocka_unit_test(test_buf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
