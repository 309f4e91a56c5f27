# SPDX-License-Identifier: LGPL-2.1-or-later
"""The s390apconfig lock that s390-tools and libapmatrix share."""

from ctypes import byref
from typing import Any, Optional

from ._base import Handle, Wrapper, check, decode, uint
from ._lib import lib, lock_p
from .context import Context, resolve

__all__ = ["Lock"]


class Lock(Wrapper):
    """The s390apconfig lock (`lock/s390apconfig.lock` under the run root),
    in the protocol of s390-tools.

    ``with Lock.acquire(context, timeout=5):`` holds it for the block. The
    lock belongs to the process: a second acquire fails with EDEADLK.
    """

    __slots__ = ("_inherited",)
    _inherited: bool

    def __init__(self) -> None:
        raise TypeError("use Lock.acquire(context)")

    @classmethod
    def acquire(cls, context: Optional[Context] = None,
                timeout: Optional[float] = 0, flags: int = 0) -> "Lock":
        """Take the lock, waiting up to timeout seconds for another holder
        (0: try once; None: wait forever). ApmatrixError with ETIMEDOUT
        names the holder in its diagnostic. With LockFlags.PARENT a lock the
        parent process holds already is taken over (``inherited``)."""
        ctx = resolve(context)
        if timeout is None:
            ms = -1
        else:
            if timeout < 0:
                raise ValueError("timeout must be >= 0 or None")
            ms = min(int(timeout * 1000), 0x7FFFFFFF)
        ptr = lock_p()
        rc = Wrapper._check_ctx(ctx, lib().lock_acquire(
            ctx.p, ms, uint(flags, "flags"), byref(ptr)),
            "apmatrix_lock_acquire")
        obj = cls.__new__(cls)
        obj._inherited = rc == 1
        obj._init(ctx, Handle(ptr, lib().lock_unref, ctx))
        return obj

    @property
    def inherited(self) -> bool:
        """Whether the parent held the lock already (LockFlags.PARENT)."""
        return self._inherited

    @property
    def path(self) -> str:
        """The lock file."""
        return decode(lib().lock_get_path(self.p))  # type: ignore

    @property
    def owner(self) -> int:
        """The PID the lock file names."""
        return check(lib().lock_get_owner(self.p), None,
                     "apmatrix_lock_get_owner")

    @property
    def held(self) -> bool:
        """Whether this object still holds the lock."""
        return check(lib().lock_is_held(self.p), None,
                     "apmatrix_lock_is_held") == 1

    def release(self) -> None:
        """Release the lock now (ENOENT: someone removed the file, ENOLCK:
        it names another process now and was left alone)."""
        self._check(lib().lock_release(self.p), "apmatrix_lock_release")

    def __exit__(self, *exc: Any) -> None:
        try:
            if not self.closed and self.held:
                self.release()
        finally:
            self.close()

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Lock closed>"
        return "<apmatrix.Lock %s owner=%d %s>" % (
            self.path, self.owner, "held" if self.held else "released")
