# shellcheck shell=bash
# APXA off: limits 63/15, CRYCB format 1 (APCB0); IDs above the limits are
# dropped from the topology (kernel/README.md), range errors are ENODEV.
# apvm: params apxa=0 cards=0-63:CEX7C,100:CEX8A usage_domains=0-15,0x47 control_domains=0-15

test_limits() {
	expect_file $AP/ap_max_adapter_id $'63\n' "no APXA: 64 adapters"
	expect_file $AP/ap_max_domain_id $'15\n' "no APXA: 16 domains"
	[[ " $(cat $AP/features) " == *" APXA "* ]] && fail "features lists APXA with apxa=0"
	expect_absent $APDEV/card64 "card 100 (0x64) above the limit is not created"
	expect_absent $APDEV/00.0047 "domain 0x47 above the limit is not created"
	expect_file $AP/bindings $'1024/1024 (complete)\n' "64 cards x 16 domains"
}

test_assign_range() {
	local u
	u=$(new_mdev)
	setmask apmask -63
	setmask aqmask -15
	expect_write OK "$MATRIX/$u/assign_adapter" 63
	expect_write ENODEV "$MATRIX/$u/assign_adapter" 64 "adapter 64 without APXA"
	expect_write OK "$MATRIX/$u/assign_domain" 15
	expect_write ENODEV "$MATRIX/$u/assign_domain" 16 "domain 16 without APXA"
	expect_write ENODEV "$MATRIX/$u/assign_control_domain" 16 "control domain 16 without APXA"
	expect_write ENODEV "$MATRIX/$u/unassign_adapter" 64
	expect_file "$MATRIX/$u/matrix" $'3f.000f\n'
}

test_ap_config_range_order() {
	local u
	u=$(new_mdev)
	# adapter 64 is out of range AND in apmask (host pool): the host-pool
	# check comes first in mainline's ap_config_store.
	expect_write EADDRNOTAVAIL "$MATRIX/$u/ap_config" "$(mask 64),$(mask 1),0" "host pool before range"
	setmask apmask -64
	expect_write ENODEV "$MATRIX/$u/ap_config" "$(mask 64),$(mask 1),0" "adapter 64 out of range"
	expect_write ENODEV "$MATRIX/$u/ap_config" "0,0,$(mask 16)" "control domain 16 out of range"
	expect_file "$MATRIX/$u/ap_config" "$ZERO,$ZERO,$ZERO"$'\n' "unchanged"
}

test_crycb_format1() {
	local u out
	setmask apmask -4,-5
	u=$(new_mdev)
	assign "$u" ap_config 0x0c,0x6,0x6
	out=$(timeout 60 vfio-client "$u" "run:cat $SIM/mdevs/$u/crycb; od -An -tx1 -v $SIM/mdevs/$u/crycb.bin | tr -d ' \\n'; echo" 2>&1)
	grep -qx 'format 1' <<<"$out" || fail "CRYCB format 1 without APXA: $out"
	grep -qx 'apm 0x0c00000000000000' <<<"$out" || fail "APCB0 apm (16 hex digits): $out"
	grep -qx 'aqm 0x6000' <<<"$out" || fail "APCB0 aqm (4 hex digits): $out"
	grep -qx 'adm 0x6000' <<<"$out" || fail "APCB0 adm (4 hex digits): $out"
	local hex
	hex=$(grep -E '^[0-9a-f]{512}$' <<<"$out")
	expect_eq "${hex:0:16}" 0c00000000000000 "crycb.bin APCB0 apm u64 @0"
	expect_eq "${hex:16:4}" 6000 "crycb.bin APCB0 aqm @8"
	expect_eq "${hex:32:4}" 6000 "crycb.bin APCB0 adm @0x10"
	expect_eq "${hex:256:64}" "$(printf '0%.0s' {1..64})" "APCB1 empty in format 1"
}
