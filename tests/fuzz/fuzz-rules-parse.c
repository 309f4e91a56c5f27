/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * 41-ap.rules: apmatrix_rules_parse() on any bytes.
 *
 * Properties: failure is -EINVAL with a one-line reason naming the line;
 * success gives masks that, written as chzdev writes them, read back the
 * same (which masks are set, and their bits).
 */
#include "fuzz-common.h"
#include "store-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apmatrix_rules rules, back;
	char why[256] = "", *out;
	int r, n;

	r = apmatrix_rules_parse((const char *)data, size, &rules, why,
				 sizeof(why));
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL, "returned %d", r);
		FUZZ_ASSERT(strncmp(why, "line ", 5) == 0 && !strchr(why, '\n'),
			    "reason \"%s\"", why);
		return 0;
	}
	n = apmatrix_rules_format(&rules, NULL, 0);
	FUZZ_ASSERT(n > 0, "format length %d", n);
	out = malloc((size_t)n + 1);
	if (!out)
		abort();
	FUZZ_ASSERT(apmatrix_rules_format(&rules, out, (size_t)n + 1) == n,
		    "format length changed");
	r = apmatrix_rules_parse(out, (size_t)n, &back, why, sizeof(why));
	FUZZ_ASSERT(r == 0, "our rules do not parse: %s", why);
	FUZZ_ASSERT(back.has_apmask == rules.has_apmask &&
			    back.has_aqmask == rules.has_aqmask &&
			    (!rules.has_apmask ||
			     !memcmp(&back.apmask, &rules.apmask,
				     sizeof(back.apmask))) &&
			    (!rules.has_aqmask ||
			     !memcmp(&back.aqmask, &rules.aqmask,
				     sizeof(back.aqmask))),
		    "masks differ after a round trip");
	free(out);
	return 0;
}
