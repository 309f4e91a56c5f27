/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private definitions of the target, plan, step and result objects, shared
 * by plan.c, result.c, apply.c and the unit tests.
 */
#ifndef APMATRIX_PLAN_INTERNAL_H
#define APMATRIX_PLAN_INTERNAL_H

#include "check-internal.h"

#ifndef APMATRIX_QUOTE_SIZE
/* Stand-in until ctx.c has it (helper "api"). */
static inline void apmatrix_diag_clear(struct apmatrix_ctx *ctx)
{
	if (ctx)
		ctx->diagnostic[0] = '\0';
}
#endif

#define APMATRIX_MATRIX_PATH "devices/vfio_ap/matrix"
#define APMATRIX_CREATE_PATH                                                   \
	APMATRIX_MATRIX_PATH "/mdev_supported_types/vfio_ap-passthrough/"      \
			     "create"

/* What the kernel holds: masks, limits and the matrices of the mdevs. */
struct apmatrix_kmdev {
	char uuid[APMATRIX_UUID_LEN + 1];
	int exists;
	struct apmatrix_bits apm, aqm, adm;
};

struct apmatrix_kstate {
	struct apmatrix_bits apmask, aqmask;
	unsigned int max_adapter_id, max_domain_id;
	unsigned int count, alloc;
	struct apmatrix_kmdev *mdevs;
};

/* Why the kernel refuses a write, in terms of AP. */
struct apmatrix_refusal {
	int error; /* negative errno, 0 = accepted */
	int other; /* index of the other mdev in the kstate, or -1 */
	struct apmatrix_bits adapters, domains; /* the APQNs: their product */
	int product; /* 1: adapters x domains are the APQNs */
};

struct apmatrix_target_mdev {
	char uuid[APMATRIX_UUID_LEN + 1];
	int present; /* 0: must not exist */
	struct apmatrix_bits apm, aqm, adm;
};

struct apmatrix_target_request {
	int to_host;
	struct apmatrix_bits apm, aqm;
};

struct apmatrix_target {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int count, alloc;
	struct apmatrix_target_mdev *mdevs;
	int masks_set;
	struct apmatrix_bits apmask, aqmask;
	/* queues to give to vfio_ap or the host, resolved when planning */
	unsigned int request_count;
	struct apmatrix_target_request *requests;
};

enum apmatrix_axis {
	APMATRIX_AXIS_ADAPTER = 0,
	APMATRIX_AXIS_DOMAIN = 1,
	APMATRIX_AXIS_CONTROL = 2
};

struct apmatrix_step {
	struct apmatrix_plan *plan;
	int kind;         /* enum apmatrix_step_kind */
	int mdev;         /* kstate index, -1 for mask steps */
	const char *attr; /* sysfs attribute name */
	unsigned int id;  /* assign/unassign */
	int axis;         /* enum apmatrix_axis: apmask/adapters,
			     aqmask/domains, control domains */
	struct apmatrix_bits apm, aqm, adm; /* configure: the new matrix;
					       mask: the new mask (apm) */
	struct apmatrix_bits old_apm, old_aqm, old_adm; /* before the step */
	char value[3 * 67 + 2];                         /* what is written */
	char path[128];                  /* where, relative to the sysfs root */
	struct apmatrix_apqn_list apqns; /* queues/APQNs that move */
	struct apmatrix_apqn_list collateral; /* moved, not asked for */
};

struct apmatrix_plan_guest {
	char uuid[APMATRIX_UUID_LEN + 1];
	struct apmatrix_matrix *guest;
};

struct apmatrix_plan {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int flags;
	struct apmatrix_target *target;
	struct apmatrix_kstate before; /* the host as planned against */
	struct apmatrix_kstate after;  /* predicted */
	unsigned int count, alloc;
	struct apmatrix_step **steps;
	struct apmatrix_result *refusal; /* NULL: the kernel takes it */
	struct apmatrix_report *report;
	unsigned int guest_count;
	struct apmatrix_plan_guest *guests;
};

struct apmatrix_result {
	int refcount;
	struct apmatrix_ctx *ctx;
	int error;
	int step;
	int rollback_error;
	unsigned int writes;
	char uuid[APMATRIX_UUID_LEN + 1];
	char other[APMATRIX_UUID_LEN + 1];
	char message[1024];
	struct apmatrix_apqn_list apqns;
	struct apmatrix_plan *plan; /* the plan that ran (not for refusals) */
};

/* kstate (plan.c) */
void apmatrix_kstate_release(struct apmatrix_kstate *ks);
int apmatrix_kstate_copy(struct apmatrix_kstate *dst,
			 const struct apmatrix_kstate *src);
int apmatrix_kstate_from_host(struct apmatrix_kstate *ks,
			      struct apmatrix_host *host);
/* Add a live mdev; its index. */
int apmatrix_kstate_add(struct apmatrix_kstate *ks, const char *uuid,
			const struct apmatrix_matrix *live);
/* Add a slot for an mdev (exists or not); its index. */
int apmatrix_kstate_add_slot(struct apmatrix_kstate *ks,
			     const struct apmatrix_kmdev *m);
int apmatrix_kstate_find(const struct apmatrix_kstate *ks, const char *uuid);
/* Replay one step as the kernel would; 0 or the refusal. */
int apmatrix_kstate_step(struct apmatrix_kstate *ks,
			 const struct apmatrix_step *step,
			 struct apmatrix_refusal *why);
int apmatrix_kstate_equal(const struct apmatrix_kstate *a,
			  const struct apmatrix_kstate *b);

/* plan.c: a plan against a given kernel state (tests, apply) */
int apmatrix_plan_new_from(struct apmatrix_target *target,
			   struct apmatrix_host *host,
			   const struct apmatrix_kstate *before,
			   unsigned int flags, struct apmatrix_plan **ret);

/* The texts written: ap_config (with its newline), relative mask edits. */
void apmatrix_format_ap_config(char *buf, size_t size,
			       const struct apmatrix_bits *apm,
			       const struct apmatrix_bits *aqm,
			       const struct apmatrix_bits *adm);
void apmatrix_format_relative(char *buf, size_t size, char sign,
			      const struct apmatrix_bits *b);

/* result.c */
int apmatrix_result_new_internal(struct apmatrix_ctx *ctx,
				 struct apmatrix_result **ret);
/* Describe a failed step: errno, what it means, the APQNs, the other mdev. */
void apmatrix_result_describe(struct apmatrix_result *result,
			      const struct apmatrix_plan *plan, int step,
			      int error, const struct apmatrix_kstate *ks,
			      const struct apmatrix_refusal *why);

#endif /* APMATRIX_PLAN_INTERNAL_H */
