# shellcheck shell=bash
# apvm: no-reload
# The Python binding against the simulator: bindings/python/tests/kernel
# (and the whole offline suite) under Debian's python3-pytest with the
# build-tree library ($APMATRIX_BUILD_DIR, passed by ctest).

pytest_in_guest() { # DIR
	[ -n "$APMATRIX_BUILD_DIR" ] || skip "APMATRIX_BUILD_DIR not set"
	/usr/bin/python3 -c 'import pytest' 2>/dev/null || skip "no python3-pytest"
	local lib=$APMATRIX_BUILD_DIR/libapmatrix.so.0 out
	[ -e "$lib" ] || skip "no $lib"
	out=$(APMATRIX_LIBRARY=$lib PYTHONPATH=bindings/python \
		PYTHONDONTWRITEBYTECODE=1 APMATRIX_LOG= \
		/usr/bin/python3 -m pytest -q -p no:cacheprovider --capture=sys \
		-W error::pytest.PytestUnraisableExceptionWarning "$1" 2>&1) ||
		fail "pytest $1: $(printf '%s\n' "$out" | tail -n 40)"
	# in the guest nothing may skip: the simulator is there
	case ${out##*$'\n'} in
	*skipped*) fail "pytest $1 skipped tests: $(printf '%s\n' "$out" | tail -n 5)" ;;
	*" passed"*) info "${out##*$'\n'}" ;;
	*) fail "pytest $1: no result line: ${out##*$'\n'}" ;;
	esac
}

test_kernel_suite() { pytest_in_guest bindings/python/tests/kernel; }
