// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The persistent configuration mdevctl and s390-tools keep: definitions in
 * <etc>/mdevctl.d/matrix/<uuid> and the boot-time host masks in
 * <etc>/udev/rules.d/41-ap.rules.
 *
 * Reading is tolerant: a file that cannot be read becomes an entry in the
 * store's error list (file, position, reason) and everything else loads.
 * Writing changes only files that are matrix definitions (or the rules
 * file), each replaced atomically, under the s390apconfig lock unless the
 * caller says it holds it.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-internal.h"
#include "store-internal.h"

#define STORE_DIR "mdevctl.d/matrix"
#define RULES_DIR "udev/rules.d"
#define RULES_FILE "41-ap.rules"
#define RULES_MAX_SIZE (64 * 1024)
/* How long a write waits for another holder of the lock (libap: ~95 s). */
#define STORE_LOCK_TIMEOUT_MS 95000

struct store_def {
	struct apmatrix_mdev *mdev;
	struct apmatrix_def *def;
};

struct store_error {
	char *file;
	char *message;
	int severity;
};

struct apmatrix_store {
	int refcount;
	struct apmatrix_ctx *ctx;
	unsigned int count, alloc;
	struct store_def *defs; /* sorted by UUID */
	unsigned int error_count, error_alloc;
	struct store_error *errors;
	struct apmatrix_rules rules;
	struct apmatrix_idset apmask, aqmask;
};

static void store_owner_ref(void *owner)
{
	apmatrix_store_ref(owner);
}

static void store_owner_unref(void *owner)
{
	apmatrix_store_unref(owner);
}

/* Lower-case 8-4-4-4-12: the only names mdevctl reads as definitions. */
static int is_definition_name(const char *name)
{
	for (int i = 0; i < 36; i++) {
		char c = name[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') ||
			     (c >= 'a' && c <= 'f'))) {
			return 0;
		}
	}
	return name[36] == '\0';
}

static void add_error(struct apmatrix_store *store, int severity,
		      const char *file, const char *fmt, ...)
	APMATRIX_PRINTF(4, 5);

static void add_error(struct apmatrix_store *store, int severity,
		      const char *file, const char *fmt, ...)
{
	char q[APMATRIX_QUOTE_SIZE], msg[512];
	struct store_error *e;
	va_list ap;
	int n;

	if (store->error_count == store->error_alloc) {
		unsigned int na =
			store->error_alloc ? store->error_alloc * 2 : 8;
		struct store_error *ne =
			realloc(store->errors, na * sizeof(*ne));

		if (!ne)
			return;
		store->errors = ne;
		store->error_alloc = na;
	}
	n = snprintf(msg, sizeof(msg),
		     "%s: ", apmatrix_diag_quote(q, sizeof(q), file, SIZE_MAX));
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	e = &store->errors[store->error_count];
	e->file = strdup(file);
	e->message = strdup(msg);
	e->severity = severity;
	if (!e->file || !e->message) {
		free(e->file);
		free(e->message);
		return;
	}
	store->error_count++;
	dbg(store->ctx, "%s", msg);
}

static int store_new(struct apmatrix_ctx *ctx, struct apmatrix_store **ret)
{
	struct apmatrix_store *store = calloc(1, sizeof(*store));

	if (!store)
		return -ENOMEM;
	store->refcount = 1;
	store->ctx = apmatrix_ref(ctx);
	apmatrix_idset_init_embedded(&store->apmask, ctx, store,
				     store_owner_ref, store_owner_unref);
	apmatrix_idset_init_embedded(&store->aqmask, ctx, store,
				     store_owner_ref, store_owner_unref);
	*ret = store;
	return 0;
}

static int def_cmp(const void *a, const void *b)
{
	const struct store_def *x = a, *y = b;

	return strcmp(x->mdev->uuid, y->mdev->uuid);
}

/* Index of @uuid (lower case), or -(insertion point) - 1. */
static int find_def(const struct apmatrix_store *store, const char *uuid)
{
	unsigned int lo = 0, hi = store->count;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		int c = strcmp(store->defs[mid].mdev->uuid, uuid);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -(int)lo - 1;
}

static int reserve_def(struct apmatrix_store *store)
{
	if (store->count == store->alloc) {
		unsigned int na = store->alloc ? store->alloc * 2 : 16;
		struct store_def *nd = realloc(store->defs, na * sizeof(*nd));

		if (!nd)
			return -ENOMEM;
		store->defs = nd;
		store->alloc = na;
	}
	return 0;
}

struct apply_ctx {
	struct apmatrix_store *store;
	const char *file;
	const struct apmatrix_def *def;
};

static void apply_problem(void *data, int severity, unsigned int index,
			  const char *what)
{
	struct apply_ctx *ac = data;

	add_error(ac->store, severity, ac->file, "attrs[%u]: %s", index, what);
}

/* An mdev with the DEFINED configuration @def gives (def stays owned by the
 * caller). */
static int mdev_from_def(struct apmatrix_store *store, const char *uuid,
			 const struct apmatrix_def *def, const char *file,
			 struct apmatrix_mdev **ret)
{
	struct apmatrix_mdev *mdev;
	struct apply_ctx ac = {store, file, def};
	int r;

	r = apmatrix_mdev_new(store->ctx, uuid, &mdev);
	if (r < 0)
		return r;
	r = apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_DEFINED, 0);
	if (r == 0)
		r = apmatrix_mdev_set_autostart(mdev, def->autostart);
	if (r < 0) {
		apmatrix_mdev_unref(mdev);
		return r;
	}
	apmatrix_def_apply(
		def, apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_DEFINED),
		file ? apply_problem : NULL, &ac);
	*ret = mdev;
	return 0;
}

/* Read and parse one definition file; errors go to the store's list. */
static int load_file(struct apmatrix_store *store, int dirfd, const char *name,
		     struct apmatrix_def **ret)
{
	char file[300], why[256];
	char *text = NULL;
	size_t len;
	int r;

	snprintf(file, sizeof(file), STORE_DIR "/%s", name);
	r = apmatrix_read_file(dirfd, name, APMATRIX_DEF_MAX_SIZE, &text, &len);
	if (r == -ELOOP) {
		add_error(store, APMATRIX_SEVERITY_WARNING, file,
			  "a symlink, not read (mdevctl ignores it too)");
		return r;
	}
	if (r == -EFBIG) {
		add_error(store, APMATRIX_SEVERITY_ERROR, file,
			  "larger than %d bytes, not read",
			  APMATRIX_DEF_MAX_SIZE);
		return r;
	}
	if (r == -EINVAL) {
		add_error(store, APMATRIX_SEVERITY_WARNING, file,
			  "not a regular file, not read");
		return r;
	}
	if (r < 0) {
		add_error(store, APMATRIX_SEVERITY_ERROR, file, "%s",
			  strerror(-r));
		return r;
	}
	r = apmatrix_def_parse(text, len, ret, why, sizeof(why));
	free(text);
	if (r == -EINVAL)
		add_error(store, APMATRIX_SEVERITY_ERROR, file, "%s", why);
	return r;
}

static int load_definitions(struct apmatrix_store *store, int etcfd)
{
	const char *failed;
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	fd = apmatrix_open_dir(etcfd, STORE_DIR, 0, &failed);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		add_error(store, APMATRIX_SEVERITY_ERROR, STORE_DIR, "%s%s",
			  fd == -ELOOP ? "a symlink in the path, not read: "
				       : "",
			  strerror(-fd));
		return 0;
	}
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(dir)) != NULL) {
		struct apmatrix_def *def = NULL;
		struct apmatrix_mdev *mdev;
		char file[300];

		if (de->d_name[0] == '.')
			continue; /* ., .., and our own temporary files */
		snprintf(file, sizeof(file), STORE_DIR "/%s", de->d_name);
		if (!is_definition_name(de->d_name)) {
			add_error(store, APMATRIX_SEVERITY_INFO, file,
				  "not a definition (the name is not a "
				  "lower-case UUID), ignored");
			continue;
		}
		if (de->d_type == DT_DIR) {
			add_error(store, APMATRIX_SEVERITY_WARNING, file,
				  "a directory, ignored");
			continue;
		}
		r = load_file(store, dirfd(dir), de->d_name, &def);
		if (r == -ENOMEM)
			break;
		r = 0;
		if (!def)
			continue;
		if (strcmp(def->type, APMATRIX_MDEV_TYPE) != 0) {
			char q[APMATRIX_QUOTE_SIZE];

			add_error(store, APMATRIX_SEVERITY_ERROR, file,
				  "mdev_type %s is not " APMATRIX_MDEV_TYPE
				  ", ignored",
				  apmatrix_diag_quote(q, sizeof(q), def->type,
						      SIZE_MAX));
			apmatrix_def_free(def);
			continue;
		}
		r = reserve_def(store);
		if (r == 0)
			r = mdev_from_def(store, de->d_name, def, file, &mdev);
		if (r < 0) {
			apmatrix_def_free(def);
			break;
		}
		store->defs[store->count].mdev = mdev;
		store->defs[store->count].def = def;
		store->count++;
	}
	closedir(dir);
	if (store->count > 1)
		qsort(store->defs, store->count, sizeof(*store->defs), def_cmp);
	return r;
}

static int load_rules(struct apmatrix_store *store, int etcfd)
{
	const char *failed;
	char why[256], *text;
	size_t len;
	int fd, r;

	fd = apmatrix_open_dir(etcfd, RULES_DIR, 0, &failed);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		add_error(store, APMATRIX_SEVERITY_ERROR, RULES_DIR, "%s",
			  strerror(-fd));
		return 0;
	}
	r = apmatrix_read_file(fd, RULES_FILE, RULES_MAX_SIZE, &text, &len);
	close(fd);
	if (r == -ENOENT)
		return 0;
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		add_error(store, APMATRIX_SEVERITY_ERROR,
			  RULES_DIR "/" RULES_FILE, "%s",
			  r == -EFBIG   ? "too large, not read"
			  : r == -ELOOP ? "a symlink, not read"
					: strerror(-r));
		return 0;
	}
	r = apmatrix_rules_parse(text, len, &store->rules, why, sizeof(why));
	free(text);
	if (r < 0) {
		memset(&store->rules, 0, sizeof(store->rules));
		add_error(store, APMATRIX_SEVERITY_ERROR,
			  RULES_DIR "/" RULES_FILE, "%s", why);
		return 0;
	}
	store->apmask.bits = store->rules.apmask;
	store->aqmask.bits = store->rules.aqmask;
	return 0;
}

static int open_etc(struct apmatrix_ctx *ctx)
{
	const char *root = apmatrix_get_root(ctx, APMATRIX_ROOT_ETC);
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		char q[APMATRIX_QUOTE_SIZE];

		return apmatrix_diag(
			ctx, -errno, "cannot open the etc root %s: %s",
			apmatrix_diag_quote(q, sizeof(q), root, SIZE_MAX),
			strerror(errno));
	}
	return fd;
}

APMATRIX_EXPORT int apmatrix_store_read(struct apmatrix_ctx *ctx,
					unsigned int flags,
					struct apmatrix_store **ret)
{
	struct apmatrix_store *store = NULL;
	int etcfd, r;

	if (!ctx || !ret)
		return apmatrix_diag(ctx, -EINVAL, "store_read: NULL argument");
	apmatrix_diag_clear(ctx);
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(ctx, -EINVAL,
				     "store_read: unknown flags 0x%x", flags);
	etcfd = open_etc(ctx);
	if (etcfd < 0)
		return etcfd;
	r = store_new(ctx, &store);
	if (r == 0)
		r = load_definitions(store, etcfd);
	if (r == 0)
		r = load_rules(store, etcfd);
	close(etcfd);
	if (r < 0) {
		apmatrix_store_unref(store);
		return apmatrix_diag(ctx, r, "store_read: %s", strerror(-r));
	}
	if (store->error_count)
		apmatrix_diag(ctx, 0,
			      "%u problem%s in the stored configuration, "
			      "first: %s",
			      store->error_count,
			      store->error_count == 1 ? "" : "s",
			      store->errors[0].message);
	*ret = store;
	return 0;
}

APMATRIX_EXPORT struct apmatrix_store *
apmatrix_store_ref(struct apmatrix_store *store)
{
	if (store)
		store->refcount++;
	return store;
}

APMATRIX_EXPORT struct apmatrix_store *
apmatrix_store_unref(struct apmatrix_store *store)
{
	if (!store || --store->refcount > 0)
		return NULL;
	for (unsigned int i = 0; i < store->count; i++) {
		apmatrix_mdev_unref(store->defs[i].mdev);
		apmatrix_def_free(store->defs[i].def);
	}
	free(store->defs);
	for (unsigned int i = 0; i < store->error_count; i++) {
		free(store->errors[i].file);
		free(store->errors[i].message);
	}
	free(store->errors);
	apmatrix_unref(store->ctx);
	free(store);
	return NULL;
}

APMATRIX_EXPORT struct apmatrix_ctx *
apmatrix_store_get_ctx(const struct apmatrix_store *store)
{
	return store ? store->ctx : NULL;
}

APMATRIX_EXPORT unsigned int
apmatrix_store_get_mdev_count(const struct apmatrix_store *store)
{
	return store ? store->count : 0;
}

APMATRIX_EXPORT struct apmatrix_mdev *
apmatrix_store_get_mdev(struct apmatrix_store *store, unsigned int index)
{
	if (!store || index >= store->count)
		return NULL;
	return store->defs[index].mdev;
}

APMATRIX_EXPORT struct apmatrix_mdev *
apmatrix_store_find_mdev(struct apmatrix_store *store, const char *uuid)
{
	char lower[APMATRIX_UUID_LEN + 1];
	int i;

	if (!store || !uuid || strlen(uuid) != APMATRIX_UUID_LEN)
		return NULL;
	for (i = 0; i < APMATRIX_UUID_LEN; i++)
		lower[i] = (char)tolower((unsigned char)uuid[i]);
	lower[i] = '\0';
	i = find_def(store, lower);
	return i >= 0 ? store->defs[i].mdev : NULL;
}

APMATRIX_EXPORT unsigned int
apmatrix_store_get_error_count(const struct apmatrix_store *store)
{
	return store ? store->error_count : 0;
}

APMATRIX_EXPORT const char *
apmatrix_store_get_error(const struct apmatrix_store *store, unsigned int index)
{
	if (!store || index >= store->error_count)
		return NULL;
	return store->errors[index].message;
}

APMATRIX_EXPORT const char *
apmatrix_store_get_error_file(const struct apmatrix_store *store,
			      unsigned int index)
{
	if (!store || index >= store->error_count)
		return NULL;
	return store->errors[index].file;
}

APMATRIX_EXPORT int
apmatrix_store_get_error_severity(const struct apmatrix_store *store,
				  unsigned int index)
{
	if (!store || index >= store->error_count)
		return -EINVAL;
	return store->errors[index].severity;
}

APMATRIX_EXPORT const struct apmatrix_idset *
apmatrix_store_get_persistent_apmask(const struct apmatrix_store *store)
{
	return store && store->rules.has_apmask ? &store->apmask : NULL;
}

APMATRIX_EXPORT const struct apmatrix_idset *
apmatrix_store_get_persistent_aqmask(const struct apmatrix_store *store)
{
	return store && store->rules.has_aqmask ? &store->aqmask : NULL;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

/* The lock for one write, unless the caller holds it (LOCKED). */
static int store_lock(struct apmatrix_store *store, unsigned int flags,
		      struct apmatrix_lock **lock)
{
	*lock = NULL;
	if (flags & APMATRIX_STORE_LOCKED)
		return 0;
	return apmatrix_lock_acquire(store->ctx, STORE_LOCK_TIMEOUT_MS, 0,
				     lock);
}

/* Release without touching the diagnostic the write left. */
static void store_unlock(struct apmatrix_lock *lock)
{
	struct apmatrix_ctx *ctx = apmatrix_lock_get_ctx(lock);
	char keep[sizeof(ctx->diagnostic)];

	if (!lock)
		return;
	memcpy(keep, ctx->diagnostic, sizeof(keep));
	apmatrix_lock_release(lock);
	apmatrix_lock_unref(lock);
	memcpy(ctx->diagnostic, keep, sizeof(keep));
}

/* The matrix directory, created as mdevctl creates it. */
static int open_store_dir(struct apmatrix_store *store, int create)
{
	const char *failed;
	int etcfd, fd;

	etcfd = open_etc(store->ctx);
	if (etcfd < 0)
		return etcfd;
	fd = apmatrix_open_dir(etcfd, STORE_DIR, create, &failed);
	close(etcfd);
	if (fd < 0) {
		char q[APMATRIX_QUOTE_SIZE];

		return apmatrix_diag(
			store->ctx, fd, "%s: %s%s",
			apmatrix_diag_quote(q, sizeof(q), failed, SIZE_MAX),
			fd == -ELOOP ? "a symlink, refused: " : "",
			strerror(-fd));
	}
	return fd;
}

static int write_def(struct apmatrix_store *store, int dirfd, const char *uuid,
		     const struct apmatrix_def *def, int exclusive)
{
	char q[APMATRIX_QUOTE_SIZE];
	char *text;
	int len, r;

	len = apmatrix_def_format(def, NULL, 0);
	if (len < 0)
		return apmatrix_diag(store->ctx, len, "formatting %s failed",
				     uuid);
	text = malloc((size_t)len + 1);
	if (!text)
		return apmatrix_diag(store->ctx, -ENOMEM, "out of memory");
	apmatrix_def_format(def, text, (size_t)len + 1);
	r = apmatrix_replace_file(dirfd, uuid, text, (size_t)len, exclusive);
	free(text);
	if (r < 0)
		return apmatrix_diag(
			store->ctx, r, "%s: %s",
			apmatrix_diag_quote(q, sizeof(q), uuid, SIZE_MAX),
			r == -EEXIST   ? "already defined"
			: r == -ELOOP  ? "a symlink, not a definition: refused"
			: r == -EINVAL ? "not a regular file: refused"
				       : strerror(-r));
	return 0;
}

/* The current definition on disk (under the lock): 0, -ENOENT or a parse
 * error named in the diagnostic. */
static int reread_def(struct apmatrix_store *store, int dirfd, const char *uuid,
		      struct apmatrix_def **ret)
{
	char why[256], q[APMATRIX_QUOTE_SIZE];
	char *text;
	size_t len;
	int r;

	r = apmatrix_read_file(dirfd, uuid, APMATRIX_DEF_MAX_SIZE, &text, &len);
	if (r == -ENOENT)
		return apmatrix_diag(
			store->ctx, r, "mdev %s is not defined",
			apmatrix_diag_quote(q, sizeof(q), uuid, SIZE_MAX));
	if (r < 0)
		return apmatrix_diag(store->ctx, r == -EINVAL ? -EINVAL : r,
				     STORE_DIR "/%s: %s, refused", uuid,
				     r == -ELOOP    ? "a symlink"
				     : r == -EFBIG  ? "too large"
				     : r == -EINVAL ? "not a regular file"
						    : strerror(-r));
	r = apmatrix_def_parse(text, len, ret, why, sizeof(why));
	free(text);
	if (r == -EINVAL)
		return apmatrix_diag(store->ctx, r,
				     STORE_DIR "/%s: %s; not changed", uuid,
				     why);
	if (r == 0 && strcmp((*ret)->type, APMATRIX_MDEV_TYPE) != 0) {
		apmatrix_def_free(*ret);
		return apmatrix_diag(store->ctx, -EINVAL,
				     STORE_DIR "/%s: not a " APMATRIX_MDEV_TYPE
					       " definition; not changed",
				     uuid);
	}
	return r;
}

/* Put @def (taken over) and a fresh mdev for it into the snapshot. */
static int remember_def(struct apmatrix_store *store, const char *uuid,
			struct apmatrix_def *def)
{
	struct apmatrix_mdev *mdev;
	int i = find_def(store, uuid), r;

	r = mdev_from_def(store, uuid, def, NULL, &mdev);
	if (r < 0) {
		apmatrix_def_free(def);
		return r;
	}
	if (i >= 0) {
		apmatrix_mdev_unref(store->defs[i].mdev);
		apmatrix_def_free(store->defs[i].def);
	} else {
		r = reserve_def(store);
		if (r < 0) {
			apmatrix_mdev_unref(mdev);
			apmatrix_def_free(def);
			return r;
		}
		i = -i - 1;
		memmove(&store->defs[i + 1], &store->defs[i],
			(store->count - (unsigned int)i) *
				sizeof(*store->defs));
		store->count++;
	}
	store->defs[i].mdev = mdev;
	store->defs[i].def = def;
	return 0;
}

static void forget_def(struct apmatrix_store *store, const char *uuid)
{
	int i = find_def(store, uuid);

	if (i < 0)
		return;
	apmatrix_mdev_unref(store->defs[i].mdev);
	apmatrix_def_free(store->defs[i].def);
	memmove(&store->defs[i], &store->defs[i + 1],
		(store->count - (unsigned int)i - 1) * sizeof(*store->defs));
	store->count--;
}

static int check_mdev_arg(struct apmatrix_store *store,
			  struct apmatrix_mdev *mdev)
{
	char q[APMATRIX_QUOTE_SIZE];

	if (strcmp(mdev->parent, "matrix") != 0)
		return apmatrix_diag(
			store->ctx, -EINVAL, "mdev %s: parent %s is not matrix",
			mdev->uuid,
			apmatrix_diag_quote(q, sizeof(q), mdev->parent,
					    SIZE_MAX));
	if (strcmp(mdev->type, APMATRIX_MDEV_TYPE) != 0)
		return apmatrix_diag(
			store->ctx, -EINVAL,
			"mdev %s: type %s is not " APMATRIX_MDEV_TYPE,
			mdev->uuid,
			apmatrix_diag_quote(q, sizeof(q), mdev->type,
					    SIZE_MAX));
	if (!apmatrix_mdev_has_config(mdev, APMATRIX_ROLE_DEFINED))
		return apmatrix_diag(store->ctx, -EINVAL,
				     "mdev %s has no definition to store",
				     mdev->uuid);
	return 0;
}

/* define (@create) or modify one definition from @mdev's DEFINED config. */
static int store_put(struct apmatrix_store *store, struct apmatrix_mdev *mdev,
		     unsigned int flags, int create)
{
	struct apmatrix_def *def = NULL;
	struct apmatrix_lock *lock;
	int dirfd, r;

	if (!store || !mdev)
		return apmatrix_diag(store ? store->ctx : NULL, -EINVAL,
				     "store: NULL argument");
	apmatrix_diag_clear(store->ctx);
	if (!apmatrix_flags_ok(flags, APMATRIX_STORE_LOCKED))
		return apmatrix_diag(store->ctx, -EINVAL,
				     "store: unknown flags 0x%x", flags);
	r = check_mdev_arg(store, mdev);
	if (r < 0)
		return r;
	r = store_lock(store, flags, &lock);
	if (r < 0)
		return r;
	dirfd = open_store_dir(store, create);
	if (dirfd < 0) {
		store_unlock(lock);
		return dirfd;
	}
	if (create) {
		def = calloc(1, sizeof(*def));
		if (def)
			def->type = strdup(APMATRIX_MDEV_TYPE);
		r = def && def->type ? 0 : -ENOMEM;
	} else {
		r = reread_def(store, dirfd, mdev->uuid, &def);
	}
	if (r == 0)
		r = apmatrix_def_set_matrix(
			def,
			apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_DEFINED));
	if (r == 0) {
		def->autostart = apmatrix_mdev_get_autostart(mdev) == 1;
		r = write_def(store, dirfd, mdev->uuid, def, create);
	}
	close(dirfd);
	store_unlock(lock);
	if (r < 0) {
		apmatrix_def_free(def);
		return r == -ENOMEM
			       ? apmatrix_diag(store->ctx, r, "out of memory")
			       : r;
	}
	return remember_def(store, mdev->uuid, def);
}

APMATRIX_EXPORT int apmatrix_store_define(struct apmatrix_store *store,
					  struct apmatrix_mdev *mdev,
					  unsigned int flags)
{
	return store_put(store, mdev, flags, 1);
}

APMATRIX_EXPORT int apmatrix_store_modify(struct apmatrix_store *store,
					  struct apmatrix_mdev *mdev,
					  unsigned int flags)
{
	return store_put(store, mdev, flags, 0);
}

/* A UUID argument as a definition name (lower case), or -EINVAL. */
static int uuid_arg(struct apmatrix_store *store, const char *uuid,
		    char out[APMATRIX_UUID_LEN + 1])
{
	char q[APMATRIX_QUOTE_SIZE];
	size_t i;

	for (i = 0; uuid[i] && i < APMATRIX_UUID_LEN; i++)
		out[i] = (char)tolower((unsigned char)uuid[i]);
	out[i] = '\0';
	if (uuid[i] || !is_definition_name(out))
		return apmatrix_diag(
			store->ctx, -EINVAL, "invalid UUID %s",
			apmatrix_diag_quote(q, sizeof(q), uuid, SIZE_MAX));
	return 0;
}

APMATRIX_EXPORT int apmatrix_store_set_autostart(struct apmatrix_store *store,
						 const char *uuid,
						 int autostart,
						 unsigned int flags)
{
	char name[APMATRIX_UUID_LEN + 1];
	struct apmatrix_def *def = NULL;
	struct apmatrix_lock *lock;
	int dirfd, r;

	if (!store || !uuid)
		return apmatrix_diag(store ? store->ctx : NULL, -EINVAL,
				     "store_set_autostart: NULL argument");
	apmatrix_diag_clear(store->ctx);
	if (!apmatrix_flags_ok(flags, APMATRIX_STORE_LOCKED))
		return apmatrix_diag(store->ctx, -EINVAL,
				     "store_set_autostart: unknown flags 0x%x",
				     flags);
	if (autostart != 0 && autostart != 1)
		return apmatrix_diag(store->ctx, -EINVAL,
				     "store_set_autostart: autostart %d is "
				     "not 0 or 1",
				     autostart);
	r = uuid_arg(store, uuid, name);
	if (r < 0)
		return r;
	r = store_lock(store, flags, &lock);
	if (r < 0)
		return r;
	dirfd = open_store_dir(store, 0);
	r = dirfd < 0 ? dirfd : reread_def(store, dirfd, name, &def);
	if (r == 0) {
		def->autostart = autostart;
		r = write_def(store, dirfd, name, def, 0);
	}
	if (dirfd >= 0)
		close(dirfd);
	store_unlock(lock);
	if (r < 0) {
		apmatrix_def_free(def);
		return r;
	}
	return remember_def(store, name, def);
}

APMATRIX_EXPORT int apmatrix_store_undefine(struct apmatrix_store *store,
					    const char *uuid,
					    unsigned int flags)
{
	char name[APMATRIX_UUID_LEN + 1];
	struct apmatrix_def *def = NULL;
	struct apmatrix_lock *lock;
	int dirfd, r;

	if (!store || !uuid)
		return apmatrix_diag(store ? store->ctx : NULL, -EINVAL,
				     "store_undefine: NULL argument");
	apmatrix_diag_clear(store->ctx);
	if (!apmatrix_flags_ok(flags, APMATRIX_STORE_LOCKED))
		return apmatrix_diag(store->ctx, -EINVAL,
				     "store_undefine: unknown flags 0x%x",
				     flags);
	r = uuid_arg(store, uuid, name);
	if (r < 0)
		return r;
	r = store_lock(store, flags, &lock);
	if (r < 0)
		return r;
	dirfd = open_store_dir(store, 0);
	/* Only a file that reads as a matrix definition is removed. */
	r = dirfd < 0 ? dirfd : reread_def(store, dirfd, name, &def);
	apmatrix_def_free(def);
	if (r == 0) {
		r = apmatrix_remove_file(dirfd, name);
		if (r < 0)
			apmatrix_diag(store->ctx, r, STORE_DIR "/%s: %s", name,
				      strerror(-r));
	}
	if (dirfd >= 0)
		close(dirfd);
	store_unlock(lock);
	if (r < 0)
		return r;
	forget_def(store, name);
	return 0;
}

APMATRIX_EXPORT int apmatrix_store_set_persistent_masks(
	struct apmatrix_store *store, const struct apmatrix_idset *apmask,
	const struct apmatrix_idset *aqmask, unsigned int flags)
{
	struct apmatrix_rules rules = {0};
	struct apmatrix_lock *lock;
	const char *failed;
	char *text = NULL;
	int etcfd, fd, len, r;

	if (!store)
		return -EINVAL;
	apmatrix_diag_clear(store->ctx);
	if (!apmatrix_flags_ok(flags, APMATRIX_STORE_LOCKED))
		return apmatrix_diag(store->ctx, -EINVAL,
				     "store_set_persistent_masks: unknown "
				     "flags 0x%x",
				     flags);
	if (apmask) {
		rules.has_apmask = 1;
		rules.apmask = apmask->bits;
	}
	if (aqmask) {
		rules.has_aqmask = 1;
		rules.aqmask = aqmask->bits;
	}
	if (apmask || aqmask) {
		len = apmatrix_rules_format(&rules, NULL, 0);
		text = len < 0 ? NULL : malloc((size_t)len + 1);
		if (!text)
			return apmatrix_diag(store->ctx, -ENOMEM,
					     "out of memory");
		apmatrix_rules_format(&rules, text, (size_t)len + 1);
	}
	r = store_lock(store, flags, &lock);
	if (r < 0) {
		free(text);
		return r;
	}
	etcfd = open_etc(store->ctx);
	fd = etcfd < 0 ? etcfd
		       : apmatrix_open_dir(etcfd, RULES_DIR, text != NULL,
					   &failed);
	if (etcfd >= 0)
		close(etcfd);
	if (fd == -ENOENT && !text) {
		r = 0; /* nothing to remove */
	} else if (fd < 0) {
		r = apmatrix_diag(store->ctx, fd, RULES_DIR ": %s%s",
				  fd == -ELOOP ? "a symlink, refused: " : "",
				  strerror(-fd));
	} else if (text) {
		/* chzdev removes and rewrites; a replace never leaves the
		 * boot without rules. */
		r = apmatrix_replace_file(fd, RULES_FILE, text, (size_t)len, 0);
	} else {
		r = apmatrix_remove_file(fd, RULES_FILE);
		if (r == -ENOENT)
			r = 0;
	}
	if (fd >= 0)
		close(fd);
	store_unlock(lock);
	free(text);
	if (r < 0)
		return apmatrix_diag(store->ctx, r,
				     RULES_DIR "/" RULES_FILE ": %s%s",
				     r == -ELOOP ? "a symlink, refused: " : "",
				     strerror(-r));
	store->rules = rules;
	store->apmask.bits = rules.apmask;
	store->aqmask.bits = rules.aqmask;
	return 0;
}

APMATRIX_EXPORT int
apmatrix_store_format_definition(struct apmatrix_store *store,
				 struct apmatrix_mdev *mdev, unsigned int flags,
				 char *buf, size_t size)
{
	struct apmatrix_def *def;
	int i, r;

	if (!store || !mdev || (!buf && size))
		return apmatrix_diag(store ? store->ctx : NULL, -EINVAL,
				     "store_format_definition: NULL argument");
	apmatrix_diag_clear(store->ctx);
	if (!apmatrix_flags_ok(flags, APMATRIX_STORE_COMPACT))
		return apmatrix_diag(store->ctx, -EINVAL,
				     "store_format_definition: unknown flags "
				     "0x%x",
				     flags);
	r = check_mdev_arg(store, mdev);
	if (r < 0)
		return r;
	def = calloc(1, sizeof(*def));
	if (!def)
		return apmatrix_diag(store->ctx, -ENOMEM, "out of memory");
	/* Keep what the stored definition has beyond the matrix. */
	i = find_def(store, mdev->uuid);
	def->type = strdup(APMATRIX_MDEV_TYPE);
	r = def->type ? 0 : -ENOMEM;
	for (unsigned int k = 0;
	     i >= 0 && !r && k < store->defs[i].def->attr_count; k++) {
		const struct apmatrix_def_attr *a =
			&store->defs[i].def->attrs[k];
		struct apmatrix_def_attr *na;

		na = realloc(def->attrs, (def->attr_count + 1) * sizeof(*na));
		if (!na) {
			r = -ENOMEM;
			break;
		}
		def->attrs = na;
		na[def->attr_count].key = strdup(a->key);
		na[def->attr_count].value = strdup(a->value);
		def->attr_count++;
		if (!na[def->attr_count - 1].key ||
		    !na[def->attr_count - 1].value)
			r = -ENOMEM;
	}
	if (!r)
		r = apmatrix_def_set_matrix(
			def,
			apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_DEFINED));
	if (!r) {
		def->autostart = apmatrix_mdev_get_autostart(mdev) == 1;
		r = flags & APMATRIX_STORE_COMPACT
			    ? apmatrix_def_format_compact(def, buf, size)
			    : apmatrix_def_format(def, buf, size);
	}
	apmatrix_def_free(def);
	if (r < 0)
		return apmatrix_diag(store->ctx, r, "out of memory");
	return r;
}

struct parse_warn {
	struct apmatrix_ctx *ctx;
	unsigned int count;
	int error;
};

static void parse_problem(void *data, int severity, unsigned int index,
			  const char *what)
{
	struct parse_warn *pw = data;

	if (severity == APMATRIX_SEVERITY_ERROR && !pw->error) {
		pw->error = 1;
		apmatrix_diag(pw->ctx, -EINVAL, "attrs[%u]: %s", index, what);
	} else if (!pw->error && pw->count++ == 0) {
		apmatrix_diag(pw->ctx, 0, "attrs[%u]: %s", index, what);
	}
}

APMATRIX_EXPORT int apmatrix_store_parse_definition(struct apmatrix_ctx *ctx,
						    const char *uuid,
						    const char *text,
						    unsigned int flags,
						    struct apmatrix_mdev **ret)
{
	struct parse_warn pw = {ctx, 0, 0};
	struct apmatrix_mdev *mdev = NULL;
	struct apmatrix_def *def = NULL;
	char why[256];
	int r;

	if (!ctx || !uuid || !text || !ret)
		return apmatrix_diag(ctx, -EINVAL,
				     "store_parse_definition: NULL argument");
	apmatrix_diag_clear(ctx);
	if (!apmatrix_flags_ok(flags, 0))
		return apmatrix_diag(ctx, -EINVAL,
				     "store_parse_definition: unknown flags "
				     "0x%x",
				     flags);
	r = apmatrix_def_parse(text, strlen(text), &def, why, sizeof(why));
	if (r < 0)
		return apmatrix_diag(ctx, r, "definition: %s",
				     r == -EINVAL ? why : strerror(-r));
	if (strcmp(def->type, APMATRIX_MDEV_TYPE) != 0) {
		char q[APMATRIX_QUOTE_SIZE];

		r = apmatrix_diag(
			ctx, -EINVAL,
			"definition: mdev_type %s is not " APMATRIX_MDEV_TYPE,
			apmatrix_diag_quote(q, sizeof(q), def->type, SIZE_MAX));
		apmatrix_def_free(def);
		return r;
	}
	r = apmatrix_mdev_new(ctx, uuid, &mdev);
	if (r == 0)
		r = apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_DEFINED, 0);
	if (r == 0)
		r = apmatrix_mdev_set_autostart(mdev, def->autostart);
	if (r < 0) {
		apmatrix_def_free(def);
		apmatrix_mdev_unref(mdev);
		return r;
	}
	apmatrix_def_apply(
		def, apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_DEFINED),
		parse_problem, &pw);
	apmatrix_def_free(def);
	if (pw.error) {
		apmatrix_mdev_unref(mdev);
		return -EINVAL;
	}
	*ret = mdev;
	return (int)pw.count;
}
