/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The test cases of tests/test_lcp_snoop outside test_lcp_snoop.c, which puts them in its suite. */
#ifndef PPPOE_MSS_TEST_LCP_SNOOP_H
#define PPPOE_MSS_TEST_LCP_SNOOP_H

#include <check.h>

/* An Ack counts only as the answer to its Request. */
TCase *lcp_snoop_answers_tcase(void);

#endif
