#!/bin/sh
# test_filters.sh - the board's filters as a French facilitator uses them
# (issue 12): kinds that combine (région + animateur + sans activité), the
# banner above the status line with the count of hidden ideas, F to remove
# one, x to clear the search and every filter, Esc that changes nothing,
# the region picked from a list with names and the facilitator from the
# people of the store.  The real binary in detached tmux sessions under
# LANG=fr_FR.UTF-8 on copies of the demo store; what the board shows is
# compared with `fai list` given the same filters (one rule, core/filter.c).
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
tmx_init

S=
SCR=$T/screen
. "$(dirname "$0")/lib_board.sh"

# start NAME DB [COLS ROWS]: the board on DB, in French.
start() {
	S=$1
	tmx new-session -d -s "$1" -x "${3:-80}" -y "${4:-24}" \
		"env LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 TERM=xterm-256color FAI_NOW=$NOW sh '$T/run-board' '$FAI' --db '$2'"
}

fresh() {
	rm -rf "${T:?}/$1"
	cp -R "$T/demo" "$T/$1"
	echo "$T/$1"
}

if ! FAI_NOW=$NOW "$FAI" --db "$T/demo" demo > "$T/demo.out" 2>&1; then
	echo "test_filters.sh: fai demo failed:" >&2
	cat "$T/demo.out" >&2
	exit 2
fi

# nlist [OPTION...]: how many ideas `fai list` keeps with these options.
nlist() {
	FAI_NOW=$NOW "$FAI" --db "$T/demo" list "$@" --format tsv 2> /dev/null |
		tail -n +2 | grep -c .
}
# want [OPTION...]: the board's header counts for these filters.
want() {
	for _st in need concept owner_search launched; do
		nlist --stage "$_st" "$@"
	done | tr '\n' ' '
}
# hidden [OPTION...]: the pipeline's ideas these filters hide.
hidden() {
	_all=0
	for _n in $(want); do _all=$((_all + _n)); done
	_kept=0
	for _n in $(want "$@"); do _kept=$((_kept + _n)); done
	echo $((_all - _kept))
}
board_counts() {
	shot
	line 1 | sed 's/│/\n/g' | sed -n 's/.* \([0-9][0-9]*\)$/\1/p' | tr '\n' ' '
}
counts_are() { [ "$(board_counts)" = "$1" ]; }
# banner: the banner's lines (those from "Filtre :" to the status line),
# joined by one space.
banner() {
	shot
	awk '/^Filtre : /{on = 1} on && /^ [^ ]* · /{exit} on {printf "%s%s", sep, $0; sep = " "}' "$SCR" |
		sed 's/  *$//'
}
banner_is() { [ "$(banner)" = "$1" ]; }
banner_has() { banner | grep -qF -e "$1"; }

# pick_line TEXT: from the picker on screen, the j presses from its
# first item to the item holding TEXT.
pick_steps() {
	shot
	_top=$(grep -n -e "$1" "$SCR" | head -n 1 | cut -d: -f1)
	_it=$(grep -nF -e "$2" "$SCR" | head -n 1 | cut -d: -f1)
	echo $((_it - _top))
}
# press_j N / press_k N: N presses of j / k.
press_j() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		key j
		_i=$((_i + 1))
	done
}
press_k() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		key k
		_i=$((_i + 1))
	done
}

ALL=$(want)
FAC="Claire Mercier"
R84=$(want --region 84)
R84F=$(want --region 84 --facilitator "$FAC")
H84=$(hidden --region 84)
H84F=$(hidden --region 84 --facilitator "$FAC")
N84=$(nlist --region 84)
N93=$(nlist --region 93)
NFAC=$(nlist --facilitator "$FAC")
case "$R84F" in
"0 0 0 0 ") fail "the demo has ideas of région 84 followed by $FAC" "fai list finds none" ;;
esac
[ "$N93" = 1 ] || fail "the demo has one idea in région 93 (the singular is checked)" "fai list finds $N93"

# ============================================ the region picked by name
db=$(fresh names)
start names "$db"
expect "Activité lancée" "names: the board opens"
ok "names: no banner while nothing is filtered" "a banner is on the screen" lacks "Filtre :"
key f
expect "Filtrer par" "names: f offers the kinds of filter"
key Enter
expect "Saisir un code…" "names: Région opens a list whose first item types a code"
expect "84  Auvergne-Rhône-Alpes — $N84 idées" "names: the list names région 84 with its ideas ($N84)"
expect "93  Provence-Alpes-Côte d'Azur — 1 idée" "names: one idea is said in the singular"
expect "53  Bretagne — " "names: Bretagne is listed"
expect "02  Martinique — 0 idée" "names: a region without ideas is listed too"
key Escape
ok "names: Esc on the region list changes nothing" "the counts are not $ALL" \
	eval 'lacks "Saisir un code" && counts_are "$ALL" && lacks "Filtre :"'
key f Enter
expect "Saisir un code…" "names: the list again"
press_j "$(pick_steps "Saisir un code" "84  Auvergne")"
key Enter
ok "names: 84 picked from the list filters the board as fai list --region 84 ($R84)" \
	"the header counts are not $R84" counts_are "$R84"
ok "names: the banner names the region and counts the hidden ideas" \
	"the banner is \"$(banner)\"" \
	banner_is "Filtre : région 84 (Auvergne-Rhône-Alpes) — $H84 idées masquées · x : tout effacer"
ok "names: the status line no longer repeats the filter" "'· 84' on the status line" lacks "· 84"
key f Enter
expect "Saisir un code…" "names: the list again, on the region filtered (84)"
ok "names: the list opens on the region filtered" "84 is not the selected item" \
	eval 'shot_e && grep "84  Auvergne" "$SCR.e" | grep -q "$E\\[[0-9;]*7m"'
press_k "$(pick_steps "Saisir un code" "84  Auvergne")"
key Enter
expect "Code région (par exemple 84) :" "names: the first item asks for a code"
key C-u
typ 99
key Enter
expect "99 n’est pas un code de région" \
	"names: a code that is no region is refused, said in French"
ok "names: the refused code left région 84 on" "the counts are not $R84" \
	eval 'counts_are "$R84" && banner_has "région 84"'
key f Enter
expect "Saisir un code…" "names: the list once more"
press_k "$(pick_steps "Saisir un code" "84  Auvergne")"
key Enter
expect "Code région (par exemple 84) :" "names: the code prompt again"
key C-u
typ 53
key Enter
ok "names: a typed code replaces the region (53 instead of 84)" \
	"the counts are not $(want --region 53)" \
	eval 'counts_are "$(want --region 53)" && banner_has "région 53 (Bretagne)" && ! banner_has "région 84"'
quit_ok "names: the board quits"

# ============================= région 84 then animateur: both hold (AND)
db=$(fresh combine)
start combine "$db"
expect "Activité lancée" "combine: the board opens"
key f Enter Enter
expect "Code région" "combine: f, Région, type a code"
typ 84
key Enter
ok "combine: région 84 is on" "the counts are not $R84" counts_are "$R84"
key f j j Enter
expect "Saisir une partie du nom…" "combine: Animateur lists the people of the store"
expect "$FAC — $NFAC idées" "combine: $FAC is listed with her ideas ($NFAC)"
ok "combine: the people are sorted" "the list is not in order" \
	eval 'shot && grep -o "│ [A-Z].* — [0-9]* idée" "$SCR" | sed "s/^│ //; s/ — .*//" > "$T/people" && [ -s "$T/people" ] && LC_ALL=C sort -c "$T/people"'
ok "combine: each person once" "a name is listed twice" \
	eval '[ "$(sort "$T/people" | uniq -d)" = "" ]'
press_j "$(pick_steps "Saisir une partie du nom" "$FAC —")"
key Enter
ok "combine: région 84 and $FAC hold together, as fai list --region 84 --facilitator ($R84F)" \
	"the header counts are not $R84F" counts_are "$R84F"
ok "combine: the banner shows both and the hidden count ($H84F), on two lines at 80 columns, never cut" \
	"the banner is \"$(banner)\"" \
	banner_is "Filtre : région 84 · animateur $FAC — $H84F idées masquées x : tout effacer"
ok "combine: nothing on the banner is cut" "a … on the banner" eval '! banner_has "…"'
# Esc on a filter prompt leaves the filters as they were
key f j j j Enter
expect "Mot-clé :" "combine: Mot-clé asks for a tag"
typ velo
key Escape
ok "combine: Esc on the tag prompt leaves both filters (counts $R84F)" \
	"the counts are not $R84F" eval 'lacks "Mot-clé :" && counts_are "$R84F"'
ok "combine: Esc left the banner as it was" "the banner is \"$(banner)\"" \
	eval 'banner_has "région 84" && banner_has "animateur $FAC" && ! banner_has "mot-clé"'
key f j j Enter
expect "Saisir une partie du nom…" "combine: the people again"
key Escape
ok "combine: Esc on the people's list leaves both filters" "the counts are not $R84F" \
	eval 'counts_are "$R84F" && banner_has "animateur $FAC"'
# a third kind: sans activité
key f j j j j Enter
# stale_days: the days the banner says (polled: the screen may lag).
stale_days() {
	D=$(banner | sed -n 's/.*sans activité depuis \([0-9]*\) jours.*/\1/p')
	[ -n "$D" ]
}
ok "combine: Idées sans activité adds a third filter, said with its days" \
	"no 'sans activité depuis N jours' on the banner" stale_days
R84FS=$(want --region 84 --facilitator "$FAC" --stale "${D:-30}")
ok "combine: three kinds hold together, as fai list --region --facilitator --stale ($R84FS)" \
	"the counts are not $R84FS" counts_are "$R84FS"
# F removes one
key F
expect "Retirer quel filtre ?" "remove: F lists the filters on"
expect "Tout retirer" "remove: F offers to remove them all"
ok "remove: F lists the region with its name and the person" "an item is missing" \
	eval 'shows "région 84 (Auvergne-Rhône-Alpes)" && shows "animateur $FAC" && shows "sans activité depuis"'
key Enter
RF=$(want --facilitator "$FAC" --stale "${D:-30}")
ok "remove: F then Enter removes the region only (counts $RF)" "the counts are not $RF" \
	counts_are "$RF"
ok "remove: the banner no longer says région 84, still the rest" "the banner is \"$(banner)\"" \
	eval '! banner_has "région 84" && banner_has "animateur $FAC" && banner_has "sans activité"'
key Escape
# x removes all, the search too
typ /
expect "Échap : annuler" "clear: / opens the search"
typ solidaire
key Enter
ok "clear: the banner shows the search beside the filters" "the banner is \"$(banner)\"" \
	eval 'banner_has "recherche « solidaire »" && banner_has "animateur $FAC"'
key x
ok "clear: x brings every card back" "the counts are not $ALL" counts_are "$ALL"
ok "clear: x removes the banner" "the banner is still there" lacks "Filtre :"
expect "recherche et filtres effacés" "clear: x says what it did"
key x
expect "aucune recherche ni aucun filtre à effacer" "clear: x with nothing on says so"
key F
expect "aucune recherche ni aucun filtre à effacer" "clear: F with nothing on says so"
key '?'
expect "Touches" "help: ? opens the help"
ok "help: the help lists F and x" "no row for f F x" shows_re "f F x +filtres \(cumulables\)"
key x
quit_ok "combine: the board quits"

# ======================================= narrow: the banner wraps, whole
db=$(fresh narrow)
start narrow "$db" 40 15
expect "Besoin" "narrow: the board opens at 40x15"
key f Enter Enter
expect "Code région" "narrow: a region code"
typ 84
key Enter
key f j j Enter
expect "Saisir une partie du nom…" "narrow: the people"
press_j "$(pick_steps "Saisir une partie du nom" "$FAC —")"
key Enter
typ /
typ "tiers-lieu"
key Enter
ok "narrow: at 40 columns the banner keeps every part, wrapped, nothing cut" \
	"the banner is \"$(banner)\"" \
	eval 'banner_has "région 84" && banner_has "animateur $FAC" && banner_has "recherche « tiers-lieu »" && banner_has "x : tout effacer" && ! banner_has "…"'
ok "narrow: a card still shows above the banner" "no column header or card" \
	eval 'shot && line 1 | grep -q "Besoin"'
quit_ok "narrow: the board quits"

finish
