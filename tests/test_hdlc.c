/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/hdlc.c.  The relay trusts this framing with every byte pppd
 * sends or receives, so besides known vectors the encoder and decoder are
 * checked against deliberately naive byte-at-a-time versions written here,
 * over random frames, every way of splitting a stream, and random garbage.
 * Decoder buffers are exact-size heap blocks so that ASan catches any write
 * past capacity.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "hdlc.h"

/* splitmix64: deterministic, so a failure reproduces. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	rng_state = seed;
}

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t rng_below(size_t n)
{
	return (size_t)(rng_next() % n);
}

/* Random bytes, one in `special` of them a flag or escape when special > 0. */
static void fill_random(uint8_t *p, size_t len, unsigned int special)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t r = rng_next();

		if (special && r % special == 0)
			p[i] = (r >> 32) & 1 ? HDLC_FLAG : HDLC_ESCAPE;
		else
			p[i] = (uint8_t)(r >> 40);
	}
}

/* The FCS the slow, obvious way: one bit at a time. */
static uint16_t fcs_bitwise(uint16_t fcs, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		fcs ^= p[i];
		for (int bit = 0; bit < 8; bit++)
			fcs = (fcs & 1) ? (uint16_t)((fcs >> 1) ^ 0x8408) : (uint16_t)(fcs >> 1);
	}
	return fcs;
}

/* Byte-at-a-time encoder following RFC 1662 to the letter. */
static size_t encode_reference(const uint8_t needs_escape[256], const uint8_t *frame,
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

/* Everything the decoder produced from a stream: frames back to back, counters. */
struct decoded {
	uint8_t *data;
	size_t data_len;
	size_t data_capacity;
	size_t lens[4096];
	size_t count;
	struct hdlc_decoder_counters counters;
};

static struct decoded *decoded_new(size_t data_capacity)
{
	struct decoded *d = calloc(1, sizeof(*d));

	ck_assert_ptr_nonnull(d);
	d->data = malloc(data_capacity ? data_capacity : 1);
	ck_assert_ptr_nonnull(d->data);
	d->data_capacity = data_capacity;
	return d;
}

static void decoded_free(struct decoded *d)
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

static void assert_decoded_equal(const struct decoded *a, const struct decoded *b)
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

/*
 * Decode a whole stream fed in chunks of the given sizes, over and over; the
 * buffer is an exact-size heap block.
 */
static struct decoded *decode_chunked(const uint8_t *stream, size_t len, size_t capacity,
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

static struct decoded *decode_whole(const uint8_t *stream, size_t len, size_t capacity)
{
	size_t all = len ? len : 1;

	return decode_chunked(stream, len, capacity, &all, 1);
}

/* The decoding rules of RFC 1662 as a plain byte-at-a-time state machine. */
static struct decoded *decode_reference(const uint8_t *stream, size_t len, size_t capacity)
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

/* Encode into an exact-size heap block of hdlc_encoded_max() bytes. */
static size_t encode_exact(const struct hdlc_encoder *enc, const uint8_t *frame, size_t len,
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

/* ---- FCS ---- */

START_TEST(test_fcs_check_value)
{
	/* CRC-16/X-25: init 0xffff, reflected 0x8408, final xor 0xffff. */
	const uint8_t digits[] = "123456789";

	ck_assert_uint_eq(hdlc_fcs16(HDLC_FCS_INIT, digits, 9) ^ 0xffff, 0x906e);
	ck_assert_uint_eq(fcs_bitwise(HDLC_FCS_INIT, digits, 9) ^ 0xffff, 0x906e);
	ck_assert_uint_eq(hdlc_fcs16(HDLC_FCS_INIT, digits, 0), HDLC_FCS_INIT);
}
END_TEST

START_TEST(test_fcs_good_residue)
{
	/* RFC 1662 C.2: the FCS over data plus its complemented FCS, LSB first. */
	uint8_t buf[600];

	rng_seed(1);
	for (size_t len = 0; len <= 512; len++) {
		fill_random(buf, len, 0);
		uint16_t fcs = hdlc_fcs16(HDLC_FCS_INIT, buf, len) ^ 0xffff;

		buf[len] = fcs & 0xff;
		buf[len + 1] = fcs >> 8;
		ck_assert_uint_eq(hdlc_fcs16(HDLC_FCS_INIT, buf, len + 2), HDLC_FCS_GOOD);
	}
}
END_TEST

START_TEST(test_fcs_matches_bitwise)
{
	uint8_t buf[400 + 16];

	rng_seed(2);
	fill_random(buf, sizeof(buf), 0);
	for (size_t align = 0; align < 16; align++) {
		for (size_t len = 0; len <= 400; len++) {
			uint16_t start = (uint16_t)rng_next();

			ck_assert_uint_eq(hdlc_fcs16(start, buf + align, len),
					  fcs_bitwise(start, buf + align, len));
		}
	}
}
END_TEST

START_TEST(test_fcs_incremental)
{
	uint8_t buf[300];

	rng_seed(3);
	fill_random(buf, sizeof(buf), 0);
	uint16_t whole = hdlc_fcs16(HDLC_FCS_INIT, buf, sizeof(buf));

	for (size_t split = 0; split <= sizeof(buf); split++) {
		uint16_t fcs = hdlc_fcs16(HDLC_FCS_INIT, buf, split);

		ck_assert_uint_eq(hdlc_fcs16(fcs, buf + split, sizeof(buf) - split), whole);
	}
}
END_TEST

START_TEST(test_fcs_every_table_entry)
{
	/*
	 * A single nonzero byte at position k of a 16- or 8-byte block, or a
	 * nonzero starting FCS over zeros, looks up exactly one entry of each
	 * slice table, so this compares all of them with the bitwise FCS.
	 */
	uint8_t block[16];

	for (unsigned int v = 0; v < 256; v++) {
		for (size_t k = 0; k < 16; k++) {
			memset(block, 0, sizeof(block));
			block[k] = (uint8_t)v;
			ck_assert_uint_eq(hdlc_fcs16(0, block, 16), fcs_bitwise(0, block, 16));
			if (k < 8)
				ck_assert_uint_eq(hdlc_fcs16(0, block, 8),
						  fcs_bitwise(0, block, 8));
		}
		memset(block, 0, sizeof(block));
		for (size_t len = 1; len <= 16; len++) {
			ck_assert_uint_eq(hdlc_fcs16((uint16_t)v, block, len),
					  fcs_bitwise((uint16_t)v, block, len));
			ck_assert_uint_eq(hdlc_fcs16((uint16_t)(v << 8), block, len),
					  fcs_bitwise((uint16_t)(v << 8), block, len));
		}
	}
}
END_TEST

/* ---- encoder ---- */

/* LCP Configure-Request, identifier 1, no options; FCS 0xb5d1 (bitwise). */
static const uint8_t lcp_request[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };

START_TEST(test_encode_lcp_accm_all)
{
	/*
	 * ff passes; 03, 01, 01, 00, 04 are controls, sent as 7d and the byte
	 * xor 0x20; the FCS d1 b5 (LSB first) needs no escaping.
	 */
	static const uint8_t expected[] = {
		0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, 0x7d, 0x21, 0x7d, 0x21,
		0x7d, 0x20, 0x7d, 0x24, 0xd1, 0xb5, 0x7e,
	};
	struct hdlc_encoder enc;
	uint8_t out[64];

	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	memset(out, 0xaa, sizeof(out));
	ck_assert_uint_eq(hdlc_encode(&enc, lcp_request, sizeof(lcp_request), out, sizeof(out)),
			  sizeof(expected));
	ck_assert(memcmp(out, expected, sizeof(expected)) == 0);
}
END_TEST

START_TEST(test_encode_lcp_accm_zero)
{
	static const uint8_t expected[] = {
		0x7e, 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04, 0xd1, 0xb5, 0x7e,
	};
	struct hdlc_encoder enc;
	uint8_t out[64];

	hdlc_encoder_init(&enc, 0);
	ck_assert_uint_eq(hdlc_encode(&enc, lcp_request, sizeof(lcp_request), out, sizeof(out)),
			  sizeof(expected));
	ck_assert(memcmp(out, expected, sizeof(expected)) == 0);
}
END_TEST

START_TEST(test_encode_escapes_flag_escape_and_fcs)
{
	/* FCS of this frame is 0x0ef3: sent f3 0e, and 0e is a control. */
	static const uint8_t frame[] = { 0xff, 0x03, 0x00, 0x21, 0x7e, 0x7d, 0x11, 0x5e };
	static const uint8_t expected_all[] = {
		0x7e, 0xff, 0x7d, 0x23, 0x7d, 0x20, 0x21, 0x7d, 0x5e, 0x7d, 0x5d,
		0x7d, 0x31, 0x5e, 0xf3, 0x7d, 0x2e, 0x7e,
	};
	/* Only XON (0x11) and XOFF (0x13) in the ACCM: bits 17 and 19. */
	static const uint8_t expected_xonxoff[] = {
		0x7e, 0xff, 0x03, 0x00, 0x21, 0x7d, 0x5e, 0x7d, 0x5d, 0x7d, 0x31,
		0x5e, 0xf3, 0x0e, 0x7e,
	};
	struct hdlc_encoder enc;
	uint8_t out[64];

	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	ck_assert_uint_eq(hdlc_encode(&enc, frame, sizeof(frame), out, sizeof(out)),
			  sizeof(expected_all));
	ck_assert(memcmp(out, expected_all, sizeof(expected_all)) == 0);

	hdlc_encoder_init(&enc, (1u << 0x11) | (1u << 0x13));
	ck_assert_uint_eq(hdlc_encode(&enc, frame, sizeof(frame), out, sizeof(out)),
			  sizeof(expected_xonxoff));
	ck_assert(memcmp(out, expected_xonxoff, sizeof(expected_xonxoff)) == 0);
}
END_TEST

START_TEST(test_encoder_init_table)
{
	struct hdlc_encoder enc;

	hdlc_encoder_init(&enc, 0x80000001u);
	for (unsigned int c = 0; c < 256; c++) {
		bool expected = c == 0x00 || c == 0x1f || c == HDLC_FLAG || c == HDLC_ESCAPE;

		ck_assert_uint_eq(enc.needs_escape[c], expected);
	}
}
END_TEST

START_TEST(test_encode_empty_frame)
{
	/* An empty frame's FCS is 0x0000: escaped under ACCM_ALL, raw under 0. */
	static const uint8_t expected_all[] = { 0x7e, 0x7d, 0x20, 0x7d, 0x20, 0x7e };
	static const uint8_t expected_zero[] = { 0x7e, 0x00, 0x00, 0x7e };
	struct hdlc_encoder enc;
	uint8_t out[8];

	ck_assert_uint_eq(hdlc_encoded_max(0), 6);
	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	ck_assert_uint_eq(hdlc_encode(&enc, NULL, 0, out, 6), sizeof(expected_all));
	ck_assert(memcmp(out, expected_all, sizeof(expected_all)) == 0);
	hdlc_encoder_init(&enc, 0);
	ck_assert_uint_eq(hdlc_encode(&enc, NULL, 0, out, 6), sizeof(expected_zero));
	ck_assert(memcmp(out, expected_zero, sizeof(expected_zero)) == 0);
}
END_TEST

START_TEST(test_encode_capacity)
{
	struct hdlc_encoder enc;
	uint8_t frame[100];
	uint8_t *out;

	rng_seed(4);
	fill_random(frame, sizeof(frame), 0);
	hdlc_encoder_init(&enc, 0);
	for (size_t len = 0; len <= sizeof(frame); len++) {
		size_t max = hdlc_encoded_max(len);

		out = malloc(max);
		ck_assert_ptr_nonnull(out);
		ck_assert_uint_eq(hdlc_encode(&enc, frame, len, out, max - 1), 0);
		ck_assert_uint_eq(hdlc_encode(&enc, frame, len, out, 0), 0);
		ck_assert_uint_gt(hdlc_encode(&enc, frame, len, out, max), 0);
		free(out);
	}
	ck_assert_uint_eq(hdlc_encode(&enc, frame, SIZE_MAX / 2, frame, SIZE_MAX), 0);
	ck_assert_uint_eq(hdlc_encode(&enc, frame, SIZE_MAX, frame, SIZE_MAX), 0);
}
END_TEST

START_TEST(test_encode_worst_case_fits)
{
	/*
	 * A frame of nothing but flags: every frame byte is escaped, and the
	 * FCS bytes too when they are controls, which must still fit an
	 * exact-size buffer of hdlc_encoded_max() bytes.
	 */
	struct hdlc_encoder enc;
	uint8_t frame[300];
	uint8_t *out;

	memset(frame, HDLC_FLAG, sizeof(frame));
	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	for (size_t len = 0; len <= sizeof(frame); len++) {
		uint16_t fcs = hdlc_fcs16(HDLC_FCS_INIT, frame, len) ^ 0xffff;
		size_t n = encode_exact(&enc, frame, len, &out);

		ck_assert_uint_eq(n, hdlc_encoded_max(len) - !enc.needs_escape[fcs & 0xff] -
				  !enc.needs_escape[fcs >> 8]);
		free(out);
	}
}
END_TEST

START_TEST(test_encode_matches_reference)
{
	/*
	 * Random ACCMs and data rich in escapes, so that escapes land at every
	 * position of a word and next to each other.  Nothing may be written
	 * past hdlc_encoded_max() (ASan), and the bytes must be exactly those of
	 * the naive encoder.
	 */
	struct hdlc_encoder enc;
	uint8_t frame[600];
	uint8_t expected[2 * 600 + 6];
	uint8_t *out;
	uint8_t *other = malloc(hdlc_encoded_max(sizeof(frame)));

	ck_assert_ptr_nonnull(other);
	rng_seed(5);
	for (int round = 0; round < 3000; round++) {
		size_t len = rng_below(sizeof(frame) + 1);
		uint32_t accm = round % 3 == 0 ? HDLC_ACCM_ALL : round % 3 == 1 ? 0 :
				(uint32_t)rng_next();

		hdlc_encoder_init(&enc, accm);
		fill_random(frame, len, 1 + round % 9);
		for (size_t i = 0; i < len; i++)
			if (round % 5 == 0 && rng_below(4) == 0)
				frame[i] = (uint8_t)rng_below(0x20);
		size_t n = encode_exact(&enc, frame, len, &out);

		ck_assert_uint_eq(n, encode_reference(enc.needs_escape, frame, len, expected));
		ck_assert(memcmp(out, expected, n) == 0);
		free(out);

		/* Nothing past the encoded frame is written, whatever was there. */
		size_t max = hdlc_encoded_max(len);

		for (int fill = 0; fill < 2; fill++) {
			memset(other, fill ? 0x00 : 0xff, max);
			ck_assert_uint_eq(hdlc_encode(&enc, frame, len, other, max), n);
			ck_assert(memcmp(other, expected, n) == 0);
			size_t untouched = n;

			while (untouched < max && other[untouched] == (fill ? 0x00 : 0xff))
				untouched++;
			ck_assert_uint_eq(untouched, max);
		}
	}
	free(other);
}
END_TEST

START_TEST(test_encode_accm_all_output_clean)
{
	struct hdlc_encoder enc;
	uint8_t frame[256 * 4];
	uint8_t *out;

	/* Every byte value, several times over, at every alignment. */
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7 + i / 256);
	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	size_t n = encode_exact(&enc, frame, sizeof(frame), &out);

	ck_assert_uint_eq(out[0], HDLC_FLAG);
	ck_assert_uint_eq(out[n - 1], HDLC_FLAG);
	for (size_t i = 1; i < n - 1; i++) {
		ck_assert_uint_ge(out[i], 0x20);
		ck_assert_uint_ne(out[i], HDLC_FLAG);
		if (out[i] == HDLC_ESCAPE) {
			/* An escape is followed by an escaped byte, never another escape. */
			ck_assert_uint_lt(i + 1, n - 1);
			uint8_t c = out[i + 1] ^ HDLC_ESCAPE_XOR;

			ck_assert(c < 0x20 || c == HDLC_FLAG || c == HDLC_ESCAPE);
			i++;
		}
	}
	free(out);
}
END_TEST

START_TEST(test_encode_accm_zero_controls_raw)
{
	struct hdlc_encoder enc;
	uint8_t frame[0x20];
	uint8_t *out;

	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	hdlc_encoder_init(&enc, 0);
	size_t n = encode_exact(&enc, frame, sizeof(frame), &out);

	/* The controls go out as they are, in order, right after the flag. */
	ck_assert_uint_ge(n, 1 + sizeof(frame) + 2 + 1);
	ck_assert(memcmp(out + 1, frame, sizeof(frame)) == 0);
	free(out);
}
END_TEST

START_TEST(test_encode_every_byte_round_trips)
{
	static const uint32_t accms[] = { HDLC_ACCM_ALL, 0, 0x000a0000u, 0x55555555u };
	uint8_t frame[256];
	uint8_t *out;

	for (size_t i = 0; i < 256; i++)
		frame[i] = (uint8_t)i;
	for (size_t a = 0; a < sizeof(accms) / sizeof(accms[0]); a++) {
		struct hdlc_encoder enc;

		hdlc_encoder_init(&enc, accms[a]);
		for (size_t start = 0; start < 256; start += 37) {
			/* One byte per frame, and all 256 in one frame at shifted starts. */
			uint8_t one[2] = { (uint8_t)start, 0x42 };
			uint8_t rotated[256];

			for (size_t i = 0; i < 256; i++)
				rotated[i] = frame[(i + start) % 256];

			size_t n = encode_exact(&enc, rotated, sizeof(rotated), &out);
			struct decoded *d = decode_whole(out, n, sizeof(rotated) + HDLC_FCS_LEN);

			ck_assert_uint_eq(d->count, 1);
			ck_assert_uint_eq(d->lens[0], sizeof(rotated));
			ck_assert(memcmp(d->data, rotated, sizeof(rotated)) == 0);
			decoded_free(d);
			free(out);

			n = encode_exact(&enc, one, sizeof(one), &out);
			d = decode_whole(out, n, sizeof(one) + HDLC_FCS_LEN);
			ck_assert_uint_eq(d->count, 1);
			ck_assert(memcmp(d->data, one, sizeof(one)) == 0);
			decoded_free(d);
			free(out);
		}
		for (unsigned int c = 0; c < 256; c++) {
			uint8_t two[2] = { (uint8_t)c, (uint8_t)c };
			size_t n = encode_exact(&enc, two, sizeof(two), &out);
			struct decoded *d = decode_whole(out, n, 4);

			ck_assert_uint_eq(d->count, 1);
			ck_assert(memcmp(d->data, two, 2) == 0);
			decoded_free(d);
			free(out);
		}
	}
}
END_TEST

START_TEST(test_encode_extended_escapes_round_trip)
{
	/*
	 * A peer may ask for more than the control characters to be escaped
	 * (pppd's "escape" option).  Escaping 0x5d yields 7d 7d, which must
	 * decode as 0x5d, not as two escapes.  0x5e is the one byte that can
	 * never be escaped: it would become a flag.
	 */
	struct hdlc_encoder enc;
	uint8_t frame[1000];
	uint8_t *out;

	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	for (unsigned int c = 0; c < 256; c++)
		enc.needs_escape[c] = c != 0x5e;
	rng_seed(6);
	for (int round = 0; round < 200; round++) {
		size_t len = 2 + rng_below(sizeof(frame) - 1);

		fill_random(frame, len, 0);
		for (size_t i = 0; i < len; i++)
			if (rng_below(3) == 0)
				frame[i] = 0x5d;
		size_t n = encode_exact(&enc, frame, len, &out);
		uint8_t expected[2 * sizeof(frame) + 6];

		ck_assert_uint_eq(n, encode_reference(enc.needs_escape, frame, len, expected));
		ck_assert(memcmp(out, expected, n) == 0);
		struct decoded *d = decode_whole(out, n, len + HDLC_FCS_LEN);

		ck_assert_uint_eq(d->count, 1);
		ck_assert_uint_eq(d->lens[0], len);
		ck_assert(memcmp(d->data, frame, len) == 0);
		decoded_free(d);
		free(out);
	}
}
END_TEST

/* ---- decoder ---- */

static const uint8_t lcp_accm_all[] = {
	0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, 0x7d, 0x21, 0x7d, 0x21,
	0x7d, 0x20, 0x7d, 0x24, 0xd1, 0xb5, 0x7e,
};

START_TEST(test_decode_known_frame)
{
	uint8_t buffer[64];
	struct hdlc_decoder dec;
	const uint8_t *frame;
	size_t frame_len;

	hdlc_decoder_init(&dec, buffer, sizeof(buffer));
	ck_assert_uint_eq(hdlc_decode(&dec, lcp_accm_all, sizeof(lcp_accm_all), &frame, &frame_len),
			  sizeof(lcp_accm_all));
	ck_assert_uint_eq(frame_len, sizeof(lcp_request));
	ck_assert_ptr_eq(frame, buffer);
	ck_assert(memcmp(frame, lcp_request, sizeof(lcp_request)) == 0);
	ck_assert_uint_eq(dec.counters.frames, 1);
	ck_assert_uint_eq(dec.len, 0);
	ck_assert(!dec.escape_pending);

	/* The same frame without escapes decodes the same. */
	static const uint8_t raw[] = {
		0x7e, 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04, 0xd1, 0xb5, 0x7e,
	};
	ck_assert_uint_eq(hdlc_decode(&dec, raw, sizeof(raw), &frame, &frame_len), sizeof(raw));
	ck_assert_uint_eq(frame_len, sizeof(lcp_request));
	ck_assert(memcmp(frame, lcp_request, sizeof(lcp_request)) == 0);
	ck_assert_uint_eq(dec.counters.frames, 2);
}
END_TEST

START_TEST(test_decode_one_frame_per_call)
{
	/* Frames sharing flags, as ppp_async sends them back to back. */
	uint8_t stream[3 * sizeof(lcp_accm_all)];
	size_t n = 0;
	uint8_t buffer[64];
	struct hdlc_decoder dec;
	const uint8_t *frame;
	size_t frame_len;

	memcpy(stream, lcp_accm_all, sizeof(lcp_accm_all));
	n += sizeof(lcp_accm_all);
	memcpy(stream + n, lcp_accm_all + 1, sizeof(lcp_accm_all) - 1);
	n += sizeof(lcp_accm_all) - 1;
	memcpy(stream + n, lcp_accm_all + 1, sizeof(lcp_accm_all) - 1);
	n += sizeof(lcp_accm_all) - 1;

	hdlc_decoder_init(&dec, buffer, sizeof(buffer));
	size_t off = 0;

	for (int i = 0; i < 3; i++) {
		size_t used = hdlc_decode(&dec, stream + off, n - off, &frame, &frame_len);

		ck_assert_uint_eq(used, i == 0 ? sizeof(lcp_accm_all) : sizeof(lcp_accm_all) - 1);
		ck_assert_uint_eq(frame_len, sizeof(lcp_request));
		ck_assert(memcmp(frame, lcp_request, sizeof(lcp_request)) == 0);
		off += used;
	}
	ck_assert_uint_eq(off, n);
	ck_assert_uint_eq(hdlc_decode(&dec, stream, 0, &frame, &frame_len), 0);
	ck_assert_uint_eq(frame_len, 0);
	ck_assert_uint_eq(dec.counters.frames, 3);
}
END_TEST

START_TEST(test_decode_needs_closing_flag)
{
	uint8_t buffer[64];
	struct hdlc_decoder dec;
	const uint8_t *frame;
	size_t frame_len;
	const size_t body = sizeof(lcp_accm_all) - 1;

	hdlc_decoder_init(&dec, buffer, sizeof(buffer));
	ck_assert_uint_eq(hdlc_decode(&dec, lcp_accm_all, body, &frame, &frame_len), body);
	ck_assert_uint_eq(frame_len, 0);
	ck_assert_uint_eq(dec.counters.frames, 0);
	ck_assert_uint_eq(hdlc_decode(&dec, lcp_accm_all + body, 1, &frame, &frame_len), 1);
	ck_assert_uint_eq(frame_len, sizeof(lcp_request));
	ck_assert(memcmp(frame, lcp_request, sizeof(lcp_request)) == 0);
}
END_TEST

START_TEST(test_decode_escape_at_end_of_input)
{
	/* Stop right after each escape in turn; the escaped byte comes next call. */
	for (size_t cut = 1; cut < sizeof(lcp_accm_all); cut++) {
		if (lcp_accm_all[cut - 1] != HDLC_ESCAPE)
			continue;

		uint8_t buffer[64];
		struct hdlc_decoder dec;
		const uint8_t *frame;
		size_t frame_len;

		hdlc_decoder_init(&dec, buffer, sizeof(buffer));
		ck_assert_uint_eq(hdlc_decode(&dec, lcp_accm_all, cut, &frame, &frame_len), cut);
		ck_assert(dec.escape_pending);
		ck_assert_uint_eq(frame_len, 0);
		ck_assert_uint_eq(hdlc_decode(&dec, lcp_accm_all + cut, sizeof(lcp_accm_all) - cut,
					      &frame, &frame_len), sizeof(lcp_accm_all) - cut);
		ck_assert_uint_eq(frame_len, sizeof(lcp_request));
		ck_assert(memcmp(frame, lcp_request, sizeof(lcp_request)) == 0);
	}
}
END_TEST

START_TEST(test_decode_idle_flags)
{
	/* Runs of flags are time fill, not errors. */
	uint8_t stream[64];
	size_t n = 0;

	memset(stream, HDLC_FLAG, 5);
	n = 5;
	memcpy(stream + n, lcp_accm_all, sizeof(lcp_accm_all));
	n += sizeof(lcp_accm_all);
	memset(stream + n, HDLC_FLAG, 4);
	n += 4;

	struct decoded *d = decode_whole(stream, n, 16);

	ck_assert_uint_eq(d->count, 1);
	ck_assert_uint_eq(d->counters.frames, 1);
	ck_assert_uint_eq(d->counters.too_short + d->counters.bad_fcs + d->counters.aborted +
			  d->counters.too_long, 0);
	decoded_free(d);
}
END_TEST

START_TEST(test_decode_too_short)
{
	/* 1, 2 and 3 bytes are too short; 4 bytes is a frame (here a bad one). */
	static const uint8_t stream[] = {
		0x7e, 0x01, 0x7e, 0x01, 0x02, 0x7e, 0x7d, 0x21, 0x02, 0x03, 0x7e,
		0x7e, 0x01, 0x02, 0x03, 0x04, 0x7e,
	};
	struct decoded *d = decode_whole(stream, sizeof(stream), 64);

	ck_assert_uint_eq(d->count, 0);
	ck_assert_uint_eq(d->counters.too_short, 3);
	ck_assert_uint_eq(d->counters.bad_fcs, 1);
	decoded_free(d);

	/* A one-byte frame encodes fine but is too short to be received. */
	struct hdlc_encoder enc;
	uint8_t one = 0xff, out[16];
	size_t n;

	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	n = hdlc_encode(&enc, &one, 1, out, sizeof(out));
	d = decode_whole(out, n, 64);
	ck_assert_uint_eq(d->count, 0);
	ck_assert_uint_eq(d->counters.too_short, 1);
	decoded_free(d);
}
END_TEST

START_TEST(test_decode_abort)
{
	/* Half a frame, 7d 7e, then a good frame: the 7e also opens the next one. */
	uint8_t stream[64];
	size_t n = 0;

	memcpy(stream, lcp_accm_all, 8);	/* 7e ff 7d 23 c0 21 7d 21 */
	n = 8;
	stream[n++] = HDLC_ESCAPE;
	memcpy(stream + n, lcp_accm_all, sizeof(lcp_accm_all));
	n += sizeof(lcp_accm_all);

	struct decoded *d = decode_whole(stream, n, 64);

	ck_assert_uint_eq(d->counters.aborted, 1);
	ck_assert_uint_eq(d->counters.frames, 1);
	ck_assert_uint_eq(d->counters.bad_fcs + d->counters.too_short, 0);
	ck_assert_uint_eq(d->count, 1);
	ck_assert(memcmp(d->data, lcp_request, sizeof(lcp_request)) == 0);
	decoded_free(d);

	/* Abort with the escape and the flag in separate calls. */
	static const size_t ones[] = { 1 };

	d = decode_chunked(stream, n, 64, ones, 1);
	ck_assert_uint_eq(d->counters.aborted, 1);
	ck_assert_uint_eq(d->count, 1);
	decoded_free(d);
}
END_TEST

START_TEST(test_decode_bad_fcs_then_resync)
{
	struct hdlc_encoder enc;
	uint8_t frame[200];
	uint8_t stream[2 * (2 * 200 + 6)];
	size_t n, first;

	rng_seed(7);
	fill_random(frame, sizeof(frame), 0);
	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	for (size_t bit = 0; bit < 8 * 40; bit++) {
		first = hdlc_encode(&enc, frame, sizeof(frame), stream, sizeof(stream));
		n = first + hdlc_encode(&enc, frame, sizeof(frame), stream + first,
					sizeof(stream) - first);
		/* Flip a bit of a byte that is neither a flag nor an escape, before or after. */
		size_t pos = 1 + (bit / 8) * 3;
		uint8_t flipped = stream[pos] ^ (uint8_t)(1u << (bit % 8));

		if (stream[pos] == HDLC_ESCAPE || stream[pos - 1] == HDLC_ESCAPE ||
		    flipped == HDLC_FLAG || flipped == HDLC_ESCAPE)
			continue;
		stream[pos] = flipped;

		struct decoded *d = decode_whole(stream, n, sizeof(frame) + HDLC_FCS_LEN);

		ck_assert_uint_eq(d->counters.bad_fcs, 1);
		ck_assert_uint_eq(d->counters.frames, 1);
		ck_assert_uint_eq(d->count, 1);
		ck_assert(memcmp(d->data, frame, sizeof(frame)) == 0);
		decoded_free(d);
	}
}
END_TEST

START_TEST(test_decode_garbage_resync)
{
	/* Line noise before the first flag and between frames. */
	struct hdlc_encoder enc;
	uint8_t frame[100];
	uint8_t stream[4096];
	size_t n = 0;

	rng_seed(8);
	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	for (int i = 0; i < 5; i++) {
		size_t garbage = 5 + rng_below(50);

		for (size_t g = 0; g < garbage; g++) {
			uint8_t c;

			do {
				c = (uint8_t)rng_next();
			} while (c == HDLC_FLAG);
			stream[n++] = c;
		}
		fill_random(frame, sizeof(frame), 0);
		frame[0] = (uint8_t)i;
		n += hdlc_encode(&enc, frame, sizeof(frame), stream + n, sizeof(stream) - n);
	}

	struct decoded *d = decode_whole(stream, n, sizeof(frame) + HDLC_FCS_LEN);

	ck_assert_uint_eq(d->counters.frames, 5);
	ck_assert_uint_eq(d->count, 5);
	/* The garbage before each frame is one bad frame, too long or of bad FCS. */
	ck_assert_uint_eq(d->counters.bad_fcs + d->counters.too_long + d->counters.too_short, 5);
	for (int i = 0; i < 5; i++)
		ck_assert_uint_eq(d->data[i * sizeof(frame)], i);
	decoded_free(d);
}
END_TEST

START_TEST(test_decode_too_long)
{
	struct hdlc_encoder enc;
	uint8_t big[100], small[10];
	uint8_t stream[2 * (2 * 100 + 6)];
	size_t n;

	rng_seed(9);
	fill_random(big, sizeof(big), 0);
	fill_random(small, sizeof(small), 0);
	hdlc_encoder_init(&enc, HDLC_ACCM_ALL);
	n = hdlc_encode(&enc, big, sizeof(big), stream, sizeof(stream));
	n += hdlc_encode(&enc, small, sizeof(small), stream + n, sizeof(stream) - n);

	/* Whole, and a byte at a time: too_long is counted once per frame. */
	static const size_t ones[] = { 1 };
	struct decoded *whole = decode_whole(stream, n, 16);
	struct decoded *bytes = decode_chunked(stream, n, 16, ones, 1);

	ck_assert_uint_eq(whole->counters.too_long, 1);
	ck_assert_uint_eq(whole->counters.frames, 1);
	ck_assert_uint_eq(whole->counters.bad_fcs + whole->counters.too_short, 0);
	ck_assert_uint_eq(whole->count, 1);
	ck_assert_uint_eq(whole->lens[0], sizeof(small));
	ck_assert(memcmp(whole->data, small, sizeof(small)) == 0);
	assert_decoded_equal(whole, bytes);
	decoded_free(whole);
	decoded_free(bytes);
}
END_TEST

START_TEST(test_decode_capacity_boundary)
{
	/*
	 * A frame plus FCS of exactly the capacity decodes; one byte more is
	 * too long.  Run with escapes at the very end (a full buffer must
	 * still accept an escape) and without.
	 */
	static const uint32_t accms[] = { HDLC_ACCM_ALL, 0 };
	uint8_t frame[64];

	rng_seed(10);
	for (size_t a = 0; a < 2; a++) {
		struct hdlc_encoder enc;

		hdlc_encoder_init(&enc, accms[a]);
		for (size_t len = 2; len <= sizeof(frame); len++) {
			for (int variant = 0; variant < 4; variant++) {
				fill_random(frame, len, 0);
				if (variant & 1)
					frame[len - 1] = HDLC_ESCAPE;
				if (variant & 2)
					frame[len - 1] = 0x01;

				uint8_t *out;
				size_t n = encode_exact(&enc, frame, len, &out);
				size_t exact = len + HDLC_FCS_LEN;
				static const size_t ones[] = { 1 };
				struct decoded *fits = decode_whole(out, n, exact);
				struct decoded *fits1 = decode_chunked(out, n, exact, ones, 1);
				struct decoded *over = decode_whole(out, n, exact - 1);
				struct decoded *over1 = decode_chunked(out, n, exact - 1, ones, 1);

				ck_assert_uint_eq(fits->count, 1);
				ck_assert(memcmp(fits->data, frame, len) == 0);
				assert_decoded_equal(fits, fits1);
				ck_assert_uint_eq(over->count, 0);
				ck_assert_uint_eq(over->counters.too_long, 1);
				ck_assert_uint_eq(over->counters.bad_fcs, 0);
				assert_decoded_equal(over, over1);
				decoded_free(fits);
				decoded_free(fits1);
				decoded_free(over);
				decoded_free(over1);
				free(out);
			}
		}
	}
}
END_TEST

START_TEST(test_decode_zero_capacity)
{
	struct decoded *d = decode_whole(lcp_accm_all, sizeof(lcp_accm_all), 0);

	ck_assert_uint_eq(d->count, 0);
	ck_assert_uint_eq(d->counters.too_long, 1);
	decoded_free(d);
}
END_TEST

/* ---- round trips and stream splitting ---- */

/* Random frames of the given lengths encoded back to back into *stream. */
static size_t build_stream(uint32_t accm, const size_t *lens, size_t count,
			   uint8_t **frames_out, uint8_t **stream_out)
{
	struct hdlc_encoder enc;
	size_t total = 0, max = 0, n = 0;

	for (size_t i = 0; i < count; i++) {
		total += lens[i];
		max += hdlc_encoded_max(lens[i]);
	}
	uint8_t *frames = malloc(total ? total : 1);
	uint8_t *stream = malloc(max ? max : 1);

	ck_assert_ptr_nonnull(frames);
	ck_assert_ptr_nonnull(stream);
	hdlc_encoder_init(&enc, accm);
	fill_random(frames, total, 16);
	for (size_t i = 0, off = 0; i < count; off += lens[i], i++) {
		size_t used = hdlc_encode(&enc, frames + off, lens[i], stream + n, max - n);

		ck_assert_uint_gt(used, 0);
		/* Drop every other opening flag: frames may share one. */
		if (i % 2 && n > 0) {
			memmove(stream + n, stream + n + 1, used - 1);
			used--;
		}
		n += used;
	}
	*frames_out = frames;
	*stream_out = stream;
	return n;
}

START_TEST(test_round_trip_lengths)
{
	/* Every length from 2 to 2000, each through an exact-size buffer. */
	static const uint32_t accms[] = { HDLC_ACCM_ALL, 0 };

	rng_seed(11);
	for (size_t a = 0; a < 2; a++) {
		for (size_t len = 2; len <= 2000; len++) {
			uint8_t *frames, *stream;
			size_t n = build_stream(accms[a], &len, 1, &frames, &stream);
			struct decoded *d = decode_whole(stream, n, len + HDLC_FCS_LEN);

			ck_assert_uint_eq(d->count, 1);
			ck_assert_uint_eq(d->lens[0], len);
			ck_assert(memcmp(d->data, frames, len) == 0);
			ck_assert_uint_eq(d->counters.frames, 1);
			decoded_free(d);
			free(frames);
			free(stream);
		}
	}
}
END_TEST

START_TEST(test_round_trip_many_frames)
{
	size_t lens[300];
	size_t total = 0;
	uint8_t *frames, *stream;

	rng_seed(12);
	for (size_t i = 0; i < 300; i++) {
		lens[i] = 2 + rng_below(1600);
		total += lens[i];
	}
	size_t n = build_stream(HDLC_ACCM_ALL, lens, 300, &frames, &stream);
	struct decoded *d = decode_whole(stream, n, 1600 + HDLC_FCS_LEN);

	ck_assert_uint_eq(d->count, 300);
	for (size_t i = 0; i < 300; i++)
		ck_assert_uint_eq(d->lens[i], lens[i]);
	ck_assert_uint_eq(d->data_len, total);
	ck_assert(memcmp(d->data, frames, total) == 0);
	ck_assert_uint_eq(d->counters.frames, 300);
	ck_assert_uint_eq(d->counters.bad_fcs + d->counters.too_long + d->counters.too_short +
			  d->counters.aborted, 0);
	decoded_free(d);
	free(frames);
	free(stream);
}
END_TEST

/*
 * A stream with good frames and every kind of bad one: garbage before the
 * first flag, a bad FCS, an abort, a too-long frame, a too-short one.
 */
static size_t build_mixed_stream(uint8_t **stream_out, size_t *capacity)
{
	static const size_t lens[] = { 40, 3, 90, 17, 2, 60, 33 };
	uint8_t *frames, *encoded;
	size_t n = build_stream(HDLC_ACCM_ALL, lens, 7, &frames, &encoded);
	uint8_t *stream = malloc(n + 64);
	size_t m = 0;

	ck_assert_ptr_nonnull(stream);
	/* Garbage before the first flag: a four-byte frame with a bad FCS. */
	static const uint8_t garbage[] = { 0x11, 0x7d, 0x22, 0x33, 0x44 };
	memcpy(stream, garbage, sizeof(garbage));
	m = sizeof(garbage);
	memcpy(stream + m, encoded, n);
	stream[m + 10] ^= 0x01;	/* inside the first frame: a bad FCS */
	m += n;
	/* An abort, a one-byte frame, idle flags. */
	static const uint8_t tail[] = { 0x01, 0x02, 0x7d, 0x7e, 0x05, 0x7e, 0x7e };
	memcpy(stream + m, tail, sizeof(tail));
	m += sizeof(tail);
	free(frames);
	free(encoded);
	*capacity = 50 + HDLC_FCS_LEN;
	*stream_out = stream;
	return m;
}

START_TEST(test_split_every_boundary)
{
	uint8_t *stream;
	size_t capacity;
	size_t n = build_mixed_stream(&stream, &capacity);
	struct decoded *whole = decode_whole(stream, n, capacity);
	struct decoded *reference = decode_reference(stream, n, capacity);

	/* Frames of 90 and 60 bytes exceed the capacity; 40 has a flipped bit. */
	ck_assert_uint_eq(whole->counters.frames, 4);
	ck_assert_uint_eq(whole->count, 4);
	ck_assert_uint_eq(whole->counters.bad_fcs, 2);
	ck_assert_uint_eq(whole->counters.too_long, 2);
	ck_assert_uint_eq(whole->counters.too_short, 1);
	ck_assert_uint_eq(whole->counters.aborted, 1);
	assert_decoded_equal(whole, reference);

	for (size_t split = 0; split <= n; split++) {
		size_t chunks[2] = { split ? split : n, n - split ? n - split : 1 };
		struct decoded *d = decode_chunked(stream, n, capacity, chunks, 2);

		assert_decoded_equal(whole, d);
		decoded_free(d);
	}

	static const size_t ones[] = { 1 };
	struct decoded *bytes = decode_chunked(stream, n, capacity, ones, 1);

	assert_decoded_equal(whole, bytes);
	decoded_free(bytes);
	decoded_free(whole);
	decoded_free(reference);
	free(stream);
}
END_TEST

START_TEST(test_split_random_chunks)
{
	size_t lens[60];
	uint8_t *frames, *stream;

	rng_seed(13);
	for (size_t i = 0; i < 60; i++)
		lens[i] = 2 + rng_below(700);
	size_t n = build_stream(HDLC_ACCM_ALL, lens, 60, &frames, &stream);
	struct decoded *whole = decode_whole(stream, n, 700 + HDLC_FCS_LEN);

	ck_assert_uint_eq(whole->count, 60);
	for (int round = 0; round < 100; round++) {
		size_t chunks[64];

		for (size_t i = 0; i < 64; i++)
			chunks[i] = 1 + rng_below(round % 2 ? 40 : 3000);
		struct decoded *d = decode_chunked(stream, n, 700 + HDLC_FCS_LEN, chunks, 64);

		assert_decoded_equal(whole, d);
		decoded_free(d);
	}
	decoded_free(whole);
	free(frames);
	free(stream);
}
END_TEST

START_TEST(test_decode_matches_reference_on_noise)
{
	/*
	 * Random streams dense in flags and escapes, with small capacities,
	 * fed in random chunks: frames and counters must equal the naive
	 * decoder's, and ASan watches the exact-size buffers.
	 */
	uint8_t stream[3000];

	rng_seed(14);
	for (int round = 0; round < 2000; round++) {
		size_t len = rng_below(sizeof(stream) + 1);
		size_t capacity = rng_below(round % 4 ? 64 : 600);
		size_t chunks[16];

		fill_random(stream, len, 2 + round % 40);
		/* Splice in good frames so that some decode. */
		for (size_t at = rng_below(200); at + 80 < len; at += 100 + rng_below(400)) {
			struct hdlc_encoder enc;
			uint8_t frame[30];
			size_t flen = 2 + rng_below(sizeof(frame) - 1);

			fill_random(frame, flen, 8);
			hdlc_encoder_init(&enc, (uint32_t)rng_next());
			hdlc_encode(&enc, frame, flen, stream + at, 80);
		}
		for (size_t i = 0; i < 16; i++)
			chunks[i] = 1 + rng_below(round % 3 ? 50 : 4000);

		struct decoded *reference = decode_reference(stream, len, capacity);
		struct decoded *d = decode_chunked(stream, len, capacity, chunks, 16);

		assert_decoded_equal(reference, d);
		decoded_free(reference);
		decoded_free(d);
	}
}
END_TEST

static Suite *hdlc_suite(void)
{
	Suite *suite = suite_create("hdlc");
	TCase *tc;

	tc = tcase_create("fcs");
	tcase_add_test(tc, test_fcs_check_value);
	tcase_add_test(tc, test_fcs_good_residue);
	tcase_add_test(tc, test_fcs_matches_bitwise);
	tcase_add_test(tc, test_fcs_incremental);
	tcase_add_test(tc, test_fcs_every_table_entry);
	suite_add_tcase(suite, tc);

	tc = tcase_create("encode");
	tcase_add_test(tc, test_encode_lcp_accm_all);
	tcase_add_test(tc, test_encode_lcp_accm_zero);
	tcase_add_test(tc, test_encode_escapes_flag_escape_and_fcs);
	tcase_add_test(tc, test_encoder_init_table);
	tcase_add_test(tc, test_encode_empty_frame);
	tcase_add_test(tc, test_encode_capacity);
	tcase_add_test(tc, test_encode_worst_case_fits);
	tcase_add_test(tc, test_encode_matches_reference);
	tcase_add_test(tc, test_encode_accm_all_output_clean);
	tcase_add_test(tc, test_encode_accm_zero_controls_raw);
	tcase_add_test(tc, test_encode_every_byte_round_trips);
	tcase_add_test(tc, test_encode_extended_escapes_round_trip);
	suite_add_tcase(suite, tc);

	tc = tcase_create("decode");
	tcase_add_test(tc, test_decode_known_frame);
	tcase_add_test(tc, test_decode_one_frame_per_call);
	tcase_add_test(tc, test_decode_needs_closing_flag);
	tcase_add_test(tc, test_decode_escape_at_end_of_input);
	tcase_add_test(tc, test_decode_idle_flags);
	tcase_add_test(tc, test_decode_too_short);
	tcase_add_test(tc, test_decode_abort);
	tcase_add_test(tc, test_decode_bad_fcs_then_resync);
	tcase_add_test(tc, test_decode_garbage_resync);
	tcase_add_test(tc, test_decode_too_long);
	tcase_add_test(tc, test_decode_capacity_boundary);
	tcase_add_test(tc, test_decode_zero_capacity);
	suite_add_tcase(suite, tc);

	tc = tcase_create("stream");
	/* Sanitizer builds are slow; the exhaustive splits need more than 4 s. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_round_trip_lengths);
	tcase_add_test(tc, test_round_trip_many_frames);
	tcase_add_test(tc, test_split_every_boundary);
	tcase_add_test(tc, test_split_random_chunks);
	tcase_add_test(tc, test_decode_matches_reference_on_noise);
	suite_add_tcase(suite, tc);

	return suite;
}

int main(void)
{
	return check_main_run(hdlc_suite());
}
