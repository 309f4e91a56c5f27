# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ctypes layer: every exported function has a prototype, every
prototype names an exported function, and the enums match the header."""

import enum
import re

import apmatrix
from apmatrix import _lib, constants


def sym_names(source_dir):
    text = (source_dir / "libapmatrix" / "libapmatrix.sym").read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return set(re.findall(r"^\s*(apmatrix_\w+)\s*;", text, flags=re.M))


def test_every_symbol_has_a_prototype(source_dir):
    exported = sym_names(source_dir)
    assert exported, "no symbols read from libapmatrix.sym"
    wrapped = set(_lib.PROTOTYPES)
    assert sorted(exported - wrapped) == [], "exported but not wrapped"
    assert sorted(wrapped - exported) == [], "wrapped but not exported"


def test_loaded_library_exports_every_prototype():
    lib = _lib.lib()
    assert lib.missing == []


def test_every_function_has_argtypes_and_restype():
    lib = _lib.lib()
    for name, (restype, argtypes) in _lib.PROTOTYPES.items():
        fn = getattr(lib.cdll, name)
        assert fn.argtypes == argtypes, name
        assert fn.restype is restype, name
        # and the binding calls exactly that object
        assert getattr(lib, name[len("apmatrix_"):]) is fn, name


def test_pointer_types_are_distinct():
    import ctypes
    lib = _lib.lib()
    m = _lib.matrix_p()
    assert lib.matrix_new(apmatrix.default_context().p, ctypes.byref(m)) == 0
    try:
        # a matrix where an ID set is expected is refused by ctypes
        try:
            lib.idset_get_count(m)
        except ctypes.ArgumentError:
            pass
        else:
            raise AssertionError("ctypes accepted a matrix as an idset")
    finally:
        lib.matrix_unref(m)


def header_enums(source_dir):
    """{enum name: {ENUMERATOR: value}} of apmatrix.h."""
    text = (source_dir / "include" / "apmatrix.h").read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    enums = {}
    for m in re.finditer(r"enum\s+(apmatrix_\w+)\s*\{(.*?)\}", text, re.S):
        values = {}
        for item in m.group(2).split(","):
            item = item.strip()
            if item:
                k, v = (x.strip() for x in item.split("="))
                values[k] = int(v, 0)
        enums[m.group(1)] = values
    return enums


# header enum -> (Python enum, prefix of its enumerators)
ENUMS = {
    "apmatrix_root": (constants.Root, "APMATRIX_ROOT_"),
    "apmatrix_syntax": (constants.Syntax, "APMATRIX_SYNTAX_"),
    "apmatrix_warning": (constants.Warn, "APMATRIX_WARN_"),
    "apmatrix_matrix_syntax": (constants.MatrixSyntax, "APMATRIX_MATRIX_"),
    "apmatrix_card_mode": (constants.CardMode, "APMATRIX_MODE_"),
    "apmatrix_state": (constants.State, "APMATRIX_STATE_"),
    "apmatrix_driver": (constants.Driver, "APMATRIX_DRIVER_"),
    "apmatrix_role": (constants.Role, "APMATRIX_ROLE_"),
    "apmatrix_mdev_state": (constants.MdevState, "APMATRIX_MDEV_"),
    "apmatrix_severity": (constants.Severity, "APMATRIX_SEVERITY_"),
    "apmatrix_finding_code": (constants.FindingCode, "APMATRIX_FINDING_"),
    "apmatrix_json_flags": (constants.JsonFlags, "APMATRIX_JSON_"),
    "apmatrix_step_kind": (constants.StepKind, "APMATRIX_STEP_"),
    "apmatrix_plan_flags": (constants.PlanFlags, "APMATRIX_PLAN_"),
    "apmatrix_apply_flags": (constants.ApplyFlags, "APMATRIX_APPLY_"),
    "apmatrix_read_flags": (constants.ReadFlags, "APMATRIX_READ_"),
    "apmatrix_host_part": (constants.HostPart, "APMATRIX_HOST_"),
    "apmatrix_feature": (constants.Feature, "APMATRIX_FEATURE_"),
    "apmatrix_queue_status": (constants.QueueStatus, "APMATRIX_QUEUE_"),
    "apmatrix_store_flags": (constants.StoreFlags, "APMATRIX_STORE_"),
    "apmatrix_lock_flags": (constants.LockFlags, "APMATRIX_LOCK_"),
    "apmatrix_monitor_source": (constants.MonitorSource, "APMATRIX_MONITOR_"),
    "apmatrix_event_type": (constants.EventType, "APMATRIX_EVENT_"),
}


def test_enums_match_the_header(source_dir):
    enums = header_enums(source_dir)
    assert sorted(set(enums) - set(ENUMS)) == [], "enums without a binding"
    for cname, (pyenum, prefix) in ENUMS.items():
        expected = {k[len(prefix):]: v for k, v in enums[cname].items()}
        got = {m.name: m.value for m in pyenum}
        assert got == expected, cname


def test_macros_match_the_header(source_dir):
    text = (source_dir / "include" / "apmatrix.h").read_text()
    for name in ("MAX_IDS", "MAX_APQNS"):
        m = re.search(r"#define APMATRIX_%s (\d+)" % name, text)
        assert m and int(m.group(1)) == getattr(constants, name)


def test_all_names_exist():
    for name in apmatrix.__all__:
        assert hasattr(apmatrix, name), name
    assert issubclass(apmatrix.Severity, enum.IntEnum)


def test_library_path_from_environment(monkeypatch):
    monkeypatch.setenv(_lib.ENV_LIBRARY, "/nonexistent/libapmatrix.so.0")
    assert apmatrix.library_path() == "/nonexistent/libapmatrix.so.0"
    monkeypatch.delenv(_lib.ENV_LIBRARY)
    assert apmatrix.library_path() == "libapmatrix.so.0"


def test_unknown_function_is_a_binding_bug():
    lib = _lib.lib()
    try:
        lib.no_such_function
    except AttributeError as e:
        assert "apmatrix_no_such_function" in str(e)
    else:
        raise AssertionError("no AttributeError")


def test_every_function_is_reachable_from_python():
    """Each function of the table is called by the Pythonic layer, except
    the reference counting and context getters, which Python objects do
    themselves (a handle per object, the Context kept in Python)."""
    import glob
    import os
    pkg = os.path.dirname(apmatrix.__file__)
    src = "".join(open(f).read() for f in glob.glob(pkg + "/*.py")
                  if not f.endswith("_lib.py"))
    used = set(re.findall(r"lib\(\)\.(\w+)", src))
    missing = sorted(n for n in _lib.PROTOTYPES
                     if n[len("apmatrix_"):] not in used
                     and not n.endswith(("_ref", "_get_ctx")))
    assert missing == []
