# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check, Report, Finding; Target, Plan, Step, Result."""

import errno
import json

import pytest

from apmatrix import (Apqn, Check, Driver, ExistsError, FindingCode, Host,
                      InvalidArgumentError, JsonFlags, Matrix, Mdev, Plan,
                      PlanFlags, Report, Role, Severity, StepKind, Target)

UA = "aaaaaaaa-0000-4000-8000-000000000001"
UB = "bbbbbbbb-0000-4000-8000-000000000002"


def live(ctx, uuid, ads, doms, cds=()):
    return Mdev(uuid, context=ctx, live=Matrix(ads, doms, cds, context=ctx))


def test_two_live_mdevs_sharing_is_an_error(ctx):
    a = live(ctx, UA, [4, 5], [1, 2])
    b = live(ctx, UB, [5, 6], [2, 3])
    report = Check(mdevs=[b, a], context=ctx).run()
    assert isinstance(report, Report) and len(report) == 1
    f = report[0]
    assert f.code == FindingCode.SHARED_APQNS
    assert f.code_name == "shared-apqns"
    assert f.severity == Severity.ERROR == report.max_severity
    assert f.uuids == (UA, UB)
    assert f.roles == (Role.LIVE, Role.LIVE)
    assert list(f.apqns) == [Apqn(5, 2)]
    assert f.adapters == {5} and f.usage_domains == {2}
    assert len(f.control_domains) == 0
    assert UA in f.message and "05.0002" in f.message
    assert str(f) == f.message and "shared-apqns" in repr(f)
    assert [x.message for x in report] == [report[-1].message]
    with pytest.raises(IndexError):
        report[1]


def test_report_json(ctx):
    a = live(ctx, UA, [4], [1])
    b = live(ctx, UB, [4], [1])
    report = Check(mdevs=[a, b], context=ctx).run()
    data = report.json()
    assert data == json.loads(report.to_json(JsonFlags.PRETTY))
    (f,) = data["findings"]
    assert f["code"] == "shared-apqns" and f["severity"] == "error"
    assert f["uuids"] == [UA, UB] and f["apqns"] == ["04.0001"]
    assert f["roles"] == ["live", "live"]
    assert "\n" in report.to_json(JsonFlags.PRETTY)
    with pytest.raises(InvalidArgumentError):
        report.to_json(0x40)


def test_live_and_defined_of_one_uuid(ctx):
    m = Mdev(UA, context=ctx)
    m.add_config(Role.LIVE).assign(Matrix([4], [1], context=ctx))
    m.add_config(Role.DEFINED).assign(Matrix([5], [1], context=ctx))
    m.autostart = True
    other = Mdev(UB, context=ctx, defined=Matrix([5], [1], context=ctx),
                 autostart=True)
    report = Check(mdevs=[m, other], context=ctx).run()
    shared = [f for f in report if f.code == FindingCode.SHARED_APQNS]
    assert shared and shared[0].roles == (Role.DEFINED, Role.DEFINED)
    assert shared[0].severity == Severity.ERROR


def test_host_findings(ctx):
    h = Host(context=ctx)
    h.add_card(4)
    h.add_queue("04.0001", Driver.DEFAULT)
    h.apmask = set(range(256)) - {4}
    h.usage_domain_mask.add(2)  # configured, but no queue 04.0002
    m = live(ctx, UA, [4], [1, 2])
    report = Check(h, [m], context=ctx).run()
    codes = {f.code for f in report}
    assert FindingCode.QUEUE_NOT_BOUND in codes
    assert FindingCode.QUEUE_MISSING in codes
    missing = [f for f in report if f.code == FindingCode.QUEUE_MISSING][0]
    assert list(missing.apqns) == [Apqn(4, 2)]
    # findings are ordered by severity, errors first
    sev = [f.severity for f in report]
    assert sev == sorted(sev, reverse=True)


def test_persistent_masks(ctx):
    c = Check(context=ctx)
    c.add_mdev(Mdev(UA, context=ctx, defined=Matrix([4], [1], context=ctx),
                    autostart=True))
    c.set_persistent_masks({4}, set(range(256)))
    report = c.run()
    assert [f.code for f in report] == [FindingCode.HOST_POOL_PERSISTENT]
    with pytest.raises(InvalidArgumentError):
        c.set_persistent_masks({4}, None)
    c.set_persistent_masks(None, None)
    assert len(c.run()) == 0


def test_empty_report(ctx):
    report = Check(context=ctx).run()
    assert len(report) == 0 and report.max_severity == Severity.NONE
    assert report.json() == {"findings": []}


def test_add_mdev_twice(ctx, sentinel):
    c = Check(context=ctx)
    m = live(ctx, UA, [1], [1])
    c.add_mdev(m)
    old = sentinel(ctx)
    with pytest.raises(ExistsError) as info:
        c.add_mdev(m)
    assert info.value.diagnostic != old


def test_report_cannot_be_made_by_hand():
    with pytest.raises(TypeError):
        Report()


# ---------------------------------------------------------------- plans
def vfio_host(ctx):
    h = Host(context=ctx)
    for a in (4, 5):
        h.add_card(a)
        for d in (1, 2):
            h.add_queue(Apqn(a, d), Driver.DEFAULT)
    h.set_feature(__import__("apmatrix").Feature.AP_CONFIG)
    return h


def test_plan_release_create_configure(ctx):
    h = vfio_host(ctx)
    t = Target(context=ctx)
    m = Matrix([4], [1, 2], context=ctx)
    t.give_to_vfio(m)
    t.set_mdev(UA, m)
    plan = t.plan(h)
    assert isinstance(plan, Plan) and plan.refusal is None
    kinds = [s.kind for s in plan]
    assert kinds[0] == StepKind.RELEASE
    assert StepKind.CREATE in kinds and StepKind.CONFIGURE in kinds
    release = plan[0]
    assert release.attribute in ("apmask", "aqmask")
    assert release.path.startswith("bus/ap/")
    assert release.uuid is None and release.value.startswith("-")
    create = plan[kinds.index(StepKind.CREATE)]
    assert create.uuid == UA and create.value.startswith(UA)
    text = plan.format()
    assert text.count("\n") >= len(plan) - 1 and str(plan) == text
    assert str(release) in text
    ((uuid, guest),) = plan.mdevs
    assert uuid == UA and guest.adapters == {4} and guest.readonly
    with pytest.raises(TypeError):
        guest.adapters.add(5)
    report = plan.report
    assert report is not None and len(report) == 0
    with pytest.raises(TypeError):
        plan[0].apqns.add(1)


def test_plan_without_ap_config_assigns(ctx):
    h = vfio_host(ctx)
    t = Target(context=ctx)
    m = Matrix([4], [1], context=ctx)
    t.give_to_vfio(m)
    t.set_mdev(UA, m)
    plan = Plan(t, h, PlanFlags.NO_AP_CONFIG)
    kinds = [s.kind for s in plan]
    assert StepKind.CONFIGURE not in kinds
    assert kinds.count(StepKind.ASSIGN) == 2
    assert {s.attribute for s in plan if s.kind == StepKind.ASSIGN} == {
        "assign_adapter", "assign_domain"}


def test_refused_plan(ctx):
    h = vfio_host(ctx)
    t = Target(context=ctx)
    t.set_mdev(UA, Matrix([4], [1], context=ctx))  # still in the host pool
    plan = t.plan(h)
    r = plan.refusal
    assert r is not None and not r.ok
    assert r.error == -errno.EADDRNOTAVAIL
    assert r.step is not None and 0 <= r.step < len(plan)
    assert r.uuid == UA and list(r.apqns) == [Apqn(4, 1)]
    assert "04.0001" in r.message
    assert plan.report is None and plan.mdevs == []
    assert r.plan is None
    assert "refused" in plan.format().splitlines()[-1]
    with pytest.raises(Exception) as info:
        r.raise_for_error()
    assert info.value.errno == errno.EADDRNOTAVAIL
    assert info.value.diagnostic == r.message


def test_target_errors(ctx, sentinel):
    t = Target(context=ctx)
    m = Matrix([1], [1], context=ctx)
    t.set_mdev(UA, m)
    old = sentinel(ctx)
    with pytest.raises(ExistsError) as info:
        t.remove_mdev(UA)
    assert info.value.diagnostic != old
    with pytest.raises(InvalidArgumentError):
        t.set_mdev("nope", m)
    with pytest.raises(InvalidArgumentError):
        t.give_to_vfio(Matrix([1], [], context=ctx))
    with pytest.raises(InvalidArgumentError):
        t.set_masks({1}, None)
    t.set_masks({1}, {2})


def test_give_to_host_collateral(ctx):
    h = vfio_host(ctx)
    h.apmask = set(range(256)) - {4, 5}
    h.bind_by_masks()
    t = Target(context=ctx)
    t.give_to_host(Matrix([4], [1], context=ctx))
    plan = t.plan(h)
    assert plan.refusal is None
    reclaim = [s for s in plan if s.kind == StepKind.RECLAIM]
    assert reclaim
    moved = set()
    for s in reclaim:
        moved |= set(s.apqns)
        assert set(s.collateral) <= set(s.apqns)
    assert Apqn(4, 1) in moved
    assert Apqn(4, 2) in set().union(*(set(s.collateral) for s in reclaim))


def _fixture_copy(source_dir, tmp_path):
    import shutil
    src = source_dir / "tests" / "fixtures" / "sysfs" / "default"
    if not src.is_dir():
        pytest.skip("no fixture tree default")
    shutil.copytree(src, tmp_path / "sys", symlinks=True)
    return tmp_path / "sys"


def test_apply_of_a_matching_target_writes_nothing(source_dir, tmp_path):
    from apmatrix import ApplyFlags, Context
    sys_root = _fixture_copy(source_dir, tmp_path)
    (tmp_path / "run" / "lock").mkdir(parents=True)
    ctx = Context(sysfs=str(sys_root), run=str(tmp_path / "run"),
                  log=lambda *a: None)
    host = Host.read(context=ctx)
    t = Target(context=ctx)
    t.set_mdev("11111111-1111-4111-8111-111111111111",
               Matrix([4], [0, 1], [0, 1], context=ctx))
    plan = Plan(t, host)
    assert len(plan) == 0 and plan.refusal is None
    result = plan.apply()
    assert result.ok and result.write_count == 0 and result.step is None
    assert result.message == "" and result.plan is not None
    assert len(result.plan) == 0
    # the lock is released: taking it again works
    assert not (tmp_path / "run" / "lock" / "s390apconfig.lock").exists()
    # LOCKED: the caller holds it; unknown flags are refused
    assert plan.apply(ApplyFlags.LOCKED).ok
    with pytest.raises(InvalidArgumentError):
        plan.apply(4)


def test_apply_without_a_lock_directory_fails_before_writing(source_dir,
                                                             tmp_path):
    from apmatrix import Context
    sys_root = _fixture_copy(source_dir, tmp_path)
    ctx = Context(sysfs=str(sys_root), run=str(tmp_path / "run"),
                  log=lambda *a: None)
    t = Target(context=ctx)
    t.remove_mdev("11111111-1111-4111-8111-111111111111")
    plan = Plan(t, Host.read(context=ctx))
    assert len(plan) == 1 and plan[0].kind == StepKind.REMOVE
    result = plan.apply()
    assert result.error == -errno.ENOENT and not result.ok
    assert "lock" in result.message and result.write_count == 0
    assert (sys_root / "devices" / "vfio_ap" / "matrix" /
            "11111111-1111-4111-8111-111111111111").is_dir()
