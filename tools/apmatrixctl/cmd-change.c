/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl start, stop, reserve, release, plan, apply: every change of
 * the live host is a target, planned by the library against a fresh read
 * of the host and applied by it (transactionally, under the s390apconfig
 * lock, with rollback). The tool only shows the plan and asks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char *step_kind_name(int kind)
{
	switch (kind) {
	case APMATRIX_STEP_RELEASE:
		return "release";
	case APMATRIX_STEP_RECLAIM:
		return "reclaim";
	case APMATRIX_STEP_CREATE:
		return "create";
	case APMATRIX_STEP_CONFIGURE:
		return "configure";
	case APMATRIX_STEP_ASSIGN:
		return "assign";
	case APMATRIX_STEP_UNASSIGN:
		return "unassign";
	case APMATRIX_STEP_REMOVE:
		return "remove";
	default:
		return "unknown";
	}
}

static struct json_object *json_apqns(const struct apmatrix_apqn_list *l)
{
	struct json_object *arr = json_object_new_array();
	char buf[8];

	for (unsigned int i = 0; i < apmatrix_apqn_list_get_count(l); i++) {
		apmatrix_apqn_format(
			(unsigned int)apmatrix_apqn_list_get_apqn(l, i), 0, buf,
			sizeof(buf));
		json_object_array_add(arr, json_object_new_string(buf));
	}
	return arr;
}

static struct json_object *json_result(const struct apmatrix_result *res)
{
	struct json_object *o;
	const char *u;

	if (!res)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "error",
			       json_object_new_string(apmatrix_strerror(
				       apmatrix_result_get_error(res))));
	json_object_object_add(
		o, "step",
		apmatrix_result_get_step(res) >= 0
			? json_object_new_int(apmatrix_result_get_step(res) + 1)
			: NULL);
	json_object_object_add(
		o, "message",
		json_object_new_string(apmatrix_result_get_message(res)));
	u = apmatrix_result_get_uuid(res);
	json_object_object_add(o, "uuid", u ? json_object_new_string(u) : NULL);
	u = apmatrix_result_get_other_uuid(res);
	json_object_object_add(o, "other_uuid",
			       u ? json_object_new_string(u) : NULL);
	json_object_object_add(o, "apqns",
			       json_apqns(apmatrix_result_get_apqns(res)));
	return o;
}

static int print_plan_json(struct ctl *ctl, const struct apmatrix_plan *plan)
{
	struct json_object *top = json_object_new_object();
	struct json_object *steps = json_object_new_array();
	struct json_object *guests = json_object_new_array();
	const struct apmatrix_report *rep = apmatrix_plan_get_report(plan);
	int r;

	for (unsigned int i = 0; i < apmatrix_plan_get_step_count(plan); i++) {
		const struct apmatrix_step *s = apmatrix_plan_get_step(plan, i);
		struct json_object *o = json_object_new_object();
		const char *u = apmatrix_step_get_uuid(s);

		json_object_object_add(o, "kind",
				       json_object_new_string(step_kind_name(
					       apmatrix_step_get_kind(s))));
		json_object_object_add(o, "uuid",
				       u ? json_object_new_string(u) : NULL);
		json_object_object_add(
			o, "path",
			json_object_new_string(apmatrix_step_get_path(s)));
		json_object_object_add(
			o, "value",
			json_object_new_string(apmatrix_step_get_value(s)));
		json_object_object_add(o, "apqns",
				       json_apqns(apmatrix_step_get_apqns(s)));
		json_object_object_add(
			o, "collateral",
			json_apqns(apmatrix_step_get_collateral(s)));
		json_object_array_add(steps, o);
	}
	json_object_object_add(top, "steps", steps);
	json_object_object_add(top, "refusal",
			       json_result(apmatrix_plan_get_refusal(plan)));
	for (unsigned int i = 0; i < apmatrix_plan_get_mdev_count(plan); i++) {
		struct json_object *o = json_object_new_object();
		struct apmatrix_matrix *m = NULL;

		json_object_object_add(
			o, "uuid",
			json_object_new_string(
				apmatrix_plan_get_mdev_uuid(plan, i)));
		/* a copy: the plan's matrix is const */
		if (apmatrix_matrix_new(ctl->ctx, &m) == 0 &&
		    apmatrix_matrix_assign(
			    m, apmatrix_plan_get_guest_matrix(plan, i)) == 0)
			json_object_object_add(o, "guest", ctl_json_matrix(m));
		apmatrix_matrix_unref(m);
		json_object_array_add(guests, o);
	}
	json_object_object_add(top, "mdevs_after", guests);
	if (rep) {
		struct json_object *all = ctl_json_report(ctl, rep);

		json_object_object_add(
			top, "findings_after",
			all ? json_object_get(
				      json_object_object_get(all, "findings"))
			    : NULL);
		json_object_put(all);
	} else {
		json_object_object_add(top, "findings_after", NULL);
	}
	r = ctl_print_json(ctl, top);
	json_object_put(top);
	return r;
}

/* The steps, with what each moves and what it moves that nobody asked
 * for (a mask change is a cross product). */
static void print_plan(struct ctl *ctl, const struct apmatrix_plan *plan)
{
	unsigned int n = apmatrix_plan_get_step_count(plan);

	if (!n && !apmatrix_plan_get_refusal(plan)) {
		printf("nothing to do: the host is as asked\n");
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct apmatrix_step *s = apmatrix_plan_get_step(plan, i);
		const struct apmatrix_apqn_list *col =
			apmatrix_step_get_collateral(s);
		char line[1024], apqns[1024];

		apmatrix_step_format(s, 0, line, sizeof(line));
		printf("%u. %s\n", i + 1, line);
		if (apmatrix_apqn_list_get_count(col)) {
			if (apmatrix_apqn_list_format(col, " ", 0, apqns,
						      sizeof(apqns)) >=
			    (int)sizeof(apqns))
				strcpy(apqns + sizeof(apqns) - 4, "...");
			printf("   %salso moves%s (not asked for): %s\n",
			       ctl_sgr(ctl, APMATRIX_SEVERITY_WARNING),
			       ctl_sgr_reset(ctl), apqns);
		}
	}
}

/*
 * Plan @p target against a fresh read of the host; show it; stop on a
 * refusal, --dry-run or no confirmation; else apply. @p ask: confirm first
 * (reserve/release move host queues).
 */
int ctl_change(struct ctl *ctl, struct apmatrix_target *target, int ask,
	       int show_json)
{
	const struct apmatrix_result *refusal;
	struct apmatrix_result *res = NULL;
	struct apmatrix_plan *plan = NULL;
	struct apmatrix_host *host = NULL;
	unsigned int flags = 0;
	int r, e;

	r = ctl_read_host(ctl, 0, &host);
	if (r != CTL_EXIT_OK)
		return r;
	if (apmatrix_host_has_feature(host, APMATRIX_FEATURE_AP_CONFIG) != 1)
		flags |= APMATRIX_PLAN_NO_AP_CONFIG;
	e = apmatrix_plan_new(target, host, flags, &plan);
	if (e < 0) {
		r = ctl_lib_err(ctl, e, NULL, "planning");
		goto out;
	}
	refusal = apmatrix_plan_get_refusal(plan);
	if (show_json) {
		r = print_plan_json(ctl, plan);
		if (r == CTL_EXIT_OK && refusal)
			r = CTL_EXIT_ERRORS;
		if (r != CTL_EXIT_OK || ctl->dry_run || refusal)
			goto out;
	} else if (!ctl->quiet || ctl->dry_run) {
		print_plan(ctl, plan);
	}
	if (refusal) {
		ctl_err(ctl,
			"nothing was written; change what you ask for, or "
			"free the APQNs named first",
			"refused: %s", apmatrix_result_get_message(refusal));
		r = CTL_EXIT_ERRORS;
		goto out;
	}
	if (ctl->dry_run || !apmatrix_plan_get_step_count(plan))
		goto out;
	if (ask && !ctl_confirm(ctl, "apply these changes?")) {
		fprintf(stderr, "apmatrixctl %s: nothing changed\n", ctl->verb);
		r = CTL_EXIT_FAILED;
		goto out;
	}
	ctl_progress(ctl, "%s: applying %u step%s", ctl->verb,
		     apmatrix_plan_get_step_count(plan),
		     apmatrix_plan_get_step_count(plan) == 1 ? "" : "s");
	e = apmatrix_plan_apply(plan, 0, &res);
	if (e < 0) {
		int rb = res ? apmatrix_result_get_rollback_error(res) : 0;

		ctl_err(ctl,
			rb ? "the host is partly changed: 'apmatrixctl check' "
			     "shows where it stands"
			   : "the host is as it was before",
			"%s%s",
			res ? apmatrix_result_get_message(res)
			    : apmatrix_get_diagnostic(ctl->ctx),
			rb ? "; undoing it failed too"
			: res && apmatrix_result_get_write_count(res)
				? "; the writes made were undone"
				: "");
		r = rb ? CTL_EXIT_PARTIAL
		    : (e == -EADDRINUSE || e == -EADDRNOTAVAIL || e == -EBUSY)
			    ? CTL_EXIT_ERRORS
			    : CTL_EXIT_FAILED;
		goto out;
	}
	if (!ctl->quiet && !show_json)
		printf("done: %u write%s\n",
		       apmatrix_result_get_write_count(res),
		       apmatrix_result_get_write_count(res) == 1 ? "" : "s");
out:
	apmatrix_result_unref(res);
	apmatrix_plan_unref(plan);
	apmatrix_host_unref(host);
	return r;
}

static int new_target(struct ctl *ctl, struct apmatrix_target **t)
{
	int r = apmatrix_target_new(ctl->ctx, t);

	if (r < 0)
		return ctl_lib_err(ctl, r, NULL, "target");
	return CTL_EXIT_OK;
}

/* ------------------------------------------------------- start, stop */

static int run_start_stop(struct ctl *ctl, int argc, char **argv, int start)
{
	static const struct option opts[] = {CTL_COMMON_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct apmatrix_target *target = NULL;
	struct apmatrix_store *store = NULL;
	struct apmatrix_mdev *def;
	int first, r, e;

	first = ctl_parse_uuid(ctl, argc, argv, opts, NULL, NULL);
	if (first < 0)
		return -first - 1;
	r = new_target(ctl, &target);
	if (r != CTL_EXIT_OK)
		return r;
	if (start) {
		r = ctl_read_store(ctl, &store);
		if (r != CTL_EXIT_OK)
			goto out;
		def = apmatrix_store_find_mdev(store, argv[first]);
		if (!def) {
			ctl_err(ctl,
				"define it first: apmatrixctl define UUID ...",
				"%s is not defined", argv[first]);
			r = CTL_EXIT_FAILED;
			goto out;
		}
		e = apmatrix_target_set_mdev(
			target, argv[first],
			apmatrix_mdev_get_matrix(def, APMATRIX_ROLE_DEFINED),
			0);
	} else {
		e = apmatrix_target_remove_mdev(target, argv[first], 0);
	}
	if (e < 0) {
		r = ctl_lib_err(ctl, e, NULL, "%s", argv[first]);
		goto out;
	}
	r = ctl_change(ctl, target, 0, 0);
	if (r == CTL_EXIT_OK && !ctl->dry_run && !ctl->quiet)
		printf("%s %s\n", start ? "started" : "stopped", argv[first]);
out:
	apmatrix_store_unref(store);
	apmatrix_target_unref(target);
	return r;
}

static int run_start(struct ctl *ctl, int argc, char **argv)
{
	return run_start_stop(ctl, argc, argv, 1);
}

static int run_stop(struct ctl *ctl, int argc, char **argv)
{
	return run_start_stop(ctl, argc, argv, 0);
}

/* ---------------------------------------------------- reserve, release */

enum { OPT_ADAPTERS = CTL_OPT_VERB, OPT_DOMAINS };

struct pool_opts {
	const char *adapters, *domains;
};

static int pool_opt(struct ctl *ctl, int c, const char *arg, void *data)
{
	struct pool_opts *o = data;

	if (c == OPT_ADAPTERS)
		o->adapters = arg;
	else if (c == OPT_DOMAINS)
		o->domains = arg;
	else
		return CTL_EXIT_USAGE;
	return 0;
}

static int run_pool(struct ctl *ctl, int argc, char **argv, int to_vfio)
{
	static const struct option opts[] = {
		{"adapters", required_argument, NULL, OPT_ADAPTERS},
		{"domains", required_argument, NULL, OPT_DOMAINS},
		CTL_COMMON_OPTIONS,
		{NULL, 0, NULL, 0}};
	struct apmatrix_target *target = NULL;
	struct apmatrix_matrix *q = NULL;
	struct pool_opts o = {0};
	int first, r, e;

	first = ctl_parse(ctl, argc, argv, opts, pool_opt, &o);
	if (first < 0)
		return -first - 1;
	r = ctl_operands(ctl, argc, first, 0, 0);
	if (r)
		return r;
	if (!o.adapters || !o.domains)
		return ctl_usage_err(ctl, "give --adapters and --domains: the "
					  "queues are their cross product");
	e = apmatrix_matrix_new(ctl->ctx, &q);
	if (e < 0)
		return ctl_lib_err(ctl, e, NULL, "matrix");
	r = ctl_parse_ids(ctl, apmatrix_matrix_get_adapters(q), "adapters",
			  o.adapters);
	if (r == CTL_EXIT_OK)
		r = ctl_parse_ids(ctl, apmatrix_matrix_get_usage_domains(q),
				  "domains", o.domains);
	if (r == CTL_EXIT_OK)
		r = new_target(ctl, &target);
	if (r != CTL_EXIT_OK)
		goto out;
	e = to_vfio ? apmatrix_target_give_to_vfio(target, q, 0)
		    : apmatrix_target_give_to_host(target, q, 0);
	if (e < 0) {
		r = ctl_lib_err(ctl, e, NULL, "%s",
				to_vfio ? "reserve" : "release");
		goto out;
	}
	r = ctl_change(ctl, target, 1, 0);
	if (r == CTL_EXIT_OK && !ctl->dry_run && !ctl->quiet)
		printf("%s\n", to_vfio ? "reserved for vfio_ap"
				       : "given back to the host drivers");
out:
	apmatrix_target_unref(target);
	apmatrix_matrix_unref(q);
	return r;
}

static int run_reserve(struct ctl *ctl, int argc, char **argv)
{
	return run_pool(ctl, argc, argv, 1);
}

static int run_release(struct ctl *ctl, int argc, char **argv)
{
	return run_pool(ctl, argc, argv, 0);
}

/* ----------------------------------------------------------- plan, apply */

static int run_plan_apply(struct ctl *ctl, int argc, char **argv, int apply)
{
	static const struct option opts[] = {CTL_COMMON_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct apmatrix_target *target = NULL;
	int first, r;

	first = ctl_parse(ctl, argc, argv, opts, NULL, NULL);
	if (first < 0)
		return -first - 1;
	r = ctl_operands(ctl, argc, first, 1, 1);
	if (r)
		return r;
	if (!apply)
		ctl->dry_run = 1;
	r = ctl_read_desired(ctl, argv[first], &target);
	if (r == CTL_EXIT_OK)
		r = ctl_change(ctl, target, 0, ctl->json);
	apmatrix_target_unref(target);
	return r;
}

static int run_plan(struct ctl *ctl, int argc, char **argv)
{
	return run_plan_apply(ctl, argc, argv, 0);
}

static int run_apply(struct ctl *ctl, int argc, char **argv)
{
	return run_plan_apply(ctl, argc, argv, 1);
}

const struct ctl_verb ctl_verb_start = {
	"start", "create a defined mdev with its defined matrix",
	"start UUID [--dry-run]", run_start};
const struct ctl_verb ctl_verb_stop = {"stop", "remove a live mdev",
				       "stop UUID [--dry-run]", run_stop};
const struct ctl_verb ctl_verb_reserve = {
	"reserve", "take queues from the host drivers for vfio_ap",
	"reserve --adapters IDS --domains IDS [--yes] [--dry-run]",
	run_reserve};
const struct ctl_verb ctl_verb_release = {
	"release", "give queues back to the host drivers",
	"release --adapters IDS --domains IDS [--yes] [--dry-run]",
	run_release};
const struct ctl_verb ctl_verb_plan = {
	"plan", "show the steps from the host to a desired-state file",
	"plan FILE [--json]", run_plan};
const struct ctl_verb ctl_verb_apply = {
	"apply", "apply a desired-state file (all or nothing)",
	"apply FILE [--dry-run] [--yes] [--json]", run_apply};
