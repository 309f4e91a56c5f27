#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An admin session against the vfio_ap simulator, run inside the VM by
# scripts/demo.sh: discover the cards, reserve queues for vfio_ap, create two
# mediated devices, watch the kernel refuse an overlap, persist one with
# mdevctl. Every command is echoed before it runs.
set -uo pipefail

AP=/sys/bus/ap
MATRIX=/sys/devices/vfio_ap/matrix
TYPE=$MATRIX/mdev_supported_types/vfio_ap-passthrough

step() { printf '\n## %s\n' "$*"; }
run() {
	printf '$ %s\n' "$*"
	eval "$@" 2>&1 | sed 's/^/  /'
	local rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || { echo "demo: that step failed (status $rc)"; exit 1; }
}
# A write the kernel should refuse: show the errno it gave.
refused() {
	printf '$ %s\n' "$*"
	if out=$(eval "$@" 2>&1); then
		echo "demo: the kernel accepted it"
		exit 1
	fi
	echo "  refused: ${out##*: }"
}

step "The host: cards, queues and the host pool (apmask x aqmask)"
run "for c in $AP/devices/card*; do printf '%s %s hwtype=%s online=%s\n' \
	\${c##*/} \$(cat \$c/type) \$(cat \$c/hwtype) \$(cat \$c/online); done"
run "ls $AP/devices | grep -c '\\.' | sed 's/\$/ queues/'"
run "cat $AP/ap_max_adapter_id $AP/ap_max_domain_id $AP/features"
run "cat $AP/apmask $AP/aqmask $AP/bindings"

step "Reserve adapters 1 and 2 for vfio_ap (relative syntax, like chzdev)"
run "echo -1-2 > $AP/apmask"
run "cat $AP/apmask"
run "ls $AP/drivers/vfio_ap | grep '\\.' | tr '\n' ' '; echo"

step "Create two mediated devices"
A=$(cat /proc/sys/kernel/random/uuid)
B=$(cat /proc/sys/kernel/random/uuid)
run "echo $A > $TYPE/create"
run "echo $B > $TYPE/create"
run "cat $TYPE/available_instances"

step "Guest A gets adapter 1 x domains 5 and 0x47; guest B adapter 2 x 0x47"
run "echo 1 > $MATRIX/$A/assign_adapter"
run "echo 5 > $MATRIX/$A/assign_domain"
run "echo 0x47 > $MATRIX/$A/assign_domain"
run "echo 5 > $MATRIX/$A/assign_control_domain"
run "echo 0x20,0x0000000000000000010000,0x0000000000000000010000 > $MATRIX/$B/ap_config"
run "cat $MATRIX/$A/matrix"
run "cat $MATRIX/$A/guest_matrix"
run "cat $MATRIX/$B/ap_config"

step "The kernel refuses what would let B reach A's keys, or the host's"
refused "echo 1 > $MATRIX/$B/assign_adapter"
refused "echo 0 > $MATRIX/$B/assign_adapter"
refused "echo 300 > $MATRIX/$B/assign_adapter"
refused "echo +1 > $AP/apmask"

step "Queue status as lszcrypt shows it"
run "cat $AP/devices/01.0005/status $AP/devices/02.0047/status"

step "Persist guest A's matrix with mdevctl, then stop both"
run "echo 1 > $MATRIX/$B/remove"
run "mdevctl define --uuid $A --parent matrix --type vfio_ap-passthrough"
run "mdevctl modify --uuid $A --addattr=assign_adapter --value=1"
run "mdevctl modify --uuid $A --addattr=assign_domain --value=5"
run "mdevctl list --defined"
run "echo 1 > $MATRIX/$A/remove"
run "mdevctl start --uuid $A && cat $MATRIX/$A/matrix"
run "mdevctl stop --uuid $A; mdevctl undefine --uuid $A"
echo
echo "demo finished"
