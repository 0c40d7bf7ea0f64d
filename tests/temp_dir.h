/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A directory of a test's own under /tmp, made and removed. */
#ifndef PPPOE_MSS_TESTS_TEMP_DIR_H
#define PPPOE_MSS_TESTS_TEMP_DIR_H

#include <stddef.h>

#define TEMP_DIR_MAX 64

/* /tmp/<prefix>-XXXXXX, made (fails the test otherwise). */
void temp_dir_make(char path[TEMP_DIR_MAX], const char *prefix);

/* It and everything in it; an empty path is nothing to remove. */
void temp_dir_remove(const char path[TEMP_DIR_MAX]);

#endif
