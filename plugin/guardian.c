/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guardian of a kernel session (guardian.h). */
#include "guardian.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "discovery_io.h"
#include "log.h"
#include "session_child.h"
#include "session_lifecycle.h"
#include "tc_clamp.h"

enum guardian_exit {
	GUARDIAN_STOPPED,     /* pppd ended the session */
	GUARDIAN_PPPD_GONE,   /* pppd died without a word */
	GUARDIAN_PADT,        /* the access concentrator ended the session */
	GUARDIAN_ERROR,
};

void guardian_log_clamp_counts(const struct tc_clamp *clamp)
{
	struct tc_clamp_counts counts;
	unsigned long long malformed;

	if (clamp == NULL || tc_clamp_read_counts(clamp, &counts) < 0)
		return;
	malformed = counts.result[PPP_OUTBOUND][MSS_PASS_MALFORMED] +
		    counts.result[PPP_INBOUND][MSS_PASS_MALFORMED];
	log_message(LOG_LEVEL_INFO,
		    "MSS clamped: %llu outbound, %llu inbound SYNs (in the kernel; %llu malformed "
		    "IP packets left untouched)",
		    (unsigned long long)counts.result[PPP_OUTBOUND][MSS_CLAMPED],
		    (unsigned long long)counts.result[PPP_INBOUND][MSS_CLAMPED], malformed);
}

static enum guardian_exit guardian_watch(const struct guardian_params *params,
					 const sigset_t *poll_mask)
{
	enum { PPPD, DISCOVERY, FDS };
	struct pollfd fds[FDS] = {
		[PPPD] = { .fd = params->pppd_gone_fd, .events = POLLIN },
		[DISCOVERY] = { .fd = params->discovery_fd, .events = POLLIN },
	};

	for (;;) {
		if (stop_signal)
			return GUARDIAN_STOPPED;
		if (counters_signal) {
			counters_signal = 0;
			guardian_log_clamp_counts(params->clamp);
		}
		if (ppoll(fds, FDS, NULL, poll_mask) < 0) {
			if (errno == EINTR)
				continue;
			log_message(LOG_LEVEL_ERROR, "guardian: poll: %s", strerror(errno));
			return GUARDIAN_ERROR;
		}
		if (fds[PPPD].revents) {
			char byte;
			/* Only EOF can come: pppd never writes. */
			if (read(params->pppd_gone_fd, &byte, 1) <= 0)
				return GUARDIAN_PPPD_GONE;
		}
		if ((fds[DISCOVERY].revents & POLLIN) &&
		    discovery_io_watch_session(params->disc, params->discovery_fd, params->dump))
			return GUARDIAN_PADT;
		if (fds[DISCOVERY].revents & (POLLERR | POLLNVAL)) {
			bool link_down;
			/* A link that went down may come back before the PADT is due. */
			if (!packet_socket_survives_error(params->discovery_fd, &link_down))
				fds[DISCOVERY].fd = -1;
		}
	}
}

static void __attribute__((noreturn)) guardian_run(const struct guardian_params *params)
{
	uint16_t session_id = params->disc->session_id;
	enum guardian_exit why;
	sigset_t poll_mask;
	char title[64];

	snprintf(title, sizeof(title), "pppoe-mss-guard %s session %u", params->ifname, session_id);
	session_child_begin("pppoe-mss-guard", title, &poll_mask);
	close(params->pppd_end_fd);
	close(params->session_socket);
	/* Unread, it would take a copy of every session frame until its buffer filled. */
	if (params->session_frames_fd >= 0)
		close(params->session_frames_fd);

	why = guardian_watch(params, &poll_mask);
	switch (why) {
	case GUARDIAN_PPPD_GONE:
		log_message(LOG_LEVEL_NOTICE, "pppd is gone: ending session %u", session_id);
		break;
	case GUARDIAN_PADT:
	case GUARDIAN_STOPPED:
	case GUARDIAN_ERROR:
		break;
	}
	if (params->clamp != NULL) {
		guardian_log_clamp_counts(params->clamp);
		tc_clamp_detach(params->clamp);
	}
	if (why == GUARDIAN_PADT)
		_exit(SESSION_CHILD_EXIT_CLEAN);
	if (discovery_io_send_padt(params->disc, params->discovery_fd, session_id,
				   params->disc->ac_mac, "pppoe-mss: session closed", params->dump) == 0)
		_exit(SESSION_CHILD_EXIT_CLEAN);
	_exit(SESSION_CHILD_EXIT_PADT_NEEDED);
}

pid_t guardian_start(const struct guardian_params *params)
{
	pid_t pid = fork();

	if (pid == 0)
		guardian_run(params);
	return pid;
}
