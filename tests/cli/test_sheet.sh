#!/bin/sh
# test_sheet.sh - what a spreadsheet does to an exchange file, and what
# import repairs (issue 13): French column titles and stage labels on
# export and import; a file saved the way Calc and Excel save it (codes
# without their leading zeros, French dates and local times, "3,0", a
# Windows-1252 save's '?') re-imports unchanged into the store it came
# from and equal into an empty one; a SIRET in scientific notation is
# refused naming line and column.  The files are made here the way those
# programs write them (tests/cli/test_spreadsheet.sh uses the real Calc).
. "$(dirname "$0")/lib.sh"

NOW=2026-03-10T09:20:00Z
TZ=Europe/Paris
export TZ
db=$(mkstore sh 84)
at() { _t=$1; shift; env FAI_NOW="$_t" "$FAI" --db "$db" "$@"; }

# ---------------------------------------------------------------- a store
at $NOW add --title "Épicerie solidaire de l’Ain" --set territory=01 \
	--set need="Pas de commerce 🛒 à moins de 10 km" > /dev/null
at $NOW add --title "Garage solidaire → Bourg" --set territory=01053 \
	--set siret=05328293200127 --set jobs=3 --set need="Pas de garage" \
	--set concept="Un garage associatif" > /dev/null
at $NOW add --title "Recyclerie œuvre « commune »" --set territory=69 \
	--set need="Déchets" > /dev/null
at $NOW move 84-0001 concept --force > /dev/null
at $NOW edit 84-0002 --set owner="Camille" --set structure="SCIC Garage" \
	--set launch_date=2026-06-14 > /dev/null
for st in concept owner_search launched; do
	at $NOW move 84-0002 $st --force > /dev/null
done
run at $NOW export --dialect rfc4180 -o "$T/orig.csv"
check_rc 0 "the reference export"

# same_values A B: two rfc4180 exports hold the same ideas with the same
# values, revision aside (it counts each store's own changes).
cat > "$T/same.py" << 'EOF'
import csv, sys
def load(p):
    rows = list(csv.DictReader(open(p, encoding="utf-8", newline="")))
    for r in rows:
        r.pop("revision")
    return rows
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    for x, y in zip(a, b):
        for k in x:
            if x[k] != y.get(k):
                print("%s: %r != %r" % (k, x[k], y.get(k)), file=sys.stderr)
    sys.exit(1)
EOF
same_values() { python3 "$T/same.py" "$1" "$2"; }

# ---------------------------------------------------------------- export
run at $NOW export --dialect excel-fr -o "$T/fr.csv"
check_rc 0 "excel-fr export"
head -c 200 "$T/fr.csv" > "$T/head"
check "excel-fr writes the French column titles" \
	sh -c "grep -q 'Identifiant;Référence;Titre;Étape;Motif de l’étape;Région' '$T/head'"
check "... and the French stage labels" \
	sh -c "grep -q ';Activité lancée;' '$T/fr.csv' && grep -q ';Concept;' '$T/fr.csv'"
check "... not the stage codes" \
	sh -c "! grep -q ';launched;' '$T/fr.csv'"
run at $NOW export --dialect excel-fr --headers code --labels code
check "--headers code gives the code names in excel-fr" \
	sh -c "head -c 30 '$OUT' | grep -q 'id;ref;title;stage'"
check "--labels code gives the stage codes" \
	sh -c "grep -q ';launched;' '$OUT'"
run at $NOW export --headers fr --labels fr
check "--headers fr in rfc4180" \
	sh -c "head -c 40 '$OUT' | grep -q '^Identifiant,Référence,Titre'"
run at $NOW export --headers french
check_rc 1 "--headers takes code or fr (a usage error)"
check_err "--headers is code or fr" "... and says so"

# The French file imports back unchanged, and equal into an empty store.
run at $NOW import "$T/fr.csv"
check_out "3 rows: 0 new, 0 updated, 3 unchanged, 0 conflicts, 0 invalid." \
	"the excel-fr export with French titles imports back unchanged"
e=$(mkstore e 84)
run env FAI_NOW=$NOW "$FAI" --db "$e" import "$T/fr.csv"
check_rc 0 "... and into an empty store"
"$FAI" --db "$e" export -o "$T/e.csv" > /dev/null
check "... with every value equal" same_values "$T/orig.csv" "$T/e.csv"

# Titles and labels as a person retypes them: any case, no accents.
cat > "$T/typed.csv" << 'EOF'
TITRE;REGION;etape;Motif de l'etape;territoire;BESOIN;concept
Jardin partagé;84;recherche de porteur;;38;Pas de jardin;Un jardin
Café;84;EN VEILLE;Faute de local;;;
EOF
t=$(mkstore t 84)
run env FAI_NOW=$NOW "$FAI" --db "$t" import "$T/typed.csv"
check_out "2 rows: 2 new" "titles and labels typed by a person are read"
check_eq "owner_search" "$(field 84-0001 stage "$t")" "... recherche de porteur"
check_eq "on_hold" "$(field 84-0002 stage "$t")" "... EN VEILLE"
check_eq "Faute de local" "$(field 84-0002 stage_reason "$t")" \
	"... Motif de l'etape names stage_reason"

# ------------------------------------------------- what a spreadsheet did
# As Calc or Excel saves the excel-fr file: numbers lose their leading
# zeros, dates and times become French (times local), jobs "3,0".
cat > "$T/calc.py" << 'EOF'
import csv, sys, datetime, zoneinfo
src, dst, enc = sys.argv[1:4]
rows = list(csv.reader(open(src, encoding="utf-8-sig", newline=""), delimiter=";"))
head = rows[0]
paris = zoneinfo.ZoneInfo("Europe/Paris")
def col(name): return head.index(name)
for r in rows[1:]:
    for name in ("Région", "Territoire", "SIRET"):
        v = r[col(name)]
        if v.isdigit():
            r[col(name)] = str(int(v))
    d = r[col("Date de lancement")]
    if d:
        y, m, j = d.split("-")
        r[col("Date de lancement")] = "%s/%s/%s" % (j, m, y)
    for name in ("Créée le", "Modifiée le", "À l’étape depuis"):
        t = datetime.datetime.strptime(r[col(name)], "%Y-%m-%dT%H:%M:%SZ")
        t = t.replace(tzinfo=datetime.timezone.utc).astimezone(paris)
        r[col(name)] = t.strftime("%d/%m/%Y %H:%M")
    if r[col("Emplois")]:
        r[col("Emplois")] += ",0"
out = open(dst, "w", encoding=enc, errors="replace", newline="")
w = csv.writer(out, delimiter=";", lineterminator="\r\n")
w.writerows(rows)
EOF
python3 "$T/calc.py" "$T/fr.csv" "$T/calc.csv" utf-8
check "(the spreadsheet's file lost the zeros)" \
	sh -c "grep -q ';1;' '$T/calc.csv' && grep -q ';1053;' '$T/calc.csv'"
check "(... and has French dates, times in Paris time)" \
	sh -c "grep -q '14/06/2026' '$T/calc.csv' && grep -q '10/03/2026 10:20' '$T/calc.csv'"
snap "$db"
run at $NOW import --dry-run "$T/calc.csv"
check_out "3 rows: 0 new, 0 updated, 3 unchanged, 0 conflicts, 0 invalid." \
	"a spreadsheet's save of the export is unchanged, once repaired"
check_out "3 codes got back the leading zeros a spreadsheet had dropped" \
	"... and the summary counts the codes repaired"
run at $NOW import "$T/calc.csv"
check_out "3 rows: 0 new, 0 updated, 3 unchanged" "... imported for real"
e2=$(mkstore e2 84)
run env FAI_NOW=$NOW "$FAI" --db "$e2" import "$T/calc.csv"
check_rc 0 "the spreadsheet's save imports into an empty store"
"$FAI" --db "$e2" export -o "$T/e2.csv" > /dev/null
check "... with every value equal to the original (zeros, dates, times, jobs)" \
	same_values "$T/orig.csv" "$T/e2.csv"

# A Windows-1252 save: '?' for 🛒 and →, œ and « » kept (the code page has
# them).  Unchanged in the store it came from; the '?' are not an update.
python3 "$T/calc.py" "$T/fr.csv" "$T/cp.csv" cp1252
check "(the save lost the emoji)" \
	sh -c "grep -q 'Pas de commerce ? ' '$T/cp.csv'"
run at $NOW import --dry-run "$T/cp.csv"
check_out "3 rows: 0 new, 0 updated, 3 unchanged, 0 conflicts, 0 invalid." \
	"a Windows-1252 save is no update of the texts it could not hold"
check_out "2 cells kept as stored" "... and the summary says how many cells"
run at $NOW import "$T/cp.csv"
check_eq "Pas de commerce 🛒 à moins de 10 km" "$(field 84-0001 need "$db")" \
	"... the emoji is still there after the real import"
# A real change in the same cell is still an update.
LC_ALL=C sed 's/Pas de commerce ? /Pas de commerce bio /' \
	"$T/cp.csv" > "$T/cp2.csv"
run at $NOW import "$T/cp2.csv"
check_out "0 new, 1 updated" "a real change beside a lost character is applied"

# ------------------------------------------------------ beyond repair
# Excel writes a long code in scientific notation: its digits are gone.
sed 's/;5328293200127;/;5,32829E+12;/' "$T/calc.csv" > "$T/sci.csv"
check "(the SIRET in scientific notation)" \
	sh -c "grep -q '5,32829E+12' '$T/sci.csv'"
snap "$db"
run at $NOW import "$T/sci.csv"
check_rc 2 "a SIRET in scientific notation is refused"
line=$(grep -n '5,32829E+12' "$T/sci.csv" | cut -d: -f1)
check_err "sci.csv:$line: invalid SIRET \"5,32829E+12\": a spreadsheet wrote this code in scientific notation" \
	"... naming the file, the line and the column"
check_err "exchange the file as XLSX" "... and suggesting XLSX"
check "... and the store is as it was" same_as_snap "$db"

# A code no reading with zeros makes valid: left as it is, refused as usual.
printf 'titre;region;territoire\r\nA;84;123\r\n' > "$T/amb.csv"
run at $NOW import --dry-run "$T/amb.csv"
check_rc 2 "a territory no zero makes valid (123) is not guessed"
check_err "not an INSEE département or commune code" "... and refused as usual"

finish
