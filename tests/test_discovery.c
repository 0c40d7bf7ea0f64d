/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/discovery.c.  Received frames are written byte by byte
 * and sent frames are checked with a tag walker of the tests' own, so the
 * wire format is pinned down independently of src/pppoe.c.  Many tests play
 * the hostile or confused neighbour on a shared segment.
 *
 * The parts: discovery_fixture.{c,h}, then one test case a file,
 * test_discovery_{exchange,choice,timeouts,pads,session,hostile}.c; this
 * one holds the configuration, the start and the names.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "discovery_fixture.h"
#include "test_discovery.h"

/* ---- configuration and start ---- */

START_TEST(test_config_defaults)
{
	memset(&t.cfg, 0xff, sizeof(t.cfg));
	discovery_config_defaults(&t.cfg);
	ck_assert_uint_eq(t.cfg.ethertypes.discovery, 0x8863);
	ck_assert_uint_eq(t.cfg.ethertypes.session, 0x8864);
	ck_assert_uint_eq(t.cfg.padi_attempts, 3);
	ck_assert_uint_eq(t.cfg.padr_attempts, 3);
	ck_assert_uint_eq(t.cfg.timeout_ms, 5000);
	ck_assert_ptr_null(t.cfg.service_name);
	ck_assert_uint_eq(t.cfg.service_name_len, 0);
	ck_assert_ptr_null(t.cfg.ac_name);
	ck_assert_ptr_null(t.cfg.ac_mac);
	ck_assert_ptr_null(t.cfg.host_uniq);
	ck_assert_uint_eq(t.cfg.host_uniq_len, 0);
	ck_assert_uint_eq(t.cfg.ppp_max_payload, 0);
	ck_assert(!t.cfg.list_only);
	ck_assert_uint_eq(t.cfg.our_mac[0] | t.cfg.our_mac[5], 0);
}
END_TEST

START_TEST(test_init)
{
	memset(&t.disc, 0xff, sizeof(t.disc));
	discovery_init(&t.disc, &t.cfg);
	ck_assert_int_eq(t.disc.state, DISCOVERY_IDLE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 0);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_MALFORMED], 0);
	ck_assert_uint_eq(t.disc.session_id, 0);
	ck_assert(!t.disc.has_cookie);
	ck_assert_ptr_eq(t.disc.config.host_uniq, host_uniq);
	ck_assert_mem_eq(t.disc.config.our_mac, our_mac, 6);
}
END_TEST

START_TEST(test_padi_bytes)
{
	start_at(&t.disc, &t.cfg, 1000, &t.ev);
	ck_assert_uint_eq(t.ev.attempt, 1);
	ck_assert(!t.ev.has_message);
	check_sent_header(&t.ev, pppoe_broadcast_mac, 0x8863, PPPOE_CODE_PADI, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_uint_eq(sent_tag_count(&t.ev, 0), 2);
	ck_assert_uint_eq(t.ev.send_len, 20 + 4 + 8);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 6000);
	ck_assert_uint_eq(t.disc.attempt, 1);
}
END_TEST

START_TEST(test_padi_service_no_host_uniq)
{
	t.cfg.host_uniq = NULL;
	t.cfg.host_uniq_len = 0;
	t.cfg.service_name = (const uint8_t *)"isp";
	t.cfg.service_name_len = 3;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	check_sent_header(&t.ev, pppoe_broadcast_mac, 0x8863, PPPOE_CODE_PADI, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_SERVICE_NAME, "isp", 3);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_HOST_UNIQ), 0);
	ck_assert_uint_eq(sent_tag_count(&t.ev, 0), 1);
}
END_TEST

START_TEST(test_padi_too_long)
{
	static uint8_t long_name[1500];
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;

	config_default(&cfg);
	cfg.service_name = long_name;
	cfg.service_name_len = sizeof(long_name);
	discovery_init(&disc, &cfg);
	discovery_start(&disc, 0, &ev);
	ck_assert_int_eq(ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(ev.failure, DISCOVERY_FAILURE_CONFIG_TOO_LONG);
	ck_assert_uint_eq(ev.send_len, 0);
	ck_assert_int_eq(disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

/* ---- names ---- */

START_TEST(test_names)
{
	int a, b;

	ck_assert_str_eq(discovery_failure_name(DISCOVERY_FAILURE_NO_PADO),
			 "no PADO from any access concentrator");
	ck_assert_str_eq(discovery_failure_name(DISCOVERY_FAILURE_SERVICE_NAME_ERROR),
			 "Service-Name-Error in PADS");
	for (a = DISCOVERY_IGNORE_NONE; a < DISCOVERY_IGNORE_COUNT; a++) {
		ck_assert_str_ne(discovery_ignore_reason_name(a), "unknown");
		for (b = a + 1; b < DISCOVERY_IGNORE_COUNT; b++)
			ck_assert_str_ne(discovery_ignore_reason_name(a),
					 discovery_ignore_reason_name(b));
	}
	for (a = DISCOVERY_REJECT_NONE; a <= DISCOVERY_REJECT_TOO_LONG; a++) {
		ck_assert_str_ne(discovery_reject_reason_name(a), "unknown");
		for (b = a + 1; b <= DISCOVERY_REJECT_TOO_LONG; b++)
			ck_assert_str_ne(discovery_reject_reason_name(a),
					 discovery_reject_reason_name(b));
	}
	for (a = DISCOVERY_FAILURE_NONE; a <= DISCOVERY_FAILURE_CONFIG_TOO_LONG; a++) {
		ck_assert_str_ne(discovery_failure_name(a), "unknown");
		for (b = a + 1; b <= DISCOVERY_FAILURE_CONFIG_TOO_LONG; b++)
			ck_assert_str_ne(discovery_failure_name(a), discovery_failure_name(b));
	}
	ck_assert_str_eq(discovery_ignore_reason_name(DISCOVERY_IGNORE_COUNT), "unknown");
	ck_assert_str_eq(discovery_failure_name((enum discovery_failure)99), "unknown");
}
END_TEST

static TCase *discovery_setup_tcase(void)
{
	TCase *setup = fixture_tcase("setup");

	tcase_add_test(setup, test_config_defaults);
	tcase_add_test(setup, test_init);
	tcase_add_test(setup, test_padi_bytes);
	tcase_add_test(setup, test_padi_service_no_host_uniq);
	tcase_add_test(setup, test_padi_too_long);
	tcase_add_test(setup, test_names);
	return setup;
}

int main(void)
{
	Suite *suite = suite_create("discovery");

	suite_add_tcase(suite, discovery_setup_tcase());
	suite_add_tcase(suite, discovery_exchange_tcase());
	suite_add_tcase(suite, discovery_choice_tcase());
	suite_add_tcase(suite, discovery_timeouts_tcase());
	suite_add_tcase(suite, discovery_pads_tcase());
	suite_add_tcase(suite, discovery_session_tcase());
	suite_add_tcase(suite, discovery_hostile_tcase());
	return check_main_run(suite);
}
