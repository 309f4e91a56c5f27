// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Starting and stopping a defined mdev through the change layer: the
 * definition's matrix becomes a target, planned against a fresh host read
 * and applied under the s390apconfig lock (apmatrix_plan_apply() plans
 * again under the lock and rolls back on failure).
 */
#include <string.h>

#include "check-internal.h"
#include "store-internal.h"

static int store_change(struct apmatrix_store *store, const char *uuid,
			unsigned int flags, int start,
			struct apmatrix_result **ret)
{
	struct apmatrix_ctx *ctx = apmatrix_store_get_ctx(store);
	struct apmatrix_target *target = NULL;
	struct apmatrix_host *host = NULL;
	struct apmatrix_plan *plan = NULL;
	struct apmatrix_mdev *mdev;
	char q[APMATRIX_QUOTE_SIZE];
	int r;

	if (!store || !uuid || !ret)
		return apmatrix_diag(ctx, -EINVAL, "store_%s: NULL argument",
				     start ? "start" : "stop");
	apmatrix_diag_clear(ctx);
	if (!apmatrix_flags_ok(flags, APMATRIX_STORE_LOCKED))
		return apmatrix_diag(ctx, -EINVAL,
				     "store_%s: unknown flags 0x%x",
				     start ? "start" : "stop", flags);
	mdev = apmatrix_store_find_mdev(store, uuid);
	if (start && !mdev)
		return apmatrix_diag(
			ctx, -ENOENT, "mdev %s is not defined",
			apmatrix_diag_quote(q, sizeof(q), uuid, SIZE_MAX));
	r = apmatrix_host_read(ctx, 0, &host);
	if (r == 0)
		r = apmatrix_target_new(ctx, &target);
	if (r == 0)
		r = start ? apmatrix_target_set_mdev(
				    target, mdev->uuid,
				    apmatrix_mdev_get_matrix(
					    mdev, APMATRIX_ROLE_DEFINED),
				    0)
			  : apmatrix_target_remove_mdev(target, uuid, 0);
	if (r == 0)
		r = apmatrix_plan_new(target, host, 0, &plan);
	if (r == 0)
		r = apmatrix_plan_apply(plan,
					flags & APMATRIX_STORE_LOCKED
						? APMATRIX_APPLY_LOCKED
						: 0,
					ret);
	apmatrix_plan_unref(plan);
	apmatrix_target_unref(target);
	apmatrix_host_unref(host);
	return r;
}

APMATRIX_EXPORT int apmatrix_store_start(struct apmatrix_store *store,
					 const char *uuid, unsigned int flags,
					 struct apmatrix_result **ret)
{
	return store_change(store, uuid, flags, 1, ret);
}

APMATRIX_EXPORT int apmatrix_store_stop(struct apmatrix_store *store,
					const char *uuid, unsigned int flags,
					struct apmatrix_result **ret)
{
	return store_change(store, uuid, flags, 0, ret);
}
