# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library context: roots, log hook, diagnostics."""

import logging
import os
import sys
import threading
from ctypes import byref
from typing import Any, Callable, List, Optional, Union

from ._base import Handle, Wrapper, check, decode, encode, invalid
from ._lib import LOG_FN, ctx_p, lib
from .constants import Root

__all__ = ["Context", "default_context", "LogFunction"]

#: A log hook: (priority, file, line, function, message) -> None.
LogFunction = Callable[[int, str, int, str, str], None]

PathArg = Union[str, bytes, "os.PathLike[str]"]


class Context(Wrapper):
    """A libapmatrix context (struct apmatrix_ctx).

    Every object is created on a context; objects made without one use
    default_context(). Objects keep the C context alive, so closing a
    Context only drops this handle on it.

    ``sysfs``, ``etc`` and ``run`` set the roots (absolute paths), ``log``
    installs a log hook, ``log_priority`` sets the priority (0-7).
    """

    __slots__ = ("_raw", "_hook")

    def __init__(self, *, sysfs: Optional[PathArg] = None,
                 etc: Optional[PathArg] = None,
                 run: Optional[PathArg] = None,
                 log: Optional[LogFunction] = None,
                 log_priority: Optional[int] = None) -> None:
        ptr = ctx_p()
        check(lib().new(byref(ptr)), None, "apmatrix_new")
        # The hook list outlives the context: every handle keeps this
        # Context, and the Context's own handle keeps the list.
        self._hook: List[Any] = [None]
        self._raw = ptr
        self._init(self, Handle(ptr, lib().unref, self._hook))
        for which, path in ((Root.SYSFS, sysfs), (Root.ETC, etc),
                            (Root.RUN, run)):
            if path is not None:
                self.set_root(which, path)
        if log is not None:
            self.set_log_function(log)
        if log_priority is not None:
            self.log_priority = log_priority

    def _check(self, rc: int, function: str = "") -> int:
        return check(rc, self._raw, function)

    @property
    def diagnostic(self) -> str:
        """The message of the last fallible call on this context."""
        raw = lib().get_diagnostic(self.p)
        return raw.decode("utf-8", "replace") if raw else ""

    def set_root(self, which: int, path: PathArg) -> None:
        """Point a root (Root.SYSFS, Root.ETC, Root.RUN) somewhere else."""
        self._check(lib().set_root(self.p, int(which), encode(path, "path")),
                    "apmatrix_set_root")

    def get_root(self, which: int) -> str:
        """One of the roots."""
        raw = lib().get_root(self.p, int(which))
        if raw is None:
            raise invalid("unknown root %d" % int(which))
        return decode(raw)  # type: ignore

    sysfs_root = property(lambda self: self.get_root(Root.SYSFS),
                          lambda self, v: self.set_root(Root.SYSFS, v),
                          doc="The sysfs root (default /sys).")
    etc_root = property(lambda self: self.get_root(Root.ETC),
                        lambda self, v: self.set_root(Root.ETC, v),
                        doc="The configuration root (default /etc).")
    run_root = property(lambda self: self.get_root(Root.RUN),
                        lambda self, v: self.set_root(Root.RUN, v),
                        doc="The runtime root (default /run).")

    @property
    def log_priority(self) -> int:
        """Messages above this syslog priority are not formatted."""
        return self._check(lib().get_log_priority(self.p),
                           "apmatrix_get_log_priority")

    @log_priority.setter
    def log_priority(self, priority: int) -> None:
        self._check(lib().set_log_priority(self.p, int(priority)),
                    "apmatrix_set_log_priority")

    def set_log_function(self, fn: Optional[LogFunction]) -> None:
        """Send the library's log messages to fn(priority, file, line,
        function, message), or back to stderr with None. An exception in
        fn is reported through sys.unraisablehook and otherwise ignored:
        the library cannot unwind."""
        if fn is None:
            lib().set_log_fn(self.p, LOG_FN(0), None)
            self._hook[0] = None
            return
        user_fn = fn

        def hook(data: Any, priority: int, file: Optional[bytes], line: int,
                 func: Optional[bytes], msg: Optional[bytes]) -> None:
            try:
                user_fn(priority, decode(file) or "", line, decode(func) or "",
                   (msg or b"").decode("utf-8", "replace"))
            except BaseException:  # noqa: B902 - must not reach C
                sys.unraisablehook(_unraisable(sys.exc_info(), fn))

        cfn = LOG_FN(hook)
        lib().set_log_fn(self.p, cfn, None)
        self._hook[0] = cfn

    def log_to_logging(self, logger: Optional["logging.Logger"] = None
                       ) -> None:
        """Send the library's messages to a logging.Logger (default: the
        "apmatrix" logger) at the level of their syslog priority, and let
        the library format everything that logger would emit."""
        log = logger if logger is not None else logging.getLogger("apmatrix")
        levels = {0: logging.CRITICAL, 1: logging.CRITICAL,
                  2: logging.CRITICAL, 3: logging.ERROR, 4: logging.WARNING,
                  5: logging.INFO, 6: logging.INFO, 7: logging.DEBUG}

        def emit(priority: int, file: str, line: int, func: str,
                 message: str) -> None:
            level = levels.get(priority, logging.DEBUG)
            if log.isEnabledFor(level):
                log.handle(log.makeRecord(log.name, level, file, line,
                                          message, (), None, func))

        self.set_log_function(emit)
        for prio in (7, 6, 4, 3):
            if log.isEnabledFor(levels[prio]):
                self.log_priority = prio
                break

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Context closed>"
        return "<apmatrix.Context sysfs=%r>" % self.sysfs_root


def _unraisable(info: Any, obj: Any) -> Any:
    class _Args:
        exc_type, exc_value, exc_traceback = info
        err_msg = "Exception ignored in apmatrix log function"
        object = obj
    return _Args


_default: Optional[Context] = None
_default_lock = threading.Lock()


def default_context() -> Context:
    """The context used by objects created without one (made on first use,
    with the default roots and the stderr log hook)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Context()
        return _default


def resolve(context: Optional[Context]) -> Context:
    """context, or the default one."""
    if context is None:
        return default_context()
    if not isinstance(context, Context):
        raise TypeError("context must be an apmatrix.Context, not %s"
                        % type(context).__name__)
    context.p  # raises for a closed context
    return context
