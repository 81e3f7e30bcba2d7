#!/bin/sh
# test_morning.sh - a facilitator's morning on the board, as one scenario
# (issue 12, "Done when"): open the board, search an idea, move it through
# two stages fixing a gate on the way, comment, put another idea on hold,
# undo, filter by region and facilitator, open the review and a card from
# it, and back.  The real binary in a detached tmux session of 80x24 under
# LANG=fr_FR.UTF-8 and TZ=Europe/Paris, on a copy of the demo store.  At
# each step the screen is read as the person reads it: no English word, no
# message cut with "…", and what the board wrote is checked with `fai list`.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
tmx_init

S=
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

start() {
	S=$1
	tmx new-session -d -s "$1" -x 80 -y 24 \
		"env LANG=fr_FR.UTF-8 TZ=Europe/Paris TERM=xterm-256color FAI_NOW=$NOW sh '$T/run-board' '$FAI' --db '$2'"
}

# field REF NAME DB: a field of an idea, as fai list writes it.
field() {
	"$FAI" --db "$3" list --format tsv 2> /dev/null | awk -F '\t' -v ref="$1" -v f="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["ref"] == ref { print $col[f] }'
}
stage_is() { [ "$(field "$1" stage "$3")" = "$2" ]; }
refs() {
	"$FAI" --db "$2" list --stage "$1" --format tsv 2> /dev/null | awk -F '\t' '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ print $col["ref"] }'
}

# The English a screen must not show under a French locale: the words of
# fai's own English messages, labels and keys lines (the demo's French
# data holds none of them as a word).
ENGLISH='the|and|to|of|with|from|moved|saved|undone|redone|search|filters?|help|press|keys?|cards?|columns?|stages?|ideas?|nothing|cancelled|comments?|added|review|week|quit|edit|new|stale|hold|abandon|abandoned|more|error|refused|missing|fields?|back|details?|match(es)?|hidden|clear|launched|owner|need|done|reason|undo|redo|region|facilitator|theme|changed|since'

# french NAME: the screen holds no English word.
french() {
	shot
	_en=$(LC_ALL=C.UTF-8 grep -owiE "$ENGLISH" "$SCR" | sort -u | tr '\n' ' ')
	if [ -z "$_en" ]; then
		pass "$1: no English word on screen"
	else
		sfail "$1: no English word on screen" "English on screen: $_en"
	fi
}

# whole NAME: no line below the columns (the banner, the message, the
# status, a prompt, the keys line: lines without a column rule) ends with
# "…": nothing said is cut.
whole() {
	shot
	_cut=$(tail -n 6 "$SCR" | grep -v '│' | grep -e '…$' | head -n 1)
	if [ -z "$_cut" ]; then
		pass "$1: no message cut with …"
	else
		sfail "$1: no message cut with …" "a line is cut: $_cut"
	fi
}

# step NAME: both reads of the screen as it is now.
step() {
	french "$1"
	whole "$1"
}

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_morning.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi
db=$T/morning
cp -R "$T/demo" "$db"
r1=$(refs need "$db" | sed -n 1p)
title=$(field "$r1" title "$db")
word=$(echo "$title" | cut -d ' ' -f 1-2)
# the idea another card of Concept: the one put on hold
c1=$(refs concept "$db" | sed -n 1p)

# 1. The board opens.
start morning "$db"
expect_sel "$r1" "open: the board opens on $r1, first of Besoin"
step "open"

# 2. Search the idea: Enter goes to it and says how many match.
key /
typ "$word"
key Enter
expect "correspond" "search: Enter says how many ideas match « $word »"
expect_sel "$r1" "search: Enter selects $r1"
expect "recherche « $word »" "search: the banner shows the search"
step "search"

# 3. Move it to Concept.
key '>'
expect "$r1 passe à l’étape « Concept »" "move: > moves $r1 to Concept"
expect_sel "$r1" "move: the selection follows $r1"
step "move"

# 4. To Recherche de porteur: the gate wants the concept; the form opens
# on it, the save moves the card and says so.
key '>'
expect "Des champs obligatoires sont vides" "gate: > is refused, the concept is missing"
step "gate"
expect "Compléter les champs manquants" "gate: the refusal offers to fill in the missing fields"
key Enter
expect "Modifier $r1" "gate: the form opens on $r1"
step "gate form"
typ "Une épicerie mobile portée par une association du territoire"
key C-s
expect "$r1 enregistrée et passée à l’étape « Recherche de porteur »" "gate: the save moves $r1 and says so"
check "gate: $r1 is in Recherche de porteur with its concept" stage_is "$r1" owner_search "$db"
expect_sel "$r1" "gate: the selection follows $r1"
step "gate saved"

# 5. A comment on it.
key c
expect "Commentaire sur $r1" "comment: the prompt names the card"
step "comment prompt"
typ "RDV à la mairie le 10/12 à 14 h"
key Enter
expect "Commentaire ajouté à $r1" "comment: said added"
ok "comment: fai show has it" "no comment in fai show" \
	eval '"$FAI" --db "$db" show "$r1" 2> /dev/null | grep -qF "RDV à la mairie le 10/12 à 14 h"'
step "comment"

# 6. Clear the search, put the first idea of Concept on hold.
key x
ok "clear: x takes the banner away" "the banner stays" lacks "Filtre :"
step "clear"
key Tab Tab Tab g
expect_sel "$c1" "hold: $c1 selected, first of Concept"
key H
expect "Motif ($c1 → En veille)" "hold: H asks for the reason"
step "hold prompt"
typ "attente du financement régional"
key Enter
ok "hold: $c1 is on hold" "stage is $(field "$c1" stage "$db")" stage_is "$c1" on_hold "$db"
step "hold"

# 7. Undo it.
key u
expect "annulé" "undo: u says what was undone"
ok "undo: $c1 is back in Concept" "stage is $(field "$c1" stage "$db")" stage_is "$c1" concept "$db"
step "undo"

# 8. Filter by region 84, then by a facilitator.
key f
expect "Filtrer par" "filter: f offers the kinds"
key Enter
expect "Saisir un code…" "filter: the region list opens"
expect "Auvergne-Rhône-Alpes" "filter: the regions have their names"
step "region list"
key Enter
typ 84
key Enter
expect "région 84" "filter: the banner shows région 84"
step "region"
key f
expect "Filtrer par" "filter: f again"
key j j Enter
expect "Saisir une partie du nom…" "filter: the facilitator list opens"
step "facilitator list"
# Part of a name, typed: Claire Mercier follows ideas of région 84.
key Enter
typ "Mercier"
key Enter
expect "animateur Mercier" "filter: the banner shows the facilitator too"
expect "région 84" "filter: région 84 still holds"
step "facilitator"

# 9. The review, a card from it, and back.
key r
expect "Revue du portefeuille" "review: r opens the review"
step "review"
rref=""
_i=0
while [ $_i -lt 60 ] && [ -z "$rref" ]; do
	key j
	sleep 0.05
	shot_e
	rref=$(grep -F "$(printf '\033[7m')" "$SCR.e" | grep -oE '[0-9]{2}-[0-9]{4}' | head -n 1)
	_i=$((_i + 1))
done
if [ -n "$rref" ]; then
	pass "review: a line about an idea is selected ($rref)"
else
	sfail "review: a line about an idea is selected" "no line with a reference got selected"
fi
key Enter
ok "review: Enter opens $rref's detail" "the first line is not the detail of $rref" \
	eval 'shot && line 1 | grep -qF "$rref"'
step "review detail"
key q
expect "Revue du portefeuille" "review: q goes back to the review"
key q
expect "Activité lancée" "review: q again goes back to the board"
ok "review: the board still runs" "the board exited" lacks "[fai exited"
step "back"
quit_ok "the board quits"

finish
