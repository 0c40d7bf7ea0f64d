/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the unit tests: run a suite, report, and give main()'s status. */
#include "check_main.h"

int check_main_run(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? 0 : 1;
}
