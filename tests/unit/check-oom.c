// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Out of memory: every allocation a call makes fails in turn, and the call
 * must return -ENOMEM with a fresh diagnostic, leave its object as it was
 * and leak nothing (valgrind and ASan see the rest).
 *
 * The allocator is replaced at link time (ld --wrap, see CMakeLists.txt)
 * for this suite only: the library itself has no test hook. Check may be
 * linked statically, so no Check call may run while a failure is armed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix-internal.h"
#include "testlib.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);

/* The allocation (counted from 0 while armed) that fails; -1: none. */
static long fail_at = -1;
static long allocations;

static int fail_now(void)
{
	return fail_at >= 0 && allocations++ == fail_at;
}

void *__wrap_malloc(size_t size)
{
	return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

static struct apmatrix_ctx *ctx;

static void setup(void)
{
	ctx = test_ctx_new();
}

static void teardown(void)
{
	ctx = apmatrix_unref(ctx);
}

/*
 * Run op() with allocation 0, 1, 2, ... failing until it succeeds. Each
 * failure must be -ENOMEM with a fresh diagnostic naming the shortage, and
 * unchanged() must hold after it. Returns how many allocations failed.
 */
static int sweep(const char *what, int (*op)(void), int (*unchanged)(void))
{
	int failures = 0;

	for (long n = 0;; n++) {
		int r;

		ck_assert_msg(n < 1000, "%s never succeeds", what);
		test_diag_plant(ctx);
		allocations = 0;
		fail_at = n;
		r = op();
		fail_at = -1;
		if (r >= 0) {
			ck_assert_msg(allocations <= n,
				      "%s succeeded although allocation %ld "
				      "(of %ld) failed",
				      what, n, allocations);
			break;
		}
		ck_assert_msg(r == -ENOMEM, "%s: allocation %ld failed: %d",
			      what, n, r);
		test_diag_expect(ctx, "out of memory", what, __FILE__,
				 __LINE__);
		ck_assert_msg(!unchanged || unchanged(),
			      "%s: allocation %ld failed and the object "
			      "changed",
			      what, n);
		failures++;
	}
	ck_assert_msg(failures > 0, "%s allocates nothing", what);
	return failures;
}

static struct apmatrix_idset *set;
static struct apmatrix_apqn_list *list;
static struct apmatrix_matrix *m1, *m2;

static int idset_new(void)
{
	int r = apmatrix_idset_new(ctx, &set);

	set = apmatrix_idset_unref(set);
	return r;
}

static int list_new(void)
{
	int r = apmatrix_apqn_list_new(ctx, &list);

	list = apmatrix_apqn_list_unref(list);
	return r;
}

static int matrix_new(void)
{
	int r = apmatrix_matrix_new(ctx, &m1);

	m1 = apmatrix_matrix_unref(m1);
	return r;
}

START_TEST(test_new)
{
	sweep("apmatrix_idset_new", idset_new, NULL);
	sweep("apmatrix_apqn_list_new", list_new, NULL);
	sweep("apmatrix_matrix_new", matrix_new, NULL);
}
END_TEST

/* No context to tell: only the result, and nothing leaked. */
START_TEST(test_new_ctx)
{
	for (long n = 0;; n++) {
		struct apmatrix_ctx *c = NULL;
		int r;

		allocations = 0;
		fail_at = n;
		r = apmatrix_new(&c);
		fail_at = -1;
		if (r == 0) {
			ck_assert_int_ge(n, 1);
			apmatrix_unref(c);
			break;
		}
		ck_assert_int_eq(r, -ENOMEM);
		ck_assert_ptr_null(c);
	}
}
END_TEST

static int set_root(void)
{
	return apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, "/tmp/elsewhere");
}

static int root_unchanged(void)
{
	return strcmp(apmatrix_get_root(ctx, APMATRIX_ROOT_SYSFS), "/sys") == 0;
}

START_TEST(test_set_root)
{
	sweep("apmatrix_set_root", set_root, root_unchanged);
	ck_assert_str_eq(apmatrix_get_root(ctx, APMATRIX_ROOT_SYSFS),
			 "/tmp/elsewhere");
}
END_TEST

static const char *list_text(void)
{
	static char buf[1024];

	ck_assert_int_ge(
		apmatrix_apqn_list_format(list, ",", 0, buf, sizeof(buf)), 0);
	return buf;
}

static char list_before[1024];

static int list_unchanged(void)
{
	return strcmp(list_text(), list_before) == 0;
}

static int list_add(void)
{
	return apmatrix_apqn_list_add(list, 0x0100);
}

static int list_parse(void)
{
	return apmatrix_apqn_list_parse(list,
					"05.0001 05.0002 05.0003 05.0004 "
					"05.0005 05.0006 05.0007 05.0008 "
					"05.0009 05.000a 05.000b 05.000c "
					"05.000d 05.000e 05.000f 05.0010 "
					"05.0011 04.0047",
					0);
}

START_TEST(test_apqn_list)
{
	ck_assert_int_eq(apmatrix_apqn_list_new(ctx, &list), 0);
	/* 16 APQNs fill the first block; the 17th needs a bigger one. */
	for (unsigned int i = 0; i < 16; i++)
		ck_assert_int_eq(apmatrix_apqn_list_add(list, i), 0);
	snprintf(list_before, sizeof(list_before), "%s", list_text());
	sweep("apmatrix_apqn_list_add", list_add, list_unchanged);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(list), 17);

	snprintf(list_before, sizeof(list_before), "%s", list_text());
	/* The parsed APQNs (18, a second block) and the merged list. */
	ck_assert_int_ge(
		sweep("apmatrix_apqn_list_parse", list_parse, list_unchanged),
		3);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(list), 35);
	list = apmatrix_apqn_list_unref(list);
}
END_TEST

static int shared(void)
{
	struct apmatrix_apqn_list *l = NULL;
	int r = apmatrix_matrix_get_shared_apqns(m1, m2, &l);

	/* A failure leaves no list; a success one of 40 APQNs. */
	if ((r < 0 && l) ||
	    (r >= 0 && (r != 40 || apmatrix_apqn_list_get_count(l) != 40)))
		r = -EBADMSG;
	apmatrix_apqn_list_unref(l);
	return r;
}

static int matrix_parse(void)
{
	return apmatrix_matrix_parse(m1, "04.0001\n04.0002\n05.0001\n05.0002\n",
				     APMATRIX_MATRIX_SYSFS, 0);
}

static int matrix_unchanged(void)
{
	return apmatrix_matrix_equal(m1, m2);
}

START_TEST(test_matrix)
{
	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m1), 0);
	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m2), 0);
	ck_assert_int_eq(apmatrix_idset_parse(apmatrix_matrix_get_adapters(m1),
					      "0-9", APMATRIX_SYNTAX_LIST, 0),
			 0);
	ck_assert_int_eq(
		apmatrix_idset_parse(apmatrix_matrix_get_usage_domains(m1),
				     "0-3", APMATRIX_SYNTAX_LIST, 0),
		0);
	ck_assert_int_eq(apmatrix_matrix_assign(m2, m1), 0);
	/* The list, then its storage as it grows past 16 and 32. */
	ck_assert_int_ge(
		sweep("apmatrix_matrix_get_shared_apqns", shared, NULL), 3);

	sweep("apmatrix_matrix_parse", matrix_parse, matrix_unchanged);
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(m1), 4);
	m1 = apmatrix_matrix_unref(m1);
	m2 = apmatrix_matrix_unref(m2);
}
END_TEST

/* Mdevs, the check and its report (helper "check"). */
static struct apmatrix_mdev *mdev;
static struct apmatrix_check *check;

static int mdev_new(void)
{
	int r = apmatrix_mdev_new(ctx, "11111111-1111-1111-1111-111111111111",
				  &mdev);

	mdev = apmatrix_mdev_unref(mdev);
	return r;
}

static int mdev_set_parent(void)
{
	return apmatrix_mdev_set_parent(mdev, "matrix2");
}

static int parent_unchanged(void)
{
	return strcmp(apmatrix_mdev_get_parent(mdev), "matrix") == 0;
}

static int check_new(void)
{
	struct apmatrix_check *c = NULL;
	int r = apmatrix_check_new(ctx, &c);

	apmatrix_check_unref(c);
	return r;
}

static int check_add(void)
{
	return apmatrix_check_add_mdev(check, mdev);
}

/* Sharing (pairs, long APQN lists) and host-less findings: the report is
 * complete or not there. */
static int check_run(void)
{
	struct apmatrix_report *r = NULL;
	int n = apmatrix_check_run(check, 0, &r);

	if ((n < 0 && r) ||
	    (n >= 0 && apmatrix_report_get_count(r) != (unsigned int)n))
		n = -EBADMSG;
	apmatrix_report_unref(r);
	return n;
}

START_TEST(test_check)
{
	char uuid[40];

	sweep("apmatrix_mdev_new", mdev_new, NULL);
	sweep("apmatrix_check_new", check_new, NULL);
	ck_assert_int_eq(apmatrix_check_new(ctx, &check), 0);
	ck_assert_int_eq(apmatrix_mdev_new(ctx,
					   "11111111-1111-1111-1111-"
					   "111111111111",
					   &mdev),
			 0);
	sweep("apmatrix_mdev_set_parent", mdev_set_parent, parent_unchanged);
	ck_assert_str_eq(apmatrix_mdev_get_parent(mdev), "matrix2");
	ck_assert_int_eq(apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_LIVE, 0),
			 0);
	/* A failed add that left anything behind makes the next try fail
	 * with -EEXIST, and the sweep with it. */
	sweep("apmatrix_check_add_mdev", check_add, NULL);
	mdev = apmatrix_mdev_unref(mdev);
	/* 6 mdevs, live and defined, sharing 0-7 x 0-31: 30 pairs, each with
	 * an APQN list, and the blocks of findings and of text. */
	for (unsigned int i = 0; i < 6; i++) {
		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-000000000000",
			 i + 2);
		ck_assert_int_eq(apmatrix_mdev_new(ctx, uuid, &mdev), 0);
		for (unsigned int role = APMATRIX_ROLE_LIVE;
		     role <= APMATRIX_ROLE_DEFINED; role <<= 1) {
			struct apmatrix_matrix *m;

			ck_assert_int_eq(
				apmatrix_mdev_add_config(mdev, role, 0), 0);
			m = apmatrix_mdev_get_matrix(mdev, role);
			ck_assert_int_eq(
				apmatrix_idset_parse(
					apmatrix_matrix_get_adapters(m), "0-7",
					APMATRIX_SYNTAX_LIST, 0),
				0);
			ck_assert_int_eq(
				apmatrix_idset_parse(
					apmatrix_matrix_get_usage_domains(m),
					i % 2 ? "0-31" : "0-31,40",
					APMATRIX_SYNTAX_LIST, 0),
				0);
		}
		ck_assert_int_eq(apmatrix_check_add_mdev(check, mdev), 0);
		mdev = apmatrix_mdev_unref(mdev);
	}
	ck_assert_int_ge(sweep("apmatrix_check_run", check_run, NULL), 10);
	check = apmatrix_check_unref(check);
}
END_TEST

static Suite *oom_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("oom");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new);
	tcase_add_test(tc, test_new_ctx);
	tcase_add_test(tc, test_set_root);
	tcase_add_test(tc, test_apqn_list);
	tcase_add_test(tc, test_matrix);
	tcase_add_test(tc, test_check);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(oom_suite());
}
