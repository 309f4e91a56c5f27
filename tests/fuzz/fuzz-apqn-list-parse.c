/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrix_apqn_list_parse(). Byte 0 says what the list holds before the
 * parse (low 2 bits: nothing, 04.0047, three APQNs, 0-based APQNs from byte
 * 0; bit 7: pass flags = 1, which must be refused); the rest is the text.
 *
 * Properties:
 * - failure: -EINVAL (or -ENOMEM), the list unchanged, a fresh one-line
 *   diagnostic (bad text and bad flags alike); success clears it;
 * - success: the list is sorted, distinct, holds everything it held before,
 *   and contains() agrees with get();
 * - the list formats with "," and with "\n" (snprintf() rules) and both
 *   texts parse back into an empty list as the same list.
 */
#include "fuzz-common.h"

#define MAX_COPY 65536

static int fmt_list(const void *obj, unsigned int sep, char *buf, size_t size)
{
	return apmatrix_apqn_list_format(obj, sep ? "\n" : ",", 0, buf, size);
}

static struct apmatrix_apqn_list *new_list(struct apmatrix_ctx *ctx)
{
	struct apmatrix_apqn_list *list = NULL;

	if (apmatrix_apqn_list_new(ctx, &list) < 0 || !list)
		abort();
	return list;
}

static void check_sorted(const struct apmatrix_apqn_list *list)
{
	unsigned int i, n = apmatrix_apqn_list_get_count(list);
	int prev = -1;

	FUZZ_ASSERT(n <= APMATRIX_MAX_APQNS, "count %u", n);
	for (i = 0; i < n; i++) {
		int a = apmatrix_apqn_list_get_apqn(list, i);

		FUZZ_ASSERT(a > prev && a <= 0xffff, "item %u is %d after %d", i,
		            a, prev);
		FUZZ_ASSERT(apmatrix_apqn_list_contains(list, (unsigned int)a),
		            "contains(%#x) is false", a);
		prev = a;
	}
	FUZZ_ASSERT(apmatrix_apqn_list_get_apqn(list, n) == -EINVAL,
	            "get(count) did not fail");
}

static int same_list(const struct apmatrix_apqn_list *a,
                     const struct apmatrix_apqn_list *b)
{
	unsigned int i, n = apmatrix_apqn_list_get_count(a);

	if (n != apmatrix_apqn_list_get_count(b))
		return 0;
	for (i = 0; i < n; i++)
		if (apmatrix_apqn_list_get_apqn(a, i) != apmatrix_apqn_list_get_apqn(b, i))
			return 0;
	return 1;
}

static void check_roundtrip(struct apmatrix_ctx *ctx,
                            const struct apmatrix_apqn_list *list,
                            unsigned int newline)
{
	struct apmatrix_apqn_list *back = new_list(ctx);
	char *text;
	int r;

	text = fuzz_format(fmt_list, list, newline, "apmatrix_apqn_list_format");
	FUZZ_ASSERT(text != NULL, "cannot format the list");
	if (newline && text[0])
		FUZZ_ASSERT(text[strlen(text) - 1] == '\n',
		            "newline-separated text does not end with one");
	r = apmatrix_apqn_list_parse(back, text, 0);
	FUZZ_ASSERT(r == 0, "formatted list does not parse: %d: %s", r,
	            apmatrix_get_diagnostic(ctx));
	FUZZ_ASSERT(same_list(list, back), "\"%.80s\" parses back differently",
	            text);
	apmatrix_apqn_list_unref(back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apmatrix_ctx *ctx;
	struct apmatrix_apqn_list *list, *before;
	unsigned int flags, i;
	char *text;
	int r;

	if (size < 1)
		return 0;
	flags = data[0] & 0x80 ? 1 : 0;
	text = fuzz_text(data + 1, size - 1);
	ctx = fuzz_ctx();
	list = new_list(ctx);
	before = new_list(ctx);

	switch (data[0] & 3) {
	case 0:
		break;
	case 1:
		apmatrix_apqn_list_add(list, APMATRIX_APQN(4, 0x47));
		break;
	case 2:
		apmatrix_apqn_list_add(list, APMATRIX_APQN(0xff, 0xff));
		apmatrix_apqn_list_add(list, APMATRIX_APQN(0, 0));
		apmatrix_apqn_list_add(list, APMATRIX_APQN(5, 1));
		break;
	default:
		for (i = 0; i < (data[0] & 0x7cu); i += 4)
			apmatrix_apqn_list_add(list, APMATRIX_APQN(i, data[0]));
		break;
	}
	for (i = 0; i < apmatrix_apqn_list_get_count(list); i++)
		apmatrix_apqn_list_add(before,
		                       (unsigned int)apmatrix_apqn_list_get_apqn(list, i));

	fuzz_plant_diag(ctx);
	r = apmatrix_apqn_list_parse(list, text, flags);
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL || r == -ENOMEM, "returned %d", r);
		FUZZ_ASSERT(same_list(list, before),
		            "a failed parse changed the list");
		fuzz_assert_diag(ctx, "apmatrix_apqn_list_parse");
		goto out;
	}
	FUZZ_ASSERT(r == 0 && flags == 0, "returned %d with flags %u", r, flags);
	fuzz_assert_no_diag(ctx, "apmatrix_apqn_list_parse");
	check_sorted(list);
	for (i = 0; i < apmatrix_apqn_list_get_count(before); i++)
		FUZZ_ASSERT(apmatrix_apqn_list_contains(
		                list, (unsigned int)apmatrix_apqn_list_get_apqn(before, i)),
		            "the parse dropped an APQN the list held");
	check_roundtrip(ctx, list, 0);
	check_roundtrip(ctx, list, 1);
out:
	apmatrix_apqn_list_unref(before);
	apmatrix_apqn_list_unref(list);
	apmatrix_unref(ctx);
	free(text);
	return 0;
}
