/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clamp on IP packets (tests/test_clamp): IPv4 and IPv6 headers, what
 * they say about fragments, other protocols and their own lengths, and the
 * IPsec headers behind which a SYN is never touched.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "byte_order.h"
#include "checksum.h"
#include "clamp.h"
#include "clamp_packet.h"
#include "test_clamp.h"

/* ---- IPv4 ---- */

START_TEST(ipv4_syn_clamped)
{
	struct packet p;

	ipv4_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	ck_assert(tcp_checksum_ok(&p));
	check_clamp(&p, 1452, MSS_CLAMPED);
	ck_assert_uint_eq(mss_of(&p), 1452);
}
END_TEST

START_TEST(ipv4_syn_ack_clamped)
{
	struct packet p;

	ipv4_syn(&p, TCP_SYN | TCP_ACK, linux_syn_options, sizeof(linux_syn_options));
	check_clamp(&p, 1452, MSS_CLAMPED);
	ck_assert_uint_eq(mss_of(&p), 1452);
}
END_TEST

START_TEST(ipv4_within_limit)
{
	static const uint16_t values[] = { 1400, 1452, 536, 88, 0 };
	uint8_t options[8];
	struct packet p;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		size_t len = mss_after_nops(options, 0, values[i]);

		ipv4_syn(&p, TCP_SYN, options, len);
		check_clamp(&p, 1452, MSS_PASS_WITHIN_LIMIT);
		ck_assert_uint_eq(mss_of(&p), values[i]);
	}
}
END_TEST

START_TEST(ipv4_no_mss)
{
	static const uint8_t options[8] = { 1, 3, 3, 7, 4, 2, 0, 0 };
	struct packet p;

	ipv4_syn(&p, TCP_SYN, options, sizeof(options));
	check_clamp(&p, 1452, MSS_PASS_NO_MSS);
	ipv4_syn(&p, TCP_SYN, NULL, 0);
	check_clamp(&p, 1452, MSS_PASS_NO_MSS);
}
END_TEST

START_TEST(ipv4_mss_after_other_options)
{
	/* NOP, window scale, SACK permitted, timestamps, then MSS at an odd offset. */
	static const uint8_t options[20] = {
		1, 3, 3, 7,
		4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
		2, 4, 0x05, 0xb4,
	};
	static const uint8_t odd[20] = {
		3, 3, 7, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
		2, 4, 0x05, 0xb4, 0,
	};
	struct packet p;

	ipv4_syn(&p, TCP_SYN, options, sizeof(options));
	check_clamp(&p, 1452, MSS_CLAMPED);
	ck_assert_uint_eq(mss_of(&p), 1452);
	ipv4_syn(&p, TCP_SYN, odd, sizeof(odd));
	check_clamp(&p, 1452, MSS_CLAMPED);
	ck_assert_uint_eq(mss_of(&p), 1452);
}
END_TEST

START_TEST(ipv4_mss_every_alignment)
{
	uint8_t options[8];
	struct packet p;

	for (unsigned nops = 0; nops < 4; nops++) {
		size_t len = mss_after_nops(options, nops, 1460);

		ipv4_syn(&p, TCP_SYN, options, len);
		check_clamp(&p, 1452, MSS_CLAMPED);
		ck_assert_uint_eq(mss_of(&p), 1452);
		ck_assert_uint_eq(tcp_checksum(&p), tcp_checksum_compute(&p));
	}
}
END_TEST

START_TEST(ipv4_with_options_and_data)
{
	struct packet p;

	/* IHL 6 and 8 and a TFO-style SYN with data after the header. */
	build_ipv4(&p, 4, TCP_SYN, linux_syn_options, sizeof(linux_syn_options), 0);
	check_clamp(&p, 1452, MSS_CLAMPED);
	build_ipv4(&p, 12, TCP_SYN, linux_syn_options, sizeof(linux_syn_options), 33);
	check_clamp(&p, 1452, MSS_CLAMPED);
	ck_assert_uint_eq(mss_of(&p), 1452);
}
END_TEST

START_TEST(ipv4_not_syn)
{
	static const uint8_t flags[] = { TCP_ACK, TCP_ACK | TCP_PSH, TCP_FIN | TCP_ACK, TCP_RST, 0 };
	struct packet p;

	for (size_t i = 0; i < sizeof(flags); i++) {
		/* An MSS option where it does not belong is still left alone. */
		build_ipv4(&p, 0, flags[i], linux_syn_options, sizeof(linux_syn_options), 100);
		check_clamp(&p, 1452, MSS_PASS_NOT_SYN);
	}
}
END_TEST

START_TEST(ipv4_fragments)
{
	struct packet p;

	ipv4_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	p.bytes[6] = 0x20;  /* MF, offset 0 */
	check_clamp(&p, 1452, MSS_PASS_FRAGMENT);
	p.bytes[6] = 0x00;
	p.bytes[7] = 0x01;  /* offset 8 bytes */
	check_clamp(&p, 1452, MSS_PASS_FRAGMENT);
	p.bytes[6] = 0x10;  /* offset 4096 * 8 */
	p.bytes[7] = 0x00;
	check_clamp(&p, 1452, MSS_PASS_FRAGMENT);
	p.bytes[6] = 0x60;  /* DF and MF */
	check_clamp(&p, 1452, MSS_PASS_FRAGMENT);
	/* DF alone, or the reserved bit, is not a fragment. */
	p.bytes[6] = 0x40;
	check_clamp(&p, 1452, MSS_CLAMPED);
	ipv4_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	p.bytes[6] = 0x80;
	check_clamp(&p, 1452, MSS_CLAMPED);

	/* A later fragment's byte 13 is payload, not TCP flags: never "not a SYN". */
	build_ipv4(&p, 0, TCP_ACK, NULL, 0, 40);
	p.bytes[6] = 0x00;
	p.bytes[7] = 0xb9;
	check_clamp(&p, 1452, MSS_PASS_FRAGMENT);
	p.bytes[6] = 0x20;
	p.bytes[7] = 0x00;
	check_clamp(&p, 1452, MSS_PASS_FRAGMENT);
}
END_TEST

START_TEST(ipv4_not_tcp)
{
	static const uint8_t protocols[] = { NEXT_UDP, 1, 0, 41, 47, 50, 255 };
	struct packet p;

	for (size_t i = 0; i < sizeof(protocols); i++) {
		ipv4_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
		p.bytes[9] = protocols[i];
		check_clamp(&p, 1452, MSS_PASS_NOT_TCP);
	}
}
END_TEST

START_TEST(ipv4_bad_header)
{
	struct packet p;

	ipv4_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	p.bytes[0] = 0x65;  /* version 6 in an IPv4 frame */
	check_clamp(&p, 1452, MSS_PASS_MALFORMED);
	p.bytes[0] = 0x44;  /* IHL 4 */
	check_clamp(&p, 1452, MSS_PASS_MALFORMED);
	p.bytes[0] = 0x40;
	check_clamp(&p, 1452, MSS_PASS_MALFORMED);
	p.bytes[0] = 0x4f;  /* IHL 15: 60 bytes, leaves 0 for TCP */
	check_clamp(&p, 1452, MSS_PASS_MALFORMED);
	p.bytes[0] = 0x45;
	put_be16(p.bytes + 2, (uint16_t)(p.len + 1));  /* longer than received */
	check_clamp(&p, 1452, MSS_PASS_MALFORMED);
	put_be16(p.bytes + 2, 19);  /* shorter than the header */
	check_clamp(&p, 1452, MSS_PASS_MALFORMED);
	put_be16(p.bytes + 2, 0);
	check_clamp(&p, 1452, MSS_PASS_MALFORMED);
	put_be16(p.bytes + 2, IPV4_HEADER + 19);  /* TCP header cut short */
	check_clamp(&p, 1452, MSS_PASS_MALFORMED);
	put_be16(p.bytes + 2, (uint16_t)p.len);
	check_clamp(&p, 1452, MSS_CLAMPED);
}
END_TEST

START_TEST(ipv4_disabled)
{
	struct packet p;

	ipv4_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	check_clamp(&p, 0, MSS_PASS_DISABLED);
	build_ipv4(&p, 4, TCP_SYN | TCP_ACK, linux_syn_options, sizeof(linux_syn_options), 0);
	check_clamp(&p, 0, MSS_PASS_DISABLED);
	/* Only a SYN says so: anything else is classified as usual, at the usual cost. */
	ipv4_syn(&p, TCP_ACK, linux_syn_options, sizeof(linux_syn_options));
	check_clamp(&p, 0, MSS_PASS_NOT_SYN);
	p.bytes[9] = NEXT_UDP;
	check_clamp(&p, 0, MSS_PASS_NOT_TCP);
}
END_TEST

/* ---- IPv6 ---- */

START_TEST(ipv6_syn_clamped)
{
	static const uint8_t options[4] = { 2, 4, 0x05, 0xa0 };  /* 1440 */
	struct packet p;

	ipv6_syn(&p, TCP_SYN, options, sizeof(options));
	ck_assert(tcp_checksum_ok(&p));
	check_clamp(&p, 1432, MSS_CLAMPED);
	ck_assert_uint_eq(mss_of(&p), 1432);
	ipv6_syn(&p, TCP_SYN | TCP_ACK, linux_syn_options, sizeof(linux_syn_options));
	check_clamp(&p, 1432, MSS_CLAMPED);
	ck_assert_uint_eq(mss_of(&p), 1432);
}
END_TEST

START_TEST(ipv6_mss_every_alignment)
{
	uint8_t options[8];
	struct packet p;

	for (unsigned nops = 0; nops < 4; nops++) {
		size_t len = mss_after_nops(options, nops, 1440);

		ipv6_syn(&p, TCP_SYN, options, len);
		check_clamp(&p, 1432, MSS_CLAMPED);
		ck_assert_uint_eq(mss_of(&p), 1432);
		ck_assert_uint_eq(tcp_checksum(&p), tcp_checksum_compute(&p));
	}
}
END_TEST

START_TEST(ipv6_within_limit_and_others)
{
	static const uint8_t options[4] = { 2, 4, 0x05, 0x78 };  /* 1400 */
	struct packet p;

	ipv6_syn(&p, TCP_SYN, options, sizeof(options));
	check_clamp(&p, 1432, MSS_PASS_WITHIN_LIMIT);
	ipv6_syn(&p, TCP_SYN, NULL, 0);
	check_clamp(&p, 1432, MSS_PASS_NO_MSS);
	ipv6_syn(&p, TCP_ACK, linux_syn_options, sizeof(linux_syn_options));
	check_clamp(&p, 1432, MSS_PASS_NOT_SYN);
	ipv6_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	check_clamp(&p, 0, MSS_PASS_DISABLED);
}
END_TEST

START_TEST(ipv6_extension_headers)
{
	struct packet p;

	build_ipv6(&p, ipv6_chain, sizeof(ipv6_chain), NEXT_HOP_BY_HOP, TCP_SYN,
		   linux_syn_options, sizeof(linux_syn_options), 0);
	check_clamp(&p, 1432, MSS_CLAMPED);
	ck_assert_uint_eq(mss_of(&p), 1432);
}
END_TEST

START_TEST(ipv6_extension_header_limit)
{
	uint8_t chain[9 * 8];
	struct packet p;

	memset(chain, 0, sizeof(chain));
	for (size_t count = 1; count <= 9; count++) {
		for (size_t i = 0; i < count; i++) {
			chain[8 * i] = i + 1 < count ? NEXT_DESTINATION : NEXT_TCP;
			chain[8 * i + 2] = 1;
			chain[8 * i + 3] = 4;
		}
		build_ipv6(&p, chain, 8 * count, NEXT_DESTINATION, TCP_SYN, linux_syn_options,
			   sizeof(linux_syn_options), 0);
		check_clamp(&p, 1432, count <= 8 ? MSS_CLAMPED : MSS_PASS_NOT_TCP);
	}
}
END_TEST

START_TEST(ipv6_fragment)
{
	static const uint8_t fragment[8] = { NEXT_TCP, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t after_hop_by_hop[16] = {
		NEXT_FRAGMENT, 0, 1, 4, 0, 0, 0, 0,
		NEXT_TCP, 0, 0, 0, 0, 0, 0, 1,
	};
	struct packet p;

	build_ipv6(&p, fragment, sizeof(fragment), NEXT_FRAGMENT, TCP_SYN, linux_syn_options,
		   sizeof(linux_syn_options), 0);
	check_clamp(&p, 1432, MSS_PASS_FRAGMENT);
	build_ipv6(&p, after_hop_by_hop, sizeof(after_hop_by_hop), NEXT_HOP_BY_HOP, TCP_SYN,
		   linux_syn_options, sizeof(linux_syn_options), 0);
	check_clamp(&p, 1432, MSS_PASS_FRAGMENT);
}
END_TEST

START_TEST(ipv6_not_tcp)
{
	static const uint8_t next[] = { NEXT_UDP, NEXT_ESP, NEXT_NONE, 58, 4, 41, 135, 255 };
	struct packet p;

	for (size_t i = 0; i < sizeof(next); i++) {
		ipv6_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
		p.bytes[6] = next[i];
		check_clamp(&p, 1432, MSS_PASS_NOT_TCP);
		/* The same behind a Hop-by-Hop header. */
		build_ipv6(&p, ipv6_chain, 8, NEXT_HOP_BY_HOP, TCP_SYN, linux_syn_options,
			   sizeof(linux_syn_options), 0);
		p.bytes[IPV6_HEADER] = next[i];
		check_clamp(&p, 1432, MSS_PASS_NOT_TCP);
	}
}
END_TEST

START_TEST(ipv6_bad_header)
{
	struct packet p;

	ipv6_syn(&p, TCP_SYN, linux_syn_options, sizeof(linux_syn_options));
	p.bytes[0] = 0x45;
	check_clamp(&p, 1432, MSS_PASS_MALFORMED);
	p.bytes[0] = 0x60;
	put_be16(p.bytes + 4, (uint16_t)(p.len - IPV6_HEADER + 1));
	check_clamp(&p, 1432, MSS_PASS_MALFORMED);
	put_be16(p.bytes + 4, 0);  /* a jumbogram, or nothing: either way no TCP header */
	check_clamp(&p, 1432, MSS_PASS_MALFORMED);
	put_be16(p.bytes + 4, 19);
	check_clamp(&p, 1432, MSS_PASS_MALFORMED);

	/* An extension header running past the payload. */
	build_ipv6(&p, ipv6_chain, sizeof(ipv6_chain), NEXT_HOP_BY_HOP, TCP_SYN, NULL, 0, 0);
	p.bytes[IPV6_HEADER + 8 + 1] = 9;
	check_clamp(&p, 1432, MSS_PASS_MALFORMED);
	/* An extension header of which only the next-header byte is there. */
	build_ipv6(&p, NULL, 0, NEXT_TCP, TCP_SYN, NULL, 0, 0);
	p.bytes[6] = NEXT_DESTINATION;
	put_be16(p.bytes + 4, 1);
	check_clamp(&p, 1432, MSS_PASS_MALFORMED);
}
END_TEST

/* ---- IPsec: what AH or ESP protects is never changed ---- */

/*
 * Put an IPsec header between the IP header(s) and the TCP header of p, whose
 * next-header (IPv6) or protocol (IPv4) field at next_at names TCP.  AH is
 * laid out as RFC 4302 section 2 has it (HMAC-SHA1-96: a 12-byte ICV, payload
 * length (24 / 4) - 2 = 4); ESP as with NULL encryption (RFC 2410), where the
 * segment stays in clear between the ESP header and its trailer.  Either way
 * the receiver checks the SYN against an ICV that a changed MSS would break.
 */
static void ipsec_wrap(struct packet *p, size_t next_at, uint8_t protocol)
{
	static const uint8_t ah[24] = {
		NEXT_TCP, 4, 0, 0, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1,
		0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac,
	};
	static const uint8_t esp[8] = { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1 };
	/* Padding 1 2, pad length 2, next header TCP, then the ICV. */
	static const uint8_t esp_trailer[16] = {
		1, 2, 2, NEXT_TCP,
		0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac,
	};
	const uint8_t *header = protocol == NEXT_AH ? ah : esp;
	size_t header_len = protocol == NEXT_AH ? sizeof(ah) : sizeof(esp);
	uint8_t *ip = p->bytes;

	ck_assert(protocol == NEXT_AH || protocol == NEXT_ESP);
	ck_assert_uint_eq(ip[next_at], NEXT_TCP);
	ck_assert(p->len + header_len + sizeof(esp_trailer) <= PACKET_MAX);
	memmove(ip + p->tcp + header_len, ip + p->tcp, p->len - p->tcp);
	memcpy(ip + p->tcp, header, header_len);
	ip[next_at] = protocol;
	p->tcp += header_len;
	p->len += header_len;
	if (protocol == NEXT_ESP) {
		memcpy(ip + p->len, esp_trailer, sizeof(esp_trailer));
		p->len += sizeof(esp_trailer);
	}
	if (p->family == MSS_FAMILY_IPV4) {
		size_t ihl = (size_t)(ip[0] & 0x0f) * 4;

		put_be16(ip + 2, (uint16_t)p->len);
		put_be16(ip + 10, 0);
		put_be16(ip + 10, (uint16_t)~fold(sum_bytes(0, ip, ihl)));
	} else {
		put_be16(ip + 4, (uint16_t)(p->len - IPV6_HEADER));
	}
}

/* A Linux SYN of the family with an IPsec header in front of its TCP header. */
static void ipsec_syn(struct packet *p, enum mss_family family, uint8_t flags, uint8_t protocol)
{
	if (family == MSS_FAMILY_IPV4)
		ipv4_syn(p, flags, linux_syn_options, sizeof(linux_syn_options));
	else
		ipv6_syn(p, flags, linux_syn_options, sizeof(linux_syn_options));
	ipsec_wrap(p, family == MSS_FAMILY_IPV4 ? 9 : 6, protocol);
}

/* The same packet, alone and as the PPP frame of its family, goes through untouched. */
static void check_ipsec_untouched(struct packet *p)
{
	const struct mss_limit limit = { .ipv4 = 1400, .ipv6 = 1380 };
	uint16_t family_limit = p->family == MSS_FAMILY_IPV4 ? limit.ipv4 : limit.ipv6;
	uint8_t frame[PACKET_MAX + 2];
	enum mss_family seen = MSS_FAMILY_COUNT;
	size_t len;

	/* An MSS above the limit: anything short of IPsec would be clamped. */
	ck_assert_uint_gt(mss_of(p), family_limit);
	check_clamp(p, family_limit, MSS_PASS_NOT_TCP);
	len = ppp_frame(frame, ppp_protocol(p->family), false, p->bytes, p->len);
	ck_assert_int_eq(clamp_frame(frame, len, limit, &seen), MSS_PASS_NOT_TCP);
	ck_assert_int_eq(seen, p->family);
}

/*
 * RFC 4302 section 3.3.3: AH's ICV covers the TCP header, MSS included, so a
 * clamped SYN fails the receiver's check and is dropped.  Run once per family
 * (_i): IPv4 and IPv6 alike.
 */
START_TEST(ipsec_ah_untouched)
{
	static const uint8_t flags[] = { TCP_SYN, TCP_SYN | TCP_ACK };
	/* Hop-by-Hop (PadN), AH to go in behind it. */
	static const uint8_t hop_by_hop[8] = { NEXT_TCP, 0, 1, 4, 0, 0, 0, 0 };
	enum mss_family family = (enum mss_family)_i;
	struct packet p;

	for (size_t i = 0; i < sizeof(flags); i++) {
		ipsec_syn(&p, family, flags[i], NEXT_AH);
		check_ipsec_untouched(&p);
	}

	/* Behind IPv4 options, or an IPv6 extension header. */
	if (family == MSS_FAMILY_IPV4) {
		build_ipv4(&p, 8, TCP_SYN, linux_syn_options, sizeof(linux_syn_options), 0);
		ipsec_wrap(&p, 9, NEXT_AH);
	} else {
		build_ipv6(&p, hop_by_hop, sizeof(hop_by_hop), NEXT_HOP_BY_HOP, TCP_SYN,
			   linux_syn_options, sizeof(linux_syn_options), 0);
		ipsec_wrap(&p, IPV6_HEADER, NEXT_AH);
	}
	check_ipsec_untouched(&p);

	/* AH is never walked, so its length does not matter: 0, or past the end. */
	ipsec_syn(&p, family, TCP_SYN, NEXT_AH);
	p.bytes[p.tcp - 24 + 1] = 0;
	check_ipsec_untouched(&p);
	p.bytes[p.tcp - 24 + 1] = 255;
	check_ipsec_untouched(&p);
}
END_TEST

/* Behind ESP the segment is encrypted, or with NULL encryption readable but as protected. */
START_TEST(ipsec_esp_untouched)
{
	struct packet p;

	ipsec_syn(&p, (enum mss_family)_i, TCP_SYN, NEXT_ESP);
	check_ipsec_untouched(&p);
}
END_TEST

TCase *clamp_ipv4_tcase(void)
{
	TCase *tc = tcase_create("ipv4");

	tcase_add_test(tc, ipv4_syn_clamped);
	tcase_add_test(tc, ipv4_syn_ack_clamped);
	tcase_add_test(tc, ipv4_within_limit);
	tcase_add_test(tc, ipv4_no_mss);
	tcase_add_test(tc, ipv4_mss_after_other_options);
	tcase_add_test(tc, ipv4_mss_every_alignment);
	tcase_add_test(tc, ipv4_with_options_and_data);
	tcase_add_test(tc, ipv4_not_syn);
	tcase_add_test(tc, ipv4_fragments);
	tcase_add_test(tc, ipv4_not_tcp);
	tcase_add_test(tc, ipv4_bad_header);
	tcase_add_test(tc, ipv4_disabled);
	return tc;
}

TCase *clamp_ipv6_tcase(void)
{
	TCase *tc = tcase_create("ipv6");

	tcase_add_test(tc, ipv6_syn_clamped);
	tcase_add_test(tc, ipv6_mss_every_alignment);
	tcase_add_test(tc, ipv6_within_limit_and_others);
	tcase_add_test(tc, ipv6_extension_headers);
	tcase_add_test(tc, ipv6_extension_header_limit);
	tcase_add_test(tc, ipv6_fragment);
	tcase_add_test(tc, ipv6_not_tcp);
	tcase_add_test(tc, ipv6_bad_header);
	return tc;
}

TCase *clamp_ipsec_tcase(void)
{
	TCase *tc = tcase_create("ipsec");

	tcase_add_loop_test(tc, ipsec_ah_untouched, 0, MSS_FAMILY_COUNT);
	tcase_add_loop_test(tc, ipsec_esp_untouched, 0, MSS_FAMILY_COUNT);
	return tc;
}
