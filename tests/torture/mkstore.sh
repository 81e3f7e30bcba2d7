#!/bin/sh
# mkstore.sh - builds the pristine store the corruption campaign damages:
# IDEAS ideas (10^4 by default) imported from a generated CSV file, then a
# history of a few thousand actions through the command line (moves to
# every stage, with the edits the gates ask for, holds and abandons with a
# reason, comments, some of them long enough for overflow pages, edits),
# spread over three months so that `fai review` and `fai log` have work,
# and an export (which records the exchange bases).  Every step runs the fai
# binary under test, so the store is in that binary's own format.
#
#   sh tests/torture/mkstore.sh FAI GEN DIR [IDEAS]
#
# FAI is the binary, GEN the built tests/torture/gen.c, DIR a directory
# that gets DIR/store (the store), DIR/import.csv and DIR/export.csv.
# Prints one line: the store's size and its number of ideas.  Exit 0 only
# when every step worked: a harness that cannot build its store is broken.
set -u
FAI=$1
GEN=$2
DIR=$3
IDEAS=${4:-10000}

fail() {
	echo "mkstore: $*" >&2
	exit 1
}

rm -rf "$DIR/store" "$DIR/history.sh"
mkdir -p "$DIR" || fail "cannot create $DIR"
LANG=C.UTF-8
export LANG
unset LC_ALL LC_MESSAGES LANGUAGE FAI_DB VISUAL EDITOR COLUMNS SSH_CONNECTION
db=$DIR/store

"$GEN" "$IDEAS" 1 > "$DIR/import.csv" || fail "gen failed"
FAI_NOW=2026-09-01T08:00:00Z "$FAI" --db "$db" init --region 84 \
	> /dev/null || fail "init failed"
FAI_NOW=2026-09-01T08:30:00Z "$FAI" --db "$db" import "$DIR/import.csv" \
	> "$DIR/import.out" 2>&1 || fail "import failed: $(cat "$DIR/import.out")"
"$FAI" --db "$db" list --format tsv > "$DIR/refs.tsv" ||
	fail "list failed"

# The history, written as a shell script: one fai command a line, each at
# its own moment (FAI_NOW) between 2 September and 30 November 2026.
awk -F '\t' -v fai="$FAI" -v db="$db" '
function luhn14(base,   s, i, d) {	# base: 13 digits -> a valid SIRET
	s = 0
	for (i = 13; i >= 1; i--) {
		d = substr(base, i, 1) + 0
		if ((14 - i) % 2 == 1) { d *= 2; if (d > 9) d -= 9 }
		s += d
	}
	return base ((10 - s % 10) % 10)
}
function emit(cmd) { cmds[n++] = cmd }
NR == 1 { next }
{
	i = NR - 2; ref = $2
	if (i % 4 == 0)
		emit("move " ref " concept")
	if (i % 12 == 0) {
		emit("edit " ref " --set \"concept=Une coopérative de territoire, portée par les habitants et la commune (" i ").\"")
		emit("move " ref " owner_search")
	}
	if (i % 60 == 0) {
		emit("edit " ref " --set \"owner=Association Les Communs " i "\" --set \"structure=SCIC Les Communs " i "\" --set launch_date=2026-11-02 --set siret=" luhn14(sprintf("%09d%04d", 732829320 + i, 1)) " --set jobs=" (i % 9))
		emit("move " ref " launched")
	}
	if (i % 97 == 5)
		emit("move " ref " on_hold --reason \"financement gelé jusqu’en 2027 (" i ")\"")
	if (i % 113 == 9)
		emit("move " ref " abandoned --reason \"le porteur pressenti s’est retiré (" i ")\"")
	if (i % 6 == 1) {
		text = "RDV avec la mairie jeudi, compte rendu à suivre (" i ")."
		if (i % 120 == 1)
			for (k = 0; k < 40; k++)
				text = text " Le conseil municipal a voté la mise à disposition du local, sous réserve d’un plan de financement."
		emit("comment " ref " \"" text "\"")
	}
	if (i % 11 == 2)
		emit("edit " ref " --set \"tags=relu; priorité " (i % 3) "\" --set \"theme=Lien social\"")
}
END {
	print "set -e"
	for (k = 0; k < n; k++) {
		s = 86400 + int(k * 89 * 86400 / n)	# 2 Sept + 0..89 days
		d = int(s / 86400); r = s % 86400
		m = 9; day = 1 + d
		if (day > 30) { m = 10; day -= 30 }
		if (m == 10 && day > 31) { m = 11; day -= 31 }
		printf "FAI_NOW=2026-%02d-%02dT%02d:%02d:%02dZ \"%s\" --db \"%s\" %s > /dev/null\n", \
			m, day, int(r / 3600), int(r % 3600 / 60), r % 60, fai, db, cmds[k]
	}
}' "$DIR/refs.tsv" > "$DIR/history.sh" || fail "awk failed"
sh "$DIR/history.sh" || fail "a history command failed (see $DIR/history.sh)"
FAI_NOW=2026-11-30T18:00:00Z "$FAI" --db "$db" export -o "$DIR/export.csv" \
	> /dev/null || fail "export failed"
FAI_NOW=2026-12-01T09:00:00Z "$FAI" --db "$db" check > /dev/null ||
	fail "the store built is not consistent"
rm -f "$db/lock.mdb"
echo "pristine store: $(wc -c < "$db/data.mdb") bytes," \
	"$(($(wc -l < "$DIR/refs.tsv") - 1)) ideas," \
	"$(grep -c . "$DIR/history.sh") actions after the import"
