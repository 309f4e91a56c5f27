#!/bin/bash
# In-guest test runner: run-tests.sh [--no-reload] FILE|DIR...
# Every function named test_* in each test file t-*.sh is one test. It runs
# in a subshell of this process (forks are expensive under TCG; exec'ing a
# fresh bash per test costs ~0.5 s) after soft_reset, under a per-test
# timeout. Before each file except the first the module is reloaded with
# the boot's parameters (unless the file says "# apvm: no-reload").
# Output: TAP-ish "ok N - file: test" / "not ok N - ...", failure details as
# "#   " lines, a kernel-log health check, and as the very last line
# "N passed, N failed". Exit status 1 if anything failed.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH="$APVM_BUILD_DIR/bin:$PATH"
TEST_TIMEOUT=${APVM_TEST_TIMEOUT:-300}
# shellcheck source=lib.sh
. "$HERE/lib.sh"

RELOAD=1
[ "$1" = --no-reload ] && { RELOAD=0; shift; }
files=()
for a in "$@"; do
	if [ -d "$a" ]; then
		for f in "$a"/t-*.sh; do [ -e "$f" ] && files+=("$f"); done
	else
		files+=("$a")
	fi
done

pass=0 failn=0 skipn=0 n=0
WORK=$(mktemp -d)
out=$WORK/out
report() { # STATUS NAME
	n=$((n + 1))
	case $1 in
	0) pass=$((pass + 1)); echo "ok $n - $2" ;;
	77) skipn=$((skipn + 1)); echo "ok $n - $2 # SKIP $(sed -n 's/^SKIP: //p' "$out" | head -n1)" ;;
	*) failn=$((failn + 1)); echo "not ok $n - $2"
	   sed 's/^/#   /' "$out" | tail -n 60 ;;
	esac
}
reload_module() { # [PARAMS]: default = the boot's parameters
	[ -n "$APVM_KO" ] || return 0
	local r params=${1-$APVM_PARAMS}
	if grep -q "^$APVM_MODULE " /proc/modules; then
		r=$(rmmod "$APVM_MODULE" 2>&1) || { echo "rmmod failed: $r"; return 1; }
	fi
	# shellcheck disable=SC2086
	r=$(insmod "$APVM_KO" $params 2>&1) || { echo "insmod failed: $r"; return 1; }
	CUR_PARAMS=$params
}
# run_test FILE TEST: exit status 0 pass, 77 skip, else fail
run_test() {
	TEST_PID=$BASHPID
	trap 'exit 1' USR1
	APVM_FAIL_FILE=$WORK/fails.$BASHPID
	APVM_ERRF=$WORK/err.$BASHPID
	: >"$APVM_FAIL_FILE"
	# shellcheck disable=SC1090
	. "$1"
	[ "${NO_SOFT_RESET:-0}" = 1 ] || soft_reset >/dev/null 2>&1
	: >"$APVM_FAIL_FILE"
	dmesg_mark "$2"
	"$2"
	local rc=$?
	[ $rc = 77 ] && exit 77
	[ $rc = 0 ] || fail "$2 returned $rc"
	[ -s "$APVM_FAIL_FILE" ] && exit 1
	exit 0
}

first=1
start=$SECONDS
CUR_PARAMS=$APVM_PARAMS
for f in "${files[@]}"; do
	name=${f##*/}
	name=${name%.sh}
	# "# apvm: params P..." in a file: reload with those module parameters
	# (e.g. another topology) for this file only.
	fparams=$(sed -n 's/^# apvm: params //p' "$f" | head -n1)
	if [ -n "$fparams" ] && [ "$fparams" != "$CUR_PARAMS" ]; then
		echo "# reloading $APVM_MODULE with: $fparams"
		reload_module "$fparams" >"$out" 2>&1 || { report 1 "$name: module reload with $fparams"; continue; }
	elif [ $first = 0 ] && [ $RELOAD = 1 ] && ! grep -q '^# apvm: no-reload' "$f"; then
		if ! reload_module >"$out" 2>&1; then
			report 1 "$name: module reload"
			continue
		fi
	fi
	export APVM_CUR_PARAMS=$CUR_PARAMS
	first=0
	echo "# $name"
	for t in $(grep -oE '^test_[A-Za-z0-9_]+' "$f"); do
		[ -n "$APVM_ONLY" ] && ! [[ $t =~ $APVM_ONLY ]] && continue
		t0=$EPOCHREALTIME
		(run_test "$f" "$t") >"$out" 2>&1 </dev/null &
		tpid=$!
		sleep "$TEST_TIMEOUT" &
		spid=$!
		wait -n -p done_pid $tpid $spid
		rc=$?
		if [ "$done_pid" = "$spid" ]; then
			pkill -KILL -P $tpid 2>/dev/null
			kill -KILL $tpid 2>/dev/null
			wait $tpid 2>/dev/null
			echo "FAIL: timeout after ${TEST_TIMEOUT}s" >>"$out"
			rc=124
		else
			kill $spid 2>/dev/null
			wait $spid 2>/dev/null
		fi
		ms=$(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 ))
		report $rc "$name: $t ($ms ms)"
	done
done

# The kernel must not have warned, oopsed or reported leaks during the run.
dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|LEAK|list_add corruption|refcount_t:|INFO: task .* blocked' >"$out"
if [ -s "$out" ]; then
	dmesg | grep -B2 -A20 -E 'WARNING:|BUG:|Oops|LEAK' | head -n 80 >>"$out"
	report 1 "kernel log is clean (no WARNING/BUG/Oops/LEAK)"
else
	report 0 "kernel log is clean (no WARNING/BUG/Oops/LEAK)"
fi
rm -rf "$WORK"
echo "# $skipn skipped, $((SECONDS - start)) s"
echo "$pass passed, $failn failed"
[ $failn = 0 ]
