/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * define-and-start: give a guest crypto queues, persistently and now, as
 * `mdevctl define --auto` followed by `mdevctl start` would, but checked.
 *
 *   define-and-start [--dry-run] UUID ADAPTERS DOMAINS [ROOT]
 *
 * A guest gets AP queues (APQNs: "04.0047" = domain 0x47 of crypto adapter
 * 4) through a vfio_ap mediated device (mdev) named by a UUID. The mdev is
 * assigned adapters and domains (lists such as "4,5" and "0x47"); the
 * guest may use every queue of adapters x domains. The host keeps the
 * queues of `apmask` x `aqmask` for its own drivers, so those are given to
 * vfio_ap first. This program:
 *   1. reads the host (ROOT/sys) and the stored definitions (ROOT/etc),
 *   2. checks the new definition against them (no APQN of another guest or
 *      of the host, at boot or now),
 *   3. plans the sysfs writes (give the queues to vfio_ap, create the mdev,
 *      assign) and prints them,
 *   4. unless --dry-run: under the s390apconfig lock (ROOT/run/lock) that
 *      s390-tools also take, writes the definition
 *      (ROOT/etc/mdevctl.d/matrix/UUID) and applies the plan, which undoes
 *      its own writes if one fails.
 * Queues the host takes back at boot (the persistent masks of
 * 41-ap.rules) are refused: reserve them for vfio_ap persistently first
 * (the persistent apmask setting of chzdev, or
 * apmatrix_store_set_persistent_masks()).
 * ROOT defaults to "/" (the real host). Exit status: 0 done, 1 refused
 * (the reason on stderr), 2 bad usage or a failure of the program.
 */
#include <apmatrix.h>
#include <stdio.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: define-and-start [--dry-run] UUID ADAPTERS "
			"DOMAINS [ROOT]\n");
	return 2;
}

/*
 * Print the findings about our mdev; 1 when one of them is an error that
 * starting it now cannot fix. The plan gives the queues of the active host
 * pool to vfio_ap, so host-pool-active is not one of those; the persistent
 * pool (41-ap.rules) is: at the next boot the host would take them back.
 */
static int print_findings(const struct apmatrix_report *report,
			  const char *uuid)
{
	int refuse = 0;

	for (unsigned int i = 0; i < apmatrix_report_get_count(report); i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, i);
		int ours = 0;

		for (unsigned int u = 0; u < apmatrix_finding_get_uuid_count(f);
		     u++)
			ours |= strcmp(apmatrix_finding_get_uuid(f, u), uuid) ==
				0;
		if (!ours)
			continue; /* about other mdevs: not our business */
		fprintf(stderr, "%s: %s\n", apmatrix_finding_get_code_name(f),
			apmatrix_finding_get_message(f));
		if (apmatrix_finding_get_severity(f) ==
			    APMATRIX_SEVERITY_ERROR &&
		    apmatrix_finding_get_code(f) !=
			    APMATRIX_FINDING_HOST_POOL_ACTIVE)
			refuse = 1;
	}
	return refuse;
}

int main(int argc, char **argv)
{
	struct apmatrix_ctx *ctx = NULL;
	struct apmatrix_host *host = NULL;
	struct apmatrix_store *store = NULL;
	struct apmatrix_mdev *mdev = NULL;
	struct apmatrix_check *check = NULL;
	struct apmatrix_report *report = NULL;
	struct apmatrix_target *target = NULL;
	struct apmatrix_plan *plan = NULL;
	struct apmatrix_lock *lock = NULL;
	struct apmatrix_result *result = NULL;
	struct apmatrix_matrix *m;
	char root[4096], text[4096];
	int dry_run = 0, status = 2;

	if (argc > 1 && strcmp(argv[1], "--dry-run") == 0) {
		dry_run = 1;
		argv++;
		argc--;
	}
	if (argc < 4 || argc > 5)
		return usage();
	if (apmatrix_new(&ctx) < 0)
		return 2;
	if (argc == 5) {
		snprintf(root, sizeof(root), "%s/sys", argv[4]);
		if (apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, root) < 0)
			goto out;
		snprintf(root, sizeof(root), "%s/etc", argv[4]);
		if (apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, root) < 0)
			goto out;
		snprintf(root, sizeof(root), "%s/run", argv[4]);
		if (apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, root) < 0)
			goto out;
	}

	/* The new definition: usage domains are also made control domains,
	 * so the guest can administer (set the master keys of) its domains. */
	if (apmatrix_mdev_new(ctx, argv[1], &mdev) < 0 ||
	    apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_DEFINED, 0) < 0)
		goto out;
	m = apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_DEFINED);
	if (apmatrix_idset_parse(apmatrix_matrix_get_adapters(m), argv[2],
				 APMATRIX_SYNTAX_LIST, 0) < 0 ||
	    apmatrix_idset_parse(apmatrix_matrix_get_usage_domains(m), argv[3],
				 APMATRIX_SYNTAX_LIST, 0) < 0 ||
	    apmatrix_idset_assign(apmatrix_matrix_get_control_domains(m),
				  apmatrix_matrix_get_usage_domains(m)) < 0 ||
	    apmatrix_mdev_set_autostart(mdev, 1) < 0)
		goto out;

	/* A real run holds the lock from the first read to the last write,
	 * so neither ap-check nor chzdev nor another of us changes the
	 * configuration in between (95 s, as s390-tools wait). */
	if (!dry_run && apmatrix_lock_acquire(ctx, 95000, 0, &lock) < 0)
		goto out;
	if (apmatrix_host_read(ctx, 0, &host) < 0 ||
	    apmatrix_store_read(ctx, 0, &store) < 0)
		goto out;

	/* Check the definition with everything else: the live mdevs, the
	 * stored definitions and the masks the host gets at boot. It is added
	 * first, so it stands in for a stored one with the same UUID. */
	if (apmatrix_check_new(ctx, &check) < 0 ||
	    apmatrix_check_set_host(check, host) < 0 ||
	    apmatrix_check_add_mdev(check, mdev) < 0)
		goto out;
	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(host); i++)
		if (apmatrix_check_add_mdev(
			    check, apmatrix_host_get_mdev(host, i)) < 0)
			goto out;
	if (apmatrix_check_add_store(check, store, 0) < 0 ||
	    apmatrix_check_run(check, 0, &report) < 0)
		goto out;
	if (print_findings(report, apmatrix_mdev_get_uuid(mdev))) {
		fprintf(stderr, "define-and-start: refused, nothing changed\n");
		status = 1;
		goto out;
	}

	/* The state we want: these queues free for vfio_ap, the mdev with
	 * this matrix. The plan is the writes from the host to that state. */
	if (apmatrix_target_new(ctx, &target) < 0 ||
	    apmatrix_target_give_to_vfio(target, m, 0) < 0 ||
	    apmatrix_target_set_mdev(target, argv[1], m, 0) < 0 ||
	    apmatrix_plan_new(target, host, 0, &plan) < 0 ||
	    apmatrix_plan_format(plan, 0, text, sizeof(text)) < 0)
		goto out;
	printf("%s", text);
	if (apmatrix_plan_get_refusal(plan)) {
		fprintf(stderr,
			"define-and-start: the kernel would refuse: %s\n",
			apmatrix_result_get_message(
				apmatrix_plan_get_refusal(plan)));
		status = 1;
		goto out;
	}
	if (dry_run) {
		if (apmatrix_store_format_definition(store, mdev, 0, text,
						     sizeof(text)) < 0)
			goto out;
		printf("definition:\n%s\n", text);
		status = 0;
		goto out;
	}

	/* Write the definition, then start: both under the lock we hold. */
	if (apmatrix_store_define(store, mdev, APMATRIX_STORE_LOCKED) < 0)
		goto out;
	if (apmatrix_plan_apply(plan, APMATRIX_APPLY_LOCKED, &result) < 0) {
		/* Rolled back; the definition stays for `mdevctl start`. */
		fprintf(stderr, "define-and-start: defined, not started: %s\n",
			apmatrix_result_get_message(result));
		status = 1;
		goto out;
	}
	printf("defined and started %s\n", argv[1]);
	status = 0;
out:
	if (status == 2)
		fprintf(stderr, "define-and-start: %s\n",
			apmatrix_get_diagnostic(ctx));
	apmatrix_result_unref(result);
	apmatrix_lock_unref(lock);
	apmatrix_plan_unref(plan);
	apmatrix_target_unref(target);
	apmatrix_report_unref(report);
	apmatrix_check_unref(check);
	apmatrix_mdev_unref(mdev);
	apmatrix_store_unref(store);
	apmatrix_host_unref(host);
	apmatrix_unref(ctx);
	return status;
}
