#!/bin/sh
# test_board.sh - the board end to end, as a person uses it: the real binary
# in a detached tmux session of a fixed size (a private tmux server on a
# socket in $T, so parallel runs never meet), keys sent with send-keys, the
# screen read with capture-pane and compared with what a person should see;
# what the board wrote is then checked with `fai show`, `fai list` and
# `fai log`.  Every wait polls the screen (every 0.1 s) instead of sleeping.
#
# Covers: navigation and scrolling, a move refused by a gate then accepted
# after the form, > with show and log, J/K, the review (r) and a move made
# in the same second, search with and without accents,
# the region filter, the new-idea form, comment, abandon with a reason, undo
# and redo, the help overlay, the $EDITOR round trip, resizing, French
# labels, a sane terminal after q, hostile text (ESC[2J, OSC 52, U+202E),
# several TERMs and NO_COLOR, --mouse clicks, and the board through a real
# OpenSSH server on 127.0.0.1 (installed with apt-get when missing).
# Under ASan (BUILD=build-asan) the same script catches memory errors: a
# crash shows as a missing "[fai exited 0]" and a raw terminal.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
# lib.sh's tmux plumbing: a private server on a socket in $T, WAIT (the
# seconds a wait may take, generous under ASan: a wait that succeeds
# returns at once, so only failures cost the whole delay).
tmx_init
# set-clipboard on: an OSC 52 reaching a pane would make a paste buffer,
# which the hostile-text checks look for.
echo 'set -g set-clipboard on' >> "$T/tmux.conf"
SSHD_PID=

cleanup() {
	tmx_kill
	if [ -n "$SSHD_PID" ]; then
		kill "$SSHD_PID" 2> /dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

# The pane runs this: the board, then its exit status and the terminal's
# modes as the board left them, then waits to be read.
cat > "$T/run-board" << 'EOF'
#!/bin/sh
"$@"
echo "[fai exited $?]"
stty -a
echo "[stty done]"
exec sleep 600
EOF

# ---------------------------------------------------------------- helpers

S=          # the current session
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

# start NAME COLS ROWS DB [VAR=VALUE...]: opens the board on DB in a new
# session NAME (LANG=C.UTF-8, TERM=xterm-256color and FAI_NOW unless the
# extra variables say otherwise) and makes it the current session.
start() {
	_name=$1 _w=$2 _h=$3 _db=$4
	shift 4
	S=$_name
	tmx new-session -d -s "$_name" -x "$_w" -y "$_h" \
		"env LANG=C.UTF-8 TERM=xterm-256color FAI_NOW=$NOW $* sh '$T/run-board' '$FAI' --db '$_db'"
}

# start_cmd NAME COLS ROWS COMMAND: the same with a command of one's own.
start_cmd() {
	S=$1
	tmx new-session -d -s "$1" -x "$2" -y "$3" "$4"
}

# refs STAGE DB: the references of a stage, in board order.
refs() {
	"$FAI" --db "$2" list --stage "$1" --format tsv | awk -F '\t' '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ print $col["ref"] }'
}
nth() { echo "$2" | sed -n "${1}p"; }
count() { echo "$1" | grep -c .; }

# shows_field DB REF TEXT: `fai show REF` holds TEXT.
shows_field() {
	"$FAI" --db "$1" show "$2" 2> /dev/null | grep -qF -e "$3"
}

# fresh NAME: a copy of the demo store; prints its path.
fresh() {
	rm -rf "${T:?}/$1"
	cp -R "$T/demo" "$T/$1"
	echo "$T/$1"
}

# ---------------------------------------------------------------- demo store
if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_board.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi
NEED=$(refs need "$T/demo")
CONCEPT=$(refs concept "$T/demo")
NNEED=$(count "$NEED")
check_eq "$NNEED" 18 "the demo has 18 ideas at need (the checks below count on it)"

# ================================================================ navigation
db=$(fresh nav)
start nav 80 24 "$db"
ok "the board draws the four pipeline columns with their counts" \
	"the header line is not 'Need 18 │ Concept 16 │ Owner search 10 │ Launched 9'" \
	shows_re '^Need +18│Concept +16│Owner search +10│Launched +9$'
expect_sel "$(nth 1 "$NEED")" "the first card of the first column is selected"
# 24 rows: 6 cards of 3 lines; the first column ends with "↓ 12 more".
ok "the first column says '↓ 12 more' at its foot and nothing above" \
	"no '↓ 12 more' on line 22, or an '↑' on line 2" \
	eval 'shot && line 22 | grep -q "^↓ 12 more " && ! line 2 | grep -q "^↑"'

key j
expect_sel "$(nth 2 "$NEED")" "j selects the next card"
key j j j j j
expect_sel "$(nth 7 "$NEED")" "j past the last visible card selects the 7th card"
ok "scrolling down one card shows '↑ 1 more' and '↓ 11 more'" \
	"the first column's markers did not change to ↑ 1 / ↓ 11" \
	eval 'shot && line 2 | grep -q "^↑ 1 more " && line 22 | grep -q "^↓ 11 more "'
key k
expect_sel "$(nth 6 "$NEED")" "k selects the previous card"

key G
expect_sel "$(nth "$NNEED" "$NEED")" "G selects the last card of the column"
ok "at the bottom: '↑ 12 more' and no '↓'" \
	"the first column does not show ↑ 12 more without ↓" \
	eval 'shot && line 2 | grep -q "^↑ 12 more " && ! line 22 | grep -q "^↓"'
key g
expect_sel "$(nth 1 "$NEED")" "g selects the first card again"
ok "back at the top: no '↑', '↓ 12 more'" "the top markers are not back" \
	eval 'shot && ! line 2 | grep -q "^↑" && line 22 | grep -q "^↓ 12 more "'

key PageDown
expect_sel "$(nth 7 "$NEED")" "PgDn moves the selection a page (6 cards) down"
key PageDown
expect_sel "$(nth 13 "$NEED")" "a second PgDn moves another page down"
ok "after two PgDn the markers count the cards above and below" \
	"the first column's markers are not ↑ 7 / ↓ 5" \
	eval 'shot && line 2 | grep -q "^↑ 7 more " && line 22 | grep -q "^↓ 5 more "'
key PageUp
expect_sel "$(nth 7 "$NEED")" "PgUp moves the selection a page up"

key Tab
expect_sel "$(nth 1 "$CONCEPT")" "Tab goes to the next column (its first card selected)"
key BTab
expect_sel "$(nth 7 "$NEED")" "Shift-Tab comes back, the column's selection kept"
key l l l Tab
expect_sel "$(nth 7 "$NEED")" "Tab on the last column wraps to the first (its selection kept)"

# ---------------------------------------------------------------- help
key '?'
expect "Keys" "? opens the help overlay ('Keys')"
ok "the help lists the keys and how to close it" "no 'Press any key' or 'undo / redo' line" \
	eval 'shows "Press any key to close this help." && shows "undo / redo"'
key j
ok "any key closes the help" "'Keys' is still on the screen" lacks "Press any key to close"
expect_sel "$(nth 7 "$NEED")" "the key that closed the help did nothing else"

# ---------------------------------------------------------------- quit
quit_ok "q quits the board with status 0"
ok "after q the terminal is back in canonical mode (icanon, not -icanon)" \
	"stty -a does not show icanon" \
	eval 'shows "[stty done]" && grep -qE "(^| )icanon( |;|\$)" "$SCR"'
ok "after q the terminal echoes again (echo, not -echo)" \
	"stty -a does not show echo" \
	eval 'shows "[stty done]" && grep -qE "(^| )echo( |;|\$)" "$SCR"'
check "the board's screen is gone after q (no header line left)" \
	eval '! grep -qE "^Need +18│" "$SCR"'

# ================================================================ gate
db=$(fresh gate)
gref=$(FAI_NOW=$NOW "$FAI" --db "$db" add --title "Cantine des Minimes" \
	--need "Pas de cantine le midi pour les apprentis")
start gate 80 24 "$db"
ok "the added idea is counted in its column" "the Need header does not say 19" \
	shows_re '^Need +19│'
key G
expect_sel "$gref" "G selects the idea just added"
key '>'
expect "Required fields are missing" "> on an idea without territory is refused by the gate"
ok "the refusal names the missing territory" "no 'missing Territory' on the screen" \
	shows "missing Territory"
check "the refused move changed nothing in the store" \
	shows_field "$db" "$gref" "Stage:          Need identified"
key Enter
expect "Edit $gref (revision 1) to move it to Concept" "choosing 'Fill in the missing fields' opens the edit form for the move"
# The form opens on the missing field (Territory), not on Title.
typ "42218"
ok "the territory typed shows in the form" "no 42218 on the screen" \
	eval 'shot && grep -qE "^Territory +42218" "$SCR"'
key C-s
expect "$gref saved and moved to Concept" "Ctrl-S saves the form and the move passes the gate"
ok "the territory is stored" "fai show has no 'Territory: 42218'" \
	shows_field "$db" "$gref" "Territory:      42218"
ok "fai show: the idea is at Concept" "fai show does not say Stage: Concept" \
	shows_field "$db" "$gref" "Stage:          Concept"
quit_ok "the board quits after the gate"

# ================================================================ actions
db=$(fresh act)
r1=$(nth 1 "$NEED")
r2=$(nth 2 "$NEED")
r3=$(nth 3 "$NEED")
start act 80 24 "$db"
expect_sel "$r1" "the action board opens on the first card"

# ---------------------------------------------------------------- J / K
key J
expect "moved down" "J says the card moved down"
ok "J: the card is second in 'fai list --stage need'" "the need order is not r2 r1 r3" \
	eval '[ "$(refs need "$db" | head -n 3 | tr "\n" " ")" = "$r2 $r1 $r3 " ]'
expect_sel "$r1" "the selection follows the card moved down"
key K
expect "moved up" "K says the card moved up"
ok "K: the card is first again" "the need order is not r1 r2 r3" \
	eval '[ "$(refs need "$db" | head -n 3 | tr "\n" " ")" = "$r1 $r2 $r3 " ]'

# ---------------------------------------------------------------- >
key '>'
expect "$r1 moved to Concept" "> moves the card to the next stage"
ok "fai show: the stage changed to Concept" "fai show $r1 does not say Concept" \
	shows_field "$db" "$r1" "Stage:          Concept"
run "$FAI" --db "$db" log "$r1"
check_out "$ME" "fai log names who moved it"
check "fai log records the move Need identified → Concept" \
	grep -qE "$r1 +moved Need identified → Concept" "$OUT"
ok "the board counts 17 at Need and 17 at Concept" "header not 'Need 17 │ Concept 17'" \
	shows_re '^Need +17│Concept +17│'
# After one's own move the selection follows the card (issue 12: a
# repeated > must never act on another idea of a shared pipeline).
expect_sel "$r1" "after > the selection follows the card to Concept"
key h
expect_sel "$r2" "back in Need, the card that came up under the moved one is selected"

# ---------------------------------------------------------------- comment
key c
expect "Comment on $r2 “" "c asks for a comment, naming the card"
typ "Rendez-vous pris avec la mairie le 12"
key Enter
expect "Comment added to $r2" "Enter adds the comment"
ok "fai show has the comment" "fai show $r2 lacks the comment" \
	shows_field "$db" "$r2" "Rendez-vous pris avec la mairie le 12"

# ---------------------------------------------------------------- abandon
key a
expect "Reason ($r2 → Abandoned):" "a asks for the reason"
typ "Pas de porteur trouvé"
key Enter
expect "$r2 moved to Abandoned" "the reason entered, the card is abandoned"
ok "fai show: stage Abandoned" "fai show $r2 does not say Abandoned" \
	shows_field "$db" "$r2" "Stage:          Abandoned"
ok "fai show: the reason is stored" "no 'Stage reason: Pas de porteur trouvé'" \
	shows_field "$db" "$r2" "Stage reason:   Pas de porteur trouvé"

# ---------------------------------------------------------------- undo / redo
key u
expect "undone: move of $r2 to Abandoned" "u undoes the last action, saying it in words"
ok "fai show: u restored the stage (Need identified)" "fai show $r2 is not back at need" \
	shows_field "$db" "$r2" "Stage:          Need identified"
expect_sel "$r2" "after u the restored card is selected"
key C-r
expect "redone: move of $r2 to Abandoned" "Ctrl-R redoes it, saying it in words"
ok "fai show: Ctrl-R abandoned the card again" "fai show $r2 does not say Abandoned" \
	shows_field "$db" "$r2" "Stage:          Abandoned"
ok "the redone move keeps its reason" "no 'Stage reason: Pas de porteur trouvé'" \
	shows_field "$db" "$r2" "Stage reason:   Pas de porteur trouvé"
quit_ok "the board quits after the actions"

# ---------------------------------------------------------------- $EDITOR
cat > "$T/ed-theme" << 'EOF'
#!/bin/sh
# An editor: says something on the terminal, changes the theme.
echo "THE EDITOR WAS HERE"
sed 's/^theme:.*/theme: Jardins partagés/' "$1" > "$1.x" && mv "$1.x" "$1"
EOF
start act2 80 24 "$db" "EDITOR='sh $T/ed-theme'"
expect_sel "$r3" "the board opens again on the store"
key E
ok "E: after the editor, fai show has the new theme" "fai show $r3 lacks 'Theme: Jardins partagés'" \
	shows_field "$db" "$r3" "Theme:          Jardins partagés"
ok "after the editor the board is redrawn (headers back, the editor's text gone)" \
	"the header line is missing or the editor's text stayed" \
	eval 'shows_re "^Need +[0-9]+│Concept" && lacks "THE EDITOR WAS HERE"'
expect_sel "$r3" "the edited card is still selected"
run "$FAI" --db "$db" log "$r3"
check_out "edited Theme" "fai log records the edit made through E"
quit_ok "the board quits after the editor"

# ================================================================ search
db=$(fresh find)
start find 80 24 "$db"
expect "Launched" "the search board opens"
# What `fai list --search` finds, per pipeline stage.
want_counts() {
	for st in need concept owner_search launched; do
		"$FAI" --db "$db" list --stage "$st" --search "$1" --format tsv |
			tail -n +2 | grep -c .
	done | tr '\n' ' '
}
# board_counts: the counts of the header line.
board_counts() {
	shot
	line 1 | sed 's/│/\n/g' | sed -n 's/.* \([0-9][0-9]*\)$/\1/p' | tr '\n' ' '
}
counts_are() { [ "$(board_counts)" = "$1" ]; }
wanted=$(want_counts epicerie)
case $wanted in
"0 0 0 0 ") fail "the demo has ideas matching 'epicerie'" "fai list --search finds none" ;;
esac
key /
expect "Enter: confirm   Esc: cancel" "/ opens the search prompt"
typ "epicerie"
ok "typing 'epicerie' filters as you type: the counts are fai list --search's" \
	"board counts are not \"$wanted\"" counts_are "$wanted"
ok "the unaccented search finds the 'Épicerie…' cards" "no 'Épicerie' on the screen" \
	shows "Épicerie"
key Enter
ok "Enter keeps the search (shown on the banner)" "no 'search “epicerie”' on the banner" \
	eval 'lacks "Enter: confirm" && shows "Filter: search “epicerie”"'
check "the search keeps the counts after Enter" counts_are "$wanted"
key /
expect "Enter: confirm   Esc: cancel" "/ again opens the prompt"
key C-u
typ "ÉPICERIE"
ok "the accented, upper-case search finds the same cards" \
	"board counts are not \"$wanted\"" eval 'shows "/ ÉPICERIE" && counts_are "$wanted"'
key Escape
ok "Esc cancels the edit: the search that was there before is back" \
	"the counts are not \"$wanted\"" eval 'counts_are "$wanted" && shows "Filter: search “epicerie”"'
key /
expect "Enter: confirm   Esc: cancel" "/ opens the prompt once more"
key C-u
key Enter
ok "an empty search clears it: every card is back" "the counts are not 18 16 10 9" \
	counts_are "18 16 10 9 "
ok "no banner after clearing the search" "the banner still shows a search" \
	lacks "Filter:"

# ---------------------------------------------------------------- filter
# The references of region 53 at each pipeline stage.
r53=$("$FAI" --db "$db" list --format tsv | awk -F '\t' '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["region"] == "53" && $col["stage"] ~ /^(need|concept|owner_search|launched)$/ { print $col["ref"] }')
w53=$(for st in need concept owner_search launched; do
	"$FAI" --db "$db" list --stage "$st" --format tsv | awk -F '\t' '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["region"] == "53"' | grep -c .
done | tr '\n' ' ')
key f
expect "Filter by" "f opens the filter picker"
key Enter
expect "Type a code…" "choosing Region lists the regions, a code typed first"
key Enter
expect "Region code (e.g. 84):" "choosing Region asks for the code"
typ 53
key Enter
ok "filter 53: the header counts are region 53's" "board counts are not \"$w53\"" \
	eval 'shows "Filter: region 53 (Bretagne)" && counts_are "$w53"'
only53() {
	shot
	_all=$(grep -oE '[0-9]{2}-[0-9]{4}' "$SCR")
	[ -n "$_all" ] && ! echo "$_all" | grep -qv '^53-'
}
ok "filter 53: only 53- references are visible" "a reference of another region is on the screen" only53
ok "filter 53: the first 53 card is there" "$(echo "$r53" | head -n 1) is not shown" \
	shows "$(echo "$r53" | head -n 1)"
# The tag filter is fai list --tag's: one tag contains the text, accents and
# case ignored ("mobilite" finds "mobilité" and "mobilité solidaire").
wtag=$(for st in need concept owner_search launched; do
	"$FAI" --db "$db" list --stage "$st" --tag mobilite --format tsv |
		tail -n +2 | grep -c .
done | tr '\n' ' ')
case $wtag in
"0 0 0 0 ") fail "the demo has ideas tagged 'mobilité…'" "fai list --tag finds none" ;;
esac
key F
expect "Remove which filter?" "F lists the filters on"
key Enter
ok "F then Enter removes region 53: every card is back" "the counts are not 18 16 10 9" \
	counts_are "18 16 10 9 "
key f
expect "Filter by" "f opens the filter picker for a tag"
key j j j Enter
expect "Tag:" "choosing Tag asks for the tag"
typ mobilite
key Enter
ok "filter tag 'mobilite': the header counts are fai list --tag's" \
	"board counts are not \"$wtag\"" counts_are "$wtag"
key f
expect "Filter by" "f opens the filter picker again"
key j j j j j Enter
ok "'Clear the search and all filters' shows every card again" "the counts are not 18 16 10 9" \
	counts_are "18 16 10 9 "

# ---------------------------------------------------------------- new idea
key +
expect "New idea" "+ opens the new-idea form"
typ "Jardin partagé des Minimes"
key C-s
ok "Ctrl-S creates the idea (the board says so)" "no 'created' message" \
	shows_re '[0-9]{2}-[0-9]{4} created'
nref=$(grep -oE '[0-9]{2}-[0-9]{4} created' "$SCR" | cut -d ' ' -f 1)
run "$FAI" --db "$db" list --format tsv
check_out "Jardin partagé des Minimes" "fai list has the idea made in the form"
expect_sel "$nref" "the new idea is selected on the board"
quit_ok "the board quits after search, filter and the form"

# ================================================================ review
# r opens the weekly review for the board's filter; Enter on a listed idea
# opens its detail, q goes back to the review, q again to the board with
# its card selected; [ and ] step the period by a week.
db=$(fresh review)
start review 80 24 "$db"
expect "Launched" "the review board opens"
key r
expect "Pipeline review" "r opens the weekly review screen"
ok "the review's pipeline section counts what fai list counts" "no 'Total 66' line" \
	shows_re 'Total +66'
ok "the status line gives the period" "no period in the status line" \
	shows_re 'review [0-9-]+ → [0-9-]+'
p1=$(grep -oE 'review [0-9-]+' "$SCR" | head -n 1)
key '['
ok "[ steps the period back by a week" "the period did not change" \
	eval 'shot && ! grep -qF "$p1 " "$SCR" && grep -qE "review [0-9-]+ →" "$SCR"'
key ']'
ok "] steps it forward again" "the period is not back" eval 'shows "$p1 "'
# go down to the first line that names an idea, then Enter
rref=""
_i=0
while [ $_i -lt 60 ] && [ -z "$rref" ]; do
	key j
	sleep 0.05
	shot_e
	rref=$(grep -F "$(printf '\033[7m')" "$SCR.e" | grep -oE '[0-9]{2}-[0-9]{4}' | head -n 1)
	_i=$((_i + 1))
done
if [ -n "$rref" ]; then pass "a listed idea can be selected in the review ($rref)"
else sfail "a listed idea can be selected in the review" "no line with a reference got selected"; fi
key Enter
ok "Enter on a listed idea opens its detail ($rref on the first line)" \
	"the first line is not the detail of $rref" eval 'shot && line 1 | grep -q "^$rref "'
key q
expect "Pipeline review" "q in the detail goes back to the review"
key q
expect "Need" "q in the review goes back to the board"
expect_sel "$rref" "the idea opened from the review is selected on the board"
quit_ok "the board quits after the review"

# A card moved and r pressed in the same second (FAI_NOW holds the clock:
# the move is stamped now, and the review's period ends now): the move is
# in the review's moves.  The log counts whole seconds, and [.., now) left
# it out.
db=$(fresh rnow)
rn=$(nth 1 "$NEED")
start rnow 80 24 "$db"
expect_sel "$rn" "the same-second board opens on the first card"
key '>'
expect "$rn moved to Concept" "> moves the card to Concept"
key r
expect "Pipeline review" "r right after the move opens the review"
_i=0
while [ $_i -lt 8 ] && ! shows "Need → Concept, ${NOW%%T*}, $ME"; do
	key NPage
	sleep 0.1
	_i=$((_i + 1))
done
ok "the review lists the move just made: 'Need → Concept, ${NOW%%T*}, $ME'" \
	"no such line in the review's moves" shows "Need → Concept, ${NOW%%T*}, $ME"
ok "the line above it names the card moved ($rn)" "the move is not the card's" \
	eval 'shot && grep -B1 -F "Need → Concept, ${NOW%%T*}, $ME" "$SCR" | head -n 1 | grep -qF "$rn"'
key q
expect "Need" "q goes back to the board"
quit_ok "the board quits after the same-second review"

# review_enter_on_reason_line_goes_to_moved_idea: the reason of an
# abandon names another idea ("duplicate of 84-0002"); Enter on that line
# opens the idea abandoned, whose move the line belongs to.  The screen
# once read references back out of its text and went to the idea named in
# the reason.
db=$(fresh rreason)
ra=$(nth 3 "$NEED")
rb=$(nth 4 "$NEED")
FAI_NOW=$NOW "$FAI" --db "$db" move "$ra" abandoned --reason "duplicate of $rb" > /dev/null
start rreason 80 24 "$db"
expect "Launched" "the board opens on the store with an abandon"
key r
expect "Pipeline review" "r opens the review"
_i=0
_on=""
while [ $_i -lt 80 ] && [ -z "$_on" ]; do
	key j
	sleep 0.05
	shot_e
	_on=$(grep -F "$(printf '\033[7m')" "$SCR.e" | grep -F "Reason: duplicate of $rb")
	_i=$((_i + 1))
done
if [ -n "$_on" ]; then pass "the reason line of the abandon can be selected"
else sfail "the reason line of the abandon can be selected" "no selected line says 'Reason: duplicate of $rb'"; fi
key Enter
ok "Enter on the reason opens the detail of the idea moved ($ra), not the one the reason names ($rb)" \
	"the first line is not the detail of $ra" eval 'shot && line 1 | grep -q "^$ra "'
key q q
expect "Abandoned" "q q goes back to the board, abandoned shown"
expect_sel "$ra" "the idea moved ($ra) is selected on the board"
quit_ok "the board quits after the reason line"

# ================================================================ resize
db=$(fresh size)
start size 80 24 "$db"
expect "Launched" "the resize board opens at 80x24"
tmx resize-window -t "$S" -x 60 -y 20
ok "at 60x20 three columns show and the status says 'column 1/4'" \
	"no 'column 1/4' or the Launched column still shows" \
	eval 'shows "column 1/4" && lacks "Launched"'
ok "at 60x20 the status line reads ' size · $ME · column 1/4' (one space per side)" \
	"the status line is not ' size · $ME · column 1/4'" \
	eval 'shot && line 19 | grep -qx " size · $ME · column 1/4"'
ok "at 60x20 no line is wider than 60 cells" "a line is wider than 60" \
	eval 'shot && [ "$(wc -L < "$SCR")" -le 60 ]'
# 20 rows: 5 cards of 3 lines, so 13 more below.
ok "at 60x20 the first column holds 5 cards ('↓ 13 more')" "no '↓ 13 more' on line 18" \
	eval 'shot && line 18 | grep -q "^↓ 13 more "'
key Tab Tab Tab
ok "Tab to the fourth column scrolls the columns: 'column 4/4', Launched shown" \
	"no 'column 4/4' with Launched" eval 'shows "column 4/4" && shows "Launched" && lacks "Need  "'
tmx resize-window -t "$S" -x 120 -y 40
ok "at 120x40 the four columns show with their long labels" \
	"the header line lacks a column" \
	shows_re '^Need identified +18│Concept +16│Owner search +10│Launched +9$'
ok "at 120x40 no column marker and no line wider than 120" \
	"a 'column n/4' marker or a line wider than 120" \
	eval '! shows_re "column [0-9]+/[0-9]+" && [ "$(wc -L < "$SCR")" -le 120 ]'
expect_sel "$(nth 1 "$(refs launched "$db")")" "the selection survives the resizes"
quit_ok "the board quits after the resizes"

# ================================================================ French
db=$(fresh fr)
start fr 80 24 "$db" LANG=fr_FR.UTF-8
ok "French (80 columns): the short header 'Besoin' and the counts" \
	"the header line does not start with 'Besoin 18'" shows_re '^Besoin +18│Concept +16│'
ok "French: 'Activité lancée' heads the last column" "no 'Activité lancée' on line 1" \
	eval 'shot && line 1 | grep -q "Activité lancée"'
ok "French: the marker says '↓ encore 12'" "no '↓ encore 12'" shows "↓ encore 12"
ok "French: the key hints are French" "no '?:aide' hint line" shows "?:aide  ←→:colonne"
key '?'
expect "Touches" "French: the help overlay is titled 'Touches'"
ok "French: the help names the keys in French (Entrée, PgPréc) beside what they do" \
	"no 'Entrée … la fiche' or 'PgPréc' row" \
	eval 'shows_re "Entrée +la fiche de l.idée" && shows "PgPréc PgSuiv g G" && shows "cette aide"'
key x
ok "French: the help closes" "'Touches' is still shown" lacks "Touches"
tmx resize-window -t "$S" -x 120 -y 40
ok "French (120 columns): 'Besoin identifié' and 'Recherche de porteur' in full" \
	"the long French labels are not on the header line" \
	eval 'shot && line 1 | grep -q "^Besoin identifié .*│Recherche de porteur .*│Activité lancée"'
key '>'
expect "passe à l’étape « Concept »" "French: the move message is French"
tmx resize-window -t "$S" -x 60 -y 20
# the selection followed the moved card into Concept, the second column
expect "colonne 2/4" "French (60 columns): the marker says 'colonne 2/4'"
quit_ok "the French board quits"

# ================================================================ hostile text
# A title holding ESC[2J (clear the screen), OSC 52 (write the clipboard)
# and U+202E (right-to-left override).  The store refuses control
# characters in a title, so the record is written under the store's back
# with mdb_dump / mdb_load (lmdb-utils), as a damaged or foreign store
# would hold it; a comment holding the same sequences goes in the normal way.
if ! command -v mdb_load > /dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q lmdb-utils > "$T/apt.log" 2>&1 ||
		{ apt-get update -q > /dev/null 2>&1 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q lmdb-utils > "$T/apt.log" 2>&1; }
fi
check "mdb_dump and mdb_load are available (lmdb-utils)" \
	eval 'command -v mdb_dump > /dev/null && command -v mdb_load > /dev/null'
db=$(fresh evil)
RLO=$(printf '\342\200\256')
tame="${RLO}EvilX[2J gone X]52;c;SGVsbG8=X tail"
evil="${RLO}Evil${E}[2J gone ${E}]52;c;SGVsbG8=$(printf '\007') tail"
eref=$(FAI_NOW=$NOW "$FAI" --db "$db" add --title "$tame" --need "Besoin")
FAI_NOW=$NOW "$FAI" --db "$db" comment "$eref" "Note X[2J puis X]52;c;SGVsbG8=Y fin" > /dev/null
inject "$db" log "Note X[2J puis X]52;c;SGVsbG8=Y fin" \
	"Note ${E}[2J puis ${E}]52;c;SGVsbG8=$(printf '\007') fin"
hex() { od -An -v -tx1 | tr -d ' \n'; }
th=$(printf '%s' "$tame" | hex)
eh=$(printf '%s' "$evil" | hex)
need_reseal
mdb_dump -s ideas "$db" > "$T/ideas.dump" 2> /dev/null
sed "s/$th/$eh/" "$T/ideas.dump" > "$T/ideas.evil"
mdb_load -s ideas -f "$T/ideas.evil" "$db" 2> /dev/null
"$BUILD/tests/store/helper_reseal" "$db" ideas > /dev/null
check "the hostile title is in the store (fai check sees the invalid value)" \
	eval '! "$FAI" --db "$db" check > /dev/null 2>&1'
# The detector works: raw OSC 52 in a pane makes a tmux paste buffer.
start_cmd probe 40 5 "printf '${E}]52;c;SGVsbG8=\007probe-done\n'; sleep 600"
expect "probe-done" "the OSC 52 probe runs"
ok "a raw OSC 52 reaches tmux as a paste buffer (so the check below can fail)" \
	"no tmux buffer after a raw OSC 52" eval '[ -n "$(tmx list-buffers)" ]'
tmx kill-session -t probe
while [ -n "$(tmx list-buffers)" ]; do tmx delete-buffer; done
start evil 80 24 "$db"
key G
expect_sel "$eref" "the hostile card can be selected"
ok "its title shows placeholders: '<U+202E>Evil␛[2J'" "no '<U+202E>Evil␛[2J' on the screen" \
	shows "<U+202E>Evil␛[2J"
ok "the rest of the pane is intact (ESC[2J did not clear it)" "the header line is gone" \
	shows_re '^Need +19│Concept +16│Owner search +10│Launched +9$'
key Enter
expect "$eref  <U+202E>Evil␛[2J gone ␛]52;c;SGVsbG8=␇ tail" \
	"the detail's title shows every control as a placeholder"
key G
ok "the detail shows the comment's escapes as placeholders" "no 'Note ␛[2J puis ␛]52' line" \
	shows "Note ␛[2J puis ␛]52;c;SGVsbG8=␇ fin"
ok "the detail is intact (the field lines are still there)" "no 'History and comments'" \
	eval 'shows "History and comments" && shows "Need:"'
check "no OSC 52 reached the terminal (tmux has no paste buffer)" \
	eval '[ -z "$(tmx list-buffers)" ]'
key q
expect_sel "$eref" "q goes back from the detail to the board"
quit_ok "the board quits after the hostile card"

# ================================================================ TERM
db=$(fresh term)
for term in xterm-256color screen-256color tmux-256color linux vt100; do
	start "t-$term" 80 24 "$db" "TERM=$term"
	ok "TERM=$term: the board draws its headers" "no header line" \
		shows_re '^Need +18.Concept +16.Owner search +10.Launched +9$'
	quit_ok "TERM=$term: q quits with status 0"
done
start color 80 24 "$db"
expect "Launched" "the colour board opens"
shot_e
check "with colours the headers are coloured (cyan, SGR 36)" \
	eval 'LC_ALL=C grep -q "${E}\\[\\([0-9;]*;\\)\\{0,1\\}36m" "$SCR.e"'
key q
start nocolor 80 24 "$db" NO_COLOR=1
expect "Launched" "NO_COLOR=1: the board draws"
shot_e
check "NO_COLOR=1: no colour at all in the pane (no SGR 30-37 / 40-47)" \
	eval '! LC_ALL=C grep -qE "${E}\\[([0-9;]*;)?[34][0-7](;[0-9;]*)?m" "$SCR.e"'
check "NO_COLOR=1: the selected card is still shown (reverse video)" \
	eval '[ "$(selref)" = "$(nth 1 "$NEED")" ]'
quit_ok "NO_COLOR=1: q quits with status 0"

# ================================================================ mouse
# `fai board --mouse`: xterm's SGR mouse reports (ESC [ < b ; x ; y M/m,
# 1-based) typed into the pane as a terminal would send them.
start_cmd mouse 80 24 "env LANG=C.UTF-8 TERM=xterm-256color FAI_NOW=$NOW sh '$T/run-board' '$FAI' --db '$db' board --mouse"
expect "Launched" "the board opens with --mouse"
click() { typ "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"; }
mref=$(nth 2 "$CONCEPT")
click 25 6
expect_sel "$mref" "a click on the second card of the second column selects it"
click 25 6
click 25 6
expect "$mref  " "a double click opens the card's detail"
key q
expect_sel "$mref" "q goes back to the board, the clicked card still selected"
quit_ok "the --mouse board quits with status 0"

# ================================================================ SSH
# The board through a real OpenSSH server on 127.0.0.1, with a private
# configuration, host key and client key in $T.  Installed when missing;
# when it cannot be installed, the check fails (no skip).
SSHD=/usr/sbin/sshd
if [ ! -x "$SSHD" ] || ! command -v ssh > /dev/null 2>&1; then
	# policy-rc.d keeps the package from starting the system's own sshd.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d &&
			chmod 755 /usr/sbin/policy-rc.d && own_policy=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server openssh-client \
		> "$T/apt.log" 2>&1 ||
		{ apt-get update -q > /dev/null 2>&1 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				openssh-server openssh-client > "$T/apt.log" 2>&1; }
	[ -n "${own_policy:-}" ] && rm -f /usr/sbin/policy-rc.d
fi
check "sshd and ssh are available (installed with apt-get when missing)" \
	eval '[ -x "$SSHD" ] && command -v ssh > /dev/null'

sd=$T/ssh
mkdir -p "$sd"
chmod 700 "$sd"
ssh-keygen -q -t ed25519 -N '' -f "$sd/host" > /dev/null 2>&1
ssh-keygen -q -t ed25519 -N '' -f "$sd/client" > /dev/null 2>&1
cp "$sd/client.pub" "$sd/authorized_keys"
mkdir -p /run/sshd 2> /dev/null
db=$(fresh sshstore)
sshd_up=0
for try in 1 2 3 4 5; do
	port=$((20000 + ($$ * 7 + try * 4099) % 40000))
	cat > "$sd/sshd_config" << EOF
Port $port
ListenAddress 127.0.0.1
HostKey $sd/host
PidFile $sd/sshd.pid
AuthorizedKeysFile $sd/authorized_keys
UsePAM no
PermitRootLogin prohibit-password
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
X11Forwarding no
PrintMotd no
LogLevel ERROR
EOF
	[ -x "$SSHD" ] || break
	"$SSHD" -D -f "$sd/sshd_config" -E "$sd/sshd.log" &
	SSHD_PID=$!
	# up when a command runs through it
	n=0
	while [ $n -lt 50 ]; do
		if ssh -F /dev/null -p "$port" -i "$sd/client" -o BatchMode=yes \
			-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
			-o LogLevel=ERROR "$ME@127.0.0.1" true > /dev/null 2>&1; then
			sshd_up=1
			break
		fi
		kill -0 "$SSHD_PID" 2> /dev/null || break
		sleep 0.1
		n=$((n + 1))
	done
	[ $sshd_up -eq 1 ] && break
	kill "$SSHD_PID" 2> /dev/null
	wait "$SSHD_PID" 2> /dev/null
	SSHD_PID=
done
if [ $sshd_up -eq 1 ]; then
	pass "sshd runs on 127.0.0.1:$port with a private configuration"
else
	fail "sshd runs on 127.0.0.1 with a private configuration" \
		"$(tail -n 3 "$sd/sshd.log" 2> /dev/null)"
fi
sref=$(nth 1 "$NEED")
start_cmd ssh 80 24 "ssh -tt -F /dev/null -p $port -i '$sd/client' -o BatchMode=yes \
-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
$ME@127.0.0.1 'cd $T && LANG=C.UTF-8 TERM=xterm-256color FAI_NOW=$NOW FAI_DB=$db $FAI'; \
echo '[ssh exited '\$?']'; sleep 600"
ok "through SSH the board draws its columns" "no header line" \
	shows_re '^Need +18│Concept +16│Owner search +10│Launched +9$'
expect_sel "$sref" "through SSH the first card is selected"
key '>'
expect "$sref moved to Concept" "through SSH > moves the card"
key q
expect "[ssh exited 0]" "through SSH q quits and the session ends with status 0"
ok "fai show (local): the card moved through SSH is at Concept" "fai show $sref does not say Concept" \
	shows_field "$db" "$sref" "Stage:          Concept"
run "$FAI" --db "$db" log "$sref" --format json
check_out '"client":"127.0.0.1"' "fai log records the SSH client's address"
check "the move is logged with the SSH client (kind move, client 127.0.0.1)" \
	grep -q '"kind":"move".*"client":"127.0.0.1"' "$OUT"
if [ -n "$SSHD_PID" ]; then
	kill "$SSHD_PID" 2> /dev/null
	wait "$SSHD_PID" 2> /dev/null
	SSHD_PID=
fi

finish
