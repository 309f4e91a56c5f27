// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * apmatrix-callout: an mdevctl callout for vfio_ap mdevs, a drop-in for
 * s390-tools' ap-check that refuses what ap-check refuses and more.
 *
 *   apmatrix-callout -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT
 *
 * mdevctl runs it before (pre) and after (post) define, modify, start, stop
 * and undefine, with the device's config as JSON on stdin, and for "get
 * attributes" of an active device. Exit codes as ap-check: 0 go ahead,
 * 2 not our type (mdevctl asks the next script), 1 bad arguments, 255
 * refused (mdevctl prints our stderr and stops).
 *
 * Verdicts:
 * - pre define/modify: an autostart definition must not share APQNs with
 *   another autostart definition nor take APQNs of the persistent host
 *   pool (the rules file's masks, the active ones where it sets none, as
 *   libap reads them), and its IDs must be within the host's limits. A
 *   manual definition is not refused (mdevctl modify --addattr builds one
 *   attribute at a time: a definition with only control domains so far is
 *   legal until it starts); what it would hit at start is a warning.
 * - pre start: the device must not share APQNs with a live mdev nor take
 *   APQNs of the active host pool, must have usage domains when it has
 *   control domains, and its IDs must be within the host's limits; queues
 *   that are missing or not bound to vfio_ap are warnings.
 * The s390apconfig lock is taken for mdevctl (the parent) in pre and
 * released in post, as ap-check does, so nothing changes the AP
 * configuration between the check and the write.
 *
 * Roots for tests: APMATRIX_SYSFS_ROOT, APMATRIX_ETC_ROOT, APMATRIX_RUN_ROOT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apmatrix.h>

#define TYPE "vfio_ap-passthrough"
#define LOCK_TIMEOUT_MS 95000
#define MAX_STDIN (1024 * 1024)

enum { EXIT_OK = 0, EXIT_ARGS = 1, EXIT_NOT_OURS = 2, EXIT_REFUSE = 255 };

struct args {
	const char *type, *event, *action, *state, *uuid, *parent;
};

static const char *prog = "apmatrix-callout";

static int parse_args(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i += 2) {
		const char **slot = NULL;

		if (strlen(argv[i]) == 2 && argv[i][0] == '-') {
			switch (argv[i][1]) {
			case 't':
				slot = &a->type;
				break;
			case 'e':
				slot = &a->event;
				break;
			case 'a':
				slot = &a->action;
				break;
			case 's':
				slot = &a->state;
				break;
			case 'u':
				slot = &a->uuid;
				break;
			case 'p':
				slot = &a->parent;
				break;
			}
		}
		if (!slot || *slot || i + 1 >= argc)
			return -1;
		*slot = argv[i + 1];
	}
	if (!a->type || !a->event || !a->action || !a->state || !a->uuid ||
	    !a->parent)
		return -1;
	return 0;
}

static int valid_uuid(const char *u)
{
	if (strlen(u) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (u[i] != '-')
				return 0;
		} else if (!strchr("0123456789abcdefABCDEF", u[i])) {
			return 0;
		}
	}
	return 1;
}

static char *read_stdin(void)
{
	size_t alloc = 4096, n = 0;
	char *buf = malloc(alloc);

	while (buf) {
		ssize_t got;

		if (n + 1 == alloc) {
			char *nb = alloc < MAX_STDIN ? realloc(buf, alloc * 2)
						     : NULL;

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			alloc *= 2;
		}
		got = read(STDIN_FILENO, buf + n, alloc - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (buf) {
		buf[n] = '\0';
		/* mdevctl may end what it sends with a NUL or a newline. */
	}
	return buf;
}

static int setup_ctx(struct apmatrix_ctx **ctx)
{
	static const struct {
		const char *env;
		unsigned int root;
	} roots[] = {{"APMATRIX_SYSFS_ROOT", APMATRIX_ROOT_SYSFS},
		     {"APMATRIX_ETC_ROOT", APMATRIX_ROOT_ETC},
		     {"APMATRIX_RUN_ROOT", APMATRIX_ROOT_RUN}};

	if (apmatrix_new(ctx) < 0) {
		fprintf(stderr, "out of memory\n");
		return -1;
	}
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		const char *v = getenv(roots[i].env);

		if (v && *v && apmatrix_set_root(*ctx, roots[i].root, v) < 0) {
			fprintf(stderr, "%s: %s\n", roots[i].env,
				apmatrix_get_diagnostic(*ctx));
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Lock: held for mdevctl from pre to post                             */

static int lock_for_parent(struct apmatrix_ctx *ctx,
			   struct apmatrix_lock **lock)
{
	int r = apmatrix_lock_acquire(ctx, LOCK_TIMEOUT_MS,
				      APMATRIX_LOCK_PARENT, lock);

	if (r < 0)
		fprintf(stderr, "Failed to acquire configuration lock: %s\n",
			apmatrix_get_diagnostic(ctx));
	return r;
}

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */

static const char *role_in(unsigned int role)
{
	return role == APMATRIX_ROLE_LIVE ? "start" : "definition";
}

/*
 * Run a check of @proposed (in @role) against @others and decide: an error
 * finding about @proposed whose code @refuse accepts refuses; every other
 * finding about it is printed as a warning.
 */
static int verdict(struct apmatrix_check *check, struct apmatrix_mdev *proposed,
		   unsigned int role, int (*refuse)(int code, int autostart),
		   int autostart)
{
	struct apmatrix_report *report = NULL;
	unsigned int n;
	int refused = 0;

	if (apmatrix_check_run(check, 0, &report) < 0) {
		fprintf(stderr, "check failed: %s\n",
			apmatrix_get_diagnostic(
				apmatrix_mdev_get_ctx(proposed)));
		return EXIT_REFUSE;
	}
	n = apmatrix_report_get_count(report);
	for (unsigned int i = 0; i < n; i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, i);
		unsigned int k, uc = apmatrix_finding_get_uuid_count(f);
		int error;

		/* about the proposed configuration in its role */
		for (k = 0; k < uc; k++)
			if (!strcmp(apmatrix_finding_get_uuid(f, k),
				    apmatrix_mdev_get_uuid(proposed)) &&
			    apmatrix_finding_get_role(f, k) == (int)role)
				break;
		if (k == uc)
			continue;
		error = apmatrix_finding_get_severity(f) ==
				APMATRIX_SEVERITY_ERROR &&
			refuse(apmatrix_finding_get_code(f), autostart);
		fprintf(stderr, "%s%s\n", error ? "" : "warning: ",
			apmatrix_finding_get_message(f));
		refused |= error;
	}
	apmatrix_report_unref(report);
	if (refused)
		fprintf(stderr, "%s of %s refused\n", role_in(role),
			apmatrix_mdev_get_uuid(proposed));
	return refused ? EXIT_REFUSE : EXIT_OK;
}

static int refuse_at_define(int code, int autostart)
{
	switch (code) {
	case APMATRIX_FINDING_SHARED_APQNS:
	case APMATRIX_FINDING_HOST_POOL_PERSISTENT:
		return autostart;
	case APMATRIX_FINDING_ADAPTER_OVER_LIMIT:
	case APMATRIX_FINDING_DOMAIN_OVER_LIMIT:
	case APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT:
		return 1;
	default:
		/* control domains only so far: legal until it starts */
		return 0;
	}
}

static int refuse_at_start(int code, int autostart)
{
	switch (code) {
	case APMATRIX_FINDING_SHARED_APQNS:
	case APMATRIX_FINDING_HOST_POOL_ACTIVE:
	case APMATRIX_FINDING_CONTROL_WITHOUT_USAGE:
	case APMATRIX_FINDING_ADAPTER_OVER_LIMIT:
	case APMATRIX_FINDING_DOMAIN_OVER_LIMIT:
	case APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT:
		return 1;
	default:
		return 0;
	}
}

/* An mdev with @role and the matrix of @def's definition. */
static int mdev_in_role(struct apmatrix_mdev *def, unsigned int role,
			struct apmatrix_mdev **ret)
{
	struct apmatrix_mdev *m = NULL;
	int r;

	if (role == APMATRIX_ROLE_DEFINED) {
		*ret = apmatrix_mdev_ref(def);
		return 0;
	}
	r = apmatrix_mdev_new(apmatrix_mdev_get_ctx(def),
			      apmatrix_mdev_get_uuid(def), &m);
	if (r == 0)
		r = apmatrix_mdev_add_config(m, role, 0);
	if (r == 0)
		r = apmatrix_matrix_assign(
			apmatrix_mdev_get_matrix(m, role),
			apmatrix_mdev_get_matrix(def, APMATRIX_ROLE_DEFINED));
	if (r < 0) {
		apmatrix_mdev_unref(m);
		return r;
	}
	*ret = m;
	return 0;
}

static int check_proposed(struct apmatrix_ctx *ctx, const struct args *a,
			  struct apmatrix_store *store, const char *config,
			  int at_start)
{
	unsigned int role =
		at_start ? APMATRIX_ROLE_LIVE : APMATRIX_ROLE_DEFINED;
	struct apmatrix_mdev *def = NULL, *proposed = NULL;
	struct apmatrix_check *check = NULL;
	struct apmatrix_host *host = NULL;
	int r, rc = EXIT_REFUSE, autostart;

	r = apmatrix_store_parse_definition(ctx, a->uuid, config, 0, &def);
	if (r < 0) {
		fprintf(stderr, "Failed to read device config: %s\n",
			apmatrix_get_diagnostic(ctx));
		return EXIT_REFUSE;
	}
	if (r > 0)
		fprintf(stderr, "warning: %s\n", apmatrix_get_diagnostic(ctx));
	autostart = apmatrix_mdev_get_autostart(def) == 1;
	if (apmatrix_host_read(ctx, 0, &host) < 0) {
		fprintf(stderr, "Error reading system AP settings: %s\n",
			apmatrix_get_diagnostic(ctx));
		goto out;
	}
	if (at_start &&
	    apmatrix_host_has_feature(host, APMATRIX_FEATURE_VFIO_AP) != 1) {
		/* ap-check's words and exit code */
		fprintf(stderr, "vfio_ap module is not loaded\n");
		rc = EXIT_ARGS;
		goto out;
	}
	if (apmatrix_check_new(ctx, &check) < 0 ||
	    apmatrix_check_set_host(check, host) < 0 ||
	    mdev_in_role(def, role, &proposed) < 0 ||
	    apmatrix_check_add_mdev(check, proposed) < 0)
		goto fail;
	/* What runs now: the live mdevs (at start the device itself is not
	 * live yet; at define its live configuration, if any, is not
	 * compared with its own definition). */
	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(host); i++) {
		struct apmatrix_mdev *m = apmatrix_host_get_mdev(host, i);

		if (at_start && !strcmp(apmatrix_mdev_get_uuid(m), a->uuid))
			continue;
		if (apmatrix_check_add_mdev(check, m) < 0)
			goto fail;
	}
	/* What happens at boot: the other definitions and the persistent
	 * masks (the active one where the rules set none, as libap reads
	 * them); the proposed one stands in for the stored one. */
	if (!at_start && apmatrix_check_add_store(check, store, 0) < 0)
		goto fail;
	rc = verdict(check, proposed, role,
		     at_start ? refuse_at_start : refuse_at_define, autostart);
	goto out;
fail:
	fprintf(stderr, "check failed: %s\n", apmatrix_get_diagnostic(ctx));
out:
	apmatrix_check_unref(check);
	apmatrix_host_unref(host);
	apmatrix_mdev_unref(proposed);
	apmatrix_mdev_unref(def);
	return rc;
}

/* ------------------------------------------------------------------ */
/* get attributes / capabilities                                       */

static void print_ids(const struct apmatrix_idset *set, const char *key,
		      int *first)
{
	for (int id = apmatrix_idset_next(set, 0); id >= 0;
	     id = apmatrix_idset_next(set, (unsigned int)id + 1)) {
		printf("%s{\"%s\":\"%d\"}", *first ? "" : ",", key, id);
		*first = 0;
	}
}

static int get_attributes(struct apmatrix_ctx *ctx, const struct args *a)
{
	struct apmatrix_host *host = NULL;
	struct apmatrix_matrix *mx = NULL;
	int first = 1;

	if (apmatrix_host_read(ctx, APMATRIX_READ_MDEVS, &host) < 0) {
		fprintf(stderr, "Error reading system AP settings: %s\n",
			apmatrix_get_diagnostic(ctx));
		return EXIT_REFUSE;
	}
	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(host); i++) {
		struct apmatrix_mdev *m = apmatrix_host_get_mdev(host, i);

		if (!strcasecmp(apmatrix_mdev_get_uuid(m), a->uuid))
			mx = apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_LIVE);
	}
	if (!mx) {
		fprintf(stderr, "mdev %s is not active\n", a->uuid);
		apmatrix_host_unref(host);
		return EXIT_REFUSE;
	}
	/* ap-check's form: decimal, adapters, domains, control domains. */
	printf("[");
	print_ids(apmatrix_matrix_get_adapters(mx), "assign_adapter", &first);
	print_ids(apmatrix_matrix_get_usage_domains(mx), "assign_domain",
		  &first);
	print_ids(apmatrix_matrix_get_control_domains(mx),
		  "assign_control_domain", &first);
	printf("%s]\n", first ? "{}" : "");
	apmatrix_host_unref(host);
	return EXIT_OK;
}

/* mdevctl >= 1.3 offers {"provides":{"version":2,"actions":[..],
 * "events":[..]}}: we take the pre/post/get events and the actions we
 * handle, never "live" (no live modification through a callout). */
static int get_capabilities(void)
{
	static const char *const actions[] = {
		"define", "modify", "start", "stop", "undefine", "attributes"};
	static const char *const events[] = {"pre", "post", "get"};
	char *in = read_stdin();
	int first = 1;

	printf("{\"supports\":{\"version\":2,\"actions\":[");
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		char q[32];

		snprintf(q, sizeof(q), "\"%s\"", actions[i]);
		if (!in || strstr(in, q)) {
			printf("%s%s", first ? "" : ",", q);
			first = 0;
		}
	}
	printf("],\"events\":[");
	first = 1;
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char q[32];

		snprintf(q, sizeof(q), "\"%s\"", events[i]);
		if (!in || strstr(in, q)) {
			printf("%s%s", first ? "" : ",", q);
			first = 0;
		}
	}
	printf("]}}\n");
	free(in);
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */

static int pre(struct apmatrix_ctx *ctx, const struct args *a)
{
	struct apmatrix_store *store = NULL;
	struct apmatrix_lock *lock = NULL;
	char *config = NULL;
	int rc, is_define = !strcmp(a->action, "define"),
		is_modify = !strcmp(a->action, "modify"),
		is_start = !strcmp(a->action, "start");

	if (!is_define && !is_modify && !is_start &&
	    strcmp(a->action, "stop") && strcmp(a->action, "undefine"))
		return EXIT_OK; /* an action we have no rules for */
	if (lock_for_parent(ctx, &lock) < 0)
		return EXIT_REFUSE;
	rc = EXIT_OK;
	if ((is_define || is_modify || is_start) &&
	    apmatrix_store_read(ctx, 0, &store) < 0) {
		fprintf(stderr, "Error reading the stored configuration: %s\n",
			apmatrix_get_diagnostic(ctx));
		rc = EXIT_REFUSE;
	} else if (is_define || is_modify) {
		int exists = apmatrix_store_find_mdev(store, a->uuid) != NULL;

		if (is_define && exists == 1) {
			fprintf(stderr, "Config already exists\n");
			rc = EXIT_REFUSE;
		} else if (is_modify && exists == 0) {
			fprintf(stderr, "Config doesn't exist\n");
			rc = EXIT_REFUSE;
		}
	}
	if (rc == EXIT_OK && (is_define || is_modify || is_start)) {
		config = read_stdin();
		if (!config) {
			fprintf(stderr, "Failed to read device config\n");
			rc = EXIT_REFUSE;
		} else {
			rc = check_proposed(ctx, a, store, config, is_start);
		}
	}
	free(config);
	apmatrix_store_unref(store);
	/* Refused: mdevctl runs no post, so the lock goes now. Otherwise it
	 * stays with mdevctl until the post callout. */
	if (rc != EXIT_OK)
		apmatrix_lock_release(lock);
	apmatrix_lock_unref(lock);
	return rc;
}

static int post(struct apmatrix_ctx *ctx)
{
	struct apmatrix_lock *lock = NULL;

	if (apmatrix_lock_acquire(ctx, LOCK_TIMEOUT_MS, APMATRIX_LOCK_PARENT,
				  &lock) >= 0) {
		apmatrix_lock_release(lock);
		apmatrix_lock_unref(lock);
	}
	return EXIT_OK; /* mdevctl ignores post results */
}

int main(int argc, char **argv)
{
	struct apmatrix_ctx *ctx = NULL;
	struct args a;
	int rc;

	if (parse_args(argc, argv, &a) < 0) {
		fprintf(stderr, "Duplicate or missing operand\n");
		return EXIT_ARGS;
	}
	if (strcmp(a.type, TYPE) != 0)
		return EXIT_NOT_OURS;
	if (!valid_uuid(a.uuid)) {
		fprintf(stderr, "Invalid UUID specified\n");
		return EXIT_ARGS;
	}
	if (strcmp(a.parent, "matrix") != 0) {
		fprintf(stderr, "Invalid parent specified\n");
		return EXIT_ARGS;
	}
	if (setup_ctx(&ctx) < 0) {
		apmatrix_unref(ctx);
		return EXIT_REFUSE;
	}
	if (!strcmp(a.event, "pre"))
		rc = pre(ctx, &a);
	else if (!strcmp(a.event, "post"))
		rc = post(ctx);
	else if (!strcmp(a.event, "get") && !strcmp(a.action, "attributes"))
		rc = get_attributes(ctx, &a);
	else if (!strcmp(a.event, "get") && !strcmp(a.action, "capabilities"))
		rc = get_capabilities();
	else if (!strcmp(a.event, "live")) {
		fprintf(stderr, "%s: live modification is not supported\n",
			prog);
		rc = EXIT_REFUSE;
	} else
		rc = EXIT_OK; /* notify and anything newer: no opinion */
	apmatrix_unref(ctx);
	return rc;
}
