/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl export UUID --qemu | --libvirt | --hostdev: what QEMU and
 * libvirt need to use an mdev. The attribute list is the library's own
 * definition text (apmatrix_store_format_definition()), so libvirt gets
 * exactly what mdevctl would store.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

enum { OPT_QEMU = CTL_OPT_VERB, OPT_LIBVIRT, OPT_HOSTDEV };

static int export_opt(struct ctl *ctl, int c, const char *arg, void *data)
{
	int *what = data;

	if (c < OPT_QEMU || c > OPT_HOSTDEV)
		return CTL_EXIT_USAGE;
	if (*what && *what != c)
		return ctl_usage_err(
			ctl, "give one of --qemu, --libvirt, --hostdev");
	*what = c;
	return 0;
}

/* XML text: the attribute values are ours (hex numbers), but escape
 * anyway so a stored definition cannot break the document. */
static void xml_text(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", stdout);
			break;
		case '<':
			fputs("&lt;", stdout);
			break;
		case '>':
			fputs("&gt;", stdout);
			break;
		case '\'':
			fputs("&apos;", stdout);
			break;
		case '"':
			fputs("&quot;", stdout);
			break;
		default:
			putchar(*s);
		}
	}
}

static int print_nodedev(struct ctl *ctl, struct apmatrix_store *store,
			 struct apmatrix_mdev *mdev)
{
	struct json_object *def, *attrs;
	char *text;
	int len;

	len = apmatrix_store_format_definition(store, mdev, 0, NULL, 0);
	if (len < 0)
		return ctl_lib_err(ctl, len, NULL, "the definition of %s",
				   apmatrix_mdev_get_uuid(mdev));
	text = malloc((size_t)len + 1);
	if (!text) {
		ctl_err(ctl, NULL, "out of memory");
		return CTL_EXIT_FAILED;
	}
	apmatrix_store_format_definition(store, mdev, 0, text, (size_t)len + 1);
	def = json_tokener_parse(text);
	free(text);
	attrs = def ? json_object_object_get(def, "attrs") : NULL;
	printf("<device>\n  <parent>ap_matrix</parent>\n"
	       "  <capability type='mdev'>\n"
	       "    <type id='");
	xml_text(apmatrix_mdev_get_type(mdev));
	printf("'/>\n    <uuid>%s</uuid>\n", apmatrix_mdev_get_uuid(mdev));
	for (size_t i = 0; attrs && i < json_object_array_length(attrs); i++) {
		json_object_object_foreach(json_object_array_get_idx(attrs, i),
					   key, val)
		{
			printf("    <attr name='");
			xml_text(key);
			printf("' value='");
			xml_text(json_object_get_string(val));
			printf("'/>\n");
		}
	}
	printf("  </capability>\n</device>\n");
	json_object_put(def);
	return CTL_EXIT_OK;
}

static int run_export(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{"qemu", no_argument, NULL, OPT_QEMU},
		{"libvirt", no_argument, NULL, OPT_LIBVIRT},
		{"hostdev", no_argument, NULL, OPT_HOSTDEV},
		CTL_COMMON_OPTIONS,
		{NULL, 0, NULL, 0}};
	struct apmatrix_store *store = NULL;
	struct apmatrix_host *host = NULL;
	struct apmatrix_mdev *def = NULL, *live = NULL, *tmp = NULL;
	int first, r, what = 0;
	const char *uuid;

	first = ctl_parse(ctl, argc, argv, opts, export_opt, &what);
	if (first < 0)
		return -first - 1;
	r = ctl_operands(ctl, argc, first, 1, 1);
	if (r)
		return r;
	if (!what)
		return ctl_usage_err(ctl,
				     "give --qemu, --libvirt or --hostdev");
	if (!ctl_valid_uuid(ctl, argv[first]))
		return CTL_EXIT_USAGE;
	r = apmatrix_mdev_new(ctl->ctx, argv[first], &tmp);
	if (r < 0)
		return ctl_lib_err(ctl, r, NULL, "%s", argv[first]);
	uuid = apmatrix_mdev_get_uuid(tmp);
	r = ctl_read_store(ctl, &store);
	if (r == CTL_EXIT_OK)
		r = ctl_read_host(ctl, APMATRIX_READ_MDEVS, &host);
	if (r != CTL_EXIT_OK)
		goto out;
	def = apmatrix_store_find_mdev(store, uuid);
	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(host); i++)
		if (!strcmp(apmatrix_mdev_get_uuid(
				    apmatrix_host_get_mdev(host, i)),
			    uuid))
			live = apmatrix_host_get_mdev(host, i);
	if (!def && !live) {
		ctl_err(ctl, "'apmatrixctl list --mdevs' lists the mdevs",
			"no mdev %s: neither live nor defined", uuid);
		r = CTL_EXIT_FAILED;
		goto out;
	}
	switch (what) {
	case OPT_QEMU:
		/* QEMU runs on the host: the path is the real one. */
		printf("-device vfio-ap,sysfsdev=/sys/bus/mdev/devices/%s\n",
		       uuid);
		break;
	case OPT_HOSTDEV:
		printf("<hostdev mode='subsystem' type='mdev' "
		       "model='vfio-ap'>\n"
		       "  <source>\n    <address uuid='%s'/>\n  </source>\n"
		       "</hostdev>\n",
		       uuid);
		break;
	default:
		if (!def) {
			/* A live mdev without a definition: define what is
			 * live. */
			r = apmatrix_mdev_add_config(tmp, APMATRIX_ROLE_DEFINED,
						     0);
			if (r >= 0)
				r = apmatrix_matrix_assign(
					apmatrix_mdev_get_matrix(
						tmp, APMATRIX_ROLE_DEFINED),
					apmatrix_mdev_get_matrix(
						live, APMATRIX_ROLE_LIVE));
			if (r < 0) {
				r = ctl_lib_err(ctl, r, NULL, "%s", uuid);
				goto out;
			}
			def = tmp;
		}
		r = print_nodedev(ctl, store, def);
	}
out:
	apmatrix_host_unref(host);
	apmatrix_store_unref(store);
	apmatrix_mdev_unref(tmp);
	return r;
}

const struct ctl_verb ctl_verb_export = {
	"export", "what QEMU or libvirt needs to use an mdev",
	"export UUID --qemu | --libvirt | --hostdev", run_export};
