/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-check: how apmatrix_check_run() scales.
 *
 * A full host (256 cards x 256 domains, every queue bound to vfio_ap, empty
 * reservation masks, active and persistent) and 100, 1,000 and 10,000 mdevs
 * in four shapes, each mdev an autostart definition (or, with the role
 * argument, a live configuration, or both with the same matrix):
 *   partition  random rectangles that partition the 65,536 APQNs (no
 *              sharing at all; what a well-run host looks like)
 *   sparse     no sharing either, 6 APQNs per mdev (1 adapter x 6 domains),
 *              so the assigned APQNs grow with the mdevs
 *   random     1-4 random adapters x 1-8 random domains per mdev
 *   overlap    clusters of 10 mdevs assigned the same rectangle of a
 *              partition (every APQN has 10 owners: 45 pairs per cluster)
 * For each, the median and the minimum CPU time of apmatrix_check_run()
 * over several runs (CPU time of this thread: on a shared machine wall time
 * would count the other work too; the minimum is the least disturbed run),
 * the time per mdev and per assigned APQN, and ratios
 * against the 100-mdev run of the same shape measured in this process. A naive
 * O(n^2) pairwise comparison (sharing detection only, no report) is timed in
 * the same run as the baseline; "naive/check" is how many times faster the
 * check is. Goal: 10,000 definitions, partition and sparse, under 2 ms.
 *
 * Usage: bench-check [max-mdevs [shape [defined|live|both]]]
 *        (default 10000, all shapes, defined)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apmatrix.h"
#include "bench-host.h"

#define CLUSTER 10

struct bits {
	uint64_t w[4];
};

struct shape_mdev {
	struct bits a, d;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 16);
}

static void bset(struct bits *b, unsigned int id)
{
	b->w[id >> 6] |= UINT64_C(1) << (63 - (id & 63));
}

static unsigned int bcount(const struct bits *b)
{
	return (unsigned int)(__builtin_popcountll(b->w[0]) +
			      __builtin_popcountll(b->w[1]) +
			      __builtin_popcountll(b->w[2]) +
			      __builtin_popcountll(b->w[3]));
}

static int bintersects(const struct bits *x, const struct bits *y)
{
	return ((x->w[0] & y->w[0]) | (x->w[1] & y->w[1]) |
		(x->w[2] & y->w[2]) | (x->w[3] & y->w[3])) != 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void shuffle(unsigned int *v, unsigned int n)
{
	for (unsigned int i = n - 1; i > 0; i--) {
		unsigned int j = rnd() % (i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/* ga x gd rectangles over shuffled adapter and domain IDs. */
static void partition(struct shape_mdev *m, unsigned int n, unsigned int copies)
{
	unsigned int rects = n / copies, ga = 1, gd;
	unsigned int ad[256], dm[256];

	/* Mdevs left over by the division assign nothing. */
	memset(m, 0, n * sizeof(*m));
	while ((ga + 1) * (ga + 1) <= rects)
		ga++;
	while (rects % ga)
		ga--;
	gd = rects / ga;
	for (unsigned int i = 0; i < 256; i++)
		ad[i] = dm[i] = i;
	shuffle(ad, 256);
	shuffle(dm, 256);
	for (unsigned int r = 0; r < rects; r++) {
		unsigned int ia = r / gd, id = r % gd;
		struct shape_mdev s = {{{0}}, {{0}}};

		for (unsigned int k = ia * 256 / ga; k < (ia + 1) * 256 / ga;
		     k++)
			bset(&s.a, ad[k]);
		for (unsigned int k = id * 256 / gd; k < (id + 1) * 256 / gd;
		     k++)
			bset(&s.d, dm[k]);
		for (unsigned int c = 0; c < copies; c++)
			m[r * copies + c] = s;
	}
}

/* Mdev i: one adapter x 6 domains, disjoint from every other mdev. */
static void sparse(struct shape_mdev *m, unsigned int n)
{
	unsigned int ad[256], dm[256];

	for (unsigned int i = 0; i < 256; i++)
		ad[i] = dm[i] = i;
	shuffle(ad, 256);
	shuffle(dm, 256);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int block = (i / 256) * 6 % 252;

		memset(&m[i], 0, sizeof(m[i]));
		bset(&m[i].a, ad[i % 256]);
		for (unsigned int k = 0; k < 6; k++)
			bset(&m[i].d, dm[block + k]);
	}
}

static void random_shape(struct shape_mdev *m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		for (unsigned int k = rnd() % 4 + 1; k; k--)
			bset(&m[i].a, rnd() % 256);
		for (unsigned int k = rnd() % 8 + 1; k; k--)
			bset(&m[i].d, rnd() % 256);
	}
}

/* Which configurations each mdev has. */
enum { ROLE_DEFINED, ROLE_LIVE, ROLE_BOTH };
static int role_mode = ROLE_DEFINED;

static void fill(struct apmatrix_idset *set, const struct bits *b)
{
	for (unsigned int id = 0; id < 256; id++)
		if (b->w[id >> 6] & (UINT64_C(1) << (63 - (id & 63))))
			apmatrix_idset_set(set, id);
}

struct result {
	double ms, min_ms, naive_ms;
	unsigned long apqns;
	int findings;
	unsigned long naive_pairs;
};

/* Sharing detection only, as a naive tool would do it: every pair. */
static volatile unsigned long naive_sink;

__attribute__((noinline)) static unsigned long
naive_pairs(const struct shape_mdev *m, unsigned int n)
{
	unsigned long pairs = 0;

	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1; j < n; j++)
			pairs += bintersects(&m[i].a, &m[j].a) &&
				 bintersects(&m[i].d, &m[j].d);
	naive_sink = pairs;
	return pairs;
}

static int run_one(struct apmatrix_ctx *ctx, struct apmatrix_host *host,
		   const struct shape_mdev *m, unsigned int n,
		   struct result *res)
{
	struct apmatrix_check *check = NULL;
	double t[51];
	int reps, r;

	r = apmatrix_check_new(ctx, &check);
	if (r < 0)
		return r;
	apmatrix_check_set_host(check, host);
	/* Persistent masks as the active ones: every queue to vfio_ap. */
	apmatrix_check_set_persistent_masks(check,
					    apmatrix_host_get_apmask(host),
					    apmatrix_host_get_aqmask(host));
	res->apqns = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct apmatrix_mdev *mdev = NULL;
		char uuid[37];

		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012x", i, i);
		r = apmatrix_mdev_new(ctx, uuid, &mdev);
		if (r < 0)
			goto out;
		for (unsigned int role = APMATRIX_ROLE_LIVE;
		     r == 0 && role <= APMATRIX_ROLE_DEFINED; role <<= 1) {
			struct apmatrix_matrix *mx;

			if ((role == APMATRIX_ROLE_LIVE &&
			     role_mode == ROLE_DEFINED) ||
			    (role == APMATRIX_ROLE_DEFINED &&
			     role_mode == ROLE_LIVE))
				continue;
			r = apmatrix_mdev_add_config(mdev, role, 0);
			if (r < 0)
				break;
			mx = apmatrix_mdev_get_matrix(mdev, role);
			fill(apmatrix_matrix_get_adapters(mx), &m[i].a);
			fill(apmatrix_matrix_get_usage_domains(mx), &m[i].d);
			fill(apmatrix_matrix_get_control_domains(mx), &m[i].d);
			if (role == APMATRIX_ROLE_DEFINED)
				r = apmatrix_mdev_set_autostart(mdev, 1);
		}
		if (r < 0) {
			apmatrix_mdev_unref(mdev);
			goto out;
		}
		r = apmatrix_check_add_mdev(check, mdev);
		apmatrix_mdev_unref(mdev);
		if (r < 0)
			goto out;
		res->apqns += (unsigned long)bcount(&m[i].a) * bcount(&m[i].d);
	}
	/* Repeat until 0.3 s or 51 runs (at least 5); the median drops the
	 * cold first run. */
	reps = 0;
	{
		double start = now_ms();

		while (reps < 51 && (reps < 5 || now_ms() - start < 300)) {
			struct apmatrix_report *report = NULL;
			double t0 = now_ms();

			r = apmatrix_check_run(check, 0, &report);
			t[reps] = now_ms() - t0;
			if (r < 0)
				goto out;
			res->findings = r;
			apmatrix_report_unref(report);
			reps++;
		}
	}
	qsort(t, (size_t)reps, sizeof(t[0]), cmp_double);
	res->ms = t[reps / 2];
	res->min_ms = t[0];

	/* Naive baseline: every pair, detection only. */
	{
		double nt[5];

		for (int k = 0; k < 5; k++) {
			double t0 = now_ms();

			res->naive_pairs = naive_pairs(m, n);
			nt[k] = now_ms() - t0;
			if (n >= 10000 && k == 2)
				break;
		}
		qsort(nt, n >= 10000 ? 3 : 5, sizeof(nt[0]), cmp_double);
		res->naive_ms = nt[n >= 10000 ? 1 : 2];
	}
	r = 0;
out:
	apmatrix_check_unref(check);
	return r;
}

int main(int argc, char **argv)
{
	static const char *const shapes[] = {"partition", "sparse", "random",
					     "overlap"};
	unsigned int sizes[] = {100, 1000, 10000};
	static const char *const roles[] = {"defined", "live", "both"};
	unsigned int max =
		argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 0) : 10000;
	struct apmatrix_ctx *ctx = NULL;
	struct apmatrix_host *host;
	struct shape_mdev *m;
	int status = 0;

	if (argc > 3) {
		for (role_mode = 0; role_mode < 3; role_mode++)
			if (!strcmp(argv[3], roles[role_mode]))
				break;
		if (role_mode == 3) {
			fprintf(stderr,
				"bench-check: role %s is not one of "
				"defined, live, both\n",
				argv[3]);
			return 2;
		}
	}
	if (apmatrix_new(&ctx) < 0)
		return 1;
	host = bench_full_host(ctx);
	m = calloc(10000, sizeof(*m));
	if (!host || !m)
		return 1;
	printf("bench-check: full 256x256 host, all queues bound to vfio_ap; "
	       "configurations: %s; median CPU time of repeated "
	       "apmatrix_check_run()\n",
	       roles[role_mode]);
	printf("%-9s %6s %7s %8s %9s %8s %8s %8s %8s %8s %8s %8s %10s %11s\n",
	       "shape", "mdevs", "APQNs", "findings", "ms/check", "min ms",
	       "us/mdev", "ns/APQN", "us/find", "x time", "x APQNs", "x finds",
	       "naive ms", "naive/check");
	for (unsigned int s = 0; s < 4; s++) {
		struct result base = {0};

		if (argc > 2 && strcmp(argv[2], shapes[s]))
			continue;
		for (unsigned int k = 0; k < 3 && sizes[k] <= max; k++) {
			unsigned int n = sizes[k];
			struct result res = {0};
			int r;

			rng_state = 0x1234567ull * (s + 1) + n;
			if (s == 0)
				partition(m, n, 1);
			else if (s == 1)
				sparse(m, n);
			else if (s == 2)
				random_shape(m, n);
			else
				partition(m, n, CLUSTER);
			r = run_one(ctx, host, m, n, &res);
			if (r < 0) {
				fprintf(stderr, "bench-check: %s\n",
					apmatrix_strerror(r));
				status = 1;
				break;
			}
			if (k == 0)
				base = res;
			printf("%-9s %6u %7lu %8d %9.3f %8.3f %8.3f %8.2f "
			       "%8.3f "
			       "%8.2f %8.2f %8.2f %10.3f %11.2f\n",
			       shapes[s], n, res.apqns, res.findings, res.ms,
			       res.min_ms, res.ms * 1e3 / n,
			       res.ms * 1e6 / (double)res.apqns,
			       res.findings ? res.ms * 1e3 / res.findings : 0.0,
			       res.ms / base.ms,
			       (double)res.apqns / (double)base.apqns,
			       base.findings
				       ? (double)res.findings / base.findings
				       : 0.0,
			       res.naive_ms, res.naive_ms / res.ms);
			fflush(stdout);
		}
	}
	free(m);
	apmatrix_host_unref(host);
	apmatrix_unref(ctx);
	return status;
}
