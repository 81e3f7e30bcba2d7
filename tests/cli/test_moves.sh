#!/bin/sh
# test_moves.sh - move (rules, gates, --force, reasons, --expect-rev), comment,
# log, undo, config and check, with every exit status.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
db=$(mkstore moves 84)
fai() { env FAI_NOW="$NOW" "$FAI" --db "$db" "$@"; }
stage() { field "$1" stage "$db"; }
rev() { field "$1" revision "$db"; }

fai add --title "Idée complète" --need "Un besoin" --territory 69123 > /dev/null
fai add --title "Idée vide" > /dev/null
fai add --title "Troisième" > /dev/null

# ---------------------------------------------------------------- legal move
run fai move 84-0001 concept
check_rc 0 "a legal forward move (need -> concept): exit 0"
check_out "84-0001 moved to Concept (revision 2)" "the move says where and the new revision"
check_eq "$(stage 84-0001)" "concept" "the idea is at concept"

run fai move 84-0001 need
check_rc 0 "a move back (concept -> need) has no gate: exit 0"
run fai move 84-0001 concept
check_rc 0 "forward again"

# ---------------------------------------------------------------- gates
run fai move 84-0002 concept
check_rc_err 2 "Need" "a gate refusal: exit 2, lists the need"
check_err "Territory" "the gate refusal lists the territory"
check_err "--force" "the gate refusal mentions --force"
check_eq "$(stage 84-0002)" "need" "a refused move leaves the stage"
check_eq "$(rev 84-0002)" "1" "a refused move leaves the revision"

run fai edit 84-0002 --set need=Besoin
run fai move 84-0002 concept
check_rc_err 2 "Territory" "the gate lists only what is still missing"
check_no_err "Need," "the filled field is no longer listed"

run fai move 84-0002 concept --force
check_rc 0 "--force passes the gate: exit 0"
check_eq "$(stage 84-0002)" "concept" "the forced idea is at concept"
run fai log 84-0002
check_rc 0 "log REF exits 0"
check_out "moved Need identified → Concept (gate forced)" "log REF shows (gate forced)"
run fai log 84-0002 --format json
check "log --format json is valid JSON" python3 -m json.tool "$OUT" /dev/null
check_eq "$(python3 -c 'import json,sys; print([e["forced"] for e in json.load(open(sys.argv[1])) if e["kind"] == "move"])' "$OUT")" \
	"[True]" "log json marks the forced move"

run fai move 84-0001 owner_search
check_rc_err 2 "Concept" "owner_search's gate wants the concept"
fai edit 84-0001 --set "concept=Une réponse" > /dev/null
run fai move 84-0001 owner_search
check_rc 0 "with a concept, owner_search is reached"
run fai move 84-0001 launched
check_rc 2 "launched's gate: exit 2"
check_err "Owner" "launched's gate wants the owner"
check_err "Structure" "launched's gate wants the structure"
check_err "Launch date" "launched's gate wants the launch date"

# ---------------------------------------------------------------- reasons
run fai move 84-0001 on_hold
check_rc_err 2 "reason" "on_hold without --reason: exit 2 asking for a reason"
check_eq "$(stage 84-0001)" "owner_search" "a move refused for its reason leaves the stage"
run fai move 84-0001 on_hold --reason "   "
check_rc 2 "on_hold with a blank reason: exit 2"
run fai move 84-0001 on_hold --force
check_rc 2 "--force does not replace a reason"
run fai move 84-0001 on_hold --reason "Attente du financement"
check_rc 0 "on_hold with a reason: exit 0"
check_eq "$(field 84-0001 stage_reason "$db")" "Attente du financement" "the reason is kept"
run fai log 84-0001
check_out "reason: Attente du financement" "the log shows the reason"
run fai move 84-0001 owner_search
check_rc 0 "from on_hold, back to the stage it was put on hold from"
check_eq "$(field 84-0001 stage_reason "$db")" "" "leaving on_hold clears the reason"

run fai move 84-0003 abandoned
check_rc_err 2 "reason" "abandoned without --reason: exit 2"
run fai move 84-0003 abandoned --reason "Doublon"
check_rc 0 "abandoned with a reason: exit 0"
run fai move 84-0003 concept
check_rc 2 "from abandoned, only back where it came from (concept refused)"
run fai move 84-0003 need
check_rc 0 "reopen at need: exit 0"

# ---------------------------------------------------------------- illegal moves
run fai move 84-0003 launched
check_rc_err 2 "cannot be reached" "need -> launched: exit 2, illegal move"
run fai move 84-0003 launched --force
check_rc 2 "--force never passes an illegal move"
run fai move 84-0003 owner_search
check_rc 2 "need -> owner_search skips a stage: exit 2"
run fai move 84-0003 need
check_rc_err 2 "already" "a move to the current stage: exit 2"
check_eq "$(stage 84-0003)" "need" "illegal moves leave the stage"

run fai move 84-0003 nowhere
check_rc_err 1 "unknown stage" "an unknown stage: exit 1"
run fai move 84-0099 concept
check_rc_err 4 "84-0099" "an unknown reference: exit 4 naming it"
run fai move 99-0001 concept
check_rc 4 "an unknown region's reference: exit 4"
run fai move 84-0003 Owner-Search --force
check_rc 2 "stage codes are parsed in any case with '-' (here refused as a skip)"
check_err "Owner search" "...and named by their label"

# ---------------------------------------------------------------- --expect-rev
r=$(rev 84-0003)
run fai move 84-0003 on_hold --reason "Pause" --expect-rev "$r"
check_rc 0 "--expect-rev with the current revision: exit 0"
run fai move 84-0003 need --expect-rev "$r"
check_rc_err 3 "$ME" "--expect-rev with an old revision: exit 3 naming who changed it"
check_err "revision $((r + 1))" "the conflict gives the current revision"
check_err "you had $r" "the conflict gives the revision the user had"
check_eq "$(stage 84-0003)" "on_hold" "a conflict leaves the stage"
run fai edit 84-0003 --set theme=x --expect-rev "$r"
check_rc 3 "edit --expect-rev with an old revision: exit 3"
run fai comment 84-0003 "Trop tard" --expect-rev "$r"
check_rc 3 "comment --expect-rev with an old revision: exit 3"
run fai move 84-0003 need --expect-rev abc
check_rc 1 "--expect-rev abc: exit 1"
run fai move 84-0003 need --expect-rev 0
check_rc 1 "--expect-rev 0: exit 1"

# ---------------------------------------------------------------- comment
run fai comment 84-0002 "Rencontre avec la mairie : « très positif »"
check_rc 0 "comment exits 0"
check_out "84-0002" "comment names the idea"
run fai show 84-0002
check_out "comment: Rencontre avec la mairie : « très positif »" "show lists the comment"
run fai show 84-0002 --format json
check_eq "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["comments"]; print(len(c), c[0]["author"], c[0]["at"])' "$OUT")" \
	"1 $ME $NOW" "show json has the comment with its author and time"
run fai comment 84-0002 ""
check_rc 2 "an empty comment: exit 2"
run fai comment 84-0099 "Perdu"
check_rc 4 "a comment on an unknown idea: exit 4"
run fai comment 84-0002
check_rc 1 "comment without text: exit 1"

# ---------------------------------------------------------------- log
run fai log
check_rc 0 "log exits 0"
check_out "created \"Idée complète\"" "the log shows creations"
check_out "84-0003" "the whole log names the references"
run fai log --format tsv
check_rc 0 "log --format tsv exits 0"
check "every log tsv line has 7 cells" awk -F '\t' 'NF != 7 { exit 1 }' "$OUT"
run fai log --format json
check "the whole log json is valid JSON" python3 -m json.tool "$OUT" /dev/null
run env FAI_NOW=2026-02-01T08:00:00Z "$FAI" --db "$db" comment 84-0001 "Plus tard"
run fai log --since 2026-01-15
check_eq "$(wc -l < "$OUT" | tr -d ' ')" 1 "log --since keeps the later entries only"
check_out "Plus tard" "log --since shows the later comment"
run fai log --since hier
check_rc 1 "log --since with a bad date: exit 1"
run fai log 84-0099
check_rc 4 "log of an unknown idea: exit 4"

# ---------------------------------------------------------------- undo
u=$(mkstore undo 84)
ufai() { env FAI_NOW="$NOW" "$FAI" --db "$u" "$@"; }
run ufai undo
check_rc_err 4 "nothing to undo" "undo with nothing to undo: exit 4"
ufai add --title "À défaire" --need b --territory 38 --concept c > /dev/null
ufai move 84-0001 concept > /dev/null
ufai move 84-0001 owner_search > /dev/null
run ufai undo
check_rc 0 "undo exits 0"
check_out "Concept → Owner search" "undo says what it undid"
check_eq "$(field 84-0001 stage "$u")" "concept" "undo of a move restores the stage"
run ufai undo
check_rc 0 "a second undo exits 0"
check_eq "$(field 84-0001 stage "$u")" "need" "a second undo steps back further"
run ufai log 84-0001
check_out "undid action" "undos are logged"
run ufai check
check_rc 0 "the store is consistent after undos"

u2=$(mkstore undo2 84)
env FAI_NOW="$NOW" "$FAI" --db "$u2" add --title "Commentée" > /dev/null
env FAI_NOW="$NOW" "$FAI" --db "$u2" comment 84-0001 "Oups" > /dev/null
run env FAI_NOW="$NOW" "$FAI" --db "$u2" undo
check_rc 0 "undo of a comment exits 0"
run "$FAI" --db "$u2" show 84-0001 --format json
check_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["comments"]))' "$OUT")" \
	0 "undo of a comment removes it"
run env FAI_NOW="$NOW" "$FAI" --db "$u2" undo
check_rc 0 "undo of the creation exits 0"
run "$FAI" --db "$u2" show 84-0001
check_rc 4 "undo of a creation removes the idea"
run env FAI_NOW="$NOW" "$FAI" --db "$u2" undo
check_rc 4 "nothing left to undo: exit 4"
run "$FAI" --db "$u2" check
check_rc 0 "the store is consistent after undoing everything"

# ---------------------------------------------------------------- config
run fai config
check_rc 0 "config (list) exits 0"
for k in wip.need wip.concept wip.owner_search wip.launched wip.on_hold \
	wip.abandoned stale.days; do
	check_out "$k " "config lists $k"
done
check_out "stale.days 30" "stale.days defaults to 30"
run fai config wip.concept
check_eq "$(cat "$OUT")" 0 "config get wip.concept: 0 by default"
run fai config wip.concept 5
check_rc 0 "config set wip.concept 5: exit 0"
run fai config wip.concept
check_eq "$(cat "$OUT")" 5 "config get gives the new value"
run fai config
check_out "wip.concept 5" "config list gives the new value"
run fai config wip.concept 5
check_rc 0 "setting the same value again: exit 0"
run fai config nosuch.key 3
check_rc_err 2 "nosuch.key" "config set of an unknown key: exit 2 naming it"
run fai config nosuch.key
check_rc_err 2 "nosuch.key" "config get of an unknown key: exit 2 naming it"
run fai config wip.concept abc
check_rc_err 2 "abc" "config set with a bad value: exit 2 naming it"
run fai config stale.days 0
check_rc 2 "stale.days 0: exit 2"
run fai config stale.days 14
check_rc 0 "stale.days 14: exit 0"
run fai config wip.concept 5 6
check_rc 1 "config with too many arguments: exit 1"
run fai log
check_out "setting wip.concept" "config changes are logged"

# ---------------------------------------------------------------- check
run fai check
check_rc 0 "check on a healthy store: exit 0"
check_out "consistent (3 " "check counts the ideas"
check "check prints nothing on stderr" test ! -s "$ERR"

finish
