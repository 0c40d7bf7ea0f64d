/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP MSS clamping on PPP frames: lower the MSS option of passing SYN and
 * SYN-ACK segments so that the peer never sends a segment that does not fit
 * the PPPoE link, whether or not ICMP "packet too big" makes it back.
 */
#ifndef PPPOE_MSS_CLAMP_H
#define PPPOE_MSS_CLAMP_H

#include <stddef.h>
#include <stdint.h>

#include "ppp.h"

/* IPv4 + TCP headers without options; IPv6 + TCP. */
#define MSS_IPV4_OVERHEAD 40
#define MSS_IPV6_OVERHEAD 60
/* Never clamp below Linux's TCP_MIN_MSS: a smaller MSS only invites trouble. */
#define MSS_FLOOR 88

enum mss_family {
	MSS_FAMILY_IPV4,
	MSS_FAMILY_IPV6,
	MSS_FAMILY_COUNT,
};

/* The largest MSS allowed per family; 0 leaves that family alone. */
struct mss_limit {
	uint16_t ipv4;
	uint16_t ipv6;
};

enum clamp_result {
	MSS_PASS_NOT_IP,        /* not an IPv4 or IPv6 PPP frame */
	MSS_PASS_NOT_TCP,       /* IP, but no TCP header we may change: other protocol, AH, ESP */
	MSS_PASS_NOT_SYN,
	MSS_PASS_FRAGMENT,      /* fragments are never touched */
	MSS_PASS_NO_MSS,        /* a SYN without MSS option stays that way */
	MSS_PASS_WITHIN_LIMIT,  /* MSS already <= limit: never raised */
	MSS_PASS_DISABLED,      /* limit 0 for this family */
	MSS_PASS_MALFORMED,     /* a length or option that does not add up: frame left untouched */
	MSS_CLAMPED,            /* MSS lowered to the limit, TCP checksum updated */
	MSS_RESULT_COUNT,
};

/*
 * Clamp a PPP frame starting at its protocol field (1 byte when compressed,
 * RFC 1661 PFC, else 2; no address/control field).  len is what was received.
 * *family (may be NULL) is set for IPv4/IPv6 frames.
 */
enum clamp_result clamp_ppp(uint8_t *ppp, size_t len, const struct mss_limit *limit,
			    enum mss_family *family);

/* The same on a bare IPv4 / IPv6 packet of len bytes. */
enum clamp_result clamp_ipv4(uint8_t *packet, size_t len, uint16_t limit);
enum clamp_result clamp_ipv6(uint8_t *packet, size_t len, uint16_t limit);

/* MTU - 40 for IPv4 and MTU - 60 for IPv6, never below MSS_FLOOR. */
struct mss_limit clamp_limit_for_mtu(unsigned mtu);

const char *clamp_result_name(enum clamp_result result);

#endif
