# SPDX-License-Identifier: LGPL-2.1-or-later
"""IdSet: set algebra against Python sets, text in every syntax."""

import random
import warnings

import pytest

from apmatrix import (ApmatrixWarning, IdSet, InvalidArgumentError, Syntax,
                      Warn, parse_id)

SEEDS = range(40)


def random_ids(rng):
    kind = rng.randrange(4)
    if kind == 0:
        return set()
    if kind == 1:
        return set(range(256))
    if kind == 2:
        lo = rng.randrange(256)
        return set(range(lo, min(256, lo + rng.randrange(1, 40))))
    return {rng.randrange(256) for _ in range(rng.randrange(1, 80))}


@pytest.mark.parametrize("seed", SEEDS)
def test_algebra_matches_python_sets(ctx, seed):
    rng = random.Random(seed)
    a, b = random_ids(rng), random_ids(rng)
    A, B = IdSet(a, context=ctx), IdSet(b, context=ctx)
    assert set(A) == a and len(A) == len(a)
    assert list(A) == sorted(a)
    for op in ("__or__", "__and__", "__sub__", "__xor__"):
        got = getattr(A, op)(B)
        assert isinstance(got, IdSet)
        assert got == getattr(a, op)(b), op
        # against a plain Python set on either side
        assert getattr(A, op)(b) == getattr(a, op)(b), op
    assert (a | B) == (a | b) and isinstance(a | B, IdSet)
    assert (a - B) == (a - b)
    assert (a ^ B) == (a ^ b)
    assert (a & B) == (a & b)
    assert (A <= B) == (a <= b) and (A < B) == (a < b)
    assert (A >= B) == (a >= b) and (A > B) == (a > b)
    assert A.isdisjoint(B) == a.isdisjoint(b)
    assert (A == B) == (a == b) and (A != B) == (a != b)
    for i in (0, 1, 71, 254, 255, 256, -1):
        assert (i in A) == (i in a)
    # operands unchanged
    assert A == a and B == b
    # in place
    for op, iop in (("__or__", "__ior__"), ("__and__", "__iand__"),
                    ("__sub__", "__isub__"), ("__xor__", "__ixor__")):
        C = A.copy()
        same = C
        C = getattr(C, iop)(B)
        assert C is same
        assert C == getattr(a, op)(b), iop


@pytest.mark.parametrize("seed", SEEDS)
def test_text_round_trips(ctx, seed):
    ids = random_ids(random.Random(1000 + seed))
    s = IdSet(ids, context=ctx)
    for syntax in (Syntax.MASK, Syntax.LIST):
        text = s.format(syntax)
        assert IdSet.from_text(text, syntax, context=ctx) == ids
    assert IdSet(str(s), context=ctx) == ids
    mask = s.mask
    assert mask.startswith("0x") and len(mask) == 66
    # bit 0 is the leftmost bit
    assert int(mask, 16) == sum(1 << (255 - i) for i in ids)
    # what the kernel and chzdev take
    assert IdSet.from_text(mask, Syntax.KERNEL, context=ctx) == ids
    if ids:
        assert IdSet.from_text(str(s), Syntax.CHZDEV, context=ctx) == ids


def test_list_format_is_compact(ctx):
    assert str(IdSet({0, 1, 2, 5, 6, 9}, context=ctx)) == "0-2,5-6,9"
    assert str(IdSet(context=ctx)) == ""
    assert repr(IdSet({3}, context=ctx)) == "IdSet('3')"


def test_relative_edits_the_set(ctx):
    s = IdSet({1, 2, 3}, context=ctx)
    assert s.parse("-2,+0x10", Syntax.RELATIVE) == 0
    assert s == {1, 3, 16}
    s.parse("+4-6", Syntax.RELATIVE)
    assert s == {1, 3, 4, 5, 6, 16}
    s.parse("-0-255", Syntax.RELATIVE)
    assert s == set()


def test_kernel_syntax_relative_or_mask(ctx):
    s = IdSet({7}, context=ctx)
    s.parse("+1", Syntax.KERNEL)
    assert s == {1, 7}
    s.parse("0x8", Syntax.KERNEL)
    assert s == {0}


def test_octal_warning(ctx):
    s = IdSet(context=ctx)
    with pytest.warns(ApmatrixWarning, match="octal"):
        w = s.parse("+010", Syntax.RELATIVE)
    assert w == Warn.OCTAL
    assert s == {8}
    assert "010" in ctx.diagnostic
    with pytest.warns(ApmatrixWarning):
        assert parse_id("010", context=ctx) == 8
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_id("0x47", context=ctx) == 0x47
        assert parse_id("71\n", context=ctx) == 71


@pytest.mark.parametrize("text,syntax,what", [
    ("0x1g", Syntax.MASK, "'g'"),
    ("1,300", Syntax.LIST, "300"),
    ("5-3", Syntax.LIST, "5-3"),
    ("+1,*2", Syntax.RELATIVE, "*"),
    ("", Syntax.CHZDEV, "empty"),
    ("0x" + "f" * 65, Syntax.MASK, "64 hex digits"),
])
def test_bad_text_names_the_problem_and_changes_nothing(ctx, sentinel, text,
                                                        syntax, what):
    s = IdSet({42}, context=ctx)
    old = sentinel(ctx)
    with pytest.raises(InvalidArgumentError) as info:
        s.parse(text, syntax)
    assert info.value.diagnostic != old
    assert what in info.value.diagnostic, info.value.diagnostic
    assert s == {42}


def test_unknown_syntax_and_flags(ctx):
    s = IdSet(context=ctx)
    with pytest.raises(InvalidArgumentError) as info:
        s.parse("1", 99)
    assert "99" in info.value.diagnostic or "syntax" in info.value.diagnostic
    with pytest.raises(InvalidArgumentError):
        s.parse("1", Syntax.LIST, flags=0x100)
    with pytest.raises(InvalidArgumentError):
        s.format(Syntax.RELATIVE)
    with pytest.raises(InvalidArgumentError):
        parse_id("256", context=ctx)


def test_mutable_set_api(ctx):
    s = IdSet(context=ctx)
    s.add(5)
    s.add(5)
    s.update([1, 2], IdSet("200-201", context=ctx))
    assert s == {1, 2, 5, 200, 201}
    s.discard(7)
    s.remove(5)
    with pytest.raises(KeyError):
        s.remove(5)
    x = s.pop()
    assert x in {1, 2, 200, 201} and x not in s
    s.clear()
    assert not s and len(s) == 0
    with pytest.raises(TypeError):
        hash(s)
    assert s.union([1], [2]) == {1, 2}
    t = IdSet([1, 2, 3], context=ctx)
    assert t.intersection([2, 3, 4], {3}) == {3}
    assert t.difference([1], [2]) == {3}
    assert t.symmetric_difference([3, 4]) == {1, 2, 4}
    assert t.issubset(range(10)) and not t.issuperset([9])


def test_copy_is_independent(ctx):
    a = IdSet([1], context=ctx)
    b = a.copy()
    b.add(2)
    assert a == {1} and b == {1, 2}
    c = IdSet(a, context=ctx)
    c.add(3)
    assert a == {1}


def test_comparison_with_non_sets(ctx):
    s = IdSet([1], context=ctx)
    assert s != [1]
    assert not (s == "1")
    with pytest.raises(TypeError):
        s | [1]  # a list is no set, as for Python sets
    with pytest.raises(InvalidArgumentError):
        s | {256}
