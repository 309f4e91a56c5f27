/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host-dump [--root DIR] [--flags N] [--predict]: read a host snapshot with
 * apmatrix_host_read() and print every property it holds, one fact a line,
 * in the format sysfs-dump.py prints from the same tree by its own reading
 * ("?" = unknown). With --predict, also check that the library's
 * guest-matrix prediction equals the guest_matrix the kernel reports for
 * every live mdev (exit status 1 and a "predict" line when not).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix.h"

static const char *mask(const struct apmatrix_idset *set)
{
	static char buf[4][67];
	static int which;
	char *b = buf[which++ & 3];
	unsigned char bytes[32] = {0};

	for (int id = apmatrix_idset_next(set, 0); id >= 0;
	     id = apmatrix_idset_next(set, (unsigned int)id + 1))
		bytes[id / 8] |= (unsigned char)(0x80 >> (id % 8));
	b[0] = '0';
	b[1] = 'x';
	for (int i = 0; i < 32; i++)
		snprintf(b + 2 + 2 * i, 3, "%02x", bytes[i]);
	return b;
}

static void tri(const char *name, int v)
{
	if (v == -ENODATA)
		printf(" %s ?", name);
	else
		printf(" %s %d", name, v);
}

static void print_masks(struct apmatrix_host *host)
{
	static const struct {
		const char *name;
		unsigned int part;
		struct apmatrix_idset *(*get)(struct apmatrix_host *);
	} masks[] = {
		{"apmask", APMATRIX_HOST_APMASK, apmatrix_host_get_apmask},
		{"aqmask", APMATRIX_HOST_AQMASK, apmatrix_host_get_aqmask},
		{"adapter_mask", APMATRIX_HOST_ADAPTER_MASK,
		 apmatrix_host_get_adapter_mask},
		{"usage_domain_mask", APMATRIX_HOST_USAGE_DOMAIN_MASK,
		 apmatrix_host_get_usage_domain_mask},
		{"control_domain_mask", APMATRIX_HOST_CONTROL_DOMAIN_MASK,
		 apmatrix_host_get_control_domain_mask},
	};
	unsigned int known = apmatrix_host_get_known(host);

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		printf("%s %s\n", masks[i].name,
		       known & masks[i].part ? mask(masks[i].get(host)) : "?");
}

static void print_features(const struct apmatrix_host *host)
{
	static const char *const names[] = {
		"qci",     "apxa",      "apsc",           "qact",
		"rc8a",    "apsb",      "vfio_ap",        "guest_matrix",
		"hotplug", "ap_config", "driver_override"};

	printf("features");
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		tri(names[i], apmatrix_host_has_feature(host, 1u << i));
	printf("\n");
}

static const char *mode_name(int mode)
{
	switch (mode) {
	case APMATRIX_MODE_ACCEL:
		return "accel";
	case APMATRIX_MODE_CCA:
		return "cca";
	case APMATRIX_MODE_EP11:
		return "ep11";
	default:
		return "?";
	}
}

static int print_cards(struct apmatrix_host *host)
{
	for (int a = apmatrix_host_next_card(host, 0); a >= 0;
	     a = apmatrix_host_next_card(host, (unsigned int)a + 1)) {
		struct apmatrix_card_info *info = NULL;
		unsigned int f;
		int r = apmatrix_host_get_card_info(host, (unsigned int)a,
						    &info);

		if (r < 0)
			return r;
		printf("card %02x", a);
		tri("hwtype", apmatrix_card_info_get_hwtype(info));
		tri("raw_hwtype", apmatrix_card_info_get_raw_hwtype(info));
		printf(" type %s", apmatrix_card_info_get_type(info)
					   ? apmatrix_card_info_get_type(info)
					   : "?");
		printf(" mode %s",
		       mode_name(apmatrix_card_info_get_mode(info)));
		if (apmatrix_card_info_get_functions(info, &f) == 0)
			printf(" functions 0x%08x", f);
		else
			printf(" functions ?");
		tri("online", apmatrix_card_info_get_online(info));
		tri("config", apmatrix_card_info_get_config(info));
		tri("chkstop", apmatrix_card_info_get_chkstop(info));
		printf(" queues %u\n",
		       apmatrix_card_info_get_queue_count(info));
		apmatrix_card_info_unref(info);
	}
	return 0;
}

static int print_queues(struct apmatrix_host *host)
{
	static const char *const drivers[] = {"none", "default", "vfio_ap"};
	static const char *const statuses[] = {"?", "unassigned", "assigned",
					       "in_use"};

	for (int q = apmatrix_host_next_queue(host, 0); q >= 0;
	     q = apmatrix_host_next_queue(host, (unsigned int)q + 1)) {
		struct apmatrix_queue_info *info = NULL;
		const char *o;
		int r = apmatrix_host_get_queue_info(host, (unsigned int)q,
						     &info),
		    s;

		if (r < 0)
			return r;
		printf("queue %02x.%04x driver %s", APMATRIX_APQN_ADAPTER(q),
		       APMATRIX_APQN_DOMAIN(q),
		       drivers[apmatrix_queue_info_get_driver(info)]);
		tri("online", apmatrix_queue_info_get_online(info));
		tri("config", apmatrix_queue_info_get_config(info));
		tri("chkstop", apmatrix_queue_info_get_chkstop(info));
		s = apmatrix_queue_info_get_status(info);
		printf(" status %s", statuses[s < 0 ? 0 : s]);
		o = apmatrix_queue_info_get_driver_override(info);
		printf(" override %s\n", !o ? "?" : o[0] ? o : "-");
		apmatrix_queue_info_unref(info);
	}
	return 0;
}

/* adapters,domains of a matrix; controls too when asked. */
static const char *matrix_text(struct apmatrix_matrix *m, int controls)
{
	static char buf[4][210];
	static int which;
	char *b = buf[which++ & 3];

	snprintf(b, 210, "%s,%s", mask(apmatrix_matrix_get_adapters(m)),
		 mask(apmatrix_matrix_get_usage_domains(m)));
	if (controls)
		snprintf(b + strlen(b), 210 - strlen(b), ",%s",
			 mask(apmatrix_matrix_get_control_domains(m)));
	return b;
}

static int print_mdevs(struct apmatrix_host *host, int predict)
{
	int bad = 0;

	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(host); i++) {
		struct apmatrix_mdev *mdev = apmatrix_host_get_mdev(host, i);
		struct apmatrix_matrix *live =
			apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_LIVE);
		struct apmatrix_matrix *guest =
			apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_GUEST);
		struct apmatrix_matrix *p = NULL;

		printf("mdev %s live %s guest %s\n",
		       apmatrix_mdev_get_uuid(mdev),
		       live ? matrix_text(live, 1) : "?",
		       guest ? matrix_text(guest, 0) : "?");
		if (!predict || !live || !guest)
			continue;
		if (apmatrix_host_predict_guest_matrix(host, live, &p) < 0)
			return -1;
		if (strcmp(matrix_text(p, 0), matrix_text(guest, 0)) != 0) {
			fprintf(stderr, "predict %s %s differs from guest %s\n",
				apmatrix_mdev_get_uuid(mdev), matrix_text(p, 0),
				matrix_text(guest, 0));
			bad = 1;
		}
		apmatrix_matrix_unref(p);
	}
	return bad;
}

int main(int argc, char **argv)
{
	struct apmatrix_host *host = NULL;
	struct apmatrix_ctx *ctx = NULL;
	unsigned int flags = 0, bound, total;
	int predict = 0, r, known;

	if (apmatrix_new(&ctx) < 0)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) {
			if (apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS,
					      argv[++i]) < 0)
				return 2;
		} else if (strcmp(argv[i], "--flags") == 0 && i + 1 < argc) {
			flags = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--predict") == 0) {
			predict = 1;
		} else {
			fprintf(stderr, "usage: host-dump [--root DIR] "
					"[--flags N] [--predict]\n");
			return 2;
		}
	}
	r = apmatrix_host_read(ctx, flags, &host);
	if (r < 0) {
		fprintf(stderr, "host-dump: %s: %s\n", apmatrix_strerror(r),
			apmatrix_get_diagnostic(ctx));
		apmatrix_unref(ctx);
		return 1;
	}
	if (apmatrix_get_diagnostic(ctx)[0])
		fprintf(stderr, "host-dump: warning: %s\n",
			apmatrix_get_diagnostic(ctx));
	known = (int)apmatrix_host_get_known(host);
	if (known & APMATRIX_HOST_LIMITS)
		printf("limits %u %u\n", apmatrix_host_get_max_adapter_id(host),
		       apmatrix_host_get_max_domain_id(host));
	else
		printf("limits ?\n");
	print_features(host);
	print_masks(host);
	r = apmatrix_host_get_bindings(host, &bound, &total);
	if (r < 0)
		printf("bindings ?\n");
	else
		printf("bindings %u/%u%s\n", bound, total,
		       r ? " complete" : "");
	r = apmatrix_host_uses_driver_override(host);
	printf("uses_driver_override %s\n", r < 0 ? "?" : r ? "1" : "0");
	if (print_cards(host) < 0 || print_queues(host) < 0)
		r = -1;
	else
		r = print_mdevs(host, predict);
	apmatrix_host_unref(host);
	apmatrix_unref(ctx);
	return r < 0 ? 2 : r;
}
