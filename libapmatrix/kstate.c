/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the kernel holds (masks, limits, mdev matrices) and the rules by
 * which it takes or refuses a write, in the order the kernel checks them
 * (vfio_ap_ops.c, ap_bus.c; kernel/matrix.c simulates the same). The plan
 * replays its steps here before anything is written, so what the kernel
 * would refuse is refused up front, with the APQNs and mdevs it is about.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan-internal.h"

void apmatrix_kstate_release(struct apmatrix_kstate *ks)
{
	free(ks->mdevs);
	memset(ks, 0, sizeof(*ks));
}

static int kstate_reserve(struct apmatrix_kstate *ks, unsigned int n)
{
	struct apmatrix_kmdev *m;
	unsigned int alloc;

	if (n <= ks->alloc)
		return 0;
	alloc = ks->alloc ? ks->alloc * 2 : 8;
	while (alloc < n)
		alloc *= 2;
	m = realloc(ks->mdevs, alloc * sizeof(*m));
	if (!m)
		return -ENOMEM;
	ks->mdevs = m;
	ks->alloc = alloc;
	return 0;
}

int apmatrix_kstate_copy(struct apmatrix_kstate *dst,
			 const struct apmatrix_kstate *src)
{
	*dst = *src;
	dst->mdevs = NULL;
	dst->alloc = 0;
	if (kstate_reserve(dst, src->count) < 0) {
		dst->count = 0;
		return -ENOMEM;
	}
	if (src->count)
		memcpy(dst->mdevs, src->mdevs,
		       src->count * sizeof(*src->mdevs));
	return 0;
}

int apmatrix_kstate_find(const struct apmatrix_kstate *ks, const char *uuid)
{
	for (unsigned int i = 0; i < ks->count; i++)
		if (strcmp(ks->mdevs[i].uuid, uuid) == 0)
			return (int)i;
	return -1;
}

/* A slot for uuid (existing or new, not yet existing in the kernel). */
static int kstate_slot(struct apmatrix_kstate *ks, const char *uuid)
{
	int i = apmatrix_kstate_find(ks, uuid);

	if (i >= 0)
		return i;
	if (kstate_reserve(ks, ks->count + 1) < 0)
		return -ENOMEM;
	memset(&ks->mdevs[ks->count], 0, sizeof(ks->mdevs[0]));
	memcpy(ks->mdevs[ks->count].uuid, uuid, APMATRIX_UUID_LEN + 1);
	return (int)ks->count++;
}

int apmatrix_kstate_add_slot(struct apmatrix_kstate *ks,
			     const struct apmatrix_kmdev *m)
{
	if (kstate_reserve(ks, ks->count + 1) < 0)
		return -ENOMEM;
	ks->mdevs[ks->count] = *m;
	return (int)ks->count++;
}

int apmatrix_kstate_add(struct apmatrix_kstate *ks, const char *uuid,
			const struct apmatrix_matrix *live)
{
	int i = kstate_slot(ks, uuid);

	if (i < 0)
		return i;
	ks->mdevs[i].exists = 1;
	ks->mdevs[i].apm = live->adapters.bits;
	ks->mdevs[i].aqm = live->domains.bits;
	ks->mdevs[i].adm = live->controls.bits;
	return i;
}

int apmatrix_kstate_equal(const struct apmatrix_kstate *a,
			  const struct apmatrix_kstate *b)
{
	if (!bits_equal(&a->apmask, &b->apmask) ||
	    !bits_equal(&a->aqmask, &b->aqmask))
		return 0;
	for (unsigned int pass = 0; pass < 2; pass++) {
		const struct apmatrix_kstate *x = pass ? b : a;
		const struct apmatrix_kstate *y = pass ? a : b;

		for (unsigned int i = 0; i < x->count; i++) {
			const struct apmatrix_kmdev *m = &x->mdevs[i];
			int j = apmatrix_kstate_find(y, m->uuid);
			const struct apmatrix_kmdev *n;

			if (!m->exists)
				continue;
			if (j < 0 || !y->mdevs[j].exists)
				return 0;
			n = &y->mdevs[j];
			if (!bits_equal(&m->apm, &n->apm) ||
			    !bits_equal(&m->aqm, &n->aqm) ||
			    !bits_equal(&m->adm, &n->adm))
				return 0;
		}
	}
	return 1;
}

static void why_product(struct apmatrix_refusal *why, int error, int other,
			const struct apmatrix_bits *apm,
			const struct apmatrix_bits *aqm)
{
	why->error = error;
	why->other = other;
	why->adapters = *apm;
	why->domains = *aqm;
	why->product = 1;
}

/* vfio_ap_mdev_validate_masks(): host pool first, then sharing. */
static int kstate_validate(const struct apmatrix_kstate *ks, int self,
			   const struct apmatrix_bits *apm,
			   const struct apmatrix_bits *aqm,
			   struct apmatrix_refusal *why)
{
	struct apmatrix_bits a, d;

	bits_and(&a, apm, &ks->apmask);
	bits_and(&d, aqm, &ks->aqmask);
	if (!bits_empty(&a) && !bits_empty(&d)) {
		why_product(why, -EADDRNOTAVAIL, -1, &a, &d);
		return why->error;
	}
	for (unsigned int i = 0; i < ks->count; i++) {
		const struct apmatrix_kmdev *m = &ks->mdevs[i];

		if ((int)i == self || !m->exists)
			continue;
		bits_and(&a, apm, &m->apm);
		bits_and(&d, aqm, &m->aqm);
		if (!bits_empty(&a) && !bits_empty(&d)) {
			why_product(why, -EADDRINUSE, (int)i, &a, &d);
			return why->error;
		}
	}
	return 0;
}

static int over_limit(const struct apmatrix_bits *b, unsigned int max,
		      struct apmatrix_bits *over)
{
	struct apmatrix_bits lim = *b;

	bits_limit(&lim, max);
	bits_andnot(over, b, &lim);
	return !bits_empty(over);
}

static int kstate_assign(struct apmatrix_kstate *ks, int i,
			 const struct apmatrix_step *step,
			 struct apmatrix_refusal *why)
{
	struct apmatrix_kmdev *m = &ks->mdevs[i];
	int unassign = step->kind == APMATRIX_STEP_UNASSIGN;
	struct apmatrix_bits *mask, nm;
	unsigned int max;

	if (step->axis == APMATRIX_AXIS_CONTROL) {
		mask = &m->adm;
		max = ks->max_domain_id;
	} else if (step->axis == APMATRIX_AXIS_DOMAIN) {
		mask = &m->aqm;
		max = ks->max_domain_id;
	} else {
		mask = &m->apm;
		max = ks->max_adapter_id;
	}
	if (step->id > max) {
		struct apmatrix_bits one = {{0}}, none = {{0}};

		bits_set(&one, step->id);
		if (mask == &m->apm)
			why_product(why, -ENODEV, -1, &one, &none);
		else
			why_product(why, -ENODEV, -1, &none, &one);
		why->product = 0;
		return why->error;
	}
	if (bits_test(mask, step->id) == !unassign)
		return 0;
	nm = *mask;
	if (unassign) {
		bits_clear(&nm, step->id);
	} else {
		bits_set(&nm, step->id);
		if (mask != &m->adm) {
			int r = kstate_validate(
				ks, i, mask == &m->apm ? &nm : &m->apm,
				mask == &m->aqm ? &nm : &m->aqm, why);
			if (r)
				return r;
		}
	}
	*mask = nm;
	return 0;
}

/* ap_config_store(): host pool, sharing, then the ID limits. */
static int kstate_configure(struct apmatrix_kstate *ks, int i,
			    const struct apmatrix_step *step,
			    struct apmatrix_refusal *why)
{
	struct apmatrix_bits oa, od, oc;
	int r = kstate_validate(ks, i, &step->apm, &step->aqm, why);

	if (r)
		return r;
	if (over_limit(&step->apm, ks->max_adapter_id, &oa) |
	    over_limit(&step->aqm, ks->max_domain_id, &od) |
	    over_limit(&step->adm, ks->max_domain_id, &oc)) {
		bits_or(&od, &od, &oc);
		why_product(why, -ENODEV, -1, &oa, &od);
		why->product = 0;
		return why->error;
	}
	ks->mdevs[i].apm = step->apm;
	ks->mdevs[i].aqm = step->aqm;
	ks->mdevs[i].adm = step->adm;
	return 0;
}

/*
 * apmask_store()/aqmask_store(): bits newly set are offered to vfio_ap's
 * in_use() crossed with the other current mask; any mdev holding one of
 * those APQNs vetoes (EBUSY). Cleared bits are never checked.
 */
static int kstate_mask(struct apmatrix_kstate *ks,
		       const struct apmatrix_step *step,
		       struct apmatrix_refusal *why)
{
	struct apmatrix_bits *cur = step->axis ? &ks->aqmask : &ks->apmask;
	const struct apmatrix_bits *other =
		step->axis ? &ks->apmask : &ks->aqmask;
	struct apmatrix_bits added, a, d;

	bits_andnot(&added, &step->apm, cur);
	if (!bits_empty(&added)) {
		const struct apmatrix_bits *apm = step->axis ? other : &added;
		const struct apmatrix_bits *aqm = step->axis ? &added : other;

		for (unsigned int i = 0; i < ks->count; i++) {
			const struct apmatrix_kmdev *m = &ks->mdevs[i];

			if (!m->exists)
				continue;
			bits_and(&a, apm, &m->apm);
			bits_and(&d, aqm, &m->aqm);
			if (!bits_empty(&a) && !bits_empty(&d)) {
				why_product(why, -EBUSY, (int)i, &a, &d);
				return why->error;
			}
		}
	}
	*cur = step->apm;
	return 0;
}

int apmatrix_kstate_step(struct apmatrix_kstate *ks,
			 const struct apmatrix_step *step,
			 struct apmatrix_refusal *why)
{
	int i = step->mdev;

	memset(why, 0, sizeof(*why));
	why->other = -1;
	switch (step->kind) {
	case APMATRIX_STEP_RELEASE:
	case APMATRIX_STEP_RECLAIM:
		return kstate_mask(ks, step, why);
	case APMATRIX_STEP_CREATE:
		if (ks->mdevs[i].exists) {
			why->error = -EEXIST;
			return why->error;
		}
		ks->mdevs[i].exists = 1;
		memset(&ks->mdevs[i].apm, 0, sizeof(ks->mdevs[i].apm));
		memset(&ks->mdevs[i].aqm, 0, sizeof(ks->mdevs[i].aqm));
		memset(&ks->mdevs[i].adm, 0, sizeof(ks->mdevs[i].adm));
		return 0;
	case APMATRIX_STEP_REMOVE:
		if (!ks->mdevs[i].exists) {
			why->error = -ENOENT;
			return why->error;
		}
		ks->mdevs[i].exists = 0;
		return 0;
	default:
		break;
	}
	if (!ks->mdevs[i].exists) {
		why->error = -ENOENT;
		return why->error;
	}
	if (step->kind == APMATRIX_STEP_CONFIGURE)
		return kstate_configure(ks, i, step, why);
	return kstate_assign(ks, i, step, why);
}
