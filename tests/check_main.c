/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the unit tests: run a suite, report, and give main()'s status.
 * The report is check's own plus TAP on standard output, one line per test,
 * which automake's TAP driver reads (Makefile.am, LOG_DRIVER). */
#include "check_main.h"

int check_main_run(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_set_tap(runner, "-");
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? 0 : 1;
}
