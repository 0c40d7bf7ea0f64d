/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/test_discovery: the hostile or confused neighbour on a shared segment. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "discovery_fixture.h"
#include "test_discovery.h"

/* Deterministic generator for the flood and mutation tests. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

/* Copy to an exact-size heap block so ASan catches any read past len. */
static void feed_exact(struct discovery *disc, const uint8_t *bytes, size_t len, uint64_t now,
		       struct discovery_event *ev)
{
	uint8_t *copy = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy, bytes, len);
	discovery_handle_frame(disc, copy, len, now, ev);
	free(copy);
	/* ev->message pointed into the copy. */
	ev->has_message = false;
}

/* ---- frames that are not for us ---- */

START_TEST(test_not_to_us)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);

	/* Another client's broadcast PADI, with our Host-Uniq even. */
	raw_begin_frame(&t.f, pppoe_broadcast_mac, other_host, 0x8863, 0x11, PPPOE_CODE_PADI, 0);
	raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_NOT_TO_US);

	/* A PADO to another host. */
	make_pado(&t.f, ac1, "BRAS");
	memcpy(t.f.bytes, other_host, 6);
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_NOT_TO_US);

	/* A PADO broadcast by a sloppy AC is not addressed to us either. */
	memcpy(t.f.bytes, pppoe_broadcast_mac, 6);
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_NOT_TO_US);

	/* A PADI addressed to us is still no answer. */
	frame_to_us(&t.f, other_host, PPPOE_CODE_PADI, 0);
	raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 4, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);

	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_NOT_TO_US], 3);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_UNEXPECTED_CODE], 1);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);
}
END_TEST

START_TEST(test_other_ethertypes)
{
	reach_session(&t.disc, &t.cfg, 0x0042, &t.ev);

	/* Session data is not discovery's business. */
	raw_begin_frame(&t.f, our_mac, ac1, 0x8864, 0x11, PPPOE_CODE_SESSION, 0x0042);
	raw_tag(&t.f, 0xc021, "\x01\x01\x00\x04", 4);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert(!t.ev.has_message);

	/* A PADT sent with the session ethertype is not a PADT. */
	raw_begin_frame(&t.f, our_mac, ac1, 0x8864, 0x11, PPPOE_CODE_PADT, 0x0042);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);

	raw_begin_frame(&t.f, our_mac, ac1, 0x0800, 0x11, PPPOE_CODE_PADT, 0x0042);
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);

	ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_UNEXPECTED_CODE], 2);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_MALFORMED], 1);
}
END_TEST

/* ---- hostile input ---- */

START_TEST(test_idle_ignores_everything)
{
	discovery_init(&t.disc, &t.cfg);
	make_pado(&t.f, ac1, "BRAS");
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	make_pads(&t.f, ac1, 5);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_UNEXPECTED_CODE);
	ck_assert_int_eq(t.disc.state, DISCOVERY_IDLE);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);
}
END_TEST

START_TEST(test_event_reset)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	ck_assert_uint_gt(t.ev.send_len, 0);
	/* Whatever the last call left, the next event starts clean. */
	t.ev.accepted = true;
	t.ev.rejected = DISCOVERY_REJECT_SERVICE;
	t.ev.failure = DISCOVERY_FAILURE_NO_PADS;
	t.ev.has_message = true;
	frame_to_us(&t.f, ac1, PPPOE_CODE_PADO, 0);
	t.f.len = 10;
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);
	ck_assert_uint_eq(t.ev.attempt, 0);
	ck_assert(!t.ev.accepted);
	ck_assert_int_eq(t.ev.rejected, DISCOVERY_REJECT_NONE);
	ck_assert_int_eq(t.ev.failure, DISCOVERY_FAILURE_NONE);
	ck_assert(!t.ev.has_message);
	ck_assert_ptr_null(t.ev.message.frame.payload);
}
END_TEST

/* Every strict prefix of a valid frame is ignored as malformed, state untouched. */
static void check_truncations(struct discovery *disc, const struct raw_frame *f)
{
	enum discovery_state state = disc->state;
	uint64_t malformed = disc->counters.ignored[DISCOVERY_IGNORE_MALFORMED];
	struct discovery_event ev;
	size_t len;

	for (len = 0; len < f->len; len++) {
		feed_exact(disc, f->bytes, len, 1, &ev);
		check_ignored(&ev, DISCOVERY_IGNORE_MALFORMED);
		ck_assert_int_eq(disc->state, state);
	}
	ck_assert_uint_eq(disc->counters.ignored[DISCOVERY_IGNORE_MALFORMED], malformed + f->len);
}

START_TEST(test_truncated_frames)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	pado_begin(&t.f, ac1, "BRAS");
	raw_tag_text(&t.f, PPPOE_TAG_AC_COOKIE, "cookie");
	raw_tag_text(&t.f, PPPOE_TAG_RELAY_SESSION_ID, "relay");
	raw_finish(&t.f);
	check_truncations(&t.disc, &t.f);
	feed_exact(&t.disc, t.f.bytes, t.f.len, 1, &t.ev);
	ck_assert(t.ev.accepted);

	make_pads(&t.f, ac1, 9);
	check_truncations(&t.disc, &t.f);
	feed_exact(&t.disc, t.f.bytes, t.f.len, 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_SESSION_UP);

	frame_to_us(&t.f, ac1, PPPOE_CODE_PADT, 9);
	raw_tag_text(&t.f, PPPOE_TAG_GENERIC_ERROR, "bye");
	raw_finish(&t.f);
	check_truncations(&t.disc, &t.f);
	feed_exact(&t.disc, t.f.bytes, t.f.len, 1, &t.ev);
	ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_TERMINATED);
}
END_TEST

START_TEST(test_malformed_tags_ignored)
{
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	/* A good PADO followed by two stray bytes inside the PPPoE length. */
	pado_begin(&t.f, ac1, "BRAS");
	t.f.bytes[t.f.len++] = 0x01;
	t.f.bytes[t.f.len++] = 0x04;
	raw_finish(&t.f);
	feed(&t.disc, &t.f, 1, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);

	/* A tag whose value runs past the PPPoE length. */
	make_pado(&t.f, ac1, "BRAS");
	t.f.bytes[23] = 0x40;
	feed(&t.disc, &t.f, 2, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);

	/* Bad version. */
	make_pado(&t.f, ac1, "BRAS");
	t.f.bytes[14] = 0x12;
	feed(&t.disc, &t.f, 3, &t.ev);
	check_ignored(&t.ev, DISCOVERY_IGNORE_MALFORMED);
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_MALFORMED], 3);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);
}
END_TEST

START_TEST(test_pado_flood)
{
	uint32_t seed = 12345;
	unsigned i;

	config_default(&t.cfg);
	start_at(&t.disc, &t.cfg, 0, &t.ev);
	for (i = 0; i < 10000; i++) {
		uint8_t source[PPPOE_MAC_LEN];
		uint8_t wrong[4];
		size_t k;

		for (k = 0; k < sizeof(source); k++)
			source[k] = (uint8_t)next_random(&seed);
		for (k = 0; k < sizeof(wrong); k++)
			wrong[k] = (uint8_t)next_random(&seed);
		/* A guess that happens to be right would be accepted, rightly. */
		if (memcmp(wrong, host_uniq, sizeof(wrong)) == 0)
			wrong[0] ^= 1;
		frame_to_us(&t.f, source, PPPOE_CODE_PADO, 0);
		raw_tag_text(&t.f, PPPOE_TAG_AC_NAME, "flood");
		raw_tag_text(&t.f, PPPOE_TAG_SERVICE_NAME, "");
		if (i % 3 != 0)
			raw_tag(&t.f, PPPOE_TAG_HOST_UNIQ, wrong, sizeof(wrong));
		raw_tag_text(&t.f, PPPOE_TAG_AC_COOKIE, "junk");
		raw_finish(&t.f);
		feed(&t.disc, &t.f, i, &t.ev);
		ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_IGNORED);
		ck_assert_int_eq(t.ev.ignored, DISCOVERY_IGNORE_WRONG_HOST_UNIQ);
	}
	ck_assert_uint_eq(t.disc.counters.ignored[DISCOVERY_IGNORE_WRONG_HOST_UNIQ], 10000);
	ck_assert_uint_eq(t.disc.counters.pado_seen, 0);
	ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADO);
	ck_assert_uint_eq(discovery_deadline(&t.disc), 5000);

	make_pado(&t.f, ac2, "real");
	feed(&t.disc, &t.f, 10000, &t.ev);
	ck_assert(t.ev.accepted);
	check_sent_header(&t.ev, ac2, 0x8863, PPPOE_CODE_PADR, 0);
	ck_assert_uint_eq(sent_tag_count(&t.ev, PPPOE_TAG_AC_COOKIE), 0);
}
END_TEST

START_TEST(test_mutated_frames)
{
	struct raw_frame good;
	struct raw_frame f;
	uint32_t seed = 777;
	unsigned i;

	/* Random byte damage to a PADS: never a crash, never a bogus session. */
	config_default(&t.cfg);
	frame_to_us(&good, ac1, PPPOE_CODE_PADS, 0x0010);
	raw_tag_text(&good, PPPOE_TAG_SERVICE_NAME, "");
	raw_tag(&good, PPPOE_TAG_HOST_UNIQ, host_uniq, sizeof(host_uniq));
	raw_tag(&good, PPPOE_TAG_PPP_MAX_PAYLOAD, "\x05\xdc", 2);
	raw_finish(&good);
	for (i = 0; i < 20000; i++) {
		unsigned flips = 1 + next_random(&seed) % 4;
		size_t len = good.len;

		reach_wait_pads(&t.disc, &t.cfg, &t.ev);
		f = good;
		while (flips--)
			f.bytes[next_random(&seed) % good.len] = (uint8_t)next_random(&seed);
		if (next_random(&seed) % 4 == 0)
			len = next_random(&seed) % (good.len + 1);
		feed_exact(&t.disc, f.bytes, len, 300, &t.ev);
		if (t.ev.type == DISCOVERY_EVENT_SESSION_UP) {
			ck_assert_uint_ne(t.disc.session_id, 0);
			ck_assert_mem_eq(f.bytes + 6, ac1, 6);
			ck_assert_mem_eq(f.bytes, our_mac, 6);
			ck_assert_int_eq(t.disc.state, DISCOVERY_SESSION);
		} else if (t.ev.type == DISCOVERY_EVENT_FAILED) {
			ck_assert_int_eq(t.disc.state, DISCOVERY_DONE);
		} else {
			ck_assert_int_eq(t.ev.type, DISCOVERY_EVENT_IGNORED);
			ck_assert_int_eq(t.disc.state, DISCOVERY_WAIT_PADS);
		}
	}
}
END_TEST

TCase *discovery_hostile_tcase(void)
{
	TCase *hostile = fixture_tcase("hostile input");

	tcase_add_test(hostile, test_not_to_us);
	tcase_add_test(hostile, test_other_ethertypes);
	tcase_add_test(hostile, test_idle_ignores_everything);
	tcase_add_test(hostile, test_event_reset);
	tcase_add_test(hostile, test_truncated_frames);
	tcase_add_test(hostile, test_malformed_tags_ignored);
	tcase_add_test(hostile, test_pado_flood);
	tcase_add_test(hostile, test_mutated_frames);
	/* The flood and mutation loops are slow under sanitizers. */
	tcase_set_timeout(hostile, 60);
	return hostile;
}
