#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The main job: build, then boot Debian's kernel in QEMU with the vfio_ap
# simulator loaded and walk an admin session against it with apmatrixctl
# (scripts/demo-session.sh). Prints its own run time at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

root=${BUILD_ROOT:-build}
case $root in /*) ;; *) root=$PWD/$root ;; esac
cmake -S . -B "$root/plain" >/dev/null
cmake --build "$root/plain" -j"$(nproc)" >/dev/null

start=$SECONDS
echo "=== the vfio_ap simulator in a VM: an admin session with apmatrixctl"
rc=0
tests/vm/run-vm.sh --build-dir "$root/vm" \
	--env APMATRIX_BUILD_DIR="$root/plain" -- scripts/demo-session.sh ||
	rc=$?
echo "=== demo: $((SECONDS - start)) s in the VM (status $rc)"
exit $rc
