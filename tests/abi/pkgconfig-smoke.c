/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The smallest real user of libapmatrix: built only with the flags
 * `pkg-config --cflags --libs libapmatrix` gives, then run.
 */
#include <apmatrix.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct apmatrix_ctx *ctx = NULL;
	struct apmatrix_idset *set = NULL;
	char buf[80];
	int r, rc = 1;

	r = apmatrix_new(&ctx);
	if (r < 0) {
		fprintf(stderr, "apmatrix_new: %s\n", apmatrix_strerror(r));
		return 1;
	}
	r = apmatrix_idset_new(ctx, &set);
	if (r < 0)
		goto out;
	r = apmatrix_idset_parse(set, "1,3,5-7", APMATRIX_SYNTAX_LIST, 0);
	if (r < 0) {
		fprintf(stderr, "parse: %s\n", apmatrix_get_diagnostic(ctx));
		goto out;
	}
	r = apmatrix_idset_format(set, APMATRIX_SYNTAX_LIST, 0, buf, sizeof(buf));
	if (r < 0 || strcmp(buf, "1,3,5-7") != 0) {
		fprintf(stderr, "format gave %d \"%s\"\n", r, r < 0 ? "" : buf);
		goto out;
	}
	printf("libapmatrix works: %s (%u IDs)\n", buf, apmatrix_idset_get_count(set));
	rc = 0;
out:
	apmatrix_idset_unref(set);
	apmatrix_unref(ctx);
	return rc;
}
