#!/bin/sh
# test_refused.sh - every refused action leaves the store byte for byte as it
# was: data.mdb is copied before and compared (cmp) after.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
db=$(mkstore refused 84)
fai() { env FAI_NOW="$NOW" "$FAI" --db "$db" "$@"; }

fai add --title "Complète" --need "Un besoin" --territory 38 > /dev/null
fai add --title "Vide" > /dev/null
fai move 84-0001 concept > /dev/null
fai comment 84-0001 "Premier échange" > /dev/null

# refused WANT NAME CMD...: runs CMD, wants exit WANT and an unchanged store.
refused() {
	_want=$1
	_name=$2
	shift 2
	snap "$db"
	run "$@"
	if [ "$RC" -ne "$_want" ]; then
		fail "$_name" "exit status $RC, wanted $_want"
	elif ! same_as_snap "$db"; then
		fail "$_name" "data.mdb changed"
	elif [ ! -s "$ERR" ]; then
		fail "$_name" "no message on stderr"
	else
		pass "$_name: exit $_want, store unchanged"
	fi
}

# The comparison can see a change: a successful action changes data.mdb.
snap "$db"
fai edit 84-0002 --set theme=Alimentation > /dev/null
check "a successful edit changes data.mdb (the comparison is meaningful)" \
	sh -c '! cmp -s "$1/data.mdb" "$2"' sh "$db" "$T/snap.mdb"

rev1=$(field 84-0001 revision "$db")
old=$((rev1 - 1))

refused 2 "gate refusal (need -> concept without need, territory)" fai move 84-0002 concept
refused 2 "gate refusal (concept -> owner_search without concept)" fai move 84-0001 owner_search
refused 2 "illegal move (need -> launched)" fai move 84-0002 launched
refused 2 "illegal move with --force" fai move 84-0002 launched --force
refused 2 "move to the current stage" fai move 84-0001 concept
refused 2 "on_hold without a reason" fai move 84-0001 on_hold
refused 2 "abandoned with a blank reason" fai move 84-0001 abandoned --reason " "
refused 1 "unknown stage" fai move 84-0001 ailleurs
refused 3 "move conflict (--expect-rev old)" fai move 84-0001 need --expect-rev "$old"
refused 3 "edit conflict (--expect-rev old)" fai edit 84-0001 --set theme=x --expect-rev "$old"
refused 3 "comment conflict (--expect-rev old)" fai comment 84-0001 "x" --expect-rev "$old"
refused 4 "move of an unknown idea" fai move 84-0099 concept
refused 4 "edit of an unknown idea" fai edit 84-0099 --set theme=x
refused 4 "comment on an unknown idea" fai comment 84-0099 "x"
refused 2 "add with an invalid SIRET" fai add --title X --siret 12345678901234
refused 2 "add with an invalid region" fai add --title X --region 99
refused 1 "add without a title" fai add --need "sans titre"
refused 2 "edit with an invalid SIRET" fai edit 84-0001 --set siret=12345678901234
refused 2 "edit with an invalid territory" fai edit 84-0001 --set territory=ZZZ
refused 2 "edit with an invalid launch date" fai edit 84-0001 --set launch_date=2026-02-30
refused 2 "edit with an invalid jobs count" fai edit 84-0001 --set jobs=beaucoup
refused 2 "edit emptying the title" fai edit 84-0001 --set title=
refused 2 "edit of a system field (revision)" fai edit 84-0001 --set revision=99
refused 1 "unknown field in --set" fai edit 84-0001 --set nosuchfield=1
refused 2 "a valid then an invalid --set: all or nothing" \
	fai edit 84-0001 --set theme=Nouveau --set siret=123
refused 2 "an empty comment" fai comment 84-0001 ""
refused 2 "config of an unknown key" fai config nosuch.key 3
refused 2 "config with a bad value" fai config wip.concept abc
refused 2 "init on an existing store" fai init --region 84

# The editor round trip refused.
ed=$T/editors
mkdir -p "$ed"
printf '#!/bin/sh\nsed "s/^siret:.*/siret: 12345678901234/" "$1" > "$1.x" && mv "$1.x" "$1"\n' > "$ed/badsiret"
printf '#!/bin/sh\nsed "s/^theme:.*/theme: Perdu/" "$1" > "$1.x" && mv "$1.x" "$1"\nexit 1\n' > "$ed/fails"
printf '#!/bin/sh\n: > "$1"\n' > "$ed/empties"
printf '#!/bin/sh\nprintf "nosuchfield: 1\\n" >> "$1"\n' > "$ed/unknown"
refused 2 "editor writes an invalid SIRET" env EDITOR="sh $ed/badsiret" FAI_NOW="$NOW" "$FAI" --db "$db" edit 84-0001
refused 2 "editor writes an unknown field" env EDITOR="sh $ed/unknown" FAI_NOW="$NOW" "$FAI" --db "$db" edit 84-0001
refused 2 "editor exits 1" env EDITOR="sh $ed/fails" FAI_NOW="$NOW" "$FAI" --db "$db" edit 84-0001
snap "$db"
run env EDITOR="sh $ed/empties" FAI_NOW="$NOW" "$FAI" --db "$db" edit 84-0001
check "an emptied editor file (cancel) leaves the store unchanged" same_as_snap "$db"

# Nothing to undo, on a store where this user did nothing.
fresh=$(mkstore fresh 84)
cp "$fresh/data.mdb" "$T/fresh.mdb"
run "$FAI" --db "$fresh" undo
if [ "$RC" -eq 4 ] && cmp -s "$fresh/data.mdb" "$T/fresh.mdb"; then
	pass "nothing to undo: exit 4, store unchanged"
else
	fail "nothing to undo: exit 4, store unchanged" "exit $RC"
fi

# Reading never writes.
snap "$db"
fai list > /dev/null
fai list --format json > /dev/null
fai show 84-0001 > /dev/null
fai show 84-0001 --format json > /dev/null
fai log > /dev/null
fai config > /dev/null
fai check > /dev/null
check "list, show, log, config and check leave data.mdb unchanged" same_as_snap "$db"

run fai check
check_rc 0 "the store is consistent after all the refusals"

finish
