/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user-space data path as a session worker (session_worker.h), the same
 * for the plugin and the standalone program: the relay loop runs confined
 * and reports its counters once a second; this process, still root, sizes
 * the session socket's queue, lets go of the pty and the session socket,
 * publishes the status and waits.  What follows the session (the PADT, the
 * record) is the caller's, as before.
 */
#ifndef PPPOE_MSS_RELAY_WORKER_H
#define PPPOE_MSS_RELAY_WORKER_H

#include <sys/types.h>

#include "confinement.h"
#include "discovery.h"
#include "packet_socket.h"
#include "relay.h"
#include "relay_loop.h"

struct relay_worker_params {
	struct relay *relay;
	struct discovery *disc;
	/* pppd_in, pppd_out, session_fd, discovery_fd, sync, idle_timeout_s,
	 * dump; and on_wakeup/context for the caller's own (in the worker).
	 * stop, log_counters and poll_mask are the worker's. */
	struct relay_loop_config loop;
	const struct confinement *confinement;
	const struct interface_info *iface;
	pid_t pppd_pid;                    /* for the status; 0: unknown */
	const sigset_t *poll_mask;         /* this process's, from stop_signals_install() */
};

/* Why the session ended; RELAY_EXIT_ERROR when the worker could not say
 * (it could not start, or was killed). */
enum relay_exit relay_worker_run(const struct relay_worker_params *params);

#endif
