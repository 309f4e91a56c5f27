/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrix_matrix_parse(), every syntax. Byte 0 picks the syntax (low 2
 * bits: 1 ap_config, 2 sysfs matrix, 3 control_domains; 0 is invalid and
 * must be refused), byte 1 the matrix parsed into (low 2 bits: empty, a
 * small one, a full one, one made from byte 1; bit 7: flags = 1, which must
 * be refused); the rest is the text. Seeds use '1'..'3' and '`'..'c'.
 *
 * Properties:
 * - failure: -EINVAL, the matrix unchanged, a fresh one-line diagnostic
 *   (bad text, syntax or flags alike); success clears it;
 * - success: ap_config replaces everything (the old matrix does not
 *   matter); sysfs leaves the control domains alone; control_domains
 *   leaves adapters and usage domains alone;
 * - the matrix formats in the same syntax (snprintf() rules) and that text
 *   parses back to the same sets; ap_config formats as three full masks;
 * - the APQN count is |adapters| x |domains| and contains()/next_apqn()
 *   agree with it.
 */
#include "fuzz-common.h"

static int fmt_matrix(const void *obj, unsigned int syntax, char *buf,
		      size_t size)
{
	return apmatrix_matrix_format(obj, syntax, 0, buf, size);
}

static struct apmatrix_matrix *new_matrix(struct apmatrix_ctx *ctx)
{
	struct apmatrix_matrix *m = NULL;

	if (apmatrix_matrix_new(ctx, &m) < 0 || !m)
		abort();
	return m;
}

static void init_matrix(struct apmatrix_matrix *m, uint8_t how)
{
	struct apmatrix_idset *a = apmatrix_matrix_get_adapters(m);
	struct apmatrix_idset *d = apmatrix_matrix_get_usage_domains(m);
	struct apmatrix_idset *c = apmatrix_matrix_get_control_domains(m);
	unsigned int id;

	apmatrix_idset_clear_all(a);
	apmatrix_idset_clear_all(d);
	apmatrix_idset_clear_all(c);
	switch (how & 3) {
	case 0:
		break;
	case 1:
		apmatrix_idset_set(a, 4);
		apmatrix_idset_set(a, 5);
		apmatrix_idset_set(d, 0x47);
		apmatrix_idset_set(c, 0x47);
		break;
	case 2:
		for (id = 0; id < APMATRIX_MAX_IDS; id++) {
			apmatrix_idset_set(a, id);
			apmatrix_idset_set(d, id);
			apmatrix_idset_set(c, id);
		}
		break;
	default:
		apmatrix_idset_set(a, how);
		apmatrix_idset_set(d, (how * 5u) & 0xff);
		apmatrix_idset_set(c, (how * 11u) & 0xff);
		apmatrix_idset_set(c, 255);
		break;
	}
}

static int same_sets(struct apmatrix_matrix *x, struct apmatrix_matrix *y,
		     int adapters_domains, int control)
{
	if (adapters_domains &&
	    (!apmatrix_idset_equal(apmatrix_matrix_get_adapters(x),
				   apmatrix_matrix_get_adapters(y)) ||
	     !apmatrix_idset_equal(apmatrix_matrix_get_usage_domains(x),
				   apmatrix_matrix_get_usage_domains(y))))
		return 0;
	if (control &&
	    !apmatrix_idset_equal(apmatrix_matrix_get_control_domains(x),
				  apmatrix_matrix_get_control_domains(y)))
		return 0;
	return 1;
}

static void check_product(struct apmatrix_matrix *m)
{
	unsigned int na =
		apmatrix_idset_get_count(apmatrix_matrix_get_adapters(m));
	unsigned int nd =
		apmatrix_idset_get_count(apmatrix_matrix_get_usage_domains(m));
	unsigned int n = apmatrix_matrix_get_apqn_count(m), seen = 0;
	int apqn, prev = -1;

	FUZZ_ASSERT(n == na * nd, "%u APQNs from %u x %u", n, na, nd);
	if (n > 4096)
		return;
	for (apqn = apmatrix_matrix_next_apqn(m, 0); apqn >= 0;
	     apqn = apmatrix_matrix_next_apqn(m, (unsigned int)apqn + 1)) {
		FUZZ_ASSERT(
			apqn > prev && apqn <= 0xffff &&
				apmatrix_matrix_contains(m, (unsigned int)apqn),
			"next_apqn gave %#x after %#x", apqn, prev);
		prev = apqn;
		seen++;
		if (apqn == 0xffff)
			break;
	}
	FUZZ_ASSERT(seen == n, "next_apqn saw %u of %u", seen, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apmatrix_ctx *ctx;
	struct apmatrix_matrix *m, *before, *back;
	unsigned int syntax, flags;
	uint8_t how;
	char *text, *out;
	int r;

	if (size < 2)
		return 0;
	syntax = data[0] & 3;
	how = data[1] & 0x7f;
	flags = data[1] & 0x80 ? 1 : 0;
	text = fuzz_text(data + 2, size - 2);
	ctx = fuzz_ctx();
	m = new_matrix(ctx);
	before = new_matrix(ctx);
	init_matrix(m, how);
	apmatrix_matrix_assign(before, m);

	fuzz_plant_diag(ctx);
	r = apmatrix_matrix_parse(m, text, syntax, flags);
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL, "returned %d", r);
		FUZZ_ASSERT(same_sets(m, before, 1, 1),
			    "a failed parse changed the matrix");
		fuzz_assert_diag(ctx, "apmatrix_matrix_parse");
		goto out;
	}
	FUZZ_ASSERT(r == 0 && syntax != 0 && flags == 0,
		    "returned %d for syntax %u flags %u", r, syntax, flags);
	fuzz_assert_no_diag(ctx, "apmatrix_matrix_parse");
	if (syntax == APMATRIX_MATRIX_SYSFS)
		FUZZ_ASSERT(same_sets(m, before, 0, 1),
			    "a sysfs matrix changed the control domains");
	if (syntax == APMATRIX_MATRIX_CONTROL_DOMAINS)
		FUZZ_ASSERT(
			same_sets(m, before, 1, 0),
			"control_domains changed adapters or usage domains");
	if (syntax == APMATRIX_MATRIX_AP_CONFIG) {
		struct apmatrix_matrix *other = new_matrix(ctx);

		init_matrix(other, (uint8_t)(how + 1));
		r = apmatrix_matrix_parse(other, text, syntax, 0);
		FUZZ_ASSERT(r == 0 && same_sets(m, other, 1, 1),
			    "ap_config depends on the old matrix (%d)", r);
		apmatrix_matrix_unref(other);
	}
	check_product(m);

	out = fuzz_format(fmt_matrix, m, syntax, "apmatrix_matrix_format");
	FUZZ_ASSERT(out != NULL, "cannot format syntax %u", syntax);
	if (syntax == APMATRIX_MATRIX_AP_CONFIG)
		FUZZ_ASSERT(strlen(out) == 3 * 66 + 2 + 1 &&
				    out[strlen(out) - 1] == '\n',
			    "ap_config text \"%s\"", out);
	back = new_matrix(ctx);
	init_matrix(back, how);
	r = apmatrix_matrix_parse(back, out, syntax, 0);
	FUZZ_ASSERT(r == 0, "formatted text \"%.200s\" does not parse: %d: %s",
		    out, r, apmatrix_get_diagnostic(ctx));
	FUZZ_ASSERT(same_sets(m, back, 1, 1),
		    "\"%.200s\" (syntax %u) parses back to another matrix", out,
		    syntax);
	apmatrix_matrix_unref(back);
	free(out);
out:
	apmatrix_matrix_unref(before);
	apmatrix_matrix_unref(m);
	apmatrix_unref(ctx);
	free(text);
	return 0;
}
