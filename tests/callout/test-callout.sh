#!/bin/bash
# apmatrix-callout against sysfs fixture trees: ap-check's argument rules
# and exit codes, its refusals (sharing with active or autostart mdevs, the
# active and persistent host pools, a start without usage domains) written
# from its rules, what we add (IDs over limits, unbound queues as warnings),
# intermediate `mdevctl modify --addattr` states accepted, and the lock held
# for mdevctl from pre to post.
#   test-callout.sh CALLOUT FIXTURES_DIR
set -u
C=$1
FIX=$(cd "$2" && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export APMATRIX_SYSFS_ROOT=$FIX/default APMATRIX_ETC_ROOT=$W/etc APMATRIX_RUN_ROOT=$W/run
mkdir -p "$W/etc/mdevctl.d/matrix" "$W/run/lock"
T=vfio_ap-passthrough
U=aaaaaaaa-0000-0000-0000-000000000001
L1=11111111-1111-4111-8111-111111111111
fails=0 n=0

# expect RC STDERR_ERE STDIN ARGS... (ERE NONE: nothing on stderr; '': anything)
expect() {
	local want=$1 ere=$2 in=$3 rc
	shift 3
	n=$((n + 1))
	printf '%s' "$in" | "$C" "$@" >"$W/out" 2>"$W/err"
	rc=$?
	if [ "$rc" != "$want" ] ||
		{ [ "$ere" = NONE ] && [ -s "$W/err" ]; } ||
		{ [ -n "$ere" ] && [ "$ere" != NONE ] && ! grep -Eq -- "$ere" "$W/err"; }; then
		echo "not ok $n - $*: rc $rc (want $want), stderr: $(cat "$W/err")"
		echo "#   stdin: $in"
		fails=$((fails + 1))
	else
		echo "ok $n - ${*:2:5}"
	fi
}
cfg() { # start attrs...: a compact config as mdevctl sends it
	local start=$1 a s=
	shift
	for a in "$@"; do s+="${s:+,}{\"${a%=*}\":\"${a#*=}\"}"; done
	printf '{"mdev_type":"%s","start":"%s","attrs":[%s]}' $T "$start" "$s"
}
def() { # uuid start attrs...: a stored definition
	local u=$1
	shift
	cfg "$@" >"$W/etc/mdevctl.d/matrix/$u"
}
no_lock() {
	n=$((n + 1))
	if [ -e "$W/run/lock/s390apconfig.lock" ]; then
		echo "not ok $n - lock left behind: $(cat "$W/run/lock/s390apconfig.lock")"
		fails=$((fails + 1))
		rm -f "$W/run/lock/s390apconfig.lock"
	else
		echo "ok $n - no lock held"
	fi
}

# Arguments, as ap-check.
expect 1 'Duplicate or missing operand' '' -t $T -e pre -a define -s none -u $U
expect 1 'Duplicate or missing operand' '' -t $T -t $T -e pre -a define -s none -u $U -p matrix
expect 2 NONE '' -t vfio-pci -e pre -a define -s none -u $U -p matrix
expect 1 'Invalid UUID specified' '' -t $T -e pre -a define -s none -u ../../etc -p matrix
expect 1 'Invalid parent specified' '' -t $T -e pre -a define -s none -u $U -p ../matrix

# Start: what the kernel enforces now. 04.0001 is live in mdev 1111....
expect 255 "$L1 \(live\): APQN 04.0001 is also assigned to mdev $U \(live\); both are live" "$(cfg manual assign_adapter=4 assign_domain=1)" \
	-t $T -e pre -a start -s none -u $U -p matrix
no_lock
APMATRIX_SYSFS_ROOT=$FIX/no-vfio-ap expect 1 'vfio_ap module is not loaded' \
	"$(cfg manual assign_adapter=4 assign_domain=1)" -t $T -e pre -a start -s none -u $U -p matrix
no_lock
expect 255 'control domain 0x01 but no usage domain' "$(cfg manual assign_control_domain=1)" \
	-t $T -e pre -a start -s none -u $U -p matrix
expect 255 'APQN 01.0003 is reserved for host drivers by the active' "$(cfg manual assign_adapter=1 assign_domain=3)" \
	-t $T -e pre -a start -s none -u $U -p matrix
APMATRIX_SYSFS_ROOT=$FIX/no-apxa expect 255 'adapter 0x41 .*(limit|max)' \
	"$(cfg manual assign_adapter=0x41 assign_domain=3)" -t $T -e pre -a start -s none -u $U -p matrix
expect 255 'attrs\[0\].*not a number' "$(cfg manual assign_adapter=1,2)" \
	-t $T -e pre -a start -s none -u $U -p matrix
no_lock
expect 0 NONE "$(cfg manual assign_adapter=5 assign_domain=3)" \
	-t $T -e pre -a start -s none -u $U -p matrix
n=$((n + 1))
if [ "$(cat "$W/run/lock/s390apconfig.lock" 2>/dev/null)" = "$$" ]; then
	echo "ok $n - pre start holds the lock for mdevctl (the parent)"
else
	echo "not ok $n - lock after pre start: $(cat "$W/run/lock/s390apconfig.lock" 2>&1), want $$"
	fails=$((fails + 1))
fi
expect 0 NONE '' -t $T -e post -a start -s success -u $U -p matrix
no_lock

# Define and modify: what happens at boot.
expect 0 '' "$(cfg manual assign_control_domain=1)" -t $T -e pre -a define -s none -u $U -p matrix
expect 0 '' '' -t $T -e post -a define -s success -u $U -p matrix
def $U manual assign_control_domain=1
expect 0 '' "$(cfg manual assign_control_domain=1 assign_adapter=5)" -t $T -e pre -a modify -s none -u $U -p matrix
expect 0 '' '' -t $T -e post -a modify -s success -u $U -p matrix
expect 255 'Config already exists' "$(cfg manual)" -t $T -e pre -a define -s none -u $U -p matrix
no_lock
expect 255 "Config doesn't exist" "$(cfg manual)" -t $T -e pre -a modify -s none -u bbbbbbbb-0000-0000-0000-000000000009 -p matrix
B=bbbbbbbb-0000-0000-0000-000000000002
def $B auto assign_adapter=5 assign_domain=3
expect 255 "APQN 05.0003.*$B|$B.*05.0003" "$(cfg auto assign_control_domain=1 assign_adapter=5 assign_domain=3)" \
	-t $T -e pre -a modify -s none -u $U -p matrix
no_lock
expect 0 "warning: .*05.0003" "$(cfg manual assign_control_domain=1 assign_adapter=5 assign_domain=3)" \
	-t $T -e pre -a modify -s none -u $U -p matrix
expect 0 '' '' -t $T -e post -a modify -s success -u $U -p matrix
# The stored definition of the device being modified does not count.
expect 0 NONE "$(cfg auto assign_adapter=5 assign_domain=4)" \
	-t $T -e pre -a modify -s none -u $B -p matrix
expect 0 '' '' -t $T -e post -a modify -s success -u $B -p matrix
# The persistent host pool: rules with apmask 0-4 (adapter 5 for vfio).
mkdir -p "$W/etc/udev/rules.d"
printf 'ATTR{../../bus/ap/apmask}="0xf8"\nATTR{../../bus/ap/aqmask}="0xffffffff"\n' >"$W/etc/udev/rules.d/41-ap.rules"
expect 255 'APQN 04.0002 .*persistent' "$(cfg auto assign_adapter=4 assign_domain=2)" \
	-t $T -e pre -a define -s none -u cccccccc-0000-0000-0000-000000000003 -p matrix
expect 0 'warning: .*04.0002' "$(cfg manual assign_adapter=4 assign_domain=2)" \
	-t $T -e pre -a define -s none -u cccccccc-0000-0000-0000-000000000003 -p matrix
expect 0 '' '' -t $T -e post -a define -s success -u cccccccc-0000-0000-0000-000000000003 -p matrix
no_lock

# get attributes: ap-check's form.
expect 0 NONE '' -t $T -e get -a attributes -s none -u $L1 -p matrix
n=$((n + 1))
want='[{"assign_adapter":"4"},{"assign_domain":"0"},{"assign_domain":"1"},{"assign_control_domain":"0"},{"assign_control_domain":"1"}]'
if [ "$(cat "$W/out")" = "$want" ]; then echo "ok $n - get attributes"; else
	echo "not ok $n - get attributes: $(cat "$W/out")"; fails=$((fails + 1)); fi
expect 0 '' '{"provides":{"version":2,"actions":["define","start","capabilities"],"events":["pre","post","live"]}}' \
	-t $T -e get -a capabilities -s none -u $L1 -p matrix
n=$((n + 1))
want='{"supports":{"version":2,"actions":["define","start"],"events":["pre","post"]}}'
if [ "$(cat "$W/out")" = "$want" ]; then echo "ok $n - capabilities"; else
	echo "not ok $n - capabilities: $(cat "$W/out")"; fails=$((fails + 1)); fi

echo "$((n - fails)) passed, $fails failed"
[ $fails = 0 ]
