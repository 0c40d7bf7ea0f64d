/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the HDLC tests (the files of tests/test_hdlc) hold src/hdlc.c
 * against: deliberately naive byte-at-a-time versions of the FCS, the
 * encoder and the decoder, written from RFC 1662 and sharing no code with
 * it; the real decoder run over a stream in chunks, with what it promises
 * about each call checked and every frame it gives collected; and
 * deterministic random data, so that a failure reproduces.  Buffers are
 * exact-size heap blocks so that ASan catches any write past capacity.
 */
#ifndef PPPOE_MSS_TESTS_HDLC_REFERENCE_H
#define PPPOE_MSS_TESTS_HDLC_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "hdlc.h"

/* LCP Configure-Request, identifier 1, no options; FCS 0xb5d1 (bitwise). */
extern const uint8_t lcp_request[8];

/* ---- random data (splitmix64) ---- */

void rng_seed(uint64_t seed);
uint64_t rng_next(void);
size_t rng_below(size_t n);
/* Random bytes, one in `special` of them a flag or escape when special > 0. */
void fill_random(uint8_t *p, size_t len, unsigned int special);

/* ---- the reference coders ---- */

/* The FCS the slow, obvious way: one bit at a time. */
uint16_t fcs_bitwise(uint16_t fcs, const uint8_t *p, size_t len);
/* Byte-at-a-time encoder following RFC 1662 to the letter. */
size_t encode_reference(const uint8_t needs_escape[256], const uint8_t *frame,
			size_t len, uint8_t *out);

/* ---- what a decoder makes of a stream ---- */

/* Everything the decoder produced from a stream: frames back to back, counters. */
struct decoded {
	uint8_t *data;
	size_t data_len;
	size_t data_capacity;
	size_t lens[4096];
	size_t count;
	struct hdlc_decoder_counters counters;
};

void decoded_free(struct decoded *d);
/* The same frames, lengths and counters. */
void assert_decoded_equal(const struct decoded *a, const struct decoded *b);
/*
 * Decode a whole stream fed in chunks of the given sizes, over and over; the
 * buffer is an exact-size heap block.
 */
struct decoded *decode_chunked(const uint8_t *stream, size_t len, size_t capacity,
			       const size_t *chunks, size_t nchunks);
/* The same, in one chunk. */
struct decoded *decode_whole(const uint8_t *stream, size_t len, size_t capacity);
/* The same, a byte a call. */
struct decoded *decode_bytewise(const uint8_t *stream, size_t len, size_t capacity);
/* The decoding rules of RFC 1662 as a plain byte-at-a-time state machine. */
struct decoded *decode_reference(const uint8_t *stream, size_t len, size_t capacity);

/* ---- the encoder into an exact-size block ---- */

/* Encode into an exact-size heap block of hdlc_encoded_max() bytes. */
size_t encode_exact(const struct hdlc_encoder *enc, const uint8_t *frame, size_t len,
		    uint8_t **out);

#endif
