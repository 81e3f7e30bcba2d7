#!/bin/sh
# test_basic.sh - help, version, usage errors, init, missing store, and where
# the store is looked for.
. "$(dirname "$0")/lib.sh"

COMMANDS="init demo add list show edit move comment log undo redo config check help"

# ---------------------------------------------------------------- help
run "$FAI" --help
check_rc 0 "--help exits 0"
check_out "Usage: fai [--db PATH] [--read-only] [COMMAND [OPTIONS]]" "--help prints the usage on stdout"
for c in $COMMANDS; do
	check_out "  $c " "--help lists the command $c"
done
check_out "4 not found, 5 store error" "--help documents the exit statuses"

run "$FAI" -h
check_rc 0 "-h exits 0"
check_out "Usage: fai" "-h prints the usage"

run "$FAI" --version
check_rc 0 "--version exits 0"
check "--version prints 'fai X.Y.Z'" grep -qE '^fai [0-9]+\.[0-9]+\.[0-9]+' "$OUT"

run "$FAI" -V
check_rc 0 "-V exits 0"
check_out "fai " "-V prints the version"

run "$FAI" help move
check_rc 0 "fai help move exits 0"
check_out "Usage: fai [--db PATH] move REF STAGE" "fai help move shows move's synopsis"
check_out "--force" "fai help move mentions --force"

run "$FAI" help
check_rc 0 "fai help exits 0"
check_out "Commands:" "fai help lists the commands"

run "$FAI" help nosuchcommand
check_rc_err 1 "nosuchcommand" "fai help on an unknown command is a usage error naming it"

# Every command's --help works without any store and creates none.
for c in $COMMANDS; do
	run "$FAI" --db "$T/nostore" "$c" --help
	if [ "$RC" -eq 0 ] && grep -qF "Usage: fai [--db PATH] $c" "$OUT"; then
		pass "fai $c --help exits 0 with its usage"
	elif [ "$c" = help ] && [ "$RC" -eq 0 ] && grep -qF "Usage: fai" "$OUT"; then
		pass "fai $c --help exits 0 with its usage"
	else
		fail "fai $c --help exits 0 with its usage" "exit $RC"
	fi
done
check "no --help created a store" test ! -e "$T/nostore"

# ---------------------------------------------------------------- usage errors
# Without a command fai opens the board, which needs a terminal: from a
# script (no tty) it must refuse at once, not hang nor draw.
run "$FAI" --db "$T/x" < /dev/null
check_rc 1 "no command and no terminal: exit 1"
check "no command and no terminal: a message on stderr" test -s "$ERR"
check "no command and no terminal: nothing on stdout" test ! -s "$OUT"
check "no command and no terminal: no escape sequence on stderr" no_byte 1b "$ERR"
check "no command and no terminal: no escape sequence on stdout" no_byte 1b "$OUT"
check "no command and no terminal: no store created" test ! -e "$T/x"

run "$FAI" --db "$T/x" frobnicate
check_rc_err 1 "unknown command 'frobnicate'" "unknown command: exit 1 naming it"

run "$FAI" --frobnicate list
check_rc_err 1 "--frobnicate" "unknown global option: exit 1 naming it"

run "$FAI" --db
check_rc_err 1 "--db" "--db without a value: exit 1"

run "$FAI" --db "$T/x" list --frobnicate
check_rc_err 1 "--frobnicate" "unknown list option: exit 1 naming it"
check_err "fai list --help" "unknown list option: points to fai list --help"

run "$FAI" --db "$T/x" move --reason
check_rc 1 "option missing its value: exit 1"

run "$FAI" --db "$T/x" show
check_rc 1 "show without a reference: exit 1"

run "$FAI" --db "$T/x" move 84-0001
check_rc 1 "move without a stage: exit 1"

run "$FAI" --db "$T/x" init --region 84 extra
check_rc 1 "init with an extra argument: exit 1"
check "a refused init creates no store" test ! -e "$T/x/data.mdb"

# ---------------------------------------------------------------- init
db=$T/s1
run "$FAI" --db "$db" init --region 84
check_rc 0 "init --region 84 exits 0"
check_out "$db" "init names the store's path"
check_out "84" "init names the region"
check "init creates data.mdb" test -f "$db/data.mdb"

run "$FAI" --db "$db" init --region 84
check_rc_err 2 "already exists" "init on an existing store: exit 2, already exists"
check_err "$db" "init on an existing store names the path"

run "$FAI" --db "$T/r99" init --region 99
check_rc_err 2 "99" "init with an unknown region: exit 2 naming the value"
check_err "region" "init with an unknown region names the field"
check "init with an unknown region creates no store" test ! -e "$T/r99/data.mdb"

run "$FAI" --db "$T/deep/er/store" init --region 11
check_rc 0 "init creates missing parent directories"
check "the nested store exists" test -f "$T/deep/er/store/data.mdb"

run "$FAI" --db="$T/eq" init
check_rc 0 "--db=PATH and init without a region work"
check "--db=PATH store exists" test -f "$T/eq/data.mdb"

run "$FAI" --db "$db" check
check_rc 0 "check on a fresh store exits 0"
check_out "(0 " "check on a fresh store counts no idea"

# ---------------------------------------------------------------- missing store
for c in "add --title X" "list" "show 84-0001" "edit 84-0001 --set theme=x" \
	"move 84-0001 concept" "comment 84-0001 hello" "log" "undo" "redo" \
	"config" "check"; do
	# shellcheck disable=SC2086 # word splitting of $c is wanted
	run "$FAI" --db "$T/missing/store" $c
	name=${c%% *}
	if [ "$RC" -ne 5 ]; then
		fail "$name on a missing store: exit 5" "exit $RC"
	elif ! grep -qF "$T/missing/store" "$ERR"; then
		fail "$name on a missing store names the path" "no path"
	elif ! grep -qF "fai init" "$ERR"; then
		fail "$name on a missing store suggests fai init" "no hint"
	else
		pass "$name on a missing store: exit 5, names the path, suggests fai init"
	fi
done
check "commands on a missing store create nothing" test ! -e "$T/missing"

# ---------------------------------------------------------------- default path
# $FAI_DB
run env FAI_DB="$T/envdb" "$FAI" init --region 93
check_rc 0 "init with FAI_DB set"
check "FAI_DB names the store" test -f "$T/envdb/data.mdb"
run env FAI_DB="$T/envdb" "$FAI" add --title "Par FAI_DB"
check_rc 0 "add uses FAI_DB"
check_out "93-0001" "the FAI_DB store's region is the default"
run "$FAI" --db "$T/envdb" list --format tsv
check_out "Par FAI_DB" "the idea went into the FAI_DB store"

# --db wins over $FAI_DB
run env FAI_DB="$T/envdb" "$FAI" --db "$db" add --title "Par --db"
check_rc 0 "add with --db and FAI_DB"
run "$FAI" --db "$T/envdb" list --format tsv
check_no_out "Par --db" "--db wins over FAI_DB"

# $XDG_DATA_HOME/fai
run env XDG_DATA_HOME="$T/xdg" "$FAI" init --region 84
check_rc 0 "init with XDG_DATA_HOME"
check "the store is \$XDG_DATA_HOME/fai" test -f "$T/xdg/fai/data.mdb"
run env XDG_DATA_HOME="$T/xdg" FAI_DB= "$FAI" list
check_rc 0 "an empty FAI_DB falls back to XDG_DATA_HOME"

# ~/.local/share/fai when XDG_DATA_HOME is unset
run "$FAI" init --region 84
check_rc 0 "init with neither FAI_DB nor XDG_DATA_HOME"
check "the store is ~/.local/share/fai" test -f "$HOME/.local/share/fai/data.mdb"

# A relative XDG_DATA_HOME is invalid (XDG spec) and ignored.
run env XDG_DATA_HOME=relative "$FAI" list
check_rc 0 "a relative XDG_DATA_HOME falls back to ~/.local/share/fai"
check "no store under a relative XDG_DATA_HOME" test ! -e relative/fai

# A missing default store names the default path.
run env HOME="$T/home2" "$FAI" list
check_rc_err 5 "$T/home2/.local/share/fai" "a missing default store names ~/.local/share/fai"

finish
