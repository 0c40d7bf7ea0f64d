/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Learning the MRU each side acknowledged from the LCP Configure-Acks that
 * pass through the relay (RFC 1661 sections 5.1, 5.2 and 6.1).  Frames are
 * only read, and every read is bounded by the LCP length, itself checked
 * against what was received.
 */
#include "lcp_snoop.h"

#include <string.h>

#include "byte_order.h"
#include "pppoe.h"

#define LCP_HEADER_LEN 4
#define LCP_CONFIGURE_REQUEST 1
#define LCP_CONFIGURE_ACK 2
#define LCP_OPTION_MRU 1
#define LCP_OPTION_MRU_LEN 4

/* max_payload 0 means "not known": assume a standard 1500-byte Ethernet. */
void lcp_snoop_init(struct lcp_snoop *snoop, uint16_t max_payload)
{
	memset(snoop, 0, sizeof(*snoop));
	snoop->max_payload = max_payload ? max_payload : PPPOE_STANDARD_MTU;
	snoop->our_mru = LCP_DEFAULT_MRU;
	snoop->peer_mru = LCP_DEFAULT_MRU;
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
 * A Configure-Request replaces the one before it in its direction: the
 * Ack that answers it must carry its identifier and echo its options
 * (RFC 1661 5.2).  One too long to keep is not kept -- pppd could not
 * acknowledge it whole -- and no Ack matches until the next one: not even
 * one that echoes the Request before it.
 */
static void lcp_remember_request(struct lcp_snoop *snoop, enum ppp_direction dir, uint8_t id,
				 const uint8_t *options, size_t len)
{
	struct lcp_request *request = &snoop->request[dir];

	request->valid = false;
	if (len > sizeof(request->options))
		return;
	request->valid = true;
	request->id = id;
	request->options_len = (uint16_t)len;
	if (len > 0)
		memcpy(request->options, options, len);
}

/*
 * An Ack in direction dir answers the Request that went the other way, as
 * pppd checks it (fsm_rconfack, lcp_ackci): same identifier, the options
 * byte for byte, and only once.
 */
static bool lcp_ack_answers_request(struct lcp_snoop *snoop, enum ppp_direction dir, uint8_t id,
				    const uint8_t *options, size_t len)
{
	struct lcp_request *request =
		&snoop->request[dir == PPP_INBOUND ? PPP_OUTBOUND : PPP_INBOUND];

	if (!request->valid || request->id != id || request->options_len != len ||
	    (len > 0 && memcmp(request->options, options, len) != 0))
		return false;
	request->valid = false;
	return true;
}

/*
 * Only a Configure-Ack that answers a Request changes what we know.  Naks,
 * Rejects and Terminate packets change nothing here: after a Nak or a
 * Reject the next Request and its Ack settle the values, and we cannot
 * tell a forged Nak from a real one as pppd does (it checks its contents),
 * so taking one as an answer would let a stranger make us miss the real
 * Ack.  The event is reported only when a stored MRU actually changes.
 */
enum lcp_snoop_event lcp_snoop_frame(struct lcp_snoop *snoop, const uint8_t *ppp, size_t len,
				     enum ppp_direction dir)
{
	const uint8_t *lcp, *options;
	size_t lcp_len, options_len;
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
	options = lcp + LCP_HEADER_LEN;
	options_len = lcp_len - LCP_HEADER_LEN;

	if (lcp[0] == LCP_CONFIGURE_REQUEST) {
		lcp_remember_request(snoop, dir, lcp[1], options, options_len);
		return LCP_SNOOP_NONE;
	}
	if (lcp[0] != LCP_CONFIGURE_ACK)
		return LCP_SNOOP_NONE;
	if (!lcp_ack_mru(options, options_len, &mru))
		goto malformed;
	if (!lcp_ack_answers_request(snoop, dir, lcp[1], options, options_len)) {
		snoop->acks_unmatched++;
		return LCP_SNOOP_NONE;
	}

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
