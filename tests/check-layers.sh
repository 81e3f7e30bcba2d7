#!/bin/sh
# Fails when a library is included outside its layer: lmdb/csv only in
# store/, curses only in tui/, and core/ includes no project layer above it.
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
[ $bad -eq 0 ] && echo "layers: ok"
exit $bad
