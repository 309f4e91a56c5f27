/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A vfio_ap mediated device description: UUID, assigned matrix, state. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check-internal.h"

static void mdev_owner_ref(void *owner)
{
	apmatrix_mdev_ref(owner);
}

static void mdev_owner_unref(void *owner)
{
	apmatrix_mdev_unref(owner);
}

/* 8-4-4-4-12 hex digits; returns the offset of the first bad char or -1. */
static int uuid_bad_offset(const char *uuid)
{
	size_t i;

	for (i = 0; i < APMATRIX_UUID_LEN; i++) {
		unsigned char c = (unsigned char)uuid[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return (int)i;
		} else if (!isxdigit(c)) {
			return (int)i;
		}
	}
	return uuid[i] == '\0' ? -1 : (int)i;
}

APMATRIX_EXPORT int apmatrix_mdev_new(struct apmatrix_ctx *ctx,
				      const char *uuid,
				      struct apmatrix_mdev **ret)
{
	struct apmatrix_mdev *mdev;
	int bad;

	if (!ctx || !uuid || !ret)
		return apmatrix_diag(ctx, -EINVAL, "mdev_new: NULL argument");
	bad = uuid_bad_offset(uuid);
	if (bad >= 0)
		return apmatrix_diag(ctx, -EINVAL,
				     "invalid UUID \"%.64s\": unexpected %s at "
				     "offset %d",
				     uuid, uuid[bad] ? "character" : "end",
				     bad);
	mdev = calloc(1, sizeof(*mdev));
	if (!mdev)
		return apmatrix_diag(ctx, -ENOMEM, "mdev_new: out of memory");
	mdev->refcount = 1;
	mdev->ctx = apmatrix_ref(ctx);
	for (size_t i = 0; i < APMATRIX_UUID_LEN; i++)
		mdev->uuid[i] = (char)tolower((unsigned char)uuid[i]);
	mdev->uuid[APMATRIX_UUID_LEN] = '\0';
	apmatrix_uuid_key(mdev->uuid, mdev->key);
	apmatrix_matrix_init_embedded(&mdev->matrix, ctx, mdev, mdev_owner_ref,
				      mdev_owner_unref);
	*ret = mdev;
	return 0;
}

APMATRIX_EXPORT struct apmatrix_mdev *
apmatrix_mdev_ref(struct apmatrix_mdev *mdev)
{
	if (mdev)
		mdev->refcount++;
	return mdev;
}

APMATRIX_EXPORT struct apmatrix_mdev *
apmatrix_mdev_unref(struct apmatrix_mdev *mdev)
{
	if (!mdev || --mdev->refcount > 0)
		return NULL;
	apmatrix_unref(mdev->ctx);
	free(mdev);
	return NULL;
}

APMATRIX_EXPORT struct apmatrix_ctx *
apmatrix_mdev_get_ctx(const struct apmatrix_mdev *mdev)
{
	return mdev ? mdev->ctx : NULL;
}

APMATRIX_EXPORT const char *
apmatrix_mdev_get_uuid(const struct apmatrix_mdev *mdev)
{
	return mdev ? mdev->uuid : NULL;
}

APMATRIX_EXPORT struct apmatrix_matrix *
apmatrix_mdev_get_matrix(struct apmatrix_mdev *mdev)
{
	return mdev ? &mdev->matrix : NULL;
}

APMATRIX_EXPORT unsigned int
apmatrix_mdev_get_state(const struct apmatrix_mdev *mdev)
{
	return mdev ? mdev->state : 0;
}

APMATRIX_EXPORT int apmatrix_mdev_set_state(struct apmatrix_mdev *mdev,
					    unsigned int state)
{
	const unsigned int known = APMATRIX_MDEV_ACTIVE |
				   APMATRIX_MDEV_DEFINED |
				   APMATRIX_MDEV_AUTOSTART;

	if (!mdev)
		return -EINVAL;
	if (!apmatrix_flags_ok(state, known))
		return apmatrix_diag(mdev->ctx, -EINVAL,
				     "mdev %s: unknown state bits 0x%x",
				     mdev->uuid, state & ~known);
	if ((state & APMATRIX_MDEV_AUTOSTART) &&
	    !(state & APMATRIX_MDEV_DEFINED))
		return apmatrix_diag(mdev->ctx, -EINVAL,
				     "mdev %s: autostart needs a persistent "
				     "definition",
				     mdev->uuid);
	mdev->state = state;
	return 0;
}
