# shellcheck shell=bash
# Change events (the library's monitor, libapmatrix/monitor.c) against the
# simulator: card add/remove, config off/on, online off/on, apmask/aqmask
# changes with the rebinding they cause, mdev create/remove, bus scans
# (bindings complete). tests/vm/monitor-events.c makes each change and
# asserts the exact typed events; here it runs once from the kernel's
# uevents (the guest has no udevd) and once from udevd's.

MON=${APMATRIX_BUILD_DIR:-build}/tests/vm/monitor-events

udevd_stop() {
	udevadm control --exit 2>/dev/null
	local i
	for ((i = 0; i < 100; i++)); do
		[ -e /run/udev/control ] || return 0
		snooze 0.05
	done
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
