# SPDX-License-Identifier: LGPL-2.1-or-later
"""The s390apconfig lock under a temporary run root; the monitor's
file-like side (its events are tested in the kernel tier)."""

import errno
import os
import selectors
import subprocess
import sys
import time

import pytest

import apmatrix
from apmatrix import ApmatrixError, Context, Lock, Monitor, MonitorSource


@pytest.fixture
def run_ctx(tmp_path):
    (tmp_path / "lock").mkdir()
    return Context(run=str(tmp_path), log=lambda *a: None)


def test_acquire_release(run_ctx, tmp_path):
    path = tmp_path / "lock" / "s390apconfig.lock"
    with Lock.acquire(run_ctx) as lock:
        assert lock.held and not lock.inherited
        assert lock.owner == os.getpid()
        assert lock.path == str(path)
        assert path.read_text() == "%d\n" % os.getpid()
    assert not path.exists()
    assert lock.closed


def test_second_acquire_is_edeadlk(run_ctx, sentinel):
    lock = Lock.acquire(run_ctx)
    old = sentinel(run_ctx)
    with pytest.raises(ApmatrixError) as info:
        Lock.acquire(run_ctx)
    assert info.value.errno == errno.EDEADLK
    assert info.value.diagnostic != old
    lock.release()
    assert not lock.held
    with pytest.raises(apmatrix.InvalidArgumentError):
        lock.release()
    lock.close()


def test_unref_releases(run_ctx, tmp_path):
    lock = Lock.acquire(run_ctx)
    del lock
    assert not (tmp_path / "lock" / "s390apconfig.lock").exists()
    Lock.acquire(run_ctx).close()


def test_other_holder_times_out(run_ctx, tmp_path):
    code = ("import apmatrix, sys, time\n"
            "c = apmatrix.Context(run=sys.argv[1])\n"
            "l = apmatrix.Lock.acquire(c)\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n")
    env = dict(os.environ)
    holder = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env=env, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        with pytest.raises(ApmatrixError) as info:
            Lock.acquire(run_ctx, timeout=0.2)
        assert time.monotonic() - t0 >= 0.15
        assert info.value.errno == errno.ETIMEDOUT
        assert str(holder.pid) in info.value.diagnostic
    finally:
        holder.stdin.close()
        holder.wait(10)
    # the holder's exit released it
    Lock.acquire(run_ctx, timeout=1).close()


def test_stale_lock_is_broken(run_ctx, tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / "lock" / "s390apconfig.lock").write_text("%d\n" % dead.pid)
    with Lock.acquire(run_ctx) as lock:
        assert lock.owner == os.getpid()


def test_no_lock_directory(tmp_path):
    c = Context(run=str(tmp_path), log=lambda *a: None)
    with pytest.raises(apmatrix.NotFoundError) as info:
        Lock.acquire(c)
    assert info.value.diagnostic


def test_bad_timeout(run_ctx):
    with pytest.raises(ValueError):
        Lock.acquire(run_ctx, timeout=-1)


def new_monitor(**kw):
    try:
        return Monitor(**kw)
    except ApmatrixError as e:
        if e.errno in (errno.EPERM, errno.EACCES, errno.EPROTONOSUPPORT,
                       errno.EAFNOSUPPORT):
            pytest.skip("no uevent netlink socket here: %s" % e)
        raise


def test_monitor_is_file_like(ctx):
    mon = new_monitor(source=MonitorSource.KERNEL, context=ctx)
    with mon:
        fd = mon.fileno()
        assert fd >= 0 and mon.source == MonitorSource.KERNEL
        assert os.get_blocking(fd) is False
        sel = selectors.DefaultSelector()
        sel.register(mon, selectors.EVENT_READ)
        assert sel.get_key(mon).fd == fd
        sel.close()
        # nothing about AP happens on this host: no event, no blocking
        assert mon.wait(0) in (True, False)
        assert all(isinstance(e, apmatrix.Event) for e in mon)
        assert mon.read_event() is None
    with pytest.raises(ValueError):
        mon.fileno()


def test_monitor_bad_source(ctx, sentinel):
    old = sentinel(ctx)
    with pytest.raises(apmatrix.InvalidArgumentError) as info:
        Monitor(source=3, context=ctx)
    assert info.value.diagnostic != old


def test_events_cannot_be_made_by_hand():
    with pytest.raises(TypeError):
        apmatrix.Event()
