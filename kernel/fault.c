// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap simulator: fault injection on sysfs writes.
 *
 * A rule "<attr> <nth> <errno> [<path-substring>]" makes the nth matching
 * write fail with -errno before the attribute's store does anything.
 */
#include <linux/debugfs.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "vfio_ap_sim.h"

#define SIM_FAULT_MAX_RULES 32
#define SIM_FAULT_NAME_LEN 64
#define SIM_FAULT_PATH_LEN 192

struct sim_fault_rule {
	struct list_head node;
	char attr[SIM_FAULT_NAME_LEN];
	char path[SIM_FAULT_PATH_LEN];
	unsigned int remaining;
	int err;
};

static LIST_HEAD(sim_fault_rules);
static DEFINE_SPINLOCK(sim_fault_lock);
static unsigned int sim_fault_nr_rules;
static u64 sim_fault_fired;

static const struct {
	const char *name;
	int err;
} sim_errno_names[] = {
	{ "EPERM", EPERM },	      { "ENOENT", ENOENT },
	{ "EINTR", EINTR },	      { "EIO", EIO },
	{ "ENXIO", ENXIO },	      { "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM },	      { "EACCES", EACCES },
	{ "EFAULT", EFAULT },	      { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST },	      { "ENODEV", ENODEV },
	{ "EINVAL", EINVAL },	      { "ENOSPC", ENOSPC },
	{ "ERANGE", ERANGE },	      { "EOPNOTSUPP", EOPNOTSUPP },
	{ "EADDRINUSE", EADDRINUSE }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "ETIMEDOUT", ETIMEDOUT },   { "EUSERS", EUSERS },
};

static int sim_parse_errno(const char *s, int *err)
{
	unsigned int i, v;

	for (i = 0; i < ARRAY_SIZE(sim_errno_names); i++) {
		if (!strcmp(s, sim_errno_names[i].name)) {
			*err = sim_errno_names[i].err;
			return 0;
		}
	}
	if (kstrtouint(s, 0, &v) || v == 0 || v >= MAX_ERRNO)
		return -EINVAL;
	*err = v;
	return 0;
}

/**
 * sim_fault_check() - consume a fault rule for a write
 * @kobj: the device written to, or NULL for an AP bus attribute
 * @attr: attribute name
 *
 * Return: 0 to go on with the write, or the negative errno to fail it with.
 */
int sim_fault_check(struct kobject *kobj, const char *attr)
{
	struct sim_fault_rule *rule, *hit = NULL;
	char *path = NULL;
	int err = 0;

	if (!READ_ONCE(sim_fault_nr_rules))
		return 0;

	if (kobj)
		path = kobject_get_path(kobj, GFP_KERNEL);

	spin_lock(&sim_fault_lock);
	list_for_each_entry(rule, &sim_fault_rules, node) {
		if (strcmp(rule->attr, attr))
			continue;
		if (rule->path[0] &&
		    !strstr(path ? path : "/bus/ap", rule->path))
			continue;
		if (--rule->remaining)
			continue;
		hit = rule;
		break;
	}
	if (hit) {
		err = -hit->err;
		list_del(&hit->node);
		sim_fault_nr_rules--;
		sim_fault_fired++;
	}
	spin_unlock(&sim_fault_lock);

	if (hit) {
		pr_info("vfio_ap_sim: injected %d on %s %s\n", err,
			path ? path : "/bus/ap", attr);
		kfree(hit);
		sim_count_free(SIM_CNT_FAULT_RULE);
	}
	kfree(path);
	return err;
}

/* Drops all armed rules. */
void sim_fault_clear(void)
{
	struct sim_fault_rule *rule, *tmp;
	LIST_HEAD(old);

	spin_lock(&sim_fault_lock);
	list_splice_init(&sim_fault_rules, &old);
	sim_fault_nr_rules = 0;
	spin_unlock(&sim_fault_lock);

	list_for_each_entry_safe(rule, tmp, &old, node) {
		list_del(&rule->node);
		kfree(rule);
		sim_count_free(SIM_CNT_FAULT_RULE);
	}
}

static ssize_t sim_fault_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char buf[SIM_FAULT_NAME_LEN + SIM_FAULT_PATH_LEN + 64];
	char *argv[4] = { NULL };
	struct sim_fault_rule *rule;
	char *p = buf, *tok;
	unsigned int nth;
	int argc = 0, err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	while ((tok = strsep(&p, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (argc == ARRAY_SIZE(argv))
			return -EINVAL;
		argv[argc++] = tok;
	}
	if (argc == 1 && !strcmp(argv[0], "clear")) {
		sim_fault_clear();
		return count;
	}
	if (argc < 3)
		return -EINVAL;
	if (strlen(argv[0]) >= SIM_FAULT_NAME_LEN ||
	    (argv[3] && strlen(argv[3]) >= SIM_FAULT_PATH_LEN))
		return -EINVAL;
	if (kstrtouint(argv[1], 0, &nth) || nth == 0)
		return -EINVAL;
	if (sim_parse_errno(argv[2], &err))
		return -EINVAL;

	rule = kzalloc(sizeof(*rule), GFP_KERNEL);
	if (!rule)
		return -ENOMEM;
	sim_count_alloc(SIM_CNT_FAULT_RULE);
	strscpy(rule->attr, argv[0], sizeof(rule->attr));
	if (argv[3])
		strscpy(rule->path, argv[3], sizeof(rule->path));
	rule->remaining = nth;
	rule->err = err;

	spin_lock(&sim_fault_lock);
	if (sim_fault_nr_rules >= SIM_FAULT_MAX_RULES) {
		spin_unlock(&sim_fault_lock);
		kfree(rule);
		sim_count_free(SIM_CNT_FAULT_RULE);
		return -ENOSPC;
	}
	list_add_tail(&rule->node, &sim_fault_rules);
	sim_fault_nr_rules++;
	spin_unlock(&sim_fault_lock);

	return count;
}

static int sim_fault_show(struct seq_file *s, void *unused)
{
	struct sim_fault_rule *rule;

	spin_lock(&sim_fault_lock);
	list_for_each_entry(rule, &sim_fault_rules, node)
		seq_printf(s, "%s %u %d %s\n", rule->attr, rule->remaining,
			   rule->err, rule->path[0] ? rule->path : "-");
	seq_printf(s, "fired %llu\n", sim_fault_fired);
	spin_unlock(&sim_fault_lock);
	return 0;
}

static int sim_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, sim_fault_show, inode->i_private);
}

static const struct file_operations sim_fault_fops = {
	.owner = THIS_MODULE,
	.open = sim_fault_open,
	.read = seq_read,
	.write = sim_fault_write,
	.llseek = seq_lseek,
	.release = single_release,
};

struct dentry *sim_fault_create_file(struct dentry *dir)
{
	return debugfs_create_file("fault", 0600, dir, NULL, &sim_fault_fops);
}
