/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/test_discovery: the PADS, its errors and RFC 4638's PPP-Max-Payload. */
#include <check.h>

#include "discovery_fixture.h"
#include "test_discovery.h"

START_TEST(test_pads_wrong_ac)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	make_pads(&t.f, ac2, 0x0101);
	feed(&t.disc, &t.f, 300, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_WRONG_AC], 1);

	/* An error PADS from the wrong AC must not end our discovery either. */
	frame_to_us(&t.f, ac2, PPPOE_CODE_PADS, 0);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag_text(&t.f, PPPOE_TAG_GENERIC_ERROR, "go away");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 301, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);

	make_pads(&t.f, ac1, 0x0101);
	feed(&t.disc, &t.f, 302, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert_uint_eq(t.disc.session_id, 0x0101);
}
END_TEST

START_TEST(test_pads_error_tags)
{
	static const uint16_t tags[] = {
		PPPOE_TAG_SERVICE_NAME_ERROR, PPPOE_TAG_AC_SYSTEM_ERROR, PPPOE_TAG_GENERIC_ERROR,
	};
	static const enum discovery_failure failures[] = {
		DISCOVERY_FAILURE_SERVICE_NAME_ERROR, DISCOVERY_FAILURE_AC_SYSTEM_ERROR,
		DISCOVERY_FAILURE_GENERIC_ERROR,
	};
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;

	config_default(&cfg);
	reach_wait_pads(&disc, &cfg, &ev);
	frame_to_us(&f, ac1, PPPOE_CODE_PADS, 0);
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag_text(&f, tags[_i], "reason text");
	raw_finish(&f);
	feed(&disc, &f, 300, &ev);
	ck_assert_int_eq(ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(ev.failure, failures[_i]);
	ck_assert(ev.has_message);
	ck_assert_uint_eq(ev.message.error.type, tags[_i]);
	ck_assert_mem_eq(ev.message.error.value, "reason text", 11);
	ck_assert_uint_eq(ev.send_len, 0);
	ck_assert_int_eq(disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

START_TEST(test_pads_error_with_session)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 0x2222);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME_ERROR, "");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 300, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_SERVICE_NAME_ERROR);
	check_sent_header(&t.ev, ac1, 0x8863, PPPOE_CODE_PADT, 0x2222);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
}
END_TEST

START_TEST(test_pads_zero_session)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	make_pads(&t.f, ac1, 0);
	feed(&t.disc, &t.f, 300, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_FAILED);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_ZERO_SESSION);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
}
END_TEST

START_TEST(test_ppp_max_payload)
{
	t.cfg.ppp_max_payload = 1500;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	check_sent_tag(&t.ev, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xdc", 2);

	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_tag(&t.ev, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xdc", 2);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 0x0bad);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&t.f, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xd8", 2);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert_uint_eq(t.disc.peer_max_payload, 1496);
}
END_TEST

START_TEST(test_ppp_max_payload_not_asked)
{
	t.cfg.ppp_max_payload = 1492;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_PPP_MAX_PAYLOAD), 0);
	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_PPP_MAX_PAYLOAD), 0);

	/* A malformed (3-byte) answer is not believed. */
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 0x0bad);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&t.f, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xd8\x00", 3);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert_uint_eq(t.disc.peer_max_payload, 0);
}
END_TEST

TCase *discovery_pads_tcase(void)
{
	TCase *pads = fixture_tcase("PADS");

	tcase_add_test(pads, test_pads_wrong_ac);
	tcase_add_loop_test(pads, test_pads_error_tags, 0, 3);
	tcase_add_test(pads, test_pads_error_with_session);
	tcase_add_test(pads, test_pads_zero_session);
	tcase_add_test(pads, test_ppp_max_payload);
	tcase_add_test(pads, test_ppp_max_payload_not_asked);
	return pads;
}
