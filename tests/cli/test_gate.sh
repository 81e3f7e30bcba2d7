#!/bin/sh
# test_gate.sh - where a refused move, a missing reason and a failed
# $EDITOR save lead on the board (issue 12, bug 7 and friction): the gate
# form opens on the first missing field and moves the card after the save;
# H and a ask again for an empty reason; E reopens the text kept after a
# refused save with the error on top; the new-idea form shows the region it
# will save.  Each scenario is the real binary in a detached tmux session of
# 80x24 under LANG=fr_FR.UTF-8 on a copy of the demo store; what the board
# wrote is checked with `fai list`.  Every wait polls the screen.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
tmx_init

cat > "$T/run-board" << 'EOS'
#!/bin/sh
"$@"
echo "[fai exited $?]"
exec sleep 600
EOS

S=
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

# start NAME DB [ENV...]: the board on DB, in French, at 80x24.
start() {
	S=$1
	_db=$2
	shift 2
	tmx new-session -d -s "$S" -x 80 -y 24 \
		"env LANG=fr_FR.UTF-8 TERM=xterm-256color FAI_NOW=$NOW $* sh '$T/run-board' '$FAI' --db '$_db'"
}

# refs STAGE DB: the references of a stage, in board order.
refs() {
	"$FAI" --db "$2" list --stage "$1" --format tsv 2> /dev/null | awk -F '\t' '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ print $col["ref"] }'
}
nth() { echo "$2" | sed -n "${1}p"; }

# field REF NAME DB: a field of an idea, as fai list writes it.
field() {
	"$FAI" --db "$3" list --format tsv 2> /dev/null | awk -F '\t' -v ref="$1" -v f="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["ref"] == ref { print $col[f] }'
}
stage_is() { [ "$(field "$1" stage "$3")" = "$2" ]; }

fresh() {
	rm -rf "${T:?}/$1"
	cp -R "$T/demo" "$T/$1"
	echo "$T/$1"
}

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_gate.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi
NEED=$(refs need "$T/demo")

# ================================================ 2. a reason asked again
# H or a with an empty reason ask again, saying a reason is needed; Esc
# cancels and says nothing changed.
db=$(fresh reason)
r1=$(nth 1 "$NEED")
r2=$(nth 2 "$NEED")
start reason "$db"
expect_sel "$r1" "reason: the board opens on the first card of Besoin"
key H
expect "Motif ($r1 → En veille) :" "reason: H asks for the reason"
key Enter
expect "Un motif est nécessaire ($r1 → En veille ; Échap pour annuler) :" "reason: an empty reason is not taken: the prompt asks again, saying a reason is needed"
check "reason: nothing moved on the empty reason" stage_is "$r1" need "$db"
typ "   "
key Enter
expect "Un motif est nécessaire ($r1 → En veille ; Échap pour annuler) :" "reason: blanks only are no reason either"
check "reason: nothing moved on a reason of blanks" stage_is "$r1" need "$db"
typ "attente du financement régional"
key Enter
expect "$r1 passe à l’étape « En veille »" "reason: a reason typed then moves the card"
ok "reason: the card is on hold, with its reason" "stage or reason differ" \
	eval '[ "$(field "$r1" stage "$db")" = on_hold ] && [ "$(field "$r1" stage_reason "$db")" = "attente du financement régional" ]'
expect_sel "$r1" "reason: the selection follows the card into En veille"
key a
expect "Motif ($r1 → Abandonnée) :" "reason: a asks for the reason"
key Enter
expect "Un motif est nécessaire ($r1 → Abandonnée ; Échap pour annuler) :" "reason: a with an empty reason asks again"
key Escape
expect "annulé : rien n’a changé" "reason: Esc says nothing changed"
check "reason: Esc left the card where it was" stage_is "$r1" on_hold "$db"
check "reason: the card keeps its reason" \
	eval '[ "$(field "$r1" stage_reason "$db")" = "attente du financement régional" ]'
check "reason: the other cards of Besoin did not move" stage_is "$r2" need "$db"
quit_ok "reason: the board quits"

# ================================================ 4. the region it will save
# The new-idea form shows in Région the store's region, which the save
# uses; an untouched form still closes on Esc without a question.
db=$(fresh region)
start region "$db"
expect_sel "$(nth 1 "$NEED")" "region: the board opens"
key +
expect "Nouvelle idée" "region: + opens the new-idea form"
ok "region: Région shows the store's region, 84" "the Région line does not hold 84" \
	eval 'shot && grep -E "^Région +84 *$" "$SCR" > /dev/null'
key Escape
expect "Besoin" "region: Esc closes the untouched form at once (no question about changes)"
ok "region: no 'drop the changes' question for a form left as it opened" \
	"the form asked to drop changes" lacks "Abandonner les modifications"
key i
expect "Nouvelle idée" "region: i opens the new-idea form too"
typ "Jardin partagé au pied des immeubles"
key C-s
ok "region: the idea is created" "no '… créée' message" shows_re "84-[0-9]{4} créée"
new=$(sed -n 's/.*\(84-[0-9]\{4\}\) créée.*/\1/p' "$SCR" | head -n 1)
check "region: the new idea has the region the form showed" \
	eval '[ -n "$new" ] && [ "$(field "$new" region "$db")" = 84 ]'
quit_ok "region: the board quits"

# A store of another region shows its own.
db53=$T/r53
"$FAI" --db "$db53" init --region 53 > /dev/null 2>&1
start region53 "$db53"
expect "Besoin" "region: the board of a store of region 53 opens"
key +
expect "Nouvelle idée" "region: + opens the form on the region 53 store"
ok "region: Région shows 53 there" "the Région line does not hold 53" \
	eval 'shot && grep -E "^Région +53 *$" "$SCR" > /dev/null'
key Escape
quit_ok "region: the region 53 board quits"

finish
