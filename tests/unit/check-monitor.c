// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Change events: decoding of every uevent the kernel sends for AP devices
 * and vfio_ap mdevs (fed through udev_device_new_from_environment(), so no
 * kernel is needed), the monitor object, and the skip path with a real
 * kernel uevent when this host lets us make one. The kernel tier
 * (tests/vm/monitor) checks the events of a live (simulated) AP bus.
 */
#include <fcntl.h>
#include <libudev.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apmatrix-internal.h"
#include "testlib.h"

#define FULL                                                                   \
	"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
#define NO_A                                                                   \
	"0xffdfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

extern char **environ;

/*
 * Decode the uevent given as "KEY=VALUE" strings; returns the result.
 * libudev splits the environment strings in place (it writes a NUL over
 * each '='), so it gets fresh copies in an environment of their own.
 */
static int decode(struct apmatrix_ctx *ctx, struct apmatrix_event **ev,
		  const char *const *vars)
{
	struct udev *udev = udev_new();
	struct udev_device *dev;
	char *env[32], **saved = environ;
	size_t n = 0;
	int r;

	ck_assert_ptr_nonnull(udev);
	env[n++] = strdup("SEQNUM=4711");
	for (; *vars; vars++) {
		ck_assert_uint_lt(n, 31);
		env[n++] = strdup(*vars);
	}
	env[n] = NULL;
	environ = env;
	dev = udev_device_new_from_environment(udev);
	environ = saved;
	for (size_t i = 0; i < n; i++)
		free(env[i]);
	ck_assert_msg(dev != NULL, "libudev refused the uevent");
	*ev = NULL;
	r = apmatrix_monitor_decode(ctx, dev, ev);
	udev_device_unref(dev);
	udev_unref(udev);
	return r;
}

#define EV(...) ((const char *const[]){__VA_ARGS__, NULL})

struct want {
	int type;
	const char *name;
	int adapter, apqn, value, driver;
	const char *uuid;
	const char *mask;
};

static void expect_event(struct apmatrix_ctx *ctx, const char *const *vars,
			 const struct want *w)
{
	struct apmatrix_event *ev = NULL;
	const struct apmatrix_idset *mask;
	char buf[80];

	ck_assert_int_eq(decode(ctx, &ev, vars), 1);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(apmatrix_event_get_type(ev), w->type);
	ck_assert_str_eq(apmatrix_event_get_type_name(ev), w->name);
	ck_assert_int_eq(apmatrix_event_get_adapter(ev), w->adapter);
	ck_assert_int_eq(apmatrix_event_get_apqn(ev), w->apqn);
	ck_assert_int_eq(apmatrix_event_get_value(ev), w->value);
	ck_assert_int_eq(apmatrix_event_get_driver(ev), w->driver);
	ck_assert_ptr_eq(apmatrix_event_get_ctx(ev), ctx);
	if (w->uuid)
		ck_assert_str_eq(apmatrix_event_get_uuid(ev), w->uuid);
	else
		ck_assert_ptr_null(apmatrix_event_get_uuid(ev));
	mask = apmatrix_event_get_mask(ev);
	if (w->mask) {
		ck_assert_ptr_nonnull(mask);
		ck_assert_int_eq(apmatrix_idset_format(mask,
						       APMATRIX_SYNTAX_MASK, 0,
						       buf, sizeof(buf)),
				 66);
		ck_assert_str_eq(buf, w->mask);
	} else {
		ck_assert_ptr_null(mask);
	}
	ck_assert_ptr_eq(apmatrix_event_ref(ev), ev);
	apmatrix_event_unref(ev);
	ck_assert_ptr_null(apmatrix_event_unref(ev));
}

#define NONE (-ENOENT)

START_TEST(test_decode_cards)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	const char *card[] = {"DEVPATH=/devices/ap/card0a", "SUBSYSTEM=ap",
			      "DEVTYPE=ap_card"};

	expect_event(ctx,
		     EV("ACTION=add", card[0], card[1], card[2],
			"DEV_TYPE=000E", "MODALIAS=ap:t0E", "MODE=cca"),
		     &(struct want){APMATRIX_EVENT_CARD_ADD, "card-add", 10,
				    NONE, NONE, NONE, NULL, NULL});
	expect_event(ctx, EV("ACTION=remove", card[0], card[1], card[2]),
		     &(struct want){APMATRIX_EVENT_CARD_REMOVE, "card-remove",
				    10, NONE, NONE, NONE, NULL, NULL});
	expect_event(ctx,
		     EV("ACTION=change", card[0], card[1], card[2], "CONFIG=0",
			"DRIVER=cex4card"),
		     &(struct want){APMATRIX_EVENT_CARD_CONFIG, "card-config",
				    10, NONE, 0, NONE, NULL, NULL});
	expect_event(ctx,
		     EV("ACTION=change", card[0], card[1], card[2], "CONFIG=1"),
		     &(struct want){APMATRIX_EVENT_CARD_CONFIG, "card-config",
				    10, NONE, 1, NONE, NULL, NULL});
	expect_event(ctx,
		     EV("ACTION=change", "DEVPATH=/devices/ap/cardff", card[1],
			card[2], "ONLINE=0"),
		     &(struct want){APMATRIX_EVENT_CARD_ONLINE, "card-online",
				    255, NONE, 0, NONE, NULL, NULL});
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_decode_queues)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	const char *q[] = {"DEVPATH=/devices/ap/card04/04.0047", "SUBSYSTEM=ap",
			   "DEVTYPE=ap_queue"};
	int apqn = (int)APMATRIX_APQN(4, 0x47);

	expect_event(ctx, EV("ACTION=add", q[0], q[1], q[2], "MODE=ep11"),
		     &(struct want){APMATRIX_EVENT_QUEUE_ADD, "queue-add", 4,
				    apqn, NONE, NONE, NULL, NULL});
	expect_event(ctx, EV("ACTION=remove", q[0], q[1], q[2]),
		     &(struct want){APMATRIX_EVENT_QUEUE_REMOVE, "queue-remove",
				    4, apqn, NONE, NONE, NULL, NULL});
	expect_event(ctx, EV("ACTION=change", q[0], q[1], q[2], "CONFIG=0"),
		     &(struct want){APMATRIX_EVENT_QUEUE_CONFIG, "queue-config",
				    4, apqn, 0, NONE, NULL, NULL});
	expect_event(ctx, EV("ACTION=change", q[0], q[1], q[2], "ONLINE=1"),
		     &(struct want){APMATRIX_EVENT_QUEUE_ONLINE, "queue-online",
				    4, apqn, 1, NONE, NULL, NULL});
	expect_event(ctx, EV("ACTION=bind", q[0], q[1], q[2], "DRIVER=vfio_ap"),
		     &(struct want){APMATRIX_EVENT_QUEUE_BIND, "queue-bind", 4,
				    apqn, NONE, APMATRIX_DRIVER_VFIO_AP, NULL,
				    NULL});
	expect_event(
		ctx, EV("ACTION=bind", q[0], q[1], q[2], "DRIVER=cex4queue"),
		&(struct want){APMATRIX_EVENT_QUEUE_BIND, "queue-bind", 4, apqn,
			       NONE, APMATRIX_DRIVER_DEFAULT, NULL, NULL});
	expect_event(ctx, EV("ACTION=unbind", q[0], q[1], q[2]),
		     &(struct want){APMATRIX_EVENT_QUEUE_UNBIND, "queue-unbind",
				    4, apqn, NONE, NONE, NULL, NULL});
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_decode_bus_root)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	const char *root[] = {"ACTION=change", "DEVPATH=/devices/ap",
			      "SUBSYSTEM=ap"};

	/* the kernel puts a newline inside the value */
	expect_event(ctx, EV(root[0], root[1], root[2], "APMASK=" NO_A "\n"),
		     &(struct want){APMATRIX_EVENT_APMASK, "apmask", NONE, NONE,
				    NONE, NONE, NULL, NO_A});
	expect_event(ctx, EV(root[0], root[1], root[2], "AQMASK=" FULL),
		     &(struct want){APMATRIX_EVENT_AQMASK, "aqmask", NONE, NONE,
				    NONE, NONE, NULL, FULL});
	expect_event(ctx,
		     EV(root[0], root[1], root[2], "BINDINGS=complete",
			"COMPLETECOUNT=3"),
		     &(struct want){APMATRIX_EVENT_BINDINGS_COMPLETE,
				    "bindings-complete", NONE, NONE, 3, NONE,
				    NULL, NULL});
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_decode_mdevs)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	const char *uuid = "11111111-2222-3333-4444-55555555aaaa";
	const char *mdev[] = {"DEVPATH=/devices/vfio_ap/matrix/"
			      "11111111-2222-3333-4444-55555555aaaa",
			      "SUBSYSTEM=mdev"};

	expect_event(ctx, EV("ACTION=add", mdev[0], mdev[1]),
		     &(struct want){APMATRIX_EVENT_MDEV_ADD, "mdev-add", NONE,
				    NONE, NONE, NONE, uuid, NULL});
	expect_event(ctx, EV("ACTION=remove", mdev[0], mdev[1]),
		     &(struct want){APMATRIX_EVENT_MDEV_REMOVE, "mdev-remove",
				    NONE, NONE, NONE, NONE, uuid, NULL});
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_decode_skips)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	struct apmatrix_event *ev = (struct apmatrix_event *)1;
	const char *const *skipped[] = {
		/* card driver binding, the first scan, a change we do not
		 * know */
		EV("ACTION=bind", "DEVPATH=/devices/ap/card0a", "SUBSYSTEM=ap",
		   "DEVTYPE=ap_card", "DRIVER=cex4card"),
		EV("ACTION=change", "DEVPATH=/devices/ap", "SUBSYSTEM=ap",
		   "INITSCAN=done"),
		EV("ACTION=change", "DEVPATH=/devices/ap/card0a/0a.0001",
		   "SUBSYSTEM=ap", "DEVTYPE=ap_queue", "FOO=1"),
		/* mdevs of another parent, the mdev driver binding */
		EV("ACTION=add",
		   "DEVPATH=/devices/pci0000:00/0000:00:02.0/"
		   "11111111-2222-3333-4444-555555555555",
		   "SUBSYSTEM=mdev"),
		EV("ACTION=bind",
		   "DEVPATH=/devices/vfio_ap/matrix/"
		   "11111111-2222-3333-4444-555555555555",
		   "SUBSYSTEM=mdev", "DRIVER=vfio_ap_mdev"),
		EV("ACTION=add",
		   "DEVPATH=/devices/vfio_ap/matrix/"
		   "11111111-2222-3333-4444-555555555555/vfio-dev/vfio0",
		   "SUBSYSTEM=mdev"),
		/* other subsystems */
		EV("ACTION=add", "DEVPATH=/devices/virtual/vfio/0",
		   "SUBSYSTEM=vfio"),
		EV("ACTION=change", "DEVPATH=/devices/vfio_ap/matrix",
		   "SUBSYSTEM=matrix", "MDEV_STATE=registered"),
	};

	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++) {
		ck_assert_msg(decode(ctx, &ev, skipped[i]) == 0,
			      "uevent %zu was not skipped", i);
		ck_assert_ptr_null(ev);
	}
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_decode_bad)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	struct apmatrix_event *ev = NULL;
	const char *const *bad[] = {
		EV("ACTION=add", "DEVPATH=/devices/ap/cardzz", "SUBSYSTEM=ap",
		   "DEVTYPE=ap_card"),
		EV("ACTION=add", "DEVPATH=/devices/ap/card100", "SUBSYSTEM=ap",
		   "DEVTYPE=ap_card"),
		EV("ACTION=add", "DEVPATH=/devices/ap/card01/01.0100",
		   "SUBSYSTEM=ap", "DEVTYPE=ap_queue"),
		EV("ACTION=change", "DEVPATH=/devices/ap/card01/01.0001",
		   "SUBSYSTEM=ap", "DEVTYPE=ap_queue", "CONFIG=2"),
		EV("ACTION=change", "DEVPATH=/devices/ap/card01",
		   "SUBSYSTEM=ap", "DEVTYPE=ap_card", "ONLINE=yes"),
		EV("ACTION=change", "DEVPATH=/devices/ap", "SUBSYSTEM=ap",
		   "APMASK=0xfg"),
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(decode(ctx, &ev, bad[i]) == -EBADMSG,
			      "uevent %zu was not refused", i);
		ck_assert_ptr_null(ev);
	}
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_monitor_api)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	struct apmatrix_monitor *mon = NULL;
	struct apmatrix_event *ev = NULL;
	char root[] = "/tmp/apmatrix-mon-XXXXXX", path[64];
	int fd, r;

	ck_assert_int_eq(apmatrix_monitor_new(NULL, 0, &mon), -EINVAL);
	test_call(ctx, apmatrix_monitor_new(ctx, 0, NULL), -EINVAL, "NULL");
	test_call(ctx, apmatrix_monitor_new(ctx, 4, &mon), -EINVAL,
		  "unknown monitor flags 0x4");
	test_call(ctx,
		  apmatrix_monitor_new(
			  ctx, APMATRIX_MONITOR_KERNEL | APMATRIX_MONITOR_UDEV,
			  &mon),
		  -EINVAL, "not both");
	ck_assert_ptr_null(mon);
	ck_assert_int_eq(apmatrix_monitor_get_fd(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_monitor_get_source(NULL), -EINVAL);
	ck_assert_ptr_null(apmatrix_monitor_get_ctx(NULL));
	ck_assert_ptr_null(apmatrix_monitor_ref(NULL));
	ck_assert_ptr_null(apmatrix_monitor_unref(NULL));
	ck_assert_int_eq(apmatrix_monitor_read_event(NULL, 0, &ev), -EINVAL);
	ck_assert_int_eq(apmatrix_event_get_type(NULL), -EINVAL);
	ck_assert_ptr_null(apmatrix_event_get_type_name(NULL));
	ck_assert_int_eq(apmatrix_event_get_adapter(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_event_get_apqn(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_event_get_value(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_event_get_driver(NULL), -EINVAL);
	ck_assert_ptr_null(apmatrix_event_get_uuid(NULL));
	ck_assert_ptr_null(apmatrix_event_get_mask(NULL));
	ck_assert_ptr_null(apmatrix_event_get_ctx(NULL));
	ck_assert_ptr_null(apmatrix_event_ref(NULL));
	ck_assert_ptr_null(apmatrix_event_unref(NULL));

	/* the source follows udevd's control socket under the run root */
	ck_assert_ptr_nonnull(mkdtemp(root));
	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, root), 0);
	r = apmatrix_monitor_new(ctx, 0, &mon);
	if (r == -EPERM || r == -EACCES || r == -EPROTONOSUPPORT ||
	    r == -EAFNOSUPPORT) {
		fprintf(stderr, "monitor: no netlink here (%s), API only\n",
			apmatrix_get_diagnostic(ctx));
		rmdir(root);
		apmatrix_unref(ctx);
		return;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(apmatrix_monitor_get_source(mon),
			 APMATRIX_MONITOR_KERNEL);
	ck_assert_ptr_eq(apmatrix_monitor_get_ctx(mon), ctx);
	fd = apmatrix_monitor_get_fd(mon);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	test_call(ctx, apmatrix_monitor_read_event(mon, 0, NULL), -EINVAL,
		  "NULL");
	test_call(ctx, apmatrix_monitor_read_event(mon, 1, &ev), -EINVAL,
		  "flags 0x1");
	ck_assert_ptr_eq(apmatrix_monitor_ref(mon), mon);
	apmatrix_monitor_unref(mon);
	apmatrix_monitor_unref(mon);

	snprintf(path, sizeof(path), "%s/udev", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/udev/control", root);
	close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	test_call(ctx, apmatrix_monitor_new(ctx, 0, &mon), 0, NULL);
	ck_assert_int_eq(apmatrix_monitor_get_source(mon),
			 APMATRIX_MONITOR_UDEV);
	apmatrix_monitor_unref(mon);
	test_call(ctx, apmatrix_monitor_new(ctx, APMATRIX_MONITOR_KERNEL, &mon),
		  0, NULL);
	ck_assert_int_eq(apmatrix_monitor_get_source(mon),
			 APMATRIX_MONITOR_KERNEL);
	apmatrix_monitor_unref(mon);
	unlink(path);
	snprintf(path, sizeof(path), "%s/udev", root);
	rmdir(path);
	rmdir(root);
	apmatrix_unref(ctx);
}
END_TEST

/* A real kernel uevent of another subsystem is read and skipped. */
START_TEST(test_monitor_skips_other_uevents)
{
	const char *trigger = "/sys/devices/virtual/mem/null/uevent";
	struct apmatrix_ctx *ctx = test_ctx_new();
	struct apmatrix_monitor *mon = NULL;
	struct apmatrix_event *ev = NULL;
	struct pollfd pfd;
	int fd;

	if (apmatrix_monitor_new(ctx, APMATRIX_MONITOR_KERNEL, &mon) < 0 ||
	    (fd = open(trigger, O_WRONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr,
			"monitor: cannot make a uevent here, skipped\n");
		apmatrix_monitor_unref(mon);
		apmatrix_unref(ctx);
		return;
	}
	test_call(ctx, apmatrix_monitor_read_event(mon, 0, &ev), -EAGAIN, NULL);
	ck_assert_int_eq(write(fd, "change", 6), 6);
	close(fd);
	pfd.fd = apmatrix_monitor_get_fd(mon);
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	test_call(ctx, apmatrix_monitor_read_event(mon, 0, &ev), -EAGAIN, NULL);
	ck_assert_ptr_null(ev);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	apmatrix_monitor_unref(mon);
	apmatrix_unref(ctx);
}
END_TEST

static Suite *monitor_suite(void)
{
	Suite *s = suite_create("monitor");
	TCase *tc = tcase_create("monitor");

	tcase_add_test(tc, test_decode_cards);
	tcase_add_test(tc, test_decode_queues);
	tcase_add_test(tc, test_decode_bus_root);
	tcase_add_test(tc, test_decode_mdevs);
	tcase_add_test(tc, test_decode_skips);
	tcase_add_test(tc, test_decode_bad);
	tcase_add_test(tc, test_monitor_api);
	tcase_add_test(tc, test_monitor_skips_other_uevents);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(monitor_suite());
}
