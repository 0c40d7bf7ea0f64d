/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The relay child: signals, the relay loop, and the PADT on the way out. */
#include "relay_child.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "monotonic.h"
#include "padt_sender.h"
#include "relay_loop.h"
#include "session_child.h"
#include "session_lifecycle.h"
#include "status_publisher.h"

struct wakeup_context {
	struct link_share *share;
	uint32_t seen;
	struct status_publisher status;
};

/* On every wake-up: the MTU/MRU pppd negotiated, and the live status. */
static void on_wakeup(struct relay *relay, void *context)
{
	struct wakeup_context *wake = context;
	unsigned mtu, mru;

	if (link_share_poll(wake->share, &wake->seen, &mtu, &mru) && mtu != 0 && mru != 0)
		relay_set_link_mtu(relay, mtu, mru);
	status_publisher_take_relay(&wake->status, relay);
	status_publisher_flush(&wake->status, monotonic_ms());
}

static void __attribute__((noreturn)) relay_child_run(const struct relay_child_params *params)
{
	static struct relay relay;
	static struct wakeup_context wake;
	sigset_t poll_mask;
	enum relay_exit why;
	char title[64];

	snprintf(title, sizeof(title), "pppoe-mss-relay %s session %u", params->ifname,
		 params->relay.session_id);
	session_child_begin("pppoe-mss-relay", title, &poll_mask);
	close(params->pty_slave);
	if (params->early_guardian_fd >= 0)
		close(params->early_guardian_fd);
	relay_init(&relay, &params->relay);
	wake.share = params->share;
	status_publisher_begin(&wake.status, params->disc, params->iface, SESSION_DATAPATH_USER,
			       getppid());

	struct relay_loop_config loop = {
		.pppd_in = params->pty_master, .pppd_out = params->pty_master,
		.session_fd = params->session_fd, .discovery_fd = params->discovery_fd,
		.sync = params->sync, .idle_timeout_s = params->idle_timeout_s,
		.dump = params->dump, .stop = &stop_signal,
		.poll_mask = &poll_mask, .on_wakeup = on_wakeup, .context = &wake,
		.log_counters = &counters_signal,
	};
	why = relay_loop_run(&relay, params->disc, &loop);
	log_message(LOG_LEVEL_NOTICE, "session %u ended: %s", params->relay.session_id,
		    relay_exit_name(why));
	relay_log_counters(&relay);
	status_publisher_end(&wake.status);
	if (why == RELAY_EXIT_PADT) {
		session_record_remove(params->record);
		_exit(SESSION_CHILD_EXIT_CLEAN);
	}
	/* Nothing of the session outlives it while the PADT may be retried. */
	close(params->pty_master);
	close(params->session_fd);
	struct padt_job padt = {
		.disc = params->disc, .fd = params->discovery_fd,
		.session_id = params->relay.session_id, .ac_mac = params->relay.ac_mac,
		.reason = "pppoe-mss: session closed", .nic = params->ifname, .dump = params->dump,
		.record = params->record,
	};
	/* With pppd gone nobody waits for us: retries may take their time here. */
	if (padt_send_retrying(&padt, why == RELAY_EXIT_PPPD_GONE) == PADT_NOT_SENT)
		_exit(SESSION_CHILD_EXIT_PADT_NEEDED);
	_exit(SESSION_CHILD_EXIT_CLEAN);
}

pid_t relay_child_start(const struct relay_child_params *params)
{
	pid_t pid = session_child_fork();

	if (pid == 0)
		relay_child_run(params);
	return pid;
}
