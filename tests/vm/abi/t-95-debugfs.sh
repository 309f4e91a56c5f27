# shellcheck shell=bash
# The debugfs control files ctl and fault (kernel/README.md) act on the AP
# bus, its drivers and the matrix, so they exist only while all of these are
# up: absent before load and after unload, created after the initial scan,
# removed before anything else on unload. A poller samples the files while
# insmod and rmmod run; the order of its reads makes a sample prove a
# violation, never a race of the poller itself.

# 32 cards x 64 domains = 2,048 queues: loading and unloading take long
# enough under TCG for the poller to sample the middle of both.
BIG_PARAMS="cards=0-31:CEX8A usage_domains=0-63"
BIG_BOUND="2048/2048 (complete)"
BIG_BINDINGS=$BIG_BOUND$'\n'

ctl_files() { [ -e $SIM/ctl ] || [ -e $SIM/fault ]; }

# Samples until SIGTERM, then writes "samples mid ctl bad" to $1.
# mid counts samples that found the bus but not everything (control files,
# matrix, all queues bound): proof that the poller ran during the load or
# unload. ctl counts samples that found a control file, bad those of them
# that prove it existed without the rest.
# load: control files first, then bus and matrix. The files appear last,
# so if they were there at the first read, the matrix and the complete
# bindings were there before and still are.
# unload: bus and matrix first, then control files. The files go first,
# so if they are still there at the second read, nothing had gone at the
# first.
poll_ctl() { # OUT load|unload
	local n=0 mid=0 seen=0 bad=0 full ctl
	# the trap may run inside rd(), where $1 is rd's: keep OUT global
	POLL_OUT=$1
	trap 'echo "$n $mid $seen $bad" >"$POLL_OUT"; exit 0' TERM
	: >"$POLL_OUT.ready"
	while :; do
		n=$((n + 1))
		if [ "$2" = load ]; then
			ctl_files && ctl=1 || ctl=0
			RD=
			[ -e $AP/bindings ] && rd $AP/bindings
			full=0
			[ -e $MATRIX ] && [ "$RD" = "$BIG_BINDINGS" ] && full=1
		else
			RD=
			[ -e $AP/bindings ] && rd $AP/bindings
			full=0
			[ -e $MATRIX ] && [ "$RD" = "$BIG_BINDINGS" ] && full=1
			ctl_files && ctl=1 || ctl=0
		fi
		if [ $ctl = 1 ]; then
			seen=$((seen + 1))
			[ $full = 1 ] || bad=$((bad + 1))
		fi
		# the bus was there, but not everything was
		if [ -n "$RD" ] && { [ $ctl = 0 ] || [ $full = 0 ]; }; then
			mid=$((mid + 1))
		fi
	done
}

# Runs "insmod/rmmod ..." with the poller beside it; POLL = the counters.
with_poller() { # load|unload COMMAND...
	local mode=$1 out=$WORK_DIR/poll.$1 pid r i
	shift
	rm -f "$out" "$out.ready"
	poll_ctl "$out" "$mode" 2>/dev/null &
	pid=$!
	# the command starts once the poller samples (and will report)
	for ((i = 0; i < 100; i++)); do
		[ -e "$out.ready" ] && break
		sleep 0.05
	done
	[ -e "$out.ready" ] || die "poller did not start"
	r=$("$@" 2>&1) || fail "$*: $r"
	kill -TERM $pid
	wait $pid
	read -r POLL <"$out" || die "poller wrote no result"
	info "$mode: samples, mid-$mode, with control files, bad: $POLL"
}

unload() {
	local r
	grep -q "^$APVM_MODULE " /proc/modules || return 0
	r=$(rmmod "$APVM_MODULE" 2>&1) || die "rmmod: $r"
}

expect_no_ctl() { # WHEN
	expect_absent $SIM/ctl "debugfs ctl $1"
	expect_absent $SIM/fault "debugfs fault $1"
	expect_absent $AP "AP bus $1"
	expect_absent $MATRIX "matrix $1"
}

# The polled rmmod/insmod pair, up to three times until the poller has
# sampled the middle of both (a single vCPU may not schedule it there).
test_ctl_fault_only_while_bus_and_matrix_exist() {
	local try mid_load=0 mid_unload=0 m c b r
	WORK_DIR=$(mktemp -d)
	for try in 1 2 3; do
		unload
		expect_no_ctl "before load"
		# shellcheck disable=SC2086
		with_poller load insmod "$APVM_KO" $BIG_PARAMS
		read -r _ m c b <<<"$POLL"
		[ "$b" = 0 ] || fail "load: $b of $c samples saw ctl/fault before the matrix and the complete initial scan ($BIG_BOUND)"
		mid_load=$((mid_load + m))
		expect_exists $SIM/ctl "ctl once loaded"
		expect_exists $SIM/fault "fault once loaded"
		expect_file $AP/bindings "$BIG_BINDINGS" "topology $BIG_PARAMS"

		with_poller unload rmmod "$APVM_MODULE"
		read -r _ m c b <<<"$POLL"
		[ "$b" = 0 ] || fail "unload: $b of $c samples saw ctl/fault after the matrix or a card had gone"
		mid_unload=$((mid_unload + m))
		expect_no_ctl "after unload"
		[ $mid_load -gt 0 ] && [ $mid_unload -gt 0 ] && break
	done
	# shellcheck disable=SC2086
	r=$(insmod "$APVM_KO" $APVM_CUR_PARAMS 2>&1) || die "reload: $r"
	expect_exists $SIM/ctl "ctl after reload"
	rm -rf "$WORK_DIR"
	[ $mid_load -gt 0 ] || fail "no sample in the middle of a load ($try tries): the order was not observed"
	[ $mid_unload -gt 0 ] || fail "no sample in the middle of an unload ($try tries): the order was not observed"
}

# A load that fails half-way leaves nothing behind, control files included.
test_failed_load_leaves_no_ctl() {
	local r
	unload
	# cards 0-3 are registered before the bad term fails the load
	r=$(insmod "$APVM_KO" cards=0-3:CEX8A,4:CEX3C 2>&1) && fail "insmod with a bad cards= succeeded"
	expect_no_ctl "after a failed load"
	expect_absent $SIM "debugfs directory after a failed load"
	# shellcheck disable=SC2086
	r=$(insmod "$APVM_KO" $APVM_CUR_PARAMS 2>&1) || die "reload: $r"
}
