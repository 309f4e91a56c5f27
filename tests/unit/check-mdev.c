/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mediated devices: identity, configurations by role, start mode. */
#include <errno.h>
#include <string.h>

#include "apmatrix.h"
#include "testcheck.h"
#include "testlib.h"

static struct apmatrix_ctx *ctx;

static void setup(void)
{
	ctx = test_ctx_new();
}

static void teardown(void)
{
	ck_assert_ptr_null(apmatrix_unref(ctx));
}

#define U0 "00000000-0000-0000-0000-000000000000"
#define LIVE APMATRIX_ROLE_LIVE
#define DEFINED APMATRIX_ROLE_DEFINED
#define GUEST APMATRIX_ROLE_GUEST

static void plant(void)
{
	test_diag_plant(ctx);
}

/* A fresh one-line diagnostic naming w1 and (when not NULL) w2. */
#define expect_diag(w1, w2)                                                    \
	do {                                                                   \
		const char *w2_ = (w2);                                        \
		test_diag_expect(ctx, (w1), "", __FILE__, __LINE__);           \
		ck_assert_msg(                                                 \
			!w2_ || strstr(apmatrix_get_diagnostic(ctx), w2_),     \
			"no \"%s\" in: %s", w2_,                               \
			apmatrix_get_diagnostic(ctx));                         \
	} while (0)

START_TEST(new_lower_case)
{
	struct apmatrix_mdev *m = NULL;

	plant();
	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "1B9A0F3C-55AA-4E2B-9D1F-"
					   "0123456789Ab",
					   &m),
			 0);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "");
	ck_assert_str_eq(apmatrix_mdev_get_uuid(m),
			 "1b9a0f3c-55aa-4e2b-9d1f-0123456789ab");
	ck_assert_ptr_eq(apmatrix_mdev_get_ctx(m), ctx);
	ck_assert_str_eq(apmatrix_mdev_get_parent(m), "matrix");
	ck_assert_str_eq(apmatrix_mdev_get_type(m), "vfio_ap-passthrough");
	/* Identity only: no configuration, no state, no start mode. */
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), 0);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, LIVE), 0);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, DEFINED), 0);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, GUEST), 0);
	ck_assert_ptr_null(apmatrix_mdev_get_matrix(m, LIVE));
	ck_assert_ptr_null(apmatrix_mdev_get_matrix(m, DEFINED));
	ck_assert_ptr_null(apmatrix_mdev_get_matrix(m, GUEST));
	ck_assert_ptr_eq(apmatrix_mdev_ref(m), m);
	ck_assert_ptr_null(apmatrix_mdev_unref(m));
	ck_assert_ptr_null(apmatrix_mdev_unref(m));
}
END_TEST

static const struct {
	const char *uuid;
	const char *quoted; /* how the diagnostic shows it */
} bad_uuids[] = {
	{"", "\"\""},
	{"1b9a0f3c-55aa-4e2b-9d1f-0123456789a", "offset 35"},   /* short */
	{"1b9a0f3c-55aa-4e2b-9d1f-0123456789abc", "offset 36"}, /* long */
	{"1b9a0f3c-55aa-4e2b-9d1f-0123456789ag", "offset 35"},  /* not hex */
	{"1b9a0f3c55aa-4e2b-9d1f-0123456789abcd", "offset 8"},
	{"1b9a0f3c-55aa-4e2b-9d1f-01234567-9ab", "offset 32"},
	{"1b9a0f3c-55aa-4e2b-9d1f-0123456789a ", "offset 35"},
	{" 1b9a0f3c-55aa-4e2b-9d1f-0123456789a", "offset 0"},
	/* A newline must not make a two-line message. */
	{"1b9a0f3c-55aa-4e2b-9d1f-0123456789ab\n",
	 "\"1b9a0f3c-55aa-4e2b-9d1f-0123456789ab\\n\""},
	{"1b9a\n0f3c-55aa-4e2b-9d1f-0123456789ab", "\"1b9a\\n0f3c"},
	{"{1b9a0f3c-55aa-4e2b-9d1f-0123456789a}", "offset 0"},
	{"1b9a0f3c_55aa_4e2b_9d1f_0123456789ab", "offset 8"},
};

START_TEST(bad_uuid)
{
	struct apmatrix_mdev *m = NULL;

	plant();
	ck_assert_int_eq(apmatrix_mdev_new(ctx, bad_uuids[_i].uuid, &m),
			 -EINVAL);
	ck_assert_ptr_null(m);
	expect_diag("invalid UUID", bad_uuids[_i].quoted);
}
END_TEST

START_TEST(null_args)
{
	struct apmatrix_mdev *m = NULL;

	ck_assert_int_eq(apmatrix_mdev_new(NULL, U0, &m), -EINVAL);
	plant();
	ck_assert_int_eq(apmatrix_mdev_new(ctx, NULL, &m), -EINVAL);
	expect_diag("NULL", NULL);
	plant();
	ck_assert_int_eq(apmatrix_mdev_new(ctx, U0, NULL), -EINVAL);
	expect_diag("NULL", NULL);
	ck_assert_ptr_null(m);
	ck_assert_ptr_null(apmatrix_mdev_ref(NULL));
	ck_assert_ptr_null(apmatrix_mdev_unref(NULL));
	ck_assert_ptr_null(apmatrix_mdev_get_ctx(NULL));
	ck_assert_ptr_null(apmatrix_mdev_get_uuid(NULL));
	ck_assert_ptr_null(apmatrix_mdev_get_parent(NULL));
	ck_assert_ptr_null(apmatrix_mdev_get_type(NULL));
	ck_assert_ptr_null(apmatrix_mdev_get_matrix(NULL, LIVE));
	ck_assert_int_eq(apmatrix_mdev_has_config(NULL, LIVE), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(NULL), 0);
	ck_assert_int_eq(apmatrix_mdev_set_parent(NULL, "matrix"), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_set_type(NULL, "t"), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_add_config(NULL, LIVE, 0), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_remove_config(NULL, LIVE, 0), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_get_autostart(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_set_autostart(NULL, 1), -EINVAL);
}
END_TEST

/* Live and defined are two matrices of one identity. */
START_TEST(configs)
{
	struct apmatrix_mdev *m = NULL;
	struct apmatrix_matrix *live, *def;

	ck_assert_int_eq(apmatrix_mdev_new(ctx, U0, &m), 0);
	plant();
	ck_assert_int_eq(apmatrix_mdev_add_config(m, LIVE, 0), 0);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "");
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), APMATRIX_MDEV_ACTIVE);
	live = apmatrix_mdev_get_matrix(m, LIVE);
	ck_assert_ptr_nonnull(live);
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(live), 0);
	tc_matrix(live, "1,2", "3", "3");
	ck_assert_int_eq(apmatrix_mdev_add_config(m, DEFINED, 0), 0);
	def = apmatrix_mdev_get_matrix(m, DEFINED);
	ck_assert_ptr_nonnull(def);
	ck_assert_ptr_ne(def, live);
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(def), 0);
	tc_matrix(def, "4", "5,6", "");
	ck_assert_uint_eq(apmatrix_mdev_get_state(m),
			  APMATRIX_MDEV_ACTIVE | APMATRIX_MDEV_DEFINED);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, LIVE), 1);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, DEFINED), 1);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, GUEST), 0);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(live)), "1,2");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(def)), "4");

	/* Adding a role twice: -EEXIST, nothing changed. */
	plant();
	ck_assert_int_eq(apmatrix_mdev_add_config(m, LIVE, 0), -EEXIST);
	expect_diag(U0, "live");
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(live)), "1,2");

	/* Removing drops the matrix; adding again starts empty. */
	ck_assert_int_eq(apmatrix_mdev_remove_config(m, LIVE, 0), 0);
	ck_assert_ptr_null(apmatrix_mdev_get_matrix(m, LIVE));
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), APMATRIX_MDEV_DEFINED);
	plant();
	ck_assert_int_eq(apmatrix_mdev_remove_config(m, LIVE, 0), -ENOENT);
	expect_diag(U0, "live");
	ck_assert_int_eq(apmatrix_mdev_add_config(m, LIVE, 0), 0);
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(
				  apmatrix_mdev_get_matrix(m, LIVE)),
			  0);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_usage_domains(def)), "5,6");

	/* The guest matrix is a configuration too, but no state. */
	ck_assert_int_eq(apmatrix_mdev_add_config(m, GUEST, 0), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m),
			  APMATRIX_MDEV_ACTIVE | APMATRIX_MDEV_DEFINED);
	ck_assert_int_eq(apmatrix_mdev_remove_config(m, GUEST, 0), 0);
	apmatrix_mdev_unref(m);
}
END_TEST

static const unsigned int bad_roles[] = {0, 3, 5, 6, 7, 8, 0x100, ~0u};

START_TEST(config_bad_role)
{
	struct apmatrix_mdev *m = NULL;
	unsigned int role = bad_roles[_i];

	ck_assert_int_eq(apmatrix_mdev_new(ctx, U0, &m), 0);
	plant();
	ck_assert_int_eq(apmatrix_mdev_add_config(m, role, 0), -EINVAL);
	expect_diag("unknown role", U0);
	plant();
	ck_assert_int_eq(apmatrix_mdev_remove_config(m, role, 0), -EINVAL);
	expect_diag("unknown role", U0);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, role), 0);
	ck_assert_ptr_null(apmatrix_mdev_get_matrix(m, role));
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), 0);
	/* Unknown flags. */
	plant();
	ck_assert_int_eq(apmatrix_mdev_add_config(m, LIVE, 1), -EINVAL);
	expect_diag("flags", U0);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, LIVE), 0);
	ck_assert_int_eq(apmatrix_mdev_add_config(m, LIVE, 0), 0);
	plant();
	ck_assert_int_eq(apmatrix_mdev_remove_config(m, LIVE, 0x80), -EINVAL);
	expect_diag("flags", U0);
	ck_assert_int_eq(apmatrix_mdev_has_config(m, LIVE), 1);
	apmatrix_mdev_unref(m);
}
END_TEST

START_TEST(autostart)
{
	struct apmatrix_mdev *m = NULL;
	const unsigned int D = APMATRIX_MDEV_DEFINED,
			   S = APMATRIX_MDEV_AUTOSTART;

	ck_assert_int_eq(apmatrix_mdev_new(ctx, U0, &m), 0);
	/* No definition, no start mode. */
	plant();
	ck_assert_int_eq(apmatrix_mdev_get_autostart(m), -ENOENT);
	expect_diag(U0, "definition");
	plant();
	ck_assert_int_eq(apmatrix_mdev_set_autostart(m, 1), -ENOENT);
	expect_diag(U0, "definition");
	ck_assert_int_eq(apmatrix_mdev_add_config(m, LIVE, 0), 0);
	ck_assert_int_eq(apmatrix_mdev_set_autostart(m, 1), -ENOENT);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), APMATRIX_MDEV_ACTIVE);

	ck_assert_int_eq(apmatrix_mdev_add_config(m, DEFINED, 0), 0);
	plant();
	ck_assert_int_eq(apmatrix_mdev_get_autostart(m), 0);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "");
	ck_assert_int_eq(apmatrix_mdev_set_autostart(m, 1), 0);
	ck_assert_int_eq(apmatrix_mdev_get_autostart(m), 1);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m),
			  APMATRIX_MDEV_ACTIVE | D | S);
	plant();
	ck_assert_int_eq(apmatrix_mdev_set_autostart(m, 2), -EINVAL);
	expect_diag(U0, "autostart");
	ck_assert_int_eq(apmatrix_mdev_set_autostart(m, -1), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_get_autostart(m), 1);
	ck_assert_int_eq(apmatrix_mdev_remove_config(m, LIVE, 0), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), D | S);
	ck_assert_int_eq(apmatrix_mdev_set_autostart(m, 0), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), D);
	/* A new definition starts manually. */
	ck_assert_int_eq(apmatrix_mdev_set_autostart(m, 1), 0);
	ck_assert_int_eq(apmatrix_mdev_remove_config(m, DEFINED, 0), 0);
	ck_assert_int_eq(apmatrix_mdev_get_autostart(m), -ENOENT);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), 0);
	ck_assert_int_eq(apmatrix_mdev_add_config(m, DEFINED, 0), 0);
	ck_assert_int_eq(apmatrix_mdev_get_autostart(m), 0);
	apmatrix_mdev_unref(m);
}
END_TEST

START_TEST(parent_type)
{
	struct apmatrix_mdev *m = NULL;
	char longname[300];

	ck_assert_int_eq(apmatrix_mdev_new(ctx, U0, &m), 0);
	plant();
	ck_assert_int_eq(apmatrix_mdev_set_parent(m, "matrix2"), 0);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "");
	ck_assert_str_eq(apmatrix_mdev_get_parent(m), "matrix2");
	ck_assert_int_eq(apmatrix_mdev_set_type(m, "vfio_ap-other"), 0);
	ck_assert_str_eq(apmatrix_mdev_get_type(m), "vfio_ap-other");
	memset(longname, 'x', 255);
	longname[255] = '\0';
	ck_assert_int_eq(apmatrix_mdev_set_type(m, longname), 0);
	ck_assert_str_eq(apmatrix_mdev_get_type(m), longname);
	ck_assert_int_eq(apmatrix_mdev_set_type(m, "vfio_ap-passthrough"), 0);
	apmatrix_mdev_unref(m);
}
END_TEST

static const struct {
	const char *name;
	const char *why;
	const char *quoted;
} bad_names[] = {
	{"", "empty", "\"\""},
	{".", "not a name", "\".\""},
	{"..", "not a name", "\"..\""},
	{"a/b", "'/'", "\"a/b\""},
	{"../matrix", "'/'", "\"../matrix\""},
	{"mat\nrix", "control character", "\"mat\\nrix\""},
	{"mat\trix", "control character", "\"mat\\trix\""},
	{"mat\x7frix", "control character", "\"mat\\x7frix\""},
	{"m\"x", NULL, "\"m\\\"x\""}, /* valid: quotes are escaped */
};

START_TEST(bad_parent_type)
{
	struct apmatrix_mdev *m = NULL;
	const char *name = bad_names[_i].name;

	ck_assert_int_eq(apmatrix_mdev_new(ctx, U0, &m), 0);
	if (!bad_names[_i].why) {
		ck_assert_int_eq(apmatrix_mdev_set_parent(m, name), 0);
		ck_assert_str_eq(apmatrix_mdev_get_parent(m), name);
		apmatrix_mdev_unref(m);
		return;
	}
	plant();
	ck_assert_int_eq(apmatrix_mdev_set_parent(m, name), -EINVAL);
	expect_diag("parent", bad_names[_i].why);
	expect_diag(U0, bad_names[_i].quoted);
	ck_assert_str_eq(apmatrix_mdev_get_parent(m), "matrix");
	plant();
	ck_assert_int_eq(apmatrix_mdev_set_type(m, name), -EINVAL);
	expect_diag("type", bad_names[_i].why);
	expect_diag(U0, bad_names[_i].quoted);
	ck_assert_str_eq(apmatrix_mdev_get_type(m), "vfio_ap-passthrough");
	apmatrix_mdev_unref(m);
}
END_TEST

START_TEST(parent_type_limits)
{
	struct apmatrix_mdev *m = NULL;
	char longname[300];

	ck_assert_int_eq(apmatrix_mdev_new(ctx, U0, &m), 0);
	memset(longname, 'x', 256);
	longname[256] = '\0';
	plant();
	ck_assert_int_eq(apmatrix_mdev_set_parent(m, longname), -EINVAL);
	expect_diag("255", U0);
	/* The quoted name is shortened: the message stays one short line. */
	ck_assert_uint_lt(strlen(apmatrix_get_diagnostic(ctx)), 200);
	ck_assert_str_eq(apmatrix_mdev_get_parent(m), "matrix");
	plant();
	ck_assert_int_eq(apmatrix_mdev_set_parent(m, NULL), -EINVAL);
	expect_diag("NULL", "parent");
	plant();
	ck_assert_int_eq(apmatrix_mdev_set_type(m, NULL), -EINVAL);
	expect_diag("NULL", "type");
	apmatrix_mdev_unref(m);
}
END_TEST

START_TEST(matrix_embedded)
{
	struct apmatrix_mdev *m =
		tc_mdev(ctx, "00000000-0000-0000-0000-000000000001", "1,2", "3",
			"3,4", APMATRIX_MDEV_ACTIVE);
	struct apmatrix_matrix *mx = apmatrix_mdev_get_matrix(m, LIVE);
	struct apmatrix_idset *ad;

	ck_assert_ptr_eq(apmatrix_mdev_get_matrix(m, LIVE), mx);
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(mx), 2);
	/* A reference on the matrix (or its sets) keeps the mdev alive. */
	ck_assert_ptr_eq(apmatrix_matrix_ref(mx), mx);
	ad = apmatrix_idset_ref(apmatrix_matrix_get_adapters(mx));
	ck_assert_ptr_null(apmatrix_mdev_unref(m));
	ck_assert_str_eq(tc_ids(ad), "1,2");
	apmatrix_matrix_unref(mx);
	ck_assert_str_eq(tc_ids(apmatrix_matrix_get_control_domains(mx)),
			 "3,4");
	apmatrix_idset_unref(ad);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mdev");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, new_lower_case);
	tcase_add_loop_test(tc, bad_uuid, 0,
			    sizeof(bad_uuids) / sizeof(bad_uuids[0]));
	tcase_add_test(tc, null_args);
	tcase_add_test(tc, configs);
	tcase_add_loop_test(tc, config_bad_role, 0,
			    sizeof(bad_roles) / sizeof(bad_roles[0]));
	tcase_add_test(tc, autostart);
	tcase_add_test(tc, parent_type);
	tcase_add_loop_test(tc, bad_parent_type, 0,
			    sizeof(bad_names) / sizeof(bad_names[0]));
	tcase_add_test(tc, parent_type_limits);
	tcase_add_test(tc, matrix_embedded);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
