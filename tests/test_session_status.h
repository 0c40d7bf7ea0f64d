/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What test_session_status.c and test_pppoe_mss_sessions.c share. */
#ifndef PPPOE_MSS_TEST_SESSION_STATUS_H
#define PPPOE_MSS_TEST_SESSION_STATUS_H

#include <check.h>
#include <stddef.h>
#include <sys/types.h>

#include "session_status.h"
#include "temp_dir.h"

/* Every field set, each to a value no other field has. */
void status_example(struct session_status *s);

/* The checked fixture of the tests that write files: a directory of their own, made afresh. */
extern char temp_dir[TEMP_DIR_MAX];
void fixture_setup(void);
void fixture_teardown(void);

void path_join(char *out, size_t len, const char *dir, const char *name);

/* A pid no process has: a child that has exited and been reaped. */
pid_t pid_dead(void);

/* test_pppoe_mss_sessions.c: pppoe-mss-sessions run on what session_status_publish writes. */
TCase *pppoe_mss_sessions_tcase(void);

#endif
