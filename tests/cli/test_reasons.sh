#!/bin/sh
# test_reasons.sh - every reason a failure can give (the error codes and
# FAI_WHY_* of core/err.h, the problems of fai check in store/store.h) has
# its French in the catalogue fai uses, so no reason reaches a French user
# in English.  The sentences around them are tested where they are made
# (test_errors.sh, in both languages).
. "$(dirname "$0")/lib.sh"

mo="$BUILD/locale/fr/LC_MESSAGES/fai.mo"
check "the French catalogue is built" test -f "$mo"
# The texts of the X-macro lists: N_("...") on the lines of the lists.
texts=$(sed -n 's/.*X([A-Z_0-9]*, N_("\(.*\)")).*/\1/p' \
	"$(dirname "$0")/../../core/err.h" "$(dirname "$0")/../../store/store.h")
n=$(printf '%s\n' "$texts" | grep -c .)
[ "$n" -ge 60 ] && pass "the reason lists hold $n texts" ||
	fail "the reason lists hold $n texts" "fewer than 60: the sed no longer reads core/err.h"
untranslated=""
while IFS= read -r t; do
	[ -n "$t" ] || continue
	fr=$(TEXTDOMAINDIR="$BUILD/locale" LANGUAGE=fr LANG=fr_FR.UTF-8 \
		gettext -d fai -- "$t")
	[ "$fr" = "$t" ] && untranslated="$untranslated
  $t"
done <<EOT
$texts
EOT
if [ -z "$untranslated" ]; then
	pass "every reason has its French ($n texts)"
else
	fail "every reason has its French" "untranslated:$untranslated"
fi
# The French stage labels of exchange files (core/stage.c's label_fr) are
# the words the French interface shows (po/fr.po): one vocabulary.
pairs=$(python3 - "$(dirname "$0")/../../core/stage.c" << 'EOF'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
for en, fr in re.findall(r'N_\("([^"]*)"\),\s*"([^"]*)"\}', src):
    print(en + "\t" + fr)
EOF
)
n=$(printf '%s\n' "$pairs" | grep -c .)
check_eq 6 "$n" "core/stage.c has six stages with a French file label"
while IFS='	' read -r en fr; do
	[ -n "$en" ] || continue
	ui=$(TEXTDOMAINDIR="$BUILD/locale" LANGUAGE=fr LANG=fr_FR.UTF-8 \
		gettext -d fai -- "$en")
	check_eq "$fr" "$ui" "the file's label of \"$en\" is the interface's French"
done <<EOT
$pairs
EOT
finish
