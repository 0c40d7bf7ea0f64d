/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/test_discovery: the exchange from PADI to session, Host-Uniq, list mode. */
#include <check.h>

#include "discovery_fixture.h"
#include "test_discovery.h"

/* ---- the whole exchange ---- */

START_TEST(test_happy_path)
{
	start_at(&t.disc, &t.cfg, 1000, &t.ev);

	pado_begin(&t.f, ac1, "BRAS-1");
	raw_tag_text(&t.f, PPPOE_TAG_AC_COOKIE, "cookie-1234");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1500, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_PADO);
	ck_assert(t.ev.accepted);
	ck_assert_int_eq(t.ev.rejected, DISCOVERY_REJECT_NONE);
	ck_assert(t.ev.has_message);
	ck_assert_mem_eq(t.ev.message.ac_name.value, "BRAS-1", 6);
	ck_assert_uint_eq(t.ev.attempt, 1);
	check_sent_header(&t.ev, ac1, 0x8863, PPPOE_CODE_PADR, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	check_sent_tag(&t.ev, PPPOE_TAG_AC_COOKIE, "cookie-1234", 11);
	ck_assert_uint_eq(sent_tag_count(&t.ev, 0), 3);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 6500);
	ck_assert_mem_eq(t.disc.ac_mac, ac1, 6);
	ck_assert_uint_eq(t.disc.ac_name_len, 6);
	ck_assert_mem_eq(t.disc.ac_name, "BRAS-1", 6);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 1);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 0);

	make_pads(&t.f, ac1, 0x1234);
	feed(&t.disc, &t.f, 2000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	ck_assert(t.ev.has_message);
	ck_assert_uint_eq(t.ev.message.frame.session_id, 0x1234);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_uint_eq(t.disc.session_id, 0x1234);
	ck_assert_uint_eq(t.disc.peer_max_payload, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);

	make_padt(&t.f, ac1, 0x1234);
	feed(&t.disc, &t.f, 90000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_TERMINATED);
	ck_assert(t.ev.has_message);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

START_TEST(test_cookie_and_relay_echoed)
{
	static const uint8_t cookie[] = { 0x00, 0x01, 0x02, 0xff, 0x00 };
	static const uint8_t relay[] = { 0x12, 0x00, 0x34 };
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;
	size_t len;

	config_default(&cfg);
	start_at(&disc, &cfg, 0, &ev);
	pado_begin(&f, ac2, "relayed");
	raw_tag(&f, PPPOE_TAG_RELAY_SESSION_ID, relay, sizeof(relay));
	raw_tag(&f, PPPOE_TAG_AC_COOKIE, cookie, sizeof(cookie));
	raw_tag_text(&f, PPPOE_TAG_VENDOR_SPECIFIC, "\x00\x00\x0d\xe9zz");
	raw_finish(&f);
	feed(&disc, &f, 10, &ev);
	ck_assert(ev.accepted);
	check_sent_header(&ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	check_sent_tag(&ev, PPPOE_TAG_AC_COOKIE, cookie, sizeof(cookie));
	check_sent_tag(&ev, PPPOE_TAG_RELAY_SESSION_ID, relay, sizeof(relay));
	check_sent_tag(&ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_uint_eq(sent_tag_count(&ev, PPPOE_TAG_VENDOR_SPECIFIC), 0);
	ck_assert_uint_eq(sent_tag_count(&ev, 0), 4);

	/* The PADT carries the relay's id too, so the relay can forward it. */
	make_pads(&f, ac2, 7);
	feed(&disc, &f, 20, &ev);
	ck_assert_int_eq(ev.type, DISCOVERY_EVENT_SESSION_UP);
	len = discovery_build_padt(&disc, 7, disc.ac_mac, NULL, ev.send, sizeof(ev.send));
	ev.send_len = len;
	check_sent_header(&ev, ac2, 0x8863, PPPOE_CODE_PADT, 7);
	check_sent_tag(&ev, PPPOE_TAG_RELAY_SESSION_ID, relay, sizeof(relay));
	check_sent_tag(&ev, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	ck_assert_uint_eq(sent_tag_count(&ev, PPPOE_TAG_GENERIC_ERROR), 0);
	ck_assert_uint_eq(sent_tag_count(&ev, 0), 2);
}
END_TEST

START_TEST(test_empty_cookie_echoed)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	pado_begin(&t.f, ac1, "BRAS");
	raw_tag(&t.f, PPPOE_TAG_AC_COOKIE, NULL, 0);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 10, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_tag(&t.ev, PPPOE_TAG_AC_COOKIE, NULL, 0);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_RELAY_SESSION_ID), 0);
}
END_TEST

/* ---- Host-Uniq ---- */

START_TEST(test_host_uniq_mismatch)
{
	static const uint8_t wrong[] = { 0xde, 0xad, 0xbe, 0xee };
	static const uint8_t longer[] = { 0xde, 0xad, 0xbe, 0xef, 0x00 };
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;

	config_default(&cfg);
	start_at(&disc, &cfg, 0, &ev);

	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&f, PPPOE_TAG_AC_NAME, "x");
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, wrong, sizeof(wrong));
	raw_finish(&f);
	feed(&disc, &f, 1, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);
	ck_assert(ev.has_message);

	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&f, PPPOE_TAG_AC_NAME, "x");
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, longer, sizeof(longer));
	raw_finish(&f);
	feed(&disc, &f, 2, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);

	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&f, PPPOE_TAG_AC_NAME, "x");
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, host_uniq, 3);
	raw_finish(&f);
	feed(&disc, &f, 3, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);

	/* Missing altogether. */
	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&f, PPPOE_TAG_AC_NAME, "x");
	raw_finish(&f);
	feed(&disc, &f, 4, &ev);
	check_ignored(&ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);

	ck_assert_uint_eq(disc.counters.ignored[DISCOVERY_IGNORE_WRONG_HOST_UNIQ], 4);
	ck_assert_uint_eq(disc.counters.pado_seen, 0);
	ck_assert_int_eq(disc.state, DISCOVERY_WAIT_PADO);

	make_pado(&f, ac1, "x");
	feed(&disc, &f, 5, &ev);
	ck_assert(ev.accepted);
}
END_TEST

START_TEST(test_host_uniq_unexpected)
{
	t.cfg.host_uniq = NULL;
	t.cfg.host_uniq_len = 0;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_HOST_UNIQ), 0);

	/* Another host's Host-Uniq: that offer is for them. */
	make_pado(&t.f, ac1, "theirs");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&t.f, PPPOE_TAG_AC_NAME, "ours");
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_HOST_UNIQ), 0);
	ck_assert_uint_eq(sent_tag_count(&t.ev, 0), 1);

	/* A PADS with someone's Host-Uniq is not ours either. */
	make_pads(&t.f, ac1, 5);
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 5);
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 4, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
}
END_TEST

START_TEST(test_pads_host_uniq_mismatch)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADS, 9);
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 300, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
	ck_assert_uint_eq(t.disc.session_id, 0);
}
END_TEST

/* ---- ethertypes other than 0x8863 and 0x8864 ---- */

START_TEST(test_custom_ethertypes)
{
	t.cfg.ethertypes.discovery = 0x3c12;
	t.cfg.ethertypes.session = 0x3c13;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	check_sent_header(&t.ev, pppoe_broadcast_mac, 0x3c12, PPPOE_CODE_PADI, 0);

	make_pado(&t.f, ac1, "std");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);

	t.f.bytes[12] = 0x3c;
	t.f.bytes[13] = 0x13;
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);

	t.f.bytes[13] = 0x12;
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac1, 0x3c12, PPPOE_CODE_PADR, 0);

	make_pads(&t.f, ac1, 3);
	t.f.bytes[12] = 0x3c;
	t.f.bytes[13] = 0x12;
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);
	t.ev.send_len = discovery_build_padt(&t.disc, 3, ac1, NULL, t.ev.send, sizeof(t.ev.send));
	check_sent_header(&t.ev, ac1, 0x3c12, PPPOE_CODE_PADT, 3);
}
END_TEST

/* ---- list mode ---- */

START_TEST(test_list_only)
{
	t.cfg.list_only = true;
	start_at(&t.disc, &t.cfg, 0, &t.ev);

	make_pado(&t.f, ac1, "BRAS-A");
	feed(&t.disc, &t.f, 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_PADO);
	ck_assert(t.ev.accepted);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_mem_eq(t.ev.message.ac_name.value, "BRAS-A", 6);

	make_pado(&t.f, ac2, "BRAS-B");
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_mem_eq(t.ev.message.frame.source, ac2, 6);

	/* The same AC answering a retransmitted PADI is listed again. */
	make_pado(&t.f, ac1, "BRAS-A");
	feed(&t.disc, &t.f, 3, &t.ev);
	ck_assert(t.ev.accepted);

	pado_begin(&t.f, other_host, "BRAS-C");
	raw_tag_text(&t.f, PPPOE_TAG_AC_SYSTEM_ERROR, "full");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 4, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_ERROR_TAG);

	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 4);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 1);

	discovery_handle_timeout(&t.disc, 4999, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_NONE);
	discovery_handle_timeout(&t.disc, 5000, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_LIST_COMPLETE);
	ck_assert_uint_eq(t.ev.send_len, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
	ck_assert_uint_eq(discovery_deadline(&t.disc), DISCOVERY_NO_DEADLINE);
}
END_TEST

TCase *discovery_exchange_tcase(void)
{
	TCase *exchange = fixture_tcase("exchange");

	tcase_add_test(exchange, test_happy_path);
	tcase_add_test(exchange, test_cookie_and_relay_echoed);
	tcase_add_test(exchange, test_empty_cookie_echoed);
	tcase_add_test(exchange, test_host_uniq_mismatch);
	tcase_add_test(exchange, test_host_uniq_unexpected);
	tcase_add_test(exchange, test_pads_host_uniq_mismatch);
	tcase_add_test(exchange, test_custom_ethertypes);
	tcase_add_test(exchange, test_list_only);
	return exchange;
}
