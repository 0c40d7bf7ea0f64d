/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LCP packets written by hand for test_lcp_snoop, and shown to the snoop
 * through exact-size heap copies so that AddressSanitizer catches any read
 * past what was "received".
 */
#ifndef PPPOE_MSS_TEST_LCP_FRAME_H
#define PPPOE_MSS_TEST_LCP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "lcp_snoop.h"

#define FRAME_MAX 128
#define LCP_ID 0x2a

enum lcp_code {
	CONFIGURE_REQUEST = 1,
	CONFIGURE_ACK = 2,
	CONFIGURE_NAK = 3,
	CONFIGURE_REJECT = 4,
	TERMINATE_REQUEST = 5,
	CODE_REJECT = 7,
	ECHO_REQUEST = 9,
};

/* What pppd asks for by default: MRU, ACCM, PAP, magic number, PFC, ACFC. */
extern const uint8_t typical_options[24];

struct frame {
	uint8_t bytes[FRAME_MAX];
	size_t len;
};

/* An LCP packet with the given options, length field correct, in a PPP frame. */
void lcp_packet(struct frame *f, uint8_t code, uint8_t id, const uint8_t *options,
		size_t options_len);
/* The same with identifier LCP_ID. */
void lcp_frame(struct frame *f, uint8_t code, const uint8_t *options, size_t options_len);
void mru_option(uint8_t options[4], uint16_t mru);
/* A Configure-Ack of the MRU option alone. */
void ack_with_mru(struct frame *f, uint16_t mru);

/* Show the snoop len bytes of f through an exact-size copy; the frame must come back unchanged. */
enum lcp_snoop_event snoop_bytes(struct lcp_snoop *snoop, const uint8_t *bytes, size_t len,
				 enum ppp_direction dir);
enum lcp_snoop_event snoop(struct lcp_snoop *s, const struct frame *f, enum ppp_direction dir);
enum ppp_direction other_direction(enum ppp_direction dir);

/*
 * The Configure-Request an Ack travelling in ack_dir answers: the same
 * identifier and options, sent the other way.  Returns what the snoop said
 * to the Request (always nothing).
 */
enum lcp_snoop_event request_for(struct lcp_snoop *s, const struct frame *ack,
				 enum ppp_direction ack_dir);
/* A Configure-Request and the Ack that answers it; the event of the Ack. */
enum lcp_snoop_event negotiate(struct lcp_snoop *s, const struct frame *ack,
			       enum ppp_direction ack_dir);
/* The MRU mru requested and acknowledged: by the AC when ack_dir is inbound. */
enum lcp_snoop_event negotiate_mru(struct lcp_snoop *s, uint16_t mru, enum ppp_direction ack_dir);

void assert_same_state(const struct lcp_snoop *a, const struct lcp_snoop *b);

#endif
