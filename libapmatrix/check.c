/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conflict engine: a pure function of a host description, mdevs and
 * persistent masks. It scales with the number of assigned APQNs (plus the
 * size of the output), never with the number of mdev pairs: sharing is
 * found through a table of APQN owners, everything else with per-adapter
 * bitmap operations.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "check-internal.h"

/* How many APQNs or IDs a message names before "and N more". */
#define MSG_MAX_ITEMS 8

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
	int32_t *seen;
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

/* ------------------------------------------------------------------ */
/* Message helpers                                                     */

struct strbuf {
	char buf[160];
	size_t len;
};

static void sb_add(struct strbuf *sb, const char *fmt, ...)
	APMATRIX_PRINTF(2, 3);

static void sb_add(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->len >= sizeof(sb->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sizeof(sb->buf) - sb->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->len += (size_t)n;
}

/* "04.0047, 05.0047 and 3 more" */
static const char *apqns_text(struct strbuf *sb,
			      const struct apmatrix_apqn_list *list)
{
	unsigned int n = list->count;

	sb->len = 0;
	sb->buf[0] = '\0';
	for (unsigned int i = 0; i < n && i < MSG_MAX_ITEMS; i++)
		sb_add(sb, "%s%02x.%04x", i ? ", " : "",
		       APMATRIX_APQN_ADAPTER(list->apqns[i]),
		       APMATRIX_APQN_DOMAIN(list->apqns[i]));
	if (n > MSG_MAX_ITEMS)
		sb_add(sb, " and %u more", n - MSG_MAX_ITEMS);
	return sb->buf;
}

/* "0x04, 0x05 and 3 more" */
static const char *ids_text(struct strbuf *sb, const struct apmatrix_bits *b)
{
	unsigned int i = 0, n = bits_count(b);

	sb->len = 0;
	sb->buf[0] = '\0';
	bits_foreach (id, b) {
		if (i == MSG_MAX_ITEMS)
			break;
		sb_add(sb, "%s0x%02x", i++ ? ", " : "", (unsigned int)id);
	}
	if (n > MSG_MAX_ITEMS)
		sb_add(sb, " and %u more", n - MSG_MAX_ITEMS);
	return sb->buf;
}

static const char *plural(unsigned int n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

static const char *state_text(unsigned int st)
{
	if (st & APMATRIX_MDEV_ACTIVE) {
		if (st & APMATRIX_MDEV_AUTOSTART)
			return "active, autostart";
		if (st & APMATRIX_MDEV_DEFINED)
			return "active, manual start";
		return "active";
	}
	if (st & APMATRIX_MDEV_AUTOSTART)
		return "autostart";
	if (st & APMATRIX_MDEV_DEFINED)
		return "defined, manual start";
	return "not defined";
}

/* ------------------------------------------------------------------ */
/* Building findings                                                   */

/* Append a x d for every a in adapters, d in domains (adapter-major). */
static int append_product(struct apmatrix_apqn_list *list,
			  const struct apmatrix_bits *adapters,
			  const struct apmatrix_bits *domains)
{
	bits_foreach (a, adapters) {
		bits_foreach (d, domains) {
			int r = apmatrix_apqn_list_append(
				list, APMATRIX_APQN((unsigned int)a,
						    (unsigned int)d));

			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int add_finding(struct run_state *rs, int code, int severity,
		       const struct apmatrix_mdev *m0,
		       const struct apmatrix_mdev *m1,
		       struct apmatrix_finding **ret)
{
	return apmatrix_report_add(rs->report, code, severity, m0->uuid,
				   m1 ? m1->uuid : NULL, ret);
}

static int check_pair(struct run_state *rs, const struct apmatrix_mdev *x,
		      const struct apmatrix_mdev *y)
{
	const struct apmatrix_mdev *m0 = x, *m1 = y;
	struct apmatrix_bits a, d;
	struct apmatrix_finding *f;
	struct strbuf sb;
	unsigned int s0, s1, n;
	int severity, r;

	if (strcmp(x->uuid, y->uuid) > 0) {
		m0 = y;
		m1 = x;
	}
	s0 = m0->state;
	s1 = m1->state;
	bits_and(&a, &m0->matrix.adapters.bits, &m1->matrix.adapters.bits);
	bits_and(&d, &m0->matrix.domains.bits, &m1->matrix.domains.bits);
	if ((s0 & s1 & APMATRIX_MDEV_ACTIVE) ||
	    (s0 & s1 & APMATRIX_MDEV_AUTOSTART))
		severity = APMATRIX_SEVERITY_ERROR;
	else
		severity = APMATRIX_SEVERITY_WARNING;
	r = add_finding(rs, APMATRIX_FINDING_SHARED_APQNS, severity, m0, m1,
			&f);
	if (r < 0)
		return r;
	f->adapters.bits = a;
	f->domains.bits = d;
	r = append_product(&f->apqns, &a, &d);
	if (r < 0)
		return r;
	n = f->apqns.count;
	if (s0 & s1 & APMATRIX_MDEV_ACTIVE)
		return apmatrix_finding_set_message(
			f,
			"mdev %s: %s %s %s also assigned to mdev %s; both "
			"are active",
			m0->uuid, plural(n, "APQN", "APQNs"),
			apqns_text(&sb, &f->apqns), plural(n, "is", "are"),
			m1->uuid);
	if (s0 & s1 & APMATRIX_MDEV_AUTOSTART)
		return apmatrix_finding_set_message(
			f,
			"mdev %s: %s %s %s also assigned to mdev %s; both "
			"start automatically",
			m0->uuid, plural(n, "APQN", "APQNs"),
			apqns_text(&sb, &f->apqns), plural(n, "is", "are"),
			m1->uuid);
	return apmatrix_finding_set_message(
		f,
		"mdev %s (%s): %s %s %s also assigned to mdev %s (%s); "
		"they cannot run at the same time",
		m0->uuid, state_text(s0), plural(n, "APQN", "APQNs"),
		apqns_text(&sb, &f->apqns), plural(n, "is", "are"), m1->uuid,
		state_text(s1));
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

/*
 * Claim every APQN of mdev i in the owner table. Work is one step per
 * APQN, plus one per earlier owner of an APQN that is already taken (which
 * the shared-APQN lists of the output pay for anyway).
 */
static int claim_apqns(struct run_state *rs, int32_t i)
{
	const struct apmatrix_mdev *m = rs->check->mdevs[i];
	const struct apmatrix_bits *ad = &m->matrix.adapters.bits;
	int32_t *owner = rs->check->owner;
	uint8_t doms[APMATRIX_MAX_IDS];
	unsigned int nd = 0;

	bits_foreach (d, &m->matrix.domains.bits)
		doms[nd++] = (uint8_t)d;
	if (!nd)
		return 0;
	bits_foreach (a, ad) {
		int32_t *row = owner + ((unsigned int)a << 8);

		for (unsigned int k = 0; k < nd; k++) {
			int32_t v = row[doms[k]];
			int head, r;

			if (v == -1) {
				row[doms[k]] = i;
				continue;
			}
			if (v >= 0) {
				r = note_pair(rs, v, i);
				if (r < 0)
					return r;
				head = push_node(rs, v, -1);
			} else {
				head = -2 - v;
				for (int32_t n = head; n >= 0;
				     n = rs->nodes[n].next) {
					r = note_pair(rs, rs->nodes[n].mdev, i);
					if (r < 0)
						return r;
				}
			}
			if (head < 0)
				return head;
			head = push_node(rs, i, head);
			if (head < 0)
				return head;
			row[doms[k]] = -2 - head;
		}
	}
	return 0;
}

static int check_pool(struct run_state *rs, const struct apmatrix_mdev *m,
		      const struct apmatrix_bits *apmask,
		      const struct apmatrix_bits *aqmask, int persistent)
{
	unsigned int st = m->state;
	struct apmatrix_bits a, d;
	struct apmatrix_finding *f;
	struct strbuf sb;
	int severity, code, r;
	unsigned int n;

	bits_and(&a, &m->matrix.adapters.bits, apmask);
	bits_and(&d, &m->matrix.domains.bits, aqmask);
	if (bits_empty(&a) || bits_empty(&d))
		return 0;
	if (persistent) {
		code = APMATRIX_FINDING_HOST_POOL_PERSISTENT;
		severity = (st & APMATRIX_MDEV_AUTOSTART)
				   ? APMATRIX_SEVERITY_ERROR
				   : APMATRIX_SEVERITY_WARNING;
	} else {
		code = APMATRIX_FINDING_HOST_POOL_ACTIVE;
		severity =
			(st & (APMATRIX_MDEV_ACTIVE | APMATRIX_MDEV_AUTOSTART))
				? APMATRIX_SEVERITY_ERROR
				: APMATRIX_SEVERITY_WARNING;
	}
	r = add_finding(rs, code, severity, m, NULL, &f);
	if (r < 0)
		return r;
	f->adapters.bits = a;
	f->domains.bits = d;
	r = append_product(&f->apqns, &a, &d);
	if (r < 0)
		return r;
	n = f->apqns.count;
	return apmatrix_finding_set_message(
		f,
		"mdev %s: %s %s %s reserved for host drivers by the %s "
		"apmask and aqmask (not allowed for vfio_ap-passthrough use)",
		m->uuid, plural(n, "APQN", "APQNs"), apqns_text(&sb, &f->apqns),
		plural(n, "is", "are"), persistent ? "persistent" : "active");
}

static int check_limits(struct run_state *rs, const struct apmatrix_mdev *m,
			const struct apmatrix_host *host)
{
	const struct apmatrix_bits *A = &m->matrix.adapters.bits;
	const struct apmatrix_bits *D = &m->matrix.domains.bits;
	const struct apmatrix_bits *C = &m->matrix.controls.bits;
	struct apmatrix_bits lim, over;
	struct apmatrix_finding *f;
	struct strbuf sb;
	int r;

	lim = *A;
	bits_limit(&lim, host->max_adapter_id);
	bits_andnot(&over, A, &lim);
	if (!bits_empty(&over)) {
		r = add_finding(rs, APMATRIX_FINDING_ADAPTER_OVER_LIMIT,
				APMATRIX_SEVERITY_ERROR, m, NULL, &f);
		if (r < 0)
			return r;
		f->adapters.bits = over;
		r = append_product(&f->apqns, &over, D);
		if (r < 0)
			return r;
		r = apmatrix_finding_set_message(
			f, "mdev %s: %s %s %s over ap_max_adapter_id 0x%02x",
			m->uuid,
			plural(bits_count(&over), "adapter", "adapters"),
			ids_text(&sb, &over),
			plural(bits_count(&over), "is", "are"),
			host->max_adapter_id);
		if (r < 0)
			return r;
	}
	lim = *D;
	bits_limit(&lim, host->max_domain_id);
	bits_andnot(&over, D, &lim);
	if (!bits_empty(&over)) {
		r = add_finding(rs, APMATRIX_FINDING_DOMAIN_OVER_LIMIT,
				APMATRIX_SEVERITY_ERROR, m, NULL, &f);
		if (r < 0)
			return r;
		f->domains.bits = over;
		r = append_product(&f->apqns, A, &over);
		if (r < 0)
			return r;
		r = apmatrix_finding_set_message(
			f,
			"mdev %s: usage %s %s %s over ap_max_domain_id 0x%02x",
			m->uuid, plural(bits_count(&over), "domain", "domains"),
			ids_text(&sb, &over),
			plural(bits_count(&over), "is", "are"),
			host->max_domain_id);
		if (r < 0)
			return r;
	}
	lim = *C;
	bits_limit(&lim, host->max_domain_id);
	bits_andnot(&over, C, &lim);
	if (!bits_empty(&over)) {
		r = add_finding(rs, APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT,
				APMATRIX_SEVERITY_ERROR, m, NULL, &f);
		if (r < 0)
			return r;
		f->domains.bits = over;
		r = apmatrix_finding_set_message(
			f,
			"mdev %s: control %s %s %s over ap_max_domain_id "
			"0x%02x",
			m->uuid, plural(bits_count(&over), "domain", "domains"),
			ids_text(&sb, &over),
			plural(bits_count(&over), "is", "are"),
			host->max_domain_id);
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_shape(struct run_state *rs, const struct apmatrix_mdev *m)
{
	const struct apmatrix_bits *A = &m->matrix.adapters.bits;
	const struct apmatrix_bits *D = &m->matrix.domains.bits;
	const struct apmatrix_bits *C = &m->matrix.controls.bits;
	struct apmatrix_finding *f;
	struct strbuf sb;
	int r;

	if (!bits_empty(C) && bits_empty(D)) {
		r = add_finding(rs, APMATRIX_FINDING_CONTROL_WITHOUT_USAGE,
				APMATRIX_SEVERITY_ERROR, m, NULL, &f);
		if (r < 0)
			return r;
		f->domains.bits = *C;
		r = apmatrix_finding_set_message(
			f,
			"mdev %s: control %s %s but no usage domain; at "
			"least one usage domain must be specified",
			m->uuid, plural(bits_count(C), "domain", "domains"),
			ids_text(&sb, C));
		if (r < 0)
			return r;
	}
	if (bits_empty(A) == bits_empty(D))
		return 0;
	r = add_finding(rs, APMATRIX_FINDING_NO_QUEUES, APMATRIX_SEVERITY_INFO,
			m, NULL, &f);
	if (r < 0)
		return r;
	if (bits_empty(D)) {
		f->adapters.bits = *A;
		return apmatrix_finding_set_message(
			f,
			"mdev %s: %s %s but no usage domain; the guest gets "
			"no queue",
			m->uuid, plural(bits_count(A), "adapter", "adapters"),
			ids_text(&sb, A));
	}
	f->domains.bits = *D;
	return apmatrix_finding_set_message(
		f,
		"mdev %s: usage %s %s but no adapter; the guest gets no queue",
		m->uuid, plural(bits_count(D), "domain", "domains"),
		ids_text(&sb, D));
}

static int check_config(struct run_state *rs, const struct apmatrix_mdev *m,
			const struct apmatrix_host *host,
			const struct apmatrix_bits *limA,
			const struct apmatrix_bits *limD,
			const struct apmatrix_bits *limC)
{
	struct apmatrix_bits na, nd, nc;
	struct apmatrix_finding *f;
	struct strbuf sa, sd;
	int r;

	bits_andnot(&na, limA, &host->adapter_mask.bits);
	bits_andnot(&nd, limD, &host->usage_mask.bits);
	bits_andnot(&nc, limC, &host->control_mask.bits);
	if (!bits_empty(&na) || !bits_empty(&nd)) {
		r = add_finding(rs, APMATRIX_FINDING_NOT_CONFIGURED,
				APMATRIX_SEVERITY_WARNING, m, NULL, &f);
		if (r < 0)
			return r;
		f->adapters.bits = na;
		f->domains.bits = nd;
		/* The APQNs the guest loses: a or d not configured. */
		bits_foreach (a, limA) {
			const struct apmatrix_bits *dd =
				bits_test(&na, (unsigned int)a) ? limD : &nd;

			bits_foreach (d, dd) {
				r = apmatrix_apqn_list_append(
					&f->apqns,
					APMATRIX_APQN((unsigned int)a,
						      (unsigned int)d));
				if (r < 0)
					return r;
			}
		}
		if (bits_empty(&nd))
			r = apmatrix_finding_set_message(
				f,
				"mdev %s: %s %s %s not in the host "
				"configuration; the guest does not get %s",
				m->uuid,
				plural(bits_count(&na), "adapter", "adapters"),
				ids_text(&sa, &na),
				plural(bits_count(&na), "is", "are"),
				plural(bits_count(&na), "it", "them"));
		else if (bits_empty(&na))
			r = apmatrix_finding_set_message(
				f,
				"mdev %s: usage %s %s %s not in the host "
				"configuration; the guest does not get %s",
				m->uuid,
				plural(bits_count(&nd), "domain", "domains"),
				ids_text(&sd, &nd),
				plural(bits_count(&nd), "is", "are"),
				plural(bits_count(&nd), "it", "them"));
		else
			r = apmatrix_finding_set_message(
				f,
				"mdev %s: %s %s and usage %s %s are not in "
				"the host configuration; the guest does not "
				"get them",
				m->uuid,
				plural(bits_count(&na), "adapter", "adapters"),
				ids_text(&sa, &na),
				plural(bits_count(&nd), "domain", "domains"),
				ids_text(&sd, &nd));
		if (r < 0)
			return r;
	}
	if (!bits_empty(&nc)) {
		r = add_finding(rs, APMATRIX_FINDING_NOT_CONFIGURED,
				APMATRIX_SEVERITY_WARNING, m, NULL, &f);
		if (r < 0)
			return r;
		f->sub = 1;
		f->domains.bits = nc;
		r = apmatrix_finding_set_message(
			f,
			"mdev %s: control %s %s %s not in the host "
			"configuration; the guest does not get %s",
			m->uuid, plural(bits_count(&nc), "domain", "domains"),
			ids_text(&sd, &nc),
			plural(bits_count(&nc), "is", "are"),
			plural(bits_count(&nc), "it", "them"));
		if (r < 0)
			return r;
	}
	return 0;
}

/* Append, adapter-major, the APQNs a x bad[a] for every a in adapters. */
static int append_rows(struct apmatrix_apqn_list *list,
		       const struct apmatrix_bits *adapters,
		       const struct apmatrix_bits *bad)
{
	bits_foreach (a, adapters) {
		bits_foreach (d, &bad[a]) {
			int r = apmatrix_apqn_list_append(
				list, APMATRIX_APQN((unsigned int)a,
						    (unsigned int)d));

			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int queue_finding(struct run_state *rs, const struct apmatrix_mdev *m,
			 int code, const struct apmatrix_bits *adapters,
			 const struct apmatrix_bits *rows)
{
	struct apmatrix_finding *f;
	struct apmatrix_bits doms = {{0}};
	struct strbuf sb, sa;
	unsigned int n;
	int r;

	r = add_finding(rs, code, APMATRIX_SEVERITY_WARNING, m, NULL, &f);
	if (r < 0)
		return r;
	bits_foreach (a, adapters)
		bits_or(&doms, &doms, &rows[a]);
	f->adapters.bits = *adapters;
	f->domains.bits = doms;
	r = append_rows(&f->apqns, adapters, rows);
	if (r < 0)
		return r;
	n = f->apqns.count;
	switch (code) {
	case APMATRIX_FINDING_QUEUE_MISSING:
		return apmatrix_finding_set_message(
			f, "mdev %s: %s %s %s not exist on the host", m->uuid,
			plural(n, "queue", "queues"),
			apqns_text(&sb, &f->apqns), plural(n, "does", "do"));
	case APMATRIX_FINDING_QUEUE_NOT_BOUND:
		return apmatrix_finding_set_message(
			f, "mdev %s: %s %s %s not bound to vfio_ap", m->uuid,
			plural(n, "queue", "queues"),
			apqns_text(&sb, &f->apqns), plural(n, "is", "are"));
	default:
		return apmatrix_finding_set_message(
			f,
			"mdev %s: %s %s %s left out of the guest because "
			"%s %s %s missing or not bound to vfio_ap",
			m->uuid,
			plural(bits_count(adapters), "adapter", "adapters"),
			ids_text(&sa, adapters),
			plural(bits_count(adapters), "is", "are"),
			plural(n, "queue", "queues"),
			apqns_text(&sb, &f->apqns), plural(n, "is", "are"));
	}
}

/*
 * The kernel's guest_matrix filter (vfio-ap-abi §3.3) over the configured
 * product: one bitmap operation per adapter.
 */
static int check_queues(struct run_state *rs, const struct apmatrix_mdev *m,
			const struct apmatrix_host *host,
			const struct apmatrix_bits *cfgA,
			const struct apmatrix_bits *cfgD)
{
	struct apmatrix_bits missing[APMATRIX_MAX_IDS];
	struct apmatrix_bits unbound[APMATRIX_MAX_IDS];
	struct apmatrix_bits bad[APMATRIX_MAX_IDS];
	struct apmatrix_bits am = {{0}}, au = {{0}}, af = {{0}};
	int r;

	if (bits_empty(cfgD))
		return 0;
	bits_foreach (a, cfgA) {
		struct apmatrix_bits present;

		bits_andnot(&missing[a], cfgD, &host->queues[a]);
		bits_and(&present, cfgD, &host->queues[a]);
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

static int check_mdev(struct run_state *rs, const struct apmatrix_mdev *m)
{
	const struct apmatrix_check *check = rs->check;
	const struct apmatrix_host *host = check->host;
	struct apmatrix_bits limA, limD, limC, cfgA, cfgD;
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
	r = check_limits(rs, m, host);
	if (r < 0)
		return r;
	limA = m->matrix.adapters.bits;
	limD = m->matrix.domains.bits;
	limC = m->matrix.controls.bits;
	bits_limit(&limA, host->max_adapter_id);
	bits_limit(&limD, host->max_domain_id);
	bits_limit(&limC, host->max_domain_id);
	r = check_config(rs, m, host, &limA, &limD, &limC);
	if (r < 0)
		return r;
	bits_and(&cfgA, &limA, &host->adapter_mask.bits);
	bits_and(&cfgD, &limD, &host->usage_mask.bits);
	return check_queues(rs, m, host, &cfgA, &cfgD);
}

APMATRIX_EXPORT int apmatrix_check_run(struct apmatrix_check *check,
				       unsigned int flags,
				       struct apmatrix_report **ret)
{
	struct run_state rs = {0};
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
	memset(check->owner, 0xff, APMATRIX_MAX_APQNS * sizeof(*check->owner));
	for (unsigned int i = 0; i < check->count; i++) {
		r = claim_apqns(&rs, (int32_t)i);
		if (r < 0)
			goto out;
	}
	for (size_t p = 0; p < rs.pair_count; p++) {
		r = check_pair(&rs, check->mdevs[rs.pairs[2 * p]],
			       check->mdevs[rs.pairs[2 * p + 1]]);
		if (r < 0)
			goto out;
	}
	for (unsigned int i = 0; i < check->count; i++) {
		r = check_mdev(&rs, check->mdevs[i]);
		if (r < 0)
			goto out;
	}
	apmatrix_report_sort(rs.report);
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
