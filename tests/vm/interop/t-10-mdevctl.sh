# shellcheck shell=bash
# mdevctl 1.2.0 drives the simulated matrix device: types, define,
# modify --addattr, start, stop, list, undefine (reference/peers.md §2).

MC=/usr/bin/mdevctl

need_mdevctl() {
	[ -x $MC ] || skip "mdevctl not installed"
	mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers
}
cleanup_defs() { rm -rf /etc/mdevctl.d/matrix; }

test_types() {
	need_mdevctl
	local out
	out=$($MC types 2>&1)
	grep -qx 'matrix' <<<"$out" || fail "mdevctl types lacks parent 'matrix': $out"
	grep -qx '  vfio_ap-passthrough' <<<"$out" || fail "mdevctl types lacks the type: $out"
	grep -q 'Available instances: 65536' <<<"$out" || fail "available instances: $out"
	grep -q 'Device API: vfio-ap' <<<"$out" || fail "device api: $out"
	grep -q 'Name: VFIO AP Passthrough Device' <<<"$out" || fail "name: $out"
	out=$($MC types --dumpjson 2>&1)
	python3 -c 'import json,sys
d=json.loads(sys.argv[1])
t=d[0]["matrix"][0]["vfio_ap-passthrough"]
assert t["available_instances"]==65536 and t["device_api"]=="vfio-ap", t' "$out" ||
		fail "types --dumpjson: $out"
}

test_define_modify_start_stop_undefine() {
	need_mdevctl
	cleanup_defs
	setmask aqmask -1,-2
	local u out
	u=$(uuid)
	out=$($MC define -u "$u" -p matrix -t vfio_ap-passthrough 2>&1) || fail "mdevctl define: $out"
	expect_exists "/etc/mdevctl.d/matrix/$u" "definition file"
	for a in "assign_adapter 4" "assign_adapter 0x05" "assign_domain 1" "assign_domain 2" "assign_control_domain 1"; do
		out=$($MC modify -u "$u" --addattr="${a% *}" --value="${a#* }" 2>&1) || fail "mdevctl modify --addattr $a: $out"
	done
	out=$($MC list -d 2>&1)
	grep -q "^$u matrix vfio_ap-passthrough manual" <<<"$out" || fail "mdevctl list -d: $out"
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
assert d["mdev_type"]=="vfio_ap-passthrough" and d["start"]=="manual", d
assert d["attrs"]==[{"assign_adapter":"4"},{"assign_adapter":"0x05"},{"assign_domain":"1"},{"assign_domain":"2"},{"assign_control_domain":"1"}], d["attrs"]' \
		"/etc/mdevctl.d/matrix/$u" || fail "definition JSON: $(cat "/etc/mdevctl.d/matrix/$u")"
	out=$($MC start -u "$u" 2>&1) || fail "mdevctl start: $out"
	expect_exists "$MATRIX/$u" "mdev created by mdevctl start"
	expect_file "$MATRIX/$u/matrix" $'04.0001\n04.0002\n05.0001\n05.0002\n' "attributes written in order"
	expect_file "$MATRIX/$u/control_domains" $'0001\n'
	out=$($MC list 2>&1)
	grep -q "^$u matrix vfio_ap-passthrough manual (defined)" <<<"$out" || fail "mdevctl list (active): $out"
	out=$($MC stop -u "$u" 2>&1) || fail "mdevctl stop: $out"
	expect_absent "$MATRIX/$u" "mdev removed by mdevctl stop"
	out=$($MC undefine -u "$u" 2>&1) || fail "mdevctl undefine: $out"
	expect_absent "/etc/mdevctl.d/matrix/$u"
	out=$($MC list -d 2>&1)
	[ -z "$out" ] || fail "list -d after undefine: $out"
}

test_start_failure_reports_errno() {
	need_mdevctl
	cleanup_defs
	local u out
	u=$(uuid)
	$MC define -u "$u" -p matrix -t vfio_ap-passthrough >/dev/null 2>&1 || fail "define"
	$MC modify -u "$u" --addattr=assign_adapter --value=4 >/dev/null 2>&1
	$MC modify -u "$u" --addattr=assign_domain --value=1 >/dev/null 2>&1
	# 04.0001 is host-owned (default masks): the kernel says EADDRNOTAVAIL.
	if out=$($MC start -u "$u" 2>&1); then
		fail "mdevctl start succeeded although 04.0001 belongs to the host"
	fi
	info "mdevctl: $out"
	expect_absent "$MATRIX/$u" "failed start removes the device"
	$MC undefine -u "$u" >/dev/null 2>&1
}

test_start_jsonfile_transient() {
	need_mdevctl
	cleanup_defs
	setmask apmask -3
	local u out j=/tmp/mdev.json
	u=$(uuid)
	cat >$j <<-JSON
	{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"3"},{"assign_domain":"0x47"},{"assign_control_domain":"0x47"}]}
	JSON
	out=$($MC start -u "$u" -p matrix --jsonfile $j 2>&1) || fail "mdevctl start --jsonfile: $out"
	expect_file "$MATRIX/$u/matrix" $'03.0047\n'
	expect_file "$MATRIX/$u/ap_config" "$(mask 3),$(mask 0x47),$(mask 0x47)"$'\n'
	out=$($MC list --dumpjson 2>&1)
	grep -q "$u" <<<"$out" || fail "list --dumpjson lacks the transient device: $out"
	$MC stop -u "$u" >/dev/null 2>&1 || fail "stop"
	expect_absent "$MATRIX/$u"
}

test_ap_config_attr() {
	need_mdevctl
	cleanup_defs
	setmask apmask -4,-5
	local u out
	u=$(uuid)
	$MC define -u "$u" -p matrix -t vfio_ap-passthrough >/dev/null 2>&1 || fail "define"
	out=$($MC modify -u "$u" --addattr=ap_config --value=0x0c,0x4,0x4 2>&1) || fail "modify: $out"
	out=$($MC start -u "$u" 2>&1) || fail "mdevctl start with ap_config: $out"
	expect_file "$MATRIX/$u/matrix" $'04.0001\n05.0001\n' "ap_config written by mdevctl"
	$MC stop -u "$u" >/dev/null 2>&1
	$MC undefine -u "$u" >/dev/null 2>&1
}
