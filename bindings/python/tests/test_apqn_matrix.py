# SPDX-License-Identifier: LGPL-2.1-or-later
"""Apqn, ApqnList and Matrix."""

import pickle
import random

import pytest

from apmatrix import (Apqn, ApqnList, IdSet, InvalidArgumentError, Matrix,
                      MatrixSyntax)


def test_apqn_forms_agree():
    a = Apqn(4, 0x47)
    assert a == Apqn(0x0447) == Apqn("04.0047") == Apqn("4.47") == 0x447
    assert (a.adapter, a.domain) == (4, 0x47)
    assert str(a) == "04.0047" and repr(a) == "Apqn('04.0047')"
    assert pickle.loads(pickle.dumps(a)) == a
    assert hash(a) == hash(0x447)
    assert Apqn("0x4.0x47\n") == a


@pytest.mark.parametrize("text,what", [("04", "04"), ("04.1ff", "1ff"),
                                       ("x.1", "x"), ("", "")])
def test_apqn_bad_text(ctx, sentinel, text, what):
    old = sentinel(ctx)
    with pytest.raises(InvalidArgumentError) as info:
        Apqn.parse(text, context=ctx)
    assert info.value.diagnostic != old
    assert what in info.value.diagnostic


def test_apqn_out_of_range():
    with pytest.raises(InvalidArgumentError):
        Apqn(256, 0)
    with pytest.raises(InvalidArgumentError):
        Apqn(0x10000)
    with pytest.raises(InvalidArgumentError):
        Apqn(-1)


def test_apqn_list(ctx):
    lst = ApqnList(["05.0001", Apqn(4, 0x47), 0x0447], context=ctx)
    assert list(lst) == [0x447, 0x501]
    assert len(lst) == 2 and lst[0] == 0x447 and lst[-1] == 0x501
    assert lst[::-1] == [0x501, 0x447]
    with pytest.raises(IndexError):
        lst[2]
    assert "04.0047" in lst and 0x501 in lst and "06.0000" not in lst
    assert "junk" not in lst
    assert lst.format() == "04.0047,05.0001"
    assert lst.format("\n") == "04.0047\n05.0001\n"
    lst.parse("06.0000 07.0001\n")
    assert len(lst) == 4
    with pytest.raises(InvalidArgumentError) as info:
        lst.parse("08.0000,zz")
    assert "zz" in info.value.diagnostic
    assert len(lst) == 4  # all or nothing
    one = ApqnList("04.0047", context=ctx)
    assert one == ["04.0047"] and one == [0x447] and one != ["zz"]


@pytest.mark.parametrize("seed", range(20))
def test_matrix_product_and_iteration(ctx, seed):
    rng = random.Random(seed)
    ads = {rng.randrange(256) for _ in range(rng.randrange(0, 6))}
    doms = {rng.randrange(256) for _ in range(rng.randrange(0, 6))}
    m = Matrix(ads, doms, [1], context=ctx)
    expect = sorted((a << 8) | d for a in ads for d in doms)
    assert list(m) == expect and m.apqn_count == len(expect)
    for q in expect[:5]:
        assert q in m
    m2 = Matrix.from_text(m.format(), MatrixSyntax.AP_CONFIG, context=ctx)
    assert m2 == m
    if ads and doms:
        m3 = Matrix.from_text(m.format(MatrixSyntax.SYSFS),
                              MatrixSyntax.SYSFS, context=ctx)
        assert m3.adapters == ads and m3.domains == doms


def test_matrix_sets_are_live_views(ctx):
    m = Matrix(context=ctx)
    assert not m
    m.adapters.add(4)
    m.domains = "0x47"
    m.control_domains = IdSet([0x47], context=ctx)
    assert m.adapters == {4} and m.domains == {0x47}
    assert list(m) == [Apqn("04.0047")]
    assert m.format() == (
        "0x" + "08" + "0" * 62 + ",0x" + "0" * 17 + "1" + "0" * 46
        + ",0x" + "0" * 17 + "1" + "0" * 46 + "\n")
    assert m.format(MatrixSyntax.CONTROL_DOMAINS) == "0047\n"


def test_shared_apqns(ctx):
    a = Matrix([4, 5], [1, 2], context=ctx)
    b = Matrix([5, 6], [2, 3], [1], context=ctx)
    shared = a.shared_apqns(b)
    assert list(shared) == [Apqn(5, 2)]
    shared.add("07.0007")  # a new list, owned by the caller
    assert len(Matrix(context=ctx).shared_apqns(a)) == 0


def test_matrix_copy_assign_equal(ctx):
    a = Matrix([1], [2], [3], context=ctx)
    b = a.copy()
    assert a == b and a is not b
    b.adapters.add(9)
    assert a != b
    b.assign(a)
    assert a == b
    with pytest.raises(TypeError):
        hash(a)


def test_matrix_bad_text_all_or_nothing(ctx, sentinel):
    m = Matrix([1], [2], context=ctx)
    old = sentinel(ctx)
    with pytest.raises(InvalidArgumentError) as info:
        m.parse("0x8,0x4,0xz")
    assert info.value.diagnostic != old and "0xz" in info.value.diagnostic
    assert m == Matrix([1], [2], context=ctx)
    with pytest.raises(InvalidArgumentError):
        m.parse("04.0047\n04.0047\n", MatrixSyntax.SYSFS)
    with pytest.raises(InvalidArgumentError):
        m.format(42)


def test_copy_and_pickle(ctx):
    import copy
    m = Matrix([1, 2], [3], [4], context=ctx)
    for dup in (copy.copy(m), copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert dup == m and dup._handle is not m._handle
        dup.adapters.add(9)
        assert 9 not in m.adapters
    s = IdSet([5, 6], context=ctx)
    for dup in (copy.copy(s), copy.deepcopy(s), pickle.loads(pickle.dumps(s))):
        assert dup == {5, 6}
        dup.add(7)
        assert s == {5, 6}
    # a borrowed set copies into an independent one
    a = copy.copy(m.adapters)
    a.clear()
    assert m.adapters == {1, 2}
