#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run one example for ctest and check what it did.
#
#   run-example.sh [--status N] [--expect ERE]... [--reject ERE]... -- CMD...
#
# Passes when CMD exits with status N (default 0), its standard output
# matches every --expect extended regular expression and none of the
# --reject ones. (PASS_REGULAR_EXPRESSION alone would ignore the exit
# status, and with it a valgrind or sanitizer failure.)
set -u

status=0
expects=
rejects=
nl='
'
while [ $# -gt 0 ]; do
	case $1 in
	--status) status=$2; shift 2 ;;
	--expect) expects="$expects$2$nl"; shift 2 ;;
	--reject) rejects="$rejects$2$nl"; shift 2 ;;
	--) shift; break ;;
	*) echo "run-example.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

out=$(mktemp "${TMPDIR:-/tmp}/apmatrix-example.XXXXXX")
trap 'rm -f "$out"' EXIT
"$@" >"$out"
rc=$?
cat "$out"

bad=0
if [ "$rc" -ne "$status" ]; then
	echo "FAIL: exit status $rc, expected $status" >&2
	bad=1
fi
printf '%s' "$expects" | while IFS= read -r re; do
	[ -n "$re" ] || continue
	grep -Eq -- "$re" "$out" || { echo "FAIL: no output line matches: $re" >&2; exit 1; }
done || bad=1
printf '%s' "$rejects" | while IFS= read -r re; do
	[ -n "$re" ] || continue
	if grep -Eq -- "$re" "$out"; then echo "FAIL: output matches: $re" >&2; exit 1; fi
done || bad=1
exit $bad
