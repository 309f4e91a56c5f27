# shellcheck shell=bash
# Change events (the library's monitor, libapmatrix/monitor.c) against the
# simulator: card add/remove, config off/on, online off/on, apmask/aqmask
# changes with the rebinding they cause, mdev create/remove, bus scans
# (bindings complete). tests/vm/monitor-events.c makes each change and
# asserts the exact typed events; here it runs once from the kernel's
# uevents (the guest has no udevd) and once from udevd's.

MON=${APMATRIX_BUILD_DIR:-build}/tests/vm/monitor-events

# udevd was started by the test: ask it to exit, then end it by its PID;
# its control socket goes with it (the library's source choice reads it).
udevd_stop() {
	local i pid
	udevadm control --exit 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		pid=$(pidof systemd-udevd) || break
		[ $i = 40 ] && kill $pid
		snooze 0.05
	done
	pidof systemd-udevd >/dev/null && fail "systemd-udevd still runs"
	rm -f /run/udev/control
}

test_events_kernel_source() {
	[ -x "$MON" ] || skip "no $MON: build the CMake tree first"
	[ -e /run/udev/control ] && die "udevd runs; this test wants none"
	"$MON" auto kernel || fail "typed events from the kernel source differ (see above)"
}

test_events_udev_source() {
	[ -x "$MON" ] || skip "no $MON: build the CMake tree first"
	[ -x /lib/systemd/systemd-udevd ] || skip "no systemd-udevd (package udev)"
	/lib/systemd/systemd-udevd --daemon --resolve-names=never 2>/dev/null ||
		die "systemd-udevd did not start"
	local i
	for ((i = 0; i < 200; i++)); do
		[ -e /run/udev/control ] && break
		snooze 0.05
	done
	[ -e /run/udev/control ] || { udevd_stop; die "no /run/udev/control"; }
	"$MON" auto udev || fail "typed events from the udev source differ (see above)"
	udevd_stop
}

# The example a user starts from: it prints the typed events of a change.
test_watch_events_example() {
	local w=${APMATRIX_BUILD_DIR:-build}/examples/watch-events out pid i
	[ -x "$w" ] || skip "no $w: build the CMake tree first"
	out=$(mktemp)
	"$w" 8 >"$out" &
	pid=$!
	# wait until it listens (its netlink socket is open)
	for ((i = 0; i < 100; i++)); do
		find /proc/$pid/fd -lname 'socket:*' 2>/dev/null | grep -q . && break
		snooze 0.05
	done
	bw $SIM/ctl "config 2 0"
	bw $SIM/ctl "config 2 1"
	bw $AP/apmask -3
	bw $AP/apmask +3
	wait $pid || fail "watch-events exited with $?"
	rd "$out"
	local want
	for want in "card-config 02 =0" "queue-config 02.0047 =0" \
		"card-config 02 =1" "queue-bind 03.0005 vfio_ap" \
		"apmask 0xefffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" \
		"queue-bind 03.0005 host"; do
		# after the source column (kernel or udev)
		[[ $RD == *" $want"$'\n'* ]] || fail "watch-events printed no \"$want\": $RD"
	done
	rm -f "$out"
}
