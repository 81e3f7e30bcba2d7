/* exchange.h - the rules of the CSV exchange with the national network:
 * which columns a file holds, how a cell is guarded against spreadsheet
 * formula injection, the fingerprint of an idea's exchanged content, and
 * how an imported row is merged with the local idea.  No I/O here. */
#ifndef FAI_EXCHANGE_H
#define FAI_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "idea.h"
#include "sha256.h"
#include "xmalloc.h"

#define EXCHANGE_FORMAT_VERSION 1
#define EXCHANGE_FIELD_MAX (64 * 1024) /* bytes in one cell */
#define EXCHANGE_ROW_MAX (1024 * 1024) /* bytes in one row */

/* The words of a French exchange file (an XLSX workbook) that a person
 * reads besides its columns' titles (idea.c) and stage labels (stage.c):
 * fixed whatever the person's language, as the file travels. */
struct exchange_words {
	const char *sheet;	    /* the ideas' sheet */
	const char *legend;	    /* the sheet explaining the columns */
	const char *legend_head[3]; /* its header: title, code, content */
	const char *extra_about;    /* what a column fai does not know is */
};
extern const struct exchange_words exchange_fr;

/* Returns 1 when field f is a column of the exchange format (every field
 * but the internal ones), else 0. */
int exchange_field_exported(enum idea_field f);

/* Returns 1 when a text cell must get the leading ' of the excel-fr dialect:
 * it starts with = + - @ TAB or CR, possibly after quotes already added. */
int exchange_needs_guard(const char *s, size_t n);

/* Returns 1 when s (n bytes) is a guarded cell whose leading ' must go. */
int exchange_is_guarded(const char *s, size_t n);

/* Computes the fingerprint of what an idea exchanges: every exported field
 * but revision, updated_at and updated_by, and its extra columns by name
 * (an owned idea lends itself: idea_view_of). */
void exchange_hash(const struct idea_view *idea, unsigned char out[SHA256_LEN]);

/* What to do with an imported row (theirs) for an existing local idea. */
enum exchange_decision {
	EXCHANGE_UNCHANGED, /* same as local, or same as last exchanged */
	EXCHANGE_UPDATE,    /* local unchanged since the last exchange */
	EXCHANGE_CONFLICT,  /* both sides changed */
};

/* Decides from the fingerprints of theirs and local, and what was last
 * exchanged for this idea (have_base 0 when never): the base's fingerprint
 * and the local revision at that time. */
enum exchange_decision exchange_decide(const unsigned char theirs[SHA256_LEN],
				       const unsigned char local[SHA256_LEN],
				       uint64_t local_rev, int have_base,
				       const unsigned char base[SHA256_LEN],
				       uint64_t base_rev);

/* Returns 1 when Windows-1252 has a character for code point cp. */
int exchange_cp1252_has(uint32_t cp);

/* Converts Windows-1252 bytes to UTF-8, appending to b.  Returns 0, or the
 * 1-based index of the first byte with no character (0x81 0x8D 0x8F 0x90
 * 0x9D) as a negative number. */
long exchange_cp1252_to_utf8(struct buf *b, const char *s, size_t n);

#endif
