/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The relay's ppoll loop between pppd's pty and the Ethernet. */
#include "relay_loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "discovery_io.h"
#include "frame_dump.h"
#include "log.h"
#include "monotonic.h"

/* Bounded batches, so neither direction can starve the other. */
#define RELAY_BATCH_FRAMES 64
#define PTY_READS_PER_WAKEUP 4

/*
 * Frames for pppd wait in pty_write until its side of the pty takes them:
 * HDLC-encoded, or on n_hdlc (sync) each behind its length, as
 * SYNC_LENGTH_BYTES in host order.  The queue is bounded; when it has no room
 * for another batch the loop stops reading the session socket until pppd
 * reads again, and a burst waits in the socket's queue (SESSION_RECEIVE_BUFFER)
 * rather than being read only to be dropped here.  Beyond that queue the
 * kernel drops, and counts, what arrives: RELAY_DROP_SOCKET_FULL.
 */
#define SYNC_LENGTH_BYTES 2

/*
 * What the session socket may queue for us while pppd is not reading: TCP
 * towards us keeps sending what it has in flight, some 1 MB at 100 Mbit/s
 * and 80 ms.  The kernel counts its overhead per frame in this too.
 */
#define SESSION_RECEIVE_BUFFER (1 << 20)

/* Read the kernel's drop count at most this often, and when the loop ends. */
#define SOCKET_DROPS_EVERY_MS 1000

/* One session's loop: what every step works with, set once by relay_loop_run(). */
struct relay_loop {
	struct relay *relay;
	const struct relay_loop_config *config;
	struct relay_loop_buffers *buffers;
	const struct pppd_framing *framing;
	size_t pppd_frame_room;      /* the most room one frame for pppd takes in the queue */
};

/*
 * How frames cross pppd's side, chosen once per session: async HDLC over a
 * pty (RFC 1662, hdlc.c), a byte stream of many frames per read and write;
 * or n_hdlc (sync), which hands over one whole frame per read and takes one
 * per write.  Nothing else in the loop knows which.
 */
struct pppd_framing {
	/* pppd -> AC: read what pppd wrote and send its frames on; read()'s
	 * last result, with its errno in *read_errno. */
	ssize_t (*read_frames)(struct relay_loop *loop, int *read_errno);
	/* The most room a PPP frame of len bytes takes in the queue for pppd. */
	size_t (*queued_max)(size_t len);
	/* AC -> pppd: queue one PPP frame in the room there is; false when it does not fit. */
	bool (*queue_frame)(struct relay_loop_buffers *b, const uint8_t *ppp, size_t len,
			    size_t room);
	/* One write from the head of the queue, which moves past what pppd
	 * took; write()'s result. */
	ssize_t (*write_queued)(struct relay_loop_buffers *b, int fd);
};

/*
 * Room at the end of the queue, for need bytes if it can be had: the unsent
 * rest moves forward when that is no more than what was sent before it.
 * Moving it on every partial write to a full pty would copy the queue many
 * times over for every byte pppd reads.
 */
static size_t pppd_queue_room(struct relay_loop_buffers *b, size_t need)
{
	size_t pending = b->pty_write_end - b->pty_write_start;

	if (sizeof(b->pty_write) - b->pty_write_end < need && pending <= b->pty_write_start) {
		memmove(b->pty_write, b->pty_write + b->pty_write_start, pending);
		b->pty_write_start = 0;
		b->pty_write_end = pending;
	}
	return sizeof(b->pty_write) - b->pty_write_end;
}

static bool pppd_output_pending(const struct relay_loop_buffers *b)
{
	return b->pty_write_end > b->pty_write_start;
}

/* How many frames from the session socket the queue takes now, at most a batch. */
static int pppd_queue_frames(const struct relay_loop *loop)
{
	size_t frames = pppd_queue_room(loop->buffers, PACKET_BATCH_MAX * loop->pppd_frame_room) /
			loop->pppd_frame_room;

	return frames < PACKET_BATCH_MAX ? (int)frames : PACKET_BATCH_MAX;
}

/*
 * Whether to read the session socket: while the queue has room for a whole
 * batch (or is empty, for frames so large that no whole batch fits), so that
 * a pppd that reads slowly wakes us for batches, not frame by frame.
 */
static bool pppd_takes_batch(const struct relay_loop *loop)
{
	return !pppd_output_pending(loop->buffers) || pppd_queue_frames(loop) == PACKET_BATCH_MAX;
}

/*
 * Write what is queued for pppd without ever blocking: a pppd that is not
 * reading (not attached yet, tearing down, or just slow) must not keep the
 * relay from its sockets or from a SIGTERM.  What does not fit stays queued
 * for the next POLLOUT.  Returns -1 when pppd's side is gone.
 */
static int flush_to_pppd(const struct relay_loop *loop)
{
	struct relay_loop_buffers *b = loop->buffers;

	while (b->pty_write_start < b->pty_write_end) {
		ssize_t written = loop->framing->write_queued(b, loop->config->pppd_out);

		if (written < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -1;
		}
	}
	b->pty_write_start = b->pty_write_end = 0;
	return 0;
}

static void send_outbound(struct relay_loop *loop, uint8_t *ppp, size_t len)
{
	uint8_t *eth_frame;
	size_t eth_len = relay_outbound(loop->relay, ppp, len, &eth_frame);

	if (eth_len == 0)
		return;
	frame_dump(loop->config->dump, "sent session", eth_frame, eth_len);
	if (packet_socket_send(loop->config->session_fd, eth_frame, eth_len) < 0)
		log_message(LOG_LEVEL_DEBUG, "dropped an outbound frame: %s", strerror(errno));
}

static uint8_t *outbound_slot_frame(struct relay_loop_buffers *b, unsigned slot)
{
	return b->outbound[slot] + RELAY_HEADROOM;
}

static void send_queued_outbound(struct relay_loop *loop)
{
	struct relay_loop_buffers *b = loop->buffers;
	int failed;

	if (b->outbound_count == 0)
		return;
	failed = packet_socket_send_batch(loop->config->session_fd, b->outbound_frames,
					  b->outbound_lens, b->outbound_count);
	if (failed > 0)
		log_message(LOG_LEVEL_DEBUG, "dropped %d outbound frames: %s", failed, strerror(errno));
	b->outbound_count = 0;
}

/* The decoder completed a frame of len bytes in its slot: queue it, decode on in the next. */
static void queue_outbound(struct relay_loop *loop, size_t len)
{
	struct relay_loop_buffers *b = loop->buffers;
	uint8_t *eth_frame;
	size_t eth_len = relay_outbound(loop->relay, outbound_slot_frame(b, b->outbound_slot), len,
					&eth_frame);

	if (eth_len == 0)
		return;  /* dropped and counted: the slot takes the next frame */
	frame_dump(loop->config->dump, "sent session", eth_frame, eth_len);
	b->outbound_frames[b->outbound_count] = eth_frame;
	b->outbound_lens[b->outbound_count++] = eth_len;
	b->outbound_slot = (b->outbound_slot + 1) % RELAY_OUTBOUND_SLOTS;
	hdlc_decoder_move(&b->decoder, outbound_slot_frame(b, b->outbound_slot), PPPOE_FRAME_MAX);
	if (b->outbound_count == PACKET_BATCH_MAX)
		send_queued_outbound(loop);
}

/* Async HDLC: a byte stream, decoded and encoded by hdlc.c. */

/*
 * A pty hands over at most 4 KiB per read (its line discipline's buffer),
 * refilled while we decode: reading again before the next ppoll saves a
 * sleep and a wake-up per 4 KiB under load.
 */
static ssize_t async_read_frames(struct relay_loop *loop, int *read_errno)
{
	struct relay_loop_buffers *b = loop->buffers;
	ssize_t got = 0;

	for (int reads = 0; reads < PTY_READS_PER_WAKEUP; reads++) {
		size_t used = 0;

		got = read(loop->config->pppd_in, b->pty_read, sizeof(b->pty_read));
		*read_errno = errno;
		while (got > 0 && used < (size_t)got) {
			const uint8_t *frame;
			size_t frame_len;
			size_t consumed = hdlc_decode(&b->decoder, b->pty_read + used,
						      (size_t)got - used, &frame, &frame_len);
			if (consumed == 0 && frame_len == 0)
				break;
			used += consumed;
			if (frame_len > 0)
				queue_outbound(loop, frame_len);
		}
		if (got <= 0)
			break;
	}
	send_queued_outbound(loop);
	return got;
}

static size_t async_queued_max(size_t len)
{
	return hdlc_encoded_max(len);
}

static bool async_queue_frame(struct relay_loop_buffers *b, const uint8_t *ppp, size_t len,
			      size_t room)
{
	if (room < hdlc_encoded_max(len))
		return false;
	b->pty_write_end += hdlc_encode(&b->encoder, ppp, len, b->pty_write + b->pty_write_end,
					room);
	return true;
}

static ssize_t async_write_queued(struct relay_loop_buffers *b, int fd)
{
	ssize_t written = write(fd, b->pty_write + b->pty_write_start,
				b->pty_write_end - b->pty_write_start);

	if (written > 0)
		b->pty_write_start += (size_t)written;
	return written;
}

static const struct pppd_framing async_hdlc = {
	.read_frames = async_read_frames, .queued_max = async_queued_max,
	.queue_frame = async_queue_frame, .write_queued = async_write_queued,
};

/* n_hdlc: one frame per read and per write. */

static ssize_t sync_read_frames(struct relay_loop *loop, int *read_errno)
{
	uint8_t *frame_start = outbound_slot_frame(loop->buffers, 0);
	ssize_t got = read(loop->config->pppd_in, frame_start, PPPOE_FRAME_MAX);

	*read_errno = errno;
	if (got > 0)
		send_outbound(loop, frame_start, (size_t)got);
	return got;
}

static size_t sync_queued_max(size_t len)
{
	return SYNC_LENGTH_BYTES + len;
}

static bool sync_queue_frame(struct relay_loop_buffers *b, const uint8_t *ppp, size_t len,
			     size_t room)
{
	uint16_t sync_len = (uint16_t)len;

	if (len > UINT16_MAX || room < SYNC_LENGTH_BYTES + len)
		return false;
	memcpy(b->pty_write + b->pty_write_end, &sync_len, sizeof(sync_len));
	memcpy(b->pty_write + b->pty_write_end + SYNC_LENGTH_BYTES, ppp, len);
	b->pty_write_end += SYNC_LENGTH_BYTES + len;
	return true;
}

/* n_hdlc takes a frame whole or not at all. */
static ssize_t sync_write_queued(struct relay_loop_buffers *b, int fd)
{
	uint16_t len;
	ssize_t written;

	memcpy(&len, b->pty_write + b->pty_write_start, sizeof(len));
	written = write(fd, b->pty_write + b->pty_write_start + SYNC_LENGTH_BYTES, len);
	if (written >= 0)
		b->pty_write_start += SYNC_LENGTH_BYTES + len;
	return written;
}

static const struct pppd_framing n_hdlc = {
	.read_frames = sync_read_frames, .queued_max = sync_queued_max,
	.queue_frame = sync_queue_frame, .write_queued = sync_write_queued,
};

/* pppd -> AC.  Returns false when pppd is gone. */
static bool relay_from_pppd(struct relay_loop *loop)
{
	int read_errno = 0;
	ssize_t got = loop->framing->read_frames(loop, &read_errno);

	if (got > 0)
		return true;
	/* The sends since may have changed errno. */
	if (got < 0 && (read_errno == EINTR || read_errno == EAGAIN))
		return true;
	/* EOF, or EIO once the pty slave is closed: pppd has let go of the line. */
	return false;
}

/*
 * AC -> pppd: queue one frame.  relay_to_pppd() reads no more frames than
 * the queue has room for, so none should find it full; if one does, it is
 * dropped and counted.
 */
static void frame_to_pppd(struct relay_loop *loop, uint8_t *frame, size_t len)
{
	uint8_t *ppp;
	size_t ppp_len;
	size_t room;

	frame_dump(loop->config->dump, "received session", frame, len);
	ppp_len = relay_inbound(loop->relay, frame, len, &ppp);
	if (ppp_len == 0)
		return;
	room = pppd_queue_room(loop->buffers, loop->pppd_frame_room);
	if (!loop->framing->queue_frame(loop->buffers, ppp, ppp_len, room))
		loop->relay->counters.dropped[RELAY_DROP_PPPD_BUSY]++;
}

/*
 * Reads as many frames as the queue for pppd has room for, up to
 * RELAY_BATCH_FRAMES, and hands the queue to pppd.  Returns false when
 * pppd's side is gone.
 */
static bool relay_to_pppd(struct relay_loop *loop)
{
	struct relay_loop_buffers *b = loop->buffers;

	for (int read_frames = 0; read_frames < RELAY_BATCH_FRAMES;) {
		size_t lens[PACKET_BATCH_MAX];
		int room = pppd_queue_frames(loop);
		int got;

		if (room == 0) {
			if (flush_to_pppd(loop) < 0)
				return false;
			room = pppd_queue_frames(loop);
			if (room == 0)
				break;  /* the rest waits in the socket until pppd reads */
		}
		got = packet_socket_receive_batch(loop->config->session_fd, b->inbound_frames,
						  sizeof(b->inbound[0]), lens, room);
		/* A length of 0 is a frame that was not ours. */
		for (int k = 0; k < got; k++)
			if (lens[k] > 0)
				frame_to_pppd(loop, b->inbound[k], lens[k]);
		if (got < room)
			break;
		read_frames += got;
	}
	return flush_to_pppd(loop) == 0;
}

static void set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static void log_limits_if_changed(const struct relay *relay, unsigned *seen_generation)
{
	const struct clamp_limits *limits = &relay->limits;

	if (*seen_generation == relay->limits_generation)
		return;
	*seen_generation = relay->limits_generation;
	log_message(LOG_LEVEL_INFO,
		    "MTU %u, MRU %u: clamping MSS of outbound SYNs to %u (IPv4) / %u (IPv6), "
		    "inbound to %u / %u (0 = off)",
		    relay->mtu, relay->mru, limits->outbound.ipv4, limits->outbound.ipv6,
		    limits->inbound.ipv4, limits->inbound.ipv6);
}

/*
 * POLLERR on a packet socket.  An Ethernet link that goes down and comes back
 * (a cable pulled and plugged again, a modem restarting) is no reason to end
 * the session: the kernel binds the socket again once the interface is up,
 * and pppd's LCP echo (lcp-echo-interval, lcp-echo-failure), as configured,
 * decides whether the session outlived the gap, as it does for a failure
 * further away.  Reading the error clears it; left pending, ppoll would
 * report it forever.  Any other error, or an interface that is gone, ends
 * the session.  tell_link_down: say so when the link went down (once, for
 * the session socket: the discovery socket sees the same).
 */
static bool socket_error_survivable(int fd, const char *which, bool tell_link_down)
{
	bool link_down;

	if (!packet_socket_survives_error(fd, &link_down)) {
		log_message(LOG_LEVEL_ERROR, "the %s socket failed (%s): ending the session", which,
			    strerror(errno));
		return false;
	}
	if (link_down && tell_link_down)
		log_message(LOG_LEVEL_NOTICE, "the Ethernet link went down: keeping the session "
			    "for when it comes back (pppd's LCP echo decides)");
	return true;
}

/* Count what the kernel dropped on the session socket since the last call. */
static void take_socket_drops(struct relay *relay, const struct relay_loop_config *config)
{
	(void)packet_socket_take_drops(config->session_fd,
				       &relay->counters.dropped[RELAY_DROP_SOCKET_FULL]);
}

static enum relay_exit relay_loop_serve(struct relay_loop *loop, struct discovery *disc,
					struct discovery_log *discovery_log)
{
	enum { PPPD_IN, SESSION, PPPD_OUT, DISCOVERY, POLL_FDS };
	struct relay *relay = loop->relay;
	const struct relay_loop_config *config = loop->config;
	struct pollfd fds[POLL_FDS];
	nfds_t nfds = config->discovery_fd >= 0 ? POLL_FDS : DISCOVERY;
	unsigned seen_generation = 0;
	uint64_t last_activity = monotonic_ms();
	uint64_t traffic_seen = 0;
	uint64_t drops_taken_at = last_activity;

	fds[PPPD_IN] = (struct pollfd){ .fd = config->pppd_in, .events = POLLIN };
	fds[SESSION] = (struct pollfd){ .fd = config->session_fd, .events = POLLIN };
	fds[PPPD_OUT] = (struct pollfd){ .fd = config->pppd_out };
	fds[DISCOVERY] = (struct pollfd){ .fd = config->discovery_fd, .events = POLLIN };

	if (config->on_wakeup != NULL)
		config->on_wakeup(relay, config->context);
	for (;;) {
		struct timespec wait = { .tv_sec = 1 };
		int ready;

		log_limits_if_changed(relay, &seen_generation);
		if (config->stop != NULL && *config->stop)
			return RELAY_EXIT_STOPPED;
		uint64_t now = monotonic_ms();
		if (now - drops_taken_at >= SOCKET_DROPS_EVERY_MS ||
		    (config->log_counters != NULL && *config->log_counters)) {
			drops_taken_at = now;
			take_socket_drops(relay, config);
		}
		if (config->log_counters != NULL && *config->log_counters) {
			*config->log_counters = 0;
			relay_log_counters(relay);
			discovery_log_counters(discovery_log, disc);
		}
		if (config->idle_timeout_s > 0) {
			uint64_t traffic = relay->counters.frames[PPP_OUTBOUND] +
					   relay->counters.frames[PPP_INBOUND];
			if (traffic != traffic_seen) {
				traffic_seen = traffic;
				last_activity = now;
			} else if (now - last_activity >= (uint64_t)config->idle_timeout_s * 1000u) {
				log_message(LOG_LEVEL_NOTICE, "no traffic for %u seconds: ending the session",
					    config->idle_timeout_s);
				return RELAY_EXIT_IDLE;
			}
		}

		/* Backpressure: the session socket waits while pppd's queue is full. */
		fds[SESSION].events = pppd_takes_batch(loop) ? POLLIN : 0;
		fds[PPPD_OUT].events = pppd_output_pending(loop->buffers) ? POLLOUT : 0;
		ready = ppoll(fds, nfds, &wait, config->poll_mask);
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			log_message(LOG_LEVEL_ERROR, "poll: %s", strerror(errno));
			return RELAY_EXIT_ERROR;
		}
		if (config->on_wakeup != NULL)
			config->on_wakeup(relay, config->context);
		if (ready == 0)
			continue;
		if (nfds > DISCOVERY && (fds[DISCOVERY].revents & POLLIN) &&
		    discovery_io_watch_session(disc, discovery_log, config->discovery_fd, config->dump))
			return RELAY_EXIT_PADT;
		if ((fds[PPPD_OUT].revents & POLLOUT) && flush_to_pppd(loop) < 0)
			return RELAY_EXIT_PPPD_GONE;
		if (fds[SESSION].revents & POLLIN) {
			if (!relay_to_pppd(loop)) {
				log_message(LOG_LEVEL_NOTICE, "cannot write to pppd (%s): ending the session",
					    strerror(errno));
				return RELAY_EXIT_PPPD_GONE;
			}
		}
		if ((fds[SESSION].revents & (POLLERR | POLLNVAL)) &&
		    !socket_error_survivable(config->session_fd, "session", true))
			return RELAY_EXIT_ERROR;
		if (nfds > DISCOVERY && (fds[DISCOVERY].revents & (POLLERR | POLLNVAL)) &&
		    !socket_error_survivable(config->discovery_fd, "discovery", false))
			return RELAY_EXIT_ERROR;
		if (fds[PPPD_IN].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
			if (!relay_from_pppd(loop))
				return RELAY_EXIT_PPPD_GONE;
		}
	}
}

void relay_loop_size_session_socket(int session_fd)
{
	int granted = packet_socket_set_receive_buffer(session_fd, SESSION_RECEIVE_BUFFER);

	if (granted < 0)
		log_message(LOG_LEVEL_INFO, "cannot size the session socket's queue (%s): bursts "
			    "while pppd is slow may be dropped sooner", strerror(errno));
	else
		log_message(LOG_LEVEL_DEBUG, "the session socket queues up to %d bytes", granted);
}

/* The buffers afresh, and pppd's side never blocking us. */
static void relay_loop_begin(struct relay_loop *loop)
{
	struct relay_loop_buffers *b = loop->buffers;

	b->outbound_slot = 0;
	b->outbound_count = 0;
	hdlc_decoder_init(&b->decoder, outbound_slot_frame(b, 0), PPPOE_FRAME_MAX);
	for (int k = 0; k < PACKET_BATCH_MAX; k++)
		b->inbound_frames[k] = b->inbound[k];
	hdlc_encoder_init(&b->encoder, HDLC_ACCM_ALL);
	b->pty_write_start = b->pty_write_end = 0;
	set_nonblocking(loop->config->pppd_in);
	set_nonblocking(loop->config->pppd_out);
}

enum relay_exit relay_loop_run(struct relay *relay, struct discovery *disc,
			       const struct relay_loop_config *config,
			       struct relay_loop_buffers *buffers)
{
	struct relay_loop loop = {
		.relay = relay, .config = config, .buffers = buffers,
		.framing = config->sync ? &n_hdlc : &async_hdlc,
	};
	size_t ppp_max = relay_inbound_max(relay);
	struct discovery_log discovery_log;
	enum relay_exit why;

	/* The longest frame for pppd: the link_mtu of relay_config, fixed for the session. */
	if (ppp_max > PPPOE_FRAME_MAX)
		ppp_max = PPPOE_FRAME_MAX;
	loop.pppd_frame_room = loop.framing->queued_max(ppp_max);

	/* What the socket dropped before the relay began -- it opens before
	 * discovery, and nobody reads it until now -- was not pppd's doing. */
	uint64_t before_the_relay = 0;
	(void)packet_socket_take_drops(config->session_fd, &before_the_relay);
	discovery_log_init(&discovery_log, disc);
	relay_loop_begin(&loop);
	why = relay_loop_serve(&loop, disc, &discovery_log);
	/* The last count, for the log and the status that follow. */
	take_socket_drops(relay, config);
	discovery_log_counters(&discovery_log, disc);
	return why;
}
