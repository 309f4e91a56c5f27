/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conflict engine: every finding code and role pair, exact APQNs, UUIDs,
 * roles and severities; merging by UUID; the order of findings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix.h"
#include "testcheck.h"
#include "testlib.h"

#define U1 "11111111-1111-1111-1111-111111111111"
#define U2 "22222222-2222-2222-2222-222222222222"
#define U3 "33333333-3333-3333-3333-333333333333"
#define U4 "44444444-4444-4444-4444-444444444444"

#define ACTIVE APMATRIX_MDEV_ACTIVE
#define DEFINED APMATRIX_MDEV_DEFINED
#define AUTO (APMATRIX_MDEV_DEFINED | APMATRIX_MDEV_AUTOSTART)
#define LIVE APMATRIX_ROLE_LIVE

#define ERR APMATRIX_SEVERITY_ERROR
#define WARN APMATRIX_SEVERITY_WARNING
#define INFO APMATRIX_SEVERITY_INFO

#define SHARED APMATRIX_FINDING_SHARED_APQNS

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

static struct apmatrix_host *set_host(const char *cards, const char *domains,
				      const char *controls)
{
	struct apmatrix_host *host = tc_host(ctx, cards, domains, controls);

	ck_assert_int_eq(apmatrix_check_set_host(check, host), 0);
	apmatrix_host_unref(host);
	return host; /* borrowed: the check holds it */
}

static void set_persistent(const char *apmask, const char *aqmask)
{
	struct apmatrix_idset *ap = NULL, *aq = NULL;

	ck_assert_int_eq(apmatrix_idset_new(ctx, &ap), 0);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &aq), 0);
	tc_fill(ap, apmask);
	tc_fill(aq, aqmask);
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(check, ap, aq), 0);
	/* Copied: later changes do not count. */
	tc_fill(ap, "");
	apmatrix_idset_unref(ap);
	apmatrix_idset_unref(aq);
}

/* ------------------------------------------------------------------ */
/* Sharing, by role pair                                               */

START_TEST(shared_live_live)
{
	struct apmatrix_report *r;

	tc_add_live(check, ctx, U1, "4,5", "0x47", "");
	tc_add_live(check, ctx, U2, "5,4,6", "0x47,0x48", "0x47");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, SHARED, ERR, TC_L(U1) " " TC_L(U2), "04.0047,05.0047",
		  "4,5", "71", "");
	ck_assert_str_eq(tc_message(r, 0),
			 "mdev " U1 " (live): APQNs 04.0047, 05.0047 are also "
			 "assigned to mdev " U2 " (live); both are live");
	ck_assert_str_eq(apmatrix_finding_get_code_name(
				 apmatrix_report_get_finding(r, 0)),
			 "shared-apqns");
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), ERR);
	apmatrix_report_unref(r);
}
END_TEST

/* Definitions against definitions: an error only when both autostart. */
static const struct {
	int auto1, auto2, severity;
	const char *why;
} def_pairs[] = {
	{1, 1, ERR, "both start automatically, the second one fails"},
	{1, 0, WARN, "they cannot run at the same time"},
	{0, 1, WARN, "they cannot run at the same time"},
	{0, 0, WARN, "they cannot run at the same time"},
};

START_TEST(shared_defined_defined)
{
	struct apmatrix_report *r;
	char want[512];

	tc_add_def(check, ctx, U2, "5,4,6", "0x47,0x48", "",
		   def_pairs[_i].auto2);
	tc_add_def(check, ctx, U1, "4,5", "0x47", "", def_pairs[_i].auto1);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, SHARED, def_pairs[_i].severity, TC_D(U1) " " TC_D(U2),
		  "04.0047,05.0047", "4,5", "71", "");
	snprintf(want, sizeof(want),
		 "mdev " U1 " (defined, %s): APQNs 04.0047, 05.0047 are also "
		 "assigned to mdev " U2 " (defined, %s); %s",
		 def_pairs[_i].auto1 ? "autostart" : "manual start",
		 def_pairs[_i].auto2 ? "autostart" : "manual start",
		 def_pairs[_i].why);
	ck_assert_str_eq(tc_message(r, 0), want);
	apmatrix_report_unref(r);
}
END_TEST

/* A definition against what another mdev has live: it cannot start. */
START_TEST(shared_defined_live)
{
	struct apmatrix_report *r;

	tc_add_def(check, ctx, U2, "1", "2", "", 1);
	tc_add_live(check, ctx, U1, "0-3", "2", "");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	/* The smaller UUID first, each with its role. */
	tc_expect(r, 0, SHARED, WARN, TC_L(U1) " " TC_D(U2), "01.0002", "1",
		  "2", "");
	ck_assert_str_eq(tc_message(r, 0),
			 "mdev " U1 " (live): APQN 01.0002 is also assigned "
			 "to mdev " U2 " (defined, autostart); the definition "
			 "cannot start while " U1 " runs");
	apmatrix_report_unref(r);
}
END_TEST

/*
 * An mdev live with its definition: the live pair says it all; once the
 * definition differs, it is checked against the other live mdev too.
 */
START_TEST(shared_defined_live_skip_equal)
{
	struct apmatrix_report *r;
	struct apmatrix_mdev *m =
		tc_mdev(ctx, U1, "1,2", "2", "7", ACTIVE | AUTO);

	ck_assert_int_eq(apmatrix_check_add_mdev(check, m), 0);
	tc_add(check, ctx, U2, "2", "2", "", ACTIVE | AUTO);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, SHARED, ERR, TC_L(U1) " " TC_L(U2), "02.0002", "2", "2",
		  "");
	tc_expect(r, 1, SHARED, ERR, TC_D(U1) " " TC_D(U2), "02.0002", "2", "2",
		  "");
	apmatrix_report_unref(r);
	/* Control domains do not matter for sharing: still skipped. */
	tc_fill(apmatrix_matrix_get_control_domains(
			apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED)),
		"");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	apmatrix_report_unref(r);
	/* The definition now differs from the live matrix. */
	tc_fill(apmatrix_matrix_get_usage_domains(
			apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED)),
		"2,3");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, SHARED, ERR, TC_L(U1) " " TC_L(U2), "02.0002", "2", "2",
		  "");
	tc_expect(r, 1, SHARED, ERR, TC_D(U1) " " TC_D(U2), "02.0002", "2", "2",
		  "");
	/* U2 runs its definition: no pair of it with U1's live matrix. */
	tc_expect(r, 2, SHARED, WARN, TC_D(U1) " " TC_L(U2), "02.0002", "2",
		  "2", "");
	apmatrix_report_unref(r);
	apmatrix_mdev_unref(m);
}
END_TEST

/* An mdev is never paired with itself, whatever its two matrices hold. */
START_TEST(shared_never_self)
{
	struct apmatrix_report *r;

	tc_add_live(check, ctx, U1, "1", "1,2", "");
	tc_add_def(check, ctx, U1, "1", "2,3", "", 1);
	tc_add(check, ctx, U2, "5", "5", "", ACTIVE | AUTO);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	ck_assert_int_eq(apmatrix_report_get_max_severity(r),
			 APMATRIX_SEVERITY_NONE);
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_three_way)
{
	struct apmatrix_report *r;

	tc_add_live(check, ctx, U3, "1", "1-3", "");
	tc_add_live(check, ctx, U1, "1,2", "2", "");
	tc_add_def(check, ctx, U2, "1", "2,3", "", 0);
	tc_add_live(check, ctx, U4, "3", "1-3", ""); /* shares nothing */
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, SHARED, ERR, TC_L(U1) " " TC_L(U3), "01.0002", "1", "2",
		  "");
	tc_expect(r, 1, SHARED, WARN, TC_L(U1) " " TC_D(U2), "01.0002", "1",
		  "2", "");
	tc_expect(r, 2, SHARED, WARN, TC_D(U2) " " TC_L(U3), "01.0002,01.0003",
		  "1", "2,3", "");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_order_second_uuid)
{
	struct apmatrix_report *r;

	/* The pair with U3 is found first, the one with U2 sorts first. */
	tc_add_live(check, ctx, U1, "1", "1,2", "");
	tc_add_live(check, ctx, U3, "1", "2", "");
	tc_add_live(check, ctx, U2, "1", "1", "");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, SHARED, ERR, TC_L(U1) " " TC_L(U2), "01.0001", "1", "1",
		  "");
	tc_expect(r, 1, SHARED, ERR, TC_L(U1) " " TC_L(U3), "01.0002", "1", "2",
		  "");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_control_domains_never)
{
	struct apmatrix_report *r;

	tc_add(check, ctx, U1, "1", "1", "0-255", ACTIVE | AUTO);
	tc_add(check, ctx, U2, "1", "2", "0-255", ACTIVE | AUTO);
	tc_add(check, ctx, U3, "2", "1", "0-255", ACTIVE | AUTO);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(shared_truncated_message)
{
	struct apmatrix_report *r;

	tc_add_live(check, ctx, U1, "1", "0-9", "");
	tc_add_live(check, ctx, U2, "1", "0-9,20", "");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, SHARED, ERR, TC_L(U1) " " TC_L(U2),
		  "01.0000,01.0001,01.0002,01.0003,01.0004,01.0005,01.0006,"
		  "01.0007,01.0008,01.0009",
		  "1", "0,1,2,3,4,5,6,7,8,9", "");
	ck_assert_str_eq(tc_message(r, 0),
			 "mdev " U1 " (live): APQNs 01.0000, 01.0001, 01.0002, "
			 "01.0003, 01.0004, 01.0005, 01.0006, 01.0007 and 2 "
			 "more are also assigned to mdev " U2
			 " (live); both are live");
	apmatrix_report_unref(r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Adding mdevs: merge by UUID                                         */

START_TEST(add_merges_by_uuid)
{
	struct apmatrix_mdev *live = tc_mdev(ctx, U1, "1", "1", "", ACTIVE);
	struct apmatrix_mdev *def = tc_mdev(ctx, U1, "1", "1,2", "", AUTO);
	struct apmatrix_mdev *both =
		tc_mdev(ctx, U1, "1", "1", "", ACTIVE | AUTO);
	struct apmatrix_mdev *none = NULL, *upper = NULL;
	struct apmatrix_report *r;

	test_call(ctx, apmatrix_check_add_mdev(check, live), 0, NULL);
	/* The same role again: from the same object or another one. */
	test_call(ctx, apmatrix_check_add_mdev(check, live), -EEXIST,
		  "mdev " U1 ": the check already has its live configuration");
	test_call(ctx, apmatrix_check_add_mdev(check, both), -EEXIST,
		  "already has its live configuration");
	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "11111111-1111-1111-1111-"
					   "111111111111",
					   &upper),
			 0);
	ck_assert_int_eq(apmatrix_mdev_add_config(upper, LIVE, 0), 0);
	test_call(ctx, apmatrix_check_add_mdev(check, upper), -EEXIST, U1);
	/* The definition from another object joins the same mdev. */
	test_call(ctx, apmatrix_check_add_mdev(check, def), 0, NULL);
	test_call(ctx, apmatrix_check_add_mdev(check, def), -EEXIST,
		  "already has its defined configuration");
	/* Nothing to check. */
	ck_assert_int_eq(apmatrix_mdev_new(ctx, U2, &none), 0);
	test_call(ctx, apmatrix_check_add_mdev(check, none), -EINVAL,
		  "mdev " U2 " has no live or defined configuration");
	ck_assert_int_eq(apmatrix_mdev_add_config(none, APMATRIX_ROLE_GUEST, 0),
			 0);
	test_call(ctx, apmatrix_check_add_mdev(check, none), -EINVAL,
		  "has no live or defined configuration");
	test_call(ctx, apmatrix_check_add_mdev(check, NULL), -EINVAL,
		  "NULL mdev");
	/* One mdev: never paired with itself. */
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	apmatrix_report_unref(r);
	/* A second mdev sees both configurations of the first. */
	tc_add(check, ctx, U2, "1", "2", "", ACTIVE | AUTO);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, SHARED, ERR, TC_D(U1) " " TC_D(U2), "01.0002", "1", "2",
		  "");
	tc_expect(r, 1, SHARED, WARN, TC_D(U1) " " TC_L(U2), "01.0002", "1",
		  "2", "");
	apmatrix_report_unref(r);
	/* The start mode and matrices are read when the check runs. */
	ck_assert_int_eq(apmatrix_mdev_set_autostart(def, 0), 0);
	r = tc_run(check);
	tc_expect(r, 1, SHARED, WARN, TC_D(U1) " " TC_D(U2), "01.0002", "1",
		  "2", "");
	apmatrix_report_unref(r);
	/* A configuration removed after adding is not checked. */
	ck_assert_int_eq(
		apmatrix_mdev_remove_config(def, APMATRIX_ROLE_DEFINED, 0), 0);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	apmatrix_report_unref(r);
	apmatrix_mdev_unref(upper);
	apmatrix_mdev_unref(none);
	apmatrix_mdev_unref(both);
	apmatrix_mdev_unref(def);
	apmatrix_mdev_unref(live);
}
END_TEST

START_TEST(argument_errors)
{
	struct apmatrix_report *r = NULL;
	struct apmatrix_idset *s = NULL;
	struct apmatrix_check *c = NULL;

	ck_assert_int_eq(apmatrix_check_new(NULL, &c), -EINVAL);
	test_call(ctx, apmatrix_check_new(ctx, NULL), -EINVAL, "NULL");
	ck_assert_ptr_null(c);
	test_call(ctx, apmatrix_check_new(ctx, &c), 0, NULL);
	apmatrix_check_unref(c);
	ck_assert_ptr_null(apmatrix_check_ref(NULL));
	ck_assert_ptr_null(apmatrix_check_unref(NULL));
	ck_assert_int_eq(apmatrix_check_run(NULL, 0, &r), -EINVAL);
	test_call(ctx, apmatrix_check_run(check, 0, NULL), -EINVAL,
		  "NULL report");
	test_call(ctx, apmatrix_check_run(check, 1, &r), -EINVAL,
		  "unknown flags 0x1");
	test_call(ctx, apmatrix_check_run(check, 0x80000000u, &r), -EINVAL,
		  "unknown flags 0x80000000");
	ck_assert_ptr_null(r);
	ck_assert_int_eq(apmatrix_check_add_mdev(NULL, NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_check_set_host(NULL, NULL), -EINVAL);
	test_call(ctx, apmatrix_check_set_host(check, NULL), 0, NULL);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &s), 0);
	test_call(ctx, apmatrix_check_set_persistent_masks(check, s, NULL),
		  -EINVAL, "give both apmask and aqmask");
	test_call(ctx, apmatrix_check_set_persistent_masks(check, NULL, s),
		  -EINVAL, "give both apmask and aqmask");
	ck_assert_int_eq(apmatrix_check_set_persistent_masks(NULL, s, s),
			 -EINVAL);
	test_call(ctx, apmatrix_check_set_persistent_masks(check, s, s), 0,
		  NULL);
	test_call(ctx, apmatrix_check_set_persistent_masks(check, NULL, NULL),
		  0, NULL);
	apmatrix_idset_unref(s);
	ck_assert_ptr_eq(apmatrix_check_ref(check), check);
	ck_assert_ptr_null(apmatrix_check_unref(check));
	/* Empty check: no findings, and the run clears the diagnostic. */
	test_call(ctx, apmatrix_check_run(check, 0, &r), 0, NULL);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
	ck_assert_int_eq(apmatrix_report_get_max_severity(r),
			 APMATRIX_SEVERITY_NONE);
	apmatrix_report_unref(r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Findings about one configuration                                    */

/* Host pool: apmask {5,6}, aqmask {0x48,0x49}. */
static const struct {
	unsigned int state;
	const char *who;
	int severity;
} pool_cases[] = {
	{ACTIVE, TC_L(U1), ERR},
	{AUTO, TC_D(U1), ERR},
	{DEFINED, TC_D(U1), WARN},
	/* Live with its definition: only the live configuration speaks. */
	{ACTIVE | DEFINED, TC_L(U1), ERR},
};

START_TEST(host_pool_active)
{
	struct apmatrix_host *host = set_host("0-15", "0-255", "0-255");
	struct apmatrix_report *r;
	const char *who = pool_cases[_i].who;

	tc_fill(apmatrix_host_get_apmask(host), "5,6");
	tc_fill(apmatrix_host_get_aqmask(host), "0x48,0x49");
	ck_assert_int_eq(apmatrix_host_bind_by_masks(host), 0);
	tc_add(check, ctx, U1, "4,5,6", "0x47,0x48", "", pool_cases[_i].state);
	r = tc_run(check);
	/* The pool queues are bound to the default driver: they are also
	 * not bound to vfio_ap and filter adapters 5 and 6. */
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, APMATRIX_FINDING_HOST_POOL_ACTIVE,
		  pool_cases[_i].severity, who, "05.0048,06.0048", "5,6", "72",
		  "");
	ck_assert_ptr_nonnull(strstr(
		tc_message(r, 0), ": APQNs 05.0048, 06.0048 are reserved for "
				  "host drivers by the active apmask and "
				  "aqmask (not allowed for "
				  "vfio_ap-passthrough use)"));
	tc_expect(r, 1, APMATRIX_FINDING_QUEUE_NOT_BOUND, WARN, who,
		  "05.0048,06.0048", "5,6", "72", "");
	tc_expect(r, 2, APMATRIX_FINDING_ADAPTER_FILTERED, WARN, who,
		  "05.0048,06.0048", "5,6", "72", "");
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
	tc_add_live(check, ctx, U1, "1", "2", "");
	tc_add(check, ctx, U2, "", "", "", ACTIVE | AUTO); /* says nothing */
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, APMATRIX_FINDING_HOST_POOL_ACTIVE, ERR, TC_L(U1),
		  "01.0002", "1", "2", "");
	ck_assert_str_eq(tc_message(r, 0),
			 "mdev " U1 " (live): APQN 01.0002 is reserved for "
			 "host drivers by the active apmask and aqmask (not "
			 "allowed for vfio_ap-passthrough use)");
	tc_expect(r, 1, APMATRIX_FINDING_NOT_CONFIGURED, WARN, TC_L(U1),
		  "01.0002", "1", "2", "");
	apmatrix_report_unref(r);
}
END_TEST

/* Persistent masks are about definitions only: what happens at boot. */
static const struct {
	unsigned int state;
	int severity; /* 0: no finding */
} persistent_cases[] = {
	{AUTO, ERR}, {AUTO | ACTIVE, ERR},     {DEFINED, WARN},
	{ACTIVE, 0}, {ACTIVE | DEFINED, WARN},
};

START_TEST(host_pool_persistent)
{
	struct apmatrix_report *r;

	set_persistent("0-3", "0-0x47");
	tc_add(check, ctx, U1, "3,4", "0x47,0x48", "",
	       persistent_cases[_i].state);
	tc_add_def(check, ctx, U2, "4", "1", "", 1);
	r = tc_run(check);
	if (!persistent_cases[_i].severity) {
		ck_assert_uint_eq(apmatrix_report_get_count(r), 0);
		apmatrix_report_unref(r);
		return;
	}
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_HOST_POOL_PERSISTENT,
		  persistent_cases[_i].severity, TC_D(U1), "03.0047", "3", "71",
		  "");
	ck_assert_ptr_nonnull(strstr(tc_message(r, 0),
				     "): APQN 03.0047 is reserved for host "
				     "drivers by the persistent apmask and "
				     "aqmask (not allowed for "
				     "vfio_ap-passthrough use)"));
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
	struct apmatrix_host *host = set_host("0-63", "0-15", "0-15");
	struct apmatrix_report *r;
	struct apmatrix_mdev *m;
	struct apmatrix_matrix *g = NULL;

	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	tc_add_live(check, ctx, U1, "4,64,70", "1,16", "1,20");
	/* A manual definition: the kernel would refuse it at start. */
	tc_add_def(check, ctx, U2, "65", "2", "", 0);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 4);
	tc_expect(r, 0, APMATRIX_FINDING_ADAPTER_OVER_LIMIT, ERR, TC_L(U1),
		  "40.0001,40.0010,46.0001,46.0010", "64,70", "", "");
	ck_assert_str_eq(tc_message(r, 0),
			 "mdev " U1 " (live): adapters 0x40, 0x46 are over "
			 "ap_max_adapter_id 0x3f");
	tc_expect(r, 1, APMATRIX_FINDING_DOMAIN_OVER_LIMIT, ERR, TC_L(U1),
		  "04.0010,40.0010,46.0010", "", "16", "");
	ck_assert_str_eq(tc_message(r, 1),
			 "mdev " U1 " (live): usage domain 0x10 is over "
			 "ap_max_domain_id 0x0f");
	tc_expect(r, 2, APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT, ERR,
		  TC_L(U1), "", "", "", "20");
	ck_assert_str_eq(tc_message(r, 2),
			 "mdev " U1 " (live): control domain 0x14 is over "
			 "ap_max_domain_id 0x0f");
	tc_expect(r, 3, APMATRIX_FINDING_ADAPTER_OVER_LIMIT, WARN, TC_D(U2),
		  "41.0002", "65", "", "");
	ck_assert_str_eq(tc_message(r, 3),
			 "mdev " U2 " (defined, manual start): adapter 0x41 is "
			 "over ap_max_adapter_id 0x3f");
	apmatrix_report_unref(r);

	/* The guest gets what is within the limits. */
	m = tc_mdev(ctx, U2, "4,64,70", "1,16", "1,20", ACTIVE);
	ck_assert_int_eq(apmatrix_host_predict_guest_matrix(
				 host, apmatrix_mdev_get_matrix(m, LIVE), &g),
			 0);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(g)), "4");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_usage_domains(g)), "1");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(g)), "1");
	apmatrix_matrix_unref(g);
	apmatrix_mdev_unref(m);
}
END_TEST

START_TEST(control_without_usage)
{
	struct apmatrix_report *r;

	/* Without a host. */
	tc_add_def(check, ctx, U1, "", "", "5,6", 1);
	tc_add_def(check, ctx, U2, "3", "", "5", 0);
	tc_add_def(check, ctx, U3, "3", "7", "5", 0);
	tc_add_live(check, ctx, U4, "4", "", "5");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 5);
	tc_expect(r, 0, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE, ERR, TC_D(U1),
		  "", "", "", "5,6");
	ck_assert_str_eq(tc_message(r, 0),
			 "mdev " U1 " (defined, autostart): control domains "
			 "0x05, 0x06 but no usage domain; at least one usage "
			 "domain must be specified");
	tc_expect(r, 1, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE, ERR, TC_L(U4),
		  "", "", "", "5");
	/* A manual definition only fails when started. */
	tc_expect(r, 2, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE, WARN, TC_D(U2),
		  "", "", "", "5");
	tc_expect(r, 3, APMATRIX_FINDING_NO_QUEUES, INFO, TC_D(U2), "", "3", "",
		  "");
	tc_expect(r, 4, APMATRIX_FINDING_NO_QUEUES, INFO, TC_L(U4), "", "4", "",
		  "");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(no_queues)
{
	struct apmatrix_report *r;

	tc_add_def(check, ctx, U2, "", "0x10,0x11", "", 0);
	tc_add_live(check, ctx, U1, "1", "", "");
	tc_add(check, ctx, U3, "", "", "", ACTIVE); /* empty: nothing to say */
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, APMATRIX_FINDING_NO_QUEUES, INFO, TC_L(U1), "", "1", "",
		  "");
	ck_assert_str_eq(tc_message(r, 0),
			 "mdev " U1 " (live): adapter 0x01 but no usage "
			 "domain; the guest gets no queue");
	tc_expect(r, 1, APMATRIX_FINDING_NO_QUEUES, INFO, TC_D(U2), "", "",
		  "16,17", "");
	ck_assert_str_eq(tc_message(r, 1),
			 "mdev " U2 " (defined, manual start): usage domains "
			 "0x10, 0x11 but no adapter; the guest gets no queue");
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), INFO);
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(queues_missing_unbound_filtered)
{
	struct apmatrix_host *host = set_host("4-6", "1,2", "1,2");
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
	tc_add_live(check, ctx, U1, "4-6", "1,2", "1");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	tc_expect(r, 0, APMATRIX_FINDING_QUEUE_MISSING, WARN, TC_L(U1),
		  "05.0002", "5", "2", "");
	ck_assert_str_eq(tc_message(r, 0), "mdev " U1 " (live): queue 05.0002 "
					   "does not exist on the host");
	tc_expect(r, 1, APMATRIX_FINDING_QUEUE_NOT_BOUND, WARN, TC_L(U1),
		  "06.0001,06.0002", "6", "1,2", "");
	ck_assert_str_eq(tc_message(r, 1),
			 "mdev " U1 " (live): queues 06.0001, 06.0002 are not "
			 "bound to vfio_ap");
	tc_expect(r, 2, APMATRIX_FINDING_ADAPTER_FILTERED, WARN, TC_L(U1),
		  "05.0002,06.0001,06.0002", "5,6", "1,2", "");
	ck_assert_str_eq(tc_message(r, 2),
			 "mdev " U1 " (live): adapters 0x05, 0x06 are left out "
			 "of the guest because queues 05.0002, 06.0001, "
			 "06.0002 are missing or not bound to vfio_ap");
	apmatrix_report_unref(r);

	m = tc_mdev(ctx, U2, "4-6", "1,2", "1", ACTIVE);
	ck_assert_int_eq(apmatrix_host_predict_guest_matrix(
				 host, apmatrix_mdev_get_matrix(m, LIVE), &g),
			 0);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(g)), "4");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_usage_domains(g)), "1,2");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(g)), "1");
	apmatrix_matrix_unref(g);
	apmatrix_mdev_unref(m);
}
END_TEST

START_TEST(queue_missing_whole_card)
{
	/* Adapter 7 is configured but has no card (e.g. removed). */
	struct apmatrix_host *host = set_host("4,7", "1", "1");
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_host_remove_card(host, 7), 0);
	ck_assert_int_eq(
		apmatrix_idset_test(apmatrix_host_get_adapter_mask(host), 7),
		1);
	tc_add_def(check, ctx, U1, "4,7", "1", "1", 1);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 2);
	tc_expect(r, 0, APMATRIX_FINDING_QUEUE_MISSING, WARN, TC_D(U1),
		  "07.0001", "7", "1", "");
	tc_expect(r, 1, APMATRIX_FINDING_ADAPTER_FILTERED, WARN, TC_D(U1),
		  "07.0001", "7", "1", "");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(not_configured)
{
	struct apmatrix_host *host = set_host("4", "1", "");
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	tc_add_def(check, ctx, U1, "4,5", "1,2", "1", 0);
	tc_add_def(check, ctx, U2, "4,5", "", "", 0);
	tc_add_def(check, ctx, U3, "4", "3", "", 0);
	tc_add_live(check, ctx, U4, "", "", "1,2");
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 6);
	tc_expect(r, 0, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE, ERR, TC_L(U4),
		  "", "", "", "1,2");
	tc_expect(r, 1, APMATRIX_FINDING_NOT_CONFIGURED, WARN, TC_D(U1),
		  "04.0002,05.0001,05.0002", "5", "2", "1");
	ck_assert_str_eq(tc_message(r, 1),
			 "mdev " U1 " (defined, manual start): adapter 0x05, "
			 "usage domain 0x02 and control domain 0x01 are not in "
			 "the host configuration; the guest does not get them");
	tc_expect(r, 2, APMATRIX_FINDING_NOT_CONFIGURED, WARN, TC_D(U2), "",
		  "5", "", "");
	ck_assert_str_eq(tc_message(r, 2),
			 "mdev " U2 " (defined, manual start): adapter 0x05 is "
			 "not in the host configuration; the guest does not "
			 "get it");
	tc_expect(r, 3, APMATRIX_FINDING_NOT_CONFIGURED, WARN, TC_D(U3),
		  "04.0003", "", "3", "");
	tc_expect(r, 4, APMATRIX_FINDING_NOT_CONFIGURED, WARN, TC_L(U4), "", "",
		  "", "1,2");
	ck_assert_str_eq(tc_message(r, 4),
			 "mdev " U4 " (live): control domains 0x01, 0x02 are "
			 "not in the host configuration; the guest does not "
			 "get them");
	tc_expect(r, 5, APMATRIX_FINDING_NO_QUEUES, INFO, TC_D(U2), "", "4,5",
		  "", "");
	apmatrix_report_unref(r);
}
END_TEST

/*
 * A definition that differs from the live matrix is checked against the
 * active host as well: "would start here".
 */
START_TEST(definition_would_start_here)
{
	struct apmatrix_host *host = set_host("0-7", "0-7", "0-7");
	struct apmatrix_report *r;

	tc_fill(apmatrix_host_get_apmask(host), "3");
	tc_fill(apmatrix_host_get_aqmask(host), "1");
	tc_add_live(check, ctx, U1, "2", "1", "");
	tc_add_def(check, ctx, U1, "2,3", "1", "", 1);
	r = tc_run(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 1);
	tc_expect(r, 0, APMATRIX_FINDING_HOST_POOL_ACTIVE, ERR, TC_D(U1),
		  "03.0001", "3", "1", "");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(clean_host_no_findings)
{
	struct apmatrix_report *r;
	char uuid[40];

	set_host("0-255", "0-255", "0-255");
	set_persistent("", "");
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

/* ------------------------------------------------------------------ */
/* Order                                                               */

/* Each finding sorts strictly after the one before it. */
static void expect_sorted(const struct apmatrix_report *r)
{
	for (unsigned int i = 1; i < apmatrix_report_get_count(r); i++) {
		const struct apmatrix_finding *a =
			apmatrix_report_get_finding(r, i - 1);
		const struct apmatrix_finding *b =
			apmatrix_report_get_finding(r, i);
		int c = apmatrix_finding_get_severity(b) -
			apmatrix_finding_get_severity(a);

		if (!c)
			c = apmatrix_finding_get_code(a) -
			    apmatrix_finding_get_code(b);
		for (unsigned int k = 0; !c && k < 2; k++) {
			if (k >= apmatrix_finding_get_uuid_count(a) ||
			    k >= apmatrix_finding_get_uuid_count(b)) {
				c = (int)apmatrix_finding_get_uuid_count(a) -
				    (int)apmatrix_finding_get_uuid_count(b);
				break;
			}
			c = strcmp(apmatrix_finding_get_uuid(a, k),
				   apmatrix_finding_get_uuid(b, k));
			if (!c)
				c = apmatrix_finding_get_role(a, k) -
				    apmatrix_finding_get_role(b, k);
		}
		ck_assert_msg(c < 0, "finding %u (%s) not before %u (%s)",
			      i - 1, apmatrix_finding_get_message(a), i,
			      apmatrix_finding_get_message(b));
	}
}

START_TEST(ordering)
{
	struct apmatrix_host *host = set_host("0-7", "0-7", "0-7");
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	tc_add_def(check, ctx, U4, "1", "", "", 0);     /* info */
	tc_add_def(check, ctx, U3, "1,2", "1", "", 0);  /* warn */
	tc_add_live(check, ctx, U2, "2,9", "1,20", ""); /* errors */
	tc_add_live(check, ctx, U1, "2", "1", "");
	r = tc_run(check);
	expect_sorted(r);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 6);
	tc_expect(r, 0, SHARED, ERR, TC_L(U1) " " TC_L(U2), "02.0001", "2", "1",
		  "");
	tc_expect(r, 1, APMATRIX_FINDING_DOMAIN_OVER_LIMIT, ERR, TC_L(U2),
		  "02.0014,09.0014", "", "20", "");
	tc_expect(r, 2, SHARED, WARN, TC_L(U1) " " TC_D(U3), "02.0001", "2",
		  "1", "");
	tc_expect(r, 3, SHARED, WARN, TC_L(U2) " " TC_D(U3), "02.0001", "2",
		  "1", "");
	tc_expect(r, 4, APMATRIX_FINDING_NOT_CONFIGURED, WARN, TC_L(U2),
		  "09.0001", "9", "", "");
	tc_expect(r, 5, APMATRIX_FINDING_NO_QUEUES, INFO, TC_D(U4), "", "1", "",
		  "");
	ck_assert_int_eq(apmatrix_report_get_max_severity(r), ERR);
	apmatrix_report_unref(r);
}
END_TEST

/* A tiny deterministic PRNG (xorshift32). */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Whether two matrices share APQNs, and how many. */
static unsigned int shared_count(struct apmatrix_matrix *a,
				 struct apmatrix_matrix *b)
{
	unsigned int na = 0, nd = 0;

	for (unsigned int x = 0; x < 256; x++) {
		na += apmatrix_idset_test(apmatrix_matrix_get_adapters(a), x) &&
		      apmatrix_idset_test(apmatrix_matrix_get_adapters(b), x);
		nd += apmatrix_idset_test(apmatrix_matrix_get_usage_domains(a),
					  x) &&
		      apmatrix_idset_test(apmatrix_matrix_get_usage_domains(b),
					  x);
	}
	return na * nd;
}

static int same_apqns(struct apmatrix_matrix *a, struct apmatrix_matrix *b)
{
	return apmatrix_idset_equal(apmatrix_matrix_get_adapters(a),
				    apmatrix_matrix_get_adapters(b)) &&
	       apmatrix_idset_equal(apmatrix_matrix_get_usage_domains(a),
				    apmatrix_matrix_get_usage_domains(b));
}

static void random_matrix(struct apmatrix_matrix *mx, uint32_t *seed)
{
	for (unsigned int k = rnd(seed) % 4 + 1; k; k--)
		apmatrix_idset_set(apmatrix_matrix_get_adapters(mx),
				   rnd(seed) % 16);
	for (unsigned int k = rnd(seed) % 6 + 1; k; k--)
		apmatrix_idset_set(apmatrix_matrix_get_usage_domains(mx),
				   rnd(seed) % 24);
}

/* The finding about configuration (a, ra) and (b, rb), in either order. */
static const struct apmatrix_finding *
find_pair(const struct apmatrix_report *r, const struct apmatrix_mdev *a,
	  int ra, const struct apmatrix_mdev *b, int rb)
{
	for (unsigned int k = 0; k < apmatrix_report_get_count(r); k++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(r, k);
		unsigned int ia = strcmp(apmatrix_finding_get_uuid(f, 0),
					 apmatrix_mdev_get_uuid(a)) == 0
					  ? 0
					  : 1;

		if (apmatrix_finding_get_code(f) == SHARED &&
		    !strcmp(apmatrix_finding_get_uuid(f, ia),
			    apmatrix_mdev_get_uuid(a)) &&
		    !strcmp(apmatrix_finding_get_uuid(f, 1 - ia),
			    apmatrix_mdev_get_uuid(b)) &&
		    apmatrix_finding_get_role(f, ia) == ra &&
		    apmatrix_finding_get_role(f, 1 - ia) == rb)
			return f;
	}
	return NULL;
}

/*
 * The owner tables find exactly the pairs the rules name, checked against
 * a naive comparison of every pair of configurations: random mdevs, live,
 * defined (autostart or not) or both, a third of those with the same
 * matrix.
 */
START_TEST(random_against_naive)
{
	enum { N = 100 };
	static const int roles[2] = {APMATRIX_ROLE_LIVE, APMATRIX_ROLE_DEFINED};
	static struct apmatrix_mdev *m[N];
	struct apmatrix_matrix *cfg[N][2];
	int autostart[N];
	struct apmatrix_report *r;
	uint32_t seed = 12345 + (uint32_t)_i;
	unsigned int want = 0;

	for (int i = 0; i < N; i++) {
		unsigned int kind = rnd(&seed) % 4;
		char uuid[40];

		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012x",
			 rnd(&seed), i);
		ck_assert_int_eq(apmatrix_mdev_new(ctx, uuid, &m[i]), 0);
		cfg[i][0] = cfg[i][1] = NULL;
		autostart[i] = (int)(rnd(&seed) % 2);
		for (int k = 0; k < 2; k++) {
			/* kind 0: live, 1: defined, 2, 3: both. */
			if ((kind == 0 && k == 1) || (kind == 1 && k == 0))
				continue;
			ck_assert_int_eq(
				apmatrix_mdev_add_config(m[i], roles[k], 0), 0);
			cfg[i][k] = apmatrix_mdev_get_matrix(m[i], roles[k]);
			if (kind == 3 && k == 1)
				ck_assert_int_eq(apmatrix_matrix_assign(
							 cfg[i][1], cfg[i][0]),
						 0);
			else
				random_matrix(cfg[i][k], &seed);
		}
		if (cfg[i][1])
			ck_assert_int_eq(
				apmatrix_mdev_set_autostart(m[i], autostart[i]),
				0);
		ck_assert_int_eq(apmatrix_check_add_mdev(check, m[i]), 0);
	}
	r = tc_run(check);
	expect_sorted(r);
	/* Configuration (i, ri) against (j, rj), every pair the rules name. */
	for (int i = 0; i < N; i++) {
		for (int j = 0; j < N; j++) {
			for (int p = 0; p < 3; p++) {
				/* live-live, defined-defined, defined-live */
				int ri = p == 0 ? 0 : 1, rj = p == 1 ? 1 : 0;
				const struct apmatrix_finding *f;
				unsigned int n;
				int sev = WARN;

				if (i == j || !cfg[i][ri] || !cfg[j][rj] ||
				    (p < 2 && i > j))
					continue;
				/* Covered by the live pair. */
				if (p == 2 && cfg[i][0] &&
				    same_apqns(cfg[i][0], cfg[i][1]))
					continue;
				n = shared_count(cfg[i][ri], cfg[j][rj]);
				if (!n)
					continue;
				if (p == 0 ||
				    (p == 1 && autostart[i] && autostart[j]))
					sev = ERR;
				want++;
				f = find_pair(r, m[i], roles[ri], m[j],
					      roles[rj]);
				ck_assert_msg(f != NULL,
					      "pair %d/%d %d missing", i, j, p);
				ck_assert_int_eq(
					apmatrix_finding_get_severity(f), sev);
				ck_assert_uint_eq(
					apmatrix_apqn_list_get_count(
						apmatrix_finding_get_apqns(f)),
					n);
			}
		}
	}
	ck_assert_uint_gt(want, 300);
	ck_assert_uint_eq(apmatrix_report_get_count(r), want);
	apmatrix_report_unref(r);
	for (int i = 0; i < N; i++)
		apmatrix_mdev_unref(m[i]);
}
END_TEST

/* The report does not depend on the order mdevs were added in. */
START_TEST(input_order_independent)
{
	struct apmatrix_check *c2 = NULL;
	struct apmatrix_host *host = tc_host(ctx, "0-3", "0-3", "0");
	struct apmatrix_report *r1, *r2;
	static char j1[16384], j2[16384];
	const char *uuids[4] = {U1, U2, U3, U4};
	const char *ad[4] = {"0,1", "1,5", "1", ""};
	const char *dm[4] = {"0-2", "2,3", "2", "1"};
	const unsigned int st[4] = {ACTIVE, AUTO, AUTO | ACTIVE, DEFINED};

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
	expect_sorted(r1);
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
	ck_assert_str_eq(tc_apqns(apmatrix_finding_get_apqns(
				 apmatrix_report_get_finding(r, 0))),
			 "01.0001");
	apmatrix_report_unref(r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* ap-check parity                                                     */

/*
 * Cases written from ap-check's rules (peers.md 1.2, 1.3), not recorded
 * from it. Candidate U1 is defined (or modified) or started; U2 and U3 are
 * the other mdevs, live and/or defined. For each case: what ap-check does
 * and what our findings say before the operation (U1 as a definition) and
 * after it (for a start: U1 live with that matrix). Only the codes
 * ap-check has a counterpart for are compared. We are a superset: every
 * refusal shows up after the operation as an error about U1 in the role
 * ap-check looked at (defined for define, live for start).
 */
enum { DEFINE, START };

struct cfg {
	const char *a, *d, *c; /* a NULL: no such configuration */
};

static const struct ap_case {
	const char *name;
	int event;
	struct cfg x;      /* U1's configuration being defined or started */
	int x_auto;        /* and its start mode */
	struct cfg x_live; /* U1's live configuration before, if any */
	struct cfg live2, def2;
	int auto2;
	struct cfg live3;
	const char *pers_ap, *pers_aq; /* persistent masks, NULL: none */
	const char *act_ap, *act_aq;   /* active masks */
	int refused;                   /* by ap-check */
	const char *before, *after;
} ap_cases[] = {
	/* clang-format off */
	{"define auto vs another auto definition: 'APQN 2.5 is defined for "
	 "autostart by U2'",
	 DEFINE, {"2", "5", ""}, 1, {0}, {0}, {"2", "5,6", ""}, 1, {0},
	 NULL, NULL, "", "", 1,
	 "shared-apqns/error/1:defined,2:defined",
	 "shared-apqns/error/1:defined,2:defined"},
	{"define auto vs a manual definition: not checked by ap-check",
	 DEFINE, {"2", "5", ""}, 1, {0}, {0}, {"2", "5", ""}, 0, {0},
	 NULL, NULL, "", "", 0,
	 "shared-apqns/warning/1:defined,2:defined",
	 "shared-apqns/warning/1:defined,2:defined"},
	{"define manual vs an auto definition: manual not checked at define",
	 DEFINE, {"2", "5", ""}, 0, {0}, {0}, {"2", "5", ""}, 1, {0},
	 NULL, NULL, "", "", 0,
	 "shared-apqns/warning/1:defined,2:defined",
	 "shared-apqns/warning/1:defined,2:defined"},
	{"define auto, adapters shared, domains disjoint: no conflict",
	 DEFINE, {"2,3", "5", "6"}, 1, {0}, {0}, {"2,3", "6", "5"}, 1, {0},
	 NULL, NULL, "", "", 0, "", ""},
	{"define auto into the persistent host pool: 'APQN 2.5 is not defined "
	 "for vfio_ap-passthrough use by the persistent ap bus mask settings'",
	 DEFINE, {"2,3", "5", ""}, 1, {0}, {0}, {0}, 0, {0},
	 "2", "5,6", "", "", 1,
	 "host-pool-persistent/error/1:defined",
	 "host-pool-persistent/error/1:defined"},
	{"define manual into the persistent host pool: not checked at define",
	 DEFINE, {"2,3", "5", ""}, 0, {0}, {0}, {0}, 0, {0},
	 "2", "5,6", "", "", 0,
	 "host-pool-persistent/warning/1:defined",
	 "host-pool-persistent/warning/1:defined"},
	{"define auto vs an mdev that is only live: define does not look at "
	 "active mdevs",
	 DEFINE, {"2", "5", ""}, 1, {0}, {"2", "5", ""}, {0}, 0, {0},
	 NULL, NULL, "", "", 0,
	 "shared-apqns/warning/1:defined,2:live",
	 "shared-apqns/warning/1:defined,2:live"},
	{"modify an auto definition while it runs into another auto "
	 "definition: refused like define; the live pair is fine",
	 DEFINE, {"2,3", "5", ""}, 1, {"2", "5", ""}, {0}, {"3", "5", ""}, 1,
	 {0}, NULL, NULL, "", "", 1,
	 "shared-apqns/error/1:defined,2:defined",
	 "shared-apqns/error/1:defined,2:defined"},
	{"start vs an active mdev: 'APQN 2.5 already in use by U2'",
	 START, {"2", "5", ""}, 0, {0}, {"2,4", "5", ""}, {0}, 0, {0},
	 NULL, NULL, "", "", 1,
	 "shared-apqns/warning/1:defined,2:live",
	 "shared-apqns/error/1:live,2:live"},
	{"start an auto definition vs an active mdev that is also defined "
	 "for autostart",
	 START, {"2", "5", ""}, 1, {0}, {"2", "5", ""}, {"2", "5", ""}, 1,
	 {0}, NULL, NULL, "", "", 1,
	 "shared-apqns/error/1:defined,2:defined; "
	 "shared-apqns/warning/1:defined,2:live",
	 "shared-apqns/error/1:live,2:live; "
	 "shared-apqns/error/1:defined,2:defined"},
	{"start vs a definition that is not running: start only looks at "
	 "active mdevs",
	 START, {"2", "5", ""}, 0, {0}, {0}, {"2", "5", ""}, 1, {0},
	 NULL, NULL, "", "", 0,
	 "shared-apqns/warning/1:defined,2:defined",
	 /* Now U2's definition cannot start while U1 runs. */
	 "shared-apqns/warning/1:live,2:defined; "
	 "shared-apqns/warning/1:defined,2:defined"},
	{"start into the active host pool: 'APQN 2.5 is not allowed for "
	 "vfio_ap-passthrough use by the active ap bus mask settings'",
	 START, {"2", "5", ""}, 0, {0}, {0}, {0}, 0, {0},
	 NULL, NULL, "2", "5", 1,
	 "host-pool-active/warning/1:defined",
	 "host-pool-active/error/1:live"},
	{"start an auto definition into the active host pool",
	 START, {"2", "5", ""}, 1, {0}, {0}, {0}, 0, {0},
	 NULL, NULL, "2", "5", 1,
	 "host-pool-active/error/1:defined",
	 "host-pool-active/error/1:live"},
	{"start with control domains and no usage domain: 'At least one "
	 "usage domain must be specified'",
	 START, {"2", "", "5"}, 1, {0}, {0}, {0}, 0, {0},
	 NULL, NULL, "", "", 1,
	 "control-without-usage/error/1:defined",
	 "control-without-usage/error/1:live"},
	{"start a manual definition with control domains only",
	 START, {"", "", "5"}, 0, {0}, {0}, {0}, 0, {0},
	 NULL, NULL, "", "", 1,
	 "control-without-usage/warning/1:defined",
	 "control-without-usage/error/1:live"},
	{"start sharing only control domains with an active mdev: allowed",
	 START, {"2", "5", "7"}, 1, {0}, {"3", "6", "7"}, {0}, 0, {0},
	 NULL, NULL, "", "", 0, "", ""},
	{"start sharing adapters, not domains, with an active mdev: allowed",
	 START, {"2,3", "5", ""}, 1, {0}, {"2,3", "6", ""}, {0}, 0, {0},
	 NULL, NULL, "", "", 0, "", ""},
	{"restart after the definition was changed while running, now "
	 "overlapping another active mdev: 'already in use'",
	 START, {"2,3", "5", ""}, 1, {"2", "5", ""}, {"3", "5", ""}, {0}, 0,
	 {0}, NULL, NULL, "", "", 1,
	 "shared-apqns/warning/1:defined,2:live",
	 "shared-apqns/error/1:live,2:live"},
	{"restart with a changed definition that overlaps only its own old "
	 "live matrix: never paired with itself",
	 START, {"2", "5,6", ""}, 1, {"2", "5", ""}, {0}, {0}, 0, {0},
	 NULL, NULL, "", "", 0, "", ""},
	{"start vs two active mdevs: every conflict reported",
	 START, {"2,3", "5", ""}, 0, {0}, {"2", "5", ""}, {0}, 0,
	 {"3", "5", ""}, NULL, NULL, "", "", 1,
	 "shared-apqns/warning/1:defined,2:live; "
	 "shared-apqns/warning/1:defined,3:live",
	 "shared-apqns/error/1:live,2:live; "
	 "shared-apqns/error/1:live,3:live"},
	/* clang-format on */
};

static void add_cfg(struct apmatrix_check *c, const char *uuid,
		    const struct cfg *cfg, unsigned int role, int autostart)
{
	if (!cfg->a)
		return;
	if (role == LIVE)
		tc_add_live(c, ctx, uuid, cfg->a, cfg->d, cfg->c);
	else
		tc_add_def(c, ctx, uuid, cfg->a, cfg->d, cfg->c, autostart);
}

/* The findings ap-check has a counterpart for, "code/severity/who; ...",
 * an mdev written as the first digit of its UUID. */
static const char *ap_findings(const struct apmatrix_report *r)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < apmatrix_report_get_count(r); i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(r, i);
		int code = apmatrix_finding_get_code(f);
		int sev = apmatrix_finding_get_severity(f);

		if (code != SHARED &&
		    code != APMATRIX_FINDING_HOST_POOL_ACTIVE &&
		    code != APMATRIX_FINDING_HOST_POOL_PERSISTENT &&
		    code != APMATRIX_FINDING_CONTROL_WITHOUT_USAGE)
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%s%s/%s/", len ? "; " : "",
					apmatrix_finding_get_code_name(f),
					sev == ERR    ? "error"
					: sev == WARN ? "warning"
						      : "info");
		for (unsigned int k = 0; k < apmatrix_finding_get_uuid_count(f);
		     k++)
			len += (size_t)snprintf(
				buf + len, sizeof(buf) - len, "%s%c:%s",
				k ? "," : "",
				apmatrix_finding_get_uuid(f, k)[0],
				apmatrix_finding_get_role(f, k) == LIVE
					? "live"
					: "defined");
	}
	return buf;
}

/* Run the case's world, before (after = 0) or after the operation. */
static const char *ap_run(const struct ap_case *c, int after)
{
	struct apmatrix_check *chk = NULL;
	struct apmatrix_host *host = tc_host(ctx, "0-15", "0-15", "0-15");
	struct apmatrix_report *r;
	const char *text;

	ck_assert_int_eq(apmatrix_check_new(ctx, &chk), 0);
	tc_fill(apmatrix_host_get_apmask(host), c->act_ap);
	tc_fill(apmatrix_host_get_aqmask(host), c->act_aq);
	ck_assert_int_eq(apmatrix_check_set_host(chk, host), 0);
	apmatrix_host_unref(host);
	if (c->pers_ap) {
		struct apmatrix_idset *ap = NULL, *aq = NULL;

		ck_assert_int_eq(apmatrix_idset_new(ctx, &ap), 0);
		ck_assert_int_eq(apmatrix_idset_new(ctx, &aq), 0);
		tc_fill(ap, c->pers_ap);
		tc_fill(aq, c->pers_aq);
		ck_assert_int_eq(
			apmatrix_check_set_persistent_masks(chk, ap, aq), 0);
		apmatrix_idset_unref(ap);
		apmatrix_idset_unref(aq);
	}
	add_cfg(chk, U1, &c->x, APMATRIX_ROLE_DEFINED, c->x_auto);
	/* A start makes the definition U1's live matrix. */
	add_cfg(chk, U1, after && c->event == START ? &c->x : &c->x_live, LIVE,
		0);
	add_cfg(chk, U2, &c->live2, LIVE, 0);
	add_cfg(chk, U2, &c->def2, APMATRIX_ROLE_DEFINED, c->auto2);
	add_cfg(chk, U3, &c->live3, LIVE, 0);
	r = tc_run(chk);
	text = ap_findings(r);
	apmatrix_report_unref(r);
	apmatrix_check_unref(chk);
	return text;
}

START_TEST(ap_check_parity)
{
	const struct ap_case *c = &ap_cases[_i];
	char want_role[32];
	const char *got;

	ck_assert_msg(strcmp(ap_run(c, 0), c->before) == 0,
		      "%s: before: got \"%s\", want \"%s\"", c->name,
		      ap_run(c, 0), c->before);
	got = ap_run(c, 1);
	ck_assert_msg(strcmp(got, c->after) == 0,
		      "%s: after: got \"%s\", want \"%s\"", c->name, got,
		      c->after);
	/* The superset rule, independent of the strings above. */
	snprintf(want_role, sizeof(want_role), "/error/1:%s",
		 c->event == START ? "live" : "defined");
	if (c->refused)
		ck_assert_msg(strstr(got, want_role) != NULL,
			      "%s: ap-check refuses it, no \"%s\" in \"%s\"",
			      c->name, want_role, got);
	else
		ck_assert_msg(strstr(got, "/error/1:") == NULL,
			      "%s: ap-check accepts it, we say \"%s\"", c->name,
			      got);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("core");
	TCase *ap = tcase_create("ap-check");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, shared_live_live);
	tcase_add_loop_test(tc, shared_defined_defined, 0,
			    sizeof(def_pairs) / sizeof(def_pairs[0]));
	tcase_add_test(tc, shared_defined_live);
	tcase_add_test(tc, shared_defined_live_skip_equal);
	tcase_add_test(tc, shared_never_self);
	tcase_add_test(tc, shared_three_way);
	tcase_add_test(tc, shared_order_second_uuid);
	tcase_add_test(tc, shared_control_domains_never);
	tcase_add_test(tc, shared_truncated_message);
	tcase_add_test(tc, add_merges_by_uuid);
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
	tcase_add_test(tc, definition_would_start_here);
	tcase_add_test(tc, clean_host_no_findings);
	tcase_add_test(tc, ordering);
	tcase_add_loop_test(tc, random_against_naive, 0, 3);
	tcase_add_test(tc, input_order_independent);
	tcase_add_test(tc, lifetimes);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ap, setup, teardown);
	tcase_add_loop_test(ap, ap_check_parity, 0,
			    sizeof(ap_cases) / sizeof(ap_cases[0]));
	suite_add_tcase(s, ap);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
