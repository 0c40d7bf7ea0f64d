/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Learning the negotiated MRU of each side by watching LCP (RFC 1661) pass
 * through the relay, so that the standalone program can derive clamp limits
 * without pppd's help.  A Configure-Ack carries the options of the side that
 * requested them: the one the AC sends acknowledges pppd's MRU (what we can
 * receive), the one pppd sends acknowledges the AC's MRU (what we may send).
 * An Ack counts only when it answers the last Configure-Request seen in the
 * other direction, as pppd takes it (RFC 1661 section 5.2): anyone on the
 * segment can send frames as the AC, and pppd ignores an Ack that answers
 * nothing.
 */
#ifndef PPPOE_MSS_LCP_SNOOP_H
#define PPPOE_MSS_LCP_SNOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp.h"

/*
 * The longest option list of a Configure-Request we remember.  pppd builds
 * its packets in buffers of the default MRU, so it can neither send nor
 * acknowledge a longer one; an Ack of a Request longer than this matches
 * nothing.
 */
#define LCP_SNOOP_OPTIONS_MAX (LCP_DEFAULT_MRU - 4)

/* The last Configure-Request seen in one direction: what an Ack must echo. */
struct lcp_request {
	bool valid;                               /* seen, and short enough to keep */
	uint8_t id;
	uint16_t options_len;
	uint8_t options[LCP_SNOOP_OPTIONS_MAX];
};

struct lcp_snoop {
	uint16_t max_payload;  /* the PPPoE cap: Ethernet MTU - 8, or RFC 4638's PPP-Max-Payload */
	uint16_t our_mru;      /* acknowledged by the AC; LCP_DEFAULT_MRU until then */
	uint16_t peer_mru;     /* acknowledged by pppd; LCP_DEFAULT_MRU until then */
	unsigned acks_seen;    /* Configure-Acks taken, both directions (renegotiation counts again) */
	uint64_t acks_unmatched;  /* Configure-Acks that answered no Request seen: ignored */
	uint64_t malformed;    /* LCP packets too broken to read */
	struct lcp_request request[PPP_DIRECTION_COUNT];
};

void lcp_snoop_init(struct lcp_snoop *snoop, uint16_t max_payload);

enum lcp_snoop_event {
	LCP_SNOOP_NONE,
	LCP_SNOOP_MRU_CHANGED,  /* lcp_snoop_mtu/mru may have changed: recompute the limits */
};

/*
 * Look at one PPP frame (starting at the protocol field, no address/control)
 * travelling in direction dir.  Never modifies it.
 */
enum lcp_snoop_event lcp_snoop_frame(struct lcp_snoop *snoop, const uint8_t *ppp, size_t len,
				     enum ppp_direction dir);

/* What we may send (the AC's MRU) and what we can receive, capped by max_payload. */
uint16_t lcp_snoop_mtu(const struct lcp_snoop *snoop);
uint16_t lcp_snoop_mru(const struct lcp_snoop *snoop);

#endif
