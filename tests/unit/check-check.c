/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The conflict engine: every finding code, exact APQNs, UUIDs, severities. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix.h"
#include "testcheck.h"
#include "check-internal.h"
#include "testlib.h"

#define U1 "11111111-1111-1111-1111-111111111111"
#define U2 "22222222-2222-2222-2222-222222222222"
#define U3 "33333333-3333-3333-3333-333333333333"
#define U4 "44444444-4444-4444-4444-444444444444"

#define ACTIVE APMATRIX_MDEV_ACTIVE
#define DEFINED APMATRIX_MDEV_DEFINED
#define AUTO (APMATRIX_MDEV_DEFINED | APMATRIX_MDEV_AUTOSTART)
#define LIVE APMATRIX_ROLE_LIVE
#define DEFINED_ROLE APMATRIX_ROLE_DEFINED

#define ERR APMATRIX_SEVERITY_ERROR
#define WARN APMATRIX_SEVERITY_WARNING
#define INFO APMATRIX_SEVERITY_INFO

static struct apmatrix_ctx *ctx;
static struct apmatrix_check *check;

static void setup(void)
{
	ctx = test_ctx_new();
	ck_assert_int_eq(apmatrix_check_new(ctx, &check), 0);
}

static void teardown(void)
{
	ck_assert_ptr_null(apmatrix_check_unref(check));
	ck_assert_ptr_null(apmatrix_unref(ctx));
}

/* Two mdevs sharing 04.0047 and 05.0047 in the given states. */
static struct apmatrix_report *shared_pair(unsigned int s1, unsigned int s2)
{
	tc_add(check, ctx, U1, "4,5", "0x47", "", s1);
	tc_add(check, ctx, U2, "5,4,6", "0x47,0x48", "0x47", s2);
	return tc_run(check);
}

START_TEST(shared_active_active)
{
	struct apmatrix_report *r = shared_pair(ACTIVE, ACTIVE);

	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U2,
		  "04.0047,05.0047", "4,5", "71");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": APQNs 04.0047, 05.0047 are also "
		"assigned to mdev " U2 "; both are active");
	ck_assert_str_eq(
		apmatrix_finding_get_code_name(apmatrix_report_get(r, 0)),
		"shared-apqns");
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), ERR);
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_auto_auto)
{
	struct apmatrix_report *r = shared_pair(AUTO, AUTO);

	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U2,
		  "04.0047,05.0047", "4,5", "71");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": APQNs 04.0047, 05.0047 are also "
		"assigned to mdev " U2 "; both start automatically");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_active_auto)
{
	struct apmatrix_report *r = shared_pair(ACTIVE, AUTO);

	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, WARN, U1, U2,
		  "04.0047,05.0047", "4,5", "71");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 " (active): APQNs 04.0047, 05.0047 are "
		"also assigned to mdev " U2 " (autostart); they "
		"cannot run at the same time");
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), WARN);
	apmatrix_report_unref(r);
}
END_TEST

/* Every pair involving a manual definition is a warning. */
static const unsigned int manual_pairs[][2] = {
	{DEFINED, ACTIVE},
	{DEFINED, AUTO},
	{DEFINED, DEFINED},
	{ACTIVE | DEFINED, DEFINED},
};

START_TEST(shared_manual_any)
{
	struct apmatrix_report *r =
		shared_pair(manual_pairs[_i][0], manual_pairs[_i][1]);

	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, WARN, U1, U2,
		  "04.0047,05.0047", "4,5", "71");
	apmatrix_report_unref(r);
}
END_TEST

/* Active with autostart against active with manual start: both active. */
START_TEST(shared_active_both_kinds)
{
	struct apmatrix_report *r =
		shared_pair(ACTIVE | AUTO, ACTIVE | DEFINED);

	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U2,
		  "04.0047,05.0047", "4,5", "71");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_uuid_order_and_single)
{
	struct apmatrix_report *r;

	/* Added in reverse: the finding still names the smaller UUID first. */
	tc_add(check, ctx, U2, "1", "2", "", DEFINED);
	tc_add(check, ctx, U1, "0-3", "2", "", ACTIVE);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, WARN, U1, U2, "01.0002",
		  "1", "2");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 " (active): APQN 01.0002 is also assigned "
		"to mdev " U2 " (defined, manual start); they cannot "
		"run at the same time");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_three_way)
{
	struct apmatrix_report *r;

	tc_add(check, ctx, U3, "1", "1-3", "", ACTIVE);
	tc_add(check, ctx, U1, "1,2", "2", "", ACTIVE);
	tc_add(check, ctx, U2, "1", "2,3", "", DEFINED);
	tc_add(check, ctx, U4, "3", "1-3", "", ACTIVE); /* shares nothing */
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U3, "01.0002",
		  "1", "2");
	tc_expect(r, 1, APMATRIX_FINDING_SHARED_APQNS, WARN, U1, U2, "01.0002",
		  "1", "2");
	tc_expect(r, 2, APMATRIX_FINDING_SHARED_APQNS, WARN, U2, U3,
		  "01.0002,01.0003", "1", "2,3");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_order_second_uuid)
{
	struct apmatrix_report *r;

	/* The pair with U3 is found first, the one with U2 sorts first. */
	tc_add(check, ctx, U1, "1", "1,2", "", ACTIVE);
	tc_add(check, ctx, U3, "1", "2", "", ACTIVE);
	tc_add(check, ctx, U2, "1", "1", "", ACTIVE);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U2, "01.0001",
		  "1", "1");
	tc_expect(r, 1, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U3, "01.0002",
		  "1", "2");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_control_domains_never)
{
	struct apmatrix_report *r;

	tc_add(check, ctx, U1, "1", "1", "0-255", ACTIVE);
	tc_add(check, ctx, U2, "1", "2", "0-255", ACTIVE);
	tc_add(check, ctx, U3, "2", "1", "0-255", ACTIVE);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), 0);
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_truncated_message)
{
	struct apmatrix_report *r;
	const struct apmatrix_finding *f;

	tc_add(check, ctx, U1, "1", "0-9", "", ACTIVE);
	tc_add(check, ctx, U2, "1", "0-9,20", "", ACTIVE);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U2,
		  "01.0000,01.0001,01.0002,01.0003,01.0004,01.0005,01.0006,"
		  "01.0007,01.0008,01.0009",
		  "1", "0,1,2,3,4,5,6,7,8,9");
	f = apmatrix_report_get(r, 0);
	ck_assert_str_eq(apmatrix_finding_get_message(f),
			 "mdev " U1 ": APQNs 01.0000, 01.0001, 01.0002, "
			 "01.0003, 01.0004, 01.0005, 01.0006, 01.0007 and 2 "
			 "more are also assigned to mdev " U2
			 "; both are active");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(duplicate_uuid)
{
	struct apmatrix_mdev *a = tc_mdev(ctx, U1, "1", "1", "", ACTIVE);
	struct apmatrix_mdev *b = NULL;

	ck_assert_int_eq(apmatrix_check_add_mdev(check, a), 0);
	ck_assert_int_eq(apmatrix_check_add_mdev(check, a), -EEXIST);
	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "11111111-1111-1111-1111-"
					   "111111111111",
					   &b),
			 0);
	test_call(ctx, apmatrix_check_add_mdev(check, b), -EEXIST,
		  "mdev 11111111-1111-1111-1111-111111111111 is already part");
	apmatrix_mdev_unref(b);
	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "AAAAAAAA-1111-1111-1111-"
					   "111111111111",
					   &b),
			 0);
	ck_assert_int_eq(apmatrix_check_add_mdev(check, b), 0);
	apmatrix_mdev_unref(b);
	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "aaaaaaaa-1111-1111-1111-"
					   "111111111111",
					   &b),
			 0);
	ck_assert_int_eq(apmatrix_check_add_mdev(check, b), -EEXIST);
	apmatrix_mdev_unref(b);
	apmatrix_mdev_unref(a);
}
END_TEST

START_TEST(argument_errors)
{
	struct apmatrix_report *r = NULL;
	struct apmatrix_idset *s = NULL;
	struct apmatrix_check *c = NULL;

	ck_assert_int_eq(apmatrix_check_new(NULL, &c), -EINVAL);
	ck_assert_int_eq(apmatrix_check_new(ctx, NULL), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_ptr_null(apmatrix_check_ref(NULL));
	ck_assert_ptr_null(apmatrix_check_unref(NULL));
	ck_assert_int_eq(apmatrix_check_run(NULL, 0, &r), -EINVAL);
	ck_assert_int_eq(apmatrix_check_run(check, 0, NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_check_run(check, 1, &r), -EINVAL);
	ck_assert_int_eq(apmatrix_check_run(check, 0x80000000u, &r), -EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(apmatrix_check_add_mdev(NULL, NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_check_add_mdev(check, NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_check_set_host(NULL, NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_check_set_host(check, NULL), 0);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &s), 0);
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(check, s, NULL),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(check, NULL, s),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(NULL, s, s),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(check, NULL, NULL),
			 0);
	apmatrix_idset_unref(s);
	ck_assert_ptr_eq(apmatrix_check_ref(check), check);
	ck_assert_ptr_null(apmatrix_check_unref(check));
	/* Empty check: no findings. */
	ck_assert_int_eq(apmatrix_check_run(check, 0, &r), 0);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), 0);
	apmatrix_report_unref(r);
}
END_TEST

/* Host pool: apmask {5,6}, aqmask {0x48,0x49}. */
static const struct {
	unsigned int state;
	int severity;
} pool_cases[] = {
	{ACTIVE, ERR},   {AUTO, ERR}, {ACTIVE | DEFINED, ERR},
	{DEFINED, WARN},
};

START_TEST(host_pool_active)
{
	struct apmatrix_host *host = tc_host(ctx, "0-15", "0-255", "0-255");
	struct apmatrix_report *r;

	tc_fill(apmatrix_host_get_apmask(host), "5,6");
	tc_fill(apmatrix_host_get_aqmask(host), "0x48,0x49");
	ck_assert_int_eq(apmatrix_host_bind_by_masks(host), 0);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	apmatrix_host_unref(host);
	tc_add(check, ctx, U1, "4,5,6", "0x47,0x48", "", pool_cases[_i].state);
	r = tc_run(check);
	/* The pool queues are bound to the default driver: they are also
	 * not bound to vfio_ap and filter adapters 5 and 6. */
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, APMATRIX_FINDING_HOST_POOL_ACTIVE,
		  pool_cases[_i].severity, U1, NULL, "05.0048,06.0048", "5,6",
		  "72");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": APQNs 05.0048, 06.0048 are reserved for "
		"host drivers by the active apmask and aqmask (not "
		"allowed for vfio_ap-passthrough use)");
	tc_expect(r, 1, APMATRIX_FINDING_QUEUE_NOT_BOUND, WARN, U1, NULL,
		  "05.0048,06.0048", "5,6", "72");
	tc_expect(r, 2, APMATRIX_FINDING_ADAPTER_FILTERED, WARN, U1, NULL,
		  "05.0048,06.0048", "5,6", "72");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(host_pool_default_masks)
{
	/* A new host reserves everything for the host drivers. */
	struct apmatrix_host *host = NULL;
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_host_new(ctx, &host), 0);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	apmatrix_host_unref(host);
	tc_add(check, ctx, U1, "1", "2", "", ACTIVE);
	tc_add(check, ctx, U2, "", "", "", ACTIVE | AUTO); /* says nothing */
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, APMATRIX_FINDING_HOST_POOL_ACTIVE, ERR, U1, NULL,
		  "01.0002", "1", "2");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": APQN 01.0002 is reserved for host "
		"drivers by the active apmask and aqmask (not allowed "
		"for vfio_ap-passthrough use)");
	tc_expect(r, 1, APMATRIX_FINDING_NOT_CONFIGURED, WARN, U1, NULL,
		  "01.0002", "1", "2");
	apmatrix_report_unref(r);
}
END_TEST

static const struct {
	unsigned int state;
	int severity;
} persistent_cases[] = {
	{AUTO, ERR},    {AUTO | ACTIVE, ERR},     {DEFINED, WARN},
	{ACTIVE, WARN}, {ACTIVE | DEFINED, WARN},
};

START_TEST(host_pool_persistent)
{
	struct apmatrix_idset *ap = NULL, *aq = NULL;
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_idset_new(ctx, &ap), 0);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &aq), 0);
	tc_fill(ap, "0-3");
	tc_fill(aq, "0-0x47");
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(check, ap, aq), 0);
	/* Copied: later changes do not count. */
	tc_fill(ap, "");
	apmatrix_idset_unref(ap);
	apmatrix_idset_unref(aq);
	tc_add(check, ctx, U1, "3,4", "0x47,0x48", "",
	       persistent_cases[_i].state);
	tc_add(check, ctx, U2, "4", "1", "", AUTO);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_HOST_POOL_PERSISTENT,
		  persistent_cases[_i].severity, U1, NULL, "03.0047", "3",
		  "71");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": APQN 03.0047 is reserved for host "
		"drivers by the persistent apmask and aqmask (not "
		"allowed for vfio_ap-passthrough use)");
	apmatrix_report_unref(r);
	/* Unset: gone. */
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(check, NULL, NULL),
			 0);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(over_limits_no_apxa)
{
	/* APXA off: 64 adapters, 16 domains. */
	struct apmatrix_host *host = tc_host(ctx, "0-63", "0-15", "0-15");
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	tc_add(check, ctx, U1, "4,64,70", "1,16", "1,20", ACTIVE);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, APMATRIX_FINDING_ADAPTER_OVER_LIMIT, ERR, U1, NULL,
		  "40.0001,40.0010,46.0001,46.0010", "64,70", "");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": adapters 0x40, 0x46 are over "
		"ap_max_adapter_id 0x3f");
	tc_expect(r, 1, APMATRIX_FINDING_DOMAIN_OVER_LIMIT, ERR, U1, NULL,
		  "04.0010,40.0010,46.0010", "", "16");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 1)),
		"mdev " U1 ": usage domain 0x10 is over "
		"ap_max_domain_id 0x0f");
	tc_expect(r, 2, APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT, ERR, U1,
		  NULL, "", "", "20");
	apmatrix_report_unref(r);

	/* The guest gets what is within the limits. */
	{
		struct apmatrix_mdev *m =
			tc_mdev(ctx, U2, "4,64,70", "1,16", "1,20", ACTIVE);
		struct apmatrix_matrix *g = NULL;

		ck_assert_int_eq(apmatrix_host_predict_guest_matrix(
					 host, apmatrix_mdev_get_matrix(m, LIVE), &g),
				 0);
		ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(g)), "4");
		ck_assert_str_eq(tc_ids(apmatrix_matrix_get_domains(g)), "1");
		ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(g)),
				 "1");
		apmatrix_matrix_unref(g);
		apmatrix_mdev_unref(m);
	}
	apmatrix_host_unref(host);
}
END_TEST

START_TEST(control_without_usage)
{
	struct apmatrix_report *r;

	/* Without a host. */
	tc_add(check, ctx, U1, "", "", "5,6", AUTO);
	tc_add(check, ctx, U2, "3", "", "5", DEFINED);
	tc_add(check, ctx, U3, "3", "7", "5", DEFINED);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE, ERR, U1, NULL,
		  "", "", "5,6");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": control domains 0x05, 0x06 but no usage "
		"domain; at least one usage domain must be specified");
	tc_expect(r, 1, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE, ERR, U2, NULL,
		  "", "", "5");
	tc_expect(r, 2, APMATRIX_FINDING_NO_QUEUES, INFO, U2, NULL, "", "3",
		  "");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(no_queues)
{
	struct apmatrix_report *r;

	tc_add(check, ctx, U2, "", "0x10,0x11", "", DEFINED);
	tc_add(check, ctx, U1, "1", "", "", ACTIVE);
	tc_add(check, ctx, U3, "", "", "", ACTIVE); /* empty: nothing to say */
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, APMATRIX_FINDING_NO_QUEUES, INFO, U1, NULL, "", "1",
		  "");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": adapter 0x01 but no usage domain; the "
		"guest gets no queue");
	tc_expect(r, 1, APMATRIX_FINDING_NO_QUEUES, INFO, U2, NULL, "", "",
		  "16,17");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 1)),
		"mdev " U2 ": usage domains 0x10, 0x11 but no adapter; "
		"the guest gets no queue");
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), INFO);
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(queues_missing_unbound_filtered)
{
	struct apmatrix_host *host = tc_host(ctx, "4-6", "1,2", "1,2");
	struct apmatrix_report *r;
	struct apmatrix_mdev *m;
	struct apmatrix_matrix *g = NULL;

	ck_assert_int_eq(apmatrix_host_remove_queue(host, APMATRIX_APQN(5, 2)),
			 0);
	ck_assert_int_eq(
		apmatrix_host_set_queue_driver(host, APMATRIX_APQN(6, 1),
					       APMATRIX_DRIVER_DEFAULT),
		0);
	ck_assert_int_eq(apmatrix_host_set_queue_driver(host,
							APMATRIX_APQN(6, 2),
							APMATRIX_DRIVER_NONE),
			 0);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	tc_add(check, ctx, U1, "4-6", "1,2", "1", ACTIVE);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, APMATRIX_FINDING_QUEUE_MISSING, WARN, U1, NULL,
		  "05.0002", "5", "2");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": queue 05.0002 does not exist on the host");
	tc_expect(r, 1, APMATRIX_FINDING_QUEUE_NOT_BOUND, WARN, U1, NULL,
		  "06.0001,06.0002", "6", "1,2");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 1)),
		"mdev " U1 ": queues 06.0001, 06.0002 are not bound to "
		"vfio_ap");
	tc_expect(r, 2, APMATRIX_FINDING_ADAPTER_FILTERED, WARN, U1, NULL,
		  "05.0002,06.0001,06.0002", "5,6", "1,2");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 2)),
		"mdev " U1 ": adapters 0x05, 0x06 are left out of the "
		"guest because queues 05.0002, 06.0001, 06.0002 are "
		"missing or not bound to vfio_ap");
	apmatrix_report_unref(r);

	m = tc_mdev(ctx, U2, "4-6", "1,2", "1", ACTIVE);
	ck_assert_int_eq(apmatrix_host_predict_guest_matrix(
				 host, apmatrix_mdev_get_matrix(m, LIVE), &g),
			 0);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(g)), "4");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_domains(g)), "1,2");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(g)), "1");
	apmatrix_matrix_unref(g);
	apmatrix_mdev_unref(m);
	apmatrix_host_unref(host);
}
END_TEST

START_TEST(queue_missing_whole_card)
{
	/* Adapter 7 is configured but has no card (e.g. removed). */
	struct apmatrix_host *host = tc_host(ctx, "4,7", "1", "1");
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_host_remove_card(host, 7), 0);
	ck_assert_int_eq(
		apmatrix_idset_test(apmatrix_host_get_adapter_mask(host), 7),
		1);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	apmatrix_host_unref(host);
	tc_add(check, ctx, U1, "4,7", "1", "1", AUTO);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, APMATRIX_FINDING_QUEUE_MISSING, WARN, U1, NULL,
		  "07.0001", "7", "1");
	tc_expect(r, 1, APMATRIX_FINDING_ADAPTER_FILTERED, WARN, U1, NULL,
		  "07.0001", "7", "1");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(not_configured)
{
	struct apmatrix_host *host = tc_host(ctx, "4", "1", "");
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	apmatrix_host_unref(host);
	tc_add(check, ctx, U1, "4,5", "1,2", "1", DEFINED);
	tc_add(check, ctx, U2, "4,5", "", "", DEFINED);
	tc_add(check, ctx, U3, "4", "3", "", DEFINED);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 5);
	tc_expect(r, 0, APMATRIX_FINDING_NOT_CONFIGURED, WARN, U1, NULL,
		  "04.0002,05.0001,05.0002", "5", "2");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 0)),
		"mdev " U1 ": adapter 0x05 and usage domain 0x02 are "
		"not in the host configuration; the guest does not get "
		"them");
	tc_expect(r, 1, APMATRIX_FINDING_NOT_CONFIGURED, WARN, U1, NULL, "", "",
		  "1");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 1)),
		"mdev " U1 ": control domain 0x01 is not in the host "
		"configuration; the guest does not get it");
	tc_expect(r, 2, APMATRIX_FINDING_NOT_CONFIGURED, WARN, U2, NULL, "",
		  "5", "");
	ck_assert_str_eq(
		apmatrix_finding_get_message(apmatrix_report_get(r, 2)),
		"mdev " U2 ": adapter 0x05 is not in the host "
		"configuration; the guest does not get it");
	tc_expect(r, 3, APMATRIX_FINDING_NOT_CONFIGURED, WARN, U3, NULL,
		  "04.0003", "", "3");
	tc_expect(r, 4, APMATRIX_FINDING_NO_QUEUES, INFO, U2, NULL, "", "4,5",
		  "");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(clean_host_no_findings)
{
	struct apmatrix_host *host = tc_host(ctx, "0-255", "0-255", "0-255");
	struct apmatrix_report *r;
	char uuid[40];

	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	apmatrix_host_unref(host);
	/* 256 mdevs, one adapter each, all domains: a partition. */
	for (unsigned int a = 0; a < 256; a++) {
		char ids[8];

		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-000000000000",
			 a);
		snprintf(ids, sizeof(ids), "%u", a);
		tc_add(check, ctx, uuid, ids, "0-255", "0-255", AUTO | ACTIVE);
	}
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(ordering)
{
	struct apmatrix_host *host = tc_host(ctx, "0-7", "0-7", "0-7");
	struct apmatrix_report *r;
	int prev_sev = 0, prev_code = 0;

	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	apmatrix_host_unref(host);
	tc_add(check, ctx, U4, "1", "", "", DEFINED);      /* info */
	tc_add(check, ctx, U3, "1,2", "1", "", DEFINED);   /* warn */
	tc_add(check, ctx, U2, "2,9", "1,20", "", ACTIVE); /* errors */
	tc_add(check, ctx, U1, "2", "1", "", ACTIVE);
	r = tc_run(check);
	for (unsigned int i = 0; i < apmatrix_report_get_count(r); i++) {
		const struct apmatrix_finding *f = apmatrix_report_get(r, i);
		int sev = apmatrix_finding_get_severity(f);
		int code = apmatrix_finding_get_code(f);

		ck_assert_int_ge(sev, prev_sev);
		if (sev == prev_sev)
			ck_assert_int_ge(code, prev_code);
		prev_sev = sev;
		prev_code = code;
	}
	ck_assert_uint_eq(apmatrix_report_get_count(r), 6);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U2, "02.0001",
		  "2", "1");
	tc_expect(r, 1, APMATRIX_FINDING_DOMAIN_OVER_LIMIT, ERR, U2, NULL,
		  "02.0014,09.0014", "", "20");
	tc_expect(r, 2, APMATRIX_FINDING_SHARED_APQNS, WARN, U1, U3, "02.0001",
		  "2", "1");
	tc_expect(r, 3, APMATRIX_FINDING_SHARED_APQNS, WARN, U2, U3, "02.0001",
		  "2", "1");
	tc_expect(r, 4, APMATRIX_FINDING_NOT_CONFIGURED, WARN, U2, NULL,
		  "09.0001", "9", "");
	tc_expect(r, 5, APMATRIX_FINDING_NO_QUEUES, INFO, U4, NULL, "", "1",
		  "");
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), ERR);
	apmatrix_report_unref(r);
}
END_TEST

/* The radix order of a run equals the comparison sort of the report. */
static void expect_sorted(struct apmatrix_report *r)
{
	unsigned int n = apmatrix_report_get_count(r);
	const struct apmatrix_finding **before = calloc(n + 1, sizeof(*before));

	ck_assert_ptr_nonnull(before);
	for (unsigned int i = 0; i < n; i++)
		before[i] = apmatrix_report_get(r, i);
	apmatrix_report_sort(r);
	for (unsigned int i = 0; i < n; i++)
		ck_assert_msg(before[i] == apmatrix_report_get(r, i),
			      "finding %u out of order", i);
	free(before);
}

/* A tiny deterministic PRNG (xorshift32). */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* The owner table must find exactly the pairs a naive comparison finds. */
START_TEST(random_against_naive)
{
	enum { N = 300 };
	static struct apmatrix_mdev *m[N];
	struct apmatrix_report *r;
	uint32_t seed = 12345 + (uint32_t)_i;
	unsigned int pairs = 0, found = 0;

	for (int i = 0; i < N; i++) {
		char uuid[40];
		struct apmatrix_matrix *mx;

		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012x", i, i);
		ck_assert_int_eq(apmatrix_mdev_new(ctx, uuid, &m[i]), 0);
		ck_assert_int_eq(apmatrix_mdev_add_config(m[i], LIVE, 0), 0);
		mx = apmatrix_mdev_get_matrix(m[i], LIVE);
		for (unsigned int k = rnd(&seed) % 4 + 1; k; k--)
			apmatrix_idset_set(apmatrix_matrix_get_adapters(mx),
					   rnd(&seed) % 16);
		for (unsigned int k = rnd(&seed) % 6 + 1; k; k--)
			apmatrix_idset_set(apmatrix_matrix_get_domains(mx),
					   rnd(&seed) % 24);
		ck_assert_int_eq(apmatrix_check_add_mdev(check, m[i]), 0);
	}
	r = tc_run(check);
	/* All errors of one code: findings come in (i, j) order, as the
	 * UUIDs sort like the indices. */
	for (int i = 0; i < N; i++) {
		for (int j = i + 1; j < N; j++) {
			struct apmatrix_matrix *a =
				apmatrix_mdev_get_matrix(m[i], LIVE);
			struct apmatrix_matrix *b =
				apmatrix_mdev_get_matrix(m[j], LIVE);
			unsigned int na = 0, nd = 0;
			const struct apmatrix_finding *f;

			for (unsigned int x = 0; x < 256; x++) {
				na += apmatrix_idset_test(
					      apmatrix_matrix_get_adapters(a),
					      x) &&
				      apmatrix_idset_test(
					      apmatrix_matrix_get_adapters(b),
					      x);
				nd += apmatrix_idset_test(
					      apmatrix_matrix_get_domains(a),
					      x) &&
				      apmatrix_idset_test(
					      apmatrix_matrix_get_domains(b),
					      x);
			}
			if (!na || !nd)
				continue;
			pairs++;
			f = apmatrix_report_get(r, found);
			ck_assert_ptr_nonnull(f);
			ck_assert_str_eq(apmatrix_finding_get_uuid(f, 0),
					 apmatrix_mdev_get_uuid(m[i]));
			ck_assert_str_eq(apmatrix_finding_get_uuid(f, 1),
					 apmatrix_mdev_get_uuid(m[j]));
			ck_assert_uint_eq(
				apmatrix_apqn_list_get_count(
					apmatrix_finding_get_apqns(f)),
				na * nd);
			found++;
		}
	}
	expect_sorted(r);
	ck_assert_uint_gt(pairs, 100);
	ck_assert_uint_eq(found, pairs);
	ck_assert_uint_eq(apmatrix_report_get_count(r), pairs);
	apmatrix_report_unref(r);
	for (int i = 0; i < N; i++)
		apmatrix_mdev_unref(m[i]);
}
END_TEST

/*
 * ap-check parity (peers.md 1.2): every configuration ap-check refuses is
 * flagged with the same APQNs, and is an error once both sides are in the
 * state ap-check compares (auto vs auto and persistent masks at define,
 * active vs active and active masks at start).
 */
START_TEST(ap_check_parity)
{
	struct apmatrix_host *host = tc_host(ctx, "0-15", "0-15", "0-15");
	struct apmatrix_idset *ap = NULL, *aq = NULL;
	struct apmatrix_mdev *cand = tc_mdev(ctx, U1, "2,3", "5,6", "5", AUTO);
	struct apmatrix_report *r;

	/* Active pool: adapter 3, domain 6 stay with the host. */
	tc_fill(apmatrix_host_get_apmask(host), "3");
	tc_fill(apmatrix_host_get_aqmask(host), "6");
	ck_assert_int_eq(apmatrix_host_bind_by_masks(host), 0);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	apmatrix_host_unref(host);
	/* Persistent pool: adapter 2, domain 5. */
	ck_assert_int_eq(apmatrix_idset_new(ctx, &ap), 0);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &aq), 0);
	tc_fill(ap, "2");
	tc_fill(aq, "5");
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(check, ap, aq), 0);
	apmatrix_idset_unref(ap);
	apmatrix_idset_unref(aq);
	ck_assert_int_eq(apmatrix_check_add_mdev(check, cand), 0);
	tc_add(check, ctx, U2, "3", "5", "",
	       AUTO); /* "defined for autostart" */
	tc_add(check, ctx, U3, "2", "6", "", ACTIVE); /* "already in use" */
	tc_add(check, ctx, U4, "", "", "7", AUTO);    /* no usage domain */

	/* Define of an autostart mdev: auto vs auto, persistent masks. */
	r = tc_run(check);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U2, "03.0005",
		  "3", "5");
	tc_expect(r, 1, APMATRIX_FINDING_HOST_POOL_ACTIVE, ERR, U1, NULL,
		  "03.0006", "3", "6");
	tc_expect(r, 2, APMATRIX_FINDING_HOST_POOL_PERSISTENT, ERR, U1, NULL,
		  "02.0005", "2", "5");
	tc_expect(r, 3, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE, ERR, U4, NULL,
		  "", "", "7");
	/* Start: against the active mdev, flagged before it runs... */
	tc_expect(r, 4, APMATRIX_FINDING_SHARED_APQNS, WARN, U1, U3, "02.0006",
		  "2", "6");
	apmatrix_report_unref(r);
	/* ...and an error once both are active. */
	ck_assert_int_eq(apmatrix_mdev_add_config(cand, LIVE, 0), 0);
	ck_assert_int_eq(apmatrix_matrix_assign(
				 apmatrix_mdev_get_matrix(cand, LIVE),
				 apmatrix_mdev_get_matrix(cand, DEFINED_ROLE)),
			 0);
	r = tc_run(check);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U2, "03.0005",
		  "3", "5");
	tc_expect(r, 1, APMATRIX_FINDING_SHARED_APQNS, ERR, U1, U3, "02.0006",
		  "2", "6");
	apmatrix_report_unref(r);
	apmatrix_mdev_unref(cand);
}
END_TEST

/* The report does not depend on the order mdevs were added in. */
START_TEST(input_order_independent)
{
	struct apmatrix_check *c2 = NULL;
	struct apmatrix_host *host = tc_host(ctx, "0-3", "0-3", "0");
	struct apmatrix_report *r1, *r2;
	static char j1[8192], j2[8192];
	const char *uuids[4] = {U1, U2, U3, U4};
	const char *ad[4] = {"0,1", "1,5", "1", ""};
	const char *dm[4] = {"0-2", "2,3", "2", "1"};
	const unsigned int st[4] = {ACTIVE, AUTO, AUTO, DEFINED};

	ck_assert_int_eq(apmatrix_check_new(ctx, &c2), 0);
	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	ck_assert_int_eq(apmatrix_check_set_host(c2, host), 0);
	apmatrix_host_unref(host);
	for (int i = 0; i < 4; i++) {
		tc_add(check, ctx, uuids[i], ad[i], dm[i], "0,1", st[i]);
		tc_add(c2, ctx, uuids[3 - i], ad[3 - i], dm[3 - i], "0,1",
		       st[3 - i]);
	}
	r1 = tc_run(check);
	r2 = tc_run(c2);
	ck_assert_uint_gt(apmatrix_report_get_count(r1), 5);
	ck_assert_int_lt(apmatrix_report_format_json(r1, 0, j1, sizeof(j1)),
			 (int)sizeof(j1));
	ck_assert_int_lt(apmatrix_report_format_json(r2, 0, j2, sizeof(j2)),
			 (int)sizeof(j2));
	ck_assert_msg(strcmp(j1, j2) == 0,
		      "the reports differ:\n%.300s\n%.300s", j1, j2);
	apmatrix_report_unref(r1);
	apmatrix_report_unref(r2);
	apmatrix_check_unref(c2);
}
END_TEST

/* The check reads the mdev's matrix at run time, and the report outlives
 * the check and the mdevs. */
START_TEST(lifetimes)
{
	struct apmatrix_mdev *a = tc_mdev(ctx, U1, "1", "1", "", ACTIVE);
	struct apmatrix_mdev *b = tc_mdev(ctx, U2, "2", "1", "", ACTIVE);
	struct apmatrix_report *r;
	struct apmatrix_apqn_list *l;

	ck_assert_int_eq(apmatrix_check_add_mdev(check, a), 0);
	ck_assert_int_eq(apmatrix_check_add_mdev(check, b), 0);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	apmatrix_report_unref(r);
	tc_fill(apmatrix_matrix_get_adapters(apmatrix_mdev_get_matrix(b, LIVE)),
		"1,2");
	apmatrix_mdev_unref(a);
	apmatrix_mdev_unref(b);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	apmatrix_check_unref(check);
	check = NULL;
	l = apmatrix_apqn_list_ref(
		apmatrix_finding_get_apqns(apmatrix_report_get(r, 0)));
	apmatrix_report_unref(r);
	/* The list keeps the report alive. */
	ck_assert_str_eq(tc_apqns(l), "01.0001");
	apmatrix_apqn_list_unref(l);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, shared_active_active);
	tcase_add_test(tc, shared_auto_auto);
	tcase_add_test(tc, shared_active_auto);
	tcase_add_loop_test(tc, shared_manual_any, 0,
			    sizeof(manual_pairs) / sizeof(manual_pairs[0]));
	tcase_add_test(tc, shared_active_both_kinds);
	tcase_add_test(tc, shared_uuid_order_and_single);
	tcase_add_test(tc, shared_three_way);
	tcase_add_test(tc, shared_order_second_uuid);
	tcase_add_test(tc, shared_control_domains_never);
	tcase_add_test(tc, shared_truncated_message);
	tcase_add_test(tc, duplicate_uuid);
	tcase_add_test(tc, argument_errors);
	tcase_add_loop_test(tc, host_pool_active, 0,
			    sizeof(pool_cases) / sizeof(pool_cases[0]));
	tcase_add_test(tc, host_pool_default_masks);
	tcase_add_loop_test(tc, host_pool_persistent, 0,
			    sizeof(persistent_cases) /
				    sizeof(persistent_cases[0]));
	tcase_add_test(tc, over_limits_no_apxa);
	tcase_add_test(tc, control_without_usage);
	tcase_add_test(tc, no_queues);
	tcase_add_test(tc, queues_missing_unbound_filtered);
	tcase_add_test(tc, queue_missing_whole_card);
	tcase_add_test(tc, not_configured);
	tcase_add_test(tc, clean_host_no_findings);
	tcase_add_test(tc, ordering);
	tcase_add_loop_test(tc, random_against_naive, 0, 3);
	tcase_add_test(tc, ap_check_parity);
	tcase_add_test(tc, input_order_independent);
	tcase_add_test(tc, lifetimes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
