# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fixtures of the binding's test suite.

Run by ctest (label `python`) with APMATRIX_LIBRARY pointing at the
build-tree library and PYTHONPATH at bindings/python; by hand:

    APMATRIX_LIBRARY=build/libapmatrix.so.0 PYTHONPATH=bindings/python \
        /usr/bin/python3 -m pytest bindings/python/tests
"""

import os
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
# The source tree: bindings/python/tests -> repository root.
SOURCE_DIR = pathlib.Path(os.environ.get("APMATRIX_SOURCE_DIR",
                                         HERE.parents[2]))
if str(HERE.parent) not in sys.path and not os.environ.get(
        "APMATRIX_TEST_INSTALLED"):
    sys.path.insert(0, str(HERE.parent))

import apmatrix  # noqa: E402


@pytest.fixture
def source_dir() -> pathlib.Path:
    return SOURCE_DIR


@pytest.fixture
def messages() -> list:
    """The log messages of the ctx fixture: (priority, function, text)."""
    return []


@pytest.fixture
def ctx(messages: list) -> apmatrix.Context:
    """A fresh context that logs into the messages fixture, not stderr."""
    return apmatrix.Context(log=lambda prio, file, line, fn, msg:
                            messages.append((prio, fn, msg)))


def plant(ctx: apmatrix.Context) -> str:
    """Leave a known diagnostic on ctx (a failed parse), so a test can see
    that the next failing call replaced it."""
    with pytest.raises(apmatrix.InvalidArgumentError):
        apmatrix.IdSet(context=ctx).parse("sentinel", apmatrix.Syntax.MASK)
    text = ctx.diagnostic
    assert "sentinel" in text
    return text


@pytest.fixture
def sentinel():
    return plant
