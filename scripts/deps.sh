#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Install the Debian 12 packages the build and every test tier need.
# Does nothing when they are all present; otherwise runs apt-get (as root,
# or through sudo).
set -euo pipefail

PACKAGES=(
	# build and the unit/abi/examples/fuzz tiers
	build-essential cmake pkg-config libudev-dev libjson-c-dev uthash-dev
	check doxygen python3 python3-pytest clang libclang-rt-14-dev valgrind
	# the python binding: offline install (pip --no-build-isolation), type check
	python3-pip python3-setuptools python3-wheel python3-venv mypy
	abigail-tools
	# the cli tier: the man page through groff, the hostdev XML through xmllint
	groff-base libxml2-utils
	# the kernel tier: Debian's kernel in QEMU, our module, real clients
	linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
	cpio kmod mdevctl libvirt-daemon libvirt-clients
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}" >&2
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y \
	--no-install-recommends "${missing[@]}"
