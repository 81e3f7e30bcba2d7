# lib.sh - shared helpers of the command-line tests (POSIX sh, sourced).
#
# A test script does:
#     . "$(dirname "$0")/lib.sh"
#     db=$(mkstore a 84)
#     run "$FAI" --db "$db" add --title X
#     check_rc 0 "add succeeds"
#     check_out "84-0001" "add prints the reference"
#     finish
# run.sh sets FAI (the binary) and BUILD (its build directory).  Every script
# gets its own temporary directory $T, removed on exit; HOME, TMPDIR and the
# locale are pinned there so no test ever touches a real store.

if [ -z "${FAI:-}" ]; then
	echo "lib.sh: set FAI to the fai binary (e.g. FAI=build/fai)" >&2
	exit 2
fi
case $FAI in
/*) ;;
*) FAI=$(pwd)/$FAI ;;
esac
if [ ! -x "$FAI" ]; then
	echo "lib.sh: $FAI is not an executable" >&2
	exit 2
fi
BUILD=${BUILD:-$(dirname "$FAI")}
case $BUILD in
/*) ;;
*) BUILD=$(pwd)/$BUILD ;;
esac

PASS=0
FAIL=0
SKIP=0
T=$(mktemp -d "${TMPDIR:-/tmp}/fai-cli.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT HUP TERM

# A clean, predictable environment: English messages, UTF-8, UTC, no store, no
# editor, no fixed time, no terminal width.
mkdir -p "$T/home" "$T/tmp"
HOME=$T/home
TMPDIR=$T/tmp
LANG=C.UTF-8
# Times a person reads are local (TZ): the tests read them in UTC unless
# they set a zone of their own.
TZ=UTC
export HOME TMPDIR LANG TZ
unset LC_ALL LC_MESSAGES LC_CTYPE LANGUAGE FAI_DB FAI_NOW FAI_LOCALEDIR \
	XDG_DATA_HOME VISUAL EDITOR COLUMNS SSH_CONNECTION
ME=$(id -un)

OUT=$T/out
ERR=$T/err
RC=0
LAST=

# run CMD [ARGS...]: runs a command; stdout goes to $OUT, stderr to $ERR,
# the exit status to $RC.  Put environment changes in front with env(1):
#     run env FAI_NOW=2026-01-10T10:00:00Z "$FAI" --db "$db" list
run() {
	LAST="$*"
	"$@" > "$OUT" 2> "$ERR"
	RC=$?
}

pass() {
	PASS=$((PASS + 1))
	echo "ok   - $1"
}

# fail NAME WHY: counts a failure and shows the last command's output.
fail() {
	FAIL=$((FAIL + 1))
	echo "FAIL - $1: $2"
	echo "       last command: $LAST (exit $RC)"
	if [ -s "$OUT" ]; then
		echo "       stdout:"
		head -n 15 "$OUT" | sed 's/^/         | /'
	fi
	if [ -s "$ERR" ]; then
		echo "       stderr:"
		head -n 15 "$ERR" | sed 's/^/         | /'
	fi
}

# check NAME CMD [ARGS...]: passes when the command (a predicate) succeeds.
check() {
	_name=$1
	shift
	if "$@"; then
		pass "$_name"
	else
		fail "$_name" "false: $*"
	fi
}

# check_rc N NAME: the last command exited with status N.
check_rc() {
	if [ "$RC" -eq "$1" ]; then
		pass "$2"
	else
		fail "$2" "exit status $RC, wanted $1"
	fi
}

# check_out TEXT NAME / check_err TEXT NAME: stdout / stderr holds TEXT.
check_out() {
	if grep -qF -e "$1" "$OUT"; then
		pass "$2"
	else
		fail "$2" "stdout lacks \"$1\""
	fi
}
check_err() {
	if grep -qF -e "$1" "$ERR"; then
		pass "$2"
	else
		fail "$2" "stderr lacks \"$1\""
	fi
}

# check_no_out TEXT NAME / check_no_err TEXT NAME: it is absent.
check_no_out() {
	if grep -qF -e "$1" "$OUT"; then
		fail "$2" "stdout holds \"$1\""
	else
		pass "$2"
	fi
}
check_no_err() {
	if grep -qF -e "$1" "$ERR"; then
		fail "$2" "stderr holds \"$1\""
	else
		pass "$2"
	fi
}

# check_rc_err N TEXT NAME: exit status N and TEXT on stderr, as one case.
check_rc_err() {
	if [ "$RC" -ne "$1" ]; then
		fail "$3" "exit status $RC, wanted $1"
	elif ! grep -qF -e "$2" "$ERR"; then
		fail "$3" "stderr lacks \"$2\""
	else
		pass "$3"
	fi
}

# check_eq GOT WANT NAME: two strings are equal.
check_eq() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got \"$1\", wanted \"$2\""
	fi
}

# mkstore NAME [REGION]: creates a fresh store $T/NAME (init) and prints its
# path; stops the script when that fails.
mkstore() {
	_db=$T/$1
	rm -rf "$_db"
	if [ -n "${2:-}" ]; then
		"$FAI" --db "$_db" init --region "$2" > /dev/null 2> "$T/mkstore.err"
	else
		"$FAI" --db "$_db" init > /dev/null 2> "$T/mkstore.err"
	fi || {
		echo "lib.sh: cannot create a store at $_db:" >&2
		cat "$T/mkstore.err" >&2
		exit 2
	}
	echo "$_db"
}

# snap DB: keeps a copy of DB's data file; same_as_snap DB: cmp with it.
snap() {
	cp "$1/data.mdb" "$T/snap.mdb"
}
same_as_snap() {
	cmp -s "$1/data.mdb" "$T/snap.mdb"
}

# has_byte HEX FILE: the file holds that byte (e.g. has_byte 1b "$OUT").
has_byte() {
	od -An -v -tx1 "$2" | tr -s ' \n' '\n\n' | grep -qx "$1"
}

# no_byte HEX FILE: the file does not hold that byte.
no_byte() {
	! has_byte "$1" "$2"
}

# has_bytes TEXT FILE: the file holds the bytes of printf TEXT.
has_bytes() {
	LC_ALL=C grep -qF -e "$(printf "$1")" "$2"
}

# field REF FIELD DB: prints one field of an idea from `list --format tsv`.
field() {
	"$FAI" --db "$3" list --format tsv | awk -F '\t' -v ref="$1" -v f="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["ref"] == ref { print $col[f] }'
}

# finish: prints the closing "N passed, N failed" line and sets the status.
# skip NAME WHY: a case that cannot run here (not root, say): said, and
# counted in the closing line, never silently passed.
skip() {
	SKIP=$((SKIP + 1))
	echo "skip - $1: $2"
}

finish() {
	echo "$PASS passed, $FAIL failed, $SKIP skipped"
	[ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]
	exit $?
}

# ---------------------------------------------------------------- tmux
# Boards end to end in tmux, for scripts that drive several boards at once.
# tmx_init starts nothing: it picks a private server socket in $T (so runs
# never meet), sets WAIT (seconds a wait may take: 30 under ASan, else 10)
# and a trap that kills that server and removes $T on exit.  A script with
# more to clean up sets its own trap and calls tmx_kill from it.
tmx_init() {
	if ! command -v tmux > /dev/null 2>&1; then
		echo "lib.sh: tmux is missing (apt-get install tmux)" >&2
		exit 2
	fi
	TMX_SOCK=$T/tmux.sock
	printf 'set -g exit-empty off\nset -g history-limit 200\n' > "$T/tmux.conf"
	case $BUILD in
	*asan*) WAIT=${WAIT:-30} ;;
	*) WAIT=${WAIT:-10} ;;
	esac
	trap 'tmx_kill; rm -rf "$T"' EXIT
}

# tmx ARGS...: tmux on the private server.
tmx() { tmux -S "$TMX_SOCK" -f "$T/tmux.conf" "$@"; }

tmx_kill() {
	if [ -n "${TMX_SOCK:-}" ]; then
		tmux -S "$TMX_SOCK" kill-server > /dev/null 2>&1
	fi
	return 0
}

# tmx_start NAME COLS ROWS COMMAND: a detached session running COMMAND.
tmx_start() {
	tmx new-session -d -s "$1" -x "$2" -y "$3" "$4"
}

# tmx_shot NAME: the screen of session NAME into $T/screen.NAME.
tmx_shot() { tmx capture-pane -p -t "$1" > "$T/screen.$1" 2> /dev/null; }

# tmx_keys NAME KEYS...: send-keys; tmx_type NAME TEXT: literal text.
tmx_keys() {
	_s=$1
	shift
	tmx send-keys -t "$_s" "$@"
}
tmx_type() { tmx send-keys -t "$1" -l "$2"; }

# tmx_shows NAME TEXT / tmx_lacks NAME TEXT: a fresh screen holds TEXT.
tmx_shows() { tmx_shot "$1" && grep -qF -e "$2" "$T/screen.$1"; }
tmx_lacks() { tmx_shot "$1" && ! grep -qF -e "$2" "$T/screen.$1"; }
# tmx_shows_re NAME ERE: the same with an extended regular expression.
tmx_shows_re() { tmx_shot "$1" && grep -qE -e "$2" "$T/screen.$1"; }

# tmx_line NAME N: line N (1-based) of the last screen taken of NAME.
tmx_line() { sed -n "${2}p" "$T/screen.$1"; }

# tmx_wait SECONDS CMD [ARGS...]: polls the predicate every 0.1 s for at
# most SECONDS; succeeds as soon as it holds.
tmx_wait() {
	_max=$(($1 * 10))
	shift
	_n=0
	while [ "$_n" -lt "$_max" ]; do
		"$@" && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	"$@"
}

# tmx_fail NAME CASE WHY: a failed case, with session NAME's screen.
tmx_fail() {
	LAST="(the board in tmux session $1)"
	RC=0
	: > "$OUT"
	: > "$ERR"
	fail "$2" "$3"
	tmx_shot "$1"
	echo "       screen ($1):"
	sed 's/^/         |/' "$T/screen.$1"
}

# tmx_expect NAME TEXT CASE: waits (up to $WAIT s) until NAME shows TEXT.
tmx_expect() {
	if tmx_wait "$WAIT" tmx_shows "$1" "$2"; then
		pass "$3"
	else
		tmx_fail "$1" "$3" "the screen never showed \"$2\""
	fi
}

# tmx_pane_pid NAME: the pid of the process the session started.
tmx_pane_pid() { tmx display-message -p -t "$1" '#{pane_pid}'; }

# file_mode PATH: "MODE GROUP" as stat prints them (e.g. "2770 fai_team").
file_mode() { stat -c '%a %G' "$1"; }

# now_ms: milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# need_reseal: stops the script, saying how to build it, when the test
# helper that seals injected records again is not built (make test-unit
# builds it; a script run alone after a plain make would otherwise fail
# its checks without saying why).
need_reseal() {
	if [ ! -x "$BUILD/tests/store/helper_reseal" ]; then
		echo "$0: $BUILD/tests/store/helper_reseal is not built (make test-unit builds it)" >&2
		exit 2
	fi
}

# inject STORE DB TAME EVIL: replaces the bytes of TAME by those of EVIL
# (same structure, different bytes) in the named LMDB database of STORE, as
# a damaged or foreign store could hold them: what the store's own checks
# refuse (control characters) can then be tested on display.  TAME and EVIL
# must have the same length in bytes (record lengths are encoded).  The
# records are sealed again (helper_reseal): written so by another program,
# they are sound records, not damage.
inject() {
	need_reseal
	_hex() { od -An -v -tx1 | tr -d ' \n'; }
	_t=$(printf '%s' "$3" | _hex)
	_e=$(printf '%s' "$4" | _hex)
	mdb_dump -s "$2" "$1" > "$T/inject.dump" 2> /dev/null &&
		sed "s/$_t/$_e/" "$T/inject.dump" > "$T/inject.evil" &&
		mdb_load -s "$2" -f "$T/inject.evil" "$1" 2> /dev/null &&
		"$BUILD/tests/store/helper_reseal" "$1" "$2" > /dev/null
}
