/* idea.h - the idea record and its field table.
 *
 * An idea holds every field as UTF-8 text (NULL means empty) in v[], indexed
 * by enum idea_field: one representation that the store, the command line,
 * the editor template, diffs and CSV all share.  A struct idea owns its
 * strings (idea_free); a struct idea_view only reads them (a decoded record,
 * or an idea lending itself), and idea_free does not take one.  The field table
 * says each field's stable code, English label, French header alias and nature.
 * Typed views (stage, revision, times, jobs) parse the text on demand.
 * `key` and `rank` are the store's: internal key and position in a column. */
#ifndef FAI_IDEA_H
#define FAI_IDEA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "stage.h"

/* Export order.  Append new fields at the end only (codes are stable). */
struct buf;

enum idea_field {
	IDEA_ID,
	IDEA_REF,
	IDEA_TITLE,
	IDEA_STAGE,
	IDEA_STAGE_REASON,
	IDEA_REGION,
	IDEA_TERRITORY,
	IDEA_THEME,
	IDEA_TAGS,
	IDEA_NEED,
	IDEA_CONCEPT,
	IDEA_SOURCE,
	IDEA_PARTNERS,
	IDEA_FACILITATOR,
	IDEA_OWNER,
	IDEA_STRUCTURE,
	IDEA_LEGAL_FORM,
	IDEA_SIRET,
	IDEA_LAUNCH_DATE,
	IDEA_JOBS,
	IDEA_CREATED_AT,
	IDEA_UPDATED_AT,
	IDEA_STAGE_SINCE,
	IDEA_UPDATED_BY,
	IDEA_REVISION,
	IDEA_STAGE_PREV,
	IDEA_FIELD_COUNT
};

enum idea_field_flags {
	IDEA_FF_SYSTEM = 1 << 0,    /* set by the store, never by --set */
	IDEA_FF_MULTILINE = 1 << 1, /* may hold newlines (need, concept) */
	IDEA_FF_LIST = 1 << 2,	    /* items joined by "; " (tags, partners) */
	IDEA_FF_INTERNAL = 1 << 3,  /* not exported nor shown (stage_prev) */
	IDEA_FF_REQUIRED = 1 << 4,  /* never empty (title, region, ...) */
	IDEA_FF_NUMERIC = 1 << 5,   /* a number: jobs, revision */
};

struct idea_field_info {
	const char *code;  /* stable name in files and --set: "launch_date" */
	const char *label; /* English label, N_() marked: "Launch date" */
	const char *alias_fr; /* French header alias: "date_lancement" */
	/* Its column's title in French exchange files (--headers fr, XLSX):
	 * "Date de lancement"; fixed, whatever the person's language, as the
	 * file goes from one person to another. */
	const char *title_fr;
	unsigned flags;	      /* enum idea_field_flags */
	size_t max_len;	      /* longest accepted value in bytes */
	const char *about_fr; /* what it holds, for an XLSX file's legend */
};

/* A column the exchange format does not know, carried byte for byte. */
struct idea_extra {
	char *name;
	char *value;
	unsigned pos; /* column position in the file it came from */
};

struct idea {
	uint64_t key;  /* internal store key, 0 until stored */
	uint64_t rank; /* order within its stage's column */
	char *v[IDEA_FIELD_COUNT];
	size_t nextra;
	struct idea_extra *extra;
};

/* A read-only view of an idea: its fields by const pointers into storage
 * the view does not own (a decoded record's arena, or an owned idea that
 * lends itself through idea_view_of).  There is nothing to free: who
 * filled the view says how long it lives.  The rules that read ideas of
 * both kinds (search, filter, exchange fingerprint) take a view. */
struct idea_view {
	uint64_t key;
	uint64_t rank;
	const char *v[IDEA_FIELD_COUNT]; /* NULL when empty */
	size_t nextra;
	const struct idea_extra *extra;
};

/* One changed field, as a diff gives it (owned: idea_changes_free).  name
 * is a field code, or a store-internal name such as "rank". */
struct idea_change {
	char *name;
	char *before; /* NULL when it was empty */
	char *after;  /* NULL when it becomes empty */
};

/* Returns the table entry of f (valid f only). */
const struct idea_field_info *idea_field_info(enum idea_field f);

/* Writes into out the folded form of a field or column name, as names are
 * compared: lower case, Latin accents removed, '-', ' ', "'" and "’" as
 * '_', no '_' at either end ("Motif de l’étape" -> "motif_de_l_etape"). */
void idea_name_fold(struct buf *out, const char *name);

/* Returns the field whose code, French alias or French title is name, the
 * names folded by idea_name_fold ("Étape", "date-lancement", "Date de
 * lancement" work), or -1. */
int idea_field_parse(const char *name);

/* Returns a new empty idea; idea_free(NULL) is allowed. */
struct idea *idea_new(void);
void idea_free(struct idea *idea);
/* Returns a deep copy of idea, owned by the caller. */
struct idea *idea_clone(const struct idea *idea);

/* Returns the value of f, "" when empty (never NULL). */
const char *idea_get(const struct idea *idea, enum idea_field f);

/* Fills view with idea's fields and unknown columns, lent: pointers only,
 * valid while idea lives unchanged. */
void idea_view_of(const struct idea *idea, struct idea_view *view);

/* Returns a new idea (the caller's) holding a copy of view's fields,
 * unknown columns, key and rank. */
struct idea *idea_of_view(const struct idea_view *view);

/* Returns the value of f in view, "" when empty (never NULL). */
const char *idea_view_get(const struct idea_view *view, enum idea_field f);

/* Flags of idea_set: where a value comes from. */
enum idea_set_flags {
	IDEA_SET_SYSTEM = 1, /* a file or the program: system fields too */
	IDEA_SET_TYPED = 2,  /* a person typed it: dates in French forms */
};

/* Stores a copy of value (NULL or "" clears it) without any check. */
void idea_set_raw(struct idea *idea, enum idea_field f, const char *value);

/* Normalises and checks value for field f and stores it: trims one-line
 * fields, upper-cases region/territory codes, strips spaces from a SIRET,
 * joins list items with "; ", refuses invalid UTF-8, control characters in
 * one-line fields, values over max_len, bad codes, bad SIRET, bad dates,
 * dates and times outside the years 1900..2100 (why DATE_RANGE) and bad
 * numbers, and (unless flags has IDEA_SET_SYSTEM) fields flagged
 * IDEA_FF_SYSTEM.  With IDEA_SET_TYPED a launch date may also be written as
 * a person types it (15/12/2026, 15/12/26, 15 déc. 2026: datefr_parse);
 * it is stored as ISO.  Returns 0, or -FAI_EINVAL with err naming the
 * field and the value. */
int idea_set(struct idea *idea, enum idea_field f, const char *value, int flags,
	     struct fai_err *err);

/* Adds list items from value (split on ';') to a list field, keeping order
 * and dropping duplicates.  Returns as idea_set. */
int idea_list_add(struct idea *idea, enum idea_field f, const char *value,
		  struct fai_err *err);

/* Checks the fields an idea must have to be stored (title, region, stage)
 * and every value's validity.  Returns 0, or -FAI_EINVAL with err set. */
int idea_check(const struct idea *idea, struct fai_err *err);

/* Typed views; each returns the fallback when the field is empty or bad. */
enum stage idea_stage(const struct idea *idea);
uint64_t idea_revision(const struct idea *idea);
int64_t idea_time(const struct idea *idea, enum idea_field f, int64_t fallback);
enum stage idea_view_stage(const struct idea_view *view);
uint64_t idea_view_revision(const struct idea_view *view);
int64_t idea_view_time(const struct idea_view *view, enum idea_field f,
		       int64_t fallback);
long idea_jobs(const struct idea *idea); /* -1 when unknown */
void idea_set_u64(struct idea *idea, enum idea_field f, uint64_t n);
void idea_set_time(struct idea *idea, enum idea_field f, int64_t t);

/* Adds an unknown column (copies name and value). */
void idea_extra_add(struct idea *idea, const char *name, const char *value,
		    unsigned pos);

/* Compares a and b field by field (extras by name, as "x:NAME") and returns
 * the number of changes; *out gets a heap array the caller frees with
 * idea_changes_free.  System fields listed in skip_system are ignored when
 * skip_system is 1 (updated_at, updated_by, revision). */
size_t idea_diff(const struct idea *a, const struct idea *b, int skip_system,
		 struct idea_change **out);
void idea_changes_free(struct idea_change *c, size_t n);

/* The text fields a search reads (idea_matches), and their number: the
 * one list the search and its index (textindex.h) read. */
extern const enum idea_field idea_search_fields[];
extern const size_t idea_search_nfields;

/* Appends to out the text a search reads beside the fields: the names of
 * the territory's communes and départements (geo.h), so "Clermont" finds
 * an idea of 63113. */
void idea_search_more(const struct idea_view *idea, struct buf *out);

/* Returns 1 when the search text is in one of the idea's text fields
 * (accent- and case-insensitive), else 0: reference, title, need, concept,
 * source, partners, owner, structure, facilitator, territory, tags, theme,
 * legal form and stage reason; not the codes, numbers, dates and unknown
 * columns.  An empty text matches. */
int idea_matches(const struct idea_view *idea, const char *text);

/* The same with the text already folded (utf8_fold) and a scratch buffer
 * the caller owns and reuses: a search over many ideas folds its text
 * once.  Beside the fields, a search reads idea_search_more's text (with a
 * scratch buffer only). */
int idea_matches_folded(const struct idea_view *idea, const char *folded,
			struct buf *scratch);

#endif
