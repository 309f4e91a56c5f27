/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conflict engine: a pure function of a host description, the live and
 * defined configurations of mdevs, and persistent masks. It scales with the
 * number of assigned APQNs (plus the size of the output), never with the
 * number of mdev pairs: sharing is found through tables of APQN owners,
 * one for live configurations and one for definitions; everything else with
 * per-adapter bitmap operations.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Out of memory in uthash must not exit: it sets hash_oom in the caller. */
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) (hash_oom = 1)
#include <uthash.h>

#include "check-internal.h"

/* One UUID of the check: the mdevs that give its configurations. */
struct check_entry {
	struct apmatrix_mdev *live;    /* NULL: no live configuration */
	struct apmatrix_mdev *defined; /* NULL: no definition */
};

struct check_uuid {
	const char *uuid; /* points into an mdev of the entry */
	unsigned int index;
	UT_hash_handle hh;
};

/* The owner tables: live configurations, definitions. */
enum { LAYER_LIVE, LAYER_DEFINED, LAYER_COUNT };

/* Kinds of pairs, by the roles of their two configurations. */
enum { PAIR_LIVE, PAIR_DEFINED, PAIR_DEFINED_LIVE, PAIR_KINDS };

struct apmatrix_check {
	int refcount;
	struct apmatrix_ctx *ctx;
	struct apmatrix_host *host;
	int have_persistent;
	struct apmatrix_bits persistent_apmask;
	struct apmatrix_bits persistent_aqmask;
	struct check_entry *entries;
	unsigned int count;
	unsigned int alloc;
	struct check_uuid *uuids;
	/*
	 * Owner of each APQN during a run, per layer: -1 for none, an entry
	 * index for a single owner, or -2 - n for a chain of owner nodes
	 * starting at n. Kept between runs to spare the allocation.
	 */
	int32_t *owner[LAYER_COUNT];
};

struct owner_node {
	int32_t entry;
	int32_t next;
};

struct pair {
	uint32_t kind;
	uint32_t a, b; /* entries; for PAIR_DEFINED_LIVE a is the definition */
};

struct run_state {
	struct apmatrix_check *check;
	struct apmatrix_report *report;
	size_t live_count; /* live configurations seen so far */
	struct owner_node *nodes;
	size_t node_count, node_alloc;
	struct pair *pairs;
	size_t pair_count, pair_alloc;
	/* seen[kind][j] == i: the pair (i, j) of that kind is noted; made
	 * when the first pair of the kind is. */
	int32_t *seen[PAIR_KINDS];
};

APMATRIX_EXPORT int apmatrix_check_new(struct apmatrix_ctx *ctx,
				       struct apmatrix_check **ret)
{
	struct apmatrix_check *check;

	apmatrix_diag_clear(ctx);
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
	for (unsigned int i = 0; i < check->count; i++) {
		apmatrix_mdev_unref(check->entries[i].live);
		apmatrix_mdev_unref(check->entries[i].defined);
	}
	free(check->entries);
	for (int l = 0; l < LAYER_COUNT; l++)
		free(check->owner[l]);
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
	apmatrix_diag_clear(check->ctx);
	apmatrix_host_ref(host);
	apmatrix_host_unref(check->host);
	check->host = host;
	return 0;
}

struct apmatrix_host *
apmatrix_check_get_host(const struct apmatrix_check *check)
{
	return check->host;
}

/* A new entry for mdev's UUID; its index, or a negative errno. */
static int new_entry(struct apmatrix_check *check,
		     const struct apmatrix_mdev *mdev)
{
	struct check_uuid *e;
	int hash_oom = 0;

	if (check->count >= INT32_MAX / 2)
		return -ENOMEM;
	if (check->count == check->alloc) {
		unsigned int alloc = check->alloc ? check->alloc * 2 : 16;
		struct check_entry *n;

		n = realloc(check->entries, alloc * sizeof(*n));
		if (!n)
			return -ENOMEM;
		check->entries = n;
		check->alloc = alloc;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->uuid = mdev->uuid;
	e->index = check->count;
	HASH_ADD_KEYPTR(hh, check->uuids, e->uuid, APMATRIX_UUID_LEN, e);
	if (hash_oom) {
		free(e);
		return -ENOMEM;
	}
	check->entries[check->count].live = NULL;
	check->entries[check->count].defined = NULL;
	return (int)check->count++;
}

APMATRIX_EXPORT int apmatrix_check_add_mdev(struct apmatrix_check *check,
					    struct apmatrix_mdev *mdev)
{
	const unsigned int checked = APMATRIX_ROLE_LIVE | APMATRIX_ROLE_DEFINED;
	struct check_entry *entry;
	struct check_uuid *e;
	unsigned int roles;
	int index;

	if (!check)
		return -EINVAL;
	apmatrix_diag_clear(check->ctx);
	if (!mdev)
		return apmatrix_diag(check->ctx, -EINVAL,
				     "check_add_mdev: NULL mdev");
	roles = mdev->roles & checked;
	if (!roles)
		return apmatrix_diag(check->ctx, -EINVAL,
				     "mdev %s has no live or defined "
				     "configuration to check",
				     mdev->uuid);
	HASH_FIND_STR(check->uuids, mdev->uuid, e);
	if (e) {
		entry = &check->entries[e->index];
		if (((roles & APMATRIX_ROLE_LIVE) && entry->live) ||
		    ((roles & APMATRIX_ROLE_DEFINED) && entry->defined))
			return apmatrix_diag(
				check->ctx, -EEXIST,
				"mdev %s: the check already has its %s "
				"configuration",
				mdev->uuid,
				(roles & APMATRIX_ROLE_LIVE) && entry->live
					? "live"
					: "defined");
		index = (int)e->index;
	} else {
		index = new_entry(check, mdev);
		if (index < 0)
			return apmatrix_diag(check->ctx, index,
					     "check_add_mdev: out of memory");
	}
	entry = &check->entries[index];
	if (roles & APMATRIX_ROLE_LIVE)
		entry->live = apmatrix_mdev_ref(mdev);
	if (roles & APMATRIX_ROLE_DEFINED)
		entry->defined = apmatrix_mdev_ref(mdev);
	return 0;
}

APMATRIX_EXPORT int
apmatrix_check_set_persistent_masks(struct apmatrix_check *check,
				    const struct apmatrix_idset *apmask,
				    const struct apmatrix_idset *aqmask)
{
	if (!check)
		return -EINVAL;
	apmatrix_diag_clear(check->ctx);
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

/* ------------------------------------------------------------------ */
/* Building findings                                                   */

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

/*
 * The most severe a finding about a configuration can be: what is live and
 * what starts at boot can be wrong (error); a manual definition only fails
 * when someone starts it (warning).
 */
static int severity_for(const struct apmatrix_config_view *c, int severity)
{
	int cap = c->role == APMATRIX_ROLE_DEFINED && !c->autostart
			  ? APMATRIX_SEVERITY_WARNING
			  : APMATRIX_SEVERITY_ERROR;

	return severity < cap ? severity : cap;
}

static int add_finding(struct run_state *rs, int code, int severity,
		       const struct apmatrix_config_view *c,
		       struct apmatrix_finding **ret)
{
	return apmatrix_report_add(rs->report, code, severity_for(c, severity),
				   c, NULL, ret);
}

/* A finding whose APQNs are the product of adapters and usage domains. */
static int product_finding(struct run_state *rs, int code, int severity,
			   const struct apmatrix_config_view *c,
			   const struct apmatrix_bits *a,
			   const struct apmatrix_bits *d,
			   struct apmatrix_finding **ret)
{
	int r = add_finding(rs, code, severity, c, ret);

	if (r < 0)
		return r;
	(*ret)->adapters.bits = *a;
	(*ret)->usage_domains.bits = *d;
	return append_product(&(*ret)->apqns, a, d);
}

/* An entry's configuration of one layer as it is now (matrix NULL: none). */
static void view_of(const struct apmatrix_check *check, uint32_t i,
		    unsigned int layer, struct apmatrix_config_view *v)
{
	const struct check_entry *e = &check->entries[i];

	v->mdev = e->live ? e->live : e->defined;
	v->matrix = NULL;
	v->autostart = 0;
	if (layer == LAYER_LIVE) {
		v->role = APMATRIX_ROLE_LIVE;
		if (e->live && (e->live->roles & APMATRIX_ROLE_LIVE))
			v->matrix = &e->live->config[APMATRIX_CONFIG_LIVE];
		return;
	}
	v->role = APMATRIX_ROLE_DEFINED;
	if (e->defined && (e->defined->roles & APMATRIX_ROLE_DEFINED)) {
		v->matrix = &e->defined->config[APMATRIX_CONFIG_DEFINED];
		v->autostart = e->defined->autostart;
	}
}

/* Two mdevs' configurations share APQNs. */
static int pair_finding(struct run_state *rs, const struct pair *p)
{
	struct apmatrix_config_view v0, v1;
	const struct apmatrix_config_view *c0 = &v0, *c1 = &v1, *t;
	const struct apmatrix_matrix *m0, *m1;
	struct apmatrix_finding *f;
	int severity, r;

	switch (p->kind) {
	case PAIR_LIVE:
		view_of(rs->check, p->a, LAYER_LIVE, &v0);
		view_of(rs->check, p->b, LAYER_LIVE, &v1);
		/* The kernel would have refused it; one guest can reach the
		 * other's keys. */
		severity = APMATRIX_SEVERITY_ERROR;
		break;
	case PAIR_DEFINED:
		view_of(rs->check, p->a, LAYER_DEFINED, &v0);
		view_of(rs->check, p->b, LAYER_DEFINED, &v1);
		/* Both start at boot: the second one fails. */
		severity = v0.autostart && v1.autostart
				   ? APMATRIX_SEVERITY_ERROR
				   : APMATRIX_SEVERITY_WARNING;
		break;
	default:
		/* The definition cannot start while the other mdev runs. */
		view_of(rs->check, p->a, LAYER_DEFINED, &v0);
		view_of(rs->check, p->b, LAYER_LIVE, &v1);
		severity = APMATRIX_SEVERITY_WARNING;
		break;
	}
	if (c0->mdev->key[0] > c1->mdev->key[0] ||
	    (c0->mdev->key[0] == c1->mdev->key[0] &&
	     c0->mdev->key[1] > c1->mdev->key[1])) {
		t = c0;
		c0 = c1;
		c1 = t;
	}
	r = apmatrix_report_add(rs->report, APMATRIX_FINDING_SHARED_APQNS,
				severity, c0, c1, &f);
	if (r < 0)
		return r;
	m0 = c0->matrix;
	m1 = c1->matrix;
	bits_and(&f->adapters.bits, &m0->adapters.bits, &m1->adapters.bits);
	bits_and(&f->usage_domains.bits, &m0->domains.bits, &m1->domains.bits);
	return append_product(&f->apqns, &f->adapters.bits,
			      &f->usage_domains.bits);
}

/* ------------------------------------------------------------------ */
/* Sharing: owner tables                                               */

static int push_node(struct run_state *rs, int32_t entry, int32_t next)
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
	rs->nodes[rs->node_count].entry = entry;
	rs->nodes[rs->node_count].next = next;
	return (int)rs->node_count++;
}

/* Note that entry i's configuration shares an APQN with entry j's. */
static int note_pair(struct run_state *rs, unsigned int kind, int32_t i,
		     int32_t j)
{
	size_t entries = rs->check->count;

	if (i == j)
		return 0;
	if (!rs->seen[kind]) {
		rs->seen[kind] = malloc(entries * sizeof(*rs->seen[kind]));
		if (!rs->seen[kind])
			return -ENOMEM;
		memset(rs->seen[kind], 0xff, entries * sizeof(*rs->seen[kind]));
	}
	if (rs->seen[kind][j] == i)
		return 0;
	rs->seen[kind][j] = i;
	if (rs->pair_count == rs->pair_alloc) {
		size_t alloc = rs->pair_alloc ? rs->pair_alloc * 2 : 256;
		struct pair *n;

		if (alloc > SIZE_MAX / sizeof(*n))
			return -ENOMEM;
		n = realloc(rs->pairs, alloc * sizeof(*n));
		if (!n)
			return -ENOMEM;
		rs->pairs = n;
		rs->pair_alloc = alloc;
	}
	rs->pairs[rs->pair_count].kind = kind;
	rs->pairs[rs->pair_count].a = (uint32_t)i;
	rs->pairs[rs->pair_count].b = (uint32_t)j;
	rs->pair_count++;
	return 0;
}

/* Note a pair with every owner in the slot value v (not -1). */
static int note_owners(struct run_state *rs, unsigned int kind, int32_t i,
		       int32_t v)
{
	if (v >= 0)
		return note_pair(rs, kind, i, v);
	for (int32_t n = -2 - v; n >= 0; n = rs->nodes[n].next) {
		int r = note_pair(rs, kind, i, rs->nodes[n].entry);

		if (r < 0)
			return r;
	}
	return 0;
}

/* Add entry i to the owners of a taken slot holding v. */
static int add_owner(struct run_state *rs, int32_t *slot, int32_t v, int32_t i)
{
	int head = -2 - v;

	if (v >= 0) {
		head = push_node(rs, v, -1);
		if (head < 0)
			return head;
	}
	head = push_node(rs, i, head);
	if (head < 0)
		return head;
	*slot = -2 - head;
	return 0;
}

/*
 * Walk the APQNs of entry i's configuration m in the owner table of a
 * layer: note a pair of the given kind with every owner found, and with
 * claim, become an owner too. Work is one step per APQN, plus one per
 * earlier owner of an APQN that is already taken (which the shared-APQN
 * lists of the output pay for anyway).
 */
static int walk_apqns(struct run_state *rs, int32_t *owner, unsigned int kind,
		      int32_t i, const struct apmatrix_matrix *m, int claim)
{
	uint8_t doms[APMATRIX_MAX_IDS];
	unsigned int nd = 0;

	/* Any order of the APQNs will do: word by word, lowest bit first. */
	for (unsigned int k = 0; k < 4; k++)
		for (uint64_t w = m->domains.bits.w[k]; w; w &= w - 1)
			doms[nd++] =
				(uint8_t)(k * 64 + 63 -
					  (unsigned int)__builtin_ctzll(w));
	if (!nd)
		return 0;
	for (unsigned int k = 0; k < 4; k++) {
		for (uint64_t w = m->adapters.bits.w[k]; w; w &= w - 1) {
			unsigned int a =
				k * 64 + 63 - (unsigned int)__builtin_ctzll(w);
			int32_t *row = owner + (a << 8);

			for (unsigned int d = 0; d < nd; d++) {
				int32_t v = row[doms[d]];
				int r;

				if (v == -1) {
					if (claim)
						row[doms[d]] = i;
					continue;
				}
				r = note_owners(rs, kind, i, v);
				if (r == 0 && claim)
					r = add_owner(rs, &row[doms[d]], v, i);
				if (r < 0)
					return r;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Findings about one configuration                                    */

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

static int check_limits(struct run_state *rs,
			const struct apmatrix_config_view *c,
			const struct apmatrix_host *host,
			const struct host_masks *hm)
{
	const struct apmatrix_bits *A = &c->matrix->adapters.bits;
	const struct apmatrix_bits *D = &c->matrix->domains.bits;
	const struct apmatrix_bits *C = &c->matrix->controls.bits;
	const struct apmatrix_bits none = {{0}};
	struct apmatrix_bits over;
	struct apmatrix_finding *f;
	int r;

	bits_and(&over, A, &hm->over_a);
	if (!bits_empty(&over)) {
		r = product_finding(rs, APMATRIX_FINDING_ADAPTER_OVER_LIMIT,
				    APMATRIX_SEVERITY_ERROR, c, &over, D, &f);
		if (r < 0)
			return r;
		f->usage_domains.bits = none;
		f->limit = host->max_adapter_id;
	}
	bits_and(&over, D, &hm->over_d);
	if (!bits_empty(&over)) {
		r = product_finding(rs, APMATRIX_FINDING_DOMAIN_OVER_LIMIT,
				    APMATRIX_SEVERITY_ERROR, c, A, &over, &f);
		if (r < 0)
			return r;
		f->adapters.bits = none;
		f->limit = host->max_domain_id;
	}
	bits_and(&over, C, &hm->over_d);
	if (!bits_empty(&over)) {
		r = add_finding(rs, APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT,
				APMATRIX_SEVERITY_ERROR, c, &f);
		if (r < 0)
			return r;
		f->control_domains.bits = over;
		f->limit = host->max_domain_id;
	}
	return 0;
}

static int check_shape(struct run_state *rs,
		       const struct apmatrix_config_view *c)
{
	const struct apmatrix_bits *A = &c->matrix->adapters.bits;
	const struct apmatrix_bits *D = &c->matrix->domains.bits;
	const struct apmatrix_bits *C = &c->matrix->controls.bits;
	struct apmatrix_finding *f;
	int r;

	if (!bits_empty(C) && bits_empty(D)) {
		r = add_finding(rs, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE,
				APMATRIX_SEVERITY_ERROR, c, &f);
		if (r < 0)
			return r;
		f->control_domains.bits = *C;
	}
	if (bits_empty(A) == bits_empty(D))
		return 0;
	r = add_finding(rs, APMATRIX_FINDING_NO_QUEUES, APMATRIX_SEVERITY_INFO,
			c, &f);
	if (r < 0)
		return r;
	f->adapters.bits = *A;
	f->usage_domains.bits = *D;
	return 0;
}

static int check_config(struct run_state *rs,
			const struct apmatrix_config_view *c,
			const struct host_masks *hm)
{
	const struct apmatrix_bits *A = &c->matrix->adapters.bits;
	const struct apmatrix_bits *D = &c->matrix->domains.bits;
	struct apmatrix_bits na, nd, nc, lim_a, lim_d;
	struct apmatrix_finding *f;
	int r;

	bits_and(&na, A, &hm->unconf_a);
	bits_and(&nd, D, &hm->unconf_d);
	bits_and(&nc, &c->matrix->controls.bits, &hm->unconf_c);
	if (bits_empty(&na) && bits_empty(&nd) && bits_empty(&nc))
		return 0;
	r = add_finding(rs, APMATRIX_FINDING_NOT_CONFIGURED,
			APMATRIX_SEVERITY_WARNING, c, &f);
	if (r < 0)
		return r;
	f->adapters.bits = na;
	f->usage_domains.bits = nd;
	f->control_domains.bits = nc;
	/* The APQNs the guest loses: adapter or domain not configured. */
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
	return 0;
}

static int queue_finding(struct run_state *rs,
			 const struct apmatrix_config_view *c, int code,
			 const struct apmatrix_bits *adapters,
			 const struct apmatrix_bits *rows)
{
	struct apmatrix_finding *f;
	struct apmatrix_bits doms = {{0}};
	int r;

	r = add_finding(rs, code, APMATRIX_SEVERITY_WARNING, c, &f);
	if (r < 0)
		return r;
	bits_foreach (a, adapters)
		bits_or(&doms, &doms, &rows[a]);
	f->adapters.bits = *adapters;
	f->usage_domains.bits = doms;
	return append_rows(&f->apqns, adapters, rows);
}

/*
 * The kernel's guest_matrix filter (vfio-ap-abi §3.3) over the configured
 * product: one bitmap operation per adapter.
 */
static int check_queues(struct run_state *rs,
			const struct apmatrix_config_view *c,
			const struct apmatrix_host *host,
			const struct host_masks *hm)
{
	struct apmatrix_bits missing[APMATRIX_MAX_IDS];
	struct apmatrix_bits unbound[APMATRIX_MAX_IDS];
	struct apmatrix_bits bad[APMATRIX_MAX_IDS];
	struct apmatrix_bits cfg_a, cfg_d, am = {{0}}, au = {{0}}, af;
	int r;

	bits_and(&cfg_a, &c->matrix->adapters.bits, &hm->conf_a);
	bits_and(&cfg_d, &c->matrix->domains.bits, &hm->conf_d);
	if (bits_empty(&cfg_d))
		return 0;
	bits_foreach (a, &cfg_a) {
		struct apmatrix_bits present, usable;

		/* Missing or unbound: most adapters have none and end here. */
		bits_and(&usable, &host->queues[a], &host->vfio[a]);
		bits_andnot(&bad[a], &cfg_d, &usable);
		if (bits_empty(&bad[a]))
			continue;
		bits_andnot(&missing[a], &cfg_d, &host->queues[a]);
		bits_and(&present, &cfg_d, &host->queues[a]);
		bits_andnot(&unbound[a], &present, &host->vfio[a]);
		if (!bits_empty(&missing[a]))
			bits_set(&am, (unsigned int)a);
		if (!bits_empty(&unbound[a]))
			bits_set(&au, (unsigned int)a);
	}
	bits_or(&af, &am, &au);
	if (bits_empty(&af))
		return 0;
	if (!bits_empty(&am)) {
		r = queue_finding(rs, c, APMATRIX_FINDING_QUEUE_MISSING, &am,
				  missing);
		if (r < 0)
			return r;
	}
	if (!bits_empty(&au)) {
		r = queue_finding(rs, c, APMATRIX_FINDING_QUEUE_NOT_BOUND, &au,
				  unbound);
		if (r < 0)
			return r;
	}
	return queue_finding(rs, c, APMATRIX_FINDING_ADAPTER_FILTERED, &af,
			     bad);
}

static int check_pool(struct run_state *rs,
		      const struct apmatrix_config_view *c,
		      const struct apmatrix_bits *apmask,
		      const struct apmatrix_bits *aqmask, int code)
{
	struct apmatrix_finding *f;
	struct apmatrix_bits a, d;

	bits_and(&a, &c->matrix->adapters.bits, apmask);
	bits_and(&d, &c->matrix->domains.bits, aqmask);
	if (bits_empty(&a) || bits_empty(&d))
		return 0;
	return product_finding(rs, code, APMATRIX_SEVERITY_ERROR, c, &a, &d,
			       &f);
}

static int matrix_equal(const struct apmatrix_matrix *a,
			const struct apmatrix_matrix *b)
{
	return bits_equal(&a->adapters.bits, &b->adapters.bits) &&
	       bits_equal(&a->domains.bits, &b->domains.bits) &&
	       bits_equal(&a->controls.bits, &b->controls.bits);
}

/*
 * The findings about one configuration. A live one is checked against the
 * active host. A definition is checked against the persistent masks, and,
 * unless the mdev runs with exactly that matrix (then its live findings say
 * it all), against the active host: what happens when it starts here now.
 */
static int check_view(struct run_state *rs,
		      const struct apmatrix_config_view *c,
		      const struct apmatrix_config_view *live,
		      const struct host_masks *hm)
{
	const struct apmatrix_check *check = rs->check;
	const struct apmatrix_host *host = check->host;
	int r;

	if (c->role == APMATRIX_ROLE_DEFINED && check->have_persistent) {
		r = check_pool(rs, c, &check->persistent_apmask,
			       &check->persistent_aqmask,
			       APMATRIX_FINDING_HOST_POOL_PERSISTENT);
		if (r < 0)
			return r;
	}
	if (c->role == APMATRIX_ROLE_DEFINED && live->matrix &&
	    matrix_equal(c->matrix, live->matrix))
		return 0;
	r = check_shape(rs, c);
	if (r < 0 || !host)
		return r;
	r = check_pool(rs, c, &host->apmask.bits, &host->aqmask.bits,
		       APMATRIX_FINDING_HOST_POOL_ACTIVE);
	if (r < 0)
		return r;
	r = check_limits(rs, c, host, hm);
	if (r < 0)
		return r;
	r = check_config(rs, c, hm);
	if (r < 0)
		return r;
	return check_queues(rs, c, host, hm);
}

/* ------------------------------------------------------------------ */
/* The run                                                             */

/* The owner table of a layer, all free; kept between runs. */
static int32_t *owner_table(struct apmatrix_check *check, unsigned int layer)
{
	int32_t *t = check->owner[layer];

	if (!t)
		t = check->owner[layer] =
			malloc(APMATRIX_MAX_APQNS * sizeof(*t));
	if (t)
		memset(t, 0xff, APMATRIX_MAX_APQNS * sizeof(*t));
	return t;
}

static int run_pass(struct run_state *rs, const struct host_masks *hm,
		    unsigned int layer)
{
	struct apmatrix_check *check = rs->check;
	int32_t *owner = NULL;

	for (uint32_t i = 0; i < check->count; i++) {
		struct apmatrix_config_view live, def;
		const struct apmatrix_config_view *c;
		int r;

		view_of(check, i, LAYER_LIVE, &live);
		if (layer == LAYER_DEFINED)
			view_of(check, i, LAYER_DEFINED, &def);
		c = layer == LAYER_LIVE ? &live : &def;
		if (!c->matrix)
			continue;
		/* A table only for a layer that has configurations. */
		if (!owner && !(owner = owner_table(check, layer)))
			return -ENOMEM;
		rs->live_count += layer == LAYER_LIVE;
		r = walk_apqns(rs, owner,
			       layer == LAYER_LIVE ? PAIR_LIVE : PAIR_DEFINED,
			       (int32_t)i, c->matrix, 1);
		/* A definition against what is live elsewhere, unless the
		 * mdev runs with the same APQNs (live pairs cover that). */
		if (r == 0 && layer == LAYER_DEFINED && rs->live_count &&
		    !(live.matrix &&
		      bits_equal(&live.matrix->adapters.bits,
				 &c->matrix->adapters.bits) &&
		      bits_equal(&live.matrix->domains.bits,
				 &c->matrix->domains.bits)))
			r = walk_apqns(rs, check->owner[LAYER_LIVE],
				       PAIR_DEFINED_LIVE, (int32_t)i, c->matrix,
				       0);
		if (r == 0)
			r = check_view(rs, c, &live, hm);
		if (r < 0)
			return r;
	}
	return 0;
}

static int run(struct run_state *rs)
{
	struct apmatrix_check *check = rs->check;
	struct host_masks hm;
	int r;

	if (check->host)
		host_masks_init(&hm, check->host);
	else
		memset(&hm, 0, sizeof(hm));
	/* Every live configuration is claimed before definitions look. */
	r = run_pass(rs, &hm, LAYER_LIVE);
	if (r == 0)
		r = run_pass(rs, &hm, LAYER_DEFINED);
	for (size_t p = 0; r == 0 && p < rs->pair_count; p++)
		r = pair_finding(rs, &rs->pairs[p]);
	if (r == 0)
		r = apmatrix_report_finish(rs->report);
	return r;
}

APMATRIX_EXPORT int apmatrix_check_run(struct apmatrix_check *check,
				       unsigned int flags,
				       struct apmatrix_report **ret)
{
	struct run_state rs = {0};
	int r;

	if (!check)
		return -EINVAL;
	apmatrix_diag_clear(check->ctx);
	if (!ret)
		return apmatrix_diag(check->ctx, -EINVAL,
				     "check_run: NULL report pointer");
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(check->ctx, -EINVAL,
				     "check_run: unknown flags 0x%x", flags);
	rs.check = check;
	r = apmatrix_report_new_internal(check->ctx, &rs.report);
	if (r == 0)
		r = run(&rs);
	if (r == 0 && rs.report->count > INT32_MAX)
		r = -ENOMEM;
	if (r == 0) {
		r = (int)rs.report->count;
		*ret = rs.report;
		rs.report = NULL;
	} else {
		apmatrix_diag(check->ctx, r, "check_run: out of memory");
	}
	apmatrix_report_unref(rs.report);
	free(rs.nodes);
	free(rs.pairs);
	for (int k = 0; k < PAIR_KINDS; k++)
		free(rs.seen[k]);
	return r;
}
