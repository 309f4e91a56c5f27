// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apmatrix-internal.h"
#include "testlib.h"

struct captured {
	int count;
	int priority;
	int line;
	char fn[64];
	char msg[1024];
};

static void capture(void *data, int priority, const char *file, int line,
		    const char *fn, const char *msg)
{
	struct captured *c = data;

	c->count++;
	c->priority = priority;
	c->line = line;
	snprintf(c->fn, sizeof(c->fn), "%s", fn);
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

START_TEST(test_new_ref_unref)
{
	struct apmatrix_ctx *ctx = NULL;

	ck_assert_int_eq(apmatrix_new(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_new(&ctx), 0);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_eq(apmatrix_ref(ctx), ctx);
	ck_assert_int_eq(ctx->refcount, 2);
	ck_assert_ptr_null(apmatrix_unref(ctx));
	ck_assert_int_eq(ctx->refcount, 1);
	ck_assert_ptr_null(apmatrix_unref(ctx));
	ck_assert_ptr_null(apmatrix_unref(NULL));
	ck_assert_ptr_null(apmatrix_ref(NULL));
}
END_TEST

static int priority_with_env(const char *value)
{
	struct apmatrix_ctx *ctx = NULL;
	int prio;

	if (value)
		ck_assert_int_eq(setenv("APMATRIX_LOG", value, 1), 0);
	else
		ck_assert_int_eq(unsetenv("APMATRIX_LOG"), 0);
	ck_assert_int_eq(apmatrix_new(&ctx), 0);
	prio = apmatrix_get_log_priority(ctx);
	apmatrix_unref(ctx);
	unsetenv("APMATRIX_LOG");
	return prio;
}

START_TEST(test_log_env)
{
	ck_assert_int_eq(priority_with_env(NULL), LOG_ERR);
	ck_assert_int_eq(priority_with_env("debug"), LOG_DEBUG);
	ck_assert_int_eq(priority_with_env("info"), LOG_INFO);
	ck_assert_int_eq(priority_with_env("warning"), LOG_WARNING);
	ck_assert_int_eq(priority_with_env("err"), LOG_ERR);
	ck_assert_int_eq(priority_with_env("0"), 0);
	ck_assert_int_eq(priority_with_env("5"), 5);
	ck_assert_int_eq(priority_with_env("7"), 7);
	/* Bad values keep LOG_ERR. */
	ck_assert_int_eq(priority_with_env("8"), LOG_ERR);
	ck_assert_int_eq(priority_with_env("-1"), LOG_ERR);
	ck_assert_int_eq(priority_with_env("77"), LOG_ERR);
	ck_assert_int_eq(priority_with_env(""), LOG_ERR);
	ck_assert_int_eq(priority_with_env("DEBUG "), LOG_ERR);
	ck_assert_int_eq(priority_with_env("verbose"), LOG_ERR);
}
END_TEST

START_TEST(test_log_env_diagnostic)
{
	struct apmatrix_ctx *ctx = NULL;

	ck_assert_int_eq(setenv("APMATRIX_LOG", "loud", 1), 0);
	ck_assert_int_eq(apmatrix_new(&ctx), 0);
	unsetenv("APMATRIX_LOG");
	ck_assert_ptr_nonnull(
		strstr(apmatrix_get_diagnostic(ctx), "APMATRIX_LOG=\"loud\""));
	apmatrix_unref(ctx);
	/* The value is quoted: a newline in it stays on the one line. */
	ck_assert_int_eq(setenv("APMATRIX_LOG", "de\nbug", 1), 0);
	ck_assert_int_eq(apmatrix_new(&ctx), 0);
	unsetenv("APMATRIX_LOG");
	ck_assert_ptr_nonnull(strstr(apmatrix_get_diagnostic(ctx),
				     "APMATRIX_LOG=\"de\\nbug\" is not"));
	/* The next fallible call replaces the warning. */
	test_call(ctx, apmatrix_set_log_priority(ctx, 3), 0, NULL);
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_log_priority)
{
	struct apmatrix_ctx *ctx = test_ctx_new();

	test_call(ctx, apmatrix_set_log_priority(ctx, -1), -EINVAL,
		  "log priority -1 out of range (0-7)");
	test_call(ctx, apmatrix_set_log_priority(ctx, 8), -EINVAL,
		  "log priority 8 out of range (0-7)");
	test_call(ctx, apmatrix_get_log_priority(ctx), LOG_ERR,
		  TEST_DIAG_SENTINEL);
	for (int p = 0; p <= 7; p++) {
		test_call(ctx, apmatrix_set_log_priority(ctx, p), 0, NULL);
		ck_assert_int_eq(apmatrix_get_log_priority(ctx), p);
	}
	ck_assert_int_eq(apmatrix_set_log_priority(NULL, 3), -EINVAL);
	ck_assert_int_eq(apmatrix_get_log_priority(NULL), -EINVAL);
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_log_hook)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	struct captured c = {0};

	apmatrix_set_log_fn(ctx, capture, &c);
	/* Filtered before formatting. */
	info(ctx, "hidden %d", 1);
	ck_assert_int_eq(c.count, 0);
	ck_assert_int_eq(apmatrix_set_log_priority(ctx, LOG_INFO), 0);
	info(ctx, "shown %d\n", 2);
	ck_assert_int_eq(c.count, 1);
	ck_assert_int_eq(c.priority, LOG_INFO);
	ck_assert_str_eq(c.msg, "shown 2");
	ck_assert_str_eq(c.fn, "test_log_hook_fn");
	warn(ctx, "w");
	ck_assert_int_eq(c.priority, LOG_WARNING);
	dbg(ctx, "not at info");
	ck_assert_int_eq(c.count, 2);
	ck_assert_int_eq(apmatrix_set_log_priority(ctx, LOG_DEBUG), 0);
	dbg(ctx, "debug %s", "now");
#ifdef APMATRIX_ENABLE_DEBUG
	ck_assert_int_eq(c.count, 3);
	ck_assert_str_eq(c.msg, "debug now");
#endif
	/* NULL context: nothing happens. */
	apmatrix_set_log_fn(NULL, capture, &c);
	apmatrix_log_impl(NULL, LOG_ERR, "f", 1, "fn", "x");
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_log_default_stderr)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	char buf[256] = {0};
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	ck_assert_ptr_nonnull(tmp);
	apmatrix_set_log_fn(ctx, NULL, NULL);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fileno(tmp), STDERR_FILENO), 0);
	err(ctx, "boom %d", 42);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	fclose(tmp);
	buf[n] = '\0';
	ck_assert_str_eq(buf,
			 "libapmatrix: test_log_default_stderr_fn: boom 42\n");
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_roots)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	char path[] = "/tmp/fixture";

	ck_assert_str_eq(apmatrix_get_root(ctx, APMATRIX_ROOT_SYSFS), "/sys");
	ck_assert_str_eq(apmatrix_get_root(ctx, APMATRIX_ROOT_ETC), "/etc");
	ck_assert_str_eq(apmatrix_get_root(ctx, APMATRIX_ROOT_RUN), "/run");
	ck_assert_ptr_null(apmatrix_get_root(ctx, 3));
	ck_assert_ptr_null(apmatrix_get_root(NULL, 0));

	test_call(ctx, apmatrix_set_root(ctx, APMATRIX_ROOT_SYSFS, path), 0,
		  NULL);
	path[1] = 'X'; /* copied */
	ck_assert_str_eq(apmatrix_get_root(ctx, APMATRIX_ROOT_SYSFS),
			 "/tmp/fixture");
	test_call(ctx, apmatrix_set_root(ctx, APMATRIX_ROOT_RUN, "/"), 0, NULL);
	ck_assert_str_eq(apmatrix_get_root(ctx, APMATRIX_ROOT_RUN), "/");

	test_call(ctx, apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, "etc"),
		  -EINVAL, "root must be an absolute path, not \"etc\"");
	test_call(ctx, apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, "a\nb"),
		  -EINVAL, "not \"a\\nb\"");
	test_call(ctx, apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, ""), -EINVAL,
		  "not \"\"");
	test_call(ctx, apmatrix_set_root(ctx, APMATRIX_ROOT_ETC, NULL), -EINVAL,
		  "not (null)");
	test_call(ctx, apmatrix_set_root(ctx, 3, "/x"), -EINVAL,
		  "unknown root 3");
	ck_assert_int_eq(apmatrix_set_root(NULL, 0, "/x"), -EINVAL);
	ck_assert_str_eq(apmatrix_get_root(ctx, APMATRIX_ROOT_ETC), "/etc");
	apmatrix_unref(ctx);
}
END_TEST

START_TEST(test_diagnostic)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	struct captured c = {0};
	char longer[2000];

	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "");
	ck_assert_str_eq(apmatrix_get_diagnostic(NULL), "");
	apmatrix_set_log_fn(ctx, capture, &c);
	ck_assert_int_eq(apmatrix_set_log_priority(ctx, LOG_DEBUG), 0);
	ck_assert_int_eq(apmatrix_diag(ctx, -EINVAL, "bad %s at %d", "x", 3),
			 -EINVAL);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "bad x at 3");
#ifdef APMATRIX_ENABLE_DEBUG
	ck_assert_int_eq(c.count, 1);
	ck_assert_int_eq(c.priority, LOG_DEBUG);
	ck_assert_str_eq(c.msg, "bad x at 3");
#endif
	ck_assert_int_eq(apmatrix_diag(NULL, -ENOMEM, "x"), -ENOMEM);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	ck_assert_int_eq(apmatrix_diag(ctx, 0, "%s", longer), 0);
	ck_assert_uint_eq(strlen(apmatrix_get_diagnostic(ctx)),
			  sizeof(ctx->diagnostic) - 1);
	apmatrix_diag_clear(ctx);
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "");
	apmatrix_diag_clear(NULL);
	apmatrix_unref(ctx);
}
END_TEST

/* A caller that forgets to quote still gets a one-line message. */
START_TEST(test_diagnostic_control_chars)
{
	struct apmatrix_ctx *ctx = test_ctx_new();
	char longer[600];

	apmatrix_diag(ctx, -EINVAL, "uuid %s bad", "a\nb\tc\x1b[31m\x7f");
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx),
			 "uuid a\\nb\\tc\\x1b[31m\\x7f bad");
	/* Escapes that no longer fit are dropped whole. */
	memset(longer, '\n', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	apmatrix_diag(ctx, -EINVAL, "%s", longer);
	ck_assert_uint_eq(strlen(apmatrix_get_diagnostic(ctx)), 510);
	ck_assert_ptr_null(strchr(apmatrix_get_diagnostic(ctx), '\n'));
	/* Non-ASCII text (UTF-8) passes unchanged. */
	apmatrix_diag(ctx, 0, "caf\xc3\xa9");
	ck_assert_str_eq(apmatrix_get_diagnostic(ctx), "caf\xc3\xa9");
	apmatrix_unref(ctx);
}
END_TEST

static const char *quote(char *buf, size_t size, const char *text,
			 size_t maxlen)
{
	const char *r = apmatrix_diag_quote(buf, size, text, maxlen);

	ck_assert_ptr_eq(r, buf);
	ck_assert_uint_lt(strlen(buf), size);
	return buf;
}

START_TEST(test_diag_quote)
{
	char b[APMATRIX_QUOTE_SIZE], small[12];
	char longer[200];

	ck_assert_str_eq(quote(b, sizeof(b), "abc", SIZE_MAX), "\"abc\"");
	ck_assert_str_eq(quote(b, sizeof(b), "", SIZE_MAX), "\"\"");
	ck_assert_str_eq(quote(b, sizeof(b), NULL, SIZE_MAX), "(null)");
	ck_assert_str_eq(
		quote(b, sizeof(b), "a\nb\"c\\d\te\r\x01\xff", SIZE_MAX),
		"\"a\\nb\\\"c\\\\d\\te\\r\\x01\\xff\"");
	/* maxlen takes a slice; a NUL before it ends the text. */
	ck_assert_str_eq(quote(b, sizeof(b), "abcdef", 3), "\"abc\"");
	ck_assert_str_eq(quote(b, sizeof(b), "ab", 10), "\"ab\"");
	/* Exactly fitting text is not cut; one byte more is. */
	ck_assert_str_eq(quote(small, sizeof(small), "123456789", SIZE_MAX),
			 "\"123456789\"");
	ck_assert_str_eq(quote(small, sizeof(small), "1234567890", SIZE_MAX),
			 "\"123456\"...");
	/* An escape is never split. */
	ck_assert_str_eq(quote(small, sizeof(small), "12345\n7890", SIZE_MAX),
			 "\"12345\"...");
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	quote(b, sizeof(b), longer, SIZE_MAX);
	ck_assert_uint_eq(strlen(b), sizeof(b) - 1);
	ck_assert_str_eq(b + sizeof(b) - 5, "\"...");
	/* Too small for anything useful: empty, never overrun. */
	ck_assert_str_eq(quote(small, 5, "abc", SIZE_MAX), "");
	ck_assert_str_eq(quote(small, 6, "abc", SIZE_MAX), "\"abc\"");
	ck_assert_str_eq(quote(small, 6, "abcd", SIZE_MAX), "\"\"...");
	ck_assert_str_eq(apmatrix_diag_quote(NULL, 0, "abc", SIZE_MAX), "");
}
END_TEST

START_TEST(test_diag_char)
{
	char c[APMATRIX_CHAR_SIZE];

	ck_assert_str_eq(apmatrix_diag_char(c, 'g'), "'g'");
	ck_assert_str_eq(apmatrix_diag_char(c, '\n'), "'\\n'");
	ck_assert_str_eq(apmatrix_diag_char(c, '\''), "'\\''");
	ck_assert_str_eq(apmatrix_diag_char(c, '"'), "'\"'");
	ck_assert_str_eq(apmatrix_diag_char(c, '\\'), "'\\\\'");
	ck_assert_str_eq(apmatrix_diag_char(c, '\x01'), "'\\x01'");
	ck_assert_str_eq(apmatrix_diag_char(c, (char)0xff), "'\\xff'");
}
END_TEST

START_TEST(test_strerror)
{
	static const int errs[] = {
		EINVAL,        ENOMEM,     ENOENT, EEXIST,    ERANGE, ENODEV,
		EADDRNOTAVAIL, EADDRINUSE, EBUSY,  EACCES,    EPERM,  EIO,
		ENOTSUP,       EAGAIN,     EINTR,  ETIMEDOUT, EUSERS};

	ck_assert_str_eq(apmatrix_strerror(-ENODEV),
			 "adapter or domain ID out of range for this host");
	ck_assert_str_eq(apmatrix_strerror(-EADDRNOTAVAIL),
			 "APQN reserved for the host (apmask/aqmask)");
	ck_assert_str_eq(apmatrix_strerror(-EADDRINUSE),
			 "APQN assigned to another mediated device");
	ck_assert_str_eq(
		apmatrix_strerror(-EBUSY),
		"APQN in use: the host cannot reclaim an assigned queue");
	ck_assert_str_eq(apmatrix_strerror(EBUSY), apmatrix_strerror(-EBUSY));
	ck_assert_str_eq(apmatrix_strerror(-9999), "unknown error");
	ck_assert_str_eq(apmatrix_strerror(0), "success");
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *s = apmatrix_strerror(-errs[i]);

		ck_assert_ptr_nonnull(s);
		ck_assert_str_ne(s, "unknown error");
	}
	for (int e = -200; e <= 200; e++)
		ck_assert_ptr_nonnull(apmatrix_strerror(e));
	ck_assert_ptr_nonnull(apmatrix_strerror(-2147483647 - 1));
}
END_TEST

static Suite *ctx_suite(void)
{
	Suite *s = suite_create("ctx");
	TCase *tc = tcase_create("ctx");

	tcase_add_test(tc, test_new_ref_unref);
	tcase_add_test(tc, test_log_env);
	tcase_add_test(tc, test_log_env_diagnostic);
	tcase_add_test(tc, test_log_priority);
	tcase_add_test(tc, test_log_hook);
	tcase_add_test(tc, test_log_default_stderr);
	tcase_add_test(tc, test_roots);
	tcase_add_test(tc, test_diagnostic);
	tcase_add_test(tc, test_diagnostic_control_chars);
	tcase_add_test(tc, test_diag_quote);
	tcase_add_test(tc, test_diag_char);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(ctx_suite());
}
