/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the Check suites. */
#ifndef APMATRIX_TESTLIB_H
#define APMATRIX_TESTLIB_H

#include <check.h>

#include "apmatrix.h"

/*
 * A context whose log hook fails the running test on any message at LOG_ERR
 * or more severe: the library must report failures through return values.
 */
struct apmatrix_ctx *test_ctx_new(void);

/* Run one suite with the usual runner; returns the process exit status. */
int test_run_suite(Suite *suite);

/* Format helpers returning a static buffer (tests only). */
const char *test_idset_str(const struct apmatrix_idset *set,
                           unsigned int syntax);

#endif
