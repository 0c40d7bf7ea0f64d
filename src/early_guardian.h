/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The early guardian: a child of the client (pppd with the plugin, or the
 * standalone pppoe-mss), forked before the PADR goes out, that holds nothing
 * of the session -- only a discovery socket of its own and the session's
 * record -- so that a session an AC sets up for us is ended with a PADT even
 * when the client dies before it could: killed between PADR and PADS, between
 * PADS and the start of the session's child, or (standalone) at any time.
 * It sees every PADS for our Host-Uniq itself; the client tells it which
 * session it took, and hands over once the session's own child (the relay,
 * the kernel session's guardian) has the duty -- or, standalone, once the
 * session is over.  If the client dies before a PADS came, the guardian
 * waits EARLY_GUARDIAN_LATE_PADS_MS for one, ends it, and goes (a second
 * later: a retried PADR may have its own answer).  Stopped (SIGTERM)
 * it ends every session it saw that is still open -- a PADS queued before
 * the stop too -- and, when an AC had made us an offer but no session was
 * taken, answers a PADS that comes in the next two seconds with a PADT
 * (the answer to a PADR nobody wants any more), then exits.  The frames and
 * the client's word are read by a worker of its own without root
 * (session_worker.h), which asks the guardian for the PADTs and the rest.
 */
#ifndef PPPOE_MSS_EARLY_GUARDIAN_H
#define PPPOE_MSS_EARLY_GUARDIAN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "confinement.h"
#include "discovery.h"
#include "frame_dump.h"
#include "packet_socket.h"
#include "session_record.h"

/* A PADS answers a PADR within the discovery timeouts: 5 s by default. */
#define EARLY_GUARDIAN_LATE_PADS_MS 10000

struct early_guardian_params {
	const struct discovery *disc;  /* its config: our MAC, Host-Uniq, ethertypes */
	const struct interface_info *iface;
	/* The client's fds the guardian must not hold (sockets, pty): closed in it. */
	const int *let_go;
	size_t let_go_count;
	/* Created here in state_dir, locked, shared with the guardian, which
	 * removes it when it ends the session; fd -1 if it could not be made. */
	struct session_record *record;
	const char *state_dir;
	const struct frame_dump *dump;
	/* The Host-Uniq is this client's alone (derived from its pid): a PADS
	 * after the client died can only answer its PADR. */
	bool host_uniq_is_ours;
	const struct confinement *confinement;  /* for the worker that reads the frames */
};

struct early_guardian {
	pid_t pid;       /* -1: none */
	int control_fd;  /* our end of the pipe: EOF tells the guardian we are gone */
};

/*
 * Create the session's record (a failure is logged, not fatal: the session
 * can run without) and fork the guardian with a discovery socket of its own.
 * 0, or -1 (logged).
 */
int early_guardian_start(struct early_guardian *guardian,
			 const struct early_guardian_params *params);

/* Discovery gave us this session. */
void early_guardian_take(struct early_guardian *guardian, uint16_t session_id,
			 const uint8_t ac_mac[PPPOE_MAC_LEN]);

/* The session is someone else's to end now (or over): the guardian exits
 * without a PADT; reaped here. */
void early_guardian_hand_over(struct early_guardian *guardian);

/* In another child of the client (the relay, a script): let go of our end. */
void early_guardian_close_in_child(struct early_guardian *guardian);

#endif
