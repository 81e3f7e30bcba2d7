/* helper_hold_read.c - a reader that dies holding a read transaction, for
 * test_killed.c.  Opens the LMDB environment STORE directly (no store API:
 * the store never keeps a transaction open) and, with "read", begins a read
 * transaction and reads the schema version through it; with "open", only
 * keeps the environment open (a live process, so that the lock file is not
 * reset by the next one to open it).  Then prints "ready PID" (flushed) and
 * sleeps until it is killed.
 * Usage: helper_hold_read STORE read|open */
#include <lmdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	if (argc != 3 || (strcmp(argv[2], "read") && strcmp(argv[2], "open"))) {
		fprintf(stderr, "usage: %s STORE read|open\n", argv[0]);
		return 2;
	}
	int rc = mdb_env_create(&env);
	if (!rc)
		rc = mdb_env_set_maxdbs(env, 16);
	if (!rc)
		rc = mdb_env_open(env, argv[1], MDB_RDONLY, 0644);
	if (!rc && strcmp(argv[2], "read") == 0) {
		rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
		if (!rc)
			rc = mdb_dbi_open(txn, "meta", 0, &dbi);
		if (!rc) {
			char key[] = "schema";
			MDB_val k = {6, key}, v;
			rc = mdb_get(txn, dbi, &k, &v);
		}
	}
	if (rc) {
		fprintf(stderr, "helper_hold_read: %s\n", mdb_strerror(rc));
		return 1;
	}
	printf("ready %ld\n", (long)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
