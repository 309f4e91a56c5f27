# SPDX-License-Identifier: LGPL-2.1-or-later
"""Contexts: roots, log priority, the log hook, the default context."""

import gc
import os
import subprocess
import sys

import pytest

import apmatrix
from apmatrix import Context, IdSet, InvalidArgumentError, Root


def test_roots(tmp_path):
    c = Context()
    assert (c.sysfs_root, c.etc_root, c.run_root) == ("/sys", "/etc", "/run")
    c = Context(sysfs=tmp_path, etc=str(tmp_path / "etc"),
                run=os.fsencode(str(tmp_path / "run")))
    assert c.get_root(Root.SYSFS) == str(tmp_path)
    assert c.etc_root == str(tmp_path / "etc")
    assert c.run_root == str(tmp_path / "run")


def test_relative_root_is_refused_and_kept(ctx):
    with pytest.raises(InvalidArgumentError) as info:
        ctx.sysfs_root = "relative/sys"
    assert info.value.diagnostic
    assert ctx.sysfs_root == "/sys"
    with pytest.raises(InvalidArgumentError):
        ctx.get_root(7)


def test_log_priority(ctx):
    ctx.log_priority = 7
    assert ctx.log_priority == 7
    with pytest.raises(InvalidArgumentError):
        ctx.log_priority = 8
    assert ctx.log_priority == 7


def test_log_hook_gets_formatted_messages(ctx, messages, tmp_path):
    ctx.log_priority = 7
    ctx.sysfs_root = str(tmp_path)
    assert any(str(tmp_path) in text for _, _, text in messages)
    assert all(prio == 7 for prio, _, _ in messages)


def test_log_hook_exception_does_not_reach_c(tmp_path):
    seen = []

    def bad(*args):
        seen.append(args)
        raise RuntimeError("hook failed")

    hooks = []
    old = sys.unraisablehook
    sys.unraisablehook = hooks.append
    try:
        c = Context(log=bad, log_priority=7)
        c.sysfs_root = str(tmp_path)  # logs at debug priority
    finally:
        sys.unraisablehook = old
    assert seen and hooks
    assert isinstance(hooks[0].exc_value, RuntimeError)
    assert c.sysfs_root == str(tmp_path)


def test_log_hook_can_be_removed(ctx, messages, tmp_path):
    ctx.log_priority = 7
    ctx.set_log_function(None)
    ctx.set_log_function(lambda *a: messages.append(a))
    n = len(messages)
    ctx.sysfs_root = str(tmp_path)
    assert len(messages) > n


def test_hook_outlives_the_context_handle(tmp_path):
    """Objects keep the Python log hook alive after the Context is closed
    and collected."""
    got = []
    c = Context(log=lambda *a: got.append(a), log_priority=7)
    s = IdSet(context=c)
    c.close()
    del c
    gc.collect()
    with pytest.raises(InvalidArgumentError):
        s.parse("zz", apmatrix.Syntax.MASK)  # logs the diagnostic at debug
    assert got


def test_closed_context_refuses_use_but_objects_work():
    c = Context()
    s = IdSet([1], context=c)
    c.close()
    c.close()
    assert c.closed
    with pytest.raises(ValueError):
        c.diagnostic
    with pytest.raises(ValueError):
        IdSet(context=c)
    s.add(2)
    assert s == {1, 2}
    with pytest.raises(InvalidArgumentError) as info:
        s.parse("0xz", apmatrix.Syntax.MASK)
    assert "0xz" in info.value.diagnostic


def test_default_context_is_shared():
    assert apmatrix.default_context() is apmatrix.default_context()
    s = IdSet()
    assert s.context is apmatrix.default_context()


def test_context_as_context_manager():
    with Context() as c:
        assert not c.closed
    assert c.closed
    assert "closed" in repr(c)


def test_not_a_context():
    with pytest.raises(TypeError):
        IdSet(context="ctx")  # type: ignore[arg-type]


def test_apmatrix_log_environment():
    """APMATRIX_LOG sets the priority; a bad value leaves a diagnostic."""
    code = ("import apmatrix; c = apmatrix.Context(); "
            "print(c.log_priority); print(c.diagnostic)")
    env = dict(os.environ, APMATRIX_LOG="debug")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout.split("\n")
    assert out[0] == "7"
    env["APMATRIX_LOG"] = "loud"
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout.split("\n")
    assert out[0] == "3"
    assert "loud" in out[1]


def test_log_to_logging(tmp_path, caplog):
    import logging
    c = Context()
    with caplog.at_level(logging.DEBUG, logger="apmatrix"):
        c.log_to_logging()
        assert c.log_priority == 7
        c.sysfs_root = str(tmp_path)
    recs = [r for r in caplog.records if r.name == "apmatrix"]
    assert recs and all(r.levelno == logging.DEBUG for r in recs)
    assert any(str(tmp_path) in r.getMessage() for r in recs)
    assert recs[0].funcName and recs[0].pathname.endswith(".c")
    quiet = logging.getLogger("apmatrix.quiet")
    quiet.setLevel(logging.ERROR)
    c.log_to_logging(quiet)
    assert c.log_priority == 3
