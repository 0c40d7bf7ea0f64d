/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The relay child: signals, the relay loop, and the PADT on the way out. */
#include "relay_child.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "discovery_io.h"
#include "log.h"
#include "relay_loop.h"
#include "session_child.h"
#include "session_lifecycle.h"

struct wakeup_context {
	struct link_share *share;
	uint32_t seen;
};

static void take_link_values(struct relay *relay, void *context)
{
	struct wakeup_context *wake = context;
	unsigned mtu, mru;

	if (link_share_poll(wake->share, &wake->seen, &mtu, &mru) && mtu != 0 && mru != 0)
		relay_set_link_mtu(relay, mtu, mru);
}

static void __attribute__((noreturn)) relay_child_run(const struct relay_child_params *params)
{
	static struct relay relay;
	struct wakeup_context wake = { .share = params->share };
	sigset_t poll_mask;
	enum relay_exit why;
	char title[64];

	snprintf(title, sizeof(title), "pppoe-mss-relay %s session %u", params->ifname,
		 params->relay.session_id);
	session_child_begin("pppoe-mss-relay", title, &poll_mask);
	close(params->pty_slave);
	relay_init(&relay, &params->relay);

	struct relay_loop_config loop = {
		.pppd_in = params->pty_master, .pppd_out = params->pty_master,
		.session_fd = params->session_fd, .discovery_fd = params->discovery_fd,
		.sync = params->sync, .idle_timeout_s = params->idle_timeout_s,
		.dump = params->dump, .stop = &stop_signal,
		.poll_mask = &poll_mask, .on_wakeup = take_link_values, .context = &wake,
		.log_counters = &counters_signal,
	};
	why = relay_loop_run(&relay, params->disc, &loop);
	log_message(LOG_LEVEL_NOTICE, "session %u ended: %s", params->relay.session_id,
		    relay_exit_name(why));
	relay_log_counters(&relay);
	if (why == RELAY_EXIT_PADT)
		_exit(SESSION_CHILD_EXIT_CLEAN);
	if (discovery_io_send_padt(params->disc, params->discovery_fd, params->relay.session_id,
				   params->relay.ac_mac, "pppoe-mss: session closed", params->dump) == 0)
		_exit(SESSION_CHILD_EXIT_CLEAN);
	_exit(SESSION_CHILD_EXIT_PADT_NEEDED);
}

pid_t relay_child_start(const struct relay_child_params *params)
{
	pid_t pid = fork();

	if (pid == 0)
		relay_child_run(params);
	return pid;
}
