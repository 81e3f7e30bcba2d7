#!/bin/sh
# Usage: tests/run.sh BUILD - runs every test of one build (cmocka unit tests
# of core and store, then the command-line tests) and closes with
# "BUILD: N passed, N failed, N skipped".  A skipped test says why where it
# is skipped and is counted, never passed.  Exit status 1 when anything
# failed.  FAI_ONCE=0 leaves out the command-line scripts marked
# "# fai-test: once" on their second line (they ran in the other build).
build=${1:-build}
pass=0
fail=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$build"/tests/core/test_* "$build"/tests/store/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.d|*.o) continue ;; esac
	echo "== $t"
	"$t" > "$log" 2>&1
	rc=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	s=${s:-0}
	# A crash (sanitizer abort, signal) leaves no summary: count it.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $t exited with status $rc"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + s))
done

for t in tests/cli/test_*.sh; do
	[ -f "$t" ] || continue
	# A script marked "# fai-test: once" (a real spreadsheet program,
	# seconds per step) runs once per `make test`: in the plain build,
	# not again in the ASan one (`make asan` sets FAI_ONCE=0).
	if [ "${FAI_ONCE:-1}" = 0 ] && sed -n 2p "$t" | grep -qx '# fai-test: once'; then
		echo "== $t: runs once per make test, in the plain build (make test-unit)"
		continue
	fi
	echo "== $t"
	FAI="$build/fai" BUILD="$build" sh "$t" > "$log" 2>&1
	rc=$?
	cat "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	s=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
	p=${p:-0}
	f=${f:-0}
	s=${s:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $t exited with status $rc"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + s))
done

echo "$build: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
