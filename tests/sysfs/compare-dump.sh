#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# compare-dump.sh PYTHON ROOT HOST-DUMP...: the library's snapshot of the
# sysfs tree ROOT (host-dump) must equal what sysfs-dump.py reads there.
set -u
py=$1 root=$2
shift 2
here=$(dirname "$0")
want=$(mktemp) got=$(mktemp)
trap 'rm -f "$want" "$got"' EXIT
"$py" "$here/sysfs-dump.py" "$root" >"$want" || exit 1
"$@" --root "$root" --predict >"$got" || { cat "$got"; exit 1; }
if ! diff -u "$want" "$got"; then
	echo "FAIL: host-dump (+) differs from sysfs-dump.py (-) for $root" >&2
	exit 1
fi
echo "$(wc -l <"$got") lines agree"
