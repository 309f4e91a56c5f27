# SPDX-License-Identifier: LGPL-2.1-or-later
"""The definition store under a temporary etc root, and parse_definition()
of mdevctl's own files (tests/fixtures/mdevctl)."""

import json

import pytest

from apmatrix import (ApmatrixWarning, Context, ExistsError,
                      InvalidArgumentError, Matrix, Mdev, NotFoundError, Role,
                      Severity, Store, StoreFlags, parse_definition)

UA = "aaaaaaaa-0000-4000-8000-000000000001"
UB = "bbbbbbbb-0000-4000-8000-000000000002"


@pytest.fixture
def roots(tmp_path):
    (tmp_path / "etc").mkdir()
    # writes take the s390apconfig lock in <run>/lock
    (tmp_path / "run" / "lock").mkdir(parents=True)
    return Context(etc=str(tmp_path / "etc"), run=str(tmp_path / "run"),
                   log=lambda *a: None)


def defined(ctx, uuid, ads, doms, cds=(), auto=False):
    return Mdev(uuid, context=ctx,
                defined=Matrix(ads, doms, cds, context=ctx), autostart=auto)


def test_empty_store(roots):
    s = Store.read(roots)
    assert len(s) == 0 and s.mdevs == [] and s.problems == []
    assert s.persistent_apmask is None and s.persistent_aqmask is None
    assert s.find(UA) is None and UA not in s


def test_define_read_modify_undefine(roots, tmp_path, sentinel):
    s = Store.read(roots)
    s.define(defined(roots, UA, [4, 5], [0x47], [0x47], auto=True))
    path = tmp_path / "etc" / "mdevctl.d" / "matrix" / UA
    data = json.loads(path.read_text())
    assert data["mdev_type"] == "vfio_ap-passthrough"
    assert data["start"] == "auto"
    assert {"assign_adapter": "0x04"} in data["attrs"]
    # the store's snapshot and a fresh read agree
    for store in (s, Store.read(roots)):
        (m,) = store.mdevs
        assert m.uuid == UA and m.autostart is True
        assert m.defined == Matrix([4, 5], [0x47], [0x47], context=roots)
        assert UA in store and store.find(UA.upper()).uuid == UA
    old = sentinel(roots)
    with pytest.raises(ExistsError) as info:
        s.define(defined(roots, UA, [1], [1]))
    assert info.value.diagnostic != old
    s.modify(defined(roots, UA, [6], [1], auto=True))
    assert Store.read(roots).find(UA).defined.adapters == {6}
    s.set_autostart(UA, False)
    assert Store.read(roots).find(UA).autostart is False
    s.undefine(UA)
    assert not path.exists() and len(Store.read(roots)) == 0
    with pytest.raises(NotFoundError):
        s.undefine(UA)
    with pytest.raises(NotFoundError):
        s.modify(defined(roots, UB, [1], [1]))


def test_define_needs_a_definition(roots):
    s = Store.read(roots)
    with pytest.raises(InvalidArgumentError) as info:
        s.define(Mdev(UA, context=roots))
    assert info.value.diagnostic


def test_mdev_from_store_outlives_changes(roots):
    s = Store.read(roots)
    s.define(defined(roots, UA, [1], [1]))
    (m,) = s.mdevs
    s.undefine(UA)
    s.close()
    del s
    assert m.uuid == UA and m.defined.adapters == {1}


def test_format_definition(roots):
    s = Store.read(roots)
    m = defined(roots, UB, [1], [2])
    text = s.format_definition(m)
    assert json.loads(text)["attrs"] == [{"assign_adapter": "0x01"},
                                         {"assign_domain": "0x0002"}]
    compact = s.format_definition(m, StoreFlags.COMPACT)
    assert "\n" not in compact.rstrip("\n")
    assert json.loads(compact) == json.loads(text)
    assert len(Store.read(roots)) == 0  # nothing written


def test_persistent_masks(roots, tmp_path):
    s = Store.read(roots)
    s.set_persistent_masks(set(range(256)) - {4}, None)
    rules = tmp_path / "etc" / "udev" / "rules.d" / "41-ap.rules"
    assert rules.exists()
    s2 = Store.read(roots)
    assert s2.persistent_apmask == set(range(256)) - {4}
    assert s2.persistent_aqmask is None
    assert s2.persistent_apmask.readonly
    with pytest.raises(TypeError):
        s2.persistent_apmask.add(4)
    s.set_persistent_masks(None, None)
    assert not rules.exists()


def test_bad_files_are_problems(roots, tmp_path):
    d = tmp_path / "etc" / "mdevctl.d" / "matrix"
    d.mkdir(parents=True)
    (d / UA).write_text('{"mdev_type": "vfio_ap-passthrough", "start": ')
    (d / UB).write_text(json.dumps({
        "mdev_type": "vfio_ap-passthrough", "start": "manual",
        "attrs": [{"assign_adapter": "4"}, {"assign_domain": "1"}]}))
    with pytest.warns(ApmatrixWarning):
        s = Store.read(roots)
    assert [m.uuid for m in s] == [UB]
    (p,) = [p for p in s.problems if p.severity == Severity.ERROR]
    assert p.file == "mdevctl.d/matrix/" + UA
    assert "line 1" in p.message


def test_parse_mdevctl_fixtures(source_dir, ctx):
    defs = source_dir / "tests" / "fixtures" / "mdevctl" / "defs"
    if not defs.is_dir():
        pytest.skip("no mdevctl fixtures")
    m = parse_definition(UA, (defs / "c06-ap-config.json").read_text(),
                         context=ctx)
    assert m.has_config(Role.DEFINED) and not m.has_config(Role.LIVE)
    # short masks: 0x4 is the nibble 0100, bit 0 leftmost, so ID 1
    assert m.defined == Matrix([4, 5], [1], [1], context=ctx)
    assert m.autostart is False
    m = parse_definition(UA, (defs / "c14-many.json").read_text(),
                         context=ctx)
    assert m.autostart is True
    # the unassign attributes apply in order, as the kernel would
    assert m.defined == Matrix([255], [255], [], context=ctx)


def test_parse_definition_errors(ctx, sentinel):
    old = sentinel(ctx)
    with pytest.raises(InvalidArgumentError) as info:
        parse_definition(UA, '{"mdev_type": ', context=ctx)
    assert info.value.diagnostic != old and "line" in info.value.diagnostic
    with pytest.raises(InvalidArgumentError):
        parse_definition(UA, json.dumps({"mdev_type": "other", "start":
                                         "manual", "attrs": []}), context=ctx)
    with pytest.warns(ApmatrixWarning, match="attrs"):
        parse_definition(UA, json.dumps({
            "mdev_type": "vfio_ap-passthrough", "start": "manual",
            "attrs": [{"assign_adapter": "010"}]}), context=ctx)


def test_store_cannot_be_made_by_hand():
    with pytest.raises(TypeError):
        Store()


def test_check_add_store(roots):
    from apmatrix import Check, FindingCode
    s = Store.read(roots)
    s.define(defined(roots, UA, [4], [1], auto=True))
    s.define(defined(roots, UB, [4], [1, 2], auto=True))
    check = Check(context=roots)
    check.add_store(s)
    shared = [f for f in check.run() if f.code == FindingCode.SHARED_APQNS]
    assert len(shared) == 1 and shared[0].uuids == (UA, UB)
    # a proposed definition added first stands in for the stored one
    check = Check(context=roots)
    check.add_mdev(defined(roots, UB, [5], [1], auto=True))
    check.add_store(s)
    assert [f for f in check.run() if f.code == FindingCode.SHARED_APQNS] == []


def test_start_undefined(roots):
    s = Store.read(roots)
    with pytest.raises(NotFoundError) as info:
        s.start(UA)
    assert "not defined" in info.value.diagnostic
