/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Concurrency of check-then-write: definer processes each propose
 * autostart definitions that overlap each other's APQNs and define those
 * the check allows, under the s390apconfig lock (lock, read the store,
 * check, define, unlock); mask writers rewrite the persistent masks; an
 * independent implementation of the s390-tools lock protocol
 * (tests/unit/s390-lockfile.sh) holds the lock among them. Every holder
 * also increments a shared counter while it holds the lock.
 *
 * Afterwards: the counter equals the number of lock holds (no two holders
 * at once, nothing lost), every definition a process was granted is in the
 * store and nothing else is, no two definitions share an APQN, and the
 * store reads without an error.
 *
 *   store-race LOCKFILE_SH [DEFINERS [ROUNDS]]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <apmatrix.h>

static char root[64], counter[128];

static void fail(const char *what, struct apmatrix_ctx *ctx)
{
	fprintf(stderr, "store-race[%d]: %s: %s\n", (int)getpid(), what,
		ctx ? apmatrix_get_diagnostic(ctx) : strerror(errno));
	exit(1);
}

static struct apmatrix_ctx *new_ctx(void)
{
	struct apmatrix_ctx *ctx = NULL;

	if (apmatrix_new(&ctx) < 0 ||
	    apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, root) < 0 ||
	    apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, root) < 0)
		fail("ctx", ctx);
	apmatrix_set_log_priority(ctx, 3);
	return ctx;
}

/* Under the lock: counter += 1 (read, write back). */
static void bump(void)
{
	FILE *f = fopen(counter, "r+");
	long v = 0;

	if (!f || fscanf(f, "%ld", &v) != 1)
		fail("counter", NULL);
	rewind(f);
	fprintf(f, "%ld\n", v + 1);
	fclose(f);
}

/* 1 when the report has an error finding about @uuid. */
static int refused(struct apmatrix_report *report, const char *uuid)
{
	for (unsigned int i = 0; i < apmatrix_report_get_count(report); i++) {
		const struct apmatrix_finding *f =
			apmatrix_report_get_finding(report, i);

		if (apmatrix_finding_get_severity(f) != APMATRIX_SEVERITY_ERROR)
			continue;
		for (unsigned int k = 0; k < apmatrix_finding_get_uuid_count(f);
		     k++)
			if (!strcmp(apmatrix_finding_get_uuid(f, k), uuid))
				return 1;
	}
	return 0;
}

static void definer(int id, int rounds, FILE *granted)
{
	struct apmatrix_ctx *ctx = new_ctx();

	for (int j = 0; j < rounds; j++) {
		struct apmatrix_lock *lock = NULL;
		struct apmatrix_store *st = NULL;
		struct apmatrix_check *check = NULL;
		struct apmatrix_report *report = NULL;
		struct apmatrix_mdev *m = NULL;
		char uuid[40], cfg[64];

		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012x", id,
			 j);
		/* adapters 16-23 x domains 0-3: plenty of collisions */
		snprintf(cfg, sizeof(cfg), "0x0000%02x,0x%x,0x0",
			 0x80 >> (j % 8), 8 >> ((id + j) % 4));
		if (apmatrix_mdev_new(ctx, uuid, &m) < 0 ||
		    apmatrix_mdev_add_config(m, APMATRIX_ROLE_DEFINED, 0) < 0 ||
		    apmatrix_mdev_set_autostart(m, 1) < 0 ||
		    apmatrix_matrix_parse(
			    apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED),
			    cfg, APMATRIX_MATRIX_AP_CONFIG, 0) < 0)
			fail("mdev", ctx);
		if (apmatrix_lock_acquire(ctx, -1, 0, &lock) < 0)
			fail("lock", ctx);
		bump();
		if (apmatrix_store_read(ctx, 0, &st) < 0 ||
		    apmatrix_check_new(ctx, &check) < 0 ||
		    apmatrix_check_add_mdev(check, m) < 0 ||
		    apmatrix_check_add_store(check, st, 0) < 0 ||
		    apmatrix_check_run(check, 0, &report) < 0)
			fail("check", ctx);
		if (!refused(report, uuid)) {
			if (apmatrix_store_define(st, m,
						  APMATRIX_STORE_LOCKED) < 0)
				fail("define", ctx);
			fprintf(granted, "%s\n", uuid);
			fflush(granted);
		}
		if (apmatrix_lock_release(lock) < 0)
			fail("release", ctx);
		apmatrix_lock_unref(lock);
		apmatrix_report_unref(report);
		apmatrix_check_unref(check);
		apmatrix_store_unref(st);
		apmatrix_mdev_unref(m);
	}
	apmatrix_unref(ctx);
}

static void masker(int id, int rounds)
{
	struct apmatrix_ctx *ctx = new_ctx();
	struct apmatrix_idset *ap = NULL, *aq = NULL;

	if (apmatrix_idset_new(ctx, &ap) < 0 ||
	    apmatrix_idset_new(ctx, &aq) < 0)
		fail("idset", ctx);
	for (int j = 0; j < rounds; j++) {
		struct apmatrix_store *st = NULL;

		/* host adapters 0-15 only: never an APQN of a definition */
		apmatrix_idset_clear_all(ap);
		apmatrix_idset_set(ap, (unsigned int)((id * 7 + j) % 16));
		apmatrix_idset_clear_all(aq);
		apmatrix_idset_set(aq, (unsigned int)j % 256);
		if (apmatrix_store_read(ctx, 0, &st) < 0)
			fail("read", ctx);
		/* the store's own lock for one write */
		{
			struct apmatrix_lock *lock = NULL;

			if (apmatrix_lock_acquire(ctx, -1, 0, &lock) < 0)
				fail("lock", ctx);
			bump();
			if (apmatrix_store_set_persistent_masks(
				    st, ap, aq, APMATRIX_STORE_LOCKED) < 0)
				fail("masks", ctx);
			apmatrix_lock_release(lock);
			apmatrix_lock_unref(lock);
		}
		apmatrix_store_unref(st);
	}
	apmatrix_idset_unref(ap);
	apmatrix_idset_unref(aq);
	apmatrix_unref(ctx);
}

int main(int argc, char **argv)
{
	int definers = argc > 2 ? atoi(argv[2]) : 4;
	int rounds = argc > 3 ? atoi(argv[3]) : 16, maskers = 2,
	    peer_rounds = 16;
	char cmd[512], grantp[128], lockp[128], rounds_s[16];
	struct apmatrix_store *st = NULL;
	struct apmatrix_check *check = NULL;
	struct apmatrix_report *report = NULL;
	struct apmatrix_ctx *ctx;
	int bad = 0, nproc = 0, granted_count = 0;
	long count = 0;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr,
			"usage: store-race LOCKFILE_SH [DEFINERS [ROUNDS]]\n");
		return 2;
	}
	strcpy(root, "/tmp/apmatrix-race-XXXXXX");
	if (!mkdtemp(root))
		fail("mkdtemp", NULL);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/lock && echo 0 > %s/counter",
		 root, root);
	if (system(cmd) != 0)
		fail("setup", NULL);
	snprintf(counter, sizeof(counter), "%s/counter", root);
	snprintf(grantp, sizeof(grantp), "%s/granted", root);
	snprintf(lockp, sizeof(lockp), "%s/lock/s390apconfig.lock", root);
	f = fopen(grantp, "a");
	for (int i = 0; i < definers + maskers + 1; i++) {
		pid_t p = fork();

		if (p < 0)
			fail("fork", NULL);
		if (p == 0) {
			if (i < definers) {
				definer(i, rounds, f);
			} else if (i < definers + maskers) {
				masker(i, rounds);
			} else {
				snprintf(rounds_s, sizeof(rounds_s), "%d",
					 peer_rounds);
				execlp("bash", "bash", argv[1], lockp, "count",
				       counter, rounds_s, (char *)NULL);
				_exit(127);
			}
			_exit(0);
		}
		nproc++;
	}
	fclose(f);
	while (nproc--) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr,
				"store-race: a writer failed (status %d)\n",
				status);
			bad = 1;
		}
	}
	f = fopen(counter, "r");
	if (!f || fscanf(f, "%ld", &count) != 1)
		fail("counter", NULL);
	fclose(f);
	if (count != (long)(definers + maskers) * rounds + peer_rounds) {
		fprintf(stderr,
			"store-race: %ld lock holds counted, want %d: two "
			"holders at once\n",
			count, (definers + maskers) * rounds + peer_rounds);
		bad = 1;
	}
	ctx = new_ctx();
	if (apmatrix_store_read(ctx, 0, &st) < 0)
		fail("read", ctx);
	if (apmatrix_store_get_error_count(st)) {
		fprintf(stderr, "store-race: %s\n",
			apmatrix_store_get_error(st, 0));
		bad = 1;
	}
	f = fopen(grantp, "r");
	while (f && fscanf(f, "%39s", cmd) == 1) {
		granted_count++;
		if (!apmatrix_store_find_mdev(st, cmd)) {
			fprintf(stderr, "store-race: granted %s is lost\n",
				cmd);
			bad = 1;
		}
	}
	if (f)
		fclose(f);
	if ((int)apmatrix_store_get_mdev_count(st) != granted_count) {
		fprintf(stderr,
			"store-race: %u definitions stored, %d granted\n",
			apmatrix_store_get_mdev_count(st), granted_count);
		bad = 1;
	}
	if (apmatrix_check_new(ctx, &check) < 0 ||
	    apmatrix_check_add_store(check, st, 0) < 0 ||
	    apmatrix_check_run(check, 0, &report) < 0)
		fail("final check", ctx);
	for (unsigned int i = 0; i < apmatrix_report_get_count(report); i++) {
		const struct apmatrix_finding *fd =
			apmatrix_report_get_finding(report, i);

		if (apmatrix_finding_get_code(fd) ==
		    APMATRIX_FINDING_SHARED_APQNS) {
			fprintf(stderr, "store-race: %s\n",
				apmatrix_finding_get_message(fd));
			bad = 1;
		}
	}
	printf("store-race: %d definers x %d, %d mask writers x %d, s390-tools "
	       "lock holder x %d: %ld lock holds, %d of %d definitions "
	       "granted, "
	       "none sharing an APQN, none lost%s\n",
	       definers, rounds, maskers, rounds, peer_rounds, count,
	       granted_count, definers * rounds, bad ? " -- FAILED" : "");
	apmatrix_report_unref(report);
	apmatrix_check_unref(check);
	apmatrix_store_unref(st);
	apmatrix_unref(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (!bad && system(cmd) != 0)
		bad = 1;
	return bad;
}
