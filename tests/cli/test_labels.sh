#!/bin/sh
# test_labels.sh - under a French locale nothing a person reads on the board
# is a field code or English (issue 12, bug 9).  The demo store in a tmux
# session of 80x24 under LANG=fr_FR.UTF-8: every screen (board, help,
# detail, form with a refused value, review, conflict in the form) and the
# messages of undo, redo and a colleague's changes are read, and each is
# searched for a list of forbidden words: the field codes and the English
# words the screens used to show (the, move, undo, review, both, theirs...).
# The words are matched whole and case-blind, so "Concept" or "Région" never
# count, "launch_date" and "undone" always do.
. "$(dirname "$0")/lib.sh"

NOW=2026-06-15T12:00:00Z
FR=fr_FR.UTF-8
tmx_init
db=$T/demo
env FAI_NOW=$NOW "$FAI" --db "$db" demo > /dev/null 2>&1 ||
	{ echo "test_labels: fai demo failed" >&2; exit 2; }
frfai() { env LANG=$FR FAI_NOW=$NOW "$FAI" --db "$db" "$@"; }

# The field codes (those that are not also French words) and the English
# words of the old screens and messages.
CODES='title|owner|legal_form|launch_date|stage_reason|owner_search|territory|facilitator|partners|region|theme|tags|need|jobs|siret_|created_at|updated_at'
WORDS='the|move|moved|undo|undone|redo|redone|undid|redid|review|weekly|both|changed|theirs|mine|save|drop|scroll|back|week|idea|edited|created|reordered|setting|field|refused|invalid'
FORBIDDEN="$CODES|$WORDS"

S=fr
tmx_start $S 80 24 "env LANG=$FR TERM=xterm-256color FAI_NOW=$NOW USER=$ME '$FAI' --db '$db'; echo '[fai exited]'; sleep 600"

# english NAME: the current screen of $S holds no forbidden word.
english() {
	tmx_shot $S
	_bad=$(grep -oiwE -e "$FORBIDDEN" "$T/screen.$S" | sort -u | tr '\n' ' ')
	if [ -z "$_bad" ]; then
		pass "$1: no field code nor English word"
	else
		tmx_fail $S "$1: no field code nor English word" "found: $_bad"
	fi
}
# english_file FILE NAME: the same for a file (a command's output).
english_file() {
	_bad=$(grep -oiwE -e "$FORBIDDEN" "$1" | sort -u | tr '\n' ' ')
	if [ -z "$_bad" ]; then
		pass "$2: no field code nor English word"
	else
		fail "$2: no field code nor English word" "found: $_bad"
		sed 's/^/         |/' "$1" | grep -iwE -e "$FORBIDDEN" | head -n 5
	fi
}

# The detector itself catches what it must (so the checks below can fail).
printf 'annulé : move 11-0006\nvaleur refusée pour launch_date\n' > "$T/bad"
check "the forbidden words are found in an old message" \
	sh -c '[ "$(grep -oiwE -e "$1" "$2" | wc -l)" -eq 2 ]' sh "$FORBIDDEN" "$T/bad"
printf 'Concept  Région  Besoin identifié  Date de lancement\n' > "$T/good"
check "French labels are not taken for codes" \
	sh -c '! grep -qiwE -e "$1" "$2"' sh "$FORBIDDEN" "$T/good"

# ---------------------------------------------------------------- board, help
tmx_expect $S "Besoin" "the board opens in French"
english "the board"
tmx_keys $S '?'
tmx_expect $S "la revue hebdomadaire" "the help names the review in French"
english "the help"
tmx_keys $S q

# ---------------------------------------------------------------- review
tmx_keys $S r
tmx_expect $S "Revue du portefeuille" "r opens the review in French"
english "the review screen (title and footer)"
tmx_keys $S q

# ---------------------------------------------------------------- undo, redo
# The first card of Besoin (75-0006) goes to Concept, then u and Ctrl-R.
tmx_expect $S "Besoin" "back on the board"
tmx_keys $S '>'
tmx_expect $S "passe à l’étape « Concept »" "> moves the card"
tmx_keys $S u
tmx_expect $S "annulé : déplacement de 75-0006 vers Concept" "u says what it undid, in words"
english "the undo message"
tmx_keys $S C-r
tmx_expect $S "rétabli : déplacement de 75-0006 vers Concept" "Ctrl-R says what it redid, in words"
english "the redo message"

# ---------------------------------------------------------------- detail
tmx_keys $S Enter
tmx_expect $S "Étape:" "Enter opens the detail"
tmx_keys $S G
tmx_expect $S "rétabli : déplacement de 75-0006 vers Concept" \
	"the detail's history says the redo is a redo"
english "the detail and its history"
tmx_keys $S q

# ---------------------------------------------------------------- reorder
tmx_keys $S g
tmx_keys $S J
tmx_wait "$WAIT" tmx_shows $S "75-0006        0j" > /dev/null
tmx_keys $S u
tmx_expect $S "annulé : changement de place de" "u of J says so in words"
english "the undo of a reorder"

# ---------------------------------------------------------------- form
# A refused launch date names the field by its label.
tmx_keys $S e
tmx_expect $S "Date de lancement" "e opens the form"
i=0
while [ $i -lt 14 ]; do
	tmx_keys $S Tab
	i=$((i + 1))
done
tmx_type $S "bogus"
tmx_keys $S C-s
tmx_expect $S "pour Date de lancement" "the refused value names the field by its French label"
english "the form's error line"
# A colleague changes the idea while the form is open: the conflict footer.
ref=$(sed -n 1p "$T/screen.$S" | grep -oE '[0-9]{2}-[0-9]{4}' | head -n 1)
i=0
while [ $i -lt 5 ]; do
	tmx_keys $S BSpace
	i=$((i + 1))
done
tmx_type $S "2026-06-01"
frfai edit "$ref" --set "owner=Quelqu’un d’autre" > /dev/null 2>&1
tmx_keys $S C-s
tmx_expect $S "≠" "a save after a colleague's change shows the conflict"
english "the conflict footer"
tmx_keys $S C-s
tmx_expect $S "Besoin" "^S keeps mine and goes back to the board"
frfai edit 84-0002 --set "owner=Une collègue" > /dev/null 2>&1
tmx_keys $S j
tmx_expect $S "a modifié 84-0002 (Porteur)" "the status line says what the colleague changed"
english "the colleague's change"

# ---------------------------------------------------------------- log
run frfai log
check_rc 0 "fai log in French"
english_file "$OUT" "fai log after undo and redo"
run frfai show 75-0006
english_file "$OUT" "fai show's history"

# ---------------------------------------------------------------- $EDITOR
# The text given to $EDITOR names the fields by their French labels under
# a French locale; both the labels and the codes are read back.
cat > "$T/ed-fr" << EOF
#!/bin/sh
cp "\$1" "$T/tpl.fr"
sed 's/^Emplois:.*/Emplois: 4/' "$T/tpl.fr" > "\$1"
EOF
cat > "$T/ed-codes" << EOF
#!/bin/sh
printf 'title: Titre écrit avec les codes\\nowner: Jeanne\\n' > "\$1"
EOF
cat > "$T/ed-c" << EOF
#!/bin/sh
cp "\$1" "$T/tpl.c"
EOF
chmod +x "$T/ed-fr" "$T/ed-codes" "$T/ed-c"
run env LANG=$FR VISUAL="$T/ed-fr" "$FAI" --db "$db" edit 84-0002
check_rc 0 "fai edit in French through \$EDITOR"
check "the \$EDITOR text names the fields in French (Titre:, Porteur:, Date de lancement:)" \
	sh -c 'grep -q "^Titre: " "$1" && grep -q "^Porteur:" "$1" && grep -q "^Forme juridique:" "$1" && grep -q "^Date de lancement:" "$1"' sh "$T/tpl.fr"
check "the French \$EDITOR text holds no field code as a key" \
	sh -c '! grep -qE "^(title|owner|legal_form|launch_date|jobs|region|need):" "$1"' sh "$T/tpl.fr"
english_file "$T/tpl.fr" "the \$EDITOR text"
check_eq "$(field 84-0002 jobs "$db")" "4" "the French text is read back (Emplois: 4)"
run env LANG=$FR VISUAL="$T/ed-codes" "$FAI" --db "$db" edit 84-0002
check_rc 0 "a text with the codes as keys is accepted too"
check_eq "$(field 84-0002 owner "$db")" "Jeanne" "owner: read back"
run env LANG=C.UTF-8 VISUAL="$T/ed-c" "$FAI" --db "$db" edit 84-0002
check "under LANG=C the \$EDITOR keys stay the codes" grep -q "^title: " "$T/tpl.c"

tmx_keys $S q
tmx_expect $S "[fai exited]" "the board quits"
finish
