// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: module parameters, initial topology, init and exit.
 *
 * Reproduces the user-space ABI of the s390 AP bus and vfio_ap on simulated
 * crypto adapters so that management software can be tested on any
 * architecture. See README.md.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "vfio_ap_sim.h"

struct sim_host sim;

static bool apxa = true;
module_param(apxa, bool, 0444);
MODULE_PARM_DESC(apxa, "Simulate APXA (256 IDs, CRYCB format 2)");

static bool qci = true;
module_param(qci, bool, 0444);
MODULE_PARM_DESC(qci, "Simulate the QCI facility (qci=0 implies apxa=0)");

static int max_adapter_id = 255;
module_param(max_adapter_id, int, 0444);
MODULE_PARM_DESC(max_adapter_id, "Highest adapter ID (QCI Na) with apxa=1");

static int max_domain_id = 255;
module_param(max_domain_id, int, 0444);
MODULE_PARM_DESC(max_domain_id, "Highest domain ID (QCI Nd) with apxa=1");

static char *cards = "0:CEX8C,1:CEX8P,2:CEX8A,3:CEX8C,4:CEX8P,5:CEX8A";
module_param(cards, charp, 0444);
MODULE_PARM_DESC(cards, "Adapters: ID[-ID]:CEX<4-8><C|P|A>,... or none");

static char *usage_domains = "0-5,0x47";
module_param(usage_domains, charp, 0444);
MODULE_PARM_DESC(usage_domains, "Host usage domains: N[-M],...");

static char *control_domains = "0-15,0x47";
module_param(control_domains, charp, 0444);
MODULE_PARM_DESC(control_domains, "Host control domains: N[-M],...");

static char *apmask;
module_param(apmask, charp, 0444);
MODULE_PARM_DESC(apmask, "Initial AP bus apmask (like ap.apmask=)");

static char *aqmask;
module_param(aqmask, charp, 0444);
MODULE_PARM_DESC(aqmask, "Initial AP bus aqmask (like ap.aqmask=)");

/* As the ap.apmask= kernel parameter: start from zero, then parse. */
static int __init sim_parse_initial_mask(const char *str, unsigned long *mask)
{
	DECLARE_BITMAP(zero, AP_DEVICES);

	if (!str)
		return 0;
	bitmap_zero(zero, AP_DEVICES);
	return sim_parse_bitmap_str(str, zero, AP_DEVICES, mask);
}

static int __init sim_parse_cards(void)
{
	char *buf, *p, *term, *type;
	DECLARE_BITMAP(ids, AP_DEVICES);
	enum sim_mode mode;
	unsigned int hwtype, id;
	int rc = 0;

	if (!cards || !*cards || !strcmp(cards, "none"))
		return 0;
	buf = kstrdup(cards, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = buf;
	while ((term = strsep(&p, ",")) != NULL) {
		if (!*term)
			continue;
		type = strchr(term, ':');
		if (!type) {
			rc = -EINVAL;
			break;
		}
		*type++ = '\0';
		rc = sim_parse_id_list(term, ids, AP_DEVICES);
		if (!rc)
			rc = sim_parse_card_type(type, &hwtype, &mode);
		if (rc) {
			pr_err("vfio_ap_sim: bad cards term '%s:%s'\n", term,
			       type);
			break;
		}
		for_each_set_bit(id, ids, AP_DEVICES) {
			if (id > sim.max_apid)
				continue;
			rc = sim_card_add(id, hwtype, mode);
			if (rc && rc != -EEXIST)
				goto out;
			rc = 0;
		}
	}
out:
	kfree(buf);
	return rc;
}

static int __init sim_setup_host(void)
{
	int rc, i;

	mutex_init(&sim.scan_lock);
	mutex_init(&sim.lock);
	INIT_LIST_HEAD(&sim.mdevs);
	sim.qci = qci;
	/* APXA is reported through QCI */
	sim.apxa = qci && apxa;
	if (sim.apxa) {
		if (max_adapter_id < 0 || max_adapter_id > 255 ||
		    max_domain_id < 0 || max_domain_id > 255)
			return -EINVAL;
		sim.max_apid = max_adapter_id;
		sim.max_apqi = max_domain_id;
	} else {
		sim.max_apid = 63;
		sim.max_apqi = 15;
	}
	bitmap_fill(sim.apmask, AP_DEVICES);
	bitmap_fill(sim.aqmask, AP_DOMAINS);
	if (sim_parse_initial_mask(apmask, sim.apmask) ||
	    sim_parse_initial_mask(aqmask, sim.aqmask)) {
		pr_err("vfio_ap_sim: bad apmask/aqmask parameter\n");
		return -EINVAL;
	}
	sim.ap_domain = -1;
	sim.config_time = 30;
	sim.poll_timeout = 250000;

	rc = sim_parse_id_list(usage_domains, sim.qci_aqm, AP_DOMAINS);
	if (!rc)
		rc = sim_parse_id_list(control_domains, sim.qci_adm,
				       AP_DOMAINS);
	if (rc) {
		pr_err("vfio_ap_sim: bad usage_domains/control_domains\n");
		return rc;
	}
	for (i = sim.max_apqi + 1; i < AP_DOMAINS; i++) {
		clear_bit(i, sim.qci_aqm);
		clear_bit(i, sim.qci_adm);
	}
	return 0;
}

/*
 * The debugfs ctl and fault files act on the bus, the drivers and the
 * matrix: they are created last, once all of these are up and the initial
 * scan is done, and removed first. No error path of init ever sees them.
 */
static int __init vfio_ap_sim_init(void)
{
	int rc;

	rc = sim_setup_host();
	if (rc)
		return rc;
	sim_debugfs_init();
	rc = sim_ap_bus_init();
	if (rc)
		goto err_debugfs;
	rc = sim_drivers_register();
	if (rc)
		goto err_bus;
	rc = sim_matrix_init();
	if (rc)
		goto err_drivers;

	mutex_lock(&sim.scan_lock);
	sim_scan_begin();
	rc = sim_parse_cards();
	if (rc) {
		sim_card_remove_all();
		mutex_unlock(&sim.scan_lock);
		goto err_matrix;
	}
	sim_scan_end();
	mutex_unlock(&sim.scan_lock);

	sim_ctl_start();
	pr_info("vfio_ap_sim: loaded, apxa=%d max ids %d/%d\n", sim.apxa,
		sim.max_apid, sim.max_apqi);
	return 0;

err_matrix:
	sim_matrix_exit();
err_drivers:
	sim_drivers_unregister();
err_bus:
	sim_ap_bus_exit();
err_debugfs:
	sim_debugfs_exit();
	return rc;
}

static void __exit vfio_ap_sim_exit(void)
{
	/* first: waits for running ctl/fault writes, no new ones start */
	sim_ctl_stop();
	sim_matrix_exit();
	mutex_lock(&sim.scan_lock);
	sim_card_remove_all();
	mutex_unlock(&sim.scan_lock);
	sim_drivers_unregister();
	sim_ap_bus_exit();
	sim_debugfs_exit();
	if (sim_counters_balanced())
		pr_info("vfio_ap_sim: leak check ok\n");
}

module_init(vfio_ap_sim_init);
module_exit(vfio_ap_sim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated s390 AP bus and vfio_ap mediated device driver");
MODULE_SOFTDEP("pre: vfio vfio_iommu_type1 mdev");
