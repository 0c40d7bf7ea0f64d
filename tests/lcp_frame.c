/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LCP packets for test_lcp_snoop (lcp_frame.h). */
#include "lcp_frame.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "byte_order.h"

const uint8_t typical_options[24] = {
	1, 4, 0x05, 0xd4,
	2, 6, 0x00, 0x00, 0x00, 0x00,
	3, 4, 0xc0, 0x23,
	5, 6, 0x12, 0x34, 0x56, 0x78,
	7, 2,
	8, 2,
};

void lcp_packet(struct frame *f, uint8_t code, uint8_t id, const uint8_t *options,
		size_t options_len)
{
	ck_assert_uint_le(2 + 4 + options_len, FRAME_MAX);
	memset(f, 0, sizeof(*f));
	put_be16(f->bytes, PPP_PROTOCOL_LCP);
	f->bytes[2] = code;
	f->bytes[3] = id;
	put_be16(f->bytes + 4, (uint16_t)(4 + options_len));
	if (options_len)
		memcpy(f->bytes + 6, options, options_len);
	f->len = 2 + 4 + options_len;
}

void lcp_frame(struct frame *f, uint8_t code, const uint8_t *options, size_t options_len)
{
	lcp_packet(f, code, LCP_ID, options, options_len);
}

void mru_option(uint8_t options[4], uint16_t mru)
{
	options[0] = 1;
	options[1] = 4;
	put_be16(options + 2, mru);
}

void ack_with_mru(struct frame *f, uint16_t mru)
{
	uint8_t options[4];

	mru_option(options, mru);
	lcp_frame(f, CONFIGURE_ACK, options, sizeof(options));
}

enum lcp_snoop_event snoop_bytes(struct lcp_snoop *snoop, const uint8_t *bytes, size_t len,
				 enum ppp_direction dir)
{
	uint8_t *copy = malloc(len);
	enum lcp_snoop_event event;

	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy, bytes, len);
	event = lcp_snoop_frame(snoop, copy, len, dir);
	if (len)
		ck_assert_mem_eq(copy, bytes, len);
	free(copy);
	return event;
}

enum lcp_snoop_event snoop(struct lcp_snoop *s, const struct frame *f, enum ppp_direction dir)
{
	return snoop_bytes(s, f->bytes, f->len, dir);
}

enum ppp_direction other_direction(enum ppp_direction dir)
{
	return dir == PPP_INBOUND ? PPP_OUTBOUND : PPP_INBOUND;
}

enum lcp_snoop_event request_for(struct lcp_snoop *s, const struct frame *ack,
				 enum ppp_direction ack_dir)
{
	struct frame request = *ack;

	request.bytes[2] = CONFIGURE_REQUEST;
	return snoop(s, &request, other_direction(ack_dir));
}

enum lcp_snoop_event negotiate(struct lcp_snoop *s, const struct frame *ack,
			       enum ppp_direction ack_dir)
{
	ck_assert_int_eq(request_for(s, ack, ack_dir), LCP_SNOOP_NONE);
	return snoop(s, ack, ack_dir);
}

enum lcp_snoop_event negotiate_mru(struct lcp_snoop *s, uint16_t mru, enum ppp_direction ack_dir)
{
	struct frame f;

	ack_with_mru(&f, mru);
	return negotiate(s, &f, ack_dir);
}

void assert_same_state(const struct lcp_snoop *a, const struct lcp_snoop *b)
{
	ck_assert_uint_eq(a->max_payload, b->max_payload);
	ck_assert_uint_eq(a->our_mru, b->our_mru);
	ck_assert_uint_eq(a->peer_mru, b->peer_mru);
	ck_assert_uint_eq(a->acks_seen, b->acks_seen);
}
