/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * list-queues: the AP queues of the host this runs on, like `lszcrypt`
 * with the driver and what vfio_ap says about each queue.
 *
 * An AP adapter is a crypto card (CEX8, in CCA, EP11 or accelerator mode);
 * each is split into domains, and the queue of one domain on one adapter
 * is an APQN, written AA.DDDD in hex ("04.0047" = domain 0x47 of adapter
 * 4). Each queue is bound either to the host's own crypto driver ("host")
 * or to vfio_ap, which passes it to a guest when a mediated device is
 * assigned it ("assigned"; "in use" once the guest runs).
 *
 *   list-queues [SYSFS-ROOT]
 *
 * SYSFS-ROOT (default /sys) may be a captured tree. Reads only cards and
 * queues (APMATRIX_READ_DEVICES). One line per queue:
 *
 *   APQN     TYPE   MODE   DRIVER   ONLINE CONFIG CHKSTOP STATUS
 *   04.0047  CEX8P  ep11   vfio_ap  -      1      0       in use
 *
 * "-" = the kernel does not say (for example `online` of a queue bound to
 * vfio_ap). Exit status: 0, or 1 with the library's message on stderr.
 */
#include <apmatrix.h>
#include <errno.h>
#include <stdio.h>

static const char *yes_no(int v)
{
	return v == 1 ? "1" : v == 0 ? "0" : "-";
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
		return "-";
	}
}

static const char *driver_name(int driver)
{
	switch (driver) {
	case APMATRIX_DRIVER_VFIO_AP:
		return "vfio_ap";
	case APMATRIX_DRIVER_DEFAULT:
		return "host";
	default:
		return "none";
	}
}

static const char *status_name(int status)
{
	switch (status) {
	case APMATRIX_QUEUE_UNASSIGNED:
		return "unassigned";
	case APMATRIX_QUEUE_ASSIGNED:
		return "assigned";
	case APMATRIX_QUEUE_IN_USE:
		return "in use";
	default:
		return "-";
	}
}

int main(int argc, char **argv)
{
	struct apmatrix_host *host = NULL;
	struct apmatrix_ctx *ctx = NULL;
	int r;

	if (apmatrix_new(&ctx) < 0)
		return 1;
	if (argc > 1 &&
	    apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, argv[1]) < 0) {
		fprintf(stderr, "list-queues: %s\n",
			apmatrix_get_diagnostic(ctx));
		apmatrix_unref(ctx);
		return 1;
	}
	r = apmatrix_host_read(ctx, APMATRIX_READ_DEVICES, &host);
	if (r < 0) {
		fprintf(stderr, "list-queues: %s\n",
			apmatrix_get_diagnostic(ctx));
		apmatrix_unref(ctx);
		return 1;
	}
	printf("%-8s %-6s %-6s %-8s %-6s %-6s %-7s %s\n", "APQN", "TYPE",
	       "MODE", "DRIVER", "ONLINE", "CONFIG", "CHKSTOP", "STATUS");
	for (int a = apmatrix_host_next_card(host, 0); a >= 0;
	     a = apmatrix_host_next_card(host, (unsigned int)a + 1)) {
		struct apmatrix_card_info *card = NULL;
		const char *type;
		int mode;

		if (apmatrix_host_get_card_info(host, (unsigned int)a, &card) <
		    0)
			break;
		type = apmatrix_card_info_get_type(card);
		mode = apmatrix_card_info_get_mode(card);
		for (int q = apmatrix_host_next_queue(host,
						      APMATRIX_APQN(a, 0));
		     q >= 0 && APMATRIX_APQN_ADAPTER(q) == (unsigned int)a;
		     q = apmatrix_host_next_queue(host, (unsigned int)q + 1)) {
			struct apmatrix_queue_info *queue = NULL;

			if (apmatrix_host_get_queue_info(host, (unsigned int)q,
							 &queue) < 0)
				break;
			printf("%02x.%04x  %-6s %-6s %-8s %-6s %-6s %-7s %s\n",
			       APMATRIX_APQN_ADAPTER(q),
			       APMATRIX_APQN_DOMAIN(q), type ? type : "-",
			       mode_name(mode),
			       driver_name(
				       apmatrix_queue_info_get_driver(queue)),
			       yes_no(apmatrix_queue_info_get_online(queue)),
			       yes_no(apmatrix_queue_info_get_config(queue)),
			       yes_no(apmatrix_queue_info_get_chkstop(queue)),
			       status_name(
				       apmatrix_queue_info_get_status(queue)));
			apmatrix_queue_info_unref(queue);
		}
		apmatrix_card_info_unref(card);
	}
	apmatrix_host_unref(host);
	apmatrix_unref(ctx);
	return 0;
}
