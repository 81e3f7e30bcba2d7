#!/bin/sh
# test_editor.sh - `fai edit REF` through $EDITOR: saving, cancelling,
# invalid text, a failing editor, and a colleague's change meanwhile.  The
# editors are small sh scripts; a person's text must never be lost.
. "$(dirname "$0")/lib.sh"

NOW=2026-01-10T10:00:00Z
db=$(mkstore editor 84)
export FAI_NOW="$NOW"
fai() { "$FAI" --db "$db" "$@"; }
ed=$T/editors
mkdir -p "$ed"
# kept: prints the path of the file named in "kept in PATH" on stderr.
kept() { sed -n 's/.*kept in \([^ ;]*\).*/\1/p' "$ERR" | head -n 1; }
nkept() { find "$TMPDIR" -name 'fai-*' | wc -l | tr -d ' '; }

fai add --title "Tiers-lieu rural" --theme "Lien social" --need "Une ligne" > /dev/null

# ---------------------------------------------------------------- save
cat > "$ed/change" <<'EOF'
#!/bin/sh
# Changes the theme and makes the need two lines long.
cp "$1" "$(dirname "$1")/seen-template"
sed -e 's/^theme:.*/theme: Alimentation durable/' \
    -e 's/^need:.*/need: Première ligne du besoin/' "$1" > "$1.x"
awk '{ print } /^need:/ { print "  deuxième ligne, accentuée"; print "  "; print "  troisième après un blanc" }' "$1.x" > "$1"
rm -f "$1.x"
EOF
run env EDITOR="sh $ed/change" "$FAI" --db "$db" edit 84-0001
check_rc 0 "edit through EDITOR exits 0"
check_out "84-0001" "the save names the idea"
check "the template starts with '#' help lines" grep -q '^# ' "$TMPDIR/seen-template"
check "the template holds 'theme: Lien social'" grep -qx 'theme: Lien social' "$TMPDIR/seen-template"
check "the template holds 'title: Tiers-lieu rural'" grep -qx 'title: Tiers-lieu rural' "$TMPDIR/seen-template"
rm -f "$TMPDIR/seen-template"
check_eq "$(field 84-0001 theme "$db")" "Alimentation durable" "the new theme is saved"
check_eq "$(field 84-0001 need "$db")" 'Première ligne du besoin\ndeuxième ligne, accentuée\n\ntroisième après un blanc' \
	"the multi-line need is saved (tsv escapes newlines)"
check_eq "$(field 84-0001 revision "$db")" 2 "the save is one new revision"
run fai show 84-0001
check_out "Alimentation durable" "show shows the new theme"
check "show shows the need's second line, indented" grep -qx '  deuxième ligne, accentuée' "$OUT"
run fai log 84-0001
check_out "edited Theme, Need" "the log names the edited fields"
check_eq "$(nkept)" 0 "a successful edit leaves no temporary file"

# VISUAL wins over EDITOR.
printf '#!/bin/sh\nsed "s/^theme:.*/theme: Par VISUAL/" "$1" > "$1.x" && mv "$1.x" "$1"\n' > "$ed/visual"
printf '#!/bin/sh\nsed "s/^theme:.*/theme: Par EDITOR/" "$1" > "$1.x" && mv "$1.x" "$1"\n' > "$ed/editor"
run env VISUAL="sh $ed/visual" EDITOR="sh $ed/editor" "$FAI" --db "$db" edit 84-0001
check_rc 0 "edit with VISUAL and EDITOR exits 0"
check_eq "$(field 84-0001 theme "$db")" "Par VISUAL" "VISUAL wins over EDITOR"

# An editor that changes nothing, or only comments.
printf '#!/bin/sh\nexit 0\n' > "$ed/noop"
run env EDITOR="sh $ed/noop" "$FAI" --db "$db" edit 84-0001
check_rc 0 "an editor that changes nothing: exit 0"
check_out "No change" "...says No change"
printf '#!/bin/sh\necho "# une remarque" >> "$1"\n' > "$ed/comment"
rev=$(field 84-0001 revision "$db")
run env EDITOR="sh $ed/comment" "$FAI" --db "$db" edit 84-0001
check_rc 0 "an editor that only adds a comment line: exit 0"
check_eq "$(field 84-0001 revision "$db")" "$rev" "a comment line changes nothing"

# A field left empty after the colon is emptied.
printf '#!/bin/sh\nsed "s/^theme:.*/theme:/" "$1" > "$1.x" && mv "$1.x" "$1"\n' > "$ed/clear"
run env EDITOR="sh $ed/clear" "$FAI" --db "$db" edit 84-0001
check_rc 0 "emptying a field in the editor: exit 0"
check_eq "$(field 84-0001 theme "$db")" "" "the emptied field is cleared"

# ---------------------------------------------------------------- cancel
snap "$db"
printf '#!/bin/sh\n: > "$1"\n' > "$ed/empty"
run env EDITOR="sh $ed/empty" "$FAI" --db "$db" edit 84-0001
check_rc 0 "an editor that empties the file: exit 0"
check_out "cancelled" "...says cancelled"
check "a cancelled edit changes nothing" same_as_snap "$db"
check_eq "$(nkept)" 0 "a cancelled edit leaves no file"

# ---------------------------------------------------------------- invalid
cat > "$ed/badsiret" <<'EOF'
#!/bin/sh
sed -e 's/^siret:.*/siret: 12345678901234/' -e 's/^theme:.*/theme: Mon texte précieux/' "$1" > "$1.x" && mv "$1.x" "$1"
EOF
run env EDITOR="sh $ed/badsiret" "$FAI" --db "$db" edit 84-0001
check_rc 2 "an editor writing an invalid SIRET: exit 2"
check_err "siret" "the message names the field"
check_err "12345678901234" "the message names the value"
f=$(kept)
check "the message says where the text is kept" test -n "$f"
check "the kept file exists" test -f "$f"
check "the kept file holds the person's text" grep -qx 'theme: Mon texte précieux' "$f"
line=$(sed -n "s|.*$f:\([0-9][0-9]*\): .*|\1|p" "$ERR" | head -n 1)
check "the message gives FILE:LINE" test -n "$line"
check "the line given is the siret line of the kept file" \
	sh -c 'sed -n "${1}p" "$2" | grep -q "^siret: 12345678901234"' sh "${line:-0}" "$f"
check "the invalid edit changed nothing" same_as_snap "$db"
rm -f "$f"

# ---------------------------------------------------------------- editor fails
cat > "$ed/fails" <<'EOF'
#!/bin/sh
sed 's/^theme:.*/theme: Écrit avant la panne/' "$1" > "$1.x" && mv "$1.x" "$1"
exit 1
EOF
run env EDITOR="sh $ed/fails" "$FAI" --db "$db" edit 84-0001
check "an editor that exits 1: non-zero status" test "$RC" -ne 0
check_err "editor" "the message blames the editor"
f=$(kept)
check "the text of a failed editor is kept" test -f "$f"
check "the kept file holds what was typed" grep -qx 'theme: Écrit avant la panne' "$f"
check "a failed editor changed nothing" same_as_snap "$db"
rm -f "$f"

run env EDITOR="$T/no/such/editor" "$FAI" --db "$db" edit 84-0001
check "a missing editor: non-zero status" test "$RC" -ne 0
check "a missing editor changed nothing" same_as_snap "$db"
rm -f "$TMPDIR"/fai-*

# --expect-rev: refused before the editor opens.
printf '#!/bin/sh\ntouch "%s/opened"\n' "$T" > "$ed/marker"
run env EDITOR="sh $ed/marker" "$FAI" --db "$db" edit 84-0001 --expect-rev 1
check_rc 3 "edit --expect-rev old, without --set: exit 3"
check "...and the editor was not opened" test ! -e "$T/opened"

# ---------------------------------------------------------------- concurrent change
# While the person edits, a colleague changes the title; the person's save is
# refused and their text kept.
cat > "$ed/colleague" <<EOF
#!/bin/sh
"$FAI" --db "$db" edit 84-0001 --set "title=Titre du collègue" > /dev/null || exit 9
sed 's/^theme:.*/theme: Mon changement à moi/' "\$1" > "\$1.x" && mv "\$1.x" "\$1"
EOF
rev=$(field 84-0001 revision "$db")
run env EDITOR="sh $ed/colleague" "$FAI" --db "$db" edit 84-0001
check_rc 3 "a colleague's change during the edit: exit 3"
check_err "$ME" "the conflict names who changed it"
f=$(kept)
check "the conflict message prints where the text is kept" test -n "$f"
check "the kept file exists" test -f "$f"
check "the kept file holds the person's change" grep -qx 'theme: Mon changement à moi' "$f"
check_eq "$(field 84-0001 title "$db")" "Titre du collègue" "the colleague's change stays"
check_eq "$(field 84-0001 theme "$db")" "" "the person's change was not saved over it"
check_eq "$(field 84-0001 revision "$db")" "$((rev + 1))" "only the colleague's revision was added"

run fai check
check_rc 0 "the store is consistent after all the edits"

finish
