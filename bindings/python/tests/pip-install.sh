#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# pip-install.sh PYTHON SOURCE WORKDIR
# Proves that the binding installs offline with Debian's setuptools, pip and
# wheel: it builds a wheel and installs it into a venv and into a --target
# directory with no index, no build isolation (which would download
# setuptools) and, when unshare(1) can make one, no network at all; then it
# runs the test suite against the installed copy (not the source tree).
set -eu
py=$1 src=$2 work=$3

if ! "$py" -m pip --version >/dev/null 2>&1; then
	echo "pip-install: $py has no pip (Debian: python3-pip)"; exit 77
fi
rm -rf "$work"
mkdir -p "$work"
# setuptools builds in the source tree: build from a copy so the checkout
# (read-only in the VM) stays clean.
mkdir "$work/src"
(cd "$src" && tar cf - --exclude=__pycache__ --exclude=build \
	--exclude='*.egg-info' pyproject.toml README.md apmatrix) |
	(cd "$work/src" && tar xf -)

offline=
if unshare -rn true 2>/dev/null; then
	offline="unshare -rn"
	echo "pip-install: no network namespace (unshare -rn)"
else
	echo "pip-install: unshare unavailable; --no-index only"
fi
# Nothing from the caller's pip setup (find-links, index URLs, config).
for v in $(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export PIP_CONFIG_FILE=/dev/null PIP_ROOT_USER_ACTION=ignore
unset PYTHONPATH
pipflags="--no-index --no-build-isolation --no-deps --disable-pip-version-check"

# 1. a wheel
$offline "$py" -m pip wheel $pipflags -w "$work/wheel" "$work/src"
ls "$work"/wheel/apmatrix-0.1.0-*.whl

# 2. pip install into a --target directory
$offline "$py" -m pip install $pipflags --target "$work/target" "$work/src"
test -f "$work/target/apmatrix/py.typed"

# 3. pip install into a venv (Debian's python3-venv), the way users do
if "$py" -m venv --system-site-packages --without-pip "$work/venv" 2>/dev/null
then
	$offline "$work/venv/bin/python" -m pip install $pipflags "$work/src"
	"$work/venv/bin/python" -c '
import apmatrix, sys
assert apmatrix.__file__.startswith(sys.argv[1]), apmatrix.__file__
print("venv:", apmatrix.__file__)' "$work/venv"
else
	echo "pip-install: no venv module; --target only"
fi

# The installed copy works and passes the suite.
cd "$work"
PYTHONPATH="$work/target" APMATRIX_TEST_INSTALLED=1 "$py" -c '
import apmatrix, sys
assert apmatrix.__file__.startswith(sys.argv[1]), apmatrix.__file__
print("target:", apmatrix.__file__, apmatrix.IdSet("1-3,7").mask)' "$work/target"
PYTHONPATH="$work/target" APMATRIX_TEST_INSTALLED=1 \
	"$py" -m pytest -q -p no:cacheprovider "$src"/tests/test_*.py
