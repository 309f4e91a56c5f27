# SPDX-License-Identifier: LGPL-2.1-or-later
"""Errors, object lifetime and the small helpers every wrapper shares."""

import ctypes
import errno as _errno
import os
import weakref
from typing import Any, Callable, Dict, Optional, Type

from ._lib import lib

__all__ = ["ApmatrixError", "InvalidArgumentError", "NotFoundError",
           "ExistsError", "ApmatrixWarning"]


class ApmatrixError(OSError):
    """A libapmatrix call failed.

    ``errno`` is the (positive) errno the library returned, ``strerror``
    what it means for AP (apmatrix_strerror()), and ``diagnostic`` the
    library's one-line description of what was wrong and where
    (apmatrix_get_diagnostic()), or "" when the call has no context.
    """

    diagnostic: str
    function: str

    def __init__(self, err: int, strerror: str, diagnostic: str = "",
                 function: str = "") -> None:
        super().__init__(err, strerror)
        self.diagnostic = diagnostic
        self.function = function

    def __str__(self) -> str:
        text = "[Errno %d] %s" % (self.errno, self.strerror)
        if self.diagnostic:
            text += ": " + self.diagnostic
        return text

    def __reduce__(self) -> Any:
        return (error_class(self.errno),
                (self.errno, self.strerror, self.diagnostic, self.function))


class InvalidArgumentError(ApmatrixError, ValueError):
    """EINVAL: a bad argument or bad text (also a ValueError)."""


class NotFoundError(ApmatrixError, LookupError):
    """ENOENT: no such item (also a LookupError)."""


class ExistsError(ApmatrixError):
    """EEXIST: the item is already there."""


class ApmatrixWarning(UserWarning):
    """A call succeeded with a warning (for example an ID read as octal)."""


_CLASSES: Dict[int, Type[ApmatrixError]] = {
    _errno.EINVAL: InvalidArgumentError,
    _errno.ENOENT: NotFoundError,
    _errno.EEXIST: ExistsError,
}


def error_class(err: int) -> Type[ApmatrixError]:
    """The exception class raised for a positive errno."""
    return _CLASSES.get(err, ApmatrixError)


def make_error(rc: int, ctx: Any = None, function: str = "",
               diagnostic: Optional[str] = None) -> ApmatrixError:
    """The exception for a negative return value @rc; the diagnostic is
    read from the raw context pointer @ctx unless given."""
    err = -rc
    text = lib().strerror(rc)
    message = text.decode("utf-8", "replace") if text else os.strerror(err)
    if diagnostic is None:
        diagnostic = diag_text(ctx)
    return error_class(err)(err, message, diagnostic, function)


def diag_text(ctx: Any) -> str:
    """The diagnostic of a raw context pointer ("" without one)."""
    if not ctx:
        return ""
    raw = lib().get_diagnostic(ctx)
    return raw.decode("utf-8", "replace") if raw else ""


def check(rc: int, ctx: Any = None, function: str = "") -> int:
    """Raise for a negative return value, else return it."""
    if rc < 0:
        raise make_error(rc, ctx, function)
    return rc


def invalid(message: str) -> InvalidArgumentError:
    """An EINVAL raised by the binding itself, before the library is called
    (values C cannot even represent: negative IDs, NUL in text)."""
    return InvalidArgumentError(_errno.EINVAL, os.strerror(_errno.EINVAL),
                                message)


def encode(text: Any, what: str) -> bytes:
    """str or bytes to a NUL-free C string."""
    if isinstance(text, str):
        raw = os.fsencode(text)
    elif isinstance(text, (bytes, bytearray)):
        raw = bytes(text)
    elif isinstance(text, os.PathLike):
        raw = os.fsencode(text)
    else:
        raise TypeError("%s must be str or bytes, not %s"
                        % (what, type(text).__name__))
    if b"\0" in raw:
        raise invalid("%s contains a NUL character" % what)
    return raw


def decode(raw: Optional[bytes]) -> Optional[str]:
    """A C string to str (None stays None)."""
    if raw is None:
        return None
    return os.fsdecode(raw)


def uint(value: Any, what: str) -> int:
    """An integer argument for an unsigned int parameter."""
    try:
        value = value.__index__()
    except AttributeError:
        raise TypeError("%s must be an integer, not %s"
                        % (what, type(value).__name__)) from None
    if value < 0:
        raise invalid("%s %d is negative" % (what, value))
    if value > 0xFFFFFFFF:
        raise invalid("%s %d is out of range" % (what, value))
    return value


def format_text(fn: Callable[..., int], args: tuple, ctx: Any = None,
                function: str = "") -> str:
    """Call an snprintf()-style formatter: ask for the length, then fill."""
    size = check(fn(*args, None, 0), ctx, function)
    buf = ctypes.create_string_buffer(size + 1)
    n = check(fn(*args, buf, size + 1), ctx, function)
    if n != size:
        raise RuntimeError("%s: length changed between calls" % function)
    return os.fsdecode(buf.raw[:n])


def _release(unref: Callable[[Any], Any], ptr: Any, keep: Any) -> None:
    unref(ptr)


class Handle:
    """One reference on a C object, dropped exactly once: by close() or
    when the handle is garbage collected, whichever comes first.

    @keep holds Python objects that must outlive the reference (the
    context's log hook, the handle of an owner).
    """

    __slots__ = ("ptr", "_finalizer", "__weakref__")

    def __init__(self, ptr: Any, unref: Callable[[Any], Any],
                 keep: Any = None) -> None:
        if not ptr:
            raise ValueError("NULL object")
        self.ptr = ptr
        self._finalizer = weakref.finalize(self, _release, unref, ptr, keep)

    @property
    def alive(self) -> bool:
        return self._finalizer.alive

    def close(self) -> None:
        self._finalizer()


class Wrapper:
    """Base of the Python objects over C objects.

    A wrapper holds one handle. close() (or leaving a with block) drops the
    wrapper's hold on it; the C reference goes when nothing else (a
    sub-object borrowed from this one) needs it any more, and on garbage
    collection at the latest. Using a closed wrapper raises ValueError.
    """

    __slots__ = ("_handle", "_ptr", "_context", "__weakref__")

    def _init(self, context: Any, handle: Optional[Handle],
              ptr: Any = None) -> None:
        self._context = context
        self._handle = handle
        self._ptr = ptr if ptr is not None else handle.ptr  # type: ignore

    @property
    def closed(self) -> bool:
        """Whether close() was called."""
        return self._handle is None

    def close(self) -> None:
        """Release this object (idempotent)."""
        # Borrowed sub-objects hold the same handle: the C reference goes
        # with the last of them (at once in CPython, by reference count).
        self._handle = None
        self._ptr = None

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def p(self) -> Any:
        """The C pointer (raises ValueError when closed)."""
        if self._ptr is None:
            raise ValueError("%s is closed" % type(self).__name__)
        return self._ptr

    @property
    def _h(self) -> Handle:
        """The handle, for sub-objects to share (raises when closed)."""
        if self._handle is None:
            raise ValueError("%s is closed" % type(self).__name__)
        return self._handle

    @property
    def context(self) -> Any:
        """The Context this object belongs to."""
        return self._context

    def _ctxp(self) -> Any:
        return self._context._raw

    def _check(self, rc: int, function: str = "") -> int:
        return check(rc, self._ctxp(), function)

    @staticmethod
    def _check_ctx(context: Any, rc: int, function: str = "") -> int:
        """check() with the diagnostic of a Context (for constructors)."""
        return check(rc, context._raw, function)

    @classmethod
    def _wrap(cls, context: Any, handle: Handle, ptr: Any) -> Any:
        """An object over ptr, sharing handle (bypasses __init__)."""
        obj = cls.__new__(cls)
        obj._init(context, handle, ptr)
        return obj


def seq_index(index: Any, n: int, what: str) -> int:
    """index (an int, negative from the end) as 0..n-1, or IndexError."""
    i = index.__index__()
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise IndexError("%s index out of range" % what)
    return i



def ptr_of(obj: Any, cls: type, what: str) -> Any:
    """The C pointer of a wrapper of type cls (TypeError for another
    type, ValueError when closed)."""
    if not isinstance(obj, cls):
        raise TypeError("%s must be an apmatrix.%s, not %s"
                        % (what, cls.__name__, type(obj).__name__))
    wrapper: Any = obj
    return wrapper.p
