/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "testlib.h"

static void test_log(void *data, int priority, const char *file, int line,
                     const char *fn, const char *msg)
{
	(void)data;
	if (priority <= LOG_ERR)
		ck_abort_msg("unexpected error log %s:%d %s(): %s", file, line,
		             fn, msg);
}

struct apmatrix_ctx *test_ctx_new(void)
{
	struct apmatrix_ctx *ctx = NULL;

	ck_assert_int_eq(apmatrix_new(&ctx), 0);
	ck_assert_ptr_nonnull(ctx);
	apmatrix_set_log_fn(ctx, test_log, NULL);
	return ctx;
}

int test_run_suite(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

const char *test_idset_str(const struct apmatrix_idset *set,
                           unsigned int syntax)
{
	static char buf[2048];

	ck_assert_int_ge(apmatrix_idset_format(set, syntax, buf, sizeof(buf)),
	                 0);
	return buf;
}
