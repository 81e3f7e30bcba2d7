#!/bin/sh
# test_review.sh - `fai review` end to end on the store of
# fixtures/review.fai (built by review_fixture.sh), at a fixed time: every
# figure asserted below was computed by hand from the fixture's dated
# history; the reasoning is written beside each check.  Text, markdown and
# CSV; --week, --since, --region, --facilitator; counts equal to those of
# `fai list`; French; ASCII under a non-UTF-8 locale; display safety.
. "$(dirname "$0")/lib.sh"

NOW=2026-03-09T09:00:00Z
db=$T/review
if ! FAI="$FAI" sh "$(dirname "$0")/review_fixture.sh" "$db" 2> "$T/fixture.err"; then
	cat "$T/fixture.err"
	fail "the review fixture builds" "see above"
	finish
fi
pass "the review fixture builds through fai's own commands"
fai() { env FAI_NOW="$NOW" "$FAI" --db "$db" "$@"; }
rv() { env FAI_NOW="$NOW" "$FAI" --db "$db" review "$@"; }

run fai check
check_rc 0 "fai check passes on the fixture store"

# The fixture, at now = 2026-03-09T09:00Z (see the index in review.fai):
#   need         G 84-0011, H 84-0010, K 84-0012, N 93-0002, P 84-0008  5
#   concept      C 84-0003, O 84-0004, D 84-0005, F 84-0006, I 84-0014  5
#   owner_search B 84-0002, M 93-0001                                   2
#   launched     A 84-0001, J 84-0007                                   2
#   on_hold      L 84-0013                                              1
#   abandoned    E 84-0009                                              1
#   16 ideas; wip.concept is 3.

# ------------------------------------------------------------ counts = list
run fai list --format tsv
cp "$OUT" "$T/list.tsv"
list_count() { awk -F '\t' -v s="$1" 'NR > 1 && $4 == s' "$T/list.tsv" | wc -l | tr -d ' '; }
run rv --format csv
check_rc 0 "review --format csv exits 0"
cp "$OUT" "$T/review.csv"
# csv_get SECTION KEY COLUMN: a cell of the CSV review (python's csv module).
csv_get() {
	python3 - "$T/review.csv" "$1" "$2" "$3" << 'PY'
import csv, sys
path, section, key, col = sys.argv[1:5]
cur, head = None, None
with open(path, newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        if not row:
            cur = None
            continue
        if len(row) == 1 and row[0].startswith('# '):
            cur, head = row[0][2:], None
            continue
        if head is None:
            head = row
            continue
        if cur == section and row[0] == key:
            print(dict(zip(head, row))[col])
            break
PY
}
for s in need concept owner_search launched on_hold abandoned; do
	check_eq "$(csv_get pipeline "$s" ideas)" "$(list_count "$s")" \
		"ideas at $s: review equals fai list ($(list_count "$s"))"
done
check_eq "$(csv_get pipeline need ideas) $(csv_get pipeline concept ideas) $(csv_get pipeline owner_search ideas) $(csv_get pipeline launched ideas) $(csv_get pipeline on_hold ideas) $(csv_get pipeline abandoned ideas)" \
	"5 5 2 2 1 1" "counts per stage: 5 5 2 2 1 1 (by hand)"
check_eq "$(csv_get pipeline concept limit)/$(csv_get pipeline concept over_limit)" "3/1" \
	"concept: 5 ideas over its limit of 3"
check_eq "$(csv_get pipeline need limit)/$(csv_get pipeline need over_limit)" "/0" \
	"need has no limit"
check_eq "$(csv_get review ideas value)" "16" "16 ideas in all"

# ------------------------------------------------------------ csv format
check "the CSV parses with python's csv module, sections as documented" python3 - "$T/review.csv" << 'PY'
import csv, sys
want = ['review', 'pipeline', 'new_ideas', 'moves', 'launched', 'stale',
        'funnel', 'time_in_stage', 'cumulative_flow', 'by_facilitator',
        'by_region']
raw = open(sys.argv[1], 'rb').read()
assert raw.startswith(b'# review\r\n'), raw[:20]
assert b'\n' not in raw.replace(b'\r\n', b''), 'bare LF outside cells'
names, width, cur, head = [], {}, None, None
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        if not row:
            cur = None
            continue
        if len(row) == 1 and row[0].startswith('# '):
            cur, head = row[0][2:], None
            names.append(cur)
            continue
        assert cur is not None, row
        if head is None:
            head = row
            continue
        assert len(row) == len(head), (cur, row)
assert names == want, names
PY
check_eq "$(csv_get review period_start value) $(csv_get review period_end value)" \
	"2026-03-02T09:00:00Z 2026-03-09T09:00:00Z" "default period: the 7 days before now"
check_eq "$(csv_get review funnel_start value)" "2025-03-09T09:00:00Z" \
	"the funnel's window starts 365 days before the period's end"
check_eq "$(csv_get review stale_days value)" "30" "stale.days defaults to 30"

# ------------------------------------------------------------ the period
# In [03-02 09:00, 03-09 09:00): one new idea (I, added 03-03), ten moves:
#   forward  B concept->owner_search, D need->concept (forced), I
#            need->concept, M concept->owner_search (import), J
#            owner_search->launched                                      5
#   setback  O owner_search->concept                                     1
#   hold     L concept->on_hold                                          1
#   resume   C on_hold->concept                                          1
#   abandon  E need->abandoned                                           1
#   reopen   P abandoned->need                                           1
# K's move to concept (03-04 10:00) was undone five minutes later: gone.
moves_by() {
	python3 - "$T/review.csv" "$1" "$2" << 'PY'
import csv, sys
path, col, val = sys.argv[1:4]
cur, head, n = None, None, 0
with open(path, newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        if not row:
            cur = None; continue
        if len(row) == 1 and row[0].startswith('# '):
            cur, head = row[0][2:], None; continue
        if head is None:
            head = row; continue
        if cur == 'moves' and (val == '*' or dict(zip(head, row))[col] == val):
            n += 1
print(n)
PY
}
check_eq "$(moves_by class '*')" "10" "ten moves in the period"
check_eq "$(moves_by class forward) $(moves_by class setback) $(moves_by class hold) $(moves_by class resume) $(moves_by class abandon) $(moves_by class reopen)" \
	"5 1 1 1 1 1" "forward 5, setback 1, hold 1, resume 1, abandon 1, reopen 1"
check_eq "$(moves_by ref 84-0012)" "0" "the undone move is not listed"
check_eq "$(csv_get moves 84-0005 forced)" "1" "D's move to concept passed its gate with --force"
check_eq "$(csv_get moves 84-0002 forced)" "0" "B's move was not forced"
check_eq "$(csv_get moves 93-0001 how) $(csv_get moves 93-0001 from) $(csv_get moves 93-0001 to)" \
	"import concept owner_search" "the second import moved M forward"
check_eq "$(csv_get moves 84-0013 reason)" "Le financeur demande d’attendre" "a hold carries its reason"
check_eq "$(csv_get moves 84-0009 reason)" "Pas de porteur possible" "an abandon carries its reason"
check_eq "$(csv_get moves 84-0008 class) $(csv_get moves 84-0008 from)" "reopen abandoned" \
	"P reopened from abandoned"
check_eq "$(csv_get new_ideas 84-0014 created_at)" "2026-03-03T09:00:00Z" "I is the new idea"
check_eq "$(csv_get new_ideas 84-0014 by)" "$ME" "who added it"
check_eq "$(csv_get launched 84-0007 structure)|$(csv_get launched 84-0007 jobs)|$(csv_get launched 84-0007 launched_at)" \
	"La Ressourcerie des Volcans|4|2026-03-06T10:00:00Z" "J launched, with its structure and jobs"

# ------------------------------------------------------------ stale
# Last activity before now (updated_at), at need, concept or owner_search:
#   N 2025-11-15T00:00 (from the imported file): 15 + 31 + 31 + 28 + 9 =
#     114 days; F 2025-12-20T09:00: 11 + 31 + 28 + 9 = 79; G 2026-01-26:
#     5 + 28 + 9 = 42; H had a comment on 02-07 at 10:00: 29 days 23 hours,
#     29 whole days: not stale.  Oldest first.
check_eq "$(csv_get stale 93-0002 days) $(csv_get stale 84-0006 days) $(csv_get stale 84-0011 days)" \
	"114 79 42" "stale: N 114 days, F 79, G 42"
check_eq "$(csv_get stale 84-0010 days)" "" "H (29 days 23 hours) is not stale"
run fai list --stale 30 --format tsv
check_eq "$(awk -F '\t' 'NR > 1 { print $2 }' "$OUT" | sort | tr '\n' ' ')" \
	"84-0006 84-0011 93-0002 " "the stale ideas are those of fai list --stale 30"

# ------------------------------------------------------------ funnel
# First entry into need in [2025-03-09T09:00, 2026-03-09T09:00): B C O D F J
# P E H G K L I = 13 (A entered need in 2025-02; M arrived at concept; N's
# file says need since 2024-11-01).  Reached afterwards:
#   concept  B C O D F J L I = 8 (62%: 8/13 = 61.5)
#   owner    B O J = 3 (23%)     launched J = 1 (8%: 7.7)
#   on hold  C L = 2 (15%)       abandoned D P E = 3 (23%)
# K's undone move does not count as reaching concept.
check_eq "$(csv_get funnel need ideas)/$(csv_get funnel need percent)" "13/100" "funnel: 13 ideas entered need"
check_eq "$(csv_get funnel concept ideas)/$(csv_get funnel concept percent)" "8/62" "funnel: 8 reached concept (62%)"
check_eq "$(csv_get funnel owner_search ideas)/$(csv_get funnel owner_search percent)" "3/23" "funnel: 3 reached owner_search (23%)"
check_eq "$(csv_get funnel launched ideas)/$(csv_get funnel launched percent)" "1/8" "funnel: 1 launched (8%)"
check_eq "$(csv_get funnel on_hold ideas)/$(csv_get funnel on_hold percent)" "2/15" "funnel: 2 put on hold (15%)"
check_eq "$(csv_get funnel abandoned ideas)/$(csv_get funnel abandoned percent)" "3/23" "funnel: 3 abandoned (23%)"

# ------------------------------------------------------------ time in stage
# Stays that ended in the 12 months (whole days; nearest-rank percentiles):
#   need: B 14 and 21, C 14, O 14, D 7 and 17, F 10, J 15, P 35, E 46,
#     L 14, I 2 (A's stay ended 2025-03-01, too early; K's was undone):
#     2 7 10 14 14 14 14 15 17 21 35 46 -> median rank 6 = 14, 90th rank
#     ceil(10.8) = 11 = 35, longest 46.
#   concept: A 93 (03-01 -> 06-02), B 56 and 29, C 42, O 46, J 28, L 8,
#     M 155 (the file's 2025-10-01 to 03-05): 8 28 29 42 46 56 93 155 ->
#     median rank 4 = 42, 90th rank ceil(7.2) = 8 = 155.
#   owner_search: A 196 (06-02 -> 12-15), J 31, O 43 -> 43, 196.
#   on_hold: C 58.  abandoned: D 70, P 17 -> median 17, 90th 70.
# Ideas there now, days since stage_since:
#   need G 42, H 48, K 28 (the undo restored 02-09), N 493 (2024-11-01),
#     P 2 -> 2 28 42 48 493: median 42, 90th rank ceil(4.5) = 5 = 493.
#   concept C 5, O 5, D 4, F 79, I 3 -> 3 4 5 5 79: median 5, 90th 79.
#   owner_search B 5, M 8 (the file's 03-01); launched A 84, J 2;
#   on_hold L 4; abandoned E 3.
tis() { echo "$(csv_get time_in_stage "$1" stays),$(csv_get time_in_stage "$1" stay_median_days),$(csv_get time_in_stage "$1" stay_p90_days),$(csv_get time_in_stage "$1" stay_max_days),$(csv_get time_in_stage "$1" now),$(csv_get time_in_stage "$1" now_median_days),$(csv_get time_in_stage "$1" now_p90_days),$(csv_get time_in_stage "$1" now_max_days)"; }
check_eq "$(tis need)" "12,14,35,46,5,42,493,493" "time in need"
check_eq "$(tis concept)" "8,42,155,155,5,5,79,79" "time in concept"
check_eq "$(tis owner_search)" "3,43,196,196,2,5,8,8" "time in owner_search"
check_eq "$(tis launched)" "0,,,,2,2,84,84" "time in launched (no stay ended)"
check_eq "$(tis on_hold)" "1,58,58,58,1,4,4,4" "time on hold"
check_eq "$(tis abandoned)" "2,17,70,70,1,3,3,3" "time abandoned"

# ------------------------------------------------------------ cumulative flow
# Each idea's stage at each Monday 00:00 (W51 ends 2025-12-22 ... W10 ends
# 2026-03-09), from the log:
#   A launched throughout.  B concept, from W04 need (01-12 09:00 is after
#   W03's end), from W07 concept, W10 owner_search.  C concept, on hold
#   from W02 (01-05 09:00), concept at W10.  O concept, owner_search from
#   W04 (01-19 10:00), concept at W10.  D abandoned, need from W08 (02-16
#   09:00), concept at W10.  F concept throughout.  J added 12-22 09:00:
#   need from W52, concept from W02, owner_search from W06, launched at
#   W10.  P need from W03, abandoned at W08 and W09, need at W10.  E need
#   from W04, abandoned at W10.  H need from W04.  G need from W05.  K need
#   from W07.  L need from W07, concept from W09, on hold at W10.  I
#   concept at W10.  M (import 02-16 09:30) concept from W08,
#   owner_search at W10.  N need from W08.
flow() { python3 - "$T/review.csv" << 'PY'
import csv, sys
cur, head = None, None
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        if not row:
            cur = None; continue
        if len(row) == 1 and row[0].startswith('# '):
            cur, head = row[0][2:], None; continue
        if head is None:
            head = row; continue
        if cur == 'cumulative_flow':
            print(','.join(row))
PY
}
cat > "$T/flow.want" << 'EOF'
2025-W51,2025-12-21,0,4,0,1,0,1,6
2025-W52,2025-12-28,1,4,0,1,0,1,7
2026-W01,2026-01-04,1,4,0,1,0,1,7
2026-W02,2026-01-11,0,4,0,1,1,1,7
2026-W03,2026-01-18,2,3,0,1,1,1,8
2026-W04,2026-01-25,4,2,1,1,1,1,10
2026-W05,2026-02-01,5,2,1,1,1,1,11
2026-W06,2026-02-08,4,2,2,1,1,1,11
2026-W07,2026-02-15,6,2,2,1,1,1,13
2026-W08,2026-02-22,7,3,2,1,1,1,15
2026-W09,2026-03-01,6,4,2,1,1,1,15
2026-W10,2026-03-08,5,5,2,2,1,1,16
EOF
flow > "$T/flow.got"
check "cumulative flow: the 12 weeks computed by hand" cmp -s "$T/flow.got" "$T/flow.want"
check_eq "$(tail -n 1 "$T/flow.got" | cut -d, -f3-8)" \
	"$(for s in need concept owner_search launched on_hold abandoned; do printf '%s,' "$(list_count $s)"; done | sed 's/,$//')" \
	"the last week's end equals fai list (nothing moved since)"

# ------------------------------------------------------------ breakdowns
# By facilitator (current): Claire A C F J I: concept 3, launched 2; new I;
# moves C I J; launched J.  Élodie O D G K: need 2, concept 2; moves O D.
# Marc Filippi M N: need 1, owner 1; move M.  Yanis B P E H L: need 2,
# owner 1, on hold 1, abandoned 1; moves B L E P.
grp() { python3 - "$T/review.csv" "$1" "$2" << 'PY'
import csv, sys
path, section, key = sys.argv[1:4]
cur, head = None, None
with open(path, newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        if not row:
            cur = None; continue
        if len(row) == 1 and row[0].startswith('# '):
            cur, head = row[0][2:], None; continue
        if head is None:
            head = row; continue
        if cur == section and row[0] == key:
            print(','.join(row[1:]))
PY
}
check_eq "$(grp by_facilitator 'Claire Mercier')" "0,3,0,2,0,0,5,1,3,1" "by facilitator: Claire Mercier"
check_eq "$(grp by_facilitator 'Élodie Durand')" "2,2,0,0,0,0,4,0,2,0" "by facilitator: Élodie Durand"
check_eq "$(grp by_facilitator 'Marc Filippi')" "1,0,1,0,0,0,2,0,1,0" "by facilitator: Marc Filippi"
check_eq "$(grp by_facilitator 'Yanis Benali')" "2,0,1,0,1,1,5,0,4,0" "by facilitator: Yanis Benali"
check_eq "$(grp by_region 84)" "Auvergne-Rhône-Alpes,4,5,1,2,1,1,14,1,9,1" "by region: 84"
check_eq "$(grp by_region 93)" "Provence-Alpes-Côte d'Azur,1,0,1,0,0,0,2,0,1,0" "by region: 93 (imported)"

# ------------------------------------------------------------ text
run env LANG=C.UTF-8 FAI_NOW="$NOW" "$FAI" --db "$db" review
check_rc 0 "review (text) exits 0"
cp "$OUT" "$T/review.txt"
check "every text line fits 80 columns" python3 -c '
import sys, unicodedata
for l in open(sys.argv[1], encoding="utf-8").read().splitlines():
    w = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    assert w <= 80, (w, l)' "$T/review.txt"
check "text: concept 5 against 3, over the limit" \
	grep -qE '^  Concept +5 +3 +█+ +over the limit$' "$T/review.txt"
check "text: need 5, no limit, a Unicode bar" grep -qE '^  Need identified +5 +- +█+$' "$T/review.txt"
check_out "New ideas (1)" "text: one new idea"
check_out "Moves (10)" "text: ten moves"
check_out "  Forward (5)" "text: five forward"
check_out "  Setbacks (1)" "text: one setback"
check_out "Need → Concept, 2026-03-05, $ME, gate forced" "text: the forced gate is said"
check_out "Reason: Le financeur demande d’attendre" "text: the reason of a hold"
check_out "La Ressourcerie des Volcans, 4 jobs, 2026-03-06" "text: the launch with structure and jobs"
check_no_out "84-0012" "text: the undone move is not shown"
check_eq "$(grep -E '^  (93-0002|84-0006|84-0011) ' "$T/review.txt" | awk '{ print $1, $(NF-1) }' | tr '\n' ' ')" \
	"93-0002 114 84-0006 79 84-0011 42 " "text: stale ideas oldest first, with their age"
check "text: funnel concept 8 (62%)" grep -qE '^  Concept +8 +62% ' "$T/review.txt"
check "text: funnel launched 1 (8%)" grep -qE '^  Launched +1 +8% ' "$T/review.txt"
check "text: time in need" grep -qE '^  Need identified +12 +14 +35 +5 +42 +493 +493$' "$T/review.txt"
check "text: the flow table's last week" grep -qE '^  2026-W10 +5 +5 +2 +2 +1 +1 +16$' "$T/review.txt"
check "text: the flow table's first week" grep -qE '^  2025-W51 +0 +4 +0 +1 +0 +1 +6$' "$T/review.txt"
# The chart: 56 cells for the largest week (16 ideas); W10 is 5/5/2/2/1/1,
# so 18 need (round(5*56/16) = 17.5 -> 18), then concept up to 35, owner
# up to 42, launched to 49, on hold to 53, abandoned to 56.
check "text: the chart's last bar" grep -qF "  2026-W10 ░░░░░░░░░░░░░░░░░░▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▓▓▓▓▓▓▓███████╌╌╌╌××× 16" "$T/review.txt"
check_out "░ Need  ▒ Concept  ▓ Owner search" "text: the chart's legend"
check "text: by facilitator" grep -qE '^  Yanis Benali +2 +0 +1 +0 +1 +1 +5 +0 +4 +0$' "$T/review.txt"
check "text: by region" grep -qE '^  84 Auvergne-Rhô… +4 +5 +1 +2 +1 +1 +14 +1 +9 +1$' "$T/review.txt"

# ------------------------------------------------------------ markdown
run rv --format markdown
check_rc 0 "review --format markdown exits 0"
check_out "## Pipeline now" "markdown: headings"
check_out "| Concept | 5 | 3 | over the limit |" "markdown: the pipeline table"
check_out "| 84-0007 | Ressourcerie des Volcans | La Ressourcerie des Volcans | 4 | 2026-03-06 |" \
	"markdown: the launch"
check_out "| 84-0005 | Garage solidaire de Vénissieux | Need → Concept | 2026-03-05 | $ME | gate forced |" \
	"markdown: a forced move"
check_out "| Concept | 8 | 62% |" "markdown: the funnel"
# The section titles are the text review's, dates and counts included.
for title in "Funnel: the " "Stale: no activity for " "Pipeline review, "; do
	want=$(grep -F "$title" "$T/review.txt" | sed 's/^ *//')
	check "markdown: the title '$title…' is the text review's ($want)" \
		grep -qF "$want" "$OUT"
done
check_out "| 2026-W10 | 5 | 5 | 2 | 2 | 1 | 1 | 16 |" "markdown: the flow"
check_out "| 93 Provence-Alpes-Côte d'Azur | 1 | 0 | 1 | 0 | 0 | 0 | 2 | 0 | 1 | 0 |" \
	"markdown: by region"
check "markdown: every table row has as many cells as its header" python3 -c '
import sys
n = None
for l in open(sys.argv[1], encoding="utf-8").read().splitlines():
    if not l.startswith("|"):
        n = None
        continue
    cells = l.replace("\\|", "").count("|")
    if n is None:
        n = cells
    assert cells == n, l' "$OUT"

# ------------------------------------------------------------ --week
# 2026-W08 = [02-16 00:00, 02-23 00:00): new M and N (imported 02-16),
# moves D abandoned->need (reopen, 02-16) and P need->abandoned (02-17).
# The flow ends with W08 (7 3 2 1 1 1, as above).  Funnel window
# [2025-02-23, 2026-02-23): B C O D F J P E H G K L (12; A's need was
# 2025-02-10); by 02-23 concept B C O F J = 5 (42%; L's came 02-24),
# owner O J = 2 (17%), launched 0, on hold C (8%), abandoned D P (17%).
# Need stays ended in that window now include A's (19 days, 2025-03-01):
# 7 10 14 14 14 15 19 21 35 -> median rank 5 = 14, 90th rank 9 = 35.
run rv --week 2026-W08 --format csv
check_rc 0 "--week 2026-W08 exits 0"
cp "$OUT" "$T/review.csv"
check_eq "$(csv_get review period_start value) $(csv_get review period_end value)" \
	"2026-02-16T00:00:00Z 2026-02-23T00:00:00Z" "--week: Monday to Monday"
check_eq "$(csv_get new_ideas 93-0001 how) $(csv_get new_ideas 93-0002 how)" "import import" \
	"--week: the two imported ideas are new"
check_eq "$(moves_by class '*') $(moves_by class reopen) $(moves_by class abandon)" "2 1 1" \
	"--week: a reopen and an abandon"
check_eq "$(flow | tail -n 1)" "2026-W08,2026-02-22,7,3,2,1,1,1,15" "--week: the flow ends with that week"
check_eq "$(csv_get funnel need ideas) $(csv_get funnel concept ideas) $(csv_get funnel concept percent) $(csv_get funnel owner_search ideas) $(csv_get funnel launched ideas) $(csv_get funnel on_hold ideas) $(csv_get funnel abandoned ideas)" \
	"12 5 42 2 0 1 2" "--week: the funnel as of that week"
check_eq "$(csv_get time_in_stage need stays),$(csv_get time_in_stage need stay_median_days),$(csv_get time_in_stage need stay_p90_days)" \
	"9,14,35" "--week: stays in need ended in its 12 months"
check_eq "$(csv_get pipeline need ideas)" "5" "--week: the pipeline now is still now"

# ------------------------------------------------------------ --since
# Since 2026-02-01: new K L M N I (5); moves: B need->concept (02-02), J
# concept->owner (02-03), D reopen (02-16), P abandon (02-17), L
# need->concept (02-24) and the ten of the week = 15.
run rv --since 2026-02-01 --format csv
check_rc 0 "--since exits 0"
cp "$OUT" "$T/review.csv"
check_eq "$(csv_get review period_start value)" "2026-02-01T00:00:00Z" "--since: from that date"
check_eq "$(tail -n +1 "$T/review.csv" | python3 -c '
import csv, sys
cur = None; head = None; n = 0
for row in csv.reader(sys.stdin):
    if not row: cur = None; continue
    if len(row) == 1 and row[0].startswith("# "): cur, head = row[0][2:], None; continue
    if head is None: head = row; continue
    n += cur == "new_ideas"
print(n)')" "5" "--since: five new ideas"
check_eq "$(moves_by class '*') $(moves_by class forward) $(moves_by class abandon) $(moves_by class reopen)" \
	"15 8 2 2" "--since: 15 moves, 8 forward, 2 abandons, 2 reopens"

# ------------------------------------------------------------ filters
run rv --region 93 --format csv
check_rc 0 "--region 93 exits 0"
cp "$OUT" "$T/review.csv"
run fai list --region 93 --format tsv
cp "$OUT" "$T/list.tsv"
for s in need concept owner_search launched on_hold abandoned; do
	check_eq "$(csv_get pipeline "$s" ideas)" "$(list_count "$s")" "--region 93: $s equals fai list --region 93"
done
check_eq "$(moves_by class '*') $(csv_get review ideas value)" "1 2" "--region 93: M's import move, 2 ideas"
# M never entered need; N entered it in 2024: nobody in the cohort.
check_eq "$(csv_get funnel need ideas)/$(csv_get funnel need percent)" "0/" "--region 93: empty funnel, no share"
check_eq "$(grp by_region 84)" "" "--region 93: no other region"

run rv --facilitator claire --format csv
check_rc 0 "--facilitator exits 0"
cp "$OUT" "$T/review.csv"
run fai list --facilitator claire --format tsv
cp "$OUT" "$T/list.tsv"
for s in need concept owner_search launched on_hold abandoned; do
	check_eq "$(csv_get pipeline "$s" ideas)" "$(list_count "$s")" "--facilitator claire: $s equals fai list"
done
check_eq "$(csv_get review ideas value) $(moves_by class '*')" "5 3" "--facilitator claire: 5 ideas, 3 moves"
run rv --facilitator ELODIE --format csv
cp "$OUT" "$T/review.csv"
check_eq "$(csv_get review ideas value) $(moves_by class '*')" "4 2" "--facilitator ELODIE matches Élodie Durand"

# ------------------------------------------------------------ refusals
run rv --since 2026-01-01 --week 2026-W02
check_rc_err 1 "not both" "--since and --week together: usage error"
run rv --week 2026-W60
check_rc_err 1 "ISO week" "a bad week: usage error"
run rv --week 2026-W20
check_rc_err 1 "future" "a week in the future: usage error"
run rv --since 2027-01-01
check_rc_err 1 "past" "--since in the future: usage error"
run rv --since yesterday
check_rc 1 "a bad date: usage error"
run rv --format xml
check_rc_err 1 "markdown" "a bad format: usage error naming the formats"
run rv --region 99
check_rc 2 "an unknown region: invalid data"
run rv extra
check_rc 1 "an extra argument: usage error"
run rv --bogus
check_rc 1 "an unknown option: usage error"
run rv --help
check_rc 0 "review --help exits 0"
check_out "review [--since DATE | --week YYYY-Www]" "review --help shows the synopsis"
run "$FAI" help
check_out "review" "fai help lists review"
run env FAI_NOW="$NOW" "$FAI" --db "$T/nothing" review
check_rc 5 "no store: store error"

# ------------------------------------------------------------ ASCII, French
run env LANG=C FAI_NOW="$NOW" "$FAI" --db "$db" review
check_rc 0 "review under the C locale"
check "ASCII locale: '#' bars" grep -qE '^  Concept +5 +3 +#+ +over the limit$' "$OUT"
check_out "Need -> Concept, 2026-03-05" "ASCII locale: ASCII arrows"
check_out "  2026-W10 ------------------=================+++++++#######~~~~xxx 16" "ASCII locale: the chart in ASCII"
check "ASCII locale: no block characters" sh -c '! grep -q "█\|→\|░\|─" "$1"' sh "$OUT"

run env LANG=fr_FR.UTF-8 FAI_NOW="$NOW" "$FAI" --db "$db" review
check_rc 0 "review under a French locale"
check_out "Besoin identifié" "French: stage labels"
# The headings as the French catalogue says them (po/fr.po is maintained on
# its own: the test asks the built catalogue rather than repeating it).
fr() { TEXTDOMAINDIR="$BUILD/locale" LANGUAGE= LC_ALL=fr_FR.UTF-8 gettext fai "$1"; }
for h in "Pipeline now" "Time in stage, in days" \
	"Cumulative flow: ideas per stage at the end of each week" \
	"By facilitator" "By region"; do
	check "French: \"$h\" is translated" test "$(fr "$h")" != "$h"
	check_out "$(fr "$h")" "French: the heading \"$(fr "$h")\""
done
check_no_out "Pipeline now" "French: no English heading left"
check "French: still 80 columns" python3 -c '
import sys
for l in open(sys.argv[1], encoding="utf-8").read().splitlines():
    assert len(l) <= 80, l' "$OUT"
run env LANG=fr_FR.UTF-8 FAI_NOW="$NOW" "$FAI" --db "$db" review --format csv
check_out "# pipeline" "French: CSV section names stay the same"
check_out "stage,ideas,limit,over_limit" "French: CSV headers stay the same"

# ------------------------------------------------------------ display safety
# A title with markdown's special characters and a bidi override (U+202E):
# markdown escapes them, every form shows the override as a placeholder.
sdb=$(mkstore safe 84)
env FAI_NOW=2026-03-04T10:00:00Z "$FAI" --db "$sdb" add \
	--title "$(printf 'Zone *test* | [lien](x) \342\200\256fin')" > /dev/null
for fmt in text markdown csv; do
	run env FAI_NOW=2026-03-05T10:00:00Z "$FAI" --db "$sdb" review --format "$fmt"
	check "$fmt: the bidi override is not printed raw" \
		sh -c '! LC_ALL=C grep -q "$(printf "\342\200\256")" "$1"' sh "$OUT"
	check_out "U+202E" "$fmt: the bidi override shown as a placeholder"
done
run env FAI_NOW=2026-03-05T10:00:00Z "$FAI" --db "$sdb" review --format markdown
check_out 'Zone \*test\* \| \[lien\](x)' "markdown: special characters escaped"

# ------------------------------------------------------------ same second
# An action made in the second the review is asked for is in the period:
# the log counts whole seconds, so with FAI_NOW equal to the action's time
# (a card moved on the board, then r) the move was left out of [.., now).
sdb=$(mkstore second 84)
T0=2026-03-05T10:00:00Z
sref=$(env FAI_NOW=$T0 "$FAI" --db "$sdb" add --title "Garage" --territory 69123 --need "Besoin")
env FAI_NOW=$T0 "$FAI" --db "$sdb" move "$sref" concept > /dev/null
run env FAI_NOW=$T0 "$FAI" --db "$sdb" review --format csv
check_rc 0 "review at the very second of a move"
cp "$OUT" "$T/review.csv"
check_eq "$(moves_by ref '*') $(moves_by ref "$sref")" "1 1" "a move made in the second now is in the moves"
check_eq "$(csv_get new_ideas "$sref" title)" "Garage" "an idea added in the second now is new"
check_eq "$(csv_get review period_end value)" "$T0" "the period still ends now"
run env FAI_NOW=$T0 "$FAI" --db "$sdb" review
check_out "Need → Concept, 2026-03-05" "text: the move of this very second is listed"
# A week that ended before now excludes its own end: a move at Monday
# 00:00:00 belongs to the week that starts then.
mref=$(env FAI_NOW=2026-03-08T10:00:00Z "$FAI" --db "$sdb" add --title "Minuit" --territory 69123 --need "Besoin")
env FAI_NOW=2026-03-09T00:00:00Z "$FAI" --db "$sdb" move "$mref" concept > /dev/null
run env FAI_NOW=2026-03-10T09:00:00Z "$FAI" --db "$sdb" review --week 2026-W10 --format csv
cp "$OUT" "$T/review.csv"
check_eq "$(moves_by ref '*') $(moves_by ref "$sref")" "1 1" "--week 2026-W10: the move at its end (Monday 00:00) is not in it"
run env FAI_NOW=2026-03-10T09:00:00Z "$FAI" --db "$sdb" review --week 2026-W11 --format csv
cp "$OUT" "$T/review.csv"
check_eq "$(moves_by ref '*') $(moves_by ref "$mref")" "1 1" "--week 2026-W11: the move at its start is in it"

# ------------------------------------------------------------ formula guard
# review --format csv guards a cell a spreadsheet would take for a formula
# (= + - @ TAB CR first) with a leading ', as export --dialect excel-fr
# does: opened in Excel or LibreOffice, the review runs nothing.
gdb=$(mkstore guard 84)
for t in '=HYPERLINK("http://x";"y")' '@SUM(A1)' '+33 6 12 34 56 78' \
	'-2 emplois' "'=déjà gardé" 'Sans formule'; do
	env FAI_NOW=2026-03-04T10:00:00Z "$FAI" --db "$gdb" add --title "$t" \
		--facilitator '=cmd|/c calc' > /dev/null
done
run env FAI_NOW=2026-03-05T10:00:00Z "$FAI" --db "$gdb" review --format csv
check_rc 0 "review --format csv with formula-like titles"
cp "$OUT" "$T/review.csv"
check_eq "$(csv_get new_ideas 84-0001 title)" "'=HYPERLINK(\"http://x\";\"y\")" \
	"=HYPERLINK(...) gets a leading '"
check_eq "$(csv_get new_ideas 84-0002 title)" "'@SUM(A1)" "@SUM(A1) gets a leading '"
check_eq "$(csv_get new_ideas 84-0003 title)" "'+33 6 12 34 56 78" "+33... gets a leading '"
check_eq "$(csv_get new_ideas 84-0004 title)" "'-2 emplois" "-2 emplois gets a leading '"
check_eq "$(csv_get new_ideas 84-0005 title)" "''=déjà gardé" \
	"a title already starting with '= gets one more ' (as export does)"
check_eq "$(csv_get new_ideas 84-0006 title)" "Sans formule" "a plain title is left alone"
check_eq "$(csv_get new_ideas 84-0001 facilitator)" "'=cmd|/c calc" "the facilitator cell is guarded too"
check_eq "$(grp by_facilitator "'=cmd|/c calc" | cut -d, -f7)" "6" \
	"by_facilitator: the name cell is guarded"
check "no cell of the review's CSV starts with = + - @ (after the quoting)" \
	python3 - "$T/review.csv" << 'PY'
import csv, sys
for row in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    for cell in row:
        assert not cell[:1] in ("=", "+", "@", "\t", "\r") and \
            not (cell[:1] == "-" and not cell[1:].isdigit()), (row, cell)
PY

finish
