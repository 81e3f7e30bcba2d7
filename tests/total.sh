#!/bin/sh
# Usage: tests/total.sh LOG... - adds up the "BUILD: N passed, N failed,
# N skipped" lines of the logs and prints the closing line "N passed,
# N failed, N skipped".
pass=0
fail=0
skipped=0
for f in "$@"; do
	line=$(grep -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$f" | tail -n 1)
	if [ -z "$line" ]; then
		echo "!! $f has no summary (the build or a runner failed)"
		fail=$((fail + 1))
		continue
	fi
	p=$(echo "$line" | sed 's/^[^ ]* \([0-9]*\) passed.*/\1/')
	x=$(echo "$line" | sed 's/.* \([0-9]*\) failed,.*/\1/')
	s=$(echo "$line" | sed 's/.* \([0-9]*\) skipped$/\1/')
	pass=$((pass + p))
	fail=$((fail + x))
	skipped=$((skipped + s))
done
echo "$pass passed, $fail failed, $skipped skipped"
