# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers of the kernel-tier tests: plain sysfs access, independent of
the library, to set the simulator up and to compare with what it reads."""

import errno
import os
import pathlib
import time


SYS = pathlib.Path("/sys")
MATRIX = SYS / "devices" / "vfio_ap" / "matrix"
TYPE = MATRIX / "mdev_supported_types" / "vfio_ap-passthrough"
ALL1 = "0x" + "f" * 64
FAULT = SYS / "kernel" / "debug" / "vfio_ap_sim" / "fault"


def write(path, text):
    """One write(2) as an admin's echo does; OSError carries the errno."""
    fd = os.open(str(path), os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def wait_bindings(timeout=30.0):
    """Until the bus says every queue and card is bound again."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if "(complete)" in (SYS / "bus/ap/bindings").read_text():
            return
        time.sleep(0.05)
    raise AssertionError("bindings not complete after %s s" % timeout)


def reset():
    if FAULT.exists():
        write(FAULT, "clear")
    for d in (TYPE / "devices").iterdir() if (TYPE / "devices").is_dir() \
            else []:
        try:
            write(MATRIX / d.name / "remove", "1")
        except OSError as e:
            if e.errno != errno.ENOENT:
                raise
    for m in ("apmask", "aqmask"):
        if (SYS / "bus/ap" / m).read_text().strip() != ALL1:
            write(SYS / "bus/ap" / m, ALL1)
    wait_bindings()
