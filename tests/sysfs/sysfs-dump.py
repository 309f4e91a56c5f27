#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""sysfs-dump.py ROOT: the facts host-dump prints, read from the sysfs tree
ROOT independently of libapmatrix (plain file reads, its own parsing), so
the two can be compared line for line. "?" = the tree does not say."""
import os
import re
import sys

ROOT = sys.argv[1]
ALL1 = (1 << 256) - 1
# A matrix text this long may have been cut by the kernel at the page
# (more than 511 "AA.DDDD" lines): it says nothing reliable.
PAGE_CUT = 4088


def read(rel):
    try:
        with open(os.path.join(ROOT, rel)) as f:
            return f.read()
    except FileNotFoundError:
        return None


def hexmask(bits):
    return "0x%064x" % bits


def bit(i):
    return 1 << (255 - i)


def parse_mask(text):
    t = text.strip()
    if t.startswith("0x"):
        t = t[2:]
    return int(t.ljust(64, "0"), 16)


def ids_mask(ids):
    m = 0
    for i in ids:
        m |= bit(i)
    return m


def tri(v):
    return "?" if v is None else v.strip()


out = []
ba = "bus/ap/"
amax, dmax = read(ba + "ap_max_adapter_id"), read(ba + "ap_max_domain_id")
out.append("limits ?" if amax is None or dmax is None else
           "limits %d %d" % (int(amax), int(dmax)))

feat = {}
bus_features = read(ba + "features")
if bus_features is not None:
    toks = bus_features.split()
    feat["qci"] = "0" if toks == ["-"] else "1"
    for name in ("APXA", "APSC", "QACT", "RC8A", "APSB"):
        feat[name.lower()] = "1" if name in toks else "0"
matrix_dir = os.path.join(ROOT, "devices/vfio_ap/matrix")
feat["vfio_ap"] = "1" if os.path.isdir(matrix_dir) else "0"
mf = read("devices/vfio_ap/matrix/features") if feat["vfio_ap"] == "1" else None
if mf is not None:
    for name in ("guest_matrix", "hotplug", "ap_config"):
        feat[name] = "1" if name in mf.split() else "0"

# Queues and drivers.
cards = sorted(int(n[4:], 16) for n in os.listdir(os.path.join(ROOT, "devices/ap"))
               if re.fullmatch(r"card[0-9a-f]{2}", n))
queues = {}
for a in cards:
    for n in sorted(os.listdir(os.path.join(ROOT, "devices/ap/card%02x" % a))):
        if re.fullmatch(r"[0-9a-f]{2}\.[0-9a-f]{4}", n) and int(n[:2], 16) == a:
            queues[(a, int(n[3:], 16))] = "devices/ap/card%02x/%s/" % (a, n)
driver = {}
ddir = os.path.join(ROOT, ba + "drivers")
for d in sorted(os.listdir(ddir)) if os.path.isdir(ddir) else []:
    for n in os.listdir(os.path.join(ddir, d)):
        if re.fullmatch(r"[0-9a-f]{2}\.[0-9a-f]{4}", n):
            driver[(int(n[:2], 16), int(n[3:], 16))] = \
                "vfio_ap" if d == "vfio_ap" else "default"

masks = {}
for name in ("apmask", "aqmask"):
    t = read(ba + name)
    masks[name] = None if t is None else parse_mask(t)
overrides_possible = masks["apmask"] == ALL1 and masks["aqmask"] == ALL1
if queues:
    first = min(queues)
    has_override = os.path.exists(os.path.join(ROOT, queues[first] + "driver_override"))
    feat["driver_override"] = "1" if has_override else "0"
order = ("qci", "apxa", "apsc", "qact", "rc8a", "apsb", "vfio_ap",
         "guest_matrix", "hotplug", "ap_config", "driver_override")
out.append("features " + " ".join("%s %s" % (n, feat.get(n, "?")) for n in order))

for name in ("apmask", "aqmask"):
    out.append("%s %s" % (name, "?" if masks[name] is None else hexmask(masks[name])))
for name, attr in (("adapter_mask", "ap_adapter_mask"),
                   ("usage_domain_mask", "ap_usage_domain_mask"),
                   ("control_domain_mask", "ap_control_domain_mask")):
    t = read(ba + attr)
    if t is None:
        out.append(name + " ?")
    elif t == "not supported\n":
        out.append("%s %s" % (name, hexmask(0)))
    else:
        out.append("%s %s" % (name, hexmask(parse_mask(t))))
b = read(ba + "bindings")
if b is None:
    out.append("bindings ?")
else:
    m = re.fullmatch(r"(\d+)/(\d+)( \(complete\))?\n", b)
    out.append("bindings %s/%s%s" % (m.group(1), m.group(2),
                                     " complete" if m.group(3) else ""))

qlines, uses = [], 0
for (a, d), path in sorted(queues.items()):
    drv = driver.get((a, d), "none")
    online = read(path + "online") if drv == "default" else None
    status = read(path + "status") if drv == "vfio_ap" else None
    if overrides_possible and feat.get("driver_override") == "1":
        o = read(path + "driver_override")
        o = "?" if o is None else (o.strip() or "-")
    elif feat.get("driver_override") == "1":
        o = "-"
    else:
        o = "?"
    if o not in ("?", "-"):
        uses = 1
    qlines.append("queue %02x.%04x driver %s online %s config %s chkstop %s "
                  "status %s override %s" % (
                      a, d, drv, tri(online), tri(read(path + "config")),
                      tri(read(path + "chkstop")),
                      "?" if status is None else status.strip().replace(" ", "_"),
                      o))
out.append("uses_driver_override %d" % uses)

for a in cards:
    p = "devices/ap/card%02x/" % a
    f = read(p + "ap_functions")
    t = read(p + "type")
    mode = "?"
    if f is not None:
        fv = int(f, 16)
        for b_, name in ((4, "accel"), (3, "cca"), (5, "ep11")):
            if fv & (0x80000000 >> b_):
                mode = name
                break
    if mode == "?" and t is not None:
        mode = {"A": "accel", "C": "cca", "P": "ep11"}.get(t.strip()[-1:], "?")
    out.append("card %02x hwtype %s raw_hwtype %s type %s mode %s functions %s "
               "online %s config %s chkstop %s queues %d" % (
                   a, tri(read(p + "hwtype")), tri(read(p + "raw_hwtype")),
                   tri(t), mode,
                   "?" if f is None else "0x%08x" % int(f, 16),
                   tri(read(p + "online")), tri(read(p + "config")),
                   tri(read(p + "chkstop")),
                   sum(1 for q in queues if q[0] == a)))
out.extend(qlines)


def sysfs_matrix(text):
    apm = aqm = 0
    for line in text.split("\n"):
        if not line:
            continue
        ad, dom = line.split(".")
        if ad:
            apm |= bit(int(ad, 16))
        if dom:
            aqm |= bit(int(dom, 16))
    return apm, aqm


if feat["vfio_ap"] == "1":
    for u in sorted(n for n in os.listdir(matrix_dir)
                    if re.fullmatch(r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", n)):
        p = "devices/vfio_ap/matrix/%s/" % u
        c = read(p + "ap_config")
        if c is not None:
            live = ",".join(hexmask(parse_mask(x)) for x in c.strip().split(","))
        else:
            m = read(p + "matrix")
            if m is None:
                continue  # removed while being read
            apm, aqm = sysfs_matrix(m)
            adm = ids_mask(int(x, 16) for x in read(p + "control_domains").split())
            live = "%s,%s,%s" % (hexmask(apm), hexmask(aqm), hexmask(adm))
            if len(m) >= PAGE_CUT:
                live = "?"
        g = read(p + "guest_matrix")
        guest = "?" if g is None or len(g) >= PAGE_CUT else \
            "%s,%s" % tuple(map(hexmask, sysfs_matrix(g)))
        out.append("mdev %s live %s guest %s" % (u, live, guest))

print("\n".join(out))
