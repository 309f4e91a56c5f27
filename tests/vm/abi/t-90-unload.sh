# shellcheck shell=bash
# Unload with mdevs present; allocation counters balanced; no leak report.

counters_live_zero() {
	local bad
	bad=$(grep -v 'live=0$' "$SIM/counters" | grep 'live=')
	[ -z "$bad" ] || fail "counters not balanced: $bad"
}

test_counters_balance() {
	[ -r $SIM/counters ] || skip "no counters"
	expect_match "$(cat $SIM/counters)" 'card alloc=[0-9]+ free=[0-9]+ live=6' "6 live cards by default"
	local u c
	u=$(new_mdev)
	rm_mdev "$u"
	for c in $(cards); do ctl remove_card $((16#${c#card})); done
	expect_eq "$(cards | wc -l)" 0 "all cards removed"
	expect_eq "$(queues | wc -l)" 0 "all queues removed"
	expect_file $AP/ap_adapter_mask "$ZERO"$'\n' "empty QCI APM"
	counters_live_zero
}

test_unload_with_mdevs() {
	local a b
	expect_write OK $AP/apmask -4
	a=$(new_mdev) b=$(new_mdev)
	assign "$a" ap_config 0x08,0x6,0x6
	assign "$b" assign_control_domain 1
	vfio-client "$b" eventfd:0 eventfd:1 info >/dev/null
	dmesg_mark unload
	local r
	r=$(rmmod "$APVM_MODULE" 2>&1) || fail "rmmod with mdevs present failed: $r"
	expect_absent $MATRIX "matrix device gone"
	expect_absent $AP "AP bus gone"
	expect_absent /sys/class/mdev_bus/matrix
	local log
	log=$(dmesg_since unload)
	grep -q "leak check ok" <<<"$log" || fail "no 'leak check ok' on unload: $(tail -n3 <<<"$log")"
	grep -q "LEAK" <<<"$log" && fail "leak reported: $(grep LEAK <<<"$log")"
	# shellcheck disable=SC2086
	r=$(insmod "$APVM_KO" $APVM_CUR_PARAMS 2>&1) || die "reload failed: $r"
	expect_eq "$(mdevs | wc -l)" 0 "no mdevs after reload"
	expect_file $AP/bindings "42/42 (complete)"$'\n' "fresh topology after reload"
}

test_load_uevents() {
	local f r
	start_uevents
	r=$(rmmod "$APVM_MODULE" 2>&1) || fail "rmmod: $r"
	# shellcheck disable=SC2086
	r=$(insmod "$APVM_KO" $APVM_CUR_PARAMS 2>&1) || die "insmod: $r"
	f=$(stop_uevents)
	grep -q '^INITSCAN=done$' "$f" || fail "no INITSCAN=done uevent after load"
	grep -q '^BINDINGS=complete$' "$f" || fail "no BINDINGS=complete uevent after load"
	grep -q '^COMPLETECOUNT=[1-9]' "$f" || fail "no COMPLETECOUNT with BINDINGS=complete"
	grep -A8 -E 'add +/devices/ap/card00 \(ap\)' "$f" | grep -q '^DEVTYPE=ap_card$' || fail "card add uevent lacks DEVTYPE=ap_card"
	grep -A8 -E 'add +/devices/ap/card00/00.0001 \(ap\)' "$f" | grep -q '^DEVTYPE=ap_queue$' || fail "queue add uevent lacks DEVTYPE=ap_queue"
	grep -A8 -E 'add +/devices/vfio_ap/matrix \(matrix\)' "$f" >/dev/null || fail "no add uevent for the matrix device (SUBSYSTEM=matrix)"
	rm -f "$f"
}

test_unload_reload_cycles() {
	local i r
	for i in 1 2 3; do
		new_mdev >/dev/null
		r=$(rmmod "$APVM_MODULE" 2>&1) || { fail "rmmod cycle $i: $r"; return; }
		# shellcheck disable=SC2086
		r=$(insmod "$APVM_KO" $APVM_CUR_PARAMS 2>&1) || die "insmod cycle $i: $r"
	done
}
