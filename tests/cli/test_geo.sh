#!/bin/sh
# test_geo.sh - communes and départements by name (issue 14, the INSEE
# geography, core/geo.c): `fai show`, the list and the board's detail give
# the names of a territory's codes; a search finds an idea by them (fai list
# --search and the board's /, one rule); a code with the shape of one but
# that the Code officiel géographique does not hold is refused, from the
# command line and from an import, the store left as it was.  The board
# scenario is the real binary in a detached tmux session of 80x24 under
# LANG=fr_FR.UTF-8 on a copy of the demo store.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
tmx_init

S=
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_geo.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi
db=$T/demo
fr() { env LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 FAI_NOW=$NOW "$@"; }

# ================================================ names shown
run fr "$FAI" --db "$db" show 84-0014
check_out "07019 Aubenas, 07186 Privas" \
	"show: each code is followed by its commune's name"
run fr "$FAI" --db "$db" show 84-0016
check_out "43 Haute-Loire" "show: a département's name"
run env COLUMNS=100 "$FAI" --db "$db" list --stage need
check_out "Haute-Loire" "list: the table shows the names, as the cards do"
run "$FAI" --db "$db" list --format tsv
check_out "	07019, 07186	" "list --format tsv keeps the codes"

# ================================================ search by name
got=$("$FAI" --db "$db" list --search aubenas --format tsv | awk -F '\t' 'NR > 1 { print $2 }')
check_eq "$got" "84-0014" "search: « aubenas » finds the idea of 07019 (in no field as text)"
got=$("$FAI" --db "$db" list --search "HAUTE-LOIRE" --format tsv | awk -F '\t' 'NR > 1 { print $2 }')
check_eq "$got" "84-0016" "search: a département's name, case ignored"

# ================================================ unknown codes refused
snap "$db"
run fr "$FAI" --db "$db" add --title "Recyclerie" --territory 63999
check_rc 2 "add: 63999 (a commune's shape, not in the COG) is refused"
check_err "63999" "add: ... naming the code"
check_err "n’est pas un code INSEE de département ou de commune" "add: ... saying why, in French"
run fr "$FAI" --db "$db" edit 84-0014 --set "territory=07019, 07999"
check_rc 2 "edit: one unknown code in a list is refused"
check "refused: the store is byte for byte as it was" same_as_snap "$db"
printf 'title,region,territory\r\nAtelier,84,07019\r\nGarage,84,07999\r\n' > "$T/in.csv"
run fr "$FAI" --db "$db" import "$T/in.csv"
check_rc 2 "import: a row with an unknown code makes the file invalid"
check_err "07999" "import: ... naming the code"
check_err "in.csv:3:" "import: ... and its line"
check "import refused: the store is as it was" same_as_snap "$db"
run "$FAI" --db "$db" add --title "Garage solidaire" --territory "2a004"
check_rc 0 "add: 2a004 (Ajaccio, lower case) is accepted"
ref=$(printf '%s' "$(cat "$T/out")" | grep -oE '^[0-9]{2}-[0-9]{4}' | head -1)
run fr "$FAI" --db "$db" show "$ref"
check_out "2A004 Ajaccio" "show: ... stored as 2A004, shown with its name"

# ================================================ the board
S=geo
tmx new-session -d -s geo -x 80 -y 24 \
	"env LANG=fr_FR.UTF-8 TERM=xterm-256color FAI_NOW=$NOW sh '$T/run-board' '$FAI' --db '$db'"
expect "Besoin" "board: opens"
key /
typ "aubenas"
key Enter
expect_sel 84-0014 "board: / aubenas Enter selects the idea of Aubenas"
key Enter
expect "07019 Aubenas, 07186 Privas" "board: the detail names the communes"
key q
quit_ok "board: quits"

finish
