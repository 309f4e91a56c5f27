#!/bin/bash
# Boot Debian's kernel under QEMU with the host's root file system (read-only
# 9p + tmpfs overlay), load the vfio/mdev stack and our kernel module, run ONE
# command inside the guest with cwd = the repo, and exit with its status.
#
#   tests/vm/run-vm.sh [options] [--] COMMAND [ARGS...]
#
# Options:
#   --kver KVER        guest kernel (default: newest /lib/modules/*-amd64)
#   --build-dir DIR    where the initramfs, helpers and logs go
#                      (default: $APVM_BUILD_DIR or <repo>/build/vm)
#   --param NAME=VAL   module parameter (repeatable)
#   --env NAME=VAL     environment variable for the guest command (repeatable)
#   --no-module        do not build/load our module (harness self-test)
#   --no-build         use what a previous run built (ctest fixtures)
#   --build-only       build module, helpers and initramfs, then exit
#   --mem MB           guest memory (default 1024)
#   --smp N            guest CPUs (default 1)
#   --timeout SEC      kill the guest after SEC seconds (default 600)
#   --shell            interactive shell in the guest instead of COMMAND
#   --log FILE         copy of the console output (default
#                      <build>/console-<id>.log, <build>/last-console.log links to it)
#
# Exit status: the command's; 77 = skipped (no qemu or no kernel image);
# 124 = timeout; 125 = guest infrastructure failure (no result marker).
set -euo pipefail
trap 'echo "run-vm.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

KVER=${APVM_KVER:-}
BUILD=${APVM_BUILD_DIR:-}
PARAMS=()
ENVS=()
NO_MODULE=0 NO_BUILD=0 BUILD_ONLY=0 SHELL_MODE=0
MEM=${APVM_MEM:-1024} SMP=${APVM_SMP:-1} TIMEOUT=${APVM_TIMEOUT:-600}
LOG=

usage() { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
	case "$1" in
	--kver) KVER=$2; shift 2 ;;
	--build-dir) BUILD=$2; shift 2 ;;
	--param) PARAMS+=("$2"); shift 2 ;;
	--env) ENVS+=("$2"); shift 2 ;;
	--no-module) NO_MODULE=1; shift ;;
	--no-build) NO_BUILD=1; shift ;;
	--build-only) BUILD_ONLY=1; shift ;;
	--mem) MEM=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--shell) SHELL_MODE=1; shift ;;
	--log) LOG=$2; shift 2 ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	-*) echo "run-vm.sh: unknown option $1" >&2; usage 2 ;;
	*) break ;;
	esac
done
CMD=("$@")
if [ ${#CMD[@]} -eq 0 ] && [ $SHELL_MODE = 0 ] && [ $BUILD_ONLY = 0 ]; then
	echo "run-vm.sh: no command given" >&2
	usage 2
fi

skip() { echo "SKIP: $*"; exit 77; }

if [ -z "$KVER" ]; then
	KVER=$(cd /lib/modules 2>/dev/null && ls -d -- *-amd64 2>/dev/null | sort -V | tail -n1 || true)
fi
[ -n "$KVER" ] || skip "no Debian kernel under /lib/modules (install linux-image-amd64 linux-headers-amd64)"
KIMG=/boot/vmlinuz-$KVER
[ -r "$KIMG" ] || skip "no readable kernel image $KIMG"
QEMU=$(command -v qemu-system-x86_64 || true)
[ -n "$QEMU" ] || skip "qemu-system-x86_64 not installed"
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] && ! ldd "$BUSYBOX" >/dev/null 2>&1 || skip "busybox-static not installed"
command -v cpio >/dev/null || skip "cpio not installed"

BUILD=${BUILD:-$REPO/build/vm}
mkdir -p "$BUILD/jobs" "$BUILD/bin"
BUILD=$(cd "$BUILD" && pwd)
case "$BUILD/" in
/run/*|/proc/*|/sys/*|/dev/*)
	echo "run-vm.sh: the build dir must be visible in the guest, not under /run, /proc, /sys or /dev" >&2
	exit 2 ;;
esac

# ---------------------------------------------------------------- build
KO=
build_module() {
	[ $NO_MODULE = 1 ] && return 0
	[ -d "$REPO/kernel" ] || { echo "run-vm.sh: no kernel/ directory" >&2; exit 125; }
	[ -d "/lib/modules/$KVER/build" ] || skip "no headers for $KVER (install linux-headers-amd64)"
	if [ -f "$REPO/kernel/Makefile" ]; then
		make -s -C "$REPO/kernel" KVER="$KVER" >&2
	else
		make -s -C "/lib/modules/$KVER/build" M="$REPO/kernel" modules >&2
	fi
}
find_module() {
	[ $NO_MODULE = 1 ] && return 0
	KO=${APVM_KO:-}
	if [ -z "$KO" ]; then
		local kos
		mapfile -t kos < <(find "$REPO/kernel" -maxdepth 2 -name '*.ko' | sort)
		if [ ${#kos[@]} -ne 1 ]; then
			echo "run-vm.sh: expected exactly one .ko under kernel/, found: ${kos[*]:-none}" >&2
			exit 125
		fi
		KO=${kos[0]}
	fi
	[ "$(modinfo -F vermagic "$KO" | cut -d' ' -f1)" = "$KVER" ] || {
		echo "run-vm.sh: $KO is not built for $KVER" >&2; exit 125; }
}
build_helpers() {
	local src out
	for src in "$HERE"/*.c; do
		[ -e "$src" ] || continue
		# helpers on the library (monitor-events.c) are CMake's to build
		grep -q '#include "apmatrix.h"' "$src" && continue
		out=$BUILD/bin/$(basename "$src" .c)
		if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
			${CC:-gcc} -O2 -g -Wall -Wextra -Werror -o "$out.tmp" "$src" && mv "$out.tmp" "$out"
		fi
	done
}
INITRD=
build_initramfs() {
	local mods="netfs fscache 9pnet 9p virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci 9pnet_virtio overlay"
	local key
	key=$({ echo "$KVER $mods"; cat "$HERE/guest/init"; } | sha256sum | cut -c1-16)
	INITRD=$BUILD/initramfs-$KVER-$key.cpio.gz
	[ -s "$INITRD" ] && return 0
	local t m p
	t=$(mktemp -d "$BUILD/initramfs.XXXXXX")
	mkdir -p "$t"/{bin,dev,proc,sys,mnt,modules}
	cp "$BUSYBOX" "$t/bin/busybox"
	cp "$HERE/guest/init" "$t/init"
	: >"$t/modules.list"
	for m in $mods; do
		p=$(modinfo -k "$KVER" -n "$m" 2>/dev/null) || { echo "run-vm.sh: module $m missing for $KVER" >&2; exit 125; }
		case "$p" in
		(builtin|"") continue ;;
		(*.ko) cp "$p" "$t/modules/$m.ko" ;;
		(*.ko.xz) xz -dc "$p" >"$t/modules/$m.ko" ;;
		(*.ko.zst) zstd -qdc "$p" >"$t/modules/$m.ko" ;;
		(*.ko.gz) gzip -dc "$p" >"$t/modules/$m.ko" ;;
		esac
		echo "$m" >>"$t/modules.list"
	done
	(cd "$t" && find . | cpio -o -H newc --quiet | gzip -1) >"$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
	rm -rf "$t"
}

t0=$(date +%s.%N)
if [ $NO_BUILD = 0 ]; then
	# ctest may start several boots at once: build under a lock.
	exec 9>"$BUILD/.build.lock"
	flock 9
	build_module
	build_helpers
	build_initramfs
	flock -u 9
else
	build_initramfs
fi
find_module
[ $BUILD_ONLY = 1 ] && { echo "built: initramfs $INITRD${KO:+, module $KO}"; exit 0; }
t1=$(date +%s.%N)

# ---------------------------------------------------------------- job
MARKER=APVM-RESULT-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
JOB=$BUILD/jobs/${MARKER#APVM-RESULT-}.sh
{
	printf 'APVM_REPO=%q\n' "$REPO"
	printf 'APVM_BUILD_DIR=%q\n' "$BUILD"
	printf 'APVM_KVER=%q\n' "$KVER"
	printf 'APVM_KO=%q\n' "$KO"
	printf 'APVM_SHELL=%q\n' "$SHELL_MODE"
	printf 'APVM_KO_PARAMS=('; printf '%q ' "${PARAMS[@]}"; printf ')\n'
	printf 'APVM_CMD=('; printf '%q ' "${CMD[@]}"; printf ')\n'
	printf 'export PATH=%q:$PATH\n' "$BUILD/bin"
	printf 'export APVM_ONLY=%q APVM_TEST_TIMEOUT=%q\n' "${APVM_ONLY:-}" "${APVM_TEST_TIMEOUT:-}"
	for e in "${ENVS[@]}"; do printf 'export %q\n' "$e"; done
} >"$JOB"
# One log per boot: ctest runs boots in parallel with the same build dir.
LOG=${LOG:-$BUILD/console-${MARKER#APVM-RESULT-}.log}
ln -sfn "$LOG" "$BUILD/last-console.log" 2>/dev/null || true
# keep the 20 newest per-boot logs
{ ls -1t "$BUILD"/console-*.log 2>/dev/null | tail -n +21 | xargs -r rm -f; } || true

ACCEL=(-accel tcg)
if [ "${APVM_KVM:-0}" = 1 ] && [ -w /dev/kvm ]; then
	ACCEL=(-enable-kvm -cpu host)
fi
QARGS=(
	"${ACCEL[@]}" -m "$MEM" -smp "$SMP" -nographic -no-reboot
	-kernel "$KIMG" -initrd "$INITRD"
	-append "console=ttyS0 loglevel=5 panic=-1 oops=panic rdinit=/init apvm.marker=$MARKER apvm.job=$JOB apvm.stage2=$HERE/guest/stage2.sh"
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	-nic none
)

set +e
trap - ERR
if [ $SHELL_MODE = 1 ]; then
	"$QEMU" "${QARGS[@]}"
	rc=$?
	rm -f "$JOB"
	exit $rc
fi
# A boot that dies before the guest command starts (seen once under TCG on
# a loaded host: an early-boot panic) says nothing about the code under
# test: boot once more. A failure after "guest up" is never retried.
for attempt in 1 2; do
	timeout -k 10 "$TIMEOUT" "$QEMU" "${QARGS[@]}" </dev/null 2>&1 | tee "$LOG"
	qrc=${PIPESTATUS[0]}
	result=$(tr -d '\r' <"$LOG" | sed -n "s/^$MARKER=\([0-9]*\)\$/\1/p" | tail -n1)
	[ -n "$result" ] && break
	grep -q 'apvm: guest up' "$LOG" && break
	[ "$qrc" = 124 ] || [ "$qrc" = 137 ] && break
	[ $attempt = 1 ] && echo "apvm: the guest died before it came up; booting again" >&2
done
set -e
rm -f "$JOB"
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v q="$qrc" \
	'BEGIN { printf "apvm: build %.1fs, boot+run %.1fs (qemu exit %s)\n", b - a, c - b, q }' >&2
if [ -z "$result" ]; then
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "apvm: TIMEOUT after ${TIMEOUT}s, guest killed (console: $LOG)" >&2
		exit 124
	fi
	echo "apvm: guest ended without a result marker (panic or crash?), console: $LOG" >&2
	exit 125
fi
exit "$result"
