#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Start N mdevs of 4 adapters x 16 domains each, twice in the same run:
# with `mdevctl start` of N persistent definitions (baseline), and with one
# libapmatrix apply of the same N matrices (examples/apply-state). Prints
# sysfs writes per mdev (counted by the simulator: a never-firing fault rule
# per attribute counts the writes that reach it) and wall times, and the
# ratio. Runs in the kernel-tier guest (tests/vm/run-vm.sh), as root:
#
#   tests/vm/run-vm.sh --env APMATRIX_BUILD_DIR=$PWD/build -- bench/bench-apply.sh [N]
set -u
N=${1:-100}
B=${APMATRIX_BUILD_DIR:-build}
APPLY=$B/examples/apply-state
MC=${MDEVCTL:-/usr/bin/mdevctl}
SIM=/sys/kernel/debug/vfio_ap_sim
MATRIX=/sys/devices/vfio_ap/matrix
ATTRS="create ap_config assign_adapter assign_domain assign_control_domain unassign_adapter unassign_domain unassign_control_domain apmask aqmask"
BIG=1000000000

die() { echo "bench-apply: $*" >&2; exit 1; }
[ -x "$APPLY" ] || die "no $APPLY"
[ -x "$MC" ] || die "no $MC"
[ -w $SIM/fault ] || die "no $SIM/fault (simulator debugfs)"
mkdir -p /run/lock /etc/mdevctl.d/matrix /etc/mdevctl.d/scripts.d/callouts

now() { local t; read -r t _ </proc/uptime; echo "$t"; }

count_start() {
	echo clear >$SIM/fault
	for a in $ATTRS; do echo "$a $BIG EIO" >$SIM/fault || die "arm counter $a"; done
}
# writes counted since count_start
count_writes() {
	local total=0 attr rem
	while read -r attr rem _; do
		[ "$attr" = fired ] && continue
		total=$((total + BIG - rem))
	done <$SIM/fault
	echo clear >$SIM/fault
	echo $total
}

# the host: every adapter and domain free for vfio_ap (set before timing)
echo 0x0 >/sys/bus/ap/apmask
echo 0x0 >/sys/bus/ap/aqmask

declare -a U SPEC
for ((i = 0; i < N; i++)); do
	read -r U[i] </proc/sys/kernel/random/uuid
	a=$((i % 64 * 4)) d=$((i / 64 * 16))
	SPEC[i]="${U[i]}=$a-$((a + 3))/$d-$((d + 15))"
	{
		printf '{\n  "mdev_type": "vfio_ap-passthrough",\n  "start": "manual",\n  "attrs": [\n'
		for ((k = a; k < a + 4; k++)); do printf '    {\n      "assign_adapter": "%d"\n    },\n' $k; done
		for ((k = d; k < d + 16; k++)); do
			printf '    {\n      "assign_domain": "%d"\n    }%s\n' $k "$([ $k -lt $((d + 15)) ] && echo ,)"
		done
		printf '  ]\n}\n'
	} >/etc/mdevctl.d/matrix/"${U[i]}"
done

# baseline: mdevctl start of every definition
count_start
t0=$(now)
for ((i = 0; i < N; i++)); do
	"$MC" start -u "${U[i]}" >/dev/null 2>&1 || die "mdevctl start ${U[i]} failed"
done
t1=$(now)
mc_writes=$(count_writes)
for ((i = 0; i < N; i++)); do
	[ -d "$MATRIX/${U[i]}" ] || die "mdevctl did not start ${U[i]}"
	read -r cfg <"$MATRIX/${U[i]}/ap_config"
	MC_CFG[i]=$cfg
done
for ((i = 0; i < N; i++)); do echo 1 >"$MATRIX/${U[i]}/remove"; done

# libapmatrix: one apply of the same N matrices
count_start
t2=$(now)
out=$("$APPLY" "${SPEC[@]}" 2>&1) || die "apply failed: $out"
t3=$(now)
lib_writes=$(count_writes)
for ((i = 0; i < N; i++)); do
	read -r cfg <"$MATRIX/${U[i]}/ap_config"
	[ "$cfg" = "${MC_CFG[i]}" ] || die "${U[i]}: library and mdevctl matrices differ"
done
lib_reported=$(sed -n 's/^applied: \([0-9]*\) writes$/\1/p' <<<"$out")
for ((i = 0; i < N; i++)); do echo 1 >"$MATRIX/${U[i]}/remove"; done
rm -f /etc/mdevctl.d/matrix/*

awk -v n="$N" -v mw="$mc_writes" -v lw="$lib_writes" -v lr="$lib_reported" \
	-v mt="$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" \
	-v lt="$(awk -v a="$t2" -v b="$t3" 'BEGIN{print b-a}')" 'BEGIN {
	printf "mdevs %d (4 adapters x 16 domains each)\n", n
	printf "mdevctl start:   %6d sysfs writes (%.1f per mdev), %8.2f s\n", mw, mw / n, mt
	printf "libapmatrix:     %6d sysfs writes (%.1f per mdev, library says %d), %8.2f s\n", lw, lw / n, lr, lt
	printf "speedup %.1fx, writes %.1fx fewer\n", (lt > 0 ? mt / lt : 0), (lw > 0 ? mw / lw : 0)
	printf "RESULT writes_per_mdev=%.2f mdevctl_writes_per_mdev=%.2f speedup=%.1f\n", lw / n, mw / n, (lt > 0 ? mt / lt : 0)
}'
