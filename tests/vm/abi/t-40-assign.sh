# shellcheck shell=bash
# assign_/unassign_ adapter/domain/control_domain: parse (kstrtoul base 0),
# range, host pool, sharing, no-op rules and their order; matrix and
# control_domains output formats (reference/vfio-ap-abi.md §2.3, §3.1).

test_parse_errors() {
	local u f
	u=$(new_mdev)
	for f in assign_adapter unassign_adapter assign_domain unassign_domain assign_control_domain unassign_control_domain; do
		expect_write EINVAL "$MATRIX/$u/$f" abc "$f non-numeric"
		expect_write EINVAL "$MATRIX/$u/$f" -1 "$f negative (kstrtoul)"
		expect_write EINVAL "$MATRIX/$u/$f" "1 2" "$f two numbers"
		expect_write EINVAL "$MATRIX/$u/$f" 0x "$f bare 0x"
		expect_write EINVAL "$MATRIX/$u/$f" $'3\n\n' "$f two newlines"
		expect_write ERANGE "$MATRIX/$u/$f" 99999999999999999999999 "$f overflowing unsigned long (kstrtoul)"
	done
	expect_file "$MATRIX/$u/matrix" "" "nothing assigned by failed writes"
}

test_base0_parsing() {
	local u
	u=$(new_mdev)
	expect_write OK "$MATRIX/$u/assign_adapter" 010 "octal"
	expect_write OK "$MATRIX/$u/assign_adapter" 0x0a "hex"
	expect_write OK "$MATRIX/$u/assign_adapter" $'12\n' "decimal + newline"
	expect_file "$MATRIX/$u/matrix" $'08.\n0a.\n0c.\n' "010 is adapter 8 (octal), 0x0a is 10"
	expect_write OK "$MATRIX/$u/unassign_adapter" 0x8
	expect_file "$MATRIX/$u/matrix" $'0a.\n0c.\n'
}

test_range_enodev() {
	local u ma md
	u=$(new_mdev)
	ma=$(max_adapter) md=$(max_domain)
	setmask apmask -"$ma"
	expect_write OK "$MATRIX/$u/assign_adapter" "$ma" "adapter = ap_max_adapter_id"
	expect_write OK "$MATRIX/$u/assign_domain" "$md" "domain = ap_max_domain_id"
	expect_write OK "$MATRIX/$u/assign_control_domain" "$md" "control domain = max"
	if (( ma < 255 )); then
		expect_write ENODEV "$MATRIX/$u/assign_adapter" $((ma + 1)) "adapter above ap_max_adapter_id"
		expect_write ENODEV "$MATRIX/$u/unassign_adapter" $((ma + 1)) "unassign adapter above max"
	fi
	if (( md < 255 )); then
		expect_write ENODEV "$MATRIX/$u/assign_domain" $((md + 1)) "domain above ap_max_domain_id"
		expect_write ENODEV "$MATRIX/$u/assign_control_domain" $((md + 1)) "control domain above max"
		expect_write ENODEV "$MATRIX/$u/unassign_domain" $((md + 1))
		expect_write ENODEV "$MATRIX/$u/unassign_control_domain" $((md + 1))
	fi
	expect_write ENODEV "$MATRIX/$u/assign_adapter" 256 "adapter 256"
	expect_write ENODEV "$MATRIX/$u/assign_domain" 256 "domain 256"
	expect_write ENODEV "$MATRIX/$u/assign_control_domain" 256 "control domain 256"
	expect_write ENODEV "$MATRIX/$u/unassign_adapter" 1000
	expect_write ENODEV "$MATRIX/$u/assign_adapter" 4294967296 "huge but parseable adapter"
}

test_host_pool_eaddrnotavail() {
	local u
	u=$(new_mdev)
	# Default masks: everything belongs to the host. One axis alone is fine.
	expect_write OK "$MATRIX/$u/assign_adapter" 4 "adapter without domains never conflicts"
	expect_write EADDRNOTAVAIL "$MATRIX/$u/assign_domain" 1 "04.0001 is in the host pool"
	expect_file "$MATRIX/$u/matrix" $'04.\n' "failed assign_domain rolled back"
	expect_write OK "$MATRIX/$u/assign_control_domain" 1 "control domains have no pool check"
	expect_write OK $AP/apmask -4
	expect_write OK "$MATRIX/$u/assign_domain" 1 "after apmask -4"
	expect_write OK "$MATRIX/$u/assign_domain" 0x47
	expect_write EADDRNOTAVAIL "$MATRIX/$u/assign_adapter" 3 "adapter 3 x domains 1,0x47 are host-owned"
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0047\n' "failed assign_adapter rolled back"
	# Over-provisioning: non-existent queues need no binding.
	expect_write OK $AP/apmask -0x80
	expect_write OK "$MATRIX/$u/assign_adapter" 0x80 "adapter 0x80 has no card (over-provisioning)"
	expect_write OK "$MATRIX/$u/assign_domain" 0x99 "domain 0x99 not in host config"
}

test_sharing_eaddrinuse() {
	local a b
	expect_write OK $AP/apmask -4,-5
	a=$(new_mdev) b=$(new_mdev)
	assign "$a" assign_adapter 4
	assign "$a" assign_domain 1
	assign "$b" assign_domain 1
	dmesg_mark share
	expect_write EADDRINUSE "$MATRIX/$b/assign_adapter" 4 "04.0001 belongs to mdev $a"
	expect_file "$MATRIX/$b/matrix" $'.0001\n' "failed assign rolled back (domain-only matrix)"
	dmesg_since share | grep -q "Userspace may not assign queue 04.0001 to mdev: already assigned to $a" ||
		fail "kernel log lacks the sharing message naming 04.0001 and $a: $(dmesg_since share | tail -n2)"
	expect_write OK "$MATRIX/$b/assign_adapter" 5 "adapter 5 is free"
	expect_write EADDRINUSE "$MATRIX/$a/assign_adapter" 5 "05.0001 now belongs to $b"
	assign "$b" assign_domain 2
	expect_write OK "$MATRIX/$a/assign_domain" 3 "a: 04.0003 is free"
	expect_write OK "$MATRIX/$a/assign_domain" 2 "04.0002: b has adapter 5 only, no sharing"
	expect_file "$MATRIX/$a/matrix" $'04.0001\n04.0002\n04.0003\n'
	expect_file "$MATRIX/$b/matrix" $'05.0001\n05.0002\n'
}

test_sharing_exact() {
	# Two mdevs conflict only when adapter AND domain sets intersect.
	local a b
	expect_write OK $AP/apmask -4,-5
	a=$(new_mdev) b=$(new_mdev)
	assign "$a" assign_adapter 4
	assign "$a" assign_domain 1
	assign "$b" assign_adapter 5
	expect_write OK "$MATRIX/$b/assign_domain" 1 "05.0001 is not 04.0001"
	expect_write EADDRINUSE "$MATRIX/$b/assign_adapter" 4 "04.0001 would be shared"
	expect_write OK "$MATRIX/$a/assign_domain" 2 "04.0002 free"
	expect_write EADDRINUSE "$MATRIX/$b/assign_adapter" 4 "still shared"
	expect_file "$MATRIX/$b/matrix" $'05.0001\n'
}

test_control_domains_shared() {
	local a b
	a=$(new_mdev) b=$(new_mdev)
	expect_write OK "$MATRIX/$a/assign_control_domain" 1
	expect_write OK "$MATRIX/$b/assign_control_domain" 1 "control domains may be shared"
	expect_write OK "$MATRIX/$b/assign_control_domain" 0x47
	expect_file "$MATRIX/$b/control_domains" $'0001\n0047\n' "control_domains format %04lx per line"
	expect_file "$MATRIX/$b/matrix" "" "control domains do not appear in matrix"
	expect_write OK "$MATRIX/$b/unassign_control_domain" 1
	expect_file "$MATRIX/$b/control_domains" $'0047\n'
}

test_check_order() {
	local a b
	a=$(new_mdev) b=$(new_mdev)
	expect_write EINVAL "$MATRIX/$a/assign_adapter" 999x "parse error first"
	assign "$a" assign_domain 1
	# Default masks: 04.0001 would be host-owned, 256 is out of range.
	expect_write ENODEV "$MATRIX/$a/assign_adapter" 256 "range is checked before the host pool"
	expect_write EADDRNOTAVAIL "$MATRIX/$a/assign_adapter" 4 "sanity: 04.0001 is host-owned"
	expect_write OK $AP/aqmask -1
	expect_write OK "$MATRIX/$a/assign_adapter" 4 "04.0001 left the host pool"
	expect_write OK "$MATRIX/$a/assign_adapter" 4 "already assigned adapter = success"
	expect_write OK "$MATRIX/$a/assign_domain" 1 "already assigned domain = success"
	expect_file "$MATRIX/$a/matrix" $'04.0001\n' "no-op changed nothing"
	# b gets domains 1,2; adapter 4 would add 04.0001 (a's: sharing) and
	# 04.0002 (host-owned): the host-pool error must win.
	assign "$b" assign_domain 1
	assign "$b" assign_domain 2
	expect_write EADDRNOTAVAIL "$MATRIX/$b/assign_adapter" 4 "host-pool check comes before the sharing check"
	expect_file "$MATRIX/$b/matrix" $'.0001\n.0002\n' "b unchanged"
	expect_write OK "$MATRIX/$b/unassign_domain" 2
	expect_write EADDRINUSE "$MATRIX/$b/assign_adapter" 4 "only sharing left"
}

test_unassign_noop() {
	local u
	u=$(new_mdev)
	expect_write OK "$MATRIX/$u/unassign_adapter" 7 "unassigning an unassigned adapter"
	expect_write OK "$MATRIX/$u/unassign_domain" 7
	expect_write OK "$MATRIX/$u/unassign_control_domain" 7
	expect_file "$MATRIX/$u/matrix" ""
}

test_matrix_formats() {
	local u
	expect_write OK $AP/apmask -4,-0x1a
	u=$(new_mdev)
	assign "$u" assign_adapter 0x1a
	assign "$u" assign_adapter 4
	expect_file "$MATRIX/$u/matrix" $'04.\n1a.\n' "adapters only: AA. per adapter, ascending"
	assign "$u" assign_domain 0x47
	assign "$u" assign_domain 2
	expect_file "$MATRIX/$u/matrix" $'04.0002\n04.0047\n1a.0002\n1a.0047\n' "AA.DDDD adapter-major, ascending"
	expect_write OK "$MATRIX/$u/unassign_adapter" 4
	expect_write OK "$MATRIX/$u/unassign_adapter" 0x1a
	expect_file "$MATRIX/$u/matrix" $'.0002\n.0047\n' "domains only: .DDDD per domain"
	expect_file "$MATRIX/$u/ap_config" "$ZERO,$(mask 2 0x47),$ZERO"$'\n' "ap_config mirrors the assigned matrix"
}

test_unassign_adapter_updates() {
	local u
	expect_write OK $AP/apmask -4,-5
	u=$(new_mdev)
	assign "$u" assign_adapter 4
	assign "$u" assign_adapter 5
	assign "$u" assign_domain 1
	expect_file "$MATRIX/$u/matrix" $'04.0001\n05.0001\n'
	expect_write OK "$MATRIX/$u/unassign_adapter" 4
	expect_file "$MATRIX/$u/matrix" $'05.0001\n'
	expect_file $APDEV/04.0001/status $'unassigned\n' "status after unassign"
	expect_file $APDEV/05.0001/status $'assigned\n'
	expect_write OK "$MATRIX/$u/unassign_domain" 1
	expect_file "$MATRIX/$u/matrix" $'05.\n'
}
