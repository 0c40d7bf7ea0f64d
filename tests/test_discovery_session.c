/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/test_discovery: the live session -- PADT, PADM, PADN, resuming, our PADT. */
#include <check.h>
#include <string.h>

#include "discovery_fixture.h"
#include "test_discovery.h"

START_TEST(test_padt_checks)
{
	reach_session(&t.disc, &t.cfg, 0x0042, &t.ev);

	make_padt(&t.f, ac2, 0x0042);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);

	make_padt(&t.f, ac1, 0x0043);
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_SESSION);

	make_padt(&t.f, ac1, 0x0042);
	memcpy(t.f.bytes, other_host, 6);
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_NOT_TO_US);

	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_WRONG_AC], 1);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_WRONG_SESSION], 1);

	/* No Host-Uniq needed: a PADT is not a reply. */
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADT, 0x0042);
	raw_tag_text(&t.f, PPPOE_TAG_GENERIC_ERROR, "admin reset");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 4, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_TERMINATED);
	ck_assert_mem_eq(t.ev.message.error.value, "admin reset", 11);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);

	/* Nothing moves a finished state machine. */
	make_padt(&t.f, ac1, 0x0042);
	feed(&t.disc, &t.f, 5, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 6, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	make_pads(&t.f, ac1, 0x0042);
	feed(&t.disc, &t.f, 7, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
}
END_TEST

START_TEST(test_padm_message)
{
	reach_session(&t.disc, &t.cfg, 0x0042, &t.ev);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADM, 0x0042);
	raw_tag_text(&t.f, PPPOE_TAG_MOTM, "maintenance at 02:00");
	raw_tag_text(&t.f, PPPOE_TAG_HURL, "http://isp.example/");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_MESSAGE);
	ck_assert(t.ev.has_message);
	ck_assert_uint_eq(t.ev.message.motm.length, 20);
	ck_assert_mem_eq(t.ev.message.motm.value, "maintenance at 02:00", 20);
	ck_assert_mem_eq(t.ev.message.hurl.value, "http://isp.example/", 19);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);

	t.f.bytes[17] = 0x43;
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_SESSION);
	memcpy(t.f.bytes + 6, ac2, 6);
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);
}
END_TEST

/* RFC 4937's PADN: the AC's routes for the session, checked as a PADM is. */
START_TEST(test_padn_message)
{
	static const uint8_t route[] = { 10, 1, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;

	config_default(&cfg);
	reach_session(&disc, &cfg, 0x0042, &ev);

	frame_to_us(&f, ac1, PPPOE_CODE_PADN, 0x0042);
	raw_tag(&f, PPPOE_TAG_IP_ROUTE_ADD, route, sizeof(route));
	raw_finish(&f);
	feed(&disc, &f, 1, &ev);
	ck_assert_int_eq(ev.type, DISCOVERY_EVENT_MESSAGE);
	ck_assert(ev.has_message);
	ck_assert_uint_eq(ev.message.frame.code, PPPOE_CODE_PADN);
	ck_assert_ptr_null(ev.message.motm.value);
	ck_assert_uint_eq(ev.send_len, 0);
	ck_assert_int_eq(disc.state, DISCOVERY_SESSION);

	f.bytes[17] = 0x43;
	feed(&disc, &f, 2, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_SESSION);
	memcpy(f.bytes + 6, ac2, 6);
	feed(&disc, &f, 3, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_AC);

	/* Before the session it answers nothing. */
	reach_wait_pads(&disc, &cfg, &ev);
	frame_to_us(&f, ac1, PPPOE_CODE_PADN, 0);
	raw_finish(&f);
	feed(&disc, &f, 4, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
}
END_TEST

START_TEST(test_padt_padm_while_waiting_pads)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	make_padt(&t.f, ac1, 0);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADM, 0);
	raw_tag_text(&t.f, PPPOE_TAG_MOTM, "hi");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
}
END_TEST

START_TEST(test_resume_session)
{
	discovery_init(&t.disc, &t.cfg);
	discovery_resume_session(&t.disc, 0x0777, ac2);
	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
	ck_assert_uint_eq(t.disc.session_id, 0x0777);
	ck_assert_mem_eq(t.disc.ac_mac, ac2, 6);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);

	make_padt(&t.f, ac1, 0x0777);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_AC);
	make_padt(&t.f, ac2, 0x0777);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_TERMINATED);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
}
END_TEST

START_TEST(test_build_padt)
{
	size_t len;

	config_default(&t.cfg);
	discovery_init(&t.disc, &t.cfg);
	discovery_resume_session(&t.disc, 0x0777, ac2);
	len = discovery_build_padt(&t.disc, 0x0777, ac2, "User request", t.ev.send, sizeof(t.ev.send));
	ck_assert_uint_eq(len, 20 + 8 + 16);
	t.ev.send_len = len;
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADT, 0x0777);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	check_sent_tag(&t.ev, PPPOE_TAG_GENERIC_ERROR, "User request", 12);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_RELAY_SESSION_ID), 0);

	/* Without Host-Uniq or reason: a bare 20-byte PADT. */
	t.cfg.host_uniq = NULL;
	discovery_init(&t.disc, &t.cfg);
	len = discovery_build_padt(&t.disc, 1, ac1, NULL, t.ev.send, sizeof(t.ev.send));
	ck_assert_uint_eq(len, 20);
	ck_assert_uint_eq(discovery_build_padt(&t.disc, 1, ac1, NULL, t.ev.send, 19), 0);
	ck_assert_uint_eq(discovery_build_padt(&t.disc, 1, ac1, "x", t.ev.send, 24), 0);
	ck_assert_uint_eq(discovery_build_padt(&t.disc, 1, ac1, "x", t.ev.send, 25), 25);
}
END_TEST

TCase *discovery_session_tcase(void)
{
	TCase *session = fixture_tcase("session");

	tcase_add_test(session, test_padt_checks);
	tcase_add_test(session, test_padm_message);
	tcase_add_test(session, test_padn_message);
	tcase_add_test(session, test_padt_padm_while_waiting_pads);
	tcase_add_test(session, test_resume_session);
	tcase_add_test(session, test_build_padt);
	return session;
}
