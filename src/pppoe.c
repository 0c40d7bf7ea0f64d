/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PPPoE frame codec (RFC 2516 section 4): the Ethernet + PPPoE headers, the
 * discovery tag list, and building frames.  Every length field is compared
 * with what was actually received before anything behind it is read, and
 * 16-bit fields are assembled byte by byte because a PPPoE header sits at
 * an odd place for any alignment the compiler may assume.
 */
#include <string.h>

#include "byte_order.h"
#include "pppoe.h"

/* Offsets in the 20-byte Ethernet + PPPoE header. */
#define OFFSET_DEST 0
#define OFFSET_SOURCE 6
#define OFFSET_ETHERTYPE 12
#define OFFSET_VERSION_TYPE 14
#define OFFSET_CODE 15
#define OFFSET_SESSION_ID 16
#define OFFSET_LENGTH 18

/* RFC 2516 section 4: VER and TYPE are both 1, packed into one octet. */
#define PPPOE_VERSION_TYPE 0x11
#define PPPOE_TAG_HEADER_LEN 4
#define PPPOE_LENGTH_MAX 0xffffu

const struct pppoe_ethertypes pppoe_standard_ethertypes = {
	.discovery = PPPOE_ETHERTYPE_DISCOVERY,
	.session = PPPOE_ETHERTYPE_SESSION,
};

const uint8_t pppoe_broadcast_mac[PPPOE_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

uint16_t pppoe_link_mtu(unsigned ethernet_mtu, uint16_t requested, uint16_t confirmed)
{
	unsigned carried = ethernet_mtu > PPPOE_FRAME_MAX - PPPOE_ETH_HEADER_LEN
				   ? PPPOE_FRAME_MAX - PPPOE_ETH_HEADER_LEN : ethernet_mtu;
	unsigned mtu = carried > PPPOE_OVERHEAD ? carried - PPPOE_OVERHEAD : 0;
	unsigned allowed = PPPOE_STANDARD_MTU;

	if (requested > PPPOE_STANDARD_MTU && confirmed >= PPPOE_STANDARD_MTU)
		allowed = requested < confirmed ? requested : confirmed;
	return (uint16_t)(mtu < allowed ? mtu : allowed);
}

static void write_header(uint8_t *header, const uint8_t dest[PPPOE_MAC_LEN],
			 const uint8_t source[PPPOE_MAC_LEN], uint16_t ethertype,
			 uint8_t code, uint16_t session_id, uint16_t payload_len)
{
	memcpy(header + OFFSET_DEST, dest, PPPOE_MAC_LEN);
	memcpy(header + OFFSET_SOURCE, source, PPPOE_MAC_LEN);
	put_be16(header + OFFSET_ETHERTYPE, ethertype);
	header[OFFSET_VERSION_TYPE] = PPPOE_VERSION_TYPE;
	header[OFFSET_CODE] = code;
	put_be16(header + OFFSET_SESSION_ID, session_id);
	put_be16(header + OFFSET_LENGTH, payload_len);
}

enum pppoe_parse_status pppoe_frame_parse(const uint8_t *frame, size_t len,
					  const struct pppoe_ethertypes *types,
					  struct pppoe_frame *out)
{
	uint16_t ethertype;
	uint16_t payload_len;

	memset(out, 0, sizeof(*out));
	if (len < PPPOE_FRAME_HEADER_LEN)
		return PPPOE_PARSE_TRUNCATED;

	ethertype = get_be16(frame + OFFSET_ETHERTYPE);
	if (ethertype != types->discovery && ethertype != types->session)
		return PPPOE_PARSE_NOT_PPPOE;
	if (frame[OFFSET_VERSION_TYPE] != PPPOE_VERSION_TYPE)
		return PPPOE_PARSE_BAD_VERSION;

	/*
	 * A shorter length is fine: Ethernet pads small frames to 60 bytes
	 * and the padding is not payload.  A longer one is a lie.
	 */
	payload_len = get_be16(frame + OFFSET_LENGTH);
	if (payload_len > len - PPPOE_FRAME_HEADER_LEN)
		return PPPOE_PARSE_BAD_LENGTH;

	out->dest = frame + OFFSET_DEST;
	out->source = frame + OFFSET_SOURCE;
	out->ethertype = ethertype;
	out->code = frame[OFFSET_CODE];
	out->session_id = get_be16(frame + OFFSET_SESSION_ID);
	out->payload = frame + PPPOE_FRAME_HEADER_LEN;
	out->payload_len = payload_len;
	return PPPOE_PARSE_OK;
}

void pppoe_tags_begin(struct pppoe_tag_cursor *cursor, const uint8_t *payload, size_t len)
{
	cursor->next = payload;
	/* No arithmetic on a NULL payload, even of zero. */
	cursor->end = len ? payload + len : payload;
}

enum pppoe_tag_status pppoe_tags_next(struct pppoe_tag_cursor *cursor, struct pppoe_tag *out)
{
	size_t remaining;
	uint16_t type;
	uint16_t length;

	memset(out, 0, sizeof(*out));
	if (cursor->next == cursor->end)
		return PPPOE_TAG_LIST_END;
	remaining = (size_t)(cursor->end - cursor->next);
	if (remaining < PPPOE_TAG_HEADER_LEN)
		return PPPOE_TAG_MALFORMED;

	type = get_be16(cursor->next);
	length = get_be16(cursor->next + 2);
	/* RFC 2516 appendix A: End-Of-List ends the list; whatever follows is not tags. */
	if (type == PPPOE_TAG_END_OF_LIST) {
		cursor->next = cursor->end;
		return PPPOE_TAG_LIST_END;
	}
	if (length > remaining - PPPOE_TAG_HEADER_LEN)
		return PPPOE_TAG_MALFORMED;

	out->type = type;
	out->length = length;
	out->value = cursor->next + PPPOE_TAG_HEADER_LEN;
	cursor->next += PPPOE_TAG_HEADER_LEN + length;
	return PPPOE_TAG_FOUND;
}

static void record_first_tag(struct pppoe_tag *slot, const struct pppoe_tag *tag)
{
	if (!slot->value)
		*slot = *tag;
}

static void record_discovery_tag(struct pppoe_discovery *msg, const struct pppoe_tag *tag)
{
	switch (tag->type) {
	case PPPOE_TAG_SERVICE_NAME:
		/* A PADO lists every service it offers, one tag each (RFC 2516 5.2). */
		record_first_tag(&msg->service_name, tag);
		msg->service_name_count++;
		break;
	case PPPOE_TAG_AC_NAME:
		record_first_tag(&msg->ac_name, tag);
		break;
	case PPPOE_TAG_HOST_UNIQ:
		record_first_tag(&msg->host_uniq, tag);
		break;
	case PPPOE_TAG_AC_COOKIE:
		record_first_tag(&msg->ac_cookie, tag);
		break;
	case PPPOE_TAG_RELAY_SESSION_ID:
		record_first_tag(&msg->relay_session_id, tag);
		break;
	case PPPOE_TAG_PPP_MAX_PAYLOAD:
		record_first_tag(&msg->ppp_max_payload, tag);
		break;
	case PPPOE_TAG_HURL:
		record_first_tag(&msg->hurl, tag);
		break;
	case PPPOE_TAG_MOTM:
		record_first_tag(&msg->motm, tag);
		break;
	case PPPOE_TAG_SERVICE_NAME_ERROR:
	case PPPOE_TAG_AC_SYSTEM_ERROR:
	case PPPOE_TAG_GENERIC_ERROR:
		record_first_tag(&msg->error, tag);
		break;
	default:
		break;
	}
}

enum pppoe_parse_status pppoe_discovery_parse(const uint8_t *frame, size_t len,
					      const struct pppoe_ethertypes *types,
					      struct pppoe_discovery *out)
{
	enum pppoe_parse_status status;
	enum pppoe_tag_status tag_status;
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;

	memset(out, 0, sizeof(*out));
	status = pppoe_frame_parse(frame, len, types, &out->frame);
	if (status != PPPOE_PARSE_OK)
		return status;
	if (out->frame.ethertype != types->discovery)
		return PPPOE_PARSE_NOT_PPPOE;

	pppoe_tags_begin(&cursor, out->frame.payload, out->frame.payload_len);
	while ((tag_status = pppoe_tags_next(&cursor, &tag)) == PPPOE_TAG_FOUND)
		record_discovery_tag(out, &tag);
	if (tag_status == PPPOE_TAG_MALFORMED)
		return PPPOE_PARSE_BAD_TAGS;
	return PPPOE_PARSE_OK;
}

bool pppoe_discovery_offers_service(const struct pppoe_discovery *msg,
				    const uint8_t *name, size_t len)
{
	struct pppoe_tag_cursor cursor;
	struct pppoe_tag tag;

	if (len == 0)
		return true;
	if (!name)
		return false;

	pppoe_tags_begin(&cursor, msg->frame.payload, msg->frame.payload_len);
	while (pppoe_tags_next(&cursor, &tag) == PPPOE_TAG_FOUND) {
		if (tag.type == PPPOE_TAG_SERVICE_NAME && tag.length == len &&
		    memcmp(tag.value, name, len) == 0)
			return true;
	}
	return false;
}

void pppoe_builder_begin(struct pppoe_builder *builder, uint8_t *buf, size_t capacity,
			 const uint8_t dest[PPPOE_MAC_LEN], const uint8_t source[PPPOE_MAC_LEN],
			 uint16_t ethertype, uint8_t code, uint16_t session_id)
{
	builder->buf = buf;
	builder->capacity = capacity;
	builder->len = 0;
	builder->overflow = false;
	if (capacity < PPPOE_FRAME_HEADER_LEN) {
		builder->overflow = true;
		return;
	}
	/* The length is filled in by pppoe_builder_finish(). */
	write_header(buf, dest, source, ethertype, code, session_id, 0);
	builder->len = PPPOE_FRAME_HEADER_LEN;
}

void pppoe_builder_add_tag(struct pppoe_builder *builder, uint16_t type,
			   const void *value, size_t length)
{
	size_t payload_len;
	size_t tag_len;

	if (builder->overflow)
		return;
	/* Both the tag and the PPPoE payload carry 16-bit length fields. */
	if (length > PPPOE_LENGTH_MAX) {
		builder->overflow = true;
		return;
	}
	payload_len = builder->len - PPPOE_FRAME_HEADER_LEN;
	tag_len = PPPOE_TAG_HEADER_LEN + length;
	if (tag_len > PPPOE_LENGTH_MAX - payload_len ||
	    tag_len > builder->capacity - builder->len) {
		builder->overflow = true;
		return;
	}

	put_be16(builder->buf + builder->len, type);
	put_be16(builder->buf + builder->len + 2, (uint16_t)length);
	/* memcpy() from NULL is undefined even for zero bytes. */
	if (length > 0)
		memcpy(builder->buf + builder->len + PPPOE_TAG_HEADER_LEN, value, length);
	builder->len += tag_len;
}

size_t pppoe_builder_finish(struct pppoe_builder *builder)
{
	if (builder->overflow)
		return 0;
	put_be16(builder->buf + OFFSET_LENGTH, (uint16_t)(builder->len - PPPOE_FRAME_HEADER_LEN));
	return builder->len;
}

void pppoe_session_header_write(uint8_t *header, const uint8_t dest[PPPOE_MAC_LEN],
				const uint8_t source[PPPOE_MAC_LEN], uint16_t ethertype,
				uint16_t session_id, uint16_t payload_len)
{
	write_header(header, dest, source, ethertype, PPPOE_CODE_SESSION, session_id,
		     payload_len);
}

const char *pppoe_parse_status_name(enum pppoe_parse_status status)
{
	switch (status) {
	case PPPOE_PARSE_OK:
		return "ok";
	case PPPOE_PARSE_TRUNCATED:
		return "frame shorter than the Ethernet and PPPoE headers";
	case PPPOE_PARSE_NOT_PPPOE:
		return "not a PPPoE frame of the expected ethertype";
	case PPPOE_PARSE_BAD_VERSION:
		return "PPPoE version or type is not 1";
	case PPPOE_PARSE_BAD_LENGTH:
		return "PPPoE length runs past the end of the frame";
	case PPPOE_PARSE_BAD_TAGS:
		return "malformed discovery tag list";
	}
	return "unknown";
}

const char *pppoe_code_name(uint8_t code)
{
	switch (code) {
	case PPPOE_CODE_SESSION:
		return "session";
	case PPPOE_CODE_PADO:
		return "PADO";
	case PPPOE_CODE_PADI:
		return "PADI";
	case PPPOE_CODE_PADR:
		return "PADR";
	case PPPOE_CODE_PADS:
		return "PADS";
	case PPPOE_CODE_PADT:
		return "PADT";
	case PPPOE_CODE_PADM:
		return "PADM";
	case PPPOE_CODE_PADN:
		return "PADN";
	}
	return "unknown";
}

const char *pppoe_tag_name(uint16_t type)
{
	switch (type) {
	case PPPOE_TAG_END_OF_LIST:
		return "End-Of-List";
	case PPPOE_TAG_SERVICE_NAME:
		return "Service-Name";
	case PPPOE_TAG_AC_NAME:
		return "AC-Name";
	case PPPOE_TAG_HOST_UNIQ:
		return "Host-Uniq";
	case PPPOE_TAG_AC_COOKIE:
		return "AC-Cookie";
	case PPPOE_TAG_VENDOR_SPECIFIC:
		return "Vendor-Specific";
	case PPPOE_TAG_RELAY_SESSION_ID:
		return "Relay-Session-Id";
	case PPPOE_TAG_HURL:
		return "HURL";
	case PPPOE_TAG_MOTM:
		return "MOTM";
	case PPPOE_TAG_PPP_MAX_PAYLOAD:
		return "PPP-Max-Payload";
	case PPPOE_TAG_IP_ROUTE_ADD:
		return "IP_Route_Add";
	case PPPOE_TAG_SERVICE_NAME_ERROR:
		return "Service-Name-Error";
	case PPPOE_TAG_AC_SYSTEM_ERROR:
		return "AC-System-Error";
	case PPPOE_TAG_GENERIC_ERROR:
		return "Generic-Error";
	}
	return "unknown";
}
