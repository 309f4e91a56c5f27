/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrix_id_parse(): one ID as the kernel's assign_* attributes read it
 * (kstrtoul base 0, one trailing newline). The whole input is the text.
 *
 * Properties:
 * - the result is 0, APMATRIX_WARN_OCTAL or -EINVAL;
 * - on failure *ret is untouched and there is a fresh one-line diagnostic;
 *   a clean success clears it;
 * - on success *ret is 0..255;
 * - against a model of kstrtoul(): a decimal, 0x-hex or 0-octal number,
 *   after at most one '+' and before at most one newline, parses to the
 *   model's value (-EINVAL over 255, also for digits that overflow an
 *   unsigned long); octal above 7 warns, decimal and hex do not; any other
 *   text is refused;
 * - a NULL context gives the same result.
 */
#include "fuzz-common.h"

#define SENTINEL 0xdeadbeefu

/*
 * The model, kstrtoul(s, 0): returns 1 and the value for a well-formed
 * number, 2 when the digits overflow an unsigned long (the kernel says so
 * before it looks at what follows), 0 for anything else.
 */
static int model(const char *s, unsigned long *value, int *octal)
{
	unsigned int base = 10;
	unsigned long v = 0;
	size_t i = 0, digits = 0;
	int overflow = 0;

	*octal = 0;
	if (s[0] == '+')    /* kstrtoull() skips one plus sign */
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    ((s[2] >= '0' && s[2] <= '9') || (s[2] >= 'a' && s[2] <= 'f') ||
	     (s[2] >= 'A' && s[2] <= 'F'))) {
		base = 16;
		i = 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (;; i++) {
		unsigned int d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			break;
		if (d >= base)
			break;
		digits++;
		if (v > (~0UL - d) / base)
			overflow = 1;
		v = v * base + d;
	}
	if (overflow)
		return 2;
	if (digits == 0)
		return 0;
	if (s[i] == '\n')
		i++;
	if (s[i] != '\0')
		return 0;
	*value = v;
	*octal = base == 8 && digits > 1;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apmatrix_ctx *ctx;
	unsigned int id = SENTINEL;
	unsigned long want = 0;
	int r, well_formed, octal;
	char *text = fuzz_text(data, size);

	ctx = fuzz_ctx();
	fuzz_plant_diag(ctx);
	r = apmatrix_id_parse(ctx, text, 0, &id);
	well_formed = model(text, &want, &octal);

	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL, "returned %d", r);
		FUZZ_ASSERT(id == SENTINEL, "failure wrote *ret = %u", id);
		fuzz_assert_diag(ctx, "apmatrix_id_parse");
	} else {
		FUZZ_ASSERT(r == 0 || r == APMATRIX_WARN_OCTAL, "returned %d", r);
		FUZZ_ASSERT(id <= 255, "*ret = %u", id);
		if (r)
			fuzz_assert_diag(ctx, "an octal warning");
		else
			fuzz_assert_no_diag(ctx, "apmatrix_id_parse");
	}

	/* The context is only for the diagnostic: NULL gives the same. */
	{
		unsigned int id2 = SENTINEL;
		int r2 = apmatrix_id_parse(NULL, text, 0, &id2);

		FUZZ_ASSERT(r2 == r && id2 == id, "NULL ctx: %d/%u, not %d/%u", r2,
		            id2, r, id);
	}

	if (strlen(text) == size) {
		if (well_formed == 2) {
			FUZZ_ASSERT(r == -EINVAL, "overflow gave %d, not -EINVAL", r);
		} else if (!well_formed) {
			FUZZ_ASSERT(r == -EINVAL, "junk accepted: %d, id %u", r, id);
		} else if (want > 255) {
			FUZZ_ASSERT(r == -EINVAL, "%lu gave %d, not -EINVAL", want, r);
		} else {
			FUZZ_ASSERT(r >= 0 && id == want,
			            "expected %lu, got %d (id %u)", want, r, id);
			if (want > 7)
				FUZZ_ASSERT((r == APMATRIX_WARN_OCTAL) == octal,
				            "octal warning %d for %s number %lu", r,
				            octal ? "an octal" : "a non-octal", want);
			else if (!octal)
				FUZZ_ASSERT(r == 0, "warning %d for %lu", r, want);
		}
	}
	apmatrix_unref(ctx);
	free(text);
	return 0;
}
