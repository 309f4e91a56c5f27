/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-store: the stored configuration end to end.
 *
 * 10,000 definitions (mdevctl files as the store writes them, 1 adapter x
 * 6 domains each with a control domain, no two sharing an APQN, half of
 * them autostart) in a temporary etc root, and a full 256 x 256 host in
 * memory. Timed, median of several runs, warm page cache:
 *   cat       `cat` of every file to /dev/null: the floor for reading them
 *   store     apmatrix_store_read() + a check of every definition against
 *             the host (apmatrix_check_add_store(), apmatrix_check_run())
 *   callout   one apmatrix-callout "pre define" verdict of an autostart
 *             definition against the same store (a process: exec, read
 *             the sysfs fixture, the store, check), when CALLOUT is given
 * and the ratio store / cat (goal: within 1.2).
 *
 * Usage: bench-store [COUNT [CALLOUT SYSFS_ROOT]]
 * The files go below $TMPDIR (default /tmp).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apmatrix.h"
#include "bench-host.h"

#define RUNS 7

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process or of its waited-for
 * children: less disturbed by other load on the machine than wall time. */
static double cpu(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void die(const char *what, struct apmatrix_ctx *ctx)
{
	fprintf(stderr, "bench-store: %s: %s\n", what,
		ctx ? apmatrix_get_diagnostic(ctx) : "failed");
	exit(1);
}

/* Definition i: adapter i / 42, domains 6 * (i % 42) .. + 5. */
static void write_store(struct apmatrix_ctx *ctx, const char *dir, int count)
{
	struct apmatrix_store *st = NULL;
	char path[256], text[2048];

	if (apmatrix_store_read(ctx, 0, &st) < 0)
		die("store", ctx);
	for (int i = 0; i < count; i++) {
		struct apmatrix_mdev *m = NULL;
		struct apmatrix_matrix *mx;
		char uuid[40];
		FILE *f;
		int n;

		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012x", i, i);
		if (apmatrix_mdev_new(ctx, uuid, &m) < 0 ||
		    apmatrix_mdev_add_config(m, APMATRIX_ROLE_DEFINED, 0) < 0 ||
		    apmatrix_mdev_set_autostart(m, i & 1) < 0)
			die("mdev", ctx);
		mx = apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED);
		apmatrix_idset_set(apmatrix_matrix_get_adapters(mx),
				   (unsigned int)(i / 42));
		for (int d = 0; d < 6; d++)
			apmatrix_idset_set(
				apmatrix_matrix_get_usage_domains(mx),
				(unsigned int)(6 * (i % 42) + d));
		apmatrix_idset_set(apmatrix_matrix_get_control_domains(mx),
				   (unsigned int)(6 * (i % 42)));
		n = apmatrix_store_format_definition(st, m, 0, text,
						     sizeof(text));
		if (n < 0 || n >= (int)sizeof(text))
			die("format", ctx);
		snprintf(path, sizeof(path), "%s/%s", dir, uuid);
		f = fopen(path, "w");
		if (!f || fwrite(text, 1, (size_t)n, f) != (size_t)n ||
		    fclose(f))
			die(path, NULL);
		apmatrix_mdev_unref(m);
	}
	apmatrix_store_unref(st);
}

static double store_cpu, cmd_cpu;

static double time_store(struct apmatrix_ctx *ctx, struct apmatrix_host *host,
			 unsigned int *defs, unsigned int *findings)
{
	struct apmatrix_store *st = NULL;
	struct apmatrix_check *check = NULL;
	struct apmatrix_report *report = NULL;
	double t0 = now(), c0 = cpu(RUSAGE_SELF), t;
	int r;

	if (apmatrix_store_read(ctx, 0, &st) < 0 ||
	    apmatrix_check_new(ctx, &check) < 0 ||
	    apmatrix_check_set_host(check, host) < 0 ||
	    apmatrix_check_add_store(check, st, 0) < 0)
		die("store check", ctx);
	r = apmatrix_check_run(check, 0, &report);
	t = now() - t0;
	store_cpu = cpu(RUSAGE_SELF) - c0;
	if (r < 0)
		die("run", ctx);
	*defs = apmatrix_store_get_mdev_count(st);
	*findings = (unsigned int)r;
	apmatrix_report_unref(report);
	apmatrix_check_unref(check);
	apmatrix_store_unref(st);
	return t;
}

static double time_cmd(const char *cmd)
{
	double t0 = now(), c0 = cpu(RUSAGE_CHILDREN);

	if (system(cmd) != 0)
		die(cmd, NULL);
	cmd_cpu = cpu(RUSAGE_CHILDREN) - c0;
	return now() - t0;
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 10000;
	const char *callout = argc > 3 ? argv[2] : NULL;
	double cat[RUNS], ours[RUNS], co[RUNS], cat_cpu[RUNS], ours_cpu[RUNS],
		co_cpu[RUNS];
	unsigned int defs = 0, findings = 0;
	char root[64], dir[128], cmd[1024];
	struct apmatrix_ctx *ctx = NULL;
	struct apmatrix_host *host;

	snprintf(root, sizeof(root), "%.40s/apmatrix-bench-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root) || apmatrix_new(&ctx) < 0 ||
	    apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, root) < 0 ||
	    apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, root) < 0)
		die("setup", ctx);
	apmatrix_set_log_priority(ctx, 3);
	snprintf(dir, sizeof(dir), "%s/mdevctl.d/matrix", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s/lock", dir, root);
	if (system(cmd) != 0)
		die("mkdir", NULL);
	write_store(ctx, dir, count);
	host = bench_full_host(ctx);
	if (!host)
		die("host", ctx);
	snprintf(cmd, sizeof(cmd), "cat %s/* > /dev/null", dir);
	time_cmd(cmd); /* warm the page cache */
	for (int i = 0; i < RUNS; i++) {
		cat[i] = time_cmd(cmd);
		cat_cpu[i] = cmd_cpu;
		ours[i] = time_store(ctx, host, &defs, &findings);
		ours_cpu[i] = store_cpu;
	}
	printf("bench-store: %d definitions, 256 x 256 host\n", count);
	printf("  medians of %d runs        wall ms    cpu ms\n", RUNS);
	printf("  cat of the files          %8.2f  %8.2f\n",
	       median(cat, RUNS) * 1e3, median(cat_cpu, RUNS) * 1e3);
	printf("  store read + check        %8.2f  %8.2f (%u definitions, %u "
	       "findings)\n",
	       median(ours, RUNS) * 1e3, median(ours_cpu, RUNS) * 1e3, defs,
	       findings);
	printf("  ratio store / cat         %8.2f  %8.2f (goal: within 1.2)\n",
	       median(ours, RUNS) / median(cat, RUNS),
	       median(ours_cpu, RUNS) / median(cat_cpu, RUNS));
	if (callout) {
		/* A verdict either way (a refusal costs the same); the
		 * callout leaves the lock to mdevctl only when it accepts, so
		 * "post" releases it. */
		snprintf(cmd, sizeof(cmd),
			 "printf '%%s' '{\"mdev_type\":\"vfio_ap-passthrough\","
			 "\"start\":\"auto\",\"attrs\":[{\"assign_adapter\":"
			 "\"0xff\"},"
			 "{\"assign_domain\":\"0xff\"}]}' | "
			 "APMATRIX_SYSFS_ROOT=%s "
			 "APMATRIX_ETC_ROOT=%s APMATRIX_RUN_ROOT=%s %s -t "
			 "vfio_ap-passthrough -e pre -a define -s none -u "
			 "ffffffff-0000-4000-8000-000000000000 -p matrix "
			 "2>/dev/null; rm -f %s/lock/s390apconfig.lock",
			 argv[3], root, root, callout, root);
		for (int i = 0; i < RUNS; i++) {
			co[i] = time_cmd(cmd);
			co_cpu[i] = cmd_cpu;
		}
		printf("  callout pre define        %8.2f  %8.2f (a process "
		       "and its "
		       "shell; goal: well under 100 ms)\n",
		       median(co, RUNS) * 1e3, median(co_cpu, RUNS) * 1e3);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		return 1;
	apmatrix_host_unref(host);
	apmatrix_unref(ctx);
	return 0;
}
