/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl capture DIR: the AP part of sysfs and the persistent
 * configuration, copied so that `apmatrixctl --root DIR` reads them on
 * another machine (support cases). DIR/sys gets bus/ap, devices/ap and
 * devices/vfio_ap: readable attributes as files with the text they read,
 * links inside those trees as relative links; write-only attributes,
 * power/, vfio-dev/ and links out of the trees are left out. DIR/etc gets
 * mdevctl.d/matrix and udev/rules.d/41-ap.rules; DIR/run/lock is made so
 * the lock works there.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static const char *const tops[] = {"bus/ap", "devices/ap", "devices/vfio_ap"};

struct capture {
	struct ctl *ctl;
	char src[PATH_MAX]; /* real path of the source root */
	char dst[PATH_MAX];
	unsigned int files, links;
	int err;
};

/* A path into a PATH_MAX buffer; -ENAMETOOLONG when it does not fit. */
static int __attribute__((format(printf, 2, 3)))
pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

static int inside(const char *rel)
{
	for (size_t i = 0; i < sizeof(tops) / sizeof(tops[0]); i++) {
		size_t n = strlen(tops[i]);

		if (!strncmp(rel, tops[i], n) && (!rel[n] || rel[n] == '/'))
			return 1;
	}
	return 0;
}

static int mkdirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int copy_file(const char *from, const char *to, int must)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return must ? -errno : 0;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		   0644);
	if (out < 0) {
		int e = -errno;

		close(in);
		return e;
	}
	/* A sysfs attribute that cannot be read (EIO, EPERM...) is left
	 * empty rather than failing the whole capture. */
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			int e = -errno;

			close(in);
			close(out);
			return e ? e : -EIO;
		}
	}
	if (n < 0 && must) {
		int e = -errno;

		close(in);
		close(out);
		return e;
	}
	close(in);
	if (close(out) < 0)
		return -errno;
	return 1;
}

/*
 * The shortest link from directory @p dir to @p target, both relative to
 * the root: the common leading directories dropped, "../" for each one of
 * @p dir left.
 */
static int relative_link(const char *dir, const char *target, char *buf)
{
	size_t i = 0, common = 0, len = 0;

	while (dir[i] && dir[i] == target[i]) {
		if (dir[i] == '/')
			common = i + 1;
		i++;
	}
	if (!dir[i] && target[i] == '/')
		common = i + 1;
	buf[0] = '\0';
	for (const char *p = dir + common; *p; p++) {
		if (p == dir + common || p[-1] == '/') {
			if (len + 3 >= PATH_MAX)
				return -ENAMETOOLONG;
			memcpy(buf + len, "../", 4);
			len += 3;
		}
	}
	return pathf(buf + len, "%s", target + common);
}

static int walk(struct capture *c, const char *rel)
{
	char path[PATH_MAX], out[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int r = 0;

	if (pathf(path, "%s/%s", c->src, rel) < 0 ||
	    pathf(out, "%s/sys/%s", c->dst, rel) < 0)
		return -ENAMETOOLONG;
	r = mkdirs(out);
	if (r < 0)
		return r;
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while (r >= 0 && (de = readdir(dir))) {
		char sp[PATH_MAX], dp[PATH_MAX], sub[PATH_MAX];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (pathf(sub, "%s/%s", rel, de->d_name) < 0 ||
		    pathf(sp, "%s/%s", c->src, sub) < 0 ||
		    pathf(dp, "%s/sys/%s", c->dst, sub) < 0) {
			r = -ENAMETOOLONG;
			break;
		}
		if (lstat(sp, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX], link[PATH_MAX];
			const char *t;
			size_t n = strlen(c->src);

			if (!realpath(sp, target) ||
			    strncmp(target, c->src, n) || target[n] != '/')
				continue;
			t = target + n + 1;
			if (!inside(t))
				continue;
			if (relative_link(rel, t, link) < 0)
				continue;
			if (symlink(link, dp) < 0)
				r = -errno;
			c->links++;
		} else if (S_ISDIR(st.st_mode)) {
			if (!strcmp(de->d_name, "power") ||
			    !strcmp(de->d_name, "vfio-dev"))
				continue;
			r = walk(c, sub);
		} else if (S_ISREG(st.st_mode) && (st.st_mode & 0444)) {
			r = copy_file(sp, dp, 0);
			if (r > 0 && ++c->files % 1000 == 0)
				ctl_progress(c->ctl, "capture: %u files",
					     c->files);
		}
	}
	closedir(dir);
	return r < 0 ? r : 0;
}

static int copy_etc(struct capture *c, const char *etc, const char *rel,
		    int dir)
{
	char from[PATH_MAX], to[PATH_MAX];
	int r;

	if (pathf(from, "%s/%s", etc, rel) < 0 ||
	    pathf(to, "%s/etc/%s", c->dst, rel) < 0)
		return -ENAMETOOLONG;
	if (!dir) {
		char parent[PATH_MAX];

		snprintf(parent, sizeof(parent), "%s", to);
		*strrchr(parent, '/') = '\0';
		r = mkdirs(parent);
		if (r < 0)
			return r;
		r = copy_file(from, to, 1);
		return r == -ENOENT ? 0 : r < 0 ? r : 0;
	}
	r = mkdirs(to);
	if (r >= 0) {
		DIR *d = opendir(from);
		struct dirent *de;

		if (!d)
			return errno == ENOENT ? 0 : -errno;
		while (r >= 0 && (de = readdir(d))) {
			char f[PATH_MAX], t[PATH_MAX];
			struct stat st;

			if (pathf(f, "%s/%s", from, de->d_name) < 0 ||
			    pathf(t, "%s/%s", to, de->d_name) < 0) {
				r = -ENAMETOOLONG;
				break;
			}
			/* Definitions are regular files; a symlink is copied
			 * as a link, as mdevctl ignores it and so do we. */
			if (lstat(f, &st) < 0 || de->d_name[0] == '.')
				continue;
			if (S_ISREG(st.st_mode)) {
				r = copy_file(f, t, 1);
				c->files++;
			}
		}
		closedir(d);
	}
	return r < 0 ? r : 0;
}

static int run_capture(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {CTL_COMMON_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct capture c = {.ctl = ctl};
	const char *what = NULL;
	char run[PATH_MAX];
	DIR *d;
	int first, r = 0;

	first = ctl_parse(ctl, argc, argv, opts, NULL, NULL);
	if (first < 0)
		return -first - 1;
	r = ctl_operands(ctl, argc, first, 1, 1);
	if (r)
		return r;
	if (!realpath(apmatrix_get_root(ctl->ctx, APMATRIX_ROOT_SYSFS),
		      c.src)) {
		ctl_err(ctl, NULL, "sysfs root %s: %s",
			apmatrix_get_root(ctl->ctx, APMATRIX_ROOT_SYSFS),
			strerror(errno));
		return CTL_EXIT_FAILED;
	}
	/* Never mix a capture into other files. */
	d = opendir(argv[first]);
	if (d) {
		struct dirent *de;
		int empty = 1;

		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				empty = 0;
		closedir(d);
		if (!empty) {
			ctl_err(ctl, "give a new or empty directory",
				"capture: %s is not empty", argv[first]);
			return CTL_EXIT_FAILED;
		}
	}
	r = mkdirs(argv[first]);
	if (r < 0 || !realpath(argv[first], c.dst)) {
		ctl_err(ctl, NULL, "capture: cannot make %s: %s", argv[first],
			strerror(r < 0 ? -r : errno));
		return CTL_EXIT_FAILED;
	}
	ctl_progress(ctl, "capture: copying the AP part of %s", c.src);
	for (size_t i = 0; r >= 0 && i < sizeof(tops) / sizeof(tops[0]); i++) {
		what = tops[i];
		r = walk(&c, tops[i]);
	}
	if (r >= 0) {
		const char *etc =
			apmatrix_get_root(ctl->ctx, APMATRIX_ROOT_ETC);

		what = "mdevctl.d/matrix";
		r = copy_etc(&c, etc, "mdevctl.d/matrix", 1);
		if (r >= 0) {
			what = "udev/rules.d/41-ap.rules";
			r = copy_etc(&c, etc, "udev/rules.d/41-ap.rules", 0);
		}
	}
	if (r >= 0) {
		what = "run/lock";
		r = pathf(run, "%s/run/lock", c.dst);
		if (r >= 0)
			r = mkdirs(run);
	}
	if (r < 0) {
		ctl_err(ctl,
			"the capture in the directory is incomplete: remove it",
			"capture: %s: %s", what, strerror(-r));
		return CTL_EXIT_FAILED;
	}
	ctl_progress(ctl, "capture: %u files, %u links in %s", c.files, c.links,
		     c.dst);
	if (!ctl->quiet)
		printf("captured into %s; read it with: apmatrixctl --root %s "
		       "check\n",
		       c.dst, c.dst);
	return CTL_EXIT_OK;
}

const struct ctl_verb ctl_verb_capture = {
	"capture",
	"copy the AP part of sysfs and the definitions to a directory",
	"capture DIR", run_capture};
