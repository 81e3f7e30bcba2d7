# lib_board.sh - driving a board in tmux and reading its screen, for the
# scripts that test the board (sourced after lib.sh and tmx_init; the
# script sets S, the current session, and SCR, where the screen is read,
# and starts boards its own way).  Every wait polls the screen for up to
# $WAIT seconds.  Sourcing it writes $T/run-board, the wrapper each script's
# start runs the board in, unless the script wrote its own.

E=$(printf '\033')

# $T/run-board CMD...: runs the board, says how it ended, and keeps the
# pane open so the screen after it can still be read (a script that wrote
# its own before, test_board.sh's, keeps it).
[ -e "$T/run-board" ] || cat > "$T/run-board" << 'EOS'
#!/bin/sh
"$@"
echo "[fai exited $?]"
exec sleep 600
EOS

shot() { tmx capture-pane -p -t "$S" > "$SCR" 2> /dev/null; }

shot_e() { tmx capture-pane -p -e -t "$S" > "$SCR.e" 2> /dev/null; }

key() { tmx send-keys -t "$S" "$@"; }

typ() { tmx send-keys -t "$S" -l "$1"; }

# wait_until CMD [ARGS...]: polls the predicate every 0.1 s, up to $WAIT s.
wait_until() {
	_n=0
	while [ "$_n" -lt $((WAIT * 10)) ]; do
		"$@" && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	"$@"
}

shows() { shot && grep -qF -e "$1" "$SCR"; }

lacks() { shot && ! grep -qF -e "$1" "$SCR"; }

shows_re() { shot && grep -qE -e "$1" "$SCR"; }

# line N: line N (1-based) of the last screen taken.
line() { sed -n "${1}p" "$SCR"; }

# sfail NAME WHY: a failed check, with the screen as it is now.
sfail() {
	LAST="(the board in tmux session $S)"
	RC=0
	: > "$OUT"
	: > "$ERR"
	fail "$1" "$2"
	shot
	echo "       screen ($S):"
	sed 's/^/         |/' "$SCR"
}

# expect TEXT NAME: waits until the screen shows TEXT.
expect() {
	if wait_until shows "$1"; then
		pass "$2"
	else
		sfail "$2" "the screen never showed \"$1\""
	fi
}

# ok NAME WHY CMD [ARGS...]: waits until the predicate holds.
ok() {
	_okname=$1 _why=$2
	shift 2
	if wait_until "$@"; then
		pass "$_okname"
	else
		sfail "$_okname" "$_why"
	fi
}

# selref: prints the reference of the selected card (the one in reverse
# video) on the current screen.
selref() {
	shot_e
	LC_ALL=C grep -oE "$E\\[([0-9;]*;)?7m($E\\[[0-9;]*m)*[0-9]{2}-[0-9]{4}" "$SCR.e" |
		grep -oE '[0-9]{2}-[0-9]{4}$' | head -n 1
}

sel_is() { [ "$(selref)" = "$1" ]; }

# expect_sel REF NAME: waits until REF is the selected card.
expect_sel() {
	if wait_until sel_is "$1"; then
		pass "$2"
	else
		sfail "$2" "the selected card is \"$(selref)\", wanted \"$1\""
	fi
}

# quit_ok NAME: q, then the board exits with status 0.
quit_ok() {
	key q
	expect "[fai exited 0]" "$1"
}
