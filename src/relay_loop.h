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
#include "hdlc.h"
#include "packet_socket.h"
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

#define RELAY_PTY_READ_SIZE 65536
#define RELAY_PTY_WRITE_SIZE 65536
/* One slot more than a send batch: the frame still being decoded has its own. */
#define RELAY_OUTBOUND_SLOTS (PACKET_BATCH_MAX + 1)

/*
 * The frames in flight both ways, some 290 KiB: the caller provides the
 * room (off the stack) and relay_loop_run() sets it up afresh.
 */
struct relay_loop_buffers {
	/*
	 * pppd -> AC: HDLC frames decode straight into the room after a slot's
	 * headroom, and wait there until the frames of one pty read go out in
	 * one sendmmsg.
	 */
	uint8_t outbound[RELAY_OUTBOUND_SLOTS][RELAY_HEADROOM + PPPOE_FRAME_MAX];
	unsigned outbound_slot;                      /* the one being decoded into */
	uint8_t *outbound_frames[PACKET_BATCH_MAX];  /* Ethernet frames ready to send */
	size_t outbound_lens[PACKET_BATCH_MAX];
	int outbound_count;
	uint8_t pty_read[RELAY_PTY_READ_SIZE];
	/* AC -> pppd: one recvmmsg fills a slot per frame. */
	uint8_t inbound[PACKET_BATCH_MAX][PPPOE_FRAME_MAX];
	uint8_t *inbound_frames[PACKET_BATCH_MAX];
	/* Framed for pppd, waiting for it to read: [pty_write_start, pty_write_end). */
	uint8_t pty_write[RELAY_PTY_WRITE_SIZE];
	size_t pty_write_start;
	size_t pty_write_end;
	struct hdlc_decoder decoder;
	struct hdlc_encoder encoder;
} __attribute__((aligned(64)));  /* on a cache line, wherever the caller keeps it */

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
			       const struct relay_loop_config *config,
			       struct relay_loop_buffers *buffers);

/* relay_report.c: what a session reports when it ends. */
const char *relay_exit_name(enum relay_exit reason);

/* "MSS clamped: 12 outbound, 9 inbound SYNs" and the drop counters, logged at INFO. */
void relay_log_counters(const struct relay *relay);

#endif
