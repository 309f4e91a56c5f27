/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Crash safety of the store's writes: a child rewrites one definition and
 * the rules file in a loop (alternating two contents each) and is killed
 * with SIGKILL at a random moment; then every file must hold the old or the
 * new content, byte for byte, never a mix, and the store must read without
 * an error.
 *
 *   store-crash [TRIALS]   (default 1000)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <apmatrix.h>

#define U "11111111-2222-3333-4444-000000000001"

static char root[64];

static void die(const char *what, struct apmatrix_ctx *ctx)
{
	fprintf(stderr, "store-crash: %s: %s\n", what,
		ctx ? apmatrix_get_diagnostic(ctx) : strerror(errno));
	exit(1);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	if (!f || !buf)
		return NULL;
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static struct apmatrix_mdev *mdev_with(struct apmatrix_ctx *ctx,
				       const char *ap_config, int autostart)
{
	struct apmatrix_mdev *m = NULL;

	if (apmatrix_mdev_new(ctx, U, &m) < 0 ||
	    apmatrix_mdev_add_config(m, APMATRIX_ROLE_DEFINED, 0) < 0 ||
	    apmatrix_mdev_set_autostart(m, autostart) < 0 ||
	    apmatrix_matrix_parse(
		    apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED),
		    ap_config, APMATRIX_MATRIX_AP_CONFIG, 0) < 0)
		die("mdev", ctx);
	return m;
}

static struct apmatrix_idset *mask(struct apmatrix_ctx *ctx, const char *list)
{
	struct apmatrix_idset *s = NULL;

	if (apmatrix_idset_new(ctx, &s) < 0 ||
	    apmatrix_idset_parse(s, list, APMATRIX_SYNTAX_LIST, 0) < 0)
		die("mask", ctx);
	return s;
}

int main(int argc, char **argv)
{
	int trials = argc > 1 ? atoi(argv[1]) : 1000;
	struct apmatrix_ctx *ctx = NULL;
	struct apmatrix_store *st = NULL;
	struct apmatrix_mdev *m[2];
	struct apmatrix_idset *ap[2];
	char *def_text[2], *rules_text[2], defp[160], rulesp[160], cmd[200];
	int seen_def[2] = {0, 0}, seen_rules[2] = {0, 0}, leftovers = 0;

	strcpy(root, "/tmp/apmatrix-crash-XXXXXX");
	if (!mkdtemp(root))
		die("mkdtemp", NULL);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/lock", root);
	if (system(cmd) != 0 || apmatrix_new(&ctx) < 0 ||
	    apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, root) < 0 ||
	    apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, root) < 0)
		die("setup", ctx);
	apmatrix_set_log_priority(ctx, 3);
	snprintf(defp, sizeof(defp), "%s/mdevctl.d/matrix/" U, root);
	snprintf(rulesp, sizeof(rulesp), "%s/udev/rules.d/41-ap.rules", root);
	m[0] = mdev_with(ctx, "0x0c,0x4,0x4", 0);
	m[1] = mdev_with(ctx, "0xffff,0xffffffffffff,0xff", 1);
	ap[0] = mask(ctx, "0-3");
	ap[1] = mask(ctx, "0-100,200-255");
	if (apmatrix_store_read(ctx, 0, &st) < 0)
		die("read", ctx);
	/* The two contents of each file, as the store writes them. */
	for (int i = 1; i >= 0; i--) {
		if ((i == 1 ? apmatrix_store_define(st, m[i], 0)
			    : apmatrix_store_modify(st, m[i], 0)) < 0 ||
		    apmatrix_store_set_persistent_masks(st, ap[i], ap[1 - i],
							0) < 0)
			die("first write", ctx);
		def_text[i] = slurp(defp);
		rules_text[i] = slurp(rulesp);
	}
	srand((unsigned int)time(NULL) ^ (unsigned int)getpid());
	/* The child's first write always changes both files. */
	unsigned int next = 1;

	for (int t = 0; t < trials; t++) {
		pid_t child = fork();
		int status;

		if (child < 0)
			die("fork", NULL);
		if (child == 0) {
			for (unsigned int k = next;; k++) {
				if (apmatrix_store_modify(st, m[k & 1], 0) <
					    0 ||
				    apmatrix_store_set_persistent_masks(
					    st, ap[k & 1], ap[!(k & 1)], 0) < 0)
					_exit(2);
			}
		}
		usleep((useconds_t)(rand() % 12000));
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
		if (!WIFSIGNALED(status)) {
			fprintf(stderr,
				"store-crash: the writer exited (%d) before "
				"the kill: %s\n",
				WEXITSTATUS(status),
				apmatrix_get_diagnostic(ctx));
			return 1;
		}
		char *d = slurp(defp), *r = slurp(rulesp);
		int di = d && !strcmp(d, def_text[0])   ? 0
			 : d && !strcmp(d, def_text[1]) ? 1
							: -1;
		int ri = r && !strcmp(r, rules_text[0])   ? 0
			 : r && !strcmp(r, rules_text[1]) ? 1
							  : -1;

		if (di < 0 || ri < 0) {
			fprintf(stderr, "store-crash: trial %d: torn %s:\n%s\n",
				t, di < 0 ? "definition" : "rules",
				di < 0 ? (d ? d : "(missing)")
				       : (r ? r : "(missing)"));
			return 1;
		}
		seen_def[di]++;
		seen_rules[ri]++;
		next = di == ri ? (unsigned int)!di
				: (unsigned int)(rand() & 1);
		free(d);
		free(r);
	}
	apmatrix_store_unref(st);
	st = NULL;
	if (apmatrix_store_read(ctx, 0, &st) < 0 ||
	    apmatrix_store_get_error_count(st) != 0 ||
	    apmatrix_store_get_mdev_count(st) != 1) {
		fprintf(stderr,
			"store-crash: the store does not read cleanly: %s\n",
			apmatrix_store_get_error(st, 0));
		return 1;
	}
	snprintf(cmd, sizeof(cmd),
		 "ls -A %s/mdevctl.d/matrix %s/udev/rules.d | grep -c '^\\.' ",
		 root, root);
	{
		FILE *p = popen(cmd, "r");

		if (p && fscanf(p, "%d", &leftovers) != 1)
			leftovers = -1;
		if (p)
			pclose(p);
	}
	printf("store-crash: %d trials, definition A/B %d/%d, rules A/B %d/%d, "
	       "never torn; %d hidden temporary file(s) of killed writers "
	       "left (the next write removes them)\n",
	       trials, seen_def[0], seen_def[1], seen_rules[0], seen_rules[1],
	       leftovers);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		apmatrix_mdev_unref(m[i]);
		apmatrix_idset_unref(ap[i]);
		free(def_text[i]);
		free(rules_text[i]);
	}
	apmatrix_store_unref(st);
	apmatrix_unref(ctx);
	return seen_def[0] && seen_def[1] ? 0 : 1;
}
