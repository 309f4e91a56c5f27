# SPDX-License-Identifier: LGPL-2.1-or-later
"""The binding against the vfio_ap simulator in the VM: what Host.read()
says matches sysfs, plans match what the kernel does, the monitor sees
the kernel's uevents, the lock works under the real /run."""

import errno
import os
import time
import uuid as uuidlib

from apmatrix import (Apqn, Check, Driver, EventType, Feature, Host,
                      HostPart, Lock, Matrix, Mdev, Monitor, MonitorSource,
                      Role, StepKind, Target)

from sim import ALL1, MATRIX, SYS, TYPE, wait_bindings, write


def sysfs_queues():
    out = set()
    for name in os.listdir(SYS / "bus/ap/devices"):
        if "." in name:
            a, d = name.split(".")
            out.add(Apqn(int(a, 16), int(d, 16)))
    return out


def test_read_matches_sysfs(ctx):
    h = Host.read(ctx)
    assert h.known == HostPart(255)
    cards = sorted(int(n[4:], 16) for n in os.listdir(SYS / "bus/ap/devices")
                   if n.startswith("card"))
    assert h.card_ids == cards and cards
    assert set(h.queue_apqns) == sysfs_queues()
    assert h.apmask.mask == (SYS / "bus/ap/apmask").read_text().strip()
    assert h.apmask.mask == ALL1
    assert (h.max_adapter_id, h.max_domain_id) == (
        int((SYS / "bus/ap/ap_max_adapter_id").read_text()),
        int((SYS / "bus/ap/ap_max_domain_id").read_text()))
    for q in h.queues():
        assert q.driver == Driver.DEFAULT
        name = "%02x.%04x" % (q.apqn.adapter, q.apqn.domain)
        online = (SYS / "bus/ap/devices" / name / "online").read_text()
        assert q.online is (online.strip() == "1")
    assert h.has_feature(Feature.VFIO_AP) is True
    bound, total, complete = h.bindings
    assert complete and bound == total
    assert h.mdevs == []


def collect(mon, want, timeout=30.0):
    """Events until want(event) is true for one of them."""
    got = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not mon.wait(max(0.0, end - time.monotonic())):
            break
        for e in mon:
            got.append(e)
            if want(e):
                return got
    raise AssertionError("event not seen; got %s" % [str(e) for e in got])


def test_monitor_sees_a_mask_change(ctx):
    h = Host.read(ctx)
    adapter = h.card_ids[-1]
    mine = {q for q in h.queue_apqns if q.adapter == adapter}
    with Monitor(MonitorSource.KERNEL, context=ctx) as mon:
        write(SYS / "bus/ap/apmask", "-%d" % adapter)
        got = collect(mon, lambda e: e.type == EventType.APMASK)
        apmask = got[-1].mask
        assert adapter not in apmask and len(apmask) == 255
        wait_bindings()
        got += list(mon)
    binds = {e.apqn for e in got if e.type == EventType.QUEUE_BIND
             and e.driver == Driver.VFIO_AP}
    unbinds = {e.apqn for e in got if e.type == EventType.QUEUE_UNBIND}
    assert binds == mine and unbinds == mine
    assert all(e.adapter == adapter for e in got if e.apqn is not None)
    h2 = Host.read(ctx)
    assert {q.apqn for q in h2.queues() if q.driver == Driver.VFIO_AP} == mine


def test_mdev_lifecycle(ctx):
    h = Host.read(ctx)
    adapter = h.card_ids[0]
    domain = min(h.usage_domain_mask)
    write(SYS / "bus/ap/apmask", "-%d" % adapter)
    wait_bindings()
    u = str(uuidlib.uuid4())
    m = Matrix([adapter], [domain], [domain], context=ctx)
    with Monitor(MonitorSource.KERNEL, context=ctx) as mon:
        write(TYPE / "create", u)
        got = collect(mon, lambda e: e.type == EventType.MDEV_ADD)
        assert got[-1].uuid == u
        write(MATRIX / u / "ap_config", m.format())
        h = Host.read(ctx)
        (mdev,) = h.mdevs
        assert mdev.uuid == u and mdev.live == m
        assert mdev.guest is not None
        assert list(mdev.guest) == [Apqn(adapter, domain)]
        assert len(Check(h, h.mdevs, context=ctx).run()) == 0
        write(MATRIX / u / "remove", "1")
        got = collect(mon, lambda e: e.type == EventType.MDEV_REMOVE)
        assert got[-1].uuid == u
    assert Host.read(ctx).mdevs == []


def test_plan_refusal_is_the_kernels(ctx):
    """A plan the library refuses fails in the kernel with the same
    errno at the same step."""
    h = Host.read(ctx)
    adapter, domain = h.card_ids[0], min(h.usage_domain_mask)
    u = str(uuidlib.uuid4())
    t = Target(context=ctx)
    t.set_mdev(u, Matrix([adapter], [domain], context=ctx))
    plan = t.plan(h)
    r = plan.refusal
    assert r is not None and r.error == -errno.EADDRNOTAVAIL
    failed = None
    for i, step in enumerate(plan):
        try:
            write(SYS / step.path, step.value)
        except OSError as e:
            failed = (i, e.errno)
            break
    assert failed == (r.step, errno.EADDRNOTAVAIL)


def test_plan_steps_reach_the_target(ctx):
    """Writing a plan's steps by hand gives the state the plan predicts."""
    h = Host.read(ctx)
    adapter, domain = h.card_ids[1], min(h.usage_domain_mask)
    u = str(uuidlib.uuid4())
    m = Matrix([adapter], [domain], context=ctx)
    t = Target(context=ctx)
    t.give_to_vfio(m)
    t.set_mdev(u, m)
    plan = t.plan(h)
    assert plan.refusal is None
    assert [s.kind for s in plan][0] == StepKind.RELEASE
    for step in plan:
        write(SYS / step.path, step.value)
        if step.kind in (StepKind.RELEASE, StepKind.RECLAIM):
            wait_bindings()
    after = Host.read(ctx)
    (mdev,) = after.mdevs
    assert mdev.uuid == u and mdev.live == m
    ((pu, predicted),) = plan.mdevs
    assert pu == u and list(mdev.guest) == list(predicted)


def test_lock_under_run(ctx):
    os.makedirs("/run/lock", exist_ok=True)
    with Lock.acquire(ctx, timeout=1) as lock:
        assert lock.path == "/run/lock/s390apconfig.lock"
        assert open(lock.path).read() == "%d\n" % os.getpid()
    assert not os.path.exists("/run/lock/s390apconfig.lock")


def test_defined_and_live_roles(ctx):
    h = Host.read(ctx)
    adapter, domain = h.card_ids[0], min(h.usage_domain_mask)
    write(SYS / "bus/ap/apmask", "-%d" % adapter)
    wait_bindings()
    u = str(uuidlib.uuid4())
    write(TYPE / "create", u)
    write(MATRIX / u / "ap_config",
          Matrix([adapter], [domain], context=ctx).format())
    other = Mdev(str(uuidlib.uuid4()), context=ctx,
                 defined=Matrix([adapter], [domain], context=ctx),
                 autostart=True)
    h = Host.read(ctx)
    report = Check(h, h.mdevs + [other], context=ctx).run()
    shared = [f for f in report if f.code_name == "shared-apqns"]
    assert shared, [f.message for f in report]
    roles = dict(zip(shared[0].uuids, shared[0].roles))
    assert roles[u] == Role.LIVE and roles[other.uuid] == Role.DEFINED


def test_store_and_mdevctl_agree(ctx, tmp_path):
    """A definition the binding writes is one mdevctl lists, and one
    mdevctl writes is one the binding reads."""
    import json
    import shutil
    import subprocess
    from apmatrix import Store
    mdevctl = shutil.which("mdevctl", path="/usr/sbin:/usr/bin")
    assert mdevctl, "mdevctl missing in the guest"
    os.makedirs("/run/lock", exist_ok=True)
    for d in ("callouts", "notifiers"):
        os.makedirs("/etc/mdevctl.d/scripts.d/" + d, exist_ok=True)
    defs = "/etc/mdevctl.d/matrix"
    ours, theirs = str(uuidlib.uuid4()), str(uuidlib.uuid4())
    try:
        store = Store.read(ctx)
        store.define(Mdev(ours, context=ctx,
                          defined=Matrix([4], [0x47], [0x47], context=ctx),
                          autostart=True))
        out = subprocess.run([mdevctl, "list", "--defined", "--dumpjson"],
                             check=True, capture_output=True,
                             text=True).stdout
        listed = {}
        for parent in json.loads(out):
            for dev in parent.get("matrix", []):
                listed.update(dev)
        assert listed[ours]["start"] == "auto"
        assert {"assign_adapter": "0x04"} in listed[ours]["attrs"]
        subprocess.run([mdevctl, "define", "-u", theirs, "-p", "matrix",
                        "-t", "vfio_ap-passthrough"], check=True)
        subprocess.run([mdevctl, "modify", "-u", theirs,
                        "--addattr=assign_adapter", "--value=5"], check=True)
        m = Store.read(ctx).find(theirs)
        assert m is not None and m.defined.adapters == {5}
        assert m.autostart is False
    finally:
        for u in (ours, theirs):
            try:
                os.unlink(os.path.join(defs, u))
            except FileNotFoundError:
                pass
