/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrix_host_read() against the fixture trees of tests/fixtures/sysfs:
 * the facts each scenario was captured or derived for, the read flags, and
 * every error path with its diagnostic (bad trees are copies of a fixture
 * with one file changed, made in a temporary directory).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apmatrix.h"
#include "testcheck.h"
#include "testlib.h"

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"
#define U3 "33333333-3333-4333-8333-333333333333"

static struct apmatrix_ctx *ctx;
static struct apmatrix_host *host;
static char tmp[64];

static void setup(void)
{
	ctx = test_ctx_new();
	host = NULL;
	tmp[0] = '\0';
}

static void teardown(void)
{
	apmatrix_host_unref(host);
	ck_assert_ptr_null(apmatrix_unref(ctx));
	if (tmp[0]) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		ck_assert_int_eq(system(cmd), 0);
	}
}

/* Read a fixture with the given flags; the read must succeed cleanly. */
static void read_fixture(const char *scenario, unsigned int flags)
{
	char root[512];

	snprintf(root, sizeof(root), "%s/%s", APMATRIX_FIXTURES, scenario);
	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, root), 0);
	apmatrix_host_unref(host);
	host = NULL;
	test_call(ctx, apmatrix_host_read(ctx, flags, &host), 0, NULL);
	ck_assert_ptr_nonnull(host);
}

/*
 * A copy of a fixture in a temporary directory, as the sysfs root: hard
 * links (cheap), so files are only ever replaced, never written in place.
 */
static void copy_fixture(const char *scenario)
{
	char cmd[1024];

	snprintf(tmp, sizeof(tmp), "/tmp/apmatrix-sysfs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(cmd, sizeof(cmd), "cp -al '%s/%s/.' '%s'", APMATRIX_FIXTURES,
		 scenario, tmp);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, tmp), 0);
}

/* Replace a file of the copy (path relative to the root). */
static void put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	unlink(path);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static struct apmatrix_card_info *card(unsigned int a)
{
	struct apmatrix_card_info *info = NULL;

	test_call(ctx, apmatrix_host_get_card_info(host, a, &info), 0, NULL);
	return info;
}

static struct apmatrix_queue_info *queue(unsigned int a, unsigned int d)
{
	struct apmatrix_queue_info *info = NULL;

	test_call(
		ctx,
		apmatrix_host_get_queue_info(host, APMATRIX_APQN(a, d), &info),
		0, NULL);
	return info;
}

static struct apmatrix_mdev *mdev(unsigned int i, const char *uuid)
{
	struct apmatrix_mdev *m = apmatrix_host_get_mdev(host, i);

	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(apmatrix_mdev_get_uuid(m), uuid);
	return m;
}

START_TEST(plain)
{
	struct apmatrix_card_info *c;
	struct apmatrix_queue_info *q;
	unsigned int bound = 0, total = 0, f = 0;
	int n = 0;

	read_fixture("plain", 0);
	ck_assert_uint_eq(apmatrix_host_get_known(host), 0xff);
	ck_assert_uint_eq(apmatrix_host_get_max_adapter_id(host), 255);
	ck_assert_uint_eq(apmatrix_host_get_max_domain_id(host), 255);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_QCI),
			 1);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_APXA),
			 1);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_APSB),
			 0);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_AP_CONFIG), 1);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_GUEST_MATRIX),
		1);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_HOTPLUG), 1);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_VFIO_AP), 1);
	/* The simulator is a 6.1-6.18 AP bus: no overrides. */
	ck_assert_int_eq(apmatrix_host_has_feature(
				 host, APMATRIX_FEATURE_DRIVER_OVERRIDE),
			 0);
	ck_assert_int_eq(apmatrix_host_uses_driver_override(host), 0);
	ck_assert_int_eq(apmatrix_host_get_bindings(host, &bound, &total), 1);
	ck_assert_uint_eq(bound, 42);
	ck_assert_uint_eq(total, 42);
	ck_assert_str_eq(tc_ids(apmatrix_host_get_adapter_mask(host)),
			 "0,1,2,3,4,5");
	ck_assert_str_eq(tc_ids(apmatrix_host_get_usage_domain_mask(host)),
			 "0,1,2,3,4,5,71");
	ck_assert_str_eq(tc_ids(apmatrix_host_get_control_domain_mask(host)),
			 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,71");
	ck_assert_uint_eq(
		apmatrix_idset_get_count(apmatrix_host_get_apmask(host)), 256);
	for (int a = apmatrix_host_next_card(host, 0); a >= 0;
	     a = apmatrix_host_next_card(host, (unsigned int)a + 1))
		ck_assert_int_eq(a, n++);
	ck_assert_int_eq(n, 6);
	n = 0;
	for (int a = apmatrix_host_next_queue(host, 0); a >= 0;
	     a = apmatrix_host_next_queue(host, (unsigned int)a + 1))
		n++;
	ck_assert_int_eq(n, 42);
	ck_assert_int_eq(apmatrix_host_next_queue(host, APMATRIX_APQN(5, 0x48)),
			 -ENOENT);
	ck_assert_int_eq(apmatrix_host_next_queue(host, APMATRIX_APQN(4, 0x48)),
			 (int)APMATRIX_APQN(5, 0));
	/* Card 1 is a CEX8P: EP11 from ap_functions. */
	c = card(1);
	ck_assert_int_eq(apmatrix_card_info_get_adapter(c), 1);
	ck_assert_int_eq(apmatrix_card_info_get_hwtype(c), 14);
	ck_assert_int_eq(apmatrix_card_info_get_raw_hwtype(c), 14);
	ck_assert_str_eq(apmatrix_card_info_get_type(c), "CEX8P");
	ck_assert_int_eq(apmatrix_card_info_get_mode(c), APMATRIX_MODE_EP11);
	ck_assert_int_eq(apmatrix_card_info_get_functions(c, &f), 0);
	ck_assert_uint_eq(f, 0x66000000);
	ck_assert_int_eq(apmatrix_card_info_get_online(c), 1);
	ck_assert_int_eq(apmatrix_card_info_get_config(c), 1);
	ck_assert_int_eq(apmatrix_card_info_get_chkstop(c), 0);
	ck_assert_uint_eq(apmatrix_card_info_get_queue_count(c), 7);
	ck_assert_ptr_eq(apmatrix_card_info_ref(c), c);
	apmatrix_card_info_unref(c);
	apmatrix_card_info_unref(c);
	c = card(2);
	ck_assert_int_eq(apmatrix_card_info_get_mode(c), APMATRIX_MODE_ACCEL);
	apmatrix_card_info_unref(c);
	c = card(3);
	ck_assert_int_eq(apmatrix_card_info_get_mode(c), APMATRIX_MODE_CCA);
	apmatrix_card_info_unref(c);
	q = queue(3, 0x47);
	ck_assert_int_eq(apmatrix_queue_info_get_apqn(q), 0x347);
	ck_assert_int_eq(apmatrix_queue_info_get_driver(q),
			 APMATRIX_DRIVER_DEFAULT);
	ck_assert_int_eq(apmatrix_queue_info_get_online(q), 1);
	ck_assert_int_eq(apmatrix_queue_info_get_config(q), 1);
	ck_assert_int_eq(apmatrix_queue_info_get_chkstop(q), 0);
	ck_assert_int_eq(apmatrix_queue_info_get_status(q), -ENODATA);
	ck_assert_ptr_null(apmatrix_queue_info_get_driver_override(q));
	apmatrix_queue_info_unref(q);
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 0);
}
END_TEST

START_TEST(default_scenario)
{
	struct apmatrix_card_info *c;
	struct apmatrix_queue_info *q;
	struct apmatrix_matrix *m;
	struct apmatrix_mdev *u;
	unsigned int bound = 0, total = 0;

	read_fixture("default", 0);
	ck_assert_str_eq(tc_ids(apmatrix_host_get_apmask(host)),
			 tc_ids(apmatrix_host_get_apmask(host)));
	ck_assert_int_eq(apmatrix_idset_test(apmatrix_host_get_apmask(host), 4),
			 0);
	ck_assert_int_eq(apmatrix_idset_test(apmatrix_host_get_apmask(host), 5),
			 0);
	ck_assert_uint_eq(
		apmatrix_idset_get_count(apmatrix_host_get_apmask(host)), 254);
	ck_assert_int_eq(
		apmatrix_idset_test(apmatrix_host_get_aqmask(host), 0x47), 0);
	ck_assert_int_eq(apmatrix_host_get_bindings(host, &bound, &total), 0);
	ck_assert_uint_eq(bound, 41);
	ck_assert_uint_eq(total, 42);
	/* Card 0 set offline, card 1 deconfigured, queue 02.0003 stopped. */
	c = card(0);
	ck_assert_int_eq(apmatrix_card_info_get_online(c), 0);
	ck_assert_int_eq(apmatrix_card_info_get_config(c), 1);
	apmatrix_card_info_unref(c);
	c = card(1);
	ck_assert_int_eq(apmatrix_card_info_get_config(c), 0);
	apmatrix_card_info_unref(c);
	q = queue(1, 0);
	ck_assert_int_eq(apmatrix_queue_info_get_config(q), 0);
	apmatrix_queue_info_unref(q);
	q = queue(2, 3);
	ck_assert_int_eq(apmatrix_queue_info_get_chkstop(q), 1);
	apmatrix_queue_info_unref(q);
	q = queue(2, 2);
	ck_assert_int_eq(apmatrix_queue_info_get_chkstop(q), 0);
	apmatrix_queue_info_unref(q);
	/* vfio_ap queues: status, no online. */
	q = queue(4, 0);
	ck_assert_int_eq(apmatrix_queue_info_get_driver(q),
			 APMATRIX_DRIVER_VFIO_AP);
	ck_assert_int_eq(apmatrix_queue_info_get_status(q),
			 APMATRIX_QUEUE_IN_USE);
	ck_assert_int_eq(apmatrix_queue_info_get_online(q), -ENODATA);
	apmatrix_queue_info_unref(q);
	q = queue(5, 2);
	ck_assert_int_eq(apmatrix_queue_info_get_status(q),
			 APMATRIX_QUEUE_ASSIGNED);
	apmatrix_queue_info_unref(q);
	q = queue(0, 0x47);
	ck_assert_int_eq(apmatrix_queue_info_get_status(q),
			 APMATRIX_QUEUE_UNASSIGNED);
	apmatrix_queue_info_unref(q);
	/* Unbound by hand. */
	q = queue(5, 1);
	ck_assert_int_eq(apmatrix_queue_info_get_driver(q),
			 APMATRIX_DRIVER_NONE);
	ck_assert_int_eq(apmatrix_queue_info_get_status(q), -ENODATA);
	apmatrix_queue_info_unref(q);

	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 3);
	ck_assert_ptr_null(apmatrix_host_get_mdev(host, 3));
	u = mdev(0, U1);
	ck_assert_int_eq(apmatrix_mdev_has_config(u, APMATRIX_ROLE_LIVE), 1);
	ck_assert_int_eq(apmatrix_mdev_has_config(u, APMATRIX_ROLE_DEFINED), 0);
	m = apmatrix_mdev_get_matrix(u, APMATRIX_ROLE_LIVE);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(m)), "4");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_usage_domains(m)), "0,1");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(m)), "0,1");
	m = apmatrix_mdev_get_matrix(u, APMATRIX_ROLE_GUEST);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(m)), "4");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_usage_domains(m)), "0,1");
	/* The kernel does not print the guest's control domains. */
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(m)), "");
	/* 05.0001 unbound: adapter 5 filtered, the domains stay. */
	u = mdev(1, U2);
	m = apmatrix_mdev_get_matrix(u, APMATRIX_ROLE_LIVE);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(m)), "5");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_usage_domains(m)),
			 "1,2,71");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(m)), "2");
	m = apmatrix_mdev_get_matrix(u, APMATRIX_ROLE_GUEST);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(m)), "");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_usage_domains(m)),
			 "1,2,71");
	u = mdev(2, U3);
	ck_assert_uint_eq(
		apmatrix_matrix_get_apqn_count(
			apmatrix_mdev_get_matrix(u, APMATRIX_ROLE_LIVE)),
		0);
}
END_TEST

START_TEST(read_flags)
{
	read_fixture("default", APMATRIX_READ_MASKS);
	ck_assert_uint_eq(apmatrix_host_get_known(host),
			  APMATRIX_HOST_LIMITS | APMATRIX_HOST_APMASK |
				  APMATRIX_HOST_AQMASK |
				  APMATRIX_HOST_ADAPTER_MASK |
				  APMATRIX_HOST_USAGE_DOMAIN_MASK |
				  APMATRIX_HOST_CONTROL_DOMAIN_MASK);
	ck_assert_int_eq(apmatrix_host_next_card(host, 0), -ENOENT);
	ck_assert_int_eq(apmatrix_host_uses_driver_override(host), -ENODATA);
	ck_assert_int_eq(apmatrix_host_has_feature(
				 host, APMATRIX_FEATURE_DRIVER_OVERRIDE),
			 -ENODATA);
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 0);
	ck_assert_int_eq(apmatrix_host_get_bindings(host, NULL, NULL), 0);

	read_fixture("default", APMATRIX_READ_MDEVS);
	ck_assert_uint_eq(apmatrix_host_get_known(host),
			  APMATRIX_HOST_LIMITS | APMATRIX_HOST_MDEVS);
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 3);
	ck_assert_int_eq(apmatrix_host_next_card(host, 0), -ENOENT);
	ck_assert_int_eq(apmatrix_host_get_bindings(host, NULL, NULL),
			 -ENODATA);
	/* Features and limits come with every read. */
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_APXA),
			 1);

	read_fixture("default", APMATRIX_READ_DEVICES);
	ck_assert_uint_eq(apmatrix_host_get_known(host),
			  APMATRIX_HOST_LIMITS | APMATRIX_HOST_APMASK |
				  APMATRIX_HOST_AQMASK | APMATRIX_HOST_DEVICES);
	ck_assert_int_eq(apmatrix_host_next_card(host, 0), 0);
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 0);

	apmatrix_host_unref(host);
	host = NULL;
	test_call(ctx, apmatrix_host_read(ctx, 8, &host), -EINVAL,
		  "unknown flags 0x8");
	test_call(ctx, apmatrix_host_read(ctx, 0, NULL), -EINVAL,
		  "NULL argument");
	ck_assert_int_eq(apmatrix_host_read(NULL, 0, &host), -EINVAL);
	ck_assert_ptr_null(host);
}
END_TEST

START_TEST(no_apxa)
{
	read_fixture("no-apxa", 0);
	ck_assert_uint_eq(apmatrix_host_get_max_adapter_id(host), 63);
	ck_assert_uint_eq(apmatrix_host_get_max_domain_id(host), 15);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_APXA),
			 0);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_QCI),
			 1);
	/* Card 0x41 and domain 0x20 are above the limits: not there. */
	ck_assert_int_eq(apmatrix_host_has_card(host, 0x41), 0);
	ck_assert_int_eq(apmatrix_host_next_card(host, 3), -ENOENT);
	ck_assert_str_eq(tc_ids(apmatrix_host_get_usage_domain_mask(host)),
			 "0,1,2,3");
	ck_assert_int_eq(apmatrix_host_next_queue(host, APMATRIX_APQN(2, 4)),
			 -ENOENT);
	ck_assert_int_eq(apmatrix_host_has_queue(host, APMATRIX_APQN(2, 3)), 1);
}
END_TEST

START_TEST(old_kernel)
{
	struct apmatrix_matrix *m;
	struct apmatrix_mdev *u;

	read_fixture("old-kernel", 0);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_GUEST_MATRIX),
		-ENODATA);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_AP_CONFIG),
		-ENODATA);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_VFIO_AP), 1);
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 3);
	/* The live matrix from `matrix` and `control_domains`, no guest. */
	u = mdev(1, U2);
	m = apmatrix_mdev_get_matrix(u, APMATRIX_ROLE_LIVE);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(m)), "5");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_usage_domains(m)),
			 "1,2,71");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(m)), "2");
	ck_assert_int_eq(apmatrix_mdev_has_config(u, APMATRIX_ROLE_GUEST), 0);
	u = mdev(2, U3);
	ck_assert_int_eq(apmatrix_mdev_has_config(u, APMATRIX_ROLE_LIVE), 1);
}
END_TEST

START_TEST(no_vfio_ap)
{
	read_fixture("no-vfio-ap", 0);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_VFIO_AP), 0);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_GUEST_MATRIX),
		-ENODATA);
	ck_assert_uint_eq(apmatrix_host_get_known(host), 0xff);
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 0);
	ck_assert_int_eq(apmatrix_host_next_queue(host, 0), 0);
}
END_TEST

START_TEST(queue_missing)
{
	struct apmatrix_card_info *c;
	struct apmatrix_queue_info *q = NULL;
	struct apmatrix_matrix *m = NULL, *g = NULL;

	read_fixture("queue-missing", 0);
	ck_assert_int_eq(apmatrix_host_has_queue(host, APMATRIX_APQN(2, 3)), 0);
	test_call(ctx,
		  apmatrix_host_get_queue_info(host, APMATRIX_APQN(2, 3), &q),
		  -ENOENT, "no queue 02.0003");
	ck_assert_ptr_null(q);
	c = card(2);
	ck_assert_uint_eq(apmatrix_card_info_get_queue_count(c), 6);
	apmatrix_card_info_unref(c);
	/* Give everything to vfio_ap in memory: adapter 2 is filtered. */
	ck_assert_int_eq(
		apmatrix_idset_clear_all(apmatrix_host_get_apmask(host)), 0);
	ck_assert_int_eq(apmatrix_host_bind_by_masks(host), 0);
	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m), 0);
	tc_fill(apmatrix_matrix_get_adapters(m), "1,2");
	tc_fill(apmatrix_matrix_get_usage_domains(m), "3,4");
	ck_assert_int_eq(apmatrix_host_predict_guest_matrix(host, m, &g), 0);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(g)), "1");
	apmatrix_matrix_unref(g);
	apmatrix_matrix_unref(m);
}
END_TEST

START_TEST(no_qci)
{
	read_fixture("no-qci", 0);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_QCI),
			 0);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_APXA),
			 0);
	ck_assert_uint_eq(apmatrix_host_get_known(host), 0xff);
	ck_assert_uint_eq(
		apmatrix_idset_get_count(apmatrix_host_get_adapter_mask(host)),
		0);
	ck_assert_uint_eq(apmatrix_idset_get_count(
				  apmatrix_host_get_usage_domain_mask(host)),
			  0);
	ck_assert_uint_eq(apmatrix_idset_get_count(
				  apmatrix_host_get_control_domain_mask(host)),
			  0);
}
END_TEST

START_TEST(override)
{
	struct apmatrix_queue_info *q;

	read_fixture("override", 0);
	ck_assert_int_eq(apmatrix_host_has_feature(
				 host, APMATRIX_FEATURE_DRIVER_OVERRIDE),
			 1);
	ck_assert_int_eq(apmatrix_host_uses_driver_override(host), 1);
	q = queue(3, 5);
	ck_assert_str_eq(apmatrix_queue_info_get_driver_override(q), "vfio_ap");
	ck_assert_int_eq(apmatrix_queue_info_get_driver(q),
			 APMATRIX_DRIVER_VFIO_AP);
	ck_assert_int_eq(apmatrix_queue_info_get_status(q),
			 APMATRIX_QUEUE_UNASSIGNED);
	apmatrix_queue_info_unref(q);
	q = queue(3, 4);
	ck_assert_str_eq(apmatrix_queue_info_get_driver_override(q), "");
	apmatrix_queue_info_unref(q);

	/* With a mask not all ones no override can exist: none is read. */
	copy_fixture("override");
	put("bus/ap/apmask",
	    "0x7fffffffffffffffffffffffffffffffffffffffffffffff"
	    "ffffffffffffffff\n");
	apmatrix_host_unref(host);
	host = NULL;
	test_call(ctx, apmatrix_host_read(ctx, 0, &host), 0, NULL);
	ck_assert_int_eq(apmatrix_host_uses_driver_override(host), 0);
	q = queue(3, 5);
	ck_assert_str_eq(apmatrix_queue_info_get_driver_override(q), "");
	apmatrix_queue_info_unref(q);
}
END_TEST

START_TEST(no_ap_bus)
{
	char root[128];

	snprintf(tmp, sizeof(tmp), "/tmp/apmatrix-sysfs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, tmp), 0);
	test_call(ctx, apmatrix_host_read(ctx, 0, &host), -ENODEV,
		  "no AP bus under the sysfs root");
	ck_assert_ptr_null(host);
	snprintf(root, sizeof(root), "%s/none\n", tmp);
	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, root), 0);
	test_call(ctx, apmatrix_host_read(ctx, 0, &host), -ENOENT,
		  "none\\n\": No such file");
	ck_assert_ptr_null(host);
}
END_TEST

static const struct {
	const char *scenario;
	const char *file;
	const char *text;
	const char *want;
} bad_files[] = {
	{"plain", "bus/ap/ap_max_adapter_id", "abc\n",
	 "bus/ap/ap_max_adapter_id: not a number 0-255 in \"abc\\n\""},
	{"plain", "bus/ap/ap_max_domain_id", "256\n",
	 "bus/ap/ap_max_domain_id: not a number 0-255 in \"256\\n\""},
	{"plain", "bus/ap/apmask", "0xzz\n", "bus/ap/apmask: "},
	{"plain", "bus/ap/ap_usage_domain_mask", "not\x01supported\n",
	 "bus/ap/ap_usage_domain_mask: "},
	{"plain", "bus/ap/bindings", "42 of 42\n",
	 "bus/ap/bindings: not \"BOUND/TOTAL\" in \"42 of 42\\n\""},
	{"plain", "devices/ap/card03/hwtype", "x\n",
	 "devices/ap/card03/hwtype: not a number 0-255 in \"x\\n\""},
	{"plain", "devices/ap/card03/ap_functions", "0x1\x02\n",
	 "devices/ap/card03/ap_functions: not \"0x\" + 8 hex digits in "
	 "\"0x1\\x02\\n\""},
	{"plain", "devices/ap/card03/type", "CEX 8C\n",
	 "devices/ap/card03/type: not a card type in \"CEX 8C\\n\""},
	{"plain", "devices/ap/card03/online", "2\n",
	 "devices/ap/card03/online: not a number 0-1 in \"2\\n\""},
	{"plain", "devices/ap/card02/02.0047/config", "yes\n",
	 "devices/ap/card02/02.0047/config: not a number 0-1 in \"yes\\n\""},
	{"plain", "devices/ap/card02/02.0047/online", "\n",
	 "devices/ap/card02/02.0047/online: not a number 0-1 in \"\\n\""},
	{"default", "devices/ap/card04/04.0003/status", "busy\n",
	 "devices/ap/card04/04.0003/status: not unassigned, assigned or in "
	 "use in \"busy\\n\""},
	{"default", "devices/vfio_ap/matrix/" U2 "/ap_config", "0x04,0xq\n",
	 "devices/vfio_ap/matrix/" U2 "/ap_config: "},
	{"default", "devices/vfio_ap/matrix/" U1 "/guest_matrix",
	 "04.0000\n04.0000\n", "devices/vfio_ap/matrix/" U1 "/guest_matrix: "},
	{"old-kernel", "devices/vfio_ap/matrix/" U1 "/control_domains",
	 "0000\nzz\n", "devices/vfio_ap/matrix/" U1 "/control_domains: "},
	{"override", "devices/ap/card03/03.0005/driver_override", "vfio ap\n",
	 "devices/ap/card03/03.0005/driver_override: not a driver name in "
	 "\"vfio ap\\n\""},
};

START_TEST(malformed)
{
	copy_fixture(bad_files[_i].scenario);
	put(bad_files[_i].file, bad_files[_i].text);
	test_call(ctx, apmatrix_host_read(ctx, 0, &host), -EINVAL,
		  bad_files[_i].want);
	ck_assert_ptr_null(host);
}
END_TEST

START_TEST(missing_is_unknown)
{
	struct apmatrix_card_info *c;
	struct apmatrix_queue_info *q;
	unsigned int f = 7;

	copy_fixture("plain");
	{
		static const char *const gone[] = {
			"bus/ap/ap_max_domain_id",
			"bus/ap/aqmask",
			"bus/ap/bindings",
			"bus/ap/features",
			"devices/vfio_ap/matrix/features",
			"devices/ap/card03/ap_functions",
			"devices/ap/card03/hwtype",
			"devices/ap/card03/online",
			"devices/ap/card02/02.0047/chkstop"};
		char path[512];

		for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", tmp, gone[i]);
			ck_assert_int_eq(unlink(path), 0);
		}
	}
	test_call(ctx, apmatrix_host_read(ctx, 0, &host), 0, NULL);
	ck_assert_uint_eq(apmatrix_host_get_known(host),
			  0xff & ~(unsigned int)(APMATRIX_HOST_LIMITS |
						 APMATRIX_HOST_AQMASK));
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_QCI),
			 -ENODATA);
	ck_assert_int_eq(
		apmatrix_host_has_feature(host, APMATRIX_FEATURE_AP_CONFIG),
		-ENODATA);
	ck_assert_int_eq(apmatrix_host_get_bindings(host, NULL, NULL),
			 -ENODATA);
	c = card(3);
	ck_assert_int_eq(apmatrix_card_info_get_hwtype(c), -ENODATA);
	ck_assert_int_eq(apmatrix_card_info_get_online(c), -ENODATA);
	ck_assert_int_eq(apmatrix_card_info_get_functions(c, &f), -ENODATA);
	ck_assert_uint_eq(f, 7);
	/* Without ap_functions the mode comes from the type, CEX8C. */
	ck_assert_int_eq(apmatrix_card_info_get_mode(c), APMATRIX_MODE_CCA);
	apmatrix_card_info_unref(c);
	q = queue(2, 0x47);
	ck_assert_int_eq(apmatrix_queue_info_get_chkstop(q), -ENODATA);
	ck_assert_int_eq(apmatrix_queue_info_get_config(q), 1);
	apmatrix_queue_info_unref(q);
}
END_TEST

START_TEST(cut_guest_matrix)
{
	char text[4200] = "";
	struct apmatrix_mdev *u;

	/* 512 lines, as a kernel cuts a big guest_matrix at the page. */
	for (unsigned int i = 0; i < 512; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "%02x.%04x\n", i / 64, i % 64);
	copy_fixture("default");
	put("devices/vfio_ap/matrix/" U1 "/guest_matrix", text);
	test_call(ctx, apmatrix_host_read(ctx, 0, &host), 0,
		  "devices/vfio_ap/matrix/" U1
		  "/guest_matrix: more than 511 APQNs");
	u = mdev(0, U1);
	ck_assert_int_eq(apmatrix_mdev_has_config(u, APMATRIX_ROLE_LIVE), 1);
	ck_assert_int_eq(apmatrix_mdev_has_config(u, APMATRIX_ROLE_GUEST), 0);
	u = mdev(1, U2);
	ck_assert_int_eq(apmatrix_mdev_has_config(u, APMATRIX_ROLE_GUEST), 1);
}
END_TEST

START_TEST(no_links_out_of_root)
{
	char path[512];

	/* A link to a file outside the root is not followed. */
	copy_fixture("plain");
	snprintf(path, sizeof(path), "%s/bus/ap/apmask", tmp);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink("/etc/hostname", path), 0);
	test_call(ctx, apmatrix_host_read(ctx, 0, &host), -ELOOP,
		  "cannot read bus/ap/apmask");
	ck_assert_ptr_null(host);
	/* Nor a directory link leading out of it. */
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd),
			 "rm -rf '%s/devices/ap' && ln -s / '%s/devices/ap'",
			 tmp, tmp);
		ck_assert_int_eq(system(cmd), 0);
	}
	snprintf(path, sizeof(path), "%s/bus/ap/apmask", tmp);
	ck_assert_int_eq(unlink(path), 0);
	put("bus/ap/apmask", "0xff\n");
	test_call(ctx, apmatrix_host_read(ctx, 0, &host), -ENOTDIR,
		  "cannot read devices/ap");
	ck_assert_ptr_null(host);
}
END_TEST

START_TEST(mdev_gone)
{
	char path[512];

	/* An mdev removed between the listing and its attributes. */
	copy_fixture("default");
	snprintf(path, sizeof(path), "%s/devices/vfio_ap/matrix/" U2 "/%s", tmp,
		 "ap_config");
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/devices/vfio_ap/matrix/" U2 "/%s", tmp,
		 "matrix");
	ck_assert_int_eq(unlink(path), 0);
	test_call(ctx, apmatrix_host_read(ctx, APMATRIX_READ_MDEVS, &host), 0,
		  NULL);
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 2);
	mdev(0, U1);
	mdev(1, U3);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sysfs");
	TCase *tc = tcase_create("fixtures");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, plain);
	tcase_add_test(tc, default_scenario);
	tcase_add_test(tc, read_flags);
	tcase_add_test(tc, no_apxa);
	tcase_add_test(tc, old_kernel);
	tcase_add_test(tc, no_vfio_ap);
	tcase_add_test(tc, queue_missing);
	tcase_add_test(tc, no_qci);
	tcase_add_test(tc, override);
	tcase_add_test(tc, no_ap_bus);
	tcase_add_loop_test(tc, malformed, 0,
			    (int)(sizeof(bad_files) / sizeof(bad_files[0])));
	tcase_add_test(tc, missing_is_unknown);
	tcase_add_test(tc, cut_guest_matrix);
	tcase_add_test(tc, mdev_gone);
	tcase_add_test(tc, no_links_out_of_root);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
