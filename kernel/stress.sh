#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrency stress for vfio_ap_sim, run INSIDE a guest with the module
# loaded (default parameters), e.g.
#   tests/vm/run-vm.sh --smp 2 -- kernel/stress.sh [SECONDS]
# Six writers race for 60 s (masks, assignments, ctl, bind/unbind, vfio
# open/close, mdev create/remove); then everything is removed, the module
# unloaded and the kernel log checked. Exit 1 on a leak or kernel warning.
S=/sys/bus/ap
D=/sys/kernel/debug/vfio_ap_sim
T=/sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough
MX=/sys/devices/vfio_ap/matrix
end=$((SECONDS + ${1:-60}))
U1=11111111-2222-3333-4444-000000000001
U2=11111111-2222-3333-4444-000000000002
echo $U1 > $T/create; echo $U2 > $T/create
( while [ $SECONDS -lt $end ]; do echo -$((RANDOM % 8)) > $S/apmask 2>/dev/null; echo +$((RANDOM % 8)) > $S/apmask 2>/dev/null; echo -$((RANDOM % 6)) > $S/aqmask 2>/dev/null; echo +$((RANDOM % 6)) > $S/aqmask 2>/dev/null; done ) &
( while [ $SECONDS -lt $end ]; do for u in $U1 $U2; do echo $((RANDOM % 8)) > $MX/$u/assign_adapter 2>/dev/null; echo $((RANDOM % 6)) > $MX/$u/assign_domain 2>/dev/null; echo $((RANDOM % 8)) > $MX/$u/unassign_adapter 2>/dev/null; echo 0x$((RANDOM % 8)),0x$((RANDOM % 8)),0x1 > $MX/$u/ap_config 2>/dev/null; cat $MX/$u/guest_matrix > /dev/null; done; done ) &
( while [ $SECONDS -lt $end ]; do echo "add_card 6 CEX8C" > $D/ctl 2>/dev/null; echo "remove_card 6" > $D/ctl 2>/dev/null; echo "remove_card $((RANDOM % 6))" > $D/ctl 2>/dev/null; echo "add_card $((RANDOM % 6)) CEX8A" > $D/ctl 2>/dev/null; echo "usage_domains +$((RANDOM % 8))" > $D/ctl 2>/dev/null; echo "usage_domains -$((RANDOM % 8))" > $D/ctl 2>/dev/null; echo "config $((RANDOM % 6)) $((RANDOM % 2))" > $D/ctl 2>/dev/null; done ) &
( while [ $SECONDS -lt $end ]; do for q in $(ls $S/devices | grep '\.' | shuf -n 5); do echo $q > $S/drivers/vfio_ap/unbind 2>/dev/null; echo $q > $S/drivers/vfio_ap/bind 2>/dev/null; echo $q > $S/drivers/cex4queue/unbind 2>/dev/null; echo $q > $S/drivers/cex4queue/bind 2>/dev/null; cat $S/devices/$q/status $S/devices/$q/online 2>/dev/null >/dev/null; done; cat $S/bindings > /dev/null; done ) &
( while [ $SECONDS -lt $end ]; do vfio-client $U1 eventfd:1 sleep:200 wait:1:100 close > /dev/null 2>&1; vfio-client $U2 info sleep:100 > /dev/null 2>&1; done ) &
( while [ $SECONDS -lt $end ]; do u=11111111-2222-3333-4444-$(printf '%012d' $((RANDOM % 5 + 10))); echo $u > $T/create 2>/dev/null; echo 1 > $MX/$u/assign_adapter 2>/dev/null; echo 1 > $MX/$u/remove 2>/dev/null; done ) &
wait
echo "stress done"
cat $S/bindings
echo 1 > $MX/$U1/remove; echo 1 > $MX/$U2/remove
for d in $MX/*-*; do [ -e "$d" ] && echo 1 > $d/remove; done
cat $D/counters
rmmod vfio_ap_sim; echo rmmod=$?
bad=$(dmesg | grep -E "WARNING|BUG|Oops|LEAK|hung_task|INFO: task")
[ -n "$bad" ] && { echo "$bad"; exit 1; }
dmesg | grep -q "vfio_ap_sim: leak check ok" || { echo "no leak check line"; exit 1; }
echo "stress: ok"
