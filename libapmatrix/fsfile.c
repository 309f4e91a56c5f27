// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Files that peers read (mdevctl definitions, 41-ap.rules) are replaced so
 * that a crash at any point leaves the old or the new content, never a mix:
 * temporary file in the same directory, fsync, rename, fsync of the
 * directory. Every path is walked with openat() and O_NOFOLLOW below a
 * directory fd, so a symlink planted in the store never redirects a write.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store-internal.h"

int apmatrix_open_dir(int dirfd, const char *relpath, int create,
		      const char **failed)
{
	char comp[256];
	const char *p = relpath;
	int fd = dirfd, next;

	*failed = relpath;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || n >= sizeof(comp))
			goto inval;
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0)
			goto inval;
		*failed = p;
		next = openat(fd, comp,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0777) < 0 && errno != EEXIST)
				goto fail;
			next = openat(fd, comp,
				      O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					      O_CLOEXEC);
		}
		if (next < 0) {
			/* O_NOFOLLOW on a symlink: ELOOP; O_DIRECTORY on one
			 * with O_NOFOLLOW gives ENOTDIR on some kernels. */
			if (errno == ENOTDIR) {
				struct stat st;

				if (fstatat(fd, comp, &st,
					    AT_SYMLINK_NOFOLLOW) == 0 &&
				    S_ISLNK(st.st_mode))
					errno = ELOOP;
			}
			goto fail;
		}
		if (fd != dirfd)
			close(fd);
		fd = next;
		p += n;
		while (*p == '/')
			p++;
	}
	if (fd == dirfd) {
		fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
	}
	return fd;
inval:
	if (fd != dirfd)
		close(fd);
	return -EINVAL;
fail : {
	int e = errno;

	if (fd != dirfd)
		close(fd);
	return -e;
}
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Temporary files of @name left by writers that were killed: `.<name>.<pid>.
 * <hex>.tmp` whose process is gone. Hidden names, so mdevctl and libap skip
 * them; removing them keeps the directory from filling up.
 */
static void remove_stale_temps(int dirfd, const char *name)
{
	size_t nlen = strlen(name);
	struct dirent *de;
	DIR *dir;
	int fd;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		const char *p = de->d_name;
		char *end;
		long pid;

		if (p[0] != '.' || strncmp(p + 1, name, nlen) != 0 ||
		    p[1 + nlen] != '.')
			continue;
		pid = strtol(p + 2 + nlen, &end, 10);
		if (end == p + 2 + nlen || *end != '.' || pid <= 0 ||
		    strcmp(end + strlen(end) - 4, ".tmp") != 0)
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			unlinkat(dirfd, p, 0);
	}
	closedir(dir);
}

int apmatrix_replace_file(int dirfd, const char *name, const void *data,
			  size_t len, int exclusive)
{
	char tmp[300];
	struct stat st;
	int have_old = 0, fd = -1, r;
	struct timespec ts;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
		if (!S_ISREG(st.st_mode))
			return -EINVAL;
		if (exclusive)
			return -EEXIST;
		have_old = 1;
	} else if (errno != ENOENT) {
		return -errno;
	}
	/* A hidden name mdevctl and libap skip as "not a UUID". */
	for (int attempt = 0; fd < 0; attempt++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(tmp, sizeof(tmp), ".%s.%ld.%lx.tmp", name,
			 (long)getpid(),
			 (unsigned long)ts.tv_nsec ^ (unsigned long)attempt);
		fd = openat(dirfd, tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC,
			    0666);
		if (fd < 0 && (errno != EEXIST || attempt > 100))
			return -errno;
	}
	r = write_all(fd, data, len);
	if (!r && have_old && fchmod(fd, st.st_mode & 07777) < 0)
		r = -errno;
	if (!r && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && !r)
		r = -errno;
	if (!r && exclusive) {
		/* link() never replaces: a definition that appeared since
		 * the check above stays (EEXIST). */
		if (linkat(dirfd, tmp, dirfd, name, 0) < 0)
			r = -errno;
		unlinkat(dirfd, tmp, 0);
	} else if (!r) {
		if (renameat(dirfd, tmp, dirfd, name) < 0)
			r = -errno;
	}
	if (r) {
		unlinkat(dirfd, tmp, 0);
		return r;
	}
	if (fsync(dirfd) < 0)
		return -errno;
	remove_stale_temps(dirfd, name);
	return 0;
}

int apmatrix_remove_file(int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (unlinkat(dirfd, name, 0) < 0)
		return -errno;
	if (fsync(dirfd) < 0)
		return -errno;
	return 0;
}

int apmatrix_read_file(int dirfd, const char *name, size_t max, char **ret,
		       size_t *len)
{
	size_t alloc, n = 0;
	struct stat st;
	char *buf;
	int fd, r = 0;

	fd = openat(dirfd, name,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	alloc = (size_t)st.st_size + 2;
	buf = malloc(alloc);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t got;

		if (n + 1 >= alloc) {
			char *nb;

			if (alloc > max + 1) {
				r = -EFBIG;
				break;
			}
			alloc *= 2;
			nb = realloc(buf, alloc);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
		}
		got = read(fd, buf + n, alloc - 1 - n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			r = -EFBIG;
			break;
		}
	}
	close(fd);
	if (r) {
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*ret = buf;
	*len = n;
	return 0;
}
