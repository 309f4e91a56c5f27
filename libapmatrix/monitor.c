// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Change events: the kernel's uevents of the AP bus and of vfio_ap mdevs,
 * read through libudev (the only use of libudev in the library) and
 * decoded into typed events. The caller polls the monitor's fd and reads;
 * there are no threads and no callbacks.
 *
 * What the kernel sends (mainline ap_bus.c, ap_card.c, zcrypt_*.c and the
 * driver core; the simulator in kernel/ sends the same):
 * - SUBSYSTEM=ap, DEVTYPE=ap_card, devpath /devices/ap/cardXX: add, remove,
 *   bind/unbind (cex4card), change with CONFIG=0|1 (SCLP configure, also on
 *   every write of `config`) or ONLINE=0|1 (zcrypt online);
 * - SUBSYSTEM=ap, DEVTYPE=ap_queue, devpath /devices/ap/cardXX/XX.YYYY: the
 *   same, and bind/unbind with DRIVER=cex4queue or vfio_ap when a mask
 *   change moves the queue between the host and vfio_ap;
 * - SUBSYSTEM=ap, devpath /devices/ap (the bus root, no DEVTYPE): change
 *   with APMASK=0x<64 hex> or AQMASK=... (the kernel puts a newline inside
 *   the value), BINDINGS=complete with COMPLETECOUNT=<n>, INITSCAN=done;
 * - SUBSYSTEM=mdev, devpath /devices/vfio_ap/matrix/<uuid>: add, bind
 *   (vfio_ap_mdev), unbind, remove. vfio_ap itself sends no uevent.
 *
 * Source: libudev can listen to the kernel's netlink group ("kernel") or to
 * udevd's re-broadcast after its rules ran ("udev"). The udev source is
 * what udev-aware programs should use when udevd runs (events arrive after
 * rules, e.g. device nodes and 41-ap.rules, are done); without udevd it
 * stays silent forever. So the default is udev when udevd runs (its control
 * socket <run root>/udev/control exists) and kernel otherwise (minimal
 * hosts, containers without udevd, the test guest). The properties are the
 * same either way.
 */
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apmatrix-internal.h"
#include "check-internal.h"
#include "text.h"

#define MATRIX_DEVPATH "/devices/vfio_ap/matrix/"
#define AP_ROOT_DEVPATH "/devices/ap"
/* A burst (an apmask change on a big host rebinds thousands of queues)
 * must not overflow the socket. */
#define MONITOR_RCVBUF (16 * 1024 * 1024)

struct apmatrix_monitor {
	int refcount;
	struct apmatrix_ctx *ctx;
	struct udev *udev;
	struct udev_monitor *mon;
	int source;
};

struct apmatrix_event {
	int refcount;
	struct apmatrix_ctx *ctx;
	int type;
	int adapter; /* -1 when none */
	int apqn;    /* -1 when none */
	int value;   /* -1 when none */
	int driver;  /* -1 when none */
	char uuid[APMATRIX_UUID_LEN + 1];
	int has_mask;
	struct apmatrix_idset mask;
};

static const char *const type_names[] = {
	[APMATRIX_EVENT_CARD_ADD] = "card-add",
	[APMATRIX_EVENT_CARD_REMOVE] = "card-remove",
	[APMATRIX_EVENT_CARD_CONFIG] = "card-config",
	[APMATRIX_EVENT_CARD_ONLINE] = "card-online",
	[APMATRIX_EVENT_QUEUE_ADD] = "queue-add",
	[APMATRIX_EVENT_QUEUE_REMOVE] = "queue-remove",
	[APMATRIX_EVENT_QUEUE_CONFIG] = "queue-config",
	[APMATRIX_EVENT_QUEUE_ONLINE] = "queue-online",
	[APMATRIX_EVENT_QUEUE_BIND] = "queue-bind",
	[APMATRIX_EVENT_QUEUE_UNBIND] = "queue-unbind",
	[APMATRIX_EVENT_APMASK] = "apmask",
	[APMATRIX_EVENT_AQMASK] = "aqmask",
	[APMATRIX_EVENT_BINDINGS_COMPLETE] = "bindings-complete",
	[APMATRIX_EVENT_MDEV_ADD] = "mdev-add",
	[APMATRIX_EVENT_MDEV_REMOVE] = "mdev-remove",
};

static int udevd_running(const struct apmatrix_ctx *ctx)
{
	const char *root = ctx->roots[APMATRIX_ROOT_RUN];
	char path[4096];

	snprintf(path, sizeof(path), "%s/udev/control",
		 strcmp(root, "/") == 0 ? "" : root);
	return access(path, F_OK) == 0;
}

APMATRIX_EXPORT int apmatrix_monitor_new(struct apmatrix_ctx *ctx,
					 unsigned int flags,
					 struct apmatrix_monitor **ret)
{
	const unsigned int sources =
		APMATRIX_MONITOR_KERNEL | APMATRIX_MONITOR_UDEV;
	struct apmatrix_monitor *m;
	int r;

	if (!ctx)
		return -EINVAL;
	apmatrix_diag_clear(ctx);
	if (!ret)
		return apmatrix_diag(ctx, -EINVAL, "monitor_new: NULL ret");
	if (!apmatrix_flags_ok(flags, sources))
		return apmatrix_diag(ctx, -EINVAL, "unknown monitor flags 0x%x",
				     flags & ~sources);
	if (flags == sources)
		return apmatrix_diag(ctx, -EINVAL,
				     "monitor flags: choose one source, "
				     "APMATRIX_MONITOR_KERNEL or "
				     "APMATRIX_MONITOR_UDEV, not both");
	m = calloc(1, sizeof(*m));
	if (!m)
		return apmatrix_diag(ctx, -ENOMEM,
				     "monitor_new: out of memory");
	m->refcount = 1;
	m->ctx = apmatrix_ref(ctx);
	m->source = flags                ? (int)flags
		    : udevd_running(ctx) ? APMATRIX_MONITOR_UDEV
					 : APMATRIX_MONITOR_KERNEL;
	m->udev = udev_new();
	if (!m->udev) {
		r = apmatrix_diag(ctx, errno ? -errno : -ENOMEM,
				  "cannot create a libudev context");
		goto fail;
	}
	m->mon = udev_monitor_new_from_netlink(
		m->udev,
		m->source == APMATRIX_MONITOR_UDEV ? "udev" : "kernel");
	if (!m->mon) {
		r = apmatrix_diag(ctx, errno ? -errno : -ENOMEM,
				  "cannot open a %s uevent monitor: %s",
				  m->source == APMATRIX_MONITOR_UDEV ? "udev"
								     : "kernel",
				  strerror(errno ? errno : ENOMEM));
		goto fail;
	}
	if (udev_monitor_filter_add_match_subsystem_devtype(m->mon, "ap",
							    NULL) < 0 ||
	    udev_monitor_filter_add_match_subsystem_devtype(m->mon, "mdev",
							    NULL) < 0) {
		r = apmatrix_diag(ctx, -ENOMEM,
				  "cannot set the uevent monitor filter");
		goto fail;
	}
	/* A smaller buffer (no CAP_NET_ADMIN) still works until a burst. */
	if (udev_monitor_set_receive_buffer_size(m->mon, MONITOR_RCVBUF) < 0)
		dbg(ctx, "uevent receive buffer stays at the default");
	r = udev_monitor_enable_receiving(m->mon);
	if (r < 0) {
		r = apmatrix_diag(ctx, r, "cannot listen for uevents: %s",
				  strerror(-r));
		goto fail;
	}
	dbg(ctx, "uevent monitor on the %s source, fd %d",
	    m->source == APMATRIX_MONITOR_UDEV ? "udev" : "kernel",
	    udev_monitor_get_fd(m->mon));
	*ret = m;
	return 0;
fail:
	apmatrix_monitor_unref(m);
	return r;
}

APMATRIX_EXPORT struct apmatrix_monitor *
apmatrix_monitor_ref(struct apmatrix_monitor *monitor)
{
	if (monitor)
		monitor->refcount++;
	return monitor;
}

APMATRIX_EXPORT struct apmatrix_monitor *
apmatrix_monitor_unref(struct apmatrix_monitor *monitor)
{
	if (!monitor || --monitor->refcount > 0)
		return NULL;
	udev_monitor_unref(monitor->mon);
	udev_unref(monitor->udev);
	apmatrix_unref(monitor->ctx);
	free(monitor);
	return NULL;
}

APMATRIX_EXPORT struct apmatrix_ctx *
apmatrix_monitor_get_ctx(const struct apmatrix_monitor *monitor)
{
	return monitor ? monitor->ctx : NULL;
}

APMATRIX_EXPORT int
apmatrix_monitor_get_fd(const struct apmatrix_monitor *monitor)
{
	if (!monitor)
		return -EINVAL;
	return udev_monitor_get_fd(monitor->mon);
}

APMATRIX_EXPORT int
apmatrix_monitor_get_source(const struct apmatrix_monitor *monitor)
{
	return monitor ? monitor->source : -EINVAL;
}

/* ------------------------------------------------------------ decoding */

static void event_owner_ref(void *owner)
{
	apmatrix_event_ref(owner);
}

static void event_owner_unref(void *owner)
{
	apmatrix_event_unref(owner);
}

/* "0" or "1" (a trailing newline allowed) -> 0/1, or -1. */
static int parse_bool(const char *s)
{
	if (!s || (s[0] != '0' && s[0] != '1') ||
	    (s[1] != '\0' && strcmp(s + 1, "\n") != 0))
		return -1;
	return s[0] - '0';
}

static int parse_count(const char *s)
{
	unsigned long long v = 0;

	if (!s || *s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > 0x7fffffff)
			return 0x7fffffff;
	}
	return (int)v;
}

static struct apmatrix_event *event_new(struct apmatrix_ctx *ctx, int type)
{
	struct apmatrix_event *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	ev->refcount = 1;
	ev->ctx = apmatrix_ref(ctx);
	ev->type = type;
	ev->adapter = ev->apqn = ev->value = ev->driver = -1;
	apmatrix_idset_init_embedded(&ev->mask, ctx, ev, event_owner_ref,
				     event_owner_unref);
	return ev;
}

/* APMASK=/AQMASK= of the bus root (the kernel's hex2bitmap() text with
 * the newline mainline puts inside the value): 1 with *bits, 0 when
 * absent, -1 when undecodable. */
static int decode_mask(struct apmatrix_ctx *ctx, struct udev_device *dev,
		       const char *key, struct apmatrix_bits *bits)
{
	const char *v = udev_device_get_property_value(dev, key);

	if (!v)
		return 0;
	return apmatrix_mask_parse(ctx, v, v, 0, bits) < 0 ? -1 : 1;
}

int apmatrix_monitor_decode(struct apmatrix_ctx *ctx, struct udev_device *dev,
			    struct apmatrix_event **ret)
{
	const char *action = udev_device_get_action(dev);
	const char *subsystem = udev_device_get_subsystem(dev);
	const char *devpath = udev_device_get_devpath(dev);
	const char *devtype = udev_device_get_devtype(dev);
	const char *name = udev_device_get_sysname(dev);
	struct apmatrix_event *ev;
	int is_card, id, type = 0, value = -1, driver = -1;

	*ret = NULL;
	if (!action || !subsystem || !devpath || !name)
		return 0;

	if (strcmp(subsystem, "mdev") == 0) {
		const char *uuid = devpath + strlen(MATRIX_DEVPATH);

		if (strncmp(devpath, MATRIX_DEVPATH, strlen(MATRIX_DEVPATH)) ||
		    apmatrix_uuid_bad_offset(uuid) >= 0)
			return 0;
		if (strcmp(action, "add") == 0)
			type = APMATRIX_EVENT_MDEV_ADD;
		else if (strcmp(action, "remove") == 0)
			type = APMATRIX_EVENT_MDEV_REMOVE;
		else
			return 0;
		ev = event_new(ctx, type);
		if (!ev)
			return -ENOMEM;
		memcpy(ev->uuid, uuid, APMATRIX_UUID_LEN + 1);
		*ret = ev;
		return 1;
	}
	if (strcmp(subsystem, "ap") != 0)
		return 0;

	if (!devtype) {
		struct apmatrix_bits bits;
		int r;

		if (strcmp(devpath, AP_ROOT_DEVPATH) != 0 ||
		    strcmp(action, "change") != 0)
			return 0;
		for (int i = 0; i < 2; i++) {
			r = decode_mask(ctx, dev, i ? "AQMASK" : "APMASK",
					&bits);
			if (r < 0)
				return -EBADMSG;
			if (r > 0) {
				ev = event_new(ctx, i ? APMATRIX_EVENT_AQMASK
						      : APMATRIX_EVENT_APMASK);
				if (!ev)
					return -ENOMEM;
				ev->has_mask = 1;
				ev->mask.bits = bits;
				*ret = ev;
				return 1;
			}
		}
		if (strcmp(udev_device_get_property_value(dev, "BINDINGS")
				   ?: "",
			   "complete") != 0)
			return 0; /* INITSCAN=done and the like */
		ev = event_new(ctx, APMATRIX_EVENT_BINDINGS_COMPLETE);
		if (!ev)
			return -ENOMEM;
		ev->value = parse_count(
			udev_device_get_property_value(dev, "COMPLETECOUNT"));
		*ret = ev;
		return 1;
	}

	if (strcmp(devtype, "ap_card") == 0) {
		is_card = 1;
		id = apmatrix_card_name_parse(name);
	} else if (strcmp(devtype, "ap_queue") == 0) {
		is_card = 0;
		id = apmatrix_queue_name_parse(name);
	} else {
		return 0;
	}
	if (id < 0)
		return -EBADMSG;
	if (strcmp(action, "add") == 0) {
		type = is_card ? APMATRIX_EVENT_CARD_ADD
			       : APMATRIX_EVENT_QUEUE_ADD;
	} else if (strcmp(action, "remove") == 0) {
		type = is_card ? APMATRIX_EVENT_CARD_REMOVE
			       : APMATRIX_EVENT_QUEUE_REMOVE;
	} else if (strcmp(action, "change") == 0) {
		const char *config =
			udev_device_get_property_value(dev, "CONFIG");
		const char *online =
			udev_device_get_property_value(dev, "ONLINE");

		if (config) {
			type = is_card ? APMATRIX_EVENT_CARD_CONFIG
				       : APMATRIX_EVENT_QUEUE_CONFIG;
			value = parse_bool(config);
		} else if (online) {
			type = is_card ? APMATRIX_EVENT_CARD_ONLINE
				       : APMATRIX_EVENT_QUEUE_ONLINE;
			value = parse_bool(online);
		} else {
			return 0;
		}
		if (value < 0)
			return -EBADMSG;
	} else if (!is_card && strcmp(action, "bind") == 0) {
		const char *drv = udev_device_get_property_value(dev, "DRIVER");

		type = APMATRIX_EVENT_QUEUE_BIND;
		driver = drv && strcmp(drv, "vfio_ap") == 0
				 ? APMATRIX_DRIVER_VFIO_AP
				 : APMATRIX_DRIVER_DEFAULT;
	} else if (!is_card && strcmp(action, "unbind") == 0) {
		type = APMATRIX_EVENT_QUEUE_UNBIND;
	} else {
		return 0;
	}
	ev = event_new(ctx, type);
	if (!ev)
		return -ENOMEM;
	if (is_card) {
		ev->adapter = id;
	} else {
		ev->apqn = id;
		ev->adapter = (int)APMATRIX_APQN_ADAPTER((unsigned int)id);
	}
	ev->value = value;
	ev->driver = driver;
	*ret = ev;
	return 1;
}

APMATRIX_EXPORT int
apmatrix_monitor_read_event(struct apmatrix_monitor *monitor,
			    unsigned int flags, struct apmatrix_event **ret)
{
	struct apmatrix_ctx *ctx;

	if (!monitor)
		return -EINVAL;
	ctx = monitor->ctx;
	apmatrix_diag_clear(ctx);
	if (!ret)
		return apmatrix_diag(ctx, -EINVAL,
				     "monitor_read_event: NULL ret");
	if (flags)
		return apmatrix_diag(ctx, -EINVAL,
				     "unknown monitor_read_event flags 0x%x",
				     flags);
	for (;;) {
		struct udev_device *dev;
		struct apmatrix_event *ev = NULL;
		int r;

		errno = 0;
		dev = udev_monitor_receive_device(monitor->mon);
		if (!dev) {
			int err = errno ? errno : EAGAIN;

			if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)
				return -EAGAIN;
			if (err == ENOBUFS)
				return apmatrix_diag(
					ctx, -ENOBUFS,
					"uevents were lost (the receive buffer "
					"overflowed): read the host state "
					"again");
			return apmatrix_diag(ctx, -err,
					     "cannot receive a uevent: %s",
					     strerror(err));
		}
		r = apmatrix_monitor_decode(ctx, dev, &ev);
		if (r == -ENOMEM) {
			udev_device_unref(dev);
			return apmatrix_diag(
				ctx, -ENOMEM,
				"monitor_read_event: out of memory");
		}
		if (r < 0) {
			char q[APMATRIX_QUOTE_SIZE];

			/* a kernel we do not understand: say so, go on */
			warn(ctx,
			     "ignoring a %s uevent of %s that cannot be "
			     "decoded",
			     udev_device_get_action(dev),
			     apmatrix_diag_quote(q, sizeof(q),
						 udev_device_get_devpath(dev),
						 SIZE_MAX));
			apmatrix_diag_clear(ctx);
		}
		udev_device_unref(dev);
		if (r > 0) {
			*ret = ev;
			return 0;
		}
	}
}

/* -------------------------------------------------------------- events */

APMATRIX_EXPORT struct apmatrix_event *
apmatrix_event_ref(struct apmatrix_event *event)
{
	if (event)
		event->refcount++;
	return event;
}

APMATRIX_EXPORT struct apmatrix_event *
apmatrix_event_unref(struct apmatrix_event *event)
{
	if (!event || --event->refcount > 0)
		return NULL;
	apmatrix_unref(event->ctx);
	free(event);
	return NULL;
}

APMATRIX_EXPORT struct apmatrix_ctx *
apmatrix_event_get_ctx(const struct apmatrix_event *event)
{
	return event ? event->ctx : NULL;
}

APMATRIX_EXPORT int apmatrix_event_get_type(const struct apmatrix_event *event)
{
	return event ? event->type : -EINVAL;
}

APMATRIX_EXPORT const char *
apmatrix_event_get_type_name(const struct apmatrix_event *event)
{
	if (!event)
		return NULL;
	return type_names[event->type];
}

APMATRIX_EXPORT int
apmatrix_event_get_adapter(const struct apmatrix_event *event)
{
	if (!event)
		return -EINVAL;
	return event->adapter >= 0 ? event->adapter : -ENOENT;
}

APMATRIX_EXPORT int apmatrix_event_get_apqn(const struct apmatrix_event *event)
{
	if (!event)
		return -EINVAL;
	return event->apqn >= 0 ? event->apqn : -ENOENT;
}

APMATRIX_EXPORT int apmatrix_event_get_value(const struct apmatrix_event *event)
{
	if (!event)
		return -EINVAL;
	return event->value >= 0 ? event->value : -ENOENT;
}

APMATRIX_EXPORT int
apmatrix_event_get_driver(const struct apmatrix_event *event)
{
	if (!event)
		return -EINVAL;
	return event->driver >= 0 ? event->driver : -ENOENT;
}

APMATRIX_EXPORT const char *
apmatrix_event_get_uuid(const struct apmatrix_event *event)
{
	return event && event->uuid[0] ? event->uuid : NULL;
}

APMATRIX_EXPORT const struct apmatrix_idset *
apmatrix_event_get_mask(const struct apmatrix_event *event)
{
	return event && event->has_mask ? &event->mask : NULL;
}
