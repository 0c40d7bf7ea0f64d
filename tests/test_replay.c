/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replays the captures in the .pcap files of tests/data through the codec, the clamp and
 * the relay.  The captures are real frames from a wire (see tests/data/README):
 * this checks the engine against what other software actually sends, not
 * against frames we built ourselves.
 */
#include <check.h>
#include <glob.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byte_order.h"
#include "check_main.h"
#include "clamp.h"
#include "pppoe.h"
#include "relay.h"

#define MAX_FRAMES 4096

struct capture {
	size_t count;
	size_t len[MAX_FRAMES];
	uint8_t *frame[MAX_FRAMES];
};

static struct capture capture;

static const char *data_dir(void)
{
	static char path[4096];
	const char *srcdir = getenv("SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/data", srcdir != NULL ? srcdir : ".");
	return path;
}

/* Load every frame of every capture; each gets an exact-size heap copy so
 * that ASan catches any read past its end. */
static void load_captures(void)
{
	char pattern[4200];
	glob_t found;

	if (capture.count > 0)
		return;
	snprintf(pattern, sizeof(pattern), "%s/*.pcap", data_dir());
	ck_assert_msg(glob(pattern, 0, NULL, &found) == 0, "no captures match %s", pattern);
	for (size_t i = 0; i < found.gl_pathc; i++) {
		char error[PCAP_ERRBUF_SIZE];
		pcap_t *pcap = pcap_open_offline(found.gl_pathv[i], error);
		struct pcap_pkthdr *header;
		const u_char *data;

		ck_assert_msg(pcap != NULL, "%s: %s", found.gl_pathv[i], error);
		ck_assert_int_eq(pcap_datalink(pcap), DLT_EN10MB);
		while (pcap_next_ex(pcap, &header, &data) == 1 && capture.count < MAX_FRAMES) {
			ck_assert_uint_eq(header->caplen, header->len);
			capture.frame[capture.count] = malloc(header->caplen);
			memcpy(capture.frame[capture.count], data, header->caplen);
			capture.len[capture.count] = header->caplen;
			capture.count++;
		}
		pcap_close(pcap);
	}
	globfree(&found);
	ck_assert_uint_gt(capture.count, 0);
}

/* Independent of the clamp: where is the TCP header of an IP packet, if any? */
static const uint8_t *find_tcp(const uint8_t *ip, size_t len, size_t *tcp_len, bool *ipv6)
{
	if (len >= 20 && (ip[0] >> 4) == 4 && ip[9] == 6 && (get_be16(ip + 6) & 0x3fff) == 0) {
		size_t header = (size_t)(ip[0] & 0x0f) * 4;
		size_t total = get_be16(ip + 2);
		if (total > len || header < 20 || total < header + 20)
			return NULL;
		*tcp_len = total - header;
		*ipv6 = false;
		return ip + header;
	}
	if (len >= 60 && (ip[0] >> 4) == 6 && ip[6] == 6) {
		size_t total = 40 + (size_t)get_be16(ip + 4);
		if (total > len)
			return NULL;
		*tcp_len = total - 40;
		*ipv6 = true;
		return ip + 40;
	}
	return NULL;
}

static uint16_t tcp_checksum(const uint8_t *ip, const uint8_t *tcp, size_t tcp_len, bool ipv6)
{
	uint32_t sum = 0;

	if (ipv6) {
		for (int i = 8; i < 40; i += 2)
			sum += get_be16(ip + i);
	} else {
		for (int i = 12; i < 20; i += 2)
			sum += get_be16(ip + i);
	}
	sum += 6 + (uint32_t)tcp_len;
	for (size_t i = 0; i + 1 < tcp_len; i += 2)
		sum += get_be16(tcp + i);
	if (tcp_len & 1)
		sum += (uint32_t)tcp[tcp_len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The MSS option of a SYN, found by our own walk; 0 when there is none. */
static unsigned syn_mss(const uint8_t *tcp, size_t tcp_len)
{
	size_t end = (size_t)(tcp[12] >> 4) * 4;

	if (!(tcp[13] & 0x02) || end > tcp_len)
		return 0;
	for (size_t i = 20; i < end;) {
		if (tcp[i] == 0)
			break;
		if (tcp[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= end || tcp[i + 1] < 2)
			break;
		if (tcp[i] == 2 && tcp[i + 1] == 4 && i + 4 <= end)
			return get_be16(tcp + i + 2);
		i += tcp[i + 1];
	}
	return 0;
}

/*
 * The captures include the forged frames the host test throws at the client
 * (wrong version, lengths past the frame, ...): every frame either parses, or
 * is refused by the codec and so by the relay.
 */
START_TEST(test_every_frame_parses_or_is_refused)
{
	size_t discovery = 0, session = 0, refused = 0;
	struct relay_config config;
	struct relay relay;

	load_captures();
	memset(&config, 0, sizeof(config));
	config.ethertypes = pppoe_standard_ethertypes;
	config.link_mtu = 1492;
	relay_init(&relay, &config);
	for (size_t i = 0; i < capture.count; i++) {
		struct pppoe_frame frame;
		struct pppoe_discovery msg;
		if (pppoe_frame_parse(capture.frame[i], capture.len[i], &pppoe_standard_ethertypes,
				      &frame) != PPPOE_PARSE_OK) {
			uint8_t *copy = malloc(capture.len[i]), *ppp;
			memcpy(copy, capture.frame[i], capture.len[i]);
			ck_assert_uint_eq(relay_inbound(&relay, copy, capture.len[i], &ppp), 0);
			free(copy);
			refused++;
			continue;
		}
		if (frame.ethertype == PPPOE_ETHERTYPE_DISCOVERY) {
			ck_assert_int_eq(pppoe_discovery_parse(capture.frame[i], capture.len[i],
							       &pppoe_standard_ethertypes, &msg),
					 PPPOE_PARSE_OK);
			discovery++;
		} else {
			session++;
		}
	}
	ck_assert_uint_gt(discovery, 0);
	ck_assert_uint_gt(session, 0);
	/* Forgeries are a handful among hundreds of real frames. */
	ck_assert_uint_le(refused * 20, capture.count);
}
END_TEST

START_TEST(test_discovery_sequence_is_complete)
{
	bool seen[256] = { false };

	load_captures();
	for (size_t i = 0; i < capture.count; i++) {
		struct pppoe_discovery msg;
		if (pppoe_discovery_parse(capture.frame[i], capture.len[i], &pppoe_standard_ethertypes,
					  &msg) != PPPOE_PARSE_OK)
			continue;
		seen[msg.frame.code] = true;
		if (msg.frame.code == PPPOE_CODE_PADO || msg.frame.code == PPPOE_CODE_PADS)
			ck_assert_ptr_nonnull(msg.host_uniq.value);
		if (msg.frame.code == PPPOE_CODE_PADS)
			ck_assert_uint_ne(msg.frame.session_id, 0);
	}
	ck_assert(seen[PPPOE_CODE_PADI]);
	ck_assert(seen[PPPOE_CODE_PADO]);
	ck_assert(seen[PPPOE_CODE_PADR]);
	ck_assert(seen[PPPOE_CODE_PADS]);
	ck_assert(seen[PPPOE_CODE_PADT]);
}
END_TEST

/* Every truncation of every captured frame parses without reading past it. */
START_TEST(test_truncated_frames_are_refused_cleanly)
{
	load_captures();
	for (size_t i = 0; i < capture.count; i++) {
		for (size_t cut = 0; cut < capture.len[i]; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);
			struct pppoe_discovery msg;
			struct mss_limit limit = { 1452, 1432 };
			memcpy(copy, capture.frame[i], cut);
			(void)pppoe_discovery_parse(copy, cut, &pppoe_standard_ethertypes, &msg);
			if (cut > PPPOE_FRAME_HEADER_LEN)
				(void)clamp_ppp(copy + PPPOE_FRAME_HEADER_LEN,
						    cut - PPPOE_FRAME_HEADER_LEN, &limit, NULL);
			free(copy);
		}
	}
}
END_TEST

/* The clamp on every captured session frame: SYNs end at or below the limit
 * with a checksum that verifies; nothing else changes by a single byte. */
START_TEST(test_clamp_on_captured_segments)
{
	const struct mss_limit limit = { 1400, 1380 };
	size_t syns = 0, clamped = 0;

	load_captures();
	for (size_t i = 0; i < capture.count; i++) {
		struct pppoe_frame frame;
		if (pppoe_frame_parse(capture.frame[i], capture.len[i], &pppoe_standard_ethertypes,
				      &frame) != PPPOE_PARSE_OK || frame.ethertype != PPPOE_ETHERTYPE_SESSION)
			continue;
		size_t len = frame.payload_len;
		uint8_t *ppp = malloc(len);
		memcpy(ppp, frame.payload, len);
		enum clamp_result result = clamp_ppp(ppp, len, &limit, NULL);
		/* RFC 1661 protocol field compression: one byte when odd. */
		size_t protocol_len = len > 0 && (ppp[0] & 1) ? 1 : 2;
		size_t tcp_len = 0;
		bool ipv6 = false;
		const uint8_t *ip = ppp + protocol_len;
		const uint8_t *tcp = len > protocol_len ? find_tcp(ip, len - protocol_len, &tcp_len, &ipv6)
						      : NULL;
		unsigned before = tcp ? syn_mss(frame.payload + (tcp - ppp), tcp_len) : 0;

		if (result == MSS_CLAMPED) {
			clamped++;
			ck_assert_ptr_nonnull(tcp);
			ck_assert_uint_eq(syn_mss(tcp, tcp_len), ipv6 ? limit.ipv6 : limit.ipv4);
			ck_assert_uint_gt(before, ipv6 ? limit.ipv6 : limit.ipv4);
			ck_assert_uint_eq(tcp_checksum(ip, tcp, tcp_len, ipv6), 0);
		} else {
			ck_assert_mem_eq(ppp, frame.payload, len);
		}
		if (before > 0) {
			syns++;
			ck_assert_uint_le(syn_mss(tcp, tcp_len), ipv6 ? limit.ipv6 : limit.ipv4);
		}
		free(ppp);
	}
	ck_assert_uint_gt(syns, 0);
	ck_assert_uint_gt(clamped, 0);
}
END_TEST

/* The captured frames from the AC, replayed into the relay of the client
 * that was on the wire, come out for pppd with address/control prepended. */
START_TEST(test_relay_accepts_the_captured_session)
{
	struct relay_config config;
	struct relay relay;
	bool have_session = false;
	size_t delivered = 0;

	load_captures();
	memset(&config, 0, sizeof(config));
	for (size_t i = 0; i < capture.count && !have_session; i++) {
		struct pppoe_frame frame;
		if (pppoe_frame_parse(capture.frame[i], capture.len[i], &pppoe_standard_ethertypes,
				      &frame) == PPPOE_PARSE_OK && frame.code == PPPOE_CODE_PADS) {
			memcpy(config.our_mac, frame.dest, PPPOE_MAC_LEN);
			memcpy(config.ac_mac, frame.source, PPPOE_MAC_LEN);
			config.session_id = frame.session_id;
			have_session = true;
		}
	}
	ck_assert(have_session);
	config.ethertypes = pppoe_standard_ethertypes;
	config.link_mtu = 1492;
	clamp_policy_default(&config.policy);
	relay_init(&relay, &config);

	for (size_t i = 0; i < capture.count; i++) {
		struct pppoe_frame frame;
		uint8_t *copy, *ppp;
		if (pppoe_frame_parse(capture.frame[i], capture.len[i], &pppoe_standard_ethertypes,
				      &frame) != PPPOE_PARSE_OK || frame.code != PPPOE_CODE_SESSION ||
		    frame.ethertype != PPPOE_ETHERTYPE_SESSION ||
		    memcmp(frame.source, config.ac_mac, PPPOE_MAC_LEN) != 0 ||
		    memcmp(frame.dest, config.our_mac, PPPOE_MAC_LEN) != 0 ||
		    frame.session_id != config.session_id)
			continue;
		copy = malloc(capture.len[i]);
		memcpy(copy, capture.frame[i], capture.len[i]);
		size_t len = relay_inbound(&relay, copy, capture.len[i], &ppp);
		ck_assert_uint_eq(len, frame.payload_len + 2u);
		ck_assert_uint_eq(ppp[0], 0xff);
		ck_assert_uint_eq(ppp[1], 0x03);
		delivered++;
		free(copy);
	}
	ck_assert_uint_gt(delivered, 0);
}
END_TEST

static Suite *replay_suite(void)
{
	Suite *suite = suite_create("replay");
	TCase *codec = tcase_create("codec");
	TCase *clamp = tcase_create("clamp");

	tcase_set_timeout(codec, 60);
	tcase_add_test(codec, test_every_frame_parses_or_is_refused);
	tcase_add_test(codec, test_discovery_sequence_is_complete);
	tcase_add_test(codec, test_truncated_frames_are_refused_cleanly);
	suite_add_tcase(suite, codec);
	tcase_add_test(clamp, test_clamp_on_captured_segments);
	tcase_add_test(clamp, test_relay_accepts_the_captured_session);
	suite_add_tcase(suite, clamp);
	return suite;
}

int main(void)
{
	return check_main_run(replay_suite());
}
