/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The signals a running session answers to, the same in the standalone
 * program and in the plugin's session children: SIGTERM, SIGINT and SIGHUP
 * end the session (with a PADT), SIGUSR1 logs the counters.  The handlers
 * only set a flag; the signals stay blocked except while the event loop waits
 * in ppoll(..., poll_mask), so none slips in between a check and a wait.
 */
#ifndef PPPOE_MSS_STOP_SIGNALS_H
#define PPPOE_MSS_STOP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

/* The signal that asked us to stop; 0: none yet. */
extern volatile sig_atomic_t stop_signal;
/* Set by SIGUSR1; whoever logs the counters clears it. */
extern volatile sig_atomic_t counters_signal;

/* Install the handlers, ignore SIGPIPE, block the four signals (and no
 * other) and give the mask to wait with in poll_mask. */
void stop_signals_install(sigset_t *poll_mask);

/* stop_signal != 0, as a function for discovery_io's stop_requested. */
bool stop_signal_received(void);

#endif
