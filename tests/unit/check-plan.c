/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Plans on in-memory hosts: step order, the kernel's refusals predicted up
 * front, reservations with their collateral, idempotence.
 */
#include <errno.h>
#include <string.h>

#include "apmatrix.h"
#include "plan-internal.h"
#include "testcheck.h"
#include "testlib.h"

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"
#define U3 "33333333-3333-4333-8333-333333333333"

static struct apmatrix_ctx *ctx;
static struct apmatrix_host *host;
static struct apmatrix_target *target;
static struct apmatrix_kstate live;

static void setup(void)
{
	ctx = test_ctx_new();
	/* cards 0-5, domains 0-5: all free for vfio_ap (empty masks) */
	host = tc_host(ctx, "0-5", "0-5", "0-5");
	ck_assert_int_eq(apmatrix_target_new(ctx, &target), 0);
	memset(&live, 0, sizeof(live));
	ck_assert_int_eq(apmatrix_kstate_from_host(&live, host), 0);
}

static void teardown(void)
{
	apmatrix_kstate_release(&live);
	apmatrix_target_unref(target);
	apmatrix_host_unref(host);
	ck_assert_ptr_null(apmatrix_unref(ctx));
}

static struct apmatrix_matrix *mx(const char *a, const char *d, const char *c)
{
	struct apmatrix_matrix *m = NULL;

	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m), 0);
	tc_fill(apmatrix_matrix_get_adapters(m), a);
	tc_fill(apmatrix_matrix_get_usage_domains(m), d);
	tc_fill(apmatrix_matrix_get_control_domains(m), c);
	return m;
}

/* A live mdev on the host (as discovery would report it). */
static void live_mdev(const char *uuid, const char *a, const char *d,
		      const char *c)
{
	struct apmatrix_matrix *m = mx(a, d, c);

	ck_assert_int_ge(apmatrix_kstate_add(&live, uuid, m), 0);
	apmatrix_matrix_unref(m);
}

static void want(const char *uuid, const char *a, const char *d, const char *c)
{
	struct apmatrix_matrix *m = mx(a, d, c);

	ck_assert_int_eq(apmatrix_target_set_mdev(target, uuid, m, 0), 0);
	apmatrix_matrix_unref(m);
}

static struct apmatrix_plan *plan(unsigned int flags)
{
	struct apmatrix_plan *p = NULL;

	ck_assert_int_eq(apmatrix_plan_new_from(target, host, &live, flags, &p),
			 0);
	ck_assert_ptr_nonnull(p);
	return p;
}

/* The steps as "kind uuid-prefix value;..." for exact comparison. */
static const char *steps(const struct apmatrix_plan *p)
{
	static char buf[8192];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < apmatrix_plan_get_step_count(p); i++) {
		const struct apmatrix_step *s = apmatrix_plan_get_step(p, i);
		const char *u = apmatrix_step_get_uuid(s);
		const char *v = apmatrix_step_get_value(s);

		len += (size_t)snprintf(
			buf + len, sizeof(buf) - len, "%s%s%s%.1s=%.*s",
			i ? ";" : "", apmatrix_step_get_attribute(s),
			u ? ":" : "", u ? u : "", (int)strcspn(v, "\n"), v);
	}
	return buf;
}

/* ap_config text: the three masks as leading hex bytes (tests use < 8) */
#define Z62 "00000000000000000000000000000000000000000000000000000000000000"
#define CFG(a, d, c) a Z62 ",0x" d Z62 ",0x" c Z62

START_TEST(create_two_writes_each)
{
	struct apmatrix_plan *p;

	want(U1, "0", "0-1", "0-1");
	want(U2, "1", "0-1", "");
	p = plan(0);
	ck_assert_ptr_null(apmatrix_plan_get_refusal(p));
	ck_assert_str_eq(steps(p),
			 "create:1=" U1 ";ap_config:1=0x" CFG(
				 "80", "c0",
				 "c0") ";create:2=" U2
				       ";ap_config:2=0x" CFG("40", "c0", "00"));
	ck_assert_str_eq(apmatrix_step_get_path(apmatrix_plan_get_step(p, 0)),
			 "devices/vfio_ap/matrix/mdev_supported_types/"
			 "vfio_ap-passthrough/create");
	ck_assert_str_eq(apmatrix_step_get_path(apmatrix_plan_get_step(p, 1)),
			 "devices/vfio_ap/matrix/" U1 "/ap_config");
	ck_assert_str_eq(
		tc_apqns(apmatrix_step_get_apqns(apmatrix_plan_get_step(p, 1))),
		"00.0000,00.0001");
	/* the prediction: both live, guests get what is assigned */
	ck_assert_uint_eq(apmatrix_plan_get_mdev_count(p), 2);
	ck_assert_str_eq(apmatrix_plan_get_mdev_uuid(p, 0), U1);
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(
				  apmatrix_plan_get_guest_matrix(p, 0)),
			  2);
	ck_assert_ptr_nonnull(apmatrix_plan_get_report(p));
	ck_assert_uint_eq(
		apmatrix_report_get_count(apmatrix_plan_get_report(p)), 0);
	apmatrix_plan_unref(p);
}
END_TEST

START_TEST(assign_path_order)
{
	struct apmatrix_plan *p;

	want(U1, "0,2", "1", "1");
	p = plan(APMATRIX_PLAN_NO_AP_CONFIG);
	ck_assert_str_eq(steps(p), "create:1=" U1 ";assign_adapter:1=0x0;"
				   "assign_adapter:1=0x2;assign_domain:1=0x1;"
				   "assign_control_domain:1=0x1");
	apmatrix_plan_unref(p);
}
END_TEST

START_TEST(idempotent)
{
	struct apmatrix_plan *p;
	char buf[16];

	live_mdev(U1, "0", "0-1", "0");
	want(U1, "0", "0-1", "0");
	p = plan(0);
	ck_assert_uint_eq(apmatrix_plan_get_step_count(p), 0);
	ck_assert_ptr_null(apmatrix_plan_get_refusal(p));
	/* no steps: empty text, the buffer terminated (was left unwritten) */
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(apmatrix_plan_format(p, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(apmatrix_plan_get_mdev_count(p), 1);
	apmatrix_plan_unref(p);
	/* the assign path too */
	p = plan(APMATRIX_PLAN_NO_AP_CONFIG);
	ck_assert_uint_eq(apmatrix_plan_get_step_count(p), 0);
	apmatrix_plan_unref(p);
}
END_TEST

/* B takes what A gives up: A must shrink first, or B gets EADDRINUSE. */
START_TEST(move_apqns_shrink_first)
{
	struct apmatrix_plan *p;

	live_mdev(U1, "0-1", "0", "");
	want(U2, "1", "0", "");
	want(U1, "0", "0", "");
	p = plan(0);
	ck_assert_ptr_null(apmatrix_plan_get_refusal(p));
	ck_assert_str_eq(steps(p),
			 "ap_config:1=0x" CFG("80", "80",
					      "00") ";create:2=" U2
						    ";ap_config:2=0x" CFG(
							    "40", "80", "00"));
	apmatrix_plan_unref(p);
	p = plan(APMATRIX_PLAN_NO_AP_CONFIG);
	ck_assert_ptr_null(apmatrix_plan_get_refusal(p));
	ck_assert_str_eq(steps(p), "unassign_adapter:1=0x1;create:2=" U2
				   ";assign_adapter:2=0x1;assign_domain:2=0x0");
	apmatrix_plan_unref(p);
}
END_TEST

/* Two mdevs swap adapters: both go down to what they keep, then up. */
START_TEST(swap_needs_intermediate)
{
	struct apmatrix_plan *p;

	live_mdev(U1, "0,2", "0", "");
	live_mdev(U2, "1,3", "0", "");
	want(U1, "1,2", "0", "");
	want(U2, "0,3", "0", "");
	p = plan(0);
	ck_assert_ptr_null(apmatrix_plan_get_refusal(p));
	ck_assert_str_eq(
		steps(p),
		"ap_config:1=0x" CFG("20", "80", "00") ";ap_config:2=0x" CFG(
			"10", "80",
			"00") ";ap_config:1=0x" CFG("60", "80",
						    "00") ";ap_config:2="
							  "0x" CFG("90", "80",
								   "00"));
	apmatrix_plan_unref(p);
}
END_TEST

/* Growing only: no intermediate write (one ap_config per mdev). */
START_TEST(hot_plug_one_write)
{
	struct apmatrix_plan *p;

	live_mdev(U1, "0", "0", "");
	live_mdev(U2, "1", "1", "");
	want(U1, "0", "0,2", "");
	p = plan(0);
	ck_assert_str_eq(steps(p), "ap_config:1=0x" CFG("80", "a0", "00"));
	ck_assert_str_eq(
		tc_apqns(apmatrix_step_get_apqns(apmatrix_plan_get_step(p, 0))),
		"00.0002");
	apmatrix_plan_unref(p);
}
END_TEST

START_TEST(refuse_in_use)
{
	struct apmatrix_plan *p;
	const struct apmatrix_result *r;

	live_mdev(U3, "1-2", "1-2", "");
	want(U1, "0-1", "2-3", "");
	p = plan(0);
	r = apmatrix_plan_get_refusal(p);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(apmatrix_result_get_error(r), -EADDRINUSE);
	ck_assert_int_eq(apmatrix_result_get_step(r), 1);
	ck_assert_str_eq(apmatrix_result_get_uuid(r), U1);
	ck_assert_str_eq(apmatrix_result_get_other_uuid(r), U3);
	ck_assert_str_eq(tc_apqns(apmatrix_result_get_apqns(r)), "01.0002");
	ck_assert_ptr_nonnull(strstr(apmatrix_result_get_message(r),
				     "mdev " U3 " already holds APQN 01.0002"));
	ck_assert_ptr_null(apmatrix_plan_get_report(p));
	ck_assert_uint_eq(apmatrix_plan_get_mdev_count(p), 0);
	apmatrix_plan_unref(p);
}
END_TEST

START_TEST(refuse_host_pool)
{
	struct apmatrix_plan *p;
	const struct apmatrix_result *r;

	tc_fill(apmatrix_host_get_apmask(host), "0");
	tc_fill(apmatrix_host_get_aqmask(host), "0-1");
	apmatrix_kstate_release(&live);
	ck_assert_int_eq(apmatrix_kstate_from_host(&live, host), 0);
	want(U1, "0-1", "1-2", "");
	p = plan(0);
	r = apmatrix_plan_get_refusal(p);
	ck_assert_int_eq(apmatrix_result_get_error(r), -EADDRNOTAVAIL);
	ck_assert_str_eq(tc_apqns(apmatrix_result_get_apqns(r)), "00.0001");
	ck_assert_ptr_null(apmatrix_result_get_other_uuid(r));
	apmatrix_plan_unref(p);
}
END_TEST

START_TEST(refuse_over_limit)
{
	struct apmatrix_plan *p;
	const struct apmatrix_result *r;

	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	apmatrix_kstate_release(&live);
	ck_assert_int_eq(apmatrix_kstate_from_host(&live, host), 0);
	want(U1, "0,64", "1", "");
	p = plan(0);
	r = apmatrix_plan_get_refusal(p);
	ck_assert_int_eq(apmatrix_result_get_error(r), -ENODEV);
	ck_assert_ptr_nonnull(strstr(apmatrix_result_get_message(r),
				     "adapters over the limit: 0x40"));
	apmatrix_plan_unref(p);
	/* the assign path fails on the adapter write itself */
	p = plan(APMATRIX_PLAN_NO_AP_CONFIG);
	r = apmatrix_plan_get_refusal(p);
	ck_assert_int_eq(apmatrix_result_get_error(r), -ENODEV);
	ck_assert_int_eq(apmatrix_result_get_step(r), 2);
	apmatrix_plan_unref(p);
}
END_TEST

START_TEST(refuse_two_targets_share)
{
	struct apmatrix_plan *p;
	const struct apmatrix_result *r;

	want(U1, "0", "0-1", "");
	want(U2, "0", "1-2", "");
	p = plan(0);
	r = apmatrix_plan_get_refusal(p);
	ck_assert_int_eq(apmatrix_result_get_error(r), -EADDRINUSE);
	ck_assert_str_eq(apmatrix_result_get_uuid(r), U2);
	ck_assert_str_eq(apmatrix_result_get_other_uuid(r), U1);
	ck_assert_str_eq(tc_apqns(apmatrix_result_get_apqns(r)), "00.0001");
	apmatrix_plan_unref(p);
}
END_TEST

/* Masks all-ones: giving 04.0001, 04.0002 to vfio_ap. */
START_TEST(give_to_vfio_smallest_edit)
{
	struct apmatrix_plan *p;
	struct apmatrix_matrix *q = mx("4", "1-2", "");
	const struct apmatrix_step *s;

	tc_fill(apmatrix_host_get_apmask(host), "0-255");
	tc_fill(apmatrix_host_get_aqmask(host), "0-255");
	apmatrix_kstate_release(&live);
	ck_assert_int_eq(apmatrix_kstate_from_host(&live, host), 0);
	ck_assert_int_eq(apmatrix_target_give_to_vfio(target, q, 0), 0);
	p = plan(0);
	/* -4 moves 6 queues (4 collateral), -1,-2 on aqmask 12 (8) */
	ck_assert_str_eq(steps(p), "apmask=-4");
	s = apmatrix_plan_get_step(p, 0);
	ck_assert_int_eq(apmatrix_step_get_kind(s), APMATRIX_STEP_RELEASE);
	ck_assert_str_eq(tc_apqns(apmatrix_step_get_apqns(s)),
			 "04.0000,04.0001,04.0002,04.0003,04.0004,04.0005");
	ck_assert_str_eq(tc_apqns(apmatrix_step_get_collateral(s)),
			 "04.0000,04.0003,04.0004,04.0005");
	apmatrix_plan_unref(p);
	apmatrix_matrix_unref(q);

	/* adapters 0-4 x domain 1: clearing domain 1 moves 6, adapters 25 */
	apmatrix_target_unref(target);
	ck_assert_int_eq(apmatrix_target_new(ctx, &target), 0);
	q = mx("0-4", "1", "");
	ck_assert_int_eq(apmatrix_target_give_to_vfio(target, q, 0), 0);
	p = plan(0);
	ck_assert_str_eq(steps(p), "aqmask=-1");
	ck_assert_str_eq(tc_apqns(apmatrix_step_get_collateral(
				 apmatrix_plan_get_step(p, 0))),
			 "05.0001");
	apmatrix_plan_unref(p);
	apmatrix_matrix_unref(q);
}
END_TEST

/* Give queues back to the host while an mdev holds one: EBUSY up front. */
START_TEST(give_to_host_in_use)
{
	struct apmatrix_plan *p;
	struct apmatrix_matrix *q = mx("2-3", "4", "");
	const struct apmatrix_result *r;

	live_mdev(U3, "3", "4-5", "");
	ck_assert_int_eq(apmatrix_target_give_to_host(target, q, 0), 0);
	p = plan(0);
	ck_assert_str_eq(steps(p), "apmask=+2-3;aqmask=+4");
	r = apmatrix_plan_get_refusal(p);
	ck_assert_int_eq(apmatrix_result_get_error(r), -EBUSY);
	ck_assert_int_eq(apmatrix_result_get_step(r), 1);
	ck_assert_str_eq(apmatrix_result_get_other_uuid(r), U3);
	ck_assert_str_eq(tc_apqns(apmatrix_result_get_apqns(r)), "03.0004");
	apmatrix_plan_unref(p);

	/* removing the mdev in the same plan makes it work: remove first */
	ck_assert_int_eq(apmatrix_target_remove_mdev(target, U3, 0), 0);
	p = plan(0);
	ck_assert_ptr_null(apmatrix_plan_get_refusal(p));
	ck_assert_str_eq(steps(p), "remove:3=1;apmask=+2-3;aqmask=+4");
	ck_assert_uint_eq(apmatrix_plan_get_mdev_count(p), 0);
	apmatrix_plan_unref(p);
	apmatrix_matrix_unref(q);
}
END_TEST

/* Release before the mdev that needs the queues, reclaim after. */
START_TEST(masks_around_mdevs)
{
	struct apmatrix_plan *p;
	struct apmatrix_idset *am = NULL, *qm = NULL;

	tc_fill(apmatrix_host_get_apmask(host), "0-5");
	tc_fill(apmatrix_host_get_aqmask(host), "0-5");
	apmatrix_kstate_release(&live);
	ck_assert_int_eq(apmatrix_kstate_from_host(&live, host), 0);
	live_mdev(U2, "", "", "");
	ck_assert_int_eq(apmatrix_idset_new(ctx, &am), 0);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &qm), 0);
	tc_fill(am, "0-3,6");
	tc_fill(qm, "0-5");
	ck_assert_int_eq(apmatrix_target_set_masks(target, am, qm, 0), 0);
	want(U1, "4", "0", "");
	p = plan(0);
	ck_assert_ptr_null(apmatrix_plan_get_refusal(p));
	ck_assert_str_eq(steps(p),
			 "apmask=-4-5;create:1=" U1
			 ";ap_config:1=0x" CFG("08", "80", "00") ";apmask=+6");
	apmatrix_plan_unref(p);
	apmatrix_idset_unref(am);
	apmatrix_idset_unref(qm);
}
END_TEST

START_TEST(format_text)
{
	struct apmatrix_plan *p;
	char buf[4096];
	int n;

	live_mdev(U3, "1", "1", "");
	want(U1, "0", "0", "");
	want(U2, "1", "1", "");
	p = plan(0);
	n = apmatrix_plan_format(p, 0, NULL, 0);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(apmatrix_plan_format(p, 0, buf, sizeof(buf)), n);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	ck_assert_ptr_nonnull(strstr(buf,
				     "1. create " U1 ": " U1 " > /sys/devices/"
				     "vfio_ap/matrix/mdev_supported_"
				     "types/vfio_ap-passthrough/create\n"));
	ck_assert_ptr_nonnull(strstr(buf, "refused: step 4 (ap_config"));
	/* truncated output is still terminated and the length is the same */
	ck_assert_int_eq(apmatrix_plan_format(p, 0, buf, 10), n);
	ck_assert_uint_eq(strlen(buf), 9);
	ck_assert_int_eq(apmatrix_plan_format(p, 1, buf, sizeof(buf)), -EINVAL);
	apmatrix_plan_unref(p);
}
END_TEST

START_TEST(bad_arguments)
{
	struct apmatrix_matrix *m = mx("0", "0", "");
	struct apmatrix_plan *p = NULL;

	test_call(ctx, apmatrix_target_set_mdev(target, "nope", m, 0), -EINVAL,
		  "nope");
	test_call(ctx, apmatrix_target_set_mdev(target, U1, m, 0), 0, NULL);
	test_call(ctx, apmatrix_target_set_mdev(target, U1, m, 0), -EEXIST, U1);
	test_call(ctx, apmatrix_target_remove_mdev(target, U1, 0), -EEXIST, U1);
	test_call(ctx, apmatrix_target_remove_mdev(target, NULL, 0), -EINVAL,
		  "NULL UUID");
	test_call(ctx, apmatrix_target_set_mdev(target, U2, m, 2), -EINVAL,
		  "flags 0x2");
	test_call(ctx, apmatrix_target_set_mdev(target, U2, NULL, 0), -EINVAL,
		  "NULL");
	test_call(ctx,
		  apmatrix_target_set_masks(
			  target, apmatrix_matrix_get_adapters(m), NULL, 0),
		  -EINVAL, "both masks");
	test_call(ctx, apmatrix_target_set_masks(target, NULL, NULL, 4),
		  -EINVAL, "flags 0x4");
	test_call(ctx, apmatrix_target_set_masks(target, NULL, NULL, 0), 0,
		  NULL);
	tc_fill(apmatrix_matrix_get_usage_domains(m), "");
	test_call(ctx, apmatrix_target_give_to_vfio(target, m, 0), -EINVAL,
		  "give_to_vfio: the matrix names no queue");
	test_call(ctx, apmatrix_target_give_to_host(target, m, 1), -EINVAL,
		  "give_to_host: unknown flags 0x1");
	test_call(ctx, apmatrix_target_give_to_host(target, NULL, 0), -EINVAL,
		  "NULL matrix");
	test_call(ctx, apmatrix_plan_new(target, NULL, 0, &p), -EINVAL,
		  "NULL argument");
	test_call(ctx, apmatrix_plan_new(target, host, 8, &p), -EINVAL,
		  "unknown flags 0x8");
	ck_assert_ptr_null(p);
	test_call(ctx, apmatrix_plan_new(target, host, 0, &p), 0, NULL);
	test_call(ctx, apmatrix_plan_format(p, 1, NULL, 0), -EINVAL,
		  "unknown flags");
	ck_assert_ptr_null(apmatrix_plan_get_step(p, 2));
	ck_assert_ptr_null(apmatrix_plan_get_mdev_uuid(p, 1));
	ck_assert_ptr_null(apmatrix_plan_get_guest_matrix(p, 1));
	ck_assert_ptr_null(apmatrix_plan_ref(NULL));
	ck_assert_ptr_null(apmatrix_plan_unref(NULL));
	ck_assert_ptr_null(apmatrix_target_unref(NULL));
	ck_assert_ptr_null(apmatrix_result_unref(NULL));
	ck_assert_int_eq(apmatrix_target_set_mdev(NULL, U1, m, 0), -EINVAL);
	apmatrix_plan_unref(p);
	apmatrix_matrix_unref(m);
}
END_TEST

/* A step's lists keep the plan alive. */
START_TEST(list_keeps_plan)
{
	struct apmatrix_plan *p;
	struct apmatrix_apqn_list *l;

	want(U1, "0", "0", "");
	p = plan(0);
	l = (struct apmatrix_apqn_list *)apmatrix_step_get_apqns(
		apmatrix_plan_get_step(p, 1));
	apmatrix_apqn_list_ref(l);
	apmatrix_plan_unref(p);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 1);
	apmatrix_apqn_list_unref(l);
}
END_TEST

/* Through the public call: live mdevs come from the host snapshot. */
START_TEST(live_mdevs_from_host)
{
	struct apmatrix_mdev *m = NULL;
	struct apmatrix_matrix *lm = mx("0", "0-1", "");
	struct apmatrix_plan *p = NULL;
	const struct apmatrix_result *r;

	ck_assert_int_eq(apmatrix_mdev_new(ctx, U3, &m), 0);
	ck_assert_int_eq(apmatrix_mdev_add_config(m, APMATRIX_ROLE_LIVE, 0), 0);
	ck_assert_int_eq(
		apmatrix_matrix_assign(
			apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_LIVE), lm),
		0);
	ck_assert_int_eq(apmatrix_host_add_mdev(host, m), 0);
	want(U1, "0", "1", "");
	ck_assert_int_eq(apmatrix_plan_new(target, host, 0, &p), 0);
	r = apmatrix_plan_get_refusal(p);
	ck_assert_int_eq(apmatrix_result_get_error(r), -EADDRINUSE);
	ck_assert_str_eq(apmatrix_result_get_other_uuid(r), U3);
	apmatrix_plan_unref(p);
	/* the same state as live: nothing to do */
	apmatrix_target_unref(target);
	ck_assert_int_eq(apmatrix_target_new(ctx, &target), 0);
	want(U3, "0", "0-1", "");
	ck_assert_int_eq(apmatrix_plan_new(target, host, 0, &p), 0);
	ck_assert_uint_eq(apmatrix_plan_get_step_count(p), 0);
	ck_assert_uint_eq(apmatrix_plan_get_mdev_count(p), 1);
	apmatrix_plan_unref(p);
	apmatrix_mdev_unref(m);
	apmatrix_matrix_unref(lm);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, create_two_writes_each);
	tcase_add_test(tc, assign_path_order);
	tcase_add_test(tc, idempotent);
	tcase_add_test(tc, move_apqns_shrink_first);
	tcase_add_test(tc, swap_needs_intermediate);
	tcase_add_test(tc, hot_plug_one_write);
	tcase_add_test(tc, refuse_in_use);
	tcase_add_test(tc, refuse_host_pool);
	tcase_add_test(tc, refuse_over_limit);
	tcase_add_test(tc, refuse_two_targets_share);
	tcase_add_test(tc, give_to_vfio_smallest_edit);
	tcase_add_test(tc, give_to_host_in_use);
	tcase_add_test(tc, masks_around_mdevs);
	tcase_add_test(tc, format_text);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, list_keeps_plan);
	tcase_add_test(tc, live_mdevs_from_host);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
