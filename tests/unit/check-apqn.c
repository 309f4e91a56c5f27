// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix-internal.h"
#include "testlib.h"

static struct apmatrix_ctx *ctx;

static void setup(void)
{
	ctx = test_ctx_new();
}

static void teardown(void)
{
	ctx = apmatrix_unref(ctx);
}

static unsigned int apqn_ok(const char *text)
{
	unsigned int apqn = 0x12345;

	test_call(ctx, apmatrix_apqn_parse(ctx, text, 0, &apqn), 0, NULL);
	return apqn;
}

static void apqn_fails(const char *text, const char *diag)
{
	unsigned int apqn = 0x12345;

	test_call(ctx, apmatrix_apqn_parse(ctx, text, 0, &apqn), -EINVAL, diag);
	ck_assert_uint_eq(apqn, 0x12345);
}

START_TEST(test_apqn_parse)
{
	ck_assert_uint_eq(apqn_ok("04.0047"), 0x0447);
	ck_assert_uint_eq(apqn_ok("4.47"), 0x0447);
	ck_assert_uint_eq(apqn_ok("0x04.0x0047"), 0x0447);
	ck_assert_uint_eq(apqn_ok("0X4.0X47"), 0x0447);
	ck_assert_uint_eq(apqn_ok("ff.00ff"), 0xffff);
	ck_assert_uint_eq(apqn_ok("FF.00FF"), 0xffff);
	ck_assert_uint_eq(apqn_ok("00.0000"), 0);
	ck_assert_uint_eq(apqn_ok("0a.0001\n"), 0x0a01);
	ck_assert_uint_eq(apqn_ok("000004.000047"), 0x0447);

	apqn_fails("0447", "missing '.' between adapter and domain in APQN "
			   "\"0447\"");
	apqn_fails("", "empty text in APQN \"\"");
	apqn_fails("\n", "empty text");
	apqn_fails(".0047", "missing adapter before '.' at offset 0");
	apqn_fails("04.", "missing domain after '.' at offset 2");
	apqn_fails("4g.0047",
		   "invalid character 'g' at offset 1 in APQN \"4g.0047\"");
	apqn_fails("04.00g7", "invalid character 'g' at offset 5");
	apqn_fails("04.0047.1", "invalid character '.' at offset 7");
	apqn_fails("04.0047 ", "invalid character ' ' at offset 7");
	apqn_fails(" 04.0047", "invalid character ' ' at offset 0");
	apqn_fails("-4.1", "invalid character '-' at offset 0");
	apqn_fails("04,0047", "invalid character ',' at offset 2");
	apqn_fails("0x.1", "invalid character 'x' at offset 1");
	apqn_fails("04.0047\n\n", "invalid character '\\n' at offset 7");
	apqn_fails("100.0001", "adapter out of range (00-ff) in APQN "
			       "\"100.0001\"");
	apqn_fails("04.0100", "domain out of range (0000-00ff)");
	apqn_fails("04.fffffffffffffffffffffff", "domain out of range");
	/* User text is quoted: one line, control characters escaped. */
	apqn_fails("04.00\x1b[2J", "invalid character '\\x1b' at offset 5 in "
				   "APQN \"04.00\\x1b[2J\"");

	test_call(ctx, apmatrix_apqn_parse(ctx, NULL, 0, &(unsigned int){0}),
		  -EINVAL, "apqn_parse: text is NULL");
	test_call(ctx, apmatrix_apqn_parse(ctx, "04.0047", 0, NULL), -EINVAL,
		  "apqn_parse: ret is NULL");
	test_call(ctx,
		  apmatrix_apqn_parse(ctx, "04.0047", 2, &(unsigned int){0}),
		  -EINVAL, "apqn_parse: unknown flags 0x2");
	ck_assert_int_eq(
		apmatrix_apqn_parse(NULL, "04.0047x", 0, &(unsigned int){0}),
		-EINVAL);
	ck_assert_int_eq(
		apmatrix_apqn_parse(NULL, "04.0047", 0, &(unsigned int){0}), 0);
}
END_TEST

START_TEST(test_apqn_format)
{
	char buf[8];

	ck_assert_int_eq(apmatrix_apqn_format(0x0447, 0, buf, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "04.0047");
	ck_assert_int_eq(apmatrix_apqn_format(0xffff, 0, buf, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "ff.00ff");
	ck_assert_int_eq(apmatrix_apqn_format(0, 0, buf, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "00.0000");
	ck_assert_int_eq(apmatrix_apqn_format(APMATRIX_APQN(10, 1), 0, buf, 4),
			 7);
	ck_assert_str_eq(buf, "0a.");
	ck_assert_int_eq(apmatrix_apqn_format(0x0447, 0, buf, 1), 7);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(apmatrix_apqn_format(0x0447, 0, NULL, 0), 7);
	/* No context, so no diagnostic: only the result. */
	ck_assert_int_eq(apmatrix_apqn_format(0x0447, 0, NULL, 8), -EINVAL);
	ck_assert_int_eq(apmatrix_apqn_format(0x10000, 0, buf, sizeof(buf)),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_apqn_format(0x0447, 1, buf, sizeof(buf)),
			 -EINVAL);
	ck_assert_uint_eq(APMATRIX_APQN_ADAPTER(0x0447), 4);
	ck_assert_uint_eq(APMATRIX_APQN_DOMAIN(0x0447), 0x47);
}
END_TEST

static struct apmatrix_apqn_list *list_new(void)
{
	struct apmatrix_apqn_list *l = NULL;

	ck_assert_int_eq(apmatrix_apqn_list_new(ctx, &l), 0);
	return l;
}

static const char *list_str(const struct apmatrix_apqn_list *l, const char *sep)
{
	static char buf[1 << 20];
	int n;

	test_diag_plant(ctx);
	n = apmatrix_apqn_list_format(l, sep, 0, buf, sizeof(buf));
	test_diag_expect(ctx, NULL, "apmatrix_apqn_list_format", __FILE__,
			 __LINE__);

	ck_assert_int_ge(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	return buf;
}

START_TEST(test_list_basic)
{
	struct apmatrix_apqn_list *l = NULL;

	ck_assert_int_eq(apmatrix_apqn_list_new(NULL, &l), -EINVAL);
	test_call(ctx, apmatrix_apqn_list_new(ctx, NULL), -EINVAL,
		  "apqn_list_new: ret is NULL");
	test_call(ctx, apmatrix_apqn_list_new(ctx, &l), 0, NULL);
	ck_assert_int_eq(ctx->refcount, 2);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 0);
	test_call(ctx, apmatrix_apqn_list_get_apqn(l, 0), -EINVAL,
		  "apqn_list_get_apqn: index 0 out of range (the list has 0 "
		  "APQNs)");
	test_call(ctx, apmatrix_apqn_list_add(l, 0x0501), 0, NULL);
	ck_assert_int_eq(apmatrix_apqn_list_add(l, 0x0447), 0);
	ck_assert_int_eq(apmatrix_apqn_list_add(l, 0xffff), 0);
	ck_assert_int_eq(apmatrix_apqn_list_add(l, 0x0000), 0);
	test_call(ctx, apmatrix_apqn_list_add(l, 0x0447), 0, NULL);
	test_call(ctx, apmatrix_apqn_list_add(l, 0x10000), -EINVAL,
		  "apqn_list_add: APQN 0x10000 out of range (0-0xffff)");
	ck_assert_int_eq(apmatrix_apqn_list_add(NULL, 1), -EINVAL);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 4);
	/* Queries leave the diagnostic alone. */
	test_call(ctx, apmatrix_apqn_list_get_apqn(l, 0), 0,
		  TEST_DIAG_SENTINEL);
	ck_assert_int_eq(apmatrix_apqn_list_get_apqn(l, 1), 0x0447);
	ck_assert_int_eq(apmatrix_apqn_list_get_apqn(l, 2), 0x0501);
	ck_assert_int_eq(apmatrix_apqn_list_get_apqn(l, 3), 0xffff);
	test_call(ctx, apmatrix_apqn_list_get_apqn(l, 4), -EINVAL,
		  "index 4 out of range (the list has 4 APQNs)");
	ck_assert_int_eq(apmatrix_apqn_list_get_apqn(NULL, 0), -EINVAL);
	test_call(ctx, apmatrix_apqn_list_contains(l, 0x0447), 1,
		  TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_apqn_list_get_count(l), 4, TEST_DIAG_SENTINEL);
	ck_assert_int_eq(apmatrix_apqn_list_contains(l, 0x0448), 0);
	ck_assert_int_eq(apmatrix_apqn_list_contains(l, 0x10000), 0);
	ck_assert_int_eq(apmatrix_apqn_list_contains(NULL, 0), 0);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(NULL), 0);
	ck_assert_ptr_eq(apmatrix_apqn_list_ref(l), l);
	ck_assert_int_eq(l->refs.count, 2);
	ck_assert_ptr_null(apmatrix_apqn_list_unref(l));
	ck_assert_ptr_null(apmatrix_apqn_list_unref(l));
	ck_assert_int_eq(ctx->refcount, 1);
	ck_assert_ptr_null(apmatrix_apqn_list_unref(NULL));
	ck_assert_ptr_null(apmatrix_apqn_list_ref(NULL));
}
END_TEST

START_TEST(test_list_insert)
{
	struct apmatrix_apqn_list *l = list_new();

	for (unsigned int i = 0; i < APMATRIX_MAX_APQNS; i += 3)
		ck_assert_int_eq(apmatrix_apqn_list_insert(l, i), 0);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 21846);
	/* Out of order still keeps the list sorted and distinct. */
	ck_assert_int_eq(apmatrix_apqn_list_insert(l, 1), 0);
	ck_assert_int_eq(apmatrix_apqn_list_insert(l, 3), 0);
	ck_assert_int_eq(apmatrix_apqn_list_insert(l, 0xffff), 0);
	ck_assert_int_eq(apmatrix_apqn_list_insert(l, 0xfffe), 0);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 21848);
	ck_assert_int_eq(apmatrix_apqn_list_get_apqn(l, 1), 1);
	ck_assert_int_eq(apmatrix_apqn_list_get_apqn(l, 2), 3);
	ck_assert_int_eq(apmatrix_apqn_list_get_apqn(l, l->count - 1), 0xffff);
	for (unsigned int i = 1; i < l->count; i++)
		ck_assert_uint_lt(l->apqns[i - 1], l->apqns[i]);
	apmatrix_apqn_list_unref(l);
}
END_TEST

struct owner {
	int refs;
	struct apmatrix_apqn_list list;
};

static void owner_ref(void *o)
{
	((struct owner *)o)->refs++;
}

static void owner_unref(void *o)
{
	((struct owner *)o)->refs--;
}

START_TEST(test_list_embedded)
{
	struct owner o = {.refs = 1};

	apmatrix_apqn_list_init_embedded(&o.list, ctx, &o, owner_ref,
					 owner_unref);
	ck_assert_int_eq(
		apmatrix_apqn_list_parse(&o.list, "04.0047 05.0001", 0), 0);
	ck_assert_ptr_eq(apmatrix_apqn_list_ref(&o.list), &o.list);
	ck_assert_int_eq(o.refs, 2);
	ck_assert_ptr_null(apmatrix_apqn_list_unref(&o.list));
	ck_assert_ptr_null(apmatrix_apqn_list_unref(&o.list));
	ck_assert_int_eq(o.refs, 0);
	/* Still there: the owner frees it. */
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(&o.list), 2);
	ck_assert_int_eq(ctx->refcount, 1);
	apmatrix_apqn_list_release(&o.list);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(&o.list), 0);
	apmatrix_apqn_list_release(&o.list);
	apmatrix_apqn_list_release(NULL);
}
END_TEST

START_TEST(test_list_parse)
{
	struct apmatrix_apqn_list *l = list_new();

	test_call(ctx, apmatrix_apqn_list_parse(l, "", 0), 0, NULL);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 0);
	test_call(ctx, apmatrix_apqn_list_parse(l, "05.0001,04.0047", 0), 0,
		  NULL);
	ck_assert_str_eq(list_str(l, ","), "04.0047,05.0001");
	/* Adds to what is there; separators mix and repeat. */
	ck_assert_int_eq(apmatrix_apqn_list_parse(l,
						  "04.0047\n03.0001, 4.48\t\n"
						  ",,03.0001\n",
						  0),
			 0);
	ck_assert_str_eq(list_str(l, ","), "03.0001,04.0047,04.0048,05.0001");
	ck_assert_int_eq(apmatrix_apqn_list_parse(l, " \n,", 0), 0);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 4);

	/* All or nothing. */
	test_call(ctx,
		  apmatrix_apqn_list_parse(l, "01.0001,02.0002,4g.0047", 0),
		  -EINVAL,
		  "invalid character 'g' at offset 17 in APQN \"4g.0047\" at "
		  "offset 16");
	test_call(ctx, apmatrix_apqn_list_parse(l, "01.0001;02.0002", 0),
		  -EINVAL,
		  "invalid character ';' at offset 7 in APQN "
		  "\"01.0001;02.0002\" at offset 0");
	test_call(ctx, apmatrix_apqn_list_parse(l, "01.0001 0102", 0), -EINVAL,
		  "missing '.' between adapter and domain in APQN \"0102\" at "
		  "offset 8");
	test_call(ctx, apmatrix_apqn_list_parse(l, "100.0001", 0), -EINVAL,
		  "adapter out of range");
	test_call(ctx, apmatrix_apqn_list_parse(l, "01.", 0), -EINVAL,
		  "missing domain after '.' at offset 2");
	test_call(ctx, apmatrix_apqn_list_parse(l, "01.0001\r\n", 0), -EINVAL,
		  "invalid character '\\r' at offset 7 in APQN \"01.0001\\r\"");
	ck_assert_str_eq(list_str(l, ","), "03.0001,04.0047,04.0048,05.0001");

	ck_assert_int_eq(apmatrix_apqn_list_parse(NULL, "", 0), -EINVAL);
	test_call(ctx, apmatrix_apqn_list_parse(l, NULL, 0), -EINVAL,
		  "apqn_list_parse: text is NULL");
	test_call(ctx, apmatrix_apqn_list_parse(l, "01.0001", 1), -EINVAL,
		  "apqn_list_parse: unknown flags 0x1");
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 4);
	apmatrix_apqn_list_unref(l);
}
END_TEST

START_TEST(test_list_format)
{
	struct apmatrix_apqn_list *l = list_new();
	char buf[10];

	ck_assert_str_eq(list_str(l, ","), "");
	ck_assert_str_eq(list_str(l, "\n"), "");
	apmatrix_apqn_list_add(l, 0x0447);
	ck_assert_str_eq(list_str(l, ","), "04.0047");
	ck_assert_str_eq(list_str(l, "\n"), "04.0047\n");
	apmatrix_apqn_list_add(l, 0x0a01);
	ck_assert_str_eq(list_str(l, ","), "04.0047,0a.0001");
	ck_assert_str_eq(list_str(l, ", "), "04.0047, 0a.0001");
	ck_assert_str_eq(list_str(l, ""), "04.00470a.0001");
	ck_assert_str_eq(list_str(l, "\n"), "04.0047\n0a.0001\n");
	test_call(ctx, apmatrix_apqn_list_format(l, "\n", 0, NULL, 0), 16,
		  NULL);
	test_call(ctx, apmatrix_apqn_list_format(l, ",", 0, buf, sizeof(buf)),
		  15, NULL);
	ck_assert_str_eq(buf, "04.0047,0");
	ck_assert_int_eq(apmatrix_apqn_list_format(l, ",", 0, buf, 1), 15);
	ck_assert_str_eq(buf, "");
	test_call(ctx, apmatrix_apqn_list_format(l, NULL, 0, buf, sizeof(buf)),
		  -EINVAL, "apqn_list_format: separator is NULL");
	ck_assert_int_eq(
		apmatrix_apqn_list_format(NULL, ",", 0, buf, sizeof(buf)),
		-EINVAL);
	test_call(ctx, apmatrix_apqn_list_format(l, ",", 0, NULL, 3), -EINVAL,
		  "apqn_list_format: buf is NULL, size 3");
	test_call(ctx, apmatrix_apqn_list_format(l, ",", 4, buf, sizeof(buf)),
		  -EINVAL, "apqn_list_format: unknown flags 0x4");
	apmatrix_apqn_list_unref(l);
}
END_TEST

START_TEST(test_list_round_trip)
{
	struct apmatrix_apqn_list *l = list_new();
	struct apmatrix_apqn_list *m;
	uint32_t x = 12345;
	static const char *const seps[] = {",", "\n", " ", ", "};

	for (int round = 0; round < 50; round++) {
		unsigned int n = round * 37 % 400;

		for (unsigned int i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			apmatrix_apqn_list_add(l, (x >> 8) & 0xffff);
		}
		m = list_new();
		ck_assert_int_eq(apmatrix_apqn_list_parse(
					 m, list_str(l, seps[round % 4]), 0),
				 0);
		ck_assert_uint_eq(m->count, l->count);
		if (l->count)
			ck_assert_int_eq(memcmp(m->apqns, l->apqns,
						l->count * sizeof(*l->apqns)),
					 0);
		apmatrix_apqn_list_unref(m);
	}
	apmatrix_apqn_list_unref(l);
}
END_TEST

START_TEST(test_list_full)
{
	struct apmatrix_apqn_list *l = list_new();
	char *text;
	int n;

	/* Descending adds insert at the front; ascending ones append. */
	for (unsigned int i = 2048; i-- > 0;)
		ck_assert_int_eq(apmatrix_apqn_list_add(l, i), 0);
	for (unsigned int i = 0; i < APMATRIX_MAX_APQNS; i++)
		ck_assert_int_eq(apmatrix_apqn_list_add(l, i), 0);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), APMATRIX_MAX_APQNS);
	n = apmatrix_apqn_list_format(l, "\n", 0, NULL, 0);
	ck_assert_int_eq(n, APMATRIX_MAX_APQNS * 8);
	text = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(
		apmatrix_apqn_list_format(l, "\n", 0, text, (size_t)n + 1), n);
	ck_assert_int_eq(memcmp(text, "00.0000\n00.0001\n", 16), 0);
	ck_assert_str_eq(text + n - 8, "ff.00ff\n");
	apmatrix_apqn_list_unref(l);
	l = list_new();
	ck_assert_int_eq(apmatrix_apqn_list_parse(l, text, 0), 0);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), APMATRIX_MAX_APQNS);
	free(text);
	apmatrix_apqn_list_unref(l);
}
END_TEST

static Suite *apqn_suite(void)
{
	Suite *s = suite_create("apqn");
	TCase *tc = tcase_create("apqn");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_apqn_parse);
	tcase_add_test(tc, test_apqn_format);
	tcase_add_test(tc, test_list_basic);
	tcase_add_test(tc, test_list_insert);
	tcase_add_test(tc, test_list_embedded);
	tcase_add_test(tc, test_list_parse);
	tcase_add_test(tc, test_list_format);
	tcase_add_test(tc, test_list_round_trip);
	tcase_add_test(tc, test_list_full);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(apqn_suite());
}
