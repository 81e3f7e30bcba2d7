#!/bin/sh
# test_errors.sh - every sentence an error ends in is composed in tui/ from
# the facts the lower layers carry (revisions, stages, missing fields,
# columns, counts), so it reads the same in English and all French under a
# French locale: a conflict, a gate, a bad header, a cell in no known
# encoding, a malformed file, a row of the wrong length, the rejects file's
# reason column, a number below its minimum.  Before, store/ wrote English
# details ("column 8: neither UTF-8 nor Windows-1252", "2 cells, the header
# has 3", the rejects' reasons) that a French user read as they were, and a
# reason without text printed gettext's catalogue header.
. "$(dirname "$0")/lib.sh"

export FAI_NOW=2026-01-10T10:00:00Z
FR=fr_FR.UTF-8
db=$(mkstore errors 84)
fr() { run env LANGUAGE=fr LANG=$FR "$FAI" --db "$db" "$@"; }
en() { run env LANG=C "$FAI" --db "$db" "$@"; }
me=$(id -un)

"$FAI" --db "$db" add --title "Épicerie itinérante" > /dev/null
"$FAI" --db "$db" edit 84-0001 --set theme=Alimentation > /dev/null

# ---------------------------------------------------------------- conflict
# The idea is at revision 2; a writer who read revision 1 is refused, told
# both revisions and who changed it.
en edit 84-0001 --set theme=Vélo --expect-rev 1
check_rc_err 3 "84-0001 was changed by $me in the meantime (revision 2, you had 1)" \
	"conflict in English: both revisions and the user (exit 3)"
fr edit 84-0001 --set theme=Vélo --expect-rev 1
check_rc_err 3 "l’idée 84-0001 a été modifiée entre-temps par $me (révision 2, vous aviez la 1)" \
	"conflict in French: both revisions and the user (exit 3)"

# ---------------------------------------------------------------- gate
en move 84-0001 concept
check_rc_err 2 "cannot move to Concept: missing Need, Territory (fill them in" \
	"gate in English: the missing fields, comma-separated, in the order they are filled"
fr move 84-0001 concept
check_rc_err 2 "impossible de passer à l’étape « Concept », champs à remplir : Besoin, Territoire (" \
	"gate in French: the French field labels, comma-separated"

# ---------------------------------------------------------------- header
printf 'title,region,Title\nA,84,B\n' > "$T/dup.csv"
en import "$T/dup.csv"
check_rc_err 2 "dup.csv:1: bad header: columns 1 and 3 are the same column \"Title\"" \
	"a repeated header column in English names both column numbers"
fr import "$T/dup.csv"
check_rc_err 2 "dup.csv:1: en-tête refusé : les colonnes 1 et 3 portent le même nom (« Title »)" \
	"a repeated header column in French names both column numbers"
printf 'title,need\nA,x\n' > "$T/req.csv"
fr import "$T/req.csv"
check_rc_err 2 "il manque à l’en-tête des colonnes obligatoires : region" \
	"a missing required column in French names the column as the file spells it"
: > "$T/empty.csv"
en import "$T/empty.csv"
check_rc_err 2 "empty.csv: the file is empty" "an empty file in English"
fr import "$T/empty.csv"
check_rc_err 2 "empty.csv: le fichier est vide" "an empty file in French"
check_no_err "the file is empty" "... with no English in it"

# ---------------------------------------------------------------- encoding
# \201 is a byte Windows-1252 leaves undefined: the file is neither.
printf 'title,region,need\nA,84,ab\201cd\n' > "$T/enc.csv"
en import "$T/enc.csv"
check_rc_err 2 "enc.csv:2: invalid data: column 8 is neither UTF-8 nor Windows-1252" \
	"a cell in no known encoding in English: line and column"
fr import "$T/enc.csv"
check_rc_err 2 "enc.csv:2: données invalides : la colonne 8 n’est ni en UTF-8 ni en Windows-1252" \
	"a cell in no known encoding in French: line and column"
check_no_err "neither UTF-8" "... with no English detail left in it"
# Binary bytes, as a spreadsheet file taken for a CSV.
printf 'title,region\nPK\003\004\220\201\235\377,84\n' > "$T/bin.csv"
fr import "$T/bin.csv"
check_rc_err 2 "n’est ni en UTF-8 ni en Windows-1252" "a binary cell in French"
check_no_err "neither" "... with no English in it"

# ---------------------------------------------------------------- malformed
printf 'title,region\n"A"x",84\n' > "$T/quote.csv"
en import "$T/quote.csv"
check_rc_err 2 "quote.csv:2: invalid data: malformed CSV: a quote inside an unquoted cell" \
	"a malformed file in English, on one line"
fr import "$T/quote.csv"
check_rc_err 2 "quote.csv:2: données invalides: CSV mal formé" "a malformed file in French"
check_no_err "Project-Id-Version" "... never the catalogue's header (gettext of an empty text)"
check_no_err "malformed" "... and no English in it"

# ---------------------------------------------------------------- rows
printf 'title,region,siret\nA,84\nB,99,1\n' > "$T/rows.csv"
en import "$T/rows.csv"
check_rc_err 2 "rows.csv:2: the row has 2 cells, the header has 3" \
	"a short row in English: its cells and the header's"
fr import "$T/rows.csv"
check_rc_err 2 "rows.csv:2: la ligne a 2 cellules, l’en-tête en a 3" \
	"a short row in French: its cells and the header's"
check_no_err "Project-Id-Version" "... never the catalogue's header"
check_no_err "cells, the header" "... and no English in it"

# ---------------------------------------------------------------- rejects
cp "$T/rows.csv" "$T/rfr.csv"
fr import --skip-invalid "$T/rfr.csv"
check_rc 0 "--skip-invalid in French exits 0"
check "the rejects' reason in French: the row's length" \
	has_bytes '"ligne 2 : la ligne a 2 cellules, l’en-tête en a 3"' "$T/rfr.csv.rejects.csv"
check "the rejects' reason in French: the field, the value and why" \
	has_bytes 'B,99,1,ligne 3 : valeur refusée pour region (« 99 ») : n’est pas l’un des 18 codes de région INSEE' \
	"$T/rfr.csv.rejects.csv"
check "... and no English reason" sh -c "! grep -q 'line \\|cells\\|INSEE region' '$T/rfr.csv.rejects.csv'"
cp "$T/rows.csv" "$T/ren.csv"
en import --skip-invalid "$T/ren.csv"
check "the rejects' reason in English" \
	has_bytes '"line 3: invalid region ""99"": not one of the 18 INSEE region codes"' \
	"$T/ren.csv.rejects.csv"
cat > "$T/dupid.csv" << 'EOF'
id,title,region
6f1c2b0e-8a4d-4b7e-9c1a-2d3e4f5a6b7c,Première,84
6f1c2b0e-8a4d-4b7e-9c1a-2d3e4f5a6b7c,Seconde,84
EOF
fr import --skip-invalid "$T/dupid.csv"
check "the same id twice, in French in the rejects, naming the first line" \
	has_bytes 'Seconde,84,ligne 3 : même identifiant qu’à la ligne 2 : 6f1c2b0e-8a4d-4b7e-9c1a-2d3e4f5a6b7c' \
	"$T/dupid.csv.rejects.csv"

printf 'title,region\nA,99\n' > "$T/one.csv"
en import "$T/one.csv"
check_rc_err 2 "one.csv: 1 invalid row: nothing was imported (fix it," \
	"one invalid row in English is singular"
fr import "$T/one.csv"
check_rc_err 2 "one.csv : 1 ligne invalide : rien n’a été importé (corrigez-la," \
	"one invalid row in French is singular"

# ---------------------------------------------------------------- numbers
en move 84-0001 concept --expect-rev 0
check_rc_err 1 "--expect-rev \"0\": the number is too small (at least 1)" \
	"a number below its minimum in English names the bound"
fr move 84-0001 concept --expect-rev 0
check_rc_err 1 "--expect-rev « 0 » : le nombre est trop petit (au moins 1)" \
	"a number below its minimum in French names the bound"

finish
