// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The s390apconfig lock, in a temporary run root: the protocol details,
 * stale locks, timeouts, the callout (parent) variant, many processes at
 * once, and interplay with an independent implementation of the s390-tools
 * protocol (s390-lockfile.sh).
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apmatrix-internal.h"
#include "testlib.h"

#ifndef S390_LOCKFILE_SH
#error "S390_LOCKFILE_SH must name tests/unit/s390-lockfile.sh"
#endif

static char run_root[256];
static char lock_file[512];
static char lock_dir[300];

static void setup(void)
{
	snprintf(run_root, sizeof(run_root), "/tmp/apmatrix-lock-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(run_root));
	snprintf(lock_dir, sizeof(lock_dir), "%s/lock", run_root);
	ck_assert_int_eq(mkdir(lock_dir, 0755), 0);
	snprintf(lock_file, sizeof(lock_file), "%s/s390apconfig.lock",
		 lock_dir);
}

static void teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", run_root);
	ck_assert_int_eq(system(cmd), 0);
}

static struct apmatrix_ctx *lock_ctx(void)
{
	struct apmatrix_ctx *ctx = test_ctx_new();

	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, run_root),
			 0);
	return ctx;
}

/* The first line of the lock file as a number, -1 without a file. */
static long lock_pid(void)
{
	char buf[64] = "";
	FILE *f = fopen(lock_file, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtol(buf, NULL, 10);
}

static void write_lock(const char *content)
{
	FILE *f = fopen(lock_file, "w");

	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void write_lock_pid(pid_t pid)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	write_lock(buf);
}

/* Number of entries in the lock directory: no temporary file left over. */
static int dir_entries(void)
{
	DIR *d = opendir(lock_dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* A PID that is certainly not running: a reaped child. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* A live child that waits to be killed. */
static pid_t live_child(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run a function in a child; returns its exit status. */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fn());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Run s390-lockfile.sh LOCK args...; returns its exit status. */
static int run_sh(const char *a1, const char *a2, const char *a3)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/bash", "bash", S390_LOCKFILE_SH, lock_file, a1, a2,
		      a3, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_acquire_release)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	char want[600], buf[64];
	FILE *f;

	test_call(ctx, apmatrix_lock_acquire(ctx, 0, 0, &lock), 0, NULL);
	ck_assert_ptr_nonnull(lock);
	/* exactly "<pid>\n", and the temporary file is gone */
	f = fopen(lock_file, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_ptr_null(fgets(buf + strlen(buf), 8, f));
	fclose(f);
	snprintf(want, sizeof(want), "%d\n", (int)getpid());
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(dir_entries(), 1);
	ck_assert_str_eq(apmatrix_lock_get_path(lock), lock_file);
	ck_assert_int_eq(apmatrix_lock_get_owner(lock), getpid());
	ck_assert_ptr_eq(apmatrix_lock_get_ctx(lock), ctx);
	ck_assert_int_eq(apmatrix_lock_is_held(lock), 1);

	/* a second acquire in the same process would wait for itself */
	struct apmatrix_lock *again = NULL;
	test_call(ctx, apmatrix_lock_acquire(ctx, 1000, 0, &again), -EDEADLK,
		  "already held by this process");
	ck_assert_ptr_null(again);
	ck_assert_int_eq(lock_pid(), getpid());

	test_call(ctx, apmatrix_lock_release(lock), 0, NULL);
	ck_assert_int_eq(lock_pid(), -1);
	ck_assert_int_eq(apmatrix_lock_is_held(lock), 0);
	test_call(ctx, apmatrix_lock_release(lock), -EINVAL,
		  "already released");
	apmatrix_lock_unref(lock);
	ck_assert_int_eq(dir_entries(), 0);

	/* the last unref releases; an extra reference keeps it */
	ck_assert_int_eq(apmatrix_lock_acquire(ctx, 0, 0, &lock), 0);
	ck_assert_ptr_eq(apmatrix_lock_ref(lock), lock);
	apmatrix_lock_unref(lock);
	ck_assert_int_eq(lock_pid(), getpid());
	test_diag_plant(ctx);
	ck_assert_ptr_null(apmatrix_lock_unref(lock));
	test_diag_expect(ctx, TEST_DIAG_SENTINEL, "unref", __FILE__, __LINE__);
	ck_assert_int_eq(lock_pid(), -1);

	/* a run root with a trailing slash names the same file */
	snprintf(want, sizeof(want), "%s/", run_root);
	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, want), 0);
	ck_assert_int_eq(apmatrix_lock_acquire(ctx, 0, 0, &lock), 0);
	ck_assert_str_eq(apmatrix_lock_get_path(lock), lock_file);
	apmatrix_lock_unref(lock);
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_bad_arguments)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;

	ck_assert_int_eq(apmatrix_lock_acquire(NULL, 0, 0, &lock), -EINVAL);
	test_call(ctx, apmatrix_lock_acquire(ctx, 0, 0, NULL), -EINVAL, "NULL");
	test_call(ctx, apmatrix_lock_acquire(ctx, -2, 0, &lock), -EINVAL,
		  "timeout -2 ms");
	test_call(ctx, apmatrix_lock_acquire(ctx, 0, 6, &lock), -EINVAL,
		  "unknown lock flags 0x6");
	ck_assert_ptr_null(lock);
	ck_assert_int_eq(dir_entries(), 0);
	ck_assert_int_eq(apmatrix_lock_release(NULL), -EINVAL);
	ck_assert_ptr_null(apmatrix_lock_ref(NULL));
	ck_assert_ptr_null(apmatrix_lock_unref(NULL));
	ck_assert_ptr_null(apmatrix_lock_get_path(NULL));
	ck_assert_ptr_null(apmatrix_lock_get_ctx(NULL));
	ck_assert_int_eq(apmatrix_lock_get_owner(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_lock_is_held(NULL), -EINVAL);

	/* no lock directory: named, not created */
	ck_assert_int_eq(rmdir(lock_dir), 0);
	test_call(ctx, apmatrix_lock_acquire(ctx, 0, 0, &lock), -ENOENT,
		  lock_dir);
	ck_assert_int_eq(access(lock_dir, F_OK), -1);
	ck_assert_int_eq(mkdir(lock_dir, 0755), 0);

	/* the lock path is a directory: reported, not waited for */
	ck_assert_int_eq(mkdir(lock_file, 0755), 0);
	test_call(ctx, apmatrix_lock_acquire(ctx, 5000, 0, &lock), -ENOLCK,
		  "not a regular file");
	ck_assert_int_eq(rmdir(lock_file), 0);
	ck_assert_int_eq(dir_entries(), 0);
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_stale_dead_pid)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;

	write_lock_pid(dead_pid());
	test_call(ctx, apmatrix_lock_acquire(ctx, 0, 0, &lock), 0, NULL);
	ck_assert_int_eq(lock_pid(), getpid());
	apmatrix_lock_unref(lock);
	ck_assert_int_eq(dir_entries(), 0);
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_stale_empty_file)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	struct timespec old[2];
	long long t0;

	/* empty and fresh: someone is about to write it; wait */
	write_lock("");
	t0 = ms_now();
	test_call(ctx, apmatrix_lock_acquire(ctx, 100, 0, &lock), -ETIMEDOUT,
		  "names no PID");
	ck_assert_int_ge(ms_now() - t0, 100);
	ck_assert_int_eq(lock_pid(), 0);

	/* the same, 125 s old: stale. Not 121: the library judges by time(),
	 * which reads the coarse clock and may lag this CLOCK_REALTIME across a
	 * second boundary, so 121 s could still read as 120. */
	clock_gettime(CLOCK_REALTIME, &old[0]);
	old[0].tv_sec -= 125;
	old[1] = old[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, lock_file, old, 0), 0);
	test_call(ctx, apmatrix_lock_acquire(ctx, 0, 0, &lock), 0, NULL);
	ck_assert_int_eq(lock_pid(), getpid());
	apmatrix_lock_unref(lock);

	/* junk instead of a PID counts as no PID (never kill(0) or kill(-n)) */
	write_lock("-1\n");
	ck_assert_int_eq(apmatrix_lock_acquire(ctx, 0, 0, &lock), -ETIMEDOUT);
	ck_assert_int_eq(utimensat(AT_FDCWD, lock_file, old, 0), 0);
	ck_assert_int_eq(apmatrix_lock_acquire(ctx, 0, 0, &lock), 0);
	apmatrix_lock_unref(lock);
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_timeout_names_holder)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	pid_t holder = live_child();
	char want[64];
	long long t0, dt;

	write_lock_pid(holder);
	snprintf(want, sizeof(want), "held by PID %d", (int)holder);
	t0 = ms_now();
	test_call(ctx, apmatrix_lock_acquire(ctx, 250, 0, &lock), -ETIMEDOUT,
		  want);
	dt = ms_now() - t0;
	ck_assert_int_ge(dt, 250);
	ck_assert_int_lt(dt, 1500);
	ck_assert_ptr_null(lock);
	/* the holder's lock is untouched, no temporary file is left */
	ck_assert_int_eq(lock_pid(), holder);
	ck_assert_int_eq(dir_entries(), 1);
	/* timeout 0: one try */
	t0 = ms_now();
	test_call(ctx, apmatrix_lock_acquire(ctx, 0, 0, &lock), -ETIMEDOUT,
		  "timed out after 0 ms");
	ck_assert_int_lt(ms_now() - t0, 100);

	/* the holder dies while we wait: we get it */
	kill_child(holder);
	test_call(ctx, apmatrix_lock_acquire(ctx, 1000, 0, &lock), 0, NULL);
	ck_assert_int_eq(lock_pid(), getpid());
	apmatrix_lock_unref(lock);
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_release_leaves_others_alone)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	pid_t other = live_child();

	/* broken as stale and retaken by another process meanwhile */
	ck_assert_int_eq(apmatrix_lock_acquire(ctx, 0, 0, &lock), 0);
	write_lock_pid(other);
	test_call(ctx, apmatrix_lock_release(lock), -ENOLCK, "left alone");
	ck_assert_int_eq(lock_pid(), other);
	ck_assert_int_eq(apmatrix_lock_is_held(lock), 0);
	apmatrix_lock_unref(lock);
	ck_assert_int_eq(lock_pid(), other);

	/* same through the last unref, which keeps the diagnostic */
	ck_assert_int_eq(unlink(lock_file), 0);
	ck_assert_int_eq(apmatrix_lock_acquire(ctx, 0, 0, &lock), 0);
	write_lock_pid(other);
	test_diag_plant(ctx);
	apmatrix_lock_unref(lock);
	test_diag_expect(ctx, TEST_DIAG_SENTINEL, "unref", __FILE__, __LINE__);
	ck_assert_int_eq(lock_pid(), other);
	kill_child(other);

	/* removed by someone else */
	ck_assert_int_eq(unlink(lock_file), 0);
	ck_assert_int_eq(apmatrix_lock_acquire(ctx, 0, 0, &lock), 0);
	ck_assert_int_eq(unlink(lock_file), 0);
	test_call(ctx, apmatrix_lock_release(lock), -ENOENT,
		  "removed by someone else");
	apmatrix_lock_unref(lock);
	apmatrix_unref(ctx);
}
END_TEST

/* Our temporary file name (with this PID and second) is taken. */
static void make_temp_name(char *buf, size_t size, time_t t)
{
	snprintf(buf, size, "%s%05d%02x", lock_file, (int)getpid(),
		 (unsigned int)t & 255);
	close(open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
}

START_TEST(test_temp_name_taken)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	char t0[600], t1[600];
	time_t now = time(NULL);

	/* taken for this second and the next: reported, not mistaken for
	 * a lock without PID */
	make_temp_name(t0, sizeof(t0), now);
	make_temp_name(t1, sizeof(t1), now + 1);
	test_call(ctx, apmatrix_lock_acquire(ctx, 100, 0, &lock), -ETIMEDOUT,
		  "temporary file");
	ck_assert_int_eq(lock_pid(), -1);
	/* a leftover only blocks its own second: the name moves on */
	unlink(t1);
	test_call(ctx, apmatrix_lock_acquire(ctx, 3000, 0, &lock), 0, NULL);
	ck_assert_int_eq(lock_pid(), getpid());
	apmatrix_lock_unref(lock);
	/* the leftover is not ours to remove */
	ck_assert_int_eq(access(t0, F_OK), 0);
	unlink(t0);
	ck_assert_int_eq(dir_entries(), 0);
	apmatrix_unref(ctx);
}
END_TEST

/* A callout whose parent died and that init adopted. */
START_TEST(test_parent_gone)
{
	char mark[600];
	pid_t pid;
	int status;

	/* the grandchild writes its exit status where we can see it */
	snprintf(mark, sizeof(mark), "%s/orphan", run_root);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			int r;

			/* wait for the adoption, then try */
			for (int i = 0; i < 500 && getppid() != 1; i++)
				usleep(10000);
			if (getppid() != 1) {
				r = 77;
			} else {
				struct apmatrix_ctx *ctx = lock_ctx();
				struct apmatrix_lock *lock = NULL;

				r = apmatrix_lock_acquire(ctx, 0,
							  APMATRIX_LOCK_PARENT,
							  &lock) == -ESRCH &&
						    strstr(apmatrix_get_diagnostic(
								   ctx),
							   "parent process is "
							   "gone") &&
						    lock_pid() == -1
					    ? 0
					    : 1;
			}
			char tmp[640];
			FILE *f;

			/* complete before it appears under its name */
			snprintf(tmp, sizeof(tmp), "%s.tmp", mark);
			f = fopen(tmp, "w");
			if (f) {
				fprintf(f, "%d\n", r);
				fclose(f);
				rename(tmp, mark);
			}
			_exit(0);
		}
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	for (int i = 0; i < 1000 && access(mark, F_OK) != 0; i++)
		usleep(10000);
	{
		FILE *f = fopen(mark, "r");
		int r = -1;

		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fscanf(f, "%d", &r), 1);
		fclose(f);
		if (r == 77)
			fprintf(stderr, "lock: a subreaper adopts orphans "
					"here; parent-gone case not run\n");
		else
			ck_assert_int_eq(r, 0);
	}
	unlink(mark);
	ck_assert_int_eq(dir_entries(), 0);
}
END_TEST

static struct apmatrix_lock *forked_lock;

static int child_unrefs_parents_lock(void)
{
	apmatrix_lock_unref(forked_lock);
	return lock_pid() == getppid() ? 0 : 1;
}

static int child_releases_parents_lock(void)
{
	int r = apmatrix_lock_release(forked_lock);

	return r == -ENOLCK && lock_pid() == getppid() ? 0 : 1;
}

START_TEST(test_fork_keeps_parents_lock)
{
	struct apmatrix_ctx *ctx = lock_ctx();

	ck_assert_int_eq(apmatrix_lock_acquire(ctx, 0, 0, &forked_lock), 0);
	ck_assert_int_eq(in_child(child_unrefs_parents_lock), 0);
	ck_assert_int_eq(in_child(child_releases_parents_lock), 0);
	ck_assert_int_eq(lock_pid(), getpid());
	ck_assert_int_eq(apmatrix_lock_release(forked_lock), 0);
	apmatrix_lock_unref(forked_lock);
	apmatrix_unref(ctx);
}
END_TEST

/* ap-check "pre": take it for the parent and exit without releasing. */
static int callout_pre(void)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	int r = apmatrix_lock_acquire(ctx, 0, APMATRIX_LOCK_PARENT, &lock);

	if (r != 0 || apmatrix_lock_get_owner(lock) != getppid())
		return 10 + (r < 0 ? -r : r);
	apmatrix_lock_unref(lock);
	apmatrix_unref(ctx);
	return lock_pid() == getppid() ? 0 : 2;
}

/* ap-check "post": the parent holds it; find that out and release it. */
static int callout_post(void)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	int r = apmatrix_lock_acquire(ctx, 5000, APMATRIX_LOCK_PARENT, &lock);

	if (r != 1)
		return 10 + (r < 0 ? -r : r);
	/* the parent's lock survives the unref of another reference */
	apmatrix_lock_ref(lock);
	apmatrix_lock_unref(lock);
	if (lock_pid() != getppid())
		return 2;
	r = apmatrix_lock_release(lock);
	apmatrix_lock_unref(lock);
	apmatrix_unref(ctx);
	return r == 0 && lock_pid() == -1 ? 0 : 3;
}

/* A callout that already holds the lock for itself. */
static int callout_self_then_parent(void)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *own = NULL, *lock = NULL;
	int r;

	if (apmatrix_lock_acquire(ctx, 0, 0, &own) != 0)
		return 2;
	r = apmatrix_lock_acquire(ctx, 5000, APMATRIX_LOCK_PARENT, &lock);
	apmatrix_lock_unref(own);
	apmatrix_unref(ctx);
	return r == -EDEADLK ? 0 : 3;
}

START_TEST(test_parent_variant)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;

	ck_assert_int_eq(in_child(callout_pre), 0);
	/* held in our name by the (finished) child: ours would deadlock */
	ck_assert_int_eq(lock_pid(), getpid());
	test_call(ctx, apmatrix_lock_acquire(ctx, 1000, 0, &lock), -EDEADLK,
		  "already held by this process");
	ck_assert_int_eq(in_child(callout_post), 0);
	ck_assert_int_eq(lock_pid(), -1);

	/* post without pre: takes it and releases it, nothing left */
	ck_assert_int_eq(in_child(callout_pre), 0);
	ck_assert_int_eq(in_child(callout_post), 0);
	ck_assert_int_eq(in_child(callout_self_then_parent), 0);
	ck_assert_int_eq(dir_entries(), 0);
	apmatrix_unref(ctx);
}
END_TEST

/* ------------------------------------------------------------ counting */

#define COUNT_PROCS 4
#define COUNT_EACH 25

static char counter_file[600];
static char done_file[600];

static int read_counter(void);

/*
 * The counting workers stay alive until every increment is done: a holder
 * that exits makes its PID stale, and the protocol's stale removal (read
 * the PID, kill(pid, 0), unlink the path) can remove the next holder's
 * fresh lock. That race belongs to the protocol (s390-tools has it); the
 * stale cases are tested on their own above.
 */
static void wait_done(void)
{
	for (int i = 0; i < 6000 && access(done_file, F_OK) != 0; i++)
		usleep(10000);
}

static void count_finish(int total)
{
	for (int i = 0; i < 6000 && read_counter() < total; i++)
		usleep(10000);
	snprintf(done_file, sizeof(done_file), "%s/done", run_root);
	close(open(done_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
}

static int read_counter(void)
{
	FILE *f = fopen(counter_file, "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static void write_counter(int n)
{
	FILE *f = fopen(counter_file, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "%d\n", n);
	ck_assert_int_eq(fclose(f), 0);
}

static int count_under_lock(void)
{
	struct apmatrix_ctx *ctx = lock_ctx();

	for (int i = 0; i < COUNT_EACH; i++) {
		struct apmatrix_lock *lock = NULL;
		FILE *f;
		int n;

		if (apmatrix_lock_acquire(ctx, 60000, 0, &lock) != 0)
			return 2;
		n = read_counter();
		usleep(500); /* widen the window a lost update needs */
		f = fopen(counter_file, "w");
		if (!f)
			return 3;
		fprintf(f, "%d\n", n + 1);
		fclose(f);
		if (apmatrix_lock_release(lock) != 0)
			return 4;
		apmatrix_lock_unref(lock);
	}
	apmatrix_unref(ctx);
	wait_done();
	return 0;
}

static pid_t spawn(int (*fn)(void))
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fn());
	return pid;
}

static pid_t spawn_sh_count(int n)
{
	char num[16];
	pid_t pid = fork();

	snprintf(num, sizeof(num), "%d", n);
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/bash", "bash", S390_LOCKFILE_SH, lock_file, "count",
		      counter_file, num, done_file, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void wait_all(const pid_t *pids, int n)
{
	for (int i = 0; i < n; i++) {
		int status;

		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "worker %d failed: status 0x%x", i, status);
	}
}

START_TEST(test_no_lost_update)
{
	pid_t pids[COUNT_PROCS];
	long long t0 = ms_now();

	snprintf(counter_file, sizeof(counter_file), "%s/counter", run_root);
	write_counter(0);
	snprintf(done_file, sizeof(done_file), "%s/done", run_root);
	for (int i = 0; i < COUNT_PROCS; i++)
		pids[i] = spawn(count_under_lock);
	count_finish(COUNT_PROCS * COUNT_EACH);
	wait_all(pids, COUNT_PROCS);
	ck_assert_int_eq(read_counter(), COUNT_PROCS * COUNT_EACH);
	unlink(done_file);
	ck_assert_int_eq(dir_entries(), 0);
	fprintf(stderr, "lock: %d increments by %d processes in %lld ms\n",
		COUNT_PROCS * COUNT_EACH, COUNT_PROCS, ms_now() - t0);
}
END_TEST

/* --------------------------------------------- interop with the peer */

START_TEST(test_interop_peer_excludes_us)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	char release[600], line[32] = "", want[64];
	int fds[2], status;
	pid_t peer;
	FILE *out;

	snprintf(release, sizeof(release), "%s/release", run_root);
	ck_assert_int_eq(pipe(fds), 0);
	peer = fork();
	ck_assert_int_ge(peer, 0);
	if (peer == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl("/bin/bash", "bash", S390_LOCKFILE_SH, lock_file, "hold",
		      release, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), out));
	ck_assert_str_eq(line, "locked\n");
	ck_assert_int_eq(lock_pid(), peer);

	snprintf(want, sizeof(want), "held by PID %d", (int)peer);
	test_call(ctx, apmatrix_lock_acquire(ctx, 200, 0, &lock), -ETIMEDOUT,
		  want);
	ck_assert_int_eq(lock_pid(), peer);

	/* the peer releases: we get it while waiting */
	close(open(release, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	test_call(ctx, apmatrix_lock_acquire(ctx, 10000, 0, &lock), 0, NULL);
	ck_assert_int_eq(waitpid(peer, &status, 0), peer);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	fclose(out);

	/* and now the peer is excluded, until we release */
	ck_assert_int_eq(run_sh("try", "3", NULL), 1);
	ck_assert_int_eq(lock_pid(), getpid());
	ck_assert_int_eq(apmatrix_lock_release(lock), 0);
	ck_assert_int_eq(run_sh("try", "0", NULL), 0);
	apmatrix_lock_unref(lock);
	ck_assert_int_eq(dir_entries(), 0);
	apmatrix_unref(ctx);
}
END_TEST

static int crash_holding_lock(void)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;

	if (apmatrix_lock_acquire(ctx, 0, 0, &lock) != 0)
		return 1;
	_exit(0); /* no release */
}

START_TEST(test_interop_stale_both_ways)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	long pid;

	/* a peer that died holding it: we break its lock */
	ck_assert_int_eq(run_sh("crash", NULL, NULL), 0);
	pid = lock_pid();
	ck_assert_int_gt(pid, 0);
	ck_assert_int_ne(pid, getpid());
	test_call(ctx, apmatrix_lock_acquire(ctx, 0, 0, &lock), 0, NULL);
	ck_assert_int_eq(lock_pid(), getpid());
	apmatrix_lock_unref(lock);

	/* we died holding it: the peer breaks ours */
	ck_assert_int_eq(in_child(crash_holding_lock), 0);
	ck_assert_int_gt(lock_pid(), 0);
	ck_assert_int_eq(run_sh("try", "0", NULL), 0);
	ck_assert_int_eq(lock_pid(), -1);
	ck_assert_int_eq(dir_entries(), 0);
	apmatrix_unref(ctx);
}
END_TEST

/* Our callout variant against the peer's (ap-check's) pre/post. */
static int ours_sees_parent_holds(void)
{
	struct apmatrix_ctx *ctx = lock_ctx();
	struct apmatrix_lock *lock = NULL;
	int r = apmatrix_lock_acquire(ctx, 0, APMATRIX_LOCK_PARENT, &lock);

	apmatrix_lock_unref(lock);
	apmatrix_unref(ctx);
	return r == 1 && lock_pid() == getppid() ? 0 : 10 + (r < 0 ? -r : r);
}

START_TEST(test_interop_parent_variant)
{
	/* the peer's pre (in a child of ours) names us, its parent */
	ck_assert_int_eq(run_sh("parent-lock", NULL, NULL), 0);
	ck_assert_int_eq(lock_pid(), getpid());
	/* our callout, another child: the parent holds it already */
	ck_assert_int_eq(in_child(ours_sees_parent_holds), 0);
	/* the peer's post releases what it took */
	ck_assert_int_eq(run_sh("parent-release", NULL, NULL), 0);
	ck_assert_int_eq(lock_pid(), -1);

	/* ours takes it for the parent; the peer's post releases it */
	ck_assert_int_eq(in_child(callout_pre), 0);
	ck_assert_int_eq(run_sh("parent-lock", NULL, NULL), 1);
	ck_assert_int_eq(run_sh("parent-release", NULL, NULL), 0);
	ck_assert_int_eq(lock_pid(), -1);
}
END_TEST

START_TEST(test_interop_no_lost_update)
{
	pid_t pids[4];
	long long t0 = ms_now();

	snprintf(counter_file, sizeof(counter_file), "%s/counter", run_root);
	write_counter(0);
	snprintf(done_file, sizeof(done_file), "%s/done", run_root);
	pids[0] = spawn(count_under_lock);
	pids[1] = spawn_sh_count(COUNT_EACH);
	pids[2] = spawn(count_under_lock);
	pids[3] = spawn_sh_count(COUNT_EACH);
	count_finish(4 * COUNT_EACH);
	wait_all(pids, 4);
	ck_assert_int_eq(read_counter(), 4 * COUNT_EACH);
	unlink(done_file);
	ck_assert_int_eq(dir_entries(), 0);
	fprintf(stderr,
		"lock: %d increments by 2 library + 2 peer processes in "
		"%lld ms\n",
		4 * COUNT_EACH, ms_now() - t0);
}
END_TEST

static Suite *lock_suite(void)
{
	Suite *s = suite_create("lock");
	TCase *tc = tcase_create("lock");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_acquire_release);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_stale_dead_pid);
	tcase_add_test(tc, test_stale_empty_file);
	tcase_add_test(tc, test_timeout_names_holder);
	tcase_add_test(tc, test_release_leaves_others_alone);
	tcase_add_test(tc, test_temp_name_taken);
	tcase_add_test(tc, test_fork_keeps_parents_lock);
	tcase_add_test(tc, test_parent_variant);
	tcase_add_test(tc, test_parent_gone);
	tcase_add_test(tc, test_no_lost_update);
	tcase_add_test(tc, test_interop_peer_excludes_us);
	tcase_add_test(tc, test_interop_stale_both_ways);
	tcase_add_test(tc, test_interop_parent_variant);
	tcase_add_test(tc, test_interop_no_lost_update);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(lock_suite());
}
