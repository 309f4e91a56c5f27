# shellcheck shell=bash
# Several processes apply overlapping desired states at once. The lock
# serialises them and each re-checks under it: every one either applies
# fully or says why not, and no APQN is ever in two mdevs.
. "${BASH_SOURCE[0]%/*}/common.sh"

test_overlapping_appliers() {
	need_apply
	local round p i n=5 rounds=3 ok=0 refused=0
	setmask apmask -0-5
	for ((round = 0; round < rounds; round++)); do
		local -a U=() pid=() out=()
		# process p: p x 0-1 and p+1 x 1-2 in two mdevs; the next
		# process wants p+1 x 0-1: they overlap on APQN p+1.1
		for ((p = 0; p < n; p++)); do
			U[p * 2]=$(uuid)
			U[p * 2 + 1]=$(uuid)
			out[p]=${TMPDIR:-/tmp}/conc.$round.$p
			"$APPLY" "${U[p * 2]}=$p/0-1/0" "${U[p * 2 + 1]}=$((p + 1))/1-2/" >"${out[p]}" 2>&1 &
			pid[p]=$!
		done
		for ((p = 0; p < n; p++)); do
			wait "${pid[p]}"
			local rc=$? o w1 w2
			o=$(cat "${out[p]}")
			for i in 0 1; do
				local u=${U[p * 2 + i]}
				if [ $rc = 0 ]; then
					[ -d "$MATRIX/$u" ] || fail "round $round process $p applied but $u is missing"
				else
					[ ! -d "$MATRIX/$u" ] || fail "round $round process $p failed but left $u: $o"
				fi
			done
			if [ $rc = 0 ]; then
				ok=$((ok + 1))
				printf -v w1 '%02x.0000\n%02x.0001\n' $p $p
				printf -v w2 '%02x.0001\n%02x.0002\n' $((p + 1)) $((p + 1))
				expect_file "$MATRIX/${U[p * 2]}/matrix" "$w1" "round $round process $p first mdev"
				expect_file "$MATRIX/${U[p * 2 + 1]}/matrix" "$w2" "round $round process $p second mdev"
			elif [ $rc = 1 ] && [[ $o == *"failed: "*"already holds APQN"* ]]; then
				refused=$((refused + 1))
			else
				fail "round $round process $p: status $rc without a reason: $o"
			fi
		done
		# no APQN in two mdevs
		local -A owner=()
		for u in $(mdevs); do
			rd "$MATRIX/$u/matrix"
			for q in $RD; do
				[ -z "${owner[$q]}" ] || fail "round $round: $q in $u and ${owner[$q]}"
				owner[$q]=$u
			done
		done
		for u in $(mdevs); do rm_mdev "$u"; done
	done
	info "concurrent appliers: $ok applied, $refused refused with a reason, $((n * rounds)) in all"
	[ $ok -gt 0 ] || fail "no applier succeeded"
	[ $refused -gt 0 ] || fail "no applier was refused: the states did not overlap?"
}
