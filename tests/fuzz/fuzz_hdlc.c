/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target for src/hdlc.c, whose encoder and decoder work a 64-bit word
 * at a time and store past what they mean to write (see the comments there):
 *   - decoding a byte stream gives the same frames and counters as a plain
 *     byte-at-a-time RFC 1662 decoder written here, whether the stream comes
 *     in one read or in reads of sizes drawn from the input;
 *   - every call makes progress and returns a frame with a good FCS (checked
 *     with a bitwise FCS) that fits the buffer;
 *   - encoding arbitrary frames with an arbitrary ACCM gives flag-delimited
 *     output with no flag inside and every ACCM character escaped, in exactly
 *     hdlc_encoded_max() bytes of room, and decoding it gives the frames back.
 * Every buffer is an exact-size heap block, so a word store or load one
 * byte too far is caught by AddressSanitizer.
 *
 * Input: decoder capacity (2), ACCM (4), split seed (4), then the stream,
 * which is also cut into the frames of the round trip.
 */
#include "fuzz_input.h"

#include "hdlc.h"

#define CAPACITY_MAX 2048
#define FRAMES_MAX 64

struct frames {
	uint8_t *bytes;    /* the frames one after another */
	size_t used;
	size_t *lens;
	size_t count;
	size_t max;
	struct hdlc_decoder_counters counters;
};

/* Room for what a stream of len bytes can hold: a frame takes 5 bytes at least. */
static void frames_init(struct frames *f, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->max = len / 5 + 1;
	f->bytes = malloc(len + 1);
	f->lens = malloc(f->max * sizeof(f->lens[0]));
	if (!f->bytes || !f->lens)
		abort();
}

static void frames_free(struct frames *f)
{
	free(f->bytes);
	free(f->lens);
}

FUZZ_UNTRACED
static void frames_add(struct frames *f, const uint8_t *frame, size_t len)
{
	FUZZ_CHECK(f->count < f->max);
	memcpy(f->bytes + f->used, frame, len);
	f->used += len;
	f->lens[f->count++] = len;
}

FUZZ_UNTRACED
static bool frames_equal(const struct frames *a, const struct frames *b)
{
	return a->count == b->count && a->used == b->used &&
	       memcmp(a->lens, b->lens, a->count * sizeof(a->lens[0])) == 0 &&
	       (a->used == 0 || memcmp(a->bytes, b->bytes, a->used) == 0) &&
	       memcmp(&a->counters, &b->counters, sizeof(a->counters)) == 0;
}

/*
 * RFC 1662 FCS-16 from a byte table built here, bit by bit, from the
 * polynomial: nothing shared with src/hdlc.c's tables, and fast enough not
 * to dominate the run.
 */
FUZZ_UNTRACED
static uint16_t bitwise_fcs(const uint8_t *data, size_t len)
{
	static uint16_t table[256];
	static bool built;
	uint16_t fcs = 0xffff;

	if (!built) {
		for (unsigned i = 0; i < 256; i++) {
			uint16_t v = (uint16_t)i;

			for (int bit = 0; bit < 8; bit++)
				v = (v & 1) ? (uint16_t)((v >> 1) ^ 0x8408) : (uint16_t)(v >> 1);
			table[i] = v;
		}
		built = true;
	}
	for (size_t i = 0; i < len; i++)
		fcs = (uint16_t)((fcs >> 8) ^ table[(fcs ^ data[i]) & 0xff]);
	return fcs;
}

/* The plain reading of RFC 1662 section 4, byte by byte. */
FUZZ_UNTRACED
static void reference_decode(const uint8_t *in, size_t len, size_t capacity, struct frames *out)
{
	uint8_t *buf = malloc(capacity + 1);
	size_t used = 0;
	bool escaped = false, discarding = false;

	if (!buf)
		abort();
	for (size_t i = 0; i < len; i++) {
		uint8_t c = in[i];

		if (c == HDLC_FLAG) {
			if (discarding) {
				discarding = false;
			} else if (escaped) {
				out->counters.aborted++;
			} else if (used == 0) {
				/* idle flags */
			} else if (used < 2 + HDLC_FCS_LEN) {
				out->counters.too_short++;
			} else if (bitwise_fcs(buf, used) != HDLC_FCS_GOOD) {
				out->counters.bad_fcs++;
			} else {
				out->counters.frames++;
				frames_add(out, buf, used - HDLC_FCS_LEN);
			}
			used = 0;
			escaped = false;
			continue;
		}
		if (discarding)
			continue;
		if (!escaped && c == HDLC_ESCAPE) {
			escaped = true;
			continue;
		}
		if (used == capacity) {
			out->counters.too_long++;
			discarding = true;
			escaped = false;
			used = 0;
			continue;
		}
		buf[used++] = escaped ? c ^ HDLC_ESCAPE_XOR : c;
		escaped = false;
	}
	free(buf);
}

static uint32_t next_random(uint32_t *state)
{
	/* xorshift32: any nonzero state. */
	uint32_t x = *state ? *state : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* A read size: mostly small, sometimes large, never 0. */
static size_t read_size(uint32_t *seed)
{
	uint32_t r = next_random(seed);

	return (r & 3) ? 1 + (r >> 8) % 17 : 1 + (r >> 8) % 700;
}

/* Decode in reads of random sizes (split) or one read, each an exact-size copy. */
static void decode(const uint8_t *stream, size_t len, size_t capacity, uint32_t *seed,
		   bool split, struct frames *out)
{
	uint8_t *buffer = malloc(capacity ? capacity : 1);
	struct hdlc_decoder dec;
	size_t offset = 0;

	if (!buffer)
		abort();
	hdlc_decoder_init(&dec, buffer, capacity);
	while (offset < len) {
		size_t chunk = split ? read_size(seed) : len;
		uint8_t *copy;
		size_t left;
		const uint8_t *p;

		if (chunk > len - offset)
			chunk = len - offset;
		copy = fuzz_copy(stream + offset, chunk, 0);
		p = copy;
		left = chunk;
		while (left > 0) {
			const uint8_t *frame;
			size_t frame_len, used = hdlc_decode(&dec, p, left, &frame, &frame_len);

			FUZZ_CHECK(used > 0 && used <= left);
			if (frame_len) {
				FUZZ_CHECK(frame == buffer);
				FUZZ_CHECK(frame_len >= 2 && frame_len + HDLC_FCS_LEN <= capacity);
				FUZZ_CHECK(bitwise_fcs(frame, frame_len + HDLC_FCS_LEN) == HDLC_FCS_GOOD);
				frames_add(out, frame, frame_len);
			} else {
				/* Without a frame the read is used up. */
				FUZZ_CHECK(used == left && frame == NULL);
			}
			p += used;
			left -= used;
		}
		free(copy);
		offset += chunk;
	}
	out->counters = dec.counters;
	free(buffer);
}

FUZZ_UNTRACED
static void check_encoding(const uint8_t *out, size_t n, size_t frame_len, uint32_t accm)
{
	FUZZ_CHECK(n >= 2 + frame_len + HDLC_FCS_LEN && n <= hdlc_encoded_max(frame_len));
	FUZZ_CHECK(out[0] == HDLC_FLAG && out[n - 1] == HDLC_FLAG);
	for (size_t i = 1; i + 1 < n; i++) {
		FUZZ_CHECK(out[i] != HDLC_FLAG);
		/* An escaped character comes out with bit 5 flipped: >= 0x20 when it was below. */
		if (out[i] < 0x20)
			FUZZ_CHECK(!((accm >> out[i]) & 1));
		if (out[i] == HDLC_ESCAPE)
			FUZZ_CHECK(i + 2 < n && out[i + 1] != HDLC_FLAG);
	}
}

static void round_trip(const uint8_t *data, size_t len, uint32_t accm, uint32_t *seed)
{
	struct hdlc_encoder enc;
	struct frames want, got, reference;
	size_t stream_len = 0, offset = 0, longest = 0;
	/* Each frame encodes to at most 2 flags + 2 * (its bytes + FCS). */
	uint8_t *stream = malloc(2 * len + (2 + 2 * HDLC_FCS_LEN) * FRAMES_MAX);
	unsigned too_short = 0;

	if (!stream)
		abort();
	frames_init(&want, len + 5 * FRAMES_MAX);
	frames_init(&got, len + 5 * FRAMES_MAX);
	frames_init(&reference, len + 5 * FRAMES_MAX);
	hdlc_encoder_init(&enc, accm);

	for (unsigned n = 0; n < FRAMES_MAX && (offset < len || n == 0); n++) {
		uint32_t r = next_random(seed);
		size_t frame_len = (r & 7) == 0 ? r >> 8 & 1 : (r >> 8) % 1600;
		size_t max, written;
		uint8_t *frame, *out;

		if (frame_len > len - offset)
			frame_len = len - offset;
		frame = fuzz_copy(data + offset, frame_len, 0);
		max = hdlc_encoded_max(frame_len);
		out = malloc(max);
		if (!out)
			abort();
		/* One byte short of the worst case is refused, whatever the frame. */
		FUZZ_CHECK(hdlc_encode(&enc, frame, frame_len, out, max - 1) == 0);
		written = hdlc_encode(&enc, frame, frame_len, out, max);
		check_encoding(out, written, frame_len, accm);
		memcpy(stream + stream_len, out, written);
		stream_len += written;
		if (frame_len < 2) {
			too_short++;
		} else {
			frames_add(&want, frame, frame_len);
			want.counters.frames++;
		}
		if (frame_len > longest)
			longest = frame_len;
		free(out);
		free(frame);
		offset += frame_len;
	}
	want.counters.too_short = too_short;

	decode(stream, stream_len, longest + HDLC_FCS_LEN, seed, true, &got);
	FUZZ_CHECK(frames_equal(&want, &got));
	reference_decode(stream, stream_len, longest + HDLC_FCS_LEN, &reference);
	FUZZ_CHECK(frames_equal(&want, &reference));
	frames_free(&want);
	frames_free(&got);
	frames_free(&reference);
	free(stream);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	size_t capacity = fuzz_u16(&in) % (CAPACITY_MAX + 1);
	uint32_t accm = fuzz_u32(&in);
	uint32_t seed = fuzz_u32(&in);
	struct frames whole, split, reference;
	const uint8_t *stream;
	size_t len;

	stream = fuzz_bytes(&in, in.len, &len);
	/* Decoded frames are never longer than the stream. */
	frames_init(&whole, len);
	frames_init(&split, len);
	frames_init(&reference, len);

	decode(stream, len, capacity, &seed, false, &whole);
	decode(stream, len, capacity, &seed, true, &split);
	reference_decode(stream, len, capacity, &reference);
	FUZZ_CHECK(frames_equal(&whole, &reference));
	FUZZ_CHECK(frames_equal(&split, &reference));
	frames_free(&whole);
	frames_free(&split);
	frames_free(&reference);

	round_trip(stream, len, accm, &seed);
	return 0;
}
