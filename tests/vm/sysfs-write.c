// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sysfs-write PATH DATA...: write each DATA argument to PATH with a single
 * write(2) on a fresh open (exactly the bytes given; add "\n" yourself) and
 * print "OK" or the errno name (EINVAL, ENODEV, ...), one line per DATA.
 * Exit 0 when every write succeeded, 1 when one failed, 2 on usage errors.
 * Shell redirections cannot report the errno, and the tests assert errnos.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PATH DATA...\n", argv[0]);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		size_t len = strlen(argv[i]);
		int fd = open(argv[1], O_WRONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0) {
			printf("%s\n", strerrorname_np(errno) ?: "E?");
			rc = 1;
			continue;
		}
		n = write(fd, argv[i], len);
		if (n < 0) {
			printf("%s\n", strerrorname_np(errno) ?: "E?");
			rc = 1;
		} else if ((size_t)n != len) {
			printf("SHORT %zd/%zu\n", n, len);
			rc = 1;
		} else {
			printf("OK\n");
		}
		close(fd);
	}
	return rc;
}
