#!/bin/sh
# test_messages.sh - the board's messages as a French facilitator reads
# them (issue 12, bug 2 and the WIP point): never cut at 80x24 nor at
# 40x15 (two lines, or a panel a key closes), kept in a history (M) with
# their local time, a move over a WIP limit said, and the over-limit
# column marked with a character that vt100 and NO_COLOR show.  Each
# scenario is the real binary in a detached tmux session under
# LANG=fr_FR.UTF-8 on a copy of the demo store; the screen is read with
# capture-pane.  The times are read in TZ=Europe/Paris: FAI_NOW 10:00 UTC
# is 11:00 there.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
tmx_init

S=
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

# start NAME COLS ROWS DB [VAR=VALUE...]: the board on DB, in French, in
# Paris time, at COLS x ROWS; the variables go into its environment.
start() {
	S=$1
	_c=$2 _r=$3 _db=$4
	shift 4
	tmx new-session -d -s "$S" -x "$_c" -y "$_r" \
		"env LANG=fr_FR.UTF-8 TZ=Europe/Paris TERM=xterm-256color FAI_NOW=$NOW $* sh '$T/run-board' '$FAI' --db '$_db'"
}

refs() {
	"$FAI" --db "$2" list --stage "$1" --format tsv 2> /dev/null | awk -F '\t' '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ print $col["ref"] }'
}
nth() { echo "$2" | sed -n "${1}p"; }
count() { echo "$1" | grep -c .; }
stage() {
	"$FAI" --db "$2" list --format tsv 2> /dev/null | awk -F '\t' -v ref="$1" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["ref"] == ref { print $col["stage"] }'
}
stage_is() { [ "$(stage "$1" "$3")" = "$2" ]; }

fresh() {
	rm -rf "${T:?}/$1"
	cp -R "$T/demo" "$T/$1"
	echo "$T/$1"
}

# nospace TEXT: TEXT without spaces nor newlines, to compare a message
# with the lines it was wrapped on.
nospace() { printf '%s' "$1" | tr -d ' \n'; }

# foot_has FROM TO TEXT: lines FROM..TO of the screen, joined, hold the
# whole of TEXT (the message's foot lines).
foot_has() {
	shot
	_foot=$(sed -n "${1},${2}p" "$SCR" | tr -d ' \n')
	case $_foot in
	*"$(nospace "$3")"*) return 0 ;;
	esac
	return 1
}

# panel_has TEXT: the message panel (between its title and its footer)
# holds the whole of TEXT.
panel_has() {
	shot
	_p=$(awk '/─ (Erreur|Message) ─/ { on = 1; next }
		/Échap : fermer/ { on = 0 }
		on' "$SCR" | LC_ALL=C.UTF-8 sed -E 's/^.│//; s/│.?$//' | tr -d ' \n')
	case $_p in
	*"$(nospace "$1")"*) return 0 ;;
	esac
	return 1
}

# history_has TEXT: the history screen holds the whole of TEXT.
history_has() {
	shot
	_h=$(LC_ALL=C.UTF-8 sed 's/^│//; s/│$//' "$SCR" | tr -d ' \n')
	case $_h in
	*"$(nospace "$1")"*) return 0 ;;
	esac
	return 1
}

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_messages.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi
NEED=$(refs need "$T/demo")
SEARCH=$(refs owner_search "$T/demo")
CONCEPT=$(refs concept "$T/demo")
r_search=$(nth 1 "$SEARCH")
r_need=$(nth 1 "$NEED")

# The refusal the command line gives for the same move, without its
# command-line hint: what the board must show whole.
run env LANG=fr_FR.UTF-8 FAI_NOW=$NOW "$FAI" --db "$T/demo" move "$r_search" launched
GATE=$(sed 's/^fai: //; s/ (à compléter.*$//' "$ERR")
case $GATE in
"impossible de passer à l’étape « Activité lancée », champs à remplir : "?*) ;;
*)
	echo "test_messages.sh: unexpected refusal: $GATE" >&2
	exit 2
	;;
esac

# ================================ 1. a gate refusal read whole at 80x24
db=$(fresh gate80)
start gate80 80 24 "$db"
expect_sel "$r_need" "gate 80x24: the board opens"
key l l '>'
expect "Des champs obligatoires sont vides" "gate 80x24: > on $r_search is refused by the gate"
ok "gate 80x24: the refusal is read whole on the two lines above the keys" \
	"lines 22-23 do not hold \"$GATE\"" foot_has 22 23 "$GATE"
ok "gate 80x24: two lines are enough, no panel" "a panel opened" lacks "─ Erreur ─"
key Escape
ok "gate 80x24: Esc leaves the picker" "the picker stays" lacks "Des champs obligatoires sont vides"
# ?: the help lists M.
key '?'
expect "les messages de la séance, avec leur heure" "history: ? lists M, the messages of the session"
ok "history: the help writes the key M" "no line 'M  les messages'" \
	shows_re "│ M +les messages de la séance"
key Escape
# M: the refusal, with its local time, whole.
key M
expect "Messages, le plus récent en haut" "history: M opens the messages, newest first"
ok "history: the refusal is listed with its local time 11:00 (10:00 UTC in Paris)" \
	"no line '11:00  impossible de passer'" shows "│ 11:00  impossible de passer à l’étape"
ok "history: the refusal is whole there too" "the history does not hold \"$GATE\"" \
	history_has "11:00 $GATE"
key q
ok "history: q goes back to the board" "the history stays" lacks "Messages, le plus récent en haut"
check "gate 80x24: the refused idea stayed in Recherche" stage_is "$r_search" owner_search "$db"
quit_ok "gate 80x24: the board quits"

# ============================ 2. at 40x15: a panel, then two lines
db=$(fresh gate40)
start gate40 40 15 "$db"
expect_sel "$r_need" "gate 40x15: the board opens"
key l l '>'
expect "─ Erreur ─" "gate 40x15: the refusal, too long for two lines, opens a panel"
ok "gate 40x15: the panel holds the refusal whole" "the panel does not hold \"$GATE\"" \
	panel_has "$GATE"
expect "Échap : fermer" "gate 40x15: the panel says Esc closes it"
key Space
ok "gate 40x15: another key closes the panel too" "the panel stays" lacks "─ Erreur ─"
expect "Forcer le passage" "gate 40x15: the gate's choices are there under it, untouched"
key Escape
check "gate 40x15: the refused idea stayed in Recherche" stage_is "$r_search" owner_search "$db"
# Activité lancée has no next stage: a sentence of two lines at 40 cells.
key l '>'
ok "gate 40x15: 'pas d’étape suivante' is read whole on lines 13-14" \
	"lines 13-14 do not hold it" foot_has 13 14 "pas d’étape suivante ici ; choisissez-en une avec m"
key M
expect "Messages, le plus récent" "gate 40x15: M opens the history"
ok "gate 40x15: the newest message comes first, with its time" \
	"line 2 is not the newest" eval 'shot && line 2 | grep -q "│ 11:00  pas d’étape suivante"'
ok "gate 40x15: the refusal is listed whole, wrapped" "the history does not hold it" \
	history_has "11:00 $GATE"
key q
quit_ok "gate 40x15: the board quits"

# ======================= 2b. the history keeps the last 200 messages
# The gate refusal first, then 199 others (Esc's "rien n'a changé", 197 <
# and a u): it is still the oldest; one more and it is gone.
db=$(fresh cap)
start cap 80 24 "$db"
expect_sel "$r_need" "cap: the board opens"
key l l '>'
expect "Des champs obligatoires sont vides" "cap: the refusal, the first message"
key Escape h h
ok "cap: back in Besoin" "the picker stays" lacks "Des champs obligatoires sont vides"
i=0
while [ $i -lt 197 ]; do
	key '<'
	i=$((i + 1))
done
key u
expect "rien à annuler" "cap: 200 messages said"
key M G
expect "Messages, le plus récent" "cap: M opens the history"
ok "cap: with 200 messages the refusal is still the oldest, at the end" \
	"no refusal at the end of the history" shows "│ 11:00  impossible de passer à l’étape"
key q '<' M G
expect "Messages, le plus récent" "cap: M opens the history again"
ok "cap: the 201st message pushed the refusal out" "the refusal is still listed" \
	lacks "impossible de passer"
key q
quit_ok "cap: the board quits"

# ============ 3. the $EDITOR failure says where the text is kept, whole
db=$(fresh editor)
keep=$T/un-dossier-temporaire-au-nom-assez-long-pour-depasser-deux-lignes/et-encore-un-sous-dossier-de-la-fabrique-a-initiatives
mkdir -p "$keep"
start editor 80 24 "$db" "TMPDIR='$keep'" EDITOR=false VISUAL=false
expect_sel "$r_need" "editor: the board opens"
key E
expect "─ Erreur ─" "editor: the failed \$EDITOR opens a panel (the path is long)"
kept=$(ls "$keep"/fai-"$r_need"-*.txt 2> /dev/null | head -n 1)
check "editor: the text is kept in \$TMPDIR" test -n "$kept"
ok "editor: the panel names the kept file whole" "the panel does not hold $kept" \
	panel_has "l’éditeur a échoué (code 1) ; votre texte est conservé dans $kept"
key Escape
ok "editor: Esc closes the panel" "the panel stays" lacks "─ Erreur ─"
expect_sel "$r_need" "editor: Esc did nothing else (the selection stays)"
key M
ok "editor: M lists the failure with the file, whole" "the history does not hold it" \
	history_has "11:00 l’éditeur a échoué (code 1) ; votre texte est conservé dans $kept"
key q
quit_ok "editor: the board quits"

# ============ 3b. a conflict's revisions, whole, above the prompt
# A colleague changes the idea while a comment is typed: the refusal and
# its revisions are read whole on the lines above the prompt that asks
# again, at 80x24 and, in a panel, at 40x15.
for size in "80 24" "40 15"; do
	set -- $size
	db=$(fresh "conflict$1")
	start "conflict$1" "$1" "$2" "$db"
	expect_sel "$r_need" "conflict $1x$2: the board opens"
	key c
	expect "Commentaire" "conflict $1x$2: c asks for the comment"
	typ "Rendez-vous pris avec la mairie"
	run env LANG=fr_FR.UTF-8 "$FAI" --db "$db" edit "$r_need" --set "theme=Autre thème"
	key Enter
	expect "(modifiée entre-temps" "conflict $1x$2: the prompt asks again"
	CONF="l’idée $r_need a été modifiée entre-temps par $(id -un) (révision"
	if [ "$1" = 80 ]; then
		ok "conflict 80x24: the refusal with its revisions is whole above the prompt" \
			"lines 17-20, above the prompt, do not hold it" \
			eval 'foot_has 17 20 "$CONF" && foot_has 17 20 "vous aviez la" && foot_has 17 20 "puis recommencez"'
	else
		ok "conflict 40x15: the refusal with its revisions is whole in a panel" \
			"the panel does not hold it" \
			eval 'panel_has "$CONF" && panel_has "vous aviez la" && panel_has "puis recommencez"'
		key Escape
		ok "conflict 40x15: Esc closes the panel" "the panel stays" lacks "─ Erreur ─"
		expect "(modifiée entre-temps" "conflict 40x15: Esc left the prompt alone"
	fi
	key Enter
	expect "Commentaire ajouté" "conflict $1x$2: Enter adds it anyway"
	run "$FAI" --db "$db" show "$r_need"
	check_out "Rendez-vous pris avec la mairie" "conflict $1x$2: the comment typed before the conflict is the one added"
	quit_ok "conflict $1x$2: the board quits"
done

# ============================== 4. a move over the WIP limit says so
db=$(fresh wip)
n=$(count "$CONCEPT")
run "$FAI" --db "$db" config wip.concept "$n"
check_rc 0 "wip: the limit of Concept is set at its count, $n"
start wip 80 24 "$db"
expect_sel "$r_need" "wip: the board opens"
ok "wip: Concept at its limit carries no mark" "the header shows !$n/$n" lacks "!$n/$n"
key '>'
WIPMSG="$r_need passe à l’étape « Concept » ; la colonne Concept compte maintenant $((n + 1)) idées, au-delà de sa limite de $n"
ok "wip: the move says the column is over its limit" "lines 22-23 do not hold \"$WIPMSG\"" \
	foot_has 22 23 "$WIPMSG"
check "wip: the move happened all the same" stage_is "$r_need" concept "$db"
ok "wip: the header of Concept carries ! before $((n + 1))/$n" "no !$((n + 1))/$n on line 1" \
	eval 'shot && line 1 | grep -qF "!$((n + 1))/$n"'
quit_ok "wip: the board quits"
# Under a limit, nothing is said.
db=$(fresh wipok)
run "$FAI" --db "$db" config wip.concept "$((n + 5))"
start wipok 80 24 "$db"
expect_sel "$r_need" "wip under: the board opens"
key '>'
expect "$r_need passe à l’étape « Concept »" "wip under: the move is said"
ok "wip under: nothing about the limit" "the limit is mentioned" lacks "au-delà de sa limite"
quit_ok "wip under: the board quits"

# ==================== 5. the over-limit mark under vt100 and NO_COLOR
db=$(fresh mark)
run "$FAI" --db "$db" config wip.concept "$((n - 1))"
for how in "TERM=vt100" "NO_COLOR=1"; do
	name=mark$(echo "$how" | tr -cd 'a-z0-9')
	start "$name" 80 24 "$db" "$how"
	expect "Besoin" "mark $how: the board opens"
	ok "mark $how: the over-limit header carries ! ($n/$((n - 1)))" \
		"no !$n/$((n - 1)) on line 1" eval 'shot && line 1 | grep -qF "!$n/$((n - 1))"'
	ok "mark $how: the current column (Besoin) has no mark" "Besoin has a !" \
		eval 'shot && line 1 | grep -qE "^Besoin +[0-9]+│"'
	quit_ok "mark $how: the board quits"
done
# 40x15: the short labels keep the mark.
start mark40 40 15 "$db" TERM=vt100
expect "Besoin" "mark 40x15: the board opens"
key l
ok "mark 40x15: the over-limit header carries ! too" "no !$n/$((n - 1)) on line 1" \
	eval 'shot && line 1 | grep -qF "!$n/$((n - 1))"'
quit_ok "mark 40x15: the board quits"

finish
