/* utf8.h - UTF-8 checking, display width, folding for search, and the
 * display-safe form that keeps stored text from driving a terminal.
 *
 * Widths are counted in terminal cells with our own table, a copy of the C
 * library's wcwidth() (core/utf8_table.h), so results do not depend on the
 * process locale.  The display-safe form prints nothing terminals draw
 * differently (emoji sequences, marks without a base, code points the table
 * does not know): what fai counts is what any terminal draws. */
#ifndef FAI_UTF8_H
#define FAI_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "xmalloc.h"

/* Returns the byte offset of the first invalid sequence in s[0..n), or n when
 * all of it is valid UTF-8 (overlongs, surrogates, > U+10FFFF are invalid). */
size_t utf8_check(const char *s, size_t n);

/* Decodes one code point at s (at most n bytes); stores it in *cp and returns
 * its length (1-4), or returns 1 with *cp = 0xFFFD on an invalid byte. n > 0.
 */
int utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Appends the UTF-8 encoding of cp to b. */
void utf8_encode(struct buf *b, uint32_t cp);

/* Returns the display width of one code point in cells (0, 1 or 2), as
 * wcwidth() of the C library the table was made from; control characters
 * count 0 (they are never shown raw: see utf8_safe). */
int utf8_cp_width(uint32_t cp);

/* Returns the width in cells of the display-safe form of the NUL-terminated
 * s (utf8_safe, ONELINE): what a terminal draws when it is printed. */
size_t utf8_width(const char *s);

/* Appends to b the longest prefix of the display-safe form of s (ONELINE)
 * that fits in width cells; when it does not fit, the prefix is cut to
 * width-1 cells and "…" is added.  Returns the cells used, which is
 * utf8_width of what was appended. */
size_t utf8_fit(struct buf *b, const char *s, size_t width);

/* The first line of s when it is wrapped at width cells: returns its
 * length in bytes, and stores in *next the offset where the next line
 * starts (the spaces at the break and one '\n' skipped; strlen(s) at the
 * end).  s is display-safe text (utf8_safe, MULTILINE or ONELINE); a line
 * breaks after the last space that fits, or inside a word longer than width
 * (never before a mark of width 0), and at each '\n'; French spacing binds
 * (no line starts with the space before : ; ! ? » nor ends on «).  The line
 * returned has no trailing spaces and takes at most width cells (at least one
 * code point when width is 0, so a loop always ends). */
size_t utf8_wrap(const char *s, size_t width, size_t *next);

/* Appends to b the search form of s: lower case, Latin accents removed
 * ("Élevé" -> "eleve", "œ" -> "oe", "ß" -> "ss"), other code points kept. */
void utf8_fold(struct buf *b, const char *s);

/* Returns 1 when the search form of needle occurs in the search form of
 * haystack (both NUL-terminated), else 0.  An empty needle matches. */
int utf8_search(const char *haystack, const char *needle);

/* The same with a needle already in search form (utf8_fold), folding the
 * haystack into scratch (the caller's, reused from call to call): what a
 * search over many values uses, folding its needle once. */
int utf8_search_folded(const char *haystack, const char *folded,
		       struct buf *scratch);

enum utf8_safe_flags {
	UTF8_SAFE_ONELINE = 0,	 /* newlines and tabs become placeholders */
	UTF8_SAFE_MULTILINE = 1, /* keep \n; a tab becomes one space */
	UTF8_SAFE_KEEP = 2,	 /* for a file, not a terminal: only the
				    controls and invalid bytes change */
};

/* Appends to b the display-safe form of s[0..n): C0 controls become their
 * control pictures (ESC -> U+241B "␛", \n -> "␊" unless MULTILINE), DEL
 * becomes "␡", C1 controls, bidi controls (U+200E/F, U+202A-202E,
 * U+2066-2069, U+061C) and the line and paragraph separators U+2028/9
 * become "<U+XXXX>", invalid bytes become U+FFFD.  Unless KEEP, what
 * terminals disagree on is left out or replaced, so that the width every
 * terminal draws is utf8_width's: joiners, variation selectors, emoji
 * modifiers, tags, the keycap mark, soft hyphens and invisible format
 * characters are dropped; a regional indicator becomes its letter (🇫🇷 ->
 * "FR"); a code point the width table does not know becomes U+FFFD; a
 * combining mark with nothing before it to carry it (start of text, line
 * or after a space) gets U+00A0 before it. */
void utf8_safe(struct buf *b, const char *s, size_t n, int flags);

/* Appends to b the display-safe s[0..n) (utf8_safe's output) as the Linux
 * console's font can draw it: ASCII, Latin-1 and Latin Extended-A (French
 * letters, œ), the typographic quotes and dashes, •, €, the arrows ← ↑ → ↓,
 * box drawing and blocks are kept; "…" becomes "...", "⚑" "!", "≠" "!=",
 * "≤" "<=", "⇒" "=>"; a mark of width 0 is dropped and any other code
 * point (emoji, CJK, symbols, control pictures) becomes "?".  For the
 * screen only: stored text is never changed. */
void utf8_console(struct buf *b, const char *s, size_t n);

/* Returns 1 when s[0..n) holds a C0 control other than \n and \t, DEL, or a
 * C1 control, else 0.  Used to refuse such bytes in one-line fields. */
int utf8_has_control(const char *s, size_t n);

/* Returns the value of the hexadecimal digit c (either case), or -1. */
int utf8_hex_digit(char c);

#endif
