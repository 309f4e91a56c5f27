# shellcheck shell=bash
# ap_config: read format and all-or-nothing write with the mainline check
# order parse (EINVAL) -> host pool (EADDRNOTAVAIL) -> sharing (EADDRINUSE)
# -> range (ENODEV) (reference/vfio-ap-abi.md §2.3, §2.4).

test_read_format() {
	local u
	expect_write OK $AP/apmask -4
	u=$(new_mdev)
	assign "$u" assign_adapter 4
	assign "$u" assign_domain 1
	assign "$u" assign_domain 2
	assign "$u" assign_control_domain 0x47
	expect_file "$MATRIX/$u/ap_config" "$(mask 4),$(mask 1 2),$(mask 0x47)"$'\n' "ap_config = apm,aqm,adm (64 hex digits each)"
}

test_write_short_form() {
	local u
	expect_write OK $AP/apmask -4
	u=$(new_mdev)
	expect_write OK "$MATRIX/$u/ap_config" 0x08,0x6,0x6 "short form from the ABI example"
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0002\n'
	expect_file "$MATRIX/$u/control_domains" $'0001\n0002\n'
	expect_file "$MATRIX/$u/ap_config" "$(mask 4),$(mask 1 2),$(mask 1 2)"$'\n'
	expect_write OK "$MATRIX/$u/ap_config" $'08,0x2,4\n' "no 0x, trailing newline"
	expect_file "$MATRIX/$u/ap_config" "$(mask 4),$(mask 2),$(mask 1)"$'\n' "atomic replace"
	expect_file $APDEV/04.0001/status $'unassigned\n' "replaced-away APQN released"
	expect_write OK "$MATRIX/$u/ap_config" "$(cat "$MATRIX/$u/ap_config")" "read-back value writes back"
	expect_write OK "$MATRIX/$u/ap_config" 0,0,0 "clear all"
	expect_file "$MATRIX/$u/matrix" ""
	expect_file "$MATRIX/$u/ap_config" "$ZERO,$ZERO,$ZERO"$'\n'
}

test_write_parse_errors() {
	local u before
	expect_write OK $AP/apmask -4
	u=$(new_mdev)
	expect_write OK "$MATRIX/$u/ap_config" 0x08,0x4,0x4
	rd "$MATRIX/$u/ap_config"
	before=$RD
	expect_write EINVAL "$MATRIX/$u/ap_config" 0x08,0x4 "two tokens"
	expect_write EINVAL "$MATRIX/$u/ap_config" 0x08 "one token"
	expect_write EINVAL "$MATRIX/$u/ap_config" 0x08,0x4,0xg4 "junk in the third mask"
	expect_write EINVAL "$MATRIX/$u/ap_config" "0x08,0x4 ,0x4" "blank inside"
	expect_write EINVAL "$MATRIX/$u/ap_config" "0x$(printf '0%.0s' {1..64})1,0,0" "65 hex digits"
	expect_write EINVAL "$MATRIX/$u/ap_config" +4,+1,+1 "relative syntax is not accepted"
	expect_file "$MATRIX/$u/ap_config" "$before" "nothing changes on a parse error"
}

test_write_check_order() {
	local a b before
	expect_write OK $AP/apmask -4,-5
	a=$(new_mdev) b=$(new_mdev)
	expect_write OK "$MATRIX/$a/ap_config" 0x08,0x4,0 "a = 04.0001"
	rd "$MATRIX/$b/ap_config"
	before=$RD
	# host-owned (03.0001) + shared (04.0001) + out of range adapter/domain
	expect_write EADDRNOTAVAIL "$MATRIX/$b/ap_config" "0x18,0x4,0" "host pool before sharing"
	expect_write EADDRINUSE "$MATRIX/$b/ap_config" "0x0c,0x4,0" "sharing (04.0001 is a's)"
	expect_file "$MATRIX/$b/ap_config" "$before" "b unchanged after errors"
	expect_write OK "$MATRIX/$b/ap_config" "0x04,0x4,0" "b = 05.0001"
	local ma md
	ma=$(max_adapter) md=$(max_domain)
	if (( ma < 255 )); then
		# adapter ma+1 is out of range AND (being in apmask) host-owned
		expect_write EADDRNOTAVAIL "$MATRIX/$b/ap_config" "$(mask 5 $((ma + 1))),0x4,0" "host pool is checked before range"
		expect_write OK $AP/apmask -$((ma + 1))
		expect_write ENODEV "$MATRIX/$b/ap_config" "$(mask 5 $((ma + 1))),0x4,0" "adapter above ap_max_adapter_id"
	fi
	if (( md < 255 )); then
		expect_write ENODEV "$MATRIX/$b/ap_config" "0x04,0x4,$(mask $((md + 1)))" "control domain above max"
	fi
	expect_file "$MATRIX/$b/ap_config" "$(mask 5),$(mask 1),$ZERO"$'\n' "b still 05.0001"
}

test_write_full_length() {
	local u full
	setmask aqmask -1
	u=$(new_mdev)
	full="$(mask 4),$(mask 1),$(mask 1 0x47)"
	expect_eq "${#full}" 200 "three full masks are 200 bytes"
	expect_write OK "$MATRIX/$u/ap_config" "$full"$'\n' "201 bytes: three full masks + newline"
	expect_file "$MATRIX/$u/ap_config" "$full"$'\n'
	# mainline kstrndup(buf, AP_CONFIG_STRLEN) and three strsep() calls:
	# anything after the third mask is never looked at.
	expect_write OK "$MATRIX/$u/ap_config" "$(mask 5),$(mask 1),0,junk" "fourth token ignored"
	expect_file "$MATRIX/$u/matrix" $'05.0001\n'
}

test_write_then_unassign() {
	local u
	expect_write OK $AP/aqmask -1,-2
	u=$(new_mdev)
	expect_write OK "$MATRIX/$u/ap_config" 0x0f,0x6,0
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n06.0001\n06.0002\n07.0001\n07.0002\n'
	expect_write OK "$MATRIX/$u/unassign_adapter" 6
	expect_file "$MATRIX/$u/ap_config" "$(mask 4 5 7),$(mask 1 2),$ZERO"$'\n'
	expect_write EBUSY $AP/aqmask +2 "in-use check covers ap_config assignments"
}
