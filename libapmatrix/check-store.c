// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The stored configuration as input of a check: every definition in its
 * DEFINED role and the persistent host masks, read as libap reads them (a
 * mask the rules file does not set is the active one).
 */
#include "check-internal.h"

APMATRIX_EXPORT int apmatrix_check_add_store(struct apmatrix_check *check,
					     struct apmatrix_store *store,
					     unsigned int flags)
{
	struct apmatrix_ctx *ctx = apmatrix_store_get_ctx(store);
	const struct apmatrix_idset *sap, *saq;
	struct apmatrix_host *host;
	struct apmatrix_idset ap, aq;
	unsigned int n;
	int r;

	if (!check || !store)
		return apmatrix_diag(ctx, -EINVAL,
				     "check_add_store: NULL argument");
	apmatrix_diag_clear(ctx);
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(ctx, -EINVAL,
				     "check_add_store: unknown flags 0x%x",
				     flags);
	n = apmatrix_store_get_mdev_count(store);
	for (unsigned int i = 0; i < n; i++) {
		r = apmatrix_check_add_mdev(check,
					    apmatrix_store_get_mdev(store, i));
		/* A definition the check has already (a proposed change,
		 * added first) replaces the stored one. */
		if (r < 0 && r != -EEXIST)
			return r;
	}
	apmatrix_diag_clear(ctx);
	sap = apmatrix_store_get_persistent_apmask(store);
	saq = apmatrix_store_get_persistent_aqmask(store);
	host = apmatrix_check_get_host(check);
	apmatrix_idset_init_embedded(&ap, ctx, NULL, NULL, NULL);
	apmatrix_idset_init_embedded(&aq, ctx, NULL, NULL, NULL);
	if ((!sap || !saq) && !host)
		return 0; /* no persistent pool to check against */
	ap.bits = sap ? sap->bits : apmatrix_host_get_apmask(host)->bits;
	aq.bits = saq ? saq->bits : apmatrix_host_get_aqmask(host)->bits;
	return apmatrix_check_set_persistent_masks(check, &ap, &aq);
}
