/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Learning the MRU each side acknowledged from the LCP Configure-Acks that
 * pass through the relay (RFC 1661 sections 5.2 and 6.1).  Frames are only
 * read, and every read is bounded by the LCP length, itself checked against
 * what was received.
 */
#include "lcp_snoop.h"

#include "pppoe.h"

#define PPP_PROTOCOL_LEN 2
#define LCP_HEADER_LEN 4
#define LCP_CONFIGURE_ACK 2
#define LCP_OPTION_MRU 1
#define LCP_OPTION_MRU_LEN 4
/* RFC 2516: 1500 bytes of Ethernet payload less the PPPoE header and PPP protocol. */

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* max_payload 0 means "not known": assume a standard 1500-byte Ethernet. */
void lcp_snoop_init(struct lcp_snoop *snoop, uint16_t max_payload)
{
	*snoop = (struct lcp_snoop){
		.max_payload = max_payload ? max_payload : PPPOE_STANDARD_MTU,
		.our_mru = LCP_DEFAULT_MRU,
		.peer_mru = LCP_DEFAULT_MRU,
	};
}

/*
 * The MRU a Configure-Ack's options carry into *mru: LCP_DEFAULT_MRU when
 * there is none, the smallest when a non-conforming peer repeats it (the safe
 * side for clamping).  False when the options do not add up.
 */
static bool lcp_ack_mru(const uint8_t *options, size_t len, uint16_t *mru)
{
	bool found = false;
	size_t offset = 0;

	*mru = LCP_DEFAULT_MRU;
	while (offset < len) {
		uint8_t type, option_len;

		if (len - offset < 2)
			return false;
		type = options[offset];
		option_len = options[offset + 1];
		if (option_len < 2 || option_len > len - offset)
			return false;
		if (type == LCP_OPTION_MRU) {
			uint16_t value;

			if (option_len != LCP_OPTION_MRU_LEN)
				return false;
			value = get_be16(options + offset + 2);
			if (!found || value < *mru)
				*mru = value;
			found = true;
		}
		offset += option_len;
	}
	return true;
}

/*
 * Acks are not matched against the Configure-Request they answer (pppd drops
 * one whose identifier or options differ); a peer that sends such a bogus
 * Ack only moves the limits until the next real one.  The event is reported
 * only when a stored MRU actually changes.
 */
enum lcp_snoop_event lcp_snoop_frame(struct lcp_snoop *snoop, const uint8_t *ppp, size_t len,
				     enum ppp_direction dir)
{
	const uint8_t *lcp;
	size_t lcp_len;
	uint16_t *stored, mru;

	if (dir == PPP_INBOUND)
		stored = &snoop->our_mru;
	else if (dir == PPP_OUTBOUND)
		stored = &snoop->peer_mru;
	else
		return LCP_SNOOP_NONE;

	/* LCP is never sent with a compressed protocol field (RFC 1661 6.5). */
	if (len < PPP_PROTOCOL_LEN || get_be16(ppp) != PPP_PROTOCOL_LCP)
		return LCP_SNOOP_NONE;
	lcp = ppp + PPP_PROTOCOL_LEN;
	len -= PPP_PROTOCOL_LEN;
	if (len < LCP_HEADER_LEN)
		goto malformed;
	/* Bytes past the LCP length are link padding (RFC 1661 5). */
	lcp_len = get_be16(lcp + 2);
	if (lcp_len < LCP_HEADER_LEN || lcp_len > len)
		goto malformed;
	if (lcp[0] != LCP_CONFIGURE_ACK)
		return LCP_SNOOP_NONE;
	if (!lcp_ack_mru(lcp + LCP_HEADER_LEN, lcp_len - LCP_HEADER_LEN, &mru))
		goto malformed;

	snoop->acks_seen++;
	if (*stored == mru)
		return LCP_SNOOP_NONE;
	*stored = mru;
	return LCP_SNOOP_MRU_CHANGED;

malformed:
	snoop->malformed++;
	return LCP_SNOOP_NONE;
}

static uint16_t min_u16(uint16_t a, uint16_t b)
{
	return a < b ? a : b;
}

uint16_t lcp_snoop_mtu(const struct lcp_snoop *snoop)
{
	return min_u16(snoop->peer_mru, snoop->max_payload);
}

uint16_t lcp_snoop_mru(const struct lcp_snoop *snoop)
{
	return min_u16(snoop->our_mru, snoop->max_payload);
}
