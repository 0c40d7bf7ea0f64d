/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guardian of a kernel session (guardian.h). */
#include "guardian.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "discovery_io.h"
#include "log.h"
#include "monotonic.h"
#include "padt_sender.h"
#include "session_child.h"
#include "session_lifecycle.h"
#include "session_worker.h"
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
	const struct guardian_params *params;
	struct status_publisher publisher;
	uint32_t seen;
	unsigned mtu, mru;
};

/* Once a second, here with root: the clamp's counters (bpf() wants it). */
static void publish_status(struct session_worker *worker, void *context)
{
	static const struct clamp_limits none;
	struct live_status *live = context;
	const struct guardian_params *params = live->params;
	struct tc_clamp_counts counts = { 0 };
	struct clamp_limits limits = none;
	unsigned mtu, mru;

	(void)worker;
	if (params->iface == NULL)
		return;
	if (params->share != NULL &&
	    negotiated_mtu_mru_poll(params->share, &live->seen, &mtu, &mru)) {
		live->mtu = mtu;
		live->mru = mru;
	}
	if (params->clamp != NULL) {
		(void)tc_clamp_read_counts(params->clamp, &counts);
		if (params->policy != NULL && live->mtu != 0 && live->mru != 0)
			limits = clamp_policy_limits(params->policy, live->mtu, live->mru);
	}
	status_publisher_take_clamp(&live->publisher, &counts, &limits, live->mtu, live->mru);
	status_publisher_flush(&live->publisher, monotonic_ms());
}

static void log_clamp_counts(void *context)
{
	const struct live_status *live = context;

	guardian_log_clamp_counts(live->params->clamp);
}

/* In the worker, confined: pppd's pipe and the AC's frames. */
static enum guardian_exit guardian_watch(const struct guardian_params *params,
					 const sigset_t *poll_mask,
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
			discovery_log_counters(discovery_log, params->disc);
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

static int guardian_work(const sigset_t *poll_mask, void *context)
{
	const struct guardian_params *params = context;
	struct discovery_log discovery_log;
	enum guardian_exit why;

	discovery_log_init(&discovery_log, params->disc);
	why = guardian_watch(params, poll_mask, &discovery_log);
	if (why == GUARDIAN_PPPD_GONE)
		log_message(LOG_LEVEL_NOTICE, "pppd is gone: ending session %u",
			    params->disc->session_id);
	discovery_log_counters(&discovery_log, params->disc);
	return (int)why;
}

/* The AC's frames are read by a confined worker; this process keeps root
 * for the clamp's counters and filters, the record and the PADT. */
static enum guardian_exit guardian_run_worker(const struct guardian_params *params,
					      const sigset_t *poll_mask, struct live_status *live)
{
	struct session_worker worker;
	int keep[] = { params->pppd_gone_fd, params->discovery_fd, frame_dump_fd(params->dump) };
	char title[64];
	int outcome;

	snprintf(title, sizeof(title), "pppoe-mss-wire %s session %u", params->ifname,
		 params->disc->session_id);
	struct session_worker_params worker_params = {
		.name = "pppoe-mss-wire", .title = title, .confinement = params->confinement,
		.keep = keep, .keep_count = sizeof(keep) / sizeof(keep[0]),
		.work = guardian_work, .context = (void *)params,
	};
	if (session_worker_start(&worker, &worker_params) < 0)
		return GUARDIAN_ERROR;
	/* The worker alone watches for pppd's end. */
	close(params->pppd_gone_fd);
	struct session_worker_watch watch = {
		.poll_mask = poll_mask, .each_second = publish_status,
		.log_counters = log_clamp_counts, .context = live,
	};
	outcome = session_worker_wait(&worker, &watch);
	if (outcome < 0 || outcome > GUARDIAN_ERROR)
		return GUARDIAN_ERROR;
	return (enum guardian_exit)outcome;
}

static void __attribute__((noreturn)) guardian_run(const struct guardian_params *params)
{
	uint16_t session_id = params->disc->session_id;
	static struct live_status live;
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

	live.params = params;
	if (params->iface != NULL)
		status_publisher_begin(&live.publisher, params->disc, params->iface,
				       SESSION_DATAPATH_KERNEL, getppid());
	why = guardian_run_worker(params, &poll_mask, &live);
	status_publisher_end(&live.publisher);
	if (params->clamp != NULL) {
		guardian_log_clamp_counts(params->clamp);
		tc_clamp_detach(params->clamp);
	}
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
