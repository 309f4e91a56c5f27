/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Applying a plan: under the s390apconfig lock, re-read the host, plan
 * again from the same target (what runs is what the host needs now), write
 * the steps, and on any failure undo the written ones in reverse order.
 * The plan's order makes every intermediate state one the kernel accepts,
 * and the reverse walk visits the same states, so the undo is accepted too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan-internal.h"
#include "sysfs.h"

/* libap waits about 95 s for the lock (3000 tries of 30-33 ms). */
#define APPLY_LOCK_TIMEOUT_MS 95000
/* AP_CONFIG_TIME: the kernel rescans every 30 s at the latest. */
#define APPLY_BINDINGS_TIMEOUT_MS 30000

struct applier {
	struct apmatrix_ctx *ctx;
	struct apmatrix_sysfs fs;
	struct apmatrix_result *result;
	int use_ap_config;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int put(struct applier *a, const char *path, const char *value)
{
	a->result->writes++;
	return apmatrix_sysfs_write(&a->fs, -1, path, value, strlen(value));
}

/*
 * After a mask write the kernel re-probes the queues that changed pool
 * (asynchronously on real machines): wait until `bindings` says complete.
 */
static int wait_bindings(struct applier *a)
{
	long long deadline = now_ms() + APPLY_BINDINGS_TIMEOUT_MS;
	char buf[64];

	for (;;) {
		ssize_t n = apmatrix_sysfs_read(&a->fs, -1, "bus/ap/bindings",
						buf, sizeof(buf));

		if (n == -ENOENT)
			return 0; /* a kernel without the attribute */
		if (n < 0)
			return (int)n;
		if (strstr(buf, "(complete)"))
			return 0;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		nanosleep(&(struct timespec){.tv_nsec = 5 * 1000 * 1000}, NULL);
	}
}

static void mdev_path(char *buf, size_t size, const char *uuid,
		      const char *attr)
{
	snprintf(buf, size, "devices/vfio_ap/matrix/%s/%s", uuid, attr);
}

/* *written: the write itself was taken (the bindings may not settle). */
static int do_step(struct applier *a, const struct apmatrix_step *s,
		   int *written)
{
	int r = put(a, s->path, s->value);

	*written = r == 0;
	if (r == 0 && (s->kind == APMATRIX_STEP_RELEASE ||
		       s->kind == APMATRIX_STEP_RECLAIM))
		r = wait_bindings(a);
	return r;
}

/* Give an mdev back the matrix it had (after re-creating it). */
static int restore_matrix(struct applier *a, const char *uuid,
			  const struct apmatrix_bits *apm,
			  const struct apmatrix_bits *aqm,
			  const struct apmatrix_bits *adm)
{
	static const char *const attrs[3] = {"assign_adapter", "assign_domain",
					     "assign_control_domain"};
	const struct apmatrix_bits *ids[3] = {apm, aqm, adm};
	char path[128], value[3 * 67 + 2];
	int r = 0;

	if (bits_empty(apm) && bits_empty(aqm) && bits_empty(adm))
		return 0;
	if (a->use_ap_config) {
		apmatrix_format_ap_config(value, sizeof(value), apm, aqm, adm);
		mdev_path(path, sizeof(path), uuid, "ap_config");
		return put(a, path, value);
	}
	for (int k = 0; k < 3 && r == 0; k++) {
		mdev_path(path, sizeof(path), uuid, attrs[k]);
		bits_foreach (id, ids[k]) {
			snprintf(value, sizeof(value), "0x%x",
				 (unsigned int)id);
			r = put(a, path, value);
			if (r < 0)
				break;
		}
	}
	return r;
}

static int undo_step(struct applier *a, const struct apmatrix_plan *p,
		     const struct apmatrix_step *s)
{
	const char *uuid = apmatrix_step_get_uuid(s);
	char path[128], value[3 * 67 + 2];
	struct apmatrix_bits delta;
	int r;

	switch (s->kind) {
	case APMATRIX_STEP_RELEASE:
	case APMATRIX_STEP_RECLAIM:
		bits_andnot(&delta,
			    s->kind == APMATRIX_STEP_RELEASE ? &s->old_apm
							     : &s->apm,
			    s->kind == APMATRIX_STEP_RELEASE ? &s->apm
							     : &s->old_apm);
		apmatrix_format_relative(
			value, sizeof(value),
			s->kind == APMATRIX_STEP_RELEASE ? '+' : '-', &delta);
		r = put(a, s->path, value);
		return r ? r : wait_bindings(a);
	case APMATRIX_STEP_CREATE:
		mdev_path(path, sizeof(path), uuid, "remove");
		return put(a, path, "1");
	case APMATRIX_STEP_REMOVE:
		r = put(a, APMATRIX_CREATE_PATH, uuid);
		return r ? r
			 : restore_matrix(a, uuid, &s->old_apm, &s->old_aqm,
					  &s->old_adm);
	case APMATRIX_STEP_CONFIGURE:
		apmatrix_format_ap_config(value, sizeof(value), &s->old_apm,
					  &s->old_aqm, &s->old_adm);
		return put(a, s->path, value);
	default: {
		/* assign <-> unassign of the same ID */
		const char *attr = s->attr;

		if (s->kind == APMATRIX_STEP_UNASSIGN)
			attr += 2; /* "unassign_x" -> "assign_x" */
		else
			snprintf(value, sizeof(value), "un%s", attr);
		mdev_path(path, sizeof(path), uuid,
			  s->kind == APMATRIX_STEP_UNASSIGN ? attr : value);
		return put(a, path, s->value);
	}
	}
}

static void copy_refusal(struct apmatrix_result *dst,
			 const struct apmatrix_result *src)
{
	int err = 0;

	dst->error = src->error;
	dst->step = src->step;
	memcpy(dst->uuid, src->uuid, sizeof(dst->uuid));
	memcpy(dst->other, src->other, sizeof(dst->other));
	memcpy(dst->message, src->message, sizeof(dst->message));
	for (unsigned int i = 0; i < src->apqns.count && !err; i++)
		err = apmatrix_apqn_list_insert(&dst->apqns,
						src->apqns.apqns[i]);
}

static void execute(struct applier *a, struct apmatrix_plan *p)
{
	struct apmatrix_result *res = a->result;
	struct apmatrix_kstate ks;
	unsigned int k;
	int r = 0;

	/* replay in the model too, to explain a failure with its APQNs */
	if (apmatrix_kstate_copy(&ks, &p->before) < 0) {
		res->error = -ENOMEM;
		return;
	}
	for (k = 0; k < p->count; k++) {
		struct apmatrix_kstate before;
		struct apmatrix_refusal why;
		int written;

		r = do_step(a, p->steps[k], &written);
		if (r == 0) {
			apmatrix_kstate_step(&ks, p->steps[k], &why);
			continue;
		}
		/* what the model says the refusal is about */
		if (apmatrix_kstate_copy(&before, &ks) == 0) {
			apmatrix_kstate_step(&before, p->steps[k], &why);
			apmatrix_result_describe(res, p, (int)k, r, &ks, &why);
			apmatrix_kstate_release(&before);
		} else {
			apmatrix_result_describe(res, p, (int)k, r, &ks, NULL);
		}
		/* a mask write that took but whose bindings did not settle */
		if (written)
			k++;
		break;
	}
	apmatrix_kstate_release(&ks);
	if (r == 0)
		return;
	while (k-- > 0) {
		int u = undo_step(a, p, p->steps[k]);

		if (u < 0 && !res->rollback_error)
			res->rollback_error = u;
	}
}

APMATRIX_EXPORT int apmatrix_plan_apply(struct apmatrix_plan *plan,
					unsigned int flags,
					struct apmatrix_result **ret)
{
	struct apmatrix_ctx *ctx = plan ? plan->ctx : NULL;
	struct applier a = {.ctx = ctx, .fs = {.root = -1}};
	struct apmatrix_lock *lock = NULL;
	struct apmatrix_host *host = NULL;
	struct apmatrix_plan *fresh = NULL;
	struct apmatrix_result *res = NULL;
	int r;

	apmatrix_diag_clear(ctx);
	if (!plan || !ret)
		return apmatrix_diag(ctx, -EINVAL, "plan_apply: NULL argument");
	if (!apmatrix_flags_ok(flags, APMATRIX_APPLY_LOCKED))
		return apmatrix_diag(
			ctx, -EINVAL, "plan_apply: unknown flags 0x%x",
			flags & ~(unsigned int)APMATRIX_APPLY_LOCKED);
	r = apmatrix_result_new_internal(ctx, &res);
	if (r < 0)
		return apmatrix_diag(ctx, r, "plan_apply: out of memory");
	a.result = res;

	if (!(flags & APMATRIX_APPLY_LOCKED)) {
		r = apmatrix_lock_acquire(ctx, APPLY_LOCK_TIMEOUT_MS, 0, &lock);
		if (r < 0) {
			res->error = r;
			snprintf(res->message, sizeof(res->message),
				 "cannot take the s390apconfig lock: %s",
				 apmatrix_get_diagnostic(ctx));
			goto out;
		}
	}
	/* re-check under the lock: nobody can change the host under us */
	r = apmatrix_host_read(ctx, 0, &host);
	if (r == 0)
		r = apmatrix_plan_new(plan->target, host, plan->flags, &fresh);
	if (r < 0) {
		res->error = r;
		snprintf(res->message, sizeof(res->message),
			 "cannot read the host: %s",
			 apmatrix_get_diagnostic(ctx));
		goto out;
	}
	res->plan = fresh;
	if (fresh->refusal) {
		copy_refusal(res, fresh->refusal);
		goto out;
	}
	a.use_ap_config = !(fresh->flags & APMATRIX_PLAN_NO_AP_CONFIG);
	r = apmatrix_sysfs_open(ctx, &a.fs);
	if (r < 0) {
		res->error = r;
		snprintf(res->message, sizeof(res->message), "%s",
			 apmatrix_get_diagnostic(ctx));
		goto out;
	}
	execute(&a, fresh);
	apmatrix_sysfs_close(&a.fs);
out:
	if (lock) {
		apmatrix_lock_release(lock);
		apmatrix_lock_unref(lock);
	}
	apmatrix_host_unref(host);
	*ret = res;
	if (res->error)
		return apmatrix_diag(ctx, res->error, "%s", res->message);
	apmatrix_diag_clear(ctx);
	return 0;
}
