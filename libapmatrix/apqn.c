// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * APQNs (`AA.DDDD`, as sysfs names queues) and sorted lists of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix-internal.h"
#include "text.h"

#define APQN_TEXT_LEN 7

/*
 * Scan the APQN s[0..len). On failure write what is wrong into why (naming
 * offsets from base, the offset of s in the caller's text) and return
 * -EINVAL.
 */
static int apqn_scan(const char *s, size_t len, size_t base, unsigned int *ret,
		     char *why, size_t whysize)
{
	char c[APMATRIX_CHAR_SIZE];
	unsigned int adapter = 0, domain = 0;
	size_t n, i;

	if (len == 0) {
		snprintf(why, whysize, "empty text");
		return -EINVAL;
	}
	n = apmatrix_read_hex_id(s, len, &adapter);
	i = n;
	if (i < len && s[i] != '.') {
		snprintf(why, whysize, "invalid character %s at offset %zu",
			 apmatrix_diag_char(c, s[i]), base + i);
		return -EINVAL;
	}
	if (i >= len) {
		snprintf(why, whysize,
			 "missing '.' between adapter and domain");
		return -EINVAL;
	}
	if (n == 0) {
		snprintf(why, whysize,
			 "missing adapter before '.' at offset %zu", base + i);
		return -EINVAL;
	}
	i++;
	n = apmatrix_read_hex_id(s + i, len - i, &domain);
	if (n == 0 && i >= len) {
		snprintf(why, whysize, "missing domain after '.' at offset %zu",
			 base + i - 1);
		return -EINVAL;
	}
	if (i + n < len) {
		snprintf(why, whysize, "invalid character %s at offset %zu",
			 apmatrix_diag_char(c, s[i + n]), base + i + n);
		return -EINVAL;
	}
	if (adapter > 0xff) {
		snprintf(why, whysize, "adapter out of range (00-ff)");
		return -EINVAL;
	}
	if (domain > 0xff) {
		snprintf(why, whysize, "domain out of range (0000-00ff)");
		return -EINVAL;
	}
	*ret = APMATRIX_APQN(adapter, domain);
	return 0;
}

APMATRIX_EXPORT int apmatrix_apqn_parse(struct apmatrix_ctx *ctx,
					const char *text, unsigned int flags,
					unsigned int *ret)
{
	char why[128], q[APMATRIX_QUOTE_SIZE];
	size_t len;
	int r;

	apmatrix_diag_clear(ctx);
	if (!text || !ret)
		return apmatrix_diag(ctx, -EINVAL, "apqn_parse: %s is NULL",
				     text ? "ret" : "text");
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(ctx, -EINVAL,
				     "apqn_parse: unknown flags 0x%x", flags);
	len = strlen(text);
	if (len > 0 && text[len - 1] == '\n')
		len--;
	r = apqn_scan(text, len, 0, ret, why, sizeof(why));
	if (r < 0)
		return apmatrix_diag(
			ctx, r, "%s in APQN %s", why,
			apmatrix_diag_quote(q, sizeof(q), text, SIZE_MAX));
	return 0;
}

/* The text of an APQN below APMATRIX_MAX_APQNS: always 7 bytes. */
static void apqn_text(unsigned int apqn, char out[APQN_TEXT_LEN + 1])
{
	snprintf(out, APQN_TEXT_LEN + 1, "%02x.%04x",
		 APMATRIX_APQN_ADAPTER(apqn), APMATRIX_APQN_DOMAIN(apqn));
}

APMATRIX_EXPORT int apmatrix_apqn_format(unsigned int apqn, unsigned int flags,
					 char *buf, size_t size)
{
	struct apmatrix_textbuf tb;
	char text[APQN_TEXT_LEN + 1];

	if (apqn >= APMATRIX_MAX_APQNS || !apmatrix_flags_ok(flags, 0) ||
	    (!buf && size))
		return -EINVAL;
	apqn_text(apqn, text);
	apmatrix_textbuf_init(&tb, buf, size);
	apmatrix_textbuf_put(&tb, text, APQN_TEXT_LEN);
	return apmatrix_textbuf_finish(&tb);
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */

APMATRIX_EXPORT int apmatrix_apqn_list_new(struct apmatrix_ctx *ctx,
					   struct apmatrix_apqn_list **ret)
{
	struct apmatrix_apqn_list *list;

	if (!ctx)
		return -EINVAL;
	apmatrix_diag_clear(ctx);
	if (!ret)
		return apmatrix_diag(ctx, -EINVAL,
				     "apqn_list_new: ret is NULL");
	list = calloc(1, sizeof(*list));
	if (!list)
		return apmatrix_diag(ctx, -ENOMEM,
				     "apqn_list_new: out of memory");
	list->refs.count = 1;
	list->ctx = apmatrix_ref(ctx);
	*ret = list;
	return 0;
}

void apmatrix_apqn_list_init_embedded(struct apmatrix_apqn_list *list,
				      struct apmatrix_ctx *ctx, void *owner,
				      void (*owner_ref)(void *),
				      void (*owner_unref)(void *))
{
	memset(list, 0, sizeof(*list));
	list->ctx = ctx;
	apmatrix_refs_embed(&list->refs, owner, owner_ref, owner_unref);
}

void apmatrix_apqn_list_release(struct apmatrix_apqn_list *list)
{
	if (!list)
		return;
	free(list->apqns);
	list->apqns = NULL;
	list->count = 0;
	list->alloc = 0;
}

APMATRIX_EXPORT struct apmatrix_apqn_list *
apmatrix_apqn_list_ref(struct apmatrix_apqn_list *list)
{
	if (!list)
		return NULL;
	apmatrix_refs_get(&list->refs);
	return list;
}

APMATRIX_EXPORT struct apmatrix_apqn_list *
apmatrix_apqn_list_unref(struct apmatrix_apqn_list *list)
{
	if (!list)
		return NULL;
	if (!apmatrix_refs_put(&list->refs))
		return NULL;
	apmatrix_apqn_list_release(list);
	apmatrix_unref(list->ctx);
	free(list);
	return NULL;
}

APMATRIX_EXPORT unsigned int
apmatrix_apqn_list_get_count(const struct apmatrix_apqn_list *list)
{
	return list ? list->count : 0;
}

APMATRIX_EXPORT int
apmatrix_apqn_list_get_apqn(const struct apmatrix_apqn_list *list,
			    unsigned int index)
{
	if (!list)
		return -EINVAL;
	if (index >= list->count)
		return apmatrix_diag(list->ctx, -EINVAL,
				     "apqn_list_get_apqn: index %u out of "
				     "range (the list has %u APQNs)",
				     index, list->count);
	return list->apqns[index];
}

/* The index of the first element >= apqn. */
static unsigned int lower_bound(const struct apmatrix_apqn_list *list,
				unsigned int apqn)
{
	unsigned int lo = 0, hi = list->count;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (list->apqns[mid] < apqn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int reserve(struct apmatrix_apqn_list *list, unsigned int want)
{
	unsigned int alloc = list->alloc ? list->alloc : 16;
	uint16_t *p;

	if (want <= list->alloc)
		return 0;
	while (alloc < want)
		alloc *= 2;
	p = realloc(list->apqns, alloc * sizeof(*p));
	if (!p)
		return apmatrix_diag(list->ctx, -ENOMEM,
				     "APQN list: out of memory");
	list->apqns = p;
	list->alloc = alloc;
	return 0;
}

int apmatrix_apqn_list_insert(struct apmatrix_apqn_list *list,
			      unsigned int apqn)
{
	unsigned int i = list->count;
	int r;

	/* Appending in order, as the library builds lists, needs no search. */
	if (list->count && list->apqns[list->count - 1] >= apqn) {
		i = lower_bound(list, apqn);
		if (list->apqns[i] == apqn)
			return 0;
	}
	r = reserve(list, list->count + 1);
	if (r < 0)
		return r;
	memmove(list->apqns + i + 1, list->apqns + i,
		(list->count - i) * sizeof(*list->apqns));
	list->apqns[i] = (uint16_t)apqn;
	list->count++;
	return 0;
}

APMATRIX_EXPORT int apmatrix_apqn_list_add(struct apmatrix_apqn_list *list,
					   unsigned int apqn)
{
	if (!list)
		return -EINVAL;
	apmatrix_diag_clear(list->ctx);
	if (apqn >= APMATRIX_MAX_APQNS)
		return apmatrix_diag(list->ctx, -EINVAL,
				     "apqn_list_add: APQN 0x%x out of range "
				     "(0-0xffff)",
				     apqn);
	return apmatrix_apqn_list_insert(list, apqn);
}

APMATRIX_EXPORT int
apmatrix_apqn_list_contains(const struct apmatrix_apqn_list *list,
			    unsigned int apqn)
{
	unsigned int i;

	if (!list || apqn >= APMATRIX_MAX_APQNS)
		return 0;
	i = lower_bound(list, apqn);
	return i < list->count && list->apqns[i] == apqn;
}

static int is_separator(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n';
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

APMATRIX_EXPORT int apmatrix_apqn_list_parse(struct apmatrix_apqn_list *list,
					     const char *text,
					     unsigned int flags)
{
	uint16_t *parsed = NULL, *merged;
	size_t nparsed = 0, cap = 0, off = 0, len, total;
	unsigned int i, j, k;

	if (!list)
		return -EINVAL;
	apmatrix_diag_clear(list->ctx);
	if (!text)
		return apmatrix_diag(list->ctx, -EINVAL,
				     "apqn_list_parse: text is NULL");
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(list->ctx, -EINVAL,
				     "apqn_list_parse: unknown flags 0x%x",
				     flags);
	len = strlen(text);
	while (off < len) {
		char why[128], q[APMATRIX_QUOTE_SIZE];
		size_t end = off;
		unsigned int apqn;

		if (is_separator(text[off])) {
			off++;
			continue;
		}
		while (end < len && !is_separator(text[end]))
			end++;
		if (apqn_scan(text + off, end - off, off, &apqn, why,
			      sizeof(why)) < 0) {
			free(parsed);
			return apmatrix_diag(list->ctx, -EINVAL,
					     "%s in APQN %s at offset %zu", why,
					     apmatrix_diag_quote(q, sizeof(q),
								 text + off,
								 end - off),
					     off);
		}
		if (nparsed == cap) {
			uint16_t *p;

			cap = cap ? cap * 2 : 16;
			p = realloc(parsed, cap * sizeof(*p));
			if (!p) {
				free(parsed);
				return apmatrix_diag(list->ctx, -ENOMEM,
						     "apqn_list_parse: out of "
						     "memory");
			}
			parsed = p;
		}
		parsed[nparsed++] = (uint16_t)apqn;
		off = end;
	}
	if (nparsed == 0)
		return 0;
	qsort(parsed, nparsed, sizeof(*parsed), cmp_u16);
	/* Distinct now, so at most 65536 remain. */
	for (i = 1, j = 1; i < nparsed; i++)
		if (parsed[i] != parsed[j - 1])
			parsed[j++] = parsed[i];
	nparsed = j;

	/* Merge into new storage, so that a failure changes nothing. */
	total = list->count + nparsed;
	merged = malloc(total * sizeof(*merged));
	if (!merged) {
		free(parsed);
		return apmatrix_diag(list->ctx, -ENOMEM,
				     "apqn_list_parse: out of memory");
	}
	i = j = k = 0;
	while (i < list->count || j < nparsed) {
		uint16_t next;

		if (j >= nparsed ||
		    (i < list->count && list->apqns[i] <= parsed[j]))
			next = list->apqns[i++];
		else
			next = parsed[j++];
		if (k == 0 || merged[k - 1] != next)
			merged[k++] = next;
	}
	free(parsed);
	free(list->apqns);
	list->apqns = merged;
	list->count = k;
	list->alloc = (unsigned int)total;
	return 0;
}

APMATRIX_EXPORT int
apmatrix_apqn_list_format(const struct apmatrix_apqn_list *list,
			  const char *separator, unsigned int flags, char *buf,
			  size_t size)
{
	struct apmatrix_textbuf tb;
	size_t seplen;

	if (!list)
		return -EINVAL;
	apmatrix_diag_clear(list->ctx);
	if (!separator)
		return apmatrix_diag(list->ctx, -EINVAL,
				     "apqn_list_format: separator is NULL");
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(list->ctx, -EINVAL,
				     "apqn_list_format: unknown flags 0x%x",
				     flags);
	if (!buf && size)
		return apmatrix_diag(list->ctx, -EINVAL,
				     "apqn_list_format: buf is NULL, size %zu",
				     size);
	seplen = strlen(separator);
	apmatrix_textbuf_init(&tb, buf, size);
	for (unsigned int i = 0; i < list->count; i++) {
		char apqn[APQN_TEXT_LEN + 1];

		if (i)
			apmatrix_textbuf_put(&tb, separator, seplen);
		apqn_text(list->apqns[i], apqn);
		apmatrix_textbuf_put(&tb, apqn, APQN_TEXT_LEN);
	}
	/* Line-separated text ends with its newline, as sysfs files do. */
	if (list->count && seplen && separator[seplen - 1] == '\n')
		apmatrix_textbuf_put(&tb, separator, seplen);
	return apmatrix_textbuf_finish(&tb);
}
