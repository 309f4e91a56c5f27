# SPDX-License-Identifier: LGPL-2.1-or-later
"""Kernel-tier fixtures: the real /sys of the QEMU guest with the vfio_ap
simulator (tests/vm/python/t-10-pytest.sh runs this directory there).
Every test leaves the host as it found it: no mdevs, all-ones masks."""

import pytest

import apmatrix
from sim import MATRIX, SYS, reset


@pytest.fixture(autouse=True)
def clean_host():
    # a fixture, not a collection hook: hooks of a conftest apply to the
    # whole session, this directory's fixtures only to its tests
    if not (SYS / "bus" / "ap").is_dir() or not MATRIX.is_dir():
        pytest.skip("no AP bus / vfio_ap (not the VM)")
    reset()
    yield
    reset()


@pytest.fixture
def ctx():
    return apmatrix.Context(log=lambda *a: None)
