/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one way every unit test runs its check suite. */
#ifndef PPPOE_MSS_CHECK_MAIN_H
#define PPPOE_MSS_CHECK_MAIN_H

#include <check.h>

/*
 * Run suite with check's normal output and TAP on standard output -- one
 * line per test, which make check's TAP driver counts -- and return the
 * exit status for main(): 0 when every test passed.
 */
int check_main_run(Suite *suite);

#endif
