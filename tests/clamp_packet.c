/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Packets for the clamp tests, and the clamp run on them (clamp_packet.h). */
#include "clamp_packet.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "byte_order.h"
#include "checksum.h"

static const uint8_t ipv4_source[4] = { 192, 0, 2, 1 };
static const uint8_t ipv4_destination[4] = { 198, 51, 100, 7 };
static const uint8_t ipv6_source[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					 0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t ipv6_destination[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xee, 0, 0,
					      0x12, 0x34, 0, 0, 0xab, 0xcd, 0, 0x77 };

const uint8_t linux_syn_options[20] = {
	2, 4, 0x05, 0xb4,
	4, 2, 8, 10, 0x00, 0x1e, 0x84, 0x80, 0x00, 0x00, 0x00, 0x00,
	1, 3, 3, 7,
};

const uint8_t ipv6_chain[48] = {
	NEXT_DESTINATION, 0, 1, 4, 0, 0, 0, 0,
	NEXT_ROUTING, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	NEXT_TCP, 2, 0, 0, 0, 0, 0, 0,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99,
};

/* ---- an independent checksum ---- */

uint16_t tcp_sum(const struct packet *p, bool with_checksum)
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

uint16_t tcp_checksum_compute(const struct packet *p)
{
	return (uint16_t)~tcp_sum(p, false);
}

bool tcp_checksum_ok(const struct packet *p)
{
	return tcp_sum(p, true) == 0xffff;
}

void tcp_seal(struct packet *p)
{
	put_be16(p->bytes + p->tcp + 16, tcp_checksum_compute(p));
}

uint16_t tcp_checksum(const struct packet *p)
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

void build_ipv4(struct packet *p, size_t ip_options_len, uint8_t flags,
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

void build_ipv6(struct packet *p, const uint8_t *ext, size_t ext_len, uint8_t first,
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

void ipv4_syn(struct packet *p, uint8_t flags, const uint8_t *options, size_t options_len)
{
	build_ipv4(p, 0, flags, options, options_len, 0);
}

void ipv6_syn(struct packet *p, uint8_t flags, const uint8_t *options, size_t options_len)
{
	build_ipv6(p, NULL, 0, NEXT_TCP, flags, options, options_len, 0);
}

void build_syn(struct packet *p, enum mss_family family, const uint8_t *options,
	       size_t options_len)
{
	if (family == MSS_FAMILY_IPV4)
		ipv4_syn(p, TCP_SYN, options, options_len);
	else
		ipv6_syn(p, TCP_SYN, options, options_len);
}

size_t mss_after_nops(uint8_t *options, unsigned nops, uint16_t mss)
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

size_t mss_options(const struct packet *p, size_t *at, size_t max)
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

uint16_t mss_of(const struct packet *p)
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

enum clamp_result clamp_bytes(enum mss_family family, uint8_t *bytes, size_t len,
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

enum clamp_result clamp_frame(uint8_t *frame, size_t len, struct mss_limit limit,
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

size_t ppp_frame(uint8_t *frame, uint16_t protocol, bool compressed, const uint8_t *data,
		 size_t len)
{
	size_t header = 0;

	if (!compressed)
		frame[header++] = (uint8_t)(protocol >> 8);
	frame[header++] = (uint8_t)protocol;
	memcpy(frame + header, data, len);
	return header + len;
}

uint16_t ppp_protocol(enum mss_family family)
{
	return family == MSS_FAMILY_IPV4 ? PPP_PROTOCOL_IPV4 : PPP_PROTOCOL_IPV6;
}

void expected_clamp(const struct packet *p, uint16_t limit, struct packet *expected)
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

void check_clamp(struct packet *p, uint16_t limit, enum clamp_result want)
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

/* ---- a deterministic random source ---- */

static uint32_t random_state;

void random_seed(uint32_t seed)
{
	random_state = seed;
}

uint32_t random_next(void)
{
	/* xorshift32: deterministic, so any failure reproduces. */
	random_state ^= random_state << 13;
	random_state ^= random_state >> 17;
	random_state ^= random_state << 5;
	return random_state;
}

uint32_t random_below(uint32_t n)
{
	return random_next() % n;
}

