# shellcheck shell=bash
# apmatrix_host_read() on a 256 x 256 host (65,536 queues, the boot's
# parameters in tests/vm/CMakeLists.txt), and bench-host-read's cost of a
# full read against a bare find of the same tree (printed, not judged).
# The independent Python reader needs ~5 min for this tree under TCG, so
# here the snapshot is checked against sysfs by counts and samples; the
# line-by-line comparison runs on the default topology (tests/vm/discovery).
# apvm: params cards=0-255:CEX8A usage_domains=0-255

DUMP=${APMATRIX_BUILD_DIR:-build}/tests/sysfs/host-dump
BENCH=${APMATRIX_BUILD_DIR:-build}/bench/bench-host-read

# count DIR: entries of DIR named like queues (no fork per entry).
count_queues() {
	local n=0 e
	for e in "$1"/[0-9a-f][0-9a-f].[0-9a-f][0-9a-f][0-9a-f][0-9a-f]; do
		[ -e "$e" ] && n=$((n + 1))
	done
	echo "$n"
}

test_full_host_snapshot() {
	[ -x "$DUMP" ] || skip "no $DUMP"
	local u t0 got line
	setmask apmask -0-1
	wait_bindings
	ctl "chkstop 128.51 1"
	u=$(new_mdev)
	# 512 APQNs: the kernel cuts guest_matrix at a page; the library
	# leaves that configuration out with a warning.
	assign "$u" ap_config "$(mask 0 1),$ALL1,$(mask 3)"
	t0=$SECONDS
	"$DUMP" --predict >/tmp/got.txt 2>/tmp/err.txt || fail "host-dump failed: $(</tmp/err.txt)"
	info "host-dump of the full host: $((SECONDS - t0)) s"
	got=$(</tmp/got.txt)
	expect_match "$(</tmp/err.txt)" "$u/guest_matrix: more than 511 APQNs" "warning for the cut guest_matrix"
	expect_eq "$(grep -c '^card ' /tmp/got.txt)" 256 "cards in the snapshot"
	expect_eq "$(grep -c '^queue ' /tmp/got.txt)" 65536 "queues in the snapshot"
	expect_eq "$(grep -c '^queue .* driver vfio_ap ' /tmp/got.txt)" "$(count_queues $AP/drivers/vfio_ap)" "queues bound to vfio_ap"
	expect_eq "$(grep -c '^queue .* driver default ' /tmp/got.txt)" "$(count_queues $AP/drivers/cex4queue)" "queues bound to cex4queue"
	rd $AP/apmask
	[[ $got == *$'\napmask '"${RD%$'\n'}"$'\n'* ]] || fail "apmask line differs from sysfs ${RD%$'\n'}"
	rd $AP/bindings
	[[ $got == *$'\nbindings 65536/65536 complete\n'* ]] || fail "bindings line (sysfs: ${RD%$'\n'})"
	rd "$MATRIX/$u/ap_config"
	line="mdev $u live ${RD%$'\n'} guest ?"
	[[ $got == *"$line"* ]] || fail "mdev line: want '$line'"
	for line in "queue 01.00ff driver vfio_ap online ? config 1 chkstop 0 status assigned override ?" \
		"queue 01.0000 driver vfio_ap online ? config 1 chkstop 0 status assigned override ?" \
		"queue 02.0000 driver default online 1 config 1 chkstop 0 status ? override ?" \
		"queue 80.0033 driver default online 0 config 1 chkstop 1 status ? override ?" \
		"queue ff.00ff driver default online 1 config 1 chkstop 0 status ? override ?" \
		"card ff hwtype 14 raw_hwtype 14 type CEX8A mode accel functions 0x6a000000 online 1 config 1 chkstop 0 queues 256"; do
		[[ $got == *$'\n'"$line"* ]] || fail "missing line: $line"
	done
	bw "$MATRIX/$u/remove" 1
	setmask apmask "$ALL1"
	wait_bindings
}

test_bench_full_read() {
	[ -x "$BENCH" ] || skip "no $BENCH"
	local out l
	# The snapshot test has warmed the caches: one round, full read only.
	out=$("$BENCH" /sys 1 quick) || fail "bench-host-read failed: $out"
	# Passing tests keep their output to themselves: the numbers go to
	# the console log (tests/vm/apvm/vm-discovery-scale.console.log).
	while IFS= read -r l; do echo "apvm-bench: $l"; done <<<"$out" >/dev/console
}
