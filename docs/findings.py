#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The examples of docs/conflicts.md, one small scenario per finding code.

Each scenario builds a host and mdevs in memory with the Python binding,
runs the conflict check and prints every finding as the library words it,
then the JSON of the first finding with the scenario's code. The guide
holds that output between marker lines:

    <!-- findings.py NAME -->
    ```
    ...
    ```

  findings.py --check GUIDE    fail when a block differs from a real run
  findings.py --update GUIDE   rewrite the blocks from a real run
  findings.py [NAME...]        print the output

Needs the binding (PYTHONPATH=bindings/python) and the library
(APMATRIX_LIBRARY=build/libapmatrix.so.0, or an installed one).
"""

import json
import re
import sys
from typing import Callable, Dict, List, Tuple

import apmatrix
from apmatrix import Apqn, Driver, FindingCode, Host, Matrix, Mdev

UUID_A = "6a2b1c3d-0000-4000-8000-00000000000a"
UUID_B = "6a2b1c3d-0000-4000-8000-00000000000b"


def host(adapters=(4, 5), domains=(0x47, 0x48), max_adapter=255,
         max_domain=255) -> Host:
    """A host whose cards are all given to vfio_ap (apmask cleared for
    them, aqmask keeps every domain), every queue bound to vfio_ap."""
    h = Host()
    h.set_max_ids(max_adapter, max_domain)
    for a in adapters:
        h.add_card(a)
        for d in domains:
            h.add_queue(Apqn(a, d), Driver.DEFAULT)
    h.control_domain_mask = set(domains)
    h.apmask = set(range(max_adapter + 1)) - set(adapters)
    h.bind_by_masks()
    return h


def live(uuid: str, **matrix) -> Mdev:
    return Mdev(uuid, live=Matrix(**matrix))


def defined(uuid: str, autostart: bool = True, **matrix) -> Mdev:
    return Mdev(uuid, defined=Matrix(**matrix), autostart=autostart)


def shared_apqns() -> apmatrix.Check:
    return apmatrix.Check(host(), [
        live(UUID_A, adapters=[4, 5], domains=[0x47]),
        live(UUID_B, adapters=[5], domains=[0x47, 0x48])])


def shared_apqns_defined() -> apmatrix.Check:
    return apmatrix.Check(None, [
        defined(UUID_A, adapters=[4, 5], domains=[0x47]),
        defined(UUID_B, autostart=False, adapters=[5], domains=[0x47])])


def shared_apqns_defined_live() -> apmatrix.Check:
    return apmatrix.Check(host(), [
        defined(UUID_A, adapters=[4, 5], domains=[0x47]),
        live(UUID_B, adapters=[5], domains=[0x47])])


def host_pool_active() -> apmatrix.Check:
    h = host()
    h.apmask = h.apmask | {5}  # adapter 05 went back to the host
    h.bind_by_masks()
    return apmatrix.Check(h, [defined(UUID_A, adapters=[4, 5],
                                      domains=[0x47])])


def host_pool_persistent() -> apmatrix.Check:
    c = apmatrix.Check(None, [defined(UUID_A, adapters=[4, 5],
                                      domains=[0x47])])
    # 41-ap.rules gives adapter 04 to vfio_ap at boot, not 05
    c.set_persistent_masks(set(range(256)) - {4}, set(range(256)))
    return c


def over_limit(**matrix) -> Callable[[], apmatrix.Check]:
    def scenario() -> apmatrix.Check:
        # a host without APXA: adapters 0 to 63, domains 0 to 15
        return apmatrix.Check(host(domains=(0x07,), max_adapter=63,
                                   max_domain=15),
                              [live(UUID_A, **matrix)])
    return scenario


def control_without_usage() -> apmatrix.Check:
    return apmatrix.Check(None, [defined(UUID_A, adapters=[4],
                                         control_domains=[0x47])])


def queue_missing() -> apmatrix.Check:
    h = host()
    h.remove_queue("05.0048")  # the domain is gone from adapter 05
    return apmatrix.Check(h, [live(UUID_A, adapters=[4, 5],
                                   domains=[0x47, 0x48])])


def queue_not_bound() -> apmatrix.Check:
    h = host()
    # zcrypt got 05.0048 (a driver_override, or a mask change in flight)
    h.set_queue_driver("05.0048", Driver.DEFAULT)
    return apmatrix.Check(h, [live(UUID_A, adapters=[4, 5],
                                   domains=[0x47, 0x48])])


def not_configured() -> apmatrix.Check:
    h = host()
    h.apmask = h.apmask - {6}  # given to vfio_ap, but there is no card 06
    return apmatrix.Check(h, [live(UUID_A, adapters=[4, 6], domains=[0x47])])


def no_queues() -> apmatrix.Check:
    return apmatrix.Check(host(), [live(UUID_A, adapters=[4, 5])])


# name -> (code shown as JSON, scenario)
SCENARIOS: Dict[str, Tuple[FindingCode, Callable[[], apmatrix.Check]]] = {
    "shared-apqns": (FindingCode.SHARED_APQNS, shared_apqns),
    "shared-apqns-defined": (FindingCode.SHARED_APQNS, shared_apqns_defined),
    "shared-apqns-defined-live": (FindingCode.SHARED_APQNS,
                                  shared_apqns_defined_live),
    "host-pool-active": (FindingCode.HOST_POOL_ACTIVE, host_pool_active),
    "host-pool-persistent": (FindingCode.HOST_POOL_PERSISTENT,
                             host_pool_persistent),
    "adapter-over-limit": (FindingCode.ADAPTER_OVER_LIMIT,
                           over_limit(adapters=[4, 0x40], domains=[7])),
    "domain-over-limit": (FindingCode.DOMAIN_OVER_LIMIT,
                          over_limit(adapters=[4], domains=[7, 0x47])),
    "control-domain-over-limit": (FindingCode.CONTROL_DOMAIN_OVER_LIMIT,
                                  over_limit(adapters=[4], domains=[7],
                                             control_domains=[7, 0x47])),
    "control-without-usage": (FindingCode.CONTROL_WITHOUT_USAGE,
                              control_without_usage),
    "queue-missing": (FindingCode.QUEUE_MISSING, queue_missing),
    "queue-not-bound": (FindingCode.QUEUE_NOT_BOUND, queue_not_bound),
    "adapter-filtered": (FindingCode.ADAPTER_FILTERED, queue_missing),
    "not-configured": (FindingCode.NOT_CONFIGURED, not_configured),
    "no-queues": (FindingCode.NO_QUEUES, no_queues),
}


def run(name: str) -> str:
    code, scenario = SCENARIOS[name]
    report = scenario().run()
    lines = [f"{f.severity.name.lower():7} {f.code_name}: {f.message}"
             for f in report]
    ours = [i for i, f in enumerate(report) if f.code == code]
    if not ours:
        raise SystemExit(f"findings.py: scenario {name} has no {code.name}")
    lines.append("")
    # one member a line, as `apmatrixctl check --json` pretty-prints it
    finding = report.json()["findings"][ours[0]]
    lines.append("{")
    lines.append(",\n".join(f'  "{k}": {json.dumps(v)}'
                            for k, v in finding.items()))
    lines.append("}")
    return "\n".join(lines) + "\n"


BLOCK = re.compile(r"(<!-- findings\.py (\S+) -->\n```\n)(.*?)(```\n)", re.S)


def main(argv: List[str]) -> int:
    if len(argv) == 2 and argv[0] in ("--check", "--update"):
        with open(argv[1], encoding="utf-8") as f:
            text = f.read()
        seen = []
        bad = []

        def replace(m: "re.Match[str]") -> str:
            name = m.group(2)
            seen.append(name)
            out = run(name)
            if out != m.group(3) and argv[0] == "--check":
                bad.append(name)
                print(f"--- {name}: the guide says\n{m.group(3)}"
                      f"+++ a run says\n{out}", file=sys.stderr)
            return m.group(1) + out + m.group(4)

        new = BLOCK.sub(replace, text)
        missing = [n for n in SCENARIOS if n not in seen]
        codes = {c for n, (c, _) in SCENARIOS.items() if n in seen}
        uncovered = [c.name for c in FindingCode if c not in codes]
        if argv[0] == "--update":
            with open(argv[1], "w", encoding="utf-8") as f:
                f.write(new)
            return 0
        for n in missing:
            print(f"FAIL: scenario {n} is not in {argv[1]}", file=sys.stderr)
        for c in uncovered:
            print(f"FAIL: no example of {c} in {argv[1]}", file=sys.stderr)
        for n in bad:
            print(f"FAIL: the block {n} differs from a run", file=sys.stderr)
        print(f"{len(seen)} blocks checked")
        return 1 if bad or missing or uncovered else 0
    for name in argv or SCENARIOS:
        print(f"== {name}\n{run(name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
