#!/bin/sh
# test_flow.sh - the board's daily flow as a French facilitator lives it
# (issue 12): the selection after a move, filters set, changed and
# cancelled, the scroll after a filter, J then K.  Each scenario is the
# real binary in a detached tmux session of 80x24 under LANG=fr_FR.UTF-8 on
# a copy of the demo store; keys sent with send-keys, the screen read with
# capture-pane and compared with what a person should see; what the board
# wrote is checked with `fai list`.  Every wait polls the screen.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
tmx_init

S=
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

# start NAME DB: the board on DB, in French, at 80x24.
start() {
	S=$1
	tmx new-session -d -s "$1" -x 80 -y 24 \
		"env LANG=fr_FR.UTF-8 TERM=xterm-256color FAI_NOW=$NOW sh '$T/run-board' '$FAI' --db '$2'"
}

# refs STAGE DB [OPTION...]: the references of a stage, in board order.
refs() {
	_st=$1 _db=$2
	shift 2
	"$FAI" --db "$_db" list --stage "$_st" "$@" --format tsv 2> /dev/null | awk -F '\t' '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ print $col["ref"] }'
}
nth() { echo "$2" | sed -n "${1}p"; }
count() { echo "$1" | grep -c .; }

fresh() {
	rm -rf "${T:?}/$1"
	cp -R "$T/demo" "$T/$1"
	echo "$T/$1"
}

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_flow.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi
NEED=$(refs need "$T/demo")
# stage REF DB: the stage code of an idea (need, concept...).
stage() {
	"$FAI" --db "$2" list --format tsv 2> /dev/null | awk -F '\t' -v ref="$1" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["ref"] == ref { print $col["stage"] }'
}
stage_is() { [ "$(stage "$1" "$3")" = "$2" ]; }

# ================================================ 1. the selection follows
# After > < m H a the selection follows the moved card: a repeated key
# never acts on another idea (> > advances one idea until a gate stops it).
db=$(fresh follow)
r1=$(nth 1 "$NEED")
r2=$(nth 2 "$NEED")
start follow "$db"
expect_sel "$r1" "follow: the board opens on the first card of Besoin"
key '>'
expect "$r1 passe à l’étape « Concept »" "follow: > moves the card to Concept"
expect_sel "$r1" "follow: after > the selection is on the moved card, in Concept"
key '>'
expect "Des champs obligatoires sont vides" "follow: a second > moves the same card, up to the gate of Recherche"
check "follow: the second > never touched the next card of Besoin ($r2)" \
	stage_is "$r2" need "$db"
check "follow: the first card waits at Concept behind the gate" \
	stage_is "$r1" concept "$db"
key Escape
expect_sel "$r1" "follow: the gate cancelled, the selection is still on the card"
key '<'
expect "$r1 passe à l’étape « Besoin identifié »" "follow: < moves the card back"
expect_sel "$r1" "follow: after < the selection follows the card back to Besoin"
key m
expect "Déplacer vers" "follow: m asks for a stage"
key j Enter
ok "follow: m moved the card to Concept" "$r1 is not at concept" stage_is "$r1" concept "$db"
expect_sel "$r1" "follow: after m the selection follows the card"
key H
expect "Motif ($r1 → En veille)" "follow: H asks for the reason"
typ "Attente du financement"
key Enter
ok "follow: H put the card on hold" "$r1 is not on hold" stage_is "$r1" on_hold "$db"
expect_sel "$r1" "follow: after H the selection follows the card to En veille"
key a
expect "Motif ($r1 → Abandonnée)" "follow: a asks for the reason"
typ "Plus de porteur"
key Enter
ok "follow: a abandoned the card" "$r1 is not abandoned" stage_is "$r1" abandoned "$db"
expect_sel "$r1" "follow: after a the selection follows the card to Abandonnée"
check "follow: no other idea moved ($r2 still at need)" stage_is "$r2" need "$db"
key '?'
expect "Touches" "follow: ? opens the help"
ok "follow: the help says the selection follows the card for > < m H a" \
	"no 'la sélection suit' on the rows of > < m and H a" \
	eval 'shows_re "> < m +[^│]*la sélection suit" && shows_re "H a +[^│]*la sélection suit"'
key x
quit_ok "follow: the board quits"

# board_counts: the counts of the header line, e.g. "5 5 3 3 ".
board_counts() {
	shot
	line 1 | sed 's/│/\n/g' | sed -n 's/.* \([0-9][0-9]*\)$/\1/p' | tr '\n' ' '
}
counts_are() { [ "$(board_counts)" = "$1" ]; }
# region_counts REGION: what `fai list --region` counts per pipeline stage.
region_counts() {
	for _st in need concept owner_search launched; do
		refs "$_st" "$T/demo" --region "$1" | grep -c .
	done | tr '\n' ' '
}
R84=$(region_counts 84)

# ================================ 4. cancelling a second filter prompt
# f région 84, then f Animateur and Esc: the filter stays région 84.
db=$(fresh cancel)
start cancel "$db"
expect "Activité lancée" "cancel: the board opens"
key f
expect "Filtrer par" "cancel: f offers the filters"
key Enter
expect "Saisir un code…" "cancel: Région lists the regions, a code typed first"
key Enter
expect "Code région" "cancel: Région asks for the code"
typ 84
key Enter
ok "cancel: the région 84 filter shows fai list --region 84's counts ($R84)" \
	"the header counts are not $R84" counts_are "$R84"
ok "cancel: the banner says région 84" "no 'Filtre : région 84' on the banner" shows "Filtre : région 84"
key f
expect "Filtrer par" "cancel: f again offers the filters"
key j j Enter
expect "Saisir une partie du nom…" "cancel: Animateur lists the people, a name typed first"
key Enter
expect "Animateur (une partie du nom)" "cancel: Animateur asks for a name"
key Escape
ok "cancel: Esc closes the prompt" "the prompt is still there" lacks "Animateur (une partie"
ok "cancel: Esc leaves the région 84 filter as it was (counts $R84)" \
	"the header counts are not $R84" counts_are "$R84"
ok "cancel: no column reads (vide) after Esc" "a column says (vide)" lacks "(vide)"
ok "cancel: the banner still says région 84" "no 'Filtre : région 84' on the banner" shows "Filtre : région 84"
key f
expect "Filtrer par" "cancel: f once more"
key j j Enter
expect "Saisir une partie du nom…" "cancel: the people again"
key Enter
expect "Animateur (une partie du nom)" "cancel: Animateur asks again"
key Enter
ok "cancel: Enter on an empty name closes the prompt" "the prompt is still there" \
	lacks "Animateur (une partie"
ok "cancel: an empty name leaves the région 84 filter as it was" \
	"the header counts are not $R84" counts_are "$R84"
quit_ok "cancel: the board quits"

# ======================================= 5. the scroll after a filter
# In Activité lancée G, then région 84: the column shows its first cards
# from the top (no "↑ encore"), the selection on its first card since the
# one selected is filtered out; Besoin keeps its selected card, still shown.
db=$(fresh scroll)
LAUNCHED=$(refs launched "$T/demo")
L84=$(refs launched "$T/demo" --region 84)
N84=$(refs need "$T/demo" --region 84)
lastneed=$(nth "$(count "$NEED")" "$NEED")
start scroll "$db"
expect "Activité lancée" "scroll: the board opens"
check "scroll: the last card of Besoin ($lastneed) is in région 84 (the checks count on it)" \
	eval 'echo "$N84" | grep -qx "$lastneed"'
check "scroll: the last card of Activité lancée is not in région 84 (the checks count on it)" \
	eval '! echo "$L84" | grep -qx "$(nth "$(count "$LAUNCHED")" "$LAUNCHED")"'
key G
expect_sel "$lastneed" "scroll: G selects the last card of Besoin"
key l l l G
expect_sel "$(nth "$(count "$LAUNCHED")" "$LAUNCHED")" "scroll: G selects the last card of Activité lancée"
ok "scroll: Activité lancée is scrolled ('↑ encore' on line 2)" "no ↑ on line 2" \
	eval 'shot && line 2 | grep -q "↑ encore"'
key f
expect "Filtrer par" "scroll: f offers the filters"
key Enter
expect "Saisir un code…" "scroll: Région lists the regions, a code typed first"
key Enter
expect "Code région" "scroll: Région asks for the code"
typ 84
key Enter
ok "scroll: the région 84 filter is on" "the header counts are not $R84" \
	eval 'lacks "Code région" && counts_are "$R84"'
ok "scroll: after the filter no column says '↑ encore' (they all fit)" \
	"line 2 still has an ↑" eval 'shot && ! line 2 | grep -q "↑"'
for _r in $L84; do
	ok "scroll: Activité lancée shows $_r" "$_r is not on the screen" shows "$_r"
done
expect_sel "$(nth 1 "$L84")" "scroll: the selection is on the first card of Activité lancée"
key h h h
expect_sel "$lastneed" "scroll: Besoin kept its selected card, still shown"
typ /
expect "Échap : annuler" "scroll: / opens the search"
typ "zzz"
ok "scroll: a search that matches nothing empties the columns" \
	"the header counts are not 0 0 0 0" counts_are "0 0 0 0 "
key C-u
ok "scroll: the search erased, the région 84 cards are back" \
	"the header counts are not $R84" counts_are "$R84"
key Escape
ok "scroll: the search prompt closes" "the prompt is still there" lacks "Échap : annuler"
expect_sel "$(nth 1 "$N84")" "scroll: the card lost to the search, Besoin selects its first card"
key G
expect_sel "$lastneed" "scroll: G selects the last card of Besoin again"
key f
expect "Filtrer par" "scroll: f once more"
key j j j j j Enter
ok "scroll: the filter cleared, every card is back" \
	"the header counts are not 18 16 10 9" counts_are "18 16 10 9 "
expect_sel "$lastneed" "scroll: Besoin kept its selected card after the filter went"
ok "scroll: Besoin is scrolled to show it ('↑ encore 12', no ↓ at its foot)" \
	"the first column's markers are not ↑ 12 without ↓" \
	eval 'shot && line 2 | grep -q "^↑ encore 12 " && ! line 22 | grep -q "^↓"'
quit_ok "scroll: the board quits"

# ============================================= 3. J then K, at the top
# J then K on the first card of Besoin: the column shows its six first
# cards again, the moved one selected (not the moved card alone over
# blank lines and "↓ encore 17").
db=$(fresh jk)
start jk "$db"
expect_sel "$(nth 1 "$NEED")" "jk: the board opens on the first card of Besoin"
key J
expect "carte descendue" "jk: J moves the card down"
expect_sel "$(nth 1 "$NEED")" "jk: the selection follows the card moved down"
key K
expect "carte remontée" "jk: K moves it back up"
ok "jk: the store's order of Besoin is back as it was" "fai list --stage need differs" \
	eval '[ "$(refs need "$db")" = "$NEED" ]'
expect_sel "$(nth 1 "$NEED")" "jk: the selection is on the card moved up"
for _i in 2 3 4 5 6; do
	ok "jk: Besoin shows its card n° $_i ($(nth $_i "$NEED")) under it" \
		"$(nth $_i "$NEED") is not on the screen" shows "$(nth $_i "$NEED")"
done
ok "jk: the foot of Besoin says '↓ encore 12'" "line 22 does not start with ↓ encore 12" \
	eval 'shot && line 22 | grep -q "^↓ encore 12 "'
key C-l
ok "jk: Ctrl-L redraws the same column" "a card or the marker is gone after Ctrl-L" \
	eval 'shows "$(nth 6 "$NEED")" && line 22 | grep -q "^↓ encore 12 "'
# The same pair further down keeps a full window too.
key j j j j j j j J
expect "carte descendue" "jk: J on the 8th card"
key K
expect "carte remontée" "jk: K brings it back"
expect_sel "$(nth 8 "$NEED")" "jk: the 8th card is selected"
ok "jk: Besoin shows six cards around it, '↓ encore' at its foot" \
	"the column is not full" \
	eval 'shows "$(nth 8 "$NEED")" && shows "$(nth 7 "$NEED")" && line 22 | grep -q "^↓ encore "'
quit_ok "jk: the board quits"

finish
