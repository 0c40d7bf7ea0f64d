/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guardian of a kernel session (guardian.h). */
#include "guardian.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "discovery_io.h"
#include "log.h"
#include "monotonic.h"
#include "padt_sender.h"
#include "session_child.h"
#include "session_lifecycle.h"
#include "status_publisher.h"
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

struct live_status {
	struct status_publisher publisher;
	uint32_t seen;
	unsigned mtu, mru;
};

/* Read the clamp's counters only when a status is due: once a second. */
static void publish_status(const struct guardian_params *params, struct live_status *live)
{
	static const struct clamp_limits none;
	struct tc_clamp_counts counts = { 0 };
	struct clamp_limits limits = none;
	uint64_t now = monotonic_ms();
	unsigned mtu, mru;

	if (now < live->publisher.next_ms)
		return;
	if (params->share != NULL && link_share_poll(params->share, &live->seen, &mtu, &mru)) {
		live->mtu = mtu;
		live->mru = mru;
	}
	if (params->clamp != NULL) {
		(void)tc_clamp_read_counts(params->clamp, &counts);
		if (params->policy != NULL && live->mtu != 0 && live->mru != 0)
			limits = clamp_policy_limits(params->policy, live->mtu, live->mru);
	}
	status_publisher_take_clamp(&live->publisher, &counts, &limits, live->mtu, live->mru);
	status_publisher_flush(&live->publisher, now);
}

static enum guardian_exit guardian_watch(const struct guardian_params *params,
					 const sigset_t *poll_mask, struct live_status *live,
					 struct discovery_log *discovery_log)
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
			discovery_log_counters(discovery_log, params->disc);
		}
		struct timespec second = { .tv_sec = 1 };

		if (params->iface != NULL)
			publish_status(params, live);
		if (ppoll(fds, FDS, &second, poll_mask) < 0) {
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
		    discovery_io_watch_session(params->disc, discovery_log, params->discovery_fd,
					       params->dump))
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
	static struct live_status live;
	struct discovery_log discovery_log;
	enum guardian_exit why;
	sigset_t poll_mask;
	char title[64];

	snprintf(title, sizeof(title), "pppoe-mss-guard %s session %u", params->ifname, session_id);
	session_child_begin("pppoe-mss-guard", title, &poll_mask);
	close(params->pppd_end_fd);
	close(params->session_socket);
	if (params->early_guardian_fd >= 0)
		close(params->early_guardian_fd);
	/* Unread, it would take a copy of every session frame until its buffer filled. */
	if (params->session_frames_fd >= 0)
		close(params->session_frames_fd);

	if (params->iface != NULL)
		status_publisher_begin(&live.publisher, params->disc, params->iface,
				       SESSION_DATAPATH_KERNEL, getppid());
	discovery_log_init(&discovery_log, params->disc);
	why = guardian_watch(params, &poll_mask, &live, &discovery_log);
	status_publisher_end(&live.publisher);
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
	discovery_log_counters(&discovery_log, params->disc);
	if (why == GUARDIAN_PADT) {
		session_record_remove(params->record);
		_exit(SESSION_CHILD_EXIT_CLEAN);
	}
	struct padt_job padt = {
		.disc = params->disc, .fd = params->discovery_fd, .session_id = session_id,
		.ac_mac = params->disc->ac_mac, .reason = "pppoe-mss: session closed",
		.nic = params->ifname, .dump = params->dump, .record = params->record,
	};
	/* With pppd gone nobody waits for us: retries may take their time here. */
	if (padt_send_retrying(&padt, why == GUARDIAN_PPPD_GONE) == PADT_NOT_SENT)
		_exit(SESSION_CHILD_EXIT_PADT_NEEDED);
	_exit(SESSION_CHILD_EXIT_CLEAN);
}

pid_t guardian_start(const struct guardian_params *params)
{
	pid_t pid = session_child_fork();

	if (pid == 0)
		guardian_run(params);
	return pid;
}
