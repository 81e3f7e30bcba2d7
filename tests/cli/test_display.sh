#!/bin/sh
# test_display.sh - text from the store never drives the terminal: escape
# sequences (ESC[2J, OSC 52 clipboard writes), BEL, C1 controls and bidi
# overrides are shown as placeholders, escaped in JSON and TSV.
#
# One-line fields (title, move reason...) refuse control characters at input,
# so ESC and BEL reach the store through the texts that accept them: comments.
# A U+202E bidi override is a valid character and is accepted in a title.
#
# What comes from outside the store is made display-safe too: file names in
# messages, the Unix user name and SSH_CONNECTION recorded in the log (only
# an address is kept); JSON is valid UTF-8 whatever the store holds.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
export FAI_NOW="$NOW"
db=$(mkstore display 84)
fai() { "$FAI" --db "$db" "$@"; }

CLEAR=$(printf '\033[2J')
OSC52=$(printf '\033]52;c;SGVsbG8=\007')
RLO=$(printf '\342\200\256')
CSI8=$(printf '\302\233') # U+009B, the 8-bit CSI

# clean NAME FILE: no ESC (1b), no BEL (07), no raw U+202E, no raw U+009B.
clean() {
	if has_byte 1b "$2"; then
		fail "$1" "raw ESC (0x1b) in the output"
	elif has_byte 07 "$2"; then
		fail "$1" "raw BEL (0x07) in the output"
	elif has_bytes '\342\200\256' "$2"; then
		fail "$1" "raw U+202E (e2 80 ae) in the output"
	elif has_bytes '\302\233' "$2"; then
		fail "$1" "raw U+009B (c2 9b) in the output"
	else
		pass "$1"
	fi
}

# The checks can fail: a file holding ESC is seen.
printf 'x\033[2Jy\n' > "$T/probe"
check "the ESC probe detects a raw ESC" has_byte 1b "$T/probe"
printf 'x\342\200\256y\n' > "$T/probe"
check "the bidi probe detects a raw U+202E" has_bytes '\342\200\256' "$T/probe"

# ---------------------------------------------------------------- refused input
run fai add --title "Titre${CLEAR}effacé"
check_rc_err 2 "control characters" "a title holding ESC[2J is refused (exit 2)"
clean "the refusal message shows ESC[2J as a placeholder" "$ERR"
check_err "␛[2J" "the refusal shows ESC as ␛"
run fai add --title "Presse-papiers ${OSC52} volé"
check_rc 2 "a title holding an OSC 52 sequence is refused (exit 2)"
clean "the OSC 52 refusal message is clean" "$ERR"
check_err "␛]52;c;SGVsbG8=␇" "the refusal shows ESC and BEL as ␛ and ␇"
run fai add --title "Titre" --need "$(printf 'Ligne 1\nLigne 2 %s' "$CLEAR")"
check_rc 2 "a multi-line need holding ESC is refused (exit 2)"
clean "the need refusal message is clean" "$ERR"
run fai show "84-${CLEAR}0001"
check_rc 4 "a reference holding ESC: not found"
clean "the not-found message is clean" "$ERR"

# ---------------------------------------------------------------- stored text
run fai add --title "Atelier ${RLO}lieu-reparation" --territory 69123 --need "Besoin"
check_rc 0 "a title holding U+202E is accepted"
ref=$(cat "$OUT")
run fai comment "$ref" "Réunion ${CLEAR} puis"
check_rc_err 2 "control characters" "a comment holding ESC[2J is refused (exit 2)"
clean "the comment refusal message is clean" "$ERR"
run fai comment "$ref" "Réunion ${CSI8}2J"
check_rc 2 "a comment holding U+009B (8-bit CSI) is refused (exit 2)"
# What the store refuses could still come from a damaged or foreign store:
# the comment is stored tame, then its bytes are swapped in the log (same
# lengths: X for ESC, Y for BEL, ZZ for the two bytes of U+009B).
TAME="Réunion X[2J puis X]52;c;SGVsbG8=Y et ${RLO}fin ZZ2J"
run fai comment "$ref" "$TAME"
check_rc 0 "the tame comment is stored"
command -v mdb_load > /dev/null 2>&1 ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q lmdb-utils > /dev/null 2>&1
check "a comment holding ESC[2J, OSC 52, U+202E and U+009B is put in the log" \
	inject "$db" log "$TAME" "Réunion ${CLEAR} puis ${OSC52} et ${RLO}fin ${CSI8}2J"
run fai move "$ref" on_hold --reason "Raison ${OSC52}${CLEAR}"
check_rc 2 "a move reason holding OSC 52 and ESC[2J is refused (exit 2)"
clean "the reason refusal message is clean" "$ERR"
run fai move "$ref" on_hold --reason "Raison ${RLO}inversée"
check_rc 0 "a move reason holding U+202E is stored"
run env SSH_CONNECTION="10.0.0.1${OSC52} 22 10.0.0.2 22" "$FAI" --db "$db" comment "$ref" "Depuis SSH"
check_rc 0 "an action from an SSH client whose address holds OSC 52"

for cols in 60 120; do
	run env COLUMNS=$cols "$FAI" --db "$db" list
	check_rc 0 "list at COLUMNS=$cols exits 0"
	clean "list at COLUMNS=$cols prints no raw control or bidi byte" "$OUT"
done
run env COLUMNS=120 "$FAI" --db "$db" list
check_out "<U+202E>" "list shows U+202E as <U+202E>"

run fai show "$ref"
check_rc 0 "show exits 0"
clean "show prints no raw control or bidi byte" "$OUT"
check_out "Atelier <U+202E>lieu-reparation" "show's title shows the placeholder"
check_out "␛[2J" "show shows ESC[2J of the comment as ␛[2J"
check_out "␛]52;c;SGVsbG8=␇" "show shows OSC 52 with ␛ and ␇"
check_out "<U+009B>" "show shows U+009B as a placeholder"
check_out "reason: Raison <U+202E>inversée" "show's history shows the reason's placeholder"
check_out "Stage reason:   Raison <U+202E>inversée" "show's stage reason shows the placeholder"

run fai log
check_rc 0 "log exits 0"
clean "log (text) prints no raw control or bidi byte" "$OUT"
run fai log "$ref"
clean "log REF prints no raw control or bidi byte" "$OUT"
run fai undo
check_rc 0 "undo of the SSH comment"
clean "undo's report prints no raw control or bidi byte" "$OUT"

run fai log --format tsv
clean "log --format tsv prints no raw control or bidi byte" "$OUT"
check_out '\x1b[2J' "log tsv escapes ESC as \\x1b"
check_out '\x07' "log tsv escapes BEL as \\x07"

run fai list --format tsv
clean "list --format tsv prints no raw control or bidi byte" "$OUT"
check_out '\u202e' "list tsv escapes U+202E as \\u202e"

run fai list --format json
check "list json is valid JSON" python3 -m json.tool "$OUT" /dev/null
clean "list json holds no raw control or bidi byte" "$OUT"
check_out '\u202e' "list json escapes U+202E as \\u202e"

run fai show "$ref" --format json
check "show json is valid JSON" python3 -m json.tool "$OUT" /dev/null
clean "show json holds no raw control or bidi byte" "$OUT"
check_out '\u001b[2J' "show json escapes ESC as \\u001b"
check_out '\u0007' "show json escapes BEL as \\u0007"
check_out '\u009b' "show json escapes U+009B as \\u009b"
want="Réunion ${CLEAR} puis ${OSC52} et ${RLO}fin ${CSI8}2J"
got=$(python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1], encoding="utf-8"))["comments"][0]["text"])' "$OUT")
check_eq "$got" "$want" "show json decodes back to the exact comment"
got=$(python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1], encoding="utf-8"))["idea"]["stage_reason"])' "$OUT")
check_eq "$got" "Raison ${RLO}inversée" "show json decodes back to the exact reason"

run fai log --format json
check "log json is valid JSON" python3 -m json.tool "$OUT" /dev/null
clean "log json holds no raw control or bidi byte" "$OUT"
# SSH_CONNECTION is the environment's: only a first word that looks like
# an address is recorded, so OSC 52 never reaches the log.
got=$(python3 -c '
import json, sys
for e in json.load(open(sys.argv[1], encoding="utf-8")):
    if e.get("client"):
        sys.stdout.write(e["client"])
        break' "$OUT")
check_eq "$got" "" "log json records no SSH client whose first word is not an address (it held OSC 52)"

# ---------------------------------------------------------------- from outside
# SSH_CONNECTION: the address is kept, anything else is not.
client_of_last() {
	"$FAI" --db "$db" log --format json | python3 -c '
import json, sys
e = json.load(sys.stdin)[-1]
sys.stdout.write(e.get("client") or "-")'
}
run env SSH_CONNECTION="203.0.113.7 51234 10.0.0.2 22" "$FAI" --db "$db" comment "$ref" "IPv4"
check_eq "$(client_of_last)" "203.0.113.7" "an IPv4 SSH client address is recorded"
run env SSH_CONNECTION="2001:db8::7 51234 2001:db8::1 22" "$FAI" --db "$db" comment "$ref" "IPv6"
check_eq "$(client_of_last)" "2001:db8::7" "an IPv6 SSH client address is recorded"
long=$(printf '1%.0s' $(seq 1 80))
run env SSH_CONNECTION="$long 1 2 3" "$FAI" --db "$db" comment "$ref" "Trop long"
check_eq "$(client_of_last)" "-" "an SSH_CONNECTION whose first word is 80 digits long is not recorded"
run env SSH_CONNECTION="$(printf 'h\303\251te\033[2J 1 2 3')" "$FAI" --db "$db" comment "$ref" "Nom"
check_eq "$(client_of_last)" "-" "a host name with ESC in SSH_CONNECTION is not recorded"

# File names in messages.
run fai export -o "$T/export${CLEAR}${RLO}.csv"
check_rc 0 "an export to a file whose name holds ESC[2J and U+202E works"
clean "\"Exported ... to FILE\" shows the name display-safe" "$OUT"
check_out "export␛[2J<U+202E>.csv" "... with ESC as ␛ and U+202E as <U+202E>"
run fai export -o "$T/no${CLEAR}where/x.csv"
check_rc 5 "an export into a missing directory whose name holds ESC fails"
clean "the failure names the path display-safe" "$ERR"
ln -s "$T/export${CLEAR}${RLO}.csv" "$T/link${OSC52}.csv"
run fai export -o "$T/link${OSC52}.csv"
check_rc 2 "an export to a link whose name holds OSC 52 is refused"
clean "the refusal names the link display-safe" "$ERR"
printf 'title,region\nBonne idée,84\nMauvaise,99\n' > "$T/in${CLEAR}.csv"
run fai import "$T/in${CLEAR}.csv"
check_rc 2 "an import of a file whose name holds ESC, with an invalid row, is refused"
clean "the invalid row's FILE:LINE and the summary are display-safe (stderr)" "$ERR"
clean "the import summary is display-safe (stdout)" "$OUT"
check_err "in␛[2J.csv:3:" "the invalid row is named FILE:LINE with ␛"
run fai import --skip-invalid "$T/in${CLEAR}.csv"
check_rc 0 "the same import with --skip-invalid works"
clean "its summary and the rejects file's name are display-safe" "$OUT"
run "$FAI" --db "$T/db${CLEAR}${RLO}" list
check_rc 5 "a --db holding ESC and U+202E: no store"
clean "the no-store message is display-safe" "$ERR"

# The Unix user name: a user with no passwd entry is named by $USER, which
# is the environment's; it is recorded display-safe (ESC, invalid UTF-8).
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null 2>&1; then
	U=$(mktemp -d /tmp/fai-display-user.XXXXXX)
	chmod 755 "$U"
	udb=$U/store
	"$FAI" --db "$udb" init --region 84 > /dev/null
	"$FAI" --db "$udb" add --title "Idée" > /dev/null
	chown -R 54321:54321 "$udb"
	ufai=$FAI
	if ! setpriv --reuid=54321 --regid=54321 --clear-groups test -x "$ufai"; then
		cp "$FAI" "$U/fai" && chmod 755 "$U/fai"
		ufai=$U/fai
	fi
	run setpriv --reuid=54321 --regid=54321 --clear-groups \
		env HOME="$U" USER="$(printf 'm\303\251chant\033]52;c;SGVsbG8=\007\377')" \
		"$ufai" --db "$udb" comment 84-0001 "Par un inconnu"
	check_rc 0 "a user with no passwd entry and a hostile \$USER comments"
	run "$FAI" --db "$udb" log
	clean "log (text) shows the hostile user name display-safe" "$OUT"
	check_out "méchant␛]52;c;SGVsbG8=␇" "... with ESC and BEL as ␛ and ␇"
	run "$FAI" --db "$udb" log --format json
	check "log json with that user is valid UTF-8 JSON" python3 -m json.tool "$OUT" /dev/null
	clean "log json with that user holds no raw control byte" "$OUT"
	no_ff() { ! has_byte ff "$1"; }
	check "log json holds no invalid byte (0xff)" no_ff "$OUT"
	rm -rf "$U"
else
	skip "a hostile Unix user name" "not root (setpriv)"
fi

# JSON is valid UTF-8 whatever the store holds: invalid bytes put into a
# comment (as a damaged or foreign store could hold them) become \ufffd.
run fai comment "$ref" "Octets XY fin"
check_rc 0 "a tame comment to damage"
check "the comment's XY are swapped for the invalid bytes ff fe in the log" \
	inject "$db" log "Octets XY fin" "$(printf 'Octets \377\376 fin')"
run fai log --format json
check "log json is valid UTF-8 JSON despite the invalid bytes" \
	python3 -c 'import json,sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$OUT"
check_out 'Octets \ufffd\ufffd fin' "log json shows each invalid byte as \\ufffd"
run fai show "$ref" --format json
check "show json is valid UTF-8 JSON despite the invalid bytes" \
	python3 -c 'import json,sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$OUT"
run fai log --format tsv
check_out 'Octets \xff\xfe fin' "log tsv shows the invalid bytes as \\xff\\xfe"
run fai log
clean "log (text) with the invalid bytes is clean" "$OUT"

# ---------------------------------------------------------------- widths
# A ZWJ emoji sequence (👩‍👩‍👧, 🏳️‍🌈) is one glyph of two cells to some
# terminals and its parts to others: in a title it shifted the next
# column's border on the board.  A title starting with a combining mark
# (U+0301) drew the mark on the line above.  The board at 80x24 in French,
# with such titles in the four columns: every border of every line stays
# where the header line has it (columns counted with the C library's
# wcwidth, as tmux counts them), and the mark stays on its own line.
ZWJ=$(printf '\342\200\215')
FAMILY=$(printf '\360\237\221\251')${ZWJ}$(printf '\360\237\221\251')${ZWJ}$(printf '\360\237\221\247')
RAINBOW=$(printf '\360\237\217\263\357\270\217')${ZWJ}$(printf '\360\237\214\210')
ACUTE=$(printf '\314\201')
THUMB=$(printf '\360\237\221\215\360\237\217\275')
FLAG=$(printf '\360\237\207\253\360\237\207\267')
KEYCAP=$(printf '1\357\270\217\342\203\243')
wdb=$(mkstore widths 84)
wadd() {
	FAI_NOW=$NOW "$FAI" --db "$wdb" add --title "$1" --territory 69123 \
		--need "Besoin" --concept "Concept" --owner "Porteur" \
		--structure "Structure" --launch-date 2025-09-01
}
wi=0
for st in need concept owner_search launched; do
	for t in "${FAMILY} Famille ${ACUTE}" "${RAINBOW} Fierté ${THUMB}" \
		"${ACUTE}Accent ${FLAG} ${KEYCAP}"; do
		ref=$(wadd "$t")
		case $st in
		concept) steps="concept" ;;
		owner_search) steps="concept owner_search" ;;
		launched) steps="concept owner_search launched" ;;
		*) steps="" ;;
		esac
		for s2 in $steps; do
			FAI_NOW=$NOW "$FAI" --db "$wdb" move "$ref" "$s2" > /dev/null
		done
		wi=$((wi + 1))
	done
done
run "$FAI" --db "$wdb" list --format tsv
check_eq "$(awk -F '\t' 'NR > 1 { print $4 }' "$OUT" | sort | uniq -c | awk '{ printf "%s %s ", $1, $2 }')" \
	"3 concept 3 launched 3 need 3 owner_search " "three hostile titles in each of the four columns"
check "the list TSV keeps the joiners as stored" grep -qF "$FAMILY" "$OUT"

tmx_init
tmx_start wid 80 24 "env LANG=fr_FR.UTF-8 TERM=xterm-256color FAI_NOW=$NOW '$FAI' --db '$wdb'; sleep 600"
tmx_expect wid "Activité lancée" "the board opens at 80x24 in French over the hostile titles"
# borders NAME: prints "ok" when every line of session NAME's screen that
# holds borders has them at the columns of the header line's, else the
# first line that does not.  Columns are tmux's own: copy mode's cursor
# jumps to each "│" and says its cell (a count of code points or of
# wcwidth would not see the cells a terminal merged).
borders() {
	tmx_shot "$1"
	tmx copy-mode -t "$1"
	_y=0 _want= _got=ok
	while [ "$_y" -lt 21 ]; do
		_n=$(sed -n "$((_y + 1))p" "$T/screen.$1" | grep -o "│" | wc -l)
		tmx send-keys -t "$1" -X top-line
		[ "$_y" -gt 0 ] && tmx send-keys -t "$1" -N "$_y" -X cursor-down
		tmx send-keys -t "$1" -X start-of-line
		_xs= _k=0
		while [ "$_k" -lt "$_n" ]; do
			tmx send-keys -t "$1" -X jump-forward "│"
			_xs="$_xs $(tmx display-message -p -t "$1" '#{copy_cursor_x}')"
			_k=$((_k + 1))
		done
		if [ "$_y" -eq 0 ]; then
			_want=$_xs
			[ "$_want" = " 19 39 59" ] || { _got="header borders at$_want"; break; }
		elif [ "$_n" -gt 0 ] && [ "$_xs" != "$_want" ]; then
			_got="line $((_y + 1)) has its borders at$_xs, the header at$_want: $(sed -n "$((_y + 1))p" "$T/screen.$1")"
			break
		fi
		_y=$((_y + 1))
	done
	tmx send-keys -t "$1" -X cancel
	echo "$_got"
}
tmx_wait "$WAIT" tmx_shows wid "Fierté" > /dev/null
got=$(borders wid)
if [ "$got" = ok ]; then
	pass "80x24 French board: every column border stays in line with the header's"
else
	tmx_fail wid "80x24 French board: every column border stays in line with the header's" "$got"
fi
check "the board shows the family as three emoji, joiners left out" \
	grep -qF "$(printf '\360\237\221\251\360\237\221\251\360\237\221\247') Famille" "$T/screen.wid"
check "the board shows the rainbow flag's parts, no joiner nor selector" \
	grep -qF "$(printf '\360\237\217\263\360\237\214\210') Fierté" "$T/screen.wid"
check "the board shows the leading mark on a no-break space" \
	grep -qF "$(printf '\302\240')${ACUTE}Accent" "$T/screen.wid"
check "no combining mark is drawn on the line above its card (each is on its base)" \
	sh -c '! grep -vF "$(printf "\302\240")$2" "$1" | grep -qF "$2"' \
	sh "$T/screen.wid" "$ACUTE"
check "no line of the pane is wider than 80 cells" python3 - "$T/screen.wid" << 'PY'
import ctypes, locale, sys
locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
libc = ctypes.CDLL(None)
for l in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    w = sum(max(libc.wcwidth(ctypes.c_wchar(c)), 0) for c in l)
    assert w <= 80, (w, l)
PY
tmx_keys wid q
tmx_kill

# The review's CSV keeps the titles as stored: only a terminal's display
# leaves things out.
run env FAI_NOW=2026-01-11T10:00:00Z "$FAI" --db "$wdb" review --format csv
check_rc 0 "review --format csv over the hostile titles"
check "the review's CSV keeps the joiners as stored" grep -qF "$FAMILY" "$OUT"
check "the review's CSV keeps the leading mark as stored" grep -qF ",${ACUTE}Accent" "$OUT"
run env FAI_NOW=2026-01-11T10:00:00Z "$FAI" --db "$wdb" list --format json
check "list --format json keeps the joiners as stored" grep -qF "$FAMILY" "$OUT"
run env COLUMNS=80 FAI_NOW=2026-01-11T10:00:00Z "$FAI" --db "$wdb" list
check "list (table) prints the family without its joiners" \
	grep -qF "$(printf '\360\237\221\251\360\237\221\251\360\237\221\247')" "$OUT"
check "list (table): every line the same width (the columns line up)" python3 - "$OUT" << 'PY'
import ctypes, locale, sys
locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
libc = ctypes.CDLL(None)
def width(l):
    return sum(max(libc.wcwidth(ctypes.c_wchar(c)), 0) for c in l)
lines = [l.rstrip(" ") for l in open(sys.argv[1], encoding="utf-8").read().splitlines()]
# The DAYS column ends every line: right-aligned, so every line ends at
# the same cell.
ends = {width(l) for l in lines}
assert len(ends) == 1, ends
PY

finish
