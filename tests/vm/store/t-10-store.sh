# shellcheck shell=bash
# The store next to the real mdevctl 1.2.0 and libvirt 9.0: definitions
# written by the library are listed and started by mdevctl, byte for byte
# what mdevctl writes; mdevctl's definitions read and checked by the
# library; apmatrix-callout installed as mdevctl's callout refuses a
# conflicting start with our message and is invoked as we expect;
# libvirt lists the library's definitions.

MC=/usr/bin/mdevctl
D=/etc/mdevctl.d/matrix
CO=/etc/mdevctl.d/scripts.d/callouts/00-apmatrix-callout

need_store() {
	[ -x $MC ] || skip "mdevctl not installed"
	[ -n "${APMATRIX_BUILD_DIR:-}" ] || skip "no APMATRIX_BUILD_DIR"
	SC=$APMATRIX_BUILD_DIR/tests/store/store-cli
	CALLOUT=$APMATRIX_BUILD_DIR/tools/apmatrix-callout/apmatrix-callout
	[ -x "$SC" ] && [ -x "$CALLOUT" ] || skip "store-cli/apmatrix-callout not built"
	mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers /run/lock
	rm -rf $D
	rm -f $CO
}

# A definition the library wrote: mdevctl lists it, starts it, stops it.
test_library_definition_started_by_mdevctl() {
	need_store
	setmask apmask -4
	setmask aqmask -0x47
	local u out
	u=$(uuid)
	# adapter 4, usage and control domain 0x47
	out=$($SC define "$u" auto "$(mask 4),$(mask 0x47),$(mask 0x47)" 2>&1) || fail "store-cli define: $out"
	out=$($MC list -d 2>&1)
	expect_eq "$out" "$u matrix vfio_ap-passthrough auto" "mdevctl list -d of our definition"
	out=$($MC start -u "$u" 2>&1) || fail "mdevctl start of our definition: $out"
	expect_file "$MATRIX/$u/matrix" $'04.0047\n' "attributes of our definition written by mdevctl"
	expect_file "$MATRIX/$u/control_domains" $'0047\n'
	$MC stop -u "$u" >/dev/null 2>&1
	out=$($MC undefine -u "$u" 2>&1) || fail "mdevctl undefine of our definition: $out"
	expect_absent "$D/$u"
}

# Our bytes are mdevctl's bytes for the same definition.
test_bytes_as_mdevctl() {
	need_store
	local u1 u2 a out
	u1=$(uuid)
	u2=$(uuid)
	$SC define "$u1" auto "$(mask 4 5),$(mask 1 0x47),$(mask 0x47)" >/dev/null 2>&1 || fail "store-cli define"
	$MC define -u "$u2" -p matrix -t vfio_ap-passthrough --auto >/dev/null 2>&1 || fail "mdevctl define"
	for a in assign_adapter=0x04 assign_adapter=0x05 assign_domain=0x0001 \
		assign_domain=0x0047 assign_control_domain=0x0047; do
		$MC modify -u "$u2" --addattr="${a%=*}" --value="${a#*=}" >/dev/null 2>&1 || fail "addattr $a"
	done
	cmp "$D/$u1" "$D/$u2" >/dev/null 2>&1 ||
		fail "our file differs from mdevctl's: $(show "$(cat "$D/$u1")") vs $(show "$(cat "$D/$u2")")"
	expect_mode "$D/$u1" 644
	# mdevctl changes our file as it changes its own, and we read it back
	$MC modify -u "$u1" --manual >/dev/null 2>&1 || fail "mdevctl modify --manual of our file"
	$MC modify -u "$u2" --manual >/dev/null 2>&1
	cmp "$D/$u1" "$D/$u2" >/dev/null 2>&1 || fail "after mdevctl modify --manual the files differ"
	# and the library's modify of mdevctl's file matches mdevctl's again
	$SC modify "$u2" auto "$(mask 4 5),$(mask 1 0x47),$(mask 0x47)" >/dev/null 2>&1 || fail "store-cli modify"
	$MC modify -u "$u1" --auto >/dev/null 2>&1
	cmp "$D/$u1" "$D/$u2" >/dev/null 2>&1 || fail "after our modify --auto the files differ"
	rm -rf $D
}

# mdevctl's definitions (octal trap, ap_config, unknown attrs) read and
# checked by the library; a broken file next to them is named, the rest loads.
test_mdevctl_definitions_read_and_checked() {
	need_store
	setmask apmask -4,-5
	setmask aqmask -1,-2
	local u1 u2 u3 out
	u1=11111111-0000-4000-8000-000000000001
	u2=11111111-0000-4000-8000-000000000002
	u3=11111111-0000-4000-8000-000000000003
	$MC define -u $u1 -p matrix -t vfio_ap-passthrough --auto >/dev/null 2>&1
	$MC modify -u $u1 --addattr=assign_adapter --value=04 >/dev/null 2>&1
	$MC modify -u $u1 --addattr=assign_domain --value=1 >/dev/null 2>&1
	$MC define -u $u2 -p matrix -t vfio_ap-passthrough --auto >/dev/null 2>&1
	$MC modify -u $u2 --addattr=ap_config --value=0x0c,0x60,0x40 >/dev/null 2>&1
	printf '{"mdev_type": "vfio_ap-passthrough", "start": ' >$D/$u3
	out=$($SC list 2>&1) || fail "store-cli list: $out"
	grep -q "^$u1 auto $(mask 4),$(mask 1)," <<<"$out" || fail "u1 as read: $out"
	grep -q "^$u2 auto $(mask 4 5),$(mask 1 2),$(mask 1)" <<<"$out" || fail "u2 (ap_config) as read: $out"
	grep -q "^error: .*$u3\": line 1, column 47: unexpected end of file" <<<"$out" ||
		fail "the broken file is not named with its position: $out"
	grep -q 'attrs\[0\]: assign_adapter "04" is octal 4' <<<"$out" || fail "no octal warning: $out"
	out=$($SC check 2>&1) || fail "store-cli check: $out"
	grep -q "^error shared-apqns: mdev $u1 (defined, autostart): APQN 04.0001 is also assigned to mdev $u2 (defined, autostart); both start automatically" <<<"$out" ||
		fail "two autostart definitions sharing 04.0001 not found: $out"
	rm -rf $D
}

# A definition mdevctl wrote, started and stopped by the library (through
# the change layer); mdevctl sees it running.
test_library_starts_mdevctl_definition() {
	need_store
	setmask apmask -4
	setmask aqmask -0x47
	local u out
	u=$(uuid)
	$MC define -u "$u" -p matrix -t vfio_ap-passthrough >/dev/null 2>&1 || fail "mdevctl define"
	for a in assign_adapter=4 assign_domain=0x47 assign_control_domain=0x47; do
		$MC modify -u "$u" --addattr="${a%=*}" --value="${a#*=}" >/dev/null 2>&1 || fail "addattr $a"
	done
	out=$($SC start "$u" 2>&1) || fail "store-cli start: $out"
	expect_file "$MATRIX/$u/matrix" $'04.0047\n' "started by the library"
	expect_file "$MATRIX/$u/control_domains" $'0047\n'
	out=$($MC list 2>&1)
	grep -q "^$u matrix vfio_ap-passthrough manual (defined)" <<<"$out" || fail "mdevctl list: $out"
	out=$($SC stop "$u" 2>&1) || fail "store-cli stop: $out"
	expect_absent "$MATRIX/$u" "stopped by the library"
	expect_exists "$D/$u" "the definition stays"
	out=$($SC start 11111111-0000-4000-8000-00000000dead 2>&1) && fail "start of an undefined uuid"
	grep -q "not defined" <<<"$out" || fail "start of an undefined uuid: $out"
	$MC undefine -u "$u" >/dev/null 2>&1
}

# apmatrix-callout as mdevctl's callout: invoked for define/modify/start/
# stop/undefine, refuses a conflicting start with our message, releases
# the lock, answers get attributes.
test_callout_refuses_conflicting_start() {
	need_store
	setmask apmask -4
	setmask aqmask -0x47
	ln -s "$CALLOUT" $CO
	local a b out
	a=$(uuid)
	b=$(uuid)
	for u in "$a" "$b"; do
		out=$($MC define -u "$u" -p matrix -t vfio_ap-passthrough 2>&1) || fail "define with our callout: $out"
		out=$($MC modify -u "$u" --addattr=assign_control_domain --value=0x47 2>&1) ||
			fail "an intermediate state (control domain only) refused: $out"
		$MC modify -u "$u" --addattr=assign_adapter --value=4 >/dev/null 2>&1 || fail "addattr adapter"
		$MC modify -u "$u" --addattr=assign_domain --value=0x47 >/dev/null 2>&1 || fail "addattr domain"
	done
	expect_absent /run/lock/s390apconfig.lock "lock left after define/modify"
	out=$($MC start -u "$a" 2>&1) || fail "start of $a: $out"
	expect_absent /run/lock/s390apconfig.lock "lock left after a start"
	if out=$($MC start -u "$b" 2>&1); then
		fail "mdevctl started $b although it shares 04.0047 with the running $a"
	fi
	info "mdevctl: $out"
	grep -q "00-apmatrix-callout: mdev .* (live): APQN 04.0047 is also assigned to mdev .* (live); both are live" <<<"$out" &&
		grep -q "$a" <<<"$out" && grep -q "start of $b refused" <<<"$out" ||
		fail "our message (APQN, both uuids) is not in mdevctl's output: $out"
	grep -q "00-apmatrix-callout" <<<"$out" || fail "mdevctl does not name our callout: $out"
	expect_absent "$MATRIX/$b" "refused start created the device"
	expect_absent /run/lock/s390apconfig.lock "lock left after a refusal"
	# an autostart definition sharing with another autostart one: refused
	out=$($MC modify -u "$a" --auto 2>&1) || fail "modify --auto of $a: $out"
	if out=$($MC modify -u "$b" --auto 2>&1); then
		fail "two autostart definitions share 04.0047"
	fi
	grep -q "04.0047" <<<"$out" || fail "autostart refusal without the APQN: $out"
	# get attributes of the running device (mdevctl 1.2 asks for an
	# undefined active device in list)
	out=$("$CALLOUT" -t vfio_ap-passthrough -e get -a attributes -s none -u "$a" -p matrix 2>&1)
	expect_eq "$out" '[{"assign_adapter":"4"},{"assign_domain":"71"},{"assign_control_domain":"71"}]' "get attributes"
	$MC stop -u "$a" >/dev/null 2>&1 || fail "stop with our callout"
	$MC undefine -u "$a" >/dev/null 2>&1 || fail "undefine with our callout"
	$MC undefine -u "$b" >/dev/null 2>&1
	expect_absent /run/lock/s390apconfig.lock "lock left after stop/undefine"
	# mdevctl define of a running transient device asks our callout for
	# its attributes (get attributes) and stores what we answer
	local t=/tmp/apvm-transient.json
	printf '%s' '{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"0x04"},{"assign_domain":"0x47"},{"assign_control_domain":"0x47"}]}' >$t
	out=$($MC start -u "$a" -p matrix --jsonfile $t 2>&1) || fail "transient start with our callout: $out"
	out=$($MC define -u "$a" -p matrix 2>&1) || fail "mdevctl define of the running device: $out"
	out=$($SC list 2>&1)
	grep -q "^$a manual $(mask 4),$(mask 0x47),$(mask 0x47)" <<<"$out" ||
		fail "definition from our get attributes: $out / $(cat "$D/$a" 2>&1)"
	grep -q '"assign_domain": "71"' "$D/$a" || fail "decimal attributes as ap-check prints them: $(cat "$D/$a")"
	$MC stop -u "$a" >/dev/null 2>&1
	$MC undefine -u "$a" >/dev/null 2>&1
	expect_absent /run/lock/s390apconfig.lock "lock left after define of a running device"
	rm -f $CO
}

# libvirt (watching /etc/mdevctl.d, asking mdevctl) lists our definitions.
test_libvirt_lists_library_definitions() {
	need_store
	# shellcheck source=../interop/t-20-libvirt.sh
	. "$(dirname "${BASH_SOURCE[0]}")/../interop/t-20-libvirt.sh"
	start_libvirtd
	local u name i
	u=$(uuid)
	$SC define "$u" manual "$(mask 4),$(mask 0x47),$(mask 0x47)" >/dev/null 2>&1 || fail "store-cli define"
	for ((i = 0; i < 40; i++)); do
		name=$(V nodedev-list --cap mdev --all 2>/dev/null | grep "${u//-/_}")
		[ -n "$name" ] && break
		sleep 0.5
	done
	[ -n "$name" ] || { fail "libvirt never listed our definition $u: $(V nodedev-list --cap mdev --all 2>&1)"; return; }
	out=$(V nodedev-dumpxml "$name" 2>&1)
	grep -q "<attr name='assign_adapter' value='0x04'/>" <<<"$out" || fail "our attrs in libvirt's xml: $out"
	$SC undefine "$u" >/dev/null 2>&1 || fail "store-cli undefine"
}
