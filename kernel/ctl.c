// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: run-time control of the simulated host (debugfs "ctl")
 * and the allocation counters (debugfs "counters").
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "vfio_ap_sim.h"

static atomic64_t sim_counters[SIM_CNT_MAX][2];

static const char *const sim_counter_names[SIM_CNT_MAX] = {
	[SIM_CNT_CARD] = "card",
	[SIM_CNT_QUEUE] = "queue",
	[SIM_CNT_MDEV] = "mdev",
	[SIM_CNT_EVENTFD] = "eventfd",
	[SIM_CNT_FAULT_RULE] = "fault_rule",
};

void sim_count_alloc(enum sim_counter c)
{
	atomic64_inc(&sim_counters[c][0]);
}

void sim_count_free(enum sim_counter c)
{
	atomic64_inc(&sim_counters[c][1]);
}

bool sim_counters_balanced(void)
{
	bool ok = true;
	s64 live;
	int i;

	for (i = 0; i < SIM_CNT_MAX; i++) {
		live = atomic64_read(&sim_counters[i][0]) -
		       atomic64_read(&sim_counters[i][1]);
		if (live) {
			pr_err("vfio_ap_sim: LEAK %s live=%lld\n",
			       sim_counter_names[i], live);
			ok = false;
		}
	}
	return ok;
}

static int counters_show(struct seq_file *s, void *unused)
{
	s64 a, f;
	int i;

	for (i = 0; i < SIM_CNT_MAX; i++) {
		a = atomic64_read(&sim_counters[i][0]);
		f = atomic64_read(&sim_counters[i][1]);
		seq_printf(s, "%s alloc=%lld free=%lld live=%lld\n",
			   sim_counter_names[i], a, f, a - f);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(counters);

/* A scan that adds devices defers hot plug to its end, as mainline. */
void sim_scan_begin(void)
{
	lockdep_assert_held(&sim.scan_lock);
	mutex_lock(&sim.lock);
	sim.scan_in_progress = true;
	mutex_unlock(&sim.lock);
}

void sim_scan_end(void)
{
	lockdep_assert_held(&sim.scan_lock);
	mutex_lock(&sim.lock);
	sim.scan_in_progress = false;
	vfio_ap_on_config_changed();
	mutex_unlock(&sim.lock);
	sim_ap_select_domain();
	if (atomic64_inc_return(&sim.scans) == 1) {
		char *envp[] = { "INITSCAN=done", NULL };

		kobject_uevent_env(&sim.ap_root->kobj, KOBJ_CHANGE, envp);
	}
	sim_ap_check_bindings_complete();
}

/* "<card>" or "<card>.<dom>", base 0 each */
static int sim_parse_apqn(char *s, unsigned int *apid, int *apqi)
{
	char *dot = strchr(s, '.');
	unsigned int v;

	*apqi = -1;
	if (dot) {
		*dot++ = '\0';
		if (kstrtouint(dot, 0, &v) || v >= AP_DOMAINS)
			return -EINVAL;
		*apqi = v;
	}
	if (kstrtouint(s, 0, &v) || v >= AP_DEVICES)
		return -EINVAL;
	*apid = v;
	return 0;
}

static int sim_parse_bool01(const char *s, bool *v)
{
	if (!strcmp(s, "0"))
		*v = false;
	else if (!strcmp(s, "1"))
		*v = true;
	else
		return -EINVAL;
	return 0;
}

static int sim_cmd_chkstop(unsigned int apid, int apqi, bool on)
{
	struct sim_card *card;
	int i, rc = 0;

	mutex_lock(&sim.lock);
	card = sim.cards[apid];
	if (!card) {
		rc = -ENODEV;
	} else if (apqi < 0) {
		card->chkstop = on;
		for (i = 0; i < AP_DOMAINS; i++)
			if (card->queues[i])
				card->queues[i]->chkstop = on;
	} else if (!card->queues[apqi]) {
		rc = -ENODEV;
	} else {
		card->queues[apqi]->chkstop = on;
	}
	mutex_unlock(&sim.lock);
	return rc;
}

static int sim_cmd_online(unsigned int apid, int apqi, bool on)
{
	struct sim_card *card = sim_card_get(apid);
	struct sim_queue *q = NULL;
	int rc;

	if (!card)
		return -ENODEV;
	if (apqi < 0) {
		rc = sim_card_set_online(card, on);
	} else {
		mutex_lock(&sim.lock);
		q = card->queues[apqi];
		if (q)
			get_device(&q->dev);
		mutex_unlock(&sim.lock);
		rc = q ? sim_queue_set_online(q, on) : -ENODEV;
		if (q)
			put_device(&q->dev);
	}
	put_device(&card->dev);
	return rc;
}

static int sim_cmd_domains(const char *spec, bool usage)
{
	DECLARE_BITMAP(newmask, AP_DOMAINS);
	DECLARE_BITMAP(cur, AP_DOMAINS);
	int rc;

	mutex_lock(&sim.lock);
	bitmap_copy(cur, usage ? sim.qci_aqm : sim.qci_adm, AP_DOMAINS);
	mutex_unlock(&sim.lock);
	rc = sim_parse_bitmap_str(spec, cur, AP_DOMAINS, newmask);
	if (rc)
		return rc;
	if (find_next_bit(newmask, AP_DOMAINS, sim.max_apqi + 1) < AP_DOMAINS)
		return -ERANGE;
	if (usage) {
		sim_scan_begin();
		rc = sim_set_usage_domains(newmask);
		sim_scan_end();
		return rc;
	}
	mutex_lock(&sim.lock);
	bitmap_copy(sim.qci_adm, newmask, AP_DOMAINS);
	vfio_ap_on_config_changed();
	mutex_unlock(&sim.lock);
	atomic64_inc(&sim.scans);
	return 0;
}

static int sim_ctl_exec(int argc, char **argv)
{
	unsigned int apid, hwtype;
	enum sim_mode mode;
	struct sim_card *card;
	bool on;
	int apqi, rc;

	lockdep_assert_held(&sim.scan_lock);
	if (!strcmp(argv[0], "add_card") && argc == 3) {
		if (sim_parse_apqn(argv[1], &apid, &apqi) || apqi >= 0)
			return -EINVAL;
		if (sim_parse_card_type(argv[2], &hwtype, &mode))
			return -EINVAL;
		sim_scan_begin();
		rc = sim_card_add(apid, hwtype, mode);
		sim_scan_end();
		return rc;
	}
	if (!strcmp(argv[0], "remove_card") && argc == 2) {
		if (sim_parse_apqn(argv[1], &apid, &apqi) || apqi >= 0)
			return -EINVAL;
		rc = sim_card_remove(apid);
		if (!rc) {
			atomic64_inc(&sim.scans);
			sim_ap_check_bindings_complete();
		}
		return rc;
	}
	if (!strcmp(argv[0], "config") && argc == 3) {
		if (sim_parse_apqn(argv[1], &apid, &apqi) || apqi >= 0 ||
		    sim_parse_bool01(argv[2], &on))
			return -EINVAL;
		card = sim_card_get(apid);
		if (!card)
			return -ENODEV;
		rc = sim_card_set_config(card, on);
		put_device(&card->dev);
		return rc;
	}
	if (!strcmp(argv[0], "chkstop") && argc == 3) {
		if (sim_parse_apqn(argv[1], &apid, &apqi) ||
		    sim_parse_bool01(argv[2], &on))
			return -EINVAL;
		return sim_cmd_chkstop(apid, apqi, on);
	}
	if (!strcmp(argv[0], "online") && argc == 3) {
		if (sim_parse_apqn(argv[1], &apid, &apqi) ||
		    sim_parse_bool01(argv[2], &on))
			return -EINVAL;
		return sim_cmd_online(apid, apqi, on);
	}
	if (!strcmp(argv[0], "usage_domains") && argc == 2)
		return sim_cmd_domains(argv[1], true);
	if (!strcmp(argv[0], "control_domains") && argc == 2)
		return sim_cmd_domains(argv[1], false);
	if (!strcmp(argv[0], "rescan") && argc == 1) {
		atomic64_inc(&sim.scans);
		sim_ap_check_bindings_complete();
		return 0;
	}
	return -EINVAL;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char *buf, *p, *tok, *argv[4];
	int argc = 0;
	ssize_t rc;

	if (count > 256)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	p = buf;
	while ((tok = strsep(&p, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (argc == ARRAY_SIZE(argv)) {
			rc = -EINVAL;
			goto out;
		}
		argv[argc++] = tok;
	}
	rc = -EINVAL;
	if (!argc)
		goto out;

	rc = sim_scan_lock();
	if (rc)
		goto out;
	rc = sim_ctl_exec(argc, argv);
	mutex_unlock(&sim.scan_lock);
	if (!rc)
		rc = count;
out:
	kfree(buf);
	return rc;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ctl_write,
	.llseek = noop_llseek,
};

/* The debugfs directory, mdevs/ and counters: first in, last out. */
void sim_debugfs_init(void)
{
	sim.dbg_root = debugfs_create_dir("vfio_ap_sim", NULL);
	sim.dbg_mdevs = debugfs_create_dir("mdevs", sim.dbg_root);
	debugfs_create_file("counters", 0444, sim.dbg_root, NULL,
			    &counters_fops);
}

void sim_debugfs_exit(void)
{
	debugfs_remove_recursive(sim.dbg_root);
	sim.dbg_root = NULL;
	sim.dbg_mdevs = NULL;
}

/*
 * ctl and fault act on the AP bus, its drivers and the matrix: they exist
 * only while all of these are up (created last in init, removed first in
 * exit).
 */
void sim_ctl_start(void)
{
	sim.dbg_ctl =
		debugfs_create_file("ctl", 0200, sim.dbg_root, NULL, &ctl_fops);
	sim.dbg_fault = sim_fault_create_file(sim.dbg_root);
}

/* debugfs_remove() waits for writes in progress; none starts afterwards. */
void sim_ctl_stop(void)
{
	debugfs_remove(sim.dbg_fault);
	sim.dbg_fault = NULL;
	debugfs_remove(sim.dbg_ctl);
	sim.dbg_ctl = NULL;
	sim_fault_clear();
}
