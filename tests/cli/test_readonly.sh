#!/bin/sh
# test_readonly.sh - looking without touching: `fai --read-only` refuses
# every change and leaves data.mdb byte for byte as it was; `fai config
# --user read-only yes` (in $HOME) makes the command line and the board
# read-only: on the board every key that would change something (> < m n e
# E c a H J K u Ctrl-R) says "read-only" on the status line at once (no
# form, prompt or picker first) and nothing is written.  A read-only board
# still shows others' changes live.  With the setting back to "no", the
# same keys work (so the checks above can tell the difference).
. "$(dirname "$0")/lib.sh"
tmx_init

db=$(mkstore ro 84)
"$FAI" --db "$db" add --title "Épicerie solidaire" --need "Pas de commerce" --territory 38 > /dev/null
"$FAI" --db "$db" add --title "Recyclerie" --need "Déchets" --territory 38 > /dev/null
"$FAI" --db "$db" add --title "Tiers-lieu" --need "Lien social" --territory 38 > /dev/null
"$FAI" --db "$db" move 84-0003 concept > /dev/null
check_eq "$(field 84-0003 stage "$db")" "concept" "three ideas, 84-0003 at concept"

# ================================================================ --read-only
snap "$db"
run "$FAI" --read-only --db "$db" move 84-0001 concept
check_rc_err 5 "read-only: the store at $db is open for reading only; nothing was changed" \
	"--read-only move is refused (exit 5), saying so"
check "--read-only move: data.mdb unchanged, byte for byte" same_as_snap "$db"
run "$FAI" --read-only --db "$db" edit 84-0001 --set theme=Alimentation
check_rc_err 5 "read-only" "--read-only edit is refused"
run "$FAI" --read-only --db "$db" comment 84-0001 "Vu"
check_rc_err 5 "read-only" "--read-only comment is refused"
run "$FAI" --read-only --db "$db" add --title "Nouvelle"
check_rc_err 5 "read-only" "--read-only add is refused"
run "$FAI" --read-only --db "$db" undo
check_rc_err 5 "read-only" "--read-only undo is refused"
run "$FAI" --read-only --db "$db" config wip.concept 3
check_rc_err 5 "read-only" "--read-only config KEY VALUE is refused"
check "none of them changed data.mdb" same_as_snap "$db"
run "$FAI" --read-only --db "$db" list
check_rc 0 "--read-only list works"
check_out "84-0001" "--read-only list shows the ideas"
run "$FAI" --read-only --db "$db" log 84-0003
check_rc 0 "--read-only log works"
check "reading changed nothing either" same_as_snap "$db"

# ================================================================ per user
run "$FAI" config --user read-only yes
check_rc 0 "fai config --user read-only yes"
run "$FAI" config --user read-only
check_out "yes" "the setting reads back as yes"
check "the setting is in \$HOME/.config/fai/config" grep -q "read-only = yes" "$HOME/.config/fai/config"
run "$FAI" --db "$db" move 84-0001 concept
check_rc_err 5 "read-only" "with the setting, fai move is refused without --read-only"
check "data.mdb unchanged" same_as_snap "$db"

# The board, read-only through the setting.
cat > "$T/editor" << 'EOF'
#!/bin/sh
echo "theme: Changé par l'éditeur" >> "$1"
EOF
chmod +x "$T/editor"
tmx_start R 80 24 "env HOME=$HOME EDITOR=$T/editor LANG=C.UTF-8 TERM=xterm-256color $FAI --db $db; echo '[board exited]'; sleep 600"
tmx_expect R "84-0001" "the board opens"
tmx_shot R
if tmx_line R 23 | grep -qF "read-only"; then
	pass "the status line says read-only"
else
	tmx_fail R "the status line says read-only" "line 23: $(tmx_line R 23)"
fi

MSG="read-only: nothing can be changed here"
# refused KEY WHAT: KEY shows the refusal on the status line at once, and
# nothing opened over the board; a harmless key (k) then clears it.
refused() {
	tmx_keys R "$1"
	if tmx_wait "$WAIT" tmx_shows R "$MSG" && tmx_line R 23 | grep -qF "$MSG" &&
		! grep -qE "Edit 84-|New idea|Comment:|Reason \(|Move to|Required fields" "$T/screen.R"; then
		pass "$2 ($1) says read-only on the status line"
	else
		tmx_fail R "$2 ($1) says read-only on the status line" "no refusal on line 23, or something opened"
		tmx_keys R Escape
		tmx_keys R Escape
	fi
	tmx_keys R k
	if ! tmx_wait "$WAIT" tmx_lacks R "$MSG"; then
		tmx_fail R "the message goes with the next key" "it stays"
	fi
}
refused '>' "move to the next stage"
refused m "move to any stage"
refused + "new idea"
refused i "new idea"
refused e "edit in the form"
refused E "edit in \$EDITOR"
refused c "comment"
refused a "abandon"
refused H "put on hold"
refused J "move down"
refused K "move up"
refused u "undo"
refused C-r "redo"
tmx_keys R l
refused '<' "move back (on 84-0003 at Concept)"
refused '>' "move on (on 84-0003 at Concept)"

# Others' changes still show on the read-only board.
run env HOME="$T/home-rw" "$FAI" --db "$db" move 84-0002 concept
check_rc 0 "another facilitator (no read-only setting) moves 84-0002"
if tmx_wait "$WAIT" tmx_shows_re R "$ME moved 84-0002 → Concept"; then
	pass "the read-only board shows it live"
else
	tmx_fail R "the read-only board shows it live" "no notice"
fi
snap "$db"
refused '>' "after a reload, move"
tmx_keys R q
tmx_expect R "[board exited]" "q quits the read-only board"
check "the read-only board wrote nothing: data.mdb unchanged" same_as_snap "$db"

# --read-only on the board, without the setting.
run env HOME="$T/home-rw" "$FAI" config --user read-only
check_out "no" "another HOME has no read-only setting"
tmx_start R2 80 24 "env HOME=$T/home-rw LANG=C.UTF-8 TERM=xterm-256color $FAI --read-only --db $db; echo '[board exited]'; sleep 600"
tmx_expect R2 "84-0001" "fai --read-only opens the board"
tmx_keys R2 '>'
if tmx_wait "$WAIT" tmx_shows R2 "$MSG"; then
	pass "> on the --read-only board says read-only"
else
	tmx_fail R2 "> on the --read-only board says read-only" "no refusal"
fi
tmx_keys R2 q
tmx_expect R2 "[board exited]" "q quits it"
check "the --read-only board wrote nothing" same_as_snap "$db"

# ================================================================ back to no
run "$FAI" config --user read-only no
check_rc 0 "fai config --user read-only no"
tmx_start W 80 24 "env HOME=$HOME LANG=C.UTF-8 TERM=xterm-256color $FAI --db $db; echo '[board exited]'; sleep 600"
tmx_expect W "84-0001" "the board opens writable"
tmx_shot W
if tmx_line W 23 | grep -qF "read-only"; then
	tmx_fail W "no read-only mark" "line 23: $(tmx_line W 23)"
else
	pass "no read-only mark on the status line"
fi
tmx_keys W '>'
tmx_expect W "84-0001 moved to Concept" "> now moves the card"
# the selection followed the card to Concept
tmx_keys W c
tmx_expect W "Comment on 84-0001 “" "c now asks for the comment, naming the card"
tmx_keys W Escape
tmx_keys W m
tmx_expect W "Move to" "m now opens the stage picker"
tmx_keys W Escape
tmx_keys W q
tmx_expect W "[board exited]" "q quits"
if same_as_snap "$db"; then
	fail "the writable board wrote" "data.mdb unchanged"
else
	pass "the writable board wrote (the byte check can tell)"
fi

# ================================================================ demo
# --read-only demo once removed and rebuilt a demo store (issue 10).
demo=$T/demo
"$FAI" --db "$demo" demo > /dev/null
snap "$demo"
lock_ino=$(stat -c %i "$demo/lock.mdb")
run "$FAI" --read-only --db "$demo" demo
check_rc_err 5 "read-only: the store at $demo is open for reading only; nothing was changed" \
	"--read-only demo over a demo store is refused (exit 5), saying so"
check "--read-only demo: the demo's data.mdb is unchanged, byte for byte" same_as_snap "$demo"
check_eq "$(stat -c %i "$demo/lock.mdb")" "$lock_ino" "--read-only demo: its lock.mdb is the same file (not removed and made again)"
run "$FAI" --read-only --db "$T/nodemo" demo
check_rc_err 5 "read-only" "--read-only demo where there is no store is refused"
check "... and creates nothing" test ! -e "$T/nodemo"

finish
