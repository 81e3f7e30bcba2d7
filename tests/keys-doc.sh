#!/bin/sh
# Usage: tests/keys-doc.sh FAI [--check] - the board's keys in README.md and
# docs/fai.1, between their "keys:begin" and "keys:end" lines, written by
# `fai --keys md|man` from the one table the help overlay (?) shows
# (board_keys in tui/board.c).  Without --check it rewrites both files
# (make keys-doc); with --check it changes nothing, shows how they differ
# and exits 1 when they do (tests/cli/test_small.sh, so make test).
fai=${1:?usage: keys-doc.sh FAI [--check]}
mode=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fai-keys.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= "$fai" --keys md > "$tmp/md" || exit 2
LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= "$fai" --keys man > "$tmp/man" || exit 2

# splice FILE GENERATED OUT: FILE with the lines between its markers
# replaced by GENERATED; exits 1 when a marker is missing.
splice() {
	awk -v gen="$2" '
		index($0, "keys:begin") { print; while ((getline l < gen) > 0) print l
			skip = 1; begun = 1; next }
		index($0, "keys:end") { skip = 0; ended = 1 }
		!skip { print }
		END { if (!begun || !ended || skip) exit 1 }' "$1" > "$3"
}

rc=0
for f in README.md:md docs/fai.1:man; do
	file=$root/${f%%:*}
	if ! splice "$file" "$tmp/${f##*:}" "$tmp/new"; then
		echo "keys-doc.sh: ${f%%:*} has no keys:begin / keys:end lines" >&2
		exit 2
	fi
	if cmp -s "$file" "$tmp/new"; then
		continue
	fi
	if [ "$mode" = --check ]; then
		echo "keys-doc.sh: ${f%%:*}'s key list is not the help's (make keys-doc):"
		diff -u "$file" "$tmp/new" | sed -n '3,$p'
		rc=1
	else
		cat "$tmp/new" > "$file"
		echo "keys-doc.sh: ${f%%:*} rewritten"
	fi
done
exit $rc
