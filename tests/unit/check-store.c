/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The persistent store: mdevctl definitions byte for byte as mdevctl 1.2.0
 * writes them (tests/fixtures/mdevctl, captured from mdevctl itself),
 * tolerant reads, atomic and symlink-safe writes, 41-ap.rules.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apmatrix.h"
#include "check-internal.h"
#include "store-internal.h"
#include "testlib.h"

#define DEFS APMATRIX_SOURCE_DIR "/tests/fixtures/mdevctl/defs"
#define U1 "11111111-2222-3333-4444-000000000001"
#define U2 "11111111-2222-3333-4444-000000000002"

static struct apmatrix_ctx *ctx;
static char root[64];
static char dir[128];

static void run(const char *cmd)
{
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

static void setup(void)
{
	char cmd[256];

	ctx = test_ctx_new();
	strcpy(root, "/tmp/apmatrix-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/mdevctl.d/matrix", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s/lock", dir, root);
	run(cmd);
	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, root), 0);
	/* the s390apconfig lock lives in <root>/lock */
	ck_assert_int_eq(apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, root), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	run(cmd);
	ck_assert_ptr_null(apmatrix_unref(ctx));
}

/* The whole file; NUL-terminated, length in *len. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void spill(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static char *fixture(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), DEFS "/%s.json", name);
	return slurp(path, NULL);
}

/* Put fixture NAME into the store as UUID. */
static void install(const char *name, const char *uuid)
{
	char path[256];
	char *text = fixture(name);

	snprintf(path, sizeof(path), "%s/%s", dir, uuid);
	spill(path, text);
	free(text);
}

static char *stored(const char *uuid)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, uuid);
	return slurp(path, NULL);
}

static const char *ids(const struct apmatrix_idset *set)
{
	return test_idset_str(set, APMATRIX_SYNTAX_LIST);
}

/* Every definition mdevctl wrote parses and formats back to the same bytes. */
START_TEST(fixtures_round_trip)
{
	DIR *d = opendir(DEFS);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name), len;
		struct apmatrix_def *def = NULL;
		char path[512], why[256], *text, *out;
		int olen;

		if (l < 5 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), DEFS "/%s", de->d_name);
		text = slurp(path, &len);
		ck_assert_msg(apmatrix_def_parse(text, len, &def, why,
						 sizeof(why)) == 0,
			      "%s: %s", de->d_name, why);
		olen = apmatrix_def_format(def, NULL, 0);
		out = malloc((size_t)olen + 1);
		ck_assert_int_eq(
			apmatrix_def_format(def, out, (size_t)olen + 1), olen);
		ck_assert_msg((size_t)olen == len &&
				      memcmp(out, text, len) == 0,
			      "%s: ours differs from mdevctl's:\n%s\n---\n%s",
			      de->d_name, out, text);
		free(out);
		free(text);
		apmatrix_def_free(def);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 15);
}
END_TEST

/* The compact form is what mdevctl hands its callouts on stdin. */
START_TEST(compact_as_callout_stdin)
{
	char *log = slurp(APMATRIX_SOURCE_DIR
			  "/tests/fixtures/mdevctl/callouts.txt",
			  NULL);
	char *line = log;
	int n = 0;

	while ((line = strstr(line, "STDIN: ")) != NULL) {
		char *eol = strchr(line, '\n'), out[1024], why[256];
		struct apmatrix_def *def = NULL;
		const char *js = line + 7;

		*eol = '\0';
		ck_assert_msg(apmatrix_def_parse(js, strlen(js), &def, why,
						 sizeof(why)) == 0,
			      "%s: %s", js, why);
		apmatrix_def_format_compact(def, out, sizeof(out));
		ck_assert_str_eq(out, js);
		apmatrix_def_free(def);
		line = eol + 1;
		n++;
	}
	free(log);
	ck_assert_int_ge(n, 20);
}
END_TEST

/* Attrs applied in order as the kernel would. */
START_TEST(read_fixture_matrices)
{
	static const struct {
		const char *name;
		int autostart;
		const char *a, *d, *c;
	} cases[] = {
		{"c01-empty-manual", 0, "", "", ""},
		{"c02-empty-auto", 1, "", "", ""},
		{"c03-addattr", 0, "4-5", "1-2", "1"},
		{"c06-ap-config", 0, "4-5", "1", "1"},
		{"c07-ap-config-full", 1, "", "0", "0"},
		{"c08-index", 0, "2", "", ""},
		{"c09-jsonfile", 0, "10", "71", ""},
		{"c14-many", 1, "255", "255", ""},
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct apmatrix_store *st = NULL;
		struct apmatrix_mdev *m;
		struct apmatrix_matrix *mx;
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "rm -f %s/*", dir);
		run(cmd);
		install(cases[i].name, U1);
		ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
		ck_assert_uint_eq(apmatrix_store_get_mdev_count(st), 1);
		m = apmatrix_store_get_mdev(st, 0);
		ck_assert_str_eq(apmatrix_mdev_get_uuid(m), U1);
		ck_assert_int_eq(apmatrix_mdev_get_autostart(m),
				 cases[i].autostart);
		mx = apmatrix_mdev_get_matrix(m, APMATRIX_ROLE_DEFINED);
		ck_assert_ptr_nonnull(mx);
		ck_assert_msg(!strcmp(ids(apmatrix_matrix_get_adapters(mx)),
				      cases[i].a),
			      "%s adapters %s", cases[i].name,
			      ids(apmatrix_matrix_get_adapters(mx)));
		ck_assert_msg(
			!strcmp(ids(apmatrix_matrix_get_usage_domains(mx)),
				cases[i].d),
			"%s domains %s", cases[i].name,
			ids(apmatrix_matrix_get_usage_domains(mx)));
		ck_assert_msg(
			!strcmp(ids(apmatrix_matrix_get_control_domains(mx)),
				cases[i].c),
			"%s controls %s", cases[i].name,
			ids(apmatrix_matrix_get_control_domains(mx)));
		apmatrix_store_unref(st);
	}
}
END_TEST

/* The octal trap and an unknown attribute are reported by position. */
START_TEST(read_attr_problems)
{
	struct apmatrix_store *st = NULL;

	install("c09-jsonfile", U1);
	test_call(ctx, apmatrix_store_read(ctx, 0, &st), 0, "attrs[0]");
	ck_assert_uint_eq(apmatrix_store_get_error_count(st), 3);
	ck_assert_ptr_nonnull(
		strstr(apmatrix_store_get_error(st, 0),
		       "attrs[0]: assign_adapter \"010\" is octal 8"));
	ck_assert_int_eq(apmatrix_store_get_error_severity(st, 0),
			 APMATRIX_SEVERITY_WARNING);
	ck_assert_ptr_nonnull(strstr(apmatrix_store_get_error(st, 2),
				     "attrs[3]: vfio_ap has no attribute "
				     "\"future_attr\""));
	ck_assert_str_eq(apmatrix_store_get_error_file(st, 2),
			 "mdevctl.d/matrix/" U1);
	apmatrix_store_unref(st);
}
END_TEST

/* One bad file never stops the others from loading. */
START_TEST(read_tolerant)
{
	static const struct {
		const char *name;
		const char *text;
		const char *want;
		int severity;
	} bad[] = {
		{"11111111-2222-3333-4444-0000000000f1",
		 "{\"mdev_type\":", "line 1, column 14: unexpected end of file",
		 APMATRIX_SEVERITY_ERROR},
		{"11111111-2222-3333-4444-0000000000f2",
		 "{\n  \"mdev_type\": \"vfio_ap-passthrough\",\n  \"start\" "
		 "\"auto\"\n}",
		 "line 3, column", APMATRIX_SEVERITY_ERROR},
		{"11111111-2222-3333-4444-0000000000f3",
		 "{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"manual\","
		 "\"attrs\":[{\"assign_adapter\":4}]}",
		 "attrs[0]: the value of \"assign_adapter\" must be a string",
		 APMATRIX_SEVERITY_ERROR},
		{"11111111-2222-3333-4444-0000000000f4",
		 "{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"manual\","
		 "\"attrs\":[{\"assign_adapter\":\"4\",\"assign_domain\":"
		 "\"5\"}]}",
		 "attrs[0]: exactly one attribute per object expected",
		 APMATRIX_SEVERITY_ERROR},
		{"11111111-2222-3333-4444-0000000000f5",
		 "{\"mdev_type\":\"vfio-pci\",\"start\":\"manual\"}",
		 "mdev_type \"vfio-pci\" is not vfio_ap-passthrough",
		 APMATRIX_SEVERITY_ERROR},
		{"11111111-2222-3333-4444-0000000000f6", "{\"start\":\"auto\"}",
		 "mdev_type: a string is required", APMATRIX_SEVERITY_ERROR},
		{"11111111-2222-3333-4444-0000000000f7",
		 "{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"auto\"} x",
		 "line 1, column 52: trailing characters",
		 APMATRIX_SEVERITY_ERROR},
		{"README", "hello\n", "not a definition",
		 APMATRIX_SEVERITY_INFO},
		{"AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE", "{}",
		 "not a definition", APMATRIX_SEVERITY_INFO},
	};
	const unsigned int nbad = sizeof(bad) / sizeof(bad[0]);
	struct apmatrix_store *st = NULL;
	char path[256];
	unsigned int found = 0;

	install("c03-addattr", U1);
	install("c04-modify-auto", U2);
	for (unsigned int i = 0; i < nbad; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, bad[i].name);
		spill(path, bad[i].text);
	}
	test_call(ctx, apmatrix_store_read(ctx, 0, &st), 0, "problems");
	ck_assert_uint_eq(apmatrix_store_get_mdev_count(st), 2);
	ck_assert_str_eq(apmatrix_mdev_get_uuid(apmatrix_store_get_mdev(st, 0)),
			 U1);
	ck_assert_str_eq(apmatrix_mdev_get_uuid(apmatrix_store_get_mdev(st, 1)),
			 U2);
	ck_assert_ptr_eq(apmatrix_store_find_mdev(st, U2),
			 apmatrix_store_get_mdev(st, 1));
	ck_assert_ptr_null(apmatrix_store_find_mdev(st, bad[0].name));
	ck_assert_uint_eq(apmatrix_store_get_error_count(st), nbad);
	for (unsigned int e = 0; e < nbad; e++) {
		const char *file = apmatrix_store_get_error_file(st, e);
		const char *msg = apmatrix_store_get_error(st, e);

		ck_assert_ptr_null(strchr(msg, '\n'));
		for (unsigned int i = 0; i < nbad; i++) {
			snprintf(path, sizeof(path), "mdevctl.d/matrix/%s",
				 bad[i].name);
			if (strcmp(file, path) != 0)
				continue;
			found++;
			ck_assert_msg(strstr(msg, bad[i].want) != NULL,
				      "%s: want \"%s\" in: %s", bad[i].name,
				      bad[i].want, msg);
			ck_assert_msg(strstr(msg, bad[i].name) != NULL,
				      "message does not name the file: %s",
				      msg);
			ck_assert_int_eq(
				apmatrix_store_get_error_severity(st, e),
				bad[i].severity);
		}
	}
	ck_assert_uint_eq(found, nbad);
	ck_assert_ptr_null(apmatrix_store_get_error(st, nbad));
	ck_assert_int_eq(apmatrix_store_get_error_severity(st, nbad), -EINVAL);
	apmatrix_store_unref(st);
}
END_TEST

/* Symlinks, a 10 MB file and directories are reported, never followed. */
START_TEST(read_hostile)
{
	struct apmatrix_store *st = NULL;
	char path[256], target[256];
	int fd;

	install("c03-addattr", U1);
	snprintf(target, sizeof(target), "%s/elsewhere.json", root);
	spill(target,
	      "{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"auto\"}");
	snprintf(path, sizeof(path), "%s/11111111-2222-3333-4444-0000000000e1",
		 dir);
	ck_assert_int_eq(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/11111111-2222-3333-4444-0000000000e2",
		 dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 10 * 1024 * 1024), 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/11111111-2222-3333-4444-0000000000e3",
		 dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	test_call(ctx, apmatrix_store_read(ctx, 0, &st), 0, "problems");
	ck_assert_uint_eq(apmatrix_store_get_mdev_count(st), 1);
	ck_assert_uint_eq(apmatrix_store_get_error_count(st), 3);
	for (unsigned int e = 0; e < 3; e++) {
		const char *msg = apmatrix_store_get_error(st, e);

		ck_assert_msg(
			strstr(msg, "a symlink, not read") ||
				strstr(msg, "larger than 1048576 bytes") ||
				strstr(msg, "a directory, ignored"),
			"%s", msg);
	}
	apmatrix_store_unref(st);
}
END_TEST

static struct apmatrix_mdev *new_def(const char *uuid, int autostart,
				     const char *matrix_ap_config)
{
	struct apmatrix_mdev *m = NULL;

	ck_assert_int_eq(apmatrix_mdev_new(ctx, uuid, &m), 0);
	ck_assert_int_eq(apmatrix_mdev_add_config(m, APMATRIX_ROLE_DEFINED, 0),
			 0);
	ck_assert_int_eq(apmatrix_mdev_set_autostart(m, autostart), 0);
	if (matrix_ap_config)
		ck_assert_int_ge(
			apmatrix_matrix_parse(apmatrix_mdev_get_matrix(
						      m, APMATRIX_ROLE_DEFINED),
					      matrix_ap_config,
					      APMATRIX_MATRIX_AP_CONFIG, 0),
			0);
	return m;
}

/* An empty definition is byte for byte what `mdevctl define` writes. */
START_TEST(define_as_mdevctl)
{
	struct apmatrix_store *st = NULL;
	struct apmatrix_mdev *m = new_def(U1, 0, NULL);
	struct apmatrix_mdev *a = new_def(U2, 1, NULL);
	char *want, *got, path[256];
	struct stat sb;
	mode_t old = umask(022);

	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	test_call(ctx, apmatrix_store_define(st, m, 0), 0, NULL);
	test_call(ctx, apmatrix_store_define(st, a, 0), 0, NULL);
	umask(old);
	want = fixture("c01-empty-manual");
	got = stored(U1);
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
	want = fixture("c02-empty-auto");
	got = stored(U2);
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
	snprintf(path, sizeof(path), "%s/%s", dir, U1);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0644);
	ck_assert_uint_eq(apmatrix_store_get_mdev_count(st), 2);
	test_call(ctx, apmatrix_store_define(st, m, 0), -EEXIST,
		  "already defined");
	apmatrix_mdev_unref(m);
	apmatrix_mdev_unref(a);
	apmatrix_store_unref(st);
}
END_TEST

/* --auto and --manual change only the start mode, as mdevctl's modify. */
START_TEST(set_autostart_as_mdevctl)
{
	struct apmatrix_store *st = NULL;
	char *want, *got;

	install("c01-empty-manual", U1);
	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	test_call(ctx, apmatrix_store_set_autostart(st, U1, 1, 0), 0, NULL);
	want = fixture("c02-empty-auto");
	got = stored(U1);
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
	ck_assert_int_eq(
		apmatrix_mdev_get_autostart(apmatrix_store_find_mdev(st, U1)),
		1);
	test_call(ctx, apmatrix_store_set_autostart(st, U2, 1, 0), -ENOENT,
		  "not defined");
	test_call(ctx, apmatrix_store_set_autostart(st, U1, 2, 0), -EINVAL,
		  "autostart 2");
	test_call(ctx,
		  apmatrix_store_set_autostart(st, "../../etc/passwd", 1, 0),
		  -EINVAL, "invalid UUID \"../../etc/passwd\"");
	test_call(ctx, apmatrix_store_set_autostart(st, U1, 1, 0x80), -EINVAL,
		  "unknown flags");
	apmatrix_store_unref(st);
}
END_TEST

/* Modify keeps attrs that are not the matrix, and the mode of the file. */
START_TEST(modify_keeps_unknown)
{
	struct apmatrix_store *st = NULL;
	struct apmatrix_mdev *m;
	char *got, path[256];
	struct stat sb;

	install("c09-jsonfile", U1);
	snprintf(path, sizeof(path), "%s/%s", dir, U1);
	chmod(path, 0600);
	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	m = new_def(U1, 1, "0x30,0x0001,0x0001");
	test_call(ctx, apmatrix_store_modify(st, m, 0), 0, NULL);
	got = stored(U1);
	ck_assert_str_eq(
		got, "{\n  \"mdev_type\": \"vfio_ap-passthrough\",\n"
		     "  \"start\": \"auto\",\n  \"attrs\": [\n"
		     "    {\n      \"assign_adapter\": \"0x02\"\n    },\n"
		     "    {\n      \"assign_adapter\": \"0x03\"\n    },\n"
		     "    {\n      \"assign_domain\": \"0x000f\"\n    },\n"
		     "    {\n      \"assign_control_domain\": \"0x000f\"\n"
		     "    },\n"
		     "    {\n      \"future_attr\": \"x y\"\n    }\n  ]\n}");
	free(got);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0600);
	/* The same matrix again: the attrs stay exactly as they are. */
	test_call(ctx, apmatrix_store_modify(st, m, 0), 0, NULL);
	apmatrix_mdev_unref(m);
	m = new_def(U2, 0, NULL);
	test_call(ctx, apmatrix_store_modify(st, m, 0), -ENOENT, U2);
	apmatrix_mdev_unref(m);
	apmatrix_store_unref(st);
}
END_TEST

START_TEST(undefine_only_definitions)
{
	struct apmatrix_store *st = NULL;
	char path[256];

	install("c03-addattr", U1);
	snprintf(path, sizeof(path), "%s/%s", dir, U2);
	spill(path, "not json");
	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	test_call(ctx, apmatrix_store_undefine(st, U2, 0), -EINVAL,
		  "line 1, column 1");
	ck_assert_int_eq(access(path, F_OK), 0);
	test_call(ctx, apmatrix_store_undefine(st, U1, 0), 0, NULL);
	snprintf(path, sizeof(path), "%s/%s", dir, U1);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_uint_eq(apmatrix_store_get_mdev_count(st), 0);
	test_call(ctx, apmatrix_store_undefine(st, U1, 0), -ENOENT,
		  "not defined");
	apmatrix_store_unref(st);
}
END_TEST

/* A symlinked store directory or file is never written through. */
START_TEST(write_symlinks_refused)
{
	struct apmatrix_store *st = NULL;
	struct apmatrix_mdev *m = new_def(U1, 0, "0x10,0x1,0x1");
	char cmd[512], path[256], target[256], *got;

	snprintf(cmd, sizeof(cmd),
		 "rm -rf %s && mkdir %s/elsewhere && "
		 "ln -s %s/elsewhere %s",
		 dir, root, root, dir);
	run(cmd);
	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	ck_assert_uint_eq(apmatrix_store_get_error_count(st), 1);
	ck_assert_ptr_nonnull(
		strstr(apmatrix_store_get_error(st, 0), "a symlink"));
	test_call(ctx, apmatrix_store_define(st, m, 0), -ELOOP, "symlink");
	snprintf(path, sizeof(path), "%s/elsewhere/%s", root, U1);
	ck_assert_int_ne(access(path, F_OK), 0);
	/* A definition file that is a symlink. */
	snprintf(cmd, sizeof(cmd), "rm %s && mkdir %s", dir, dir);
	run(cmd);
	snprintf(target, sizeof(target), "%s/target", root);
	spill(target,
	      "{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"manual\"}");
	snprintf(path, sizeof(path), "%s/%s", dir, U1);
	ck_assert_int_eq(symlink(target, path), 0);
	test_call(ctx, apmatrix_store_modify(st, m, 0), -ELOOP, "symlink");
	test_call(ctx, apmatrix_store_define(st, m, 0), -ELOOP, "symlink");
	test_call(ctx, apmatrix_store_undefine(st, U1, 0), -ELOOP, "symlink");
	got = slurp(target, NULL);
	ck_assert_str_eq(got,
			 "{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":"
			 "\"manual\"}");
	free(got);
	apmatrix_mdev_unref(m);
	apmatrix_store_unref(st);
}
END_TEST

/* Parent and type are part of where a definition lives: only matrix. */
START_TEST(define_wrong_parent)
{
	struct apmatrix_store *st = NULL;
	struct apmatrix_mdev *m = new_def(U1, 0, NULL);
	struct apmatrix_mdev *bare = NULL;

	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	ck_assert_int_eq(apmatrix_mdev_set_parent(m, "other"), 0);
	test_call(ctx, apmatrix_store_define(st, m, 0), -EINVAL,
		  "parent \"other\" is not matrix");
	ck_assert_int_eq(apmatrix_mdev_set_parent(m, "../matrix"), -EINVAL);
	ck_assert_int_eq(apmatrix_mdev_new(ctx, U2, &bare), 0);
	test_call(ctx, apmatrix_store_define(st, bare, 0), -EINVAL,
		  "no definition");
	test_call(ctx, apmatrix_store_define(st, NULL, 0), -EINVAL, "NULL");
	apmatrix_mdev_unref(bare);
	apmatrix_mdev_unref(m);
	apmatrix_store_unref(st);
}
END_TEST

/* A write waits for the s390-tools lock; APMATRIX_STORE_LOCKED does not. */
START_TEST(write_waits_for_lock)
{
	struct apmatrix_store *st = NULL;
	struct apmatrix_mdev *m = new_def(U1, 0, NULL);
	struct timespec t0, t1;
	char path[256], pid[32];
	pid_t holder;
	double waited;
	int go[2];

	/* the holder as s390-tools writes it: its PID and a newline; it
	 * releases the lock after 0.7 s */
	snprintf(path, sizeof(path), "%s/lock/s390apconfig.lock", root);
	ck_assert_int_eq(pipe(go), 0);
	holder = fork();
	ck_assert_int_ge(holder, 0);
	if (holder == 0) {
		snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
		spill(path, pid);
		close(go[1]);
		usleep(700 * 1000);
		unlink(path);
		_exit(0);
	}
	close(go[1]);
	ck_assert_int_eq(read(go[0], pid, 1), 0); /* the holder has it */
	close(go[0]);
	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	test_call(ctx,
		  apmatrix_store_set_persistent_masks(st, NULL, NULL,
						      APMATRIX_STORE_LOCKED),
		  0, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_call(ctx, apmatrix_store_define(st, m, 0), 0, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waited = (double)(t1.tv_sec - t0.tv_sec) +
		 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	waitpid(holder, NULL, 0);
	ck_assert_msg(waited > 0.5, "the define did not wait (%.3f s)", waited);
	/* released after the write */
	ck_assert_int_ne(access(path, F_OK), 0);
	apmatrix_mdev_unref(m);
	apmatrix_store_unref(st);
}
END_TEST

static const char rules_apmask_only[] =
	"# Generated by chzdev\n"
	"ACTION==\"change\", SUBSYSTEM==\"ap\", DEVPATH==\"/devices/ap\", "
	"ENV{BINDINGS}==\"complete\", ENV{COMPLETECOUNT}==\"1\", "
	"GOTO=\"cfg_ap\"\n"
	"GOTO=\"end_ap\"\n\nLABEL=\"cfg_ap\"\n\n"
	"ATTR{../../bus/ap/apmask}=\"0x0f0000000000000000000000000000000000000"
	"0000000000000000000000000\"\n"
	"RUN{builtin}+=\"kmod load vfio_ap\"\n\nLABEL=\"end_ap\"\n";

START_TEST(rules_write_read)
{
	struct apmatrix_store *st = NULL;
	struct apmatrix_idset *ap = NULL, *aq = NULL;
	char path[256], *got;

	ck_assert_int_eq(apmatrix_idset_new(ctx, &ap), 0);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &aq), 0);
	ck_assert_int_eq(
		apmatrix_idset_parse(ap, "4-7", APMATRIX_SYNTAX_LIST, 0), 0);
	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	ck_assert_ptr_null(apmatrix_store_get_persistent_apmask(st));
	test_call(ctx, apmatrix_store_set_persistent_masks(st, ap, NULL, 0), 0,
		  NULL);
	snprintf(path, sizeof(path), "%s/udev/rules.d/41-ap.rules", root);
	got = slurp(path, NULL);
	ck_assert_str_eq(got, rules_apmask_only);
	free(got);
	apmatrix_store_unref(st);
	st = NULL;
	ck_assert_int_eq(apmatrix_store_read(ctx, 0, &st), 0);
	ck_assert_str_eq(ids(apmatrix_store_get_persistent_apmask(st)), "4-7");
	ck_assert_ptr_null(apmatrix_store_get_persistent_aqmask(st));
	ck_assert_int_eq(
		apmatrix_idset_parse(aq, "0,255", APMATRIX_SYNTAX_LIST, 0), 0);
	test_call(ctx, apmatrix_store_set_persistent_masks(st, ap, aq, 0), 0,
		  NULL);
	got = slurp(path, NULL);
	ck_assert_ptr_nonnull(strstr(got,
				     "\"0x0f00000000000000000000000000000000000"
				     "000000000000000000000000000\"\n"
				     "ATTR{../../bus/ap/"
				     "aqmask}="
				     "\"0x8000000000000000000000000000000000000"
				     "000000000000000000000000001\"\n"));
	free(got);
	test_call(ctx, apmatrix_store_set_persistent_masks(st, NULL, NULL, 0),
		  0, NULL);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_ptr_null(apmatrix_store_get_persistent_apmask(st));
	apmatrix_idset_unref(ap);
	apmatrix_idset_unref(aq);
	apmatrix_store_unref(st);
}
END_TEST

/* Rules from another s390-tools version (peers.md: an extra "add" trigger),
 * and broken rules. */
START_TEST(rules_parse_variants)
{
	static const char two_triggers[] =
		"# Generated by chzdev\n"
		"ACTION==\"add\", DEVPATH==\"/bus/ap\", "
		"ATTR{bindings_complete_count}!=\"0\", GOTO=\"cfg_ap\"\n"
		"ACTION==\"change\", SUBSYSTEM==\"ap\", "
		"DEVPATH==\"/devices/ap\", "
		"ENV{BINDINGS}==\"complete\", ENV{COMPLETECOUNT}==\"1\", "
		"GOTO=\"cfg_ap\"\nGOTO=\"end_ap\"\n\nLABEL=\"cfg_ap\"\n\n"
		"ATTR{../../bus/ap/apmask}=\"0x8\"\n"
		"ATTR{../../bus/ap/aqmask}=\"0x4\"\n"
		"RUN{builtin}+=\"kmod load vfio_ap\"\n\nLABEL=\"end_ap\"\n";
	struct apmatrix_rules r;
	char why[256];

	ck_assert_int_eq(apmatrix_rules_parse(two_triggers,
					      strlen(two_triggers), &r, why,
					      sizeof(why)),
			 0);
	ck_assert_int_eq(r.has_apmask && r.has_aqmask, 1);
	ck_assert(bits_test(&r.apmask, 0) && bits_count(&r.apmask) == 1);
	ck_assert(bits_test(&r.aqmask, 1) && bits_count(&r.aqmask) == 1);
	ck_assert_int_eq(apmatrix_rules_parse("ATTR{apmask}=\"0xzz\"\n", 20, &r,
					      why, sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "line 1, column 15: apmask"));
	ck_assert_int_eq(apmatrix_rules_parse("\n\nGOTO \"x\"\n", 10, &r, why,
					      sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "line 3"));
	/* The value is quoted: control characters escaped. */
	ck_assert_int_eq(apmatrix_rules_parse("ATTR{apmask}=\"0x\x1b\"\n", 19,
					      &r, why, sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "apmask \"0x\\x1b\" is not a mask"));
}
END_TEST

/* User text in a definition's diagnostic is quoted, so it stays one line. */
START_TEST(definition_diag_quoted)
{
	struct apmatrix_mdev *m = NULL;

	test_call(ctx,
		  apmatrix_store_parse_definition(
			  ctx, "6a2b1c3d-0000-4000-8000-000000000001",
			  "{\"mdev_type\":\"vfio_ap-passthrough\","
			  "\"start\":\"manual\",\"attrs\":[{\"a\\nb\\\"\":1}]}",
			  0, &m),
		  -EINVAL,
		  "attrs[0]: the value of \"a\\nb\\\"\" must be a string");
	ck_assert_ptr_null(m);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fixtures_round_trip);
	tcase_add_test(tc, compact_as_callout_stdin);
	tcase_add_test(tc, read_fixture_matrices);
	tcase_add_test(tc, read_attr_problems);
	tcase_add_test(tc, read_tolerant);
	tcase_add_test(tc, read_hostile);
	tcase_add_test(tc, define_as_mdevctl);
	tcase_add_test(tc, set_autostart_as_mdevctl);
	tcase_add_test(tc, modify_keeps_unknown);
	tcase_add_test(tc, undefine_only_definitions);
	tcase_add_test(tc, write_symlinks_refused);
	tcase_add_test(tc, define_wrong_parent);
	tcase_add_test(tc, write_waits_for_lock);
	tcase_add_test(tc, rules_write_read);
	tcase_add_test(tc, rules_parse_variants);
	tcase_add_test(tc, definition_diag_quoted);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(store_suite());
}
