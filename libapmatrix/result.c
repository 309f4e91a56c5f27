/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The outcome of applying a plan, or why a plan would be refused: the step,
 * the kernel's errno and what it means for AP, the APQNs, the other mdev.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-internal.h"

static void result_owner_ref(void *owner)
{
	apmatrix_result_ref(owner);
}

static void result_owner_unref(void *owner)
{
	apmatrix_result_unref(owner);
}

int apmatrix_result_new_internal(struct apmatrix_ctx *ctx,
				 struct apmatrix_result **ret)
{
	struct apmatrix_result *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->refcount = 1;
	r->ctx = apmatrix_ref(ctx);
	r->step = -ENOENT;
	apmatrix_apqn_list_init_embedded(&r->apqns, ctx, r, result_owner_ref,
					 result_owner_unref);
	*ret = r;
	return 0;
}

/* "04.0005, 04.0006 and 3 more" */
static size_t apqn_text(char *buf, size_t size,
			const struct apmatrix_apqn_list *list)
{
	unsigned int n = apmatrix_apqn_list_get_count(list);
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && i < 8; i++) {
		int apqn = apmatrix_apqn_list_get_apqn(list, i);

		len += (size_t)snprintf(buf + len, size - len, "%s%02x.%04x",
					i ? ", " : "",
					APMATRIX_APQN_ADAPTER(apqn),
					APMATRIX_APQN_DOMAIN(apqn));
	}
	if (n > 8)
		len += (size_t)snprintf(buf + len, size - len, " and %u more",
					n - 8);
	return len;
}

static void ids_text(char *buf, size_t size, const char *what,
		     const struct apmatrix_bits *b)
{
	size_t len = (size_t)snprintf(buf, size, "%s", what);

	bits_foreach (id, b)
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					" 0x%02x", (unsigned int)id);
}

void apmatrix_result_describe(struct apmatrix_result *result,
			      const struct apmatrix_plan *plan, int step,
			      int error, const struct apmatrix_kstate *ks,
			      const struct apmatrix_refusal *why)
{
	const struct apmatrix_step *s = plan->steps[step];
	const char *uuid = apmatrix_step_get_uuid(s);
	char apqns[160] = "", what[128];
	size_t len;
	int err = 0;

	result->error = error;
	result->step = step;
	if (uuid)
		memcpy(result->uuid, uuid, sizeof(result->uuid));
	if (why && why->error == error && why->other >= 0)
		memcpy(result->other, ks->mdevs[why->other].uuid,
		       sizeof(result->other));
	if (why && why->error == error && why->product)
		bits_foreach (a, &why->adapters)
			bits_foreach (d, &why->domains)
				if (!err)
					err = apmatrix_apqn_list_insert(
						&result->apqns,
						APMATRIX_APQN((unsigned int)a,
							      (unsigned int)d));
	apqn_text(apqns, sizeof(apqns), &result->apqns);

	len = (size_t)snprintf(result->message, sizeof(result->message),
			       "step %d (%s %.*s > /sys/%s): %s: ", step + 1,
			       s->attr, (int)strcspn(s->value, "\n"), s->value,
			       s->path, apmatrix_strerror(error));
	switch (why && why->error == error ? error : 0) {
	case -EADDRINUSE:
		snprintf(what, sizeof(what), "mdev %s already holds",
			 result->other);
		break;
	case -EBUSY:
		snprintf(what, sizeof(what), "mdev %s holds", result->other);
		break;
	case -EADDRNOTAVAIL:
		snprintf(what, sizeof(what), "apmask x aqmask reserves");
		break;
	case -ENODEV:
		if (!bits_empty(&why->adapters))
			ids_text(what, sizeof(what),
				 "adapters over the limit:", &why->adapters);
		else
			ids_text(what, sizeof(what),
				 "domains over the limit:", &why->domains);
		break;
	case -EEXIST:
		snprintf(what, sizeof(what), "mdev %s exists", uuid);
		break;
	default:
		what[0] = '\0';
		break;
	}
	if (what[0] && apqns[0])
		snprintf(result->message + len, sizeof(result->message) - len,
			 "%s APQN%s %s", what,
			 apmatrix_apqn_list_get_count(&result->apqns) > 1 ? "s"
									  : "",
			 apqns);
	else if (what[0])
		snprintf(result->message + len, sizeof(result->message) - len,
			 "%s", what);
	else
		snprintf(result->message + len, sizeof(result->message) - len,
			 "the kernel refused the write");
}

APMATRIX_EXPORT struct apmatrix_result *
apmatrix_result_ref(struct apmatrix_result *result)
{
	if (result)
		result->refcount++;
	return result;
}

APMATRIX_EXPORT struct apmatrix_result *
apmatrix_result_unref(struct apmatrix_result *result)
{
	if (!result || --result->refcount > 0)
		return NULL;
	result->refcount = 1 << 30;
	apmatrix_apqn_list_release(&result->apqns);
	apmatrix_plan_unref(result->plan);
	apmatrix_unref(result->ctx);
	free(result);
	return NULL;
}

APMATRIX_EXPORT int
apmatrix_result_get_error(const struct apmatrix_result *result)
{
	return result ? result->error : -EINVAL;
}

APMATRIX_EXPORT int
apmatrix_result_get_step(const struct apmatrix_result *result)
{
	return result ? result->step : -EINVAL;
}

APMATRIX_EXPORT const char *
apmatrix_result_get_message(const struct apmatrix_result *result)
{
	return result ? result->message : NULL;
}

APMATRIX_EXPORT const char *
apmatrix_result_get_uuid(const struct apmatrix_result *result)
{
	return result && result->uuid[0] ? result->uuid : NULL;
}

APMATRIX_EXPORT const char *
apmatrix_result_get_other_uuid(const struct apmatrix_result *result)
{
	return result && result->other[0] ? result->other : NULL;
}

APMATRIX_EXPORT const struct apmatrix_apqn_list *
apmatrix_result_get_apqns(const struct apmatrix_result *result)
{
	return result ? &result->apqns : NULL;
}

APMATRIX_EXPORT unsigned int
apmatrix_result_get_write_count(const struct apmatrix_result *result)
{
	return result ? result->writes : 0;
}

APMATRIX_EXPORT int
apmatrix_result_get_rollback_error(const struct apmatrix_result *result)
{
	return result ? result->rollback_error : -EINVAL;
}

APMATRIX_EXPORT const struct apmatrix_plan *
apmatrix_result_get_plan(const struct apmatrix_result *result)
{
	return result ? result->plan : NULL;
}
