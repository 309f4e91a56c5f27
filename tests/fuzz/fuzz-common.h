/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared helpers of the libFuzzer harnesses. Each harness feeds one parser
 * of the public API and checks properties that must hold for every input;
 * a violated property aborts, so libFuzzer saves the input as a crash.
 */
#ifndef APMATRIX_FUZZ_COMMON_H
#define APMATRIX_FUZZ_COMMON_H

#include <apmatrix.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond, ...)                                               \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__,       \
			        __LINE__, #cond);                            \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
			abort();                                             \
		}                                                            \
	} while (0)

/* The parsers take C strings: an exact-size copy, so ASan sees any read
 * past the terminating NUL. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		abort();
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

static void fuzz_log_discard(void *data, int priority, const char *file,
                             int line, const char *fn, const char *msg)
{
	(void)data;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	(void)msg;
}

/* A quiet context: the parsers' debug messages would only slow us down. */
static inline struct apmatrix_ctx *fuzz_ctx(void)
{
	struct apmatrix_ctx *ctx = NULL;

	if (apmatrix_new(&ctx) < 0 || !ctx)
		abort();
	apmatrix_set_log_fn(ctx, fuzz_log_discard, NULL);
	apmatrix_set_log_priority(ctx, 3);
	return ctx;
}

/*
 * Leave a known diagnostic before the call under test, so that a check can
 * tell a fresh message from a stale one: a refused log priority leaves its
 * message and changes nothing else. Fresh means not exactly that message
 * (the input text may well contain its words: the fuzzer puts them there).
 */
#define FUZZ_STALE "log priority 99 out of range (0-7)"

static inline void fuzz_plant_diag(struct apmatrix_ctx *ctx)
{
	if (apmatrix_set_log_priority(ctx, 99) != -EINVAL ||
	    strcmp(apmatrix_get_diagnostic(ctx), FUZZ_STALE) != 0)
		abort();
}

/* The call under test failed or warned: a fresh message of one line. */
static inline void fuzz_assert_diag(struct apmatrix_ctx *ctx, const char *what)
{
	const char *diag = apmatrix_get_diagnostic(ctx);
	const char *p;

	FUZZ_ASSERT(diag != NULL && diag[0] != '\0',
	            "%s failed without a diagnostic", what);
	FUZZ_ASSERT(strcmp(diag, FUZZ_STALE) != 0,
	            "%s left the stale diagnostic \"%s\"", what, diag);
	for (p = diag; *p; p++)
		FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f,
		            "%s: control character 0x%02x in the diagnostic "
		            "\"%s\"", what, (unsigned char)*p, diag);
}

/* The call under test succeeded without a warning: no diagnostic. */
static inline void fuzz_assert_no_diag(struct apmatrix_ctx *ctx,
                                       const char *what)
{
	const char *diag = apmatrix_get_diagnostic(ctx);

	FUZZ_ASSERT(diag != NULL && diag[0] == '\0',
	            "%s succeeded but left the diagnostic \"%s\"", what, diag);
}

/*
 * Check a snprintf()-style formatter: NULL/0 gives the length, a big buffer
 * gets exactly that many bytes and a NUL, a short buffer a truncated,
 * terminated prefix. Returns the text (to free) or NULL on -EINVAL.
 */
typedef int (*fuzz_format_fn)(const void *obj, unsigned int how, char *buf,
                              size_t size);

static inline char *fuzz_format(fuzz_format_fn fn, const void *obj,
                                unsigned int how, const char *what)
{
	int len = fn(obj, how, NULL, 0);
	int len2, len3;
	char *buf;
	char small[5];

	if (len == -EINVAL)
		return NULL;
	FUZZ_ASSERT(len >= 0, "%s(NULL, 0) returned %d", what, len);
	buf = malloc((size_t)len + 1);
	if (!buf)
		abort();
	memset(buf, 'Z', (size_t)len + 1);
	len2 = fn(obj, how, buf, (size_t)len + 1);
	FUZZ_ASSERT(len2 == len, "%s: length %d, then %d", what, len, len2);
	FUZZ_ASSERT(buf[len] == '\0' && strlen(buf) == (size_t)len,
	            "%s: text is not %d bytes and a NUL", what, len);
	memset(small, 'Z', sizeof(small));
	len3 = fn(obj, how, small, sizeof(small));
	FUZZ_ASSERT(len3 == len, "%s: short buffer: %d, not %d", what, len3, len);
	FUZZ_ASSERT(memchr(small, '\0', sizeof(small)) != NULL &&
	            strncmp(small, buf, strlen(small)) == 0 &&
	            strlen(small) == (len < 4 ? (size_t)len : 4),
	            "%s: short buffer not a terminated prefix", what);
	return buf;
}

#endif /* APMATRIX_FUZZ_COMMON_H */
