#!/bin/sh
# review_fixture.sh - builds the store of fixtures/review.fai: runs each line
# "WHEN COMMAND ARGS..." as `FAI_NOW=WHEN $FAI --db STORE COMMAND ARGS`,
# the arguments split and unquoted as a POSIX shell does ($FIXTURES names
# the fixtures directory).  Stops at the first command that fails, naming
# its line.
#
# Usage: FAI=build/fai sh tests/cli/review_fixture.sh STORE
# (STORE must not exist yet; the first line of the fixture creates it.)

if [ -z "${FAI:-}" ] || [ $# -ne 1 ]; then
	echo "usage: FAI=path/to/fai sh $0 STORE" >&2
	exit 2
fi
db=$1
FIXTURES=$(cd "$(dirname "$0")/../../fixtures" && pwd)
fixture=$FIXTURES/review.fai
export FIXTURES
n=0
while IFS= read -r line || [ -n "$line" ]; do
	n=$((n + 1))
	case $line in
	'' | '#'*) continue ;;
	esac
	when=${line%% *}
	args=${line#* }
	eval "set -- $args" || {
		echo "$fixture:$n: cannot split the line" >&2
		exit 1
	}
	if ! FAI_NOW=$when "$FAI" --db "$db" "$@" > /dev/null; then
		echo "$fixture:$n: failed: $line" >&2
		exit 1
	fi
done < "$fixture"
exit 0
