# shellcheck shell=bash
# AP bus: tree, bus attributes, card and queue attributes, formats and write
# rules (reference/vfio-ap-abi.md §1.1, §1.2, §1.4, §1.5, §1.6).
# Assumes the module's default topology unless a test reads it from sysfs.

HEX64='^0x[0-9a-f]{64}$'

ro_attr() { # PATH: mode 0444 and writes refused with EACCES
	expect_mode "$1" 444
	expect_write EACCES "$1" "1" "read-only attribute"
}

test_tree() {
	local d
	for d in $AP $APROOT $AP/drivers/cex4card $AP/drivers/cex4queue $AP/drivers/vfio_ap; do
		expect_exists "$d"
	done
	expect_eq "$(basename "$(readlink -f $AP/devices/card00/..)")" ap "parent of card00"
	expect_eq "$(readlink -f $AP/devices/00.0000)" "$APROOT/card00/00.0000" "queue 00.0000 lives under its card"
	local c q nq=0
	for c in $(cards); do
		expect_match "$c" '^card[0-9a-f]{2}$' "card name"
		expect_driver "$c" cex4card
		rd "$APDEV/$c/uevent"
		[[ $'\n'$RD == *$'\nDEVTYPE=ap_card\n'* ]] || fail "$c uevent lacks DEVTYPE=ap_card: $RD"
	done
	for q in $(queues); do
		nq=$((nq + 1))
		[ -e "$APROOT/card${q%%.*}/$q" ] || fail "queue $q must be a child of card${q%%.*}"
		rd "$APDEV/$q/uevent"
		[[ $'\n'$RD == *$'\nDEVTYPE=ap_queue\n'* ]] || fail "$q uevent lacks DEVTYPE=ap_queue: $RD"
	done
	expect_eq "$nq" 42 "default topology: 6 cards x 7 usage domains"
}

test_bus_attr_formats() {
	expect_match_file $AP/ap_domain $'^-?[0-9]+\n$' ap_domain
	local a
	for a in ap_adapter_mask ap_usage_domain_mask ap_control_domain_mask; do
		expect_match "$(cat $AP/$a)" "$HEX64|^not supported$" "$a"
		ro_attr "$AP/$a"
	done
	expect_file $AP/ap_adapter_mask "$(mask 0 1 2 3 4 5)"$'\n' "ap_adapter_mask of default cards 0-5"
	expect_file $AP/ap_usage_domain_mask "$(mask 0 1 2 3 4 5 0x47)"$'\n' "ap_usage_domain_mask (0-5,0x47)"
	expect_file $AP/ap_control_domain_mask "$(mask $(ids 0 15) 0x47)"$'\n' "ap_control_domain_mask (0-15,0x47)"
	for a in ap_max_adapter_id ap_max_domain_id; do
		expect_match_file $AP/$a $'^[0-9]+\n$' "$a"
		ro_attr "$AP/$a"
	done
	expect_absent $AP/ap_max_adapter_index "the attribute is ap_max_adapter_id"
	expect_match_file $AP/ap_interrupts $'^[01]\n$' ap_interrupts
	ro_attr $AP/ap_interrupts
	expect_file $AP/config_time $'30\n' "config_time default"
	expect_match_file $AP/poll_thread $'^[01]\n$' poll_thread
	expect_match_file $AP/poll_timeout $'^[0-9]+\n$' poll_timeout
	expect_file $AP/apmask "$ALL1"$'\n' "apmask default all-ones"
	expect_file $AP/aqmask "$ALL1"$'\n' "aqmask default all-ones"
	expect_match_file $AP/scans $'^[0-9]+\n$' scans
	expect_match_file $AP/bindings $'^[0-9]+/[0-9]+ \\(complete\\)\n$' bindings
	ro_attr $AP/bindings
	ro_attr $AP/features
	local f
	for f in $(cat $AP/features); do
		[[ " APSC APXA QACT RC8A APSB " == *" $f "* ]] || fail "features: unknown token $f"
	done
	for a in ap_domain config_time poll_thread poll_timeout apmask aqmask scans; do
		expect_mode "$AP/$a" 644
	done
}

test_limits_follow_apxa() {
	local apxa
	apxa=$(module_param apxa)
	[ -n "$apxa" ] || skip "module has no apxa parameter"
	if [ "$apxa" = 1 ] || [ "$apxa" = Y ]; then
		expect_file $AP/ap_max_adapter_id "$(module_param max_adapter_id)"$'\n' "ap_max_adapter_id = QCI Na with APXA"
		expect_file $AP/ap_max_domain_id "$(module_param max_domain_id)"$'\n' "ap_max_domain_id = QCI Nd with APXA"
		[[ " $(cat $AP/features) " == *" APXA "* ]] || fail "features lacks APXA although apxa=1"
	else
		expect_file $AP/ap_max_adapter_id $'63\n' "ap_max_adapter_id without APXA"
		expect_file $AP/ap_max_domain_id $'15\n' "ap_max_domain_id without APXA"
		[[ " $(cat $AP/features) " != *" APXA "* ]] || fail "features has APXA although apxa=0"
	fi
}

test_bindings_count() {
	local nq nb
	nq=$(queues | wc -l)
	nb=$(ls $AP/drivers/cex4queue $AP/drivers/vfio_ap | grep -cE '^[0-9a-f]{2}\.[0-9a-f]{4}$')
	expect_file $AP/bindings "$nb/$nq (complete)"$'\n' "bindings = bound/total queue devices"
}

test_config_time_write() {
	expect_write OK $AP/config_time 5
	expect_file $AP/config_time $'5\n'
	expect_write OK $AP/config_time $'120\n'
	expect_write EINVAL $AP/config_time 4 "config_time below 5"
	expect_write EINVAL $AP/config_time 121 "config_time above 120"
	expect_write EINVAL $AP/config_time abc
	expect_file $AP/config_time $'120\n' "config_time unchanged after errors"
	expect_write OK $AP/config_time 30
}

test_poll_timeout_write() {
	local old
	old=$(cat $AP/poll_timeout)
	expect_write OK $AP/poll_timeout 120000000000 "poll_timeout maximum"
	expect_write EINVAL $AP/poll_timeout 120000000001 "poll_timeout above 120e9 ns"
	expect_write EINVAL $AP/poll_timeout abc
	expect_write OK $AP/poll_timeout 0x3d090 "poll_timeout parses base 0"
	expect_file $AP/poll_timeout $'250000\n'
	expect_write OK $AP/poll_timeout "$old"
}

test_poll_thread_write() {
	expect_write OK $AP/poll_thread 1
	# mainline ap_poll_thread_start() does nothing while AP interrupts are
	# in use, so poll_thread keeps reading 0 with ap_interrupts=1.
	rd $AP/ap_interrupts
	if [ "$RD" = $'1\n' ]; then
		expect_file $AP/poll_thread $'0\n' "no poll thread while interrupts are enabled"
	else
		expect_file $AP/poll_thread $'1\n'
	fi
	expect_write OK $AP/poll_thread 0
	expect_file $AP/poll_thread $'0\n'
	expect_write EINVAL $AP/poll_thread maybe "poll_thread takes kstrtobool"
}

test_ap_domain_write() {
	expect_write OK $AP/ap_domain 3
	expect_file $AP/ap_domain $'3\n'
	expect_write OK $AP/ap_domain 0x47 "ap_domain parses %i (hex)"
	expect_file $AP/ap_domain $'71\n'
	expect_write EINVAL $AP/ap_domain -1
	expect_write EINVAL $AP/ap_domain $(( $(max_domain) + 1 )) "ap_domain above ap_max_domain_id"
	expect_write EINVAL $AP/ap_domain xyz
	setmask aqmask -5
	expect_write EINVAL $AP/ap_domain 5 "ap_domain not in aqmask"
	expect_file $AP/ap_domain $'71\n' "ap_domain unchanged after errors"
}

test_scans_write() {
	local before after
	before=$(cat $AP/scans)
	expect_write OK $AP/scans 1 "writing scans forces a rescan"
	after=$(cat $AP/scans)
	(( after > before )) || fail "scans did not increase after a forced rescan ($before -> $after)"
}

test_card_attrs() {
	local c=$APDEV/card00 a
	expect_file $c/hwtype $'14\n' "card00 (CEX8C) hwtype"
	expect_file $c/raw_hwtype $'14\n' "card00 raw_hwtype"
	expect_file $c/modalias $'ap:t0E\n' "card00 modalias ap:t%02X"
	expect_file $c/type $'CEX8C\n' "card00 type"
	expect_file $APDEV/card01/type $'CEX8P\n' "card01 type"
	expect_file $APDEV/card02/type $'CEX8A\n' "card02 type"
	expect_match_file $c/ap_functions $'^0x[0-9A-F]{8}\n$' "ap_functions 0x%08X (upper case)"
	for a in depth max_msg_size requestq_count pendingq_count request_count; do
		expect_match_file $c/$a $'^[0-9]+\n$' "card $a"
	done
	expect_file $c/config $'1\n' "card config"
	expect_file $c/chkstop $'0\n' "card chkstop"
	expect_file $c/online $'1\n' "card online"
	expect_exists $c/load
	for a in hwtype raw_hwtype depth ap_functions requestq_count pendingq_count modalias chkstop max_msg_size; do
		ro_attr $c/$a
	done
	for a in request_count config online; do expect_mode $c/$a 644; done
	expect_match "$(grep '^MODALIAS=' $c/uevent)" '^MODALIAS=ap:t0E$' "card uevent MODALIAS"
	expect_write OK $c/request_count 0 "writing request_count zeroes it"
	expect_file $c/request_count $'0\n'
}

test_card_hwtypes() {
	local c t hw
	for c in $(cards); do
		t=$(cat $APDEV/$c/type)
		hw=$(cat $APDEV/$c/hwtype)
		expect_match "$t" '^CEX[4-8][ACP]$' "$c type"
		expect_eq "$hw" $(( ${t:3:1} + 6 )) "$c hwtype for $t (CEX4=10 .. CEX8=14)"
		expect_file $APDEV/$c/modalias "$(printf 'ap:t%02X' "$hw")"$'\n' "$c modalias"
	done
}

test_queue_attrs() {
	local q=$APDEV/00.0001 a
	for a in request_count requestq_count pendingq_count; do
		expect_match_file $q/$a $'^([0-9]+|-)\n$' "queue $a"
	done
	expect_match_file $q/reset $'^(Reset in progress\\.|Reset Timer armed\\.|No Reset Timer set\\.)\n$' "queue reset text"
	expect_match_file $q/interrupt $'^(Interrupts enabled\\.|Interrupts disabled\\.|Enable Interrupt pending\\.)\n$' "queue interrupt text"
	expect_file $q/config $'1\n' "queue config"
	expect_file $q/chkstop $'0\n' "queue chkstop"
	expect_match_file $q/ap_functions $'^0x[0-9A-F]{8}\n$' "queue ap_functions"
	expect_file $q/online $'1\n' "cex4queue online"
	expect_exists $q/load
	expect_absent $q/status "status exists only while bound to vfio_ap"
	for a in requestq_count pendingq_count interrupt config chkstop ap_functions; do
		ro_attr $q/$a
	done
	expect_mode $q/reset 644
	expect_mode $q/request_count 644
	expect_write OK $q/reset 1 "any write to reset resets the queue"
	expect_write OK $q/request_count 0
}

test_card_config_write() {
	local c=$APDEV/card02
	start_uevents
	expect_write OK $c/config 0
	local f
	f=$(stop_uevents)
	expect_file $c/config $'0\n' "card config after writing 0"
	expect_file $APDEV/02.0003/config $'0\n' "queue config follows its card"
	expect_exists $c "a deconfigured card stays present"
	grep -q 'CONFIG=0' "$f" || fail "no CONFIG=0 change uevent after config=0: $(tr '\n' ' ' <"$f" | head -c 300)"
	grep -A8 -E 'change +/devices/ap/card02 \(ap\)' "$f" | grep -q CONFIG=0 || fail "CONFIG=0 uevent not on card02"
	expect_write EINVAL $c/config 2 "card config accepts only 0/1"
	expect_write EINVAL $c/config x
	expect_write ENODEV $c/online 1 "online=1 on a deconfigured card"
	expect_write ENODEV $APDEV/02.0003/online 1 "queue online=1 while deconfigured"
	expect_write OK $c/config $'1\n'
	expect_file $c/config $'1\n'
	expect_file $APDEV/02.0003/config $'1\n'
	rm -f "$f"
}

test_card_online_write() {
	local c=$APDEV/card03
	start_uevents
	expect_write OK $c/online 0
	local f
	f=$(stop_uevents)
	expect_file $c/online $'0\n'
	grep -q 'ONLINE=0' "$f" || fail "no ONLINE=0 uevent"
	expect_write EINVAL $APDEV/03.0001/online 1 "queue online=1 while its card is offline"
	expect_write EINVAL $c/online 5
	expect_write OK $c/online 1
	expect_file $c/online $'1\n'
	rm -f "$f"
}

test_chkstop_no_uevent() {
	[ -w $SIM/ctl ] || skip "no control interface"
	start_uevents
	ctl chkstop 1 1
	local f
	f=$(stop_uevents)
	expect_file $APDEV/card01/chkstop $'1\n' "card chkstop after ctl"
	expect_file $APDEV/01.0002/chkstop $'1\n' "queue chkstop follows card"
	grep -q 'card01' "$f" && fail "check-stop must not send a uevent: $(grep -A5 card01 "$f" | tr '\n' ' ')"
	expect_write ENODEV $APDEV/card01/online 1 "online=1 on a check-stopped card"
	ctl chkstop 1 0
	expect_file $APDEV/card01/chkstop $'0\n'
	rm -f "$f"
}

test_uevent_add_vars() {
	[ -w $SIM/ctl ] || skip "no control interface"
	start_uevents
	ctl add_card 0x0a CEX7P
	local f
	f=$(stop_uevents)
	expect_exists $APDEV/card0a
	expect_file $APDEV/card0a/hwtype $'13\n' "CEX7 hwtype"
	expect_file $APDEV/card0a/type $'CEX7P\n'
	grep -A12 '^KERNEL.*add.*/card0a (ap)' "$f" >/tmp/card.uev
	grep -q '^DEV_TYPE=000D$' /tmp/card.uev || fail "card add uevent lacks DEV_TYPE=000D: $(tr '\n' ' ' </tmp/card.uev)"
	grep -q '^MODALIAS=ap:t0D$' /tmp/card.uev || fail "card add uevent lacks MODALIAS=ap:t0D"
	grep -q '^MODE=ep11$' /tmp/card.uev || fail "card add uevent lacks MODE=ep11"
	grep -A12 '^KERNEL.*add.*/0a.0001 (ap)' "$f" | grep -q '^MODE=ep11$' || fail "queue add uevent lacks MODE=ep11"
	expect_eq "$(ls -d $APDEV/0a.* | wc -l)" 7 "new card gets one queue per usage domain"
	rm -f "$f" /tmp/card.uev
}
