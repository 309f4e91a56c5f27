/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host descriptions: limits, masks, cards, queues, bindings, guest matrix. */
#include <errno.h>

#include "apmatrix.h"
#include "testcheck.h"
#include "testlib.h"

#define ONLINE (APMATRIX_STATE_ONLINE | APMATRIX_STATE_CONFIG)

static struct apmatrix_ctx *ctx;
static struct apmatrix_host *host;

static void setup(void)
{
	ctx = test_ctx_new();
	ck_assert_int_eq(apmatrix_host_new(ctx, &host), 0);
}

static void teardown(void)
{
	ck_assert_ptr_null(apmatrix_host_unref(host));
	ck_assert_ptr_null(apmatrix_unref(ctx));
}

/* Properties through the info objects (-ENOENT: no such card or queue). */
static int card_prop(const struct apmatrix_host *h, unsigned int adapter,
		     char which)
{
	struct apmatrix_card_info *info = NULL;
	int r = apmatrix_host_get_card_info(h, adapter, &info);

	if (r < 0)
		return r;
	switch (which) {
	case 'h':
		r = apmatrix_card_info_get_hwtype(info);
		break;
	case 'm':
		r = apmatrix_card_info_get_mode(info);
		break;
	default:
		r = (apmatrix_card_info_get_online(info) == 1
			     ? APMATRIX_STATE_ONLINE
			     : 0) |
		    (apmatrix_card_info_get_config(info) == 1
			     ? APMATRIX_STATE_CONFIG
			     : 0) |
		    (apmatrix_card_info_get_chkstop(info) == 1
			     ? APMATRIX_STATE_CHKSTOP
			     : 0);
	}
	apmatrix_card_info_unref(info);
	return r;
}

#define card_hwtype(h, a) card_prop(h, a, 'h')
#define card_mode(h, a) card_prop(h, a, 'm')
#define card_state(h, a) card_prop(h, a, 's')

static int queue_driver(const struct apmatrix_host *h, unsigned int apqn)
{
	struct apmatrix_queue_info *info = NULL;
	int r = apmatrix_host_get_queue_info(h, apqn, &info);

	if (r < 0)
		return r;
	r = apmatrix_queue_info_get_driver(info);
	apmatrix_queue_info_unref(info);
	return r;
}

START_TEST(defaults)
{
	ck_assert_ptr_eq(apmatrix_host_get_ctx(host), ctx);
	ck_assert_uint_eq(apmatrix_host_get_max_adapter_id(host), 255);
	ck_assert_uint_eq(apmatrix_host_get_max_domain_id(host), 255);
	ck_assert_uint_eq(
		apmatrix_idset_get_count(apmatrix_host_get_adapter_mask(host)),
		0);
	ck_assert_uint_eq(apmatrix_idset_get_count(
				  apmatrix_host_get_usage_domain_mask(host)),
			  0);
	ck_assert_uint_eq(apmatrix_idset_get_count(
				  apmatrix_host_get_control_domain_mask(host)),
			  0);
	ck_assert_uint_eq(
		apmatrix_idset_get_count(apmatrix_host_get_apmask(host)), 256);
	ck_assert_uint_eq(
		apmatrix_idset_get_count(apmatrix_host_get_aqmask(host)), 256);
	for (unsigned int a = 0; a < 256; a++)
		ck_assert_int_eq(apmatrix_host_has_card(host, a), 0);
	ck_assert_int_eq(apmatrix_host_has_queue(host, 0), 0);
	ck_assert_int_eq(card_hwtype(host, 3), -ENOENT);
}
END_TEST

START_TEST(null_and_range)
{
	struct apmatrix_host *h = NULL;

	ck_assert_int_eq(apmatrix_host_new(NULL, &h), -EINVAL);
	ck_assert_int_eq(apmatrix_host_new(ctx, NULL), -EINVAL);
	ck_assert_ptr_null(h);
	ck_assert_ptr_null(apmatrix_host_ref(NULL));
	ck_assert_ptr_null(apmatrix_host_unref(NULL));
	ck_assert_ptr_null(apmatrix_host_get_ctx(NULL));
	ck_assert_uint_eq(apmatrix_host_get_max_adapter_id(NULL), 0);
	ck_assert_uint_eq(apmatrix_host_get_max_domain_id(NULL), 0);
	ck_assert_ptr_null(apmatrix_host_get_adapter_mask(NULL));
	ck_assert_ptr_null(apmatrix_host_get_usage_domain_mask(NULL));
	ck_assert_ptr_null(apmatrix_host_get_control_domain_mask(NULL));
	ck_assert_ptr_null(apmatrix_host_get_apmask(NULL));
	ck_assert_ptr_null(apmatrix_host_get_aqmask(NULL));
	ck_assert_int_eq(apmatrix_host_set_max_ids(NULL, 1, 1), -EINVAL);
	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 256, 1), -EINVAL);
	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 1, 256), -EINVAL);
	ck_assert_uint_eq(apmatrix_host_get_max_adapter_id(host), 255);
	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	ck_assert_uint_eq(apmatrix_host_get_max_adapter_id(host), 63);
	ck_assert_uint_eq(apmatrix_host_get_max_domain_id(host), 15);

	ck_assert_int_eq(apmatrix_host_add_card(NULL, 1, 14, 1, 0), -EINVAL);
	test_call(ctx, apmatrix_host_add_card(host, 256, 14, 1, 0), -EINVAL,
		  "adapter 256 out of range");
	test_call(ctx, apmatrix_host_add_card(host, 1, 256, 1, 0), -EINVAL,
		  "card 01: hwtype 256 out of range");
	test_call(ctx, apmatrix_host_add_card(host, 1, 14, 4, 0), -EINVAL,
		  "card 01: unknown mode 4");
	test_call(ctx, apmatrix_host_add_card(host, 1, 14, 1, 8), -EINVAL,
		  "card 01: unknown state bits 0x8");
	ck_assert_int_eq(apmatrix_host_has_card(host, 1), 0);
	ck_assert_int_eq(apmatrix_host_has_card(NULL, 1), 0);
	ck_assert_int_eq(apmatrix_host_has_card(host, 256), 0);
	ck_assert_int_eq(apmatrix_host_remove_card(NULL, 1), -EINVAL);
	ck_assert_int_eq(apmatrix_host_remove_card(host, 256), -EINVAL);
	ck_assert_int_eq(apmatrix_host_remove_card(host, 1), -ENOENT);
	ck_assert_int_eq(card_mode(host, 1), -ENOENT);
	ck_assert_int_eq(card_state(host, 1), -ENOENT);
	ck_assert_int_eq(card_state(NULL, 1), -EINVAL);
	ck_assert_int_eq(card_hwtype(host, 300), -EINVAL);
	ck_assert_int_eq(apmatrix_host_set_card_state(host, 1, 0), -ENOENT);
	ck_assert_int_eq(apmatrix_host_set_card_state(NULL, 1, 0), -EINVAL);

	ck_assert_int_eq(apmatrix_host_add_queue(NULL, 0x101, 2, 0), -EINVAL);
	ck_assert_int_eq(apmatrix_host_add_queue(host, 0x101, 2, 0), -ENOENT);
	ck_assert_int_eq(apmatrix_host_add_card(host, 1, 14, 1, ONLINE), 0);
	ck_assert_int_eq(apmatrix_host_add_queue(host, 0x10000, 2, 0), -EINVAL);
	ck_assert_int_eq(apmatrix_host_add_queue(host, 0x101, 3, 0), -EINVAL);
	ck_assert_int_eq(apmatrix_host_add_queue(host, 0x101, 2, 8), -EINVAL);
	ck_assert_int_eq(apmatrix_host_has_queue(host, 0x101), 0);
	ck_assert_int_eq(apmatrix_host_has_queue(NULL, 0x101), 0);
	ck_assert_int_eq(apmatrix_host_has_queue(host, 0x10101), 0);
	ck_assert_int_eq(apmatrix_host_remove_queue(host, 0x101), -ENOENT);
	ck_assert_int_eq(apmatrix_host_remove_queue(NULL, 0x101), -EINVAL);
	ck_assert_int_eq(apmatrix_host_remove_queue(host, 0x10000), -EINVAL);
	ck_assert_int_eq(queue_driver(host, 0x101), -ENOENT);
	ck_assert_int_eq(queue_driver(NULL, 0x101), -EINVAL);
	ck_assert_int_eq(apmatrix_host_set_queue_driver(host, 0x101, 2),
			 -ENOENT);
	ck_assert_int_eq(apmatrix_host_bind_by_masks(NULL), -EINVAL);
}
END_TEST

START_TEST(cards)
{
	ck_assert_int_eq(apmatrix_host_add_card(host, 0x12, 14,
						APMATRIX_MODE_EP11, ONLINE),
			 0);
	ck_assert_int_eq(apmatrix_host_has_card(host, 0x12), 1);
	ck_assert_int_eq(card_hwtype(host, 0x12), 14);
	ck_assert_int_eq(card_mode(host, 0x12), APMATRIX_MODE_EP11);
	ck_assert_int_eq(card_state(host, 0x12), ONLINE);
	ck_assert_str_eq(tc_ids(apmatrix_host_get_adapter_mask(host)), "18");
	ck_assert_int_eq(apmatrix_host_set_card_state(host, 0x12,
						      APMATRIX_STATE_CHKSTOP),
			 0);
	ck_assert_int_eq(card_state(host, 0x12), APMATRIX_STATE_CHKSTOP);
	ck_assert_int_eq(apmatrix_host_set_card_state(host, 0x12, 9), -EINVAL);
	/* Replace. */
	ck_assert_int_eq(
		apmatrix_host_add_card(host, 0x12, 11, APMATRIX_MODE_ACCEL, 0),
		0);
	ck_assert_int_eq(card_hwtype(host, 0x12), 11);
	ck_assert_int_eq(card_mode(host, 0x12), APMATRIX_MODE_ACCEL);
	ck_assert_int_eq(card_state(host, 0x12), 0);
	ck_assert_int_eq(apmatrix_host_add_queue(
				 host, 0x1201, APMATRIX_DRIVER_VFIO_AP, ONLINE),
			 0);
	ck_assert_int_eq(apmatrix_host_add_queue(
				 host, 0x12ff, APMATRIX_DRIVER_DEFAULT, ONLINE),
			 0);
	ck_assert_str_eq(tc_ids(apmatrix_host_get_usage_domain_mask(host)),
			 "1,255");
	ck_assert_int_eq(apmatrix_host_remove_card(host, 0x12), 0);
	ck_assert_int_eq(apmatrix_host_has_card(host, 0x12), 0);
	ck_assert_int_eq(apmatrix_host_has_queue(host, 0x1201), 0);
	ck_assert_int_eq(apmatrix_host_has_queue(host, 0x12ff), 0);
	/* The configuration masks are left alone. */
	ck_assert_str_eq(tc_ids(apmatrix_host_get_adapter_mask(host)), "18");
	ck_assert_str_eq(tc_ids(apmatrix_host_get_usage_domain_mask(host)),
			 "1,255");
	/* A new card has no queues. */
	ck_assert_int_eq(apmatrix_host_add_card(host, 0x12, 14, 2, ONLINE), 0);
	ck_assert_int_eq(apmatrix_host_has_queue(host, 0x1201), 0);
}
END_TEST

START_TEST(queues)
{
	ck_assert_int_eq(apmatrix_host_add_card(host, 4, 14, 2, ONLINE), 0);
	ck_assert_int_eq(apmatrix_host_add_queue(host, APMATRIX_APQN(4, 0x47),
						 APMATRIX_DRIVER_DEFAULT,
						 ONLINE),
			 0);
	ck_assert_int_eq(apmatrix_host_has_queue(host, APMATRIX_APQN(4, 0x47)),
			 1);
	ck_assert_int_eq(apmatrix_host_has_queue(host, APMATRIX_APQN(4, 0x46)),
			 0);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(4, 0x47)),
			 APMATRIX_DRIVER_DEFAULT);
	ck_assert_int_eq(
		apmatrix_host_set_queue_driver(host, APMATRIX_APQN(4, 0x47),
					       APMATRIX_DRIVER_VFIO_AP),
		0);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(4, 0x47)),
			 APMATRIX_DRIVER_VFIO_AP);
	ck_assert_int_eq(apmatrix_host_set_queue_driver(host,
							APMATRIX_APQN(4, 0x47),
							APMATRIX_DRIVER_NONE),
			 0);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(4, 0x47)),
			 APMATRIX_DRIVER_NONE);
	ck_assert_int_eq(
		apmatrix_host_set_queue_driver(host, APMATRIX_APQN(4, 0x47), 3),
		-EINVAL);
	/* Replace keeps one queue, with the new driver. */
	ck_assert_int_eq(apmatrix_host_add_queue(host, APMATRIX_APQN(4, 0x47),
						 APMATRIX_DRIVER_VFIO_AP, 0),
			 0);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(4, 0x47)),
			 APMATRIX_DRIVER_VFIO_AP);
	ck_assert_str_eq(tc_ids(apmatrix_host_get_usage_domain_mask(host)),
			 "71");
	ck_assert_int_eq(
		apmatrix_host_remove_queue(host, APMATRIX_APQN(4, 0x47)), 0);
	ck_assert_int_eq(apmatrix_host_has_queue(host, APMATRIX_APQN(4, 0x47)),
			 0);
	ck_assert_int_eq(
		apmatrix_host_remove_queue(host, APMATRIX_APQN(4, 0x47)),
		-ENOENT);
}
END_TEST

START_TEST(embedded_sets_keep_host)
{
	struct apmatrix_idset *s =
		apmatrix_idset_ref(apmatrix_host_get_apmask(host));

	ck_assert_ptr_eq(s, apmatrix_host_get_apmask(host));
	ck_assert_ptr_eq(apmatrix_idset_get_ctx(s), ctx);
	ck_assert_ptr_null(apmatrix_host_unref(host));
	/* The set (and so the host) is still alive. */
	ck_assert_uint_eq(apmatrix_idset_get_count(s), 256);
	ck_assert_int_eq(apmatrix_idset_clear(s, 3), 0);
	ck_assert_uint_eq(apmatrix_idset_get_count(s), 255);
	host = NULL;
	apmatrix_idset_unref(s);
}
END_TEST

START_TEST(bind_by_masks)
{
	ck_assert_int_eq(apmatrix_host_add_card(host, 2, 14, 2, ONLINE), 0);
	ck_assert_int_eq(apmatrix_host_add_card(host, 5, 14, 2, ONLINE), 0);
	ck_assert_int_eq(apmatrix_host_add_card(host, 6, 9, 2, ONLINE), 0);
	for (unsigned int a = 2; a <= 6; a++) {
		if (!apmatrix_host_has_card(host, a))
			continue;
		ck_assert_int_eq(
			apmatrix_host_add_queue(host, APMATRIX_APQN(a, 5),
						APMATRIX_DRIVER_NONE, ONLINE),
			0);
		ck_assert_int_eq(
			apmatrix_host_add_queue(host, APMATRIX_APQN(a, 0x20),
						APMATRIX_DRIVER_NONE, ONLINE),
			0);
	}
	/* Default masks: everything to the host drivers. */
	ck_assert_int_eq(apmatrix_host_bind_by_masks(host), 0);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(5, 0x20)),
			 APMATRIX_DRIVER_DEFAULT);
	tc_fill(apmatrix_host_get_apmask(host), "0-3,6");
	tc_fill(apmatrix_host_get_aqmask(host), "0-15");
	ck_assert_int_eq(apmatrix_host_bind_by_masks(host), 0);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(2, 5)),
			 APMATRIX_DRIVER_DEFAULT);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(2, 0x20)),
			 APMATRIX_DRIVER_VFIO_AP);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(5, 5)),
			 APMATRIX_DRIVER_VFIO_AP);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(5, 0x20)),
			 APMATRIX_DRIVER_VFIO_AP);
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(6, 5)),
			 APMATRIX_DRIVER_DEFAULT);
	/* vfio_ap does not take queues of cards older than CEX4. */
	ck_assert_int_eq(queue_driver(host, APMATRIX_APQN(6, 0x20)),
			 APMATRIX_DRIVER_NONE);
	ck_assert_int_eq(apmatrix_host_has_queue(host, APMATRIX_APQN(5, 6)), 0);
}
END_TEST

static struct apmatrix_matrix *
predict(const char *adapters, const char *domains, const char *controls)
{
	struct apmatrix_matrix *m = NULL, *g = NULL;

	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m), 0);
	tc_fill(apmatrix_matrix_get_adapters(m), adapters);
	tc_fill(apmatrix_matrix_get_usage_domains(m), domains);
	tc_fill(apmatrix_matrix_get_control_domains(m), controls);
	ck_assert_int_eq(apmatrix_host_predict_guest_matrix(host, m, &g), 0);
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_ne(g, m);
	apmatrix_matrix_unref(m);
	return g;
}

#define expect_guest(g, a, d, c)                                               \
	do {                                                                   \
		struct apmatrix_matrix *g_ = (g);                              \
		ck_assert_str_eq(tc_ids(apmatrix_matrix_get_adapters(g_)), a); \
		ck_assert_str_eq(                                              \
			tc_ids(apmatrix_matrix_get_usage_domains(g_)), d);     \
		ck_assert_str_eq(                                              \
			tc_ids(apmatrix_matrix_get_control_domains(g_)), c);   \
		apmatrix_matrix_unref(g_);                                     \
	} while (0)

START_TEST(guest_matrix)
{
	apmatrix_host_unref(host);
	host = tc_host(ctx, "4,5", "1,2", "1");
	/* Intersection with the configuration. */
	expect_guest(predict("4,5,6", "1,2,3", "1,2"), "4,5", "1,2", "1");
	/* Nothing assigned: nothing. */
	expect_guest(predict("", "", ""), "", "", "");
	/* Adapters without domains: nothing to filter, adapters stay. */
	expect_guest(predict("4,5", "", ""), "4,5", "", "");
	/* 05.0002 bound to the host driver: adapter 5 goes, domains stay. */
	ck_assert_int_eq(
		apmatrix_host_set_queue_driver(host, APMATRIX_APQN(5, 2),
					       APMATRIX_DRIVER_DEFAULT),
		0);
	expect_guest(predict("4,5", "1,2", "1"), "4", "1,2", "1");
	/* Only domain 1 assigned: 05.0002 does not matter. */
	expect_guest(predict("4,5", "1", ""), "4,5", "1", "");
	/* 04.0001 missing as well: no adapter left. */
	ck_assert_int_eq(apmatrix_host_remove_queue(host, APMATRIX_APQN(4, 1)),
			 0);
	expect_guest(predict("4,5", "1,2", "1"), "", "1,2", "1");
	/* Unbound (no driver) filters too. */
	ck_assert_int_eq(apmatrix_host_add_queue(host, APMATRIX_APQN(4, 1),
						 APMATRIX_DRIVER_NONE, ONLINE),
			 0);
	expect_guest(predict("4", "1,2", ""), "", "1,2", "");
	ck_assert_int_eq(
		apmatrix_host_set_queue_driver(host, APMATRIX_APQN(4, 1),
					       APMATRIX_DRIVER_VFIO_AP),
		0);
	expect_guest(predict("4", "1,2", ""), "4", "1,2", "");
	/* Check-stopped or offline queues stay (only the binding matters). */
	ck_assert_int_eq(
		apmatrix_host_set_card_state(host, 4, APMATRIX_STATE_CHKSTOP),
		0);
	expect_guest(predict("4", "1,2", ""), "4", "1,2", "");
}
END_TEST

START_TEST(guest_matrix_no_apxa)
{
	/* APXA off: 64 adapters, 16 domains; IDs over the limit are cut
	 * before the queue test, so their missing queues filter nothing. */
	apmatrix_host_unref(host);
	host = tc_host(ctx, "4,70", "1,20", "1,20");
	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 63, 15), 0);
	expect_guest(predict("4,70", "1,20", "1,20"), "4", "1", "1");
	ck_assert_int_eq(apmatrix_host_remove_queue(host, APMATRIX_APQN(4, 20)),
			 0);
	expect_guest(predict("4,70", "1,20", "1,20"), "4", "1", "1");
	ck_assert_int_eq(apmatrix_host_set_max_ids(host, 255, 255), 0);
	expect_guest(predict("4,70", "1,20", "1,20"), "70", "1,20", "1,20");
}
END_TEST

START_TEST(guest_matrix_errors)
{
	struct apmatrix_matrix *m = NULL, *g = NULL;

	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m), 0);
	ck_assert_int_eq(apmatrix_host_predict_guest_matrix(NULL, m, &g),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_host_predict_guest_matrix(host, NULL, &g),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_host_predict_guest_matrix(host, m, NULL),
			 -EINVAL);
	ck_assert_ptr_null(g);
	apmatrix_matrix_unref(m);
}
END_TEST

START_TEST(full_host)
{
	apmatrix_host_unref(host);
	host = tc_host(ctx, "0-255", "0-255", "0-255");
	ck_assert_uint_eq(
		apmatrix_idset_get_count(apmatrix_host_get_adapter_mask(host)),
		256);
	ck_assert_uint_eq(apmatrix_idset_get_count(
				  apmatrix_host_get_usage_domain_mask(host)),
			  256);
	for (unsigned int q = 0; q < APMATRIX_MAX_APQNS; q += 257)
		ck_assert_int_eq(queue_driver(host, q),
				 APMATRIX_DRIVER_VFIO_AP);
	{
		struct apmatrix_matrix *g = predict("0-255", "0-255", "0-255");

		ck_assert_uint_eq(apmatrix_idset_get_count(
					  apmatrix_matrix_get_adapters(g)),
				  256);
		ck_assert_uint_eq(apmatrix_idset_get_count(
					  apmatrix_matrix_get_usage_domains(g)),
				  256);
		ck_assert_uint_eq(
			apmatrix_idset_get_count(
				apmatrix_matrix_get_control_domains(g)),
			256);
		apmatrix_matrix_unref(g);
	}
	/* One queue unbound: exactly its adapter goes. */
	ck_assert_int_eq(
		apmatrix_host_set_queue_driver(host, APMATRIX_APQN(0x80, 0xff),
					       APMATRIX_DRIVER_DEFAULT),
		0);
	{
		struct apmatrix_matrix *g = predict("0-255", "0-255", "");

		ck_assert_uint_eq(apmatrix_idset_get_count(
					  apmatrix_matrix_get_adapters(g)),
				  255);
		ck_assert_int_eq(apmatrix_idset_test(
					 apmatrix_matrix_get_adapters(g), 0x80),
				 0);
		ck_assert_uint_eq(apmatrix_idset_get_count(
					  apmatrix_matrix_get_usage_domains(g)),
				  256);
		apmatrix_matrix_unref(g);
	}
}
END_TEST

START_TEST(features_and_known)
{
	unsigned int bound = 5, total = 6;

	ck_assert_uint_eq(apmatrix_host_get_known(host), 0xff);
	ck_assert_uint_eq(apmatrix_host_get_known(NULL), 0);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_APXA),
			 -ENODATA);
	test_call(ctx,
		  apmatrix_host_set_feature(host, APMATRIX_FEATURE_APXA, 1), 0,
		  NULL);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_APXA),
			 1);
	test_call(ctx,
		  apmatrix_host_set_feature(host, APMATRIX_FEATURE_APXA, 0), 0,
		  NULL);
	ck_assert_int_eq(apmatrix_host_has_feature(host, APMATRIX_FEATURE_APXA),
			 0);
	test_call(ctx, apmatrix_host_set_feature(host, 3, 1), -EINVAL,
		  "0x3 is not one feature bit");
	test_call(ctx, apmatrix_host_set_feature(host, 2048, 1), -EINVAL,
		  "0x800 is not one feature bit");
	test_call(ctx, apmatrix_host_set_feature(host, APMATRIX_FEATURE_QCI, 2),
		  -EINVAL, "value 2 is not 0 or 1");
	ck_assert_int_eq(apmatrix_host_set_feature(NULL, 1, 1), -EINVAL);
	ck_assert_int_eq(apmatrix_host_has_feature(host, 0), -EINVAL);
	ck_assert_int_eq(apmatrix_host_has_feature(host, 6), -EINVAL);
	ck_assert_int_eq(apmatrix_host_has_feature(NULL, 1), -EINVAL);
	ck_assert_int_eq(apmatrix_host_get_bindings(host, &bound, &total),
			 -ENODATA);
	ck_assert_uint_eq(bound, 5);
	ck_assert_uint_eq(total, 6);
	ck_assert_int_eq(apmatrix_host_get_bindings(NULL, &bound, &total),
			 -EINVAL);
	ck_assert_int_eq(apmatrix_host_uses_driver_override(host), 0);
	ck_assert_int_eq(apmatrix_host_uses_driver_override(NULL), -EINVAL);
}
END_TEST

START_TEST(iterate_and_info)
{
	struct apmatrix_card_info *c = NULL;
	struct apmatrix_queue_info *q = NULL;
	unsigned int f = 9;

	ck_assert_int_eq(apmatrix_host_next_card(host, 0), -ENOENT);
	ck_assert_int_eq(apmatrix_host_next_queue(host, 0), -ENOENT);
	ck_assert_int_eq(apmatrix_host_next_card(host, 256), -ENOENT);
	ck_assert_int_eq(apmatrix_host_next_card(host, 257), -EINVAL);
	ck_assert_int_eq(apmatrix_host_next_queue(host, 65536), -ENOENT);
	ck_assert_int_eq(apmatrix_host_next_queue(host, 65537), -EINVAL);
	ck_assert_int_eq(apmatrix_host_next_card(NULL, 0), -EINVAL);
	ck_assert_int_eq(apmatrix_host_next_queue(NULL, 0), -EINVAL);
	ck_assert_int_eq(apmatrix_host_add_card(host, 3, 13, APMATRIX_MODE_CCA,
						APMATRIX_STATE_CONFIG),
			 0);
	ck_assert_int_eq(apmatrix_host_add_card(host, 0xff, 14, 0, 0), 0);
	ck_assert_int_eq(apmatrix_host_add_queue(host, APMATRIX_APQN(3, 0xff),
						 APMATRIX_DRIVER_VFIO_AP,
						 APMATRIX_STATE_CHKSTOP),
			 0);
	ck_assert_int_eq(apmatrix_host_add_queue(host, APMATRIX_APQN(0xff, 0),
						 APMATRIX_DRIVER_NONE, 0),
			 0);
	ck_assert_int_eq(apmatrix_host_next_card(host, 0), 3);
	ck_assert_int_eq(apmatrix_host_next_card(host, 4), 0xff);
	ck_assert_int_eq(apmatrix_host_next_card(host, 256), -ENOENT);
	ck_assert_int_eq(apmatrix_host_next_queue(host, 0), 0x3ff);
	ck_assert_int_eq(apmatrix_host_next_queue(host, 0x3ff), 0x3ff);
	ck_assert_int_eq(apmatrix_host_next_queue(host, 0x400), 0xff00);
	ck_assert_int_eq(apmatrix_host_next_queue(host, 0xff01), -ENOENT);

	test_call(ctx, apmatrix_host_get_card_info(host, 3, &c), 0, NULL);
	ck_assert_int_eq(apmatrix_card_info_get_adapter(c), 3);
	ck_assert_int_eq(apmatrix_card_info_get_hwtype(c), 13);
	ck_assert_int_eq(apmatrix_card_info_get_raw_hwtype(c), -ENODATA);
	ck_assert_ptr_null(apmatrix_card_info_get_type(c));
	ck_assert_int_eq(apmatrix_card_info_get_mode(c), APMATRIX_MODE_CCA);
	ck_assert_int_eq(apmatrix_card_info_get_functions(c, &f), -ENODATA);
	ck_assert_uint_eq(f, 9);
	ck_assert_int_eq(apmatrix_card_info_get_online(c), 0);
	ck_assert_int_eq(apmatrix_card_info_get_config(c), 1);
	ck_assert_int_eq(apmatrix_card_info_get_chkstop(c), 0);
	ck_assert_uint_eq(apmatrix_card_info_get_queue_count(c), 1);
	/* A copy: later changes of the host do not show. */
	ck_assert_int_eq(apmatrix_host_remove_card(host, 3), 0);
	ck_assert_int_eq(apmatrix_card_info_get_hwtype(c), 13);
	ck_assert_ptr_null(apmatrix_card_info_unref(c));
	c = NULL;
	test_call(ctx, apmatrix_host_get_card_info(host, 0xff, &c), 0, NULL);
	ck_assert_int_eq(apmatrix_card_info_get_mode(c), -ENODATA);
	c = apmatrix_card_info_unref(c);

	test_call(ctx, apmatrix_host_get_queue_info(host, 0xff00, &q), 0, NULL);
	ck_assert_int_eq(apmatrix_queue_info_get_apqn(q), 0xff00);
	ck_assert_int_eq(apmatrix_queue_info_get_driver(q),
			 APMATRIX_DRIVER_NONE);
	ck_assert_int_eq(apmatrix_queue_info_get_online(q), 0);
	ck_assert_int_eq(apmatrix_queue_info_get_status(q), -ENODATA);
	ck_assert_ptr_null(apmatrix_queue_info_get_driver_override(q));
	ck_assert_ptr_eq(apmatrix_queue_info_ref(q), q);
	ck_assert_ptr_null(apmatrix_queue_info_unref(q));
	ck_assert_ptr_null(apmatrix_queue_info_unref(q));
	q = NULL;

	/* Errors: fresh diagnostics; nothing written. */
	test_call(ctx, apmatrix_host_get_card_info(host, 3, &c), -ENOENT,
		  "no card 03");
	test_call(ctx, apmatrix_host_get_card_info(host, 256, &c), -EINVAL,
		  "adapter 256 out of range");
	test_call(ctx, apmatrix_host_get_card_info(host, 0xff, NULL), -EINVAL,
		  "NULL argument");
	ck_assert_ptr_null(c);
	test_call(ctx, apmatrix_host_get_queue_info(host, 0x3ff, &q), -ENOENT,
		  "no queue 03.00ff");
	test_call(ctx, apmatrix_host_get_queue_info(host, 0x10000, &q), -EINVAL,
		  "APQN 0x10000 out of range");
	test_call(ctx, apmatrix_host_get_queue_info(host, 0xff00, NULL),
		  -EINVAL, "NULL argument");
	ck_assert_ptr_null(q);
	ck_assert_int_eq(apmatrix_host_get_card_info(NULL, 1, &c), -EINVAL);
	ck_assert_int_eq(apmatrix_host_get_queue_info(NULL, 1, &q), -EINVAL);

	/* NULL info objects. */
	ck_assert_ptr_null(apmatrix_card_info_ref(NULL));
	ck_assert_ptr_null(apmatrix_card_info_unref(NULL));
	ck_assert_int_eq(apmatrix_card_info_get_adapter(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_card_info_get_hwtype(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_card_info_get_raw_hwtype(NULL), -EINVAL);
	ck_assert_ptr_null(apmatrix_card_info_get_type(NULL));
	ck_assert_int_eq(apmatrix_card_info_get_mode(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_card_info_get_functions(NULL, &f), -EINVAL);
	ck_assert_int_eq(apmatrix_card_info_get_online(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_card_info_get_config(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_card_info_get_chkstop(NULL), -EINVAL);
	ck_assert_uint_eq(apmatrix_card_info_get_queue_count(NULL), 0);
	ck_assert_ptr_null(apmatrix_queue_info_ref(NULL));
	ck_assert_ptr_null(apmatrix_queue_info_unref(NULL));
	ck_assert_int_eq(apmatrix_queue_info_get_apqn(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_queue_info_get_driver(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_queue_info_get_online(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_queue_info_get_config(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_queue_info_get_chkstop(NULL), -EINVAL);
	ck_assert_int_eq(apmatrix_queue_info_get_status(NULL), -EINVAL);
	ck_assert_ptr_null(apmatrix_queue_info_get_driver_override(NULL));
}
END_TEST

START_TEST(mdevs)
{
	static const char *const uuids[] = {
		"33333333-3333-4333-8333-333333333333",
		"11111111-1111-4111-8111-111111111111",
		"22222222-2222-4222-8222-222222222222"};
	struct apmatrix_mdev *m[3];

	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 0);
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(NULL), 0);
	ck_assert_ptr_null(apmatrix_host_get_mdev(host, 0));
	ck_assert_ptr_null(apmatrix_host_get_mdev(NULL, 0));
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(apmatrix_mdev_new(ctx, uuids[i], &m[i]), 0);
		test_call(ctx, apmatrix_host_add_mdev(host, m[i]), 0, NULL);
	}
	/* Kept in UUID order, owned by the host. */
	ck_assert_uint_eq(apmatrix_host_get_mdev_count(host), 3);
	ck_assert_ptr_eq(apmatrix_host_get_mdev(host, 0), m[1]);
	ck_assert_ptr_eq(apmatrix_host_get_mdev(host, 1), m[2]);
	ck_assert_ptr_eq(apmatrix_host_get_mdev(host, 2), m[0]);
	ck_assert_ptr_null(apmatrix_host_get_mdev(host, 3));
	test_call(ctx, apmatrix_host_add_mdev(host, m[2]), -EEXIST,
		  "host already has mdev 22222222-2222-4222-8222-222222222222");
	test_call(ctx, apmatrix_host_add_mdev(host, NULL), -EINVAL,
		  "NULL mdev");
	ck_assert_int_eq(apmatrix_host_add_mdev(NULL, m[0]), -EINVAL);
	for (int i = 0; i < 3; i++)
		apmatrix_mdev_unref(m[i]);
	ck_assert_str_eq(
		apmatrix_mdev_get_uuid(apmatrix_host_get_mdev(host, 2)),
		uuids[0]);
}
END_TEST

START_TEST(fresh_diagnostics)
{
	struct apmatrix_matrix *m = NULL, *g = NULL;

	test_call(ctx, apmatrix_host_set_max_ids(host, 256, 1), -EINVAL,
		  "maximum IDs 256/1 out of range 0-255");
	test_call(ctx, apmatrix_host_set_max_ids(host, 63, 15), 0, NULL);
	test_call(ctx, apmatrix_host_add_card(host, 256, 14, 1, 0), -EINVAL,
		  "adapter 256 out of range 0-255");
	test_call(ctx, apmatrix_host_add_card(host, 1, 256, 1, 0), -EINVAL,
		  "card 01: hwtype 256 out of range 0-255");
	test_call(ctx, apmatrix_host_add_card(host, 1, 14, 4, 0), -EINVAL,
		  "card 01: unknown mode 4");
	test_call(ctx, apmatrix_host_add_card(host, 1, 14, 1, 8), -EINVAL,
		  "card 01: unknown state bits 0x8");
	test_call(ctx, apmatrix_host_remove_card(host, 1), -ENOENT,
		  "no card 01");
	test_call(ctx, apmatrix_host_set_card_state(host, 2, 0), -ENOENT,
		  "no card 02");
	test_call(ctx, apmatrix_host_add_queue(host, 0x101, 2, 0), -ENOENT,
		  "queue 01.0001: no card 01");
	test_call(ctx, apmatrix_host_add_card(host, 1, 14, 1, 0), 0, NULL);
	test_call(ctx, apmatrix_host_set_card_state(host, 1, 9), -EINVAL,
		  "card 01: unknown state bits 0x9");
	test_call(ctx, apmatrix_host_add_queue(host, 0x10000, 2, 0), -EINVAL,
		  "APQN 0x10000 out of range");
	test_call(ctx, apmatrix_host_add_queue(host, 0x101, 3, 0), -EINVAL,
		  "queue 01.0001: unknown driver 3");
	test_call(ctx, apmatrix_host_add_queue(host, 0x101, 2, 8), -EINVAL,
		  "queue 01.0001: unknown state bits 0x8");
	test_call(ctx, apmatrix_host_remove_queue(host, 0x101), -ENOENT,
		  "no queue 01.0001");
	test_call(ctx, apmatrix_host_set_queue_driver(host, 0x101, 1), -ENOENT,
		  "no queue 01.0001");
	test_call(ctx, apmatrix_host_add_queue(host, 0x101, 2, 0), 0, NULL);
	test_call(ctx, apmatrix_host_set_queue_driver(host, 0x101, 3), -EINVAL,
		  "queue 01.0001: unknown driver 3");
	test_call(ctx, apmatrix_host_remove_queue(host, 0x10000), -EINVAL,
		  "APQN 0x10000 out of range");
	test_call(ctx, apmatrix_host_bind_by_masks(host), 0, NULL);
	ck_assert_int_eq(apmatrix_matrix_new(ctx, &m), 0);
	test_call(ctx, apmatrix_host_predict_guest_matrix(host, m, NULL),
		  -EINVAL, "predict_guest_matrix: NULL argument");
	test_call(ctx, apmatrix_host_predict_guest_matrix(host, m, &g), 0,
		  NULL);
	apmatrix_matrix_unref(g);
	apmatrix_matrix_unref(m);
	test_call(ctx, apmatrix_host_remove_queue(host, 0x101), 0, NULL);
	test_call(ctx, apmatrix_host_remove_card(host, 1), 0, NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("host");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, null_and_range);
	tcase_add_test(tc, cards);
	tcase_add_test(tc, queues);
	tcase_add_test(tc, embedded_sets_keep_host);
	tcase_add_test(tc, bind_by_masks);
	tcase_add_test(tc, guest_matrix);
	tcase_add_test(tc, guest_matrix_no_apxa);
	tcase_add_test(tc, guest_matrix_errors);
	tcase_add_test(tc, full_host);
	tcase_add_test(tc, features_and_known);
	tcase_add_test(tc, iterate_and_info);
	tcase_add_test(tc, mdevs);
	tcase_add_test(tc, fresh_diagnostics);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
