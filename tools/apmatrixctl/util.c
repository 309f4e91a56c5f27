/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* apmatrixctl: reading, checking and presenting what the library gives. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

const char *ctl_severity_name(int severity)
{
	switch (severity) {
	case APMATRIX_SEVERITY_ERROR:
		return "error";
	case APMATRIX_SEVERITY_WARNING:
		return "warning";
	case APMATRIX_SEVERITY_INFO:
		return "info";
	default:
		return "none";
	}
}

int ctl_severity_exit(int severity)
{
	switch (severity) {
	case APMATRIX_SEVERITY_ERROR:
		return CTL_EXIT_ERRORS;
	case APMATRIX_SEVERITY_WARNING:
		return CTL_EXIT_WARNINGS;
	default:
		return CTL_EXIT_OK;
	}
}

const char *ctl_mode_name(int mode)
{
	switch (mode) {
	case APMATRIX_MODE_ACCEL:
		return "Accelerator";
	case APMATRIX_MODE_CCA:
		return "CCA-Coproc";
	case APMATRIX_MODE_EP11:
		return "EP11-Coproc";
	default:
		return "-";
	}
}

const char *ctl_driver_name(int driver)
{
	switch (driver) {
	case APMATRIX_DRIVER_VFIO_AP:
		return "vfio_ap";
	case APMATRIX_DRIVER_DEFAULT:
		return "host";
	default:
		return "none";
	}
}

const char *ctl_queue_status_name(int status)
{
	switch (status) {
	case APMATRIX_QUEUE_UNASSIGNED:
		return "unassigned";
	case APMATRIX_QUEUE_ASSIGNED:
		return "assigned";
	case APMATRIX_QUEUE_IN_USE:
		return "in use";
	default:
		return NULL;
	}
}

const char *ctl_role_name(int role)
{
	switch (role) {
	case APMATRIX_ROLE_LIVE:
		return "live";
	case APMATRIX_ROLE_DEFINED:
		return "defined";
	case APMATRIX_ROLE_GUEST:
		return "guest";
	default:
		return "unknown";
	}
}

/*
 * IDs as hex ranges ("0x04-0x06,0x0a"; domains with four digits as in an
 * APQN), a text the --adapters/--domains options read back.
 */
void ctl_format_ids(const struct apmatrix_idset *set, int domains, char *buf,
		    size_t size)
{
	const int width = domains ? 4 : 2;
	size_t n = 0;
	int id;

	buf[0] = '\0';
	for (id = apmatrix_idset_next(set, 0); id >= 0;) {
		int last = id;
		int w;

		while (last < 255 && apmatrix_idset_test(set, last + 1))
			last++;
		if (last == id)
			w = snprintf(buf + n, size - n, "%s0x%0*x",
				     n ? "," : "", width, id);
		else
			w = snprintf(buf + n, size - n, "%s0x%0*x-0x%0*x",
				     n ? "," : "", width, id, width, last);
		if (w < 0 || (size_t)w >= size - n) {
			if (size > 4)
				strcpy(buf + size - 4, "...");
			return;
		}
		n += (size_t)w;
		id = last < 255
			     ? apmatrix_idset_next(set, (unsigned int)last + 1)
			     : -ENOENT;
	}
	if (!n && size > 1)
		strcpy(buf, "-");
}

int ctl_print_json(struct ctl *ctl, struct json_object *obj)
{
	const char *text = json_object_to_json_string_ext(
		obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!text) {
		ctl_err(ctl, NULL, "out of memory");
		return CTL_EXIT_FAILED;
	}
	puts(text);
	return CTL_EXIT_OK;
}

struct json_object *ctl_json_ids(const struct apmatrix_idset *set)
{
	struct json_object *arr = json_object_new_array();

	for (int id = apmatrix_idset_next(set, 0); id >= 0;
	     id = apmatrix_idset_next(set, (unsigned int)id + 1))
		json_object_array_add(arr, json_object_new_int(id));
	return arr;
}

struct json_object *ctl_json_matrix(struct apmatrix_matrix *matrix)
{
	struct json_object *obj, *apqns;
	char buf[8];

	if (!matrix)
		return NULL;
	obj = json_object_new_object();
	json_object_object_add(
		obj, "adapters",
		ctl_json_ids(apmatrix_matrix_get_adapters(matrix)));
	json_object_object_add(
		obj, "usage_domains",
		ctl_json_ids(apmatrix_matrix_get_usage_domains(matrix)));
	json_object_object_add(
		obj, "control_domains",
		ctl_json_ids(apmatrix_matrix_get_control_domains(matrix)));
	apqns = json_object_new_array();
	for (int q = apmatrix_matrix_next_apqn(matrix, 0); q >= 0;
	     q = apmatrix_matrix_next_apqn(matrix, (unsigned int)q + 1)) {
		apmatrix_apqn_format((unsigned int)q, 0, buf, sizeof(buf));
		json_object_array_add(apqns, json_object_new_string(buf));
	}
	json_object_object_add(obj, "apqns", apqns);
	return obj;
}

/* The library's own report JSON, parsed so it can be embedded. */
struct json_object *ctl_json_report(struct ctl *ctl,
				    const struct apmatrix_report *report)
{
	struct json_object *obj;
	char *text;
	int len;

	len = apmatrix_report_format_json(report, 0, NULL, 0);
	if (len < 0)
		return NULL;
	text = malloc((size_t)len + 1);
	if (!text)
		return NULL;
	apmatrix_report_format_json(report, 0, text, (size_t)len + 1);
	obj = json_tokener_parse(text);
	free(text);
	if (!obj)
		ctl_err(ctl, NULL, "the library's report JSON did not parse");
	return obj;
}

int ctl_read_host(struct ctl *ctl, unsigned int flags,
		  struct apmatrix_host **ret)
{
	int r = apmatrix_host_read(ctl->ctx, flags, ret);

	if (r == -ENODEV) {
		ctl_err(ctl,
			"on an IBM Z host, load the AP bus and vfio_ap "
			"(modprobe vfio_ap); elsewhere use --root DIR with a "
			"directory from 'apmatrixctl capture'",
			"no AP bus under %s (bus/ap is missing)",
			apmatrix_get_root(ctl->ctx, APMATRIX_ROOT_SYSFS));
		return CTL_EXIT_FAILED;
	}
	if (r < 0)
		return ctl_lib_err(
			ctl, r, NULL, "reading the host under %s",
			apmatrix_get_root(ctl->ctx, APMATRIX_ROOT_SYSFS));
	return CTL_EXIT_OK;
}

int ctl_read_store(struct ctl *ctl, struct apmatrix_store **ret)
{
	int r = apmatrix_store_read(ctl->ctx, 0, ret);

	if (r < 0)
		return ctl_lib_err(
			ctl, r, NULL, "reading the definitions under %s",
			apmatrix_get_root(ctl->ctx, APMATRIX_ROOT_ETC));
	return CTL_EXIT_OK;
}

/*
 * The whole-host check: the live mdevs of the host, then @p extra (a
 * proposed definition that stands in for the stored one of its UUID), then
 * the stored definitions and persistent masks.
 */
int ctl_run_check(struct ctl *ctl, struct apmatrix_host *host,
		  struct apmatrix_store *store, struct apmatrix_mdev *extra,
		  struct apmatrix_report **ret)
{
	struct apmatrix_check *check = NULL;
	int r;

	r = apmatrix_check_new(ctl->ctx, &check);
	if (r >= 0 && host)
		r = apmatrix_check_set_host(check, host);
	for (unsigned int i = 0;
	     r >= 0 && host && i < apmatrix_host_get_mdev_count(host); i++)
		r = apmatrix_check_add_mdev(check,
					    apmatrix_host_get_mdev(host, i));
	if (r >= 0 && extra)
		r = apmatrix_check_add_mdev(check, extra);
	if (r >= 0 && store)
		r = apmatrix_check_add_store(check, store, 0);
	if (r >= 0)
		r = apmatrix_check_run(check, 0, ret);
	apmatrix_check_unref(check);
	if (r < 0)
		return ctl_lib_err(ctl, r, NULL, "checking the host");
	return CTL_EXIT_OK;
}

int ctl_parse_ids(struct ctl *ctl, struct apmatrix_idset *set, const char *what,
		  const char *text)
{
	/* A full mask (0x + 64 digits) is a mask; otherwise a list, or
	 * relative edits of the current set when it starts with + or -. */
	unsigned int syntax = APMATRIX_SYNTAX_CHZDEV;
	int r;

	if (strlen(text) == 66 && text[0] == '0' &&
	    (text[1] == 'x' || text[1] == 'X'))
		syntax = APMATRIX_SYNTAX_MASK;
	r = apmatrix_idset_parse(set, text, syntax, 0);
	if (r < 0) {
		ctl_lib_err(ctl, r,
			    "IDs are 0-255: a list '4-6,0x0a', relative edits "
			    "'+0x47,-5', or a mask of 64 hex digits",
			    "--%s %s", what, text);
		return CTL_EXIT_USAGE;
	}
	if (r & APMATRIX_WARN_OCTAL)
		fprintf(stderr, "apmatrixctl %s: warning: --%s %s: %s\n",
			ctl->verb, what, text,
			apmatrix_get_diagnostic(ctl->ctx));
	return CTL_EXIT_OK;
}

int ctl_valid_uuid(struct ctl *ctl, const char *uuid)
{
	struct apmatrix_mdev *m = NULL;
	int r = apmatrix_mdev_new(ctl->ctx, uuid, &m);

	apmatrix_mdev_unref(m);
	if (r < 0) {
		ctl_lib_err(ctl, r, "a UUID is 8-4-4-4-12 hex digits",
			    "bad UUID");
		return 0;
	}
	return 1;
}

int ctl_new_uuid(char *buf, size_t size)
{
	ssize_t n;
	int fd = open("/proc/sys/kernel/random/uuid", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || size < 37)
		return -errno;
	n = read(fd, buf, 36);
	close(fd);
	if (n != 36)
		return -EIO;
	buf[36] = '\0';
	return 0;
}
