/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test cases of tests/test_discovery outside test_discovery.c, one per
 * tests/test_discovery_<part>.c; test_discovery.c puts them in its suite.
 */
#ifndef PPPOE_MSS_TESTS_TEST_DISCOVERY_H
#define PPPOE_MSS_TESTS_TEST_DISCOVERY_H

#include <check.h>

TCase *discovery_exchange_tcase(void);
TCase *discovery_choice_tcase(void);
TCase *discovery_timeouts_tcase(void);
TCase *discovery_pads_tcase(void);
TCase *discovery_session_tcase(void);
TCase *discovery_hostile_tcase(void);

#endif
