/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clamp on TCP segments (tests/test_clamp): the walk over the options,
 * through both families, and the incremental update of the checksum (RFC
 * 1624), held against a full recomputation.
 */
#include <check.h>
#include <stdint.h>

#include "byte_order.h"
#include "clamp.h"
#include "clamp_packet.h"
#include "test_clamp.h"

/* ---- TCP options, through both families ---- */

static void check_options(const uint8_t *options, size_t len, enum clamp_result want)
{
	struct packet p;

	for (int family = 0; family < MSS_FAMILY_COUNT; family++) {
		build_syn(&p, family, options, len);
		check_clamp(&p, 1400, want);
	}
}

START_TEST(options_bogus_lengths)
{
	static const uint8_t mss_len_0[4] = { 2, 0, 0x05, 0xb4 };
	static const uint8_t mss_len_1[4] = { 2, 1, 0x05, 0xb4 };
	static const uint8_t mss_len_3[4] = { 2, 3, 0x05, 0xb4 };
	static const uint8_t mss_len_6[8] = { 2, 6, 0x05, 0xb4, 0, 0, 0, 0 };
	static const uint8_t other_len_0[8] = { 8, 0, 0, 0, 2, 4, 0x05, 0xb4 };
	static const uint8_t other_len_1[8] = { 3, 1, 0, 0, 2, 4, 0x05, 0xb4 };
	static const uint8_t past_header[8] = { 2, 4, 0x05, 0xb4, 1, 1, 8, 10 };
	static const uint8_t mss_past_header[4] = { 1, 2, 4, 0x05 };
	static const uint8_t kind_at_last_byte[4] = { 1, 1, 1, 8 };
	static const uint8_t mss_then_garbage[8] = { 2, 4, 0x05, 0xb4, 30, 0, 0, 0 };
	static const uint8_t two_mss_then_garbage[12] = {
		2, 4, 0x05, 0xb4, 1, 2, 4, 0x23, 0x28, 30, 1, 0,
	};
	static const uint8_t mss_then_kind_at_last_byte[8] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 2 };
	static const uint8_t mss_then_nop_at_last_byte[8] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 1 };

	check_options(mss_len_0, sizeof(mss_len_0), MSS_PASS_MALFORMED);
	check_options(mss_len_1, sizeof(mss_len_1), MSS_PASS_MALFORMED);
	check_options(mss_len_3, sizeof(mss_len_3), MSS_PASS_MALFORMED);
	check_options(mss_len_6, sizeof(mss_len_6), MSS_PASS_MALFORMED);
	check_options(other_len_0, sizeof(other_len_0), MSS_PASS_MALFORMED);
	check_options(other_len_1, sizeof(other_len_1), MSS_PASS_MALFORMED);
	check_options(past_header, sizeof(past_header), MSS_PASS_MALFORMED);
	check_options(mss_past_header, sizeof(mss_past_header), MSS_PASS_MALFORMED);
	check_options(kind_at_last_byte, sizeof(kind_at_last_byte), MSS_PASS_MALFORMED);
	/* A fault after an MSS option leaves the frame as it came, MSS included. */
	check_options(mss_then_garbage, sizeof(mss_then_garbage), MSS_PASS_MALFORMED);
	check_options(two_mss_then_garbage, sizeof(two_mss_then_garbage), MSS_PASS_MALFORMED);
	check_options(mss_then_kind_at_last_byte, sizeof(mss_then_kind_at_last_byte),
		      MSS_PASS_MALFORMED);
	check_options(mss_then_nop_at_last_byte, sizeof(mss_then_nop_at_last_byte), MSS_CLAMPED);
}
END_TEST

START_TEST(options_end_of_list)
{
	/* Whatever follows End of List is padding, even an MSS-shaped one. */
	static const uint8_t eol_first[8] = { 0, 0, 0, 0, 2, 4, 0x05, 0xb4 };
	static const uint8_t eol_then_garbage[8] = { 2, 4, 0x05, 0xb4, 0, 0xff, 1, 0 };
	static const uint8_t nops_only[4] = { 1, 1, 1, 1 };

	check_options(eol_first, sizeof(eol_first), MSS_PASS_NO_MSS);
	check_options(eol_then_garbage, sizeof(eol_then_garbage), MSS_CLAMPED);
	check_options(nops_only, sizeof(nops_only), MSS_PASS_NO_MSS);
}
END_TEST

START_TEST(options_every_mss_clamped)
{
	/* Stacks honour the last MSS option, so all of them must come down. */
	static const uint8_t two[8] = { 2, 4, 0x05, 0xb4, 2, 4, 0x23, 0x28 };
	static const uint8_t second_high[12] = { 2, 4, 0x02, 0x18, 1, 2, 4, 0xff, 0xff, 0, 0, 0 };
	static const uint8_t both_low[8] = { 2, 4, 0x02, 0x18, 2, 4, 0x04, 0x00 };
	struct packet p;
	size_t at[10];

	for (int family = 0; family < MSS_FAMILY_COUNT; family++) {
		build_syn(&p, family, two, sizeof(two));
		check_clamp(&p, 1400, MSS_CLAMPED);
		ck_assert_uint_eq(mss_options(&p, at, 10), 2);
		ck_assert_uint_eq(get_be16(p.bytes + at[0]), 1400);
		ck_assert_uint_eq(get_be16(p.bytes + at[1]), 1400);

		build_syn(&p, family, second_high, sizeof(second_high));
		check_clamp(&p, 1400, MSS_CLAMPED);
		ck_assert_uint_eq(mss_options(&p, at, 10), 2);
		ck_assert_uint_eq(get_be16(p.bytes + at[0]), 536);
		ck_assert_uint_eq(get_be16(p.bytes + at[1]), 1400);

		build_syn(&p, family, both_low, sizeof(both_low));
		check_clamp(&p, 1400, MSS_PASS_WITHIN_LIMIT);
	}
}
END_TEST

START_TEST(options_ten_mss)
{
	/* The most MSS options 40 bytes can hold, at every parity. */
	uint8_t options[40];
	struct packet p;
	size_t at[10];

	for (size_t i = 0; i < 10; i++) {
		options[4 * i] = 2;
		options[4 * i + 1] = 4;
		put_be16(options + 4 * i + 2, (uint16_t)(1000 + 100 * i));
	}
	for (int family = 0; family < MSS_FAMILY_COUNT; family++) {
		build_syn(&p, family, options, sizeof(options));
		check_clamp(&p, 1450, MSS_CLAMPED);
		ck_assert_uint_eq(mss_options(&p, at, 10), 10);
		for (size_t i = 0; i < 10; i++)
			ck_assert_uint_le(get_be16(p.bytes + at[i]), 1450);
	}
}
END_TEST

START_TEST(options_data_offset)
{
	struct packet p;

	for (int family = 0; family < MSS_FAMILY_COUNT; family++) {
		for (unsigned offset = 0; offset < 16; offset++) {
			enum clamp_result want;

			build_syn(&p, family, linux_syn_options, sizeof(linux_syn_options));
			p.bytes[p.tcp + 12] = (uint8_t)(offset << 4);
			tcp_seal(&p);
			/*
			 * Below the minimum or past the packet is malformed; 7 and 8
			 * words cut the timestamps option short.
			 */
			if (offset < 5 || offset > 10 || offset == 7 || offset == 8)
				want = MSS_PASS_MALFORMED;
			else if (offset == 5)
				want = MSS_PASS_NO_MSS;
			else
				want = MSS_CLAMPED;
			check_clamp(&p, 1400, want);
		}
	}
}
END_TEST

/* ---- the checksum update ---- */

START_TEST(checksum_every_value)
{
	/*
	 * Sweep a 16-bit word of the segment through every value so that the
	 * checksum before and after takes every value, 0x0000 included (the
	 * RFC 1624 case where HC + m + ~m' would give 0xffff instead).
	 */
	static const uint16_t pairs[][2] = {
		{ 1460, 1452 }, { 0xffff, 88 }, { 0x0100, 0x00ff }, { 0xffff, 0xfffe }, { 89, 88 },
	};
	unsigned zero_before = 0, zero_after = 0;

	for (size_t pair = 0; pair < sizeof(pairs) / sizeof(pairs[0]); pair++) {
		for (unsigned nops = 0; nops < 4; nops++) {
			uint8_t options[8];
			size_t options_len = mss_after_nops(options, nops, pairs[pair][0]);
			struct packet p;

			build_syn(&p, nops & 1 ? MSS_FAMILY_IPV6 : MSS_FAMILY_IPV4, options,
				  options_len);
			for (uint32_t word = 0; word <= 0xffff; word++) {
				enum clamp_result result;

				put_be16(p.bytes + p.tcp + 4, (uint16_t)word);
				put_be16(p.bytes + p.tcp + 6, 0);
				put_be16(p.bytes + p.tcp + 16, 0);
				tcp_seal(&p);
				zero_before += tcp_checksum(&p) == 0;
				if (p.family == MSS_FAMILY_IPV4)
					result = clamp_ipv4(p.bytes, p.len, pairs[pair][1]);
				else
					result = clamp_ipv6(p.bytes, p.len, pairs[pair][1]);
				/* check's assertions cost a syscall each: only on failure here. */
				if (result != MSS_CLAMPED ||
				    tcp_checksum(&p) != tcp_checksum_compute(&p))
					ck_abort_msg("MSS %u -> %u, word %#x: %s, checksum %#x, want %#x",
						     pairs[pair][0], pairs[pair][1], word,
						     clamp_result_name(result), tcp_checksum(&p),
						     tcp_checksum_compute(&p));
				zero_after += tcp_checksum(&p) == 0;
				put_be16(p.bytes + p.tcp + TCP_HEADER + nops + 2, pairs[pair][0]);
			}
		}
	}
	ck_assert_uint_gt(zero_before, 0);
	ck_assert_uint_gt(zero_after, 0);
}
END_TEST

START_TEST(checksum_negative_zero)
{
	/*
	 * 0xffff is the other one's complement zero; a sender may put it where
	 * 0x0000 belongs.  Whatever the clamp writes must still verify.
	 */
	uint8_t options[8];

	for (unsigned nops = 0; nops < 4; nops++) {
		size_t options_len = mss_after_nops(options, nops, 1460);
		struct packet p;

		ipv4_syn(&p, TCP_SYN, options, options_len);
		for (uint32_t word = 0; word <= 0xffff; word++) {
			put_be16(p.bytes + p.tcp + 4, (uint16_t)word);
			tcp_seal(&p);
			if (tcp_checksum(&p) == 0)
				break;
		}
		ck_assert_uint_eq(tcp_checksum(&p), 0);
		put_be16(p.bytes + p.tcp + 16, 0xffff);
		ck_assert(tcp_checksum_ok(&p));
		ck_assert_int_eq(clamp_ipv4(p.bytes, p.len, 1452), MSS_CLAMPED);
		ck_assert(tcp_checksum_ok(&p));
		ck_assert_uint_eq(mss_of(&p), 1452);
	}
}
END_TEST

START_TEST(checksum_random)
{
	random_seed(0x6a09e667);
	for (unsigned round = 0; round < 100000; round++) {
		uint8_t options[8];
		uint16_t mss = (uint16_t)random_next(), limit = (uint16_t)(1 + random_below(0xffff));
		unsigned nops = random_below(4);
		size_t options_len = mss_after_nops(options, nops, mss);
		uint16_t want_mss = mss > limit ? limit : mss;
		enum clamp_result result;
		struct packet p;

		build_syn(&p, random_below(2), options, options_len);
		for (size_t i = 0; i < 12; i++)
			p.bytes[p.tcp + i] = (uint8_t)random_next();
		tcp_seal(&p);
		if (p.family == MSS_FAMILY_IPV4)
			result = clamp_ipv4(p.bytes, p.len, limit);
		else
			result = clamp_ipv6(p.bytes, p.len, limit);
		if (result != (mss > limit ? MSS_CLAMPED : MSS_PASS_WITHIN_LIMIT) ||
		    get_be16(p.bytes + p.tcp + TCP_HEADER + nops + 2) != want_mss ||
		    tcp_checksum(&p) != tcp_checksum_compute(&p))
			ck_abort_msg("round %u: MSS %u, limit %u: %s, MSS %u, checksum %#x, want %#x",
				     round, mss, limit, clamp_result_name(result),
				     get_be16(p.bytes + p.tcp + TCP_HEADER + nops + 2),
				     tcp_checksum(&p), tcp_checksum_compute(&p));
	}
}
END_TEST

START_TEST(checksum_stays_wrong)
{
	/* A segment that arrived corrupt must not leave with a good checksum. */
	struct packet p;
	uint16_t sum;

	ipv4_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	p.bytes[p.tcp + 17] ^= 0x10;
	sum = tcp_sum(&p, true);
	ck_assert_uint_ne(sum, 0xffff);
	ck_assert_int_eq(clamp_ipv4(p.bytes, p.len, 1452), MSS_CLAMPED);
	ck_assert_uint_eq(tcp_sum(&p, true), sum);
}
END_TEST

TCase *clamp_tcp_options_tcase(void)
{
	TCase *tc = tcase_create("tcp_options");

	tcase_add_test(tc, options_bogus_lengths);
	tcase_add_test(tc, options_end_of_list);
	tcase_add_test(tc, options_every_mss_clamped);
	tcase_add_test(tc, options_ten_mss);
	tcase_add_test(tc, options_data_offset);
	return tc;
}

TCase *clamp_checksum_tcase(void)
{
	TCase *tc = tcase_create("checksum");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, checksum_every_value);
	tcase_add_test(tc, checksum_negative_zero);
	tcase_add_test(tc, checksum_random);
	tcase_add_test(tc, checksum_stays_wrong);
	return tc;
}
