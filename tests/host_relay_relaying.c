/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Relaying through the program, both ways (host_relay.h): "pppd" writes a
 * PPP frame and the AC must receive it in our session, the AC sends one and
 * "pppd" must read it; and a whole session, started and seen to relay.
 */
#include <string.h>
#include <sys/wait.h>

#include "byte_order.h"
#include "host_relay.h"
#include "ppp.h"

#define PPPOE_SESSION_OVERHEAD 8  /* PPPoE header + PPP protocol field */
/* Without RFC 4638's PPP-Max-Payload (the fake AC never offers it) a session
 * carries a standard Ethernet payload, whatever the NIC's MTU. */
#define STANDARD_ETHERNET_MTU 1500

size_t ppp_frame_build(uint16_t protocol, const uint8_t *payload, size_t len, uint8_t *out,
		       size_t capacity)
{
	if (len + 4 > capacity)
		return 0;
	out[0] = 0xff;  /* address and control, as pppd writes them on a pty */
	out[1] = 0x03;
	put_be16(out + 2, protocol);
	memcpy(out + 4, payload, len);
	return len + 4;
}

/*
 * The next session frame at the AC, which must belong to our session and go
 * from the client's MAC to the AC's.  Returns its PPPoE payload (the PPP
 * frame from the protocol field on) copied to ppp, 0 on failure.
 */
size_t ac_receive_session(const struct lab *lab, uint8_t *ppp, size_t capacity)
{
	uint8_t frame[PACKET_MAX];
	size_t frame_len = ac_receive(lab, PPPOE_ETHERTYPE_SESSION, STEP_TIMEOUT_MS, frame, sizeof(frame));
	int pppoe_len;

	if (frame_len == 0) {
		diag("nothing reached the AC within %d ms", STEP_TIMEOUT_MS);
		return 0;
	}
	pppoe_len = pppoe_payload_length(frame, frame_len);
	if (pppoe_len < 1 || frame[PPPOE_CODE_AT] != PPPOE_CODE_SESSION ||
	    get_be16(frame + PPPOE_SESSION_AT) != AC_SESSION_ID ||
	    memcmp(frame + ETH_DEST_AT, lab->ac_mac, PPPOE_MAC_LEN) != 0 ||
	    memcmp(frame + ETH_SOURCE_AT, lab->client_mac, PPPOE_MAC_LEN) != 0) {
		diag("bad session frame: %s -> %s, ver/type 0x%02x, code 0x%02x, session 0x%04x, length %d of %zu",
		     mac_text(frame + ETH_SOURCE_AT), mac_text(frame + ETH_DEST_AT),
		     frame[PPPOE_VERSION_TYPE_AT], frame[PPPOE_CODE_AT], get_be16(frame + PPPOE_SESSION_AT),
		     pppoe_len, frame_len);
		return 0;
	}
	if ((size_t)pppoe_len > capacity)
		return 0;
	memcpy(ppp, frame + PPPOE_PAYLOAD_AT, (size_t)pppoe_len);
	return (size_t)pppoe_len;
}

/*
 * "pppd" sends protocol + payload; the AC must receive it in our session
 * without address and control.  Returns the payload length as received
 * (copied to received), 0 on failure.
 */
size_t relay_outbound(struct lab *lab, struct client *client, uint16_t protocol,
		      const uint8_t *payload, size_t len, uint8_t *received, size_t capacity)
{
	uint8_t ppp[PACKET_MAX], got[PACKET_MAX];
	size_t ppp_len = ppp_frame_build(protocol, payload, len, ppp, sizeof(ppp));
	size_t got_len;

	if (ppp_len == 0 || !pppd_send(client, ppp, ppp_len))
		return 0;
	got_len = ac_receive_session(lab, got, sizeof(got));
	if (got_len == 0)
		return 0;
	/* RFC 2516 section 7: no address/control field inside PPPoE. */
	if (got_len < 2 || get_be16(got) != protocol) {
		diag("session payload starts %02x %02x, expected protocol 0x%04x", got[0],
		     got_len > 1 ? got[1] : 0, protocol);
		return 0;
	}
	if (got_len - 2 > capacity)
		return 0;
	memcpy(received, got + 2, got_len - 2);
	return got_len - 2;
}

/* A session frame from the AC to the client: protocol + payload, for session_id. */
size_t session_frame_build(const struct lab *lab, const uint8_t *source, uint16_t session_id,
			   uint16_t protocol, const uint8_t *payload, size_t len, uint8_t *out,
			   size_t capacity)
{
	if (PPPOE_PAYLOAD_AT + 2 + len > capacity)
		return 0;
	pppoe_session_header_write(out, lab->client_mac, source, PPPOE_ETHERTYPE_SESSION, session_id,
				   (uint16_t)(len + 2));
	put_be16(out + PPPOE_PAYLOAD_AT, protocol);
	memcpy(out + PPPOE_PAYLOAD_AT + 2, payload, len);
	return PPPOE_PAYLOAD_AT + 2 + len;
}

/*
 * The AC sends protocol + payload in our session; "pppd" must read it as
 * FF 03 + protocol + payload.  Returns the payload length as received, 0 on
 * failure.
 */
size_t relay_inbound(struct lab *lab, struct client *client, uint16_t protocol,
		     const uint8_t *payload, size_t len, uint8_t *received, size_t capacity)
{
	uint8_t frame[PACKET_MAX], ppp[PACKET_MAX];
	size_t frame_len = session_frame_build(lab, lab->ac_mac, AC_SESSION_ID, protocol, payload, len,
					       frame, sizeof(frame));
	size_t ppp_len;

	if (frame_len == 0 || !ac_send(lab, frame, frame_len))
		return 0;
	ppp_len = pppd_receive(client, STEP_TIMEOUT_MS, ppp, sizeof(ppp));
	if (ppp_len == 0) {
		diag("nothing reached pppd within %d ms", STEP_TIMEOUT_MS);
		return 0;
	}
	if (ppp_len < 4 || ppp[0] != 0xff || ppp[1] != 0x03 || get_be16(ppp + 2) != protocol) {
		diag("pppd got a %zu-byte frame starting %02x %02x %02x %02x, expected ff 03 + 0x%04x",
		     ppp_len, ppp[0], ppp_len > 1 ? ppp[1] : 0, ppp_len > 2 ? ppp[2] : 0,
		     ppp_len > 3 ? ppp[3] : 0, protocol);
		return 0;
	}
	if (ppp_len - 4 > capacity)
		return 0;
	memcpy(received, ppp + 4, ppp_len - 4);
	return ppp_len - 4;
}


const char *direction_name(enum direction dir)
{
	return dir == OUTBOUND ? "pppd -> AC" : "AC -> pppd";
}

size_t relay(struct lab *lab, struct client *client, enum direction dir, uint16_t protocol,
	     const uint8_t *payload, size_t len, uint8_t *received, size_t capacity)
{
	if (dir == OUTBOUND)
		return relay_outbound(lab, client, protocol, payload, len, received, capacity);
	return relay_inbound(lab, client, protocol, payload, len, received, capacity);
}

/* One SYN through the relay, checked; a TAP line. */
bool syn_case(struct lab *lab, struct client *client, enum direction dir, int ip_version,
	      uint16_t offered_mss, uint16_t expected_mss, const char *why)
{
	uint8_t sent[PACKET_MAX], got[PACKET_MAX];
	size_t sent_len = syn_build(ip_version, dir == INBOUND, offered_mss, sent, sizeof(sent));
	size_t got_len = relay(lab, client, dir, ip_version == 4 ? PPP_PROTOCOL_IPV4 : PPP_PROTOCOL_IPV6, sent, sent_len,
			       got, sizeof(got));
	bool ok = got_len > 0 && syn_arrived_as_expected(sent, sent_len, got, got_len, expected_mss);

	return tap(ok, "%s: IPv%d %s with MSS %u arrives with MSS %u and a valid checksum (%s)",
		   direction_name(dir), ip_version, dir == INBOUND ? "SYN-ACK" : "SYN", offered_mss,
		   expected_mss, why);
}

/* A segment that must pass without a single byte changed. */
bool passes_unchanged(struct lab *lab, struct client *client, enum direction dir,
		      uint16_t protocol, const uint8_t *packet, size_t len)
{
	uint8_t got[PACKET_MAX];
	size_t got_len = relay(lab, client, dir, protocol, packet, len, got, sizeof(got));

	if (got_len == 0)
		return false;
	if (got_len != len || memcmp(got, packet, len) != 0) {
		diag("%zu bytes sent, %zu arrived, %s", len, got_len,
		     got_len == len ? "contents differ" : "lengths differ");
		return false;
	}
	return true;
}

/*
 * The largest PPP frame the session carries: the client's MTU less PPPoE's 8
 * bytes, and never more than a standard Ethernet payload allows, since the
 * fake AC does not offer RFC 4638.
 */
uint16_t link_max_payload(const struct lab *lab)
{
	unsigned mtu = lab->client_mtu < STANDARD_ETHERNET_MTU ? lab->client_mtu : STANDARD_ETHERNET_MTU;

	return (uint16_t)(mtu - PPPOE_SESSION_OVERHEAD);
}

/* One marker each way: the session is up and relaying. */
bool session_relays(struct lab *lab, struct client *client, uint32_t marker)
{
	uint8_t packet[PACKET_MAX];
	size_t len = marker_build(marker, false, packet, sizeof(packet));

	if (!passes_unchanged(lab, client, OUTBOUND, PPP_PROTOCOL_IPV4, packet, len))
		return false;
	len = marker_build(marker + 1, true, packet, sizeof(packet));
	return passes_unchanged(lab, client, INBOUND, PPP_PROTOCOL_IPV4, packet, len);
}

/*
 * Start with the pty, answer discovery, see a frame pass each way.  When
 * that fails: a failed TAP line "<what>: session established", and the
 * client finished.
 */
bool session_start(struct lab *lab, struct client *client, const char *name,
		   const char *const args[], uint32_t marker, const char *what)
{
	ac_drain(lab);
	if (client_start(lab, client, name, true, args) && ac_negotiate(lab, NULL, false) &&
	    session_relays(lab, client, marker))
		return true;
	tap(false, "%s: session established", what);
	client_finish(client);
	return false;
}

/*
 * After what should end the session (a signal to the program or to its
 * worker): a PADT within the deadline, then the program exits with
 * exit_status.  Two TAP lines, each led by what.
 */
void session_ends_with_padt(struct lab *lab, struct client *client, const char *what, int exit_status)
{
	int status = 0;

	tap(ac_expect_padt(lab, AC_SESSION_ID, PADT_DEADLINE_MS),
	    "%s: the AC receives a PADT for session 0x%04x within %d ms", what, AC_SESSION_ID,
	    PADT_DEADLINE_MS);
	bool exited = client_wait(client, PADT_DEADLINE_MS, &status);
	if (exited)
		describe_status(status);
	tap(exited && WIFEXITED(status) && WEXITSTATUS(status) == exit_status,
	    "%s: the program exits with status %d", what, exit_status);
}

