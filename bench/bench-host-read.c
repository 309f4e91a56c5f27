/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-host-read [SYSFS-ROOT [ROUNDS [quick]]]: the cost of
 * apmatrix_host_read() against the cost of walking the same tree with a bare
 * `find`, measured in the same run, rounds interleaved. Goal: a full read
 * within 2x of the walk on a 256 x 256 host (65,536 queues).
 *
 * SYSFS-ROOT defaults to /sys; in the kernel tier the simulator is loaded
 * with cards=0-255:CEX8A usage_domains=0-255 (tests/vm/discovery-scale).
 * A fixture tree works too (tests/fixtures/sysfs, or one made with
 * bench/make-tree.py). Prints the median of ROUNDS (default 5) for find,
 * the full read and each read flag alone, and the ratios to find. "quick"
 * skips the warm-up round and the single-flag reads, for a tree whose
 * caches are warm already (the kernel tier, where a full read of a
 * 256 x 256 host takes most of a minute under TCG).
 */
#include <apmatrix.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_ROUNDS 50

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* find over the trees the library reads, output to /dev/null. */
static double time_find(const char *root)
{
	static const char *const tops[] = {"bus/ap", "devices/ap",
					   "devices/vfio_ap"};
	char paths[3][4096];
	char *argv[5] = {"find"};
	posix_spawn_file_actions_t fa;
	int argc = 1, status;
	double t0;
	pid_t pid;

	for (int i = 0; i < 3; i++) {
		struct stat st;

		snprintf(paths[i], sizeof(paths[i]), "%s/%s", root, tops[i]);
		if (stat(paths[i], &st) == 0)
			argv[argc++] = paths[i];
	}
	argv[argc] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = now();
	if (posix_spawnp(&pid, "find", &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return now() - t0;
}

static double time_read(struct apmatrix_ctx *ctx, unsigned int flags,
			unsigned int *queues, unsigned int *mdevs)
{
	struct apmatrix_host *host = NULL;
	double t0 = now(), t;

	if (apmatrix_host_read(ctx, flags, &host) < 0) {
		fprintf(stderr, "bench-host-read: %s\n",
			apmatrix_get_diagnostic(ctx));
		return -1;
	}
	t = now() - t0;
	if (queues) {
		*queues = 0;
		for (int q = apmatrix_host_next_queue(host, 0); q >= 0;
		     q = apmatrix_host_next_queue(host, (unsigned int)q + 1))
			(*queues)++;
		*mdevs = apmatrix_host_get_mdev_count(host);
	}
	apmatrix_host_unref(host);
	return t;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned int flags;
	} reads[] = {{"read all", 0},
		     {"read MASKS", APMATRIX_READ_MASKS},
		     {"read DEVICES", APMATRIX_READ_DEVICES},
		     {"read MDEVS", APMATRIX_READ_MDEVS}};
	const char *root = argc > 1 ? argv[1] : "/sys";
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	int quick = argc > 3 && strcmp(argv[3], "quick") == 0;
	int nreads = quick ? 1 : 4;
	double t_find[MAX_ROUNDS], t_read[4][MAX_ROUNDS], f;
	struct apmatrix_ctx *ctx = NULL;
	unsigned int queues = 0, mdevs = 0;

	if (rounds < 1 || rounds > MAX_ROUNDS || (argc > 3 && !quick) ||
	    apmatrix_new(&ctx) < 0 ||
	    apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, root) < 0) {
		fprintf(stderr, "usage: bench-host-read [ABSOLUTE-ROOT "
				"[ROUNDS 1-50 [quick]]]\n");
		return 2;
	}
	/* One warm-up of each, so both see a warm dentry cache. */
	if ((!quick && time_find(root) < 0) ||
	    time_read(ctx, quick ? APMATRIX_READ_MDEVS : 0, &queues, &mdevs) <
		    0) {
		fprintf(stderr, "bench-host-read: cannot walk or read %s\n",
			root);
		apmatrix_unref(ctx);
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		t_find[r] = time_find(root);
		for (int i = 0; i < nreads; i++)
			t_read[i][r] = time_read(ctx, reads[i].flags,
						 i ? NULL : &queues, &mdevs);
	}
	apmatrix_unref(ctx);
	printf("bench-host-read: %s, %u queues, %u mdevs, median of %d "
	       "rounds\n",
	       root, queues, mdevs, rounds);
	f = median(t_find, rounds);
	printf("%-14s %10.1f ms\n", "find", f * 1e3);
	for (int i = 0; i < nreads; i++) {
		double m = median(t_read[i], rounds);

		printf("%-14s %10.1f ms  ratio %.2f\n", reads[i].name, m * 1e3,
		       m / f);
	}
	return 0;
}
