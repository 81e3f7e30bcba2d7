#!/bin/sh
# test_french.sh - a French locale gives French messages and labels (from
# $BUILD/locale/fr/LC_MESSAGES/fai.mo, built from po/fr.po); LANG=C gives
# English; data formats (tsv, json, codes) never change with the language.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
export FAI_NOW="$NOW"
FR=fr_FR.UTF-8
db=$(mkstore french 84)
fr() { env LANG=$FR "$FAI" --db "$db" "$@"; }
en() { env LANG=C "$FAI" --db "$db" "$@"; }

check "the French catalogue is built in \$BUILD/locale" \
	test -f "$BUILD/locale/fr/LC_MESSAGES/fai.mo"
check "the $FR locale exists on this system" \
	sh -c 'locale -a | grep -qix "fr_FR.utf-\{0,1\}8"'

"$FAI" --db "$db" add --title "Épicerie itinérante" > /dev/null
"$FAI" --db "$db" add --title "Garage solidaire" --need "Pas de garage" \
	--territory 38 > /dev/null

# ---------------------------------------------------------------- help
run env LANG=$FR "$FAI" --help
check_rc 0 "fai --help in French exits 0"
check_out "Commandes" "fai --help in French lists the 'Commandes'"
check_out "Crée une base vide" "fai --help in French translates the summaries"
check_no_out "Creates an empty store" "fai --help in French has no English summary"
run env LANG=C "$FAI" --help
check_out "Commands:" "fai --help under LANG=C is English"
check_out "Creates an empty store" "the English summaries under LANG=C"

run env LANG=$FR "$FAI" help move
check_rc 0 "fai help move in French exits 0"
check_out "--reason" "option names stay as typed in French help"
check_out "Change l’étape d’une idée" "fai help move in French translates the summary"

run env LANG=$FR "$FAI" --db "$T/x" nimportequoi
check_rc_err 1 "nimportequoi" "an unknown command in French: exit 1 naming it"
check_err "commande inconnue" "the unknown-command message is French"

# ---------------------------------------------------------------- list, show
run fr list
check_rc 0 "list in French exits 0"
check_out "RÉF" "the list header is French (RÉF)"
check_out "ÉTAPE" "the list header is French (ÉTAPE)"
check_out "TITRE" "the list header is French (TITRE)"
check_out "Besoin" "the stage need is labelled Besoin in the list"
check_no_out "Need" "no English stage label in the French list"
run en list
check_out "STAGE" "the list header under LANG=C is English"
check_out "Need" "the stage label under LANG=C is English"

run fr show 84-0001
check_rc 0 "show in French exits 0"
check_out "Besoin identifié" "show gives the French stage label Besoin identifié"
check_out "Territoire" "show's field labels are French (Territoire)"
check_out "Région" "show's field labels are French (Région)"
check_out "Historique" "show's history title is French"
check_out "Auvergne-Rhône-Alpes" "the region name is there"
run en show 84-0001
check_out "Need identified" "show under LANG=C says Need identified"
check_out "Territory" "show's labels under LANG=C are English"

# ---------------------------------------------------------------- refusals
run fr move 84-0001 concept
check_rc 2 "a gate refusal in French: exit 2"
check_err "impossible de passer" "the gate refusal is French"
check_err "Territoire" "the gate refusal lists the French field labels"
check_err "Besoin" "the gate refusal lists Besoin"
check_err "--force" "the French gate refusal mentions --force"
run en move 84-0001 concept
check_err "cannot move to Concept: missing Need, Territory" "the gate refusal under LANG=C is English"

run fr move 84-0001 on_hold
check_rc_err 2 "motif" "on_hold without a reason in French asks for a 'motif'"
run fr move 84-0001 launched
check_rc_err 2 "accessible" "an illegal move in French"
run fr add --title X --siret 12345678901234
check_rc_err 2 "siret" "an invalid SIRET in French names the field"
check_err "Luhn" "...and the Luhn check"
check_err "refusée" "the invalid-value message is French"
run fr show 84-0099
check_rc_err 4 "introuvable" "not found in French"
run env LANG=$FR "$FAI" --db "$T/nowhere" list
check_rc_err 5 "fai init" "a missing store in French: exit 5, suggests fai init"
check_err "aucune base" "the missing-store message is French"
run fr init --region 84
check_rc_err 2 "existe déjà" "init on an existing store in French"

run fr move 84-0002 concept
check_rc 0 "a legal move in French: exit 0"
check_out "Concept" "the move's report names the stage"
run fr move 84-0002 need --expect-rev 1
check_rc_err 3 "entre-temps" "a conflict in French: exit 3"
check_err "$ME" "the French conflict names who changed it"

run fr move 84-0001 concept --force
run fr log 84-0001
check_out "(passage forcé)" "log shows (passage forcé) in French"
run en log 84-0001
check_out "(gate forced)" "log shows (gate forced) under LANG=C"

# ---------------------------------------------------------------- locale choice
run env LC_ALL=$FR "$FAI" --db "$db" show 84-0001
check_out "Étape" "LC_ALL=$FR gives French"
run env LANG=$FR LC_MESSAGES=C "$FAI" --db "$db" move 84-0099 concept
check_err "no idea 84-0099" "LANG=fr with LC_MESSAGES=C gives English messages"
run env LANG=$FR FAI_LOCALEDIR="$T/nolocale" "$FAI" --db "$db" show 84-0099
check_rc_err 4 "no idea 84-0099" "without a catalogue (FAI_LOCALEDIR elsewhere) fai falls back to English"

# ---------------------------------------------------------------- data formats
for f in tsv json; do
	fr list --format $f > "$T/fr.$f"
	en list --format $f > "$T/en.$f"
	check "list --format $f is the same in French and English" cmp -s "$T/fr.$f" "$T/en.$f"
done
fr log --format tsv > "$T/fr.log"
en log --format tsv > "$T/en.log"
cut -f 5 "$T/fr.log" > "$T/fr.kinds"
cut -f 5 "$T/en.log" > "$T/en.kinds"
check "log --format tsv keeps its kind codes in French" cmp -s "$T/fr.kinds" "$T/en.kinds"
check "log --format tsv has kind codes (create, move)" \
	sh -c 'grep -qx create "$1" && grep -qx move "$1"' sh "$T/fr.kinds"
fr show 84-0002 --format json > "$T/fr.show"
check "show json in French is valid JSON" python3 -m json.tool "$T/fr.show" /dev/null
check "show json in French keeps the stage code" grep -q '"stage":"concept"' "$T/fr.show"

# The French table still fits the terminal.
"$FAI" --db "$db" edit 84-0002 --set "concept=Un garage" > /dev/null
"$FAI" --db "$db" move 84-0002 owner_search > /dev/null
for cols in 60 80; do
	run env LANG=$FR COLUMNS=$cols "$FAI" --db "$db" list
	widest=$(python3 -c '
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)
print(max(width(l) for l in open(sys.argv[1], encoding="utf-8").read().split("\n")))' "$OUT")
	check "the French table fits COLUMNS=$cols ($widest)" test "$widest" -le "$cols"
	head -n 1 "$OUT" > "$T/header"
	check "COLUMNS=$cols: no French header is cut" sh -c '! grep -q "…" "$1"' sh "$T/header"
done
run env LANG=$FR COLUMNS=80 "$FAI" --db "$db" list
check_out "TERRITOIRE" "the French header TERRITOIRE is whole at 80 columns"
check_out "JOURS" "the French header JOURS is whole"
check_out "ANIMATEUR" "the French header ANIMATEUR is whole"
check_out "Recherche" "owner_search is labelled in French (Recherche…)"

finish
