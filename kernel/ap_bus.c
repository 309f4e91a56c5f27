// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: the "ap" bus, its root device and bus attributes.
 *
 * Behaviour follows the s390 AP bus core: the host pool is
 * apmask x aqmask; queues inside it bind only default drivers, all other
 * queues only non-default ones (vfio_ap).
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/version.h>
#include "vfio_ap_sim.h"

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define SIM_BUS const struct bus_type
#else
#define SIM_BUS struct bus_type
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define SIM_UEVENT_DEV const struct device
#else
#define SIM_UEVENT_DEV struct device
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define SIM_MATCH_DRV const struct device_driver
#else
#define SIM_MATCH_DRV struct device_driver
#endif

struct sim_ap_driver {
	struct device_driver driver;
	bool is_default;
	bool for_cards;
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
};

#define to_sim_ap_driver(d) container_of(d, struct sim_ap_driver, driver)

bool sim_is_card_dev(struct device *dev)
{
	return dev->parent == sim.ap_root;
}

bool sim_is_queue_dev(struct device *dev)
{
	return dev->parent && dev->parent != sim.ap_root && dev != sim.ap_root;
}

bool sim_apqn_host_owned(unsigned int apid, unsigned int apqi)
{
	lockdep_assert_held(&sim.lock);
	return test_bit(apid, sim.apmask) && test_bit(apqi, sim.aqmask);
}

static int ap_bus_match(struct device *dev, SIM_MATCH_DRV *drv)
{
	struct sim_ap_driver *ap_drv = to_sim_ap_driver(drv);

	if (dev == sim.ap_root)
		return 0;
	return sim_is_card_dev(dev) == ap_drv->for_cards;
}

static const char *const sim_mode_names[] = {
	[SIM_MODE_CCA] = "cca",
	[SIM_MODE_EP11] = "ep11",
	[SIM_MODE_ACCEL] = "accel",
};

static int ap_uevent(SIM_UEVENT_DEV *cdev, struct kobj_uevent_env *env)
{
	struct device *dev = (struct device *)cdev;
	struct sim_card *card;
	int rc;

	/* Uevents of the bus root carry only what the caller added. */
	if (dev == sim.ap_root)
		return 0;

	if (sim_is_card_dev(dev)) {
		card = to_sim_card(dev);
		rc = add_uevent_var(env, "DEV_TYPE=%04X", card->hwtype);
		if (rc)
			return rc;
		rc = add_uevent_var(env, "MODALIAS=ap:t%02X", card->hwtype);
		if (rc)
			return rc;
	} else {
		card = to_sim_queue(dev)->card;
	}
	return add_uevent_var(env, "MODE=%s", sim_mode_names[card->mode]);
}

static int ap_device_probe(struct device *dev)
{
	struct sim_ap_driver *ap_drv = to_sim_ap_driver(dev->driver);
	struct sim_queue *q;
	bool devres;
	int rc;

	if (sim_is_queue_dev(dev)) {
		q = to_sim_queue(dev);
		mutex_lock(&sim.lock);
		devres = sim_apqn_host_owned(q->card->id, q->dom);
		mutex_unlock(&sim.lock);
		if (devres != ap_drv->is_default)
			return -ENODEV;
	}
	/* lets tests model a card or queue that fails to bind */
	rc = sim_fault_check(&dev->kobj, "probe");
	if (rc)
		return rc;
	return ap_drv->probe ? ap_drv->probe(dev) : 0;
}

static void ap_device_remove(struct device *dev)
{
	struct sim_ap_driver *ap_drv = to_sim_ap_driver(dev->driver);

	if (ap_drv->remove)
		ap_drv->remove(dev);
}

static ssize_t mask_show(char *buf, const unsigned long *mask)
{
	char tmp[AP_MASK_STRLEN];

	sim_mask_format(tmp, sizeof(tmp), mask, AP_DEVICES, 64);
	return sysfs_emit(buf, "%s\n", tmp);
}

static ssize_t ap_domain_show(SIM_BUS *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sim.ap_domain));
}

static ssize_t ap_domain_store(SIM_BUS *bus, const char *buf, size_t count)
{
	int domain, rc;

	rc = sim_fault_check(NULL, "ap_domain");
	if (rc)
		return rc;
	mutex_lock(&sim.lock);
	if (sscanf(buf, "%i\n", &domain) != 1 || domain < 0 ||
	    domain > sim.max_apqi || !test_bit(domain, sim.aqmask)) {
		mutex_unlock(&sim.lock);
		return -EINVAL;
	}
	WRITE_ONCE(sim.ap_domain, domain);
	mutex_unlock(&sim.lock);
	return count;
}
static BUS_ATTR_RW(ap_domain);

/* The QCI masks, or what mainline prints on a machine without QCI. */
static ssize_t qci_mask_show(char *buf, const unsigned long *mask)
{
	ssize_t rc;

	if (!sim.qci)
		return sysfs_emit(buf, "not supported\n");
	mutex_lock(&sim.lock);
	rc = mask_show(buf, mask);
	mutex_unlock(&sim.lock);
	return rc;
}

static ssize_t ap_control_domain_mask_show(SIM_BUS *bus, char *buf)
{
	return qci_mask_show(buf, sim.qci_adm);
}
static BUS_ATTR_RO(ap_control_domain_mask);

static ssize_t ap_usage_domain_mask_show(SIM_BUS *bus, char *buf)
{
	return qci_mask_show(buf, sim.qci_aqm);
}
static BUS_ATTR_RO(ap_usage_domain_mask);

static ssize_t ap_adapter_mask_show(SIM_BUS *bus, char *buf)
{
	return qci_mask_show(buf, sim.qci_apm);
}
static BUS_ATTR_RO(ap_adapter_mask);

static ssize_t ap_interrupts_show(SIM_BUS *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", 1);
}
static BUS_ATTR_RO(ap_interrupts);

static ssize_t config_time_show(SIM_BUS *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sim.config_time));
}

static ssize_t config_time_store(SIM_BUS *bus, const char *buf, size_t count)
{
	int time, rc;

	rc = sim_fault_check(NULL, "config_time");
	if (rc)
		return rc;
	if (sscanf(buf, "%d\n", &time) != 1 || time < 5 || time > 120)
		return -EINVAL;
	WRITE_ONCE(sim.config_time, time);
	return count;
}
static BUS_ATTR_RW(config_time);

static ssize_t poll_thread_show(SIM_BUS *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sim.poll_thread) ? 1 : 0);
}

static ssize_t poll_thread_store(SIM_BUS *bus, const char *buf, size_t count)
{
	bool value;
	int rc;

	rc = sim_fault_check(NULL, "poll_thread");
	if (rc)
		return rc;
	rc = kstrtobool(buf, &value);
	if (rc)
		return rc;
	/* With interrupts available mainline never starts the thread. */
	WRITE_ONCE(sim.poll_thread, false);
	return count;
}
static BUS_ATTR_RW(poll_thread);

static ssize_t poll_timeout_show(SIM_BUS *bus, char *buf)
{
	return sysfs_emit(buf, "%lu\n", READ_ONCE(sim.poll_timeout));
}

static ssize_t poll_timeout_store(SIM_BUS *bus, const char *buf, size_t count)
{
	unsigned long value;
	int rc;

	rc = sim_fault_check(NULL, "poll_timeout");
	if (rc)
		return rc;
	rc = kstrtoul(buf, 0, &value);
	if (rc)
		return rc;
	if (value > 120000000000UL)
		return -EINVAL;
	WRITE_ONCE(sim.poll_timeout, value);
	return count;
}
static BUS_ATTR_RW(poll_timeout);

static ssize_t ap_max_domain_id_show(SIM_BUS *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", sim.max_apqi);
}
static BUS_ATTR_RO(ap_max_domain_id);

static ssize_t ap_max_adapter_id_show(SIM_BUS *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", sim.max_apid);
}
static BUS_ATTR_RO(ap_max_adapter_id);

static void ap_send_mask_changed_uevent(const char *name,
					const unsigned long *mask)
{
	char tmp[AP_MASK_STRLEN];
	char buf[100];
	char *envp[] = { buf, NULL };

	sim_mask_format(tmp, sizeof(tmp), mask, AP_DEVICES, 64);
	/* mainline puts the newline into the variable; keep it */
	snprintf(buf, sizeof(buf), "%s=%s\n", name, tmp);
	kobject_uevent_env(&sim.ap_root->kobj, KOBJ_CHANGE, envp);
}

static ssize_t apmask_show(SIM_BUS *bus, char *buf)
{
	ssize_t rc;

	if (mutex_lock_interruptible(&sim.lock))
		return -ERESTARTSYS;
	rc = mask_show(buf, sim.apmask);
	mutex_unlock(&sim.lock);
	return rc;
}

static ssize_t aqmask_show(SIM_BUS *bus, char *buf)
{
	ssize_t rc;

	if (mutex_lock_interruptible(&sim.lock))
		return -ERESTARTSYS;
	rc = mask_show(buf, sim.aqmask);
	mutex_unlock(&sim.lock);
	return rc;
}

/*
 * Common store for apmask and aqmask. Bits newly set take APQNs back for
 * the host; vfio_ap vetoes that for APQNs assigned to any mdev, which the
 * bus reports as EBUSY. Rebinding happens after the masks are committed.
 */
static ssize_t mask_store(const char *buf, size_t count, bool is_apm)
{
	unsigned long *cur = is_apm ? sim.apmask : sim.aqmask;
	DECLARE_BITMAP(newmask, AP_DEVICES);
	DECLARE_BITMAP(reserved, AP_DEVICES);
	int rc = 0, changes = 0;

	rc = sim_fault_check(NULL, is_apm ? "apmask" : "aqmask");
	if (rc)
		return rc;

	rc = sim_scan_lock();
	if (rc)
		return rc;
	mutex_lock(&sim.lock);

	rc = sim_parse_bitmap_str(buf, cur, AP_DEVICES, newmask);
	if (rc)
		goto done;

	changes = !bitmap_equal(cur, newmask, AP_DEVICES);
	if (!changes)
		goto done;

	if (bitmap_andnot(reserved, newmask, cur, AP_DEVICES)) {
		if (is_apm)
			rc = vfio_ap_in_use(reserved, sim.aqmask);
		else
			rc = vfio_ap_in_use(sim.apmask, reserved);
		if (rc) {
			rc = -EBUSY;
			goto done;
		}
	}
	bitmap_copy(cur, newmask, AP_DEVICES);

done:
	mutex_unlock(&sim.lock);
	if (!rc && changes) {
		sim_ap_revise_bindings();
		ap_send_mask_changed_uevent(is_apm ? "APMASK" : "AQMASK",
					    newmask);
	}
	mutex_unlock(&sim.scan_lock);
	return rc ? rc : count;
}

static ssize_t apmask_store(SIM_BUS *bus, const char *buf, size_t count)
{
	return mask_store(buf, count, true);
}
static BUS_ATTR_RW(apmask);

static ssize_t aqmask_store(SIM_BUS *bus, const char *buf, size_t count)
{
	return mask_store(buf, count, false);
}
static BUS_ATTR_RW(aqmask);

static ssize_t scans_show(SIM_BUS *bus, char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(&sim.scans));
}

static ssize_t scans_store(SIM_BUS *bus, const char *buf, size_t count)
{
	int rc;

	rc = sim_fault_check(NULL, "scans");
	if (rc)
		return rc;
	/* The simulated configuration is applied immediately: a scan finds
	 * nothing new, it only counts.
	 */
	rc = sim_scan_lock();
	if (rc)
		return rc;
	atomic64_inc(&sim.scans);
	sim_ap_check_bindings_complete();
	mutex_unlock(&sim.scan_lock);
	return count;
}
static BUS_ATTR_RW(scans);

struct sim_bind_count {
	unsigned int apqns;
	unsigned int bound;
};

static int sim_count_bound(struct device *dev, void *data)
{
	struct sim_bind_count *c = data;

	if (sim_is_queue_dev(dev)) {
		c->apqns++;
		if (dev->driver)
			c->bound++;
	}
	return 0;
}

static void sim_calc_bound_apqns(struct sim_bind_count *c)
{
	memset(c, 0, sizeof(*c));
	bus_for_each_dev(&ap_bus_type, NULL, c, sim_count_bound);
}

static ssize_t bindings_show(SIM_BUS *bus, char *buf)
{
	struct sim_bind_count c;

	sim_calc_bound_apqns(&c);
	if (atomic64_read(&sim.scans) >= 1 && c.bound == c.apqns)
		return sysfs_emit(buf, "%u/%u (complete)\n", c.bound, c.apqns);
	return sysfs_emit(buf, "%u/%u\n", c.bound, c.apqns);
}
static BUS_ATTR_RO(bindings);

static ssize_t features_show(SIM_BUS *bus, char *buf)
{
	if (!sim.qci)
		return sysfs_emit(buf, "-\n");
	return sysfs_emit(buf, "%s\n",
			  sim.apxa ? "APSC APXA QACT RC8A" : "APSC QACT RC8A");
}
static BUS_ATTR_RO(features);

static struct attribute *ap_bus_attrs[] = {
	&bus_attr_ap_domain.attr,
	&bus_attr_ap_control_domain_mask.attr,
	&bus_attr_ap_usage_domain_mask.attr,
	&bus_attr_ap_adapter_mask.attr,
	&bus_attr_config_time.attr,
	&bus_attr_poll_thread.attr,
	&bus_attr_ap_interrupts.attr,
	&bus_attr_poll_timeout.attr,
	&bus_attr_ap_max_domain_id.attr,
	&bus_attr_ap_max_adapter_id.attr,
	&bus_attr_apmask.attr,
	&bus_attr_aqmask.attr,
	&bus_attr_scans.attr,
	&bus_attr_bindings.attr,
	&bus_attr_features.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ap_bus);

struct bus_type ap_bus_type = {
	.name = "ap",
	.bus_groups = ap_bus_groups,
	.match = ap_bus_match,
	.uevent = ap_uevent,
	.probe = ap_device_probe,
	.remove = ap_device_remove,
};

void sim_send_config_uevent(struct device *dev, bool cfg)
{
	char buf[16];
	char *envp[] = { buf, NULL };

	snprintf(buf, sizeof(buf), "CONFIG=%d", cfg ? 1 : 0);
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
}

void sim_send_online_uevent(struct device *dev, bool online)
{
	char buf[16];
	char *envp[] = { buf, NULL };

	snprintf(buf, sizeof(buf), "ONLINE=%d", online ? 1 : 0);
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
}

static int __ap_revise_reserved(struct device *dev, void *unused)
{
	struct sim_queue *q;
	bool devres, drvres;
	int rc;

	if (!sim_is_queue_dev(dev))
		return 0;
	q = to_sim_queue(dev);
	mutex_lock(&sim.lock);
	devres = sim_apqn_host_owned(q->card->id, q->dom);
	mutex_unlock(&sim.lock);
	/* Unbound queues get a fresh chance to find their driver. */
	if (!dev->driver) {
		if (device_attach(dev) < 0)
			dev_warn(dev, "attach failed\n");
		return 0;
	}
	drvres = to_sim_ap_driver(dev->driver)->is_default;
	if (devres != drvres) {
		rc = device_reprobe(dev);
		if (rc)
			dev_warn(dev, "reprobing failed: %d\n", rc);
	}
	return 0;
}

void sim_ap_revise_bindings(void)
{
	sim_assert_scan_context();
	bus_for_each_dev(&ap_bus_type, NULL, NULL, __ap_revise_reserved);
}

void sim_ap_check_bindings_complete(void)
{
	struct sim_bind_count c;
	char buf[32];
	char *envp[] = { "BINDINGS=complete", buf, NULL };

	/* one check per scan or mask change, never two at once */
	sim_assert_scan_context();
	if (atomic64_read(&sim.scans) < 1)
		return;
	sim_calc_bound_apqns(&c);
	if (c.bound != c.apqns)
		return;
	snprintf(buf, sizeof(buf), "COMPLETECOUNT=%llu",
		 (u64)atomic64_inc_return(&sim.bindings_complete));
	kobject_uevent_env(&sim.ap_root->kobj, KOBJ_CHANGE, envp);
}

/* As ap_select_domain(): first usage domain in aqmask, once cards exist. */
void sim_ap_select_domain(void)
{
	int dom;

	mutex_lock(&sim.lock);
	if (sim.ap_domain < 0 && !bitmap_empty(sim.qci_apm, AP_DEVICES)) {
		for_each_set_bit(dom, sim.qci_aqm, sim.max_apqi + 1) {
			if (test_bit(dom, sim.aqmask)) {
				WRITE_ONCE(sim.ap_domain, dom);
				break;
			}
		}
	}
	mutex_unlock(&sim.lock);
}

int sim_ap_bus_init(void)
{
	int rc;

	rc = bus_register(&ap_bus_type);
	if (rc)
		return rc;
	sim.ap_root = root_device_register("ap");
	if (IS_ERR(sim.ap_root)) {
		rc = PTR_ERR(sim.ap_root);
		sim.ap_root = NULL;
		bus_unregister(&ap_bus_type);
		return rc;
	}
	/* As mainline: root uevents carry SUBSYSTEM=ap. */
	sim.ap_root->bus = &ap_bus_type;
	return 0;
}

void sim_ap_bus_exit(void)
{
	/* the root was never added to the bus; do not let device_del
	 * drop a bus reference it never took
	 */
	sim.ap_root->bus = NULL;
	root_device_unregister(sim.ap_root);
	bus_unregister(&ap_bus_type);
}

/* The three AP drivers; their device logic lives in ap_card_queue.c. */
static struct sim_ap_driver cex4card_driver = {
	.driver = { .name = "cex4card",
		    .bus = &ap_bus_type,
		    .owner = THIS_MODULE },
	.is_default = true,
	.for_cards = true,
};

static struct sim_ap_driver cex4queue_driver = {
	.driver = { .name = "cex4queue",
		    .bus = &ap_bus_type,
		    .owner = THIS_MODULE },
	.is_default = true,
};

static struct sim_ap_driver vfio_ap_driver = {
	.driver = { .name = "vfio_ap",
		    .bus = &ap_bus_type,
		    .owner = THIS_MODULE },
};

int sim_drivers_register(void)
{
	int rc;

	cex4card_driver.driver.dev_groups = sim_card_drv_groups;
	cex4card_driver.probe = sim_cex4card_probe;
	cex4card_driver.remove = sim_cex4card_remove;
	cex4queue_driver.driver.dev_groups = sim_queue_drv_groups;
	cex4queue_driver.probe = sim_cex4queue_probe;
	cex4queue_driver.remove = sim_cex4queue_remove;
	vfio_ap_driver.driver.dev_groups = sim_vfio_queue_drv_groups;
	vfio_ap_driver.probe = sim_vfio_queue_probe;
	vfio_ap_driver.remove = sim_vfio_queue_remove;

	rc = driver_register(&cex4card_driver.driver);
	if (rc)
		return rc;
	rc = driver_register(&cex4queue_driver.driver);
	if (rc)
		goto err_card;
	rc = driver_register(&vfio_ap_driver.driver);
	if (rc)
		goto err_queue;
	return 0;

err_queue:
	driver_unregister(&cex4queue_driver.driver);
err_card:
	driver_unregister(&cex4card_driver.driver);
	return rc;
}

void sim_drivers_unregister(void)
{
	driver_unregister(&vfio_ap_driver.driver);
	driver_unregister(&cex4queue_driver.driver);
	driver_unregister(&cex4card_driver.driver);
}
