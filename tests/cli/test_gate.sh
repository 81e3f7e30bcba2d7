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

# ================================================ 1. a refused move leads on
# > on an idea of Recherche de porteur without its porteur: the gate
# refuses, "Compléter les champs manquants" opens the form on Porteur with
# the missing fields marked; the save moves the card and says so.  Esc in
# such a form says the card did not move; a save that leaves a field
# missing keeps the form open on it and says what is still missing.
OWN=$(refs owner_search "$T/demo")
g1=$(nth 1 "$OWN")
g2=$(nth 2 "$OWN")
db=$(fresh gate)
"$FAI" --db "$db" edit "$g1" --set structure="SCIC Brézet Services" \
	--set launch_date=2026-03-02 > /dev/null 2>&1
# cursor_row: the row (1-based, as line N) where the terminal cursor is.
cursor_row() { echo $(($(tmx display-message -p -t "$S" '#{cursor_y}') + 1)); }
# row_of TEXT: the first row of the last screen that starts with TEXT.
row_of() { grep -n -e "^$1" "$SCR" | head -n 1 | cut -d: -f1; }
start gate "$db"
expect_sel "$(nth 1 "$NEED")" "gate: the board opens"
key l l
expect_sel "$g1" "gate: Recherche de porteur, its first card selected"
key '>'
expect "Des champs obligatoires sont vides" "gate: > is refused by the gate of Activité lancée"
check "gate: the refusal moved nothing" stage_is "$g1" owner_search "$db"
expect "Compléter les champs manquants" "gate: the refusal offers to fill in the missing fields"
key Enter
expect "Modifier $g1 (révision" "gate: the form opens on $g1"
ok "gate: the form's title says the move it leads to" "no 'pour passer à l’étape « Activité lancée »' in the title" \
	eval 'shot && line 1 | grep -qF "pour passer à l’étape « Activité lancée »"'
ok "gate: Porteur is marked missing (!)" "the Porteur line has no ! mark" \
	eval 'shot && grep -qE "^Porteur +!( |$)" "$SCR"'
ok "gate: fields the gate does not want are not marked" "Structure or Titre is marked" \
	eval 'shot && ! grep -qE "^(Structure|Titre|Date de lancement) +!( |$)" "$SCR"'
ok "gate: the cursor is on Porteur, the first missing field (not on Titre)" \
	"the cursor is on row $(cursor_row), Porteur on row $(row_of Porteur)" \
	eval 'shot && [ "$(cursor_row)" = "$(row_of Porteur)" ]'
expect "remplissez les champs marqués !" "gate: the status line says what to do"
typ "Association des salariés du Brézet"
ok "gate: a filled field loses its mark" "Porteur still marked" \
	eval 'shot && ! grep -qE "^Porteur +!( |$)" "$SCR"'
key C-s
expect "$g1 enregistrée et passée à l’étape « Activité lancée »" "gate: the save moves the card and says so"
ok "gate: $g1 is in Activité lancée, with its porteur" "stage or owner differ" \
	eval '[ "$(field "$g1" stage "$db")" = launched ] && [ "$(field "$g1" owner "$db")" = "Association des salariés du Brézet" ]'
expect_sel "$g1" "gate: the selection follows the card into Activité lancée"
quit_ok "gate: the board quits"

# Esc in the gate's form: no move, and said.  A save that leaves fields
# missing: the form stays, on what is still missing, and says it.
db=$(fresh gate2)
start gate2 "$db"
expect_sel "$(nth 1 "$NEED")" "gate-esc: the board opens"
key l l j
expect_sel "$g2" "gate-esc: the second card of Recherche de porteur"
key '>'
expect "Compléter les champs manquants" "gate-esc: > is refused, the fix offered"
key Enter
expect "pour passer à l’étape « Activité lancée »" "gate-esc: the form opens for the move"
ok "gate-esc: Porteur, Structure and Date de lancement are marked" "a mark is missing" \
	eval 'shot && grep -qE "^Porteur +!( |$)" "$SCR" && grep -qE "^Structure +!( |$)" "$SCR" && grep -qE "^Date de lancement +!( |$)" "$SCR"'
key Escape
expect "$g2 non déplacée : reste à l’étape « Recherche de porteur »" "gate-esc: Esc closes the form and says the card did not move"
check "gate-esc: the card did not move" stage_is "$g2" owner_search "$db"
key '>'
expect "Compléter les champs manquants" "gate-esc: > again"
key Enter
expect "pour passer à l’étape « Activité lancée »" "gate-esc: the form again"
typ "Épicerie Causses Mobile"
key C-s
expect "enregistrée, non déplacée ; manque encore : Structure, Date de lancement" \
	"gate-esc: a save with fields still missing says which ones"
ok "gate-esc: the form stays open, on Structure" \
	"no form, or the cursor is on row $(cursor_row), Structure on row $(row_of Structure)" \
	eval 'shows "pour passer à l’étape « Activité lancée »" && [ "$(cursor_row)" = "$(row_of Structure)" ]'
ok "gate-esc: the porteur was saved, the card did not move" "owner or stage differ" \
	eval '[ "$(field "$g2" owner "$db")" = "Épicerie Causses Mobile" ] && [ "$(field "$g2" stage "$db")" = owner_search ]'
typ "SCIC Épicerie des Causses"
key Escape
expect "Abandonner les modifications" "gate-esc: Esc after typing asks about the changes"
key Up Enter
expect "$g2 non déplacée, modifications abandonnées" \
	"gate-esc: dropping the changes says the card did not move"
check "gate-esc: the structure typed was dropped" eval '[ -z "$(field "$g2" structure "$db")" ]'
quit_ok "gate-esc: the board quits"

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

# ================================================ 3. E reopens the kept text
# A $EDITOR text refused at the save (a bad SIRET) is kept in a file; E on
# that card then offers to reopen it, with the error on top as comment
# lines, the person's other changes still there; saving the corrected text
# applies it and forgets the kept one.  A text refused because a colleague
# saved meanwhile reopens the same way, and only the person's fields go
# over the colleague's version.
db=$(fresh kept)
ek=$(nth 1 "$NEED")
cat > "$T/ed-kept" << EOS
#!/bin/sh
# each run leaves a copy of what it was given: seen-1, seen-2...
n=\$(cat "$T/ed-runs" 2> /dev/null || echo 0)
n=\$((n + 1))
echo "\$n" > "$T/ed-runs"
cp "\$1" "$T/seen-\$n"
case \$n in
1) sed -e 's/^Thème:.*/Thème: Mon texte précieux/' -e 's/^SIRET:.*/SIRET: 123/' "\$1" > "\$1.x" ;;
2) sed -e 's/^SIRET:.*/SIRET:/' "\$1" > "\$1.x" ;;
*) cp "\$1" "\$1.x" ;;
esac
mv "\$1.x" "\$1"
EOS
start kept "$db" "EDITOR='sh $T/ed-kept'"
expect_sel "$ek" "kept: the board opens on $ek"
key E
ok "kept: a refused SIRET is said, with the file the text is kept in" \
	"no 'fai-$ek-….txt:N: valeur refusée' on screen" \
	shows_re "fai-$ek-[A-Za-z0-9]{6}\.txt:[0-9]+: valeur refus"
check "kept: nothing was saved" eval '[ "$(field "$ek" theme "$db")" != "Mon texte précieux" ]'
key E
expect "Votre dernier texte pour cette idée n’a pas été enregistré" "kept: E on the card offers the kept text"
expect "Rouvrir mon texte conservé (l’erreur en tête)" "kept: reopening is the first choice"
key Enter
ok "kept: the editor is given the kept text" "no second run of the editor" \
	test -f "$T/seen-2"
ok "kept: the error is its first line, as a comment" "line 1 of the reopened text: $(head -n 1 "$T/seen-2" 2> /dev/null)" \
	eval 'head -n 1 "$T/seen-2" | grep -q "^# ! Non enregistré (ligne [0-9]*) : .*SIRET"'
ok "kept: the line it names is the SIRET line" "the line named is not 'SIRET: 123'" \
	eval 'l=$(head -n 1 "$T/seen-2" | sed -n "s/.*(ligne \([0-9]*\)).*/\1/p"); [ "$(sed -n "${l}p" "$T/seen-2")" = "SIRET: 123" ]'
ok "kept: the person's other change is there" "no 'Thème: Mon texte précieux'" \
	grep -qx 'Thème: Mon texte précieux' "$T/seen-2"
expect "$ek enregistrée" "kept: the corrected text is saved"
ok "kept: the store has the person's theme and no SIRET" "theme or siret differ" \
	eval '[ "$(field "$ek" theme "$db")" = "Mon texte précieux" ] && [ -z "$(field "$ek" siret "$db")" ]'
key E
ok "kept: after the save, E starts from the current version again" \
	"the third run was not given a fresh template" \
	eval 'test -f "$T/seen-3" && head -n 1 "$T/seen-3" | grep -q "^# Modification de $ek"'
expect "Aucun changement." "kept: the fresh text left as it was changes nothing"
quit_ok "kept: the board quits"

# A colleague saves while the person is in the editor: the text is kept;
# reopened, the person's field goes over the colleague's version, and the
# colleague's change stays.
db=$(fresh kept2)
rm -f "$T/ed-runs" "$T"/seen-*
cat > "$T/ed-clash" << EOS
#!/bin/sh
n=\$(cat "$T/ed-runs" 2> /dev/null || echo 0)
n=\$((n + 1))
echo "\$n" > "$T/ed-runs"
cp "\$1" "$T/seen-\$n"
if [ \$n = 1 ]; then
	"$FAI" --db "$db" edit "$ek" --set partners="Partenaire ajouté par une collègue" > /dev/null 2>&1
	sed -e 's/^Thème:.*/Thème: Mon thème/' "\$1" > "\$1.x"
else
	cp "\$1" "\$1.x"
fi
mv "\$1.x" "\$1"
EOS
start kept2 "$db" "EDITOR='sh $T/ed-clash'"
expect_sel "$ek" "kept-conflict: the board opens on $ek"
key E
expect "l’idée $ek a été modifiée entre-temps" "kept-conflict: a colleague's save meanwhile is said"
key E
expect "Rouvrir mon texte conservé" "kept-conflict: E offers the kept text"
key Enter
ok "kept-conflict: the header says the idea changed since" "no such line in the reopened text" \
	eval 'test -f "$T/seen-2" && grep -q "^# ! L’idée a changé depuis" "$T/seen-2"'
expect "$ek enregistrée" "kept-conflict: the kept text is saved"
ok "kept-conflict: the person's theme and the colleague's partners are both there" \
	"theme or partners differ" \
	eval '[ "$(field "$ek" theme "$db")" = "Mon thème" ] && [ "$(field "$ek" partners "$db")" = "Partenaire ajouté par une collègue" ]'
quit_ok "kept-conflict: the board quits"

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
