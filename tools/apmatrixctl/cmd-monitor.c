/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl monitor: the library's change events as they come, one line
 * each (or one JSON object a line).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"

enum { OPT_COUNT = CTL_OPT_VERB, OPT_TIMEOUT, OPT_SOURCE };

struct mon_opts {
	long count;   /* stop after this many events; 0: never */
	long timeout; /* stop after this many seconds; 0: never */
	unsigned int source;
};

static int mon_opt(struct ctl *ctl, int c, const char *arg, void *data)
{
	struct mon_opts *o = data;
	char *end;

	switch (c) {
	case OPT_COUNT:
	case OPT_TIMEOUT:
		errno = 0;
		*(c == OPT_COUNT ? &o->count : &o->timeout) =
			strtol(arg, &end, 10);
		if (errno || *end || end == arg ||
		    *(c == OPT_COUNT ? &o->count : &o->timeout) < 1)
			return ctl_usage_err(
				ctl, "--%s %s: give a positive number",
				c == OPT_COUNT ? "count" : "timeout", arg);
		return 0;
	case OPT_SOURCE:
		if (!strcmp(arg, "kernel"))
			o->source = APMATRIX_MONITOR_KERNEL;
		else if (!strcmp(arg, "udev"))
			o->source = APMATRIX_MONITOR_UDEV;
		else
			return ctl_usage_err(
				ctl, "--source %s: give kernel or udev", arg);
		return 0;
	default:
		return CTL_EXIT_USAGE;
	}
}

static void print_event(struct ctl *ctl, const struct apmatrix_event *ev)
{
	const struct apmatrix_idset *mask = apmatrix_event_get_mask(ev);
	const char *uuid = apmatrix_event_get_uuid(ev);
	int apqn = apmatrix_event_get_apqn(ev);
	int adapter = apmatrix_event_get_adapter(ev);
	int value = apmatrix_event_get_value(ev);
	int driver = apmatrix_event_get_driver(ev);
	int type = apmatrix_event_get_type(ev);
	char when[32], buf[80];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	if (ctl->json) {
		struct json_object *o = json_object_new_object();

		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
		json_object_object_add(o, "time", json_object_new_string(buf));
		json_object_object_add(
			o, "type",
			json_object_new_string(
				apmatrix_event_get_type_name(ev)));
		if (adapter >= 0)
			json_object_object_add(o, "adapter",
					       json_object_new_int(adapter));
		if (apqn >= 0) {
			apmatrix_apqn_format((unsigned int)apqn, 0, buf,
					     sizeof(buf));
			json_object_object_add(o, "apqn",
					       json_object_new_string(buf));
		}
		if (value >= 0)
			json_object_object_add(o, "value",
					       json_object_new_int(value));
		if (driver >= 0)
			json_object_object_add(
				o, "driver",
				json_object_new_string(
					ctl_driver_name(driver)));
		if (uuid)
			json_object_object_add(o, "uuid",
					       json_object_new_string(uuid));
		if (mask)
			json_object_object_add(o, "mask", ctl_json_ids(mask));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		return;
	}
	printf("%s %-17s", when, apmatrix_event_get_type_name(ev));
	if (apqn >= 0) {
		apmatrix_apqn_format((unsigned int)apqn, 0, buf, sizeof(buf));
		printf(" %s", buf);
	} else if (adapter >= 0) {
		printf(" card %02x", adapter);
	}
	if (uuid)
		printf(" %s", uuid);
	if (value >= 0) {
		if (type == APMATRIX_EVENT_BINDINGS_COMPLETE)
			printf(" (scan %d)", value);
		else if (type == APMATRIX_EVENT_CARD_ONLINE ||
			 type == APMATRIX_EVENT_QUEUE_ONLINE)
			printf(" %s", value ? "online" : "offline");
		else
			printf(" %s", value ? "configured" : "deconfigured");
	}
	if (driver >= 0)
		printf(" to %s", ctl_driver_name(driver));
	if (mask) {
		char ids[1024];

		/* The IDs the host keeps: what is left goes to vfio_ap. */
		ctl_format_ids(mask, type == APMATRIX_EVENT_AQMASK, ids,
			       sizeof(ids));
		printf(" host keeps %s", ids);
	}
	putchar('\n');
}

static int run_monitor(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{"count", required_argument, NULL, OPT_COUNT},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"source", required_argument, NULL, OPT_SOURCE},
		CTL_COMMON_OPTIONS,
		{NULL, 0, NULL, 0}};
	struct apmatrix_monitor *mon = NULL;
	struct mon_opts o = {0};
	struct timespec start, now;
	long seen = 0;
	int first, r;

	first = ctl_parse(ctl, argc, argv, opts, mon_opt, &o);
	if (first < 0)
		return -first - 1;
	r = ctl_operands(ctl, argc, first, 0, 0);
	if (r)
		return r;
	r = apmatrix_monitor_new(ctl->ctx, o.source, &mon);
	if (r < 0)
		return ctl_lib_err(ctl, r,
				   r == -EPERM || r == -EACCES
					   ? "listening to uevents needs root"
					   : NULL,
				   "cannot listen for events");
	/* One line per event, even into a pipe or a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ctl_progress(ctl, "monitor: listening to %s events (Ctrl-C ends)",
		     apmatrix_monitor_get_source(mon) == APMATRIX_MONITOR_UDEV
			     ? "udevd's"
			     : "the kernel's");
	clock_gettime(CLOCK_MONOTONIC, &start);
	r = CTL_EXIT_OK;
	while (!o.count || seen < o.count) {
		struct pollfd pfd = {apmatrix_monitor_get_fd(mon), POLLIN, 0};
		struct apmatrix_event *ev = NULL;
		int wait = -1, e;

		if (o.timeout) {
			long ms;

			clock_gettime(CLOCK_MONOTONIC, &now);
			ms = o.timeout * 1000 -
			     ((now.tv_sec - start.tv_sec) * 1000 +
			      (now.tv_nsec - start.tv_nsec) / 1000000);
			if (ms <= 0)
				break;
			wait = (int)ms;
		}
		e = apmatrix_monitor_read_event(mon, 0, &ev);
		if (e == -EAGAIN) {
			if (poll(&pfd, 1, wait) < 0 && errno != EINTR) {
				ctl_err(ctl, NULL, "poll: %s", strerror(errno));
				r = CTL_EXIT_FAILED;
				break;
			}
			continue;
		}
		if (e == -ENOBUFS) {
			fprintf(stderr,
				"apmatrixctl monitor: warning: events were "
				"lost; 'apmatrixctl list' shows the "
				"state now\n");
			continue;
		}
		if (e < 0) {
			r = ctl_lib_err(ctl, e, NULL, "reading events");
			break;
		}
		print_event(ctl, ev);
		apmatrix_event_unref(ev);
		seen++;
	}
	apmatrix_monitor_unref(mon);
	return r;
}

const struct ctl_verb ctl_verb_monitor = {
	"monitor", "change events as they come (cards, queues, masks, mdevs)",
	"monitor [--json] [--count N] [--timeout SEC] [--source kernel|udev]",
	run_monitor};
