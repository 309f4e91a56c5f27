# shellcheck shell=bash
# apmask / aqmask: absolute and relative syntax, errors, uevents, rebinding
# and the in-use check (reference/vfio-ap-abi.md §1.3, §3.5; parser as in
# mainline ap_bus.c hex2bitmap()/modify_bitmap()).

Z63=$(printf '0%.0s' {1..63})

test_absolute_syntax() {
	local m
	for m in apmask aqmask; do
		expect_write OK $AP/$m 0x41 "$m absolute"
		expect_file $AP/$m "$(mask 1 7)"$'\n' "$m 0x41 = IDs 1 and 7 (left-aligned, zero padded)"
		expect_write OK $AP/$m 41 "$m without 0x prefix"
		expect_file $AP/$m "$(mask 1 7)"$'\n'
		expect_write OK $AP/$m x8 "$m with bare x prefix"
		expect_file $AP/$m "$(mask 0)"$'\n'
		expect_write OK $AP/$m $'0xA0\n' "$m upper-case hex + newline"
		expect_file $AP/$m "$(mask 0 2)"$'\n'
		expect_write OK $AP/$m "0x${Z63}1" "$m 64 digits"
		expect_file $AP/$m "$(mask 255)"$'\n'
		expect_write OK $AP/$m "$ALL1" "$m back to all ones"
		expect_write EINVAL $AP/$m "0x${Z63}10" "$m with 65 hex digits"
		expect_write EINVAL $AP/$m 0x4g "$m with a non-hex digit"
		expect_write EINVAL $AP/$m "0x41 " "$m with a trailing blank"
		expect_write EINVAL $AP/$m $'0x41\n\n' "$m with two newlines"
		expect_file $AP/$m "$ALL1"$'\n' "$m unchanged by failed writes"
	done
	# hex2bitmap accepts an empty digit string: the mask becomes all zero.
	expect_write OK $AP/aqmask 0x "aqmask '0x' (no digits)"
	expect_file $AP/aqmask "$ZERO"$'\n' "aqmask '0x' clears every bit"
}

test_relative_syntax() {
	expect_write OK $AP/apmask -5,-6
	expect_file $AP/apmask "0xf9$(printf 'f%.0s' {1..62})"$'\n' "apmask after -5,-6"
	expect_write OK $AP/apmask 0x0 "apmask absolute zero"
	expect_write OK $AP/apmask +0,-6,+0x47,-0xf0
	expect_file $AP/apmask "$(mask 0 0x47)"$'\n' "+0,-6,+0x47,-0xf0"
	expect_write OK $AP/apmask +0-15,-8
	expect_file $AP/apmask "$(mask 0 1 2 3 4 5 6 7 9 10 11 12 13 14 15 0x47)"$'\n' "+0-15,-8: range then last op wins"
	expect_write OK $AP/apmask -0-255,+010 "octal: 010 is 8"
	expect_file $AP/apmask "$(mask 8)"$'\n' "-0-255,+010"
	expect_write OK $AP/apmask $'+1\n,+2,\n+3\n' "newlines between terms"
	expect_file $AP/apmask "$(mask 1 2 3 8)"$'\n'
	expect_write OK $AP/apmask +255 "ID 255 is the last valid one"
	expect_write OK $AP/apmask +0x10-0x12
	expect_file $AP/apmask "$(mask 1 2 3 8 16 17 18 255)"$'\n'
	local want
	want=$(mask 1 2 3 8 16 17 18 255)$'\n'
	expect_write EINVAL $AP/apmask +256 "relative ID >255"
	expect_write EINVAL $AP/apmask +0-256 "range end >255"
	expect_write EINVAL $AP/apmask +5-4 "range with N > M"
	expect_write EINVAL $AP/apmask +1,2 "term without sign"
	expect_write EINVAL $AP/apmask +1,,+2x "junk after a number"
	expect_write EINVAL $AP/apmask + "sign without number"
	expect_write EINVAL $AP/apmask "+1 " "trailing blank"
	expect_write EINVAL $AP/apmask +4294967296 "number beyond INT_MAX (mainline fix: unsigned long)"
	expect_write EINVAL $AP/apmask +08 "invalid octal digit"
	expect_write EINVAL $AP/apmask +1,+300 "a bad later term rejects the whole write"
	expect_file $AP/apmask "$want" "apmask unchanged by failed writes"
	expect_write OK $AP/aqmask -0x47
	expect_file $AP/aqmask "$(mask $(seq 0 70) $(seq 72 255))"$'\n' "aqmask -0x47"
}

test_noop_sends_no_uevent() {
	start_uevents
	expect_write OK $AP/apmask "$ALL1" "same value (no change)"
	expect_write OK $AP/apmask +3 "setting a set bit (no change)"
	local f
	f=$(stop_uevents)
	grep -q 'APMASK=' "$f" && fail "no-op apmask write sent an APMASK uevent"
	start_uevents
	expect_write OK $AP/apmask -3
	expect_write OK $AP/aqmask -2
	f=$(stop_uevents)
	expect_eq "$(grep -c '^APMASK=' "$f")" 1 "exactly one APMASK uevent for one change"
	expect_eq "$(grep -c '^AQMASK=' "$f")" 1 "exactly one AQMASK uevent for one change"
	grep -q "^APMASK=0xef" "$f" || fail "APMASK uevent value: $(grep APMASK= "$f")"
	grep -B6 '^APMASK=' "$f" | grep -q 'change.*/devices/ap (ap)' || fail "APMASK uevent must be a change on the AP root"
	rm -f "$f"
}

test_binding_moves_with_apmask() {
	local q
	for q in 04.0000 04.0001 04.0047; do expect_driver $q cex4queue "$q before"; done
	expect_write OK $AP/apmask -4
	# The write re-probes synchronously (kernel/README.md), wait anyway.
	wait_bindings
	for q in 04.0000 04.0001 04.0047; do expect_driver $q vfio_ap "$q after apmask -4"; done
	expect_driver 03.0001 cex4queue "03.0001 untouched"
	expect_driver card04 cex4card "cards never move to vfio_ap"
	expect_exists $APDEV/04.0001/status "vfio_ap adds status"
	expect_file $APDEV/04.0001/status $'unassigned\n' "status of a free vfio_ap queue"
	expect_absent $APDEV/04.0001/online "online belongs to cex4queue"
	expect_write OK $AP/apmask +4
	wait_bindings
	for q in 04.0000 04.0001 04.0047; do expect_driver $q cex4queue "$q after apmask +4"; done
	expect_absent $APDEV/04.0001/status
}

test_binding_moves_with_aqmask() {
	expect_write OK $AP/aqmask -1,-2
	wait_bindings
	local c
	for c in 00 01 02 03 04 05; do
		expect_driver $c.0001 vfio_ap "$c.0001 after aqmask -1,-2"
		expect_driver $c.0002 vfio_ap "$c.0002"
		expect_driver $c.0003 cex4queue "$c.0003"
	done
	expect_write OK $AP/aqmask "$ALL1"
	wait_bindings
	expect_driver 05.0002 cex4queue "05.0002 back to host"
}

test_wrong_driver_bind_refused() {
	# Host-pool queue may only bind cex4queue: manual bind to vfio_ap fails.
	expect_write OK $AP/drivers/cex4queue/unbind 02.0003
	expect_driver 02.0003 none "02.0003 after unbind"
	local r
	r=$(wr $AP/drivers/vfio_ap/bind 02.0003)
	[ "$r" != OK ] || fail "binding a host-pool queue to vfio_ap succeeded"
	expect_driver 02.0003 none "02.0003 must not bind vfio_ap"
	expect_write OK $AP/drivers/cex4queue/bind 02.0003
	expect_driver 02.0003 cex4queue
	expect_write EBUSY $AP/drivers/cex4queue/bind 02.0003 "bind of an already bound device (driver core)"
}

test_in_use_ebusy() {
	expect_write OK $AP/apmask -4
	local u
	u=$(new_mdev)
	assign "$u" assign_adapter 4
	assign "$u" assign_domain 1
	dmesg_mark inuse
	expect_write EBUSY $AP/apmask +4 "reclaiming adapter 4 while 04.0001 is assigned"
	expect_file $AP/apmask "$(mask 0 1 2 3 $(seq 5 255))"$'\n' "apmask unchanged after EBUSY"
	expect_driver 04.0001 vfio_ap "04.0001 stays with vfio_ap"
	expect_write EBUSY $AP/apmask "$ALL1" "absolute write that re-adds adapter 4"
	dmesg_since inuse | grep -q 'Can not reserve queue 04.0001 for host driver: in use by mdev' ||
		fail "kernel log lacks 'Can not reserve queue 04.0001 for host driver: in use by mdev': $(dmesg_since inuse | tail -n3)"
	# Clearing bits is never checked.
	expect_write OK $AP/aqmask -1 "giving more queues to vfio while assigned"
	# aqmask +1 crosses domain 1 with the current apmask (no adapter 4): no
	# assigned APQN is in that product, so mainline allows it.
	expect_write OK $AP/aqmask +1 "domain 1 back while adapter 4 is vfio's: no assigned APQN reclaimed"
	expect_write OK "$MATRIX/$u/unassign_domain" 1
	expect_write OK $AP/apmask +4 "reclaim after unassign"
	wait_bindings
	expect_driver 04.0001 cex4queue
}

test_in_use_without_domains() {
	# An mdev with adapters but no domains has no APQNs: nothing is in use.
	expect_write OK $AP/apmask -4
	local u
	u=$(new_mdev)
	assign "$u" assign_adapter 4
	expect_write OK $AP/apmask +4 "adapter-only mdev does not block reclaim"
}
