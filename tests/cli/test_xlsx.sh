#!/bin/sh
# test_xlsx.sh - `fai export --format xlsx` and `fai import` of a workbook
# end to end (issue 13): the format from the option or the name, a pipe
# both ways, --sheet, what the workbook holds as openpyxl reads it, a text
# too long for a cell, and hostile workbooks (cut, not a zip, a DTD, a
# bomb, a shared string out of range, 10^5 columns, a missing sheet): each
# refused with exit 2, the store byte for byte as it was.
. "$(dirname "$0")/lib.sh"

NOW=2026-03-10T09:20:00Z
TZ=Europe/Paris
export TZ
PY=/usr/bin/python3 # Debian's, with python3-openpyxl
db=$(mkstore x 84)
at() { _t=$1; shift; env FAI_NOW="$_t" "$FAI" --db "$db" "$@"; }

at $NOW add --title "Épicerie « solidaire »" --set territory=01053 \
	--set need="$(printf 'Ligne 1\nLigne 2 🛒')" > /dev/null
at $NOW add --title "'=SOMME(A1)" --set territory=01 --set jobs=12 \
	> /dev/null
at $NOW add --title "=1+1" --set siret=05328293200127 > /dev/null
run at $NOW export -o "$T/orig.csv"
check_rc 0 "the reference CSV"

# ---------------------------------------------------------------- export
run at $NOW export -o "$T/a.xlsx"
check_rc 0 "a .xlsx name gives a workbook"
check_out "Exported 3 ideas to $T/a.xlsx." "... and says how many ideas"
check "... a zip" sh -c "head -c 4 '$T/a.xlsx' | grep -q PK"
run at $NOW export --format xlsx -o "$T/b.bin"
check "--format xlsx whatever the name" sh -c "head -c 4 '$T/b.bin' | grep -q PK"
run at $NOW export --format csv -o "$T/c.xlsx"
check "--format csv wins over the name" sh -c "head -c 3 '$T/c.xlsx' | grep -q id,"
run at $NOW export --format ods
check_rc 1 "--format takes csv or xlsx"
check_err "--format is csv or xlsx" "... and says so"

cat > "$T/read.py" << 'EOF'
import sys, openpyxl, datetime
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
rows = list(ws.iter_rows(values_only=True))
head = rows[0]
col = {t: i for i, t in enumerate(head)}
by_title = {r[col["Titre"]]: r for r in rows[1:]}
e = by_title["Épicerie « solidaire »"]
assert e[col["Territoire"]] == "01053", e
assert e[col["Région"]] == "84"
assert e[col["Besoin"]] == "Ligne 1\nLigne 2 🛒"
assert isinstance(e[col["Créée le"]], datetime.datetime)
assert e[col["Créée le"]] == datetime.datetime(2026, 3, 10, 10, 20), e[col["Créée le"]]
assert e[col["Étape"]] == "Besoin identifié"
s = by_title["''=SOMME(A1)"]
assert s[col["Emplois"]] == 12 and isinstance(s[col["Emplois"]], int)
assert s[col["Territoire"]] == "01"
# a quote before = doubled, as in excel-fr; =1+1 is text, not a formula
assert "'=SOMME(A1)" not in by_title
assert by_title["=1+1"][col["SIRET"]] == "05328293200127"
assert ws.cell(row=2, column=col["Titre"] + 1).data_type == "s"
print("ok")
EOF
run $PY "$T/read.py" "$T/a.xlsx"
check_rc 0 "openpyxl finds text codes with their zeros, a number, local times, French labels"

# ------------------------------------------------------- import, round trip
run at $NOW import "$T/a.xlsx"
check_out "3 rows: 0 new, 0 updated, 3 unchanged, 0 conflicts, 0 invalid." \
	"the workbook imports back unchanged"
e=$(mkstore e 84)
run env FAI_NOW=$NOW "$FAI" --db "$e" import "$T/a.xlsx"
check_rc 0 "... and into an empty store"
"$FAI" --db "$e" export -o "$T/e.csv" > /dev/null
check "... every value equal, the quotes of '=SOMME(A1) included" \
	sh -c "cut -d, -f1-23 '$T/orig.csv' > '$T/o1'; cut -d, -f1-23 '$T/e.csv' > '$T/e1'; cmp -s '$T/o1' '$T/e1'"
run sh -c "'$FAI' --db '$db' export --format xlsx | '$FAI' --db '$db' import --dry-run -"
check_out "-: 3 rows: 0 new, 0 updated, 3 unchanged" "a workbook through a pipe, both ways"
run at $NOW import --sheet Colonnes "$T/a.xlsx"
check_rc 2 "--sheet reads the sheet named (the legend has no title column)"
check_err "the header lacks required columns" "... so its header is refused"

# ------------------------------------- a workbook a person made by hand
# openpyxl writes what a person types: numbers in code columns, dates as
# date cells, 2.0 in jobs, and no cell after a row's last value.
cat > "$T/hand.py" << 'EOF'
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Retour"
ws.append(["Titre", "Région", "Territoire", "Étape", "SIRET", "Emplois", "Date de lancement"])
ws.append(["Bonne idée", 84, 1053, "Besoin identifié"])
ws.append(["Mauvaise région", 99, None, "Besoin identifié"])
ws.append(["Datée", 1, "01", "besoin identifie", None, 2.0, datetime.date(2026, 12, 15)])
wb.save(sys.argv[1])
EOF
$PY "$T/hand.py" "$T/hand.xlsx"
h=$(mkstore h 84)
run env FAI_NOW=$NOW "$FAI" --db "$h" import --skip-invalid "$T/hand.xlsx"
check_out "3 rows: 2 new, 0 updated, 0 unchanged, 0 conflicts, 1 invalid." \
	"a row without its trailing blank cells is whole (the sheet leaves them out)"
check_out "2 codes got back the leading zeros" "... number cells in code columns repaired"
check_err "hand.xlsx:3: invalid Région \"99\"" "... the bad row named by its line"
check "... and written to the rejects, as excel-fr CSV" \
	grep -q "^Mauvaise région;99;;Besoin identifié;;;;" "$T/hand.xlsx.rejects.csv"
check_eq "01053" "$(field 84-0001 territory "$h")" "... 1053 read as 01053"
check_eq "2026-12-15" "$(field 01-0001 launch_date "$h")" "... a date cell read"
check_eq "2" "$(field 01-0001 jobs "$h")" "... 2.0 in jobs read as 2"

# ------------------------------------------------- a text too long for a cell
big=$(mkstore big 84)
long=$($PY -c 'print("x" * 40000)')
env FAI_NOW=$NOW "$FAI" --db "$big" add --title Long --set need="$long" \
	> /dev/null
run env FAI_NOW=$NOW "$FAI" --db "$big" export -o "$T/big.xlsx"
check_rc 2 "a text longer than a spreadsheet cell stops the export"
check_err "84-0001: its need holds 40000 characters, more than a spreadsheet cell holds (32767): export it as CSV" \
	"... naming the idea and the column"
check "... and leaves no file" sh -c "! ls '$T'/big.xlsx* 2> /dev/null"

# ---------------------------------------------------------- hostile workbooks
cat > "$T/hostile.py" << 'EOF'
import sys, zipfile, io
src, kind, dst = sys.argv[1:4]
zin = zipfile.ZipFile(src)
parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
sheet = "xl/worksheets/sheet1.xml"
if kind == "doctype":
    parts[sheet] = parts[sheet].replace(
        b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>', 1)
elif kind == "bomb":
    # a sheet of a few KiB that inflates past every bound
    parts[sheet] = parts[sheet].replace(b"<sheetData>", b"<sheetData>" + b" " * (300 << 20), 1)
elif kind == "sst":
    import re
    parts[sheet] = re.sub(rb'<c r="A2" t="inlineStr"><is><t>[^<]*</t></is></c>',
                          b'<c r="A2" t="s"><v>99999</v></c>', parts[sheet], count=1)
    parts["xl/sharedStrings.xml"] = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>'
elif kind == "columns":
    cells = b"".join(b'<c t="inlineStr"><is><t>c</t></is></c>' for _ in range(100000))
    parts[sheet] = parts[sheet].replace(b"<sheetData>", b'<sheetData><row r="1">' + cells + b"</row>", 1)
out = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
for n, d in parts.items():
    out.writestr(n, d)
out.close()
EOF
head -c 3000 "$T/a.xlsx" > "$T/cut.xlsx"
printf 'PK\003\004 not a zip at all' > "$T/notzip.xlsx"
for k in doctype bomb sst columns; do
	$PY "$T/hostile.py" "$T/a.xlsx" $k "$T/$k.xlsx" || fail "(cannot build $k.xlsx)"
done
check "(the bomb is small on disk)" sh -c "[ \$(wc -c < '$T/bomb.xlsx') -lt 2000000 ]"
for f in cut notzip doctype bomb sst columns; do
	snap "$db"
	run at $NOW import "$T/$f.xlsx"
	check_rc 2 "hostile workbook $f.xlsx: refused with exit 2"
	check "... $f.xlsx: the store byte for byte as it was" same_as_snap "$db"
done
run at $NOW import "$T/cut.xlsx"
check_err "cut.xlsx: not a readable XLSX workbook" "a cut workbook says what it is"
run at $NOW import "$T/doctype.xlsx"
check_err "xl/worksheets/sheet1.xml is missing or malformed" "a DTD: the part is named"
run at $NOW import "$T/bomb.xlsx"
check_err "unpacks to more than fai reads" "a zip bomb says so"
run at $NOW import "$T/sst.xlsx"
check_err "refers to shared text number 99999" "a shared string out of range is named"
run at $NOW import "$T/columns.xlsx"
check_rc 2 "10^5 columns are refused"
check_err "past the last column a spreadsheet has (16384)" "... saying the bound"
run at $NOW import --sheet Nulle "$T/a.xlsx"
check_rc 2 "a sheet the workbook lacks is refused"
check_err "the workbook has no sheet \"Nulle\"" "... naming it"

finish
