# SPDX-License-Identifier: LGPL-2.1-or-later
"""Change events of the AP bus and vfio_ap mdevs, as a pollable object."""

import errno
import select
from ctypes import byref
from typing import Any, Iterator, Optional

from ._base import Handle, Wrapper, check, decode, uint
from ._lib import event_p, lib, monitor_p
from .apqn import Apqn
from .constants import Driver, EventType, MonitorSource, to_enum
from .context import Context, resolve
from .idset import IdSet

__all__ = ["Monitor", "Event"]


class Monitor(Wrapper):
    """A uevent monitor (struct apmatrix_monitor), file-like for
    ``selectors`` and ``select``: fileno() is the fd to poll for reading,
    read_event() returns the next Event or None when none is pending.

        with Monitor() as mon:
            sel = selectors.DefaultSelector()
            sel.register(mon, selectors.EVENT_READ)
            while sel.select():
                for event in mon:        # every pending event
                    print(event)

    ENOBUFS (events were lost; read the host again) is raised as an
    ApmatrixError. The monitor sees the whole host, whatever the roots.
    """

    __slots__ = ()

    def __init__(self, source: int = 0, *,
                 context: Optional[Context] = None) -> None:
        """source: 0 (udevd's events when udevd runs, else the kernel's),
        MonitorSource.KERNEL or MonitorSource.UDEV."""
        ctx = resolve(context)
        ptr = monitor_p()
        Wrapper._check_ctx(ctx, lib().monitor_new(ctx.p, uint(source,
                                                               "source"),
                                                  byref(ptr)),
                           "apmatrix_monitor_new")
        self._init(ctx, Handle(ptr, lib().monitor_unref, ctx))

    def fileno(self) -> int:
        """The fd to poll (owned by the monitor; do not close it)."""
        return check(lib().monitor_get_fd(self.p), None,
                     "apmatrix_monitor_get_fd")

    @property
    def source(self) -> MonitorSource:
        """Where the events come from."""
        return to_enum(MonitorSource, check(lib().monitor_get_source(self.p),
                                            None,
                                            "apmatrix_monitor_get_source"))

    def read_event(self, flags: int = 0) -> Optional["Event"]:
        """The next event, or None when none is pending (never blocks)."""
        out = event_p()
        rc = lib().monitor_read_event(self.p, uint(flags, "flags"),
                                      byref(out))
        if rc == -errno.EAGAIN:
            return None
        self._check(rc, "apmatrix_monitor_read_event")
        return Event._take(self._context, out)

    def __iter__(self) -> Iterator["Event"]:
        """The events pending now."""
        while True:
            event = self.read_event()
            if event is None:
                return
            yield event

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until an event may be pending (True) or timeout seconds
        passed (False)."""
        poller = select.poll()
        poller.register(self.fileno(), select.POLLIN)
        ms = None if timeout is None else max(0, int(timeout * 1000))
        return bool(poller.poll(ms))

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Monitor closed>"
        return "<apmatrix.Monitor fd=%d %s>" % (self.fileno(),
                                               self.source.name.lower())


def _opt(rc: int, function: str) -> Optional[int]:
    if rc == -errno.ENOENT:
        return None
    return check(rc, None, function)


class Event(Wrapper):
    """One change event. Fields that do not apply to its type are None."""

    __slots__ = ()

    def __init__(self) -> None:
        raise TypeError("events come from Monitor.read_event()")

    @classmethod
    def _take(cls, context: Context, ptr: Any) -> "Event":
        obj = cls.__new__(cls)
        obj._init(context, Handle(ptr, lib().event_unref, context))
        return obj

    @property
    def type(self) -> EventType:
        """What the event says."""
        return to_enum(EventType, check(lib().event_get_type(self.p), None,
                                        "apmatrix_event_get_type"))

    @property
    def type_name(self) -> str:
        """`card-config`, `mdev-add`, ..."""
        return decode(lib().event_get_type_name(self.p))  # type: ignore

    @property
    def adapter(self) -> Optional[int]:
        """The adapter of a card or queue event."""
        return _opt(lib().event_get_adapter(self.p),
                    "apmatrix_event_get_adapter")

    @property
    def apqn(self) -> Optional[Apqn]:
        """The APQN of a queue event."""
        v = _opt(lib().event_get_apqn(self.p), "apmatrix_event_get_apqn")
        return None if v is None else Apqn(v)

    @property
    def value(self) -> Optional[int]:
        """The new config/online value, or the bindings-complete count."""
        return _opt(lib().event_get_value(self.p), "apmatrix_event_get_value")

    @property
    def driver(self) -> Optional[Driver]:
        """The driver of a queue-bind event."""
        v = _opt(lib().event_get_driver(self.p), "apmatrix_event_get_driver")
        return None if v is None else to_enum(Driver, v)

    @property
    def uuid(self) -> Optional[str]:
        """The UUID of an mdev event."""
        return decode(lib().event_get_uuid(self.p))

    @property
    def mask(self) -> Optional[IdSet]:
        """The new mask of an apmask/aqmask event (read-only)."""
        ptr = lib().event_get_mask(self.p)
        if not ptr:
            return None
        return IdSet._borrow(self._context, self._h, ptr, True)

    def __str__(self) -> str:
        parts = [self.type_name]
        for name in ("adapter", "apqn", "value", "driver", "uuid", "mask"):
            v = getattr(self, name)
            if v is None or (name == "adapter" and self.apqn is not None):
                continue
            if name == "adapter":
                v = "%02x" % v
            elif name == "driver":
                v = v.name.lower() if isinstance(v, Driver) else v
            parts.append("%s=%s" % (name, v))
        return " ".join(parts)

    def __repr__(self) -> str:
        if self.closed:
            return "<apmatrix.Event closed>"
        return "<apmatrix.Event %s>" % self
