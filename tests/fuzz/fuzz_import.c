/* fuzz_import.c - fuzzes `fai import` (store_import: reader, header, rows,
 * merge, one LMDB transaction) on arbitrary files.  Each input is written
 * to a temporary file and imported (dry_run 0) into a fresh store: one
 * nothing was committed to since it was made.  An input that committed
 * something makes a new store for the next; one that did not (the last
 * transaction id did not move, the map did not grow) hands its store on
 * as it was made, which saves opening an environment per input.  Stores
 * are opened with STORE_NOSYNC.  They and the file live under $TMPDIR
 * when it is set (an absolute path), else under /dev/shm (tmpfs) when
 * there is one, else /tmp, and TMPDIR is then set to that for the
 * temporary files of import and export.  The input's last byte also picks
 * the options (skip_invalid, the conflict policy, a second import of the
 * same file, the export's dialect, and a bulk import: checked and spooled
 * first, then written through a writable map, whatever the file's size),
 * so CSV files work as seeds unchanged.  A bulk import reopens the store's
 * environment: it always gets a new store after it.  Its two high bits
 * reshape the file (CSV seeds, whose last byte is a line break, keep
 * theirs): bit 6 keeps the header line only (a file with no row), bit 7
 * appends 200 to 2,240 columns of distinct made-up names to the header
 * (rows then have too few cells, unless the header is all there is), in
 * the header's own delimiter; seeds named torture-* start from such
 * shapes (header only, thousands of columns, hostile names).
 *
 * After every import store_check finds nothing wrong.  A refused import
 * wrote nothing (the last transaction id did not move, no idea exists).  An
 * accepted one exports again, and the export parses as CSV with one record
 * per idea plus the header.  A fresh store has no exchange history, so the
 * first import never finds a conflict (an id twice in one file is an
 * invalid row).  A second import of the same file (when picked) keeps the
 * store consistent and its counts right.  The seeds include header-only
 * files and files of many columns (up to the 1000 unknown ones a header
 * may have, and past it), with hostile names (line breaks, controls,
 * repeats once folded). */
#include "fuzz.h"

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/xmalloc.h"
#include "../../store/csvio.h"
#include "../../store/exchange.h"
#include "../../store/store.h"

static char fuzz_dir[256];
static char fuzz_file[300], fuzz_rejects[300], fuzz_db[300];
static struct store *fuzz_store; /* the fresh store the next input gets */
static size_t fuzz_mapsize;	 /* its map size when made */

static int fuzz_rm(const char *p, const struct stat *sb, int flag,
		   struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void fuzz_cleanup(void)
{
	store_close(fuzz_store);
	fuzz_store = NULL;
	if (fuzz_dir[0])
		nftw(fuzz_dir, fuzz_rm, 8, FTW_DEPTH | FTW_PHYS);
}

static void fuzz_setup(void)
{
	if (fuzz_dir[0])
		return;
	/* Stores are made and removed all the time: in memory (tmpfs)
	 * unless the person chose a directory. */
	const char *tmp = getenv("TMPDIR");
	if (!tmp || *tmp != '/' || strlen(tmp) >= 200) {
		tmp =
		    access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
		setenv("TMPDIR", tmp, 1);
	}
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/fai-fuzz-import-XXXXXX", tmp);
	FUZZ_CHECK(mkdtemp(fuzz_dir) != NULL, "mkdtemp");
	snprintf(fuzz_file, sizeof(fuzz_file), "%s/in.csv", fuzz_dir);
	snprintf(fuzz_rejects, sizeof(fuzz_rejects), "%s/in.rejects.csv",
		 fuzz_dir);
	snprintf(fuzz_db, sizeof(fuzz_db), "%s/db", fuzz_dir);
	atexit(fuzz_cleanup);
}

/* Replaces fuzz_store with a new, empty store. */
static void fuzz_store_new(void)
{
	struct fai_err err;

	store_close(fuzz_store);
	fuzz_store = NULL;
	nftw(fuzz_db, fuzz_rm, 8, FTW_DEPTH | FTW_PHYS);
	fai_err_clear(&err);
	FUZZ_CHECK(store_open(&fuzz_store, fuzz_db, STORE_CREATE | STORE_NOSYNC,
			      "84", (size_t)1 << 24, &err) == 0,
		   "store_open: %s", err.detail);
	fuzz_mapsize = store_mapsize(fuzz_store);
}

static void fuzz_problem(const struct store_problem_info *pi, void *arg)
{
	(void)arg;
	fprintf(stderr, "store_check: %s at %s: note %d (%s %s %s %llu %llu)\n",
		store_problem_text(pi->kind), pi->where, (int)pi->note,
		pi->db ? pi->db : "-", pi->field ? pi->field : "-",
		pi->value ? pi->value : "-", (unsigned long long)pi->a,
		(unsigned long long)pi->b);
}

static void fuzz_check_store(struct store *s, const char *when)
{
	struct fai_err err;
	fai_err_clear(&err);
	int rc = store_check(s, fuzz_problem, NULL, &err);
	FUZZ_CHECK(rc == 0, "store_check %s: %d (%s)", when, rc, err.detail);
}

static uint64_t fuzz_ideas(struct store *s)
{
	uint64_t counts[STAGE_COUNT], n = 0;
	struct fai_err err;
	FUZZ_CHECK(store_stage_counts(s, counts, &err) == 0, "stage counts");
	for (int i = 0; i < STAGE_COUNT; i++)
		n += counts[i];
	return n;
}

static void fuzz_count_row(const struct csvr_row *r, void *arg)
{
	(void)r;
	(*(size_t *)arg)++;
}

/* Writes the input to fuzz_file, reshaped by the selector's bits 6 (the
 * header line only) and 7 (many more columns in the header). */
static void fuzz_write_input(const uint8_t *data, size_t size, unsigned sel)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t eol = nl ? (size_t)(nl - data) : size; /* end of the header */
	size_t head = eol, keep = size;
	FILE *f = fopen(fuzz_file, "wb");
	FUZZ_CHECK(f != NULL, "opening the input");
	if (sel & 0x40)
		keep = nl ? eol + 1 : size;
	if (head > 0 && data[head - 1] == '\r')
		head--;
	if (!(sel & 0x80)) {
		FUZZ_CHECK(fwrite(data, 1, keep, f) == keep,
			   "writing the input");
	} else {
		/* The header's delimiter: the most frequent of , ; TAB. */
		size_t n[3] = {0, 0, 0};
		static const char delims[3] = {',', ';', '\t'};
		for (size_t i = 0; i < head; i++)
			for (int d = 0; d < 3; d++)
				n[d] += data[i] == (uint8_t)delims[d];
		int d = n[1] > n[0] && n[1] >= n[2] ? 1 : n[2] > n[0] ? 2 : 0;
		size_t cols = 200 + (size_t)data[0] * 8;
		FUZZ_CHECK(fwrite(data, 1, head, f) == head,
			   "writing the input");
		for (size_t c = 0; c < cols; c++)
			fprintf(f, "%ccolonne_%zu", delims[d], c + 1);
		FUZZ_CHECK(fwrite(data + head, 1, keep - head, f) ==
			       keep - head,
			   "writing the input");
	}
	FUZZ_CHECK(fclose(f) == 0, "writing the input");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct store_actor actor = {"fuzz", NULL, 1764234000};
	struct store *s;
	struct fai_err err;
	struct import_opts io;
	struct exchange_stats st;

	if (size == 0 || size > (1 << 20))
		return 0;
	fuzz_setup();
	unsigned sel = data[size - 1];
	fuzz_write_input(data, size, sel);
	unlink(fuzz_rejects);
	if (!fuzz_store)
		fuzz_store_new();
	s = fuzz_store;

	memset(&io, 0, sizeof(io));
	io.skip_invalid = sel & 1;
	io.rejects_path = fuzz_rejects;
	io.on_conflict = (enum import_conflict)((sel >> 1) % 3);
	int again = (sel >> 3) & 1;
	int bulk = (sel >> 5) & 1;
	io.bulk_bytes = bulk ? 1 : -1;

	uint64_t txn0 = store_last_txn(s);
	fai_err_clear(&err);
	int rc = store_import(s, &actor, fuzz_file, &io, &st, &err);
	fuzz_check_store(s, "after the import");
	if (rc != 0) {
		FUZZ_CHECK(rc < 0, "rc %d", rc);
		FUZZ_CHECK(store_last_txn(s) == txn0,
			   "a refused import (%d) wrote", rc);
		FUZZ_CHECK(fuzz_ideas(s) == 0, "a refused import added ideas");
		FUZZ_CHECK(rc != -FAI_ECONFLICT,
			   "a conflict in a fresh store with no exchange");
		goto out;
	}
	FUZZ_CHECK(fuzz_ideas(s) == st.added, "%llu ideas, %llu added",
		   (unsigned long long)fuzz_ideas(s),
		   (unsigned long long)st.added);
	FUZZ_CHECK(
	    st.added + st.updated + st.unchanged + st.conflicts + st.invalid ==
		st.rows,
	    "counts do not add up to %llu rows", (unsigned long long)st.rows);
	FUZZ_CHECK(io.skip_invalid || st.invalid == 0,
		   "invalid rows imported without skip_invalid");
	FUZZ_CHECK(!st.bulk || bulk, "bulk %d for an import asked %d", st.bulk,
		   bulk);

	/* The store exports, and the export is CSV again. */
	char *out = NULL;
	size_t outlen = 0, records = 0;
	struct export_opts eo;
	struct exchange_stats xs;
	memset(&eo, 0, sizeof(eo));
	eo.dialect =
	    (sel >> 4) & 1 ? CSV_DIALECT_EXCEL_FR : CSV_DIALECT_RFC4180;
	FILE *m = open_memstream(&out, &outlen);
	FUZZ_CHECK(m != NULL, "open_memstream");
	rc = store_export(s, m, &eo, &xs, &err);
	fclose(m);
	FUZZ_CHECK(rc == 0, "store_export: %d (%s)", rc, err.detail);
	FUZZ_CHECK(xs.rows == st.added, "exported %llu of %llu",
		   (unsigned long long)xs.rows, (unsigned long long)st.added);
	size_t skip = eo.dialect == CSV_DIALECT_EXCEL_FR ? 3 : 0;
	rc = csv_parse_buffer(out + skip, outlen - skip,
			      eo.dialect == CSV_DIALECT_EXCEL_FR ? ';' : ',', 0,
			      fuzz_count_row, &records, &err);
	FUZZ_CHECK(rc == 0, "the export does not parse: line %ld %s", err.line,
		   err.detail);
	FUZZ_CHECK(records == xs.rows + 1, "%zu records for %llu ideas",
		   records, (unsigned long long)xs.rows);
	free(out);
	fuzz_check_store(s, "after the export");

	if (again) {
		struct exchange_stats st2;
		uint64_t before = fuzz_ideas(s);
		unlink(fuzz_rejects);
		fai_err_clear(&err);
		rc = store_import(s, &actor, fuzz_file, &io, &st2, &err);
		fuzz_check_store(s, "after the second import");
		FUZZ_CHECK(rc == 0 || rc == -FAI_ECONFLICT,
			   "the second import of an accepted file: %d", rc);
		if (rc == 0)
			FUZZ_CHECK(fuzz_ideas(s) == before + st2.added,
				   "%llu ideas after adding %llu to %llu",
				   (unsigned long long)fuzz_ideas(s),
				   (unsigned long long)st2.added,
				   (unsigned long long)before);
		else
			FUZZ_CHECK(fuzz_ideas(s) == before,
				   "a refused second import added ideas");
	}
out:
	/* An input that wrote makes the next one's store now rather than
	 * leaving it to the next: an input that allocates more than it frees
	 * is run twice by libFuzzer, suspecting a leak.  A grown map is not
	 * what a new store has either. */
	if (bulk || store_last_txn(s) != txn0 ||
	    store_mapsize(s) != fuzz_mapsize)
		fuzz_store_new();
	return 0;
}
