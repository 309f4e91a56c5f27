# SPDX-License-Identifier: LGPL-2.1-or-later
"""Host (in memory and read from the sysfs fixture trees) and Mdev."""

import shutil

import pytest

import apmatrix
from apmatrix import (Apqn, CardMode, Context, Driver, ExistsError, Feature,
                      Host, HostPart, InvalidArgumentError, Matrix, Mdev,
                      MdevState, NotFoundError, QueueStatus, ReadFlags, Role,
                      State)

U1 = "11111111-1111-4111-8111-111111111111"
U2 = "22222222-2222-4222-8222-222222222222"
U3 = "33333333-3333-4333-8333-333333333333"


def fixture_ctx(source_dir, tree):
    root = source_dir / "tests" / "fixtures" / "sysfs" / tree
    if not root.is_dir():
        pytest.skip("no fixture tree %s" % tree)
    return Context(sysfs=str(root), log=lambda *a: None)


# ---------------------------------------------------------------- in memory
def test_new_host_defaults(ctx):
    h = Host(context=ctx)
    assert (h.max_adapter_id, h.max_domain_id) == (255, 255)
    assert h.apmask == set(range(256)) and h.aqmask == set(range(256))
    assert len(h.adapter_mask) == 0
    assert h.card_ids == [] and h.queue_apqns == [] and h.mdevs == []
    assert h.known == HostPart(255)


def test_cards_and_queues(ctx, sentinel):
    h = Host(context=ctx)
    h.add_card(4, 14, CardMode.EP11, State.ONLINE | State.CONFIG)
    h.add_card(2)
    assert h.card_ids == [2, 4] and 4 in h.adapter_mask
    h.add_queue("04.0047", Driver.DEFAULT)
    h.add_queue(Apqn(4, 1))
    assert h.queue_apqns == [Apqn(4, 1), Apqn(4, 0x47)]
    assert 0x47 in h.usage_domain_mask
    card = h.card(4)
    assert (card.adapter, card.hwtype, card.mode) == (4, 14, CardMode.EP11)
    assert card.online is True and card.chkstop is False
    assert card.queue_count == 2
    q = h.queue("04.0047")
    assert q.apqn == 0x447 and q.driver == Driver.DEFAULT
    h.set_queue_driver("04.0047", Driver.VFIO_AP)
    assert q.driver == Driver.DEFAULT  # info objects are copies
    assert h.queue("04.0047").driver == Driver.VFIO_AP
    old = sentinel(ctx)
    with pytest.raises(NotFoundError) as info:
        h.add_queue("05.0001")
    assert info.value.diagnostic != old and "05" in info.value.diagnostic
    with pytest.raises(NotFoundError):
        h.card(7)
    with pytest.raises(NotFoundError):
        h.queue("04.0002")
    h.remove_card(4)
    assert h.card_ids == [2] and not h.has_queue("04.0047")
    with pytest.raises(NotFoundError):
        h.remove_card(4)
    with pytest.raises(InvalidArgumentError):
        h.add_card(256)


def test_masks_bind_and_predict(ctx):
    h = Host(context=ctx)
    for a in (4, 5):
        h.add_card(a)
        for d in (1, 2):
            h.add_queue(Apqn(a, d), Driver.DEFAULT)
    h.apmask = set(range(256)) - {4, 5}
    h.bind_by_masks()
    assert all(q.driver == Driver.VFIO_AP for q in h.queues())
    h.set_queue_driver("05.0002", Driver.DEFAULT)
    g = h.predict_guest_matrix(Matrix([4, 5], [1, 2], context=ctx))
    assert g.adapters == {4} and g.domains == {1, 2}


def test_features_in_memory(ctx):
    h = Host(context=ctx)
    assert h.has_feature(Feature.AP_CONFIG) is None
    h.set_feature(Feature.AP_CONFIG)
    h.set_feature(Feature.APXA, False)
    assert h.has_feature(Feature.AP_CONFIG) is True
    assert h.has_feature(Feature.APXA) is False
    assert Feature.AP_CONFIG in h.features
    with pytest.raises(InvalidArgumentError):
        h.has_feature(3)


def test_mdev_identity_and_roles(ctx, sentinel):
    m = Mdev(U1.upper(), context=ctx)
    assert m.uuid == U1
    assert (m.parent, m.type) == ("matrix", "vfio_ap-passthrough")
    assert m.state == MdevState(0) and m.live is None and m.defined is None
    live = m.add_config(Role.LIVE)
    live.adapters = [4]
    live.domains = [1]
    assert m.live == Matrix([4], [1], context=ctx)
    assert m.state == MdevState.ACTIVE
    with pytest.raises(NotFoundError):
        m.autostart
    d = m.add_config(Role.DEFINED)
    m.autostart = True
    assert m.state == MdevState.ACTIVE | MdevState.DEFINED | \
        MdevState.AUTOSTART
    assert d.apqn_count == 0 and m.has_config(Role.DEFINED)
    old = sentinel(ctx)
    with pytest.raises(ExistsError) as info:
        m.add_config(Role.LIVE)
    assert info.value.diagnostic != old
    m.remove_config(Role.LIVE)
    assert m.live is None and not m.has_config(Role.LIVE)
    for bad in ("a/b", "..", "x\ny", ""):
        with pytest.raises(InvalidArgumentError):
            m.parent = bad
    assert m.parent == "matrix"
    m.type = "other-type"
    assert m.type == "other-type"


def test_mdev_bad_uuid(ctx, sentinel):
    old = sentinel(ctx)
    with pytest.raises(InvalidArgumentError) as info:
        Mdev("not-a-uuid\n", context=ctx)
    d = info.value.diagnostic
    assert d != old and "\n" not in d and "not-a-uuid" in d


def test_mdev_constructor_configs(ctx):
    m = Mdev(U2, context=ctx, live=Matrix([1], [2], context=ctx),
             defined=Matrix([3], [4], context=ctx), autostart=False)
    assert m.live.adapters == {1} and m.defined.adapters == {3}
    assert m.autostart is False


def test_host_mdevs_in_memory(ctx):
    h = Host(context=ctx)
    m2 = Mdev(U2, context=ctx, live=Matrix([1], [1], context=ctx))
    m1 = Mdev(U1, context=ctx, live=Matrix([2], [2], context=ctx))
    h.add_mdev(m2)
    h.add_mdev(m1)
    assert [m.uuid for m in h.mdevs] == [U1, U2]
    with pytest.raises(ExistsError):
        h.add_mdev(Mdev(U1, context=ctx))


# ---------------------------------------------------------------- fixtures
def test_read_default_fixture(source_dir):
    c = fixture_ctx(source_dir, "default")
    h = Host.read(c)
    assert c.diagnostic == ""
    assert h.known == HostPart(255)
    assert h.apmask == set(range(256)) - {4, 5}
    assert h.aqmask == set(range(256)) - {0x47}
    assert h.bindings == (41, 42, False)
    assert h.card_ids == list(range(6))
    mdevs = {m.uuid: m for m in h.mdevs}
    assert sorted(mdevs) == [U1, U2, U3]
    m1 = mdevs[U1]
    assert list(m1.live) == [Apqn(4, 0), Apqn(4, 1)]
    assert list(m1.guest) == list(m1.live)
    m2 = mdevs[U2]
    assert m2.live.adapters == {5} and m2.live.domains == {1, 2, 0x47}
    assert m2.guest is not None and len(m2.guest.adapters) == 0
    assert m2.guest.domains == {1, 2, 0x47}
    assert h.queue("02.0003").chkstop is True
    assert h.card(1).config is False
    assert h.queue("04.0000").status == QueueStatus.IN_USE
    assert h.queue("04.0000").driver == Driver.VFIO_AP
    assert h.has_feature(Feature.AP_CONFIG) is True


def test_read_parts_only(source_dir):
    c = fixture_ctx(source_dir, "default")
    h = Host.read(c, ReadFlags.MASKS)
    assert HostPart.MDEVS not in h.known and HostPart.DEVICES not in h.known
    assert h.mdevs == [] and h.card_ids == []
    assert h.apmask == set(range(256)) - {4, 5}


def test_read_old_kernel_and_no_apxa(source_dir):
    h = Host.read(fixture_ctx(source_dir, "old-kernel"))
    assert h.has_feature(Feature.AP_CONFIG) is None
    assert all(m.guest is None for m in h.mdevs)
    h = Host.read(fixture_ctx(source_dir, "no-apxa"))
    assert (h.max_adapter_id, h.max_domain_id) == (63, 15)


def test_read_override_fixture(source_dir):
    h = Host.read(fixture_ctx(source_dir, "override"))
    assert h.uses_driver_override is True
    assert h.queue("03.0005").driver_override == "vfio_ap"
    assert h.queue("03.0004").driver_override == ""


def test_read_errors_name_the_file(source_dir, tmp_path, sentinel):
    c = Context(sysfs=str(tmp_path), log=lambda *a: None)
    old = sentinel(c)
    with pytest.raises(apmatrix.ApmatrixError) as info:
        Host.read(c)
    assert info.value.errno == 19  # ENODEV: no AP bus
    assert info.value.diagnostic != old
    src = source_dir / "tests" / "fixtures" / "sysfs" / "plain"
    shutil.copytree(src, tmp_path / "t", symlinks=True)
    (tmp_path / "t" / "bus" / "ap" / "apmask").write_text("0xzz\n")
    c = Context(sysfs=str(tmp_path / "t"), log=lambda *a: None)
    with pytest.raises(InvalidArgumentError) as info:
        Host.read(c)
    assert "apmask" in info.value.diagnostic
    with pytest.raises(InvalidArgumentError):
        Host.read(c, 0x80)
