/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private declarations shared by the library's source files and the unit
 * tests (which link the object library and may reach inside).
 */
#ifndef APMATRIX_INTERNAL_H
#define APMATRIX_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#include "apmatrix.h"

#define APMATRIX_EXPORT __attribute__((visibility("default")))

#define APMATRIX_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* ------------------------------------------------------------------ */
/* Context, logging, diagnostics (ctx.c)                               */

struct apmatrix_ctx {
	int refcount;
	apmatrix_log_fn log_fn;
	void *log_data;
	int log_priority;
	char *roots[3];
	char diagnostic[512];
};

void apmatrix_log_impl(struct apmatrix_ctx *ctx, int priority, const char *file,
		       int line, const char *fn, const char *fmt, ...)
	APMATRIX_PRINTF(6, 7);

/* The priority test comes before any formatting. */
#define apmatrix_log_cond(ctx, prio, ...)                                      \
	do {                                                                   \
		if ((ctx) && (ctx)->log_priority >= (prio))                    \
			apmatrix_log_impl(ctx, prio, __FILE__, __LINE__,       \
					  __func__, __VA_ARGS__);              \
	} while (0)

#ifdef APMATRIX_ENABLE_DEBUG
#define dbg(ctx, ...) apmatrix_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#else
#define dbg(ctx, ...)                                                          \
	do {                                                                   \
		if (0)                                                         \
			apmatrix_log_cond(ctx, LOG_DEBUG, __VA_ARGS__);        \
	} while (0)
#endif
#define info(ctx, ...) apmatrix_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define warn(ctx, ...) apmatrix_log_cond(ctx, LOG_WARNING, __VA_ARGS__)
#define err(ctx, ...) apmatrix_log_cond(ctx, LOG_ERR, __VA_ARGS__)

/*
 * Record the message apmatrix_get_diagnostic() returns and log it at debug
 * level. Returns @err so a failing path can `return diag(ctx, -EINVAL, ...)`.
 * ctx may be NULL (then nothing is recorded). The message stays one line:
 * control characters that reach it unquoted are escaped (`\n`, `\x01`);
 * user text should still go through apmatrix_diag_quote() so it is delimited.
 */
int apmatrix_diag(struct apmatrix_ctx *ctx, int err, const char *fmt, ...)
	APMATRIX_PRINTF(3, 4);

/*
 * Forget the last diagnostic. Every fallible public entry point calls this
 * first, so a success leaves "" and a failure only its own message.
 * ctx may be NULL.
 */
void apmatrix_diag_clear(struct apmatrix_ctx *ctx);

/* Buffer sizes for apmatrix_diag_quote() and apmatrix_diag_char(). */
#define APMATRIX_QUOTE_SIZE 96
#define APMATRIX_CHAR_SIZE 8

/*
 * User text for a diagnostic: at most @maxlen bytes of @text (less when a NUL
 * comes first; SIZE_MAX for the whole string) as a double-quoted C string
 * with escapes (`\n`, `\"`, `\\`, `\x01` for other control and non-ASCII
 * bytes). When the result does not fit @size it is cut and `...` follows the
 * closing quote: "0123456789abcdef"... A NULL @text gives (null), unquoted.
 * Returns @buf.
 */
const char *apmatrix_diag_quote(char *buf, size_t size, const char *text,
				size_t maxlen);

/* One character in single quotes with C escapes: 'g', '\n', '\x01'. */
const char *apmatrix_diag_char(char buf[APMATRIX_CHAR_SIZE], char c);

/* ------------------------------------------------------------------ */
/* 256-bit ID bitmaps (bits.h-style inline helpers)                    */

/*
 * Bit n lives in w[n / 64] at value (1 << (63 - n % 64)): bit 0 is the most
 * significant bit of w[0], so printing w[0..3] as %016llx gives the kernel's
 * mask text directly.
 */
struct apmatrix_bits {
	uint64_t w[4];
};

static inline uint64_t apmatrix_bit_value(unsigned int id)
{
	return UINT64_C(1) << (63 - (id & 63));
}

static inline void bits_set(struct apmatrix_bits *b, unsigned int id)
{
	b->w[(id >> 6) & 3] |= apmatrix_bit_value(id);
}

static inline void bits_clear(struct apmatrix_bits *b, unsigned int id)
{
	b->w[(id >> 6) & 3] &= ~apmatrix_bit_value(id);
}

static inline int bits_test(const struct apmatrix_bits *b, unsigned int id)
{
	return id < 256 && (b->w[id >> 6] & apmatrix_bit_value(id)) != 0;
}

static inline void bits_and(struct apmatrix_bits *d,
			    const struct apmatrix_bits *a,
			    const struct apmatrix_bits *b)
{
	for (int i = 0; i < 4; i++)
		d->w[i] = a->w[i] & b->w[i];
}

static inline void bits_or(struct apmatrix_bits *d,
			   const struct apmatrix_bits *a,
			   const struct apmatrix_bits *b)
{
	for (int i = 0; i < 4; i++)
		d->w[i] = a->w[i] | b->w[i];
}

static inline void bits_andnot(struct apmatrix_bits *d,
			       const struct apmatrix_bits *a,
			       const struct apmatrix_bits *b)
{
	for (int i = 0; i < 4; i++)
		d->w[i] = a->w[i] & ~b->w[i];
}

static inline int bits_empty(const struct apmatrix_bits *b)
{
	return (b->w[0] | b->w[1] | b->w[2] | b->w[3]) == 0;
}

static inline int bits_intersects(const struct apmatrix_bits *a,
				  const struct apmatrix_bits *b)
{
	return ((a->w[0] & b->w[0]) | (a->w[1] & b->w[1]) |
		(a->w[2] & b->w[2]) | (a->w[3] & b->w[3])) != 0;
}

static inline int bits_equal(const struct apmatrix_bits *a,
			     const struct apmatrix_bits *b)
{
	return a->w[0] == b->w[0] && a->w[1] == b->w[1] && a->w[2] == b->w[2] &&
	       a->w[3] == b->w[3];
}

static inline unsigned int bits_count(const struct apmatrix_bits *b)
{
	return (unsigned int)(__builtin_popcountll(b->w[0]) +
			      __builtin_popcountll(b->w[1]) +
			      __builtin_popcountll(b->w[2]) +
			      __builtin_popcountll(b->w[3]));
}

/* The smallest ID >= from in b, or -1. */
static inline int bits_next(const struct apmatrix_bits *b, unsigned int from)
{
	while (from < 256) {
		uint64_t w = b->w[from >> 6] & (~UINT64_C(0) >> (from & 63));

		if (w)
			return (int)((from & ~63u) +
				     (unsigned int)__builtin_clzll(w));
		from = (from & ~63u) + 64;
	}
	return -1;
}

/* IDs above max (inclusive limit) removed. */
static inline void bits_limit(struct apmatrix_bits *b, unsigned int max)
{
	for (unsigned int i = 0; i < 4; i++) {
		unsigned int first = i * 64;

		if (max < first)
			b->w[i] = 0;
		else if (max < first + 63)
			b->w[i] &= ~(~UINT64_C(0) >> (max - first + 1));
	}
}

#define bits_foreach(id, b)                                                    \
	for (int id = bits_next((b), 0); id >= 0;                              \
	     id = bits_next((b), (unsigned int)id + 1))

/* ------------------------------------------------------------------ */
/* Objects shared across files                                         */

/*
 * The references of an object that may be embedded in another one (an ID
 * set in a matrix or host, a matrix in an mdev, an APQN list in a report).
 * A free-standing object counts its own references (count starts at 1); an
 * embedded one forwards them to its owner; one embedded without an owner
 * (count 0) is neither counted nor freed.
 */
struct apmatrix_refs {
	int count;
	void *owner;
	void (*owner_ref)(void *owner);
	void (*owner_unref)(void *owner);
};

static inline void apmatrix_refs_embed(struct apmatrix_refs *r, void *owner,
				       void (*owner_ref)(void *),
				       void (*owner_unref)(void *))
{
	r->count = 0;
	r->owner = owner;
	r->owner_ref = owner_ref;
	r->owner_unref = owner_unref;
}

static inline void apmatrix_refs_get(struct apmatrix_refs *r)
{
	if (r->owner) {
		if (r->owner_ref)
			r->owner_ref(r->owner);
	} else if (r->count > 0) {
		r->count++;
	}
}

/* Drop a reference; 1 when the object itself must now be freed. */
static inline int apmatrix_refs_put(struct apmatrix_refs *r)
{
	if (r->owner) {
		if (r->owner_unref)
			r->owner_unref(r->owner);
		return 0;
	}
	return r->count > 0 && --r->count == 0;
}

struct apmatrix_idset {
	struct apmatrix_refs refs;
	struct apmatrix_ctx *ctx;
	struct apmatrix_bits bits;
};

/* Initialise an idset embedded in another object. */
void apmatrix_idset_init_embedded(struct apmatrix_idset *set,
				  struct apmatrix_ctx *ctx, void *owner,
				  void (*owner_ref)(void *),
				  void (*owner_unref)(void *));

struct apmatrix_matrix {
	struct apmatrix_refs refs;
	struct apmatrix_ctx *ctx;
	struct apmatrix_idset adapters;
	struct apmatrix_idset domains;
	struct apmatrix_idset controls;
};

void apmatrix_matrix_init_embedded(struct apmatrix_matrix *m,
				   struct apmatrix_ctx *ctx, void *owner,
				   void (*owner_ref)(void *),
				   void (*owner_unref)(void *));

struct apmatrix_apqn_list {
	struct apmatrix_refs refs;
	struct apmatrix_ctx *ctx;
	unsigned int count;
	unsigned int alloc;
	uint16_t *apqns; /* sorted ascending, distinct */
};

void apmatrix_apqn_list_init_embedded(struct apmatrix_apqn_list *list,
				      struct apmatrix_ctx *ctx, void *owner,
				      void (*owner_ref)(void *),
				      void (*owner_unref)(void *));
/* Free the storage of an embedded list. */
void apmatrix_apqn_list_release(struct apmatrix_apqn_list *list);
/*
 * Add an APQN below APMATRIX_MAX_APQNS at its place (nothing if present);
 * adding in ascending order costs no search. Leaves the diagnostic alone
 * unless it fails (-ENOMEM).
 */
int apmatrix_apqn_list_insert(struct apmatrix_apqn_list *list,
			      unsigned int apqn);

/* Check that flags hold only bits of allowed. */
static inline int apmatrix_flags_ok(unsigned int flags, unsigned int allowed)
{
	return (flags & ~allowed) == 0;
}

/* ------------------------------------------------------------------ */
/* Change events (monitor.c)                                           */

struct udev_device;

/*
 * The typed event one uevent means: 1 with *ret, 0 when the uevent is not
 * one we report, -EBADMSG for an AP uevent whose values cannot be read,
 * -ENOMEM. Separate from reading so tests can feed uevents from the
 * environment (udev_device_new_from_environment()).
 */
int apmatrix_monitor_decode(struct apmatrix_ctx *ctx, struct udev_device *dev,
			    struct apmatrix_event **ret);

#endif /* APMATRIX_INTERNAL_H */
