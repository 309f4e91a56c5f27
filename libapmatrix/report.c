/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The result of a conflict check: findings, their getters and JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "check-internal.h"

static const char *const code_names[] = {
	[APMATRIX_FINDING_SHARED_APQNS] = "shared-apqns",
	[APMATRIX_FINDING_HOST_POOL_ACTIVE] = "host-pool-active",
	[APMATRIX_FINDING_HOST_POOL_PERSISTENT] = "host-pool-persistent",
	[APMATRIX_FINDING_ADAPTER_OVER_LIMIT] = "adapter-over-limit",
	[APMATRIX_FINDING_DOMAIN_OVER_LIMIT] = "domain-over-limit",
	[APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT] =
		"control-domain-over-limit",
	[APMATRIX_FINDING_CONTROL_WITHOUT_USAGE] = "control-without-usage",
	[APMATRIX_FINDING_QUEUE_MISSING] = "queue-missing",
	[APMATRIX_FINDING_QUEUE_NOT_BOUND] = "queue-not-bound",
	[APMATRIX_FINDING_ADAPTER_FILTERED] = "adapter-filtered",
	[APMATRIX_FINDING_NOT_CONFIGURED] = "not-configured",
	[APMATRIX_FINDING_NO_QUEUES] = "no-queues",
};

const char *apmatrix_finding_code_name(int code)
{
	if (code <= 0 ||
	    (size_t)code >= sizeof(code_names) / sizeof(*code_names))
		return "unknown";
	return code_names[code];
}

static const char *severity_name(int severity)
{
	switch (severity) {
	case APMATRIX_SEVERITY_ERROR:
		return "error";
	case APMATRIX_SEVERITY_WARNING:
		return "warning";
	case APMATRIX_SEVERITY_INFO:
		return "info";
	default:
		return "unknown";
	}
}

static void report_owner_ref(void *owner)
{
	apmatrix_report_ref(owner);
}

static void report_owner_unref(void *owner)
{
	apmatrix_report_unref(owner);
}

int apmatrix_report_new_internal(struct apmatrix_ctx *ctx,
				 struct apmatrix_report **ret)
{
	struct apmatrix_report *report;

	if (!ctx || !ret)
		return -EINVAL;
	report = calloc(1, sizeof(*report));
	if (!report)
		return apmatrix_diag(ctx, -ENOMEM, "report: out of memory");
	report->refcount = 1;
	report->ctx = apmatrix_ref(ctx);
	*ret = report;
	return 0;
}

int apmatrix_report_add(struct apmatrix_report *report, int code, int severity,
			const char *uuid0, const char *uuid1,
			struct apmatrix_finding **ret)
{
	struct apmatrix_finding *f;

	if (report->count == report->alloc) {
		unsigned int alloc = report->alloc ? report->alloc * 2 : 16;
		struct apmatrix_finding **n;

		n = realloc(report->findings, alloc * sizeof(*n));
		if (!n)
			return apmatrix_diag(report->ctx, -ENOMEM,
					     "report: out of memory");
		report->findings = n;
		report->alloc = alloc;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return apmatrix_diag(report->ctx, -ENOMEM,
				     "report: out of memory");
	f->report = report;
	f->code = code;
	f->severity = severity;
	if (uuid0) {
		snprintf(f->uuids[0], sizeof(f->uuids[0]), "%s", uuid0);
		f->uuid_count = 1;
	}
	if (uuid1) {
		snprintf(f->uuids[1], sizeof(f->uuids[1]), "%s", uuid1);
		f->uuid_count = 2;
	}
	apmatrix_apqn_list_init_embedded(&f->apqns, report->ctx, report,
					 report_owner_ref, report_owner_unref);
	apmatrix_idset_init_embedded(&f->adapters, report->ctx, report,
				     report_owner_ref, report_owner_unref);
	apmatrix_idset_init_embedded(&f->domains, report->ctx, report,
				     report_owner_ref, report_owner_unref);
	report->findings[report->count++] = f;
	*ret = f;
	return 0;
}

int apmatrix_finding_set_message(struct apmatrix_finding *finding,
				 const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return apmatrix_diag(finding->report->ctx, -ENOMEM,
				     "report: out of memory");
	free(finding->message);
	finding->message = msg;
	return 0;
}

static int uuid_cmp(const struct apmatrix_finding *a,
		    const struct apmatrix_finding *b)
{
	unsigned int n =
		a->uuid_count < b->uuid_count ? a->uuid_count : b->uuid_count;

	for (unsigned int i = 0; i < n; i++) {
		int r = strcmp(a->uuids[i], b->uuids[i]);

		if (r)
			return r;
	}
	return (a->uuid_count > b->uuid_count) -
	       (a->uuid_count < b->uuid_count);
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct apmatrix_finding *a =
		*(const struct apmatrix_finding *const *)pa;
	const struct apmatrix_finding *b =
		*(const struct apmatrix_finding *const *)pb;
	int r;

	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	r = uuid_cmp(a, b);
	if (r)
		return r;
	/* Findings of one mdev and code: adapters and usage domains first. */
	return (a->sub > b->sub) - (a->sub < b->sub);
}

void apmatrix_report_sort(struct apmatrix_report *report)
{
	if (report->count > 1)
		qsort(report->findings, report->count,
		      sizeof(*report->findings), finding_cmp);
}

APMATRIX_EXPORT struct apmatrix_report *
apmatrix_report_ref(struct apmatrix_report *report)
{
	if (report)
		report->refcount++;
	return report;
}

APMATRIX_EXPORT struct apmatrix_report *
apmatrix_report_unref(struct apmatrix_report *report)
{
	if (!report || --report->refcount > 0)
		return NULL;
	for (unsigned int i = 0; i < report->count; i++) {
		struct apmatrix_finding *f = report->findings[i];

		apmatrix_apqn_list_release(&f->apqns);
		free(f->message);
		free(f);
	}
	free(report->findings);
	apmatrix_unref(report->ctx);
	free(report);
	return NULL;
}

APMATRIX_EXPORT unsigned int
apmatrix_report_get_count(const struct apmatrix_report *report)
{
	return report ? report->count : 0;
}

APMATRIX_EXPORT struct apmatrix_finding *
apmatrix_report_get(const struct apmatrix_report *report, unsigned int index)
{
	if (!report || index >= report->count)
		return NULL;
	return report->findings[index];
}

APMATRIX_EXPORT int
apmatrix_report_get_max_severity(const struct apmatrix_report *report)
{
	int max = 0;

	if (!report)
		return 0;
	for (unsigned int i = 0; i < report->count; i++) {
		int s = report->findings[i]->severity;

		if (!max || s < max)
			max = s;
	}
	return max;
}

static json_object *ids_to_json(const struct apmatrix_bits *bits)
{
	json_object *arr = json_object_new_array();

	if (!arr)
		return NULL;
	bits_foreach (id, bits) {
		json_object *v = json_object_new_int(id);

		if (!v || json_object_array_add(arr, v) < 0) {
			json_object_put(v);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static json_object *finding_to_json(const struct apmatrix_finding *f)
{
	json_object *o = json_object_new_object();
	json_object *uuids = NULL, *apqns = NULL, *v;

	if (!o)
		return NULL;
#define ADD(key, val)                                                          \
	do {                                                                   \
		v = (val);                                                     \
		if (!v || json_object_object_add(o, key, v) < 0)               \
			goto fail;                                             \
	} while (0)
	ADD("code",
	    json_object_new_string(apmatrix_finding_code_name(f->code)));
	ADD("severity", json_object_new_string(severity_name(f->severity)));
	ADD("message", json_object_new_string(f->message ? f->message : ""));
	ADD("uuids", uuids = json_object_new_array());
	for (unsigned int i = 0; i < f->uuid_count; i++) {
		v = json_object_new_string(f->uuids[i]);
		if (!v || json_object_array_add(uuids, v) < 0)
			goto fail;
	}
	ADD("apqns", apqns = json_object_new_array());
	for (unsigned int i = 0; i < f->apqns.count; i++) {
		char buf[8];

		snprintf(buf, sizeof(buf), "%02x.%04x",
			 APMATRIX_APQN_ADAPTER(f->apqns.apqns[i]),
			 APMATRIX_APQN_DOMAIN(f->apqns.apqns[i]));
		v = json_object_new_string(buf);
		if (!v || json_object_array_add(apqns, v) < 0)
			goto fail;
	}
	ADD("adapters", ids_to_json(&f->adapters.bits));
	ADD("domains", ids_to_json(&f->domains.bits));
#undef ADD
	return o;
fail:
	json_object_put(v);
	json_object_put(o);
	return NULL;
}

APMATRIX_EXPORT int
apmatrix_report_format_json(const struct apmatrix_report *report,
			    unsigned int flags, char *buf, size_t size)
{
	json_object *root, *arr;
	const char *text;
	size_t len;
	int r;

	if (!report || (!buf && size))
		return -EINVAL;
	if (!apmatrix_flags_ok(flags, APMATRIX_JSON_PRETTY))
		return apmatrix_diag(report->ctx, -EINVAL,
				     "report_format_json: unknown flags 0x%x",
				     flags);
	root = json_object_new_object();
	arr = json_object_new_array();
	if (!root || !arr ||
	    json_object_object_add(root, "findings", arr) < 0) {
		json_object_put(arr);
		r = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < report->count; i++) {
		json_object *f = finding_to_json(report->findings[i]);

		if (!f || json_object_array_add(arr, f) < 0) {
			json_object_put(f);
			r = -ENOMEM;
			goto out;
		}
	}
	text = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_NOSLASHESCAPE |
			      ((flags & APMATRIX_JSON_PRETTY)
				       ? JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_SPACED
				       : JSON_C_TO_STRING_PLAIN));
	if (!text) {
		r = -ENOMEM;
		goto out;
	}
	len = strlen(text);
	if (len > (size_t)0x7fffffff) {
		r = -ENOMEM;
		goto out;
	}
	if (size) {
		size_t n = len < size ? len : size - 1;

		memcpy(buf, text, n);
		buf[n] = '\0';
	}
	r = (int)len;
out:
	json_object_put(root);
	if (r == -ENOMEM)
		apmatrix_diag(report->ctx, r,
			      "report_format_json: out of memory");
	return r;
}

APMATRIX_EXPORT int
apmatrix_finding_get_code(const struct apmatrix_finding *finding)
{
	return finding ? finding->code : -EINVAL;
}

APMATRIX_EXPORT const char *
apmatrix_finding_get_code_name(const struct apmatrix_finding *finding)
{
	return apmatrix_finding_code_name(finding ? finding->code : 0);
}

APMATRIX_EXPORT int
apmatrix_finding_get_severity(const struct apmatrix_finding *finding)
{
	return finding ? finding->severity : -EINVAL;
}

APMATRIX_EXPORT const char *
apmatrix_finding_get_message(const struct apmatrix_finding *finding)
{
	if (!finding)
		return NULL;
	return finding->message ? finding->message : "";
}

APMATRIX_EXPORT unsigned int
apmatrix_finding_get_uuid_count(const struct apmatrix_finding *finding)
{
	return finding ? finding->uuid_count : 0;
}

APMATRIX_EXPORT const char *
apmatrix_finding_get_uuid(const struct apmatrix_finding *finding,
			  unsigned int index)
{
	if (!finding || index >= finding->uuid_count)
		return NULL;
	return finding->uuids[index];
}

APMATRIX_EXPORT struct apmatrix_apqn_list *
apmatrix_finding_get_apqns(const struct apmatrix_finding *finding)
{
	return finding ? (struct apmatrix_apqn_list *)&finding->apqns : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_finding_get_adapters(const struct apmatrix_finding *finding)
{
	return finding ? (struct apmatrix_idset *)&finding->adapters : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_finding_get_domains(const struct apmatrix_finding *finding)
{
	return finding ? (struct apmatrix_idset *)&finding->domains : NULL;
}
