#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""watch_events.py: print AP and vfio_ap changes as they happen, one line
per typed event (a card or queue added or removed, a queue bound to
another driver after an apmask/aqmask change, an mdev created, ...).

    watch_events.py [SECONDS]

Stops after SECONDS (default: never; 0 = read what is pending and stop).
The monitor is file-like: a program registers it with its own selector
next to its other fds and, when it is readable, reads every pending event.
Exit status 0, 1 with the library's message, 2 for bad usage.
"""
import errno
import selectors
import sys
import time

import apmatrix


def main(argv):
    try:
        seconds = float(argv[1]) if len(argv) > 1 else None
        if len(argv) > 2 or (seconds is not None and seconds < 0):
            raise ValueError
    except ValueError:
        print("usage: watch_events.py [SECONDS]", file=sys.stderr)
        return 2
    end = None if seconds is None else time.monotonic() + seconds
    with apmatrix.Monitor() as monitor, selectors.DefaultSelector() as sel:
        sel.register(monitor, selectors.EVENT_READ)
        source = monitor.source.name.lower()   # udev, or kernel without udevd
        while True:
            try:
                for event in monitor:           # every pending event
                    print(f"{source:7} {event}", flush=True)
            except apmatrix.ApmatrixError as e:
                if e.errno != errno.ENOBUFS:
                    raise
                # events were lost: a real program reads the host again
                print(f"watch_events.py: {e}", file=sys.stderr)
                continue
            timeout = None if end is None else end - time.monotonic()
            if timeout is not None and timeout <= 0:
                return 0
            sel.select(timeout)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except apmatrix.ApmatrixError as e:
        print(f"watch_events.py: {e}", file=sys.stderr)
        sys.exit(1)
