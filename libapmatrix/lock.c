// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The s390apconfig lock: the file lock s390-tools (ap-check, chzdev) take
 * around every change of the AP configuration, in their protocol, so that
 * they exclude us and we exclude them:
 *
 * - the lock is <run root>/lock/s390apconfig.lock; it is held while that
 *   name exists and names a live process in its first line ("<pid>\n");
 * - a process writes its PID into a new temporary file next to it, named
 *   <lock><pid %05d><time & 255 %02x>, opened O_EXCL, and link()s that file
 *   to the lock name: the link succeeds for exactly one contender;
 * - a lock whose PID is gone (kill(pid, 0) fails with ESRCH), or that names
 *   no PID and is older than 120 s, is stale: it is removed and the link
 *   tried again at once; otherwise the contender sleeps briefly and retries;
 * - only the process the file names removes it.
 * The callout variant holds the lock in the name of the parent process
 * (mdevctl), so it survives from the "pre" to the "post" callout.
 *
 * Two deliberate deviations, both invisible to peers: a first line that is
 * not a positive number is treated like an empty file (s390-tools' atoi()
 * would hand 0 or a negative number to kill(), which addresses process
 * groups), and a stale file is only removed if it is still the file that
 * was judged (same inode), which narrows the window in which two contenders
 * that both judged it stale remove each other's fresh lock.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "apmatrix-internal.h"

#define LOCK_NAME "lock/s390apconfig.lock"
/* A lock that names no PID is stale after this long (s390-tools: 120 s). */
#define LOCK_EMPTY_STALE_S 120
/* Between two attempts: 30 ms plus up to 3 ms of jitter, as libap. */
#define LOCK_DELAY_US 30000
#define LOCK_JITTER_US 3000
/* s390-tools reads at most this much of the file. */
#define LOCK_READ_MAX 39

enum lock_state {
	LOCK_HELD = 1,      /* taken by this object */
	LOCK_INHERITED = 2, /* the parent held it already */
	LOCK_RELEASED = 3,
};

struct apmatrix_lock {
	int refcount;
	struct apmatrix_ctx *ctx;
	char *path;
	pid_t owner; /* the PID the lock file names */
	pid_t self;  /* the process that acquired it */
	unsigned int flags;
	enum lock_state state;
};

/* What the lock file says about its holder. */
struct holder {
	pid_t pid;      /* > 0 when the file names one */
	int stale;      /* 1: remove it and retry */
	struct stat st; /* of the file that was read */
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A positive decimal PID at the start of the text, or 0. */
static pid_t parse_pid(const char *text)
{
	long long v = 0;
	const char *p = text;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > 0x7fffffff)
			return 0;
	}
	return (pid_t)v;
}

/*
 * Read the lock file. Returns 0 with *h filled, -ENOENT when it vanished
 * (retry at once), or another negative errno with a diagnostic.
 */
static int read_holder(struct apmatrix_ctx *ctx, const char *path,
		       struct holder *h)
{
	char buf[LOCK_READ_MAX + 1];
	ssize_t n;
	int fd, err;

	memset(h, 0, sizeof(*h));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return apmatrix_diag(ctx, -errno,
				     "cannot read lock file %s: %s", path,
				     strerror(errno));
	}
	if (fstat(fd, &h->st) < 0 || !S_ISREG(h->st.st_mode)) {
		close(fd);
		return apmatrix_diag(ctx, -ENOLCK,
				     "lock file %s is not a regular file",
				     path);
	}
	n = read(fd, buf, LOCK_READ_MAX);
	err = errno;
	close(fd);
	if (n < 0)
		return apmatrix_diag(ctx, -err, "cannot read lock file %s: %s",
				     path, strerror(err));
	buf[n] = '\0';
	h->pid = parse_pid(buf);
	if (h->pid > 0) {
		/* EPERM: alive, only not ours to signal. */
		h->stale = kill(h->pid, 0) < 0 && errno == ESRCH;
	} else {
		h->stale = time(NULL) > h->st.st_mtime + LOCK_EMPTY_STALE_S;
	}
	return 0;
}

/* Remove a stale lock file, unless it was replaced since it was read. */
static int remove_stale(struct apmatrix_ctx *ctx, const char *path,
			const struct holder *h)
{
	struct stat now;

	if (lstat(path, &now) < 0)
		return 0;
	/* the inode number alone may be reused by a new file at once */
	if (now.st_ino != h->st.st_ino || now.st_dev != h->st.st_dev ||
	    now.st_ctim.tv_sec != h->st.st_ctim.tv_sec ||
	    now.st_ctim.tv_nsec != h->st.st_ctim.tv_nsec)
		return 0;
	if (unlink(path) < 0 && errno != ENOENT)
		return apmatrix_diag(ctx, -errno,
				     "cannot remove stale lock file %s: %s",
				     path, strerror(errno));
	if (h->pid > 0)
		info(ctx, "removed stale lock %s of PID %d (gone)", path,
		     (int)h->pid);
	else
		info(ctx, "removed stale lock %s (no PID for %d s)", path,
		     LOCK_EMPTY_STALE_S);
	return 0;
}

/* " (comm)" of a process, or "" when /proc does not say. */
static void describe_pid(pid_t pid, char *buf, size_t size)
{
	char path[64], comm[64], q[APMATRIX_QUOTE_SIZE];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return;
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	snprintf(buf, size, " (%s%s)",
		 apmatrix_diag_quote(q, sizeof(q), comm, SIZE_MAX),
		 pid == getppid() ? ", our parent" : "");
}

static void sleep_before_retry(unsigned int *seed, long long left_ms)
{
	struct timespec ts;
	long long us;

	/* xorshift32: jitter only, so contenders do not retry in step */
	*seed ^= *seed << 13;
	*seed ^= *seed >> 17;
	*seed ^= *seed << 5;
	us = LOCK_DELAY_US + *seed % LOCK_JITTER_US;
	if (left_ms >= 0 && us > left_ms * 1000)
		us = left_ms * 1000;
	ts.tv_sec = (time_t)(us / 1000000);
	ts.tv_nsec = (long)(us % 1000000) * 1000;
	nanosleep(&ts, NULL); /* EINTR: the loop checks the deadline */
}

static char *lock_path(const struct apmatrix_ctx *ctx)
{
	const char *root = ctx->roots[APMATRIX_ROOT_RUN];
	size_t len = strlen(root);
	char *path;

	while (len > 1 && root[len - 1] == '/')
		len--;
	if (len == 1 && root[0] == '/')
		len = 0;
	path = malloc(len + sizeof("/" LOCK_NAME));
	if (path)
		sprintf(path, "%.*s/%s", (int)len, root, LOCK_NAME);
	return path;
}

/* The temporary file with the owner's PID, named as s390-tools names it. */
static int make_temp(struct apmatrix_ctx *ctx, const char *path, pid_t owner,
		     char *tmp, size_t size)
{
	char line[24];
	int fd, len, err;

	if ((size_t)snprintf(tmp, size, "%s%05d%02x", path, (int)getpid(),
			     (unsigned int)time(NULL) & 255) >= size)
		return apmatrix_diag(ctx, -ENAMETOOLONG,
				     "lock path too long: %.64s...", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			return -EAGAIN; /* ours from another thread, or a
					 * leftover: the name changes in 1 s */
		err = -errno;
		return apmatrix_diag(ctx, err, "cannot create %s: %s", tmp,
				     strerror(-err));
	}
	len = snprintf(line, sizeof(line), "%d\n", (int)owner);
	if (write(fd, line, (size_t)len) != len) {
		err = errno ? -errno : -EIO;
		close(fd);
		unlink(tmp);
		return apmatrix_diag(ctx, err, "cannot write %s: %s", tmp,
				     strerror(-err));
	}
	if (close(fd) < 0) {
		err = -errno;
		unlink(tmp);
		return apmatrix_diag(ctx, err, "cannot write %s: %s", tmp,
				     strerror(-err));
	}
	return 0;
}

static int lock_new(struct apmatrix_ctx *ctx, char *path, pid_t owner,
		    unsigned int flags, enum lock_state state,
		    struct apmatrix_lock **ret)
{
	struct apmatrix_lock *lock = calloc(1, sizeof(*lock));

	if (!lock)
		return -ENOMEM;
	lock->refcount = 1;
	lock->ctx = apmatrix_ref(ctx);
	lock->path = path;
	lock->owner = owner;
	lock->self = getpid();
	lock->flags = flags;
	lock->state = state;
	*ret = lock;
	return 0;
}

/*
 * One contender's loop. Returns 0 (linked), 1 (the owner holds it already),
 * 2 (this process holds it, for itself or its parent: waiting would never
 * end) or a negative errno with a diagnostic. *holder is the last holder
 * seen.
 */
static int contend(struct apmatrix_ctx *ctx, const char *path, pid_t owner,
		   int timeout_ms, pid_t *holder)
{
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	unsigned int seed = (unsigned int)getpid() ^ (unsigned int)now_ms();
	char tmp[4096 + 16];
	int have_tmp = 0, r = 0;

	*holder = 0;
	for (;;) {
		struct holder h;
		long long left;

		if (!have_tmp) {
			r = make_temp(ctx, path, owner, tmp, sizeof(tmp));
			if (r == 0)
				have_tmp = 1;
			else if (r != -EAGAIN)
				return r;
		}
		if (have_tmp) {
			if (link(tmp, path) == 0) {
				r = 0;
				break;
			}
			if (errno != EEXIST) {
				r = apmatrix_diag(ctx, -errno,
						  "cannot link %s to %s: %s",
						  tmp, path, strerror(errno));
				break;
			}
			r = read_holder(ctx, path, &h);
			if (r == -ENOENT)
				continue; /* released meanwhile: at once */
			if (r < 0)
				break;
			*holder = h.pid;
			if (h.pid == owner || h.pid == getpid()) {
				r = h.pid == owner ? 1 : 2;
				break;
			}
			if (h.stale) {
				r = remove_stale(ctx, path, &h);
				if (r < 0)
					break;
				continue;
			}
		}
		left = deadline < 0 ? -1 : deadline - now_ms();
		if (deadline >= 0 && left <= 0 && !have_tmp) {
			*holder = -1;
			r = apmatrix_diag(
				ctx, -ETIMEDOUT,
				"timed out after %d ms: the temporary "
				"file %s exists (another thread of "
				"this process is taking the lock, or "
				"a leftover of a process with this "
				"PID)",
				timeout_ms, tmp);
			break;
		}
		if (deadline >= 0 && left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		sleep_before_retry(&seed, left);
	}
	if (have_tmp)
		unlink(tmp);
	return r;
}

APMATRIX_EXPORT int apmatrix_lock_acquire(struct apmatrix_ctx *ctx,
					  int timeout_ms, unsigned int flags,
					  struct apmatrix_lock **ret)
{
	pid_t owner, holder;
	char who[APMATRIX_QUOTE_SIZE + 32];
	char *path;
	int r;

	if (!ctx)
		return -EINVAL;
	apmatrix_diag_clear(ctx);
	if (!ret)
		return apmatrix_diag(ctx, -EINVAL, "lock_acquire: NULL ret");
	if (timeout_ms < -1)
		return apmatrix_diag(ctx, -EINVAL,
				     "lock timeout %d ms: must be -1 (wait "
				     "forever) or 0 and more",
				     timeout_ms);
	if (!apmatrix_flags_ok(flags, APMATRIX_LOCK_PARENT))
		return apmatrix_diag(
			ctx, -EINVAL, "unknown lock flags 0x%x",
			flags & ~(unsigned int)APMATRIX_LOCK_PARENT);
	path = lock_path(ctx);
	if (!path)
		return apmatrix_diag(ctx, -ENOMEM,
				     "lock_acquire: out of memory");
	owner = (flags & APMATRIX_LOCK_PARENT) ? getppid() : getpid();
	if (owner == 1 && (flags & APMATRIX_LOCK_PARENT)) {
		/* The parent is gone and init adopted us: a lock in init's
		 * name would never be stale, and would block every peer
		 * until someone removes the file by hand. */
		free(path);
		return apmatrix_diag(
			ctx, -ESRCH,
			"the parent process is gone (PID 1 adopted "
			"this one): not taking the s390apconfig "
			"lock in its name");
	}

	r = contend(ctx, path, owner, timeout_ms, &holder);
	if (r == 2 || (r == 1 && !(flags & APMATRIX_LOCK_PARENT))) {
		apmatrix_diag(ctx, -EDEADLK,
			      "the s390apconfig lock %s is already held by "
			      "this process (PID %d)",
			      path, (int)getpid());
		free(path);
		return -EDEADLK;
	}
	if (r == -ETIMEDOUT && holder >= 0) {
		describe_pid(holder, who, sizeof(who));
		if (holder > 0)
			apmatrix_diag(ctx, r,
				      "timed out after %d ms: the s390apconfig "
				      "lock %s is held by PID %d%s",
				      timeout_ms, path, (int)holder, who);
		else
			apmatrix_diag(ctx, r,
				      "timed out after %d ms: the s390apconfig "
				      "lock %s names no PID (stale after %d s)",
				      timeout_ms, path, LOCK_EMPTY_STALE_S);
	}
	if (r < 0) {
		free(path);
		return r;
	}
	if (lock_new(ctx, path, owner, flags,
		     r == 1 ? LOCK_INHERITED : LOCK_HELD, ret) < 0) {
		/* do not keep a lock nobody can release */
		if (r == 0)
			unlink(path);
		free(path);
		return apmatrix_diag(ctx, -ENOMEM,
				     "lock_acquire: out of memory");
	}
	dbg(ctx, "s390apconfig lock %s %s for PID %d", path,
	    r == 1 ? "already held by the parent" : "taken", (int)owner);
	return r;
}

/* Remove the lock file if it names the owner. */
static int lock_release(struct apmatrix_lock *lock)
{
	struct apmatrix_ctx *ctx = lock->ctx;
	struct holder h;
	int r;

	lock->state = LOCK_RELEASED;
	if (getpid() != lock->self)
		return apmatrix_diag(ctx, -ENOLCK,
				     "the s390apconfig lock %s was taken by "
				     "PID %d, not by this process (PID %d): "
				     "left alone",
				     lock->path, (int)lock->self,
				     (int)getpid());
	r = read_holder(ctx, lock->path, &h);
	if (r == -ENOENT)
		return apmatrix_diag(ctx, -ENOENT,
				     "the s390apconfig lock %s was removed by "
				     "someone else",
				     lock->path);
	if (r < 0)
		return r;
	if (h.pid != lock->owner) {
		if (h.pid > 0)
			return apmatrix_diag(ctx, -ENOLCK,
					     "the s390apconfig lock %s now "
					     "names PID %d, not %d: left alone",
					     lock->path, (int)h.pid,
					     (int)lock->owner);
		return apmatrix_diag(ctx, -ENOLCK,
				     "the s390apconfig lock %s now names no "
				     "PID, not %d: left alone",
				     lock->path, (int)lock->owner);
	}
	if (unlink(lock->path) < 0 && errno != ENOENT)
		return apmatrix_diag(ctx, -errno, "cannot remove %s: %s",
				     lock->path, strerror(errno));
	dbg(ctx, "s390apconfig lock %s released by PID %d", lock->path,
	    (int)lock->owner);
	return 0;
}

APMATRIX_EXPORT int apmatrix_lock_release(struct apmatrix_lock *lock)
{
	if (!lock)
		return -EINVAL;
	apmatrix_diag_clear(lock->ctx);
	if (lock->state == LOCK_RELEASED)
		return apmatrix_diag(lock->ctx, -EINVAL,
				     "the s390apconfig lock %s was already "
				     "released through this object",
				     lock->path);
	return lock_release(lock);
}

APMATRIX_EXPORT struct apmatrix_lock *
apmatrix_lock_ref(struct apmatrix_lock *lock)
{
	if (lock)
		lock->refcount++;
	return lock;
}

APMATRIX_EXPORT struct apmatrix_lock *
apmatrix_lock_unref(struct apmatrix_lock *lock)
{
	if (!lock || --lock->refcount > 0)
		return NULL;
	/*
	 * A lock this process took for itself ends with its last reference.
	 * One held for the parent stays until an explicit release (the
	 * "post" callout), and one the parent held already is the parent's.
	 * A forked child never removes its parent's lock.
	 */
	if (lock->state == LOCK_HELD && !(lock->flags & APMATRIX_LOCK_PARENT) &&
	    getpid() == lock->self) {
		char saved[sizeof(lock->ctx->diagnostic)];
		int r;

		/* unref is not a fallible call: keep the diagnostic */
		memcpy(saved, lock->ctx->diagnostic, sizeof(saved));
		r = lock_release(lock);
		if (r < 0)
			warn(lock->ctx, "%s", lock->ctx->diagnostic);
		memcpy(lock->ctx->diagnostic, saved, sizeof(saved));
	}
	apmatrix_unref(lock->ctx);
	free(lock->path);
	free(lock);
	return NULL;
}

APMATRIX_EXPORT struct apmatrix_ctx *
apmatrix_lock_get_ctx(const struct apmatrix_lock *lock)
{
	return lock ? lock->ctx : NULL;
}

APMATRIX_EXPORT const char *
apmatrix_lock_get_path(const struct apmatrix_lock *lock)
{
	return lock ? lock->path : NULL;
}

APMATRIX_EXPORT int apmatrix_lock_get_owner(const struct apmatrix_lock *lock)
{
	return lock ? (int)lock->owner : -EINVAL;
}

APMATRIX_EXPORT int apmatrix_lock_is_held(const struct apmatrix_lock *lock)
{
	if (!lock)
		return -EINVAL;
	return lock->state != LOCK_RELEASED;
}
