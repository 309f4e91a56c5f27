/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-definitions: check the persistent definitions of a host, as
 * `apmatrixctl check` does.
 *
 *   check-definitions [SYSFS-ROOT [ETC-ROOT]]
 *
 * An AP queue (an APQN, "04.0047" = domain 0x47 of crypto adapter 4) may
 * be passed to at most one guest. The guests' queues are assigned to
 * vfio_ap mediated devices (mdevs), each a matrix of adapters x domains.
 * mdevctl keeps their definitions in ETC-ROOT/mdevctl.d/matrix/<uuid>;
 * ETC-ROOT/udev/rules.d/41-ap.rules says which queues the host keeps for
 * itself after a reboot. This program reads the host as it is now
 * (SYSFS-ROOT, default /sys) and the definitions (ETC-ROOT, default
 * /etc), checks them together and prints one line per finding:
 *
 *   warning shared-apqns  mdev 4444... (defined, autostart): APQN 05.0002 ...
 *
 * Exit status: 0 when nothing is an error, 1 when something is, 2 when the
 * program itself fails (the library's message on stderr).
 */
#include <apmatrix.h>
#include <stdio.h>

static const char *const severity_names[] = {"none", "info", "warning",
					     "error"};

int main(int argc, char **argv)
{
	struct apmatrix_ctx *ctx = NULL;
	struct apmatrix_host *host = NULL;
	struct apmatrix_store *store = NULL;
	struct apmatrix_check *check = NULL;
	struct apmatrix_report *report = NULL;
	unsigned int i, n;
	int status = 2;

	if (argc > 3) {
		fprintf(stderr,
			"usage: check-definitions [SYSFS-ROOT [ETC-ROOT]]\n");
		return 2;
	}
	if (apmatrix_new(&ctx) < 0)
		return 2;
	/* Roots let the same code read a captured host or a container's. */
	if ((argc > 1 &&
	     apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, argv[1]) < 0) ||
	    (argc > 2 &&
	     apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, argv[2]) < 0))
		goto out;

	/* The host now: cards, queues, the masks, the live mdevs. */
	if (apmatrix_host_read(ctx, 0, &host) < 0)
		goto out;
	/* The definitions; a bad file is left out and listed, not fatal. */
	if (apmatrix_store_read(ctx, 0, &store) < 0)
		goto out;
	for (i = 0; i < apmatrix_store_get_error_count(store); i++)
		fprintf(stderr, "check-definitions: %s\n",
			apmatrix_store_get_error(store, i));

	/* Live mdevs are checked in their live role, definitions in theirs:
	 * a definition against the other definitions (boot), against what
	 * runs now (start) and against the persistent masks of 41-ap.rules. */
	if (apmatrix_check_new(ctx, &check) < 0 ||
	    apmatrix_check_set_host(check, host) < 0)
		goto out;
	for (i = 0; i < apmatrix_host_get_mdev_count(host); i++)
		if (apmatrix_check_add_mdev(
			    check, apmatrix_host_get_mdev(host, i)) < 0)
			goto out;
	if (apmatrix_check_add_store(check, store, 0) < 0)
		goto out;
	/* Pure: no I/O, so "what if" costs nothing. */
	if (apmatrix_check_run(check, 0, &report) < 0)
		goto out;

	n = apmatrix_report_get_count(report);
	for (i = 0; i < n; i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, i);

		printf("%-7s %-20s %s\n",
		       severity_names[apmatrix_finding_get_severity(f)],
		       apmatrix_finding_get_code_name(f),
		       apmatrix_finding_get_message(f));
	}
	printf("%u finding%s\n", n, n == 1 ? "" : "s");
	status = apmatrix_report_get_max_severity(report) ==
				 APMATRIX_SEVERITY_ERROR
			 ? 1
			 : 0;
out:
	if (status == 2)
		fprintf(stderr, "check-definitions: %s\n",
			apmatrix_get_diagnostic(ctx));
	apmatrix_report_unref(report);
	apmatrix_check_unref(check);
	apmatrix_store_unref(store);
	apmatrix_host_unref(host);
	apmatrix_unref(ctx);
	return status;
}
