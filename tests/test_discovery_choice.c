/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/test_discovery: which PADO is accepted, and which rejected and why. */
#include <check.h>

#include "discovery_fixture.h"
#include "test_discovery.h"

START_TEST(test_ac_mac_filter)
{
	t.cfg.ac_mac = ac2;
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_MAC);
	ck_assert(t.ev.has_message);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 1);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 1);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);

	make_pado(&t.f, ac2, "BRAS");
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 2);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 1);
}
END_TEST

START_TEST(test_ac_name_filter)
{
	t.cfg.ac_name = (const uint8_t *)"BRAS-B";
	t.cfg.ac_name_len = 6;
	start_at(&t.disc, &t.cfg, 0, &t.ev);

	make_pado(&t.f, ac1, "BRAS-A");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_NAME);

	make_pado(&t.f, ac1, "BRAS-");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_NAME);

	make_pado(&t.f, ac1, "BRAS-BB");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_NAME);

	/* No AC-Name at all cannot satisfy the filter. */
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_AC_NAME);

	make_pado(&t.f, ac2, "BRAS-B");
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert_mem_eq(t.disc.ac_mac, ac2, 6);
	ck_assert_uint_eq(t.disc.counters.pado_rejected, 4);
}
END_TEST

START_TEST(test_service_filter)
{
	t.cfg.service_name = (const uint8_t *)"isp";
	t.cfg.service_name_len = 3;
	start_at(&t.disc, &t.cfg, 0, &t.ev);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag_text(&t.f, PPPOE_TAG_AC_NAME, "A");
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "other");
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_SERVICE);

	frame_to_us(&t.f, ac2, PPPOE_CODE_PADO, 0);
	raw_tag_text(&t.f, PPPOE_TAG_AC_NAME, "B");
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "iptv");
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "isp");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	check_sent_tag(&t.ev, PPPOE_TAG_SERVICE_NAME, "isp", 3);
}
END_TEST

START_TEST(test_pado_error_tag_then_good)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	pado_begin(&t.f, ac1, "busy");
	raw_tag_text(&t.f, PPPOE_TAG_AC_SYSTEM_ERROR, "no resources");
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_rejected(&t.ev, DISCOVERY_REJECT_ERROR_TAG);
	ck_assert_uint_eq(t.ev.message.error.type, PPPOE_TAG_AC_SYSTEM_ERROR);
	ck_assert_mem_eq(t.ev.message.error.value, "no resources", 12);

	make_pado(&t.f, ac2, "fine");
	feed(&t.disc, &t.f, 2, &t.ev);
	ck_assert(t.ev.accepted);
	ck_assert_mem_eq(t.disc.ac_mac, ac2, 6);
}
END_TEST

START_TEST(test_pado_bad_source)
{
	static const uint8_t sources[][PPPOE_MAC_LEN] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
		{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
		{ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	};
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;
	size_t i;

	config_default(&cfg);
	start_at(&disc, &cfg, 0, &ev);
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		make_pado(&f, sources[i], "evil");
		feed(&disc, &f, 1, &ev);
		check_rejected(&ev, DISCOVERY_REJECT_BAD_SOURCE);
	}
	ck_assert_uint_eq(disc.counters.pado_rejected, 4);
	ck_assert_int_eq(disc.state, DISCOVERY_WAIT_PADO);

	/* Locally administered unicast is fine. */
	make_pado(&f, other_host, "lab");
	feed(&disc, &f, 2, &ev);
	ck_assert(ev.accepted);
}
END_TEST

START_TEST(test_pado_cookie_too_long)
{
	static uint8_t cookie[DISCOVERY_TAG_VALUE_MAX + 1];
	struct discovery_config cfg;
	struct discovery disc;
	struct discovery_event ev;
	struct raw_frame f;

	/* The PADO fits a 1514-byte frame; our PADR with the cookie would not. */
	config_default(&cfg);
	start_at(&disc, &cfg, 0, &ev);
	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&f, PPPOE_TAG_AC_COOKIE, cookie, 1480);
	raw_finish(&f);
	ck_assert_uint_le(f.len, PPPOE_DISCOVERY_FRAME_MAX);
	feed(&disc, &f, 1, &ev);
	check_rejected(&ev, DISCOVERY_REJECT_TOO_LONG);
	ck_assert_int_eq(disc.state, DISCOVERY_WAIT_PADO);

	/* A jumbo PADO with a cookie longer than we keep. */
	frame_to_us(&f, ac1, PPPOE_CODE_PADO, 0);
	raw_tag(&f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&f, PPPOE_TAG_AC_COOKIE, cookie, sizeof(cookie));
	raw_finish(&f);
	feed(&disc, &f, 1, &ev);
	check_rejected(&ev, DISCOVERY_REJECT_TOO_LONG);

	make_pado(&f, ac2, "sane");
	feed(&disc, &f, 2, &ev);
	ck_assert(ev.accepted);
	check_sent_header(&ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert_uint_eq(sent_tag_count(&ev, PPPOE_TAG_AC_COOKIE), 0);
}
END_TEST

START_TEST(test_pado_while_waiting_pads)
{
	reach_wait_pads(&t.disc, &t.cfg, &t.ev);
	make_pado(&t.f, ac2, "late");
	feed(&t.disc, &t.f, 150, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert_mem_eq(t.disc.ac_mac, ac1, 6);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 1);
}
END_TEST

TCase *discovery_choice_tcase(void)
{
	TCase *choice = fixture_tcase("choosing an AC");

	tcase_add_test(choice, test_ac_mac_filter);
	tcase_add_test(choice, test_ac_name_filter);
	tcase_add_test(choice, test_service_filter);
	tcase_add_test(choice, test_pado_error_tag_then_good);
	tcase_add_test(choice, test_pado_bad_source);
	tcase_add_test(choice, test_pado_cookie_too_long);
	tcase_add_test(choice, test_pado_while_waiting_pads);
	return choice;
}
