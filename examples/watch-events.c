/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * watch-events: print AP and vfio_ap mdev changes as they happen, one line
 * per typed event, like `udevadm monitor` but decoded.
 *
 * The kernel announces every change of the AP bus as a uevent: crypto cards
 * (adapters) and their queues (APQNs, "0a.0047" = domain 0x47 of adapter
 * 0x0a) appearing or going, being configured or set online, a queue bound
 * to another driver after the host masks `apmask`/`aqmask` changed, and
 * vfio_ap mediated devices (the guests' handles) created or removed.
 *
 *   watch-events [SECONDS]
 *
 * Stops after SECONDS (default: never; 0 = open the monitor, read what is
 * pending and stop). A management stack's loop looks the same: poll the
 * monitor's fd together with its own fds, then read events until -EAGAIN.
 *
 *   kernel  card-config 0a =0
 *   kernel  queue-bind 0a.0047 vfio_ap
 *   kernel  apmask 0xffdfff...ff   (64 hex digits)
 *   kernel  mdev-add 7e57e7e7-0000-4000-8000-00000000a0a0
 *
 * Exit status: 0, 1 with the library's message on stderr, 2 for bad usage.
 */
#include <apmatrix.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void print_event(const char *source, struct apmatrix_event *ev)
{
	const struct apmatrix_idset *mask = apmatrix_event_get_mask(ev);
	int apqn = apmatrix_event_get_apqn(ev);
	int adapter = apmatrix_event_get_adapter(ev);
	int value = apmatrix_event_get_value(ev);
	int driver = apmatrix_event_get_driver(ev);
	const char *uuid = apmatrix_event_get_uuid(ev);
	char text[80];

	printf("%-7s %s", source, apmatrix_event_get_type_name(ev));
	if (apqn >= 0)
		printf(" %02x.%04x", APMATRIX_APQN_ADAPTER(apqn),
		       APMATRIX_APQN_DOMAIN(apqn));
	else if (adapter >= 0)
		printf(" %02x", adapter);
	if (value >= 0)
		printf(" =%d", value);
	if (driver >= 0)
		printf(" %s",
		       driver == APMATRIX_DRIVER_VFIO_AP ? "vfio_ap" : "host");
	if (uuid)
		printf(" %s", uuid);
	if (mask && apmatrix_idset_format(mask, APMATRIX_SYNTAX_MASK, 0, text,
					  sizeof(text)) > 0)
		printf(" %s", text);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct apmatrix_ctx *ctx = NULL;
	struct apmatrix_monitor *mon = NULL;
	struct pollfd pfd = {.events = POLLIN};
	const char *source;
	long seconds = -1;
	time_t end = 0;
	int r, status = 1;

	if (argc > 2 || (argc == 2 && (sscanf(argv[1], "%ld", &seconds) != 1 ||
				       seconds < 0))) {
		fprintf(stderr, "usage: watch-events [SECONDS]\n");
		return 2;
	}
	if (seconds >= 0)
		end = time(NULL) + seconds;
	r = apmatrix_new(&ctx);
	if (r < 0) {
		fprintf(stderr, "watch-events: %s\n", apmatrix_strerror(r));
		return 1;
	}
	/* flags 0: udevd's events when udevd runs, else the kernel's */
	r = apmatrix_monitor_new(ctx, 0, &mon);
	if (r < 0) {
		fprintf(stderr, "watch-events: %s\n",
			apmatrix_get_diagnostic(ctx));
		goto out;
	}
	source = apmatrix_monitor_get_source(mon) == APMATRIX_MONITOR_UDEV
			 ? "udev"
			 : "kernel";
	pfd.fd = apmatrix_monitor_get_fd(mon);
	for (;;) {
		struct apmatrix_event *ev = NULL;
		int wait_ms = -1;

		/* drain: several uevents may be behind one wakeup */
		while ((r = apmatrix_monitor_read_event(mon, 0, &ev)) == 0) {
			print_event(source, ev);
			apmatrix_event_unref(ev);
		}
		if (r == -ENOBUFS) {
			/* events were lost: a real program reads the host
			 * state again here (apmatrix_host_read) */
			fprintf(stderr, "watch-events: %s\n",
				apmatrix_get_diagnostic(ctx));
			continue;
		}
		if (r != -EAGAIN) {
			fprintf(stderr, "watch-events: %s\n",
				apmatrix_get_diagnostic(ctx));
			goto out;
		}
		if (seconds >= 0) {
			time_t now = time(NULL);

			if (now >= end)
				break;
			wait_ms = (int)(end - now) * 1000;
		}
		if (poll(&pfd, 1, wait_ms) < 0 && errno != EINTR) {
			perror("watch-events: poll");
			goto out;
		}
	}
	status = 0;
out:
	apmatrix_monitor_unref(mon);
	apmatrix_unref(ctx);
	return status;
}
