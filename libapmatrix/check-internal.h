/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private definitions of the host, mdev, check and report objects, shared by
 * host.c, mdev.c, check.c, report.c and the unit tests.
 */
#ifndef APMATRIX_CHECK_INTERNAL_H
#define APMATRIX_CHECK_INTERNAL_H

#include <stdint.h>

#include "apmatrix-internal.h"

#define APMATRIX_UUID_LEN 36

struct apmatrix_card {
	uint8_t present;
	uint8_t mode;
	uint8_t state;
	uint8_t hwtype;
};

/*
 * Queues are kept as per-adapter domain bitmaps, so that questions like
 * "which assigned domains of adapter a have no queue" are a few word
 * operations rather than a walk over APQNs.
 */
struct apmatrix_host {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int max_adapter_id;
	unsigned int max_domain_id;
	struct apmatrix_idset adapter_mask;
	struct apmatrix_idset usage_mask;
	struct apmatrix_idset control_mask;
	struct apmatrix_idset apmask;
	struct apmatrix_idset aqmask;
	struct apmatrix_card cards[APMATRIX_MAX_IDS];
	struct apmatrix_bits queues[APMATRIX_MAX_IDS]; /* queue exists */
	struct apmatrix_bits vfio[APMATRIX_MAX_IDS];   /* bound to vfio_ap */
	struct apmatrix_bits
		deflt[APMATRIX_MAX_IDS];         /* bound to a host driver */
	uint8_t queue_state[APMATRIX_MAX_APQNS]; /* enum apmatrix_state */
};

struct apmatrix_mdev {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int state;
	uint64_t key[2]; /* apmatrix_uuid_key() of the UUID */
	char uuid[APMATRIX_UUID_LEN + 1];
	struct apmatrix_matrix matrix;
};

struct apmatrix_finding {
	struct apmatrix_report *report;
	int code;
	int severity;
	unsigned int sub; /* orders findings of one mdev and code */
	unsigned int uuid_count;
	/* What the message needs besides the sets: enum apmatrix_mdev_state
	 * of each mdev, and the limit an ID is over. */
	unsigned int states[2];
	unsigned int limit;
	int32_t mdev_index[2]; /* in the check that made it (for sorting) */
	/* The 128 bits of each UUID: they sort like strcmp() on the text. */
	uint64_t keys[2][2];
	char uuids[2][APMATRIX_UUID_LEN + 1];
	/* Built on first use (a check can have tens of thousands of
	 * findings nobody reads), or set by apmatrix_finding_set_message(). */
	char *message;
	struct apmatrix_apqn_list apqns;
	struct apmatrix_idset adapters;
	struct apmatrix_idset domains;
};

struct apmatrix_finding_block;

struct apmatrix_report {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int count;
	unsigned int alloc;
	struct apmatrix_finding **findings;
	/* Findings are allocated in blocks, not one by one. */
	struct apmatrix_finding_block *blocks;
};

/* report.c: building a report (used by check.c). */
int apmatrix_report_new_internal(struct apmatrix_ctx *ctx,
				 struct apmatrix_report **ret);
/*
 * Append a finding about one or two mdevs (uuid1 may be NULL). The finding's
 * sets and list start empty; the caller fills them and states/limit, from
 * which the message is made when it is first asked for.
 */
int apmatrix_report_add(struct apmatrix_report *report, int code, int severity,
			const char *uuid0, const char *uuid1,
			struct apmatrix_finding **ret);
/* The same for one or two mdevs (m1 may be NULL), with their states. */
int apmatrix_report_add_mdevs(struct apmatrix_report *report, int code,
			      int severity, const struct apmatrix_mdev *m0,
			      const struct apmatrix_mdev *m1,
			      struct apmatrix_finding **ret);
/* The 32 hex digits of a UUID as two numbers, which sort like the text. */
void apmatrix_uuid_key(const char *uuid, uint64_t key[2]);
/* Replace the message made from the finding's fields. */
int apmatrix_finding_set_message(struct apmatrix_finding *finding,
				 const char *fmt, ...) APMATRIX_PRINTF(2, 3);
/* Order the findings: severity (errors first), code, UUIDs. */
void apmatrix_report_sort(struct apmatrix_report *report);
const char *apmatrix_finding_code_name(int code);

/* check.c: tests compare the clean-mdev fast path with the full one. */
void apmatrix_check_set_fast_path(struct apmatrix_check *check, int on);

#endif /* APMATRIX_CHECK_INTERNAL_H */
