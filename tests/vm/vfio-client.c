// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vfio-client UUID OP...: a minimal VFIO user of a vfio_ap mediated device,
 * driven by the kernel-tier tests. It opens the container, the mdev's IOMMU
 * group and the device fd (like QEMU's vfio-ap device does), then executes
 * the OPs in order and prints one result line per OP for the shell to
 * assert on. Errors print the errno name, never abort, so one run can check
 * many rules.
 *
 *   info            VFIO_DEVICE_GET_INFO  -> "info flags=0x21 num_regions=0 num_irqs=2"
 *   info-short      GET_INFO with argsz too small -> "info-short=EINVAL"
 *   reset           VFIO_DEVICE_RESET -> "reset=OK"
 *   irqinfo:N       GET_IRQ_INFO index N -> "irqinfo:N count=1 flags=0x1" or "irqinfo:N=EINVAL"
 *   irqinfo-short:N GET_IRQ_INFO with argsz too small
 *   eventfd:N       new eventfd, SET_IRQS(DATA_EVENTFD|ACTION_TRIGGER) on N -> "eventfd:N=OK"
 *   setfd:N:FD      SET_IRQS with a raw fd value (e.g. -1 to deregister, -5, 1000)
 *   setirqs-bad:N:W SET_IRQS variants that must fail: W = flags|start|count|argsz
 *   wait:N:MS       poll eventfd N up to MS ms; print "wait:N=COUNT" (0 = not signalled)
 *   drain:N         read and discard pending eventfd N counts ("drain:N=COUNT")
 *   ioctl-other     an ioctl vfio_ap does not implement -> "ioctl-other=EOPNOTSUPP"
 *   run:CMD         system(CMD) while the device stays open -> "run=STATUS"
 *   sleep:MS
 *   close           close the device fd (later OPs fail with EBADF)
 *   open:UUID       open a second mdev in this process -> "second open=..."
 *
 * Setup failures print "open=ERRNAME (step)" and exit 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#ifndef VFIO_DEVICE_FLAGS_AP
#define VFIO_DEVICE_FLAGS_AP (1 << 5)
#endif
#define NIRQ 8

static int evfd[NIRQ] = { -1, -1, -1, -1, -1, -1, -1, -1 };

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static int set_irq_fd(int dev, unsigned int index, int32_t fd, unsigned int flags,
		      unsigned int start, unsigned int count, unsigned int argsz)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *s = (struct vfio_irq_set *)buf;

	memset(buf, 0, sizeof(buf));
	s->argsz = argsz;
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	memcpy(s->data, &fd, sizeof(fd));
	return ioctl(dev, VFIO_DEVICE_SET_IRQS, s);
}

static int open_device(const char *uuid, int fatal)
{
	char path[PATH_MAX + 16], link[PATH_MAX], *grp;
	struct vfio_group_status st = { .argsz = sizeof(st) };
	int container, group, dev;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		printf("open=%s (iommu_group link)\n", ename(errno));
		goto fail;
	}
	link[n] = 0;
	grp = strrchr(link, '/');
	grp = grp ? grp + 1 : link;
	container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (container < 0) {
		printf("open=%s (/dev/vfio/vfio)\n", ename(errno));
		goto fail;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	group = open(path, O_RDWR | O_CLOEXEC);
	if (group < 0) {
		printf("open=%s (%s)\n", ename(errno), path);
		goto fail;
	}
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &st) || !(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		printf("open=%s (group not viable)\n", ename(errno ? errno : EINVAL));
		goto fail;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container)) {
		printf("open=%s (SET_CONTAINER)\n", ename(errno));
		goto fail;
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		printf("open=%s (SET_IOMMU)\n", ename(errno));
		goto fail;
	}
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (dev < 0) {
		printf("open=%s (GET_DEVICE_FD)\n", ename(errno));
		goto fail;
	}
	printf("open=OK group=%s\n", grp);
	return dev;
fail:
	if (fatal)
		exit(3);
	return -1;
}

static unsigned int irq_index(const char *op, const char *arg)
{
	char *end;
	unsigned long i = strtoul(arg, &end, 0);

	if (end == arg || i >= 1000) {
		fprintf(stderr, "bad index in %s\n", op);
		exit(2);
	}
	return (unsigned int)i;
}

int main(int argc, char **argv)
{
	int dev, i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s UUID OP...\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = open_device(argv[1], 1);

	for (i = 2; i < argc; i++) {
		const char *op = argv[i];

		if (!strcmp(op, "info")) {
			struct vfio_device_info info = { .argsz = sizeof(info) };

			if (ioctl(dev, VFIO_DEVICE_GET_INFO, &info))
				printf("info=%s\n", ename(errno));
			else
				printf("info flags=0x%x num_regions=%u num_irqs=%u\n",
				       info.flags, info.num_regions, info.num_irqs);
		} else if (!strcmp(op, "info-short")) {
			struct vfio_device_info info = { .argsz = 4 };

			printf("info-short=%s\n",
			       ioctl(dev, VFIO_DEVICE_GET_INFO, &info) ? ename(errno) : "OK");
		} else if (!strcmp(op, "reset")) {
			printf("reset=%s\n", ioctl(dev, VFIO_DEVICE_RESET) ? ename(errno) : "OK");
		} else if (!strncmp(op, "irqinfo:", 8) || !strncmp(op, "irqinfo-short:", 14)) {
			int shrt = op[7] == '-';
			unsigned int idx = irq_index(op, strchr(op, ':') + 1);
			struct vfio_irq_info ii = { .argsz = shrt ? 8 : sizeof(ii), .index = idx };

			if (ioctl(dev, VFIO_DEVICE_GET_IRQ_INFO, &ii))
				printf("%s=%s\n", op, ename(errno));
			else if (shrt)
				printf("%s=OK\n", op);
			else
				printf("%s count=%u flags=0x%x\n", op, ii.count, ii.flags);
		} else if (!strncmp(op, "eventfd:", 8)) {
			unsigned int idx = irq_index(op, op + 8);
			int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

			if (idx >= NIRQ || fd < 0) {
				printf("%s=%s\n", op, ename(fd < 0 ? errno : EINVAL));
				continue;
			}
			if (set_irq_fd(dev, idx, fd, VFIO_IRQ_SET_DATA_EVENTFD |
				       VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1,
				       sizeof(struct vfio_irq_set) + sizeof(int32_t))) {
				printf("%s=%s\n", op, ename(errno));
				close(fd);
			} else {
				if (evfd[idx] >= 0)
					close(evfd[idx]);
				evfd[idx] = fd;
				printf("%s=OK\n", op);
			}
		} else if (!strncmp(op, "setfd:", 6)) {
			char *colon = strchr(op + 6, ':');
			unsigned int idx = irq_index(op, op + 6);
			int32_t fd = colon ? (int32_t)strtol(colon + 1, NULL, 0) : -1;

			printf("%s=%s\n", op,
			       set_irq_fd(dev, idx, fd, VFIO_IRQ_SET_DATA_EVENTFD |
					  VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1,
					  sizeof(struct vfio_irq_set) + sizeof(int32_t)) ?
			       ename(errno) : "OK");
		} else if (!strncmp(op, "setirqs-bad:", 12)) {
			unsigned int idx = irq_index(op, op + 12);
			const char *what = strchr(op + 12, ':');
			unsigned int flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
			unsigned int start = 0, count = 1;
			unsigned int argsz = sizeof(struct vfio_irq_set) + sizeof(int32_t);
			int fd = eventfd(0, EFD_CLOEXEC);

			what = what ? what + 1 : "";
			if (!strcmp(what, "flags"))
				flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
			else if (!strcmp(what, "mask"))
				flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK;
			else if (!strcmp(what, "start"))
				start = 1;
			else if (!strcmp(what, "count"))
				count = 2;
			else if (!strcmp(what, "argsz"))
				argsz = 4;
			printf("%s=%s\n", op,
			       set_irq_fd(dev, idx, fd, flags, start, count, argsz) ?
			       ename(errno) : "OK");
			close(fd);
		} else if (!strncmp(op, "wait:", 5) || !strncmp(op, "drain:", 6)) {
			int drain = op[0] == 'd';
			const char *a = op + (drain ? 6 : 5);
			unsigned int idx = irq_index(op, a);
			const char *ms = strchr(a, ':');
			struct pollfd p;
			uint64_t cnt = 0;

			if (idx >= NIRQ || evfd[idx] < 0) {
				printf("%s=NOEVENTFD\n", op);
				continue;
			}
			p.fd = evfd[idx];
			p.events = POLLIN;
			if (poll(&p, 1, drain ? 0 : (ms ? atoi(ms + 1) : 1000)) > 0 &&
			    read(evfd[idx], &cnt, sizeof(cnt)) != sizeof(cnt))
				cnt = 0;
			printf("%s=%llu\n", op, (unsigned long long)cnt);
		} else if (!strcmp(op, "ioctl-other")) {
			struct vfio_region_info ri = { .argsz = sizeof(ri), .index = 0 };

			printf("ioctl-other=%s\n",
			       ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri) ? ename(errno) : "OK");
		} else if (!strncmp(op, "run:", 4)) {
			int st;

			fflush(stdout);
			st = system(op + 4);
			printf("run=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128);
		} else if (!strncmp(op, "sleep:", 6)) {
			usleep((useconds_t)atoi(op + 6) * 1000);
		} else if (!strncmp(op, "open:", 5)) {
			/* a second device in the same process (= the same guest) */
			printf("second ");
			fflush(stdout);
			open_device(op + 5, 0);
		} else if (!strcmp(op, "close")) {
			printf("close=%s\n", close(dev) ? ename(errno) : "OK");
		} else {
			fprintf(stderr, "unknown op %s\n", op);
			return 2;
		}
	}
	return 0;
}
