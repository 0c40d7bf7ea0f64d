/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP MSS clamping of IPv4 and IPv6 SYNs inside PPP frames.  Each layer of a
 * SYN is bounded by the one before it: frame length, then IP length, then
 * TCP data offset, so padding the link added after the IP packet is never
 * taken for options.  The cheap rejections come first because every frame of
 * the relay passes through here and almost none of them is a SYN.
 */
#include "clamp.h"

#include <stdbool.h>

#include "byte_order.h"
#include "clamp_wire.h"

static inline uint16_t swap16(uint16_t value)
{
	return (uint16_t)(value << 8 | value >> 8);
}

/*
 * The SYN's option area: tcp[TCP_HEADER_MIN, header), header already checked
 * against what the IP length leaves for TCP.  Every MSS option above the
 * limit is lowered, not just the first: Linux and the BSDs let a later MSS
 * option override an earlier one, so stopping at the first would let a
 * crafted SYN through (pf clamps them all as well).  Values are lowered as
 * the walk goes, which keeps the common case to one pass; a malformed option
 * area is still left exactly as it came, because whatever was lowered before
 * the walk found the fault is put back.
 */
static enum clamp_result clamp_options(uint8_t *tcp, size_t header, uint16_t limit)
{
	/* 4 bytes each in at most 40: these cannot overflow. */
	uint8_t lowered_at[TCP_OPTIONS_MAX / TCP_OPTION_MSS_LEN];
	uint16_t lowered_from[TCP_OPTIONS_MAX / TCP_OPTION_MSS_LEN];
	size_t lowered = 0, offset = TCP_HEADER_MIN;
	bool seen = false;
	uint32_t sum = 0;

	/*
	 * End of List and NOP are the only options without a length byte: while
	 * two bytes are left, kind and length can both be read.  Every step
	 * advances by at least one byte and stays within header.
	 */
	while (offset + 1 < header) {
		uint8_t kind = tcp[offset];
		size_t option_len;
		uint16_t mss;

		if (kind <= TCP_OPTION_NOP) {
			if (kind == TCP_OPTION_EOL)
				break;
			offset++;
			continue;
		}
		option_len = tcp[offset + 1];
		if (option_len < 2 || offset + option_len > header)
			goto malformed;
		if (kind == TCP_OPTION_MSS) {
			if (option_len != TCP_OPTION_MSS_LEN)
				goto malformed;
			seen = true;
			mss = get_be16(tcp + offset + 2);
			if (mss > limit) {
				put_be16(tcp + offset + 2, limit);
				lowered_at[lowered] = (uint8_t)(offset + 2);
				lowered_from[lowered++] = mss;
				/*
				 * RFC 1624 eqn. 3 collects ~m + m' for each change.  At an
				 * odd offset the value straddles two checksum words, high
				 * byte last in one, low byte first in the next: in one's
				 * complement arithmetic that is the byte-swapped value.
				 */
				if (offset & 1)
					sum += (uint16_t)~swap16(mss) + (uint32_t)swap16(limit);
				else
					sum += (uint16_t)~mss + (uint32_t)limit;
			}
		}
		offset += option_len;
	}
	/* One byte left over can only be End of List or NOP. */
	if (offset + 1 == header && tcp[offset] > TCP_OPTION_NOP)
		goto malformed;
	if (lowered == 0)
		return seen ? MSS_PASS_WITHIN_LIMIT : MSS_PASS_NO_MSS;

	/*
	 * HC' = ~(~HC + ~m + m'): unlike RFC 1141's HC + m + ~m', eqn. 3 gives
	 * what a full recomputation gives, 0x0000 included.  Patching rather
	 * than recomputing also keeps a segment that arrived corrupt
	 * detectably corrupt.
	 */
	sum += (uint16_t)~get_be16(tcp + TCP_CHECKSUM);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	put_be16(tcp + TCP_CHECKSUM, (uint16_t)~sum);
	return MSS_CLAMPED;

malformed:
	while (lowered--)
		put_be16(tcp + lowered_at[lowered], lowered_from[lowered]);
	return MSS_PASS_MALFORMED;
}

/*
 * The part both families share: a TCP segment of len bytes, the rest of the
 * IP packet.  A limit of 0 is reported only for SYNs, so that every other
 * frame costs the same whether or not its family is clamped.
 */
static inline enum clamp_result clamp_tcp(uint8_t *tcp, size_t len, uint16_t limit)
{
	size_t header;

	if (len < TCP_HEADER_MIN)
		return MSS_PASS_MALFORMED;
	if (!(tcp[13] & TCP_FLAG_SYN))
		return MSS_PASS_NOT_SYN;
	if (limit == 0)
		return MSS_PASS_DISABLED;
	header = (size_t)(tcp[12] >> 4) * 4;
	if (header < TCP_HEADER_MIN || header > len)
		return MSS_PASS_MALFORMED;
	return clamp_options(tcp, header, limit);
}

/* MF or a fragment offset: only the reassembling host sees the whole segment. */
static inline bool ipv4_is_fragment(const uint8_t *packet)
{
	return (packet[6] & 0x3f) || packet[7];
}

/*
 * The shape of nearly every frame the relay carries: TCP without SYN right
 * behind a fixed-size IP header (IPv4 without options, not a fragment).
 * Every byte read lies within the 40 or 60 bytes just checked; such a frame
 * is never written, so its lengths need no further checking.
 */
static inline bool ipv4_plain_non_syn(const uint8_t *packet, size_t len)
{
	return len >= IPV4_HEADER_MIN + TCP_HEADER_MIN && packet[0] == 0x45 &&
	       !(packet[IPV4_HEADER_MIN + 13] & TCP_FLAG_SYN) && packet[9] == IP_PROTOCOL_TCP &&
	       !ipv4_is_fragment(packet);
}

static inline bool ipv6_plain_non_syn(const uint8_t *packet, size_t len)
{
	return len >= IPV6_HEADER_LEN + TCP_HEADER_MIN && packet[0] >> 4 == 6 &&
	       !(packet[IPV6_HEADER_LEN + 13] & TCP_FLAG_SYN) && packet[6] == IP_PROTOCOL_TCP;
}

static enum clamp_result ipv4_clamp(uint8_t *packet, size_t len, uint16_t limit)
{
	size_t header, total;

	if (len < IPV4_HEADER_MIN)
		return MSS_PASS_MALFORMED;
	/* Version 4 with a header length (IHL) of at least 5 words. */
	if (packet[0] < 0x45 || packet[0] > 0x4f)
		return MSS_PASS_MALFORMED;
	header = (size_t)(packet[0] & 0x0f) * 4;
	total = get_be16(packet + 2);
	if (total > len || total < header)
		return MSS_PASS_MALFORMED;
	if (ipv4_is_fragment(packet))
		return MSS_PASS_FRAGMENT;
	if (packet[9] != IP_PROTOCOL_TCP)
		return MSS_PASS_NOT_TCP;
	return clamp_tcp(packet + header, total - header, limit);
}

/*
 * RFC 8200 extension headers up to TCP.  Jumbograms (payload length 0) cannot
 * cross a PPPoE link and come out as malformed.  The walk stops at IPsec:
 * behind ESP the segment may be encrypted, and behind AH (RFC 4302 section
 * 3.3.3) the ICV covers the whole TCP header, so a changed MSS would make
 * the receiver drop the SYN.  Both come out as not TCP, as they do in IPv4,
 * where the protocol field names AH or ESP rather than TCP.
 */
static enum clamp_result ipv6_clamp(uint8_t *packet, size_t len, uint16_t limit)
{
	size_t end, offset = IPV6_HEADER_LEN;
	uint8_t next;
	int walked;

	if (len < IPV6_HEADER_LEN || packet[0] >> 4 != 6)
		return MSS_PASS_MALFORMED;
	end = IPV6_HEADER_LEN + (size_t)get_be16(packet + 4);
	if (end > len)
		return MSS_PASS_MALFORMED;
	next = packet[6];

	for (walked = 0; next != IP_PROTOCOL_TCP; walked++) {
		size_t ext_len;

		switch (next) {
		case IPV6_HOP_BY_HOP:
		case IPV6_ROUTING:
		case IPV6_DESTINATION:
			break;
		case IPV6_FRAGMENT:
			return MSS_PASS_FRAGMENT;
		default:
			/* AH, ESP, No Next Header, UDP, ICMPv6, ... */
			return MSS_PASS_NOT_TCP;
		}
		if (walked == IPV6_EXTENSION_HEADERS_MAX)
			return MSS_PASS_NOT_TCP;
		if (end - offset < 2)
			return MSS_PASS_MALFORMED;
		ext_len = ((size_t)packet[offset + 1] + 1) * 8;
		if (ext_len > end - offset)
			return MSS_PASS_MALFORMED;
		next = packet[offset];
		offset += ext_len;
	}
	return clamp_tcp(packet + offset, end - offset, limit);
}

enum clamp_result clamp_ipv4(uint8_t *packet, size_t len, uint16_t limit)
{
	if (ipv4_plain_non_syn(packet, len))
		return MSS_PASS_NOT_SYN;
	return ipv4_clamp(packet, len, limit);
}

enum clamp_result clamp_ipv6(uint8_t *packet, size_t len, uint16_t limit)
{
	if (ipv6_plain_non_syn(packet, len))
		return MSS_PASS_NOT_SYN;
	return ipv6_clamp(packet, len, limit);
}

/*
 * Results for short frames: a frame too short to hold a protocol field is
 * not IP; once the protocol field says IPv4 or IPv6, anything that does not
 * add up below it (truncated or inconsistent IP header, truncated TCP
 * header) is malformed.
 */
enum clamp_result clamp_ppp(uint8_t *ppp, size_t len, const struct mss_limit *limit,
			    enum mss_family *family)
{
	uint8_t *packet, protocol;
	size_t header;

	/*
	 * RFC 1661: the last byte of a protocol field is odd and any before it
	 * even, so a field starting with an odd byte was compressed (PFC) to
	 * that byte; IPv4 and IPv6 both start with 0x00 when not compressed.
	 * An even single byte matches neither 0x21 nor 0x57 below.
	 */
	if (len >= 2 && ppp[0] == 0x00) {
		protocol = ppp[1];
		header = 2;
	} else if (len >= 1) {
		protocol = ppp[0];
		header = 1;
	} else {
		return MSS_PASS_NOT_IP;
	}

	packet = ppp + header;
	len -= header;
	switch (protocol) {
	case PPP_PROTOCOL_IPV4:
		if (family)
			*family = MSS_FAMILY_IPV4;
		if (ipv4_plain_non_syn(packet, len))
			return MSS_PASS_NOT_SYN;
		return ipv4_clamp(packet, len, limit->ipv4);
	case PPP_PROTOCOL_IPV6:
		if (family)
			*family = MSS_FAMILY_IPV6;
		if (ipv6_plain_non_syn(packet, len))
			return MSS_PASS_NOT_SYN;
		return ipv6_clamp(packet, len, limit->ipv6);
	default:
		return MSS_PASS_NOT_IP;
	}
}

static uint16_t clamp_mss_for_mtu(unsigned mtu, unsigned overhead)
{
	/* An IP packet cannot be larger, whatever the link claims. */
	if (mtu > 65535)
		mtu = 65535;
	if (mtu < MSS_FLOOR + overhead)
		return MSS_FLOOR;
	return (uint16_t)(mtu - overhead);
}

struct mss_limit clamp_limit_for_mtu(unsigned mtu)
{
	struct mss_limit limit = {
		.ipv4 = clamp_mss_for_mtu(mtu, MSS_IPV4_OVERHEAD),
		.ipv6 = clamp_mss_for_mtu(mtu, MSS_IPV6_OVERHEAD),
	};

	return limit;
}

const char *clamp_result_name(enum clamp_result result)
{
	static const char *const names[MSS_RESULT_COUNT] = {
		[MSS_PASS_NOT_IP] = "not IP",
		[MSS_PASS_NOT_TCP] = "not TCP",
		[MSS_PASS_NOT_SYN] = "not a SYN",
		[MSS_PASS_FRAGMENT] = "IP fragment",
		[MSS_PASS_NO_MSS] = "SYN without MSS",
		[MSS_PASS_WITHIN_LIMIT] = "MSS within limit",
		[MSS_PASS_DISABLED] = "clamping disabled",
		[MSS_PASS_MALFORMED] = "malformed",
		[MSS_CLAMPED] = "clamped",
	};

	if ((unsigned)result >= MSS_RESULT_COUNT)
		return "unknown";
	return names[result];
}
