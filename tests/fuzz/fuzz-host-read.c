/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apmatrix_host_read() with one attribute of a captured tree replaced by the
 * input. The tree is a hard-link copy of tests/fixtures/sysfs/default made
 * once per process; byte 0 picks the attribute (from the list below), the
 * rest is its new text. The original file is put back after every input.
 *
 * Properties:
 * - the read succeeds (0) or fails with -EINVAL: everything else in the
 *   tree is valid, so no other error may come from a bad attribute;
 * - failure: no host, a fresh one-line diagnostic naming the attribute's
 *   path relative to the root;
 * - success: a host, and no diagnostic unless a matrix text is long enough
 *   to have been cut by the kernel (a warning naming the file).
 */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz-common.h"

static const char *const targets[] = {
	"bus/ap/ap_max_adapter_id",
	"bus/ap/ap_max_domain_id",
	"bus/ap/features",
	"bus/ap/apmask",
	"bus/ap/aqmask",
	"bus/ap/ap_adapter_mask",
	"bus/ap/ap_usage_domain_mask",
	"bus/ap/ap_control_domain_mask",
	"bus/ap/bindings",
	"devices/vfio_ap/matrix/features",
	"devices/ap/card02/hwtype",
	"devices/ap/card02/raw_hwtype",
	"devices/ap/card02/type",
	"devices/ap/card02/ap_functions",
	"devices/ap/card02/online",
	"devices/ap/card02/config",
	"devices/ap/card02/chkstop",
	"devices/ap/card02/02.0001/online",
	"devices/ap/card02/02.0001/config",
	"devices/ap/card02/02.0001/chkstop",
	"devices/ap/card04/04.0002/status",
#define U2 "devices/vfio_ap/matrix/22222222-2222-4222-8222-222222222222/"
	U2 "ap_config",
	(U2 "guest_matrix"),
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static char root[64];

static void remove_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove %s\n", root);
}

static void make_tree(void)
{
	char cmd[1024];

	snprintf(root, sizeof(root), "/tmp/apmatrix-fuzz.XXXXXX");
	if (!mkdtemp(root))
		abort();
	snprintf(cmd, sizeof(cmd), "cp -al '%s/default/.' '%s'",
		 APMATRIX_FIXTURES, root);
	if (system(cmd) != 0)
		abort();
	atexit(remove_tree);
}

/* Replace (never write in place: the copy shares the fixture's inodes). */
static void put(const char *rel, const uint8_t *data, size_t size)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) ||
	    close(fd) < 0)
		abort();
}

static size_t get(const char *rel, uint8_t *buf, size_t size)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, buf, size)) < 0)
		abort();
	close(fd);
	return (size_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apmatrix_host *host = NULL;
	struct apmatrix_ctx *ctx;
	uint8_t saved[8192];
	const char *target;
	size_t saved_len;
	int r;

	if (size < 1 || size > 8192)
		return 0;
	if (!root[0])
		make_tree();
	target = targets[data[0] % NTARGETS];
	saved_len = get(target, saved, sizeof(saved));
	put(target, data + 1, size - 1);
	ctx = fuzz_ctx();
	if (apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, root) < 0)
		abort();
	fuzz_plant_diag(ctx);
	r = apmatrix_host_read(ctx, 0, &host);
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL, "returned %d for %s: %s", r, target,
			    apmatrix_get_diagnostic(ctx));
		FUZZ_ASSERT(host == NULL, "a failed read returned a host");
		fuzz_assert_diag(ctx, "apmatrix_host_read");
		FUZZ_ASSERT(strstr(apmatrix_get_diagnostic(ctx), target),
			    "diagnostic \"%s\" does not name %s",
			    apmatrix_get_diagnostic(ctx), target);
	} else {
		FUZZ_ASSERT(r == 0 && host, "returned %d", r);
		if (apmatrix_get_diagnostic(ctx)[0]) {
			fuzz_assert_diag(ctx, "apmatrix_host_read");
			FUZZ_ASSERT(size - 1 >= 4088 &&
					    strstr(apmatrix_get_diagnostic(ctx),
						   target),
				    "success with the diagnostic \"%s\"",
				    apmatrix_get_diagnostic(ctx));
		}
	}
	apmatrix_host_unref(host);
	apmatrix_unref(ctx);
	put(target, saved, saved_len);
	return 0;
}
