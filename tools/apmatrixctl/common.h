/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Option parsing shared by the verbs: --json, --root, --help, --yes. */
#ifndef APMATRIXCTL_COMMON_H
#define APMATRIXCTL_COMMON_H

#include <getopt.h>

#include "ctl.h"

enum {
	CTL_OPT_JSON = 0x100,
	CTL_OPT_ROOT,
	CTL_OPT_HELP,
	CTL_OPT_YES,
	CTL_OPT_QUIET,
	CTL_OPT_DRY_RUN,
	CTL_OPT_VERB /* first verb-specific option */
};

#define CTL_COMMON_OPTIONS                                                     \
	{"json", no_argument, NULL, CTL_OPT_JSON},                             \
		{"root", required_argument, NULL, CTL_OPT_ROOT},               \
		{"help", no_argument, NULL, CTL_OPT_HELP},                     \
		{"yes", no_argument, NULL, CTL_OPT_YES},                       \
		{"quiet", no_argument, NULL, CTL_OPT_QUIET},                   \
	{                                                                      \
		"dry-run", no_argument, NULL, CTL_OPT_DRY_RUN                  \
	}

/*
 * Handle an option every verb takes. Returns 1 when handled, 0 when it is
 * the verb's, CTL_EXIT_OK after --help (printed), or a negative exit code
 * (-CTL_EXIT_USAGE) for a bad value.
 */
int ctl_common_option(struct ctl *ctl, int c, const char *arg);
int ctl_set_root(struct ctl *ctl, const char *dir);

/*
 * Parse a verb's command line. @p opts ends with CTL_COMMON_OPTIONS and a
 * zero entry. The verb's own options are passed to @p fn. Returns the index
 * of the first operand, or -(exit code + 1) when the verb should stop
 * (-1 after --help: exit 0).
 */
int ctl_parse(struct ctl *ctl, int argc, char **argv, const struct option *opts,
	      int (*fn)(struct ctl *ctl, int c, const char *arg, void *data),
	      void *data);
/* ctl_parse() for a verb whose one operand is a UUID: checks it too. */
int ctl_parse_uuid(struct ctl *ctl, int argc, char **argv,
		   const struct option *opts,
		   int (*fn)(struct ctl *ctl, int c, const char *arg,
			     void *data),
		   void *data);
/* An operand count check with a message naming the verb's usage. */
int ctl_operands(struct ctl *ctl, int argc, int first, int min, int max);

#endif
