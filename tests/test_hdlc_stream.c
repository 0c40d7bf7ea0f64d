/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HDLC streams (tests/test_hdlc): frames of every length encoded and decoded
 * back, streams of many frames, good and bad, split at every byte and in
 * random chunks, and random noise decoded as the naive decoder of
 * hdlc_reference.c decodes it.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hdlc.h"
#include "hdlc_reference.h"
#include "test_hdlc.h"

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

	struct decoded *bytes = decode_bytewise(stream, n, capacity);

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

TCase *hdlc_stream_tcase(void)
{
	TCase *tc = tcase_create("stream");

	/* Sanitizer builds are slow; the exhaustive splits need more than 4 s. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_round_trip_lengths);
	tcase_add_test(tc, test_round_trip_many_frames);
	tcase_add_test(tc, test_split_every_boundary);
	tcase_add_test(tc, test_split_random_chunks);
	tcase_add_test(tc, test_decode_matches_reference_on_noise);
	return tc;
}
