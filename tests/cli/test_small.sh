#!/bin/sh
# test_small.sh - the board on small and plain terminals (issue 12): at
# 40x15 the help overlay and the detail view wrap by words instead of
# cutting; under TERM=linux (the Linux console's font) the marks and the
# emoji fall back to ASCII on screen while the store keeps them; the
# README's key table and fai(1)'s key list are the help's (generated from
# one table).  The real binary in a detached tmux session, in French.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
tmx_init

S=
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

# start NAME COLS ROWS DB [VAR=VALUE...]: the board on DB, in French.
start() {
	S=$1
	_c=$2 _r=$3 _db=$4
	shift 4
	tmx new-session -d -s "$S" -x "$_c" -y "$_r" \
		"env LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 TERM=xterm-256color FAI_NOW=$NOW $* sh '$T/run-board' '$FAI' --db '$_db'"
}

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_small.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi

# cut_words: the lines of the screen with a "…" that the text itself does
# not have (the help's "mot-clé…" is the sentence's own).
cut_words() { shot && sed 's/mot-clé…//g' "$SCR" | grep -F '…'; }
no_cut() { ! cut_words > /dev/null; }

# ==================================================== 1. 40x15: help
start help 40 15 "$T/demo"
expect "Besoin" "help 40x15: the board opens"
key '?'
expect "Touches" "help 40x15: ? opens the help"
ok "help 40x15: no sentence of the help is cut with …" \
	"a line ends with a cut word: $(cut_words)" no_cut
ok "help 40x15: the first sentence wraps: 'colonne précédente /' then 'suivante'" \
	"the sentence is not there whole" \
	eval 'shows "colonne précédente /" && shot && grep -q "^│ *suivante *│" "$SCR"'
ok "help 40x15: the hint at the foot wraps whole ('touche ferme cette aide.')" \
	"the hint is cut" shows "touche ferme cette aide."
# Scroll to the end, page by page, checking every page.
_pages=0 _cut=
while [ $_pages -lt 12 ]; do
	key PageDown
	sleep 0.2
	cut_words > /dev/null && _cut="$_cut $(cut_words)"
	_pages=$((_pages + 1))
done
if [ -z "$_cut" ]; then
	pass "help 40x15: no page of the scrolled help cuts a word"
else
	sfail "help 40x15: no page of the scrolled help cuts a word" "cut: $_cut"
fi
ok "help 40x15: the last row is reached by scrolling ('quitter')" \
	"no 'quitter' after scrolling" shows "quitter"
key Escape
quit_ok "help 40x15: the board quits"

# ==================================================== 1. 40x15: detail
REF=$("$FAI" --db "$T/demo" list --stage need --format tsv | awk -F '\t' '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	NR == 2 { print $col["ref"] }')
TITLE=$("$FAI" --db "$T/demo" list --stage need --format tsv | awk -F '\t' '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	NR == 2 { print $col["title"] }')
LAST_WORDS=$(echo "$TITLE" | awk '{ print $(NF-1), $NF }')
start detail 40 15 "$T/demo"
expect "Besoin" "detail 40x15: the board opens"
key Enter
expect "$REF" "detail 40x15: Entrée opens the detail of $REF"
ok "detail 40x15: nothing on the first page is cut with …" \
	"cut: $(cut_words)" no_cut
ok "detail 40x15: the title wraps to its last words ('$LAST_WORDS')" \
	"the end of the title is not shown" shows "$LAST_WORDS"
ok "detail 40x15: the keys line wraps whole ('q/Échap : retour')" \
	"the keys line is cut" shows "q/Échap : retour"
_pages=0 _cut=
while [ $_pages -lt 6 ]; do
	key PageDown
	sleep 0.2
	cut_words > /dev/null && _cut="$_cut $(cut_words)"
	_pages=$((_pages + 1))
done
if [ -z "$_cut" ]; then
	pass "detail 40x15: no page of the detail cuts a word"
else
	sfail "detail 40x15: no page of the detail cuts a word" "cut: $_cut"
fi
ok "detail 40x15: the history is reached by scrolling" \
	"no 'Historique et commentaires'" shows "Historique et commentaires"
key q
expect "Besoin" "detail 40x15: q goes back to the board"
quit_ok "detail 40x15: the board quits"

# ============================================ 2. TERM=linux: ASCII marks
# The Linux console's font has no ⚑, no … and no emoji: the board draws
# "!" and "~" and a "?" for an emoji, on screen only.
db="$T/console"
cp -R "$T/demo" "$db"
EMO=$("$FAI" --db "$db" list --search "Repair café" --format tsv | awk -F '\t' '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	NR == 2 { print $col["ref"] }')
FAI_NOW=$NOW "$FAI" --db "$db" comment "$EMO" "Atelier 🎉 réussi à Valence" > /dev/null
start linux 80 24 "$db" TERM=linux
expect "Besoin" "linux: the board opens under TERM=linux"
ok "linux: no ⚑ on the board" "a ⚑ is drawn" lacks "⚑"
ok "linux: no … on the board" "a … is drawn" lacks "…"
ok "linux: a stale card shows ! instead of ⚑" "no '75-0006 !'" shows_re "75-0006 +! +[A-Z]+ +[0-9]+j"
ok "linux: a cut title ends with ~" "no title cut with ~" shows_re "[^ ]~│|[^ ]~\\|"
ok "linux: the emoji of a title shows as ? ('Repair café ?')" \
	"no 'Repair café ?'" shows "Repair café ?"
ok "linux: no emoji on screen" "an emoji is drawn" eval 'shot && ! grep -q "🔧" "$SCR"'
key '/'
typ "Repair"
key Enter
expect "recherche « Repair »" "linux: the search keeps only $EMO"
# To the Concept column, wherever the search left the cursor.
key h h h l Enter
expect "$EMO  Repair café ? itin" "linux: the detail of $EMO opens, its title with ? for the emoji"
key G
ok "linux: the detail shows the comment with ? for its emoji" \
	"no 'Atelier ? réussi'" shows "Atelier ? réussi à Valence"
ok "linux: the detail has no emoji and no …" "an emoji or … is drawn" \
	eval 'shot && ! grep -qE "🎉|💬|🔧|…" "$SCR"'
key q
quit_ok "linux: the board quits"
run "$FAI" --db "$db" show "$EMO"
check_out "Atelier 🎉 réussi à Valence" "linux: the store keeps the comment's emoji (fai show)"
check_out "Repair café 🔧" "linux: the store keeps the title's emoji (fai show)"
start xterm 80 24 "$db"
expect "Besoin" "xterm: the board opens under TERM=xterm-256color"
ok "xterm: the same board keeps ⚑ and the emoji there" "no ⚑ or no 🔧" \
	eval 'shows "⚑" && shows "🔧"'
quit_ok "xterm: the board quits"

# ========================================= 4. the key lists are the help's
# README.md's key table and fai(1)'s key list are written from board_keys
# (make keys-doc): a key added to the board and not to them fails here.
run sh "$(dirname "$0")/../keys-doc.sh" "$FAI" --check
check_rc 0 "keys: README.md and docs/fai.1 list the keys the help shows (make keys-doc)"
run env LANG=C.UTF-8 "$FAI" --keys md
check_out '| `/` `n` `N` | search all fields and comments' "keys: fai --keys md writes the help's rows as a Markdown table"
run env LANG=C.UTF-8 "$FAI" --keys man
check_out '.B "\[<-] \[->] h l Tab"' "keys: fai --keys man writes the arrows as groff glyphs"
# The check notices a difference: a copy of the tree with one row gone.
mkdir -p "$T/tree/tests" "$T/tree/docs"
cp "$(dirname "$0")/../keys-doc.sh" "$T/tree/tests/"
grep -v 'search all fields and comments' "$(dirname "$0")/../../README.md" > "$T/tree/README.md"
cp "$(dirname "$0")/../../docs/fai.1" "$T/tree/docs/fai.1"
run sh "$T/tree/tests/keys-doc.sh" "$FAI" --check
check_rc 1 "keys: a README without the / row fails the check"
check_out "+| \`/\` \`n\` \`N\` | search" "keys: the check shows the missing row"
run sh "$T/tree/tests/keys-doc.sh" "$FAI"
check_rc 0 "keys: keys-doc.sh rewrites the README"
check "keys: the rewritten README has the / row back" grep -qF '| `/` `n` `N` | search' "$T/tree/README.md"
# The board's keys line takes its keys from the same table (ui_footkey
# rows by command), its words in French.
start foot 140 24 "$T/demo"
expect "Besoin" "footer: the board opens at 140x24"
ok "footer: the keys line, in French, from the help's table" \
	"the last line is not the French keys line" \
	eval 'shot && line 24 | grep -q "^?:aide  ←→:colonne  ↑↓:carte  Entrée:fiche  > <:étape  +:nouvelle  e:modifier  c:commenter  /:chercher  f:filtrer  u:annuler  q:quitter *$"'
quit_ok "footer: the board quits"
# At 80 columns the items that do not fit are left out whole: the line is
# never cut, and quitting is still said.
start foot80 80 24 "$T/demo"
expect "Besoin" "footer: the board opens at 80x24"
ok "footer 80x24: the keys line is whole, not cut with …" \
	"the last line is cut or lacks q:quitter" \
	eval 'shot && line 24 | grep -q "^?:aide  .*  q:quitter *$"'
quit_ok "footer 80x24: the board quits"

finish
