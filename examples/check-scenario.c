/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-scenario: run the conflict check on a host built in memory.
 *
 * The host is an LPAR with four CEX8 cards (adapters 0x03 to 0x06) and the
 * usage and control domains 0x05, 0x47 and 0x48. The admin keeps adapter
 * 0x03 for the host's own crypto drivers and has given adapters 0x04 to 0x06
 * to vfio_ap (`echo -4-6 > /sys/bus/ap/apmask`). Three mediated devices:
 *
 *   guest-db     live, and defined for autostart with the same matrix:
 *                adapters 04,05 x domain 0047, control 0047
 *   guest-web    live: adapter 06 x domains 0047,0048, control 0047
 *   guest-batch  defined for autostart (not running):
 *                adapters 03,05 x domain 0047
 *
 * guest-batch shares 05.0047 with guest-db: both start at boot (an error),
 * and guest-batch cannot start while guest-db runs (a warning). It also
 * asks for 03.0047, which belongs to the host. Sharing control domain 0047
 * is fine. Each finding names the configuration (live or defined) of each
 * mdev it is about.
 *
 *   check-scenario          the scenario, one line per finding, the JSON
 *   check-scenario --json   only the JSON report
 *
 * Exit status: 0 when the report has no error, 1 when it has, 2 when the
 * program itself fails.
 */
#include <apmatrix.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct guest {
	const char *name;
	const char *uuid;
	unsigned int role; /* the configuration it is built with */
	int defined;       /* also defined (for autostart), same matrix */
	struct apmatrix_mdev *mdev;
};

static struct guest guests[] = {
	{"guest-db", "6a2b1c3d-0d1e-4b5c-9a7f-000000000db1", APMATRIX_ROLE_LIVE,
	 1, NULL},
	{"guest-web", "6a2b1c3d-0d1e-4b5c-9a7f-00000000a3b2",
	 APMATRIX_ROLE_LIVE, 0, NULL},
	{"guest-batch", "6a2b1c3d-0d1e-4b5c-9a7f-0000000ba7c3",
	 APMATRIX_ROLE_DEFINED, 1, NULL},
};
#define N_GUESTS (sizeof(guests) / sizeof(guests[0]))

/* Report a failed call with the library's diagnostic; returns -1. */
static int failed(struct apmatrix_ctx *ctx, const char *what, int r)
{
	const char *diag = ctx ? apmatrix_get_diagnostic(ctx) : "";

	fprintf(stderr, "check-scenario: %s: %s%s%s\n", what,
		apmatrix_strerror(r), *diag ? ": " : "", diag);
	return -1;
}

#define TRY(ctx, call)                                                         \
	do {                                                                   \
		int r_ = (call);                                               \
		if (r_ < 0)                                                    \
			return failed(ctx, #call, r_);                         \
	} while (0)

static const char *severity_name(int severity)
{
	switch (severity) {
	case APMATRIX_SEVERITY_ERROR:
		return "error";
	case APMATRIX_SEVERITY_WARNING:
		return "warning";
	case APMATRIX_SEVERITY_INFO:
		return "info";
	default:
		return "?";
	}
}

static const char *guest_name(const char *uuid)
{
	size_t i;

	for (i = 0; i < N_GUESTS; i++)
		if (strcmp(guests[i].uuid, uuid) == 0)
			return guests[i].name;
	return uuid;
}

/*
 * The host: four CEX8 cards with three domains each; adapter 0x03 stays in
 * the host pool, 0x04-0x06 are bound to vfio_ap as the kernel would bind
 * them after the apmask write.
 */
static int build_host(struct apmatrix_ctx *ctx, struct apmatrix_host *host)
{
	static const unsigned int domains[] = {0x05, 0x47, 0x48};
	unsigned int adapter;
	size_t d;
	int r;

	for (adapter = 0x03; adapter <= 0x06; adapter++) {
		unsigned int mode = adapter == 0x06 ? APMATRIX_MODE_EP11
						    : APMATRIX_MODE_CCA;

		TRY(ctx, apmatrix_host_add_card(host, adapter, 14, mode,
						APMATRIX_STATE_ONLINE |
							APMATRIX_STATE_CONFIG));
		for (d = 0; d < sizeof(domains) / sizeof(domains[0]); d++)
			TRY(ctx,
			    apmatrix_host_add_queue(
				    host, APMATRIX_APQN(adapter, domains[d]),
				    APMATRIX_DRIVER_DEFAULT,
				    APMATRIX_STATE_ONLINE |
					    APMATRIX_STATE_CONFIG));
	}
	for (d = 0; d < sizeof(domains) / sizeof(domains[0]); d++)
		TRY(ctx, apmatrix_idset_set(
				 apmatrix_host_get_control_domain_mask(host),
				 domains[d]));

	/* echo -4-6 > /sys/bus/ap/apmask; aqmask keeps every domain. */
	r = apmatrix_idset_parse(apmatrix_host_get_apmask(host), "-4-6\n",
				 APMATRIX_SYNTAX_KERNEL, 0);
	if (r < 0)
		return failed(ctx, "parse apmask", r);
	TRY(ctx, apmatrix_host_bind_by_masks(host));
	return 0;
}

/* The three mdevs, each assigned through a different text form. */
static int build_guests(struct apmatrix_ctx *ctx)
{
	struct apmatrix_matrix *m;
	size_t i;

	for (i = 0; i < N_GUESTS; i++) {
		TRY(ctx,
		    apmatrix_mdev_new(ctx, guests[i].uuid, &guests[i].mdev));
		TRY(ctx, apmatrix_mdev_add_config(guests[i].mdev,
						  guests[i].role, 0));
	}

	/* guest-db: as the sysfs `matrix` and `control_domains` files say. */
	m = apmatrix_mdev_get_matrix(guests[0].mdev, guests[0].role);
	TRY(ctx, apmatrix_matrix_parse(m, "04.0047\n05.0047\n",
				       APMATRIX_MATRIX_SYSFS, 0));
	TRY(ctx, apmatrix_matrix_parse(m, "0047\n",
				       APMATRIX_MATRIX_CONTROL_DOMAINS, 0));

	/* guest-web: ID by ID, as assign_adapter/assign_domain writes. */
	m = apmatrix_mdev_get_matrix(guests[1].mdev, guests[1].role);
	TRY(ctx, apmatrix_idset_set(apmatrix_matrix_get_adapters(m), 0x06));
	TRY(ctx,
	    apmatrix_idset_set(apmatrix_matrix_get_usage_domains(m), 0x47));
	TRY(ctx,
	    apmatrix_idset_set(apmatrix_matrix_get_usage_domains(m), 0x48));
	TRY(ctx,
	    apmatrix_idset_set(apmatrix_matrix_get_control_domains(m), 0x47));

	/* guest-batch: an `ap_config` triple, as a definition stores it. */
	m = apmatrix_mdev_get_matrix(guests[2].mdev, guests[2].role);
	TRY(ctx, apmatrix_matrix_parse(m, "0x14,0x000000000000000001,0x0",
				       APMATRIX_MATRIX_AP_CONFIG, 0));

	/* The definitions, starting automatically. */
	for (i = 0; i < N_GUESTS; i++) {
		struct apmatrix_mdev *mdev = guests[i].mdev;

		if (!guests[i].defined)
			continue;
		if (guests[i].role != APMATRIX_ROLE_DEFINED) {
			TRY(ctx, apmatrix_mdev_add_config(
					 mdev, APMATRIX_ROLE_DEFINED, 0));
			TRY(ctx, apmatrix_matrix_assign(
					 apmatrix_mdev_get_matrix(
						 mdev, APMATRIX_ROLE_DEFINED),
					 apmatrix_mdev_get_matrix(
						 mdev, guests[i].role)));
		}
		TRY(ctx, apmatrix_mdev_set_autostart(mdev, 1));
	}
	return 0;
}

static const char *state_name(unsigned int state)
{
	if (state & APMATRIX_MDEV_ACTIVE)
		return state & APMATRIX_MDEV_AUTOSTART ? "live+auto" : "live";
	if (state & APMATRIX_MDEV_AUTOSTART)
		return "autostart";
	if (state & APMATRIX_MDEV_DEFINED)
		return "defined";
	return "-";
}

static void print_apqns(const struct apmatrix_matrix *m)
{
	char apqn[8];
	int a;

	for (a = apmatrix_matrix_next_apqn(m, 0); a >= 0;
	     a = apmatrix_matrix_next_apqn(m, (unsigned int)a + 1)) {
		apmatrix_apqn_format((unsigned int)a, 0, apqn, sizeof(apqn));
		printf(" %s", apqn);
	}
}

static int print_scenario(struct apmatrix_ctx *ctx, struct apmatrix_host *host)
{
	char mask[80];
	size_t i;

	TRY(ctx,
	    apmatrix_idset_format(apmatrix_host_get_apmask(host),
				  APMATRIX_SYNTAX_LIST, 0, mask, sizeof(mask)));
	printf("host: CEX8 cards 03-06, domains 0005 0047 0048; apmask %s "
	       "(adapters 04-06 given to vfio_ap)\n",
	       mask);
	for (i = 0; i < N_GUESTS; i++) {
		struct apmatrix_matrix *m = apmatrix_mdev_get_matrix(
			guests[i].mdev, guests[i].role);
		struct apmatrix_matrix *g = NULL;

		printf("%-11s %-9s assigned:", guests[i].name,
		       state_name(apmatrix_mdev_get_state(guests[i].mdev)));
		print_apqns(m);
		TRY(ctx, apmatrix_host_predict_guest_matrix(host, m, &g));
		printf("; guest gets:");
		print_apqns(g);
		if (apmatrix_matrix_get_apqn_count(g) == 0)
			printf(" nothing");
		printf("\n");
		apmatrix_matrix_unref(g);
	}
	printf("\n");
	return 0;
}

static void print_findings(const struct apmatrix_report *report)
{
	unsigned int i, n = apmatrix_report_get_count(report);

	printf("%u finding%s:\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, i);
		unsigned int u;

		printf("%-7s %-20s %s",
		       severity_name(apmatrix_finding_get_severity(f)),
		       apmatrix_finding_get_code_name(f),
		       apmatrix_finding_get_message(f));
		printf(" [");
		for (u = 0; u < apmatrix_finding_get_uuid_count(f); u++)
			printf("%s%s (%s)", u ? ", " : "",
			       guest_name(apmatrix_finding_get_uuid(f, u)),
			       apmatrix_finding_get_role(f, u) ==
					       APMATRIX_ROLE_LIVE
				       ? "live"
				       : "defined");
		printf("]\n");
	}
}

static int print_json(struct apmatrix_ctx *ctx,
		      const struct apmatrix_report *report)
{
	char *json;
	int len;

	/* snprintf() style: ask for the length, then format. */
	len = apmatrix_report_format_json(report, APMATRIX_JSON_PRETTY, NULL,
					  0);
	if (len < 0)
		return failed(ctx, "apmatrix_report_format_json", len);
	json = malloc((size_t)len + 1);
	if (!json)
		return failed(ctx, "malloc", -ENOMEM);
	len = apmatrix_report_format_json(report, APMATRIX_JSON_PRETTY, json,
					  (size_t)len + 1);
	if (len < 0) {
		free(json);
		return failed(ctx, "apmatrix_report_format_json", len);
	}
	fputs(json, stdout);
	if (len == 0 || json[len - 1] != '\n')
		putchar('\n');
	free(json);
	return 0;
}

/* Everything that needs cleaning up on every path lives here. */
struct run {
	struct apmatrix_ctx *ctx;
	struct apmatrix_host *host;
	struct apmatrix_check *check;
	struct apmatrix_report *report;
};

static int run_check(struct run *run, int json_only)
{
	struct apmatrix_ctx *ctx = run->ctx;
	size_t i;

	TRY(ctx, apmatrix_host_new(ctx, &run->host));
	if (build_host(ctx, run->host) < 0 || build_guests(ctx) < 0)
		return -1;
	if (!json_only && print_scenario(ctx, run->host) < 0)
		return -1;

	/* [check] */
	TRY(ctx, apmatrix_check_new(ctx, &run->check));
	TRY(ctx, apmatrix_check_set_host(run->check, run->host));
	for (i = 0; i < N_GUESTS; i++)
		TRY(ctx, apmatrix_check_add_mdev(run->check, guests[i].mdev));
	TRY(ctx, apmatrix_check_run(run->check, 0, &run->report));
	/* [check] */

	if (!json_only) {
		print_findings(run->report);
		printf("\n");
	}
	if (print_json(ctx, run->report) < 0)
		return -1;
	return apmatrix_report_get_max_severity(run->report) ==
	       APMATRIX_SEVERITY_ERROR;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: check-scenario [--json]\n"
		     "Check three mediated devices on an in-memory host.\n"
		     "Exit status: 0 no errors, 1 errors found, 2 failure.\n");
}

int main(int argc, char **argv)
{
	struct run run = {NULL, NULL, NULL, NULL};
	int json_only = 0;
	int i, r;
	size_t g;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json_only = 1;
		} else if (strcmp(argv[i], "--help") == 0 ||
			   strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}

	r = apmatrix_new(&run.ctx);
	if (r < 0) {
		failed(NULL, "apmatrix_new", r);
		return 2;
	}
	r = run_check(&run, json_only);

	apmatrix_report_unref(run.report);
	apmatrix_check_unref(run.check);
	apmatrix_host_unref(run.host);
	for (g = 0; g < N_GUESTS; g++)
		guests[g].mdev = apmatrix_mdev_unref(guests[g].mdev);
	apmatrix_unref(run.ctx);
	if (r < 0)
		return 2;
	return r;
}
