# shellcheck shell=bash
# apmatrixctl acting on the simulated host: a full admin session through
# apmatrixctl only, a refused conflict, a rollback after an injected fault,
# a desired-state file, and libvirt 9.0 taking what `export` prints.

CTLBIN=${APMATRIX_BUILD_DIR:-build}/tools/apmatrixctl/apmatrixctl
UA=aaaaaaaa-0000-4000-8000-00000000000a
UB=bbbbbbbb-0000-4000-8000-00000000000b
DEFS=/etc/mdevctl.d/matrix

# C ARGS...: run apmatrixctl; OUT, ERR, RC
C() {
	OUT=$(NO_COLOR=1 "$CTLBIN" "$@" 2>/tmp/ctl-err)
	RC=$?
	ERR=$(</tmp/ctl-err)
}
want_rc() { [ "$RC" -eq "$1" ] || fail "$2: exit $RC, want $1; stderr: $ERR; stdout: $OUT"; }
prep() {
	[ -x "$CTLBIN" ] || skip "no $CTLBIN (APMATRIX_BUILD_DIR)"
	mkdir -p /run/lock $DEFS
	rm -f $DEFS/*
}

test_session() {
	prep
	C reserve --adapters 3-5 --domains 0x47 --yes
	want_rc 0 "reserve"
	expect_match "$OUT" "also moves \\(not asked for\\): 00\\.0047 01\\.0047 02\\.0047" "collateral shown"
	expect_driver 03.0047 vfio_ap "reserved queue"
	expect_driver 00.0047 vfio_ap "collateral queue"
	C define $UA --adapters 3-4 --domains 0x47 --control-domains 0x47 --auto
	want_rc 0 "define A"
	C define $UB --adapters 4-5 --domains 0x47 --auto
	want_rc 2 "define B sharing 04.0047 with A (both autostart)"
	expect_match "$ERR" "shared-apqns .*04\\.0047" "the shared APQN is named"
	expect_absent $DEFS/$UB "the refused definition"
	C define $UB --adapters 5 --domains 0x47 --auto
	want_rc 0 "define B"
	C start $UA
	want_rc 0 "start A"
	C start $UB
	want_rc 0 "start B"
	expect_file "$MATRIX/$UA/matrix" $'03.0047\n04.0047\n' "A's matrix"
	expect_file "$MATRIX/$UA/guest_matrix" $'03.0047\n04.0047\n' "A's guest matrix"
	expect_file "$MATRIX/$UB/matrix" $'05.0047\n' "B's matrix"
	C list --mdevs
	expect_match "$OUT" "$UA +active,auto +0x03-0x04 +0x0047 +0x0047 +2" "list --mdevs"
	C show $UB --json
	expect_match "$OUT" '"05\.0047"' "show --json has the guest's APQN"
	# monitor sees a card going offline
	"$CTLBIN" monitor --count 1 --timeout 20 >/tmp/ctl-mon 2>/tmp/ctl-mon.err &
	local mon=$! i
	for ((i = 0; i < 100; i++)); do
		grep -q listening /tmp/ctl-mon.err 2>/dev/null && break
		sleep 0.05
	done
	ctl online 2 0
	wait $mon || fail "monitor ended with $?: $(cat /tmp/ctl-mon.err)"
	expect_match "$(cat /tmp/ctl-mon)" "card-online +card 02 offline" "monitor line"
	"$CTLBIN" monitor --json --count 1 --timeout 20 >/tmp/ctl-mon 2>/tmp/ctl-mon.err &
	mon=$!
	for ((i = 0; i < 100; i++)); do
		grep -q listening /tmp/ctl-mon.err 2>/dev/null && break
		sleep 0.05
	done
	ctl online 2 1
	wait $mon || fail "monitor --json ended with $?: $(cat /tmp/ctl-mon.err)"
	expect_match "$(cat /tmp/ctl-mon)" '^\{"time":"[^"]+","type":"card-online","adapter":2,"value":1\}$' "monitor JSON line"
	C check
	want_rc 0 "check is clean"
	# the host cannot take back queues a guest holds
	C release --adapters 3-5 --domains 0x47 --yes
	want_rc 2 "release of queues the guests hold"
	expect_match "$ERR" "refused" "says refused"
	expect_driver 03.0047 vfio_ap "nothing changed"
	C stop $UB
	want_rc 0 "stop B"
	expect_absent "$MATRIX/$UB" "B stopped"
	C stop $UA
	C undefine $UB
	want_rc 0 "undefine B"
	expect_absent $DEFS/$UB "B's definition"
	C release --adapters 3-5 --domains 0x47 --yes
	want_rc 0 "release"
	expect_driver 03.0047 cex4queue "released queue"
	C check
	want_rc 2 "check: autostart A now asks for queues of the host pool"
	expect_match "$OUT" "error +host-pool-active .*03\\.0047, 04\\.0047" "names them"
	C undefine $UA
	C check
	want_rc 0 "check clean at the end"
}

test_start_refused_conflict() {
	prep
	setmask aqmask -0x47
	wait_bindings
	C define $UA --adapters 4 --domains 0x47
	C start $UA
	want_rc 0 "start A"
	C define $UB --adapters 3-4 --domains 0x47
	want_rc 0 "a manual definition sharing with a live mdev is a warning"
	expect_match "$ERR" "warning +shared-apqns" "the warning"
	C start $UB
	want_rc 2 "start B while A holds 04.0047"
	expect_match "$ERR" "04\\.0047" "the APQN is named"
	expect_match "$ERR" "$UA" "the other mdev is named"
	expect_absent "$MATRIX/$UB" "nothing written: B not created"
	expect_file "$MATRIX/$UA/matrix" $'04.0047\n' "A untouched"
}

test_rollback_after_fault() {
	prep
	setmask aqmask -0x47
	wait_bindings
	C define $UA --adapters 3-4 --domains 0x47
	bw "$SIM/fault" "ap_config 1 EIO $UA" || die "arming the fault: $WR"
	C start $UA
	want_rc 4 "start with the ap_config write failing"
	expect_match "$ERR" "[Ii]nput/output error" "the kernel's errno"
	expect_match "$ERR" "undone" "says the writes were undone"
	expect_absent "$MATRIX/$UA" "the created mdev was removed again"
	expect_match "$(cat "$SIM/fault")" "fired [1-9]" "the fault fired"
	C start $UA
	want_rc 0 "start without the fault"
	expect_file "$MATRIX/$UA/matrix" $'03.0047\n04.0047\n' "A's matrix"
}

test_plan_apply_file() {
	prep
	cat >/tmp/ctl-desired.json <<-JSON
	{"reserve": [{"adapters": "4", "domains": "5"}],
	 "mdevs": [{"uuid": "$UA", "adapters": [4], "domains": "5", "control_domains": "5"}]}
	JSON
	C plan /tmp/ctl-desired.json
	want_rc 0 "plan"
	expect_match "$OUT" "^1\\. release: " "plan starts by releasing"
	expect_absent "$MATRIX/$UA" "plan writes nothing"
	C plan /tmp/ctl-desired.json --json
	expect_match "$OUT" '"kind": "create"' "plan --json"
	C apply /tmp/ctl-desired.json
	want_rc 0 "apply"
	expect_file "$MATRIX/$UA/matrix" $'04.0005\n' "applied matrix"
	C apply /tmp/ctl-desired.json
	want_rc 0 "apply again"
	expect_match "$OUT" "nothing to do" "idempotent"
}

# start_libvirtd from the interop tier, without its tests
URI=nodedev:///system
V() { virsh -q -c $URI "$@"; }
eval "$(sed -n '/^start_libvirtd() {/,/^}/p' tests/vm/interop/t-20-libvirt.sh)"

test_libvirt_accepts_export() {
	prep
	command -v virsh >/dev/null || skip "virsh not installed"
	setmask aqmask -0x47
	wait_bindings
	C define $UA --adapters 3-4 --domains 0x47 --control-domains 0x47
	C export $UA --libvirt
	want_rc 0 "export --libvirt"
	printf '%s\n' "$OUT" >/tmp/ctl-nodedev.xml
	rm -f $DEFS/$UA # libvirt defines it through mdevctl
	# libvirt hands mdevctl the definition as `--jsonfile /dev/stdin`; the
	# guest's devtmpfs has no /dev/stdin link (udev makes it on hosts).
	[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
	start_libvirtd
	local out name
	out=$(V nodedev-define /tmp/ctl-nodedev.xml 2>&1) ||
		fail "virsh nodedev-define refused what export --libvirt printed: $out"
	name=$(V nodedev-list --cap mdev --all 2>/dev/null | grep "${UA//-/_}")
	[ -n "$name" ] || fail "libvirt does not list the defined mdev: $out"
	out=$(V nodedev-dumpxml "$name" 2>&1)
	expect_match "$out" "<attr name='assign_adapter' value='0x04'/>" "attrs kept by libvirt"
	expect_exists $DEFS/$UA "mdevctl definition written by libvirt"
	C show $UA --json
	expect_match "$OUT" '"adapters": \[\s*3,\s*4\s*\]|"adapters": \[ 3, 4 \]' "apmatrixctl reads libvirt's definition"
	V nodedev-undefine "$name" >/dev/null 2>&1
	C export $UA --hostdev
	if command -v virt-xml-validate >/dev/null; then
		printf "<domain type='kvm'><name>g</name><memory>131072</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>%s</devices></domain>\n" "$OUT" >/tmp/ctl-domain.xml
		out=$(virt-xml-validate /tmp/ctl-domain.xml domain 2>&1) ||
			fail "hostdev XML does not validate: $out"
	else
		info "no virt-xml-validate: hostdev XML not validated"
	fi
}
