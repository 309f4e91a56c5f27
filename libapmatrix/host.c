/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An in-memory description of an AP host: limits, masks, cards, queues. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check-internal.h"

/* vfio_ap only takes queues of CEX4 and newer cards. */
#define APMATRIX_HWTYPE_MIN_VFIO 10

static void host_owner_ref(void *owner)
{
	apmatrix_host_ref(owner);
}

static void host_owner_unref(void *owner)
{
	apmatrix_host_unref(owner);
}

APMATRIX_EXPORT int apmatrix_host_new(struct apmatrix_ctx *ctx,
				      struct apmatrix_host **ret)
{
	struct apmatrix_host *host;

	apmatrix_diag_clear(ctx);
	if (!ctx || !ret)
		return apmatrix_diag(ctx, -EINVAL, "host_new: NULL argument");
	host = calloc(1, sizeof(*host));
	if (!host)
		return apmatrix_diag(ctx, -ENOMEM, "host_new: out of memory");
	host->refcount = 1;
	host->ctx = apmatrix_ref(ctx);
	host->known = APMATRIX_HOST_ALL_PARTS;
	host->bindings_complete = -1;
	host->max_adapter_id = APMATRIX_MAX_IDS - 1;
	host->max_domain_id = APMATRIX_MAX_IDS - 1;
	apmatrix_idset_init_embedded(&host->adapter_mask, ctx, host,
				     host_owner_ref, host_owner_unref);
	apmatrix_idset_init_embedded(&host->usage_mask, ctx, host,
				     host_owner_ref, host_owner_unref);
	apmatrix_idset_init_embedded(&host->control_mask, ctx, host,
				     host_owner_ref, host_owner_unref);
	apmatrix_idset_init_embedded(&host->apmask, ctx, host, host_owner_ref,
				     host_owner_unref);
	apmatrix_idset_init_embedded(&host->aqmask, ctx, host, host_owner_ref,
				     host_owner_unref);
	memset(&host->apmask.bits, 0xff, sizeof(host->apmask.bits));
	memset(&host->aqmask.bits, 0xff, sizeof(host->aqmask.bits));
	*ret = host;
	return 0;
}

APMATRIX_EXPORT struct apmatrix_host *
apmatrix_host_ref(struct apmatrix_host *host)
{
	if (host)
		host->refcount++;
	return host;
}

APMATRIX_EXPORT struct apmatrix_host *
apmatrix_host_unref(struct apmatrix_host *host)
{
	if (!host || --host->refcount > 0)
		return NULL;
	for (unsigned int i = 0; i < host->mdev_count; i++)
		apmatrix_mdev_unref(host->mdevs[i]);
	free(host->mdevs);
	for (unsigned int i = 0; i < host->override_count; i++)
		free(host->overrides[i]);
	free(host->overrides);
	apmatrix_unref(host->ctx);
	free(host);
	return NULL;
}

APMATRIX_EXPORT struct apmatrix_ctx *
apmatrix_host_get_ctx(const struct apmatrix_host *host)
{
	return host ? host->ctx : NULL;
}

APMATRIX_EXPORT int apmatrix_host_set_max_ids(struct apmatrix_host *host,
					      unsigned int max_adapter_id,
					      unsigned int max_domain_id)
{
	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (max_adapter_id >= APMATRIX_MAX_IDS ||
	    max_domain_id >= APMATRIX_MAX_IDS)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "maximum IDs %u/%u out of range 0-255",
				     max_adapter_id, max_domain_id);
	host->max_adapter_id = max_adapter_id;
	host->max_domain_id = max_domain_id;
	return 0;
}

APMATRIX_EXPORT unsigned int
apmatrix_host_get_max_adapter_id(const struct apmatrix_host *host)
{
	return host ? host->max_adapter_id : 0;
}

APMATRIX_EXPORT unsigned int
apmatrix_host_get_max_domain_id(const struct apmatrix_host *host)
{
	return host ? host->max_domain_id : 0;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_host_get_adapter_mask(struct apmatrix_host *host)
{
	return host ? &host->adapter_mask : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_host_get_usage_domain_mask(struct apmatrix_host *host)
{
	return host ? &host->usage_mask : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_host_get_control_domain_mask(struct apmatrix_host *host)
{
	return host ? &host->control_mask : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_host_get_apmask(struct apmatrix_host *host)
{
	return host ? &host->apmask : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_host_get_aqmask(struct apmatrix_host *host)
{
	return host ? &host->aqmask : NULL;
}

APMATRIX_EXPORT int apmatrix_host_add_card(struct apmatrix_host *host,
					   unsigned int adapter,
					   unsigned int hwtype,
					   unsigned int mode,
					   unsigned int state)
{
	struct apmatrix_card *card;

	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (adapter >= APMATRIX_MAX_IDS)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "adapter %u out of range 0-255", adapter);
	if (hwtype > 255)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "card %02x: hwtype %u out of range 0-255",
				     adapter, hwtype);
	if (mode > APMATRIX_MODE_EP11)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "card %02x: unknown mode %u", adapter,
				     mode);
	if (state &
	    ~(unsigned int)(APMATRIX_STATE_ONLINE | APMATRIX_STATE_CONFIG |
			    APMATRIX_STATE_CHKSTOP))
		return apmatrix_diag(host->ctx, -EINVAL,
				     "card %02x: unknown state bits 0x%x",
				     adapter, state);
	card = &host->cards[adapter];
	memset(card, 0, sizeof(*card));
	card->present = 1;
	card->hwtype = (int16_t)hwtype;
	card->raw_hwtype = -1;
	card->mode = (uint8_t)mode;
	card->state = (uint8_t)state;
	card->known = APMATRIX_KNOWN_STATE;
	bits_set(&host->adapter_mask.bits, adapter);
	return 0;
}

static int card_lookup(const struct apmatrix_host *host, unsigned int adapter)
{
	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (adapter >= APMATRIX_MAX_IDS)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "adapter %u out of range 0-255", adapter);
	if (!host->cards[adapter].present)
		return apmatrix_diag(host->ctx, -ENOENT, "no card %02x",
				     adapter);
	return 0;
}

APMATRIX_EXPORT int apmatrix_host_remove_card(struct apmatrix_host *host,
					      unsigned int adapter)
{
	int r = card_lookup(host, adapter);

	if (r < 0)
		return r;
	memset(&host->cards[adapter], 0, sizeof(host->cards[adapter]));
	memset(&host->queues[adapter], 0, sizeof(host->queues[adapter]));
	memset(&host->vfio[adapter], 0, sizeof(host->vfio[adapter]));
	memset(&host->deflt[adapter], 0, sizeof(host->deflt[adapter]));
	memset(&host->queue_info[APMATRIX_APQN(adapter, 0)], 0,
	       APMATRIX_MAX_IDS * sizeof(host->queue_info[0]));
	return 0;
}

APMATRIX_EXPORT int apmatrix_host_has_card(const struct apmatrix_host *host,
					   unsigned int adapter)
{
	return host && adapter < APMATRIX_MAX_IDS &&
	       host->cards[adapter].present;
}

APMATRIX_EXPORT int apmatrix_host_set_card_state(struct apmatrix_host *host,
						 unsigned int adapter,
						 unsigned int state)
{
	int r = card_lookup(host, adapter);

	if (r < 0)
		return r;
	if (state &
	    ~(unsigned int)(APMATRIX_STATE_ONLINE | APMATRIX_STATE_CONFIG |
			    APMATRIX_STATE_CHKSTOP))
		return apmatrix_diag(host->ctx, -EINVAL,
				     "card %02x: unknown state bits 0x%x",
				     adapter, state);
	host->cards[adapter].state = (uint8_t)state;
	host->cards[adapter].known |= APMATRIX_KNOWN_STATE;
	return 0;
}

static void queue_bind(struct apmatrix_host *host, unsigned int adapter,
		       unsigned int domain, unsigned int driver)
{
	bits_clear(&host->vfio[adapter], domain);
	bits_clear(&host->deflt[adapter], domain);
	if (driver == APMATRIX_DRIVER_VFIO_AP)
		bits_set(&host->vfio[adapter], domain);
	else if (driver == APMATRIX_DRIVER_DEFAULT)
		bits_set(&host->deflt[adapter], domain);
}

APMATRIX_EXPORT int apmatrix_host_add_queue(struct apmatrix_host *host,
					    unsigned int apqn,
					    unsigned int driver,
					    unsigned int state)
{
	unsigned int a = APMATRIX_APQN_ADAPTER(apqn);
	unsigned int d = APMATRIX_APQN_DOMAIN(apqn);

	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (apqn >= APMATRIX_MAX_APQNS)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "APQN 0x%x out of range", apqn);
	if (driver > APMATRIX_DRIVER_VFIO_AP)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "queue %02x.%04x: unknown driver %u", a, d,
				     driver);
	if (state &
	    ~(unsigned int)(APMATRIX_STATE_ONLINE | APMATRIX_STATE_CONFIG |
			    APMATRIX_STATE_CHKSTOP))
		return apmatrix_diag(host->ctx, -EINVAL,
				     "queue %02x.%04x: unknown state bits 0x%x",
				     a, d, state);
	if (!host->cards[a].present)
		return apmatrix_diag(host->ctx, -ENOENT,
				     "queue %02x.%04x: no card %02x", a, d, a);
	bits_set(&host->queues[a], d);
	queue_bind(host, a, d, driver);
	memset(&host->queue_info[apqn], 0, sizeof(host->queue_info[apqn]));
	host->queue_info[apqn].state = (uint8_t)state;
	host->queue_info[apqn].known = APMATRIX_KNOWN_STATE;
	bits_set(&host->usage_mask.bits, d);
	return 0;
}

static int queue_lookup(const struct apmatrix_host *host, unsigned int apqn)
{
	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (apqn >= APMATRIX_MAX_APQNS)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "APQN 0x%x out of range", apqn);
	if (!bits_test(&host->queues[APMATRIX_APQN_ADAPTER(apqn)],
		       APMATRIX_APQN_DOMAIN(apqn)))
		return apmatrix_diag(host->ctx, -ENOENT, "no queue %02x.%04x",
				     APMATRIX_APQN_ADAPTER(apqn),
				     APMATRIX_APQN_DOMAIN(apqn));
	return 0;
}

APMATRIX_EXPORT int apmatrix_host_remove_queue(struct apmatrix_host *host,
					       unsigned int apqn)
{
	unsigned int a = APMATRIX_APQN_ADAPTER(apqn);
	unsigned int d = APMATRIX_APQN_DOMAIN(apqn);
	int r = queue_lookup(host, apqn);

	if (r < 0)
		return r;
	bits_clear(&host->queues[a], d);
	queue_bind(host, a, d, APMATRIX_DRIVER_NONE);
	memset(&host->queue_info[apqn], 0, sizeof(host->queue_info[apqn]));
	return 0;
}

APMATRIX_EXPORT int apmatrix_host_has_queue(const struct apmatrix_host *host,
					    unsigned int apqn)
{
	return host && apqn < APMATRIX_MAX_APQNS &&
	       bits_test(&host->queues[APMATRIX_APQN_ADAPTER(apqn)],
			 APMATRIX_APQN_DOMAIN(apqn));
}

APMATRIX_EXPORT int apmatrix_host_set_queue_driver(struct apmatrix_host *host,
						   unsigned int apqn,
						   unsigned int driver)
{
	int r = queue_lookup(host, apqn);

	if (r < 0)
		return r;
	if (driver > APMATRIX_DRIVER_VFIO_AP)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "queue %02x.%04x: unknown driver %u",
				     APMATRIX_APQN_ADAPTER(apqn),
				     APMATRIX_APQN_DOMAIN(apqn), driver);
	queue_bind(host, APMATRIX_APQN_ADAPTER(apqn),
		   APMATRIX_APQN_DOMAIN(apqn), driver);
	return 0;
}

APMATRIX_EXPORT int apmatrix_host_bind_by_masks(struct apmatrix_host *host)
{
	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	for (unsigned int a = 0; a < APMATRIX_MAX_IDS; a++) {
		const struct apmatrix_bits *q = &host->queues[a];
		struct apmatrix_bits none = {{0}};

		if (!host->cards[a].present) {
			host->vfio[a] = none;
			host->deflt[a] = none;
			continue;
		}
		if (bits_test(&host->apmask.bits, a)) {
			bits_and(&host->deflt[a], q, &host->aqmask.bits);
			bits_andnot(&host->vfio[a], q, &host->aqmask.bits);
		} else {
			host->deflt[a] = none;
			host->vfio[a] = *q;
		}
		if (host->cards[a].hwtype < APMATRIX_HWTYPE_MIN_VFIO)
			host->vfio[a] = none;
	}
	return 0;
}

APMATRIX_EXPORT int
apmatrix_host_predict_guest_matrix(const struct apmatrix_host *host,
				   const struct apmatrix_matrix *assigned,
				   struct apmatrix_matrix **ret)
{
	struct apmatrix_bits apm, aqm, adm;
	struct apmatrix_matrix *m = NULL;
	int r;

	apmatrix_diag_clear(host ? host->ctx : NULL);
	if (!host || !assigned || !ret)
		return apmatrix_diag(host ? host->ctx : NULL, -EINVAL,
				     "predict_guest_matrix: NULL argument");
	bits_and(&apm, &assigned->adapters.bits, &host->adapter_mask.bits);
	bits_and(&aqm, &assigned->domains.bits, &host->usage_mask.bits);
	bits_and(&adm, &assigned->controls.bits, &host->control_mask.bits);
	bits_limit(&apm, host->max_adapter_id);
	bits_limit(&aqm, host->max_domain_id);
	bits_limit(&adm, host->max_domain_id);
	if (!bits_empty(&aqm)) {
		bits_foreach (a, &apm) {
			struct apmatrix_bits bad;

			bits_andnot(&bad, &aqm, &host->vfio[a]);
			if (!bits_empty(&bad))
				bits_clear(&apm, (unsigned int)a);
		}
	}
	r = apmatrix_matrix_new(host->ctx, &m);
	if (r < 0)
		return r;
	m->adapters.bits = apm;
	m->domains.bits = aqm;
	m->controls.bits = adm;
	*ret = m;
	return 0;
}

APMATRIX_EXPORT unsigned int
apmatrix_host_get_known(const struct apmatrix_host *host)
{
	return host ? host->known : 0;
}

/* One known feature bit. */
static int feature_ok(unsigned int feature)
{
	return feature && (feature & (feature - 1)) == 0 &&
	       (feature & ~APMATRIX_ALL_FEATURES) == 0;
}

APMATRIX_EXPORT int apmatrix_host_has_feature(const struct apmatrix_host *host,
					      unsigned int feature)
{
	if (!host || !feature_ok(feature))
		return -EINVAL;
	if (!(host->features_known & feature))
		return -ENODATA;
	return (host->features & feature) != 0;
}

APMATRIX_EXPORT int apmatrix_host_set_feature(struct apmatrix_host *host,
					      unsigned int feature, int on)
{
	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (!feature_ok(feature))
		return apmatrix_diag(host->ctx, -EINVAL,
				     "host_set_feature: 0x%x is not one "
				     "feature bit",
				     feature);
	if (on != 0 && on != 1)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "host_set_feature: value %d is not 0 or 1",
				     on);
	host->features_known |= feature;
	if (on)
		host->features |= feature;
	else
		host->features &= ~feature;
	return 0;
}

APMATRIX_EXPORT int apmatrix_host_get_bindings(const struct apmatrix_host *host,
					       unsigned int *bound,
					       unsigned int *total)
{
	if (!host)
		return -EINVAL;
	if (host->bindings_complete < 0)
		return -ENODATA;
	if (bound)
		*bound = host->bindings_bound;
	if (total)
		*total = host->bindings_total;
	return host->bindings_complete;
}

APMATRIX_EXPORT int
apmatrix_host_uses_driver_override(const struct apmatrix_host *host)
{
	if (!host)
		return -EINVAL;
	if (!(host->known & APMATRIX_HOST_DEVICES))
		return -ENODATA;
	for (unsigned int apqn = 0; apqn < APMATRIX_MAX_APQNS; apqn++) {
		unsigned int o = host->queue_info[apqn].override;

		if (o >= APMATRIX_OVERRIDE_FIRST)
			return 1;
	}
	return 0;
}

int apmatrix_host_intern_override(struct apmatrix_host *host, const char *name)
{
	char **grown;

	if (!name[0])
		return APMATRIX_OVERRIDE_NONE;
	for (unsigned int i = 0; i < host->override_count; i++)
		if (strcmp(host->overrides[i], name) == 0)
			return (int)(APMATRIX_OVERRIDE_FIRST + i);
	/* The index is kept in a byte. */
	if (host->override_count >= 255 - APMATRIX_OVERRIDE_FIRST)
		return -ENOSPC;
	grown = realloc(host->overrides,
			(host->override_count + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	host->overrides = grown;
	grown[host->override_count] = strdup(name);
	if (!grown[host->override_count])
		return -ENOMEM;
	return (int)(APMATRIX_OVERRIDE_FIRST + host->override_count++);
}

APMATRIX_EXPORT int apmatrix_host_next_card(const struct apmatrix_host *host,
					    unsigned int from)
{
	if (!host || from > APMATRIX_MAX_IDS)
		return -EINVAL;
	for (unsigned int a = from; a < APMATRIX_MAX_IDS; a++)
		if (host->cards[a].present)
			return (int)a;
	return -ENOENT;
}

APMATRIX_EXPORT int apmatrix_host_next_queue(const struct apmatrix_host *host,
					     unsigned int from)
{
	if (!host || from > APMATRIX_MAX_APQNS)
		return -EINVAL;
	for (unsigned int a = APMATRIX_APQN_ADAPTER(from);
	     from < APMATRIX_MAX_APQNS && a < APMATRIX_MAX_IDS; a++) {
		unsigned int d0 = a == APMATRIX_APQN_ADAPTER(from)
					  ? APMATRIX_APQN_DOMAIN(from)
					  : 0;
		int d = bits_next(&host->queues[a], d0);

		if (d >= 0)
			return (int)APMATRIX_APQN(a, (unsigned int)d);
	}
	return -ENOENT;
}

APMATRIX_EXPORT unsigned int
apmatrix_host_get_mdev_count(const struct apmatrix_host *host)
{
	return host ? host->mdev_count : 0;
}

APMATRIX_EXPORT struct apmatrix_mdev *
apmatrix_host_get_mdev(struct apmatrix_host *host, unsigned int index)
{
	if (!host || index >= host->mdev_count)
		return NULL;
	return host->mdevs[index];
}

static int mdev_insert(struct apmatrix_host *host, unsigned int at,
		       struct apmatrix_mdev *mdev)
{
	if (host->mdev_count == host->mdev_alloc) {
		unsigned int n = host->mdev_alloc ? 2 * host->mdev_alloc : 8;
		struct apmatrix_mdev **grown =
			realloc(host->mdevs, n * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		host->mdevs = grown;
		host->mdev_alloc = n;
	}
	memmove(&host->mdevs[at + 1], &host->mdevs[at],
		(host->mdev_count - at) * sizeof(host->mdevs[0]));
	host->mdevs[at] = apmatrix_mdev_ref(mdev);
	host->mdev_count++;
	return 0;
}

int apmatrix_host_append_mdev(struct apmatrix_host *host,
			      struct apmatrix_mdev *mdev)
{
	return mdev_insert(host, host->mdev_count, mdev);
}

APMATRIX_EXPORT int apmatrix_host_add_mdev(struct apmatrix_host *host,
					   struct apmatrix_mdev *mdev)
{
	unsigned int lo = 0, hi;

	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (!mdev)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "host_add_mdev: NULL mdev");
	hi = host->mdev_count;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		int c = strcmp(host->mdevs[mid]->uuid, mdev->uuid);

		if (c == 0)
			return apmatrix_diag(host->ctx, -EEXIST,
					     "host already has mdev %s",
					     mdev->uuid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (mdev_insert(host, lo, mdev) < 0)
		return apmatrix_diag(host->ctx, -ENOMEM,
				     "host_add_mdev: out of memory");
	return 0;
}
