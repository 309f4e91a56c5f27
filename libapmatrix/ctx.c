// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library context: roots, log hook and priority, the last diagnostic.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix-internal.h"

static const char *const default_roots[3] = {"/sys", "/etc", "/run"};

static void log_stderr(void *data, int priority, const char *file, int line,
		       const char *fn, const char *msg)
{
	fprintf(stderr, "libapmatrix: %s: %s\n", fn, msg);
}

/*
 * APMATRIX_LOG: a number 0-7 or a name. Anything else leaves the default,
 * so a typo never silences errors.
 */
static int log_priority_from_string(const char *s)
{
	static const struct {
		const char *name;
		int priority;
	} names[] = {
		{"err", LOG_ERR},
		{"warning", LOG_WARNING},
		{"info", LOG_INFO},
		{"debug", LOG_DEBUG},
	};

	if (s[0] >= '0' && s[0] <= '7' && s[1] == '\0')
		return s[0] - '0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].priority;
	return -EINVAL;
}

APMATRIX_EXPORT int apmatrix_new(struct apmatrix_ctx **ret)
{
	char q[APMATRIX_QUOTE_SIZE];
	struct apmatrix_ctx *ctx;
	const char *env;

	if (!ret)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_fn = log_stderr;
	ctx->log_priority = LOG_ERR;
	for (int i = 0; i < 3; i++) {
		ctx->roots[i] = strdup(default_roots[i]);
		if (!ctx->roots[i]) {
			apmatrix_unref(ctx);
			return -ENOMEM;
		}
	}
	env = secure_getenv("APMATRIX_LOG");
	if (env) {
		int prio = log_priority_from_string(env);

		if (prio >= 0)
			ctx->log_priority = prio;
		else
			apmatrix_diag(ctx, 0,
				      "APMATRIX_LOG=%s is not a log priority "
				      "(0-7, err, warning, info, debug)",
				      apmatrix_diag_quote(q, sizeof(q), env,
							  SIZE_MAX));
	}
	dbg(ctx, "context %p created, log priority %d", (void *)ctx,
	    ctx->log_priority);
	*ret = ctx;
	return 0;
}

APMATRIX_EXPORT struct apmatrix_ctx *apmatrix_ref(struct apmatrix_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

APMATRIX_EXPORT struct apmatrix_ctx *apmatrix_unref(struct apmatrix_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return NULL;
	for (int i = 0; i < 3; i++)
		free(ctx->roots[i]);
	free(ctx);
	return NULL;
}

APMATRIX_EXPORT void apmatrix_set_log_fn(struct apmatrix_ctx *ctx,
					 apmatrix_log_fn fn, void *data)
{
	if (!ctx)
		return;
	ctx->log_fn = fn ? fn : log_stderr;
	ctx->log_data = fn ? data : NULL;
}

APMATRIX_EXPORT int apmatrix_get_log_priority(const struct apmatrix_ctx *ctx)
{
	if (!ctx)
		return -EINVAL;
	return ctx->log_priority;
}

APMATRIX_EXPORT int apmatrix_set_log_priority(struct apmatrix_ctx *ctx,
					      int priority)
{
	if (!ctx)
		return -EINVAL;
	apmatrix_diag_clear(ctx);
	if (priority < 0 || priority > LOG_DEBUG)
		return apmatrix_diag(ctx, -EINVAL,
				     "log priority %d out of range (0-7)",
				     priority);
	ctx->log_priority = priority;
	return 0;
}

APMATRIX_EXPORT int apmatrix_set_root(struct apmatrix_ctx *ctx,
				      unsigned int which, const char *path)
{
	char q[APMATRIX_QUOTE_SIZE];
	char *copy;

	if (!ctx)
		return -EINVAL;
	apmatrix_diag_clear(ctx);
	if (which > APMATRIX_ROOT_RUN)
		return apmatrix_diag(ctx, -EINVAL, "unknown root %u (0-%u)",
				     which, (unsigned int)APMATRIX_ROOT_RUN);
	if (!path || path[0] != '/')
		return apmatrix_diag(
			ctx, -EINVAL, "root must be an absolute path, not %s",
			apmatrix_diag_quote(q, sizeof(q), path, SIZE_MAX));
	copy = strdup(path);
	if (!copy)
		return apmatrix_diag(ctx, -ENOMEM, "out of memory");
	free(ctx->roots[which]);
	ctx->roots[which] = copy;
	dbg(ctx, "root %u is now %s", which, copy);
	return 0;
}

APMATRIX_EXPORT const char *apmatrix_get_root(const struct apmatrix_ctx *ctx,
					      unsigned int which)
{
	if (!ctx || which > APMATRIX_ROOT_RUN)
		return NULL;
	return ctx->roots[which];
}

APMATRIX_EXPORT const char *
apmatrix_get_diagnostic(const struct apmatrix_ctx *ctx)
{
	if (!ctx)
		return "";
	return ctx->diagnostic;
}

/* The C escape of one byte; returns its length (at most 4). */
static size_t escape_char(char out[APMATRIX_CHAR_SIZE], char c)
{
	unsigned char u = (unsigned char)c;

	switch (c) {
	case '\n':
		return (size_t)snprintf(out, APMATRIX_CHAR_SIZE, "\\n");
	case '\t':
		return (size_t)snprintf(out, APMATRIX_CHAR_SIZE, "\\t");
	case '\r':
		return (size_t)snprintf(out, APMATRIX_CHAR_SIZE, "\\r");
	case '\\':
		return (size_t)snprintf(out, APMATRIX_CHAR_SIZE, "\\\\");
	case '"':
		return (size_t)snprintf(out, APMATRIX_CHAR_SIZE, "\\\"");
	default:
		if (u < 0x20 || u >= 0x7f)
			return (size_t)snprintf(out, APMATRIX_CHAR_SIZE,
						"\\x%02x", u);
		out[0] = c;
		out[1] = '\0';
		return 1;
	}
}

const char *apmatrix_diag_quote(char *buf, size_t size, const char *text,
				size_t maxlen)
{
	char e[APMATRIX_CHAR_SIZE];
	size_t len, full = 2, limit, n = 0;
	int cut = 0;

	if (!buf || size == 0)
		return "";
	if (!text) {
		snprintf(buf, size, "(null)");
		return buf;
	}
	/* Two quotes, "..." and the NUL must fit. */
	if (size < 6) {
		buf[0] = '\0';
		return buf;
	}
	len = strnlen(text, maxlen);
	for (size_t i = 0; i < len && full < size; i++)
		full += escape_char(e, text[i]);
	/* Without a cut only the closing quote and the NUL follow. */
	limit = full < size ? size - 2 : size - 5;
	buf[n++] = '"';
	for (size_t i = 0; i < len; i++) {
		size_t el = escape_char(e, text[i]);

		if (n + el > limit) {
			cut = 1;
			break;
		}
		memcpy(buf + n, e, el);
		n += el;
	}
	buf[n++] = '"';
	if (cut) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

const char *apmatrix_diag_char(char buf[APMATRIX_CHAR_SIZE], char c)
{
	char e[APMATRIX_CHAR_SIZE];
	size_t n;

	/* In single quotes a double quote needs no escape, a single one does.
	 */
	if (c == '\'') {
		snprintf(buf, APMATRIX_CHAR_SIZE, "'\\''");
		return buf;
	}
	if (c == '"') {
		snprintf(buf, APMATRIX_CHAR_SIZE, "'\"'");
		return buf;
	}
	n = escape_char(e, c);
	buf[0] = '\'';
	memcpy(buf + 1, e, n);
	buf[n + 1] = '\'';
	buf[n + 2] = '\0';
	return buf;
}

void apmatrix_diag_clear(struct apmatrix_ctx *ctx)
{
	if (ctx)
		ctx->diagnostic[0] = '\0';
}

int apmatrix_diag(struct apmatrix_ctx *ctx, int err, const char *fmt, ...)
{
	char msg[sizeof(ctx->diagnostic)];
	size_t n = 0;
	va_list ap;

	if (!ctx)
		return err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/*
	 * A caller that forgot to quote user text must not get a message of
	 * two lines (or one with terminal escapes): escape control characters.
	 */
	for (const char *p = msg; *p; p++) {
		unsigned char u = (unsigned char)*p;
		char e[APMATRIX_CHAR_SIZE];
		size_t el = 1;

		if (u < 0x20 || u == 0x7f)
			el = escape_char(e, *p);
		else
			e[0] = *p;
		if (n + el >= sizeof(ctx->diagnostic))
			break;
		memcpy(ctx->diagnostic + n, e, el);
		n += el;
	}
	ctx->diagnostic[n] = '\0';
	dbg(ctx, "%s", ctx->diagnostic);
	return err;
}

void apmatrix_log_impl(struct apmatrix_ctx *ctx, int priority, const char *file,
		       int line, const char *fn, const char *fmt, ...)
{
	char msg[1024];
	size_t len;
	va_list ap;

	if (!ctx || !ctx->log_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The hook gets messages without a trailing newline. */
	len = strlen(msg);
	while (len > 0 && msg[len - 1] == '\n')
		msg[--len] = '\0';
	ctx->log_fn(ctx->log_data, priority, file, line, fn, msg);
}

APMATRIX_EXPORT const char *apmatrix_strerror(int err)
{
	/* Unsigned, so INT_MIN does not overflow. */
	unsigned int e = err < 0 ? 0u - (unsigned int)err : (unsigned int)err;

	switch (e) {
	case 0:
		return "success";
	case EINVAL:
		return "invalid argument or syntax";
	case ENOMEM:
		return "out of memory";
	case ENOENT:
		return "no such object (adapter, domain, queue, mdev or file)";
	case EEXIST:
		return "object already exists";
	case ERANGE:
		return "number out of range";
	case ENODEV:
		return "adapter or domain ID out of range for this host";
	case EADDRNOTAVAIL:
		return "APQN reserved for the host (apmask/aqmask)";
	case EADDRINUSE:
		return "APQN assigned to another mediated device";
	case EBUSY:
		return "APQN in use: the host cannot reclaim an assigned queue";
	case EACCES:
		return "permission denied";
	case EPERM:
		return "operation not permitted";
	case EIO:
		return "input/output error";
	case ENOTSUP:
		return "not supported by this kernel";
	case EAGAIN:
		return "resource temporarily unavailable, try again";
	case EINTR:
		return "interrupted";
	case ETIMEDOUT:
		return "timed out";
	case ENOSPC:
		return "no space left (mdev instances or storage)";
	case EUSERS:
		return "no mediated device instances left";
	case ENOTDIR:
		return "not a directory";
	case ENAMETOOLONG:
		return "path too long";
	case ELOOP:
		return "too many symbolic links";
	case EROFS:
		return "read-only file system";
	case ECANCELED:
		return "operation canceled";
	case EOVERFLOW:
		return "value too large";
	case ESRCH:
		return "no such process";
	case EDEADLK:
		return "lock would deadlock";
	case ENOLCK:
		return "lock not available";
	case ENOTEMPTY:
		return "directory not empty";
	case EFAULT:
		return "bad address";
	case EMFILE:
	case ENFILE:
		return "too many open files";
	default:
		return "unknown error";
	}
}
