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
	f->code = code;
	f->severity = severity;
	/* Borrowed from the report (const to callers), never counted. */
	apmatrix_apqn_list_init_embedded(&f->apqns, report->ctx, NULL, NULL,
					 NULL);
	apmatrix_idset_init_embedded(&f->adapters, report->ctx, NULL, NULL,
				     NULL);
	apmatrix_idset_init_embedded(&f->usage_domains, report->ctx, NULL, NULL,
				     NULL);
	apmatrix_idset_init_embedded(&f->control_domains, report->ctx, NULL,
				     NULL, NULL);
	report->findings[report->count++] = f;
	return f;
}

int apmatrix_report_add(struct apmatrix_report *report, int code, int severity,
			const struct apmatrix_config_view *c0,
			const struct apmatrix_config_view *c1,
			struct apmatrix_finding **ret)
{
	struct apmatrix_finding *f = finding_alloc(report, code, severity);
	const struct apmatrix_config_view *c[2] = {c0, c1};

	if (!f)
		return -ENOMEM;
	for (unsigned int i = 0; i < 2 && c[i]; i++) {
		memcpy(f->uuids[i], c[i]->mdev->uuid, sizeof(f->uuids[i]));
		f->keys[i][0] = c[i]->mdev->key[0];
		f->keys[i][1] = c[i]->mdev->key[1];
		f->roles[i] = c[i]->role;
		f->autostart[i] = c[i]->autostart;
		f->uuid_count = i + 1;
	}
	*ret = f;
	return 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/*
 * The one order of findings: severity (errors first), code, then the mdevs
 * by UUID and role. No two findings of a report are equal in all of these,
 * so the order is total and qsort() gives the same report every time.
 */
static int finding_cmp(const void *pa, const void *pb)
{
	const struct apmatrix_finding *a =
		*(const struct apmatrix_finding *const *)pa;
	const struct apmatrix_finding *b =
		*(const struct apmatrix_finding *const *)pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	for (unsigned int i = 0; i < 2; i++) {
		/* A one-mdev finding sorts before a pair with its UUID. */
		if (i >= a->uuid_count || i >= b->uuid_count)
			return cmp_u64(a->uuid_count, b->uuid_count);
		c = cmp_u64(a->keys[i][0], b->keys[i][0]);
		if (!c)
			c = cmp_u64(a->keys[i][1], b->keys[i][1]);
		if (!c)
			c = cmp_u64(a->roles[i], b->roles[i]);
		if (c)
			return c;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

/* Messages live in blocks of text owned by the report. */
#define TEXT_BLOCK 16384

struct apmatrix_text_block {
	struct apmatrix_text_block *next;
	size_t used;
	char text[TEXT_BLOCK];
};

/* How many APQNs or IDs a message names before "and N more". */
#define MSG_MAX_ITEMS 8

/* Short enough for any message: lists stop after MSG_MAX_ITEMS items. */
struct strbuf {
	char buf[1024];
	size_t len;
};

static void sb_add(struct strbuf *sb, const char *fmt, ...)
	APMATRIX_PRINTF(2, 3);

static void sb_put(struct strbuf *sb, const char *text, size_t n)
{
	if (n >= sizeof(sb->buf) - sb->len)
		n = sizeof(sb->buf) - sb->len - 1;
	memcpy(sb->buf + sb->len, text, n);
	sb->len += n;
}

/*
 * printf() for messages, made for speed (a report can hold tens of
 * thousands of findings): only %s, %u and %0Nx (N one digit). The
 * compiler checks the arguments against the format all the same.
 */
static void sb_add(struct strbuf *sb, const char *fmt, ...)
{
	static const char hex[] = "0123456789abcdef";
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		char digits[16];
		unsigned int v, n = 0, width = 0;
		const char *t;

		if (*p != '%') {
			t = strchrnul(p, '%');
			sb_put(sb, p, (size_t)(t - p));
			p = t - 1;
			continue;
		}
		p++;
		if (*p == 's') {
			t = va_arg(ap, const char *);
			sb_put(sb, t, strlen(t));
			continue;
		}
		if (*p == '0') {
			width = (unsigned int)(p[1] - '0');
			p += 2;
		}
		v = va_arg(ap, unsigned int);
		do {
			digits[sizeof(digits) - ++n] =
				*p == 'x' ? hex[v & 15] : hex[v % 10];
			v = *p == 'x' ? v >> 4 : v / 10;
		} while (v || n < width);
		sb_put(sb, digits + sizeof(digits) - n, n);
	}
	va_end(ap);
	sb->buf[sb->len] = '\0';
}

/* "04.0047, 05.0047 and 3 more" */
static void add_apqns(struct strbuf *sb, const struct apmatrix_apqn_list *list)
{
	unsigned int n = list->count;

	for (unsigned int i = 0; i < n && i < MSG_MAX_ITEMS; i++)
		sb_add(sb, "%s%02x.%04x", i ? ", " : "",
		       APMATRIX_APQN_ADAPTER(list->apqns[i]),
		       APMATRIX_APQN_DOMAIN(list->apqns[i]));
	if (n > MSG_MAX_ITEMS)
		sb_add(sb, " and %u more", n - MSG_MAX_ITEMS);
}

static const char *plural(unsigned int n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

/* "adapters 0x04, 0x05 and 3 more" (noun given in the singular) */
static void add_ids(struct strbuf *sb, const char *noun,
		    const struct apmatrix_bits *b)
{
	unsigned int i = 0, n = bits_count(b);

	sb_add(sb, "%s%s ", noun, plural(n, "", "s"));
	bits_foreach (id, b) {
		if (i == MSG_MAX_ITEMS)
			break;
		sb_add(sb, "%s0x%02x", i++ ? ", " : "", (unsigned int)id);
	}
	if (n > MSG_MAX_ITEMS)
		sb_add(sb, " and %u more", n - MSG_MAX_ITEMS);
}

/* "mdev U (defined, autostart)" */
static void add_mdev(struct strbuf *sb, const struct apmatrix_finding *f,
		     unsigned int i)
{
	const char *what = "live";

	if (f->roles[i] == APMATRIX_ROLE_DEFINED)
		what = f->autostart[i] ? "defined, autostart"
				       : "defined, manual start";
	sb_add(sb, "mdev %s (%s)", f->uuids[i], what);
}

static void shared_message(struct strbuf *sb, const struct apmatrix_finding *f)
{
	unsigned int n = f->apqns.count;
	unsigned int r0 = f->roles[0], r1 = f->roles[1];

	add_mdev(sb, f, 0);
	sb_add(sb, ": %s ", plural(n, "APQN", "APQNs"));
	add_apqns(sb, &f->apqns);
	sb_add(sb, " %s also assigned to ", plural(n, "is", "are"));
	add_mdev(sb, f, 1);
	if (r0 == APMATRIX_ROLE_LIVE && r1 == APMATRIX_ROLE_LIVE)
		sb_add(sb, "; both are live");
	else if (r0 == r1 && f->autostart[0] && f->autostart[1])
		sb_add(sb, "; both start automatically, the second one fails");
	else if (r0 == r1)
		sb_add(sb, "; they cannot run at the same time");
	else
		sb_add(sb, "; the definition cannot start while %s runs",
		       f->uuids[r0 == APMATRIX_ROLE_LIVE ? 0 : 1]);
}

static void not_configured_message(struct strbuf *sb,
				   const struct apmatrix_finding *f)
{
	const struct apmatrix_bits *parts[3] = {&f->adapters.bits,
						&f->usage_domains.bits,
						&f->control_domains.bits};
	static const char *const nouns[3] = {"adapter", "usage domain",
					     "control domain"};
	unsigned int listed = 0, total = 0, count = 0;

	for (int i = 0; i < 3; i++) {
		total += !bits_empty(parts[i]);
		count += bits_count(parts[i]);
	}
	for (int i = 0; i < 3; i++) {
		if (bits_empty(parts[i]))
			continue;
		sb_add(sb, "%s",
		       listed == 0           ? " "
		       : listed + 1 == total ? " and "
					     : ", ");
		add_ids(sb, nouns[i], parts[i]);
		listed++;
	}
	sb_add(sb,
	       " %s not in the host configuration; the guest does not "
	       "get %s",
	       plural(count, "is", "are"), plural(count, "it", "them"));
}

static void build_message(struct strbuf *sb, const struct apmatrix_finding *f)
{
	const struct apmatrix_bits *a = &f->adapters.bits;
	const struct apmatrix_bits *d = &f->usage_domains.bits;
	const struct apmatrix_bits *c = &f->control_domains.bits;
	unsigned int n = f->apqns.count;

	if (f->code == APMATRIX_FINDING_SHARED_APQNS) {
		shared_message(sb, f);
		return;
	}
	add_mdev(sb, f, 0);
	sb_add(sb, ":");
	switch (f->code) {
	case APMATRIX_FINDING_HOST_POOL_ACTIVE:
	case APMATRIX_FINDING_HOST_POOL_PERSISTENT:
		sb_add(sb, " %s ", plural(n, "APQN", "APQNs"));
		add_apqns(sb, &f->apqns);
		sb_add(sb,
		       " %s reserved for host drivers by the %s apmask and "
		       "aqmask (not allowed for vfio_ap-passthrough use)",
		       plural(n, "is", "are"),
		       f->code == APMATRIX_FINDING_HOST_POOL_ACTIVE
			       ? "active"
			       : "persistent");
		break;
	case APMATRIX_FINDING_ADAPTER_OVER_LIMIT:
		sb_add(sb, " ");
		add_ids(sb, "adapter", a);
		sb_add(sb, " %s over ap_max_adapter_id 0x%02x",
		       plural(bits_count(a), "is", "are"), f->limit);
		break;
	case APMATRIX_FINDING_DOMAIN_OVER_LIMIT:
	case APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT:
		if (f->code == APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT)
			d = c;
		sb_add(sb, " ");
		add_ids(sb, d == c ? "control domain" : "usage domain", d);
		sb_add(sb, " %s over ap_max_domain_id 0x%02x",
		       plural(bits_count(d), "is", "are"), f->limit);
		break;
	case APMATRIX_FINDING_CONTROL_WITHOUT_USAGE:
		sb_add(sb, " ");
		add_ids(sb, "control domain", c);
		sb_add(sb, " but no usage domain; at least one usage domain "
			   "must be specified");
		break;
	case APMATRIX_FINDING_QUEUE_MISSING:
	case APMATRIX_FINDING_QUEUE_NOT_BOUND:
		sb_add(sb, " %s ", plural(n, "queue", "queues"));
		add_apqns(sb, &f->apqns);
		if (f->code == APMATRIX_FINDING_QUEUE_MISSING)
			sb_add(sb, " %s not exist on the host",
			       plural(n, "does", "do"));
		else
			sb_add(sb, " %s not bound to vfio_ap",
			       plural(n, "is", "are"));
		break;
	case APMATRIX_FINDING_ADAPTER_FILTERED:
		sb_add(sb, " ");
		add_ids(sb, "adapter", a);
		sb_add(sb, " %s left out of the guest because %s ",
		       plural(bits_count(a), "is", "are"),
		       plural(n, "queue", "queues"));
		add_apqns(sb, &f->apqns);
		sb_add(sb, " %s missing or not bound to vfio_ap",
		       plural(n, "is", "are"));
		break;
	case APMATRIX_FINDING_NOT_CONFIGURED:
		not_configured_message(sb, f);
		break;
	case APMATRIX_FINDING_NO_QUEUES:
		sb_add(sb, " ");
		if (!bits_empty(a)) {
			add_ids(sb, "adapter", a);
			sb_add(sb, " but no usage domain");
		} else {
			add_ids(sb, "usage domain", d);
			sb_add(sb, " but no adapter");
		}
		sb_add(sb, "; the guest gets no queue");
		break;
	default:
		break;
	}
}

/* A copy of text in the report's text blocks. */
static const char *report_strdup(struct apmatrix_report *report,
				 const char *text, size_t len)
{
	struct apmatrix_text_block *b = report->texts;
	char *p;

	if (!b || TEXT_BLOCK - b->used <= len) {
		b = malloc(sizeof(*b));
		if (!b)
			return NULL;
		b->next = report->texts;
		b->used = 0;
		report->texts = b;
	}
	p = b->text + b->used;
	memcpy(p, text, len + 1);
	b->used += len + 1;
	return p;
}

int apmatrix_report_finish(struct apmatrix_report *report)
{
	for (unsigned int i = 0; i < report->count; i++) {
		struct apmatrix_finding *f = report->findings[i];
		struct strbuf sb;

		sb.len = 0;
		sb.buf[0] = '\0';
		build_message(&sb, f);
		f->message = report_strdup(report, sb.buf, sb.len);
		if (!f->message)
			return -ENOMEM;
	}
	/* An empty report may have no array at all. */
	if (report->count > 1)
		qsort(report->findings, report->count,
		      sizeof(*report->findings), finding_cmp);
	return 0;
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
	for (unsigned int i = 0; i < report->count; i++)
		apmatrix_apqn_list_release(&report->findings[i]->apqns);
	while (report->blocks) {
		struct apmatrix_finding_block *b = report->blocks;

		report->blocks = b->next;
		free(b);
	}
	while (report->texts) {
		struct apmatrix_text_block *b = report->texts;

		report->texts = b->next;
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

APMATRIX_EXPORT const struct apmatrix_finding *
apmatrix_report_get_finding(const struct apmatrix_report *report,
			    unsigned int index)
{
	if (!report || index >= report->count)
		return NULL;
	return report->findings[index];
}

APMATRIX_EXPORT int
apmatrix_report_get_max_severity(const struct apmatrix_report *report)
{
	int max = APMATRIX_SEVERITY_NONE;

	for (unsigned int i = 0; report && i < report->count; i++)
		if (report->findings[i]->severity > max)
			max = report->findings[i]->severity;
	return max;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

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

/* Append a string to a JSON array. */
static int add_string(json_object *arr, const char *text)
{
	json_object *v = json_object_new_string(text);

	if (!v || json_object_array_add(arr, v) < 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static json_object *finding_to_json(const struct apmatrix_finding *f)
{
	json_object *o = json_object_new_object();
	json_object *uuids = NULL, *roles = NULL, *apqns = NULL, *v;

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
	ADD("message", json_object_new_string(f->message));
	ADD("uuids", uuids = json_object_new_array());
	ADD("roles", roles = json_object_new_array());
	for (unsigned int i = 0; i < f->uuid_count; i++)
		if (add_string(uuids, f->uuids[i]) < 0 ||
		    add_string(roles, apmatrix_role_name(f->roles[i])) < 0)
			goto fail_added;
	ADD("apqns", apqns = json_object_new_array());
	for (unsigned int i = 0; i < f->apqns.count; i++) {
		char buf[8];

		snprintf(buf, sizeof(buf), "%02x.%04x",
			 APMATRIX_APQN_ADAPTER(f->apqns.apqns[i]),
			 APMATRIX_APQN_DOMAIN(f->apqns.apqns[i]));
		if (add_string(apqns, buf) < 0)
			goto fail_added;
	}
	ADD("adapters", ids_to_json(&f->adapters.bits));
	ADD("usage_domains", ids_to_json(&f->usage_domains.bits));
	ADD("control_domains", ids_to_json(&f->control_domains.bits));
#undef ADD
	return o;
fail:
	json_object_put(v);
fail_added:
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

	if (!report)
		return -EINVAL;
	apmatrix_diag_clear(report->ctx);
	if (!buf && size)
		return apmatrix_diag(report->ctx, -EINVAL,
				     "report_format_json: NULL buffer of size "
				     "%zu",
				     size);
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

/* ------------------------------------------------------------------ */
/* Finding getters: plain reads of an immutable result                 */

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
	return finding ? finding->message : NULL;
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

APMATRIX_EXPORT int
apmatrix_finding_get_role(const struct apmatrix_finding *finding,
			  unsigned int index)
{
	if (!finding || index >= finding->uuid_count)
		return -EINVAL;
	return (int)finding->roles[index];
}

APMATRIX_EXPORT const struct apmatrix_apqn_list *
apmatrix_finding_get_apqns(const struct apmatrix_finding *finding)
{
	return finding ? &finding->apqns : NULL;
}

APMATRIX_EXPORT const struct apmatrix_idset *
apmatrix_finding_get_adapters(const struct apmatrix_finding *finding)
{
	return finding ? &finding->adapters : NULL;
}

APMATRIX_EXPORT const struct apmatrix_idset *
apmatrix_finding_get_usage_domains(const struct apmatrix_finding *finding)
{
	return finding ? &finding->usage_domains : NULL;
}

APMATRIX_EXPORT const struct apmatrix_idset *
apmatrix_finding_get_control_domains(const struct apmatrix_finding *finding)
{
	return finding ? &finding->control_domains : NULL;
}
