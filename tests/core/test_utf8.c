/* test_utf8.c - strict decoding, cell widths, fitting, search folding and
 * the display-safe form that keeps stored text from driving a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wchar.h>

#include <cmocka.h>

#include "../../core/utf8.h"

/* Returns utf8_safe of s[0..n) as a heap string. */
static char *safe(const char *s, size_t n, int flags)
{
	struct buf b;

	buf_init(&b);
	utf8_safe(&b, s, n, flags);
	return buf_steal(&b);
}

static char *fold(const char *s)
{
	struct buf b;

	buf_init(&b);
	utf8_fold(&b, s);
	return buf_steal(&b);
}

static char *fit(const char *s, size_t width, size_t *used)
{
	struct buf b;

	buf_init(&b);
	*used = utf8_fit(&b, s, width);
	return buf_steal(&b);
}

#define CHECK(s) utf8_check((s), sizeof(s) - 1)

static void test_check_degenerate(void **state)
{
	(void)state;
	assert_int_equal(utf8_check("", 0), 0);
	assert_int_equal(utf8_check(NULL, 0), 0);
	assert_int_equal(CHECK("plain ascii"), 11);
	assert_int_equal(CHECK("Élevé 漢 🚀"), sizeof("Élevé 漢 🚀") - 1);
	/* An embedded NUL is valid UTF-8 (it is a control, see below). */
	assert_int_equal(CHECK("a\0b"), 3);
}

static void test_check_invalid(void **state)
{
	(void)state;
	/* Overlongs. */
	assert_int_equal(CHECK("a\xC0\x80"), 1);
	assert_int_equal(CHECK("\xC1\xBF"), 0);
	assert_int_equal(CHECK("\xE0\x80\xAF"), 0);
	assert_int_equal(CHECK("\xE0\x9F\xBF"), 0);
	assert_int_equal(CHECK("\xF0\x80\x80\xAF"), 0);
	assert_int_equal(CHECK("\xF0\x8F\xBF\xBF"), 0);
	/* Surrogates. */
	assert_int_equal(CHECK("ok\xED\xA0\x80"), 2);
	assert_int_equal(CHECK("\xED\xBF\xBF"), 0);
	/* Beyond U+10FFFF. */
	assert_int_equal(CHECK("\xF4\x90\x80\x80"), 0);
	assert_int_equal(CHECK("\xF5\x80\x80\x80"), 0);
	assert_int_equal(CHECK("\xFF"), 0);
	assert_int_equal(CHECK("\xFE"), 0);
	/* Lone continuation, truncated sequences. */
	assert_int_equal(CHECK("ab\x80"), 2);
	assert_int_equal(CHECK("\xC3"), 0);
	assert_int_equal(CHECK("x\xE6\xBC"), 1);
	assert_int_equal(CHECK("\xF0\x9F\x9A"), 0);
	assert_int_equal(CHECK("\xC3\x28"), 0);
	/* Limits that are valid. */
	assert_int_equal(CHECK("\xF4\x8F\xBF\xBF"), 4);
	assert_int_equal(CHECK("\xED\x9F\xBF"), 3);
	assert_int_equal(CHECK("\xEE\x80\x80"), 3);
	assert_int_equal(CHECK("\xC2\x80"), 2);
	/* n bounds the check: a sequence cut by n is invalid. */
	assert_int_equal(utf8_check("\xC3\xA9", 1), 0);
}

static void test_decode(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("\xE6\xBC\xA2", 3, &cp), 3);
	assert_int_equal(cp, 0x6F22);
	assert_int_equal(utf8_decode("\xF0\x9F\x9A\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F680);
	assert_int_equal(utf8_decode("\xF0\x9F\x9A\x80", 3, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
}

static void test_encode(void **state)
{
	static const uint32_t cps[] = {
	    0,	    'a',    0x7F,   0x80,    0xE9,    0x7FF,   0x800,
	    0x2026, 0xFFFD, 0xFFFF, 0x10000, 0x1F680, 0x10FFFF};
	struct buf b;
	uint32_t cp;
	size_t i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		buf_reset(&b);
		utf8_encode(&b, cps[i]);
		assert_int_equal(utf8_check(b.data, b.len), b.len);
		assert_int_equal(utf8_decode(b.data, b.len, &cp), (int)b.len);
		assert_int_equal(cp, cps[i]);
	}
	buf_reset(&b);
	utf8_encode(&b, 0xE9);
	assert_string_equal(b.data, "é");
	/* Surrogates and values past U+10FFFF are never encoded. */
	buf_reset(&b);
	utf8_encode(&b, 0xD800);
	assert_string_equal(b.data, "\xEF\xBF\xBD");
	buf_reset(&b);
	utf8_encode(&b, 0x110000);
	assert_string_equal(b.data, "\xEF\xBF\xBD");
	buf_free(&b);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("é"), 1);
	assert_int_equal(utf8_width("Élevé"), 5);
	assert_int_equal(utf8_width("漢"), 2);
	assert_int_equal(utf8_width("漢字"), 4);
	assert_int_equal(utf8_width("🚀"), 2);
	assert_int_equal(utf8_width("한"), 2);
	assert_int_equal(utf8_width("ｱ"), 1);  /* halfwidth katakana */
	assert_int_equal(utf8_width("Ａ"), 2); /* fullwidth A */
	/* e + COMBINING ACUTE ACCENT is one cell. */
	assert_int_equal(utf8_width("e\xCC\x81"), 1);
	assert_int_equal(utf8_width("\xE2\x80\x8B"), 0); /* ZWSP */
	assert_int_equal(utf8_width("\xEF\xB8\x8F"), 0); /* VS16 */
	assert_int_equal(utf8_width("…"), 1);
	/* The width of what is printed: a control is shown as its picture
	 * (ESC as ␛, 1 cell); invalid bytes as U+FFFD, 1 cell. */
	assert_int_equal(utf8_width("a\x1b[2Jb"), 6);
	assert_int_equal(utf8_width("a\xE2\x80\xAE"), 9); /* a<U+202E> */
	assert_int_equal(utf8_width("\xFF\xFE"), 2);
	assert_int_equal(utf8_cp_width(0), 0);
	assert_int_equal(utf8_cp_width(0x9B), 0);
	assert_int_equal(utf8_cp_width(0x7F), 0);
	assert_int_equal(utf8_cp_width(0x300), 0);
	assert_int_equal(utf8_cp_width(0x20D0), 0);
	assert_int_equal(utf8_cp_width(0x1100), 2);
	assert_int_equal(utf8_cp_width(0x1160), 0); /* Hangul medial */
	assert_int_equal(utf8_cp_width(0x4E00), 2);
	assert_int_equal(utf8_cp_width(0x9FFF), 2);
	assert_int_equal(utf8_cp_width(0x1F64F), 2);
	assert_int_equal(utf8_cp_width(0x1F650), 1);
	assert_int_equal(utf8_cp_width(0x20000), 2);
	assert_int_equal(utf8_cp_width(0x3134A), 2); /* CJK ext. G */
	/* Unassigned: the C library gives it no width; it is shown as
	 * U+FFFD (1 cell). */
	assert_int_equal(utf8_cp_width(0x3FFFD), 1);
	assert_int_equal(utf8_width("\xF0\xBF\xBF\xBD"), 1);
	assert_int_equal(utf8_cp_width(0x10FFFF), 1);
}

/* Returns the lines of utf8_wrap(s, width) joined with "|". */
static char *wrap(const char *s, size_t width)
{
	struct buf b;
	size_t at = 0, next, len, n = strlen(s);
	int lines = 0;

	buf_init(&b);
	buf_adds(&b, "");
	while (at < n && lines < 100) {
		len = utf8_wrap(s + at, width, &next);
		if (lines++)
			buf_adds(&b, "|");
		buf_add(&b, s + at, len);
		assert_true(next > 0);
		at += next;
	}
	return buf_steal(&b);
}

/* utf8_wrap: degenerate input first, then French text broken at spaces by
 * display width (accents one cell, wide characters two), words longer than
 * the width cut, marks never parted from their base. */
/* French spacing binds: a line never starts with the space before : ; !
 * ? or », nor ends on « and its space (the message wrapped on the board). */
static void test_wrap_keeps_french_spacing(void **state)
{
	(void)state;
	size_t next;
	/* "aaaa bb : cc" at 8: not "aaaa bb" then ": cc" */
	const char *s = "aaaa bb : cc";
	size_t len = utf8_wrap(s, 8, &next);
	assert_int_equal(len, 4);
	assert_string_equal(s + next, "bb : cc");
	/* "« mot » fin" at 5: not "«" alone, nor "mot" then "» fin" */
	s = "xx « mot » fin";
	len = utf8_wrap(s, 6, &next);
	assert_int_equal(len, 2);
	assert_string_equal(s + next, "« mot » fin");
	/* a ':' glued to a word is no mark of its own: "a b:c" breaks */
	s = "aaaa b:c";
	len = utf8_wrap(s, 5, &next);
	assert_int_equal(len, 4);
	assert_string_equal(s + next, "b:c");
}

static void test_wrap_by_display_width(void **state)
{
	size_t next;
	char *s;

	(void)state;
	assert_int_equal(utf8_wrap("", 10, &next), 0);
	assert_int_equal(next, 0);
	assert_int_equal(utf8_wrap("abc", 0, &next), 1); /* still moves */
	assert_int_equal(next, 1);
	s = wrap("colonne précédente / suivante", 12);
	assert_string_equal(s, "colonne|précédente /|suivante");
	free(s);
	s = wrap("étape précédente", 16);
	assert_string_equal(s, "étape précédente");
	free(s);
	s = wrap("étape précédente", 15);
	assert_string_equal(s, "étape|précédente");
	free(s);
	s = wrap("anticonstitutionnellement", 10);
	assert_string_equal(s, "anticonsti|tutionnell|ement");
	free(s);
	s = wrap("un  deux   trois", 5);
	assert_string_equal(s, "un|deux|trois");
	free(s);
	s = wrap("ligne un\nligne deux", 40);
	assert_string_equal(s, "ligne un|ligne deux");
	free(s);
	s = wrap("漢字漢字 ab", 5);
	assert_string_equal(s, "漢字|漢字|ab");
	free(s);
	s = wrap("e\xcc\x81"
		 "e\xcc\x81"
		 "e\xcc\x81",
		 2); /* é as e + U+0301 */
	assert_string_equal(s, "e\xcc\x81"
			       "e\xcc\x81|e\xcc\x81");
	free(s);
	s = wrap("漢", 1); /* a wide character in one cell: still moves on */
	assert_string_equal(s, "漢");
	free(s);
}

static char *console(const char *s)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "");
	utf8_console(&b, s, strlen(s));
	return buf_steal(&b);
}

/* utf8_console: what the Linux console's font lacks becomes ASCII (⚑, …,
 * emoji, CJK), French letters, quotes, arrows and box drawing stay. */
static void test_console_falls_back_to_ascii(void **state)
{
	char *s;

	(void)state;
	s = console("");
	assert_string_equal(s, "");
	free(s);
	s = console("Élevé à l’Haÿ-les-Roses, œuvre « été » ← ↑ → ↓ │─┌");
	assert_string_equal(
	    s, "Élevé à l’Haÿ-les-Roses, œuvre « été » ← ↑ → ↓ │─┌");
	free(s);
	s = console("84-0006 ⚑ 12j Tiers-lieu…");
	assert_string_equal(s, "84-0006 ! 12j Tiers-lieu...");
	free(s);
	s = console("Repair café 🔧 itinérant 漢字 ≠ x");
	assert_string_equal(s, "Repair café ? itinérant ?? != x");
	free(s);
	s = console("e\xcc\x81t\xc3\xa9\nligne"); /* a mark dropped, \n kept */
	assert_string_equal(s, "et\xc3\xa9\nligne");
	free(s);
	s = console("\xe2\x90\x9b[2J"); /* the control picture ␛ */
	assert_string_equal(s, "?[2J");
	free(s);
}

static void test_fit(void **state)
{
	size_t used;
	char *s;

	(void)state;
	s = fit("", 10, &used);
	assert_string_equal(s, "");
	assert_int_equal(used, 0);
	free(s);
	s = fit("hello", 0, &used);
	assert_string_equal(s, "");
	assert_int_equal(used, 0);
	free(s);
	s = fit("hello", 10, &used);
	assert_string_equal(s, "hello");
	assert_int_equal(used, 5);
	free(s);
	s = fit("hello", 5, &used);
	assert_string_equal(s, "hello");
	assert_int_equal(used, 5);
	free(s);
	s = fit("hello world", 5, &used);
	assert_string_equal(s, "hell…");
	assert_int_equal(used, 5);
	free(s);
	s = fit("hello", 1, &used);
	assert_string_equal(s, "…");
	assert_int_equal(used, 1);
	free(s);
	s = fit("Élevé à Lyon", 6, &used);
	assert_string_equal(s, "Élevé…");
	assert_int_equal(used, 6);
	free(s);
	/* A wide character never straddles the limit. */
	s = fit("漢字漢字", 5, &used);
	assert_string_equal(s, "漢字…");
	assert_int_equal(used, 5);
	free(s);
	s = fit("漢字漢字", 4, &used);
	assert_string_equal(s, "漢…");
	assert_int_equal(used, 3);
	free(s);
	s = fit("🚀🚀🚀", 2, &used);
	assert_string_equal(s, "…");
	assert_int_equal(used, 1);
	free(s);
	/* Combining marks stay with their letter. */
	s = fit("e\xCC\x81"
		"e\xCC\x81"
		"e\xCC\x81",
		2, &used);
	assert_string_equal(s, "e\xCC\x81…");
	assert_int_equal(used, 2);
	free(s);
	s = fit("e\xCC\x81"
		"e\xCC\x81",
		2, &used);
	assert_string_equal(s, "e\xCC\x81"
			       "e\xCC\x81");
	assert_int_equal(used, 2);
	free(s);
	/* Invalid bytes never reach the output. */
	s = fit("a\xFF"
		"bcdef",
		3, &used);
	assert_string_equal(s, "a\xEF\xBF\xBD…");
	assert_int_equal(used, 3);
	free(s);
}

static void test_fold(void **state)
{
	char *s;

	(void)state;
	s = fold("");
	assert_string_equal(s, "");
	free(s);
	s = fold("Élevé");
	assert_string_equal(s, "eleve");
	free(s);
	s = fold("ÀÂÄÁÃÅ àâäáãå Çç ÉÈÊË éèêë ÎÏÍÌ îïíì");
	assert_string_equal(s, "aaaaaa aaaaaa cc eeee eeee iiii iiii");
	free(s);
	s = fold("ÔÖÓÒÕØ ôöóòõø ÙÛÜÚ ùûüú ŸÝ ÿý Ññ");
	assert_string_equal(s, "oooooo oooooo uuuu uuuu yy yy nn");
	free(s);
	s = fold("ŒUVRE œuvre Æ æ Straße");
	assert_string_equal(s, "oeuvre oeuvre ae ae strasse");
	free(s);
	s = fold("Łódź Šťastný Ğ İ");
	assert_string_equal(s, "lodz stastny g i");
	free(s);
	s = fold("L’été D'Azur");
	assert_string_equal(s, "l'ete d'azur");
	free(s);
	/* Decomposed accents are removed too. */
	s = fold("E\xCC\x81le\xCC\x80ve");
	assert_string_equal(s, "eleve");
	free(s);
	/* Other scripts and symbols are kept as they are. */
	s = fold("漢字 ΑΒΓ × ÷ 🚀");
	assert_string_equal(s, "漢字 ΑΒΓ × ÷ 🚀");
	free(s);
	/* Invalid bytes become U+FFFD, never raw. */
	s = fold("A\xFF");
	assert_string_equal(s, "a\xEF\xBF\xBD");
	free(s);
}

static void test_search(void **state)
{
	(void)state;
	assert_int_equal(utf8_search("", ""), 1);
	assert_int_equal(utf8_search("anything", ""), 1);
	assert_int_equal(utf8_search("anything", NULL), 1);
	assert_int_equal(utf8_search(NULL, "x"), 0);
	assert_int_equal(utf8_search("", "x"), 0);
	assert_int_equal(utf8_search("Isolement des personnes Élevé", "eleve"),
			 1);
	assert_int_equal(utf8_search("Élevé", "ÉLEVÉ"), 1);
	assert_int_equal(utf8_search("eleve", "Élevé"), 1);
	assert_int_equal(utf8_search("Repair café vélo", "CAFE VELO"), 1);
	assert_int_equal(utf8_search("Cœur de ville", "coeur"), 1);
	assert_int_equal(utf8_search("L’atelier", "l'atelier"), 1);
	assert_int_equal(utf8_search("Élevé", "elevee"), 0);
	assert_int_equal(utf8_search("vélo", "velos"), 0);
	assert_int_equal(utf8_search("abc", "xyz"), 0);
}

static void test_safe_plain(void **state)
{
	char *s;

	(void)state;
	s = safe("", 0, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "");
	free(s);
	s = safe("Élevé 漢 🚀", strlen("Élevé 漢 🚀"), UTF8_SAFE_ONELINE);
	assert_string_equal(s, "Élevé 漢 🚀");
	free(s);
	/* n is respected: the rest is not read. */
	s = safe("abcdef", 3, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "abc");
	free(s);
}

static void test_safe_escapes(void **state)
{
	static const char osc52[] = "\x1b]52;c;ZWNobyBwd25lZA==\x07";
	char *s;

	(void)state;
	/* ESC[2J (clear screen) is shown, not obeyed. */
	s = safe("a\x1b[2Jb", 6, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "a␛[2Jb");
	assert_null(strchr(s, 0x1b));
	free(s);
	/* OSC 52 (clipboard write) ending in BEL. */
	s = safe(osc52, sizeof(osc52) - 1, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "␛]52;c;ZWNobyBwd25lZA==␇");
	assert_null(strchr(s, 0x1b));
	assert_null(strchr(s, 0x07));
	free(s);
	/* NUL inside the n bytes. */
	s = safe("a\0b", 3, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "a␀b");
	free(s);
	/* DEL. */
	s = safe("x\x7fy", 3, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "x␡y");
	free(s);
	/* C1 control encoded as UTF-8 (U+009B, CSI). */
	s = safe("a\xC2\x9B"
		 "2J",
		 5, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "a<U+009B>2J");
	free(s);
	s = safe("\xC2\x85", 2, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "<U+0085>");
	free(s);
	/* A raw 8-bit CSI byte is invalid UTF-8: U+FFFD. */
	s = safe("a\x9B"
		 "2J",
		 4, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "a\xEF\xBF\xBD"
			       "2J");
	free(s);
	/* Bidi overrides and isolates. */
	s = safe("abc\xE2\x80\xAE"
		 "cba",
		 9, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "abc<U+202E>cba");
	free(s);
	s = safe("\xE2\x80\x8F\xE2\x81\xA6\xD8\x9C", 8, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "<U+200F><U+2066><U+061C>");
	free(s);
	/* Invalid bytes and overlongs. */
	s = safe("\xFF\xC0\xAF"
		 "ok\xED\xA0\x80",
		 8, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
			       "ok\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	free(s);
	/* Every output is valid UTF-8 without C0 except what MULTILINE
	 * keeps. */
	{
		char all[256];
		size_t i;

		for (i = 0; i < 256; i++)
			all[i] = (char)i;
		s = safe(all, 256, UTF8_SAFE_ONELINE);
		assert_int_equal(utf8_check(s, strlen(s)), strlen(s));
		assert_int_equal(utf8_has_control(s, strlen(s)), 0);
		for (i = 0; s[i] != '\0'; i++)
			assert_true((unsigned char)s[i] >= 0x20 &&
				    s[i] != 0x7f);
		free(s);
	}
}

static void test_safe_lines(void **state)
{
	char *s;

	(void)state;
	s = safe("a\nb\tc\rd", 7, UTF8_SAFE_ONELINE);
	assert_string_equal(s, "a␊b␉c␍d");
	free(s);
	s = safe("a\nb\tc\rd", 7, UTF8_SAFE_MULTILINE);
	assert_string_equal(s, "a\nb c␍d");
	free(s);
	s = safe("l1\n\x1b[31mred\n", 12, UTF8_SAFE_MULTILINE);
	assert_string_equal(s, "l1\n␛[31mred\n");
	free(s);
}

static void test_has_control(void **state)
{
	(void)state;
	assert_int_equal(utf8_has_control("", 0), 0);
	assert_int_equal(utf8_has_control("Élevé 漢", strlen("Élevé 漢")), 0);
	assert_int_equal(utf8_has_control("a\nb\tc", 5), 0);
	assert_int_equal(utf8_has_control("a\rb", 3), 1);
	assert_int_equal(utf8_has_control("\x1b[2J", 4), 1);
	assert_int_equal(utf8_has_control("a\0", 2), 1);
	assert_int_equal(utf8_has_control("\x7f", 1), 1);
	assert_int_equal(utf8_has_control("\xC2\x9B", 2), 1);
	assert_int_equal(utf8_has_control("\x9B", 1), 1);
	/* U+00A0 (after the C1 range) is not a control. */
	assert_int_equal(utf8_has_control("\xC2\xA0", 2), 0);
	/* Only the n first bytes count. */
	assert_int_equal(utf8_has_control("ab\x1b", 2), 0);
}

static void test_huge(void **state)
{
	size_t n = 1 << 20, i;
	char *big = malloc(n + 1);
	char *s;

	(void)state;
	for (i = 0; i + 2 <= n; i += 2)
		memcpy(big + i, "\xC3\xA9", 2);
	big[n] = '\0';
	assert_int_equal(utf8_check(big, n), n);
	assert_int_equal(utf8_width(big), n / 2);
	assert_int_equal(utf8_search(big, "eeee"), 1);
	s = safe(big, n, UTF8_SAFE_ONELINE);
	assert_int_equal(strlen(s), n);
	free(s);
	big[n - 1] = '\xFF';
	assert_int_equal(utf8_check(big, n), n - 2);
	free(big);
}

/* Checks that the display-safe form of in is want, that its width is
 * width, and that utf8_width agrees with it (and with the sum of its code
 * points' widths): what is printed is as wide as what is counted. */
static void safe_is(const char *in, const char *want, size_t width)
{
	char *s = safe(in, strlen(in), UTF8_SAFE_ONELINE), *again;
	size_t i = 0, n = strlen(s), sum = 0;
	uint32_t cp;

	if (strcmp(s, want) != 0)
		fail_msg("safe(\"%s\") is \"%s\", wanted \"%s\"", in, s, want);
	if (utf8_width(in) != width || utf8_width(s) != width)
		fail_msg("width of \"%s\": %zu (safe form %zu), wanted %zu", in,
			 utf8_width(in), utf8_width(s), width);
	while (i < n) {
		i += (size_t)utf8_decode(s + i, n - i, &cp);
		sum += (size_t)utf8_cp_width(cp);
	}
	assert_int_equal(sum, width);
	/* The safe form is its own safe form. */
	again = safe(s, n, UTF8_SAFE_ONELINE);
	assert_string_equal(again, s);
	free(again);
	free(s);
}

/* A ZWJ emoji sequence in a title shifted the next column's border on the
 * board (terminals draw it as one glyph or as its parts), and a title
 * starting with a combining mark drew it on the line above.  The safe form
 * prints nothing terminals disagree on, and its width is utf8_width's. */
static void test_width_of_emoji_sequences_and_orphan_marks(void **state)
{
	char *s;

	(void)state;
	/* 👩‍👩‍👧: the joiners go, three emoji of two cells stay. */
	safe_is("Famille \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9"
		"\xE2\x80\x8D\xF0\x9F\x91\xA7",
		"Famille \xF0\x9F\x91\xA9\xF0\x9F\x91\xA9\xF0\x9F\x91\xA7", 14);
	/* 🏳️‍🌈: VS16 and the joiner go; the white flag is one cell
	 * (text presentation), the rainbow two. */
	safe_is("\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88",
		"\xF0\x9F\x8F\xB3\xF0\x9F\x8C\x88", 3);
	/* ❤️: VS16 would make it two cells in some terminals. */
	safe_is("\xE2\x9D\xA4\xEF\xB8\x8F", "\xE2\x9D\xA4", 1);
	/* 👍🏽: the skin tone goes. */
	safe_is("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "\xF0\x9F\x91\x8D", 2);
	/* A lone modifier too. */
	safe_is("x\xF0\x9F\x8F\xBFy", "xy", 2);
	/* 🇫🇷 and a lone regional indicator: their letters. */
	safe_is("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7 drapeau", "FR drapeau", 10);
	safe_is("\xF0\x9F\x87\xBF", "Z", 1);
	/* 🏴 with tags (Scotland): the black flag. */
	safe_is("\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81"
		"\xB3\xF3\xA0\x81\xA3\xF3\xA0\x81\xB4\xF3\xA0\x81\xBF",
		"\xF0\x9F\x8F\xB4", 2);
	/* 1️⃣: the digit. */
	safe_is("1\xEF\xB8\x8F\xE2\x83\xA3", "1", 1);
	/* A combining acute at the start, after a space, after a dropped
	 * joiner: on a no-break space. */
	safe_is("\xCC\x81"
		"Accent",
		"\xC2\xA0\xCC\x81"
		"Accent",
		7);
	safe_is("a \xCC\x81"
		"b",
		"a \xC2\xA0\xCC\x81"
		"b",
		4);
	safe_is("\xE2\x80\x8D\xCC\x81", "\xC2\xA0\xCC\x81", 1);
	/* Marks on a letter stay as they are, stacked or not. */
	safe_is("e\xCC\x81", "e\xCC\x81", 1);
	safe_is("e\xCC\x81\xCC\xA7", "e\xCC\x81\xCC\xA7", 1);
	safe_is("\xE6\xBC\xA2\xCC\x81", "\xE6\xBC\xA2\xCC\x81", 2);
	/* Invisible ones: soft hyphen, zero-width space, BOM, word joiner. */
	safe_is("co\xC2\xADop\xE2\x80\x8B\xEF\xBB\xBF\xE2\x81\xA0", "coop", 4);
	/* Line and paragraph separators are shown, not obeyed. */
	safe_is("a\xE2\x80\xA8"
		"b",
		"a<U+2028>b", 10);
	/* Unassigned (U+0378) and noncharacters: U+FFFD. */
	safe_is("\xCD\xB8\xEF\xBF\xBE", "\xEF\xBF\xBD\xEF\xBF\xBD", 2);
	/* Wide by the C library's table: ✅ and ⭐ (emoji presentation). */
	safe_is("\xE2\x9C\x85\xE2\xAD\x90", "\xE2\x9C\x85\xE2\xAD\x90", 4);
	/* Multi-line: a mark at the start of a line gets its base too. */
	s = safe("a\n\xCC\x81"
		 "b",
		 5, UTF8_SAFE_MULTILINE);
	assert_string_equal(s, "a\n\xC2\xA0\xCC\x81"
			       "b");
	free(s);
	/* KEEP (files): the text as stored, but controls still shown. */
	s = safe("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xCC\x81\x1b", 14,
		 UTF8_SAFE_KEEP);
	assert_string_equal(s, "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"
			       "\xCC\x81\xE2\x90\x9B");
	free(s);
	/* utf8_fit cuts the safe form: the sequence never straddles. */
	{
		size_t used;

		s = fit("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80"
			"\x8D\xF0\x9F\x91\xA7 accueil",
			6, &used);
		assert_string_equal(s,
				    "\xF0\x9F\x91\xA9\xF0\x9F\x91\xA9\xE2\x80"
				    "\xA6");
		assert_int_equal(used, 5);
		free(s);
		s = fit("\xCC\x81"
			"Accent",
			3, &used);
		assert_string_equal(s, "\xC2\xA0\xCC\x81"
				       "A\xE2\x80\xA6");
		assert_int_equal(used, 3);
		free(s);
	}
}

/* The width table is the C library's: utf8_cp_width equals wcwidth() under
 * C.UTF-8 for every code point the library gives a width (what ncurses
 * and tmux count on this system).  Fails after an upgrade of the C
 * library's Unicode: then run tests/gen-utf8-table.sh. */
static void test_cp_width_is_the_c_library_wcwidth(void **state)
{
	uint32_t cp;
	int w;

	(void)state;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		fail_msg("no C.UTF-8 locale");
	for (cp = 0xA0; cp < 0x110000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		w = wcwidth((wchar_t)cp);
		if (w >= 0 && w != utf8_cp_width(cp))
			fail_msg("U+%04X: wcwidth %d, utf8_cp_width %d",
				 (unsigned)cp, w, utf8_cp_width(cp));
	}
	setlocale(LC_CTYPE, "C");
}

/* The search without a folded copy of the haystack finds exactly what
 * strstr finds in the folded haystack, at any byte of a character's
 * search form ("e" in "œ", "s" in "ß"), across combining accents, curly
 * quotes and invalid bytes: random texts from pieces of every kind. */
static void test_search_folded_same_as_strstr(void **state)
{
	static const char *const pieces[] = {
	    "a",	 "E",
	    "é",	 "É",
	    "œ",	 "Œ",
	    "ß",	 "ĳ",
	    "e\xcc\x81", "\xe2\x80\x99",
	    "'",	 " ",
	    "Ø",	 "mission",
	    "LOCALE",	 "\xff",
	    "\xc3",	 "€",
	    "ø",	 "o",
	    "s",	 "i",
	    "j",	 "z",
	    "æ",	 "\xf0\x9f\x94\xa7",
	};
	const size_t np = sizeof(pieces) / sizeof(pieces[0]);
	struct buf h, nd, fh, fn;
	unsigned seed = 12;
	(void)state;
	buf_init(&h);
	buf_init(&nd);
	buf_init(&fh);
	buf_init(&fn);
	for (int round = 0; round < 20000; round++) {
		buf_reset(&h);
		buf_reset(&nd);
		buf_add(&h, "", 0);
		buf_add(&nd, "", 0);
		int lh = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
		int ln =
		    1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 3;
		for (int k = 0; k < lh; k++)
			buf_adds(&h,
				 pieces[((seed = seed * 1103515245u + 12345u) >>
					 16) %
					np]);
		for (int k = 0; k < ln; k++)
			buf_adds(&nd,
				 pieces[((seed = seed * 1103515245u + 12345u) >>
					 16) %
					np]);
		buf_reset(&fh);
		buf_reset(&fn);
		utf8_fold(&fh, h.data);
		utf8_fold(&fn, nd.data);
		int want = strstr(fh.data, fn.data) != NULL;
		if (!h.data[0] && fn.data[0])
			want = 0;
		assert_int_equal(utf8_search_folded(h.data, fn.data, NULL),
				 want);
		assert_int_equal(utf8_search(h.data, nd.data), want);
	}
	/* the cases by name */
	assert_int_equal(utf8_search("Cœur", "oeu"), 1);
	assert_int_equal(utf8_search("Cœur", "eur"), 1);
	assert_int_equal(utf8_search("Straße", "SS"), 1);
	assert_int_equal(
	    utf8_search("Mission Locale de Tulle", "mission locale"), 1);
	assert_int_equal(utf8_search("l\xe2\x80\x99"
				     "atelier",
				     "l'at"),
			 1);
	assert_int_equal(utf8_search("ecole", "école"), 1);
	assert_int_equal(utf8_search("e\xcc\x81"
				     "cole",
				     "ECOLE"),
			 1);
	assert_int_equal(utf8_search("", "a"), 0);
	assert_int_equal(utf8_search(NULL, "a"), 0);
	assert_int_equal(utf8_search("abc", "abcd"), 0);
	buf_free(&h);
	buf_free(&nd);
	buf_free(&fh);
	buf_free(&fn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_search_folded_same_as_strstr),
	    cmocka_unit_test(test_check_degenerate),
	    cmocka_unit_test(test_check_invalid),
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_encode),
	    cmocka_unit_test(test_width),
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_wrap_by_display_width),
	    cmocka_unit_test(test_wrap_keeps_french_spacing),
	    cmocka_unit_test(test_console_falls_back_to_ascii),
	    cmocka_unit_test(test_fold),
	    cmocka_unit_test(test_search),
	    cmocka_unit_test(test_safe_plain),
	    cmocka_unit_test(test_safe_escapes),
	    cmocka_unit_test(test_safe_lines),
	    cmocka_unit_test(test_has_control),
	    cmocka_unit_test(test_huge),
	    cmocka_unit_test(test_width_of_emoji_sequences_and_orphan_marks),
	    cmocka_unit_test(test_cp_width_is_the_c_library_wcwidth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
