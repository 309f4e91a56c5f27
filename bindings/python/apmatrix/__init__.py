# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python binding of libapmatrix: the AP matrix of IBM Z crypto adapters
for KVM guests (vfio_ap).

A thin ctypes layer over libapmatrix.so.0 (or the file named by the
environment variable APMATRIX_LIBRARY). Failed calls raise ApmatrixError
(an OSError) with the errno, its meaning for AP and the library's
diagnostic. Objects are released by close(), by leaving a with block, or
when garbage collected.
"""

from ._base import (ApmatrixError, ApmatrixWarning, ExistsError,
                    InvalidArgumentError, NotFoundError)
from ._lib import ENV_LIBRARY, SONAME, library_path
from .apqn import Apqn, ApqnList
from .check import Check, Finding, Report
from .constants import (MAX_APQNS, MAX_IDS, ApplyFlags, CardMode, Driver, EventType,
                        Feature, FindingCode, HostPart, JsonFlags, LockFlags,
                        MatrixSyntax, MdevState, MonitorSource, PlanFlags,
                        QueueStatus, ReadFlags, Role, Root, Severity, State,
                        StepKind, StoreFlags, Syntax, Warn)
from .context import Context, default_context
from .host import CardInfo, Host, QueueInfo
from .idset import IdSet, parse_id
from .lock import Lock
from .matrix import Matrix
from .mdev import Mdev
from .monitor import Event, Monitor
from .plan import Plan, Result, Step, Target
from .store import Store, StoreProblem, parse_definition

__version__ = "0.1.0"

__all__ = [
    "ApmatrixError", "ApmatrixWarning", "ExistsError", "InvalidArgumentError",
    "NotFoundError", "ENV_LIBRARY", "SONAME", "library_path", "Apqn",
    "ApqnList", "Check", "Finding", "Report", "MAX_APQNS", "MAX_IDS",
    "CardMode", "Driver", "FindingCode", "JsonFlags", "MatrixSyntax",
    "MdevState", "PlanFlags", "ApplyFlags", "Role", "Root", "Severity", "State",
    "StepKind", "Syntax", "Warn", "Context", "default_context", "Host",
    "IdSet", "parse_id", "Matrix", "Mdev", "Plan", "Result", "Step",
    "Target", "strerror", "CardInfo", "QueueInfo", "Feature", "HostPart",
    "QueueStatus", "ReadFlags", "StoreFlags", "Store", "StoreProblem",
    "parse_definition", "Lock", "LockFlags", "Monitor", "Event",
    "MonitorSource", "EventType",
]


def strerror(err: int) -> str:
    """What an errno (negative or positive) means for AP."""
    from ._lib import lib
    raw = lib().strerror(-abs(int(err)))
    return raw.decode("utf-8", "replace") if raw else ""
