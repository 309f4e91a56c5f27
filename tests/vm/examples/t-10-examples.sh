# shellcheck shell=bash
# The examples that act on a host, in C and Python, against the simulator
# (default topology: both masks all ones, so the host keeps every queue).
# define-and-start must give the queues to vfio_ap, create and assign the
# mdev, write the definition, and refuse a second guest on the same
# queues without changing anything.

B=${APMATRIX_BUILD_DIR:-build}
PY=/usr/bin/python3
U1=7e57e7e7-0000-4000-8000-00000000e1a1
U2=7e57e7e7-0000-4000-8000-00000000e1a2

setup() {
	[ -x "$B/examples/define-and-start" ] || skip "no $B/examples/define-and-start"
	mkdir -p /run/lock /etc/mdevctl.d/matrix /etc/udev/rules.d
	rm -f /etc/mdevctl.d/matrix/*
	# The admin's one-time reservation: adapters 4 and 5 go to vfio_ap at
	# boot (41-ap.rules, as chzdev writes it for a persistent apmask
	# of -4-5); the active masks still keep everything for the host.
	py -c 'import apmatrix; apmatrix.Store.read().set_persistent_masks(
set(range(256)) - {4, 5}, set(range(256)))' || fail "setup: 41-ap.rules"
}

py() {
	APMATRIX_LIBRARY=$B/libapmatrix.so.0 PYTHONPATH=bindings/python \
		PYTHONDONTWRITEBYTECODE=1 $PY "$@"
}
py_example() { # SCRIPT ARGS...
	local s=$1
	shift
	py "bindings/python/examples/$s" "$@"
}

check_started() { # UUID MATRIX-TEXT WHAT
	expect_match_file "$MATRIX/$1/matrix" "^$2"$'\n'"\$" "$3: live matrix"
	[ -f "/etc/mdevctl.d/matrix/$1" ] || fail "$3: no definition file"
	rd "/etc/mdevctl.d/matrix/$1"
	expect_match "$RD" '"start": "auto"' "$3: start mode"
}

test_define_and_start_c() {
	setup
	local out rc
	out=$("$B/examples/define-and-start" "$U1" 4 0x47 2>&1)
	rc=$?
	expect_eq "$rc" 0 "define-and-start exit status ($out)"
	# the host kept everything: adapter 4 or domain 0x47 goes to vfio_ap
	expect_match "$out" "release: -71 > /sys/bus/ap/aqmask" "plan releases domain 0x47"
	expect_match "$out" "defined and started $U1" "result line"
	check_started "$U1" "04.0047" "C"

	# A second guest on 04.0047: refused, nothing new anywhere.
	out=$(py_example define_and_start.py "$U2" 4 0x47 2>&1)
	rc=$?
	expect_eq "$rc" 1 "second guest on 04.0047 (Python) exit status ($out)"
	expect_match "$out" "shared-apqns: .*04\\.0047" "the finding is named"
	[ ! -e "$MATRIX/$U2" ] || fail "refused mdev was created"
	[ ! -e "/etc/mdevctl.d/matrix/$U2" ] || fail "refused mdev was defined"
}

test_define_and_start_python() {
	setup
	local out rc
	out=$(py_example define_and_start.py "$U2" 5 0x47 2>&1)
	rc=$?
	expect_eq "$rc" 0 "define_and_start.py exit status ($out)"
	expect_match "$out" "defined and started $U2" "result line"
	check_started "$U2" "05.0047" "Python"

	# The C example refuses the same queue for another guest.
	out=$("$B/examples/define-and-start" "$U1" 5 0x47 2>&1)
	rc=$?
	expect_eq "$rc" 1 "second guest on 05.0047 (C) exit status ($out)"
	[ ! -e "$MATRIX/$U1" ] || fail "refused mdev was created"
}

test_list_queues_python() {
	local out n
	out=$(py_example list_queues.py) || fail "list_queues.py failed: $out"
	n=$(grep -c '^[0-9a-f][0-9a-f]\.[0-9a-f]\{4\} ' <<<"$out")
	expect_eq "$n" 42 "queues listed by list_queues.py"
	expect_match "$out" $'\n00\\.0000 +CEX8C +cca +host +1 +-' "00.0000 line"
}

test_check_definitions() {
	setup
	local out rc
	"$B/examples/define-and-start" "$U1" 4 0x47 >/dev/null 2>&1 ||
		fail "setup: define-and-start failed"
	out=$("$B/examples/check-definitions" 2>&1)
	rc=$?
	expect_eq "$rc" 0 "check-definitions exit status ($out)"
	expect_match "$out" "finding" "summary line"
	out=$(py_example check_definitions.py 2>&1)
	rc=$?
	expect_eq "$rc" 0 "check_definitions.py exit status ($out)"
}
