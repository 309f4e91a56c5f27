# shellcheck shell=bash
# Fault injection: fail each write position of an apply in turn (the
# simulator's debugfs `fault`); after each failure the host must be exactly
# as before. The numbers go to the log: positions tried, left behind.
. "${BASH_SOURCE[0]%/*}/common.sh"

# fault_positions LABEL SPEC...: dry-run the plan, then for each step that
# the simulator can fault make that write fail (EIO), apply, and compare.
fault_positions() {
	local label=$1 line k=0 tried=0 left=0 before attr path filt nth
	shift
	declare -A seen=()
	ap --dry-run "$@"
	[ $AP_RC = 0 ] || { fail "$label: dry run: $AP_OUT"; return; }
	local plan=$AP_OUT
	snapshot
	before=$SNAP
	while IFS= read -r line; do
		[[ $line =~ ^[0-9]+\.\ .*\ \>\ /sys/([^ ]+) ]] || continue
		path=${BASH_REMATCH[1]}
		k=$((k + 1))
		attr=${path##*/}
		case $path in
		bus/ap/*) filt=/bus/ap ;;
		*/create) filt=/devices/vfio_ap/matrix ;;
		*/remove) info "$label: step $k (remove) is the mdev core's, not faultable"; continue ;;
		*) filt=${path%/*}; filt=/${filt#*/} ;;
		esac
		seen[$attr@$filt]=$((${seen[$attr@$filt]:-0} + 1))
		nth=${seen[$attr@$filt]}
		bw "$SIM/fault" clear
		bw "$SIM/fault" "$attr $nth EIO $filt" || { fail "arm fault $attr $nth $filt: $WR"; continue; }
		ap "$@"
		tried=$((tried + 1))
		rd "$SIM/fault"
		[[ $RD == *"$attr "* ]] && fail "$label: step $k ($attr #$nth at $filt) was not reached: $AP_OUT"
		[ $AP_RC = 1 ] || fail "$label: step $k failed but apply said $AP_RC: $AP_OUT"
		[[ $AP_OUT == *"failed: step $k "*"input/output"* || $AP_OUT == *"failed: step $k "*"I/O"* ]] ||
			fail "$label: result does not name step $k: $AP_OUT"
		snapshot
		if [ "$SNAP" != "$before" ]; then
			left=$((left + 1))
			fail "$label: fault at step $k ($attr) left the host changed: $(show "$SNAP") vs $(show "$before")"
		fi
	done <<<"$plan"
	bw "$SIM/fault" clear
	info "$label: fault positions tried $tried, left anything behind $left"
	echo "FAULTS $label tried=$tried left=$left" >>"${TMPDIR:-/tmp}/apply-faults"
	[ $tried -gt 0 ] || fail "$label: no position tried"
	# and without a fault the same state applies
	ap "$@"
	[ $AP_RC = 0 ] || fail "$label: apply without fault: $AP_OUT"
}

# Live A shrinks, B goes, C takes what A gives up, D needs a release,
# adapter 5 goes back to the host at the end.
setup_multi() {
	A=$(uuid) B=$(uuid) C=$(uuid) D=$(uuid)
	setmask apmask -4,-5
	ap "$A=4/1-2/1" "$B=5/3"
	[ $AP_RC = 0 ] || die "setup: $AP_OUT"
}

test_fault_multi_mdev_ap_config() {
	need_apply
	setup_multi
	fault_positions ap_config vfio=3/1-2 host=5/3 "$A=4/1/1" "$B=-" "$C=4/2-3/2" "$D=3/1-2/1-2"
}

test_fault_multi_mdev_assign() {
	need_apply
	setup_multi
	fault_positions assign --assign vfio=3/1-2 host=5/3 "$A=4/1/1" "$B=-" "$C=4/2-3/2" "$D=3/1-2/1-2"
}

test_fault_reservation() {
	need_apply
	local a
	setmask apmask -5
	a=$(uuid)
	ap "$a=5/0"
	[ $AP_RC = 0 ] || die "setup: $AP_OUT"
	# release domains 1-2 (cheaper than four adapters), remove the mdev,
	# give adapter 5 back
	fault_positions reservation vfio=0-3/1-2 "$a=-" host=5/0
}
