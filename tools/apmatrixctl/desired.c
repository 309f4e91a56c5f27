/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The desired-state file of `apmatrixctl plan` and `apply` (schema in
 * apmatrixctl(8), DESIRED STATE), read into a library target:
 *
 *   {"mdevs": [{"uuid": U, "adapters": IDS, "domains": IDS,
 *               "control_domains": IDS} | {"uuid": U, "state": "absent"}],
 *    "reserve": [{"adapters": IDS, "domains": IDS}],
 *    "release": [{"adapters": IDS, "domains": IDS}],
 *    "masks": {"apmask": IDS, "aqmask": IDS}}
 *
 * IDS is a list text ("4-6,0x0a"), a full mask ("0x" + 64 hex digits) or
 * an array of numbers. Every key is optional; unknown keys are refused.
 */
#include <errno.h>
#include <string.h>

#include "ctl.h"

struct desired {
	struct ctl *ctl;
	const char *file;
	char where[128];
};

static int bad(struct desired *d, const char *fmt, const char *what)
{
	ctl_err(d->ctl, "see DESIRED STATE in apmatrixctl(8)", "%s: %s: %s%s",
		d->file, d->where, fmt, what ? what : "");
	return CTL_EXIT_USAGE;
}

static int ids(struct desired *d, struct json_object *v,
	       struct apmatrix_idset *set)
{
	if (json_object_is_type(v, json_type_string)) {
		const char *t = json_object_get_string(v);
		unsigned int syntax = APMATRIX_SYNTAX_LIST;

		if (t[0] == '+' || t[0] == '-')
			return bad(d,
				   "relative edits have no place in a desired "
				   "state: ",
				   t);
		if (strlen(t) == 66 && t[0] == '0' &&
		    (t[1] == 'x' || t[1] == 'X'))
			syntax = APMATRIX_SYNTAX_MASK;
		if (apmatrix_idset_parse(set, t, syntax, 0) < 0)
			return bad(d, apmatrix_get_diagnostic(d->ctl->ctx),
				   NULL);
		return CTL_EXIT_OK;
	}
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			int64_t id = json_object_get_int64(e);

			if (!json_object_is_type(e, json_type_int) || id < 0 ||
			    id > 255)
				return bad(d, "IDs are numbers 0-255, got ",
					   json_object_to_json_string(e));
			apmatrix_idset_set(set, (unsigned int)id);
		}
		return CTL_EXIT_OK;
	}
	return bad(d, "want a list text, a mask or an array of IDs, got ",
		   json_object_to_json_string(v));
}

/* The keys of @p obj must be among @p keys (NULL-terminated). */
static int only_keys(struct desired *d, struct json_object *obj,
		     const char *const *keys)
{
	if (!json_object_is_type(obj, json_type_object))
		return bad(d, "want an object, got ",
			   json_object_to_json_string(obj));
	json_object_object_foreach(obj, key, val)
	{
		int ok = 0;

		(void)val;
		for (const char *const *k = keys; *k; k++)
			if (!strcmp(*k, key))
				ok = 1;
		if (!ok)
			return bad(d, "unknown key ", key);
	}
	return CTL_EXIT_OK;
}

static int matrix_of(struct desired *d, struct json_object *obj,
		     struct apmatrix_matrix *m, int control)
{
	static const char *const names[] = {"adapters", "domains",
					    "control_domains"};
	struct apmatrix_idset *sets[] = {
		apmatrix_matrix_get_adapters(m),
		apmatrix_matrix_get_usage_domains(m),
		apmatrix_matrix_get_control_domains(m)};
	size_t len = strlen(d->where);
	int r = CTL_EXIT_OK;

	for (int k = 0; r == CTL_EXIT_OK && k < (control ? 3 : 2); k++) {
		struct json_object *v;

		if (!json_object_object_get_ex(obj, names[k], &v))
			continue;
		snprintf(d->where + len, sizeof(d->where) - len, ".%s",
			 names[k]);
		r = ids(d, v, sets[k]);
		d->where[len] = '\0';
	}
	return r;
}

static int each(struct desired *d, struct json_object *top, const char *key,
		struct apmatrix_target *t,
		int (*fn)(struct desired *, struct json_object *,
			  struct apmatrix_target *))
{
	struct json_object *arr;
	int r = CTL_EXIT_OK;

	if (!json_object_object_get_ex(top, key, &arr))
		return CTL_EXIT_OK;
	snprintf(d->where, sizeof(d->where), "%s", key);
	if (!json_object_is_type(arr, json_type_array))
		return bad(d, "want an array", NULL);
	for (size_t i = 0;
	     r == CTL_EXIT_OK && i < json_object_array_length(arr); i++) {
		snprintf(d->where, sizeof(d->where), "%s[%zu]", key, i);
		r = fn(d, json_object_array_get_idx(arr, i), t);
	}
	return r;
}

static int one_mdev(struct desired *d, struct json_object *o,
		    struct apmatrix_target *t)
{
	static const char *const keys[] = {"uuid",    "adapters",
					   "domains", "control_domains",
					   "state",   NULL};
	struct apmatrix_matrix *m = NULL;
	struct json_object *u, *st;
	int r = only_keys(d, o, keys), e;

	if (r != CTL_EXIT_OK)
		return r;
	if (!json_object_object_get_ex(o, "uuid", &u) ||
	    !json_object_is_type(u, json_type_string))
		return bad(d, "each mdev needs a \"uuid\" string", NULL);
	if (json_object_object_get_ex(o, "state", &st)) {
		const char *s = json_object_get_string(st);

		if (strcmp(s, "absent") && strcmp(s, "present"))
			return bad(d,
				   "state is \"present\" or \"absent\", got ",
				   s);
		if (!strcmp(s, "absent")) {
			e = apmatrix_target_remove_mdev(
				t, json_object_get_string(u), 0);
			return e < 0 ? bad(d,
					   apmatrix_get_diagnostic(d->ctl->ctx),
					   NULL)
				     : CTL_EXIT_OK;
		}
	}
	if (apmatrix_matrix_new(d->ctl->ctx, &m) < 0)
		return bad(d, "out of memory", NULL);
	r = matrix_of(d, o, m, 1);
	if (r == CTL_EXIT_OK) {
		e = apmatrix_target_set_mdev(t, json_object_get_string(u), m,
					     0);
		if (e < 0)
			r = bad(d, apmatrix_get_diagnostic(d->ctl->ctx), NULL);
	}
	apmatrix_matrix_unref(m);
	return r;
}

static int pool(struct desired *d, struct json_object *o,
		struct apmatrix_target *t, int to_vfio)
{
	static const char *const keys[] = {"adapters", "domains", NULL};
	struct apmatrix_matrix *m = NULL;
	int r = only_keys(d, o, keys), e;

	if (r != CTL_EXIT_OK)
		return r;
	if (apmatrix_matrix_new(d->ctl->ctx, &m) < 0)
		return bad(d, "out of memory", NULL);
	r = matrix_of(d, o, m, 0);
	if (r == CTL_EXIT_OK) {
		e = to_vfio ? apmatrix_target_give_to_vfio(t, m, 0)
			    : apmatrix_target_give_to_host(t, m, 0);
		if (e < 0)
			r = bad(d, apmatrix_get_diagnostic(d->ctl->ctx), NULL);
	}
	apmatrix_matrix_unref(m);
	return r;
}

static int reserve(struct desired *d, struct json_object *o,
		   struct apmatrix_target *t)
{
	return pool(d, o, t, 1);
}

static int release(struct desired *d, struct json_object *o,
		   struct apmatrix_target *t)
{
	return pool(d, o, t, 0);
}

static int masks(struct desired *d, struct json_object *top,
		 struct apmatrix_target *t)
{
	static const char *const keys[] = {"apmask", "aqmask", NULL};
	struct apmatrix_idset *ap = NULL, *aq = NULL;
	struct json_object *o, *v;
	int r, e;

	if (!json_object_object_get_ex(top, "masks", &o))
		return CTL_EXIT_OK;
	snprintf(d->where, sizeof(d->where), "masks");
	r = only_keys(d, o, keys);
	if (r != CTL_EXIT_OK)
		return r;
	if (!json_object_object_get_ex(o, "apmask", &v) ||
	    !json_object_object_get_ex(o, "aqmask", &v))
		return bad(d, "give both apmask and aqmask", NULL);
	if (apmatrix_idset_new(d->ctl->ctx, &ap) < 0 ||
	    apmatrix_idset_new(d->ctl->ctx, &aq) < 0)
		r = bad(d, "out of memory", NULL);
	snprintf(d->where, sizeof(d->where), "masks.apmask");
	if (r == CTL_EXIT_OK)
		r = ids(d, json_object_object_get(o, "apmask"), ap);
	snprintf(d->where, sizeof(d->where), "masks.aqmask");
	if (r == CTL_EXIT_OK)
		r = ids(d, json_object_object_get(o, "aqmask"), aq);
	if (r == CTL_EXIT_OK) {
		e = apmatrix_target_set_masks(t, ap, aq, 0);
		if (e < 0)
			r = bad(d, apmatrix_get_diagnostic(d->ctl->ctx), NULL);
	}
	apmatrix_idset_unref(ap);
	apmatrix_idset_unref(aq);
	return r;
}

int ctl_read_desired(struct ctl *ctl, const char *file,
		     struct apmatrix_target **ret)
{
	static const char *const keys[] = {"mdevs", "reserve", "release",
					   "masks", NULL};
	struct desired d = {ctl, file, "top level"};
	struct apmatrix_target *t = NULL;
	struct json_object *top;
	int r, e;

	top = json_object_from_file(strcmp(file, "-") ? file : "/dev/stdin");
	if (!top) {
		ctl_err(ctl,
			"the file must be JSON, see DESIRED STATE in "
			"apmatrixctl(8)",
			"%s: %s", file, json_util_get_last_err());
		return CTL_EXIT_USAGE;
	}
	e = apmatrix_target_new(ctl->ctx, &t);
	if (e < 0) {
		json_object_put(top);
		return ctl_lib_err(ctl, e, NULL, "target");
	}
	r = only_keys(&d, top, keys);
	if (r == CTL_EXIT_OK)
		r = each(&d, top, "mdevs", t, one_mdev);
	if (r == CTL_EXIT_OK)
		r = each(&d, top, "reserve", t, reserve);
	if (r == CTL_EXIT_OK)
		r = each(&d, top, "release", t, release);
	if (r == CTL_EXIT_OK)
		r = masks(&d, top, t);
	json_object_put(top);
	if (r != CTL_EXIT_OK) {
		apmatrix_target_unref(t);
		return r;
	}
	*ret = t;
	return CTL_EXIT_OK;
}
