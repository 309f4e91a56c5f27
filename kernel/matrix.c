// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: the matrix device, the vfio_ap-passthrough mdev type,
 * per-mdev assignment attributes and the guest (shadow APCB) matrix.
 *
 * Semantics follow drivers/s390/crypto/vfio_ap_ops.c (v6.0+ dynamic
 * configuration): assignments are validated against the host pool and the
 * other mdevs; the guest matrix is the assigned matrix filtered by the host
 * configuration and by which queues are bound to vfio_ap.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>
#include "vfio_ap_sim.h"

/* three masks "0x" + 64 digits plus separators, as mainline */
#define AP_CONFIG_STRLEN (3 * (AP_DEVICES / 4 + 3))

#define MDEV_SHARING_ERR \
	"Userspace may not assign queue %02lx.%04lx to mdev: already assigned to %s\n"
#define MDEV_IN_USE_ERR \
	"Can not reserve queue %02lx.%04lx for host driver: in use by mdev\n"

static struct device *matrix_root;
static struct device matrix_dev;
static struct mdev_parent matrix_parent;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static int matrix_bus_match(struct device *dev, const struct device_driver *drv)
#else
static int matrix_bus_match(struct device *dev, struct device_driver *drv)
#endif
{
	return 1;
}

static struct bus_type matrix_bus = {
	.name = "matrix",
	.match = matrix_bus_match,
};

static struct device_driver matrix_driver = {
	.name = "vfio_ap",
	.bus = &matrix_bus,
	.owner = THIS_MODULE,
	.suppress_bind_attrs = true,
};

static ssize_t features_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "guest_matrix hotplug ap_config\n");
}
static DEVICE_ATTR_RO(features);

static struct attribute *matrix_dev_attrs[] = {
	&dev_attr_features.attr,
	NULL,
};
ATTRIBUTE_GROUPS(matrix_dev);

static void matrix_dev_release(struct device *dev)
{
}

/* The functions below up to the vfio_ap driver assert sim.lock held. */

static struct ap_matrix_mdev *vfio_ap_owner(unsigned long apid,
					    unsigned long apqi)
{
	struct ap_matrix_mdev *m;

	lockdep_assert_held(&sim.lock);
	list_for_each_entry(m, &sim.mdevs, node)
		if (test_bit(apid, m->matrix.apm) &&
		    test_bit(apqi, m->matrix.aqm))
			return m;
	return NULL;
}

/*
 * Recompute the shadow APCB. An adapter is dropped as a whole when any of
 * its queues in the matrix is missing or not bound to vfio_ap: the
 * architecture cannot exclude a single APQN. Deconfigured or check-stopped
 * queues stay, the guest sees their state.
 */
bool vfio_ap_filter_matrix(struct ap_matrix_mdev *m)
{
	struct ap_matrix old = m->shadow;
	unsigned long apid;

	lockdep_assert_held(&sim.lock);
	/* without QCI the kernel knows no host masks: nothing passes */
	if (!sim.qci) {
		memset(&m->shadow, 0, sizeof(m->shadow));
		return memcmp(&old, &m->shadow, sizeof(old)) != 0;
	}
	bitmap_and(m->shadow.apm, m->matrix.apm, sim.qci_apm, AP_DEVICES);
	bitmap_and(m->shadow.aqm, m->matrix.aqm, sim.qci_aqm, AP_DOMAINS);
	bitmap_and(m->shadow.adm, m->matrix.adm, sim.qci_adm, AP_DOMAINS);

	for_each_set_bit(apid, m->shadow.apm, AP_DEVICES) {
		struct sim_card *card = sim.cards[apid];

		if (!card ||
		    !bitmap_subset(m->shadow.aqm, card->vfio_bound, AP_DOMAINS))
			clear_bit(apid, m->shadow.apm);
	}
	return memcmp(&old, &m->shadow, sizeof(old)) != 0;
}

void vfio_ap_update_guest(struct ap_matrix_mdev *m)
{
	lockdep_assert_held(&sim.lock);
	if (m->guest)
		vfio_ap_push_crycb(m);
}

void vfio_ap_on_config_changed(void)
{
	struct ap_matrix_mdev *m;

	lockdep_assert_held(&sim.lock);
	list_for_each_entry(m, &sim.mdevs, node)
		if (vfio_ap_filter_matrix(m))
			vfio_ap_update_guest(m);
}

/*
 * The bus' in_use callback: may the host take these APQNs back? As mainline,
 * the APQNs shared with the first conflicting mdev are logged.
 */
int vfio_ap_in_use(const unsigned long *apm, const unsigned long *aqm)
{
	DECLARE_BITMAP(capm, AP_DEVICES);
	DECLARE_BITMAP(caqm, AP_DOMAINS);
	struct ap_matrix_mdev *m;
	unsigned long apid, apqi;

	lockdep_assert_held(&sim.lock);
	list_for_each_entry(m, &sim.mdevs, node) {
		if (!bitmap_and(capm, apm, m->matrix.apm, AP_DEVICES))
			continue;
		if (!bitmap_and(caqm, aqm, m->matrix.aqm, AP_DOMAINS))
			continue;
		for_each_set_bit(apid, capm, AP_DEVICES)
			for_each_set_bit(apqi, caqm, AP_DOMAINS)
				dev_warn_ratelimited(mdev_dev(m->mdev),
						     MDEV_IN_USE_ERR, apid,
						     apqi);
		return -EADDRINUSE;
	}
	return 0;
}

static bool vfio_ap_owned_by_host(const unsigned long *apm,
				  const unsigned long *aqm)
{
	lockdep_assert_held(&sim.lock);
	return bitmap_intersects(apm, sim.apmask, AP_DEVICES) &&
	       bitmap_intersects(aqm, sim.aqmask, AP_DOMAINS);
}

static int vfio_ap_verify_no_sharing(struct ap_matrix_mdev *self)
{
	struct device *dev = mdev_dev(self->mdev);
	const char *owner;
	DECLARE_BITMAP(apm, AP_DEVICES);
	DECLARE_BITMAP(aqm, AP_DOMAINS);
	struct ap_matrix_mdev *m;
	unsigned long apid, apqi;

	lockdep_assert_held(&sim.lock);
	list_for_each_entry(m, &sim.mdevs, node) {
		if (m == self)
			continue;
		if (!bitmap_and(apm, self->matrix.apm, m->matrix.apm,
				AP_DEVICES))
			continue;
		if (!bitmap_and(aqm, self->matrix.aqm, m->matrix.aqm,
				AP_DOMAINS))
			continue;
		owner = dev_name(mdev_dev(m->mdev));
		for_each_set_bit(apid, apm, AP_DEVICES)
			for_each_set_bit(apqi, aqm, AP_DOMAINS)
				dev_warn_ratelimited(dev, MDEV_SHARING_ERR,
						     apid, apqi, owner);
		return -EADDRINUSE;
	}
	return 0;
}

static int vfio_ap_validate_masks(struct ap_matrix_mdev *m)
{
	if (vfio_ap_owned_by_host(m->matrix.apm, m->matrix.aqm))
		return -EADDRNOTAVAIL;
	return vfio_ap_verify_no_sharing(m);
}

/* vfio_ap driver on the AP bus: queue probe/remove and "status". */

int sim_vfio_queue_probe(struct device *dev)
{
	struct sim_queue *q = to_sim_queue(dev);
	struct ap_matrix_mdev *m;

	mutex_lock(&sim.lock);
	q->vfio_bound = true;
	set_bit(q->dom, q->card->vfio_bound);
	m = vfio_ap_owner(q->card->id, q->dom);
	/* during a scan the hot plug happens once, at scan end */
	if (m && !sim.scan_in_progress && vfio_ap_filter_matrix(m))
		vfio_ap_update_guest(m);
	mutex_unlock(&sim.lock);
	return 0;
}

void sim_vfio_queue_remove(struct device *dev)
{
	struct sim_queue *q = to_sim_queue(dev);
	struct ap_matrix_mdev *m;

	mutex_lock(&sim.lock);
	q->vfio_bound = false;
	clear_bit(q->dom, q->card->vfio_bound);
	m = vfio_ap_owner(q->card->id, q->dom);
	if (m && vfio_ap_filter_matrix(m))
		vfio_ap_update_guest(m);
	mutex_unlock(&sim.lock);
}

static ssize_t status_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct sim_queue *q = to_sim_queue(dev);
	unsigned long apid = q->card->id, apqi = q->dom;
	struct ap_matrix_mdev *m;
	const char *s = "unassigned";

	mutex_lock(&sim.lock);
	m = vfio_ap_owner(apid, apqi);
	if (m) {
		if (m->guest && test_bit(apid, m->shadow.apm) &&
		    test_bit(apqi, m->shadow.aqm))
			s = "in use";
		else
			s = "assigned";
	}
	mutex_unlock(&sim.lock);
	return sysfs_emit(buf, "%s\n", s);
}
static DEVICE_ATTR_RO(status);

static struct attribute *sim_vfio_queue_drv_attrs[] = {
	&dev_attr_status.attr,
	NULL,
};

static const struct attribute_group sim_vfio_queue_drv_group = {
	.attrs = sim_vfio_queue_drv_attrs,
};

const struct attribute_group *sim_vfio_queue_drv_groups[] = {
	&sim_vfio_queue_drv_group,
	NULL,
};

/* Per-mdev attributes. */

enum vfio_ap_axis { AXIS_APM, AXIS_AQM, AXIS_ADM };

static unsigned long *vfio_ap_axis_mask(struct ap_matrix *mx, int axis)
{
	switch (axis) {
	case AXIS_APM:
		return mx->apm;
	case AXIS_AQM:
		return mx->aqm;
	default:
		return mx->adm;
	}
}

static ssize_t vfio_ap_assign(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count, int axis,
			      bool assign)
{
	struct ap_matrix_mdev *m = dev_get_drvdata(dev);
	unsigned long id, *mask;
	ssize_t rc;

	rc = sim_fault_check(&dev->kobj, attr->attr.name);
	if (rc)
		return rc;
	rc = kstrtoul(buf, 0, &id);
	if (rc)
		return rc;

	rc = sim_scan_lock();
	if (rc)
		return rc;
	mutex_lock(&sim.lock);
	/* apm_max = Na, aqm_max = adm_max = Nd (or 63/15 without APXA) */
	if (id > (axis == AXIS_APM ? sim.max_apid : sim.max_apqi)) {
		rc = -ENODEV;
		goto done;
	}
	mask = vfio_ap_axis_mask(&m->matrix, axis);
	if (test_bit(id, mask) == assign) {
		rc = count;
		goto done;
	}
	if (assign) {
		set_bit(id, mask);
		if (axis != AXIS_ADM) {
			rc = vfio_ap_validate_masks(m);
			if (rc) {
				clear_bit(id, mask);
				goto done;
			}
		}
	} else {
		clear_bit(id, mask);
	}
	if (vfio_ap_filter_matrix(m))
		vfio_ap_update_guest(m);
	rc = count;
done:
	mutex_unlock(&sim.lock);
	mutex_unlock(&sim.scan_lock);
	return rc;
}

#define VFIO_AP_ASSIGN_ATTR(name, axis, assign)                             \
	static ssize_t name##_store(struct device *dev,                     \
				    struct device_attribute *attr,          \
				    const char *buf, size_t count)          \
	{                                                                   \
		return vfio_ap_assign(dev, attr, buf, count, axis, assign); \
	}                                                                   \
	static DEVICE_ATTR_WO(name)

VFIO_AP_ASSIGN_ATTR(assign_adapter, AXIS_APM, true);
VFIO_AP_ASSIGN_ATTR(unassign_adapter, AXIS_APM, false);
VFIO_AP_ASSIGN_ATTR(assign_domain, AXIS_AQM, true);
VFIO_AP_ASSIGN_ATTR(unassign_domain, AXIS_AQM, false);
VFIO_AP_ASSIGN_ATTR(assign_control_domain, AXIS_ADM, true);
VFIO_AP_ASSIGN_ATTR(unassign_control_domain, AXIS_ADM, false);

/* Lines "AA.DDDD", "AA." or ".DDDD"; truncated at PAGE_SIZE. */
static ssize_t vfio_ap_matrix_show(const struct ap_matrix *mx, char *buf)
{
	unsigned long napm = sim.max_apid + 1, naqm = sim.max_apqi + 1;
	unsigned long apid, apqi;
	bool has_apm, has_aqm;
	int n = 0;

	lockdep_assert_held(&sim.lock);
	has_apm = find_first_bit(mx->apm, napm) < napm;
	has_aqm = find_first_bit(mx->aqm, naqm) < naqm;

	if (has_apm && has_aqm) {
		for_each_set_bit(apid, mx->apm, napm)
			for_each_set_bit(apqi, mx->aqm, naqm) {
				if (n + 9 > PAGE_SIZE)
					return n;
				n += scnprintf(buf + n, PAGE_SIZE - n,
					       "%02lx.%04lx\n", apid, apqi);
			}
	} else if (has_apm) {
		for_each_set_bit(apid, mx->apm, napm)
			n += scnprintf(buf + n, PAGE_SIZE - n, "%02lx.\n",
				       apid);
	} else if (has_aqm) {
		for_each_set_bit(apqi, mx->aqm, naqm)
			n += scnprintf(buf + n, PAGE_SIZE - n, ".%04lx\n",
				       apqi);
	}
	return n;
}

static ssize_t matrix_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct ap_matrix_mdev *m = dev_get_drvdata(dev);
	ssize_t rc;

	mutex_lock(&sim.lock);
	rc = vfio_ap_matrix_show(&m->matrix, buf);
	mutex_unlock(&sim.lock);
	return rc;
}
static DEVICE_ATTR_RO(matrix);

static ssize_t guest_matrix_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct ap_matrix_mdev *m = dev_get_drvdata(dev);
	ssize_t rc;

	mutex_lock(&sim.lock);
	rc = vfio_ap_matrix_show(&m->shadow, buf);
	mutex_unlock(&sim.lock);
	return rc;
}
static DEVICE_ATTR_RO(guest_matrix);

static ssize_t control_domains_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct ap_matrix_mdev *m = dev_get_drvdata(dev);
	unsigned long id;
	int n = 0;

	mutex_lock(&sim.lock);
	for_each_set_bit(id, m->matrix.adm, sim.max_apqi + 1)
		n += scnprintf(buf + n, PAGE_SIZE - n, "%04lx\n", id);
	mutex_unlock(&sim.lock);
	return n;
}
static DEVICE_ATTR_RO(control_domains);

static ssize_t ap_config_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct ap_matrix_mdev *m = dev_get_drvdata(dev);
	char a[AP_MASK_STRLEN], d[AP_MASK_STRLEN], c[AP_MASK_STRLEN];

	mutex_lock(&sim.lock);
	sim_mask_format(a, sizeof(a), m->matrix.apm, AP_DEVICES, 64);
	sim_mask_format(d, sizeof(d), m->matrix.aqm, AP_DOMAINS, 64);
	sim_mask_format(c, sizeof(c), m->matrix.adm, AP_DOMAINS, 64);
	mutex_unlock(&sim.lock);
	return sysfs_emit(buf, "%s,%s,%s\n", a, d, c);
}

static int vfio_ap_parse_config_mask(char **rest, unsigned long *bitmap)
{
	char *tok = strsep(rest, ",\n");

	if (!tok)
		return -EINVAL;
	bitmap_zero(bitmap, AP_DEVICES);
	return sim_hex2bitmap(tok, bitmap, AP_DEVICES);
}

static int vfio_ap_overflow_check(const struct ap_matrix *mx)
{
	if (find_next_bit(mx->apm, AP_DEVICES, sim.max_apid + 1) < AP_DEVICES)
		return -ENODEV;
	if (find_next_bit(mx->aqm, AP_DOMAINS, sim.max_apqi + 1) < AP_DOMAINS)
		return -ENODEV;
	if (find_next_bit(mx->adm, AP_DOMAINS, sim.max_apqi + 1) < AP_DOMAINS)
		return -ENODEV;
	return 0;
}

/*
 * Atomic replace of all three masks. Check order as mainline: syntax,
 * host-owned APQNs, sharing, ID range; nothing changes on error.
 */
static ssize_t ap_config_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t count)
{
	struct ap_matrix_mdev *m = dev_get_drvdata(dev);
	struct ap_matrix m_new, m_old;
	char *newbuf, *rest;
	ssize_t rc;

	rc = sim_fault_check(&dev->kobj, attr->attr.name);
	if (rc)
		return rc;
	newbuf = kstrndup(buf, AP_CONFIG_STRLEN, GFP_KERNEL);
	if (!newbuf)
		return -ENOMEM;
	rest = newbuf;

	rc = sim_scan_lock();
	if (rc)
		goto out_free;
	mutex_lock(&sim.lock);
	m_old = m->matrix;
	if (vfio_ap_parse_config_mask(&rest, m_new.apm) ||
	    vfio_ap_parse_config_mask(&rest, m_new.aqm) ||
	    vfio_ap_parse_config_mask(&rest, m_new.adm)) {
		rc = -EINVAL;
		goto out;
	}
	m->matrix = m_new;
	rc = vfio_ap_validate_masks(m);
	if (!rc)
		rc = vfio_ap_overflow_check(&m->matrix);
	if (rc) {
		m->matrix = m_old;
		goto out;
	}
	if (vfio_ap_filter_matrix(m))
		vfio_ap_update_guest(m);
	rc = count;
out:
	mutex_unlock(&sim.lock);
	mutex_unlock(&sim.scan_lock);
out_free:
	kfree(newbuf);
	return rc;
}
static DEVICE_ATTR_RW(ap_config);

static struct attribute *vfio_ap_mdev_attrs[] = {
	&dev_attr_assign_adapter.attr,
	&dev_attr_unassign_adapter.attr,
	&dev_attr_assign_domain.attr,
	&dev_attr_unassign_domain.attr,
	&dev_attr_assign_control_domain.attr,
	&dev_attr_unassign_control_domain.attr,
	&dev_attr_ap_config.attr,
	&dev_attr_control_domains.attr,
	&dev_attr_matrix.attr,
	&dev_attr_guest_matrix.attr,
	NULL,
};

static const struct attribute_group vfio_ap_mdev_attr_group = {
	.attrs = vfio_ap_mdev_attrs,
};

static const struct attribute_group *vfio_ap_mdev_attr_groups[] = {
	&vfio_ap_mdev_attr_group,
	NULL,
};

/* mdev driver */

static int vfio_ap_mdev_probe(struct mdev_device *mdev)
{
	struct ap_matrix_mdev *m;
	int rc;

	rc = sim_fault_check(mdev->dev.parent ? &mdev->dev.parent->kobj : NULL,
			     "create");
	if (rc)
		return rc;

	m = vfio_alloc_device(ap_matrix_mdev, vdev, &mdev->dev,
			      &vfio_ap_sim_dev_ops);
	if (IS_ERR(m))
		return PTR_ERR(m);
	sim_count_alloc(SIM_CNT_MDEV);
	m->mdev = mdev;
	INIT_LIST_HEAD(&m->node);

	mutex_lock(&sim.lock);
	list_add(&m->node, &sim.mdevs);
	mutex_unlock(&sim.lock);

	dev_set_drvdata(&mdev->dev, m);
	rc = vfio_register_emulated_iommu_dev(&m->vdev);
	if (rc)
		goto err_list;
	vfio_ap_dbg_add(m);
	return 0;

err_list:
	mutex_lock(&sim.lock);
	list_del(&m->node);
	mutex_unlock(&sim.lock);
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&m->vdev);
	return rc;
}

static void vfio_ap_mdev_remove(struct mdev_device *mdev)
{
	struct ap_matrix_mdev *m = dev_get_drvdata(&mdev->dev);

	/* blocks while a guest holds the device, see the request op */
	vfio_unregister_group_dev(&m->vdev);
	vfio_ap_dbg_del(m);

	mutex_lock(&sim.lock);
	list_del(&m->node);
	mutex_unlock(&sim.lock);
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&m->vdev);
}

struct mdev_driver vfio_ap_mdev_driver = {
	.device_api = "vfio-ap",
	.max_instances = VFIO_AP_MAX_MDEVS,
	.driver = {
		.name = "vfio_ap_mdev",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = vfio_ap_mdev_attr_groups,
	},
	.probe = vfio_ap_mdev_probe,
	.remove = vfio_ap_mdev_remove,
};

static struct mdev_type vfio_ap_mdev_type = {
	.sysfs_name = "passthrough",
	.pretty_name = "VFIO AP Passthrough Device",
};

static struct mdev_type *vfio_ap_mdev_types[] = {
	&vfio_ap_mdev_type,
};

int sim_matrix_init(void)
{
	int rc;

	matrix_root = root_device_register("vfio_ap");
	if (IS_ERR(matrix_root))
		return PTR_ERR(matrix_root);
	rc = bus_register(&matrix_bus);
	if (rc)
		goto err_root;
	rc = driver_register(&matrix_driver);
	if (rc)
		goto err_bus;

	device_initialize(&matrix_dev);
	matrix_dev.parent = matrix_root;
	matrix_dev.bus = &matrix_bus;
	matrix_dev.groups = matrix_dev_groups;
	matrix_dev.release = matrix_dev_release;
	rc = dev_set_name(&matrix_dev, "matrix");
	if (!rc)
		rc = device_add(&matrix_dev);
	if (rc)
		goto err_dev;

	rc = mdev_register_driver(&vfio_ap_mdev_driver);
	if (rc)
		goto err_del;
	rc = mdev_register_parent(&matrix_parent, &matrix_dev,
				  &vfio_ap_mdev_driver, vfio_ap_mdev_types,
				  ARRAY_SIZE(vfio_ap_mdev_types));
	if (rc)
		goto err_mdev_drv;
	return 0;

err_mdev_drv:
	mdev_unregister_driver(&vfio_ap_mdev_driver);
err_del:
	device_del(&matrix_dev);
err_dev:
	put_device(&matrix_dev);
	driver_unregister(&matrix_driver);
err_bus:
	bus_unregister(&matrix_bus);
err_root:
	root_device_unregister(matrix_root);
	return rc;
}

void sim_matrix_exit(void)
{
	/* removes all mdevs of the parent */
	mdev_unregister_parent(&matrix_parent);
	mdev_unregister_driver(&vfio_ap_mdev_driver);
	device_unregister(&matrix_dev);
	driver_unregister(&matrix_driver);
	bus_unregister(&matrix_bus);
	root_device_unregister(matrix_root);
}
