/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrix.h must compile on its own, twice (include guard), as C89, C99,
 * C11 and C++, without warnings. This file is compiled with -fsyntax-only
 * in each of those modes; it must itself stay valid in all of them.
 */
#include <apmatrix.h>
#include <apmatrix.h>

/* The function-like macros must work in constant expressions. */
typedef char apmatrix_abi_apqn_check[
	APMATRIX_APQN(4, 0x47) == 0x0447u &&
	APMATRIX_APQN_ADAPTER(0x0447u) == 4u &&
	APMATRIX_APQN_DOMAIN(0x0447u) == 0x47u ? 1 : -1];

int apmatrix_abi_header_standalone(void);
int apmatrix_abi_header_standalone(void)
{
	/* Signatures take the documented types (no bool, no enum types). */
	int (*parse)(struct apmatrix_idset *, const char *, unsigned int,
	             unsigned int) = apmatrix_idset_parse;
	apmatrix_log_fn log_fn = 0;

	(void)parse;
	(void)log_fn;
	return (int)sizeof(apmatrix_abi_apqn_check) + APMATRIX_MAX_IDS;
}
