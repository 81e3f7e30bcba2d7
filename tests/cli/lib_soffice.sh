# lib_soffice.sh - LibreOffice Calc (headless) as the spreadsheet that opens
# our files and saves them back, for the command-line tests (POSIX sh,
# sourced after lib.sh, which sets $T).
#
#     . "$(dirname "$0")/lib.sh"
#     . "$(dirname "$0")/lib_soffice.sh"
#     so_init || { skip ...; finish; }     # or fail: see test_spreadsheet.sh
#     so_csv_to_xlsx "$T/x.csv" "$T/x.xlsx"
#
# Calc runs as a French user would have it: LC_ALL=fr_FR.UTF-8 and
# TZ=Europe/Paris (unless TZ is set), with its own profile in $T/soffice
# (HOME and -env:UserInstallation: runs never share a profile, and the
# user's own is never touched).  One conversion at a time (soffice runs in
# the foreground; two at once on one profile would meet), each bounded by
# $SO_TIMEOUT seconds (60 by default; a conversion takes about 2 s).
#
# Every conversion: so_convert IN OUT FILTER [INFILTER] opens IN (a CSV
# with the import options INFILTER, else by its kind) and saves it as OUT
# through the export FILTER.  It fails (status 1, the reason on stderr and
# in $T/soffice.log) when soffice fails, times out, or writes nothing.
#
# The CSV filter options (LibreOffice's "Filter Options for CSV"): field
# separator 59 (;), text delimiter 34 ("), character set 76 (UTF-8) or 1
# (Windows-1252), first line 1.  The other tokens keep Calc's defaults, so
# values are read and written as Calc does for a person who opens the file
# and saves it: "01" read as the number 1, a date saved as it is shown.

SO_TIMEOUT=${SO_TIMEOUT:-60}
SO_FILTER_CSV_UTF8='Text - txt - csv (StarCalc):59,34,76,1'
SO_FILTER_CSV_1252='Text - txt - csv (StarCalc):59,34,1,1'
SO_IN_CSV_UTF8='CSV:59,34,76,1'
SO_FILTER_XLSX='Calc MS Excel 2007 XML'

# so_init: finds soffice and the fr_FR.UTF-8 locale and prepares the
# profile.  Status 1, saying what is missing on stderr, when it cannot.
so_init() {
	SO_BIN=$(command -v soffice 2> /dev/null)
	if [ -z "$SO_BIN" ]; then
		echo "lib_soffice.sh: soffice is missing (apt-get install libreoffice-calc-nogui)" >&2
		return 1
	fi
	if ! locale -a 2> /dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
		echo "lib_soffice.sh: the fr_FR.UTF-8 locale is missing (make deps generates it)" >&2
		return 1
	fi
	if ! command -v timeout > /dev/null 2>&1; then
		echo "lib_soffice.sh: timeout(1) is missing" >&2
		return 1
	fi
	SO_HOME=$T/soffice
	mkdir -p "$SO_HOME/home" "$SO_HOME/out" || return 1
	SO_TZ=${TZ:-Europe/Paris}
	SO_N=0
	return 0
}

# so_convert IN OUT FILTER [INFILTER]: one conversion (see the head).
so_convert() {
	_in=$1
	_to=$2
	_filter=$3
	_infilter=${4:-}
	SO_N=$((SO_N + 1))
	_od=$SO_HOME/out/$SO_N
	mkdir -p "$_od" || return 1
	_ext=${_to##*.}
	_base=$(basename "$_in")
	_base=${_base%.*}
	set -- --headless --norestore --nolockcheck --nodefault \
		"-env:UserInstallation=file://$SO_HOME/profile" \
		--convert-to "$_ext:$_filter" --outdir "$_od"
	if [ -n "$_infilter" ]; then
		set -- "$@" "--infilter=$_infilter"
	fi
	# soffice reads the name of its input after its options
	env HOME="$SO_HOME/home" LC_ALL=fr_FR.UTF-8 LANG=fr_FR.UTF-8 \
		TZ="$SO_TZ" timeout -k 5 "$SO_TIMEOUT" \
		"$SO_BIN" "$@" "$_in" > "$SO_HOME/last.log" 2>&1 < /dev/null
	_rc=$?
	cat "$SO_HOME/last.log" >> "$T/soffice.log"
	if [ "$_rc" -eq 124 ] || [ "$_rc" -eq 137 ]; then
		echo "lib_soffice.sh: soffice took more than $SO_TIMEOUT s on $_in" >&2
		return 1
	fi
	if [ ! -s "$_od/$_base.$_ext" ]; then
		echo "lib_soffice.sh: soffice (exit $_rc) wrote no $_base.$_ext from $_in:" >&2
		sed 's/^/    /' "$SO_HOME/last.log" >&2
		return 1
	fi
	mv "$_od/$_base.$_ext" "$_to"
}

# so_csv_to_xlsx IN.csv OUT.xlsx: opens a CSV (;, UTF-8) and saves it as XLSX.
so_csv_to_xlsx() { so_convert "$1" "$2" "$SO_FILTER_XLSX" "$SO_IN_CSV_UTF8"; }

# so_xlsx_to_csv IN.xlsx OUT.csv [utf8|cp1252]: opens a workbook (its first
# sheet) and saves it as CSV, ; separated, in UTF-8 (default) or
# Windows-1252.
so_xlsx_to_csv() {
	case ${3:-utf8} in
	utf8) so_convert "$1" "$2" "$SO_FILTER_CSV_UTF8" ;;
	cp1252) so_convert "$1" "$2" "$SO_FILTER_CSV_1252" ;;
	*) echo "so_xlsx_to_csv: utf8 or cp1252, not $3" >&2; return 1 ;;
	esac
}

# so_csv_to_csv IN.csv OUT.csv [utf8|cp1252]: opens our excel-fr CSV as
# ; UTF-8 and saves it as CSV ; in UTF-8 (default) or Windows-1252.
so_csv_to_csv() {
	case ${3:-utf8} in
	utf8) so_convert "$1" "$2" "$SO_FILTER_CSV_UTF8" "$SO_IN_CSV_UTF8" ;;
	cp1252) so_convert "$1" "$2" "$SO_FILTER_CSV_1252" "$SO_IN_CSV_UTF8" ;;
	*) echo "so_csv_to_csv: utf8 or cp1252, not $3" >&2; return 1 ;;
	esac
}

# so_xlsx_to_xlsx IN.xlsx OUT.xlsx: opens our workbook and saves it again.
so_xlsx_to_xlsx() { so_convert "$1" "$2" "$SO_FILTER_XLSX"; }
