#!/bin/sh
# Fails when a library is included outside its layer: lmdb/csv only in
# store/, curses only in tui/, and core/ includes no project layer above it;
# and no screen of the board includes another screen's header.
bad=0
for f in $(grep -rlE '#include[[:space:]]*[<"](lmdb|csv)\.h[>"]' core tui 2>/dev/null); do
	echo "layering: $f includes LMDB or libcsv (store/ only)"; bad=1
done
for f in $(grep -rlE '#include[[:space:]]*[<"](n?cursesw?|ncursesw/curses)\.h[>"]' core store 2>/dev/null); do
	echo "layering: $f includes curses (tui/ only)"; bad=1
done
for f in $(grep -rlE '#include[[:space:]]*"\.\./(store|tui)/' core 2>/dev/null); do
	echo "layering: $f (core/) includes store/ or tui/"; bad=1
done
for f in $(grep -rlE '#include[[:space:]]*"\.\./tui/' store 2>/dev/null); do
	echo "layering: $f (store/) includes tui/"; bad=1
done
# The screens of the board (a tui/ file with a struct screen_ops, but the
# loop ui.c) ask the loop for one another (ui_request): a screen file
# includes no other screen's header, and ui.h none at all, so screens never
# call each other again (issue 11, the tui/ circle).
screens=$(grep -lE '^(static )?const struct screen_ops ' tui/*.c 2>/dev/null |
	grep -v '^tui/ui\.c$')
for f in $screens; do
	own=$(basename "$f" .c).h
	for s in $screens; do
		h=$(basename "$s" .c).h
		[ "$h" = "$own" ] && continue
		if grep -qE "#include[[:space:]]*\"$h\"" "$f"; then
			echo "screens: $f includes $h (another screen's header; ask the loop with ui_request)"; bad=1
		fi
	done
	if grep -qE "#include[[:space:]]*\"$own\"" tui/ui.h; then
		echo "screens: tui/ui.h includes $own (ui.h declares the loop only)"; bad=1
	fi
done
[ $bad -eq 0 ] && echo "layers: ok"
exit $bad
