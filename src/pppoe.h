/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PPPoE frame codec (RFC 2516): the Ethernet and PPPoE headers, the discovery
 * tag list, and building frames.  Pure functions over byte buffers: every
 * read is bounded by the length the caller says it received.
 */
#ifndef PPPOE_MSS_PPPOE_H
#define PPPOE_MSS_PPPOE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PPPOE_MAC_LEN 6
#define PPPOE_ETH_HEADER_LEN 14
#define PPPOE_HEADER_LEN 6
/* Ethernet header + PPPoE header: what sits in front of every PPP frame. */
#define PPPOE_FRAME_HEADER_LEN (PPPOE_ETH_HEADER_LEN + PPPOE_HEADER_LEN)
/* PPPoE header + PPP protocol field: why the PPP MTU is 1492 on a 1500 link. */
#define PPPOE_OVERHEAD 8
/* Largest PPPoE payload on a standard 1500-byte Ethernet. */
#define PPPOE_STANDARD_MAX_PAYLOAD 1494
/* ... and so the PPP MTU/MRU there: what RFC 4638 may raise. */
#define PPPOE_STANDARD_MTU (PPPOE_STANDARD_MAX_PAYLOAD - 2)
/* Largest frame we ever handle, jumbo frames for RFC 4638 included. */
#define PPPOE_FRAME_MAX 9216
/* Discovery frames never need more than a standard Ethernet frame. */
#define PPPOE_DISCOVERY_FRAME_MAX 1514

#define PPPOE_ETHERTYPE_DISCOVERY 0x8863
#define PPPOE_ETHERTYPE_SESSION 0x8864

enum pppoe_code {
	PPPOE_CODE_SESSION = 0x00,
	PPPOE_CODE_PADO = 0x07,
	PPPOE_CODE_PADI = 0x09,
	PPPOE_CODE_PADR = 0x19,
	PPPOE_CODE_PADS = 0x65,
	PPPOE_CODE_PADT = 0xa7,
	PPPOE_CODE_PADM = 0xd3, /* RFC 4937 */
	PPPOE_CODE_PADN = 0xd4, /* RFC 4937 */
};

enum pppoe_tag_type {
	PPPOE_TAG_END_OF_LIST = 0x0000,
	PPPOE_TAG_SERVICE_NAME = 0x0101,
	PPPOE_TAG_AC_NAME = 0x0102,
	PPPOE_TAG_HOST_UNIQ = 0x0103,
	PPPOE_TAG_AC_COOKIE = 0x0104,
	PPPOE_TAG_VENDOR_SPECIFIC = 0x0105,
	PPPOE_TAG_RELAY_SESSION_ID = 0x0110,
	PPPOE_TAG_HURL = 0x0111, /* RFC 4937 */
	PPPOE_TAG_MOTM = 0x0112, /* RFC 4937 */
	PPPOE_TAG_PPP_MAX_PAYLOAD = 0x0120, /* RFC 4638 */
	PPPOE_TAG_IP_ROUTE_ADD = 0x0121, /* RFC 4937 */
	PPPOE_TAG_SERVICE_NAME_ERROR = 0x0201,
	PPPOE_TAG_AC_SYSTEM_ERROR = 0x0202,
	PPPOE_TAG_GENERIC_ERROR = 0x0203,
};

/* Some access concentrators use non-standard ethertypes (rp-pppoe's -f). */
struct pppoe_ethertypes {
	uint16_t discovery;
	uint16_t session;
};

extern const struct pppoe_ethertypes pppoe_standard_ethertypes;

/* A parsed frame.  Every pointer points into the caller's buffer. */
struct pppoe_frame {
	const uint8_t *dest;     /* PPPOE_MAC_LEN bytes */
	const uint8_t *source;   /* PPPOE_MAC_LEN bytes */
	uint16_t ethertype;
	uint8_t code;
	uint16_t session_id;
	const uint8_t *payload;  /* tags (discovery) or the PPP frame (session) */
	uint16_t payload_len;    /* the PPPoE length field, verified <= what was received */
};

enum pppoe_parse_status {
	PPPOE_PARSE_OK = 0,
	PPPOE_PARSE_TRUNCATED,    /* shorter than the Ethernet + PPPoE headers */
	PPPOE_PARSE_NOT_PPPOE,    /* ethertype is not one of ours (or not the kind asked for) */
	PPPOE_PARSE_BAD_VERSION,  /* version/type not 1/1 */
	PPPOE_PARSE_BAD_LENGTH,   /* PPPoE length runs past the received frame */
	PPPOE_PARSE_BAD_TAGS,     /* discovery tag list malformed */
};

/*
 * Parse the Ethernet + PPPoE headers of a frame of len received bytes.
 * Bytes after the PPPoE payload (Ethernet padding) are ignored.
 */
enum pppoe_parse_status pppoe_frame_parse(const uint8_t *frame, size_t len,
					  const struct pppoe_ethertypes *types,
					  struct pppoe_frame *out);

const char *pppoe_parse_status_name(enum pppoe_parse_status status);
const char *pppoe_code_name(uint8_t code);     /* "PADI", ..., "unknown" */
const char *pppoe_tag_name(uint16_t type);     /* "Service-Name", ..., "unknown" */

/*
 * One tag.  value points into the frame; it is non-NULL whenever the tag was
 * present, even with length 0, and NULL for "absent".
 */
struct pppoe_tag {
	uint16_t type;
	uint16_t length;
	const uint8_t *value;
};

struct pppoe_tag_cursor {
	const uint8_t *next;
	const uint8_t *end;
};

enum pppoe_tag_status {
	PPPOE_TAG_FOUND,      /* *out holds the next tag */
	PPPOE_TAG_LIST_END,   /* End-Of-List tag, or exactly the end of the payload */
	PPPOE_TAG_MALFORMED,  /* a partial tag header, or a value that runs past the payload */
};

void pppoe_tags_begin(struct pppoe_tag_cursor *cursor, const uint8_t *payload, size_t len);
enum pppoe_tag_status pppoe_tags_next(struct pppoe_tag_cursor *cursor, struct pppoe_tag *out);

/* A discovery frame with the tags we act on picked out (the first of each kind). */
struct pppoe_discovery {
	struct pppoe_frame frame;
	struct pppoe_tag service_name;
	unsigned service_name_count;
	struct pppoe_tag ac_name;
	struct pppoe_tag host_uniq;
	struct pppoe_tag ac_cookie;
	struct pppoe_tag relay_session_id;
	struct pppoe_tag ppp_max_payload;
	struct pppoe_tag hurl;
	struct pppoe_tag motm;
	struct pppoe_tag error;   /* first Service-Name-Error, AC-System-Error or Generic-Error */
};

/*
 * Parse a discovery frame (ethertype types->discovery) and its tags.
 * A session-ethertype frame gives PPPOE_PARSE_NOT_PPPOE; a tag list that is
 * malformed anywhere before End-Of-List gives PPPOE_PARSE_BAD_TAGS.
 */
enum pppoe_parse_status pppoe_discovery_parse(const uint8_t *frame, size_t len,
					      const struct pppoe_ethertypes *types,
					      struct pppoe_discovery *out);

/*
 * True when one of the message's Service-Name tags equals name.  An empty
 * wanted name (len 0) matches any message, as RFC 2516 says an empty
 * Service-Name means "any service".
 */
bool pppoe_discovery_offers_service(const struct pppoe_discovery *msg,
				    const uint8_t *name, size_t len);

/* Building a frame: begin, add tags, finish. */
struct pppoe_builder {
	uint8_t *buf;
	size_t capacity;
	size_t len;
	bool overflow;
};

void pppoe_builder_begin(struct pppoe_builder *builder, uint8_t *buf, size_t capacity,
			 const uint8_t dest[PPPOE_MAC_LEN], const uint8_t source[PPPOE_MAC_LEN],
			 uint16_t ethertype, uint8_t code, uint16_t session_id);
void pppoe_builder_add_tag(struct pppoe_builder *builder, uint16_t type,
			   const void *value, size_t length);
/* Fills in the PPPoE length; returns the frame length, or 0 if anything overflowed. */
size_t pppoe_builder_finish(struct pppoe_builder *builder);

/*
 * Write the 20-byte Ethernet + PPPoE session header in front of a PPP frame
 * of payload_len bytes (header points at PPPOE_FRAME_HEADER_LEN writable bytes).
 */
void pppoe_session_header_write(uint8_t *header, const uint8_t dest[PPPOE_MAC_LEN],
				const uint8_t source[PPPOE_MAC_LEN], uint16_t ethertype,
				uint16_t session_id, uint16_t payload_len);

extern const uint8_t pppoe_broadcast_mac[PPPOE_MAC_LEN];

/*
 * The largest PPP MTU/MRU the link carries: the Ethernet MTU - 8, but never
 * more than the standard 1492 unless we asked for more with PPP-Max-Payload
 * (RFC 4638) and the AC confirmed it -- then up to the smaller of the two.
 * A PPP-Max-Payload we did not ask for, or one below 1492, changes nothing.
 */
uint16_t pppoe_link_mtu(unsigned ethernet_mtu, uint16_t requested, uint16_t confirmed);

#endif
