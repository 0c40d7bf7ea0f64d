/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The I/O side of discovery: a ppoll loop around the sans-IO state machine. */
#include "discovery_io.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "frame_dump.h"
#include "log.h"
#include "monotonic.h"
#include "render.h"

static void describe_ac(const struct pppoe_discovery *msg, char *name, size_t name_len,
			char mac[RENDER_MAC_LEN])
{
	if (msg->ac_name.value != NULL)
		render_printable(msg->ac_name.value, msg->ac_name.length, name, name_len);
	else
		snprintf(name, name_len, "(no AC-Name)");
	render_mac(msg->frame.source, mac);
}

static void log_error_tag(const char *what, const struct pppoe_tag *tag)
{
	char text[256];

	render_printable(tag->value, tag->length, text, sizeof(text));
	log_message(LOG_LEVEL_ERROR, "%s%s%s", what, text[0] ? ": " : "", text);
}

/*
 * Anyone on the segment can send PADOs, PADMs and junk by the thousand a
 * second: of each kind, so many lines a minute are logged and the rest
 * counted (log_limit.h).
 */
#define LOG_LIMIT_INTERVAL_MS 60000u
#define OFFERS_LOGGED_PER_INTERVAL 8
#define MESSAGES_LOGGED_PER_INTERVAL 4
#define IGNORED_LOGGED_PER_INTERVAL 8

void discovery_log_init(struct discovery_log *log, const struct discovery *disc)
{
	memset(log, 0, sizeof(*log));
	log_limit_init(&log->offers, OFFERS_LOGGED_PER_INTERVAL, LOG_LIMIT_INTERVAL_MS);
	log_limit_init(&log->messages, MESSAGES_LOGGED_PER_INTERVAL, LOG_LIMIT_INTERVAL_MS);
	log_limit_init(&log->ignored, IGNORED_LOGGED_PER_INTERVAL, LOG_LIMIT_INTERVAL_MS);
	memcpy(log->ignored_before, disc->counters.ignored, sizeof(log->ignored_before));
}

static void log_ignored_counts(const struct discovery_log *log, const struct discovery *disc,
			       enum log_level level, const char *phase)
{
	for (int reason = 0; reason < DISCOVERY_IGNORE_COUNT; reason++) {
		uint64_t count = disc->counters.ignored[reason] - log->ignored_before[reason];

		if (count > 0)
			log_message(level, "ignored %llu discovery frames %s: %s",
				    (unsigned long long)count, phase,
				    discovery_ignore_reason_name((enum discovery_ignore_reason)reason));
	}
}

/* Once discovery is over: how many offers were not chosen, and what was ignored. */
static void log_discovery_counts(const struct discovery_log *log, const struct discovery *disc)
{
	if (log->offers.held_back_total > 0)
		log_message(LOG_LEVEL_INFO, "%llu offers were not chosen in all (%llu of them not logged)",
			    (unsigned long long)disc->counters.pado_rejected,
			    (unsigned long long)log->offers.held_back_total);
	log_ignored_counts(log, disc, LOG_LEVEL_DEBUG, "during discovery");
}

void discovery_log_counters(const struct discovery_log *log, const struct discovery *disc)
{
	log_ignored_counts(log, disc, LOG_LEVEL_INFO, "during the session");
	if (log->messages_seen > 0)
		log_message(LOG_LEVEL_INFO, "%llu messages from the access concentrator (PADM, PADN) "
			    "during the session, %llu of them not logged",
			    (unsigned long long)log->messages_seen,
			    (unsigned long long)log->messages.held_back_total);
}

static void report_event(const struct discovery *disc, struct discovery_log *log,
			 const struct discovery_event *ev, const struct discovery_io *io)
{
	char name[128], mac[RENDER_MAC_LEN];

	switch (ev->type) {
	case DISCOVERY_EVENT_SENT:
		log_message(LOG_LEVEL_DEBUG, "sent %s (attempt %u) on %s",
			    disc->state == DISCOVERY_WAIT_PADS ? "PADR" : "PADI", ev->attempt,
			    io->iface->name);
		break;
	case DISCOVERY_EVENT_IGNORED:
		if (log_within_limit(&log->ignored, LOG_LEVEL_DEBUG, "discovery frames ignored"))
			log_message(LOG_LEVEL_DEBUG, "ignored a discovery frame: %s",
				    discovery_ignore_reason_name(ev->ignored));
		break;
	case DISCOVERY_EVENT_PADO:
		describe_ac(&ev->message, name, sizeof(name), mac);
		if (disc->config.list_only)
			break;
		if (ev->accepted)
			log_message(LOG_LEVEL_INFO, "PADO from access concentrator '%s' (%s): chosen",
				    name, mac);
		else if (log_within_limit(&log->offers, LOG_LEVEL_INFO, "offers not chosen"))
			log_message(LOG_LEVEL_INFO, "PADO from access concentrator '%s' (%s): not chosen, %s",
				    name, mac, discovery_reject_reason_name(ev->rejected));
		break;
	case DISCOVERY_EVENT_SESSION_UP:
		log_discovery_counts(log, disc);
		render_mac(disc->ac_mac, mac);
		render_printable(disc->ac_name, disc->ac_name_len, name, sizeof(name));
		log_message(LOG_LEVEL_NOTICE, "PPPoE session %u established with '%s' (%s) on %s",
			    disc->session_id, name, mac, io->iface->name);
		break;
	case DISCOVERY_EVENT_FAILED:
		log_discovery_counts(log, disc);
		render_mac(disc->ac_mac, mac);
		switch (ev->failure) {
		case DISCOVERY_FAILURE_NO_PADO:
			log_message(LOG_LEVEL_ERROR,
				    "no PADO from any access concentrator on %s after %u PADIs%s -- "
				    "is the modem in bridge mode and the cable in %s?",
				    io->iface->name, disc->config.padi_attempts,
				    disc->counters.pado_rejected ? " (offers were seen but did not match "
								   "the AC name/service/MAC asked for)" : "",
				    io->iface->name);
			break;
		case DISCOVERY_FAILURE_NO_PADS:
			log_message(LOG_LEVEL_ERROR,
				    "access concentrator %s never confirmed the session (no PADS after %u PADRs)",
				    mac, disc->config.padr_attempts);
			break;
		case DISCOVERY_FAILURE_SERVICE_NAME_ERROR:
			log_error_tag("access concentrator refused the service name (check -S / pppoe-service)",
				      &ev->message.error);
			break;
		case DISCOVERY_FAILURE_AC_SYSTEM_ERROR:
			log_error_tag("access concentrator reported a system error", &ev->message.error);
			break;
		case DISCOVERY_FAILURE_GENERIC_ERROR:
			log_error_tag("access concentrator refused the session", &ev->message.error);
			break;
		case DISCOVERY_FAILURE_CONFIG_TOO_LONG:
			log_message(LOG_LEVEL_ERROR,
				    "the service name and Host-Uniq are too long to fit in a PADI -- shorten them");
			break;
		case DISCOVERY_FAILURE_ZERO_SESSION:
		case DISCOVERY_FAILURE_NONE:
			log_message(LOG_LEVEL_ERROR, "discovery failed: %s",
				    discovery_failure_name(ev->failure));
			break;
		}
		break;
	case DISCOVERY_EVENT_TERMINATED:
		log_message(LOG_LEVEL_NOTICE, "PADT from the access concentrator during discovery");
		break;
	case DISCOVERY_EVENT_MESSAGE:
	case DISCOVERY_EVENT_LIST_COMPLETE:
	case DISCOVERY_EVENT_NONE:
		break;
	}
}

static int send_event_frame(const struct discovery_event *ev, const struct discovery_io *io)
{
	if (ev->send_len == 0)
		return 0;
	frame_dump(io->dump, "sent discovery", ev->send, ev->send_len);
	if (packet_socket_send(io->fd, ev->send, ev->send_len) < 0) {
		log_message(LOG_LEVEL_ERROR, "cannot send a discovery frame on %s: %s",
			    io->iface->name, strerror(errno));
		return -1;
	}
	return 0;
}

/* After one event: go on (-1), or the outcome it ends with. */
static int outcome_of(const struct discovery_event *ev)
{
	switch (ev->type) {
	case DISCOVERY_EVENT_SESSION_UP:
		return DISCOVERY_OUTCOME_SESSION;
	case DISCOVERY_EVENT_FAILED:
	case DISCOVERY_EVENT_TERMINATED:
		return DISCOVERY_OUTCOME_FAILED;
	case DISCOVERY_EVENT_LIST_COMPLETE:
		return DISCOVERY_OUTCOME_LISTED;
	default:
		return -1;
	}
}

static int handle_event(struct discovery *disc, struct discovery_log *log,
			const struct discovery_event *ev, const struct discovery_io *io)
{
	report_event(disc, log, ev, io);
	if (ev->type == DISCOVERY_EVENT_PADO && disc->config.list_only && io->on_offer != NULL)
		io->on_offer(ev, io->context);
	if (send_event_frame(ev, io) < 0)
		return DISCOVERY_OUTCOME_IO_ERROR;
	return outcome_of(ev);
}

enum discovery_outcome discovery_io_run(struct discovery *disc, struct discovery_io *io)
{
	struct discovery_event *ev = &io->event;
	uint8_t *frame = io->frame;
	struct discovery_log log;
	int outcome;

	discovery_log_init(&log, disc);
	discovery_start(disc, monotonic_ms(), ev);
	if ((outcome = handle_event(disc, &log, ev, io)) >= 0)
		return outcome;

	for (;;) {
		struct pollfd pfd = { .fd = io->fd, .events = POLLIN };
		uint64_t now = monotonic_ms();
		uint64_t deadline = discovery_deadline(disc);
		struct timespec wait;
		int ready;

		if (io->stop_requested != NULL && io->stop_requested())
			return DISCOVERY_OUTCOME_STOPPED;
		if (deadline != DISCOVERY_NO_DEADLINE && now >= deadline) {
			discovery_handle_timeout(disc, now, ev);
			if ((outcome = handle_event(disc, &log, ev, io)) >= 0)
				return outcome;
			continue;
		}
		uint64_t wait_ms = deadline == DISCOVERY_NO_DEADLINE ? 1000 : deadline - now;
		wait.tv_sec = (time_t)(wait_ms / 1000);
		wait.tv_nsec = (long)(wait_ms % 1000) * 1000000L;
		ready = ppoll(&pfd, 1, &wait, io->poll_mask);
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			log_message(LOG_LEVEL_ERROR, "poll: %s", strerror(errno));
			return DISCOVERY_OUTCOME_IO_ERROR;
		}
		if (ready == 0)
			continue;
		/* Drain what is queued, but bounded, so a flood cannot starve the timer. */
		for (int i = 0; i < 64; i++) {
			ssize_t got = packet_socket_receive(io->fd, frame, sizeof(io->frame));
			if (got < 0) {
				log_message(LOG_LEVEL_ERROR, "receiving on %s: %s", io->iface->name,
					    strerror(errno));
				return DISCOVERY_OUTCOME_IO_ERROR;
			}
			if (got == 0)
				break;
			frame_dump(io->dump, "received discovery", frame, (size_t)got);
			discovery_handle_frame(disc, frame, (size_t)got, monotonic_ms(), ev);
			if ((outcome = handle_event(disc, &log, ev, io)) >= 0)
				return outcome;
		}
	}
}

int discovery_io_send_padt(const struct discovery *disc, int fd, uint16_t session_id,
			   const uint8_t ac_mac[PPPOE_MAC_LEN], const char *reason, const struct frame_dump *dump)
{
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
	char mac[RENDER_MAC_LEN];
	size_t len = discovery_build_padt(disc, session_id, ac_mac, reason, frame, sizeof(frame));

	render_mac(ac_mac, mac);
	if (len == 0) {
		log_message(LOG_LEVEL_ERROR, "cannot build a PADT for session %u", session_id);
		return -1;
	}
	frame_dump(dump, "sent PADT", frame, len);
	if (packet_socket_send(fd, frame, len) < 0) {
		int send_error = errno;

		log_message(LOG_LEVEL_ERROR, "cannot send PADT for session %u to %s: %s", session_id,
			    mac, strerror(send_error));
		errno = send_error;  /* whether to try again depends on it */
		return -1;
	}
	log_message(LOG_LEVEL_INFO, "sent PADT for session %u to %s", session_id, mac);
	return 0;
}

/* Frames read per call: a flood of discovery frames cannot starve the session. */
#define DISCOVERY_WATCH_BATCH 64

/* A PADM or a PADN from our AC (RFC 4937), within the limit. */
static void log_message_from_ac(struct discovery_log *log, const struct pppoe_discovery *msg)
{
	const char *what = "messages from the access concentrator";
	char text[256];

	log->messages_seen++;
	if (msg->frame.code == PPPOE_CODE_PADN) {
		if (log_within_limit(&log->messages, LOG_LEVEL_NOTICE, what))
			log_message(LOG_LEVEL_NOTICE, "PADN from the access concentrator: its routes "
				    "(RFC 4937) are not applied");
		return;
	}
	if ((msg->motm.value == NULL && msg->hurl.value == NULL) ||
	    !log_within_limit(&log->messages, LOG_LEVEL_NOTICE, what))
		return;
	if (msg->motm.value != NULL) {
		render_printable(msg->motm.value, msg->motm.length, text, sizeof(text));
		log_message(LOG_LEVEL_NOTICE, "message from the access concentrator: %s", text);
	}
	if (msg->hurl.value != NULL) {
		render_printable(msg->hurl.value, msg->hurl.length, text, sizeof(text));
		log_message(LOG_LEVEL_NOTICE, "the access concentrator points to %s", text);
	}
}

bool discovery_io_watch_session(struct discovery *disc, struct discovery_log *log, int fd,
				const struct frame_dump *dump)
{
	struct discovery_event ev;
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];

	for (int i = 0; i < DISCOVERY_WATCH_BATCH; i++) {
		ssize_t got = packet_socket_receive(fd, frame, sizeof(frame));
		char text[256];

		if (got <= 0)
			return false;
		frame_dump(dump, "received discovery", frame, (size_t)got);
		discovery_handle_frame(disc, frame, (size_t)got, monotonic_ms(), &ev);
		switch (ev.type) {
		case DISCOVERY_EVENT_TERMINATED:
			if (ev.message.error.value != NULL) {
				render_printable(ev.message.error.value, ev.message.error.length, text,
						 sizeof(text));
				log_message(LOG_LEVEL_NOTICE,
					    "the access concentrator ended session %u (PADT: %s)",
					    disc->session_id, text);
			} else {
				log_message(LOG_LEVEL_NOTICE, "the access concentrator ended session %u (PADT)",
					    disc->session_id);
			}
			return true;
		case DISCOVERY_EVENT_MESSAGE:
			log_message_from_ac(log, &ev.message);
			break;
		case DISCOVERY_EVENT_IGNORED:
			if (log_within_limit(&log->ignored, LOG_LEVEL_DEBUG, "discovery frames ignored"))
				log_message(LOG_LEVEL_DEBUG,
					    "ignored a discovery frame during the session: %s",
					    discovery_ignore_reason_name(ev.ignored));
			break;
		default:
			break;
		}
	}
	return false;
}
