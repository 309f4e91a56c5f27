# SPDX-License-Identifier: LGPL-2.1-or-later
"""vfio_ap mediated devices: identity and configurations by role."""

from ctypes import byref
from typing import Any, Optional

from ._base import Handle, Wrapper, decode, encode, uint
from ._lib import lib, mdev_p
from .constants import MdevState, Role
from .context import Context, resolve
from .matrix import Matrix

__all__ = ["Mdev"]


class Mdev(Wrapper):
    """A vfio_ap mediated device (struct apmatrix_mdev).

    ``Mdev(uuid)`` is an identity without configurations; add_config(Role.LIVE)
    or add_config(Role.DEFINED) gives it a matrix in that role, reached by
    matrix(role) or the ``live``, ``defined`` and ``guest`` properties
    (None when absent).
    """

    __slots__ = ()

    def __init__(self, uuid: str, *, context: Optional[Context] = None,
                 live: Optional[Matrix] = None,
                 defined: Optional[Matrix] = None,
                 autostart: Optional[bool] = None) -> None:
        ctx = resolve(context)
        ptr = mdev_p()
        Wrapper._check_ctx(ctx, lib().mdev_new(ctx.p, encode(uuid, "uuid"),
                                               byref(ptr)),
                           "apmatrix_mdev_new")
        self._init(ctx, Handle(ptr, lib().mdev_unref, ctx))
        for role, m in ((Role.LIVE, live), (Role.DEFINED, defined)):
            if m is not None:
                self.add_config(role)
                self.matrix(role).assign(m)  # type: ignore[union-attr]
        if autostart is not None:
            self.autostart = autostart

    @classmethod
    def _ref(cls, context: Context, ptr: Any) -> "Mdev":
        """Wrap an mdev owned by something else, taking a reference."""
        obj = cls.__new__(cls)
        obj._init(context, Handle(lib().mdev_ref(ptr), lib().mdev_unref,
                                  context))
        return obj

    @property
    def uuid(self) -> str:
        """The UUID, lower case."""
        return decode(lib().mdev_get_uuid(self.p))  # type: ignore

    @property
    def parent(self) -> str:
        """The parent device name (`matrix`)."""
        return decode(lib().mdev_get_parent(self.p))  # type: ignore

    @parent.setter
    def parent(self, name: str) -> None:
        self._check(lib().mdev_set_parent(self.p, encode(name, "parent")),
                    "apmatrix_mdev_set_parent")

    @property
    def type(self) -> str:
        """The mdev type (`vfio_ap-passthrough`)."""
        return decode(lib().mdev_get_type(self.p))  # type: ignore

    @type.setter
    def type(self, name: str) -> None:
        self._check(lib().mdev_set_type(self.p, encode(name, "type")),
                    "apmatrix_mdev_set_type")

    def add_config(self, role: int, flags: int = 0) -> Matrix:
        """Add a configuration with an empty matrix and return the matrix
        (ExistsError when the role is taken)."""
        self._check(lib().mdev_add_config(self.p, uint(role, "role"),
                                          uint(flags, "flags")),
                    "apmatrix_mdev_add_config")
        return self.matrix(role)  # type: ignore[return-value]

    def remove_config(self, role: int, flags: int = 0) -> None:
        """Remove a configuration (NotFoundError when absent)."""
        self._check(lib().mdev_remove_config(self.p, uint(role, "role"),
                                             uint(flags, "flags")),
                    "apmatrix_mdev_remove_config")

    def has_config(self, role: int) -> bool:
        """Whether the mdev has a configuration in role."""
        return lib().mdev_has_config(self.p, uint(role, "role")) == 1

    def matrix(self, role: int) -> Optional[Matrix]:
        """The matrix of a configuration, to read or change in place; it
        keeps the mdev alive. None when there is no such configuration."""
        ptr = lib().mdev_get_matrix(self.p, uint(role, "role"))
        if not ptr:
            return None
        return Matrix._wrap(self._context, self._h, ptr)

    live = property(lambda self: self.matrix(Role.LIVE),
                    doc="The live matrix, or None.")
    defined = property(lambda self: self.matrix(Role.DEFINED),
                       doc="The defined matrix, or None.")
    guest = property(lambda self: self.matrix(Role.GUEST),
                     doc="The guest matrix of the live device, or None.")

    @property
    def autostart(self) -> bool:
        """Whether the definition starts automatically (NotFoundError
        without a definition)."""
        return self._check(lib().mdev_get_autostart(self.p),
                           "apmatrix_mdev_get_autostart") == 1

    @autostart.setter
    def autostart(self, value: bool) -> None:
        self._check(lib().mdev_set_autostart(self.p, 1 if value else 0),
                    "apmatrix_mdev_set_autostart")

    @property
    def state(self) -> MdevState:
        """ACTIVE, DEFINED and AUTOSTART bits, from the configurations."""
        return MdevState(lib().mdev_get_state(self.p))

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Mdev closed>"
        return "<apmatrix.Mdev %s %s>" % (self.uuid, self.state)
