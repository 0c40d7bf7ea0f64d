/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HDLC decoder (tests/test_hdlc): a known frame, one frame per call,
 * escapes and flags at the end of the input, and every way a frame can be
 * bad -- too short, aborted, of bad FCS, too long, garbage -- with the
 * decoder back in step at the next flag.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hdlc.h"
#include "hdlc_reference.h"
#include "test_hdlc.h"

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
	d = decode_bytewise(stream, n, 64);
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
	struct decoded *whole = decode_whole(stream, n, 16);
	struct decoded *bytes = decode_bytewise(stream, n, 16);

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
				struct decoded *fits = decode_whole(out, n, exact);
				struct decoded *fits1 = decode_bytewise(out, n, exact);
				struct decoded *over = decode_whole(out, n, exact - 1);
				struct decoded *over1 = decode_bytewise(out, n, exact - 1);

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

TCase *hdlc_decode_tcase(void)
{
	TCase *tc = tcase_create("decode");

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
	return tc;
}
