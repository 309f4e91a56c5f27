# SPDX-License-Identifier: LGPL-2.1-or-later
"""Hosts: limits, features, masks, cards, queues and live mdevs, built in
memory or read from sysfs."""

import errno
from ctypes import byref, c_uint
from typing import Any, Iterator, List, Optional, Tuple

from ._base import Handle, Wrapper, check, decode, ptr_of, uint
from ._lib import card_info_p, host_p, lib, matrix_p, queue_info_p
from .apqn import Apqn, ApqnLike, to_apqn
from .constants import (MAX_APQNS, MAX_IDS, CardMode, Driver, Feature,
                        HostPart, QueueStatus, State, to_enum)
from .context import Context, resolve
from .idset import IdSet
from .matrix import Matrix
from .mdev import Mdev

__all__ = ["Host", "CardInfo", "QueueInfo"]


def _tri(rc: int, function: str) -> Optional[int]:
    """A getter that may not know: -ENODATA is None, others raise."""
    if rc == -errno.ENODATA:
        return None
    return check(rc, None, function)


def _flag(rc: int, function: str) -> Optional[bool]:
    v = _tri(rc, function)
    return None if v is None else v == 1


class Host(Wrapper):
    """What an AP host has (struct apmatrix_host).

    ``Host()`` is an in-memory host with APXA limits (255), empty
    configuration masks, all-ones apmask/aqmask and no cards; build it with
    add_card(), add_queue() and add_mdev(). ``Host.read(context)`` reads a
    snapshot under the context's sysfs root.
    """

    __slots__ = ()

    def __init__(self, *, context: Optional[Context] = None) -> None:
        ctx = resolve(context)
        ptr = host_p()
        Wrapper._check_ctx(ctx, lib().host_new(ctx.p, byref(ptr)),
                           "apmatrix_host_new")
        self._init(ctx, Handle(ptr, lib().host_unref, ctx))

    @classmethod
    def read(cls, context: Optional[Context] = None,
             flags: int = 0) -> "Host":
        """Read a host snapshot under the context's sysfs root; flags 0
        reads everything, or ReadFlags bits. A warning (a configuration the
        kernel cut at a page) is in context.diagnostic."""
        ctx = resolve(context)
        ptr = host_p()
        Wrapper._check_ctx(ctx, lib().host_read(ctx.p, uint(flags, "flags"),
                                                byref(ptr)),
                           "apmatrix_host_read")
        obj = cls.__new__(cls)
        obj._init(ctx, Handle(ptr, lib().host_unref, ctx))
        return obj

    @property
    def known(self) -> HostPart:
        """Which parts the host knows (HostPart bits)."""
        return HostPart(lib().host_get_known(self.p))

    # ------------------------------------------------------------ limits
    @property
    def max_adapter_id(self) -> int:
        """`ap_max_adapter_id`."""
        return lib().host_get_max_adapter_id(self.p)

    @property
    def max_domain_id(self) -> int:
        """`ap_max_domain_id`."""
        return lib().host_get_max_domain_id(self.p)

    def set_max_ids(self, max_adapter_id: int, max_domain_id: int) -> None:
        """Set both limits (0 to 255)."""
        self._check(lib().host_set_max_ids(self.p,
                                           uint(max_adapter_id, "adapter"),
                                           uint(max_domain_id, "domain")),
                    "apmatrix_host_set_max_ids")

    # ------------------------------------------------------------ features
    def has_feature(self, feature: int) -> Optional[bool]:
        """Whether the kernel has a Feature; None when not known."""
        rc = lib().host_has_feature(self.p, uint(feature, "feature"))
        if rc == -errno.ENODATA:
            return None
        return self._check(rc, "apmatrix_host_has_feature") == 1

    def set_feature(self, feature: int, on: bool = True) -> None:
        """Record whether the kernel has a Feature (in-memory hosts)."""
        self._check(lib().host_set_feature(self.p, uint(feature, "feature"),
                                           1 if on else 0),
                    "apmatrix_host_set_feature")

    @property
    def features(self) -> Feature:
        """The features known to be there."""
        bits = Feature(0)
        for f in Feature:
            if self.has_feature(f):
                bits |= f
        return bits

    @property
    def bindings(self) -> Optional[Tuple[int, int, bool]]:
        """The bus `bindings`: (bound, total, complete), or None when
        unknown."""
        bound, total = c_uint(), c_uint()
        rc = lib().host_get_bindings(self.p, byref(bound), byref(total))
        if rc == -errno.ENODATA:
            return None
        rc = self._check(rc, "apmatrix_host_get_bindings")
        return bound.value, total.value, rc == 1

    @property
    def uses_driver_override(self) -> Optional[bool]:
        """Whether queues are handed out by `driver_override` instead of
        apmask/aqmask; None when the queues were not read."""
        rc = lib().host_uses_driver_override(self.p)
        if rc == -errno.ENODATA:
            return None
        return self._check(rc, "apmatrix_host_uses_driver_override") == 1

    # ------------------------------------------------------------ masks
    def _mask(self, getter: Any) -> IdSet:
        return IdSet._borrow(self._context, self._h, getter(self.p))

    adapter_mask = property(
        lambda self: self._mask(lib().host_get_adapter_mask),
        lambda self, v: self._mask(lib().host_get_adapter_mask).assign(v),
        doc="The adapters configured to the host (`ap_adapter_mask`).")
    usage_domain_mask = property(
        lambda self: self._mask(lib().host_get_usage_domain_mask),
        lambda self, v: self._mask(
            lib().host_get_usage_domain_mask).assign(v),
        doc="The usage domains of the host (`ap_usage_domain_mask`).")
    control_domain_mask = property(
        lambda self: self._mask(lib().host_get_control_domain_mask),
        lambda self, v: self._mask(
            lib().host_get_control_domain_mask).assign(v),
        doc="The control domains of the host (`ap_control_domain_mask`).")
    apmask = property(
        lambda self: self._mask(lib().host_get_apmask),
        lambda self, v: self._mask(lib().host_get_apmask).assign(v),
        doc="The active apmask (adapters reserved for host drivers).")
    aqmask = property(
        lambda self: self._mask(lib().host_get_aqmask),
        lambda self, v: self._mask(lib().host_get_aqmask).assign(v),
        doc="The active aqmask (domains reserved for host drivers).")

    # ------------------------------------------------------------ cards
    def add_card(self, adapter: int, hwtype: int = 14,
                 mode: int = CardMode.CCA,
                 state: int = State.ONLINE | State.CONFIG) -> None:
        """Add (or replace) a card; also configures the adapter."""
        self._check(lib().host_add_card(self.p, uint(adapter, "adapter"),
                                        uint(hwtype, "hwtype"),
                                        uint(mode, "mode"),
                                        uint(state, "state")),
                    "apmatrix_host_add_card")

    def remove_card(self, adapter: int) -> None:
        """Remove a card and its queues (NotFoundError when absent)."""
        self._check(lib().host_remove_card(self.p, uint(adapter, "adapter")),
                    "apmatrix_host_remove_card")

    def has_card(self, adapter: int) -> bool:
        """Whether the card exists."""
        return lib().host_has_card(self.p, uint(adapter, "adapter")) == 1

    def set_card_state(self, adapter: int, state: int) -> None:
        """Set a card's State bits."""
        self._check(lib().host_set_card_state(self.p,
                                              uint(adapter, "adapter"),
                                              uint(state, "state")),
                    "apmatrix_host_set_card_state")

    @property
    def card_ids(self) -> List[int]:
        """The adapter IDs that have a card, ascending."""
        out = []
        p = self.p
        a = lib().host_next_card(p, 0)
        while a >= 0:
            out.append(a)
            if a + 1 >= MAX_IDS:
                break
            a = lib().host_next_card(p, a + 1)
        return out

    def card(self, adapter: int) -> "CardInfo":
        """A copy of what the host knows about a card (NotFoundError)."""
        out = card_info_p()
        self._check(lib().host_get_card_info(self.p,
                                             uint(adapter, "adapter"),
                                             byref(out)),
                    "apmatrix_host_get_card_info")
        return CardInfo._take(self._context, out)

    def cards(self) -> Iterator["CardInfo"]:
        """Info objects of every card, by adapter ID."""
        for a in self.card_ids:
            yield self.card(a)

    # ------------------------------------------------------------ queues
    def add_queue(self, apqn: ApqnLike, driver: int = Driver.VFIO_AP,
                  state: int = State.ONLINE | State.CONFIG) -> None:
        """Add (or replace) a queue of an existing card."""
        self._check(lib().host_add_queue(self.p, to_apqn(apqn),
                                         uint(driver, "driver"),
                                         uint(state, "state")),
                    "apmatrix_host_add_queue")

    def remove_queue(self, apqn: ApqnLike) -> None:
        """Remove a queue (NotFoundError when absent)."""
        self._check(lib().host_remove_queue(self.p, to_apqn(apqn)),
                    "apmatrix_host_remove_queue")

    def has_queue(self, apqn: ApqnLike) -> bool:
        """Whether the queue exists."""
        return lib().host_has_queue(self.p, to_apqn(apqn)) == 1

    def set_queue_driver(self, apqn: ApqnLike, driver: int) -> None:
        """Bind a queue to another Driver."""
        self._check(lib().host_set_queue_driver(self.p, to_apqn(apqn),
                                                uint(driver, "driver")),
                    "apmatrix_host_set_queue_driver")

    @property
    def queue_apqns(self) -> List[Apqn]:
        """The APQNs that have a queue, adapter-major."""
        out = []
        p = self.p
        q = lib().host_next_queue(p, 0)
        while q >= 0:
            out.append(Apqn(q))
            if q + 1 >= MAX_APQNS:
                break
            q = lib().host_next_queue(p, q + 1)
        return out

    def queue(self, apqn: ApqnLike) -> "QueueInfo":
        """A copy of what the host knows about a queue (NotFoundError)."""
        out = queue_info_p()
        self._check(lib().host_get_queue_info(self.p, to_apqn(apqn),
                                              byref(out)),
                    "apmatrix_host_get_queue_info")
        return QueueInfo._take(self._context, out)

    def queues(self) -> Iterator["QueueInfo"]:
        """Info objects of every queue, adapter-major."""
        for q in self.queue_apqns:
            yield self.queue(q)

    def bind_by_masks(self) -> None:
        """Bind every queue as the kernel does after a mask change."""
        self._check(lib().host_bind_by_masks(self.p),
                    "apmatrix_host_bind_by_masks")

    def predict_guest_matrix(self, assigned: Matrix) -> Matrix:
        """The matrix the guest would get (the kernel's `guest_matrix`)."""
        out = matrix_p()
        self._check(lib().host_predict_guest_matrix(
            self.p, ptr_of(assigned, Matrix, "assigned"), byref(out)),
            "apmatrix_host_predict_guest_matrix")
        return Matrix._take(self._context, out)

    # ------------------------------------------------------------ mdevs
    @property
    def mdevs(self) -> List[Mdev]:
        """The live mediated devices, in UUID order (each Mdev holds its
        own reference)."""
        p = self.p
        return [Mdev._ref(self._context, lib().host_get_mdev(p, i))
                for i in range(lib().host_get_mdev_count(p))]

    def add_mdev(self, mdev: Mdev) -> None:
        """Add a live mdev to an in-memory host (ExistsError for a UUID
        the host has)."""
        self._check(lib().host_add_mdev(self.p, ptr_of(mdev, Mdev, "mdev")),
                    "apmatrix_host_add_mdev")

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Host closed>"
        return "<apmatrix.Host adapters=%s domains=%s cards=%d mdevs=%d>" % (
            self.adapter_mask, self.usage_domain_mask, len(self.card_ids),
            lib().host_get_mdev_count(self.p))


class CardInfo(Wrapper):
    """What a host knows about one card (a copy). Properties read None
    when sysfs did not say."""

    __slots__ = ()

    @classmethod
    def _take(cls, context: Context, ptr: Any) -> "CardInfo":
        obj = cls.__new__(cls)
        obj._init(context, Handle(ptr, lib().card_info_unref, context))
        return obj

    @property
    def adapter(self) -> int:
        """The adapter ID."""
        return check(lib().card_info_get_adapter(self.p), None,
                     "apmatrix_card_info_get_adapter")

    hwtype = property(lambda self: _tri(lib().card_info_get_hwtype(self.p),
                                        "apmatrix_card_info_get_hwtype"),
                      doc="`hwtype` (10 = CEX4 ... 14 = CEX8), or None.")
    raw_hwtype = property(
        lambda self: _tri(lib().card_info_get_raw_hwtype(self.p),
                          "apmatrix_card_info_get_raw_hwtype"),
        doc="`raw_hwtype`, or None.")
    type = property(lambda self: decode(lib().card_info_get_type(self.p)),
                    doc="`type` (`CEX8C`), or None.")
    online = property(lambda self: _flag(lib().card_info_get_online(self.p),
                                         "apmatrix_card_info_get_online"),
                      doc="`online`, or None.")
    config = property(lambda self: _flag(lib().card_info_get_config(self.p),
                                         "apmatrix_card_info_get_config"),
                      doc="`config`, or None.")
    chkstop = property(
        lambda self: _flag(lib().card_info_get_chkstop(self.p),
                           "apmatrix_card_info_get_chkstop"),
        doc="`chkstop`, or None.")

    @property
    def mode(self) -> Optional[CardMode]:
        """The CardMode, or None."""
        v = _tri(lib().card_info_get_mode(self.p),
                 "apmatrix_card_info_get_mode")
        return None if v is None else to_enum(CardMode, v)

    @property
    def functions(self) -> Optional[int]:
        """`ap_functions` (bit 0 is 0x80000000), or None."""
        out = c_uint()
        rc = _tri(lib().card_info_get_functions(self.p, byref(out)),
                  "apmatrix_card_info_get_functions")
        return None if rc is None else out.value

    @property
    def queue_count(self) -> int:
        """Number of queues the card has in the host."""
        return lib().card_info_get_queue_count(self.p)

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.CardInfo closed>"
        return "<apmatrix.CardInfo card%02x %s>" % (self.adapter, self.type)


class QueueInfo(Wrapper):
    """What a host knows about one queue (a copy). Properties read None
    when sysfs did not say."""

    __slots__ = ()

    @classmethod
    def _take(cls, context: Context, ptr: Any) -> "QueueInfo":
        obj = cls.__new__(cls)
        obj._init(context, Handle(ptr, lib().queue_info_unref, context))
        return obj

    @property
    def apqn(self) -> Apqn:
        """The APQN."""
        return Apqn(check(lib().queue_info_get_apqn(self.p), None,
                          "apmatrix_queue_info_get_apqn"))

    @property
    def driver(self) -> Driver:
        """The Driver the queue is bound to."""
        return to_enum(Driver, check(lib().queue_info_get_driver(self.p),
                                     None, "apmatrix_queue_info_get_driver"))

    online = property(lambda self: _flag(lib().queue_info_get_online(self.p),
                                         "apmatrix_queue_info_get_online"),
                      doc="`online` (host driver bound), or None.")
    config = property(lambda self: _flag(lib().queue_info_get_config(self.p),
                                         "apmatrix_queue_info_get_config"),
                      doc="`config`, or None.")
    chkstop = property(
        lambda self: _flag(lib().queue_info_get_chkstop(self.p),
                           "apmatrix_queue_info_get_chkstop"),
        doc="`chkstop`, or None.")
    driver_override = property(
        lambda self: decode(lib().queue_info_get_driver_override(self.p)),
        doc="`driver_override` (empty when none), or None when unknown.")

    @property
    def status(self) -> Optional[QueueStatus]:
        """The vfio_ap QueueStatus, or None (vfio_ap not bound)."""
        v = _tri(lib().queue_info_get_status(self.p),
                 "apmatrix_queue_info_get_status")
        return None if v is None else to_enum(QueueStatus, v)

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.QueueInfo closed>"
        return "<apmatrix.QueueInfo %s %s>" % (self.apqn, self.driver.name)
