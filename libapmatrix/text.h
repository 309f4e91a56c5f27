/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Text primitives shared by the parsers and formatters of ID sets, APQNs and
 * matrices (text.c): numbers read as the kernel reads them, the kernel's hex
 * mask and snprintf-style output buffers.
 */
#ifndef APMATRIX_TEXT_H
#define APMATRIX_TEXT_H

#include <stddef.h>

#include "apmatrix-internal.h"

/* Length of a full mask: "0x" and 64 hex digits. */
#define APMATRIX_MASK_LEN 66

/*
 * A number as the kernel's simple_strtoul(s, &end, 0) and kstrtoul(s, 0)
 * read it: `0x`/`0X` followed by a hex digit selects hex, a leading `0`
 * octal, anything else decimal. No blanks, no sign.
 */
struct apmatrix_number {
	unsigned long value; /* ULONG_MAX when it overflowed */
	size_t len;          /* characters consumed, 0 when there is no digit */
	int overflow;        /* the value did not fit an unsigned long */
	int octal;           /* a leading 0 and more digits: read as octal */
};

void apmatrix_read_number(const char *s, struct apmatrix_number *num);

/*
 * The kernel's hex2bitmap(): optional `0x` or `x`, up to 64 hex digits filling
 * from bit 0, one trailing newline, nothing else. @text must end with a NUL.
 * On failure returns -EINVAL with a diagnostic naming the character and its
 * offset within @whole (the full text given by the caller, of which @text
 * starts at @base).
 */
int apmatrix_mask_parse(struct apmatrix_ctx *ctx, const char *text,
			const char *whole, size_t base,
			struct apmatrix_bits *out);

/* Write the mask as `0x` + 64 hex digits and a NUL into out. */
void apmatrix_mask_format(const struct apmatrix_bits *b,
			  char out[APMATRIX_MASK_LEN + 1]);

/*
 * A hex ID as sysfs names write it (`04`, `0047`, also `0x47`): reads hex
 * digits from s[0..len). Returns the characters consumed (0 when there is no
 * digit); *value is the number, or 0x100 when it exceeds 0xff.
 */
size_t apmatrix_read_hex_id(const char *s, size_t len, unsigned int *value);

/*
 * Device names of the AP bus in sysfs and in uevents: "cardXX" -> the
 * adapter, "AA.DDDD" -> the APQN (hex, exactly that many digits); -1 for
 * anything else.
 */
int apmatrix_card_name_parse(const char *s);
int apmatrix_queue_name_parse(const char *s);

/* snprintf()-style output: writes what fits, counts everything. */
struct apmatrix_textbuf {
	char *buf;
	size_t size;
	size_t len; /* the length of the full text so far */
};

void apmatrix_textbuf_init(struct apmatrix_textbuf *tb, char *buf, size_t size);
void apmatrix_textbuf_put(struct apmatrix_textbuf *tb, const char *s, size_t n);
void apmatrix_textbuf_printf(struct apmatrix_textbuf *tb, const char *fmt, ...)
	APMATRIX_PRINTF(2, 3);
/* NUL-terminate and return the full length, or -EINVAL past INT_MAX. */
int apmatrix_textbuf_finish(struct apmatrix_textbuf *tb);

static inline int apmatrix_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Value of a hex digit, or -1. */
static inline int apmatrix_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* APMATRIX_TEXT_H */
