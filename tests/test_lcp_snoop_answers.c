/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/lcp_snoop.c, continued: a Configure-Ack counts only as the
 * answer to the last Configure-Request that went the other way (RFC 1661
 * 5.2), so that nobody else on the segment can set the MRU.
 */
#include <check.h>
#include <string.h>

#include "byte_order.h"
#include "lcp_frame.h"
#include "test_lcp_snoop.h"

/* The case: one forged Ack with MRU 64, as the AC, with nothing asked. */
START_TEST(forged_ack_without_request)
{
	struct lcp_snoop s;
	struct frame f;

	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		lcp_snoop_init(&s, 1492);
		ack_with_mru(&f, 64);
		ck_assert_int_eq(snoop(&s, &f, dir), LCP_SNOOP_NONE);
		ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);
		ck_assert_uint_eq(s.peer_mru, LCP_DEFAULT_MRU);
		ck_assert_uint_eq(lcp_snoop_mtu(&s), 1492);
		ck_assert_uint_eq(lcp_snoop_mru(&s), 1492);
		ck_assert_uint_eq(s.acks_seen, 0);
	}
}
END_TEST

/* A live session, negotiated both ways, then a stranger's Acks as the AC. */
START_TEST(forged_ack_in_open_session)
{
	struct lcp_snoop s, before;
	struct frame request, forged;
	uint8_t options[sizeof(typical_options)];

	lcp_snoop_init(&s, 1492);
	lcp_packet(&request, CONFIGURE_ACK, 7, typical_options, sizeof(typical_options));
	ck_assert_int_eq(negotiate(&s, &request, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_int_eq(negotiate_mru(&s, 1492, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	before = s;

	/* pppd's own identifier, its options but the MRU changed to 64. */
	memcpy(options, typical_options, sizeof(options));
	put_be16(options + 2, 64);
	lcp_packet(&forged, CONFIGURE_ACK, 7, options, sizeof(options));
	ck_assert_int_eq(snoop(&s, &forged, PPP_INBOUND), LCP_SNOOP_NONE);
	/* Only the MRU option, under any identifier. */
	for (unsigned id = 0; id < 256; id++) {
		mru_option(options, 64);
		lcp_packet(&forged, CONFIGURE_ACK, (uint8_t)id, options, 4);
		ck_assert_int_eq(snoop(&s, &forged, PPP_INBOUND), LCP_SNOOP_NONE);
	}
	/* A replay of the real Ack: that Request has had its answer. */
	ck_assert_int_eq(snoop(&s, &request, PPP_INBOUND), LCP_SNOOP_NONE);
	assert_same_state(&s, &before);
	ck_assert_uint_eq(lcp_snoop_mtu(&s), 1492);
	ck_assert_uint_eq(lcp_snoop_mru(&s), 1492);
}
END_TEST

START_TEST(ack_with_another_identifier)
{
	struct lcp_snoop s;
	struct frame request, ack;
	uint8_t options[4];

	lcp_snoop_init(&s, 1492);
	mru_option(options, 1400);
	lcp_packet(&request, CONFIGURE_REQUEST, 5, options, sizeof(options));
	ck_assert_int_eq(snoop(&s, &request, PPP_OUTBOUND), LCP_SNOOP_NONE);
	lcp_packet(&ack, CONFIGURE_ACK, 6, options, sizeof(options));
	ck_assert_int_eq(snoop(&s, &ack, PPP_INBOUND), LCP_SNOOP_NONE);
	lcp_packet(&ack, CONFIGURE_ACK, 4, options, sizeof(options));
	ck_assert_int_eq(snoop(&s, &ack, PPP_INBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);
	/* The right one still counts. */
	lcp_packet(&ack, CONFIGURE_ACK, 5, options, sizeof(options));
	ck_assert_int_eq(snoop(&s, &ack, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.our_mru, 1400);
	ck_assert_uint_eq(s.acks_seen, 1);
}
END_TEST

/* RFC 1661 5.2: options "MUST NOT be reordered or modified in any way". */
START_TEST(ack_with_other_options)
{
	/* MRU 1400 and a magic number, as requested. */
	static const uint8_t requested[] = { 1, 4, 0x05, 0x78, 5, 6, 0x12, 0x34, 0x56, 0x78 };
	static const uint8_t other_mru[] = { 1, 4, 0x05, 0x77, 5, 6, 0x12, 0x34, 0x56, 0x78 };
	static const uint8_t reordered[] = { 5, 6, 0x12, 0x34, 0x56, 0x78, 1, 4, 0x05, 0x78 };
	static const uint8_t fewer[] = { 1, 4, 0x05, 0x78 };
	static const uint8_t more[] = { 1, 4, 0x05, 0x78, 5, 6, 0x12, 0x34, 0x56, 0x78, 7, 2 };
	static const uint8_t other_magic[] = { 1, 4, 0x05, 0x78, 5, 6, 0x12, 0x34, 0x56, 0x79 };
	static const struct {
		const uint8_t *options;
		size_t len;
	} acks[] = {
		{ other_mru, sizeof(other_mru) }, { reordered, sizeof(reordered) },
		{ fewer, sizeof(fewer) },         { more, sizeof(more) },
		{ other_magic, sizeof(other_magic) }, { NULL, 0 },
	};
	struct lcp_snoop s;
	struct frame f;

	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		lcp_snoop_init(&s, 1492);
		lcp_frame(&f, CONFIGURE_REQUEST, requested, sizeof(requested));
		ck_assert_int_eq(snoop(&s, &f, other_direction(dir)), LCP_SNOOP_NONE);
		for (size_t i = 0; i < sizeof(acks) / sizeof(acks[0]); i++) {
			lcp_frame(&f, CONFIGURE_ACK, acks[i].options, acks[i].len);
			ck_assert_int_eq(snoop(&s, &f, dir), LCP_SNOOP_NONE);
		}
		ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);
		ck_assert_uint_eq(s.peer_mru, LCP_DEFAULT_MRU);
		ck_assert_uint_eq(s.acks_seen, 0);
		lcp_frame(&f, CONFIGURE_ACK, requested, sizeof(requested));
		ck_assert_int_eq(snoop(&s, &f, dir), LCP_SNOOP_MRU_CHANGED);
		ck_assert_uint_eq(dir == PPP_INBOUND ? s.our_mru : s.peer_mru, 1400);
	}
}
END_TEST

/* A Request answers nothing that went the same way: an Ack must cross. */
START_TEST(ack_in_the_direction_of_the_request)
{
	struct lcp_snoop s;
	struct frame f;

	for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++) {
		lcp_snoop_init(&s, 1492);
		ack_with_mru(&f, 1200);
		f.bytes[2] = CONFIGURE_REQUEST;
		ck_assert_int_eq(snoop(&s, &f, dir), LCP_SNOOP_NONE);
		f.bytes[2] = CONFIGURE_ACK;
		ck_assert_int_eq(snoop(&s, &f, dir), LCP_SNOOP_NONE);
		ck_assert_uint_eq(lcp_snoop_mtu(&s), 1492);
		ck_assert_uint_eq(lcp_snoop_mru(&s), 1492);
		ck_assert_uint_eq(s.acks_seen, 0);
	}
}
END_TEST

/* Only the last Request of a direction can be answered (pppd's reqid). */
START_TEST(later_request_supersedes)
{
	struct lcp_snoop s;
	struct frame first, second;
	uint8_t options[4];

	lcp_snoop_init(&s, 1492);
	mru_option(options, 1400);
	lcp_packet(&first, CONFIGURE_ACK, 1, options, sizeof(options));
	mru_option(options, 1300);
	lcp_packet(&second, CONFIGURE_ACK, 2, options, sizeof(options));
	request_for(&s, &first, PPP_INBOUND);
	request_for(&s, &second, PPP_INBOUND);
	ck_assert_int_eq(snoop(&s, &first, PPP_INBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);
	ck_assert_int_eq(snoop(&s, &second, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.our_mru, 1300);
	/* The Requests of one direction do not touch the other's. */
	request_for(&s, &first, PPP_OUTBOUND);
	ck_assert_int_eq(negotiate_mru(&s, 1200, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_int_eq(snoop(&s, &first, PPP_OUTBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.peer_mru, 1400);
	ck_assert_uint_eq(s.our_mru, 1200);
}
END_TEST

/* pppd resends a Request unanswered with the same identifier: one answer counts. */
START_TEST(retransmitted_request)
{
	struct lcp_snoop s;
	struct frame f;

	lcp_snoop_init(&s, 1492);
	ack_with_mru(&f, 1400);
	request_for(&s, &f, PPP_INBOUND);
	request_for(&s, &f, PPP_INBOUND);
	ck_assert_int_eq(snoop(&s, &f, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_int_eq(snoop(&s, &f, PPP_INBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.our_mru, 1400);
	ck_assert_uint_eq(s.acks_seen, 1);
	ck_assert_uint_eq(s.acks_unmatched, 1);
}
END_TEST

START_TEST(unmatched_acks_counted)
{
	struct lcp_snoop s;
	struct frame f;

	lcp_snoop_init(&s, 1492);
	ack_with_mru(&f, 64);
	for (int i = 0; i < 5; i++)
		snoop(&s, &f, PPP_INBOUND);
	ck_assert_uint_eq(s.acks_unmatched, 5);
	ck_assert_uint_eq(s.acks_seen, 0);
	ck_assert_uint_eq(s.malformed, 0);
	/* A broken Ack is malformed before it is unmatched. */
	put_be16(f.bytes + 4, 0xffff);
	snoop(&s, &f, PPP_INBOUND);
	ck_assert_uint_eq(s.acks_unmatched, 5);
	ck_assert_uint_eq(s.malformed, 1);
}
END_TEST

/* Naks, Rejects and Terminates decide nothing: the Ack that follows does. */
START_TEST(nak_reject_terminate_change_nothing)
{
	static const uint8_t codes[] = { CONFIGURE_NAK, CONFIGURE_REJECT, TERMINATE_REQUEST, 6 };
	struct lcp_snoop s, before;
	struct frame ack, answer;

	lcp_snoop_init(&s, 1492);
	ck_assert_int_eq(negotiate_mru(&s, 1400, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ack_with_mru(&ack, 1300);
	request_for(&s, &ack, PPP_INBOUND);
	before = s;
	for (size_t i = 0; i < sizeof(codes); i++) {
		answer = ack;
		answer.bytes[2] = codes[i];
		for (int dir = 0; dir < PPP_DIRECTION_COUNT; dir++)
			ck_assert_int_eq(snoop(&s, &answer, dir), LCP_SNOOP_NONE);
	}
	assert_same_state(&s, &before);
	ck_assert_uint_eq(s.our_mru, 1400);
	/* Nor do they use up the Request: its Ack still counts. */
	ck_assert_int_eq(snoop(&s, &ack, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.our_mru, 1300);
}
END_TEST

/* len bytes of options: options of type 0 (vendor-specific) of up to 250 bytes, then the MRU. */
static void long_options(uint8_t *options, size_t len, uint16_t mru)
{
	size_t at = 0;

	while (at < len - 4) {
		size_t left = len - 4 - at;
		size_t option_len = left > 250 ? 250 : left;

		/* Never leave 1 byte behind: an option takes 2 at least. */
		if (left - option_len == 1)
			option_len--;
		options[at] = 0;
		options[at + 1] = (uint8_t)option_len;
		memset(options + at + 2, 0x5a, option_len - 2);
		at += option_len;
	}
	mru_option(options + at, mru);
}

/* A Configure-Request or -Ack with len bytes of long_options, into frame; its length. */
static size_t long_packet(uint8_t *frame, uint8_t code, size_t len, uint16_t mru)
{
	put_be16(frame, PPP_PROTOCOL_LCP);
	frame[2] = code;
	frame[3] = LCP_ID;
	put_be16(frame + 4, (uint16_t)(4 + len));
	long_options(frame + 6, len, mru);
	return 6 + len;
}

START_TEST(request_too_long_to_keep)
{
	static uint8_t frame[6 + LCP_SNOOP_OPTIONS_MAX + 1];
	struct lcp_snoop s;
	struct frame f;
	size_t len;

	/* Nor does the Request before it count any more: pppd, which sent
	 * the newer one, would take no Ack of the older. */
	lcp_snoop_init(&s, 1492);
	ack_with_mru(&f, 1400);
	request_for(&s, &f, PPP_INBOUND);
	len = long_packet(frame, CONFIGURE_REQUEST, LCP_SNOOP_OPTIONS_MAX + 1, 1200);
	ck_assert_int_eq(snoop_bytes(&s, frame, len, PPP_OUTBOUND), LCP_SNOOP_NONE);
	frame[2] = CONFIGURE_ACK;
	ck_assert_int_eq(snoop_bytes(&s, frame, len, PPP_INBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);
	ck_assert_uint_eq(s.acks_unmatched, 1);
	ck_assert_uint_eq(s.malformed, 0);
	ck_assert_int_eq(snoop(&s, &f, PPP_INBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.our_mru, LCP_DEFAULT_MRU);

	/* The longest that fits is kept whole: a change in its last byte is seen. */
	lcp_snoop_init(&s, 1492);
	len = long_packet(frame, CONFIGURE_REQUEST, LCP_SNOOP_OPTIONS_MAX, 1200);
	ck_assert_int_eq(snoop_bytes(&s, frame, len, PPP_OUTBOUND), LCP_SNOOP_NONE);
	frame[2] = CONFIGURE_ACK;
	frame[len - 1] ^= 1;
	ck_assert_int_eq(snoop_bytes(&s, frame, len, PPP_INBOUND), LCP_SNOOP_NONE);
	frame[len - 1] ^= 1;
	ck_assert_int_eq(snoop_bytes(&s, frame, len, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.our_mru, 1200);
}
END_TEST

START_TEST(malformed_request_replaces_nothing)
{
	struct lcp_snoop s;
	struct frame f, broken;

	lcp_snoop_init(&s, 1492);
	ack_with_mru(&f, 1400);
	request_for(&s, &f, PPP_INBOUND);
	broken = f;
	broken.bytes[2] = CONFIGURE_REQUEST;
	put_be16(broken.bytes + 4, (uint16_t)(broken.len - 2 + 1));
	ck_assert_int_eq(snoop(&s, &broken, PPP_OUTBOUND), LCP_SNOOP_NONE);
	ck_assert_uint_eq(s.malformed, 1);
	ck_assert_int_eq(snoop(&s, &f, PPP_INBOUND), LCP_SNOOP_MRU_CHANGED);
	ck_assert_uint_eq(s.our_mru, 1400);
}
END_TEST

TCase *lcp_snoop_answers_tcase(void)
{
	TCase *tc = tcase_create("answers");

	tcase_add_test(tc, forged_ack_without_request);
	tcase_add_test(tc, forged_ack_in_open_session);
	tcase_add_test(tc, ack_with_another_identifier);
	tcase_add_test(tc, ack_with_other_options);
	tcase_add_test(tc, ack_in_the_direction_of_the_request);
	tcase_add_test(tc, later_request_supersedes);
	tcase_add_test(tc, retransmitted_request);
	tcase_add_test(tc, unmatched_acks_counted);
	tcase_add_test(tc, nak_reject_terminate_change_nothing);
	tcase_add_test(tc, request_too_long_to_keep);
	tcase_add_test(tc, malformed_request_replaces_nothing);
	return tc;
}
