/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frames written by hand for the unit tests, byte by byte and independently
 * of src/pppoe.c's builder: an Ethernet + PPPoE header, then tags or raw
 * payload bytes, then the PPPoE length -- or a wrong one, on purpose.
 * Writes are not bounded: the tests build frames well inside the buffer.
 */
#ifndef PPPOE_MSS_TEST_RAW_FRAME_H
#define PPPOE_MSS_TEST_RAW_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define RAW_FRAME_HEADER_LEN 20

struct raw_frame {
	uint8_t bytes[2048];
	size_t len;
};

/* The header, with PPPoE length 0 until raw_finish(). */
void raw_begin_frame(struct raw_frame *f, const uint8_t dest[6], const uint8_t source[6],
		     uint16_t ethertype, uint8_t version_type, uint8_t code, uint16_t session_id);
void raw_bytes(struct raw_frame *f, const void *data, size_t len);
void raw_tag(struct raw_frame *f, uint16_t type, const void *value, size_t len);
void raw_tag_text(struct raw_frame *f, uint16_t type, const char *text);
/* Sets the PPPoE length to everything written after the header. */
void raw_finish(struct raw_frame *f);
/* Sets the PPPoE length to length, whatever was written. */
void raw_set_length(struct raw_frame *f, uint16_t length);

#endif
