/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrix_idset_parse(), every syntax.
 *
 * Input: byte 0 picks the syntax (its low 3 bits: 1 mask, 2 relative,
 * 3 list, 4 kernel, 5 chzdev; 0, 6 and 7 are invalid and must be refused),
 * byte 1 the set the text is parsed into (low 2 bits: empty, full, every
 * third ID, a few IDs from byte 1; bit 7: pass flags = 1, which must be
 * refused), the rest is the text. Seeds use '1'..'5' and '`'..'c'.
 *
 * Properties:
 * - failure: -EINVAL only, the set unchanged, a fresh one-line diagnostic
 *   (for bad text and for a bad syntax or flags value alike);
 * - success: 0 (no diagnostic) or APMATRIX_WARN_OCTAL (then one);
 * - mask and list replace the set: the result does not depend on it;
 * - kernel = relative for text starting with + or -, mask otherwise;
 *   what chzdev accepts without a sign, list reads the same;
 * - the result formats as a mask and as a list, each parses back to it;
 *   formatting obeys the snprintf() rules; count and next agree.
 */
#include "fuzz-common.h"

static int fmt_set(const void *obj, unsigned int how, char *buf, size_t size)
{
	return apmatrix_idset_format(obj, how, 0, buf, size);
}

static void init_set(struct apmatrix_idset *set, uint8_t how)
{
	unsigned int id;

	apmatrix_idset_clear_all(set);
	switch (how & 3) {
	case 0:
		break;
	case 1:
		for (id = 0; id < APMATRIX_MAX_IDS; id++)
			apmatrix_idset_set(set, id);
		break;
	case 2:
		for (id = 0; id < APMATRIX_MAX_IDS; id += 3)
			apmatrix_idset_set(set, id);
		break;
	default:
		apmatrix_idset_set(set, how);
		apmatrix_idset_set(set, (how * 7u) & 0xff);
		apmatrix_idset_set(set, 0);
		apmatrix_idset_set(set, 255);
		break;
	}
}

static struct apmatrix_idset *new_set(struct apmatrix_ctx *ctx)
{
	struct apmatrix_idset *set = NULL;

	if (apmatrix_idset_new(ctx, &set) < 0 || !set)
		abort();
	return set;
}

/* Parse @text with @syntax into a set initialised by @how. */
static struct apmatrix_idset *parse_into(struct apmatrix_ctx *ctx,
                                         const char *text,
                                         unsigned int syntax, uint8_t how,
                                         int *ret)
{
	struct apmatrix_idset *set = new_set(ctx);

	init_set(set, how);
	*ret = apmatrix_idset_parse(set, text, syntax, 0);
	return set;
}

static void check_consistent(const struct apmatrix_idset *set)
{
	unsigned int n = 0;
	int id, prev = -1;

	for (id = apmatrix_idset_next(set, 0); id >= 0;
	     id = apmatrix_idset_next(set, (unsigned int)id + 1)) {
		FUZZ_ASSERT(id > prev && id < APMATRIX_MAX_IDS &&
		            apmatrix_idset_test(set, (unsigned int)id),
		            "next() gave %d after %d", id, prev);
		prev = id;
		n++;
		if (id == APMATRIX_MAX_IDS - 1)
			break;
	}
	FUZZ_ASSERT(n == apmatrix_idset_get_count(set), "count %u, next() saw %u",
	            apmatrix_idset_get_count(set), n);
}

/* Format @set in @syntax and parse it back into a fresh set: equal. */
static void check_roundtrip(struct apmatrix_ctx *ctx,
                            const struct apmatrix_idset *set,
                            unsigned int syntax, uint8_t how)
{
	struct apmatrix_idset *back;
	char *text;
	int r;

	text = fuzz_format(fmt_set, set, syntax, "apmatrix_idset_format");
	FUZZ_ASSERT(text != NULL, "cannot format syntax %u", syntax);
	if (syntax == APMATRIX_SYNTAX_MASK)
		FUZZ_ASSERT(strlen(text) == 66 && text[0] == '0' &&
		            text[1] == 'x', "mask text \"%s\"", text);
	back = parse_into(ctx, text, syntax, how, &r);
	FUZZ_ASSERT(r == 0, "formatted text \"%s\" (syntax %u) parses as %d: %s",
	            text, syntax, r, apmatrix_get_diagnostic(ctx));
	FUZZ_ASSERT(apmatrix_idset_equal(set, back),
	            "\"%s\" (syntax %u) parses back to another set", text,
	            syntax);
	apmatrix_idset_unref(back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apmatrix_ctx *ctx;
	struct apmatrix_idset *set, *before, *other;
	unsigned int syntax, flags;
	uint8_t how;
	char *text;
	int r, r2;

	if (size < 2)
		return 0;
	syntax = data[0] & 7;
	how = data[1] & 0x7f;
	flags = data[1] & 0x80 ? 1 : 0;
	text = fuzz_text(data + 2, size - 2);
	ctx = fuzz_ctx();

	set = new_set(ctx);
	before = new_set(ctx);
	init_set(set, how);
	apmatrix_idset_assign(before, set);

	fuzz_plant_diag(ctx);
	r = apmatrix_idset_parse(set, text, syntax, flags);
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL, "parse returned %d", r);
		FUZZ_ASSERT(apmatrix_idset_equal(set, before),
		            "a failed parse changed the set");
		fuzz_assert_diag(ctx, "apmatrix_idset_parse");
		goto out;
	}
	FUZZ_ASSERT(syntax >= 1 && syntax <= 5 && flags == 0,
	            "syntax %u flags %u accepted", syntax, flags);
	FUZZ_ASSERT((r & ~APMATRIX_WARN_OCTAL) == 0, "parse returned %d", r);
	if (r & APMATRIX_WARN_OCTAL)
		fuzz_assert_diag(ctx, "an octal warning");
	else
		fuzz_assert_no_diag(ctx, "apmatrix_idset_parse");
	check_consistent(set);

	/* Absolute syntaxes do not depend on the set they parse into. */
	if (syntax == APMATRIX_SYNTAX_MASK || syntax == APMATRIX_SYNTAX_LIST ||
	    ((syntax == APMATRIX_SYNTAX_KERNEL ||
	      syntax == APMATRIX_SYNTAX_CHZDEV) &&
	     text[0] != '+' && text[0] != '-')) {
		other = parse_into(ctx, text, syntax, (uint8_t)(how + 1), &r2);
		FUZZ_ASSERT(r2 == r, "absolute parse: %d, then %d", r, r2);
		FUZZ_ASSERT(apmatrix_idset_equal(set, other),
		            "absolute syntax %u depends on the old set", syntax);
		apmatrix_idset_unref(other);
	}

	/* The kernel syntax is exactly relative or mask, chosen by text[0]. */
	if (syntax == APMATRIX_SYNTAX_KERNEL) {
		unsigned int same = text[0] == '+' || text[0] == '-'
		                            ? APMATRIX_SYNTAX_RELATIVE
		                            : APMATRIX_SYNTAX_MASK;

		other = parse_into(ctx, text, same, how, &r2);
		FUZZ_ASSERT(r2 == r && apmatrix_idset_equal(set, other),
		            "kernel syntax differs from syntax %u (%d vs %d)",
		            same, r, r2);
		apmatrix_idset_unref(other);
	}
	/* chzdev without a sign is a list (chzdev also refuses an empty one,
	 * and its relative form allows blanks, so only this direction). */
	if (syntax == APMATRIX_SYNTAX_CHZDEV && text[0] != '+' &&
	    text[0] != '-') {
		other = parse_into(ctx, text, APMATRIX_SYNTAX_LIST, how, &r2);
		FUZZ_ASSERT(r2 == r && apmatrix_idset_equal(set, other),
		            "chzdev syntax differs from list (%d vs %d)", r, r2);
		apmatrix_idset_unref(other);
	}

	check_roundtrip(ctx, set, APMATRIX_SYNTAX_MASK, how);
	check_roundtrip(ctx, set, APMATRIX_SYNTAX_LIST, how);
	/* Parse-only syntaxes do not format. */
	fuzz_plant_diag(ctx);
	FUZZ_ASSERT(apmatrix_idset_format(set, APMATRIX_SYNTAX_KERNEL, 0, NULL,
	                                  0) == -EINVAL,
	            "formatting the kernel syntax did not fail");
	fuzz_assert_diag(ctx, "apmatrix_idset_format");
out:
	apmatrix_idset_unref(before);
	apmatrix_idset_unref(set);
	apmatrix_unref(ctx);
	free(text);
	return 0;
}
