# SPDX-License-Identifier: LGPL-2.1-or-later
"""Plan.apply() against the simulator: a plan reaches its target under
the lock, and a write the kernel fails is rolled back (fault injection)."""

import errno
import os
import uuid as uuidlib

import pytest

from apmatrix import ApmatrixError, Apqn, Host, Matrix, StepKind, Target

from sim import FAULT, wait_bindings, write

LOCK = "/run/lock/s390apconfig.lock"


@pytest.fixture(autouse=True)
def lock_dir():
    os.makedirs("/run/lock", exist_ok=True)


def target(ctx, h, index):
    adapter, domain = h.card_ids[index], min(h.usage_domain_mask)
    u = str(uuidlib.uuid4())
    m = Matrix([adapter], [domain], [domain], context=ctx)
    t = Target(context=ctx)
    t.give_to_vfio(m)
    t.set_mdev(u, m)
    return t, u, m


def test_apply_reaches_the_target(ctx):
    h = Host.read(ctx)
    t, u, m = target(ctx, h, 2)
    result = t.plan(h).apply()
    assert result.ok, result.message
    assert (result.step, result.rollback_error, result.message) == (
        None, 0, "")
    ran = result.plan
    assert ran is not None and len(ran) >= 3
    assert result.write_count == len(ran)
    assert not os.path.exists(LOCK)
    wait_bindings()
    (mdev,) = Host.read(ctx).mdevs
    assert mdev.uuid == u and mdev.live == m
    assert list(mdev.guest) == [Apqn(min(m.adapters), min(m.domains))]
    # the same target again: nothing to do
    again = t.plan(Host.read(ctx))
    assert len(again) == 0 and again.apply().write_count == 0


def test_failed_write_is_rolled_back(ctx):
    if not FAULT.exists():
        pytest.fail("no fault injection in the simulator")
    h = Host.read(ctx)
    apmask = h.apmask.mask
    t, u, m = target(ctx, h, 3)
    write(FAULT, "ap_config 1 EIO")
    result = t.plan(h).apply()
    assert result.error == -errno.EIO and not result.ok
    assert result.uuid == u
    assert result.plan[result.step].kind == StepKind.CONFIGURE
    assert result.rollback_error == 0, result.message
    assert result.write_count > result.step + 1  # the rollback's writes
    assert "ap_config" in result.message
    with pytest.raises(ApmatrixError) as info:
        result.raise_for_error()
    assert info.value.errno == errno.EIO
    wait_bindings()
    after = Host.read(ctx)
    assert after.mdevs == [] and after.apmask.mask == apmask
    assert not os.path.exists(LOCK)
