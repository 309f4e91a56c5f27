# SPDX-License-Identifier: LGPL-2.1-or-later
"""The enumerations of apmatrix.h (a test keeps them equal to the header)."""

import enum

__all__ = ["Root", "Syntax", "Warn", "MatrixSyntax", "CardMode", "State",
           "Driver", "Role", "MdevState", "Severity", "FindingCode",
           "JsonFlags", "StepKind", "PlanFlags", "ReadFlags", "HostPart",
           "Feature", "QueueStatus", "StoreFlags", "LockFlags", "MonitorSource",
           "EventType", "MAX_IDS", "MAX_APQNS"]

MAX_IDS = 256
MAX_APQNS = 65536


class Root(enum.IntEnum):
    """enum apmatrix_root: the directories a context resolves paths under."""
    SYSFS = 0
    ETC = 1
    RUN = 2


class Syntax(enum.IntEnum):
    """enum apmatrix_syntax: text forms of ID sets."""
    MASK = 1
    RELATIVE = 2
    LIST = 3
    KERNEL = 4
    CHZDEV = 5


class Warn(enum.IntFlag):
    """enum apmatrix_warning: warnings of successful parses."""
    OCTAL = 1


class MatrixSyntax(enum.IntEnum):
    """enum apmatrix_matrix_syntax: text forms of matrices."""
    AP_CONFIG = 1
    SYSFS = 2
    CONTROL_DOMAINS = 3


class CardMode(enum.IntEnum):
    """enum apmatrix_card_mode."""
    UNKNOWN = 0
    ACCEL = 1
    CCA = 2
    EP11 = 3


class State(enum.IntFlag):
    """enum apmatrix_state: card and queue state bits."""
    ONLINE = 1
    CONFIG = 2
    CHKSTOP = 4


class Driver(enum.IntEnum):
    """enum apmatrix_driver: what a queue is bound to."""
    NONE = 0
    DEFAULT = 1
    VFIO_AP = 2


class Role(enum.IntEnum):
    """enum apmatrix_role: the configurations of an mdev."""
    LIVE = 1
    DEFINED = 2
    GUEST = 4


class MdevState(enum.IntFlag):
    """enum apmatrix_mdev_state: derived from the configurations."""
    ACTIVE = 1
    DEFINED = 2
    AUTOSTART = 4


class Severity(enum.IntEnum):
    """enum apmatrix_severity: higher is more severe."""
    NONE = 0
    INFO = 1
    WARNING = 2
    ERROR = 3


class FindingCode(enum.IntEnum):
    """enum apmatrix_finding_code (stable numbers)."""
    SHARED_APQNS = 1
    HOST_POOL_ACTIVE = 2
    HOST_POOL_PERSISTENT = 3
    ADAPTER_OVER_LIMIT = 4
    DOMAIN_OVER_LIMIT = 5
    CONTROL_DOMAIN_OVER_LIMIT = 6
    CONTROL_WITHOUT_USAGE = 7
    QUEUE_MISSING = 8
    QUEUE_NOT_BOUND = 9
    ADAPTER_FILTERED = 10
    NOT_CONFIGURED = 11
    NO_QUEUES = 12


class JsonFlags(enum.IntFlag):
    """enum apmatrix_json_flags."""
    PRETTY = 1


class StepKind(enum.IntEnum):
    """enum apmatrix_step_kind: what a plan step writes."""
    RELEASE = 1
    RECLAIM = 2
    CREATE = 3
    CONFIGURE = 4
    ASSIGN = 5
    UNASSIGN = 6
    REMOVE = 7


class PlanFlags(enum.IntFlag):
    """enum apmatrix_plan_flags."""
    NO_AP_CONFIG = 1


class ApplyFlags(enum.IntFlag):
    """enum apmatrix_apply_flags."""
    LOCKED = 1


class ReadFlags(enum.IntFlag):
    """enum apmatrix_read_flags: what Host.read() reads (0: everything)."""
    MASKS = 1
    DEVICES = 2
    MDEVS = 4


class HostPart(enum.IntFlag):
    """enum apmatrix_host_part: what a host snapshot knows."""
    LIMITS = 1
    APMASK = 2
    AQMASK = 4
    ADAPTER_MASK = 8
    USAGE_DOMAIN_MASK = 16
    CONTROL_DOMAIN_MASK = 32
    DEVICES = 64
    MDEVS = 128


class Feature(enum.IntFlag):
    """enum apmatrix_feature: what the kernel has."""
    QCI = 1
    APXA = 2
    APSC = 4
    QACT = 8
    RC8A = 16
    APSB = 32
    VFIO_AP = 64
    GUEST_MATRIX = 128
    HOTPLUG = 256
    AP_CONFIG = 512
    DRIVER_OVERRIDE = 1024


class QueueStatus(enum.IntEnum):
    """enum apmatrix_queue_status: the vfio_ap `status` of a queue."""
    UNASSIGNED = 1
    ASSIGNED = 2
    IN_USE = 3


class StoreFlags(enum.IntFlag):
    """enum apmatrix_store_flags."""
    LOCKED = 1
    COMPACT = 2


class LockFlags(enum.IntFlag):
    """enum apmatrix_lock_flags."""
    PARENT = 1


class MonitorSource(enum.IntEnum):
    """enum apmatrix_monitor_source."""
    KERNEL = 1
    UDEV = 2


class EventType(enum.IntEnum):
    """enum apmatrix_event_type: what a change event says."""
    CARD_ADD = 1
    CARD_REMOVE = 2
    CARD_CONFIG = 3
    CARD_ONLINE = 4
    QUEUE_ADD = 5
    QUEUE_REMOVE = 6
    QUEUE_CONFIG = 7
    QUEUE_ONLINE = 8
    QUEUE_BIND = 9
    QUEUE_UNBIND = 10
    APMASK = 11
    AQMASK = 12
    BINDINGS_COMPLETE = 13
    MDEV_ADD = 14
    MDEV_REMOVE = 15


def to_enum(cls, value):  # type: ignore
    """value as a member of cls, or the plain int for a value this binding
    does not know yet (a newer library)."""
    try:
        return cls(value)
    except ValueError:
        return value
