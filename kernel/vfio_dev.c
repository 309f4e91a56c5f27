// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: the vfio device of each mdev and the simulated guest.
 *
 * There is no KVM for AP on x86: opening the device is a simulated guest
 * attach; the guest's CRYCB (crypto control block) is kept here and shown
 * in debugfs. The ioctl set and its checks follow vfio_ap_ops.c.
 */
#include <linux/debugfs.h>
#include <linux/eventfd.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include "vfio_ap_sim.h"

#define CRYCB_SIZE 256
#define CRYCB_APCB0 0x00
#define CRYCB_APCB1 0x80

#define REQ_RELAY_MSG "Relaying device request to user (#%u)\n"
#define REQ_BLOCKED_MSG \
	"No device request registered, blocked until released by user\n"
#define CRYCB_TEXT_FMT \
	"attached %d\nformat %d\napm %s\naqm %s\nadm %s\nupdates %llu\n"

static void vfio_ap_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

static void vfio_ap_signal_cfg_chg(struct ap_matrix_mdev *m)
{
	lockdep_assert_held(&sim.lock);
	if (m->cfg_chg_trigger) {
		vfio_ap_signal(m->cfg_chg_trigger);
		m->cfg_chg_signals++;
	}
}

/*
 * Rewrite the guest CRYCB from the shadow APCB and tell user space
 * (kvm_arch_crypto_set_masks() plus the cfg-change eventfd in mainline).
 */
void vfio_ap_push_crycb(struct ap_matrix_mdev *m)
{
	lockdep_assert_held(&sim.lock);
	m->crycb = m->shadow;
	m->crycb_updates++;
	vfio_ap_signal_cfg_chg(m);
}

static int vfio_ap_open_device(struct vfio_device *vdev)
{
	struct ap_matrix_mdev *m =
		container_of(vdev, struct ap_matrix_mdev, vdev);
	struct ap_matrix_mdev *other;
	pid_t guest = task_tgid_nr(current);
	int rc = 0;

	mutex_lock(&sim.lock);
	/* one vfio-ap device per guest; a guest is the opening process */
	list_for_each_entry(other, &sim.mdevs, node) {
		if (other != m && other->guest == guest) {
			rc = -EPERM;
			goto out;
		}
	}
	m->guest = guest;
	/* mainline pushes the shadow APCB through the regular update path */
	vfio_ap_push_crycb(m);
out:
	mutex_unlock(&sim.lock);
	return rc;
}

static void vfio_ap_put_triggers(struct ap_matrix_mdev *m)
{
	if (m->req_trigger) {
		eventfd_ctx_put(m->req_trigger);
		sim_count_free(SIM_CNT_EVENTFD);
		m->req_trigger = NULL;
	}
	if (m->cfg_chg_trigger) {
		eventfd_ctx_put(m->cfg_chg_trigger);
		sim_count_free(SIM_CNT_EVENTFD);
		m->cfg_chg_trigger = NULL;
	}
}

static void vfio_ap_close_device(struct vfio_device *vdev)
{
	struct ap_matrix_mdev *m =
		container_of(vdev, struct ap_matrix_mdev, vdev);

	mutex_lock(&sim.lock);
	m->guest = 0;
	memset(&m->crycb, 0, sizeof(m->crycb));
	vfio_ap_put_triggers(m);
	mutex_unlock(&sim.lock);
}

/*
 * The last reference is gone: nobody else can reach @m, so no lock.
 * vfio_free_device() came with vfio_alloc_device() in v6.1 (commit
 * cb9ff3f3b84c, "vfio: Add helpers for unifying vfio_device life cycle"),
 * and .release had to call it; v6.2 removed it (913447d06f03, "vfio:
 * Remove vfio_free_device") and the core frees the device after .release.
 * Kernels before v6.1 lack vfio_alloc_device() and are not supported.
 */
static void vfio_ap_release_dev(struct vfio_device *vdev)
{
	struct ap_matrix_mdev *m =
		container_of(vdev, struct ap_matrix_mdev, vdev);

	vfio_ap_put_triggers(m);
	sim_count_free(SIM_CNT_MDEV);
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	vfio_free_device(vdev);
#endif
}

static void vfio_ap_request(struct vfio_device *vdev, unsigned int count)
{
	struct ap_matrix_mdev *m =
		container_of(vdev, struct ap_matrix_mdev, vdev);
	struct device *dev = vdev->dev;

	mutex_lock(&sim.lock);
	if (m->guest) {
		memset(&m->crycb, 0, sizeof(m->crycb));
		m->crycb_updates++;
		vfio_ap_signal_cfg_chg(m);
	}
	if (m->req_trigger) {
		if (!(count % 10))
			dev_notice_ratelimited(dev, REQ_RELAY_MSG, count);
		vfio_ap_signal(m->req_trigger);
		m->req_signals++;
	} else if (count == 0) {
		dev_notice(dev, REQ_BLOCKED_MSG);
	}
	mutex_unlock(&sim.lock);
}

static int vfio_ap_get_device_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_AP | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = 0;
	info.num_irqs = VFIO_AP_NUM_IRQS;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static int vfio_ap_get_irq_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_AP_NUM_IRQS)
		return -EINVAL;
	switch (info.index) {
	case VFIO_AP_REQ_IRQ_INDEX:
	case VFIO_AP_CFG_CHG_IRQ_INDEX:
		info.count = 1;
		info.flags = VFIO_IRQ_INFO_EVENTFD;
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static int vfio_ap_set_trigger(struct eventfd_ctx **slot, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct eventfd_ctx *ctx;
	s32 fd;

	if (get_user(fd, (s32 __user *)(arg + minsz)))
		return -EFAULT;
	if (fd == -1) {
		if (*slot) {
			eventfd_ctx_put(*slot);
			sim_count_free(SIM_CNT_EVENTFD);
		}
		*slot = NULL;
	} else if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
		sim_count_alloc(SIM_CNT_EVENTFD);
		if (*slot) {
			eventfd_ctx_put(*slot);
			sim_count_free(SIM_CNT_EVENTFD);
		}
		*slot = ctx;
	} else {
		return -EINVAL;
	}
	return 0;
}

static int vfio_ap_set_irqs(struct ap_matrix_mdev *m, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set irq_set;
	size_t data_size = 0;
	int rc;

	lockdep_assert_held(&sim.lock);
	if (copy_from_user(&irq_set, (void __user *)arg, minsz))
		return -EFAULT;
	rc = vfio_set_irqs_validate_and_prepare(&irq_set, 1, VFIO_AP_NUM_IRQS,
						&data_size);
	if (rc)
		return rc;
	if (!(irq_set.flags & VFIO_IRQ_SET_ACTION_TRIGGER))
		return -EINVAL;
	if ((irq_set.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) !=
	    VFIO_IRQ_SET_DATA_EVENTFD)
		return -EINVAL;
	switch (irq_set.index) {
	case VFIO_AP_REQ_IRQ_INDEX:
		return vfio_ap_set_trigger(&m->req_trigger, arg);
	case VFIO_AP_CFG_CHG_IRQ_INDEX:
		return vfio_ap_set_trigger(&m->cfg_chg_trigger, arg);
	default:
		return -EINVAL;
	}
}

static long vfio_ap_ioctl(struct vfio_device *vdev, unsigned int cmd,
			  unsigned long arg)
{
	struct ap_matrix_mdev *m =
		container_of(vdev, struct ap_matrix_mdev, vdev);
	long rc;

	mutex_lock(&sim.lock);
	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		rc = vfio_ap_get_device_info(arg);
		break;
	case VFIO_DEVICE_RESET:
		/* simulated queues reset instantly and always succeed */
		rc = 0;
		break;
	case VFIO_DEVICE_GET_IRQ_INFO:
		rc = vfio_ap_get_irq_info(arg);
		break;
	case VFIO_DEVICE_SET_IRQS:
		rc = vfio_ap_set_irqs(m, arg);
		break;
	default:
		rc = -EOPNOTSUPP;
		break;
	}
	mutex_unlock(&sim.lock);
	return rc;
}

const struct vfio_device_ops vfio_ap_sim_dev_ops = {
	.name = "vfio-ap-sim",
	.release = vfio_ap_release_dev,
	.open_device = vfio_ap_open_device,
	.close_device = vfio_ap_close_device,
	.ioctl = vfio_ap_ioctl,
	.request = vfio_ap_request,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	/* newer cores want iommufd ops even for emulated devices */
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};

/* debugfs: the simulated CRYCB */

static void crycb_put_mask(u8 *dst, const unsigned long *mask, int bits)
{
	int i;

	for (i = 0; i < bits; i++)
		if (test_bit(i, mask))
			dst[i / 8] |= 0x80 >> (i % 8);
}

static void crycb_image(struct ap_matrix_mdev *m, u8 *img)
{
	lockdep_assert_held(&sim.lock);
	memset(img, 0, CRYCB_SIZE);
	if (!m->guest)
		return;
	if (sim.apxa) {
		crycb_put_mask(img + CRYCB_APCB1, m->crycb.apm, 256);
		crycb_put_mask(img + CRYCB_APCB1 + 0x20, m->crycb.aqm, 256);
		crycb_put_mask(img + CRYCB_APCB1 + 0x40, m->crycb.adm, 256);
	} else {
		crycb_put_mask(img + CRYCB_APCB0, m->crycb.apm, 64);
		crycb_put_mask(img + CRYCB_APCB0 + 0x08, m->crycb.aqm, 16);
		crycb_put_mask(img + CRYCB_APCB0 + 0x10, m->crycb.adm, 16);
	}
}

static int crycb_show(struct seq_file *s, void *unused)
{
	struct ap_matrix_mdev *m = s->private;
	struct ap_matrix none = {};
	const struct ap_matrix *mx;
	char a[AP_MASK_STRLEN], d[AP_MASK_STRLEN], c[AP_MASK_STRLEN];
	int pbits = sim.apxa ? 256 : 64, qbits = sim.apxa ? 256 : 16;

	mutex_lock(&sim.lock);
	mx = m->guest ? &m->crycb : &none;
	sim_mask_format(a, sizeof(a), mx->apm, pbits, pbits / 4);
	sim_mask_format(d, sizeof(d), mx->aqm, qbits, qbits / 4);
	sim_mask_format(c, sizeof(c), mx->adm, qbits, qbits / 4);
	seq_printf(s, CRYCB_TEXT_FMT, m->guest, sim.apxa ? 2 : 1, a, d, c,
		   m->crycb_updates);
	mutex_unlock(&sim.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(crycb);

static ssize_t crycb_bin_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct ap_matrix_mdev *m = file->private_data;
	u8 img[CRYCB_SIZE];

	mutex_lock(&sim.lock);
	crycb_image(m, img);
	mutex_unlock(&sim.lock);
	return simple_read_from_buffer(ubuf, count, ppos, img, sizeof(img));
}

static const struct file_operations crycb_bin_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = crycb_bin_read,
	.llseek = default_llseek,
};

static int events_show(struct seq_file *s, void *unused)
{
	struct ap_matrix_mdev *m = s->private;

	mutex_lock(&sim.lock);
	seq_printf(s, "cfg_chg %llu\nrequest %llu\n", m->cfg_chg_signals,
		   m->req_signals);
	mutex_unlock(&sim.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(events);

void vfio_ap_dbg_add(struct ap_matrix_mdev *m)
{
	m->dbg_dir =
		debugfs_create_dir(dev_name(mdev_dev(m->mdev)), sim.dbg_mdevs);
	debugfs_create_file("crycb", 0444, m->dbg_dir, m, &crycb_fops);
	debugfs_create_file_size("crycb.bin", 0444, m->dbg_dir, m,
				 &crycb_bin_fops, CRYCB_SIZE);
	debugfs_create_file("events", 0444, m->dbg_dir, m, &events_fops);
}

void vfio_ap_dbg_del(struct ap_matrix_mdev *m)
{
	debugfs_remove_recursive(m->dbg_dir);
	m->dbg_dir = NULL;
}
