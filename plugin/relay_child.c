/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The relay child: the relay's confined worker, then the PADT on the way out. */
#include "relay_child.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "padt_sender.h"
#include "relay_worker.h"
#include "session_child.h"

/* In the worker, on every wake-up: the MTU/MRU pppd negotiated. */
static void take_negotiated_mtu_mru(struct relay *relay, void *context)
{
	static uint32_t seen;
	struct negotiated_mtu_mru *share = context;
	unsigned mtu, mru;

	if (negotiated_mtu_mru_poll(share, &seen, &mtu, &mru) && mtu != 0 && mru != 0)
		relay_use_negotiated_mtu_mru(relay, mtu, mru);
}

static void __attribute__((noreturn)) relay_child_run(const struct relay_child_params *params)
{
	static struct relay relay;
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

	struct relay_worker_params worker = {
		.relay = &relay, .disc = params->disc,
		.loop = {
			.pppd_in = params->pty_master, .pppd_out = params->pty_master,
			.session_fd = params->session_fd, .discovery_fd = params->discovery_fd,
			.sync = params->sync, .idle_timeout_s = params->idle_timeout_s,
			.dump = params->dump,
			.on_wakeup = take_negotiated_mtu_mru, .context = params->share,
		},
		.confinement = params->confinement, .iface = params->iface,
		.pppd_pid = getppid(), .poll_mask = &poll_mask,
	};
	why = relay_worker_run(&worker);
	if (why == RELAY_EXIT_PADT) {
		session_record_remove(params->record);
		_exit(SESSION_CHILD_EXIT_CLEAN);
	}
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
