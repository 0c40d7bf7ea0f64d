/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for src/pads_watch.c: which PADSs set up a session for us. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "discovery.h"
#include "pads_watch.h"
#include "pppoe.h"

static const uint8_t our_mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t ac_mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0xac };
static const uint8_t other_mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x99 };
static const uint8_t host_uniq[] = { 1, 2, 3, 4 };

static struct discovery_config config;
static struct pads_watch watch;

static void setup(void)
{
	discovery_config_defaults(&config);
	memcpy(config.our_mac, our_mac, PPPOE_MAC_LEN);
	config.host_uniq = host_uniq;
	config.host_uniq_len = sizeof(host_uniq);
	pads_watch_init(&watch, &config);
}

/* A discovery frame to dest from ac_mac with our Host-Uniq (or uniq). */
static size_t build(uint8_t *frame, size_t capacity, uint8_t code, uint16_t session_id,
		    const uint8_t *dest, const uint8_t *uniq, size_t uniq_len, bool error_tag)
{
	struct pppoe_builder builder;

	pppoe_builder_begin(&builder, frame, capacity, dest, ac_mac, PPPOE_ETHERTYPE_DISCOVERY, code,
			    session_id);
	pppoe_builder_add_tag(&builder, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	if (uniq != NULL)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_HOST_UNIQ, uniq, uniq_len);
	if (error_tag)
		pppoe_builder_add_tag(&builder, PPPOE_TAG_GENERIC_ERROR, "no", 2);
	return pppoe_builder_finish(&builder);
}

static bool feed_pads(uint16_t session_id, struct pads_session *found)
{
	uint8_t frame[128];
	size_t len = build(frame, sizeof(frame), PPPOE_CODE_PADS, session_id, our_mac, host_uniq,
			   sizeof(host_uniq), false);

	return pads_watch_frame(&watch, frame, len, found) == PADS_WATCH_NEW_SESSION;
}

/* Whether the frame told the watch anything. */
static bool news(const uint8_t *frame, size_t len)
{
	struct pads_session found;

	return pads_watch_frame(&watch, frame, len, &found) != PADS_WATCH_NOTHING;
}

static enum pads_watch_news feed_padt(uint16_t session_id)
{
	uint8_t frame[128];
	struct pads_session found;
	size_t len = build(frame, sizeof(frame), PPPOE_CODE_PADT, session_id, our_mac, NULL, 0,
			   false);

	return pads_watch_frame(&watch, frame, len, &found);
}

START_TEST(test_pads_for_us_is_seen)
{
	struct pads_session found;

	ck_assert(feed_pads(7, &found));
	ck_assert_uint_eq(found.session_id, 7);
	ck_assert_mem_eq(found.ac_mac, ac_mac, PPPOE_MAC_LEN);
	/* Once: a repeated PADS is the same session. */
	ck_assert(!feed_pads(7, &found));
}
END_TEST

/* A PADO for us: a PADR may follow it, and its PADS may come after a stop. */
START_TEST(test_an_offer_for_us_is_noted)
{
	static const uint8_t wrong_uniq[] = { 9, 9, 9, 9 };
	uint8_t frame[128];
	size_t len;

	len = build(frame, sizeof(frame), PPPOE_CODE_PADO, 0, other_mac, host_uniq,
		    sizeof(host_uniq), false);
	ck_assert(!news(frame, len));
	len = build(frame, sizeof(frame), PPPOE_CODE_PADO, 0, our_mac, wrong_uniq,
		    sizeof(wrong_uniq), false);
	ck_assert(!news(frame, len));
	len = build(frame, sizeof(frame), PPPOE_CODE_PADO, 0, our_mac, host_uniq,
		    sizeof(host_uniq), true);
	ck_assert(!news(frame, len));
	ck_assert(!watch.offered);
	len = build(frame, sizeof(frame), PPPOE_CODE_PADO, 0, our_mac, host_uniq,
		    sizeof(host_uniq), false);
	ck_assert(!news(frame, len));
	ck_assert(watch.offered);
}
END_TEST

START_TEST(test_other_frames_are_not_sessions_for_us)
{
	static const uint8_t wrong_uniq[] = { 9, 9, 9, 9 };
	uint8_t frame[128];
	struct pads_session found;
	size_t len;

	len = build(frame, sizeof(frame), PPPOE_CODE_PADS, 7, other_mac, host_uniq,
		    sizeof(host_uniq), false);
	ck_assert_msg(!news(frame, len), "a PADS to another MAC");
	len = build(frame, sizeof(frame), PPPOE_CODE_PADS, 7, our_mac, wrong_uniq,
		    sizeof(wrong_uniq), false);
	ck_assert_msg(!news(frame, len), "another client's Host-Uniq");
	len = build(frame, sizeof(frame), PPPOE_CODE_PADS, 7, our_mac, host_uniq, 2, false);
	ck_assert_msg(!news(frame, len), "a prefix of our Host-Uniq");
	len = build(frame, sizeof(frame), PPPOE_CODE_PADS, 7, our_mac, NULL, 0, false);
	ck_assert_msg(!news(frame, len), "no Host-Uniq");
	len = build(frame, sizeof(frame), PPPOE_CODE_PADS, 0, our_mac, host_uniq,
		    sizeof(host_uniq), false);
	ck_assert_msg(!news(frame, len), "session id 0");
	len = build(frame, sizeof(frame), PPPOE_CODE_PADS, 7, our_mac, host_uniq,
		    sizeof(host_uniq), true);
	ck_assert_msg(!news(frame, len), "an error PADS");
	len = build(frame, sizeof(frame), PPPOE_CODE_PADO, 7, our_mac, host_uniq,
		    sizeof(host_uniq), false);
	ck_assert_msg(!news(frame, len), "a PADO");
	ck_assert_msg(!news(frame, len - 1), "a truncated frame");
	ck_assert_msg(!news(frame, 10), "ten bytes");
	ck_assert_uint_eq(pads_watch_untaken(&watch, &found, 1), 0);
}
END_TEST

START_TEST(test_without_our_host_uniq_nothing_is_ours)
{
	struct pads_session found;

	config.host_uniq = NULL;
	config.host_uniq_len = 0;
	ck_assert(!feed_pads(7, &found));
}
END_TEST

START_TEST(test_untaken_sessions)
{
	struct pads_session found, untaken[PADS_WATCH_MAX];
	struct pads_session taken = { .session_id = 8 };

	ck_assert(feed_pads(7, &found));
	ck_assert(feed_pads(8, &found));
	ck_assert_uint_eq(pads_watch_untaken(&watch, untaken, PADS_WATCH_MAX), 2);
	memcpy(taken.ac_mac, ac_mac, PPPOE_MAC_LEN);
	pads_watch_take(&watch, &taken);
	ck_assert_uint_eq(pads_watch_untaken(&watch, untaken, PADS_WATCH_MAX), 1);
	ck_assert_uint_eq(untaken[0].session_id, 7);
	/* The taken one again is not news. */
	ck_assert(!feed_pads(8, &found));
}
END_TEST

START_TEST(test_the_acs_padt_ends_what_we_knew)
{
	struct pads_session found, untaken[PADS_WATCH_MAX];
	struct pads_session taken = { .session_id = 8 };

	ck_assert(feed_pads(7, &found));
	ck_assert(feed_pads(8, &found));
	memcpy(taken.ac_mac, ac_mac, PPPOE_MAC_LEN);
	pads_watch_take(&watch, &taken);
	ck_assert_int_eq(feed_padt(9), PADS_WATCH_NOTHING);
	ck_assert_int_eq(feed_padt(7), PADS_WATCH_ENDED_BY_AC);
	ck_assert_uint_eq(pads_watch_untaken(&watch, untaken, PADS_WATCH_MAX), 0);
	ck_assert(!watch.taken_ended);
	ck_assert_int_eq(feed_padt(8), PADS_WATCH_ENDED_BY_AC);
	ck_assert(watch.taken_ended);
	ck_assert_int_eq(feed_padt(8), PADS_WATCH_NOTHING);
}
END_TEST

START_TEST(test_a_flood_is_bounded)
{
	struct pads_session found, untaken[PADS_WATCH_MAX + 2];

	for (uint16_t id = 1; id <= 100; id++)
		(void)feed_pads(id, &found);
	ck_assert_uint_eq(pads_watch_untaken(&watch, untaken, PADS_WATCH_MAX + 2), PADS_WATCH_MAX);
	ck_assert_uint_eq(pads_watch_untaken(&watch, untaken, 2), 2);
}
END_TEST

static Suite *pads_watch_suite(void)
{
	Suite *suite = suite_create("pads_watch");
	TCase *tc = tcase_create("pads_watch");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_pads_for_us_is_seen);
	tcase_add_test(tc, test_an_offer_for_us_is_noted);
	tcase_add_test(tc, test_other_frames_are_not_sessions_for_us);
	tcase_add_test(tc, test_without_our_host_uniq_nothing_is_ours);
	tcase_add_test(tc, test_untaken_sessions);
	tcase_add_test(tc, test_the_acs_padt_ends_what_we_knew);
	tcase_add_test(tc, test_a_flood_is_bounded);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return check_main_run(pads_watch_suite());
}
