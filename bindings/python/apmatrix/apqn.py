# SPDX-License-Identifier: LGPL-2.1-or-later
"""APQNs (adapter.domain queue numbers) and APQN lists."""

from ctypes import byref, c_uint
from typing import Any, Sequence, Iterable, Iterator, Optional, Union, overload

from ._base import (Handle, Wrapper, check, encode, format_text, seq_index,
                    uint)
from ._lib import apqn_list_p, lib
from .context import Context, resolve

__all__ = ["Apqn", "ApqnList", "ApqnLike"]


class Apqn(int):
    """An APQN: an int (adapter << 8 | domain) written `AA.DDDD`.

    ``Apqn(4, 0x47)``, ``Apqn(0x0447)`` and ``Apqn("04.0047")`` are the
    same queue.
    """

    __slots__ = ()

    def __new__(cls, value: Union[int, str, bytes],
                domain: Optional[int] = None) -> "Apqn":
        if domain is not None:
            a = uint(value, "adapter")
            d = uint(domain, "domain")
            if a > 255 or d > 255:
                raise _range_error(a, d)
            return int.__new__(cls, a << 8 | d)
        if isinstance(value, (str, bytes)):
            return cls.parse(value)
        v = uint(value, "APQN")
        if v > 0xFFFF:
            raise _range_error(v >> 8, v & 0xFF)
        return int.__new__(cls, v)

    @classmethod
    def parse(cls, text: Union[str, bytes], *,
              context: Optional[Context] = None) -> "Apqn":
        """Parse `AA.DDDD` (hex; `4.47` and `0x4.0x47` too)."""
        ctx = resolve(context)
        out = c_uint()
        check(lib().apqn_parse(ctx.p, encode(text, "text"), 0, byref(out)),
              ctx._raw, "apmatrix_apqn_parse")
        return int.__new__(cls, out.value)

    @property
    def adapter(self) -> int:
        """The adapter ID."""
        return (int(self) >> 8) & 0xFF

    @property
    def domain(self) -> int:
        """The domain ID."""
        return int(self) & 0xFF

    def __str__(self) -> str:
        return format_text(lib().apqn_format, (int(self), 0), None,
                           "apmatrix_apqn_format")

    def __repr__(self) -> str:
        return "Apqn(%r)" % str(self)

    def __reduce__(self) -> Any:
        return (Apqn, (int(self),))


def _range_error(adapter: int, domain: int) -> Exception:
    from ._base import invalid
    return invalid("APQN adapter %d, domain %d: IDs are 0 to 255"
                   % (adapter, domain))


#: What the binding takes where an APQN is expected.
ApqnLike = Union[Apqn, int, str]


def to_apqn(value: ApqnLike) -> int:
    if isinstance(value, Apqn):
        return int(value)
    return int(Apqn(value))


class ApqnList(Wrapper, Sequence[Apqn]):
    """A sorted list of distinct APQNs (struct apmatrix_apqn_list).

    ``ApqnList(["04.0047", Apqn(5, 1)])`` or ``ApqnList("04.0047,05.0001")``.
    Lists of results (findings, plan steps) are read-only.
    """

    __slots__ = ("_readonly",)

    def __init__(self, apqns: Union[None, str, bytes,
                                    Iterable[ApqnLike]] = None, *,
                 context: Optional[Context] = None) -> None:
        ctx = resolve(context)
        ptr = apqn_list_p()
        Wrapper._check_ctx(ctx, lib().apqn_list_new(ctx.p, byref(ptr)),
                           "apmatrix_apqn_list_new")
        self._readonly = False
        self._init(ctx, Handle(ptr, lib().apqn_list_unref, ctx))
        if isinstance(apqns, (str, bytes)):
            self.parse(apqns)
        elif apqns is not None:
            for a in apqns:
                self.add(a)

    @classmethod
    def _wrap(cls, context: Context, handle: Handle, ptr: Any,
              readonly: bool = False) -> "ApqnList":
        obj = cls.__new__(cls)
        obj._readonly = readonly
        obj._init(context, handle, ptr)
        return obj

    @classmethod
    def _take(cls, context: Context, ptr: Any) -> "ApqnList":
        """A list the caller got a new reference on."""
        return cls._wrap(context, Handle(ptr, lib().apqn_list_unref, context),
                         ptr, False)

    def _w(self) -> Any:
        if self._readonly:
            raise TypeError("this ApqnList belongs to a result and is "
                            "read-only")
        return self.p

    def __len__(self) -> int:
        return lib().apqn_list_get_count(self.p)

    @overload
    def __getitem__(self, index: int) -> Apqn: ...

    @overload
    def __getitem__(self, index: slice) -> "list[Apqn]": ...

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = seq_index(index, len(self), "APQN list")
        return Apqn(self._check(lib().apqn_list_get_apqn(self.p, i),
                                "apmatrix_apqn_list_get_apqn"))

    def __iter__(self) -> Iterator[Apqn]:
        p = self.p
        get = lib().apqn_list_get_apqn
        for i in range(lib().apqn_list_get_count(p)):
            yield Apqn(get(p, i))

    def __contains__(self, apqn: object) -> bool:
        try:
            value = to_apqn(apqn)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            return False
        return lib().apqn_list_contains(self.p, value) == 1

    def add(self, apqn: ApqnLike) -> None:
        """Add an APQN (nothing when present)."""
        self._check(lib().apqn_list_add(self._w(), to_apqn(apqn)),
                    "apmatrix_apqn_list_add")

    def parse(self, text: Union[str, bytes], flags: int = 0) -> None:
        """Add the APQNs of text (commas, blanks or newlines between them);
        all or nothing."""
        self._check(lib().apqn_list_parse(self._w(), encode(text, "text"),
                                          uint(flags, "flags")),
                    "apmatrix_apqn_list_parse")

    def format(self, separator: str = ",", flags: int = 0) -> str:
        """The APQNs as `AA.DDDD` joined by separator."""
        return format_text(lib().apqn_list_format,
                           (self.p, encode(separator, "separator"),
                            uint(flags, "flags")),
                           self._ctxp(), "apmatrix_apqn_list_format")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (ApqnList, list, tuple)):
            try:
                return list(self) == [to_apqn(a) for a in other]
            except (ValueError, TypeError):
                return False
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.format(",")

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.ApqnList closed>"
        return "ApqnList(%r)" % self.format(",")
