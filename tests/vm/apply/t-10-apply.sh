# shellcheck shell=bash
# Applying desired states with the library (examples/apply-state): the
# reservation, one ap_config write per mdev, idempotence, hot plug of an
# mdev a guest uses, refusals before any write.
. "${BASH_SOURCE[0]%/*}/common.sh"

test_reserve_and_start() {
	need_apply
	local u
	u=$(uuid)
	# 04.0001 and 04.0002 to vfio_ap: -4 moves 7 queues, -1,-2 would move 10
	ap vfio=4/1-2 "$u=4/1-2/1-2"
	[ $AP_RC = 0 ] || fail "apply failed: $AP_OUT"
	expect_match "$AP_OUT" "1\. release: -4 > /sys/bus/ap/apmask \(7 queues to vfio_ap, 5 not asked for\)" "release step"
	expect_match "$AP_OUT" "applied: 3 writes" "release, create, ap_config"
	expect_file $AP/apmask "$(mask 0 1 2 3 $(ids 5 255))"$'\n'
	expect_driver 04.0001 vfio_ap
	expect_driver 04.0000 vfio_ap "collateral queue 04.0000"
	expect_driver 03.0001 cex4queue
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0002\n'
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n'
	expect_file "$MATRIX/$u/control_domains" $'0001\n0002\n'
	# the same state again: nothing to write
	snapshot
	local before=$SNAP
	ap vfio=4/1-2 "$u=4/1-2/1-2"
	[ $AP_RC = 0 ] || fail "second apply failed: $AP_OUT"
	expect_match "$AP_OUT" "^guest $u: 2 APQNs"$'\n'"applied: 0 writes$" "idempotent: no step printed"
	snapshot
	expect_eq "$SNAP" "$before" "host after the second apply"
}

test_assign_path() {
	need_apply
	local u
	u=$(uuid)
	setmask apmask -4,-5
	ap --assign "$u=4-5/1-2/1"
	[ $AP_RC = 0 ] || fail "apply --assign failed: $AP_OUT"
	expect_match "$AP_OUT" "applied: 6 writes" "create + 2 adapters + 2 domains + 1 control"
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n'
	# shrink and grow in one go: unassign before assign
	ap --assign "$u=5/2-3/"
	[ $AP_RC = 0 ] || fail "second apply --assign failed: $AP_OUT"
	expect_match "$AP_OUT" "1\. unassign $u: 0x1 > /sys/devices/vfio_ap/matrix/$u/unassign_control_domain" "controls go first"
	expect_file "$MATRIX/$u/matrix" $'05.0002\n05.0003\n'
	expect_file "$MATRIX/$u/control_domains" ""
}

# Live change of an mdev a guest uses: one ap_config write, the guest's
# CRYCB follows.
test_hot_plug() {
	need_apply
	local u out n0 n1
	setmask apmask -4,-5
	u=$(uuid)
	ap "$u=4/1/1"
	[ $AP_RC = 0 ] || fail "start failed: $AP_OUT"
	out=$(timeout 60 vfio-client "$u" "run:$APPLY $u=4-5/1-2/1 >${TMPDIR:-/tmp}/hp.out 2>&1" info 2>&1)
	[[ $out == *run=0* ]] || fail "hot plug apply in a running guest: $out $(cat "${TMPDIR:-/tmp}/hp.out")"
	expect_match "$(cat "${TMPDIR:-/tmp}/hp.out")" "applied: 1 writes" "one ap_config write"
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n'
	rd "$SIM/mdevs/$u/crycb"
	expect_match "$RD" "updates [2-9]" "CRYCB rewritten while attached"
}

test_refused_up_front() {
	need_apply
	local a b before
	setmask apmask -4
	a=$(uuid)
	b=$(uuid)
	ap "$a=4/1-2"
	[ $AP_RC = 0 ] || fail "setup apply: $AP_OUT"
	snapshot
	before=$SNAP
	# sharing with a live mdev (EADDRINUSE), named with the APQN and mdev
	ap "$b=4/2-3"
	[ $AP_RC = 1 ] || fail "apply of a shared APQN: status $AP_RC: $AP_OUT"
	expect_match "$AP_OUT" "refused: step 2 .*another mediated device: mdev $a already holds APQN 04.0002" "refusal names mdev and APQN"
	expect_match "$AP_OUT" "failed: step 2 .*04\.0002" "result"
	expect_match "$AP_OUT" "0 writes in all" "nothing written"
	# host pool (EADDRNOTAVAIL)
	ap "$b=3/1"
	[ $AP_RC = 1 ] || fail "apply into the host pool: $AP_OUT"
	expect_match "$AP_OUT" "reserved for the host.*APQN 03.0001" "host pool refusal"
	# reclaim of a held queue (EBUSY)
	ap host=4/1
	[ $AP_RC = 1 ] || fail "reclaim of a held queue: $AP_OUT"
	expect_match "$AP_OUT" "cannot reclaim.*mdev $a holds APQNs 04.0001, 04.0002" "reclaim refusal"
	snapshot
	expect_eq "$SNAP" "$before" "host after refusals"
}

# Give the queues back: remove the mdev first, then +4.
test_remove_and_reclaim() {
	need_apply
	local a
	setmask apmask -4
	a=$(uuid)
	ap "$a=4/1"
	[ $AP_RC = 0 ] || fail "setup apply: $AP_OUT"
	ap "$a=-" host=4/0-5
	[ $AP_RC = 0 ] || fail "remove + reclaim: $AP_OUT"
	expect_match "$AP_OUT" "1\. remove $a" "remove first"
	expect_match "$AP_OUT" "2\. reclaim: \+4 > /sys/bus/ap/apmask" "reclaim after"
	expect_absent "$MATRIX/$a"
	expect_file $AP/apmask "$ALL1"$'\n'
	expect_driver 04.0001 cex4queue
}
