# shellcheck shell=bash
# Helpers for the kernel-tier tests (sourced by run-tests.sh inside the guest).
# Every expect_* records a failure with a message saying what the reference
# ABI (reference/vfio-ap-abi.md, mainline vfio_ap/ap_bus) requires, and the
# test goes on, so one run shows every deviation; die() stops the test.

AP=/sys/bus/ap
APDEV=/sys/bus/ap/devices
APROOT=/sys/devices/ap
MATRIX=/sys/devices/vfio_ap/matrix
TYPE=$MATRIX/mdev_supported_types/vfio_ap-passthrough
SIM=/sys/kernel/debug/vfio_ap_sim
ALL1=0x$(printf 'f%.0s' {1..64})
ZERO=0x$(printf '0%.0s' {1..64})
APVM_ERRF=${TMPDIR:-/tmp}/apvm-err.$$
# Forks cost ~30-70 ms under TCG, so the helpers below use bash builtins only.
declare -A ERRNO_OF=(
	["Operation not permitted"]=EPERM ["No such file or directory"]=ENOENT
	["Interrupted system call"]=EINTR ["Input/output error"]=EIO
	["No such device or address"]=ENXIO ["Bad file descriptor"]=EBADF
	["Resource temporarily unavailable"]=EAGAIN ["Cannot allocate memory"]=ENOMEM
	["Permission denied"]=EACCES ["Bad address"]=EFAULT
	["Device or resource busy"]=EBUSY ["File exists"]=EEXIST
	["No such device"]=ENODEV ["Invalid argument"]=EINVAL
	["No space left on device"]=ENOSPC ["Numerical result out of range"]=ERANGE
	["Address already in use"]=EADDRINUSE ["Cannot assign requested address"]=EADDRNOTAVAIL
	["Operation not supported"]=EOPNOTSUPP ["Too many users"]=EUSERS
	["Connection timed out"]=ETIMEDOUT ["Argument list too long"]=E2BIG
	["Inappropriate ioctl for device"]=ENOTTY ["Read-only file system"]=EROFS
	["Operation canceled"]=ECANCELED ["Function not implemented"]=ENOSYS
	["Resource deadlock avoided"]=EDEADLK ["Message too long"]=EMSGSIZE
)

# Failures go to stderr and to a per-test file, so that they count even
# when raised inside $(...) subshells.
fail() {
	echo "FAIL: $*" >&2
	[ -n "$APVM_FAIL_FILE" ] && echo x >>"$APVM_FAIL_FILE"
	return 0
}
die() {
	echo "FATAL: $*" >&2
	[ -n "$APVM_FAIL_FILE" ] && echo x >>"$APVM_FAIL_FILE"
	[ -n "$TEST_PID" ] && [ "$TEST_PID" != "$BASHPID" ] && kill -USR1 "$TEST_PID"
	exit 1
}
skip() { echo "SKIP: $*"; exit 77; }
info() { echo "# $*"; }

# rd PATH: RD = exact file content (trailing newlines included).
rd() {
	RD=
	if [ -r "$1" ]; then
		IFS= read -r -d '' RD <"$1"
	else
		RD="<unreadable: $1>"
	fi
	return 0
}
readf() { rd "$1"; printf '%s' "$RD"; }
show() { printf '%s' "$1" | sed -n 'l' | head -c 600; }

# bw PATH DATA: one write(2) of DATA (bash printf builtin); WR = OK or errno.
bw() {
	local err
	{ printf '%s' "$2" >"$1"; } 2>"$APVM_ERRF"
	if [ $? = 0 ]; then WR=OK; return 0; fi
	IFS= read -r err <"$APVM_ERRF"
	err=${err##*: }
	WR=${ERRNO_OF[$err]:-"E?($err)"}
	return 1
}
# wr PATH DATA -> prints OK or the errno name.
wr() { bw "$1" "$2"; echo "$WR"; }

expect_eq() { # GOT WANT WHAT
	[ "$1" = "$2" ] || fail "$3: got '$(show "$1")' want '$(show "$2")'"
}
expect_match() { # GOT ERE WHAT
	[[ $1 =~ $2 ]] || fail "$3: '$(show "$1")' does not match /$2/"
}
expect_match_file() { # PATH ERE WHAT
	rd "$1"
	[[ $RD =~ $2 ]] || fail "${3:-${1#/sys/}}: '$(show "$RD")' does not match /$2/"
}
expect_write() { # WANT PATH DATA [WHAT]
	bw "$2" "$3"
	[ "$WR" = "$1" ] || fail "${4:-write} '$(show "$3")' > ${2#/sys/}: got $WR, reference ABI says $1"
}
expect_file() { # PATH WANT [WHAT]
	rd "$1"
	[ "$RD" = "$2" ] || fail "${3:-content of ${1#/sys/}}: got '$(show "$RD")' want '$(show "$2")'"
}
expect_exists() { [ -e "$1" ] || fail "missing ${1}${2:+ ($2)}"; }
expect_absent() { [ ! -e "$1" ] || fail "unexpected ${1}${2:+ ($2)}"; }
expect_mode() { # PATH OCTAL
	local m
	m=$(stat -c %a "$1" 2>/dev/null)
	[ "$m" = "$2" ] || fail "mode of ${1#/sys/}: got ${m:-missing} want $2"
}

# mask ID... -> 0x + 64 hex digits with those IDs set (bit 0 leftmost).
mask() {
	local -a n=(0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
		0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
	local id s=0x h
	for id in "$@"; do
		id=$((id))
		n[id / 4]=$((n[id / 4] | (8 >> (id % 4))))
	done
	for id in "${n[@]}"; do printf -v h '%x' "$id"; s+=$h; done
	echo "$s"
}
# ids LO HI -> the IDs LO..HI (for mask()).
ids() { local i; for ((i = $1; i <= $2; i++)); do echo $i; done; }
# mask_ids 0x.. -> the set IDs, one per line (decimal).
mask_ids() {
	local h=${1#0x} i d b
	for ((i = 0; i < ${#h}; i++)); do
		d=$((16#${h:i:1}))
		for b in 0 1 2 3; do
			((d & (8 >> b))) && echo $((i * 4 + b))
		done
	done
	return 0
}

# drv APQN|cardXX: DRV = name of the bound driver or "none" (no fork).
drv() {
	local o=$PWD
	if cd -P "$APDEV/$1/driver" 2>/dev/null; then DRV=${PWD##*/}; cd "$o" || return; else DRV=none; fi
}
driver_of() { drv "$1"; echo "$DRV"; }
expect_driver() { # APQN WANT WHAT
	drv "$1"
	[ "$DRV" = "$2" ] || fail "${3:-driver of $1}: $1 is bound to $DRV, want $2"
}
queues() {
	local d
	for d in "$APDEV"/[0-9a-f][0-9a-f].[0-9a-f][0-9a-f][0-9a-f][0-9a-f]; do
		[ -e "$d" ] && echo "${d##*/}"
	done
	return 0
}
cards() {
	local d
	for d in "$APDEV"/card[0-9a-f][0-9a-f]; do [ -e "$d" ] && echo "${d##*/}"; done
	return 0
}

wait_bindings() {
	local i
	for ((i = 0; i < 100; i++)); do
		rd $AP/bindings
		[[ $RD == *"(complete)"* ]] && return 0
		snooze 0.1
	done
	fail "bindings never became complete: $RD"
}

uuid() { local u; read -r u </proc/sys/kernel/random/uuid; echo "$u"; }
mdevs() {
	local d
	for d in "$TYPE"/devices/*; do [ -e "$d" ] && echo "${d##*/}"; done
	return 0
}
# new_mdev -> creates an mdev, prints its UUID (dies if creation fails).
new_mdev() {
	local u
	read -r u </proc/sys/kernel/random/uuid
	bw "$TYPE/create" "$u" || die "cannot create mdev $u: $WR"
	[ -d "$MATRIX/$u" ] || die "mdev $u created but $MATRIX/$u missing"
	echo "$u"
}
rm_mdev() { bw "$MATRIX/$1/remove" 1; }
# assign UUID FILE VALUE: must succeed (setup step, not the thing tested).
assign() {
	bw "$MATRIX/$1/$2" "$3" || die "setup: $2 $3 on mdev $1 failed with $WR"
}
# setmask apmask|aqmask VALUE: must succeed.
setmask() {
	bw "$AP/$1" "$2" || die "setup: $1 <- $2 failed with $WR"
}
ctl() { # must succeed
	[ -w "$SIM/ctl" ] || die "no $SIM/ctl (debugfs control interface)"
	bw "$SIM/ctl" "$*" || die "ctl '$*' failed with $WR"
}

module_param() { local v; read -r v <"/sys/module/$APVM_MODULE/parameters/$1" 2>/dev/null; echo "$v"; }
max_adapter() { local v; read -r v <$AP/ap_max_adapter_id; echo "$v"; }
max_domain() { local v; read -r v <$AP/ap_max_domain_id; echo "$v"; }

# Put the simulated host back to a neutral state between tests of one file.
soft_reset() {
	local d
	for d in "$TYPE"/devices/*; do
		[ -e "$d" ] && bw "$MATRIX/${d##*/}/remove" 1
	done
	[ -w "$SIM/fault" ] && bw "$SIM/fault" clear
	[ -e $AP/apmask ] || return 0
	rd $AP/apmask
	[ "$RD" = "$ALL1"$'\n' ] || bw $AP/apmask "$ALL1"
	rd $AP/aqmask
	[ "$RD" = "$ALL1"$'\n' ] || bw $AP/aqmask "$ALL1"
	wait_bindings
	return 0
}

dmesg_mark() { echo "apvm-mark-$1" >/dev/kmsg; }
# dmesg_since MARK -> kernel log lines after the mark.
dmesg_since() { dmesg | sed -n "/apvm-mark-$1/,\$p" | tail -n +2; }

# snooze SEC: sleep without forking (read with a timeout on a pipe that
# never gets data).
snooze() {
	[ -n "$APVM_SNOOZE_FD" ] || exec {APVM_SNOOZE_FD}<> <(:)
	read -r -t "$1" -u "$APVM_SNOOZE_FD"
	return 0
}

# uevents: start_uevents; ...; f=$(stop_uevents) -> file with the kernel
# uevents of the ap and matrix subsystems seen in between. Both ends
# synchronise on a synthetic "change" of /dev/null's device, so no event is
# lost to timing and no fixed sleep is needed.
UEV_SYNC=/sys/devices/virtual/mem/null/uevent
UEV_PAT='/devices/virtual/mem/null (mem)'
uev_count() { # FILE -> UEVN = number of sync events in FILE
	local t
	rd "$1"
	t=$RD UEVN=0
	while [[ $t == *"$UEV_PAT"* ]]; do t=${t#*"$UEV_PAT"}; UEVN=$((UEVN + 1)); done
}
uev_wait() { # FILE COUNT: wait until COUNT sync events are in FILE
	local i
	for ((i = 0; i < 600; i++)); do
		uev_count "$1"
		[ "$UEVN" -ge "$2" ] && return 0
		snooze 0.05
	done
	echo "FAIL: uevent monitor out of sync" >&2
	return 1
}
start_uevents() {
	UEV_FILE=$(mktemp)
	udevadm monitor --kernel --property --subsystem-match=ap --subsystem-match=matrix \
		--subsystem-match=mem >"$UEV_FILE" 2>/dev/null &
	UEV_PID=$!
	local i
	for ((i = 0; i < 200; i++)); do
		rd "$UEV_FILE"
		[[ $RD == *"kernel uevent"* ]] && break
		snooze 0.05
	done
	echo change >$UEV_SYNC
	uev_wait "$UEV_FILE" 1
	UEV_N=$UEVN
}
stop_uevents() {
	echo change >$UEV_SYNC
	uev_wait "$UEV_FILE" $((UEV_N + 1))
	kill "$UEV_PID" 2>/dev/null
	wait "$UEV_PID" 2>/dev/null
	echo "$UEV_FILE"
}
