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

/* Which properties of a card or queue a host knows (state bits first). */
#define APMATRIX_KNOWN_STATE                                                   \
	(APMATRIX_STATE_ONLINE | APMATRIX_STATE_CONFIG | APMATRIX_STATE_CHKSTOP)
#define APMATRIX_KNOWN_FUNCTIONS 0x08

#define APMATRIX_HOST_ALL_PARTS 0xffu
#define APMATRIX_ALL_FEATURES 0x7ffu

struct apmatrix_card {
	uint8_t present;
	uint8_t mode;   /* enum apmatrix_card_mode */
	uint8_t state;  /* enum apmatrix_state */
	uint8_t known;  /* APMATRIX_KNOWN_* */
	int16_t hwtype; /* -1: unknown */
	int16_t raw_hwtype;
	uint32_t functions;
	char type[16]; /* "" unknown */
};

/* Queue driver_override: not read, none, or an index into host->overrides. */
#define APMATRIX_OVERRIDE_UNKNOWN 0
#define APMATRIX_OVERRIDE_NONE 1
#define APMATRIX_OVERRIDE_FIRST 2

struct apmatrix_queue {
	uint8_t state;    /* enum apmatrix_state */
	uint8_t known;    /* APMATRIX_KNOWN_STATE bits */
	uint8_t status;   /* enum apmatrix_queue_status, 0 unknown */
	uint8_t override; /* APMATRIX_OVERRIDE_* */
};

/*
 * Queues are kept as per-adapter domain bitmaps, so that questions like
 * "which assigned domains of adapter a have no queue" are a few word
 * operations rather than a walk over APQNs.
 */
struct apmatrix_host {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int known;          /* enum apmatrix_host_part */
	unsigned int features;       /* enum apmatrix_feature */
	unsigned int features_known; /* the same bits */
	int bindings_complete;       /* -1: unknown */
	unsigned int bindings_bound;
	unsigned int bindings_total;
	int uses_override; /* -1: unknown */
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
		deflt[APMATRIX_MAX_IDS]; /* bound to a host driver */
	struct apmatrix_queue queue_info[APMATRIX_MAX_APQNS];
	/* The distinct driver_override names, few in practice. */
	unsigned int override_count;
	char **overrides;
	/* Live mdevs, in UUID order. */
	unsigned int mdev_count;
	unsigned int mdev_alloc;
	struct apmatrix_mdev **mdevs;
};

/* The slots of an mdev's configurations, in role order. */
enum {
	APMATRIX_CONFIG_LIVE,
	APMATRIX_CONFIG_DEFINED,
	APMATRIX_CONFIG_GUEST,
	APMATRIX_CONFIG_COUNT
};

/* Parent and type are one path component: at most NAME_MAX bytes. */
#define APMATRIX_NAME_MAX 255

struct apmatrix_mdev {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int roles; /* enum apmatrix_role bits of present configs */
	int autostart;      /* of the DEFINED configuration */
	uint64_t key[2];    /* apmatrix_uuid_key() of the UUID */
	char uuid[APMATRIX_UUID_LEN + 1];
	/* A check walks ten thousands of these: what it reads comes first,
	 * and the object stays small (names on the heap). */
	struct apmatrix_matrix config[APMATRIX_CONFIG_COUNT];
	char *parent;
	char *type;
};

/* The slot of a single role bit, or -1. */
static inline int apmatrix_role_slot(unsigned int role)
{
	switch (role) {
	case APMATRIX_ROLE_LIVE:
		return APMATRIX_CONFIG_LIVE;
	case APMATRIX_ROLE_DEFINED:
		return APMATRIX_CONFIG_DEFINED;
	case APMATRIX_ROLE_GUEST:
		return APMATRIX_CONFIG_GUEST;
	default:
		return -1;
	}
}

/* "live", "defined", "guest" (JSON and messages). */
static inline const char *apmatrix_role_name(unsigned int role)
{
	switch (role) {
	case APMATRIX_ROLE_LIVE:
		return "live";
	case APMATRIX_ROLE_DEFINED:
		return "defined";
	case APMATRIX_ROLE_GUEST:
		return "guest";
	default:
		return "unknown";
	}
}

/* enum apmatrix_mdev_state bits, derived from the configurations. */
static inline unsigned int apmatrix_mdev_state(const struct apmatrix_mdev *m)
{
	unsigned int st = 0;

	if (m->roles & APMATRIX_ROLE_LIVE)
		st |= APMATRIX_MDEV_ACTIVE;
	if (m->roles & APMATRIX_ROLE_DEFINED)
		st |= APMATRIX_MDEV_DEFINED |
		      (m->autostart ? APMATRIX_MDEV_AUTOSTART : 0);
	return st;
}

/* One configuration of an mdev, as the check sees it during a run. */
struct apmatrix_config_view {
	const struct apmatrix_mdev *mdev;
	const struct apmatrix_matrix *matrix; /* NULL: the mdev has none */
	unsigned int role;                    /* enum apmatrix_role */
	int autostart;                        /* of a definition */
};

struct apmatrix_finding {
	int code;
	int severity;
	unsigned int uuid_count;
	/* Which configuration of each mdev the finding is about; autostart
	 * of a definition is for the message. */
	unsigned int roles[2];
	int autostart[2];
	unsigned int limit; /* the limit an ID is over */
	/* The 128 bits of each UUID: they sort like strcmp() on the text. */
	uint64_t keys[2][2];
	char uuids[2][APMATRIX_UUID_LEN + 1];
	const char *message; /* in the report's string arena */
	struct apmatrix_apqn_list apqns;
	struct apmatrix_idset adapters;
	struct apmatrix_idset usage_domains;
	struct apmatrix_idset control_domains;
};

struct apmatrix_finding_block;
struct apmatrix_text_block;

struct apmatrix_report {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int count;
	unsigned int alloc;
	struct apmatrix_finding **findings;
	/* Findings and messages are allocated in blocks, not one by one. */
	struct apmatrix_finding_block *blocks;
	struct apmatrix_text_block *texts;
};

/* host.c: append a live mdev to a snapshot being read (UUIDs ascending). */
int apmatrix_host_append_mdev(struct apmatrix_host *host,
			      struct apmatrix_mdev *mdev);
/* host.c: the override index for a driver_override text ("" = none). */
int apmatrix_host_intern_override(struct apmatrix_host *host, const char *name);

/* report.c: building a report (used by check.c). */
int apmatrix_report_new_internal(struct apmatrix_ctx *ctx,
				 struct apmatrix_report **ret);
/*
 * Append a finding about one configuration, or two of different mdevs (c1
 * may be NULL). Its sets and list start empty; the caller fills them (and
 * the limit), then apmatrix_report_finish() writes the messages and puts
 * the findings in order.
 */
int apmatrix_report_add(struct apmatrix_report *report, int code, int severity,
			const struct apmatrix_config_view *c0,
			const struct apmatrix_config_view *c1,
			struct apmatrix_finding **ret);
int apmatrix_report_finish(struct apmatrix_report *report);
/* The 32 hex digits of a UUID as two numbers, which sort like the text. */
void apmatrix_uuid_key(const char *uuid, uint64_t key[2]);

/* 8-4-4-4-12 hex digits: -1, or the offset of the first bad character
 * (mdev.c). */
int apmatrix_uuid_bad_offset(const char *uuid);
const char *apmatrix_finding_code_name(int code);

/* check.c: the host set by apmatrix_check_set_host(), or NULL. */
struct apmatrix_host *
apmatrix_check_get_host(const struct apmatrix_check *check);

#endif /* APMATRIX_CHECK_INTERNAL_H */
