# shellcheck shell=bash
# 256 adapters x 256 domains (65,536 queue devices; the boot's parameters
# from tests/vm/CMakeLists.txt). Avoid per-queue forks: everything here must
# stay fast under TCG.
# apvm: params cards=0-255:CEX8A usage_domains=0-255

test_full_host_topology() {
	expect_file $AP/bindings $'65536/65536 (complete)\n' "every queue bound"
	expect_file $AP/ap_max_adapter_id $'255\n'
	expect_file $AP/ap_max_domain_id $'255\n'
	expect_file $AP/ap_adapter_mask "$ALL1"$'\n' "QCI APM all ones"
	expect_file $AP/ap_usage_domain_mask "$ALL1"$'\n' "QCI AQM all ones"
	expect_exists $APDEV/ff.00ff "last queue"
	expect_file $APDEV/cardff/type $'CEX8A\n'
}

test_half_to_vfio() {
	local t0=$SECONDS n
	expect_write OK $AP/apmask -0-127 "give adapters 0-127 to vfio_ap (32,768 rebinds)"
	wait_bindings
	info "apmask -0-127 took $((SECONDS - t0)) s"
	n=$(ls $AP/drivers/vfio_ap | grep -c '^[0-9a-f][0-9a-f]\.')
	expect_eq "$n" 32768 "queues bound to vfio_ap"
	expect_driver 7f.00ff vfio_ap
	expect_driver 80.0000 cex4queue
	expect_file $AP/bindings $'65536/65536 (complete)\n'
	expect_write OK $AP/apmask "$ALL1" "everything back to the host"
	wait_bindings
	expect_driver 00.0000 cex4queue
}

test_big_mdev() {
	local u
	expect_write OK $AP/apmask -0-127
	u=$(new_mdev)
	expect_write OK "$MATRIX/$u/ap_config" "0x$(printf 'f%.0s' {1..32}),$ALL1,$ALL1" "128 adapters x 256 domains at once"
	expect_file "$MATRIX/$u/ap_config" "0x$(printf 'f%.0s' {1..32})$(printf '0%.0s' {1..32}),$ALL1,$ALL1"$'\n'
	# 32,768 APQN lines do not fit: sysfs output is cut at PAGE_SIZE (8
	# bytes per "AA.DDDD" line). Only ask for a well-formed, bounded start.
	local n
	n=$(wc -c <"$MATRIX/$u/matrix")
	(( n > 4000 && n <= 4096 )) || fail "matrix output of a 32,768-APQN mdev: $n bytes, want a PAGE_SIZE-bounded page"
	expect_eq "$(head -n 2 "$MATRIX/$u/matrix" | tr '\n' ' ')" "00.0000 00.0001 " "matrix starts adapter-major"
	expect_file "$APDEV/7f.00ff/status" $'assigned\n'
	expect_write EBUSY $AP/apmask +127 "reclaiming an adapter of the big mdev"
	local out
	out=$(timeout 120 vfio-client "$u" info "run:sed -n 's/^apm //p' $SIM/mdevs/$u/crycb" 2>&1)
	grep -q "^0x$(printf 'f%.0s' {1..32})$(printf '0%.0s' {1..32})$" <<<"$out" ||
		fail "CRYCB apm of the attached big mdev: $out"
	expect_write OK "$MATRIX/$u/ap_config" "0,0,0" "clear"
	expect_write OK $AP/apmask "$ALL1"
	wait_bindings
}

test_many_mdevs_partition() {
	# 16 mdevs, one adapter-column each, all 256 domains: no sharing.
	local i u
	expect_write OK $AP/apmask -0-15
	for i in $(seq 0 15); do
		u=$(new_mdev)
		bw "$MATRIX/$u/ap_config" "$(mask "$i"),$ALL1,0" || fail "mdev $i ap_config: $WR"
	done
	u=$(new_mdev)
	expect_write EADDRINUSE "$MATRIX/$u/ap_config" "$(mask 3),$(mask 200),0" "03.00c8 belongs to mdev 3"
	expect_file $TYPE/available_instances $'65519\n'
}
