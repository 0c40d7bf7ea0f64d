// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/lab/rogue session: frames into the client's live session that it
 * must drop or ignore (and two controls it must act on), and sniff, which
 * learns the session id and the AC as an attacker would.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../checksum.h"
#include "byte_order.h"
#include "rogue.h"

/* ---- session-phase cases ---- */

/*
 * A small IPv4/UDP packet to the discard port (9): harmless if it were ever
 * delivered, and easy to find in a capture of ppp0 ("udp port 9").
 */
static size_t marker_ipv4_udp(const struct rogue *r, uint8_t *p, size_t payload_len)
{
	size_t total = 28 + payload_len;

	memset(p, 0, total);
	p[0] = 0x45;
	put_be16(p + 2, (uint16_t)total);
	put_be16(p + 4, 0x7777);
	p[8] = 64;
	p[9] = 17;
	inet_pton(AF_INET, "10.77.3.2", p + 12);
	memcpy(p + 16, &r->client_ipv4, 4);
	put_be16(p + 10, (uint16_t)~fold(sum_bytes(0, p, 20)));
	put_be16(p + 20, 9);
	put_be16(p + 22, 9);
	put_be16(p + 24, (uint16_t)(8 + payload_len));
	memset(p + 28, 'R', payload_len);
	return total;
}

/* A PPP frame carrying the marker: protocol 0x0021, then the packet. */
static void session_marker(struct frame *f, const struct rogue *r, size_t payload_len)
{
	uint8_t packet[ROGUE_FRAME_MAX];
	size_t len;

	if (payload_len > sizeof(packet) - 28)
		payload_len = sizeof(packet) - 28;
	len = marker_ipv4_udp(r, packet, payload_len);
	frame_u16(f, 0x0021);
	frame_bytes(f, packet, len);
}

static void sess_other_mac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->own_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

static void sess_other_id(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, (uint16_t)(r->session_id ^ 0x5a5a));
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

/* Ethernet header and 3 bytes of PPPoE header, from the AC's MAC. */
static void sess_truncated(struct frame *f, const struct rogue *r)
{
	frame_begin(f, r->client_mac, r->ac_mac, PPPOE_ETHERTYPE_SESSION);
	frame_byte(f, 0x11);
	frame_byte(f, 0);
	frame_byte(f, (uint8_t)(r->session_id >> 8));
}

/* The Ethernet header, the PPPoE header and 7 bytes of an IP packet. */
static void sess_truncated_payload(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
	f->len = PPPOE_FRAME_HEADER_LEN + 2 + 7;
}

static void sess_length_past_frame(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 100);
}

/* Shorter than the frame, which RFC 2516 allows (padding) -- but not from our AC. */
static void sess_length_short_other_mac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->own_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 64);
	pppoe_length_fix(f, -40);
}

static void sess_length_zero(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	put_be16(f->b + PPPOE_ETH_HEADER_LEN + 4, 0);
}

static void sess_bad_version(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x12, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

static void sess_bad_code(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, PPPOE_CODE_PADO, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

static void sess_broadcast(struct frame *f, const struct rogue *r)
{
	session_begin(f, pppoe_broadcast_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

/* As large as the interface carries (its MTU plus the Ethernet header). */
static size_t jumbo_marker_len(const struct rogue *r)
{
	size_t frame = r->mtu + PPPOE_ETH_HEADER_LEN;

	if (frame > ROGUE_FRAME_MAX)
		frame = ROGUE_FRAME_MAX;
	return frame - PPPOE_FRAME_HEADER_LEN - 2 - 28;
}

static void sess_jumbo_other_mac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->own_mac, 0x11, 0, r->session_id);
	session_marker(f, r, jumbo_marker_len(r));
	pppoe_length_fix(f, 0);
}

static void sess_jumbo_ac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, jumbo_marker_len(r));
	pppoe_length_fix(f, 0);
}

/* A valid marker from the AC: the control, which must arrive on ppp0. */
static void sess_valid_from_ac(struct frame *f, const struct rogue *r)
{
	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	session_marker(f, r, 32);
	pppoe_length_fix(f, 0);
}

static void padt_other_mac(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->own_mac, PPPOE_CODE_PADT, r->session_id);
	frame_string_tag(f, PPPOE_TAG_GENERIC_ERROR, "rogue: spoofed PADT");
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void padt_other_session(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADT, (uint16_t)(r->session_id ^ 0x5a5a));
	frame_string_tag(f, PPPOE_TAG_GENERIC_ERROR, "rogue: PADT for another session");
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void padt_malformed(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADT, r->session_id);
	frame_tag(f, PPPOE_TAG_GENERIC_ERROR, 900, "x", 1);
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void padt_from_ac(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADT, r->session_id);
	frame_string_tag(f, PPPOE_TAG_GENERIC_ERROR, "lab: the AC ends the session");
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

/*
 * An LCP Configure-Ack with MRU 64 from our AC's MAC in our session.  It
 * answers no Configure-Request (pppd's first has identifier 1, answered
 * long ago), and pppd ignores it; so must a client that learns the MRU
 * from LCP.
 */
static void lcp_ack_mru64(struct frame *f, const struct rogue *r)
{
	static const uint8_t lcp[] = {
		0xc0, 0x21,                      /* LCP */
		2, 1, 0, 8,                      /* Configure-Ack, identifier 1, length 8 */
		1, 4, 0, 64,                     /* MRU 64 */
	};

	session_begin(f, r->client_mac, r->ac_mac, 0x11, 0, r->session_id);
	frame_bytes(f, lcp, sizeof(lcp));
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

static void padm_from_ac(struct frame *f, const struct rogue *r)
{
	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADM, r->session_id);
	frame_string_tag(f, PPPOE_TAG_MOTM, "rogue: PADM flood");
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

/* RFC 4937: destination 10.99.0.0/16 via 0.0.0.0, metric 1. */
static void padn_from_ac(struct frame *f, const struct rogue *r)
{
	static const uint8_t route[] = { 10, 99, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	offer_begin(f, r, r->ac_mac, PPPOE_CODE_PADN, r->session_id);
	frame_tag_ok(f, PPPOE_TAG_IP_ROUTE_ADD, route, sizeof(route));
	pppoe_length_fix(f, 0);
	frame_pad(f);
}

struct session_case {
	const char *name;
	void (*build)(struct frame *f, const struct rogue *r);
	bool jumbo;
	const char *client_must;
};

static const struct session_case session_cases[] = {
	{ "padt-other-mac", padt_other_mac, false,
	  "ignore it: PADT for our session from a MAC that is not our AC" },
	{ "padt-other-session", padt_other_session, false,
	  "ignore it: PADT from our AC's MAC for another session id" },
	{ "padt-malformed", padt_malformed, false,
	  "ignore it: PADT from our AC's MAC, our session, a tag running past the frame" },
	{ "sess-other-mac", sess_other_mac, false,
	  "drop it (our session id from a MAC that is not our AC)" },
	{ "sess-other-id", sess_other_id, false, "drop it (another session id)" },
	{ "sess-truncated", sess_truncated, false, "drop it (17 bytes: no PPPoE header)" },
	{ "sess-truncated-payload", sess_truncated_payload, false,
	  "drop it (PPPoE length 62, 9 bytes follow)" },
	{ "sess-length-past-frame", sess_length_past_frame, false,
	  "drop it (PPPoE length 100 bytes past the frame)" },
	{ "sess-length-short-other-mac", sess_length_short_other_mac, false,
	  "drop it (PPPoE length 40 bytes short of the frame, not from our AC)" },
	{ "sess-length-zero", sess_length_zero, false, "drop it (PPPoE length 0)" },
	{ "sess-bad-version", sess_bad_version, false, "drop it (version/type 1/2)" },
	{ "sess-bad-code", sess_bad_code, false, "drop it (code PADO on the session ethertype)" },
	{ "sess-broadcast", sess_broadcast, false, "drop it (our session, sent to broadcast)" },
	{ "sess-jumbo-other-mac", sess_jumbo_other_mac, true,
	  "drop it (a jumbo frame, our session id, not from our AC)" },
	{ "sess-jumbo-ac", sess_jumbo_ac, true,
	  "never pass a frame larger than the link's MRU to pppd (from our AC's MAC)" },
	{ "sess-valid-from-ac", sess_valid_from_ac, false,
	  "relay it (the control: a valid frame from our AC)" },
	{ "lcp-ack-mru64", lcp_ack_mru64, false,
	  "keep its clamp: an LCP Configure-Ack (MRU 64) from our AC's MAC that answers no request" },
	{ "padm-from-ac", padm_from_ac, false,
	  "log a few, not a line each: PADMs from our AC's MAC for our session" },
	{ "padn-from-ac", padn_from_ac, false,
	  "log a few, not a line each: PADNs from our AC's MAC for our session" },
	{ "padt-from-ac", padt_from_ac, false, "end the session: PADT from our AC for our session" },
};

#define SESSION_CASE_COUNT (sizeof(session_cases) / sizeof(session_cases[0]))

void session_cases_print(void)
{
	for (size_t i = 0; i < SESSION_CASE_COUNT; i++)
		printf("session %s: %s\n", session_cases[i].name, session_cases[i].client_must);
}

/* ---- the actions: one case, -n times; sniff ---- */

int action_session(struct rogue *r, const char *name)
{
	static struct frame f;
	const struct session_case *c = NULL;
	struct pacer pacer;

	for (size_t i = 0; i < SESSION_CASE_COUNT; i++)
		if (strcmp(session_cases[i].name, name) == 0)
			c = &session_cases[i];
	if (c == NULL) {
		fprintf(stderr, "rogue: no session case '%s' (rogue cases lists them)\n", name);
		return 2;
	}
	if (!r->have_client || !r->have_ac || !r->have_session) {
		fprintf(stderr, "rogue: session cases need -c, -a and -S\n");
		return 2;
	}
	if (c->jumbo && r->mtu <= 1500) {
		printf("skip %s: %s has MTU %u, no room for a jumbo frame\n", name, r->interface, r->mtu);
		return 77;
	}
	c->build(&f, r);
	pacer_start(&pacer, r->rate);
	for (unsigned long i = 0; i < r->count; i++)
		pacer_send(&pacer, r, i, f.b, f.len);
	printf("sent %s: %lu frames of %zu bytes (%lu failed%s%s)\n", name, pacer.sent, f.len,
	       pacer.failed, pacer.failed ? ": " : "", pacer.failed ? strerror(pacer.last_errno) : "");
	return pacer.failed == 0 ? 0 : 1;
}

int action_sniff(struct rogue *r)
{
	static uint8_t buf[ROGUE_FRAME_MAX];
	int fd = listen_socket(r, PPPOE_ETHERTYPE_SESSION);
	uint64_t deadline = now_ns() + (uint64_t)r->wait_s * 1000000000u;
	ssize_t got;

	if (fd < 0 || !r->have_client) {
		fprintf(stderr, "rogue: sniff needs -c and a packet socket\n");
		return 2;
	}
	/* Frames from the client to its AC: the destination is the AC. */
	while ((got = receive_until(fd, buf, sizeof(buf), deadline)) > 0) {
		char mac[18];

		if ((size_t)got < PPPOE_FRAME_HEADER_LEN ||
		    memcmp(buf + PPPOE_MAC_LEN, r->client_mac, PPPOE_MAC_LEN) != 0 ||
		    buf[PPPOE_ETH_HEADER_LEN] != 0x11 || buf[PPPOE_ETH_HEADER_LEN + 1] != 0)
			continue;
		format_mac(buf, mac);
		printf("session %u ac %s\n", get_be16(buf + PPPOE_ETH_HEADER_LEN + 2), mac);
		close(fd);
		return 0;
	}
	close(fd);
	printf("no session frame from the client within %lu s\n", r->wait_s);
	return 1;
}
