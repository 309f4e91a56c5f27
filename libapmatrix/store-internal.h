/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Persistence internals: mdevctl definition files (definition.c), chzdev's
 * 41-ap.rules (rules.c), crash-safe file replacement (fsfile.c) and the
 * store that ties them together (store.c).
 */
#ifndef APMATRIX_STORE_INTERNAL_H
#define APMATRIX_STORE_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "apmatrix-internal.h"

/* The type every definition under mdevctl.d/matrix has. */
#define APMATRIX_MDEV_TYPE "vfio_ap-passthrough"

/* Definition files larger than this are refused unread (mdevctl writes a
 * few hundred bytes; a 256 x 256 x 256 definition of single assigns is
 * about 35 kB). */
#define APMATRIX_DEF_MAX_SIZE (1024 * 1024)

/* One `{"key": "value"}` entry of `attrs`, in file order. */
struct apmatrix_def_attr {
	char *key;
	char *value;
};

/* A parsed definition file: exactly what mdevctl 1.2.0 keeps of it. */
struct apmatrix_def {
	char *type;
	int autostart;
	unsigned int attr_count;
	struct apmatrix_def_attr *attrs;
};

void apmatrix_def_free(struct apmatrix_def *def);

/*
 * Parse a definition as mdevctl 1.2.0 reads it (serde_json): an object
 * with string `mdev_type` and `start`, `attrs` missing, null or an array of
 * one-key objects with string values; other top-level keys are dropped.
 * On failure returns -EINVAL and writes the position ("line L, column C" or
 * "attrs[N]") and reason into @why.
 */
int apmatrix_def_parse(const char *text, size_t len, struct apmatrix_def **ret,
		       char *why, size_t why_size);

/*
 * The file mdevctl 1.2.0 writes for @def: pretty JSON, two-space indent,
 * keys mdev_type, start, attrs, no trailing newline. Returns the length of
 * the whole text (snprintf-style) or -ENOMEM.
 */
int apmatrix_def_format(const struct apmatrix_def *def, char *buf, size_t size);
/* The same, compact (one line), as mdevctl hands a definition to callouts. */
int apmatrix_def_format_compact(const struct apmatrix_def *def, char *buf,
				size_t size);

/* Problems found while applying attrs (one call per problem). */
typedef void (*apmatrix_def_problem_fn)(void *data, int severity,
					unsigned int index, const char *what);

/*
 * Apply the attrs in order to @m as the kernel would on `mdevctl start`:
 * assign_ and unassign_ of each kind (kstrtoul base 0, so a leading 0 is
 * octal), ap_config as an atomic replace. Attrs the kernel would refuse and
 * unknown ones are reported through @fn (may be NULL) and skipped; @severity
 * is an enum apmatrix_severity value. Returns the number of problems.
 */
int apmatrix_def_apply(const struct apmatrix_def *def,
		       struct apmatrix_matrix *m, apmatrix_def_problem_fn fn,
		       void *data);

/* 1 when the attribute key is one the store rewrites from a matrix. */
int apmatrix_def_attr_is_matrix(const char *key);

/*
 * Replace the matrix attrs of @def with the canonical list for @m
 * (assign_adapter 0xAA, assign_domain 0xDDDD, assign_control_domain 0xDDDD)
 * at the position of the first matrix attr, keeping every other attr where
 * it was; nothing changes when the attrs already give @m.
 */
int apmatrix_def_set_matrix(struct apmatrix_def *def,
			    const struct apmatrix_matrix *m);

/* ------------------------------------------------------------------ */
/* 41-ap.rules (rules.c)                                                */

/* Masks a rules file sets: has_* says whether it sets that mask at all. */
struct apmatrix_rules {
	int has_apmask;
	int has_aqmask;
	struct apmatrix_bits apmask;
	struct apmatrix_bits aqmask;
};

/*
 * Read the masks of a udev rules file as libap does: the value of every
 * ATTR{...apmask} / ATTR{...aqmask} assignment (the last one wins). On
 * failure returns -EINVAL with the position and reason in @why.
 */
int apmatrix_rules_parse(const char *text, size_t len,
			 struct apmatrix_rules *rules, char *why,
			 size_t why_size);

/* The file chzdev generates for @rules (snprintf-style length). */
int apmatrix_rules_format(const struct apmatrix_rules *rules, char *buf,
			  size_t size);

/* ------------------------------------------------------------------ */
/* Crash-safe files (fsfile.c)                                          */

/*
 * Open a directory below @dirfd one component at a time, never following a
 * symlink (-ELOOP) and optionally creating missing components (mode 0777
 * minus the umask, as mdevctl's create_dir_all). Returns an O_PATH-free
 * O_DIRECTORY fd or a negative errno; *failed names the component.
 */
int apmatrix_open_dir(int dirfd, const char *relpath, int create,
		      const char **failed);

/*
 * Replace @name in @dirfd with @data atomically: a temporary file in the
 * same directory, fsync, rename over the old file, fsync of the directory.
 * An existing @name keeps its mode; a new one gets 0666 minus the umask (as
 * mdevctl's fs::write). @name must be absent or a regular file (never a
 * symlink: -ELOOP; anything else: -EINVAL). With @exclusive, an existing
 * file is -EEXIST.
 */
int apmatrix_replace_file(int dirfd, const char *name, const void *data,
			  size_t len, int exclusive);

/* Remove @name (a regular file, never a symlink) and fsync the directory. */
int apmatrix_remove_file(int dirfd, const char *name);

/*
 * Read a regular file below @dirfd without following a symlink, up to
 * @max bytes (-EFBIG beyond). *ret is NUL terminated; free() it.
 */
int apmatrix_read_file(int dirfd, const char *name, size_t max, char **ret,
		       size_t *len);

#endif /* APMATRIX_STORE_INTERNAL_H */
