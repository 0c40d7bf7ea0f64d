/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The relay as a child process of pppd: it moves the session's frames
 * between the pty that pppd's PPP line discipline sits on and the Ethernet,
 * clamping as it goes.  A process, not a thread, because it must outlive a
 * pppd killed with SIGKILL long enough to send the PADT.  It stays root and
 * touches no frame: a worker of its own that gave up root relays them
 * (relay_worker.h), and this process ends the session when the worker is
 * gone, whatever became of it.
 */
#ifndef PPPOE_MSS_RELAY_CHILD_H
#define PPPOE_MSS_RELAY_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

#include "confinement.h"
#include "discovery.h"
#include "frame_dump.h"
#include "negotiated_mtu_mru.h"
#include "packet_socket.h"
#include "relay.h"
#include "session_record.h"

struct relay_child_params {
	struct relay_config relay;
	struct discovery *disc;        /* the session: PADT watching and building */
	int pty_master;                /* the relay's end of the pty */
	int pty_slave;                 /* pppd's end: closed in the child */
	int session_fd;
	int discovery_fd;
	bool sync;
	unsigned idle_timeout_s;       /* 0: never */
	struct negotiated_mtu_mru *share; /* MTU/MRU from pppd */
	const char *ifname;            /* the Ethernet interface, for the process title */
	const struct interface_info *iface;  /* and for the live status */
	const struct frame_dump *dump;
	struct session_record *record;  /* removed by whoever ends the session */
	int early_guardian_fd;          /* pppd's end of the early guardian's pipe: closed */
	const struct confinement *confinement;  /* for the worker that reads the frames */
};

/* Fork the relay; returns its pid, or -1 with errno set. */
pid_t relay_child_start(const struct relay_child_params *params);

#endif
