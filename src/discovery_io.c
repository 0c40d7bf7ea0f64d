/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The I/O side of discovery: a ppoll loop around the sans-IO state machine. */
#include "discovery_io.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "frame_dump.h"
#include "log.h"
#include "monotonic.h"
#include "text.h"

static void describe_ac(const struct pppoe_discovery *msg, char *name, size_t name_len,
			char mac[TEXT_MAC_LEN])
{
	if (msg->ac_name.value != NULL)
		text_printable(msg->ac_name.value, msg->ac_name.length, name, name_len);
	else
		snprintf(name, name_len, "(no AC-Name)");
	text_format_mac(msg->frame.source, mac);
}

static void log_error_tag(const char *what, const struct pppoe_tag *tag)
{
	char text[256];

	text_printable(tag->value, tag->length, text, sizeof(text));
	log_message(LOG_LEVEL_ERROR, "%s%s%s", what, text[0] ? ": " : "", text);
}

/*
 * Anyone on the segment can send PADOs by the thousand: the first offers
 * turned away are logged at info level, the rest only at debug level, and
 * their number once discovery ends.
 */
#define PADO_REJECTS_AT_INFO 8

static void log_rejected_pado_total(const struct discovery *disc)
{
	if (disc->counters.pado_rejected > PADO_REJECTS_AT_INFO)
		log_message(LOG_LEVEL_INFO, "%llu offers were not chosen in all (the first %d logged)",
			    (unsigned long long)disc->counters.pado_rejected, PADO_REJECTS_AT_INFO);
}

static void report_event(const struct discovery *disc, const struct discovery_event *ev,
			 const struct discovery_io *io)
{
	char name[128], mac[TEXT_MAC_LEN];

	switch (ev->type) {
	case DISCOVERY_EVENT_SENT:
		log_message(LOG_LEVEL_DEBUG, "sent %s (attempt %u) on %s",
			    disc->state == DISCOVERY_WAIT_PADS ? "PADR" : "PADI", ev->attempt,
			    io->iface->name);
		break;
	case DISCOVERY_EVENT_IGNORED:
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
		else
			log_message(disc->counters.pado_rejected <= PADO_REJECTS_AT_INFO ? LOG_LEVEL_INFO
										    : LOG_LEVEL_DEBUG,
				    "PADO from access concentrator '%s' (%s): not chosen, %s",
				    name, mac, discovery_reject_reason_name(ev->rejected));
		break;
	case DISCOVERY_EVENT_SESSION_UP:
		log_rejected_pado_total(disc);
		text_format_mac(disc->ac_mac, mac);
		text_printable(disc->ac_name, disc->ac_name_len, name, sizeof(name));
		log_message(LOG_LEVEL_NOTICE, "PPPoE session %u established with '%s' (%s) on %s",
			    disc->session_id, name, mac, io->iface->name);
		break;
	case DISCOVERY_EVENT_FAILED:
		log_rejected_pado_total(disc);
		text_format_mac(disc->ac_mac, mac);
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

static int handle_event(struct discovery *disc, const struct discovery_event *ev,
			const struct discovery_io *io)
{
	report_event(disc, ev, io);
	if (ev->type == DISCOVERY_EVENT_PADO && disc->config.list_only && io->on_offer != NULL)
		io->on_offer(ev, io->context);
	if (send_event_frame(ev, io) < 0)
		return DISCOVERY_OUTCOME_IO_ERROR;
	return outcome_of(ev);
}

enum discovery_outcome discovery_io_run(struct discovery *disc, const struct discovery_io *io)
{
	static struct discovery_event ev;  /* ~1.6 KiB: keep it off small thread stacks */
	static uint8_t frame[PPPOE_FRAME_MAX];
	int outcome;

	discovery_start(disc, monotonic_ms(), &ev);
	if ((outcome = handle_event(disc, &ev, io)) >= 0)
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
			discovery_handle_timeout(disc, now, &ev);
			if ((outcome = handle_event(disc, &ev, io)) >= 0)
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
			ssize_t got = packet_socket_receive(io->fd, frame, sizeof(frame));
			if (got < 0) {
				log_message(LOG_LEVEL_ERROR, "receiving on %s: %s", io->iface->name,
					    strerror(errno));
				return DISCOVERY_OUTCOME_IO_ERROR;
			}
			if (got == 0)
				break;
			frame_dump(io->dump, "received discovery", frame, (size_t)got);
			discovery_handle_frame(disc, frame, (size_t)got, monotonic_ms(), &ev);
			if ((outcome = handle_event(disc, &ev, io)) >= 0)
				return outcome;
		}
	}
}

int discovery_io_send_padt(const struct discovery *disc, int fd, uint16_t session_id,
			   const uint8_t ac_mac[PPPOE_MAC_LEN], const char *reason, const struct frame_dump *dump)
{
	uint8_t frame[PPPOE_DISCOVERY_FRAME_MAX];
	char mac[TEXT_MAC_LEN];
	size_t len = discovery_build_padt(disc, session_id, ac_mac, reason, frame, sizeof(frame));

	text_format_mac(ac_mac, mac);
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

bool discovery_io_watch_session(struct discovery *disc, int fd, const struct frame_dump *dump)
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
				text_printable(ev.message.error.value, ev.message.error.length, text,
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
			if (ev.message.motm.value != NULL) {
				text_printable(ev.message.motm.value, ev.message.motm.length, text, sizeof(text));
				log_message(LOG_LEVEL_NOTICE, "message from the access concentrator: %s", text);
			}
			if (ev.message.hurl.value != NULL) {
				text_printable(ev.message.hurl.value, ev.message.hurl.length, text, sizeof(text));
				log_message(LOG_LEVEL_NOTICE, "the access concentrator points to %s", text);
			}
			break;
		case DISCOVERY_EVENT_IGNORED:
			log_message(LOG_LEVEL_DEBUG, "ignored a discovery frame during the session: %s",
				    discovery_ignore_reason_name(ev.ignored));
			break;
		default:
			break;
		}
	}
	return false;
}
