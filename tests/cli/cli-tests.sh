#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# apmatrixctl on fixture trees (the `cli` ctest tier): read verbs, and the
# definition verbs against a scratch etc root. One case per ctest test:
#   cli-tests.sh APMATRIXCTL FIXTURES CASE
# A root is DIR/sys (a fixture tree), DIR/etc, DIR/run/lock, as --root
# reads it.
set -uo pipefail
CTL=$1 FIX=$2 CASE=$3
# ctest may run the tool under valgrind: APMATRIX_TEST_LAUNCHER
read -r -a LAUNCH <<<"${APMATRIX_TEST_LAUNCHER:-}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILED=0
U1=11111111-1111-4111-8111-111111111111
U2=22222222-2222-4222-8222-222222222222
UA=aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa
UB=bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb

fail() { echo "FAIL: $*" >&2; FAILED=1; }
# root NAME TREE: a --root directory over a fixture tree
root() {
	mkdir -p "$TMP/$1/etc/mdevctl.d/matrix" "$TMP/$1/run/lock"
	ln -s "$FIX/$2" "$TMP/$1/sys"
	R=$TMP/$1
}
# run ARGS...: OUT, ERR, RC of apmatrixctl
run() {
	OUT=$(NO_COLOR= "${LAUNCH[@]}" "$CTL" "$@" 2>"$TMP/err")
	RC=$?
	ERR=$(<"$TMP/err")
}
expect_rc() { [ "$RC" -eq "$1" ] || fail "$2: exit $RC, want $1 (stderr: $ERR)"; }
expect_out() { grep -Eq -- "$1" <<<"$OUT" || fail "$2: no line matching /$1/ in:
$OUT"; }
reject_out() { ! grep -Eq -- "$1" <<<"$OUT" || fail "$2: unwanted /$1/ in:
$OUT"; }
expect_err() { grep -Eq -- "$1" <<<"$ERR" || fail "$2: stderr lacks /$1/:
$ERR"; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); $1" <<<"$OUT" ||
	fail "$2: JSON assertion failed: $1"; }
# def UUID JSON: a definition as mdevctl writes it
def() { printf '%s' "$2" >"$R/etc/mdevctl.d/matrix/$1"; }

case $CASE in
list)
	root h default
	run --root "$R" list
	expect_rc 0 "list"
	expect_out '^CARD\.DOMAIN +TYPE +MODE +STATUS +DRIVER +VFIO +MDEV$' "header"
	expect_out "^04\\.0000 +CEX8P +EP11-Coproc +online +vfio_ap +in use +$U1 \\(live\\)$" "queue of a live mdev"
	expect_out '^05\.0001 +CEX8A +Accelerator +online +none +- +2222' "unbound queue held by mdev 2222"
	expect_out '^02\.0003 +CEX8A +Accelerator +checkstopped +host +- +-$' "check-stopped queue"
	expect_out '^01 +CEX8P +EP11-Coproc +deconfig ' "deconfigured card"
	expect_out '^00 +CEX8C +CCA-Coproc +offline ' "offline card"
	reject_out $'\033' "no colour when not on a terminal"
	;;
list-defined)
	root h default
	def $UA '{
  "mdev_type": "vfio_ap-passthrough",
  "start": "auto",
  "attrs": [
    {
      "assign_adapter": "0x04"
    },
    {
      "assign_domain": "0x0047"
    }
  ]
}'
	run --root "$R" list
	expect_out "^04\\.0047 .* $UA \\(defined\\)$" "defined holder"
	run --root "$R" list --mdevs
	expect_rc 0 "list --mdevs"
	expect_out "^$UA +auto +0x04 +0x0047 +- +-$" "definition row"
	expect_out "^$U2 +active +0x05 +0x0001-0x0002,0x0047 +0x0002 +0$" "live row"
	;;
list-json)
	root h default
	run list --json --root "$R"
	expect_rc 0 "list --json"
	json "q=[q for c in d['cards'] for q in c['queues'] if q['apqn']=='04.0000'][0];
assert q['driver']=='vfio_ap' and q['vfio_status']=='in use', q;
assert q['mdevs']==[{'uuid':'$U1','roles':['live']}], q" "queue 04.0000"
	json "c=d['cards'][1]; assert c['adapter']==1 and c['config'] is False and c['status']=='deconfig', c" "card 01"
	json "c=d['cards'][0]; assert c['mode']=='CCA-Coproc' and c['hwtype']==14 and c['type']=='CEX8C', c" "card 00"
	run --root "$R" list --mdevs --json
	json "m=d['mdevs'][0]; assert m['uuid']=='$U1' and m['active'] and not m['defined'] and m['autostart'] is None, m;
assert m['live']['adapters']==[4] and m['live']['usage_domains']==[0,1] and m['live']['control_domains']==[0,1];
assert m['guest']['apqns']==['04.0000','04.0001'] and m['defined_matrix'] is None" "mdev 1111"
	;;
check-clean)
	root h plain
	run --root "$R" check
	expect_rc 0 "check of a host without mdevs"
	expect_out '^clean: 0 findings' "summary"
	;;
check-warnings)
	root h default
	run --root "$R" check
	expect_rc 1 "check with warnings only"
	expect_out "^warning +queue-not-bound +.*05\\.0001" "unbound queue"
	expect_out "^warning +adapter-filtered " "filtered adapter"
	expect_out '^warning: 2 findings \(0 errors, 2 warnings, 0 info\)$' "summary"
	;;
check-errors)
	root h default
	for u in $UA $UB; do
		def $u '{
  "mdev_type": "vfio_ap-passthrough",
  "start": "auto",
  "attrs": [
    {
      "assign_adapter": "3"
    },
    {
      "assign_domain": "0x47"
    }
  ]
}'
	done
	run --root "$R" check
	expect_rc 2 "two autostart definitions sharing 03.0047"
	expect_out "^error +shared-apqns .*03\\.0047" "the shared APQN is named"
	run --root "$R" check --json
	expect_rc 2 "check --json keeps the exit code"
	json "f=[f for f in d['findings'] if f['code']=='shared-apqns'][0];
assert f['severity']=='error' and f['uuids']==['$UA','$UB'] and f['roles']==['defined','defined'] and f['apqns']==['03.0047'], f;
assert d['severity']=='error' and d['definition_problems']==[]" "finding JSON"
	;;
check-bad-definition)
	root h plain
	printf '{"mdev_type": "vfio_ap-passthrough", "start": ' >"$R/etc/mdevctl.d/matrix/$UA"
	run --root "$R" check
	expect_rc 2 "a definition mdevctl cannot read is an error"
	expect_out "^error +definition-file +.*$UA" "the file is named"
	run --root "$R" check --json
	json "p=d['definition_problems'][0]; assert p['file']=='mdevctl.d/matrix/$UA' and p['severity']=='error', p" "problem JSON"
	;;
show)
	root h default
	run --root "$R" show $U2
	expect_rc 0 "show"
	expect_out '^  live +adapters 0x05  domains 0x0001-0x0002,0x0047  control domains 0x0002  \(3 APQNs\)$' "live matrix"
	expect_out '^  guest +adapters -  domains 0x0001-0x0002,0x0047  \(0 APQNs\)$' "guest matrix"
	expect_out '^    warning adapter-filtered ' "its findings"
	run --root "$R" show ${U1^^} --json
	expect_rc 0 "show --json of an upper-case UUID"
	json "assert d['uuid']=='$U1' and d['active'] and d['live']['apqns']==['04.0000','04.0001'] and d['findings']==[]" "show JSON"
	;;
show-differs)
	root h default
	def $U1 '{
  "mdev_type": "vfio_ap-passthrough",
  "start": "manual",
  "attrs": [
    {
      "assign_adapter": "4"
    },
    {
      "assign_domain": "0"
    },
    {
      "assign_domain": "0x47"
    }
  ]
}'
	run --root "$R" show $U1
	expect_out '^  state +active, defined, starts by hand \(manual\)$' "state"
	expect_out '^  the definition differs from the live matrix' "difference"
	expect_out '^    domains +\+0x0047  -0x0001$' "usage domains +0x47 -1"
	expect_out '^    control domains +\+-  -0x0000-0x0001$' "control domains dropped"
	run --root "$R" show $U1 --json
	json "assert d['definition_differs'] is True and d['defined_matrix']['usage_domains']==[0,71] and d['autostart'] is False" "JSON"
	;;
show-unknown)
	root h default
	run --root "$R" show $UA
	expect_rc 4 "show of an unknown mdev"
	expect_err "no mdev $UA: neither live nor defined" "names the UUID"
	run --root "$R" show not-a-uuid
	expect_rc 3 "show of a bad UUID"
	expect_err 'bad UUID' "says the UUID is bad"
	;;
define)
	root h default
	run --root "$R" define $UA --adapters 3 --domains 0x47 --control-domains 0x47,5 --auto
	expect_rc 0 "define"
	expected='{
  "mdev_type": "vfio_ap-passthrough",
  "start": "auto",
  "attrs": [
    {
      "assign_adapter": "0x03"
    },
    {
      "assign_domain": "0x0047"
    },
    {
      "assign_control_domain": "0x0005"
    },
    {
      "assign_control_domain": "0x0047"
    }
  ]
}'
	[ "$(cat "$R/etc/mdevctl.d/matrix/$UA")" = "$expected" ] ||
		fail "definition file: $(cat "$R/etc/mdevctl.d/matrix/$UA")"
	run --root "$R" define $UA --adapters 3
	expect_rc 4 "define of a defined UUID"
	expect_err "is defined already" "says so"
	;;
define-conflict)
	root h default
	run --root "$R" define $UA --adapters 3 --domains 0x47 --auto
	expect_rc 0 "first definition"
	cp "$R/etc/mdevctl.d/matrix/$UA" "$TMP/before"
	run --root "$R" define $UB --adapters 2-3 --domains 0x47 --auto
	expect_rc 2 "a second autostart definition sharing 03.0047 is refused"
	expect_err "error +shared-apqns .*03\\.0047" "the shared APQN is named"
	expect_err "nothing was written" "says nothing was written"
	[ ! -e "$R/etc/mdevctl.d/matrix/$UB" ] || fail "the refused definition was written"
	cmp -s "$TMP/before" "$R/etc/mdevctl.d/matrix/$UA" || fail "the other definition changed"
	run --root "$R" define $UB --adapters 2-3 --domains 0x47 --manual
	expect_rc 0 "the same as a manual definition is a warning only"
	expect_err "warning +shared-apqns" "with the warning"
	;;
define-dry-run)
	root h default
	run --root "$R" define $UA --adapters 4-6,0x0a --domains 0x47 --dry-run
	expect_rc 0 "define --dry-run"
	expect_out '"assign_adapter": "0x0a"' "shows the definition"
	[ -z "$(ls "$R/etc/mdevctl.d/matrix")" ] || fail "--dry-run wrote a file"
	;;
define-bad-ids)
	root h default
	run --root "$R" define $UA --adapters 4,0x100
	expect_rc 3 "an ID over 255"
	expect_err '--adapters 4,0x100' "names the option and value"
	run --root "$R" define $UA --domains 5-3
	expect_rc 3 "a reversed range"
	[ -z "$(ls "$R/etc/mdevctl.d/matrix")" ] || fail "a refused definition was written"
	;;
modify)
	root h default
	run --root "$R" define $UA --adapters 3 --domains 0x47
	run --root "$R" modify $UA --adapters +4 --control-domains=+5,+6,-6 --auto
	expect_rc 0 "modify with relative edits"
	run --root "$R" show $UA --json
	json "m=d['defined_matrix']; assert m['adapters']==[3,4] and m['usage_domains']==[71] and m['control_domains']==[5] and d['autostart'] is True, d" "modified matrix"
	run --root "$R" modify $UB --adapters 1
	expect_rc 4 "modify of an undefined UUID"
	run --root "$R" modify $UA
	expect_rc 3 "modify without changes"
	;;
undefine)
	root h default
	run --root "$R" define $UA --adapters 3 --domains 0x47
	run --root "$R" undefine $UA
	expect_rc 0 "undefine"
	[ ! -e "$R/etc/mdevctl.d/matrix/$UA" ] || fail "file still there"
	run --root "$R" undefine $UA
	expect_rc 4 "undefine of an undefined UUID"
	expect_err "is not defined" "says so"
	;;
export)
	root h default
	run --root "$R" export $U1 --qemu
	expect_rc 0 "export --qemu"
	[ "$OUT" = "-device vfio-ap,sysfsdev=/sys/bus/mdev/devices/$U1" ] || fail "qemu: $OUT"
	run --root "$R" export $U1 --libvirt
	expect_rc 0 "export --libvirt of a live mdev without a definition"
	expect_out "^    <uuid>$U1</uuid>$" "uuid"
	expect_out "^    <attr name='assign_adapter' value='0x04'/>$" "adapter"
	expect_out "^    <attr name='assign_control_domain' value='0x0001'/>$" "control domain"
	expect_out "^  <parent>ap_matrix</parent>$" "parent"
	run --root "$R" export $U1 --hostdev
	expect_out "^    <address uuid='$U1'/>$" "hostdev"
	expect_out "^<hostdev mode='subsystem' type='mdev' model='vfio-ap'>$" "hostdev"
	if command -v xmllint >/dev/null; then
		xmllint --noout - <<<"$OUT" || fail "hostdev XML not well-formed"
	fi
	run --root "$R" export $U1
	expect_rc 3 "export without a format"
	;;
capture)
	root h default
	def $UA '{
  "mdev_type": "vfio_ap-passthrough",
  "start": "manual",
  "attrs": []
}'
	run --root "$R" capture "$TMP/cap"
	expect_rc 0 "capture"
	expect_err 'capture: [0-9]+ files, [0-9]+ links' "progress on stderr"
	diff -r --no-dereference "$FIX/default" "$TMP/cap/sys" >"$TMP/diff" || fail "captured tree differs: $(head "$TMP/diff")"
	cmp -s "$R/etc/mdevctl.d/matrix/$UA" "$TMP/cap/etc/mdevctl.d/matrix/$UA" || fail "definition not captured"
	run --root "$R" check --json
	want=$OUT
	run --root "$TMP/cap" check --json
	[ "$OUT" = "$want" ] || fail "check of the capture differs"
	run --root "$R" capture "$TMP/cap"
	expect_rc 4 "capture into a non-empty directory"
	;;
usage)
	run bogus
	expect_rc 3 "unknown verb"
	expect_err "unknown verb 'bogus'" "names it"
	run list --bogus
	expect_rc 3 "unknown option"
	expect_err -- "--bogus" "names it"
	run list extra
	expect_rc 3 "extra operand"
	run --help
	expect_rc 0 "--help"
	expect_out '^  check +' "lists the verbs"
	verbs="list show check define modify undefine start stop reserve
		release plan apply monitor doctor export capture"
	for v in $verbs; do
		[ "$(printf '%s\n' "$OUT" | grep -c "^  $v ")" = 1 ] ||
			fail "--help lists '$v' exactly once"
	done
	for v in $verbs; do
		run $v --help
		expect_rc 0 "$v --help"
		expect_out "^Usage: apmatrixctl \\[--root DIR\\] $v" "$v --help"
	done
	run
	expect_rc 3 "no verb"
	;;
no-bus)
	mkdir -p "$TMP/empty/sys"
	run --root "$TMP/empty" list
	expect_rc 4 "no AP bus"
	expect_err 'no AP bus under .*/sys' "says what is missing"
	expect_err 'hint: ' "and what to do"
	run --root "$TMP/missing" list
	expect_rc 3 "a --root that does not exist"
	;;
plan)
	root h default
	cat >"$TMP/want.json" <<-JSON
	{"reserve": [{"adapters": "3", "domains": "5"}],
	 "mdevs": [{"uuid": "$UA", "adapters": "3", "domains": [5, 71], "control_domains": "5"},
	           {"uuid": "33333333-3333-4333-8333-333333333333", "state": "absent"}]}
	JSON
	run --root "$R" plan "$TMP/want.json"
	expect_rc 0 "plan"
	expect_out '^1\. release: -5 > /sys/bus/ap/aqmask ' "first the queues go to vfio_ap"
	expect_out '^   also moves \(not asked for\): 00\.0005 01\.0005 02\.0005$' "collateral"
	expect_out "^3\\. create $UA: " "then the mdev is created"
	run --root "$R" plan "$TMP/want.json" --json
	json "assert [s['kind'] for s in d['steps']]==['release','remove','create','configure'], d['steps'];
assert d['refusal'] is None and d['steps'][0]['collateral']==['00.0005','01.0005','02.0005']" "plan JSON"
	printf '{"mdevs":[{"uuid":"%s","adapters":"4","domains":"0"}]}' $UA >"$TMP/conflict.json"
	run --root "$R" plan "$TMP/conflict.json"
	expect_rc 2 "a plan the kernel would refuse"
	expect_err "refused: .*$U1 already holds APQN 04\\.0000" "names the other mdev and the APQN"
	printf '{"mdevs":[{"uuid":"%s","adaptrs":"4"}]}' $UA >"$TMP/typo.json"
	run --root "$R" plan "$TMP/typo.json"
	expect_rc 3 "unknown key"
	expect_err 'mdevs\[0\]: unknown key adaptrs' "names where"
	printf '{"mdevs":[{"uuid":"%s","adapters":"+4"}]}' $UA >"$TMP/rel.json"
	run --root "$R" plan "$TMP/rel.json"
	expect_rc 3 "relative edits in a desired state"
	printf '{"mdevs": [' >"$TMP/bad.json"
	run --root "$R" plan "$TMP/bad.json"
	expect_rc 3 "not JSON"
	;;
doctor)
	root h default
	run --root "$R" doctor
	expect_rc 1 "doctor on a host with an unpersisted reservation"
	expect_out '^ok +vfio_ap ' "vfio_ap"
	expect_out '^warning +41-ap\.rules +the active apmask/aqmask reserve' "masks not persistent"
	expect_out 'fix: chzdev --type ap --persistent apmask=0-3,6-255 aqmask=0-70,72-255$' "the fixing command"
	mkdir -p "$R/etc/udev/rules.d"
	printf 'ACTION=="add", SUBSYSTEM=="ap", ATTR{apmask}="0xf3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"\n' >"$R/etc/udev/rules.d/41-ap.rules"
	def $UA '{
  "mdev_type": "vfio_ap-passthrough",
  "start": "auto",
  "attrs": [
    {
      "assign_adapter": "4"
    },
    {
      "assign_domain": "0"
    }
  ]
}'
	run --root "$R" doctor --json
	expect_rc 2 "an autostart definition that cannot start"
	json "c=[c for c in d['checks'] if c['check']=='autostart'][0];
assert c['severity']=='error' and '04.0000' in c['message'] and c['fix'].startswith('apmatrixctl modify $UA'), c" "autostart JSON"
	mkdir -p "$TMP/empty/sys"
	run --root "$TMP/empty" doctor
	expect_rc 2 "no AP bus"
	expect_out '^error +ap-bus .*' "says so"
	;;
monitor-usage)
	run monitor --count 0
	expect_rc 3 "--count 0"
	run monitor --source nowhere
	expect_rc 3 "bad --source"
	expect_err 'give kernel or udev' "says what to give"
	run reserve --adapters 3
	expect_rc 3 "reserve without --domains"
	run start
	expect_rc 3 "start without a UUID"
	;;
color)
	command -v script >/dev/null || { echo "no script(1): skipped"; exit 77; }
	root h default
	# on a terminal (script(1) gives one): colour, unless NO_COLOR
	OUT=$(NO_COLOR= TERM=xterm script -qec "'$CTL' --root '$R' check" /dev/null)
	[[ $OUT == *$'\033[1;33mwarning'* ]] || fail "no colour on a terminal: $OUT"
	OUT=$(NO_COLOR=1 TERM=xterm script -qec "'$CTL' --root '$R' check" /dev/null)
	[[ $OUT != *$'\033['* ]] || fail "colour despite NO_COLOR: $OUT"
	OUT=$(NO_COLOR= TERM=xterm script -qec "'$CTL' --root '$R' check --json" /dev/null)
	[[ $OUT != *$'\033['* ]] || fail "colour in JSON"
	;;
manpage)
	# every verb apmatrixctl --help lists has its entry in apmatrixctl(8)
	MAN=$(dirname "$0")/../../docs/apmatrixctl.8
	run --help
	for v in $(sed -n 's/^  \([a-z]*\) .*/\1/p' <<<"$OUT"); do
		grep -q "^\.B $v\b" "$MAN" || fail "verb $v not in apmatrixctl(8)"
	done
	[ "$(grep -c '^\.B [a-z]' "$MAN")" -gt 10 ] || fail "man page looks empty"
	if command -v groff >/dev/null; then
		w=$(groff -man -ww -z "$MAN" 2>&1)
		[ -z "$w" ] || fail "groff warnings: $w"
	fi
	;;
*)
	echo "unknown case $CASE" >&2
	exit 2
	;;
esac
exit $FAILED
