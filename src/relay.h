/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The session data path, frame by frame and without I/O: PPP frames from
 * pppd become PPPoE session frames to the access concentrator and back, with
 * the MSS clamp applied in both directions and LCP watched for the MTU/MRU.
 * The I/O shell (relay_loop.c, the plugin's relay child) owns the sockets and
 * the HDLC stream and calls these per frame.
 */
#ifndef PPPOE_MSS_RELAY_H
#define PPPOE_MSS_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clamp.h"
#include "clamp_policy.h"
#include "lcp_snoop.h"
#include "ppp.h"
#include "pppoe.h"

/* Writable bytes a caller keeps in front of an outbound PPP frame, so the
 * Ethernet + PPPoE header is written in place instead of copying the frame. */
#define RELAY_HEADROOM PPPOE_FRAME_HEADER_LEN

struct relay_config {
	uint8_t our_mac[PPPOE_MAC_LEN];
	uint8_t ac_mac[PPPOE_MAC_LEN];
	uint16_t session_id;
	struct pppoe_ethertypes ethertypes;
	/* The largest PPP MTU/MRU the Ethernet link carries (pppoe_link_mtu()):
	 * a ceiling for what LCP negotiates, not what it negotiated. */
	uint16_t link_mtu;
	struct clamp_policy policy;
};

enum relay_drop_reason {
	RELAY_DROP_NOT_SESSION,      /* not a session frame, bad header, or PPPoE length past the frame */
	RELAY_DROP_NOT_TO_US,        /* destination is not our MAC */
	RELAY_DROP_WRONG_AC,         /* our session id, but not from our AC */
	RELAY_DROP_WRONG_SESSION,    /* another session id (whoever sent it) */
	RELAY_DROP_EMPTY,            /* no room for a PPP protocol field */
	RELAY_DROP_TOO_BIG,          /* information field larger than link_mtu */
	RELAY_DROP_PPPD_BUSY,        /* pppd was not reading: its queue on the pty was full */
	RELAY_DROP_SOCKET_FULL,      /* pppd was not reading: the kernel's queue on the session socket was full */
	RELAY_DROP_COUNT,
};

struct relay_counters {
	uint64_t frames[PPP_DIRECTION_COUNT];
	uint64_t bytes[PPP_DIRECTION_COUNT];        /* PPP bytes */
	uint64_t clamped[PPP_DIRECTION_COUNT][MSS_FAMILY_COUNT];
	uint64_t malformed_ip[PPP_DIRECTION_COUNT]; /* relayed untouched: the clamp could not read them */
	uint64_t dropped[RELAY_DROP_COUNT];
};

struct relay {
	struct relay_config config;
	struct lcp_snoop lcp;
	bool mtu_mru_from_pppd;      /* MTU/MRU come from pppd, not from the LCP snoop */
	unsigned mtu;
	unsigned mru;
	struct clamp_limits limits;
	unsigned limits_generation;  /* bumped whenever limits change, for the caller to log */
	struct relay_counters counters;
};

void relay_init(struct relay *relay, const struct relay_config *config);

/*
 * Use the MTU/MRU pppd negotiated (the plugin's send_config/recv_config)
 * instead of the LCP snoop; values above link_mtu are capped.
 */
void relay_use_negotiated_mtu_mru(struct relay *relay, unsigned mtu, unsigned mru);

/*
 * pppd -> AC.  ppp is a PPP frame as pppd wrote it (address/control optional)
 * with RELAY_HEADROOM writable bytes in front.  On success returns the length
 * of the Ethernet frame now at *eth_frame; 0 when dropped (counted).
 */
size_t relay_outbound(struct relay *relay, uint8_t *ppp, size_t len, uint8_t **eth_frame);

/*
 * AC -> pppd.  frame is a received Ethernet frame of len bytes (modified in
 * place).  On success returns the length of the PPP frame, with address and
 * control fields, now at *ppp; 0 when the frame is not ours (counted).
 */
size_t relay_inbound(struct relay *relay, uint8_t *frame, size_t len, uint8_t **ppp);

/* The longest PPP frame relay_inbound() returns: what room to keep for one. */
size_t relay_inbound_max(const struct relay *relay);

const char *relay_drop_reason_name(enum relay_drop_reason reason);

#endif
