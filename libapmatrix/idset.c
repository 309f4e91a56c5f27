// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sets of adapter or domain IDs and their text forms.
 *
 * The parsers follow the code that reads the same text elsewhere, so a set
 * parsed here is the set the kernel or chzdev would make of it:
 * - MASK: the kernel's hex2bitmap() (`0x` or `x` prefix optional, up to 64
 *   hex digits from bit 0, one trailing newline).
 * - RELATIVE: the kernel's modify_bitmap() for `apmask`/`aqmask`: terms
 *   `+N`, `-N`, `+N-M`, `-N-M` read with simple_strtoul() base 0; after each
 *   term any run of commas and newlines is skipped, so the kernel also takes
 *   terms written back to back (`+1+2`, and `+1-2-3` sets 1-2 and clears 3).
 * - LIST: chzdev's list (`3,5-10,0x25`, strtoul() base 0, empty items
 *   skipped, blanks before a number allowed) except that a reversed range
 *   is refused: chzdev compares pointers there and silently does nothing.
 * - CHZDEV: chzdev's apmask= setting: relative terms when the text starts
 *   with `+` or `-` (comma separated, each with its sign), a list otherwise;
 *   an empty value is refused as chzdev refuses it.
 * Numbers with a leading zero are octal as in the kernel; the parse then
 * returns APMATRIX_WARN_OCTAL.
 *
 * Format LIST prints runs of two or more IDs as ranges (`5-6`), as lszdev.
 */
#include <stdlib.h>
#include <string.h>

#include "apmatrix-internal.h"
#include "text.h"

APMATRIX_EXPORT int apmatrix_idset_new(struct apmatrix_ctx *ctx,
				       struct apmatrix_idset **ret)
{
	struct apmatrix_idset *set;

	if (!ctx)
		return -EINVAL;
	apmatrix_diag_clear(ctx);
	if (!ret)
		return apmatrix_diag(ctx, -EINVAL, "idset_new: ret is NULL");
	set = calloc(1, sizeof(*set));
	if (!set)
		return apmatrix_diag(ctx, -ENOMEM, "idset_new: out of memory");
	set->refs.count = 1;
	set->ctx = apmatrix_ref(ctx);
	*ret = set;
	return 0;
}

void apmatrix_idset_init_embedded(struct apmatrix_idset *set,
				  struct apmatrix_ctx *ctx, void *owner,
				  void (*owner_ref)(void *),
				  void (*owner_unref)(void *))
{
	memset(set, 0, sizeof(*set));
	set->ctx = ctx;
	apmatrix_refs_embed(&set->refs, owner, owner_ref, owner_unref);
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_idset_ref(struct apmatrix_idset *set)
{
	if (!set)
		return NULL;
	apmatrix_refs_get(&set->refs);
	return set;
}

APMATRIX_EXPORT struct apmatrix_idset *
apmatrix_idset_unref(struct apmatrix_idset *set)
{
	if (!set)
		return NULL;
	if (!apmatrix_refs_put(&set->refs))
		return NULL;
	apmatrix_unref(set->ctx);
	free(set);
	return NULL;
}

APMATRIX_EXPORT struct apmatrix_ctx *
apmatrix_idset_get_ctx(const struct apmatrix_idset *set)
{
	return set ? set->ctx : NULL;
}

static int id_out_of_range(const struct apmatrix_idset *set, const char *fn,
			   unsigned int id)
{
	return apmatrix_diag(set->ctx, -EINVAL,
			     "idset_%s: ID %u out of range (0-255)", fn, id);
}

APMATRIX_EXPORT int apmatrix_idset_set(struct apmatrix_idset *set,
				       unsigned int id)
{
	if (!set)
		return -EINVAL;
	apmatrix_diag_clear(set->ctx);
	if (id >= APMATRIX_MAX_IDS)
		return id_out_of_range(set, "set", id);
	bits_set(&set->bits, id);
	return 0;
}

APMATRIX_EXPORT int apmatrix_idset_clear(struct apmatrix_idset *set,
					 unsigned int id)
{
	if (!set)
		return -EINVAL;
	apmatrix_diag_clear(set->ctx);
	if (id >= APMATRIX_MAX_IDS)
		return id_out_of_range(set, "clear", id);
	bits_clear(&set->bits, id);
	return 0;
}

APMATRIX_EXPORT int apmatrix_idset_clear_all(struct apmatrix_idset *set)
{
	if (!set)
		return -EINVAL;
	apmatrix_diag_clear(set->ctx);
	memset(&set->bits, 0, sizeof(set->bits));
	return 0;
}

APMATRIX_EXPORT int apmatrix_idset_test(const struct apmatrix_idset *set,
					unsigned int id)
{
	return set ? bits_test(&set->bits, id) : 0;
}

APMATRIX_EXPORT unsigned int
apmatrix_idset_get_count(const struct apmatrix_idset *set)
{
	return set ? bits_count(&set->bits) : 0;
}

APMATRIX_EXPORT int apmatrix_idset_next(const struct apmatrix_idset *set,
					unsigned int from)
{
	int id;

	if (!set)
		return -EINVAL;
	if (from > APMATRIX_MAX_IDS)
		return apmatrix_diag(set->ctx, -EINVAL,
				     "idset_next: from %u out of range (0-256)",
				     from);
	id = bits_next(&set->bits, from);
	return id < 0 ? -ENOENT : id;
}

/*
 * The start of a binary operation: 0 when both sets are there (and the
 * diagnostic of dst's context cleared), -EINVAL otherwise.
 */
static int binary_op(struct apmatrix_idset *dst,
		     const struct apmatrix_idset *src, const char *fn)
{
	if (!dst)
		return -EINVAL;
	apmatrix_diag_clear(dst->ctx);
	if (!src)
		return apmatrix_diag(dst->ctx, -EINVAL, "idset_%s: src is NULL",
				     fn);
	return 0;
}

APMATRIX_EXPORT int apmatrix_idset_assign(struct apmatrix_idset *dst,
					  const struct apmatrix_idset *src)
{
	int r = binary_op(dst, src, "assign");

	if (r == 0)
		dst->bits = src->bits;
	return r;
}

APMATRIX_EXPORT int apmatrix_idset_union(struct apmatrix_idset *dst,
					 const struct apmatrix_idset *src)
{
	int r = binary_op(dst, src, "union");

	if (r == 0)
		bits_or(&dst->bits, &dst->bits, &src->bits);
	return r;
}

APMATRIX_EXPORT int apmatrix_idset_intersect(struct apmatrix_idset *dst,
					     const struct apmatrix_idset *src)
{
	int r = binary_op(dst, src, "intersect");

	if (r == 0)
		bits_and(&dst->bits, &dst->bits, &src->bits);
	return r;
}

APMATRIX_EXPORT int apmatrix_idset_subtract(struct apmatrix_idset *dst,
					    const struct apmatrix_idset *src)
{
	int r = binary_op(dst, src, "subtract");

	if (r == 0)
		bits_andnot(&dst->bits, &dst->bits, &src->bits);
	return r;
}

APMATRIX_EXPORT int apmatrix_idset_equal(const struct apmatrix_idset *a,
					 const struct apmatrix_idset *b)
{
	if (!a || !b)
		return 0;
	return bits_equal(&a->bits, &b->bits);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

struct parse_state {
	struct apmatrix_ctx *ctx;
	const char *text;
	size_t len; /* what is parsed: text without its trailing newline */
	/* The first number read as octal, for the warning. */
	int octal;
	size_t octal_off;
	size_t octal_len;
	unsigned long octal_value;
};

/* The term around offset off: from its start to the next comma/newline. */
static const char *term_quote(char q[APMATRIX_QUOTE_SIZE],
			      const struct parse_state *st, size_t start)
{
	size_t end = start;

	while (end < st->len && st->text[end] != ',' && st->text[end] != '\n')
		end++;
	return apmatrix_diag_quote(q, APMATRIX_QUOTE_SIZE, st->text + start,
				   end - start);
}

static int bad_char(const struct parse_state *st, size_t off, const char *why)
{
	char q[APMATRIX_QUOTE_SIZE], c[APMATRIX_CHAR_SIZE];

	return apmatrix_diag(
		st->ctx, -EINVAL,
		"invalid character %s at offset %zu in %s%s%s",
		apmatrix_diag_char(c, st->text[off]), off,
		apmatrix_diag_quote(q, sizeof(q), st->text, SIZE_MAX),
		why ? ": " : "", why ? why : "");
}

/*
 * Read one ID at offset *off (the start of term at offset term) and check it
 * as the kernel does: a number, below 256. A digit right after the number
 * can only be an 8 or 9 after a leading zero.
 */
static int read_id(struct parse_state *st, size_t *off, size_t term,
		   unsigned int *id)
{
	char q[APMATRIX_QUOTE_SIZE], c[APMATRIX_CHAR_SIZE];
	struct apmatrix_number num;
	const char *s = st->text + *off;

	apmatrix_read_number(s, &num);
	if (num.len == 0) {
		if (*off >= st->len)
			return apmatrix_diag(st->ctx, -EINVAL,
					     "missing number at offset %zu in "
					     "term %s",
					     *off, term_quote(q, st, term));
		return apmatrix_diag(st->ctx, -EINVAL,
				     "invalid character %s at offset %zu in "
				     "term %s: expected a number",
				     apmatrix_diag_char(c, s[0]), *off,
				     term_quote(q, st, term));
	}
	if (apmatrix_is_digit(s[num.len]))
		return apmatrix_diag(st->ctx, -EINVAL,
				     "invalid digit %s at offset %zu in term "
				     "%s: a leading 0 makes a number octal",
				     apmatrix_diag_char(c, s[num.len]),
				     *off + num.len, term_quote(q, st, term));
	if (num.value >= APMATRIX_MAX_IDS)
		/* A number is only digits and an x: safe to show as written. */
		return apmatrix_diag(
			st->ctx, -EINVAL,
			"ID %.*s%s out of range (0-255) in term %s "
			"at offset %zu",
			(int)(num.len < 24 ? num.len : 24), s,
			num.len < 24 ? "" : "...", term_quote(q, st, term),
			term);
	if (num.octal && !st->octal) {
		st->octal = 1;
		st->octal_off = *off;
		st->octal_len = num.len;
		st->octal_value = num.value;
	}
	*id = (unsigned int)num.value;
	*off += num.len;
	return 0;
}

static int reversed(const struct parse_state *st, size_t term, unsigned int a,
		    unsigned int z, const char *hint)
{
	char q[APMATRIX_QUOTE_SIZE];

	return apmatrix_diag(st->ctx, -EINVAL,
			     "reversed range %u-%u in term %s at offset %zu%s",
			     a, z, term_quote(q, st, term), term, hint);
}

static void apply(struct apmatrix_bits *b, char sign, unsigned int a,
		  unsigned int z)
{
	for (unsigned int i = a; i <= z; i++) {
		if (sign == '+')
			bits_set(b, i);
		else
			bits_clear(b, i);
	}
}

/* The kernel's modify_bitmap(). */
static int parse_kernel_relative(struct parse_state *st,
				 struct apmatrix_bits *b)
{
	size_t off = 0;

	while (off < st->len) {
		size_t term = off;
		unsigned int a, z;
		char sign = st->text[off];
		int r;

		if (sign != '+' && sign != '-')
			return bad_char(st, off,
					"each term starts with '+' or '-'");
		off++;
		r = read_id(st, &off, term, &a);
		if (r < 0)
			return r;
		z = a;
		if (st->text[off] == '-') {
			off++;
			r = read_id(st, &off, term, &z);
			if (r < 0)
				return r;
			if (a > z)
				return reversed(st, term, a, z, "");
		}
		apply(b, sign, a, z);
		while (st->text[off] == ',' || st->text[off] == '\n')
			off++;
	}
	return 0;
}

static void skip_blanks(const struct parse_state *st, size_t *off)
{
	while (*off < st->len &&
	       (st->text[*off] == ' ' || st->text[*off] == '\t'))
		(*off)++;
}

/*
 * chzdev's ap_validate_mask_input(): comma-separated items (empty ones
 * skipped), each `N` or `N-M`, or with relative set `+N`, `-N-M`, ...
 */
static int parse_list(struct parse_state *st, struct apmatrix_bits *b,
		      int relative, int refuse_empty)
{
	char q[APMATRIX_QUOTE_SIZE];
	unsigned int items = 0;
	size_t off = 0;

	while (off < st->len) {
		size_t term = off, end = off;
		unsigned int a, z;
		char sign = '+';
		int r;

		if (st->text[off] == ',') {
			off++;
			continue;
		}
		while (end < st->len && st->text[end] != ',')
			end++;
		items++;
		if (relative) {
			sign = st->text[off];
			if (sign != '+' && sign != '-')
				return bad_char(st, off,
						"relative text: every term "
						"starts with '+' or '-'");
			off++;
		} else if (st->text[off] == '+' || st->text[off] == '-') {
			return bad_char(st, off,
					"a list cannot hold relative terms "
					"unless the text starts with '+' or "
					"'-'");
		}
		skip_blanks(st, &off);
		if (off >= end)
			return apmatrix_diag(st->ctx, -EINVAL,
					     "missing number at offset %zu in "
					     "term %s",
					     off, term_quote(q, st, term));
		r = read_id(st, &off, term, &a);
		if (r < 0)
			return r;
		z = a;
		if (off < end && st->text[off] == '-') {
			off++;
			skip_blanks(st, &off);
			if (off >= end)
				return apmatrix_diag(st->ctx, -EINVAL,
						     "missing number at offset "
						     "%zu in term %s",
						     off,
						     term_quote(q, st, term));
			r = read_id(st, &off, term, &z);
			if (r < 0)
				return r;
			if (a > z)
				return reversed(
					st, term, a, z,
					" (chzdev would silently ignore "
					"it)");
		}
		if (off < end) {
			char c[APMATRIX_CHAR_SIZE];

			return apmatrix_diag(
				st->ctx, -EINVAL,
				"invalid character %s at offset "
				"%zu in term %s",
				apmatrix_diag_char(c, st->text[off]), off,
				term_quote(q, st, term));
		}
		apply(b, sign, a, z);
		off = end;
	}
	if (refuse_empty && items == 0)
		return apmatrix_diag(
			st->ctx, -EINVAL,
			"empty list %s: chzdev refuses it (use "
			"-0-255 to clear every ID)",
			apmatrix_diag_quote(q, sizeof(q), st->text, SIZE_MAX));
	return 0;
}

/* A trailing newline must not be followed by anything in a list. */
static int check_newlines(struct parse_state *st)
{
	for (size_t i = 0; i < st->len; i++)
		if (st->text[i] == '\n')
			return bad_char(st, i, NULL);
	return 0;
}

APMATRIX_EXPORT int apmatrix_idset_parse(struct apmatrix_idset *set,
					 const char *text, unsigned int syntax,
					 unsigned int flags)
{
	struct parse_state st = {0};
	struct apmatrix_bits b = {{0}};
	int relative = 0;
	int r;

	if (!set)
		return -EINVAL;
	apmatrix_diag_clear(set->ctx);
	if (!text)
		return apmatrix_diag(set->ctx, -EINVAL,
				     "idset_parse: text is NULL");
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(set->ctx, -EINVAL,
				     "idset_parse: unknown flags 0x%x", flags);
	st.ctx = set->ctx;
	st.text = text;
	st.len = strlen(text);
	if (text[0] == '+' || text[0] == '-')
		relative = 1;

	switch (syntax) {
	case APMATRIX_SYNTAX_MASK:
		r = apmatrix_mask_parse(st.ctx, text, text, 0, &b);
		break;
	case APMATRIX_SYNTAX_KERNEL:
		if (!relative) {
			r = apmatrix_mask_parse(st.ctx, text, text, 0, &b);
			break;
		}
		/* fall through */
	case APMATRIX_SYNTAX_RELATIVE:
		b = set->bits;
		r = parse_kernel_relative(&st, &b);
		break;
	case APMATRIX_SYNTAX_LIST:
	case APMATRIX_SYNTAX_CHZDEV:
		if (st.len > 0 && text[st.len - 1] == '\n')
			st.len--;
		r = check_newlines(&st);
		if (r < 0)
			break;
		if (syntax == APMATRIX_SYNTAX_CHZDEV && relative)
			b = set->bits;
		else
			relative = 0;
		r = parse_list(&st, &b, relative,
			       syntax == APMATRIX_SYNTAX_CHZDEV);
		break;
	default:
		return apmatrix_diag(st.ctx, -EINVAL,
				     "idset_parse: unknown syntax %u", syntax);
	}
	if (r < 0)
		return r;
	set->bits = b;
	if (st.octal) {
		char q[APMATRIX_QUOTE_SIZE];

		apmatrix_diag(st.ctx, 0, "%s read as octal %lu at offset %zu",
			      apmatrix_diag_quote(q, sizeof(q),
						  text + st.octal_off,
						  st.octal_len),
			      st.octal_value, st.octal_off);
		return APMATRIX_WARN_OCTAL;
	}
	return 0;
}

APMATRIX_EXPORT int apmatrix_idset_format(const struct apmatrix_idset *set,
					  unsigned int syntax,
					  unsigned int flags, char *buf,
					  size_t size)
{
	struct apmatrix_textbuf tb;

	if (!set)
		return -EINVAL;
	apmatrix_diag_clear(set->ctx);
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(set->ctx, -EINVAL,
				     "idset_format: unknown flags 0x%x", flags);
	if (!buf && size)
		return apmatrix_diag(set->ctx, -EINVAL,
				     "idset_format: buf is NULL, size %zu",
				     size);
	if (syntax != APMATRIX_SYNTAX_MASK && syntax != APMATRIX_SYNTAX_LIST)
		return apmatrix_diag(set->ctx, -EINVAL,
				     "idset_format: unknown syntax %u (MASK "
				     "or LIST)",
				     syntax);
	apmatrix_textbuf_init(&tb, buf, size);
	if (syntax == APMATRIX_SYNTAX_MASK) {
		char mask[APMATRIX_MASK_LEN + 1];

		apmatrix_mask_format(&set->bits, mask);
		apmatrix_textbuf_put(&tb, mask, APMATRIX_MASK_LEN);
	} else {
		int first = bits_next(&set->bits, 0);

		while (first >= 0) {
			int last = first;

			while (last < APMATRIX_MAX_IDS - 1 &&
			       bits_test(&set->bits, (unsigned int)last + 1))
				last++;
			if (tb.len)
				apmatrix_textbuf_put(&tb, ",", 1);
			if (last == first)
				apmatrix_textbuf_printf(&tb, "%d", first);
			else
				apmatrix_textbuf_printf(&tb, "%d-%d", first,
							last);
			first = bits_next(&set->bits, (unsigned int)last + 1);
		}
	}
	return apmatrix_textbuf_finish(&tb);
}

APMATRIX_EXPORT int apmatrix_id_parse(struct apmatrix_ctx *ctx,
				      const char *text, unsigned int flags,
				      unsigned int *ret)
{
	char q[APMATRIX_QUOTE_SIZE], c[APMATRIX_CHAR_SIZE];
	struct apmatrix_number num;
	size_t off = 0, end;

	apmatrix_diag_clear(ctx);
	if (!text || !ret)
		return apmatrix_diag(ctx, -EINVAL, "id_parse: %s is NULL",
				     text ? "ret" : "text");
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(ctx, -EINVAL,
				     "id_parse: unknown flags 0x%x", flags);
	/* kstrtoul() takes one leading plus sign. */
	if (text[0] == '+')
		off = 1;
	apmatrix_read_number(text + off, &num);
	end = off + num.len;
	if (num.len == 0) {
		if (text[off] == '\0' || (text[off] == '\n' && !text[off + 1]))
			return apmatrix_diag(
				ctx, -EINVAL, "missing number in %s",
				apmatrix_diag_quote(q, sizeof(q), text,
						    SIZE_MAX));
		return apmatrix_diag(
			ctx, -EINVAL,
			"invalid character %s at offset %zu in ID "
			"%s",
			apmatrix_diag_char(c, text[off]), off,
			apmatrix_diag_quote(q, sizeof(q), text, SIZE_MAX));
	}
	if (num.overflow)
		return apmatrix_diag(
			ctx, -EINVAL, "ID %s out of range (0-255)",
			apmatrix_diag_quote(q, sizeof(q), text, SIZE_MAX));
	if (text[end] == '\n' || text[end] != '\0') {
		size_t bad = text[end] == '\n' ? end + 1 : end;

		if (text[bad] != '\0') {
			if (bad == end && apmatrix_is_digit(text[bad]))
				return apmatrix_diag(
					ctx, -EINVAL,
					"invalid digit %s at offset %zu in ID "
					"%s: a leading 0 makes a number octal",
					apmatrix_diag_char(c, text[bad]), bad,
					apmatrix_diag_quote(q, sizeof(q), text,
							    SIZE_MAX));
			return apmatrix_diag(
				ctx, -EINVAL,
				"invalid character %s at offset %zu in ID %s",
				apmatrix_diag_char(c, text[bad]), bad,
				apmatrix_diag_quote(q, sizeof(q), text,
						    SIZE_MAX));
		}
	}
	if (num.value >= APMATRIX_MAX_IDS)
		return apmatrix_diag(
			ctx, -EINVAL, "ID %lu out of range (0-255) in %s",
			num.value,
			apmatrix_diag_quote(q, sizeof(q), text, SIZE_MAX));
	*ret = (unsigned int)num.value;
	if (num.octal) {
		apmatrix_diag(
			ctx, 0, "%s read as octal %lu",
			apmatrix_diag_quote(q, sizeof(q), text + off, num.len),
			num.value);
		return APMATRIX_WARN_OCTAL;
	}
	return 0;
}
