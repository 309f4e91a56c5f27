/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * store-cli: drives the store from shell tests (the kernel tier runs it in
 * the guest next to the real mdevctl). Roots from APMATRIX_SYSFS_ROOT,
 * APMATRIX_ETC_ROOT, APMATRIX_RUN_ROOT when set.
 *
 *   store-cli define UUID auto|manual AP_CONFIG   write a definition
 *   store-cli modify UUID auto|manual AP_CONFIG   change one
 *   store-cli undefine UUID
 *   store-cli list        one line per definition: UUID auto|manual and the
 *                         matrix as ap_config masks; then the load errors
 *   store-cli check       the whole-host check: live mdevs, definitions,
 *                         persistent masks; one line per finding
 *   store-cli masks AP AQ write the persistent masks (ID lists; - = unset)
 *   store-cli start UUID  start a defined mdev through the change layer
 *   store-cli stop UUID   stop it
 * Exit status 0, or 1 with the library's diagnostic on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apmatrix.h>

static struct apmatrix_ctx *ctx;

static int fail(const char *what)
{
	fprintf(stderr, "store-cli: %s: %s\n", what,
		apmatrix_get_diagnostic(ctx));
	return 1;
}

static int put(struct apmatrix_store *st, int argc, char **argv, int modify)
{
	struct apmatrix_mdev *m = NULL;
	int r;

	if (argc < 5)
		return fail("usage");
	if (apmatrix_mdev_new(ctx, argv[2], &m) < 0 ||
	    apmatrix_mdev_add_config(m, APMATRIX_ROLE_DEFINED, 0) < 0 ||
	    apmatrix_mdev_set_autostart(m, !strcmp(argv[3], "auto")) < 0 ||
	    apmatrix_matrix_parse(
		    apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED), argv[4],
		    APMATRIX_MATRIX_AP_CONFIG, 0) < 0)
		return fail("mdev");
	r = modify ? apmatrix_store_modify(st, m, 0)
		   : apmatrix_store_define(st, m, 0);
	apmatrix_mdev_unref(m);
	return r < 0 ? fail(argv[1]) : 0;
}

static int list(struct apmatrix_store *st)
{
	char buf[256];

	for (unsigned int i = 0; i < apmatrix_store_get_mdev_count(st); i++) {
		struct apmatrix_mdev *m = apmatrix_store_get_mdev(st, i);

		apmatrix_matrix_format(
			apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED),
			APMATRIX_MATRIX_AP_CONFIG, 0, buf, sizeof(buf));
		printf("%s %s %s", apmatrix_mdev_get_uuid(m),
		       apmatrix_mdev_get_autostart(m) == 1 ? "auto" : "manual",
		       buf);
	}
	for (unsigned int i = 0; i < apmatrix_store_get_error_count(st); i++)
		printf("error: %s\n", apmatrix_store_get_error(st, i));
	return 0;
}

static int check(struct apmatrix_store *st)
{
	struct apmatrix_host *host = NULL;
	struct apmatrix_check *check = NULL;
	struct apmatrix_report *report = NULL;
	int n;

	if (apmatrix_host_read(ctx, 0, &host) < 0 ||
	    apmatrix_check_new(ctx, &check) < 0 ||
	    apmatrix_check_set_host(check, host) < 0)
		return fail("host");
	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(host); i++)
		if (apmatrix_check_add_mdev(
			    check, apmatrix_host_get_mdev(host, i)) < 0)
			return fail("live mdev");
	if (apmatrix_check_add_store(check, st, 0) < 0)
		return fail("store");
	n = apmatrix_check_run(check, 0, &report);
	if (n < 0)
		return fail("check");
	for (int i = 0; i < n; i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, (unsigned int)i);

		printf("%s %s: %s\n",
		       apmatrix_finding_get_severity(f) ==
				       APMATRIX_SEVERITY_ERROR
			       ? "error"
		       : apmatrix_finding_get_severity(f) ==
				       APMATRIX_SEVERITY_WARNING
			       ? "warning"
			       : "info",
		       apmatrix_finding_get_code_name(f),
		       apmatrix_finding_get_message(f));
	}
	apmatrix_report_unref(report);
	apmatrix_check_unref(check);
	apmatrix_host_unref(host);
	return 0;
}

static int masks(struct apmatrix_store *st, int argc, char **argv)
{
	struct apmatrix_idset *s[2] = {NULL, NULL};
	int r;

	if (argc < 4)
		return fail("usage");
	for (int i = 0; i < 2; i++) {
		if (!strcmp(argv[2 + i], "-"))
			continue;
		if (apmatrix_idset_new(ctx, &s[i]) < 0 ||
		    apmatrix_idset_parse(s[i], argv[2 + i],
					 APMATRIX_SYNTAX_LIST, 0) < 0)
			return fail("mask");
	}
	r = apmatrix_store_set_persistent_masks(st, s[0], s[1], 0);
	apmatrix_idset_unref(s[0]);
	apmatrix_idset_unref(s[1]);
	return r < 0 ? fail("masks") : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *env;
		unsigned int root;
	} roots[] = {{"APMATRIX_SYSFS_ROOT", APMATRIX_ROOT_SYSFS},
		     {"APMATRIX_ETC_ROOT", APMATRIX_ROOT_ETC},
		     {"APMATRIX_RUN_ROOT", APMATRIX_ROOT_RUN}};
	struct apmatrix_store *st = NULL;
	int rc;

	if (argc < 2 || apmatrix_new(&ctx) < 0)
		return 2;
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (getenv(roots[i].env) &&
		    apmatrix_set_root(ctx, roots[i].root,
				      getenv(roots[i].env)) < 0)
			return fail(roots[i].env);
	if (apmatrix_store_read(ctx, 0, &st) < 0)
		return fail("read");
	if (!strcmp(argv[1], "define") || !strcmp(argv[1], "modify"))
		rc = put(st, argc, argv, argv[1][0] == 'm');
	else if (!strcmp(argv[1], "undefine"))
		rc = argc < 3 || apmatrix_store_undefine(st, argv[2], 0) < 0
			     ? fail("undefine")
			     : 0;
	else if (!strcmp(argv[1], "list"))
		rc = list(st);
	else if (!strcmp(argv[1], "check"))
		rc = check(st);
	else if ((!strcmp(argv[1], "start") || !strcmp(argv[1], "stop")) &&
		 argc > 2) {
		struct apmatrix_result *res = NULL;

		rc = (argv[1][2] == 'a'
			      ? apmatrix_store_start(st, argv[2], 0, &res)
			      : apmatrix_store_stop(st, argv[2], 0, &res)) < 0
			     ? fail(argv[1])
			     : 0;
		apmatrix_result_unref(res);
	} else if (!strcmp(argv[1], "masks"))
		rc = masks(st, argc, argv);
	else
		rc = fail("unknown command");
	apmatrix_store_unref(st);
	apmatrix_unref(ctx);
	return rc;
}
