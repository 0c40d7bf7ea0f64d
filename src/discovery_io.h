/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs the discovery state machine over a packet socket: sends what it asks
 * for, feeds it received frames and the clock, and explains every outcome in
 * one log line a user can act on.
 */
#ifndef PPPOE_MSS_DISCOVERY_IO_H
#define PPPOE_MSS_DISCOVERY_IO_H

#include <signal.h>
#include <stdbool.h>

#include "discovery.h"
#include "frame_dump.h"
#include "log_limit.h"
#include "packet_socket.h"

enum discovery_outcome {
	DISCOVERY_OUTCOME_SESSION,      /* session up: disc->session_id, disc->ac_mac */
	DISCOVERY_OUTCOME_LISTED,       /* list_only finished */
	DISCOVERY_OUTCOME_FAILED,       /* logged */
	DISCOVERY_OUTCOME_STOPPED,      /* stop_requested() said so */
	DISCOVERY_OUTCOME_IO_ERROR,     /* logged */
};

struct discovery_io {
	int fd;                               /* packet socket for the discovery ethertype */
	const struct interface_info *iface;
	/* Asked at every wake-up (at least once a second): true ends discovery,
	 * e.g. after a SIGTERM; NULL: never. */
	bool (*stop_requested)(void);
	const sigset_t *poll_mask;            /* signal mask while waiting; NULL: unchanged */
	const struct frame_dump *dump;                           /* frame dump (-D), NULL: off */
	/* list_only: called for every offer, with the PADO in event->message */
	void (*on_offer)(const struct discovery_event *event, void *context);
	void *context;
	/* discovery_io_run's own, some 11 KiB: the event and the frame in hand. */
	struct discovery_event event;
	uint8_t frame[PPPOE_FRAME_MAX];
};

enum discovery_outcome discovery_io_run(struct discovery *disc, struct discovery_io *io);

/* Send a PADT for session_id to ac_mac over fd and log it; 0 on success, else
 * -1 with errno from the send. */
int discovery_io_send_padt(const struct discovery *disc, int fd, uint16_t session_id,
			   const uint8_t ac_mac[PPPOE_MAC_LEN], const char *reason, const struct frame_dump *dump);

/*
 * The log lines frames from the segment cause -- offers not chosen, the
 * AC's messages, frames ignored -- each kind through its own rate limit
 * (log_limit.h), and the counts behind them.  One per phase:
 * discovery_io_run keeps its own, whoever watches the session (the relay
 * loop, the kernel session's guardian) one for the session.
 */
struct discovery_log {
	struct log_limit offers;     /* PADOs not chosen */
	struct log_limit messages;   /* the AC's PADMs and PADNs */
	struct log_limit ignored;    /* frames turned away (debug) */
	uint64_t messages_seen;
	uint64_t ignored_before[DISCOVERY_IGNORE_COUNT];  /* disc's counts as the phase began */
};

void discovery_log_init(struct discovery_log *log, const struct discovery *disc);

/*
 * The session's counts at info level, with the relay's or the guardian's:
 * discovery frames ignored since discovery_log_init, by reason, and the
 * AC's messages, with how many were not logged.  Nothing when all are 0.
 */
void discovery_log_counters(const struct discovery_log *log, const struct discovery *disc);

/*
 * During the session: read what waits on the discovery socket fd, log the
 * AC's PADT, PADMs and PADNs, ignore the rest.  True when the AC ended the
 * session.
 */
bool discovery_io_watch_session(struct discovery *disc, struct discovery_log *log, int fd,
				const struct frame_dump *dump);

#endif
