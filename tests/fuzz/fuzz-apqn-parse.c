/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrix_apqn_parse() and apmatrix_apqn_format(). The whole input is the
 * text; its first two bytes also make a number for a format round trip.
 *
 * Properties:
 * - failure: -EINVAL, *ret untouched, a fresh one-line diagnostic; success
 *   clears it;
 * - success: *ret <= 0xffff, it formats as exactly `AA.DDDD` (7 characters,
 *   lower-case hex) and that parses back to the same APQN;
 * - formatting any 16-bit number and parsing it gives it back; numbers over
 *   0xffff do not format;
 * - a NULL context gives the same result.
 */
#include "fuzz-common.h"

#define SENTINEL 0xdeadbeefu

static void check_format(struct apmatrix_ctx *ctx, unsigned int apqn)
{
	char buf[16], small[4];
	unsigned int back = SENTINEL;
	int r;
	size_t i;

	memset(buf, 'Z', sizeof(buf));
	r = apmatrix_apqn_format(apqn, 0, buf, sizeof(buf));
	FUZZ_ASSERT(r == 7 && strlen(buf) == 7 && buf[2] == '.',
	            "apqn %#x formats as %d \"%s\"", apqn, r, buf);
	for (i = 0; i < 7; i++)
		FUZZ_ASSERT(i == 2 || (buf[i] >= '0' && buf[i] <= '9') ||
		            (buf[i] >= 'a' && buf[i] <= 'f'),
		            "apqn %#x formats as \"%s\"", apqn, buf);
	FUZZ_ASSERT(apmatrix_apqn_format(apqn, 0, NULL, 0) == 7,
	            "length query for %#x", apqn);
	memset(small, 'Z', sizeof(small));
	r = apmatrix_apqn_format(apqn, 0, small, sizeof(small));
	FUZZ_ASSERT(r == 7 && small[3] == '\0' && strncmp(small, buf, 3) == 0,
	            "short buffer for %#x", apqn);
	r = apmatrix_apqn_parse(ctx, buf, 0, &back);
	FUZZ_ASSERT(r == 0 && back == apqn, "\"%s\" parses as %d, %#x", buf, r,
	            back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apmatrix_ctx *ctx;
	unsigned int apqn = SENTINEL;
	char *text = fuzz_text(data, size);
	char buf[16];
	int r;

	ctx = fuzz_ctx();
	fuzz_plant_diag(ctx);
	r = apmatrix_apqn_parse(ctx, text, 0, &apqn);
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL, "returned %d", r);
		FUZZ_ASSERT(apqn == SENTINEL, "failure wrote *ret = %#x", apqn);
		fuzz_assert_diag(ctx, "apmatrix_apqn_parse");
	} else {
		FUZZ_ASSERT(r == 0, "returned %d", r);
		FUZZ_ASSERT(apqn <= 0xffff, "*ret = %#x", apqn);
		fuzz_assert_no_diag(ctx, "apmatrix_apqn_parse");
		check_format(ctx, apqn);
	}

	/* The context is only for the diagnostic: NULL gives the same. */
	{
		unsigned int apqn2 = SENTINEL;
		int r2 = apmatrix_apqn_parse(NULL, text, 0, &apqn2);

		FUZZ_ASSERT(r2 == r && apqn2 == apqn, "NULL ctx: %d/%#x, not %d/%#x",
		            r2, apqn2, r, apqn);
	}
	if (size >= 2)
		check_format(ctx, (unsigned int)data[0] << 8 | data[1]);
	if (size >= 3) {
		unsigned int big = 0x10000u + ((unsigned int)data[2] << 12);

		FUZZ_ASSERT(apmatrix_apqn_format(big, 0, buf, sizeof(buf)) == -EINVAL,
		            "%#x formatted", big);
	}
	apmatrix_unref(ctx);
	free(text);
	return 0;
}
