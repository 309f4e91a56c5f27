/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl: the admin's tool for the AP matrix of vfio_ap. Global
 * options, the verb table, messages, colour and the option parsing the
 * verbs share. See apmatrixctl(8).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static const struct ctl_verb *const verbs[] = {
	&ctl_verb_list,    &ctl_verb_show,   &ctl_verb_check,
	&ctl_verb_define,  &ctl_verb_modify, &ctl_verb_undefine,
	&ctl_verb_start,   &ctl_verb_stop,   &ctl_verb_reserve,
	&ctl_verb_release, &ctl_verb_plan,   &ctl_verb_apply,
	&ctl_verb_monitor, &ctl_verb_doctor, &ctl_verb_export,
	&ctl_verb_capture,
};

#define N_VERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char *const sgr_error = "\033[1;31m";
static const char *const sgr_warning = "\033[1;33m";
static const char *const sgr_info = "\033[36m";
static const char *const sgr_ok = "\033[32m";
static const char *const sgr_reset = "\033[0m";

static void vmsg(struct ctl *ctl, const char *label, const char *fmt,
		 va_list ap) __attribute__((format(printf, 3, 0)));

static void vmsg(struct ctl *ctl, const char *label, const char *fmt,
		 va_list ap)
{
	fprintf(stderr, "apmatrixctl%s%s: %s%s%s", ctl->verb ? " " : "",
		ctl->verb ? ctl->verb : "", ctl->ecolor ? sgr_error : "", label,
		ctl->ecolor ? sgr_reset : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ctl_err(struct ctl *ctl, const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctl, "error: ", fmt, ap);
	va_end(ap);
	if (hint)
		fprintf(stderr, "  hint: %s\n", hint);
}

int ctl_lib_err(struct ctl *ctl, int r, const char *hint, const char *fmt, ...)
{
	const char *diag = apmatrix_get_diagnostic(ctl->ctx);
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ctl_err(ctl, hint, "%s: %s", what,
		diag && *diag ? diag : apmatrix_strerror(r));
	return CTL_EXIT_FAILED;
}

int ctl_usage_err(struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctl, "usage error: ", fmt, ap);
	va_end(ap);
	fprintf(stderr, "  hint: see 'apmatrixctl %s%s--help'\n",
		ctl->verb ? ctl->verb : "", ctl->verb ? " " : "");
	return CTL_EXIT_USAGE;
}

void ctl_progress(struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	if (ctl->quiet)
		return;
	fflush(stdout); /* keep the order of what was said */
	va_start(ap, fmt);
	fputs("apmatrixctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int ctl_confirm(struct ctl *ctl, const char *question)
{
	char line[16];

	if (ctl->yes)
		return 1;
	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
		ctl_err(ctl, "run it again with --yes to confirm",
			"not confirmed: %s (no terminal to ask on)", question);
		return 0;
	}
	fprintf(stderr, "%s [y/N] ", question);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

const char *ctl_sgr(const struct ctl *ctl, int severity)
{
	if (!ctl->color)
		return "";
	switch (severity) {
	case APMATRIX_SEVERITY_ERROR:
		return sgr_error;
	case APMATRIX_SEVERITY_WARNING:
		return sgr_warning;
	case APMATRIX_SEVERITY_INFO:
		return sgr_info;
	default:
		return sgr_ok;
	}
}

const char *ctl_esgr(const struct ctl *ctl, int severity)
{
	struct ctl e = {.color = ctl->ecolor};

	return severity == -2 ? ctl_sgr_reset(&e) : ctl_sgr(&e, severity);
}

const char *ctl_sgr_reset(const struct ctl *ctl)
{
	return ctl->color ? sgr_reset : "";
}

int ctl_set_root(struct ctl *ctl, const char *dir)
{
	static const struct {
		unsigned int which;
		const char *sub;
	} roots[] = {{APMATRIX_ROOT_SYSFS, "sys"},
		     {APMATRIX_ROOT_ETC, "etc"},
		     {APMATRIX_ROOT_RUN, "run"}};
	char *abs = realpath(dir, NULL);

	if (!abs) {
		ctl_err(ctl, "give a directory made by 'apmatrixctl capture'",
			"--root %s: %s", dir, strerror(errno));
		return -CTL_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		char path[4096];
		int r;

		snprintf(path, sizeof(path), "%s/%s",
			 strcmp(abs, "/") ? abs : "", roots[i].sub);
		r = apmatrix_set_root(ctl->ctx, roots[i].which, path);
		if (r < 0) {
			ctl_lib_err(ctl, r, NULL, "--root %s", dir);
			free(abs);
			return -CTL_EXIT_USAGE;
		}
	}
	free(abs);
	return 1;
}

int ctl_common_option(struct ctl *ctl, int c, const char *arg)
{
	switch (c) {
	case CTL_OPT_JSON:
		ctl->json = 1;
		return 1;
	case CTL_OPT_ROOT:
		return ctl_set_root(ctl, arg);
	case CTL_OPT_YES:
		ctl->yes = 1;
		return 1;
	case CTL_OPT_QUIET:
		ctl->quiet = 1;
		return 1;
	case CTL_OPT_DRY_RUN:
		ctl->dry_run = 1;
		return 1;
	default:
		return 0;
	}
}

static const struct ctl_verb *find_verb(const char *name)
{
	for (size_t i = 0; i < N_VERBS; i++)
		if (!strcmp(verbs[i]->name, name))
			return verbs[i];
	return NULL;
}

int ctl_verb_help(struct ctl *ctl)
{
	const struct ctl_verb *v = find_verb(ctl->verb);

	printf("Usage: apmatrixctl [--root DIR] %s\n\n%s\n", v->usage,
	       v->summary);
	printf("\nOptions every verb takes:\n"
	       "  --root DIR  read (and write) the host captured in DIR\n"
	       "              (DIR/sys, DIR/etc, DIR/run)\n"
	       "  --json      JSON output (read verbs), see apmatrixctl(8)\n"
	       "  --quiet     no progress messages\n"
	       "  --help      this text\n");
	return CTL_EXIT_OK;
}

int ctl_parse(struct ctl *ctl, int argc, char **argv, const struct option *opts,
	      int (*fn)(struct ctl *ctl, int c, const char *arg, void *data),
	      void *data)
{
	/* Options may follow operands ("show UUID --json"). */
	char shortopts[64] = "";
	size_t n = 0;
	int c;

	/* Short options are the verb's own one-letter aliases. */
	for (const struct option *o = opts;
	     o->name && n + 3 < sizeof(shortopts); o++) {
		if (o->val > 0 && o->val < 0x100) {
			shortopts[n++] = (char)o->val;
			if (o->has_arg == required_argument)
				shortopts[n++] = ':';
		}
	}
	shortopts[n] = '\0';
	optind = 0; /* GNU getopt: start over, main() used it already */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		int r;

		if (c == '?') {
			if (optopt)
				ctl_usage_err(ctl,
					      "unknown option -%c or it needs "
					      "a value",
					      optopt);
			else
				ctl_usage_err(
					ctl,
					"unknown option or missing value: %s",
					argv[optind - 1]);
			return -(CTL_EXIT_USAGE + 1);
		}
		if (c == CTL_OPT_HELP) {
			ctl_verb_help(ctl);
			return -1;
		}
		r = ctl_common_option(ctl, c, optarg);
		if (r < 0)
			return -(-r + 1);
		if (r > 0)
			continue;
		r = fn ? fn(ctl, c, optarg, data) : CTL_EXIT_USAGE;
		if (r)
			return -(r + 1);
	}
	if (ctl->json)
		ctl->color = 0;
	return optind;
}

int ctl_operands(struct ctl *ctl, int argc, int first, int min, int max)
{
	int n = argc - first;

	if (n < min)
		return ctl_usage_err(ctl, "missing operand (usage: %s)",
				     find_verb(ctl->verb)->usage);
	if (n > max)
		return ctl_usage_err(ctl, "too many operands (usage: %s)",
				     find_verb(ctl->verb)->usage);
	return 0;
}

int ctl_parse_uuid(struct ctl *ctl, int argc, char **argv,
		   const struct option *opts,
		   int (*fn)(struct ctl *ctl, int c, const char *arg,
			     void *data),
		   void *data)
{
	int first = ctl_parse(ctl, argc, argv, opts, fn, data), r;

	if (first < 0)
		return first;
	r = ctl_operands(ctl, argc, first, 1, 1);
	if (r)
		return -(r + 1);
	if (!ctl_valid_uuid(ctl, argv[first]))
		return -(CTL_EXIT_USAGE + 1);
	return first;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: apmatrixctl [--root DIR] [--json] VERB [OPTIONS] "
		"[ARGS]\n"
		"\nThe AP matrix of vfio_ap: crypto queues for KVM guests.\n\n"
		"Verbs:\n");
	for (size_t i = 0; i < N_VERBS; i++)
		fprintf(out, "  %-10s %s\n", verbs[i]->name, verbs[i]->summary);
	fprintf(out, "\n'apmatrixctl VERB --help' for a verb's options; "
		     "apmatrixctl(8) for the\nJSON schemas and exit codes.\n");
}

static int use_color(int fd)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fd);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		CTL_COMMON_OPTIONS,
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	struct ctl ctl = {0};
	const struct ctl_verb *verb;
	int c, r;

	ctl.color = use_color(STDOUT_FILENO);
	ctl.ecolor = use_color(STDERR_FILENO);
	r = apmatrix_new(&ctl.ctx);
	if (r < 0) {
		fprintf(stderr, "apmatrixctl: error: cannot start: %s\n",
			apmatrix_strerror(r));
		return CTL_EXIT_FAILED;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+V", opts, NULL)) != -1) {
		if (c == CTL_OPT_HELP) {
			usage(stdout);
			apmatrix_unref(ctl.ctx);
			return CTL_EXIT_OK;
		}
		if (c == 'V') {
			printf("apmatrixctl 0.1\n");
			apmatrix_unref(ctl.ctx);
			return CTL_EXIT_OK;
		}
		if (c == '?') {
			r = ctl_usage_err(&ctl,
					  "unknown option or missing value: %s",
					  argv[optind - 1]);
			goto out;
		}
		r = ctl_common_option(&ctl, c, optarg);
		if (r < 0) {
			r = -r;
			goto out;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		r = CTL_EXIT_USAGE;
		goto out;
	}
	verb = find_verb(argv[optind]);
	if (!verb) {
		r = ctl_usage_err(&ctl, "unknown verb '%s'", argv[optind]);
		goto out;
	}
	ctl.verb = verb->name;
	if (ctl.json)
		ctl.color = 0;
	r = verb->run(&ctl, argc - optind, argv + optind);
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "apmatrixctl: error: writing the output: %s\n",
			strerror(errno));
		if (r == CTL_EXIT_OK)
			r = CTL_EXIT_FAILED;
	}
	apmatrix_unref(ctl.ctx);
	return r;
}
