#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""check_definitions.py: check a host's stored definitions together with
what runs now, as `apmatrixctl check` does.

    check_definitions.py [SYSFS-ROOT [ETC-ROOT]]

A queue of a crypto adapter (an APQN, "04.0047" = domain 0x47 of adapter
4) may be passed to at most one guest. Guests get their queues through
vfio_ap mediated devices (mdevs), each assigned a matrix of adapters x
domains: live ones in sysfs (SYSFS-ROOT, default /sys), defined ones in
mdevctl's files (ETC-ROOT/mdevctl.d/matrix, default /etc) with the host
masks set at boot (ETC-ROOT/udev/rules.d/41-ap.rules). One line per
finding; exit status 0 without errors, 1 with, 2 when the program fails.
"""
import sys

import apmatrix
from apmatrix import Severity


def main(argv):
    context = apmatrix.Context(sysfs=argv[1] if len(argv) > 1 else "/sys",
                               etc=argv[2] if len(argv) > 2 else "/etc")
    host = apmatrix.Host.read(context)       # the host now, live mdevs too
    store = apmatrix.Store.read(context)     # definitions, persistent masks
    for problem in store.problems:           # a bad file is left out
        print(f"check_definitions.py: {problem.message}", file=sys.stderr)
    # Each mdev is checked in its role: live against live, definitions
    # against each other (boot), against what runs (start) and against
    # the persistent masks. Pure: no I/O happens in run().
    check = apmatrix.Check(host, host.mdevs)
    check.add_store(store)
    report = check.run()
    for finding in report:
        print(f"{finding.severity.name.lower():7} {finding.code_name:20} "
              f"{finding.message}")
    print(f"{len(report)} finding{'' if len(report) == 1 else 's'}")
    return 1 if report.max_severity == Severity.ERROR else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except apmatrix.ApmatrixError as e:
        print(f"check_definitions.py: {e}", file=sys.stderr)
        sys.exit(2)
