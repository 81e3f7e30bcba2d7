#!/bin/sh
# test_shared.sh - several facilitators on one server, one store.
#
# Users and groups (as root): Unix users fai_u1 and fai_u2 in the group
# fai_team and fai_u3 outside it (created here, reused when an aborted run
# left them, removed at the end); a store made with `fai init --shared
# fai_team` keeps its modes (directory 2770 setgid, data.mdb and lock.mdb
# 0660, group fai_team) while the users work with umask 077; fai_u3 is
# refused with a message naming the group; a world-writable store directory
# is refused with the command that fixes it; the log names the Unix user of
# every change and the SSH client address (SSH_CONNECTION).  Without root
# these cases are skipped (said so) and the boards run as the current user.
#
# Two boards on one store, in two tmux sessions of 80x24 (a private tmux
# server): a move with > in board A appears in board B within 2 s, and B's
# status line says who moved what; an edit conflict: A opens the form, B
# saves a new title for the same card, A saves a new theme and is refused
# with a message naming the colleague, A's text stays in the form with ≠ on
# the title line, Ctrl-O writes A's version to a file whose path is shown,
# Ctrl-S then saves A's version knowingly, and `fai log` has both edits.
. "$(dirname "$0")/lib.sh"
tmx_init

U1=fai_u1
U2=fai_u2
U3=fai_u3
G=fai_team
USERS=0 # 1 once the Unix users exist for this run
S=      # the shared area under /tmp, traversable by every user
TA=     # board A's TMPDIR

cleanup() {
	tmx_kill
	if [ "$USERS" = 1 ]; then
		# userdel refuses a user who still runs something: let the
		# boards end after the tmux server (up to 5 s).
		_n=0
		while [ "$_n" -lt 50 ] && ps -u "$U1,$U2,$U3" > /dev/null 2>&1; do
			sleep 0.1
			_n=$((_n + 1))
		done
		for _u in $U1 $U2 $U3; do
			userdel "$_u" > /dev/null 2>&1
		done
		groupdel "$G" > /dev/null 2>&1
	fi
	if [ -n "$S" ]; then
		rm -rf "$S"
	fi
	if [ -n "$TA" ]; then
		rm -rf "$TA"
	fi
	rm -rf "$T"
}
trap cleanup EXIT

# Every directory from / to the store must be traversable by the users: the
# shared area lives in /tmp, not in $T (which may be under a private
# TMPDIR).
S=$(mktemp -d /tmp/fai-shared.XXXXXX) || exit 2
chmod 755 "$S"

if [ "$(id -u)" -eq 0 ] && command -v useradd > /dev/null 2>&1 &&
	command -v runuser > /dev/null 2>&1; then
	# One run at a time creates and removes these users.
	exec 9> /tmp/fai-test-users.lock
	if ! flock -w 900 9; then
		echo "test_shared.sh: another run holds /tmp/fai-test-users.lock" >&2
		exit 2
	fi
	getent group "$G" > /dev/null || groupadd "$G" || exit 2
	for _u in $U1 $U2; do
		id "$_u" > /dev/null 2>&1 ||
			useradd -M -N -s /bin/sh -G "$G" "$_u" || exit 2
		usermod -a -G "$G" "$_u" || exit 2
	done
	id "$U3" > /dev/null 2>&1 || useradd -M -N -s /bin/sh "$U3" || exit 2
	gpasswd -d "$U3" "$G" > /dev/null 2>&1
	USERS=1
	for _u in $U1 $U2 $U3; do
		mkdir -p "$S/home/$_u"
		chown "$_u" "$S/home/$_u"
		chmod 700 "$S/home/$_u"
	done
	chmod 755 "$S/home"
	if ! runuser -u "$U1" -- test -x "$FAI"; then
		# The checkout is private (a 0700 temporary directory, say):
		# the users run a copy, with its catalogue beside it.
		mkdir -p "$S/bin"
		cp "$FAI" "$S/bin/fai" || exit 2
		[ -d "$(dirname "$FAI")/locale" ] &&
			cp -R "$(dirname "$FAI")/locale" "$S/bin/"
		chmod -R a+rX "$S/bin"
		FAI=$S/bin/fai
	fi
	if ! runuser -u "$U1" -- test -x "$FAI"; then
		echo "test_shared.sh: $U1 cannot run $FAI (a parent directory is not traversable)" >&2
		exit 2
	fi
	UA=$U1
	UB=$U2
else
	skip "users and groups" "not root (or no useradd/runuser)"
	UA=$ME
	UB=$ME
fi

# as USER CMD [ARGS...]: runs CMD as USER with umask 077, the user's own
# HOME and TMPDIR, English messages.
as() {
	_u=$1
	shift
	runuser -u "$_u" -- env HOME="$S/home/$_u" TMPDIR="$S/home/$_u" \
		LANG=C.UTF-8 sh -c 'umask 077; exec "$@"' sh "$@"
}

SSH="203.0.113.7 51234 127.0.0.1 22"

# ================================================================ users
if [ "$USERS" = 1 ]; then
	db=$S/team
	run "$FAI" --db "$db" init --shared "$G" --region 84
	check_rc 0 "init --shared $G succeeds"
	check_out "Shared with the Unix group '$G'" "init --shared says who shares it"
	check_eq "$(file_mode "$db")" "2770 $G" "the store directory is 2770 (setgid), group $G"
	check_eq "$(file_mode "$db/data.mdb")" "660 $G" "data.mdb is 0660, group $G"
	check_eq "$(file_mode "$db/lock.mdb")" "660 $G" "lock.mdb is 0660, group $G"

	run as $U1 env SSH_CONNECTION="$SSH" "$FAI" --db "$db" add \
		--title "Épicerie solidaire" --need "Pas de commerce" --territory 38
	check_rc 0 "$U1 (umask 077, over SSH) adds an idea"
	check_out "84-0001" "the idea is 84-0001"
	run as $U2 "$FAI" --db "$db" move 84-0001 concept
	check_rc 0 "$U2 (umask 077) moves it"
	check_out "moved to Concept" "$U2's move is confirmed"
	run as $U1 "$FAI" --db "$db" list
	check_rc 0 "$U1 lists the store"
	if grep -q "84-0001.*Concept\|Concept.*84-0001" "$OUT"; then
		pass "$U1 sees 84-0001 at Concept"
	else
		fail "$U1 sees 84-0001 at Concept" "no line with 84-0001 and Concept"
	fi
	run as $U2 "$FAI" --db "$db" list --format tsv
	check_out "84-0001" "$U2 lists it too"
	run as $U1 env SSH_CONNECTION="$SSH" "$FAI" --db "$db" comment 84-0001 "Vu avec la mairie"
	check_rc 0 "$U1 comments on it"

	check_eq "$(file_mode "$db")" "2770 $G" "after their work (umask 077): the directory is still 2770, $G"
	check_eq "$(file_mode "$db/data.mdb")" "660 $G" "after their work: data.mdb is still 0660, $G"
	check_eq "$(file_mode "$db/lock.mdb")" "660 $G" "after their work: lock.mdb is still 0660, $G"
	check_eq "$(ls -A "$db" | tr '\n' ' ')" "data.mdb lock.mdb " "the store directory holds only data.mdb and lock.mdb"

	# lock.mdb removed while nobody works (a careless rm): the next
	# member, under umask 077, makes it again for the whole group.
	rm "$db/lock.mdb"
	run as $U1 "$FAI" --db "$db" list
	check_rc 0 "$U1 (umask 077) opens the store whose lock.mdb was removed"
	check_eq "$(file_mode "$db/lock.mdb")" "660 $G" "the lock.mdb $U1 made again under umask 077 is 0660, group $G"
	run as $U2 "$FAI" --db "$db" config wip.need 9
	check_rc 0 "so $U2 can still write"

	# A data.mdb someone made writable by everyone is refused.
	chmod o+w "$db/data.mdb"
	run as $U1 "$FAI" --db "$db" list
	check_rc_err 5 "chmod o-w $db/data.mdb" "a data.mdb writable by others is refused, with the command that fixes it"
	chmod o-w "$db/data.mdb"

	# fai_u3 is not in the group.
	snap "$db"
	run as $U3 "$FAI" --db "$db" list
	if [ "$RC" -ne 0 ]; then
		pass "$U3 (not in $G) is refused"
	else
		fail "$U3 (not in $G) is refused" "exit status 0"
	fi
	check_err "shared by the Unix group '$G' and you are not in it" "the refusal names the group"
	check_err "usermod -aG $G $U3" "the refusal says how an administrator lets $U3 in"
	run as $U3 "$FAI" --db "$db" add --title "Intrus"
	check_rc_err 5 "'$G'" "$U3 cannot add either (exit 5, the group named)"
	run as $U3 "$FAI" --read-only --db "$db" list
	check_rc_err 5 "'$G'" "$U3 cannot read with --read-only either"
	check "$U3's attempts changed nothing" same_as_snap "$db"

	# The log: the Unix user of every change, the SSH client when any.
	run as $U2 "$FAI" --db "$db" log 84-0001
	check_rc 0 "fai log 84-0001"
	check_out "$U1" "the log names $U1 (add, comment)"
	check_out "$U2" "the log names $U2 (move)"
	run as $U2 "$FAI" --db "$db" log 84-0001 --format tsv
	n1=$(awk -F '\t' -v u=$U1 '$3 == u' "$OUT" | wc -l)
	n2=$(awk -F '\t' -v u=$U2 '$3 == u' "$OUT" | wc -l)
	check_eq "$n1 $n2" "2 1" "the log has 2 changes by $U1 and 1 by $U2"
	run as $U1 "$FAI" --db "$db" log --format json
	check_out '"client":"203.0.113.7"' "the json log has the SSH client address"
	if grep "\"user\":\"$U2\"" "$OUT" | grep -q '"client"'; then
		fail "$U2's change (no SSH) has no client" "a client is recorded"
	else
		pass "$U2's change (no SSH) has no client"
	fi
	if grep "\"user\":\"$U1\"" "$OUT" | grep -v -q '"client":"203.0.113.7"'; then
		fail "each of $U1's changes over SSH has the client" "one lacks it"
	else
		pass "each of $U1's changes over SSH has the client"
	fi

	# A world-writable store directory is refused, with the fix.
	chmod o+w "$db"
	snap "$db"
	run as $U1 "$FAI" --db "$db" list
	if [ "$RC" -ne 0 ] && grep -qF "writable by every user" "$ERR" &&
		grep -qF "chmod o-w $db" "$ERR"; then
		pass "a world-writable store is refused, with 'chmod o-w $db'"
	else
		fail "a world-writable store is refused, with 'chmod o-w $db'" "not refused or no fix given"
	fi
	run "$FAI" --db "$db" move 84-0001 need
	if [ "$RC" -ne 0 ] && grep -qF "chmod o-w $db" "$ERR"; then
		pass "root is refused too"
	else
		fail "root is refused too" "not refused"
	fi
	check "the refused commands changed nothing" same_as_snap "$db"
	chmod o-w "$db"
	run as $U1 "$FAI" --db "$db" list
	check_rc 0 "after chmod o-w the store opens again"

	# A facilitator (umask 077) makes a shared store for the team.
	mkdir "$S/u1dir"
	chown $U1 "$S/u1dir"
	run as $U1 "$FAI" --db "$S/u1dir/store" init --shared "$G" --region 84
	check_rc 0 "$U1 (umask 077) makes a shared store"
	check_eq "$(file_mode "$S/u1dir/store")" "2770 $G" "its directory is 2770, $G"
	check_eq "$(file_mode "$S/u1dir/store/data.mdb") $(file_mode "$S/u1dir/store/lock.mdb")" \
		"660 $G 660 $G" "its data.mdb and lock.mdb are 0660, $G"
	run as $U2 "$FAI" --db "$S/u1dir/store" add --title "Garage solidaire"
	check_rc 0 "$U2 adds to $U1's shared store"
	run as $U3 "$FAI" --db "$S/u1dir/store" list
	check_rc_err 5 "'$G'" "$U3 is refused from $U1's shared store"
	run "$FAI" --db "$S/nogroup" init --shared nogroup_fai_x
	check_rc_err 4 "no Unix group 'nogroup_fai_x'" "init --shared with an unknown group says so (exit 4)"
fi

# ================================================================ two boards
db=$S/boards
if [ "$USERS" = 1 ]; then
	run "$FAI" --db "$db" init --shared "$G" --region 84
else
	run "$FAI" --db "$db" init --region 84
fi
check_rc 0 "a store for two boards"
run "$FAI" --db "$db" add --title "Épicerie solidaire" --need "Pas de commerce" --territory 38
run "$FAI" --db "$db" add --title "Recyclerie" --need "Déchets" --territory 38
run "$FAI" --db "$db" add --title "Tiers-lieu" --need "Lien social" --territory 38
check_eq "$(field 84-0003 title "$db")" "Tiers-lieu" "three ideas to work on"

# Board A's Ctrl-O file goes to a short TMPDIR so that its path fits on
# the status line of 80 columns.
TA=$(mktemp -d /tmp/fai-a.XXXXXX) || exit 2
if [ "$USERS" = 1 ]; then
	chown $U1 "$TA"
fi
# board USER TMP: the command a session runs: the board on $db as USER.
board() {
	if [ "$USERS" = 1 ]; then
		echo "runuser -u $1 -- env HOME=$S/home/$1 TMPDIR=$2 LANG=C.UTF-8 TERM=xterm-256color $FAI --db $db; echo '[board exited]'; sleep 600"
	else
		echo "env TMPDIR=$2 LANG=C.UTF-8 TERM=xterm-256color $FAI --db $db; echo '[board exited]'; sleep 600"
	fi
}
tmx_start A 80 24 "$(board "$UA" "$TA")"
tmx_start B 80 24 "$(board "$UB" "$T/tmp")"
tmx_expect A "84-0001" "board A is open"
tmx_expect B "84-0001" "board B is open"

# column NAME REF: the column (1-4) where REF is on NAME's last screen.
column() {
	awk -F '│' -v r="$2" '{ for (i = 1; i <= NF; i++) if (index($i, r)) { print i; exit } }' "$T/screen.$1"
}
in_column() { tmx_shot "$1" && [ "$(column "$1" "$2")" = "$3" ]; }

check "84-0001 is in the first column on B" in_column B 84-0001 1
tmx_keys A '>'
tmx_expect A "84-0001 moved to Concept" "> in A moves 84-0001 to Concept"
t0=$(now_ms)
while ! in_column B 84-0001 2 && [ $(($(now_ms) - t0)) -le 2000 ]; do
	sleep 0.1
done
el=$(($(now_ms) - t0))
if in_column B 84-0001 2 && [ "$el" -le 2000 ]; then
	pass "B shows 84-0001 in Concept within 2 s ($el ms)"
else
	tmx_fail B "B shows 84-0001 in Concept within 2 s" "after $el ms it is in column $(column B 84-0001)"
fi
if tmx_wait 2 tmx_shows_re B "$UA moved 84-0001 → Concept, [0-9]+ s ago"; then
	pass "B's status line says '$UA moved 84-0001 → Concept, N s ago'"
else
	tmx_fail B "B's status line says '$UA moved 84-0001 → Concept, N s ago'" "it does not"
fi
tmx_shot B
if tmx_line B 23 | grep -qF "$UA moved 84-0001"; then
	pass "... on the status line (line 23)"
else
	tmx_fail B "... on the status line (line 23)" "line 23 is '$(tmx_line B 23)'"
fi

# The edit conflict.  After one's own move the selection follows the
# card: A is on 84-0001 in Concept already.
tmx_keys A e
tmx_expect A "Edit 84-0001 (revision 2)" "A opens the form on 84-0001"
tmx_keys B e
tmx_expect B "Edit 84-0001 (revision 2)" "B opens the form on the same card (its selection followed it)"
tmx_keys B C-u
tmx_type B "Titre changé par B"
tmx_keys B Down Down Down C-u
tmx_type B "Thème de B"
tmx_keys B C-s
tmx_expect B "84-0001 saved (revision 3)" "B saves a new title and a new theme"
tmx_keys A Down Down Down C-u
tmx_type A "Alimentation durable"
tmx_expect A "Alimentation durable" "A types a theme"
tmx_keys A C-s
tmx_expect A "84-0001 was changed by $UB" "A's save is refused, naming the colleague ($UB)"
snap "$db"
tmx_shot A
if grep -E "^Theme" "$T/screen.A" | grep -qF "Alimentation durable"; then
	pass "A's theme is still in the form"
else
	tmx_fail A "A's theme is still in the form" "no Theme line with it"
fi
if grep -E "^Title" "$T/screen.A" | grep -qF "Titre changé par B"; then
	pass "the title A did not touch now shows B's (no old value put back)"
else
	tmx_fail A "the title A did not touch now shows B's" "the Title line does not hold it"
fi
if grep -E "^Title" "$T/screen.A" | grep -qF "≠"; then
	tmx_fail A "no ≠ on the title (only B changed it)" "a ≠ on it"
else
	pass "no ≠ on the title (only B changed it)"
fi
if grep -E "^Theme" "$T/screen.A" | grep -qF "≠"; then
	pass "the theme line, changed by both, has the ≠ mark"
else
	tmx_fail A "the theme line, changed by both, has the ≠ mark" "no ≠ on it"
fi
tmx_expect A "^O mine to a file" "the hints offer ^T, ^O and ^S"
check "the refused save wrote nothing" same_as_snap "$db"

tmx_keys A C-o
tmx_expect A "your version is saved in " "Ctrl-O says where A's version is"
tmx_shot A
kept=$(sed -n 's/.*your version is saved in \([^ ]*\.txt\).*/\1/p' "$T/screen.A" | head -n 1)
case $kept in
"$TA"/*) pass "the file is in A's TMPDIR ($kept)" ;;
*) tmx_fail A "the file is in A's TMPDIR" "path '$kept'" ;;
esac
if [ -f "$kept" ] && grep -qF "Alimentation durable" "$kept" &&
	! grep -qF "Thème de B" "$kept"; then
	pass "the file holds A's text (A's theme, not B's)"
else
	fail "the file holds A's text" "$(cat "$kept" 2> /dev/null | head -n 5)"
fi
if [ "$USERS" = 1 ]; then
	check_eq "$(stat -c '%U %a' "$kept" 2> /dev/null)" "$U1 600" "the file is $U1's, mode 600"
fi
check "Ctrl-O wrote nothing to the store" same_as_snap "$db"

tmx_keys A C-s
tmx_expect A "84-0001 saved (revision 4)" "Ctrl-S then saves A's version knowingly"
run "$FAI" --db "$db" log 84-0001 --format tsv
if awk -F '\t' -v u="$UB" '$3 == u && $5 == "edit" && $6 == 3' "$OUT" | grep -q . &&
	awk -F '\t' -v u="$UA" '$3 == u && $5 == "edit" && $6 == 4' "$OUT" | grep -q .; then
	pass "fai log 84-0001 has both edits ($UB at revision 3, $UA at 4)"
else
	fail "fai log 84-0001 has both edits" "missing"
fi
check_eq "$(field 84-0001 theme "$db")" "Alimentation durable" "the theme is A's, saved knowingly"
check_eq "$(field 84-0001 title "$db")" "Titre changé par B" "B's title is kept: no lost update"
# B's own "saved" message holds the status line until B's next key; then
# the live notice of A's edit shows.
tmx_keys B k
tmx_expect B "$UA changed 84-0001" "after a key, B's status line says $UA changed 84-0001"

tmx_keys A q
tmx_keys B q
tmx_expect A "[board exited]" "board A quits"
tmx_expect B "[board exited]" "board B quits"
run "$FAI" --db "$db" check
check_rc 0 "fai check passes after the two boards"

finish
