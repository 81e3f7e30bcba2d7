#!/bin/sh
# test_files.sh - every file fai writes outside the store, attacked as a
# user outside the team and a careless colleague would (issue 10).
#
# Users and groups (as root): fai_fm is a member of the group fai_fteam,
# fai_fx is not; the team's store is shared with fai_fteam; the hand-off
# directory "depot" is sticky and writable by all (1777), like /tmp.  The
# outsider plants links there: to the store's data.mdb, to a file only root
# may read, at the name of a rejects file; fai refuses them (exit 2) and
# nothing changes.  Then, as whoever runs the script: -o inside a store, -o
# to a directory, /dev/stdout into a pipe, /dev/null, a named pipe, modes of
# new and replaced files, another user's file in the sticky directory, a
# full disk (a 64 KiB tmpfs), the user's settings file and the editor's
# file.  Without root the two-user cases are skipped (said so) and the
# links are planted by the current user.
. "$(dirname "$0")/lib.sh"

FM=fai_fm
FX=fai_fx
G=fai_fteam
USERS=0 # 1 once the Unix users exist for this run
S=      # the shared area under /tmp, traversable by every user
MNT=    # the tiny tmpfs, when mounted

cleanup() {
	if [ -n "$MNT" ]; then
		umount "$MNT" > /dev/null 2>&1
	fi
	if [ "$USERS" = 1 ]; then
		for _u in $FM $FX; do
			userdel "$_u" > /dev/null 2>&1
		done
		groupdel "$G" > /dev/null 2>&1
	fi
	if [ -n "$S" ]; then
		rm -rf "$S"
	fi
	rm -rf "$T"
}
trap cleanup EXIT

S=$(mktemp -d /tmp/fai-files.XXXXXX) || exit 2
chmod 755 "$S"
D=$S/depot
mkdir "$D"
chmod 1777 "$D"

if [ "$(id -u)" -eq 0 ] && command -v useradd > /dev/null 2>&1 &&
	command -v runuser > /dev/null 2>&1; then
	exec 9> /tmp/fai-test-files-users.lock
	if ! flock -w 900 9; then
		echo "test_files.sh: another run holds /tmp/fai-test-files-users.lock" >&2
		exit 2
	fi
	getent group "$G" > /dev/null || groupadd "$G" || exit 2
	id "$FM" > /dev/null 2>&1 || useradd -M -N -s /bin/sh -G "$G" "$FM" || exit 2
	usermod -a -G "$G" "$FM" || exit 2
	id "$FX" > /dev/null 2>&1 || useradd -M -N -s /bin/sh "$FX" || exit 2
	gpasswd -d "$FX" "$G" > /dev/null 2>&1
	USERS=1
	for _u in $FM $FX; do
		mkdir -p "$S/home/$_u"
		chown "$_u" "$S/home/$_u"
		chmod 700 "$S/home/$_u"
	done
	chmod 755 "$S/home"
	if ! runuser -u "$FM" -- test -x "$FAI"; then
		# A private checkout: the users run a copy, catalogue beside.
		mkdir -p "$S/bin"
		cp "$FAI" "$S/bin/fai" || exit 2
		[ -d "$(dirname "$FAI")/locale" ] &&
			cp -R "$(dirname "$FAI")/locale" "$S/bin/"
		chmod -R a+rX "$S/bin"
		FAI=$S/bin/fai
	fi
else
	skip "two users" "not root (or no useradd/runuser); links are planted by $ME"
fi

# as USER CMD [ARGS...]: CMD as USER, umask 077, own HOME and TMPDIR,
# English.  Without the users, CMD runs as the current user.
as() {
	_u=$1
	shift
	if [ "$USERS" = 1 ]; then
		runuser -u "$_u" -- env HOME="$S/home/$_u" TMPDIR="$S/home/$_u" \
			LANG=C.UTF-8 sh -c 'umask 077; exec "$@"' sh "$@"
	else
		sh -c 'umask 077; exec "$@"' sh "$@"
	fi
}

# no_temp DIR NAME: no temporary file of an export is left in DIR.
no_temp() { ! ls -a "$1" | grep -q 'tmp-'; }

# ================================================================ the team's store
db=$S/ara
if [ "$USERS" = 1 ]; then
	"$FAI" --db "$db" init --shared "$G" --region 84 > /dev/null || exit 2
else
	"$FAI" --db "$db" init --region 84 > /dev/null || exit 2
fi
as $FM "$FAI" --db "$db" add --title "Épicerie solidaire" --territory 38 > /dev/null
as $FM "$FAI" --db "$db" add --title "Garage solidaire" --territory 38 > /dev/null
check_eq "$(as $FM "$FAI" --db "$db" list --format tsv | wc -l | tr -d ' ')" 3 \
	"the team's store holds two ideas"

# ---------------------------------------------------------------- link to data.mdb
# The reproduction: an outsider links the nightly export's name to the
# store; a member's export used to replace data.mdb with a CSV.
as $FX ln -s "$db/data.mdb" "$D/ara-nightly.csv"
snap "$db"
run as $FM "$FAI" --db "$db" export -o "$D/ara-nightly.csv"
check_rc_err 2 "refusing to write $D/ara-nightly.csv: it is a symbolic link, and fai never writes through a link" \
	"export -o a link planted to the store's data.mdb is refused (exit 2), saying why"
check "data.mdb is byte-identical after the refused export" same_as_snap "$db"
check "the planted link is still a link" test -L "$D/ara-nightly.csv"
run as $FM "$FAI" --db "$db" check
check_rc 0 "the store still opens and fai check passes"
check_out "consistent (2 ideas)" "fai check still counts the two ideas"
check "no temporary file is left in the depot" no_temp "$D"
run as $FM env LANG=fr_FR.UTF-8 "$FAI" --db "$db" export -o "$D/ara-nightly.csv"
check_rc_err 2 "refus d’écrire $D/ara-nightly.csv : c’est un lien symbolique" \
	"the refusal in French"

# ---------------------------------------------------------------- root, cron
# Root's nightly cron line against a link to a file only root may read.
if [ "$USERS" = 1 ]; then
	mkdir -m 700 "$S/root-only"
	printf 'root:secret\n' > "$S/root-only/shadow"
	chmod 600 "$S/root-only/shadow"
	cp "$S/root-only/shadow" "$T/shadow.before"
	as $FX ln -s "$S/root-only/shadow" "$D/root-nightly.csv"
	run "$FAI" --db "$db" export -o "$D/root-nightly.csv"
	check_rc_err 2 "it is a symbolic link" \
		"root's export -o a link planted to a root-only file is refused (exit 2)"
	check "the root-only file is unchanged" cmp -s "$S/root-only/shadow" "$T/shadow.before"
	check_eq "$(stat -c '%a %U' "$S/root-only/shadow")" "600 root" \
		"the root-only file keeps its mode and owner"
else
	skip "root's cron export against a root-only file" "not root"
fi

# A dangling link (to a name that does not exist yet) is a link too.
as $FX ln -s "$S/created-by-fai.csv" "$D/dangling.csv"
run as $FM "$FAI" --db "$db" export -o "$D/dangling.csv"
check_rc_err 2 "symbolic link" "export -o a dangling link is refused"
check "nothing was created where the dangling link points" test ! -e "$S/created-by-fai.csv"

# ---------------------------------------------------------------- another's file
# In a sticky directory a file of another user cannot be replaced: said
# before any work, nothing changed, nothing left.
as $FX sh -c "echo 'their file' > '$D/theirs.csv'; chmod 666 '$D/theirs.csv'"
if [ "$USERS" = 1 ]; then
	run as $FM "$FAI" --db "$db" export -o "$D/theirs.csv"
	check_rc_err 5 "cannot replace $D/theirs.csv: it belongs to another user" \
		"export over another user's file in the sticky depot is refused (exit 5)"
	check_eq "$(cat "$D/theirs.csv")" "their file" "their file is unchanged"
	check "no temporary file is left in the depot" no_temp "$D"
else
	skip "another user's file in a sticky directory" "not root"
fi

# ---------------------------------------------------------------- modes
as $FM sh -c "umask 027; exec \"\$@\"" sh "$FAI" --db "$db" export -o "$D/team.csv" > /dev/null
check_eq "$(stat -c %a "$D/team.csv")" "640" "a new export gets the umask's mode (027 -> 640)"
if [ "$USERS" = 1 ]; then
	as $FM chgrp "$G" "$D/team.csv"
	as $FM chmod 664 "$D/team.csv"
	ino=$(stat -c %i "$D/team.csv")
	run as $FM "$FAI" --db "$db" export -o "$D/team.csv"
	check_rc 0 "a member replaces the team's export under umask 077"
	check_eq "$(stat -c '%a %G' "$D/team.csv")" "664 $G" \
		"the replaced file keeps its mode (664) and group ($G)"
	check "the file was replaced (a new inode), not rewritten in place" \
		test "$(stat -c %i "$D/team.csv")" != "$ino"
fi
check "the replaced export is whole" grep -q "Garage solidaire" "$D/team.csv"

# ================================================================ one's own store
p=$(mkstore own 84)
"$FAI" --db "$p" add --title "Tiers-lieu" > /dev/null
"$FAI" --db "$p" add --title "Recyclerie" > /dev/null

# ---------------------------------------------------------------- in the store
snap "$p"
run "$FAI" --db "$p" export -o "$p/data.mdb"
check_rc_err 2 "it is inside the store directory $p" "export -o STORE/data.mdb is refused (exit 2)"
check "data.mdb is byte-identical" same_as_snap "$p"
run "$FAI" --db "$p" export -o "$p/new.csv"
check_rc_err 2 "refusing to write $p/new.csv: it is inside the store directory" \
	"export -o STORE/new.csv is refused (exit 2)"
check "nothing new in the store directory" test ! -e "$p/new.csv"
run "$FAI" --db "$p" export -o "$p/lock.mdb"
check_rc 2 "export -o STORE/lock.mdb is refused (exit 2)"
ln -s "$p" "$T/alias"
run "$FAI" --db "$p" export -o "$T/alias/x.csv"
check_rc_err 2 "inside the store directory" "export -o through a link to the store directory is refused"
run "$FAI" --db "$p" check
check_rc 0 "the store passes fai check after all that"
check "data.mdb is still byte-identical" same_as_snap "$p"

# ---------------------------------------------------------------- not files
run "$FAI" --db "$p" export -o "$T"
check_rc_err 2 "it is a directory, not a regular file" "export -o a directory is refused (exit 2)"
run "$FAI" --db "$p" export -o "$T/nowhere/x.csv"
check_rc_err 5 "$T/nowhere/x.csv: No such file or directory" \
	"export -o in a missing directory says so"

# ---------------------------------------------------------------- pipes, devices
( "$FAI" --db "$p" export -o /dev/stdout; echo $? > "$T/pipe.rc" ) | cat > "$T/piped.csv"
check_eq "$(cat "$T/pipe.rc")" 0 "export -o /dev/stdout into a pipe exits 0"
check_eq "$(wc -l < "$T/piped.csv" | tr -d ' ')" 3 "the pipe got the header and the two rows"
check "the pipe got no 'Exported' line mixed into the CSV" eval '! grep -q Exported "$T/piped.csv"'
run "$FAI" --db "$p" export -o /dev/null
check_rc 0 "export -o /dev/null exits 0"
check "/dev/null is still a character device" test -c /dev/null
mkfifo "$T/fifo.csv"
timeout 10 cat "$T/fifo.csv" > "$T/from-fifo.csv" &
reader=$!
run "$FAI" --db "$p" export -o "$T/fifo.csv"
check_rc 0 "export -o a named pipe exits 0"
wait $reader
check "the named pipe is still a pipe" test -p "$T/fifo.csv"
check "the rows went through the pipe" grep -q "Recyclerie" "$T/from-fifo.csv"

# ---------------------------------------------------------------- full disk
if [ "$(id -u)" -eq 0 ] && mkdir "$T/full" && mount -t tmpfs -o size=64k none "$T/full"; then
	MNT=$T/full
	printf 'old export\n' > "$MNT/x.csv"
	dd if=/dev/zero of="$MNT/filler" bs=1024 count=56 2> /dev/null
	i=0
	while [ $i -lt 40 ]; do
		echo "Idée $i, un titre assez long pour remplir la page avec des mots" 
		i=$((i + 1))
	done > "$T/titles"
	while read -r t; do "$FAI" --db "$p" add --title "$t" --need "$t $t $t $t" > /dev/null; done < "$T/titles"
	run "$FAI" --db "$p" export -o "$MNT/x.csv"
	check_rc_err 5 "no space left on the device to write $MNT/x.csv" \
		"export -o on a full disk: exit 5, no space left"
	check_no_err "input/output" "... never called an input/output error"
	check_eq "$(cat "$MNT/x.csv")" "old export" "the old export is as it was"
	check "no temporary file is left on the full disk" no_temp "$MNT"
	umount "$MNT" && MNT=
else
	skip "full disk" "not root (mount -t tmpfs)"
fi

# ---------------------------------------------------------------- rejects file
# --skip-invalid writes FILE.rejects.csv: a link planted there is refused
# and the import does not half-happen.
printf 'title,region\nBonne idée,84\nMauvaise région,99\n' > "$D/in.csv"
chmod 644 "$D/in.csv"
printf 'precious\n' > "$S/victim.txt"
chmod 666 "$S/victim.txt"
as $FX ln -s "$S/victim.txt" "$D/in.csv.rejects.csv"
snap "$db"
run as $FM "$FAI" --db "$db" import --skip-invalid "$D/in.csv"
check_rc_err 2 "refusing to write $D/in.csv.rejects.csv: it is a symbolic link" \
	"import --skip-invalid with a link planted at the rejects file is refused (exit 2)"
check "nothing was imported (data.mdb byte-identical)" same_as_snap "$db"
check_eq "$(cat "$S/victim.txt")" "precious" "the file the link names is untouched"
check "the link is still a link" test -L "$D/in.csv.rejects.csv"
# the same import without the link works and writes the rejects
rm -f "$D/in.csv.rejects.csv"
run as $FM "$FAI" --db "$db" import --skip-invalid "$D/in.csv"
check_rc 0 "without the link, the same import works"
check_out "1 new" "... one new idea"
check "the rejects file is a regular file holding the bad row" \
	eval 'test -f "$D/in.csv.rejects.csv" && ! test -L "$D/in.csv.rejects.csv" && grep -q "Mauvaise région" "$D/in.csv.rejects.csv"'
# a rejects file that is a pipe would hang the import: refused at once
rm -f "$D/in.csv.rejects.csv"
mkfifo "$D/in.csv.rejects.csv"
printf 'title,region\nAutre idée,84\nEncore mauvaise,99\n' > "$D/in.csv"
snap "$db"
run as $FM timeout 20 "$FAI" --db "$db" import --skip-invalid "$D/in.csv"
check_rc_err 2 "it is a pipe, not a regular file" \
	"a rejects file that is a named pipe is refused at once (no hang)"
check "... and nothing was imported" same_as_snap "$db"
rm -f "$D/in.csv.rejects.csv"

# ---------------------------------------------------------------- settings
cfg=$HOME/.config/fai
mkdir -p "$cfg"
printf 'precious\n' > "$T/elsewhere"
# the old code wrote a predictable config.tmp, through a link put there
ln -s "$T/elsewhere" "$cfg/config.tmp"
run "$FAI" config --user read-only yes
check_rc 0 "config --user read-only yes works"
check_eq "$(cat "$T/elsewhere")" "precious" "a link at config.tmp is not written through"
check "the settings file is a regular file" eval 'test -f "$cfg/config" && ! test -L "$cfg/config"'
check "the setting is in it" grep -q "read-only = yes" "$cfg/config"
rm -f "$cfg/config" "$cfg/config.tmp"
ln -s "$T/elsewhere" "$cfg/config"
run "$FAI" config --user read-only no
check_rc_err 2 "refusing to write $cfg/config: it is a symbolic link" \
	"a settings file that is a link is refused (exit 2)"
check_eq "$(cat "$T/elsewhere")" "precious" "the file it names is untouched"
rm -f "$cfg/config"

# ---------------------------------------------------------------- editor
# The file handed to $EDITOR: new, private (0600 whatever the umask), in
# $TMPDIR, never a link; the copy kept after a failed save likewise.
cat > "$T/ed-look" << 'EOF'
#!/bin/sh
{
	stat -c '%a %F' "$1"
	dirname "$1"
	test -L "$1" && echo link
} > "$EDLOG"
sed 's/^theme:.*/theme: Réemploi/' "$1" > "$1.x" && cat "$1.x" > "$1" && rm -f "$1.x"
EOF
run env EDLOG="$T/edlog" EDITOR="sh $T/ed-look" sh -c 'umask 000; exec "$@"' sh "$FAI" --db "$p" edit 84-0001
check_rc 0 "edit through the editor under umask 000 works"
check_eq "$(sed -n 1p "$T/edlog")" "600 regular file" "the editor's file is a regular file, mode 600 under umask 000"
check_eq "$(sed -n 2p "$T/edlog")" "$TMPDIR" "the editor's file is in \$TMPDIR"
check_eq "$(sed -n 3p "$T/edlog")" "" "the editor's file is not a link"
cat > "$T/ed-bad" << 'EOF'
#!/bin/sh
sed 's/^region:.*/region: 99/' "$1" > "$1.x" && cat "$1.x" > "$1" && rm -f "$1.x"
EOF
run env EDITOR="sh $T/ed-bad" sh -c 'umask 000; exec "$@"' sh "$FAI" --db "$p" edit 84-0001
check_rc 2 "an invalid edit is refused"
kept=$(sed -n 's/.*kept in \([^ ;]*\).*/\1/p' "$ERR" | head -n 1)
check "the kept text is a regular file, not a link, mode 600" \
	eval 'test -f "$kept" && ! test -L "$kept" && test "$(stat -c %a "$kept")" = 600'
check "the kept text holds the person's change" grep -q "region: 99" "$kept"

finish
