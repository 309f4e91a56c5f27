# shellcheck shell=bash
# guest_matrix (shadow APCB): assigned matrix filtered by the host
# configuration; an adapter is dropped whole when one of its queues is
# missing or not bound to vfio_ap; hot plug on card add/remove/config and
# host domain changes (reference/vfio-ap-abi.md §3.3, §3.4).

setup_4_5() { # mdev with adapters 4,5 x domains 1,2, all bound to vfio_ap
	expect_write OK $AP/aqmask -1,-2
	wait_bindings
	local u
	u=$(new_mdev)
	assign "$u" ap_config 0x0c,0x6,0
	echo "$u"
}

test_guest_matrix_equals_matrix() {
	local u
	u=$(setup_4_5)
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "all queues bound: guest_matrix = matrix"
	rd "$MATRIX/$u/matrix"
	expect_file "$MATRIX/$u/guest_matrix" "$RD" "guest_matrix = matrix"
}

test_over_provisioned_filtered() {
	local u
	u=$(setup_4_5)
	setmask aqmask -9
	expect_write OK "$MATRIX/$u/assign_adapter" 0x20 "adapter 0x20 has no card"
	expect_write OK "$MATRIX/$u/assign_domain" 9 "domain 9 is not a host usage domain"
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0002\n04.0009\n05.0001\n05.0002\n05.0009\n20.0001\n20.0002\n20.0009\n'
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "absent adapter and domain filtered out"
}

test_one_sided_guest_matrix() {
	expect_write OK $AP/apmask -4
	local u
	u=$(new_mdev)
	assign "$u" assign_adapter 4
	expect_file "$MATRIX/$u/guest_matrix" $'04.\n' "adapters only: AA."
	expect_write OK "$MATRIX/$u/unassign_adapter" 4
	assign "$u" assign_domain 2
	expect_file "$MATRIX/$u/guest_matrix" $'.0002\n' "domains only: .DDDD"
}

test_unbound_queue_drops_adapter() {
	local u
	u=$(setup_4_5)
	expect_write OK $AP/drivers/vfio_ap/unbind 04.0001
	expect_file "$MATRIX/$u/guest_matrix" $'05.0001\n05.0002\n' "adapter 4 dropped whole when 04.0001 is unbound"
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "assigned matrix untouched"
	expect_write OK $AP/drivers/vfio_ap/bind 04.0001
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "adapter 4 back after bind"
}

test_missing_queue_drops_adapter() {
	[ -w $SIM/ctl ] || skip "no control interface"
	# Domain 1 disappears from the host: the domain is filtered (not the
	# adapters), because it is absent from the host AQM altogether.
	local u
	u=$(setup_4_5)
	ctl usage_domains -1
	expect_absent $APDEV/04.0001 "queue of a removed usage domain"
	expect_file "$MATRIX/$u/guest_matrix" $'04.0002\n05.0002\n' "domain 1 filtered when the host loses it"
	ctl usage_domains +1
	wait_bindings
	expect_driver 04.0001 vfio_ap "re-added queue binds vfio_ap (aqmask)"
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "domain 1 hot-plugged back"
}

test_card_remove_add() {
	[ -w $SIM/ctl ] || skip "no control interface"
	local u
	u=$(setup_4_5)
	ctl remove_card 5
	expect_absent $APDEV/card05
	expect_absent $APDEV/05.0001
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n' "removed card leaves the guest"
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "assigned matrix never altered by host events"
	expect_file $AP/ap_adapter_mask "$(mask 0 1 2 3 4)"$'\n' "QCI APM without adapter 5"
	ctl add_card 5 CEX8A
	wait_bindings
	expect_driver 05.0001 vfio_ap
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "returning card plugged back automatically"
}

test_card_add_hotplug_new_adapter() {
	[ -w $SIM/ctl ] || skip "no control interface"
	local u
	u=$(setup_4_5)
	expect_write OK "$MATRIX/$u/assign_adapter" 0x0b "over-provision adapter 0x0b"
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n'
	ctl add_card 0x0b CEX6C
	wait_bindings
	expect_file $APDEV/card0b/hwtype $'12\n' "CEX6 hwtype"
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n0b.0001\n0b.0002\n' "new card hot-plugged"
	expect_write EEXIST $SIM/ctl "add_card 0x0b CEX8A" "ctl add_card of an existing card"
	expect_write ENODEV $SIM/ctl "remove_card 0x0c" "ctl remove_card of an absent card"
}

test_deconfigured_stays() {
	local u
	u=$(setup_4_5)
	expect_write OK $APDEV/card04/config 0
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "deconfigured queues stay in the guest"
	expect_write OK $APDEV/card04/config 1
	[ -w $SIM/ctl ] || return 0
	ctl config 5 0
	expect_file $APDEV/card05/config $'0\n' "ctl config = SCLP deconfigure"
	expect_file $APDEV/05.0002/config $'0\n'
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "deconfigured (ctl) stays in the guest"
	ctl config 5 1
	ctl chkstop 5 1
	expect_file "$MATRIX/$u/guest_matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "check-stopped queues stay in the guest"
	ctl chkstop 5 0
}

test_status_values() {
	local u
	u=$(setup_4_5)
	expect_file $APDEV/04.0001/status $'assigned\n' "assigned, no guest"
	expect_file $APDEV/00.0001/status $'unassigned\n' "vfio_ap queue not in any mdev"
	expect_file $APDEV/04.0003/online $'1\n' "04.0003 stays with cex4queue"
}
