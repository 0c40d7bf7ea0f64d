/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plugin's teardown as a state machine without I/O.  Each session has
 * one child process that outlives a SIGKILLed pppd: the relay on the
 * user-space data path, the guardian on the kernel's.  pppd reaches the
 * plugin's end through disconnect() on a normal hangup and only through
 * cleanup() from die(), possibly both, possibly after pppd has already reaped
 * the child itself; whatever the path, every step -- stop the child, reap
 * it, make sure a PADT went out, close the sockets -- happens exactly once,
 * and a PADT is sent by the parent only when the child could not.
 */
#ifndef PPPOE_MSS_SESSION_LIFECYCLE_H
#define PPPOE_MSS_SESSION_LIFECYCLE_H

#include <stdbool.h>

#include "session_child.h"  /* SESSION_CHILD_EXIT_* */


enum session_lifecycle_action {
	SESSION_LIFECYCLE_STOP_CHILD = 1 << 0,     /* signal the session's child to stop */
	/* wait for it, then call session_lifecycle_child_exited/_lost */
	SESSION_LIFECYCLE_REAP_CHILD = 1 << 1,
	SESSION_LIFECYCLE_SEND_PADT = 1 << 2,      /* send the PADT from the parent */
	SESSION_LIFECYCLE_CLOSE_SOCKETS = 1 << 3,  /* close the packet sockets */
};

struct session_lifecycle {
	bool sockets_open;
	bool session_up;
	bool child_running;
	bool child_stop_requested;
	bool child_took_care_of_padt;
};

void session_lifecycle_init(struct session_lifecycle *life);
void session_lifecycle_sockets_opened(struct session_lifecycle *life);
void session_lifecycle_session_up(struct session_lifecycle *life);
void session_lifecycle_child_started(struct session_lifecycle *life);

/* The child was reaped with this waitpid() status. */
void session_lifecycle_child_exited(struct session_lifecycle *life, int wait_status);
/* The child is gone and its status unknown (pppd reaped it: ECHILD). */
void session_lifecycle_child_lost(struct session_lifecycle *life);

/*
 * The next actions to take, as a set of session_lifecycle_action bits; each is
 * returned once.  Call until it returns 0.  After SESSION_LIFECYCLE_REAP_CHILD the
 * caller reports the outcome before calling again.  Within one set, act in
 * the order of the bits: stop, reap, PADT, close.
 */
unsigned session_lifecycle_next(struct session_lifecycle *life);

/* True once everything has been torn down (or nothing was ever set up). */
bool session_lifecycle_done(const struct session_lifecycle *life);

#endif
