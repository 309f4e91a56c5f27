# shellcheck shell=bash
# bench/bench-apply.sh: 100 mdevs of 4 x 16 started by mdevctl and by one
# library apply in the same run. Asserts the write count (2 per mdev: create
# and ap_config); prints the speedup (the goal is 20x; asserted at 5x so a
# loaded machine does not fail the tier).
. "${BASH_SOURCE[0]%/*}/common.sh"

test_bench_start_100() {
	need_apply
	[ -x /usr/bin/mdevctl ] || skip "mdevctl not installed"
	local out
	out=$(bench/bench-apply.sh 100 2>&1) || { fail "bench: $out"; return; }
	while IFS= read -r l; do info "$l"; done <<<"$out"
	[[ $out =~ RESULT\ writes_per_mdev=([0-9.]+)\ mdevctl_writes_per_mdev=([0-9.]+)\ speedup=([0-9.]+) ]] ||
		{ fail "no RESULT line: $out"; return; }
	expect_eq "${BASH_REMATCH[1]}" 2.00 "library writes per mdev"
	expect_eq "${BASH_REMATCH[2]}" 21.00 "mdevctl writes per mdev (create + 20 assigns)"
	[ "${BASH_REMATCH[3]%.*}" -ge 5 ] || fail "speedup only ${BASH_REMATCH[3]}x"
}
