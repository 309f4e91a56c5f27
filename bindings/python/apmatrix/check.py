# SPDX-License-Identifier: LGPL-2.1-or-later
"""Conflict checks, reports and findings."""

import json
from ctypes import byref
from typing import (TYPE_CHECKING, Any, Sequence, Iterator, List, Optional,
                    Tuple, overload)

from ._base import (ptr_of, Handle, Wrapper, decode, format_text, seq_index,
                    uint)
from ._lib import lib, report_p, check_p
from .apqn import ApqnList
from .constants import FindingCode, Role, Severity, to_enum
from .context import Context, resolve
from .host import Host
from .idset import IdSet, IdsLike
from .mdev import Mdev

if TYPE_CHECKING:
    from .store import Store

__all__ = ["Check", "Report", "Finding"]


class Check(Wrapper):
    """The inputs of a conflict check (struct apmatrix_check): a host (or
    none), mdevs, persistent masks. run() gives a Report and does no I/O.
    """

    __slots__ = ()

    def __init__(self, host: Optional[Host] = None, mdevs: Any = (), *,
                 context: Optional[Context] = None) -> None:
        ctx = resolve(context if context is not None or host is None
                      else host.context)
        ptr = check_p()
        Wrapper._check_ctx(ctx, lib().check_new(ctx.p, byref(ptr)),
                           "apmatrix_check_new")
        self._init(ctx, Handle(ptr, lib().check_unref, ctx))
        if host is not None:
            self.set_host(host)
        for m in mdevs:
            self.add_mdev(m)

    def set_host(self, host: Optional[Host]) -> None:
        """The host to check against (None: findings that need no host)."""
        self._check(lib().check_set_host(self.p,
                                         ptr_of(host, Host, "host") if host is not None else None),
                    "apmatrix_check_set_host")

    def add_mdev(self, mdev: Mdev) -> None:
        """Add an mdev; one UUID may come once per role (ExistsError)."""
        self._check(lib().check_add_mdev(self.p, ptr_of(mdev, Mdev, "mdev")),
                    "apmatrix_check_add_mdev")

    def add_store(self, store: "Store", flags: int = 0) -> None:
        """Add every stored definition and the persistent masks (a mask
        the rules do not set is the active one of the host); a UUID already
        defined in the check keeps that definition."""
        from .store import Store  # noqa: F811 (at run time)
        self._check(lib().check_add_store(self.p, ptr_of(store, Store, "store"),
                                          uint(flags, "flags")),
                    "apmatrix_check_add_store")

    def set_persistent_masks(self, apmask: Optional[IdsLike],
                             aqmask: Optional[IdsLike]) -> None:
        """The persistent apmask and aqmask (both None to unset)."""
        def arg(ids: Optional[IdsLike]) -> Any:
            if ids is None:
                return None
            return (ids if isinstance(ids, IdSet)
                    else IdSet(ids, context=self._context))
        a, q = arg(apmask), arg(aqmask)
        self._check(lib().check_set_persistent_masks(
            self.p, a.p if a is not None else None,
            q.p if q is not None else None),
            "apmatrix_check_set_persistent_masks")

    def run(self, flags: int = 0) -> "Report":
        """Check everything; the Report lists the findings."""
        out = report_p()
        self._check(lib().check_run(self.p, uint(flags, "flags"),
                                    byref(out)), "apmatrix_check_run")
        return Report._wrap(self._context,
                            Handle(out, lib().report_unref, self._context),
                            out)


class Report(Wrapper, Sequence["Finding"]):
    """The findings of a check, errors first. Immutable."""

    __slots__ = ()

    def __init__(self) -> None:
        raise TypeError("reports come from Check.run() or Plan.report")

    def __len__(self) -> int:
        return lib().report_get_count(self.p)

    @overload
    def __getitem__(self, index: int) -> "Finding": ...

    @overload
    def __getitem__(self, index: slice) -> List["Finding"]: ...

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = seq_index(index, len(self), "report")
        ptr = lib().report_get_finding(self.p, i)
        if not ptr:
            raise IndexError("report index out of range")
        return Finding(self._context, self._h, ptr)

    def __iter__(self) -> Iterator["Finding"]:
        for i in range(len(self)):
            yield self[i]

    @property
    def max_severity(self) -> Severity:
        """The most severe finding's severity (Severity.NONE when empty)."""
        return to_enum(Severity, lib().report_get_max_severity(self.p))

    def to_json(self, flags: int = 0) -> str:
        """The report as JSON text (flags: JsonFlags.PRETTY)."""
        return format_text(lib().report_format_json,
                           (self.p, uint(flags, "flags")), self._ctxp(),
                           "apmatrix_report_format_json")

    def json(self) -> Any:
        """The report as parsed JSON (a dict)."""
        return json.loads(self.to_json())

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Report closed>"
        return "<apmatrix.Report %d findings>" % len(self)


class Finding:
    """One finding of a report; keeps the report alive."""

    __slots__ = ("_context", "_h", "_ptr")

    def __init__(self, context: Context, handle: Handle, ptr: Any) -> None:
        self._context = context
        self._h = handle
        self._ptr = ptr

    @property
    def code(self) -> FindingCode:
        """The FindingCode."""
        return to_enum(FindingCode, lib().finding_get_code(self._ptr))

    @property
    def code_name(self) -> str:
        """The stable name of the code (`shared-apqns`, ...)."""
        return decode(lib().finding_get_code_name(self._ptr))  # type: ignore

    @property
    def severity(self) -> Severity:
        """The severity."""
        return to_enum(Severity, lib().finding_get_severity(self._ptr))

    @property
    def message(self) -> str:
        """One line for an admin."""
        return decode(lib().finding_get_message(self._ptr))  # type: ignore

    @property
    def uuids(self) -> Tuple[str, ...]:
        """The mdevs the finding is about (one, or two for sharing)."""
        n = lib().finding_get_uuid_count(self._ptr)
        return tuple(decode(lib().finding_get_uuid(self._ptr, i))  # type: ignore
                     for i in range(n))

    @property
    def apqns(self) -> ApqnList:
        """The APQNs the finding is about (read-only)."""
        return ApqnList._wrap(self._context, self._h,
                              lib().finding_get_apqns(self._ptr), True)

    @property
    def adapters(self) -> IdSet:
        """The adapter IDs (read-only)."""
        return IdSet._borrow(self._context, self._h,
                             lib().finding_get_adapters(self._ptr), True)

    @property
    def usage_domains(self) -> IdSet:
        """The usage domain IDs (read-only)."""
        return IdSet._borrow(self._context, self._h,
                             lib().finding_get_usage_domains(self._ptr), True)

    @property
    def control_domains(self) -> IdSet:
        """The control domain IDs (read-only)."""
        return IdSet._borrow(self._context, self._h,
                             lib().finding_get_control_domains(self._ptr),
                             True)

    @property
    def roles(self) -> Tuple[Role, ...]:
        """Which configuration (Role) of each mdev in ``uuids`` the finding
        is about."""
        n = lib().finding_get_uuid_count(self._ptr)
        return tuple(to_enum(Role, lib().finding_get_role(self._ptr, i))
                     for i in range(n))

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return "<apmatrix.Finding %s %s: %s>" % (
            self.severity.name.lower() if isinstance(self.severity, Severity)
            else self.severity, self.code_name, self.message)
