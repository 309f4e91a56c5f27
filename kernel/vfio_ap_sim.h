/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_ap simulator: private definitions shared by all source files.
 *
 * Masks are kept as native bitmaps where bit n means ID n; the architected
 * big-endian "bit 0 is leftmost" layout is produced only when formatting.
 */
#ifndef VFIO_AP_SIM_H
#define VFIO_AP_SIM_H

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/lockdep.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#define AP_DEVICES 256
#define AP_DOMAINS 256
#define AP_MASK_STRLEN (2 + 64 + 1)

#define AP_DEVICE_TYPE_CEX4 10
#define AP_DEVICE_TYPE_CEX8 14

/* Facility bits reported by TAPQ, numbered from the leftmost bit. */
#define AP_FUNC_MEX4K 1
#define AP_FUNC_CRT4K 2
#define AP_FUNC_COPRO 3
#define AP_FUNC_ACCEL 4
#define AP_FUNC_EP11 5
#define AP_FUNC_APXA 6
#define AP_FUNC_BIT(n) (0x80000000U >> (n))

/* Matches MAX_ZDEV_ENTRIES_EXT in the s390 uapi. */
#define VFIO_AP_MAX_MDEVS (256 * 256)

#define VFIO_AP_REQ_IRQ_INDEX 0
#define VFIO_AP_CFG_CHG_IRQ_INDEX 1
#define VFIO_AP_NUM_IRQS 2

enum sim_mode {
	SIM_MODE_CCA,
	SIM_MODE_EP11,
	SIM_MODE_ACCEL,
};

struct sim_queue;

struct sim_card {
	struct device dev;
	u8 id;
	u8 hwtype;
	u8 raw_hwtype;
	u8 mode;
	bool config;
	bool chkstop;
	bool online; /* zcrypt card online flag */
	bool zcrypt_bound; /* bound to cex4card */
	u32 functions;
	u64 request_count;
	struct sim_queue *queues[AP_DOMAINS];
	/* domains whose queue is bound to vfio_ap, for fast filtering */
	DECLARE_BITMAP(vfio_bound, AP_DOMAINS);
};

struct sim_queue {
	struct device dev;
	struct sim_card *card;
	u8 dom;
	bool chkstop;
	bool online; /* zcrypt queue online flag */
	bool zcrypt_bound; /* bound to cex4queue */
	bool vfio_bound; /* bound to vfio_ap */
	u64 request_count;
};

/* The administrator's (assigned) or shadow (guest) matrix. */
struct ap_matrix {
	DECLARE_BITMAP(apm, AP_DEVICES);
	DECLARE_BITMAP(aqm, AP_DOMAINS);
	DECLARE_BITMAP(adm, AP_DOMAINS);
};

struct ap_matrix_mdev {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	struct list_head node;
	struct ap_matrix matrix;
	struct ap_matrix shadow;
	/* simulated guest: tgid of the opener, 0 when detached */
	pid_t guest;
	/* CRYCB masks as last pushed to the simulated guest */
	struct ap_matrix crycb;
	u64 crycb_updates;
	u64 cfg_chg_signals;
	u64 req_signals;
	struct eventfd_ctx *req_trigger;
	struct eventfd_ctx *cfg_chg_trigger;
	struct dentry *dbg_dir;
};

/*
 * Locking
 *
 * sim.scan_lock serialises every change of the simulated configuration, of
 * the AP bus masks and of the mdev assignments: ctl commands, writes of
 * apmask, aqmask and scans, assign_*, unassign_* and ap_config, module init
 * and exit. Only its holders register or unregister card and queue devices
 * and write sim.cards[] and card->queues[].
 *
 * sim.lock protects the data: the struct sim_host fields marked below,
 * the fields of cards and queues (card->queues[] included), the mdev list
 * and each mdev's matrices, CRYCB, counters and eventfds. sim.cards[] and
 * card->queues[] are written with both locks held and always read with
 * sim.lock held; a card or queue pointer read that way stays valid after
 * sim.lock is dropped while the reader holds sim.scan_lock or a device
 * reference. Card and queue fields that never change after creation (id,
 * dom, hwtype, mode, card, ...) are read without a lock, and so are, with
 * READ_ONCE(), the single-word flags that sysfs shows (config, chkstop).
 *
 * Lock order, outermost first; no lock is taken while a later one is held:
 *   1. sim.scan_lock: sim_scan_lock() (interruptible) on every path that
 *      starts from a user write, mutex_lock() only in module init and exit
 *   2. device_lock() of AP cards, queues and mdevs (driver core: probe,
 *      remove, bind, unbind, reprobe)
 *   3. sim.lock
 *   4. sim_fault_lock (fault.c, spinlock)
 * Attribute stores of card and queue devices never take sim.scan_lock: its
 * holders unregister those devices, which waits for running stores. mdevs
 * are never removed under sim.scan_lock, so mdev stores may take it.
 */

/* Simulated host: what QCI/TAPQ would report, plus the AP bus state. */
struct sim_host {
	/* serialises structural changes (see Locking above) */
	struct mutex scan_lock;
	/* protects the fields below up to ap_domain, cards, queues, mdevs */
	struct mutex lock;
	DECLARE_BITMAP(qci_apm, AP_DEVICES);
	DECLARE_BITMAP(qci_aqm, AP_DOMAINS);
	DECLARE_BITMAP(qci_adm, AP_DOMAINS);
	DECLARE_BITMAP(apmask, AP_DEVICES);
	DECLARE_BITMAP(aqmask, AP_DOMAINS);
	struct sim_card *cards[AP_DEVICES];
	struct list_head mdevs;
	/* devices are being added by a scan: hot plug happens at its end */
	bool scan_in_progress;
	int ap_domain; /* also read with READ_ONCE() */
	/* set before anything is registered, constant afterwards */
	bool qci; /* PQAP(QCI) available: host masks are known */
	bool apxa;
	int max_apid;
	int max_apqi;
	/* single words: READ_ONCE()/WRITE_ONCE(), no lock */
	int config_time;
	bool poll_thread;
	unsigned long poll_timeout;
	atomic64_t scans;
	atomic64_t bindings_complete;
	/* set in module init and exit */
	struct device *ap_root;
	struct dentry *dbg_root;
	struct dentry *dbg_mdevs;
	struct dentry *dbg_ctl;
	struct dentry *dbg_fault;
};

extern struct sim_host sim;

/* sim.scan_lock for a path that starts from a user write (see Locking) */
static inline int sim_scan_lock(void)
{
	return mutex_lock_interruptible(&sim.scan_lock) ? -ERESTARTSYS : 0;
}

/* For functions that register or unregister AP card and queue devices. */
static inline void sim_assert_scan_context(void)
{
	lockdep_assert_held(&sim.scan_lock);
	lockdep_assert_not_held(&sim.lock);
}

/* allocation counters (ctl.c) */
enum sim_counter {
	SIM_CNT_CARD,
	SIM_CNT_QUEUE,
	SIM_CNT_MDEV,
	SIM_CNT_EVENTFD,
	SIM_CNT_FAULT_RULE,
	SIM_CNT_MAX,
};

void sim_count_alloc(enum sim_counter c);
void sim_count_free(enum sim_counter c);
bool sim_counters_balanced(void);

/* masks.c */
void sim_mask_format(char *buf, size_t len, const unsigned long *mask, int bits,
		     int digits);
int sim_hex2bitmap(const char *str, unsigned long *bitmap, int bits);
int sim_parse_bitmap_str(const char *str, const unsigned long *cur, int bits,
			 unsigned long *newmap);
int sim_parse_id_list(const char *str, unsigned long *bitmap, int bits);

/* ap_bus.c */
extern struct bus_type ap_bus_type;
int sim_ap_bus_init(void);
void sim_ap_bus_exit(void);
void sim_ap_revise_bindings(void);
void sim_ap_check_bindings_complete(void);
void sim_ap_select_domain(void);
void sim_send_config_uevent(struct device *dev, bool cfg);
void sim_send_online_uevent(struct device *dev, bool online);
bool sim_is_card_dev(struct device *dev);
bool sim_is_queue_dev(struct device *dev);
bool sim_apqn_host_owned(unsigned int apid, unsigned int apqi);

/* ap_card_queue.c */
struct sim_card *sim_card_get(unsigned int id);
int sim_card_add(unsigned int id, unsigned int hwtype, enum sim_mode mode);
int sim_card_remove(unsigned int id);
void sim_card_remove_all(void);
int sim_card_set_config(struct sim_card *card, bool cfg);
int sim_card_set_online(struct sim_card *card, bool online);
int sim_queue_set_online(struct sim_queue *q, bool online);
int sim_set_usage_domains(const unsigned long *aqm);
int sim_drivers_register(void);
void sim_drivers_unregister(void);
int sim_cex4card_probe(struct device *dev);
void sim_cex4card_remove(struct device *dev);
int sim_cex4queue_probe(struct device *dev);
void sim_cex4queue_remove(struct device *dev);
extern const struct attribute_group *sim_card_drv_groups[];
extern const struct attribute_group *sim_queue_drv_groups[];
int sim_parse_card_type(const char *s, unsigned int *hwtype,
			enum sim_mode *mode);
static inline struct sim_card *to_sim_card(struct device *dev)
{
	return container_of(dev, struct sim_card, dev);
}

static inline struct sim_queue *to_sim_queue(struct device *dev)
{
	return container_of(dev, struct sim_queue, dev);
}

/* matrix.c */
int sim_matrix_init(void);
void sim_matrix_exit(void);
int vfio_ap_in_use(const unsigned long *apm, const unsigned long *aqm);
int sim_vfio_queue_probe(struct device *dev);
void sim_vfio_queue_remove(struct device *dev);
extern const struct attribute_group *sim_vfio_queue_drv_groups[];
/* the following expect sim.lock held (asserted) */
void vfio_ap_on_config_changed(void);
void vfio_ap_update_guest(struct ap_matrix_mdev *m);
bool vfio_ap_filter_matrix(struct ap_matrix_mdev *m);
extern struct mdev_driver vfio_ap_mdev_driver;

/* vfio_dev.c */
extern const struct vfio_device_ops vfio_ap_sim_dev_ops;
void vfio_ap_dbg_add(struct ap_matrix_mdev *m);
void vfio_ap_dbg_del(struct ap_matrix_mdev *m);
void vfio_ap_push_crycb(struct ap_matrix_mdev *m);

/* fault.c */
int sim_fault_check(struct kobject *kobj, const char *attr);
struct dentry *sim_fault_create_file(struct dentry *dir);
void sim_fault_clear(void);

/* ctl.c */
void sim_scan_begin(void);
void sim_scan_end(void);
void sim_debugfs_init(void);
void sim_debugfs_exit(void);
void sim_ctl_start(void);
void sim_ctl_stop(void);

#endif /* VFIO_AP_SIM_H */
