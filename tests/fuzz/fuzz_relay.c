/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target for src/relay.c: PPP frames from pppd and Ethernet frames from
 * the segment, in any order, through relay_outbound() and relay_inbound().
 *   - a dropped frame is counted once and left as it came;
 *   - a relayed outbound frame parses back as a session frame from us to our
 *     AC with our session id, carrying the PPP frame (address/control
 *     removed) no larger than the link MTU, clamped exactly as
 *     clamp_ppp() clamps it with the relay's limits;
 *   - a relayed inbound frame was a session frame from our AC to us for our
 *     session, and comes out as ff 03 + its PPP payload, clamped the same way;
 *   - the clamp limits always follow the policy from the current MTU/MRU.
 *
 * Input: our MAC (6), AC MAC (6), session id (2), link MTU (2), policy per
 * family (mode 1 + value 2, twice), then steps: kind (1: outbound, inbound,
 * pppd's MTU/MRU) and a record (2-byte length and bytes) or two 16-bit values.
 */
#include "fuzz_input.h"

#include "relay.h"

#define STEPS_MAX 128

static uint64_t drops(const struct relay *relay)
{
	uint64_t total = 0;

	for (int i = 0; i < RELAY_DROP_COUNT; i++)
		total += relay->counters.dropped[i];
	return total;
}

static uint16_t expected_limit(const struct mss_setting *setting, uint16_t automatic)
{
	if (setting->mode == MSS_MODE_OFF)
		return 0;
	if (setting->mode == MSS_MODE_FIXED)
		return setting->value;
	return automatic;
}

static void check_limits(const struct relay *relay)
{
	const struct clamp_policy *policy = &relay->config.policy;
	struct mss_limit from_mru = clamp_limit_for_mtu(relay->mru);
	struct mss_limit from_mtu = clamp_limit_for_mtu(relay->mtu);

	FUZZ_CHECK(relay->mtu <= relay->config.link_mtu || relay->config.link_mtu == 0);
	FUZZ_CHECK(relay->limits.outbound.ipv4 == expected_limit(&policy->ipv4, from_mru.ipv4));
	FUZZ_CHECK(relay->limits.outbound.ipv6 == expected_limit(&policy->ipv6, from_mru.ipv6));
	FUZZ_CHECK(relay->limits.inbound.ipv4 == expected_limit(&policy->ipv4, from_mtu.ipv4));
	FUZZ_CHECK(relay->limits.inbound.ipv6 == expected_limit(&policy->ipv6, from_mtu.ipv6));
	if (policy->ipv4.mode == MSS_MODE_AUTO)
		FUZZ_CHECK(relay->limits.inbound.ipv4 >= MSS_FLOOR &&
			   relay->limits.outbound.ipv4 >= MSS_FLOOR);
}

/* The PPP frame as the relay should pass it on: clamped like the clamp alone does. */
static uint8_t *expected_ppp(const uint8_t *ppp, size_t len, const struct mss_limit *limit)
{
	uint8_t *copy = fuzz_copy(ppp, len, 0);

	clamp_ppp(copy, len, limit, NULL);
	return copy;
}

static void outbound(struct relay *relay, const uint8_t *bytes, size_t len)
{
	uint8_t *buf = fuzz_copy(bytes, len, RELAY_HEADROOM), *eth = NULL, *want;
	uint64_t dropped = drops(relay), frames = relay->counters.frames[PPP_OUTBOUND];
	size_t strip = len >= 2 && bytes[0] == 0xff && bytes[1] == 0x03 ? 2 : 0;
	size_t out = relay_outbound(relay, buf + RELAY_HEADROOM, len, &eth);
	const uint8_t *ppp = bytes + strip;
	size_t ppp_len = len - strip;
	struct pppoe_frame parsed;

	if (out == 0) {
		FUZZ_CHECK(drops(relay) == dropped + 1);
		FUZZ_CHECK(relay->counters.frames[PPP_OUTBOUND] == frames);
		FUZZ_CHECK(relay->counters.dropped[RELAY_DROP_EMPTY] +
				   relay->counters.dropped[RELAY_DROP_TOO_BIG] > 0);
		FUZZ_CHECK(len == 0 || memcmp(buf + RELAY_HEADROOM, bytes, len) == 0);
		free(buf);
		return;
	}
	FUZZ_CHECK(drops(relay) == dropped);
	FUZZ_CHECK(relay->counters.frames[PPP_OUTBOUND] == frames + 1);
	FUZZ_CHECK(ppp_len > 0 && eth == buf + strip);
	FUZZ_CHECK(out == ppp_len + PPPOE_FRAME_HEADER_LEN);
	/* The information field, after a 1- or 2-byte protocol field, fits the link. */
	FUZZ_CHECK(ppp_len - ((ppp[0] & 1) ? 1 : 2) <= relay->config.link_mtu);
	FUZZ_CHECK(pppoe_frame_parse(eth, out, &relay->config.ethertypes, &parsed) ==
		   PPPOE_PARSE_OK);
	FUZZ_CHECK(parsed.ethertype == relay->config.ethertypes.session);
	FUZZ_CHECK(parsed.code == PPPOE_CODE_SESSION);
	FUZZ_CHECK(parsed.session_id == relay->config.session_id);
	FUZZ_CHECK(memcmp(parsed.dest, relay->config.ac_mac, PPPOE_MAC_LEN) == 0);
	FUZZ_CHECK(memcmp(parsed.source, relay->config.our_mac, PPPOE_MAC_LEN) == 0);
	FUZZ_CHECK(parsed.payload_len == ppp_len);
	want = expected_ppp(ppp, ppp_len, &relay->limits.outbound);
	FUZZ_CHECK(memcmp(parsed.payload, want, ppp_len) == 0);
	free(want);
	free(buf);
}

static void inbound(struct relay *relay, const uint8_t *bytes, size_t len)
{
	const struct relay_config *config = &relay->config;
	uint8_t *frame = fuzz_copy(bytes, len, 0), *ppp = NULL, *want;
	uint64_t dropped = drops(relay), frames = relay->counters.frames[PPP_INBOUND];
	size_t out = relay_inbound(relay, frame, len, &ppp);
	struct pppoe_frame parsed;

	if (out == 0) {
		FUZZ_CHECK(drops(relay) == dropped + 1);
		FUZZ_CHECK(relay->counters.frames[PPP_INBOUND] == frames);
		FUZZ_CHECK(len == 0 || memcmp(frame, bytes, len) == 0);
		free(frame);
		return;
	}
	FUZZ_CHECK(drops(relay) == dropped);
	FUZZ_CHECK(relay->counters.frames[PPP_INBOUND] == frames + 1);
	FUZZ_CHECK(pppoe_frame_parse(bytes, len, &config->ethertypes, &parsed) == PPPOE_PARSE_OK);
	FUZZ_CHECK(parsed.ethertype == config->ethertypes.session);
	FUZZ_CHECK(parsed.code == PPPOE_CODE_SESSION);
	FUZZ_CHECK(parsed.session_id == config->session_id);
	FUZZ_CHECK(memcmp(parsed.dest, config->our_mac, PPPOE_MAC_LEN) == 0);
	FUZZ_CHECK(memcmp(parsed.source, config->ac_mac, PPPOE_MAC_LEN) == 0);
	FUZZ_CHECK(parsed.payload_len > 0);
	FUZZ_CHECK(out == (size_t)parsed.payload_len + PPP_ADDRESS_CONTROL_LEN);
	FUZZ_CHECK(ppp == frame + PPPOE_FRAME_HEADER_LEN - PPP_ADDRESS_CONTROL_LEN);
	FUZZ_CHECK(ppp[0] == 0xff && ppp[1] == 0x03);
	want = expected_ppp(bytes + PPPOE_FRAME_HEADER_LEN, parsed.payload_len,
			    &relay->limits.inbound);
	FUZZ_CHECK(memcmp(ppp + PPP_ADDRESS_CONTROL_LEN, want, parsed.payload_len) == 0);
	/* Ethernet padding behind the payload is not touched. */
	FUZZ_CHECK(memcmp(frame + PPPOE_FRAME_HEADER_LEN + parsed.payload_len,
			  bytes + PPPOE_FRAME_HEADER_LEN + parsed.payload_len,
			  len - PPPOE_FRAME_HEADER_LEN - parsed.payload_len) == 0);
	free(want);
	free(frame);
}

static struct mss_setting read_setting(struct fuzz_input *in)
{
	struct mss_setting setting;

	setting.mode = (enum mss_mode)(fuzz_u8(in) % 3);
	setting.value = fuzz_u16(in);
	if (setting.value < MSS_FLOOR)
		setting.value = MSS_FLOOR;
	if (setting.value > MSS_SETTING_MAX)
		setting.value = MSS_SETTING_MAX;
	return setting;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct relay_config config;
	struct relay relay;
	size_t got;

	memset(&config, 0, sizeof(config));
	memcpy(config.our_mac, fuzz_bytes(&in, PPPOE_MAC_LEN, &got), got);
	memcpy(config.ac_mac, fuzz_bytes(&in, PPPOE_MAC_LEN, &got), got);
	config.session_id = fuzz_u16(&in);
	config.ethertypes = pppoe_standard_ethertypes;
	config.link_mtu = fuzz_u16(&in) % (PPPOE_FRAME_MAX + 1);
	config.policy.ipv4 = read_setting(&in);
	config.policy.ipv6 = read_setting(&in);
	relay_init(&relay, &config);
	check_limits(&relay);

	for (int n = 0; n < STEPS_MAX && in.len > 0; n++) {
		uint8_t kind = fuzz_u8(&in) % 3;
		const uint8_t *bytes;
		size_t len;

		if (kind == 2) {
			uint16_t mtu = fuzz_u16(&in), mru = fuzz_u16(&in);

			relay_use_negotiated_mtu_mru(&relay, mtu, mru);
			FUZZ_CHECK(relay.mtu <= config.link_mtu && relay.mru <= config.link_mtu);
		} else if (fuzz_record(&in, &bytes, &len)) {
			if (kind == 0)
				outbound(&relay, bytes, len);
			else
				inbound(&relay, bytes, len);
		}
		check_limits(&relay);
		FUZZ_CHECK(relay_drop_reason_name(RELAY_DROP_COUNT) != NULL);
	}
	return 0;
}
