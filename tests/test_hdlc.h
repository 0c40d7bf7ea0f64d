/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test cases of tests/test_hdlc that live outside test_hdlc.c, one
 * function per case, in the file of its part; test_hdlc.c puts them all in
 * its suite.
 */
#ifndef PPPOE_MSS_TESTS_TEST_HDLC_H
#define PPPOE_MSS_TESTS_TEST_HDLC_H

#include <check.h>

TCase *hdlc_encode_tcase(void);  /* test_hdlc_encode.c */
TCase *hdlc_decode_tcase(void);  /* test_hdlc_decode.c */
TCase *hdlc_stream_tcase(void);  /* test_hdlc_stream.c */

#endif
