# shellcheck shell=bash
# Matrix device, mdev type, mdev create/remove (reference/vfio-ap-abi.md
# §2.1, §2.2, §2.5; the 6.1 mdev core for create errors).

test_matrix_device() {
	expect_exists $MATRIX
	expect_exists /sys/bus/matrix/devices/matrix "matrix bus"
	expect_exists /sys/class/mdev_bus/matrix "mdev parent registration"
	expect_eq "$(basename "$(readlink $MATRIX/driver)")" vfio_ap "driver of the matrix device"
	expect_match "$(grep '^SUBSYSTEM=' $MATRIX/uevent 2>/dev/null || basename "$(readlink $MATRIX/subsystem)")" 'matrix' "matrix subsystem"
	expect_file $MATRIX/features $'guest_matrix hotplug ap_config\n' "features (mainline prints 'hotplug', the doc's 'dyn' is stale)"
	expect_mode $MATRIX/features 444
	expect_eq "$(ls $MATRIX/mdev_supported_types)" vfio_ap-passthrough "mdev types"
}

test_type_attrs() {
	expect_file $TYPE/device_api $'vfio-ap\n' device_api
	expect_file $TYPE/name $'VFIO AP Passthrough Device\n' name
	expect_file $TYPE/available_instances $'65536\n' "available_instances = MAX_ZDEV_ENTRIES_EXT"
	expect_mode $TYPE/create 200
	expect_exists $TYPE/devices
}

test_create_remove() {
	local u a
	u=$(new_mdev)
	expect_file $TYPE/available_instances $'65535\n' "available_instances after one create"
	expect_exists "$TYPE/devices/$u" "type devices/ link"
	expect_exists "/sys/bus/mdev/devices/$u"
	expect_eq "$(basename "$(readlink "$MATRIX/$u/mdev_type")")" vfio_ap-passthrough mdev_type
	expect_eq "$(basename "$(readlink "$MATRIX/$u/driver")")" vfio_ap_mdev "mdev driver name"
	for a in assign_adapter unassign_adapter assign_domain unassign_domain assign_control_domain unassign_control_domain; do
		expect_mode "$MATRIX/$u/$a" 200
	done
	for a in matrix guest_matrix control_domains; do
		expect_mode "$MATRIX/$u/$a" 444
		expect_file "$MATRIX/$u/$a" "" "$a of a fresh mdev is empty"
	done
	expect_mode "$MATRIX/$u/ap_config" 644
	expect_file "$MATRIX/$u/ap_config" "$ZERO,$ZERO,$ZERO"$'\n' "ap_config of a fresh mdev"
	expect_exists "$MATRIX/$u/iommu_group"
	local g
	g=$(basename "$(readlink "$MATRIX/$u/iommu_group")")
	expect_exists "/dev/vfio/$g" "vfio group node"
	expect_exists "$MATRIX/$u/vfio-dev" "vfio device registration"
	local u2
	u2=$(new_mdev)
	expect_file $TYPE/available_instances $'65534\n'
	expect_write OK "$MATRIX/$u/remove" 1 "remove"
	expect_absent "$MATRIX/$u"
	expect_absent "/sys/bus/mdev/devices/$u"
	expect_file $TYPE/available_instances $'65535\n' "available_instances after remove"
	expect_write OK "$MATRIX/$u2/remove" $'1\n'
	expect_file $TYPE/available_instances $'65536\n'
}

test_create_errors() {
	expect_write EINVAL $TYPE/create not-a-uuid "invalid UUID"
	# The 6.1 mdev core accepts 36 or 37 bytes and parses only the first
	# 36 (kstrndup(buf, UUID_STRING_LEN)), so "<uuid>x" is accepted there;
	# 38 bytes are refused.
	expect_write EINVAL $TYPE/create "$(uuid)xy" "38 characters"
	expect_write EINVAL $TYPE/create "$(uuid | cut -c2-)" "35 characters"
	local u
	u=$(uuid)
	expect_write OK $TYPE/create "$u"$'\n' "UUID with newline"
	expect_write EEXIST $TYPE/create "$u" "duplicate UUID"
	expect_exists "$MATRIX/$u"
	expect_file $TYPE/available_instances $'65535\n' "failed creates do not count"
}

test_create_upper_case_uuid() {
	local u
	u=$(uuid)
	expect_write OK $TYPE/create "${u^^}" "upper-case UUID"
	expect_exists "$MATRIX/$u" "mdev core normalizes the UUID to lower case"
}

test_remove_releases_assignments() {
	local u u2
	expect_write OK $AP/apmask -4
	u=$(new_mdev)
	assign "$u" assign_adapter 4
	assign "$u" assign_domain 1
	expect_file $APDEV/04.0001/status $'assigned\n' "status of an assigned queue"
	rm_mdev "$u"
	expect_file $APDEV/04.0001/status $'unassigned\n' "status after the mdev is removed"
	u2=$(new_mdev)
	assign "$u2" assign_adapter 4
	expect_write OK "$MATRIX/$u2/assign_domain" 1 "APQN free again after removal"
}

test_many_mdevs() {
	local i u
	for i in $(seq 1 20); do new_mdev >/dev/null; done
	expect_file $TYPE/available_instances $'65516\n' "available_instances after 20 creates"
	for u in $(mdevs); do rm_mdev "$u"; done
	expect_file $TYPE/available_instances $'65536\n'
	expect_eq "$(mdevs | wc -l)" 0 "all removed"
}
