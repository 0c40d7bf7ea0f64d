/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP/IP packets (host_relay.h): built for the relay to carry, and what it
 * delivered checked from scratch -- the checksum, the MSS option -- with
 * code that shares nothing with the program's clamp.
 */
#include <string.h>

#include "byte_order.h"
#include "checksum.h"
#include "host_relay.h"

#define IPV6_HEADER_LEN 40
#define TCP_HEADER_LEN 20
#define TCP_CHECKSUM_AT 16

static const uint8_t host_ipv4[4] = { 100, 64, 0, 2 };          /* our PPP address */
static const uint8_t server_ipv4[4] = { 198, 51, 100, 7 };      /* TEST-NET-2 */
static const uint8_t host_ipv6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t server_ipv6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7 };

/*
 * Where the TCP header starts and how long the segment is.  The packets in
 * this test never carry IPv4 options' worth of surprises or IPv6 extension
 * headers, but the bounds are checked all the same.
 */
static bool tcp_locate(const uint8_t *ip, size_t len, size_t *tcp_at, size_t *tcp_len)
{
	if (len < 1)
		return false;
	if (ip[0] >> 4 == 4) {
		size_t header = (size_t)(ip[0] & 0x0f) * 4;
		size_t total = len >= IPV4_HEADER_LEN ? get_be16(ip + 2) : 0;
		if (len < IPV4_HEADER_LEN || header < IPV4_HEADER_LEN || total > len || total < header ||
		    ip[9] != 6)
			return false;
		*tcp_at = header;
		*tcp_len = total - header;
	} else if (ip[0] >> 4 == 6) {
		if (len < IPV6_HEADER_LEN || ip[6] != 6 || get_be16(ip + 4) > len - IPV6_HEADER_LEN)
			return false;
		*tcp_at = IPV6_HEADER_LEN;
		*tcp_len = get_be16(ip + 4);
	} else {
		return false;
	}
	return *tcp_len >= TCP_HEADER_LEN && (size_t)(ip[*tcp_at + 12] >> 4) * 4 <= *tcp_len;
}

/* The TCP pseudo-header: RFC 793 section 3.1 for IPv4, RFC 8200 section 8.1 for IPv6. */
static uint32_t pseudo_header_sum(const uint8_t *ip, size_t tcp_len)
{
	uint8_t length_and_protocol[8] = { 0 };

	put_be32(length_and_protocol, (uint32_t)tcp_len);
	length_and_protocol[7] = 6;
	if (ip[0] >> 4 == 4)
		return sum_bytes(sum_bytes(0, ip + 12, 8), length_and_protocol, 8);
	return sum_bytes(sum_bytes(0, ip + 8, 32), length_and_protocol, 8);
}

/* Recomputed over the whole segment: valid when everything sums to 0xffff. */
static bool tcp_checksum_valid(const uint8_t *ip, size_t len)
{
	size_t tcp_at, tcp_len;

	if (!tcp_locate(ip, len, &tcp_at, &tcp_len))
		return false;
	return fold(sum_bytes(pseudo_header_sum(ip, tcp_len), ip + tcp_at, tcp_len)) == 0xffff;
}

/* Offset in the packet of the first MSS option's 16-bit value; 0 when there is none. */
static size_t tcp_mss_offset(const uint8_t *ip, size_t len)
{
	size_t tcp_at, tcp_len, at, end;

	if (!tcp_locate(ip, len, &tcp_at, &tcp_len))
		return 0;
	at = tcp_at + TCP_HEADER_LEN;
	end = tcp_at + (size_t)(ip[tcp_at + 12] >> 4) * 4;
	while (at < end) {
		uint8_t kind = ip[at];
		if (kind == 0)
			break;
		if (kind == 1) {
			at++;
			continue;
		}
		if (end - at < 2 || ip[at + 1] < 2 || ip[at + 1] > end - at)
			break;
		if (kind == 2 && ip[at + 1] == 4)
			return at + 2;
		at += ip[at + 1];
	}
	return 0;
}

size_t tcp_segment_build(const struct tcp_segment *seg, uint8_t *out, size_t capacity)
{
	size_t ip_header = seg->ip_version == 4 ? IPV4_HEADER_LEN : IPV6_HEADER_LEN;
	size_t tcp_len = TCP_HEADER_LEN + seg->options_len + seg->payload_len;
	size_t total = ip_header + tcp_len;
	uint8_t *tcp = out + ip_header;
	const uint8_t *src, *dst;
	uint16_t src_port = seg->from_server ? 443 : 51234;
	uint16_t dst_port = seg->from_server ? 51234 : 443;

	if (total > capacity || seg->options_len % 4 != 0 || seg->options_len > 40)
		return 0;
	memset(out, 0, total);
	if (seg->ip_version == 4) {
		src = seg->from_server ? server_ipv4 : host_ipv4;
		dst = seg->from_server ? host_ipv4 : server_ipv4;
		out[0] = 0x45;
		put_be16(out + 2, (uint16_t)total);
		put_be16(out + 4, 0x1c46);          /* identification */
		put_be16(out + 6, 0x4000);          /* don't fragment, as Linux sends SYNs */
		out[8] = 64;
		out[9] = 6;
		memcpy(out + 12, src, 4);
		memcpy(out + 16, dst, 4);
		put_be16(out + 10, (uint16_t)~fold(sum_bytes(0, out, IPV4_HEADER_LEN)));
	} else {
		src = seg->from_server ? server_ipv6 : host_ipv6;
		dst = seg->from_server ? host_ipv6 : server_ipv6;
		out[0] = 0x60;
		put_be16(out + 4, (uint16_t)tcp_len);
		out[6] = 6;
		out[7] = 64;
		memcpy(out + 8, src, 16);
		memcpy(out + 24, dst, 16);
	}
	put_be16(tcp, src_port);
	put_be16(tcp + 2, dst_port);
	put_be32(tcp + 4, seg->seq);
	put_be32(tcp + 8, seg->ack);
	tcp[12] = (uint8_t)((TCP_HEADER_LEN + seg->options_len) / 4 << 4);
	tcp[13] = seg->flags;
	put_be16(tcp + 14, 64240);
	if (seg->options_len)
		memcpy(tcp + TCP_HEADER_LEN, seg->options, seg->options_len);
	if (seg->payload_len)
		memcpy(tcp + TCP_HEADER_LEN + seg->options_len, seg->payload, seg->payload_len);
	put_be16(tcp + TCP_CHECKSUM_AT, (uint16_t)~fold(sum_bytes(pseudo_header_sum(out, tcp_len), tcp, tcp_len)));
	return total;
}

/* Linux's SYN option layout: MSS, SACK-permitted, timestamps, NOP, window scale. */
static size_t linux_syn_options(uint8_t options[20], uint16_t mss)
{
	static const uint8_t layout[20] = {
		2, 4, 0, 0,                              /* MSS, value below */
		4, 2,                                    /* SACK permitted */
		8, 10, 0x3b, 0x9a, 0xca, 0x07, 0, 0, 0, 0, /* timestamps */
		1,                                       /* NOP */
		3, 3, 7,                                 /* window scale 7 */
	};

	memcpy(options, layout, sizeof(layout));
	put_be16(options + 2, mss);
	return sizeof(layout);
}

/* The same options led by a NOP, which puts the MSS value at an odd offset. */
size_t odd_offset_syn_options(uint8_t options[20], uint16_t mss)
{
	static const uint8_t layout[20] = {
		1,                                       /* NOP */
		2, 4, 0, 0,                              /* MSS, value below */
		8, 10, 0x3b, 0x9a, 0xca, 0x07, 0, 0, 0, 0, /* timestamps */
		1, 3, 3, 7,                              /* NOP, window scale */
		0,                                       /* end of list */
	};

	memcpy(options, layout, sizeof(layout));
	put_be16(options + 3, mss);
	return sizeof(layout);
}

/* A SYN (or SYN-ACK when from_server) with Linux's options. */
size_t syn_build(int ip_version, bool from_server, uint16_t mss, uint8_t *out, size_t capacity)
{
	uint8_t options[20];
	struct tcp_segment seg = {
		.ip_version = ip_version,
		.from_server = from_server,
		.flags = from_server ? TCP_FLAG_SYN | TCP_FLAG_ACK : TCP_FLAG_SYN,
		.seq = from_server ? 0x8d1e5a01u : 0x5eed0001u,
		.ack = from_server ? 0x5eed0002u : 0,
		.options = options,
		.options_len = linux_syn_options(options, mss),
	};
	return tcp_segment_build(&seg, out, capacity);
}

/*
 * A SYN that went through the relay: it must be as long as what was sent,
 * its TCP checksum must verify from scratch, its MSS must be expected_mss,
 * and no byte but the MSS value and the checksum may differ.  When nothing
 * needed lowering, not even those may change.
 */
bool syn_arrived_as_expected(const uint8_t *sent, size_t sent_len, const uint8_t *got,
			     size_t got_len, uint16_t expected_mss)
{
	size_t tcp_at, tcp_len;
	size_t mss_at = tcp_mss_offset(sent, sent_len);
	bool ok = true;

	if (got_len != sent_len) {
		diag("%zu bytes arrived, %zu were sent", got_len, sent_len);
		return false;
	}
	if (mss_at == 0 || !tcp_locate(sent, sent_len, &tcp_at, &tcp_len)) {
		diag("test bug: the SYN sent has no MSS option");
		return false;
	}
	if (tcp_mss_offset(got, got_len) != mss_at) {
		diag("the MSS option is not where it was");
		return false;
	}
	if (!tcp_checksum_valid(got, got_len)) {
		diag("TCP checksum 0x%04x does not verify", get_be16(got + tcp_at + TCP_CHECKSUM_AT));
		ok = false;
	}
	if (get_be16(got + mss_at) != expected_mss) {
		diag("MSS %u arrived, expected %u (sent %u)", get_be16(got + mss_at), expected_mss,
		     get_be16(sent + mss_at));
		ok = false;
	}
	for (size_t i = 0; i < got_len; i++) {
		bool may_change = expected_mss != get_be16(sent + mss_at) &&
				  ((i >= mss_at && i < mss_at + 2) ||
				   (i >= tcp_at + TCP_CHECKSUM_AT && i < tcp_at + TCP_CHECKSUM_AT + 2));
		if (got[i] != sent[i] && !may_change) {
			diag("byte %zu changed from 0x%02x to 0x%02x", i, sent[i], got[i]);
			ok = false;
			break;
		}
	}
	return ok;
}

/* A harmless IPv4 packet whose sequence number tells the instances apart. */
size_t marker_build(uint32_t marker, bool from_server, uint8_t *out, size_t capacity)
{
	struct tcp_segment seg = {
		.ip_version = 4, .from_server = from_server, .flags = TCP_FLAG_ACK,
		.seq = marker, .ack = 1,
	};
	return tcp_segment_build(&seg, out, capacity);
}

/* A data segment of payload_len bytes, numbered by its sequence number. */
size_t numbered_segment_build(uint32_t number, bool from_server, size_t payload_len,
			      uint8_t *out, size_t capacity)
{
	uint8_t payload[PACKET_MAX];
	struct tcp_segment seg = {
		.ip_version = 4, .from_server = from_server, .flags = TCP_FLAG_ACK | TCP_FLAG_PSH,
		.seq = number, .ack = 1, .payload = payload, .payload_len = payload_len,
	};

	if (payload_len > sizeof(payload))
		return 0;
	for (size_t i = 0; i < payload_len; i++)
		payload[i] = (uint8_t)(number + i);
	return tcp_segment_build(&seg, out, capacity);
}

