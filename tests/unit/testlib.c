/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix-internal.h"
#include "testlib.h"

struct apmatrix_ctx *test_ctx_new(void)
{
	struct apmatrix_ctx *ctx = NULL;

	ck_assert_int_eq(apmatrix_new(&ctx), 0);
	ck_assert_ptr_nonnull(ctx);
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

	ck_assert_int_ge(apmatrix_idset_format(set, syntax, 0, buf, sizeof(buf)),
			 0);
	return buf;
}

void test_diag_plant(struct apmatrix_ctx *ctx)
{
	ck_assert_ptr_nonnull(ctx);
	apmatrix_diag(ctx, 0, "%s", TEST_DIAG_SENTINEL);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), TEST_DIAG_SENTINEL);
}

void test_diag_expect(struct apmatrix_ctx *ctx, const char *want,
		      const char *call, const char *file, int line)
{
	const char *diag = apmatrix_get_diagnostic(ctx);

	if (!want) {
		ck_assert_msg(diag[0] == '\0',
			      "%s:%d: %s left the diagnostic \"%s\", want none",
			      file, line, call, diag);
		return;
	}
	if (strcmp(want, TEST_DIAG_SENTINEL) == 0) {
		ck_assert_msg(strcmp(diag, TEST_DIAG_SENTINEL) == 0,
			      "%s:%d: %s changed the diagnostic to \"%s\"",
			      file, line, call, diag);
		return;
	}
	ck_assert_msg(strcmp(diag, TEST_DIAG_SENTINEL) != 0,
		      "%s:%d: %s left no diagnostic of its own (\"%s\")", file,
		      line, call, diag);
	ck_assert_msg(strstr(diag, want) != NULL,
		      "%s:%d: %s: diagnostic \"%s\" lacks \"%s\"", file, line,
		      call, diag, want);
	for (const char *p = diag; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7f,
			      "%s:%d: %s: control character 0x%02x in "
			      "diagnostic \"%s\"",
			      file, line, call, (unsigned char)*p, diag);
}
