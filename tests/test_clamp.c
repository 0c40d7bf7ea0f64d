/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/clamp.c.  Packets are built here and their TCP checksums
 * computed from scratch, pseudo-header included, by code independent of the
 * clamp's incremental update; the clamp runs on exact-size heap copies so
 * that AddressSanitizer catches any read past what was "received".
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byte_order.h"
#include "check_main.h"
#include "checksum.h"
#include "clamp.h"

#define PACKET_MAX 512
#define IPV4_HEADER 20
#define IPV6_HEADER 40
#define TCP_HEADER 20

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define NEXT_TCP 6
#define NEXT_UDP 17
#define NEXT_HOP_BY_HOP 0
#define NEXT_ROUTING 43
#define NEXT_FRAGMENT 44
#define NEXT_ESP 50
#define NEXT_AH 51
#define NEXT_NONE 59
#define NEXT_DESTINATION 60

struct packet {
	enum mss_family family;
	uint8_t bytes[PACKET_MAX];
	size_t len;  /* the IP packet: what its length field says */
	size_t tcp;  /* offset of the TCP header */
};

static const uint8_t ipv4_source[4] = { 192, 0, 2, 1 };
static const uint8_t ipv4_destination[4] = { 198, 51, 100, 7 };
static const uint8_t ipv6_source[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					 0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t ipv6_destination[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xee, 0, 0,
					      0x12, 0x34, 0, 0, 0xab, 0xcd, 0, 0x77 };

/* What a Linux SYN carries: MSS, SACK permitted, timestamps, NOP, window scale. */
static const uint8_t linux_syn_options[20] = {
	2, 4, 0x05, 0xb4,
	4, 2, 8, 10, 0x00, 0x1e, 0x84, 0x80, 0x00, 0x00, 0x00, 0x00,
	1, 3, 3, 7,
};

/* ---- an independent checksum (checksum.h): RFC 1071, byte by byte ---- */

/* One's complement sum of pseudo-header and segment, with or without the checksum field. */
static uint16_t tcp_sum(const struct packet *p, bool with_checksum)
{
	const uint8_t *b = p->bytes;
	const uint8_t *tcp = b + p->tcp;
	size_t tcp_len = p->len - p->tcp;
	uint32_t sum = 0;

	if (p->family == MSS_FAMILY_IPV4) {
		sum = sum_bytes(sum, b + 12, 8);
	} else {
		sum = sum_bytes(sum, b + 8, 32);
		sum += (uint32_t)(tcp_len >> 16);
	}
	sum += NEXT_TCP + (uint32_t)(tcp_len & 0xffff);
	sum = sum_bytes(sum, tcp, 16);
	if (with_checksum)
		sum = sum_bytes(sum, tcp + 16, 2);
	sum = sum_bytes(sum, tcp + 18, tcp_len - 18);
	return fold(sum);
}

static uint16_t tcp_checksum_compute(const struct packet *p)
{
	return (uint16_t)~tcp_sum(p, false);
}

static bool tcp_checksum_ok(const struct packet *p)
{
	return tcp_sum(p, true) == 0xffff;
}

static void tcp_seal(struct packet *p)
{
	put_be16(p->bytes + p->tcp + 16, tcp_checksum_compute(p));
}

static uint16_t tcp_checksum(const struct packet *p)
{
	return get_be16(p->bytes + p->tcp + 16);
}

/* ---- building packets ---- */

static void put_tcp(struct packet *p, uint8_t flags, const uint8_t *options, size_t options_len,
		    size_t data_len)
{
	uint8_t *tcp = p->bytes + p->tcp;
	size_t header = TCP_HEADER + options_len;

	ck_assert(options_len % 4 == 0 && options_len <= 40);
	ck_assert(p->tcp + header + data_len <= PACKET_MAX);
	put_be16(tcp, 49152);
	put_be16(tcp + 2, 443);
	put_be16(tcp + 4, 0x1234);
	put_be16(tcp + 6, 0x5678);
	if (flags & TCP_ACK) {
		put_be16(tcp + 8, 0x9abc);
		put_be16(tcp + 10, 0xdef0);
	}
	tcp[12] = (uint8_t)(header / 4 << 4);
	tcp[13] = flags;
	put_be16(tcp + 14, 64240);
	if (options_len)
		memcpy(tcp + TCP_HEADER, options, options_len);
	for (size_t i = 0; i < data_len; i++)
		tcp[header + i] = (uint8_t)(i * 7 + 3);
	p->len = p->tcp + header + data_len;
}

static void build_ipv4(struct packet *p, size_t ip_options_len, uint8_t flags,
		       const uint8_t *options, size_t options_len, size_t data_len)
{
	uint8_t *ip = p->bytes;

	ck_assert(ip_options_len % 4 == 0 && ip_options_len <= 40);
	memset(p, 0, sizeof(*p));
	p->family = MSS_FAMILY_IPV4;
	p->tcp = IPV4_HEADER + ip_options_len;
	put_tcp(p, flags, options, options_len, data_len);
	ip[0] = (uint8_t)(0x40 | p->tcp / 4);
	put_be16(ip + 2, (uint16_t)p->len);
	put_be16(ip + 4, 0x1c46);
	ip[6] = 0x40;  /* DF, as every Linux SYN */
	ip[8] = 64;
	ip[9] = NEXT_TCP;
	memcpy(ip + 12, ipv4_source, 4);
	memcpy(ip + 16, ipv4_destination, 4);
	/* IP options: NOPs then End of List. */
	memset(ip + IPV4_HEADER, 1, ip_options_len);
	if (ip_options_len)
		ip[p->tcp - 1] = 0;
	put_be16(ip + 10, (uint16_t)~fold(sum_bytes(0, ip, p->tcp)));
	tcp_seal(p);
}

/* ext: extension headers already chained, the last naming TCP; first: the fixed header's next. */
static void build_ipv6(struct packet *p, const uint8_t *ext, size_t ext_len, uint8_t first,
		       uint8_t flags, const uint8_t *options, size_t options_len, size_t data_len)
{
	uint8_t *ip = p->bytes;

	memset(p, 0, sizeof(*p));
	p->family = MSS_FAMILY_IPV6;
	p->tcp = IPV6_HEADER + ext_len;
	ck_assert(p->tcp < PACKET_MAX);
	put_tcp(p, flags, options, options_len, data_len);
	ip[0] = 0x60;
	ip[1] = 0x0a;
	ip[3] = 0x42;
	put_be16(ip + 4, (uint16_t)(p->len - IPV6_HEADER));
	ip[6] = ext_len ? first : NEXT_TCP;
	ip[7] = 64;
	memcpy(ip + 8, ipv6_source, 16);
	memcpy(ip + 24, ipv6_destination, 16);
	if (ext_len)
		memcpy(ip + IPV6_HEADER, ext, ext_len);
	tcp_seal(p);
}

static void ipv4_syn(struct packet *p, uint8_t flags, const uint8_t *options, size_t options_len)
{
	build_ipv4(p, 0, flags, options, options_len, 0);
}

static void ipv6_syn(struct packet *p, uint8_t flags, const uint8_t *options, size_t options_len)
{
	build_ipv6(p, NULL, 0, NEXT_TCP, flags, options, options_len, 0);
}

/* Options holding one MSS option of the given value after nops NOPs, padded with EOL. */
static size_t mss_after_nops(uint8_t *options, unsigned nops, uint16_t mss)
{
	size_t len = 0;

	memset(options, 0, 8);
	while (len < nops)
		options[len++] = 1;
	options[len] = 2;
	options[len + 1] = 4;
	put_be16(options + len + 2, mss);
	return (len + 4 + 3) / 4 * 4;
}

/*
 * The MSS values of a well-formed packet, found by a walk of the test's own
 * that stops at the first option it cannot make sense of.  Returns their
 * offsets in p->bytes.
 */
static size_t mss_options(const struct packet *p, size_t *at, size_t max)
{
	const uint8_t *tcp = p->bytes + p->tcp;
	size_t end = (size_t)(tcp[12] >> 4) * 4;
	size_t i = TCP_HEADER, count = 0;

	while (i < end && tcp[i] != 0) {
		if (tcp[i] == 1) {
			i++;
			continue;
		}
		if (end - i < 2 || tcp[i + 1] < 2)
			break;
		if (tcp[i] == 2 && count < max)
			at[count++] = p->tcp + i + 2;
		i += tcp[i + 1];
	}
	return count;
}

static uint16_t mss_of(const struct packet *p)
{
	size_t at;

	ck_assert_uint_eq(mss_options(p, &at, 1), 1);
	return get_be16(p->bytes + at);
}

/* ---- running the clamp ---- */

static void *exact_copy(const uint8_t *data, size_t len)
{
	/* malloc(0) still gives a distinct block that ASan treats as 0 bytes long. */
	uint8_t *copy = malloc(len);

	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy, data, len);
	return copy;
}

/* Clamp a bare packet of len bytes in place, through an exact-size copy. */
static enum clamp_result clamp_bytes(enum mss_family family, uint8_t *bytes, size_t len,
				     uint16_t limit)
{
	uint8_t *copy = exact_copy(bytes, len);
	enum clamp_result result;

	if (family == MSS_FAMILY_IPV4)
		result = clamp_ipv4(copy, len, limit);
	else
		result = clamp_ipv6(copy, len, limit);
	ck_assert_int_lt(result, MSS_RESULT_COUNT);
	if (result != MSS_CLAMPED && len)
		ck_assert_mem_eq(copy, bytes, len);
	if (len)
		memcpy(bytes, copy, len);
	free(copy);
	return result;
}

static enum clamp_result clamp_frame(uint8_t *frame, size_t len, struct mss_limit limit,
				     enum mss_family *family)
{
	uint8_t *copy = exact_copy(frame, len);
	enum clamp_result result;

	result = clamp_ppp(copy, len, &limit, family);
	ck_assert_int_lt(result, MSS_RESULT_COUNT);
	if (result != MSS_CLAMPED && len)
		ck_assert_mem_eq(copy, frame, len);
	if (len)
		memcpy(frame, copy, len);
	free(copy);
	return result;
}

/* Returns the PPP frame length. */
static size_t ppp_frame(uint8_t *frame, uint16_t protocol, bool compressed, const uint8_t *data,
			size_t len)
{
	size_t header = 0;

	if (!compressed)
		frame[header++] = (uint8_t)(protocol >> 8);
	frame[header++] = (uint8_t)protocol;
	memcpy(frame + header, data, len);
	return header + len;
}

static uint16_t ppp_protocol(enum mss_family family)
{
	return family == MSS_FAMILY_IPV4 ? PPP_PROTOCOL_IPV4 : PPP_PROTOCOL_IPV6;
}

/* p after a correct clamp to limit: every MSS above it lowered, checksum recomputed. */
static void expected_clamp(const struct packet *p, uint16_t limit, struct packet *expected)
{
	size_t at[10], count;

	*expected = *p;
	if (p->len < p->tcp + TCP_HEADER)
		return;
	count = mss_options(p, at, 10);
	for (size_t i = 0; i < count; i++)
		if (get_be16(p->bytes + at[i]) > limit)
			put_be16(expected->bytes + at[i], limit);
	tcp_seal(expected);
}

/*
 * Clamp p and check the outcome against want; a clamped packet must match a
 * from-scratch rebuild byte for byte, checksum included.
 */
static void check_clamp(struct packet *p, uint16_t limit, enum clamp_result want)
{
	struct packet expected;
	enum clamp_result result;

	expected_clamp(p, limit, &expected);
	result = clamp_bytes(p->family, p->bytes, p->len, limit);
	ck_assert_str_eq(clamp_result_name(result), clamp_result_name(want));
	if (result == MSS_CLAMPED) {
		ck_assert_mem_eq(p->bytes, expected.bytes, p->len);
		ck_assert(tcp_checksum_ok(p));
	}
}

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

/* ---- TCP options, through both families ---- */

static void build_syn(struct packet *p, enum mss_family family, const uint8_t *options,
		      size_t options_len)
{
	if (family == MSS_FAMILY_IPV4)
		ipv4_syn(p, TCP_SYN, options, options_len);
	else
		ipv6_syn(p, TCP_SYN, options, options_len);
}

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

/* Hop-by-Hop (PadN), Destination Options (16 bytes), Routing (24 bytes, nothing left to visit). */
static const uint8_t ipv6_chain[48] = {
	NEXT_DESTINATION, 0, 1, 4, 0, 0, 0, 0,
	NEXT_ROUTING, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	NEXT_TCP, 2, 0, 0, 0, 0, 0, 0,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99,
};

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

/* ---- never past the buffer, never a stray write ---- */

static void truncate_everywhere(const struct packet *p, uint16_t limit)
{
	const struct mss_limit limits = { .ipv4 = limit, .ipv6 = limit };
	uint8_t frame[PACKET_MAX + 2];

	for (size_t cut = 0; cut <= p->len; cut++) {
		struct packet copy = *p;

		ck_assert_int_eq(clamp_bytes(p->family, copy.bytes, cut, limit),
				 cut == p->len ? MSS_CLAMPED : MSS_PASS_MALFORMED);
	}
	for (int compressed = 0; compressed < 2; compressed++) {
		size_t header = compressed ? 1 : 2;
		size_t len = ppp_frame(frame, ppp_protocol(p->family), compressed, p->bytes, p->len);

		for (size_t cut = 0; cut <= len; cut++) {
			uint8_t copy[PACKET_MAX + 2];
			enum clamp_result want;

			memcpy(copy, frame, len);
			if (cut < header)
				want = MSS_PASS_NOT_IP;
			else if (cut < len)
				want = MSS_PASS_MALFORMED;
			else
				want = MSS_CLAMPED;
			ck_assert_int_eq(clamp_frame(copy, cut, limits, NULL), want);
		}
	}
}

START_TEST(truncated_every_length)
{
	struct packet p;

	build_ipv4(&p, 8, TCP_SYN, linux_syn_options, sizeof(linux_syn_options), 10);
	truncate_everywhere(&p, 1400);
	build_ipv6(&p, ipv6_chain, sizeof(ipv6_chain), NEXT_HOP_BY_HOP, TCP_SYN | TCP_ACK,
		   linux_syn_options, sizeof(linux_syn_options), 10);
	truncate_everywhere(&p, 1400);
}
END_TEST

/*
 * Cut the packet and make its IP length agree, so that the cut lands in the
 * extension headers, TCP header or options with every length field consistent
 * with the buffer except the innermost one.
 */
static void shrink_everywhere(const struct packet *original, uint16_t limit)
{
	size_t header = original->family == MSS_FAMILY_IPV4 ? (size_t)(original->bytes[0] & 15) * 4
							      : IPV6_HEADER;
	size_t options_end = original->tcp + (size_t)(original->bytes[original->tcp + 12] >> 4) * 4;

	for (size_t cut = header; cut <= original->len; cut++) {
		struct packet p = *original;
		enum clamp_result want;

		p.len = cut;
		if (p.family == MSS_FAMILY_IPV4)
			put_be16(p.bytes + 2, (uint16_t)cut);
		else
			put_be16(p.bytes + 4, (uint16_t)(cut - IPV6_HEADER));
		if (cut >= original->tcp + TCP_HEADER)
			tcp_seal(&p);
		want = cut >= options_end ? MSS_CLAMPED : MSS_PASS_MALFORMED;
		check_clamp(&p, limit, want);
	}
}

START_TEST(shrunk_every_length)
{
	struct packet p;

	build_ipv4(&p, 4, TCP_SYN, linux_syn_options, sizeof(linux_syn_options), 7);
	shrink_everywhere(&p, 1400);
	build_ipv6(&p, ipv6_chain, sizeof(ipv6_chain), NEXT_HOP_BY_HOP, TCP_SYN,
		   linux_syn_options, sizeof(linux_syn_options), 7);
	shrink_everywhere(&p, 1400);
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

static uint32_t random_below(uint32_t n)
{
	return random_next() % n;
}

static uint16_t random_mss(void)
{
	switch (random_below(4)) {
	case 0:
		return (uint16_t)random_next();
	case 1:
		return (uint16_t)(1380 + random_below(100));
	default:
		return (uint16_t)(random_below(9000));
	}
}

/* A well-formed option area of 0-40 bytes: every known option shape, some unknown ones. */
static size_t random_options(uint8_t *options)
{
	size_t room = 4 * random_below(11), len = 0;

	while (len < room) {
		size_t left = room - len;

		switch (random_below(9)) {
		case 0:
			options[len++] = 1;
			break;
		case 1:
		case 2:
			if (left < 4)
				break;
			options[len] = 2;
			options[len + 1] = 4;
			put_be16(options + len + 2, random_mss());
			len += 4;
			break;
		case 3:
			if (left < 3)
				break;
			options[len] = 3;
			options[len + 1] = 3;
			options[len + 2] = (uint8_t)random_below(15);
			len += 3;
			break;
		case 4:
			if (left < 2)
				break;
			options[len] = 4;
			options[len + 1] = 2;
			len += 2;
			break;
		case 5:
			if (left < 10)
				break;
			options[len] = 8;
			options[len + 1] = 10;
			for (size_t i = 2; i < 10; i++)
				options[len + i] = (uint8_t)random_next();
			len += 10;
			break;
		case 6: {
			/* SACK blocks, or any unknown kind: a length to skip by. */
			uint8_t kind = (uint8_t)(3 + random_below(253));
			size_t option_len;

			if (left < 2)
				break;
			option_len = 2 + random_below((uint32_t)left - 1);
			if (kind == 3 || kind == 4 || kind == 8)
				kind = 5;
			options[len] = kind;
			options[len + 1] = (uint8_t)option_len;
			for (size_t i = 2; i < option_len; i++)
				options[len + i] = (uint8_t)random_next();
			len += option_len;
			break;
		}
		case 7:
			if (random_below(4))
				break;
			/* End of List: what follows is never looked at. */
			options[len++] = 0;
			while (len < room)
				options[len++] = (uint8_t)random_next();
			break;
		default:
			break;
		}
	}
	return room;
}

static const uint8_t random_flags[] = {
	TCP_SYN, TCP_SYN, TCP_SYN | TCP_ACK, TCP_SYN | TCP_ACK, TCP_ACK, TCP_ACK | TCP_PSH,
	TCP_FIN | TCP_ACK, TCP_RST, TCP_SYN | 0xc0, TCP_SYN | TCP_FIN,
};

static void random_packet(struct packet *p)
{
	uint8_t options[40];
	size_t options_len = random_options(options);
	uint8_t flags = random_flags[random_below(sizeof(random_flags))];
	size_t data_len = random_below(3) ? 0 : random_below(64);

	if (random_below(2)) {
		build_ipv4(p, 4 * random_below(3), flags, options, options_len, data_len);
	} else {
		size_t ext_len = 8 * random_below(7);

		build_ipv6(p, ipv6_chain, ext_len, NEXT_HOP_BY_HOP, flags, options, options_len,
			   data_len);
		/* End the chain early at a random header boundary. */
		if (ext_len == 8 || ext_len == 24 || ext_len == 48) {
			if (ext_len == 8)
				p->bytes[IPV6_HEADER] = NEXT_TCP;
			else if (ext_len == 24)
				p->bytes[IPV6_HEADER + 8] = NEXT_TCP;
			tcp_seal(p);
		} else {
			build_ipv6(p, NULL, 0, NEXT_TCP, flags, options, options_len, data_len);
		}
	}
	/* Random ports and sequence numbers: random checksums. */
	for (size_t i = 0; i < 8; i++)
		p->bytes[p->tcp + i] = (uint8_t)random_next();
	tcp_seal(p);
}

START_TEST(random_syns)
{
	uint8_t frame[PACKET_MAX + 2 + 16], expected_frame[PACKET_MAX + 2 + 16];
	unsigned clamped = 0, within = 0;

	random_state = 0x2545f491;
	for (unsigned round = 0; round < 20000; round++) {
		struct packet p, expected;
		size_t at[10], count, header, len, padding = random_below(4) ? 0 : random_below(17);
		uint16_t limit = random_below(8) ? (uint16_t)(88 + random_below(1500))
						 : (uint16_t)random_next();
		struct mss_limit limits;
		enum clamp_result want, result;
		bool syn, above = false;
		int framing = (int)random_below(3);

		random_packet(&p);
		ck_assert(tcp_checksum_ok(&p));
		syn = p.bytes[p.tcp + 13] & TCP_SYN;
		count = mss_options(&p, at, 10);
		for (size_t i = 0; i < count; i++)
			above |= get_be16(p.bytes + at[i]) > limit;
		if (!syn)
			want = MSS_PASS_NOT_SYN;
		else if (limit == 0)
			want = MSS_PASS_DISABLED;
		else if (count == 0)
			want = MSS_PASS_NO_MSS;
		else
			want = above ? MSS_CLAMPED : MSS_PASS_WITHIN_LIMIT;
		expected_clamp(&p, limit, &expected);
		if (want != MSS_CLAMPED)
			expected = p;

		/* Bare, or in a PPP frame with either protocol form and some padding. */
		header = framing == 0 ? 0 : framing == 1 ? 1 : 2;
		if (header) {
			len = ppp_frame(frame, ppp_protocol(p.family), header == 1, p.bytes, p.len);
			ppp_frame(expected_frame, ppp_protocol(p.family), header == 1,
				  expected.bytes, p.len);
		} else {
			memcpy(frame, p.bytes, p.len);
			memcpy(expected_frame, expected.bytes, p.len);
			len = p.len;
		}
		for (size_t i = 0; i < padding; i++)
			frame[len + i] = expected_frame[len + i] = (uint8_t)random_next();
		len += padding;

		if (header) {
			limits.ipv4 = p.family == MSS_FAMILY_IPV4 ? limit : (uint16_t)random_next();
			limits.ipv6 = p.family == MSS_FAMILY_IPV6 ? limit : (uint16_t)random_next();
			result = clamp_frame(frame, len, limits, NULL);
		} else {
			result = clamp_bytes(p.family, frame, len, limit);
		}
		ck_assert_int_eq(result, want);
		ck_assert_mem_eq(frame, expected_frame, len);
		if (result == MSS_CLAMPED) {
			clamped++;
			memcpy(p.bytes, frame + header, p.len);
			ck_assert(tcp_checksum_ok(&p));
			for (size_t i = 0; i < count; i++) {
				ck_assert_uint_le(get_be16(p.bytes + at[i]), limit);
				ck_assert_uint_le(get_be16(p.bytes + at[i]),
						  get_be16(expected.bytes + at[i]));
			}
		} else if (result == MSS_PASS_WITHIN_LIMIT) {
			within++;
		}
	}
	/* The generator must actually reach both interesting outcomes. */
	ck_assert_uint_gt(clamped, 2000);
	ck_assert_uint_gt(within, 500);
}
END_TEST

START_TEST(random_mutations)
{
	/* Flip bytes anywhere in valid SYNs: never a crash, never a write unless clamped. */
	const struct mss_limit limits = { .ipv4 = 1400, .ipv6 = 1380 };
	uint8_t frame[PACKET_MAX + 2];

	random_state = 0x9e3779b9;
	for (unsigned round = 0; round < 20000; round++) {
		struct packet p;
		size_t len, flips = 1 + random_below(4);

		random_packet(&p);
		len = ppp_frame(frame, ppp_protocol(p.family), random_below(2), p.bytes, p.len);
		for (size_t i = 0; i < flips; i++)
			frame[random_below((uint32_t)len)] ^= (uint8_t)(1 + random_below(255));
		len -= random_below(4) ? 0 : random_below((uint32_t)len + 1);
		clamp_frame(frame, len, limits, NULL);
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
	random_state = 0x6a09e667;
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

static Suite *clamp_suite(void)
{
	Suite *suite = suite_create("clamp");
	TCase *tc;

	tc = tcase_create("ipv4");
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
	suite_add_tcase(suite, tc);

	tc = tcase_create("tcp_options");
	tcase_add_test(tc, options_bogus_lengths);
	tcase_add_test(tc, options_end_of_list);
	tcase_add_test(tc, options_every_mss_clamped);
	tcase_add_test(tc, options_ten_mss);
	tcase_add_test(tc, options_data_offset);
	suite_add_tcase(suite, tc);

	tc = tcase_create("ipv6");
	tcase_add_test(tc, ipv6_syn_clamped);
	tcase_add_test(tc, ipv6_mss_every_alignment);
	tcase_add_test(tc, ipv6_within_limit_and_others);
	tcase_add_test(tc, ipv6_extension_headers);
	tcase_add_test(tc, ipv6_extension_header_limit);
	tcase_add_test(tc, ipv6_fragment);
	tcase_add_test(tc, ipv6_not_tcp);
	tcase_add_test(tc, ipv6_bad_header);
	suite_add_tcase(suite, tc);

	tc = tcase_create("ipsec");
	tcase_add_loop_test(tc, ipsec_ah_untouched, 0, MSS_FAMILY_COUNT);
	tcase_add_loop_test(tc, ipsec_esp_untouched, 0, MSS_FAMILY_COUNT);
	suite_add_tcase(suite, tc);

	tc = tcase_create("ppp");
	tcase_add_test(tc, ppp_both_protocol_forms);
	tcase_add_test(tc, ppp_not_ip);
	tcase_add_test(tc, ppp_short_frames);
	tcase_add_test(tc, ppp_disabled_per_family);
	tcase_add_test(tc, ppp_trailing_padding_ignored);
	suite_add_tcase(suite, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, truncated_every_length);
	tcase_add_test(tc, shrunk_every_length);
	tcase_add_test(tc, random_syns);
	tcase_add_test(tc, random_mutations);
	suite_add_tcase(suite, tc);

	tc = tcase_create("checksum");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, checksum_every_value);
	tcase_add_test(tc, checksum_negative_zero);
	tcase_add_test(tc, checksum_random);
	tcase_add_test(tc, checksum_stays_wrong);
	suite_add_tcase(suite, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, limit_for_mtu);
	tcase_add_test(tc, result_names);
	suite_add_tcase(suite, tc);

	return suite;
}

int main(void)
{
	return check_main_run(clamp_suite());
}
