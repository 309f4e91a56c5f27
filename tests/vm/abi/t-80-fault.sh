# shellcheck shell=bash
# Fault injection through debugfs (kernel/README.md "Fault injection"): the
# Nth matching write fails with the chosen errno, before any parsing or side
# effect; rules fire once.

F=$SIM/fault

setup() {
	[ -w $F ] || skip "no $F"
}

test_next_write_fails() {
	setup
	local u
	expect_write OK $AP/apmask -4
	u=$(new_mdev)
	expect_write OK $F "assign_adapter 1 EIO"
	expect_match "$(cat $F)" "assign_adapter 1 (5|EIO) -" "armed rule listed as '<attr> <remaining> <errno> <path|->'"
	expect_write EIO "$MATRIX/$u/assign_adapter" 4 "injected EIO"
	expect_file "$MATRIX/$u/matrix" "" "no side effect of the failed write"
	expect_write OK "$MATRIX/$u/assign_adapter" 4 "rule fired once"
	expect_file "$MATRIX/$u/matrix" $'04.\n'
	expect_match "$(cat $F)" 'fired 1' "fired counter"
}

test_nth_write() {
	setup
	local u
	u=$(new_mdev)
	expect_write OK $F "assign_control_domain 3 ENOSPC"
	expect_write OK "$MATRIX/$u/assign_control_domain" 1 "1st"
	expect_write OK "$MATRIX/$u/assign_control_domain" 2 "2nd"
	expect_write ENOSPC "$MATRIX/$u/assign_control_domain" 3 "3rd write fails"
	expect_write OK "$MATRIX/$u/assign_control_domain" 3 "4th"
	expect_file "$MATRIX/$u/control_domains" $'0001\n0002\n0003\n'
}

test_errno_by_number_and_path() {
	setup
	local a b
	a=$(new_mdev) b=$(new_mdev)
	expect_write OK $F "assign_domain 1 16 $a"
	expect_write OK "$MATRIX/$b/assign_domain" 1 "rule for mdev a does not match b"
	expect_write EBUSY "$MATRIX/$a/assign_domain" 1 "errno 16 = EBUSY on a"
	expect_file "$MATRIX/$a/matrix" "" "a unchanged"
}

test_bus_attr_fault_no_side_effect() {
	setup
	expect_write OK $F "apmask 1 EAGAIN /bus/ap"
	start_uevents
	expect_write EAGAIN $AP/apmask -4 "injected on a bus attribute"
	local f
	f=$(stop_uevents)
	expect_file $AP/apmask "$ALL1"$'\n' "apmask unchanged"
	expect_driver 04.0001 cex4queue "no rebinding"
	grep -q APMASK= "$f" && fail "failed write sent an APMASK uevent"
	rm -f "$f"
}

test_ap_config_and_card_config() {
	setup
	local u
	expect_write OK $AP/apmask -4
	u=$(new_mdev)
	expect_write OK $F "ap_config 1 ENOMEM"
	expect_write ENOMEM "$MATRIX/$u/ap_config" 0x08,0x4,0x4
	expect_file "$MATRIX/$u/ap_config" "$ZERO,$ZERO,$ZERO"$'\n' "ap_config unchanged"
	expect_write OK $F "config 1 EIO card03"
	expect_write OK $APDEV/card02/config 0 "other card not affected"
	expect_write EIO $APDEV/card03/config 0 "SCLP error propagated"
	expect_file $APDEV/card03/config $'1\n'
	expect_write OK $APDEV/card02/config 1
}

test_create_fault() {
	setup
	expect_write OK $F "create 1 ENOSPC"
	local u
	u=$(uuid)
	expect_write ENOSPC $TYPE/create "$u" "injected probe failure"
	expect_absent "$MATRIX/$u"
	expect_file $TYPE/available_instances $'65536\n' "failed create leaves no instance"
	expect_write OK $TYPE/create "$u" "next create works"
}

test_rule_syntax() {
	setup
	expect_write EINVAL $F "assign_adapter 1 ENOTANERRNO" "unknown errno name"
	expect_write EINVAL $F "assign_adapter" "missing fields"
	expect_write EINVAL $F "assign_adapter 0 EIO" "nth must be >= 1"
	expect_write OK $F "matrix 1 EIO"
	expect_write OK $F clear
	expect_eq "$(grep -vc '^fired' $F)" 0 "clear removes every armed rule"
}
