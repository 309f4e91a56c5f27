#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Quick self-test of vfio_ap_sim, run INSIDE a guest that has the module
# loaded with default parameters and debugfs mounted, e.g.
#   tests/vm/run-vm.sh -- kernel/selftest.sh
# Prints one line per check and exits 1 if any check failed. The full ABI
# conformance suite lives in tests/vm/; this only guards the module itself.

S=/sys/bus/ap
DEV=/sys/devices/ap
D=/sys/kernel/debug/vfio_ap_sim
MX=/sys/devices/vfio_ap/matrix
T=$MX/mdev_supported_types/vfio_ap-passthrough
U=5e1f0000-0000-4000-8000-000000000001
M=$MX/$U
fails=0

check() { # check DESC EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then
		echo "PASS $1"
	else
		echo "FAIL $1: want '$2' got '$3'"
		fails=$((fails + 1))
	fi
}

# write FILE DATA -> prints OK or the errno name
w() {
	python3 - "$1" "$2" <<'EOF'
import errno, os, sys
try:
    fd = os.open(sys.argv[1], os.O_WRONLY)
    try:
        os.write(fd, sys.argv[2].encode())
    finally:
        os.close(fd)
    print("OK")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
EOF
}

check "default cards" "card00 card01 card02 card03 card04 card05" \
	"$(cd $DEV && echo card*)"
check "bindings" "42/42 (complete)" "$(cat $S/bindings)"
check "card type" "CEX8C" "$(cat $DEV/card00/type)"
check "queue DEVTYPE" "DEVTYPE=ap_queue" "$(head -1 $DEV/card00/00.0047/uevent)"
check "features" "guest_matrix hotplug ap_config" "$(cat $MX/features)"

check "apmask relative" OK "$(w $S/apmask -4,-5)"
check "queue moved to vfio_ap" "vfio_ap" \
	"$(basename "$(readlink $S/devices/04.0001/driver)")"
check "bind bound device" EBUSY "$(w $S/drivers/vfio_ap/bind 00.0001)"
check "unbind" OK "$(w $S/drivers/cex4queue/unbind 00.0001)"
check "bind forbidden driver" ENODEV "$(w $S/drivers/vfio_ap/bind 00.0001)"
check "bind default driver" OK "$(w $S/drivers/cex4queue/bind 00.0001)"
check "apmask syntax" EINVAL "$(w $S/apmask +256)"

echo $U >$T/create
check "available_instances" 65535 "$(cat $T/available_instances)"
check "assign adapter" OK "$(w $M/assign_adapter 4)"
check "assign domain" OK "$(w $M/assign_domain 0x47)"
check "host-owned adapter" EADDRNOTAVAIL "$(w $M/assign_adapter 3)"
check "adapter range" ENODEV "$(w $M/assign_adapter 256)"
check "adapter syntax" EINVAL "$(w $M/assign_adapter x)"
check "matrix" "04.0047" "$(cat $M/matrix)"
check "guest_matrix" "04.0047" "$(cat $M/guest_matrix)"
check "status" "assigned" "$(cat $S/devices/04.0047/status)"
check "host reclaim" EBUSY "$(w $S/apmask +4)"
check "ap_config write" OK "$(w $M/ap_config 0x0c,0x4,0x4)"
check "ap_config read" \
	"0x0c00000000000000000000000000000000000000000000000000000000000000,0x4000000000000000000000000000000000000000000000000000000000000000,0x4000000000000000000000000000000000000000000000000000000000000000" \
	"$(cat $M/ap_config)"
check "ap_config order" EADDRNOTAVAIL "$(w $M/ap_config 0x1,0x4,0x0)"

check "unbind drops adapter" OK "$(w $S/drivers/vfio_ap/unbind 05.0001)"
check "guest_matrix filtered" "04.0001" "$(cat $M/guest_matrix)"
check "rebind" OK "$(w $S/drivers/vfio_ap/bind 05.0001)"
check "guest_matrix back" "04.0001 05.0001" "$(echo $(cat $M/guest_matrix))"

check "ctl remove_card" OK "$(w $D/ctl 'remove_card 5')"
check "guest_matrix w/o card" "04.0001" "$(cat $M/guest_matrix)"
check "ctl add_card" OK "$(w $D/ctl 'add_card 5 CEX7P')"
check "guest_matrix with card" "04.0001 05.0001" "$(echo $(cat $M/guest_matrix))"
check "ctl online vfio queue" ENODEV "$(w $D/ctl 'online 5.1 0')"
check "ctl add newer type" OK "$(w $D/ctl 'add_card 0x10 CEX9C')"
check "raw_hwtype" "15 14 CEX8C" \
	"$(echo $(cat $DEV/card10/raw_hwtype $DEV/card10/hwtype $DEV/card10/type))"
check "ctl config" OK "$(w $D/ctl 'config 5 0')"
check "deconfigured stays" "04.0001 05.0001" "$(echo $(cat $M/guest_matrix))"

check "fault arm" OK "$(w $D/fault 'assign_domain 2 EIO')"
check "fault 1st write passes" OK "$(w $M/assign_domain 2)"
check "fault 2nd write fails" EIO "$(w $M/assign_domain 3)"
check "no side effect" "" "$(grep -c 0003 $M/matrix | grep -v '^0$')"

if command -v vfio-client >/dev/null; then
	out=$(vfio-client $U info "run:cat $D/mdevs/$U/crycb" 2>&1)
	check "vfio info" "info flags=0x21 num_regions=0 num_irqs=2" \
		"$(echo "$out" | grep '^info ')"
	check "crycb attached" "format 2" "$(echo "$out" | grep '^format')"
fi

check "remove" OK "$(w $M/remove 1)"
check "counters mdev" "mdev alloc=1 free=1 live=0" "$(grep ^mdev $D/counters)"

echo "selftest: $fails failure(s)"
[ $fails = 0 ]
