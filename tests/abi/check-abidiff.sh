#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The ABI of libapmatrix.so.0 against the baseline kept in the repository
# (tests/abi/libapmatrix.abi), with libabigail (Debian: abigail-tools).
#
#   check-abidiff.sh check  BASELINE LIB INCLUDE_DIR
#     Fails on any change to what the baseline holds: a removed symbol, a
#     changed signature, a changed public type or enum value, and on a
#     symbol added to a version node the baseline has (released nodes are
#     closed). Symbols added in new version nodes and
#     new enum values pass. Exit 77 (skipped) without abidw/abidiff or
#     without debug information in LIB.
#   check-abidiff.sh update BASELINE LIB INCLUDE_DIR
#     Writes a new baseline from LIB.
#
# Both sides go through the same abidw command, so the comparison is XML
# against XML:
#   --headers-dir + --drop-private-types  only types of the public header
#       count (the opaque structs are defined in private headers, so their
#       layout never shows);
#   --load-all-types  enums too: the API passes them as unsigned int, so
#       no exported function reaches them and abidw would leave them out;
#   --drop-undefined-syms, --no-corpus-path, --no-comp-dir-path,
#   --short-locs  nothing that depends on the build tree or on libc.
# abidiff then runs with
#   --no-added-syms  new functions are how the ABI grows;
#   --non-reachable-types  report the enums loaded above.
# abidiff's exit status is a bit mask (1 error, 2 usage, 4 ABI change,
# 8 incompatible change); any bit fails the check: with added symbols
# ignored, every change left is a change to something 0.1 promised.
set -eu

mode=$1 baseline=$2 lib=$3 include=$4
ABIDW=${ABIDW:-abidw}
ABIDIFF=${ABIDIFF:-abidiff}
READELF=${READELF:-readelf}

for tool in "$ABIDW" "$ABIDIFF"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not found (Debian: abigail-tools)"
		exit 77
	fi
done
if command -v "$READELF" >/dev/null 2>&1 &&
	! "$READELF" -S "$lib" | grep -q '\.debug_info'; then
	echo "SKIP: $lib has no debug information (build with -g," \
		"e.g. CMAKE_BUILD_TYPE=RelWithDebInfo)"
	exit 77
fi

dump() {
	"$ABIDW" --headers-dir "$include" --drop-private-types \
		--load-all-types --drop-undefined-syms --no-corpus-path \
		--no-comp-dir-path --short-locs --out-file "$2" "$1"
}

case $mode in
update)
	dump "$lib" "$baseline"
	echo "wrote $baseline"
	;;
check)
	tmp=$(mktemp "${TMPDIR:-/tmp}/apmatrix-abi.XXXXXX")
	trap 'rm -f "$tmp"' EXIT
	dump "$lib" "$tmp"
	rc=0
	"$ABIDIFF" --no-added-syms --non-reachable-types "$baseline" "$tmp" ||
		rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: the ABI differs from $baseline (abidiff status $rc)." >&2
		echo "If the change is intended and 0.1 is not released yet," \
			"regenerate the baseline: cmake --build BUILD" \
			"--target abi-baseline (see tests/abi/README.md)." >&2
		exit 1
	fi
	# New symbols are fine, but only in a new version node: a node the
	# baseline already has is released and never grows.
	released=$(sed -n "s/.*<elf-symbol name='[^']*' version='\([^']*\)'.*/\1/p" \
		"$baseline" | sort -u)
	bad=$("$ABIDIFF" --non-reachable-types "$baseline" "$tmp" |
		sed -n 's/.*{\([A-Za-z0-9_]*\)@@\([A-Za-z0-9_.]*\)}.*/\1 \2/p' |
		while read -r sym node; do
			if printf '%s\n' "$released" | grep -qx "$node"; then
				echo "$sym@@$node"
			fi
		done)
	if [ -n "$bad" ]; then
		echo "FAIL: symbols added to a version node of the baseline:" >&2
		printf '  %s\n' $bad >&2
		echo "Add them in a new node (LIBAPMATRIX_<next> { ... }" \
			"LIBAPMATRIX_<last>;), or, while that node is not" \
			"released yet, regenerate the baseline: cmake --build" \
			"BUILD --target abi-baseline (see tests/abi/README.md)." >&2
		exit 1
	fi
	echo "ABI matches $baseline"
	;;
*)
	echo "usage: $0 check|update BASELINE LIB INCLUDE_DIR" >&2
	exit 2
	;;
esac
