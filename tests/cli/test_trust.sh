#!/bin/sh
# test_trust.sh - a store nobody destroys by accident: damaged data.mdb
# (flipped bits, zeroed pages, cut files), a lock.mdb deleted under running
# processes, files a careless umask would open to everyone, a store of the
# first release upgraded in place, backups made while fai runs and
# restored.  Each case is named after what a person would see happen.
. "$(dirname "$0")/lib.sh"
tmx_init

NOW=2026-12-01T10:00:00Z
export FAI_NOW="$NOW"
FIX=$(cd "$(dirname "$0")/../../fixtures" && pwd)

demo=$T/demo-pristine
"$FAI" --db "$demo" demo > /dev/null 2>&1 || {
	echo "test_trust.sh: fai demo failed" >&2
	exit 2
}

# fresh NAME: a copy of the demo store at $T/NAME (printed).
fresh() {
	rm -rf "$T/$1"
	mkdir "$T/$1"
	cp "$demo/data.mdb" "$T/$1/data.mdb"
	echo "$T/$1"
}

# signalled: the last command died by a signal (or the shell's 128+N).
signalled() { [ "$RC" -ge 128 ]; }

# no_signal NAME: the last command ended by itself (any exit status).
no_signal() {
	if signalled; then
		fail "$1" "died by signal $((RC - 128))"
	else
		pass "$1"
	fi
}

# ================================================================ damage
db=$(fresh flip)
# The title of 84-0001 appears in its record and in its log entries; flip
# one bit of each copy, so the live record is damaged whatever page holds
# it.
python3 - "$db/data.mdb" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
s = 'Ferme-auberge d’insertion en Chartreuse'.encode()
i = b.find(s)
while i >= 0:
    b[i + 4] ^= 0x10
    i = b.find(s, i + 1)
open(p, 'wb').write(b)
EOF
run "$FAI" --db "$db" show 84-0001
check_rc_err 5 "is damaged" "a flipped bit in an idea: show exits 5 saying the store is damaged"
check_err "fai restore" "... and names the way out (fai restore)"
check_no_err "no idea" "... never 'no idea'"
run "$FAI" --db "$db" check
check_rc 5 "fai check exits 5 on the flipped bit"
check_err "a record is damaged" "fai check reports the damaged record"
check_err "restore the last good backup" "fai check says how to get back"
check_err "(in ideas)" "fai check says where the damaged record is (in ideas)"
run env LANGUAGE=fr LANG=fr_FR.UTF-8 "$FAI" --db "$db" check
check_err "un enregistrement est endommagé" "fai check in French: the problem in French"
check_err "(dans ideas)" "fai check in French: where it is, in French too"
for cmd in list log review "export -o /dev/null"; do
	# shellcheck disable=SC2086
	run "$FAI" --db "$db" $cmd
	no_signal "a flipped bit: fai $cmd ends by itself (exit $RC)"
done

# Every 4 KiB page of the demo store zeroed in turn: check, log, review,
# list and show never die by a signal.
pages=$(($(stat -c %s "$demo/data.mdb") / 4096))
deaths=0
runs=0
p=0
while [ "$p" -lt "$pages" ]; do
	db=$(fresh zero)
	dd if=/dev/zero of="$db/data.mdb" bs=4096 seek="$p" count=1 conv=notrunc 2> /dev/null
	for cmd in check log review list "show 84-0001"; do
		# shellcheck disable=SC2086
		"$FAI" --db "$db" $cmd > /dev/null 2> "$T/zero.err"
		rc=$?
		runs=$((runs + 1))
		if [ "$rc" -ge 128 ]; then
			deaths=$((deaths + 1))
			echo "   page $p zeroed: fai $cmd died by signal $((rc - 128))"
		elif [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ] && [ "$rc" -ne 4 ]; then
			echo "   page $p zeroed: fai $cmd exit $rc"
		fi
	done
	p=$((p + 1))
done
check_eq "$deaths" 0 "each of the $pages pages zeroed in turn: $runs runs of check, log, review, list, show, no death by a signal"

# Single bits flipped at 300 places spread over the file.
deaths=0
i=0
size=$(stat -c %s "$demo/data.mdb")
while [ "$i" -lt 300 ]; do
	db=$(fresh bit)
	off=$(((i * 7919 * 13 + 4099) % size))
	python3 - "$db/data.mdb" "$off" "$((i % 8))" <<'EOF'
import sys
p, off, bit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(p, 'r+b') as f:
    f.seek(off)
    c = f.read(1)[0]
    f.seek(off)
    f.write(bytes([c ^ (1 << bit)]))
EOF
	for cmd in check "show 84-0003" review; do
		# shellcheck disable=SC2086
		"$FAI" --db "$db" $cmd > /dev/null 2>&1
		rc=$?
		if [ "$rc" -ge 128 ]; then
			deaths=$((deaths + 1))
			echo "   bit $((i % 8)) at $off: fai $cmd died by signal $((rc - 128))"
		fi
	done
	i=$((i + 1))
done
check_eq "$deaths" 0 "300 single bits flipped: no death by a signal"

# A file cut short: no SIGBUS, a sentence, exit 5, for every command.
db=$(fresh cut)
truncate -s 200000 "$db/data.mdb"
for cmd in list "show 84-0001" log review "export -o $T/cut.csv" check \
	"add --title Coupé --region 84"; do
	# shellcheck disable=SC2086
	run "$FAI" --db "$db" $cmd
	check_rc_err 5 "shorter than it says" "data.mdb cut to 200,000 bytes: fai ${cmd%% *} exits 5, saying the file is cut"
done
check "the cut file is left as it was (200,000 bytes)" \
	test "$(stat -c %s "$db/data.mdb")" = 200000

db=$(fresh empty)
: > "$db/data.mdb"
run "$FAI" --db "$db" check
check_rc_err 5 "is damaged" "data.mdb emptied: fai check exits 5, the store is damaged"
check_no_out "consistent" "... never 'consistent (0 ideas)'"
run "$FAI" --db "$db" add --title "Dans le vide" --region 84
check_rc 5 "data.mdb emptied: add refuses (exit 5)"
check "... and no empty store is made in its place (still 0 bytes)" \
	test "$(stat -c %s "$db/data.mdb")" = 0
run "$FAI" --db "$db" init --region 84
check_rc_err 5 "is damaged" "init over an emptied store is refused (exit 5): it says the store is damaged, it does not hide it"
check "... and still 0 bytes" test "$(stat -c %s "$db/data.mdb")" = 0

# ================================================================ lock file
db=$(fresh lock)
# A process that holds the store open: fai edit waiting on its editor.
cat > "$T/slow-editor" <<EOF
#!/bin/sh
while [ ! -e "$T/editor-go" ]; do sleep 0.05; done
printf 'title: Ferme-auberge en Chartreuse (modifié)\n' > "$T/ed.sed"
sed -i 's/^\(title\|titre\): .*/title: Ferme-auberge en Chartreuse (modifiée)/' "\$1"
EOF
chmod +x "$T/slow-editor"
rm -f "$T/editor-go"
EDITOR="$T/slow-editor" "$FAI" --db "$db" edit 84-0001 > "$T/edit.out" 2> "$T/edit.err" &
edpid=$!
tmx_wait 10 test -e "$db/lock.mdb"
sleep 0.3
"$FAI" --db "$db" log --format tsv > "$T/log.before"
rm "$db/lock.mdb"
ok0=0
ok5=0
other=0
n=0
while [ "$n" -lt 200 ]; do
	"$FAI" --db "$db" comment 84-0002 "Commentaire $n" > /dev/null 2> "$T/c.err"
	case $? in
	0) ok0=$((ok0 + 1)) ;;
	5) ok5=$((ok5 + 1)) ;;
	*) other=$((other + 1)) ;;
	esac
	n=$((n + 1))
done
check_eq "$ok0 $ok5 $other" "0 200 0" "lock.mdb deleted while fai edit holds the store: the 200 comments are all refused (exit 5)"
run "$FAI" --db "$db" comment 84-0002 "Encore un"
check_err "lock file" "... saying the lock file was deleted or replaced"
check_err "Close every board and script" "... and what to do"
touch "$T/editor-go"
wait "$edpid"
edrc=$?
check_eq "$edrc" 5 "the edit started before the lock file went is refused when it saves (exit 5)"
check "... saying the lock file changed" grep -qF "deleted or replaced" "$T/edit.err"
check "... and keeping the person's text" grep -qF "kept" "$T/edit.err"
run "$FAI" --db "$db" log --format tsv
check "nothing was written meanwhile: the log is as it was" cmp -s "$OUT" "$T/log.before"
run "$FAI" --db "$db" check
check_rc 0 "once the last of them ended, the store is consistent"
run "$FAI" --db "$db" comment 84-0002 "Après"
check_rc 0 "and a comment is accepted again (a new lock file)"

# The board notices, opens the store again, and goes on.
db=$(fresh board)
tmx_start lb 80 24 "cd '$T' && FAI_NOW=$NOW '$FAI' --db '$db'"
tmx_expect lb "84-0" "the board shows the demo store"
rm "$db/lock.mdb"
tmx_expect lb "reopened the store" "lock.mdb deleted under an open board: it says so and opens the store again"
run "$FAI" --db "$db" comment 84-0002 "Vu après la reprise"
check_rc 0 "a colleague's comment is accepted once the board reopened"
run "$FAI" --db "$db" check
check_rc 0 "the store is consistent"
tmx_keys lb q
tmx_wait 5 sh -c "! tmux -S '$TMX_SOCK' has-session -t lb 2>/dev/null"

# A long import while lock.mdb goes: never an assertion, nothing half done.
db=$(fresh import)
python3 - "$T/big.csv" <<'EOF'
import sys, uuid
with open(sys.argv[1], 'w', encoding='utf-8') as f:
    f.write('id,title,region,territory,need\n')
    for i in range(40000):
        f.write('%s,Idée importée %d,84,63113,"Un besoin assez long pour que la ligne compte, numéro %d"\n'
                % (uuid.UUID(int=i + 1, version=4), i, i))
EOF
"$FAI" --db "$db" export > "$T/import.before.csv"
"$FAI" --db "$db" import "$T/big.csv" > "$T/imp.out" 2> "$T/imp.err" &
ipid=$!
tmx_wait 10 test -e "$db/lock.mdb"
sleep 0.2
rm -f "$db/lock.mdb"
wait "$ipid"
irc=$?
if [ "$irc" -ge 128 ]; then
	fail "lock.mdb deleted during a long import: no signal" "died by signal $((irc - 128))"
else
	pass "lock.mdb deleted during a long import: no signal (exit $irc)"
fi
run "$FAI" --db "$db" check
check_rc 0 "... and the store is consistent afterwards"
if [ "$irc" -eq 5 ]; then
	"$FAI" --db "$db" export > "$T/import.after.csv"
	check "the refused import changed nothing" cmp -s "$T/import.before.csv" "$T/import.after.csv"
	if grep -qF "deleted or replaced" "$T/imp.err"; then
		pass "... and said why"
	else
		fail "... and said why" "it said: $(head -c 400 "$T/imp.err")"
	fi
else
	pass "the import had committed before lock.mdb went (exit $irc)"
	pass "(nothing to compare)"
fi

# ================================================================ modes
mkdir "$T/um"
( umask 000 && "$FAI" --db "$T/um/s" init --region 84 > /dev/null )
check_eq "$(stat -c %a "$T/um/s")" 775 "init under umask 000: the directory is 0775, not writable by others"
check_eq "$(stat -c %a "$T/um/s/data.mdb")" 664 "init under umask 000: data.mdb is 0664"
run "$FAI" --db "$T/um/s" add --title "Sous umask 000" --region 84
check_rc 0 "the store made under umask 000 is accepted"
chmod o+w "$T/um/s/data.mdb"
run "$FAI" --db "$T/um/s" list
check_rc_err 5 "chmod o-w $T/um/s/data.mdb" "a data.mdb writable by others is refused, with the fix"
chmod o-w "$T/um/s/data.mdb"

# ================================================================ upgrade
db=$T/v1
mkdir "$db"
cp "$FIX/store-v1/data.mdb" "$db/"
run "$FAI" --db "$db" --read-only list
check_rc_err 5 "older fai" "a store of the first release, read-only: refused, saying it needs an upgrade"
check "... and left as it was" cmp -s "$db/data.mdb" "$FIX/store-v1/data.mdb"
run "$FAI" --db "$db" export
check_rc 0 "the first release's store opens (upgraded in place)"
check "its export is what the first release printed" cmp -s "$OUT" "$FIX/store-v1/export.csv"
run "$FAI" --db "$db" log --format tsv
check "its log is what the first release printed" cmp -s "$OUT" "$FIX/store-v1/log.tsv"
run env FAI_NOW=2026-12-01T00:00:00Z "$FAI" --db "$db" list --format tsv
check "its list is what the first release printed" cmp -s "$OUT" "$FIX/store-v1/list.tsv"
run "$FAI" --db "$db" show 84-0003 --format json
check "show 84-0003 is what the first release printed" cmp -s "$OUT" "$FIX/store-v1/show-84-0003.json"
run "$FAI" --db "$db" check
check_rc 0 "the upgraded store passes fai check"
old=$(ls "$db"/backup-schema1-*.mdb 2> /dev/null | head -n 1)
check "a copy of it as it was is kept in its directory (backup-schema1-…)" test -n "$old"
cp "$FIX/store-v1/data.mdb" "$T/v1-orig.mdb" # mdb_dump -n makes a lock file beside
check "... holding the first release's data, record for record" sh -c "mdb_dump -a -n '$old' > '$T/a.dump' 2>/dev/null && mdb_dump -a -n '$T/v1-orig.mdb' > '$T/b.dump' 2>/dev/null && cmp -s '$T/a.dump' '$T/b.dump'"
run "$FAI" --db "$old" check
check_rc_err 5 "older fai" "that copy is read by restoring it (it says so), not directly"

# ================================================================ backups
db=$(fresh bk)
mkdir "$T/backups"
rm -f "$T/editor-go"
EDITOR="$T/slow-editor" "$FAI" --db "$db" edit 84-0003 > /dev/null 2>&1 &
edpid=$!
tmx_wait 10 test -e "$db/lock.mdb"
sleep 0.3
run "$FAI" --db "$db" backup -o "$T/backups"
check_rc 0 "fai backup while another fai holds the store"
check_out "checked" "it says the backup was checked"
bfile=$(ls "$T"/backups/bk-*.mdb 2> /dev/null | head -n 1)
check "the backup is named after the store and the time" test -n "$bfile"
run "$FAI" --db "$bfile" check
check_rc 0 "fai check passes on the backup file"
run "$FAI" --db "$bfile" list --format tsv
check_out "84-0003" "fai list reads the backup file"
"$FAI" --db "$db" export > "$T/bk.export"
run "$FAI" --db "$db" add --title "Après la sauvegarde" --region 84
check_rc 0 "a change after the backup"
run "$FAI" --db "$db" restore "$bfile"
check_rc_err 5 "close every board and script" "restore is refused while a fai process uses the store"
touch "$T/editor-go"
wait "$edpid"
ln "$db/lock.mdb" "$T/old-lock" # keeps its inode number taken
run "$FAI" --db "$db" restore "$bfile"
check_rc 0 "restore once nobody uses the store"
check_out "before-restore-" "it says where the replaced data is kept"
kept=$(ls "$db"/before-restore-*.mdb 2> /dev/null | head -n 1)
check "the replaced data is kept in the store's directory" test -n "$kept"
run "$FAI" --db "$kept" list --format tsv
check_out "Après la sauvegarde" "the kept data still holds the change made after the backup"
"$FAI" --db "$db" export > "$T/bk.export2"
check "the restored store is the backup's (same export)" cmp -s "$T/bk.export" "$T/bk.export2"
check "the old lock file did not survive the restore" \
	test "$(stat -c %i "$db/lock.mdb")" != "$(stat -c %i "$T/old-lock")"
run "$FAI" --db "$db" check
check_rc 0 "the restored store is consistent"
run "$FAI" --db "$db" restore "$T/nope.mdb"
check_rc_err 4 "nope.mdb" "restoring a missing backup: exit 4, naming it"

finish
