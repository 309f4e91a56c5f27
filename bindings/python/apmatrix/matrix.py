# SPDX-License-Identifier: LGPL-2.1-or-later
"""AP matrices: adapters, usage domains, control domains."""

from ctypes import byref
from typing import Any, Iterator, Optional, Union

from ._base import ptr_of, Handle, Wrapper, encode, format_text, uint
from ._lib import apqn_list_p, lib, matrix_p
from .apqn import Apqn, ApqnList, to_apqn
from .constants import MAX_APQNS, MatrixSyntax
from .context import Context, resolve
from .idset import IdSet, IdsLike

__all__ = ["Matrix"]


class Matrix(Wrapper):
    """An AP matrix (struct apmatrix_matrix).

    ``Matrix(adapters=[4, 5], domains="0x47,0x48", control_domains=[0x47])``.
    The queues are the cross product adapters x usage domains: iterate the
    matrix for its APQNs, ``apqn in matrix`` tests one. ``adapters``,
    ``domains`` and ``control_domains`` are IdSets that change the matrix
    in place.
    """

    __slots__ = ("_readonly",)

    def __init__(self, adapters: Optional[IdsLike] = None,
                 domains: Optional[IdsLike] = None,
                 control_domains: Optional[IdsLike] = None, *,
                 context: Optional[Context] = None) -> None:
        ctx = resolve(context)
        ptr = matrix_p()
        Wrapper._check_ctx(ctx, lib().matrix_new(ctx.p, byref(ptr)),
                           "apmatrix_matrix_new")
        self._readonly = False
        self._init(ctx, Handle(ptr, lib().matrix_unref, ctx))
        if adapters is not None:
            self.adapters = adapters  # type: ignore[assignment]
        if domains is not None:
            self.domains = domains  # type: ignore[assignment]
        if control_domains is not None:
            self.control_domains = control_domains  # type: ignore

    @classmethod
    def _wrap(cls, context: Context, handle: Handle, ptr: Any,
              readonly: bool = False) -> "Matrix":
        obj = cls.__new__(cls)
        obj._readonly = readonly
        obj._init(context, handle, ptr)
        return obj

    @classmethod
    def _take(cls, context: Context, ptr: Any) -> "Matrix":
        return cls._wrap(context, Handle(ptr, lib().matrix_unref, context),
                         ptr)

    @classmethod
    def from_text(cls, text: Union[str, bytes],
                  syntax: int = MatrixSyntax.AP_CONFIG, *,
                  context: Optional[Context] = None) -> "Matrix":
        """A new matrix parsed from text (see parse())."""
        m = cls(context=context)
        m.parse(text, syntax)
        return m

    @property
    def readonly(self) -> bool:
        """Whether the matrix belongs to an immutable result."""
        return self._readonly

    def _w(self) -> Any:
        if self._readonly:
            raise TypeError("this Matrix belongs to a result and is "
                            "read-only; copy() it to change it")
        return self.p

    def _set(self, getter: Any) -> IdSet:
        return IdSet._borrow(self._context, self._h, getter(self.p),
                             self._readonly)

    @property
    def adapters(self) -> IdSet:
        """The assigned adapters (changes the matrix in place)."""
        return self._set(lib().matrix_get_adapters)

    @adapters.setter
    def adapters(self, ids: IdsLike) -> None:
        self.adapters.assign(ids)

    @property
    def domains(self) -> IdSet:
        """The assigned usage domains."""
        return self._set(lib().matrix_get_usage_domains)

    @domains.setter
    def domains(self, ids: IdsLike) -> None:
        self.domains.assign(ids)

    @property
    def control_domains(self) -> IdSet:
        """The assigned control domains."""
        return self._set(lib().matrix_get_control_domains)

    @control_domains.setter
    def control_domains(self, ids: IdsLike) -> None:
        self.control_domains.assign(ids)

    def copy(self) -> "Matrix":
        """A new, independent, writable matrix with the same IDs."""
        m = Matrix(context=self._context)
        m.assign(self)
        return m

    def __copy__(self) -> "Matrix":
        return self.copy()

    def __deepcopy__(self, memo: Any) -> "Matrix":
        return self.copy()

    def __reduce__(self) -> Any:
        return (Matrix, (list(self.adapters), list(self.domains),
                         list(self.control_domains)))

    def assign(self, other: "Matrix") -> None:
        """Make this matrix a copy of other."""
        self._check(lib().matrix_assign(self._w(),
                                        ptr_of(other, Matrix, "other")),
                    "apmatrix_matrix_assign")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Matrix):
            return NotImplemented
        return lib().matrix_equal(self.p, other.p) == 1

    __hash__ = None  # type: ignore[assignment]

    @property
    def apqn_count(self) -> int:
        """Number of APQNs in adapters x usage domains."""
        return lib().matrix_get_apqn_count(self.p)

    def __bool__(self) -> bool:
        """False only when nothing is assigned (no adapter, usage or
        control domain)."""
        return bool(len(self.adapters) or len(self.domains)
                    or len(self.control_domains))

    def __contains__(self, apqn: object) -> bool:
        try:
            value = to_apqn(apqn)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            return False
        return lib().matrix_contains(self.p, value) == 1

    def __iter__(self) -> Iterator[Apqn]:
        p = self.p
        nxt = lib().matrix_next_apqn
        a = nxt(p, 0)
        while a >= 0:
            yield Apqn(a)
            if a + 1 >= MAX_APQNS:
                return
            a = nxt(p, a + 1)

    def shared_apqns(self, other: "Matrix") -> ApqnList:
        """The APQNs both matrices hold (control domains never count)."""
        out = apqn_list_p()
        self._check(lib().matrix_get_shared_apqns(self.p,
                                                  ptr_of(other, Matrix, "other"),
                                                  byref(out)),
                    "apmatrix_matrix_get_shared_apqns")
        return ApqnList._take(self._context, out)

    def parse(self, text: Union[str, bytes],
              syntax: int = MatrixSyntax.AP_CONFIG, flags: int = 0) -> None:
        """Parse text: AP_CONFIG replaces all three sets, SYSFS adapters and
        usage domains, CONTROL_DOMAINS the control domains. All or nothing."""
        self._check(lib().matrix_parse(self._w(), encode(text, "text"),
                                       int(syntax), uint(flags, "flags")),
                    "apmatrix_matrix_parse")

    def format(self, syntax: int = MatrixSyntax.AP_CONFIG,
               flags: int = 0) -> str:
        """The matrix as the kernel writes it."""
        return format_text(lib().matrix_format,
                           (self.p, int(syntax), uint(flags, "flags")),
                           self._ctxp(), "apmatrix_matrix_format")

    def __str__(self) -> str:
        return self.format(MatrixSyntax.AP_CONFIG).rstrip("\n")

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Matrix closed>"
        return "Matrix(adapters=%r, domains=%r, control_domains=%r)" % (
            str(self.adapters), str(self.domains), str(self.control_domains))
