#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The pkg-config file works for a user of the library.
#
#   check-pkgconfig.sh build BUILD_DIR SRC_INCLUDE CC VERSION SMOKE_C [CFLAGS...]
#     The generated libapmatrix.pc of the build tree: valid, right version,
#     -lapmatrix and the json-c dependency; then a program built with its
#     flags (the build tree's -I/-L first, as nothing is installed) links
#     libapmatrix.so.0 and runs.
#   check-pkgconfig.sh install BUILD_DIR - CC VERSION SMOKE_C [CFLAGS...]
#     `cmake --install` into a staging directory (DESTDIR); the program is
#     built with nothing but the installed .pc's flags (PKG_CONFIG_SYSROOT_DIR
#     maps them into the staging tree) and runs against the installed .so.
set -eu

mode=$1 build=$2 include=$3 cc=$4 version=$5 smoke=$6
shift 6
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CMAKE=${CMAKE:-cmake}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/apmatrix-pc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

if [ "$mode" = install ]; then
	DESTDIR="$tmp/stage" "$CMAKE" --install "$build" >"$tmp/install.log" 2>&1 ||
		{ cat "$tmp/install.log" >&2; fail "cmake --install failed"; }
	pc=$(find "$tmp/stage" -name libapmatrix.pc | head -n1)
	[ -n "$pc" ] || fail "no libapmatrix.pc installed"
	pcdir=$(dirname "$pc")
	PKG_CONFIG_PATH=$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
	PKG_CONFIG_SYSROOT_DIR=$tmp/stage
	export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
	# json-c is a private requirement: it must stay resolvable from the
	# system (its paths are not under the sysroot, so query it first).
else
	PKG_CONFIG_PATH=$build${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
	export PKG_CONFIG_PATH
fi

"$PKG_CONFIG" --validate libapmatrix || fail "libapmatrix.pc does not validate"
got=$("$PKG_CONFIG" --modversion libapmatrix)
[ "$got" = "$version" ] || fail "modversion is '$got', expected '$version'"
cflags=$("$PKG_CONFIG" --cflags libapmatrix)
libs=$("$PKG_CONFIG" --libs libapmatrix)
static=$("$PKG_CONFIG" --static --libs libapmatrix)
echo "cflags: $cflags"
echo "libs:   $libs"
echo "static: $static"
case " $libs " in *" -lapmatrix "*) ;; *) fail "--libs lacks -lapmatrix" ;; esac
case " $static " in *" -ljson-c "*) ;; *) fail "--static --libs lacks -ljson-c (Requires.private)" ;; esac
case " $libs " in *" -ljson-c "*) fail "--libs leaks -ljson-c (must be private)" ;; esac
case " $static " in *" -ludev "*) ;; *) fail "--static --libs lacks -ludev (Requires.private)" ;; esac
case " $libs " in *" -ludev "*) fail "--libs leaks -ludev (must be private)" ;; esac

if [ "$mode" = install ]; then
	# Exactly what a user types, nothing from the build tree.
	# shellcheck disable=SC2086
	"$cc" "$@" $cflags -o "$tmp/smoke" "$smoke" $libs ||
		fail "cannot build against the installed library"
	libdir=$(echo "$libs" | sed -n 's/.*-L\([^ ]*\).*/\1/p')
	[ -f "$libdir/libapmatrix.so.0" ] || fail "no $libdir/libapmatrix.so.0"
	[ -h "$libdir/libapmatrix.so" ] || fail "no libapmatrix.so dev symlink"
	find "$tmp/stage" -name apmatrix.h | grep -q . || fail "header not installed"
else
	# shellcheck disable=SC2086
	"$cc" "$@" -I"$include" $cflags -o "$tmp/smoke" "$smoke" -L"$build" $libs ||
		fail "cannot build with the .pc's flags"
	libdir=$build
fi
needed=$(readelf -d "$tmp/smoke" | sed -n 's/.*(NEEDED).*\[\(libapmatrix[^]]*\)\].*/\1/p')
[ "$needed" = libapmatrix.so.0 ] || fail "the program needs '$needed', not libapmatrix.so.0"
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$tmp/smoke" ||
	fail "the program failed"
echo "ok: pkg-config ($mode)"
