/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/clamp.c, by layer: IP (test_clamp_ip.c), TCP
 * (test_clamp_tcp.c), bounds under cut and random input
 * (test_clamp_robustness.c), and here the entry point the data paths call,
 * clamp_ppp(), with the limits and result names.  Packets are built by
 * clamp_packet.c, independently of the clamp.  Built twice: as
 * tests/test_clamp, and as tests/test_clamp_bpf with every clamp call also
 * run through the tc clamp program (clamp_bpf_vectors.h).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "byte_order.h"
#include "check_main.h"
#include "clamp.h"
#include "clamp_packet.h"
#include "test_clamp.h"

/* ---- PPP framing ---- */

START_TEST(ppp_both_protocol_forms)
{
	const struct mss_limit limit = { .ipv4 = 1452, .ipv6 = 1432 };
	uint8_t frame[PACKET_MAX + 2];
	struct packet p, expected;

	for (int family = 0; family < MSS_FAMILY_COUNT; family++) {
		uint16_t mss_limit = family == MSS_FAMILY_IPV4 ? limit.ipv4 : limit.ipv6;

		for (int compressed = 0; compressed < 2; compressed++) {
			enum mss_family seen = MSS_FAMILY_COUNT;
			size_t header = compressed ? 1 : 2, len;

			build_syn(&p, family, linux_syn_options, sizeof(linux_syn_options));
			expected_clamp(&p, mss_limit, &expected);
			len = ppp_frame(frame, ppp_protocol(family), compressed, p.bytes, p.len);
			ck_assert_int_eq(clamp_frame(frame, len, limit, &seen), MSS_CLAMPED);
			ck_assert_int_eq(seen, family);
			ck_assert_mem_eq(frame + header, expected.bytes, p.len);
			ck_assert_uint_eq(frame[header - 1], ppp_protocol(family) & 0xff);

			/* family may be NULL; a clamped frame comes back within limit. */
			ck_assert_int_eq(clamp_frame(frame, len, limit, NULL),
					 MSS_PASS_WITHIN_LIMIT);
		}
	}
}
END_TEST

START_TEST(ppp_not_ip)
{
	static const uint16_t protocols[] = {
		0xc021, 0x8021, 0x8057, 0x80fd, 0xc023, 0x002d, 0x002f, 0x00fd, 0x0023, 0x0121,
	};
	const struct mss_limit limit = { .ipv4 = 1452, .ipv6 = 1432 };
	uint8_t frame[PACKET_MAX + 2];
	struct packet p;
	size_t len;

	ipv4_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
		enum mss_family seen = MSS_FAMILY_COUNT;

		len = ppp_frame(frame, protocols[i], false, p.bytes, p.len);
		ck_assert_int_eq(clamp_frame(frame, len, limit, &seen), MSS_PASS_NOT_IP);
		ck_assert_int_eq(seen, MSS_FAMILY_COUNT);
	}
	/* With address and control still in front it is not ours to parse. */
	frame[0] = 0xff;
	frame[1] = 0x03;
	len = 2 + ppp_frame(frame + 2, PPP_PROTOCOL_IPV4, false, p.bytes, p.len);
	ck_assert_int_eq(clamp_frame(frame, len, limit, NULL), MSS_PASS_NOT_IP);
}
END_TEST

START_TEST(ppp_short_frames)
{
	const struct mss_limit limit = { .ipv4 = 1452, .ipv6 = 1432 };
	uint8_t frame[2] = { 0x00, 0x21 };
	enum mss_family seen = MSS_FAMILY_COUNT;

	ck_assert_int_eq(clamp_frame(frame, 0, limit, &seen), MSS_PASS_NOT_IP);
	ck_assert_int_eq(clamp_frame(frame, 1, limit, &seen), MSS_PASS_NOT_IP);
	ck_assert_int_eq(seen, MSS_FAMILY_COUNT);
	/* The protocol alone: IP with no header at all. */
	ck_assert_int_eq(clamp_frame(frame, 2, limit, &seen), MSS_PASS_MALFORMED);
	ck_assert_int_eq(seen, MSS_FAMILY_IPV4);
	frame[0] = 0x57;
	ck_assert_int_eq(clamp_frame(frame, 1, limit, &seen), MSS_PASS_MALFORMED);
	ck_assert_int_eq(seen, MSS_FAMILY_IPV6);
}
END_TEST

START_TEST(ppp_disabled_per_family)
{
	uint8_t frame[PACKET_MAX + 2];
	struct packet v4, v6;
	size_t len4, len6;

	ipv4_syn(&v4, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	ipv6_syn(&v6, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));

	for (int which = 0; which < 2; which++) {
		struct mss_limit limit = { .ipv4 = which ? 1452 : 0, .ipv6 = which ? 0 : 1432 };
		enum mss_family seen = MSS_FAMILY_COUNT;

		len4 = ppp_frame(frame, PPP_PROTOCOL_IPV4, true, v4.bytes, v4.len);
		ck_assert_int_eq(clamp_frame(frame, len4, limit, &seen),
				 which ? MSS_CLAMPED : MSS_PASS_DISABLED);
		ck_assert_int_eq(seen, MSS_FAMILY_IPV4);
		len6 = ppp_frame(frame, PPP_PROTOCOL_IPV6, false, v6.bytes, v6.len);
		ck_assert_int_eq(clamp_frame(frame, len6, limit, &seen),
				 which ? MSS_PASS_DISABLED : MSS_CLAMPED);
		ck_assert_int_eq(seen, MSS_FAMILY_IPV6);
	}
}
END_TEST

START_TEST(ppp_trailing_padding_ignored)
{
	const struct mss_limit limit = { .ipv4 = 1452, .ipv6 = 1432 };
	uint8_t frame[PACKET_MAX + 2];
	struct packet p, expected;

	for (int family = 0; family < MSS_FAMILY_COUNT; family++) {
		uint16_t mss_limit = family == MSS_FAMILY_IPV4 ? limit.ipv4 : limit.ipv6;
		size_t len;

		/* Ethernet pads a short PPPoE frame; the pad is not part of the IP packet. */
		build_syn(&p, family, NULL, 0);
		expected_clamp(&p, mss_limit, &expected);
		len = ppp_frame(frame, ppp_protocol(family), true, p.bytes, p.len);
		memset(frame + len, 0xa5, 18);
		ck_assert_int_eq(clamp_frame(frame, len + 18, limit, NULL), MSS_PASS_NO_MSS);

		build_syn(&p, family, linux_syn_options, sizeof(linux_syn_options));
		expected_clamp(&p, mss_limit, &expected);
		len = ppp_frame(frame, ppp_protocol(family), true, p.bytes, p.len);
		memset(frame + len, 0, 18);
		ck_assert_int_eq(clamp_frame(frame, len + 18, limit, NULL), MSS_CLAMPED);
		ck_assert_mem_eq(frame + 1, expected.bytes, p.len);
		for (size_t i = 0; i < 18; i++)
			ck_assert_uint_eq(frame[len + i], 0);

		/*
		 * Options reaching into the padding: the buffer holds them but
		 * the IP length does not, so they are not there.
		 */
		build_syn(&p, family, linux_syn_options, sizeof(linux_syn_options));
		if (family == MSS_FAMILY_IPV4)
			put_be16(p.bytes + 2, (uint16_t)(p.len - 8));
		else
			put_be16(p.bytes + 4, (uint16_t)(p.len - 8 - IPV6_HEADER));
		len = ppp_frame(frame, ppp_protocol(family), true, p.bytes, p.len);
		ck_assert_int_eq(clamp_frame(frame, len, limit, NULL), MSS_PASS_MALFORMED);
	}
}
END_TEST

/* ---- limits and names ---- */

START_TEST(limit_for_mtu)
{
	static const struct {
		unsigned mtu;
		uint16_t ipv4, ipv6;
	} cases[] = {
		{ 1492, 1452, 1432 }, { 1500, 1460, 1440 }, { 1480, 1440, 1420 },
		{ 1280, 1240, 1220 }, { 9000, 8960, 8940 }, { 576, 536, 516 },
		{ 0, MSS_FLOOR, MSS_FLOOR }, { 1, MSS_FLOOR, MSS_FLOOR }, { 40, MSS_FLOOR, MSS_FLOOR },
		{ 60, MSS_FLOOR, MSS_FLOOR }, { 127, MSS_FLOOR, MSS_FLOOR },
		{ 128, MSS_FLOOR, MSS_FLOOR }, { 129, 89, MSS_FLOOR }, { 148, 108, MSS_FLOOR },
		{ 149, 109, 89 }, { 65535, 65495, 65475 }, { 65536, 65495, 65475 },
		{ 70000, 65495, 65475 }, { 0xffffffffu, 65495, 65475 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mss_limit limit = clamp_limit_for_mtu(cases[i].mtu);

		ck_assert_uint_eq(limit.ipv4, cases[i].ipv4);
		ck_assert_uint_eq(limit.ipv6, cases[i].ipv6);
	}
}
END_TEST

START_TEST(result_names)
{
	for (int i = 0; i < MSS_RESULT_COUNT; i++) {
		const char *name = clamp_result_name(i);

		ck_assert_ptr_nonnull(name);
		ck_assert_uint_gt(strlen(name), 0);
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(name, clamp_result_name(j));
	}
	ck_assert_ptr_nonnull(clamp_result_name(MSS_RESULT_COUNT));
	ck_assert_ptr_nonnull(clamp_result_name((enum clamp_result)-1));
}
END_TEST

static TCase *clamp_ppp_tcase(void)
{
	TCase *tc = tcase_create("ppp");

	tcase_add_test(tc, ppp_both_protocol_forms);
	tcase_add_test(tc, ppp_not_ip);
	tcase_add_test(tc, ppp_short_frames);
	tcase_add_test(tc, ppp_disabled_per_family);
	tcase_add_test(tc, ppp_trailing_padding_ignored);
	return tc;
}

static TCase *clamp_limits_tcase(void)
{
	TCase *tc = tcase_create("limits");

	tcase_add_test(tc, limit_for_mtu);
	tcase_add_test(tc, result_names);
	return tc;
}

static Suite *clamp_suite(void)
{
	Suite *suite = suite_create("clamp");

	suite_add_tcase(suite, clamp_ipv4_tcase());
	suite_add_tcase(suite, clamp_tcp_options_tcase());
	suite_add_tcase(suite, clamp_ipv6_tcase());
	suite_add_tcase(suite, clamp_ipsec_tcase());
	suite_add_tcase(suite, clamp_ppp_tcase());
	suite_add_tcase(suite, clamp_robustness_tcase());
	suite_add_tcase(suite, clamp_checksum_tcase());
	suite_add_tcase(suite, clamp_limits_tcase());
	return suite;
}

int main(void)
{
	return check_main_run(clamp_suite());
}
