/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guardian of a session in the kernel: a child of pppd that carries no
 * traffic and holds nothing that keeps the session alive (no PPPoE socket),
 * only what it takes to end the session cleanly -- the discovery socket for
 * the PADT and the clamp program's filters to remove.  It acts when pppd
 * asks it to stop, and when pppd is gone without asking (SIGKILL, a crash):
 * the pipe whose other end only pppd holds reads as closed.  It also logs the
 * AC's PADT and PADM, and the clamp's counters on SIGUSR1 and at the end,
 * and publishes the session's live status.  The AC's frames and pppd's
 * pipe are watched by a worker of its own that gave up root
 * (session_worker.h); the guardian itself keeps root for the clamp, the
 * record and the PADT, and ends the session when the worker is gone,
 * whatever became of it.
 */
#ifndef PPPOE_MSS_GUARDIAN_H
#define PPPOE_MSS_GUARDIAN_H

#include <sys/types.h>

#include "clamp_policy.h"
#include "confinement.h"
#include "discovery.h"
#include "frame_dump.h"
#include "negotiated_mtu_mru.h"
#include "packet_socket.h"
#include "session_record.h"

struct tc_clamp;

struct guardian_params {
	struct discovery *disc;       /* the session: PADT watching and building */
	int discovery_fd;
	int pppd_gone_fd;             /* read end of the pipe pppd holds the other end of */
	int pppd_end_fd;              /* pppd's end, closed in the guardian */
	int session_socket;           /* the PPPoE socket, closed in the guardian */
	int session_frames_fd;        /* the packet socket auto opened for a relay: closed; -1: none */
	struct tc_clamp *clamp;       /* NULL: no clamp program */
	const struct clamp_policy *policy;   /* with the MTU/MRU from share: the limits */
	struct negotiated_mtu_mru *share;    /* MTU/MRU from pppd, for the live status */
	const struct interface_info *iface;  /* for the live status */
	const char *ifname;
	const struct frame_dump *dump;
	struct session_record *record;  /* removed by whoever ends the session */
	int early_guardian_fd;          /* pppd's end of the early guardian's pipe: closed */
	const struct confinement *confinement;  /* for the worker that reads the frames */
};

/* Fork the guardian; returns its pid, or -1 with errno set. */
pid_t guardian_start(const struct guardian_params *params);

/* "MSS clamped: N outbound, N inbound SYNs (in the kernel)", at INFO. */
void guardian_log_clamp_counts(const struct tc_clamp *clamp);

#endif
