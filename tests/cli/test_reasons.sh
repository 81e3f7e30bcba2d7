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
finish
