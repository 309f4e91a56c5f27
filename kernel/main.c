// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: AP bus and vfio_ap sysfs ABI over simulated adapters.
 */
#include <linux/module.h>

static int __init vfio_ap_sim_init(void)
{
	return 0;
}

static void __exit vfio_ap_sim_exit(void)
{
}

module_init(vfio_ap_sim_init);
module_exit(vfio_ap_sim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated s390 AP bus and vfio_ap mediated device driver");
