/* shimcheck.c - what tests/torture/fault runs under faultshim.so before it
 * trusts the shim: a file written as fai writes its exports (rows through
 * stdio, fflush, fsync of fileno, fclose, rename over the target), the
 * return value of every call checked (not ferror: fai does not ask it).
 * It prints "ok" when every step succeeded, else the step that failed and
 * the error, and exits 0 either way.  Without a fault the program must
 * print "ok"; with call N failing, for each N the shim counts, it must
 * not: a fault the program cannot see would make the campaign count
 * writes as done that were not.  (A first shim returned -1 from its
 * stream's write function, as write(2) does; glibc took it for a huge
 * count when it wrote a row larger than the buffer straight from the row,
 * fwrite returned the full count, and an export "succeeded" with a hole:
 * what this check is for.)
 *
 *   shimcheck DIR    writes DIR/check.tmp, then renames it to DIR/check */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int step(const char *what, int ok)
{
	if (!ok)
		printf("%s: %s\n", what, strerror(errno));
	return ok;
}

int main(int argc, char **argv)
{
	char tmp[4096], dst[4096];
	static char row[20000];
	if (argc != 2)
		return 2;
	snprintf(tmp, sizeof(tmp), "%s/check.tmp", argv[1]);
	snprintf(dst, sizeof(dst), "%s/check", argv[1]);
	memset(row, 'x', sizeof(row) - 2);
	row[sizeof(row) - 2] = '\r';
	row[sizeof(row) - 1] = '\n';
	FILE *f = fopen(tmp, "wb");
	if (!step("fopen", f != NULL))
		return 0;
	int ok = 1;
	/* 200 rows of 100 to 20,000 bytes, as an export's: some larger than
	 * the stream's buffer, which glibc then writes straight from the
	 * row. */
	unsigned seed = 1;
	for (int i = 0; ok && i < 200; i++) {
		seed = seed * 1103515245u + 12345u;
		size_t n = 100 + (seed >> 8) % (sizeof(row) - 100);
		ok = step("fwrite", fwrite(row, 1, n, f) == n);
	}
	ok = ok && step("fflush", fflush(f) == 0);
	ok = ok && step("fsync", fsync(fileno(f)) == 0);
	ok = step("fclose", fclose(f) == 0) && ok;
	ok = ok && step("rename", rename(tmp, dst) == 0);
	if (ok)
		puts("ok");
	return 0;
}
