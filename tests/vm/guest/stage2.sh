#!/bin/bash
# Runs inside the guest, chrooted into the host root overlay. Loads the
# vfio/mdev stack and our module, runs the job's command from the repo,
# prints "<marker>=<exit status>" on the console and powers off.
JOB=$1 MARKER=$2
exec </dev/null >/dev/console 2>&1

finish() {
	sync
	printf '\n%s=%s\n' "$MARKER" "$1"
	busybox poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
}

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=${TERM:-dumb}
mountpoint -q /run || mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /dev/pts /dev/shm
mountpoint -q /dev/pts || mount -t devpts devpts /dev/pts
mountpoint -q /dev/shm || mount -t tmpfs tmpfs /dev/shm
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
echo 1 >/proc/sys/kernel/sysrq
hostname apvm

# shellcheck disable=SC1090
. "$JOB" || finish 125
APVM_MODULE=
APVM_KO_PARAMS_STR="${APVM_KO_PARAMS[*]}"
cd "$APVM_REPO" || finish 125

for m in vfio vfio_iommu_type1 mdev; do
	modprobe "$m" || { echo "apvm: modprobe $m failed"; finish 125; }
done
if [ -n "$APVM_KO" ]; then
	APVM_MODULE=$(modinfo -F name "$APVM_KO")
	echo "apvm: insmod $APVM_KO ${APVM_KO_PARAMS[*]}"
	insmod "$APVM_KO" "${APVM_KO_PARAMS[@]}" || { echo "apvm: insmod failed"; finish 125; }
fi
export APVM_REPO APVM_KO APVM_BUILD_DIR APVM_KVER APVM_MODULE
export APVM_PARAMS="$APVM_KO_PARAMS_STR"
echo "apvm: guest up after $(cut -d' ' -f1 /proc/uptime) s, running: ${APVM_CMD[*]}"

if [ "$APVM_SHELL" = 1 ]; then
	setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
	rc=$?
else
	"${APVM_CMD[@]}"
	rc=$?
fi
finish "$rc"
