/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test cases of tests/test_clamp (and tests/test_clamp_bpf) that live
 * outside test_clamp.c, one function per case, in the file of its layer;
 * test_clamp.c puts them all in its suite.
 */
#ifndef PPPOE_MSS_TESTS_TEST_CLAMP_H
#define PPPOE_MSS_TESTS_TEST_CLAMP_H

#include <check.h>

/* test_clamp_ip.c */
TCase *clamp_ipv4_tcase(void);
TCase *clamp_ipv6_tcase(void);
TCase *clamp_ipsec_tcase(void);
/* test_clamp_tcp.c */
TCase *clamp_tcp_options_tcase(void);
TCase *clamp_checksum_tcase(void);
/* test_clamp_robustness.c */
TCase *clamp_robustness_tcase(void);

#endif
