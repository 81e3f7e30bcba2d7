#!/bin/sh
# test_cards.sh - the cards, the detail view and the review as a French
# facilitator lives them (issue 12): a title over two lines in a narrow
# column, initials unique among the store's facilitators, the reason on a
# card on hold, the legend of ? ; comments from the detail (several lines);
# Enter in the review opens the idea's detail and q q goes back to the
# board.  Each scenario is the real binary in a detached tmux session of
# 80x24 under LANG=fr_FR.UTF-8 on a copy of the demo store, plus a Claire
# Martin beside the demo's Claire Mercier; keys sent with send-keys, the
# screen read with capture-pane; what the board wrote is checked with
# `fai show` and `fai log`.  Every wait polls the screen.
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

fresh() {
	rm -rf "${T:?}/$1"
	cp -R "$T/demo" "$T/$1"
	echo "$T/$1"
}

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_cards.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi
# Claire Martin beside the demo's Claire Mercier: both are "CM".
if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" add \
	--title "Conciergerie solidaire de quartier à Villeurbanne" \
	--region 84 --territory 69266 --facilitator "Claire Martin" \
	> "$T/add.out" 2>&1; then
	echo "test_cards.sh: fai add failed:" >&2
	cat "$T/add.out" >&2
	exit 2
fi
TWIN=$(cat "$T/add.out")

# below REF N: line N (1, 2) under the line of card REF on the last screen,
# in REF's column only (the card's width at 80x24).
below() {
	awk -F '│' -v ref="$1" -v n="$2" '
		col && ++k == n { print $col; exit }
		!col { for (i = 1; i <= NF; i++) if (index($i, ref) == 1) col = i }
	' "$SCR"
}
below_is() { shot && [ "$(below "$1" "$2" | sed 's/ *$//')" = "$3" ]; }
# board_shows TEXT: TEXT is on a card (the board's lines, not the status).
board_shows() { shot && head -n 21 "$SCR" | grep -qF -e "$1"; }

# ================================================ 1. cards
db=$(fresh cards)
start cards "$db"
expect "Activité lancée" "cards: the board opens"
key G
expect_sel "$TWIN" "cards: G selects Claire Martin's new idea ($TWIN) at the bottom of Besoin"
ok "cards: a title too long for the narrow column takes two lines (line 1)" \
	"the line under $TWIN is not 'Conciergerie'" \
	below_is "$TWIN" 1 "Conciergerie"
ok "cards: a title too long for the narrow column takes two lines (line 2)" \
	"the second line under $TWIN is not 'solidaire de quart…'" \
	below_is "$TWIN" 2 "solidaire de quart…"
ok "cards: Claire Martin's card says CMa" "no 'CMa' on the line of $TWIN" \
	eval 'shot && grep "^$TWIN" "$SCR" | sed "s/│.*//" | grep -q " CMa "'
key g l l
ok "cards: Claire Mercier's card 84-0006 says CMe" "no '84-0006 … CMe' on the screen" \
	shows_re "84-0006[^│]* CMe [0-9]+j"
ok "cards: no card says plain CM any more" "a card still says ' CM '" \
	eval 'shot && ! head -n 21 "$SCR" | grep -qE " CM( |$)"'
key h h g H
expect "Motif (75-0006 → En veille)" "cards: H asks for the reason"
typ "attente du budget régional 2027"
key Enter
expect_sel 75-0006 "cards: the card went on hold, selected"
ok "cards: the card on hold shows the start of its reason" \
	"no 'attente du budget' on a card" board_shows "attente du budget"
ok "cards: the reason is the card's third line" \
	"the second line under 75-0006 is not the reason" \
	eval 'shot && below 75-0006 2 | grep -q "^attente du budget"'
key '?'
expect "Touches" "cards: ? opens the help"
ok "cards: the help's title says ? shows the marks on the cards" \
	"no '? : repères'" shows "Touches (? : repères)"
key '?'
expect "Sur les cartes (? : les touches)" "cards: ? in the help turns to the legend of the cards"
ok "cards: the help explains ⚑" "no legend line for ⚑" \
	shows_re "⚑ +aucun mouvement depuis 30 jours"
ok "cards: the help explains the day count" "no legend line for 12j" \
	shows_re "12j +jours passés à l’étape"
ok "cards: the help explains the initials" "no legend line for the initials" \
	shows "initiales de l’animateur"
key Escape
quit_ok "cards: the board quits"

# ====================================== 2. comments from the detail view
# c in the detail asks for a comment naming the card, adds it (fai show and
# fai log have it), and the detail stays open with it; a comment of three
# lines (Ctrl-J, then Alt-Enter) is stored with its newlines.
db=$(fresh comment)
REF=75-0006
start comment "$db"
expect_sel "$REF" "comment: the board opens on $REF"
key Enter
ok "comment: Enter opens the detail of $REF" "the first line is not $REF's" \
	eval 'shot && line 1 | grep -q "^$REF "'
ok "comment: the detail's footer offers c" "no 'c : commenter' in the footer" \
	shows "c : commenter"
key c
expect "Commentaire sur $REF « Accompagnement numériqu… » :" \
	"comment: c in the detail asks for a comment naming the card and its title"
ok "comment: the prompt says how to add a line" "no 'Ctrl-J ou Alt-Entrée : nouvelle ligne'" \
	shows "Ctrl-J ou Alt-Entrée : nouvelle ligne"
typ "Appel avec la mairie de Tulle"
key Enter
expect "Commentaire ajouté à $REF" "comment: Enter adds the comment and says so"
ok "comment: the detail is still open, showing the comment at the end of its history" \
	"no '💬 Appel avec la mairie de Tulle' under $REF's detail" \
	eval 'shot && line 1 | grep -q "^$REF " && grep -qF "💬 Appel avec la mairie de Tulle" "$SCR"'
run "$FAI" --db "$db" show "$REF"
check_out "comment: Appel avec la mairie de Tulle" "comment: fai show has the comment"
run "$FAI" --db "$db" log "$REF"
check_out "comment: Appel avec la mairie de Tulle" "comment: fai log has the comment"
key c
expect "Commentaire sur $REF" "comment: c again"
typ "Première ligne"
key C-j
typ "deuxième ligne"
key M-Enter
typ "troisième"
ok "comment: the prompt is still open after Ctrl-J and Alt-Enter" \
	"the prompt closed" shows "Commentaire sur $REF"
ok "comment: the prompt shows each line of the comment on a line of its own" \
	"no 'deuxième ligne' line of its own in the prompt" \
	eval 'shot && grep -q "^Première ligne *\$" "$SCR" && grep -q "^deuxième ligne *\$" "$SCR" && grep -q "^troisième *\$" "$SCR"'
key Enter
expect "Commentaire ajouté à $REF" "comment: the comment of three lines is added"
run "$FAI" --db "$db" show "$REF" --format json
check_out 'Première ligne\ndeuxième ligne\ntroisième' \
	"comment: the comment is stored with its two newlines"
ok "comment: the detail shows the comment on three lines" \
	"no 'deuxième ligne' line of its own" \
	eval 'shot && grep -q "^ *deuxième ligne *\$" "$SCR"'
key c
expect "Commentaire sur $REF" "comment: c once more"
typ "abandonné"
key Escape
expect "annulé" "comment: Esc cancels the comment"
run "$FAI" --db "$db" log "$REF"
check_no_out "abandonné" "comment: nothing was added after Esc"
key q
expect_sel "$REF" "comment: q goes back to the board, $REF still selected"
key u
expect "annulé" "comment: u on the board undoes the comment made in the detail"
run "$FAI" --db "$db" show "$REF" --format json
check "comment: the undone comment is gone from the idea's comments" \
	eval '! grep "^\"comments\"" "$OUT" | grep -qF "Première ligne"'
check "comment: the comment made before it is still there" \
	eval 'grep "^\"comments\"" "$OUT" | grep -qF "Appel avec la mairie de Tulle"'
quit_ok "comment: the board quits"

# ==================================== 3. from the review to a detail
# Enter on an idea's line in the review opens its detail; q goes back to
# the review, q again to the board, where that idea is selected; the board
# still runs.
db=$(fresh review)
start review "$db"
expect "Activité lancée" "review: the board opens"
key r
expect "Revue du portefeuille" "review: r opens the review"
rref=""
_i=0
while [ $_i -lt 60 ] && [ -z "$rref" ]; do
	key j
	sleep 0.05
	shot_e
	rref=$(grep -F "$(printf '\033[7m')" "$SCR.e" | grep -oE '[0-9]{2}-[0-9]{4}' | head -n 1)
	_i=$((_i + 1))
done
if [ -n "$rref" ]; then pass "review: a line about an idea can be selected ($rref)"
else sfail "review: a line about an idea can be selected" "no line with a reference got selected"; fi
ok "review: the footer says Enter opens the idea's detail" "no 'Entrée : fiche de l’idée'" \
	shows "Entrée : fiche de l’idée"
key Enter
ok "review: Enter opens the detail of $rref" "the first line is not $rref's detail" \
	eval 'shot && line 1 | grep -q "^$rref "'
key q
expect "Revue du portefeuille" "review: q in the detail goes back to the review"
key q
expect "Activité lancée" "review: q in the review goes back to the board"
expect_sel "$rref" "review: $rref is selected on the board"
ok "review: the board still runs after q q" "the board exited" lacks "[fai exited"
quit_ok "review: the board quits"

# ============================= 4. unique initials on a bigger store
# Above 2000 ideas the pass over every idea that makes initials unique is
# put off until the board is idle (the first frame does not wait for it):
# a second later Claire Mercier's cards say CMe, Claire Martin's CMa.
big=$T/big
{
	echo "title,region,facilitator"
	_i=0
	while [ $_i -lt 2100 ]; do
		echo "Idée $_i,84,Claire Mercier"
		_i=$((_i + 1))
	done
	echo "Idée de Claire Martin,84,Claire Martin"
} > "$T/big.csv"
run env FAI_NOW=$NOW "$FAI" --db "$big" init --region 84
run env FAI_NOW=$NOW "$FAI" --db "$big" import "$T/big.csv"
check_rc 0 "big: 2101 ideas imported"
start big "$big"
expect "84-0001" "big: the board opens on 2101 ideas"
ok "big: once idle, Claire Mercier's card says CMe" "no '84-0001 … CMe' on the screen" \
	shows_re "84-0001 +CMe [0-9]+j"
key G
expect_sel 84-2101 "big: G selects Claire Martin's idea"
ok "big: Claire Martin's card says CMa" "no '84-2101 … CMa' on the screen" \
	shows_re "84-2101 +CMa [0-9]+j"
quit_ok "big: the board quits"

finish
