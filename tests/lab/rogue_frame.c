// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/lab/rogue: frames written as bytes, with whatever lengths a case asks for. */
#include <string.h>

#include "byte_order.h"
#include "rogue.h"

void frame_begin(struct frame *f, const uint8_t *dest, const uint8_t *source,
		 uint16_t ethertype)
{
	memset(f->b, 0, sizeof(f->b));
	memcpy(f->b, dest, PPPOE_MAC_LEN);
	memcpy(f->b + PPPOE_MAC_LEN, source, PPPOE_MAC_LEN);
	put_be16(f->b + 12, ethertype);
	f->len = PPPOE_ETH_HEADER_LEN;
}

void frame_bytes(struct frame *f, const void *data, size_t len)
{
	if (len > sizeof(f->b) - f->len)
		len = sizeof(f->b) - f->len;
	if (data != NULL)
		memcpy(f->b + f->len, data, len);
	f->len += len;
}

void frame_byte(struct frame *f, uint8_t value)
{
	frame_bytes(f, &value, 1);
}

void frame_u16(struct frame *f, uint16_t value)
{
	uint8_t bytes[2];

	put_be16(bytes, value);
	frame_bytes(f, bytes, 2);
}

/* The PPPoE header with its length still 0: pppoe_length_fix fills it. */
void frame_pppoe(struct frame *f, uint8_t version_type, uint8_t code, uint16_t session)
{
	frame_byte(f, version_type);
	frame_byte(f, code);
	frame_u16(f, session);
	frame_u16(f, 0);
}

/* The PPPoE length: what follows the header, plus a lie (which may be negative). */
void pppoe_length_fix(struct frame *f, long lie)
{
	long len = (long)f->len - PPPOE_FRAME_HEADER_LEN + lie;

	put_be16(f->b + PPPOE_ETH_HEADER_LEN + 4, (uint16_t)(len < 0 ? 0 : len));
}

/* A tag whose length field says declared while value_len bytes follow. */
void frame_tag(struct frame *f, uint16_t type, uint16_t declared, const void *value,
	       size_t value_len)
{
	frame_u16(f, type);
	frame_u16(f, declared);
	frame_bytes(f, value, value_len);
}

void frame_tag_ok(struct frame *f, uint16_t type, const void *value, size_t len)
{
	frame_tag(f, type, (uint16_t)len, value, len);
}

void frame_string_tag(struct frame *f, uint16_t type, const char *text)
{
	frame_tag_ok(f, type, text, strlen(text));
}

/* Pad a frame to Ethernet's minimum of 60 bytes, as a NIC would. */
void frame_pad(struct frame *f)
{
	if (f->len < 60)
		f->len = 60;
}

/* ---- the headers every case starts with ---- */

/* A discovery frame to the client. */
void offer_begin(struct frame *f, const struct rogue *r, const uint8_t *source,
		 uint8_t code, uint16_t session)
{
	frame_begin(f, r->client_mac, source, PPPOE_ETHERTYPE_DISCOVERY);
	frame_pppoe(f, 0x11, code, session);
}

void session_begin(struct frame *f, const uint8_t *dest, const uint8_t *source,
		   uint8_t version_type, uint8_t code, uint16_t session)
{
	frame_begin(f, dest, source, PPPOE_ETHERTYPE_SESSION);
	frame_pppoe(f, version_type, code, session);
}
