/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The HDLC tests' yardsticks (hdlc_reference.h). */
#include "hdlc_reference.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* LCP Configure-Request, identifier 1, no options; FCS 0xb5d1 (bitwise). */
const uint8_t lcp_request[8] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };

/* ---- random data ---- */

/* splitmix64 */
static uint64_t rng_state;

void rng_seed(uint64_t seed)
{
	rng_state = seed;
}

uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

size_t rng_below(size_t n)
{
	return (size_t)(rng_next() % n);
}

void fill_random(uint8_t *p, size_t len, unsigned int special)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t r = rng_next();

		if (special && r % special == 0)
			p[i] = (r >> 32) & 1 ? HDLC_FLAG : HDLC_ESCAPE;
		else
			p[i] = (uint8_t)(r >> 40);
	}
}

/* ---- the reference coders ---- */

uint16_t fcs_bitwise(uint16_t fcs, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		fcs ^= p[i];
		for (int bit = 0; bit < 8; bit++)
			fcs = (fcs & 1) ? (uint16_t)((fcs >> 1) ^ 0x8408) : (uint16_t)(fcs >> 1);
	}
	return fcs;
}

size_t encode_reference(const uint8_t needs_escape[256], const uint8_t *frame,
			size_t len, uint8_t *out)
{
	uint16_t fcs = fcs_bitwise(HDLC_FCS_INIT, frame, len) ^ 0xffff;
	size_t n = 0;

	out[n++] = HDLC_FLAG;
	for (size_t i = 0; i < len + 2; i++) {
		uint8_t c = i < len ? frame[i] : i == len ? fcs & 0xff : fcs >> 8;

		if (needs_escape[c]) {
			out[n++] = HDLC_ESCAPE;
			out[n++] = c ^ HDLC_ESCAPE_XOR;
		} else {
			out[n++] = c;
		}
	}
	out[n++] = HDLC_FLAG;
	return n;
}

/* ---- what a decoder makes of a stream ---- */

static struct decoded *decoded_new(size_t data_capacity)
{
	struct decoded *d = calloc(1, sizeof(*d));

	ck_assert_ptr_nonnull(d);
	d->data = malloc(data_capacity ? data_capacity : 1);
	ck_assert_ptr_nonnull(d->data);
	d->data_capacity = data_capacity;
	return d;
}

void decoded_free(struct decoded *d)
{
	free(d->data);
	free(d);
}

static void decoded_add(struct decoded *d, const uint8_t *frame, size_t len)
{
	ck_assert_uint_lt(d->count, sizeof(d->lens) / sizeof(d->lens[0]));
	ck_assert_uint_le(d->data_len + len, d->data_capacity);
	memcpy(d->data + d->data_len, frame, len);
	d->data_len += len;
	d->lens[d->count++] = len;
}

void assert_decoded_equal(const struct decoded *a, const struct decoded *b)
{
	ck_assert_uint_eq(a->count, b->count);
	ck_assert_uint_eq(a->data_len, b->data_len);
	for (size_t i = 0; i < a->count; i++)
		ck_assert_uint_eq(a->lens[i], b->lens[i]);
	ck_assert(memcmp(a->data, b->data, a->data_len) == 0);
	ck_assert_uint_eq(a->counters.frames, b->counters.frames);
	ck_assert_uint_eq(a->counters.bad_fcs, b->counters.bad_fcs);
	ck_assert_uint_eq(a->counters.too_long, b->counters.too_long);
	ck_assert_uint_eq(a->counters.too_short, b->counters.too_short);
	ck_assert_uint_eq(a->counters.aborted, b->counters.aborted);
}

/* Feed one chunk, checking what hdlc_decode promises about each call. */
static void feed(struct hdlc_decoder *dec, const uint8_t *in, size_t len, struct decoded *out)
{
	while (len > 0) {
		const uint8_t *frame = NULL;
		size_t frame_len = 12345;	/* must be overwritten */
		size_t used = hdlc_decode(dec, in, len, &frame, &frame_len);

		ck_assert_uint_gt(used, 0);
		ck_assert_uint_le(used, len);
		if (frame_len) {
			ck_assert_ptr_eq(frame, dec->buffer);
			ck_assert_uint_eq(in[used - 1], HDLC_FLAG);
			ck_assert_uint_le(frame_len + HDLC_FCS_LEN, dec->capacity);
			decoded_add(out, frame, frame_len);
		} else {
			ck_assert_uint_eq(used, len);
		}
		in += used;
		len -= used;
	}
}

struct decoded *decode_chunked(const uint8_t *stream, size_t len, size_t capacity,
			       const size_t *chunks, size_t nchunks)
{
	struct decoded *d = decoded_new(len);
	uint8_t *buffer = malloc(capacity ? capacity : 1);
	struct hdlc_decoder dec;
	size_t off = 0;

	ck_assert_ptr_nonnull(buffer);
	hdlc_decoder_init(&dec, buffer, capacity);
	for (size_t c = 0; off < len; c++) {
		size_t n = chunks[c % nchunks];

		if (n > len - off)
			n = len - off;
		feed(&dec, stream + off, n, d);
		off += n;
	}
	d->counters = dec.counters;
	free(buffer);
	return d;
}

struct decoded *decode_whole(const uint8_t *stream, size_t len, size_t capacity)
{
	size_t all = len ? len : 1;

	return decode_chunked(stream, len, capacity, &all, 1);
}

struct decoded *decode_bytewise(const uint8_t *stream, size_t len, size_t capacity)
{
	static const size_t one = 1;

	return decode_chunked(stream, len, capacity, &one, 1);
}

struct decoded *decode_reference(const uint8_t *stream, size_t len, size_t capacity)
{
	struct decoded *d = decoded_new(len);
	uint8_t *buffer = malloc(capacity ? capacity : 1);
	size_t n = 0;
	bool escape = false, discarding = false;

	ck_assert_ptr_nonnull(buffer);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = stream[i];

		if (c == HDLC_FLAG) {
			if (discarding) {
				discarding = false;
			} else if (escape) {
				d->counters.aborted++;
			} else if (n == 0) {
				/* idle */
			} else if (n < 4) {
				d->counters.too_short++;
			} else if (fcs_bitwise(HDLC_FCS_INIT, buffer, n) != HDLC_FCS_GOOD) {
				d->counters.bad_fcs++;
			} else {
				d->counters.frames++;
				decoded_add(d, buffer, n - 2);
			}
			escape = false;
			n = 0;
			continue;
		}
		if (discarding)
			continue;
		if (c == HDLC_ESCAPE && !escape) {
			escape = true;
			continue;
		}
		if (n == capacity) {
			d->counters.too_long++;
			discarding = true;
			escape = false;
			n = 0;
			continue;
		}
		buffer[n++] = escape ? c ^ HDLC_ESCAPE_XOR : c;
		escape = false;
	}
	free(buffer);
	return d;
}

/* ---- the encoder into an exact-size block ---- */

size_t encode_exact(const struct hdlc_encoder *enc, const uint8_t *frame, size_t len,
		    uint8_t **out)
{
	size_t max = hdlc_encoded_max(len);
	size_t n;

	*out = malloc(max);
	ck_assert_ptr_nonnull(*out);
	n = hdlc_encode(enc, frame, len, *out, max);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, max);
	return n;
}
