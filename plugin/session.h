/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plugin's state: what the user asked for (settings, from pppd's
 * options) and the one session a pppd runs at a time, with what each data
 * path holds while it carries the session.
 */
#ifndef PPPOE_MSS_PLUGIN_SESSION_H
#define PPPOE_MSS_PLUGIN_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "child_process.h"
#include "clamp_policy.h"
#include "confinement.h"
#include "discovery.h"
#include "early_guardian.h"
#include "frame_dump.h"
#include "negotiated_mtu_mru.h"
#include "options.h"
#include "packet_socket.h"
#include "session_lifecycle.h"
#include "session_record.h"

struct plugin_settings {
	/* What pppd read, live: the options of a secrets file come after the
	 * session began and reach the clamp at the next LCP negotiation. */
	const struct clamp_policy *policy;
	enum datapath_choice datapath; /* pppoe-datapath */
	bool sync_requested;        /* pppoe-sync */
	unsigned idle_timeout_s;    /* pppoe-idle-timeout; 0: never */
};

struct tc_clamp;
struct datapath;

struct plugin_session {
	struct interface_info iface;
	struct discovery disc;
	int discovery_fd;           /* kept for the PADT, by the parent and the child */
	int session_fd;             /* packet socket for session frames: only the relay uses it */
	struct frame_dump dump;     /* pppoe-dump; no file: off */
	struct session_lifecycle lifecycle;
	struct session_record record;  /* in the state directory while the session may live */
	struct early_guardian early;    /* from before the PADR until the session's child runs */
	struct confinement confinement;  /* who reads the session's frames, without root */
	uint16_t link_mtu;          /* the largest MTU/MRU the Ethernet link carries: pppoe_link_mtu() */
	unsigned mtu, mru;          /* as LCP negotiated them, capped to link_mtu */
	const struct datapath *datapath;  /* NULL until one carries the session */
	int pppd_fd;                /* handed to pppd by connect(): a channel owns its device fd */
	struct child_process child; /* the early guardian, then the relay or the kernel's guardian */

	/* The user-space relay. */
	bool sync_active;           /* n_hdlc on the relay pty */
	struct negotiated_mtu_mru *share;  /* MTU/MRU to the relay child */

	/* The kernel. */
	struct tc_clamp *clamp;     /* NULL: no clamp program (pppoe-mss off) */
	int guardian_pipe;          /* our end: when the last copy closes, pppd is gone */
};

#endif
