/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers of the host, mdev, check and report suites: building mdevs and
 * hosts from short ID lists and comparing findings exactly.
 */
#ifndef APMATRIX_TESTCHECK_H
#define APMATRIX_TESTCHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apmatrix.h"
#include "testlib.h"

/* Fill a set from "1,3,0x47,5-7" (no dependency on the idset parser). */
static inline void tc_fill(struct apmatrix_idset *set, const char *ids)
{
	const char *p = ids;

	ck_assert_int_eq(apmatrix_idset_clear_all(set), 0);
	while (p && *p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 0), hi = lo;

		ck_assert_ptr_ne(end, p);
		if (*end == '-')
			hi = strtoul(end + 1, &end, 0);
		for (unsigned long i = lo; i <= hi; i++)
			ck_assert_int_eq(
				apmatrix_idset_set(set, (unsigned int)i), 0);
		p = *end == ',' ? end + 1 : end;
	}
}

/* The set as "1,3,5" (decimal, no ranges), in a rotating static buffer. */
static inline const char *tc_ids(const struct apmatrix_idset *set)
{
	static char bufs[4][1024];
	static int which;
	char *buf = bufs[which++ & 3];
	size_t len = 0;

	buf[0] = '\0';
	for (int id = apmatrix_idset_next(set, 0); id >= 0;
	     id = apmatrix_idset_next(set, (unsigned int)id + 1))
		len += (size_t)snprintf(buf + len, 1024 - len, "%s%d",
					len ? "," : "", id);
	return buf;
}

/* The list as "04.0047,05.0047", in a rotating static buffer. */
static inline const char *tc_apqns(const struct apmatrix_apqn_list *list)
{
	static char bufs[4][65536];
	static int which;
	char *buf = bufs[which++ & 3];
	size_t len = 0;
	unsigned int n = apmatrix_apqn_list_get_count(list);

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && len < 65000; i++) {
		int apqn = apmatrix_apqn_list_get_apqn(list, i);

		ck_assert_int_ge(apqn, 0);
		len += (size_t)snprintf(buf + len, 65536 - len, "%s%02x.%04x",
					i ? "," : "",
					APMATRIX_APQN_ADAPTER(apqn),
					APMATRIX_APQN_DOMAIN(apqn));
	}
	return buf;
}

/* Fill a matrix from three ID lists. */
static inline void tc_matrix(struct apmatrix_matrix *m, const char *adapters,
			     const char *domains, const char *controls)
{
	ck_assert_ptr_nonnull(m);
	tc_fill(apmatrix_matrix_get_adapters(m), adapters);
	tc_fill(apmatrix_matrix_get_usage_domains(m), domains);
	tc_fill(apmatrix_matrix_get_control_domains(m), controls);
}

/*
 * An mdev with the configurations the state bits name, all with the same
 * matrix: a live one for APMATRIX_MDEV_ACTIVE, a definition for
 * APMATRIX_MDEV_DEFINED (autostart with APMATRIX_MDEV_AUTOSTART).
 */
static inline struct apmatrix_mdev *
tc_mdev(struct apmatrix_ctx *ctx, const char *uuid, const char *adapters,
	const char *domains, const char *controls, unsigned int state)
{
	struct apmatrix_mdev *mdev = NULL;

	ck_assert_int_eq(apmatrix_mdev_new(ctx, uuid, &mdev), 0);
	if (state & APMATRIX_MDEV_ACTIVE) {
		ck_assert_int_eq(
			apmatrix_mdev_add_config(mdev, APMATRIX_ROLE_LIVE, 0),
			0);
		tc_matrix(apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_LIVE),
			  adapters, domains, controls);
	}
	if (state & (APMATRIX_MDEV_DEFINED | APMATRIX_MDEV_AUTOSTART)) {
		ck_assert_int_eq(apmatrix_mdev_add_config(
					 mdev, APMATRIX_ROLE_DEFINED, 0),
				 0);
		tc_matrix(apmatrix_mdev_get_matrix(mdev, APMATRIX_ROLE_DEFINED),
			  adapters, domains, controls);
		ck_assert_int_eq(
			apmatrix_mdev_set_autostart(
				mdev, !!(state & APMATRIX_MDEV_AUTOSTART)),
			0);
	}
	return mdev;
}

/* Add an mdev to a check and drop the caller's reference. */
static inline void tc_add(struct apmatrix_check *check,
			  struct apmatrix_ctx *ctx, const char *uuid,
			  const char *adapters, const char *domains,
			  const char *controls, unsigned int state)
{
	struct apmatrix_mdev *mdev =
		tc_mdev(ctx, uuid, adapters, domains, controls, state);

	ck_assert_int_eq(apmatrix_check_add_mdev(check, mdev), 0);
	apmatrix_mdev_unref(mdev);
}

/* A live configuration, as a host snapshot gives it (an mdev of its own). */
static inline void tc_add_live(struct apmatrix_check *check,
			       struct apmatrix_ctx *ctx, const char *uuid,
			       const char *adapters, const char *domains,
			       const char *controls)
{
	tc_add(check, ctx, uuid, adapters, domains, controls,
	       APMATRIX_MDEV_ACTIVE);
}

/* A definition, as a store gives it (an mdev of its own). */
static inline void tc_add_def(struct apmatrix_check *check,
			      struct apmatrix_ctx *ctx, const char *uuid,
			      const char *adapters, const char *domains,
			      const char *controls, int autostart)
{
	tc_add(check, ctx, uuid, adapters, domains, controls,
	       APMATRIX_MDEV_DEFINED |
		       (autostart ? APMATRIX_MDEV_AUTOSTART : 0));
}

/*
 * A host with the given cards, each with a queue on every domain in
 * `domains`, all bound to vfio_ap, and both reservation masks empty (every
 * queue may go to vfio_ap). Control domain mask = `controls`.
 */
static inline struct apmatrix_host *tc_host(struct apmatrix_ctx *ctx,
					    const char *cards,
					    const char *domains,
					    const char *controls)
{
	struct apmatrix_host *host = NULL;
	struct apmatrix_idset *cs = NULL, *ds = NULL;

	ck_assert_int_eq(apmatrix_host_new(ctx, &host), 0);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &cs), 0);
	ck_assert_int_eq(apmatrix_idset_new(ctx, &ds), 0);
	tc_fill(cs, cards);
	tc_fill(ds, domains);
	for (int a = apmatrix_idset_next(cs, 0); a >= 0;
	     a = apmatrix_idset_next(cs, (unsigned int)a + 1)) {
		ck_assert_int_eq(
			apmatrix_host_add_card(
				host, (unsigned int)a, 14, APMATRIX_MODE_CCA,
				APMATRIX_STATE_ONLINE | APMATRIX_STATE_CONFIG),
			0);
		for (int d = apmatrix_idset_next(ds, 0); d >= 0;
		     d = apmatrix_idset_next(ds, (unsigned int)d + 1))
			ck_assert_int_eq(apmatrix_host_add_queue(
						 host, APMATRIX_APQN(a, d),
						 APMATRIX_DRIVER_VFIO_AP,
						 APMATRIX_STATE_ONLINE |
							 APMATRIX_STATE_CONFIG),
					 0);
	}
	tc_fill(apmatrix_host_get_control_domain_mask(host), controls);
	tc_fill(apmatrix_host_get_apmask(host), "");
	tc_fill(apmatrix_host_get_aqmask(host), "");
	apmatrix_idset_unref(cs);
	apmatrix_idset_unref(ds);
	return host;
}

/* "<uuid>:<role> <uuid>:<role>": the mdevs of a finding and their roles. */
static inline const char *tc_who(const struct apmatrix_finding *f)
{
	static char bufs[4][128];
	static int which;
	char *buf = bufs[which++ & 3];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < apmatrix_finding_get_uuid_count(f); i++) {
		int role = apmatrix_finding_get_role(f, i);

		len += (size_t)snprintf(
			buf + len, sizeof(bufs[0]) - len, "%s%s:%s",
			i ? " " : "", apmatrix_finding_get_uuid(f, i),
			role == APMATRIX_ROLE_LIVE      ? "live"
			: role == APMATRIX_ROLE_DEFINED ? "defined"
							: "?");
	}
	return buf;
}

#define TC_L(uuid) uuid ":live"
#define TC_D(uuid) uuid ":defined"

/* Assert every field of a finding; who as tc_who() writes it. */
#define tc_expect(report, index, code, severity, who, apqns, adapters, usage,  \
		  controls)                                                    \
	do {                                                                   \
		const struct apmatrix_finding *f_ =                            \
			apmatrix_report_get_finding((report), (index));        \
		ck_assert_msg(f_ != NULL, "no finding %u", (unsigned)(index)); \
		ck_assert_int_eq(apmatrix_finding_get_code(f_), (code));       \
		ck_assert_int_eq(apmatrix_finding_get_severity(f_),            \
				 (severity));                                  \
		ck_assert_str_eq(tc_who(f_), (who));                           \
		ck_assert_str_eq(tc_apqns(apmatrix_finding_get_apqns(f_)),     \
				 (apqns));                                     \
		ck_assert_str_eq(tc_ids(apmatrix_finding_get_adapters(f_)),    \
				 (adapters));                                  \
		ck_assert_str_eq(                                              \
			tc_ids(apmatrix_finding_get_usage_domains(f_)),        \
			(usage));                                              \
		ck_assert_str_eq(                                              \
			tc_ids(apmatrix_finding_get_control_domains(f_)),      \
			(controls));                                           \
	} while (0)

/* The message of finding index. */
#define tc_message(report, index)                                              \
	apmatrix_finding_get_message(                                          \
		apmatrix_report_get_finding((report), (index)))

/* Run a check that must succeed; returns the report. */
static inline struct apmatrix_report *tc_run(struct apmatrix_check *check)
{
	struct apmatrix_report *report = NULL;
	int r = apmatrix_check_run(check, 0, &report);

	ck_assert_int_ge(r, 0);
	ck_assert_ptr_nonnull(report);
	ck_assert_uint_eq((unsigned int)r, apmatrix_report_get_count(report));
	return report;
}

#endif
