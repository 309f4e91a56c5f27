# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loading libapmatrix and the prototype of every exported function.

The library is found by its SONAME (libapmatrix.so.0) unless the
environment variable APMATRIX_LIBRARY names a file. Every function the
library exports has its argtypes and restype set here, in one table; the
test suite compares the table with libapmatrix.sym.
"""

import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_size_t,
                    c_uint, c_void_p)
from typing import Any, Callable, Dict, List, Optional, Tuple

SONAME = "libapmatrix.so.0"
ENV_LIBRARY = "APMATRIX_LIBRARY"


def _opaque(name: str) -> Any:
    """A distinct pointer type per C struct, so ctypes refuses a matrix
    where a set is expected."""
    return POINTER(type(name, (Structure,), {}))


ctx_p = _opaque("apmatrix_ctx")
idset_p = _opaque("apmatrix_idset")
apqn_list_p = _opaque("apmatrix_apqn_list")
matrix_p = _opaque("apmatrix_matrix")
host_p = _opaque("apmatrix_host")
mdev_p = _opaque("apmatrix_mdev")
check_p = _opaque("apmatrix_check")
report_p = _opaque("apmatrix_report")
finding_p = _opaque("apmatrix_finding")
target_p = _opaque("apmatrix_target")
plan_p = _opaque("apmatrix_plan")
step_p = _opaque("apmatrix_step")
result_p = _opaque("apmatrix_result")
card_info_p = _opaque("apmatrix_card_info")
queue_info_p = _opaque("apmatrix_queue_info")
store_p = _opaque("apmatrix_store")
lock_p = _opaque("apmatrix_lock")
monitor_p = _opaque("apmatrix_monitor")
event_p = _opaque("apmatrix_event")

LOG_FN = CFUNCTYPE(None, c_void_p, c_int, c_char_p, c_int, c_char_p, c_char_p)

_I, _U, _S, _Z, _V = c_int, c_uint, c_char_p, c_size_t, None


def _pp(t: Any) -> Any:
    return POINTER(t)


# name: (restype, argtypes). Only functions of libapmatrix.sym belong here.
PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    # context
    "apmatrix_new": (_I, [_pp(ctx_p)]),
    "apmatrix_ref": (ctx_p, [ctx_p]),
    "apmatrix_unref": (ctx_p, [ctx_p]),
    "apmatrix_set_log_fn": (_V, [ctx_p, LOG_FN, c_void_p]),
    "apmatrix_get_log_priority": (_I, [ctx_p]),
    "apmatrix_set_log_priority": (_I, [ctx_p, _I]),
    "apmatrix_set_root": (_I, [ctx_p, _U, _S]),
    "apmatrix_get_root": (_S, [ctx_p, _U]),
    "apmatrix_get_diagnostic": (_S, [ctx_p]),
    "apmatrix_strerror": (_S, [_I]),
    # ID sets
    "apmatrix_idset_new": (_I, [ctx_p, _pp(idset_p)]),
    "apmatrix_idset_ref": (idset_p, [idset_p]),
    "apmatrix_idset_unref": (idset_p, [idset_p]),
    "apmatrix_idset_get_ctx": (ctx_p, [idset_p]),
    "apmatrix_idset_set": (_I, [idset_p, _U]),
    "apmatrix_idset_clear": (_I, [idset_p, _U]),
    "apmatrix_idset_clear_all": (_I, [idset_p]),
    "apmatrix_idset_test": (_I, [idset_p, _U]),
    "apmatrix_idset_get_count": (_U, [idset_p]),
    "apmatrix_idset_next": (_I, [idset_p, _U]),
    "apmatrix_idset_assign": (_I, [idset_p, idset_p]),
    "apmatrix_idset_union": (_I, [idset_p, idset_p]),
    "apmatrix_idset_intersect": (_I, [idset_p, idset_p]),
    "apmatrix_idset_subtract": (_I, [idset_p, idset_p]),
    "apmatrix_idset_equal": (_I, [idset_p, idset_p]),
    "apmatrix_idset_parse": (_I, [idset_p, _S, _U, _U]),
    "apmatrix_idset_format": (_I, [idset_p, _U, _U, c_char_p, _Z]),
    "apmatrix_id_parse": (_I, [ctx_p, _S, _U, _pp(c_uint)]),
    # APQNs
    "apmatrix_apqn_parse": (_I, [ctx_p, _S, _U, _pp(c_uint)]),
    "apmatrix_apqn_format": (_I, [_U, _U, c_char_p, _Z]),
    "apmatrix_apqn_list_new": (_I, [ctx_p, _pp(apqn_list_p)]),
    "apmatrix_apqn_list_ref": (apqn_list_p, [apqn_list_p]),
    "apmatrix_apqn_list_unref": (apqn_list_p, [apqn_list_p]),
    "apmatrix_apqn_list_get_count": (_U, [apqn_list_p]),
    "apmatrix_apqn_list_get_apqn": (_I, [apqn_list_p, _U]),
    "apmatrix_apqn_list_add": (_I, [apqn_list_p, _U]),
    "apmatrix_apqn_list_contains": (_I, [apqn_list_p, _U]),
    "apmatrix_apqn_list_parse": (_I, [apqn_list_p, _S, _U]),
    "apmatrix_apqn_list_format": (_I, [apqn_list_p, _S, _U, c_char_p, _Z]),
    # matrices
    "apmatrix_matrix_new": (_I, [ctx_p, _pp(matrix_p)]),
    "apmatrix_matrix_ref": (matrix_p, [matrix_p]),
    "apmatrix_matrix_unref": (matrix_p, [matrix_p]),
    "apmatrix_matrix_get_ctx": (ctx_p, [matrix_p]),
    "apmatrix_matrix_get_adapters": (idset_p, [matrix_p]),
    "apmatrix_matrix_get_usage_domains": (idset_p, [matrix_p]),
    "apmatrix_matrix_get_control_domains": (idset_p, [matrix_p]),
    "apmatrix_matrix_assign": (_I, [matrix_p, matrix_p]),
    "apmatrix_matrix_equal": (_I, [matrix_p, matrix_p]),
    "apmatrix_matrix_get_apqn_count": (_U, [matrix_p]),
    "apmatrix_matrix_contains": (_I, [matrix_p, _U]),
    "apmatrix_matrix_next_apqn": (_I, [matrix_p, _U]),
    "apmatrix_matrix_get_shared_apqns":
        (_I, [matrix_p, matrix_p, _pp(apqn_list_p)]),
    "apmatrix_matrix_parse": (_I, [matrix_p, _S, _U, _U]),
    "apmatrix_matrix_format": (_I, [matrix_p, _U, _U, c_char_p, _Z]),
    # hosts
    "apmatrix_host_new": (_I, [ctx_p, _pp(host_p)]),
    "apmatrix_host_ref": (host_p, [host_p]),
    "apmatrix_host_unref": (host_p, [host_p]),
    "apmatrix_host_get_ctx": (ctx_p, [host_p]),
    "apmatrix_host_set_max_ids": (_I, [host_p, _U, _U]),
    "apmatrix_host_get_max_adapter_id": (_U, [host_p]),
    "apmatrix_host_get_max_domain_id": (_U, [host_p]),
    "apmatrix_host_get_adapter_mask": (idset_p, [host_p]),
    "apmatrix_host_get_usage_domain_mask": (idset_p, [host_p]),
    "apmatrix_host_get_control_domain_mask": (idset_p, [host_p]),
    "apmatrix_host_get_apmask": (idset_p, [host_p]),
    "apmatrix_host_get_aqmask": (idset_p, [host_p]),
    "apmatrix_host_add_card": (_I, [host_p, _U, _U, _U, _U]),
    "apmatrix_host_remove_card": (_I, [host_p, _U]),
    "apmatrix_host_has_card": (_I, [host_p, _U]),
    "apmatrix_host_set_card_state": (_I, [host_p, _U, _U]),
    "apmatrix_host_add_queue": (_I, [host_p, _U, _U, _U]),
    "apmatrix_host_remove_queue": (_I, [host_p, _U]),
    "apmatrix_host_has_queue": (_I, [host_p, _U]),
    "apmatrix_host_set_queue_driver": (_I, [host_p, _U, _U]),
    "apmatrix_host_bind_by_masks": (_I, [host_p]),
    "apmatrix_host_predict_guest_matrix":
        (_I, [host_p, matrix_p, _pp(matrix_p)]),
    # discovery: snapshots, features, card and queue info
    "apmatrix_host_read": (_I, [ctx_p, _U, _pp(host_p)]),
    "apmatrix_host_get_known": (_U, [host_p]),
    "apmatrix_host_has_feature": (_I, [host_p, _U]),
    "apmatrix_host_set_feature": (_I, [host_p, _U, _I]),
    "apmatrix_host_get_bindings": (_I, [host_p, _pp(c_uint), _pp(c_uint)]),
    "apmatrix_host_uses_driver_override": (_I, [host_p]),
    "apmatrix_host_next_card": (_I, [host_p, _U]),
    "apmatrix_host_next_queue": (_I, [host_p, _U]),
    "apmatrix_host_get_card_info": (_I, [host_p, _U, _pp(card_info_p)]),
    "apmatrix_card_info_ref": (card_info_p, [card_info_p]),
    "apmatrix_card_info_unref": (card_info_p, [card_info_p]),
    "apmatrix_card_info_get_adapter": (_I, [card_info_p]),
    "apmatrix_card_info_get_hwtype": (_I, [card_info_p]),
    "apmatrix_card_info_get_raw_hwtype": (_I, [card_info_p]),
    "apmatrix_card_info_get_type": (_S, [card_info_p]),
    "apmatrix_card_info_get_mode": (_I, [card_info_p]),
    "apmatrix_card_info_get_functions": (_I, [card_info_p, _pp(c_uint)]),
    "apmatrix_card_info_get_online": (_I, [card_info_p]),
    "apmatrix_card_info_get_config": (_I, [card_info_p]),
    "apmatrix_card_info_get_chkstop": (_I, [card_info_p]),
    "apmatrix_card_info_get_queue_count": (_U, [card_info_p]),
    "apmatrix_host_get_queue_info": (_I, [host_p, _U, _pp(queue_info_p)]),
    "apmatrix_queue_info_ref": (queue_info_p, [queue_info_p]),
    "apmatrix_queue_info_unref": (queue_info_p, [queue_info_p]),
    "apmatrix_queue_info_get_apqn": (_I, [queue_info_p]),
    "apmatrix_queue_info_get_driver": (_I, [queue_info_p]),
    "apmatrix_queue_info_get_online": (_I, [queue_info_p]),
    "apmatrix_queue_info_get_config": (_I, [queue_info_p]),
    "apmatrix_queue_info_get_chkstop": (_I, [queue_info_p]),
    "apmatrix_queue_info_get_status": (_I, [queue_info_p]),
    "apmatrix_queue_info_get_driver_override": (_S, [queue_info_p]),
    "apmatrix_host_get_mdev_count": (_U, [host_p]),
    "apmatrix_host_get_mdev": (mdev_p, [host_p, _U]),
    "apmatrix_host_add_mdev": (_I, [host_p, mdev_p]),
    # mediated devices
    "apmatrix_mdev_new": (_I, [ctx_p, _S, _pp(mdev_p)]),
    "apmatrix_mdev_ref": (mdev_p, [mdev_p]),
    "apmatrix_mdev_unref": (mdev_p, [mdev_p]),
    "apmatrix_mdev_get_ctx": (ctx_p, [mdev_p]),
    "apmatrix_mdev_get_uuid": (_S, [mdev_p]),
    "apmatrix_mdev_get_parent": (_S, [mdev_p]),
    "apmatrix_mdev_set_parent": (_I, [mdev_p, _S]),
    "apmatrix_mdev_get_type": (_S, [mdev_p]),
    "apmatrix_mdev_set_type": (_I, [mdev_p, _S]),
    "apmatrix_mdev_add_config": (_I, [mdev_p, _U, _U]),
    "apmatrix_mdev_remove_config": (_I, [mdev_p, _U, _U]),
    "apmatrix_mdev_has_config": (_I, [mdev_p, _U]),
    "apmatrix_mdev_get_matrix": (matrix_p, [mdev_p, _U]),
    "apmatrix_mdev_get_autostart": (_I, [mdev_p]),
    "apmatrix_mdev_set_autostart": (_I, [mdev_p, _I]),
    "apmatrix_mdev_get_state": (_U, [mdev_p]),
    # checks and reports
    "apmatrix_check_new": (_I, [ctx_p, _pp(check_p)]),
    "apmatrix_check_ref": (check_p, [check_p]),
    "apmatrix_check_unref": (check_p, [check_p]),
    "apmatrix_check_set_host": (_I, [check_p, host_p]),
    "apmatrix_check_add_mdev": (_I, [check_p, mdev_p]),
    "apmatrix_check_add_store": (_I, [check_p, store_p, _U]),
    "apmatrix_check_set_persistent_masks": (_I, [check_p, idset_p, idset_p]),
    "apmatrix_check_run": (_I, [check_p, _U, _pp(report_p)]),
    "apmatrix_report_ref": (report_p, [report_p]),
    "apmatrix_report_unref": (report_p, [report_p]),
    "apmatrix_report_get_count": (_U, [report_p]),
    "apmatrix_report_get_finding": (finding_p, [report_p, _U]),
    "apmatrix_report_get_max_severity": (_I, [report_p]),
    "apmatrix_report_format_json": (_I, [report_p, _U, c_char_p, _Z]),
    "apmatrix_finding_get_code": (_I, [finding_p]),
    "apmatrix_finding_get_code_name": (_S, [finding_p]),
    "apmatrix_finding_get_severity": (_I, [finding_p]),
    "apmatrix_finding_get_message": (_S, [finding_p]),
    "apmatrix_finding_get_uuid_count": (_U, [finding_p]),
    "apmatrix_finding_get_uuid": (_S, [finding_p, _U]),
    "apmatrix_finding_get_apqns": (apqn_list_p, [finding_p]),
    "apmatrix_finding_get_adapters": (idset_p, [finding_p]),
    "apmatrix_finding_get_usage_domains": (idset_p, [finding_p]),
    "apmatrix_finding_get_control_domains": (idset_p, [finding_p]),
    "apmatrix_finding_get_role": (_I, [finding_p, _U]),
    # targets, plans, steps, results
    "apmatrix_target_new": (_I, [ctx_p, _pp(target_p)]),
    "apmatrix_target_ref": (target_p, [target_p]),
    "apmatrix_target_unref": (target_p, [target_p]),
    "apmatrix_target_set_mdev": (_I, [target_p, _S, matrix_p, _U]),
    "apmatrix_target_remove_mdev": (_I, [target_p, _S, _U]),
    "apmatrix_target_set_masks": (_I, [target_p, idset_p, idset_p, _U]),
    "apmatrix_target_give_to_vfio": (_I, [target_p, matrix_p, _U]),
    "apmatrix_target_give_to_host": (_I, [target_p, matrix_p, _U]),
    "apmatrix_plan_new": (_I, [target_p, host_p, _U, _pp(plan_p)]),
    "apmatrix_plan_ref": (plan_p, [plan_p]),
    "apmatrix_plan_unref": (plan_p, [plan_p]),
    "apmatrix_plan_get_step_count": (_U, [plan_p]),
    "apmatrix_plan_get_step": (step_p, [plan_p, _U]),
    "apmatrix_plan_get_refusal": (result_p, [plan_p]),
    "apmatrix_plan_get_report": (report_p, [plan_p]),
    "apmatrix_plan_get_mdev_count": (_U, [plan_p]),
    "apmatrix_plan_get_mdev_uuid": (_S, [plan_p, _U]),
    "apmatrix_plan_get_guest_matrix": (matrix_p, [plan_p, _U]),
    "apmatrix_plan_format": (_I, [plan_p, _U, c_char_p, _Z]),
    "apmatrix_plan_apply": (_I, [plan_p, _U, _pp(result_p)]),
    "apmatrix_step_get_kind": (_I, [step_p]),
    "apmatrix_step_get_uuid": (_S, [step_p]),
    "apmatrix_step_get_attribute": (_S, [step_p]),
    "apmatrix_step_get_path": (_S, [step_p]),
    "apmatrix_step_get_value": (_S, [step_p]),
    "apmatrix_step_get_apqns": (apqn_list_p, [step_p]),
    "apmatrix_step_get_collateral": (apqn_list_p, [step_p]),
    "apmatrix_step_format": (_I, [step_p, _U, c_char_p, _Z]),
    "apmatrix_result_ref": (result_p, [result_p]),
    "apmatrix_result_unref": (result_p, [result_p]),
    "apmatrix_result_get_error": (_I, [result_p]),
    "apmatrix_result_get_step": (_I, [result_p]),
    "apmatrix_result_get_message": (_S, [result_p]),
    "apmatrix_result_get_uuid": (_S, [result_p]),
    "apmatrix_result_get_other_uuid": (_S, [result_p]),
    "apmatrix_result_get_apqns": (apqn_list_p, [result_p]),
    "apmatrix_result_get_write_count": (_U, [result_p]),
    "apmatrix_result_get_rollback_error": (_I, [result_p]),
    "apmatrix_result_get_plan": (plan_p, [result_p]),
    # the definition store (mdevctl definitions, 41-ap.rules)
    "apmatrix_store_read": (_I, [ctx_p, _U, _pp(store_p)]),
    "apmatrix_store_parse_definition": (_I, [ctx_p, _S, _S, _U,
                                             _pp(mdev_p)]),
    "apmatrix_store_ref": (store_p, [store_p]),
    "apmatrix_store_unref": (store_p, [store_p]),
    "apmatrix_store_get_ctx": (ctx_p, [store_p]),
    "apmatrix_store_get_mdev_count": (_U, [store_p]),
    "apmatrix_store_get_mdev": (mdev_p, [store_p, _U]),
    "apmatrix_store_find_mdev": (mdev_p, [store_p, _S]),
    "apmatrix_store_get_error_count": (_U, [store_p]),
    "apmatrix_store_get_error": (_S, [store_p, _U]),
    "apmatrix_store_get_error_file": (_S, [store_p, _U]),
    "apmatrix_store_get_error_severity": (_I, [store_p, _U]),
    "apmatrix_store_get_persistent_apmask": (idset_p, [store_p]),
    "apmatrix_store_get_persistent_aqmask": (idset_p, [store_p]),
    "apmatrix_store_define": (_I, [store_p, mdev_p, _U]),
    "apmatrix_store_modify": (_I, [store_p, mdev_p, _U]),
    "apmatrix_store_set_autostart": (_I, [store_p, _S, _I, _U]),
    "apmatrix_store_undefine": (_I, [store_p, _S, _U]),
    "apmatrix_store_set_persistent_masks": (_I, [store_p, idset_p, idset_p,
                                                 _U]),
    "apmatrix_store_start": (_I, [store_p, _S, _U, _pp(result_p)]),
    "apmatrix_store_stop": (_I, [store_p, _S, _U, _pp(result_p)]),
    "apmatrix_store_format_definition": (_I, [store_p, mdev_p, _U,
                                              c_char_p, _Z]),
    # the s390apconfig lock
    "apmatrix_lock_acquire": (_I, [ctx_p, _I, _U, _pp(lock_p)]),
    "apmatrix_lock_release": (_I, [lock_p]),
    "apmatrix_lock_ref": (lock_p, [lock_p]),
    "apmatrix_lock_unref": (lock_p, [lock_p]),
    "apmatrix_lock_get_ctx": (ctx_p, [lock_p]),
    "apmatrix_lock_get_path": (_S, [lock_p]),
    "apmatrix_lock_get_owner": (_I, [lock_p]),
    "apmatrix_lock_is_held": (_I, [lock_p]),
    # change events
    "apmatrix_monitor_new": (_I, [ctx_p, _U, _pp(monitor_p)]),
    "apmatrix_monitor_ref": (monitor_p, [monitor_p]),
    "apmatrix_monitor_unref": (monitor_p, [monitor_p]),
    "apmatrix_monitor_get_ctx": (ctx_p, [monitor_p]),
    "apmatrix_monitor_get_fd": (_I, [monitor_p]),
    "apmatrix_monitor_get_source": (_I, [monitor_p]),
    "apmatrix_monitor_read_event": (_I, [monitor_p, _U, _pp(event_p)]),
    "apmatrix_event_ref": (event_p, [event_p]),
    "apmatrix_event_unref": (event_p, [event_p]),
    "apmatrix_event_get_ctx": (ctx_p, [event_p]),
    "apmatrix_event_get_type": (_I, [event_p]),
    "apmatrix_event_get_type_name": (_S, [event_p]),
    "apmatrix_event_get_adapter": (_I, [event_p]),
    "apmatrix_event_get_apqn": (_I, [event_p]),
    "apmatrix_event_get_value": (_I, [event_p]),
    "apmatrix_event_get_driver": (_I, [event_p]),
    "apmatrix_event_get_uuid": (_S, [event_p]),
    "apmatrix_event_get_mask": (idset_p, [event_p]),
}


class _Missing:
    """Stands in for a function an older library does not export."""

    def __init__(self, name: str) -> None:
        self.__name__ = name

    def __call__(self, *args: Any) -> Any:
        raise NotImplementedError(
            "%s is not exported by the loaded libapmatrix" % self.__name__)


class Library:
    """The loaded library: one attribute per function of PROTOTYPES, named
    without the apmatrix_ prefix (lib.idset_new)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.cdll = ctypes.CDLL(path)
        self.missing: List[str] = []
        for name, (restype, argtypes) in PROTOTYPES.items():
            short = name[len("apmatrix_"):]
            try:
                fn = getattr(self.cdll, name)
            except AttributeError:
                self.missing.append(name)
                setattr(self, short, _Missing(name))
                continue
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, short, fn)

    def has(self, short: str) -> bool:
        """Whether the loaded library exports apmatrix_<short>."""
        return not isinstance(getattr(self, short, None), _Missing)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        # Only reached for names outside PROTOTYPES: a bug in the binding.
        raise AttributeError("libapmatrix binding has no prototype for "
                             "apmatrix_%s" % name)


_lib: Optional[Library] = None


def library_path() -> str:
    """The file or SONAME the library is loaded from."""
    return os.environ.get(ENV_LIBRARY) or SONAME


def lib() -> Library:
    """The library, loaded on first use."""
    global _lib
    if _lib is None:
        _lib = Library(library_path())
    return _lib
