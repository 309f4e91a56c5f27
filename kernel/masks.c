// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: parsing and formatting of AP masks.
 *
 * Architected masks number bit 0 as the leftmost bit: in hex text the first
 * digit covers IDs 0..3 with value 8 for ID 0. Internally bit n of a native
 * bitmap is ID n; these helpers translate.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "vfio_ap_sim.h"

/**
 * sim_mask_format() - format a mask as "0x" plus @digits hex digits
 * @buf: output buffer
 * @len: size of @buf
 * @mask: native bitmap (bit n = ID n)
 * @bits: number of valid bits in @mask
 * @digits: number of hex digits to print
 */
void sim_mask_format(char *buf, size_t len, const unsigned long *mask, int bits,
		     int digits)
{
	static const char hex[] = "0123456789abcdef";
	int d, n, v;

	if (len < (size_t)digits + 3) {
		if (len)
			buf[0] = '\0';
		return;
	}
	buf[0] = '0';
	buf[1] = 'x';
	for (d = 0; d < digits; d++) {
		v = 0;
		for (n = 0; n < 4; n++) {
			int id = d * 4 + n;

			if (id < bits && test_bit(id, mask))
				v |= 0x08 >> n;
		}
		buf[2 + d] = hex[v];
	}
	buf[2 + digits] = '\0';
}

/*
 * Absolute hex mask as written to apmask/aqmask/ap_config: optional "0x"
 * or "x", digits fill from the left, missing digits are zero, one trailing
 * newline allowed, anything else (including too many digits) is EINVAL.
 */
int sim_hex2bitmap(const char *str, unsigned long *bitmap, int bits)
{
	int i, n, b;

	if (bits & 0x07)
		return -EINVAL;

	if (str[0] == '0' && str[1] == 'x')
		str++;
	if (*str == 'x')
		str++;

	for (i = 0; isxdigit(*str) && i < bits; str++) {
		b = hex_to_bin(*str);
		for (n = 0; n < 4; n++)
			if (b & (0x08 >> n))
				set_bit(i + n, bitmap);
		i += 4;
	}

	if (*str == '\n')
		str++;
	if (*str)
		return -EINVAL;
	return 0;
}

/*
 * Relative edit "+N,-M,+A-B": numbers in base 0, the sign is mandatory,
 * terms are applied left to right. A number is read as a prefix of the
 * remaining string, hence simple_strtoul() rather than kstrtoul().
 */
static int sim_modify_bitmap(const char *str, unsigned long *bitmap, int bits)
{
	unsigned long a, i, z;
	char *np, sign;

	if (bits & 0x07)
		return -EINVAL;

	while (*str) {
		sign = *str++;
		if (sign != '+' && sign != '-')
			return -EINVAL;
		a = simple_strtoul(str, &np, 0);
		z = a;
		if (str == np || a >= bits)
			return -EINVAL;
		str = np;
		if (*str == '-') {
			z = simple_strtoul(++str, &np, 0);
			if (str == np || a > z || z >= bits)
				return -EINVAL;
			str = np;
		}
		for (i = a; i <= z; i++)
			if (sign == '+')
				set_bit(i, bitmap);
			else
				clear_bit(i, bitmap);
		while (*str == ',' || *str == '\n')
			str++;
	}

	return 0;
}

/**
 * sim_parse_bitmap_str() - parse an apmask/aqmask style string
 * @str: user input
 * @cur: current mask, the base for relative edits
 * @bits: mask size
 * @newmap: result; only valid when 0 is returned
 */
int sim_parse_bitmap_str(const char *str, const unsigned long *cur, int bits,
			 unsigned long *newmap)
{
	if (*str == '+' || *str == '-') {
		bitmap_copy(newmap, cur, bits);
		return sim_modify_bitmap(str, newmap, bits);
	}
	bitmap_zero(newmap, bits);
	return sim_hex2bitmap(str, newmap, bits);
}

/* Module parameter lists "N[-M],..."; "none" or "" is the empty set. */
int sim_parse_id_list(const char *str, unsigned long *bitmap, int bits)
{
	unsigned long a, z;
	char *np;

	bitmap_zero(bitmap, bits);
	if (!str || !*str || !strcmp(str, "none"))
		return 0;
	while (*str) {
		a = simple_strtoul(str, &np, 0);
		if (np == str || a >= bits)
			return -EINVAL;
		z = a;
		str = np;
		if (*str == '-') {
			z = simple_strtoul(++str, &np, 0);
			if (np == str || z < a || z >= bits)
				return -EINVAL;
			str = np;
		}
		bitmap_set(bitmap, a, z - a + 1);
		if (*str == ',')
			str++;
		else if (*str && *str != '\n')
			return -EINVAL;
		else if (*str)
			str++;
	}
	return 0;
}
