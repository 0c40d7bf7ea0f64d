/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A directory of a test's own (temp_dir.h). */
#include "temp_dir.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

void temp_dir_make(char path[TEMP_DIR_MAX], const char *prefix)
{
	snprintf(path, TEMP_DIR_MAX, "/tmp/%s-XXXXXX", prefix);
	ck_assert_ptr_nonnull(mkdtemp(path));
}

void temp_dir_remove(const char path[TEMP_DIR_MAX])
{
	char command[TEMP_DIR_MAX + 16];

	if (path[0] == '\0')
		return;
	snprintf(command, sizeof(command), "rm -rf '%s'", path);
	if (system(command) != 0)
		fprintf(stderr, "could not remove %s\n", path);
}
