#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An admin session against the vfio_ap simulator, run inside the VM by
# scripts/demo.sh, with apmatrixctl and nothing else: the host's cards
# (CEX8 in CCA, EP11 and accelerator mode), queues reserved for vfio_ap, two
# guests defined, a conflict caught before any write, resolved, started, the
# guest matrices shown, a card taken offline (a simulated hardware event)
# seen by `monitor`, and `check` clean at the end. Every command is echoed
# before it runs.
set -uo pipefail

BUILD=${APMATRIX_BUILD_DIR:-build/plain}
export PATH=$BUILD/tools/apmatrixctl:$PATH
export NO_COLOR=${NO_COLOR-}
SIM=/sys/kernel/debug/vfio_ap_sim
GUEST_A=aaaaaaaa-0000-4000-8000-00000000000a
GUEST_B=bbbbbbbb-0000-4000-8000-00000000000b
# The lock directory every systemd host has; the test VM's /run is bare.
mkdir -p /run/lock /etc/mdevctl.d/matrix

step() { printf '\n## %s\n' "$*"; }
# run CMD...: echo it, run it, indent its output; STATUS: the exit status
# it must end with (default 0).
run() {
	local want=${STATUS:-0} rc
	printf '$ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/  /'
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq "$want" ] || {
		echo "demo: that step ended with status $rc, not $want"
		exit 1
	}
}

step "The host: six CEX8 cards, usage domains 0-5 and 0x47, all with the host drivers"
run apmatrixctl list

step "Reserve adapters 3-5 x domain 0x47 for vfio_ap (the plan shows what else moves)"
run apmatrixctl reserve --adapters 3-5 --domains 0x47 --yes

step "Define two guests that start at boot"
run apmatrixctl define $GUEST_A --adapters 3-4 --domains 0x47 --control-domains 0x47 --auto
STATUS=2 run apmatrixctl define $GUEST_B --adapters 4-5 --domains 0x47 --auto
echo "  -> refused before any write: 04.0047 belongs to guest A"

step "Resolved: guest B takes adapter 5 only"
run apmatrixctl define $GUEST_B --adapters 5 --domains 0x47 --auto
run apmatrixctl list --mdevs

step "Start both (planned, checked, applied under the s390apconfig lock)"
run apmatrixctl start $GUEST_A
run apmatrixctl start $GUEST_B

step "What each guest gets"
run apmatrixctl show $GUEST_A
run apmatrixctl show $GUEST_B
run apmatrixctl export $GUEST_A --qemu

step "A card goes offline (simulated hardware event); monitor sees it"
apmatrixctl monitor --count 1 --timeout 20 >/tmp/demo-monitor.out 2>/tmp/demo-monitor.err &
mon=$!
for _ in $(seq 50); do grep -q listening /tmp/demo-monitor.err && break; sleep 0.1; done
echo '$ echo "online 2 0" > /sys/kernel/debug/vfio_ap_sim/ctl    # the event'
echo "online 2 0" >$SIM/ctl
wait $mon
echo '$ apmatrixctl monitor --count 1'
sed 's/^/  /' /tmp/demo-monitor.out
printf '$ apmatrixctl list | grep "^02"\n'
apmatrixctl list | grep '^02 ' | sed 's/^/  /'

step "The whole host: live mdevs, definitions, persistent masks"
run apmatrixctl check
echo
echo "demo finished"
