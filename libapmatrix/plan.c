/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Plans: a desired state (the target) against a host snapshot gives an
 * ordered list of sysfs writes. Pure: no I/O.
 *
 * The order never passes through a state the kernel refuses:
 *   1. release: apmask/aqmask bits cleared (queues go to vfio_ap; the
 *      kernel never checks this), so mdevs may then take those queues;
 *   2. shrink: every mdev that loses APQNs another one wants, and every
 *      mdev to remove, goes down first (to old AND new per axis), so
 *      no growing mdev meets APQNs still held elsewhere (EADDRINUSE);
 *   3. grow: creates and the final matrices. From here on each mdev holds
 *      a subset (per axis) of its final matrix, and final matrices that
 *      share nothing have subsets that share nothing;
 *   4. reclaim: apmask/aqmask bits set (queues back to the host) last,
 *      when no mdev holds them any more (else EBUSY).
 * Undoing the executed steps in reverse visits the same states backwards,
 * so a rollback is never refused either.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-internal.h"

/* ------------------------------------------------------------------ */
/* Target                                                              */

APMATRIX_EXPORT int apmatrix_target_new(struct apmatrix_ctx *ctx,
					struct apmatrix_target **ret)
{
	struct apmatrix_target *t;

	apmatrix_diag_clear(ctx);
	if (!ctx || !ret)
		return apmatrix_diag(ctx, -EINVAL, "target_new: NULL argument");
	t = calloc(1, sizeof(*t));
	if (!t)
		return apmatrix_diag(ctx, -ENOMEM, "target_new: out of memory");
	t->refcount = 1;
	t->ctx = apmatrix_ref(ctx);
	*ret = t;
	return 0;
}

APMATRIX_EXPORT struct apmatrix_target *
apmatrix_target_ref(struct apmatrix_target *target)
{
	if (target)
		target->refcount++;
	return target;
}

APMATRIX_EXPORT struct apmatrix_target *
apmatrix_target_unref(struct apmatrix_target *target)
{
	if (!target || --target->refcount > 0)
		return NULL;
	free(target->mdevs);
	free(target->requests);
	apmatrix_unref(target->ctx);
	free(target);
	return NULL;
}

static int target_entry(struct apmatrix_target *t, const char *uuid,
			const char *what, struct apmatrix_target_mdev **ret)
{
	struct apmatrix_mdev *probe = NULL;
	int r;

	/* one UUID rule: apmatrix_mdev_new() validates and lower-cases */
	r = apmatrix_mdev_new(t->ctx, uuid, &probe);
	if (r < 0)
		return r;
	for (unsigned int i = 0; i < t->count; i++)
		if (strcmp(t->mdevs[i].uuid, probe->uuid) == 0) {
			r = apmatrix_diag(
				t->ctx, -EEXIST,
				"%s: mdev %s is already in the target", what,
				probe->uuid);
			apmatrix_mdev_unref(probe);
			return r;
		}
	if (t->count == t->alloc) {
		unsigned int alloc = t->alloc ? t->alloc * 2 : 8;
		struct apmatrix_target_mdev *m =
			realloc(t->mdevs, alloc * sizeof(*m));

		if (!m) {
			apmatrix_mdev_unref(probe);
			return apmatrix_diag(t->ctx, -ENOMEM,
					     "%s: out of memory", what);
		}
		t->mdevs = m;
		t->alloc = alloc;
	}
	*ret = &t->mdevs[t->count++];
	memset(*ret, 0, sizeof(**ret));
	memcpy((*ret)->uuid, probe->uuid, sizeof((*ret)->uuid));
	apmatrix_mdev_unref(probe);
	return 0;
}

APMATRIX_EXPORT int
apmatrix_target_set_mdev(struct apmatrix_target *target, const char *uuid,
			 const struct apmatrix_matrix *matrix,
			 unsigned int flags)
{
	struct apmatrix_target_mdev *m;
	int r;

	if (!target)
		return -EINVAL;
	apmatrix_diag_clear(target->ctx);
	if (!uuid || !matrix)
		return apmatrix_diag(target->ctx, -EINVAL,
				     "target_set_mdev: NULL argument");
	if (flags)
		return apmatrix_diag(target->ctx, -EINVAL,
				     "target_set_mdev: unknown flags 0x%x",
				     flags);
	r = target_entry(target, uuid, "target_set_mdev", &m);
	if (r < 0)
		return r;
	m->present = 1;
	m->apm = matrix->adapters.bits;
	m->aqm = matrix->domains.bits;
	m->adm = matrix->controls.bits;
	return 0;
}

APMATRIX_EXPORT int apmatrix_target_remove_mdev(struct apmatrix_target *target,
						const char *uuid,
						unsigned int flags)
{
	struct apmatrix_target_mdev *m;

	if (!target)
		return -EINVAL;
	apmatrix_diag_clear(target->ctx);
	if (!uuid)
		return apmatrix_diag(target->ctx, -EINVAL,
				     "target_remove_mdev: NULL UUID");
	if (flags)
		return apmatrix_diag(target->ctx, -EINVAL,
				     "target_remove_mdev: unknown flags 0x%x",
				     flags);
	return target_entry(target, uuid, "target_remove_mdev", &m);
}

APMATRIX_EXPORT int apmatrix_target_set_masks(
	struct apmatrix_target *target, const struct apmatrix_idset *apmask,
	const struct apmatrix_idset *aqmask, unsigned int flags)
{
	if (!target)
		return -EINVAL;
	apmatrix_diag_clear(target->ctx);
	if (!apmask != !aqmask)
		return apmatrix_diag(target->ctx, -EINVAL,
				     "target_set_masks: give both masks or "
				     "neither");
	if (flags)
		return apmatrix_diag(target->ctx, -EINVAL,
				     "target_set_masks: unknown flags 0x%x",
				     flags);
	target->masks_set = apmask != NULL;
	if (apmask) {
		target->apmask = apmask->bits;
		target->aqmask = aqmask->bits;
	}
	return 0;
}

static int target_request(struct apmatrix_target *t,
			  const struct apmatrix_matrix *queues,
			  unsigned int flags, int to_host, const char *what)
{
	struct apmatrix_target_request *r;

	if (!t)
		return -EINVAL;
	apmatrix_diag_clear(t->ctx);
	if (!queues)
		return apmatrix_diag(t->ctx, -EINVAL, "%s: NULL matrix", what);
	if (flags)
		return apmatrix_diag(t->ctx, -EINVAL, "%s: unknown flags 0x%x",
				     what, flags);
	if (bits_empty(&queues->adapters.bits) ||
	    bits_empty(&queues->domains.bits))
		return apmatrix_diag(t->ctx, -EINVAL,
				     "%s: the matrix names no queue (it needs "
				     "adapters and usage domains)",
				     what);
	r = realloc(t->requests, (t->request_count + 1) * sizeof(*r));
	if (!r)
		return apmatrix_diag(t->ctx, -ENOMEM, "%s: out of memory",
				     what);
	t->requests = r;
	r += t->request_count++;
	r->to_host = to_host;
	r->apm = queues->adapters.bits;
	r->aqm = queues->domains.bits;
	return 0;
}

APMATRIX_EXPORT int
apmatrix_target_give_to_vfio(struct apmatrix_target *target,
			     const struct apmatrix_matrix *queues,
			     unsigned int flags)
{
	return target_request(target, queues, flags, 0, "target_give_to_vfio");
}

APMATRIX_EXPORT int
apmatrix_target_give_to_host(struct apmatrix_target *target,
			     const struct apmatrix_matrix *queues,
			     unsigned int flags)
{
	return target_request(target, queues, flags, 1, "target_give_to_host");
}

/* ------------------------------------------------------------------ */
/* Building the plan                                                   */

int apmatrix_kstate_from_host(struct apmatrix_kstate *ks,
			      struct apmatrix_host *host)
{
	memset(ks, 0, sizeof(*ks));
	ks->apmask = host->apmask.bits;
	ks->aqmask = host->aqmask.bits;
	ks->max_adapter_id = host->max_adapter_id;
	ks->max_domain_id = host->max_domain_id;
	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(host); i++) {
		struct apmatrix_mdev *m = apmatrix_host_get_mdev(host, i);
		struct apmatrix_matrix *live =
			apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_LIVE);
		int r;

		if (!live)
			continue;
		r = apmatrix_kstate_add(ks, apmatrix_mdev_get_uuid(m), live);
		if (r < 0) {
			apmatrix_kstate_release(ks);
			return r;
		}
	}
	return 0;
}

static void plan_owner_ref(void *owner)
{
	apmatrix_plan_ref(owner);
}

static void plan_owner_unref(void *owner)
{
	apmatrix_plan_unref(owner);
}

static int plan_add(struct apmatrix_plan *p, int kind, int mdev,
		    struct apmatrix_step **ret)
{
	struct apmatrix_step *s;

	if (p->count == p->alloc) {
		unsigned int alloc = p->alloc ? p->alloc * 2 : 16;
		struct apmatrix_step **v =
			realloc(p->steps, alloc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->steps = v;
		p->alloc = alloc;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->plan = p;
	s->kind = kind;
	s->mdev = mdev;
	apmatrix_apqn_list_init_embedded(&s->apqns, p->ctx, p, plan_owner_ref,
					 plan_owner_unref);
	apmatrix_apqn_list_init_embedded(&s->collateral, p->ctx, p,
					 plan_owner_ref, plan_owner_unref);
	p->steps[p->count++] = s;
	*ret = s;
	return 0;
}

static void mask_text(char *buf, size_t size, const struct apmatrix_bits *b)
{
	snprintf(buf, size, "0x%016llx%016llx%016llx%016llx",
		 (unsigned long long)b->w[0], (unsigned long long)b->w[1],
		 (unsigned long long)b->w[2], (unsigned long long)b->w[3]);
}

void apmatrix_format_ap_config(char *buf, size_t size,
			       const struct apmatrix_bits *apm,
			       const struct apmatrix_bits *aqm,
			       const struct apmatrix_bits *adm)
{
	char a[67], d[67], c[67];

	mask_text(a, sizeof(a), apm);
	mask_text(d, sizeof(d), aqm);
	mask_text(c, sizeof(c), adm);
	snprintf(buf, size, "%s,%s,%s\n", a, d, c);
}

/* chzdev-style relative edit: "+N", "-N-M", comma separated. */
void apmatrix_format_relative(char *buf, size_t size, char sign,
			      const struct apmatrix_bits *b)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int id = bits_next(b, 0); id >= 0;) {
		int end = id;

		while (end < 255 && bits_test(b, (unsigned int)end + 1))
			end++;
		if (end > id)
			n += (size_t)snprintf(buf + n, size - n, "%s%c%d-%d",
					      n ? "," : "", sign, id, end);
		else
			n += (size_t)snprintf(buf + n, size - n, "%s%c%d",
					      n ? "," : "", sign, id);
		id = end < 255 ? bits_next(b, (unsigned int)end + 1) : -1;
	}
}

/* The existing queues of a x d, into list (collateral: those not asked). */
static int add_queues(struct apmatrix_apqn_list *list,
		      struct apmatrix_apqn_list *collateral,
		      const struct apmatrix_host *host,
		      const struct apmatrix_target *t,
		      const struct apmatrix_bits *a,
		      const struct apmatrix_bits *d)
{
	bits_foreach (ad, a) {
		struct apmatrix_bits q;

		bits_and(&q, d, &host->queues[ad]);
		bits_foreach (dd, &q) {
			unsigned int apqn = APMATRIX_APQN((unsigned int)ad,
							  (unsigned int)dd);
			int asked = t->request_count == 0;
			int r;

			for (unsigned int i = 0; i < t->request_count; i++)
				if (bits_test(&t->requests[i].apm,
					      (unsigned int)ad) &&
				    bits_test(&t->requests[i].aqm,
					      (unsigned int)dd))
					asked = 1;
			r = apmatrix_apqn_list_insert(list, apqn);
			if (r == 0 && !asked)
				r = apmatrix_apqn_list_insert(collateral, apqn);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Release (clear) or reclaim (set) steps for both masks. */
static int plan_masks(struct apmatrix_plan *p, const struct apmatrix_host *host,
		      struct apmatrix_bits want[2], int reclaim)
{
	struct apmatrix_bits cur[2] = {p->before.apmask, p->before.aqmask};

	if (reclaim) {
		/* after the releases */
		bits_and(&cur[0], &cur[0], &want[0]);
		bits_and(&cur[1], &cur[1], &want[1]);
	}
	for (int axis = 0; axis < 2; axis++) {
		struct apmatrix_bits delta, other;
		struct apmatrix_step *s;
		int r;

		if (reclaim)
			bits_andnot(&delta, &want[axis], &cur[axis]);
		else
			bits_andnot(&delta, &cur[axis], &want[axis]);
		if (bits_empty(&delta))
			continue;
		r = plan_add(p,
			     reclaim ? APMATRIX_STEP_RECLAIM
				     : APMATRIX_STEP_RELEASE,
			     -1, &s);
		if (r < 0)
			return r;
		s->axis = axis;
		s->attr = axis ? "aqmask" : "apmask";
		s->old_apm = cur[axis];
		if (reclaim)
			bits_or(&s->apm, &cur[axis], &delta);
		else
			bits_andnot(&s->apm, &cur[axis], &delta);
		apmatrix_format_relative(s->value, sizeof(s->value),
					 reclaim ? '+' : '-', &delta);
		snprintf(s->path, sizeof(s->path), "bus/ap/%s", s->attr);
		other = cur[!axis];
		r = add_queues(&s->apqns, &s->collateral, host, p->target,
			       axis ? &other : &delta, axis ? &delta : &other);
		if (r < 0)
			return r;
		cur[axis] = s->apm;
	}
	return 0;
}

/*
 * Resolve the reservation requests against the masks: giving A x D to
 * vfio_ap clears either A or D (the one that moves fewer other queues);
 * giving it to the host sets both.
 */
static void plan_wanted_masks(const struct apmatrix_plan *p,
			      const struct apmatrix_host *host,
			      struct apmatrix_bits want[2])
{
	const struct apmatrix_target *t = p->target;

	want[0] = t->masks_set ? t->apmask : p->before.apmask;
	want[1] = t->masks_set ? t->aqmask : p->before.aqmask;
	for (unsigned int i = 0; i < t->request_count; i++) {
		const struct apmatrix_target_request *rq = &t->requests[i];
		struct apmatrix_bits a, d, rest;
		unsigned int by_a = 0, by_d = 0;

		if (rq->to_host) {
			bits_or(&want[0], &want[0], &rq->apm);
			bits_or(&want[1], &want[1], &rq->aqm);
			continue;
		}
		bits_and(&a, &rq->apm, &want[0]);
		bits_and(&d, &rq->aqm, &want[1]);
		if (bits_empty(&a) || bits_empty(&d))
			continue;
		/* collateral of each choice, in existing queues */
		bits_andnot(&rest, &want[1], &rq->aqm);
		bits_foreach (ad, &a) {
			struct apmatrix_bits q;

			bits_and(&q, &rest, &host->queues[ad]);
			by_a += bits_count(&q);
		}
		bits_andnot(&rest, &want[0], &rq->apm);
		bits_foreach (ad, &rest) {
			struct apmatrix_bits q;

			bits_and(&q, &d, &host->queues[ad]);
			by_d += bits_count(&q);
		}
		if (by_a <= by_d)
			bits_andnot(&want[0], &want[0], &a);
		else
			bits_andnot(&want[1], &want[1], &d);
	}
}

static int subset(const struct apmatrix_bits *a, const struct apmatrix_bits *b)
{
	struct apmatrix_bits x;

	bits_andnot(&x, a, b);
	return bits_empty(&x);
}

static int shares(const struct apmatrix_bits *apm1,
		  const struct apmatrix_bits *aqm1,
		  const struct apmatrix_bits *apm2,
		  const struct apmatrix_bits *aqm2)
{
	return bits_intersects(apm1, apm2) && bits_intersects(aqm1, aqm2);
}

static void product_apqns(struct apmatrix_apqn_list *list,
			  const struct apmatrix_bits *a,
			  const struct apmatrix_bits *d, int *err)
{
	bits_foreach (ad, a)
		bits_foreach (dd, d)
			if (!*err)
				*err = apmatrix_apqn_list_insert(
					list, APMATRIX_APQN((unsigned int)ad,
							    (unsigned int)dd));
}

/* The APQNs a matrix change adds and removes. */
static int change_apqns(struct apmatrix_step *s)
{
	int err = 0;

	/* cells of new not in old, then of old not in new: both products */
	bits_foreach (ad, &s->apm)
		bits_foreach (dd, &s->aqm)
			if (!err &&
			    !(bits_test(&s->old_apm, (unsigned int)ad) &&
			      bits_test(&s->old_aqm, (unsigned int)dd)))
				err = apmatrix_apqn_list_insert(
					&s->apqns,
					APMATRIX_APQN((unsigned int)ad,
						      (unsigned int)dd));
	bits_foreach (ad, &s->old_apm)
		bits_foreach (dd, &s->old_aqm)
			if (!err && !(bits_test(&s->apm, (unsigned int)ad) &&
				      bits_test(&s->aqm, (unsigned int)dd)))
				err = apmatrix_apqn_list_insert(
					&s->apqns,
					APMATRIX_APQN((unsigned int)ad,
						      (unsigned int)dd));
	return err;
}

static int plan_configure(struct apmatrix_plan *p, int i,
			  const struct apmatrix_kmdev *old,
			  const struct apmatrix_bits *apm,
			  const struct apmatrix_bits *aqm,
			  const struct apmatrix_bits *adm)
{
	struct apmatrix_step *s;
	int r = plan_add(p, APMATRIX_STEP_CONFIGURE, i, &s);

	if (r < 0)
		return r;
	s->attr = "ap_config";
	s->apm = *apm;
	s->aqm = *aqm;
	s->adm = *adm;
	s->old_apm = old->apm;
	s->old_aqm = old->aqm;
	s->old_adm = old->adm;
	apmatrix_format_ap_config(s->value, sizeof(s->value), apm, aqm, adm);
	return change_apqns(s);
}

/* assign_* (or unassign_*) every ID of ids on one axis. */
static int plan_assign_ids(struct apmatrix_plan *p, int i, int kind, int axis,
			   const struct apmatrix_bits *ids)
{
	static const char *const names[2][3] = {
		{"assign_adapter", "assign_domain", "assign_control_domain"},
		{"unassign_adapter", "unassign_domain",
		 "unassign_control_domain"}};

	bits_foreach (id, ids) {
		struct apmatrix_step *s;
		int r = plan_add(p, kind, i, &s);

		if (r < 0)
			return r;
		s->axis = axis;
		s->id = (unsigned int)id;
		s->attr = names[kind == APMATRIX_STEP_UNASSIGN][axis];
		snprintf(s->value, sizeof(s->value), "0x%x", (unsigned int)id);
	}
	return 0;
}

/* From the current matrix cur to (apm, aqm, adm) with single-ID writes. */
static int plan_assign(struct apmatrix_plan *p, int i,
		       struct apmatrix_kmdev *cur,
		       const struct apmatrix_bits *apm,
		       const struct apmatrix_bits *aqm,
		       const struct apmatrix_bits *adm, int grow)
{
	const struct apmatrix_bits *want[3] = {apm, aqm, adm};
	struct apmatrix_bits *have[3] = {&cur->apm, &cur->aqm, &cur->adm};
	int r = 0;

	/* shrink: control domains first; grow: adapters first (as mdevctl) */
	for (int k = 0; k < 3 && r == 0; k++) {
		int axis = grow ? k : 2 - k;
		struct apmatrix_bits delta;

		if (grow)
			bits_andnot(&delta, want[axis], have[axis]);
		else
			bits_andnot(&delta, have[axis], want[axis]);
		r = plan_assign_ids(p, i,
				    grow ? APMATRIX_STEP_ASSIGN
					 : APMATRIX_STEP_UNASSIGN,
				    axis, &delta);
		if (grow)
			bits_or(have[axis], have[axis], &delta);
		else
			bits_andnot(have[axis], have[axis], &delta);
	}
	return r;
}

/* Does another mdev of the target want APQNs that m holds now? */
static int wanted_elsewhere(const struct apmatrix_plan *p,
			    const struct apmatrix_target_mdev *self,
			    const struct apmatrix_kmdev *m)
{
	const struct apmatrix_target *t = p->target;

	for (unsigned int j = 0; j < t->count; j++) {
		const struct apmatrix_target_mdev *o = &t->mdevs[j];

		if (o != self && o->present &&
		    shares(&o->apm, &o->aqm, &m->apm, &m->aqm))
			return 1;
	}
	return 0;
}

static int plan_mdevs(struct apmatrix_plan *p, int grow)
{
	const struct apmatrix_target *t = p->target;
	int use_ap_config = !(p->flags & APMATRIX_PLAN_NO_AP_CONFIG);

	for (unsigned int j = 0; j < t->count; j++) {
		const struct apmatrix_target_mdev *tm = &t->mdevs[j];
		int i = apmatrix_kstate_find(&p->before, tm->uuid);
		struct apmatrix_kmdev cur;
		struct apmatrix_bits sa, sq, sc;
		struct apmatrix_step *s;
		int r;

		if (i < 0) {
			struct apmatrix_kmdev empty = {.exists = 0};

			if (!tm->present || !grow)
				continue;
			memcpy(empty.uuid, tm->uuid, sizeof(empty.uuid));
			r = apmatrix_kstate_add_slot(&p->before, &empty);
			if (r < 0)
				return r;
			i = r;
		}
		cur = p->before.mdevs[i];
		if (!tm->present) {
			if (grow || !cur.exists)
				continue;
			r = plan_add(p, APMATRIX_STEP_REMOVE, i, &s);
			if (r < 0)
				return r;
			s->attr = "remove";
			strcpy(s->value, "1");
			s->old_apm = cur.apm;
			s->old_aqm = cur.aqm;
			s->old_adm = cur.adm;
			product_apqns(&s->apqns, &cur.apm, &cur.aqm, &r);
			if (r < 0)
				return r;
			continue;
		}
		if (!cur.exists) {
			if (!grow)
				continue;
			r = plan_add(p, APMATRIX_STEP_CREATE, i, &s);
			if (r < 0)
				return r;
			s->attr = "create";
			memcpy(s->value, tm->uuid, sizeof(tm->uuid));
			memset(&cur.apm, 0, sizeof(cur.apm));
			memset(&cur.aqm, 0, sizeof(cur.aqm));
			memset(&cur.adm, 0, sizeof(cur.adm));
		} else if (bits_equal(&cur.apm, &tm->apm) &&
			   bits_equal(&cur.aqm, &tm->aqm) &&
			   bits_equal(&cur.adm, &tm->adm)) {
			continue;
		}
		if (!use_ap_config) {
			/* unassign in the shrink pass, assign in the grow */
			r = plan_assign(p, i, &cur, &tm->apm, &tm->aqm,
					&tm->adm, grow);
			if (r < 0)
				return r;
			continue;
		}
		bits_and(&sa, &cur.apm, &tm->apm);
		bits_and(&sq, &cur.aqm, &tm->aqm);
		bits_and(&sc, &cur.adm, &tm->adm);
		if (cur.exists && subset(&tm->apm, &cur.apm) &&
		    subset(&tm->aqm, &cur.aqm) && subset(&tm->adm, &cur.adm)) {
			/* only shrinks: in the shrink pass */
			if (!grow)
				r = plan_configure(p, i, &cur, &tm->apm,
						   &tm->aqm, &tm->adm);
		} else if (!grow) {
			if (cur.exists && wanted_elsewhere(p, tm, &cur) &&
			    !(bits_equal(&sa, &cur.apm) &&
			      bits_equal(&sq, &cur.aqm) &&
			      bits_equal(&sc, &cur.adm)))
				r = plan_configure(p, i, &cur, &sa, &sq, &sc);
		} else {
			/* after a shrink step, old is the shrunk matrix */
			if (cur.exists && wanted_elsewhere(p, tm, &cur) &&
			    !(bits_equal(&sa, &cur.apm) &&
			      bits_equal(&sq, &cur.aqm) &&
			      bits_equal(&sc, &cur.adm))) {
				cur.apm = sa;
				cur.aqm = sq;
				cur.adm = sc;
			}
			if (!bits_empty(&tm->apm) || !bits_empty(&tm->aqm) ||
			    !bits_empty(&tm->adm) || cur.exists)
				r = plan_configure(p, i, &cur, &tm->apm,
						   &tm->aqm, &tm->adm);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static void step_paths(struct apmatrix_plan *p)
{
	for (unsigned int k = 0; k < p->count; k++) {
		struct apmatrix_step *s = p->steps[k];

		if (s->mdev < 0)
			continue;
		if (s->kind == APMATRIX_STEP_CREATE)
			snprintf(s->path, sizeof(s->path), "%s",
				 APMATRIX_CREATE_PATH);
		else
			snprintf(s->path, sizeof(s->path), "%s/%s/%s",
				 APMATRIX_MATRIX_PATH,
				 p->before.mdevs[s->mdev].uuid, s->attr);
	}
}

/* A copy of the host's model with the masks of the final state. */
static int predicted_host(struct apmatrix_plan *p,
			  const struct apmatrix_host *host,
			  struct apmatrix_host **ret)
{
	struct apmatrix_host *h;
	int r = apmatrix_host_new(p->ctx, &h);

	if (r < 0)
		return r;
	h->max_adapter_id = host->max_adapter_id;
	h->max_domain_id = host->max_domain_id;
	h->adapter_mask.bits = host->adapter_mask.bits;
	h->usage_mask.bits = host->usage_mask.bits;
	h->control_mask.bits = host->control_mask.bits;
	memcpy(h->cards, host->cards, sizeof(h->cards));
	memcpy(h->queues, host->queues, sizeof(h->queues));
	memcpy(h->queue_info, host->queue_info, sizeof(h->queue_info));
	h->apmask.bits = p->after.apmask;
	h->aqmask.bits = p->after.aqmask;
	r = apmatrix_host_bind_by_masks(h);
	if (r < 0) {
		apmatrix_host_unref(h);
		return r;
	}
	*ret = h;
	return 0;
}

static int matrix_from_kmdev(struct apmatrix_ctx *ctx,
			     const struct apmatrix_kmdev *km,
			     struct apmatrix_matrix **ret)
{
	int r = apmatrix_matrix_new(ctx, ret);

	if (r < 0)
		return r;
	(*ret)->adapters.bits = km->apm;
	(*ret)->domains.bits = km->aqm;
	(*ret)->controls.bits = km->adm;
	return 0;
}

/* Predicted guest matrices and the check report of the final state. */
static int plan_predict(struct apmatrix_plan *p, struct apmatrix_host *host)
{
	struct apmatrix_host *h = NULL;
	struct apmatrix_check *check = NULL;
	int r;

	r = predicted_host(p, host, &h);
	if (r == 0)
		r = apmatrix_check_new(p->ctx, &check);
	if (r == 0)
		r = apmatrix_check_set_host(check, h);
	if (r == 0 && p->after.count) {
		p->guests = calloc(p->after.count, sizeof(*p->guests));
		if (!p->guests)
			r = -ENOMEM;
	}
	for (unsigned int i = 0; r == 0 && i < p->after.count; i++) {
		const struct apmatrix_kmdev *km = &p->after.mdevs[i];
		struct apmatrix_plan_guest *g = &p->guests[p->guest_count];
		struct apmatrix_matrix *assigned = NULL;
		struct apmatrix_mdev *m = NULL;

		if (!km->exists)
			continue;
		r = matrix_from_kmdev(p->ctx, km, &assigned);
		if (r == 0)
			r = apmatrix_host_predict_guest_matrix(h, assigned,
							       &g->guest);
		if (r == 0) {
			memcpy(g->uuid, km->uuid, sizeof(g->uuid));
			p->guest_count++;
			r = apmatrix_mdev_new(p->ctx, km->uuid, &m);
		}
		if (r == 0)
			r = apmatrix_mdev_add_config(m, APMATRIX_ROLE_LIVE, 0);
		if (r == 0)
			r = apmatrix_matrix_assign(
				apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_LIVE),
				assigned);
		if (r == 0)
			r = apmatrix_check_add_mdev(check, m);
		apmatrix_mdev_unref(m);
		apmatrix_matrix_unref(assigned);
	}
	if (r == 0) {
		r = apmatrix_check_run(check, 0, &p->report);
		if (r > 0)
			r = 0;
	}
	apmatrix_check_unref(check);
	apmatrix_host_unref(h);
	return r;
}

static int plan_build(struct apmatrix_plan *p, struct apmatrix_host *host)
{
	struct apmatrix_bits want[2];
	int r;

	plan_wanted_masks(p, host, want);
	r = plan_masks(p, host, want, 0);
	if (r == 0)
		r = plan_mdevs(p, 0);
	if (r == 0)
		r = plan_mdevs(p, 1);
	if (r == 0)
		r = plan_masks(p, host, want, 1);
	if (r < 0)
		return r;
	step_paths(p);

	r = apmatrix_kstate_copy(&p->after, &p->before);
	if (r < 0)
		return r;
	for (unsigned int k = 0; k < p->count; k++) {
		struct apmatrix_refusal why;

		if (apmatrix_kstate_step(&p->after, p->steps[k], &why) == 0)
			continue;
		r = apmatrix_result_new_internal(p->ctx, &p->refusal);
		if (r < 0)
			return r;
		apmatrix_result_describe(p->refusal, p, (int)k, why.error,
					 &p->after, &why);
		return 0;
	}
	return plan_predict(p, host);
}

int apmatrix_plan_new_from(struct apmatrix_target *target,
			   struct apmatrix_host *host,
			   const struct apmatrix_kstate *before,
			   unsigned int flags, struct apmatrix_plan **ret)
{
	struct apmatrix_ctx *ctx = target ? target->ctx : NULL;
	struct apmatrix_plan *p;
	int r;

	apmatrix_diag_clear(ctx);
	if (!target || !host || !ret)
		return apmatrix_diag(ctx, -EINVAL, "plan_new: NULL argument");
	if (!apmatrix_flags_ok(flags, APMATRIX_PLAN_NO_AP_CONFIG))
		return apmatrix_diag(
			ctx, -EINVAL, "plan_new: unknown flags 0x%x",
			flags & ~(unsigned int)APMATRIX_PLAN_NO_AP_CONFIG);
	p = calloc(1, sizeof(*p));
	if (!p)
		return apmatrix_diag(ctx, -ENOMEM, "plan_new: out of memory");
	p->refcount = 1;
	p->ctx = apmatrix_ref(ctx);
	p->flags = flags;
	p->target = apmatrix_target_ref(target);
	r = apmatrix_kstate_copy(&p->before, before);
	if (r == 0)
		r = plan_build(p, host);
	if (r < 0) {
		apmatrix_plan_unref(p);
		return apmatrix_diag(ctx, r, "plan_new: %s",
				     apmatrix_strerror(r));
	}
	*ret = p;
	return 0;
}

APMATRIX_EXPORT int apmatrix_plan_new(struct apmatrix_target *target,
				      struct apmatrix_host *host,
				      unsigned int flags,
				      struct apmatrix_plan **ret)
{
	struct apmatrix_kstate before;
	int r;

	if (!target || !host || !ret)
		return apmatrix_diag(target ? target->ctx : NULL, -EINVAL,
				     "plan_new: NULL argument");
	r = apmatrix_kstate_from_host(&before, host);
	if (r < 0)
		return apmatrix_diag(target->ctx, r, "plan_new: %s",
				     apmatrix_strerror(r));
	/* a kernel known to lack ap_config gets assign/unassign writes */
	if (apmatrix_host_has_feature(host, APMATRIX_FEATURE_AP_CONFIG) == 0)
		flags |= APMATRIX_PLAN_NO_AP_CONFIG;
	r = apmatrix_plan_new_from(target, host, &before, flags, ret);
	apmatrix_kstate_release(&before);
	return r;
}

APMATRIX_EXPORT struct apmatrix_plan *
apmatrix_plan_ref(struct apmatrix_plan *plan)
{
	if (plan)
		plan->refcount++;
	return plan;
}

APMATRIX_EXPORT struct apmatrix_plan *
apmatrix_plan_unref(struct apmatrix_plan *plan)
{
	if (!plan || --plan->refcount > 0)
		return NULL;
	/* the steps' lists forward references to the plan: stop that */
	plan->refcount = 1 << 30;
	for (unsigned int k = 0; k < plan->count; k++) {
		apmatrix_apqn_list_release(&plan->steps[k]->apqns);
		apmatrix_apqn_list_release(&plan->steps[k]->collateral);
		free(plan->steps[k]);
	}
	free(plan->steps);
	for (unsigned int i = 0; i < plan->guest_count; i++)
		apmatrix_matrix_unref(plan->guests[i].guest);
	free(plan->guests);
	apmatrix_result_unref(plan->refusal);
	apmatrix_report_unref(plan->report);
	apmatrix_kstate_release(&plan->before);
	apmatrix_kstate_release(&plan->after);
	apmatrix_target_unref(plan->target);
	apmatrix_unref(plan->ctx);
	free(plan);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Getters and text                                                    */

APMATRIX_EXPORT unsigned int
apmatrix_plan_get_step_count(const struct apmatrix_plan *plan)
{
	return plan ? plan->count : 0;
}

APMATRIX_EXPORT const struct apmatrix_step *
apmatrix_plan_get_step(const struct apmatrix_plan *plan, unsigned int index)
{
	return plan && index < plan->count ? plan->steps[index] : NULL;
}

APMATRIX_EXPORT const struct apmatrix_result *
apmatrix_plan_get_refusal(const struct apmatrix_plan *plan)
{
	return plan ? plan->refusal : NULL;
}

APMATRIX_EXPORT const struct apmatrix_report *
apmatrix_plan_get_report(const struct apmatrix_plan *plan)
{
	return plan ? plan->report : NULL;
}

APMATRIX_EXPORT unsigned int
apmatrix_plan_get_mdev_count(const struct apmatrix_plan *plan)
{
	return plan ? plan->guest_count : 0;
}

APMATRIX_EXPORT const char *
apmatrix_plan_get_mdev_uuid(const struct apmatrix_plan *plan,
			    unsigned int index)
{
	return plan && index < plan->guest_count ? plan->guests[index].uuid
						 : NULL;
}

APMATRIX_EXPORT const struct apmatrix_matrix *
apmatrix_plan_get_guest_matrix(const struct apmatrix_plan *plan,
			       unsigned int index)
{
	return plan && index < plan->guest_count ? plan->guests[index].guest
						 : NULL;
}

APMATRIX_EXPORT int apmatrix_step_get_kind(const struct apmatrix_step *step)
{
	return step ? step->kind : -EINVAL;
}

APMATRIX_EXPORT const char *
apmatrix_step_get_uuid(const struct apmatrix_step *step)
{
	if (!step || step->mdev < 0)
		return NULL;
	return step->plan->before.mdevs[step->mdev].uuid;
}

APMATRIX_EXPORT const char *
apmatrix_step_get_attribute(const struct apmatrix_step *step)
{
	return step ? step->attr : NULL;
}

APMATRIX_EXPORT const char *
apmatrix_step_get_path(const struct apmatrix_step *step)
{
	return step ? step->path : NULL;
}

APMATRIX_EXPORT const char *
apmatrix_step_get_value(const struct apmatrix_step *step)
{
	return step ? step->value : NULL;
}

APMATRIX_EXPORT const struct apmatrix_apqn_list *
apmatrix_step_get_apqns(const struct apmatrix_step *step)
{
	return step ? &step->apqns : NULL;
}

APMATRIX_EXPORT const struct apmatrix_apqn_list *
apmatrix_step_get_collateral(const struct apmatrix_step *step)
{
	return step ? &step->collateral : NULL;
}

static const char *const kind_names[] = {
	[APMATRIX_STEP_RELEASE] = "release",
	[APMATRIX_STEP_RECLAIM] = "reclaim",
	[APMATRIX_STEP_CREATE] = "create",
	[APMATRIX_STEP_CONFIGURE] = "configure",
	[APMATRIX_STEP_ASSIGN] = "assign",
	[APMATRIX_STEP_UNASSIGN] = "unassign",
	[APMATRIX_STEP_REMOVE] = "remove",
};

static int step_text(const struct apmatrix_step *s, char *buf, size_t size)
{
	unsigned int n = apmatrix_apqn_list_get_count(&s->apqns);
	unsigned int c = apmatrix_apqn_list_get_count(&s->collateral);
	size_t vlen = strcspn(s->value, "\n");
	const char *uuid = apmatrix_step_get_uuid(s);
	const char *what = "";

	switch (s->kind) {
	case APMATRIX_STEP_RELEASE:
		what = "queues to vfio_ap";
		break;
	case APMATRIX_STEP_RECLAIM:
		what = "queues to the host";
		break;
	case APMATRIX_STEP_CONFIGURE:
		what = "APQNs added or removed";
		break;
	case APMATRIX_STEP_REMOVE:
		what = "APQNs freed";
		break;
	default:
		break;
	}
	if (*what && c)
		return snprintf(
			buf, size,
			"%s%s%s: %.*s > /sys/%s (%u %s, %u not asked for)",
			kind_names[s->kind], uuid ? " " : "", uuid ? uuid : "",
			(int)vlen, s->value, s->path, n, what, c);
	if (*what)
		return snprintf(buf, size, "%s%s%s: %.*s > /sys/%s (%u %s)",
				kind_names[s->kind], uuid ? " " : "",
				uuid ? uuid : "", (int)vlen, s->value, s->path,
				n, what);
	return snprintf(buf, size, "%s%s%s: %.*s > /sys/%s",
			kind_names[s->kind], uuid ? " " : "", uuid ? uuid : "",
			(int)vlen, s->value, s->path);
}

APMATRIX_EXPORT int apmatrix_step_format(const struct apmatrix_step *step,
					 unsigned int flags, char *buf,
					 size_t size)
{
	if (!step || flags || (!buf && size))
		return -EINVAL;
	return step_text(step, buf, size);
}

APMATRIX_EXPORT int apmatrix_plan_format(const struct apmatrix_plan *plan,
					 unsigned int flags, char *buf,
					 size_t size)
{
	size_t len = 0;

	if (!plan)
		return -EINVAL;
	apmatrix_diag_clear(plan->ctx);
	if (flags || (!buf && size))
		return apmatrix_diag(plan->ctx, -EINVAL, "plan_format: %s",
				     flags ? "unknown flags" : "NULL buffer");
	if (size)
		buf[0] = '\0';
	for (unsigned int k = 0; k < plan->count; k++) {
		char line[512];
		int n = step_text(plan->steps[k], line, sizeof(line));

		if (n < 0)
			return -EINVAL;
		if ((size_t)n >= sizeof(line))
			n = (int)sizeof(line) - 1;
		if (len < size)
			snprintf(buf + len, size - len, "%u. %s\n", k + 1,
				 line);
		len += (size_t)snprintf(NULL, 0, "%u. ", k + 1) + (size_t)n + 1;
	}
	if (plan->refusal) {
		const char *msg = apmatrix_result_get_message(plan->refusal);

		if (len < size)
			snprintf(buf + len, size - len, "refused: %s\n", msg);
		len += strlen("refused: \n") + strlen(msg);
	}
	if (size && len >= size)
		buf[size - 1] = '\0';
	if (len > (size_t)INT32_MAX)
		return -ENOMEM;
	return (int)len;
}
