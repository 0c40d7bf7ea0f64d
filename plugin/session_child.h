/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the session's two kinds of child process (the relay on the
 * user-space data path, the guardian on the kernel's) do alike when they
 * start: take a name of their own in ps, so that poff and pidof find pppd
 * alone, and replace pppd's signal handling with their own.
 */
#ifndef PPPOE_MSS_SESSION_CHILD_H
#define PPPOE_MSS_SESSION_CHILD_H

#include <signal.h>

#include "stop_signals.h"

/*
 * Call first thing after fork().  Then stop_signal and counters_signal
 * (stop_signals.h) tell the child what it was asked, as they tell the
 * standalone program.
 */
void session_child_begin(const char *name, const char *title, sigset_t *poll_mask);

#endif
