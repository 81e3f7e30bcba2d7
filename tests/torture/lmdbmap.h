/* lmdbmap.h - what every byte of an LMDB data file is, read from the file
 * itself (LMDB 0.9 on-disk format, 64-bit): the campaigns' map of a
 * pristine store.  See lmdbmap.c. */
#ifndef FAI_TORTURE_LMDBMAP_H
#define FAI_TORTURE_LMDBMAP_H

#include <stddef.h>
#include <stdint.h>

/* X(name, text, inside_record): the class of a byte (or of a whole page,
 * for the page kinds at the end). */
#define LMAP_CLASS_LIST(X)                                                     \
	X(META, "meta page", 0)                                                \
	X(HEADER, "page header", 0)                                            \
	X(BRANCH, "branch page", 0)                                            \
	X(NODE, "leaf node header", 0)                                         \
	X(KEY, "leaf node key", 0)                                             \
	X(DATA, "leaf data (record)", 1)                                       \
	X(OVDATA, "overflow data (record)", 1)                                 \
	X(SYSDATA, "free list / catalog data", 0)                              \
	X(SPACE, "free space in a page", 0)                                    \
	X(FREEPAGE, "free page", 0)                                            \
	X(LEAFPAGE, "leaf page (whole)", 0)                                    \
	X(OVPAGE, "overflow first page", 0)

enum lmap_class {
#define LMAP_X_ENUM(name, text, rec) LMAP_##name,
	LMAP_CLASS_LIST(LMAP_X_ENUM)
#undef LMAP_X_ENUM
	    LMAP_CLASS_COUNT
};

/* The kind of a page. */
enum lmap_page {
	LMAP_PG_UNREACHED, /* neither in a tree nor in the free list */
	LMAP_PG_META,
	LMAP_PG_BRANCH,
	LMAP_PG_LEAF,
	LMAP_PG_OVFIRST, /* first page of an overflow run (has a header) */
	LMAP_PG_OVCONT,	 /* the following pages: data only */
	LMAP_PG_FREE,	 /* in the free list, or after the last page */
	LMAP_PG_KIND_COUNT
};

#define LMAP_DB_FREE 0 /* LMDB's free-page database */
#define LMAP_DB_MAIN 1 /* the catalog of named databases */
#define LMAP_MAX_DBS 32
#define LMAP_NO_DB 255

struct lmap {
	const unsigned char *file; /* the data file, read into memory */
	size_t size;		   /* its length */
	unsigned psize;		   /* page size, from the meta page */
	size_t npages;		   /* pages in the file */
	uint64_t last_pg, txnid;   /* of the newer meta page */
	unsigned char *cls;	   /* enum lmap_class of every byte */
	unsigned char *kind;	   /* enum lmap_page of every page */
	unsigned char *db;	   /* database of every page, LMAP_NO_DB */
	uint64_t *ov_key;	   /* overflow pages: the owning node's key
				      (first 8 bytes, big-endian) */
	char *names[LMAP_MAX_DBS]; /* 0 "(free)", 1 "(main)", then named */
	int ndbs;
	int ideas_db;	    /* index of "ideas", or -1 */
	uint64_t *ref_keys; /* "by_ref": idea keys, sorted ... */
	char **refs;	    /* ... with their reference */
	size_t nrefs;
	size_t unreached; /* pages not found anywhere */
	size_t class_bytes[LMAP_CLASS_COUNT];
	size_t kind_pages[LMAP_PG_KIND_COUNT];
};

/* Reads the data file at path and maps it.  Returns 0, or -1 with a
 * sentence in why (the file is unreadable or not a sane LMDB file). */
int lmap_load(struct lmap *m, const char *path, char *why, size_t whylen);
void lmap_free(struct lmap *m);

/* The name and the "inside a record" flag of a class. */
const char *lmap_class_name(int c);
int lmap_class_in_record(int c);

/* The class of a whole page (for a zeroed page). */
int lmap_page_class(const struct lmap *m, size_t pg);

/* The idea key whose record holds byte off (a node of the ideas database,
 * or an overflow page of one), or 0. */
uint64_t lmap_idea_at(const struct lmap *m, size_t off);

/* The reference of the idea with key, or NULL. */
const char *lmap_ref_of(const struct lmap *m, uint64_t key);

#endif
