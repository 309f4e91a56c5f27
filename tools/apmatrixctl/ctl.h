/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl: what the verbs share. Each verb is a thin face over
 * libapmatrix; this header holds only presentation and plumbing.
 */
#ifndef APMATRIXCTL_H
#define APMATRIXCTL_H

#include <apmatrix.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>

/* Exit codes, the same for every verb (apmatrixctl(8), EXIT STATUS). */
enum ctl_exit {
	CTL_EXIT_OK = 0,       /* done; check/doctor: nothing found */
	CTL_EXIT_WARNINGS = 1, /* check/doctor: warnings, no errors */
	CTL_EXIT_ERRORS = 2,   /* errors found, or a change refused */
	CTL_EXIT_USAGE = 3,    /* bad command line */
	CTL_EXIT_FAILED = 4,   /* could not read, write or apply */
	CTL_EXIT_PARTIAL = 5   /* a change failed and was not fully undone */
};

struct ctl {
	struct apmatrix_ctx *ctx;
	const char *verb;
	int json;    /* --json */
	int color;   /* colour on stdout */
	int ecolor;  /* colour on stderr */
	int yes;     /* --yes */
	int quiet;   /* --quiet */
	int dry_run; /* --dry-run */
};

/* One verb: its name, a one-line summary, its usage text and its body. */
struct ctl_verb {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(struct ctl *ctl, int argc, char **argv);
};

/* Messages. Errors name what was wrong; the hint says what to do. */
void ctl_err(struct ctl *ctl, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ctl_err() with the library's diagnostic appended ("what: diagnostic"). */
int ctl_lib_err(struct ctl *ctl, int r, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ctl_progress(struct ctl *ctl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ctl_usage_err(struct ctl *ctl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ctl_confirm(struct ctl *ctl, const char *question);

/* Colour: SGR sequences only when enabled for that stream. */
const char *ctl_sgr(const struct ctl *ctl, int severity);
const char *ctl_sgr_reset(const struct ctl *ctl);
/* The same for stderr; severity -2 gives the reset sequence. */
const char *ctl_esgr(const struct ctl *ctl, int severity);

/* Changes: the s390apconfig lock, and the findings about one mdev's
 * configuration printed on stderr (returns their highest severity). */
int ctl_lock(struct ctl *ctl, struct apmatrix_lock **lock);
void ctl_unlock(struct apmatrix_lock *lock);
int ctl_verdict(struct ctl *ctl, const struct apmatrix_report *report,
		const char *uuid, int role);

/* Common option parsing of a verb: --json, --help, and its own options. */
int ctl_verb_help(struct ctl *ctl);

/* Reading the host and the definitions. */
int ctl_read_host(struct ctl *ctl, unsigned int flags,
		  struct apmatrix_host **ret);
int ctl_read_store(struct ctl *ctl, struct apmatrix_store **ret);
int ctl_run_check(struct ctl *ctl, struct apmatrix_host *host,
		  struct apmatrix_store *store, struct apmatrix_mdev *extra,
		  struct apmatrix_report **ret);

/* Text. */
const char *ctl_severity_name(int severity);
int ctl_severity_exit(int severity);
const char *ctl_mode_name(int mode);
const char *ctl_driver_name(int driver);
const char *ctl_queue_status_name(int status);
const char *ctl_role_name(int role);
void ctl_format_ids(const struct apmatrix_idset *set, int domains, char *buf,
		    size_t size);
int ctl_print_json(struct ctl *ctl, struct json_object *obj);
struct json_object *ctl_json_ids(const struct apmatrix_idset *set);
struct json_object *ctl_json_matrix(struct apmatrix_matrix *matrix);
struct json_object *ctl_json_report(struct ctl *ctl,
				    const struct apmatrix_report *report);

/* Matrix options: --adapters, --domains, --control-domains. */
int ctl_parse_ids(struct ctl *ctl, struct apmatrix_idset *set, const char *what,
		  const char *text);
int ctl_valid_uuid(struct ctl *ctl, const char *uuid);
int ctl_new_uuid(char *buf, size_t size);

extern const struct ctl_verb ctl_verb_list, ctl_verb_show, ctl_verb_check,
	ctl_verb_capture, ctl_verb_export, ctl_verb_define, ctl_verb_modify,
	ctl_verb_undefine, ctl_verb_monitor, ctl_verb_doctor, ctl_verb_start,
	ctl_verb_stop, ctl_verb_reserve, ctl_verb_release, ctl_verb_plan,
	ctl_verb_apply;

/* Plan a target against the host, show it, apply it (cmd-change.c). */
int ctl_change(struct ctl *ctl, struct apmatrix_target *target, int ask,
	       int show_json);
/* The desired-state file (desired.c). */
int ctl_read_desired(struct ctl *ctl, const char *file,
		     struct apmatrix_target **ret);

#endif
