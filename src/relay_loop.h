/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The relay's event loop: pppd's pty on one side, the PPPoE session socket on
 * the other, the discovery socket watched for PADT/PADM.  One ppoll per batch;
 * frames decoded in place from large pty reads.
 */
#ifndef PPPOE_MSS_RELAY_LOOP_H
#define PPPOE_MSS_RELAY_LOOP_H

#include <signal.h>
#include <stdbool.h>

#include "discovery.h"
#include "frame_dump.h"
#include "relay.h"

struct relay_loop_config {
	int pppd_in;                  /* where pppd's frames come from (the pty) */
	int pppd_out;                 /* where frames for pppd go (often the same fd) */
	int session_fd;               /* packet socket, session ethertype */
	int discovery_fd;             /* packet socket, discovery ethertype; -1: don't watch */
	bool sync;                    /* n_hdlc: one frame per read/write, no HDLC framing */
	unsigned idle_timeout_s;      /* end after this long without traffic; 0: never */
	const struct frame_dump *dump;                   /* -D frame dump; NULL: off */
	volatile sig_atomic_t *stop;  /* set by a signal handler; NULL: never */
	/* Set by a signal handler (SIGUSR1): log the counters now, mid-session,
	 * and clear it; NULL: only at the end. */
	volatile sig_atomic_t *log_counters;
	const sigset_t *poll_mask;    /* signal mask while waiting; NULL: unchanged */
	/* Called on every wake-up before frames are handled, e.g. to take the
	 * MTU/MRU pppd negotiated (relay_use_negotiated_mtu_mru); NULL: none. */
	void (*on_wakeup)(struct relay *relay, void *context);
	void *context;
};

enum relay_exit {
	RELAY_EXIT_PPPD_GONE,   /* EOF or hangup on the pty */
	RELAY_EXIT_PADT,        /* the access concentrator ended the session */
	RELAY_EXIT_STOPPED,     /* a signal asked us to stop */
	RELAY_EXIT_IDLE,        /* idle timeout */
	RELAY_EXIT_ERROR,       /* logged */
};

/* Give the session socket a queue that holds a burst while pppd is slow
 * (SO_RCVBUFFORCE: only root may), before relay_loop_run(). */
void relay_loop_size_session_socket(int session_fd);

enum relay_exit relay_loop_run(struct relay *relay, struct discovery *disc,
			       const struct relay_loop_config *config);

const char *relay_exit_name(enum relay_exit reason);

/* "MSS clamped: 12 outbound, 9 inbound SYNs" and the drop counters, logged at INFO. */
void relay_log_counters(const struct relay *relay);

#endif
