/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one way the library reads sysfs: openat() relative to a directory
 * descriptor of the context's sysfs root, so a fixture tree, a captured
 * host or a container's /sys are read exactly like the real one.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysfs.h"

int apmatrix_sysfs_open(struct apmatrix_ctx *ctx, struct apmatrix_sysfs *fs)
{
	const char *root = apmatrix_get_root(ctx, APMATRIX_ROOT_SYSFS);
	char q[APMATRIX_QUOTE_SIZE];

	fs->ctx = ctx;
	fs->use_openat2 = 1;
	fs->root = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fs->root < 0) {
		int e = errno;

		return apmatrix_diag(
			ctx, -e, "cannot open the sysfs root %s: %s",
			apmatrix_diag_quote(q, sizeof(q), root, SIZE_MAX),
			strerror(e));
	}
	return 0;
}

void apmatrix_sysfs_close(struct apmatrix_sysfs *fs)
{
	if (fs->root >= 0)
		close(fs->root);
	fs->root = -1;
}

int apmatrix_sysfs_openat(struct apmatrix_sysfs *fs, int dirfd,
			  const char *path, int flags)
{
	int fd;

	if (dirfd < 0)
		dirfd = fs->root;
	flags |= O_CLOEXEC | O_NOFOLLOW;
	if (fs->use_openat2) {
		struct open_how how;

		memset(&how, 0, sizeof(how));
		how.flags = (unsigned long long)flags;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS && errno != EPERM)
			return -errno;
		fs->use_openat2 = 0;
	}
	fd = openat(dirfd, path, flags);
	return fd < 0 ? -errno : fd;
}

ssize_t apmatrix_sysfs_read(struct apmatrix_sysfs *fs, int dirfd,
			    const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int fd = apmatrix_sysfs_openat(fs, dirfd, path, O_RDONLY);

	if (fd < 0)
		return fd == -ENODEV || fd == -ENXIO ? -ENOENT : fd;
	/*
	 * sysfs hands out a whole attribute on the first read; a short read
	 * of a regular file (a fixture) also means its end, so a second
	 * read is only needed when the buffer filled up.
	 */
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			return e == ENODEV || e == ENXIO ? -ENOENT : -e;
		}
		len += (size_t)n;
		if (n == 0 || len == size - 1 ||
		    (size_t)n < size - 1 - (len - (size_t)n))
			break;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

DIR *apmatrix_sysfs_opendir(struct apmatrix_sysfs *fs, int dirfd,
			    const char *path)
{
	int fd = apmatrix_sysfs_openat(fs, dirfd, path, O_RDONLY | O_DIRECTORY);
	DIR *dir;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	dir = fdopendir(fd);
	if (!dir) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return dir;
}

int apmatrix_sysfs_write(struct apmatrix_sysfs *fs, int dirfd, const char *path,
			 const char *buf, size_t len)
{
	int fd = apmatrix_sysfs_openat(fs, dirfd, path, O_WRONLY);
	ssize_t n;
	int r;

	if (fd < 0)
		return fd;
	/* one write(2): the kernel's store gets the whole text at once */
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	r = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	close(fd);
	return r;
}
