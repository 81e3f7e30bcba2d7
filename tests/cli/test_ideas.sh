#!/bin/sh
# test_ideas.sh - add (references, validation), list (formats, filters,
# --stale, width), show (text, json).
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
db=$(mkstore ideas 84)
fai() { "$FAI" --db "$db" "$@"; }
at() { _t=$1; shift; env FAI_NOW="$_t" "$FAI" --db "$db" "$@"; }
rows() { fai list --format tsv | tail -n +2 | wc -l | tr -d ' '; }

# ---------------------------------------------------------------- add
run at $NOW add --title "Épicerie solidaire au niveau de vie élevé" \
	--need "Pas de commerce à moins de 20 km" --territory 69123 \
	--theme "Alimentation" --tag "circuit court" --tag "Épicerie" \
	--facilitator "Hélène Dupré"
check_rc 0 "add exits 0"
check_eq "$(cat "$OUT")" "84-0001" "add prints the reference 84-0001 alone"

run at $NOW add --title "Garage solidaire" --theme "Mobilité" --tag vélo \
	--facilitator "Paul Martin" --territory 2a
check_eq "$(cat "$OUT")" "84-0002" "the second idea of the region is 84-0002"
check_eq "$(field 84-0002 territory "$db")" "2A" "a territory code is upper-cased"
check_eq "$(field 84-0002 region "$db")" "84" "the store's region is the default region"

run at $NOW add --title "Recyclerie de quartier" --region 93 --theme Déchets
check_eq "$(cat "$OUT")" "93-0001" "another region has its own sequence (93-0001)"

run at $NOW add --title "Conciergerie rurale"
check_eq "$(cat "$OUT")" "84-0003" "region 84's sequence goes on (84-0003)"

run at $NOW add --title "Structure lancée" --siret "732 829 320 00074" \
	--jobs 3 --launch-date 2025-09-01
check_rc 0 "add with a valid SIRET (spaces), jobs and launch date"
ref=$(cat "$OUT")
check_eq "$(field "$ref" siret "$db")" "73282932000074" "spaces are stripped from a SIRET"
check_eq "$(field "$ref" jobs "$db")" "3" "jobs are stored"

n=$(rows)
check_eq "$n" 5 "five ideas were added"

run fai add --need "sans titre"
check_rc_err 1 "--title" "add without --title: exit 1 naming --title"

run fai add --title "  "
check_rc_err 2 "title" "add with a blank title: exit 2 naming the title"

run fai add --title X extra
check_rc 1 "add with a stray argument: exit 1"

# Invalid values: exit 2, message naming the field and the value.
bad() { # FIELD VALUE OPTION
	run fai add --title "Invalide" "$3" "$2"
	if [ "$RC" -ne 2 ]; then
		fail "add $3 $2: exit 2" "exit $RC"
	elif ! grep -qF -e "$1" "$ERR" || ! grep -qF -e "\"$2\"" "$ERR"; then
		fail "add $3 $2: message names $1 and $2" "message"
	else
		pass "add $3 $2: exit 2, names $1 and the value"
	fi
}
bad siret 12345678901234 --siret
bad siret 123 --siret
bad siret 1234567890123A --siret
bad region 99 --region
bad region XX --region
bad territory ZZZ --territory
bad launch_date 2026-13-01 --launch-date
# 01/02/2026 is accepted since issue 12 (bug 10): French forms that name
# no real day are still refused.
bad launch_date 31/02/2026 --launch-date
bad launch_date 01/13/2026 --launch-date
bad jobs abc --jobs
bad jobs -3 --jobs
run fai add --title "Invalide" --siret 12345678901234
check_err "Luhn" "a wrong SIRET check digit says Luhn"
run fai add --title "Invalide" --set siret=12345678901234
check_rc_err 2 "12345678901234" "--set siret= is checked the same way"
run fai add --title "Invalide" --set nosuchfield=1
check_rc 1 "--set with an unknown field: exit 1"
run fai add --title "Invalide" --set revision=7
check_rc 2 "--set of a system field (revision): exit 2"
run fai add --title "$(printf 'a\nb')"
check_rc 2 "a newline in a one-line field: exit 2"
check_eq "$(rows)" "$n" "refused adds stored nothing"

# ---------------------------------------------------------------- list formats
run at $NOW list
check_rc 0 "list (table) exits 0"
check_out "REF" "the table has a header"
check_out "84-0001" "the table lists 84-0001"
check_out "93-0001" "the table lists 93-0001"
check_eq "$(wc -l < "$OUT" | tr -d ' ')" "$((n + 1))" "the table has one line per idea plus the header"

run at $NOW list --format tsv
check_rc 0 "list --format tsv exits 0"
check "the tsv header starts with id, ref, title, stage" \
	grep -q "^id	ref	title	stage	" "$OUT"
cols=$(awk -F '\t' '{ print NF }' "$OUT" | sort -u)
check_eq "$cols" "$(head -n 1 "$OUT" | awk -F '\t' '{ print NF }')" "every tsv row has as many cells as the header"
check_eq "$(field 84-0001 title "$db")" "Épicerie solidaire au niveau de vie élevé" "tsv keeps the accented title"
check_eq "$(field 84-0001 tags "$db")" "circuit court; Épicerie" "tsv joins tags with '; '"
check_eq "$(field 84-0001 stage "$db")" "need" "tsv holds the stage code"

run at $NOW list --format json
check_rc 0 "list --format json exits 0"
check "list json is valid JSON" python3 -m json.tool "$OUT" /dev/null
check_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), d[0]["ref"], d[0]["title"], d[0]["revision"], d[1]["jobs"])' "$OUT")" \
	"$n 84-0001 Épicerie solidaire au niveau de vie élevé 1 None" \
	"list json holds every idea with typed fields"

run fai list --format xml
check_rc 1 "list --format xml: exit 1"

run fai list --stage nowhere
check_rc 1 "list --stage with an unknown stage: exit 1"

# Empty store: valid json, header-only tsv.
empty=$(mkstore empty 84)
run "$FAI" --db "$empty" list --format json
check "an empty list is valid JSON" python3 -m json.tool "$OUT" /dev/null
run "$FAI" --db "$empty" list --format tsv
check_eq "$(wc -l < "$OUT" | tr -d ' ')" 1 "an empty tsv list is just the header"

# ---------------------------------------------------------------- filters
refs() { awk -F '\t' 'NR > 1 { print $2 }' "$OUT" | tr '\n' ' ' | sed 's/ $//'; }

run at $NOW move 84-0001 concept
check_rc 0 "84-0001 moves to concept (for the --stage filter)"
run fai list --stage concept --format tsv
check_eq "$(refs)" "84-0001" "--stage concept"
run fai list --stage NEED --format tsv
check_eq "$(refs)" "84-0002 93-0001 84-0003 $ref" "--stage NEED (any case) lists the ideas at need in board order"
run fai list --stage owner-search --format tsv
check_eq "$(refs)" "" "--stage owner-search ('-' for '_') lists nothing"
run fai list --region 93 --format tsv
check_eq "$(refs)" "93-0001" "--region 93"
run fai list --theme mobilite --format tsv
check_eq "$(refs)" "84-0002" "--theme ignores accents and case"
run fai list --theme mob --format tsv
check_eq "$(refs)" "" "--theme matches the whole theme"
run fai list --tag VELO --format tsv
check_eq "$(refs)" "84-0002" "--tag ignores accents and case"
run fai list --tag "circuit court" --format tsv
check_eq "$(refs)" "84-0001" "--tag matches one item of the list"
run fai list --tag circuit --format tsv
check_eq "$(refs)" "84-0001" "--tag finds a tag that contains the text (circuit finds 'circuit court')"
run fai list --tag "court; Épicerie" --format tsv
check_eq "$(refs)" "" "--tag does not match a text running over two tags"
run fai list --facilitator helene --format tsv
check_eq "$(refs)" "84-0001" "--facilitator ignores accents and case"
run fai list --search eleve --format tsv
check_eq "$(refs)" "84-0001" "--search eleve finds élevé"
run fai list --search "ÉLEVÉ" --format tsv
check_eq "$(refs)" "84-0001" "--search ÉLEVÉ finds élevé"
run fai list --search "commerce" --format tsv
check_eq "$(refs)" "84-0001" "--search looks into the need"
run fai list --search "93-0001" --format tsv
check_eq "$(refs)" "93-0001" "--search looks into the reference"
run fai list --search "zzzz" --format tsv
check_eq "$(refs)" "" "--search with no match lists nothing"
run fai list --region 84 --theme alimentation --stage concept --format tsv
check_eq "$(refs)" "84-0001" "filters combine"

# --stale DAYS: only ideas at need, concept or owner_search whose last change
# is DAYS or more old.
run at 2026-02-15T10:00:00Z comment 84-0002 "Relance du garage"
check_rc 0 "a comment on 84-0002 at 2026-02-15"
run at 2026-01-20T10:00:00Z move "$ref" concept --force
run at 2026-01-20T10:00:00Z move "$ref" owner_search --force
run at 2026-01-20T10:00:00Z move "$ref" launched --force
check_rc 0 "$ref is launched at 2026-01-20"
run at 2026-03-01T10:00:00Z list --stale 30 --format tsv
check_eq "$(refs)" "93-0001 84-0003 84-0001" "--stale 30 at 2026-03-01: untouched working ideas only"
run at 2026-03-01T10:00:00Z list --stale 14 --format tsv
check_eq "$(refs)" "84-0002 93-0001 84-0003 84-0001" "--stale 14 includes the idea commented 14 days ago"
run at 2026-03-01T10:00:00Z list --stale 60 --format tsv
check_eq "$(refs)" "" "--stale 60: nothing is that old"
run at 2026-03-01T10:00:00Z list --stale 30 --stage need --format tsv
check_eq "$(refs)" "93-0001 84-0003" "--stale combines with --stage"
run fai list --stale abc
check_rc 1 "--stale abc: exit 1"
run fai list --stale -1
check_rc 1 "--stale -1: exit 1"

# DAYS column of the table counts days in the stage.
run at 2026-03-01T10:00:00Z list --stage need
check "the table's DAYS column counts 50 days in stage" grep -q "^93-0001 .* 50$" "$OUT"

# ---------------------------------------------------------------- show
run at 2026-03-01T10:00:00Z show 84-0001
check_rc 0 "show exits 0"
check "show starts with the reference and the title" \
	grep -q "^84-0001  Épicerie solidaire au niveau de vie élevé$" "$OUT"
check_out "Concept (for 50 days)" "show gives the stage label and days in stage"
check_out "84 Auvergne-Rhône-Alpes" "show names the region"
check_out "circuit court; Épicerie" "show lists the tags"
check_out "Pas de commerce à moins de 20 km" "show gives the need"
check_out "History" "show has a history section"
check_out "created \"Épicerie solidaire" "the history starts with the creation"
check_out "moved Need identified → Concept" "the history shows the move"

run at 2026-03-01T10:00:00Z show 84-0002 --format json
check_rc 0 "show --format json exits 0"
check "show json is valid JSON" python3 -m json.tool "$OUT" /dev/null
check_eq "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["idea"]["ref"], d["idea"]["territory"], len(d["comments"]),
      d["comments"][0]["text"], d["comments"][0]["at"],
      [h["kind"] for h in d["history"]])' "$OUT")" \
	"84-0002 2A 1 Relance du garage 2026-02-15T10:00:00Z ['create', 'comment']" \
	"show json holds the idea, its comments and its history"

run fai show 84-0099
check_rc_err 4 "84-0099" "show of an unknown reference: exit 4 naming it"
run fai show 84-0001 --format tsv
check_rc 1 "show --format tsv: exit 1"

# show by UUID
uuid=$(field 84-0003 id "$db")
run fai show "$uuid"
check_rc 0 "show accepts the UUID"
check_out "Conciergerie rurale" "show by UUID finds the idea"

# ---------------------------------------------------------------- width
# The table must fit COLUMNS, counted in terminal cells (wide characters
# count 2, combining marks 0), even with accents and an emoji.
wide=$(mkstore wide 84)
"$FAI" --db "$wide" add --title "Maison des aînés à Saint-Étienne-de-Saint-Geoirs 🏡 — lieu de vie partagé, très élevé, ouvert à tous" \
	--territory "38; 38400" --facilitator "Zoé Lefèvre-Mérieux de la Côte" > /dev/null
"$FAI" --db "$wide" add --title "Café 😀😀😀 réparation 修理 vélos" > /dev/null
"$FAI" --db "$wide" add --title "Court" > /dev/null
cells() { # COLUMNS FILE: prints the widest line, in cells
	python3 - "$1" "$2" <<'EOF'
import sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
print(max(width(l) for l in lines))
EOF
}
for cols in 40 60 80 120; do
	run env COLUMNS=$cols "$FAI" --db "$wide" list
	widest=$(cells $cols "$OUT")
	if [ "$RC" -eq 0 ] && [ "$widest" -le "$cols" ]; then
		pass "COLUMNS=$cols: the table fits ($widest cells)"
	else
		fail "COLUMNS=$cols: the table fits" "widest line $widest cells"
	fi
done
run env COLUMNS=60 "$FAI" --db "$wide" list
check_out "…" "COLUMNS=60: a long title is cut with an ellipsis"
check "COLUMNS=60: no half-cut UTF-8" python3 -c 'import sys; open(sys.argv[1], encoding="utf-8").read()' "$OUT"
run env COLUMNS=120 "$FAI" --db "$wide" list
check_out "Café 😀😀😀 réparation 修理 vélos" "COLUMNS=120: the emoji title is shown whole"
check_out "FACILITATOR" "COLUMNS=120 shows the facilitator column"
run env COLUMNS=60 "$FAI" --db "$wide" list
check_no_out "FACILITATOR" "COLUMNS=60 drops the facilitator column"

finish
