# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sets of adapter or domain IDs (struct apmatrix_idset)."""

import warnings
from typing import MutableSet
from collections.abc import Set as AbstractSet  # noqa: F401
from ctypes import byref
from typing import (Any, Iterable, Iterator, Optional, Set, Union)

from ._base import (ApmatrixWarning, Handle, Wrapper, encode, format_text,
                    uint)
from ._lib import idset_p, lib
from .constants import MAX_IDS, Syntax, Warn
from .context import Context, resolve

__all__ = ["IdSet", "IdsLike"]

#: What the binding takes where a set of IDs is expected.
IdsLike = Union["IdSet", Iterable[int], str]


class IdSet(Wrapper, MutableSet[int]):
    """A set of IDs 0 to 255 with the operators of a Python set.

    ``IdSet()`` is empty; ``IdSet([1, 2, 3])`` or ``IdSet(other_set)``
    copies; ``IdSet("1,3,5-7")`` parses the list syntax (use
    IdSet.from_text() for the other syntaxes). IDs over 255 raise
    InvalidArgumentError (a ValueError).

    Sets borrowed from another object (a matrix's adapters, a host's masks)
    change that object in place and keep it alive; sets of a report are
    read-only.
    """

    __slots__ = ("_readonly",)

    def __init__(self, ids: Optional[IdsLike] = None, *,
                 context: Optional[Context] = None) -> None:
        ctx = resolve(context)
        ptr = idset_p()
        Wrapper._check_ctx(ctx, lib().idset_new(ctx.p, byref(ptr)),
                           "apmatrix_idset_new")
        self._readonly = False
        self._init(ctx, Handle(ptr, lib().idset_unref, ctx))
        if ids is not None:
            if isinstance(ids, (str, bytes)):
                self.parse(ids, Syntax.LIST)
            elif isinstance(ids, IdSet):
                self.assign(ids)
            else:
                for i in ids:
                    self.add(i)

    @classmethod
    def _borrow(cls, context: Context, owner: Handle, ptr: Any,
                readonly: bool = False) -> "IdSet":
        """A set owned by another C object: it shares the owner's handle."""
        if not ptr:
            raise RuntimeError("library returned no set")
        obj = cls.__new__(cls)
        obj._readonly = readonly
        obj._init(context, owner, ptr)
        return obj

    @classmethod
    def from_text(cls, text: Union[str, bytes], syntax: int = Syntax.LIST, *,
                  context: Optional[Context] = None) -> "IdSet":
        """A new set parsed from text in one of the Syntax forms (RELATIVE
        edits start from the empty set)."""
        s = cls(context=context)
        s.parse(text, syntax)
        return s

    # ------------------------------------------------------------ basics
    @property
    def readonly(self) -> bool:
        """Whether the set belongs to an immutable result."""
        return self._readonly

    def _w(self) -> Any:
        if self._readonly:
            raise TypeError("this IdSet belongs to a result and is "
                            "read-only; copy() it to change it")
        return self.p

    def __len__(self) -> int:
        return lib().idset_get_count(self.p)

    def __contains__(self, id: object) -> bool:
        try:
            value = id.__index__()  # type: ignore[attr-defined]
        except AttributeError:
            return False
        if value < 0 or value >= MAX_IDS:
            return False
        return lib().idset_test(self.p, value) == 1

    def __iter__(self) -> Iterator[int]:
        p = self.p
        nxt = lib().idset_next
        i = nxt(p, 0)
        while i >= 0:
            yield i
            if i + 1 >= MAX_IDS:
                return
            i = nxt(p, i + 1)

    def add(self, id: int) -> None:
        """Add an ID (0 to 255)."""
        self._check(lib().idset_set(self._w(), uint(id, "ID")),
                    "apmatrix_idset_set")

    def discard(self, id: int) -> None:
        """Remove an ID if present (IDs over 255 raise)."""
        self._check(lib().idset_clear(self._w(), uint(id, "ID")),
                    "apmatrix_idset_clear")

    def remove(self, id: int) -> None:
        """Remove an ID; KeyError when absent."""
        if id not in self:
            raise KeyError(id)
        self.discard(id)

    def clear(self) -> None:
        """Remove every ID."""
        self._check(lib().idset_clear_all(self._w()),
                    "apmatrix_idset_clear_all")

    def update(self, *others: IdsLike) -> None:
        """Add the IDs of other sets or iterables."""
        for other in others:
            src = self._coerce(other)
            self._check(lib().idset_union(self._w(), src.p),
                        "apmatrix_idset_union")

    def copy(self) -> "IdSet":
        """A new, independent, writable set with the same IDs."""
        s = IdSet(context=self._context)
        self._check(lib().idset_assign(s.p, self.p), "apmatrix_idset_assign")
        return s

    def __copy__(self) -> "IdSet":
        return self.copy()

    def __deepcopy__(self, memo: Any) -> "IdSet":
        return self.copy()

    def __reduce__(self) -> Any:
        # the context is not part of the value: unpickled on the default
        return (IdSet, (list(self),))

    def assign(self, other: IdsLike) -> None:
        """Make this set hold exactly the IDs of other."""
        src = self._coerce(other)
        self._check(lib().idset_assign(self._w(), src.p),
                    "apmatrix_idset_assign")

    # ------------------------------------------------------------ text
    def parse(self, text: Union[str, bytes], syntax: int = Syntax.LIST,
              flags: int = 0) -> Warn:
        """Parse text into the set (MASK, LIST, KERNEL and CHZDEV replace
        it, RELATIVE edits it). On error the set is unchanged and the
        exception carries the library's diagnostic. A warning (an ID read
        as octal) is returned and issued as an ApmatrixWarning."""
        rc = self._check(lib().idset_parse(self._w(), encode(text, "text"),
                                           int(syntax), uint(flags, "flags")),
                         "apmatrix_idset_parse")
        if rc:
            warnings.warn(self._context.diagnostic, ApmatrixWarning,
                          stacklevel=2)
        return Warn(rc)

    def format(self, syntax: int = Syntax.LIST, flags: int = 0) -> str:
        """The set as text: Syntax.LIST (`0-3,7`) or Syntax.MASK."""
        return format_text(lib().idset_format,
                           (self.p, int(syntax), uint(flags, "flags")),
                           self._ctxp(), "apmatrix_idset_format")

    @property
    def mask(self) -> str:
        """The set as a kernel mask: 0x and 64 hex digits, bit 0 leftmost."""
        return self.format(Syntax.MASK)

    def __str__(self) -> str:
        return self.format(Syntax.LIST)

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.IdSet closed>"
        return "IdSet(%r)" % self.format(Syntax.LIST)

    # ------------------------------------------------------------ algebra
    def _coerce(self, other: Any) -> "IdSet":
        # Callers keep the result in a local until the C call returns: a
        # temporary's .p alone would let its set be freed during the call.
        if isinstance(other, IdSet):
            return other
        return IdSet(other, context=self._context)

    @staticmethod
    def _operand(other: Any) -> bool:
        return isinstance(other, AbstractSet)

    def _binary(self, other: Any, fn: str) -> "IdSet":
        result = self.copy()
        op = getattr(lib(), fn)
        src = self._coerce(other)
        self._check(op(result.p, src.p), "apmatrix_" + fn)
        return result

    def __or__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        return self._binary(other, "idset_union")

    def __and__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        return self._binary(other, "idset_intersect")

    def __sub__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        return self._binary(other, "idset_subtract")

    def __xor__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        other = self._coerce(other)
        result = self | other
        both = self & other
        self._check(lib().idset_subtract(result.p, both.p),
                    "apmatrix_idset_subtract")
        return result

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__

    def __rsub__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        return self._coerce(other).copy() - self

    def __ior__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        self.update(other)
        return self

    def __iand__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        src = self._coerce(other)
        self._check(lib().idset_intersect(self._w(), src.p),
                    "apmatrix_idset_intersect")
        return self

    def __isub__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        src = self._coerce(other)
        self._check(lib().idset_subtract(self._w(), src.p),
                    "apmatrix_idset_subtract")
        return self

    def __ixor__(self, other: Any) -> "IdSet":
        if not self._operand(other):
            return NotImplemented
        self.assign(self ^ other)
        return self

    def union(self, *others: IdsLike) -> "IdSet":
        result = self.copy()
        result.update(*others)
        return result

    def intersection(self, *others: IdsLike) -> "IdSet":
        result = self.copy()
        for o in others:
            result &= self._coerce(o)
        return result

    def difference(self, *others: IdsLike) -> "IdSet":
        result = self.copy()
        for o in others:
            result -= self._coerce(o)
        return result

    def symmetric_difference(self, other: IdsLike) -> "IdSet":
        return self ^ self._coerce(other)

    def issubset(self, other: IdsLike) -> bool:
        return len(self - self._coerce(other)) == 0

    def issuperset(self, other: IdsLike) -> bool:
        return len(self._coerce(other) - self) == 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdSet):
            return lib().idset_equal(self.p, other.p) == 1
        if isinstance(other, AbstractSet):
            return set(self) == set(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # type: ignore[assignment]

    def __le__(self, other: Any) -> bool:
        if not self._operand(other):
            return NotImplemented
        return self.issubset(other)

    def __lt__(self, other: Any) -> bool:
        if not self._operand(other):
            return NotImplemented
        return self.issubset(other) and self != self._coerce(other)

    def __ge__(self, other: Any) -> bool:
        if not self._operand(other):
            return NotImplemented
        return self.issuperset(other)

    def __gt__(self, other: Any) -> bool:
        if not self._operand(other):
            return NotImplemented
        return self.issuperset(other) and self != self._coerce(other)

    def to_set(self) -> Set[int]:
        """The IDs as a Python set."""
        return set(self)


def parse_id(text: Union[str, bytes], *,
             context: Optional[Context] = None) -> int:
    """One ID as the kernel's assign attributes read it (base 0: `0x47`,
    `71`, `0107`), 0 to 255."""
    from ctypes import c_uint
    ctx = resolve(context)
    out = c_uint()
    rc = Wrapper._check_ctx(ctx, lib().id_parse(ctx.p, encode(text, "text"),
                                                0, byref(out)),
                            "apmatrix_id_parse")
    if rc:
        warnings.warn(ctx.diagnostic, ApmatrixWarning, stacklevel=2)
    return out.value


__all__.append("parse_id")
