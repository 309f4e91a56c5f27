/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Card and queue info objects: a copy of what a host knows about one
 * device, read through getters that say "unknown" (-ENODATA, NULL) rather
 * than guess.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check-internal.h"

struct apmatrix_card_info {
	int refcount;
	unsigned int adapter;
	unsigned int queue_count;
	struct apmatrix_card card;
};

struct apmatrix_queue_info {
	int refcount;
	unsigned int apqn;
	unsigned int driver; /* enum apmatrix_driver */
	struct apmatrix_queue queue;
	char *override; /* NULL: unknown */
};

APMATRIX_EXPORT int
apmatrix_host_get_card_info(const struct apmatrix_host *host,
			    unsigned int adapter,
			    struct apmatrix_card_info **ret)
{
	struct apmatrix_card_info *info;

	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (!ret)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "host_get_card_info: NULL argument");
	if (adapter >= APMATRIX_MAX_IDS)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "adapter %u out of range 0-255", adapter);
	if (!host->cards[adapter].present)
		return apmatrix_diag(host->ctx, -ENOENT, "no card %02x",
				     adapter);
	info = calloc(1, sizeof(*info));
	if (!info)
		return apmatrix_diag(host->ctx, -ENOMEM,
				     "host_get_card_info: out of memory");
	info->refcount = 1;
	info->adapter = adapter;
	info->card = host->cards[adapter];
	info->queue_count = bits_count(&host->queues[adapter]);
	*ret = info;
	return 0;
}

APMATRIX_EXPORT struct apmatrix_card_info *
apmatrix_card_info_ref(struct apmatrix_card_info *info)
{
	if (info)
		info->refcount++;
	return info;
}

APMATRIX_EXPORT struct apmatrix_card_info *
apmatrix_card_info_unref(struct apmatrix_card_info *info)
{
	if (info && --info->refcount == 0)
		free(info);
	return NULL;
}

APMATRIX_EXPORT int
apmatrix_card_info_get_adapter(const struct apmatrix_card_info *info)
{
	return info ? (int)info->adapter : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_card_info_get_hwtype(const struct apmatrix_card_info *info)
{
	if (!info)
		return -EINVAL;
	return info->card.hwtype < 0 ? -ENODATA : info->card.hwtype;
}

APMATRIX_EXPORT int
apmatrix_card_info_get_raw_hwtype(const struct apmatrix_card_info *info)
{
	if (!info)
		return -EINVAL;
	return info->card.raw_hwtype < 0 ? -ENODATA : info->card.raw_hwtype;
}

APMATRIX_EXPORT const char *
apmatrix_card_info_get_type(const struct apmatrix_card_info *info)
{
	return info && info->card.type[0] ? info->card.type : NULL;
}

APMATRIX_EXPORT int
apmatrix_card_info_get_mode(const struct apmatrix_card_info *info)
{
	if (!info)
		return -EINVAL;
	return info->card.mode == APMATRIX_MODE_UNKNOWN ? -ENODATA
							: info->card.mode;
}

APMATRIX_EXPORT int
apmatrix_card_info_get_functions(const struct apmatrix_card_info *info,
				 unsigned int *ret)
{
	if (!info || !ret)
		return -EINVAL;
	if (!(info->card.known & APMATRIX_KNOWN_FUNCTIONS))
		return -ENODATA;
	*ret = info->card.functions;
	return 0;
}

static int state_bit(unsigned int state, unsigned int known, unsigned int bit)
{
	if (!(known & bit))
		return -ENODATA;
	return (state & bit) != 0;
}

APMATRIX_EXPORT int
apmatrix_card_info_get_online(const struct apmatrix_card_info *info)
{
	return info ? state_bit(info->card.state, info->card.known,
				APMATRIX_STATE_ONLINE)
		    : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_card_info_get_config(const struct apmatrix_card_info *info)
{
	return info ? state_bit(info->card.state, info->card.known,
				APMATRIX_STATE_CONFIG)
		    : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_card_info_get_chkstop(const struct apmatrix_card_info *info)
{
	return info ? state_bit(info->card.state, info->card.known,
				APMATRIX_STATE_CHKSTOP)
		    : -EINVAL;
}

APMATRIX_EXPORT unsigned int
apmatrix_card_info_get_queue_count(const struct apmatrix_card_info *info)
{
	return info ? info->queue_count : 0;
}

APMATRIX_EXPORT int
apmatrix_host_get_queue_info(const struct apmatrix_host *host,
			     unsigned int apqn,
			     struct apmatrix_queue_info **ret)
{
	unsigned int a = APMATRIX_APQN_ADAPTER(apqn);
	unsigned int d = APMATRIX_APQN_DOMAIN(apqn);
	struct apmatrix_queue_info *info;
	unsigned int o;

	if (!host)
		return -EINVAL;
	apmatrix_diag_clear(host->ctx);
	if (!ret)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "host_get_queue_info: NULL argument");
	if (apqn >= APMATRIX_MAX_APQNS)
		return apmatrix_diag(host->ctx, -EINVAL,
				     "APQN 0x%x out of range", apqn);
	if (!bits_test(&host->queues[a], d))
		return apmatrix_diag(host->ctx, -ENOENT, "no queue %02x.%04x",
				     a, d);
	info = calloc(1, sizeof(*info));
	if (!info)
		return apmatrix_diag(host->ctx, -ENOMEM,
				     "host_get_queue_info: out of memory");
	info->refcount = 1;
	info->apqn = apqn;
	info->queue = host->queue_info[apqn];
	if (bits_test(&host->vfio[a], d))
		info->driver = APMATRIX_DRIVER_VFIO_AP;
	else if (bits_test(&host->deflt[a], d))
		info->driver = APMATRIX_DRIVER_DEFAULT;
	else
		info->driver = APMATRIX_DRIVER_NONE;
	o = info->queue.override;
	if (o != APMATRIX_OVERRIDE_UNKNOWN) {
		info->override = strdup(
			o == APMATRIX_OVERRIDE_NONE
				? ""
				: host->overrides[o - APMATRIX_OVERRIDE_FIRST]);
		if (!info->override) {
			free(info);
			return apmatrix_diag(host->ctx, -ENOMEM,
					     "host_get_queue_info: out of "
					     "memory");
		}
	}
	*ret = info;
	return 0;
}

APMATRIX_EXPORT struct apmatrix_queue_info *
apmatrix_queue_info_ref(struct apmatrix_queue_info *info)
{
	if (info)
		info->refcount++;
	return info;
}

APMATRIX_EXPORT struct apmatrix_queue_info *
apmatrix_queue_info_unref(struct apmatrix_queue_info *info)
{
	if (info && --info->refcount == 0) {
		free(info->override);
		free(info);
	}
	return NULL;
}

APMATRIX_EXPORT int
apmatrix_queue_info_get_apqn(const struct apmatrix_queue_info *info)
{
	return info ? (int)info->apqn : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_queue_info_get_driver(const struct apmatrix_queue_info *info)
{
	return info ? (int)info->driver : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_queue_info_get_online(const struct apmatrix_queue_info *info)
{
	return info ? state_bit(info->queue.state, info->queue.known,
				APMATRIX_STATE_ONLINE)
		    : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_queue_info_get_config(const struct apmatrix_queue_info *info)
{
	return info ? state_bit(info->queue.state, info->queue.known,
				APMATRIX_STATE_CONFIG)
		    : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_queue_info_get_chkstop(const struct apmatrix_queue_info *info)
{
	return info ? state_bit(info->queue.state, info->queue.known,
				APMATRIX_STATE_CHKSTOP)
		    : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_queue_info_get_status(const struct apmatrix_queue_info *info)
{
	if (!info)
		return -EINVAL;
	return info->queue.status ? (int)info->queue.status : -ENODATA;
}

APMATRIX_EXPORT const char *
apmatrix_queue_info_get_driver_override(const struct apmatrix_queue_info *info)
{
	return info ? info->override : NULL;
}
