# SPDX-License-Identifier: LGPL-2.1-or-later
"""Object lifetime: close() and with release at once and only once, sub-
objects keep their owner alive, nothing is freed twice under repeated gc.

(Under the sanitized build this file runs with ASan preloaded, so a double
free or a use after free aborts the test.)"""

import gc
import weakref

import pytest

from apmatrix import (Check, Context, Host, IdSet, Matrix, Mdev, Role,
                      Target)

UA = "aaaaaaaa-0000-4000-8000-000000000001"
UB = "bbbbbbbb-0000-4000-8000-000000000002"


def handle_ref(obj):
    return weakref.ref(obj._handle)


def test_close_releases_at_once_and_is_idempotent(ctx):
    s = IdSet([1], context=ctx)
    h = handle_ref(s)
    s.close()
    assert h() is None  # the C reference is gone, no gc needed
    s.close()
    assert s.closed
    for use in (lambda: len(s), lambda: 1 in s, lambda: s.add(1),
                lambda: s.format(), lambda: list(s)):
        with pytest.raises(ValueError, match="closed"):
            use()
    assert "closed" in repr(s)


def test_with_block_releases(ctx):
    with Matrix([1], [2], context=ctx) as m:
        h = handle_ref(m)
        assert list(m) == [0x102]
    assert h() is None and m.closed


def test_borrowed_set_keeps_the_matrix_alive(ctx):
    m = Matrix([1, 2], [3], context=ctx)
    adapters = m.adapters
    h = handle_ref(m)
    m.close()
    del m
    gc.collect()
    assert h() is not None  # still needed by the borrowed set
    adapters.add(7)
    assert adapters == {1, 2, 7}
    adapters.close()
    assert h() is None


def test_mdev_matrix_keeps_the_mdev_alive(ctx):
    mdev = Mdev(UA, context=ctx)
    live = mdev.add_config(Role.LIVE)
    doms = live.domains
    del mdev, live
    gc.collect()
    doms.add(5)
    assert doms == {5}


def test_finding_parts_keep_the_report_alive(ctx):
    a = Mdev(UA, context=ctx, live=Matrix([4], [1], context=ctx))
    b = Mdev(UB, context=ctx, live=Matrix([4], [1], context=ctx))
    check = Check(mdevs=[a, b], context=ctx)
    report = check.run()
    finding = report[0]
    apqns, adapters = finding.apqns, finding.adapters
    report.close()
    check.close()
    del report, check, a, b
    gc.collect()
    assert list(apqns) == [0x401] and adapters == {4}
    assert finding.uuids == (UA, UB)


def test_plan_parts_keep_the_plan_alive(ctx):
    h = Host(context=ctx)
    t = Target(context=ctx)
    t.set_mdev(UA, Matrix([4], [1], context=ctx))
    plan = t.plan(h)
    steps = list(plan)
    refusal = plan.refusal
    del plan, t, h
    gc.collect()
    assert steps[0].uuid == UA
    assert refusal is not None and refusal.uuid == UA


def test_host_mdevs_hold_their_own_reference(ctx):
    h = Host(context=ctx)
    h.add_mdev(Mdev(UA, context=ctx, live=Matrix([1], [1], context=ctx)))
    (m,) = h.mdevs
    h.close()
    del h
    gc.collect()
    assert m.live.adapters == {1}


def test_objects_keep_the_context(messages):
    c = Context(log=lambda p, f, l, fn, msg: messages.append(msg),
                log_priority=7)
    s = IdSet(context=c)
    cref = weakref.ref(c)
    c.close()
    del c
    gc.collect()
    assert cref() is not None  # the set holds the context and its hook
    with pytest.raises(ValueError):
        s.parse("0xq", 1)
    assert any("0xq" in m for m in messages)
    s.close()
    del s
    gc.collect()
    assert cref() is None


def test_repeated_gc_frees_each_object_once(ctx):
    """Many objects dropped in every order: each handle finalizes once."""
    refs = []
    for round in range(12):
        objs = []
        for i in range(10):
            m = Matrix([i], [i], context=ctx)
            objs += [m, m.adapters, m.domains, IdSet([i], context=ctx)]
            md = Mdev(UA, context=ctx, live=m)
            objs += [md, md.live, md.live.control_domains]
        if round % 3 == 0:
            for o in objs:
                o.close()
        elif round % 3 == 1:
            for o in reversed(objs):
                o.close()
        refs += [handle_ref(o) for o in objs if not o.closed]
        del objs, m, md
        gc.collect()
    gc.collect()
    assert len(refs) > 100
    assert all(r() is None for r in refs)


def test_cycles_through_python_objects_are_collected(ctx):
    class Holder:
        pass

    h = Holder()
    h.me = h
    h.set = IdSet([1], context=ctx)
    ref = handle_ref(h.set)
    del h
    gc.collect()
    assert ref() is None


def test_interpreter_exit_with_live_objects():
    """Objects still alive at exit (module globals, a cycle, a log hook at
    debug priority) are released without a crash or a stray message."""
    import os
    import subprocess
    import sys
    code = """
import apmatrix
ctx = apmatrix.Context(log=lambda *a: None, log_priority=7)
m = apmatrix.Matrix([1], [2], context=ctx)
adapters = m.adapters
mdev = apmatrix.Mdev("aaaaaaaa-0000-4000-8000-000000000001", context=ctx,
                     live=m)
report = apmatrix.Check(mdevs=[mdev], context=ctx).run()
class Cycle: pass
c = Cycle(); c.c = c; c.s = apmatrix.IdSet([3], context=ctx)
d = apmatrix.IdSet([4])
print("ok")
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True,
                       text=True, env=dict(os.environ), timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (0, "ok\n", "")
