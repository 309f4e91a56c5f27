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

/* A matrix from three ID lists. */
static struct apmatrix_matrix *mk(const char *adapters, const char *domains,
				  const char *controls)
{
	struct apmatrix_matrix *m = NULL;

	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m), 0);
	ck_assert_int_eq(apmatrix_idset_parse(apmatrix_matrix_get_adapters(m),
					      adapters, APMATRIX_SYNTAX_LIST,
					      0),
			 0);
	ck_assert_int_eq(
		apmatrix_idset_parse(apmatrix_matrix_get_usage_domains(m),
				     domains, APMATRIX_SYNTAX_LIST, 0),
		0);
	ck_assert_int_eq(
		apmatrix_idset_parse(apmatrix_matrix_get_control_domains(m),
				     controls, APMATRIX_SYNTAX_LIST, 0),
		0);
	return m;
}

static const char *fmt(const struct apmatrix_matrix *m, unsigned int syntax)
{
	static char buf[1 << 20];
	int n;

	test_diag_plant(ctx);
	n = apmatrix_matrix_format(m, syntax, 0, buf, sizeof(buf));
	test_diag_expect(ctx, NULL, "apmatrix_matrix_format", __FILE__,
			 __LINE__);
	ck_assert_int_ge(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	ck_assert_int_eq(apmatrix_matrix_format(m, syntax, 0, NULL, 0), n);
	return buf;
}

static const char *ids(struct apmatrix_idset *s)
{
	return test_idset_str(s, APMATRIX_SYNTAX_LIST);
}

/* "0x" + digits, right-padded with zeros to 64 digits. */
static const char *mask(const char *digits, char *buf)
{
	snprintf(buf, 67, "0x%s", digits);
	while (strlen(buf) < 66)
		strcat(buf, "0");
	return buf;
}

START_TEST(test_new_ref_unref)
{
	struct apmatrix_matrix *m = NULL;
	struct apmatrix_idset *a;

	ck_assert_int_eq(apmatrix_matrix_new(NULL, &m), -EINVAL);
	test_call(ctx, apmatrix_matrix_new(ctx, NULL), -EINVAL,
		  "matrix_new: ret is NULL");
	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m), 0);
	ck_assert_ptr_eq(apmatrix_matrix_get_ctx(m), ctx);
	ck_assert_ptr_null(apmatrix_matrix_get_ctx(NULL));
	ck_assert_int_eq(ctx->refcount, 2);
	ck_assert_ptr_eq(apmatrix_matrix_ref(m), m);
	ck_assert_int_eq(m->refs.count, 2);
	ck_assert_ptr_null(apmatrix_matrix_unref(m));
	ck_assert_int_eq(m->refs.count, 1);

	/* The sets forward their references to the matrix. */
	a = apmatrix_matrix_get_adapters(m);
	ck_assert_ptr_eq(apmatrix_idset_get_ctx(a), ctx);
	ck_assert_ptr_eq(apmatrix_idset_ref(a), a);
	ck_assert_int_eq(m->refs.count, 2);
	apmatrix_idset_ref(apmatrix_matrix_get_usage_domains(m));
	apmatrix_idset_ref(apmatrix_matrix_get_control_domains(m));
	ck_assert_int_eq(m->refs.count, 4);
	apmatrix_idset_unref(apmatrix_matrix_get_usage_domains(m));
	apmatrix_idset_unref(apmatrix_matrix_get_control_domains(m));
	/* Dropping the matrix keeps it alive through the set's reference. */
	ck_assert_ptr_null(apmatrix_matrix_unref(m));
	ck_assert_int_eq(m->refs.count, 1);
	ck_assert_int_eq(apmatrix_idset_set(a, 4), 0);
	ck_assert_ptr_null(apmatrix_idset_unref(a));
	ck_assert_int_eq(ctx->refcount, 1);

	ck_assert_ptr_null(apmatrix_matrix_unref(NULL));
	ck_assert_ptr_null(apmatrix_matrix_ref(NULL));
	ck_assert_ptr_null(apmatrix_matrix_get_adapters(NULL));
	ck_assert_ptr_null(apmatrix_matrix_get_usage_domains(NULL));
	ck_assert_ptr_null(apmatrix_matrix_get_control_domains(NULL));
}
END_TEST

struct mdev_like {
	int refs;
	struct apmatrix_matrix matrix;
};

static void owner_ref(void *o)
{
	((struct mdev_like *)o)->refs++;
}

static void owner_unref(void *o)
{
	((struct mdev_like *)o)->refs--;
}

START_TEST(test_embedded)
{
	struct mdev_like o = {.refs = 1};
	struct apmatrix_idset *d;

	apmatrix_matrix_init_embedded(&o.matrix, ctx, &o, owner_ref,
				      owner_unref);
	ck_assert_ptr_eq(apmatrix_matrix_get_ctx(&o.matrix), ctx);
	ck_assert_ptr_eq(apmatrix_matrix_ref(&o.matrix), &o.matrix);
	ck_assert_int_eq(o.refs, 2);
	d = apmatrix_matrix_get_usage_domains(&o.matrix);
	/* set -> matrix -> owner */
	ck_assert_ptr_eq(apmatrix_idset_ref(d), d);
	ck_assert_int_eq(o.refs, 3);
	ck_assert_ptr_null(apmatrix_idset_unref(d));
	ck_assert_ptr_null(apmatrix_matrix_unref(&o.matrix));
	ck_assert_int_eq(o.refs, 1);
	ck_assert_int_eq(o.matrix.refs.count, 0);
	ck_assert_int_eq(ctx->refcount, 1);
	ck_assert_int_eq(apmatrix_matrix_parse(&o.matrix, "0x08,0x6,0x6",
					       APMATRIX_MATRIX_AP_CONFIG, 0),
			 0);
	ck_assert_str_eq(fmt(&o.matrix, APMATRIX_MATRIX_SYSFS),
			 "04.0001\n04.0002\n");
}
END_TEST

START_TEST(test_assign_equal)
{
	struct apmatrix_matrix *a = mk("1-3", "4", "5");
	struct apmatrix_matrix *b = mk("", "", "");

	test_call(ctx, apmatrix_matrix_equal(a, b), 0, TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_matrix_assign(b, a), 0, NULL);
	ck_assert_int_eq(apmatrix_matrix_equal(a, b), 1);
	apmatrix_idset_set(apmatrix_matrix_get_control_domains(b), 6);
	ck_assert_int_eq(apmatrix_matrix_equal(a, b), 0);
	apmatrix_idset_clear(apmatrix_matrix_get_control_domains(b), 6);
	apmatrix_idset_set(apmatrix_matrix_get_usage_domains(b), 6);
	ck_assert_int_eq(apmatrix_matrix_equal(a, b), 0);
	ck_assert_int_eq(apmatrix_matrix_assign(NULL, a), -EINVAL);
	test_call(ctx, apmatrix_matrix_assign(b, NULL), -EINVAL,
		  "matrix_assign: src is NULL");
	ck_assert_int_eq(apmatrix_matrix_equal(NULL, a), 0);
	ck_assert_int_eq(apmatrix_matrix_equal(a, NULL), 0);
	apmatrix_matrix_unref(a);
	apmatrix_matrix_unref(b);
}
END_TEST

START_TEST(test_product)
{
	struct apmatrix_matrix *m = mk("4,5,255", "1,2", "7");
	int expect[] = {0x0401, 0x0402, 0x0501, 0x0502, 0xff01, 0xff02};
	unsigned int i = 0;
	int apqn;

	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(m), 6);
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(NULL), 0);
	ck_assert_int_eq(apmatrix_matrix_contains(m, 0x0401), 1);
	ck_assert_int_eq(apmatrix_matrix_contains(m, 0x0407), 0);
	ck_assert_int_eq(apmatrix_matrix_contains(m, 0x0601), 0);
	ck_assert_int_eq(apmatrix_matrix_contains(m, 0x10401), 0);
	ck_assert_int_eq(apmatrix_matrix_contains(NULL, 0x0401), 0);
	for (apqn = apmatrix_matrix_next_apqn(m, 0); apqn >= 0;
	     apqn = apmatrix_matrix_next_apqn(m, (unsigned int)apqn + 1)) {
		ck_assert_uint_lt(i, 6);
		ck_assert_int_eq(apqn, expect[i++]);
	}
	ck_assert_int_eq(apqn, -ENOENT);
	ck_assert_uint_eq(i, 6);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0x0403), 0x0501);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0x0400), 0x0401);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0x0302), 0x0401);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0x0600), 0xff01);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0xff02), 0xff02);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0xff03), -ENOENT);
	apmatrix_idset_clear(apmatrix_matrix_get_adapters(m), 255);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0x0503), -ENOENT);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0x0600), -ENOENT);
	apmatrix_idset_set(apmatrix_matrix_get_adapters(m), 255);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0x10000), -ENOENT);
	test_call(ctx, apmatrix_matrix_next_apqn(m, 0x0403), 0x0501,
		  TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_matrix_next_apqn(m, 0x10000), -ENOENT,
		  TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_matrix_get_apqn_count(m), 6,
		  TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_matrix_contains(m, 0x0401), 1,
		  TEST_DIAG_SENTINEL);
	test_call(ctx, apmatrix_matrix_next_apqn(m, 0x10001), -EINVAL,
		  "matrix_next_apqn: from 0x10001 out of range (0-0x10000)");
	ck_assert_int_eq(apmatrix_matrix_next_apqn(NULL, 0), -EINVAL);
	apmatrix_idset_clear_all(apmatrix_matrix_get_usage_domains(m));
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(m), 0);
	ck_assert_int_eq(apmatrix_matrix_next_apqn(m, 0), -ENOENT);
	apmatrix_matrix_unref(m);

	m = mk("0-255", "0-255", "");
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(m), 65536);
	i = 0;
	for (apqn = apmatrix_matrix_next_apqn(m, 0); apqn >= 0;
	     apqn = apmatrix_matrix_next_apqn(m, (unsigned int)apqn + 1))
		ck_assert_int_eq(apqn, (int)i++);
	ck_assert_uint_eq(i, 65536);
	apmatrix_matrix_unref(m);
}
END_TEST

START_TEST(test_shared)
{
	struct apmatrix_matrix *a = mk("4-5", "1-3", "9");
	struct apmatrix_matrix *b = mk("5-6", "2-4", "9");
	struct apmatrix_matrix *c = mk("5-6", "7", "1-3");
	struct apmatrix_apqn_list *l = NULL;
	char buf[64];

	test_call(ctx, apmatrix_matrix_get_shared_apqns(a, b, &l), 2, NULL);
	ck_assert_int_eq(apmatrix_apqn_list_format(l, ",", 0, buf, sizeof(buf)),
			 15);
	ck_assert_str_eq(buf, "05.0002,05.0003");
	l = apmatrix_apqn_list_unref(l);
	/* Control domains never count. */
	ck_assert_int_eq(apmatrix_matrix_get_shared_apqns(a, c, &l), 0);
	ck_assert_uint_eq(apmatrix_apqn_list_get_count(l), 0);
	l = apmatrix_apqn_list_unref(l);
	ck_assert_int_eq(apmatrix_matrix_get_shared_apqns(a, a, &l), 6);
	l = apmatrix_apqn_list_unref(l);
	ck_assert_int_eq(apmatrix_matrix_get_shared_apqns(NULL, a, &l),
			 -EINVAL);
	test_call(ctx, apmatrix_matrix_get_shared_apqns(a, NULL, &l), -EINVAL,
		  "matrix_get_shared_apqns: b is NULL");
	test_call(ctx, apmatrix_matrix_get_shared_apqns(a, b, NULL), -EINVAL,
		  "matrix_get_shared_apqns: ret is NULL");
	ck_assert_ptr_null(l);
	apmatrix_matrix_unref(a);
	apmatrix_matrix_unref(b);
	apmatrix_matrix_unref(c);
}
END_TEST

START_TEST(test_format_sysfs)
{
	struct apmatrix_matrix *m = mk("", "", "");

	ck_assert_str_eq(fmt(m, APMATRIX_MATRIX_SYSFS), "");
	ck_assert_str_eq(fmt(m, APMATRIX_MATRIX_CONTROL_DOMAINS), "");
	apmatrix_matrix_unref(m);

	m = mk("4,10", "1,0x47", "0,255");
	ck_assert_str_eq(fmt(m, APMATRIX_MATRIX_SYSFS),
			 "04.0001\n04.0047\n0a.0001\n0a.0047\n");
	ck_assert_str_eq(fmt(m, APMATRIX_MATRIX_CONTROL_DOMAINS),
			 "0000\n00ff\n");
	apmatrix_idset_clear_all(apmatrix_matrix_get_usage_domains(m));
	ck_assert_str_eq(fmt(m, APMATRIX_MATRIX_SYSFS), "04.\n0a.\n");
	apmatrix_idset_clear_all(apmatrix_matrix_get_adapters(m));
	apmatrix_idset_set(apmatrix_matrix_get_usage_domains(m), 0xab);
	apmatrix_idset_set(apmatrix_matrix_get_usage_domains(m), 3);
	ck_assert_str_eq(fmt(m, APMATRIX_MATRIX_SYSFS), ".0003\n.00ab\n");
	apmatrix_matrix_unref(m);
}
END_TEST

START_TEST(test_format_sizes)
{
	struct apmatrix_matrix *m = mk("0-255", "0-255", "0-255");
	char small[10];
	char *big;
	int n;

	n = apmatrix_matrix_format(m, APMATRIX_MATRIX_SYSFS, 0, NULL, 0);
	ck_assert_int_eq(n, 65536 * 8);
	ck_assert_int_eq(apmatrix_matrix_format(m, APMATRIX_MATRIX_SYSFS, 0,
						small, sizeof(small)),
			 n);
	ck_assert_str_eq(small, "00.0000\n0");
	big = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(apmatrix_matrix_format(m, APMATRIX_MATRIX_SYSFS, 0,
						big, (size_t)n + 1),
			 n);
	ck_assert_str_eq(big + n - 16, "ff.00fe\nff.00ff\n");
	apmatrix_matrix_unref(m);
	m = mk("", "", "");
	ck_assert_int_eq(
		apmatrix_matrix_parse(m, big, APMATRIX_MATRIX_SYSFS, 0), 0);
	ck_assert_uint_eq(apmatrix_matrix_get_apqn_count(m), 65536);
	free(big);
	test_call(ctx,
		  apmatrix_matrix_format(m, APMATRIX_MATRIX_AP_CONFIG, 0, NULL,
					 0),
		  201, NULL);
	test_call(ctx, apmatrix_matrix_format(m, 0, 0, small, sizeof(small)),
		  -EINVAL, "matrix_format: unknown syntax 0");
	test_call(ctx, apmatrix_matrix_format(m, 4, 0, small, sizeof(small)),
		  -EINVAL, "matrix_format: unknown syntax 4");
	test_call(ctx,
		  apmatrix_matrix_format(m, APMATRIX_MATRIX_SYSFS, 8, small,
					 sizeof(small)),
		  -EINVAL, "matrix_format: unknown flags 0x8");
	ck_assert_int_eq(apmatrix_matrix_format(NULL, APMATRIX_MATRIX_SYSFS, 0,
						small, sizeof(small)),
			 -EINVAL);
	test_call(ctx,
		  apmatrix_matrix_format(m, APMATRIX_MATRIX_SYSFS, 0, NULL, 1),
		  -EINVAL, "matrix_format: buf is NULL, size 1");
	apmatrix_matrix_unref(m);
}
END_TEST

START_TEST(test_ap_config)
{
	struct apmatrix_matrix *m = mk("4", "1-2", "1-2");
	char expect[256], a[80], b[80], c[80];

	snprintf(expect, sizeof(expect), "%s,%s,%s\n", mask("08", a),
		 mask("6", b), mask("6", c));
	ck_assert_str_eq(fmt(m, APMATRIX_MATRIX_AP_CONFIG), expect);
	ck_assert_uint_eq(strlen(expect), 201);
	apmatrix_matrix_unref(m);

	m = mk("", "", "");
	ck_assert_int_eq(
		apmatrix_matrix_parse(m, expect, APMATRIX_MATRIX_AP_CONFIG, 0),
		0);
	ck_assert_str_eq(ids(apmatrix_matrix_get_adapters(m)), "4");
	ck_assert_str_eq(ids(apmatrix_matrix_get_usage_domains(m)), "1-2");
	ck_assert_str_eq(ids(apmatrix_matrix_get_control_domains(m)), "1-2");
	apmatrix_matrix_unref(m);
}
END_TEST

/* Parse into a matrix holding something; must succeed. */
static struct apmatrix_matrix *parse_ok(const char *text, unsigned int syntax)
{
	struct apmatrix_matrix *m = mk("100", "100", "100");

	test_call(ctx, apmatrix_matrix_parse(m, text, syntax, 0), 0, NULL);
	return m;
}

static void parse_fails(const char *text, unsigned int syntax, const char *diag)
{
	struct apmatrix_matrix *m = mk("100", "101", "102");

	test_call(ctx, apmatrix_matrix_parse(m, text, syntax, 0), -EINVAL,
		  diag);
	/* All or nothing. */
	ck_assert_str_eq(ids(apmatrix_matrix_get_adapters(m)), "100");
	ck_assert_str_eq(ids(apmatrix_matrix_get_usage_domains(m)), "101");
	ck_assert_str_eq(ids(apmatrix_matrix_get_control_domains(m)), "102");
	apmatrix_matrix_unref(m);
}

static void check_ids(struct apmatrix_matrix *m, const char *a, const char *d,
		      const char *c)
{
	ck_assert_str_eq(ids(apmatrix_matrix_get_adapters(m)), a);
	ck_assert_str_eq(ids(apmatrix_matrix_get_usage_domains(m)), d);
	ck_assert_str_eq(ids(apmatrix_matrix_get_control_domains(m)), c);
	apmatrix_matrix_unref(m);
}

START_TEST(test_parse_ap_config)
{
	const unsigned int A = APMATRIX_MATRIX_AP_CONFIG;
	char text[400], a[80], b[80], c[80];

	check_ids(parse_ok("0x08,0x6,0x6", A), "4", "1-2", "1-2");
	check_ids(parse_ok("0x08,0x6,0x6\n", A), "4", "1-2", "1-2");
	check_ids(parse_ok("08,x6,6\n", A), "4", "1-2", "1-2");
	/* Newlines split too; empty masks are empty sets. */
	check_ids(parse_ok("0x8\n0x4\n0x2\n", A), "0", "1", "2");
	check_ids(parse_ok(",,", A), "", "", "");
	check_ids(parse_ok("0x8,0x4,", A), "0", "1", "");
	/* The kernel ignores what follows the third mask. */
	check_ids(parse_ok("0x8,0x4,0x2,junk", A), "0", "1", "2");
	check_ids(parse_ok("0x8,0x4,0x2\njunk", A), "0", "1", "2");

	parse_fails("", A, "ap_config \"\" has 1 mask, needs 3");
	parse_fails("0x8", A, "has 1 mask, needs 3");
	parse_fails("0x8,0x4", A, "\"0x8,0x4\" has 2 masks, needs 3");
	/* echo's newline ends the second token and leaves an empty third. */
	check_ids(parse_ok("0x8,0x4\n", A), "0", "1", "");
	parse_fails("0x8\n", A, "has 2 masks");
	parse_fails("0x8,0x4g,0x2", A,
		    "invalid character 'g' at offset 7 in mask "
		    "\"0x8,0x4g,0x2\"");
	parse_fails("0x8,0x4,0x2 ", A, "invalid character ' ' at offset 11");
	parse_fails(" 0x8,0x4,0x2", A, "invalid character ' ' at offset 0");
	snprintf(text, sizeof(text), "0x8,0x%065d,0x2", 0);
	parse_fails(text, A, "more than 64 hex digits at offset 70");
	/* Longer than the kernel reads. */
	snprintf(text, sizeof(text), "%s,%s,%s\n", mask("f", a), mask("", b),
		 mask("8", c));
	ck_assert_uint_eq(strlen(text), 201);
	check_ids(parse_ok(text, A), "0-3", "", "0");
	strcat(text, "\n");
	parse_fails(text, A,
		    "is 202 bytes long; the kernel reads only the "
		    "first 201");
}
END_TEST

START_TEST(test_parse_sysfs)
{
	const unsigned int S = APMATRIX_MATRIX_SYSFS;

	check_ids(parse_ok("04.0001\n04.0002\n05.0001\n05.0002\n", S), "4-5",
		  "1-2", "100");
	check_ids(parse_ok("05.0002\n04.0001\n04.0002\n05.0001", S), "4-5",
		  "1-2", "100");
	check_ids(parse_ok("4.1\n0x0a.0x47\n4.0x47\n0a.1\n", S), "4,10", "1,71",
		  "100");
	check_ids(parse_ok("", S), "", "", "100");
	check_ids(parse_ok("04.\n0a.\n", S), "4,10", "", "100");
	check_ids(parse_ok(".0001\n.00ff\n", S), "", "1,255", "100");
	check_ids(parse_ok("ff.00ff\n", S), "255", "255", "100");

	parse_fails("04.0001\n05.0002\n", S,
		    "not a full cross product of adapters and domains: "
		    "04.0002 is missing");
	parse_fails("04.0001\n04.0002\n05.0001\n", S, "05.0002 is missing");
	parse_fails("04.0001\n04.0001\n", S,
		    "line \"04.0001\" at offset 8 repeats an earlier line");
	parse_fails("04.\n04.\n", S, "repeats an earlier line");
	parse_fails(".0001\n.0001\n", S, "repeats an earlier line");
	parse_fails("04.0001\n\n", S, "empty line at offset 8");
	parse_fails("\n", S, "empty line at offset 0");
	parse_fails("04.0001\n05.\n", S,
		    "line \"05.\" at offset 8 is an adapter (AA.), the lines "
		    "before it are not");
	parse_fails("04.\n.0001\n", S, "is a domain (.DDDD)");
	parse_fails(".0001\n04.0001\n", S, "is an APQN (AA.DDDD)");
	parse_fails("0401\n", S, "missing '.' in line \"0401\" at offset 0");
	parse_fails(".\n", S,
		    "neither adapter nor domain in line \".\" at "
		    "offset 0");
	parse_fails("04.00g1\n", S,
		    "invalid character 'g' at offset 5 in line \"04.00g1\"");
	parse_fails("04.0001\n0g.0001\n", S,
		    "invalid character 'g' at offset 9 in line \"0g.0001\"");
	parse_fails("04.0001 \n", S, "invalid character ' ' at offset 7");
	parse_fails("04.0001\r\n", S, "invalid character '\\r' at offset 7");
	parse_fails("04.00.01\n", S, "invalid character '.' at offset 5");
	parse_fails("100.0001\n", S,
		    "adapter out of range (0-0xff) at offset 0 in line "
		    "\"100.0001\"");
	parse_fails("04.0100\n", S, "domain out of range (0-0xff) at offset 3");
	parse_fails("0x.0001\n", S, "invalid character 'x' at offset 1");
}
END_TEST

START_TEST(test_parse_control_domains)
{
	const unsigned int C = APMATRIX_MATRIX_CONTROL_DOMAINS;

	check_ids(parse_ok("0001\n00ff\n", C), "100", "100", "1,255");
	check_ids(parse_ok("00ff\n0001", C), "100", "100", "1,255");
	check_ids(parse_ok("", C), "100", "100", "");
	check_ids(parse_ok("0x47\n", C), "100", "100", "71");
	parse_fails("0001\n0001\n", C, "repeats an earlier line");
	parse_fails("0001\n\n", C, "empty line at offset 5");
	parse_fails("0100\n", C, "control domain out of range (0-0xff)");
	parse_fails("00g1\n", C, "invalid character 'g' at offset 2");
	parse_fails("0001\n04.0001\n", C, "invalid character '.' at offset 7");
}
END_TEST

START_TEST(test_parse_args)
{
	struct apmatrix_matrix *m = mk("1", "2", "3");

	ck_assert_int_eq(
		apmatrix_matrix_parse(NULL, "", APMATRIX_MATRIX_SYSFS, 0),
		-EINVAL);
	test_call(ctx, apmatrix_matrix_parse(m, NULL, APMATRIX_MATRIX_SYSFS, 0),
		  -EINVAL, "matrix_parse: text is NULL");
	test_call(ctx, apmatrix_matrix_parse(m, "", 0, 0), -EINVAL,
		  "matrix_parse: unknown syntax 0");
	test_call(ctx, apmatrix_matrix_parse(m, "0x8,0x8,0x8", 7, 0), -EINVAL,
		  "matrix_parse: unknown syntax 7");
	test_call(ctx, apmatrix_matrix_parse(m, "", APMATRIX_MATRIX_SYSFS, 2),
		  -EINVAL, "matrix_parse: unknown flags 0x2");
	check_ids(m, "1", "2", "3");
}
END_TEST

static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void random_ids(struct apmatrix_idset *s)
{
	unsigned int odds = 1 + rng() % 64;

	apmatrix_idset_clear_all(s);
	if (rng() % 8 == 0)
		return;
	for (unsigned int id = 0; id < 256; id++)
		if (rng() % odds == 0)
			apmatrix_idset_set(s, id);
}

START_TEST(test_round_trip)
{
	struct apmatrix_matrix *m = mk("", "", "");
	struct apmatrix_matrix *n = mk("", "", "");
	char *text = malloc(1 << 20);

	ck_assert_ptr_nonnull(text);
	rng_state = 0x9e3779b9u;
	for (int i = 0; i < 300; i++) {
		random_ids(apmatrix_matrix_get_adapters(m));
		random_ids(apmatrix_matrix_get_usage_domains(m));
		random_ids(apmatrix_matrix_get_control_domains(m));

		ck_assert_int_eq(
			apmatrix_matrix_format(m, APMATRIX_MATRIX_AP_CONFIG, 0,
					       text, 1 << 20),
			201);
		apmatrix_idset_set(apmatrix_matrix_get_adapters(n),
				   rng() % 256);
		ck_assert_int_eq(apmatrix_matrix_parse(
					 n, text, APMATRIX_MATRIX_AP_CONFIG, 0),
				 0);
		ck_assert(apmatrix_matrix_equal(m, n));

		ck_assert_int_ge(apmatrix_matrix_format(m,
							APMATRIX_MATRIX_SYSFS,
							0, text, 1 << 20),
				 0);
		apmatrix_idset_set(apmatrix_matrix_get_usage_domains(n),
				   rng() % 256);
		ck_assert_int_eq(apmatrix_matrix_parse(
					 n, text, APMATRIX_MATRIX_SYSFS, 0),
				 0);
		ck_assert_int_ge(apmatrix_matrix_format(
					 m, APMATRIX_MATRIX_CONTROL_DOMAINS, 0,
					 text, 1 << 20),
				 0);
		apmatrix_idset_set(apmatrix_matrix_get_control_domains(n),
				   rng() % 256);
		ck_assert_int_eq(
			apmatrix_matrix_parse(
				n, text, APMATRIX_MATRIX_CONTROL_DOMAINS, 0),
			0);
		ck_assert_msg(apmatrix_matrix_equal(m, n), "round %d", i);
	}
	free(text);
	apmatrix_matrix_unref(m);
	apmatrix_matrix_unref(n);
}
END_TEST

static Suite *matrix_suite(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc = tcase_create("matrix");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new_ref_unref);
	tcase_add_test(tc, test_embedded);
	tcase_add_test(tc, test_assign_equal);
	tcase_add_test(tc, test_product);
	tcase_add_test(tc, test_shared);
	tcase_add_test(tc, test_format_sysfs);
	tcase_add_test(tc, test_format_sizes);
	tcase_add_test(tc, test_ap_config);
	tcase_add_test(tc, test_parse_ap_config);
	tcase_add_test(tc, test_parse_sysfs);
	tcase_add_test(tc, test_parse_control_domains);
	tcase_add_test(tc, test_parse_args);
	tcase_add_test(tc, test_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(matrix_suite());
}
