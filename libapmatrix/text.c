// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Text primitives that mirror how the kernel reads numbers and masks, so
 * every parser of the library accepts exactly what the kernel accepts.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

void apmatrix_read_number(const char *s, struct apmatrix_number *num)
{
	/* _parse_integer_fixup_radix() with base 0 */
	const char *p = s;
	const char *digits;
	unsigned int base = 10;

	if (p[0] == '0') {
		if ((p[1] == 'x' || p[1] == 'X') &&
		    apmatrix_hex_value(p[2]) >= 0) {
			base = 16;
			p += 2;
		} else {
			base = 8;
		}
	}
	num->value = 0;
	num->overflow = 0;
	digits = p;
	for (;; p++) {
		int d = apmatrix_hex_value(*p);

		if (d < 0 || (unsigned int)d >= base)
			break;
		if (num->overflow)
			continue;
		if (num->value > (ULONG_MAX - (unsigned int)d) / base) {
			num->overflow = 1;
			num->value = ULONG_MAX;
			continue;
		}
		num->value = num->value * base + (unsigned int)d;
	}
	num->len = p == digits ? 0 : (size_t)(p - s);
	/* A lone 0 reads the same in any base. */
	num->octal = base == 8 && p - digits > 1;
}

size_t apmatrix_read_hex_id(const char *s, size_t len, unsigned int *value)
{
	size_t i = 0, digits;
	unsigned int v = 0;

	if (len >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    apmatrix_hex_value(s[2]) >= 0)
		i = 2;
	digits = i;
	for (; i < len && apmatrix_hex_value(s[i]) >= 0; i++) {
		v = v * 16 + (unsigned int)apmatrix_hex_value(s[i]);
		if (v > 0xff)
			v = 0x100;
	}
	if (i == digits)
		return 0;
	*value = v;
	return i;
}

static int mask_scan(const char *text, struct apmatrix_bits *out, size_t *bad)
{
	struct apmatrix_bits b = {{0}};
	const char *p = text;
	unsigned int i = 0;

	if (p[0] == '0' && p[1] == 'x')
		p++;
	if (*p == 'x')
		p++;
	for (; apmatrix_hex_value(*p) >= 0 && i < APMATRIX_MAX_IDS; p++) {
		unsigned int v = (unsigned int)apmatrix_hex_value(*p);

		for (unsigned int n = 0; n < 4; n++)
			if (v & (0x8u >> n))
				bits_set(&b, i + n);
		i += 4;
	}
	if (*p == '\n')
		p++;
	if (*p) {
		*bad = (size_t)(p - text);
		return -EINVAL;
	}
	*out = b;
	return 0;
}

int apmatrix_mask_parse(struct apmatrix_ctx *ctx, const char *text,
			const char *whole, size_t base,
			struct apmatrix_bits *out)
{
	char q[APMATRIX_QUOTE_SIZE], c[APMATRIX_CHAR_SIZE];
	size_t bad = 0;
	int r;

	r = mask_scan(text, out, &bad);
	if (r == 0)
		return 0;
	if (apmatrix_hex_value(text[bad]) >= 0)
		return apmatrix_diag(
			ctx, -EINVAL,
			"more than 64 hex digits at offset %zu in "
			"mask %s",
			base + bad,
			apmatrix_diag_quote(q, sizeof(q), whole, SIZE_MAX));
	return apmatrix_diag(
		ctx, -EINVAL, "invalid character %s at offset %zu in mask %s",
		apmatrix_diag_char(c, text[bad]), base + bad,
		apmatrix_diag_quote(q, sizeof(q), whole, SIZE_MAX));
}

void apmatrix_mask_format(const struct apmatrix_bits *b,
			  char out[APMATRIX_MASK_LEN + 1])
{
	snprintf(out, APMATRIX_MASK_LEN + 1, "0x%016llx%016llx%016llx%016llx",
		 (unsigned long long)b->w[0], (unsigned long long)b->w[1],
		 (unsigned long long)b->w[2], (unsigned long long)b->w[3]);
}

void apmatrix_textbuf_init(struct apmatrix_textbuf *tb, char *buf, size_t size)
{
	tb->buf = buf;
	tb->size = buf ? size : 0;
	tb->len = 0;
	if (tb->size)
		tb->buf[0] = '\0';
}

void apmatrix_textbuf_put(struct apmatrix_textbuf *tb, const char *s, size_t n)
{
	if (tb->len < tb->size) {
		size_t room = tb->size - 1 - tb->len;

		memcpy(tb->buf + tb->len, s, n < room ? n : room);
	}
	tb->len += n;
}

void apmatrix_textbuf_printf(struct apmatrix_textbuf *tb, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Only used for short items (IDs, APQNs). */
	if (n > 0)
		apmatrix_textbuf_put(tb, tmp,
				     (size_t)n < sizeof(tmp) ? (size_t)n
							     : sizeof(tmp) - 1);
}

int apmatrix_textbuf_finish(struct apmatrix_textbuf *tb)
{
	if (tb->size)
		tb->buf[tb->len < tb->size ? tb->len : tb->size - 1] = '\0';
	if (tb->len > INT_MAX)
		return -EINVAL;
	return (int)tb->len;
}

int apmatrix_card_name_parse(const char *s)
{
	unsigned int a;
	char end;

	if (strncmp(s, "card", 4) != 0 || strlen(s) != 6 ||
	    !isxdigit((unsigned char)s[4]) || !isxdigit((unsigned char)s[5]) ||
	    sscanf(s + 4, "%2x%c", &a, &end) != 1)
		return -1;
	return (int)a;
}

int apmatrix_queue_name_parse(const char *s)
{
	unsigned int a, d;

	if (strlen(s) != 7 || s[2] != '.')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 2 && !isxdigit((unsigned char)s[i]))
			return -1;
	if (sscanf(s, "%2x.%4x", &a, &d) != 2 || d >= APMATRIX_MAX_IDS)
		return -1;
	return (int)APMATRIX_APQN(a, d);
}
