#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""list_queues.py: the AP queues of a host, like `lszcrypt`, with the
driver each queue is bound to and what vfio_ap says about it.

    list_queues.py [SYSFS-ROOT]

An AP adapter is a crypto card; each is split into domains, and the queue
of one domain on one adapter is an APQN, written AA.DDDD in hex
("04.0047" = domain 0x47 of adapter 4). A queue is bound either to the
host's crypto driver (zcrypt: "host") or to vfio_ap, which can pass it to
a guest. SYSFS-ROOT (default /sys) may be a captured tree. "-" means
the kernel does not say. Exit status 0, or 1 with the library's message.
"""
import sys

import apmatrix
from apmatrix import Driver, ReadFlags


def show(value):
    """None (sysfs did not say) as "-", booleans as 1/0."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(int(value))
    return value.name.lower().replace("_", " ")


def main(argv):
    context = apmatrix.Context(sysfs=argv[1] if len(argv) > 1 else "/sys")
    # Only cards and queues: no masks, no mdevs.
    host = apmatrix.Host.read(context, ReadFlags.DEVICES)
    print("APQN     TYPE   MODE   DRIVER   ONLINE STATUS")
    cards = {card.adapter: card for card in host.cards()}
    for queue in host.queues():               # sorted by APQN
        card = cards[queue.apqn.adapter]
        driver = {Driver.VFIO_AP: "vfio_ap",
                  Driver.DEFAULT: "host"}.get(queue.driver, "none")
        print(f"{queue.apqn}  {card.type or '-':6} {show(card.mode):6} "
              f"{driver:8} {show(queue.online):6} {show(queue.status)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except apmatrix.ApmatrixError as e:
        # errno, its meaning for AP and the library's diagnostic
        print(f"list_queues.py: {e}", file=sys.stderr)
        sys.exit(1)
