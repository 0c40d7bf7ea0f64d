/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hostile frames (host_relay.h): forged and malformed session frames, and
 * PADTs that are not from our AC for our session, must change nothing.
 */
#include <string.h>

#include "byte_order.h"
#include "host_relay.h"
#include "ppp.h"

/* Locally administered addresses for the forgeries: never either veth end. */
static const uint8_t intruder_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x66 };
static const uint8_t bystander_mac[PPPOE_MAC_LEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x77 };

/* A frame that must never reach pppd, however it is malformed. */
struct hostile_frame {
	const char *description;
	uint8_t frame[128];
	size_t len;
};

/*
 * After a frame that should not have reached pppd did: read on up to the
 * expected IPv4 packet, so that the next case starts with an empty pty.
 */
static void pppd_skip_to(struct client *client, const uint8_t *packet, size_t len)
{
	uint8_t got[PACKET_MAX];

	for (int i = 0; i < 4; i++) {
		size_t got_len = pppd_receive(client, SILENCE_MS, got, sizeof(got));
		if (got_len == 0 || (got_len == len + 4 && memcmp(got + 4, packet, len) == 0))
			return;
	}
}

/* Append a forgery carrying packet as if in our session, for the caller to spoil. */
static struct hostile_frame *hostile_add(struct hostile_frame *list, size_t *count,
					 const char *description, const struct lab *lab,
					 const uint8_t *source, uint16_t session_id,
					 const uint8_t *packet, size_t packet_len)
{
	struct hostile_frame *hostile = &list[(*count)++];

	hostile->description = description;
	hostile->len = session_frame_build(lab, source, session_id, PPP_PROTOCOL_IPV4, packet, packet_len,
					   hostile->frame, sizeof(hostile->frame));
	return hostile;
}

/*
 * h: each forgery, then a marker frame from the real AC.  The relay handles a
 * socket's frames in order, so if the forgery had been relayed pppd would see
 * it before the marker.
 */
void hostile_frame_cases(struct lab *lab, struct client *client)
{
	struct hostile_frame cases[8], *hostile;
	uint8_t packet[PACKET_MAX];
	size_t packet_len = marker_build(0xbad0bad0u, true, packet, sizeof(packet));
	size_t n = 0;

	hostile_add(cases, &n, "our session id from a MAC that is not the AC", lab, intruder_mac,
		    AC_SESSION_ID, packet, packet_len);
	hostile_add(cases, &n, "another session id from the AC", lab, lab->ac_mac, AC_SESSION_ID + 1,
		    packet, packet_len);
	hostile = hostile_add(cases, &n, "PPPoE length runs 64 bytes past the frame", lab, lab->ac_mac,
			      AC_SESSION_ID, packet, packet_len);
	put_be16(hostile->frame + PPPOE_LENGTH_AT, (uint16_t)(hostile->len - PPPOE_PAYLOAD_AT + 64));
	hostile = hostile_add(cases, &n, "truncated inside the PPPoE header (18 bytes)", lab, lab->ac_mac,
			      AC_SESSION_ID, packet, packet_len);
	hostile->len = 18;
	hostile = hostile_add(cases, &n, "cut after one payload byte, length says more", lab,
			      lab->ac_mac, AC_SESSION_ID, packet, packet_len);
	hostile->len = PPPOE_PAYLOAD_AT + 1;
	hostile = hostile_add(cases, &n, "addressed to another station", lab, lab->ac_mac, AC_SESSION_ID,
			      packet, packet_len);
	memcpy(hostile->frame + ETH_DEST_AT, bystander_mac, PPPOE_MAC_LEN);
	hostile = hostile_add(cases, &n, "with PPPoE version 2", lab, lab->ac_mac, AC_SESSION_ID, packet,
			      packet_len);
	hostile->frame[PPPOE_VERSION_TYPE_AT] = 0x21;
	hostile = hostile_add(cases, &n, "with the session ethertype but a PADT code", lab, lab->ac_mac,
			      AC_SESSION_ID, packet, packet_len);
	hostile->frame[PPPOE_CODE_AT] = PPPOE_CODE_PADT;

	for (size_t i = 0; i < n; i++) {
		uint8_t marker[PACKET_MAX], got[PACKET_MAX];
		size_t marker_len = marker_build(0x4d000000u + (uint32_t)i, true, marker, sizeof(marker));
		size_t got_len;
		bool ok = cases[i].len > 0 && ac_send(lab, cases[i].frame, cases[i].len);

		got_len = ok ? relay_inbound(lab, client, PPP_PROTOCOL_IPV4, marker, marker_len, got, sizeof(got)) : 0;
		if (ok && (got_len != marker_len || memcmp(got, marker, marker_len) != 0)) {
			diag("pppd's next frame was not the marker that followed the forgery");
			ok = false;
			pppd_skip_to(client, marker, marker_len);
		} else if (got_len == 0) {
			ok = false;
		}
		tap(ok, "session frame %s: not delivered to pppd", cases[i].description);
	}
}

/* A PADT that is not from our AC for our session must leave the session up. */
void spoofed_padt_cases(struct lab *lab, struct client *client)
{
	static const struct {
		const char *description;
		bool from_intruder;
		uint16_t session_id;
	} spoofs[] = {
		{ "from another MAC for our session", true, AC_SESSION_ID },
		{ "from the AC for another session", false, AC_SESSION_ID + 1 },
	};

	for (size_t i = 0; i < sizeof(spoofs) / sizeof(spoofs[0]); i++) {
		uint8_t padt[PACKET_MAX], packet[PACKET_MAX], got[PACKET_MAX];
		struct pppoe_builder builder;
		size_t padt_len, packet_len;
		bool ok;

		pppoe_builder_begin(&builder, padt, sizeof(padt), lab->client_mac,
				    spoofs[i].from_intruder ? intruder_mac : lab->ac_mac,
				    PPPOE_ETHERTYPE_DISCOVERY, PPPOE_CODE_PADT, spoofs[i].session_id);
		pppoe_builder_add_tag(&builder, PPPOE_TAG_GENERIC_ERROR, "spoofed", 7);
		padt_len = pppoe_builder_finish(&builder);
		ok = padt_len > 0 && ac_send(lab, padt, padt_len);
		/* PADT and session frames use different sockets: give a wrongly
		 * accepted PADT time to end the program before probing. */
		sleep_ms(SILENCE_MS);
		if (ok && !client_running(client)) {
			diag("the program exited after the spoofed PADT");
			ok = false;
		}
		packet_len = marker_build(0x5a000000u + (uint32_t)i, false, packet, sizeof(packet));
		ok = ok && passes_unchanged(lab, client, OUTBOUND, PPP_PROTOCOL_IPV4, packet, packet_len);
		packet_len = marker_build(0x5b000000u + (uint32_t)i, true, packet, sizeof(packet));
		ok = ok && relay_inbound(lab, client, PPP_PROTOCOL_IPV4, packet, packet_len, got, sizeof(got)) == packet_len;
		tap(ok, "PADT %s: ignored, the session still relays both ways", spoofs[i].description);
	}
}

