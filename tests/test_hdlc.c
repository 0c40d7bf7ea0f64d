/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for src/hdlc.c.  The relay trusts this framing with every byte pppd
 * sends or receives, so besides known vectors the encoder and decoder are
 * checked against deliberately naive byte-at-a-time versions
 * (hdlc_reference.c), over random frames, every way of splitting a stream,
 * and random garbage.  Here the FCS and the suite; the encoder, the decoder
 * and whole streams in test_hdlc_encode.c, test_hdlc_decode.c and
 * test_hdlc_stream.c.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "hdlc.h"
#include "hdlc_reference.h"
#include "test_hdlc.h"

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

static TCase *hdlc_fcs_tcase(void)
{
	TCase *tc = tcase_create("fcs");

	tcase_add_test(tc, test_fcs_check_value);
	tcase_add_test(tc, test_fcs_good_residue);
	tcase_add_test(tc, test_fcs_matches_bitwise);
	tcase_add_test(tc, test_fcs_incremental);
	tcase_add_test(tc, test_fcs_every_table_entry);
	return tc;
}

static Suite *hdlc_suite(void)
{
	Suite *suite = suite_create("hdlc");

	suite_add_tcase(suite, hdlc_fcs_tcase());
	suite_add_tcase(suite, hdlc_encode_tcase());
	suite_add_tcase(suite, hdlc_decode_tcase());
	suite_add_tcase(suite, hdlc_stream_tcase());
	return suite;
}

int main(void)
{
	return check_main_run(hdlc_suite());
}
