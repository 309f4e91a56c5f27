#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The programs of a guide must work as printed: the ```c block is compiled
# and the ```python block run, both with a sysfs and an etc fixture root;
# both must exit with STATUS, print the same lines, and print the line of
# the guide's first plain ``` block.
#   check-guide.sh PAGE STATUS SYSFS ETC INCLUDE_DIR LIB_DIR PYTHON CC [CFLAGS...]
set -eu
page=$1 status=$2 sysfs=$3 etc=$4 include=$5 libdir=$6 python=$7 cc=$8
shift 8
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apmatrix-guide.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The lines of every fenced block opened by ```LANG (LANG may be empty).
block() {
	awk -v lang="$1" '/^```/ { if (open) { open = 0; f = 0 }
	                          else { open = 1; f = ($0 == "```" lang) }
	                          next } f' "$page"
}
block c >"$tmp/prog.c"
block python >"$tmp/prog.py"
block "" | head -n 1 >"$tmp/expected"
for f in prog.c prog.py expected; do
	[ -s "$tmp/$f" ] || { echo "FAIL: $page has no block for $f" >&2; exit 1; }
done
"$cc" "$@" -std=c99 -Wall -Wextra -Werror -I"$include" -o "$tmp/prog" \
	"$tmp/prog.c" -L"$libdir" -lapmatrix
rc=0
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
	"$tmp/prog" "$sysfs" "$etc" >"$tmp/c.out" || rc=$?
cat "$tmp/c.out"
[ "$rc" -eq "$status" ] || { echo "FAIL: C program exit status $rc, expected $status" >&2; exit 1; }
rc=0
"$python" "$tmp/prog.py" "$sysfs" "$etc" >"$tmp/py.out" || rc=$?
[ "$rc" -eq "$status" ] || { echo "FAIL: Python program exit status $rc, expected $status" >&2; exit 1; }
diff -u "$tmp/c.out" "$tmp/py.out" || { echo "FAIL: C and Python print different findings" >&2; exit 1; }
grep -qxF -f "$tmp/expected" "$tmp/c.out" ||
	{ echo "FAIL: the output lacks the guide's line: $(cat "$tmp/expected")" >&2; exit 1; }
