/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conflict engine: a pure function of a host description, mdevs and
 * persistent masks. It scales with the number of assigned APQNs (plus the
 * size of the output), never with the number of mdev pairs: sharing is
 * found through a table of APQN owners, everything else with per-adapter
 * bitmap operations.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Out of memory in uthash must not exit: it sets hash_oom in the caller. */
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) (hash_oom = 1)
#include <uthash.h>

#include "check-internal.h"

struct check_uuid {
	const char *uuid; /* points into the mdev */
	UT_hash_handle hh;
};

struct apmatrix_check {
	int refcount;
	struct apmatrix_ctx *ctx;
	struct apmatrix_host *host;
	int have_persistent;
	struct apmatrix_bits persistent_apmask;
	struct apmatrix_bits persistent_aqmask;
	struct apmatrix_mdev **mdevs;
	unsigned int count;
	unsigned int alloc;
	struct check_uuid *uuids;
	/*
	 * Owner of each APQN during a run: -1 for none, an mdev index for a
	 * single owner, or -2 - n for a chain of owner nodes starting at n.
	 * Kept between runs to spare the allocation.
	 */
	int32_t *owner;
};

struct owner_node {
	int32_t mdev;
	int32_t next;
};

struct run_state {
	struct apmatrix_check *check;
	struct apmatrix_report *report;
	struct owner_node *nodes;
	size_t node_count, node_alloc;
	uint32_t *pairs; /* (earlier, later) mdev indices */
	size_t pair_count, pair_alloc;
	int32_t *seen;   /* while claiming; then the UUID rank of each mdev */
	int32_t current; /* the mdev being checked */
};

APMATRIX_EXPORT int apmatrix_check_new(struct apmatrix_ctx *ctx,
				       struct apmatrix_check **ret)
{
	struct apmatrix_check *check;

	if (!ctx || !ret)
		return apmatrix_diag(ctx, -EINVAL, "check_new: NULL argument");
	check = calloc(1, sizeof(*check));
	if (!check)
		return apmatrix_diag(ctx, -ENOMEM, "check_new: out of memory");
	check->refcount = 1;
	check->ctx = apmatrix_ref(ctx);
	*ret = check;
	return 0;
}

APMATRIX_EXPORT struct apmatrix_check *
apmatrix_check_ref(struct apmatrix_check *check)
{
	if (check)
		check->refcount++;
	return check;
}

APMATRIX_EXPORT struct apmatrix_check *
apmatrix_check_unref(struct apmatrix_check *check)
{
	struct check_uuid *e, *tmp;

	if (!check || --check->refcount > 0)
		return NULL;
	HASH_ITER(hh, check->uuids, e, tmp)
	{
		HASH_DEL(check->uuids, e);
		free(e);
	}
	for (unsigned int i = 0; i < check->count; i++)
		apmatrix_mdev_unref(check->mdevs[i]);
	free(check->mdevs);
	free(check->owner);
	apmatrix_host_unref(check->host);
	apmatrix_unref(check->ctx);
	free(check);
	return NULL;
}

APMATRIX_EXPORT int apmatrix_check_set_host(struct apmatrix_check *check,
					    struct apmatrix_host *host)
{
	if (!check)
		return -EINVAL;
	apmatrix_host_ref(host);
	apmatrix_host_unref(check->host);
	check->host = host;
	return 0;
}

APMATRIX_EXPORT int apmatrix_check_add_mdev(struct apmatrix_check *check,
					    struct apmatrix_mdev *mdev)
{
	struct check_uuid *e;
	int hash_oom = 0;

	if (!check)
		return -EINVAL;
	if (!mdev)
		return apmatrix_diag(check->ctx, -EINVAL,
				     "check_add_mdev: NULL mdev");
	HASH_FIND_STR(check->uuids, mdev->uuid, e);
	if (e)
		return apmatrix_diag(check->ctx, -EEXIST,
				     "mdev %s is already part of the check",
				     mdev->uuid);
	if (check->count >= INT32_MAX / 2)
		return apmatrix_diag(check->ctx, -ENOMEM, "too many mdevs");
	if (check->count == check->alloc) {
		unsigned int alloc = check->alloc ? check->alloc * 2 : 16;
		struct apmatrix_mdev **n;

		n = realloc(check->mdevs, alloc * sizeof(*n));
		if (!n)
			return apmatrix_diag(check->ctx, -ENOMEM,
					     "check_add_mdev: out of memory");
		check->mdevs = n;
		check->alloc = alloc;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return apmatrix_diag(check->ctx, -ENOMEM,
				     "check_add_mdev: out of memory");
	e->uuid = mdev->uuid;
	HASH_ADD_KEYPTR(hh, check->uuids, e->uuid, APMATRIX_UUID_LEN, e);
	if (hash_oom) {
		free(e);
		return apmatrix_diag(check->ctx, -ENOMEM,
				     "check_add_mdev: out of memory");
	}
	check->mdevs[check->count++] = apmatrix_mdev_ref(mdev);
	return 0;
}

APMATRIX_EXPORT int
apmatrix_check_set_persistent_masks(struct apmatrix_check *check,
				    const struct apmatrix_idset *apmask,
				    const struct apmatrix_idset *aqmask)
{
	if (!check)
		return -EINVAL;
	if (!apmask != !aqmask)
		return apmatrix_diag(check->ctx, -EINVAL,
				     "persistent masks: give both apmask and "
				     "aqmask, or neither");
	check->have_persistent = apmask != NULL;
	if (apmask) {
		check->persistent_apmask = apmask->bits;
		check->persistent_aqmask = aqmask->bits;
	}
	return 0;
}

/* The configuration checked: the live one, else the definition. */
static const struct apmatrix_matrix *mx(const struct apmatrix_mdev *m)
{
	static const struct apmatrix_matrix none;

	if (m->roles & APMATRIX_ROLE_LIVE)
		return &m->config[APMATRIX_CONFIG_LIVE];
	if (m->roles & APMATRIX_ROLE_DEFINED)
		return &m->config[APMATRIX_CONFIG_DEFINED];
	return &none;
}

/* ------------------------------------------------------------------ */
/* Building findings                                                   */

/* Make room for n more APQNs in a list being built. */
static int list_reserve(struct apmatrix_apqn_list *list, size_t n)
{
	size_t want = (size_t)list->count + n;
	uint16_t *p;

	if (want <= list->alloc)
		return 0;
	if (want > APMATRIX_MAX_APQNS)
		return -EINVAL;
	p = realloc(list->apqns, want * sizeof(*p));
	if (!p)
		return -ENOMEM;
	list->apqns = p;
	list->alloc = (unsigned int)want;
	return 0;
}

/* Append a x d for every a in adapters, d in domains (adapter-major). */
static int append_product(struct apmatrix_apqn_list *list,
			  const struct apmatrix_bits *adapters,
			  const struct apmatrix_bits *domains)
{
	uint16_t doms[APMATRIX_MAX_IDS];
	unsigned int nd = 0;
	int r;

	bits_foreach (d, domains)
		doms[nd++] = (uint16_t)d;
	/* An empty product may leave the list without storage at all. */
	if (nd == 0 || bits_empty(adapters))
		return 0;
	r = list_reserve(list, (size_t)bits_count(adapters) * nd);
	if (r < 0)
		return r;
	bits_foreach (a, adapters) {
		uint16_t *out = list->apqns + list->count;
		uint16_t base = (uint16_t)((unsigned int)a << 8);

		for (unsigned int k = 0; k < nd; k++)
			out[k] = (uint16_t)(base | doms[k]);
		list->count += nd;
	}
	return 0;
}

/* Append, adapter-major, a x rows[a] for every a in adapters. */
static int append_rows(struct apmatrix_apqn_list *list,
		       const struct apmatrix_bits *adapters,
		       const struct apmatrix_bits *rows)
{
	size_t n = 0;
	int r;

	bits_foreach (a, adapters)
		n += bits_count(&rows[a]);
	r = list_reserve(list, n);
	if (r < 0)
		return r;
	bits_foreach (a, adapters) {
		bits_foreach (d, &rows[a])
			list->apqns[list->count++] = (uint16_t)APMATRIX_APQN(
				(unsigned int)a, (unsigned int)d);
	}
	return 0;
}

static int add_finding(struct run_state *rs, int code, int severity,
		       const struct apmatrix_mdev *m,
		       struct apmatrix_finding **ret)
{
	int r = apmatrix_report_add_mdevs(rs->report, code, severity, m, NULL,
					  ret);

	if (r == 0)
		(*ret)->mdev_index[0] = rs->current;
	return r;
}

/* A finding whose APQNs are the product of its adapters and domains. */
static int product_finding(struct run_state *rs, int code, int severity,
			   const struct apmatrix_mdev *m,
			   const struct apmatrix_bits *a,
			   const struct apmatrix_bits *d)
{
	struct apmatrix_finding *f;
	int r = add_finding(rs, code, severity, m, &f);

	if (r < 0)
		return r;
	f->adapters.bits = *a;
	f->domains.bits = *d;
	return append_product(&f->apqns, a, d);
}

static int check_pair(struct run_state *rs, uint32_t i0, uint32_t i1)
{
	const struct apmatrix_mdev *m0 = rs->check->mdevs[i0];
	const struct apmatrix_mdev *m1 = rs->check->mdevs[i1];
	struct apmatrix_finding *f;
	unsigned int both;
	int r;

	if (m0->key[0] > m1->key[0] ||
	    (m0->key[0] == m1->key[0] && m0->key[1] > m1->key[1])) {
		const struct apmatrix_mdev *t = m0;
		uint32_t ti = i0;

		m0 = m1;
		m1 = t;
		i0 = i1;
		i1 = ti;
	}
	both = apmatrix_mdev_state(m0) & apmatrix_mdev_state(m1);
	r = apmatrix_report_add_mdevs(
		rs->report, APMATRIX_FINDING_SHARED_APQNS,
		(both & (APMATRIX_MDEV_ACTIVE | APMATRIX_MDEV_AUTOSTART))
			? APMATRIX_SEVERITY_ERROR
			: APMATRIX_SEVERITY_WARNING,
		m0, m1, &f);
	if (r < 0)
		return r;
	f->mdev_index[0] = (int32_t)i0;
	f->mdev_index[1] = (int32_t)i1;
	bits_and(&f->adapters.bits, &mx(m0)->adapters.bits,
		 &mx(m1)->adapters.bits);
	bits_and(&f->domains.bits, &mx(m0)->domains.bits,
		 &mx(m1)->domains.bits);
	return append_product(&f->apqns, &f->adapters.bits, &f->domains.bits);
}

static int push_node(struct run_state *rs, int32_t mdev, int32_t next)
{
	if (rs->node_count == rs->node_alloc) {
		size_t alloc = rs->node_alloc ? rs->node_alloc * 2 : 1024;
		struct owner_node *n;

		if (alloc > INT32_MAX / 2)
			return -ENOMEM;
		n = realloc(rs->nodes, alloc * sizeof(*n));
		if (!n)
			return -ENOMEM;
		rs->nodes = n;
		rs->node_alloc = alloc;
	}
	rs->nodes[rs->node_count].mdev = mdev;
	rs->nodes[rs->node_count].next = next;
	return (int)rs->node_count++;
}

/* Record that mdev i shares an APQN with the earlier mdev j. */
static int note_pair(struct run_state *rs, int32_t j, int32_t i)
{
	if (rs->seen[j] == i)
		return 0;
	rs->seen[j] = i;
	if (rs->pair_count == rs->pair_alloc) {
		size_t alloc = rs->pair_alloc ? rs->pair_alloc * 2 : 256;
		uint32_t *n;

		if (alloc > SIZE_MAX / (2 * sizeof(*n)))
			return -ENOMEM;
		n = realloc(rs->pairs, alloc * 2 * sizeof(*n));
		if (!n)
			return -ENOMEM;
		rs->pairs = n;
		rs->pair_alloc = alloc;
	}
	rs->pairs[2 * rs->pair_count] = (uint32_t)j;
	rs->pairs[2 * rs->pair_count + 1] = (uint32_t)i;
	rs->pair_count++;
	return 0;
}

/* An APQN of mdev i whose owner slot holds v (not -1). */
static int claim_taken(struct run_state *rs, int32_t *slot, int32_t v,
		       int32_t i)
{
	int head, r;

	if (v >= 0) {
		r = note_pair(rs, v, i);
		if (r < 0)
			return r;
		head = push_node(rs, v, -1);
		if (head < 0)
			return head;
	} else {
		head = -2 - v;
		for (int32_t n = head; n >= 0; n = rs->nodes[n].next) {
			r = note_pair(rs, rs->nodes[n].mdev, i);
			if (r < 0)
				return r;
		}
	}
	head = push_node(rs, i, head);
	if (head < 0)
		return head;
	*slot = -2 - head;
	return 0;
}

/*
 * Claim every APQN of mdev i in the owner table. Work is one step per
 * APQN, plus one per earlier owner of an APQN that is already taken (which
 * the shared-APQN lists of the output pay for anyway).
 */
static int claim_apqns(struct run_state *rs, int32_t i,
		       const struct apmatrix_bits *ad,
		       const struct apmatrix_bits *dm)
{
	int32_t *owner = rs->check->owner;
	uint8_t doms[APMATRIX_MAX_IDS];
	unsigned int nd = 0;

	bits_foreach (d, dm)
		doms[nd++] = (uint8_t)d;
	if (!nd)
		return 0;
	bits_foreach (a, ad) {
		int32_t *row = owner + ((unsigned int)a << 8);

		for (unsigned int k = 0; k < nd; k++) {
			int32_t v = row[doms[k]];
			int r;

			if (v == -1) {
				row[doms[k]] = i;
				continue;
			}
			r = claim_taken(rs, &row[doms[k]], v, i);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Masks derived from the host once per run. */
struct host_masks {
	struct apmatrix_bits over_a, over_d; /* IDs over the limits */
	struct apmatrix_bits unconf_a, unconf_d, unconf_c; /* within limits,
							      not configured */
	struct apmatrix_bits conf_a, conf_d; /* within limits, configured */
};

static void host_masks_init(struct host_masks *hm,
			    const struct apmatrix_host *host)
{
	struct apmatrix_bits all, lim_a, lim_d;

	memset(&all, 0xff, sizeof(all));
	lim_a = all;
	lim_d = all;
	bits_limit(&lim_a, host->max_adapter_id);
	bits_limit(&lim_d, host->max_domain_id);
	bits_andnot(&hm->over_a, &all, &lim_a);
	bits_andnot(&hm->over_d, &all, &lim_d);
	bits_andnot(&hm->unconf_a, &lim_a, &host->adapter_mask.bits);
	bits_andnot(&hm->unconf_d, &lim_d, &host->usage_mask.bits);
	bits_andnot(&hm->unconf_c, &lim_d, &host->control_mask.bits);
	bits_and(&hm->conf_a, &lim_a, &host->adapter_mask.bits);
	bits_and(&hm->conf_d, &lim_d, &host->usage_mask.bits);
}

static int check_limits(struct run_state *rs, const struct apmatrix_mdev *m,
			const struct apmatrix_host *host,
			const struct host_masks *hm)
{
	const struct apmatrix_bits *A = &mx(m)->adapters.bits;
	const struct apmatrix_bits *D = &mx(m)->domains.bits;
	const struct apmatrix_bits *C = &mx(m)->controls.bits;
	const struct apmatrix_bits none = {{0}};
	struct apmatrix_bits over;
	struct apmatrix_finding *f;
	int r;

	bits_and(&over, A, &hm->over_a);
	if (!bits_empty(&over)) {
		r = product_finding(rs, APMATRIX_FINDING_ADAPTER_OVER_LIMIT,
				    APMATRIX_SEVERITY_ERROR, m, &over, D);
		if (r < 0)
			return r;
		f = rs->report->findings[rs->report->count - 1];
		f->domains.bits = none;
		f->limit = host->max_adapter_id;
	}
	bits_and(&over, D, &hm->over_d);
	if (!bits_empty(&over)) {
		r = product_finding(rs, APMATRIX_FINDING_DOMAIN_OVER_LIMIT,
				    APMATRIX_SEVERITY_ERROR, m, A, &over);
		if (r < 0)
			return r;
		f = rs->report->findings[rs->report->count - 1];
		f->adapters.bits = none;
		f->limit = host->max_domain_id;
	}
	bits_and(&over, C, &hm->over_d);
	if (!bits_empty(&over)) {
		r = add_finding(rs, APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT,
				APMATRIX_SEVERITY_ERROR, m, &f);
		if (r < 0)
			return r;
		f->domains.bits = over;
		f->limit = host->max_domain_id;
	}
	return 0;
}

static int check_shape(struct run_state *rs, const struct apmatrix_mdev *m)
{
	const struct apmatrix_bits *A = &mx(m)->adapters.bits;
	const struct apmatrix_bits *D = &mx(m)->domains.bits;
	const struct apmatrix_bits *C = &mx(m)->controls.bits;
	struct apmatrix_finding *f;
	int r;

	if (!bits_empty(C) && bits_empty(D)) {
		r = add_finding(rs, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE,
				APMATRIX_SEVERITY_ERROR, m, &f);
		if (r < 0)
			return r;
		f->domains.bits = *C;
	}
	if (bits_empty(A) == bits_empty(D))
		return 0;
	r = add_finding(rs, APMATRIX_FINDING_NO_QUEUES, APMATRIX_SEVERITY_INFO,
			m, &f);
	if (r < 0)
		return r;
	f->adapters.bits = *A;
	f->domains.bits = *D;
	return 0;
}

static int check_config(struct run_state *rs, const struct apmatrix_mdev *m,
			const struct host_masks *hm)
{
	const struct apmatrix_bits *A = &mx(m)->adapters.bits;
	const struct apmatrix_bits *D = &mx(m)->domains.bits;
	struct apmatrix_bits na, nd, nc, lim_a, lim_d;
	struct apmatrix_finding *f;
	int r;

	bits_and(&na, A, &hm->unconf_a);
	bits_and(&nd, D, &hm->unconf_d);
	bits_and(&nc, &mx(m)->controls.bits, &hm->unconf_c);
	if (!bits_empty(&na) || !bits_empty(&nd)) {
		r = add_finding(rs, APMATRIX_FINDING_NOT_CONFIGURED,
				APMATRIX_SEVERITY_WARNING, m, &f);
		if (r < 0)
			return r;
		f->adapters.bits = na;
		f->domains.bits = nd;
		/* The APQNs the guest loses: a or d not configured. */
		bits_andnot(&lim_a, A, &hm->over_a);
		bits_andnot(&lim_d, D, &hm->over_d);
		bits_foreach (a, &lim_a) {
			const struct apmatrix_bits *dd =
				bits_test(&na, (unsigned int)a) ? &lim_d : &nd;
			struct apmatrix_bits one = {{0}};

			bits_set(&one, (unsigned int)a);
			r = append_product(&f->apqns, &one, dd);
			if (r < 0)
				return r;
		}
	}
	if (!bits_empty(&nc)) {
		r = add_finding(rs, APMATRIX_FINDING_NOT_CONFIGURED,
				APMATRIX_SEVERITY_WARNING, m, &f);
		if (r < 0)
			return r;
		f->sub = 1;
		f->domains.bits = nc;
	}
	return 0;
}

static int queue_finding(struct run_state *rs, const struct apmatrix_mdev *m,
			 int code, const struct apmatrix_bits *adapters,
			 const struct apmatrix_bits *rows)
{
	struct apmatrix_finding *f;
	struct apmatrix_bits doms = {{0}};
	int r;

	r = add_finding(rs, code, APMATRIX_SEVERITY_WARNING, m, &f);
	if (r < 0)
		return r;
	bits_foreach (a, adapters)
		bits_or(&doms, &doms, &rows[a]);
	f->adapters.bits = *adapters;
	f->domains.bits = doms;
	return append_rows(&f->apqns, adapters, rows);
}

/*
 * The kernel's guest_matrix filter (vfio-ap-abi §3.3) over the configured
 * product: one bitmap operation per adapter.
 */
static int check_queues(struct run_state *rs, const struct apmatrix_mdev *m,
			const struct apmatrix_host *host,
			const struct apmatrix_bits *cfg_a,
			const struct apmatrix_bits *cfg_d)
{
	struct apmatrix_bits missing[APMATRIX_MAX_IDS];
	struct apmatrix_bits unbound[APMATRIX_MAX_IDS];
	struct apmatrix_bits bad[APMATRIX_MAX_IDS];
	struct apmatrix_bits am = {{0}}, au = {{0}}, af;
	int r;

	bits_foreach (a, cfg_a) {
		struct apmatrix_bits present;

		bits_andnot(&missing[a], cfg_d, &host->queues[a]);
		bits_and(&present, cfg_d, &host->queues[a]);
		bits_andnot(&unbound[a], &present, &host->vfio[a]);
		bits_or(&bad[a], &missing[a], &unbound[a]);
		if (!bits_empty(&missing[a]))
			bits_set(&am, (unsigned int)a);
		if (!bits_empty(&unbound[a]))
			bits_set(&au, (unsigned int)a);
	}
	bits_or(&af, &am, &au);
	if (bits_empty(&af))
		return 0;
	if (!bits_empty(&am)) {
		r = queue_finding(rs, m, APMATRIX_FINDING_QUEUE_MISSING, &am,
				  missing);
		if (r < 0)
			return r;
	}
	if (!bits_empty(&au)) {
		r = queue_finding(rs, m, APMATRIX_FINDING_QUEUE_NOT_BOUND, &au,
				  unbound);
		if (r < 0)
			return r;
	}
	return queue_finding(rs, m, APMATRIX_FINDING_ADAPTER_FILTERED, &af,
			     bad);
}

static int pool_severity(unsigned int state, int persistent)
{
	unsigned int strict =
		persistent ? APMATRIX_MDEV_AUTOSTART
			   : APMATRIX_MDEV_ACTIVE | APMATRIX_MDEV_AUTOSTART;

	return (state & strict) ? APMATRIX_SEVERITY_ERROR
				: APMATRIX_SEVERITY_WARNING;
}

static int check_pool(struct run_state *rs, const struct apmatrix_mdev *m,
		      const struct apmatrix_bits *apmask,
		      const struct apmatrix_bits *aqmask, int persistent)
{
	struct apmatrix_bits a, d;

	bits_and(&a, &mx(m)->adapters.bits, apmask);
	bits_and(&d, &mx(m)->domains.bits, aqmask);
	if (bits_empty(&a) || bits_empty(&d))
		return 0;
	return product_finding(rs,
			       persistent
				       ? APMATRIX_FINDING_HOST_POOL_PERSISTENT
				       : APMATRIX_FINDING_HOST_POOL_ACTIVE,
			       pool_severity(apmatrix_mdev_state(m), persistent), m, &a, &d);
}

static int check_mdev(struct run_state *rs, const struct host_masks *hm,
		      const struct apmatrix_mdev *m)
{
	const struct apmatrix_check *check = rs->check;
	const struct apmatrix_host *host = check->host;
	struct apmatrix_bits cfg_a, cfg_d;
	int r;

	r = check_shape(rs, m);
	if (r < 0)
		return r;
	if (check->have_persistent) {
		r = check_pool(rs, m, &check->persistent_apmask,
			       &check->persistent_aqmask, 1);
		if (r < 0)
			return r;
	}
	if (!host)
		return 0;
	r = check_pool(rs, m, &host->apmask.bits, &host->aqmask.bits, 0);
	if (r < 0)
		return r;
	r = check_limits(rs, m, host, hm);
	if (r < 0)
		return r;
	r = check_config(rs, m, hm);
	if (r < 0)
		return r;
	bits_and(&cfg_a, &mx(m)->adapters.bits, &hm->conf_a);
	bits_and(&cfg_d, &mx(m)->domains.bits, &hm->conf_d);
	if (bits_empty(&cfg_d))
		return 0;
	return check_queues(rs, m, host, &cfg_a, &cfg_d);
}

struct uuid_rank {
	uint64_t key[2];
	int32_t index;
};

static int uuid_rank_cmp(const void *pa, const void *pb)
{
	const struct uuid_rank *a = pa, *b = pb;

	if (a->key[0] != b->key[0])
		return a->key[0] < b->key[0] ? -1 : 1;
	return (a->key[1] > b->key[1]) - (a->key[1] < b->key[1]);
}

struct sort_item {
	uint64_t key;
	struct apmatrix_finding *f;
};

/*
 * Order the findings as apmatrix_report_sort() does, in time linear in the
 * findings (plus sorting the UUIDs of the mdevs they name): each finding
 * gets one 56-bit key, severity | code | rank of UUID 0 | rank of UUID 1 |
 * sub, and a radix sort orders the keys. Falls back to the comparison sort
 * when memory is short or there are too many mdevs for 24-bit ranks.
 */
static void sort_findings(struct run_state *rs)
{
	struct apmatrix_report *report = rs->report;
	unsigned int n = report->count, named = 0;
	int32_t *rank = rs->seen;
	struct uuid_rank *ranks = NULL;
	struct sort_item *a = NULL, *b = NULL;

	if (n < 2)
		return;
	if (rs->check->count >= (1u << 24))
		goto fallback;
	ranks = malloc(
		(n < rs->check->count ? 2 * (size_t)n : rs->check->count) *
		sizeof(*ranks));
	a = malloc(n * sizeof(*a));
	b = malloc(n * sizeof(*b));
	if (!ranks || !a || !b)
		goto fallback;
	memset(rank, 0xff, rs->check->count * sizeof(*rank));
	for (unsigned int i = 0; i < n; i++) {
		const struct apmatrix_finding *f = report->findings[i];

		for (unsigned int k = 0; k < f->uuid_count; k++) {
			int32_t m = f->mdev_index[k];

			if (rank[m] >= 0)
				continue;
			rank[m] = 0;
			ranks[named].key[0] = f->keys[k][0];
			ranks[named].key[1] = f->keys[k][1];
			ranks[named++].index = m;
		}
	}
	qsort(ranks, named, sizeof(*ranks), uuid_rank_cmp);
	for (unsigned int k = 0; k < named; k++)
		rank[ranks[k].index] = (int32_t)k;
	for (unsigned int i = 0; i < n; i++) {
		struct apmatrix_finding *f = report->findings[i];
		uint64_t class =
			(uint64_t)(f->severity - APMATRIX_SEVERITY_ERROR) << 4 |
			(uint64_t)f->code;

		a[i].f = f;
		a[i].key = class << 50 |
			   (uint64_t)rank[f->mdev_index[0]] << 26 |
			   (f->uuid_count > 1
				    ? (uint64_t)rank[f->mdev_index[1]] << 2
				    : 0) |
			   (f->sub & 1);
	}
	for (unsigned int shift = 0; shift < 56; shift += 8) {
		size_t count[256] = {0}, pos = 0;
		struct sort_item *t;

		for (unsigned int i = 0; i < n; i++)
			count[(a[i].key >> shift) & 0xff]++;
		if (count[(a[0].key >> shift) & 0xff] == n)
			continue; /* all alike in this byte */
		for (unsigned int d = 0; d < 256; d++) {
			size_t c = count[d];

			count[d] = pos;
			pos += c;
		}
		for (unsigned int i = 0; i < n; i++)
			b[count[(a[i].key >> shift) & 0xff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (unsigned int i = 0; i < n; i++)
		report->findings[i] = a[i].f;
	free(ranks);
	free(a);
	free(b);
	return;
fallback:
	free(ranks);
	free(a);
	free(b);
	apmatrix_report_sort(report);
}

APMATRIX_EXPORT int apmatrix_check_run(struct apmatrix_check *check,
				       unsigned int flags,
				       struct apmatrix_report **ret)
{
	struct run_state rs = {0};
	struct host_masks hm;
	int r;

	if (!check)
		return -EINVAL;
	if (!ret)
		return apmatrix_diag(check->ctx, -EINVAL,
				     "check_run: NULL report pointer");
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(check->ctx, -EINVAL,
				     "check_run: unknown flags 0x%x", flags);
	if (!check->owner) {
		check->owner =
			malloc(APMATRIX_MAX_APQNS * sizeof(*check->owner));
		if (!check->owner)
			return apmatrix_diag(check->ctx, -ENOMEM,
					     "check_run: out of memory");
	}
	rs.check = check;
	r = apmatrix_report_new_internal(check->ctx, &rs.report);
	if (r < 0)
		return r;
	if (check->count) {
		rs.seen = malloc(check->count * sizeof(*rs.seen));
		if (!rs.seen) {
			r = -ENOMEM;
			goto out;
		}
		memset(rs.seen, 0xff, check->count * sizeof(*rs.seen));
	}
	if (check->host)
		host_masks_init(&hm, check->host);
	else
		memset(&hm, 0, sizeof(hm));
	memset(check->owner, 0xff, APMATRIX_MAX_APQNS * sizeof(*check->owner));
	/* One pass over the mdevs, so each is read from memory once. */
	for (unsigned int i = 0; i < check->count; i++) {
		const struct apmatrix_mdev *m = check->mdevs[i];

		r = claim_apqns(&rs, (int32_t)i, &mx(m)->adapters.bits,
				&mx(m)->domains.bits);
		if (r < 0)
			goto out;
		rs.current = (int32_t)i;
		r = check_mdev(&rs, &hm, m);
		if (r < 0)
			goto out;
	}
	for (size_t p = 0; p < rs.pair_count; p++) {
		r = check_pair(&rs, rs.pairs[2 * p], rs.pairs[2 * p + 1]);
		if (r < 0)
			goto out;
	}
	sort_findings(&rs);
	if (rs.report->count > INT32_MAX) {
		r = -ENOMEM;
		goto out;
	}
	r = (int)rs.report->count;
	*ret = rs.report;
	rs.report = NULL;
out:
	if (r == -ENOMEM)
		apmatrix_diag(check->ctx, r, "check_run: out of memory");
	apmatrix_report_unref(rs.report);
	free(rs.nodes);
	free(rs.pairs);
	free(rs.seen);
	return r;
}
