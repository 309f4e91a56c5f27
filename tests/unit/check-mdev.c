/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mediated device descriptions: UUIDs, the embedded matrix, state bits. */
#include <errno.h>

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

START_TEST(new_lower_case)
{
	struct apmatrix_mdev *m = NULL;

	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "1B9A0F3C-55AA-4E2B-9D1F-"
					   "0123456789Ab",
					   &m),
			 0);
	ck_assert_str_eq(apmatrix_mdev_get_uuid(m),
			 "1b9a0f3c-55aa-4e2b-9d1f-0123456789ab");
	ck_assert_ptr_eq(apmatrix_mdev_get_ctx(m), ctx);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), 0);
	ck_assert_uint_eq(
		apmatrix_matrix_get_apqn_count(apmatrix_mdev_get_matrix(m)), 0);
	ck_assert_ptr_eq(apmatrix_mdev_ref(m), m);
	ck_assert_ptr_null(apmatrix_mdev_unref(m));
	ck_assert_ptr_null(apmatrix_mdev_unref(m));
}
END_TEST

static const char *const bad_uuids[] = {
	"",
	"1b9a0f3c-55aa-4e2b-9d1f-0123456789a",   /* short */
	"1b9a0f3c-55aa-4e2b-9d1f-0123456789abc", /* long */
	"1b9a0f3c-55aa-4e2b-9d1f-0123456789ag",  /* not hex */
	"1b9a0f3c55aa-4e2b-9d1f-0123456789abcd", /* dash missing */
	"1b9a0f3c-55aa-4e2b-9d1f-01234567-9ab",  /* dash misplaced */
	"1b9a0f3c-55aa-4e2b-9d1f-0123456789a ",
	" 1b9a0f3c-55aa-4e2b-9d1f-0123456789a",
	"1b9a0f3c-55aa-4e2b-9d1f-0123456789ab\n",
	"{1b9a0f3c-55aa-4e2b-9d1f-0123456789a}",
	"1b9a0f3c_55aa_4e2b_9d1f_0123456789ab",
};

START_TEST(bad_uuid)
{
	struct apmatrix_mdev *m = NULL;

	test_call(ctx, apmatrix_mdev_new(ctx, bad_uuids[_i], &m), -EINVAL,
		  "invalid UUID");
	ck_assert_ptr_null(m);
}
END_TEST

START_TEST(null_args)
{
	struct apmatrix_mdev *m = NULL;

	ck_assert_int_eq(apmatrix_mdev_new(NULL,
					   "1b9a0f3c-55aa-4e2b-9d1f-"
					   "0123456789ab",
					   &m),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_new(ctx, NULL, &m), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "1b9a0f3c-55aa-4e2b-9d1f-"
					   "0123456789ab",
					   NULL),
			 -EINVAL);
	ck_assert_ptr_null(m);
	ck_assert_ptr_null(apmatrix_mdev_ref(NULL));
	ck_assert_ptr_null(apmatrix_mdev_unref(NULL));
	ck_assert_ptr_null(apmatrix_mdev_get_ctx(NULL));
	ck_assert_ptr_null(apmatrix_mdev_get_uuid(NULL));
	ck_assert_ptr_null(apmatrix_mdev_get_matrix(NULL));
	ck_assert_uint_eq(apmatrix_mdev_get_state(NULL), 0);
	ck_assert_int_eq(apmatrix_mdev_set_state(NULL, 0), -EINVAL);
}
END_TEST

START_TEST(state)
{
	struct apmatrix_mdev *m = NULL;
	const unsigned int A = APMATRIX_MDEV_ACTIVE, D = APMATRIX_MDEV_DEFINED,
			   S = APMATRIX_MDEV_AUTOSTART;

	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "00000000-0000-0000-0000-"
					   "000000000000",
					   &m),
			 0);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, A), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), A);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, S), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, A | S), -EINVAL);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), A);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, 8), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, D | 0x100), -EINVAL);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), A);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, D | S), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), D | S);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, A | D | S), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), A | D | S);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, D), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), D);
	ck_assert_int_eq(apmatrix_mdev_set_state(m, 0), 0);
	ck_assert_uint_eq(apmatrix_mdev_get_state(m), 0);
	apmatrix_mdev_unref(m);
}
END_TEST

START_TEST(matrix_embedded)
{
	struct apmatrix_mdev *m =
		tc_mdev(ctx, "00000000-0000-0000-0000-000000000001", "1,2", "3",
			"3,4", APMATRIX_MDEV_ACTIVE);
	struct apmatrix_matrix *mx = apmatrix_mdev_get_matrix(m);
	struct apmatrix_idset *ad;

	ck_assert_ptr_eq(apmatrix_mdev_get_matrix(m), mx);
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
	tcase_add_test(tc, state);
	tcase_add_test(tc, matrix_embedded);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
