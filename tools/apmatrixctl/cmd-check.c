/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl check: the whole host, live mdevs, definitions and the
 * persistent masks, through one library check; show UUID: one mdev with
 * its matrices and the findings that name it.
 */
#include <errno.h>
#include <string.h>

#include "common.h"

/* Problems with definition files count like findings of their severity. */
static int store_problems(struct ctl *ctl, struct apmatrix_store *store,
			  struct json_object *arr, int *max)
{
	unsigned int n = apmatrix_store_get_error_count(store);

	for (unsigned int i = 0; i < n; i++) {
		int sev = apmatrix_store_get_error_severity(store, i);
		struct json_object *o = json_object_new_object();

		json_object_object_add(
			o, "file",
			json_object_new_string(
				apmatrix_store_get_error_file(store, i)));
		json_object_object_add(
			o, "severity",
			json_object_new_string(ctl_severity_name(sev)));
		json_object_object_add(
			o, "message",
			json_object_new_string(
				apmatrix_store_get_error(store, i)));
		json_object_array_add(arr, o);
		if (sev == APMATRIX_SEVERITY_ERROR ||
		    (sev == APMATRIX_SEVERITY_WARNING &&
		     *max != APMATRIX_SEVERITY_ERROR))
			*max = sev;
		if (!ctl->json)
			printf("%s%-7s%s %-20s %s\n", ctl_sgr(ctl, sev),
			       ctl_severity_name(sev), ctl_sgr_reset(ctl),
			       "definition-file",
			       apmatrix_store_get_error(store, i));
	}
	return (int)n;
}

static void print_finding(struct ctl *ctl, const struct apmatrix_finding *f)
{
	int sev = apmatrix_finding_get_severity(f);

	printf("%s%-7s%s %-20s %s\n", ctl_sgr(ctl, sev), ctl_severity_name(sev),
	       ctl_sgr_reset(ctl), apmatrix_finding_get_code_name(f),
	       apmatrix_finding_get_message(f));
}

static int run_check(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {CTL_COMMON_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct apmatrix_report *report = NULL;
	struct apmatrix_store *store = NULL;
	struct apmatrix_host *host = NULL;
	struct json_object *problems = json_object_new_array();
	int first, r, max = 0;
	unsigned int n = 0, counts[4] = {0};

	first = ctl_parse(ctl, argc, argv, opts, NULL, NULL);
	if (first < 0) {
		json_object_put(problems);
		return -first - 1;
	}
	r = ctl_operands(ctl, argc, first, 0, 0);
	if (r == CTL_EXIT_OK)
		r = ctl_read_host(ctl, 0, &host);
	if (r == CTL_EXIT_OK)
		r = ctl_read_store(ctl, &store);
	if (r == CTL_EXIT_OK)
		r = ctl_run_check(ctl, host, store, NULL, &report);
	if (r != CTL_EXIT_OK)
		goto out;
	max = apmatrix_report_get_max_severity(report);
	n = apmatrix_report_get_count(report);
	for (unsigned int i = 0; i < n; i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, i);
		int sev = apmatrix_finding_get_severity(f);

		if (sev >= 0 && sev < 4)
			counts[sev]++;
		if (!ctl->json)
			print_finding(ctl, f);
	}
	store_problems(ctl, store, problems, &max);
	if (ctl->json) {
		struct json_object *top = ctl_json_report(ctl, report);

		if (!top) {
			r = CTL_EXIT_FAILED;
			goto out;
		}
		json_object_object_add(top, "definition_problems",
				       json_object_get(problems));
		json_object_object_add(
			top, "severity",
			json_object_new_string(ctl_severity_name(max)));
		r = ctl_print_json(ctl, top);
		json_object_put(top);
	} else {
		unsigned int np =
			(unsigned int)json_object_array_length(problems);

		printf("%s%s%s: %u finding%s (%u error%s, %u warning%s, %u "
		       "info)%s",
		       ctl_sgr(ctl, max ? max : -1),
		       max ? ctl_severity_name(max) : "clean",
		       ctl_sgr_reset(ctl), n, n == 1 ? "" : "s",
		       counts[APMATRIX_SEVERITY_ERROR],
		       counts[APMATRIX_SEVERITY_ERROR] == 1 ? "" : "s",
		       counts[APMATRIX_SEVERITY_WARNING],
		       counts[APMATRIX_SEVERITY_WARNING] == 1 ? "" : "s",
		       counts[APMATRIX_SEVERITY_INFO], np ? "" : "\n");
		if (np)
			printf(", %u problem%s in definition files\n", np,
			       np == 1 ? "" : "s");
	}
	if (r == CTL_EXIT_OK)
		r = ctl_severity_exit(max);
out:
	json_object_put(problems);
	apmatrix_report_unref(report);
	apmatrix_store_unref(store);
	apmatrix_host_unref(host);
	return r;
}

const struct ctl_verb ctl_verb_check = {
	"check",
	"check the whole host: live mdevs, definitions, persistent masks",
	"check [--json]   (exit 0 clean, 1 warnings, 2 errors)", run_check};

/* ------------------------------------------------------------- show */

static void print_matrix(struct ctl *ctl, const char *label,
			 struct apmatrix_matrix *m, int control)
{
	unsigned int n = apmatrix_matrix_get_apqn_count(m);
	char ad[256], dom[512], cd[512];

	if (!m) {
		printf("  %-9s -\n", label);
		return;
	}
	ctl_format_ids(apmatrix_matrix_get_adapters(m), 0, ad, sizeof(ad));
	ctl_format_ids(apmatrix_matrix_get_usage_domains(m), 1, dom,
		       sizeof(dom));
	ctl_format_ids(apmatrix_matrix_get_control_domains(m), 1, cd,
		       sizeof(cd));
	/* The kernel does not say which control domains the guest gets. */
	printf("  %-9s adapters %s  domains %s%s%s  (%u APQN%s)\n", label, ad,
	       dom, control ? "  control domains " : "", control ? cd : "", n,
	       n == 1 ? "" : "s");
}

/* How the definition differs from the live matrix, one set at a time. */
static void print_difference(struct ctl *ctl, struct apmatrix_matrix *live,
			     struct apmatrix_matrix *def)
{
	static const char *const names[] = {"adapters", "domains",
					    "control domains"};
	struct apmatrix_idset *(*const get[])(struct apmatrix_matrix *) = {
		apmatrix_matrix_get_adapters, apmatrix_matrix_get_usage_domains,
		apmatrix_matrix_get_control_domains};

	if (apmatrix_matrix_equal(live, def)) {
		printf("  the definition matches the live matrix\n");
		return;
	}
	printf("  the definition differs from the live matrix (applies at the "
	       "next start):\n");
	for (int k = 0; k < 3; k++) {
		struct apmatrix_idset *plus = NULL, *minus = NULL;
		char a[512], b[512];

		if (apmatrix_idset_new(ctl->ctx, &plus) < 0 ||
		    apmatrix_idset_new(ctl->ctx, &minus) < 0) {
			apmatrix_idset_unref(plus);
			return;
		}
		apmatrix_idset_assign(plus, get[k](def));
		apmatrix_idset_subtract(plus, get[k](live));
		apmatrix_idset_assign(minus, get[k](live));
		apmatrix_idset_subtract(minus, get[k](def));
		if (apmatrix_idset_get_count(plus) ||
		    apmatrix_idset_get_count(minus)) {
			ctl_format_ids(plus, k > 0, a, sizeof(a));
			ctl_format_ids(minus, k > 0, b, sizeof(b));
			printf("    %-16s +%s  -%s\n", names[k], a, b);
		}
		apmatrix_idset_unref(plus);
		apmatrix_idset_unref(minus);
	}
}

static int names_uuid(const struct apmatrix_finding *f, const char *uuid)
{
	for (unsigned int i = 0; i < apmatrix_finding_get_uuid_count(f); i++)
		if (!strcmp(apmatrix_finding_get_uuid(f, i), uuid))
			return 1;
	return 0;
}

static int run_show(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {CTL_COMMON_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct apmatrix_report *report = NULL;
	struct apmatrix_store *store = NULL;
	struct apmatrix_host *host = NULL;
	struct apmatrix_mdev *live = NULL, *def = NULL, *id = NULL;
	struct apmatrix_matrix *lm = NULL, *gm = NULL, *dm = NULL;
	unsigned int shown = 0;
	const char *uuid;
	int first, r;

	first = ctl_parse_uuid(ctl, argc, argv, opts, NULL, NULL);
	if (first < 0)
		return -first - 1;
	/* The library keeps UUIDs lower case. */
	r = apmatrix_mdev_new(ctl->ctx, argv[first], &id);
	if (r < 0)
		return ctl_lib_err(ctl, r, NULL, "%s", argv[first]);
	uuid = apmatrix_mdev_get_uuid(id);
	r = ctl_read_host(ctl, 0, &host);
	if (r == CTL_EXIT_OK)
		r = ctl_read_store(ctl, &store);
	if (r == CTL_EXIT_OK)
		r = ctl_run_check(ctl, host, store, NULL, &report);
	if (r != CTL_EXIT_OK)
		goto out;
	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(host); i++)
		if (!strcmp(apmatrix_mdev_get_uuid(
				    apmatrix_host_get_mdev(host, i)),
			    uuid))
			live = apmatrix_host_get_mdev(host, i);
	def = apmatrix_store_find_mdev(store, uuid);
	if (!live && !def) {
		ctl_err(ctl, "'apmatrixctl list --mdevs' lists the mdevs",
			"no mdev %s: neither live nor defined", uuid);
		r = CTL_EXIT_FAILED;
		goto out;
	}
	if (live) {
		lm = apmatrix_mdev_get_matrix(live, APMATRIX_ROLE_LIVE);
		gm = apmatrix_mdev_get_matrix(live, APMATRIX_ROLE_GUEST);
	}
	if (def)
		dm = apmatrix_mdev_get_matrix(def, APMATRIX_ROLE_DEFINED);
	if (ctl->json) {
		struct json_object *top = json_object_new_object();
		struct json_object *rep = ctl_json_report(ctl, report);
		struct json_object *all, *mine = json_object_new_array();

		json_object_object_add(top, "uuid",
				       json_object_new_string(uuid));
		json_object_object_add(top, "active",
				       json_object_new_boolean(live != NULL));
		json_object_object_add(top, "defined",
				       json_object_new_boolean(def != NULL));
		json_object_object_add(
			top, "autostart",
			def ? json_object_new_boolean(
				      apmatrix_mdev_get_autostart(def) == 1)
			    : NULL);
		json_object_object_add(top, "live", ctl_json_matrix(lm));
		json_object_object_add(top, "guest", ctl_json_matrix(gm));
		json_object_object_add(top, "defined_matrix",
				       ctl_json_matrix(dm));
		json_object_object_add(
			top, "definition_differs",
			lm && dm ? json_object_new_boolean(
					   !apmatrix_matrix_equal(lm, dm))
				 : NULL);
		/* The library's findings that name this mdev, as they are. */
		all = rep ? json_object_object_get(rep, "findings") : NULL;
		for (size_t i = 0; all && i < json_object_array_length(all);
		     i++)
			if (names_uuid(apmatrix_report_get_finding(
					       report, (unsigned int)i),
				       uuid))
				json_object_array_add(
					mine, json_object_get(
						      json_object_array_get_idx(
							      all, i)));
		json_object_object_add(top, "findings", mine);
		json_object_put(rep);
		r = ctl_print_json(ctl, top);
		json_object_put(top);
		goto out;
	}
	printf("mdev %s\n", uuid);
	printf("  %-9s %s%s%s\n", "state", live ? "active" : "not active",
	       def ? ", defined, starts " : ", not defined",
	       !def                                    ? ""
	       : apmatrix_mdev_get_autostart(def) == 1 ? "at boot (auto)"
						       : "by hand (manual)");
	print_matrix(ctl, "live", lm, 1);
	if (live) {
		print_matrix(ctl, "guest", gm, 0);
		if (gm && apmatrix_matrix_get_apqn_count(gm)) {
			struct apmatrix_apqn_list *l = NULL;
			char buf[1024];

			/* The guest's queues, as the kernel lists them. */
			if (apmatrix_apqn_list_new(ctl->ctx, &l) == 0) {
				for (int q = apmatrix_matrix_next_apqn(gm, 0);
				     q >= 0; q = apmatrix_matrix_next_apqn(
						     gm, (unsigned int)q + 1))
					apmatrix_apqn_list_add(l,
							       (unsigned int)q);
				if (apmatrix_apqn_list_format(l, " ", 0, buf,
							      sizeof(buf)) >=
				    (int)sizeof(buf))
					strcpy(buf + sizeof(buf) - 4, "...");
				printf("  %-9s %s\n", "", buf);
				apmatrix_apqn_list_unref(l);
			}
		}
	}
	print_matrix(ctl, "defined", dm, 1);
	if (lm && dm)
		print_difference(ctl, lm, dm);
	r = CTL_EXIT_OK;
	printf("  findings:\n");
	for (unsigned int i = 0; i < apmatrix_report_get_count(report); i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, i);

		if (!names_uuid(f, uuid))
			continue;
		printf("    ");
		print_finding(ctl, f);
		shown++;
	}
	if (!shown)
		printf("    none\n");
out:
	apmatrix_report_unref(report);
	apmatrix_store_unref(store);
	apmatrix_host_unref(host);
	apmatrix_mdev_unref(id);
	return r;
}

const struct ctl_verb ctl_verb_show = {
	"show", "one mdev: live, guest and defined matrix, its findings",
	"show UUID [--json]", run_show};
