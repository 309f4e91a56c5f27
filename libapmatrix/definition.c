// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mdevctl definition files, read and written as mdevctl 1.2.0 does.
 *
 * The byte format is pinned by tests/fixtures/mdevctl/defs/ (files written
 * by mdevctl itself in the kernel-tier guest): serde_json's pretty printer
 * with two-space indent, keys mdev_type, start, attrs, `"attrs": []` when
 * empty, no trailing newline. Strings are escaped as serde_json escapes
 * them: `"` and `\`, the short escapes \b \f \n \r \t, other bytes below
 * 0x20 as \u00xx; everything else (DEL, `/`, UTF-8) raw.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"
#include "text.h"

void apmatrix_def_free(struct apmatrix_def *def)
{
	if (!def)
		return;
	for (unsigned int i = 0; i < def->attr_count; i++) {
		free(def->attrs[i].key);
		free(def->attrs[i].value);
	}
	free(def->attrs);
	free(def->type);
	free(def);
}

/* Line and column (both from 1) of byte @off in @text. */
static void text_position(const char *text, size_t off, unsigned int *line,
			  unsigned int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* A JSON string value as a C string; refuses non-strings and NULs. */
static int get_string(struct json_object *o, char **ret)
{
	const char *s;
	int n;

	if (!json_object_is_type(o, json_type_string))
		return -EINVAL;
	s = json_object_get_string(o);
	n = json_object_get_string_len(o);
	if (!s || n < 0 || strlen(s) != (size_t)n)
		return -EINVAL;
	*ret = strdup(s);
	return *ret ? 0 : -ENOMEM;
}

static const char *json_type_text(struct json_object *o)
{
	return json_type_to_name(json_object_get_type(o));
}

static int parse_attrs(struct json_object *attrs, struct apmatrix_def *def,
		       char *why, size_t why_size)
{
	size_t n;

	if (!attrs || json_object_is_type(attrs, json_type_null))
		return 0;
	if (!json_object_is_type(attrs, json_type_array)) {
		snprintf(why, why_size, "attrs: an array expected, found %s",
			 json_type_text(attrs));
		return -EINVAL;
	}
	n = json_object_array_length(attrs);
	if (n == 0)
		return 0;
	def->attrs = calloc(n, sizeof(*def->attrs));
	if (!def->attrs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *a = json_object_array_get_idx(attrs, i);
		struct apmatrix_def_attr *at = &def->attrs[i];
		int r;

		if (!json_object_is_type(a, json_type_object)) {
			snprintf(why, why_size,
				 "attrs[%zu]: an object expected, found %s", i,
				 json_type_text(a));
			return -EINVAL;
		}
		if (json_object_object_length(a) != 1) {
			snprintf(why, why_size,
				 "attrs[%zu]: exactly one attribute per object "
				 "expected, found %d",
				 i, json_object_object_length(a));
			return -EINVAL;
		}
		json_object_object_foreach(a, key, val)
		{
			at->key = strdup(key);
			if (!at->key)
				return -ENOMEM;
			/* Counted now, so a bad value below frees the key. */
			def->attr_count = (unsigned int)i + 1;
			r = get_string(val, &at->value);
			if (r == -ENOMEM)
				return r;
			if (r < 0) {
				char q[APMATRIX_QUOTE_SIZE];

				snprintf(why, why_size,
					 "attrs[%zu]: the value of %s must be "
					 "a string without NUL, found %s",
					 i,
					 apmatrix_diag_quote(q, sizeof(q), key,
							     SIZE_MAX),
					 json_type_text(val));
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int parse_object(struct json_object *root, struct apmatrix_def *def,
			char *why, size_t why_size)
{
	struct json_object *type, *start, *attrs = NULL;
	char *s;
	int r;

	if (!json_object_is_type(root, json_type_object)) {
		snprintf(why, why_size, "an object expected, found %s",
			 json_type_text(root));
		return -EINVAL;
	}
	if (!json_object_object_get_ex(root, "mdev_type", &type) ||
	    get_string(type, &def->type) < 0) {
		snprintf(why, why_size, "mdev_type: a string is required");
		return def->type ? -ENOMEM : -EINVAL;
	}
	if (!json_object_object_get_ex(root, "start", &start)) {
		snprintf(why, why_size, "start: a string is required");
		return -EINVAL;
	}
	r = get_string(start, &s);
	if (r < 0) {
		snprintf(why, why_size, "start: a string is required");
		return r;
	}
	/* mdevctl: "auto" starts automatically, anything else is manual. */
	def->autostart = strcmp(s, "auto") == 0;
	free(s);
	json_object_object_get_ex(root, "attrs", &attrs);
	return parse_attrs(attrs, def, why, why_size);
}

int apmatrix_def_parse(const char *text, size_t len, struct apmatrix_def **ret,
		       char *why, size_t why_size)
{
	struct json_tokener *tok;
	struct json_object *root;
	struct apmatrix_def *def;
	unsigned int line, col;
	size_t end;
	int r;

	if (len > (size_t)INT32_MAX) {
		snprintf(why, why_size, "too large");
		return -EINVAL;
	}
	if (memchr(text, '\0', len)) {
		size_t nul =
			(size_t)((const char *)memchr(text, '\0', len) - text);

		text_position(text, nul, &line, &col);
		snprintf(why, why_size, "line %u, column %u: NUL byte", line,
			 col);
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!root) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		if (e == json_tokener_continue)
			end = len;
		else if (end > 0)
			end--; /* the offset after the offending character */
		text_position(text, end, &line, &col);
		snprintf(why, why_size, "line %u, column %u: %s", line, col,
			 e == json_tokener_continue
				 ? "unexpected end of file"
				 : json_tokener_error_desc(e));
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	for (size_t i = end; i < len; i++) {
		if (text[i] != ' ' && text[i] != '\n' && text[i] != '\t' &&
		    text[i] != '\r') {
			text_position(text, i, &line, &col);
			snprintf(why, why_size,
				 "line %u, column %u: trailing characters",
				 line, col);
			json_object_put(root);
			return -EINVAL;
		}
	}
	def = calloc(1, sizeof(*def));
	if (!def) {
		json_object_put(root);
		return -ENOMEM;
	}
	r = parse_object(root, def, why, why_size);
	json_object_put(root);
	if (r < 0) {
		apmatrix_def_free(def);
		return r;
	}
	*ret = def;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static void put_json_string(struct apmatrix_textbuf *tb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	apmatrix_textbuf_put(tb, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		apmatrix_textbuf_put(tb, run, (size_t)(s - run));
		run = s + 1;
		esc[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			apmatrix_textbuf_put(tb, esc, 6);
			continue;
		}
		apmatrix_textbuf_put(tb, esc, 2);
	}
	apmatrix_textbuf_put(tb, run, (size_t)(s - run));
	apmatrix_textbuf_put(tb, "\"", 1);
}

static int def_format(const struct apmatrix_def *def, int pretty, char *buf,
		      size_t size)
{
	struct apmatrix_textbuf tb;
	const char *nl = pretty ? "\n" : "";
	const char *colon = pretty ? ": " : ":";

	apmatrix_textbuf_init(&tb, buf, size);
	apmatrix_textbuf_printf(&tb, "{%s%s\"mdev_type\"%s", nl,
				pretty ? "  " : "", colon);
	put_json_string(&tb, def->type ? def->type : "");
	apmatrix_textbuf_printf(&tb, ",%s%s\"start\"%s\"%s\",%s%s\"attrs\"%s[",
				nl, pretty ? "  " : "", colon,
				def->autostart ? "auto" : "manual", nl,
				pretty ? "  " : "", colon);
	for (unsigned int i = 0; i < def->attr_count; i++) {
		if (pretty)
			apmatrix_textbuf_printf(&tb, "%s\n    {\n      ",
						i ? "," : "");
		else
			apmatrix_textbuf_printf(&tb, "%s{", i ? "," : "");
		put_json_string(&tb, def->attrs[i].key);
		apmatrix_textbuf_put(&tb, colon, strlen(colon));
		put_json_string(&tb, def->attrs[i].value);
		apmatrix_textbuf_printf(&tb, "%s}", pretty ? "\n    " : "");
	}
	if (pretty && def->attr_count)
		apmatrix_textbuf_put(&tb, "\n  ", 3);
	apmatrix_textbuf_printf(&tb, "]%s}", nl);
	return apmatrix_textbuf_finish(&tb);
}

int apmatrix_def_format(const struct apmatrix_def *def, char *buf, size_t size)
{
	return def_format(def, 1, buf, size);
}

int apmatrix_def_format_compact(const struct apmatrix_def *def, char *buf,
				size_t size)
{
	return def_format(def, 0, buf, size);
}

/* ------------------------------------------------------------------ */
/* The matrix the attrs give                                           */

enum attr_kind { ATTR_UNKNOWN, ATTR_ASSIGN, ATTR_UNASSIGN, ATTR_AP_CONFIG };

/* The kind of attribute and, for (un)assign, which ID set it changes. */
static enum attr_kind attr_kind(const char *key, struct apmatrix_matrix *m,
				struct apmatrix_idset **set)
{
	static const char *const names[] = {"adapter", "domain",
					    "control_domain"};
	enum attr_kind kind;
	const char *what;

	if (strcmp(key, "ap_config") == 0)
		return ATTR_AP_CONFIG;
	if (strncmp(key, "assign_", 7) == 0) {
		kind = ATTR_ASSIGN;
		what = key + 7;
	} else if (strncmp(key, "unassign_", 9) == 0) {
		kind = ATTR_UNASSIGN;
		what = key + 9;
	} else {
		return ATTR_UNKNOWN;
	}
	for (unsigned int i = 0; i < 3; i++) {
		if (strcmp(what, names[i]) != 0)
			continue;
		if (set && m)
			*set = i == 0   ? &m->adapters
			       : i == 1 ? &m->domains
					: &m->controls;
		return kind;
	}
	return ATTR_UNKNOWN;
}

int apmatrix_def_attr_is_matrix(const char *key)
{
	return attr_kind(key, NULL, NULL) != ATTR_UNKNOWN;
}

int apmatrix_def_apply(const struct apmatrix_def *def,
		       struct apmatrix_matrix *m, apmatrix_def_problem_fn fn,
		       void *data)
{
	char q[APMATRIX_QUOTE_SIZE], what[256];
	int problems = 0;

	for (unsigned int i = 0; i < def->attr_count; i++) {
		const struct apmatrix_def_attr *a = &def->attrs[i];
		struct apmatrix_idset *set = NULL;
		struct apmatrix_number num;
		const char *v = a->value;
		int severity = 0;

		switch (attr_kind(a->key, m, &set)) {
		case ATTR_UNKNOWN:
			severity = APMATRIX_SEVERITY_WARNING;
			snprintf(what, sizeof(what),
				 "vfio_ap has no attribute %s: kept as is, "
				 "but mdevctl start fails on it",
				 apmatrix_diag_quote(q, sizeof(q), a->key,
						     SIZE_MAX));
			break;
		case ATTR_AP_CONFIG: {
			struct apmatrix_matrix tmp;

			apmatrix_matrix_init_embedded(&tmp, NULL, NULL, NULL,
						      NULL);
			if (apmatrix_matrix_parse(&tmp, v,
						  APMATRIX_MATRIX_AP_CONFIG,
						  0) < 0) {
				severity = APMATRIX_SEVERITY_ERROR;
				snprintf(what, sizeof(what),
					 "ap_config %s is not three masks: "
					 "the kernel refuses it and mdevctl "
					 "start fails here",
					 apmatrix_diag_quote(q, sizeof(q), v,
							     SIZE_MAX));
				break;
			}
			m->adapters.bits = tmp.adapters.bits;
			m->domains.bits = tmp.domains.bits;
			m->controls.bits = tmp.controls.bits;
			break;
		}
		case ATTR_ASSIGN:
		case ATTR_UNASSIGN:
			/* kstrtoul(buf, 0): one optional '+', the number,
			 * one optional newline. */
			apmatrix_read_number(v + (*v == '+'), &num);
			if (num.len == 0 ||
			    strcmp(v + (*v == '+') + num.len,
				   v[(*v == '+') + num.len] == '\n'
					   ? "\n"
					   : "") != 0) {
				severity = APMATRIX_SEVERITY_ERROR;
				snprintf(what, sizeof(what),
					 "%s %s is not a number the kernel "
					 "reads (base 0): mdevctl start "
					 "fails here",
					 a->key,
					 apmatrix_diag_quote(q, sizeof(q), v,
							     SIZE_MAX));
				break;
			}
			if (num.overflow || num.value > 255) {
				severity = APMATRIX_SEVERITY_ERROR;
				snprintf(what, sizeof(what),
					 "%s %s: ID over 255, the kernel "
					 "refuses it (ENODEV)",
					 a->key,
					 apmatrix_diag_quote(q, sizeof(q), v,
							     SIZE_MAX));
				break;
			}
			if (attr_kind(a->key, NULL, NULL) == ATTR_ASSIGN)
				bits_set(&set->bits, (unsigned int)num.value);
			else
				bits_clear(&set->bits, (unsigned int)num.value);
			if (num.octal) {
				severity = APMATRIX_SEVERITY_WARNING;
				snprintf(what, sizeof(what),
					 "%s %s is octal %lu (a leading 0 "
					 "makes the kernel read octal)",
					 a->key,
					 apmatrix_diag_quote(q, sizeof(q), v,
							     SIZE_MAX),
					 num.value);
			}
			break;
		}
		if (severity) {
			problems++;
			if (fn)
				fn(data, severity, i, what);
		}
	}
	return problems;
}

static int add_attr(struct apmatrix_def_attr **list, unsigned int *n,
		    const char *key, const char *value)
{
	struct apmatrix_def_attr *a = &(*list)[*n];

	a->key = strdup(key);
	a->value = strdup(value);
	if (!a->key || !a->value) {
		free(a->key);
		free(a->value);
		return -ENOMEM;
	}
	(*n)++;
	return 0;
}

static int add_canonical(struct apmatrix_def_attr **list, unsigned int *n,
			 const struct apmatrix_matrix *m)
{
	char v[8];
	int r = 0;

	bits_foreach (id, &m->adapters.bits) {
		snprintf(v, sizeof(v), "0x%02x", (unsigned int)id);
		r = r ? r : add_attr(list, n, "assign_adapter", v);
	}
	bits_foreach (id, &m->domains.bits) {
		snprintf(v, sizeof(v), "0x%04x", (unsigned int)id);
		r = r ? r : add_attr(list, n, "assign_domain", v);
	}
	bits_foreach (id, &m->controls.bits) {
		snprintf(v, sizeof(v), "0x%04x", (unsigned int)id);
		r = r ? r : add_attr(list, n, "assign_control_domain", v);
	}
	return r;
}

int apmatrix_def_set_matrix(struct apmatrix_def *def,
			    const struct apmatrix_matrix *m)
{
	struct apmatrix_matrix cur;
	struct apmatrix_def_attr *list;
	unsigned int n = 0, max;
	int placed, r = 0;

	apmatrix_matrix_init_embedded(&cur, NULL, NULL, NULL, NULL);
	apmatrix_def_apply(def, &cur, NULL, NULL);
	if (bits_equal(&cur.adapters.bits, &m->adapters.bits) &&
	    bits_equal(&cur.domains.bits, &m->domains.bits) &&
	    bits_equal(&cur.controls.bits, &m->controls.bits))
		return 0;
	max = def->attr_count + bits_count(&m->adapters.bits) +
	      bits_count(&m->domains.bits) + bits_count(&m->controls.bits);
	list = calloc(max ? max : 1, sizeof(*list));
	if (!list)
		return -ENOMEM;
	/* Without matrix attrs so far the assignments go first. */
	placed = 1;
	for (unsigned int i = 0; i < def->attr_count; i++)
		if (apmatrix_def_attr_is_matrix(def->attrs[i].key))
			placed = 0;
	if (placed)
		r = add_canonical(&list, &n, m);
	for (unsigned int i = 0; i < def->attr_count && !r; i++) {
		if (!apmatrix_def_attr_is_matrix(def->attrs[i].key)) {
			r = add_attr(&list, &n, def->attrs[i].key,
				     def->attrs[i].value);
		} else if (!placed) {
			placed = 1;
			r = add_canonical(&list, &n, m);
		}
	}
	if (r) {
		for (unsigned int i = 0; i < n; i++) {
			free(list[i].key);
			free(list[i].value);
		}
		free(list);
		return r;
	}
	for (unsigned int i = 0; i < def->attr_count; i++) {
		free(def->attrs[i].key);
		free(def->attrs[i].value);
	}
	free(def->attrs);
	def->attrs = list;
	def->attr_count = n;
	return 0;
}
