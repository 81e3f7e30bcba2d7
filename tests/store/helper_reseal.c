/* helper_reseal.c - for the display tests: after tests/cli/lib.sh's
 * inject() has rewritten bytes of records with mdb_dump/mdb_load (hostile
 * text as another program could have written it), seals the records of
 * database DB again, so the store reads them as sound records rather than
 * as damage.  Ideas and log entries are sealed with their u64 key, the
 * other databases' values with their key bytes.
 * Usage: helper_reseal STORE DB */
#include <lmdb.h>
#include <stdio.h>
#include <string.h>

#include "../../core/xmalloc.h"
#include "../../store/codec.h"

int main(int argc, char **argv)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *c;
	MDB_val k, v;
	struct buf b;
	int rc, n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s STORE DB\n", argv[0]);
		return 2;
	}
	buf_init(&b);
	rc = mdb_env_create(&env);
	if (!rc)
		rc = mdb_env_set_maxdbs(env, 32);
	if (!rc)
		rc = mdb_env_open(env, argv[1], 0, 0644);
	if (!rc)
		rc = mdb_txn_begin(env, NULL, 0, &txn);
	if (!rc)
		rc = mdb_dbi_open(txn, argv[2], 0, &dbi);
	if (!rc)
		rc = mdb_cursor_open(txn, dbi, &c);
	for (rc = rc ? rc : mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (v.mv_size < 4 ||
		    (k.mv_size == 6 && memcmp(k.mv_data, "schema", 6) == 0))
			continue;
		buf_reset(&b);
		buf_add(&b, v.mv_data, v.mv_size - 4);
		codec_seal(&b, 0, k.mv_data, k.mv_size);
		MDB_val nv = {b.len, b.data};
		rc = mdb_cursor_put(c, &k, &nv, MDB_CURRENT);
		if (rc)
			break;
		n++;
	}
	if (rc == MDB_NOTFOUND)
		rc = mdb_txn_commit(txn);
	if (rc) {
		fprintf(stderr, "helper_reseal: %s\n", mdb_strerror(rc));
		return 1;
	}
	mdb_env_close(env);
	buf_free(&b);
	printf("%d\n", n);
	return 0;
}
