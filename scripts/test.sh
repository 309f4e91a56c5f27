#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The whole test suite: every tier with gcc and warnings as errors, then the
# library tiers again under ASan+UBSan with clang (plus the fuzz tier), then
# the unit tier under valgrind. Build trees go under ${BUILD_ROOT:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

root=${BUILD_ROOT:-build}
jobs=$(nproc)

echo "=== plain build (gcc, -Werror): every tier"
cmake -S . -B "$root/plain" -DAPMATRIX_WERROR=ON
cmake --build "$root/plain" -j"$jobs"
ctest --test-dir "$root/plain" --output-on-failure -j"$jobs"

echo "=== sanitized build (clang, ASan+UBSan): library tiers and fuzz"
CC=clang cmake -S . -B "$root/asan" -DAPMATRIX_WERROR=ON \
	-DAPMATRIX_SANITIZE='address;undefined' -DAPMATRIX_FUZZ=ON \
	-DAPMATRIX_KERNEL_TESTS=OFF
cmake --build "$root/asan" -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir "$root/asan" --output-on-failure -j"$jobs"

echo "=== valgrind: unit and examples tiers"
cmake -S . -B "$root/valgrind" -DAPMATRIX_WERROR=ON -DAPMATRIX_VALGRIND=ON \
	-DAPMATRIX_KERNEL_TESTS=OFF
cmake --build "$root/valgrind" -j"$jobs"
ctest --test-dir "$root/valgrind" --output-on-failure -j"$jobs" \
	-L 'unit|examples'
