/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HDLC encoder (tests/test_hdlc): known vectors, the ACCM, capacity,
 * and byte for byte what the naive encoder of hdlc_reference.c writes.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hdlc.h"
#include "hdlc_reference.h"
#include "test_hdlc.h"

/* ---- encoder ---- */

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

TCase *hdlc_encode_tcase(void)
{
	TCase *tc = tcase_create("encode");

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
	return tc;
}
