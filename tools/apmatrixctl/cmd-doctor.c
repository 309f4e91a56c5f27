/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl doctor: the boot chain, each problem with the command that
 * fixes it. vfio_ap loaded and its matrix parent present; mdevctl's udev
 * rule and callouts pointing at programs that exist; 41-ap.rules present
 * and matching the active masks; every autostart definition startable
 * (planned against the host as `start` would).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "common.h"

struct doctor {
	struct ctl *ctl;
	struct json_object *checks;
	int max;
};

static void say(struct doctor *d, int sev, const char *name, const char *msg,
		const char *fix)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "check", json_object_new_string(name));
	json_object_object_add(
		o, "severity",
		json_object_new_string(sev ? ctl_severity_name(sev) : "ok"));
	json_object_object_add(o, "message", json_object_new_string(msg));
	json_object_object_add(o, "fix",
			       fix ? json_object_new_string(fix) : NULL);
	json_object_array_add(d->checks, o);
	if (sev == APMATRIX_SEVERITY_ERROR ||
	    (sev == APMATRIX_SEVERITY_WARNING &&
	     d->max != APMATRIX_SEVERITY_ERROR))
		d->max = sev;
	if (d->ctl->json)
		return;
	printf("%s%-7s%s %-18s %s\n", ctl_sgr(d->ctl, sev ? sev : -1),
	       sev ? ctl_severity_name(sev) : "ok", ctl_sgr_reset(d->ctl), name,
	       msg);
	if (fix)
		printf("        %-18s fix: %s\n", "", fix);
}

/* Package files live beside the etc root: /usr/lib for /etc. */
static void lib_path(struct ctl *ctl, const char *rel, char *buf, size_t size)
{
	const char *etc = apmatrix_get_root(ctl->ctx, APMATRIX_ROOT_ETC);
	size_t n = strlen(etc);

	if (n >= 4 && !strcmp(etc + n - 4, "/etc"))
		snprintf(buf, size, "%.*s%s", (int)(n - 4), etc, rel);
	else
		snprintf(buf, size, "%s", rel);
}

static int executable(struct ctl *ctl, const char *abs)
{
	char path[PATH_MAX];

	lib_path(ctl, abs, path, sizeof(path));
	return access(path, X_OK) == 0;
}

/* Every absolute program path after RUN+=" in mdevctl's udev rule. */
static void check_udev_rule(struct doctor *d)
{
	static const char *const rules[] = {
		"/usr/lib/udev/rules.d/60-mdevctl.rules",
		"/lib/udev/rules.d/60-mdevctl.rules"};
	char path[PATH_MAX], line[2048], msg[3 * PATH_MAX], last[PATH_MAX] = "";
	int found = 0, bad = 0;
	FILE *f = NULL;

	for (size_t i = 0; !f && i < 2; i++) {
		lib_path(d->ctl, rules[i], path, sizeof(path));
		f = fopen(path, "re");
	}
	if (!f) {
		say(d, APMATRIX_SEVERITY_WARNING, "mdevctl-udev-rule",
		    "mdevctl's udev rule 60-mdevctl.rules is missing: "
		    "definitions do not start at boot",
		    "apt-get install mdevctl");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		for (char *p = line;
		     (p = strstr(p, " /")) || (p = strstr(line, "'/"));) {
			char prog[PATH_MAX];
			size_t n = strcspn(p + 1, " '\"\n");

			if (n >= sizeof(prog) || line[0] == '#')
				break;
			memcpy(prog, p + 1, n);
			prog[n] = '\0';
			if (strstr(prog, "/bin/") || strstr(prog, "/sbin/")) {
				found++;
				if (strcmp(prog, last) &&
				    !executable(d->ctl, prog)) {
					snprintf(last, sizeof(last), "%s",
						 prog);
					snprintf(msg, sizeof(msg),
						 "%s runs %s, which does not "
						 "exist",
						 path, prog);
					say(d, APMATRIX_SEVERITY_ERROR,
					    "mdevctl-udev-rule", msg,
					    "ln -s \"$(command -v mdevctl)\" "
					    "/usr/sbin/mdevctl");
					bad = 1;
				}
			}
			p += n + 1;
			if (p >= line + strlen(line))
				break;
		}
	}
	fclose(f);
	if (!bad) {
		snprintf(msg, sizeof(msg), "%s: %d program%s, all present",
			 path, found, found == 1 ? "" : "s");
		say(d, 0, "mdevctl-udev-rule", msg, NULL);
	}
}

static void check_callouts(struct doctor *d)
{
	const char *etc = apmatrix_get_root(d->ctl->ctx, APMATRIX_ROOT_ETC);
	char dir[PATH_MAX], msg[3 * PATH_MAX];
	struct dirent *de;
	int ap = 0, bad = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/mdevctl.d/scripts.d/callouts", etc);
	dp = opendir(dir);
	while (dp && (de = readdir(dp))) {
		char p[PATH_MAX + 256];

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (access(p, X_OK) < 0) {
			snprintf(msg, sizeof(msg),
				 "callout %s is not an executable program", p);
			say(d, APMATRIX_SEVERITY_ERROR, "mdevctl-callout", msg,
			    "remove it, or install the program it points at");
			bad = 1;
		} else if (strstr(de->d_name, "ap-check") ||
			   strstr(de->d_name, "apmatrix")) {
			ap = 1;
		}
	}
	if (dp)
		closedir(dp);
	if (!ap && !bad)
		say(d, APMATRIX_SEVERITY_WARNING, "mdevctl-callout",
		    "no AP callout (ap-check or apmatrix-callout): mdevctl "
		    "starts conflicting vfio_ap definitions unchecked",
		    "apt-get install s390-tools (ap-check), or link "
		    "apmatrix-callout into /etc/mdevctl.d/scripts.d/callouts");
	else if (!bad)
		say(d, 0, "mdevctl-callout",
		    "an AP callout checks mdevctl's changes", NULL);
}

static void check_rules(struct doctor *d, struct apmatrix_host *host,
			struct apmatrix_store *store)
{
	const struct apmatrix_idset *pap =
		apmatrix_store_get_persistent_apmask(store);
	const struct apmatrix_idset *paq =
		apmatrix_store_get_persistent_aqmask(store);
	struct apmatrix_idset *ap = apmatrix_host_get_apmask(host);
	struct apmatrix_idset *aq = apmatrix_host_get_aqmask(host);
	char a[800], q[800], fix[1800];

	if (apmatrix_idset_get_count(ap) == 256 &&
	    apmatrix_idset_get_count(aq) == 256 && !pap && !paq) {
		say(d, 0, "41-ap.rules",
		    "no reservation for vfio_ap, and none is persistent", NULL);
		return;
	}
	apmatrix_idset_format(ap, APMATRIX_SYNTAX_LIST, 0, a, sizeof(a));
	apmatrix_idset_format(aq, APMATRIX_SYNTAX_LIST, 0, q, sizeof(q));
	snprintf(fix, sizeof(fix),
		 "chzdev --type ap --persistent apmask=%s aqmask=%s", a, q);
	if (!pap && !paq) {
		say(d, APMATRIX_SEVERITY_WARNING, "41-ap.rules",
		    "the active apmask/aqmask reserve queues for vfio_ap, but "
		    "41-ap.rules does not: after a reboot the host drivers "
		    "take them back",
		    fix);
		return;
	}
	if ((pap ? !apmatrix_idset_equal(pap, ap) : 0) ||
	    (paq ? !apmatrix_idset_equal(paq, aq) : 0)) {
		say(d, APMATRIX_SEVERITY_WARNING, "41-ap.rules",
		    "41-ap.rules sets other masks than the active ones: the "
		    "host changes at the next boot",
		    fix);
		return;
	}
	say(d, 0, "41-ap.rules", "41-ap.rules matches the active masks", NULL);
}

/* Each autostart definition that is not live, planned as `start` would. */
static void check_autostart(struct doctor *d, struct apmatrix_host *host,
			    struct apmatrix_store *store)
{
	unsigned int n = apmatrix_store_get_mdev_count(store), checked = 0;
	char msg[1024], fix[256];
	int bad = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct apmatrix_mdev *m = apmatrix_store_get_mdev(store, i);
		const char *uuid = apmatrix_mdev_get_uuid(m);
		struct apmatrix_target *t = NULL;
		struct apmatrix_plan *plan = NULL;
		const struct apmatrix_result *ref;

		if (apmatrix_mdev_get_autostart(m) != 1)
			continue;
		checked++;
		if (apmatrix_target_new(d->ctl->ctx, &t) < 0 ||
		    apmatrix_target_set_mdev(
			    t, uuid,
			    apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED),
			    0) < 0 ||
		    apmatrix_plan_new(
			    t, host,
			    apmatrix_host_has_feature(
				    host, APMATRIX_FEATURE_AP_CONFIG) == 1
				    ? 0
				    : APMATRIX_PLAN_NO_AP_CONFIG,
			    &plan) < 0) {
			snprintf(msg, sizeof(msg), "%s: cannot plan: %s", uuid,
				 apmatrix_get_diagnostic(d->ctl->ctx));
			say(d, APMATRIX_SEVERITY_ERROR, "autostart", msg, NULL);
			bad = 1;
		} else if ((ref = apmatrix_plan_get_refusal(plan))) {
			snprintf(msg, sizeof(msg), "%s would not start: %s",
				 uuid, apmatrix_result_get_message(ref));
			snprintf(fix, sizeof(fix),
				 "apmatrixctl modify %s --adapters ... "
				 "--domains ..., "
				 "or apmatrixctl modify %s --manual",
				 uuid, uuid);
			say(d, APMATRIX_SEVERITY_ERROR, "autostart", msg, fix);
			bad = 1;
		}
		apmatrix_plan_unref(plan);
		apmatrix_target_unref(t);
	}
	if (!bad) {
		snprintf(msg, sizeof(msg),
			 "%u autostart definition%s, each startable now",
			 checked, checked == 1 ? "" : "s");
		say(d, 0, "autostart", msg, NULL);
	}
}

static int run_doctor(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {CTL_COMMON_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct doctor d = {ctl, json_object_new_array(), 0};
	struct apmatrix_store *store = NULL;
	struct apmatrix_host *host = NULL;
	int first, r, e;

	first = ctl_parse(ctl, argc, argv, opts, NULL, NULL);
	if (first < 0) {
		json_object_put(d.checks);
		return -first - 1;
	}
	r = ctl_operands(ctl, argc, first, 0, 0);
	if (r) {
		json_object_put(d.checks);
		return r;
	}
	e = apmatrix_host_read(ctl->ctx, 0, &host);
	if (e == -ENODEV) {
		say(&d, APMATRIX_SEVERITY_ERROR, "ap-bus",
		    "no AP bus: not an IBM Z host, or the ap module is not "
		    "loaded",
		    "modprobe ap");
	} else if (e < 0) {
		r = ctl_lib_err(ctl, e, NULL, "reading the host");
		goto out;
	} else if (apmatrix_host_has_feature(host, APMATRIX_FEATURE_VFIO_AP) !=
		   1) {
		say(&d, APMATRIX_SEVERITY_ERROR, "vfio_ap",
		    "vfio_ap is not loaded: there is no matrix parent for "
		    "mdevs",
		    "modprobe vfio_ap");
	} else {
		say(&d, 0, "vfio_ap",
		    "vfio_ap is loaded and devices/vfio_ap/matrix is present",
		    NULL);
	}
	check_udev_rule(&d);
	check_callouts(&d);
	e = apmatrix_store_read(ctl->ctx, 0, &store);
	if (e < 0)
		say(&d, APMATRIX_SEVERITY_ERROR, "definitions",
		    apmatrix_get_diagnostic(ctl->ctx), NULL);
	if (host && store) {
		check_rules(&d, host, store);
		check_autostart(&d, host, store);
	}
	if (ctl->json) {
		struct json_object *top = json_object_new_object();

		json_object_object_add(top, "checks",
				       json_object_get(d.checks));
		json_object_object_add(
			top, "severity",
			json_object_new_string(ctl_severity_name(d.max)));
		r = ctl_print_json(ctl, top);
		json_object_put(top);
	}
	if (r == CTL_EXIT_OK)
		r = ctl_severity_exit(d.max);
out:
	json_object_put(d.checks);
	apmatrix_store_unref(store);
	apmatrix_host_unref(host);
	return r;
}

const struct ctl_verb ctl_verb_doctor = {
	"doctor",
	"check the boot chain; each problem with the command that fixes it",
	"doctor [--json]   (exit 0 fine, 1 warnings, 2 errors)", run_doctor};
