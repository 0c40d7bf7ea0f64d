/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Asynchronous HDLC-like framing for PPP (RFC 1662): what pppd speaks on a
 * pty.  This is the hot path of the relay, so both directions work on runs
 * of bytes, not one function call per byte, and the FCS is table driven.
 */
#ifndef PPPOE_MSS_HDLC_H
#define PPPOE_MSS_HDLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HDLC_FLAG 0x7e
#define HDLC_ESCAPE 0x7d
#define HDLC_ESCAPE_XOR 0x20
#define HDLC_FCS_INIT 0xffff
#define HDLC_FCS_GOOD 0xf0b8
#define HDLC_FCS_LEN 2
/* Escape every control character: Linux's ppp_async drops unescaped ones that
 * are in its receive ACCM, which is all of them until LCP says otherwise. */
#define HDLC_ACCM_ALL 0xffffffffu

/* RFC 1662 FCS-16 over data, continuing from fcs (start with HDLC_FCS_INIT). */
uint16_t hdlc_fcs16(uint16_t fcs, const uint8_t *data, size_t len);

struct hdlc_encoder {
	uint8_t needs_escape[256];
};

void hdlc_encoder_init(struct hdlc_encoder *enc, uint32_t accm);

/* Worst case for a frame of len bytes: two flags, every byte and the FCS escaped. */
static inline size_t hdlc_encoded_max(size_t len)
{
	return 2 + 2 * (len + HDLC_FCS_LEN);
}

/*
 * Append flag, escaped frame, escaped FCS, flag to out.  Returns the bytes
 * written, or 0 when capacity < hdlc_encoded_max(len).
 */
size_t hdlc_encode(const struct hdlc_encoder *enc, const uint8_t *frame, size_t len,
		   uint8_t *out, size_t capacity);

struct hdlc_decoder_counters {
	uint64_t frames;     /* good frames returned */
	uint64_t bad_fcs;
	uint64_t too_long;   /* more than the buffer holds: dropped up to the next flag */
	uint64_t too_short;  /* fewer than 2 bytes + FCS */
	uint64_t aborted;    /* escape followed by flag (RFC 1662 abort) */
};

struct hdlc_decoder {
	uint8_t *buffer;       /* caller-owned; frames are assembled here */
	size_t capacity;
	size_t len;
	bool escape_pending;
	bool discarding;       /* overflowed: drop everything up to the next flag */
	struct hdlc_decoder_counters counters;
};

void hdlc_decoder_init(struct hdlc_decoder *dec, uint8_t *buffer, size_t capacity);

/*
 * Assemble the frames that follow in another buffer, so that the frame just
 * returned can wait where it is (for a batched send) while decoding goes
 * on.  Only between frames: right after hdlc_decode() returned one.
 */
static inline void hdlc_decoder_move(struct hdlc_decoder *dec, uint8_t *buffer, size_t capacity)
{
	dec->buffer = buffer;
	dec->capacity = capacity;
}

/*
 * Consume bytes from in until a good frame is complete or the input is used
 * up; returns the number of bytes consumed.  When a frame is complete,
 * *frame points at it in the decoder's buffer (FCS removed, always at the
 * buffer's start) and *frame_len is its length, valid until the next call;
 * otherwise *frame_len is 0.  Bad frames are counted and dropped; decoding
 * resynchronises at the next flag.  Call again with the rest of the input.
 */
size_t hdlc_decode(struct hdlc_decoder *dec, const uint8_t *in, size_t len,
		   const uint8_t **frame, size_t *frame_len);

#endif
