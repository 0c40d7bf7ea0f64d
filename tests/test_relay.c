/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/relay.c and src/clamp_policy.c: PPP frames to session
 * frames and back, what is dropped and counted, and which clamp limits each
 * direction gets from the policy and the negotiated MTU/MRU.
 */
#include <check.h>
#include <string.h>

#include "byte_order.h"
#include "check_main.h"
#include "clamp_policy.h"
#include "relay.h"

static const uint8_t our_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t ac_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xac };
static const uint8_t stranger_mac[PPPOE_MAC_LEN] = { 0x02, 0x66, 0x66, 0x66, 0x66, 0x66 };
#define SESSION_ID 0x1234

static void relay_setup(struct relay *relay, const struct clamp_policy *policy)
{
	struct relay_config config;

	memset(&config, 0, sizeof(config));
	memcpy(config.our_mac, our_mac, PPPOE_MAC_LEN);
	memcpy(config.ac_mac, ac_mac, PPPOE_MAC_LEN);
	config.session_id = SESSION_ID;
	config.ethertypes = pppoe_standard_ethertypes;
	config.link_mtu = 1492;
	if (policy != NULL)
		config.policy = *policy;
	else
		clamp_policy_default(&config.policy);
	relay_init(relay, &config);
}

/* Full TCP checksum over the IPv4 pseudo-header and segment: 0 when valid. */
static uint16_t ipv4_tcp_checksum(const uint8_t *ip, size_t ip_len)
{
	size_t header = (size_t)(ip[0] & 0x0f) * 4;
	size_t tcp_len = ip_len - header;
	uint32_t sum = 0;

	for (int i = 12; i < 20; i += 2)
		sum += get_be16(ip + i);
	sum += 6 + (uint32_t)tcp_len;
	for (size_t i = 0; i + 1 < tcp_len; i += 2)
		sum += get_be16(ip + header + i);
	if (tcp_len & 1)
		sum += (uint32_t)ip[header + tcp_len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A PPP frame (protocol field first) carrying an IPv4 TCP SYN with the given MSS. */
static size_t build_ipv4_syn(uint8_t *ppp, uint16_t mss)
{
	uint8_t *ip = ppp + 2;
	uint8_t *tcp = ip + 20;

	memset(ppp, 0, 2 + 20 + 24);
	put_be16(ppp, 0x0021);
	ip[0] = 0x45;
	put_be16(ip + 2, 44);
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, (const uint8_t[]){ 192, 0, 2, 10 }, 4);
	memcpy(ip + 16, (const uint8_t[]){ 198, 51, 100, 80 }, 4);
	put_be16(tcp, 40000);
	put_be16(tcp + 2, 80);
	tcp[12] = 6 << 4;
	tcp[13] = 0x02;
	put_be16(tcp + 14, 64240);
	tcp[20] = 2;
	tcp[21] = 4;
	put_be16(tcp + 22, mss);
	put_be16(tcp + 16, ipv4_tcp_checksum(ip, 44));
	return 2 + 44;
}

static uint16_t syn_mss(const uint8_t *ppp)
{
	return get_be16(ppp + 2 + 20 + 22);
}

/* A received session frame from src with the PPP frame as payload. */
static size_t build_session_frame(uint8_t *frame, const uint8_t *src, const uint8_t *dst,
				  uint16_t session, const uint8_t *ppp, size_t ppp_len)
{
	memcpy(frame, dst, PPPOE_MAC_LEN);
	memcpy(frame + 6, src, PPPOE_MAC_LEN);
	put_be16(frame + 12, PPPOE_ETHERTYPE_SESSION);
	frame[14] = 0x11;
	frame[15] = 0x00;
	put_be16(frame + 16, session);
	put_be16(frame + 18, (uint16_t)ppp_len);
	memcpy(frame + 20, ppp, ppp_len);
	return 20 + ppp_len;
}

START_TEST(test_outbound_strips_address_control_and_encapsulates)
{
	struct relay relay;
	uint8_t buf[RELAY_HEADROOM + 64];
	uint8_t *ppp = buf + RELAY_HEADROOM;
	const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 1, 2, 3, 4 };
	uint8_t *frame;
	size_t len;

	relay_setup(&relay, NULL);
	memcpy(ppp, lcp, sizeof(lcp));
	len = relay_outbound(&relay, ppp, sizeof(lcp), &frame);
	ck_assert_uint_eq(len, 20 + sizeof(lcp) - 2);
	ck_assert_mem_eq(frame, ac_mac, 6);
	ck_assert_mem_eq(frame + 6, our_mac, 6);
	ck_assert_uint_eq(get_be16(frame + 12), 0x8864);
	ck_assert_uint_eq(frame[14], 0x11);
	ck_assert_uint_eq(frame[15], 0x00);
	ck_assert_uint_eq(get_be16(frame + 16), SESSION_ID);
	ck_assert_uint_eq(get_be16(frame + 18), sizeof(lcp) - 2);
	ck_assert_mem_eq(frame + 20, lcp + 2, sizeof(lcp) - 2);
	ck_assert_uint_eq(relay.counters.frames[PPP_OUTBOUND], 1);
	ck_assert_uint_eq(relay.counters.bytes[PPP_OUTBOUND], sizeof(lcp) - 2);
}
END_TEST

START_TEST(test_outbound_without_address_control)
{
	struct relay relay;
	uint8_t buf[RELAY_HEADROOM + 64];
	uint8_t *ppp = buf + RELAY_HEADROOM;
	const uint8_t ipcp[] = { 0x80, 0x21, 0x01, 0x01, 0x00, 0x04 };
	uint8_t *frame;

	relay_setup(&relay, NULL);
	memcpy(ppp, ipcp, sizeof(ipcp));
	ck_assert_uint_eq(relay_outbound(&relay, ppp, sizeof(ipcp), &frame), 20 + sizeof(ipcp));
	ck_assert_ptr_eq(frame, buf);
	ck_assert_mem_eq(frame + 20, ipcp, sizeof(ipcp));
}
END_TEST

START_TEST(test_outbound_drops_empty_and_oversized)
{
	struct relay relay;
	static uint8_t buf[RELAY_HEADROOM + 2000];
	uint8_t *ppp = buf + RELAY_HEADROOM;
	uint8_t *frame = NULL;

	relay_setup(&relay, NULL);
	ppp[0] = 0xff;
	ppp[1] = 0x03;
	ck_assert_uint_eq(relay_outbound(&relay, ppp, 2, &frame), 0);
	ck_assert_uint_eq(relay_outbound(&relay, ppp, 0, &frame), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_EMPTY], 2);
	/* A full 1492-byte IP packet behind its 2-byte protocol field fits the
	 * 1492 MTU: the limit is on the information field. */
	memset(ppp, 0, 1500);
	ppp[0] = 0x00;
	ppp[1] = 0x21;
	ck_assert_uint_eq(relay_outbound(&relay, ppp, 2 + 1493, &frame), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_TOO_BIG], 1);
	ck_assert_uint_eq(relay_outbound(&relay, ppp, 2 + 1492, &frame), 20 + 1494);
	ck_assert_ptr_eq(frame, buf);
	ck_assert_uint_eq(relay.counters.frames[PPP_OUTBOUND], 1);
	/* With the protocol field compressed the information field may be 1492 too. */
	ppp[0] = 0x21;
	ck_assert_uint_eq(relay_outbound(&relay, ppp, 1 + 1493, &frame), 0);
	ck_assert_uint_eq(relay_outbound(&relay, ppp, 1 + 1492, &frame), 20 + 1493);
	/* An even byte alone is half a protocol field. */
	ppp[0] = 0x00;
	ck_assert_uint_eq(relay_outbound(&relay, ppp, 1, &frame), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_EMPTY], 3);
}
END_TEST

START_TEST(test_outbound_syn_clamped_to_mru_limit)
{
	struct relay relay;
	uint8_t buf[RELAY_HEADROOM + 128];
	uint8_t *ppp = buf + RELAY_HEADROOM;
	uint8_t *frame;
	size_t len;

	relay_setup(&relay, NULL);
	len = build_ipv4_syn(ppp, 1460);
	ck_assert_uint_eq(relay_outbound(&relay, ppp, len, &frame), 20 + len);
	ck_assert_uint_eq(syn_mss(frame + 20), 1452);
	ck_assert_uint_eq(ipv4_tcp_checksum(frame + 22, 44), 0);
	ck_assert_uint_eq(relay.counters.clamped[PPP_OUTBOUND][MSS_FAMILY_IPV4], 1);
}
END_TEST

START_TEST(test_inbound_delivers_with_address_control_and_clamps)
{
	struct relay relay;
	uint8_t ppp[128];
	uint8_t frame[256];
	uint8_t *out;
	size_t ppp_len = build_ipv4_syn(ppp, 1460);
	size_t len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID, ppp, ppp_len);

	relay_setup(&relay, NULL);
	/* Ethernet padding after the PPPoE payload must not reach pppd. */
	memset(frame + len, 0xee, 10);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len + 10, &out), ppp_len + 2);
	ck_assert_uint_eq(out[0], 0xff);
	ck_assert_uint_eq(out[1], 0x03);
	ck_assert_uint_eq(get_be16(out + 2), 0x0021);
	ck_assert_uint_eq(syn_mss(out + 2), 1452);
	ck_assert_uint_eq(ipv4_tcp_checksum(out + 4, 44), 0);
	ck_assert_uint_eq(relay.counters.clamped[PPP_INBOUND][MSS_FAMILY_IPV4], 1);
	ck_assert_uint_eq(relay.counters.frames[PPP_INBOUND], 1);
}
END_TEST

START_TEST(test_inbound_drops_frames_not_ours)
{
	struct relay relay;
	uint8_t ppp[128];
	uint8_t frame[256];
	uint8_t *out;
	size_t ppp_len = build_ipv4_syn(ppp, 1460);
	size_t len;

	relay_setup(&relay, NULL);
	len = build_session_frame(frame, stranger_mac, our_mac, SESSION_ID, ppp, ppp_len);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len, &out), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_WRONG_AC], 1);

	len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID + 1, ppp, ppp_len);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len, &out), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_WRONG_SESSION], 1);

	len = build_session_frame(frame, ac_mac, stranger_mac, SESSION_ID, ppp, ppp_len);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len, &out), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_NOT_TO_US], 1);

	/* PPPoE length one past what was received. */
	len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID, ppp, ppp_len);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len - 1, &out), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_NOT_SESSION], 1);

	/* A discovery code on the session ethertype. */
	len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID, ppp, ppp_len);
	frame[15] = PPPOE_CODE_PADT;
	ck_assert_uint_eq(relay_inbound(&relay, frame, len, &out), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_NOT_SESSION], 2);

	len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID, ppp, 0);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len, &out), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_EMPTY], 1);

	for (size_t cut = 0; cut < 20; cut++)
		ck_assert_uint_eq(relay_inbound(&relay, frame, cut, &out), 0);
	ck_assert_uint_eq(relay.counters.frames[PPP_INBOUND], 0);
}
END_TEST

START_TEST(test_inbound_drops_more_than_the_link_carries)
{
	struct relay relay;
	static uint8_t ppp[2000];
	static uint8_t frame[2100];
	uint8_t *out;
	size_t len;

	relay_setup(&relay, NULL);
	memset(ppp, 0, sizeof(ppp));
	put_be16(ppp, 0x0021);
	/* A jumbo segment can carry it, but 1493 bytes exceed the 1492 link. */
	len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID, ppp, 2 + 1493);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len, &out), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_TOO_BIG], 1);
	len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID, ppp, 2 + 1492);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len, &out), 2 + 2 + 1492);
	/* A compressed protocol field leaves room for one byte less. */
	ppp[0] = 0x21;
	len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID, ppp, 1 + 1493);
	ck_assert_uint_eq(relay_inbound(&relay, frame, len, &out), 0);
	ck_assert_uint_eq(relay.counters.dropped[RELAY_DROP_TOO_BIG], 2);
	ck_assert_uint_eq(relay.counters.frames[PPP_INBOUND], 1);
}
END_TEST

enum { LCP_CONFIGURE_REQUEST = 1, LCP_CONFIGURE_ACK = 2 };

/* An LCP Configure-Request or -Ack (protocol field first) with an MRU and a magic number. */
static size_t build_lcp_configure(uint8_t *ppp, uint8_t code, uint8_t id, uint16_t mru)
{
	const uint8_t lcp[] = { 0xc0, 0x21, code, id, 0x00, 0x0e,
				0x01, 0x04, (uint8_t)(mru >> 8), (uint8_t)mru,
				0x05, 0x06, 0x11, 0x22, 0x33, 0x44 };
	memcpy(ppp, lcp, sizeof(lcp));
	return sizeof(lcp);
}

/* pppd sends it. */
static void lcp_from_pppd(struct relay *relay, uint8_t code, uint8_t id, uint16_t mru)
{
	uint8_t buf[RELAY_HEADROOM + 64];
	uint8_t *out;
	size_t len = build_lcp_configure(buf + RELAY_HEADROOM, code, id, mru);

	ck_assert_uint_gt(relay_outbound(relay, buf + RELAY_HEADROOM, len, &out), 0);
}

/* It comes from the AC's MAC with our session id: the AC's, or a stranger's posing as it. */
static void lcp_from_ac(struct relay *relay, uint8_t code, uint8_t id, uint16_t mru)
{
	uint8_t ppp[64], frame[128];
	uint8_t *out;
	size_t ppp_len = build_lcp_configure(ppp, code, id, mru);
	size_t len = build_session_frame(frame, ac_mac, our_mac, SESSION_ID, ppp, ppp_len);

	ck_assert_uint_gt(relay_inbound(relay, frame, len, &out), 0);
}

/* The AC asks for its MRU (what we may send) and pppd acknowledges it. */
static void negotiate_ac_mru(struct relay *relay, uint8_t id, uint16_t mru)
{
	lcp_from_ac(relay, LCP_CONFIGURE_REQUEST, id, mru);
	lcp_from_pppd(relay, LCP_CONFIGURE_ACK, id, mru);
}

/* pppd asks for its MRU (what we receive) and the AC acknowledges it. */
static void negotiate_pppd_mru(struct relay *relay, uint8_t id, uint16_t mru)
{
	lcp_from_pppd(relay, LCP_CONFIGURE_REQUEST, id, mru);
	lcp_from_ac(relay, LCP_CONFIGURE_ACK, id, mru);
}

START_TEST(test_lcp_acks_drive_the_limits)
{
	struct relay relay;
	unsigned generation;

	relay_setup(&relay, NULL);
	ck_assert_uint_eq(relay.limits.outbound.ipv4, 1452);
	ck_assert_uint_eq(relay.limits.inbound.ipv6, 1432);
	generation = relay.limits_generation;

	/* pppd acknowledges the AC's MRU 1400: that is what we may send (MTU). */
	negotiate_ac_mru(&relay, 1, 1400);
	ck_assert_uint_eq(relay.mtu, 1400);
	ck_assert_uint_eq(relay.limits.inbound.ipv4, 1360);
	ck_assert_uint_eq(relay.limits.inbound.ipv6, 1340);
	ck_assert_uint_eq(relay.limits.outbound.ipv4, 1452);
	ck_assert_uint_gt(relay.limits_generation, generation);

	/* The AC acknowledges pppd's MRU 1480: what we receive (MRU). */
	negotiate_pppd_mru(&relay, 1, 1480);
	ck_assert_uint_eq(relay.mru, 1480);
	ck_assert_uint_eq(relay.limits.outbound.ipv4, 1440);
	ck_assert_uint_eq(relay.limits.outbound.ipv6, 1420);

	/* Renegotiated later (RFC 1661: a Request in the Opened state): new limits. */
	negotiate_pppd_mru(&relay, 2, 1400);
	negotiate_ac_mru(&relay, 9, 1300);
	ck_assert_uint_eq(relay.mru, 1400);
	ck_assert_uint_eq(relay.mtu, 1300);
	ck_assert_uint_eq(relay.limits.outbound.ipv4, 1360);
	ck_assert_uint_eq(relay.limits.inbound.ipv4, 1260);
}
END_TEST

/*
 * The issue: one Ack with MRU 64 from a station posing as the AC, answering
 * nothing pppd asked (pppd ignores it), lowered every later outbound SYN's
 * MSS.  It must change nothing, whatever its identifier.
 */
START_TEST(test_forged_ack_leaves_the_limits)
{
	struct relay relay;
	uint8_t buf[RELAY_HEADROOM + 128];
	uint8_t *ppp = buf + RELAY_HEADROOM;
	uint8_t *frame;
	unsigned generation;
	size_t len;

	relay_setup(&relay, NULL);
	negotiate_ac_mru(&relay, 1, 1492);
	negotiate_pppd_mru(&relay, 1, 1492);
	generation = relay.limits_generation;
	for (unsigned id = 0; id < 256; id++)
		lcp_from_ac(&relay, LCP_CONFIGURE_ACK, (uint8_t)id, 64);
	ck_assert_uint_eq(relay.mru, 1492);
	ck_assert_uint_eq(relay.mtu, 1492);
	ck_assert_uint_eq(relay.limits_generation, generation);
	ck_assert_uint_eq(relay.lcp.acks_unmatched, 256);

	len = build_ipv4_syn(ppp, 1460);
	ck_assert_uint_eq(relay_outbound(&relay, ppp, len, &frame), 20 + len);
	ck_assert_uint_eq(syn_mss(frame + 20), 1452);
}
END_TEST

START_TEST(test_pppd_values_and_lcp_snoop_give_the_same_limits)
{
	struct relay snooped, told;
	static const unsigned pairs[][2] = { { 1492, 1492 }, { 1400, 1480 }, { 1480, 1400 }, { 576, 1492 } };

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		unsigned mtu = pairs[i][0], mru = pairs[i][1];
		relay_setup(&snooped, NULL);
		relay_setup(&told, NULL);
		negotiate_ac_mru(&snooped, 1, (uint16_t)mtu);
		negotiate_pppd_mru(&snooped, 1, (uint16_t)mru);
		relay_use_negotiated_mtu_mru(&told, mtu, mru);
		ck_assert_mem_eq(&snooped.limits, &told.limits, sizeof(told.limits));
	}
}
END_TEST

START_TEST(test_pppd_values_are_capped_and_override_the_snoop)
{
	struct relay relay;

	relay_setup(&relay, NULL);
	relay_use_negotiated_mtu_mru(&relay, 1500, 1500);
	ck_assert_uint_eq(relay.limits.outbound.ipv4, 1452);
	ck_assert_uint_eq(relay.limits.inbound.ipv4, 1452);
	negotiate_ac_mru(&relay, 1, 1300);
	ck_assert_uint_eq(relay.limits.inbound.ipv4, 1452);
}
END_TEST

START_TEST(test_policy_off_relays_syn_untouched)
{
	struct clamp_policy policy = {
		.ipv4 = { .mode = MSS_MODE_OFF }, .ipv6 = { .mode = MSS_MODE_OFF },
	};
	struct relay relay;
	uint8_t buf[RELAY_HEADROOM + 128], copy[128];
	uint8_t *ppp = buf + RELAY_HEADROOM;
	uint8_t *frame;
	size_t len;

	relay_setup(&relay, &policy);
	len = build_ipv4_syn(ppp, 1460);
	memcpy(copy, ppp, len);
	ck_assert_uint_eq(relay_outbound(&relay, ppp, len, &frame), 20 + len);
	ck_assert_mem_eq(frame + 20, copy, len);
	ck_assert_uint_eq(relay.counters.clamped[PPP_OUTBOUND][MSS_FAMILY_IPV4], 0);
}
END_TEST

static Suite *relay_suite(void)
{
	Suite *suite = suite_create("relay");
	TCase *outbound = tcase_create("outbound");
	TCase *inbound = tcase_create("inbound");
	TCase *limits = tcase_create("limits");

	tcase_add_test(outbound, test_outbound_strips_address_control_and_encapsulates);
	tcase_add_test(outbound, test_outbound_without_address_control);
	tcase_add_test(outbound, test_outbound_drops_empty_and_oversized);
	tcase_add_test(outbound, test_outbound_syn_clamped_to_mru_limit);
	suite_add_tcase(suite, outbound);
	tcase_add_test(inbound, test_inbound_delivers_with_address_control_and_clamps);
	tcase_add_test(inbound, test_inbound_drops_frames_not_ours);
	tcase_add_test(inbound, test_inbound_drops_more_than_the_link_carries);
	suite_add_tcase(suite, inbound);
	tcase_add_test(limits, test_lcp_acks_drive_the_limits);
	tcase_add_test(limits, test_forged_ack_leaves_the_limits);
	tcase_add_test(limits, test_pppd_values_and_lcp_snoop_give_the_same_limits);
	tcase_add_test(limits, test_pppd_values_are_capped_and_override_the_snoop);
	tcase_add_test(limits, test_policy_off_relays_syn_untouched);
	suite_add_tcase(suite, limits);
	return suite;
}

int main(void)
{
	return check_main_run(relay_suite());
}
