/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The monitor's uevent decoder (apmatrix_monitor_decode(), monitor.c). The
 * input is a uevent as the kernel writes it: KEY=VALUE strings separated by
 * NUL or newline bytes; SEQNUM is added when missing so libudev takes it.
 * It reaches the decoder through udev_device_new_from_environment(), the
 * way libudev builds devices from uevent properties.
 *
 * Properties:
 * - the result is 1 (an event), 0 (skipped) or -EBADMSG, and an event comes
 *   back exactly when it is 1;
 * - an event's fields fit its type: a type name; card events have an
 *   adapter 0-255 and no APQN; queue events an APQN whose adapter is the
 *   adapter; config and online values are 0 or 1; queue-bind has a driver;
 *   mdev events a 36-character UUID; mask events a mask; nothing else has
 *   any of these.
 */
#include <libudev.h>

#include "apmatrix-internal.h"
#include "fuzz-common.h"

extern char **environ;

#define MAX_VARS 64

static void check_event(const struct apmatrix_event *ev)
{
	int type = apmatrix_event_get_type(ev);
	int adapter = apmatrix_event_get_adapter(ev);
	int apqn = apmatrix_event_get_apqn(ev);
	int value = apmatrix_event_get_value(ev);
	int driver = apmatrix_event_get_driver(ev);
	const char *uuid = apmatrix_event_get_uuid(ev);
	int card = type >= APMATRIX_EVENT_CARD_ADD &&
		   type <= APMATRIX_EVENT_CARD_ONLINE;
	int queue = type >= APMATRIX_EVENT_QUEUE_ADD &&
		    type <= APMATRIX_EVENT_QUEUE_UNBIND;
	int mdev = type == APMATRIX_EVENT_MDEV_ADD ||
		   type == APMATRIX_EVENT_MDEV_REMOVE;
	int mask =
		type == APMATRIX_EVENT_APMASK || type == APMATRIX_EVENT_AQMASK;
	int flag = type == APMATRIX_EVENT_CARD_CONFIG ||
		   type == APMATRIX_EVENT_CARD_ONLINE ||
		   type == APMATRIX_EVENT_QUEUE_CONFIG ||
		   type == APMATRIX_EVENT_QUEUE_ONLINE;

	FUZZ_ASSERT(type >= APMATRIX_EVENT_CARD_ADD &&
			    type <= APMATRIX_EVENT_MDEV_REMOVE,
		    "type %d", type);
	FUZZ_ASSERT(apmatrix_event_get_type_name(ev) != NULL, "type %d", type);
	if (card || queue)
		FUZZ_ASSERT(adapter >= 0 && adapter <= 255, "adapter %d",
			    adapter);
	else
		FUZZ_ASSERT(adapter == -ENOENT, "type %d adapter %d", type,
			    adapter);
	if (queue)
		FUZZ_ASSERT(apqn >= 0 && apqn <= 0xffff &&
				    (int)APMATRIX_APQN_ADAPTER(apqn) == adapter,
			    "apqn %#x adapter %d", apqn, adapter);
	else
		FUZZ_ASSERT(apqn == -ENOENT, "type %d apqn %d", type, apqn);
	if (flag)
		FUZZ_ASSERT(value == 0 || value == 1, "value %d", value);
	else if (type != APMATRIX_EVENT_BINDINGS_COMPLETE)
		FUZZ_ASSERT(value == -ENOENT, "type %d value %d", type, value);
	if (type == APMATRIX_EVENT_QUEUE_BIND)
		FUZZ_ASSERT(driver == APMATRIX_DRIVER_VFIO_AP ||
				    driver == APMATRIX_DRIVER_DEFAULT,
			    "driver %d", driver);
	else
		FUZZ_ASSERT(driver == -ENOENT, "type %d driver %d", type,
			    driver);
	FUZZ_ASSERT(mdev ? uuid && strlen(uuid) == 36 : uuid == NULL,
		    "type %d uuid %s", type, uuid ? uuid : "(null)");
	FUZZ_ASSERT(mask == (apmatrix_event_get_mask(ev) != NULL),
		    "type %d mask", type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct apmatrix_ctx *ctx;
	static struct udev *udev;
	char *text = fuzz_text(data, size), *vars[MAX_VARS + 2], **saved;
	char seqnum[] = "SEQNUM=1";
	struct apmatrix_event *ev = NULL;
	struct udev_device *dev;
	size_t n = 0, i, start = 0;
	int have_seqnum = 0, r;

	if (!ctx)
		ctx = fuzz_ctx();
	if (!udev && !(udev = udev_new()))
		abort();
	/* libudev splits these strings in place: they are our copy */
	for (i = 0; i <= size && n < MAX_VARS; i++) {
		if (i < size && text[i] != '\0' && text[i] != '\n')
			continue;
		text[i] = '\0';
		if (i > start && strchr(text + start, '=')) {
			have_seqnum |= strncmp(text + start, "SEQNUM=", 7) == 0;
			vars[n++] = text + start;
		}
		start = i + 1;
	}
	if (!have_seqnum)
		vars[n++] = seqnum;
	vars[n] = NULL;
	saved = environ;
	environ = vars;
	dev = udev_device_new_from_environment(udev);
	environ = saved;
	if (dev) {
		r = apmatrix_monitor_decode(ctx, dev, &ev);
		FUZZ_ASSERT(r == 1 || r == 0 || r == -EBADMSG, "returned %d",
			    r);
		FUZZ_ASSERT((r == 1) == (ev != NULL), "returned %d, event %p",
			    r, (void *)ev);
		if (ev)
			check_event(ev);
		apmatrix_event_unref(ev);
		udev_device_unref(dev);
	}
	free(text);
	return 0;
}
