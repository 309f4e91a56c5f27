// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * AP matrices: adapters x usage domains, plus control domains, and the
 * kernel's text forms of them.
 *
 * Text forms, byte for byte as vfio_ap prints them:
 * - AP_CONFIG: `0x<64>,0x<64>,0x<64>\n` (201 bytes). Parsed as
 * ap_config_store() does: tokens split at ',' or newline, each read by
 * hex2bitmap(), three needed, anything after the third ignored. As in the
 * kernel, a newline ending the second token leaves an empty third one
 * (`0x8,0x4\n` clears the control domains). The kernel reads only the first 201
 * bytes of a write; longer text is refused here rather than cut.
 * - SYSFS (`matrix`, `guest_matrix`): `%02x.%04x\n` per APQN adapter-major,
 *   `%02x.\n` per adapter when no domain is assigned, `.%04x\n` per domain
 *   when no adapter is, nothing when neither. The kernel prints only IDs up
 *   to its limits and fills at most a page; the text here is complete. Parsing
 *   takes the lines in any order but they must be of one kind, each listed
 *   once and, for APQNs, make a full cross product.
 * - CONTROL_DOMAINS: `%04x\n` per control domain.
 */
#include <stdlib.h>
#include <string.h>

#include "apmatrix-internal.h"
#include "text.h"

/* The kernel's AP_CONFIG_STRLEN: three masks with 0x and a separator. */
#define AP_CONFIG_STRLEN (3 * (APMATRIX_MASK_LEN + 1))

static void matrix_ref_cb(void *m)
{
	apmatrix_matrix_ref(m);
}

static void matrix_unref_cb(void *m)
{
	apmatrix_matrix_unref(m);
}

static void init_sets(struct apmatrix_matrix *m, struct apmatrix_ctx *ctx)
{
	apmatrix_idset_init_embedded(&m->adapters, ctx, m, matrix_ref_cb,
				     matrix_unref_cb);
	apmatrix_idset_init_embedded(&m->domains, ctx, m, matrix_ref_cb,
				     matrix_unref_cb);
	apmatrix_idset_init_embedded(&m->controls, ctx, m, matrix_ref_cb,
				     matrix_unref_cb);
}

APMATRIX_EXPORT int apmatrix_matrix_new(struct apmatrix_ctx *ctx,
					struct apmatrix_matrix **ret)
{
	struct apmatrix_matrix *m;

	if (!ctx)
		return -EINVAL;
	apmatrix_diag_clear(ctx);
	if (!ret)
		return apmatrix_diag(ctx, -EINVAL, "matrix_new: ret is NULL");
	m = calloc(1, sizeof(*m));
	if (!m)
		return apmatrix_diag(ctx, -ENOMEM, "matrix_new: out of memory");
	m->refs.count = 1;
	m->ctx = apmatrix_ref(ctx);
	init_sets(m, ctx);
	*ret = m;
	return 0;
}

void apmatrix_matrix_init_embedded(struct apmatrix_matrix *m,
				   struct apmatrix_ctx *ctx, void *owner,
				   void (*owner_ref)(void *),
				   void (*owner_unref)(void *))
{
	memset(m, 0, sizeof(*m));
	m->ctx = ctx;
	apmatrix_refs_embed(&m->refs, owner, owner_ref, owner_unref);
	init_sets(m, ctx);
}

APMATRIX_EXPORT struct apmatrix_matrix *
apmatrix_matrix_ref(struct apmatrix_matrix *matrix)
{
	if (!matrix)
		return NULL;
	apmatrix_refs_get(&matrix->refs);
	return matrix;
}

APMATRIX_EXPORT struct apmatrix_matrix *
apmatrix_matrix_unref(struct apmatrix_matrix *matrix)
{
	if (!matrix)
		return NULL;
	if (!apmatrix_refs_put(&matrix->refs))
		return NULL;
	apmatrix_unref(matrix->ctx);
	free(matrix);
	return NULL;
}

APMATRIX_EXPORT struct apmatrix_ctx *
apmatrix_matrix_get_ctx(const struct apmatrix_matrix *matrix)
{
	return matrix ? matrix->ctx : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_matrix_get_adapters(struct apmatrix_matrix *matrix)
{
	return matrix ? &matrix->adapters : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_matrix_get_usage_domains(struct apmatrix_matrix *matrix)
{
	return matrix ? &matrix->domains : NULL;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_matrix_get_control_domains(struct apmatrix_matrix *matrix)
{
	return matrix ? &matrix->controls : NULL;
}

APMATRIX_EXPORT int apmatrix_matrix_assign(struct apmatrix_matrix *dst,
					   const struct apmatrix_matrix *src)
{
	if (!dst)
		return -EINVAL;
	apmatrix_diag_clear(dst->ctx);
	if (!src)
		return apmatrix_diag(dst->ctx, -EINVAL,
				     "matrix_assign: src is NULL");
	dst->adapters.bits = src->adapters.bits;
	dst->domains.bits = src->domains.bits;
	dst->controls.bits = src->controls.bits;
	return 0;
}

APMATRIX_EXPORT int apmatrix_matrix_equal(const struct apmatrix_matrix *a,
					  const struct apmatrix_matrix *b)
{
	if (!a || !b)
		return 0;
	return bits_equal(&a->adapters.bits, &b->adapters.bits) &&
	       bits_equal(&a->domains.bits, &b->domains.bits) &&
	       bits_equal(&a->controls.bits, &b->controls.bits);
}

APMATRIX_EXPORT unsigned int
apmatrix_matrix_get_apqn_count(const struct apmatrix_matrix *matrix)
{
	if (!matrix)
		return 0;
	return bits_count(&matrix->adapters.bits) *
	       bits_count(&matrix->domains.bits);
}

APMATRIX_EXPORT int
apmatrix_matrix_contains(const struct apmatrix_matrix *matrix,
			 unsigned int apqn)
{
	if (!matrix || apqn >= APMATRIX_MAX_APQNS)
		return 0;
	return bits_test(&matrix->adapters.bits, APMATRIX_APQN_ADAPTER(apqn)) &&
	       bits_test(&matrix->domains.bits, APMATRIX_APQN_DOMAIN(apqn));
}

APMATRIX_EXPORT int
apmatrix_matrix_next_apqn(const struct apmatrix_matrix *matrix,
			  unsigned int from)
{
	int a, d;

	if (!matrix)
		return -EINVAL;
	if (from > APMATRIX_MAX_APQNS)
		return apmatrix_diag(matrix->ctx, -EINVAL,
				     "matrix_next_apqn: from 0x%x out of range "
				     "(0-0x10000)",
				     from);
	if (from == APMATRIX_MAX_APQNS)
		return -ENOENT;
	d = bits_next(&matrix->domains.bits, 0);
	if (d < 0)
		return -ENOENT;
	a = bits_next(&matrix->adapters.bits, APMATRIX_APQN_ADAPTER(from));
	if (a < 0)
		return -ENOENT;
	if ((unsigned int)a == APMATRIX_APQN_ADAPTER(from)) {
		int d2 = bits_next(&matrix->domains.bits,
				   APMATRIX_APQN_DOMAIN(from));

		if (d2 >= 0)
			return (int)APMATRIX_APQN(a, d2);
		a = bits_next(&matrix->adapters.bits, (unsigned int)a + 1);
		if (a < 0)
			return -ENOENT;
	}
	return (int)APMATRIX_APQN(a, d);
}

APMATRIX_EXPORT int
apmatrix_matrix_get_shared_apqns(const struct apmatrix_matrix *a,
				 const struct apmatrix_matrix *b,
				 struct apmatrix_apqn_list **ret)
{
	struct apmatrix_bits adapters, domains;
	struct apmatrix_apqn_list *list = NULL;
	int r;

	if (!a)
		return -EINVAL;
	apmatrix_diag_clear(a->ctx);
	if (!b || !ret)
		return apmatrix_diag(a->ctx, -EINVAL,
				     "matrix_get_shared_apqns: %s is NULL",
				     b ? "ret" : "b");
	r = apmatrix_apqn_list_new(a->ctx, &list);
	if (r < 0)
		return r;
	bits_and(&adapters, &a->adapters.bits, &b->adapters.bits);
	bits_and(&domains, &a->domains.bits, &b->domains.bits);
	if (!bits_empty(&domains)) {
		bits_foreach (ad, &adapters) {
			bits_foreach (d, &domains) {
				r = apmatrix_apqn_list_insert(
					list, APMATRIX_APQN(ad, d));
				if (r < 0) {
					apmatrix_apqn_list_unref(list);
					return r;
				}
			}
		}
	}
	*ret = list;
	return (int)list->count;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static int parse_ap_config(struct apmatrix_matrix *m, const char *text)
{
	char buf[AP_CONFIG_STRLEN + 1], q[APMATRIX_QUOTE_SIZE];
	struct apmatrix_bits masks[3];
	size_t len = strlen(text);
	char *rest = buf;

	if (len > AP_CONFIG_STRLEN)
		return apmatrix_diag(
			m->ctx, -EINVAL,
			"ap_config text %s is %zu bytes long; the "
			"kernel reads only the first %d",
			apmatrix_diag_quote(q, sizeof(q), text, len), len,
			AP_CONFIG_STRLEN);
	memcpy(buf, text, len + 1);
	/* strsep(&rest, ",\n") three times, as ap_config_store() does. */
	for (int i = 0; i < 3; i++) {
		char *tok = rest;
		size_t sep;
		int r;

		if (!rest)
			return apmatrix_diag(
				m->ctx, -EINVAL,
				"ap_config %s has %d mask%s, needs 3 "
				"separated by ','",
				apmatrix_diag_quote(q, sizeof(q), text, len), i,
				i == 1 ? "" : "s");
		sep = strcspn(tok, ",\n");
		if (tok[sep]) {
			tok[sep] = '\0';
			rest = tok + sep + 1;
		} else {
			rest = NULL;
		}
		r = apmatrix_mask_parse(m->ctx, tok, text, (size_t)(tok - buf),
					&masks[i]);
		if (r < 0)
			return r;
	}
	m->adapters.bits = masks[0];
	m->domains.bits = masks[1];
	m->controls.bits = masks[2];
	return 0;
}

enum line_kind { LINE_NONE, LINE_APQN, LINE_ADAPTER, LINE_DOMAIN };

static const char *const kind_names[] = {
	"", "an APQN (AA.DDDD)", "an adapter (AA.)", "a domain (.DDDD)"};

struct line_parser {
	struct apmatrix_ctx *ctx;
	const char *text;
	size_t len;
	size_t off; /* start of the next line */
};

/*
 * The next line [*start, *end) without its newline. Returns 0 at the end, 1
 * for a line, -EINVAL for an empty line.
 */
static int next_line(struct line_parser *lp, size_t *start, size_t *end)
{
	char q[APMATRIX_QUOTE_SIZE];
	const char *nl;

	if (lp->off >= lp->len)
		return 0;
	*start = lp->off;
	nl = memchr(lp->text + lp->off, '\n', lp->len - lp->off);
	*end = nl ? (size_t)(nl - lp->text) : lp->len;
	lp->off = *end + 1;
	if (*end == *start)
		return apmatrix_diag(
			lp->ctx, -EINVAL, "empty line at offset %zu in %s",
			*start,
			apmatrix_diag_quote(q, sizeof(q), lp->text, lp->len));
	return 1;
}

/* A hex ID filling text[start, end), at most 0xff. */
static int line_id(struct line_parser *lp, size_t start, size_t end,
		   size_t line, size_t line_end, const char *what,
		   unsigned int *id)
{
	char q[APMATRIX_QUOTE_SIZE], c[APMATRIX_CHAR_SIZE];
	size_t n = apmatrix_read_hex_id(lp->text + start, end - start, id);

	if (start + n < end || n == 0) {
		if (start + n < end)
			return apmatrix_diag(
				lp->ctx, -EINVAL,
				"invalid character %s at offset %zu in line %s",
				apmatrix_diag_char(c, lp->text[start + n]),
				start + n,
				apmatrix_diag_quote(q, sizeof(q),
						    lp->text + line,
						    line_end - line));
		return apmatrix_diag(
			lp->ctx, -EINVAL, "missing %s at offset %zu in line %s",
			what, start,
			apmatrix_diag_quote(q, sizeof(q), lp->text + line,
					    line_end - line));
	}
	if (*id > 0xff)
		return apmatrix_diag(
			lp->ctx, -EINVAL,
			"%s out of range (0-0xff) at offset %zu in "
			"line %s",
			what, start,
			apmatrix_diag_quote(q, sizeof(q), lp->text + line,
					    line_end - line));
	return 0;
}

static int duplicate(struct line_parser *lp, size_t start, size_t end)
{
	char q[APMATRIX_QUOTE_SIZE];

	return apmatrix_diag(lp->ctx, -EINVAL,
			     "line %s at offset %zu repeats an earlier line",
			     apmatrix_diag_quote(q, sizeof(q), lp->text + start,
						 end - start),
			     start);
}

static int parse_sysfs(struct apmatrix_matrix *m, const char *text)
{
	struct line_parser lp = {m->ctx, text, strlen(text), 0};
	struct apmatrix_bits adapters = {{0}}, domains = {{0}};
	enum line_kind kind = LINE_NONE;
	uint64_t *seen = NULL;
	size_t start, end, lines = 0;
	char q[APMATRIX_QUOTE_SIZE];
	int r;

	while ((r = next_line(&lp, &start, &end)) > 0) {
		const char *dot = memchr(text + start, '.', end - start);
		unsigned int a = 0, d = 0;
		enum line_kind k;
		size_t dp;

		if (!dot) {
			r = apmatrix_diag(
				m->ctx, -EINVAL,
				"missing '.' in line %s at offset %zu",
				apmatrix_diag_quote(q, sizeof(q), text + start,
						    end - start),
				start);
			break;
		}
		dp = (size_t)(dot - text);
		if (dp == start && dp + 1 == end) {
			r = apmatrix_diag(m->ctx, -EINVAL,
					  "neither adapter nor domain in line "
					  "\".\" at offset %zu",
					  start);
			break;
		}
		k = dp == start     ? LINE_DOMAIN
		    : dp + 1 == end ? LINE_ADAPTER
				    : LINE_APQN;
		if (kind != LINE_NONE && k != kind) {
			r = apmatrix_diag(m->ctx, -EINVAL,
					  "line %s at offset %zu is %s, the "
					  "lines before it are not",
					  apmatrix_diag_quote(q, sizeof(q),
							      text + start,
							      end - start),
					  start, kind_names[k]);
			break;
		}
		kind = k;
		if (k != LINE_DOMAIN) {
			r = line_id(&lp, start, dp, start, end, "adapter", &a);
			if (r < 0)
				break;
		}
		if (k != LINE_ADAPTER) {
			r = line_id(&lp, dp + 1, end, start, end, "domain", &d);
			if (r < 0)
				break;
		}
		lines++;
		if (k == LINE_APQN) {
			unsigned int apqn = APMATRIX_APQN(a, d);

			if (!seen) {
				seen = calloc(APMATRIX_MAX_APQNS / 64,
					      sizeof(*seen));
				if (!seen)
					return apmatrix_diag(m->ctx, -ENOMEM,
							     "matrix_parse: "
							     "out of memory");
			}
			if (seen[apqn / 64] & (UINT64_C(1) << (apqn % 64))) {
				r = duplicate(&lp, start, end);
				break;
			}
			seen[apqn / 64] |= UINT64_C(1) << (apqn % 64);
		} else if ((k == LINE_ADAPTER && bits_test(&adapters, a)) ||
			   (k == LINE_DOMAIN && bits_test(&domains, d))) {
			r = duplicate(&lp, start, end);
			break;
		}
		if (k != LINE_DOMAIN)
			bits_set(&adapters, a);
		if (k != LINE_ADAPTER)
			bits_set(&domains, d);
	}
	if (r == 0 && kind == LINE_APQN &&
	    lines != (size_t)bits_count(&adapters) * bits_count(&domains)) {
		/* Name the first APQN of the product that is not there. */
		bits_foreach (a, &adapters) {
			bits_foreach (d, &domains) {
				unsigned int apqn = APMATRIX_APQN(a, d);

				if (r == 0 && !(seen[apqn / 64] &
						(UINT64_C(1) << (apqn % 64))))
					r = apmatrix_diag(
						m->ctx, -EINVAL,
						"not a full cross product of "
						"adapters and domains: "
						"%02x.%04x is missing",
						(unsigned int)a,
						(unsigned int)d);
			}
		}
	}
	free(seen);
	if (r < 0)
		return r;
	m->adapters.bits = adapters;
	m->domains.bits = domains;
	return 0;
}

static int parse_control_domains(struct apmatrix_matrix *m, const char *text)
{
	struct line_parser lp = {m->ctx, text, strlen(text), 0};
	struct apmatrix_bits controls = {{0}};
	size_t start, end;
	int r;

	while ((r = next_line(&lp, &start, &end)) > 0) {
		unsigned int d;

		r = line_id(&lp, start, end, start, end, "control domain", &d);
		if (r < 0)
			return r;
		if (bits_test(&controls, d))
			return duplicate(&lp, start, end);
		bits_set(&controls, d);
	}
	if (r < 0)
		return r;
	m->controls.bits = controls;
	return 0;
}

APMATRIX_EXPORT int apmatrix_matrix_parse(struct apmatrix_matrix *matrix,
					  const char *text, unsigned int syntax,
					  unsigned int flags)
{
	if (!matrix)
		return -EINVAL;
	apmatrix_diag_clear(matrix->ctx);
	if (!text)
		return apmatrix_diag(matrix->ctx, -EINVAL,
				     "matrix_parse: text is NULL");
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(matrix->ctx, -EINVAL,
				     "matrix_parse: unknown flags 0x%x", flags);
	switch (syntax) {
	case APMATRIX_MATRIX_AP_CONFIG:
		return parse_ap_config(matrix, text);
	case APMATRIX_MATRIX_SYSFS:
		return parse_sysfs(matrix, text);
	case APMATRIX_MATRIX_CONTROL_DOMAINS:
		return parse_control_domains(matrix, text);
	default:
		return apmatrix_diag(matrix->ctx, -EINVAL,
				     "matrix_parse: unknown syntax %u", syntax);
	}
}

/* ------------------------------------------------------------------ */
/* Formatting                                                          */

/* v as lower-case hex, zero-padded to digits (at most 4) characters. */
static void hex_digits(char *out, unsigned int v, unsigned int digits)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned int i = 0; i < digits; i++)
		out[i] = hex[(v >> (4 * (digits - 1 - i))) & 0xf];
}

APMATRIX_EXPORT int apmatrix_matrix_format(const struct apmatrix_matrix *matrix,
					   unsigned int syntax,
					   unsigned int flags, char *buf,
					   size_t size)
{
	const struct apmatrix_bits *ad, *dom;
	struct apmatrix_textbuf tb;

	if (!matrix)
		return -EINVAL;
	apmatrix_diag_clear(matrix->ctx);
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(matrix->ctx, -EINVAL,
				     "matrix_format: unknown flags 0x%x",
				     flags);
	if (!buf && size)
		return apmatrix_diag(matrix->ctx, -EINVAL,
				     "matrix_format: buf is NULL, size %zu",
				     size);
	ad = &matrix->adapters.bits;
	dom = &matrix->domains.bits;
	apmatrix_textbuf_init(&tb, buf, size);
	switch (syntax) {
	case APMATRIX_MATRIX_AP_CONFIG: {
		char mask[APMATRIX_MASK_LEN + 1];

		apmatrix_mask_format(ad, mask);
		apmatrix_textbuf_put(&tb, mask, APMATRIX_MASK_LEN);
		apmatrix_textbuf_put(&tb, ",", 1);
		apmatrix_mask_format(dom, mask);
		apmatrix_textbuf_put(&tb, mask, APMATRIX_MASK_LEN);
		apmatrix_textbuf_put(&tb, ",", 1);
		apmatrix_mask_format(&matrix->controls.bits, mask);
		apmatrix_textbuf_put(&tb, mask, APMATRIX_MASK_LEN);
		apmatrix_textbuf_put(&tb, "\n", 1);
		break;
	}
	case APMATRIX_MATRIX_SYSFS:
		/* Each line is put whole: a full matrix has 65,536 of them. */
		if (!bits_empty(ad) && !bits_empty(dom)) {
			char line[] = "aa.dddd\n";

			bits_foreach (a, ad) {
				hex_digits(line, (unsigned int)a, 2);
				bits_foreach (d, dom) {
					hex_digits(line + 3, (unsigned int)d,
						   4);
					apmatrix_textbuf_put(&tb, line,
							     sizeof(line) - 1);
				}
			}
		} else if (!bits_empty(ad)) {
			char line[] = "aa.\n";

			bits_foreach (a, ad) {
				hex_digits(line, (unsigned int)a, 2);
				apmatrix_textbuf_put(&tb, line,
						     sizeof(line) - 1);
			}
		} else {
			char line[] = ".dddd\n";

			bits_foreach (d, dom) {
				hex_digits(line + 1, (unsigned int)d, 4);
				apmatrix_textbuf_put(&tb, line,
						     sizeof(line) - 1);
			}
		}
		break;
	case APMATRIX_MATRIX_CONTROL_DOMAINS:
		bits_foreach (d, &matrix->controls.bits) {
			char line[] = "dddd\n";

			hex_digits(line, (unsigned int)d, 4);
			apmatrix_textbuf_put(&tb, line, sizeof(line) - 1);
		}
		break;
	default:
		return apmatrix_diag(matrix->ctx, -EINVAL,
				     "matrix_format: unknown syntax %u",
				     syntax);
	}
	return apmatrix_textbuf_finish(&tb);
}
