/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/lcp_snoop.c: what a Configure-Ack sets, what is ignored,
 * what is malformed.  Which Acks count at all, as answers to a Request, is
 * tested in test_lcp_snoop_answers.c; the frames come from lcp_frame.c.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "byte_order.h"
#include "check_main.h"
#include "lcp_frame.h"
#include "lcp_snoop.h"
#include "test_lcp_snoop.h"

/* ---- defaults ---- */

START_TEST(defaults)
{
	struct lcp_snoop s;

	lcp_snoop_init(&s, 1492);
	ck_assert_uint_eq(s.max_payload, 1492);
	ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);
	ck_assert_uint_eq(s.peer_mru, LCP_DEFAULT_MRU);
	ck_assert_uint_eq(s.acks_seen, 0);
	ck_assert_uint_eq(s.malformed, 0);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1492);
	ck_assert_uint_eq(lcp_snoop_mru(&s), 1492);
}
END_TEST

START_TEST(default_max_payload)
{
	struct lcp_snoop s;

	/* 0: not known, so standard Ethernet. */
	lcp_snoop_init(&s, 0);
	ck_assert_uint_eq(s.max_payload, 1492);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1492);
	lcp_snoop_init(&s, 9000);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), LCP_DEFAULT_MRU);
	ck_assert_uint_eq(lcp_snoop_mru(&s), LCP_DEFAULT_MRU);
}
END_TEST

/* ---- Configure-Ack answering a Configure-Request ---- */

START_TEST(inbound_ack_sets_our_mru)
{
	struct lcp_snoop s;

	lcp_snoop_init(&s, 1500);
	ck_assert_int_eq(negotiate_mru(&s, 1492, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.our_mru, 1492);
	ck_assert_uint_eq(s.peer_mru, LCP_DEFAULT_MRU);
	ck_assert_uint_eq(lcp_snoop_mru(&s), 1492);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1500);
	ck_assert_uint_eq(s.acks_seen, 1);
	ck_assert_uint_eq(s.malformed, 0);
}
END_TEST

START_TEST(outbound_ack_sets_peer_mru)
{
	struct lcp_snoop s;

	lcp_snoop_init(&s, 1492);
	ck_assert_int_eq(negotiate_mru(&s, 1480, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.peer_mru, 1480);
	ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1480);
	ck_assert_uint_eq(lcp_snoop_mru(&s), 1492);
	ck_assert_uint_eq(s.acks_seen, 1);
}
END_TEST

START_TEST(ack_among_other_options)
{
	/* The MRU last, after options of several lengths (CHAP with MD5 among them). */
	static const uint8_t mru_last[] = {
		5, 6, 0xde, 0xad, 0xbe, 0xef, 7, 2, 3, 5, 0xc2, 0x23, 0x05, 1, 4, 0x05, 0x78,
	};
	struct lcp_snoop s;
	struct frame f;

	lcp_snoop_init(&s, 1492);
	lcp_frame(&f, CONFIGURE_ACK, typical_options, sizeof(typical_options));
	ck_assert_int_eq(negotiate(&s, &f, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.peer_mru, 1492);

	lcp_frame(&f, CONFIGURE_ACK, mru_last, sizeof(mru_last));
	ck_assert_int_eq(negotiate(&s, &f, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.our_mru, 1400);
	ck_assert_uint_eq(s.acks_seen, 2);
	ck_assert_uint_eq(s.malformed, 0);
}
END_TEST

START_TEST(ack_without_mru)
{
	static const uint8_t magic_only[] = { 5, 6, 0x12, 0x34, 0x56, 0x78 };
	struct lcp_snoop s;
	struct frame f;

	lcp_snoop_init(&s, 1492);
	/* Already the default: counted, but nothing to recompute. */
	lcp_frame(&f, CONFIGURE_ACK, magic_only, sizeof(magic_only));
	ck_assert_int_eq(negotiate(&s, &f, PPP_OUTBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.acks_seen, 1);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1492);

	/* After a smaller MRU, an Ack without one means 1500 again, capped to 1492. */
	ck_assert_int_eq(negotiate_mru(&s, 1480, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1480);
	lcp_frame(&f, CONFIGURE_ACK, NULL, 0);
	ck_assert_int_eq(negotiate(&s, &f, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.peer_mru, LCP_DEFAULT_MRU);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1492);
	ck_assert_uint_eq(s.acks_seen, 3);
}
END_TEST

START_TEST(rfc4638_baby_jumbo)
{
	struct lcp_snoop s;

	/* PPP-Max-Payload 1500 and MRU 1500 acknowledged both ways. */
	lcp_snoop_init(&s, 1500);
	ck_assert_int_eq(negotiate_mru(&s, 1500, PPP_OUTBOUND), LCP_SNOOP_NONE);
	ck_assert_int_eq(negotiate_mru(&s, 1500, PPP_INBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.acks_seen, 2);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1500);
	ck_assert_uint_eq(lcp_snoop_mru(&s), 1500);

	/* pppd acknowledging more than the link carries is capped. */
	ck_assert_int_eq(negotiate_mru(&s, 4000, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.peer_mru, 4000);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1500);
}
END_TEST

START_TEST(renegotiation_replaces)
{
	static const uint16_t sequence[] = { 1480, 1400, 1492, 1492, 576, 1500 };
	struct lcp_snoop s;
	uint16_t previous = LCP_DEFAULT_MRU;

	lcp_snoop_init(&s, 1492);
	for (size_t i = 0; i < sizeof(sequence) / sizeof(sequence[0]); i++) {
		enum lcp_snoop_event want =
			sequence[i] == previous ? LCP_SNOOP_NONE : LCP_SNOOP_MRU_CHANGED;

		ck_assert_int_eq(negotiate_mru(&s, sequence[i], PPP_OUTBOUND), want);
		ck_assert_int_eq(negotiate_mru(&s, sequence[i], PPP_INBOUND), want);
		ck_assert_uint_eq(s.peer_mru, sequence[i]);
		ck_assert_uint_eq(s.our_mru, sequence[i]);
		ck_assert_uint_eq(lcp_snoop_mtu(&s), sequence[i] < 1492 ? sequence[i] : 1492);
		previous = sequence[i];
	}
	ck_assert_uint_eq(s.acks_seen, 2 * sizeof(sequence) / sizeof(sequence[0]));
}
END_TEST

START_TEST(small_mru_kept)
{
	struct lcp_snoop s;

	/* Odd but legal when both sides agree: stored as is, the clamp's floor deals with it. */
	lcp_snoop_init(&s, 1492);
	ck_assert_int_eq(negotiate_mru(&s, 60, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 60);
	ck_assert_int_eq(negotiate_mru(&s, 0, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(lcp_snoop_mru(&s), 0);
}
END_TEST

START_TEST(repeated_mru_smallest_wins)
{
	static const uint8_t twice[] = { 1, 4, 0x05, 0x78, 1, 4, 0x05, 0xd4, 1, 4, 0x05, 0xdc };
	struct lcp_snoop s;
	struct frame f;

	lcp_snoop_init(&s, 1492);
	lcp_frame(&f, CONFIGURE_ACK, twice, sizeof(twice));
	ck_assert_int_eq(negotiate(&s, &f, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.peer_mru, 1400);
}
END_TEST

/* ---- what must change nothing ---- */

START_TEST(other_codes_ignored)
{
	static const uint8_t codes[] = {
		CONFIGURE_REQUEST, CONFIGURE_NAK, CONFIGURE_REJECT, TERMINATE_REQUEST, 6,
		CODE_REJECT, 8, ECHO_REQUEST, 10, 11, 0, 255,
	};
	struct lcp_snoop s, before;
	struct frame f;

	lcp_snoop_init(&s, 1492);
	for (size_t i = 0; i < sizeof(codes); i++) {
		for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
			uint8_t options[4] = { 1, 4, 0x02, 0x40 };

			before = s;
			lcp_frame(&f, codes[i], options, sizeof(options));
			ck_assert_int_eq(snoop(&s, &f, dir), LCP_SNOOP_NONE);
			assert_same_state(&s, &before);
		}
	}
	ck_assert_uint_eq(s.acks_seen, 0);
	ck_assert_uint_eq(s.malformed, 0);
}
END_TEST

START_TEST(non_lcp_ignored)
{
	static const uint16_t protocols[] = { 0x8021, 0x8057, 0xc023, 0x0021, 0x0057, 0x80fd, 0xc025 };
	struct lcp_snoop s, before;
	struct frame f;

	lcp_snoop_init(&s, 1492);
	before = s;
	ack_with_mru(&f, 1400);
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
		put_be16(f.bytes, protocols[i]);
		ck_assert_int_eq(snoop(&s, &f, PPP_OUTBOUND), LCP_SNOOP_NONE);
	}
	/* Address and control still in front: not the caller's contract, and not LCP. */
	memmove(f.bytes + 2, f.bytes, f.len);
	f.bytes[0] = 0xff;
	f.bytes[1] = 0x03;
	put_be16(f.bytes + 2, PPP_PROTOCOL_LCP);
	f.len += 2;
	ck_assert_int_eq(snoop(&s, &f, PPP_OUTBOUND), LCP_SNOOP_NONE);
	/* LCP never uses a compressed protocol field: 0x21 is IPv4. */
	ack_with_mru(&f, 1400);
	memmove(f.bytes + 1, f.bytes + 2, f.len - 2);
	f.bytes[0] = 0x21;
	f.len--;
	ck_assert_int_eq(snoop(&s, &f, PPP_OUTBOUND), LCP_SNOOP_NONE);
	assert_same_state(&s, &before);
	ck_assert_uint_eq(s.malformed, 0);
}
END_TEST

START_TEST(unknown_direction_ignored)
{
	struct lcp_snoop s, before;
	struct frame f;

	lcp_snoop_init(&s, 1492);
	before = s;
	ack_with_mru(&f, 1400);
	ck_assert_int_eq(snoop(&s, &f, PPP_DIRECTION_COUNT), LCP_SNOOP_NONE);
	ck_assert_int_eq(snoop(&s, &f, (enum ppp_direction)7), LCP_SNOOP_NONE);
	assert_same_state(&s, &before);
	ck_assert_uint_eq(s.malformed, 0);
}
END_TEST

/* ---- malformed ---- */

static void expect_malformed(const struct frame *f)
{
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		struct lcp_snoop s, before;

		lcp_snoop_init(&s, 1492);
		before = s;
		ck_assert_int_eq(snoop(&s, f, dir), LCP_SNOOP_NONE);
		assert_same_state(&s, &before);
		ck_assert_uint_eq(s.malformed, 1);
	}
}

START_TEST(bogus_option_lengths)
{
	static const uint8_t len_0[] = { 5, 0, 0, 0, 1, 4, 0x05, 0x78 };
	/* Stepping by 1 here would find a well-formed MRU option at the length byte. */
	static const uint8_t len_1[] = { 7, 1, 4, 0x02, 0x40 };
	static const uint8_t past_end[] = { 1, 4, 0x05, 0x78, 5, 6, 0x12, 0x34 };
	static const uint8_t half_option[] = { 1, 4, 0x05, 0x78, 7 };
	static const uint8_t mru_len_2[] = { 1, 2, 1, 4, 0x05, 0x78 };
	static const uint8_t mru_len_3[] = { 1, 3, 0x05, 0x78 };
	static const uint8_t mru_len_5[] = { 1, 5, 0x05, 0x78, 0 };
	static const uint8_t mru_len_0[] = { 1, 0, 0x05, 0x78 };
	static const struct {
		const uint8_t *options;
		size_t len;
	} cases[] = {
		{ len_0, sizeof(len_0) },         { len_1, sizeof(len_1) },
		{ past_end, sizeof(past_end) },   { half_option, sizeof(half_option) },
		{ mru_len_2, sizeof(mru_len_2) }, { mru_len_3, sizeof(mru_len_3) },
		{ mru_len_5, sizeof(mru_len_5) }, { mru_len_0, sizeof(mru_len_0) },
	};
	struct frame f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lcp_frame(&f, CONFIGURE_ACK, cases[i].options, cases[i].len);
		expect_malformed(&f);
	}
}
END_TEST

START_TEST(lcp_length_field)
{
	struct lcp_snoop s;
	struct frame f, request;

	/* Longer than the frame. */
	ack_with_mru(&f, 1400);
	put_be16(f.bytes + 4, (uint16_t)(f.len - 2 + 1));
	expect_malformed(&f);
	put_be16(f.bytes + 4, 0xffff);
	expect_malformed(&f);
	/* Shorter than the LCP header. */
	for (uint16_t len = 0; len < 4; len++) {
		put_be16(f.bytes + 4, len);
		expect_malformed(&f);
	}
	/* Ending inside the MRU option. */
	for (uint16_t len = 5; len < 8; len++) {
		put_be16(f.bytes + 4, len);
		expect_malformed(&f);
	}

	/*
	 * Shorter than the options: what lies beyond is padding, not options,
	 * neither to read the MRU from nor to compare with the Request.
	 */
	lcp_snoop_init(&s, 1492);
	lcp_frame(&request, CONFIGURE_REQUEST, typical_options, 4 + 6);
	snoop(&s, &request, PPP_INBOUND);
	lcp_frame(&f, CONFIGURE_ACK, typical_options, sizeof(typical_options));
	put_be16(f.bytes + 4, 4 + 4 + 6);
	ck_assert_int_eq(snoop(&s, &f, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.peer_mru, 1492);
	ck_assert_uint_eq(s.malformed, 0);
	lcp_frame(&request, CONFIGURE_REQUEST, NULL, 0);
	snoop(&s, &request, PPP_INBOUND);
	put_be16(f.bytes + 4, 4);
	ck_assert_int_eq(snoop(&s, &f, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.peer_mru, LCP_DEFAULT_MRU);

	/* Ethernet padding after a correct length is ignored, even if it looks like an MRU. */
	lcp_snoop_init(&s, 1492);
	lcp_frame(&f, CONFIGURE_ACK, NULL, 0);
	request_for(&s, &f, PPP_INBOUND);
	memcpy(f.bytes + f.len, "\x01\x04\x02\x40\x00\x00\x00\x00", 8);
	f.len += 8;
	ck_assert_int_eq(snoop(&s, &f, PPP_INBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);
	ck_assert_uint_eq(s.acks_seen, 1);
	ck_assert_uint_eq(s.malformed, 0);
}
END_TEST

START_TEST(truncated_every_length)
{
	struct frame f;

	lcp_frame(&f, CONFIGURE_ACK, typical_options, sizeof(typical_options));
	for (size_t cut = 0; cut < f.len; cut++) {
		for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
			struct lcp_snoop s, before;

			lcp_snoop_init(&s, 1492);
			request_for(&s, &f, dir);
			before = s;
			ck_assert_int_eq(snoop_bytes(&s, f.bytes, cut, dir), LCP_SNOOP_NONE);
			assert_same_state(&s, &before);
			/* Too short for the protocol field is simply not LCP. */
			ck_assert_uint_eq(s.malformed, cut < 2 ? 0 : 1);
		}
	}
	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		struct lcp_snoop s;

		lcp_snoop_init(&s, 1492);
		request_for(&s, &f, dir);
		ck_assert_int_eq(snoop_bytes(&s, f.bytes, f.len, dir), LCP_SNOOP_MRU_CHANGED);
		ck_assert_uint_eq(s.malformed, 0);
	}
}
END_TEST

static uint32_t random_state;

static uint32_t random_next(void)
{
	/* xorshift32: deterministic, so any failure reproduces. */
	random_state ^= random_state << 13;
	random_state ^= random_state >> 17;
	random_state ^= random_state << 5;
	return random_state;
}

START_TEST(random_frames)
{
	/*
	 * Mutated Acks and random bytes, after a Request that the unmutated Ack
	 * would answer or, every other round, one that echoes the mutated bytes:
	 * never a read past the frame, never a write to it, and the state moves
	 * only as the rules say.
	 */
	random_state = 0x1234567;
	for (unsigned round = 0; round < 50000; round++) {
		struct lcp_snoop s, before;
		struct frame f, request;
		enum ppp_direction dir = random_next() & 1 ? PPP_INBOUND : PPP_OUTBOUND;
		enum lcp_snoop_event event;
		bool echoed = random_next() & 1;

		lcp_snoop_init(&s, (uint16_t)(1400 + random_next() % 200));
		lcp_frame(&request, CONFIGURE_REQUEST, typical_options, sizeof(typical_options));
		if (random_next() % 4) {
			lcp_frame(&f, CONFIGURE_ACK, typical_options, sizeof(typical_options));
			for (unsigned flips = 1 + random_next() % 3; flips; flips--)
				f.bytes[2 + random_next() % (f.len - 2)] ^=
					(uint8_t)(1 + random_next() % 255);
			if (random_next() % 8 == 0)
				f.bytes[random_next() % 2] ^= (uint8_t)(1 + random_next() % 255);
		} else {
			f.len = random_next() % FRAME_MAX;
			for (size_t i = 0; i < f.len; i++)
				f.bytes[i] = (uint8_t)random_next();
			put_be16(f.bytes, PPP_PROTOCOL_LCP);
		}
		f.len -= random_next() % 4 ? 0 : random_next() % (f.len + 1);
		if (echoed && f.len >= 3) {
			request = f;
			request.bytes[2] = CONFIGURE_REQUEST;
		}
		snoop(&s, &request, other_direction(dir));
		before = s;
		event = snoop(&s, &f, dir);

		ck_assert_uint_eq(s.max_payload, before.max_payload);
		ck_assert_uint_le((s.acks_seen - before.acks_seen) + (s.malformed - before.malformed) +
					  (s.acks_unmatched - before.acks_unmatched),
				  1);
		if (event == LCP_SNOOP_MRU_CHANGED)
			ck_assert_uint_eq(s.acks_seen, 1);
		if (s.acks_seen == 0) {
			assert_same_state(&s, &before);
			ck_assert_int_eq(event, LCP_SNOOP_NONE);
		} else {
			/* Taken: it echoed the Request, which is then used up. */
			ck_assert_uint_eq(f.bytes[2], CONFIGURE_ACK);
			ck_assert_uint_eq(f.bytes[3], request.bytes[3]);
			ck_assert(!s.request[other_direction(dir)].valid);
		}
		if (dir == PPP_INBOUND)
			ck_assert_uint_eq(s.peer_mru, before.peer_mru);
		else
			ck_assert_uint_eq(s.our_mru, before.our_mru);
	}
}
END_TEST

static Suite *lcp_snoop_suite(void)
{
	Suite *suite = suite_create("lcp_snoop");
	TCase *tc;

	tc = tcase_create("defaults");
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, default_max_payload);
	suite_add_tcase(suite, tc);

	tc = tcase_create("configure_ack");
	tcase_add_test(tc, inbound_ack_sets_our_mru);
	tcase_add_test(tc, outbound_ack_sets_peer_mru);
	tcase_add_test(tc, ack_among_other_options);
	tcase_add_test(tc, ack_without_mru);
	tcase_add_test(tc, rfc4638_baby_jumbo);
	tcase_add_test(tc, renegotiation_replaces);
	tcase_add_test(tc, small_mru_kept);
	tcase_add_test(tc, repeated_mru_smallest_wins);
	suite_add_tcase(suite, tc);

	suite_add_tcase(suite, lcp_snoop_answers_tcase());

	tc = tcase_create("ignored");
	tcase_add_test(tc, other_codes_ignored);
	tcase_add_test(tc, non_lcp_ignored);
	tcase_add_test(tc, unknown_direction_ignored);
	suite_add_tcase(suite, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, bogus_option_lengths);
	tcase_add_test(tc, lcp_length_field);
	tcase_add_test(tc, truncated_every_length);
	tcase_add_test(tc, random_frames);
	suite_add_tcase(suite, tc);

	return suite;
}

int main(void)
{
	return check_main_run(lcp_snoop_suite());
}
