/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PPP frame <-> PPPoE session frame, with the clamp and the LCP snoop in between. */
#include "relay.h"

#include <string.h>

static void relay_update_limits(struct relay *relay, unsigned mtu, unsigned mru)
{
	struct clamp_limits limits = clamp_policy_limits(&relay->config.policy, mtu, mru);

	relay->mtu = mtu;
	relay->mru = mru;
	if (memcmp(&limits, &relay->limits, sizeof(limits)) != 0) {
		relay->limits = limits;
		relay->limits_generation++;
	}
}

void relay_init(struct relay *relay, const struct relay_config *config)
{
	memset(relay, 0, sizeof(*relay));
	relay->config = *config;
	lcp_snoop_init(&relay->lcp, config->link_mtu);
	relay_update_limits(relay, lcp_snoop_mtu(&relay->lcp), lcp_snoop_mru(&relay->lcp));
	relay->limits_generation = 1;
}

static unsigned cap_to_link_mtu(const struct relay *relay, unsigned value)
{
	return value > relay->config.link_mtu ? relay->config.link_mtu : value;
}

void relay_use_negotiated_mtu_mru(struct relay *relay, unsigned mtu, unsigned mru)
{
	relay->mtu_mru_from_pppd = true;
	relay_update_limits(relay, cap_to_link_mtu(relay, mtu), cap_to_link_mtu(relay, mru));
}

static void relay_watch_lcp(struct relay *relay, const uint8_t *ppp, size_t len,
			    enum ppp_direction dir)
{
	if (lcp_snoop_frame(&relay->lcp, ppp, len, dir) == LCP_SNOOP_MRU_CHANGED &&
	    !relay->mtu_mru_from_pppd)
		relay_update_limits(relay, lcp_snoop_mtu(&relay->lcp), lcp_snoop_mru(&relay->lcp));
}

static void relay_clamp(struct relay *relay, uint8_t *ppp, size_t len, enum ppp_direction dir,
			const struct mss_limit *limit)
{
	enum mss_family family;
	enum clamp_result result = clamp_ppp(ppp, len, limit, &family);

	if (result == MSS_CLAMPED)
		relay->counters.clamped[dir][family]++;
	else if (result == MSS_PASS_MALFORMED)
		relay->counters.malformed_ip[dir]++;
}

static size_t relay_drop(struct relay *relay, enum relay_drop_reason reason)
{
	relay->counters.dropped[reason]++;
	return 0;
}

size_t relay_outbound(struct relay *relay, uint8_t *ppp, size_t len, uint8_t **eth_frame)
{
	/* RFC 2516 section 7: PPPoE carries no address/control field. */
	if (len >= PPP_ADDRESS_CONTROL_LEN && ppp[0] == PPP_ADDRESS_ALL_STATIONS && ppp[1] == PPP_CONTROL_UI) {
		ppp += PPP_ADDRESS_CONTROL_LEN;
		len -= PPP_ADDRESS_CONTROL_LEN;
	}
	if (len == 0)
		return relay_drop(relay, RELAY_DROP_EMPTY);
	/* The MTU counts the information field, not the protocol field in front
	 * of it (1 byte when compressed, RFC 1661 section 6.5). */
	size_t protocol_len = (ppp[0] & 1) ? 1 : 2;
	if (len < protocol_len)
		return relay_drop(relay, RELAY_DROP_EMPTY);
	if (len - protocol_len > relay->config.link_mtu)
		return relay_drop(relay, RELAY_DROP_TOO_BIG);

	relay_watch_lcp(relay, ppp, len, PPP_OUTBOUND);
	relay_clamp(relay, ppp, len, PPP_OUTBOUND, &relay->limits.outbound);

	uint8_t *header = ppp - PPPOE_FRAME_HEADER_LEN;
	pppoe_session_header_write(header, relay->config.ac_mac, relay->config.our_mac,
				   relay->config.ethertypes.session, relay->config.session_id,
				   (uint16_t)len);
	relay->counters.frames[PPP_OUTBOUND]++;
	relay->counters.bytes[PPP_OUTBOUND] += len;
	*eth_frame = header;
	return len + PPPOE_FRAME_HEADER_LEN;
}

size_t relay_inbound(struct relay *relay, uint8_t *frame, size_t len, uint8_t **ppp)
{
	struct pppoe_frame parsed;
	const struct relay_config *config = &relay->config;

	if (pppoe_frame_parse(frame, len, &config->ethertypes, &parsed) != PPPOE_PARSE_OK ||
	    parsed.ethertype != config->ethertypes.session || parsed.code != PPPOE_CODE_SESSION)
		return relay_drop(relay, RELAY_DROP_NOT_SESSION);
	if (memcmp(parsed.dest, config->our_mac, PPPOE_MAC_LEN) != 0)
		return relay_drop(relay, RELAY_DROP_NOT_TO_US);
	if (parsed.session_id != config->session_id)
		return relay_drop(relay, RELAY_DROP_WRONG_SESSION);
	/* Anyone on the segment can forge our session id: only the AC's frames count. */
	if (memcmp(parsed.source, config->ac_mac, PPPOE_MAC_LEN) != 0)
		return relay_drop(relay, RELAY_DROP_WRONG_AC);
	if (parsed.payload_len == 0)
		return relay_drop(relay, RELAY_DROP_EMPTY);
	/*
	 * As outbound, the link bounds the information field: more than it
	 * carries is more than any MRU we offered (RFC 4638: 1492 unless both
	 * sides asked for more), which pppd would only discard after the copy.
	 */
	size_t protocol_len = (parsed.payload[0] & 1) ? 1 : 2;
	if (parsed.payload_len > relay->config.link_mtu + protocol_len)
		return relay_drop(relay, RELAY_DROP_TOO_BIG);

	/* The payload sits at a fixed offset inside frame, which we own. */
	uint8_t *payload = frame + PPPOE_FRAME_HEADER_LEN;
	size_t payload_len = parsed.payload_len;

	relay_watch_lcp(relay, payload, payload_len, PPP_INBOUND);
	relay_clamp(relay, payload, payload_len, PPP_INBOUND, &relay->limits.inbound);

	/* pppd accepts address/control on every frame (RFC 1662 section 3.2), and
	 * the PPPoE length field in front is ours to overwrite. */
	payload[-2] = PPP_ADDRESS_ALL_STATIONS;
	payload[-1] = PPP_CONTROL_UI;
	relay->counters.frames[PPP_INBOUND]++;
	relay->counters.bytes[PPP_INBOUND] += payload_len;
	*ppp = payload - PPP_ADDRESS_CONTROL_LEN;
	return payload_len + PPP_ADDRESS_CONTROL_LEN;
}

size_t relay_inbound_max(const struct relay *relay)
{
	return PPP_ADDRESS_CONTROL_LEN + 2 + relay->config.link_mtu;
}

const char *relay_drop_reason_name(enum relay_drop_reason reason)
{
	switch (reason) {
	case RELAY_DROP_NOT_SESSION:
		return "not a valid session frame";
	case RELAY_DROP_NOT_TO_US:
		return "not addressed to us";
	case RELAY_DROP_WRONG_AC:
		return "our session id from a MAC that is not our AC";
	case RELAY_DROP_WRONG_SESSION:
		return "another session id";
	case RELAY_DROP_EMPTY:
		return "no PPP protocol field";
	case RELAY_DROP_TOO_BIG:
		return "larger than the link carries";
	case RELAY_DROP_PPPD_BUSY:
		return "pppd was not reading";
	case RELAY_DROP_SOCKET_FULL:
		return "pppd was not reading and the session socket's queue was full";
	case RELAY_DROP_COUNT:
		break;
	}
	return "unknown";
}
