/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrixctl list: cards and queues as lszcrypt shows them, with the
 * driver and the mdevs (live or defined) that hold each queue; list
 * --mdevs: the mdevs with their matrices.
 */
#include <errno.h>
#include <string.h>

#include "common.h"

struct list_opts {
	int mdevs;
};

/* lszcrypt's status words, from the most telling state. */
static const char *status_word(int online, int config, int chkstop)
{
	if (chkstop == 1)
		return "checkstopped";
	if (config == 0)
		return "deconfig";
	if (online == 0)
		return "offline";
	if (online == 1)
		return "online";
	return "-";
}

/* The mdevs whose live or defined matrix holds @p apqn. */
struct holders {
	struct apmatrix_host *host;
	struct apmatrix_store *store;
};

static void add_holder(struct json_object *arr, const char *uuid, int role)
{
	struct json_object *o;
	size_t n = json_object_array_length(arr);

	for (size_t i = 0; i < n; i++) {
		o = json_object_array_get_idx(arr, i);
		if (!strcmp(json_object_get_string(
				    json_object_object_get(o, "uuid")),
			    uuid)) {
			json_object_array_add(
				json_object_object_get(o, "roles"),
				json_object_new_string(ctl_role_name(role)));
			return;
		}
	}
	o = json_object_new_object();
	json_object_object_add(o, "uuid", json_object_new_string(uuid));
	json_object_object_add(o, "roles", json_object_new_array());
	json_object_array_add(json_object_object_get(o, "roles"),
			      json_object_new_string(ctl_role_name(role)));
	json_object_array_add(arr, o);
}

static struct json_object *holders_of(const struct holders *h,
				      unsigned int apqn)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < apmatrix_host_get_mdev_count(h->host);
	     i++) {
		struct apmatrix_mdev *m = apmatrix_host_get_mdev(h->host, i);

		if (apmatrix_matrix_contains(
			    apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_LIVE),
			    apqn))
			add_holder(arr, apmatrix_mdev_get_uuid(m),
				   APMATRIX_ROLE_LIVE);
	}
	for (unsigned int i = 0;
	     h->store && i < apmatrix_store_get_mdev_count(h->store); i++) {
		struct apmatrix_mdev *m = apmatrix_store_get_mdev(h->store, i);

		if (apmatrix_matrix_contains(
			    apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED),
			    apqn))
			add_holder(arr, apmatrix_mdev_get_uuid(m),
				   APMATRIX_ROLE_DEFINED);
	}
	return arr;
}

static void print_holders(struct json_object *arr)
{
	size_t n = json_object_array_length(arr);

	if (!n) {
		fputs("-", stdout);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		struct json_object *roles = json_object_object_get(o, "roles");

		printf("%s%s (", i ? ", " : "",
		       json_object_get_string(
			       json_object_object_get(o, "uuid")));
		for (size_t j = 0; j < json_object_array_length(roles); j++)
			printf("%s%s", j ? "+" : "",
			       json_object_get_string(
				       json_object_array_get_idx(roles, j)));
		fputs(")", stdout);
	}
}

static struct json_object *tri(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

static int list_queues(struct ctl *ctl, struct apmatrix_host *host,
		       struct apmatrix_store *store)
{
	const struct holders h = {host, store};
	struct json_object *cards = json_object_new_array();
	int r = CTL_EXIT_OK;

	if (!ctl->json)
		printf("%-11s %-6s %-12s %-12s %-8s %-10s %s\n", "CARD.DOMAIN",
		       "TYPE", "MODE", "STATUS", "DRIVER", "VFIO", "MDEV");
	for (int a = apmatrix_host_next_card(host, 0); a >= 0;
	     a = apmatrix_host_next_card(host, (unsigned int)a + 1)) {
		struct apmatrix_card_info *card = NULL;
		struct json_object *jc, *queues;
		const char *type, *cstatus;
		int mode, hw;

		r = apmatrix_host_get_card_info(host, (unsigned int)a, &card);
		if (r < 0) {
			r = ctl_lib_err(ctl, r, NULL, "card %02x", a);
			break;
		}
		r = CTL_EXIT_OK;
		type = apmatrix_card_info_get_type(card);
		mode = apmatrix_card_info_get_mode(card);
		hw = apmatrix_card_info_get_hwtype(card);
		cstatus = status_word(apmatrix_card_info_get_online(card),
				      apmatrix_card_info_get_config(card),
				      apmatrix_card_info_get_chkstop(card));
		jc = json_object_new_object();
		json_object_object_add(jc, "adapter", json_object_new_int(a));
		json_object_object_add(
			jc, "type", type ? json_object_new_string(type) : NULL);
		json_object_object_add(jc, "hwtype",
				       hw < 0 ? NULL : json_object_new_int(hw));
		json_object_object_add(
			jc, "mode",
			mode > 0 ? json_object_new_string(ctl_mode_name(mode))
				 : NULL);
		json_object_object_add(jc, "status",
				       json_object_new_string(cstatus));
		json_object_object_add(
			jc, "online", tri(apmatrix_card_info_get_online(card)));
		json_object_object_add(
			jc, "config", tri(apmatrix_card_info_get_config(card)));
		json_object_object_add(
			jc, "chkstop",
			tri(apmatrix_card_info_get_chkstop(card)));
		queues = json_object_new_array();
		json_object_object_add(jc, "queues", queues);
		json_object_array_add(cards, jc);
		if (!ctl->json)
			printf("%02x          %-6s %-12s %-12s %-8s %-10s %s\n",
			       a, type ? type : "-", ctl_mode_name(mode),
			       cstatus, "-", "-", "-");
		for (int q = apmatrix_host_next_queue(host,
						      APMATRIX_APQN(a, 0));
		     q >= 0 && APMATRIX_APQN_ADAPTER(q) == (unsigned int)a;
		     q = apmatrix_host_next_queue(host, (unsigned int)q + 1)) {
			struct apmatrix_queue_info *qi = NULL;
			struct json_object *jq, *held;
			const char *vfio, *qstatus;
			char apqn[8];
			int drv;

			r = apmatrix_host_get_queue_info(host, (unsigned int)q,
							 &qi);
			if (r < 0) {
				r = ctl_lib_err(ctl, r, NULL, "queue %02x.%04x",
						APMATRIX_APQN_ADAPTER(q),
						APMATRIX_APQN_DOMAIN(q));
				break;
			}
			r = CTL_EXIT_OK;
			apmatrix_apqn_format((unsigned int)q, 0, apqn,
					     sizeof(apqn));
			drv = apmatrix_queue_info_get_driver(qi);
			vfio = ctl_queue_status_name(
				apmatrix_queue_info_get_status(qi));
			qstatus = status_word(
				apmatrix_queue_info_get_online(qi),
				apmatrix_queue_info_get_config(qi),
				apmatrix_queue_info_get_chkstop(qi));
			/* vfio_ap has no `online`: the card's word stands. */
			if (!strcmp(qstatus, "-"))
				qstatus = cstatus;
			held = holders_of(&h, (unsigned int)q);
			jq = json_object_new_object();
			json_object_object_add(jq, "apqn",
					       json_object_new_string(apqn));
			json_object_object_add(
				jq, "domain",
				json_object_new_int(
					(int)APMATRIX_APQN_DOMAIN(q)));
			json_object_object_add(jq, "status",
					       json_object_new_string(qstatus));
			json_object_object_add(
				jq, "driver",
				json_object_new_string(ctl_driver_name(drv)));
			json_object_object_add(
				jq, "vfio_status",
				vfio ? json_object_new_string(vfio) : NULL);
			json_object_object_add(jq, "mdevs", held);
			json_object_array_add(queues, jq);
			if (!ctl->json) {
				printf("%-11s %-6s %-12s %-12s %-8s %-10s ",
				       apqn, type ? type : "-",
				       ctl_mode_name(mode), qstatus,
				       ctl_driver_name(drv), vfio ? vfio : "-");
				print_holders(held);
				putchar('\n');
			}
			apmatrix_queue_info_unref(qi);
		}
		apmatrix_card_info_unref(card);
		if (r != CTL_EXIT_OK)
			break;
	}
	if (r == CTL_EXIT_OK && ctl->json) {
		struct json_object *top = json_object_new_object();

		json_object_object_add(top, "cards", json_object_get(cards));
		r = ctl_print_json(ctl, top);
		json_object_put(top);
	}
	json_object_put(cards);
	return r;
}

/* Every UUID, live or defined, in order: the host's and the store's lists
 * are each sorted; merge them. */
static int list_mdevs(struct ctl *ctl, struct apmatrix_host *host,
		      struct apmatrix_store *store)
{
	unsigned int nh = apmatrix_host_get_mdev_count(host);
	unsigned int ns = store ? apmatrix_store_get_mdev_count(store) : 0;
	struct json_object *arr = json_object_new_array();
	unsigned int i = 0, j = 0;
	int r = CTL_EXIT_OK;

	if (!ctl->json)
		printf("%-36s %-16s %-16s %-20s %-16s %s\n", "UUID", "STATE",
		       "ADAPTERS", "DOMAINS", "CONTROL", "GUEST APQNS");
	while (i < nh || j < ns) {
		struct apmatrix_mdev *live = NULL, *def = NULL;
		struct apmatrix_matrix *lm, *dm, *gm, *shown;
		struct json_object *o;
		char ad[128], dom[160], cd[160], state[32];
		int c;

		if (i < nh && j < ns)
			c = strcmp(apmatrix_mdev_get_uuid(
					   apmatrix_host_get_mdev(host, i)),
				   apmatrix_mdev_get_uuid(
					   apmatrix_store_get_mdev(store, j)));
		else
			c = i < nh ? -1 : 1;
		if (c <= 0)
			live = apmatrix_host_get_mdev(host, i++);
		if (c >= 0)
			def = apmatrix_store_get_mdev(store, j++);
		lm = live ? apmatrix_mdev_get_matrix(live, APMATRIX_ROLE_LIVE)
			  : NULL;
		gm = live ? apmatrix_mdev_get_matrix(live, APMATRIX_ROLE_GUEST)
			  : NULL;
		dm = def ? apmatrix_mdev_get_matrix(def, APMATRIX_ROLE_DEFINED)
			 : NULL;
		snprintf(state, sizeof(state), "%s%s%s", live ? "active" : "",
			 live && def ? "," : "",
			 !def                                    ? ""
			 : apmatrix_mdev_get_autostart(def) == 1 ? "auto"
								 : "manual");
		o = json_object_new_object();
		json_object_object_add(
			o, "uuid",
			json_object_new_string(
				apmatrix_mdev_get_uuid(live ? live : def)));
		json_object_object_add(o, "active",
				       json_object_new_boolean(live != NULL));
		json_object_object_add(o, "defined",
				       json_object_new_boolean(def != NULL));
		json_object_object_add(
			o, "autostart",
			def ? json_object_new_boolean(
				      apmatrix_mdev_get_autostart(def) == 1)
			    : NULL);
		json_object_object_add(o, "live", ctl_json_matrix(lm));
		json_object_object_add(o, "guest", ctl_json_matrix(gm));
		json_object_object_add(o, "defined_matrix",
				       ctl_json_matrix(dm));
		json_object_array_add(arr, o);
		if (ctl->json)
			continue;
		shown = lm ? lm : dm;
		ctl_format_ids(apmatrix_matrix_get_adapters(shown), 0, ad,
			       sizeof(ad));
		ctl_format_ids(apmatrix_matrix_get_usage_domains(shown), 1, dom,
			       sizeof(dom));
		ctl_format_ids(apmatrix_matrix_get_control_domains(shown), 1,
			       cd, sizeof(cd));
		if (lm && dm && !apmatrix_matrix_equal(lm, dm))
			strncat(state, "*", sizeof(state) - strlen(state) - 1);
		printf("%-36s %-16s %-16s %-20s %-16s ",
		       apmatrix_mdev_get_uuid(live ? live : def), state, ad,
		       dom, cd);
		if (gm)
			printf("%u\n", apmatrix_matrix_get_apqn_count(gm));
		else
			printf("-\n");
	}
	if (ctl->json) {
		struct json_object *top = json_object_new_object();

		json_object_object_add(top, "mdevs", json_object_get(arr));
		r = ctl_print_json(ctl, top);
		json_object_put(top);
	} else if (nh + ns == 0) {
		printf("(no mdevs)\n");
	}
	json_object_put(arr);
	return r;
}

static int list_opt(struct ctl *ctl, int c, const char *arg, void *data)
{
	struct list_opts *o = data;

	if (c != 'm')
		return CTL_EXIT_USAGE;
	o->mdevs = 1;
	return 0;
}

static int run_list(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {{"mdevs", no_argument, NULL, 'm'},
					     CTL_COMMON_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct apmatrix_store *store = NULL;
	struct apmatrix_host *host = NULL;
	struct list_opts o = {0};
	int first, r;

	first = ctl_parse(ctl, argc, argv, opts, list_opt, &o);
	if (first < 0)
		return -first - 1;
	r = ctl_operands(ctl, argc, first, 0, 0);
	if (r)
		return r;
	r = ctl_read_host(ctl, o.mdevs ? APMATRIX_READ_MDEVS : 0, &host);
	if (r == CTL_EXIT_OK)
		r = ctl_read_store(ctl, &store);
	if (r == CTL_EXIT_OK)
		r = o.mdevs ? list_mdevs(ctl, host, store)
			    : list_queues(ctl, host, store);
	apmatrix_store_unref(store);
	apmatrix_host_unref(host);
	return r;
}

const struct ctl_verb ctl_verb_list = {
	"list", "cards and queues (lszcrypt style) with the mdevs holding them",
	"list [--mdevs] [--json]", run_list};
