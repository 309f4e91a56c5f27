// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
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

static struct apmatrix_idset *set_of(const char *list)
{
	struct apmatrix_idset *s = NULL;

	ck_assert_int_eq(apmatrix_idset_new(ctx, &s), 0);
	ck_assert_int_ge(apmatrix_idset_parse(s, list, APMATRIX_SYNTAX_LIST, 0),
			 0);
	return s;
}

static const char *list_of(const struct apmatrix_idset *s)
{
	return test_idset_str(s, APMATRIX_SYNTAX_LIST);
}

/* 64-digit mask text from a short prefix, right-padded with zeros. */
static const char *mask_text(const char *digits)
{
	static char buf[80];

	snprintf(buf, sizeof(buf), "0x%s", digits);
	while (strlen(buf) < 66)
		strcat(buf, "0");
	return buf;
}

/* Parse that must succeed with @ret and give the list @want. */
static void ok(const char *before, const char *text, unsigned int syntax,
	       int ret, const char *want)
{
	struct apmatrix_idset *s = set_of(before);

	test_call(ctx, apmatrix_idset_parse(s, text, syntax, 0), ret,
		  ret ? "read as octal" : NULL);
	ck_assert_str_eq(list_of(s), want);
	apmatrix_idset_unref(s);
}

/*
 * Parse that must fail with @err, leave the set as it was, and leave a
 * fresh diagnostic holding @diag.
 */
static void fails(const char *text, unsigned int syntax, int err,
		  const char *diag)
{
	struct apmatrix_idset *s = set_of("2,9-11,200");

	test_call(ctx, apmatrix_idset_parse(s, text, syntax, 0), err, diag);
	ck_assert_str_eq(list_of(s), "2,9-11,200");
	apmatrix_idset_unref(s);
}

START_TEST(test_new_ref_unref)
{
	struct apmatrix_idset *s = NULL;

	ck_assert_int_eq(apmatrix_idset_new(NULL, &s), -EINVAL);
	ck_assert_ptr_null(s);
	test_call(ctx, apmatrix_idset_new(ctx, NULL), -EINVAL,
		  "idset_new: ret is NULL");
	test_call(ctx, apmatrix_idset_new(ctx, &s), 0, NULL);
	ck_assert_ptr_eq(apmatrix_idset_get_ctx(s), ctx);
	ck_assert_ptr_null(apmatrix_idset_get_ctx(NULL));
	ck_assert_int_eq(ctx->refcount, 2);
	ck_assert_ptr_eq(apmatrix_idset_ref(s), s);
	ck_assert_int_eq(s->refs.count, 2);
	ck_assert_ptr_null(apmatrix_idset_unref(s));
	ck_assert_uint_eq(apmatrix_idset_get_count(s), 0);
	ck_assert_ptr_null(apmatrix_idset_unref(s));
	ck_assert_int_eq(ctx->refcount, 1);
	ck_assert_ptr_null(apmatrix_idset_unref(NULL));
	ck_assert_ptr_null(apmatrix_idset_ref(NULL));
}
END_TEST

struct owner {
	int refs;
	struct apmatrix_idset set;
};

static void owner_ref(void *o)
{
	((struct owner *)o)->refs++;
}

static void owner_unref(void *o)
{
	((struct owner *)o)->refs--;
}

START_TEST(test_embedded)
{
	struct owner o = {.refs = 1};

	apmatrix_idset_init_embedded(&o.set, ctx, &o, owner_ref, owner_unref);
	ck_assert_ptr_eq(apmatrix_idset_get_ctx(&o.set), ctx);
	ck_assert_uint_eq(apmatrix_idset_get_count(&o.set), 0);
	ck_assert_ptr_eq(apmatrix_idset_ref(&o.set), &o.set);
	ck_assert_int_eq(o.refs, 2);
	ck_assert_ptr_null(apmatrix_idset_unref(&o.set));
	ck_assert_ptr_null(apmatrix_idset_unref(&o.set));
	ck_assert_int_eq(o.refs, 0);
	ck_assert_int_eq(o.set.refs.count, 0);
	/* Embedded sets do not hold the context. */
	ck_assert_int_eq(ctx->refcount, 1);
	ck_assert_int_eq(
		apmatrix_idset_parse(&o.set, "0x8", APMATRIX_SYNTAX_MASK, 0),
		0);
	ck_assert_str_eq(list_of(&o.set), "0");

	/* Embedded without an owner: unref never frees it. */
	apmatrix_idset_init_embedded(&o.set, ctx, NULL, NULL, NULL);
	ck_assert_ptr_null(apmatrix_idset_unref(&o.set));
	ck_assert_ptr_eq(apmatrix_idset_ref(&o.set), &o.set);
	ck_assert_ptr_null(apmatrix_idset_unref(&o.set));
	ck_assert_ptr_null(apmatrix_idset_unref(&o.set));
	ck_assert_int_eq(o.set.refs.count, 0);
}
END_TEST

START_TEST(test_set_clear_test)
{
	struct apmatrix_idset *s = set_of("");

	test_call(ctx, apmatrix_idset_set(s, 0), 0, NULL);
	ck_assert_int_eq(apmatrix_idset_set(s, 255), 0);
	ck_assert_int_eq(apmatrix_idset_set(s, 64), 0);
	test_call(ctx, apmatrix_idset_set(s, 256), -EINVAL,
		  "idset_set: ID 256 out of range (0-255)");
	test_call(ctx, apmatrix_idset_set(s, 0xffffffffu), -EINVAL,
		  "ID 4294967295 out of range");
	ck_assert_int_eq(apmatrix_idset_set(NULL, 1), -EINVAL);
	/* Queries leave the diagnostic alone. */
	test_call(ctx, apmatrix_idset_test(s, 0), 1, TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_idset_get_count(s), 3, TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_idset_next(s, 1), 64, TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_idset_next(s, 256), -ENOENT,
		  TEST_DIAG_SENTINEL);
	ck_assert_int_eq(apmatrix_idset_test(s, 1), 0);
	ck_assert_int_eq(apmatrix_idset_test(s, 255), 1);
	ck_assert_int_eq(apmatrix_idset_test(s, 256), 0);
	ck_assert_int_eq(apmatrix_idset_test(s, 100000), 0);
	ck_assert_int_eq(apmatrix_idset_test(NULL, 0), 0);
	ck_assert_uint_eq(apmatrix_idset_get_count(s), 3);
	ck_assert_uint_eq(apmatrix_idset_get_count(NULL), 0);
	ck_assert_int_eq(apmatrix_idset_next(s, 0), 0);
	ck_assert_int_eq(apmatrix_idset_next(s, 1), 64);
	ck_assert_int_eq(apmatrix_idset_next(s, 65), 255);
	ck_assert_int_eq(apmatrix_idset_next(s, 256), -ENOENT);
	test_call(ctx, apmatrix_idset_next(s, 257), -EINVAL,
		  "idset_next: from 257 out of range (0-256)");
	ck_assert_int_eq(apmatrix_idset_next(NULL, 0), -EINVAL);
	test_call(ctx, apmatrix_idset_clear(s, 64), 0, NULL);
	test_call(ctx, apmatrix_idset_clear(s, 256), -EINVAL,
		  "idset_clear: ID 256 out of range (0-255)");
	ck_assert_int_eq(apmatrix_idset_clear(NULL, 0), -EINVAL);
	ck_assert_str_eq(list_of(s), "0,255");
	test_call(ctx, apmatrix_idset_clear_all(s), 0, NULL);
	ck_assert_int_eq(apmatrix_idset_clear_all(NULL), -EINVAL);
	ck_assert_uint_eq(apmatrix_idset_get_count(s), 0);
	ck_assert_int_eq(apmatrix_idset_next(s, 0), -ENOENT);
	apmatrix_idset_unref(s);
}
END_TEST

START_TEST(test_iterate_all)
{
	struct apmatrix_idset *s = set_of("0-255");
	int n = 0, id;

	for (id = apmatrix_idset_next(s, 0); id >= 0;
	     id = apmatrix_idset_next(s, (unsigned int)id + 1))
		ck_assert_int_eq(id, n++);
	ck_assert_int_eq(n, 256);
	ck_assert_uint_eq(apmatrix_idset_get_count(s), 256);
	apmatrix_idset_unref(s);
}
END_TEST

START_TEST(test_set_ops)
{
	struct apmatrix_idset *a = set_of("1-5,100");
	struct apmatrix_idset *b = set_of("4-8,255");
	struct apmatrix_idset *d = set_of("");

	test_call(ctx, apmatrix_idset_equal(a, b), 0, TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_idset_assign(d, a), 0, NULL);
	ck_assert_int_eq(apmatrix_idset_equal(a, d), 1);
	test_call(ctx, apmatrix_idset_union(d, b), 0, NULL);
	ck_assert_str_eq(list_of(d), "1-8,100,255");
	ck_assert_int_eq(apmatrix_idset_assign(d, a), 0);
	test_call(ctx, apmatrix_idset_intersect(d, b), 0, NULL);
	ck_assert_str_eq(list_of(d), "4-5");
	ck_assert_int_eq(apmatrix_idset_assign(d, a), 0);
	test_call(ctx, apmatrix_idset_subtract(d, b), 0, NULL);
	ck_assert_str_eq(list_of(d), "1-3,100");
	ck_assert_int_eq(apmatrix_idset_assign(NULL, a), -EINVAL);
	test_call(ctx, apmatrix_idset_assign(d, NULL), -EINVAL,
		  "idset_assign: src is NULL");
	ck_assert_int_eq(apmatrix_idset_union(NULL, a), -EINVAL);
	test_call(ctx, apmatrix_idset_union(d, NULL), -EINVAL,
		  "idset_union: src is NULL");
	ck_assert_int_eq(apmatrix_idset_intersect(NULL, a), -EINVAL);
	test_call(ctx, apmatrix_idset_intersect(d, NULL), -EINVAL,
		  "idset_intersect: src is NULL");
	ck_assert_int_eq(apmatrix_idset_subtract(NULL, a), -EINVAL);
	test_call(ctx, apmatrix_idset_subtract(d, NULL), -EINVAL,
		  "idset_subtract: src is NULL");
	ck_assert_str_eq(list_of(d), "1-3,100");
	ck_assert_int_eq(apmatrix_idset_equal(NULL, a), 0);
	ck_assert_int_eq(apmatrix_idset_equal(a, NULL), 0);
	ck_assert_int_eq(apmatrix_idset_equal(NULL, NULL), 0);
	apmatrix_idset_unref(a);
	apmatrix_idset_unref(b);
	apmatrix_idset_unref(d);
}
END_TEST

START_TEST(test_format_mask)
{
	struct apmatrix_idset *s = set_of("0,7");
	char buf[8];

	ck_assert_str_eq(test_idset_str(s, APMATRIX_SYNTAX_MASK),
			 mask_text("81"));
	test_call(ctx,
		  apmatrix_idset_format(s, APMATRIX_SYNTAX_MASK, 0, NULL, 0),
		  66, NULL);
	/* snprintf() semantics: truncated, NUL-terminated, full length. */
	test_call(ctx,
		  apmatrix_idset_format(s, APMATRIX_SYNTAX_MASK, 0, buf, 5), 66,
		  NULL);
	ck_assert_str_eq(buf, "0x81");
	test_call(ctx,
		  apmatrix_idset_format(s, APMATRIX_SYNTAX_MASK, 0, NULL, 5),
		  -EINVAL, "idset_format: buf is NULL, size 5");
	ck_assert_int_eq(apmatrix_idset_format(NULL, APMATRIX_SYNTAX_MASK, 0,
					       buf, sizeof(buf)),
			 -EINVAL);
	test_call(ctx,
		  apmatrix_idset_format(s, APMATRIX_SYNTAX_RELATIVE, 0, buf,
					sizeof(buf)),
		  -EINVAL, "idset_format: unknown syntax 2 (MASK or LIST)");
	test_call(ctx,
		  apmatrix_idset_format(s, APMATRIX_SYNTAX_KERNEL, 0, buf,
					sizeof(buf)),
		  -EINVAL, "unknown syntax 4");
	test_call(ctx, apmatrix_idset_format(s, 0, 0, buf, sizeof(buf)),
		  -EINVAL, "unknown syntax 0");
	test_call(ctx,
		  apmatrix_idset_format(s, APMATRIX_SYNTAX_MASK, 1, buf,
					sizeof(buf)),
		  -EINVAL, "idset_format: unknown flags 0x1");
	apmatrix_idset_clear_all(s);
	ck_assert_str_eq(test_idset_str(s, APMATRIX_SYNTAX_MASK),
			 mask_text(""));
	apmatrix_idset_set(s, 255);
	apmatrix_idset_set(s, 64);
	ck_assert_str_eq(test_idset_str(s, APMATRIX_SYNTAX_MASK),
			 "0x00000000000000008000000000000000000000000000000000"
			 "00000000000001");
	apmatrix_idset_unref(s);
}
END_TEST

START_TEST(test_format_list)
{
	struct apmatrix_idset *s = set_of("");
	char buf[4];

	ck_assert_str_eq(list_of(s), "");
	test_call(ctx,
		  apmatrix_idset_format(s, APMATRIX_SYNTAX_LIST, 0, buf,
					sizeof(buf)),
		  0, NULL);
	ck_assert_str_eq(buf, "");
	apmatrix_idset_set(s, 5);
	ck_assert_str_eq(list_of(s), "5");
	apmatrix_idset_set(s, 6);
	ck_assert_str_eq(list_of(s), "5-6");
	apmatrix_idset_set(s, 8);
	ck_assert_str_eq(list_of(s), "5-6,8");
	ck_assert_int_eq(apmatrix_idset_format(s, APMATRIX_SYNTAX_LIST, 0, buf,
					       sizeof(buf)),
			 5);
	ck_assert_str_eq(buf, "5-6");
	apmatrix_idset_unref(s);

	s = set_of("0-120,129-255");
	ck_assert_str_eq(list_of(s), "0-120,129-255");
	apmatrix_idset_unref(s);
	s = set_of("0-255");
	ck_assert_str_eq(list_of(s), "0-255");
	apmatrix_idset_unref(s);
	s = set_of("255,0,2,4,63,64");
	ck_assert_str_eq(list_of(s), "0,2,4,63-64,255");
	apmatrix_idset_unref(s);
}
END_TEST

START_TEST(test_parse_mask)
{
	const unsigned int M = APMATRIX_SYNTAX_MASK;
	char digits[80];

	ok("1", "0x81", M, 0, "0,7");
	ok("1", "x81", M, 0, "0,7");
	ok("1", "81", M, 0, "0,7");
	ok("1", "0x41\n", M, 0, "1,7");
	ok("1", "0xAbCd", M, 0, "0,2,4,6-9,12-13,15");
	ok("1", "0x", M, 0, "");
	ok("1", "", M, 0, "");
	ok("1", "\n", M, 0, "");
	ok("1", "0", M, 0, "");
	ok("1",
	   "0x8000000000000000000000000000000000000000000000000000000000000001",
	   M, 0, "0,255");
	memset(digits, 'f', 64);
	digits[64] = '\0';
	ok("", digits, M, 0, "0-255");

	fails("0x1g", M, -EINVAL,
	      "invalid character 'g' at offset 3 in mask \"0x1g\"");
	fails("0X12", M, -EINVAL, "invalid character 'X' at offset 1");
	fails(" 0x1", M, -EINVAL, "invalid character ' ' at offset 0");
	fails("0x1 ", M, -EINVAL, "invalid character ' ' at offset 3");
	fails("0x1\n\n", M, -EINVAL, "invalid character '\\n' at offset 4");
	fails("0x1\nx", M, -EINVAL, "invalid character 'x' at offset 4");
	fails("0xx1", M, -EINVAL, "invalid character 'x' at offset 2");
	fails("+1", M, -EINVAL, "invalid character '+' at offset 0");
	fails("0x-1", M, -EINVAL, "invalid character '-' at offset 2");
	fails("1,2", M, -EINVAL, "invalid character ',' at offset 1");
	fails("0x\x01", M, -EINVAL, "invalid character '\\x01' at offset 2");
	digits[64] = '1';
	digits[65] = '\0';
	fails(digits, M, -EINVAL, "more than 64 hex digits at offset 64");
	snprintf(digits, sizeof(digits), "0x%064d1", 0);
	fails(digits, M, -EINVAL, "more than 64 hex digits at offset 66");
}
END_TEST

START_TEST(test_parse_relative)
{
	const unsigned int R = APMATRIX_SYNTAX_RELATIVE;

	ok("", "+0,-6,+0x47,-0xf0", R, 0, "0,71");
	ok("1-10", "-5,-6", R, 0, "1-4,7-10");
	ok("", "+0-15,-128", R, 0, "0-15");
	ok("200", "+0-15,-0-3,+1", R, 0, "1,4-15,200");
	ok("", "+0-255,-128", R, 0, "0-127,129-255");
	ok("1", "-0-255", R, 0, "");
	ok("", "+0x0-0xff", R, 0, "0-255");
	ok("", "+0X10", R, 0, "16");
	ok("", "+255", R, 0, "255");
	ok("", "+5-5", R, 0, "5");
	/* The kernel skips runs of commas and newlines, and needs none. */
	ok("", "+1,,\n+2\n", R, 0, "1-2");
	ok("", "+1\n", R, 0, "1");
	ok("", "+1+2", R, 0, "1-2");
	ok("", "+1-3-2", R, 0, "1,3");
	ok("", "+1,", R, 0, "1");
	ok("7", "", R, 0, "7");
	ok("", "+0", R, 0, "0");
	ok("", "+00", R, APMATRIX_WARN_OCTAL, "0");
	ok("", "+010", R, APMATRIX_WARN_OCTAL, "8");
	ok("", "+1-010", R, APMATRIX_WARN_OCTAL, "1-8");

	fails("+256", R, -EINVAL,
	      "ID 256 out of range (0-255) in term \"+256\" at offset 0");
	fails("+1,+0x100", R, -EINVAL,
	      "ID 0x100 out of range (0-255) in term \"+0x100\" at offset 3");
	fails("+1-256", R, -EINVAL,
	      "ID 256 out of range (0-255) in term \"+1-256\"");
	fails("+0400", R, -EINVAL, "ID 0400 out of range");
	fails("+99999999999999999999999", R, -EINVAL,
	      "ID 99999999999999999999999 out of range");
	fails("+", R, -EINVAL, "missing number at offset 1 in term \"+\"");
	fails("+1,-", R, -EINVAL, "missing number at offset 4 in term \"-\"");
	fails("+1-", R, -EINVAL, "missing number at offset 3 in term \"+1-\"");
	fails("+5-3", R, -EINVAL,
	      "reversed range 5-3 in term \"+5-3\" at offset 0");
	fails("+08", R, -EINVAL,
	      "invalid digit '8' at offset 2 in term \"+08\": a leading 0 "
	      "makes a number octal");
	fails("+1-09", R, -EINVAL, "invalid digit '9' at offset 4");
	fails("+1 ", R, -EINVAL, "invalid character ' ' at offset 2");
	fails("+ 1", R, -EINVAL,
	      "invalid character ' ' at offset 1 in term \"+ 1\": expected a "
	      "number");
	fails("+x", R, -EINVAL, "invalid character 'x' at offset 1");
	fails("+0x", R, -EINVAL, "invalid character 'x' at offset 2");
	fails("5", R, -EINVAL,
	      "invalid character '5' at offset 0 in \"5\": each term starts "
	      "with '+' or '-'");
	fails("+1;+2", R, -EINVAL, "invalid character ';' at offset 2");
	fails(",+1", R, -EINVAL, "invalid character ',' at offset 0");
	/* All or nothing: the valid terms before the bad one are not kept. */
	fails("-2,+1,+2,+256", R, -EINVAL, "at offset 9");
}
END_TEST

START_TEST(test_parse_octal_warning)
{
	struct apmatrix_idset *s = set_of("");

	test_call(ctx,
		  apmatrix_idset_parse(s, "+010", APMATRIX_SYNTAX_KERNEL, 0),
		  APMATRIX_WARN_OCTAL, "\"010\" read as octal 8 at offset 1");
	test_call(ctx,
		  apmatrix_idset_parse(s, "1,012,013", APMATRIX_SYNTAX_LIST, 0),
		  APMATRIX_WARN_OCTAL, "\"012\" read as octal 10 at offset 2");
	ck_assert_str_eq(list_of(s), "1,10-11");
	/* The next clean parse clears the warning. */
	test_call(ctx, apmatrix_idset_parse(s, "1", APMATRIX_SYNTAX_LIST, 0), 0,
		  NULL);
	apmatrix_idset_unref(s);
}
END_TEST

START_TEST(test_parse_kernel)
{
	const unsigned int K = APMATRIX_SYNTAX_KERNEL;

	ok("1", "+3", K, 0, "1,3");
	ok("1", "-1", K, 0, "");
	ok("1", "0x10", K, 0, "3");
	ok("1", "\n", K, 0, "");
	ok("1", "", K, 0, "");
	fails("g", K, -EINVAL, "invalid character 'g' at offset 0 in mask");
	fails("+3,5", K, -EINVAL, "invalid character '5' at offset 3");
	fails("0x1g", K, -EINVAL, "in mask \"0x1g\"");
}
END_TEST

START_TEST(test_parse_list)
{
	const unsigned int L = APMATRIX_SYNTAX_LIST;

	ok("200", "1,3,5-7,0x47", L, 0, "1,3,5-7,71");
	ok("200", "", L, 0, "");
	ok("200", "\n", L, 0, "");
	ok("200", "4\n", L, 0, "4");
	ok("", "1,,3,", L, 0, "1,3");
	ok("", ",", L, 0, "");
	ok("", " 1,\t2- 3", L, 0, "1-3");
	ok("", "0-255", L, 0, "0-255");
	ok("", "0x0-0xff", L, 0, "0-255");
	ok("", "7-7", L, 0, "7");
	ok("", "010", L, APMATRIX_WARN_OCTAL, "8");

	fails("5-3", L, -EINVAL,
	      "reversed range 5-3 in term \"5-3\" at offset 0 (chzdev would "
	      "silently ignore it)");
	fails("1,+2", L, -EINVAL,
	      "invalid character '+' at offset 2 in \"1,+2\": a list cannot "
	      "hold relative terms");
	fails("+2", L, -EINVAL, "invalid character '+' at offset 0");
	fails("256", L, -EINVAL,
	      "ID 256 out of range (0-255) in term \"256\" at offset 0");
	fails("1,2-0x100", L, -EINVAL,
	      "ID 0x100 out of range (0-255) in term "
	      "\"2-0x100\" at offset 2");
	fails("1-", L, -EINVAL, "missing number at offset 2 in term \"1-\"");
	fails("1- ", L, -EINVAL, "missing number at offset 3 in term \"1- \"");
	fails(" ", L, -EINVAL, "missing number at offset 1 in term \" \"");
	fails("1x", L, -EINVAL,
	      "invalid character 'x' at offset 1 in term \"1x\"");
	fails("1 ", L, -EINVAL, "invalid character ' ' at offset 1");
	fails("1-2-3", L, -EINVAL, "invalid character '-' at offset 3");
	fails("1\n2", L, -EINVAL, "invalid character '\\n' at offset 1");
	fails("1\n\n", L, -EINVAL, "invalid character '\\n' at offset 1");
	fails("1;2", L, -EINVAL, "invalid character ';' at offset 1");
	fails("09", L, -EINVAL, "invalid digit '9' at offset 1");
	fails("a", L, -EINVAL,
	      "invalid character 'a' at offset 0 in term \"a\"");
	fails("0,1,2,3,300", L, -EINVAL, "ID 300 out of range");
}
END_TEST

START_TEST(test_parse_chzdev)
{
	const unsigned int C = APMATRIX_SYNTAX_CHZDEV;

	ok("200", "3,5-10,0x25", C, 0, "3,5-10,37");
	ok("200", "+0-4,-0xf0", C, 0, "0-4,200");
	ok("200", "-0-255", C, 0, "");
	ok("200", "+1,,-200,", C, 0, "1");
	ok("200", "+ 1", C, 0, "1,200");
	ok("200", "+1\n", C, 0, "1,200");
	fails("", C, -EINVAL, "empty list \"\": chzdev refuses it");
	fails("\n", C, -EINVAL, "empty list");
	fails(",", C, -EINVAL, "empty list");
	fails("+1+2", C, -EINVAL,
	      "invalid character '+' at offset 2 in term \"+1+2\"");
	fails("+1,2", C, -EINVAL,
	      "invalid character '2' at offset 3 in \"+1,2\": relative text");
	fails("+1\n+2", C, -EINVAL, "invalid character '\\n' at offset 2");
	fails("+5-3", C, -EINVAL, "reversed range 5-3");
	fails("-", C, -EINVAL, "missing number at offset 1");
	fails("1,-2", C, -EINVAL, "invalid character '-' at offset 2");
}
END_TEST

START_TEST(test_parse_args)
{
	struct apmatrix_idset *s = set_of("4");

	ck_assert_int_eq(
		apmatrix_idset_parse(NULL, "1", APMATRIX_SYNTAX_LIST, 0),
		-EINVAL);
	test_call(ctx, apmatrix_idset_parse(s, NULL, APMATRIX_SYNTAX_LIST, 0),
		  -EINVAL, "idset_parse: text is NULL");
	test_call(ctx, apmatrix_idset_parse(s, "1", 0, 0), -EINVAL,
		  "idset_parse: unknown syntax 0");
	test_call(ctx, apmatrix_idset_parse(s, "1", 6, 0), -EINVAL,
		  "idset_parse: unknown syntax 6");
	test_call(ctx, apmatrix_idset_parse(s, "1", APMATRIX_SYNTAX_LIST, 1),
		  -EINVAL, "idset_parse: unknown flags 0x1");
	test_call(
		ctx,
		apmatrix_idset_parse(s, "1", APMATRIX_SYNTAX_LIST, 0x80000000u),
		-EINVAL, "unknown flags 0x80000000");
	ck_assert_str_eq(list_of(s), "4");
	apmatrix_idset_unref(s);
}
END_TEST

static uint32_t rng_state;

static uint32_t rng(void)
{
	/* xorshift32: fixed seed, same sets on every run. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void random_set(struct apmatrix_idset *s)
{
	unsigned int density = rng() % 5;

	apmatrix_idset_clear_all(s);
	for (unsigned int id = 0; id < 256; id++) {
		int on;

		switch (density) {
		case 0:
			on = rng() % 64 == 0;
			break;
		case 1:
			on = rng() % 2;
			break;
		case 2:
			on = rng() % 8 != 0;
			break;
		case 3: /* runs */
			on = (id / (1 + rng() % 3)) % 2;
			break;
		default:
			on = rng() % 16 == 0;
			break;
		}
		if (on)
			apmatrix_idset_set(s, id);
	}
}

START_TEST(test_round_trip)
{
	struct apmatrix_idset *s = set_of("");
	struct apmatrix_idset *t = set_of("1");
	char buf[2048];

	rng_state = 0x2545f491u;
	for (int i = 0; i < 2000; i++) {
		random_set(s);

		ck_assert_int_eq(apmatrix_idset_format(s, APMATRIX_SYNTAX_MASK,
						       0, buf, sizeof(buf)),
				 66);
		ck_assert_int_eq(
			apmatrix_idset_parse(t, buf, APMATRIX_SYNTAX_MASK, 0),
			0);
		ck_assert(apmatrix_idset_equal(s, t));
		apmatrix_idset_set(t, rng() % 256);
		ck_assert_int_eq(
			apmatrix_idset_parse(t, buf, APMATRIX_SYNTAX_KERNEL, 0),
			0);
		ck_assert(apmatrix_idset_equal(s, t));

		ck_assert_int_ge(apmatrix_idset_format(s, APMATRIX_SYNTAX_LIST,
						       0, buf, sizeof(buf)),
				 0);
		apmatrix_idset_set(t, rng() % 256);
		ck_assert_int_eq(
			apmatrix_idset_parse(t, buf, APMATRIX_SYNTAX_LIST, 0),
			0);
		ck_assert_msg(apmatrix_idset_equal(s, t), "list %s", buf);

		/* The same list as relative edits of a full set. */
		if (buf[0]) {
			/* "-0-255\n+a\nb-c" -> every item gets its sign. */
			char signed_rel[4200], *o = signed_rel;

			o += sprintf(o, "-0-255");
			for (char *p = buf; *p;) {
				size_t n = strcspn(p, ",");

				o += sprintf(o, ",+%.*s", (int)n, p);
				p += n;
				if (*p)
					p++;
			}
			ck_assert_int_eq(apmatrix_idset_parse(
						 t, signed_rel,
						 APMATRIX_SYNTAX_RELATIVE, 0),
					 0);
			ck_assert_msg(apmatrix_idset_equal(s, t), "rel %s",
				      signed_rel);
			apmatrix_idset_set(t, rng() % 256);
			ck_assert_int_eq(
				apmatrix_idset_parse(t, signed_rel,
						     APMATRIX_SYNTAX_CHZDEV, 0),
				0);
			ck_assert(apmatrix_idset_equal(s, t));
			ck_assert_int_eq(
				apmatrix_idset_parse(t, buf,
						     APMATRIX_SYNTAX_CHZDEV, 0),
				0);
			ck_assert(apmatrix_idset_equal(s, t));
		}
	}
	apmatrix_idset_unref(s);
	apmatrix_idset_unref(t);
}
END_TEST

static void id_ok(const char *text, int ret, unsigned int want)
{
	unsigned int id = 77;

	test_call(ctx, apmatrix_id_parse(ctx, text, 0, &id), ret,
		  ret ? "read as octal" : NULL);
	ck_assert_uint_eq(id, want);
}

static void id_fails(const char *text, const char *diag)
{
	unsigned int id = 77;

	test_call(ctx, apmatrix_id_parse(ctx, text, 0, &id), -EINVAL, diag);
	ck_assert_uint_eq(id, 77);
}

START_TEST(test_id_parse)
{
	unsigned int id = 77;

	id_ok("5", 0, 5);
	id_ok("0x47\n", 0, 0x47);
	id_ok("0XfF", 0, 255);
	id_ok("+9", 0, 9);
	id_ok("0", 0, 0);
	id_ok("010", APMATRIX_WARN_OCTAL, 8);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx),
			 "\"010\" read as octal 8");
	ck_assert_int_eq(apmatrix_id_parse(NULL, "1", 0, &id), 0);
	ck_assert_uint_eq(id, 1);

	/* Over 255 is -EINVAL, as everywhere else in the library. */
	id_fails("256", "ID 256 out of range (0-255) in \"256\"");
	id_fails("0x100\n", "ID 256 out of range (0-255) in \"0x100\\n\"");
	id_fails("99999999999999999999999",
		 "ID \"99999999999999999999999\" out of range (0-255)");
	id_fails("", "missing number in \"\"");
	id_fails("\n", "missing number in \"\\n\"");
	id_fails("+", "missing number in \"+\"");
	id_fails("++1", "invalid character '+' at offset 1");
	id_fails("-1", "invalid character '-' at offset 0");
	id_fails("0x1g", "invalid character 'g' at offset 3 in ID \"0x1g\"");
	id_fails("5 ", "invalid character ' ' at offset 1");
	id_fails(" 5", "invalid character ' ' at offset 0");
	id_fails("5\n\n", "invalid character '\\n' at offset 2");
	id_fails("5\n6", "invalid character '6' at offset 2 in ID \"5\\n6\"");
	id_fails("0x", "invalid character 'x' at offset 1");
	id_fails("08", "invalid digit '8' at offset 1");
	id_fails("1\x1b", "invalid character '\\x1b' at offset 1 in ID "
			  "\"1\\x1b\"");

	test_call(ctx, apmatrix_id_parse(ctx, NULL, 0, &id), -EINVAL,
		  "id_parse: text is NULL");
	test_call(ctx, apmatrix_id_parse(ctx, "1", 0, NULL), -EINVAL,
		  "id_parse: ret is NULL");
	test_call(ctx, apmatrix_id_parse(ctx, "1", 4, &id), -EINVAL,
		  "id_parse: unknown flags 0x4");
	ck_assert_uint_eq(id, 1);
	ck_assert_int_eq(apmatrix_id_parse(NULL, "256", 0, &id), -EINVAL);
	ck_assert_int_eq(apmatrix_id_parse(NULL, "1", 1, &id), -EINVAL);
}
END_TEST

START_TEST(test_diag_quoting)
{
	char text[300];

	/* Long text is shortened in the diagnostic, never overflowing. */
	memset(text, '1', sizeof(text) - 2);
	text[sizeof(text) - 2] = 'g';
	text[sizeof(text) - 1] = '\0';
	fails(text, APMATRIX_SYNTAX_MASK, -EINVAL,
	      "more than 64 hex digits at offset 64 in mask \"1111");
	fails(text, APMATRIX_SYNTAX_MASK, -EINVAL, "111\"...");
	/* A long number out of range is shortened as well. */
	memset(text, '9', sizeof(text) - 1);
	text[0] = '+';
	text[sizeof(text) - 1] = '\0';
	fails(text, APMATRIX_SYNTAX_RELATIVE, -EINVAL,
	      "ID 999999999999999999999999... out of range (0-255) in term "
	      "\"+999");
	fails("+1,\"", APMATRIX_SYNTAX_RELATIVE, -EINVAL,
	      "invalid character '\"' at offset 3 in \"+1,\\\"\"");
	fails("+1,'", APMATRIX_SYNTAX_RELATIVE, -EINVAL,
	      "invalid character '\\'' at offset 3");
	fails("+1,\xff", APMATRIX_SYNTAX_RELATIVE, -EINVAL,
	      "invalid character '\\xff' at offset 3");
	fails("+1,\t", APMATRIX_SYNTAX_RELATIVE, -EINVAL,
	      "invalid character '\\t' at offset 3 in \"+1,\\t\"");
	fails("+1,\\", APMATRIX_SYNTAX_RELATIVE, -EINVAL,
	      "invalid character '\\\\' at offset 3 in \"+1,\\\\\"");
	fails("+1,\r", APMATRIX_SYNTAX_RELATIVE, -EINVAL,
	      "invalid character '\\r' at offset 3");
}
END_TEST

/*
 * Regression: format and idset_set() calls refused bad arguments with
 * -EINVAL and left the diagnostic of an earlier, unrelated parse.
 */
START_TEST(test_stale_diagnostic)
{
	struct apmatrix_idset *set = set_of("1");
	char buf[80];

	ck_assert_int_eq(
		apmatrix_idset_parse(set, "0x1g", APMATRIX_SYNTAX_MASK, 0),
		-EINVAL);
	ck_assert_int_eq(apmatrix_idset_set(set, 256), -EINVAL);
	ck_assert_ptr_null(strstr(apmatrix_get_diagnostic(ctx), "0x1g"));
	ck_assert_ptr_nonnull(strstr(apmatrix_get_diagnostic(ctx), "ID 256"));
	ck_assert_int_eq(
		apmatrix_idset_parse(set, "0x1g", APMATRIX_SYNTAX_MASK, 0),
		-EINVAL);
	ck_assert_int_eq(apmatrix_idset_format(set, 9, 0, buf, sizeof(buf)),
			 -EINVAL);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx),
			 "idset_format: unknown syntax 9 (MASK or LIST)");
	ck_assert_int_eq(apmatrix_idset_set(set, 3), 0);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "");
	apmatrix_idset_unref(set);
}
END_TEST

static Suite *idset_suite(void)
{
	Suite *s = suite_create("idset");
	TCase *tc = tcase_create("idset");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new_ref_unref);
	tcase_add_test(tc, test_embedded);
	tcase_add_test(tc, test_set_clear_test);
	tcase_add_test(tc, test_iterate_all);
	tcase_add_test(tc, test_set_ops);
	tcase_add_test(tc, test_format_mask);
	tcase_add_test(tc, test_format_list);
	tcase_add_test(tc, test_parse_mask);
	tcase_add_test(tc, test_parse_relative);
	tcase_add_test(tc, test_parse_octal_warning);
	tcase_add_test(tc, test_parse_kernel);
	tcase_add_test(tc, test_parse_list);
	tcase_add_test(tc, test_parse_chzdev);
	tcase_add_test(tc, test_parse_args);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_id_parse);
	tcase_add_test(tc, test_diag_quoting);
	tcase_add_test(tc, test_stale_diagnostic);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(idset_suite());
}
