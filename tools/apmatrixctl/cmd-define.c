/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl define, modify, undefine: persistent definitions as mdevctl
 * stores them. A change is checked against the whole host under the
 * s390apconfig lock before anything is written, as ap-check does.
 */
#include <errno.h>
#include <string.h>

#include "common.h"

#define LOCK_TIMEOUT_MS 95000 /* as s390-tools wait for the lock */

struct def_opts {
	const char *adapters, *domains, *control;
	int autostart; /* -1: not given */
};

enum {
	OPT_ADAPTERS = CTL_OPT_VERB,
	OPT_DOMAINS,
	OPT_CONTROL,
	OPT_AUTO,
	OPT_MANUAL
};

static const struct option def_options[] = {
	{"adapters", required_argument, NULL, OPT_ADAPTERS},
	{"domains", required_argument, NULL, OPT_DOMAINS},
	{"control-domains", required_argument, NULL, OPT_CONTROL},
	{"auto", no_argument, NULL, OPT_AUTO},
	{"manual", no_argument, NULL, OPT_MANUAL},
	CTL_COMMON_OPTIONS,
	{NULL, 0, NULL, 0}};

static int def_opt(struct ctl *ctl, int c, const char *arg, void *data)
{
	struct def_opts *o = data;

	switch (c) {
	case OPT_ADAPTERS:
		o->adapters = arg;
		return 0;
	case OPT_DOMAINS:
		o->domains = arg;
		return 0;
	case OPT_CONTROL:
		o->control = arg;
		return 0;
	case OPT_AUTO:
	case OPT_MANUAL:
		o->autostart = c == OPT_AUTO;
		return 0;
	default:
		return CTL_EXIT_USAGE;
	}
}

/* Apply the options to the definition's matrix: lists replace a set,
 * relative edits (+N,-M) change it. */
static int apply_options(struct ctl *ctl, const struct def_opts *o,
			 struct apmatrix_mdev *mdev)
{
	struct apmatrix_matrix *m =
		apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_DEFINED);
	int r = CTL_EXIT_OK;

	if (o->adapters)
		r = ctl_parse_ids(ctl, apmatrix_matrix_get_adapters(m),
				  "adapters", o->adapters);
	if (r == CTL_EXIT_OK && o->domains)
		r = ctl_parse_ids(ctl, apmatrix_matrix_get_usage_domains(m),
				  "domains", o->domains);
	if (r == CTL_EXIT_OK && o->control)
		r = ctl_parse_ids(ctl, apmatrix_matrix_get_control_domains(m),
				  "control-domains", o->control);
	if (r == CTL_EXIT_OK && o->autostart >= 0) {
		int e = apmatrix_mdev_set_autostart(mdev, o->autostart);

		if (e < 0)
			r = ctl_lib_err(ctl, e, NULL, "start mode");
	}
	return r;
}

int ctl_lock(struct ctl *ctl, struct apmatrix_lock **lock)
{
	int r;

	r = apmatrix_lock_acquire(ctl->ctx, 0, 0, lock);
	if (r == -ETIMEDOUT) {
		ctl_progress(ctl, "waiting for the s390apconfig lock: %s",
			     apmatrix_get_diagnostic(ctl->ctx));
		r = apmatrix_lock_acquire(ctl->ctx, LOCK_TIMEOUT_MS, 0, lock);
	}
	if (r < 0)
		return ctl_lib_err(
			ctl, r,
			"another tool (chzdev, mdevctl, apmatrixctl) "
			"holds it; try again when it has finished",
			"cannot take the s390apconfig lock under %s",
			apmatrix_get_root(ctl->ctx, APMATRIX_ROOT_RUN));
	return CTL_EXIT_OK;
}

void ctl_unlock(struct apmatrix_lock *lock)
{
	if (lock)
		apmatrix_lock_release(lock);
	apmatrix_lock_unref(lock);
}

int ctl_verdict(struct ctl *ctl, const struct apmatrix_report *report,
		const char *uuid, int role)
{
	int max = 0;

	for (unsigned int i = 0; i < apmatrix_report_get_count(report); i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, i);
		int sev = apmatrix_finding_get_severity(f);
		int about = 0;

		for (unsigned int k = 0; k < apmatrix_finding_get_uuid_count(f);
		     k++)
			if (!strcmp(apmatrix_finding_get_uuid(f, k), uuid) &&
			    apmatrix_finding_get_role(f, k) == role)
				about = 1;
		if (!about)
			continue;
		fprintf(stderr, "  %s%-7s%s %-18s %s\n", ctl_esgr(ctl, sev),
			ctl_severity_name(sev), ctl_esgr(ctl, -2),
			apmatrix_finding_get_code_name(f),
			apmatrix_finding_get_message(f));
		if (sev == APMATRIX_SEVERITY_ERROR ||
		    (sev == APMATRIX_SEVERITY_WARNING &&
		     max != APMATRIX_SEVERITY_ERROR))
			max = sev;
	}
	return max;
}

/*
 * Under the lock: read host and store, check the proposed definition in
 * place of the stored one, refuse on errors, then write.
 */
static int checked_write(struct ctl *ctl, struct apmatrix_mdev *proposed,
			 int modify)
{
	struct apmatrix_report *report = NULL;
	struct apmatrix_store *store = NULL;
	struct apmatrix_host *host = NULL;
	struct apmatrix_lock *lock = NULL;
	const char *uuid = apmatrix_mdev_get_uuid(proposed);
	int r, sev;

	r = ctl->dry_run ? CTL_EXIT_OK : ctl_lock(ctl, &lock);
	if (r == CTL_EXIT_OK)
		r = ctl_read_host(ctl, 0, &host);
	if (r == CTL_EXIT_OK)
		r = ctl_read_store(ctl, &store);
	if (r != CTL_EXIT_OK)
		goto out;
	if (!modify && apmatrix_store_find_mdev(store, uuid)) {
		ctl_err(ctl, "change it with 'apmatrixctl modify'",
			"%s is defined already", uuid);
		r = CTL_EXIT_FAILED;
		goto out;
	}
	r = ctl_run_check(ctl, host, store, proposed, &report);
	if (r != CTL_EXIT_OK)
		goto out;
	sev = ctl_verdict(ctl, report, uuid, APMATRIX_ROLE_DEFINED);
	if (sev == APMATRIX_SEVERITY_ERROR) {
		ctl_err(ctl,
			"change the adapters or domains so no other mdev or "
			"the host pool holds them, or release them first",
			"refused: the definition of %s has the errors above; "
			"nothing was written",
			uuid);
		r = CTL_EXIT_ERRORS;
		goto out;
	}
	if (ctl->dry_run) {
		char buf[8192];
		int n = apmatrix_store_format_definition(store, proposed, 0,
							 buf, sizeof(buf));

		if (n < 0) {
			r = ctl_lib_err(ctl, n, NULL, "%s", uuid);
			goto out;
		}
		printf("would write mdevctl.d/matrix/%s:\n%s\n", uuid, buf);
		goto out;
	}
	r = modify ? apmatrix_store_modify(store, proposed,
					   APMATRIX_STORE_LOCKED)
		   : apmatrix_store_define(store, proposed,
					   APMATRIX_STORE_LOCKED);
	if (r < 0) {
		r = ctl_lib_err(ctl, r, NULL, "writing the definition of %s",
				uuid);
		goto out;
	}
	r = CTL_EXIT_OK;
	if (!ctl->quiet)
		printf("%s %s\n", modify ? "modified" : "defined", uuid);
out:
	ctl_unlock(lock);
	apmatrix_report_unref(report);
	apmatrix_store_unref(store);
	apmatrix_host_unref(host);
	return r;
}

static int run_define(struct ctl *ctl, int argc, char **argv)
{
	struct def_opts o = {.autostart = -1};
	struct apmatrix_mdev *mdev = NULL;
	char uuid[40];
	int first, r;

	first = ctl_parse(ctl, argc, argv, def_options, def_opt, &o);
	if (first < 0)
		return -first - 1;
	r = ctl_operands(ctl, argc, first, 0, 1);
	if (r)
		return r;
	if (first < argc) {
		snprintf(uuid, sizeof(uuid), "%s", argv[first]);
	} else if (ctl_new_uuid(uuid, sizeof(uuid)) < 0) {
		ctl_err(ctl, "give one: apmatrixctl define UUID ...",
			"cannot make a UUID");
		return CTL_EXIT_FAILED;
	}
	if (!ctl_valid_uuid(ctl, uuid))
		return CTL_EXIT_USAGE;
	r = apmatrix_mdev_new(ctl->ctx, uuid, &mdev);
	if (r >= 0)
		r = apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_DEFINED, 0);
	if (r < 0) {
		apmatrix_mdev_unref(mdev);
		return ctl_lib_err(ctl, r, NULL, "%s", uuid);
	}
	if (o.autostart < 0)
		o.autostart = 0; /* mdevctl's default: manual */
	r = apply_options(ctl, &o, mdev);
	if (r == CTL_EXIT_OK)
		r = checked_write(ctl, mdev, 0);
	apmatrix_mdev_unref(mdev);
	return r;
}

static int run_modify(struct ctl *ctl, int argc, char **argv)
{
	struct def_opts o = {.autostart = -1};
	struct apmatrix_mdev *mdev = NULL, *old;
	struct apmatrix_store *store = NULL;
	int first, r;

	first = ctl_parse_uuid(ctl, argc, argv, def_options, def_opt, &o);
	if (first < 0)
		return -first - 1;
	if (!o.adapters && !o.domains && !o.control && o.autostart < 0)
		return ctl_usage_err(ctl, "nothing to change: give --adapters, "
					  "--domains, --control-domains, "
					  "--auto or --manual");
	/* The stored definition is the start; the write reads it again
	 * under the lock. */
	r = ctl_read_store(ctl, &store);
	if (r != CTL_EXIT_OK)
		return r;
	old = apmatrix_store_find_mdev(store, argv[first]);
	if (!old) {
		apmatrix_store_unref(store);
		ctl_err(ctl, "define it first: apmatrixctl define UUID ...",
			"%s is not defined", argv[first]);
		return CTL_EXIT_FAILED;
	}
	r = apmatrix_mdev_new(ctl->ctx, argv[first], &mdev);
	if (r >= 0)
		r = apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_DEFINED, 0);
	if (r >= 0)
		r = apmatrix_matrix_assign(
			apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_DEFINED),
			apmatrix_mdev_get_matrix(old, APMATRIX_ROLE_DEFINED));
	if (r >= 0)
		r = apmatrix_mdev_set_autostart(
			mdev, apmatrix_mdev_get_autostart(old));
	apmatrix_store_unref(store);
	if (r < 0) {
		apmatrix_mdev_unref(mdev);
		return ctl_lib_err(ctl, r, NULL, "%s", argv[first]);
	}
	r = apply_options(ctl, &o, mdev);
	if (r == CTL_EXIT_OK)
		r = checked_write(ctl, mdev, 1);
	apmatrix_mdev_unref(mdev);
	return r;
}

static int run_undefine(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {CTL_COMMON_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct apmatrix_store *store = NULL;
	int first, r;

	first = ctl_parse_uuid(ctl, argc, argv, opts, NULL, NULL);
	if (first < 0)
		return -first - 1;
	r = ctl_read_store(ctl, &store);
	if (r != CTL_EXIT_OK)
		return r;
	if (ctl->dry_run) {
		if (apmatrix_store_find_mdev(store, argv[first]))
			printf("would remove the definition of %s\n",
			       argv[first]);
		else
			printf("%s is not defined: nothing to do\n",
			       argv[first]);
		apmatrix_store_unref(store);
		return CTL_EXIT_OK;
	}
	r = apmatrix_store_undefine(store, argv[first], 0);
	apmatrix_store_unref(store);
	if (r == -ENOENT) {
		ctl_err(ctl, "'apmatrixctl list --mdevs' lists the definitions",
			"%s is not defined", argv[first]);
		return CTL_EXIT_FAILED;
	}
	if (r < 0)
		return ctl_lib_err(ctl, r, NULL, "undefining %s", argv[first]);
	if (!ctl->quiet)
		printf("undefined %s\n", argv[first]);
	return CTL_EXIT_OK;
}

const struct ctl_verb ctl_verb_define = {
	"define", "write a persistent definition (checked first)",
	"define [UUID] [--adapters IDS] [--domains IDS] [--control-domains "
	"IDS] "
	"[--auto|--manual] [--dry-run]",
	run_define};
const struct ctl_verb ctl_verb_modify = {
	"modify", "change a definition (checked first)",
	"modify UUID [--adapters IDS] [--domains IDS] [--control-domains IDS] "
	"[--auto|--manual] [--dry-run]",
	run_modify};
const struct ctl_verb ctl_verb_undefine = {"undefine", "remove a definition",
					   "undefine UUID [--dry-run]",
					   run_undefine};
