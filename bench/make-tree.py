#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""make-tree.py DEST [CARDS [DOMAINS]]: a sysfs fixture tree of a full host
(default 256 x 256 = 65,536 queues) for bench-host-read on machines without
the kernel tier. Every card and queue copies the files of card 02 / queue
02.0000 of tests/fixtures/sysfs/plain; queues are bound to cex4queue."""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PLAIN = os.path.join(HERE, "..", "tests", "fixtures", "sysfs", "plain")


def files(d):
    out = {}
    for n in os.listdir(d):
        p = os.path.join(d, n)
        if os.path.isfile(p) and not os.path.islink(p):
            with open(p, "rb") as f:
                out[n] = f.read()
    return out


def main(dest, cards=256, domains=256):
    ones = "0x" + "".join("%02x" % b for b in bits(cards)) + "\n"
    dones = "0x" + "".join("%02x" % b for b in bits(domains)) + "\n"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(PLAIN, "bus"), os.path.join(dest, "bus"),
                    symlinks=True)
    shutil.copytree(os.path.join(PLAIN, "devices", "vfio_ap"),
                    os.path.join(dest, "devices", "vfio_ap"), symlinks=True)
    bus = os.path.join(dest, "bus", "ap")
    for sub in ("devices", "drivers/cex4card", "drivers/cex4queue"):
        d = os.path.join(bus, sub)
        for n in os.listdir(d):
            if n.startswith("card") or "." in n:
                os.unlink(os.path.join(d, n))
    for name, text in (("ap_adapter_mask", ones), ("ap_usage_domain_mask", dones),
                       ("bindings", "%d/%d (complete)\n" % (cards * domains,
                                                            cards * domains))):
        with open(os.path.join(bus, name), "w") as f:
            f.write(text)
    card_files = files(os.path.join(PLAIN, "devices/ap/card02"))
    queue_files = files(os.path.join(PLAIN, "devices/ap/card02/02.0000"))
    for a in range(cards):
        cd = os.path.join(dest, "devices/ap/card%02x" % a)
        os.makedirs(cd)
        for n, data in card_files.items():
            with open(os.path.join(cd, n), "wb") as f:
                f.write(data)
        os.symlink("../../../../devices/ap/card%02x" % a,
                   os.path.join(bus, "drivers/cex4card/card%02x" % a))
        for d in range(domains):
            q = "%02x.%04x" % (a, d)
            qd = os.path.join(cd, q)
            os.mkdir(qd)
            for n, data in queue_files.items():
                with open(os.path.join(qd, n), "wb") as f:
                    f.write(data)
            os.symlink("../../../../bus/ap/drivers/cex4queue",
                       os.path.join(qd, "driver"))
            os.symlink("../../../../devices/ap/card%02x/%s" % (a, q),
                       os.path.join(bus, "drivers/cex4queue", q))
            os.symlink("../../../devices/ap/card%02x/%s" % (a, q),
                       os.path.join(bus, "devices", q))


def bits(n):
    b = bytearray(32)
    for i in range(n):
        b[i // 8] |= 0x80 >> (i % 8)
    return b


if __name__ == "__main__":
    main(sys.argv[1], *(int(x) for x in sys.argv[2:4]))
