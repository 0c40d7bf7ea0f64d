/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Frames written by hand for the unit tests (raw_frame.h). */
#include "raw_frame.h"

#include <string.h>

#include "byte_order.h"

void raw_begin_frame(struct raw_frame *f, const uint8_t dest[6], const uint8_t source[6],
		     uint16_t ethertype, uint8_t version_type, uint8_t code, uint16_t session_id)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->bytes, dest, 6);
	memcpy(f->bytes + 6, source, 6);
	put_be16(f->bytes + 12, ethertype);
	f->bytes[14] = version_type;
	f->bytes[15] = code;
	put_be16(f->bytes + 16, session_id);
	f->len = RAW_FRAME_HEADER_LEN;
}

void raw_bytes(struct raw_frame *f, const void *data, size_t len)
{
	if (len)
		memcpy(f->bytes + f->len, data, len);
	f->len += len;
}

void raw_tag(struct raw_frame *f, uint16_t type, const void *value, size_t len)
{
	uint8_t header[4];

	put_be16(header, type);
	put_be16(header + 2, (uint16_t)len);
	raw_bytes(f, header, sizeof(header));
	raw_bytes(f, value, len);
}

void raw_tag_text(struct raw_frame *f, uint16_t type, const char *text)
{
	raw_tag(f, type, text, strlen(text));
}

void raw_finish(struct raw_frame *f)
{
	raw_set_length(f, (uint16_t)(f->len - RAW_FRAME_HEADER_LEN));
}

void raw_set_length(struct raw_frame *f, uint16_t length)
{
	put_be16(f->bytes + 18, length);
}
