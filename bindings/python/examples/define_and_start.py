#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""define_and_start.py: give a guest crypto queues, persistently and now,
as `mdevctl define --auto` and `mdevctl start` would, but checked.

    define_and_start.py [--dry-run] UUID ADAPTERS DOMAINS [ROOT]

A guest gets AP queues (APQNs: "04.0047" = domain 0x47 of crypto adapter
4) through a vfio_ap mediated device (mdev) named by a UUID, assigned
adapters and domains ("4,5", "0x47"); it may use every queue of adapters x
domains. The host keeps `apmask` x `aqmask` for its own drivers, so those
queues are given to vfio_ap first. Reads the host (ROOT/sys) and the
definitions (ROOT/etc), checks, prints the plan of sysfs writes, and
unless --dry-run, under the s390apconfig lock (ROOT/run/lock), writes the
definition and applies the plan (rolled back if a write fails). Queues
the host takes back at boot (41-ap.rules) are refused: reserve them
persistently first (chzdev's persistent apmask, Store.set_persistent_masks()).
Exit status: 0 done, 1 refused (reason on stderr), 2 usage or failure.
The same as examples/define-and-start.c.
"""
import os
import sys
from contextlib import ExitStack

import apmatrix
from apmatrix import (ApplyFlags, FindingCode, IdSet, Lock, Matrix, Mdev,
                      Severity, StoreFlags)


def main(argv):
    dry_run = argv[1:2] == ["--dry-run"]
    args = argv[2:] if dry_run else argv[1:]
    if len(args) not in (3, 4):
        print(__doc__.splitlines()[3].strip(), file=sys.stderr)
        return 2
    uuid, adapters, domains = args[:3]
    root = args[3] if len(args) == 4 else "/"
    context = apmatrix.Context(sysfs=os.path.join(root, "sys"),
                               etc=os.path.join(root, "etc"),
                               run=os.path.join(root, "run"))

    # Usage domains are also control domains: the guest may then set the
    # master keys of its own domains.
    d = IdSet(domains, context=context)       # a list: "0x47" or "1,3-5"
    matrix = Matrix(adapters=IdSet(adapters, context=context),
                    domains=d, control_domains=d, context=context)
    mdev = Mdev(uuid, defined=matrix, autostart=True, context=context)

    with ExitStack() as stack:
        # Hold the lock s390-tools also take from the first read to the
        # last write, so nothing changes in between.
        if not dry_run:
            stack.enter_context(Lock.acquire(context, timeout=95))
        host = apmatrix.Host.read(context)
        store = apmatrix.Store.read(context)

        # Our definition first (it stands in for a stored one), then the
        # live mdevs and the store. Only findings about our mdev count; the
        # plan frees the queues of the active host pool, so that is fine.
        check = apmatrix.Check(host, [mdev] + host.mdevs)
        check.add_store(store)
        refuse = False
        for f in check.run():
            if uuid.lower() not in f.uuids:
                continue
            print(f"{f.code_name}: {f.message}", file=sys.stderr)
            refuse |= (f.severity == Severity.ERROR and
                       f.code != FindingCode.HOST_POOL_ACTIVE)
        if refuse:
            print("define_and_start.py: refused, nothing changed",
                  file=sys.stderr)
            return 1

        # The wanted state: the queues free for vfio_ap, the mdev with this
        # matrix. The plan is the sysfs writes that get there.
        target = apmatrix.Target(context=context)
        target.give_to_vfio(matrix)
        target.set_mdev(uuid, matrix)
        plan = target.plan(host)
        print(plan.format(), end="")
        if plan.refusal is not None:
            print("define_and_start.py: the kernel would refuse: "
                  f"{plan.refusal.message}", file=sys.stderr)
            return 1
        if dry_run:
            print(f"definition:\n{store.format_definition(mdev)}")
            return 0

        store.define(mdev, StoreFlags.LOCKED)
        result = plan.apply(ApplyFlags.LOCKED)
        if not result.ok:
            # rolled back; the definition stays for `mdevctl start`
            print(f"define_and_start.py: defined, not started: "
                  f"{result.message}", file=sys.stderr)
            return 1
    print(f"defined and started {uuid}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except apmatrix.ApmatrixError as e:
        print(f"define_and_start.py: {e}", file=sys.stderr)
        sys.exit(2)
