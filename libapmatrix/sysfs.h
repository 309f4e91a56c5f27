/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading files under the context's sysfs root: every path is opened
 * relative to a directory descriptor, never above it.
 */
#ifndef APMATRIX_SYSFS_H
#define APMATRIX_SYSFS_H

#include <dirent.h>
#include <stddef.h>
#include <sys/types.h>

#include "apmatrix-internal.h"

struct apmatrix_sysfs {
	struct apmatrix_ctx *ctx;
	int root;        /* the sysfs root, O_PATH */
	int use_openat2; /* cleared when the kernel (or a seccomp filter)
			  * refuses openat2() */
};

/* Open the root; -errno with a diagnostic on failure. */
int apmatrix_sysfs_open(struct apmatrix_ctx *ctx, struct apmatrix_sysfs *fs);
void apmatrix_sysfs_close(struct apmatrix_sysfs *fs);

/*
 * Open @path relative to @dirfd (fs->root when -1) without leaving @dirfd
 * and without following a symbolic link in the last component. Returns the
 * fd or -errno (no diagnostic).
 */
int apmatrix_sysfs_openat(struct apmatrix_sysfs *fs, int dirfd,
			  const char *path, int flags);

/*
 * Read a whole attribute into @buf (NUL-terminated; at most size - 1
 * bytes). Returns its length, or -ENOENT when it does not exist (also for
 * a device that went away while being read), or another -errno (no
 * diagnostic).
 */
ssize_t apmatrix_sysfs_read(struct apmatrix_sysfs *fs, int dirfd,
			    const char *path, char *buf, size_t size);

/* A directory to list, or NULL with errno set. */
DIR *apmatrix_sysfs_opendir(struct apmatrix_sysfs *fs, int dirfd,
			    const char *path);

/*
 * Write @len bytes of @buf to an attribute in one write(2), as the kernel's
 * store functions take them. Returns 0 or the kernel's -errno as is (no
 * diagnostic); a short write is -EIO.
 */
int apmatrix_sysfs_write(struct apmatrix_sysfs *fs, int dirfd,
			 const char *path, const char *buf, size_t len);

#endif
