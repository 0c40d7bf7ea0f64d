/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The test case of tests/test_lcp_snoop_answers.c, for test_lcp_snoop's suite. */
#ifndef PPPOE_MSS_TEST_LCP_SNOOP_ANSWERS_H
#define PPPOE_MSS_TEST_LCP_SNOOP_ANSWERS_H

#include <check.h>

/* An Ack counts only as the answer to its Request. */
TCase *lcp_snoop_answers_tcase(void);

#endif
