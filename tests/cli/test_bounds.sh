#!/bin/sh
# test_bounds.sh - the values and numbers that came through although no
# person means them: a SIRET of zeros, a launch date in year 0, times of an
# import outside 1900-2100, a $FAI_NOW or a --since of year 0, and numbers
# that overflow (--stale 99999999999999999999).  Values of an idea are
# invalid data (exit 2, naming the field and the value); numbers and dates
# of the command line are usage errors (exit 1, naming the option and the
# value); the store stays as it was.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
export FAI_NOW="$NOW"
db=$(mkstore bounds 84)
fai() { "$FAI" --db "$db" "$@"; }
ref=$(fai add --title "Garage solidaire" --territory 69123 --need "Besoin")
snap "$db"

# ---------------------------------------------------------------- SIRET
run fai add --title "Zéro" --siret 00000000000000
check_rc_err 2 "invalid siret \"00000000000000\": not a real SIRET" \
	"SIRET 00000000000000 (it passes Luhn) is refused: exit 2, not a real SIRET"
run fai edit "$ref" --set "siret=000 000 000 00018"
check_rc_err 2 "not a real SIRET" "a Luhn-valid SIRET with the SIREN 000000000 is refused"
run fai edit "$ref" --set "siret=732 829 305 00000"
check_rc_err 2 "not a real SIRET" "a Luhn-valid SIRET with the NIC 00000 is refused"
run env LANG=fr_FR.UTF-8 "$FAI" --db "$db" add --title "Zéro" --siret 00000000000000
check_err "ce n’est pas un vrai SIRET" "the refusal is French under a French locale"
check "the refused SIRETs changed nothing in the store" same_as_snap "$db"
run fai edit "$ref" --set "siret=732 829 320 00074"
check_rc 0 "a real SIRET is still accepted"
snap "$db"

# ---------------------------------------------------------------- dates
run fai add --title "An zéro" --launch-date 0000-01-01
check_rc_err 2 "invalid launch_date \"0000-01-01\": the year must be between 1900 and 2100" \
	"launch_date=0000-01-01 is refused: exit 2, the year must be between 1900 and 2100"
run fai edit "$ref" --set launch_date=2101-01-01
check_rc_err 2 "between 1900 and 2100" "launch_date=2101-01-01 is refused"
run fai edit "$ref" --set launch_date=1899-12-31
check_rc_err 2 "between 1900 and 2100" "launch_date=1899-12-31 is refused"
check "the refused dates changed nothing in the store" same_as_snap "$db"
run fai edit "$ref" --set launch_date=1900-01-01
check_rc 0 "launch_date=1900-01-01 is accepted"
snap "$db"

# The times a file gives: created_at, updated_at, stage_since.
for col in created_at updated_at stage_since; do
	for v in 0000-01-01T00:00:00Z 2101-01-01T00:00:00Z \
		2100-12-31T23:30:00-01:00; do
		printf 'title,region,%s\r\nImport,84,%s\r\n' "$col" "$v" > "$T/in.csv"
		run fai import "$T/in.csv"
		check_rc_err 2 "in.csv:2: invalid $col \"$v\": the year must be between 1900 and 2100" \
			"import: $col=$v is refused, naming the line, the column and the value"
	done
done
printf 'title,region,launch_date\r\nImport,84,0000-01-01\r\n' > "$T/in.csv"
run fai import "$T/in.csv"
check_rc_err 2 "in.csv:2: invalid launch_date \"0000-01-01\"" "import: launch_date=0000-01-01 is refused"
check "the refused imports changed nothing in the store" same_as_snap "$db"
printf 'title,region,created_at\r\nImport,84,1900-01-01T00:00:00Z\r\n' > "$T/in.csv"
run fai import "$T/in.csv"
check_rc 0 "import: created_at=1900-01-01T00:00:00Z is accepted"
snap "$db"

# $FAI_NOW outside the years is not believed: the clock dates the action.
run env FAI_NOW=0000-01-01 "$FAI" --db "$db" comment "$ref" "Horloge"
check_rc_err 0 "FAI_NOW \"0000-01-01\" is ignored" "FAI_NOW=0000-01-01: ignored, with a warning"
run fai log "$ref" --format tsv
check "the comment is dated by the clock, not year 0" \
	sh -c '! grep -q "	0000-" "$1" && tail -n 1 "$1" | grep -q "	20[0-9][0-9]-"' sh "$OUT"

run fai log --since 0000-01-01
check_rc_err 1 "--since \"0000-01-01\": the year must be between 1900 and 2100" \
	"log --since 0000-01-01: usage error naming the option and the value"
run fai log --since 2101-01-01
check_rc_err 1 "between 1900 and 2100" "log --since 2101-01-01: usage error"
run fai log --since hier
check_rc_err 1 "--since wants a date such as 2026-11-01, not \"hier\"" \
	"log --since hier: usage error naming the value"
run fai review --since 1899-12-31
check_rc_err 1 "--since \"1899-12-31\": the year must be between 1900 and 2100" \
	"review --since 1899-12-31: usage error"
run fai review --week 1899-W52
check_rc_err 1 "--week \"1899-W52\": the year must be between 1900 and 2100" \
	"review --week 1899-W52: usage error"
run fai review --week 2101-W01
check_rc_err 1 "--week \"2101-W01\"" "review --week 2101-W01: usage error"

# ---------------------------------------------------------------- numbers
BIG=99999999999999999999
run fai list --stale "$BIG"
check_rc_err 1 "--stale \"$BIG\": the number is too large (at most 999999999)" \
	"list --stale $BIG: exit 1 naming the option and the value"
run fai export --stale "$BIG"
check_rc_err 1 "--stale \"$BIG\"" "export --stale $BIG: exit 1"
run fai list --stale 1000000000
check_rc_err 1 "the number is too large" "list --stale 1000000000 (ten digits): exit 1"
run fai list --stale 999999999
check_rc 0 "list --stale 999999999 is accepted"
run fai list --stale " 3"
check_rc_err 1 "--stale wants a whole number, not \" 3\"" "list --stale ' 3': exit 1"
run fai list --stale +3
check_rc 1 "list --stale +3: exit 1"
for cmd in "edit $ref --set theme=x" "move $ref concept" "comment $ref texte"; do
	# shellcheck disable=SC2086
	run fai $cmd --expect-rev 18446744073709551616
	check_rc_err 1 "--expect-rev \"18446744073709551616\": the number is too large" \
		"${cmd%% *} --expect-rev 2^64: exit 1 naming the option and the value"
	# shellcheck disable=SC2086
	run fai $cmd --expect-rev "$BIG$BIG"
	check_rc 1 "${cmd%% *} --expect-rev of 40 digits: exit 1"
done
run fai move "$ref" concept --expect-rev 0
check_rc_err 1 "--expect-rev \"0\": the number is too small (at least 1)" \
	"move --expect-rev 0: exit 1, too small"
run fai config wip.concept "$BIG"
check_rc_err 1 "wip.concept \"$BIG\": the number is too large" \
	"config wip.concept $BIG: exit 1 naming the setting and the value"
run fai config stale.days 1000000000
check_rc 1 "config stale.days of ten digits: exit 1"
run fai config wip.concept 0000000000012
check_rc 0 "config wip.concept 0000000000012 (12): accepted"
run fai config wip.concept
check_eq "$(cat "$OUT")" "12" "the setting is stored as 12"
run fai config wip.concept 0
snap "$db"
run fai config wip.concept abc
check_rc 2 "config wip.concept abc: still invalid data (exit 2)"
run fai config nosuch.key "$BIG"
check_rc_err 2 "nosuch.key" "config of an unknown key with a huge value: unknown setting (exit 2)"
run fai list --stale "$(printf '1\033[2J')"
check_rc 1 "a --stale value holding ESC: exit 1"
check "the refusal shows ESC as a placeholder" \
	sh -c '! od -An -tx1 "$1" | grep -q " 1b" && grep -qF "1␛[2J" "$1"' sh "$ERR"
run env LANG=fr_FR.UTF-8 "$FAI" --db "$db" list --stale "$BIG"
check_err "le nombre est trop grand" "the refusal is French under a French locale"
run env COLUMNS="$BIG" "$FAI" --db "$db" list
check_rc 0 "COLUMNS=$BIG: list still works (80 columns)"
check "COLUMNS=$BIG: no line wider than 80" sh -c '[ "$(wc -L < "$1")" -le 80 ]' sh "$OUT"
check "the refused numbers changed nothing in the store" same_as_snap "$db"

finish
