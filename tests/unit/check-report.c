/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reports and findings: getters, ordering, lifetimes, JSON. */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "apmatrix.h"
#include "check-internal.h"
#include "testcheck.h"
#include "testlib.h"

#define U1 "11111111-1111-1111-1111-111111111111"
#define U2 "22222222-2222-2222-2222-222222222222"

static struct apmatrix_ctx *ctx;

static void setup(void)
{
	ctx = test_ctx_new();
}

static void teardown(void)
{
	ck_assert_ptr_null(apmatrix_unref(ctx));
}

#define U3 "33333333-3333-3333-3333-333333333333"
#define U4 "44444444-4444-4444-4444-444444444444"

/* U1 and U2 (both live) share 04.0047 and 05.0047; U3's definition has a
 * control domain and no usage domain, U4's an adapter only. */
static struct apmatrix_report *sample(void)
{
	struct apmatrix_check *check = NULL;
	struct apmatrix_report *r;

	ck_assert_int_eq(apmatrix_check_new(ctx, &check), 0);
	tc_add_live(check, ctx, U2, "4,5", "0x47", "");
	tc_add_live(check, ctx, U1, "4-6", "0x47", "");
	tc_add_def(check, ctx, U3, "", "", "7", 1);
	tc_add_def(check, ctx, U4, "9", "", "", 0);
	r = tc_run(check);
	apmatrix_check_unref(check);
	ck_assert_uint_eq(apmatrix_report_get_count(r), 3);
	return r;
}

START_TEST(getters)
{
	struct apmatrix_report *r = sample();
	const struct apmatrix_finding *f = apmatrix_report_get_finding(r, 0);

	ck_assert_int_eq(apmatrix_report_get_max_severity(r),
			 APMATRIX_SEVERITY_ERROR);
	tc_expect(r, 0, APMATRIX_FINDING_SHARED_APQNS, APMATRIX_SEVERITY_ERROR,
		  TC_L(U1) " " TC_L(U2), "04.0047,05.0047", "4,5", "71", "");
	tc_expect(r, 1, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE,
		  APMATRIX_SEVERITY_ERROR, TC_D(U3), "", "", "", "7");
	tc_expect(r, 2, APMATRIX_FINDING_NO_QUEUES, APMATRIX_SEVERITY_INFO,
		  TC_D(U4), "", "9", "", "");
	ck_assert_ptr_null(apmatrix_report_get_finding(r, 3));
	ck_assert_ptr_null(apmatrix_finding_get_uuid(f, 2));
	ck_assert_int_eq(apmatrix_finding_get_role(f, 0), APMATRIX_ROLE_LIVE);
	ck_assert_int_eq(apmatrix_finding_get_role(f, 1), APMATRIX_ROLE_LIVE);
	ck_assert_int_eq(apmatrix_finding_get_role(f, 2), -EINVAL);
	f = apmatrix_report_get_finding(r, 1);
	ck_assert_ptr_null(apmatrix_finding_get_uuid(f, 1));
	ck_assert_int_eq(apmatrix_finding_get_role(f, 0),
			 APMATRIX_ROLE_DEFINED);
	ck_assert_int_eq(apmatrix_finding_get_role(f, 1), -EINVAL);
	ck_assert_str_eq(apmatrix_finding_get_code_name(f),
			 "control-without-usage");
	ck_assert_str_eq(apmatrix_finding_get_code_name(
				 apmatrix_report_get_finding(r, 2)),
			 "no-queues");
	ck_assert_ptr_eq(apmatrix_report_ref(r), r);
	ck_assert_ptr_null(apmatrix_report_unref(r));
	ck_assert_ptr_null(apmatrix_report_unref(r));
}
END_TEST

START_TEST(null_args)
{
	ck_assert_ptr_null(apmatrix_report_ref(NULL));
	ck_assert_ptr_null(apmatrix_report_unref(NULL));
	ck_assert_uint_eq(apmatrix_report_get_count(NULL), 0);
	ck_assert_ptr_null(apmatrix_report_get_finding(NULL, 0));
	ck_assert_int_eq(apmatrix_report_get_max_severity(NULL),
			 APMATRIX_SEVERITY_NONE);
	ck_assert_int_eq(apmatrix_report_format_json(NULL, 0, NULL, 0),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_finding_get_code(NULL), -EINVAL);
	ck_assert_str_eq(apmatrix_finding_get_code_name(NULL), "unknown");
	ck_assert_int_eq(apmatrix_finding_get_severity(NULL), -EINVAL);
	ck_assert_ptr_null(apmatrix_finding_get_message(NULL));
	ck_assert_uint_eq(apmatrix_finding_get_uuid_count(NULL), 0);
	ck_assert_ptr_null(apmatrix_finding_get_uuid(NULL, 0));
	ck_assert_int_eq(apmatrix_finding_get_role(NULL, 0), -EINVAL);
	ck_assert_ptr_null(apmatrix_finding_get_apqns(NULL));
	ck_assert_ptr_null(apmatrix_finding_get_adapters(NULL));
	ck_assert_ptr_null(apmatrix_finding_get_usage_domains(NULL));
	ck_assert_ptr_null(apmatrix_finding_get_control_domains(NULL));
}
END_TEST

/* Severities: higher is more severe; an empty report is below them all. */
START_TEST(severities)
{
	struct apmatrix_check *check = NULL;
	struct apmatrix_report *r;

	ck_assert_int_eq(APMATRIX_SEVERITY_NONE, 0);
	ck_assert_int_lt(APMATRIX_SEVERITY_NONE, APMATRIX_SEVERITY_INFO);
	ck_assert_int_lt(APMATRIX_SEVERITY_INFO, APMATRIX_SEVERITY_WARNING);
	ck_assert_int_lt(APMATRIX_SEVERITY_WARNING, APMATRIX_SEVERITY_ERROR);
	ck_assert_int_eq(apmatrix_check_new(ctx, &check), 0);
	r = tc_run(check);
	ck_assert_int_eq(apmatrix_report_get_max_severity(r),
			 APMATRIX_SEVERITY_NONE);
	apmatrix_report_unref(r);
	tc_add_def(check, ctx, U4, "9", "", "", 0);
	r = tc_run(check);
	ck_assert_int_eq(apmatrix_report_get_max_severity(r),
			 APMATRIX_SEVERITY_INFO);
	apmatrix_report_unref(r);
	tc_add_def(check, ctx, U1, "9", "1", "", 0);
	tc_add_def(check, ctx, U2, "9", "1", "", 0);
	r = tc_run(check);
	ck_assert_int_eq(apmatrix_report_get_max_severity(r),
			 APMATRIX_SEVERITY_WARNING);
	apmatrix_report_unref(r);
	apmatrix_check_unref(check);
}
END_TEST

/* Every code has its stable name; the severity and role names in JSON. */
START_TEST(code_names)
{
	static const char *const names[] = {
		NULL,
		"shared-apqns",
		"host-pool-active",
		"host-pool-persistent",
		"adapter-over-limit",
		"domain-over-limit",
		"control-domain-over-limit",
		"control-without-usage",
		"queue-missing",
		"queue-not-bound",
		"adapter-filtered",
		"not-configured",
		"no-queues",
	};

	for (int code = 1; code <= 12; code++)
		ck_assert_str_eq(apmatrix_finding_code_name(code), names[code]);
	ck_assert_str_eq(apmatrix_finding_code_name(0), "unknown");
	ck_assert_str_eq(apmatrix_finding_code_name(13), "unknown");
	ck_assert_str_eq(apmatrix_finding_code_name(-1), "unknown");
}
END_TEST

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s", key);
	return v;
}

static void check_int_array(json_object *arr, const int *want, size_t n)
{
	ck_assert(json_object_is_type(arr, json_type_array));
	ck_assert_uint_eq(json_object_array_length(arr), n);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);

		ck_assert(json_object_is_type(v, json_type_int));
		ck_assert_int_eq(json_object_get_int(v), want[i]);
	}
}

static void check_str_array(json_object *arr, const char *const *want, size_t n)
{
	ck_assert(json_object_is_type(arr, json_type_array));
	ck_assert_uint_eq(json_object_array_length(arr), n);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);

		ck_assert(json_object_is_type(v, json_type_string));
		ck_assert_str_eq(json_object_get_string(v), want[i]);
	}
}

static void check_sample_json(const char *text, struct apmatrix_report *r)
{
	json_object *root = json_tokener_parse(text);
	json_object *arr, *f;
	static const char *const uuids0[] = {U1, U2};
	static const char *const roles0[] = {"live", "live"};
	static const char *const apqns0[] = {"04.0047", "05.0047"};
	static const char *const uuids1[] = {U3};
	static const char *const uuids2[] = {U4};
	static const char *const defined[] = {"defined"};
	static const int ad0[] = {4, 5}, dom0[] = {71}, ctl1[] = {7},
			 ad2[] = {9};

	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(json_object_object_length(root), 1);
	arr = get(root, "findings");
	ck_assert(json_object_is_type(arr, json_type_array));
	ck_assert_uint_eq(json_object_array_length(arr), 3);

	f = json_object_array_get_idx(arr, 0);
	ck_assert_uint_eq(json_object_object_length(f), 9);
	ck_assert_str_eq(json_object_get_string(get(f, "code")),
			 "shared-apqns");
	ck_assert_str_eq(json_object_get_string(get(f, "severity")), "error");
	ck_assert_str_eq(json_object_get_string(get(f, "message")),
			 apmatrix_finding_get_message(
				 apmatrix_report_get_finding(r, 0)));
	check_str_array(get(f, "uuids"), uuids0, 2);
	check_str_array(get(f, "roles"), roles0, 2);
	check_str_array(get(f, "apqns"), apqns0, 2);
	check_int_array(get(f, "adapters"), ad0, 2);
	check_int_array(get(f, "usage_domains"), dom0, 1);
	check_int_array(get(f, "control_domains"), NULL, 0);

	f = json_object_array_get_idx(arr, 1);
	ck_assert_str_eq(json_object_get_string(get(f, "code")),
			 "control-without-usage");
	ck_assert_str_eq(json_object_get_string(get(f, "severity")), "error");
	check_str_array(get(f, "uuids"), uuids1, 1);
	check_str_array(get(f, "roles"), defined, 1);
	check_str_array(get(f, "apqns"), NULL, 0);
	check_int_array(get(f, "adapters"), NULL, 0);
	check_int_array(get(f, "usage_domains"), NULL, 0);
	check_int_array(get(f, "control_domains"), ctl1, 1);

	f = json_object_array_get_idx(arr, 2);
	ck_assert_str_eq(json_object_get_string(get(f, "code")), "no-queues");
	ck_assert_str_eq(json_object_get_string(get(f, "severity")), "info");
	check_str_array(get(f, "uuids"), uuids2, 1);
	check_str_array(get(f, "roles"), defined, 1);
	check_int_array(get(f, "adapters"), ad2, 1);
	check_int_array(get(f, "usage_domains"), NULL, 0);
	json_object_put(root);
}

START_TEST(json)
{
	struct apmatrix_report *r = sample();
	char buf[4096], small[16];
	int len;

	test_call(ctx, len = apmatrix_report_format_json(r, 0, NULL, 0), len,
		  NULL);
	ck_assert_int_gt(len, 100);
	ck_assert_int_lt(len, (int)sizeof(buf));
	ck_assert_int_eq(apmatrix_report_format_json(r, 0, buf, sizeof(buf)),
			 len);
	ck_assert_uint_eq(strlen(buf), (size_t)len);
	ck_assert_ptr_null(strchr(buf, '\n'));
	ck_assert_ptr_nonnull(strstr(buf, "\"04.0047\""));
	check_sample_json(buf, r);

	/* snprintf semantics. */
	ck_assert_int_eq(
		apmatrix_report_format_json(r, 0, small, sizeof(small)), len);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(strncmp(small, buf, sizeof(small) - 1), 0);
	small[0] = 'x';
	ck_assert_int_eq(apmatrix_report_format_json(r, 0, small, 1), len);
	ck_assert_str_eq(small, "");
	test_call(ctx, apmatrix_report_format_json(r, 0, NULL, 5), -EINVAL,
		  "NULL buffer of size 5");

	/* Pretty: several lines, same content. */
	len = apmatrix_report_format_json(r, APMATRIX_JSON_PRETTY, buf,
					  sizeof(buf));
	ck_assert_int_gt(len, 0);
	ck_assert_int_lt(len, (int)sizeof(buf));
	ck_assert_ptr_nonnull(strchr(buf, '\n'));
	check_sample_json(buf, r);

	test_call(ctx, apmatrix_report_format_json(r, 2, buf, sizeof(buf)),
		  -EINVAL, "unknown flags 0x2");
	test_call(ctx, apmatrix_report_format_json(r, ~0u, buf, sizeof(buf)),
		  -EINVAL, "unknown flags 0xffffffff");
	apmatrix_report_unref(r);
}
END_TEST

START_TEST(json_empty)
{
	struct apmatrix_check *check = NULL;
	struct apmatrix_report *r;
	char buf[64];

	ck_assert_int_eq(apmatrix_check_new(ctx, &check), 0);
	r = tc_run(check);
	ck_assert_int_eq(apmatrix_report_format_json(r, 0, buf, sizeof(buf)),
			 (int)strlen("{\"findings\":[]}"));
	ck_assert_str_eq(buf, "{\"findings\":[]}");
	apmatrix_report_unref(r);
	apmatrix_check_unref(check);
}
END_TEST

/* Messages hold slashes and parentheses; JSON carries them unchanged. */
START_TEST(json_message_round_trip)
{
	struct apmatrix_report *r = sample();
	char buf[4096];
	json_object *root, *arr;

	ck_assert_int_gt(apmatrix_report_format_json(r, 0, buf, sizeof(buf)),
			 0);
	root = json_tokener_parse(buf);
	ck_assert_ptr_nonnull(root);
	arr = get(root, "findings");
	for (unsigned int i = 0; i < apmatrix_report_get_count(r); i++)
		ck_assert_str_eq(
			json_object_get_string(get(
				json_object_array_get_idx(arr, i), "message")),
			apmatrix_finding_get_message(
				apmatrix_report_get_finding(r, i)));
	json_object_put(root);
	apmatrix_report_unref(r);
}
END_TEST

/* Findings, their lists and sets stay valid as long as the report does,
 * also after the check and the mdevs are gone. */
START_TEST(finding_lifetime)
{
	struct apmatrix_report *r = sample();
	const struct apmatrix_finding *f = apmatrix_report_get_finding(r, 0);
	const struct apmatrix_apqn_list *l = apmatrix_finding_get_apqns(f);

	ck_assert_ptr_eq(apmatrix_report_get_finding(r, 0), f);
	ck_assert_ptr_eq(apmatrix_finding_get_apqns(f), l);
	ck_assert_str_eq(tc_apqns(l), "04.0047,05.0047");
	ck_assert_str_eq(tc_ids(apmatrix_finding_get_adapters(f)), "4,5");
	ck_assert_str_eq(tc_ids(apmatrix_finding_get_usage_domains(f)), "71");
	ck_assert_str_eq(apmatrix_finding_get_uuid(f, 1), U2);
	apmatrix_report_unref(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, getters);
	tcase_add_test(tc, null_args);
	tcase_add_test(tc, severities);
	tcase_add_test(tc, code_names);
	tcase_add_test(tc, json);
	tcase_add_test(tc, json_empty);
	tcase_add_test(tc, json_message_round_trip);
	tcase_add_test(tc, finding_lifetime);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
