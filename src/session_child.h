/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a session's child processes (the early guardian, the relay on the
 * user-space data path, the guardian on the kernel's) do alike when they
 * start: take a name of their own in ps, so that poff and pidof find pppd
 * alone, and replace their parent's signal handling with their own.
 */
#ifndef PPPOE_MSS_SESSION_CHILD_H
#define PPPOE_MSS_SESSION_CHILD_H

#include <signal.h>
#include <sys/types.h>

#include "stop_signals.h"

/*
 * Exit statuses of a session's child (the early guardian, the relay, the
 * kernel session's guardian): clean when it sent the PADT (or left it to a
 * child that retries) and removed what it owned, or the AC ended the session.
 */
#define SESSION_CHILD_EXIT_CLEAN 0
#define SESSION_CHILD_EXIT_PADT_NEEDED 3  /* it could not send the PADT */

/*
 * fork() with every signal blocked across it: in the child they stay
 * blocked -- pending, not lost to the parent's handlers -- until
 * session_child_begin() has installed the child's own.  The parent's mask
 * is as it was.
 */
pid_t session_child_fork(void);

/*
 * Call first thing in a child of session_child_fork().  Then stop_signal and
 * counters_signal (stop_signals.h) tell the child what it was asked, as they
 * tell the standalone program, a signal that came before this call too.
 */
void session_child_begin(const char *name, const char *title, sigset_t *poll_mask);

#endif
