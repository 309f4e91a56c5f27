/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file apmatrix.h
 * @brief libapmatrix: the AP matrix of IBM Z crypto adapters for KVM guests.
 *
 * The one public header of libapmatrix. Everything is an opaque,
 * reference-counted object tied to a context (struct apmatrix_ctx).
 *
 * Conventions:
 * - Fallible calls return an int: 0 (or a documented non-negative value) on
 *   success, a negative errno value on failure. New objects come back
 *   through a trailing out-parameter that is written only on success.
 * - Bad arguments give -EINVAL; nothing aborts, asserts or exits.
 * - Diagnostics: apmatrix_get_diagnostic() describes the last fallible call
 *   on the context. Such a call (one that returns an error code: actions,
 *   parsers, formatters, constructors) first clears it; a failure then sets
 *   a one-line message naming what was wrong and where, and a success that
 *   warns sets the warning. Queries (getters, tests, counts, iterators)
 *   leave it alone, except that one refusing a bad argument records why.
 *   User text in a message is quoted with C escapes and may be shortened
 *   (`"0x1g"`, `"0123..."...`). A call given a NULL object has no context
 *   to record anything in, and only returns -EINVAL.
 * - Every action, parser and formatter takes an `unsigned int flags` that
 *   must be 0 or a combination of documented bits, otherwise -EINVAL.
 * - `_unref()` accepts NULL and always returns NULL.
 * - Formatting functions follow snprintf(): they write at most @p size bytes
 *   including the terminating NUL and return the length of the full text
 *   (without the NUL), so a call with a NULL buffer and size 0 asks for the
 *   length.
 *
 * Thread safety: libapmatrix is thread-aware, not thread-safe. It keeps no
 * global or static mutable state, starts no threads, installs no signal
 * handlers, and never forks or execs. A context and every object obtained
 * from it share reference counts and caches. They must therefore be used by
 * at most one thread at a time; callers that share them must serialize
 * access. Independent contexts may be used concurrently. All file
 * descriptors are opened O_CLOEXEC. apmatrix_new() reads the environment, so
 * do not call setenv() concurrently with it.
 *
 * IDs: adapters and domains are numbered 0 to 255. In every mask bit 0 is the
 * leftmost bit, as the kernel and the architecture number them. An APQN (AP
 * queue number) pairs an adapter with a domain and is written `AA.DDDD` in
 * hexadecimal (`04.0047`), as sysfs and lszcrypt write it.
 */
#ifndef APMATRIX_H
#define APMATRIX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup ctx Context
 * @{
 */

/** @brief The library context: roots, log hook, diagnostics. @since 0.1 */
struct apmatrix_ctx;

/**
 * @brief Log hook.
 *
 * Receives messages already formatted, so bindings can take it.
 * @param data the pointer given to apmatrix_set_log_fn()
 * @param priority a syslog priority (LOG_ERR = 3 ... LOG_DEBUG = 7)
 * @param file source file of the message
 * @param line source line
 * @param fn function name
 * @param msg the formatted message, without a trailing newline
 * @since 0.1
 */
typedef void (*apmatrix_log_fn)(void *data, int priority, const char *file,
                                int line, const char *fn, const char *msg);

/**
 * @brief Create a new library context.
 *
 * The log priority starts at LOG_ERR, or at the value of the environment
 * variable `APMATRIX_LOG` (a number 0-7 or one of `err`, `warning`, `info`,
 * `debug`; any other value keeps LOG_ERR and leaves a diagnostic). Roots
 * start at `/sys`, `/etc` and `/run`.
 * @param[out] ret the new context, with a reference count of 1
 * @return 0, or -ENOMEM, -EINVAL
 * @since 0.1
 */
int apmatrix_new(struct apmatrix_ctx **ret);

/**
 * @brief Take a reference on a context.
 * @param ctx the context, or NULL
 * @return @p ctx
 * @since 0.1
 */
struct apmatrix_ctx *apmatrix_ref(struct apmatrix_ctx *ctx);

/**
 * @brief Drop a reference on a context; the last one frees it.
 * @param ctx the context, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_ctx *apmatrix_unref(struct apmatrix_ctx *ctx);

/**
 * @brief Install the log hook.
 *
 * The default hook writes to stderr with the prefix `libapmatrix: `.
 * @param ctx the context
 * @param fn the hook, or NULL to restore the default
 * @param data passed to @p fn unchanged
 * @since 0.1
 */
void apmatrix_set_log_fn(struct apmatrix_ctx *ctx, apmatrix_log_fn fn,
                         void *data);

/**
 * @brief The current log priority: messages above it are not formatted.
 * @param ctx the context
 * @return a syslog priority, 0 to 7, or -EINVAL for a NULL context
 * @since 0.1
 */
int apmatrix_get_log_priority(const struct apmatrix_ctx *ctx);

/**
 * @brief Set the log priority.
 * @param ctx the context
 * @param priority a syslog priority, 0 to 7
 * @return 0, or -EINVAL for a NULL context or a priority out of range
 * @since 0.1
 */
int apmatrix_set_log_priority(struct apmatrix_ctx *ctx, int priority);

/** @brief Which root directory a context resolves paths under. @since 0.1 */
enum apmatrix_root {
	APMATRIX_ROOT_SYSFS = 0, /**< sysfs, default `/sys` */
	APMATRIX_ROOT_ETC = 1,   /**< configuration, default `/etc` */
	APMATRIX_ROOT_RUN = 2    /**< runtime state and locks, default `/run` */
};

/**
 * @brief Point one of the context's roots somewhere else.
 *
 * Used for fixture trees, captured hosts and containers.
 * @param ctx the context
 * @param which an enum apmatrix_root value
 * @param path an absolute path (copied)
 * @return 0, or -EINVAL for a NULL context, an unknown root or a relative,
 *         empty or NULL path, -ENOMEM
 * @since 0.1
 */
int apmatrix_set_root(struct apmatrix_ctx *ctx, unsigned int which,
                      const char *path);

/**
 * @brief One of the context's roots.
 * @param ctx the context
 * @param which an enum apmatrix_root value
 * @return the path (valid until the root is changed or the context freed),
 *         or NULL for an unknown root
 * @since 0.1
 */
const char *apmatrix_get_root(const struct apmatrix_ctx *ctx,
                              unsigned int which);

/**
 * @brief The message of the last fallible call on this context.
 *
 * After a failure it names what was wrong and where, for example
 * `invalid character 'g' at offset 3 in mask "0x1g"`; after a success that
 * warns it gives the warning; after a clean success it is "". It is one
 * line: user text in it is quoted with C escapes, so it holds no control
 * characters. Queries (getters, counts, tests, iterators) leave it alone
 * unless they refuse an argument.
 * @param ctx the context
 * @return the message, or "" when there is none; valid until the next
 *         fallible call on the context
 * @since 0.1
 */
const char *apmatrix_get_diagnostic(const struct apmatrix_ctx *ctx);

/**
 * @brief A description of an error code returned by the library.
 *
 * Covers every negative errno the library returns, with the meaning it has
 * for AP (for example -EADDRINUSE: an APQN belongs to another mediated
 * device).
 * @param err a negative (or positive) errno value
 * @return a static string, never NULL
 * @since 0.1
 */
const char *apmatrix_strerror(int err);

/** @} */

/**
 * @defgroup idset ID sets
 * Sets of adapter or domain IDs, 0 to 255.
 * @{
 */

/** @brief Number of adapter IDs and of domain IDs. @since 0.1 */
#define APMATRIX_MAX_IDS 256

/** @brief A set of 256 adapter or domain IDs. @since 0.1 */
struct apmatrix_idset;

/** @brief The text syntaxes of ID sets. @since 0.1 */
enum apmatrix_syntax {
	/** Kernel mask: `0x` (optional) + up to 64 hex digits, bit 0 leftmost,
	 *  zero-padded on the right; replaces the set. */
	APMATRIX_SYNTAX_MASK = 1,
	/** Relative edits `+N`, `-N`, `+N-M`, `-N-M`, comma separated, applied
	 *  left to right to the current set; numbers in base 0. Exactly what
	 *  the kernel takes: runs of commas and newlines between terms are
	 *  skipped and terms may follow each other directly (`+1+2`; `+1-2-3`
	 *  sets 1-2 and clears 3). */
	APMATRIX_SYNTAX_RELATIVE = 2,
	/** List of IDs and ranges `1,3,5-7,0x47`, numbers in base 0;
	 *  replaces the set. As chzdev reads it, empty items are skipped and
	 *  blanks may precede a number; unlike chzdev, a reversed range (`5-3`)
	 *  is refused. Empty text is the empty set. Formats as compact decimal
	 *  ranges `0-120,129-255`, runs of two or more IDs as ranges (`5-6`). */
	APMATRIX_SYNTAX_LIST = 3,
	/** What `/sys/bus/ap/apmask` accepts: relative when the text starts
	 *  with `+` or `-`, otherwise a mask. Parse only. */
	APMATRIX_SYNTAX_KERNEL = 4,
	/** What `chzdev --type ap apmask=` accepts: relative when the text
	 *  starts with `+` or `-` (then every comma-separated term carries its
	 *  sign), otherwise a list; an empty value is refused, as chzdev
	 *  refuses it. Parse only. */
	APMATRIX_SYNTAX_CHZDEV = 5
};

/** @brief Warning bits returned by successful parses. @since 0.1 */
enum apmatrix_warning {
	/** A number with a leading zero was read as octal, as the kernel
	 *  does (`010` is 8). */
	APMATRIX_WARN_OCTAL = 1
};

/**
 * @brief Create an empty ID set.
 * @param ctx the context
 * @param[out] ret the new set
 * @return 0, or -EINVAL (a NULL argument), -ENOMEM
 * @since 0.1
 */
int apmatrix_idset_new(struct apmatrix_ctx *ctx, struct apmatrix_idset **ret);

/**
 * @brief Take a reference. A set owned by another object (a matrix, a
 * host) forwards the reference to its owner, so it keeps the owner alive.
 * @param set the set, or NULL
 * @return @p set
 * @since 0.1
 */
struct apmatrix_idset *apmatrix_idset_ref(struct apmatrix_idset *set);

/**
 * @brief Drop a reference.
 * @param set the set, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_idset *apmatrix_idset_unref(struct apmatrix_idset *set);

/**
 * @brief The context of a set.
 *
 * The context is not part of the set (the set holds a reference on it), so
 * a const set still gives a context that can be used to create objects.
 * @param set the set
 * @return the context (borrowed, valid as long as the set), or NULL for a
 *         NULL set
 * @since 0.1
 */
struct apmatrix_ctx *apmatrix_idset_get_ctx(const struct apmatrix_idset *set);

/**
 * @brief Add an ID.
 * @param set the set
 * @param id 0 to 255
 * @return 0, or -EINVAL for a NULL set or an ID over 255
 * @since 0.1
 */
int apmatrix_idset_set(struct apmatrix_idset *set, unsigned int id);

/**
 * @brief Remove an ID.
 * @param set the set
 * @param id 0 to 255
 * @return 0, or -EINVAL for a NULL set or an ID over 255
 * @since 0.1
 */
int apmatrix_idset_clear(struct apmatrix_idset *set, unsigned int id);

/**
 * @brief Remove every ID.
 * @param set the set
 * @return 0, or -EINVAL for a NULL set
 * @since 0.1
 */
int apmatrix_idset_clear_all(struct apmatrix_idset *set);

/**
 * @brief Whether an ID is in the set.
 * @param set the set
 * @param id 0 to 255
 * @return 1 if present, 0 if not (also for IDs out of range)
 * @since 0.1
 */
int apmatrix_idset_test(const struct apmatrix_idset *set, unsigned int id);

/**
 * @brief Number of IDs in the set.
 * @param set the set
 * @return 0 to 256 (0 for a NULL set)
 * @since 0.1
 */
unsigned int apmatrix_idset_get_count(const struct apmatrix_idset *set);

/**
 * @brief Iterate: the smallest ID in the set that is at least @p from.
 *
 * `for (id = apmatrix_idset_next(s, 0); id >= 0; id = apmatrix_idset_next(s, id + 1))`
 * @param set the set
 * @param from where to start, 0 to 256
 * @return the ID, or -ENOENT when there is none (no diagnostic: the end of
 *         an iteration is no failure), -EINVAL for a NULL set or @p from
 *         over 256
 * @since 0.1
 */
int apmatrix_idset_next(const struct apmatrix_idset *set, unsigned int from);

/**
 * @brief Make @p dst a copy of @p src.
 * @param dst the set to change
 * @param src the set to copy
 * @return 0, or -EINVAL for a NULL set
 * @since 0.1
 */
int apmatrix_idset_assign(struct apmatrix_idset *dst,
                          const struct apmatrix_idset *src);

/**
 * @brief @p dst becomes @p dst ∪ @p src.
 * @param dst the set to change
 * @param src the other set
 * @return 0, or -EINVAL for a NULL set
 * @since 0.1
 */
int apmatrix_idset_union(struct apmatrix_idset *dst,
                         const struct apmatrix_idset *src);

/**
 * @brief @p dst becomes @p dst ∩ @p src.
 * @param dst the set to change
 * @param src the other set
 * @return 0, or -EINVAL for a NULL set
 * @since 0.1
 */
int apmatrix_idset_intersect(struct apmatrix_idset *dst,
                             const struct apmatrix_idset *src);

/**
 * @brief @p dst becomes @p dst \ @p src.
 * @param dst the set to change
 * @param src the IDs to remove
 * @return 0, or -EINVAL for a NULL set
 * @since 0.1
 */
int apmatrix_idset_subtract(struct apmatrix_idset *dst,
                            const struct apmatrix_idset *src);

/**
 * @brief Whether two sets hold the same IDs.
 * @param a one set
 * @param b the other set
 * @return 1 if equal, 0 if not (also when either is NULL)
 * @since 0.1
 */
int apmatrix_idset_equal(const struct apmatrix_idset *a,
                         const struct apmatrix_idset *b);

/**
 * @brief Parse text into the set.
 *
 * On failure the set is unchanged and apmatrix_get_diagnostic() names the
 * offending character or token and its offset. One trailing newline is
 * accepted, as sysfs writes carry one.
 * @param set the set
 * @param text the text
 * @param syntax an enum apmatrix_syntax value
 * @param flags 0
 * @return 0, or a positive combination of enum apmatrix_warning bits (the
 *         set was changed; the diagnostic says why it warned), or -EINVAL
 *         (bad text, an ID over 255, an unknown syntax or flag, a NULL
 *         argument)
 * @since 0.1
 */
int apmatrix_idset_parse(struct apmatrix_idset *set, const char *text,
                         unsigned int syntax, unsigned int flags);

/**
 * @brief Format the set.
 * @param set the set
 * @param syntax APMATRIX_SYNTAX_MASK (`0x` + 64 hex digits) or
 *        APMATRIX_SYNTAX_LIST (compact decimal ranges; empty text for an
 *        empty set)
 * @param flags 0
 * @param buf where to write, or NULL when @p size is 0
 * @param size size of @p buf
 * @return the length of the full text, or -EINVAL (another syntax, unknown
 *         flags, a NULL set, a NULL @p buf with a size)
 * @since 0.1
 */
int apmatrix_idset_format(const struct apmatrix_idset *set,
                          unsigned int syntax, unsigned int flags, char *buf,
                          size_t size);

/**
 * @brief Parse one ID as the kernel's assign attributes do (kstrtoul base 0).
 * @param ctx the context, for the diagnostic (may be NULL: then there is
 *        none)
 * @param text decimal, `0x` hex or leading-zero octal, one trailing newline
 *        allowed; like kstrtoul(), one leading `+` too
 * @param flags 0
 * @param[out] ret the ID, 0 to 255; written only on success
 * @return 0, APMATRIX_WARN_OCTAL (read as octal; @p ret is set), or -EINVAL
 *         (not a number, an ID over 255, unknown flags, a NULL argument)
 * @since 0.1
 */
int apmatrix_id_parse(struct apmatrix_ctx *ctx, const char *text,
                      unsigned int flags, unsigned int *ret);

/** @} */

/**
 * @defgroup apqn APQNs
 * @{
 */

/** @brief Make an APQN from an adapter and a domain ID. @since 0.1 */
#define APMATRIX_APQN(adapter, domain) \
	((((unsigned int)(adapter)&0xffu) << 8) | ((unsigned int)(domain)&0xffu))
/** @brief The adapter ID of an APQN. @since 0.1 */
#define APMATRIX_APQN_ADAPTER(apqn) (((unsigned int)(apqn) >> 8) & 0xffu)
/** @brief The domain ID of an APQN. @since 0.1 */
#define APMATRIX_APQN_DOMAIN(apqn) ((unsigned int)(apqn)&0xffu)
/** @brief Number of possible APQNs. @since 0.1 */
#define APMATRIX_MAX_APQNS 65536

/**
 * @brief Parse an APQN written `AA.DDDD` (hex; `0x` prefixes and fewer
 * digits accepted, as in `4.47`; one trailing newline allowed).
 * @param ctx the context, for the diagnostic (may be NULL: then there is
 *        none)
 * @param text the text
 * @param flags 0
 * @param[out] ret the APQN (see APMATRIX_APQN()); written only on success
 * @return 0, or -EINVAL (bad text, an ID over 0xff, unknown flags, a NULL
 *         argument)
 * @since 0.1
 */
int apmatrix_apqn_parse(struct apmatrix_ctx *ctx, const char *text,
                        unsigned int flags, unsigned int *ret);

/**
 * @brief Format an APQN as `AA.DDDD`.
 *
 * Takes no context, so a failure has no diagnostic.
 * @param apqn the APQN
 * @param flags 0
 * @param buf where to write, or NULL when @p size is 0
 * @param size size of @p buf (8 bytes suffice)
 * @return 7, or -EINVAL for an APQN over 0xffff, unknown flags or a NULL
 *         @p buf with a size
 * @since 0.1
 */
int apmatrix_apqn_format(unsigned int apqn, unsigned int flags, char *buf,
                         size_t size);

/** @brief An ordered list of distinct APQNs. @since 0.1 */
struct apmatrix_apqn_list;

/**
 * @brief Create an empty APQN list.
 * @param ctx the context
 * @param[out] ret the new list
 * @return 0, or -EINVAL (a NULL argument), -ENOMEM
 * @since 0.1
 */
int apmatrix_apqn_list_new(struct apmatrix_ctx *ctx,
                           struct apmatrix_apqn_list **ret);

/**
 * @brief Take a reference.
 * @param list the list, or NULL
 * @return @p list
 * @since 0.1
 */
struct apmatrix_apqn_list *
apmatrix_apqn_list_ref(struct apmatrix_apqn_list *list);

/**
 * @brief Drop a reference.
 * @param list the list, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_apqn_list *
apmatrix_apqn_list_unref(struct apmatrix_apqn_list *list);

/**
 * @brief Number of APQNs in the list.
 * @param list the list
 * @return the count (0 for a NULL list)
 * @since 0.1
 */
unsigned int apmatrix_apqn_list_get_count(const struct apmatrix_apqn_list *list);

/**
 * @brief One APQN of the list; lists are sorted adapter-major, ascending.
 * @param list the list
 * @param index 0 to count - 1
 * @return the APQN, or -EINVAL for a NULL list or an index out of range
 * @since 0.1
 */
int apmatrix_apqn_list_get_apqn(const struct apmatrix_apqn_list *list,
                                unsigned int index);

/**
 * @brief Add an APQN (kept sorted; adding one already present does nothing).
 * @param list the list
 * @param apqn the APQN
 * @return 0, or -EINVAL for a NULL list or an APQN over 0xffff, -ENOMEM
 * @since 0.1
 */
int apmatrix_apqn_list_add(struct apmatrix_apqn_list *list, unsigned int apqn);

/**
 * @brief Whether the list holds an APQN.
 * @param list the list
 * @param apqn the APQN
 * @return 1 or 0 (0 for a NULL list)
 * @since 0.1
 */
int apmatrix_apqn_list_contains(const struct apmatrix_apqn_list *list,
                                unsigned int apqn);

/**
 * @brief Parse APQNs separated by commas, blanks or newlines and add them.
 *
 * All or nothing: on failure the list is unchanged.
 * @param list the list
 * @param text the text, for example `04.0047,05.0001` or the lines of a
 *        sysfs `matrix` file that name whole APQNs
 * @param flags 0
 * @return 0, or -EINVAL (bad text, with the offending token in the
 *         diagnostic; unknown flags; a NULL argument), -ENOMEM
 * @since 0.1
 */
int apmatrix_apqn_list_parse(struct apmatrix_apqn_list *list, const char *text,
                             unsigned int flags);

/**
 * @brief Format the list as `AA.DDDD` joined by @p separator.
 * @param list the list
 * @param separator for example "," or "\n" (a separator ending in a
 *        newline also ends a non-empty text, as sysfs does)
 * @param flags 0
 * @param buf where to write, or NULL when @p size is 0
 * @param size size of @p buf
 * @return the length of the full text, or -EINVAL (unknown flags, a NULL
 *         list or separator, a NULL @p buf with a size)
 * @since 0.1
 */
int apmatrix_apqn_list_format(const struct apmatrix_apqn_list *list,
                              const char *separator, unsigned int flags,
                              char *buf, size_t size);

/** @} */

/**
 * @defgroup matrix Matrices
 * An AP matrix: adapters, usage domains and control domains. The queues a
 * guest may use are the cross product adapters x usage domains.
 * @{
 */

/** @brief An AP matrix. @since 0.1 */
struct apmatrix_matrix;

/** @brief Text forms of a matrix. @since 0.1 */
enum apmatrix_matrix_syntax {
	/** The mdev `ap_config` triple `0x<apm>,0x<aqm>,0x<adm>` (short masks
	 *  accepted; formats as three full masks and a newline). */
	APMATRIX_MATRIX_AP_CONFIG = 1,
	/** The sysfs `matrix`/`guest_matrix` text: `AA.DDDD` per APQN, or
	 *  `AA.` per adapter when no domain is assigned, or `.DDDD` per domain
	 *  when no adapter is; one per line. Sets adapters and usage domains. */
	APMATRIX_MATRIX_SYSFS = 2,
	/** The sysfs `control_domains` text: `%04x` per line. Sets the control
	 *  domains only. */
	APMATRIX_MATRIX_CONTROL_DOMAINS = 3
};

/**
 * @brief Create an empty matrix.
 * @param ctx the context
 * @param[out] ret the new matrix
 * @return 0, or -EINVAL (a NULL argument), -ENOMEM
 * @since 0.1
 */
int apmatrix_matrix_new(struct apmatrix_ctx *ctx, struct apmatrix_matrix **ret);

/**
 * @brief Take a reference.
 * @param matrix the matrix, or NULL
 * @return @p matrix
 * @since 0.1
 */
struct apmatrix_matrix *apmatrix_matrix_ref(struct apmatrix_matrix *matrix);

/**
 * @brief Drop a reference.
 * @param matrix the matrix, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_matrix *apmatrix_matrix_unref(struct apmatrix_matrix *matrix);

/**
 * @brief The context of a matrix.
 *
 * As for apmatrix_idset_get_ctx(), the context is not part of the matrix.
 * @param matrix the matrix
 * @return the context (borrowed, valid as long as the matrix), or NULL for
 *         a NULL matrix
 * @since 0.1
 */
struct apmatrix_ctx *
apmatrix_matrix_get_ctx(const struct apmatrix_matrix *matrix);

/**
 * @brief The assigned adapters, to read or change in place.
 * @param matrix the matrix
 * @return the set, owned by the matrix and valid as long as it (its
 *         ref/unref act on the matrix), or NULL for a NULL matrix
 * @since 0.1
 */
struct apmatrix_idset *
apmatrix_matrix_get_adapters(struct apmatrix_matrix *matrix);

/**
 * @brief The assigned usage domains, to read or change in place.
 * @param matrix the matrix
 * @return the set, owned by the matrix, as apmatrix_matrix_get_adapters()
 * @since 0.1
 */
struct apmatrix_idset *
apmatrix_matrix_get_usage_domains(struct apmatrix_matrix *matrix);

/**
 * @brief The assigned control domains, to read or change in place.
 * @param matrix the matrix
 * @return the set, owned by the matrix, as apmatrix_matrix_get_adapters()
 * @since 0.1
 */
struct apmatrix_idset *
apmatrix_matrix_get_control_domains(struct apmatrix_matrix *matrix);

/**
 * @brief Make @p dst a copy of @p src.
 * @param dst the matrix to change
 * @param src the matrix to copy
 * @return 0, or -EINVAL for a NULL matrix
 * @since 0.1
 */
int apmatrix_matrix_assign(struct apmatrix_matrix *dst,
                           const struct apmatrix_matrix *src);

/**
 * @brief Whether two matrices assign the same IDs.
 * @param a one matrix
 * @param b the other
 * @return 1 or 0 (0 when either is NULL)
 * @since 0.1
 */
int apmatrix_matrix_equal(const struct apmatrix_matrix *a,
                          const struct apmatrix_matrix *b);

/**
 * @brief Number of APQNs in the cross product adapters x usage domains.
 * @param matrix the matrix
 * @return 0 to 65536 (0 for a NULL matrix)
 * @since 0.1
 */
unsigned int apmatrix_matrix_get_apqn_count(const struct apmatrix_matrix *matrix);

/**
 * @brief Whether an APQN is in the cross product.
 * @param matrix the matrix
 * @param apqn the APQN
 * @return 1 or 0 (0 for a NULL matrix or an APQN over 0xffff)
 * @since 0.1
 */
int apmatrix_matrix_contains(const struct apmatrix_matrix *matrix,
                             unsigned int apqn);

/**
 * @brief Iterate the cross product adapter-major: the smallest APQN in it
 * that is at least @p from.
 * @param matrix the matrix
 * @param from where to start, 0 to 65536
 * @return the APQN, or -ENOENT when there is none (no diagnostic), -EINVAL
 *         for a NULL matrix or @p from over 65536
 * @since 0.1
 */
int apmatrix_matrix_next_apqn(const struct apmatrix_matrix *matrix,
                              unsigned int from);

/**
 * @brief The APQNs two matrices share (their products intersect where both
 * the adapter and the usage-domain sets do; control domains never count).
 * @param a one matrix
 * @param b the other
 * @param[out] ret a new list, empty when nothing is shared
 * @return the number of shared APQNs, or -EINVAL (a NULL argument),
 *         -ENOMEM
 * @since 0.1
 */
int apmatrix_matrix_get_shared_apqns(const struct apmatrix_matrix *a,
                                     const struct apmatrix_matrix *b,
                                     struct apmatrix_apqn_list **ret);

/**
 * @brief Parse text into the matrix.
 *
 * APMATRIX_MATRIX_AP_CONFIG replaces all three sets, APMATRIX_MATRIX_SYSFS
 * adapters and usage domains (the text must be a full cross product, as the
 * kernel prints it), APMATRIX_MATRIX_CONTROL_DOMAINS the control domains.
 * All or nothing: on failure the matrix is unchanged.
 *
 * AP_CONFIG is read as the kernel's `ap_config` store reads it: split at
 * `,` and newlines, three masks needed, anything after the third ignored
 * (so `0x8,0x4\n` has an empty third mask). Text longer than the 201 bytes
 * the kernel reads is refused. SYSFS and CONTROL_DOMAINS take one ID or
 * APQN a line, in any order, each once, no empty lines; the last newline
 * may be missing.
 * @param matrix the matrix
 * @param text the text
 * @param syntax an enum apmatrix_matrix_syntax value
 * @param flags 0
 * @return 0, or -EINVAL (bad text, with the offending token in the
 *         diagnostic; an unknown syntax or flag; a NULL argument), -ENOMEM
 * @since 0.1
 */
int apmatrix_matrix_parse(struct apmatrix_matrix *matrix, const char *text,
                          unsigned int syntax, unsigned int flags);

/**
 * @brief Format the matrix as the kernel does.
 *
 * The text is complete: the kernel fills at most a page and prints only IDs
 * up to its limits, this function neither (a full SYSFS matrix is 512 KiB).
 * @param matrix the matrix
 * @param syntax an enum apmatrix_matrix_syntax value
 * @param flags 0
 * @param buf where to write, or NULL when @p size is 0
 * @param size size of @p buf
 * @return the length of the full text, or -EINVAL (an unknown syntax or
 *         flag, a NULL matrix, a NULL @p buf with a size)
 * @since 0.1
 */
int apmatrix_matrix_format(const struct apmatrix_matrix *matrix,
                           unsigned int syntax, unsigned int flags, char *buf,
                           size_t size);

/** @} */

/**
 * @defgroup host Host description
 * What a host has: limits, configuration masks, reservation masks, cards
 * and queues. Built in memory (for "what if" checks and tests) or read
 * from sysfs with apmatrix_host_read() (see @ref discovery).
 * @{
 */

/** @brief A description of an AP host. @since 0.1 */
struct apmatrix_host;

/** @brief Crypto card modes. @since 0.1 */
enum apmatrix_card_mode {
	APMATRIX_MODE_UNKNOWN = 0, /**< not known */
	APMATRIX_MODE_ACCEL = 1,   /**< accelerator (`CEX8A`) */
	APMATRIX_MODE_CCA = 2,     /**< CCA coprocessor (`CEX8C`) */
	APMATRIX_MODE_EP11 = 3     /**< EP11 coprocessor (`CEX8P`) */
};

/** @brief Card and queue state bits. @since 0.1 */
enum apmatrix_state {
	APMATRIX_STATE_ONLINE = 1,  /**< `online` is 1 */
	APMATRIX_STATE_CONFIG = 2,  /**< `config` is 1 (configured) */
	APMATRIX_STATE_CHKSTOP = 4  /**< `chkstop` is 1 (check-stopped) */
};

/** @brief Which driver a queue is bound to. @since 0.1 */
enum apmatrix_driver {
	APMATRIX_DRIVER_NONE = 0,    /**< unbound */
	APMATRIX_DRIVER_DEFAULT = 1, /**< a host (zcrypt) driver, `cex4queue` */
	APMATRIX_DRIVER_VFIO_AP = 2  /**< `vfio_ap` */
};

/**
 * @brief Create a host description.
 *
 * It starts as a host with APXA (`ap_max_adapter_id` and
 * `ap_max_domain_id` 255), empty configuration masks, all-ones `apmask`
 * and `aqmask` (the kernel's default) and no cards.
 * @param ctx the context
 * @param[out] ret the new host
 * @return 0, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_host_new(struct apmatrix_ctx *ctx, struct apmatrix_host **ret);

/**
 * @brief Take a reference.
 * @param host the host, or NULL
 * @return @p host
 * @since 0.1
 */
struct apmatrix_host *apmatrix_host_ref(struct apmatrix_host *host);

/**
 * @brief Drop a reference.
 * @param host the host, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_host *apmatrix_host_unref(struct apmatrix_host *host);

/**
 * @brief The context of a host.
 * @param host the host
 * @return the context (borrowed)
 * @since 0.1
 */
struct apmatrix_ctx *apmatrix_host_get_ctx(const struct apmatrix_host *host);

/**
 * @brief Set `ap_max_adapter_id` and `ap_max_domain_id`.
 * @param host the host
 * @param max_adapter_id 0 to 255 (63 without APXA)
 * @param max_domain_id 0 to 255 (15 without APXA)
 * @return 0, or -EINVAL
 * @since 0.1
 */
int apmatrix_host_set_max_ids(struct apmatrix_host *host,
                              unsigned int max_adapter_id,
                              unsigned int max_domain_id);

/**
 * @brief `ap_max_adapter_id`.
 * @param host the host
 * @return 0 to 255
 * @since 0.1
 */
unsigned int apmatrix_host_get_max_adapter_id(const struct apmatrix_host *host);

/**
 * @brief `ap_max_domain_id`.
 * @param host the host
 * @return 0 to 255
 * @since 0.1
 */
unsigned int apmatrix_host_get_max_domain_id(const struct apmatrix_host *host);

/**
 * @brief The adapters configured to the host (`ap_adapter_mask`), to read
 * or change in place.
 * @param host the host
 * @return the set, owned by the host
 * @since 0.1
 */
struct apmatrix_idset *apmatrix_host_get_adapter_mask(struct apmatrix_host *host);

/**
 * @brief The usage domains of the host (`ap_usage_domain_mask`).
 * @param host the host
 * @return the set, owned by the host
 * @since 0.1
 */
struct apmatrix_idset *
apmatrix_host_get_usage_domain_mask(struct apmatrix_host *host);

/**
 * @brief The control domains of the host (`ap_control_domain_mask`).
 * @param host the host
 * @return the set, owned by the host
 * @since 0.1
 */
struct apmatrix_idset *
apmatrix_host_get_control_domain_mask(struct apmatrix_host *host);

/**
 * @brief The active `apmask` (adapters reserved for host drivers).
 * @param host the host
 * @return the set, owned by the host
 * @since 0.1
 */
struct apmatrix_idset *apmatrix_host_get_apmask(struct apmatrix_host *host);

/**
 * @brief The active `aqmask` (domains reserved for host drivers).
 * @param host the host
 * @return the set, owned by the host
 * @since 0.1
 */
struct apmatrix_idset *apmatrix_host_get_aqmask(struct apmatrix_host *host);

/**
 * @brief Add (or replace) a card.
 *
 * Also adds the adapter to `ap_adapter_mask`.
 * @param host the host
 * @param adapter 0 to 255
 * @param hwtype the `hwtype` (10 = CEX4 ... 14 = CEX8)
 * @param mode an enum apmatrix_card_mode value
 * @param state enum apmatrix_state bits
 * @return 0, or -EINVAL
 * @since 0.1
 */
int apmatrix_host_add_card(struct apmatrix_host *host, unsigned int adapter,
                           unsigned int hwtype, unsigned int mode,
                           unsigned int state);

/**
 * @brief Remove a card and its queues.
 *
 * The configuration masks are left as they are, so a card that is
 * configured but has no device (its queues missing) can be described.
 * @param host the host
 * @param adapter 0 to 255
 * @return 0, -ENOENT when there is no such card, -EINVAL
 * @since 0.1
 */
int apmatrix_host_remove_card(struct apmatrix_host *host, unsigned int adapter);

/**
 * @brief Whether a card exists.
 * @param host the host
 * @param adapter 0 to 255
 * @return 1 or 0
 * @since 0.1
 */
int apmatrix_host_has_card(const struct apmatrix_host *host,
                           unsigned int adapter);

/**
 * @brief Set a card's state.
 * @param host the host
 * @param adapter 0 to 255
 * @param state enum apmatrix_state bits
 * @return 0, or -ENOENT, -EINVAL
 * @since 0.1
 */
int apmatrix_host_set_card_state(struct apmatrix_host *host,
                                 unsigned int adapter, unsigned int state);

/**
 * @brief Add (or replace) a queue of an existing card.
 *
 * Also adds the domain to `ap_usage_domain_mask`.
 * @param host the host
 * @param apqn the queue
 * @param driver an enum apmatrix_driver value
 * @param state enum apmatrix_state bits
 * @return 0, or -ENOENT when the card does not exist, -EINVAL
 * @since 0.1
 */
int apmatrix_host_add_queue(struct apmatrix_host *host, unsigned int apqn,
                            unsigned int driver, unsigned int state);

/**
 * @brief Remove a queue.
 * @param host the host
 * @param apqn the queue
 * @return 0, or -ENOENT, -EINVAL
 * @since 0.1
 */
int apmatrix_host_remove_queue(struct apmatrix_host *host, unsigned int apqn);

/**
 * @brief Whether a queue exists.
 * @param host the host
 * @param apqn the queue
 * @return 1 or 0
 * @since 0.1
 */
int apmatrix_host_has_queue(const struct apmatrix_host *host,
                            unsigned int apqn);

/**
 * @brief Bind a queue to another driver.
 * @param host the host
 * @param apqn the queue
 * @param driver an enum apmatrix_driver value
 * @return 0, or -ENOENT, -EINVAL
 * @since 0.1
 */
int apmatrix_host_set_queue_driver(struct apmatrix_host *host,
                                   unsigned int apqn, unsigned int driver);

/**
 * @brief Bind every queue as the kernel does after a mask change: queues in
 * `apmask` x `aqmask` to the default driver, all others to vfio_ap (except
 * on cards older than CEX4, `hwtype` below 10, which vfio_ap does not take:
 * those queues are left unbound).
 * @param host the host
 * @return 0, or -EINVAL
 * @since 0.1
 */
int apmatrix_host_bind_by_masks(struct apmatrix_host *host);

/**
 * @brief Predict the matrix the guest gets (the kernel's `guest_matrix`).
 *
 * The assigned IDs are intersected with the host's configuration masks and
 * limits; then every adapter with a queue in the product that does not
 * exist or is not bound to vfio_ap is dropped whole, as the architecture
 * cannot take a single APQN away.
 * @param host the host
 * @param assigned the assigned matrix
 * @param[out] ret a new matrix
 * @return 0, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_host_predict_guest_matrix(const struct apmatrix_host *host,
                                       const struct apmatrix_matrix *assigned,
                                       struct apmatrix_matrix **ret);

/** @} */

/**
 * @defgroup mdev Mediated devices
 * A vfio_ap matrix mediated device: its identity (UUID, parent, type) and
 * its configurations, one matrix per role. One UUID can be live with one
 * matrix and defined with another at the same time: an admin changed the
 * definition while the guest runs, or started the device with other
 * attributes.
 * @{
 */

/** @brief A vfio_ap mediated device: identity and configurations. @since 0.1 */
struct apmatrix_mdev;

/** @brief The roles of an mdev's configurations. @since 0.1 */
enum apmatrix_role {
	/** The matrix assigned in sysfs now (the device exists). */
	APMATRIX_ROLE_LIVE = 1,
	/** The persistent definition (as mdevctl stores it). */
	APMATRIX_ROLE_DEFINED = 2,
	/** The matrix the kernel gives the guest of the live device
	 *  (`guest_matrix`); never checked for conflicts. */
	APMATRIX_ROLE_GUEST = 4
};

/** @brief Mediated device state bits, derived from the configurations.
 *  @since 0.1 */
enum apmatrix_mdev_state {
	APMATRIX_MDEV_ACTIVE = 1,   /**< has a live configuration */
	APMATRIX_MDEV_DEFINED = 2,  /**< has a definition */
	APMATRIX_MDEV_AUTOSTART = 4 /**< the definition starts at boot */
};

/**
 * @brief Create a mediated device: an identity without configurations.
 *
 * The parent starts as `matrix`, the type as `vfio_ap-passthrough`.
 * @param ctx the context
 * @param uuid the UUID, 36 characters `8-4-4-4-12` hex (upper case is
 *        accepted and kept lower case)
 * @param[out] ret the new mdev
 * @return 0, or -EINVAL for a malformed UUID, -ENOMEM
 * @since 0.1
 */
int apmatrix_mdev_new(struct apmatrix_ctx *ctx, const char *uuid,
                      struct apmatrix_mdev **ret);

/**
 * @brief Take a reference.
 * @param mdev the mdev, or NULL
 * @return @p mdev
 * @since 0.1
 */
struct apmatrix_mdev *apmatrix_mdev_ref(struct apmatrix_mdev *mdev);

/**
 * @brief Drop a reference.
 * @param mdev the mdev, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_mdev *apmatrix_mdev_unref(struct apmatrix_mdev *mdev);

/**
 * @brief The context of an mdev.
 * @param mdev the mdev
 * @return the context (borrowed)
 * @since 0.1
 */
struct apmatrix_ctx *apmatrix_mdev_get_ctx(const struct apmatrix_mdev *mdev);

/**
 * @brief The UUID, lower case.
 * @param mdev the mdev
 * @return the UUID, valid as long as the mdev
 * @since 0.1
 */
const char *apmatrix_mdev_get_uuid(const struct apmatrix_mdev *mdev);

/**
 * @brief The parent device name (`matrix` unless set).
 * @param mdev the mdev
 * @return the name, valid until it is set again or the mdev is freed
 * @since 0.1
 */
const char *apmatrix_mdev_get_parent(const struct apmatrix_mdev *mdev);

/**
 * @brief Set the parent device name.
 * @param mdev the mdev
 * @param parent one path component: 1 to 255 bytes, no `/`, no control
 *        characters, not `.` or `..` (copied)
 * @return 0, or -EINVAL (the name is unchanged)
 * @since 0.1
 */
int apmatrix_mdev_set_parent(struct apmatrix_mdev *mdev, const char *parent);

/**
 * @brief The mdev type (`vfio_ap-passthrough` unless set).
 * @param mdev the mdev
 * @return the type, valid until it is set again or the mdev is freed
 * @since 0.1
 */
const char *apmatrix_mdev_get_type(const struct apmatrix_mdev *mdev);

/**
 * @brief Set the mdev type.
 * @param mdev the mdev
 * @param type as for apmatrix_mdev_set_parent()
 * @return 0, or -EINVAL (the type is unchanged)
 * @since 0.1
 */
int apmatrix_mdev_set_type(struct apmatrix_mdev *mdev, const char *type);

/**
 * @brief Add a configuration with an empty matrix. A new definition starts
 * manually (apmatrix_mdev_set_autostart() changes that).
 * @param mdev the mdev
 * @param role one enum apmatrix_role value
 * @param flags 0
 * @return 0, or -EEXIST when the mdev has a configuration in that role,
 *         -EINVAL for an unknown role or flags
 * @since 0.1
 */
int apmatrix_mdev_add_config(struct apmatrix_mdev *mdev, unsigned int role,
                             unsigned int flags);

/**
 * @brief Remove a configuration (its matrix is emptied).
 * @param mdev the mdev
 * @param role one enum apmatrix_role value
 * @param flags 0
 * @return 0, or -ENOENT when the mdev has no configuration in that role,
 *         -EINVAL for an unknown role or flags
 * @since 0.1
 */
int apmatrix_mdev_remove_config(struct apmatrix_mdev *mdev, unsigned int role,
                                unsigned int flags);

/**
 * @brief Whether the mdev has a configuration in a role.
 * @param mdev the mdev
 * @param role one enum apmatrix_role value
 * @return 1 or 0 (also for an unknown role)
 * @since 0.1
 */
int apmatrix_mdev_has_config(const struct apmatrix_mdev *mdev,
                             unsigned int role);

/**
 * @brief The matrix of a configuration, to read or change in place.
 * @param mdev the mdev
 * @param role one enum apmatrix_role value
 * @return the matrix, owned by the mdev (a reference on it keeps the mdev
 *         alive), or NULL when the mdev has no configuration in that role
 * @since 0.1
 */
struct apmatrix_matrix *apmatrix_mdev_get_matrix(struct apmatrix_mdev *mdev,
                                                 unsigned int role);

/**
 * @brief Whether the definition starts automatically (mdevctl
 * `start: auto`).
 * @param mdev the mdev
 * @return 1 (auto) or 0 (manual), or -ENOENT without a definition
 * @since 0.1
 */
int apmatrix_mdev_get_autostart(const struct apmatrix_mdev *mdev);

/**
 * @brief Set the start mode of the definition.
 * @param mdev the mdev
 * @param autostart 1 (auto) or 0 (manual)
 * @return 0, or -ENOENT without a definition, -EINVAL for other values
 * @since 0.1
 */
int apmatrix_mdev_set_autostart(struct apmatrix_mdev *mdev, int autostart);

/**
 * @brief The state, derived from the configurations: APMATRIX_MDEV_ACTIVE
 * with a live one, APMATRIX_MDEV_DEFINED with a definition, plus
 * APMATRIX_MDEV_AUTOSTART when it starts automatically.
 * @param mdev the mdev
 * @return enum apmatrix_mdev_state bits
 * @since 0.1
 */
unsigned int apmatrix_mdev_get_state(const struct apmatrix_mdev *mdev);

/** @} */

/**
 * @defgroup discovery Reading a host from sysfs
 * A host snapshot read under the context's sysfs root
 * (apmatrix_set_root(), APMATRIX_ROOT_SYSFS): a real `/sys`, a fixture tree
 * or a captured host. The snapshot is an ordinary struct apmatrix_host, so
 * everything of @ref host works on it. Cards and queues are looked at
 * through info objects: a copy of every property the snapshot holds, each
 * reading -ENODATA (or NULL) when sysfs did not say.
 *
 * What is read, relative to the root:
 * - `bus/ap`: `ap_max_adapter_id`, `ap_max_domain_id`, `features`,
 *   `apmask`, `aqmask`, `ap_adapter_mask`, `ap_usage_domain_mask`,
 *   `ap_control_domain_mask`, `bindings`, and the drivers' directories
 *   `bus/ap/drivers/NAME` (which queue is bound to which driver);
 * - `devices/ap/cardXX`: `hwtype`, `raw_hwtype`, `type`, `ap_functions`,
 *   `online`, `config`, `chkstop`; `devices/ap/cardXX/XX.YYYY`: `online`
 *   (host driver), `status` (vfio_ap), `config`, `chkstop`, and
 *   `driver_override` when both masks are all ones (the kernel accepts an
 *   override only then, and masks cannot change while one is set);
 * - `devices/vfio_ap/matrix`: `features` and one directory per live mdev
 *   (`ap_config`, or `matrix` and `control_domains` on kernels without it,
 *   and `guest_matrix`).
 * @{
 */

/** @brief What apmatrix_host_read() reads (0 = everything). @since 0.1 */
enum apmatrix_read_flags {
	/** `apmask`, `aqmask`, the host's configuration masks and `bindings` */
	APMATRIX_READ_MASKS = 1,
	/** cards and queues: properties and the driver each queue is bound to */
	APMATRIX_READ_DEVICES = 2,
	/** the live mediated devices (LIVE and GUEST configurations) */
	APMATRIX_READ_MDEVS = 4
};

/**
 * @brief Read a host snapshot under the context's sysfs root.
 *
 * Limits and features are always read. Attributes a kernel lacks are left
 * unknown (see apmatrix_host_get_known() and the info getters), not an
 * error. A `guest_matrix` or `matrix` the kernel cut at a page (more than
 * 511 APQNs) cannot be read completely: that configuration is left out
 * and the call succeeds with a warning in the diagnostic. An mdev directory
 * without `ap_config` and `matrix` (removed while it was read) is left out.
 * @param ctx the context
 * @param flags 0 for everything, or enum apmatrix_read_flags bits
 * @param[out] ret the new host
 * @return 0, or -ENODEV when there is no AP bus (`bus/ap` missing),
 *         -EINVAL for unknown flags or an attribute that cannot be parsed
 *         (the diagnostic names the file, relative to the root, and its
 *         text), -ENOMEM, or the errno of a failing open or read
 * @since 0.1
 */
int apmatrix_host_read(struct apmatrix_ctx *ctx, unsigned int flags,
                       struct apmatrix_host **ret);

/** @brief Parts of a host a snapshot may or may not know. @since 0.1 */
enum apmatrix_host_part {
	APMATRIX_HOST_LIMITS = 1,              /**< `ap_max_adapter_id`, `ap_max_domain_id` */
	APMATRIX_HOST_APMASK = 2,              /**< `apmask` */
	APMATRIX_HOST_AQMASK = 4,              /**< `aqmask` */
	APMATRIX_HOST_ADAPTER_MASK = 8,        /**< `ap_adapter_mask` */
	APMATRIX_HOST_USAGE_DOMAIN_MASK = 16,  /**< `ap_usage_domain_mask` */
	APMATRIX_HOST_CONTROL_DOMAIN_MASK = 32,/**< `ap_control_domain_mask` */
	APMATRIX_HOST_DEVICES = 64,            /**< cards, queues and their drivers */
	APMATRIX_HOST_MDEVS = 128              /**< the live mediated devices */
};

/**
 * @brief Which parts the host knows.
 *
 * A host built in memory knows everything. A snapshot knows what it was
 * asked to read and found: a mask the kernel does not have, or that was
 * not asked for, keeps the value apmatrix_host_new() gives it and is not
 * known. A QCI mask reading `not supported` is known and empty (the kernel
 * then passes nothing through).
 * @param host the host
 * @return enum apmatrix_host_part bits
 * @since 0.1
 */
unsigned int apmatrix_host_get_known(const struct apmatrix_host *host);

/** @brief What the kernel has. @since 0.1 */
enum apmatrix_feature {
	/** the AP bus has QCI: the configuration masks are not `not supported` */
	APMATRIX_FEATURE_QCI = 1,
	/** `APXA` in the bus `features` (256 adapters and domains) */
	APMATRIX_FEATURE_APXA = 2,
	/** `APSC` in the bus `features` */
	APMATRIX_FEATURE_APSC = 4,
	/** `QACT` in the bus `features` */
	APMATRIX_FEATURE_QACT = 8,
	/** `RC8A` in the bus `features` */
	APMATRIX_FEATURE_RC8A = 16,
	/** `APSB` in the bus `features` */
	APMATRIX_FEATURE_APSB = 32,
	/** vfio_ap is loaded: `devices/vfio_ap/matrix` exists */
	APMATRIX_FEATURE_VFIO_AP = 64,
	/** `guest_matrix` in the matrix `features` */
	APMATRIX_FEATURE_GUEST_MATRIX = 128,
	/** `hotplug` in the matrix `features` */
	APMATRIX_FEATURE_HOTPLUG = 256,
	/** `ap_config` in the matrix `features` */
	APMATRIX_FEATURE_AP_CONFIG = 512,
	/** queues have `driver_override` (Linux 6.19 and later) */
	APMATRIX_FEATURE_DRIVER_OVERRIDE = 1024
};

/**
 * @brief Whether the kernel has a feature.
 * @param host the host
 * @param feature one enum apmatrix_feature value
 * @return 1 or 0, -ENODATA when it is not known (the `features` file is
 *         missing, vfio_ap is not loaded for the matrix features, no queue
 *         was read for APMATRIX_FEATURE_DRIVER_OVERRIDE, or a host built in
 *         memory that was not told), -EINVAL for anything but one known bit
 * @since 0.1
 */
int apmatrix_host_has_feature(const struct apmatrix_host *host,
                              unsigned int feature);

/**
 * @brief Record whether the kernel has a feature (for hosts built in
 * memory).
 * @param host the host
 * @param feature one enum apmatrix_feature value
 * @param on 1 or 0
 * @return 0, or -EINVAL
 * @since 0.1
 */
int apmatrix_host_set_feature(struct apmatrix_host *host, unsigned int feature,
                              int on);

/**
 * @brief The bus `bindings`: bound and total queue and card devices.
 * @param host the host
 * @param[out] bound the bound devices (may be NULL)
 * @param[out] total all devices (may be NULL)
 * @return 1 when the kernel says `(complete)`, 0 when not, -ENODATA when
 *         unknown (then nothing is written), -EINVAL
 * @since 0.1
 */
int apmatrix_host_get_bindings(const struct apmatrix_host *host,
                               unsigned int *bound, unsigned int *total);

/**
 * @brief Whether the host hands out queues by per-queue `driver_override`
 * (Linux 6.19 and later) instead of `apmask`/`aqmask`: some queue has a
 * non-empty override. The two schemes exclude each other: the kernel takes
 * an override only while both masks are all ones, and refuses mask changes
 * while an override is set.
 * @param host the host
 * @return 1 or 0 (also for kernels without overrides), -ENODATA when the
 *         queues were not read, -EINVAL
 * @since 0.1
 */
int apmatrix_host_uses_driver_override(const struct apmatrix_host *host);

/**
 * @brief Iterate the cards: the smallest adapter ID with a card that is at
 * least @p from.
 * @param host the host
 * @param from where to start, 0 to 256
 * @return the adapter ID, or -ENOENT when there is none, -EINVAL
 * @since 0.1
 */
int apmatrix_host_next_card(const struct apmatrix_host *host,
                            unsigned int from);

/**
 * @brief Iterate the queues adapter-major: the smallest APQN with a queue
 * that is at least @p from.
 * @param host the host
 * @param from where to start, 0 to 65536
 * @return the APQN, or -ENOENT when there is none, -EINVAL
 * @since 0.1
 */
int apmatrix_host_next_queue(const struct apmatrix_host *host,
                             unsigned int from);

/** @brief A copy of what a host knows about one card. @since 0.1 */
struct apmatrix_card_info;
/** @brief A copy of what a host knows about one queue. @since 0.1 */
struct apmatrix_queue_info;

/**
 * @brief What the host knows about a card, as a new object (a copy: later
 * changes of the host do not show in it).
 * @param host the host
 * @param adapter 0 to 255
 * @param[out] ret the new info object
 * @return 0, or -ENOENT when there is no such card, -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_host_get_card_info(const struct apmatrix_host *host,
                                unsigned int adapter,
                                struct apmatrix_card_info **ret);

/**
 * @brief Take a reference.
 * @param info the info object, or NULL
 * @return @p info
 * @since 0.1
 */
struct apmatrix_card_info *
apmatrix_card_info_ref(struct apmatrix_card_info *info);

/**
 * @brief Drop a reference.
 * @param info the info object, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_card_info *
apmatrix_card_info_unref(struct apmatrix_card_info *info);

/**
 * @brief The adapter ID.
 * @param info the info object
 * @return 0 to 255, or -EINVAL for NULL
 * @since 0.1
 */
int apmatrix_card_info_get_adapter(const struct apmatrix_card_info *info);

/**
 * @brief `hwtype`: the type the kernel treats the card as (10 = CEX4 ...
 * 14 = CEX8).
 * @param info the info object
 * @return the type, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_card_info_get_hwtype(const struct apmatrix_card_info *info);

/**
 * @brief `raw_hwtype`: the type the hardware reports (above `hwtype` on
 * cards newer than the kernel).
 * @param info the info object
 * @return the type, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_card_info_get_raw_hwtype(const struct apmatrix_card_info *info);

/**
 * @brief `type`, for example `CEX8C` (written by the host driver `cex4card`
 * only while it is bound).
 * @param info the info object
 * @return the text, valid as long as @p info, or NULL when unknown
 * @since 0.1
 */
const char *apmatrix_card_info_get_type(const struct apmatrix_card_info *info);

/**
 * @brief The mode. Derived as the kernel derives its `MODE=` uevent and
 * lszcrypt its mode column: from the card's `ap_functions` (accelerator
 * bit 4, else CCA bit 3, else EP11 bit 5, bit 0 leftmost); without them from
 * the last letter of `type` (`A`, `C`, `P`).
 * @param info the info object
 * @return an enum apmatrix_card_mode value, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_card_info_get_mode(const struct apmatrix_card_info *info);

/**
 * @brief `ap_functions`, the facility bits of the card.
 * @param info the info object
 * @param[out] ret the bits (bit 0 is 0x80000000)
 * @return 0, or -ENODATA (nothing written), -EINVAL
 * @since 0.1
 */
int apmatrix_card_info_get_functions(const struct apmatrix_card_info *info,
                                     unsigned int *ret);

/**
 * @brief `online` (set by the host driver; missing while it is not bound).
 * @param info the info object
 * @return 1 or 0, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_card_info_get_online(const struct apmatrix_card_info *info);

/**
 * @brief `config`: whether the adapter is configured.
 * @param info the info object
 * @return 1 or 0, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_card_info_get_config(const struct apmatrix_card_info *info);

/**
 * @brief `chkstop`: whether the adapter is check-stopped.
 * @param info the info object
 * @return 1 or 0, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_card_info_get_chkstop(const struct apmatrix_card_info *info);

/**
 * @brief Number of queues the card has in the host.
 * @param info the info object
 * @return 0 to 256
 * @since 0.1
 */
unsigned int
apmatrix_card_info_get_queue_count(const struct apmatrix_card_info *info);

/**
 * @brief What the host knows about a queue, as a new object (a copy).
 * @param host the host
 * @param apqn the queue
 * @param[out] ret the new info object
 * @return 0, or -ENOENT when there is no such queue, -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_host_get_queue_info(const struct apmatrix_host *host,
                                 unsigned int apqn,
                                 struct apmatrix_queue_info **ret);

/**
 * @brief Take a reference.
 * @param info the info object, or NULL
 * @return @p info
 * @since 0.1
 */
struct apmatrix_queue_info *
apmatrix_queue_info_ref(struct apmatrix_queue_info *info);

/**
 * @brief Drop a reference.
 * @param info the info object, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_queue_info *
apmatrix_queue_info_unref(struct apmatrix_queue_info *info);

/**
 * @brief The APQN.
 * @param info the info object
 * @return the APQN, or -EINVAL for NULL
 * @since 0.1
 */
int apmatrix_queue_info_get_apqn(const struct apmatrix_queue_info *info);

/**
 * @brief The driver the queue is bound to: `vfio_ap`, any other driver
 * (the zcrypt host drivers, `cex4queue`), or none.
 * @param info the info object
 * @return an enum apmatrix_driver value, or -EINVAL
 * @since 0.1
 */
int apmatrix_queue_info_get_driver(const struct apmatrix_queue_info *info);

/**
 * @brief `online` (only while a host driver is bound).
 * @param info the info object
 * @return 1 or 0, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_queue_info_get_online(const struct apmatrix_queue_info *info);

/**
 * @brief `config`: whether the queue is configured.
 * @param info the info object
 * @return 1 or 0, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_queue_info_get_config(const struct apmatrix_queue_info *info);

/**
 * @brief `chkstop`: whether the queue is check-stopped.
 * @param info the info object
 * @return 1 or 0, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_queue_info_get_chkstop(const struct apmatrix_queue_info *info);

/** @brief The vfio_ap `status` of a queue. @since 0.1 */
enum apmatrix_queue_status {
	APMATRIX_QUEUE_UNASSIGNED = 1, /**< `unassigned`: no mdev has it */
	APMATRIX_QUEUE_ASSIGNED = 2,   /**< `assigned`: not in a running guest */
	APMATRIX_QUEUE_IN_USE = 3      /**< `in use`: in a running guest */
};

/**
 * @brief The vfio_ap `status` (only while vfio_ap is bound).
 * @param info the info object
 * @return an enum apmatrix_queue_status value, or -ENODATA, -EINVAL
 * @since 0.1
 */
int apmatrix_queue_info_get_status(const struct apmatrix_queue_info *info);

/**
 * @brief `driver_override` (Linux 6.19 and later; read only when both
 * masks are all ones, as no override can exist otherwise).
 * @param info the info object
 * @return the driver name, "" when none is set, or NULL when unknown;
 *         valid as long as @p info
 * @since 0.1
 */
const char *
apmatrix_queue_info_get_driver_override(const struct apmatrix_queue_info *info);

/**
 * @brief Number of live mediated devices the host holds.
 * @param host the host
 * @return the count
 * @since 0.1
 */
unsigned int apmatrix_host_get_mdev_count(const struct apmatrix_host *host);

/**
 * @brief One live mediated device. A snapshot holds them in UUID order,
 * each with a LIVE configuration (the assigned matrix) and, when the
 * kernel reports it, a GUEST one (`guest_matrix`: adapters and usage
 * domains; the kernel does not print the guest's control domains).
 * @param host the host
 * @param index 0 to count - 1
 * @return the mdev, owned by the host (take a reference to keep it), or
 *         NULL for an index out of range
 * @since 0.1
 */
struct apmatrix_mdev *apmatrix_host_get_mdev(struct apmatrix_host *host,
                                             unsigned int index);

/**
 * @brief Add a live mediated device to a host built in memory (a reference
 * is taken; mdevs are kept in UUID order).
 * @param host the host
 * @param mdev the mdev
 * @return 0, or -EEXIST when the host has that UUID, -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_host_add_mdev(struct apmatrix_host *host,
                           struct apmatrix_mdev *mdev);

/** @} */

/**
 * @defgroup check Conflict checking
 * One pure call checks everything on a host at once: the live and the
 * defined configuration of every mdev (apmatrix_mdev_add_config()), each in
 * its role. Guest matrices (APMATRIX_ROLE_GUEST) are never checked.
 *
 * **Sharing.** Two configurations share APQNs when their adapter sets and
 * their usage-domain sets both intersect; control domains never conflict.
 * An mdev is never paired with itself. One finding per pair of
 * configurations, the two mdevs in ascending UUID order, each with the role
 * of the configuration it is about (apmatrix_finding_get_role()):
 * - live and live (what the kernel enforces now): error. The kernel would
 *   have refused it; one guest can reach the other's keys.
 * - defined and defined (what happens at boot): error when both start
 *   automatically (ap-check refuses to define the second one, and at boot
 *   the second one fails to start), otherwise a warning (they cannot run
 *   at the same time).
 * - defined and live (the definition of mdev A against the live
 *   configuration of another mdev B): warning. A cannot start while B
 *   runs; ap-check refuses the start. Left out when A is live with the same
 *   adapters and usage domains as its definition: the live pair says it.
 *
 * **Findings about one configuration.** Each names one mdev and one role.
 * A live configuration is checked against the host given to
 * apmatrix_check_set_host(). A definition is checked against the
 * persistent masks (apmatrix_check_set_persistent_masks(): what the host
 * keeps after a reboot), and, unless the mdev is live with exactly the same
 * matrix, also against the host given, as "would start here now". The
 * severities below are those of a live configuration or an autostart
 * definition; for a manual definition (checked by ap-check only when it
 * starts) an error becomes a warning.
 * | code | about | severity |
 * |------|-------|----------|
 * | HOST_POOL_ACTIVE | APQNs in `apmask` x `aqmask` of the host | error |
 * | HOST_POOL_PERSISTENT | APQNs in the persistent masks (definitions only) | error |
 * | ADAPTER_OVER_LIMIT, DOMAIN_OVER_LIMIT, CONTROL_DOMAIN_OVER_LIMIT | IDs over `ap_max_*_id` | error |
 * | CONTROL_WITHOUT_USAGE | control domains, no usage domain | error |
 * | NOT_CONFIGURED | IDs missing from the host configuration | warning |
 * | QUEUE_MISSING, QUEUE_NOT_BOUND, ADAPTER_FILTERED | the guest-matrix filter | warning |
 * | NO_QUEUES | adapters without usage domains or the reverse | info |
 * Without a host, only the findings that need none are made: sharing,
 * CONTROL_WITHOUT_USAGE, NO_QUEUES and HOST_POOL_PERSISTENT (when
 * persistent masks are set). A configuration with nothing assigned has no
 * findings.
 *
 * **What each finding holds.** APQN lists are sorted adapter-major and
 * complete; only the message shortens them with "and N more".
 * - shared APQNs: every shared APQN, the shared adapters and usage domains;
 * - host pool: the APQNs inside the pool, their adapters and usage domains;
 * - over limit: the IDs over the limit (adapters, usage or control
 *   domains), and the APQNs they take part in (none for control domains);
 * - not configured: the adapters, usage and control domains within the
 *   limits that the host configuration lacks, and the APQNs the guest loses
 *   by it;
 * - queue missing, queue not bound, adapter filtered: only the configured
 *   IDs within the limits are looked at, as the kernel does when it filters
 *   the guest matrix; an adapter-filtered finding names the adapters dropped
 *   and the missing or unbound APQNs that drop them;
 * - control domains without usage domains: the control domains; no queues:
 *   the adapters or the usage domains.
 *
 * **Order.** Severity (errors first), then code, then the mdevs by UUID and
 * role (live before defined); a finding about one mdev comes before a pair
 * with the same first UUID. No two findings compare equal, so a report does
 * not depend on the order the mdevs were added in.
 * @{
 */

/** @brief Inputs of a conflict check. @since 0.1 */
struct apmatrix_check;
/** @brief The result of a conflict check: a list of findings. @since 0.1 */
struct apmatrix_report;
/** @brief One finding of a report; owned by the report. @since 0.1 */
struct apmatrix_finding;

/** @brief Severities, higher is more severe. @since 0.1 */
enum apmatrix_severity {
	APMATRIX_SEVERITY_NONE = 0,    /**< no finding (an empty report) */
	APMATRIX_SEVERITY_INFO = 1,    /**< worth knowing */
	APMATRIX_SEVERITY_WARNING = 2, /**< it works, but not as the admin expects */
	APMATRIX_SEVERITY_ERROR = 3    /**< the configuration is unsafe or will fail */
};

/** @brief Finding codes. Stable: never renumbered. @since 0.1 */
enum apmatrix_finding_code {
	/** Two mdevs' configurations share APQNs. */
	APMATRIX_FINDING_SHARED_APQNS = 1,
	/** APQNs are in the active host pool `apmask` x `aqmask`: the kernel
	 *  refuses them (EADDRNOTAVAIL), ap-check refuses the start. */
	APMATRIX_FINDING_HOST_POOL_ACTIVE = 2,
	/** APQNs of a definition are in the persistent host pool: after a
	 *  reboot the kernel refuses them; ap-check refuses to define an
	 *  autostart one. */
	APMATRIX_FINDING_HOST_POOL_PERSISTENT = 3,
	/** Adapter IDs over `ap_max_adapter_id` (ENODEV). */
	APMATRIX_FINDING_ADAPTER_OVER_LIMIT = 4,
	/** Usage domain IDs over `ap_max_domain_id` (ENODEV). */
	APMATRIX_FINDING_DOMAIN_OVER_LIMIT = 5,
	/** Control domain IDs over `ap_max_domain_id` (ENODEV). */
	APMATRIX_FINDING_CONTROL_DOMAIN_OVER_LIMIT = 6,
	/** Control domains but no usage domain (ap-check refuses to start
	 *  it). */
	APMATRIX_FINDING_CONTROL_WITHOUT_USAGE = 7,
	/** Assigned APQNs whose queue does not exist. */
	APMATRIX_FINDING_QUEUE_MISSING = 8,
	/** Assigned APQNs whose queue is not bound to vfio_ap. */
	APMATRIX_FINDING_QUEUE_NOT_BOUND = 9,
	/** Adapters the kernel filters out of the guest matrix, with the APQNs
	 *  that cause it. */
	APMATRIX_FINDING_ADAPTER_FILTERED = 10,
	/** Assigned adapters, usage or control domains that are not in the
	 *  host configuration; the guest does not get them. */
	APMATRIX_FINDING_NOT_CONFIGURED = 11,
	/** Adapters but no usage domains, or the reverse: the guest gets no
	 *  queue. */
	APMATRIX_FINDING_NO_QUEUES = 12
};

/**
 * @brief Create an empty check.
 * @param ctx the context
 * @param[out] ret the new check
 * @return 0, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_check_new(struct apmatrix_ctx *ctx, struct apmatrix_check **ret);

/**
 * @brief Take a reference.
 * @param check the check, or NULL
 * @return @p check
 * @since 0.1
 */
struct apmatrix_check *apmatrix_check_ref(struct apmatrix_check *check);

/**
 * @brief Drop a reference.
 * @param check the check, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_check *apmatrix_check_unref(struct apmatrix_check *check);

/**
 * @brief Set the host to check against (a reference is taken). Without a
 * host only the findings that need no host are made (see @ref check).
 * @param check the check
 * @param host the host, or NULL to unset
 * @return 0, or -EINVAL
 * @since 0.1
 */
int apmatrix_check_set_host(struct apmatrix_check *check,
                            struct apmatrix_host *host);

/**
 * @brief Add the live and defined configurations of an mdev (a reference is
 * taken; the matrices and the start mode are read when the check runs).
 *
 * Merges by UUID: the same UUID may come from a host snapshot (live) and
 * from a store of definitions (defined) as two mdev objects; the check
 * treats them as one mdev.
 * @param check the check
 * @param mdev an mdev with a live or a defined configuration (or both)
 * @return 0, or -EEXIST when the check already has one of its
 *         configurations for that UUID, -EINVAL for an mdev with neither,
 *         -ENOMEM; on failure the check is unchanged
 * @since 0.1
 */
int apmatrix_check_add_mdev(struct apmatrix_check *check,
                            struct apmatrix_mdev *mdev);

/**
 * @brief Set the persistent host masks (as `41-ap.rules` sets them at boot),
 * against which definitions are checked.
 * @param check the check
 * @param apmask the persistent `apmask` (copied), or NULL to unset both
 * @param aqmask the persistent `aqmask` (copied), or NULL to unset both
 * @return 0, or -EINVAL when only one is NULL
 * @since 0.1
 */
int apmatrix_check_set_persistent_masks(struct apmatrix_check *check,
                                        const struct apmatrix_idset *apmask,
                                        const struct apmatrix_idset *aqmask);

/**
 * @brief Run the check. Pure: reads only the objects given, does no I/O.
 * @param check the check
 * @param flags 0
 * @param[out] ret a new report
 * @return the number of findings, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_check_run(struct apmatrix_check *check, unsigned int flags,
                       struct apmatrix_report **ret);

/**
 * @brief Take a reference.
 * @param report the report, or NULL
 * @return @p report
 * @since 0.1
 */
struct apmatrix_report *apmatrix_report_ref(struct apmatrix_report *report);

/**
 * @brief Drop a reference. The last one frees the report with its findings
 * and everything they hand out.
 * @param report the report, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_report *apmatrix_report_unref(struct apmatrix_report *report);

/**
 * @brief Number of findings.
 * @param report the report
 * @return the count
 * @since 0.1
 */
unsigned int apmatrix_report_get_count(const struct apmatrix_report *report);

/**
 * @brief One finding, in the order described in @ref check.
 * @param report the report
 * @param index 0 to count - 1
 * @return the finding, owned by the report and valid as long as the report,
 *         or NULL for an index out of range
 * @since 0.1
 */
const struct apmatrix_finding *
apmatrix_report_get_finding(const struct apmatrix_report *report,
                            unsigned int index);

/**
 * @brief The most severe finding's severity.
 * @param report the report
 * @return an enum apmatrix_severity value; APMATRIX_SEVERITY_NONE for an
 *         empty report (or NULL)
 * @since 0.1
 */
int apmatrix_report_get_max_severity(const struct apmatrix_report *report);

/** @brief Flags of apmatrix_report_format_json(). @since 0.1 */
enum apmatrix_json_flags {
	APMATRIX_JSON_PRETTY = 1 /**< indent, one member a line */
};

/**
 * @brief The report as JSON:
 * `{"findings":[{"code":"shared-apqns","severity":"error","message":...,
 * "uuids":[...],"roles":["live","defined"],"apqns":["04.0047",...],
 * "adapters":[4,...],"usage_domains":[71,...],"control_domains":[...]}]}`.
 * @param report the report
 * @param flags 0 or enum apmatrix_json_flags bits
 * @param buf where to write, or NULL when @p size is 0
 * @param size size of @p buf
 * @return the length of the full text, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_report_format_json(const struct apmatrix_report *report,
                                unsigned int flags, char *buf, size_t size);

/**
 * @brief The code.
 * @param finding the finding
 * @return an enum apmatrix_finding_code value
 * @since 0.1
 */
int apmatrix_finding_get_code(const struct apmatrix_finding *finding);

/**
 * @brief The code's stable name, as in JSON (`shared-apqns`, ...).
 * @param finding the finding
 * @return the name (static)
 * @since 0.1
 */
const char *apmatrix_finding_get_code_name(const struct apmatrix_finding *finding);

/**
 * @brief The severity.
 * @param finding the finding
 * @return an enum apmatrix_severity value
 * @since 0.1
 */
int apmatrix_finding_get_severity(const struct apmatrix_finding *finding);

/**
 * @brief A one-line message for an admin, naming the mdevs, their roles and
 * the APQNs.
 * @param finding the finding
 * @return the message, valid as long as the report
 * @since 0.1
 */
const char *apmatrix_finding_get_message(const struct apmatrix_finding *finding);

/**
 * @brief Number of mdevs the finding is about (1, or 2 for sharing).
 * @param finding the finding
 * @return the count
 * @since 0.1
 */
unsigned int apmatrix_finding_get_uuid_count(const struct apmatrix_finding *finding);

/**
 * @brief The UUID of one mdev the finding is about.
 * @param finding the finding
 * @param index 0 to count - 1
 * @return the UUID, valid as long as the report, or NULL for an index out of
 *         range
 * @since 0.1
 */
const char *apmatrix_finding_get_uuid(const struct apmatrix_finding *finding,
                                      unsigned int index);

/**
 * @brief Which configuration of one mdev the finding is about.
 * @param finding the finding
 * @param index 0 to count - 1, as for apmatrix_finding_get_uuid()
 * @return APMATRIX_ROLE_LIVE or APMATRIX_ROLE_DEFINED, or -EINVAL for an
 *         index out of range
 * @since 0.1
 */
int apmatrix_finding_get_role(const struct apmatrix_finding *finding,
                              unsigned int index);

/**
 * @brief The APQNs the finding is about (may be empty, for example for a
 * control domain over the limit).
 * @param finding the finding
 * @return the list, owned by the report and valid as long as the report
 * @since 0.1
 */
const struct apmatrix_apqn_list *
apmatrix_finding_get_apqns(const struct apmatrix_finding *finding);

/**
 * @brief The adapter IDs the finding is about (may be empty).
 * @param finding the finding
 * @return the set, owned by the report and valid as long as the report
 * @since 0.1
 */
const struct apmatrix_idset *
apmatrix_finding_get_adapters(const struct apmatrix_finding *finding);

/**
 * @brief The usage domain IDs the finding is about (may be empty).
 * @param finding the finding
 * @return the set, owned by the report and valid as long as the report
 * @since 0.1
 */
const struct apmatrix_idset *
apmatrix_finding_get_usage_domains(const struct apmatrix_finding *finding);

/**
 * @brief The control domain IDs the finding is about (may be empty).
 * @param finding the finding
 * @return the set, owned by the report and valid as long as the report
 * @since 0.1
 */
const struct apmatrix_idset *
apmatrix_finding_get_control_domains(const struct apmatrix_finding *finding);

/** @} */

/**
 * @defgroup plan Plans
 * A desired state (the target: mdevs with their matrices, host
 * reservations) against a host snapshot gives a plan: the ordered sysfs
 * writes that reach it. Planning does no I/O.
 *
 * The order never passes through a state the kernel refuses: queues are
 * released to vfio_ap first (`-N` on apmask/aqmask), then mdevs that give
 * up APQNs others want shrink and mdevs to remove go, then mdevs are
 * created and get their final matrix, and queues go back to the host
 * (`+N`) last. Every step is replayed against the kernel's rules (in the
 * kernel's check order) before the plan is returned; when the kernel would
 * refuse one, the plan carries the refusal (apmatrix_plan_get_refusal())
 * naming the step, the errno, the APQNs and the other mdev.
 *
 * mdevs the target does not name are left alone. A target equal to the
 * host gives a plan with no steps.
 * @{
 */

/** @brief A desired state: mdevs and host reservations. @since 0.1 */
struct apmatrix_target;
/** @brief The ordered writes from a host to a target. @since 0.1 */
struct apmatrix_plan;
/** @brief One write of a plan. @since 0.1 */
struct apmatrix_step;
/** @brief Why a plan is refused, or how applying it went. @since 0.1 */
struct apmatrix_result;

/** @brief What a step does. @since 0.1 */
enum apmatrix_step_kind {
	/** Clear apmask or aqmask bits: queues go to vfio_ap. */
	APMATRIX_STEP_RELEASE = 1,
	/** Set apmask or aqmask bits: queues go back to the host drivers. */
	APMATRIX_STEP_RECLAIM = 2,
	/** Create an mdev (write its UUID to the type's `create`). */
	APMATRIX_STEP_CREATE = 3,
	/** Replace an mdev's matrix in one `ap_config` write. */
	APMATRIX_STEP_CONFIGURE = 4,
	/** Assign one adapter, usage or control domain. */
	APMATRIX_STEP_ASSIGN = 5,
	/** Unassign one adapter, usage or control domain. */
	APMATRIX_STEP_UNASSIGN = 6,
	/** Remove an mdev (`remove`). */
	APMATRIX_STEP_REMOVE = 7
};

/** @brief Flags of apmatrix_plan_new(). @since 0.1 */
enum apmatrix_plan_flags {
	/** Use assign and unassign writes, not `ap_config` (for kernels
	 *  without the `ap_config` feature of the matrix device). */
	APMATRIX_PLAN_NO_AP_CONFIG = 1
};

/**
 * @brief Create an empty target (it asks for nothing).
 * @param ctx the context
 * @param[out] ret the new target
 * @return 0, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_target_new(struct apmatrix_ctx *ctx,
                        struct apmatrix_target **ret);

/**
 * @brief Take a reference.
 * @param target the target, or NULL
 * @return @p target
 * @since 0.1
 */
struct apmatrix_target *apmatrix_target_ref(struct apmatrix_target *target);

/**
 * @brief Drop a reference.
 * @param target the target, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_target *apmatrix_target_unref(struct apmatrix_target *target);

/**
 * @brief Ask for an mdev to exist with exactly this matrix (created when
 * it does not exist; hot plug or unplug when a guest uses it).
 * @param target the target
 * @param uuid the mdev's UUID
 * @param matrix its matrix (copied)
 * @param flags 0
 * @return 0, or -EEXIST when the target already names the UUID, -EINVAL
 *         for a bad UUID, NULL arguments or flags, -ENOMEM
 * @since 0.1
 */
int apmatrix_target_set_mdev(struct apmatrix_target *target, const char *uuid,
                             const struct apmatrix_matrix *matrix,
                             unsigned int flags);

/**
 * @brief Ask for an mdev not to exist (removed when it does).
 * @param target the target
 * @param uuid the mdev's UUID
 * @param flags 0
 * @return 0, or -EEXIST when the target already names the UUID, -EINVAL,
 *         -ENOMEM
 * @since 0.1
 */
int apmatrix_target_remove_mdev(struct apmatrix_target *target,
                                const char *uuid, unsigned int flags);

/**
 * @brief Ask for exact `apmask` and `aqmask` values. Requests made with
 * apmatrix_target_give_to_vfio() and apmatrix_target_give_to_host() apply
 * on top of them.
 * @param target the target
 * @param apmask the wanted apmask (copied), or NULL (with @p aqmask) to
 *        keep the host's masks
 * @param aqmask the wanted aqmask (copied), or NULL
 * @param flags 0
 * @return 0, or -EINVAL when only one mask is NULL or for flags
 * @since 0.1
 */
int apmatrix_target_set_masks(struct apmatrix_target *target,
                              const struct apmatrix_idset *apmask,
                              const struct apmatrix_idset *aqmask,
                              unsigned int flags);

/**
 * @brief Ask for the queues adapters x usage domains of @p queues to be
 * free for vfio_ap (control domains are ignored).
 *
 * The host pool is apmask x aqmask, so the plan clears either the adapters
 * from apmask or the domains from aqmask: the choice that moves fewer other
 * existing queues (adapters on a tie), as a relative `-N` write. The
 * queues moved that were not asked for are the step's collateral
 * (apmatrix_step_get_collateral()).
 * @param target the target
 * @param queues adapters and usage domains, both non-empty
 * @param flags 0
 * @return 0, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_target_give_to_vfio(struct apmatrix_target *target,
                                 const struct apmatrix_matrix *queues,
                                 unsigned int flags);

/**
 * @brief Ask for the queues adapters x usage domains of @p queues to go
 * back to the host drivers: both sets are added to apmask and aqmask
 * (`+N` writes), which also gives the host every other queue of the
 * product with the masks (the collateral). The plan is refused (EBUSY) when
 * an mdev still holds one of the queues the host would take. Requests take
 * effect in the order they are made, after apmatrix_target_set_masks().
 * @param target the target
 * @param queues adapters and usage domains, both non-empty
 * @param flags 0
 * @return 0, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_target_give_to_host(struct apmatrix_target *target,
                                 const struct apmatrix_matrix *queues,
                                 unsigned int flags);

/**
 * @brief Plan the writes from a host to a target. Pure: no I/O.
 *
 * A plan is made even when the kernel would refuse it: then
 * apmatrix_plan_get_refusal() says why and the prediction getters are
 * empty.
 * @param target the target (a reference is kept)
 * @param host the host snapshot with its live mdevs
 * @param flags 0 or enum apmatrix_plan_flags bits
 * @param[out] ret the new plan
 * @return 0, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_plan_new(struct apmatrix_target *target,
                      struct apmatrix_host *host, unsigned int flags,
                      struct apmatrix_plan **ret);

/**
 * @brief Take a reference.
 * @param plan the plan, or NULL
 * @return @p plan
 * @since 0.1
 */
struct apmatrix_plan *apmatrix_plan_ref(struct apmatrix_plan *plan);

/**
 * @brief Drop a reference.
 * @param plan the plan, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_plan *apmatrix_plan_unref(struct apmatrix_plan *plan);

/**
 * @brief Number of steps (writes).
 * @param plan the plan
 * @return the count, 0 when the host already is as the target asks
 * @since 0.1
 */
unsigned int apmatrix_plan_get_step_count(const struct apmatrix_plan *plan);

/**
 * @brief One step, in the order they are written.
 * @param plan the plan
 * @param index 0 to count - 1
 * @return the step, valid as long as the plan, or NULL out of range
 * @since 0.1
 */
const struct apmatrix_step *
apmatrix_plan_get_step(const struct apmatrix_plan *plan, unsigned int index);

/**
 * @brief Why the kernel would refuse the plan.
 * @param plan the plan
 * @return NULL when every step would be taken, else the refusal (valid as
 *         long as the plan): the step, the errno, the APQNs and the other
 *         mdev
 * @since 0.1
 */
const struct apmatrix_result *
apmatrix_plan_get_refusal(const struct apmatrix_plan *plan);

/**
 * @brief The conflict check of the state the plan leads to (every live mdev
 * against the predicted host).
 * @param plan the plan
 * @return the report, valid as long as the plan, or NULL for a refused plan
 * @since 0.1
 */
const struct apmatrix_report *
apmatrix_plan_get_report(const struct apmatrix_plan *plan);

/**
 * @brief Number of mdevs live after the plan (all of the host's, not only
 * the target's).
 * @param plan the plan
 * @return the count, 0 for a refused plan
 * @since 0.1
 */
unsigned int apmatrix_plan_get_mdev_count(const struct apmatrix_plan *plan);

/**
 * @brief The UUID of a live mdev after the plan.
 * @param plan the plan
 * @param index 0 to count - 1
 * @return the UUID, valid as long as the plan, or NULL out of range
 * @since 0.1
 */
const char *apmatrix_plan_get_mdev_uuid(const struct apmatrix_plan *plan,
                                        unsigned int index);

/**
 * @brief The predicted guest matrix (`guest_matrix`) of a live mdev after
 * the plan, with the queues bound as the final masks bind them.
 * @param plan the plan
 * @param index 0 to count - 1
 * @return the matrix, valid as long as the plan, or NULL out of range
 * @since 0.1
 */
const struct apmatrix_matrix *
apmatrix_plan_get_guest_matrix(const struct apmatrix_plan *plan,
                               unsigned int index);

/**
 * @brief The plan as text, one numbered step a line
 * (`1. release: -4 > /sys/bus/ap/apmask (8 queues to vfio_ap)`), and a
 * last line `refused: ...` for a refused plan.
 * @param plan the plan
 * @param flags 0
 * @param buf where to write, or NULL when @p size is 0
 * @param size size of @p buf
 * @return the length of the full text, or -EINVAL
 * @since 0.1
 */
int apmatrix_plan_format(const struct apmatrix_plan *plan, unsigned int flags,
                         char *buf, size_t size);

/**
 * @brief What the step does.
 * @param step the step
 * @return an enum apmatrix_step_kind value
 * @since 0.1
 */
int apmatrix_step_get_kind(const struct apmatrix_step *step);

/**
 * @brief The mdev the step writes to.
 * @param step the step
 * @return the UUID, valid as long as the plan, or NULL for mask steps
 * @since 0.1
 */
const char *apmatrix_step_get_uuid(const struct apmatrix_step *step);

/**
 * @brief The sysfs attribute written (`apmask`, `create`, `ap_config`,
 * `assign_adapter`, `remove`, ...).
 * @param step the step
 * @return the name (static)
 * @since 0.1
 */
const char *apmatrix_step_get_attribute(const struct apmatrix_step *step);

/**
 * @brief The file written, relative to the sysfs root
 * (`bus/ap/apmask`, `devices/vfio_ap/matrix/UUID/ap_config`).
 * @param step the step
 * @return the path, valid as long as the plan
 * @since 0.1
 */
const char *apmatrix_step_get_path(const struct apmatrix_step *step);

/**
 * @brief The text written (`-4,-6-7`, `0x...,0x...,0x...` and a newline,
 * `0x47`, the UUID, `1`).
 * @param step the step
 * @return the text, valid as long as the plan
 * @since 0.1
 */
const char *apmatrix_step_get_value(const struct apmatrix_step *step);

/**
 * @brief The APQNs the step moves: for mask steps the existing queues that
 * change owner, for `ap_config` the APQNs added or removed, for removal the
 * APQNs the mdev held; empty for the others.
 * @param step the step
 * @return the list, valid as long as the plan
 * @since 0.1
 */
const struct apmatrix_apqn_list *
apmatrix_step_get_apqns(const struct apmatrix_step *step);

/**
 * @brief For mask steps made from apmatrix_target_give_to_vfio() or
 * apmatrix_target_give_to_host() requests: the queues moved that no
 * request asked for (a mask change is a cross product). Empty otherwise.
 * @param step the step
 * @return the list, valid as long as the plan
 * @since 0.1
 */
const struct apmatrix_apqn_list *
apmatrix_step_get_collateral(const struct apmatrix_step *step);

/**
 * @brief The step as one line of text, as in apmatrix_plan_format().
 * @param step the step
 * @param flags 0
 * @param buf where to write, or NULL when @p size is 0
 * @param size size of @p buf
 * @return the length of the full text, or -EINVAL
 * @since 0.1
 */
int apmatrix_step_format(const struct apmatrix_step *step, unsigned int flags,
                         char *buf, size_t size);

/** @brief Flags of apmatrix_plan_apply(). @since 0.1 */
enum apmatrix_apply_flags {
	/** The caller holds the s390apconfig lock already
	 *  (apmatrix_lock_acquire()): do not take it. */
	APMATRIX_APPLY_LOCKED = 1
};

/**
 * @brief Apply a plan to the host under the context's sysfs root.
 *
 * Takes the s390apconfig lock (waiting up to 95 s, as s390-tools do),
 * reads the host again and plans again from the plan's target, so what
 * runs is what the host needs at that moment and a change made since the
 * plan was made is checked before the first write
 * (apmatrix_result_get_plan() returns the plan that ran). Then writes the
 * steps; after a mask write it waits (up to 30 s) until `bindings` says
 * complete. On any failure the steps written so far are undone in reverse
 * order, which restores the host as it was; the result names the failed
 * step, the kernel's errno, the APQNs and the other mdev.
 *
 * Applying a target the host already matches writes nothing.
 * @param plan the plan
 * @param flags 0 or enum apmatrix_apply_flags bits
 * @param[out] ret the result, also on failure (except for -EINVAL and
 *        -ENOMEM from the call itself)
 * @return 0 when everything was applied, else the negative errno of the
 *         result (the kernel's, -ETIMEDOUT for bindings that did not
 *         complete or a lock held by another process, or a read error);
 *         the diagnostic is the result's message
 * @since 0.1
 */
int apmatrix_plan_apply(struct apmatrix_plan *plan, unsigned int flags,
                        struct apmatrix_result **ret);

/**
 * @brief Take a reference.
 * @param result the result, or NULL
 * @return @p result
 * @since 0.1
 */
struct apmatrix_result *apmatrix_result_ref(struct apmatrix_result *result);

/**
 * @brief Drop a reference.
 * @param result the result, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_result *apmatrix_result_unref(struct apmatrix_result *result);

/**
 * @brief The error: 0 when everything was applied, else the negative errno
 * of the failed (or refused) step as the kernel gave it (see
 * apmatrix_strerror() for what it means for AP).
 * @param result the result
 * @return 0 or a negative errno
 * @since 0.1
 */
int apmatrix_result_get_error(const struct apmatrix_result *result);

/**
 * @brief The index of the failed step in its plan.
 * @param result the result
 * @return the index, or -ENOENT when no step failed
 * @since 0.1
 */
int apmatrix_result_get_step(const struct apmatrix_result *result);

/**
 * @brief One line for an admin: the step, what the errno means and the
 * APQNs and mdev involved, e.g. `step 3 (ap_config ... > /sys/...):
 * APQN assigned to another mediated device: mdev UUID already holds APQN
 * 04.0005`; "" on success.
 * @param result the result
 * @return the message, valid as long as the result
 * @since 0.1
 */
const char *apmatrix_result_get_message(const struct apmatrix_result *result);

/**
 * @brief The mdev the failed step writes to.
 * @param result the result
 * @return the UUID, or NULL (mask steps, success)
 * @since 0.1
 */
const char *apmatrix_result_get_uuid(const struct apmatrix_result *result);

/**
 * @brief The other mdev: the one that holds the APQNs (-EADDRINUSE,
 * -EBUSY).
 * @param result the result
 * @return the UUID, or NULL
 * @since 0.1
 */
const char *apmatrix_result_get_other_uuid(const struct apmatrix_result *result);

/**
 * @brief The APQNs the failure is about (shared with the other mdev,
 * reserved for the host, held by an mdev the host cannot take them from).
 * @param result the result
 * @return the list (may be empty), valid as long as the result
 * @since 0.1
 */
const struct apmatrix_apqn_list *
apmatrix_result_get_apqns(const struct apmatrix_result *result);

/**
 * @brief Number of sysfs writes made, the rollback's included.
 * @param result the result
 * @return the count
 * @since 0.1
 */
unsigned int apmatrix_result_get_write_count(const struct apmatrix_result *result);

/**
 * @brief Whether the rollback after a failure restored the host.
 * @param result the result
 * @return 0 when nothing was written or the rollback restored everything,
 *         else the negative errno of the rollback write that failed
 * @since 0.1
 */
int apmatrix_result_get_rollback_error(const struct apmatrix_result *result);

/**
 * @brief The plan that ran (made again under the lock from a fresh read).
 * @param result the result
 * @return the plan, valid as long as the result, or NULL when the host
 *         could not be read (and for a plan's own refusal)
 * @since 0.1
 */
const struct apmatrix_plan *
apmatrix_result_get_plan(const struct apmatrix_result *result);

/** @} */

/**
 * @defgroup store Persistent configuration
 * What survives a reboot, in the files the peers read: mdevctl's
 * definitions `mdevctl.d/matrix/<uuid>` and chzdev's
 * `udev/rules.d/41-ap.rules` (the host masks set at boot before vfio_ap
 * binds), both below the context's etc root.
 *
 * A store is a snapshot read from those files. Definitions are written
 * byte for byte as mdevctl 1.2.0 writes them (two-space JSON, keys
 * `mdev_type`, `start`, `attrs`, values as strings, no trailing newline),
 * so mdevctl, libvirt and ap-check read ours and we read theirs. A
 * definition's attributes are applied in order as the kernel applies them
 * on `mdevctl start` (assign and unassign of each kind with base-0 numbers,
 * `ap_config` replacing all three sets); attributes that are not part of
 * the matrix are kept and written back unchanged.
 *
 * Reading never fails because of one bad file: the file is left out and
 * reported in the store's error list (file, position, reason). Writing
 * changes only matrix definitions and the rules file, each replaced
 * atomically (temporary file, fsync, rename, fsync of the directory, so a
 * crash leaves the old or the new content), never through a symlink, and
 * keeping the mode of a file it replaces (a new one gets 0666 minus the
 * umask, as mdevctl). Each write takes the s390apconfig lock for itself
 * unless the caller holds it (APMATRIX_STORE_LOCKED), which is how a
 * check-then-write stays atomic: take the lock, read and check, write.
 * @{
 */

/** @brief A snapshot of the persistent configuration. @since 0.1 */
struct apmatrix_store;

/** @brief Flags of the store's write calls. @since 0.1 */
enum apmatrix_store_flags {
	/** The caller (or the mdevctl that runs it as a callout) holds the
	 *  s390apconfig lock: do not take it. */
	APMATRIX_STORE_LOCKED = 1,
	/** apmatrix_store_format_definition(): one line, as mdevctl hands a
	 *  definition to its callouts. */
	APMATRIX_STORE_COMPACT = 2
};

/**
 * @brief Read the definitions and the persistent masks.
 *
 * Files that cannot be used are listed by apmatrix_store_get_error() and
 * left out; the call still succeeds (with a warning diagnostic naming the
 * first problem). A missing directory or rules file is an empty store.
 * @param ctx the context (its etc root)
 * @param flags 0
 * @param[out] ret the new store
 * @return 0, or -EINVAL, -ENOMEM, or the errno of opening the etc root
 * @since 0.1
 */
int apmatrix_store_read(struct apmatrix_ctx *ctx, unsigned int flags,
                        struct apmatrix_store **ret);

/**
 * @brief Read a definition given as text (a file mdevctl wrote, or the
 * config mdevctl hands a callout on stdin) into a new mdev, as
 * apmatrix_store_read() reads a file.
 * @param ctx the context
 * @param uuid the UUID of the mdev (the text does not carry it)
 * @param text mdevctl's JSON
 * @param flags 0
 * @param[out] ret a new mdev with the APMATRIX_ROLE_DEFINED configuration
 *        and the start mode
 * @return 0; the number of warnings (an octal ID, an attribute vfio_ap
 *         does not have; the diagnostic names the first by `attrs[N]`); or
 *         -EINVAL for bad JSON (the diagnostic names line and column), a
 *         definition of another type, or an attribute the kernel would
 *         refuse (named by `attrs[N]`), -ENOMEM
 * @since 0.1
 */
int apmatrix_store_parse_definition(struct apmatrix_ctx *ctx,
                                    const char *uuid, const char *text,
                                    unsigned int flags,
                                    struct apmatrix_mdev **ret);

/**
 * @brief Take a reference.
 * @param store the store, or NULL
 * @return @p store
 * @since 0.1
 */
struct apmatrix_store *apmatrix_store_ref(struct apmatrix_store *store);

/**
 * @brief Drop a reference; the last one frees the store and its mdevs.
 * @param store the store, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_store *apmatrix_store_unref(struct apmatrix_store *store);

/**
 * @brief The context of a store.
 * @param store the store
 * @return the context (no new reference), or NULL
 * @since 0.1
 */
struct apmatrix_ctx *apmatrix_store_get_ctx(const struct apmatrix_store *store);

/**
 * @brief Number of definitions.
 * @param store the store
 * @return the count (0 for NULL)
 * @since 0.1
 */
unsigned int apmatrix_store_get_mdev_count(const struct apmatrix_store *store);

/**
 * @brief One definition, in UUID order (as mdevctl lists them).
 *
 * The mdev has the APMATRIX_ROLE_DEFINED configuration and its start mode.
 * @param store the store
 * @param index 0 to count - 1
 * @return the mdev, owned by the store and valid until the store changes
 *         that definition or is freed (take a reference to keep it), or
 *         NULL for an index out of range
 * @since 0.1
 */
struct apmatrix_mdev *apmatrix_store_get_mdev(struct apmatrix_store *store,
                                              unsigned int index);

/**
 * @brief The definition of one UUID.
 * @param store the store
 * @param uuid the UUID (either case)
 * @return the mdev as for apmatrix_store_get_mdev(), or NULL when that UUID
 *         is not defined
 * @since 0.1
 */
struct apmatrix_mdev *apmatrix_store_find_mdev(struct apmatrix_store *store,
                                               const char *uuid);

/**
 * @brief Number of problems found while reading.
 * @param store the store
 * @return the count (0 for NULL)
 * @since 0.1
 */
unsigned int apmatrix_store_get_error_count(const struct apmatrix_store *store);

/**
 * @brief One problem found while reading: the file, the position (`line L,
 * column C` or `attrs[N]`) and the reason, on one line, for example
 * `"mdevctl.d/matrix/<uuid>": line 1, column 13: unexpected end of file`.
 * @param store the store
 * @param index 0 to count - 1
 * @return the message, valid as long as the store, or NULL out of range
 * @since 0.1
 */
const char *apmatrix_store_get_error(const struct apmatrix_store *store,
                                     unsigned int index);

/**
 * @brief The file of one problem, relative to the etc root
 * (`mdevctl.d/matrix/<name>` or `udev/rules.d/41-ap.rules`).
 * @param store the store
 * @param index 0 to count - 1
 * @return the path, valid as long as the store, or NULL out of range
 * @since 0.1
 */
const char *apmatrix_store_get_error_file(const struct apmatrix_store *store,
                                          unsigned int index);

/**
 * @brief The severity of one problem: APMATRIX_SEVERITY_ERROR when the file
 * or an attribute is left out (mdevctl would fail on it),
 * APMATRIX_SEVERITY_WARNING for what loads but surprises (an octal ID, an
 * unknown attribute, a symlink mdevctl ignores too), APMATRIX_SEVERITY_INFO
 * for files that are not definitions.
 * @param store the store
 * @param index 0 to count - 1
 * @return an enum apmatrix_severity value, or -EINVAL out of range
 * @since 0.1
 */
int apmatrix_store_get_error_severity(const struct apmatrix_store *store,
                                      unsigned int index);

/**
 * @brief The persistent `apmask` the rules file sets.
 * @param store the store
 * @return the mask, owned by the store, or NULL when the rules do not set it
 *         (then the active mask stays as it is at boot)
 * @since 0.1
 */
const struct apmatrix_idset *
apmatrix_store_get_persistent_apmask(const struct apmatrix_store *store);

/**
 * @brief The persistent `aqmask` the rules file sets.
 * @param store the store
 * @return as apmatrix_store_get_persistent_apmask()
 * @since 0.1
 */
const struct apmatrix_idset *
apmatrix_store_get_persistent_aqmask(const struct apmatrix_store *store);

/**
 * @brief Write a new definition from the mdev's APMATRIX_ROLE_DEFINED
 * configuration and start mode, as `mdevctl define` would.
 *
 * The matrix is written as `assign_adapter` `0xAA`, `assign_domain` and
 * `assign_control_domain` `0xDDDD` attributes in ascending order (hex, so
 * no leading zero turns a number octal). The store's snapshot is updated.
 * @param store the store
 * @param mdev an mdev with parent `matrix`, type `vfio_ap-passthrough` and
 *        a definition (read, not kept)
 * @param flags 0 or APMATRIX_STORE_LOCKED
 * @return 0, or -EEXIST when that UUID is defined on disk, -EINVAL for an
 *         mdev without a definition or of another parent or type, -ELOOP
 *         when a path component is a symlink, -ETIMEDOUT when the lock is
 *         not free in time, or the errno of the failed file operation
 *         (the diagnostic names the file)
 * @since 0.1
 */
int apmatrix_store_define(struct apmatrix_store *store,
                          struct apmatrix_mdev *mdev, unsigned int flags);

/**
 * @brief Change an existing definition to the mdev's
 * APMATRIX_ROLE_DEFINED matrix and start mode.
 *
 * The file is read again under the lock, so a change made meanwhile by
 * mdevctl is not lost: attributes that are not part of the matrix stay
 * where they are, and when the matrix is unchanged the attributes are kept
 * exactly. Otherwise the matrix attributes are replaced by the canonical
 * list (see apmatrix_store_define()) at the place of the first one.
 * @param store the store
 * @param mdev as for apmatrix_store_define()
 * @param flags 0 or APMATRIX_STORE_LOCKED
 * @return 0, or -ENOENT when that UUID is not defined, -EINVAL also when
 *         the file on disk is not a valid definition (it is left alone),
 *         and the errors of apmatrix_store_define()
 * @since 0.1
 */
int apmatrix_store_modify(struct apmatrix_store *store,
                          struct apmatrix_mdev *mdev, unsigned int flags);

/**
 * @brief Set the start mode of a definition (`mdevctl modify --auto` /
 * `--manual`); everything else in the file stays.
 * @param store the store
 * @param uuid the UUID
 * @param autostart 1 (auto) or 0 (manual)
 * @param flags 0 or APMATRIX_STORE_LOCKED
 * @return as apmatrix_store_modify()
 * @since 0.1
 */
int apmatrix_store_set_autostart(struct apmatrix_store *store,
                                 const char *uuid, int autostart,
                                 unsigned int flags);

/**
 * @brief Remove a definition (`mdevctl undefine`). Only a regular file that
 * reads as a vfio_ap-passthrough definition is removed.
 * @param store the store
 * @param uuid the UUID
 * @param flags 0 or APMATRIX_STORE_LOCKED
 * @return as apmatrix_store_modify()
 * @since 0.1
 */
int apmatrix_store_undefine(struct apmatrix_store *store, const char *uuid,
                            unsigned int flags);

/**
 * @brief Write the persistent host masks as chzdev writes them
 * (`chzdev --type ap --persistent apmask=... aqmask=...`).
 *
 * A mask given as NULL is not set by the rules (the kernel default stays at
 * boot); both NULL removes the rules file, as chzdev does when no mask is
 * set. Checking that the masks take no APQN of an autostart definition is
 * the caller's (apmatrix_check_add_store()), under the lock.
 * @param store the store
 * @param apmask the persistent apmask, or NULL
 * @param aqmask the persistent aqmask, or NULL
 * @param flags 0 or APMATRIX_STORE_LOCKED
 * @return 0, or -EINVAL, -ELOOP, -ETIMEDOUT or the errno of the failed
 *         file operation
 * @since 0.1
 */
int apmatrix_store_set_persistent_masks(struct apmatrix_store *store,
                                        const struct apmatrix_idset *apmask,
                                        const struct apmatrix_idset *aqmask,
                                        unsigned int flags);

/**
 * @brief The definition file the store would write for an mdev (for a
 * defined UUID: with the stored attributes that are not part of the
 * matrix), without writing it.
 * @param store the store
 * @param mdev as for apmatrix_store_define()
 * @param flags 0, or APMATRIX_STORE_COMPACT for mdevctl's one-line form
 * @param buf where to write, or NULL when @p size is 0
 * @param size size of @p buf
 * @return the length of the whole text (snprintf-style), or -EINVAL,
 *         -ENOMEM
 * @since 0.1
 */
int apmatrix_store_format_definition(struct apmatrix_store *store,
                                     struct apmatrix_mdev *mdev,
                                     unsigned int flags, char *buf,
                                     size_t size);

/**
 * @brief Start a defined mdev (`mdevctl start`): create it with the
 * definition's matrix through the change layer (apmatrix_plan_apply(): a
 * fresh host read and plan under the s390apconfig lock, `ap_config` where
 * the kernel has it, rollback on failure). Attributes of the definition
 * that are not part of the matrix are not written.
 * @param store the store
 * @param uuid a UUID the store defines
 * @param flags 0 or APMATRIX_STORE_LOCKED (the caller holds the lock)
 * @param[out] ret the result of the apply (see apmatrix_plan_apply())
 * @return 0, or -ENOENT when the UUID is not defined, -EINVAL, or the
 *         error of reading the host or of the apply (the diagnostic is the
 *         result's message)
 * @since 0.1
 */
int apmatrix_store_start(struct apmatrix_store *store, const char *uuid,
                         unsigned int flags, struct apmatrix_result **ret);

/**
 * @brief Stop an mdev (`mdevctl stop`): remove the live device through the
 * change layer; the definition stays.
 * @param store the store
 * @param uuid the UUID
 * @param flags 0 or APMATRIX_STORE_LOCKED
 * @param[out] ret the result of the apply
 * @return as apmatrix_store_start()
 * @since 0.1
 */
int apmatrix_store_stop(struct apmatrix_store *store, const char *uuid,
                        unsigned int flags, struct apmatrix_result **ret);

/**
 * @brief Add the stored configuration: every definition (in its
 * APMATRIX_ROLE_DEFINED configuration) and the persistent host masks.
 *
 * The persistent masks are read as libap (ap-check, chzdev) reads them: a
 * mask the rules file does not set is the active one of the check's host
 * (set the host first); without a host and without both masks in the rules
 * no persistent pool is checked. A UUID the check has a definition for
 * already keeps that one, so a proposed definition added first stands in
 * for the stored one.
 *
 * A whole-host check is apmatrix_host_read(), apmatrix_check_set_host(),
 * apmatrix_check_add_mdev() for each live mdev of the host, then this call.
 * @param check the check
 * @param store the store
 * @param flags 0
 * @return 0, or -EINVAL, -ENOMEM
 * @since 0.1
 */
int apmatrix_check_add_store(struct apmatrix_check *check,
                             struct apmatrix_store *store,
                             unsigned int flags);

/** @} */

/**
 * @defgroup lock The s390apconfig lock
 * The lock s390-tools (ap-check, chzdev, lszdev) take around every change of
 * the AP configuration, in their protocol, so that libapmatrix excludes them
 * and they exclude libapmatrix: the file `lock/s390apconfig.lock` under the
 * context's run root (`/run/lock/s390apconfig.lock`), created with link()
 * from a temporary file that holds the owner's PID and a newline. A lock
 * whose process is gone, or that names no PID and is older than 120 s, is
 * stale and is broken. Not `flock()`: a flock excludes none of them.
 *
 * The lock belongs to a process, not to a thread or a context: a second
 * acquire in the process that holds it fails with -EDEADLK.
 * @{
 */

/** @brief A held (or inherited) s390apconfig lock. @since 0.1 */
struct apmatrix_lock;

/** @brief Flags of apmatrix_lock_acquire(). @since 0.1 */
enum apmatrix_lock_flags {
	/**
	 * Hold the lock in the name of the parent process, as the mdevctl
	 * callout ap-check does: it then lasts from the "pre" to the "post"
	 * callout, which are separate processes with mdevctl as the parent.
	 */
	APMATRIX_LOCK_PARENT = 1
};

/**
 * @brief Take the s390apconfig lock.
 *
 * Tries at once, then every 30-33 ms (random, so contenders do not retry in
 * step) until @p timeout_ms has passed. The directory `lock` under the run
 * root must exist (it is not created).
 *
 * With APMATRIX_LOCK_PARENT the lock file names the parent process, and a
 * lock that already names the parent (a callout run by an mdevctl that holds
 * it, or the "post" callout after the "pre" callout took it) is not waited
 * for: the call returns 1 and a lock object that refers to it.
 * @param ctx the context (its run root)
 * @param timeout_ms how long to wait for another holder: 0 tries once, -1
 *        waits forever
 * @param flags 0 or APMATRIX_LOCK_PARENT
 * @param[out] ret the lock
 * @return 0 when the lock was taken; 1 (APMATRIX_LOCK_PARENT only) when the
 *         parent held it already; -ETIMEDOUT when another live process still
 *         holds it (the diagnostic names its PID and command), -EDEADLK when
 *         this process holds it already, -ESRCH (APMATRIX_LOCK_PARENT) when
 *         the parent is gone and PID 1 adopted the caller (a lock in the
 *         name of init would never become stale), -EINVAL, -ENOMEM, or the
 *         errno of a failed file operation (-ENOENT: no `lock` directory,
 *         -EACCES, ...)
 * @since 0.1
 */
int apmatrix_lock_acquire(struct apmatrix_ctx *ctx, int timeout_ms,
                          unsigned int flags, struct apmatrix_lock **ret);

/**
 * @brief Release the lock now.
 *
 * Removes the lock file only when it still names the owner (this process,
 * or its parent for APMATRIX_LOCK_PARENT). Also releases a lock the parent
 * held already (the "post" callout). The object stays valid; it no longer
 * holds anything, whatever the result.
 * @param lock the lock
 * @return 0; -ENOENT when someone else removed the lock file, -ENOLCK when
 *         it names another process now (it was broken as stale, or this is a
 *         child forked after the lock was taken): it is left alone; -EINVAL
 *         when this object was released already
 * @since 0.1
 */
int apmatrix_lock_release(struct apmatrix_lock *lock);

/**
 * @brief Take a reference on a lock.
 * @param lock the lock, or NULL
 * @return @p lock
 * @since 0.1
 */
struct apmatrix_lock *apmatrix_lock_ref(struct apmatrix_lock *lock);

/**
 * @brief Drop a reference; the last one frees the object.
 *
 * The last reference to a lock this process took for itself (without
 * APMATRIX_LOCK_PARENT) releases it, as apmatrix_lock_release() would. A
 * lock held for the parent stays held until apmatrix_lock_release() (in
 * this or a later callout process), and a lock the parent held already is
 * never released by an unref. A forked child never releases its parent's
 * lock.
 * @param lock the lock, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_lock *apmatrix_lock_unref(struct apmatrix_lock *lock);

/**
 * @brief The context of a lock.
 * @param lock the lock
 * @return the context (no new reference), or NULL for a NULL lock
 * @since 0.1
 */
struct apmatrix_ctx *apmatrix_lock_get_ctx(const struct apmatrix_lock *lock);

/**
 * @brief The path of the lock file.
 * @param lock the lock
 * @return the path, valid as long as the lock object, or NULL
 * @since 0.1
 */
const char *apmatrix_lock_get_path(const struct apmatrix_lock *lock);

/**
 * @brief The PID the lock file names: this process, or its parent with
 * APMATRIX_LOCK_PARENT.
 * @param lock the lock
 * @return the PID, or -EINVAL for a NULL lock
 * @since 0.1
 */
int apmatrix_lock_get_owner(const struct apmatrix_lock *lock);

/**
 * @brief Whether the object still holds the lock (was not released).
 * @param lock the lock
 * @return 1 or 0, or -EINVAL for a NULL lock
 * @since 0.1
 */
int apmatrix_lock_is_held(const struct apmatrix_lock *lock);

/** @} */

/**
 * @defgroup monitor Change events
 * An fd-based monitor of the kernel's uevents for the AP bus (cards,
 * queues, masks, bindings) and for vfio_ap mediated devices, decoded into
 * typed events. The caller polls the fd in its own loop (POLLIN) and reads
 * events until -EAGAIN; the library starts no thread and calls no callback.
 *
 * Source of the events: with udevd running (its control socket
 * `udev/control` exists under the context's run root) the monitor listens
 * to udevd's broadcasts, which come after udev rules ran; without udevd
 * (minimal hosts, containers, early boot) it listens to the kernel
 * directly, since udevd's group would stay silent. The events are the same.
 * The monitor sees the whole host: netlink cannot be re-rooted, so the
 * sysfs root of the context does not apply to it.
 * @{
 */

/** @brief A uevent monitor. @since 0.1 */
struct apmatrix_monitor;

/** @brief One change event. @since 0.1 */
struct apmatrix_event;

/** @brief Where the monitor's uevents come from. @since 0.1 */
enum apmatrix_monitor_source {
	/** the kernel's netlink group, as the kernel sends them */
	APMATRIX_MONITOR_KERNEL = 1,
	/** udevd's netlink group, after udev rules ran */
	APMATRIX_MONITOR_UDEV = 2
};

/** @brief What a change event says. @since 0.1 */
enum apmatrix_event_type {
	/** a card (adapter) appeared: adapter */
	APMATRIX_EVENT_CARD_ADD = 1,
	/** a card went away: adapter */
	APMATRIX_EVENT_CARD_REMOVE = 2,
	/** a card was configured (1) or deconfigured (0) (SCLP; also sent
	 * on a write of `config` that changes nothing): adapter, value */
	APMATRIX_EVENT_CARD_CONFIG = 3,
	/** a card was set online (1) or offline (0): adapter, value */
	APMATRIX_EVENT_CARD_ONLINE = 4,
	/** a queue appeared: APQN, adapter */
	APMATRIX_EVENT_QUEUE_ADD = 5,
	/** a queue went away: APQN, adapter */
	APMATRIX_EVENT_QUEUE_REMOVE = 6,
	/** a queue's card was (de)configured: APQN, adapter, value */
	APMATRIX_EVENT_QUEUE_CONFIG = 7,
	/** a queue was set online (1) or offline (0): APQN, adapter, value */
	APMATRIX_EVENT_QUEUE_ONLINE = 8,
	/** a driver bound a queue: APQN, adapter, driver */
	APMATRIX_EVENT_QUEUE_BIND = 9,
	/** a queue's driver let go of it: APQN, adapter */
	APMATRIX_EVENT_QUEUE_UNBIND = 10,
	/** `apmask` changed: mask (the new value) */
	APMATRIX_EVENT_APMASK = 11,
	/** `aqmask` changed: mask (the new value) */
	APMATRIX_EVENT_AQMASK = 12,
	/** every queue of the AP bus is bound to a driver (after a bus scan,
	 * not after a mask change): value (the kernel's completion count) */
	APMATRIX_EVENT_BINDINGS_COMPLETE = 13,
	/** a vfio_ap mediated device was created: uuid. Its attributes appear
	 * when the vfio_ap_mdev driver has bound it, a moment later. */
	APMATRIX_EVENT_MDEV_ADD = 14,
	/** a vfio_ap mediated device was removed: uuid */
	APMATRIX_EVENT_MDEV_REMOVE = 15
};

/**
 * @brief Start listening for change events.
 * @param ctx the context
 * @param flags 0 (udevd's events when udevd runs, else the kernel's),
 *        APMATRIX_MONITOR_KERNEL or APMATRIX_MONITOR_UDEV
 * @param[out] ret the monitor
 * @return 0, or -EINVAL (unknown flags, both sources), -ENOMEM, or the errno
 *         of a failed socket call
 * @since 0.1
 */
int apmatrix_monitor_new(struct apmatrix_ctx *ctx, unsigned int flags,
                         struct apmatrix_monitor **ret);

/**
 * @brief Take a reference on a monitor.
 * @param monitor the monitor, or NULL
 * @return @p monitor
 * @since 0.1
 */
struct apmatrix_monitor *
apmatrix_monitor_ref(struct apmatrix_monitor *monitor);

/**
 * @brief Drop a reference; the last one closes the monitor and its fd.
 * @param monitor the monitor, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_monitor *
apmatrix_monitor_unref(struct apmatrix_monitor *monitor);

/**
 * @brief The context of a monitor.
 * @param monitor the monitor
 * @return the context (no new reference), or NULL
 * @since 0.1
 */
struct apmatrix_ctx *
apmatrix_monitor_get_ctx(const struct apmatrix_monitor *monitor);

/**
 * @brief The fd to poll for POLLIN (non-blocking, close-on-exec, owned by
 * the monitor).
 * @param monitor the monitor
 * @return the fd, or -EINVAL
 * @since 0.1
 */
int apmatrix_monitor_get_fd(const struct apmatrix_monitor *monitor);

/**
 * @brief Which source the monitor listens to.
 * @param monitor the monitor
 * @return APMATRIX_MONITOR_KERNEL or APMATRIX_MONITOR_UDEV, or -EINVAL
 * @since 0.1
 */
int apmatrix_monitor_get_source(const struct apmatrix_monitor *monitor);

/**
 * @brief Read the next change event, without blocking.
 *
 * uevents that are not about AP devices or vfio_ap mdevs, and AP uevents
 * that report nothing listed in enum apmatrix_event_type (card bind, the
 * first bus scan), are consumed and skipped.
 * @param monitor the monitor
 * @param flags 0
 * @param[out] ret the event (a new reference)
 * @return 0; -EAGAIN when no event is pending (not a failure: poll again);
 *         -ENOBUFS when events were lost because the receive buffer
 *         overflowed (read the host state again, then go on reading);
 *         -EINVAL, -ENOMEM, or the errno of the socket
 * @since 0.1
 */
int apmatrix_monitor_read_event(struct apmatrix_monitor *monitor,
                                unsigned int flags,
                                struct apmatrix_event **ret);

/**
 * @brief Take a reference on an event.
 * @param event the event, or NULL
 * @return @p event
 * @since 0.1
 */
struct apmatrix_event *apmatrix_event_ref(struct apmatrix_event *event);

/**
 * @brief Drop a reference; the last one frees the event.
 * @param event the event, or NULL
 * @return NULL
 * @since 0.1
 */
struct apmatrix_event *apmatrix_event_unref(struct apmatrix_event *event);

/**
 * @brief The context of an event.
 * @param event the event
 * @return the context (no new reference), or NULL
 * @since 0.1
 */
struct apmatrix_ctx *apmatrix_event_get_ctx(const struct apmatrix_event *event);

/**
 * @brief What the event says.
 * @param event the event
 * @return an enum apmatrix_event_type value, or -EINVAL
 * @since 0.1
 */
int apmatrix_event_get_type(const struct apmatrix_event *event);

/**
 * @brief The name of the event's type, e.g. `card-config`, `mdev-add`.
 * @param event the event
 * @return a static string, or NULL for a NULL event
 * @since 0.1
 */
const char *apmatrix_event_get_type_name(const struct apmatrix_event *event);

/**
 * @brief The adapter of a card or queue event.
 * @param event the event
 * @return 0 to 255, -ENOENT for an event without one, or -EINVAL
 * @since 0.1
 */
int apmatrix_event_get_adapter(const struct apmatrix_event *event);

/**
 * @brief The APQN of a queue event (see APMATRIX_APQN()).
 * @param event the event
 * @return the APQN, -ENOENT for an event without one, or -EINVAL
 * @since 0.1
 */
int apmatrix_event_get_apqn(const struct apmatrix_event *event);

/**
 * @brief The new value of a config or online event (0 or 1), or the
 * kernel's count of a bindings-complete event.
 * @param event the event
 * @return the value, -ENOENT for an event without one, or -EINVAL
 * @since 0.1
 */
int apmatrix_event_get_value(const struct apmatrix_event *event);

/**
 * @brief The driver that bound the queue of a queue-bind event.
 * @param event the event
 * @return APMATRIX_DRIVER_VFIO_AP or APMATRIX_DRIVER_DEFAULT (a host
 *         driver), -ENOENT for other events, or -EINVAL
 * @since 0.1
 */
int apmatrix_event_get_driver(const struct apmatrix_event *event);

/**
 * @brief The UUID of an mdev event, as the kernel names the device.
 * @param event the event
 * @return the UUID, valid as long as the event, or NULL for other events
 * @since 0.1
 */
const char *apmatrix_event_get_uuid(const struct apmatrix_event *event);

/**
 * @brief The new mask of an apmask or aqmask event.
 * @param event the event
 * @return the mask, valid as long as the event (a reference on it keeps the
 *         event), or NULL for other events
 * @since 0.1
 */
const struct apmatrix_idset *
apmatrix_event_get_mask(const struct apmatrix_event *event);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* APMATRIX_H */
