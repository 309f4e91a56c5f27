# shellcheck shell=bash
# Helpers of the apply tests: the example program that applies a desired
# state, and a snapshot of everything an apply may change.

APPLY=${APMATRIX_BUILD_DIR:-build}/examples/apply-state

need_apply() {
	[ -x "$APPLY" ] || skip "no $APPLY (build the CMake tree first)"
	mkdir -p /run/lock
}

# ap SPEC... -> AP_OUT (stdout+stderr), AP_RC
ap() {
	AP_OUT=$("$APPLY" "$@" 2>&1)
	AP_RC=$?
}

# SNAP: masks, and every mdev with its ap_config (the assigned matrix).
snapshot() {
	local s u
	rd $AP/apmask
	s="apmask=$RD"
	rd $AP/aqmask
	s+="aqmask=$RD"
	for u in $(mdevs); do
		rd "$MATRIX/$u/ap_config"
		s+="$u=$RD"
	done
	SNAP=$s
}

# ap_config text of a matrix given as id lists (adapters, domains, controls)
cfg() { # A D C (space-separated IDs, quoted)
	# shellcheck disable=SC2086
	echo "$(mask $1),$(mask $2),$(mask $3)"
}
