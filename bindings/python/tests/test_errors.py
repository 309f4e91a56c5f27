# SPDX-License-Identifier: LGPL-2.1-or-later
"""Negative errnos become ApmatrixError with errno, meaning and diagnostic."""

import errno
import pickle

import pytest

import apmatrix
from apmatrix import (ApmatrixError, ExistsError, IdSet, InvalidArgumentError,
                      Matrix, Mdev, NotFoundError, Role, Syntax)

UUID = "0d2f8b44-6f0a-4c3e-9a8b-1c2d3e4f5a6b"


def test_einval_carries_errno_meaning_and_fresh_diagnostic(ctx, sentinel):
    old = sentinel(ctx)
    s = IdSet([1, 2], context=ctx)
    with pytest.raises(InvalidArgumentError) as info:
        s.parse("0x1g", Syntax.MASK)
    e = info.value
    assert isinstance(e, ApmatrixError) and isinstance(e, OSError)
    assert isinstance(e, ValueError)
    assert e.errno == errno.EINVAL
    assert e.strerror == apmatrix.strerror(-errno.EINVAL)
    assert e.diagnostic != old
    assert "'g'" in e.diagnostic and "offset 3" in e.diagnostic
    assert e.diagnostic == ctx.diagnostic
    assert e.function == "apmatrix_idset_parse"
    assert str(e) == "[Errno 22] %s: %s" % (e.strerror, e.diagnostic)
    # nothing changed
    assert s == {1, 2}


def test_enoent_is_a_lookup_error(ctx, sentinel):
    m = Mdev(UUID, context=ctx)
    old = sentinel(ctx)
    with pytest.raises(NotFoundError) as info:
        m.remove_config(Role.LIVE)
    assert isinstance(info.value, LookupError)
    assert info.value.errno == errno.ENOENT
    assert info.value.diagnostic != old
    assert UUID in info.value.diagnostic or "live" in info.value.diagnostic


def test_eexist(ctx, sentinel):
    m = Mdev(UUID, context=ctx)
    m.add_config(Role.DEFINED)
    old = sentinel(ctx)
    with pytest.raises(ExistsError) as info:
        m.add_config(Role.DEFINED)
    assert info.value.errno == errno.EEXIST
    assert info.value.diagnostic and info.value.diagnostic != old


def test_success_clears_the_diagnostic(ctx, sentinel):
    sentinel(ctx)
    IdSet(context=ctx).parse("1-3")
    assert ctx.diagnostic == ""


def test_pickle_round_trip(ctx):
    with pytest.raises(InvalidArgumentError) as info:
        IdSet(context=ctx).parse("x")
    e2 = pickle.loads(pickle.dumps(info.value))
    assert type(e2) is InvalidArgumentError
    assert (e2.errno, e2.strerror, e2.diagnostic) == (
        info.value.errno, info.value.strerror, info.value.diagnostic)


def test_strerror_names_the_ap_meaning():
    text = apmatrix.strerror(-errno.EADDRINUSE)
    assert text and "mediated device" in text
    assert apmatrix.strerror(errno.EADDRINUSE) == text


def test_nul_in_text_is_refused_before_c(ctx):
    s = IdSet([5], context=ctx)
    with pytest.raises(InvalidArgumentError) as info:
        s.parse("1\x002")
    assert "NUL" in info.value.diagnostic
    assert s == {5}
    with pytest.raises(InvalidArgumentError):
        Mdev(UUID + "\x00", context=ctx)


def test_negative_and_huge_ids(ctx):
    s = IdSet(context=ctx)
    with pytest.raises(InvalidArgumentError) as info:
        s.add(-1)
    assert "negative" in info.value.diagnostic
    with pytest.raises(InvalidArgumentError):
        s.add(2**40)
    with pytest.raises(InvalidArgumentError) as info:
        s.add(256)
    assert "256" in info.value.diagnostic
    with pytest.raises(TypeError):
        s.add("3")  # type: ignore[arg-type]
    assert len(s) == 0


def test_wrong_object_type_is_a_type_error(ctx):
    with pytest.raises(TypeError) as info:
        Matrix(context=ctx).assign(IdSet(context=ctx))  # type: ignore
    assert "Matrix" in str(info.value) and "IdSet" in str(info.value)
    with pytest.raises(TypeError):
        apmatrix.Check(context=ctx).add_mdev("uuid")  # type: ignore
