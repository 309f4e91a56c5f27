# shellcheck shell=bash
# The library in the guest against the simulator's default topology:
# apmatrix_host_read() (tests/sysfs/host-dump) with a guest attached says
# what an independent reader (tests/sysfs/sysfs-dump.py) says; the
# list-queues example; no AP bus.

DUMP=${APMATRIX_BUILD_DIR:-build}/tests/sysfs/host-dump
PYDUMP=tests/sysfs/sysfs-dump.py
PY=/usr/bin/python3

need_build() {
	[ -x "$DUMP" ] || skip "no $DUMP (build the tree, pass APMATRIX_BUILD_DIR)"
}

test_attached_guest() {
	need_build
	local u out
	setmask apmask -4,-5
	u=$(new_mdev)
	assign "$u" ap_config "$(mask 4 5),$(mask 0 1 0x47),$(mask 1)"
	# The device open = a guest attached: queues "in use" in both readers.
	out=$(vfio-client "$u" info "run:$PY $PYDUMP /sys >/tmp/want.txt; $DUMP --predict >/tmp/got.txt" 2>&1)
	[[ $out == *"run=0"* ]] || fail "vfio-client run: $out"
	rd /tmp/want.txt; local want=$RD
	rd /tmp/got.txt
	[ "$RD" = "$want" ] || fail "attached: $(diff /tmp/want.txt /tmp/got.txt | head -n 20)"
	[[ $RD == *"queue 04.0047 driver vfio_ap online ? config 1 chkstop 0 status in_use"* ]] ||
		fail "04.0047 of the attached mdev is not reported in use"
}

test_list_queues_example() {
	local ex=${APMATRIX_BUILD_DIR:-build}/examples/list-queues out n
	[ -x "$ex" ] || skip "no $ex"
	setmask apmask -5
	out=$("$ex") || fail "list-queues failed: $out"
	n=$(grep -c '^[0-9a-f][0-9a-f]\.[0-9a-f]\{4\} ' <<<"$out")
	expect_eq "$n" 42 "queues listed by list-queues"
	expect_match "$out" $'\n05\\.0047 +CEX8A +accel +vfio_ap +- +1 +0 +unassigned' "05.0047 line"
	expect_match "$out" $'\n00\\.0000 +CEX8C +cca +host +1 +1 +0 +-' "00.0000 line"
}

test_no_ap_bus() {
	need_build
	local out
	out=$("$DUMP" --root /proc 2>&1)
	[ $? = 1 ] || fail "host-dump on a root without an AP bus did not fail"
	expect_match "$out" "no AP bus under the sysfs root \"/proc\"" "diagnostic"
}
