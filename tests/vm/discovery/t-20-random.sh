# shellcheck shell=bash
# The library in the guest against the simulator: after seeded random
# assign/unassign/ap_config/mask/ctl/bind operations, apmatrix_host_read()
# (tests/sysfs/host-dump) says exactly what an independent reader of sysfs
# (tests/sysfs/sysfs-dump.py) says, and the library's guest-matrix
# prediction equals the kernel's guest_matrix for every mdev.
# APVM_SEED=N picks the sequence (default 1); APVM_OPS the count (120).

DUMP=${APMATRIX_BUILD_DIR:-build}/tests/sysfs/host-dump
PYDUMP=tests/sysfs/sysfs-dump.py
PY=/usr/bin/python3

need_build() {
	[ -x "$DUMP" ] || skip "no $DUMP (build the tree, pass APMATRIX_BUILD_DIR)"
}

# compare WHAT: library snapshot vs independent reader, and the prediction.
compare() {
	local want got err
	want=$("$PY" "$PYDUMP" /sys 2>&1) || { fail "$1: sysfs-dump.py: $want"; return; }
	got=$("$DUMP" --predict 2>/tmp/dump.err)
	err=$(</tmp/dump.err)
	[ -z "$err" ] || fail "$1: host-dump --predict: $err"
	if [ "$got" != "$want" ]; then
		fail "$1: library snapshot differs from sysfs: $(diff <(echo "$want") <(echo "$got") | head -n 20)"
	fi
	CHECKS=$((CHECKS + 1))
}

# A random ID from the default topology (cards 0-5, domains 0-5, 0x47)
# or just outside it (6, 7, 0x48).
rid() {
	local r=$((RANDOM % 10))
	case $r in 6) R=0x47 ;; 7) R=6 ;; 8) R=0x48 ;; 9) R=7 ;; *) R=$r ;; esac
}

random_op() {
	local u n op=$((RANDOM % 16)) s
	n=${#UUIDS[@]}
	u=${UUIDS[RANDOM % (n > 0 ? n : 1)]:-}
	rid
	case $op in
	0) s=$(( RANDOM % 2 )); bw $AP/apmask "$([ $s = 0 ] && echo -)${R}" ;;
	1) s=$(( RANDOM % 2 )); bw $AP/aqmask "$([ $s = 0 ] && echo -)${R}" ;;
	2) [ -n "$u" ] && bw "$MATRIX/$u/assign_adapter" "$R" ;;
	3) [ -n "$u" ] && bw "$MATRIX/$u/assign_domain" "$R" ;;
	4) [ -n "$u" ] && bw "$MATRIX/$u/assign_control_domain" "$R" ;;
	5) [ -n "$u" ] && bw "$MATRIX/$u/unassign_adapter" "$R" ;;
	6) [ -n "$u" ] && bw "$MATRIX/$u/unassign_domain" "$R" ;;
	7) [ -n "$u" ] && bw "$MATRIX/$u/ap_config" \
		"$(mask "$R" $((RANDOM % 6))),$(mask $((RANDOM % 6)) 0x47),$(mask "$R")" ;;
	8) if [ "$n" -lt 4 ]; then
		u=$(uuid)
		bw "$TYPE/create" "$u" && UUIDS+=("$u")
	   fi ;;
	9) if [ -n "$u" ] && [ $((RANDOM % 3)) = 0 ]; then
		bw "$MATRIX/$u/remove" 1
		UUIDS=("${UUIDS[@]/$u}")
		UUIDS=(${UUIDS[@]})
	   fi ;;
	10) bw $SIM/ctl "config $((RANDOM % 6)) $((RANDOM % 2))" ;;
	11) bw $SIM/ctl "chkstop $((RANDOM % 6))$([ $((RANDOM % 2)) = 0 ] && echo ".$((RANDOM % 6))") $((RANDOM % 2))" ;;
	12) bw $SIM/ctl "online $((RANDOM % 6)) $((RANDOM % 2))" ;;
	13) bw $SIM/ctl "usage_domains $([ $((RANDOM % 2)) = 0 ] && echo - || echo +)$R" ;;
	14) if [ -e "$APDEV/0$((RANDOM % 6))" ] || true; then
		n=$(printf '%02x.%04x' $((RANDOM % 6)) $((RANDOM % 6)))
		drv "$n"
		if [ "$DRV" = none ]; then
			bw $AP/drivers/vfio_ap/bind "$n" || bw $AP/drivers/cex4queue/bind "$n"
		else
			bw "$AP/drivers/$DRV/unbind" "$n"
		fi
	    fi ;;
	15) if [ $((RANDOM % 4)) = 0 ]; then
		n=$((RANDOM % 6))
		if [ -e "$APDEV/card0$n" ]; then
			bw $SIM/ctl "remove_card $n"
		else
			bw $SIM/ctl "add_card $n CEX8C"
		fi
	    fi ;;
	esac
	OPS_OK=$((OPS_OK + ($? == 0)))
	return 0
}

test_random_operations() {
	need_build
	local seed=${APVM_SEED:-1} ops=${APVM_OPS:-120} i
	RANDOM=$seed
	UUIDS=()
	CHECKS=0 OPS_OK=0
	info "seed $seed, $ops operations"
	compare "before any operation"
	for ((i = 1; i <= ops; i++)); do
		random_op
		((i % 15 == 0)) && compare "after operation $i (seed $seed)"
	done
	compare "at the end (seed $seed)"
	info "$OPS_OK of $ops operations succeeded, $CHECKS snapshots compared"
	((OPS_OK > ops / 4)) || fail "only $OPS_OK of $ops random operations succeeded: the sequence tests little"
}

