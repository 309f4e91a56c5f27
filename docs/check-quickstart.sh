#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The quick start of docs/mainpage.md must build and run as printed.
#   check-quickstart.sh MAINPAGE INCLUDE_DIR LIB_DIR CC [CFLAGS...]
set -eu
page=$1 include=$2 libdir=$3 cc=$4
shift 4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apmatrix-qs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
awk '/^```c$/ { f = 1; next } /^```$/ { f = 0 } f' "$page" >"$tmp/quickstart.c"
[ -s "$tmp/quickstart.c" ] || { echo "FAIL: no C block in $page" >&2; exit 1; }
"$cc" "$@" -std=c99 -Wall -Wextra -Werror -I"$include" -o "$tmp/quickstart" \
	"$tmp/quickstart.c" -L"$libdir" -lapmatrix
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$tmp/quickstart" >"$tmp/out"
cat "$tmp/out"
# Both mdevs are active and share 04.0047: one error finding.
grep -Eq '^3 shared-apqns: .*04\.0047' "$tmp/out" ||
	{ echo "FAIL: no shared-apqns error for 04.0047" >&2; exit 1; }
