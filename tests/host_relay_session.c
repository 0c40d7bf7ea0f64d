/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs 1 to 3 (host_relay.h): a session each, what the clamp does in it
 * before and after LCP, and how it ends.  Run 1 also checks discovery in
 * detail and hands its session to the confinement, framing and hostile
 * frame cases.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "byte_order.h"
#include "host_relay.h"
#include "ppp.h"

/* ---- LCP constants, spelled out here rather than taken from src/ ---- */

#define LCP_CONFIGURE_REQUEST 1
#define LCP_CONFIGURE_ACK 2
#define LCP_OPTION_MRU 1
#define LCP_OPTION_MAGIC 5

/* b-e: the automatic clamp before LCP has said anything. */
static void session_clamp_cases(struct lab *lab, struct client *client)
{
	uint16_t link = link_max_payload(lab);
	uint16_t limit4 = (uint16_t)(link - IPV4_TCP_OVERHEAD);
	uint16_t limit6 = (uint16_t)(link - IPV6_TCP_OVERHEAD);
	char why[64];

	snprintf(why, sizeof(why), "link payload %u - 40", link);
	syn_case(lab, client, OUTBOUND, 4, 1460, min_u16(1460, limit4), why);
	syn_case(lab, client, INBOUND, 4, 1460, min_u16(1460, limit4), why);
	snprintf(why, sizeof(why), "link payload %u - 60", link);
	syn_case(lab, client, OUTBOUND, 6, 1440, min_u16(1440, limit6), why);
	syn_case(lab, client, INBOUND, 6, 1440, min_u16(1440, limit6), why);
	syn_case(lab, client, OUTBOUND, 4, 1400, 1400, "already below the limit: never raised");
	syn_case(lab, client, INBOUND, 4, 1400, 1400, "already below the limit: never raised");

	/* pf's lesson: the MSS value need not be 16-bit aligned in the segment. */
	for (enum direction dir = OUTBOUND; dir <= INBOUND; dir++) {
		uint8_t options[20], sent[PACKET_MAX], got[PACKET_MAX];
		struct tcp_segment seg = {
			.ip_version = 4, .from_server = dir == INBOUND,
			.flags = TCP_FLAG_SYN | (dir == INBOUND ? TCP_FLAG_ACK : 0),
			.seq = 0x0dd0ff5e, .ack = dir == INBOUND ? 0x12345678u : 0,
			.options = options, .options_len = odd_offset_syn_options(options, 1460),
		};
		size_t sent_len = tcp_segment_build(&seg, sent, sizeof(sent));
		size_t got_len = relay(lab, client, dir, PPP_PROTOCOL_IPV4, sent, sent_len, got, sizeof(got));
		tap(got_len > 0 && syn_arrived_as_expected(sent, sent_len, got, got_len, min_u16(1460, limit4)),
		    "%s: MSS option at an odd offset is clamped to %u, checksum valid", direction_name(dir),
		    min_u16(1460, limit4));
	}

	/* A full-sized data segment whose payload even looks like an MSS option. */
	uint8_t data[1400], packet[PACKET_MAX];
	static const uint8_t timestamps[12] = { 1, 1, 8, 10, 0, 0, 0, 42, 0x3b, 0x9a, 0xca, 0x07 };
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);  /* every byte value, 0x7d and 0x7e included */
	for (size_t i = 0; i + 4 <= sizeof(data); i += 100)
		memcpy(data + i, "\x02\x04\x05\xb4", 4);
	for (enum direction dir = OUTBOUND; dir <= INBOUND; dir++) {
		struct tcp_segment seg = {
			.ip_version = 4, .from_server = dir == INBOUND,
			.flags = TCP_FLAG_ACK | TCP_FLAG_PSH, .seq = 0x5eed0002u, .ack = 0x8d1e5a02u,
			.options = timestamps, .options_len = sizeof(timestamps),
			.payload = data, .payload_len = sizeof(data),
		};
		size_t len = tcp_segment_build(&seg, packet, sizeof(packet));
		tap(passes_unchanged(lab, client, dir, PPP_PROTOCOL_IPV4, packet, len),
		    "%s: a non-SYN segment with %zu bytes of data passes byte-identical", direction_name(dir),
		    sizeof(data));
	}

	/* The segment a clamped connection actually sends: an IP packet of
	 * exactly the link MTU (1452 bytes of data behind 40 of headers). */
	static uint8_t full[PACKET_MAX];
	for (size_t i = 0; i < sizeof(full); i++)
		full[i] = (uint8_t)(i * 13 + 1);
	for (enum direction dir = OUTBOUND; dir <= INBOUND; dir++) {
		struct tcp_segment seg = {
			.ip_version = 4, .from_server = dir == INBOUND,
			.flags = TCP_FLAG_ACK, .seq = 0x5eed0003u, .ack = 0x8d1e5a03u,
			.payload = full, .payload_len = limit4,
		};
		size_t len = tcp_segment_build(&seg, packet, sizeof(packet));
		tap(len == link && passes_unchanged(lab, client, dir, PPP_PROTOCOL_IPV4, packet, len),
		    "%s: a full-size %zu-byte IP packet (the link MTU) passes byte-identical",
		    direction_name(dir), len);
	}
}

static size_t lcp_build(uint8_t code, uint8_t id, uint16_t mru, uint32_t magic, uint8_t out[14])
{
	out[0] = code;
	out[1] = id;
	put_be16(out + 2, 14);
	out[4] = LCP_OPTION_MRU;
	out[5] = 4;
	put_be16(out + 6, mru);
	out[8] = LCP_OPTION_MAGIC;
	out[9] = 6;
	put_be32(out + 10, magic);
	return 14;
}

/*
 * LCP as pppd and the AC would negotiate it (RFC 1661 section 5.1): each side
 * requests its MRU, the other acknowledges.  pppd's Configure-Ack carries
 * the AC's MRU (the most we may send), the AC's carries pppd's (the most we
 * can receive).  Returns false when an LCP frame did not pass unchanged.
 */
static bool lcp_negotiate(struct lab *lab, struct client *client, uint16_t ac_mru, uint16_t pppd_mru,
			  uint8_t id)
{
	uint8_t ac_request[14], pppd_request[14], pppd_ack[14], ac_ack[14];
	const uint32_t ac_magic = 0x1a2b3c4d, pppd_magic = 0x5e6f7081;

	lcp_build(LCP_CONFIGURE_REQUEST, id, ac_mru, ac_magic, ac_request);
	lcp_build(LCP_CONFIGURE_REQUEST, id, pppd_mru, pppd_magic, pppd_request);
	lcp_build(LCP_CONFIGURE_ACK, id, ac_mru, ac_magic, pppd_ack);
	lcp_build(LCP_CONFIGURE_ACK, id, pppd_mru, pppd_magic, ac_ack);
	return passes_unchanged(lab, client, INBOUND, PPP_PROTOCOL_LCP, ac_request, sizeof(ac_request)) &&
	       passes_unchanged(lab, client, OUTBOUND, PPP_PROTOCOL_LCP, pppd_request, sizeof(pppd_request)) &&
	       passes_unchanged(lab, client, OUTBOUND, PPP_PROTOCOL_LCP, pppd_ack, sizeof(pppd_ack)) &&
	       passes_unchanged(lab, client, INBOUND, PPP_PROTOCOL_LCP, ac_ack, sizeof(ac_ack));
}

/*
 * f: after LCP, SYNs leaving towards the AC are clamped to fit our MRU (the
 * far end sends that much to us) and SYNs arriving from it to fit our MTU.
 */
static void lcp_cases(struct lab *lab, struct client *client, uint16_t ac_mru, uint16_t pppd_mru,
		      uint8_t id)
{
	uint16_t mtu = min_u16(ac_mru, link_max_payload(lab));
	uint16_t mru = min_u16(pppd_mru, link_max_payload(lab));
	char why[64];

	if (!tap(lcp_negotiate(lab, client, ac_mru, pppd_mru, id),
		 "LCP: Configure-Requests and -Acks with MRU %u (AC) and %u (pppd) pass unchanged",
		 ac_mru, pppd_mru))
		return;
	snprintf(why, sizeof(why), "after LCP: MRU %u - 40", mru);
	syn_case(lab, client, OUTBOUND, 4, 1460, min_u16(1460, (uint16_t)(mru - IPV4_TCP_OVERHEAD)), why);
	snprintf(why, sizeof(why), "after LCP: MTU %u - 40", mtu);
	syn_case(lab, client, INBOUND, 4, 1460, min_u16(1460, (uint16_t)(mtu - IPV4_TCP_OVERHEAD)), why);
	snprintf(why, sizeof(why), "after LCP: MRU %u - 60", mru);
	syn_case(lab, client, OUTBOUND, 6, 1440, min_u16(1440, (uint16_t)(mru - IPV6_TCP_OVERHEAD)), why);
	snprintf(why, sizeof(why), "after LCP: MTU %u - 60", mtu);
	syn_case(lab, client, INBOUND, 6, 1440, min_u16(1440, (uint16_t)(mtu - IPV6_TCP_OVERHEAD)), why);
}

/* Run 1: discovery in detail, clamping, hostile frames, LCP, SIGTERM. */
void run_main_session(struct lab *lab)
{
	struct client client;

	diag("run 1: pppoe-mss -I %s (automatic clamp)", lab->client_if);
	if (!client_start(lab, &client, "session", true, no_args) || !ac_negotiate(lab, NULL, true)) {
		tap(false, "run 1: session established");
		client_finish(&client);
		return;
	}
	confinement_cases(lab, &client);
	session_clamp_cases(lab, &client);
	framing_cases(lab, &client);
	hostile_frame_cases(lab, &client);
	spoofed_padt_cases(lab, &client);
	lcp_cases(lab, &client, 1400, 1400, 1);

	ac_drain(lab);
	client_signal(&client, SIGTERM);
	session_ends_with_padt(lab, &client, "SIGTERM", 0);
	client_finish(&client);
}

/* Run 2: -m 1400 -S lab-service, then the AC ends the session. */
void run_fixed_mss_and_padt(struct lab *lab)
{
	static const char *const args[] = { "-m", "1400", "-S", AC_SERVICE, NULL };
	const uint16_t fixed = 1400;
	struct client client;
	uint8_t padt[PACKET_MAX];
	struct pppoe_builder builder;
	size_t padt_len;
	int status = 0;

	diag("run 2: pppoe-mss -I %s -m 1400 -S %s", lab->client_if, AC_SERVICE);
	if (!client_start(lab, &client, "fixed", true, args) || !ac_negotiate(lab, AC_SERVICE, false)) {
		tap(false, "run 2: session established");
		client_finish(&client);
		return;
	}
	syn_case(lab, &client, OUTBOUND, 4, 1460, fixed, "-m 1400");
	syn_case(lab, &client, INBOUND, 4, 1460, fixed, "-m 1400");
	/* The usage text promises IPv6 MSS - 20: the same packet size. */
	syn_case(lab, &client, OUTBOUND, 6, 1440, fixed - (IPV6_TCP_OVERHEAD - IPV4_TCP_OVERHEAD),
		 "-m 1400, IPv6 headers are 20 bytes longer");
	syn_case(lab, &client, INBOUND, 6, 1440, fixed - (IPV6_TCP_OVERHEAD - IPV4_TCP_OVERHEAD),
		 "-m 1400, IPv6 headers are 20 bytes longer");

	pppoe_builder_begin(&builder, padt, sizeof(padt), lab->client_mac, lab->ac_mac,
			    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADT, AC_SESSION_ID);
	padt_len = pppoe_builder_finish(&builder);
	uint64_t sent_at = now_ms();
	bool exited = padt_len > 0 && ac_send(lab, padt, padt_len) &&
		      client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited) {
		diag("exited %llu ms after the PADT", (unsigned long long)(now_ms() - sent_at));
		describe_status(status);
	}
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) != 0,
	    "PADT from the AC: the program exits with a non-zero status within %d ms", PADT_DEADLINE_MS);

	/* pppd learns that the line is gone from the pty: hangup, EOF or EIO. */
	struct pollfd pfd = { .fd = client.pppd_fd, .events = POLLIN };
	bool hung_up = false;
	if (exited && poll(&pfd, 1, PADT_DEADLINE_MS) > 0) {
		uint8_t byte;
		ssize_t got = read(client.pppd_fd, &byte, 1);
		hung_up = (pfd.revents & POLLHUP) || got == 0 || (got < 0 && errno == EIO);
	}
	tap(hung_up, "PADT from the AC: pppd sees a hangup on the pty");
	client_finish(&client);
}

/* Run 3: pppd lets go of the line; also LCP with a different MRU each way. */
void run_pppd_gone(struct lab *lab)
{
	struct client client;
	int status = 0;

	diag("run 3: pppoe-mss -I %s, pppd negotiates asymmetric MRUs, then closes the pty", lab->client_if);
	if (!client_start(lab, &client, "pppd-gone", true, no_args) || !ac_negotiate(lab, NULL, false)) {
		tap(false, "run 3: session established");
		client_finish(&client);
		return;
	}
	/* A real AC sends its Configure-Request the moment the session exists. */
	uint8_t request[14], got[PACKET_MAX];
	lcp_build(LCP_CONFIGURE_REQUEST, 6, 1480, 0x1a2b3c4d, request);
	size_t got_len = relay_inbound(lab, &client, PPP_PROTOCOL_LCP, request, sizeof(request), got, sizeof(got));
	tap(got_len == sizeof(request) && memcmp(got, request, sizeof(request)) == 0,
	    "the AC's LCP Configure-Request sent right after the PADS reaches pppd");
	lcp_cases(lab, &client, 1480, 1420, 7);

	ac_drain(lab);
	close(client.pppd_fd);
	client.pppd_fd = -1;
	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "pppd closes the pty: the AC receives a PADT within %d ms", PADT_DEADLINE_MS);
	bool exited = client_wait(&client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "pppd closes the pty: the program exits with status 0");
	client_finish(&client);
}

