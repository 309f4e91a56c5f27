# SPDX-License-Identifier: LGPL-2.1-or-later
"""Targets, plans and their steps; results of refusals (and of apply)."""

from ctypes import byref
from typing import Any, Sequence, Iterator, List, Optional, Tuple, overload

from ._base import (ptr_of, Handle, Wrapper, decode, encode, format_text,
                    seq_index, uint)
from ._lib import lib, plan_p, result_p, target_p
from .apqn import ApqnList
from .check import Report
from .constants import StepKind, to_enum
from .context import Context, resolve
from .host import Host
from .idset import IdSet, IdsLike
from .matrix import Matrix

__all__ = ["Target", "Plan", "Step", "Result"]


class Target(Wrapper):
    """A desired state: mdevs with their matrices, host reservations."""

    __slots__ = ()

    def __init__(self, *, context: Optional[Context] = None) -> None:
        ctx = resolve(context)
        ptr = target_p()
        Wrapper._check_ctx(ctx, lib().target_new(ctx.p, byref(ptr)),
                           "apmatrix_target_new")
        self._init(ctx, Handle(ptr, lib().target_unref, ctx))

    def set_mdev(self, uuid: str, matrix: Matrix, flags: int = 0) -> None:
        """Ask for the mdev to exist with exactly this matrix."""
        self._check(lib().target_set_mdev(self.p, encode(uuid, "uuid"),
                                          ptr_of(matrix, Matrix, "matrix"),
                                          uint(flags, "flags")),
                    "apmatrix_target_set_mdev")

    def remove_mdev(self, uuid: str, flags: int = 0) -> None:
        """Ask for the mdev not to exist."""
        self._check(lib().target_remove_mdev(self.p, encode(uuid, "uuid"),
                                             uint(flags, "flags")),
                    "apmatrix_target_remove_mdev")

    def set_masks(self, apmask: Optional[IdsLike], aqmask: Optional[IdsLike],
                  flags: int = 0) -> None:
        """Ask for exact apmask and aqmask values (both None: keep)."""
        def arg(ids: Optional[IdsLike]) -> Any:
            if ids is None:
                return None
            return (ids if isinstance(ids, IdSet)
                    else IdSet(ids, context=self._context))
        a, q = arg(apmask), arg(aqmask)
        self._check(lib().target_set_masks(
            self.p, a.p if a is not None else None,
            q.p if q is not None else None, uint(flags, "flags")),
            "apmatrix_target_set_masks")

    def give_to_vfio(self, queues: Matrix, flags: int = 0) -> None:
        """Ask for adapters x usage domains of queues to be free for
        vfio_ap."""
        self._check(lib().target_give_to_vfio(self.p,
                                              ptr_of(queues, Matrix, "queues"),
                                              uint(flags, "flags")),
                    "apmatrix_target_give_to_vfio")

    def give_to_host(self, queues: Matrix, flags: int = 0) -> None:
        """Ask for adapters x usage domains of queues to go back to the
        host drivers."""
        self._check(lib().target_give_to_host(self.p,
                                              ptr_of(queues, Matrix, "queues"),
                                              uint(flags, "flags")),
                    "apmatrix_target_give_to_host")

    def plan(self, host: Host, flags: int = 0) -> "Plan":
        """The writes from host to this target (see Plan)."""
        return Plan(self, host, flags)


class Plan(Wrapper, Sequence["Step"]):
    """The ordered sysfs writes from a host snapshot to a target; a
    sequence of Steps. Planning does no I/O. A plan the kernel would refuse
    has a ``refusal`` (a Result) and no predictions."""

    __slots__ = ()

    def __init__(self, target: Target, host: Host, flags: int = 0) -> None:
        ptr = plan_p()
        ctx = target.context
        Wrapper._check_ctx(ctx, lib().plan_new(ptr_of(target, Target, "target"),
                                               ptr_of(host, Host, "host"),
                                               uint(flags, "flags"),
                                               byref(ptr)),
                           "apmatrix_plan_new")
        self._init(ctx, Handle(ptr, lib().plan_unref, ctx))

    def __len__(self) -> int:
        return lib().plan_get_step_count(self.p)

    @overload
    def __getitem__(self, index: int) -> "Step": ...

    @overload
    def __getitem__(self, index: slice) -> List["Step"]: ...

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = seq_index(index, len(self), "plan step")
        ptr = lib().plan_get_step(self.p, i)
        if not ptr:
            raise IndexError("plan step index out of range")
        return Step(self._context, self._h, ptr)

    def __iter__(self) -> Iterator["Step"]:
        for i in range(len(self)):
            yield self[i]

    @property
    def steps(self) -> List["Step"]:
        """The steps, in the order they are written."""
        return list(self)

    @property
    def refusal(self) -> Optional["Result"]:
        """Why the kernel would refuse the plan, or None."""
        ptr = lib().plan_get_refusal(self.p)
        if not ptr:
            return None
        return Result._wrap(self._context, self._h, ptr)

    @property
    def report(self) -> Optional[Report]:
        """The conflict check of the state the plan leads to (None for a
        refused plan)."""
        ptr = lib().plan_get_report(self.p)
        if not ptr:
            return None
        return Report._wrap(self._context, self._h, ptr)

    @property
    def mdevs(self) -> List[Tuple[str, Matrix]]:
        """(UUID, predicted guest matrix) of every mdev live after the
        plan; the matrices are read-only."""
        out = []
        for i in range(lib().plan_get_mdev_count(self.p)):
            uuid = decode(lib().plan_get_mdev_uuid(self.p, i))
            m = lib().plan_get_guest_matrix(self.p, i)
            out.append((uuid, Matrix._wrap(self._context, self._h, m,
                                           True)))
        return out  # type: ignore[return-value]

    def apply(self, flags: int = 0) -> "Result":
        """Apply the plan under the s390apconfig lock (the host is read and
        the plan made again under it); all or nothing. Returns the Result
        also when a step failed and was rolled back (see Result.ok and
        Result.raise_for_error()); raises only when no result was made."""
        ptr = result_p()
        rc = lib().plan_apply(self.p, uint(flags, "flags"), byref(ptr))
        if not ptr:
            self._check(rc, "apmatrix_plan_apply")
        return Result._take(self._context, ptr)

    def format(self, flags: int = 0) -> str:
        """One numbered step a line, and `refused: ...` when refused."""
        return format_text(lib().plan_format, (self.p, uint(flags, "flags")),
                           self._ctxp(), "apmatrix_plan_format")

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Plan closed>"
        return "<apmatrix.Plan %d steps%s>" % (
            len(self), ", refused" if self.refusal else "")


class Step:
    """One write of a plan; keeps the plan alive."""

    __slots__ = ("_context", "_h", "_ptr")

    def __init__(self, context: Context, handle: Handle, ptr: Any) -> None:
        self._context = context
        self._h = handle
        self._ptr = ptr

    kind = property(lambda self: to_enum(StepKind,
                                         lib().step_get_kind(self._ptr)),
                    doc="What the step does (StepKind).")
    uuid = property(lambda self: decode(lib().step_get_uuid(self._ptr)),
                    doc="The mdev written to, or None for mask steps.")
    attribute = property(
        lambda self: decode(lib().step_get_attribute(self._ptr)),
        doc="The sysfs attribute written (`apmask`, `ap_config`, ...).")
    path = property(lambda self: decode(lib().step_get_path(self._ptr)),
                    doc="The file written, relative to the sysfs root.")
    value = property(lambda self: decode(lib().step_get_value(self._ptr)),
                     doc="The text written.")

    @property
    def apqns(self) -> ApqnList:
        """The APQNs the step moves (read-only)."""
        return ApqnList._wrap(self._context, self._h,
                              lib().step_get_apqns(self._ptr), True)

    @property
    def collateral(self) -> ApqnList:
        """Queues a mask step moves that no request asked for."""
        return ApqnList._wrap(self._context, self._h,
                              lib().step_get_collateral(self._ptr), True)

    def format(self, flags: int = 0) -> str:
        """The step as one line of text."""
        return format_text(lib().step_format, (self._ptr,
                                               uint(flags, "flags")),
                           self._context._raw, "apmatrix_step_format")

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return "<apmatrix.Step %s>" % self.format()


class Result(Wrapper):
    """Why a plan is refused, or how applying it went."""

    __slots__ = ()

    def __init__(self) -> None:
        raise TypeError("results come from Plan.refusal or apply()")

    @classmethod
    def _take(cls, context: Context, ptr: Any) -> "Result":
        return cls._wrap(context, Handle(ptr, lib().result_unref, context),
                         ptr)

    @property
    def error(self) -> int:
        """0, or the negative errno of the failed (or refused) step."""
        return lib().result_get_error(self.p)

    @property
    def ok(self) -> bool:
        """Whether everything was applied."""
        return self.error == 0

    @property
    def step(self) -> Optional[int]:
        """The index of the failed step, or None."""
        i = lib().result_get_step(self.p)
        return i if i >= 0 else None

    message = property(lambda self: decode(lib().result_get_message(self.p)),
                       doc="One line for an admin (\"\" on success).")
    uuid = property(lambda self: decode(lib().result_get_uuid(self.p)),
                    doc="The mdev the failed step writes to, or None.")
    other_uuid = property(
        lambda self: decode(lib().result_get_other_uuid(self.p)),
        doc="The other mdev, holding the APQNs, or None.")

    @property
    def apqns(self) -> ApqnList:
        """The APQNs the failure is about (read-only)."""
        return ApqnList._wrap(self._context, self._h,
                              lib().result_get_apqns(self.p), True)

    @property
    def write_count(self) -> int:
        """Number of sysfs writes made, the rollback's included."""
        return lib().result_get_write_count(self.p)

    @property
    def rollback_error(self) -> int:
        """0, or the negative errno of the rollback write that failed."""
        return lib().result_get_rollback_error(self.p)

    @property
    def plan(self) -> Optional[Plan]:
        """The plan that ran, or None for a refusal."""
        ptr = lib().result_get_plan(self.p)
        if not ptr:
            return None
        return Plan._wrap(self._context, self._h, ptr)

    def raise_for_error(self) -> None:
        """Raise the ApmatrixError of a failed result (message included)."""
        from ._base import make_error
        if self.error < 0:
            raise make_error(self.error, None, "apmatrix_result",
                             self.message)

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Result closed>"
        return "<apmatrix.Result error=%d %r>" % (self.error, self.message)
