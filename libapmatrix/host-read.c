/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Discovery: a host snapshot read from sysfs under the context's root.
 *
 * Cost matters on a full host (256 x 256 = 65,536 queue devices), so the
 * walk reads what a question needs and nothing twice: the binding of every
 * queue comes from listing the drivers' directories (one readdir each, not
 * a readlink per queue), queue attributes are opened relative to their
 * card's directory, and of the driver-specific queue attributes only the
 * one the bound driver has is opened (`online` or `status`).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-internal.h"
#include "sysfs.h"
#include "text.h"

/* sysfs prints at most a page; the reader gets twice that to see it whole. */
#define ATTR_SIZE 8192
/* A matrix text this long may be one the kernel cut at the page. */
#define PAGE_CUT 4088

struct reader {
	struct apmatrix_sysfs fs;
	struct apmatrix_ctx *ctx;
	struct apmatrix_host *host;
	int override_attr; /* -1 not tried, 0 missing, 1 present */
	unsigned int warnings;
	char warning[256];
	char buf[ATTR_SIZE];
};

/* A parse failure: name the file and quote its text. */
static int malformed(struct reader *r, const char *path, const char *what)
{
	char q[APMATRIX_QUOTE_SIZE];

	return apmatrix_diag(
		r->ctx, -EINVAL, "%s: %s in %s", path, what,
		apmatrix_diag_quote(q, sizeof(q), r->buf, SIZE_MAX));
}

/* A parse failure the parser described (its text quoted in @inner). */
static int malformed_inner(struct reader *r, const char *path)
{
	char inner[sizeof(r->ctx->diagnostic)];

	snprintf(inner, sizeof(inner), "%s", apmatrix_get_diagnostic(r->ctx));
	return apmatrix_diag(r->ctx, -EINVAL, "%s: %s", path, inner);
}

static int read_failed(struct reader *r, const char *path, ssize_t e)
{
	return apmatrix_diag(r->ctx, (int)e, "cannot read %s: %s", path,
			     strerror((int)-e));
}

/*
 * Read @dirfd/@name (path = how the diagnostic names it). Returns 1 with
 * the text in r->buf, 0 when the attribute is missing, or -errno.
 */
static int attr(struct reader *r, int dirfd, const char *name, const char *path)
{
	ssize_t n = apmatrix_sysfs_read(&r->fs, dirfd, name, r->buf,
					sizeof(r->buf));

	if (n == -ENOENT)
		return 0;
	if (n < 0)
		return read_failed(r, path, n);
	return 1;
}

/*
 * The length of a one-word text (no blanks or control characters) followed
 * by at most one newline, or (size_t)-1.
 */
static size_t word_len(const char *s)
{
	size_t len = 0;

	while ((unsigned char)s[len] > ' ' && s[len] != 0x7f)
		len++;
	if (s[len] == '\n')
		return s[len + 1] == '\0' ? len : (size_t)-1;
	return s[len] == '\0' ? len : (size_t)-1;
}

/* A decimal number up to max, as the kernel prints it with %d/%u. */
static int parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -EINVAL;
	}
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* Read a number attribute: 1 and *ret, 0 missing, -errno. */
static int attr_uint(struct reader *r, int dirfd, const char *name,
		     const char *path, unsigned long max, unsigned long *ret)
{
	int k = attr(r, dirfd, name, path);

	if (k <= 0)
		return k;
	if (parse_uint(r->buf, max, ret) < 0) {
		char what[48];

		snprintf(what, sizeof(what), "not a number 0-%lu", max);
		return malformed(r, path, what);
	}
	return 1;
}

/* A 0/1 attribute: 1 and *ret, 0 missing, -errno. */
static int attr_bool(struct reader *r, int dirfd, const char *name,
		     const char *path, int *ret)
{
	unsigned long v;
	int k = attr_uint(r, dirfd, name, path, 1, &v);

	if (k > 0)
		*ret = (int)v;
	return k;
}

static void feature_known(struct apmatrix_host *host, unsigned int bits,
			  unsigned int on)
{
	host->features_known |= bits;
	host->features = (host->features & ~bits) | (on & bits);
}

static int read_limits(struct reader *r)
{
	static const char *const names[2] = {"ap_max_adapter_id",
					     "ap_max_domain_id"};
	unsigned long v[2];
	char path[64];

	for (int i = 0; i < 2; i++) {
		int k;

		snprintf(path, sizeof(path), "bus/ap/%s", names[i]);
		k = attr_uint(r, -1, path, path, APMATRIX_MAX_IDS - 1, &v[i]);
		if (k < 0)
			return k;
		if (k == 0) {
			r->host->known &= ~(unsigned int)APMATRIX_HOST_LIMITS;
			return 0;
		}
	}
	r->host->max_adapter_id = (unsigned int)v[0];
	r->host->max_domain_id = (unsigned int)v[1];
	return 0;
}

/* The feature bits of the known tokens of a features file. */
static unsigned int feature_tokens(char *text, const char *const *names,
				   const unsigned int *bits, size_t count)
{
	unsigned int found = 0;
	char *save = NULL;

	/* Tokens of newer kernels are not ours to judge: skipped. */
	for (char *t = strtok_r(text, " \n", &save); t;
	     t = strtok_r(NULL, " \n", &save))
		for (size_t i = 0; i < count; i++)
			if (strcmp(t, names[i]) == 0)
				found |= bits[i];
	return found;
}

static int read_features(struct reader *r)
{
	static const char *const bus_names[] = {"APXA", "APSC", "QACT", "RC8A",
						"APSB"};
	static const unsigned int bus_bits[] = {
		APMATRIX_FEATURE_APXA, APMATRIX_FEATURE_APSC,
		APMATRIX_FEATURE_QACT, APMATRIX_FEATURE_RC8A,
		APMATRIX_FEATURE_APSB};
	static const char *const matrix_names[] = {"guest_matrix", "hotplug",
						   "ap_config"};
	static const unsigned int matrix_bits[] = {
		APMATRIX_FEATURE_GUEST_MATRIX, APMATRIX_FEATURE_HOTPLUG,
		APMATRIX_FEATURE_AP_CONFIG};
	const unsigned int bus_all =
		APMATRIX_FEATURE_QCI | APMATRIX_FEATURE_APXA |
		APMATRIX_FEATURE_APSC | APMATRIX_FEATURE_QACT |
		APMATRIX_FEATURE_RC8A | APMATRIX_FEATURE_APSB;
	const unsigned int matrix_all = APMATRIX_FEATURE_GUEST_MATRIX |
					APMATRIX_FEATURE_HOTPLUG |
					APMATRIX_FEATURE_AP_CONFIG;
	unsigned int on;
	int fd, k;

	k = attr(r, -1, "bus/ap/features", "bus/ap/features");
	if (k < 0)
		return k;
	if (k > 0) {
		/* "-" is what a kernel without QCI prints. */
		int qci = strcmp(r->buf, "-\n") != 0 && strcmp(r->buf, "-");

		on = feature_tokens(r->buf, bus_names, bus_bits, 5);
		feature_known(r->host, bus_all,
			      on | (qci ? APMATRIX_FEATURE_QCI : 0));
	}
	fd = apmatrix_sysfs_openat(&r->fs, -1, "devices/vfio_ap/matrix",
				   O_PATH | O_DIRECTORY);
	if (fd < 0 && fd != -ENOENT)
		return read_failed(r, "devices/vfio_ap/matrix", fd);
	feature_known(r->host, APMATRIX_FEATURE_VFIO_AP,
		      fd >= 0 ? APMATRIX_FEATURE_VFIO_AP : 0);
	if (fd < 0)
		return 0;
	close(fd);
	k = attr(r, -1, "devices/vfio_ap/matrix/features",
		 "devices/vfio_ap/matrix/features");
	if (k < 0)
		return k;
	if (k > 0) {
		on = feature_tokens(r->buf, matrix_names, matrix_bits, 3);
		feature_known(r->host, matrix_all, on);
	}
	return 0;
}

/*
 * One mask attribute into @set. A QCI mask (@qci) reading "not supported"
 * is an empty set: without QCI the kernel passes nothing through.
 */
static int read_mask(struct reader *r, const char *name, unsigned int part,
		     struct apmatrix_idset *set, int qci)
{
	char path[64];
	int k;

	snprintf(path, sizeof(path), "bus/ap/%s", name);
	k = attr(r, -1, path, path);
	if (k < 0)
		return k;
	if (k == 0) {
		r->host->known &= ~part;
		return 0;
	}
	if (qci && strcmp(r->buf, "not supported\n") == 0) {
		memset(&set->bits, 0, sizeof(set->bits));
		return 0;
	}
	if (apmatrix_idset_parse(set, r->buf, APMATRIX_SYNTAX_MASK, 0) != 0)
		return malformed_inner(r, path);
	return 0;
}

static int read_bindings(struct reader *r)
{
	unsigned int bound, total;
	int k, end = 0, complete = 0;

	k = attr(r, -1, "bus/ap/bindings", "bus/ap/bindings");
	if (k <= 0)
		return k;
	if (sscanf(r->buf, "%u/%u%n", &bound, &total, &end) != 2 ||
	    !isdigit((unsigned char)r->buf[0]))
		return malformed(r, "bus/ap/bindings", "not \"BOUND/TOTAL\"");
	if (strcmp(r->buf + end, " (complete)\n") == 0)
		complete = 1;
	else if (strcmp(r->buf + end, "\n") != 0 && r->buf[end] != '\0')
		return malformed(r, "bus/ap/bindings", "not \"BOUND/TOTAL\"");
	r->host->bindings_bound = bound;
	r->host->bindings_total = total;
	r->host->bindings_complete = complete;
	return 0;
}

static int read_masks(struct reader *r, unsigned int flags)
{
	struct apmatrix_host *h = r->host;
	int e;

	if ((e = read_mask(r, "apmask", APMATRIX_HOST_APMASK, &h->apmask, 0)) ||
	    (e = read_mask(r, "aqmask", APMATRIX_HOST_AQMASK, &h->aqmask, 0)))
		return e;
	if (!(flags & APMATRIX_READ_MASKS))
		return 0;
	if ((e = read_mask(r, "ap_adapter_mask", APMATRIX_HOST_ADAPTER_MASK,
			   &h->adapter_mask, 1)) ||
	    (e = read_mask(r, "ap_usage_domain_mask",
			   APMATRIX_HOST_USAGE_DOMAIN_MASK, &h->usage_mask,
			   1)) ||
	    (e = read_mask(r, "ap_control_domain_mask",
			   APMATRIX_HOST_CONTROL_DOMAIN_MASK, &h->control_mask,
			   1)))
		return e;
	return read_bindings(r);
}

/* Which queues each driver holds, from the drivers' directories. */
static int read_drivers(struct reader *r)
{
	DIR *drivers = apmatrix_sysfs_opendir(&r->fs, -1, "bus/ap/drivers");
	struct dirent *de;

	if (!drivers)
		return errno == ENOENT
			       ? 0
			       : read_failed(r, "bus/ap/drivers", -errno);
	while ((de = readdir(drivers))) {
		int vfio = strcmp(de->d_name, "vfio_ap") == 0;
		struct dirent *qe;
		DIR *dir;

		if (de->d_name[0] == '.')
			continue;
		dir = apmatrix_sysfs_opendir(&r->fs, dirfd(drivers),
					     de->d_name);
		if (!dir) {
			char path[300];

			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			snprintf(path, sizeof(path), "bus/ap/drivers/%s",
				 de->d_name);
			closedir(drivers);
			return read_failed(r, path, -errno);
		}
		while ((qe = readdir(dir))) {
			int apqn = apmatrix_queue_name_parse(qe->d_name);

			if (apqn < 0)
				continue;
			bits_set(vfio ? &r->host->vfio[APMATRIX_APQN_ADAPTER(
						(unsigned int)apqn)]
				      : &r->host->deflt[APMATRIX_APQN_ADAPTER(
						(unsigned int)apqn)],
				 APMATRIX_APQN_DOMAIN((unsigned int)apqn));
		}
		closedir(dir);
	}
	closedir(drivers);
	return 0;
}

/* config/chkstop/online: into state/known bits. */
static int read_state(struct reader *r, int dirfd, const char *name,
		      const char *path, unsigned int bit, uint8_t *state,
		      uint8_t *known)
{
	int v, k = attr_bool(r, dirfd, name, path, &v);

	if (k > 0) {
		*known |= (uint8_t)bit;
		if (v)
			*state |= (uint8_t)bit;
	}
	return k < 0 ? k : 0;
}

static int read_card(struct reader *r, int cardfd, unsigned int a)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} states[] = {{"online", APMATRIX_STATE_ONLINE},
		      {"config", APMATRIX_STATE_CONFIG},
		      {"chkstop", APMATRIX_STATE_CHKSTOP}};
	struct apmatrix_card *c = &r->host->cards[a];
	char path[64];
	unsigned long v;
	int k;

	memset(c, 0, sizeof(*c));
	c->present = 1;
	c->hwtype = c->raw_hwtype = -1;
	snprintf(path, sizeof(path), "devices/ap/card%02x/hwtype", a);
	k = attr_uint(r, cardfd, "hwtype", path, 255, &v);
	if (k < 0)
		return k;
	if (k > 0)
		c->hwtype = (int16_t)v;
	snprintf(path, sizeof(path), "devices/ap/card%02x/raw_hwtype", a);
	k = attr_uint(r, cardfd, "raw_hwtype", path, 255, &v);
	if (k < 0)
		return k;
	if (k > 0)
		c->raw_hwtype = (int16_t)v;
	snprintf(path, sizeof(path), "devices/ap/card%02x/ap_functions", a);
	k = attr(r, cardfd, "ap_functions", path);
	if (k < 0)
		return k;
	if (k > 0) {
		unsigned int f;
		int end = 0;

		if (sscanf(r->buf, "0x%8x%n", &f, &end) != 1 ||
		    (r->buf[end] != '\n' && r->buf[end] != '\0') ||
		    (r->buf[end] == '\n' && r->buf[end + 1] != '\0'))
			return malformed(r, path, "not \"0x\" + 8 hex digits");
		c->functions = f;
		c->known |= APMATRIX_KNOWN_FUNCTIONS;
		/* Bit 0 is the leftmost; the MODE uevent's order. */
		if (f & (0x80000000u >> 4))
			c->mode = APMATRIX_MODE_ACCEL;
		else if (f & (0x80000000u >> 3))
			c->mode = APMATRIX_MODE_CCA;
		else if (f & (0x80000000u >> 5))
			c->mode = APMATRIX_MODE_EP11;
	}
	snprintf(path, sizeof(path), "devices/ap/card%02x/type", a);
	k = attr(r, cardfd, "type", path);
	if (k < 0)
		return k;
	if (k > 0) {
		size_t len = word_len(r->buf);

		if (len == 0 || len >= sizeof(c->type))
			return malformed(r, path, "not a card type");
		memcpy(c->type, r->buf, len);
		c->type[len] = '\0';
		if (c->mode == APMATRIX_MODE_UNKNOWN) {
			switch (r->buf[len - 1]) {
			case 'A':
				c->mode = APMATRIX_MODE_ACCEL;
				break;
			case 'C':
				c->mode = APMATRIX_MODE_CCA;
				break;
			case 'P':
				c->mode = APMATRIX_MODE_EP11;
				break;
			}
		}
	}
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		snprintf(path, sizeof(path), "devices/ap/card%02x/%s", a,
			 states[i].name);
		k = read_state(r, cardfd, states[i].name, path, states[i].bit,
			       &c->state, &c->known);
		if (k < 0)
			return k;
	}
	return 0;
}

static int read_status(struct reader *r, int cardfd, const char *rel,
		       const char *path, struct apmatrix_queue *q)
{
	static const char *const words[] = {"unassigned\n", "assigned\n",
					    "in use\n"};
	int k = attr(r, cardfd, rel, path);

	if (k <= 0)
		return k;
	for (unsigned int i = 0; i < 3; i++)
		if (strcmp(r->buf, words[i]) == 0) {
			q->status = (uint8_t)(APMATRIX_QUEUE_UNASSIGNED + i);
			return 0;
		}
	return malformed(r, path, "not unassigned, assigned or in use");
}

static int read_override(struct reader *r, int cardfd, const char *rel,
			 const char *path, struct apmatrix_queue *q)
{
	int k = attr(r, cardfd, rel, path), o;
	size_t len;

	if (k < 0)
		return k;
	if (r->override_attr < 0)
		r->override_attr = k;
	feature_known(r->host, APMATRIX_FEATURE_DRIVER_OVERRIDE,
		      r->override_attr ? APMATRIX_FEATURE_DRIVER_OVERRIDE : 0);
	if (k == 0)
		return 0;
	len = word_len(r->buf);
	if (len == (size_t)-1 || strchr(r->buf, '/'))
		return malformed(r, path, "not a driver name");
	r->buf[len] = '\0';
	o = apmatrix_host_intern_override(r->host, r->buf);
	if (o < 0)
		return apmatrix_diag(r->ctx, o, "%s: cannot keep the override",
				     path);
	q->override = (uint8_t)o;
	return 0;
}

static int read_queue(struct reader *r, int cardfd, unsigned int apqn,
		      int overrides)
{
	unsigned int a = APMATRIX_APQN_ADAPTER(apqn);
	unsigned int d = APMATRIX_APQN_DOMAIN(apqn);
	struct apmatrix_queue *q = &r->host->queue_info[apqn];
	char rel[32], path[64];
	int k;

	memset(q, 0, sizeof(*q));
#define QUEUE_PATH(attrname)                                                   \
	(snprintf(rel, sizeof(rel), "%02x.%04x/%s", a, d, attrname),           \
	 snprintf(path, sizeof(path), "devices/ap/card%02x/%s", a, rel))
	QUEUE_PATH("config");
	k = read_state(r, cardfd, rel, path, APMATRIX_STATE_CONFIG, &q->state,
		       &q->known);
	if (k < 0)
		return k;
	QUEUE_PATH("chkstop");
	k = read_state(r, cardfd, rel, path, APMATRIX_STATE_CHKSTOP, &q->state,
		       &q->known);
	if (k < 0)
		return k;
	if (bits_test(&r->host->deflt[a], d)) {
		QUEUE_PATH("online");
		k = read_state(r, cardfd, rel, path, APMATRIX_STATE_ONLINE,
			       &q->state, &q->known);
	} else if (bits_test(&r->host->vfio[a], d)) {
		QUEUE_PATH("status");
		k = read_status(r, cardfd, rel, path, q);
	}
	if (k < 0)
		return k;
	if (overrides && r->override_attr != 0) {
		QUEUE_PATH("driver_override");
		k = read_override(r, cardfd, rel, path, q);
	}
#undef QUEUE_PATH
	return k < 0 ? k : 0;
}

static int read_card_dir(struct reader *r, DIR *cards, const char *name,
			 unsigned int a, int overrides)
{
	char path[64];
	struct dirent *de;
	DIR *dir;
	int e = 0;

	snprintf(path, sizeof(path), "devices/ap/%.6s", name); /* cardXX */
	dir = apmatrix_sysfs_opendir(&r->fs, dirfd(cards), name);
	if (!dir)
		return errno == ENOENT ? 0 : read_failed(r, path, -errno);
	e = read_card(r, dirfd(dir), a);
	while (!e && (de = readdir(dir))) {
		int apqn = apmatrix_queue_name_parse(de->d_name);

		if (apqn < 0 || APMATRIX_APQN_ADAPTER((unsigned int)apqn) != a)
			continue;
		bits_set(&r->host->queues[a],
			 APMATRIX_APQN_DOMAIN((unsigned int)apqn));
		e = read_queue(r, dirfd(dir), (unsigned int)apqn, overrides);
	}
	closedir(dir);
	return e;
}

static int read_devices(struct reader *r)
{
	struct apmatrix_host *h = r->host;
	struct apmatrix_bits ones;
	struct dirent *de;
	int overrides, e;
	DIR *cards;

	e = read_drivers(r);
	if (e)
		return e;
	/* Overrides exist only while both masks are all ones. */
	memset(&ones, 0xff, sizeof(ones));
	overrides = (h->known & APMATRIX_HOST_APMASK) &&
		    (h->known & APMATRIX_HOST_AQMASK) &&
		    bits_equal(&h->apmask.bits, &ones) &&
		    bits_equal(&h->aqmask.bits, &ones);
	cards = apmatrix_sysfs_opendir(&r->fs, -1, "devices/ap");
	if (!cards)
		return errno == ENOENT ? 0
				       : read_failed(r, "devices/ap", -errno);
	while (!e && (de = readdir(cards))) {
		int a = apmatrix_card_name_parse(de->d_name);

		if (a >= 0)
			e = read_card_dir(r, cards, de->d_name, (unsigned int)a,
					  overrides);
	}
	closedir(cards);
	if (e)
		return e;
	/* A driver directory may name a queue that has gone since. */
	for (unsigned int a = 0; a < APMATRIX_MAX_IDS; a++) {
		bits_and(&h->vfio[a], &h->vfio[a], &h->queues[a]);
		bits_and(&h->deflt[a], &h->deflt[a], &h->queues[a]);
	}
	if (!overrides && r->override_attr < 0 &&
	    apmatrix_host_next_queue(h, 0) >= 0) {
		/* Whether the kernel has overrides: ask one queue. */
		int q = apmatrix_host_next_queue(h, 0);
		char rel[64];
		int fd;

		snprintf(rel, sizeof(rel),
			 "devices/ap/card%02x/%02x.%04x/"
			 "driver_override",
			 APMATRIX_APQN_ADAPTER((unsigned int)q),
			 APMATRIX_APQN_ADAPTER((unsigned int)q),
			 APMATRIX_APQN_DOMAIN((unsigned int)q));
		fd = apmatrix_sysfs_openat(&r->fs, -1, rel, O_PATH);
		if (fd >= 0)
			close(fd);
		r->override_attr = fd >= 0;
		feature_known(h, APMATRIX_FEATURE_DRIVER_OVERRIDE,
			      fd >= 0 ? APMATRIX_FEATURE_DRIVER_OVERRIDE : 0);
	}
	/* Without overrides read, no queue has one (the masks say so). */
	if (!overrides)
		for (unsigned int q = 0; q < APMATRIX_MAX_APQNS; q++)
			if (bits_test(&h->queues[APMATRIX_APQN_ADAPTER(q)],
				      APMATRIX_APQN_DOMAIN(q)))
				h->queue_info[q].override =
					r->override_attr > 0
						? APMATRIX_OVERRIDE_NONE
						: APMATRIX_OVERRIDE_UNKNOWN;
	return 0;
}

static int uuid_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void warn_cut(struct reader *r, const char *path)
{
	if (r->warnings++ == 0)
		snprintf(r->warning, sizeof(r->warning),
			 "%s: more than 511 APQNs, cut by the kernel at a "
			 "page: configuration left out",
			 path);
}

/*
 * Parse @r->buf into the configuration @role of @mdev. A text that may
 * have been cut at the page is left out with a warning.
 */
static int parse_config(struct reader *r, struct apmatrix_mdev *mdev,
			unsigned int role, unsigned int syntax,
			const char *path)
{
	struct apmatrix_matrix *m;
	int e;

	if (syntax == APMATRIX_MATRIX_SYSFS && strlen(r->buf) >= PAGE_CUT) {
		warn_cut(r, path);
		apmatrix_mdev_remove_config(mdev, role, 0);
		return 0;
	}
	m = apmatrix_mdev_get_matrix(mdev, role);
	if (!m)
		return 0;
	e = apmatrix_matrix_parse(m, r->buf, syntax, 0);
	return e < 0 ? malformed_inner(r, path) : 0;
}

static int read_mdev(struct reader *r, int matrixfd, const char *uuid)
{
	struct apmatrix_mdev *mdev = NULL;
	char path[128], rel[64];
	int e, k;

	e = apmatrix_mdev_new(r->ctx, uuid, &mdev);
	if (e < 0)
		return e;
	e = apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_LIVE, 0);
	if (e < 0)
		goto out;
#define MDEV_PATH(attrname)                                                    \
	(snprintf(rel, sizeof(rel), "%s/%s", uuid, attrname),                  \
	 snprintf(path, sizeof(path), "devices/vfio_ap/matrix/%s", rel))
	MDEV_PATH("ap_config");
	k = attr(r, matrixfd, rel, path);
	if (k > 0) {
		e = parse_config(r, mdev, APMATRIX_ROLE_LIVE,
				 APMATRIX_MATRIX_AP_CONFIG, path);
	} else if (k == 0) {
		/* Kernels before ap_config: the two lists. */
		MDEV_PATH("matrix");
		k = attr(r, matrixfd, rel, path);
		/* Neither: removed while we read, not a device to report. */
		if (k == 0)
			goto out;
		if (k > 0)
			e = parse_config(r, mdev, APMATRIX_ROLE_LIVE,
					 APMATRIX_MATRIX_SYSFS, path);
		MDEV_PATH("control_domains");
		if (k >= 0 && !e)
			k = attr(r, matrixfd, rel, path);
		if (k > 0 && !e &&
		    apmatrix_mdev_has_config(mdev, APMATRIX_ROLE_LIVE))
			e = parse_config(r, mdev, APMATRIX_ROLE_LIVE,
					 APMATRIX_MATRIX_CONTROL_DOMAINS, path);
	}
	if (k < 0)
		e = k;
	if (e)
		goto out;
	MDEV_PATH("guest_matrix");
	k = attr(r, matrixfd, rel, path);
	if (k > 0) {
		e = apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_GUEST, 0);
		if (!e)
			e = parse_config(r, mdev, APMATRIX_ROLE_GUEST,
					 APMATRIX_MATRIX_SYSFS, path);
	} else if (k < 0) {
		e = k;
	}
#undef MDEV_PATH
	if (!e)
		e = apmatrix_host_append_mdev(r->host, mdev);
out:
	apmatrix_mdev_unref(mdev);
	return e;
}

static int read_mdevs(struct reader *r)
{
	DIR *dir = apmatrix_sysfs_opendir(&r->fs, -1, "devices/vfio_ap/matrix");
	unsigned int count = 0, alloc = 0;
	char **uuids = NULL;
	struct dirent *de;
	int e = 0;

	if (!dir)
		return errno == ENOENT
			       ? 0
			       : read_failed(r, "devices/vfio_ap/matrix",
					     -errno);
	while ((de = readdir(dir))) {
		if (apmatrix_uuid_bad_offset(de->d_name) >= 0)
			continue;
		if (count == alloc) {
			char **grown;

			alloc = alloc ? 2 * alloc : 16;
			grown = realloc(uuids, alloc * sizeof(*grown));
			if (!grown) {
				e = -ENOMEM;
				break;
			}
			uuids = grown;
		}
		uuids[count] = strdup(de->d_name);
		if (!uuids[count]) {
			e = -ENOMEM;
			break;
		}
		count++;
	}
	if (!e) {
		/* no mdevs: uuids is NULL, which qsort() must not get (UBSan)
		 */
		if (count > 1)
			qsort(uuids, count, sizeof(*uuids), uuid_cmp);
		for (unsigned int i = 0; i < count && !e; i++)
			e = read_mdev(r, dirfd(dir), uuids[i]);
	}
	if (e == -ENOMEM)
		apmatrix_diag(r->ctx, e, "host_read: out of memory");
	for (unsigned int i = 0; i < count; i++)
		free(uuids[i]);
	free(uuids);
	closedir(dir);
	return e;
}

static int no_ap_bus(struct reader *r)
{
	char q[APMATRIX_QUOTE_SIZE];

	return apmatrix_diag(
		r->ctx, -ENODEV,
		"no AP bus under the sysfs root %s: bus/ap does "
		"not exist (not an IBM Z host, or the ap module "
		"is not loaded)",
		apmatrix_diag_quote(
			q, sizeof(q),
			apmatrix_get_root(r->ctx, APMATRIX_ROOT_SYSFS),
			SIZE_MAX));
}

static int read_all(struct reader *r, unsigned int flags)
{
	struct apmatrix_host *h = r->host;
	int e, fd;

	fd = apmatrix_sysfs_openat(&r->fs, -1, "bus/ap", O_PATH | O_DIRECTORY);
	if (fd == -ENOENT)
		return no_ap_bus(r);
	if (fd < 0)
		return read_failed(r, "bus/ap", fd);
	close(fd);
	h->known = APMATRIX_HOST_LIMITS;
	if ((e = read_limits(r)) || (e = read_features(r)))
		return e;
	if (flags & (APMATRIX_READ_MASKS | APMATRIX_READ_DEVICES)) {
		h->known |= APMATRIX_HOST_APMASK | APMATRIX_HOST_AQMASK;
		if (flags & APMATRIX_READ_MASKS)
			h->known |= APMATRIX_HOST_ADAPTER_MASK |
				    APMATRIX_HOST_USAGE_DOMAIN_MASK |
				    APMATRIX_HOST_CONTROL_DOMAIN_MASK;
		if ((e = read_masks(r, flags)))
			return e;
	}
	if (flags & APMATRIX_READ_DEVICES) {
		if ((e = read_devices(r)))
			return e;
		h->known |= APMATRIX_HOST_DEVICES;
	}
	if (flags & APMATRIX_READ_MDEVS) {
		if ((e = read_mdevs(r)))
			return e;
		h->known |= APMATRIX_HOST_MDEVS;
	}
	return 0;
}

APMATRIX_EXPORT int apmatrix_host_read(struct apmatrix_ctx *ctx,
				       unsigned int flags,
				       struct apmatrix_host **ret)
{
	const unsigned int all = APMATRIX_READ_MASKS | APMATRIX_READ_DEVICES |
				 APMATRIX_READ_MDEVS;
	struct reader *r;
	int e;

	apmatrix_diag_clear(ctx);
	if (!ctx || !ret)
		return apmatrix_diag(ctx, -EINVAL, "host_read: NULL argument");
	if (!apmatrix_flags_ok(flags, all))
		return apmatrix_diag(ctx, -EINVAL,
				     "host_read: unknown flags 0x%x",
				     flags & ~all);
	if (flags == 0)
		flags = all;
	r = calloc(1, sizeof(*r));
	if (!r)
		return apmatrix_diag(ctx, -ENOMEM, "host_read: out of memory");
	r->ctx = ctx;
	r->override_attr = -1;
	e = apmatrix_host_new(ctx, &r->host);
	if (e == 0)
		e = apmatrix_sysfs_open(ctx, &r->fs);
	else
		r->fs.root = -1;
	if (e == 0) {
		e = read_all(r, flags);
		apmatrix_sysfs_close(&r->fs);
	}
	if (e == 0) {
		*ret = r->host;
		apmatrix_diag_clear(ctx);
		if (r->warnings > 1)
			apmatrix_diag(ctx, 0, "%s (and %u more)", r->warning,
				      r->warnings - 1);
		else if (r->warnings)
			apmatrix_diag(ctx, 0, "%s", r->warning);
	} else {
		apmatrix_host_unref(r->host);
	}
	free(r);
	return e;
}
