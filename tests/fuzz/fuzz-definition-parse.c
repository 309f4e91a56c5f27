/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mdevctl definition files: the internal parser (apmatrix_def_parse()) and
 * the public apmatrix_store_parse_definition() on any bytes.
 *
 * Properties:
 * - failure: -EINVAL and a one-line reason naming a position;
 * - success: our file format parses back to the same definition and
 *   formats to the same bytes (what we write, we read); the compact form
 *   (callout stdin) parses to the same definition too;
 * - the attrs apply without error bits beyond those reported, and giving a
 *   definition the matrix it already has changes nothing (unknown attrs
 *   and the order of matrix attrs stay);
 * - the public parser agrees with the internal one on success/failure
 *   (except for attrs the kernel would refuse, which only it refuses).
 */
#include "fuzz-common.h"
#include "store-internal.h"

static char *format(const struct apmatrix_def *def, int compact)
{
	int n = compact ? apmatrix_def_format_compact(def, NULL, 0)
			: apmatrix_def_format(def, NULL, 0);
	char *out;

	FUZZ_ASSERT(n >= 0, "format length %d", n);
	out = malloc((size_t)n + 1);
	if (!out)
		abort();
	FUZZ_ASSERT((compact ? apmatrix_def_format_compact(def, out, (size_t)n + 1)
			     : apmatrix_def_format(def, out, (size_t)n + 1)) == n,
		    "format length changed");
	return out;
}

static int same_def(const struct apmatrix_def *a, const struct apmatrix_def *b)
{
	if (strcmp(a->type, b->type) || a->autostart != b->autostart ||
	    a->attr_count != b->attr_count)
		return 0;
	for (unsigned int i = 0; i < a->attr_count; i++)
		if (strcmp(a->attrs[i].key, b->attrs[i].key) ||
		    strcmp(a->attrs[i].value, b->attrs[i].value))
			return 0;
	return 1;
}

static void reparse(const struct apmatrix_def *def, int compact)
{
	struct apmatrix_def *back = NULL;
	char why[256], *text = format(def, compact), *again;
	int r = apmatrix_def_parse(text, strlen(text), &back, why, sizeof(why));

	FUZZ_ASSERT(r == 0, "our own %s text does not parse: %s: %.200s",
		    compact ? "compact" : "file", why, text);
	FUZZ_ASSERT(same_def(def, back), "%s text reads back differently",
		    compact ? "compact" : "file");
	again = format(back, compact);
	FUZZ_ASSERT(strcmp(text, again) == 0, "format not stable");
	free(again);
	free(text);
	apmatrix_def_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apmatrix_def *def = NULL;
	struct apmatrix_matrix m;
	struct apmatrix_ctx *ctx;
	struct apmatrix_mdev *mdev = NULL;
	char why[256] = "", *text;
	int r, pr;

	text = fuzz_text(data, size);
	r = apmatrix_def_parse((const char *)data, size, &def, why, sizeof(why));
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL, "returned %d", r);
		FUZZ_ASSERT(why[0] && !strchr(why, '\n'), "reason \"%s\"", why);
	} else {
		reparse(def, 0);
		reparse(def, 1);
		apmatrix_matrix_init_embedded(&m, NULL, NULL, NULL, NULL);
		apmatrix_def_apply(def, &m, NULL, NULL);
		{
			struct apmatrix_def *copy = NULL;
			char *t = format(def, 0);

			FUZZ_ASSERT(apmatrix_def_parse(t, strlen(t), &copy, why,
						       sizeof(why)) == 0,
				    "reparse");
			FUZZ_ASSERT(apmatrix_def_set_matrix(copy, &m) == 0,
				    "set_matrix");
			FUZZ_ASSERT(same_def(def, copy),
				    "the same matrix changed the attrs");
			free(t);
			apmatrix_def_free(copy);
		}
	}
	ctx = fuzz_ctx();
	fuzz_plant_diag(ctx);
	pr = apmatrix_store_parse_definition(
		ctx, "00000000-0000-0000-0000-000000000000", text, 0, &mdev);
	if (pr < 0) {
		FUZZ_ASSERT(pr == -EINVAL, "public parser returned %d", pr);
		fuzz_assert_diag(ctx, "apmatrix_store_parse_definition");
	} else if (strlen(text) == size) {
		/* With a NUL inside, the C string is only a prefix of the file
		 * the file parser saw: only whole texts compare. */
		FUZZ_ASSERT(r == 0,
			    "public parser accepted what the file parser refused");
		FUZZ_ASSERT(apmatrix_mdev_get_autostart(mdev) == def->autostart,
			    "start mode");
	}
	apmatrix_mdev_unref(mdev);
	apmatrix_def_free(def);
	apmatrix_unref(ctx);
	free(text);
	return 0;
}
