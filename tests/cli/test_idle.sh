#!/bin/sh
# test_idle.sh - an idle board must not make the store grow.  A board that
# kept a read transaction open while its person is away would pin every page
# the writers free, and data.mdb would grow without end (LMDB reuses a freed
# page only once no reader can see it).  Three identical stores of 20 ideas
# with long texts each get 10^4 title edits, one transaction each, from
# helper_churn (built in $BUILD/tests/store): the first with no board, the
# second with a board open and idle in tmux, the third with a board
# suspended with Ctrl-Z in an interactive shell (the board must really stop;
# fg brings it back, showing the last change).  data.mdb of the second and
# third must stay within twice the size of the first.
. "$(dirname "$0")/lib.sh"
tmx_init

CHURN=$BUILD/tests/store/helper_churn
N=10000
if [ ! -x "$CHURN" ]; then
	echo "test_idle.sh: $CHURN is missing (make $CHURN)" >&2
	exit 2
fi

base=$T/base
if ! "$CHURN" "$base" 0 20 > /dev/null; then
	echo "test_idle.sh: cannot make the base store" >&2
	exit 2
fi
for s in alone idle stopped; do
	cp -R "$base" "$T/$s"
done
size() { stat -c %s "$1/data.mdb"; }

# churn NAME: the 10^4 edits on store NAME; prints the seconds they took.
churn() {
	_t0=$(now_ms)
	run "$CHURN" "$T/$1" "$N" 20
	echo "       ($1: $N edits in $((($(now_ms) - _t0) / 1000)) s, data.mdb $(size "$T/$1") bytes)"
}

# ---------------------------------------------------------------- alone
churn alone
check_rc 0 "$N edits with no board"
S0=$(size "$T/alone")

# ---------------------------------------------------------------- idle
tmx_start I 80 24 "env LANG=C.UTF-8 TERM=xterm-256color $FAI --db $T/idle; echo '[board exited]'; sleep 600"
tmx_expect I "84-0001" "a board is open on the second store"
churn idle
check_rc 0 "$N edits with the board open and idle"
S1=$(size "$T/idle")
if [ "$S1" -le $((2 * S0)) ]; then
	pass "with an idle board data.mdb stays within 2x ($S1 vs $S0 bytes)"
else
	fail "with an idle board data.mdb stays within 2x" "$S1 vs $S0 bytes"
fi
# The last edit was 84-0020's (edit N-1 of 20 ideas in turn).
tmx_expect I "churn changed 84-0020" "the idle board followed: its status line names the last change"
tmx_keys I q
tmx_expect I "[board exited]" "the idle board quits"

# ---------------------------------------------------------------- Ctrl-Z
tmx_start Z 80 24 "env PS1='shell> ' LANG=C.UTF-8 TERM=xterm-256color sh -i"
tmx_expect Z "shell>" "an interactive shell in the third session"
tmx_type Z "$FAI --db $T/stopped"
tmx_keys Z Enter
tmx_expect Z "84-0001" "the board is open in it"
shell=$(tmx_pane_pid Z)
bpid=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -n 1)
tmx_keys Z C-z
stopped() { [ "$(ps -o stat= -p "$bpid" 2> /dev/null | cut -c1)" = T ]; }
if [ -n "$bpid" ] && tmx_wait "$WAIT" stopped; then
	pass "Ctrl-Z stops the board (process $bpid is stopped)"
else
	tmx_fail Z "Ctrl-Z stops the board" "process '$bpid' is in state '$(ps -o stat= -p "$bpid" 2> /dev/null)'"
fi
tmx_expect Z "shell>" "the shell is back"
churn stopped
check_rc 0 "$N edits with the board suspended"
S2=$(size "$T/stopped")
if [ "$S2" -le $((2 * S0)) ]; then
	pass "with a suspended board data.mdb stays within 2x ($S2 vs $S0 bytes)"
else
	fail "with a suspended board data.mdb stays within 2x" "$S2 vs $S0 bytes"
fi
if stopped; then
	pass "the board stayed stopped the whole time"
else
	fail "the board stayed stopped the whole time" "state '$(ps -o stat= -p "$bpid" 2> /dev/null)'"
fi
tmx_type Z "fg"
tmx_keys Z Enter
tmx_expect Z "churn changed 84-0020" "fg brings the board back, showing the last change"
# the title takes the card's two title lines: "Idée 84-0001," / "version N"
if tmx_shot Z && grep -A1 -F "Idée 84-0001," "$T/screen.Z" | grep -q "version [0-9]"; then
	pass "its cards are the new ones (titles 'Idée 84-0001, version …')"
else
	tmx_fail Z "its cards are the new ones" "no 'Idée 84-0001,' above 'version N'"
fi
tmx_keys Z q
tmx_expect Z "shell>" "q quits the board back to the shell"
run "$FAI" --db "$T/stopped" check
check_rc 0 "fai check passes on the third store"

finish
