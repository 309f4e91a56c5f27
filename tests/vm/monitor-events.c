// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * monitor-events SOURCE: in the kernel-tier guest (module loaded with its
 * default topology: cards 0-5, usage domains 0-5 and 0x47, masks all ones,
 * no mdevs), open a change-event monitor, make each kind of change through
 * the simulator's debugfs ctl and sysfs, poll, and compare the typed events
 * with the ones that change must produce.
 *
 * SOURCE: kernel, udev or auto (0: the library chooses; the test passes
 * the source it expects as a second argument then). With the kernel source
 * the order must be exactly the kernel's; udevd may reorder events of
 * unrelated devices, so with the udev source each step's events are
 * compared as a multiset.
 *
 * Prints one line per step (events, time from the change to the last
 * event), then "monitor-events: N events in M steps, ok" or the first
 * mismatch; exit status 0 or 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apmatrix.h"

#define CTL "/sys/kernel/debug/vfio_ap_sim/ctl"
#define TYPE_CREATE                                                            \
	"/sys/devices/vfio_ap/matrix/mdev_supported_types/"                    \
	"vfio_ap-passthrough/create"
#define UUID "7e57e7e7-0000-4000-8000-00000000a0a0"
#define CARD 0x0a
#define MAX_EVENTS 64
/* quiet time after the expected events, to catch extra ones */
#define QUIET_MS 150
#define STEP_TIMEOUT_MS 10000

static const unsigned int domains[] = {0, 1, 2, 3, 4, 5, 0x47};
#define NDOM (sizeof(domains) / sizeof(domains[0]))

static struct apmatrix_monitor *mon;
static int ordered;
static char want[MAX_EVENTS][160];
static int nwant;
static int total_events;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	printf("monitor-events: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

static void sysfs_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	n = write(fd, text, strlen(text));
	if (n != (ssize_t)strlen(text))
		die("write of \"%s\" failed: %s", text,
		    strerror(n < 0 ? errno : EIO));
	close(fd);
}

/* One event as a line, the form expectations are written in. */
static void describe(const struct apmatrix_event *ev, char *buf, size_t size)
{
	const struct apmatrix_idset *mask = apmatrix_event_get_mask(ev);
	int apqn = apmatrix_event_get_apqn(ev);
	int n;

	n = snprintf(buf, size, "%s", apmatrix_event_get_type_name(ev));
	if (apqn >= 0)
		n += snprintf(buf + n, size - n, " %02x.%04x",
			      APMATRIX_APQN_ADAPTER(apqn),
			      APMATRIX_APQN_DOMAIN(apqn));
	else if (apmatrix_event_get_adapter(ev) >= 0)
		n += snprintf(buf + n, size - n, " %02x",
			      apmatrix_event_get_adapter(ev));
	if (apmatrix_event_get_value(ev) >= 0 &&
	    apmatrix_event_get_type(ev) != APMATRIX_EVENT_BINDINGS_COMPLETE)
		n += snprintf(buf + n, size - n, " =%d",
			      apmatrix_event_get_value(ev));
	if (apmatrix_event_get_driver(ev) >= 0)
		n += snprintf(buf + n, size - n, " %s",
			      apmatrix_event_get_driver(ev) ==
					      APMATRIX_DRIVER_VFIO_AP
				      ? "vfio_ap"
				      : "host");
	if (apmatrix_event_get_uuid(ev))
		n += snprintf(buf + n, size - n, " %s",
			      apmatrix_event_get_uuid(ev));
	if (mask) {
		n += snprintf(buf + n, size - n, " ");
		apmatrix_idset_format(mask, APMATRIX_SYNTAX_MASK, 0, buf + n,
				      size - n);
	}
}

static void expect(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void expect(const char *fmt, ...)
{
	va_list ap;

	if (nwant >= MAX_EVENTS)
		die("too many expected events");
	va_start(ap, fmt);
	vsnprintf(want[nwant++], sizeof(want[0]), fmt, ap);
	va_end(ap);
}

static void expect_queues(const char *what, unsigned int card, int value)
{
	for (size_t i = 0; i < NDOM; i++)
		expect("%s %02x.%04x =%d", what, card, domains[i], value);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static unsigned int last_bindings_count;

/* Make the change, then read until the expected events came and it is
 * quiet; compare. */
static void step(const char *name, const char *path, const char *text)
{
	static char got[MAX_EVENTS + 8][160];
	long long t0, tlast = 0, deadline;
	int ngot = 0;
	struct pollfd pfd = {.fd = apmatrix_monitor_get_fd(mon),
			     .events = POLLIN};

	t0 = now_ms();
	sysfs_write(path, text);
	deadline = t0 + STEP_TIMEOUT_MS;
	for (;;) {
		struct apmatrix_event *ev = NULL;
		long long now = now_ms();
		int wait, r;

		if (now >= deadline)
			break;
		wait = ngot >= nwant ? QUIET_MS : (int)(deadline - now);
		r = poll(&pfd, 1, wait);
		if (r == 0 && ngot >= nwant)
			break;
		if (r < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		while ((r = apmatrix_monitor_read_event(mon, 0, &ev)) == 0) {
			if (ngot < MAX_EVENTS + 8) {
				describe(ev, got[ngot], sizeof(got[0]));
				if (apmatrix_event_get_type(ev) ==
				    APMATRIX_EVENT_BINDINGS_COMPLETE) {
					unsigned int c = (unsigned int)
						apmatrix_event_get_value(ev);

					if (last_bindings_count &&
					    c != last_bindings_count + 1)
						die("bindings-complete count "
						    "%u, want %u",
						    c, last_bindings_count + 1);
					last_bindings_count = c;
				}
				ngot++;
			}
			tlast = now_ms();
			apmatrix_event_unref(ev);
		}
		if (r != -EAGAIN)
			die("read_event: %s (%s)", apmatrix_strerror(r),
			    apmatrix_get_diagnostic(
				    apmatrix_monitor_get_ctx(mon)));
	}
	if (!ordered) {
		qsort(want, (size_t)nwant, sizeof(want[0]), cmp);
		qsort(got, (size_t)ngot, sizeof(got[0]), cmp);
	}
	for (int i = 0; i < nwant || i < ngot; i++) {
		if (i < nwant && i < ngot && strcmp(want[i], got[i]) == 0)
			continue;
		printf("monitor-events: step %s: event %d:\n", name, i);
		for (int j = 0; j < nwant || j < ngot; j++)
			printf("  %-70s | %s\n", j < nwant ? want[j] : "-",
			       j < ngot ? got[j] : "-");
		die("step %s: events differ (want | got)", name);
	}
	printf("monitor-events: %-16s %2d events, last after %3lld ms\n", name,
	       ngot, ngot ? tlast - t0 : 0);
	total_events += ngot;
	nwant = 0;
}

int main(int argc, char **argv)
{
	const char *src = argc > 1 ? argv[1] : "auto";
	struct apmatrix_ctx *ctx = NULL;
	unsigned int flags = 0;
	int want_source, steps = 0, r;
	char path[256];

	if (strcmp(src, "kernel") == 0)
		flags = want_source = APMATRIX_MONITOR_KERNEL;
	else if (strcmp(src, "udev") == 0)
		flags = want_source = APMATRIX_MONITOR_UDEV;
	else if (strcmp(src, "auto") == 0 && argc > 2)
		want_source = strcmp(argv[2], "udev") == 0
				      ? APMATRIX_MONITOR_UDEV
				      : APMATRIX_MONITOR_KERNEL;
	else
		die("usage: monitor-events kernel|udev|auto [kernel|udev]");
	if (apmatrix_new(&ctx) < 0)
		die("apmatrix_new");
	r = apmatrix_monitor_new(ctx, flags, &mon);
	if (r < 0)
		die("monitor_new: %s", apmatrix_get_diagnostic(ctx));
	if (apmatrix_monitor_get_source(mon) != want_source)
		die("source %s, want %s",
		    apmatrix_monitor_get_source(mon) == APMATRIX_MONITOR_UDEV
			    ? "udev"
			    : "kernel",
		    want_source == APMATRIX_MONITOR_UDEV ? "udev" : "kernel");
	ordered = want_source == APMATRIX_MONITOR_KERNEL;
	/* a card enters the configuration: card, queues, host drivers */
	expect("card-add %02x", CARD);
	for (size_t i = 0; i < NDOM; i++) {
		expect("queue-add %02x.%04x", CARD, domains[i]);
		expect("queue-bind %02x.%04x host", CARD, domains[i]);
	}
	expect("bindings-complete");
	step("add_card", CTL, "add_card 0x0a CEX8C"), steps++;

	/* SCLP deconfigure/configure: the card and each of its queues */
	expect("card-config %02x =0", CARD);
	expect_queues("queue-config", CARD, 0);
	step("config 0", CTL, "config 0x0a 0"), steps++;
	expect("card-config %02x =1", CARD);
	expect_queues("queue-config", CARD, 1);
	step("config 1", CTL, "config 0x0a 1"), steps++;

	/* zcrypt online: the card and each of its queues */
	expect("card-online %02x =0", CARD);
	expect_queues("queue-online", CARD, 0);
	step("online 0", CTL, "online 0x0a 0"), steps++;
	expect("card-online %02x =1", CARD);
	expect_queues("queue-online", CARD, 1);
	step("online 1", CTL, "online 0x0a 1"), steps++;

	/* adapter 0x0a to vfio_ap: its queues rebind, then the mask event */
	for (size_t i = 0; i < NDOM; i++) {
		expect("queue-unbind %02x.%04x", CARD, domains[i]);
		expect("queue-bind %02x.%04x vfio_ap", CARD, domains[i]);
	}
	expect("apmask 0xffdfffffffffffffffffffffffffffffffffffffffffffffffffff"
	       "ffffffffff");
	step("apmask -0x0a", "/sys/bus/ap/apmask", "-0x0a"), steps++;

	/* domain 5 to vfio_ap on the cards still with the host */
	for (unsigned int c = 0; c <= 5; c++) {
		expect("queue-unbind %02x.%04x", c, 5);
		expect("queue-bind %02x.%04x vfio_ap", c, 5);
	}
	expect("aqmask 0xfbffffffffffffffffffffffffffffffffffffffffffffffffffff"
	       "ffffffffff");
	step("aqmask -5", "/sys/bus/ap/aqmask", "-5"), steps++;

	/* back to the host */
	for (unsigned int c = 0; c <= 5; c++) {
		expect("queue-unbind %02x.%04x", c, 5);
		expect("queue-bind %02x.%04x host", c, 5);
	}
	expect("aqmask 0xffffffffffffffffffffffffffffffffffffffffffffffffffff"
	       "ffffffffffff");
	step("aqmask +5", "/sys/bus/ap/aqmask", "+5"), steps++;

	/* mdev create and remove */
	expect("mdev-add " UUID);
	step("mdev create", TYPE_CREATE, UUID), steps++;
	expect("mdev-remove " UUID);
	snprintf(path, sizeof(path), "/sys/devices/vfio_ap/matrix/%s/remove",
		 UUID);
	step("mdev remove", path, "1"), steps++;

	/* a bus scan that finds everything bound */
	expect("bindings-complete");
	step("rescan", CTL, "rescan"), steps++;

	/* the card leaves the configuration */
	for (size_t i = 0; i < NDOM; i++) {
		expect("queue-unbind %02x.%04x", CARD, domains[i]);
		expect("queue-remove %02x.%04x", CARD, domains[i]);
	}
	expect("card-remove %02x", CARD);
	expect("bindings-complete");
	step("remove_card", CTL, "remove_card 0x0a"), steps++;

	/* the adapter's bit back; nothing to rebind without the card */
	expect("apmask 0xffffffffffffffffffffffffffffffffffffffffffffffffffff"
	       "ffffffffffff");
	step("apmask +0x0a", "/sys/bus/ap/apmask", "+0x0a"), steps++;
	/* a write that changes nothing sends nothing */
	step("apmask no-op", "/sys/bus/ap/apmask", "+0x0a"), steps++;

	printf("monitor-events: %d events in %d steps from the %s source, ok\n",
	       total_events, steps,
	       want_source == APMATRIX_MONITOR_UDEV ? "udev" : "kernel");
	apmatrix_monitor_unref(mon);
	apmatrix_unref(ctx);
	return 0;
}
