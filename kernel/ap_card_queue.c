// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: simulated adapters (cards) and queues, their sysfs
 * attributes and the zcrypt-side default drivers cex4card/cex4queue.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "vfio_ap_sim.h"

#define SIM_CARD_DEPTH 8
#define SIM_MAX_MSG_SIZE 12288

static const char sim_mode_letter[] = {
	[SIM_MODE_CCA] = 'C',
	[SIM_MODE_EP11] = 'P',
	[SIM_MODE_ACCEL] = 'A',
};

int sim_parse_card_type(const char *s, unsigned int *hwtype,
			enum sim_mode *mode)
{
	if (strlen(s) != 5 || strncasecmp(s, "CEX", 3))
		return -EINVAL;
	/* CEX9 stands for a type newer than the kernel knows (raw 15) */
	if (s[3] < '4' || s[3] > '9')
		return -EINVAL;
	*hwtype = AP_DEVICE_TYPE_CEX4 + (s[3] - '4');
	switch (s[4]) {
	case 'C':
	case 'c':
		*mode = SIM_MODE_CCA;
		break;
	case 'P':
	case 'p':
		*mode = SIM_MODE_EP11;
		break;
	case 'A':
	case 'a':
		*mode = SIM_MODE_ACCEL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int sim_store_check(struct device *dev, struct device_attribute *attr)
{
	return sim_fault_check(&dev->kobj, attr->attr.name);
}

/* Card attributes of the AP bus core (ap_card.c). */

static ssize_t hwtype_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", to_sim_card(dev)->hwtype);
}
static DEVICE_ATTR_RO(hwtype);

static ssize_t raw_hwtype_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_sim_card(dev)->raw_hwtype);
}
static DEVICE_ATTR_RO(raw_hwtype);

static ssize_t depth_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", SIM_CARD_DEPTH);
}
static DEVICE_ATTR_RO(depth);

static ssize_t card_ap_functions_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%08X\n", to_sim_card(dev)->functions);
}

static struct device_attribute dev_attr_card_ap_functions =
	__ATTR(ap_functions, 0444, card_ap_functions_show, NULL);

static ssize_t card_reqcnt_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct sim_card *card = to_sim_card(dev);
	u64 v;

	mutex_lock(&sim.lock);
	v = card->request_count;
	mutex_unlock(&sim.lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t card_reqcnt_store(struct device *dev,
				 struct device_attribute *attr, const char *buf,
				 size_t count)
{
	struct sim_card *card = to_sim_card(dev);
	int i, rc;

	rc = sim_store_check(dev, attr);
	if (rc)
		return rc;
	mutex_lock(&sim.lock);
	for (i = 0; i < AP_DOMAINS; i++)
		if (card->queues[i])
			card->queues[i]->request_count = 0;
	card->request_count = 0;
	mutex_unlock(&sim.lock);
	return count;
}

static struct device_attribute dev_attr_card_request_count =
	__ATTR(request_count, 0644, card_reqcnt_show, card_reqcnt_store);

static ssize_t zero_count_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", 0);
}

static struct device_attribute dev_attr_card_requestq_count =
	__ATTR(requestq_count, 0444, zero_count_show, NULL);
static struct device_attribute dev_attr_card_pendingq_count =
	__ATTR(pendingq_count, 0444, zero_count_show, NULL);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "ap:t%02X\n", to_sim_card(dev)->hwtype);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t card_config_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_sim_card(dev)->config));
}

int sim_card_set_config(struct sim_card *card, bool cfg)
{
	bool changed;
	int i;

	mutex_lock(&sim.lock);
	changed = card->config != cfg;
	card->config = cfg;
	/* mainline sends the card uevent on every valid write */
	sim_send_config_uevent(&card->dev, cfg);
	/* the next scan would report the queues' new state */
	if (changed) {
		for (i = 0; i < AP_DOMAINS; i++)
			if (card->queues[i])
				sim_send_config_uevent(&card->queues[i]->dev,
						       cfg);
	}
	mutex_unlock(&sim.lock);
	return 0;
}

static ssize_t card_config_store(struct device *dev,
				 struct device_attribute *attr, const char *buf,
				 size_t count)
{
	int rc, cfg;

	rc = sim_store_check(dev, attr);
	if (rc)
		return rc;
	if (sscanf(buf, "%d\n", &cfg) != 1 || cfg < 0 || cfg > 1)
		return -EINVAL;
	rc = sim_card_set_config(to_sim_card(dev), cfg);
	return rc ? rc : count;
}

static struct device_attribute dev_attr_card_config =
	__ATTR(config, 0644, card_config_show, card_config_store);

static ssize_t card_chkstop_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_sim_card(dev)->chkstop));
}

static struct device_attribute dev_attr_card_chkstop =
	__ATTR(chkstop, 0444, card_chkstop_show, NULL);

static ssize_t max_msg_size_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", SIM_MAX_MSG_SIZE);
}
static DEVICE_ATTR_RO(max_msg_size);

static struct attribute *ap_card_dev_attrs[] = {
	&dev_attr_hwtype.attr,
	&dev_attr_raw_hwtype.attr,
	&dev_attr_depth.attr,
	&dev_attr_card_ap_functions.attr,
	&dev_attr_card_request_count.attr,
	&dev_attr_card_requestq_count.attr,
	&dev_attr_card_pendingq_count.attr,
	&dev_attr_modalias.attr,
	&dev_attr_card_config.attr,
	&dev_attr_card_chkstop.attr,
	&dev_attr_max_msg_size.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ap_card_dev);

static const struct device_type ap_card_type = {
	.name = "ap_card",
	.groups = ap_card_dev_groups,
};

/* Card attributes added by the zcrypt card driver (cex4card). */

static ssize_t type_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct sim_card *card = to_sim_card(dev);

	return sysfs_emit(buf, "CEX%d%c\n",
			  card->hwtype - AP_DEVICE_TYPE_CEX4 + 4,
			  sim_mode_letter[card->mode]);
}
static DEVICE_ATTR_RO(type);

static ssize_t card_online_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct sim_card *card = to_sim_card(dev);
	int online;

	mutex_lock(&sim.lock);
	online = card->config && !card->chkstop && card->online;
	mutex_unlock(&sim.lock);
	return sysfs_emit(buf, "%d\n", online);
}

int sim_card_set_online(struct sim_card *card, bool online)
{
	struct sim_queue *q;
	int i;

	mutex_lock(&sim.lock);
	/* only the zcrypt card driver has an online switch */
	if (!card->zcrypt_bound) {
		mutex_unlock(&sim.lock);
		return -ENODEV;
	}
	if (online && (!card->config || card->chkstop)) {
		mutex_unlock(&sim.lock);
		return -ENODEV;
	}
	card->online = online;
	sim_send_online_uevent(&card->dev, online);
	for (i = 0; i < AP_DOMAINS; i++) {
		q = card->queues[i];
		if (!q || !q->zcrypt_bound || q->online == online)
			continue;
		q->online = online;
		sim_send_online_uevent(&q->dev, online);
	}
	mutex_unlock(&sim.lock);
	return 0;
}

static ssize_t card_online_store(struct device *dev,
				 struct device_attribute *attr, const char *buf,
				 size_t count)
{
	int rc, online;

	rc = sim_store_check(dev, attr);
	if (rc)
		return rc;
	if (sscanf(buf, "%d\n", &online) != 1 || online < 0 || online > 1)
		return -EINVAL;
	rc = sim_card_set_online(to_sim_card(dev), online);
	return rc ? rc : count;
}

static struct device_attribute dev_attr_card_online =
	__ATTR(online, 0644, card_online_show, card_online_store);

static ssize_t load_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n", 0);
}
static DEVICE_ATTR_RO(load);

static struct attribute *sim_card_drv_attrs[] = {
	&dev_attr_type.attr,
	&dev_attr_card_online.attr,
	&dev_attr_load.attr,
	NULL,
};

static const struct attribute_group sim_card_drv_group = {
	.attrs = sim_card_drv_attrs,
};

const struct attribute_group *sim_card_drv_groups[] = {
	&sim_card_drv_group,
	NULL,
};

int sim_cex4card_probe(struct device *dev)
{
	struct sim_card *card = to_sim_card(dev);

	mutex_lock(&sim.lock);
	card->zcrypt_bound = true;
	card->online = true;
	mutex_unlock(&sim.lock);
	return 0;
}

void sim_cex4card_remove(struct device *dev)
{
	struct sim_card *card = to_sim_card(dev);

	mutex_lock(&sim.lock);
	card->zcrypt_bound = false;
	mutex_unlock(&sim.lock);
}

/* Queue attributes of the AP bus core (ap_queue.c). */

static ssize_t queue_request_count_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	u64 v;

	mutex_lock(&sim.lock);
	v = to_sim_queue(dev)->request_count;
	mutex_unlock(&sim.lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t queue_request_count_store(struct device *dev,
					 struct device_attribute *attr,
					 const char *buf, size_t count)
{
	int rc;

	rc = sim_store_check(dev, attr);
	if (rc)
		return rc;
	mutex_lock(&sim.lock);
	to_sim_queue(dev)->request_count = 0;
	mutex_unlock(&sim.lock);
	return count;
}

static struct device_attribute dev_attr_queue_request_count =
	__ATTR(request_count, 0644, queue_request_count_show,
	       queue_request_count_store);
static struct device_attribute dev_attr_queue_requestq_count =
	__ATTR(requestq_count, 0444, zero_count_show, NULL);
static struct device_attribute dev_attr_queue_pendingq_count =
	__ATTR(pendingq_count, 0444, zero_count_show, NULL);

static ssize_t reset_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "No Reset Timer set.\n");
}

static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	int rc;

	rc = sim_store_check(dev, attr);
	if (rc)
		return rc;
	/* nothing is ever pending on a simulated queue */
	return count;
}
static DEVICE_ATTR_RW(reset);

static ssize_t interrupt_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct sim_queue *q = to_sim_queue(dev);
	bool on;

	mutex_lock(&sim.lock);
	on = q->zcrypt_bound && q->card->config && !q->chkstop;
	mutex_unlock(&sim.lock);
	return sysfs_emit(buf, "%s\n",
			  on ? "Interrupts enabled." : "Interrupts disabled.");
}
static DEVICE_ATTR_RO(interrupt);

static ssize_t queue_config_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  READ_ONCE(to_sim_queue(dev)->card->config));
}

static struct device_attribute dev_attr_queue_config =
	__ATTR(config, 0444, queue_config_show, NULL);

static ssize_t queue_chkstop_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_sim_queue(dev)->chkstop));
}

static struct device_attribute dev_attr_queue_chkstop =
	__ATTR(chkstop, 0444, queue_chkstop_show, NULL);

static ssize_t queue_ap_functions_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%08X\n", to_sim_queue(dev)->card->functions);
}

static struct device_attribute dev_attr_queue_ap_functions =
	__ATTR(ap_functions, 0444, queue_ap_functions_show, NULL);

static struct attribute *ap_queue_dev_attrs[] = {
	&dev_attr_queue_request_count.attr,
	&dev_attr_queue_requestq_count.attr,
	&dev_attr_queue_pendingq_count.attr,
	&dev_attr_reset.attr,
	&dev_attr_interrupt.attr,
	&dev_attr_queue_config.attr,
	&dev_attr_queue_chkstop.attr,
	&dev_attr_queue_ap_functions.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ap_queue_dev);

static const struct device_type ap_queue_type = {
	.name = "ap_queue",
	.groups = ap_queue_dev_groups,
};

/* Queue attributes added by the zcrypt queue driver (cex4queue). */

static ssize_t queue_online_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct sim_queue *q = to_sim_queue(dev);
	int online;

	mutex_lock(&sim.lock);
	online = q->card->config && !q->chkstop && q->online;
	mutex_unlock(&sim.lock);
	return sysfs_emit(buf, "%d\n", online);
}

int sim_queue_set_online(struct sim_queue *q, bool online)
{
	struct sim_card *card = q->card;

	mutex_lock(&sim.lock);
	/* only the zcrypt queue driver has an online switch */
	if (!q->zcrypt_bound) {
		mutex_unlock(&sim.lock);
		return -ENODEV;
	}
	if (online && (!card->config || q->chkstop || card->chkstop)) {
		mutex_unlock(&sim.lock);
		return -ENODEV;
	}
	if (online && !card->online) {
		mutex_unlock(&sim.lock);
		return -EINVAL;
	}
	q->online = online;
	sim_send_online_uevent(&q->dev, online);
	mutex_unlock(&sim.lock);
	return 0;
}

static ssize_t queue_online_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	int rc, online;

	rc = sim_store_check(dev, attr);
	if (rc)
		return rc;
	if (sscanf(buf, "%d\n", &online) != 1 || online < 0 || online > 1)
		return -EINVAL;
	rc = sim_queue_set_online(to_sim_queue(dev), online);
	return rc ? rc : count;
}

static struct device_attribute dev_attr_queue_online =
	__ATTR(online, 0644, queue_online_show, queue_online_store);

static struct attribute *sim_queue_drv_attrs[] = {
	&dev_attr_queue_online.attr,
	&dev_attr_load.attr,
	NULL,
};

static const struct attribute_group sim_queue_drv_group = {
	.attrs = sim_queue_drv_attrs,
};

const struct attribute_group *sim_queue_drv_groups[] = {
	&sim_queue_drv_group,
	NULL,
};

int sim_cex4queue_probe(struct device *dev)
{
	struct sim_queue *q = to_sim_queue(dev);

	mutex_lock(&sim.lock);
	q->zcrypt_bound = true;
	q->online = true;
	mutex_unlock(&sim.lock);
	return 0;
}

void sim_cex4queue_remove(struct device *dev)
{
	struct sim_queue *q = to_sim_queue(dev);

	mutex_lock(&sim.lock);
	q->zcrypt_bound = false;
	mutex_unlock(&sim.lock);
}

/*
 * Creation and removal. Callers hold sim.scan_lock, never sim.lock
 * (sim_assert_scan_context()).
 */

/**
 * sim_card_get() - look up a card and take a reference to it
 * @id: adapter ID
 *
 * Return: the card (release with put_device()) or NULL.
 */
struct sim_card *sim_card_get(unsigned int id)
{
	struct sim_card *card;

	mutex_lock(&sim.lock);
	card = sim.cards[id];
	if (card)
		get_device(&card->dev);
	mutex_unlock(&sim.lock);
	return card;
}

static void sim_queue_release(struct device *dev)
{
	kfree(to_sim_queue(dev));
	sim_count_free(SIM_CNT_QUEUE);
}

static void sim_card_release(struct device *dev)
{
	kfree(to_sim_card(dev));
	sim_count_free(SIM_CNT_CARD);
}

static int sim_queue_add(struct sim_card *card, unsigned int dom)
{
	struct sim_queue *q;
	int rc;

	sim_assert_scan_context();
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	sim_count_alloc(SIM_CNT_QUEUE);
	q->card = card;
	q->dom = dom;
	q->dev.bus = &ap_bus_type;
	q->dev.parent = &card->dev;
	q->dev.type = &ap_queue_type;
	q->dev.release = sim_queue_release;
	device_initialize(&q->dev);
	device_set_pm_not_required(&q->dev);
	rc = dev_set_name(&q->dev, "%02x.%04x", card->id, dom);
	if (rc)
		goto err_put;

	mutex_lock(&sim.lock);
	q->chkstop = card->chkstop;
	card->queues[dom] = q;
	mutex_unlock(&sim.lock);

	rc = device_add(&q->dev);
	if (rc) {
		mutex_lock(&sim.lock);
		card->queues[dom] = NULL;
		mutex_unlock(&sim.lock);
		goto err_put;
	}
	return 0;

err_put:
	put_device(&q->dev);
	return rc;
}

static void sim_queue_del(struct sim_card *card, unsigned int dom)
{
	struct sim_queue *q;

	sim_assert_scan_context();
	mutex_lock(&sim.lock);
	q = card->queues[dom];
	card->queues[dom] = NULL;
	mutex_unlock(&sim.lock);
	if (q)
		device_unregister(&q->dev);
}

int sim_card_add(unsigned int id, unsigned int hwtype, enum sim_mode mode)
{
	DECLARE_BITMAP(aqm, AP_DOMAINS);
	struct sim_card *card;
	unsigned int dom;
	int rc;

	sim_assert_scan_context();
	if (id > sim.max_apid)
		return -ERANGE;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return -ENOMEM;
	sim_count_alloc(SIM_CNT_CARD);
	card->id = id;
	/* unknown newer types are mapped to CEX8 as mainline does via QACT */
	card->hwtype = min_t(unsigned int, hwtype, AP_DEVICE_TYPE_CEX8);
	card->raw_hwtype = hwtype;
	card->mode = mode;
	card->config = true;
	card->functions = AP_FUNC_BIT(AP_FUNC_MEX4K) |
			  AP_FUNC_BIT(AP_FUNC_CRT4K);
	if (mode == SIM_MODE_CCA)
		card->functions |= AP_FUNC_BIT(AP_FUNC_COPRO);
	else if (mode == SIM_MODE_EP11)
		card->functions |= AP_FUNC_BIT(AP_FUNC_EP11);
	else
		card->functions |= AP_FUNC_BIT(AP_FUNC_ACCEL);
	if (sim.apxa)
		card->functions |= AP_FUNC_BIT(AP_FUNC_APXA);
	card->dev.bus = &ap_bus_type;
	card->dev.parent = sim.ap_root;
	card->dev.type = &ap_card_type;
	card->dev.release = sim_card_release;
	device_initialize(&card->dev);
	device_set_pm_not_required(&card->dev);
	rc = dev_set_name(&card->dev, "card%02x", id);
	if (rc) {
		put_device(&card->dev);
		return rc;
	}

	mutex_lock(&sim.lock);
	if (sim.cards[id]) {
		mutex_unlock(&sim.lock);
		put_device(&card->dev);
		return -EEXIST;
	}
	sim.cards[id] = card;
	set_bit(id, sim.qci_apm);
	bitmap_copy(aqm, sim.qci_aqm, AP_DOMAINS);
	mutex_unlock(&sim.lock);

	rc = device_add(&card->dev);
	if (rc) {
		mutex_lock(&sim.lock);
		sim.cards[id] = NULL;
		clear_bit(id, sim.qci_apm);
		mutex_unlock(&sim.lock);
		put_device(&card->dev);
		return rc;
	}

	for_each_set_bit(dom, aqm, sim.max_apqi + 1) {
		rc = sim_queue_add(card, dom);
		if (rc)
			dev_warn(&card->dev,
				 "queue %02x.%04x not created: %d\n", id, dom,
				 rc);
	}
	return 0;
}

int sim_card_remove(unsigned int id)
{
	struct sim_card *card;
	unsigned int dom;

	sim_assert_scan_context();
	mutex_lock(&sim.lock);
	card = sim.cards[id];
	if (!card) {
		mutex_unlock(&sim.lock);
		return -ENODEV;
	}
	/* the adapter leaves the configuration before its devices go */
	clear_bit(id, sim.qci_apm);
	vfio_ap_on_config_changed();
	mutex_unlock(&sim.lock);

	for (dom = 0; dom < AP_DOMAINS; dom++)
		sim_queue_del(card, dom);

	mutex_lock(&sim.lock);
	sim.cards[id] = NULL;
	mutex_unlock(&sim.lock);
	device_unregister(&card->dev);
	return 0;
}

void sim_card_remove_all(void)
{
	unsigned int id;

	/* -ENODEV for the IDs without a card */
	for (id = 0; id < AP_DEVICES; id++)
		sim_card_remove(id);
}

int sim_set_usage_domains(const unsigned long *aqm)
{
	DECLARE_BITMAP(removed, AP_DOMAINS);
	DECLARE_BITMAP(added, AP_DOMAINS);
	struct sim_card *card;
	unsigned int id, dom;

	sim_assert_scan_context();
	mutex_lock(&sim.lock);
	bitmap_andnot(removed, sim.qci_aqm, aqm, AP_DOMAINS);
	bitmap_andnot(added, aqm, sim.qci_aqm, AP_DOMAINS);
	bitmap_copy(sim.qci_aqm, aqm, AP_DOMAINS);
	vfio_ap_on_config_changed();
	sim.scan_in_progress = true;
	mutex_unlock(&sim.lock);

	for (id = 0; id < AP_DEVICES; id++) {
		card = sim_card_get(id);
		if (!card)
			continue;
		for_each_set_bit(dom, removed, AP_DOMAINS)
			sim_queue_del(card, dom);
		for_each_set_bit(dom, added, sim.max_apqi + 1)
			sim_queue_add(card, dom);
		put_device(&card->dev);
	}

	mutex_lock(&sim.lock);
	sim.scan_in_progress = false;
	vfio_ap_on_config_changed();
	mutex_unlock(&sim.lock);
	return 0;
}
