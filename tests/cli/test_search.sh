#!/bin/sh
# test_search.sh - the board's search as a French facilitator lives it
# (issue 12, bug 6 and the search friction): Enter goes to the first match
# in whatever column it is, n and N walk the matches and say when they
# wrap, a search that finds nothing says so, a card created under a search
# is seen, the search reads every text field and the comments, what a
# colleague writes under a search is found, and `fai list --search` gives
# the board's ideas (one rule).  Each scenario is
# the real binary in a detached tmux session of 80x24 under
# LANG=fr_FR.UTF-8 on a copy of the demo store; every wait polls the
# screen.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
tmx_init

S=
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

# start NAME DB [COLUMNS]: the board on DB, in French, at 80x24 (or
# COLUMNS wide: a message longer than 80 columns is cut there until the
# messages of bug 2 take two lines).
start() {
	S=$1
	tmx new-session -d -s "$1" -x "${3:-80}" -y 24 \
		"env LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 TERM=xterm-256color FAI_NOW=$NOW sh '$T/run-board' '$FAI' --db '$2'"
}

fresh() {
	rm -rf "${T:?}/$1"
	cp -R "$T/demo" "$T/$1"
	echo "$T/$1"
}

# refs DB ARGS...: the references fai list gives, in board order, one a
# line, for the stages the board shows without z.
refs() {
	_db=$1
	shift
	"$FAI" --db "$_db" list "$@" --format tsv 2> /dev/null | awk -F '\t' '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["stage"] != "on_hold" && $col["stage"] != "abandoned" {
			print $col["ref"] }'
}

# search TEXT: / TEXT Enter on the board.
search() {
	key /
	typ "$1"
	key Enter
}

# walk N: the selected reference, then n pressed N-1 times, each selected
# reference on its own line (waits for each step to land).
walk() {
	_w=$(selref)
	echo "$_w"
	_i=1
	while [ "$_i" -lt "$1" ]; do
		key n
		wait_until eval '[ "$(selref)" != "$_w" ]'
		_w=$(selref)
		echo "$_w"
		_i=$((_i + 1))
	done
}

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_search.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi

# ================================================ 1. Enter goes to the match
# The board opens on Besoin; the only match of « intergénér » on the board
# is 75-0005, in Recherche de porteur: Enter selects it there.
db=$(fresh enter)
start enter "$db"
expect "Besoin" "enter: the board opens"
search "intergénér"
expect "1 idée correspond à « intergénér »" "enter: Enter says how many ideas match"
expect_sel 75-0005 "enter: Enter selects the match in another column (Recherche de porteur)"
key Enter
expect "Habitat intergénérationnel" "enter: Enter again opens the selected match's detail"
key q
expect "Besoin" "enter: q goes back to the board"
quit_ok "enter: the board quits"

# ================================================ 2. n and N
# « mission locale » is a partner of ideas in every column: n walks them
# in reading order, N goes back, each wraps at its end and says so.
db=$(fresh walk)
want=$(refs "$db" --search "mission locale")
nwant=$(echo "$want" | grep -c .)
check "walk: fai list finds several ideas whose partner is the mission locale ($nwant)" \
	test "$nwant" -ge 4
start walk "$db"
expect "Besoin" "walk: the board opens"
search "mission locale"
expect "$nwant idées correspondent à « mission locale »" "walk: Enter counts the matches"
first=$(echo "$want" | sed -n 1p)
last=$(echo "$want" | sed -n "${nwant}p")
second=$(echo "$want" | sed -n 2p)
expect_sel "$first" "walk: Enter selects the first match of Besoin"
got=$(walk "$nwant")
check_eq "$got" "$want" "walk: n goes through the board's matches in fai list --search's order (one rule)"
key n
expect "recherche reprise au début" "walk: n past the last match says it wraps"
expect_sel "$first" "walk: ... and selects the first match"
key N
expect "recherche reprise à la fin" "walk: N before the first match says it wraps"
expect_sel "$last" "walk: ... and selects the last match"
key n
expect_sel "$first" "walk: n from the last goes back to the first"
key n
expect_sel "$second" "walk: n goes to the second match"
key N
expect_sel "$first" "walk: N goes back to the first"
quit_ok "walk: the board quits"

# ================================================ 3. nothing matches
db=$(fresh none)
start none "$db" 160
expect "Besoin" "none: the board opens"
key n
expect "pas de recherche en cours (nouvelle idée : +)" "none: n with no search says so and names +"
search "zzintrouvable"
expect "aucune idée ne correspond à « zzintrouvable »" "none: a search that finds nothing says so"
key n
expect "aucune idée ne correspond à « zzintrouvable »" "none: n says it again"
# alpage is in a comment of 84-0001, on hold: not on the board without z
key /
key C-u
typ "alpage"
key Enter
expect "aucune idée du tableau ne correspond à « alpage » ; 1 en veille ou abandonnée y correspond (z la montre)" \
	"none: a match only on hold is named, with the key that shows it"
quit_ok "none: the board quits"

# ================================================ 4. comments and every field
# « questionnaire » is only in a comment of 84-0003; « tulle » in 75-0006's need
# and, after this, in a comment of 84-0015; « Chartreuse » in a title; a
# porteur's and a structure's name.
db=$(fresh fields)
check "fields: questionnaire is in no field of 84-0003" \
	sh -c "! '$FAI' --db '$db' show 84-0003 | sed '/^History/,\$d' | grep -qi questionnaire"
check "fields: ... but in one of its comments" \
	sh -c "'$FAI' --db '$db' show 84-0003 | sed '1,/^History/d' | grep -qi questionnaire"
check_eq "$(refs "$db" --search questionnaire)" "84-0003" "fields: fai list --search finds the comment word"
run env FAI_NOW=$NOW "$FAI" --db "$db" comment 84-0015 "Rencontré le CCAS de Tulle jeudi"
check_rc 0 "fields: a comment naming Tulle is added to 84-0015"
check_eq "$(refs "$db" --search tulle | sort)" "$(printf '75-0006\n84-0015')" \
	"fields: « tulle » finds the need and the new comment"
run "$FAI" --db "$db" export --search tulle
check_out "84-0015" "fields: export --search reads the comments too"
for f in owner structure facilitator source concept; do
	v=$("$FAI" --db "$db" list --format tsv | awk -F '\t' -v f="$f" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col[f] != "" { print $col[f]; exit }')
	r=$("$FAI" --db "$db" list --format tsv | awk -F '\t' -v f="$f" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col[f] != "" { print $col["ref"]; exit }')
	check "fields: the $f « $v » finds $r" \
		sh -c "'$FAI' --db '$db' list --search \"\$1\" --format tsv | grep -q \"^[^	]*	$r	\"" _ "$v"
done
start fields "$db"
expect "Besoin" "fields: the board opens"
search "questionnaire"
expect_sel 84-0003 "fields: / questionnaire Enter selects the idea whose comment says it (Activité lancée)"
key /
key C-u
typ "TULLE"
key Enter
expect "2 idées correspondent à « TULLE »" "fields: the board finds both tulle ideas, case ignored"
got=$(walk 2)
check_eq "$got" "$(refs "$db" --search tulle)" "fields: the board's tulle matches are fai list's"
quit_ok "fields: the board quits"

# ================================================ 5. a card made under a search
# Created while « intergénér » is on, the new card does not match it: the
# search is lifted, said, and the card selected.
db=$(fresh create)
start create "$db" 120
expect "Besoin" "create: the board opens"
search "intergénér"
expect_sel 75-0005 "create: the search is on"
key +
expect "Nouvelle idée" "create: + opens the new-idea form"
typ "Jardin partagé des Minimes"
key C-s
ok "create: Ctrl-S creates the idea" "no « créée » message" \
	shows_re '[0-9]{2}-[0-9]{4} créée'
nref=$(grep -oE '[0-9]{2}-[0-9]{4} créée' "$SCR" | cut -d ' ' -f 1)
expect "recherche « intergénér » levée : $nref n’y correspond pas" \
	"create: the board says the search is lifted, and why"
expect_sel "$nref" "create: the new card is seen and selected"
ok "create: the banner of the search is gone" "it is still there" \
	lacks "Filtre : recherche « intergénér »"
# i opens the form too; a card that matches keeps the search
search "jardin"
expect_sel "$nref" "create: / jardin Enter selects the new card"
key i
expect "Nouvelle idée" "create: i opens the new-idea form"
typ "Jardin d’insertion de la Doua"
key C-s
ok "create: the second idea is created" "no « créée » message" \
	shows_re '[0-9]{2}-[0-9]{4} créée'
nref2=$(grep -oE '[0-9]{2}-[0-9]{4} créée' "$SCR" | cut -d ' ' -f 1)
expect_sel "$nref2" "create: a new card that matches is selected"
ok "create: ... and the search stays on" "the search is gone" shows "recherche « jardin »"
quit_ok "create: the board quits"

# ================================================ 6. a colleague writes under a search
# The search reads the board's text index, read at the first search and
# then kept up to date from the store's log: what a colleague writes while
# the search is on is found at the board's next look (about a second), and
# what they remove is no longer found.
db=$(fresh colleague)
start colleague "$db" 120
expect "Besoin" "colleague: the board opens"
search "bibliobus"
expect "aucune idée ne correspond à « bibliobus »" "colleague: nothing says bibliobus yet"
run env FAI_NOW=$NOW "$FAI" --db "$db" comment 84-0003 "Proposer un bibliobus aux communes"
check_rc 0 "colleague: a colleague comments on 84-0003"
ok "colleague: the commented card appears under the search" "84-0003 not shown" \
	shows "84-0003"
run env FAI_NOW=$NOW "$FAI" --db "$db" edit 75-0005 --set "need=Pas de bibliobus dans le quartier"
check_rc 0 "colleague: a colleague writes bibliobus in 75-0005's need"
ok "colleague: the edited card appears too" "75-0005 not shown" shows "75-0005"
run env FAI_NOW=$NOW "$FAI" --db "$db" edit 75-0005 --set "need=Pas de médiathèque"
check_rc 0 "colleague: the colleague takes it out again"
ok "colleague: 75-0005 is no longer found" "75-0005 still shown" lacks "75-0005"
ok "colleague: 84-0003 still is" "84-0003 gone" shows "84-0003"
check_eq "$(refs "$db" --search bibliobus)" "84-0003" "colleague: fai list --search agrees"
quit_ok "colleague: the board quits"

finish
