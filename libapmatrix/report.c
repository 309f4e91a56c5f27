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

#define FINDING_BLOCK 64

struct apmatrix_finding_block {
	struct apmatrix_finding_block *next;
	unsigned int used;
	struct apmatrix_finding f[FINDING_BLOCK];
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 0;
}

/* The 32 hex digits of a UUID as two numbers: they sort like the text. */
void apmatrix_uuid_key(const char *uuid, uint64_t key[2])
{
	unsigned int n = 0;

	key[0] = key[1] = 0;
	for (const char *p = uuid; *p && n < 32; p++) {
		if (*p == '-')
			continue;
		key[n / 16] = (key[n / 16] << 4) | (uint64_t)hexval(*p);
		n++;
	}
}

static void set_uuid(struct apmatrix_finding *f, unsigned int i,
		     const char *uuid)
{
	size_t len = strnlen(uuid, APMATRIX_UUID_LEN);

	memcpy(f->uuids[i], uuid, len);
	f->uuids[i][len] = '\0';
	apmatrix_uuid_key(f->uuids[i], f->keys[i]);
	f->uuid_count = i + 1;
}

static struct apmatrix_finding *finding_alloc(struct apmatrix_report *report,
					      int code, int severity)
{
	struct apmatrix_finding_block *b = report->blocks;
	struct apmatrix_finding *f;

	if (report->count == report->alloc) {
		unsigned int alloc = report->alloc ? report->alloc * 2 : 16;
		struct apmatrix_finding **n;

		if (alloc > UINT32_MAX / 2 / sizeof(*n))
			return NULL;
		n = realloc(report->findings, alloc * sizeof(*n));
		if (!n)
			return NULL;
		report->findings = n;
		report->alloc = alloc;
	}
	if (!b || b->used == FINDING_BLOCK) {
		b = malloc(sizeof(*b));
		if (!b)
			return NULL;
		b->next = report->blocks;
		b->used = 0;
		report->blocks = b;
	}
	f = &b->f[b->used++];
	memset(f, 0, sizeof(*f));
	f->report = report;
	f->code = code;
	f->severity = severity;
	apmatrix_apqn_list_init_embedded(&f->apqns, report->ctx, report,
					 report_owner_ref, report_owner_unref);
	apmatrix_idset_init_embedded(&f->adapters, report->ctx, report,
				     report_owner_ref, report_owner_unref);
	apmatrix_idset_init_embedded(&f->domains, report->ctx, report,
				     report_owner_ref, report_owner_unref);
	report->findings[report->count++] = f;
	return f;
}

int apmatrix_report_add(struct apmatrix_report *report, int code, int severity,
			const char *uuid0, const char *uuid1,
			struct apmatrix_finding **ret)
{
	struct apmatrix_finding *f = finding_alloc(report, code, severity);

	if (!f)
		return apmatrix_diag(report->ctx, -ENOMEM,
				     "report: out of memory");
	if (uuid0)
		set_uuid(f, 0, uuid0);
	if (uuid0 && uuid1)
		set_uuid(f, 1, uuid1);
	*ret = f;
	return 0;
}

int apmatrix_report_add_mdevs(struct apmatrix_report *report, int code,
			      int severity, const struct apmatrix_mdev *m0,
			      const struct apmatrix_mdev *m1,
			      struct apmatrix_finding **ret)
{
	struct apmatrix_finding *f = finding_alloc(report, code, severity);
	const struct apmatrix_mdev *m[2] = {m0, m1};

	if (!f)
		return apmatrix_diag(report->ctx, -ENOMEM,
				     "report: out of memory");
	for (unsigned int i = 0; i < 2 && m[i]; i++) {
		memcpy(f->uuids[i], m[i]->uuid, sizeof(f->uuids[i]));
		f->keys[i][0] = m[i]->key[0];
		f->keys[i][1] = m[i]->key[1];
		f->states[i] = apmatrix_mdev_state(m[i]);
		f->uuid_count = i + 1;
	}
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

/*
 * Sorting compares packed keys in one contiguous array rather than chasing
 * finding pointers: reports can hold tens of thousands of findings.
 */
struct sort_rec {
	uint64_t k[6];
	struct apmatrix_finding *f;
};

static int sort_rec_cmp(const void *pa, const void *pb)
{
	const struct sort_rec *a = pa, *b = pb;

	for (int i = 0; i < 6; i++)
		if (a->k[i] != b->k[i])
			return a->k[i] < b->k[i] ? -1 : 1;
	return 0;
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct apmatrix_finding *a =
		*(const struct apmatrix_finding *const *)pa;
	const struct apmatrix_finding *b =
		*(const struct apmatrix_finding *const *)pb;
	unsigned int n =
		a->uuid_count < b->uuid_count ? a->uuid_count : b->uuid_count;

	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	/* UUIDs are validated hex, so equal keys mean equal UUIDs. */
	for (unsigned int i = 0; i < n; i++) {
		if (a->keys[i][0] != b->keys[i][0])
			return a->keys[i][0] < b->keys[i][0] ? -1 : 1;
		if (a->keys[i][1] != b->keys[i][1])
			return a->keys[i][1] < b->keys[i][1] ? -1 : 1;
	}
	if (a->uuid_count != b->uuid_count)
		return a->uuid_count < b->uuid_count ? -1 : 1;
	/* Findings of one mdev and code: adapters and usage domains first. */
	return (a->sub > b->sub) - (a->sub < b->sub);
}

void apmatrix_report_sort(struct apmatrix_report *report)
{
	struct sort_rec *recs;
	unsigned int n = report->count;

	if (n < 2)
		return;
	recs = malloc(n * sizeof(*recs));
	if (!recs) {
		/* Slower, but needs no memory. */
		qsort(report->findings, n, sizeof(*report->findings),
		      finding_cmp);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct apmatrix_finding *f = report->findings[i];
		struct sort_rec *r = &recs[i];

		/* Severity and code are small; a one-UUID finding sorts
		 * before a two-UUID one with the same first UUID. */
		r->k[0] = ((uint64_t)(unsigned int)f->severity << 32) |
			  (uint64_t)(unsigned int)f->code;
		r->k[1] = f->keys[0][0];
		r->k[2] = f->keys[0][1];
		r->k[3] = f->uuid_count > 1 ? f->keys[1][0] : 0;
		r->k[4] = f->uuid_count > 1 ? f->keys[1][1] : 0;
		r->k[5] = ((uint64_t)f->uuid_count << 32) | f->sub;
		r->f = f;
	}
	qsort(recs, n, sizeof(*recs), sort_rec_cmp);
	for (unsigned int i = 0; i < n; i++)
		report->findings[i] = recs[i].f;
	free(recs);
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
	}
	while (report->blocks) {
		struct apmatrix_finding_block *b = report->blocks;

		report->blocks = b->next;
		free(b);
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

/* ------------------------------------------------------------------ */
/* Messages                                                            */

/* How many APQNs or IDs a message names before "and N more". */
#define MSG_MAX_ITEMS 8

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

static char *msg(const char *fmt, ...) APMATRIX_PRINTF(1, 2);

static char *msg(const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&text, fmt, ap);
	va_end(ap);
	return r < 0 ? NULL : text;
}

/* "adapters 0x04, 0x05 are" */
#define IDS(sb, noun, b)                                                       \
	plural(bits_count(b), noun, noun "s"), ids_text(sb, b),                \
		plural(bits_count(b), "is", "are")

static char *shared_message(const struct apmatrix_finding *f)
{
	unsigned int s0 = f->states[0], s1 = f->states[1], n = f->apqns.count;
	const char *why = NULL;
	struct strbuf sb;

	if (s0 & s1 & APMATRIX_MDEV_ACTIVE)
		why = "both are active";
	else if (s0 & s1 & APMATRIX_MDEV_AUTOSTART)
		why = "both start automatically";
	if (why)
		return msg("mdev %s: %s %s %s also assigned to mdev %s; %s",
			   f->uuids[0], plural(n, "APQN", "APQNs"),
			   apqns_text(&sb, &f->apqns), plural(n, "is", "are"),
			   f->uuids[1], why);
	return msg("mdev %s (%s): %s %s %s also assigned to mdev %s (%s); "
		   "they cannot run at the same time",
		   f->uuids[0], state_text(s0), plural(n, "APQN", "APQNs"),
		   apqns_text(&sb, &f->apqns), plural(n, "is", "are"),
		   f->uuids[1], state_text(s1));
}

static char *not_configured_message(const struct apmatrix_finding *f)
{
	const struct apmatrix_bits *a = &f->adapters.bits;
	const struct apmatrix_bits *d = &f->domains.bits;
	const char *u = f->uuids[0];
	struct strbuf sa, sd;

	if (f->sub)
		return msg("mdev %s: control %s %s %s not in the host "
			   "configuration; the guest does not get %s",
			   u, IDS(&sd, "domain", d),
			   plural(bits_count(d), "it", "them"));
	if (bits_empty(d))
		return msg("mdev %s: %s %s %s not in the host configuration; "
			   "the guest does not get %s",
			   u, IDS(&sa, "adapter", a),
			   plural(bits_count(a), "it", "them"));
	if (bits_empty(a))
		return msg("mdev %s: usage %s %s %s not in the host "
			   "configuration; the guest does not get %s",
			   u, IDS(&sd, "domain", d),
			   plural(bits_count(d), "it", "them"));
	return msg("mdev %s: %s %s and usage %s %s are not in the host "
		   "configuration; the guest does not get them",
		   u, plural(bits_count(a), "adapter", "adapters"),
		   ids_text(&sa, a), plural(bits_count(d), "domain", "domains"),
		   ids_text(&sd, d));
}

static char *build_message(const struct apmatrix_finding *f)
{
	const struct apmatrix_bits *a = &f->adapters.bits;
	const struct apmatrix_bits *d = &f->domains.bits;
	const char *u = f->uuids[0];
	unsigned int n = f->apqns.count;
	struct strbuf sa, sb;

	switch (f->code) {
	case APMATRIX_FINDING_SHARED_APQNS:
		return shared_message(f);
	case APMATRIX_FINDING_HOST_POOL_ACTIVE:
	case APMATRIX_FINDING_HOST_POOL_PERSISTENT:
		return msg("mdev %s: %s %s %s reserved for host drivers by the "
			   "%s apmask and aqmask (not allowed for "
			   "vfio_ap-passthrough use)",
			   u, plural(n, "APQN", "APQNs"),
			   apqns_text(&sb, &f->apqns), plural(n, "is", "are"),
			   f->code == APMATRIX_FINDING_HOST_POOL_ACTIVE
				   ? "active"
				   : "persistent");
	case APMATRIX_FINDING_ADAPTER_OVER_LIMIT:
		return msg("mdev %s: %s %s %s over ap_max_adapter_id 0x%02x", u,
			   IDS(&sa, "adapter", a), f->limit);
	case APMATRIX_FINDING_DOMAIN_OVER_LIMIT:
		return msg(
			"mdev %s: usage %s %s %s over ap_max_domain_id 0x%02x",
			u, IDS(&sa, "domain", d), f->limit);
	case APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT:
		return msg("mdev %s: control %s %s %s over ap_max_domain_id "
			   "0x%02x",
			   u, IDS(&sa, "domain", d), f->limit);
	case APMATRIX_FINDING_CONTROL_WITHOUT_USAGE:
		return msg(
			"mdev %s: control %s %s but no usage domain; at least "
			"one usage domain must be specified",
			u, plural(bits_count(d), "domain", "domains"),
			ids_text(&sa, d));
	case APMATRIX_FINDING_QUEUE_MISSING:
		return msg("mdev %s: %s %s %s not exist on the host", u,
			   plural(n, "queue", "queues"),
			   apqns_text(&sb, &f->apqns), plural(n, "does", "do"));
	case APMATRIX_FINDING_QUEUE_NOT_BOUND:
		return msg("mdev %s: %s %s %s not bound to vfio_ap", u,
			   plural(n, "queue", "queues"),
			   apqns_text(&sb, &f->apqns), plural(n, "is", "are"));
	case APMATRIX_FINDING_ADAPTER_FILTERED:
		return msg(
			"mdev %s: %s %s %s left out of the guest because %s %s "
			"%s missing or not bound to vfio_ap",
			u, IDS(&sa, "adapter", a), plural(n, "queue", "queues"),
			apqns_text(&sb, &f->apqns), plural(n, "is", "are"));
	case APMATRIX_FINDING_NOT_CONFIGURED:
		return not_configured_message(f);
	case APMATRIX_FINDING_NO_QUEUES:
		if (!bits_empty(a))
			return msg("mdev %s: %s %s but no usage domain; the "
				   "guest gets no queue",
				   u,
				   plural(bits_count(a), "adapter", "adapters"),
				   ids_text(&sa, a));
		return msg(
			"mdev %s: usage %s %s but no adapter; the guest gets "
			"no queue",
			u, plural(bits_count(d), "domain", "domains"),
			ids_text(&sa, d));
	default:
		return NULL;
	}
}

/* The message, made on first use. */
static const char *finding_message(const struct apmatrix_finding *cf)
{
	/* The cache is the only thing a reader changes. */
	struct apmatrix_finding *f = (struct apmatrix_finding *)cf;

	if (!f->message)
		f->message = build_message(f);
	return f->message ? f->message : "";
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
	ADD("message", json_object_new_string(finding_message(f)));
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
	return finding_message(finding);
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
