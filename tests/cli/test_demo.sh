#!/bin/sh
# test_demo.sh - `fai demo` builds a store from the built-in fixture
# (fixtures/demo.fai) through fai's own commands, replaces an older demo, and
# never overwrites a real store.
. "$(dirname "$0")/lib.sh"

NOW=2026-06-15T12:00:00Z
export FAI_NOW="$NOW"
demo=$T/demo/store

run "$FAI" --db "$demo" demo
check_rc 0 "fai demo exits 0"
check_out "$demo" "fai demo names the store"
check "fai demo creates missing parent directories" test -f "$demo/data.mdb"

run "$FAI" --db "$demo" check
check_rc 0 "fai check passes on the demo store"

run "$FAI" --db "$demo" list --format tsv
check_rc 0 "list --format tsv on the demo"
cp "$OUT" "$T/demo1.tsv"
nrows=$(tail -n +2 "$OUT" | wc -l | tr -d ' ')
check "the demo has at least 60 ideas ($nrows)" test "$nrows" -ge 60
nregions=$(awk -F '\t' 'NR > 1 { print $6 }' "$OUT" | sort -u | wc -l | tr -d ' ')
check "the demo spans at least 6 regions ($nregions)" test "$nregions" -ge 6
for s in need concept owner_search launched on_hold abandoned; do
	n=$(awk -F '\t' -v s="$s" 'NR > 1 && $4 == s' "$OUT" | wc -l | tr -d ' ')
	check "the demo has ideas at $s ($n)" test "$n" -ge 1
done
check "every demo row has as many cells as the header" \
	sh -c 'awk -F "\t" "NR == 1 { n = NF } NF != n { exit 1 }" "$1"' sh "$OUT"
check "every launched idea of the demo has a structure and a launch date" \
	sh -c 'awk -F "\t" "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
		\$4 == \"launched\" && (\$c[\"structure\"] == \"\" || \$c[\"launch_date\"] == \"\") { exit 1 }" "$1"' sh "$OUT"

# Time is relative to now (FAI_NOW): nothing in the future, ~200 days back.
run "$FAI" --db "$demo" log --format tsv
check_rc 0 "the demo's log"
last=$(cut -f 2 "$OUT" | sort | tail -n 1)
first=$(cut -f 2 "$OUT" | sort | head -n 1)
check "no demo action is after FAI_NOW ($last)" test "$(printf '%s\n%s\n' "$last" "$NOW" | sort | tail -n 1)" = "$NOW"
check "the demo's history starts in the past year ($first)" \
	test "$(printf '%s\n%s\n' "$first" 2025-06-15T12:00:00Z | sort | head -n 1)" = 2025-06-15T12:00:00Z
nusers=$(cut -f 3 "$OUT" | sort -u | wc -l | tr -d ' ')
check "the demo's log has several facilitators ($nusers)" test "$nusers" -ge 4
check "the demo's log holds moves and comments" \
	sh -c 'grep -q "	move	" "$1" && grep -q "	comment	" "$1"' sh "$OUT"

run "$FAI" --db "$demo" list --format json
check "the demo list is valid JSON" python3 -m json.tool "$OUT" /dev/null

run env COLUMNS=80 "$FAI" --db "$demo" list
widest=$(python3 -c '
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)
print(max(width(l) for l in open(sys.argv[1], encoding="utf-8").read().split("\n")))' "$OUT")
check "the demo table fits 80 columns ($widest)" test "$widest" -le 80

# ---------------------------------------------------------------- again
run "$FAI" --db "$demo" demo
check_rc 0 "fai demo again on the same path replaces it (exit 0)"
run "$FAI" --db "$demo" list --format tsv
check_eq "$(tail -n +2 "$OUT" | wc -l | tr -d ' ')" "$nrows" "the replaced demo has the same ideas, not twice as many"
cut -f 2- "$T/demo1.tsv" > "$T/a"
cut -f 2- "$OUT" > "$T/b"
check "at the same FAI_NOW, two demos hold the same ideas (but the UUIDs)" cmp -s "$T/a" "$T/b"
run "$FAI" --db "$demo" check
check_rc 0 "fai check passes on the replaced demo"

run "$FAI" --db "$demo" demo extra
check_rc 1 "fai demo with an argument: exit 1"

# A demo store is a store like another.
run "$FAI" --db "$demo" add --title "Ajout dans la démo"
check_rc 0 "one can add to a demo store"
check_out "84-" "the demo store's region is 84"

# ---------------------------------------------------------------- real store
real=$(mkstore real 84)
"$FAI" --db "$real" add --title "Mon vrai travail" > /dev/null
snap "$real"
run "$FAI" --db "$real" demo
check_rc 2 "fai demo on a store made with fai init is refused (exit 2)"
check_err "$real" "the refusal names the store"
check "the real store is unchanged (cmp data.mdb)" same_as_snap "$real"
run "$FAI" --db "$real" list --format tsv
check_out "Mon vrai travail" "the real store still holds its idea"

finish
