# shellcheck shell=bash
# The VFIO device of an mdev driven by tests/vm/vfio-client.c: ioctls,
# eventfds, simulated guest attach (= open device fd, kernel/README.md),
# CRYCB in debugfs, request on remove (reference/vfio-ap-abi.md §3.2, §3.7,
# §4.1, §4.4).

crycb() { cat "$SIM/mdevs/$1/crycb" 2>/dev/null; }
crycb_field() { crycb "$1" | sed -n "s/^$2 //p"; }

setup_4_5() {
	expect_write OK $AP/aqmask -1,-2 >/dev/null
	wait_bindings
	local u
	u=$(new_mdev)
	assign "$u" ap_config 0x0c,0x6,0x6
	echo "$u"
}

vc() { # UUID OPS... -> output of vfio-client, fails the test on setup errors
	local out
	out=$(timeout 60 vfio-client "$@" 2>&1)
	[[ $out == *open=OK* ]] || fail "vfio-client could not open mdev $1: $out"
	echo "$out"
}
expect_line() { # OUTPUT LINE WHAT
	grep -qxF -- "$2" <<<"$1" || fail "$3: expected '$2' in: $(tr '\n' '|' <<<"$1")"
}

test_get_info() {
	local u out
	u=$(new_mdev)
	out=$(vc "$u" info info-short ioctl-other)
	expect_line "$out" "info flags=0x21 num_regions=0 num_irqs=2" "VFIO_DEVICE_GET_INFO: FLAGS_AP|FLAGS_RESET, 0 regions, 2 irqs"
	expect_line "$out" "info-short=EINVAL" "GET_INFO with argsz < minsz"
	expect_line "$out" "ioctl-other=EOPNOTSUPP" "unimplemented ioctl"
}

test_irq_info() {
	local u out
	u=$(new_mdev)
	out=$(vc "$u" irqinfo:0 irqinfo:1 irqinfo:2 irqinfo:100 irqinfo-short:0)
	expect_line "$out" "irqinfo:0 count=1 flags=0x1" "REQ irq: count 1, EVENTFD"
	expect_line "$out" "irqinfo:1 count=1 flags=0x1" "CFG_CHG irq: count 1, EVENTFD"
	expect_line "$out" "irqinfo:2=EINVAL" "index VFIO_AP_NUM_IRQS"
	expect_line "$out" "irqinfo:100=EINVAL" "index 100"
	expect_line "$out" "irqinfo-short:0=EINVAL" "argsz < minsz"
}

test_set_irqs() {
	local u out
	u=$(new_mdev)
	out=$(vc "$u" eventfd:0 eventfd:1 eventfd:1 setfd:1:-1 setfd:0:-1 setfd:1:-5 setfd:1:1000 \
		setirqs-bad:1:flags setirqs-bad:1:mask setirqs-bad:1:start setirqs-bad:1:count \
		setirqs-bad:1:argsz eventfd:2 setfd:7:-1)
	expect_line "$out" "eventfd:0=OK" "register REQ eventfd"
	expect_line "$out" "eventfd:1=OK" "register CFG_CHG eventfd (and replace it)"
	expect_line "$out" "setfd:1:-1=OK" "fd -1 deregisters"
	expect_line "$out" "setfd:0:-1=OK" "fd -1 deregisters REQ"
	expect_line "$out" "setfd:1:-5=EINVAL" "negative fd other than -1"
	expect_line "$out" "setfd:1:1000=EBADF" "fd that is not open"
	expect_line "$out" "setirqs-bad:1:flags=EINVAL" "DATA_NONE"
	expect_line "$out" "setirqs-bad:1:mask=EINVAL" "ACTION_MASK"
	expect_line "$out" "setirqs-bad:1:start=EINVAL" "start 1"
	expect_line "$out" "setirqs-bad:1:count=EINVAL" "count 2"
	expect_line "$out" "setirqs-bad:1:argsz=EINVAL" "argsz too small"
	expect_line "$out" "eventfd:2=EINVAL" "index 2"
	expect_line "$out" "setfd:7:-1=EINVAL" "index 7"
}

test_reset() {
	local u out
	u=$(setup_4_5)
	out=$(vc "$u" reset)
	expect_line "$out" "reset=OK" "VFIO_DEVICE_RESET"
	expect_match "$(cat $APDEV/04.0001/reset)" '^(No Reset Timer set\.|Reset in progress\.)$' "queue reset state"
}

test_attach_crycb_status() {
	local u out
	u=$(setup_4_5)
	expect_exists "$SIM/mdevs/$u/crycb" "debugfs CRYCB of the mdev"
	expect_eq "$(crycb_field "$u" attached)" 0 "CRYCB detached before open"
	expect_eq "$(crycb_field "$u" apm)" "$ZERO" "detached CRYCB masks are zero"
	local fmt=2 am qm dm
	am=$(mask 4 5) qm=$(mask 1 2) dm=$(mask 1 2)
	if [ "$(module_param apxa)" = 0 ] || [ "$(module_param apxa)" = N ]; then
		fmt=1 am=${am:0:18} qm=${qm:0:6} dm=${dm:0:6}
	fi
	out=$(vc "$u" "run:cat $SIM/mdevs/$u/crycb; cat $APDEV/04.0001/status $APDEV/00.0001/status")
	expect_line "$out" "format $fmt" "CRYCB format (2 with APXA, 1 without)"
	expect_line "$out" "apm $am" "CRYCB apm = guest_matrix adapters"
	expect_line "$out" "aqm $qm" "CRYCB aqm"
	expect_line "$out" "adm $dm" "CRYCB adm"
	grep -qE '^attached [1-9][0-9]*$' <<<"$out" || fail "CRYCB not attached while the device fd is open: $(tr '\n' '|' <<<"$out")"
	expect_line "$out" "in use" "status of a queue in an attached guest's APCB"
	expect_line "$out" "unassigned" "status of an unassigned vfio_ap queue"
	expect_eq "$(crycb_field "$u" attached)" 0 "CRYCB detached after close"
	expect_eq "$(crycb_field "$u" apm)" "$ZERO" "KVM clears the masks on close"
	expect_file $APDEV/04.0001/status $'assigned\n' "status back to assigned after close"
}

test_crycb_bin() {
	local u
	u=$(setup_4_5)
	[ -e "$SIM/mdevs/$u/crycb.bin" ] || { fail "no crycb.bin"; return; }
	local out
	out=$(vc "$u" "run:od -An -tx1 -v $SIM/mdevs/$u/crycb.bin | tr -d ' \\n'; echo")
	local hex
	hex=$(grep -E '^[0-9a-f]{512}$' <<<"$out")
	[ -n "$hex" ] || { fail "crycb.bin is not 256 bytes: $out"; return; }
	if [ "$(module_param apxa)" = 0 ] || [ "$(module_param apxa)" = N ]; then
		expect_eq "${hex:0:16}" 0c00000000000000 "APCB0 apm (adapters 4,5 = 0x0c in byte 0)"
		expect_eq "${hex:16:4}" 6000 "APCB0 aqm (2 bytes, domains 1,2)"
		expect_eq "${hex:32:4}" 6000 "APCB0 adm"
	else
		expect_eq "${hex:256:64}" "$(mask 4 5 | cut -c3-)" "APCB1 apm at 0x80"
		expect_eq "${hex:320:64}" "$(mask 1 2 | cut -c3-)" "APCB1 aqm at 0xa0"
		expect_eq "${hex:384:64}" "$(mask 1 2 | cut -c3-)" "APCB1 adm at 0xc0"
		expect_eq "${hex:0:64}" "$(printf '0%.0s' {1..64})" "APCB0 empty in format 2"
	fi
}

test_adm_filtered_by_host() {
	local u out
	u=$(setup_4_5)
	# host control domains are 0-15,0x47: 0x20 is assigned but not plugged
	assign "$u" assign_control_domain 0x20
	out=$(vc "$u" "run:cat $SIM/mdevs/$u/crycb")
	if [ "$(module_param apxa)" != 0 ] && [ "$(module_param apxa)" != N ]; then
		expect_line "$out" "adm $(mask 1 2)" "ADM' = assigned ADM ∩ host ADM"
	fi
}

test_cfg_chg_on_assign() {
	local u out
	u=$(setup_4_5)
	out=$(vc "$u" eventfd:1 eventfd:0 drain:1 \
		"run:sysfs-write $MATRIX/$u/unassign_adapter 5" wait:1:3000 \
		"run:cat $SIM/mdevs/$u/crycb" \
		"run:sysfs-write $MATRIX/$u/assign_adapter 5" wait:1:3000 \
		"run:sysfs-write $MATRIX/$u/assign_control_domain 3" wait:1:3000 \
		"run:sysfs-write $MATRIX/$u/ap_config 0x0c,0x6,0x6" wait:1:3000 \
		wait:0:100)
	grep -qE '^wait:1:3000=[1-9]' <<<"$out" || fail "cfg-change eventfd not signalled on unassign_adapter of an attached mdev: $(tr '\n' '|' <<<"$out")"
	expect_eq "$(grep -c '^wait:1:3000=[1-9]' <<<"$out")" 4 "cfg-change signalled for each of 4 APCB changes"
	expect_line "$out" "apm $(mask 4)" "hot unplug of adapter 5 reached the CRYCB"
	expect_line "$out" "wait:0:100=0" "request eventfd not signalled by matrix changes"
	local ev
	ev=$(cat "$SIM/mdevs/$u/events" 2>/dev/null)
	expect_match "$ev" 'cfg_chg [4-9]' "debugfs events counter"
}

test_cfg_chg_on_host_events() {
	local u out
	u=$(setup_4_5)
	[ -w $SIM/ctl ] || skip "no control interface"
	out=$(vc "$u" eventfd:1 \
		"run:sysfs-write $AP/drivers/vfio_ap/unbind 05.0002" wait:1:3000 \
		"run:cat $SIM/mdevs/$u/crycb" \
		"run:sysfs-write $AP/drivers/vfio_ap/bind 05.0002" wait:1:3000 \
		"run:sysfs-write $SIM/ctl 'remove_card 4'" wait:1:3000 \
		"run:sysfs-write $SIM/ctl 'add_card 4 CEX8P'" wait:1:3000 \
		"run:cat $SIM/mdevs/$u/crycb" \
		"run:sysfs-write $AP/aqmask -3" wait:1:500 \
		"run:sysfs-write $SIM/ctl 'usage_domains -2'" wait:1:3000 \
		"run:cat $SIM/mdevs/$u/crycb")
	expect_eq "$(grep -c '^wait:1:3000=[1-9]' <<<"$out")" 5 "cfg-change on unbind, bind, remove_card, add_card, usage_domains: $(tr '\n' '|' <<<"$out")"
	expect_line "$out" "aqm $(mask 1)" "host usage domain 2 removed from the guest"
	ctl usage_domains +2
	expect_line "$out" "apm $(mask 4)" "unbinding 05.0002 unplugged adapter 5"
	expect_line "$out" "apm $(mask 4 5)" "card 4 came back"
	expect_line "$out" "wait:1:500=0" "a mask change that does not alter the guest APCB must not signal"
}

test_one_device_per_guest() {
	local a b out
	a=$(setup_4_5)
	b=$(new_mdev)
	# mainline: one vfio-ap device per KVM (EPERM); simulated guest = process
	out=$(vc "$a" "open:$b")
	grep -q "^second open=EPERM" <<<"$out" || fail "second mdev opened by the same guest must fail with EPERM: $(tr '\n' '|' <<<"$out")"
	# another process is another guest
	out=$(vc "$a" "run:vfio-client $b info")
	expect_line "$out" "info flags=0x21 num_regions=0 num_irqs=2" "another process may attach another mdev"
	# the same group cannot be opened twice (vfio core)
	out=$(vc "$a" "run:vfio-client $a info")
	grep -q "open=EBUSY" <<<"$out" || fail "second open of an attached mdev's group should fail with EBUSY: $(tr '\n' '|' <<<"$out")"
}

test_remove_while_attached() {
	local u out
	u=$(setup_4_5)
	out=$(vc "$u" eventfd:0 eventfd:1 drain:1 \
		"run:(sysfs-write $MATRIX/$u/remove 1 > /tmp/remove.out) & echo started" \
		wait:0:5000 wait:1:2000 "run:cat $SIM/mdevs/$u/crycb; test -d $MATRIX/$u && echo still-there" \
		close sleep:500)
	grep -qE '^wait:0:5000=[1-9]' <<<"$out" || fail "request eventfd not signalled by remove while attached: $(tr '\n' '|' <<<"$out")"
	grep -qE '^wait:1:2000=[1-9]' <<<"$out" || fail "cfg-change eventfd not signalled by the request op"
	expect_line "$out" "apm $ZERO" "request op clears the guest masks"
	expect_line "$out" "still-there" "remove blocks while the device is open"
	local i
	for ((i = 0; i < 50; i++)); do [ -d "$MATRIX/$u" ] || break; sleep 0.1; done
	expect_absent "$MATRIX/$u" "mdev removed once the device was closed"
	expect_file /tmp/remove.out $'OK\n' "the blocked remove write returns success"
}

test_rmmod_busy_while_attached() {
	local u out
	u=$(new_mdev)
	out=$(vc "$u" "run:rmmod $APVM_MODULE 2>&1; echo rc=\$?")
	grep -q 'rc=[1-9]' <<<"$out" || fail "rmmod succeeded while a vfio device fd was open"
	grep -q "$APVM_MODULE" /proc/modules || die "module gone"
}
