/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A vfio_ap mediated device: its identity (UUID, parent, type) and up to
 * three configurations, one per role (live, defined, guest), each a matrix.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-internal.h"

#define DEFAULT_PARENT "matrix"
#define DEFAULT_TYPE "vfio_ap-passthrough"

static void mdev_owner_ref(void *owner)
{
	apmatrix_mdev_ref(owner);
}

static void mdev_owner_unref(void *owner)
{
	apmatrix_mdev_unref(owner);
}

/* 8-4-4-4-12 hex digits; returns the offset of the first bad char or -1. */
int apmatrix_uuid_bad_offset(const char *uuid)
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
	char q[APMATRIX_QUOTE_SIZE];
	int bad;

	apmatrix_diag_clear(ctx);
	if (!ctx || !uuid || !ret)
		return apmatrix_diag(ctx, -EINVAL, "mdev_new: NULL argument");
	bad = apmatrix_uuid_bad_offset(uuid);
	if (bad >= 0)
		return apmatrix_diag(
			ctx, -EINVAL,
			"invalid UUID %s: unexpected %s at "
			"offset %d",
			apmatrix_diag_quote(q, sizeof(q), uuid, SIZE_MAX),
			uuid[bad] ? "character" : "end", bad);
	mdev = calloc(1, sizeof(*mdev));
	if (!mdev)
		return apmatrix_diag(ctx, -ENOMEM, "mdev_new: out of memory");
	mdev->refcount = 1;
	mdev->ctx = apmatrix_ref(ctx);
	for (size_t i = 0; i < APMATRIX_UUID_LEN; i++)
		mdev->uuid[i] = (char)tolower((unsigned char)uuid[i]);
	mdev->uuid[APMATRIX_UUID_LEN] = '\0';
	apmatrix_uuid_key(mdev->uuid, mdev->key);
	mdev->parent = strdup(DEFAULT_PARENT);
	mdev->type = strdup(DEFAULT_TYPE);
	if (!mdev->parent || !mdev->type) {
		apmatrix_mdev_unref(mdev);
		return apmatrix_diag(ctx, -ENOMEM, "mdev_new: out of memory");
	}
	for (unsigned int i = 0; i < APMATRIX_CONFIG_COUNT; i++)
		apmatrix_matrix_init_embedded(&mdev->config[i], ctx, mdev,
					      mdev_owner_ref, mdev_owner_unref);
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
	free(mdev->parent);
	free(mdev->type);
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

APMATRIX_EXPORT const char *
apmatrix_mdev_get_parent(const struct apmatrix_mdev *mdev)
{
	return mdev ? mdev->parent : NULL;
}

APMATRIX_EXPORT const char *
apmatrix_mdev_get_type(const struct apmatrix_mdev *mdev)
{
	return mdev ? mdev->type : NULL;
}

/*
 * Parent and type name a directory under /sys/devices and a file under
 * /etc/mdevctl.d: one path component, printable.
 */
static int set_name(struct apmatrix_mdev *mdev, const char *what, char **dst,
		    const char *name)
{
	char q[APMATRIX_QUOTE_SIZE];
	const char *why = NULL;
	char *copy;
	size_t len;

	apmatrix_diag_clear(mdev->ctx);
	if (!name)
		return apmatrix_diag(mdev->ctx, -EINVAL, "mdev %s: NULL %s",
				     mdev->uuid, what);
	len = strlen(name);
	if (len == 0)
		why = "is empty";
	else if (len > APMATRIX_NAME_MAX)
		why = "is longer than 255 bytes";
	else if (!strcmp(name, ".") || !strcmp(name, ".."))
		why = "is not a name";
	else if (strchr(name, '/'))
		why = "contains '/'";
	for (size_t i = 0; !why && i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			why = "contains a control character";
	if (why)
		return apmatrix_diag(
			mdev->ctx, -EINVAL, "mdev %s: %s %s %s", mdev->uuid,
			what, apmatrix_diag_quote(q, sizeof(q), name, SIZE_MAX),
			why);
	copy = strdup(name);
	if (!copy)
		return apmatrix_diag(mdev->ctx, -ENOMEM,
				     "mdev %s: %s: out of memory", mdev->uuid,
				     what);
	free(*dst);
	*dst = copy;
	return 0;
}

APMATRIX_EXPORT int apmatrix_mdev_set_parent(struct apmatrix_mdev *mdev,
					     const char *parent)
{
	if (!mdev)
		return -EINVAL;
	return set_name(mdev, "parent", &mdev->parent, parent);
}

APMATRIX_EXPORT int apmatrix_mdev_set_type(struct apmatrix_mdev *mdev,
					   const char *type)
{
	if (!mdev)
		return -EINVAL;
	return set_name(mdev, "type", &mdev->type, type);
}

static void config_clear(struct apmatrix_matrix *m)
{
	memset(&m->adapters.bits, 0, sizeof(m->adapters.bits));
	memset(&m->domains.bits, 0, sizeof(m->domains.bits));
	memset(&m->controls.bits, 0, sizeof(m->controls.bits));
}

/* The role's slot in mdev->config, or -EINVAL with a diagnostic. */
static int role_slot(struct apmatrix_mdev *mdev, unsigned int role,
		     unsigned int flags, const char *fn)
{
	int slot = apmatrix_role_slot(role);

	if (slot < 0)
		return apmatrix_diag(mdev->ctx, -EINVAL,
				     "%s: mdev %s: unknown role %u", fn,
				     mdev->uuid, role);
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(mdev->ctx, -EINVAL,
				     "%s: mdev %s: unknown flags 0x%x", fn,
				     mdev->uuid, flags);
	return slot;
}

/* Add (add = 1) or remove a configuration: one path for both. */
static int change_config(struct apmatrix_mdev *mdev, unsigned int role,
			 unsigned int flags, int add)
{
	int slot;

	if (!mdev)
		return -EINVAL;
	apmatrix_diag_clear(mdev->ctx);
	slot = role_slot(mdev, role, flags,
			 add ? "mdev_add_config" : "mdev_remove_config");
	if (slot < 0)
		return slot;
	if (add && (mdev->roles & role))
		return apmatrix_diag(mdev->ctx, -EEXIST,
				     "mdev %s already has a %s configuration",
				     mdev->uuid, apmatrix_role_name(role));
	if (!add && !(mdev->roles & role))
		return apmatrix_diag(mdev->ctx, -ENOENT,
				     "mdev %s has no %s configuration",
				     mdev->uuid, apmatrix_role_name(role));
	/* A configuration added again starts empty, and manual. */
	config_clear(&mdev->config[slot]);
	if (role == APMATRIX_ROLE_DEFINED)
		mdev->autostart = 0;
	if (add)
		mdev->roles |= role;
	else
		mdev->roles &= ~role;
	return 0;
}

APMATRIX_EXPORT int apmatrix_mdev_add_config(struct apmatrix_mdev *mdev,
					     unsigned int role,
					     unsigned int flags)
{
	return change_config(mdev, role, flags, 1);
}

APMATRIX_EXPORT int apmatrix_mdev_remove_config(struct apmatrix_mdev *mdev,
						unsigned int role,
						unsigned int flags)
{
	return change_config(mdev, role, flags, 0);
}

APMATRIX_EXPORT int apmatrix_mdev_has_config(const struct apmatrix_mdev *mdev,
					     unsigned int role)
{
	return mdev && apmatrix_role_slot(role) >= 0 && (mdev->roles & role);
}

APMATRIX_EXPORT struct apmatrix_matrix *
apmatrix_mdev_get_matrix(struct apmatrix_mdev *mdev, unsigned int role)
{
	if (!apmatrix_mdev_has_config(mdev, role))
		return NULL;
	return &mdev->config[apmatrix_role_slot(role)];
}

APMATRIX_EXPORT int
apmatrix_mdev_get_autostart(const struct apmatrix_mdev *mdev)
{
	if (!mdev)
		return -EINVAL;
	apmatrix_diag_clear(mdev->ctx);
	if (!(mdev->roles & APMATRIX_ROLE_DEFINED))
		return apmatrix_diag(mdev->ctx, -ENOENT,
				     "mdev %s has no definition, so no start "
				     "mode",
				     mdev->uuid);
	return mdev->autostart;
}

APMATRIX_EXPORT int apmatrix_mdev_set_autostart(struct apmatrix_mdev *mdev,
						int autostart)
{
	if (!mdev)
		return -EINVAL;
	apmatrix_diag_clear(mdev->ctx);
	if (autostart != 0 && autostart != 1)
		return apmatrix_diag(mdev->ctx, -EINVAL,
				     "mdev %s: autostart must be 0 or 1, not "
				     "%d",
				     mdev->uuid, autostart);
	if (!(mdev->roles & APMATRIX_ROLE_DEFINED))
		return apmatrix_diag(mdev->ctx, -ENOENT,
				     "mdev %s has no definition to start "
				     "automatically",
				     mdev->uuid);
	mdev->autostart = autostart;
	return 0;
}

APMATRIX_EXPORT unsigned int
apmatrix_mdev_get_state(const struct apmatrix_mdev *mdev)
{
	return mdev ? apmatrix_mdev_state(mdev) : 0;
}
