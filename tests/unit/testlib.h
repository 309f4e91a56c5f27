/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the Check suites. */
#ifndef APMATRIX_TESTLIB_H
#define APMATRIX_TESTLIB_H

#include <check.h>

#include "apmatrix.h"

/* A new context (default log hook and priority); fails the test on error. */
struct apmatrix_ctx *test_ctx_new(void);

/* Run one suite with the usual runner; returns the process exit status. */
int test_run_suite(Suite *suite);

/* Format helpers returning a static buffer (tests only). */
const char *test_idset_str(const struct apmatrix_idset *set,
			   unsigned int syntax);

/*
 * Fresh diagnostics. test_diag_plant() leaves TEST_DIAG_SENTINEL as the
 * diagnostic of ctx, so a later check can tell a message the call under test
 * wrote from one left over by an earlier call.
 */
#define TEST_DIAG_SENTINEL "SENTINEL"
void test_diag_plant(struct apmatrix_ctx *ctx);

/*
 * Assert what the call under test left in the diagnostic of ctx:
 *  - want NULL: nothing (a clean success clears it);
 *  - want TEST_DIAG_SENTINEL: the sentinel, untouched (a plain getter);
 *  - otherwise a new message (not the sentinel) containing want, on one line.
 * call, file and line name the call in the failure message.
 */
void test_diag_expect(struct apmatrix_ctx *ctx, const char *want,
		      const char *call, const char *file, int line);

/*
 * Plant the sentinel, run call (an expression of integer type), and assert
 * it returned ret and left the diagnostic test_diag_expect() describes:
 *
 *	test_call(ctx, apmatrix_idset_set(set, 256), -EINVAL, "ID 256");
 *	test_call(ctx, apmatrix_idset_set(set, 4), 0, NULL);
 */
#define test_call(ctx, call, ret, want)                                        \
	do {                                                                   \
		long long r_;                                                  \
		test_diag_plant(ctx);                                          \
		r_ = (long long)(call);                                        \
		ck_assert_msg(r_ == (long long)(ret),                          \
			      "%s:%d: %s returned %lld, want %lld "            \
			      "(diagnostic \"%s\")",                           \
			      __FILE__, __LINE__, #call, r_, (long long)(ret), \
			      apmatrix_get_diagnostic(ctx));                   \
		test_diag_expect((ctx), (want), #call, __FILE__, __LINE__);    \
	} while (0)

#endif
