/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host the benchmarks check against. */
#ifndef APMATRIX_BENCH_HOST_H
#define APMATRIX_BENCH_HOST_H

#include "apmatrix.h"

/* 256 cards x 256 domains, every queue bound to vfio_ap, empty host masks
 * (everything may go to guests); NULL when out of memory. */
static inline struct apmatrix_host *bench_full_host(struct apmatrix_ctx *ctx)
{
	struct apmatrix_host *host = NULL;

	if (apmatrix_host_new(ctx, &host) < 0)
		return NULL;
	for (unsigned int a = 0; a < 256; a++) {
		apmatrix_host_add_card(host, a, 14, APMATRIX_MODE_CCA,
				       APMATRIX_STATE_ONLINE |
					       APMATRIX_STATE_CONFIG);
		apmatrix_idset_set(apmatrix_host_get_control_domain_mask(host),
				   a);
		for (unsigned int d = 0; d < 256; d++)
			apmatrix_host_add_queue(host, APMATRIX_APQN(a, d),
						APMATRIX_DRIVER_VFIO_AP,
						APMATRIX_STATE_ONLINE |
							APMATRIX_STATE_CONFIG);
	}
	apmatrix_idset_clear_all(apmatrix_host_get_apmask(host));
	apmatrix_idset_clear_all(apmatrix_host_get_aqmask(host));
	return host;
}

#endif
