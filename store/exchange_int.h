/* exchange_int.h - what the parts of the CSV exchange share (private to
 * store/): small hash tables (xtables.c), the columns of a file and the
 * unknown columns a store keeps, temporary files and the exchange bases
 * (columns.c); export.c and import.c use them. */
#ifndef FAI_STORE_EXCHANGE_INT_H
#define FAI_STORE_EXCHANGE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/sha256.h"
#include "internal.h"

#define EXCHANGE_BASE_LEN (SHA256_LEN + 8) /* then the seal (codec.h) */
#define EXCHANGE_BATCH 8192

/* Strings (borrowed: they outlive the map) to numbers. */
struct strmap {
	const char **key;
	size_t *val;
	size_t cap, n;
};

/* A set of 16-byte keys (UUIDs), each with a number when asked: open
 * addressing in 256 parts, each grown by half when three quarters full,
 * so no part is ever copied whole with the others and 10^6 keys take
 * about 22 MiB.  The all-zero key marks an empty slot; it is kept apart. */
#define IDSET_PARTS 256

struct idpart {
	unsigned char (*key)[16];
	long *val;
	uint32_t cap, n;
};

struct idset {
	struct idpart part[IDSET_PARTS];
	int with_val;
	int has_zero;
	long zero_val;
	size_t n;
};

struct column {
	int field;  /* enum idea_field, or -1 for an extra column */
	char *name; /* the header text */
	char *fold; /* its folded form (extra columns) */
};

struct columns {
	struct column *c;
	size_t n;
};

/* The lines of meta csv:extras, each judged. */
enum extra_state {
	EXTRA_OK,
	EXTRA_MALFORMED, /* not "POS<TAB>NAME" */
	EXTRA_BAD_NAME,	 /* not a valid column name, or empty once folded */
	EXTRA_KNOWN,	 /* names a field of the format */
	EXTRA_REPEATED,	 /* the same as an earlier line, once folded */
};

struct extra_entry {
	size_t pos;
	char *name;
	char *fold;
	enum extra_state state;
	size_t line;
};

struct extras {
	struct extra_entry *e;
	size_t n;
	struct strmap byfold; /* folded name of each OK entry -> its index */
};

/* Bases to record after an export, spooled to a temporary file so memory
 * stays flat whatever the number of ideas. */
struct spool_rec {
	uint64_t key;
	uint64_t rev;
	unsigned char hash[SHA256_LEN];
};

struct spool_batch {
	struct spool_rec *r;
	size_t n;
};

void hash_seed_init(void);

uint64_t hash_mix(uint64_t h);

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);

size_t strmap_pos(const struct strmap *m, const char *k);

/* 1 with *val when k is in m, else 0. */
int strmap_get(const struct strmap *m, const char *k, size_t *val);

/* Adds k with val unless k is there: 1 when added, 0 (and *old when not
 * NULL) when it was. */
int strmap_add(struct strmap *m, const char *k, size_t val, size_t *old);

void strmap_free(struct strmap *m);

struct idset *idset_new(int with_val);

void idset_free(struct idset *s);

uint64_t id_hash(const unsigned char k[16]);

uint32_t idpart_pos(const struct idpart *p, uint64_t h,
		    const unsigned char k[16]);

void idpart_grow(struct idpart *p, int with_val);

/* Finds k, adding it when add: returns 1 when it was there (or was added
 * only now with add 1: then *added is 1), 0 when absent and not added.
 * *val (with_val sets only) points at its number, 0 when just added. */
int idset_find(struct idset *s, const unsigned char k[16], int add, int *added,
	       long **val);

/* The 16-byte key of a text (a reference): two keyed hashes. */
void text_key(const char *s, unsigned char k[16]);

/* The folded form of a column name (idea_name_fold).  Heap string. */
char *column_fold(const char *name);

/* 1 when s[0..n) may name a column: at most IMPORT_NAME_MAX bytes of
 * valid UTF-8 without a control character (TAB, CR and LF included). */
int column_name_ok(const char *s, size_t n);

/* The field a column name names among the exported ones, or -1. */
int column_field(const char *name);

void columns_add(struct columns *cs, size_t at, int field, const char *name);

void columns_free(struct columns *cs);

void extras_free(struct extras *x);

/* Parses and judges meta csv:extras (text may be NULL). */
void extras_parse(const char *text, struct extras *x);

/* The export columns: fields, then the valid extras at their places. */
int columns_for_export(struct store_txn *t, struct columns *cs,
		       struct fai_err *err);

/* An anonymous temporary file in $TMPDIR (tmpfile() ignores it), or /tmp:
 * removed from the directory at once, so it goes when the process does.
 * NULL with errno set when it cannot be made. */
FILE *exchange_tmpfile(void);

/* Fills err for a failed write (e: its errno) of what (a file name or a
 * description): -FAI_ENOSPACE when the device is full, else -FAI_EIO. */
int write_fail(struct fai_err *err, int e, const char *what);

int base_read(struct store_txn *t, uint64_t key, unsigned char hash[SHA256_LEN],
	      uint64_t *rev);

int base_write(struct store_txn *t, uint64_t key,
	       const unsigned char hash[SHA256_LEN], uint64_t rev,
	       struct fai_err *err);

int spool_txn(struct store_txn *t, void *arg, struct fai_err *err);

int spool_flush(struct store *s, FILE *spool, struct fai_err *err);

#endif
