# SPDX-License-Identifier: LGPL-2.1-or-later
"""The definition store: mdevctl definitions and chzdev's 41-ap.rules under
the context's etc root."""

import warnings
from ctypes import byref
from typing import Any, Iterator, List, NamedTuple, Optional, Union

from ._base import (ApmatrixWarning, Handle, Wrapper, decode, encode,
                    format_text, ptr_of, uint)
from ._lib import lib, mdev_p, result_p, store_p
from .constants import Severity, to_enum
from .context import Context, resolve
from .idset import IdSet, IdsLike
from .mdev import Mdev

__all__ = ["Store", "StoreProblem", "parse_definition"]


class StoreProblem(NamedTuple):
    """A file (or part of one) the store could not use as is."""
    file: str
    message: str
    severity: Severity


class Store(Wrapper):
    """The persistent configuration (struct apmatrix_store): the vfio_ap
    definitions mdevctl keeps and the persistent masks of 41-ap.rules.

    ``Store.read(context)`` reads them; iterating gives the defined Mdevs
    (each with a DEFINED configuration and its start mode). The write
    calls take the s390apconfig lock unless flags has StoreFlags.LOCKED.
    """

    __slots__ = ()

    def __init__(self) -> None:
        raise TypeError("use Store.read(context)")

    @classmethod
    def read(cls, context: Optional[Context] = None,
             flags: int = 0) -> "Store":
        """Read the store. Files that cannot be used are left out and
        listed in ``problems``; the first is issued as an ApmatrixWarning."""
        ctx = resolve(context)
        ptr = store_p()
        Wrapper._check_ctx(ctx, lib().store_read(ctx.p, uint(flags, "flags"),
                                                 byref(ptr)),
                           "apmatrix_store_read")
        obj = cls.__new__(cls)
        obj._init(ctx, Handle(ptr, lib().store_unref, ctx))
        if lib().store_get_error_count(ptr) and ctx.diagnostic:
            warnings.warn(ctx.diagnostic, ApmatrixWarning, stacklevel=2)
        return obj

    # ------------------------------------------------------------ reading
    def __len__(self) -> int:
        return lib().store_get_mdev_count(self.p)

    def __iter__(self) -> Iterator[Mdev]:
        return iter(self.mdevs)

    @property
    def mdevs(self) -> List[Mdev]:
        """The definitions in UUID order (each Mdev holds its own
        reference, so it stays valid when the store changes)."""
        p = self.p
        return [Mdev._ref(self._context, lib().store_get_mdev(p, i))
                for i in range(lib().store_get_mdev_count(p))]

    def find(self, uuid: str) -> Optional[Mdev]:
        """The definition of a UUID, or None."""
        ptr = lib().store_find_mdev(self.p, encode(uuid, "uuid"))
        return Mdev._ref(self._context, ptr) if ptr else None

    def __contains__(self, uuid: object) -> bool:
        if not isinstance(uuid, str):
            return False
        try:
            return self.find(uuid) is not None
        except ValueError:
            return False

    @property
    def problems(self) -> List[StoreProblem]:
        """What could not be used while reading."""
        p = self.p
        out = []
        for i in range(lib().store_get_error_count(p)):
            out.append(StoreProblem(
                decode(lib().store_get_error_file(p, i)) or "",
                decode(lib().store_get_error(p, i)) or "",
                to_enum(Severity, lib().store_get_error_severity(p, i))))
        return out

    def _persistent(self, getter: Any) -> Optional[IdSet]:
        ptr = getter(self.p)
        if not ptr:
            return None
        return IdSet._borrow(self._context, self._h, ptr, True)

    @property
    def persistent_apmask(self) -> Optional[IdSet]:
        """The apmask the rules set at boot (read-only), or None."""
        return self._persistent(lib().store_get_persistent_apmask)

    @property
    def persistent_aqmask(self) -> Optional[IdSet]:
        """The aqmask the rules set at boot (read-only), or None."""
        return self._persistent(lib().store_get_persistent_aqmask)

    # ------------------------------------------------------------ writing
    def define(self, mdev: Mdev, flags: int = 0) -> None:
        """Write a new definition from the mdev's DEFINED configuration and
        start mode, as `mdevctl define` (ExistsError when defined)."""
        self._check(lib().store_define(self.p, ptr_of(mdev, Mdev, "mdev"),
                                       uint(flags, "flags")),
                    "apmatrix_store_define")

    def modify(self, mdev: Mdev, flags: int = 0) -> None:
        """Change an existing definition (NotFoundError when there is
        none)."""
        self._check(lib().store_modify(self.p, ptr_of(mdev, Mdev, "mdev"),
                                       uint(flags, "flags")),
                    "apmatrix_store_modify")

    def set_autostart(self, uuid: str, autostart: bool,
                      flags: int = 0) -> None:
        """`mdevctl modify --auto` / `--manual`."""
        self._check(lib().store_set_autostart(self.p, encode(uuid, "uuid"),
                                              1 if autostart else 0,
                                              uint(flags, "flags")),
                    "apmatrix_store_set_autostart")

    def undefine(self, uuid: str, flags: int = 0) -> None:
        """Remove a definition (`mdevctl undefine`)."""
        self._check(lib().store_undefine(self.p, encode(uuid, "uuid"),
                                         uint(flags, "flags")),
                    "apmatrix_store_undefine")

    def set_persistent_masks(self, apmask: Optional[IdsLike],
                             aqmask: Optional[IdsLike],
                             flags: int = 0) -> None:
        """Write the persistent masks as chzdev does (None: not set by the
        rules; both None removes the rules file)."""
        def arg(ids: Optional[IdsLike]) -> Any:
            if ids is None:
                return None
            return (ids if isinstance(ids, IdSet)
                    else IdSet(ids, context=self._context))
        a, q = arg(apmask), arg(aqmask)
        self._check(lib().store_set_persistent_masks(
            self.p, a.p if a is not None else None,
            q.p if q is not None else None, uint(flags, "flags")),
            "apmatrix_store_set_persistent_masks")

    def format_definition(self, mdev: Mdev, flags: int = 0) -> str:
        """The definition file the store would write for mdev
        (StoreFlags.COMPACT: mdevctl's one-line form)."""
        return format_text(lib().store_format_definition,
                           (self.p, ptr_of(mdev, Mdev, "mdev"),
                            uint(flags, "flags")),
                           self._ctxp(), "apmatrix_store_format_definition")

    def _change(self, fn: Any, name: str, uuid: str, flags: int) -> Any:
        from .plan import Result
        ptr = result_p()
        rc = fn(self.p, encode(uuid, "uuid"), uint(flags, "flags"), byref(ptr))
        if not ptr:
            self._check(rc, name)
        return Result._take(self._context, ptr)

    def start(self, uuid: str, flags: int = 0) -> Any:
        """Start a defined mdev with its definition's matrix through the
        change layer (plan and apply under the lock); returns the Result
        (see Plan.apply())."""
        return self._change(lib().store_start, "apmatrix_store_start", uuid,
                            flags)

    def stop(self, uuid: str, flags: int = 0) -> Any:
        """Stop an mdev through the change layer; the definition stays."""
        return self._change(lib().store_stop, "apmatrix_store_stop", uuid,
                            flags)

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Store closed>"
        return "<apmatrix.Store %d definitions>" % len(self)


def parse_definition(uuid: str, text: Union[str, bytes], *,
                     context: Optional[Context] = None) -> Mdev:
    """An mdev with the DEFINED configuration and start mode of an mdevctl
    definition given as text (a callout's stdin). Warnings (an octal ID, an
    unknown attribute) are issued as an ApmatrixWarning."""
    ctx = resolve(context)
    ptr = mdev_p()
    rc = Wrapper._check_ctx(ctx, lib().store_parse_definition(
        ctx.p, encode(uuid, "uuid"), encode(text, "text"), 0, byref(ptr)),
        "apmatrix_store_parse_definition")
    mdev = Mdev.__new__(Mdev)
    mdev._init(ctx, Handle(ptr, lib().mdev_unref, ctx))
    if rc:
        warnings.warn(ctx.diagnostic, ApmatrixWarning, stacklevel=2)
    return mdev
