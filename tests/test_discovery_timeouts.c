/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/test_discovery: PADI and PADR retries, back-off, deadlines. */
#include <check.h>
#include <string.h>

#include "discovery_fixture.h"
#include "test_discovery.h"

START_TEST(test_padi_backoff_and_failure)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 5000);

	discovery_handle_timeout(&t.disc, 4999, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 5000);

	discovery_handle_timeout(&t.disc, 5000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 2);
	check_sent_header(&t.ev, pppoe_broadcast_mac, 0x8863, PPPOE_CODE_PADI, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_uint_eq(discovery_deadline(&t.disc), 15000);

	discovery_handle_timeout(&t.disc, 14999, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);

	/* A late caller: the next wait counts from now. */
	discovery_handle_timeout(&t.disc, 15100, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 3);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 35100);

	discovery_handle_timeout(&t.disc, 35100, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NO_PADO);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);

	discovery_handle_timeout(&t.disc, 100000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
}
END_TEST

START_TEST(test_backoff_cap)
{
	t.cfg.timeout_ms = 40000;
	t.cfg.padi_attempts = 4;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 40000);
	discovery_handle_timeout(&t.disc, 40000, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 100000);
	discovery_handle_timeout(&t.disc, 100000, &t.ev);
	ck_assert_uint_eq(t.ev.attempt, 3);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 160000);
	discovery_handle_timeout(&t.disc, 160000, &t.ev);
	ck_assert_uint_eq(t.ev.attempt, 4);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 220000);
	discovery_handle_timeout(&t.disc, 220000, &t.ev);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NO_PADO);

	/* A wait configured above the cap is not shortened. */
	t.cfg.timeout_ms = 90000;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	discovery_handle_timeout(&t.disc, 90000, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 180000);
}
END_TEST

START_TEST(test_single_attempt)
{
	t.cfg.padi_attempts = 1;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	discovery_handle_timeout(&t.disc, 5000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NO_PADO);
}
END_TEST

START_TEST(test_padr_retries_then_no_pads)
{
	uint8_t first[PPPOE_DISCOVERY_FRAME_MAX];
	size_t first_len;

	config_default(&t.cfg);
	/* Let PADI back-off run first: PADR attempts start afresh at 5 s. */
	discovery_init(&t.disc, &t.cfg);
	discovery_start(&t.disc, 0, &t.ev);
	discovery_handle_timeout(&t.disc, 5000, &t.ev);
	pado_begin(&t.f, ac1, "BRAS");
	raw_tag_text(&t.f, PPPOE_TAG_AC_COOKIE, "c");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 6000, &t.ev);
	ck_assert(t.ev.accepted);
	memcpy(first, t.ev.send, t.ev.send_len);
	first_len = t.ev.send_len;
	ck_assert_uint_eq(discovery_deadline(&t.disc), 11000);

	discovery_handle_timeout(&t.disc, 10999, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);

	discovery_handle_timeout(&t.disc, 11000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 2);
	ck_assert_uint_eq(t.ev.send_len, first_len);
	ck_assert_mem_eq(t.ev.send, first, first_len);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 21000);

	discovery_handle_timeout(&t.disc, 21000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 3);
	check_sent_header(&t.ev, ac1, 0x8863, PPPOE_CODE_PADR, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_AC_COOKIE, "c", 1);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 41000);

	discovery_handle_timeout(&t.disc, 41000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NO_PADS);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

START_TEST(test_timeout_outside_waits)
{
	discovery_init(&t.disc, &t.cfg);
	discovery_handle_timeout(&t.disc, UINT64_MAX, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_IDLE);

	reach_session(&t.disc, &t.cfg, 1, &t.ev);
	discovery_handle_timeout(&t.disc, UINT64_MAX, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
}
END_TEST

START_TEST(test_deadline_saturates)
{
	start_at(&t.disc, &t.cfg, UINT64_MAX - 10, &t.ev);
	ck_assert_uint_eq(discovery_deadline(&t.disc), UINT64_MAX - 1);
	discovery_handle_timeout(&t.disc, UINT64_MAX - 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SENT);
	ck_assert_uint_eq(t.ev.attempt, 2);
}
END_TEST

TCase *discovery_timeouts_tcase(void)
{
	TCase *timeouts = fixture_tcase("timeouts");

	tcase_add_test(timeouts, test_padi_backoff_and_failure);
	tcase_add_test(timeouts, test_backoff_cap);
	tcase_add_test(timeouts, test_single_attempt);
	tcase_add_test(timeouts, test_padr_retries_then_no_pads);
	tcase_add_test(timeouts, test_timeout_outside_waits);
	tcase_add_test(timeouts, test_deadline_saturates);
	return timeouts;
}
