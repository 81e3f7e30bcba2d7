#!/bin/sh
# test_dates.sh - dates as French people write and read them (issue 12,
# bug 10).  Under LANG=fr_FR.UTF-8 and TZ=Europe/Paris: a launch date typed
# 15/12/2026, 15/12/26 or 15 déc. 2026 is stored 2026-12-15; show, log and
# the text review print local times "14/06/2026 à 11:20" (09:20Z in June is
# 11:20 in Paris, summer time); TSV and JSON keep ISO 8601 UTC; under LANG=C
# the same times read "2026-06-14 11:20" (local, ISO order).  Ends with the
# board's detail view in tmux.
. "$(dirname "$0")/lib.sh"

FR=fr_FR.UTF-8
TZ=Europe/Paris
export TZ
export FAI_NOW=2026-06-14T09:20:00Z
db=$(mkstore dates 84)
fr() { env LANG=$FR "$FAI" --db "$db" "$@"; }
launch() { # REF: the stored launch_date, from JSON
	"$FAI" --db "$db" show "$1" --format json |
		sed -n 's/.*"launch_date":"\([^"]*\)".*/\1/p'
}

# ------------------------------------------------------ typed French dates
n=0
for d in "15/12/2026" "15/12/26" "15 déc. 2026" "15 décembre 2026" \
	"15 DÉC 2026" "15 dec 2026" " 15/12/2026 "; do
	n=$((n + 1))
	run fr add --title "Idée $n" --set "launch_date=$d"
	check_rc 0 "add --set launch_date=$d exits 0"
	check_eq "$(launch "84-000$n")" "2026-12-15" \
		"add --set launch_date=$d stores 2026-12-15"
done
run fr add --title "Idée 8" --launch-date "1er mai 2027"
check_rc 0 "add --launch-date '1er mai 2027' exits 0"
check_eq "$(launch 84-0008)" "2027-05-01" "1er mai 2027 is stored 2027-05-01"
run fr add --title "Idée 9" --launch-date "1/1/70"
check_eq "$(launch 84-0009)" "1970-01-01" "two-digit year 70 is 1970"
run fr add --title "Idée 10" --launch-date "31/12/69"
check_eq "$(launch 84-0010)" "2069-12-31" "two-digit year 69 is 2069"

snap "$db"
for d in 31/02/2026 32/12/2026 15/13/2026 "15 decembr 2026" demain; do
	run fr add --title "Refusée" --set "launch_date=$d"
	check_rc_err 2 "« $d »" "add --set launch_date=$d is refused, naming the value"
	check_err "15/12/2026" "the refusal of $d shows the forms a date takes"
done
check "the refused dates stored nothing" same_as_snap "$db"

# edit --set and the $EDITOR template take them too.
run fr edit 84-0001 --set "launch_date=3 févr. 2027"
check_rc 0 "edit --set launch_date='3 févr. 2027' exits 0"
check_eq "$(launch 84-0001)" "2027-02-03" "edit stores 2027-02-03"
cat > "$T/ed" << 'EOS'
#!/bin/sh
sed 's/^\(launch_date\|date_lancement\|Date de lancement\):.*/\1: 14 juil. 2027/' "$1" > "$1.new" && mv "$1.new" "$1"
EOS
chmod +x "$T/ed"
run env LANG=$FR EDITOR="$T/ed" "$FAI" --db "$db" edit 84-0002
check_rc 0 "edit in \$EDITOR with launch_date 14 juil. 2027 exits 0"
check_eq "$(launch 84-0002)" "2027-07-14" "the template's French date is stored ISO"

# ------------------------------------------------------ times read
FAI_NOW=2026-06-14T09:25:00Z "$FAI" --db "$db" comment 84-0003 "Rendez-vous pris" > /dev/null
run fr show 84-0003
check_rc 0 "show under a French locale"
check_out "14/06/2026 à 11:20" "show prints created_at as 14/06/2026 à 11:20 (Paris)"
check_out "14/06/2026 à 11:25" "show prints the comment's time in Paris time"
check_out "15/12/2026" "show prints the launch date 15/12/2026"
check_no_out "2026-06-14" "show prints no ISO date to a French reader"
check_no_out "09:20" "show prints no UTC time"

run fr log 84-0003
check_out "14/06/2026 à 11:25  " "log (text) prints 14/06/2026 à 11:25"
check_no_out "2026-06-14" "log (text) prints no ISO date"
run fr log --since "14 juin 2026"
check_rc 0 "log --since '14 juin 2026' exits 0"
check_out "84-0003" "log --since a French date lists the day's entries"
run fr log --since 15/06/2026
check_rc 0 "log --since 15/06/2026 exits 0"
check_no_out "84-0003" "log --since 15/06/2026 lists nothing of the 14th"

run fr log 84-0003 --format tsv
check_out "	2026-06-14T09:25:00Z	" "log TSV keeps ISO 8601 UTC"
check_no_out "à 11" "log TSV has no local time"
run fr log 84-0003 --format json
check_out '"at":"2026-06-14T09:25:00Z"' "log JSON keeps ISO 8601 UTC"
run fr show 84-0003 --format json
check_out '"created_at":"2026-06-14T09:20:00Z"' "show JSON keeps ISO 8601 UTC"
check_out '"launch_date":"2026-12-15"' "show JSON keeps the ISO launch date"
run fr export
check_out "2026-06-14T09:20:00Z" "CSV export keeps ISO 8601 UTC"
check_no_out "14/06/2026" "CSV export has no French date"

run env LANG=C.UTF-8 "$FAI" --db "$db" show 84-0003
check_out "2026-06-14 11:20" "LANG=C: show prints local time, ISO order"
check_out "2026-12-15" "LANG=C: the launch date in ISO"
run env LANG=C.UTF-8 TZ=UTC "$FAI" --db "$db" log 84-0003
check_out "2026-06-14 09:25  " "LANG=C TZ=UTC: log prints 09:25"

run env LANG=$FR FAI_NOW=2026-06-15T09:20:00Z "$FAI" --db "$db" review --since 01/06/2026
check_rc 0 "review --since 01/06/2026 exits 0"
check_out "du 01/06/2026 au 15/06/2026" "text review: the period in French"
check_out "Au 15/06/2026 à 11:20 ;" "text review: now in Paris time"
check_out "14/06/2026" "text review: a new idea's day in French"
check_no_out "UTC" "text review: no UTC time to a French reader"
check_no_out "2026-06-14" "text review: no ISO date"

# ------------------------------------------------------ the board (tmux)
tmx_init
cat > "$T/run-board" << 'EOS'
#!/bin/sh
"$@"
exec sleep 600
EOS
tmx_start dates 80 24 "env LANG=$FR TZ=Europe/Paris TERM=xterm-256color FAI_NOW=$FAI_NOW sh '$T/run-board' '$FAI' --db '$db'"
tmx_expect dates "Idée 1" "the board opens in French"
tmx_keys dates Enter
tmx_expect dates "Date de lancement" "Enter opens the detail view"
check "the detail view shows created_at as 14/06/2026 à 11:20" \
	tmx_wait "$WAIT" tmx_shows dates "14/06/2026 à 11:20"
check "the detail view shows the launch date as 03/02/2027" \
	tmx_shows dates "03/02/2027"
check "the detail view shows no ISO date" tmx_lacks dates "2026-06-14"
check "the detail view shows no UTC time" tmx_lacks dates "09:20"
tmx_keys dates NPage
tmx_expect dates "Historique et commentaires" "PgDn scrolls to the history"
check "the history's times read 14/06/2026 à 11:20" \
	tmx_shows dates "14/06/2026 à 11:20  $ME"
check "the history shows no ISO date" tmx_lacks dates "2026-06-14"
finish
