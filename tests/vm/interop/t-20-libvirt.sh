# shellcheck shell=bash
# libvirt 9.0 node-device driver over the simulated devices: nodedev-list by
# capability, nodedev-dumpxml, nodedev-start/destroy of an mdevctl-defined
# mdev (reference/peers.md §3, kernel-testbed.md "Real clients").

URI=nodedev:///system
V() { virsh -q -c $URI "$@"; }

start_libvirtd() {
	command -v libvirtd >/dev/null || skip "libvirtd not installed"
	if V nodedev-list >/dev/null 2>&1; then return 0; fi
	mkdir -p /etc/libvirt /etc/mdevctl.d/scripts.d/callouts
	cat >/etc/libvirt/libvirtd.conf <<-CONF
	auth_unix_ro = "none"
	auth_unix_rw = "none"
	unix_sock_group = "root"
	log_outputs = "3:file:/tmp/libvirtd.log"
	CONF
	getent group kvm >/dev/null || groupadd -r kvm
	getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
	getent passwd libvirt-qemu >/dev/null || useradd -r -g libvirt-qemu -s /usr/sbin/nologin libvirt-qemu
	# Only the nodedev driver: qemu probing alone takes minutes under TCG.
	local d
	for d in qemu network storage nwfilter interface secret; do
		rm -f "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_$d.so"
	done
	# libvirt learns about new devices (a started mdev) from udevd's
	# netlink events, not from the kernel's: run udevd without any trigger.
	if ! pgrep -x systemd-udevd >/dev/null && [ -x /lib/systemd/systemd-udevd ]; then
		/lib/systemd/systemd-udevd --daemon --resolve-names=never 2>/dev/null ||
			info "systemd-udevd did not start; active mdevs will not be seen by libvirt"
	fi
	libvirtd -d || die "libvirtd did not start"
	local i
	for ((i = 0; i < 120; i++)); do
		V nodedev-list >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	die "libvirtd not ready after 60 s: $(tail -n 20 /tmp/libvirtd.log 2>/dev/null)"
}

test_nodedev_list_caps() {
	start_libvirtd
	local out
	out=$(V nodedev-list --cap ap_matrix 2>&1)
	expect_eq "$out" ap_matrix "nodedev-list --cap ap_matrix"
	out=$(V nodedev-list --cap ap_card 2>&1)
	expect_eq "$out" "$(printf 'ap_card%02x\n' 0 1 2 3 4 5)" "nodedev-list --cap ap_card"
	out=$(V nodedev-list --cap ap_queue 2>&1)
	expect_eq "$(grep -c '^ap_' <<<"$out")" 42 "nodedev-list --cap ap_queue counts every queue"
	grep -qx ap_04_0047 <<<"$out" || fail "queue ap_04_0047 not listed: $(head -n3 <<<"$out")"
}

test_nodedev_dumpxml() {
	start_libvirtd
	local out
	out=$(V nodedev-dumpxml ap_matrix 2>&1)
	grep -q "<capability type='ap_matrix'>" <<<"$out" || fail "ap_matrix xml: $out"
	grep -q "<type id='vfio_ap-passthrough'>" <<<"$out" || fail "mdev type in ap_matrix xml: $out"
	grep -q "<deviceAPI>vfio-ap</deviceAPI>" <<<"$out" || fail "deviceAPI: $out"
	grep -q "<availableInstances>65536</availableInstances>" <<<"$out" || fail "availableInstances: $out"
	grep -q "<path>/sys/devices/vfio_ap/matrix</path>" <<<"$out" || fail "matrix path: $out"
	out=$(V nodedev-dumpxml ap_card04 2>&1)
	grep -q "<ap-adapter>0x04</ap-adapter>" <<<"$out" || fail "ap_card04 xml: $out"
	out=$(V nodedev-dumpxml ap_04_0047 2>&1)
	grep -q "<ap-adapter>0x04</ap-adapter>" <<<"$out" || fail "queue adapter: $out"
	grep -q "<ap-domain>0x0047</ap-domain>" <<<"$out" || fail "queue domain: $out"
	grep -q "<parent>ap_card04</parent>" <<<"$out" || fail "queue parent: $out"
}

test_nodedev_start_mdevctl_defined() {
	start_libvirtd
	[ -x /usr/bin/mdevctl ] || skip "mdevctl not installed"
	setmask apmask -4
	local u name out i
	u=$(uuid)
	mdevctl define -u "$u" -p matrix -t vfio_ap-passthrough >/dev/null 2>&1 || fail "mdevctl define"
	mdevctl modify -u "$u" --addattr=assign_adapter --value=4 >/dev/null 2>&1
	mdevctl modify -u "$u" --addattr=assign_domain --value=0x47 >/dev/null 2>&1
	# libvirt watches /etc/mdevctl.d and re-queries mdevctl
	for ((i = 0; i < 40; i++)); do
		name=$(V nodedev-list --cap mdev --all 2>/dev/null | grep "${u//-/_}")
		[ -n "$name" ] && break
		sleep 0.5
	done
	[ -n "$name" ] || { fail "libvirt never listed the mdevctl-defined mdev $u: $(V nodedev-list --cap mdev --all 2>&1)"; return; }
	info "libvirt name: $name"
	out=$(V nodedev-dumpxml "$name" 2>&1)
	grep -q "<attr name='assign_adapter' value='4'/>" <<<"$out" || fail "defined attrs in xml: $out"
	out=$(V nodedev-start "$name" 2>&1) || fail "nodedev-start: $out"
	expect_exists "$MATRIX/$u" "mdev started through libvirt"
	expect_file "$MATRIX/$u/matrix" $'04.0047\n'
	if pgrep -x systemd-udevd >/dev/null; then
		for ((i = 0; i < 20; i++)); do
			V nodedev-list --cap mdev 2>/dev/null | grep -q "${u//-/_}" && break
			sleep 0.5
		done
		V nodedev-list --cap mdev 2>/dev/null | grep -q "${u//-/_}" || fail "active mdev not listed by libvirt"
	else
		info "no systemd-udevd (package udev): not checking that libvirt lists the started mdev as active"
	fi
	out=$(V nodedev-destroy "$name" 2>&1) || fail "nodedev-destroy: $out"
	expect_absent "$MATRIX/$u" "stopped through libvirt"
	V nodedev-undefine "$name" >/dev/null 2>&1 || mdevctl undefine -u "$u" >/dev/null 2>&1
}
