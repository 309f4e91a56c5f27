#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The main job: build, then boot Debian's kernel in QEMU with the vfio_ap
# simulator loaded and walk an admin session against it (tests/vm/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

root=${BUILD_ROOT:-build}
cmake -S . -B "$root/plain" >/dev/null
cmake --build "$root/plain" -j"$(nproc)" >/dev/null

echo "=== the conflict engine on a built-in scenario (in memory)"
"$root/plain/examples/check-scenario" || true

echo
echo "=== the vfio_ap simulator in a VM"
exec tests/vm/run-vm.sh -- scripts/demo-session.sh
