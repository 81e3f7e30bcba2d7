#!/bin/sh
# tests/fuzz/xlsx-seeds.sh - writes the seeds of fuzz_xlsx into
# tests/fuzz/corpus/xlsx/ (run from the project's root; needs
# /usr/bin/python3 with openpyxl, Debian's python3-openpyxl).  Whole
# workbooks (openpyxl's, deflated, and the same stored) for the zip layer;
# XML parts in fuzz_xlsx's own form (an option byte, then the sheet, the
# shared strings, the workbook and its relationships, cut at
# "\n--part--\n") for the XML handlers.  Kept small: a few KiB each.
set -eu
out=tests/fuzz/corpus/xlsx
mkdir -p "$out"
/usr/bin/python3 - "$out" <<'PY'
import datetime, io, sys, zipfile, openpyxl
out = sys.argv[1]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Idées"
ws.append(["Référence", "Région", "Emplois", "Date", "Actif"])
ws.append(["84-0042", "01", 3, datetime.date(2026, 12, 15), True])
ws["C4"] = "bas _x0041_"
wb.create_sheet("Autre").append(["a", None, "c"])
b = io.BytesIO()
wb.save(b)
open(out + "/openpyxl.xlsx", "wb").write(b.getvalue())
src = zipfile.ZipFile(io.BytesIO(b.getvalue()))
s = io.BytesIO()
with zipfile.ZipFile(s, "w", zipfile.ZIP_STORED) as z:
    for n in src.namelist():
        z.writestr(n, src.read(n))
open(out + "/openpyxl-stored.xlsx", "wb").write(s.getvalue())

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SEP = "\n--part--\n"
sheet = ('<worksheet ' + NS + '><sheetData>'
         '<row r="1"><c r="A1" t="s"><v>0</v></c><c t="s"><v>1</v></c>'
         '<c t="inlineStr"><is><r><t>in</t></r><rPh><t>x</t></rPh>'
         '<r><t>line_x000D_</t></r></is></c></row>'
         '<row r="3" spans="1:9"><c r="C3" t="str"><f>A1</f><v>s</v></c>'
         '<c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c>'
         '<c t="d"><v>2026-12-15</v></c><c><v>46358.5</v></c>'
         '<c s="1"/></row><row/></sheetData></worksheet>')
sst = ('<sst ' + NS + ' count="2" uniqueCount="2"><si><t>Titre</t></si>'
       '<si><r><t>Bon</t></r><r><t xml:space="preserve">jour _x005F_x</t>'
       '</r><rPh sb="0" eb="1"><t>b</t></rPh></si></sst>')
seeds = {
    "xml-store": "\0" + sheet + SEP + sst,
    "xml-deflate": "\1" + sheet + SEP + sst,
    "xml-prefixed": "\0" + sheet.replace("<", "<x:").replace("<x:/", "</x:")
        .replace(NS, NS.replace("xmlns=", "xmlns:x=")),
    "xml-other-sheet": "\2" + sheet,
    "xml-doctype": "\0<!DOCTYPE w [<!ENTITY a \"aa\">]>" + sheet,
}
for name, text in seeds.items():
    open(out + "/" + name, "wb").write(text.encode("utf-8"))
PY
ls -l "$out"
