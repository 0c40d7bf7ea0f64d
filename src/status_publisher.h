/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live status of one session (session_status.h), kept up to date by the
 * process that carries its data: from the relay's counters, or from the
 * kernel clamp's.  Published when it changed, at most once a second, so that
 * a busy relay pays a clock read per wake-up and nothing more; withdrawn
 * when the session ends.
 */
#ifndef PPPOE_MSS_STATUS_PUBLISHER_H
#define PPPOE_MSS_STATUS_PUBLISHER_H

#include <stdbool.h>
#include <stdint.h>

#include "discovery.h"
#include "packet_socket.h"
#include "relay.h"
#include "session_status.h"
#include "tc_clamp.h"

/* Compiled in from configure's --with-run-dir. */
#ifndef PPPOE_MSS_RUN_DIR
#define PPPOE_MSS_RUN_DIR "/run/pppoe-mss"
#endif

struct status_publisher {
	struct session_status status;
	uint64_t next_ms;            /* no publishing before this */
	char published[SESSION_STATUS_FILE_MAX];
	size_t published_len;
	bool failure_logged;
};

/* The session as discovery set it up, carried by this process from now on. */
void status_publisher_begin(struct status_publisher *publisher, const struct discovery *disc,
			    const struct interface_info *iface, enum session_datapath datapath,
			    pid_t pppd_pid);

void status_publisher_take_relay(struct status_publisher *publisher, const struct relay *relay);
/* The counters and the MTU/MRU of a status another process reported
 * (session_worker_report); the session's identity stays ours. */
void status_publisher_take_report(struct status_publisher *publisher,
				  const struct session_status *reported);
void status_publisher_take_clamp(struct status_publisher *publisher,
				 const struct tc_clamp_counts *counts,
				 const struct clamp_limits *limits, unsigned mtu, unsigned mru);

/* Publish if a second has passed and something changed (now: monotonic_ms()). */
void status_publisher_flush(struct status_publisher *publisher, uint64_t now_ms);

/* The session is over: no status any more. */
void status_publisher_end(struct status_publisher *publisher);

/* The same, for a session whose publisher was killed (by whoever outlived it). */
void status_publisher_end_for(const char *nic, uint16_t session_id,
			      const uint8_t ac_mac[PPPOE_MAC_LEN]);

#endif
