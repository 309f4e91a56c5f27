/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apply-state: bring the host to a desired state, or show how.
 *
 *   apply-state [--dry-run] [--assign] [--sysfs DIR] [--run DIR] SPEC...
 *
 * SPEC is one of
 *   UUID=ADAPTERS/DOMAINS[/CONTROLS]  the mdev exists with this matrix
 *   UUID=-                            the mdev does not exist
 *   vfio=ADAPTERS/DOMAINS             these queues are free for vfio_ap
 *   host=ADAPTERS/DOMAINS             these queues belong to the host
 * with ID lists as chzdev writes them ("0-3,0x47"; empty for none).
 *
 * Prints the plan, then applies it under the s390apconfig lock (unless
 * --dry-run): all or nothing. Exit status 0 applied (or nothing to do),
 * 1 refused or failed (the host is as before), 2 bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apmatrix.h>

static int parse_ids(struct apmatrix_idset *set, const char *text)
{
	if (apmatrix_idset_parse(set, text, APMATRIX_SYNTAX_LIST, 0) < 0) {
		fprintf(stderr, "apply-state: %s\n",
			apmatrix_get_diagnostic(apmatrix_idset_get_ctx(set)));
		return -1;
	}
	return 0;
}

/* "A/D[/C]" into a matrix. */
static int parse_matrix(struct apmatrix_matrix *m, char *text)
{
	char *d = strchr(text, '/'), *c = NULL;

	if (!d) {
		fprintf(stderr, "apply-state: '%s': want ADAPTERS/DOMAINS\n",
			text);
		return -1;
	}
	*d++ = '\0';
	c = strchr(d, '/');
	if (c)
		*c++ = '\0';
	if (parse_ids(apmatrix_matrix_get_adapters(m), text) < 0 ||
	    parse_ids(apmatrix_matrix_get_usage_domains(m), d) < 0 ||
	    parse_ids(apmatrix_matrix_get_control_domains(m), c ? c : "") < 0)
		return -1;
	return 0;
}

static int add_spec(struct apmatrix_ctx *ctx, struct apmatrix_target *t,
		    char *spec)
{
	struct apmatrix_matrix *m = NULL;
	char *eq = strchr(spec, '=');
	int r;

	if (!eq) {
		fprintf(stderr, "apply-state: '%s': want NAME=VALUE\n", spec);
		return -1;
	}
	*eq++ = '\0';
	if (strcmp(eq, "-") == 0) {
		r = apmatrix_target_remove_mdev(t, spec, 0);
		goto done;
	}
	if (apmatrix_matrix_new(ctx, &m) < 0 || parse_matrix(m, eq) < 0) {
		apmatrix_matrix_unref(m);
		return -1;
	}
	if (strcmp(spec, "vfio") == 0)
		r = apmatrix_target_give_to_vfio(t, m, 0);
	else if (strcmp(spec, "host") == 0)
		r = apmatrix_target_give_to_host(t, m, 0);
	else
		r = apmatrix_target_set_mdev(t, spec, m, 0);
	apmatrix_matrix_unref(m);
done:
	if (r < 0)
		fprintf(stderr, "apply-state: %s\n",
			apmatrix_get_diagnostic(ctx));
	return r;
}

static void print_plan(const struct apmatrix_plan *plan)
{
	int n = apmatrix_plan_format(plan, 0, NULL, 0);
	char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;

	if (text && apmatrix_plan_format(plan, 0, text, (size_t)n + 1) >= 0)
		fputs(text, stdout);
	free(text);
	for (unsigned int i = 0; i < apmatrix_plan_get_mdev_count(plan); i++) {
		const struct apmatrix_matrix *g =
			apmatrix_plan_get_guest_matrix(plan, i);

		printf("guest %s: %u APQNs\n",
		       apmatrix_plan_get_mdev_uuid(plan, i),
		       apmatrix_matrix_get_apqn_count(g));
	}
}

int main(int argc, char **argv)
{
	struct apmatrix_ctx *ctx = NULL;
	struct apmatrix_target *target = NULL;
	struct apmatrix_host *host = NULL;
	struct apmatrix_plan *plan = NULL;
	struct apmatrix_result *result = NULL;
	unsigned int plan_flags = 0;
	int dry_run = 0, status = 2, i, r;

	if (apmatrix_new(&ctx) < 0 || apmatrix_target_new(ctx, &target) < 0)
		return 2;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--dry-run") == 0) {
			dry_run = 1;
		} else if (strcmp(argv[i], "--assign") == 0) {
			plan_flags |= APMATRIX_PLAN_NO_AP_CONFIG;
		} else if ((strcmp(argv[i], "--sysfs") == 0 ||
			    strcmp(argv[i], "--run") == 0) &&
			   i + 1 < argc) {
			unsigned int root = argv[i][2] == 's'
						    ? APMATRIX_ROOT_SYSFS
						    : APMATRIX_ROOT_RUN;

			if (apmatrix_set_root(ctx, root, argv[++i]) < 0) {
				fprintf(stderr, "apply-state: %s\n",
					apmatrix_get_diagnostic(ctx));
				goto out;
			}
		} else {
			fprintf(stderr,
				"usage: apply-state [--dry-run] [--assign] "
				"[--sysfs DIR] [--run DIR] SPEC...\n");
			goto out;
		}
	}
	if (i == argc) {
		fprintf(stderr, "apply-state: no SPEC\n");
		goto out;
	}
	for (; i < argc; i++)
		if (add_spec(ctx, target, argv[i]) < 0)
			goto out;

	status = 1;
	r = apmatrix_host_read(ctx, 0, &host);
	if (r == 0)
		r = apmatrix_plan_new(target, host, plan_flags, &plan);
	if (r < 0) {
		fprintf(stderr, "apply-state: %s\n",
			apmatrix_get_diagnostic(ctx));
		goto out;
	}
	print_plan(plan);
	if (dry_run) {
		status = apmatrix_plan_get_refusal(plan) ? 1 : 0;
		goto out;
	}
	r = apmatrix_plan_apply(plan, 0, &result);
	if (!result) {
		fprintf(stderr, "apply-state: %s\n",
			apmatrix_get_diagnostic(ctx));
		goto out;
	}
	if (r == 0) {
		printf("applied: %u writes\n",
		       apmatrix_result_get_write_count(result));
		status = 0;
	} else {
		printf("failed: %s\n", apmatrix_result_get_message(result));
		printf("rollback: %s, %u writes in all\n",
		       apmatrix_result_get_rollback_error(result)
			       ? apmatrix_strerror(
					 apmatrix_result_get_rollback_error(
						 result))
			       : "host restored",
		       apmatrix_result_get_write_count(result));
	}
out:
	apmatrix_result_unref(result);
	apmatrix_plan_unref(plan);
	apmatrix_host_unref(host);
	apmatrix_target_unref(target);
	apmatrix_unref(ctx);
	return status;
}
